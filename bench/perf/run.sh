#!/usr/bin/env bash
# Issue 24's table in one command: what the whole stack costs doing nothing, and how it keeps up under load, each
# figure beside its anchor measured in the same run. On its own stack and ports (PostgreSQL 55474, API 5680,
# workers 5691...), the simulated cloud at zero boot, configure and shutdown time, rate limits raised (the API's and
# the workers' cloud call rate), the workers at deploy/local's Worker:Nice. Writes its
# section of docs/benchmarks.md (the other sections are kept). About sixteen minutes on a quiet machine.
#   bench/perf/run.sh [idle seconds, default 60] [seconds of each of the three throughput windows per worker count, default 20]
# Figures:
#   idle CPU      /proc utime+stime of the API, each worker and PostgreSQL (postmaster and backends), three windows
#                 of 60 s with no requests, starting 75 s after ready (JIT and the first recurring runs done); each
#                 window and the median, % of one core (bench/perf/measure.py idle; IDLE_SETTLE, IDLE_WINDOWS)
#   1 client      bench/jobs/lifecycle.py serial 20: POST -> READY with the stack otherwise idle
#   50 clients    bench/jobs/lifecycle.py burst 50 4: 50 clients each POSTing 4 times back to back (a closed loop:
#                 its p50 is about 50 / the API's create throughput): POST as the client saw it, POST -> READY from
#                 the records, Hangfire's own pickup of the same launches (its state table) as the anchor
#   at once       bench/jobs/lifecycle.py at-once 50 5: 50 clients each sending one POST at the same moment, 5 rounds
#                 with the stack settled between them (all READY, deleted, TERMINATED, 2 s): the issue's "50 clients
#                 creating at once": POST as the client saw it, and POST -> READY from the records
#   throughput    bench/jobs/lifecycle.py throughput, 20 clients each waiting with held reads (If-None-Match + Prefer:
#                 wait), with 1 and then 2 workers, each after 30 s unmeasured: three windows back to back and their
#                 median (one window on this VM moved 24-61 at the same code); then with 2 workers the clients polling
#                 every 20 ms instead (throughput-polling), as clients waited before held reads
#   GET           wrk -t2 -c32 on GET /api/instances/{id} and on bench/perf/BareRead (Kestrel + Npgsql reading the
#                 same row) alternately, twice each, same row, same run: requests/s, and the CPU each request cost
#                 the serving process and PostgreSQL (/proc, bench/perf/measure.py get), which other load moves far less
#   deadline      bench/perf/measure.py deadline: auto-terminate deadline -> the simulated cloud's terminate call
#   memory        RSS of the API and of worker 1 after all of the above
# The load average is recorded at the start and the end: other work on the machine inflates latencies, not the
# idle CPU of our own processes.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
idle_seconds=${1:-60}
seconds=${2:-20}
command -v wrk >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
export PROVISIONER_PG_PORT=${BENCH_PG_PORT:-55474} PROVISIONER_PG_DIR="$repo/.local/pg-bench-perf"
export PROVISIONER_API_URL=${BENCH_API_URL:-http://127.0.0.1:5680} PROVISIONER_WORKER_PORT_BASE=${BENCH_WORKER_PORT_BASE:-5690}
export RateLimits__PermitsPerSecond=100000 RateLimits__Burst=100000
export Providers__Simulated__BootTime=00:00:00 Providers__Simulated__ConfigureTime=00:00:00 Providers__Simulated__ShutdownTime=00:00:00
# The workers' own cloud call rate too (Resilience:...:CallsPerSecond, 20 per worker by default), as the API's: a
# lifecycle makes three cloud calls (launch, terminate, the look after it), so at 20 per worker two workers stopped at
# 13.3 lifecycles a second with half the CPU idle. The figure is the stack's own capacity, not a rate we set.
export Resilience__Providers__SIMULATED__CallsPerSecond=10000
bare_url=${BENCH_BARE_URL:-http://127.0.0.1:5679}
dsn="postgresql://postgres@127.0.0.1:$PROVISIONER_PG_PORT/provisioner"
PATH="$(ls -d /usr/lib/postgresql/*/bin | tail -1):$PATH"
results=$(mktemp -d)
bare_pid=
cleanup() {
  [ -z "$bare_pid" ] || kill "$bare_pid" 2>/dev/null || true
  deploy/local/down.sh >/dev/null 2>&1 || true
  rm -rf "$results"
}
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load_start=\"$(load)\"" > "$results/load.env"

up() { # workers
  deploy/local/down.sh --keep-db >/dev/null 2>&1 || true
  PROVISIONER_WORKERS=$1 deploy/local/up.sh >/dev/null
  # shellcheck disable=SC1091
  . .local/dev-keys.env
}
pids() { # NAME=PID for the API and every worker running
  for f in .local/run/*.pid; do printf '%s=%s ' "$(basename "$f" .pid)" "$(cat "$f")"; done
}

dotnet build bench/perf/BareRead -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

# ---- 2 workers: idle, 50 clients, GET, deadline, memory -----------------------------------------------------------
up 2
# What the workers run at, read from the process (Worker:Nice; deploy/local/up.sh's default unless the caller set one).
echo "worker_nice=$(ps -o ni= -p "$(cat .local/run/worker-1.pid)" | tr -d ' ')" >> "$results/load.env"
# Instances an earlier run left live (its throughput windows end mid-lifecycle; its read row lives an hour) would be
# watched, swept and billed through the idle windows: ended first, through the API, so the stack has nothing to do.
live() { psql "$dsn" -Atc "SELECT id FROM provisioner.instances WHERE status NOT IN ('TERMINATED', 'FAILED')"; }
for id in $(live); do
  curl -fsS -o /dev/null -X DELETE "$PROVISIONER_API_URL/api/instances/$id" -H "Authorization: Bearer $PROVISIONER_API_KEY" || true
done
for _ in $(seq 1 600); do [ -z "$(live)" ] && break; sleep 0.2; done
echo "left_live=$(live | wc -l)" >> "$results/load.env"
# Start-up work (recurring job registration, the first sweeps, JIT) is not idling: measure.py waits it out.
# shellcheck disable=SC2046
python3 bench/perf/measure.py idle "$idle_seconds" "$PROVISIONER_PG_DIR/data" $(pids) > "$results/idle.json"
echo "bench/perf: idle: $(cat "$results/idle.json")"

python3 bench/jobs/lifecycle.py "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$dsn" serial 20 > "$results/serial.json"
echo "bench/perf: serial: $(cut -c1-200 "$results/serial.json")..."
python3 bench/jobs/lifecycle.py "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$dsn" burst 50 4 > "$results/burst50.json"
echo "bench/perf: burst50: $(cut -c1-200 "$results/burst50.json")..."
python3 bench/jobs/lifecycle.py "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$dsn" at-once 50 5 > "$results/atonce50.json"
echo "bench/perf: at once: $(cut -c1-200 "$results/atonce50.json")..."

id=$(curl -fsS -X POST "$PROVISIONER_API_URL/api/instances" -H "Authorization: Bearer $PROVISIONER_API_KEY" -H 'content-type: application/json' \
  -d '{"userId":"bench-read","config":{"provider":"SIMULATED","instanceType":"sim.gpu.small","region":"sim-local-1","diskSizeGB":30,"autoTerminateMinutes":60}}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["instance"]["id"])')
setsid dotnet bench/perf/BareRead/bin/Release/net10.0/Provisioner.Bench.BareRead.dll \
  "Host=127.0.0.1;Port=$PROVISIONER_PG_PORT;Username=postgres;Database=provisioner;Maximum Pool Size=20" --urls "$bare_url" \
  >"$results/bare.log" 2>&1 </dev/null &
bare_pid=$!
# A cold start on a loaded machine takes a while; a bare app that never answers is an error, not a zero.
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$bare_url/api/instances/$id" 2>/dev/null && break; sleep 0.2; done
curl -fsS -o /dev/null "$bare_url/api/instances/$id" || { echo "bench/perf: the bare read app does not answer:" >&2; cat "$results/bare.log" >&2; exit 1; }
api_pid=$(cat .local/run/api.pid)
for round in 1 2; do
  python3 bench/perf/measure.py get "$PROVISIONER_API_URL/api/instances/$id" "$PROVISIONER_PG_DIR/data" "$api_pid" \
    "Authorization: Bearer $PROVISIONER_API_KEY" > "$results/get-api$round.json"
  python3 bench/perf/measure.py get "$bare_url/api/instances/$id" "$PROVISIONER_PG_DIR/data" "$bare_pid" > "$results/get-bare$round.json"
done
kill "$bare_pid"; bare_pid=
echo "bench/perf: GET: $(cat "$results"/get-*.json | tr '\n' ' ')"

python3 bench/perf/measure.py deadline "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$dsn" 20 > "$results/deadline.json"
echo "bench/perf: deadline: $(cat "$results/deadline.json")"
# shellcheck disable=SC2046
python3 bench/perf/measure.py rss $(pids) > "$results/rss.json"
echo "bench/perf: rss: $(cat "$results/rss.json")"

# ---- lifecycles per second with 1 and 2 workers --------------------------------------------------------------------
# Each count of workers on a fresh stack, after 30 s of the same load unmeasured: the first seconds after a start run
# the JIT's first-tier code while it compiles the rest, and on two cores, with the workers at a lower priority, that
# takes about half a minute: 14, 39, 49, 50 lifecycles a second in four runs back to back from a start (docs/benchmarks.md).
# Three windows back to back, the median reported: on this shared 2-core VM one window moved 24-61 lifecycles a second
# at the same code (docs/benchmarks.md, "Fifth round"), so one window says more about the neighbours than the stack.
# Beside each window, what a lifecycle cost the stack in CPU (API, workers, PostgreSQL; the clients not counted): the
# same build's lifecycle costs more CPU time while the machine is slow, so that figure tells the window's pace.
# The clients wait as the .NET client and the CLI do, one held read per change (scenario throughput); then, on the
# same warm stack with 2 workers, as clients polling every 20 ms (throughput-polling, named polling2-*), the way every
# client waited before the API could hold a read: about 1,000 reads a second whatever the throughput.
throughput() { # workers [scenario name]
  local workers=$1 scenario=${2:-throughput} name=${3:-throughput} i
  [ "$scenario" != throughput ] || up "$workers"
  python3 bench/jobs/lifecycle.py "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$dsn" "$scenario" 20 30 > /dev/null
  for i in 1 2 3; do
    # shellcheck disable=SC2046
    python3 bench/perf/measure.py cpu "$PROVISIONER_PG_DIR/data" $(pids) > "$results/cpu-$name$workers-$i-before.json"
    python3 bench/jobs/lifecycle.py "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$dsn" "$scenario" 20 "$seconds" > "$results/$name$workers-$i.json"
    # shellcheck disable=SC2046
    python3 bench/perf/measure.py cpu "$PROVISIONER_PG_DIR/data" $(pids) > "$results/cpu-$name$workers-$i-after.json"
    echo "bench/perf: $scenario with $workers worker(s), window $i: $(cut -c1-200 "$results/$name$workers-$i.json")..."
  done
}
throughput 1
throughput 2
throughput 2 throughput-polling polling
echo "load_end=\"$(load)\"" >> "$results/load.env"

# ---- docs/benchmarks.md: this script's section, between its markers ----------------------------------------------
section=$(python3 bench/perf/report.py "$results")
python3 - "$section" <<'PY'
import re, sys
path, section = "docs/benchmarks.md", sys.argv[1]
text = open(path).read()
pattern = re.compile(r"<!-- bench/perf -->.*?<!-- /bench/perf -->\n?", re.S)
block = f"<!-- bench/perf -->\n{section}\n<!-- /bench/perf -->\n"
text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
open(path, "w").write(text)
PY
echo "$section"
