//! The inventory as a terminal table (`nhiscan inventory`, or
//! `scan --view inventory`): one row per item, grouped by provider.
//!
//! Each provider gets a heading (`AWS: 12 items`) and a table of KIND, NAME,
//! OWNER, PRIVILEGE, AGE, LAST USED and WORST (the item's most severe
//! finding shown, with how many more it has). An identity comes first,
//! followed by its credentials, named `holder · credential`. The notes and
//! summary lines close it, as in the findings table.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::table::{clean, footer, notes, nothing_scanned, plural, table};
use super::{Paint, View};
use crate::model::time::days_between;
use crate::model::{Item, LastUsed, PrivilegeLevel, Severity};
use crate::rules::Finding;

/// Renders the inventory without colour.
pub fn render(view: &View) -> String {
    render_painted(view, Paint::PLAIN)
}

/// Renders the inventory, colouring headings when `paint` says so.
pub fn render_painted(view: &View, paint: Paint) -> String {
    // Each item's shown findings, worst first (the scan's order).
    let mut hits: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in view.findings() {
        hits.entry(f.item_id()).or_default().push(f);
    }
    let mut by_provider: BTreeMap<&str, Vec<Vec<String>>> = BTreeMap::new();
    for identity in view.identities() {
        let rows = by_provider.entry(identity.item.provider).or_default();
        if !view.holder_only(identity) {
            rows.push(row(
                view,
                &identity.item,
                None,
                hits.get(identity.item.id.as_str()),
            ));
        }
        for c in view.credentials(identity) {
            rows.push(row(
                view,
                &c.item,
                Some(&identity.item.name),
                hits.get(c.item.id.as_str()),
            ));
        }
    }

    let mut out = String::new();
    if view.nothing_scanned() {
        out.push_str(&nothing_scanned(view));
    } else if by_provider.values().all(Vec::is_empty) {
        out.push_str("No items.\n\n");
    }
    for (provider, rows) in by_provider {
        if rows.is_empty() {
            continue;
        }
        let heading = format!(
            "{}: {}",
            provider.to_uppercase(),
            plural(rows.len(), "item", "items")
        );
        let _ = writeln!(out, "{}", paint.heading(&heading));
        out.push_str(&table(
            &[
                "KIND",
                "NAME",
                "OWNER",
                "PRIVILEGE",
                "AGE",
                "LAST USED",
                "WORST",
            ],
            rows.into_iter(),
            &[0, 3, 1, 0, 0, 0, 2],
        ));
        out.push('\n');
    }
    out.push_str(&notes(view, paint));
    out.push_str(&footer(view));
    out
}

/// One item's row; `holder` names a credential's identity.
fn row(
    view: &View,
    item: &Item,
    holder: Option<&str>,
    hits: Option<&Vec<&Finding>>,
) -> Vec<String> {
    let now = view.now();
    let name = match holder {
        Some(h) => format!("{h} · {}", item.name),
        None => item.name.clone(),
    };
    let owner = match &item.owner {
        Some(o) if o.departed => format!("{} (left)", o.name),
        Some(o) => o.name.clone(),
        None if item.human => "(person)".into(),
        None => "-".into(),
    };
    let privilege = match item.privilege.level {
        PrivilegeLevel::Unknown => "-".to_string(),
        level => level.to_string(),
    };
    let age = item
        .created_at
        .map_or("-".into(), |t| format!("{}d", days_between(t, now)));
    let used = match item.last_used {
        LastUsed::At(t) => format!("{}d ago", days_between(t, now)),
        LastUsed::Never => "never".into(),
        LastUsed::Unknown => "-".into(),
    };
    let worst = hits.map_or(String::new(), |list| {
        let top: &Finding = list
            .iter()
            .copied()
            .max_by_key(|f| f.severity)
            .unwrap_or(list[0]);
        let more = if list.len() > 1 {
            format!(" +{}", list.len() - 1)
        } else {
            String::new()
        };
        format!("{} {}{more}", severity_tag(top.severity), top.rule_id())
    });
    vec![
        clean(item.kind.as_str()),
        clean(&name),
        clean(&owner),
        privilege,
        age,
        used,
        clean(&worst),
    ]
}

fn severity_tag(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRIT",
        Severity::High => "HIGH",
        Severity::Medium => "MED",
        Severity::Low => "LOW",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;
    use crate::report::Filter;

    #[test]
    fn one_row_per_item_grouped_by_provider_with_the_worst_finding() {
        let scan = test_support::scan();
        let out = render(&test_support::view(&scan));
        assert!(out.starts_with("EXAMPLE: 6 items\n"), "{out}");
        let header: Vec<&str> = out
            .lines()
            .nth(1)
            .unwrap()
            .split("  ")
            .filter(|s| !s.is_empty())
            .map(str::trim)
            .collect();
        assert_eq!(
            header,
            [
                "KIND",
                "NAME",
                "OWNER",
                "PRIVILEGE",
                "AGE",
                "LAST USED",
                "WORST"
            ]
        );
        assert!(out.contains("deployer · access-key/1"), "{out}");
        assert!(out.contains("CRIT admin-privilege"), "{out}");
        assert!(out.lines().last().unwrap().contains("identities"), "{out}");
    }

    #[test]
    fn filters_leave_items_out_and_say_how_many() {
        let scan = test_support::scan();
        let filter = Filter {
            kinds: vec!["role".into()],
            ..Filter::default()
        }
        .prepare(&scan);
        let view = test_support::view(&scan).with_filter(Some(&filter));
        let out = render(&view);
        assert!(out.starts_with("EXAMPLE: 1 item\n"), "{out}");
        assert!(!out.contains("deployer"), "{out}");
        assert!(out.contains("filtered out: 5 items"), "{out}");
    }
}
