#!/usr/bin/env bash
# Live-scan benchmark: seeds moto with USERS users holding KEYS access keys and
# ROLES roles, scans it with a release build, and prints the wall time of each
# run and the API calls by operation, against the target of at most
# (users with keys + 20) calls.
#
#   ./scripts/bench-aws.sh                        # 2,000 users, 3,000 keys, 500 roles, 3 runs
#   USERS=500 KEYS=800 ROLES=100 RUNS=1 ./scripts/bench-aws.sh
set -euo pipefail
cd "$(dirname "$0")/.."
users=${USERS:-2000}
keys=${KEYS:-3000}
roles=${ROLES:-500}
runs=${RUNS:-3}
./scripts/moto-venv.sh
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-target}/release/nhiscan
work=target/bench
mkdir -p "$work"

echo "seeding moto: $users users, $keys access keys, $roles roles"
seed_start=$(date +%s%N)
coproc MOTO { exec venv/bin/python tests/moto/server.py bench "$users" "$keys" "$roles"; }
moto_pid=$MOTO_PID
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
read -r ready url now facts <&"${MOTO[0]}"
[ "$ready" = READY ] || { echo "moto did not start" >&2; exit 1; }
echo "seeded in $(( ($(date +%s%N) - seed_start) / 1000000 )) ms: $facts"

# The SDK's own retry policy (8 attempts) for the essential calls. moto answers
# ListServiceSpecificCredentials, which it does not implement, with HTTP 500;
# as an optional call it gets 3 attempts and a 30 s deadline, so it no longer
# dominates the wall time. MAX_ATTEMPTS=1 reproduces the old one-attempt runs.
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 \
  AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
if [ -n "${MAX_ATTEMPTS:-}" ]; then export AWS_MAX_ATTEMPTS="$MAX_ATTEMPTS"; fi
for run in $(seq "$runs"); do
  start=$(date +%s%N)
  code=0
  "$bin" scan --aws --aws-endpoint-url "$url" --now "$now" -q -f json -o "$work/aws-$run.json" || code=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "run $run: wall time ${ms} ms (exit $code)"
  echo "$ms" > "$work/aws-$run.ms"
done

python3 - "$work/aws-1.json" "$facts" "$(cat "$work/aws-1.ms")" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
facts = json.loads(sys.argv[2])
wall_ms = int(sys.argv[3])
source = report["sources"][0]
calls = source["api_calls"]
total = sum(calls.values())
budget = facts["users_with_keys"] + 20
print(f"first run: status {source['status']}; {report['summary']['identities']} identities, "
      f"{report['summary']['credentials']} credentials, {report['summary']['findings']} findings")
if source.get("error"):
    print(f"  partial because: {source['error']}")
for op, n in sorted(calls.items()):
    print(f"  {op:<36} {n:>6}")
print(f"  {'total':<36} {total:>6}   target <= users with keys + 20 = {budget}: "
      f"{'met' if total <= budget else 'MISSED'}")
print(f"wall time {wall_ms} ms for {total} API calls: {wall_ms / max(total, 1):.1f} ms per call")
PY
