//! `--anthropic` against a local wiremock server that serves the vendor's
//! response shapes (`fixtures/anthropic/`): keys of every status, archived
//! workspaces, an unknown last use, a rejected key, a missing
//! `organizations/me`, and keys that never reach the output.

use serde_json::Value;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::admin_api::{body, findings, item, json, ok, page};
use crate::common::{nhiscan, NOW};
use crate::openai::{openai_server, OPENAI_KEY};

const ANTHROPIC_KEY: &str = "sk-ant-admin01-TESTKEY-0123456789";

const X_API_KEY: (&str, &str) = ("x-api-key", "sk-ant-admin01-TESTKEY-0123456789");

async fn anthropic_server() -> MockServer {
    let s = MockServer::start().await;
    let p = |route: &str| format!("/v1/organizations/{route}");
    Mock::given(method("GET"))
        .and(path(p("me")))
        .and(header(X_API_KEY.0, X_API_KEY.1))
        .and(header("anthropic-version", "2023-06-01"))
        .respond_with(ok("anthropic/me.json"))
        .mount(&s)
        .await;
    let c = "after_id";
    page(
        &s,
        X_API_KEY,
        &p("users"),
        (c, None),
        "anthropic/users-page1.json",
    )
    .await;
    page(
        &s,
        X_API_KEY,
        &p("users"),
        (c, Some("user_01Ada")),
        "anthropic/users-page2.json",
    )
    .await;
    Mock::given(method("GET"))
        .and(path(p("workspaces")))
        .and(header(X_API_KEY.0, X_API_KEY.1))
        .and(query_param("include_archived", "true"))
        .respond_with(ok("anthropic/workspaces.json"))
        .mount(&s)
        .await;
    page(
        &s,
        X_API_KEY,
        &p("api_keys"),
        (c, None),
        "anthropic/api-keys-page1.json",
    )
    .await;
    let rel = "anthropic/api-keys-page2.json";
    page(
        &s,
        X_API_KEY,
        &p("api_keys"),
        (c, Some("apikey_01Gone")),
        rel,
    )
    .await;
    s
}

fn scan_anthropic(server: &MockServer, extra: &[&str]) -> (i32, String, String) {
    nhiscan()
        .env("ANTHROPIC_ADMIN_KEY", ANTHROPIC_KEY)
        .args(["scan", "--anthropic", "--anthropic-api-url"])
        .args([format!("{}/v1", server.uri())])
        .args(["--now", NOW, "-q"])
        .args(extra)
        .run()
}

#[tokio::test]
async fn anthropic_keys_of_every_status_with_last_use_unknown() {
    let server = anthropic_server().await;
    let (code, stdout, stderr) = scan_anthropic(&server, &["-f", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("TESTKEY") && !stderr.contains("TESTKEY"));
    let report = json(&stdout);
    let source = &report["sources"][0];
    let org = "12345678-1234-5678-1234-567812345678";
    assert_eq!(
        (&source["status"], &source["scope"]),
        (&"ok".into(), &org.into())
    );
    assert_eq!(
        source["api_calls"],
        serde_json::json!({
            "GET /organizations/api_keys": 2,
            "GET /organizations/me": 1,
            "GET /organizations/users": 2,
            "GET /organizations/workspaces": 1,
        })
    );
    let keys: Vec<&Value> = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["credentials"].as_array().unwrap())
        .collect();
    assert_eq!(keys.len(), 5, "both pages, every status");
    for k in &keys {
        assert_eq!(
            (&k["usage"], &k["last_used_at"]),
            (&"unknown".into(), &Value::Null)
        );
        assert!(k["hint"].as_str().unwrap().starts_with("sk-ant-api03-"));
    }
    let status = |id: &str| item(&report, &format!("anthropic:{org}/{id}"))["status"].clone();
    assert_eq!(
        status("user/user_01Bo/api-key/apikey_01Old"),
        "expired",
        "archived workspace"
    );
    assert_eq!(status("user/user_01Bo/api-key/apikey_01Off"), "inactive");
    assert_eq!(
        findings(&report),
        [
            format!("departed-owner anthropic:{org}/user/user_01Gone/api-key/apikey_01Gone"),
            // Disabled 60 days ago: past the AI threshold of 30.
            format!("inactive-credential anthropic:{org}/user/user_01Bo/api-key/apikey_01Off"),
            format!("missing-owner anthropic:{org}/workspace/default"),
            format!("no-expiry anthropic:{org}/user/user_01Ada/api-key/apikey_01Ada"),
        ],
        "unknown last use is never `never-used`"
    );
}

