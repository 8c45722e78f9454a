//! Microsoft Entra ID: every way `--entra` signs in, each against a local
//! token server shaped as Microsoft documents it (wiremock on 127.0.0.1):
//! client credentials with a certificate (PEM and PKCS#12: a signed client
//! assertion with `x5t` and `x5t#S256`), workload identity federation,
//! managed identity through App Service's `IDENTITY_ENDPOINT` and through
//! the instance metadata service (`--entra-imds-url`), and the order
//! between them. Canaries (a private key, a PKCS#12 password, an
//! `IDENTITY_HEADER`, a federated token) never reach any output. Graph
//! itself answers an empty tenant here; `entra.rs` reads a full one.

use serde_json::Value;
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{fixture, nhiscan, Nhiscan, NOW};

const TENANT: &str = "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901";
const CLIENT: &str = "11112222-3333-4444-5555-666677778888";
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.TEST-ACCESS-TOKEN.c2ln";
const PFX_PASSWORD: &str = "CANARY-pfx-password-42";
const IDENTITY_HEADER: &str = "CANARY-identity-header-9f8e7d";
const FEDERATED: &str = "eyJhbGciOiJSUzI1NiJ9.CANARY-federated-token.c2ln";

/// Every variable that picks a way to sign in.
const AUTH_VARS: &[&str] = &[
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_POD_IDENTITY_AUTHORITY_HOST",
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "MSI_ENDPOINT",
    "MSI_SECRET",
];

/// Graph for an empty tenant: every GET with the token answers an empty page.
async fn empty_graph(server: &MockServer) {
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(r#"{"value": []}"#),
        )
        .mount(server)
        .await;
}

/// The token endpoint's answer, as `fixtures/entra/graph/token.json`.
fn token_answer() -> ResponseTemplate {
    let text = std::fs::read_to_string(fixture("entra/graph/token.json")).unwrap();
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/json")
        .set_body_string(text)
}

/// A scan of `server` as Graph, login and IMDS, with no sign-in variable
/// set but `vars`.
fn scan(server: &MockServer, vars: &[(&str, &str)]) -> Nhiscan {
    scan_with_imds(server, &server.uri(), vars)
}

/// The same with IMDS at `imds` (never the real one: tests stay on 127.0.0.1).
fn scan_with_imds(server: &MockServer, imds: &str, vars: &[(&str, &str)]) -> Nhiscan {
    let mut runner = nhiscan()
        .args(["scan", "--entra", "--now", NOW, "-f", "json"])
        .args([
            "--graph-url",
            &server.uri(),
            "--entra-login-url",
            &server.uri(),
            "--entra-imds-url",
            imds,
        ]);
    for var in AUTH_VARS {
        runner.cmd.env_remove(var);
    }
    // No `az` to fall back on.
    runner.cmd.env("PATH", "/nonexistent");
    for (k, v) in vars {
        runner = runner.env(k, v);
    }
    runner
}

async fn run(runner: Nhiscan) -> (i32, Value, String, String) {
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || runner.run())
        .await
        .unwrap();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (code, report, stdout, stderr)
}

fn assert_clean(texts: &[&str], canaries: &[&str]) {
    for t in texts {
        assert!(
            !t.contains("TEST-ACCESS-TOKEN"),
            "the access token leaked: {t}"
        );
        for c in canaries {
            assert!(!t.contains(c), "{c} leaked: {t}");
        }
    }
}

/// A line from the middle of the test key: the key's canary.
fn key_canary() -> String {
    let pem = std::fs::read_to_string(fixture("entra/cert/nhiscan-test.pem")).unwrap();
    let key = pem.split("-----BEGIN PRIVATE KEY-----").nth(1).unwrap();
    key.lines().nth(5).unwrap().to_string()
}

