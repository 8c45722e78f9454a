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

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use crate::config::Loaded;
    use crate::providers;
    use crate::report::{Format, View};
    use crate::scan;

    /// A generated credential report of `users` users: a mix of humans and
    /// service users, keys in both slots, inactive, never-used and old keys.
    fn credential_report(users: usize) -> String {
        let mut seed: u64 = 42;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let mut date = |max: u64| {
            let t =
                Timestamp::from_second(1_793_491_200 - (next(max) * 86_400 + next(86_400)) as i64)
                    .expect("in range");
            t.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
        };
        let mut out = String::from(
            "user,arn,user_creation_time,password_enabled,password_last_used,\
             password_last_changed,password_next_rotation,mfa_active,access_key_1_active,\
             access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,\
             access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,\
             access_key_2_last_used_date,access_key_2_last_used_region,\
             access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,\
             cert_2_last_rotated\n",
        );
        for i in 0..users {
            let name = if i % 3 == 0 {
                format!("user-{i:05}")
            } else {
                format!("svc-{i:05}")
            };
            let path = if i % 7 == 0 { "/service/" } else { "/" };
            let human = i % 3 == 0;
            let password = if human {
                format!("true,{},{},N/A", date(200), date(400))
            } else {
                "false,N/A,N/A,N/A".into()
            };
            let mut keys = String::new();
            for _ in 0..2 {
                keys.push_str(&match i % 5 {
                    0 => "false,N/A,N/A,N/A,N/A".to_string(),
                    1 => format!("true,{},N/A,N/A,N/A", date(1500)),
                    2 => format!("false,{},{},us-east-1,s3", date(1500), date(400)),
                    _ => format!("true,{},{},us-east-1,ec2", date(1500), date(300)),
                });
                keys.push(',');
            }
            out.push_str(&format!(
                "{name},arn:aws:iam::123456789012:user{path}{name},{},{password},{human},{keys}false,N/A,false,N/A\n",
                date(2000)
            ));
        }
        out
    }

    #[test]
    fn parallel_evaluation_gives_byte_identical_output() {
        let text = credential_report(5_000);
        let config = Loaded::defaults();
        let now: Timestamp = "2026-11-01T00:00:00Z".parse().unwrap();
        let render = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut inventory = crate::model::Inventory::default();
                providers::input::load_text("report.csv".as_ref(), &text, &mut inventory).unwrap();
                providers::demo::load(&mut inventory).unwrap();
                let scan = scan::evaluate(inventory, &config, now);
                let view = View::new(&scan, providers::rules());
                let formats = [
                    Format::Json,
                    Format::Ndjson,
                    Format::Csv,
                    Format::Sarif,
                    Format::Markdown,
                ];
                formats.map(|f| {
                    let mut out = Vec::new();
                    crate::report::write(f, &view, &mut out).unwrap();
                    out
                })
            })
        };
        let one = render(1);
        assert!(
            one[0].len() > 1_000_000,
            "the input spans several chunks of identities"
        );
        for threads in [2, 4] {
            let many = render(threads);
            for (i, (a, b)) in one.iter().zip(&many).enumerate() {
                assert!(a == b, "format {i} differs with {threads} threads");
            }
        }
    }
}
