//! The v1 JSON of the demo, compared in full.
//!
//! `tests/golden/demo-v1.json` is today's output, byte for byte. The
//! architecture change (one provider per folder, a core model apart from the
//! wire format) must not change it, apart from the fixes it made;
//! `tests/golden/demo-v1-at-6f7ec59.json` is the output before that change,
//! and the second test shows exactly what differs from it.

use serde_json::Value;

use crate::common::nhiscan;

fn demo() -> String {
    let (code, stdout, stderr) = nhiscan().args(["scan", "--demo", "-f", "json"]).run();
    assert_eq!(code, 0, "{stderr}");
    stdout
}

fn golden(name: &str) -> String {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_demo_json_matches_the_golden_file() {
    let now = demo();
    if std::env::var_os("NHISCAN_BLESS").is_some() {
        let path = format!("{}/tests/golden/demo-v1.json", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(path, &now).unwrap();
    }
    assert!(
        now == golden("demo-v1.json"),
        "the demo's JSON changed; review the difference and rerun with NHISCAN_BLESS=1"
    );
}

/// Before the architecture change, only in the listed ways: sources in
/// registry order, docs links to `docs/rules/<id>.md`, remediation that is
/// each provider's own, and the GitHub AI verdict naming the setting's new
/// place (`[providers.github] ai_apps`, was `[classification] ai_github_apps`).
#[test]
fn the_demo_json_differs_from_before_the_architecture_change_only_as_listed() {
    let mut before: Value = serde_json::from_str(&golden("demo-v1-at-6f7ec59.json")).unwrap();
    let mut now: Value = serde_json::from_str(&demo()).unwrap();
    for report in [&mut before, &mut now] {
        report["sources"]
            .as_array_mut()
            .unwrap()
            .sort_by_key(|s| s["location"].as_str().unwrap().to_string());
        for f in report["findings"].as_array_mut().unwrap() {
            let rule = f["rule_id"].as_str().unwrap().to_string();
            let uri = f["help_uri"].as_str().unwrap();
            let old = format!("/blob/main/README.md#{rule}");
            if let Some(base) = uri.strip_suffix(&old) {
                f["help_uri"] = format!("{base}/blob/main/docs/rules/{rule}.md").into();
            }
            f["remediation"] = Value::Null;
        }
    }
    rename_ai_apps(&mut before);
    // Issue 13: timestamps with whole seconds, and fields added to v1.
    whole_seconds(&mut before);
    drop_added_fields(&mut now);
    assert_eq!(before, now);
}

/// Cuts the fraction of a second from every RFC 3339 timestamp (`…:00.427722Z` → `…:00Z`).
fn whole_seconds(value: &mut Value) {
    match value {
        Value::String(s) if s.len() > 20 && s.ends_with('Z') && s.as_bytes()[19] == b'.' => {
            *s = format!("{}Z", &s[..19]);
        }
        Value::Object(map) => map.values_mut().for_each(whole_seconds),
        Value::Array(items) => items.iter_mut().for_each(whole_seconds),
        _ => {}
    }
}

/// Removes the fields issue 13 added to v1: each item's `age_days`,
/// `days_since_use` and `is_nhi`, and the summary's filter counts.
fn drop_added_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for field in [
                "age_days",
                "days_since_use",
                "is_nhi",
                "filtered_items",
                "filtered_findings",
            ] {
                map.remove(field);
            }
            map.values_mut().for_each(drop_added_fields);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_added_fields),
        _ => {}
    }
}

/// Rewrites the old setting's name in every `ai_reason`.
fn rename_ai_apps(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match (k.as_str(), v) {
                    ("ai_reason", Value::String(s)) => {
                        *s = s.replace("ai_github_apps", "[providers.github] ai_apps");
                    }
                    (_, v) => rename_ai_apps(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rename_ai_apps),
        _ => {}
    }
}
