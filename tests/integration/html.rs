//! `--format html` in a real browser: Debian's headless Chromium, driven
//! through chromedriver ([`browser`]).
//!
//! Every expected number is counted here from nhiscan's JSON report of the
//! same scan, never from the page's own data. Screenshots go to
//! `$CARGO_TARGET_TMPDIR/html/` (under the target directory).

mod browser;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fantoccini::Locator;
use jiff::Timestamp;
use serde_json::{json, Value};

use crate::common::{fixture, nhiscan_in, NOW};
use browser::Browser;

/// Where the screenshots go.
fn artefacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html");
    std::fs::create_dir_all(&dir).expect("artefact dir");
    dir
}

/// Runs nhiscan in `dir` with `args`; returns the exit code and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let (code, _, stderr) = nhiscan_in(dir).args(args).run();
    (code, stderr)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read JSON")).expect("JSON")
}

/// The page loaded with no console message of level SEVERE and made no
/// request but for the page's own file.
async fn assert_clean(b: &Browser, page: &Path) {
    let console = b.logs("browser").await;
    let errors: Vec<&Value> = console
        .iter()
        .filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING")
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let own = url::Url::from_file_path(page).unwrap().to_string();
    let requests = b.requests().await;
    assert!(
        requests.iter().any(|(u, _)| *u == own),
        "the performance log records the page itself"
    );
    // Nothing the page's document asked for but itself, and nothing on the
    // network at all (the browser's own start page loads chrome:// files).
    let other: Vec<&(String, String)> = requests
        .iter()
        .filter(|(u, doc)| {
            (*doc == own && *u != own)
                || !(u.starts_with("chrome") || u.starts_with("data:") || u.starts_with("file:"))
        })
        .take(20)
        .collect();
    assert!(other.is_empty(), "requests besides the page: {other:?}");
    let resources = b
        .eval("return performance.getEntriesByType('resource').length")
        .await;
    assert_eq!(resources, json!(0), "resource loads");
}

// ---- what the JSON report says --------------------------------------------

type Counts = BTreeMap<(String, String), u64>;

fn days(now: Timestamp, t: &Value) -> Option<i64> {
    let t: Timestamp = t.as_str()?.parse().ok()?;
    Some(now.duration_since(t).as_secs().div_euclid(86_400).max(0))
}

fn bucket(days: i64, bounds: &[(i64, &str)], last: &str) -> String {
    bounds
        .iter()
        .find(|(below, _)| days < *below)
        .map_or(last, |(_, l)| l)
        .to_string()
}

fn age(now: Timestamp, c: &Value) -> String {
    match days(now, &c["created_at"]) {
        None => "unknown".into(),
        Some(d) => bucket(
            d,
            &[
                (30, "under 30 days"),
                (90, "30-89 days"),
                (180, "90-179 days"),
                (365, "180-364 days"),
                (730, "1-2 years"),
            ],
            "2 years or more",
        ),
    }
}

fn idle(now: Timestamp, c: &Value) -> String {
    match c["usage"].as_str() {
        Some("never") => "never used".into(),
        Some("used") => bucket(
            days(now, &c["last_used_at"]).expect("a used item has a date"),
            &[
                (7, "under 7 days"),
                (30, "7-29 days"),
                (90, "30-89 days"),
                (180, "90-179 days"),
                (365, "180-364 days"),
            ],
            "1 year or more",
        ),
        _ => "unknown".into(),
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Each chart's counts by (x label, series), counted from the JSON report.
fn expected_charts(report: &Value) -> BTreeMap<&'static str, Counts> {
    let now: Timestamp = report["now"].as_str().unwrap().parse().unwrap();
    let identities = report["identities"].as_array().unwrap();
    let mut out: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut count = |chart: &'static str, x: String, series: String| {
        *out.entry(chart)
            .or_default()
            .entry((x, series))
            .or_default() += 1;
    };
    for i in identities {
        for c in i["credentials"].as_array().unwrap() {
            count("credential-age", age(now, c), s(&c["provider"]));
            count("last-use", idle(now, c), s(&c["provider"]));
        }
        if i["human"] == false {
            let owner = match &i["owner"] {
                Value::Null => "no owner",
                o if o["departed"] == true => "owner departed",
                _ => "owned",
            };
            count("owner-coverage", s(&i["provider"]), owner.into());
            count("privilege", s(&i["provider"]), s(&i["privilege"]["level"]));
        }
    }
    for f in report["findings"].as_array().unwrap() {
        count("findings", s(&f["rule_id"]), s(&f["severity"]));
    }
    out
}

