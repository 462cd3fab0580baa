#!/usr/bin/env python3
"""Drives instance lifecycles through the real API and reads what happened from the database.

Latencies come from the records' own timestamps (created_at, ready_at, stop_requested_at, terminated_at, all
written on this machine's clock), so polling for completion adds no error to them. Prints JSON.
  lifecycle.py API_URL API_KEY PSQL_DSN SCENARIO   (SCENARIO: serial N | burst CLIENTS PER_CLIENT | paced CLIENTS PER_CLIENT INTERVAL_MS | throughput CLIENTS SECONDS | at-once CLIENTS ROUNDS)

serial: one client, one lifecycle at a time, after 5 unmeasured warm-up lifecycles (JIT, pools).
burst: CLIENTS threads each POST PER_CLIENT creates back to back without polling (so the API serves only the
creates), then all are awaited READY from the database, deleted the same way and awaited TERMINATED.
paced: as burst, but each client sends one create every INTERVAL_MS (an open load of CLIENTS / INTERVAL per second).
at-once: CLIENTS clients creating at once, as issue 24 words it: in each round every client sends one create at the
same moment (a barrier releases them together); then all are awaited READY, deleted, awaited TERMINATED, and the stack
is left 2 s to settle before the next round. burst is a closed loop instead (each client's next create follows its
last answer, so its p50 is about CLIENTS / the API's create throughput).
throughput: CLIENTS threads each loop create → ready → delete → terminated, each wait one held read per change
(If-None-Match + Prefer: wait, as the .NET client and the CLI wait). throughput-polling: the same, polling every 20 ms
instead, as clients did before the API could hold a read (about 1,000 GETs a second whatever the throughput).
ready_heard_ms: how long after the worker recorded READY each client that waited through the API learned of it.
client_cpu_ms_per_lifecycle is this process's own CPU (its threads, not the psql it runs) over the measured lifecycles
(the warm-up left out): on the same cores as the stack, the clients take part of the machine too.
"""
import http.client, json, resource, subprocess, sys, threading, time, urllib.parse, uuid

api, key, dsn, scenario = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
args = [int(a) for a in sys.argv[5:]]
user = "bench-" + uuid.uuid4().hex[:8]
BODY = json.dumps({"userId": user, "config": {"provider": "SIMULATED", "instanceType": "sim.gpu.small",
                   "region": "sim-local-1", "diskSizeGB": 30, "autoTerminateMinutes": 60}}).encode()


_target = urllib.parse.urlsplit(api)
_local = threading.local()


def call(method, path, body=None, headers=None, full=False):
    # Each client thread keeps one connection alive, as an HTTP client does (HttpClient, requests.Session, curl's
    # reuse): opening a TCP connection per request cost the API and the clients, on the same two cores, about a
    # fifth of a lifecycle's CPU, which no real client pays (docs/benchmarks.md).
    for attempt in (1, 2):
        conn = getattr(_local, "conn", None)
        if conn is None:
            conn = _local.conn = http.client.HTTPConnection(_target.hostname, _target.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"Authorization": "Bearer " + key, "Content-Type": "application/json", **(headers or {})})
            response = conn.getresponse()
            data = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle kept-alive connection: open a new one, once.
            conn.close()
            _local.conn = None
            if attempt == 2:
                raise
            continue
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {response.status} {data[:300]!r}")
        if full:
            return response.status, response.getheader("ETag"), json.loads(data or b"{}")
        return json.loads(data or b"{}")


def sql(query):
    out = subprocess.run(["psql", dsn, "-Atc", query], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.strip().splitlines() if line]


def wait_status(iid, status, timeout=60, every=0.01):
    """Polls every `every` seconds; with every=None holds each read until the instance changes (If-None-Match with
    Prefer: wait, as the .NET client and the CLI wait), so a client asks once per change instead of once per poll."""
    deadline = time.monotonic() + timeout
    etag = None
    while time.monotonic() < deadline:
        if every is None:
            held = {"If-None-Match": etag, "Prefer": "wait=30"} if etag else {}
            code, etag, body = call("GET", f"/api/instances/{iid}", headers=held, full=True)
            if code == 200 and body["instance"]["status"] == status:
                return
            continue
        if call("GET", f"/api/instances/{iid}")["instance"]["status"] == status:
            return
        time.sleep(every)
    raise SystemExit(f"instance {iid} not {status} within {timeout}s")


def create():
    t = time.perf_counter()
    iid = call("POST", "/api/instances", BODY)["instance"]["id"]
    return iid, (time.perf_counter() - t) * 1000


heard_ready = {}


def lifecycle(post_ms, ids, every=0.01):
    iid, ms = create()
    post_ms.append(ms)
    ids.append(iid)
    wait_status(iid, "READY", every=every)
    heard_ready[iid] = time.time()
    call("DELETE", f"/api/instances/{iid}")
    wait_status(iid, "TERMINATED", every=every)


def wait_all(ids, status, timeout=120):
    deadline = time.monotonic() + timeout
    id_list = ",".join(repr(i) for i in ids)
    while time.monotonic() < deadline:
        if int(sql(f"SELECT count(*) FROM provisioner.instances WHERE id IN ({id_list}) AND status <> '{status}'")[0][0]) == 0:
            return
        time.sleep(0.2)
    raise SystemExit(f"not all {status} within {timeout}s")


