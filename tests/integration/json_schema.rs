//! JSON output v1 is frozen: every field path and its type is snapshotted.
//! Fields may be added (review the snapshot); renaming or removing one is a
//! schema change and needs a new schema_version.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::nhiscan_in;

/// `a.b[].c: string` for every leaf and object in `value`. Free-form maps
/// (tags, policy documents) are collapsed to their own path.
fn shape(value: &Value, path: &str, out: &mut BTreeSet<String>) {
    let free_form = ["tags", "document", "trust_policy"]
        .iter()
        .any(|k| path.ends_with(k));
    match value {
        Value::Object(map) if !free_form => {
            out.insert(format!("{path}: object"));
            for (k, v) in map {
                shape(v, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(items) => {
            out.insert(format!("{path}: array"));
            for v in items {
                shape(v, &format!("{path}[]"), out);
            }
        }
        other => {
            let t = match other {
                Value::Null => "null",
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            };
            out.insert(format!("{path}: {t}"));
        }
    }
}

/// The demo as JSON: plain, and against a baseline that misses one finding
/// (new) and holds one that no longer occurs (resolved), so every field shows.
fn demo_reports() -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "-f", "json", "--write-baseline", "b.json"])
        .run();
    assert_eq!(code, 0);
    let plain: Value = serde_json::from_str(&stdout).unwrap();
    let path = dir.path().join("b.json");
    let mut baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let entries = baseline["findings"].as_array_mut().unwrap();
    entries.remove(0);
    entries.push(serde_json::json!({
        "fingerprint": "0".repeat(32),
        "rule_id": "unused-credential",
        "identity_id": "arn:aws:iam::123456789012:user/gone",
        "credential_id": "arn:aws:iam::123456789012:user/gone/access-key/1",
        "first_seen": "2026-10-01",
    }));
    std::fs::write(&path, baseline.to_string()).unwrap();
    let (code, stdout, _) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "-f", "json", "--baseline", "b.json"])
        .run();
    assert_eq!(code, 0);
    let compared: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(compared["resolved"].as_array().unwrap().len(), 1);
    vec![plain, compared]
}

#[test]
fn json_v1_is_frozen() {
    let mut paths = BTreeSet::new();
    for report in demo_reports() {
        assert_eq!(report["schema_version"], 1);
        shape(&report, "", &mut paths);
    }
    let text: Vec<String> = paths.into_iter().collect();
    insta::assert_snapshot!(text.join("\n"));
}
