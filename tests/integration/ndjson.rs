//! `--format ndjson` read by real clients: DuckDB (the `duckdb` package from
//! PyPI, in the venv `./scripts/test.sh` makes) and `jq -c`, over a scan of a
//! generated 20,000-user credential report, checked against the same scan's
//! JSON v1.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::common::{nhiscan_in, venv_python};

const NOW: &str = "2026-11-01T00:00:00Z";

/// Scans `report` from `dir` as `format`, and returns the output path.
fn scan(dir: &Path, report: &Path, format: &str) -> PathBuf {
    let out = dir.join(format!("scan.{format}"));
    let (code, _, stderr) = nhiscan_in(dir)
        .args(["scan", "--now", NOW, "-q", "-f", format, "-o"])
        .arg_path(&out)
        .args(["-i"])
        .arg_path(report)
        .run();
    assert_eq!(code, 0, "{stderr}");
    out
}

fn generated_report(dir: &Path, users: usize) -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-credential-report.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(users.to_string())
        .output()
        .expect("python3 runs the generator");
    assert!(out.status.success());
    let path = dir.join("report.csv");
    std::fs::write(&path, out.stdout).unwrap();
    path
}

/// Whether a value holds a null or empty value at any depth.
fn has_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty() || a.iter().any(has_empty),
        Value::Object(o) => o.is_empty() || o.values().any(has_empty),
        _ => false,
    }
}

#[test]
fn duckdb_and_jq_read_a_large_ndjson_scan() {
    let dir = tempfile::tempdir().unwrap();
    let report = generated_report(dir.path(), 20_000);
    let ndjson = scan(dir.path(), &report, "ndjson");
    let json = scan(dir.path(), &report, "json");
    let v1: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let text = std::fs::read_to_string(&ndjson).unwrap();
    assert!(
        text.len() > 10_000_000,
        "a large file: {} bytes",
        text.len()
    );

    // Every line is one object, `type` first, nothing null or empty; the types come in order.
    let order = nhiscan::report::ndjson::LINE_TYPES;
    let mut last = 0;
    let mut lines: Vec<Value> = Vec::new();
    for line in text.lines() {
        assert!(line.starts_with("{\"type\":\""), "{line}");
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(!has_empty(&v), "{line}");
        let at = order
            .iter()
            .position(|t| v["type"] == *t)
            .expect("known type");
        assert!(at >= last, "{} after {}", order[at], order[last]);
        last = at;
        lines.push(v);
    }
    let of = |t: &'static str| lines.iter().filter(move |l| l["type"] == t);
    assert_eq!(lines[0]["type"], "scan");
    assert_eq!(lines.last().unwrap()["type"], "summary");
    let summary = &v1["summary"];
    assert_eq!(
        of("identity").count(),
        v1["identities"].as_array().unwrap().len()
    );
    assert_eq!(
        of("finding").count() as u64,
        summary["findings"].as_u64().unwrap()
    );
    // The same identity as JSON v1 gives, less its null and empty fields.
    let first = of("identity").next().unwrap();
    let mut want = v1["identities"][0].clone();
    if let Value::Object(o) = &mut want {
        o.insert("type".into(), "identity".into());
    }
    prune(&mut want);
    assert_eq!(*first, want);
    // Rule texts appear once: in rule lines, not in findings.
    assert!(of("finding").all(|f| f.get("remediation").is_none() && f.get("help_uri").is_none()));
    let rules: Vec<&Value> = of("rule").collect();
    assert!(rules.len() >= 3 && rules.len() < 30, "{}", rules.len());
    for f in v1["findings"].as_array().unwrap().iter().take(2000) {
        let rule = rules
            .iter()
            .find(|r| r["id"] == f["rule_id"] && r["provider"] == f["provider"])
            .expect("a rule line for every finding");
        assert_eq!(rule["remediation"], f["remediation"]);
        assert_eq!(rule["help_uri"], f["help_uri"]);
    }

    // DuckDB reads the whole file and counts what JSON v1 counts.
    let query = format!(
        "import duckdb, json\n\
         rows = duckdb.sql(\"SELECT type, count(*) FROM read_json('{}', format = 'newline_delimited', \
         union_by_name = true, maximum_object_size = 104857600) GROUP BY type ORDER BY type\").fetchall()\n\
         print(json.dumps(dict(rows)))",
        ndjson.display()
    );
    let out = Command::new(venv_python("duckdb"))
        .args(["-c", &query])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counts: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        counts["identity"],
        v1["identities"].as_array().unwrap().len()
    );
    assert_eq!(counts["finding"], summary["findings"]);
    assert_eq!(counts["scan"], 1);
    assert_eq!(counts["summary"], 1);
    assert_eq!(counts["rule"], rules.len());

    // jq -c reads every line too, when it is installed.
    if let Ok(out) = Command::new("jq")
        .args(["-c", "select(.type == \"finding\") | .fingerprint"])
        .arg(&ndjson)
        .output()
    {
        assert!(out.status.success());
        let fingerprints = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            fingerprints.lines().count() as u64,
            summary["findings"].as_u64().unwrap()
        );
    }
}

/// Removes null and empty values at every depth, as ndjson does.
fn prune(v: &mut Value) {
    match v {
        Value::Array(a) => a.iter_mut().for_each(prune),
        Value::Object(o) => {
            o.values_mut().for_each(prune);
            o.retain(|_, v| !matches!(v, Value::Null) && !is_empty(v));
        }
        _ => {}
    }
    fn is_empty(v: &Value) -> bool {
        match v {
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }
    }
}

/// Rules and enrichment run on rayon's pool: every format must come out
/// byte-identical with 1, 2 and 4 threads, over an input that spans several
/// chunks of identities.
#[test]
fn parallel_evaluation_gives_byte_identical_output() {
    use nhiscan::config::Loaded;
    use nhiscan::report::{Format, View};
    use nhiscan::{model, providers, scan};

    let dir = tempfile::tempdir().unwrap();
    let path = generated_report(dir.path(), 5_000);
    let text = std::fs::read_to_string(&path).unwrap();
    let config = Loaded::defaults();
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let render = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut inventory = model::Inventory::default();
            providers::input::load_text(&path, &text, &mut inventory).unwrap();
            providers::demo::load(&mut inventory).unwrap();
            let scan = scan::evaluate(inventory, &config, now);
            let view = View::new(&scan, providers::rules());
            let formats = [
                Format::Json,
                Format::Ndjson,
                Format::Csv,
                Format::Sarif,
                Format::Markdown,
            ];
            formats.map(|f| {
                let mut out = Vec::new();
                nhiscan::report::write(f, &view, &mut out).unwrap();
                out
            })
        })
    };
    let one = render(1);
    assert!(
        one[0].len() > 1_000_000,
        "the input spans several chunks of identities"
    );
    for threads in [2, 4] {
        let many = render(threads);
        for (i, (a, b)) in one.iter().zip(&many).enumerate() {
            assert!(a == b, "format {i} differs with {threads} threads");
        }
    }
}
