//! `--demo`: a small sample organisation embedded in the binary.
//!
//! Each provider contributes files in its own formats ([`Provider::demo`]),
//! read through the same importers as real files, so the demo exercises the
//! whole pipeline. Every rule fires on it at least once.
//!
//! [`Provider::demo`]: super::Provider::demo

use std::path::Path;

use jiff::Timestamp;

use crate::error::Error;
use crate::model::Inventory;
use crate::providers::{input, registry};

/// The demo's fixed clock (2026-11-01T00:00:00Z), used unless `--now` is given
/// or a live source is read, so the demo's findings do not drift as real time passes.
pub const NOW: Timestamp = Timestamp::constant(1_793_491_200, 0);

/// Adds the demo organisation to the inventory.
pub fn load(inventory: &mut Inventory) -> Result<(), Error> {
    for provider in registry() {
        for (name, text) in provider.demo() {
            input::load_text(&Path::new("<demo>").join(name), text, inventory)?;
        }
    }
    Ok(())
}
