#!/usr/bin/env bash
# The whole test suite, from a fresh clone. README's second command; .ci/run calls it.
#
# Installs what the tests need (moto, the AWS emulator, into ./venv), checks
# formatting, lints, the single-TLS-stack rule, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# The live AWS tests start moto's server from ./venv (tests/moto/server.py).
MOTO_VERSION=5.2.5
if ! venv/bin/python -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "==> installing moto[server]==$MOTO_VERSION into ./venv"
  python3 -m venv venv
  venv/bin/pip install --quiet "moto[server]==$MOTO_VERSION"
fi

echo "==> cargo fmt --check"
cargo fmt --all --check

echo "==> one TLS stack (rustls), no openssl/native-tls"
./scripts/check-tls.sh

echo "==> cargo clippy -D warnings"
cargo clippy --locked --all-targets -- -D warnings

echo "==> cargo test"
cargo test --locked --all-targets
cargo test --locked --doc
