//! Google Cloud offline: the gcloud formats of `fixtures/gcp/org/` (an
//! asset list, an asset export of IAM policies, a policy search and an
//! activity query), joined across files in any order: roles inherited from a
//! folder, a binding on a service account, escalation, owners, last use,
//! and the rules that apply to Google Cloud items.

use std::collections::BTreeSet;
use std::path::PathBuf;

use nhiscan::config::Loaded;
use nhiscan::model::{Inventory, LastUsed, OwnerSource, PrivilegeLevel, SourceStatus};
use nhiscan::providers;
use nhiscan::scan::{self, Request};

use crate::common::{dir_with, fixture, nhiscan, NOW};

const COMPUTE: &str =
    "gcp:projects/proj-a/serviceAccounts/1001-compute@developer.gserviceaccount.com";
const DEPLOYER: &str =
    "gcp:projects/proj-a/serviceAccounts/deployer@proj-a.iam.gserviceaccount.com";
const IMPERSONATOR: &str =
    "gcp:projects/proj-a/serviceAccounts/impersonator@proj-a.iam.gserviceaccount.com";
const READER: &str = "gcp:projects/proj-a/serviceAccounts/reader@proj-a.iam.gserviceaccount.com";
const TOKENLESS: &str =
    "gcp:projects/proj-a/serviceAccounts/tokenless@proj-a.iam.gserviceaccount.com";
const ADMIN: &str = "gcp:projects/proj-b/serviceAccounts/admin-sa@proj-b.iam.gserviceaccount.com";
const MINTER: &str = "gcp:projects/proj-b/serviceAccounts/minter@proj-b.iam.gserviceaccount.com";
const APPENGINE: &str = "gcp:projects/proj-b/serviceAccounts/proj-b@appspot.gserviceaccount.com";

