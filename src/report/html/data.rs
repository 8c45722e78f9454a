//! The data a page embeds: one JSON document the page's script reads and
//! renders with `textContent` only.
//!
//! The explorer is generic ([`table`](super::table)): columns, filters and
//! rows, each row with its cell texts, the values its filters match (one or
//! a list), its sort keys and its evidence (label and text pairs). A scan
//! and a diff fill it with different columns; the script knows neither.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::model::{Identity, Item, LastUsed, Severity, SourceStatus};
use crate::rules::Finding;
use crate::wire::v1::{Summary, Tool};

use super::super::View;
use super::charts::{self, Chart};
pub use super::table::{Column, Explorer, Filter, Row};

/// What the page shows, whatever it is of.
#[derive(Serialize)]
pub struct Page<'a> {
    /// `scan` or `diff`.
    pub kind: &'static str,
    pub title: String,
    pub tool: Tool,
    /// Lines under the title (`scan time ...`).
    pub meta: Vec<(String, String)>,
    pub sources: Vec<SourceLine>,
    pub warnings: Vec<String>,
    pub cards: Vec<Card>,
    pub charts: Vec<Chart>,
    pub explorer: Explorer,
    pub rules: Vec<RuleGroup<'a>>,
}

/// A source with its status; the page makes incomplete ones stand out.
#[derive(Serialize)]
pub struct SourceLine {
    pub provider: String,
    pub kind: String,
    pub location: String,
    pub scope: String,
    pub status: String,
    /// Items read; `None` where it means nothing (a diff's two scans).
    pub items: Option<usize>,
    pub error: Option<String>,
    pub incomplete: bool,
}

/// A summary card: a big number and lines under it.
#[derive(Serialize)]
pub struct Card {
    pub title: String,
    pub value: String,
    pub lines: Vec<String>,
    /// Drawn as a warning.
    pub alert: bool,
}

/// One rule's findings, with its docs and remediation.
#[derive(Serialize)]
pub struct RuleGroup<'a> {
    pub id: &'a str,
    pub severity: &'static str,
    pub summary: &'a str,
    pub remediation: &'a str,
    pub docs: &'a str,
    pub help_uri: String,
    pub count: usize,
    /// The first [`FINDINGS_PER_RULE`] findings.
    pub findings: Vec<FindingLine>,
}

#[derive(Serialize)]
pub struct FindingLine {
    pub severity: &'static str,
    pub item: String,
    pub message: String,
    pub remediation: String,
    /// `new` or `baselined`, with a baseline.
    pub state: Option<&'static str>,
}

/// How many findings a rule lists; the explorer filters the rest.
pub const FINDINGS_PER_RULE: usize = 200;

/// A row's sort key for "not known": after every known value.
const LAST: i64 = 1 << 40;

/// Adds a scan's rows, each identity followed by its credentials.
fn scan_rows(view: &View, findings: &BTreeMap<&str, Vec<&Finding>>, ex: &mut Explorer) {
    for identity in view.inventory().identities() {
        scan_row(view, findings, identity, &identity.item, ex);
        for c in &identity.credentials {
            scan_row(view, findings, identity, &c.item, ex);
        }
    }
}

fn scan_row(
    view: &View,
    findings: &BTreeMap<&str, Vec<&Finding>>,
    holder: &Identity,
    item: &Item,
    ex: &mut Explorer,
) {
    let now = view.now();
    let found: &[&Finding] = findings.get(item.id.as_str()).map_or(&[], |v| v);
    let mut rules: Vec<&'static str> = found.iter().map(|f| f.rule_id()).collect();
    rules.sort_unstable();
    rules.dedup();
    let mut severities: Vec<&'static str> = found.iter().map(|f| f.severity.as_str()).collect();
    severities.sort_unstable();
    severities.dedup();
    let worst = found.iter().map(|f| f.severity).max();
    let age = item.created_at.map(|t| charts::days(now, t));
    let (last_use, idle) = match item.last_used {
        LastUsed::At(t) => {
            let d = charts::days(now, t);
            (format!("{d} d ago"), d)
        }
        LastUsed::Never => ("never".into(), LAST - 1),
        LastUsed::Unknown => ("unknown".into(), LAST),
    };
    let privilege = item.privilege.level.to_string();
    let age_text = age.map_or_else(|| "unknown".into(), |d| format!("{d} d"));
    let findings_text = match worst {
        Some(w) => format!("{} ({})", found.len(), w.as_str()),
        None => String::new(),
    };
    let owner: &[&str] = match &item.owner {
        Some(o) if !o.departed => &["present"],
        _ => &["missing"],
    };
    ex.push(Row {
        id: &item.id,
        credential: holder.item.id != item.id,
        cells: &[
            &item.name,
            item.provider,
            item.kind.as_str(),
            item.owner.as_ref().map_or("", |o| o.name.as_str()),
            &privilege,
            &age_text,
            &last_use,
            &findings_text,
        ],
        sort: &[
            ("age", age.unwrap_or(-1)),
            ("last_use", idle),
            (
                "findings",
                (found.len() * 8 + worst.map_or(0, |w| w as usize + 1)) as i64,
            ),
        ],
        filters: &[
            &[item.provider],
            &[item.kind.as_str()],
            owner,
            &[&privilege],
            &[if item.ai { "yes" } else { "no" }],
            &rules,
            &severities,
        ],
        evidence: &evidence(view, holder, item, found),
    });
}

