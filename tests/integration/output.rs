//! Output people can trust (issue 13): `-o` semantics and file modes,
//! several outputs from one scan, filters, the SARIF cap and metadata, the
//! github, csv-findings and inventory views, terminal width, messages, man
//! pages and `init`.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;

use serde_json::Value;

use crate::common::{dir_with, nhiscan, nhiscan_in, NOW};

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn dash_is_stdout_and_no_file_named_dash_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "-f", "json", "-o", "-"])
        .run();
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["schema_version"], 1);
    assert!(!dir.path().join("-").exists());
}

#[test]
fn a_symlink_keeps_being_a_link_and_its_target_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.sarif");
    fs::write(&real, "old").unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o644)).unwrap();
    symlink("real.sarif", dir.path().join("link.sarif")).unwrap();
    let (code, _, err) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "-f", "sarif", "-o", "link.sarif"])
        .run();
    assert_eq!(code, 0, "{err}");
    let link = dir.path().join("link.sarif");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        json(&fs::read_to_string(&real).unwrap())["version"],
        "2.1.0"
    );
    assert_eq!(mode(&real), 0o644, "0644 stays 0644");
}

#[test]
fn a_new_output_follows_the_umask_not_0600() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "-f", "json", "-o", "scan.json"])
        .args(["--write-baseline", "base.json"])
        .run();
    assert_eq!(code, 0, "{err}");
    // What this process's umask gives a new file, as `>` would.
    let touched = dir.path().join("touched");
    fs::File::create(&touched).unwrap();
    assert_eq!(mode(&dir.path().join("scan.json")), mode(&touched));
    assert_eq!(mode(&dir.path().join("base.json")), mode(&touched));
}

#[test]
fn a_fifo_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let (code, _, err) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "-f", "csv", "-o", "pipe"])
        .run();
    assert_eq!(code, 0, "{err}");
    assert!(reader.join().unwrap().starts_with("provider,scope,kind,"));
    assert!(
        !fs::symlink_metadata(&fifo).unwrap().is_file(),
        "still a FIFO"
    );
}

#[test]
fn a_missing_output_directory_fails_before_the_scan_naming_the_path() {
    // The input is broken too: the output path is what is reported, so it was checked first.
    let dir = dir_with(&[("broken.json", "{\"nhiscan_github_snapshot\": 1,")]);
    let (code, _, err) = nhiscan_in(dir.path())
        .args(["scan", "-i", "broken.json", "-o", "typo-dir/scan.json"])
        .run();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("typo-dir/scan.json"), "{err}");
    assert!(!err.contains(".tmp") && !err.contains(".nhiscan"), "{err}");
}

#[test]
fn several_outputs_come_from_one_scan() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = nhiscan_in(dir.path())
        .args([
            "scan",
            "--demo",
            "-o",
            "json=scan.json",
            "-o",
            "sarif=scan.sarif",
        ])
        .args(["-o", "markdown=-"])
        .run();
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("## nhiscan: "), "{out}");
    let report = json(&fs::read_to_string(dir.path().join("scan.json")).unwrap());
    let sarif = json(&fs::read_to_string(dir.path().join("scan.sarif")).unwrap());
    let findings = report["findings"].as_array().unwrap().len();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        findings
    );
    assert!(
        out.starts_with(&format!("## nhiscan: {findings} findings")),
        "{out}"
    );
    let (code, _, err) = nhiscan()
        .args(["scan", "--demo", "-o", "json=-", "-o", "csv=-"])
        .run();
    assert_eq!(code, 2, "two outputs on stdout: {err}");
}

#[test]
fn sarif_keeps_the_most_severe_results_and_says_how_many_were_left_out() {
    let (code, out, err) = nhiscan()
        .args(["scan", "--demo", "-f", "sarif", "--sarif-max-results", "3"])
        .run();
    assert_eq!(code, 0, "{err}");
    let log = json(&out);
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert!(
        results.iter().all(|r| r["level"] == "error"),
        "most severe first"
    );
    let (_, all, _) = nhiscan().args(["scan", "--demo", "-f", "json"]).run();
    let total = json(&all)["findings"].as_array().unwrap().len();
    let left = total - 3;
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes.iter().any(|n| n["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{left} of {total} results left out"))),
        "{notes:?}"
    );
    assert!(err.contains(&format!("{left} left out")), "{err}");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(driver["fullName"].as_str().unwrap().starts_with("nhiscan "));
}

