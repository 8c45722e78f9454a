//! `--format ndjson`: one compact JSON object per line, for log pipelines and
//! warehouses (Splunk, Elastic, BigQuery, DuckDB's `read_json`).
//!
//! Every line has a `type` field saying what it is. The lines come in this
//! order (documented in `docs/output/ndjson.md`):
//!
//! 1. `scan`: schema version, tool and clock;
//! 2. `source`: one per source;
//! 3. `identity`: one per identity, its credentials nested, in id order;
//! 4. `rule`: one per rule and provider that has a shown finding, with the
//!    rule's texts (summary, remediation, docs URL), so findings need not
//!    repeat them;
//! 5. `finding`: one per shown finding, in the scan's order;
//! 6. `resolved`: baselined findings that no longer occur (with `--baseline`);
//! 7. `warning`: expired or unmatched suppressions;
//! 8. `summary`: the counts, last.
//!
//! Null and empty fields (empty strings, lists and objects) are left out at
//! every depth. The fields otherwise are JSON v1's.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::View;
use crate::rules::DOCS_URL;
use crate::wire::v1::{self, SCHEMA_VERSION};

/// The line types, in the order they appear.
pub const LINE_TYPES: [&str; 8] = [
    "scan", "source", "identity", "rule", "finding", "resolved", "warning", "summary",
];

/// Drops null and empty values (strings, lists, objects) at every depth.
fn prune(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Array(a) => a.iter_mut().for_each(prune),
        Value::Object(o) => {
            o.values_mut().for_each(prune);
            o.retain(|_, v| match v {
                Value::Null => false,
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Object(o) => !o.is_empty(),
                _ => true,
            });
        }
        _ => {}
    }
}

/// A line built from a value: `{"type": ..., <its fields, pruned>}`, less `drop`.
fn typed_without(
    w: &mut dyn Write,
    line_type: &str,
    value: &impl Serialize,
    drop: &[&str],
) -> std::io::Result<()> {
    let mut v = serde_json::to_value(value)?;
    prune(&mut v);
    if let serde_json::Value::Object(fields) = &mut v {
        for key in drop {
            fields.remove(*key);
        }
    }
    // `type` first: serde_json's map is sorted by key, so write it by hand.
    w.write_all(b"{\"type\":")?;
    serde_json::to_writer(&mut *w, line_type)?;
    if let serde_json::Value::Object(fields) = v {
        for (k, v) in fields {
            w.write_all(b",")?;
            serde_json::to_writer(&mut *w, &k)?;
            w.write_all(b":")?;
            serde_json::to_writer(&mut *w, &v)?;
        }
    }
    w.write_all(b"}\n")
}

/// A line built from a value: `{"type": ..., <its fields, pruned>}`.
fn typed(w: &mut dyn Write, line_type: &str, value: &impl Serialize) -> std::io::Result<()> {
    typed_without(w, line_type, value, &[])
}

/// Writes the view as ndjson.
pub fn write(view: &View, w: &mut dyn Write) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Scan {
        schema_version: u32,
        tool: v1::Tool,
        #[serde(with = "v1::rfc3339")]
        now: jiff::Timestamp,
    }
    typed(
        w,
        "scan",
        &Scan {
            schema_version: SCHEMA_VERSION,
            tool: v1::Tool::this(),
            now: view.now(),
        },
    )?;
    for s in view.sources() {
        typed(w, "source", &v1::Source::from(s))?;
    }
    for i in view.identities() {
        let listed: std::collections::HashSet<&str> =
            view.credentials(i).map(|c| c.item.id.as_str()).collect();
        let identity = v1::Identity::at(i, view.now(), |c| listed.contains(c.item.id.as_str()));
        typed(w, "identity", &identity)?;
    }
    // Each rule and provider with a shown finding, with the remediation its findings carry.
    let mut used: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for f in view.findings() {
        used.entry((f.rule.id, f.provider)).or_insert(f.remediation);
    }
    for ((id, provider), remediation) in used {
        let Some(rule) = view.rules.iter().find(|r| r.meta().id == id) else {
            continue;
        };
        let m = rule.meta();
        #[derive(Serialize)]
        struct RuleLine<'a> {
            id: &'a str,
            provider: &'a str,
            severity: crate::model::Severity,
            summary: &'a str,
            remediation: &'a str,
            help_uri: String,
            owasp: &'a str,
        }
        typed(
            w,
            "rule",
            &RuleLine {
                id,
                provider,
                severity: m.severity,
                summary: m.summary,
                remediation,
                help_uri: format!("{DOCS_URL}{id}.md"),
                owasp: m.owasp.id(),
            },
        )?;
    }
    for f in view.findings() {
        let finding = v1::Finding::new(f, view.state(f));
        typed_without(w, "finding", &finding, &["remediation", "help_uri"])?;
    }
    for r in view.resolved() {
        typed(w, "resolved", r)?;
    }
    for message in view.warnings() {
        #[derive(Serialize)]
        struct Warning<'a> {
            message: &'a str,
        }
        typed(w, "warning", &Warning { message })?;
    }
    typed(w, "summary", &view.summary())
}
