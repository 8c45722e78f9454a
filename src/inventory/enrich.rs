//! Enrichment after collection: human/non-human classification, owners and privilege.

use crate::config::Loaded;
use crate::inventory::Inventory;

/// Classifies every identity and credential, resolves owners and privilege.
pub fn enrich(_inventory: &mut Inventory, _config: &Loaded) {}
