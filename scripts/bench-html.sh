#!/usr/bin/env bash
# Times the HTML report in headless Chromium at about 10,000 and 100,000
# items: file size, load time (navigation start to the explorer ready, and
# painted) and the time to type a search and apply a filter; then each
# filter, search and sort alone. Targets: open and filter 100,000 items in
# under a second.
#
# Builds a release nhiscan, then runs benches/html.rs, which generates a
# credential report of USERS users each (scripts/gen-credential-report.py;
# about 2.8 items a user), writes its HTML page and opens it RUNS times.
# Prints a Markdown table (docs/performance.md keeps the figures) and saves
# light and dark screenshots under $CARGO_TARGET_DIR/tmp/html-bench/.
#
#   ./scripts/bench-html.sh                      # 3,600 and 36,000 users: ~10k and ~100k items
#   USERS=1000,20000 RUNS=5 ./scripts/bench-html.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
export NHISCAN_BIN=${CARGO_TARGET_DIR:-target}/release/nhiscan
export USERS=${USERS:-3600,36000}
export RUNS=${RUNS:-3}
echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD), $(chromium --version 2>/dev/null || true), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The harness itself only drives the browser; a debug build of it is enough.
cargo test --locked --quiet --bench html
