//! HTML report benchmark: for each size, a generated credential report
//! (`scripts/gen-credential-report.py`) scanned to `--format html` by the
//! release binary, then opened in headless Chromium. Prints, as a Markdown
//! table, the item count, the file size, the load time (navigation start to
//! the explorer ready, as the page measures it, split by the page's own
//! performance marks, and the WebDriver round trip) and the time to type a
//! search and apply a filter (both handlers and the layout, then until the
//! next frame is painted); then each filter and search alone.
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

/// Times a click on a column heading: sorting every row and the layout after it.
const SORT: &str = "
  var t = performance.now();
  document.querySelector('th[data-key=' + arguments[0] + '] button').click();
  void document.body.offsetHeight;
  return [performance.now() - t, Number(document.getElementById('count').getAttribute('data-matches'))];";

/// Times a search typed and a filter applied, until the rows are updated and
/// painted: both handlers, the layout, then the next frame. Resets after.
const SEARCH_AND_FILTER: &str = "
  var done = arguments[arguments.length - 1];
  var t = performance.now();
  var search = document.getElementById('search');
  search.value = arguments[0];
  search.dispatchEvent(new Event('input'));
  var select = document.getElementById(arguments[1]);
  select.value = arguments[2];
  select.dispatchEvent(new Event('change'));
  void document.body.offsetHeight;
  var handled = performance.now() - t;
  var rows = document.querySelectorAll('#rows tr.item').length;
  var matches = Number(document.getElementById('count').getAttribute('data-matches'));
  requestAnimationFrame(function () {
    setTimeout(function () {
      var painted = performance.now() - t;
      document.getElementById('reset').click();
      done([handled, painted, matches, rows]);
    }, 0);
  });";

/// The page's own marks (app.js), from navigation start, in ms.
/// Waits (bounded) until the page has painted the ready explorer.
const MARKS: &str = "
  var done = arguments[arguments.length - 1], tries = 0;
  (function wait() {
    if (!document.body.getAttribute('data-painted-ms') && tries++ < 1000) return setTimeout(wait, 10);
    var out = {};
    performance.getEntriesByType('mark').forEach(function (m) { out[m.name] = m.startTime; });
    done([Number(document.body.getAttribute('data-ready-ms')),
      out['nhiscan:start'], out['nhiscan:charts'], out['nhiscan:rules'], out['nhiscan:inflated'],
      out['nhiscan:parsed'], out['nhiscan:ready'], out['nhiscan:painted'],
      Number(document.getElementById('count').getAttribute('data-matches'))]);
  })();";

/// Where the screenshots go: `$CARGO_TARGET_TMPDIR/html-bench/`.
fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-bench");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

fn median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (v[0], v[v.len() / 2])
}

fn med(v: &[f64]) -> f64 {
    median(v.to_vec()).1
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let b = Browser::start(&[]).await;
    let mut table = vec![
        "| items | file | explorer ready ms, best / median | ready and painted ms, median | of which: HTML and Chart.js parsed, charts drawn, findings list drawn, first frame and rows inflated, rows parsed, first page drawn, painted | WebDriver open to painted ms, median | search and filter ms, handled / painted, median | rows matching |".to_string(),
        "|---|---|---|---|---|---|---|---|".to_string(),
    ];
    let mut details = Vec::new();
    let mut last = None;
    for users in sizes() {
        let (page, size) = generate(dir.path(), users);
        let (mut ready, mut wall) = (Vec::new(), Vec::new());
        let mut marks: Vec<Vec<f64>> = vec![Vec::new(); 7];
        let (mut handled, mut painted) = (Vec::new(), Vec::new());
        let mut combined_rows = 0;
        let mut filters: Vec<(String, Vec<f64>, u64)> = Vec::new();
        let mut items = 0;
        for _ in 0..runs() {
            let start = Instant::now();
            b.open(&page).await;
            let r = b.client.execute_async(MARKS, vec![]).await.expect("marks");
            wall.push(start.elapsed().as_secs_f64() * 1000.0);
            let num = |i: usize| r[i].as_f64().unwrap_or(f64::NAN);
            ready.push(num(0));
            for (n, m) in marks.iter_mut().enumerate() {
                m.push(num(n + 1));
            }
            items = r[8].as_u64().unwrap_or(0);
            let v: Value = b
                .client
                .execute_async(
                    SEARCH_AND_FILTER,
                    vec!["svc-".into(), "filter-severity".into(), "high".into()],
                )
                .await
                .expect("timing script");
            handled.push(v[0].as_f64().unwrap_or(f64::NAN));
            painted.push(v[1].as_f64().unwrap_or(f64::NAN));
            combined_rows = v[2].as_u64().unwrap_or(0);
            for (i, (id, value)) in [
                ("filter-owner", "missing"),
                ("filter-owner", ""),
                ("filter-severity", "high"),
                ("filter-severity", ""),
                ("search", "svc-"),
                ("search", "zz-no-such-name"),
                ("search", ""),
                ("sort", "name"),
                ("sort", "name"),
                ("sort", "age"),
            ]
            .into_iter()
            .enumerate()
            {
                let (script, args) = match id {
                    "sort" => (SORT, vec![value.into()]),
                    _ => (TIME, vec![id.into(), value.into()]),
                };
                let v: Value = b.client.execute(script, args).await.expect("timing script");
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
        let m: Vec<f64> = marks.iter().map(|m| med(m)).collect();
        table.push(format!(
            "| {items} ({users} users) | {:.1} MB | {rb:.0} / {rm:.0} | {:.0} | {:.0}, {:.0}, {:.0}, {:.0}, {:.0}, {:.0}, {:.0} | {:.0} | {:.0} / {:.0} | {combined_rows} |",
            size as f64 / 1e6,
            m[6],
            m[0],
            m[1] - m[0],
            m[2] - m[1],
            m[3] - m[2],
            m[4] - m[3],
            m[5] - m[4],
            m[6] - m[5],
            med(&wall),
            med(&handled),
            med(&painted),
        ));
        let shown: Vec<String> = filters
            .into_iter()
            .map(|(label, ms, rows)| {
                let (best, med) = median(ms);
                format!("{label}: {best:.0}/{med:.0} ms ({rows} rows)")
            })
            .collect();
        details.push(format!("{items} items: {}", shown.join(", ")));
        // Screenshots, after the timings (they resize the window).
        let shots = shots();
        b.screenshot(&shots.join(format!("report-{users}.png")), 2400, None)
            .await;
        b.screenshot(
            &shots.join(format!("report-{users}-explorer.png")),
            1200,
            Some("#explorer-h"),
        )
        .await;
        b.client.set_window_size(1360, 1000).await.expect("window");
        last = Some(page);
    }
    b.close().await;
    if let Some(page) = last {
        let dark = Browser::start(&[
            "--force-dark-mode",
            "--blink-settings=preferredColorScheme=0",
        ])
        .await;
        dark.open(&page).await;
        let name = page.file_stem().unwrap().to_string_lossy().to_string();
        let shots = shots();
        dark.screenshot(&shots.join(format!("{name}-dark.png")), 2400, None)
            .await;
        dark.screenshot(
            &shots.join(format!("{name}-dark-explorer.png")),
            1200,
            Some("#explorer-h"),
        )
        .await;
        dark.close().await;
        println!(
            "\nScreenshots of each size (and the last in dark mode): {}",
            shots.display()
        );
    }
    println!("{}", table.join("\n"));
    println!("\nEach change alone, handler and layout, best/median:");
    for d in details {
        println!("{d}");
    }
}