#[test]
fn sarif_rule_metadata_follows_a_severity_override() {
    let dir = dir_with(&[(
        "nhiscan.toml",
        "[rules.console-access]\nseverity = \"critical\"\n",
    )]);
    let (_, out, err) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "-f", "sarif"])
        .run();
    let log = json(&out);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "console-access")
        .expect(&err);
    assert_eq!(rule["properties"]["security-severity"], "9.5");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
}

#[test]
fn filters_apply_to_every_format_and_to_fail_on() {
    let (_, all, _) = nhiscan().args(["scan", "--demo", "-f", "json"]).run();
    let all = json(&all);
    let (code, out, err) = nhiscan()
        .args(["scan", "--demo", "-f", "json", "--provider", "github"])
        .args(["--fail-on", "low"])
        .run();
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    assert!(!r["identities"].as_array().unwrap().is_empty());
    assert!(r["identities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["provider"] == "github"));
    assert!(r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["provider"] == "github"));
    let s = &r["summary"];
    assert!(s["filtered_items"].as_u64().unwrap() > 0, "{s}");
    let shown = r["findings"].as_array().unwrap().len() as u64;
    assert_eq!(
        shown + s["filtered_findings"].as_u64().unwrap(),
        all["findings"].as_array().unwrap().len() as u64
    );
    assert!(err.contains("note: filters left out"), "{err}");
    // --fail-on counts only what passes: no finding of this rule is critical.
    let (code, out, _) = nhiscan()
        .args([
            "scan",
            "--demo",
            "-f",
            "csv-findings",
            "--rule",
            "multiple-active-keys",
        ])
        .args(["--fail-on", "critical"])
        .run();
    assert_eq!(code, 0, "{out}");
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|l| l.contains(",multiple-active-keys,")),
        "{out}"
    );
    // The table's summary says what was filtered out.
    let (_, table, _) = nhiscan()
        .args(["scan", "--demo", "--unowned", "--ai"])
        .run();
    assert!(table.contains("filtered out: "), "{table}");
}

#[test]
fn github_format_writes_one_workflow_command_per_finding() {
    let (_, out, _) = nhiscan().args(["scan", "--demo", "-f", "github"]).run();
    let (_, all, _) = nhiscan().args(["scan", "--demo", "-f", "json"]).run();
    let findings = json(&all)["findings"].as_array().unwrap().len();
    let commands = out
        .lines()
        .filter(|l| {
            l.starts_with("::error title=")
                || l.starts_with("::warning title=nhiscan ")
                || l.starts_with("::notice title=")
        })
        .count();
    assert_eq!(commands, findings, "{out}");
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
}

#[test]
fn the_inventory_view_lists_items_grouped_by_provider() {
    let (code, out, err) = nhiscan().args(["inventory", "--demo"]).run();
    assert_eq!(code, 0, "{err}");
    for heading in ["AWS: ", "GITHUB: "] {
        assert!(
            out.lines().any(|l| l.starts_with(heading)),
            "{heading}\n{out}"
        );
    }
    assert!(out.contains("LAST USED"), "{out}");
    let (_, same, _) = nhiscan()
        .args(["scan", "--demo", "--view", "inventory"])
        .run();
    assert_eq!(out, same);
}

#[test]
fn the_table_fits_columns() {
    for columns in [80usize, 200] {
        let (_, out, _) = nhiscan()
            .args(["scan", "--demo"])
            .env("COLUMNS", &columns.to_string())
            .run();
        let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= columns, "{columns}: {widest}\n{out}");
        if columns == 200 {
            assert!(widest > 100, "space is used at 200 columns:\n{out}");
        }
    }
}

#[test]
fn warnings_reach_stderr_when_stdout_is_not_a_terminal() {
    let dir = dir_with(&[]);
    fs::create_dir(dir.path().join("exports")).unwrap();
    fs::write(dir.path().join("exports/notes.txt"), "not an export\n").unwrap();
    let (code, out, err) = nhiscan_in(dir.path()).args(["scan", "-i", "exports"]).run();
    assert!(err.contains("warning: source"), "{code} {err}");
    // Nothing was read: the table does not say "No findings".
    assert!(!out.contains("No findings"), "{out}");
    assert!(
        out.starts_with("Scan failed: nothing was read (1 skipped)"),
        "{out}"
    );
    let (_, md, _) = nhiscan_in(dir.path())
        .args(["scan", "-i", "exports", "-f", "markdown"])
        .run();
    assert!(
        md.contains("**Scan failed:**") && !md.contains("No findings"),
        "{md}"
    );
}

