//! Bad input never panics: every fixture, cut short and corrupted at many
//! points, either scans (and renders in every format) or fails with an input
//! error that names the file. Deterministic: no randomness, fixed positions.

use std::path::Path;

use nhiscan::config::Loaded;
use nhiscan::error::Error;
use nhiscan::model::Inventory;
use nhiscan::providers::{self, input};
use nhiscan::report::{self, Format, View};
use nhiscan::scan;

use crate::common::{fixture, NOW};

/// Bytes that break CSV and JSON structure in interesting ways.
const CORRUPTIONS: &[&str] = &[
    "\"",
    ",",
    "\n",
    "{",
    "}",
    "]",
    ":",
    "\\",
    "%",
    "\u{0}",
    "é",
    "2099-99-99",
];

/// Scans `text` as if read from `name`; panics only if nhiscan would.
fn scan_or_error(name: &Path, text: &str) {
    let mut inventory = Inventory::default();
    match input::load_text(name, text, &mut inventory) {
        Ok(()) => {
            let config = Loaded::defaults();
            let scan = scan::evaluate(inventory, &config, NOW.parse().unwrap());
            let view = View::new(&scan, providers::rules());
            for format in [
                Format::Table,
                Format::Json,
                Format::Csv,
                Format::Sarif,
                Format::Markdown,
                Format::Ndjson,
            ] {
                let mut out = Vec::new();
                report::write(format, &view, &mut out).unwrap();
                assert!(!out.is_empty());
            }
        }
        Err(e) => {
            assert!(matches!(e, Error::Input { .. }), "{name:?}: {e}");
            assert!(e.to_string().contains(&name.display().to_string()), "{e}");
        }
    }
}

fn mutate(rel: &str, points: usize) {
    let text = std::fs::read_to_string(fixture(rel)).unwrap();
    mutate_text(Path::new(rel), &text, points);
}

/// Cuts `text` short and corrupts it at `points` places, scanning each.
fn mutate_text(name: &Path, text: &str, points: usize) {
    let len = text.len();
    for i in 0..=points {
        let at = floor_char_boundary(text, len * i / points);
        scan_or_error(name, &text[..at]);
        for (j, bad) in CORRUPTIONS.iter().enumerate() {
            if (i + j) % 3 != 0 {
                continue; // a third of the combinations keeps the test quick
            }
            let end = floor_char_boundary(text, (at + bad.len()).min(len));
            let corrupted = format!("{}{}{}", &text[..at], bad, &text[end..]);
            scan_or_error(name, &corrupted);
        }
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn credential_report_csv_never_panics() {
    mutate("aws/credential-report/report.csv", 120);
}

#[test]
fn credential_report_json_wrapper_never_panics() {
    mutate("aws/credential-report/report.json", 60);
}

#[test]
fn authorization_details_never_panics() {
    mutate("aws/authorization-details/small.json", 150);
}

/// Every provider's demo files, in each of its formats.
#[test]
fn demo_inputs_never_panic() {
    for provider in providers::registry() {
        for (name, text) in provider.demo() {
            mutate_text(Path::new(name), text, 100);
        }
    }
}

#[test]
fn saved_scan_never_panics() {
    let (code, stdout, _) = crate::common::nhiscan()
        .args(["scan", "--demo", "-f", "json"])
        .run();
    assert_eq!(code, 0);
    let len = stdout.len();
    for i in 0..=60 {
        let at = floor_char_boundary(&stdout, len * i / 60);
        scan_or_error(Path::new("saved.json"), &stdout[..at]);
        scan_or_error(
            Path::new("saved.json"),
            &format!("{}\"{}", &stdout[..at], &stdout[at..]),
        );
    }
}
