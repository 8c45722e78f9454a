//! `--format json`: the frozen v1 schema.
//!
//! [`ReportV1`] is the public contract. Fields are only ever added in a new
//! schema version; the `json_v1_is_frozen` test snapshots the field names.
//! nhiscan reads its own v1 output back (see `providers::saved`), so a saved
//! scan can be evaluated again.

use jiff::Timestamp;
use serde::{Deserialize, Serialize, Serializer};

use crate::baseline::Entry;
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
    /// Baselined findings that no longer occur; empty without `--baseline`.
    #[serde(default)]
    pub resolved: Vec<Entry>,
}

/// The tool that wrote the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// The writing side of [`ReportV1`]: the same fields, borrowed from a scan so
/// a large inventory is not copied. `writer_and_reader_agree` keeps the two in step.
#[derive(Serialize)]
struct ReportV1Ref<'a> {
    schema_version: u32,
    tool: Tool,
    now: Timestamp,
    sources: &'a [Source],
    #[serde(serialize_with = "identities")]
    identities: &'a crate::inventory::Inventory,
    findings: &'a [Finding],
    warnings: &'a [String],
    summary: Summary,
    resolved: &'a [Entry],
}

fn identities<S: Serializer>(
    inventory: &&crate::inventory::Inventory,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(inventory.identities())
}

impl<'a> ReportV1Ref<'a> {
    fn new(scan: &'a Scan) -> Self {
        ReportV1Ref {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            now: scan.now,
            sources: &scan.inventory.sources,
            identities: &scan.inventory,
            findings: &scan.evaluation.findings,
            warnings: &scan.evaluation.warnings,
            summary: scan.summary(),
            resolved: scan
                .evaluation
                .baseline
                .as_ref()
                .map_or(&[], |b| b.resolved.as_slice()),
        }
    }
}

/// Writes pretty JSON with a trailing newline, without building it in memory first.
pub fn write(scan: &Scan, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &ReportV1Ref::new(scan))?;
    w.write_all(b"\n")
}

/// Renders the scan to a string (see [`write`]).
pub fn render(scan: &Scan) -> String {
    let mut out = Vec::new();
    write(scan, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("JSON is UTF-8")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;

    #[test]
    fn writer_and_reader_agree() {
        let scan = test_support::scan();
        let written = render(&scan);
        let read: ReportV1 =
            serde_json::from_str(&written).expect("the reader reads what the writer writes");
        let rewritten = serde_json::to_string_pretty(&read).unwrap() + "\n";
        assert_eq!(
            written, rewritten,
            "ReportV1 and ReportV1Ref have drifted apart"
        );
        assert_eq!(read.identities.len(), scan.inventory.identities().len());
        assert_eq!(read.findings, scan.evaluation.findings);
    }
}
