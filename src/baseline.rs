//! Baselines: the findings a team has accepted for now, so that CI fails on
//! new risk only.
//!
//! `--write-baseline FILE` records every current finding
//! ([`Baseline::from_findings`]). `--baseline FILE` marks each finding
//! [`State::New`] or [`State::Baselined`], and lists the baselined findings
//! that no longer occur as resolved ([`Baseline::marks`]). The marks are
//! joined with the findings when a report is rendered; findings themselves
//! never carry them. Findings match by
//! fingerprint, which depends only on the rule, the identity and the
//! credential, so a baseline holds across days and when unrelated identities
//! come and go.
//!
//! The file is small, sorted, pretty JSON, meant to be committed:
//!
//! ```json
//! {
//!   "nhiscan_baseline": 1,
//!   "findings": [
//!     {
//!       "fingerprint": "6f0c…",
//!       "rule_id": "unused-credential",
//!       "identity_id": "arn:aws:iam::123456789012:user/ci/deployer",
//!       "credential_id": "arn:aws:iam::123456789012:user/ci/deployer/access-key/1",
//!       "first_seen": "2026-11-01"
//!     }
//!   ]
//! }
//! ```

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{json_error, Error};
use crate::rules::Finding;
use crate::util::atomic;

/// The file format version this module writes and reads.
pub const VERSION: u32 = 1;

/// Whether a finding was in the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Not in the baseline: counts towards `--fail-on`.
    New,
    /// In the baseline: reported, but does not fail the build.
    Baselined,
}

impl State {
    /// `new` or `baselined`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Baselined => "baselined",
        }
    }
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Always [`VERSION`]; also tells a baseline from other JSON.
    pub nhiscan_baseline: u32,
    /// Sorted by identity, credential and rule.
    pub findings: Vec<Entry>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule_id: String,
    pub identity_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    /// The (UTC) day of the scan that first recorded the finding.
    pub first_seen: Date,
}

/// Findings counted against a baseline (see [`Marks::counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub new: usize,
    pub baselined: usize,
    pub resolved: usize,
}

/// A baseline compared with today's findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    accepted: HashSet<String>,
    /// Baselined findings that no longer occur.
    pub resolved: Vec<Entry>,
}

impl Marks {
    /// Whether a finding is new or was accepted in the baseline.
    pub fn state(&self, finding: &Finding) -> State {
        if self.accepted.contains(&finding.fingerprint) {
            State::Baselined
        } else {
            State::New
        }
    }

    /// New, baselined and resolved counts over `findings`.
    pub fn counts<'a>(&self, findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let (mut new, mut baselined) = (0, 0);
        for f in findings {
            match self.state(f) {
                State::New => new += 1,
                State::Baselined => baselined += 1,
            }
        }
        Counts {
            new,
            baselined,
            resolved: self.resolved.len(),
        }
    }
}

