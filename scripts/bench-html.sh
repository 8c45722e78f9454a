#!/usr/bin/env bash
# Times the HTML report in headless Chromium at 10,000 and 100,000 items:
# file size, load time and the time to filter and search the explorer.
#
# Builds a release nhiscan, then runs benches/html.rs, which generates a
# credential report of USERS users each (scripts/gen-credential-report.py;
# about 2.8 items a user), writes its HTML page and opens it RUNS times.
#
#   ./scripts/bench-html.sh                      # 3,600 and 36,000 users: ~10k and ~100k items
#   USERS=1000,20000 RUNS=5 ./scripts/bench-html.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
export NHISCAN_BIN=${CARGO_TARGET_DIR:-target}/release/nhiscan
export USERS=${USERS:-3600,36000}
export RUNS=${RUNS:-3}
# The harness itself only drives the browser; a debug build of it is enough.
cargo test --locked --quiet --bench html
