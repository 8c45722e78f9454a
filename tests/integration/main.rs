//! Integration tests: one binary, as in zizmor. Modules by theme.

mod bad_input;
mod cli;
mod common;
mod github;
mod github_org;
mod json_schema;
mod robustness;
mod rule_fixtures;
