//! Kubernetes live: `--k8s` / `--kube-context` against a local wiremock API
//! server on 127.0.0.1 (plain http), serving the List bodies of
//! `fixtures/kubernetes/api/` (shaped as the Kubernetes API reference shows
//! them; written by `scripts/gen-kubernetes-api-fixtures.py`) through a
//! kubeconfig fixture. Covers `limit`/`continue` pagination, token Secrets
//! read by metadata only (a canary in a full Secret List is never fetched),
//! a 403 on secrets (partial, with the reason), a 401 (failed), a repeated
//! `continue` token, and two contexts in one scan.

use serde_json::Value;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::{fixture, fixture_arg, nhiscan, NOW};

const BEARER: &str = "Bearer KUBE-TEST-BEARER-TOKEN-not-a-secret";
const METADATA_LIST: &str = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
const TOKEN_SELECTOR: &str = "type=kubernetes.io/service-account-token";
/// In `secrets-full.json`: base64 of `KUBE-CANARY-live-token-do7notleak`.
const CANARY: &str = "S1VCRS1DQU5BUlktbGl2ZS10b2tlbi1kbzdub3RsZWFr";
const CANARY_TEXT: &str = "KUBE-CANARY-live-token-do7notleak";

fn body(rel: &str) -> String {
    std::fs::read_to_string(fixture(&format!("kubernetes/api/{rel}"))).expect("fixture")
}

fn json_response(status: u16, rel: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .set_body_string(body(rel))
}

/// How the server answers the secrets listing.
#[derive(Clone, Copy, PartialEq)]
enum Secrets {
    Metadata,
    Forbidden,
}

/// A cluster: every kind nhiscan lists, ServiceAccounts in two pages.
async fn cluster(secrets: Secrets) -> MockServer {
    let s = MockServer::start().await;
    let get = |route: &str| {
        Mock::given(method("GET"))
            .and(path(route.to_string()))
            .and(header("authorization", BEARER))
    };
    get("/api/v1/serviceaccounts")
        .and(query_param("limit", "500"))
        .and(query_param_is_missing("continue"))
        .respond_with(json_response(200, "serviceaccounts-1.json"))
        .expect(1)
        .mount(&s)
        .await;
    let next: Value = serde_json::from_str(&body("serviceaccounts-1.json")).unwrap();
    let token = next["metadata"]["continue"].as_str().unwrap().to_string();
    get("/api/v1/serviceaccounts")
        .and(query_param("limit", "500"))
        .and(query_param("continue", token.as_str()))
        .respond_with(json_response(200, "serviceaccounts-2.json"))
        .expect(1)
        .mount(&s)
        .await;
    match secrets {
        Secrets::Metadata => {
            get("/api/v1/secrets")
                .and(header("accept", METADATA_LIST))
                .and(query_param("fieldSelector", TOKEN_SELECTOR))
                .respond_with(json_response(200, "secrets-metadata.json"))
                .expect(1)
                .mount(&s)
                .await
        }
        Secrets::Forbidden => {
            get("/api/v1/secrets")
                .respond_with(json_response(403, "status-403-secrets.json"))
                .mount(&s)
                .await
        }
    }
    // A plain list would get the values: it must never be asked for.
    Mock::given(method("GET"))
        .and(path("/api/v1/secrets"))
        .respond_with(json_response(200, "secrets-full.json"))
        .with_priority(10)
        .expect(0)
        .mount(&s)
        .await;
    for (route, file) in [
        ("/apis/rbac.authorization.k8s.io/v1/roles", "roles.json"),
        (
            "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            "clusterroles.json",
        ),
        (
            "/apis/rbac.authorization.k8s.io/v1/rolebindings",
            "rolebindings.json",
        ),
        (
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            "clusterrolebindings.json",
        ),
        ("/api/v1/pods", "pods.json"),
        ("/api/v1/namespaces", "namespaces.json"),
    ] {
        get(route)
            .and(query_param("limit", "500"))
            .respond_with(json_response(200, file))
            .expect(1)
            .mount(&s)
            .await;
    }
    get("/api/v1/namespaces/kube-system/configmaps/kube-apiserver-legacy-service-account-token-tracking")
        .respond_with(json_response(200, "tracking-configmap.json"))
        .mount(&s)
        .await;
    s
}

