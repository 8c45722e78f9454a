//! Microsoft Entra ID: `--entra` against a local wiremock server serving
//! Graph bodies shaped as Microsoft's Graph reference shows them
//! (`fixtures/entra/graph/`): a client-credentials token endpoint,
//! `@odata.nextLink` pagination, a 429 with `Retry-After`, beta usage
//! reports refused with 403 (partial) and a rejected sign-in (failed). Also
//! the `az ad app/sp list` exports offline, and a canary secret that never
//! reaches any output.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{json, Value};
use wiremock::matchers::{
    body_string_contains, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::admin_api::{findings, item, json};
use crate::common::{fixture, fixture_arg, nhiscan, nhiscan_in, Nhiscan, NOW};

const TENANT: &str = "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901";
const CANARY: &str = "CANARY-entra-client-secret-7Q~xyz";
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.TEST-ACCESS-TOKEN.c2ln";

/// A Graph fixture with `{{SERVER}}` replaced by the server's URI.
fn graph(server: &MockServer, rel: &str) -> ResponseTemplate {
    graph_status(server, 200, rel)
}

/// A Graph fixture as JSON, `{{SERVER}}` replaced by `uri`.
fn fixture_json(uri: &str, rel: &str) -> Value {
    let text = std::fs::read_to_string(fixture(&format!("entra/graph/{rel}"))).expect("fixture");
    serde_json::from_str(&text.replace("{{SERVER}}", uri)).expect("fixture JSON")
}

/// What one request inside a batch gets: status, `Retry-After`, body.
type Answer = (u16, Option<&'static str>, Value);

/// Graph's `$batch` endpoint (JSON batching reference): at most 20
/// requests, each a GET with an `id` and a `url` relative to `/v1.0`;
/// answers `{"responses": [{"id", "status", "headers", "body"}]}`, in reverse
/// order (Graph promises no order). More than 20 is a 400, as Graph says.
struct Batch<F>(F);

impl<F: Fn(&str) -> Answer + Send + Sync> Respond for Batch<F> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON batch body");
        let requests = body["requests"].as_array().expect("requests");
        if requests.len() > 20 {
            return ResponseTemplate::new(400).set_body_json(json!({
                "error": {"code": "BadRequest", "message": "Maximum number of requests allowed in a batch is 20."}
            }));
        }
        let mut responses: Vec<Value> = requests
            .iter()
            .map(|r| {
                assert_eq!(r["method"], "GET", "{r}");
                let (status, retry_after, body) = (self.0)(r["url"].as_str().expect("url"));
                let mut headers = json!({"Content-Type": "application/json"});
                if let Some(after) = retry_after {
                    headers["Retry-After"] = after.into();
                }
                json!({"id": r["id"], "status": status, "headers": headers, "body": body})
            })
            .collect();
        responses.reverse();
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/json")
            .set_body_json(json!({ "responses": responses }))
    }
}

/// Mounts `$batch` on `server`, answering each request with `answer(url)`.
async fn batch(server: &MockServer, answer: impl Fn(&str) -> Answer + Send + Sync + 'static) {
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .respond_with(Batch(answer))
        .mount(server)
        .await;
}

fn graph_status(server: &MockServer, status: u16, rel: &str) -> ResponseTemplate {
    let text = std::fs::read_to_string(fixture(&format!("entra/graph/{rel}"))).expect("fixture");
    let text = text.replace("{{SERVER}}", &server.uri());
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .set_body_string(text)
}

async fn get(server: &MockServer, route: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(response)
        .mount(server)
        .await;
}

