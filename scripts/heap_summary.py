#!/usr/bin/env python3
"""Summarises a sampling heap profile (from `BENCH_HEAP=1 scripts/bench`,
target/bench/<W>-heap.json): the JS heap still held at the end of a run,
by the function that allocated it (self) and by the frames under which it
was allocated (total), largest first.

usage: scripts/heap_summary.py target/bench/W3-heap.json [N]
"""
import collections
import json
import sys


def main():
    prof = json.load(open(sys.argv[1]))
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    self_b = collections.Counter()
    total_b = collections.Counter()

    def walk(node, stack):
        f = node["callFrame"]
        name = f["functionName"] or "(anonymous)"
        if f.get("url"):
            name += "  " + f["url"].rsplit("/", 1)[-1][:30]
        size = node.get("selfSize", 0)
        self_b[name] += size
        here = stack + [name]
        for n in set(here):
            total_b[n] += size
        for c in node.get("children", []):
            walk(c, here)

    walk(prof["head"], [])
    mib = lambda b: b / 1048576
    print(f"held in all: {mib(sum(self_b.values())):.2f} MiB (sampled)")
    print(f"{'self MiB':>9}  function")
    for name, b in self_b.most_common(top):
        print(f"{mib(b):9.2f}  {name}")
    print(f"\n{'total MiB':>9}  function")
    for name, b in total_b.most_common(top):
        print(f"{mib(b):9.2f}  {name}")


if __name__ == "__main__":
    main()
