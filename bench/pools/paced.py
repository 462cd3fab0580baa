#!/usr/bin/env python3
"""Paced creates with or without a warm pool sized for them; prints JSON.

  paced.py API_URL API_KEY ADMIN_KEY PSQL_DSN warm|cold CREATES INTERVAL_SECONDS POOL_SIZE

One create every INTERVAL_SECONDS (a steady rate, as a pool is sized for), each awaited READY. With "warm", a pool of
POOL_SIZE machines of the same offer is defined first and awaited full. POST → READY is read from the records' own
timestamps (created_at, ready_at), so polling adds no error to it; the POST's own time as the client saw it beside it.
Served warm: creates whose POST answer was already READY. The pool is deleted and the instances terminated at the end.
"""
import json, math, subprocess, sys, time, urllib.request, uuid

api, key, admin, dsn, mode = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
creates, interval, size = int(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
user = "pools-" + uuid.uuid4().hex[:8]
BODY = json.dumps({"userId": user, "config": {"provider": "SIMULATED", "instanceType": "sim.gpu.small",
                   "region": "sim-local-1", "diskSizeGB": 100, "autoTerminateMinutes": 60}}).encode()


def call(method, path, body=None, token=key):
    req = urllib.request.Request(api + path, data=body, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"{}")


def sql(query):
    out = subprocess.run(["psql", dsn, "-Atc", query], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.strip().splitlines() if line]


def pct(values, p):
    s = sorted(values)
    return round(s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))], 1) if s else None


def stats(values):
    return {"n": len(values), "p50": pct(values, 50), "p95": pct(values, 95), "p99": pct(values, 99), "max": round(max(values), 1) if values else None}


pool = None
if mode == "warm":
    pool = call("POST", "/api/admin/pools", json.dumps({"name": user, "provider": "SIMULATED", "instanceType": "sim.gpu.small",
                "region": "sim-local-1", "min": size, "max": size}).encode(), admin)
    deadline = time.monotonic() + 180
    while call("GET", f"/api/admin/pools/{pool['id']}", token=admin)["warm"] < size:
        if time.monotonic() > deadline:
            sys.exit("the pool did not fill within 180 s")
        time.sleep(0.5)

ids, post_ms, served = [], [], 0
start = time.monotonic()
for i in range(creates):
    time.sleep(max(0.0, start + i * interval - time.monotonic()))
    t = time.monotonic()
    answer = call("POST", "/api/instances", BODY)["instance"]
    post_ms.append((time.monotonic() - t) * 1000)
    ids.append(answer["id"])
    served += answer["status"] == "READY"

deadline = time.monotonic() + 300
while int(sql(f"SELECT count(*) FROM provisioner.instances WHERE user_id = '{user}' AND ready_at IS NOT NULL")[0][0]) < creates:
    if time.monotonic() > deadline:
        sys.exit("not every instance was READY within 300 s")
    time.sleep(0.5)

ready_ms = [float(r[0]) for r in sql(
    f"SELECT extract(epoch FROM ready_at - created_at) * 1000 FROM provisioner.instances WHERE user_id = '{user}'")]
hit_rate = None
if pool:
    hit_rate = call("GET", f"/api/admin/pools/{pool['id']}", token=admin)["hitRate"]
    call("DELETE", f"/api/admin/pools/{pool['id']}", token=admin)
for instance_id in ids:
    call("DELETE", f"/api/instances/{instance_id}")
print(json.dumps({"mode": mode, "creates": creates, "interval_s": interval, "pool_size": size if pool else 0,
                  "served_in_post": served, "hit_rate": hit_rate, "post_to_ready_ms": stats(ready_ms), "post_ms": stats(post_ms)}))