#[test]
fn a_bad_now_says_what_was_expected() {
    let (code, _, err) = nhiscan()
        .args(["scan", "--demo", "--now", "yesterday"])
        .run();
    assert_eq!(code, 2);
    assert!(err.contains("\"yesterday\" is not an RFC 3339"), "{err}");
    assert!(err.contains("2026-11-01T00:00:00Z"), "{err}");
    assert!(!err.contains("four digit"), "{err}");
}

#[test]
fn json_times_are_whole_seconds_with_ages_and_is_nhi() {
    // A real clock (no --now): nanoseconds must not leak into `now`.
    let dir = tempfile::tempdir().unwrap();
    let (_, demo, _) = nhiscan()
        .args(["scan", "--demo", "-f", "json", "--now", NOW])
        .run();
    fs::write(dir.path().join("saved.json"), &demo).unwrap();
    let (_, out, err) = nhiscan_in(dir.path())
        .args(["scan", "-i", "saved.json", "-f", "json"])
        .run();
    let r = json(&out);
    let now = r["now"].as_str().expect(&err);
    assert_eq!(now.len(), 20, "{now}");
    assert!(now.ends_with('Z') && !now.contains('.'), "{now}");
    let r = json(&demo);
    let mut nhi = 0;
    for i in r["identities"].as_array().unwrap() {
        let created = i["created_at"].as_str();
        assert_eq!(i["age_days"].is_null(), created.is_none(), "{i}");
        assert_eq!(i["days_since_use"].is_null(), i["last_used_at"].is_null());
        let container = ["organization", "repository", "project", "folder", "cluster"]
            .contains(&i["kind"].as_str().unwrap());
        assert_eq!(
            i["is_nhi"].as_bool().unwrap(),
            !i["human"].as_bool().unwrap() && !container,
            "{}",
            i["id"]
        );
        nhi += usize::from(i["is_nhi"].as_bool().unwrap());
    }
    assert!(nhi > 0);
}

#[test]
fn man_pages_cover_every_subcommand_with_exit_codes() {
    let (code, page, _) = nhiscan().args(["man", "scan"]).run();
    assert_eq!(code, 0);
    for want in [
        "nhiscan\\-scan",
        "EXIT STATUS",
        "ENVIRONMENT",
        "EXAMPLES",
        "sarif\\-max\\-results",
        // Every format, -o semantics, file modes and the SARIF cap.
        "OUTPUT",
        "xlsx",
        "csv\\-findings",
        "ndjson",
        "/dev/fd/N",
        "umask",
        "keeps its mode",
        "25,000",
    ] {
        assert!(page.contains(want), "{want} missing");
    }
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = nhiscan()
        .args(["man", "--out-dir"])
        .arg_path(dir.path())
        .run();
    assert_eq!(code, 0, "{err}");
    for page in [
        "nhiscan.1",
        "nhiscan-scan.1",
        "nhiscan-inventory.1",
        "nhiscan-diff.1",
        "nhiscan-init.1",
    ] {
        let text = fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.contains("EXIT STATUS"), "{page}");
    }
    let (_, help, _) = nhiscan().args(["scan", "--help"]).run();
    assert!(
        help.contains("Exit codes:") && help.contains("3  a source failed"),
        "{help}"
    );
}

#[test]
fn init_writes_every_default_commented_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = nhiscan_in(dir.path()).args(["init"]).run();
    assert_eq!(code, 0, "{err}");
    let path = dir.path().join("nhiscan.toml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("# [rules.console-access]"), "{text}");
    let (code, _, err) = nhiscan_in(dir.path()).args(["init"]).run();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text, "untouched");
    // Uncommenting it gives the defaults: see the next test.
}

