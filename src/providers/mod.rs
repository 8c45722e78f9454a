//! Providers turn a source (a file, the embedded demo, a live API) into
//! inventory. They never evaluate rules.

pub mod admin_api;
pub mod anthropic;
pub mod aws;
pub mod calls;
pub mod demo;
pub mod github;
pub mod http;
pub mod input;
pub mod openai;
pub mod saved;
