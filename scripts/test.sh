#!/usr/bin/env bash
# The whole test suite, from a fresh clone. README's second command; .ci/run calls it.
#
# Installs what the tests need (moto, the AWS emulator, into ./venv), checks
# formatting, lints, the single-TLS-stack rule, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# The live AWS tests start moto's server from ./venv (tests/moto/server.py).
./scripts/moto-venv.sh

# The HTML report's tests drive Debian's headless chromium through chromedriver.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "==> apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get install -y chromium chromium-driver ||
    { $sudo apt-get update && $sudo apt-get install -y chromium chromium-driver; }
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
