//! Hostile servers (issue 19 and issue 12's live bounds): a server that echoes
//! credentials, never answers, drips its body, pages forever, points
//! pagination at another host or sends too much. Each scan must end, bounded,
//! with a partial or failed source naming the reason, and never print a
//! credential. Every server listens on 127.0.0.1.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::{nhiscan, nhiscan_in, NOW};
use crate::github_org::{FakeOrg, Server};

/// A GitHub token that must never be printed.
const TOKEN: &str = "ghp_hardeningCanaryToken0123456789abcd";
/// An OpenAI admin key that must never be printed.
const ADMIN_KEY: &str = "sk-admin-hardeningCanaryKey0123456789";
/// Longest any of these scans may run: past it, the scan hangs.
const BOUND: Duration = Duration::from_secs(90);

/// `nhiscan scan --github-org acme` against `uri` as JSON: (code, report, stderr).
fn github_scan(uri: &str, env: &[(&str, &str)]) -> (i32, Value, String) {
    let mut run = nhiscan().env("GITHUB_TOKEN", TOKEN);
    for (k, v) in env {
        run = run.env(k, v);
    }
    run.cmd.timeout(BOUND);
    let (code, stdout, stderr) = run
        .args(["scan", "--github-org", "acme", "--github-api-url", uri])
        .args(["-f", "json", "--now", NOW, "-q"])
        .run();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (code, report, stderr)
}

/// The org `acme` with one hostile endpoint in place of its members list.
fn acme_with_members(response: impl wiremock::Respond + 'static) -> Server {
    let server = Server::start();
    server.serve(&FakeOrg::empty("acme"));
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/members"))
            .respond_with(response)
            .with_priority(1),
    );
    server
}

fn source_error(report: &Value) -> String {
    report["sources"][0]["error"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn credentials_a_server_echoes_are_never_printed() {
    let server = Server::start();
    server.serve(&FakeOrg::empty("acme"));
    // A proxy quoting the auth header, and a body that fails to decode on the token.
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/members"))
            .respond_with(ResponseTemplate::new(502).set_body_json(
                json!({"message": format!("proxy saw: Authorization: Bearer {TOKEN}")}),
            ))
            .with_priority(1),
    );
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/hooks"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": TOKEN}])))
            .with_priority(1),
    );
    let dir = tempfile::tempdir().unwrap();
    for format in ["json", "table", "sarif", "markdown", "csv"] {
        let mut run = nhiscan_in(dir.path()).env("GITHUB_TOKEN", TOKEN);
        run.cmd.timeout(BOUND);
        let (code, stdout, stderr) = run
            .args([
                "scan",
                "--github-org",
                "acme",
                "--github-api-url",
                &server.uri(),
            ])
            .args([
                "-f",
                format,
                "--now",
                NOW,
                "-v",
                "--github-snapshot-dir",
                "snap",
            ])
            .run();
        assert_eq!(code, 3, "{stderr}");
        assert!(
            !stdout.contains("Canary") && !stderr.contains("Canary"),
            "{format}: {stdout}\n{stderr}"
        );
        assert!(
            stdout.contains("<redacted>") || stderr.contains("<redacted>"),
            "{format}"
        );
    }
    let saved = std::fs::read_to_string(dir.path().join("snap/acme.github.json")).unwrap();
    assert!(!saved.contains("Canary"), "{saved}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_key_in_a_decoding_error_is_never_printed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": ADMIN_KEY, "has_more": false})),
        )
        .mount(&server)
        .await;
    let uri = format!("{}/v1", server.uri());
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        let mut run = nhiscan()
            .env("OPENAI_ADMIN_KEY", ADMIN_KEY)
            .env("OPENAI_ORG_ID", "org-test");
        run.cmd.timeout(BOUND);
        run.args(["scan", "--openai", "--openai-api-url", &uri])
            .args(["-f", "json", "--now", NOW])
            .run()
    })
    .await
    .unwrap();
    assert_eq!(code, 3, "{stderr}");
    assert!(
        !stdout.contains("Canary") && !stderr.contains("Canary"),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains("invalid type"), "{stdout}");
}

