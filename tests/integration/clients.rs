//! Output formats read back by real clients that nobody here wrote, from the
//! venv `./scripts/test.sh` makes (`scripts/requirements-test.txt`):
//! openpyxl reads the XLSX workbook, and Python's `jsonschema` validates the
//! JSON report against `docs/schema/report-v1.json` and the SARIF log
//! against the OASIS SARIF 2.1.0 schema (`fixtures/sarif/`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::common::{fixture, fixture_arg, nhiscan_in, venv_python};

/// Runs `script` with the venv's Python and `args`; returns its stdout as JSON.
fn run_python(module: &str, script: &str, args: &[&Path]) -> Value {
    let out = Command::new(venv_python(module))
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

/// openpyxl's view of a workbook: per sheet, the cells as
/// `[type, value]` (`s` text, `b` boolean, `n` number, `d` date-time, or
/// `null`), the frozen pane, the autofilter range and the column widths.
const READ_XLSX: &str = r#"
import json, sys, datetime, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": book.sheetnames}
for ws in book.worksheets:
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            v = c.value
            if v is None:
                cells.append(None)
            elif isinstance(v, datetime.datetime):
                cells.append(["d", v.isoformat(), c.number_format])
            elif isinstance(v, bool):
                cells.append(["b", v])
            elif isinstance(v, (int, float)):
                cells.append(["n", v])
            else:
                cells.append([c.data_type, v])
        rows.append(cells)
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    out[ws.title] = {
        "rows": rows,
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "widths": widths,
    }
print(json.dumps(out))
"#;

/// A scan of the demo and the Cloudsplaining example (account
/// `012345678901`, with its leading zero) in `format`, from `dir`.
fn demo_and_leading_zero(dir: &Path, format: &str) -> PathBuf {
    let out = dir.join(format!("scan.{format}"));
    let (code, _, stderr) = nhiscan_in(dir)
        .args(["scan", "--demo", "-q", "--now", "2026-11-01T00:00:00Z"])
        .args([
            "-i",
            &fixture_arg("aws/cloudsplaining/example-authz-details.json"),
        ])
        .args(["-o".to_string(), format!("{format}={}", out.display())])
        .run();
    assert_eq!(code, 0, "{stderr}");
    out
}

/// A CSV file's rows.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// What the CSV writes for an openpyxl cell: the same row data, typed.
fn as_csv_text(cell: &Value) -> String {
    if cell.is_null() {
        return String::new();
    }
    let (kind, value) = (cell[0].as_str().unwrap(), &cell[1]);
    match kind {
        "b" => value.as_bool().unwrap().to_string(),
        "n" => {
            let n = value.as_f64().unwrap();
            assert_eq!(n.fract(), 0.0, "whole numbers only: {n}");
            format!("{}", n as i64)
        }
        // openpyxl gives a naive date-time: the UTC wall clock.
        "d" => format!("{}Z", value.as_str().unwrap()),
        _ => {
            let text = value.as_str().unwrap();
            // The CSV defuses formula-like text; the workbook's text cells never run.
            match text.chars().next() {
                Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
                _ => text.to_string(),
            }
        }
    }
}

#[test]
fn openpyxl_reads_the_workbook_typed_with_the_csv_rows() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = demo_and_leading_zero(dir.path(), "xlsx");
    let csv = demo_and_leading_zero(dir.path(), "csv");
    let findings = demo_and_leading_zero(dir.path(), "csv-findings");
    let book = run_python("openpyxl", READ_XLSX, &[&xlsx]);
    assert_eq!(
        book["sheets"],
        serde_json::json!(["Inventory", "Findings", "Sources"])
    );

    for (sheet, csv_path) in [("Inventory", &csv), ("Findings", &findings)] {
        let rows = book[sheet]["rows"].as_array().unwrap();
        let want = csv_rows(csv_path);
        assert!(want.len() > 50, "{sheet}: the demo has many rows");
        assert_eq!(rows.len(), want.len(), "{sheet}: one row per CSV row");
        // The header is bold text, frozen, and filtered over every row.
        let header: Vec<String> = rows[0]
            .as_array()
            .unwrap()
            .iter()
            .map(as_csv_text)
            .collect();
        assert_eq!(header, want[0], "{sheet}: the CSV's header");
        let sheet_view = &book[sheet];
        assert_eq!(sheet_view["freeze"], "A2", "{sheet}: frozen header row");
        let last_col = (b'A' + u8::try_from(header.len() - 1).unwrap()) as char;
        assert_eq!(
            sheet_view["filter"],
            format!("A1:{last_col}{}", rows.len()),
            "{sheet}: autofilter over every row"
        );
        // Every cell, typed back to text, is the CSV's cell.
        for (i, (row, want)) in rows.iter().zip(&want).enumerate().skip(1) {
            let mut got: Vec<String> = row.as_array().unwrap().iter().map(as_csv_text).collect();
            got.resize(want.len(), String::new());
            assert_eq!(&got, want, "{sheet} row {i}");
        }
    }

    let inventory = book["Inventory"]["rows"].as_array().unwrap();
    let header: Vec<&str> = inventory[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[1].as_str().unwrap())
        .collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    // The account id keeps its leading zero: a text cell.
    let zero = inventory
        .iter()
        .find(|r| r[col("scope")][1] == "012345678901")
        .expect("a row of account 012345678901");
    assert_eq!(zero[col("scope")][0], "s", "{zero:?}");
    // Dates are date-times (no zone suffix to parse), booleans and days typed.
    let dated = inventory
        .iter()
        .skip(1)
        .find(|r| !r[col("created_at")].is_null() && !r[col("age_days")].is_null())
        .unwrap();
    assert_eq!(dated[col("created_at")][0], "d", "{dated:?}");
    assert_eq!(dated[col("created_at")][2], "yyyy-mm-dd hh:mm:ss");
    assert_eq!(dated[col("human")][0], "b", "{dated:?}");
    assert_eq!(dated[col("ai")][0], "b", "{dated:?}");
    assert_eq!(dated[col("age_days")][0], "n", "{dated:?}");
    // Widths fit the content: the id column is wider than the boolean one.
    let widths = &book["Inventory"]["widths"];
    let width = |c: usize| {
        let letter = ((b'A' + u8::try_from(c).unwrap()) as char).to_string();
        widths[letter.as_str()].as_f64().unwrap()
    };
    assert!(width(col("id")) > width(col("human")), "{widths}");
    assert!(width(col("id")) <= 62.0, "capped: {widths}");

    // Sources: one row per source, its item count a number.
    let sources = book["Sources"]["rows"].as_array().unwrap();
    let json = demo_and_leading_zero(dir.path(), "json");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(
        sources.len() - 1,
        report["sources"].as_array().unwrap().len()
    );
    assert_eq!(sources[1][5][0], "n", "{:?}", sources[1]);
    assert_eq!(book["Sources"]["freeze"], "A2");
}

