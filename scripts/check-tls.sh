#!/usr/bin/env bash
# Fails unless the dependency tree has exactly one rustls and one hyper, and no
# openssl or native-tls. See `cargo tree -d` for the duplicates themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=$(cargo tree --locked -e normal,build --prefix none --no-dedupe | sort -u)
bad=$(grep -E '^(openssl|openssl-sys|native-tls|hyper-tls|ring) v' <<<"$tree" || true)
if [ -n "$bad" ]; then
  echo "forbidden TLS crates in the tree:" >&2
  echo "$bad" >&2
  exit 1
fi
for crate in rustls hyper; do
  versions=$(grep -E "^$crate v" <<<"$tree" | awk '{print $2}' | sort -u)
  if [ "$(wc -l <<<"$versions")" -ne 1 ]; then
    echo "more than one $crate in the tree: $versions" >&2
    exit 1
  fi
  echo "  $crate $versions"
done
echo "  no openssl, native-tls or ring"
