//! `--format csv-findings`: one RFC 4180 row per shown finding, for triage
//! in a spreadsheet (the `csv` format has one row per item).
//!
//! The columns in [`COLUMNS`] are a stable contract: new ones are only ever
//! appended. Rows come in the scan's order (severity first), end in CRLF,
//! and text cells a spreadsheet would run as a formula get a leading `'`,
//! as in the `csv` format.

use super::cells::Cell;
use super::table::item_name;
use super::View;
use crate::baseline::State;

/// The header, in order.
pub const COLUMNS: [&str; 12] = [
    "severity",
    "rule_id",
    "provider",
    "scope",
    "item",
    "identity_id",
    "credential_id",
    "owner",
    "message",
    "fingerprint",
    "baseline",
    "help_uri",
];

/// Renders the view's findings.
pub fn render(view: &View) -> String {
    super::cells::write_csv(&COLUMNS, |emit| for_each_row(view, emit))
}

/// Calls `emit` with each shown finding's row, in [`COLUMNS`] order (the
/// `xlsx` Findings sheet too).
pub(crate) fn for_each_row(view: &View, emit: &mut dyn FnMut(&[Cell])) {
    for f in view.findings() {
        let item = item_name(view.inventory(), &f.identity_id, f.credential_id.as_deref());
        let owner = view
            .item_of(f)
            .and_then(|i| i.owner.as_ref())
            .map_or(String::new(), |o| o.name.clone());
        emit(&[
            Cell::word(f.severity),
            Cell::text(f.rule_id()),
            Cell::text(f.provider),
            Cell::text(&f.scope),
            Cell::text(item),
            Cell::text(&f.identity_id),
            Cell::text(f.credential_id.as_deref().unwrap_or("")),
            Cell::text(owner),
            Cell::text(&f.message),
            Cell::word(&f.fingerprint),
            Cell::word(view.state(f).map_or("", State::as_str)),
            Cell::word(f.rule.help_uri()),
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::Baseline;
    use crate::report::test_support;

    #[test]
    fn one_row_per_finding_with_its_baseline_state() {
        let scan = test_support::scan();
        let findings = &scan.evaluation.findings;
        let mut baseline = Baseline::from_findings(findings, scan.now, None);
        baseline.findings.retain(|e| e.rule_id != "missing-owner");
        let marks = baseline.marks(findings);
        let out = render(&test_support::view(&scan).with_baseline(Some(&marks)));
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            COLUMNS
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), findings.len());
        for (row, f) in rows.iter().zip(findings) {
            assert_eq!(&row[0], f.severity.to_string());
            assert_eq!(&row[1], f.rule_id());
            assert_eq!(&row[9], f.fingerprint);
            let want = if f.rule_id() == "missing-owner" {
                "new"
            } else {
                "baselined"
            };
            assert_eq!(&row[10], want);
        }
        assert!(out.contains("\r\n"));
    }
}
