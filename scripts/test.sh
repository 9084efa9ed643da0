#!/usr/bin/env bash
# README command 2: set up what is missing, then run every test suite.
# Exits non-zero on any failure; the last line is `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Cluster networks that earlier, interrupted runs left behind without containers:
# Docker has room for only a few dozen bridge networks.
docker network prune -f --filter label=kube-workbench.cluster >/dev/null 2>&1 || true
echo "=== typecheck and lint ==="
npm run --silent typecheck
npm run --silent lint
node scripts/test.mjs unit integration e2e
