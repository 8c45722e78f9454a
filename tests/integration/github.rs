//! The GitHub provider against a local wiremock server serving GitHub's own
//! example bodies: pagination, rate limits, failures, App authentication,
//! snapshots, and the rules on a departed owner and a clean org.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use nhiscan::progress::Progress;
use nhiscan::providers::github::live::endpoint;
use nhiscan::providers::github::model::{
    CredentialAuthorization, DeployKey, Hook, InstallationPage, PatGrant, PatRequest, Repo,
    SecretPage, User,
};
use nhiscan::providers::github::snapshot::{Outcome, Problem};
use nhiscan::providers::github::{self, Auth, Clock, OrgSnapshot, Secret};

use crate::common::{dir_with, fixture, fixture_arg, nhiscan, nhiscan_in, NOW};
use crate::github_org::{
    deploy_key, hook, installation, member, pat_grant, pat_request, secret, vector, FakeOrg,
    FakeRepo, Server,
};

/// A token that must never show up in any output.
const TOKEN: &str = "ghp_nhiscanSentinelToken0123456789abcdef";

/// A clock that records each wait, with what the progress bar said, instead of sleeping.
struct FakeClock {
    now: Mutex<Timestamp>,
    waits: Mutex<Vec<(u64, String)>>,
    progress: Progress,
}

impl Clock for FakeClock {
    fn now(&self) -> Timestamp {
        *self.now.lock().unwrap()
    }

    fn sleep(
        &self,
        d: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.waits
            .lock()
            .unwrap()
            .push((d.as_secs(), self.progress.last_message()));
        let mut now = self.now.lock().unwrap();
        *now = now.checked_add(d).unwrap();
        Box::pin(async {})
    }
}

/// The parts that failed (a skipped part, like credential authorizations on a
/// non-Enterprise org, is not a failure).
fn failures(snapshot: &OrgSnapshot) -> Vec<&Problem> {
    snapshot
        .problems
        .iter()
        .filter(|p| p.outcome == Outcome::Failed)
        .collect()
}

fn start() -> Timestamp {
    NOW.parse().unwrap()
}

/// Reads `org` from `server` with a token and a fake clock.
fn read(server: &Server, org: &str) -> (OrgSnapshot, Arc<FakeClock>) {
    let progress = Progress::hidden();
    let clock = Arc::new(FakeClock {
        now: Mutex::new(start()),
        waits: Mutex::new(Vec::new()),
        progress: progress.clone(),
    });
    let auth = Auth::Token {
        token: Secret::new(TOKEN),
        variable: "GITHUB_TOKEN".into(),
    };
    let mut options = github::Options::new(vec![org.into()], server.uri(), auth);
    options.clock = clock.clone();
    options.progress = progress;
    let mut snapshots = github::read(&options).expect("read");
    (snapshots.remove(0), clock)
}

/// `nhiscan scan --github-org ORG` against `server` as JSON, with a token; (code, report, stderr).
fn scan(server: &Server, dir: Option<&std::path::Path>, extra: &[&str]) -> (i32, Value, String) {
    let mut run = match dir {
        Some(d) => nhiscan_in(d),
        None => nhiscan(),
    };
    run.cmd.env("GITHUB_TOKEN", TOKEN);
    let uri = server.uri();
    let (code, stdout, stderr) = run
        .args(["scan", "--github-org", "acme", "--github-api-url", &uri])
        .args(["-f", "json", "--now", NOW, "-q"])
        .args(extra)
        .run();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (code, report, stderr)
}

fn findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let id = f["credential_id"]
                .as_str()
                .or(f["identity_id"].as_str())
                .unwrap();
            (f["rule_id"].as_str().unwrap().to_string(), id.to_string())
        })
        .collect()
}

fn repo_perms(contents: &str) -> Value {
    json!({"organization": {}, "repository": {"metadata": "read", "contents": contents}})
}

