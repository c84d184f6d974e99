#!/usr/bin/env python3
"""Summarises a Chromium .cpuprofile (from `BENCH_PROFILE=1 scripts/bench`):
self and total time per function, largest first.

usage: scripts/profile_summary.py target/bench/W3-add.cpuprofile [N]
"""
import collections
import json
import sys


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    prof = json.load(open(path))
    nodes = {n["id"]: n for n in prof["nodes"]}
    parent = {}
    for n in prof["nodes"]:
        for c in n.get("children", []):
            parent[c] = n["id"]
    deltas = prof.get("timeDeltas", [])
    samples = prof.get("samples", [])
    self_ms = collections.Counter()
    total_ms = collections.Counter()
    for node_id, dt in zip(samples, deltas[1:] + [0]):
        ms = dt / 1000.0
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        self_ms[name] += ms
        seen = set()
        cur = node_id
        while cur is not None:
            f = nodes[cur]["callFrame"]
            nm = f["functionName"] or "(anonymous)"
            if nm not in seen:
                total_ms[nm] += ms
                seen.add(nm)
            cur = parent.get(cur)
    print(f"{'self ms':>9}  function")
    for name, ms in self_ms.most_common(top):
        print(f"{ms:9.2f}  {name[:110]}")
    print()
    print(f"{'total ms':>9}  function")
    for name, ms in total_ms.most_common(top):
        print(f"{ms:9.2f}  {name[:110]}")


if __name__ == "__main__":
    main()
