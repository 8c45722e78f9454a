//! `--demo`: a small sample organisation embedded in the binary.

use crate::error::Error;
use crate::inventory::Inventory;

/// Adds the demo organisation to the inventory.
pub fn load(_inventory: &mut Inventory) -> Result<(), Error> {
    Ok(())
}

/// The demo's fixed clock, used unless `--now` is given.
pub const NOW: jiff::Timestamp = jiff::Timestamp::constant(1_793_491_200, 0);