/// A small org used by most tests: two members, a PAT, an app, and a repo.
fn acme() -> FakeOrg {
    let mut org = FakeOrg::empty("acme");
    org.members = vec![member("alice"), member("bob")];
    org.pat_grants = vec![pat_grant(
        1,
        "alice",
        "release notes",
        repo_perms("read"),
        "subset",
        json!("2026-08-01T00:00:00Z"),
        json!("2026-05-30T12:00:00Z"),
    )];
    org.installations = vec![installation(
        10,
        "ci-app",
        json!({"metadata": "read", "contents": "write"}),
        "selected",
    )];
    org.org_secrets = vec![secret("NPM_TOKEN")];
    org.org_hooks = vec![hook(20, "https://hooks.example.com/acme", true)];
    org.with_repo(
        "web",
        FakeRepo {
            keys: vec![deploy_key(
                100,
                "web deploy",
                true,
                "bob",
                json!("2026-05-28T00:00:00Z"),
            )],
            secrets: vec![secret("DEPLOY_TOKEN")],
            hooks: vec![hook(30, "https://ci.example.com/hook?token=s3cr3t", true)],
        },
    )
}

/// The config that gives the clean org's app an owner.
const OWNERS: &str =
    "[[owners]]\nmatch = \"github:acme/installation/*\"\nowner = \"platform-team\"\n";

