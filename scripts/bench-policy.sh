#!/usr/bin/env bash
# Policy-evaluation benchmark (issues 12 and 19): scans generated exports that
# stress the AWS policy code with a release build and prints the wall time of
# each: 520 users holding ReadOnlyAccess (each document must be evaluated
# once), one policy of 8,000 statements and one of 50,000 (evaluation must be
# near-linear in statements), and the 10,000-role export of
# gen-authorization-details.py (principal graph included).
#
#   ./scripts/bench-policy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/moto-venv.sh
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-target}/release/nhiscan
work=target/bench-policy
mkdir -p "$work"
venv/bin/python scripts/gen-policy-stress.py readonly 520 > "$work/readonly-520.json"
venv/bin/python scripts/gen-policy-stress.py statements 8000 > "$work/statements-8000.json"
venv/bin/python scripts/gen-policy-stress.py statements 50000 > "$work/statements-50000.json"
python3 scripts/gen-authorization-details.py 10000 5000 > "$work/roles-10000.json"
for f in readonly-520 statements-8000 statements-50000 roles-10000; do
  start=$(date +%s%N)
  code=0
  "$bin" scan -i "$work/$f.json" --now 2026-06-01T00:00:00Z -q -f json -o "$work/$f.out.json" || code=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  findings=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["findings"])' "$work/$f.out.json")
  echo "$f: ${ms} ms, exit $code, $findings findings"
done
