//! Output formats, one module each. Every format is a free function from a
//! [`View`] of a finished [`Scan`] to text; the large ones (json, sarif)
//! stream to a writer.
//!
//! A [`View`] is what a renderer sees: the scan, the rules it was evaluated
//! with, the baseline marks (with `--baseline`) and the `--min-severity`
//! cut. Nothing of that is stored in the scan's findings: it is joined here,
//! at render time, so one scan can be rendered many ways.

pub mod csv;
pub mod json;
pub mod markdown;
pub mod ndjson;
pub mod paint;
pub mod sarif;
pub mod table;
#[cfg(test)]
pub(crate) mod test_support;
pub mod wire_ref;

use std::io::Write;
use std::path::Path;

use crate::baseline::{Counts, Entry, Marks, State};
use crate::error::Error;
use crate::model::{Inventory, Item, Severity, Source, Status};
use crate::rules::{Finding, Rule};
use crate::scan::Scan;
use crate::util::atomic;
use crate::wire::v1::Summary;
pub use paint::Paint;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Sarif,
    /// A compact summary for `$GITHUB_STEP_SUMMARY` or a merge-request comment.
    Markdown,
    /// One compact JSON object per line (sources, identities, rules, findings), for log pipelines.
    Ndjson,
}

/// A finished scan as the renderers see it.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub scan: &'a Scan,
    /// Every rule the scan could have run, in listing order (SARIF's
    /// `tool.driver.rules` and its `ruleIndex` follow it).
    pub rules: &'a [&'a dyn Rule],
    /// The baseline compared with the scan's findings (`--baseline`).
    pub baseline: Option<&'a Marks>,
    /// Findings below it are left out and counted as hidden (`--min-severity`).
    pub min_severity: Option<Severity>,
}

impl<'a> View<'a> {
    /// Every finding of `scan`, no baseline, evaluated with `rules`.
    pub fn new(scan: &'a Scan, rules: &'a [&'a dyn Rule]) -> Self {
        View {
            scan,
            rules,
            baseline: None,
            min_severity: None,
        }
    }

    /// The same view, compared with a baseline's marks.
    pub fn with_baseline(mut self, marks: Option<&'a Marks>) -> Self {
        self.baseline = marks;
        self
    }

    /// The same view, hiding findings below `min`.
    pub fn with_min_severity(mut self, min: Option<Severity>) -> Self {
        self.min_severity = min;
        self
    }

    /// The scan's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.scan.now
    }

    pub fn inventory(&self) -> &'a Inventory {
        &self.scan.inventory
    }

    pub fn sources(&self) -> &'a [Source] {
        &self.scan.inventory.sources
    }

    /// Expired and unmatched suppressions.
    pub fn warnings(&self) -> &'a [String] {
        &self.scan.evaluation.warnings
    }

    /// Whether `f` is shown (at or above `--min-severity`).
    pub fn shows(&self, f: &Finding) -> bool {
        self.min_severity.is_none_or(|min| f.severity >= min)
    }

    /// The findings shown, in the scan's order (severity first).
    pub fn findings(&self) -> impl Iterator<Item = &'a Finding> + Clone + 'a {
        let view = *self;
        self.scan
            .evaluation
            .findings
            .iter()
            .filter(move |f| view.shows(f))
    }

    /// How many findings `--min-severity` hides.
    pub fn hidden(&self) -> usize {
        self.scan.evaluation.findings.len() - self.findings().count()
    }

    /// `new` or `baselined` with a baseline; `None` without one.
    pub fn state(&self, f: &Finding) -> Option<State> {
        self.baseline.map(|b| b.state(f))
    }

    /// Baselined findings that no longer occur; empty without a baseline.
    pub fn resolved(&self) -> &'a [Entry] {
        self.baseline.map_or(&[], |b| b.resolved.as_slice())
    }

    /// With a baseline: the shown findings that are new and baselined, and
    /// the baselined ones resolved.
    pub fn baseline_counts(&self) -> Option<Counts> {
        Some(self.baseline?.counts(self.findings()))
    }

    /// Where `f` sits in [`View::rules`].
    pub fn rule_index(&self, f: &Finding) -> Option<usize> {
        self.rules.iter().position(|r| r.meta().id == f.rule_id())
    }

    /// Counts over the inventory and the shown findings.
    pub fn summary(&self) -> Summary {
        let inv = &self.scan.inventory;
        let (mut findings, mut by) = (0, [0usize; 4]);
        for f in self.findings() {
            findings += 1;
            by[f.severity as usize] += 1;
        }
        // AI identities: identities marked AI, plus AI credentials held by a
        // non-AI identity (a person's AI platform key is an AI identity of its own).
        let ai: Vec<&Item> = inv
            .identities()
            .flat_map(|i| {
                let own = i.item.ai.then_some(&i.item);
                let held = i
                    .credentials
                    .iter()
                    .filter(|c| c.item.ai && !i.item.ai)
                    .map(|c| &c.item);
                own.into_iter().chain(held)
            })
            .collect();
        Summary {
            identities: inv.identities().len(),
            non_human: inv.identities().filter(|i| !i.item.human).count(),
            credentials: inv.identities().map(|i| i.credentials.len()).sum(),
            findings,
            critical: by[Severity::Critical as usize],
            high: by[Severity::High as usize],
            medium: by[Severity::Medium as usize],
            low: by[Severity::Low as usize],
            suppressed: self.scan.evaluation.suppressed,
            sources: inv.sources.len(),
            sources_incomplete: inv
                .sources
                .iter()
                .filter(|s| s.status.is_incomplete())
                .count(),
            ai: ai.len(),
            ai_unowned: ai
                .iter()
                .filter(|i| i.status != Status::Expired)
                .filter(|i| i.owner.as_ref().is_none_or(|o| o.departed))
                .count(),
            hidden: self.hidden(),
        }
    }
}