#[test]
fn github_example_bodies_parse_unchanged() {
    fn list<T: serde::de::DeserializeOwned>(file: &str) -> Vec<T> {
        serde_json::from_value(vector(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }
    let grants: Vec<PatGrant> = list("org-personal-access-tokens.json");
    assert_eq!(grants[0].token.owner.login, "octocat");
    assert_eq!(grants[0].token.token_last_used_at, None);
    let requests: Vec<PatRequest> = list("org-personal-access-token-requests.json");
    assert_eq!(requests[0].token.token_name.as_deref(), Some("Some Token"));
    let credentials: Vec<CredentialAuthorization> = list("org-credential-authorizations.json");
    assert_eq!(credentials.len(), 5);
    assert_eq!(credentials[4].credential_type, "SSH key");
    let installations: InstallationPage =
        serde_json::from_value(vector("org-installations.json")).unwrap();
    assert_eq!(
        installations.installations[0].permissions["deployments"],
        "write"
    );
    let keys: Vec<DeployKey> = list("repo-deploy-keys.json");
    assert!(keys[0].read_only && keys[0].added_by.as_deref() == Some("octocat"));
    for file in ["org-actions-secrets.json", "repo-actions-secrets.json"] {
        let page: SecretPage = serde_json::from_value(vector(file)).unwrap();
        assert!(!page.secrets.is_empty(), "{file}");
    }
    for file in ["org-hooks.json", "repo-hooks.json"] {
        let hooks: Vec<Hook> = list(file);
        assert_eq!(
            hooks[0].config.secret, None,
            "{file}: the examples set no secret"
        );
    }
    let members: Vec<User> = list("org-members.json");
    assert_eq!(members[0].login, "octocat");
    let repos: Vec<Repo> = list("org-repos.json");
    assert_eq!(repos[0].name, "Hello-World");
}

#[test]
fn the_example_org_is_read_in_full_and_becomes_inventory() {
    let server = Server::start();
    server.serve(&FakeOrg::vectors("octo-org"));
    let (snapshot, clock) = read(&server, "octo-org");
    assert_eq!(failures(&snapshot), Vec::<&Problem>::new());
    assert!(clock.waits.lock().unwrap().is_empty());
    assert_eq!(
        snapshot.credential_authorizations.as_ref().unwrap().len(),
        5
    );
    let repo = &snapshot.repos.as_ref().unwrap()[0];
    assert_eq!(repo.name, "Hello-World");
    assert_eq!(repo.deploy_keys.as_ref().unwrap().len(), 1);
    assert_eq!(repo.secrets.as_ref().unwrap().len(), 2);

    let mut inventory = nhiscan::model::Inventory::default();
    github::add(&mut inventory, &snapshot, "test", "github-api", true);
    for id in [
        "github:octo-org/user/octocat",
        "github:octo-org/user/hubot",
        "github:octo-org/installation/25381",
        "github:octo-org",
        "github:octo-org/Hello-World",
    ] {
        assert!(inventory.get(id).is_some(), "{id} missing");
    }
    let octocat = inventory.get("github:octo-org/user/octocat").unwrap();
    let ids: Vec<&str> = octocat
        .credentials
        .iter()
        .map(|c| c.item.id.as_str())
        .collect();
    for id in [
        "github:octo-org/pat/25381",
        "github:octo-org/pat-request/25381",
        "github:octo-org/credential/161195",
        "github:octo-org/credential/161199",
    ] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
    let repo = inventory.get("github:octo-org/Hello-World").unwrap();
    let ids: Vec<&str> = repo
        .credentials
        .iter()
        .map(|c| c.item.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "github:octo-org/Hello-World/deploy-key/1",
            "github:octo-org/Hello-World/secret/GH_TOKEN",
            "github:octo-org/Hello-World/secret/GIST_ID",
            "github:octo-org/Hello-World/webhook/12345678",
        ]
    );
    let source = &inventory.sources[0];
    assert_eq!(source.status, nhiscan::model::SourceStatus::Ok);
    assert_eq!(source.api_calls[endpoint::DEPLOY_KEYS], 1);
    assert_eq!(source.api_calls.values().sum::<u64>(), 11);
}

#[test]
fn pagination_follows_link_headers_to_the_last_page() {
    let mut org = acme();
    org.page_size = 2;
    org.members = ["alice", "bob", "carol", "dave", "erin"]
        .map(member)
        .to_vec();
    org.pat_grants = (1..=5)
        .map(|i| {
            pat_grant(
                i,
                "alice",
                &format!("t{i}"),
                repo_perms("read"),
                "subset",
                Value::Null,
                Value::Null,
            )
        })
        .collect();
    org.installations = (1..=3)
        .map(|i| {
            installation(
                i,
                &format!("app-{i}"),
                json!({"metadata": "read"}),
                "selected",
            )
        })
        .collect();
    let keys: Vec<Value> = (1..=5)
        .map(|i| deploy_key(i, &format!("key {i}"), true, "bob", Value::Null))
        .collect();
    for i in 0..6 {
        org = org.with_repo(&format!("repo-{i}"), FakeRepo::default());
    }
    let org = org.with_repo(
        "many-keys",
        FakeRepo {
            keys,
            ..FakeRepo::default()
        },
    );
    let server = Server::start();
    server.serve(&org);

    let (snapshot, _) = read(&server, "acme");
    assert_eq!(failures(&snapshot), Vec::<&Problem>::new());
    assert_eq!(snapshot.members.as_ref().unwrap().len(), 5);
    assert_eq!(snapshot.pat_grants.as_ref().unwrap().len(), 5);
    assert_eq!(snapshot.installations.as_ref().unwrap().len(), 3);
    let repos = snapshot.repos.as_ref().unwrap();
    assert_eq!(repos.len(), 8);
    let many = repos.iter().find(|r| r.name == "many-keys").unwrap();
    let ids: Vec<u64> = many
        .deploy_keys
        .as_ref()
        .unwrap()
        .iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let calls = &snapshot.api_calls;
    assert_eq!(calls[endpoint::MEMBERS], 3, "5 members, 2 a page");
    assert_eq!(calls[endpoint::PAT_GRANTS], 3);
    assert_eq!(calls[endpoint::INSTALLATIONS], 2);
    assert_eq!(
        calls[endpoint::REPOS],
        4,
        "8 repos over /orgs/acme/repos and /organizations/652551/repos"
    );
    assert_eq!(
        calls[endpoint::DEPLOY_KEYS],
        8 + 2,
        "one call per repo, two more for the long list"
    );
    let paged = server
        .requests()
        .iter()
        .filter(|r| r.url.path() == "/organizations/652551/repos")
        .count();
    assert_eq!(paged, 3);
}

#[test]
fn a_secondary_rate_limit_is_waited_out_then_the_list_succeeds() {
    let server = Server::start();
    server.serve(&acme());
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/hooks"))
            .respond_with(
                ResponseTemplate::new(403)
                    .insert_header("retry-after", "7")
                    .set_body_json(json!({
                        "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
                    })),
            )
            .up_to_n_times(1)
            .with_priority(1),
    );
    server.mount(
        Mock::given(method("GET"))
            .and(path("/repos/acme/web/keys"))
            .respond_with(ResponseTemplate::new(429))
            .up_to_n_times(1)
            .with_priority(1),
    );
    let (snapshot, clock) = read(&server, "acme");
    assert_eq!(failures(&snapshot), Vec::<&Problem>::new());
    assert_eq!(snapshot.org_hooks.as_ref().unwrap().len(), 1);
    assert_eq!(
        snapshot.repos.as_ref().unwrap()[0]
            .deploy_keys
            .as_ref()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(snapshot.api_calls[endpoint::ORG_HOOKS], 2);
    assert_eq!(snapshot.api_calls[endpoint::DEPLOY_KEYS], 2);
    let waits = clock.waits.lock().unwrap().clone();
    let shown = |secs: u64| {
        waits.iter().any(|(s, msg)| {
            *s == secs
                && msg.contains("secondary rate limit")
                && msg.contains(&format!("waiting {secs}s"))
        })
    };
    assert!(
        shown(7),
        "retry-after honoured and shown on the bar: {waits:?}"
    );
    assert!(shown(60), "a bare 429 backs off a minute: {waits:?}");
}

#[test]
fn a_spent_primary_quota_pauses_every_request_until_the_reset() {
    let server = Server::start();
    server.serve(&acme());
    let reset = (start().as_second() + 30).to_string();
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/repos"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!([crate::github_org::repo("web", 1)]))
                    .insert_header("x-ratelimit-remaining", "0")
                    .insert_header("x-ratelimit-reset", reset.as_str()),
            )
            .up_to_n_times(1)
            .with_priority(1),
    );
    let reset = (start().as_second() + 3600).to_string();
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/installations"))
            .respond_with(
                ResponseTemplate::new(403)
                    .insert_header("x-ratelimit-remaining", "0")
                    .insert_header("x-ratelimit-reset", reset.as_str())
                    .set_body_json(
                        json!({"message": "API rate limit exceeded for installation ID 1."}),
                    ),
            )
            .up_to_n_times(1)
            .with_priority(1),
    );
    let (snapshot, clock) = read(&server, "acme");
    assert_eq!(failures(&snapshot), Vec::<&Problem>::new());
    assert_eq!(snapshot.installations.as_ref().unwrap().len(), 1);
    assert_eq!(
        snapshot.api_calls[endpoint::INSTALLATIONS],
        2,
        "retried after the reset"
    );
    let waits = clock.waits.lock().unwrap().clone();
    assert!(
        waits
            .iter()
            .all(|(_, msg)| msg.contains("primary rate limit")),
        "{waits:?}"
    );
    assert!(
        waits.iter().any(|(s, _)| *s == 3601),
        "waited for the reset: {waits:?}"
    );
    // The repository lists came after the quota was spent, so they waited too.
    assert!(clock.now() >= start().checked_add(Duration::from_secs(3601)).unwrap());
}

