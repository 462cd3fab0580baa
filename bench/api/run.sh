#!/usr/bin/env bash
# API throughput and latency on this machine, with wrk on loopback against the real stack (API, 1 worker,
# PostgreSQL, simulated cloud). Writes bench/results/api-<date>.md. Not part of the test suite.
#   bench/api/run.sh [seconds per run, default 15]
# It raises the per-key rate limit for the run (the limiter would otherwise answer most requests with 429).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
duration=${1:-15}
command -v wrk >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }

export RateLimits__PermitsPerSecond=100000 RateLimits__Burst=100000
PROVISIONER_WORKERS=1 deploy/local/up.sh >/dev/null
trap 'deploy/local/down.sh >/dev/null' EXIT
# shellcheck disable=SC1091
. .local/dev-keys.env
api=http://127.0.0.1:5080
auth="Authorization: Bearer $PROVISIONER_API_KEY"
body='{"userId":"bench","config":{"provider":"SIMULATED","instanceType":"sim.gpu.small","region":"sim-local-1","diskSizeGB":30,"autoTerminateMinutes":5}}'
id=$(curl -s -X POST "$api/api/instances" -H "$auth" -H 'content-type: application/json' -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["instance"]["id"])')

cat > /tmp/provisioner-bench-post.lua <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $PROVISIONER_API_KEY"
LUA

run() { # name, wrk arguments...
  local name=$1; shift
  wrk -t2 -c32 -d2s "$@" >/dev/null 2>&1 # warm-up, not counted
  local out; out=$(wrk -t2 -c32 -d"${duration}s" --latency "$@")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

mkdir -p bench/results
report=bench/results/api-$(date -u +%Y%m%d-%H%M).md
{
  echo "# API on $(nproc) cores, $(date -u +%FT%TZ), ${duration}s per run, wrk -t2 -c32"
  echo
  echo "| request | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|"
  run "GET /health/live" "$api/health/live"
  run "GET /api/instance-types" -H "$auth" "$api/api/instance-types"
  run "GET /api/instances/{id}" -H "$auth" "$api/api/instances/$id"
  run "GET /api/instances?limit=50" -H "$auth" "$api/api/instances?limit=50"
  run "POST /api/instances (row + its outbox work, one transaction)" -s /tmp/provisioner-bench-post.lua "$api/api/instances"
  echo
  echo "API RSS after the runs: $(awk '/VmRSS/ {print $2, $3}' "/proc/$(cat .local/run/api.pid)/status")"
} | tee "$report"