/// A server on 127.0.0.1 that accepts connections and then, per connection,
/// runs `serve` on its own thread.
fn raw_server(serve: fn(std::net::TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    format!("http://{addr}")
}

/// Reads the request, then says nothing, ever.
fn silent(mut stream: std::net::TcpStream) {
    let mut buf = [0u8; 4096];
    let _ = stream.read(&mut buf);
    std::thread::sleep(Duration::from_secs(600));
}

/// Sends headers promising a long body, then one byte every 200 ms.
fn drip(mut stream: std::net::TcpStream) {
    let mut buf = [0u8; 4096];
    let _ = stream.read(&mut buf);
    let _ = stream.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n[",
    );
    for _ in 0..3000 {
        std::thread::sleep(Duration::from_millis(200));
        if stream.write_all(b" ").is_err() {
            return;
        }
    }
}

#[test]
fn a_github_server_that_never_answers_ends_in_a_failed_source() {
    let uri = raw_server(silent);
    let (code, report, stderr) = github_scan(
        &uri,
        &[
            ("NHISCAN_REQUEST_TIMEOUT_SECS", "1"),
            ("NHISCAN_SOURCE_DEADLINE_SECS", "5"),
        ],
    );
    assert_eq!(code, 3, "{stderr}");
    let error = source_error(&report);
    assert!(
        error.contains("no complete response within") || error.contains("deadline"),
        "{error}"
    );
}

#[test]
fn a_body_dripped_a_byte_at_a_time_hits_the_request_timeout() {
    let uri = raw_server(drip);
    let (code, report, stderr) = github_scan(
        &uri,
        &[
            ("NHISCAN_REQUEST_TIMEOUT_SECS", "2"),
            ("NHISCAN_SOURCE_DEADLINE_SECS", "20"),
        ],
    );
    assert_eq!(code, 3, "{stderr}");
    let error = source_error(&report);
    assert!(error.contains("no complete response within 2s"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_api_that_never_answers_ends_in_a_failed_source() {
    let uri = format!("{}/v1", raw_server(silent));
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        let mut run = nhiscan()
            .env("OPENAI_ADMIN_KEY", ADMIN_KEY)
            .env("OPENAI_ORG_ID", "org-test")
            .env("NHISCAN_REQUEST_TIMEOUT_SECS", "1")
            .env("NHISCAN_SOURCE_DEADLINE_SECS", "4");
        run.cmd.timeout(BOUND);
        run.args(["scan", "--openai", "--openai-api-url", &uri])
            .args(["-f", "json", "--now", NOW, "-q"])
            .run()
    })
    .await
    .unwrap();
    assert_eq!(code, 3, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["sources"][0]["status"], "failed");
    let error = source_error(&report);
    assert!(
        error.contains("no complete response within") || error.contains("deadline"),
        "{error}"
    );
}

/// Members pages that always link to the next one.
fn endless(request: &Request) -> ResponseTemplate {
    let page: u64 = request
        .url
        .query_pairs()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1);
    let next = format!(
        "<http://{}/orgs/acme/members?per_page=100&page={}>; rel=\"next\"",
        request.url.authority(),
        page + 1
    );
    ResponseTemplate::new(200)
        .insert_header("link", next.as_str())
        .set_body_json(json!([]))
}

#[test]
fn endless_link_pagination_stops_at_the_page_cap() {
    let server = acme_with_members(endless);
    let (code, report, stderr) = github_scan(&server.uri(), &[("NHISCAN_MAX_PAGES", "5")]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(report["sources"][0]["status"], "partial");
    let error = source_error(&report);
    assert!(error.contains("stopped after 5 pages"), "{error}");
    assert_eq!(
        report["sources"][0]["api_calls"]["GET /orgs/{org}/members"],
        5
    );
}

#[test]
fn a_scheme_less_link_is_not_followed_to_another_host() {
    let elsewhere = Server::start();
    elsewhere.mount(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([]))),
    );
    let other = elsewhere.mock.address().to_string();
    let link = format!("<{other}/orgs/acme/members?page=2>; rel=\"next\"");
    let server = acme_with_members(
        ResponseTemplate::new(200)
            .insert_header("link", link.as_str())
            .set_body_json(json!([])),
    );
    let (code, report, stderr) = github_scan(&server.uri(), &[]);
    assert_eq!(code, 3, "{stderr}");
    let error = source_error(&report);
    assert!(error.contains("cannot follow the next page"), "{error}");
    let requests = elsewhere.requests();
    assert!(
        requests.is_empty(),
        "a request left the configured origin: {requests:?}"
    );
}

#[test]
fn a_response_over_the_body_cap_fails_the_list() {
    let big: Vec<Value> = (0..200)
        .map(|i| json!({"login": format!("user-{i}"), "id": i}))
        .collect();
    let server = acme_with_members(ResponseTemplate::new(200).set_body_json(big));
    let (code, report, stderr) =
        github_scan(&server.uri(), &[("NHISCAN_MAX_RESPONSE_BYTES", "2000")]);
    assert_eq!(code, 3, "{stderr}");
    let error = source_error(&report);
    assert!(
        error.contains("response body larger than 2000 bytes"),
        "{error}"
    );
}

