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
data="$cache/quickstart/user-data"
extensions="$cache/quickstart/extensions"
mkdir -p "$data/User" "$extensions"
if [[ ! -f "$data/User/settings.json" ]]; then
  # Workspace trust would open a dialog before anything else can run.
  echo '{ "security.workspace.trust.enabled": false, "workbench.startupEditor": "none" }' > "$data/User/settings.json"
fi

port="${PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
workspace="$root/examples"
payload=$(node -e '
  const [port, ext] = process.argv.slice(1);
  const p = [["extensionDevelopmentPath", `vscode-remote://127.0.0.1:${port}${ext}`], ["skipWelcome", "true"]];
  process.stdout.write(encodeURIComponent(JSON.stringify(p)));' "$port" "$root")
url="http://127.0.0.1:$port/?folder=$(node -p 'encodeURIComponent(process.argv[1])' "$workspace")&payload=$payload"

echo
echo "Kube Workbench is starting in VS Code (code-server) on 127.0.0.1:$port"
echo "Open: $url"
echo
exec node "$code_server" --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --user-data-dir "$data" --extensions-dir "$extensions" "$workspace"
