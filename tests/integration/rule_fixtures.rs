//! Each rule against its fixture directory, `fixtures/rules/<rule-id>/`, at a
//! fixed `now`. The directory holds real-format inputs with positive and
//! negative cases, an optional `nhiscan.toml`, and `expected.txt`: the item
//! ids the rule must flag, and no others.

use std::collections::BTreeSet;
use std::path::PathBuf;

use nhiscan::config::Loaded;
use nhiscan::providers;
use nhiscan::scan::{self, Request};

use crate::common::{fixture, NOW};

fn check(rule_id: &str) {
    assert!(
        providers::rules().iter().any(|r| r.meta().id == rule_id),
        "no rule {rule_id}"
    );
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
        p if p.is_file() => Loaded::load(&p, &providers::schema()).unwrap(),
        _ => Loaded::defaults(),
    };
    let request = Request {
        inputs,
        ..Request::default()
    };
    let result = scan::run(request, &config, NOW.parse().unwrap()).unwrap();

    let flagged: BTreeSet<String> = result
        .evaluation
        .findings
        .iter()
        .filter(|f| f.rule_id() == rule_id)
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
        .filter(|f| f.rule_id() == rule_id)
    {
        assert!(!f.message.is_empty() && !f.remediation.is_empty(), "{f:?}");
        assert_eq!(f.fingerprint.len(), 32);
    }
}

/// The rule ids that have a fixture folder, `fixtures/rules/<id>/`.
fn fixture_ids() -> BTreeSet<String> {
    let dir = fixture("rules");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Every registered rule has a fixture folder, and every folder names a rule.
#[test]
fn fixture_folders_match_the_registry() {
    let registered: BTreeSet<String> = providers::rules()
        .iter()
        .map(|r| r.meta().id.to_string())
        .collect();
    assert_eq!(fixture_ids(), registered);
}

/// Each rule against its folder; every failing rule is reported at once.
#[test]
fn each_rule_flags_exactly_its_expected_items() {
    let failed: Vec<String> = fixture_ids()
        .into_iter()
        .filter_map(|id| {
            std::panic::catch_unwind(|| check(&id)).err().map(|e| {
                let why = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                format!("{id}: {why}")
            })
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
