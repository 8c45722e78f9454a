//! Output formats, one module each. Every format is a free function from a
//! [`View`] of a finished [`Scan`] to text; the large ones (json, sarif)
//! stream to a writer.
//!
//! A [`View`] is what a renderer sees: the scan, the rules it was evaluated
//! with, the baseline marks (with `--baseline`) and the `--min-severity`
//! cut. Nothing of that is stored in the scan's findings: it is joined here,
//! at render time, so one scan can be rendered many ways.

pub mod cells;
pub mod csv;
pub mod csv_findings;
pub mod filter;
pub mod github;
pub mod html;
pub mod inventory;
pub mod json;
pub mod markdown;
pub mod ndjson;
pub mod paint;
pub mod sarif;
pub mod table;
#[cfg(test)]
pub(crate) mod test_support;
pub mod xlsx;

use std::io::Write;
use std::path::Path;

use crate::baseline::{Counts, Entry, Marks, State};
use crate::config::Loaded;
use crate::error::Error;
use crate::model::{Credential, Identity, Inventory, Item, Severity, Source, Status};
use crate::rules::{Finding, Rule};
use crate::scan::Scan;
use crate::util::atomic;
use crate::wire::v1::Summary;
pub use filter::Filter;
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
    /// One self-contained, offline HTML page: charts and an inventory explorer.
    Html,
    /// One CSV row per finding, for triage (`csv` has one row per item).
    CsvFindings,
    /// GitHub Actions workflow commands: findings as annotations on the run.
    Github,
    /// One compact JSON object per line (sources, identities, rules, findings), for log pipelines.
    Ndjson,
    /// An Excel workbook (Inventory, Findings and Sources sheets, typed cells); binary, so for a file.
    Xlsx,
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
    /// Items and findings left out by `--provider`, `--kind`, `--rule`, ...
    pub filter: Option<&'a Filter>,
    /// The most results a SARIF run keeps (`--sarif-max-results`).
    pub sarif_max_results: usize,
    /// The config the scan was evaluated with, for rules' effective severities.
    pub config: Option<&'a Loaded>,
    /// The table shows the inventory, one row per item (`--view inventory`).
    pub inventory_table: bool,
}