/// The kubeconfig fixture, its servers filled in, in a fresh directory.
fn kubeconfig(first: &MockServer, second: &MockServer) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = body("kubeconfig.yaml")
        .replace("{{SERVER}}", &first.uri())
        .replace("{{SERVER2}}", &second.uri());
    std::fs::write(dir.path().join("config"), text).unwrap();
    dir
}

/// Runs `nhiscan scan -f json` with the kubeconfig in `dir` and `args`.
async fn scan(dir: &tempfile::TempDir, args: &[&str]) -> (i32, String, String) {
    let config = dir.path().join("config").display().to_string();
    let home = dir.path().display().to_string();
    let runner = nhiscan()
        .args(["scan", "-q", "--now", NOW, "-f", "json"])
        .args(args)
        .env("KUBECONFIG", &config)
        .env("HOME", &home);
    tokio::task::spawn_blocking(move || runner.run())
        .await
        .unwrap()
}

fn parse(stdout: &str, stderr: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"))
}

fn no_canary(texts: &[&str]) {
    for t in texts {
        assert!(
            !t.contains(CANARY) && !t.contains(CANARY_TEXT),
            "a token value leaked"
        );
        assert!(
            !t.contains("KUBE-TEST-BEARER-TOKEN"),
            "the kubeconfig token leaked"
        );
    }
}