/// Writes a view in one format, without colour.
pub fn write(format: Format, view: &View, w: &mut dyn Write) -> std::io::Result<()> {
    write_painted(format, view, Paint::PLAIN, w)
}

/// Writes a view in one format; the table is coloured when `paint` says so.
pub fn write_painted(
    format: Format,
    view: &View,
    paint: Paint,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Table => w.write_all(table::render_painted(view, paint).as_bytes()),
        Format::Json => json::write(view, w),
        Format::Csv => csv::write(view, w),
        Format::Sarif => sarif::write(view, w),
        Format::Markdown => w.write_all(markdown::render(view).as_bytes()),
        Format::Ndjson => ndjson::write(view, w),
    }
}

/// Writes a view to `path` atomically, without colour (see [`atomic::write_file`]).
pub fn write_atomic(path: &Path, format: Format, view: &View) -> Result<(), Error> {
    atomic::write_file(path, |w| write(format, view, w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::Baseline;
    use crate::model::{Owner, OwnerSource};
    use crate::report::test_support::{self, DEPLOYER, KEY2, ROLE};

    #[test]
    fn min_severity_hides_findings_and_counts_them() {
        let scan = test_support::scan();
        let all = test_support::view(&scan);
        let s = all.summary();
        assert_eq!(s.hidden, 0);
        assert_eq!(s.findings, scan.evaluation.findings.len());
        let high = all.with_min_severity(Some(Severity::High));
        assert!(high.findings().all(|f| f.severity >= Severity::High));
        let s = high.summary();
        assert_eq!((s.findings, s.critical, s.high), (3, 2, 1));
        assert_eq!((s.medium, s.low), (0, 0));
        assert_eq!(s.hidden, scan.evaluation.findings.len() - 3);
        assert_eq!(high.hidden(), s.hidden);
    }

    #[test]
    fn baseline_states_counts_and_resolved_come_from_the_marks() {
        let scan = test_support::scan();
        let view = test_support::view(&scan);
        assert!(view.baseline_counts().is_none());
        assert!(view.resolved().is_empty());
        assert!(view.findings().all(|f| view.state(f).is_none()));

        let findings = &scan.evaluation.findings;
        let mut baseline = Baseline::from_findings(findings, scan.now, None);
        baseline.findings.retain(|e| e.rule_id != "missing-owner");
        let mut gone = baseline.findings[0].clone();
        gone.fingerprint = "0".repeat(32);
        baseline.findings.push(gone.clone());
        let marks = baseline.marks(findings);
        let view = view.with_baseline(Some(&marks));
        for f in view.findings() {
            let want = if f.rule_id() == "missing-owner" {
                State::New
            } else {
                State::Baselined
            };
            assert_eq!(view.state(f), Some(want), "{}", f.rule_id());
        }
        let counts = view.baseline_counts().unwrap();
        assert_eq!(
            (counts.new, counts.baselined, counts.resolved),
            (1, findings.len() - 1, 1)
        );
        assert_eq!(view.resolved(), [gone]);
        // Hidden findings are not counted against the baseline either.
        let low_cut = view.with_min_severity(Some(Severity::Critical));
        let counts = low_cut.baseline_counts().unwrap();
        assert_eq!((counts.new, counts.baselined), (0, 2));
    }

    #[test]
    fn ai_identities_count_ai_holders_and_ai_credentials_of_others() {
        let mut scan = test_support::scan();
        for identity in scan.inventory.identities_mut() {
            if identity.item.id == ROLE {
                // An AI role without an owner: unowned.
                identity.item.ai = true;
            }
            if identity.item.id == DEPLOYER {
                // An AI key of a non-AI identity, owned: counted, not unowned.
                let key = identity
                    .credentials
                    .iter_mut()
                    .find(|c| c.item.id == KEY2)
                    .unwrap();
                key.item.ai = true;
                key.item.owner = Some(Owner {
                    name: "release-team".into(),
                    source: OwnerSource::Holder,
                    evidence: DEPLOYER.into(),
                    departed: false,
                });
            }
        }
        let s = test_support::view(&scan).summary();
        assert_eq!((s.ai, s.ai_unowned), (2, 1));
        assert_eq!((s.identities, s.non_human, s.credentials), (3, 2, 3));
        assert_eq!((s.sources, s.sources_incomplete, s.suppressed), (2, 1, 1));
    }
}
