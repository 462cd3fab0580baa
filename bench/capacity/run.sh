#!/usr/bin/env bash
# The burst benchmark (issue 22): 60 creates at once against the simulated cloud enforcing EC2's RunInstances bucket
# (5 burst, 2/s refill), with the shared API budgets off (as before them) and on, with 1 and with 3 workers. Reports
# throttled RunInstances calls per launch (goal 0) and the time to the last READY against the bucket's floor (the
# time the bucket needs to let 60 launches through: (60 - 5) / 2 = 27.5 s; goal at most 1.1 x the floor). Machines
# boot instantly, so the floor is the bucket's alone. Writes its section of docs/benchmarks.md. About five minutes.
#   bench/capacity/run.sh [creates, default 60]
# Runs its own stack on its own ports (PostgreSQL 55465, API 5480, workers 5491...) so it can run beside another.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
creates=${1:-60}
export PROVISIONER_PG_PORT=${BENCH_PG_PORT:-55465} PROVISIONER_PG_DIR="$repo/.local/pg-bench-capacity"
export PROVISIONER_API_URL=${BENCH_API_URL:-http://127.0.0.1:5480} PROVISIONER_WORKER_PORT_BASE=${BENCH_WORKER_PORT_BASE:-5490}
export RateLimits__PermitsPerSecond=100000 RateLimits__Burst=100000
export Providers__Simulated__BootTime=00:00:00 Providers__Simulated__ConfigureTime=00:00:00 Providers__Simulated__ShutdownTime=00:00:00
# The strict cloud: EC2's RunInstances bucket, per region, shared by every process using the simulated cloud.
export Providers__Simulated__ApiLimits__RunInstances__Capacity=5 Providers__Simulated__ApiLimits__RunInstances__RefillPerSecond=2
# Our budget for the same account: the published limit, as the defaults give it for AWS.
export Resilience__Budgets__Providers__SIMULATED__Actions__RunInstances__Capacity=5
export Resilience__Budgets__Providers__SIMULATED__Actions__RunInstances__RefillPerSecond=2
dsn="postgresql://postgres@127.0.0.1:$PROVISIONER_PG_PORT/provisioner"
PATH="$(ls -d /usr/lib/postgresql/*/bin | tail -1):$PATH"
results=$(mktemp -d)
trap 'deploy/local/down.sh >/dev/null 2>&1 || true; rm -rf "$results"' EXIT

bench() { # workers, budgets on?, name
  local workers=$1 budgets=$2 name=$3
  deploy/local/down.sh --keep-db >/dev/null 2>&1 || true
  Resilience__Budgets__Enabled=$budgets PROVISIONER_WORKERS=$workers deploy/local/up.sh >/dev/null
  # shellcheck disable=SC1091
  . .local/dev-keys.env
  # The buckets start full for every run, as after a quiet spell.
  psql "$dsn" -qAtc "DELETE FROM simulated_cloud.api_buckets; DELETE FROM provisioner.cloud_api_budgets" >/dev/null
  python3 bench/capacity/burst.py "$PROVISIONER_API_URL" "$PROVISIONER_API_KEY" "$dsn" "$creates" > "$results/$name.json"
  echo "bench/capacity: $name: $(cat "$results/$name.json")"
}

bench 1 false off1
bench 3 false off3
bench 1 true on1
bench 3 true on3

mkdir -p docs
section=$(python3 - "$results" "$creates" <<'PY'
import json, os, platform, sys, datetime
r = {n[:-5]: json.load(open(os.path.join(sys.argv[1], n))) for n in os.listdir(sys.argv[1])}
creates = int(sys.argv[2])
floor = (creates - 5) / 2
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
load = open("/proc/loadavg").read().split()[0]
print("<!-- bench/capacity -->")
print("## Burst of creates against EC2's RunInstances bucket\n")
print(f"Run by `bench/capacity/run.sh` on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores ({cpu}), "
      f"{platform.system()} {platform.release()}, load average {load} at the end. {creates} creates sent at once to the API "
      "(`deploy/local/up.sh`: API, workers, PostgreSQL on one machine); the simulated cloud enforces EC2's RunInstances "
      "bucket (5 burst, 2/s refill) and boots machines instantly, so the bucket's floor, the least time in which it lets "
      f"{creates} launches through, is ({creates} − 5) / 2 = **{floor:.1f} s**. Throttled calls are the cloud's "
      "`RequestLimitExceeded` answers, counted by its bucket; budget deferrals are launches our shared budget re-ran "
      "later instead of waiting in place.\n")
print("| shared budgets | workers | READY | RunInstances calls | throttled | throttled per launch (goal 0) | last READY after | × floor (goal ≤ 1.1) | budget deferrals |")
print("|---|---|---|---|---|---|---|---|---|")
for name, label, workers in [("off1", "off (as before)", 1), ("off3", "off (as before)", 3), ("on1", "on", 1), ("on3", "on", 3)]:
    x = r[name]
    print(f"| {label} | {workers} | {x['ready']}/{x['creates']} | {x['run_instances_calls']} | {x['throttled_calls']} | "
          f"{x['throttled_per_launch']} | {x['seconds_to_last_ready']} s | {x['seconds_to_last_ready'] / floor:.2f} | {x['budget_deferrals']} |")
errors = sum(len(x["errors"]) for x in r.values())
print(f"\nCreate errors: {errors}. The load average above says whether other work shared the 2 cores (times grow with "
      "it; the throttle counts do not depend on load). Re-run with `bench/capacity/run.sh` (one command, about five minutes).")
print("<!-- /bench/capacity -->")
PY
)
# Replace this benchmark's section of docs/benchmarks.md (or add it), leaving the rest as bench/jobs wrote it.
touch docs/benchmarks.md
python3 - "$section" <<'PY'
import re, sys
path, section = "docs/benchmarks.md", sys.argv[1]
text = open(path).read()
pattern = re.compile(r"<!-- bench/capacity -->.*?<!-- /bench/capacity -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
echo "bench/capacity: written to docs/benchmarks.md"
