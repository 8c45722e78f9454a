//! `nhiscan scan --aws` against a local HTTP stub speaking the IAM and STS
//! query protocols, for what moto cannot show: `GetAccountAuthorizationDetails`
//! pages joined by `IsTruncated`/`Marker`, and a throttled call retried with
//! backoff. Also the failures that need no server at all.

use base64::Engine as _;
use serde_json::Value;
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::nhiscan;
use crate::moto::aws_nhiscan;

pub(crate) const IAM_NS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";
const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// A query-protocol success: `<ActionResponse><ActionResult>result</ActionResult>...`.
pub(crate) fn ok(action: &str, ns: &str, result: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        format!(
            "<{action}Response xmlns=\"{ns}\"><{action}Result>{result}</{action}Result>\
             <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>\
             </ResponseMetadata></{action}Response>"
        ),
        "text/xml",
    )
}

/// Answers `action` (the first form field of a query request) with `response`.
async fn answer(server: &MockServer, action: &str, priority: u8, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(body_string_contains(format!("Action={action}&")))
        .respond_with(response)
        .with_priority(priority)
        .mount(server)
        .await;
}

const REPORT: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
ci-bot,arn:aws:iam::111122223333:user/ci-bot,2026-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-01-01T00:00:00+00:00,2026-05-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ops-bot,arn:aws:iam::111122223333:user/ops-bot,2026-02-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
";

/// Page 1: a user whose managed policy is only described on page 2, and a role.
const PAGE_1: &str = "<IsTruncated>true</IsTruncated><Marker>page-2</Marker>\
<UserDetailList><member><Path>/</Path><UserName>ci-bot</UserName><UserId>AIDAEXAMPLECIBOT0001</UserId>\
<Arn>arn:aws:iam::111122223333:user/ci-bot</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>\
<GroupList/><UserPolicyList/><AttachedManagedPolicies><member><PolicyName>everything</PolicyName>\
<PolicyArn>arn:aws:iam::111122223333:policy/everything</PolicyArn></member></AttachedManagedPolicies>\
<Tags><member><Key>owner</Key><Value>platform</Value></member></Tags></member></UserDetailList>\
<GroupDetailList/>\
<RoleDetailList><member><Path>/</Path><RoleName>app</RoleName><RoleId>AROAEXAMPLEAPP000001</RoleId>\
<Arn>arn:aws:iam::111122223333:role/app</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate>\
<AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D</AssumeRolePolicyDocument>\
<InstanceProfileList/><RolePolicyList/><AttachedManagedPolicies/><Tags/>\
<RoleLastUsed><LastUsedDate>2026-05-20T00:00:00Z</LastUsedDate><Region>eu-west-1</Region></RoleLastUsed>\
</member></RoleDetailList><Policies/>";

/// Page 2: another user, and the policy page 1's user has.
const PAGE_2: &str = "<IsTruncated>false</IsTruncated>\
<UserDetailList><member><Path>/</Path><UserName>ops-bot</UserName><UserId>AIDAEXAMPLEOPSBOT001</UserId>\
<Arn>arn:aws:iam::111122223333:user/ops-bot</Arn><CreateDate>2026-02-01T00:00:00Z</CreateDate>\
<GroupList/><UserPolicyList/><AttachedManagedPolicies/><Tags/></member></UserDetailList>\
<GroupDetailList/><RoleDetailList/>\
<Policies><member><PolicyName>everything</PolicyName><PolicyId>ANPAEXAMPLEEVERYTHING</PolicyId>\
<Arn>arn:aws:iam::111122223333:policy/everything</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId>\
<AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable>\
<CreateDate>2026-01-01T00:00:00Z</CreateDate><UpdateDate>2026-01-01T00:00:00Z</UpdateDate>\
<PolicyVersionList><member>\
<Document>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D</Document>\
<VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2026-01-01T00:00:00Z</CreateDate>\
</member></PolicyVersionList></member></Policies>";

