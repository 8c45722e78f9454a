//! The v1 JSON of the demo, compared in full.
//!
//! `tests/golden/demo-v1.json` is today's output, byte for byte. (The
//! comparison with the output before the architecture change was dropped when
//! issue 18 added escalation paths, which the demo's admin principals open.)

use crate::common::nhiscan;

fn demo() -> String {
    let (code, stdout, stderr) = nhiscan().args(["scan", "--demo", "-f", "json"]).run();
    assert_eq!(code, 0, "{stderr}");
    stdout
}

fn golden(name: &str) -> String {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_demo_json_matches_the_golden_file() {
    let now = demo();
    if std::env::var_os("NHISCAN_BLESS").is_some() {
        let path = format!("{}/tests/golden/demo-v1.json", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(path, &now).unwrap();
    }
    assert!(
        now == golden("demo-v1.json"),
        "the demo's JSON changed; review the difference and rerun with NHISCAN_BLESS=1"
    );
}
