//! `--format json`: the frozen v1 schema of [`crate::wire::v1`].
//!
//! [`wire::v1::Report`] is the public contract and the reading side (see
//! `providers::saved`). This module writes the same fields from a [`View`],
//! converting each identity as it is written rather than copying the whole
//! inventory first; `writer_and_reader_agree` keeps the two in step.

use jiff::Timestamp;
use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::View;
use crate::baseline::Entry;
use crate::rules::Rule;
use crate::wire::v1::{self, Summary, Tool, SCHEMA_VERSION};

/// The writing side of [`v1::Report`]: the same fields in the same order,
/// identities and findings converted as they are serialized.
#[derive(serde::Serialize)]
struct ReportRef<'a> {
    schema_version: u32,
    tool: Tool,
    #[serde(with = "v1::rfc3339")]
    now: Timestamp,
    sources: Vec<v1::Source>,
    identities: Identities<'a>,
    findings: Findings<'a>,
    warnings: &'a [String],
    summary: Summary,
    resolved: &'a [Entry],
}

/// The inventory's identities, each converted to [`v1::Identity`] when written.
struct Identities<'a>(&'a View<'a>);

impl Serialize for Identities<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let mut seq = s.serialize_seq(None)?;
        for i in view.identities() {
            seq.serialize_element(&identity(view, i))?;
        }
        seq.end()
    }
}

/// The shown findings, each with its baseline state.
struct Findings<'a>(&'a View<'a>);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_seq(view.findings().map(|f| v1::Finding::new(f, view.state(f))))
    }
}

impl<'a> ReportRef<'a> {
    fn new(view: &'a View<'a>) -> Self {
        ReportRef {
            schema_version: SCHEMA_VERSION,
            tool: Tool::this(),
            now: view.now(),
            sources: view.sources().iter().map(v1::Source::from).collect(),
            identities: Identities(view),
            findings: Findings(view),
            warnings: view.warnings(),
            summary: view.summary(),
            resolved: view.resolved(),
        }
    }
}

/// Writes pretty JSON with a trailing newline, without building it in memory first.
pub fn write(view: &View, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &ReportRef::new(view))?;
    w.write_all(b"\n")
}

