#!/usr/bin/env python3
"""Checks the agreement figures (core/src/agreement.rs) against reference packages.

    python3 tests/check_agreement.py target/tmp/agreement-fixture.json

The fixture is written by core/tests/agreement.rs: three annotators' spans
(id, label, start, end; end exclusive, code points) and relations of the seed
article, with the figures Rust computed. Every figure is recomputed here and
must equal Rust's to 1e-9:

- span F1, exact and overlap: plain Python (exact: same start, end and label;
  overlap: greedy one-to-one matching, largest overlap first, ties as the
  module's doc says). nervaluate does not define the same thing in general:
  its schemas classify each *predicted* span once against *any* overlapping
  true span (no one-to-one matching, and a true span overlapped by a wrong
  prediction is not counted as missed), so with nested or crossing spans its
  counts differ from ours. Its "strict" schema (exact boundaries and type)
  and "ent_type" schema (overlap and type) do equal ours when every
  non-matching span overlaps at most one span of the other side, as on this
  fixture, so the totals are also asserted equal to nervaluate's there.
- Cohen's kappa: sklearn.metrics.cohen_kappa_score on the labels of spans
  matched by position (overlap, any labels, best overlap first; matching
  recomputed here), and per label on "this label or not".
- Krippendorff's alpha (nominal): krippendorff.alpha on the units (overlapping
  spans of different annotators grouped best overlap first, at most one per
  annotator; grouping recomputed here), in total and per label.
- relation F1: plain Python (a link matches when its type agrees and both ends
  are overlap-matched to the other link's ends).

Prints one line per failure and "N passed, M failed"; exits 1 on any failure.
"""
import json
import math
import sys
import warnings

import krippendorff
import numpy as np
from nervaluate import Evaluator
from sklearn.metrics import cohen_kappa_score

LABELS = ["entity", "claim", "commitment"]
TYPES = ["said_by", "committed_by"]
TOL = 1e-9
passed = 0
failed = 0


def check(what, rust, ours):
    global passed, failed
    ok = (rust is None and ours is None) or (
        rust is not None and ours is not None and abs(rust - ours) <= TOL)
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}: rust {rust}, python {ours}")


def same(what, rust, ours):
    global passed, failed
    if rust == ours:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}: rust {rust!r}, python {ours!r}")


def f1(m, oa, ob):
    d = 2 * m + oa + ob
    return None if d == 0 else 2 * m / d


def overlap(p, q):
    return max(0, min(p["end"], q["end"]) - max(p["start"], q["start"]))


def greedy(a, b, same_label):
    """One-to-one matching, best overlap first (O(n^2): a reference)."""
    cands = []
    for x, p in enumerate(a):
        for y, q in enumerate(b):
            if overlap(p, q) > 0 and (not same_label or p["label"] == q["label"]):
                cands.append(((-overlap(p, q), p["label"] != q["label"], p["start"], q["start"],
                               p["end"], q["end"], x, y), x, y))
    cands.sort()
    used_a, used_b, out = set(), set(), []
    for _, x, y in cands:
        if x not in used_a and y not in used_b:
            used_a.add(x)
            used_b.add(y)
            out.append((x, y))
    return sorted(out)


def counts(a, b, matches, label=None):
    keep = (lambda s: True) if label is None else (lambda s: s["label"] == label)
    m = sum(1 for x, _ in matches if keep(a[x]))
    return [m, sum(map(keep, a)) - m, sum(map(keep, b)) - m]


def kappa(y1, y2):
    if not y1:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k = cohen_kappa_score(y1, y2)
    return None if math.isnan(k) else float(k)


def alpha(units, code):
    data = np.array([[np.nan if u[i] is None else code(u[i]) for u in units]
                     for i in range(len(units[0]))], dtype=float)
    try:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:  # one value in the domain: undefined
        return None


