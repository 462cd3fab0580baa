#!/usr/bin/env python3
"""The figures of bench/perf/run.sh that bench/jobs/lifecycle.py does not give. Prints JSON.
  measure.py idle SECONDS PG_DATA_DIR NAME=PID...      CPU of each process (PostgreSQL: its postmaster and every backend)
                                                       in IDLE_WINDOWS windows (default 3) of SECONDS each, the first
                                                       IDLE_SETTLE seconds (default 75) after the call left out
  measure.py deadline API_URL API_KEY PSQL_DSN COUNT   auto-terminate deadline -> terminate call, in ms
  measure.py rss NAME=PID...                           resident memory of each process, in MB
  measure.py get URL PG_DATA_DIR SERVER_PID [HEADER]   wrk -t2 -c32 on URL: requests/s, and the CPU each request cost
                                                       the server process and PostgreSQL, in microseconds
  measure.py cpu PG_DATA_DIR NAME=PID...               CPU each process has used so far (PostgreSQL: its postmaster,
                                                       every backend and the backends it reaped), in ms: taken before
                                                       and after a throughput window, their difference over the
                                                       window's lifecycles is what a lifecycle cost the stack

idle: utime + stime from /proc over SECONDS, as % of one core. PostgreSQL's backends come and go, so it sums the
postmaster and its live children at both ends and adds the time of children reaped in between (the postmaster's
cutime + cstime). The first minute after ready is not idling: each worker's tiered JIT alone takes about 0.9% of a
core then, and the recurring jobs' first runs fall in it, so the windows start IDLE_SETTLE seconds later; each
window's figures are kept, and percent_of_one_core is their median per process (the total: the median window's).

deadline: creates COUNT instances, waits for them READY, then moves each one's auto-terminate deadline (the record
and its pending outbox row, not yet handed off: the deadline is minutes away) to a few seconds ahead, spread over
fractions of a second so rounding shows. Lateness is the simulated cloud's terminate_requested_at (the terminate
call as the cloud saw it) minus the deadline.
"""
import json, os, subprocess, sys, time, urllib.request, uuid

TICKS = os.sysconf("SC_CLK_TCK")


def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3); utime, stime, cutime, cstime are fields 14-17.
    return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]), int(fields[1])


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if stat(d)[2] == ppid:
                    out.append(int(d))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return out


def pg_ticks(postmaster):
    own, reaped, _ = stat(postmaster)
    total = own + reaped
    for c in children(postmaster):
        try:
            total += stat(c)[0]
        except FileNotFoundError:
            pass
    return total


def idle_window(seconds, postmaster, pids):
    before = {n: stat(p)[0] for n, p in pids.items()}
    pg_before = pg_ticks(postmaster)
    t0 = time.monotonic()
    time.sleep(seconds)
    wall = time.monotonic() - t0
    after = {n: stat(p)[0] for n, p in pids.items()}
    pg_after = pg_ticks(postmaster)
    pct = {n: round(100 * (after[n] - before[n]) / TICKS / wall, 2) for n in pids}
    pct["postgresql"] = round(100 * (pg_after - pg_before) / TICKS / wall, 2)
    pct["total"] = round(sum(pct.values()), 2)
    return round(wall, 1), pct


def idle(seconds, pgdir, procs):
    settle = float(os.environ.get("IDLE_SETTLE", "75"))
    count = int(os.environ.get("IDLE_WINDOWS", "3"))
    postmaster = int(open(os.path.join(pgdir, "postmaster.pid")).readline())
    pids = dict(p.split("=") for p in procs)
    time.sleep(settle)
    windows = [idle_window(seconds, postmaster, pids) for _ in range(count)]
    median = lambda xs: sorted(xs)[len(xs) // 2]
    pct = {n: median([w[1][n] for w in windows]) for n in windows[0][1]}
    pct["total"] = median([w[1]["total"] for w in windows])
    return {"seconds": windows[0][0], "settle_seconds": settle, "windows": [w[1] for w in windows],
            "percent_of_one_core": pct}


def cpu(pgdir, procs):
    postmaster = int(open(os.path.join(pgdir, "postmaster.pid")).readline())
    used = {n: stat(p)[0] for n, p in (x.split("=") for x in procs)}
    used["postgresql"] = pg_ticks(postmaster)
    return {n: round(1000 * t / TICKS) for n, t in used.items()}


def sql(dsn, query):
    out = subprocess.run(["psql", dsn, "-Atc", query], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.strip().splitlines() if line]


def pct(values, p):
    s = sorted(values)
    return round(s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))], 1)


