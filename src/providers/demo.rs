//! `--demo`: a small sample organisation embedded in the binary.
//!
//! The demo is an ordinary credential report and authorization-details export
//! of an AWS account, a saved live scan with what only `--aws` reads (server
//! certificates, identity providers), tenant snapshots of an OpenAI and an
//! Anthropic organization, and a GitHub org snapshot, all in `fixtures/demo/` and read through the same
//! importers as real files, so it exercises the whole pipeline. Every rule
//! fires on it at least once.

use std::path::Path;

use jiff::Timestamp;

use crate::error::Error;
use crate::inventory::Inventory;
use crate::providers::input;

/// The demo's fixed clock (2026-11-01T00:00:00Z), used unless `--now` is given,
/// so the demo's findings do not drift as real time passes.
pub const NOW: Timestamp = Timestamp::constant(1_793_491_200, 0);

const FILES: [(&str, &str); 6] = [
    (
        "credential-report.csv",
        include_str!("../../fixtures/demo/credential-report.csv"),
    ),
    (
        "authorization-details.json",
        include_str!("../../fixtures/demo/authorization-details.json"),
    ),
    (
        "openai-tenant.json",
        include_str!("../../fixtures/demo/openai-tenant.json"),
    ),
    (
        "anthropic-tenant.json",
        include_str!("../../fixtures/demo/anthropic-tenant.json"),
    ),
    (
        "live-scan.json",
        include_str!("../../fixtures/demo/live-scan.json"),
    ),
    (
        "github-acme.json",
        include_str!("../../fixtures/demo/github-acme.json"),
    ),
];

/// Adds the demo organisation to the inventory.
pub fn load(inventory: &mut Inventory) -> Result<(), Error> {
    for (name, text) in FILES {
        input::load_text(&Path::new("<demo>").join(name), text, inventory)?;
    }
    Ok(())
}