#[test]
fn diff_on_a_sarif_file_and_a_markdown_baseline_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, err) = nhiscan_in(dir.path())
        .args([
            "scan",
            "--demo",
            "-o",
            "json=old.json",
            "-o",
            "sarif=new.sarif",
        ])
        .args(["-o", "markdown=report.md"])
        .run();
    let (code, _, err2) = nhiscan_in(dir.path())
        .args(["diff", "old.json", "new.sarif"])
        .run();
    assert_eq!(code, 2, "{err}");
    assert!(err2.contains("new.sarif"), "{err2}");
    assert!(
        err2.contains("this is a SARIF log, not an nhiscan JSON report"),
        "{err2}"
    );
    assert!(!err2.contains("None"), "{err2}");
    let (code, _, err) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "--write-baseline", "report.md"])
        .run();
    assert_eq!(code, 2);
    assert!(
        err.contains("report.md") && err.contains("this is not a baseline"),
        "{err}"
    );
    assert!(!err.contains("expected value"), "{err}");
}

#[test]
fn aws_without_credentials_is_one_line_exit_2_saying_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = nhiscan()
        .args(["scan", "--aws", "--aws-endpoint-url", "http://127.0.0.1:9"])
        .env("HOME", &home.path().display().to_string())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env(
            "AWS_CONFIG_FILE",
            &home.path().join("none").display().to_string(),
        )
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            &home.path().join("none").display().to_string(),
        )
        .run();
    assert_eq!(code, 2, "{out}{err}");
    assert!(!out.contains("No findings"), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no AWS credentials"), "{err}");
    assert!(
        err.contains("IMDS") && err.contains("aws configure") && err.contains("--aws-profile"),
        "{err}"
    );
    assert!(!err.contains("DispatchFailure"), "{err}");
}

#[test]
fn a_closed_aws_endpoint_is_tried_once_not_eight_times() {
    // A port nothing listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, out, err) = nhiscan()
        .args(["scan", "--aws", "-f", "json", "--aws-endpoint-url"])
        .arg_path(Path::new(&format!("http://127.0.0.1:{port}")))
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
        .env("AWS_SECRET_ACCESS_KEY", "not-a-secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .run();
    assert_eq!(code, 3, "{err}");
    let r = json(&out);
    let calls = &r["sources"][0]["api_calls"];
    assert_eq!(calls["GetCallerIdentity"], 1, "{calls}");
}

#[test]
fn a_closed_github_api_is_one_line_naming_the_host_and_the_flag() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, out, err) = nhiscan()
        .args([
            "scan",
            "-q",
            "-f",
            "json",
            "--github-org",
            "acme",
            "--github-api-url",
        ])
        .arg_path(Path::new(&format!("http://127.0.0.1:{port}")))
        .env("GITHUB_TOKEN", "ghp_notarealtokennotarealtoken0000000")
        .run();
    assert_eq!(code, 3, "{err}");
    let r = json(&out);
    let error = r["sources"][0]["error"].as_str().unwrap();
    assert_eq!(r["sources"][0]["status"], "failed");
    let host = format!("127.0.0.1:{port}");
    assert!(
        error.contains(&host) && error.contains("--github-api-url"),
        "{error}"
    );
    assert_eq!(error.matches("cannot connect").count(), 1, "{error}");
    assert_eq!(
        error.matches(&host).count(),
        2,
        "host and flag value: {error}"
    );
    assert!(!error.contains("client error (Connect)"), "{error}");
    assert!(!error.contains(';'), "one cause, said once: {error}");
    // Stderr says it once too, on one line.
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("cannot connect"))
        .collect();
    assert_eq!(lines.len(), 1, "{err}");
    // A refused connection is not retried: one call per endpoint.
    let calls = &r["sources"][0]["api_calls"];
    let counts: Vec<u64> = calls
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert!(
        !counts.is_empty() && counts.iter().all(|n| *n == 1),
        "{calls}"
    );
}