/// An account with two pages of authorization details whose first request is throttled.
pub(crate) async fn stub_account() -> MockServer {
    let server = MockServer::start().await;
    answer(
        &server,
        "GetCallerIdentity",
        5,
        ok(
            "GetCallerIdentity",
            STS_NS,
            "<Arn>arn:aws:iam::111122223333:user/auditor</Arn><UserId>AIDAEXAMPLEAUDITOR01</UserId>\
             <Account>111122223333</Account>",
        ),
    )
    .await;
    answer(
        &server,
        "GenerateCredentialReport",
        5,
        ok(
            "GenerateCredentialReport",
            IAM_NS,
            "<State>COMPLETE</State>",
        ),
    )
    .await;
    let content = base64::engine::general_purpose::STANDARD.encode(REPORT);
    answer(
        &server,
        "GetCredentialReport",
        5,
        ok(
            "GetCredentialReport",
            IAM_NS,
            &format!(
                "<Content>{content}</Content><ReportFormat>text/csv</ReportFormat>\
                 <GeneratedTime>2026-06-01T00:00:00Z</GeneratedTime>"
            ),
        ),
    )
    .await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=GetAccountAuthorizationDetails&"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            format!(
                "<ErrorResponse xmlns=\"{IAM_NS}\"><Error><Type>Sender</Type><Code>Throttling</Code>\
                 <Message>Rate exceeded</Message></Error>\
                 <RequestId>9b1e5e3b-EXAMPLE</RequestId></ErrorResponse>"
            ),
            "text/xml",
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains(
            "Action=GetAccountAuthorizationDetails&",
        ))
        .and(body_string_contains("Marker=page-2"))
        .respond_with(ok("GetAccountAuthorizationDetails", IAM_NS, PAGE_2))
        .with_priority(2)
        .mount(&server)
        .await;
    answer(
        &server,
        "GetAccountAuthorizationDetails",
        3,
        ok("GetAccountAuthorizationDetails", IAM_NS, PAGE_1),
    )
    .await;
    answer(
        &server,
        "ListAccessKeys",
        5,
        ok(
            "ListAccessKeys",
            IAM_NS,
            "<UserName>ci-bot</UserName><AccessKeyMetadata><member><UserName>ci-bot</UserName>\
             <AccessKeyId>AKIAEXAMPLECIBOTKEY1</AccessKeyId><Status>Active</Status>\
             <CreateDate>2026-01-01T00:00:00Z</CreateDate></member></AccessKeyMetadata>\
             <IsTruncated>false</IsTruncated>",
        ),
    )
    .await;
    for (action, list) in [
        ("ListSSHPublicKeys", "SSHPublicKeys"),
        ("ListServerCertificates", "ServerCertificateMetadataList"),
        ("ListOpenIDConnectProviders", "OpenIDConnectProviderList"),
        ("ListSAMLProviders", "SAMLProviderList"),
        (
            "ListServiceSpecificCredentials",
            "ServiceSpecificCredentials",
        ),
    ] {
        let result = format!("<{list}/><IsTruncated>false</IsTruncated>");
        answer(&server, action, 5, ok(action, IAM_NS, &result)).await;
    }
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_joined_and_throttling_is_retried() {
    let server = stub_account().await;
    let url = server.uri();
    // The SDK's own retry settings: several attempts with backoff.
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        aws_nhiscan("AKIAEXAMPLEAUDITOR01", "test-secret", None)
            .args([
                "scan",
                "--aws",
                "--aws-endpoint-url",
                &url,
                "-f",
                "json",
                "-q",
            ])
            .args(["--now", "2026-06-01T00:00:00Z"])
            .run()
    })
    .await
    .expect("nhiscan ran");
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let source = &report["sources"][0];
    assert_eq!(source["status"], "ok", "{source}");
    assert_eq!(source["scope"], "111122223333");
    assert_eq!(source["location"], "arn:aws:iam::111122223333:user/auditor");
    // One throttled attempt, then page 1 and page 2.
    assert_eq!(source["api_calls"]["GetAccountAuthorizationDetails"], 3);
    assert_eq!(source["api_calls"]["ListAccessKeys"], 1, "ci-bot only");
    assert_eq!(
        source["api_calls"]["ListSSHPublicKeys"], 1,
        "admin ci-bot only"
    );

    let ids: Vec<&str> = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "arn:aws:iam::111122223333:role/app",
            "arn:aws:iam::111122223333:user/ci-bot",
            "arn:aws:iam::111122223333:user/ops-bot",
        ]
    );
    let ci = &report["identities"][1];
    assert_eq!(ci["privilege"]["level"], "admin", "policy from page 2");
    assert_eq!(ci["owner"]["name"], "platform");
    let key = &ci["credentials"][0];
    assert_eq!(key["native_id"], "AKIAEXAMPLECIBOTKEY1");
    assert_eq!(key["last_used_at"], "2026-05-01T00:00:00Z");
    assert_eq!(key["last_used_service"], "s3");
    let role = &report["identities"][0];
    assert_eq!(role["last_used_at"], "2026-05-20T00:00:00Z");
    assert_eq!(
        role["trust_policy"]["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );

    let gaad: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .filter(|b| b.contains("Action=GetAccountAuthorizationDetails&"))
        .collect();
    assert_eq!(gaad.len(), 3);
    assert!(gaad.iter().all(|b| b.contains("MaxItems=1000")), "{gaad:?}");
    assert!(gaad[2].contains("Marker=page-2"), "{gaad:?}");
}

#[test]
fn an_unreachable_endpoint_is_a_failed_source() {
    let (code, stdout, stderr) = aws_nhiscan("AKIAEXAMPLE", "secret", Some(1))
        .args([
            "scan",
            "--aws",
            "--aws-endpoint-url",
            "http://127.0.0.1:9",
            "-f",
            "json",
        ])
        .run();
    assert_eq!(code, 3, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let source = &report["sources"][0];
    assert_eq!(source["status"], "failed");
    assert_eq!(source["location"], "aws default credentials");
    let error = source["error"].as_str().unwrap();
    assert!(error.starts_with("GetCallerIdentity: "), "{error}");
    assert!(
        stderr.contains("warning: source aws default credentials (aws-account) failed"),
        "{stderr}"
    );
}

#[test]
fn aws_usage_errors_exit_2() {
    for (args, message) in [
        (
            vec!["scan", "--aws", "--aws-endpoint-url", "localhost:4566"],
            "expected an http:// or https:// URL",
        ),
        (
            vec![
                "scan",
                "--aws",
                "--aws-org-role",
                "R",
                "--aws-accounts",
                "12345",
            ],
            "not a 12-digit AWS account id",
        ),
        (
            vec!["scan", "--aws", "--aws-accounts", "123456789012"],
            "--aws-org-role",
        ),
        (vec!["scan", "--aws-profile", "x", "--demo"], "--aws"),
        (vec!["scan", "--aws", "--concurrency", "0"], "--concurrency"),
    ] {
        let (code, _, stderr) = nhiscan().args(&args).run();
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}
