#!/usr/bin/env bash
# Prints scan figures for a release build: wall time (best and median of N runs)
# and peak memory, for the Cloudsplaining example, a generated credential report
# and a generated authorization-details export (ROLES roles, POLICIES policies),
# then for a scan against a baseline and a diff of two saved scans of that report.
#
#   ./scripts/bench.sh            # 10,000 users; 10,000 roles, 5,000 policies; 5 runs
#   USERS=50000 RUNS=3 ./scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
users=${USERS:-10000}
runs=${RUNS:-5}
roles=${ROLES:-10000}
policies=${POLICIES:-5000}
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-target}/release/nhiscan

work=target/bench
mkdir -p "$work"
python3 scripts/gen-credential-report.py "$users" > "$work/credential-report-$users.csv"
python3 scripts/gen-authorization-details.py "$roles" "$policies" > "$work/authorization-details-$roles.json"

measure() { # label, then nhiscan arguments; output is JSON, and scans get a fixed clock
  local label=$1; shift
  local args=("$@" -f json -o "$work/out.json")
  [[ $1 == scan ]] && args+=(--now 2026-11-01T00:00:00Z)
  local times=() rss=0
  for _ in $(seq "$runs"); do
    local start end r
    start=$(date +%s%N)
    r=$( { /usr/bin/time -f '%M' "$bin" "${args[@]}"; } 2>&1 >/dev/null | tail -1)
    end=$(date +%s%N)
    times+=("$(awk "BEGIN{print ($end - $start) / 1e9}")")
    (( r > rss )) && rss=$r
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local best median
  best=$(head -1 <<<"$sorted")
  median=$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")
  local counts
  counts=$(python3 -c "
import json
s = json.load(open('$work/out.json'))['summary']
if 'findings_new' in s:
    print(f\"{s['identities_added']} identities added, {s['findings_new']} new findings, {s['findings_resolved']} resolved\")
else:
    print(f\"{s['identities']} identities, {s['findings']} findings\")")
  printf '%-40s best %6.3fs  median %6.3fs  peak RSS %6.1f MiB  (%s)\n' \
    "$label" "$best" "$median" "$(awk "BEGIN{print $rss/1024}")" "$counts"
}

echo "nhiscan $(git describe --always --dirty 2>/dev/null || echo unknown), $runs runs each, $(nproc) cores"
measure "cloudsplaining example (authz details)" scan -i fixtures/aws/cloudsplaining/example-authz-details.json
measure "credential report, $users users" scan -i "$work/credential-report-$users.csv"
measure "authz details, $roles roles/$policies policies" scan -i "$work/authorization-details-$roles.json"
measure "demo" scan --demo

# Baselines and diffs: a baseline and a saved scan of the report, and a saved scan
# a month later of the same users plus 10% more.
more=$(( users + users / 10 ))
python3 scripts/gen-credential-report.py "$more" > "$work/credential-report-$more.csv"
"$bin" scan -i "$work/credential-report-$users.csv" --now 2026-11-01T00:00:00Z \
  --write-baseline "$work/baseline-$users.json" -f json -o "$work/scan-old.json"
"$bin" scan -i "$work/credential-report-$more.csv" --now 2026-12-01T00:00:00Z -f json -o "$work/scan-new.json"
measure "credential report, $users users, --baseline" scan -i "$work/credential-report-$users.csv" --baseline "$work/baseline-$users.json"
measure "diff, $users and $more users" diff "$work/scan-old.json" "$work/scan-new.json"
