#!/usr/bin/env python3
"""Writes bench/perf/run.sh's section of docs/benchmarks.md (Markdown on stdout) from its results folder."""
import datetime, json, os, platform, sys

d = sys.argv[1]
r = {n[:-5]: json.load(open(os.path.join(d, n))) for n in os.listdir(d) if n.endswith(".json")}
env = lambda name: dict(l.strip().split("=", 1) for l in open(os.path.join(d, name)) if "=" in l)
load = env("load.env")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
idle = r["idle"]["percent_of_one_core"]
dotnet = round(sum(v for k, v in idle.items() if k not in ("postgresql", "total")), 2)
parts = ", ".join(f"{k} {v}%" for k, v in idle.items() if k != "total")
windows = ", ".join(f"{w['total']}%" for w in r["idle"].get("windows", []))
api = [r[f"get-api{i}"] for i in (1, 2)]
bare = [r[f"get-bare{i}"] for i in (1, 2)]
ratio = [round(a["rps"] / b["rps"], 2) if b["rps"] else None for a, b in zip(api, bare)]
per_request = lambda g: f"{g['cpu_us_per_request']['server']:.0f} + {g['cpu_us_per_request']['postgresql']:.0f}"
s, b, dl, rss = r["serial"], r["burst50"], r["deadline"], r["rss"]
# Each worker count's throughput windows, back to back on one stack; the median is the figure.
windows_of = lambda workers, name="throughput": [r[k] for k in sorted(r) if k.startswith(f"{name}{workers}-")]
t1, t2, p2 = windows_of(1), windows_of(2), windows_of(2, "polling")
median = lambda ws: sorted(w["lifecycles_per_second"] for w in ws)[len(ws) // 2]
each = lambda ws: ", ".join(str(w["lifecycles_per_second"]) for w in ws)


def cpu_per_lifecycle(workers, name="throughput"):
    """The stack's CPU (ms) per lifecycle in each window: the same build costs more CPU time while the machine is slow."""
    out = []
    for i, w in enumerate(windows_of(workers, name), 1):
        before, after = r.get(f"cpu-{name}{workers}-{i}-before"), r.get(f"cpu-{name}{workers}-{i}-after")
        if before and after and w["lifecycles"]:
            stack = sum(after[k] - before[k] for k in after) / w["lifecycles"]
            client = w.get("client_cpu_ms_per_lifecycle")
            out.append(f"{stack:.1f}" + (f" (+ {client:.1f} the clients)" if client is not None else ""))
    return ", ".join(out) or "not measured"
at_once = r.get("atonce50")
errors = sum(len(x.get("errors", [])) for x in [s, b, *t1, *t2, *p2] + ([at_once] if at_once else []))
print("## The stack idle and under load (issue 24)\n")
print(f"Run by `bench/perf/run.sh` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores ({cpu}), "
      f"{platform.system()} {platform.release()}; load average {load['load_start'].strip(chr(34))} at the start, "
      f"{load['load_end'].strip(chr(34))} at the end (other work on the machine inflates the latencies and lowers the "
      "throughput; it does not change the idle CPU of our own processes). Its own stack (`deploy/local/up.sh`: API, workers "
      "and PostgreSQL on this machine), the simulated cloud at zero boot, configure and shutdown time, rate limits raised "
      "(the API's per key and the workers' cloud calls per second), the workers at "
      f"nice {load.get('worker_nice', '?')} (`Worker:Nice`), each client keeping its "
      "connection alive (in the at-once rounds every client is new, so each POST there opens its connection).\n")
print("| figure | measured | anchor in the same run | goal |\n|---|---|---|---|")
print(f"| CPU of the whole stack doing nothing (API + 2 workers + PostgreSQL, no instance live, median of windows of {r['idle']['seconds']} s "
      f"from {r['idle'].get('settle_seconds', 15):.0f} s after ready, % of one core) | "
      f"**{idle['total']}%** (.NET processes {dotnet}%: {parts}; each window: {windows}) | | ≤ 2% |")
print(f"| POST → READY, 1 client, p50 / p99 (ms) | **{s['post_to_ready_ms']['p50']}** / {s['post_to_ready_ms']['p99']} | "
      f"Hangfire's pickup of the launch p50 {s['hangfire_pickup_ms']['p50']} | p50 ≤ 100 |")
if at_once:
    print(f"| POST, 50 clients creating at once (each one create at the same moment, {at_once['args'][1]} rounds), p50 / p99 (ms, client side) | "
          f"**{at_once['post_ms']['p50']}** / {at_once['post_ms']['p99']} | | p50 ≤ 100 |")
print(f"| POST, 50 clients each creating 4 back to back (a closed loop: p50 ≈ 50 ÷ creates per second), p50 / p99 (ms, client side) | "
      f"**{b['post_ms']['p50']}** / {b['post_ms']['p99']} | {b['lifecycles']} creates | |")
if at_once:
    print(f"| POST → READY, 50 clients creating at once ({at_once['args'][1]} rounds), p50 / p99 (ms) | **{at_once['post_to_ready_ms']['p50']}** / {at_once['post_to_ready_ms']['p99']} | "
          f"Hangfire's pickup of the launch p50 {at_once['hangfire_pickup_ms']['p50']} | p50 ≤ 300 |")
print(f"| POST → READY, 50 clients each creating 4 back to back (the closed loop above), p50 / p99 (ms) | **{b['post_to_ready_ms']['p50']}** / {b['post_to_ready_ms']['p99']} | "
      f"Hangfire's pickup of the launch p50 {b['hangfire_pickup_ms']['p50']} | {'' if at_once else 'p50 ≤ 300'} |")
print(f"| lifecycles per second, 20 clients looping, each waiting with held reads as the .NET client and the CLI do "
      f"(after 30 s of it unmeasured; the median of {len(t2)} windows of {t2[0]['seconds']:.0f} s back to back) | "
      f"**{median(t1)} with 1 worker, {median(t2)} with 2** (windows: {each(t1)}; {each(t2)}) | "
      f"the stack's CPU per lifecycle in each window (ms; API, workers and PostgreSQL, not the clients): {cpu_per_lifecycle(1)} with 1 worker; "
      f"{cpu_per_lifecycle(2)} with 2 | ≥ 40 with 2 |")
if p2:
    heard = lambda ws: ", ".join(str(w.get("ready_heard_ms", {}).get("p50")) for w in ws)
print(f"| a client told of READY after the worker recorded it, p50 in each window (ms), 2 workers | "
      f"**{heard(t2)}** waiting with held reads | {heard(p2)} polling every 20 ms | |")
print(f"| the same with 2 workers, the clients polling every 20 ms instead (about 1,000 reads a second), on the same warm stack | "
          f"**{median(p2)}** (windows: {each(p2)}) | the stack's CPU per lifecycle: {cpu_per_lifecycle(2, 'polling')} | |")
print(f"| GET /api/instances/{{id}}, wrk -c32, requests/s (two rounds) | **{api[0]['rps']:.0f}, {api[1]['rps']:.0f}** = {ratio[0]} ×, {ratio[1]} × the bare app | "
      f"bare Kestrel + Npgsql reading the same row: {bare[0]['rps']:.0f}, {bare[1]['rps']:.0f} | ≥ 0.6 × |")
print(f"| GET /api/instances/{{id}}, CPU per request (µs, the serving process + PostgreSQL, two rounds) | **{per_request(api[0])}, {per_request(api[1])}** | "
      f"the bare app: {per_request(bare[0])}, {per_request(bare[1])} | |")
print(f"| auto-terminate deadline → terminate call, late by (ms; {dl['n']} of {dl['expected']}) | **p99 {dl['p99']}** (p50 {dl['p50']}, "
      f"min {dl['min']}, max {dl['max']}) | | p99 ≤ 2000 |")
print(f"| RSS after the load (MB) | " + ", ".join(f"{k} **{v}**" for k, v in rss.items()) + " | | each ≤ 200 |")
print(f"\nErrors in the lifecycle runs: {errors}. Re-run with `bench/perf/run.sh` (one command, about sixteen minutes).")
