//! CI adoption: baselines, scan-to-scan diffs, `--min-severity`, Markdown,
//! colour, completions and the man page.
//!
//! The scans read the demo organisation's two exports from disk, edited per
//! test (a user added or removed, a key rotated, an owner tag dropped), with
//! the clock fixed at the demo's day unless a test moves it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::common::{dir_with, fixture, nhiscan, nhiscan_in};

/// The demo's day.
const DAY1: &str = "2026-11-01T00:00:00Z";
/// The next day: no finding of the demo starts or stops on it.
const DAY2: &str = "2026-11-02T00:00:00Z";

const CR: &str = "credential-report.csv";
const AD: &str = "authorization-details.json";
const ACCOUNT: &str = "arn:aws:iam::123456789012:";

/// The demo's exports, to edit before writing them into a run directory.
pub(crate) struct Org {
    csv: String,
    details: Value,
}

impl Org {
    pub(crate) fn demo() -> Org {
        let read = |name: &str| std::fs::read_to_string(fixture(&format!("demo/{name}"))).unwrap();
        Org {
            csv: read(CR),
            details: serde_json::from_str(&read(AD)).unwrap(),
        }
    }

    /// Adds a service user with one never-used key created on 2026-01-01:
    /// it has no owner (high) and a never-used, unrotated key (medium).
    pub(crate) fn add_service_user(mut self, name: &str) -> Org {
        self.csv.push_str(&format!(
            "{name},{ACCOUNT}user/{name},2026-01-01T09:00:00+00:00,false,N/A,N/A,N/A,false,\
             true,2026-01-01T09:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        ));
        self
    }

    /// Removes a user from both exports.
    fn remove_user(mut self, name: &str) -> Org {
        let prefix = format!("{name},");
        self.csv = self
            .csv
            .lines()
            .filter(|l| !l.starts_with(&prefix))
            .map(|l| format!("{l}\n"))
            .collect();
        let users = self.details["UserDetailList"].as_array_mut().unwrap();
        let before = users.len();
        users.retain(|u| u["UserName"] != name);
        assert_eq!(users.len() + 1, before, "{name} is in the demo");
        self
    }

    /// Gives a user's first access key a new creation date: a new key in slot 1.
    fn rotate_key_1(mut self, name: &str, created: &str) -> Org {
        let prefix = format!("{name},");
        self.csv = self
            .csv
            .lines()
            .map(|l| {
                if !l.starts_with(&prefix) {
                    return format!("{l}\n");
                }
                let mut cells: Vec<&str> = l.split(',').collect();
                assert_eq!(cells[8], "true", "{name} has an active key 1");
                cells[9] = created; // access_key_1_last_rotated
                cells[10] = created; // access_key_1_last_used_date
                format!("{}\n", cells.join(","))
            })
            .collect();
        self
    }

    /// Drops a user's owner tag: its owner has left.
    fn drop_owner_tag(mut self, name: &str) -> Org {
        let user = self.details["UserDetailList"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|u| u["UserName"] == name)
            .unwrap();
        user["Tags"]
            .as_array_mut()
            .unwrap()
            .retain(|t| t["Key"] != "owner");
        self
    }

    /// Writes the exports (and `extra` files) into `dir`.
    pub(crate) fn write(&self, dir: &Path, extra: &[(&str, &str)]) {
        std::fs::write(dir.join(CR), &self.csv).unwrap();
        std::fs::write(dir.join(AD), self.details.to_string()).unwrap();
        for (name, text) in extra {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
}

/// `nhiscan scan` over the two exports in `dir` at `now`, with `args`.
fn scan(dir: &Path, now: &str, args: &[&str]) -> (i32, String, String) {
    nhiscan_in(dir)
        .args(["scan", "-i", CR, "-i", AD, "--now", now])
        .args(args)
        .run()
}

/// [`scan`], which must succeed (exit 0).
fn scan_ok(dir: &Path, now: &str, args: &[&str]) {
    let (code, _, stderr) = scan(dir, now, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
}

/// The same, as JSON, asserting the exit code.
fn scan_json(dir: &Path, now: &str, args: &[&str], want: i32) -> Value {
    let (code, stdout, stderr) = scan(dir, now, &[args, &["-f", "json"]].concat());
    assert_eq!(code, want, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

/// `rule on item` for each finding whose `baseline` is `state`.
fn marked(report: &Value, state: &str) -> BTreeSet<String> {
    findings(report)
        .iter()
        .filter(|f| f["baseline"] == state)
        .map(|f| {
            let item = f["credential_id"].as_str().or(f["identity_id"].as_str());
            format!("{} on {}", f["rule_id"].as_str().unwrap(), item.unwrap())
        })
        .collect()
}

/// Fingerprints by `rule on item`.
fn fingerprints(report: &Value) -> BTreeMap<String, String> {
    findings(report)
        .iter()
        .map(|f| {
            let item = f["credential_id"].as_str().or(f["identity_id"].as_str());
            (
                format!("{} on {}", f["rule_id"].as_str().unwrap(), item.unwrap()),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_baseline_holds() {
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(dir.path(), &[]);
    let (code, _, stderr) = scan(dir.path(), DAY1, &["--write-baseline", "baseline.json"]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    let baseline: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(baseline["nhiscan_baseline"], 1);
    let entries = baseline["findings"].as_array().unwrap();
    assert!(entries.iter().all(|e| e["first_seen"] == "2026-11-01"));

    // Without the baseline the gate fails; with it, it holds.
    scan_json(dir.path(), DAY1, &["--fail-on", "low"], 1);
    let report = scan_json(
        dir.path(),
        DAY1,
        &["--baseline", "baseline.json", "--fail-on", "low"],
        0,
    );
    assert_eq!(marked(&report, "new"), BTreeSet::new());
    assert_eq!(marked(&report, "baselined").len(), entries.len());
    assert_eq!(report["resolved"], serde_json::json!([]));

    // Writing it again from the same scan changes not a byte.
    scan_ok(dir.path(), DAY1, &["--write-baseline", "again.json"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("again.json")).unwrap(),
        text
    );
}

#[test]
fn a_new_finding_fails_the_build() {
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(dir.path(), &[]);
    scan_ok(dir.path(), DAY1, &["--write-baseline", "baseline.json"]);
    Org::demo()
        .add_service_user("svc-new")
        .write(dir.path(), &[]);
    let args = ["--baseline", "baseline.json", "--fail-on", "high"];
    let report = scan_json(dir.path(), DAY1, &args, 1);
    let new = format!("{ACCOUNT}user/svc-new");
    assert_eq!(
        marked(&report, "new"),
        BTreeSet::from([
            format!("missing-owner on {new}"),
            format!("never-used on {new}/access-key/1"),
            format!("unrotated-credential on {new}/access-key/1"),
        ])
    );
    assert_eq!(
        marked(&report, "baselined").len() + 3,
        findings(&report).len()
    );
    // The new finding is high: a critical gate still passes.
    scan_json(
        dir.path(),
        DAY1,
        &["--baseline", "baseline.json", "--fail-on", "critical"],
        0,
    );
    // The table marks it, and counts new against baselined.
    let (_, table, _) = scan(dir.path(), DAY1, &args);
    assert!(
        table.lines().any(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            cells.starts_with(&["new", "missing-owner", "svc-new", "(user)"])
        }),
        "{table}"
    );
    assert!(table.contains("3 new, 28 baselined, 0 resolved"), "{table}");
    // SARIF carries the state for code scanning.
    let (_, sarif, _) = scan(dir.path(), DAY1, &[&args[..2], &["-f", "sarif"]].concat());
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let states: BTreeMap<&str, usize> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .fold(BTreeMap::new(), |mut m, r| {
            *m.entry(r["baselineState"].as_str().unwrap()).or_default() += 1;
            m
        });
    assert_eq!(states, BTreeMap::from([("new", 3), ("unchanged", 28)]));
}

#[test]
fn a_resolved_finding_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(dir.path(), &[]);
    scan_ok(dir.path(), DAY1, &["--write-baseline", "baseline.json"]);
    Org::demo()
        .remove_user("old-contractor")
        .write(dir.path(), &[]);
    let report = scan_json(
        dir.path(),
        DAY1,
        &["--baseline", "baseline.json", "--fail-on", "low"],
        0,
    );
    let gone = format!("{ACCOUNT}user/old-contractor");
    let resolved: BTreeSet<String> = report["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["first_seen"], "2026-11-01");
            assert_eq!(e["identity_id"], gone.as_str());
            e["rule_id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        resolved,
        BTreeSet::from([
            "missing-owner".to_string(),
            "unrotated-credential".into(),
            "unused-credential".into(),
        ])
    );
    let (_, table, _) = scan(dir.path(), DAY1, &["--baseline", "baseline.json"]);
    assert!(table.contains("RESOLVED SINCE BASELINE (3)"), "{table}");
    let row = table
        .lines()
        .find(|l| l.starts_with("missing-owner ") && l.contains(&gone))
        .unwrap_or_else(|| panic!("no resolved row:\n{table}"));
    assert!(row.ends_with("  2026-11-01"), "{row}");
    assert!(table.contains("0 new, 25 baselined, 3 resolved"), "{table}");
}

#[test]
fn fingerprints_hold_when_unrelated_identities_come_and_go() {
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(dir.path(), &[]);
    let before = scan_json(dir.path(), DAY1, &["--write-baseline", "baseline.json"], 0);
    Org::demo()
        .add_service_user("svc-other")
        .remove_user("reporting")
        .write(dir.path(), &[]);
    let after = scan_json(dir.path(), DAY1, &["--baseline", "baseline.json"], 0);

    let (a, b) = (fingerprints(&before), fingerprints(&after));
    let common: Vec<&String> = a.keys().filter(|k| b.contains_key(*k)).collect();
    assert!(
        common.len() >= a.len() - 3,
        "most findings are on both sides"
    );
    for k in &common {
        assert_eq!(a[*k], b[*k], "{k}");
    }
    // Everything that was there is baselined; only svc-other's findings are new,
    // and only reporting's are resolved.
    assert!(marked(&after, "new")
        .iter()
        .all(|k| k.contains("user/svc-other")));
    assert_eq!(marked(&after, "new").len(), 3);
    assert_eq!(
        marked(&after, "baselined"),
        common.iter().map(|k| k.to_string()).collect()
    );
    let resolved = after["resolved"].as_array().unwrap();
    assert!(!resolved.is_empty());
    assert!(resolved
        .iter()
        .all(|e| e["identity_id"] == format!("{ACCOUNT}user/reporting")));
}

#[test]
fn fingerprints_hold_on_another_day_and_first_seen_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(dir.path(), &[]);
    let day1 = scan_json(dir.path(), DAY1, &["--write-baseline", "baseline.json"], 0);
    Org::demo()
        .add_service_user("svc-new")
        .write(dir.path(), &[]);
    let day2 = scan_json(
        dir.path(),
        DAY2,
        &[
            "--baseline",
            "baseline.json",
            "--write-baseline",
            "baseline.json",
        ],
        0,
    );
    // The messages count days, so they moved on; the fingerprints did not.
    let messages = |r: &Value| -> BTreeSet<String> {
        findings(r)
            .iter()
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    assert_ne!(messages(&day1), messages(&day2));
    let (a, b) = (fingerprints(&day1), fingerprints(&day2));
    for (k, fp) in &a {
        assert_eq!(b.get(k), Some(fp), "{k}");
    }
    assert_eq!(marked(&day2, "baselined").len(), a.len());
    assert_eq!(day2["resolved"], serde_json::json!([]));

    // The rewritten baseline keeps day 1 for the old findings and dates the new ones day 2.
    let rewritten = read_json(&dir.path().join("baseline.json"));
    let days: BTreeMap<String, usize> =
        rewritten["findings"]
            .as_array()
            .unwrap()
            .iter()
            .fold(BTreeMap::new(), |mut m, e| {
                *m.entry(e["first_seen"].as_str().unwrap().to_string())
                    .or_default() += 1;
                m
            });
    assert_eq!(
        days,
        BTreeMap::from([
            ("2026-11-01".to_string(), a.len()),
            ("2026-11-02".into(), 3)
        ])
    );
}

#[test]
fn an_expired_suppression_makes_its_finding_fail_the_build_again() {
    let config = r#"
[[suppress]]
rule = "broad-trust"
identity = "*:role/shared-readonly"
reason = "vendor migration, SEC-42"
expires = 2026-11-15
"#;
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(dir.path(), &[("nhiscan.toml", config)]);
    // The baseline is written while the suppression holds, so it lacks the finding.
    let first = scan_json(dir.path(), DAY1, &["--write-baseline", "baseline.json"], 0);
    let shared = format!("broad-trust on {ACCOUNT}role/shared-readonly");
    assert!(!fingerprints(&first).contains_key(&shared));

    let gate = ["--baseline", "baseline.json", "--fail-on", "high"];
    let before = scan_json(dir.path(), "2026-11-10T00:00:00Z", &gate, 0);
    assert_eq!(before["summary"]["suppressed"], 1);

    let (code, stdout, stderr) = scan(
        dir.path(),
        "2026-11-20T00:00:00Z",
        &[&gate[..], &["-f", "json"]].concat(),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("nhiscan.toml:3: suppression of broad-trust")
            && stderr.contains("expired on 2026-11-15"),
        "{stderr}"
    );
    let after: Value = serde_json::from_str(&stdout).unwrap();
    let new_high: BTreeSet<String> = findings(&after)
        .iter()
        .filter(|f| {
            f["baseline"] == "new"
                && ["high", "critical"].contains(&f["severity"].as_str().unwrap())
        })
        .map(|f| {
            format!(
                "{} on {}",
                f["rule_id"].as_str().unwrap(),
                f["identity_id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(new_high, BTreeSet::from([shared]));
}

#[test]
fn a_diff_shows_a_rotated_key_and_a_departed_owner() {
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(dir.path(), &[]);
    scan_ok(dir.path(), DAY1, &["-f", "json", "-o", "old.json"]);
    Org::demo()
        .rotate_key_1("deployer", "2026-11-01T09:00:00+00:00")
        .drop_owner_tag("deployer")
        .write(dir.path(), &[]);
    scan_ok(dir.path(), DAY2, &["-f", "json", "-o", "new.json"]);

    let diff = |args: &[&str]| {
        nhiscan_in(dir.path())
            .args(["diff", "old.json", "new.json"])
            .args(args)
            .run()
    };
    let (code, stdout, stderr) = diff(&["-f", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let d: Value = serde_json::from_str(&stdout).unwrap();
    let deployer = format!("{ACCOUNT}user/ci/deployer");
    let key = format!("{deployer}/access-key/1");
    assert_eq!(d["summary"]["credentials_rotated"], 1);
    let rotation = &d["credentials_rotated"][0];
    assert_eq!(rotation["before"]["id"], key.as_str());
    assert_eq!(rotation["after"]["id"], key.as_str());
    assert_eq!(rotation["before"]["created_at"], "2026-04-14T09:00:00Z");
    assert_eq!(rotation["after"]["created_at"], "2026-11-01T09:00:00Z");
    assert_eq!(d["summary"]["owners_changed"], 1);
    let owner = &d["owners_changed"][0];
    assert_eq!(owner["id"], deployer.as_str());
    assert_eq!(owner["change"], "removed");
    assert_eq!(owner["before"], "release-team");
    assert_eq!(owner["after"], Value::Null);
    // The departed owner is a new missing-owner finding; the old key's findings are resolved.
    let rules = |list: &str| -> BTreeSet<String> {
        d[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} on {}",
                    f["rule_id"].as_str().unwrap(),
                    f["identity_id"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        rules("findings_new"),
        BTreeSet::from([format!("missing-owner on {deployer}")])
    );
    assert_eq!(
        rules("findings_resolved"),
        BTreeSet::from([
            format!("unrotated-credential on {deployer}"),
            format!("unused-credential on {deployer}"),
        ])
    );
    for list in [
        "identities_added",
        "identities_removed",
        "privilege_changed",
        "credentials_added",
        "credentials_removed",
    ] {
        assert_eq!(d[list], serde_json::json!([]), "{list}");
    }

    let (code, table, _) = diff(&[]);
    assert_eq!(code, 0);
    assert!(table.contains("OWNERS CHANGED (1)"), "{table}");
    assert!(
        table.contains("deployer (user)  removed  release-team  (none)"),
        "{table}"
    );
    assert!(table.contains("CREDENTIALS ROTATED (1)"), "{table}");
    assert!(
        table.contains(
            "deployer  access-key/1, created 2026-04-14  access-key/1, created 2026-11-01"
        ),
        "{table}"
    );
    let (_, md, _) = diff(&["-f", "markdown"]);
    assert!(
        md.starts_with("## nhiscan diff: 1 new finding, 2 resolved\n"),
        "{md}"
    );
    assert!(md.contains("### Owners changed (1)"), "{md}");

    // The gate: the new finding is high.
    assert_eq!(diff(&["--fail-on-new", "high"]).0, 1);
    assert_eq!(diff(&["--fail-on-new", "critical"]).0, 0);
    // Output to a file, stdout empty.
    let (code, stdout, _) = diff(&["-f", "markdown", "-o", "diff.md", "--fail-on-new", "high"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("diff.md")).unwrap(),
        md
    );
}

#[test]
fn a_diff_of_an_incomplete_scan_warns_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(dir.path(), &[]);
    let mut report = scan_json(dir.path(), DAY1, &[], 0);
    std::fs::write(dir.path().join("old.json"), report.to_string()).unwrap();
    report["sources"][0]["status"] = "failed".into();
    std::fs::write(dir.path().join("new.json"), report.to_string()).unwrap();
    let (code, stdout, stderr) = nhiscan_in(dir.path())
        .args([
            "diff",
            "old.json",
            "new.json",
            "-f",
            "json",
            "--fail-on-new",
            "low",
        ])
        .run();
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("the NEW scan new.json is incomplete"),
        "{stderr}"
    );
    let d: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(d["warnings"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_baselines_and_diff_inputs_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(
        dir.path(),
        &[
            ("broken.json", "{\"nhiscan_baseline\": 1,\n\"findings\": [}"),
            ("notes.txt", "hello\n"),
        ],
    );
    scan_ok(dir.path(), DAY1, &["-f", "json", "-o", "scan.json"]);
    let cases: [(&[&str], &str); 4] = [
        (
            &["--baseline", "missing.json"],
            "missing.json: cannot read baseline",
        ),
        (&["--baseline", "broken.json"], "broken.json:2:"),
        (
            &["--baseline", "scan.json"],
            "scan.json: this is an nhiscan scan report, not a baseline",
        ),
        // An existing file that is not a baseline is not overwritten.
        (
            &["--write-baseline", "notes.txt"],
            "notes.txt: this is not a baseline (not JSON)",
        ),
    ];
    for (args, want) in cases {
        let (code, stdout, stderr) = scan(dir.path(), DAY1, args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stdout.is_empty() && stderr.contains(want),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "hello\n"
    );
    for (old, want) in [
        ("missing.json", "missing.json: cannot read"),
        ("notes.txt", "notes.txt:1:"),
    ] {
        let (code, _, stderr) = nhiscan_in(dir.path())
            .args(["diff", old, "scan.json"])
            .run();
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains(want), "{stderr}");
    }
}

#[test]
fn min_severity_trims_the_output_but_not_the_exit_code() {
    // Without its two critical rules, the demo's worst findings are high.
    let dir = dir_with(&[(
        "nhiscan.toml",
        "[rules.admin-privilege]\nenabled = false\n[rules.root-access-key]\nenabled = false\n",
    )]);
    let run = |args: &[&str]| {
        let (code, stdout, stderr) = nhiscan_in(dir.path())
            .args(["scan", "--demo", "--fail-on", "high"])
            .args(args)
            .run();
        assert_eq!(
            code, 1,
            "the high findings fail the gate, shown or not: {stderr}"
        );
        stdout
    };
    let all: Value = serde_json::from_str(&run(&["-f", "json"])).unwrap();
    let total = findings(&all).len();
    let high = findings(&all)
        .iter()
        .filter(|f| f["severity"] == "high")
        .count();
    assert!(high > 0 && total > high);
    assert_eq!(all["summary"]["hidden"], 0);

    let trimmed: Value =
        serde_json::from_str(&run(&["-f", "json", "--min-severity", "high"])).unwrap();
    assert_eq!(findings(&trimmed).len(), high);
    assert_eq!(trimmed["summary"]["hidden"], total - high);

    let none: Value =
        serde_json::from_str(&run(&["-f", "json", "--min-severity", "critical"])).unwrap();
    assert_eq!(none["summary"]["findings"], 0);
    assert_eq!(none["summary"]["hidden"], total);
    let table = run(&["--min-severity", "critical"]);
    assert!(table.starts_with("No findings.\n"), "{table}");
    assert!(
        table.contains(&format!("{total} hidden by --min-severity")),
        "{table}"
    );
}

#[test]
fn markdown_summarises_a_scan_with_its_baseline() {
    let dir = tempfile::tempdir().unwrap();
    Org::demo().write(dir.path(), &[]);
    scan_ok(dir.path(), DAY1, &["--write-baseline", "baseline.json"]);
    Org::demo()
        .add_service_user("svc-new")
        .write(dir.path(), &[]);
    let (code, md, stderr) = scan(
        dir.path(),
        DAY1,
        &["--baseline", "baseline.json", "-f", "markdown"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(md.starts_with("## nhiscan: 31 findings (3 new)\n"), "{md}");
    assert!(
        md.contains("| provider | critical | high | medium | low | total |"),
        "{md}"
    );
    assert!(md.contains("| aws | 3 | 11 | 15 | 2 | 31 |"), "{md}");
    assert!(md.contains("**3 new**, 28 baselined, 0 resolved"), "{md}");
    // New findings lead the list.
    let first = md.lines().find(|l| l.starts_with("| **new**")).unwrap();
    assert!(
        first.contains("missing-owner") && first.contains("svc-new (user)"),
        "{first}"
    );
    assert!(!md.contains('\u{1b}'));
}

#[test]
fn colour_only_for_a_terminal_or_when_forced_and_never_with_no_color() {
    let table = |env: &[(&str, &str)], args: &[&str]| {
        let mut run = nhiscan().args(["scan", "--demo"]).args(args);
        for (k, v) in env {
            run.cmd.env(k, v);
        }
        run.run().1
    };
    let escape = '\u{1b}';
    assert!(!table(&[], &[]).contains(escape), "a pipe gets plain text");
    let forced = table(&[("CLICOLOR_FORCE", "1")], &[]);
    assert!(forced.contains("\u{1b}[1m\u{1b}[91mCRITICAL ("), "{forced}");
    assert!(!table(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]).contains(escape));
    assert!(!table(&[("CLICOLOR_FORCE", "1")], &["-f", "json"]).contains(escape));
    // Without the escapes, the coloured table is the plain one.
    let stripped = forced
        .replace("\u{1b}[1m", "")
        .replace("\u{1b}[91m", "")
        .replace("\u{1b}[31m", "")
        .replace("\u{1b}[33m", "")
        .replace("\u{1b}[36m", "")
        .replace("\u{1b}[0m", "");
    assert_eq!(stripped, table(&[], &[]));
}

#[test]
fn completions_for_every_shell_know_the_new_flags() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, stdout, stderr) = nhiscan().args(["completions", shell]).run();
        assert_eq!(code, 0, "{shell}: {stderr}");
        // fish names long flags without their dashes.
        for word in ["write-baseline", "min-severity", "fail-on-new", "diff"] {
            assert!(stdout.contains(word), "{shell} lacks {word}");
        }
    }
    let (code, _, stderr) = nhiscan().args(["completions", "tcsh"]).run();
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn man_pages_on_stdout_and_per_command_in_a_directory() {
    let (code, page, _) = nhiscan().args(["man"]).run();
    assert_eq!(code, 0);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH nhiscan 1"),
        "{page}"
    );
    assert!(page.contains(".TH nhiscan 1"), "{page}");
    assert!(
        page.contains("diff") && page.contains("completions"),
        "{page}"
    );

    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = nhiscan_in(dir.path()).args(["man", "--out-dir", "."]).run();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    for name in [
        "nhiscan.1",
        "nhiscan-scan.1",
        "nhiscan-diff.1",
        "nhiscan-rules.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.contains(".TH"), "{name}");
    }
    let scan = std::fs::read_to_string(dir.path().join("nhiscan-scan.1")).unwrap();
    assert!(scan.contains("baseline"), "{scan}");
}