/// A tenant: two pages of apps, service principals (the first try
/// throttled), grants, roles; the usage reports refused.
async fn tenant_server() -> MockServer {
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=app-nhiscan"))
        .and(body_string_contains("client_secret="))
        .and(body_string_contains("scope="))
        .respond_with(graph(&s, "token.json"))
        .mount(&s)
        .await;
    let auth = format!("Bearer {TOKEN}");
    Mock::given(method("GET"))
        .and(path("/v1.0/applications"))
        .and(header("authorization", auth.as_str()))
        .and(query_param("$top", "999"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(graph(&s, "applications-page1.json"))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/applications"))
        .and(header("authorization", auth.as_str()))
        .and(query_param("$skiptoken", "RFNwdAIAAQAAAD"))
        .respond_with(graph(&s, "applications-page2.json"))
        .mount(&s)
        .await;
    // Throttled once, then served.
    Mock::given(method("GET"))
        .and(path("/v1.0/servicePrincipals"))
        .respond_with(graph_status(&s, 429, "error-429.json").insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&s)
        .await;
    get(
        &s,
        "/v1.0/servicePrincipals",
        graph(&s, "service-principals.json"),
    )
    .await;
    // The per-object reads, in $batch: the deploy pipeline's assignments
    // are throttled once inside the batch, then served.
    let throttled = AtomicBool::new(false);
    let uri = s.uri();
    batch(&s, move |url| {
        let rel = match url {
            "/applications/a0000000-0000-4000-8000-000000000001/federatedIdentityCredentials" => {
                "federated-none.json"
            }
            "/applications/a0000000-0000-4000-8000-000000000002/federatedIdentityCredentials" => {
                "federated-deploy.json"
            }
            "/servicePrincipals/d0000000-0000-4000-8000-000000000001/appRoleAssignments" => {
                "assignments-old-test-app.json"
            }
            "/servicePrincipals/d0000000-0000-4000-8000-000000000002/appRoleAssignments" => {
                if !throttled.swap(true, Ordering::SeqCst) {
                    return (429, Some("1"), fixture_json(&uri, "error-429.json"));
                }
                "assignments-deploy-pipeline.json"
            }
            other => panic!("unexpected request in $batch: {other}"),
        };
        (200, None, fixture_json(&uri, rel))
    })
    .await;
    get(
        &s,
        "/v1.0/oauth2PermissionGrants",
        graph(&s, "oauth2-permission-grants.json"),
    )
    .await;
    get(
        &s,
        "/v1.0/roleManagement/directory/roleDefinitions",
        graph(&s, "role-definitions.json"),
    )
    .await;
    get(
        &s,
        "/v1.0/roleManagement/directory/roleAssignments",
        graph(&s, "role-assignments.json"),
    )
    .await;
    for report in [
        "servicePrincipalSignInActivities",
        "appCredentialSignInActivities",
    ] {
        get(
            &s,
            &format!("/beta/reports/{report}"),
            graph_status(&s, 403, "error-403-reports.json"),
        )
        .await;
    }
    s
}

fn live(runner: Nhiscan, server: &MockServer) -> Nhiscan {
    let mut runner = runner
        .args(["scan", "--entra", "--now", NOW, "-f", "json"])
        .args([
            "--graph-url",
            &server.uri(),
            "--entra-login-url",
            &server.uri(),
        ])
        .env("AZURE_TENANT_ID", TENANT)
        .env("AZURE_CLIENT_ID", "app-nhiscan")
        .env("AZURE_CLIENT_SECRET", CANARY);
    for var in [
        "AZURE_FEDERATED_TOKEN_FILE",
        "AZURE_CLIENT_CERTIFICATE_PATH",
    ] {
        runner.cmd.env_remove(var);
    }
    runner
}

fn assert_no_secrets(texts: &[&str]) {
    for t in texts {
        assert!(!t.contains(CANARY), "the client secret leaked");
        assert!(!t.contains("TEST-ACCESS-TOKEN"), "the access token leaked");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_live_scan_reads_the_tenant_and_is_partial_without_the_usage_reports() {
    let server = tenant_server().await;
    let dir = tempfile::tempdir().unwrap();
    let snaps = dir.path().join("snaps");
    let runner = live(nhiscan_in(dir.path()), &server)
        .args(["--entra-snapshot-dir", snaps.to_str().unwrap()]);
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || runner.run())
        .await
        .unwrap();
    assert_eq!(code, 3, "partial scan: {stderr}");
    let report = json(&stdout);
    let source = &report["sources"][0];
    assert_eq!(source["provider"], "entra");
    assert_eq!(source["status"], "partial", "{source}");
    let error = source["error"].as_str().unwrap();
    assert!(
        error.contains("GET /beta/reports/appCredentialSignInActivities"),
        "{error}"
    );
    assert!(error.contains("403"), "{error}");
    let calls = &source["api_calls"];
    assert_eq!(calls["GET /v1.0/applications"], 2, "two pages: {calls}");
    assert_eq!(
        calls["GET /v1.0/servicePrincipals"], 2,
        "429, then 200: {calls}"
    );
    assert_eq!(
        calls["$batch: GET /v1.0/applications/{id}/federatedIdentityCredentials"], 2,
        "{calls}"
    );
    assert_eq!(
        calls["$batch: GET /v1.0/servicePrincipals/{id}/appRoleAssignments"], 3,
        "not Microsoft Graph's own; one sent again after its 429: {calls}"
    );
    assert_eq!(
        calls["POST /v1.0/$batch"], 3,
        "one batch of apps, one of service principals, one retry: {calls}"
    );
    assert!(
        calls
            .get("GET /v1.0/applications/{id}/federatedIdentityCredentials")
            .is_none(),
        "no per-app GETs: {calls}"
    );

    let app = format!("entra:{TENANT}/application/a0000000-0000-4000-8000-000000000001");
    let secret = item(
        &report,
        &format!("{app}/client-secret/e0000000-0000-4000-8000-000000000001"),
    );
    assert_eq!(
        secret["usage"], "unknown",
        "reports refused: never 'never used'"
    );
    assert_eq!(secret["entra"]["hint"], "Tz4");
    // The grant is the service principal's: admin there, and reported
    // there once; the app shows the link and a level below admin.
    let sp = format!("entra:{TENANT}/service-principal/d0000000-0000-4000-8000-000000000001");
    assert_eq!(item(&report, &sp)["privilege"]["level"], "admin");
    let app_privilege = &item(&report, &app)["privilege"];
    assert_eq!(app_privilege["level"], "privileged", "{app_privilege}");
    let link = app_privilege.to_string();
    assert!(
        link.contains(&format!("linked service principal {sp}")),
        "{link}"
    );
    let f = findings(&report);
    assert!(
        !f.contains(&format!("admin-privilege {app}")),
        "one admin finding for one grant: {f:#?}"
    );
    let admin: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule_id"] == "admin-privilege" && x["identity_id"] == sp.as_str())
        .collect();
    assert_eq!(admin.len(), 1, "{admin:#?}");
    let message = admin[0]["message"].as_str().unwrap();
    assert!(
        message.contains("Application.ReadWrite.All")
            && message.contains("app registration old-test-app's credentials sign in as it"),
        "the finding names the app whose credentials sign in as it: {message}"
    );
    assert_eq!(
        item(&report, &sp)["entra"]["application_object_id"],
        "a0000000-0000-4000-8000-000000000001"
    );
    for expected in [
        format!("departed-owner {app}"),
        format!("no-expiry {app}/client-secret/e0000000-0000-4000-8000-000000000001"),
        format!("long-lived-secret {app}/client-secret/e0000000-0000-4000-8000-000000000001"),
        format!("broad-trust entra:{TENANT}/application/a0000000-0000-4000-8000-000000000002"),
        format!(
            "admin-privilege entra:{TENANT}/service-principal/d0000000-0000-4000-8000-000000000001"
        ),
    ] {
        assert!(f.contains(&expected), "missing {expected} in {f:#?}");
    }
    assert!(
        !f.iter()
            .any(|x| x.starts_with("never-used") || x.starts_with("unused-credential")),
        "{f:#?}"
    );
    assert!(
        !f.iter()
            .any(|x| x.contains("d0000000-0000-4000-8000-000000000000")),
        "Microsoft Graph's own SP is platform-managed: {f:#?}"
    );

    let saved = snaps.join(format!("{TENANT}.entra.json"));
    let text = std::fs::read_to_string(&saved).expect("snapshot written");
    assert_no_secrets(&[&stdout, &stderr, &text]);
    assert!(
        !text.contains("secretText"),
        "secret-bearing fields are never kept"
    );
    // The snapshot scans offline to the same inventory and findings.
    let (code, again, _) = nhiscan()
        .args(["scan", "--now", NOW, "-f", "json", "-i"])
        .arg_path(&saved)
        .run();
    assert_eq!(code, 3, "the snapshot keeps the partial reason");
    let again = json(&again);
    assert_eq!(findings(&again), f);
    assert_eq!(again["sources"][0]["kind"], "entra-snapshot");
    assert_eq!(again["sources"][0]["error"], source["error"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_sign_in_is_a_failed_source_that_never_shows_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(graph_status(&server, 401, "token-error.json"))
        .mount(&server)
        .await;
    let runner = live(nhiscan(), &server);
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || runner.run())
        .await
        .unwrap();
    assert_eq!(code, 3, "{stderr}");
    let report = json(&stdout);
    let source = &report["sources"][0];
    assert_eq!(source["status"], "failed");
    let error = source["error"].as_str().unwrap();
    assert!(
        error.contains("HTTP 401") && error.contains("AADSTS7000215"),
        "{error}"
    );
    assert_no_secrets(&[&stdout, &stderr]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_graph_rejects_is_a_failed_source() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(graph(&server, "token.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(graph_status(&server, 401, "error-401.json"))
        .mount(&server)
        .await;
    let runner = live(nhiscan(), &server);
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || runner.run())
        .await
        .unwrap();
    assert_eq!(code, 3, "{stderr}");
    let report = json(&stdout);
    assert_eq!(report["sources"][0]["status"], "failed");
    let error = report["sources"][0]["error"].as_str().unwrap();
    assert!(error.contains("401"), "{error}");
    assert_no_secrets(&[&stdout, &stderr]);
}

#[test]
fn the_az_exports_scan_offline_without_owners_or_secret_values() {
    let (code, stdout, stderr) = nhiscan()
        .args(["scan", "--now", NOW, "-f", "json", "-i"])
        .args([
            fixture_arg("entra/az-ad-app-list.json"),
            "-i".into(),
            fixture_arg("entra/az-ad-sp-list.json"),
        ])
        .run();
    assert_eq!(
        code, 0,
        "a complete scan (the default --fail-on is none): {stderr}"
    );
    assert!(
        !stdout.contains("CANARY") && !stderr.contains("CANARY"),
        "secretText is dropped"
    );
    let report = json(&stdout);
    let kinds: Vec<&str> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["az-ad-app-list", "az-ad-sp-list"]);
    let app = "entra:az-cli/application/0a1b2c3d-0000-4000-8000-000000000001";
    assert_eq!(item(&report, app)["entra"]["owners_read"], false);
    let f = findings(&report);
    for expected in [
        format!("missing-owner {app}"),
        format!("no-expiry {app}/client-secret/1c2d3e4f-0000-4000-8000-0000000000a1"),
        format!("expired-certificate {app}/certificate/1c2d3e4f-0000-4000-8000-0000000000c1"),
        "missing-owner entra:az-cli/service-principal/5e6f7081-0000-4000-8000-000000000003".into(),
    ] {
        assert!(f.contains(&expected), "missing {expected} in {f:#?}");
    }
    // No grants in the exports: privilege is unknown, so no privilege verdicts.
    assert!(!f
        .iter()
        .any(|x| x.starts_with("admin-privilege") || x.starts_with("third-party-privileged")));
    let crm: &Value = item(
        &report,
        "entra:az-cli/service-principal/5e6f7081-0000-4000-8000-000000000003",
    );
    assert_eq!(
        crm["entra"]["third_party"], true,
        "another tenant's multi-tenant app"
    );
    let own = item(
        &report,
        "entra:az-cli/service-principal/5e6f7081-0000-4000-8000-000000000002",
    );
    assert_eq!(own["entra"]["third_party"], false);
    let mi = item(
        &report,
        "entra:az-cli/managed-identity/5e6f7081-0000-4000-8000-000000000004",
    );
    assert_eq!(
        mi["credentials"].as_array().unwrap().len(),
        0,
        "Azure rotates a managed identity's keys"
    );
    let ai = item(
        &report,
        "entra:az-cli/application/0a1b2c3d-0000-4000-8000-000000000002",
    );
    assert_eq!(ai["ai"], true, "{}", ai["ai_reason"]);
}

#[test]
fn a_broken_az_export_names_the_file_and_line() {
    let dir = crate::common::dir_with(&[(
        "apps.json",
        "[\n {\"appId\": \"x\", \"passwordCredentials\": [], \"requiredResourceAccess\": [}\n]",
    )]);
    let (code, _, stderr) = nhiscan()
        .args(["scan", "-i"])
        .arg_path(&dir.path().join("apps.json"))
        .run();
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("apps.json:2"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_hold_at_most_twenty_and_a_refused_item_makes_the_source_partial() {
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(graph(&s, "token.json"))
        .mount(&s)
        .await;
    let apps: Vec<Value> = (0..45)
        .map(|i| {
            json!({
                "id": format!("app-{i:02}"),
                "appId": format!("00000000-0000-4000-8000-0000000000{i:02}"),
                "displayName": format!("app {i}"),
                "passwordCredentials": [],
                "keyCredentials": [],
                "requiredResourceAccess": [],
                "owners": []
            })
        })
        .collect();
    Mock::given(method("GET"))
        .and(path("/v1.0/applications"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications",
            "value": apps
        })))
        .with_priority(1)
        .mount(&s)
        .await;
    // Everything else: an empty collection.
    get(
        &s,
        "/v1.0/servicePrincipals",
        ResponseTemplate::new(200).set_body_json(json!({"value": []})),
    )
    .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .with_priority(10)
        .mount(&s)
        .await;
    let uri = s.uri();
    batch(&s, move |url| match url {
        "/applications/app-07/federatedIdentityCredentials" => (
            403,
            None,
            json!({"error": {
                "code": "Authorization_RequestDenied",
                "message": "Insufficient privileges to complete the operation.",
                "innerError": {"date": "2026-06-01T00:00:00", "request-id": "00000000-0000-0000-0000-000000000007"}
            }}),
        ),
        // Throttled every time: given up after the retry budget.
        "/applications/app-13/federatedIdentityCredentials" => {
            (429, Some("0"), fixture_json(&uri, "error-429.json"))
        }
        _ => (200, None, fixture_json(&uri, "federated-none.json")),
    })
    .await;
    let runner = live(nhiscan(), &s);
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || runner.run())
        .await
        .unwrap();
    assert_eq!(code, 3, "partial: {stderr}");
    let report = json(&stdout);
    let source = &report["sources"][0];
    assert_eq!(source["status"], "partial", "{source}");
    let calls = &source["api_calls"];
    assert_eq!(
        calls["POST /v1.0/$batch"], 6,
        "20 + 20 + 5, and three more tries for the throttled one: {calls}"
    );
    assert_eq!(
        calls["$batch: GET /v1.0/applications/{id}/federatedIdentityCredentials"], 48,
        "{calls}"
    );
    let error = source["error"].as_str().unwrap();
    assert!(
        error.contains(
            "GET /v1.0/applications/{id}/federatedIdentityCredentials: 2 of 45 failed (app-07, app-13): \
             HTTP 403 (permission denied) in $batch: Authorization_RequestDenied"
        ),
        "{error}"
    );
    // The items that were read are there; the refused one has no federated credentials read.
    assert_eq!(report["identities"].as_array().unwrap().len(), 45);
    assert_no_secrets(&[&stdout, &stderr]);
}
