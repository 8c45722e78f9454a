//! Wire formats: the versioned shapes nhiscan writes and reads back. They are
//! public contracts, kept apart from the internal model so that a refactor
//! never changes them by accident.
//!
//! - [`v1`]: the `--format json` report (`schema_version: 1`), also read
//!   back as input and by `nhiscan diff`.
//!
//! The baseline file (`nhiscan_baseline: 1`) has its own types in
//! `crate::baseline`; each provider's snapshot format lives in the provider.

pub mod v1;