impl<'a> View<'a> {
    /// Every finding of `scan`, no baseline, evaluated with `rules`.
    pub fn new(scan: &'a Scan, rules: &'a [&'a dyn Rule]) -> Self {
        View {
            scan,
            rules,
            baseline: None,
            min_severity: None,
            filter: None,
            sarif_max_results: sarif::MAX_RESULTS,
            config: None,
            inventory_table: false,
        }
    }

    /// The same view, its table showing the inventory rather than the findings.
    pub fn with_inventory_table(mut self, on: bool) -> Self {
        self.inventory_table = on;
        self
    }

    /// The same view, with the config the scan was evaluated with.
    pub fn with_config(mut self, config: &'a Loaded) -> Self {
        self.config = Some(config);
        self
    }

    /// A rule's severity after any `[rules.<id>] severity` override: from
    /// the config when the view has it, else from a finding of the rule.
    pub fn rule_severity(&self, rule: &dyn Rule) -> Severity {
        let m = rule.meta();
        match self.config {
            Some(c) => c.severity(m.id, m.severity),
            None => self
                .scan
                .evaluation
                .findings
                .iter()
                .find(|f| f.rule_id() == m.id)
                .map_or(m.severity, |f| f.severity),
        }
    }

    /// The same view, showing only what `filter` lets through.
    pub fn with_filter(mut self, filter: Option<&'a Filter>) -> Self {
        self.filter = filter.filter(|f| f.is_active());
        self
    }

    /// The same view, keeping at most `max` SARIF results.
    pub fn with_sarif_max_results(mut self, max: usize) -> Self {
        self.sarif_max_results = max;
        self
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

    /// The item finding `f` is on, when the inventory has it.
    pub fn item_of(&self, f: &Finding) -> Option<&'a Item> {
        let identity = self.inventory().get(&f.identity_id)?;
        match &f.credential_id {
            None => Some(&identity.item),
            Some(cid) => identity
                .credentials
                .iter()
                .find(|c| &c.item.id == cid)
                .map(|c| &c.item),
        }
    }

    /// Whether `f` passes the filters (whatever `--min-severity` says).
    pub fn passes(&self, f: &Finding) -> bool {
        self.filter
            .is_none_or(|filter| filter.finding_passes(f, self.item_of(f)))
    }

    /// Whether `f` is shown: it passes the filters and is at or above `--min-severity`.
    pub fn shows(&self, f: &Finding) -> bool {
        self.min_severity.is_none_or(|min| f.severity >= min) && self.passes(f)
    }

    /// The identities listed: each that passes the filters or holds a
    /// credential that does (see [`View::credentials`]).
    pub fn identities(&self) -> impl Iterator<Item = &'a Identity> + 'a {
        let filter = self.filter;
        self.inventory()
            .identities()
            .filter(move |i| filter.is_none_or(|f| f.identity_passes(i)))
    }

    /// The credentials of `identity` listed: those that pass the filters.
    pub fn credentials(&self, identity: &'a Identity) -> impl Iterator<Item = &'a Credential> + 'a {
        let filter = self.filter;
        identity
            .credentials
            .iter()
            .filter(move |c| filter.is_none_or(|f| f.item_passes(&c.item)))
    }

    /// Whether `identity` is listed only as the holder of a listed
    /// credential, not because it passes the filters itself.
    pub fn holder_only(&self, identity: &Identity) -> bool {
        self.filter.is_some_and(|f| !f.item_passes(&identity.item))
    }

    /// Items (identities and credentials) the filters leave out. A holder
    /// listed only for its credentials counts as left out.
    pub fn filtered_items(&self) -> usize {
        let Some(filter) = self.filter else { return 0 };
        self.inventory()
            .identities()
            .map(|i| {
                usize::from(!filter.item_passes(&i.item))
                    + i.credentials
                        .iter()
                        .filter(|c| !filter.item_passes(&c.item))
                        .count()
            })
            .sum()
    }

    /// Findings the filters leave out.
    pub fn filtered_findings(&self) -> usize {
        if self.filter.is_none() {
            return 0;
        }
        self.scan
            .evaluation
            .findings
            .iter()
            .filter(|f| !self.passes(f))
            .count()
    }

    /// The exit code: 3 if a source is incomplete, else 1 if a finding that
    /// passes the filters and is not baselined is at or above `fail_on`,
    /// else 0. `--min-severity` does not change it; the filters do.
    pub fn exit_code(&self, fail_on: Option<Severity>) -> u8 {
        use crate::scan::exit;
        let fails = |t: Severity| {
            self.scan.evaluation.findings.iter().any(|f| {
                f.severity >= t && self.state(f) != Some(State::Baselined) && self.passes(f)
            })
        };
        if self.inventory().is_partial() {
            exit::PARTIAL
        } else if fail_on.is_some_and(fails) {
            exit::FINDINGS
        } else {
            exit::OK
        }
    }

    /// Whether nothing at all was read: every source failed or was skipped.
    pub fn nothing_scanned(&self) -> bool {
        !self.sources().iter().any(|s| {
            matches!(
                s.status,
                crate::model::SourceStatus::Ok | crate::model::SourceStatus::Partial
            )
        })
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

    /// How many findings that pass the filters `--min-severity` hides.
    pub fn hidden(&self) -> usize {
        let passing = self
            .scan
            .evaluation
            .findings
            .iter()
            .filter(|f| self.passes(f))
            .count();
        passing - self.findings().count()
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
        let view = *self;
        let ai: Vec<&Item> = self
            .identities()
            .flat_map(|i| {
                let own = (i.item.ai && !view.holder_only(i)).then_some(&i.item);
                let held = view
                    .credentials(i)
                    .filter(|c| c.item.ai && !i.item.ai)
                    .map(|c| &c.item);
                own.into_iter().chain(held)
            })
            .collect();
        let listed = || self.identities().filter(|i| !view.holder_only(i));
        Summary {
            identities: listed().count(),
            non_human: listed().filter(|i| !i.item.human).count(),
            credentials: self.identities().map(|i| view.credentials(i).count()).sum(),
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
            filtered_items: self.filtered_items(),
            filtered_findings: self.filtered_findings(),
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
        Format::Table if view.inventory_table => {
            w.write_all(inventory::render_painted(view, paint).as_bytes())
        }
        Format::Table => w.write_all(table::render_painted(view, paint).as_bytes()),
        Format::Json => json::write(view, w),
        Format::Csv => w.write_all(csv::render(view).as_bytes()),
        Format::Sarif => sarif::write(view, w),
        Format::Markdown => w.write_all(markdown::render(view).as_bytes()),
        Format::Html => html::write(view, w),
        Format::CsvFindings => w.write_all(csv_findings::render(view).as_bytes()),
        Format::Github => github::write(view, w),
        Format::Ndjson => ndjson::write(view, w),
        Format::Xlsx => xlsx::write(view, w),
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
