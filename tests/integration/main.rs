//! Integration tests: one binary, as in zizmor. Modules by theme.

mod admin_api;
mod anthropic;
mod architecture;
mod aws_live;
mod aws_stub;
mod bad_input;
mod ci;
mod cli;
mod common;
mod github;
mod github_org;
mod golden;
mod json_schema;
mod moto;
mod ndjson;
mod openai;
mod readme_recipes;
mod robustness;
mod rule_fixtures;
mod verdicts;
