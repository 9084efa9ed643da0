#!/usr/bin/env bash
# Makes sure a Docker engine answers, starting `dockerd` when none runs.
# Idempotent: returns at once when the engine already answers.
#
# By default it manages the machine's engine on /var/run/docker.sock. Tests
# point it at a private engine with:
#   KW_DOCKER_SOCKET   unix socket path           (default /var/run/docker.sock)
#   KW_DOCKER_ROOT     state folder for that engine (data-root, exec-root, pidfile, log)
set -euo pipefail

SOCKET="${KW_DOCKER_SOCKET:-/var/run/docker.sock}"
ROOT="${KW_DOCKER_ROOT:-}"
export DOCKER_HOST="unix://$SOCKET"

if docker info >/dev/null 2>&1; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "No Docker engine answers on $SOCKET and dockerd is not installed." >&2
  echo "Install it with: apt-get install -y docker.io   (or start Docker Desktop)" >&2
  exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "No Docker engine answers on $SOCKET, and starting dockerd needs root." >&2
  echo "Start it with: sudo dockerd &   (or: sudo systemctl start docker)" >&2
  exit 1
fi

args=(--host "unix://$SOCKET")
if [[ -n "$ROOT" ]]; then
  # A private engine beside the machine's: its own state, no bridge or
  # firewall rules of its own, so it cannot disturb the main engine.
  mkdir -p "$ROOT"
  args+=(--data-root "$ROOT/data" --exec-root "$ROOT/exec" --pidfile "$ROOT/dockerd.pid"
    --bridge none --iptables=false --ip-masq=false)
  log="$ROOT/dockerd.log"
else
  log="${KW_DOCKER_LOG:-/var/log/kube-workbench-dockerd.log}"
fi

echo "starting dockerd (log: $log)..." >&2
# In a session of its own (setsid), so the engine outlives the shell, terminal
# or test run that started it: killing their process group leaves it running.
# The log is appended to, so an earlier engine's last words are kept.
setsid nohup dockerd "${args[@]}" >>"$log" 2>&1 </dev/null &
disown || true

for _ in $(seq 1 150); do
  if docker info >/dev/null 2>&1; then
    echo "docker engine ready on $SOCKET" >&2
    exit 0
  fi
  sleep 0.2
done
echo "dockerd did not answer within 30 s; see $log" >&2
tail -n 20 "$log" >&2 || true
exit 1
