#!/usr/bin/env python3
"""A burst of creates against a simulated cloud that enforces EC2's RunInstances bucket; prints JSON.

  burst.py API_URL API_KEY PSQL_DSN CREATES

All creates are sent at once (one thread each), then awaited READY from the database. Reported: the cloud's
RunInstances calls let through and refused (RequestLimitExceeded) during the run, read from the simulated cloud's own
bucket counters (simulated_cloud.api_buckets), and the time from the first create to the last READY from the records'
own timestamps (created_at, ready_at), so polling adds no error to it.
"""
import json, subprocess, sys, threading, time, urllib.request, uuid

api, key, dsn, creates = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
user = "burst-" + uuid.uuid4().hex[:8]
BODY = json.dumps({"userId": user, "config": {"provider": "SIMULATED", "instanceType": "sim.gpu.small",
                   "region": "sim-local-1", "diskSizeGB": 30, "autoTerminateMinutes": 60}}).encode()


def call(method, path, body=None):
    req = urllib.request.Request(api + path, data=body, method=method,
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"{}")


def sql(query):
    out = subprocess.run(["psql", dsn, "-Atc", query], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.strip().splitlines() if line]


def cloud_counts():
    row = sql("SELECT coalesce(sum(taken), 0), coalesce(sum(refused), 0) FROM simulated_cloud.api_buckets WHERE action = 'RunInstances'")
    return int(row[0][0]), int(row[0][1])


before = cloud_counts()
ids, errors = [], []


def create():
    try:
        ids.append(call("POST", "/api/instances", BODY)["instance"]["id"])
    except Exception as e:  # counted, reported
        errors.append(repr(e))


threads = [threading.Thread(target=create) for _ in range(creates)]
for t in threads:
    t.start()
for t in threads:
    t.join()

id_list = ",".join(repr(i) for i in ids)
deadline = time.monotonic() + 600
while time.monotonic() < deadline:
    left = int(sql(f"SELECT count(*) FROM provisioner.instances WHERE id IN ({id_list}) AND status NOT IN ('READY', 'FAILED')")[0][0])
    if left == 0:
        break
    time.sleep(0.5)

after = cloud_counts()
span = sql(f"""SELECT extract(epoch FROM max(ready_at) - min(created_at)), count(*) FILTER (WHERE status = 'READY'),
                      count(*) FILTER (WHERE status = 'FAILED')
                 FROM provisioner.instances WHERE id IN ({id_list})""")[0]
budget = sql("SELECT coalesce(sum(refused), 0) FROM provisioner.cloud_api_budgets WHERE action = 'RunInstances'")[0][0]
launched, throttled = after[0] - before[0], after[1] - before[1]
print(json.dumps({
    "creates": creates, "ready": int(span[1]), "failed": int(span[2]), "errors": errors,
    "run_instances_calls": launched + throttled, "throttled_calls": throttled,
    "throttled_per_launch": round(throttled / max(1, len(ids)), 2),
    "seconds_to_last_ready": round(float(span[0] or 0), 1),
    "budget_deferrals": int(budget),
}))
# Clean up: the instances are deleted (their machines too), so the next run starts on an empty cloud.
for i in ids:
    try:
        call("DELETE", f"/api/instances/{i}")
    except Exception:
        pass