/// Each chart's counts as Chart.js holds them in the page.
async fn page_charts(b: &Browser) -> BTreeMap<String, Counts> {
    let drawn = b
        .eval(
            "var out = {};
             document.querySelectorAll('figure').forEach(function (fig) {
               var chart = Chart.getChart(fig.querySelector('canvas'));
               if (!chart) return;
               out[fig.id.replace('chart-', '')] = {
                 labels: chart.data.labels,
                 series: chart.data.datasets.map(function (d) { return [d.label, d.data]; })
               };
             });
             return out;",
        )
        .await;
    let mut out = BTreeMap::new();
    for (id, chart) in drawn.as_object().unwrap() {
        let labels = chart["labels"].as_array().unwrap();
        let mut counts = Counts::new();
        for series in chart["series"].as_array().unwrap() {
            for (label, n) in labels.iter().zip(series[1].as_array().unwrap()) {
                let n = n.as_u64().unwrap();
                if n > 0 {
                    counts.insert((s(label), s(&series[0])), n);
                }
            }
        }
        out.insert(id.clone(), counts);
    }
    out
}

// ---- the explorer ----------------------------------------------------------

/// One explorer row as the JSON report describes it.
struct Row {
    id: String,
    fields: BTreeMap<&'static str, Vec<String>>,
    text: String,
}

fn rows(report: &Value) -> Vec<Row> {
    let mut found: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        let id = f["credential_id"]
            .as_str()
            .or(f["identity_id"].as_str())
            .unwrap();
        found.entry(id.to_string()).or_default().push(f);
    }
    let row = |item: &Value| {
        let id = s(&item["id"]);
        let fs = found.get(&id).cloned().unwrap_or_default();
        let owner_present = matches!(&item["owner"], o if !o.is_null() && o["departed"] != true);
        let mut fields = BTreeMap::new();
        fields.insert("provider", vec![s(&item["provider"])]);
        fields.insert("kind", vec![s(&item["kind"])]);
        fields.insert(
            "owner",
            vec![if owner_present { "present" } else { "missing" }.into()],
        );
        fields.insert("privilege", vec![s(&item["privilege"]["level"])]);
        fields.insert(
            "ai",
            vec![if item["ai"] == true { "yes" } else { "no" }.into()],
        );
        fields.insert("rule", fs.iter().map(|f| s(&f["rule_id"])).collect());
        fields.insert("severity", fs.iter().map(|f| s(&f["severity"])).collect());
        let text = [
            s(&item["name"]),
            id.clone(),
            s(&item["owner"]["name"]),
            s(&item["kind"]),
            s(&item["provider"]),
        ]
        .join(" ")
        .to_lowercase();
        Row { id, fields, text }
    };
    let mut out = Vec::new();
    for i in report["identities"].as_array().unwrap() {
        out.push(row(i));
        for c in i["credentials"].as_array().unwrap() {
            out.push(row(c));
        }
    }
    out
}

/// The number of rows matching, and the ids on the first page.
async fn shown(b: &Browser) -> (usize, Vec<String>) {
    let v = b
        .eval(
            "return [Number(document.getElementById('count').getAttribute('data-matches')),
               Array.from(document.querySelectorAll('#rows tr.item')).map(function (tr) {
                 return tr.getAttribute('data-id'); })];",
        )
        .await;
    let ids = v[1].as_array().unwrap().iter().map(s).collect();
    (v[0].as_u64().unwrap() as usize, ids)
}

async fn assert_shows(b: &Browser, want: &[&Row], what: &str) {
    let (count, ids) = shown(b).await;
    let want_ids: Vec<String> = want.iter().take(100).map(|r| r.id.clone()).collect();
    assert_eq!(count, want.len(), "{what}: matching rows");
    assert_eq!(ids, want_ids, "{what}: the first page");
}

