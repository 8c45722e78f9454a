#!/usr/bin/env bash
# Prints GitHub live-scan figures for a release build against a local wiremock
# org (1,000 repos x 2 deploy keys, 300 PAT grants, 50 installations): wall
# time, peak memory and API calls per endpoint. See benches/github.rs.
#
#   ./scripts/bench-github.sh
#   REPOS=5000 PATS=1000 RUNS=5 ./scripts/bench-github.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/rel}
cargo bench --locked --quiet --bench github
