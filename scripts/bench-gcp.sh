#!/usr/bin/env bash
# Times an offline Google Cloud scan of a generated organization: ACCOUNTS service accounts
# (default 30,000), KEYS user-managed keys (60,000) and BINDINGS IAM grants (200,000), in the
# gcloud formats (scripts/gen-gcp-assets.py). Prints wall time and peak memory per run.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS=${ACCOUNTS:-30000}
KEYS=${KEYS:-60000}
BINDINGS=${BINDINGS:-200000}
RUNS=${RUNS:-3}
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/nhiscan
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
python3 scripts/gen-gcp-assets.py "$DIR" "$ACCOUNTS" "$KEYS" "$BINDINGS"
ls -la "$DIR"
for run in $(seq "$RUNS"); do
  /usr/bin/time -f "run $run: %e s, %M KB peak" \
    "$BIN" scan -i "$DIR/assets.json" -i "$DIR/iam-policies.ndjson" \
    --now 2026-11-01T00:00:00Z -f json -o "$DIR/out.json" || true
done
python3 - "$DIR/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(len(d.get("identities", [])), "identities,", len(d.get("findings", [])), "findings")
PY
