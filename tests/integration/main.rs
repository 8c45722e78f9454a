//! Integration tests: one binary, as in zizmor. Modules by theme.

mod aws_live;
mod aws_stub;
mod bad_input;
mod cli;
mod common;
mod json_schema;
mod moto;
mod robustness;
mod rule_fixtures;