/// The evidence a row opens to: the facts and verdicts behind its cells.
fn evidence(
    view: &View,
    holder: &Identity,
    item: &Item,
    found: &[&Finding],
) -> Vec<(&'static str, Value)> {
    let mut d: Vec<(&'static str, Value)> = vec![("id", item.id.clone().into())];
    if holder.item.id != item.id {
        d.push((
            "held by",
            format!("{} ({})", holder.item.name, holder.item.id).into(),
        ));
    }
    d.push(("scope", item.scope.clone().into()));
    d.push(("status", item.status.to_string().into()));
    if let Some(t) = item.created_at {
        d.push(("created", t.to_string().into()));
    }
    if let Some(t) = item.expires_at {
        d.push(("expires", t.to_string().into()));
    }
    d.push((
        "owner",
        match &item.owner {
            Some(o) => format!(
                "{}{}: from {} ({})",
                o.name,
                if o.departed { " (departed)" } else { "" },
                serde_json::to_value(o.source)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                o.evidence
            ),
            None => "none found (no tag, config mapping, holder or platform owner)".into(),
        }
        .into(),
    ));
    if let Some(c) = &item.creator {
        let member = match c.member {
            Some(true) => "a member",
            Some(false) => "has left",
            None => "membership unknown",
        };
        d.push(("creator", format!("{} ({member})", c.name).into()));
    }
    let mut usage = match item.last_used {
        LastUsed::At(t) => format!("last used {t}"),
        LastUsed::Never => "never used, as the provider reports".into(),
        LastUsed::Unknown => "unknown: the source does not report last use".into(),
    };
    if let Some(details) = &item.details {
        let wire = details.wire();
        for key in ["last_used_service", "last_used_region"] {
            if let Some(Value::String(v)) = wire.get(key) {
                usage.push_str(&format!("; {} {v}", key.replace('_', " ")));
            }
        }
    }
    d.push(("usage", usage.into()));
    let p = &item.privilege;
    d.push(("privilege", p.level.to_string().into()));
    let statements: Vec<Value> = p.evidence.iter().map(|e| e.describe().into()).collect();
    if !statements.is_empty() {
        d.push(("policy statements", Value::Array(statements)));
    }
    let escalations: Vec<Value> = p
        .escalations
        .iter()
        .map(|e| format!("{}: {}", e.path, e.actions.join(", ")).into())
        .collect();
    if !escalations.is_empty() {
        d.push(("escalation paths", Value::Array(escalations)));
    }
    let wildcards: Vec<Value> = p.wildcards.iter().map(|e| e.describe().into()).collect();
    if !wildcards.is_empty() {
        d.push(("wildcards", Value::Array(wildcards)));
    }
    let capped: Vec<Value> = p.capped.iter().map(|e| e.describe().into()).collect();
    if !capped.is_empty() {
        d.push(("capped by boundary or deny", Value::Array(capped)));
    }
    d.push((
        "human",
        format!(
            "{}{}",
            if item.human { "yes" } else { "no" },
            reason(&item.human_reason)
        )
        .into(),
    ));
    d.push((
        "AI",
        format!(
            "{}{}",
            if item.ai { "yes" } else { "no" },
            reason(&item.ai_reason)
        )
        .into(),
    ));
    let list: Vec<Value> = found
        .iter()
        .map(|f| {
            let state = match view.state(f) {
                Some(s) => format!(" [{}]", state_name(s)),
                None => String::new(),
            };
            format!(
                "{} {}{state}: {}",
                f.severity.as_str(),
                f.rule_id(),
                f.message
            )
            .into()
        })
        .collect();
    if !list.is_empty() {
        d.push(("findings", Value::Array(list)));
    }
    d
}

fn reason(r: &str) -> String {
    if r.is_empty() {
        String::new()
    } else {
        format!(" ({r})")
    }
}

fn state_name(s: crate::baseline::State) -> &'static str {
    match s {
        crate::baseline::State::New => "new",
        crate::baseline::State::Baselined => "baselined",
    }
}

