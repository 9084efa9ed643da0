#!/usr/bin/env bash
# README command 1: set up what is missing, build, make sure Docker runs, and
# open the extension in a real VS Code (code-server) with examples/ as the
# workspace. Prints the URL to open; Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/setup.sh

cache="${KW_CACHE:-$HOME/.cache/kube-workbench}"
code_server="$(bash scripts/setup/code-server.sh)/node_modules/code-server/out/node/entry.js"
quickstart="${KW_QUICKSTART_DIR:-$cache/quickstart}"
data="$quickstart/user-data"
extensions="$quickstart/extensions"
mkdir -p "$data/User" "$extensions"
if [[ ! -f "$data/User/settings.json" ]]; then
  # Workspace trust would open a dialog before anything else can run.
  echo '{ "security.workspace.trust.enabled": false, "workbench.startupEditor": "none", "git.openRepositoryInParentFolders": "never" }' > "$data/User/settings.json"
fi

# The extension is this checkout itself, linked into code-server's extensions
# folder: a rebuild (npm run build) and a window reload pick up changes.
version=$(node -p 'require("./package.json").version')
find "$extensions" -maxdepth 1 -name 'kube-workbench.kube-workbench-*' ! -name "kube-workbench.kube-workbench-$version" -exec rm -f {} +
ln -sfn "$root" "$extensions/kube-workbench.kube-workbench-$version"

port="${PORT:-8080}"
if ! node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close())' "$port"; then
  echo "port $port on 127.0.0.1 is taken; choose another with PORT=NNNN bash scripts/run.sh" >&2
  exit 1
fi
workspace="$root/examples"
url="http://127.0.0.1:$port/?folder=$workspace"

echo
echo "Kube Workbench is starting in VS Code (code-server) on 127.0.0.1:$port"
echo "Open: $url"
echo
exec node "$code_server" --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --user-data-dir "$data" --extensions-dir "$extensions" "$workspace"
