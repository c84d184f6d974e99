#!/usr/bin/env python3
"""Checks every export format outside Rust, with Python's code-point strings.

    python3 tests/check_exports.py EXPORTS_DIR SEEDS_DIR

EXPORTS_DIR holds seed.<format>.<ext> files (written by core/tests/formats.rs);
SEEDS_DIR holds the article files (tests/data/seeds/, the article with emoji,
CJK and combining marks, is read too). For each format, every annotation's
text[start:end] must equal its quote (brat: its fragments), where text is the
article's canonical text (FORMAT.md) computed here independently; doccano's
offsets are UTF-16 code units, so there the UTF-16 slice must. The files are
also read with the tools people use on them: `spacy convert` and seqeval
(CoNLL), brat's annotation.conf rules, PyLD (the W3C JSON-LD, expanded with
the W3C context from tests/data/w3c/, never the network). Prints one line per
failure and "N passed, M failed"; exits 1 on any failure.
"""
import csv
import io
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
OUR_NS = "urn:article-annotator:ns:"
DOCSTART = "-DOCSTART- -X- O O"


def canonical(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip(" \t\n")


def brat_types(conf: str) -> dict:
    """Sections of a brat configuration file and the type names each
    declares, read as brat's projectconfig does: `[section]` headers, `#`
    comments and blank lines skipped, the type the first field of a line
    (tabs indent a hierarchy, `!` marks an abstract type, a `|` or tab ends
    the name), `<MACRO>=` lines are definitions, not types."""
    sections, current = {}, None
    for raw in conf.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = sections.setdefault(m.group(1), set())
            continue
        if current is None or re.match(r"<[A-Z_]+>\s*=", line):
            continue
        name = re.split(r"[\t|]", line)[0].strip().split(" ")[0]
        current.add(name.lstrip("!"))
    return sections


def read_conll(data: str, expect):
    """Documents (split at the DOCSTART line) of sentences of (token, tag),
    read as a plain two-column reader does: every other non-blank line has
    exactly two tab-separated columns, tags are O, B-X or I-X, and an I-X
    follows a B-X or I-X of the same X (IOB2)."""
    docs = []
    sent = None
    for n, line in enumerate(data.split("\n"), 1):
        if line.startswith("-DOCSTART-"):
            expect(line == DOCSTART, f"conll: line {n}: {line!r} is not the standard {DOCSTART!r}")
            docs.append([])
            sent = None
            continue
        if not line:
            sent = None
            continue
        cols = line.split("\t")
        if len(cols) != 2:
            expect(False, f"conll: line {n}: {len(cols)} columns in {line!r}")
            continue
        if not docs:
            expect(False, f"conll: line {n}: a token before the first DOCSTART line")
            docs.append([])
        tok, tag = cols
        valid = tag == "O" or re.fullmatch(r"[BI]-[a-z]+", tag) is not None
        if valid and tag.startswith("I-"):
            prev = sent[-1][1] if sent else "O"
            valid = prev[2:] == tag[2:] and prev[:1] in "BI"
        expect(valid, f"conll: line {n}: tag {tag!r} is not valid IOB2 here")
        if sent is None:
            sent = []
            docs[-1].append(sent)
        sent.append((tok, tag))
    return docs


def iob2_entities(sentences):
    """(label, tokens joined by spaces) of every entity, in order."""
    out = []
    for sent in sentences:
        for tok, tag in sent:
            if tag.startswith("B-"):
                out.append([tag[2:], [tok]])
            elif tag.startswith("I-"):
                out[-1][1].append(tok)
    return [(label, " ".join(toks)) for label, toks in out]


def conll_entities(text, sentences, annotations):
    """The entities a CoNLL export of `annotations` must hold, computed here
    from the text: tokens placed in the text, spans taken longest first (ties:
    earlier start, then file order) when none of their tokens is taken, and a
    span across lines split into one entity per line."""
    placed, pos = [], 0
    for sent in sentences:
        for tok, _ in sent:
            while text[pos].isspace():
                pos += 1
            if not text.startswith(tok, pos):
                return [("misplaced token", tok)]
            placed.append((pos, pos + len(tok), tok, text.count("\n", 0, pos)))
            pos += len(tok)
    taken = [None] * len(placed)
    order = sorted(annotations, key=lambda a: (a["start"] - a["end"], a["start"]))
    for a in order:
        covered = [i for i, (s, e, _, _) in enumerate(placed) if s < a["end"] and a["start"] < e]
        if covered and all(taken[i] is None for i in covered):
            for i in covered:
                taken[i] = id(a)
    out, last = [], None
    for i, (_, _, tok, line) in enumerate(placed):
        key = (taken[i], line) if taken[i] is not None else None
        if key is None:
            last = None
            continue
        if key != last:
            label = next(a["label"] for a in annotations if id(a) == taken[i])
            out.append([label, [tok]])
        else:
            out[-1][1].append(tok)
        last = key
    return [(label, " ".join(toks)) for label, toks in out]


def spacy_convert(path, expect):
    """The Docs `python3 -m spacy convert PATH OUT --converter ner` makes."""
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        expect(False, "spaCy is not installed (scripts/setup installs it)")
        return None
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([sys.executable, "-m", "spacy", "convert", str(path), out, "--converter", "ner"],
                             capture_output=True, text=True)
        outputs = list(pathlib.Path(out).glob("*.spacy"))
        if run.returncode != 0 or len(outputs) != 1:
            expect(False, f"spacy convert failed ({run.returncode}): {run.stdout[-300:]} {run.stderr[-300:]}")
            return None
        return list(DocBin().from_disk(outputs[0]).get_docs(spacy.blank("xx").vocab))


def check_w3c_context(w3c, empty_path, expect):
    anno = json.loads((HERE / "data" / "w3c" / "anno.jsonld").read_text(encoding="utf-8"))
    standard = set(anno["@context"])
    context = w3c.get("@context")
    inline = {}
    for c in context if isinstance(context, list) else [context]:
        if isinstance(c, dict):
            inline.update(c)
    expect(isinstance(context, list) and context[:1] == [ANNO_CONTEXT],
           f"w3c: @context {context!r} does not start with {ANNO_CONTEXT}")

    def keys(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k != "@context":
                    yield k
                    yield from keys(x)
        elif isinstance(v, list):
            for x in v:
                yield from keys(x)

    for k in sorted(set(keys(w3c)) - standard):
        expect(k.startswith("@") or k in inline, f"w3c: key {k!r} is in neither anno.jsonld nor the inline context")

    try:
        from pyld import jsonld
    except ImportError:
        expect(False, "PyLD is not installed (scripts/setup installs it)")
        return

    def loader(url, options=None):
        if url.rstrip("/").replace("https://", "http://") == ANNO_CONTEXT:
            return {"contentType": "application/ld+json", "contextUrl": None,
                    "documentUrl": url, "document": anno}
        raise RuntimeError(f"the check fetches nothing from the network: {url}")

    expanded = jsonld.expand(w3c, {"documentLoader": loader})
    flat = json.dumps(expanded, ensure_ascii=False)
    sources = [s for node in expanded for s in node.get(OUR_NS + "sources", [])]
    expect(len(sources) == len(w3c.get("article_annotator_sources", [])) > 0,
           f"w3c (expanded): {len(sources)} sources survive, {OUR_NS}sources lost")
    for s in w3c.get("article_annotator_sources", []):
        node = next((x for x in sources if x.get("@id") == s["id"]), {})
        title = [v.get("@value") for v in node.get("http://purl.org/dc/terms/title", [])]
        sha = [v.get("@value") for v in node.get(OUR_NS + "textSha256", [])]
        expect(title == [s["title"]] and sha == [s["text_sha256"]],
               f"w3c (expanded): {s['id']}: title {title} / hash {sha} did not survive expansion")
    expect("http://www.w3.org/ns/oa#hasTarget" in flat, "w3c (expanded): the annotations were lost")

    # Without annotations: total 0 and no (empty) page.
    if not empty_path.exists():
        expect(False, f"w3c: {empty_path} (an export without annotations) is missing")
        return
    empty = json.loads(empty_path.read_text(encoding="utf-8"))
    expect(empty.get("total") == 0 and "first" not in empty,
           f"w3c (no annotations): total {empty.get('total')!r}, first {empty.get('first')!r}")
    jsonld.expand(empty, {"documentLoader": loader})


def main(exports: pathlib.Path, seeds: pathlib.Path) -> int:
    texts = {}
    for folder in (seeds, HERE / "data" / "seeds"):
        texts.update({p.stem: canonical(p.read_bytes()) for p in folder.glob("*.txt")})
    passed = failed = 0

    def expect(ok, message):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            print(f"FAIL {message}")
            failed += 1

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
    expect(isinstance(w3c["first"].get("id"), str), "w3c: the embedded AnnotationPage has no id")
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

    # doccano: offsets in UTF-16 code units (doccano's editor counts them),
    # so the UTF-16 slice of the text is the quote; lines in article order.
    doccano = [json.loads(l) for l in
               (exports / "seed.doccano.jsonl").read_text(encoding="utf-8").splitlines()]
    expect(len(doccano) == len(native["articles"]),
           f"doccano: {len(doccano)} lines for {len(native['articles'])} articles")
    astral = 0
    for doc, art in zip(doccano, native["articles"]):
        text = doc["text"]
        expect(text == texts.get(art["id"]), f"doccano: {art['id']}: text differs from the canonical text")
        expect(len(doc["label"]) == len(art["annotations"]),
               f"doccano: {art['id']}: {len(doc['label'])} spans for {len(art['annotations'])} annotations")
        units = text.encode("utf-16-le")
        for (start, end, label), a in zip(doc["label"], art["annotations"]):
            got = units[2 * start:2 * end].decode("utf-16-le", errors="replace")
            expect(got == a["quote"] and label == a["label"],
                   f"doccano: {art['id']}: utf16[{start}:{end}] = {got!r} ({label}), "
                   f"quote {a['quote']!r} ({a['label']})")
            astral += start != a["start"]
    # The data must be able to tell code points from UTF-16 code units.
    expect(astral > 0, "doccano: no span follows a character outside the BMP; the check cannot fail")

    rows = list(csv.DictReader(io.StringIO((exports / "seed.csv.csv").read_text(encoding="utf-8-sig"))))
    for r in rows:
        check("csv", r["article_id"], int(r["start"]), int(r["end"]), r["quote"])
        # The sentence column runs from the start of the sentence holding
        # the span's start to the end of the one holding its end.
        text, start, end = texts.get(r["article_id"], ""), int(r["start"]), int(r["end"])
        sentence = r["sentence"]
        at = text.find(sentence)
        while at >= 0 and not at <= start < end <= at + len(sentence):
            at = text.find(sentence, at + 1)
        whole = at >= 0
        stop = at + len(sentence)
        ends = whole and (stop == len(text) or text[stop] == "\n" or text[stop - 1] in ".!?。")
        expect(whole and ends, f"csv: {r['article_id']} {start}-{end}: sentence {sentence!r} does not "
                               f"hold the whole quote {r['quote']!r} up to a sentence end")

    with zipfile.ZipFile(exports / "seed.brat.zip") as z:
        names = z.namelist()
        expect("annotation.conf" in names, "brat: the zip has no annotation.conf (brat calls every type unknown)")
        expect("visual.conf" in names, "brat: the zip has no visual.conf")
        declared = brat_types(z.read("annotation.conf").decode("utf-8")) if "annotation.conf" in names else {}
        expect(all(k in declared for k in ("entities", "relations", "events", "attributes")),
               f"brat: annotation.conf sections {sorted(declared)}")
        if "visual.conf" in names:
            visual = brat_types(z.read("visual.conf").decode("utf-8"))
            for kind in declared.get("entities", ()):
                expect(kind in visual.get("labels", ()) and kind in visual.get("drawing", ()),
                       f"brat: visual.conf has no label or colour for {kind}")
        for name in names:
            if name.endswith(".ann"):
                for line in z.read(name).decode("utf-8").splitlines():
                    kind = line.split("\t")[1].split(" ")[0] if "\t" in line else ""
                    section = {"T": "entities", "R": "relations", "E": "events",
                               "A": "attributes", "M": "attributes"}.get(line[:1])
                    if section:
                        expect(kind in declared.get(section, ()),
                               f"brat: {name}: type {kind!r} of {line.split(chr(9))[0]} "
                               f"is not declared in annotation.conf [{section}]")
        for name in names:
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

    # CoNLL / IOB2, read as two columns, by seqeval and by `spacy convert`.
    conll_path = exports / "seed.conll.conll"
    docs = read_conll(conll_path.read_text(encoding="utf-8"), expect)
    expect(len(docs) == len(native["articles"]) >= 2,
           f"conll: {len(docs)} documents for {len(native['articles'])} articles (need two or more)")
    expected = []
    for sentences, art in zip(docs, native["articles"]):
        tokens = [t for sent in sentences for t in sent]
        squeezed = "".join(texts[art["id"]].split())
        expect("".join(t for t, _ in tokens) == squeezed, f"conll: {art['id']}: the tokens do not spell the article")
        expected.append(conll_entities(texts[art["id"]], sentences, art["annotations"]))
        got = iob2_entities(sentences)
        expect(got == expected[-1], f"conll: {art['id']}: entities {got} != expected {expected[-1]}")
        try:
            from seqeval.scheme import IOB2, Entities
            tags = [[tag for _, tag in sent] for sent in sentences]
            n = sum(len(e) for e in Entities(tags, IOB2).entities)
            expect(n == len(expected[-1]), f"seqeval: {art['id']}: {n} entities, expected {len(expected[-1])}")
        except ImportError:
            expect(False, "seqeval is not installed (scripts/setup installs it)")
    spacy_docs = spacy_convert(conll_path, expect)
    if spacy_docs is not None:
        expect(len(spacy_docs) == len(native["articles"]),
               f"spacy convert: {len(spacy_docs)} documents for {len(native['articles'])} articles")
        for doc, want, art in zip(spacy_docs, expected, native["articles"]):
            got = [(e.label_, e.text) for e in doc.ents]
            expect(got == want, f"spacy convert: {art['id']}: entities {got} != expected {want}")
            expect(doc[0].text != "-DOCSTART-", f"spacy convert: {art['id']}: the DOCSTART line became a token")

    # W3C: the keys the Web Annotation context does not define are defined
    # inline, and survive JSON-LD expansion (PyLD, offline).
    check_w3c_context(w3c, exports / "empty.w3c.jsonld", expect)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])))