/// Renders the view to a string (see [`write`]).
pub fn render(view: &View) -> String {
    let mut out = Vec::new();
    write(view, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// The whole report as the wire type, built in memory (see [`write`] to stream it).
pub fn report(view: &View) -> v1::Report {
    v1::Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        now: view.now(),
        sources: view.sources().iter().map(v1::Source::from).collect(),
        identities: view.identities().map(|i| identity(view, i)).collect(),
        findings: view
            .findings()
            .map(|f| v1::Finding::new(f, view.state(f)))
            .collect(),
        warnings: view.warnings().to_vec(),
        summary: view.summary(),
        resolved: view.resolved().to_vec(),
    }
}

/// One identity as the report writes it: dated against the scan's clock,
/// with the credentials the view lists.
fn identity(view: &View, i: &crate::model::Identity) -> v1::Identity {
    let listed: std::collections::HashSet<&str> =
        view.credentials(i).map(|c| c.item.id.as_str()).collect();
    v1::Identity::at(i, view.now(), |c| listed.contains(c.item.id.as_str()))
}

/// `nhiscan rules --format json`: each of `rules` with id, severity, summary,
/// remediation, docs URL and the OWASP NHI risk it covers.
pub fn rules(rules: &[&dyn Rule]) -> String {
    let list: Vec<_> = rules
        .iter()
        .map(|r| {
            let m = r.meta();
            serde_json::json!({
                "id": m.id,
                "severity": m.severity,
                "summary": m.summary,
                "remediation": m.remediation,
                "help_uri": m.help_uri(),
                "owasp": m.owasp.id(),
                "tags": [m.owasp.tag()],
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
    use crate::baseline::{Baseline, State};
    use crate::model::Severity;
    use crate::report::test_support::{self, KEY1};

    #[test]
    fn writer_and_reader_agree() {
        let scan = test_support::scan();
        let view = test_support::view(&scan);
        let written = render(&view);
        let read: v1::Report =
            serde_json::from_str(&written).expect("the reader reads what the writer writes");
        let rewritten = serde_json::to_string_pretty(&read).unwrap() + "\n";
        assert_eq!(
            written, rewritten,
            "v1::Report and ReportRef have drifted apart"
        );
        let built = serde_json::to_string_pretty(&report(&view)).unwrap() + "\n";
        assert_eq!(written, built, "streamed and built reports differ");
        assert_eq!(read.identities.len(), scan.inventory.identities().len());
        assert_eq!(read.findings.len(), scan.evaluation.findings.len());
        for (w, f) in read.findings.iter().zip(&scan.evaluation.findings) {
            assert_eq!(*w, v1::Finding::new(f, None));
        }
        assert_eq!(read.summary, view.summary());
        assert_eq!(read.warnings, scan.evaluation.warnings);
        assert!(read.resolved.is_empty());
    }

    #[test]
    fn identities_carry_their_credentials_and_verdicts() {
        let scan = test_support::scan();
        let v: serde_json::Value =
            serde_json::from_str(&render(&test_support::view(&scan))).unwrap();
        let ids: Vec<&str> = v["identities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                test_support::ROLE,
                test_support::ROOT,
                test_support::DEPLOYER
            ]
        );
        let deployer = &v["identities"][2];
        assert_eq!(deployer["provider"], test_support::PROVIDER);
        assert_eq!(deployer["kind"], "user");
        assert_eq!(deployer["owner"]["name"], "release-team");
        assert_eq!(deployer["privilege"]["level"], "admin");
        let key = &deployer["credentials"][0];
        assert_eq!(key["id"], KEY1);
        assert_eq!(key["parent_id"], test_support::DEPLOYER);
        assert_eq!(key["native_id"], "EXAMPLEKEY1");
        assert_eq!(key["usage"], "used");
        assert_eq!(v["sources"][1]["status"], "failed");
        assert_eq!(v["schema_version"], 1);
    }

    #[test]
    fn baseline_states_hidden_findings_and_resolved_entries() {
        let scan = test_support::scan();
        let findings = &scan.evaluation.findings;
        let mut baseline = Baseline::from_findings(findings, scan.now, None);
        baseline
            .findings
            .retain(|e| e.credential_id.as_deref() != Some(KEY1));
        let mut gone = baseline.findings[0].clone();
        gone.fingerprint = "f".repeat(32);
        baseline.findings.push(gone.clone());
        let marks = baseline.marks(findings);
        let view = test_support::view(&scan)
            .with_baseline(Some(&marks))
            .with_min_severity(Some(Severity::Medium));
        let read: v1::Report = serde_json::from_str(&render(&view)).unwrap();
        assert!(read.findings.iter().all(|f| f.severity >= Severity::Medium));
        let hidden = findings.len() - read.findings.len();
        assert!(hidden > 0);
        assert_eq!(read.summary.hidden, hidden);
        assert_eq!(read.summary.findings, read.findings.len());
        for f in &read.findings {
            let want = if f.credential_id.as_deref() == Some(KEY1) {
                State::New
            } else {
                State::Baselined
            };
            assert_eq!(f.baseline, Some(want), "{}", f.rule_id);
        }
        assert_eq!(read.resolved, [gone]);
    }

    #[test]
    fn rules_list_each_rule_with_its_owasp_risk() {
        let list: serde_json::Value = serde_json::from_str(&rules(test_support::rules())).unwrap();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), test_support::rules().len());
        for (entry, r) in list.iter().zip(test_support::rules()) {
            let m = r.meta();
            assert_eq!(entry["id"], m.id);
            assert_eq!(entry["help_uri"], m.help_uri());
            assert_eq!(entry["owasp"], m.owasp.id());
            assert_eq!(entry["tags"], serde_json::json!([m.owasp.tag()]));
        }
        let unrotated = list
            .iter()
            .find(|e| e["id"] == "unrotated-credential")
            .unwrap();
        assert_eq!(unrotated["owasp"], "NHI7");
        assert_eq!(unrotated["tags"], serde_json::json!(["owasp-nhi:NHI7"]));
        assert_eq!(unrotated["severity"], "medium");
    }
}
