//! Bad input exits 2 with a message naming the file (and line or field), never a panic.

use crate::common::{dir_with, fixture, fixture_arg, nhiscan, NOW};

/// Runs a scan that must fail with exit 2; returns stderr.
fn fails(args: &[&str]) -> String {
    let (code, stdout, stderr) = nhiscan().args(["scan"]).args(args).run();
    assert_eq!(code, 2, "stdout: {stdout}\nstderr: {stderr}");
    assert!(
        stdout.is_empty(),
        "nothing is scanned, nothing is printed: {stdout}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn truncated_csv_names_file_and_line() {
    let err = fails(&["-i", &fixture_arg("aws/credential-report/truncated.csv")]);
    assert!(err.contains("truncated.csv:"), "{err}");
    assert!(err.chars().any(|c| c.is_ascii_digit()), "{err}");
}

#[test]
fn wrong_columns_name_the_missing_ones() {
    let err = fails(&[
        "-i",
        &fixture_arg("aws/credential-report/wrong-columns.csv"),
    ]);
    assert!(err.contains("wrong-columns.csv:1"), "{err}");
    assert!(err.contains("wrong column set"), "{err}");
}

#[test]
fn bad_date_in_csv_names_line_and_column() {
    let err = fails(&["-i", &fixture_arg("aws/credential-report/bad-date.csv")]);
    assert!(err.contains("bad-date.csv:"), "{err}");
    assert!(err.contains("cannot parse date"), "{err}");
}

#[test]
fn truncated_json_names_file_and_line() {
    let err = fails(&[
        "-i",
        &fixture_arg("aws/authorization-details/truncated.json"),
    ]);
    assert!(err.contains("truncated.json:"), "{err}");
    assert!(err.contains("EOF"), "{err}");
}

#[test]
fn bad_date_in_json_names_file_and_line() {
    let err = fails(&[
        "-i",
        &fixture_arg("aws/authorization-details/bad-date.json"),
    ]);
    assert!(err.contains("bad-date.json:"), "{err}");
    assert!(err.contains("cannot parse date"), "{err}");
}

#[test]
fn bad_policy_document_names_where() {
    let err = fails(&[
        "-i",
        &fixture_arg("aws/authorization-details/bad-policy.json"),
    ]);
    assert!(err.contains("bad-policy.json"), "{err}");
}

#[test]
fn empty_directory_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let err = fails(&["-i", &empty.path().display().to_string()]);
    assert!(err.contains("directory holds no input files"), "{err}");
}

#[test]
fn missing_file_unknown_format_and_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(&["-i", &dir.path().join("nope.csv").display().to_string()]);
    assert!(
        err.contains("nope.csv") && err.contains("cannot read"),
        "{err}"
    );

    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "hello\n").unwrap();
    let err = fails(&["-i", &notes.display().to_string()]);
    assert!(
        err.contains("notes.txt") && err.contains("unrecognized input"),
        "{err}"
    );

    let json = dir.path().join("other.json");
    std::fs::write(&json, "{\"hello\": 1}").unwrap();
    let err = fails(&["-i", &json.display().to_string()]);
    assert!(
        err.contains("other.json") && err.contains("unrecognized JSON"),
        "{err}"
    );

    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let err = fails(&["-i", &empty.display().to_string()]);
    assert!(err.contains("empty.csv") && err.contains("empty"), "{err}");
}