/// `text` with every commented-out setting and table header uncommented
/// (the indented examples of `[[owners]]` and `[[suppress]]` stay comments).
fn uncomment(text: &str) -> String {
    text.lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest.starts_with('[') && !rest.starts_with("[[")
                    || rest.split_once(" = ").is_some_and(|(k, _)| {
                        k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    }) =>
            {
                rest
            }
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn init_uncommented_is_the_default_config_with_every_provider_section() {
    use nhiscan::config::{Classification, Loaded, Thresholds};
    use nhiscan::providers;

    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = nhiscan_in(dir.path()).args(["init"]).run();
    assert_eq!(code, 0, "{err}");
    let path = dir.path().join("nhiscan.toml");
    let text = uncomment(&fs::read_to_string(&path).unwrap());
    let schema = providers::schema();
    let loaded = Loaded::parse(&text, &path, &schema).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let config = &loaded.config;
    assert_eq!(
        as_toml(&config.thresholds),
        as_toml(&Thresholds::default()),
        "{text}"
    );
    assert_eq!(
        as_toml(&config.classification),
        as_toml(&Classification::default())
    );
    assert!(config.owners.is_empty() && config.suppress.is_empty());
    // Every rule is listed, at its default severity and enabled.
    for rule in providers::rules() {
        let m = rule.meta();
        assert!(config.rules.contains_key(m.id), "[rules.{}] missing", m.id);
        assert_eq!(loaded.severity(m.id, m.severity), m.severity, "{}", m.id);
        assert!(loaded.enabled(m.id), "{}", m.id);
    }
    assert_eq!(config.rules.len(), providers::rules().len());
    // Every provider section, every key at its default.
    assert!(!schema.sections.is_empty());
    for section in &schema.sections {
        let id = section.id();
        let defaults = section
            .defaults()
            .unwrap_or_else(|| panic!("[providers.{id}] does not describe its defaults"));
        assert!(!defaults.is_empty(), "[providers.{id}] has no keys");
        assert_eq!(
            config.providers.get(id),
            Some(&defaults),
            "[providers.{id}]"
        );
    }
    assert_eq!(config.providers.len(), schema.sections.len());
    // And the scan it gives is the default scan.
    fs::write(&path, &text).unwrap();
    let (code, with, err) = nhiscan_in(dir.path())
        .args(["scan", "--demo", "-f", "json"])
        .run();
    assert_eq!(code, 0, "{err}");
    let (_, without, _) = nhiscan().args(["scan", "--demo", "-f", "json"]).run();
    assert_eq!(with, without);
}

/// A config part as a TOML value, to compare.
fn as_toml(value: &impl serde::Serialize) -> toml::Value {
    toml::Value::try_from(value).expect("serializes")
}

#[test]
fn each_provider_gets_its_own_help_heading() {
    let (code, help, _) = nhiscan().args(["scan", "--help"]).run();
    assert_eq!(code, 0);
    // Each heading and the flags under it, up to the next heading.
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            sections.push((line.to_string(), Vec::new()));
        } else if let (Some(last), Some(flag)) =
            (sections.last_mut(), line.trim_start().strip_prefix("--"))
        {
            last.1
                .push(flag.split([' ', '=']).next().unwrap().to_string());
        }
    }
    let flags = |heading: &str| {
        &sections
            .iter()
            .find(|(h, _)| h == heading)
            .unwrap_or_else(|| panic!("no {heading}\n{help}"))
            .1
    };
    assert!(
        flags("Live AWS:").iter().all(|f| f.starts_with("aws")),
        "{:?}",
        flags("Live AWS:")
    );
    assert!(flags("Live GitHub:")
        .iter()
        .all(|f| f.starts_with("github")));
    assert!(flags("Live GitHub:").contains(&"github-api-url".to_string()));
    // Each provider's flags sit under one heading.
    for prefix in ["aws-", "github-", "openai-", "anthropic-", "entra-", "kube"] {
        let homes: Vec<&String> = sections
            .iter()
            .filter(|(_, list)| list.iter().any(|f| f.starts_with(prefix)))
            .map(|(h, _)| h)
            .collect();
        assert!(homes.len() <= 1, "--{prefix}* under {homes:?}");
    }
}

#[test]
fn the_markdown_summary_stays_under_a_mebibyte_with_7000_skipped_sources() {
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    fs::create_dir(&exports).unwrap();
    // File names as long as a file system allows, each a skipped source.
    let long = "x".repeat(200);
    for i in 0..7000 {
        fs::write(
            exports.join(format!("{long}-{i:04}.txt")),
            "not an export\n",
        )
        .unwrap();
    }
    let (code, md, err) = nhiscan_in(dir.path())
        .args(["scan", "-q", "-i", "exports", "-f", "markdown"])
        .run();
    assert_eq!(code, 0, "{}", &err[..err.len().min(500)]);
    assert!(md.len() < 64 * 1024, "{} bytes", md.len());
    assert!(md.contains("…and 6980 more"), "{md}");
    assert_eq!(md.matches("Skipped source").count(), 20, "{md}");
}