fn org_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture("gcp/org"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn scan_files(inputs: Vec<PathBuf>, config: &Loaded) -> scan::Scan {
    let request = Request {
        inputs,
        ..Request::default()
    };
    scan::run(request, config, NOW.parse().unwrap()).unwrap()
}

fn findings(outcome: &scan::Scan, rule: &str) -> BTreeSet<String> {
    outcome
        .evaluation
        .findings
        .iter()
        .filter(|f| f.rule_id() == rule)
        .map(|f| f.item_id().to_string())
        .collect()
}

fn level(inv: &Inventory, id: &str) -> PrivilegeLevel {
    inv.get(id)
        .unwrap_or_else(|| panic!("no {id}"))
        .item
        .privilege
        .level
}

#[test]
fn every_gcloud_format_is_detected_and_named_in_the_sources() {
    let outcome = scan_files(org_files(), &Loaded::defaults());
    let kinds: Vec<(&str, SourceStatus)> = outcome
        .inventory
        .sources
        .iter()
        .map(|s| (s.kind.as_str(), s.status))
        .collect();
    assert_eq!(
        kinds,
        [
            ("gcloud-query-activity", SourceStatus::Ok),
            ("gcloud-asset-list", SourceStatus::Ok),
            ("gcloud-asset-export", SourceStatus::Ok),
            ("gcloud-iam-policy-search", SourceStatus::Ok),
        ]
    );
}

#[test]
fn roles_come_from_every_level_and_escalation_needs_a_more_privileged_target() {
    let outcome = scan_files(org_files(), &Loaded::defaults());
    let inv = &outcome.inventory;
    // roles/editor on the folder reaches the project's default compute account.
    assert_eq!(level(inv, COMPUTE), PrivilegeLevel::Admin);
    let evidence = &inv.get(COMPUTE).unwrap().item.privilege.evidence[0];
    assert_eq!(
        (evidence.policy.as_str(), evidence.via.as_str()),
        ("roles/editor", "folder folders/220011")
    );
    // Project IAM Admin: setIamPolicy on a project is admin.
    assert_eq!(level(inv, ADMIN), PrivilegeLevel::Admin);
    let paths = |id: &str| -> Vec<String> {
        inv.get(id)
            .unwrap()
            .item
            .privilege
            .escalations
            .iter()
            .map(|e| e.path.clone())
            .collect()
    };
    assert_eq!(level(inv, DEPLOYER), PrivilegeLevel::Privileged);
    assert_eq!(paths(DEPLOYER), ["act-as-cloud-run"]);
    // A binding on admin-sa itself lets impersonator act as it.
    assert_eq!(level(inv, IMPERSONATOR), PrivilegeLevel::Privileged);
    assert_eq!(paths(IMPERSONATOR), ["impersonate-service-account"]);
    let via = &inv.get(IMPERSONATOR).unwrap().item.privilege.escalations[0].evidence[0].via;
    assert!(via.contains("as admin-sa@proj-b"), "{via}");
    // A custom role from the organization, with iam.serviceAccountKeys.create on proj-b.
    assert_eq!(paths(MINTER), ["create-service-account-key"]);
    // Token Creator on a read-only account opens nothing.
    assert!(paths(TOKENLESS).is_empty());
    assert_eq!(level(inv, TOKENLESS), PrivilegeLevel::Write);
    assert_eq!(level(inv, READER), PrivilegeLevel::Read);
    assert_eq!(level(inv, APPENGINE), PrivilegeLevel::Read);
}

#[test]
fn the_order_of_the_files_does_not_change_the_result() {
    let forward = scan_files(org_files(), &Loaded::defaults());
    let mut reversed = org_files();
    reversed.reverse();
    let backward = scan_files(reversed, &Loaded::defaults());
    for id in [COMPUTE, DEPLOYER, IMPERSONATOR, READER, ADMIN, MINTER] {
        assert_eq!(
            forward.inventory.get(id).unwrap().item.privilege,
            backward.inventory.get(id).unwrap().item.privilege,
            "{id}"
        );
    }
    let all = |o: &scan::Scan| -> BTreeSet<(String, String)> {
        o.evaluation
            .findings
            .iter()
            .map(|f| (f.rule_id().to_string(), f.item_id().to_string()))
            .collect()
    };
    assert_eq!(all(&forward), all(&backward));
}

#[test]
fn owners_come_from_config_then_description_then_project_labels() {
    let outcome = scan_files(org_files(), &Loaded::defaults());
    let inv = &outcome.inventory;
    let owner = |id: &str| inv.get(id).unwrap().item.owner.clone();
    let reader = owner(READER).unwrap();
    assert_eq!(
        (
            reader.name.as_str(),
            reader.source,
            reader.evidence.as_str()
        ),
        (
            "alice@example.com",
            OwnerSource::Provider,
            "description owner:"
        )
    );
    let admin = owner(ADMIN).unwrap();
    assert_eq!(
        (admin.name.as_str(), admin.source, admin.evidence.as_str()),
        ("data-eng", OwnerSource::Tag, "project proj-b label team")
    );
    assert!(owner(IMPERSONATOR).is_none());
    assert_eq!(
        findings(&outcome, "missing-owner"),
        [COMPUTE, IMPERSONATOR, TOKENLESS]
            .into_iter()
            .map(String::from)
            .collect()
    );

    let dir = dir_with(&[(
        "nhiscan.toml",
        "[[owners]]\nmatch = \"110000000000000000003\"\nowner = \"sec-team\"\n\n\
         [[owners]]\nmatch = \"gcp:*/tokenless@*\"\nowner = \"ops\"\n",
    )]);
    let config = Loaded::load(&dir.path().join("nhiscan.toml"), &providers::schema()).unwrap();
    let outcome = scan_files(org_files(), &config);
    let inv = &outcome.inventory;
    let by_unique = inv.get(IMPERSONATOR).unwrap().item.owner.clone().unwrap();
    assert_eq!(
        (by_unique.name.as_str(), by_unique.source),
        ("sec-team", OwnerSource::Config)
    );
    let by_email = inv.get(TOKENLESS).unwrap().item.owner.clone().unwrap();
    assert_eq!(
        (by_email.name.as_str(), by_email.source),
        ("ops", OwnerSource::Config)
    );
}

#[test]
fn keys_lifecycle_and_last_use_feed_the_core_rules() {
    let outcome = scan_files(org_files(), &Loaded::defaults());
    let inv = &outcome.inventory;
    let reader = inv.get(READER).unwrap();
    assert_eq!(
        reader.item.last_used,
        LastUsed::At("2026-05-20T07:00:00Z".parse().unwrap())
    );
    // The system-managed key is not inventoried; the others are.
    let keys: Vec<&str> = reader
        .credentials
        .iter()
        .map(|c| c.item.native_id.as_deref().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0",
            "d15ab1edd15ab1edd15ab1edd15ab1edd15ab1ed",
            "ex91re5ex91re5ex91re5ex91re5ex91re5ex91r",
        ]
    );
    // Without activity data, last use is unknown, never "never".
    assert_eq!(
        inv.get(TOKENLESS).unwrap().item.last_used,
        LastUsed::Unknown
    );
    let old = format!("{READER}/keys/0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0");
    let expiring = format!("{READER}/keys/ex91re5ex91re5ex91re5ex91re5ex91re5ex91r");
    let deployer_key = format!("{DEPLOYER}/keys/d1e2p3l4o5y6e7r8k9e0y1a2b3c4d5e6f7a8b9c0");
    assert!(findings(&outcome, "unrotated-credential").contains(&old));
    let no_expiry = findings(&outcome, "no-expiry");
    assert!(no_expiry.contains(&old) && !no_expiry.contains(&expiring));
    assert_eq!(
        findings(&outcome, "unused-credential"),
        [deployer_key.clone()].into_iter().collect()
    );
    assert!(findings(&outcome, "never-used").is_empty());
    assert_eq!(
        findings(&outcome, "admin-privilege"),
        [COMPUTE, ADMIN].into_iter().map(String::from).collect()
    );
    assert_eq!(
        findings(&outcome, "privilege-escalation"),
        [DEPLOYER, IMPERSONATOR, MINTER]
            .into_iter()
            .map(String::from)
            .collect()
    );
}