#[tokio::test]
async fn a_rejected_anthropic_key_names_the_variable() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(body("anthropic/error-401.json")))
        .mount(&server)
        .await;
    let (code, stdout, stderr) = scan_anthropic(&server, &["-f", "json"]);
    assert_eq!(code, 3, "{stderr}");
    let error = json(&stdout)["sources"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        error.contains("GET /organizations/me: HTTP 401 Unauthorized: the admin key in ANTHROPIC_ADMIN_KEY was rejected")
            && error.contains("authentication_error: invalid x-api-key"),
        "{error}"
    );
}

#[tokio::test]
async fn both_platforms_in_one_scan() {
    let openai = openai_server().await;
    let anthropic = anthropic_server().await;
    let (code, stdout, stderr) = nhiscan()
        .env("OPENAI_ADMIN_KEY", OPENAI_KEY)
        .env("ANTHROPIC_ADMIN_KEY", ANTHROPIC_KEY)
        .args([
            "scan",
            "--openai",
            "--anthropic",
            "--now",
            NOW,
            "-q",
            "-v",
            "-f",
            "json",
        ])
        .args(["--openai-api-url", &format!("{}/v1", openai.uri())])
        .args(["--anthropic-api-url", &format!("{}/v1", anthropic.uri())])
        .run();
    assert_eq!(code, 0, "{stderr}");
    let report = json(&stdout);
    let providers: Vec<&str> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["provider"].as_str().unwrap())
        .collect();
    assert_eq!(providers, ["openai", "anthropic"]);
    assert!(
        stderr.contains("GET /organizations/api_keys"),
        "-v lists calls: {stderr}"
    );
    assert!(!stderr.contains("TESTKEY"));
}

/// An Anthropic error body, as the API reference shapes it.
fn anthropic_error(kind: &str, message: &str) -> Value {
    serde_json::json!({
        "type": "error",
        "error": {"type": kind, "message": message},
        "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"
    })
}

#[tokio::test]
async fn anthropic_without_organizations_me_still_reads_the_rest_as_partial() {
    // A 404, and a 500 that lasts through every retry (retry-after: 0 keeps it quick).
    let not_found = ResponseTemplate::new(404).set_body_json(anthropic_error(
        "not_found_error",
        "The requested resource could not be found.",
    ));
    let server_error = ResponseTemplate::new(500)
        .insert_header("retry-after", "0")
        .set_body_json(anthropic_error(
            "api_error",
            "An unexpected error has occurred internal to Anthropic's systems.",
        ));
    for (response, calls, says) in [
        (
            not_found,
            1,
            "GET /organizations/me: HTTP 404 Not Found (not_found_error: The requested resource could not be found.)",
        ),
        (
            server_error,
            6,
            "GET /organizations/me: HTTP 500 Internal Server Error (api_error: An unexpected error",
        ),
    ] {
        let server = anthropic_server().await;
        Mock::given(method("GET"))
            .and(path("/v1/organizations/me"))
            .respond_with(response)
            .with_priority(1)
            .mount(&server)
            .await;
        let (code, stdout, stderr) = scan_anthropic(&server, &["-f", "json"]);
        assert_eq!(code, 3, "a partial source: {stderr}");
        assert!(!stdout.contains("TESTKEY") && !stderr.contains("TESTKEY"));
        let report = json(&stdout);
        let source = &report["sources"][0];
        // Neither keys nor users carry the organization id: a fixed label stands in.
        let org = "anthropic-organization";
        assert_eq!(
            (&source["status"], &source["scope"]),
            (&"partial".into(), &org.into())
        );
        let error = source["error"].as_str().unwrap();
        assert!(error.contains(says), "{error}");
        assert!(
            error.contains("the organization id is unknown, so the scope is anthropic-organization"),
            "{error}"
        );
        assert_eq!(
            source["api_calls"],
            serde_json::json!({
                "GET /organizations/api_keys": 2,
                "GET /organizations/me": calls,
                "GET /organizations/users": 2,
                "GET /organizations/workspaces": 1,
            })
        );
        assert!(stderr.contains("partial"), "{stderr}");
        // Everything else is read as when the organization is known.
        let keys = report["identities"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|i| i["credentials"].as_array().unwrap())
            .count();
        assert_eq!(keys, 5);
        assert_eq!(
            findings(&report),
            [
                format!("departed-owner anthropic:{org}/user/user_01Gone/api-key/apikey_01Gone"),
                format!("inactive-credential anthropic:{org}/user/user_01Bo/api-key/apikey_01Off"),
                format!("missing-owner anthropic:{org}/workspace/default"),
                format!("no-expiry anthropic:{org}/user/user_01Ada/api-key/apikey_01Ada"),
            ]
        );
    }
}

