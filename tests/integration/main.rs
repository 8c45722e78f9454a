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
mod entra;
mod fuzz_replay;
mod gcp;
mod github;
mod github_org;
mod golden;
mod hardening;
mod html;
mod json_schema;
mod kubernetes;
mod moto;
mod openai;
mod output;
mod readme_recipes;
mod robustness;
mod rule_fixtures;
mod verdicts;
