//! HTML report benchmark: for each size, a generated credential report
//! (`scripts/gen-credential-report.py`) scanned to `--format html` by the
//! release binary, then opened in headless Chromium. Prints the item count,
//! the file size, the load time (navigation start to the page's script done,
//! as the page measures it, and the WebDriver round trip) and the time to
//! filter and search the explorer (the handler and the layout it causes).
//!
//! `./scripts/bench-html.sh` runs it (`USERS=5000,50000 RUNS=3` change the
//! sizes and runs). Under `cargo test` it runs once on 300 users, as a smoke
//! test.

#[allow(dead_code)] // the tests use all of it
#[path = "../tests/integration/html/browser.rs"]
mod browser;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use browser::Browser;
use serde_json::Value;

fn sizes() -> Vec<usize> {
    std::env::var("USERS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![300])
}

fn runs() -> usize {
    std::env::var("RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

fn binary() -> PathBuf {
    std::env::var_os("NHISCAN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_nhiscan")))
}

/// Writes the report of `users` users and its HTML page into `dir`.
fn generate(dir: &Path, users: usize) -> (PathBuf, u64) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let csv = dir.join(format!("credential-report-{users}.csv"));
    let out = Command::new("python3")
        .arg(root.join("scripts/gen-credential-report.py"))
        .arg(users.to_string())
        .output()
        .expect("python3 runs the generator");
    assert!(out.status.success(), "generator failed");
    std::fs::write(&csv, out.stdout).expect("write report");
    let page = dir.join(format!("report-{users}.html"));
    let status = Command::new(binary())
        .args([
            "scan",
            "-q",
            "--now",
            "2026-11-01T00:00:00Z",
            "-f",
            "html",
            "-o",
        ])
        .arg(&page)
        .arg("-i")
        .arg(&csv)
        .status()
        .expect("nhiscan runs");
    assert!(status.code().is_some_and(|c| c <= 1), "nhiscan failed");
    let size = std::fs::metadata(&page).expect("page written").len();
    (page, size)
}

/// Times a change to the explorer in the page: the handler and the layout after it.
const TIME: &str = "
  var t = performance.now();
  var e = document.getElementById(arguments[0]);
  e.value = arguments[1];
  e.dispatchEvent(new Event(arguments[0] === 'search' ? 'input' : 'change'));
  void document.body.offsetHeight;
  return [performance.now() - t, Number(document.getElementById('count').getAttribute('data-matches'))];";

fn median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (v[0], v[v.len() / 2])
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let b = Browser::start(&[]).await;
    println!(
        "{:>8} {:>8} {:>9} | {:>17} {:>17} | filters and search, ms (best/median), rows matching",
        "users", "items", "file", "ready ms best/med", "goto+ready ms"
    );
    for users in sizes() {
        let (page, size) = generate(dir.path(), users);
        let (mut ready, mut wall) = (Vec::new(), Vec::new());
        let mut filters: Vec<(String, Vec<f64>, u64)> = Vec::new();
        let mut items = 0;
        for _ in 0..runs() {
            let start = Instant::now();
            b.open(&page).await;
            wall.push(start.elapsed().as_secs_f64() * 1000.0);
            let r = b
                .eval("return [Number(document.body.getAttribute('data-ready-ms')), document.querySelectorAll('#rows tr').length, Number(document.getElementById('count').getAttribute('data-matches'))]")
                .await;
            ready.push(r[0].as_f64().unwrap_or(f64::NAN));
            items = r[2].as_u64().unwrap_or(0);
            for (i, (id, value)) in [
                ("filter-owner", "missing"),
                ("filter-owner", ""),
                ("filter-severity", "critical"),
                ("filter-severity", ""),
                ("search", "svc-"),
                ("search", "zz-no-such-name"),
                ("search", ""),
            ]
            .into_iter()
            .enumerate()
            {
                let v: Value = b
                    .client
                    .execute(TIME, vec![id.into(), value.into()])
                    .await
                    .expect("timing script");
                let ms = v[0].as_f64().unwrap_or(f64::NAN);
                let label = format!("{id}={value}");
                if filters.len() <= i {
                    filters.push((label, Vec::new(), 0));
                }
                filters[i].1.push(ms);
                filters[i].2 = v[1].as_u64().unwrap_or(0);
            }
        }
        let (rb, rm) = median(ready);
        let (wb, wm) = median(wall);
        let shown: Vec<String> = filters
            .into_iter()
            .map(|(label, ms, rows)| {
                let (best, med) = median(ms);
                format!("{label}: {best:.0}/{med:.0} ({rows})")
            })
            .collect();
        println!(
            "{users:>8} {items:>8} {:>7.1}MB | {rb:>8.0} {rm:>8.0} {wb:>8.0} {wm:>8.0} | {}",
            size as f64 / 1e6,
            shown.join(", ")
        );
    }
    b.close().await;
}
