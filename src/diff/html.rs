//! `nhiscan diff --format html`: the diff as the same self-contained page as
//! a scan's ([`crate::report::html`]), with the joiners, movers and leavers
//! as the explorer's rows and a chart of what was added and removed.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::Value;

use super::{CredentialEntry, Diff, ItemRef};
use crate::report::html::charts::diff_chart;
use crate::report::html::data::{col, filter, Card, Explorer, Page, SourceLine};
use crate::report::html::table;
use crate::report::html::write_page;
use crate::wire::v1::Tool;

/// One change, as an explorer row.
struct Row {
    id: String,
    v: Cells,
    f: Filters,
    d: Vec<(&'static str, Value)>,
}

struct Cells {
    change: &'static str,
    name: String,
    provider: String,
    kind: String,
    before: String,
    after: String,
}

struct Filters {
    change: &'static str,
    provider: String,
    kind: String,
}

fn row(change: &'static str, item: &ItemRef, before: String, after: String) -> Row {
    Row {
        id: item.id.clone(),
        v: Cells {
            change,
            name: item.name.clone(),
            provider: item.provider.clone(),
            kind: item.kind.clone(),
            before,
            after,
        },
        f: Filters {
            change,
            provider: item.provider.clone(),
            kind: item.kind.clone(),
        },
        d: vec![
            ("id", item.id.clone().into()),
            ("scope", item.scope.clone().into()),
        ],
    }
}

fn none(o: &Option<String>) -> String {
    o.clone().unwrap_or_else(|| "(none)".into())
}

fn credential(c: &CredentialEntry) -> String {
    let mut text = c.native_id.clone().unwrap_or_else(|| c.item.name.clone());
    if let Some(t) = c.created_at {
        text.push_str(&format!(", created {}", t.strftime("%Y-%m-%d")));
    }
    text.push_str(&format!(", {}", c.status));
    text
}

fn held(mut r: Row, c: &CredentialEntry) -> Row {
    r.d.push((
        "held by",
        format!("{} ({})", c.holder_name, c.holder_id).into(),
    ));
    r
}

/// The explorer's rows: every change, in the table's order.
fn rows(diff: &Diff) -> Vec<Row> {
    let mut out = Vec::new();
    for i in &diff.identities_added {
        let mut r = row("identity added", &i.item, String::new(), none(&i.owner));
        r.d.push(("privilege", i.privilege.to_string().into()));
        out.push(r);
    }
    for i in &diff.identities_removed {
        let mut r = row("identity removed", &i.item, none(&i.owner), String::new());
        r.d.push(("privilege", i.privilege.to_string().into()));
        out.push(r);
    }
    for o in &diff.owners_changed {
        let mut r = row("owner changed", &o.item, none(&o.before), none(&o.after));
        r.d.push(("change", o.change.as_str().into()));
        out.push(r);
    }
    for p in &diff.privilege_changed {
        out.push(row(
            "privilege changed",
            &p.item,
            p.before.to_string(),
            p.after.to_string(),
        ));
    }
    for rot in &diff.credentials_rotated {
        let r = row(
            "credential rotated",
            &rot.after.item,
            credential(&rot.before),
            credential(&rot.after),
        );
        out.push(held(r, &rot.after));
    }
    for c in &diff.credentials_added {
        out.push(held(
            row("credential added", &c.item, String::new(), credential(c)),
            c,
        ));
    }
    for c in &diff.credentials_removed {
        out.push(held(
            row("credential removed", &c.item, credential(c), String::new()),
            c,
        ));
    }
    for (change, list) in [
        ("finding new", &diff.findings_new),
        ("finding resolved", &diff.findings_resolved),
    ] {
        for f in list {
            let item = ItemRef {
                id: f.item_id().to_string(),
                provider: f.provider.clone(),
                scope: f.scope.clone(),
                kind: "finding".into(),
                name: diff.label(f).to_string(),
            };
            let text = format!("{} {}: {}", f.severity, f.rule_id, f.message);
            let (before, after) = if change == "finding new" {
                (String::new(), text.clone())
            } else {
                (text.clone(), String::new())
            };
            let mut r = row(change, &item, before, after);
            r.d.push(("rule", f.rule_id.clone().into()));
            r.d.push(("remediation", f.remediation.clone().into()));
            out.push(r);
        }
    }
    out
}

/// Writes the diff's page.
pub fn write(diff: &Diff, w: &mut dyn Write) -> io::Result<()> {
    let c = diff.counts();
    let rows = rows(diff);
    let options = |pick: fn(&Row) -> String| -> Vec<String> {
        rows.iter()
            .map(pick)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let changes = options(|r| r.v.change.to_string());
    let providers = options(|r| r.v.provider.clone());
    let kinds = options(|r| r.v.kind.clone());
    let card = |title: &str, value: usize, lines: Vec<String>, alert: bool| Card {
        title: title.into(),
        value: value.to_string(),
        lines,
        alert,
    };
    let side = |label: &str, s: &super::Side| SourceLine {
        provider: String::new(),
        kind: label.into(),
        location: s.path.clone(),
        scope: s.now.to_string(),
        status: if s.incomplete { "partial" } else { "ok" }.into(),
        items: None,
        error: s
            .incomplete
            .then(|| "a source of this scan failed or was read partially".into()),
        incomplete: s.incomplete,
    };
    let mut explorer = Explorer::new(
        vec![
            col("change", "Change", false),
            col("name", "Name", false),
            col("provider", "Provider", false),
            col("kind", "Kind", false),
            col("before", "Before", false),
            col("after", "After", false),
        ],
        vec![
            filter("change", "Change", changes),
            filter("provider", "Provider", providers),
            filter("kind", "Kind", kinds),
        ],
    );
    for r in &rows {
        let v = &r.v;
        explorer.push(table::Row {
            id: &r.id,
            credential: false,
            cells: &[v.change, &v.name, &v.provider, &v.kind, &v.before, &v.after],
            sort: &[],
            filters: &[&[r.f.change], &[&r.f.provider], &[&r.f.kind]],
            evidence: &r.d,
        });
    }
    let page = Page {
        kind: "diff",
        title: "nhiscan diff".into(),
        tool: Tool::this(),
        meta: vec![
            (
                "old scan".into(),
                format!("{} ({})", diff.old.path, diff.old.now),
            ),
            (
                "new scan".into(),
                format!("{} ({})", diff.new.path, diff.new.now),
            ),
            (
                "tool".into(),
                format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            ),
        ],
        sources: vec![side("old scan", &diff.old), side("new scan", &diff.new)],
        warnings: diff.warnings.clone(),
        cards: vec![
            card(
                "Joiners",
                c.identities_added,
                vec![format!("{} credentials added", c.credentials_added)],
                false,
            ),
            card(
                "Leavers",
                c.identities_removed,
                vec![format!("{} credentials removed", c.credentials_removed)],
                false,
            ),
            card(
                "Movers",
                c.owners_changed + c.privilege_changed,
                vec![
                    format!("{} owners changed", c.owners_changed),
                    format!("{} privilege changed", c.privilege_changed),
                    format!("{} credentials rotated", c.credentials_rotated),
                ],
                false,
            ),
            card(
                "New findings",
                c.findings_new,
                vec![format!("{} resolved", c.findings_resolved)],
                c.findings_new > 0,
            ),
        ],
        charts: vec![diff_chart(
            [c.identities_added, c.credentials_added, c.findings_new],
            [
                c.identities_removed,
                c.credentials_removed,
                c.findings_resolved,
            ],
        )],
        explorer,
        rules: Vec::new(),
    };
    write_page("nhiscan diff", &page, w)
}
