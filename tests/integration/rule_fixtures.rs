//! Each rule against its fixture directory, `fixtures/rules/<rule-id>/`, at a
//! fixed `now`. The directory holds real-format inputs with positive and
//! negative cases, an optional `nhiscan.toml`, and `expected.txt`: the item
//! ids the rule must flag, and no others.

use std::collections::BTreeSet;
use std::path::PathBuf;

use nhiscan::config::Loaded;
use nhiscan::rules;
use nhiscan::scan::{self, Request};

use crate::common::{fixture, NOW};

fn check(rule_id: &str) {
    assert!(rules::by_id(rule_id).is_some(), "no rule {rule_id}");
    let dir = fixture(&format!("rules/{rule_id}"));
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name != "expected.txt" && name != "nhiscan.toml"
        })
        .collect();
    inputs.sort();
    let config = match dir.join("nhiscan.toml") {
        p if p.is_file() => Loaded::load(&p).unwrap(),
        _ => Loaded::defaults(),
    };
    let request = Request {
        inputs,
        ..Request::default()
    };
    let result = scan::run(&request, &config, NOW.parse().unwrap()).unwrap();

    let flagged: BTreeSet<String> = result
        .evaluation
        .findings
        .iter()
        .filter(|f| f.rule_id == rule_id)
        .map(|f| f.item_id().to_string())
        .collect();
    let expected: BTreeSet<String> = std::fs::read_to_string(dir.join("expected.txt"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    assert!(
        !expected.is_empty(),
        "{rule_id}: the fixture needs a positive case"
    );
    assert_eq!(
        flagged, expected,
        "{rule_id}: flagged items differ from expected.txt"
    );

    let all_items: BTreeSet<String> = result
        .inventory
        .identities()
        .flat_map(|i| {
            std::iter::once(i.item.id.clone())
                .chain(i.credentials.iter().map(|c| c.item.id.clone()))
        })
        .collect();
    assert!(
        all_items.difference(&expected).count() > 0,
        "{rule_id}: the fixture needs a negative case (an item the rule does not flag)"
    );
    for f in result
        .evaluation
        .findings
        .iter()
        .filter(|f| f.rule_id == rule_id)
    {
        assert!(!f.message.is_empty() && !f.remediation.is_empty(), "{f:?}");
        assert_eq!(f.fingerprint.len(), 32);
    }
}

macro_rules! rule_fixture {
    ($($name:ident => $id:literal),* $(,)?) => {
        $( #[test] fn $name() { check($id); } )*

        /// Every registered rule has a fixture test above.
        #[test]
        fn every_rule_has_a_fixture_test() {
            let tested: BTreeSet<&str> = [$($id),*].into_iter().collect();
            let registered: BTreeSet<&str> = rules::registry().iter().map(|r| r.meta().id).collect();
            assert_eq!(tested, registered);
        }
    };
}

rule_fixture! {
    missing_owner => "missing-owner",
    departed_owner => "departed-owner",
    admin_privilege => "admin-privilege",
    ai_privileged => "ai-privileged",
    privilege_escalation => "privilege-escalation",
    wildcard_privilege => "wildcard-privilege",
    broad_trust => "broad-trust",
    root_access_key => "root-access-key",
    unused_credential => "unused-credential",
    never_used => "never-used",
    unrotated_credential => "unrotated-credential",
    multiple_active_keys => "multiple-active-keys",
    inactive_credential => "inactive-credential",
    no_expiry => "no-expiry",
    console_access => "console-access",
    expired_certificate => "expired-certificate",
    write_deploy_key => "write-deploy-key",
    all_repositories_access => "all-repositories-access",
    webhook_without_secret => "webhook-without-secret",
}