def deadline(api, key, dsn, count):
    body = json.dumps({"userId": "bench-deadline-" + uuid.uuid4().hex[:8], "config": {
        "provider": "SIMULATED", "instanceType": "sim.gpu.small", "region": "sim-local-1", "diskSizeGB": 30,
        "autoTerminateMinutes": 5}}).encode()
    ids = []
    for _ in range(count):
        req = urllib.request.Request(api + "/api/instances", data=body, method="POST", headers={
            "Authorization": "Bearer " + key, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            ids.append(json.loads(r.read())["instance"]["id"])
    id_list = ",".join(f"'{i}'" for i in ids)
    end = time.monotonic() + 120
    while int(sql(dsn, f"SELECT count(*) FROM provisioner.instances WHERE id IN ({id_list}) AND status = 'READY'")[0][0]) < count:
        if time.monotonic() > end:
            raise SystemExit("instances not READY within 120 s")
        time.sleep(0.2)
    # Deadlines 3 s to 3 s + count × 0.37 s ahead: fractions of a second spread over the whole second.
    moves = "; ".join(
        f"UPDATE provisioner.instances SET auto_terminate_at = now() + interval '{3 + 0.37 * n:.3f} seconds' WHERE id = '{i}'; "
        f"UPDATE provisioner.pending_work SET run_at = now() + interval '{3 + 0.37 * n:.3f} seconds' "
        f"WHERE instance_id = '{i}' AND kind = 'AutoTerminate' AND job_id IS NULL"
        for n, i in enumerate(ids))
    # With the notification every writer of the outbox sends on commit.
    sql(dsn, "BEGIN; " + moves + "; NOTIFY provisioner_work; COMMIT")
    query = (f"SELECT 1000 * extract(epoch FROM m.terminate_requested_at - i.auto_terminate_at) FROM provisioner.instances i "
             f"JOIN simulated_cloud.machines m ON m.tags ->> 'provisioner:instance-id' = i.id::text "
             f"WHERE i.id IN ({id_list}) AND m.terminate_requested_at IS NOT NULL")
    end = time.monotonic() + 60 + 0.37 * count
    while True:
        late = [float(r[0]) for r in sql(dsn, query)]
        if len(late) >= count or time.monotonic() > end:
            break
        time.sleep(0.5)
    return {"n": len(late), "expected": count, "p50": pct(late, 50), "p99": pct(late, 99), "max": round(max(late), 1),
            "min": round(min(late), 1)}


def rss(procs):
    out = {}
    for name, pid in (p.split("=") for p in procs):
        kb = next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS"))
        out[name] = round(kb / 1024, 1)
    return out


def get(url, pgdir, server, header=None):
    """Requests/s move with whatever else the machine runs; CPU per request (utime + stime of the server and of
    PostgreSQL over the run, divided by the requests served) is the server's own cost, so it compares runs taken
    under different loads. A 10 s warm-up first: on a loaded machine the first seconds still run unoptimised code."""
    args = ["wrk", "-t2", "-c32"] + (["-H", header] if header else [])
    subprocess.run(args + ["-d10s", url], check=True, capture_output=True)
    postmaster = int(open(os.path.join(pgdir, "postmaster.pid")).readline())
    before, pg_before = stat(server)[0], pg_ticks(postmaster)
    out = subprocess.run(args + ["-d10s", url], check=True, capture_output=True, text=True).stdout
    after, pg_after = stat(server)[0], pg_ticks(postmaster)
    requests = int(next(l for l in out.splitlines() if " requests in " in l).split()[0])
    rps = float(next(l for l in out.splitlines() if l.startswith("Requests/sec")).split()[1])
    non2xx = next((int(l.split()[-1]) for l in out.splitlines() if "Non-2xx" in l), 0)
    per = lambda ticks: round(1e6 * ticks / TICKS / max(requests, 1), 1)
    return {"rps": rps, "requests": requests, "non_2xx": non2xx,
            "cpu_us_per_request": {"server": per(after - before), "postgresql": per(pg_after - pg_before)}}


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "idle":
        print(json.dumps(idle(float(sys.argv[2]), sys.argv[3], sys.argv[4:])))
    elif what == "deadline":
        print(json.dumps(deadline(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))))
    elif what == "get":
        print(json.dumps(get(*sys.argv[2:])))
    elif what == "cpu":
        print(json.dumps(cpu(sys.argv[2], sys.argv[3:])))
    elif what == "rss":
        print(json.dumps(rss(sys.argv[2:])))
    else:
        raise SystemExit(__doc__)
