#!/usr/bin/env bash
# Warm pools (issue 25): POST → READY with the simulated cloud at a 20 s boot, paced creates (one every 2 s), without a
# pool and with one sized for the load (12 machines: the rate × (boot + refill period) with room to spare), and the
# pool's hit rate. Writes its section of docs/benchmarks.md. About four minutes.
#   bench/pools/run.sh [creates, default 30] [seconds between creates, default 2] [pool size, default 12]
# Runs its own stack on its own ports (PostgreSQL 55467, API 5580, workers 5591...) so it can run beside another.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
creates=${1:-30}
interval=${2:-2}
size=${3:-12}
export PROVISIONER_PG_PORT=${BENCH_PG_PORT:-55467} PROVISIONER_PG_DIR="$repo/.local/pg-bench-pools"
export PROVISIONER_API_URL=${BENCH_API_URL:-http://127.0.0.1:5580} PROVISIONER_WORKER_PORT_BASE=${BENCH_WORKER_PORT_BASE:-5590}
export RateLimits__PermitsPerSecond=100000 RateLimits__Burst=100000
export Providers__Simulated__BootTime=00:00:20 Providers__Simulated__ConfigureTime=00:00:00 Providers__Simulated__ShutdownTime=00:00:00
export Pools__RefillInterval=00:00:01
dsn="postgresql://postgres@127.0.0.1:$PROVISIONER_PG_PORT/provisioner"
PATH="$(ls -d /usr/lib/postgresql/*/bin | tail -1):$PATH"
results=$(mktemp -d)
trap 'deploy/local/down.sh >/dev/null 2>&1 || true; rm -rf "$results"' EXIT

deploy/local/down.sh --keep-db >/dev/null 2>&1 || true
PROVISIONER_WORKERS=2 deploy/local/up.sh >/dev/null
# shellcheck disable=SC1091
. .local/dev-keys.env
for mode in cold warm; do
  python3 bench/pools/paced.py "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$PROVISIONER_ADMIN_KEY" "$dsn" "$mode" "$creates" "$interval" "$size" > "$results/$mode.json"
  echo "bench/pools: $mode: $(cat "$results/$mode.json")"
done

mkdir -p docs
# Replaces this benchmark's section of docs/benchmarks.md (or adds it), leaving the rest as it is.
python3 bench/pools/section.py "$results"
echo "bench/pools: written to docs/benchmarks.md"
