//! `--openai` against a local wiremock server that serves the vendor's
//! response shapes (`fixtures/openai/`): pagination to the end, archived
//! projects, an unknown last use, a rejected key, throttling, and keys that
//! never reach the output.

use serde_json::Value;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::admin_api::{body, findings, item, json, ok, page};
use crate::common::{nhiscan, NOW};

pub const OPENAI_KEY: &str = "sk-admin-TESTKEY-0123456789";

const BEARER: (&str, &str) = ("authorization", "Bearer sk-admin-TESTKEY-0123456789");

/// A server answering every OpenAI endpoint nhiscan reads.
pub async fn openai_server() -> MockServer {
    let s = MockServer::start().await;
    let p = |route: &str| format!("/v1/organization/{route}");
    page(
        &s,
        BEARER,
        &p("users"),
        ("after", None),
        "openai/users-page1.json",
    )
    .await;
    page(
        &s,
        BEARER,
        &p("users"),
        ("after", Some("user-bo")),
        "openai/users-page2.json",
    )
    .await;
    page(
        &s,
        BEARER,
        &p("admin_api_keys"),
        ("after", None),
        "openai/admin-api-keys.json",
    )
    .await;
    // Archived projects are asked for; without include_archived=true this mock would not match.
    Mock::given(method("GET"))
        .and(path(p("projects")))
        .and(header(BEARER.0, BEARER.1))
        .and(query_param("include_archived", "true"))
        .and(query_param_is_missing("after"))
        .respond_with(ok("openai/projects-page1.json"))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path(p("projects")))
        .and(header(BEARER.0, BEARER.1))
        .and(query_param("include_archived", "true"))
        .and(query_param("after", "proj_chat"))
        .respond_with(ok("openai/projects-page2.json"))
        .mount(&s)
        .await;
    // owner_project_access=any: otherwise keys whose owner lost access are hidden.
    for (project, after, rel) in [
        ("proj_chat", None, "openai/proj_chat-api-keys-page1.json"),
        (
            "proj_chat",
            Some("key_ada"),
            "openai/proj_chat-api-keys-page2.json",
        ),
        ("proj_old", None, "openai/proj_old-api-keys.json"),
    ] {
        let m = Mock::given(method("GET"))
            .and(path(p(&format!("projects/{project}/api_keys"))))
            .and(header(BEARER.0, BEARER.1))
            .and(query_param("owner_project_access", "any"));
        let m = match after {
            Some(a) => m.and(query_param("after", a)),
            None => m.and(query_param_is_missing("after")),
        };
        m.respond_with(ok(rel)).mount(&s).await;
    }
    for project in ["proj_chat", "proj_old"] {
        let route = p(&format!("projects/{project}/service_accounts"));
        let rel = format!("openai/{project}-service-accounts.json");
        page(&s, BEARER, &route, ("after", None), &rel).await;
    }
    s
}

fn scan_openai(server: &MockServer, extra: &[&str]) -> (i32, String, String) {
    nhiscan()
        .env("OPENAI_ADMIN_KEY", OPENAI_KEY)
        .env("OPENAI_ORG_ID", "org-test")
        .args(["scan", "--openai", "--openai-api-url"])
        .args([format!("{}/v1", server.uri())])
        .args(["--now", NOW, "-q"])
        .args(extra)
        .run()
}