#[test]
fn server_errors_are_retried_and_a_lasting_one_makes_the_part_fail() {
    let server = Server::start();
    server.serve(&acme());
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/actions/secrets"))
            .respond_with(ResponseTemplate::new(502))
            .up_to_n_times(1)
            .with_priority(1),
    );
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/members"))
            .respond_with(
                ResponseTemplate::new(500).set_body_json(json!({"message": "Server Error"})),
            )
            .with_priority(1),
    );
    let (snapshot, _) = read(&server, "acme");
    assert_eq!(snapshot.org_secrets.as_ref().unwrap().len(), 1);
    assert_eq!(snapshot.api_calls[endpoint::ORG_SECRETS], 2);
    assert_eq!(snapshot.members, None);
    assert_eq!(snapshot.api_calls[endpoint::MEMBERS], 3);
    let failed = failures(&snapshot);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].reason, "HTTP 500: Server Error");
}

#[test]
fn a_redirect_to_another_host_does_not_carry_the_token() {
    // octocrab follows redirects; tower-http's policy drops Authorization
    // when one leaves the API's origin (another port is another origin).
    let elsewhere = Server::start();
    elsewhere.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/members"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([member("mallory")]))),
    );
    let server = Server::start();
    server.serve(&acme());
    let target = format!("{}/orgs/acme/members", elsewhere.uri());
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/members"))
            .respond_with(ResponseTemplate::new(307).insert_header("location", target.as_str()))
            .with_priority(1),
    );
    let (snapshot, _) = read(&server, "acme");
    assert_eq!(failures(&snapshot), Vec::<&Problem>::new());
    assert_eq!(snapshot.members.as_ref().unwrap().len(), 1, "followed");
    let received = elsewhere.requests();
    assert_eq!(received.len(), 1);
    assert!(
        received[0].headers.get("authorization").is_none(),
        "the token went to another host: {:?}",
        received[0].headers
    );
    // The API itself did get the token.
    assert!(server
        .requests()
        .iter()
        .all(|r| r.headers.get("authorization").is_some()));
}