/// The form fields of the one token request.
async fn token_form(server: &MockServer) -> Vec<(String, String)> {
    let requests = server.received_requests().await.unwrap();
    let token = requests
        .iter()
        .find(|r| r.method.as_str() == "POST" && r.url.path().ends_with("/oauth2/v2.0/token"))
        .expect("a token request");
    url::form_urlencoded::parse(&token.body)
        .into_owned()
        .collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Checks a client assertion: signed by the test key, with both
/// thumbprints, for this client at this token endpoint.
fn check_assertion(jwt: &str, audience: &str) {
    use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
    let header = decode_header(jwt).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);
    let x5t = std::fs::read_to_string(fixture("entra/cert/x5t.txt")).unwrap();
    assert_eq!(header.x5t.as_deref(), Some(x5t.trim()), "SHA-1 thumbprint");
    assert_eq!(
        header.x5t_s256.as_ref().map(String::len),
        Some(43),
        "SHA-256 thumbprint"
    );
    let public = std::fs::read(fixture("entra/cert/nhiscan-test.pub.pem")).unwrap();
    let mut v = Validation::new(Algorithm::RS256);
    v.set_audience(&[audience]);
    v.set_required_spec_claims(&["exp", "aud", "iss", "sub", "nbf"]);
    let claims = decode::<Value>(jwt, &DecodingKey::from_rsa_pem(&public).unwrap(), &v)
        .expect("a valid signature and claims")
        .claims;
    assert_eq!(claims["iss"], CLIENT);
    assert_eq!(claims["sub"], CLIENT);
    assert!(
        claims["jti"].as_str().is_some_and(|j| j.len() == 36),
        "{claims}"
    );
    let life = claims["exp"].as_i64().unwrap() - claims["nbf"].as_i64().unwrap();
    assert!(
        (60..=600).contains(&life),
        "a short-lived assertion: {life}s"
    );
}

async fn certificate_sign_in(file: &str, password: Option<&str>) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer",
        ))
        .respond_with(token_answer())
        .expect(1)
        .mount(&server)
        .await;
    empty_graph(&server).await;
    let cert = fixture(&format!("entra/cert/{file}"));
    let mut vars = vec![
        ("AZURE_TENANT_ID", TENANT),
        ("AZURE_CLIENT_ID", CLIENT),
        ("AZURE_CLIENT_CERTIFICATE_PATH", cert.to_str().unwrap()),
        (
            "AZURE_FEDERATED_TOKEN_FILE",
            "/nonexistent/later-in-the-order",
        ),
    ];
    if let Some(p) = password {
        vars.push(("AZURE_CLIENT_CERTIFICATE_PASSWORD", p));
    }
    let (code, report, stdout, stderr) = run(scan(&server, &vars)).await;
    assert_eq!(code, 0, "an empty tenant, read completely: {stderr}");
    assert_eq!(
        report["sources"][0]["status"], "ok",
        "{}",
        report["sources"]
    );
    let form = token_form(&server).await;
    assert_eq!(field(&form, "client_id"), Some(CLIENT));
    assert_eq!(
        field(&form, "scope"),
        Some(format!("{}/.default", server.uri()).as_str())
    );
    assert!(field(&form, "client_secret").is_none());
    let jwt = field(&form, "client_assertion").expect("client_assertion");
    check_assertion(jwt, &format!("{}/{TENANT}/oauth2/v2.0/token", server.uri()));
    assert_clean(&[&stdout, &stderr], &[&key_canary(), PFX_PASSWORD, jwt]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pem_certificate_signs_a_client_assertion() {
    certificate_sign_in("nhiscan-test.pem", None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pkcs12_certificate_with_its_password_signs_the_same_assertion() {
    certificate_sign_in("nhiscan-test.pfx", Some(PFX_PASSWORD)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_certificate_password_is_a_failed_source_naming_the_file() {
    let server = MockServer::start().await;
    let cert = fixture("entra/cert/nhiscan-test.pfx");
    let (code, report, stdout, stderr) = run(scan(
        &server,
        &[
            ("AZURE_TENANT_ID", TENANT),
            ("AZURE_CLIENT_ID", CLIENT),
            ("AZURE_CLIENT_CERTIFICATE_PATH", cert.to_str().unwrap()),
            ("AZURE_CLIENT_CERTIFICATE_PASSWORD", "CANARY-wrong-password"),
        ],
    ))
    .await;
    assert_eq!(code, 3, "{stderr}");
    let source = &report["sources"][0];
    assert_eq!(source["status"], "failed");
    let error = source["error"].as_str().unwrap();
    assert!(
        error.contains("nhiscan-test.pfx") && error.contains("AZURE_CLIENT_CERTIFICATE_PASSWORD"),
        "{error}"
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing sent"
    );
    assert_clean(
        &[&stdout, &stderr],
        &["CANARY-wrong-password", &key_canary()],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn workload_identity_sends_the_federated_token_as_the_assertion() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .and(body_string_contains(
            format!("client_assertion={FEDERATED}").as_str(),
        ))
        .respond_with(token_answer())
        .expect(1)
        .mount(&server)
        .await;
    empty_graph(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("azure-identity-token");
    std::fs::write(&file, format!("{FEDERATED}\n")).unwrap();
    let (code, report, stdout, stderr) = run(scan(
        &server,
        &[
            ("AZURE_TENANT_ID", TENANT),
            ("AZURE_CLIENT_ID", CLIENT),
            ("AZURE_FEDERATED_TOKEN_FILE", file.to_str().unwrap()),
            // Later in the order: never used while the federated token works.
            ("IDENTITY_ENDPOINT", "http://127.0.0.1:9/never"),
            ("IDENTITY_HEADER", IDENTITY_HEADER),
        ],
    ))
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["sources"][0]["status"], "ok");
    assert_clean(&[&stdout, &stderr], &[FEDERATED, IDENTITY_HEADER]);
}

#[tokio::test(flavor = "multi_thread")]
async fn app_service_managed_identity_uses_identity_endpoint_and_header() {
    let server = MockServer::start().await;
    // App Service's answer, as its managed identity REST reference shows it.
    Mock::given(method("GET"))
        .and(path("/msi/token"))
        .and(query_param("api-version", "2019-08-01"))
        .and(query_param("resource", server.uri().as_str()))
        .and(query_param("client_id", CLIENT))
        .and(header("x-identity-header", IDENTITY_HEADER))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": TOKEN,
            "expires_on": "1780272000",
            "resource": server.uri(),
            "token_type": "Bearer",
            "client_id": CLIENT,
        })))
        .expect(1)
        .mount(&server)
        .await;
    empty_graph(&server).await;
    let endpoint = format!("{}/msi/token", server.uri());
    let (code, report, stdout, stderr) = run(scan(
        &server,
        &[
            // A user-assigned identity, named by its client id.
            ("AZURE_CLIENT_ID", CLIENT),
            ("IDENTITY_ENDPOINT", &endpoint),
            ("IDENTITY_HEADER", IDENTITY_HEADER),
        ],
    ))
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["sources"][0]["status"], "ok");
    assert_clean(&[&stdout, &stderr], &[IDENTITY_HEADER]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_app_service_identity_is_a_failed_source_without_the_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/msi/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "statusCode": 400,
            "message": format!("Unable to load the proper Managed Identity. header {IDENTITY_HEADER}"),
        })))
        .mount(&server)
        .await;
    let endpoint = format!("{}/msi/token", server.uri());
    let (code, report, stdout, stderr) = run(scan(
        &server,
        &[
            ("IDENTITY_ENDPOINT", &endpoint),
            ("IDENTITY_HEADER", IDENTITY_HEADER),
        ],
    ))
    .await;
    assert_eq!(code, 3, "{stderr}");
    let error = report["sources"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("HTTP 400") && error.contains("Unable to load"),
        "{error}"
    );
    assert_clean(&[&stdout, &stderr], &[IDENTITY_HEADER]);
}

