#!/usr/bin/env bash
# Times the table with one unbroken 400,000-character name (issue 19, item 12):
# the wrap must stay linear in the word's length. Prints wall time and peak memory.
#
#   ./scripts/bench-table.sh            # 400,000 characters
#   CHARS=1000000 ./scripts/bench-table.sh
set -euo pipefail
cd "$(dirname "$0")/.."
chars=${CHARS:-400000}
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-target}/release/nhiscan
work=${CARGO_TARGET_DIR:-target}/bench
mkdir -p "$work"
# A credential report whose one user has a name of $chars 'x's and an unused key.
python3 - "$chars" > "$work/long-name.csv" <<'PY'
import sys
n = int(sys.argv[1])
head = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
name = "x" * n
print(head)
print(f"{name},arn:aws:iam::123456789012:user/{name},2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2025-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")
PY
/usr/bin/time -f "table, one ${chars}-character name: %e s, %M KB" \
  "$bin" scan -i "$work/long-name.csv" --now 2026-11-01T00:00:00Z -q > /dev/null || true