#[test]
fn credential_authorizations_404_is_a_skipped_source_not_a_failure() {
    let server = Server::start();
    server.serve(&acme());
    let dir = dir_with(&[("nhiscan.toml", OWNERS)]);
    let (code, report, stderr) = scan(&server, Some(dir.path()), &[]);
    assert_eq!(code, 0, "{stderr}");
    let sources = report["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert_eq!(sources[0]["status"], "ok");
    assert_eq!(sources[0]["provider"], "github");
    assert_eq!(sources[1]["status"], "skipped");
    assert_eq!(sources[1]["kind"], "github-api:credential-authorizations");
    let error = sources[1]["error"].as_str().unwrap();
    assert!(
        error.starts_with("not available on this org (HTTP 404: Not Found)"),
        "{error}"
    );
    assert!(
        stderr.contains("skipped: not available on this org"),
        "{stderr}"
    );
    assert_eq!(
        sources[0]["api_calls"][endpoint::CREDENTIAL_AUTHORIZATIONS],
        1
    );
}

#[test]
fn a_403_on_one_repos_keys_makes_the_source_partial_with_the_reason() {
    let org = acme().with_repo(
        "legacy",
        FakeRepo {
            keys: vec![deploy_key(200, "legacy key", true, "bob", Value::Null)],
            ..FakeRepo::default()
        },
    );
    let server = Server::start();
    server.serve(&org);
    server.mount(
        Mock::given(method("GET"))
            .and(path("/repos/acme/legacy/keys"))
            .respond_with(ResponseTemplate::new(403).set_body_json(json!({
                "message": "Must have admin rights to Repository.",
                "documentation_url": "https://docs.github.com/rest/deploy-keys/deploy-keys#list-deploy-keys"
            })))
            .with_priority(1),
    );
    let (code, report, stderr) = scan(&server, None, &[]);
    assert_eq!(code, 3, "partial: {stderr}");
    let source = &report["sources"][0];
    assert_eq!(source["status"], "partial");
    assert_eq!(
        source["error"],
        "GET /repos/{owner}/{repo}/keys (acme/legacy): HTTP 403: Must have admin rights to Repository."
    );
    assert!(stderr.contains("Must have admin rights"), "{stderr}");
    let ids: Vec<&str> = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["credentials"].as_array().unwrap())
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"github:acme/web/deploy-key/100"),
        "other repos are still read"
    );
    assert!(!ids.iter().any(|id| id.contains("legacy/deploy-key")));
}