#[tokio::test]
async fn openai_is_read_to_the_last_page_with_counts_per_endpoint() {
    let server = openai_server().await;
    let (code, stdout, stderr) = scan_openai(&server, &["-f", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("TESTKEY") && !stderr.contains("TESTKEY"));
    let report = json(&stdout);
    let source = &report["sources"][0];
    assert_eq!(
        (
            &source["provider"],
            &source["kind"],
            &source["status"],
            &source["scope"]
        ),
        (
            &"openai".into(),
            &"openai-admin-api".into(),
            &"ok".into(),
            &"org-test".into()
        )
    );
    assert_eq!(
        source["api_calls"],
        serde_json::json!({
            "GET /organization/admin_api_keys": 1,
            "GET /organization/projects": 2,
            "GET /organization/projects/{id}/api_keys": 3,
            "GET /organization/projects/{id}/service_accounts": 2,
            "GET /organization/users": 2,
        })
    );
    // The second page of users is known: Cy's absence would not show, but Dee,
    // who owns a key and is on no page, is departed.
    let org = "openai:org-test";
    let dee_key = item(&report, &format!("{org}/user/user-dee/api-key/key_dee"));
    assert_eq!(dee_key["owner"]["departed"], true);
    assert_eq!(dee_key["hint"], "sk-proj-...u3Rt", "only the redacted hint");
    let ada = item(&report, &format!("{org}/user/user-ada"));
    assert_eq!((&ada["human"], &ada["ai"]), (&true.into(), &false.into()));
    let old = item(
        &report,
        &format!("{org}/project/proj_old/service-account/svc_acct_legacy/api-key/key_old"),
    );
    assert_eq!(
        old["status"], "expired",
        "keys of archived projects no longer work"
    );
    let bot_key = item(
        &report,
        &format!("{org}/project/proj_chat/service-account/svc_acct_bot/api-key/key_svc"),
    );
    assert_eq!(
        (&bot_key["ai"], &bot_key["usage"]),
        (&true.into(), &"used".into())
    );

    let sa = |name: &str| format!("{org}/project/proj_chat/service-account/{name}");
    assert_eq!(
        findings(&report),
        [
            format!("ai-privileged {}", sa("svc_acct_deploy")),
            format!("ai-privileged {org}/user/user-ada/admin-key/key_admin_ada"),
            format!("departed-owner {org}/user/user-dee/api-key/key_dee"),
            format!("missing-owner {}", sa("svc_acct_bot")),
            format!("missing-owner {}", sa("svc_acct_deploy")),
            format!("never-used {org}/user/user-ada/api-key/key_ada"),
            format!("no-expiry {org}/user/user-ada/admin-key/key_admin_ada"),
            format!("unused-credential {}/api-key/key_svc", sa("svc_acct_bot")),
        ]
    );
    let unused = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "unused-credential")
        .unwrap();
    assert_eq!(unused["message"], "not used for 45 days; AI threshold 30");
    // Three service accounts, and the three keys people hold; the expired
    // service account is not counted as unowned.
    assert_eq!(
        (&report["summary"]["ai"], &report["summary"]["ai_unowned"]),
        (&6.into(), &3.into())
    );
}

#[tokio::test]
async fn openai_table_and_csv_show_the_ai_flag() {
    let server = openai_server().await;
    let (code, stdout, stderr) = scan_openai(&server, &[]);
    assert_eq!(code, 0, "{stderr}");
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.contains("· 6 AI identities (3 unowned) ·"),
        "{stdout}"
    );
    let (_, csv, _) = scan_openai(&server, &["-f", "csv"]);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        &header[header.len() - 2..],
        ["ai", "privilege_evidence"],
        "appended after max_severity"
    );
    let ai = header.iter().position(|h| h == "ai").unwrap();
    let id = header.iter().position(|h| h == "id").unwrap();
    for row in rows.records().map(Result::unwrap) {
        let want = if row[id].ends_with("/user/user-ada") || row[id].ends_with("/user/user-dee") {
            "false"
        } else {
            "true"
        };
        assert_eq!(&row[ai], want, "{:?}", &row[id]);
    }
}