#[test]
fn xlsx_is_not_written_to_a_terminal() {
    // `script` gives nhiscan a pseudo-terminal for stdout.
    let bin = assert_cmd::cargo::cargo_bin("nhiscan");
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("script")
        .args(["-qec"])
        .arg(format!("{} scan --demo -f xlsx", bin.display()))
        .arg("/dev/null")
        .current_dir(dir.path())
        .output()
        .expect("script (util-linux) runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("binary workbook") && text.contains("-o report.xlsx"),
        "{text}"
    );
    assert!(!text.contains("PK"), "no zip bytes on the terminal: {text}");
    // A pipe gets the workbook.
    let mut piped =
        super::common::nhiscan().args(["scan", "--demo", "-q", "-f", "xlsx", "-o", "-"]);
    let out = piped.cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"PK\x03\x04"));
}

/// Validates each document against a schema with Python's `jsonschema`
/// (the validator class the schema's `$schema` names); prints, per
/// document, its errors as `path: message`.
const VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema)
out = []
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    out.append(["/".join(map(str, e.absolute_path)) + ": " + e.message for e in errors][:10])
print(json.dumps({"validator": cls.__name__, "errors": out}))
"#;

/// The errors of each of `docs` against `schema`, and the validator's name.
fn validate(schema: &Path, docs: &[Value]) -> (String, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = dir.path().join(format!("doc{i}.json"));
            std::fs::write(&p, d.to_string()).unwrap();
            p
        })
        .collect();
    let mut args: Vec<&Path> = vec![schema];
    args.extend(paths.iter().map(PathBuf::as_path));
    let out = run_python("jsonschema", VALIDATE, &args);
    let errors = serde_json::from_value(out["errors"].clone()).unwrap();
    (out["validator"].as_str().unwrap().to_string(), errors)
}

