//! nhiscan: finds non-human identities (API keys, service accounts, roles, tokens)
//! and reports what is wrong with them.
//!
//! The pipeline has two phases. Providers ([`providers`]) collect an
//! [`inventory::Inventory`]; [`inventory::enrich`] classifies it and resolves
//! owners and privilege; then [`rules`] evaluate it against a fixed clock and a
//! [`config::Config`]. Rules never touch the network or the system clock.

pub mod baseline;
pub mod config;
pub mod diff;
pub mod error;
pub mod inventory;
pub mod policy;
pub mod progress;
pub mod providers;
pub mod report;
pub mod rules;
pub mod scan;
