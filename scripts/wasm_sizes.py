#!/usr/bin/env python3
"""What is in a .wasm file: code bytes per crate (from the name section) and
data bytes. Needs a build that keeps names (`BENCH_PROFILE=1 scripts/bench`
writes one to target/dist-profile, before wasm-opt).

usage: scripts/wasm_sizes.py path/to/app_bg.wasm [top-N]
"""
import collections
import re
import sys


def leb(b, i):
    result = shift = 0
    while True:
        byte = b[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def main():
    data = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    i = 8
    imports = 0
    bodies = []
    names = {}
    data_bytes = 0
    while i < len(data):
        sid = data[i]
        size, j = leb(data, i + 1)
        end = j + size
        if sid == 2:  # imports: count function imports
            n, k = leb(data, j)
            for _ in range(n):
                ml, k = leb(data, k); k += ml
                fl, k = leb(data, k); k += fl
                kind = data[k]; k += 1
                if kind == 0:
                    _, k = leb(data, k); imports += 1
                elif kind == 1:
                    k += 1; flags, k = leb(data, k); _, k = leb(data, k)
                    if flags & 1: _, k = leb(data, k)
                elif kind == 2:
                    flags, k = leb(data, k); _, k = leb(data, k)
                    if flags & 1: _, k = leb(data, k)
                elif kind == 3:
                    k += 2
        elif sid == 10:
            n, k = leb(data, j)
            for _ in range(n):
                sz, k2 = leb(data, k)
                bodies.append(sz + (k2 - k))
                k = k2 + sz
        elif sid == 11:
            data_bytes = size
        elif sid == 0:
            nl, k = leb(data, j)
            name = data[k:k + nl].decode()
            k += nl
            if name == "name":
                while k < end:
                    sub = data[k]
                    ssz, k2 = leb(data, k + 1)
                    if sub == 1:
                        n, p = leb(data, k2)
                        for _ in range(n):
                            idx, p = leb(data, p)
                            ln, p = leb(data, p)
                            names[idx] = data[p:p + ln].decode(errors="replace")
                            p += ln
                    k = k2 + ssz
        i = end
    per_crate = collections.Counter()
    per_fn = []
    for n, sz in enumerate(bodies):
        name = names.get(n + imports, "?")
        m = re.match(r"[<&]*(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)", name)
        crate = m.group(1) if m else "?"
        per_crate[crate] += sz
        per_fn.append((sz, name))
    total = sum(bodies)
    print(f"code {total} bytes in {len(bodies)} functions; data {data_bytes} bytes; file {len(data)}")
    for crate, sz in per_crate.most_common(top):
        print(f"{sz:9d}  {100 * sz / total:5.1f}%  {crate}")
    print()
    for sz, name in sorted(per_fn, reverse=True)[:top]:
        print(f"{sz:9d}  {name[:120]}")


if __name__ == "__main__":
    main()
