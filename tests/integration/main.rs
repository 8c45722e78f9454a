//! Integration tests: one binary, as in zizmor. Modules by theme.

mod ai_admin_api;
mod bad_input;
mod ci;
mod cli;
mod common;
mod json_schema;
mod readme_recipes;
mod robustness;
mod rule_fixtures;