/// Runs nhiscan from `dir` and parses stdout as JSON; `code` is the expected exit.
fn json_out(dir: &Path, args: &[&str], code: i32) -> Value {
    let (got, stdout, stderr) = nhiscan_in(dir).args(args).run();
    assert_eq!(got, code, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// Reports that together carry every field: the demo, the demo against a
/// baseline (new, baselined and resolved findings), a filtered scan, a
/// partial scan with a skipped file, and a live source that failed (an API
/// on a closed port).
fn reports(dir: &Path, format: &str) -> Vec<Value> {
    let now = "2026-11-01T00:00:00Z";
    let plain = json_out(
        dir,
        &[
            "scan",
            "--demo",
            "-q",
            "--now",
            now,
            "-f",
            format,
            "--write-baseline",
            "b.json",
        ],
        0,
    );
    let path = dir.join("b.json");
    let mut baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let entries = baseline["findings"].as_array_mut().unwrap();
    entries.remove(0);
    entries.push(serde_json::json!({
        "fingerprint": "0".repeat(32),
        "rule_id": "unused-credential",
        "identity_id": "arn:aws:iam::123456789012:user/gone",
        "first_seen": "2026-10-01",
    }));
    std::fs::write(&path, baseline.to_string()).unwrap();
    let compared = json_out(
        dir,
        &[
            "scan",
            "--demo",
            "-q",
            "--now",
            now,
            "-f",
            format,
            "--baseline",
            "b.json",
        ],
        0,
    );
    let filtered = json_out(
        dir,
        &[
            "scan",
            "--demo",
            "-q",
            "--now",
            now,
            "-f",
            format,
            "--unowned",
            "--sarif-max-results",
            "3",
        ],
        0,
    );
    let inputs = dir.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let mut page: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("aws/authorization-details/small.json")).unwrap(),
    )
    .unwrap();
    page["IsTruncated"] = true.into();
    page["Marker"] = "next-page".into();
    std::fs::write(inputs.join("page1.json"), page.to_string()).unwrap();
    std::fs::write(inputs.join("notes.txt"), "not an export\n").unwrap();
    let partial = json_out(
        dir,
        &[
            "scan",
            "-q",
            "--now",
            now,
            "-f",
            format,
            "-i",
            inputs.to_str().unwrap(),
        ],
        3,
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let api = format!("http://127.0.0.1:{port}");
    let (code, stdout, stderr) = nhiscan_in(dir)
        .args([
            "scan",
            "-q",
            "--now",
            now,
            "-f",
            format,
            "--github-org",
            "acme",
        ])
        .args(["--github-api-url", &api])
        .env("GITHUB_TOKEN", "ghp_notarealtokennotarealtoken0000000")
        .run();
    assert_eq!(code, 3, "{stderr}");
    let failed = serde_json::from_str(&stdout).unwrap();
    vec![plain, compared, filtered, partial, failed]
}

/// One change to a valid document.
type Mutation = fn(&mut Value);

#[test]
fn json_reports_validate_against_the_published_schema_and_a_wrong_type_does_not() {
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/schema/report-v1.json");
    let dir = tempfile::tempdir().unwrap();
    let docs = reports(dir.path(), "json");
    assert_eq!(docs[1]["resolved"].as_array().unwrap().len(), 1);
    let statuses: Vec<&Value> = docs[3]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["status"])
        .collect();
    assert!(statuses.contains(&&Value::from("partial")), "{statuses:?}");
    assert!(statuses.contains(&&Value::from("skipped")), "{statuses:?}");
    assert_eq!(docs[4]["sources"][0]["status"], "failed");
    let (validator, errors) = validate(&schema, &docs);
    assert_eq!(validator, "Draft202012Validator");
    for (i, e) in errors.iter().enumerate() {
        assert!(e.is_empty(), "report {i}: {e:?}");
    }

    // Each mutation is one wrong type or value the schema must catch.
    let demo = &docs[1];
    let mutations: [(&str, Mutation); 7] = [
        ("age_days as text", |d| {
            d["identities"][0]["age_days"] = "12".into()
        }),
        ("an unknown severity", |d| {
            d["findings"][0]["severity"] = "urgent".into()
        }),
        ("a missing summary count", |d| {
            d["summary"].as_object_mut().unwrap().remove("findings");
        }),
        ("now as a number", |d| d["now"] = 12.into()),
        ("human as text", |d| {
            d["identities"][0]["human"] = "false".into()
        }),
        ("a source without its status", |d| {
            d["sources"][0].as_object_mut().unwrap().remove("status");
        }),
        ("a negative item count", |d| {
            d["sources"][0]["items"] = (-1).into()
        }),
    ];
    let mutated: Vec<Value> = mutations
        .iter()
        .map(|(_, m)| {
            let mut d = demo.clone();
            m(&mut d);
            d
        })
        .collect();
    let (_, errors) = validate(&schema, &mutated);
    for ((what, _), e) in mutations.iter().zip(&errors) {
        assert!(!e.is_empty(), "{what} passed the schema");
    }
}