#[test]
fn unknown_config_key_is_named() {
    let dir = dir_with(&[("nhiscan.toml", "[thresholds]\nstale_after_dayz = 30\n")]);
    let cfg = dir.path().join("nhiscan.toml");
    let err = fails(&["--demo", "--config", &cfg.display().to_string()]);
    assert!(
        err.contains("nhiscan.toml") && err.contains("stale_after_dayz") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn unparseable_expiry_date_is_named() {
    let dir = dir_with(&[(
        "nhiscan.toml",
        "[[suppress]]\nrule = \"missing-owner\"\nidentity = \"*\"\nreason = \"r\"\nexpires = \"31/12/2026\"\n",
    )]);
    let cfg = dir.path().join("nhiscan.toml");
    let err = fails(&["--demo", "--config", &cfg.display().to_string()]);
    assert!(
        err.contains("31/12/2026") && err.contains("line 5"),
        "{err}"
    );
}

#[test]
fn nothing_to_scan_and_bad_flags_are_usage_errors() {
    let err = fails(&[]);
    assert!(err.contains("nothing to scan"), "{err}");
    let (code, _, stderr) = nhiscan()
        .args(["scan", "--demo", "--now", "yesterday"])
        .run();
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = nhiscan()
        .args(["scan", "--demo", "--fail-on", "severe"])
        .run();
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn broken_ai_tenant_snapshots_name_file_line_and_field() {
    let dir = dir_with(&[
        (
            "unknown.json",
            "{\"nhiscan_snapshot\": \"gemini\", \"organization\": \"x\"}\n",
        ),
        (
            "no-users.json",
            "{\"nhiscan_openai_snapshot\": 1,\n \"organization\": \"org-1\"}\n",
        ),
        (
            "version-2.json",
            "{\"organization\": \"org-1\",\n \"nhiscan_openai_snapshot\": 2,\n \"users\": []}\n",
        ),
    ]);
    let path = |name: &str| dir.path().join(name).display().to_string();
    let err = fails(&["-i", &path("unknown.json")]);
    assert!(
        err.contains("unknown.json:1: nhiscan_snapshot \"gemini\" is not \"openai\""),
        "{err}"
    );
    let err = fails(&["-i", &path("version-2.json")]);
    assert!(
        err.contains("version-2.json:2: nhiscan_openai_snapshot 2 is not supported; this build reads version 1"),
        "{err}"
    );
    let err = fails(&["-i", &path("no-users.json")]);
    assert!(
        err.contains("no-users.json:2") && err.contains("missing field `users`"),
        "{err}"
    );
}

/// Files that are not exports, found in an input directory, are skipped
/// sources: a BSD licence (its first line has commas), notes, a PNG, a
/// gzip file and nhiscan's own CSV output. The export beside them scans.
#[test]
fn files_that_are_not_exports_are_skipped_visibly() {
    let dir = tempfile::tempdir().unwrap();
    let put = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).unwrap();
    let report = std::fs::read(fixture("aws/credential-report/report.csv")).unwrap();
    put("credential-report.csv", &report);
    put(
        "LICENSE",
        b"Copyright (c) 2024, Example Corp. All rights reserved.\n\nRedistribution and use in source and binary forms, with or without\n",
    );
    put("notes", b"exported on Monday, from the audit account\n");
    put("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01");
    put("export.csv.gz", b"\x1f\x8b\x08\0\0\0\0\0\0\x03\xff");
    let (code, csv_output, stderr) = nhiscan().args(["scan", "--demo", "-f", "csv"]).run();
    assert_eq!(code, 0, "{stderr}");
    put("findings.csv", csv_output.as_bytes());

    let (code, stdout, stderr) = nhiscan()
        .args(["scan", "-f", "json", "--now", NOW, "-i"])
        .arg_path(dir.path())
        .run();
    assert_eq!(
        code, 0,
        "a skipped file does not make the scan partial: {stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let sources = report["sources"].as_array().unwrap();
    let status = |name: &str| {
        sources
            .iter()
            .find(|s| s["location"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no source for {name}: {sources:?}"))["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("credential-report.csv"), "ok");
    for name in [
        "LICENSE",
        "notes",
        "logo.png",
        "export.csv.gz",
        "findings.csv",
    ] {
        assert_eq!(status(name), "skipped", "{name}");
        assert!(stderr.contains(name), "the skip is on stderr: {stderr}");
    }

    // Named on the command line, a file that is not an export is an error.
    let (code, _, stderr) = nhiscan()
        .args(["scan", "-i"])
        .arg_path(&dir.path().join("LICENSE"))
        .run();
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("LICENSE"), "{stderr}");
}