def units_of(sides):
    """Alpha's units, grouped as the module's doc says (a reference)."""
    k = len(sides)
    nodes = [(i, x) for i, side in enumerate(sides) for x in range(len(side))]
    parent = {n: n for n in nodes}
    who = {n: {n[0]} for n in nodes}

    def find(n):
        while parent[n] != n:
            n = parent[n]
        return n

    cands = []
    for i in range(k):
        for j in range(i + 1, k):
            for x, p in enumerate(sides[i]):
                for y, q in enumerate(sides[j]):
                    if overlap(p, q) > 0:
                        cands.append((-overlap(p, q), p["label"] != q["label"], p["start"], q["start"],
                                      p["end"], q["end"], i, j, x, y))
    cands.sort()
    for *_, i, j, x, y in cands:
        rx, ry = find((i, x)), find((j, y))
        if rx == ry or who[rx] & who[ry]:
            continue
        parent[ry] = rx
        who[rx] |= who.pop(ry)
    groups = {}
    for i, x in nodes:
        g = groups.setdefault(find((i, x)), [math.inf, [None] * k])
        g[0] = min(g[0], sides[i][x]["start"])
        g[1][i] = sides[i][x]["label"]
    return [u for _, u in sorted(groups.values(), key=lambda g: (g[0], g[1]))]


def main():
    fixture = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "target/tmp/agreement-fixture.json"))
    sides = [a["spans"] for a in fixture["annotators"]]
    rels = [a["relations"] for a in fixture["annotators"]]
    for pair in fixture["pairs"]:
        i, j = pair["a"], pair["b"]
        a, b = sides[i], sides[j]
        fig = pair["figures"]
        name = f"{fixture['annotators'][i]['name']}-{fixture['annotators'][j]['name']}"
        exact = [(x, y) for x, p in enumerate(a) for y, q in enumerate(b)
                 if (p["start"], p["end"], p["label"]) == (q["start"], q["end"], q["label"])]
        over = greedy(a, b, True)
        for figure, matches in (("f1_exact", exact), ("f1_overlap", over)):
            for scope in ["total"] + LABELS:
                c = counts(a, b, matches, None if scope == "total" else scope)
                same(f"{name} {figure} {scope} counts", fig[figure][scope]["counts"], c)
                check(f"{name} {figure} {scope}", fig[figure][scope]["value"], f1(*c))
        # nervaluate, where its schemas mean ours (see the docstring).
        conv = lambda spans: [[{"label": s["label"], "start": s["start"], "end": s["end"] - 1} for s in spans]]
        res = Evaluator(conv(a), conv(b), tags=LABELS, loader="dict").evaluate()["overall"]
        check(f"{name} f1_exact total (nervaluate strict)", fig["f1_exact"]["total"]["value"], res["strict"].f1)
        check(f"{name} f1_overlap total (nervaluate ent_type)", fig["f1_overlap"]["total"]["value"],
              res["ent_type"].f1)
        # Kappa on the position matches.
        pos = greedy(a, b, False)
        same(f"{name} position matches", pair["position_matches"], [[a[x]["id"], b[y]["id"]] for x, y in pos])
        y1 = [a[x]["label"] for x, _ in pos]
        y2 = [b[y]["label"] for _, y in pos]
        check(f"{name} cohen_kappa total", fig["cohen_kappa"]["total"]["value"], kappa(y1, y2))
        for label in LABELS:
            check(f"{name} cohen_kappa {label}", fig["cohen_kappa"][label]["value"],
                  kappa([v == label for v in y1], [v == label for v in y2]))
        # Relations.
        to_b = dict(over)
        ida = {s["id"]: x for x, s in enumerate(a)}
        idb = {s["id"]: y for y, s in enumerate(b)}
        ra = {(r["type"], ida[r["from"]], ida[r["to"]]) for r in rels[i] if r["from"] in ida and r["to"] in ida}
        rb = {(r["type"], idb[r["from"]], idb[r["to"]]) for r in rels[j] if r["from"] in idb and r["to"] in idb}
        for scope in ["total"] + TYPES:
            sa = {r for r in ra if scope in ("total", r[0])}
            sb = {r for r in rb if scope in ("total", r[0])}
            m = sum(1 for t, f, e in sa if f in to_b and e in to_b and (t, to_b[f], to_b[e]) in sb)
            c = [m, len(sa) - m, len(sb) - m]
            same(f"{name} relation_f1 {scope} counts", fig["relation_f1"][scope]["counts"], c)
            check(f"{name} relation_f1 {scope}", fig["relation_f1"][scope]["value"], f1(*c))
    units = units_of(sides)
    same("alpha units", fixture["units"], units)
    check("krippendorff_alpha total", fixture["alpha"]["total"], alpha(units, LABELS.index))
    for label in LABELS:
        check(f"krippendorff_alpha {label}", fixture["alpha"][label], alpha(units, lambda v: float(v == label)))
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
