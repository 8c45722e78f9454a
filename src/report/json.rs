//! `--format json`: the frozen v1 schema.
//!
//! [`ReportV1`] is the public contract. Fields are only ever added in a new
//! schema version; the `json_v1_is_frozen` test snapshots the field names.
//! nhiscan reads its own v1 output back (see `providers::saved`), so a saved
//! scan can be evaluated again.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::inventory::{Identity, Source};
use crate::rules::Finding;
use crate::scan::{Scan, Summary};

/// The schema version this module writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Top level of JSON output, schema version 1.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportV1 {
    pub schema_version: u32,
    pub tool: Tool,
    pub now: Timestamp,
    pub sources: Vec<Source>,
    pub identities: Vec<Identity>,
    pub findings: Vec<Finding>,
    /// Expired or unmatched suppressions.
    pub warnings: Vec<String>,
    pub summary: Summary,
}

/// The tool that wrote the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl ReportV1 {
    /// The v1 view of a scan.
    pub fn new(scan: &Scan) -> Self {
        ReportV1 {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            now: scan.now,
            sources: scan.inventory.sources.clone(),
            identities: scan.inventory.identities().cloned().collect(),
            findings: scan.evaluation.findings.clone(),
            warnings: scan.evaluation.warnings.clone(),
            summary: scan.summary(),
        }
    }
}

/// Pretty JSON with a trailing newline.
pub fn render(scan: &Scan) -> String {
    let mut out = serde_json::to_string_pretty(&ReportV1::new(scan)).expect("report serializes");
    out.push('\n');
    out
}

/// `nhiscan rules --format json`: every rule with id, severity, summary, remediation and docs URL.
pub fn rules() -> String {
    let list: Vec<_> = crate::rules::registry()
        .iter()
        .map(|r| {
            let m = r.meta();
            serde_json::json!({
                "id": m.id,
                "severity": m.severity,
                "summary": m.summary,
                "remediation": m.remediation,
                "help_uri": m.help_uri(),
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).expect("rules serialize");
    out.push('\n');
    out
}
