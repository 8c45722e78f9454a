//! AWS's own rules: they concern what only IAM has (the root user's keys,
//! console passwords of machine users).

mod console_access;
mod root_access_key;

pub use crate::rules::{Context, Rule, RuleMeta, Sink};

pub use console_access::ConsoleAccess;
pub use root_access_key::RootAccessKey;

/// The rules, in a fixed order.
pub static RULES: [&dyn Rule; 2] = [&RootAccessKey, &ConsoleAccess];
