#!/usr/bin/env bash
# Sets up everything Kube Workbench needs on a Debian machine with Node 20,
# installing only what is missing: Debian packages, npm dependencies,
# code-server (a real VS Code for the e2e tests and the quick start), the
# build, and a running Docker engine. Idempotent; a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- Node.js -----------------------------------------------------------------
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if (( node_major < 20 )); then
  fail "Node.js 20 or later is needed (found: $(node -v 2>/dev/null || echo none)). Install it from your distribution or nodejs.org."
fi

# --- Debian packages -----------------------------------------------------------
# command or file that proves the package is there -> package name
declare -A wanted=(
  [dockerd]=docker.io
  [/bin/busybox]=busybox-static
  [chromium]=chromium
  [rg]=ripgrep
  [/usr/include/krb5.h]=libkrb5-dev
  [python3]=python3
  [/usr/lib/python3/dist-packages/debugpy]=python3-debugpy
  [dlv]=delve
  [go]=golang-go
  [make]=make
  [g++]=g++
  [unshare]=util-linux
  [tar]=tar
)
missing=()
for probe in "${!wanted[@]}"; do
  if [[ $probe == /* ]]; then [[ -e $probe ]] || missing+=("${wanted[$probe]}")
  else command -v "$probe" >/dev/null 2>&1 || missing+=("${wanted[$probe]}"); fi
done
if (( ${#missing[@]} > 0 )); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    fail "missing packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
  fi
  say "installing Debian packages: ${missing[*]}"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
if ! command -v kubectl >/dev/null 2>&1; then
  say "warning: kubectl is not on the PATH; the integration tests that drive kubectl need it"
fi

# --- npm dependencies ------------------------------------------------------------
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund >&2
  touch node_modules/.package-lock.json
fi

# --- code-server (real VS Code 1.100 on Node 20) ----------------------------------
bash scripts/setup/code-server.sh >/dev/null

# --- build ------------------------------------------------------------------------
npm run --silent build >&2

# --- Docker engine ----------------------------------------------------------------
bash scripts/setup/docker.sh
say "ready"
