//! Microsoft Entra ID: `--entra` against a local wiremock server serving
//! Graph bodies shaped as Microsoft's Graph reference shows them
//! (`fixtures/entra/graph/`): a client-credentials token endpoint,
//! `@odata.nextLink` pagination, a 429 with `Retry-After`, beta usage
//! reports refused with 403 (partial) and a rejected sign-in (failed). Also
//! the `az ad app/sp list` exports offline, and a canary secret that never
//! reaches any output.

use serde_json::Value;
use wiremock::matchers::{
    body_string_contains, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::admin_api::{findings, item, json};
use crate::common::{fixture, fixture_arg, nhiscan, nhiscan_in, Nhiscan, NOW};

const TENANT: &str = "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901";
const CANARY: &str = "CANARY-entra-client-secret-7Q~xyz";
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.TEST-ACCESS-TOKEN.c2ln";

/// A Graph fixture with `{{SERVER}}` replaced by the server's URI.
fn graph(server: &MockServer, rel: &str) -> ResponseTemplate {
    graph_status(server, 200, rel)
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
    for (app, rel) in [
        (
            "a0000000-0000-4000-8000-000000000001",
            "federated-none.json",
        ),
        (
            "a0000000-0000-4000-8000-000000000002",
            "federated-deploy.json",
        ),
    ] {
        get(
            &s,
            &format!("/v1.0/applications/{app}/federatedIdentityCredentials"),
            graph(&s, rel),
        )
        .await;
    }
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
    for (sp, rel) in [
        (
            "d0000000-0000-4000-8000-000000000001",
            "assignments-old-test-app.json",
        ),
        (
            "d0000000-0000-4000-8000-000000000002",
            "assignments-deploy-pipeline.json",
        ),
    ] {
        get(
            &s,
            &format!("/v1.0/servicePrincipals/{sp}/appRoleAssignments"),
            graph(&s, rel),
        )
        .await;
    }
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
        calls["GET /v1.0/applications/{id}/federatedIdentityCredentials"],
        2
    );
    assert_eq!(
        calls["GET /v1.0/servicePrincipals/{id}/appRoleAssignments"], 2,
        "not Microsoft Graph's own"
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
    assert_eq!(item(&report, &app)["privilege"]["level"], "admin");
    let f = findings(&report);
    for expected in [
        format!("admin-privilege {app}"),
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