#[test]
fn a_token_on_the_pat_endpoints_is_told_to_use_an_app() {
    let server = Server::start();
    server.serve(&acme());
    for p in [
        "/orgs/acme/personal-access-tokens",
        "/orgs/acme/personal-access-token-requests",
    ] {
        server.mount(
            Mock::given(method("GET"))
                .and(path(p))
                .respond_with(ResponseTemplate::new(403).set_body_json(
                    json!({"message": "Resource not accessible by personal access token"}),
                ))
                .with_priority(1),
        );
    }
    let (code, report, _) = scan(&server, None, &[]);
    assert_eq!(code, 3);
    let error = report["sources"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("GET /orgs/{org}/personal-access-tokens (acme): HTTP 403: Resource not accessible by personal access token (only a GitHub App can list fine-grained PATs"),
        "{error}"
    );
    assert!(error.contains("personal-access-token-requests"), "{error}");
}

#[test]
fn bad_credentials_make_a_failed_source_and_the_scan_goes_on() {
    let server = Server::start();
    server.mount(
        Mock::given(method("GET")).respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})),
        ),
    );
    let input = fixture_arg("rules/never-used/credential-report.csv");
    let (code, report, stderr) = scan(&server, None, &["-i", &input]);
    assert_eq!(code, 3, "{stderr}");
    let github = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["provider"] == "github")
        .unwrap();
    assert_eq!(github["status"], "failed");
    assert!(github["error"]
        .as_str()
        .unwrap()
        .contains("HTTP 401: Bad credentials"));
    assert!(
        report["summary"]["identities"].as_u64().unwrap() > 0,
        "the AWS input is still scanned"
    );
}

#[test]
fn a_departed_owner_is_flagged_on_their_token_and_their_deploy_key() {
    let mut org = acme();
    org.pat_grants.push(pat_grant(
        2,
        "mallory",
        "old laptop",
        repo_perms("read"),
        "subset",
        json!("2026-09-01T00:00:00Z"),
        json!("2026-05-31T00:00:00Z"),
    ));
    let org = org.with_repo(
        "api",
        FakeRepo {
            keys: vec![
                deploy_key(
                    300,
                    "mallory's key",
                    true,
                    "Mallory",
                    json!("2026-05-31T00:00:00Z"),
                ),
                deploy_key(
                    301,
                    "bot key",
                    true,
                    "dependabot[bot]",
                    json!("2026-05-31T00:00:00Z"),
                ),
            ],
            ..FakeRepo::default()
        },
    );
    let server = Server::start();
    server.serve(&org);
    let dir = dir_with(&[("nhiscan.toml", OWNERS)]);
    let (code, report, stderr) = scan(&server, Some(dir.path()), &["--fail-on", "high"]);
    assert_eq!(code, 1, "{stderr}");
    let departed: Vec<(String, String)> = findings(&report)
        .into_iter()
        .filter(|(rule, _)| rule == "departed-owner")
        .collect();
    assert_eq!(
        departed,
        [
            (
                "departed-owner".to_string(),
                "github:acme/api/deploy-key/300".to_string()
            ),
            (
                "departed-owner".to_string(),
                "github:acme/pat/2".to_string()
            ),
        ]
    );
    let f = &report["findings"][0];
    assert_eq!(f["severity"], "high");
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(
            &"fine-grained-pat old laptop belongs to mallory, who is no longer a member of acme"
        ),
        "{messages:?}"
    );
}

#[test]
fn a_clean_org_has_no_findings() {
    let server = Server::start();
    server.serve(&acme());
    let dir = dir_with(&[("nhiscan.toml", OWNERS)]);
    let (code, report, stderr) = scan(&server, Some(dir.path()), &["--fail-on", "low"]);
    assert_eq!(findings(&report), [], "{stderr}");
    assert_eq!(code, 0, "{stderr}");
    // Everything was read: 2 users' worth of items, the app, the org and the repo.
    let summary = &report["summary"];
    assert_eq!(summary["identities"], 4, "{summary}");
    assert_eq!(summary["credentials"], 6, "{summary}");
}

