//! GitHub live-scan benchmark: a local org of 1,000 repositories with 2
//! deploy keys each, 300 fine-grained PAT grants and 50 App installations,
//! served by wiremock on 127.0.0.1 from GitHub's own example bodies, 100
//! items a page as GitHub pages them. Runs the release `nhiscan` binary
//! against it and prints the wall time (best and median), peak memory, and
//! the API calls per endpoint.
//!
//! `./scripts/bench-github.sh` runs it (`REPOS=5000 RUNS=5` change the size).
//! Under `cargo test` it runs once on a tiny org, as a smoke test.

#[path = "../tests/integration/github_org.rs"]
mod github_org;

use std::process::Command;
use std::time::Instant;

use github_org::{deploy_key, installation, member, pat_grant, FakeOrg, FakeRepo, Server};
use serde_json::{json, Value};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn org(repos: usize, pats: usize, installations: usize) -> FakeOrg {
    let mut org = FakeOrg::empty("bench");
    org.members = (0..200).map(|i| member(&format!("user{i}"))).collect();
    org.pat_grants = (0..pats as u64)
        .map(|i| {
            let perms = json!({"organization": {}, "repository": {"contents": if i % 10 == 0 { "write" } else { "read" }}});
            let expires = if i % 7 == 0 { Value::Null } else { json!("2026-12-01T00:00:00Z") };
            pat_grant(i + 1, &format!("user{}", i % 250), &format!("token {i}"), perms, "subset", expires, json!("2026-05-01T00:00:00Z"))
        })
        .collect();
    org.installations = (0..installations as u64)
        .map(|i| {
            installation(
                i + 1,
                &format!("app-{i}"),
                json!({"metadata": "read", "contents": "write"}),
                if i % 5 == 0 { "all" } else { "selected" },
            )
        })
        .collect();
    for r in 0..repos {
        let id = (r as u64) * 2;
        let keys = vec![
            deploy_key(
                id + 1,
                &format!("repo-{r} read"),
                true,
                "user1",
                json!("2026-05-20T00:00:00Z"),
            ),
            deploy_key(
                id + 2,
                &format!("repo-{r} push"),
                r % 3 != 0,
                &format!("user{}", r % 260),
                json!("2026-01-20T00:00:00Z"),
            ),
        ];
        org = org.with_repo(
            &format!("repo-{r:04}"),
            FakeRepo {
                keys,
                ..FakeRepo::default()
            },
        );
    }
    org
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let (repos, pats, installs, runs) = if benching {
        (
            env("REPOS", 1000),
            env("PATS", 300),
            env("INSTALLATIONS", 50),
            env("RUNS", 3),
        )
    } else {
        (5, 3, 2, 1)
    };
    let server = Server::start_unrecorded();
    server.serve(&org(repos, pats, installs));
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.json");
    let bin = env!("CARGO_BIN_EXE_nhiscan");
    let time = std::path::Path::new("/usr/bin/time");
    let mut walls = Vec::new();
    let mut peak_kib = 0u64;
    for _ in 0..runs {
        let mut cmd = if time.exists() {
            let mut c = Command::new(time);
            c.args(["-f", "%M", bin]);
            c
        } else {
            Command::new(bin)
        };
        cmd.args([
            "scan",
            "--github-org",
            "bench",
            "--github-api-url",
            &server.uri(),
            "-q",
        ])
        .args(["-f", "json", "--now", "2026-06-01T00:00:00Z", "-o"])
        .arg(&out)
        .env("GITHUB_TOKEN", "bench-token")
        .env_remove("GH_TOKEN");
        let start = Instant::now();
        let result = cmd.output().expect("nhiscan runs");
        walls.push(start.elapsed().as_secs_f64());
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            matches!(result.status.code(), Some(0 | 1)),
            "nhiscan failed: {stderr}"
        );
        if let Some(kib) = stderr
            .lines()
            .last()
            .and_then(|l| l.trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
    }
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("output")).expect("JSON");
    let source = &report["sources"][0];
    assert_eq!(source["status"], "ok", "{source}");
    walls.sort_by(f64::total_cmp);
    println!(
        "nhiscan GitHub live scan: {repos} repos x 2 deploy keys, {pats} PAT grants, {installs} installations; {runs} run(s), {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "wall time: best {:.3}s  median {:.3}s{}",
        walls[0],
        walls[walls.len() / 2],
        if peak_kib > 0 {
            format!("  peak RSS {:.1} MiB", peak_kib as f64 / 1024.0)
        } else {
            String::new()
        }
    );
    let summary = &report["summary"];
    println!(
        "inventory: {} identities, {} credentials, {} findings",
        summary["identities"], summary["credentials"], summary["findings"]
    );
    let calls = source["api_calls"].as_object().expect("api_calls");
    let total: u64 = calls.values().filter_map(Value::as_u64).sum();
    println!("API calls: {total}");
    for (endpoint, n) in calls {
        println!("  {endpoint:<52} {n:>6}");
    }
    let keys = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["credentials"].as_array().unwrap())
        .filter(|c| c["kind"] == "deploy-key")
        .count();
    assert_eq!(keys, repos * 2, "every deploy key was read");
}
