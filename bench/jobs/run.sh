#!/usr/bin/env bash
# The job engine's overhead on this machine, end to end through the real stack (API, workers, PostgreSQL), with
# the simulated cloud at zero boot, configure and shutdown time so what remains is ours and Hangfire's.
# Writes docs/benchmarks.md. Not part of the test suite.
#   bench/jobs/run.sh [serial lifecycles, default 40] [seconds of throughput per worker count, default 20]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
serial=${1:-40}
seconds=${2:-20}
export RateLimits__PermitsPerSecond=100000 RateLimits__Burst=100000
export Providers__Simulated__BootTime=00:00:00 Providers__Simulated__ConfigureTime=00:00:00 Providers__Simulated__ShutdownTime=00:00:00
dsn="postgresql://postgres@127.0.0.1:${PROVISIONER_PG_PORT:-55432}/provisioner"
PATH="$(ls -d /usr/lib/postgresql/*/bin | tail -1):$PATH"
results=$(mktemp -d)
trap 'deploy/local/down.sh >/dev/null 2>&1 || true; rm -rf "$results" "$results.section.md"' EXIT

bench() { # workers, name, scenario arguments...
  local workers=$1 name=$2; shift 2
  deploy/local/down.sh --keep-db >/dev/null 2>&1 || true
  PROVISIONER_WORKERS=$workers deploy/local/up.sh >/dev/null
  # shellcheck disable=SC1091
  . .local/dev-keys.env
  python3 bench/jobs/lifecycle.py http://127.0.0.1:5080 "$PROVISIONER_API_KEY" "$dsn" "$@" > "$results/$name.json"
  echo "bench/jobs: $name done: $(cat "$results/$name.json" | cut -c1-160)..."
}

bench 2 serial serial "$serial"
bench 2 burst50 burst 50 4
bench 2 paced50 paced 50 10 1000
bench 1 throughput1 throughput 20 "$seconds"
bench 2 throughput2 throughput 20 "$seconds"

mkdir -p docs
section_file="$results.section.md"
# Only this script's section (between <!-- bench/jobs --> and <!-- /bench/jobs -->, or, in a file written before
# those markers, all that comes before the first other benchmark's section) is replaced: every other benchmark's
# section, and any text written after them, stays as it is.
python3 - "$results" > "$section_file" <<'PY'
import json, os, platform, subprocess, sys, datetime
r = {n[:-5]: json.load(open(os.path.join(sys.argv[1], n))) for n in os.listdir(sys.argv[1])}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
def row(label, s, key, target=""):
    v = s[key]
    return f"| {label} | {v['n']} | {v['p50']} | {v['p95']} | {v['p99']} | {v['max']} | {target} |"
print("# Benchmarks: the job engine end to end\n")
print(f"Run by `bench/jobs/run.sh` on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores ({cpu}), "
      f"{platform.system()} {platform.release()}. The stack is `deploy/local/up.sh`: the API, the workers and PostgreSQL on one "
      "machine, the simulated cloud at zero boot, configure and shutdown time, rate limits raised. Latencies in ms; "
      "POST → READY and DELETE → TERMINATED from the records' own timestamps, POST as the client saw it, Hangfire's "
      "pickup (enqueued → processing) of the same launches from its state table, so our overhead reads against it.\n")
print("| figure | samples | p50 | p95 | p99 | max | target |\n|---|---|---|---|---|---|---|")
s, c = r["serial"], r["burst50"]
print(row("POST → READY, 1 client", s, "post_to_ready_ms", "p50 ≤ 100, p99 ≤ 500"))
print(row("DELETE → TERMINATED, 1 client", s, "delete_to_terminated_ms", "p50 ≤ 100"))
print(row("Hangfire pickup of the launch, 1 client", s, "hangfire_pickup_ms"))
print(row("POST, 1 client", s, "post_ms"))
print(row("POST → READY, 50 clients creating at once", c, "post_to_ready_ms"))
print(row("POST, 50 clients", c, "post_ms"))
print(row("DELETE → TERMINATED, 50 clients deleting at once", c, "delete_to_terminated_ms"))
print(row("Hangfire pickup of the launch, 50 clients", c, "hangfire_pickup_ms"))
p = r["paced50"]
print(row("POST, 50 clients each creating once a second", p, "post_ms", "p50 ≤ 25"))
print(row("POST → READY, 50 clients each creating once a second", p, "post_to_ready_ms", "p50 ≤ 300"))
print(row("Hangfire pickup of the launch, 50 clients once a second", p, "hangfire_pickup_ms"))
t1, t2 = r["throughput1"], r["throughput2"]
print("\nThe 50-client rows come from a burst: 50 threads each POST 4 creates back to back (200 in all) without polling, "
      "then all are awaited and deleted the same way; POST is what the clients saw.")
print(f"\nThroughput, 20 clients each running create → ready → delete → terminated in a loop (polling every 20 ms): "
      f"**{t1['lifecycles_per_second']} lifecycles/s with 1 worker**, **{t2['lifecycles_per_second']} with 2** "
      f"({t1['lifecycles']} and {t2['lifecycles']} lifecycles). Errors: {sum(len(x['errors']) for x in r.values())}.")
PY
cat bench/jobs/reading.md >> "$section_file"
touch docs/benchmarks.md
python3 - "$section_file" <<'PY'
import re, sys
path = "docs/benchmarks.md"
text, section = open(path).read(), open(sys.argv[1]).read().rstrip("\n")
block = f"<!-- bench/jobs -->\n{section}\n<!-- /bench/jobs -->\n"
own = re.compile(r"<!-- bench/jobs -->.*?<!-- /bench/jobs -->\n?", re.S)
if own.search(text):
    text = own.sub(lambda _: block, text)
else:
    other = re.search(r"^<!-- bench/", text, re.M)
    text = block + ("\n" + text[other.start():] if other else "")
open(path, "w").write(text)
PY
cat docs/benchmarks.md
