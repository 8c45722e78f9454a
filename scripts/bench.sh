#!/usr/bin/env bash
# Prints scan figures for a release build: wall time (best and median of N runs)
# and peak memory, for the Cloudsplaining example, a generated credential report
# and a generated authorization-details export (ROLES roles, POLICIES policies),
# then for a scan against a baseline and a diff of two saved scans of that report.
#
# Then the large case: a BIG-user report (default 400,000, about 1.1 million items)
# scanned once per output format (markdown, json, ndjson, csv, sarif), printing
# wall time, peak RSS and output size, and the ratio of each wall time to a plain
# CSV pass over the same file (Python's csv module reading every record) timed in
# the same run; then a --baseline scan, a re-read of the saved JSON scan and a
# diff of two saved scans at that size.
#
#   ./scripts/bench.sh            # 10,000 users; 10,000 roles, 5,000 policies; 5 runs
#   USERS=50000 RUNS=3 ./scripts/bench.sh
#   BIG=0 ./scripts/bench.sh      # skip the large case
#   ONLY_BIG=1 ./scripts/bench.sh # only the large case
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

echo "nhiscan $(git describe --always --dirty 2>/dev/null || echo unknown), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"

big=${BIG:-400000}
if (( big > 0 )); then
  report="$work/credential-report-$big.csv"
  [[ -s $report ]] || python3 scripts/gen-credential-report.py "$big" > "$report"
  start=$(date +%s%N)
  rows=$(python3 -c "import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=''))))" "$report")
  end=$(date +%s%N)
  plain=$(awk "BEGIN{print ($end - $start) / 1e9}")
  printf '\n%s users (%s, %d records): plain CSV pass (python csv) %.2fs\n' \
    "$big" "$(du -h "$report" | cut -f1)" "$rows" "$plain"
  printf '%-34s %8s %12s %10s %8s\n' "run" "wall" "peak RSS" "output" "vs CSV"
  run_once() { # label, output file, then nhiscan arguments
    local label=$1 out=$2; shift 2
    local start end r wall size
    start=$(date +%s%N)
    r=$( { /usr/bin/time -f '%M' "$bin" "$@" -o "$out"; } 2>&1 >/dev/null | tail -1)
    end=$(date +%s%N)
    wall=$(awk "BEGIN{print ($end - $start) / 1e9}")
    size=$(du -h "$out" | cut -f1)
    printf '%-34s %7.2fs %8.0f MiB %10s %7.1fx\n' "$label" "$wall" "$(awk "BEGIN{print $r/1024}")" \
      "$size" "$(awk "BEGIN{print $wall / $plain}")"
  }
  for format in markdown json ndjson csv sarif; do
    run_once "scan -f $format" "$work/big.$format" scan -i "$report" --now 2026-11-01T00:00:00Z -q -f "$format"
  done
  "$bin" scan -i "$report" --now 2026-11-01T00:00:00Z -q --write-baseline "$work/big-baseline.json" \
    -f markdown -o /dev/null || true
  run_once "scan --baseline -f markdown" "$work/big-b.md" scan -i "$report" --now 2026-11-01T00:00:00Z -q \
    --baseline "$work/big-baseline.json" -f markdown
  run_once "re-read saved scan -f markdown" "$work/big-r.md" scan -i "$work/big.json" \
    --now 2026-11-01T00:00:00Z -q -f markdown
  "$bin" scan -i "$report" --now 2026-12-01T00:00:00Z -q -f json -o "$work/big-later.json" || true
  run_once "diff of two saved scans -f markdown" "$work/big-d.md" diff "$work/big.json" \
    "$work/big-later.json" -f markdown
  big_roles=${BIG_ROLES:-100000} big_policies=${BIG_POLICIES:-20000}
  authz="$work/authorization-details-$big_roles-$big_policies.json"
  [[ -s $authz ]] || python3 scripts/gen-authorization-details.py "$big_roles" "$big_policies" > "$authz"
  run_once "authz $big_roles roles/$big_policies pol." "$work/big-authz.md" scan -i "$authz" \
    --now 2026-11-01T00:00:00Z -q -f markdown
  echo
fi
[[ -n ${ONLY_BIG:-} ]] && exit 0

echo "$runs runs each"
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
