//! Providers turn a source (a file, the embedded demo, later a live API) into
//! inventory. They never evaluate rules.

pub mod aws;
pub mod calls;
pub mod demo;
pub mod github;
pub mod input;
pub mod saved;
