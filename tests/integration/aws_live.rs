//! `nhiscan scan --aws` against moto: one account's inventory and findings,
//! an Organization with one good, one limited and one role-less account,
//! `AWS_ENDPOINT_URL`, and proof from moto's own request log that the scan
//! only reads. One moto server per scenario, shared by the tests that use it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::Value;

use crate::moto::Moto;

const ACCOUNT: &str = "123456789012";

fn account_moto() -> &'static Moto {
    static MOTO: OnceLock<Moto> = OnceLock::new();
    MOTO.get_or_init(|| Moto::start("account"))
}

fn arn(resource: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:{resource}")
}

/// Scans the account scenario as JSON and returns the exit code and report.
fn scan_account(extra: &[&str]) -> (i32, Value) {
    let moto = account_moto();
    let (code, stdout, stderr) = moto
        .nhiscan("testing", "testing")
        .args(["scan", "--aws", "--aws-endpoint-url", &moto.url])
        .args(["--now", &moto.now, "-f", "json", "-q"])
        .args(extra)
        .run();
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (code, report)
}

fn identity<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no identity {id}"))
}

fn credential<'a>(identity: &'a Value, kind: &str) -> Vec<&'a Value> {
    identity["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == kind)
        .collect()
}

fn calls(source: &Value) -> BTreeMap<String, u64> {
    serde_json::from_value(source["api_calls"].clone()).unwrap()
}

