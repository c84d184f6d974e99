#!/usr/bin/env python3
"""Checks every export format outside Rust, with Python's code-point strings.

    python3 tests/check_exports.py EXPORTS_DIR SEEDS_DIR

EXPORTS_DIR holds seed.<format>.<ext> files (written by core/tests/formats.rs);
SEEDS_DIR holds the article files. For each format, every annotation's
text[start:end] must equal its quote (brat: its fragments), where text is the
article's canonical text (FORMAT.md) computed here independently. Prints one
line per failure and "N passed, M failed"; exits 1 on any failure.
"""
import csv
import io
import json
import pathlib
import sys
import zipfile


def canonical(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip(" \t\n")


def main(exports: pathlib.Path, seeds: pathlib.Path) -> int:
    texts = {p.stem: canonical(p.read_bytes()) for p in seeds.glob("*.txt")}
    passed = failed = 0

    def check(what, article, start, end, quote):
        nonlocal passed, failed
        text = texts.get(article)
        if text is None:
            print(f"FAIL {what}: unknown article {article!r}")
            failed += 1
        elif text[start:end] != quote:
            print(f"FAIL {what}: text[{start}:{end}] = {text[start:end]!r}, quote {quote!r}")
            failed += 1
        else:
            passed += 1

    found = sorted(exports.glob("seed.*"))
    if len(found) < 7:
        print(f"FAIL expected 7 export files in {exports}, found {len(found)}")
        return 1
    native = json.loads((exports / "seed.native.json").read_text(encoding="utf-8"))
    for art in native["articles"]:
        for a in art["annotations"]:
            check("native", art["id"], a["start"], a["end"], a["quote"])

    w3c = json.loads((exports / "seed.w3c.jsonld").read_text(encoding="utf-8"))
    for a in w3c["first"]["items"]:
        article = a["target"]["source"].rsplit(":", 1)[-1]
        sel = {s["type"]: s for s in a["target"]["selector"]}
        pos, quote = sel["TextPositionSelector"], sel["TextQuoteSelector"]
        check("w3c", article, pos["start"], pos["end"], quote["exact"])

    for line in (exports / "seed.spacy.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if doc["text"] != texts.get(doc["meta"]["id"]):
            print("FAIL spacy: text differs from the canonical text")
            failed += 1
        for s in doc["spans"]:
            quote = doc["text"][s["start"]:s["end"]]
            check("spacy", doc["meta"]["id"], s["start"], s["end"], quote)
            check("spacy vs native", doc["meta"]["id"], s["start"], s["end"],
                  next(a["quote"] for art in native["articles"] for a in art["annotations"]
                       if a["start"] == s["start"] and a["end"] == s["end"] and a["label"] == s["label"]))

    for line in (exports / "seed.doccano.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        article = next(k for k, v in texts.items() if v == doc["text"])
        for start, end, label in doc["label"]:
            quote = next(a["quote"] for art in native["articles"] for a in art["annotations"]
                         if a["start"] == start and a["end"] == end and a["label"] == label)
            check("doccano", article, start, end, quote)

    rows = list(csv.DictReader(io.StringIO((exports / "seed.csv.csv").read_text(encoding="utf-8-sig"))))
    for r in rows:
        check("csv", r["article_id"], int(r["start"]), int(r["end"]), r["quote"])
        if r["quote"].split("\n")[0] not in r["sentence"]:
            print(f"FAIL csv: sentence {r['sentence']!r} does not hold the quote")
            failed += 1

    with zipfile.ZipFile(exports / "seed.brat.zip") as z:
        for name in z.namelist():
            if not name.endswith(".ann"):
                continue
            article = name[:-4]
            txt = z.read(article + ".txt").decode("utf-8")
            if txt != texts.get(article):
                print(f"FAIL brat: {article}.txt differs from the canonical text")
                failed += 1
            for line in z.read(name).decode("utf-8").splitlines():
                if not line.startswith("T"):
                    continue
                _, middle, quote = line.split("\t")
                frags = [tuple(map(int, f.split())) for f in middle.split(" ", 1)[1].split(";")]
                pieces = [txt[s:e] for s, e in frags]
                for (s, e), piece in zip(frags, pieces):
                    check("brat", article, s, e, piece)
                if " ".join(pieces) != quote:
                    print(f"FAIL brat: fragments {pieces!r} do not make {quote!r}")
                    failed += 1

    # CoNLL: the tokens, in order, are the article's non-space text.
    conll = (exports / "seed.conll.conll").read_text(encoding="utf-8")
    article = conll.split("\n", 1)[0].split("\t")[1]
    tokens = [l.split("\t")[0] for l in conll.splitlines()[1:] if l]
    squeezed = "".join(texts[article].split())
    if "".join(tokens) == squeezed:
        passed += 1
    else:
        print("FAIL conll: the tokens do not spell the article")
        failed += 1

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])))
