//! `--format csv-findings`: one RFC 4180 row per shown finding, for triage
//! in a spreadsheet (the `csv` format has one row per item).
//!
//! The columns in [`COLUMNS`] are a stable contract: new ones are only ever
//! appended. Rows come in the scan's order (severity first), end in CRLF,
//! and text cells a spreadsheet would run as a formula get a leading `'`,
//! as in the `csv` format.

use super::csv::text;
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
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(COLUMNS).expect("write to memory");
    for f in view.findings() {
        let item = item_name(view.inventory(), &f.identity_id, f.credential_id.as_deref());
        let owner = view
            .item_of(f)
            .and_then(|i| i.owner.as_ref())
            .map_or(String::new(), |o| o.name.clone());
        let record = [
            f.severity.to_string(),
            text(f.rule_id()),
            text(f.provider),
            text(&f.scope),
            text(&item),
            text(&f.identity_id),
            text(f.credential_id.as_deref().unwrap_or("")),
            text(&owner),
            text(&f.message),
            f.fingerprint.clone(),
            view.state(f).map_or("", State::as_str).to_string(),
            f.rule.help_uri(),
        ];
        out.write_record(&record).expect("write to memory");
    }
    let bytes = out.into_inner().expect("flush to memory");
    String::from_utf8(bytes).expect("cells are UTF-8")
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