#[test]
fn one_account_inventory_findings_and_calls() {
    let moto = account_moto();
    let facts = &moto.facts;
    let (code, report) = scan_account(&[]);
    assert_eq!(code, 3, "moto lacks service-specific credentials: partial");

    let sources = report["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 1);
    let source = &sources[0];
    assert_eq!(source["kind"], "aws-account");
    assert_eq!(source["scope"], ACCOUNT);
    assert_eq!(source["status"], "partial");
    let error = source["error"].as_str().unwrap();
    assert!(
        error.contains("ListServiceSpecificCredentials: HTTP 500"),
        "{error}"
    );

    // Calls: the fixed set once, and per-user calls only where needed: keys for deployer
    // and alice, certificates for svc-legacy, SSH keys for deployer (codecommit:GitPush)
    // and alice (admin). None for bob. The first scan of the server generates the report
    // (STARTED, then COMPLETE); later ones find it COMPLETE at once.
    let mut calls = calls(source);
    let generated = calls.remove("GenerateCredentialReport");
    assert!(matches!(generated, Some(1 | 2)), "{generated:?}");
    let want: BTreeMap<String, u64> = [
        ("GetCallerIdentity", 1),
        ("GetCredentialReport", 1),
        ("GetAccountAuthorizationDetails", 1),
        ("ListServerCertificates", 1),
        ("ListServerCertificateTags", 1),
        ("ListOpenIDConnectProviders", 1),
        ("GetOpenIDConnectProvider", 1),
        ("ListSAMLProviders", 1),
        ("ListSAMLProviderTags", 1),
        ("ListServiceSpecificCredentials", 1),
        ("ListAccessKeys", 2),
        ("ListSigningCertificates", 1),
        ("ListSSHPublicKeys", 2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(calls, want);

    // Keys carry their ids, matched to the report's slots.
    let deployer = identity(&report, &arn("user/ci/deployer"));
    assert_eq!(deployer["tags"]["owner"], "platform");
    let keys = credential(deployer, "access-key");
    let ids: Vec<(&Value, &Value, &Value)> = keys
        .iter()
        .map(|k| (&k["name"], &k["native_id"], &k["usage"]))
        .collect();
    assert_eq!(
        ids,
        [
            (&"access-key/1".into(), &facts["stale_key"], &"used".into()),
            (
                &"access-key/2".into(),
                &facts["never_used_key"],
                &"never".into()
            ),
        ]
    );
    assert_eq!(
        keys[0]["last_used_region"],
        Value::Null,
        "moto: not_supported"
    );
    let ssh = credential(deployer, "ssh-public-key");
    assert_eq!(ssh.len(), 1);
    assert_eq!(ssh[0]["native_id"], facts["ssh_key"]);
    assert_eq!(
        ssh[0]["id"],
        format!(
            "{}/ssh-public-key/{}",
            arn("user/ci/deployer"),
            facts["ssh_key"].as_str().unwrap()
        )
    );

    let alice = identity(&report, &arn("user/alice"));
    assert_eq!(alice["human"], true);
    assert_eq!(alice["mfa_active"], true);
    assert_eq!(alice["groups"], serde_json::json!(["admins"]));
    assert_eq!(credential(alice, "password").len(), 1);
    assert_eq!(
        credential(alice, "access-key")[0]["native_id"],
        facts["alice_key"]
    );

    let cert = &credential(identity(&report, &arn("user/svc-legacy")), "certificate")[0];
    assert_eq!(cert["native_id"], facts["signing_cert"]);
    assert_eq!(
        cert["expires_at"], "2012-05-08T01:02:03Z",
        "read from the PEM body"
    );
    assert!(identity(&report, &arn("user/bob"))["credentials"]
        .as_array()
        .unwrap()
        .is_empty());

    let recent = identity(&report, &arn("role/app-recent"));
    assert_eq!(recent["usage"], "used");
    assert_eq!(
        recent["instance_profiles"],
        serde_json::json!(["app-recent-profile"])
    );
    assert_eq!(identity(&report, &arn("role/app-never"))["usage"], "never");
    let linked = identity(
        &report,
        &arn("role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk"),
    );
    assert_eq!(linked["owner"]["source"], "provider");

    let server = identity(&report, &arn("server-certificate/old-site"));
    assert_eq!(server["kind"], "server-certificate");
    // JSON times have whole seconds (issue 13).
    assert_eq!(server["expires_at"], "2012-05-08T01:02:03Z");
    let oidc = identity(
        &report,
        &arn("oidc-provider/token.actions.githubusercontent.com"),
    );
    assert_eq!(oidc["kind"], "oidc-provider");
    assert_eq!(
        oidc["owner"]["name"], "platform",
        "tags from GetOpenIDConnectProvider"
    );
    let saml = identity(&report, &arn("saml-provider/okta"));
    assert_eq!(saml["expires_at"], "2032-05-09T16:27:11Z");

    // Findings: exactly these (rule, item) pairs.
    let found: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let item = f["credential_id"].as_str().or(f["identity_id"].as_str());
            (
                f["rule_id"].as_str().unwrap().to_string(),
                item.unwrap().to_string(),
            )
        })
        .collect();
    let deployer_key = |n: u8| arn(&format!("user/ci/deployer/access-key/{n}"));
    let want: BTreeSet<(String, String)> = [
        ("admin-privilege", arn("user/alice")),
        ("broad-trust", arn("role/open-door")),
        ("missing-owner", arn("user/bob")),
        ("missing-owner", arn("server-certificate/old-site")),
        ("missing-owner", arn("saml-provider/okta")),
        ("never-used", arn("role/app-never")),
        ("never-used", deployer_key(2)),
        ("unused-credential", arn("role/app-stale")),
        ("unused-credential", deployer_key(1)),
        ("unrotated-credential", deployer_key(1)),
        ("unrotated-credential", deployer_key(2)),
        ("multiple-active-keys", arn("user/ci/deployer")),
        // codecommit:GitPush on "*": a write action on every resource.
        ("wildcard-privilege", arn("user/ci/deployer")),
        ("expired-certificate", arn("server-certificate/old-site")),
        ("expired-certificate", arn("user/svc-legacy/certificate/1")),
    ]
    .into_iter()
    .map(|(r, i)| (r.to_string(), i))
    .collect();
    assert_eq!(found, want);
}

#[test]
fn aws_endpoint_url_from_the_environment_and_verbose_calls() {
    let moto = account_moto();
    let mut runner = moto.nhiscan("testing", "testing");
    runner.cmd.env("AWS_ENDPOINT_URL", &moto.url);
    let (code, stdout, stderr) = runner
        .args(["scan", "--aws", "-v", "--now", &moto.now])
        .run();
    assert_eq!(code, 3, "{stderr}");
    assert!(stdout.contains("old-site (server-certificate)"), "{stdout}");
    assert!(
        stderr.contains("(aws-account): 16 API calls")
            || stderr.contains("(aws-account): 17 API calls"),
        "-v prints the total: {stderr}"
    );
    let line = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("ListAccessKeys"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.trim_end().ends_with(" 2"), "{line}");
}

#[test]
fn the_scan_only_reads() {
    let moto = account_moto();
    let (code, _) = scan_account(&[]);
    assert_eq!(code, 3);
    let ops = moto.recorded_operations();
    assert!(
        ops.iter().any(|o| o == "GetAccountAuthorizationDetails"),
        "the request log has the scan: {ops:?}"
    );
    for op in &ops {
        assert!(
            ["List", "Get", "Generate"]
                .iter()
                .any(|v| op.starts_with(v)),
            "{op} is not a read-only call"
        );
    }
}

#[test]
fn organization_accounts_fail_alone() {
    let moto = Moto::start("org");
    let facts = &moto.facts;
    let id = |name: &str| facts["accounts"][name].as_str().unwrap().to_string();
    let wanted = [
        id("full"),
        id("limited"),
        id("norole"),
        "999999999999".into(),
    ]
    .join(",");
    let (code, stdout, stderr) = moto
        .nhiscan(
            facts["access_key_id"].as_str().unwrap(),
            facts["secret_access_key"].as_str().unwrap(),
        )
        .args([
            "scan",
            "--aws",
            "--aws-endpoint-url",
            &moto.url,
            "-f",
            "json",
            "-q",
        ])
        .args(["--aws-org-role", "OrganizationAccountAccessRole"])
        .args(["--aws-accounts", &wanted, "--now", &moto.now])
        .run();
    assert_eq!(code, 3, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let sources = report["sources"].as_array().unwrap();
    let by_scope = |scope: &str| {
        sources
            .iter()
            .find(|s| s["scope"] == scope && s["kind"] == "aws-account")
            .unwrap_or_else(|| panic!("no source for {scope}: {sources:?}"))
    };

    let listing = &sources[0];
    assert_eq!(listing["kind"], "aws-organization");
    assert_eq!(listing["status"], "ok");
    assert_eq!(listing["scope"], ACCOUNT);
    assert_eq!(
        calls(listing),
        BTreeMap::from([("GetCallerIdentity".into(), 1), ("ListAccounts".into(), 1)])
    );
    assert_eq!(
        sources.len(),
        5,
        "listing + 4 requested accounts, not the caller's own"
    );

    // The README's policy is enough: only moto's missing operations are reported.
    let full = by_scope(&id("full"));
    assert_eq!(full["status"], "partial");
    assert_eq!(
        full["location"],
        format!(
            "arn:aws:iam::{}:role/OrganizationAccountAccessRole",
            id("full")
        )
    );
    assert!(
        !full["error"].as_str().unwrap().contains("AccessDenied"),
        "{full}"
    );
    assert_eq!(calls(full)["AssumeRole"], 1);
    assert_eq!(calls(full)["ListAccessKeys"], 1);
    let bot = identity(
        &report,
        &format!("arn:aws:iam::{}:user/full-bot", id("full")),
    );
    assert!(bot["credentials"][0]["native_id"]
        .as_str()
        .unwrap()
        .starts_with("AKIA"));

    // A role that may only read the authorization details: partial, with the denied calls named.
    let limited = by_scope(&id("limited"));
    assert_eq!(limited["status"], "partial");
    let error = limited["error"].as_str().unwrap();
    assert!(
        error.contains("GenerateCredentialReport: AccessDenied"),
        "{error}"
    );
    identity(
        &report,
        &format!("arn:aws:iam::{}:user/limited-bot", id("limited")),
    );

    // No role at all: nothing can be read.
    let norole = by_scope(&id("norole"));
    assert_eq!(norole["status"], "failed");
    assert_eq!(norole["items"], 0);

    let stranger = by_scope("999999999999");
    assert_eq!(stranger["status"], "failed");
    assert!(stranger["error"]
        .as_str()
        .unwrap()
        .contains("not an account of the organization"));
}