#[tokio::test]
async fn anthropic_lists_still_fail_the_source_after_a_missing_organization() {
    // /me is optional; the lists are not.
    let server = anthropic_server().await;
    Mock::given(method("GET"))
        .and(path("/v1/organizations/me"))
        .respond_with(ResponseTemplate::new(404).set_body_json(anthropic_error(
            "not_found_error",
            "The requested resource could not be found.",
        )))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/organizations/users"))
        .respond_with(ResponseTemplate::new(403).set_body_json(anthropic_error(
            "permission_error",
            "Your API key does not have permission to use the specified resource.",
        )))
        .with_priority(1)
        .mount(&server)
        .await;
    let (code, stdout, _) = scan_anthropic(&server, &["-f", "json"]);
    assert_eq!(code, 3);
    let source = &json(&stdout)["sources"][0];
    assert_eq!(source["status"], "failed");
    let error = source["error"].as_str().unwrap();
    assert!(
        error.starts_with(
            "GET /organizations/users: HTTP 403 Forbidden: the key in ANTHROPIC_ADMIN_KEY"
        ),
        "{error}"
    );
}

#[test]
fn a_legacy_tenant_snapshot_reads_as_version_1() {
    crate::admin_api::legacy_snapshot_reads_as_version_1("anthropic");
}

#[test]
fn a_missing_admin_key_is_a_usage_error() {
    let (code, _, stderr) = nhiscan().args(["scan", "--anthropic"]).run();
    assert_eq!(code, 2);
    assert!(
        stderr.contains("ANTHROPIC_ADMIN_KEY, which is not set"),
        "{stderr}"
    );
}

/// The error scanning one file `name` holding `text`, which must fail with exit 2.
fn input_error(name: &str, text: &str) -> String {
    let dir = crate::common::dir_with(&[(name, text)]);
    let (code, _, stderr) = nhiscan()
        .args(["scan", "-i"])
        .arg_path(&dir.path().join(name))
        .run();
    assert_eq!(code, 2, "{stderr}");
    stderr
}

/// A legacy snapshot naming an unknown platform names every platform whose
/// snapshots nhiscan reads, this one among them.
#[test]
fn an_unknown_legacy_snapshot_names_this_platform_too() {
    let err = input_error(
        "unknown.json",
        "{\"nhiscan_snapshot\": \"gemini\", \"organization\": \"o\"}\n",
    );
    assert!(err.contains("nhiscan_snapshot \"gemini\" is not"), "{err}");
    assert!(err.contains("\"anthropic\""), "{err}");
}

#[test]
fn a_bad_date_in_a_snapshot_names_file_and_line() {
    let err = input_error(
        "bad-date.json",
        "{\"nhiscan_anthropic_snapshot\": 1, \"organization\": {\"id\": \"o\"},\n \"users\": [],\n \"api_keys\": [{\"id\": \"k\", \"created_at\": \"yesterday\"}]}\n",
    );
    assert!(err.contains("bad-date.json:3"), "{err}");
}