#[tokio::test(flavor = "multi_thread")]
async fn imds_managed_identity_is_asked_with_the_metadata_header() {
    let server = MockServer::start().await;
    // IMDS's answer, as "How to use managed identities on a VM" shows it.
    Mock::given(method("GET"))
        .and(path("/metadata/identity/oauth2/token"))
        .and(query_param("api-version", "2018-02-01"))
        .and(query_param("resource", server.uri().as_str()))
        .and(header("metadata", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": TOKEN,
            "refresh_token": "",
            "expires_in": "3599",
            "expires_on": "1780272000",
            "not_before": "1780268100",
            "resource": server.uri(),
            "token_type": "Bearer",
        })))
        .expect(1)
        .mount(&server)
        .await;
    empty_graph(&server).await;
    let (code, report, stdout, stderr) = run(scan(&server, &[])).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["sources"][0]["status"], "ok");
    assert_clean(&[&stdout, &stderr], &[]);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_managed_identity_falls_through_to_the_cli_and_says_why_both_failed() {
    // A closed port stands for IMDS off Azure; there is no `az` on PATH.
    let server = MockServer::start().await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let runner = scan_with_imds(&server, &closed, &[]);
    let (code, report, _, stderr) = run(runner).await;
    assert_eq!(code, 3, "{stderr}");
    let error = report["sources"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("no managed identity") && error.contains("az login"),
        "{error}"
    );
}
