#!/usr/bin/env python3
"""What one lifecycle costs: CPU per process, statements by source, and Hangfire jobs, over a throughput run.
Prints JSON.
  cost.py API_URL API_KEY PSQL_DSN PG_DATA_DIR CLIENTS SECONDS NAME=PID...

Runs bench/jobs/lifecycle.py throughput CLIENTS SECONDS and reads, over exactly that run: utime + stime from /proc of
each named process and of PostgreSQL (its postmaster, every backend, and backends reaped in between), the statements
PostgreSQL ran (pg_stat_statements, which the stack's PostgreSQL must preload: bench/jobs/cost.sh does), and the
Hangfire jobs, states and job-store locks made. Everything is divided by the lifecycles completed (create -> READY ->
delete -> TERMINATED), so the figures move far less with other load on the machine than lifecycles per second do.
"""
import json, os, re, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "perf"))
from measure import TICKS, pg_ticks, stat  # noqa: E402

api, key, dsn, pgdir, clients, seconds = sys.argv[1:7]
pids = dict(p.split("=") for p in sys.argv[7:])

# Where a statement comes from, by its text: first match wins.
SOURCES = [
    ("hangfire: job lock (hangfire.lock)", r'"?hangfire"?\."?lock"?'),
    ("hangfire: create job (job, parameters)", r'INSERT INTO "?hangfire"?\."?job"?\b|"?hangfire"?\."?jobparameter"?'),
    ("hangfire: state change (state, job.statename)", r'"?hangfire"?\."?state"?\b|UPDATE "?hangfire"?\."?job"? '),
    ("hangfire: queue (enqueue, fetch, keep-alive, remove)", r'"?hangfire"?\."?jobqueue"?'),
    ("hangfire: counters", r'"?hangfire"?\."?(aggregated)?counter"?'),
    ("hangfire: read job (job data, state data)", r'FROM "?hangfire"?\."?job"?\b'),
    ("hangfire: servers, sets, hashes, lists", r'"?hangfire"?\.'),
    ("wake-up notify (provisioner_jobs)", r"provisioner_jobs"),
    ("outbox: pending_work", r"pending_work|provisioner_work"),
    ("webhooks", r"webhook"),
    ("instances: read (EF Core)", r'^SELECT .*FROM provisioner\.instances'),
    ("instances: write (EF Core)", r'^(UPDATE|INSERT INTO) provisioner\.instances'),
    ("instance events / attempts / machines", r'instance_events|launch_attempts|instance_machines|provisioner\.\w*event'),
    ("transaction control", r'^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|DISCARD|SET |SHOW )'),
    ("API: keys, tenants, quotas, idempotency", r'api_keys|tenants|quota|idempotency'),
    ("capacity backoff, catalog", r'unavailable|catalog|spelling|offering'),
]


def sql(query):
    # A unit separator between columns: statements contain "|".
    out = subprocess.run(["psql", dsn, "-AtF", "\x1f", "-c", query], check=True, capture_output=True, text=True).stdout
    return [line.split("\x1f") for line in out.strip().splitlines() if line]


def source(query):
    q = query.strip()
    for name, pattern in SOURCES:
        if re.search(pattern, q, re.I | re.S):
            return name
    return "other"


postmaster = int(open(os.path.join(pgdir, "postmaster.pid")).readline())
sql("SELECT pg_stat_statements_reset()")
max_job = int(sql("SELECT coalesce(max(id), 0) FROM hangfire.job")[0][0])
before = {n: stat(p)[0] for n, p in pids.items()}
pg_before = pg_ticks(postmaster)
load_start = open("/proc/loadavg").read().split()[:3]
run = subprocess.run([sys.executable, os.path.join(here, "lifecycle.py"), api, key, dsn, "throughput", clients, seconds],
                     check=True, capture_output=True, text=True)
after = {n: stat(p)[0] for n, p in pids.items()}
pg_after = pg_ticks(postmaster)
load_end = open("/proc/loadavg").read().split()[:3]
result = json.loads(run.stdout)
n = result["lifecycles"]

cpu = {name: round(1000 * (after[name] - before[name]) / TICKS / n, 2) for name in pids}
cpu["postgresql"] = round(1000 * (pg_after - pg_before) / TICKS / n, 2)
cpu["total"] = round(sum(cpu.values()), 2)

rows = sql("SELECT calls, total_exec_time, regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements "
           "WHERE query NOT LIKE '%pg_stat_statements%'")
groups, top = {}, []
for calls, total_ms, query in rows:
    calls, total_ms = int(calls), float(total_ms)
    g = groups.setdefault(source(query), {"statements": 0.0, "exec_ms": 0.0})
    g["statements"] += calls / n
    g["exec_ms"] += total_ms / n
    top.append((calls / n, total_ms / n, source(query), query[:160]))
for g in groups.values():
    g["statements"], g["exec_ms"] = round(g["statements"], 2), round(g["exec_ms"], 3)
jobs = sql(f"SELECT count(*), coalesce(sum((SELECT count(*) FROM hangfire.state s WHERE s.jobid = j.id)), 0) FROM hangfire.job j WHERE j.id > {max_job}")[0]
kinds = sql(f"SELECT (arguments ->> 0)::jsonb ->> 'Kind', count(*) FROM hangfire.job WHERE id > {max_job} GROUP BY 1 ORDER BY 2 DESC")
params = sql(f"SELECT count(*) FROM hangfire.jobparameter WHERE jobid > {max_job}")[0][0]

print(json.dumps({
    "lifecycles": n, "lifecycles_per_second": result["lifecycles_per_second"], "errors": result["errors"],
    "load_average": {"start": load_start, "end": load_end},
    "cpu_ms_per_lifecycle": cpu,
    "statements_per_lifecycle": round(sum(g["statements"] for g in groups.values()), 1),
    "by_source": dict(sorted(groups.items(), key=lambda kv: -kv[1]["statements"])),
    "hangfire_per_lifecycle": {"jobs": round(int(jobs[0]) / n, 2), "states": round(int(jobs[1]) / n, 2),
                               "parameters": round(int(params) / n, 2),
                               "kinds": {k or "(not instance work)": round(int(c) / n, 2) for k, c in kinds}},
    "top_statements": [{"per_lifecycle": round(c, 2), "exec_ms": round(t, 3), "source": s, "query": q}
                       for c, t, s, q in sorted(top, reverse=True)[:40]],
    "post_to_ready_ms": result["post_to_ready_ms"],
}, indent=1))