async fn select(b: &Browser, key: &str, value: &str) {
    b.client
        .find(Locator::Id(&format!("filter-{key}")))
        .await
        .expect("filter")
        .select_by_value(value)
        .await
        .expect("select");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_page_is_clean_its_charts_match_the_json_and_its_filters_narrow() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = run(
        dir.path(),
        &["scan", "--demo", "-f", "html", "-o", "demo.html"],
    );
    let (json_code, _) = run(
        dir.path(),
        &["scan", "--demo", "-f", "json", "-o", "demo.json"],
    );
    assert_eq!(code, json_code, "{err}");
    let page = dir.path().join("demo.html");
    let report = read_json(&dir.path().join("demo.json"));

    let b = Browser::start(&[]).await;
    b.open(&page).await;
    assert_clean(&b, &page).await;
    let shots = artefacts();
    b.screenshot(&shots.join("demo.png"), 3600, None).await;

    // Charts: every count as the JSON report has it.
    let drawn = page_charts(&b).await;
    let expected = expected_charts(&report);
    for id in [
        "credential-age",
        "last-use",
        "owner-coverage",
        "privilege",
        "findings",
    ] {
        assert_eq!(
            drawn.get(id),
            Some(expected.get(id).unwrap_or(&Counts::new())),
            "chart {id}"
        );
    }
    let never = &expected["last-use"];
    assert!(
        never.keys().any(|(x, _)| x == "never used"),
        "the demo has never-used credentials"
    );

    // Each filter, each of its options, then back to any.
    let all = rows(&report);
    assert_shows(&b, &all.iter().collect::<Vec<_>>(), "no filter").await;
    let filters = b
        .eval(
            "return Array.from(document.querySelectorAll('#filters select')).map(function (s) {
               return [s.getAttribute('data-key'), Array.from(s.options).map(function (o) { return o.value; }).filter(Boolean)];
             });",
        )
        .await;
    let mut narrowed = 0;
    for f in filters.as_array().unwrap() {
        let key = f[0].as_str().unwrap();
        let field: &'static str = [
            "provider",
            "kind",
            "owner",
            "privilege",
            "ai",
            "rule",
            "severity",
        ]
        .into_iter()
        .find(|k| *k == key)
        .unwrap_or_else(|| panic!("unexpected filter {key}"));
        for option in f[1].as_array().unwrap() {
            let option = s(option);
            select(&b, key, &option).await;
            let want: Vec<&Row> = all
                .iter()
                .filter(|r| r.fields[field].contains(&option))
                .collect();
            if want.len() < all.len() {
                narrowed += 1;
            }
            assert_shows(&b, &want, &format!("{key} = {option}")).await;
        }
        select(&b, key, "").await;
    }
    assert!(narrowed >= 7, "filters narrowed the rows {narrowed} times");

    // Two filters together.
    select(&b, "owner", "missing").await;
    select(&b, "severity", "critical").await;
    let want: Vec<&Row> = all
        .iter()
        .filter(|r| r.fields["owner"] == ["missing"])
        .filter(|r| r.fields["severity"].iter().any(|s| s == "critical"))
        .collect();
    assert_shows(&b, &want, "owner missing and critical").await;
    b.client
        .find(Locator::Id("reset"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Free-text search, typed.
    let name = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| s(&i["name"]))
        .find(|n| n.len() >= 6 && n.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
        .expect("a plain identity name");
    let query = name[..5].to_uppercase();
    b.client
        .find(Locator::Id("search"))
        .await
        .unwrap()
        .send_keys(&query)
        .await
        .unwrap();
    let want: Vec<&Row> = all
        .iter()
        .filter(|r| r.text.contains(&query.to_lowercase()))
        .collect();
    assert!(!want.is_empty() && want.len() < all.len(), "{query}");
    assert_shows(&b, &want, &format!("search {query}")).await;
    b.client
        .find(Locator::Id("reset"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Sorting by age: a first click puts the oldest first, a second reverses.
    let age = b
        .client
        .find(Locator::Css("th[data-key=age] button"))
        .await
        .unwrap();
    let ages = || async {
        let v = b
            .eval(
                "return Array.from(document.querySelectorAll('#rows td.age')).map(function (td) {
                   return td.textContent; });",
            )
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| s(a).trim_end_matches(" d").parse().unwrap_or(-1))
            .collect::<Vec<i64>>()
    };
    age.click().await.unwrap();
    let days = ages().await;
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
    let oldest = rows_created(&report).into_iter().flatten().max().unwrap();
    assert_eq!(days[0], oldest);
    age.click().await.unwrap();
    let days = ages().await;
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    let unknown = rows_created(&report).iter().filter(|d| d.is_none()).count();
    assert!(unknown > 0 && days[..unknown].iter().all(|d| *d == -1));
    age.click().await.unwrap();

    // A row opens to its evidence.
    let first = b.client.find(Locator::Css("#rows tr.item")).await.unwrap();
    first.click().await.unwrap();
    // The evidence is inflated when its row first opens: wait for it (bounded).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let labels = loop {
        let labels = b
            .eval(
                "return Array.from(document.querySelectorAll('#rows tr.detail dt')).map(function (d) {
                   return d.textContent; });",
            )
            .await;
        if labels.as_array().is_some_and(|l| !l.is_empty()) {
            break labels;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the opened row showed no evidence"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    for want in ["id", "owner", "usage", "privilege"] {
        assert!(
            labels.as_array().unwrap().contains(&json!(want)),
            "{labels}"
        );
    }
    b.screenshot(
        &shots.join("demo-row-open.png"),
        1000,
        Some("#rows tr.item.open"),
    )
    .await;

    // Findings grouped by rule, each with its docs text.
    let groups = b
        .eval(
            "return Array.from(document.querySelectorAll('#rules section.rule')).map(function (s) {
               return [s.id, s.querySelector('.docs').textContent.length]; });",
        )
        .await;
    let mut rules: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("rule-{}", s(&f["rule_id"])))
        .collect();
    rules.sort();
    rules.dedup();
    let mut got: Vec<String> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| s(&g[0]))
        .collect();
    got.sort();
    assert_eq!(got, rules);
    assert!(groups
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g[1].as_u64().unwrap() > 100));
    b.close().await;

    // The same page in dark mode, for the screenshot.
    let dark = Browser::start(&[
        "--force-dark-mode",
        "--blink-settings=preferredColorScheme=0",
    ])
    .await;
    dark.open(&page).await;
    let is_dark = dark
        .eval("return matchMedia('(prefers-color-scheme: dark)').matches")
        .await;
    dark.screenshot(&shots.join("demo-dark.png"), 1800, None)
        .await;
    assert_eq!(is_dark, json!(true), "the dark-mode flags took");
    dark.close().await;
}