impl Baseline {
    /// Reads a baseline file. A missing or malformed file is an input error.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::input(path, format!("cannot read baseline: {e}")))?;
        Self::parse(path, &text)
    }

    /// Reads a baseline file if there is one at `path`.
    pub fn load_if_exists(path: &Path) -> Result<Option<Self>, Error> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(path, &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::input(path, format!("cannot read baseline: {e}"))),
        }
    }

    /// Parses a baseline; `path` names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Self, Error> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            if text.trim_start().starts_with(['{', '[']) {
                json_error(path, &e)
            } else {
                Error::input(
                    path,
                    "this is not a baseline (not JSON); a baseline is the JSON file                      `nhiscan scan ... --write-baseline FILE` writes. --write-baseline                      replaces only a baseline: choose another path or remove this file",
                )
            }
        })?;
        let version = value.get("nhiscan_baseline").and_then(|v| v.as_u64());
        if version != Some(u64::from(VERSION)) {
            let message = if value.get("schema_version").is_some() {
                "this is an nhiscan scan report, not a baseline; write one with \
                 `nhiscan scan ... --write-baseline FILE`"
                    .to_string()
            } else if let Some(v) = version {
                format!("baseline version {v} is not supported; this build reads version {VERSION}")
            } else {
                "not an nhiscan baseline (no \"nhiscan_baseline\" version); write one with \
                 `nhiscan scan ... --write-baseline FILE`"
                    .to_string()
            };
            return Err(Error::input(path, message));
        }
        serde_json::from_str(text).map_err(|e| json_error(path, &e))
    }

    /// A baseline of every finding. A finding already in `earlier` keeps its
    /// `first_seen` day; the others are first seen on `now`'s (UTC) day.
    pub fn from_findings(findings: &[Finding], now: Timestamp, earlier: Option<&Baseline>) -> Self {
        let known: BTreeMap<&str, Date> = earlier
            .map(|b| {
                b.findings
                    .iter()
                    .map(|e| (e.fingerprint.as_str(), e.first_seen))
                    .collect()
            })
            .unwrap_or_default();
        let today = now.to_zoned(TimeZone::UTC).date();
        let mut seen = HashSet::new();
        let mut entries: Vec<Entry> = findings
            .iter()
            .filter(|f| seen.insert(f.fingerprint.as_str()))
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                rule_id: f.rule.id.to_string(),
                identity_id: f.identity_id.clone(),
                credential_id: f.credential_id.clone(),
                first_seen: known.get(f.fingerprint.as_str()).copied().unwrap_or(today),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.identity_id, &a.credential_id, &a.rule_id).cmp(&(
                &b.identity_id,
                &b.credential_id,
                &b.rule_id,
            ))
        });
        Baseline {
            nhiscan_baseline: VERSION,
            findings: entries,
        }
    }

    /// Compares with today's findings: which are baselined, and which
    /// baselined findings no longer occur.
    pub fn marks(&self, findings: &[Finding]) -> Marks {
        let accepted: HashSet<String> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.clone())
            .collect();
        let current: HashSet<&str> = findings.iter().map(|f| f.fingerprint.as_str()).collect();
        let resolved = self
            .findings
            .iter()
            .filter(|e| !current.contains(e.fingerprint.as_str()))
            .cloned()
            .collect();
        Marks { accepted, resolved }
    }

    pub fn render(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("a baseline serializes");
        out.push('\n');
        out
    }

    /// Writes the file atomically.
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        atomic::write_file(path, |w| w.write_all(self.render().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::{self, KEY1, ROLE};

    #[test]
    fn a_written_baseline_reads_back_sorted_and_dated_by_the_scan() {
        let scan = test_support::scan();
        let baseline = Baseline::from_findings(&scan.evaluation.findings, scan.now, None);
        assert_eq!(baseline.findings.len(), scan.evaluation.findings.len());
        let keys: Vec<_> = baseline
            .findings
            .iter()
            .map(|e| (&e.identity_id, &e.credential_id, &e.rule_id))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert!(baseline
            .findings
            .iter()
            .all(|e| e.first_seen.to_string() == "2026-03-01"));
        let text = baseline.render();
        assert_eq!(
            Baseline::parse(Path::new("b.json"), &text).unwrap(),
            baseline
        );
        // Identity findings carry no credential_id key at all.
        let role = text.find(ROLE).unwrap();
        assert!(!text[role..]
            .split('}')
            .next()
            .unwrap()
            .contains("credential_id"));
    }

    #[test]
    fn first_seen_survives_a_rewrite() {
        let scan = test_support::scan();
        let mut earlier = Baseline::from_findings(&scan.evaluation.findings, scan.now, None);
        let old: Date = "2025-01-02".parse().unwrap();
        earlier.findings[0].first_seen = old;
        let kept = earlier.findings[0].fingerprint.clone();
        let again = Baseline::from_findings(&scan.evaluation.findings, scan.now, Some(&earlier));
        for e in &again.findings {
            let want = if e.fingerprint == kept {
                old
            } else {
                "2026-03-01".parse().unwrap()
            };
            assert_eq!(e.first_seen, want, "{}", e.rule_id);
        }
    }

    #[test]
    fn marks_tell_new_from_baselined_and_list_what_is_gone() {
        let scan = test_support::scan();
        let mut baseline = Baseline::from_findings(&scan.evaluation.findings, scan.now, None);
        // Forget one finding on key 1, and accept one that no longer occurs.
        baseline.findings.retain(|e| {
            !(e.credential_id.as_deref() == Some(KEY1) && e.rule_id == "unused-credential")
        });
        let gone = Entry {
            fingerprint: "0".repeat(32),
            rule_id: "never-used".into(),
            identity_id: ROLE.into(),
            credential_id: None,
            first_seen: "2026-01-01".parse().unwrap(),
        };
        baseline.findings.push(gone.clone());
        let marks = baseline.marks(&scan.evaluation.findings);
        for f in &scan.evaluation.findings {
            let want = if f.rule_id() == "unused-credential" {
                State::New
            } else {
                State::Baselined
            };
            assert_eq!(marks.state(f), want, "{}", f.rule_id());
        }
        assert_eq!(marks.resolved, vec![gone]);
        let counts = marks.counts(&scan.evaluation.findings);
        assert_eq!((counts.new, counts.resolved), (1, 1));
        assert_eq!(counts.baselined, scan.evaluation.findings.len() - 1);
    }

    #[test]
    fn other_json_is_refused_with_a_reason() {
        let p = Path::new("x.json");
        let err = |text: &str| Baseline::parse(p, text).unwrap_err().to_string();
        assert!(err(r#"{"schema_version":1}"#).contains("scan report, not a baseline"));
        assert!(err(r#"{"nhiscan_baseline":2,"findings":[]}"#).contains("version 2"));
        assert!(err(r#"{"findings":[]}"#).contains("not an nhiscan baseline"));
        let e = err("{\"nhiscan_baseline\":1,\n\"findings\":[{\"fingerprint\":1}]}");
        assert!(e.starts_with("x.json:2:"), "{e}");
        let e = err("{\"nhiscan_baseline\":1,\"findings\":[],\n\"extra\":true}");
        assert!(e.contains("unknown field"), "{e}");
    }
}
