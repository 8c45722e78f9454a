//! What the AI platforms' admin API tests share: fixture bodies served by
//! wiremock, paged as the vendors page, and readers of the JSON report.

use serde_json::Value;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{dir_with, fixture, nhiscan, NOW};

pub fn body(rel: &str) -> Value {
    let text = std::fs::read_to_string(fixture(rel)).expect("fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

pub fn ok(rel: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body(rel))
}

/// Serves `rel` on GET `route` for requests carrying `auth`; `after` picks
/// the page (`None`: the first, with no cursor).
pub async fn page(
    server: &MockServer,
    auth: (&str, &str),
    route: &str,
    cursor: (&str, Option<&str>),
    rel: &str,
) {
    let mock = Mock::given(method("GET"))
        .and(path(route))
        .and(header(auth.0, auth.1));
    let mock = match cursor.1 {
        Some(after) => mock.and(query_param(cursor.0, after)),
        None => mock.and(query_param_is_missing(cursor.0)),
    };
    mock.respond_with(ok(rel)).mount(server).await;
}

pub fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).expect("JSON output")
}

/// The item (identity or credential) with this id.
pub fn item<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| std::iter::once(i).chain(i["credentials"].as_array().unwrap()))
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

/// `rule_id -> item ids`, one string per finding.
pub fn findings(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let item = f["credential_id"].as_str().or(f["identity_id"].as_str());
            format!("{} {}", f["rule_id"].as_str().unwrap(), item.unwrap())
        })
        .collect();
    out.sort();
    out
}

/// Tenant snapshots saved before the marker had a version, marked
/// `"nhiscan_snapshot": "<platform>"`, still read, as version 1: the
/// `no-expiry` rule fixtures keep one per platform in that format, and each
/// scans exactly as it does with `"nhiscan_<platform>_snapshot": 1`.
pub fn legacy_snapshot_reads_as_version_1(platform: &str) {
    let rel = format!("rules/no-expiry/{platform}-tenant.json");
    let legacy = std::fs::read_to_string(fixture(&rel)).expect("fixture");
    let marker = format!("\"nhiscan_snapshot\": \"{platform}\"");
    assert!(legacy.contains(&marker), "{rel} keeps the legacy marker");
    let current = legacy.replacen(&marker, &format!("\"nhiscan_{platform}_snapshot\": 1"), 1);
    let dir = dir_with(&[("legacy.json", &legacy), ("current.json", &current)]);
    let scan = |name: &str| {
        let (code, stdout, stderr) = nhiscan()
            .args(["scan", "-f", "json", "--now", NOW, "-i"])
            .arg_path(&dir.path().join(name))
            .run();
        assert!(code == 0 || code == 1, "{name}: exit {code}: {stderr}");
        let mut report = json(&stdout);
        let source = &mut report["sources"][0];
        assert_eq!(source["kind"], format!("{platform}-snapshot"), "{rel}");
        assert_eq!(source["status"], "ok", "{rel}");
        source["location"] = Value::Null;
        report
    };
    let legacy = scan("legacy.json");
    assert!(
        !legacy["identities"].as_array().unwrap().is_empty(),
        "{rel}"
    );
    assert!(!findings(&legacy).is_empty(), "{rel}");
    assert_eq!(legacy, scan("current.json"), "{rel}");
}