/// Each row's age in days, in row order (None without a creation date).
fn rows_created(report: &Value) -> Vec<Option<i64>> {
    let now: Timestamp = report["now"].as_str().unwrap().parse().unwrap();
    let mut out = Vec::new();
    for i in report["identities"].as_array().unwrap() {
        out.push(days(now, &i["created_at"]));
        for c in i["credentials"].as_array().unwrap() {
            out.push(days(now, &c["created_at"]));
        }
    }
    out
}

/// A clock after every date of the demo's credential report.
const LATER: &str = "2026-11-01T00:00:00Z";

/// Names that would run script if they were markup.
const HOSTILE: &[&str] = &[
    "<script>document.title='pwned'</script>",
    "\"><img src=x onerror=\"document.title='pwned'\">",
    "javascript:document.title='pwned'",
    "</script><!--<script>document.title='pwned'//",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injection_names_appear_as_text() {
    let csv = std::fs::read_to_string(fixture("demo/credential-report.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().take(1).map(String::from).collect();
    let template: Vec<&str> = csv
        .lines()
        .nth(2)
        .expect("a user line")
        .split(',')
        .collect();
    for (n, name) in HOSTILE.iter().enumerate() {
        let mut fields: Vec<String> = template.iter().map(|f| f.to_string()).collect();
        fields[0] = format!("\"{}\"", name.replace('"', "\"\""));
        fields[1] = format!("arn:aws:iam::123456789012:user/hostile-{n}");
        lines.push(fields.join(","));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.csv"), lines.join("\n") + "\n").unwrap();
    for format in ["html", "json"] {
        let out = format!("out.{format}");
        let (code, err) = run(
            dir.path(),
            &[
                "scan",
                "-i",
                "report.csv",
                "--now",
                LATER,
                "-f",
                format,
                "-o",
                &out,
            ],
        );
        assert!(code == 0 || code == 1, "{err}");
    }
    let report = read_json(&dir.path().join("out.json"));
    let names: Vec<String> = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| s(&i["name"]))
        .collect();
    for name in HOSTILE {
        assert!(
            names.iter().any(|n| n == name),
            "{name} was imported: {names:?}"
        );
    }
    let page = dir.path().join("out.html");
    let b = Browser::start(&[]).await;
    b.open(&page).await;
    assert_clean(&b, &page).await;
    let v = b
        .eval(
            "return [document.title,
               document.querySelectorAll('img, iframe, object, embed').length,
               document.querySelectorAll('script').length,
               document.querySelectorAll('a[href]').length,
               Array.from(document.querySelectorAll('#rows td.name')).map(function (td) { return td.textContent; })];",
        )
        .await;
    assert_eq!(v[0], json!("nhiscan report"), "no script ran");
    assert_eq!(v[1], json!(0), "no element was injected");
    assert_eq!(v[2], json!(3), "the page's own three scripts only");
    assert_eq!(v[3], json!(0), "no link");
    let cells: Vec<String> = v[4].as_array().unwrap().iter().map(s).collect();
    for name in HOSTILE {
        assert!(
            cells.iter().any(|c| c == name),
            "{name} shows as text: {cells:?}"
        );
    }
    b.client
        .find(Locator::Id("search"))
        .await
        .unwrap()
        .send_keys("pwned")
        .await
        .unwrap();
    b.screenshot(&artefacts().join("injection.png"), 1600, None)
        .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_diff_page_shows_joiners_movers_and_leavers() {
    let csv = std::fs::read_to_string(fixture("demo/credential-report.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    // The new scan: one user gone, one renamed copy added.
    let gone = lines[2];
    let user = gone.split(',').next().unwrap();
    let joined = gone.replace(user, &format!("{user}-2"));
    let mut new: Vec<&str> = lines.iter().copied().filter(|l| *l != gone).collect();
    new.push(&joined);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.csv"), csv.clone()).unwrap();
    std::fs::write(dir.path().join("new.csv"), new.join("\n") + "\n").unwrap();
    for side in ["old", "new"] {
        let (input, out) = (format!("{side}.csv"), format!("{side}.json"));
        let (code, err) = run(
            dir.path(),
            &["scan", "-i", &input, "--now", NOW, "-f", "json", "-o", &out],
        );
        assert!(code == 0 || code == 1, "{err}");
    }
    for format in ["html", "json"] {
        let out = format!("diff.{format}");
        let (code, err) = run(
            dir.path(),
            &["diff", "old.json", "new.json", "-f", format, "-o", &out],
        );
        assert_eq!(code, 0, "{err}");
    }
    let diff = read_json(&dir.path().join("diff.json"));
    let sum = &diff["summary"];
    assert!(sum["identities_added"].as_u64().unwrap() >= 1);
    assert!(sum["identities_removed"].as_u64().unwrap() >= 1);

    let page = dir.path().join("diff.html");
    let b = Browser::start(&[]).await;
    b.open(&page).await;
    assert_clean(&b, &page).await;
    let drawn = page_charts(&b).await;
    let mut want = Counts::new();
    for (x, added, removed) in [
        ("identities", "identities_added", "identities_removed"),
        ("credentials", "credentials_added", "credentials_removed"),
        ("findings", "findings_new", "findings_resolved"),
    ] {
        for (series, key) in [("added", added), ("removed", removed)] {
            let n = sum[key].as_u64().unwrap();
            if n > 0 {
                want.insert((x.into(), series.into()), n);
            }
        }
    }
    assert_eq!(drawn.get("diff"), Some(&want));
    let total: u64 = sum
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    let (count, _) = shown(&b).await;
    assert_eq!(count as u64, total, "one row per change");
    select(&b, "change", "identity removed").await;
    let (count, ids) = shown(&b).await;
    assert_eq!(count as u64, sum["identities_removed"].as_u64().unwrap());
    let removed: Vec<String> = diff["identities_removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| s(&i["id"]))
        .collect();
    assert_eq!(ids, removed);
    select(&b, "change", "").await;
    b.screenshot(&artefacts().join("diff.png"), 1800, None)
        .await;
    b.close().await;
}

/// A page of some 1,800 rows: many pages, several evidence chunks (the page
/// inflates one per 500 rows when a row of it opens), search and filters
/// counted against the JSON report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_page_searches_filters_and_opens_rows_of_every_chunk() {
    let csv = std::fs::read_to_string(fixture("demo/credential-report.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().take(1).map(String::from).collect();
    let template: Vec<&str> = csv.lines().nth(2).unwrap().split(',').collect();
    for n in 0..700 {
        let mut f: Vec<String> = template.iter().map(|s| s.to_string()).collect();
        let name = format!("{}-{n:04}", if n % 2 == 0 { "svc" } else { "app" });
        f[1] = format!("arn:aws:iam::123456789012:user/{name}");
        f[0] = name;
        if n % 3 == 0 {
            f[13] = "true".into();
            f[14] = "2023-01-01T09:00:00+00:00".into();
        }
        if n % 4 == 0 {
            f[8] = "false".into();
        }
        lines.push(f.join(","));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.csv"), lines.join("\n") + "\n").unwrap();
    for format in ["html", "json"] {
        let out = format!("big.{format}");
        let args = ["scan", "-i", "big.csv", "--now", LATER, "-f", format, "-o"];
        let (code, err) = run(dir.path(), &[&args[..], &[&out]].concat());
        assert!(code == 0 || code == 1, "{err}");
    }
    let report = read_json(&dir.path().join("big.json"));
    let all = rows(&report);
    assert!(
        all.len() > 3 * 500,
        "{} rows: more than three chunks",
        all.len()
    );
    let page = dir.path().join("big.html");
    let b = Browser::start(&[]).await;
    b.open(&page).await;
    assert_clean(&b, &page).await;
    assert_shows(&b, &all.iter().collect::<Vec<_>>(), "no filter").await;

    // A search typed, then a filter on top of it.
    b.client
        .find(Locator::Id("search"))
        .await
        .unwrap()
        .send_keys("APP-01")
        .await
        .unwrap();
    let searched: Vec<&Row> = all.iter().filter(|r| r.text.contains("app-01")).collect();
    assert!(!searched.is_empty() && searched.len() < all.len());
    assert_shows(&b, &searched, "search app-01").await;
    select(&b, "rule", "multiple-active-keys").await;
    let both: Vec<&Row> = searched
        .iter()
        .copied()
        .filter(|r| r.fields["rule"].iter().any(|x| x == "multiple-active-keys"))
        .collect();
    assert!(!both.is_empty() && both.len() < searched.len());
    assert_shows(&b, &both, "search and rule").await;
    b.client
        .find(Locator::Id("reset"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The last page, and its last row's evidence: from the last chunk.
    let next = b.client.find(Locator::Id("next")).await.unwrap();
    let pages = all.len().div_ceil(100);
    for _ in 1..pages {
        next.click().await.unwrap();
    }
    assert_eq!(
        next.attr("disabled").await.unwrap().as_deref(),
        Some("true")
    );
    let rows_shown = b
        .client
        .find_all(Locator::Css("#rows tr.item"))
        .await
        .unwrap();
    let last = rows_shown.last().unwrap();
    let id = last.attr("data-id").await.unwrap().unwrap();
    assert_eq!(id, all.last().unwrap().id);
    last.click().await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let shown_id = loop {
        let v = b
            .eval(
                "var dd = document.querySelector('#rows tr.detail dd');
                 return dd ? dd.textContent : null;",
            )
            .await;
        if let Some(text) = v.as_str() {
            break text.to_string();
        }
        assert!(std::time::Instant::now() < deadline, "no evidence shown");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(shown_id, id, "the evidence is the row's own");
    b.screenshot(
        &artefacts().join("large-last-page.png"),
        1000,
        Some("#rows tr.item.open"),
    )
    .await;
    b.close().await;
}