#[test]
fn the_same_org_with_problems_fires_the_github_rules() {
    let mut org = acme();
    org.pat_grants.push(pat_grant(
        3,
        "alice",
        "admin forever",
        json!({"organization": {"administration": "write"}, "repository": {"contents": "write"}}),
        "all",
        Value::Null,
        json!("2026-01-01T00:00:00Z"),
    ));
    org.pat_requests = vec![pat_request(4, "bob", "wants everything")];
    org.installations.push(installation(
        11,
        "sprawl-app",
        json!({"administration": "write", "contents": "write"}),
        "all",
    ));
    let org = org.with_repo(
        "infra",
        FakeRepo {
            keys: vec![deploy_key(400, "pusher", false, "bob", Value::Null)],
            hooks: vec![hook(40, "http://insecure.example.com/hook", false)],
            ..FakeRepo::default()
        },
    );
    let server = Server::start();
    server.serve(&org);
    let (code, report, stderr) = scan(&server, None, &[]);
    assert_eq!(code, 0, "{stderr}");
    let mut got = findings(&report);
    got.sort();
    let want: Vec<(String, String)> = [
        ("admin-privilege", "github:acme/installation/11"),
        ("admin-privilege", "github:acme/pat/3"),
        ("all-repositories-access", "github:acme/installation/11"),
        ("all-repositories-access", "github:acme/pat/3"),
        ("missing-owner", "github:acme/installation/10"),
        ("missing-owner", "github:acme/installation/11"),
        ("never-used", "github:acme/infra/deploy-key/400"),
        ("no-expiry", "github:acme/pat/3"),
        ("unused-credential", "github:acme/pat/3"),
        ("webhook-without-secret", "github:acme/infra/webhook/40"),
        ("write-deploy-key", "github:acme/infra/deploy-key/400"),
    ]
    .iter()
    .map(|(r, i)| (r.to_string(), i.to_string()))
    .collect();
    assert_eq!(got, want);
    let request = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["credentials"].as_array().unwrap())
        .find(|c| c["id"] == "github:acme/pat-request/4")
        .expect("the pending request is in the inventory");
    assert_eq!(request["status"], "pending");
}

