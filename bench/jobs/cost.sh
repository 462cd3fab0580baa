#!/usr/bin/env bash
# What one lifecycle costs (bench/jobs/cost.py): its own stack with PostgreSQL preloading pg_stat_statements, 2
# workers (PROVISIONER_WORKERS), the simulated cloud at zero boot, configure and shutdown time, rate limits raised;
# 20 clients looping for SECONDS after a 10 s warm-up. Prints the JSON of cost.py; stops what it started.
#   bench/jobs/cost.sh [seconds, default 20] [clients, default 20]
# Ports as bench/perf/run.sh: BENCH_PG_PORT, BENCH_API_URL, BENCH_WORKER_PORT_BASE.
# Its PostgreSQL keeps its own data directory (.local/pg-bench-cost): the statement statistics it preloads cost
# CPU, which bench/perf/run.sh's figures must not carry.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
seconds=${1:-20}
clients=${2:-20}
export PROVISIONER_PG_PORT=${BENCH_PG_PORT:-55474} PROVISIONER_PG_DIR="$repo/.local/pg-bench-cost"
export PROVISIONER_API_URL=${BENCH_API_URL:-http://127.0.0.1:5680} PROVISIONER_WORKER_PORT_BASE=${BENCH_WORKER_PORT_BASE:-5690}
export RateLimits__PermitsPerSecond=100000 RateLimits__Burst=100000
export Providers__Simulated__BootTime=00:00:00 Providers__Simulated__ConfigureTime=00:00:00 Providers__Simulated__ShutdownTime=00:00:00
# Nor the workers' cloud call rate (20 a second per worker by default: 13.3 lifecycles a second with two workers).
export Resilience__Providers__SIMULATED__CallsPerSecond=10000
dsn="postgresql://postgres@127.0.0.1:$PROVISIONER_PG_PORT/provisioner"
PATH="$(ls -d /usr/lib/postgresql/*/bin | tail -1):$PATH"
trap 'deploy/local/down.sh >/dev/null 2>&1 || true' EXIT

deploy/local/down.sh >/dev/null 2>&1 || true
deploy/local/postgres.sh start >/dev/null
if [ "$(psql "postgresql://postgres@127.0.0.1:$PROVISIONER_PG_PORT/postgres" -Atc 'SHOW shared_preload_libraries')" != pg_stat_statements ]; then
  psql "postgresql://postgres@127.0.0.1:$PROVISIONER_PG_PORT/postgres" -qc "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
  deploy/local/postgres.sh stop >/dev/null
fi
PROVISIONER_WORKERS=${PROVISIONER_WORKERS:-2} deploy/local/up.sh >/dev/null
psql "$dsn" -qc 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'
# shellcheck disable=SC1091
. .local/dev-keys.env
python3 bench/jobs/lifecycle.py "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$dsn" throughput "$clients" 10 >/dev/null
procs=()
for f in .local/run/*.pid; do procs+=("$(basename "$f" .pid)=$(cat "$f")"); done
python3 bench/jobs/cost.py "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$dsn" "$PROVISIONER_PG_DIR/data" "$clients" "$seconds" "${procs[@]}"
