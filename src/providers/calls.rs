//! Moved to [`crate::providers::http::calls`]; this re-export keeps the old
//! path working for the AWS provider until its imports move too.

pub use super::http::calls::Calls;