#[tokio::test]
async fn a_429_is_retried_and_counted() {
    let server = openai_server().await;
    Mock::given(method("GET"))
        .and(path("/v1/organization/users"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .set_body_json(body("openai/error-429.json")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let (code, stdout, stderr) = scan_openai(&server, &["-f", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report = json(&stdout);
    assert_eq!(report["sources"][0]["status"], "ok");
    assert_eq!(
        report["sources"][0]["api_calls"]["GET /organization/users"], 3,
        "the throttled call, then two pages"
    );
}

#[tokio::test]
async fn throttling_that_never_ends_fails_the_source_exit_3() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let (code, stdout, stderr) = scan_openai(&server, &["-f", "json"]);
    assert_eq!(code, 3, "{stderr}");
    let source = &json(&stdout)["sources"][0];
    assert_eq!(source["status"], "failed");
    let error = source["error"].as_str().unwrap();
    assert!(
        error.contains("still rate limited (HTTP 429) after 6 attempts"),
        "{error}"
    );
    assert_eq!(source["api_calls"]["GET /organization/users"], 6);
}

#[tokio::test]
async fn a_rejected_openai_key_names_the_variable_and_fails_the_source() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(body("openai/error-401.json")))
        .mount(&server)
        .await;
    // The demo still scans: one failed source makes the scan partial, not aborted.
    let (code, stdout, stderr) = scan_openai(&server, &["--demo", "-f", "json"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("HTTP 401 Unauthorized: the admin key in OPENAI_ADMIN_KEY was rejected"),
        "{stderr}"
    );
    assert!(stderr.contains("invalid_api_key"), "{stderr}");
    assert!(!stdout.contains("TESTKEY") && !stderr.contains("TESTKEY"));
    let report = json(&stdout);
    let failed: Vec<&Value> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["provider"], "openai");
    assert_eq!(failed[0]["items"], 0);
    assert!(!report["findings"].as_array().unwrap().is_empty());

    let (code, _, stderr) = scan_openai(&server, &[]);
    assert_eq!(code, 3);
    // Warnings always reach stderr when stdout is not a terminal (issue 13).
    assert!(
        stderr.contains("warning: source") && stderr.contains("OPENAI_ADMIN_KEY"),
        "the failure reaches stderr: {stderr}"
    );
}

#[test]
fn a_missing_admin_key_is_a_usage_error() {
    let (code, _, stderr) = nhiscan().args(["scan", "--openai"]).run();
    assert_eq!(code, 2);
    assert!(
        stderr.contains("OPENAI_ADMIN_KEY, which is not set"),
        "{stderr}"
    );
    let (code, _, stderr) = nhiscan()
        .args([
            "scan",
            "--demo",
            "--openai-api-url",
            "http://127.0.0.1:9/v1",
        ])
        .run();
    assert_eq!(code, 2, "the URL flag needs --openai: {stderr}");
}

#[tokio::test]
async fn a_cursor_that_does_not_advance_fails_instead_of_looping() {
    let server = MockServer::start().await;
    let stuck = serde_json::json!({"object": "list", "data": [], "first_id": "user-x",
        "last_id": "user-x", "has_more": true});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(stuck))
        .mount(&server)
        .await;
    let (code, stdout, _) = scan_openai(&server, &["-f", "json"]);
    assert_eq!(code, 3);
    let error = json(&stdout)["sources"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(error.contains("pagination did not advance"), "{error}");
}

#[tokio::test]
async fn a_redirect_is_never_followed_with_the_key() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body("openai/users-page2.json")))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    let target = format!("{}/v1/organization/users", elsewhere.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", target.as_str()))
        .mount(&server)
        .await;
    let (code, stdout, _) = scan_openai(&server, &["-f", "json"]);
    assert_eq!(code, 3);
    let source = &json(&stdout)["sources"][0];
    assert_eq!(source["status"], "failed");
    let error = source["error"].as_str().unwrap();
    assert!(
        error.starts_with("GET /organization/users: HTTP 302 Found"),
        "{error}"
    );
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[test]
fn a_legacy_tenant_snapshot_reads_as_version_1() {
    crate::admin_api::legacy_snapshot_reads_as_version_1("openai");
}