#[test]
fn sarif_validates_against_the_oasis_schema_and_a_wrong_level_does_not() {
    let schema = fixture("sarif/sarif-schema-2.1.0.json");
    let dir = tempfile::tempdir().unwrap();
    let docs = reports(dir.path(), "sarif");
    // The capped run says how many results it left out.
    let notes = &docs[2]["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(notes.to_string().contains("left out"), "{notes}");
    let (validator, errors) = validate(&schema, &docs);
    assert_eq!(validator, "Draft7Validator");
    for (i, e) in errors.iter().enumerate() {
        assert!(e.is_empty(), "SARIF log {i}: {e:?}");
    }
    let mut wrong = docs[0].clone();
    wrong["runs"][0]["results"][0]["level"] = "fatal".into();
    let mut no_driver = docs[0].clone();
    no_driver["runs"][0]["tool"]
        .as_object_mut()
        .unwrap()
        .remove("driver");
    let (_, errors) = validate(&schema, &[wrong, no_driver]);
    assert!(errors.iter().all(|e| !e.is_empty()), "{errors:?}");
}

#[test]
fn formula_like_names_stay_text_cells_in_the_workbook() {
    // IAM user names may hold `=`, `+`, `@`: a spreadsheet must not run them.
    let header = std::fs::read_to_string(fixture("demo/credential-report.csv"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let user = "=1+2";
    let row = format!(
        "{user},arn:aws:iam::012345678901:user/{user},2024-11-30T09:00:00+00:00,false,N/A,N/A,N/A,\
         false,true,2024-11-30T09:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.csv"), format!("{header}\n{row}\n")).unwrap();
    let (code, _, err) = nhiscan_in(dir.path())
        .args([
            "scan",
            "-q",
            "--now",
            "2026-11-01T00:00:00Z",
            "-i",
            "report.csv",
        ])
        .args(["-o", "xlsx=scan.xlsx", "-o", "csv=scan.csv"])
        .run();
    assert_eq!(code, 0, "{err}");
    let book = run_python("openpyxl", READ_XLSX, &[&dir.path().join("scan.xlsx")]);
    let rows = book["Inventory"]["rows"].as_array().unwrap();
    let header: Vec<&str> = rows[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[1].as_str().unwrap())
        .collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let named = rows
        .iter()
        .find(|r| r[col("name")][1] == user)
        .unwrap_or_else(|| panic!("no row named {user}: {rows:?}"));
    assert_eq!(named[col("name")][0], "s", "a text cell, not a formula");
    assert_eq!(
        named[col("scope")],
        serde_json::json!(["s", "012345678901"])
    );
    // The CSV defuses the same cell with a leading quote.
    let csv = std::fs::read_to_string(dir.path().join("scan.csv")).unwrap();
    assert!(csv.contains(",'=1+2,"), "{csv}");
}

/// Renders Markdown as GitHub does, with cmark-gfm (GitHub's fork of cmark,
/// through the `cmarkgfm` bindings) and its table and autolink extensions;
/// prints every link target.
const RENDER_GFM: &str = r#"
import json, re, sys, cmarkgfm
html = cmarkgfm.github_flavored_markdown_to_html(open(sys.argv[1]).read())
print(json.dumps({"links": re.findall(r'<a href="([^"]*)"', html), "html": html}))
"#;

#[test]
fn github_flavored_markdown_makes_no_link_from_inventory_text() {
    // IAM-style user names that GFM would turn into links or mentions.
    let header = std::fs::read_to_string(fixture("demo/credential-report.csv"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let mut report = format!("{header}\n");
    let names = [
        "www.evil.example",
        "ops@evil.example",
        "http://evil.example/x",
        "@octo-team",
    ];
    for user in names {
        report.push_str(&format!(
            "{user},arn:aws:iam::012345678901:user/{user},2024-11-30T09:00:00+00:00,false,N/A,N/A,\
             N/A,false,true,2024-11-30T09:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,\
             false,N/A\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.csv"), report).unwrap();
    let (code, _, err) = nhiscan_in(dir.path())
        .args([
            "scan",
            "-q",
            "--now",
            "2026-11-01T00:00:00Z",
            "-i",
            "report.csv",
        ])
        .args(["-o", "markdown=summary.md"])
        .run();
    assert_eq!(code, 0, "{err}");
    let out = run_python("cmarkgfm", RENDER_GFM, &[&dir.path().join("summary.md")]);
    let html = out["html"].as_str().unwrap();
    let links: Vec<&str> = out["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    // The rules' docs links are the only links.
    assert!(!links.is_empty(), "{html}");
    assert!(
        links
            .iter()
            .all(|l| l.ends_with(".md") && !l.contains("evil")),
        "{links:?}"
    );
    // The names still read as written.
    for name in ["www.evil.example", "http://evil.example/x"] {
        assert!(html.contains(name), "{name}: {html}");
    }
    assert!(html.contains("ops@"), "{html}");
}
