#!/usr/bin/env python3
"""Renders bench/pools' section of docs/benchmarks.md from a results folder (cold.json, warm.json) and replaces it there.

  section.py RESULTS_DIR
"""
import datetime, json, os, platform, re, sys

r = {n[:-5]: json.load(open(os.path.join(sys.argv[1], n))) for n in os.listdir(sys.argv[1]) if n.endswith(".json")}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
load = os.environ.get("BENCH_LOAD") or open("/proc/loadavg").read().split()[0]
w, c = r["warm"], r["cold"]
lines = ["<!-- bench/pools -->", "## Warm pools: POST → READY at a 20 s boot\n",
         f"Run by `bench/pools/run.sh` on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores ({cpu}), "
         f"{platform.system()} {platform.release()}, load average {load} at the end (other work shared the machine). "
         f"`deploy/local/up.sh` with 2 workers; the simulated cloud boots a machine in 20 s; {w['creates']} creates, one every "
         f"{w['interval_s']:g} s, each of the same offer; with a pool of {w['pool_size']} machines of it (refill every second) "
         "and without. In ms. *POST → READY* is what the client waits: a create served warm is READY in the answer to its "
         "POST, so it is the POST's own time; a cold one is READY at its record's `readyAt` (from `createdAt`).\n",
         "| run | creates | served in the POST | hit rate | POST → READY p50 | p95 | p99 | max | goal |",
         "|---|---|---|---|---|---|---|---|---|"]
for label, x, goal in [("cold (no pool)", c, "—"), (f"warm (pool of {w['pool_size']})", w, "p50 ≤ 1000, p99 ≤ 2000")]:
    s = x["post_ms"] if x["served_in_post"] == x["creates"] else x["post_to_ready_ms"]
    rate = "—" if x["hit_rate"] is None else f"{x['hit_rate'] * 100:.0f} %"
    lines.append(f"| {label} | {x['creates']} | {x['served_in_post']} | {rate} | {s['p50']} | {s['p95']} | {s['p99']} | {s['max']} | {goal} |")
lines.append("\nOne that finds the pool empty boots cold, no slower than without a pool (the draw is one more statement in the "
             "create's transaction). The pool's cost is its machines' idle time until drawn (`overheadToday`, the Costs page). "
             "Re-run with `bench/pools/run.sh` (one command, about four minutes).")
lines.append("<!-- /bench/pools -->")
section = "\n".join(lines)

path = "docs/benchmarks.md"
text = open(path).read() if os.path.exists(path) else ""
pattern = re.compile(r"<!-- bench/pools -->.*?<!-- /bench/pools -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
