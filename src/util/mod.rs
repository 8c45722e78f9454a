//! Small utilities with no knowledge of the model.

pub mod atomic;