/// Identities other than the cluster item, which also counts objects read.
fn accounts(json: &Value) -> Vec<Value> {
    json["identities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] != "cluster")
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_live_scan_pages_reads_tokens_by_metadata_only_and_matches_the_files() {
    let server = cluster(Secrets::Metadata).await;
    let dir = kubeconfig(&server, &server);
    let (code, stdout, stderr) = scan(&dir, &["--k8s"]).await;
    no_canary(&[&stdout, &stderr]);
    let live = parse(&stdout, &stderr);
    let sources = live["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert_eq!(sources[0]["kind"], "kubernetes-api");
    assert_eq!(
        sources[0]["scope"], "fx",
        "the current context names the cluster"
    );
    assert_eq!(sources[0]["status"], "ok", "{}", sources[0]);
    assert_eq!(code, 0, "{stderr}");

    // The same objects read from kubectl files give the same inventory and
    // findings: one conversion for both.
    let (_, offline_out, offline_err) = nhiscan()
        .args(["scan", "-q", "--now", NOW, "-f", "json", "-i"])
        .args([fixture_arg("kubernetes/split")])
        .args(["--kube-cluster-name", "fx"])
        .run();
    let offline = parse(&offline_out, &offline_err);
    assert!(!accounts(&live).is_empty());
    assert_eq!(accounts(&live), accounts(&offline));
    assert_eq!(live["findings"], offline["findings"]);

    // The request was metadata-only, with the field selector.
    let asked = server.received_requests().await.unwrap();
    let secrets: Vec<&Request> = asked
        .iter()
        .filter(|r| r.url.path() == "/api/v1/secrets")
        .collect();
    assert_eq!(secrets.len(), 1);
    assert_eq!(secrets[0].headers["accept"], METADATA_LIST);
    assert!(secrets[0]
        .url
        .query_pairs()
        .any(|(k, v)| k == "fieldSelector" && v == TOKEN_SELECTOR));
    assert!(asked
        .iter()
        .all(|r| r.method == wiremock::http::Method::GET));
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn forbidden_secrets_make_the_source_partial_with_the_reason() {
    let server = cluster(Secrets::Forbidden).await;
    let dir = kubeconfig(&server, &server);
    let (code, stdout, stderr) = scan(&dir, &["--kube-context", "fx"]).await;
    no_canary(&[&stdout, &stderr]);
    assert_eq!(code, 3, "partial: {stderr}");
    let json = parse(&stdout, &stderr);
    let source = &json["sources"][0];
    assert_eq!(source["status"], "partial", "{source}");
    let error = source["error"].as_str().unwrap();
    assert!(
        error.contains("Secret: HTTP 403 Forbidden") && error.contains("cannot list resource"),
        "{error}"
    );
    // Everything else was read: accounts with their privilege, no tokens.
    let deployer = json["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "k8s:fx/apps/serviceaccount/deployer")
        .expect("deployer");
    assert_eq!(deployer["privilege"]["level"], "privileged");
    assert!(json["identities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["credentials"].as_array().is_none_or(|c| c.is_empty())));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_login_is_a_failed_source() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(401, "status-401.json"))
        .mount(&server)
        .await;
    let dir = kubeconfig(&server, &server);
    let (code, stdout, stderr) = scan(&dir, &["--k8s"]).await;
    no_canary(&[&stdout, &stderr]);
    assert_eq!(code, 3, "{stderr}");
    let json = parse(&stdout, &stderr);
    let source = &json["sources"][0];
    assert_eq!(source["status"], "failed", "{source}");
    assert!(
        source["error"]
            .as_str()
            .unwrap()
            .contains("HTTP 401 Unauthorized"),
        "{source}"
    );
    assert_eq!(json["identities"].as_array().unwrap().len(), 0);
    // Nothing more is tried after a 401 on the first list.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_contexts_are_two_sources_and_two_scopes() {
    let east = cluster(Secrets::Metadata).await;
    let west = cluster(Secrets::Forbidden).await;
    let dir = kubeconfig(&east, &west);
    let (code, stdout, stderr) =
        scan(&dir, &["--kube-context", "fx", "--kube-context", "west"]).await;
    no_canary(&[&stdout, &stderr]);
    assert_eq!(code, 3, "west is partial: {stderr}");
    let json = parse(&stdout, &stderr);
    let sources: Vec<(String, String)> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["scope"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            ("fx".into(), "ok".into()),
            ("west".into(), "partial".into())
        ]
    );
    let ids: Vec<&str> = json["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"k8s:fx/apps/serviceaccount/deployer"),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"k8s:west/apps/serviceaccount/deployer"),
        "{ids:?}"
    );
    // --kube-cluster-name names one cluster, not several.
    let (code, _, stderr) = scan(
        &dir,
        &[
            "--kube-context",
            "fx",
            "--kube-context",
            "west",
            "--kube-cluster-name",
            "x",
        ],
    )
    .await;
    assert_eq!(code, 2, "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_continue_token_seen_before_stops_the_listing() {
    let server = MockServer::start().await;
    let looping = body("pods.json").replace(
        "\"resourceVersion\": \"4711\"\n    },\n    \"items\"",
        "\"resourceVersion\": \"4711\",\n        \"continue\": \"again\"\n    },\n    \"items\"",
    );
    assert!(
        looping.contains("\"again\""),
        "the fixture's ListMeta moved"
    );
    Mock::given(method("GET"))
        .and(path("/api/v1/pods"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(looping),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/serviceaccounts"))
        .respond_with(json_response(200, "serviceaccounts-2.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(r#"{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}"#),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    let dir = kubeconfig(&server, &server);
    let (code, stdout, stderr) = scan(&dir, &["--k8s"]).await;
    assert_eq!(code, 3, "{stderr}");
    let json = parse(&stdout, &stderr);
    let error = json["sources"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("Pod: the server sent a continue token again"),
        "{error}"
    );
    let pods = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/api/v1/pods")
        .count();
    assert_eq!(pods, 2, "the first page, then the repeated token once");
}
