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
    present_external_ids(&mut before);
    assert_eq!(before, now);
}

/// Issue 19: `sts:ExternalId` values are written only as `<present>`.
fn present_external_ids(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k.eq_ignore_ascii_case("sts:ExternalId") {
                    *v = "<present>".into();
                } else {
                    present_external_ids(v);
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(present_external_ids),
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
