//! The charts' numbers, counted here and drawn in the page by Chart.js.
//!
//! Each [`Chart`] is labels (the x axis) times series (the stacks or
//! groups); the page draws it and prints the same numbers as a table, its
//! text alternative. Counting happens on the Rust side so that every count
//! is plain and testable; the browser only draws.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::model::{Item, LastUsed, PrivilegeLevel, Severity};

use super::super::View;

/// One chart: a bar chart of `series` over `labels`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    /// What the chart shows, in one or two sentences.
    pub caption: String,
    /// What the x axis counts along (`age`, `provider`, ...).
    pub x: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// Stacked bars (otherwise grouped).
    pub stacked: bool,
}

/// One stack or group of a chart.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Series {
    pub label: String,
    pub data: Vec<usize>,
}

/// Credential age buckets: (label, upper bound in days, exclusive).
pub const AGE_BUCKETS: &[(&str, i64)] = &[
    ("under 30 days", 30),
    ("30-89 days", 90),
    ("90-179 days", 180),
    ("180-364 days", 365),
    ("1-2 years", 730),
    ("2 years or more", i64::MAX),
];
/// The bucket for a credential without a creation date.
pub const UNKNOWN: &str = "unknown";
/// Time-since-last-use buckets, then `never used` and `unknown`.
pub const IDLE_BUCKETS: &[(&str, i64)] = &[
    ("under 7 days", 7),
    ("7-29 days", 30),
    ("30-89 days", 90),
    ("90-179 days", 180),
    ("180-364 days", 365),
    ("1 year or more", i64::MAX),
];
pub const NEVER_USED: &str = "never used";
/// Owner coverage stacks.
pub const OWNED: &str = "owned";
pub const DEPARTED: &str = "owner departed";
pub const UNOWNED: &str = "no owner";
/// Privilege levels, most privileged first.
pub const LEVELS: [PrivilegeLevel; 6] = [
    PrivilegeLevel::Admin,
    PrivilegeLevel::Privileged,
    PrivilegeLevel::Write,
    PrivilegeLevel::Read,
    PrivilegeLevel::None,
    PrivilegeLevel::Unknown,
];

/// Whole days from `then` to `now` (negative when `then` is later).
pub fn days(now: Timestamp, then: Timestamp) -> i64 {
    crate::model::time::whole_days_between(then, now)
}

/// The label of the bucket `days` falls into.
fn bucket(buckets: &[(&'static str, i64)], days: i64) -> &'static str {
    buckets
        .iter()
        .find(|(_, below)| days < *below)
        .map_or(UNKNOWN, |(label, _)| label)
}

/// The age bucket of an item.
pub fn age_bucket(now: Timestamp, item: &Item) -> &'static str {
    item.created_at
        .map_or(UNKNOWN, |t| bucket(AGE_BUCKETS, days(now, t).max(0)))
}

/// The last-use bucket of an item.
pub fn idle_bucket(now: Timestamp, item: &Item) -> &'static str {
    match item.last_used {
        LastUsed::At(t) => bucket(IDLE_BUCKETS, days(now, t).max(0)),
        LastUsed::Never => NEVER_USED,
        LastUsed::Unknown => UNKNOWN,
    }
}

/// Whether an item has an owner, a departed one, or none.
pub fn coverage(item: &Item) -> &'static str {
    match &item.owner {
        Some(o) if !o.departed => OWNED,
        Some(_) => DEPARTED,
        None => UNOWNED,
    }
}

/// Counts of `(label, stack)` pairs, laid out as a chart.
struct Grid {
    labels: Vec<String>,
    stacks: Vec<String>,
    counts: BTreeMap<(String, String), usize>,
}

impl Grid {
    fn new(labels: Vec<String>, stacks: Vec<String>) -> Self {
        Grid {
            labels,
            stacks,
            counts: BTreeMap::new(),
        }
    }

    fn add(&mut self, label: &str, stack: &str) {
        *self
            .counts
            .entry((label.to_string(), stack.to_string()))
            .or_default() += 1;
    }