#[test]
fn app_authentication_mints_an_installation_token_and_uses_it() {
    let server = Server::start();
    server.serve(&acme());
    server.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/installation"))
            .respond_with(ResponseTemplate::new(200).set_body_json(installation(
                42,
                "nhiscan",
                json!({"members": "read"}),
                "all",
            ))),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path("/app/installations/42/access_tokens"))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({
                "token": "ghs_installationSentinel42",
                "expires_at": "2099-01-01T00:00:00Z",
                "permissions": {"members": "read", "administration": "read"},
                "repository_selection": "all"
            }))),
    );
    let key = fixture("github/test-app-key.pem");
    let uri = server.uri();
    let (code, stdout, stderr) = nhiscan()
        .args([
            "scan",
            "--github-org",
            "acme",
            "--github-api-url",
            &uri,
            "-f",
            "json",
            "-q",
        ])
        .args(["--now", NOW, "--github-app-id", "7", "--github-app-key"])
        .arg_path(&key)
        .run();
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(!stdout.contains("ghs_installationSentinel42") && !stderr.contains("ghs_installation"));
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let calls = &report["sources"][0]["api_calls"];
    assert_eq!(calls[endpoint::ORG_INSTALLATION], 1, "{calls}");
    assert_eq!(calls[endpoint::ACCESS_TOKEN], 1, "{calls}");
    assert_eq!(report["sources"][0]["status"], "ok");
    let requests = server.requests();
    let auth = |p: &str| -> Vec<String> {
        requests
            .iter()
            .filter(|r| r.url.path() == p)
            .map(|r| {
                r.headers
                    .get("authorization")
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert!(
        auth("/orgs/acme/installation")[0].starts_with("Bearer ey"),
        "the App's JWT"
    );
    assert_eq!(
        auth("/orgs/acme/members"),
        ["Bearer ghs_installationSentinel42"]
    );
    assert_eq!(
        auth("/repos/acme/web/keys"),
        ["Bearer ghs_installationSentinel42"]
    );
}

#[test]
fn tokens_never_appear_in_any_output() {
    let server = Server::start();
    server.serve(&acme());
    let dir = tempfile::tempdir().unwrap();
    for format in ["table", "json", "csv", "sarif"] {
        let mut run = nhiscan_in(dir.path());
        run.cmd.env("MY_GH", TOKEN);
        let uri = server.uri();
        let (code, stdout, stderr) = run
            .args([
                "scan",
                "--github-org",
                "acme",
                "--github-api-url",
                &uri,
                "-v",
                "-f",
                format,
            ])
            .args([
                "--github-token-env",
                "MY_GH",
                "--github-snapshot-dir",
                "snap",
                "--now",
                NOW,
            ])
            .run();
        assert_eq!(code, 0, "{stderr}");
        assert!(
            !stdout.contains(TOKEN) && !stderr.contains(TOKEN),
            "{format}"
        );
        assert!(
            stderr.contains("GET /repos/{owner}/{repo}/keys"),
            "-v lists calls: {stderr}"
        );
        // The webhook URL's query (a token for some services) is never kept.
        assert!(!stdout.contains("s3cr3t"), "{format}");
    }
    let saved = std::fs::read_to_string(dir.path().join("snap/acme.github.json")).unwrap();
    assert!(!saved.contains(TOKEN) && !saved.contains("s3cr3t"));
    let sent = server
        .requests()
        .iter()
        .filter(|r| {
            r.headers
                .get("authorization")
                .is_some_and(|v| v.to_str().unwrap() == format!("Bearer {TOKEN}"))
        })
        .count();
    assert!(sent > 0, "the token was used");
}

#[test]
fn a_saved_snapshot_scans_offline_to_the_same_result() {
    let mut org = acme();
    org.pat_grants.push(pat_grant(
        2,
        "mallory",
        "gone",
        repo_perms("write"),
        "all",
        Value::Null,
        Value::Null,
    ));
    let server = Server::start();
    server.serve(&org);
    let dir = tempfile::tempdir().unwrap();
    let (code, live, stderr) = scan(
        &server,
        Some(dir.path()),
        &["--github-snapshot-dir", "saved"],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = nhiscan_in(dir.path())
        .args([
            "scan",
            "-i",
            "saved/acme.github.json",
            "-f",
            "json",
            "--now",
            NOW,
        ])
        .run();
    assert_eq!(code, 0, "{stderr}");
    let offline: Value = serde_json::from_str(&stdout).unwrap();
    assert!(!live["findings"].as_array().unwrap().is_empty());
    assert_eq!(offline["findings"], live["findings"]);
    assert_eq!(offline["identities"], live["identities"]);
    assert_eq!(offline["sources"][0]["kind"], "github-snapshot");
    assert_eq!(
        offline["sources"][0]["api_calls"],
        json!({}),
        "a file makes no calls"
    );
}

#[test]
fn github_flags_are_checked_before_anything_is_read() {
    let fails = |args: &[&str]| {
        let (code, stdout, stderr) = nhiscan()
            .args(["scan", "--github-org", "acme"])
            .args(args)
            .run();
        assert_eq!(code, 2, "{stdout}{stderr}");
        stderr
    };
    assert!(fails(&[]).contains("GH_TOKEN or GITHUB_TOKEN"));
    assert!(fails(&["--github-token-env", "NHISCAN_NOT_SET"]).contains("NHISCAN_NOT_SET"));
    assert!(fails(&["--github-app-id", "1"]).contains("--github-app-key"));
    let dir = dir_with(&[("key.pem", "not a key")]);
    let key = dir.path().join("key.pem").display().to_string();
    assert!(fails(&["--github-app-id", "1", "--github-app-key", &key]).contains("key.pem"));
}
