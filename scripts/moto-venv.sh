#!/usr/bin/env bash
# Installs the Python packages the tests drive (moto, the AWS emulator the live
# AWS tests and bench-aws.sh run, and the other real clients listed in
# scripts/requirements-test.txt) into ./venv, unless that exact list is
# already installed there.
set -euo pipefail
cd "$(dirname "$0")/.."
REQS=scripts/requirements-test.txt
STAMP=venv/.requirements-test.txt
if ! cmp -s "$REQS" "$STAMP" 2>/dev/null; then
  echo "==> installing $REQS into ./venv"
  python3 -m venv venv
  venv/bin/pip install --quiet -r "$REQS"
  cp "$REQS" "$STAMP"
fi
