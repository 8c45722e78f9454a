//! [`Source`]: one input file, demo file or live read, and how it went.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::ProviderId;

/// The state of one source (an input file, a demo file, a live API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The provider, or [`UNRECOGNIZED`] for a skipped file no provider reads.
    pub provider: ProviderId,
    /// Accounts or orgs the source described, comma-separated.
    pub scope: String,
    /// The format or API read (`credential-report`, `github-api`, ...).
    pub kind: String,
    /// File path or other locator.
    pub location: String,
    pub status: SourceStatus,
    /// Identities and credentials the source contributed.
    pub items: usize,
    pub error: Option<String>,
    /// API calls made to read a live source, by operation (empty for files).
    pub api_calls: BTreeMap<String, u64>,
}

/// The provider of a file that no provider recognized.
pub const UNRECOGNIZED: &str = "none";

/// Whether a source was read completely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceStatus {
    Ok,
    Partial,
    Failed,
    Skipped,
}

impl Source {
    /// A source of `provider` read from `location`, with no items yet.
    pub fn new(provider: ProviderId, kind: &str, location: impl Into<String>) -> Self {
        Source {
            provider,
            scope: String::new(),
            kind: kind.into(),
            location: location.into(),
            status: SourceStatus::Ok,
            items: 0,
            error: None,
            api_calls: BTreeMap::new(),
        }
    }

    /// `location (kind) status: error`, for warnings and notes.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}) {}: {}",
            self.location,
            self.kind,
            self.status,
            self.error.as_deref().unwrap_or("no detail")
        )
    }
}

impl SourceStatus {
    /// Whether the scan that used this source is incomplete.
    pub fn is_incomplete(self) -> bool {
        matches!(self, SourceStatus::Partial | SourceStatus::Failed)
    }
}

impl fmt::Display for SourceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceStatus::Ok => "ok",
            SourceStatus::Partial => "partial",
            SourceStatus::Failed => "failed",
            SourceStatus::Skipped => "skipped",
        })
    }
}
