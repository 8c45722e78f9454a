#!/usr/bin/env bash
# Installs moto (the AWS emulator the live AWS tests and bench-aws.sh run) into
# ./venv, unless the pinned version is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
MOTO_VERSION=5.2.5
if ! venv/bin/python -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "==> installing moto[server]==$MOTO_VERSION into ./venv"
  python3 -m venv venv
  venv/bin/pip install --quiet "moto[server]==$MOTO_VERSION"
fi
