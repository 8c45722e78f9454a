//! Integration tests: one binary, as in zizmor. Modules by theme.

mod bad_input;
mod cli;
mod common;
mod json_schema;
mod rule_fixtures;
