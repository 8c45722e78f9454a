#!/usr/bin/env bash
# Prints the offline Kubernetes scan's wall time and peak memory for a release
# build, on a generated cluster (ACCOUNTS ServiceAccounts, BINDINGS bindings,
# PODS pods; default 50,000 / 200,000 / 100,000).
#
#   ./scripts/bench-kubernetes.sh
#   ACCOUNTS=5000 BINDINGS=20000 PODS=10000 RUNS=1 PROFILE=debug ./scripts/bench-kubernetes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
accounts=${ACCOUNTS:-50000}
bindings=${BINDINGS:-200000}
pods=${PODS:-100000}
runs=${RUNS:-3}
profile=${PROFILE:-release}
if [[ $profile == release ]]; then
  cargo build --release --locked --quiet
else
  cargo build --locked --quiet
fi
bin=${CARGO_TARGET_DIR:-target}/$profile/nhiscan
work=target/bench
mkdir -p "$work"
input="$work/kubernetes-$accounts-$bindings-$pods.json"
[[ -f $input ]] || python3 scripts/gen-kubernetes-cluster.py "$accounts" "$bindings" "$pods" > "$input"
echo "nhiscan $(git describe --always --dirty 2>/dev/null || echo unknown) ($profile), $runs runs, $(nproc) cores"
echo "input: $(du -h "$input" | cut -f1) ($accounts accounts, $bindings bindings, $pods pods)"
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  rss=$( { /usr/bin/time -f '%M' "$bin" scan -q -i "$input" -f json -o "$work/k8s-out.json" \
            --now 2026-11-01T00:00:00Z; } 2>&1 >/dev/null | tail -1)
  end=$(date +%s%N)
  summary=$(python3 -c "
import json
s = json.load(open('$work/k8s-out.json'))['summary']
print(f\"{s['identities']} identities, {s['findings']} findings\")")
  printf 'wall %6.2fs  peak RSS %7.1f MiB  (%s)\n' \
    "$(awk "BEGIN{print ($end - $start) / 1e9}")" "$(awk "BEGIN{print $rss/1024}")" "$summary"
done
