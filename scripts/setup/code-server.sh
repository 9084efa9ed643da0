#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100 that runs on Node 20) into a cache
# folder shared by every clone on this machine. Idempotent: a marker file records
# a finished install, so a second run returns at once.
set -euo pipefail

VERSION="4.100.3"
CACHE="${KW_CACHE:-$HOME/.cache/kube-workbench}"
DIR="$CACHE/code-server-$VERSION"
MARKER="$DIR/.installed"

if [[ -f "$MARKER" ]]; then
  echo "$DIR"
  exit 0
fi

for cmd in rg python3 make g++; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "code-server needs '$cmd'. Install it with: apt-get install -y ripgrep python3 make g++ libkrb5-dev" >&2
    exit 1
  fi
done

echo "installing code-server $VERSION into $DIR (once per machine)..." >&2
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
echo '{"name":"kube-workbench-code-server","private":true}' > package.json
# Its postinstall downloads binaries from elsewhere: skip it and do its work by hand.
npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >&2
cd node_modules/code-server/lib/vscode
npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
# Native modules build with node-gyp against Node's own headers; a later step may
# complain while the .node files are in place, so check for them instead.
npm rebuild @vscode/spdlog node-pty kerberos native-watchdog >&2 || true
cd "$DIR"
npm rebuild argon2 >&2 || true

missing=0
for f in code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node argon2/lib/binding/napi-v3/argon2.node; do
  if [[ ! -f "$DIR/node_modules/$f" ]]; then
    echo "code-server install: $f was not built" >&2
    missing=1
  fi
done
if [[ $missing -ne 0 ]]; then
  echo "code-server could not be built; check that python3, make, g++ and libkrb5-dev are installed" >&2
  exit 1
fi
touch "$MARKER"
echo "$DIR"
