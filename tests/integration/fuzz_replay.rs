//! Replays every file of the fuzz seed corpus (`fuzz/corpus/<target>/`) and
//! every crash once found (`fuzz/regressions/<target>/`) through the same
//! entry points the cargo-fuzz targets drive (`fuzz/entries.rs`), on the
//! stable toolchain: a crash once fixed stays fixed.

#[path = "../../fuzz/entries.rs"]
mod entries;

use std::path::Path;

#[test]
fn every_corpus_and_regression_file_runs_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for (target, run) in entries::TARGETS {
        assert!(
            root.join("fuzz_targets")
                .join(format!("{target}.rs"))
                .is_file(),
            "fuzz target {target} exists"
        );
        for dir in ["corpus", "regressions"] {
            let Ok(files) = std::fs::read_dir(root.join(dir).join(target)) else {
                continue;
            };
            let mut files: Vec<_> = files.flatten().map(|e| e.path()).collect();
            files.sort();
            for file in files.iter().filter(|f| {
                f.is_file() && !f.file_name().unwrap().to_string_lossy().starts_with('.')
            }) {
                let data = std::fs::read(file).unwrap();
                let outcome = std::panic::catch_unwind(|| run(&data));
                assert!(outcome.is_ok(), "{target} panicked on {}", file.display());
                replayed += 1;
            }
        }
    }
    assert!(replayed >= 100, "only {replayed} files replayed");
}
