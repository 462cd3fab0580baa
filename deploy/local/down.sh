#!/usr/bin/env bash
# Stops what deploy/local/up.sh started: the API and the workers, then the private PostgreSQL.
#   deploy/local/down.sh [--keep-db]
#     --keep-db   leave PostgreSQL running (quicker restarts; the data survives either way)
# Settings (environment): PROVISIONER_PG_PORT / PROVISIONER_PG_DIR, handed to postgres.sh;
#   PROVISIONER_STOP_TIMEOUT  seconds to let the processes drain before SIGKILL (default 35)
# Idempotent: with nothing running it only says so.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
run=$repo/.local/run
# The workers give in-flight jobs up to 30 s (Worker:ShutdownTimeout) to finish; allow a little more.
stop_timeout=${PROVISIONER_STOP_TIMEOUT:-35}

keep_db=false
for arg in "$@"; do
  case "$arg" in
    --keep-db) keep_db=true ;;
    *) echo "usage: $0 [--keep-db]" >&2; exit 2 ;;
  esac
done

say() { echo "down.sh: $*"; }

# Pids get reused after a crash or reboot; only signal a process that is still one of ours.
ours() {
  kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q Provisioner
}

# SIGTERM everything first and then wait once, so the drains run in parallel rather than one by one.
declare -A pids=()
for f in "$run"/*.pid; do
  [ -e "$f" ] || continue
  pid=$(cat "$f" 2>/dev/null || true)
  name=$(basename "$f" .pid)
  if [ -n "$pid" ] && ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    pids[$name]=$pid
  else
    rm -f "$f"
  fi
done

if [ ${#pids[@]} -eq 0 ]; then
  say "no API or worker processes running"
else
  say "stopping ${!pids[*]} (up to ${stop_timeout}s to drain)..."
  deadline=$((SECONDS + stop_timeout))
  while :; do
    left=()
    for name in "${!pids[@]}"; do ours "${pids[$name]}" && left+=("$name"); done
    [ ${#left[@]} -eq 0 ] && break
    if [ $SECONDS -ge $deadline ]; then
      say "still running after ${stop_timeout}s, killing: ${left[*]}"
      for name in "${left[@]}"; do kill -KILL "${pids[$name]}" 2>/dev/null || true; done
      break
    fi
    sleep 0.5
  done
  for name in "${!pids[@]}"; do rm -f "$run/$name.pid"; done
  say "stopped"
fi

if $keep_db; then
  say "leaving PostgreSQL running (--keep-db)"
else
  "$here/postgres.sh" stop
fi