#[test]
fn credentials_in_an_api_url_are_never_shown() {
    let server = Server::start();
    server.serve(&FakeOrg::empty("acme"));
    let uri = server
        .uri()
        .replacen("http://", "http://proxyuser:Pr0xyPassCanary@", 1);
    let mut run = nhiscan().env("GITHUB_TOKEN", TOKEN);
    run.cmd.timeout(BOUND);
    let (_, stdout, stderr) = run
        .args(["scan", "--github-org", "acme", "--github-api-url", &uri])
        .args(["-f", "json", "--now", NOW, "-v"])
        .run();
    assert!(
        !stdout.contains("Pr0xyPass") && !stderr.contains("Pr0xyPass"),
        "{stdout}\n{stderr}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let location = report["sources"][0]["location"].as_str().unwrap();
    assert!(
        location.ends_with("/orgs/acme") && !location.contains('@'),
        "{location}"
    );
}

#[test]
fn a_token_that_cannot_be_a_header_is_a_usage_error_not_a_panic() {
    let (code, _, stderr) = nhiscan()
        .env("GH_TOKEN", "ghp_x\ny")
        .args([
            "scan",
            "--github-org",
            "acme",
            "--github-api-url",
            "http://127.0.0.1:9",
        ])
        .run();
    assert_eq!(code, 2, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("cannot be sent in an HTTP header"),
        "{stderr}"
    );
    assert!(!stderr.contains("ghp_x"), "{stderr}");
}

#[test]
fn the_same_arn_in_two_files_of_one_kind_is_a_warning_naming_both() {
    let details =
        std::fs::read_to_string(crate::common::fixture("demo/authorization-details.json")).unwrap();
    let dir = crate::common::dir_with(&[("first.json", &details), ("second.json", &details)]);
    let (code, stdout, stderr) = nhiscan()
        .args(["scan", "-f", "json", "--now", NOW, "--input"])
        .arg_path(dir.path())
        .run();
    assert!(code == 0 || code == 1, "{stderr}");
    let warning = stderr
        .lines()
        .find(|l| l.contains("in both"))
        .unwrap_or_else(|| panic!("no duplicate warning: {stderr}"));
    assert!(
        warning.contains("first.json") && warning.contains("second.json"),
        "{warning}"
    );
    assert!(warning.contains("arn:aws:iam::"), "{warning}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        report.to_string().contains("in both"),
        "the warning is in the JSON too"
    );
}

#[test]
fn control_characters_in_file_names_and_errors_are_escaped_on_stderr() {
    let dir =
        crate::common::dir_with(&[("evil\u{1b}]0;owned\u{7}.json", "{\"Version\": \u{1b}[2J")]);
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let (code, _, stderr) = nhiscan().args(["scan", "--input"]).arg_path(&file).run();
    assert_eq!(code, 2, "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}"), "{stderr}");
}

#[test]
fn a_closed_stderr_is_not_a_panic() {
    let dev_full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    #[allow(deprecated)]
    let bin = assert_cmd::cargo::cargo_bin("nhiscan");
    let out = std::process::Command::new(bin)
        .args(["scan", "--input", "/nonexistent/nhiscan-input"])
        .stderr(dev_full)
        .output()
        .unwrap();
    // Exit 2 for the missing input, and no panic (which would be 101).
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn an_optional_aws_call_moto_lacks_gets_a_small_retry_budget() {
    let moto = crate::moto::Moto::start("account");
    // The SDK's own retry settings (8 attempts) for the essential calls.
    let mut run = crate::moto::aws_nhiscan("testing", "testing", None);
    run.cmd.timeout(BOUND);
    let (code, stdout, stderr) = run
        .args(["scan", "--aws", "--aws-endpoint-url", &moto.url])
        .args(["--now", &moto.now, "-f", "json", "-q"])
        .run();
    assert_eq!(code, 3, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let source = &report["sources"][0];
    assert_eq!(source["status"], "partial");
    assert!(
        source["error"]
            .as_str()
            .unwrap()
            .contains("ListServiceSpecificCredentials"),
        "{source}"
    );
    // moto answers it with HTTP 500: three attempts, not eight.
    assert_eq!(
        source["api_calls"]["ListServiceSpecificCredentials"], 3,
        "{source}"
    );
    assert_eq!(
        source["api_calls"]["GetAccountAuthorizationDetails"], 1,
        "{source}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_marker_that_never_advances_ends_the_listing_as_partial() {
    use crate::aws_stub::{ok, stub_account, IAM_NS};
    use wiremock::matchers::body_string_contains;
    let server = stub_account().await;
    Mock::given(method("POST"))
        .and(body_string_contains(
            "Action=GetAccountAuthorizationDetails&",
        ))
        .respond_with(ok(
            "GetAccountAuthorizationDetails",
            IAM_NS,
            "<IsTruncated>true</IsTruncated><Marker>same-marker</Marker>\
             <UserDetailList/><GroupDetailList/><RoleDetailList/><Policies/>",
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    let url = server.uri();
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        let mut run = crate::moto::aws_nhiscan("AKIAEXAMPLEAUDITOR01", "test-secret", None);
        run.cmd.timeout(BOUND);
        run.args([
            "scan",
            "--aws",
            "--aws-endpoint-url",
            &url,
            "-f",
            "json",
            "-q",
        ])
        .args(["--now", NOW])
        .run()
    })
    .await
    .unwrap();
    assert_eq!(code, 3, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let source = &report["sources"][0];
    assert_eq!(source["status"], "partial", "{source}");
    assert!(
        source["error"]
            .as_str()
            .unwrap()
            .contains("Marker seen before"),
        "{source}"
    );
    assert!(
        source["api_calls"]["GetAccountAuthorizationDetails"]
            .as_u64()
            .unwrap()
            <= 3
    );
}