/// The page of a scan.
pub fn scan_page<'a>(view: &'a View<'a>) -> Page<'a> {
    let inv = view.inventory();
    let s: Summary = view.summary();
    let mut findings: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in view.findings() {
        let id = f.credential_id.as_deref().unwrap_or(&f.identity_id);
        findings.entry(id).or_default().push(f);
    }

    let mut providers = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut by_provider: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for i in inv.identities() {
        providers.insert(i.item.provider.to_string());
        kinds.insert(i.item.kind.as_str().to_string());
        for c in &i.credentials {
            kinds.insert(c.item.kind.as_str().to_string());
        }
        if !i.item.human {
            let e = by_provider.entry(i.item.provider).or_default();
            e.0 += 1;
            if matches!(&i.item.owner, Some(o) if !o.departed) {
                e.1 += 1;
            }
        }
    }
    let (nhis, owned) = by_provider
        .values()
        .fold((0, 0), |(n, o), (a, b)| (n + a, o + b));

    let mut cards = vec![
        Card {
            title: "Non-human identities".into(),
            value: nhis.to_string(),
            lines: by_provider
                .iter()
                .map(|(p, (n, _))| format!("{p}: {n}"))
                .chain([format!(
                    "{} identities in all, {} credentials",
                    s.identities, s.credentials
                )])
                .collect(),
            alert: false,
        },
        Card {
            title: "With an owner".into(),
            value: (owned * 100)
                .checked_div(nhis)
                .map_or_else(|| "-".into(), |p| format!("{p}%")),
            lines: vec![format!("{owned} of {nhis} non-human identities")],
            alert: owned < nhis,
        },
        Card {
            title: "AI identities".into(),
            value: s.ai.to_string(),
            lines: vec![format!("{} without an owner", s.ai_unowned)],
            alert: s.ai_unowned > 0,
        },
        Card {
            title: "Findings".into(),
            value: s.findings.to_string(),
            lines: vec![
                format!("critical: {}", s.critical),
                format!("high: {}", s.high),
                format!("medium: {}", s.medium),
                format!("low: {}", s.low),
            ]
            .into_iter()
            .chain((s.suppressed > 0).then(|| format!("{} suppressed", s.suppressed)))
            .chain((s.hidden > 0).then(|| format!("{} hidden by --min-severity", s.hidden)))
            .collect(),
            alert: s.critical + s.high > 0,
        },
    ];
    if let Some(b) = view.baseline_counts() {
        cards.push(Card {
            title: "New since the baseline".into(),
            value: b.new.to_string(),
            lines: vec![
                format!("{} baselined", b.baselined),
                format!("{} resolved", b.resolved),
            ],
            alert: b.new > 0,
        });
    }

    let mut rules: Vec<RuleGroup> = Vec::new();
    for r in view.rules {
        let m = r.meta();
        let of: Vec<&Finding> = view.findings().filter(|f| f.rule_id() == m.id).collect();
        if of.is_empty() {
            continue;
        }
        rules.push(RuleGroup {
            id: m.id,
            severity: m.severity.as_str(),
            summary: m.summary,
            remediation: m.remediation,
            docs: m.docs,
            help_uri: m.help_uri(),
            count: of.len(),
            findings: of
                .iter()
                .take(FINDINGS_PER_RULE)
                .map(|f| FindingLine {
                    severity: f.severity.as_str(),
                    item: crate::report::table::item_name(
                        inv,
                        &f.identity_id,
                        f.credential_id.as_deref(),
                    ),
                    message: f.message.clone(),
                    remediation: f.remediation.to_string(),
                    state: view.state(f).map(state_name),
                })
                .collect(),
        });
    }
    let mut rule_ids: Vec<String> = rules.iter().map(|r| r.id.to_string()).collect();
    rule_ids.sort();

    let mut explorer = Explorer::new(
        vec![
            col("name", "Name", false),
            col("provider", "Provider", false),
            col("kind", "Kind", false),
            col("owner", "Owner", false),
            col("privilege", "Privilege", false),
            col("age", "Age", true),
            col("last_use", "Last use", true),
            col("findings", "Findings", true),
        ],
        vec![
            filter("provider", "Provider", providers.into_iter().collect()),
            filter("kind", "Kind", kinds.into_iter().collect()),
            filter("owner", "Owner", vec!["present".into(), "missing".into()]),
            filter(
                "privilege",
                "Privilege",
                charts::LEVELS.iter().map(|l| l.to_string()).collect(),
            ),
            filter("ai", "AI", vec!["yes".into(), "no".into()]),
            filter("rule", "Rule", rule_ids),
            filter(
                "severity",
                "Severity",
                Severity::DESCENDING
                    .iter()
                    .map(|s| s.as_str().to_string())
                    .collect(),
            ),
        ],
    );
    scan_rows(view, &findings, &mut explorer);

    Page {
        kind: "scan",
        title: "nhiscan report".into(),
        tool: Tool::this(),
        meta: vec![
            ("scan time".into(), view.now().to_string()),
            (
                "tool".into(),
                format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            ),
        ],
        sources: view.sources().iter().map(source_line).collect(),
        warnings: view.warnings().to_vec(),
        cards,
        charts: charts::scan_charts(view),
        explorer,
        rules,
    }
}

pub fn col(key: &'static str, label: &'static str, numeric: bool) -> Column {
    Column {
        key,
        label,
        numeric,
    }
}

pub fn filter(key: &'static str, label: &'static str, options: Vec<String>) -> Filter {
    Filter {
        key,
        label,
        options,
    }
}

fn source_line(s: &crate::model::Source) -> SourceLine {
    SourceLine {
        provider: s.provider.to_string(),
        kind: s.kind.clone(),
        location: s.location.clone(),
        scope: s.scope.clone(),
        status: s.status.to_string(),
        items: Some(s.items),
        error: s.error.clone(),
        incomplete: matches!(s.status, SourceStatus::Partial | SourceStatus::Failed),
    }
}
