#!/usr/bin/env bash
# Times an offline scan of a generated Entra snapshot with a release build:
# APPS app registrations (each with a service principal) and CREDS
# credentials, JSON output; prints the best and median wall time of RUNS runs
# and the peak memory.
#
#   ./scripts/bench-entra.sh                       # 20,000 apps, 40,000 credentials, 3 runs
#   APPS=5000 CREDS=10000 RUNS=5 ./scripts/bench-entra.sh
set -euo pipefail
cd "$(dirname "$0")/.."
apps=${APPS:-20000}
creds=${CREDS:-40000}
runs=${RUNS:-3}
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-target}/release/nhiscan
work=target/bench
mkdir -p "$work"
input="$work/entra-$apps-$creds.entra.json"
python3 scripts/gen-entra-snapshot.py "$apps" "$creds" > "$input"
echo "input: $(du -h "$input" | cut -f1) ($apps apps, $creds credentials)"
times=() rss=0
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  r=$( { /usr/bin/time -f '%M' "$bin" scan -i "$input" --now 2026-11-01T00:00:00Z -f json -o "$work/entra-out.json"; } 2>&1 >/dev/null | tail -1)
  end=$(date +%s%N)
  times+=("$(awk "BEGIN{print ($end - $start) / 1e9}")")
  (( r > rss )) && rss=$r
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
best=$(head -1 <<<"$sorted")
median=$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")
findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$work/entra-out.json")
printf 'entra offline scan: best %.2f s, median %.2f s, peak %d MiB, %s findings\n' "$best" "$median" "$((rss / 1024))" "$findings"
