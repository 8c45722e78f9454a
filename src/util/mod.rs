//! Small utilities with no knowledge of the model.

pub mod atomic;
pub mod redact;
pub mod term;
