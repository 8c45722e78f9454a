#!/usr/bin/env bash
# nhiscan and Cloudsplaining side by side, on the Cloudsplaining example export
# (fixtures/aws/cloudsplaining/) and on a generated export of ROLES roles and
# POLICIES customer managed policies. Prints each tool's wall time and peak
# memory, then the principals where the two disagree about privilege escalation
# or admin. docs/development.md explains every disagreement on the example.
#
#   ./scripts/compare-cloudsplaining.sh                      # 10,000 roles, 5,000 policies
#   ROLES=2000 POLICIES=1000 ./scripts/compare-cloudsplaining.sh
#
# Installs Cloudsplaining from PyPI into ./venv and builds a release nhiscan
# into target/rel.
set -euo pipefail
cd "$(dirname "$0")/.."
roles=${ROLES:-10000}
policies=${POLICIES:-5000}
version=${CLOUDSPLAINING_VERSION:-0.9.1}
now=2026-06-01T00:00:00Z

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/rel}
cargo build --release --locked --quiet
bin=$CARGO_TARGET_DIR/release/nhiscan
[ -x venv/bin/python ] || python3 -m venv venv
venv/bin/pip install --quiet --disable-pip-version-check "cloudsplaining==$version"

work=target/compare
mkdir -p "$work"
python3 scripts/gen-authorization-details.py "$roles" "$policies" > "$work/generated.json"
# Cloudsplaining's default exclusions skip AdministratorAccess and service
# roles; exclude nothing, so that both tools judge the same policies.
printf '%s:\n  - ""\n' policies roles users groups include-actions exclude-actions > "$work/exclude-nothing.yml"

# Runs a command; prints "<seconds> s, <MiB> MiB peak".
measure() {
  local start end rss
  start=$(date +%s%N)
  if ! /usr/bin/time -f '%M' -o "$work/rss" "$@" > "$work/last.log" 2>&1; then
    echo "failed: $*" >&2
    tail -20 "$work/last.log" >&2
    exit 1
  fi
  end=$(date +%s%N)
  rss=$(tail -1 "$work/rss")
  awk "BEGIN { printf \"%.2f s, %.0f MiB peak\", ($end - $start) / 1e9, $rss / 1024 }"
}

declare -a summary
compare() { # label, export file
  local label=$1 input=$2 name
  name=$(basename "$input" .json)
  rm -rf "$work/$name.cloudsplaining"
  mkdir -p "$work/$name.cloudsplaining"
  local nh cs
  nh=$(measure "$bin" scan -i "$input" -f json -o "$work/$name.nhiscan.json" --now "$now")
  cs=$(measure venv/bin/cloudsplaining scan -i "$input" -e "$work/exclude-nothing.yml" \
    -o "$work/$name.cloudsplaining" -s)
  summary+=("$(printf '%-48s nhiscan %-24s Cloudsplaining %s' "$label" "$nh" "$cs")")
  echo
  echo "== $label: where nhiscan and Cloudsplaining disagree"
  python3 scripts/compare-cloudsplaining.py "$work/$name.nhiscan.json" \
    "$work/$name.cloudsplaining/iam-results-$name.json" "${MAX_ROWS:-40}"
}

echo "nhiscan $(git describe --always --dirty 2>/dev/null || echo unknown), Cloudsplaining $version, $(nproc) cores"
compare "Cloudsplaining example (44 users, 78 roles)" fixtures/aws/cloudsplaining/example-authz-details.json
compare "generated ($roles roles, $policies policies)" "$work/generated.json"
echo
echo "== run times (wall clock, one run each)"
printf '%s\n' "${summary[@]}"
