//! nhiscan: finds non-human identities (API keys, service accounts, roles, tokens)
//! and reports what is wrong with them.
//!
//! The pipeline has two phases. Providers ([`providers`], one folder each,
//! listed in one registry) collect a [`model::Inventory`]; [`scan`] enriches
//! it (human or not, AI or not, owners, privilege) and evaluates the
//! [`rules`] against a fixed clock and a [`config::Loaded`]. Rules never
//! touch the network or the system clock. [`report`] renders a finished scan;
//! [`wire`] holds the versioned formats written and read back.
//!
//! Dependencies point one way: util, progress, model → config → rules →
//! baseline → wire → providers → scan → report, diff.

pub mod baseline;
pub mod config;
pub mod diff;
pub mod error;
pub mod model;
pub mod progress;
pub mod providers;
pub mod report;
pub mod rules;
pub mod scan;
pub mod util;
pub mod wire;
