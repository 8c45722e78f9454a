//! JSON output v1 is frozen: every field path and its type is snapshotted.
//! A change here is a schema change and needs a new schema_version.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::nhiscan;

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

#[test]
fn json_v1_is_frozen() {
    let (code, stdout, _) = nhiscan().args(["scan", "--demo", "-f", "json"]).run();
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    let mut paths = BTreeSet::new();
    shape(&report, "", &mut paths);
    let text: Vec<String> = paths.into_iter().collect();
    insta::assert_snapshot!(text.join("\n"));
}
