#!/usr/bin/env bash
# Bounded fuzz runs: each cargo-fuzz target for SECONDS (default 30) on the
# nightly toolchain, seeded from fuzz/corpus/<target>/. New inputs go to a
# scratch corpus, not the committed seeds; a crash is copied into
# fuzz/regressions/<target>/ (replayed on stable by tests/integration/fuzz_replay.rs)
# and fails the run. Prints the libFuzzer run count per target.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
if ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzz: no nightly toolchain, skipped"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz), skipped"
    exit 0
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(input config policy baseline_diff models)
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t" "fuzz/regressions/$t"
    log="$scratch/$t.log"
    if (cd fuzz && cargo +nightly fuzz run --sanitizer none "$t" "$scratch/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$scratch/$t-") >"$log" 2>&1; then
        runs="$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+' || echo '?')"
        echo "fuzz: $t: $runs runs in ${seconds}s, no finding"
    else
        status=1
        echo "fuzz: $t: FINDING (log below)"
        tail -40 "$log"
        cp "$scratch/$t-"* "fuzz/regressions/$t/" 2>/dev/null || true
    fi
done
exit "$status"