#[test]
fn secret_fields_in_exports_are_never_kept() {
    let canary_key = "-----BEGIN PRIVATE KEY-----CANARYPRIVATEKEY0123";
    let canary_b64 = "Q0FOQVJZUFJJVkFURUtFWURBVEE=";
    let canary_api = "AIzaSyCANARYAPIKEYSTRING0123456789";
    let text = format!(
        r#"[{{"name":"//iam.googleapis.com/projects/p/serviceAccounts/1/keys/k1","assetType":"iam.googleapis.com/ServiceAccountKey","resource":{{"data":{{"name":"projects/p/serviceAccounts/svc@p.iam.gserviceaccount.com/keys/k1","validAfterTime":"2026-01-01T00:00:00Z","validBeforeTime":"9999-12-31T23:59:59Z","keyType":"USER_MANAGED","privateKeyData":"{canary_b64}","privateKeyType":"TYPE_GOOGLE_CREDENTIALS_FILE","publicKeyData":"{canary_key}"}}}},"ancestors":["projects/9"]}},
{{"name":"//apikeys.googleapis.com/projects/9/locations/global/keys/a1","assetType":"apikeys.googleapis.com/Key","resource":{{"data":{{"name":"projects/9/locations/global/keys/a1","uid":"a1","displayName":"k","keyString":"{canary_api}","createTime":"2026-01-01T00:00:00Z"}}}},"ancestors":["projects/9"]}}]"#
    );
    let dir = dir_with(&[("assets.json", &text)]);
    for format in ["json", "table", "markdown", "sarif", "csv"] {
        let (code, out, err) = nhiscan()
            .args(["scan", "--now", NOW, "-f", format, "-i"])
            .arg_path(&dir.path().join("assets.json"))
            .run();
        assert!(code == 0 || code >= 10, "{format}: {code} {err}");
        assert!(
            out.contains("k1") || format == "sarif" || out.contains("svc@p"),
            "{format}: {out}"
        );
        for canary in [canary_key, canary_b64, canary_api, "CANARY"] {
            assert!(!out.contains(canary) && !err.contains(canary), "{format}");
        }
    }
}

#[test]
fn broken_exports_name_the_file_and_line() {
    let dir = dir_with(&[
        (
            "export.ndjson",
            "{\"name\":\"//x/projects/1\",\"assetType\":\"cloudresourcemanager.googleapis.com/Project\",\"ancestors\":[]}\n{\"name\": \"broken\", \"assetType\": \n",
        ),
        ("list.json", "[{\"name\": \"x\", \"assetType\": \"a\", ]"),
    ]);
    let (code, _, err) = nhiscan()
        .args(["scan", "--now", NOW, "-i"])
        .arg_path(&dir.path().join("export.ndjson"))
        .run();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("export.ndjson:2:"), "{err}");
    let (code, _, err) = nhiscan()
        .args(["scan", "--now", NOW, "-i"])
        .arg_path(&dir.path().join("list.json"))
        .run();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("list.json:1:"), "{err}");
}