def burst(clients, per_client, interval=0.0):
    post_ms, ids, errors = [], [], []

    def run(action):
        threads = [threading.Thread(target=action) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def creator():
        try:
            next_at = time.monotonic()
            for _ in range(per_client):
                iid, ms = create()
                post_ms.append(ms)
                ids.append(iid)
                next_at += interval
                time.sleep(max(0.0, next_at - time.monotonic()))
        except Exception as e:
            errors.append(repr(e))

    started = time.perf_counter()
    run(creator)
    wait_all(ids, "READY")
    queue = list(ids)
    lock = threading.Lock()

    def deleter():
        while True:
            with lock:
                if not queue:
                    return
                iid = queue.pop()
            call("DELETE", f"/api/instances/{iid}")

    run(deleter)
    wait_all(ids, "TERMINATED")
    return post_ms, ids, errors, time.perf_counter() - started


def at_once(clients, rounds):
    post_ms, ids, errors = [], [], []
    started = time.perf_counter()
    for _ in range(rounds):
        gate = threading.Barrier(clients)
        round_ids = []

        def creator():
            try:
                gate.wait()
                iid, ms = create()
                post_ms.append(ms)
                round_ids.append(iid)
            except Exception as e:  # reported, never hidden
                errors.append(repr(e))

        threads = [threading.Thread(target=creator) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ids.extend(round_ids)
        wait_all(round_ids, "READY")
        for iid in round_ids:
            call("DELETE", f"/api/instances/{iid}")
        wait_all(round_ids, "TERMINATED")
        time.sleep(2)
    return post_ms, ids, errors, time.perf_counter() - started


def pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p / 100))], 1) if values else None


def summary(values):
    return {"n": len(values), "p50": pct(values, 50), "p95": pct(values, 95), "p99": pct(values, 99), "max": pct(values, 100)}


def server_latencies(ids):
    rows = sql("SELECT extract(epoch FROM ready_at - created_at) * 1000, extract(epoch FROM terminated_at - stop_requested_at) * 1000 "
               f"FROM provisioner.instances WHERE id IN ({','.join(repr(i) for i in ids)})")
    return [float(r[0]) for r in rows if r[0]], [float(r[1]) for r in rows if r[1]]


def ready_heard(ids):
    """How long after the worker recorded READY (ready_at, this machine's clock) the client learned of it."""
    heard = [i for i in ids if i in heard_ready]
    if not heard:
        return []
    rows = sql("SELECT id, extract(epoch FROM ready_at) FROM provisioner.instances WHERE ready_at IS NOT NULL AND id IN ("
               + ",".join(repr(i) for i in heard) + ")")
    return [(heard_ready[r[0]] - float(r[1])) * 1000 for r in rows]


def pickup(ids):
    rows = sql("SELECT extract(epoch FROM p.createdat - e.createdat) * 1000 FROM hangfire.job j "
               "JOIN hangfire.state e ON e.jobid = j.id AND e.name = 'Enqueued' "
               "JOIN hangfire.state p ON p.jobid = j.id AND p.name = 'Processing' "
               "WHERE j.invocationdata ->> 'Method' = 'Run' AND (j.arguments ->> 0)::jsonb ->> 'Kind' = 'Create' "
               "AND (j.arguments ->> 0)::jsonb ->> 'InstanceId' IN (" + ",".join(repr(i) for i in ids) + ")")
    return [float(r[0]) for r in rows]


def run_clients(clients, per_client, seconds=None, every=None):
    post_ms, ids, errors = [], [], []
    stop_at = time.monotonic() + seconds if seconds else None

    def client():
        try:
            n = 0
            while (stop_at and time.monotonic() < stop_at) or (not stop_at and n < per_client):
                lifecycle(post_ms, ids, every=every)
                n += 1
        except Exception as e:  # reported, never hidden
            errors.append(repr(e))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return post_ms, ids, errors, time.perf_counter() - started


def cpu_ms():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


if scenario not in ("serial", "burst", "paced", "at-once", "throughput", "throughput-polling"):
    raise SystemExit("unknown scenario " + scenario)
if not scenario.startswith("throughput"):
    run_clients(1, 5, every=0.01)
cpu_start = cpu_ms()
if scenario == "serial":
    post_ms, ids, errors, elapsed = run_clients(1, args[0], every=0.01)
elif scenario == "burst":
    post_ms, ids, errors, elapsed = burst(args[0], args[1])
elif scenario == "paced":
    post_ms, ids, errors, elapsed = burst(args[0], args[1], interval=args[2] / 1000)
elif scenario == "at-once":
    post_ms, ids, errors, elapsed = at_once(args[0], args[1])
elif scenario == "throughput":
    post_ms, ids, errors, elapsed = run_clients(args[0], 0, args[1])
elif scenario == "throughput-polling":
    post_ms, ids, errors, elapsed = run_clients(args[0], 0, args[1], every=0.02)

client_cpu_ms = cpu_ms() - cpu_start
ready, terminated = server_latencies(ids)
print(json.dumps({"scenario": scenario, "args": args, "lifecycles": len(ids), "errors": errors[:5],
                  "seconds": round(elapsed, 1), "lifecycles_per_second": round(len(ids) / elapsed, 2),
                  "post_ms": summary(post_ms), "post_to_ready_ms": summary(ready),
                  "delete_to_terminated_ms": summary(terminated), "hangfire_pickup_ms": summary(pickup(ids)),
                  "ready_heard_ms": summary(ready_heard(ids)),
                  "client_cpu_ms_per_lifecycle": round(client_cpu_ms / len(ids), 2) if ids else None}))