    /// The chart, leaving out stacks that counted nothing.
    fn chart(self, id: &'static str, title: &str, caption: &str, x: &str) -> Chart {
        let series = self
            .stacks
            .iter()
            .map(|s| Series {
                label: s.clone(),
                data: self
                    .labels
                    .iter()
                    .map(|l| {
                        self.counts
                            .get(&(l.clone(), s.clone()))
                            .copied()
                            .unwrap_or(0)
                    })
                    .collect(),
            })
            .filter(|s| s.data.iter().any(|&n| n > 0))
            .collect();
        Chart {
            id,
            title: title.into(),
            caption: caption.into(),
            x: x.into(),
            labels: self.labels,
            series,
            stacked: true,
        }
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn with_unknown(buckets: &[(&str, i64)], extra: &[&str]) -> Vec<String> {
    buckets
        .iter()
        .map(|(l, _)| l.to_string())
        .chain(extra.iter().map(|s| s.to_string()))
        .collect()
}

/// Every chart of a scan, in page order.
pub fn scan_charts(view: &View) -> Vec<Chart> {
    let inv = view.inventory();
    let now = view.now();
    let providers: Vec<String> = {
        let mut p: Vec<String> = inv
            .identities()
            .map(|i| i.item.provider.to_string())
            .collect();
        p.sort();
        p.dedup();
        p
    };
    let credentials = || inv.identities().flat_map(|i| &i.credentials);
    let nhis = || inv.identities().filter(|i| !i.item.human);

    let mut age = Grid::new(with_unknown(AGE_BUCKETS, &[UNKNOWN]), providers.clone());
    for c in credentials() {
        age.add(age_bucket(now, &c.item), c.item.provider);
    }
    let mut idle = Grid::new(
        with_unknown(IDLE_BUCKETS, &[NEVER_USED, UNKNOWN]),
        providers.clone(),
    );
    for c in credentials() {
        idle.add(idle_bucket(now, &c.item), c.item.provider);
    }
    let mut owners = Grid::new(providers.clone(), strings(&[OWNED, DEPARTED, UNOWNED]));
    for i in nhis() {
        owners.add(i.item.provider, coverage(&i.item));
    }
    let mut privilege = Grid::new(
        providers.clone(),
        LEVELS.iter().map(|l| l.to_string()).collect(),
    );
    for i in nhis() {
        privilege.add(i.item.provider, &i.item.privilege.level.to_string());
    }
    let mut rule_ids: Vec<String> = view.findings().map(|f| f.rule_id().to_string()).collect();
    rule_ids.sort();
    rule_ids.dedup();
    let mut findings = Grid::new(
        rule_ids,
        Severity::DESCENDING.iter().map(|s| s.to_string()).collect(),
    );
    for f in view.findings() {
        findings.add(f.rule_id(), f.severity.as_str());
    }

    vec![
        age.chart(
            "credential-age",
            "Credential age",
            "Credentials by time since they were created, stacked by provider. \
             Unknown: the source gave no creation date.",
            "age",
        ),
        idle.chart(
            "last-use",
            "Time since last use",
            "Credentials by time since they were last used, stacked by provider. \
             Never used: the provider says so; unknown: the source does not say.",
            "time since last use",
        ),
        owners.chart(
            "owner-coverage",
            "Owner coverage",
            "Non-human identities by provider: with an owner, with an owner who has left, \
             and with none.",
            "provider",
        ),
        privilege.chart(
            "privilege",
            "Privilege levels",
            "Non-human identities by provider and privilege level. Unknown: no policy data \
             was available.",
            "provider",
        ),
        findings.chart(
            "findings",
            "Findings by rule and severity",
            "Findings shown in this report, by rule, stacked by severity.",
            "rule",
        ),
    ]
}

/// A diff's chart: added and removed, side by side, per kind of item.
pub fn diff_chart(added: [usize; 3], removed: [usize; 3]) -> Chart {
    Chart {
        id: "diff",
        title: "Added and removed".into(),
        caption: "Identities, credentials and findings that joined (added) or left (removed) \
                  between the two scans."
            .into(),
        x: "item".into(),
        labels: strings(&["identities", "credentials", "findings"]),
        series: vec![
            Series {
                label: "added".into(),
                data: added.to_vec(),
            },
            Series {
                label: "removed".into(),
                data: removed.to_vec(),
            },
        ],
        stacked: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;

    fn series<'a>(chart: &'a Chart, label: &str) -> &'a [usize] {
        &chart
            .series
            .iter()
            .find(|s| s.label == label)
            .unwrap_or_else(|| panic!("{} has no series {label}", chart.id))
            .data
    }

    #[test]
    fn buckets_have_closed_lower_and_open_upper_bounds() {
        assert_eq!(bucket(AGE_BUCKETS, 0), "under 30 days");
        assert_eq!(bucket(AGE_BUCKETS, 29), "under 30 days");
        assert_eq!(bucket(AGE_BUCKETS, 30), "30-89 days");
        assert_eq!(bucket(AGE_BUCKETS, 729), "1-2 years");
        assert_eq!(bucket(AGE_BUCKETS, 730), "2 years or more");
        assert_eq!(bucket(IDLE_BUCKETS, 6), "under 7 days");
        assert_eq!(bucket(IDLE_BUCKETS, 365), "1 year or more");
    }

    #[test]
    fn every_credential_and_identity_is_counted_once() {
        let scan = test_support::scan();
        let view = test_support::view(&scan);
        let charts = scan_charts(&view);
        let total = |c: &Chart| -> usize { c.series.iter().flat_map(|s| &s.data).sum() };
        let credentials: usize = scan
            .inventory
            .identities()
            .map(|i| i.credentials.len())
            .sum();
        assert_eq!(total(&charts[0]), credentials);
        assert_eq!(total(&charts[1]), credentials);
        let s = view.summary();
        assert_eq!(total(&charts[2]), s.non_human);
        assert_eq!(total(&charts[3]), s.non_human);
        assert_eq!(total(&charts[4]), s.findings);
        let critical = series(&charts[4], "critical").iter().sum::<usize>();
        assert_eq!(critical, s.critical);
        // Stacks that count nothing are left out.
        assert!(charts
            .iter()
            .all(|c| c.series.iter().all(|s| s.data.iter().any(|&n| n > 0))));
    }
}
