//! The CI recipes in `docs/ci.md` work as printed: their YAML parses, and
//! their `nhiscan` command lines run in `sh` against the demo exports, with
//! the clock pinned, as a CI job would run them.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use serde_yaml::Value as Yaml;

use crate::ci::Org;

const CI_DOC: &str = include_str!("../../docs/ci.md");
const NOW: &str = "2026-11-01T00:00:00Z";

/// The fenced code block of `docs/ci.md` whose first line is `first_line`.
fn block(first_line: &str) -> String {
    let mut found = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in CI_DOC.lines() {
        match (&mut current, line.starts_with("```")) {
            (None, true) => current = Some(Vec::new()),
            (Some(lines), true) => {
                if lines.first() == Some(&first_line) {
                    found.push(lines.join("\n") + "\n");
                }
                current = None;
            }
            (Some(lines), false) => lines.push(line),
            (None, false) => {}
        }
    }
    assert_eq!(
        found.len(),
        1,
        "one block of docs/ci.md starts with {first_line:?}"
    );
    found.remove(0)
}

/// The lines of a shell snippet that run nhiscan.
fn nhiscan_lines(script: &str) -> Vec<String> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("nhiscan "))
        .map(str::to_string)
        .collect()
}

/// Runs `script` with `sh` in `dir`: a clean environment, this build's
/// nhiscan first on PATH, and every scan's clock pinned to [`NOW`].
fn sh(dir: &Path, script: &str) -> (i32, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_nhiscan")).parent().unwrap();
    let script = script.replace("nhiscan scan ", &format!("nhiscan scan --now {NOW} "));
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("GITHUB_STEP_SUMMARY", dir.join("step-summary.md"))
        .output()
        .expect("sh runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A run directory with the demo's exports in `exports/` and the baseline
/// of `docs/ci.md` written from them.
fn adopted() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    Org::demo().write(&dir.path().join("exports"), &[]);
    let adopt = nhiscan_lines(&block(
        "# Once: accept today's findings, then commit the file",
    ));
    assert_eq!(adopt.len(), 1);
    assert!(adopt[0].contains("--write-baseline nhiscan-baseline.json"));
    assert_eq!(sh(dir.path(), &adopt[0]).0, 0);
    dir
}

/// A service user without an owner appears: a new high finding.
fn add_unowned_user(dir: &Path) {
    Org::demo()
        .add_service_user("svc-new")
        .write(&dir.join("exports"), &[]);
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn github_actions_gates_on_new_findings_summarises_and_uploads_sarif() {
    let workflow: Yaml =
        serde_yaml::from_str(&block("# .github/workflows/nhiscan.yml")).expect("valid YAML");
    let job = &workflow["jobs"]["nhiscan"];
    assert_eq!(job["permissions"]["security-events"], "write");
    let steps = job["steps"].as_sequence().unwrap();
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no step {name}"))
    };
    let upload = step("Upload SARIF");
    assert!(upload["uses"]
        .as_str()
        .unwrap()
        .starts_with("github/codeql-action/upload-sarif@"));
    assert!(upload["if"].as_str().unwrap().contains("always()"));
    assert!(step("Summary")["if"].as_str().unwrap().contains("always()"));
    let sarif_file = upload["with"]["sarif_file"].as_str().unwrap();
    let gate = nhiscan_lines(step("Scan")["run"].as_str().unwrap());
    let summary = nhiscan_lines(step("Summary")["run"].as_str().unwrap());
    assert_eq!((gate.len(), summary.len()), (1, 1));
    assert!(gate[0].contains("--fail-on high") && gate[0].contains("--baseline"));

    let dir = adopted();
    assert_eq!(
        sh(dir.path(), &gate[0]),
        (0, String::new()),
        "the baseline holds"
    );
    let sarif: Value = serde_json::from_str(&read(dir.path(), sarif_file)).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r["baselineState"] == "unchanged"));
    assert_eq!(sh(dir.path(), &summary[0]).0, 0);
    assert!(read(dir.path(), "step-summary.md").starts_with("## nhiscan: 28 findings (0 new)\n"));

    add_unowned_user(dir.path());
    assert_eq!(
        sh(dir.path(), &gate[0]).0,
        1,
        "a new high finding fails the job"
    );
    let sarif: Value = serde_json::from_str(&read(dir.path(), sarif_file)).unwrap();
    let new = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baselineState"] == "new")
        .count();
    assert_eq!(new, 3, "the SARIF to upload is written all the same");
}

#[test]
fn gitlab_ci_gates_on_new_findings_and_keeps_artifacts() {
    let config: Yaml = serde_yaml::from_str(&block("# .gitlab-ci.yml")).expect("valid YAML");
    let job = &config["nhiscan"];
    let script: Vec<&str> = job["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let lines = nhiscan_lines(&script.join("\n"));
    assert_eq!(lines.len(), 2);
    assert_eq!(job["artifacts"]["when"], "always");
    let artifacts: Vec<&str> = job["artifacts"]["paths"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();

    let dir = adopted();
    for line in &lines {
        assert_eq!(sh(dir.path(), line), (0, String::new()), "{line}");
    }
    for name in &artifacts {
        assert!(dir.path().join(name).is_file(), "{name} is kept");
    }
    assert!(read(dir.path(), "nhiscan.md").contains("**0 new**, 28 baselined"));

    add_unowned_user(dir.path());
    assert_eq!(sh(dir.path(), &lines[0]).0, 0, "the summary never fails");
    assert_eq!(sh(dir.path(), &lines[1]).0, 1, "the gate fails");
    let report: Value = serde_json::from_str(&read(dir.path(), "nhiscan.json")).unwrap();
    assert_eq!(report["summary"]["findings"], 31);
}

#[test]
fn the_nightly_script_saves_json_and_diffs_against_the_previous_scan() {
    let script = block("#!/bin/sh");
    assert!(script.contains("# nightly.sh"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    Org::demo().write(&dir.path().join("exports"), &[]);

    // The first night has nothing to compare with.
    assert_eq!(sh(dir.path(), &script), (0, String::new()));
    let scans: Vec<_> = std::fs::read_dir(dir.path().join("scans"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(scans.len(), 1);
    assert!(!dir.path().join("nhiscan-diff.md").exists());

    // Make that scan yesterday's; overnight an unowned user appears.
    std::fs::rename(&scans[0], dir.path().join("scans/2000-01-01.json")).unwrap();
    add_unowned_user(dir.path());
    let (code, stderr) = sh(dir.path(), &script);
    assert_eq!(code, 1, "a new high finding fails the night: {stderr}");
    let diff = read(dir.path(), "nhiscan-diff.md");
    assert!(
        diff.starts_with("## nhiscan diff: 3 new findings, 0 resolved\n"),
        "{diff}"
    );
    assert!(diff.contains("### Identities added (1)"), "{diff}");
    assert!(diff.contains("| svc-new (user) |"), "{diff}");
    assert_eq!(
        std::fs::read_dir(dir.path().join("scans")).unwrap().count(),
        2
    );
}
