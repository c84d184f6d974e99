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
(CoNLL), brat's rules (its projectconfig's reading of annotation.conf and
its verify_annotations checks), spaCy's Doc built from the Prodigy tokens,
doccano's import rules for relation projects, PyLD (the W3C JSON-LD,
expanded with the W3C context from tests/data/w3c/, never the network).

Relations (FORMAT.md version 2): every format that carries them (native,
W3C, brat, doccano, Prodigy, CSV) must hold the same relations as the native
file, each read back through that format's own references (annotation ids,
T ids, entity ids, token spans, names) to the (type, from text, to text) of
its ends; brat's A and AnnotatorNotes lines and the CSV's columns must hold
the native file's fields. Prints one line per failure and
"N passed, M failed"; exits 1 on any failure.
"""
import csv
import io
import json
import pathlib
import re
import subprocess
import sys
from collections import Counter
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
OUR_NS = "urn:article-annotator:ns:"
DOCSTART = "-DOCSTART- -X- O O"
RELATIONS = {"said_by": "claim", "committed_by": "commitment"}  # type: the label it starts from
STATUSES = ["not_rated", "in_progress", "stalled", "compromise", "kept", "broken"]
CHECKABLE = ["yes", "no", "unsure"]
CSV_COLUMNS = ["article_id", "headline", "label", "start", "end", "quote", "note", "sentence",
               "said_by", "committed_by", "name", "deadline", "due", "status", "status_at", "checkable", "annotator"]
# brat's reserved configuration strings (projectconfig.reserved_config_name):
# any other <NAME> in annotation.conf is an undefined macro, and brat stops.
BRAT_RESERVED = {"<%s>" % n for n in (
    "ANY", "ENTITY", "RELATION", "EVENT", "NONE", "EMPTY", "REL-TYPE", "URL", "URLBASE",
    "UNICODE", "GLYPH-POS", "DEFAULT", "NORM", "OVERLAP", "OVL-TYPE", "INHERIT")}


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


class BratConf:
    """annotation.conf as brat's projectconfig reads it: per section, lines
    of `TYPE[|ALIAS…]` and comma-separated `ROLE:TYPE[|TYPE…]` arguments
    (any whitespace between, `#` comments and blank lines skipped). Every
    argument must match brat's `^(\\S*?):(\\S*)$` and every `<NAME>` must be
    one of brat's reserved strings, or brat refuses the configuration."""

    def __init__(self, conf: str, expect):
        self.sections = {}
        current = None
        for n, raw in enumerate(conf.splitlines(), 1):
            if not raw.strip() or re.match(r"^\s*#", raw):
                continue
            m = re.fullmatch(r"\s*\[(\w+)\]\s*", raw)
            if m:
                current = self.sections.setdefault(m.group(1), [])
                continue
            if current is None:
                expect(False, f"brat conf: line {n}: {raw!r} is outside any section")
                continue
            for macro in re.findall(r"<.*?>", raw):
                expect(macro in BRAT_RESERVED, f"brat conf: line {n}: undefined macro {macro}")
            m = re.match(r"^(\s*)(\S+)(?:\s+(.*))?$", raw)
            terms = [t.strip() for t in m.group(2).split("|") if t.strip()]
            args = {}
            for a in [a.strip() for a in (m.group(3) or "").split(",") if a.strip()]:
                am = re.match(r"^(\S*?):(\S*)$", a)
                if not am:
                    expect(False, f"brat conf: line {n}: brat fails to parse argument {a!r}")
                    continue
                role, types = am.groups()
                expect(role not in args, f"brat conf: line {n}: argument {role} appears twice")
                args[role] = types.split("|")
                expect(all(t.strip() for t in args[role]), f"brat conf: line {n}: empty type in {a!r}")
            current.append((terms[0], args))

    def types(self, section):
        """The types a section declares (not brat's special ones, <OVERLAP>)."""
        return [t for t, _ in self.sections.get(section, []) if not t.startswith("<")]

    def matches(self, declared, actual):
        """Whether an argument declared as `declared` takes an `actual`
        type, as brat's relations_by_arg matches them."""
        entities = self.types("entities")
        return (declared == actual or "<ANY>" in (declared, actual)
                or (declared == "<ENTITY>" and actual in entities)
                or (actual == "<ENTITY>" and declared in entities))

    def relation_allowed(self, kind, arg1, arg2):
        """brat's verify_relations, in the direction written: a relation of
        `kind` declared with roles Arg1, Arg2 whose types take arg1, arg2."""
        for name, args in self.sections.get("relations", []):
            if name == kind and list(args) == ["Arg1", "Arg2"]:
                if any(self.matches(t, arg1) for t in args["Arg1"]) and \
                        any(self.matches(t, arg2) for t in args["Arg2"]):
                    return True
        return False

    def overlap_types(self, inner, outer):
        """brat's overlap_types: the <OVL-TYPE> values of the <OVERLAP>
        rules whose Arg1 takes `inner` and Arg2 takes `outer`."""
        out = set()
        for name, args in self.sections.get("relations", []):
            if name == "<OVERLAP>" and \
                    any(self.matches(t, inner) for t in args.get("Arg1", [])) and \
                    any(self.matches(t, outer) for t in args.get("Arg2", [])):
                for v in args.get("<OVL-TYPE>", []):
                    out |= set(v.split("|"))
        return out

    def overlap_allowed(self, t1, t2, how):
        """brat's spans_can_be_equal / span_can_contain / spans_can_cross."""
        if how == "contain":  # a t1 span inside a t2 span
            return bool({"contain", "<ANY>"} & self.overlap_types(t1, t2)) or \
                "<ANY>" in self.overlap_types(t2, t1)
        return bool({how, "<ANY>"} & (self.overlap_types(t1, t2) | self.overlap_types(t2, t1)))

    def attribute(self, name):
        return next((args for t, args in self.sections.get("attributes", []) if t == name), None)


def check_brat_ann(name, ann, conf, expect):
    """One .ann file against brat's rules (annotation.py's line syntax,
    verify_annotations' checks): ids unique; every T type an entity type;
    every R type a declared relation whose Arg1/Arg2 types take its
    arguments' types, both arguments existing T ids; every A type a
    declared attribute that the target's type takes, with one of its
    values, on an existing T id; every AnnotatorNotes on an existing id;
    overlapping spans allowed by the <OVERLAP> rules. Returns the T spans
    (id: (type, [(start, end)…])), the R lines (type, arg1, arg2), the A
    lines (type, target, value) and the notes (target: text)."""
    spans, relations, attributes, notes, seen = {}, [], [], {}, set()
    for n, line in enumerate(ann.splitlines(), 1):
        where = f"brat: {name}: line {n}"
        ident, _, rest = line.partition("\t")
        expect(ident not in seen, f"{where}: duplicate id {ident}")
        seen.add(ident)
        data, tab, tail = rest.partition("\t")
        if re.fullmatch(r"T\d+", ident):
            kind, _, offsets = data.partition(" ")
            frags = [tuple(map(int, f.split())) for f in offsets.split(";")]
            spans[ident] = (kind, frags)
            expect(kind in conf.types("entities"), f"{where}: {kind!r} is not a known textbound type")
        elif re.fullmatch(r"R\d+", ident):
            parts = data.split()
            args = [tuple(p.split(":")) for p in parts[1:]]
            ok = len(args) == 2 and [a[0] for a in args] == ["Arg1", "Arg2"]
            expect(ok, f"{where}: {data!r}: a relation needs Arg1 and Arg2")
            if ok:
                relations.append((parts[0], args[0][1], args[1][1], where))
        elif re.fullmatch(r"A\d+", ident):
            parts = data.split(" ")
            expect(len(parts) == 3, f"{where}: {data!r} is not TYPE TARGET VALUE")
            if len(parts) == 3:
                attributes.append((parts[0], parts[1], parts[2], where))
        elif re.fullmatch(r"#\d*", ident):
            kind, _, target = data.partition(" ")
            expect(kind == "AnnotatorNotes" and tab == "\t",
                   f"{where}: {line!r} is not an AnnotatorNotes line")
            notes[target] = tail
        else:
            expect(False, f"{where}: {line!r} is not a line this export writes")
    for kind, a1, a2, where in relations:
        ok = a1 in spans and a2 in spans
        expect(ok, f"{where}: an argument of {kind} {a1} {a2} is not a T id")
        if ok:
            t1, t2 = spans[a1][0], spans[a2][0]
            expect(kind in conf.types("relations"), f"{where}: {kind!r} is not a known relation type")
            expect(conf.relation_allowed(kind, t1, t2),
                   f"{where}: {kind} relation Arg1:{t1} Arg2:{t2} not allowed by annotation.conf")
    for kind, target, value, where in attributes:
        declared = conf.attribute(kind)
        expect(declared is not None, f"{where}: attribute {kind!r} is not declared")
        expect(target in spans, f"{where}: attribute target {target} is not a T id")
        if declared is not None and target in spans:
            t = spans[target][0]
            expect(any(conf.matches(x, t) for x in declared.get("Arg", [])),
                   f"{where}: {t} cannot take a {kind} attribute")
            expect(value in declared.get("Value", []), f"{where}: {value!r} is not a value of {kind}")
    for target in notes:
        expect(target in seen, f"brat: {name}: AnnotatorNotes on {target}, which is no id")
    # verify_entity_overlap: every pair of overlapping spans, in both orders.
    ids = sorted(spans)
    for i in ids:
        for j in ids:
            if i == j:
                continue
            (k1, f1), (k2, f2) = spans[i], spans[j]
            s1, e1, s2, e2 = min(f1)[0], max(e for _, e in f1), min(f2)[0], max(e for _, e in f2)
            if not (s2 < e1 and e2 > s1):
                continue
            inside = lambda inner, outer: all(any(os <= s and e <= oe for os, oe in outer) for s, e in inner)
            if set(f1) == set(f2):
                how = "equal"
            elif inside(f1, f2):
                how = "contain"
            elif inside(f2, f1):
                continue  # checked as (j, i)
            else:
                how = "cross"
            expect(conf.overlap_allowed(k1, k2, how),
                   f"brat: {name}: {i} ({k1}) and {j} ({k2}) overlap ({how}); annotation.conf does not allow it")
    return spans, [(k, a, b) for k, a, b, _ in relations], [(k, t, v) for k, t, v, _ in attributes], notes


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

    # The relations every format must hold: the native file's, as
    # (article, type, from quote, to quote), each counted.
    want = Counter()
    for art in native["articles"]:
        by_id = {a["id"]: a for a in art["annotations"]}
        for r in art.get("relations", []):
            f, t = by_id.get(r["from"]), by_id.get(r["to"])
            expect(f is not None and t is not None,
                   f"native: {art['id']}: relation {r['id']} points at an annotation not in the file")
            if f is not None and t is not None:
                expect(f["label"] == RELATIONS.get(r["type"]) and t["label"] == "entity",
                       f"native: {art['id']}: {r['type']} from a {f['label']} to a {t['label']}")
                want[(art["id"], r["type"], f["quote"], t["quote"])] += 1
    expect(len({k[0] for k in want}) == len(native["articles"]) >= 2 and
           {k[1] for k in want} == set(RELATIONS),
           f"native: every article needs relations of both types for the relation checks to mean "
           f"anything; found {sorted(want)}")

    def same_relations(fmt, got, expected=None):
        expected = want if expected is None else expected
        extra, missing = got - expected, expected - got
        expect(not extra and not missing,
               f"{fmt}: relations differ from the native file's: extra {sorted(extra)}, missing {sorted(missing)}")

    def name_of(a):
        return (a.get("attributes") or {}).get("name") or a["quote"]

    # The native annotation at (article, label, start, end), with its article.
    native_at = {(art["id"], a["label"], a["start"], a["end"]): (a, art)
                 for art in native["articles"] for a in art["annotations"]}

    w3c = json.loads((exports / "seed.w3c.jsonld").read_text(encoding="utf-8"))
    expect(isinstance(w3c["first"].get("id"), str), "w3c: the embedded AnnotationPage has no id")
    quoted, linking = {}, []
    for a in w3c["first"]["items"]:
        if a.get("motivation") == "linking":
            linking.append(a)
            continue
        article = a["target"]["source"].rsplit(":", 1)[-1]
        sel = {s["type"]: s for s in a["target"]["selector"]}
        pos, quote = sel["TextPositionSelector"], sel["TextQuoteSelector"]
        check("w3c", article, pos["start"], pos["end"], quote["exact"])
        quoted[a["id"]] = (article, quote["exact"])
    # A relation is a linking annotation: its type the classifying body,
    # its targets the two annotations (from, then to), by id.
    got = Counter()
    for link in linking:
        targets, body = link.get("target"), link.get("body", {})
        ok = (isinstance(targets, list) and len(targets) == 2 and all(t in quoted for t in targets)
              and body.get("purpose") == "classifying")
        expect(ok, f"w3c: linking annotation {link.get('id')}: targets {targets} are not two annotations of the file")
        if ok:
            (a1, q1), (a2, q2) = quoted[targets[0]], quoted[targets[1]]
            expect(a1 == a2, f"w3c: {link.get('id')} links annotations of two articles")
            got[(a1, body.get("value"), q1, q2)] += 1
    same_relations("w3c", got)

    # spaCy/Prodigy: code points, and Prodigy's relations task: the tokens
    # spell the text when spaCy builds a Doc of them (words and spaces), each
    # span is that Doc's char_span over exactly its token_start..token_end,
    # and each relation's head and child are its spans' last tokens.
    try:
        from spacy.tokens import Doc
        from spacy.vocab import Vocab
        vocab = Vocab()
    except ImportError:
        expect(False, "spaCy is not installed (scripts/setup installs it)")
        Doc = None
    got = Counter()
    for line in (exports / "seed.spacy.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        art_id, text = doc["meta"]["id"], doc["text"]
        if text != texts.get(art_id):
            print("FAIL spacy: text differs from the canonical text")
            failed += 1
        for s in doc["spans"]:
            quote = text[s["start"]:s["end"]]
            check("spacy", art_id, s["start"], s["end"], quote)
            check("spacy vs native", art_id, s["start"], s["end"],
                  next(a["quote"] for art in native["articles"] for a in art["annotations"]
                       if a["start"] == s["start"] and a["end"] == s["end"] and a["label"] == s["label"]))
        tokens = doc.get("tokens", [])
        expect(all(set(t) == {"text", "start", "end", "id", "ws"} for t in tokens)
               and [t["id"] for t in tokens] == list(range(len(tokens))) and tokens,
               f"prodigy: {art_id}: tokens are not [{{text, start, end, id, ws}}] numbered from 0")
        misplaced = [t for t in tokens if text[t["start"]:t["end"]] != t["text"]]
        expect(not misplaced, f"prodigy: {art_id}: tokens not at their offsets: {misplaced[:3]}")
        if Doc is not None and tokens:
            sdoc = Doc(vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
            expect(sdoc.text == text, f"prodigy: {art_id}: spaCy's Doc of the tokens does not spell the text")
            for s in doc["spans"]:
                span = sdoc.char_span(s["start"], s["end"], label=s["label"])
                expect(span is not None and (span.start, span.end - 1) == (s["token_start"], s["token_end"]),
                       f"prodigy: {art_id}: span {s} is not tokens {s['token_start']}..{s['token_end']} "
                       f"(spaCy: {span and (span.start, span.end - 1)})")
        for r in doc.get("relations", []):
            ok = set(r) == {"head", "child", "head_span", "child_span", "label"}
            expect(ok, f"prodigy: {art_id}: relation keys {sorted(r)}")
            if not ok:
                continue
            head, child = r["head_span"], r["child_span"]
            expect(r["head"] == head["token_end"] and r["child"] == child["token_end"],
                   f"prodigy: {art_id}: head {r['head']} / child {r['child']} are not their spans' last tokens")
            expect(head in doc["spans"] and child in doc["spans"],
                   f"prodigy: {art_id}: a relation's span is not among the spans: {head} {child}")
            expect(head["label"] == RELATIONS.get(r["label"]) and child["label"] == "entity",
                   f"prodigy: {art_id}: {r['label']} from a {head['label']} to a {child['label']}")
            got[(art_id, r["label"], text[head["start"]:head["end"]], text[child["start"]:child["end"]])] += 1
    same_relations("prodigy", got)

    # doccano: the shape its relation projects import ({text, entities,
    # relations}), offsets in UTF-16 code units (doccano's editor counts
    # them), so the UTF-16 slice of the text is the quote; lines in article
    # order. As doccano's importer: a span has a label and 0 <= start < end,
    # a relation's from_id and to_id are entity ids of the same line.
    doccano = [json.loads(l) for l in
               (exports / "seed.doccano.jsonl").read_text(encoding="utf-8").splitlines()]
    expect(len(doccano) == len(native["articles"]),
           f"doccano: {len(doccano)} lines for {len(native['articles'])} articles")
    astral = 0
    entity_ids, relation_ids, got = set(), set(), Counter()
    for doc, art in zip(doccano, native["articles"]):
        text = doc["text"]
        expect(set(doc) == {"text", "entities", "relations", "label"}, f"doccano: {art['id']}: keys {sorted(doc)}")
        # `label`: the sequence-labelling projects' column, the same spans.
        expect(doc.get("label") == [[e["start_offset"], e["end_offset"], e["label"]] for e in doc.get("entities", [])],
               f"doccano: {art['id']}: label differs from entities")
        expect(text == texts.get(art["id"]), f"doccano: {art['id']}: text differs from the canonical text")
        entities = doc.get("entities", [])
        expect(len(entities) == len(art["annotations"]),
               f"doccano: {art['id']}: {len(entities)} spans for {len(art['annotations'])} annotations")
        units = text.encode("utf-16-le")
        span_of = {}
        for e, a in zip(entities, art["annotations"]):
            start, end = e.get("start_offset"), e.get("end_offset")
            ok = (set(e) == {"id", "label", "start_offset", "end_offset"} and isinstance(e["id"], int)
                  and isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(units) // 2
                  and isinstance(e["label"], str) and e["label"] and e["id"] not in entity_ids)
            expect(ok, f"doccano: {art['id']}: entity {e} is not one doccano imports (or its id is taken)")
            if not ok:
                continue
            entity_ids.add(e["id"])
            got_quote = units[2 * start:2 * end].decode("utf-16-le", errors="replace")
            expect(got_quote == a["quote"] and e["label"] == a["label"],
                   f"doccano: {art['id']}: utf16[{start}:{end}] = {got_quote!r} ({e['label']}), "
                   f"quote {a['quote']!r} ({a['label']})")
            span_of[e["id"]] = (e["label"], got_quote)
            astral += start != a["start"]
        for r in doc.get("relations", []):
            ok = (set(r) == {"id", "from_id", "to_id", "type"}
                  and all(isinstance(r[k], int) for k in ("id", "from_id", "to_id"))
                  and isinstance(r["type"], str) and r["type"] and r["id"] not in relation_ids)
            expect(ok, f"doccano: {art['id']}: relation {r} is not one doccano imports (or its id is taken)")
            if not ok:
                continue
            relation_ids.add(r["id"])
            ends = (span_of.get(r["from_id"]), span_of.get(r["to_id"]))
            expect(None not in ends and r["from_id"] != r["to_id"],
                   f"doccano: {art['id']}: relation {r} does not join two entities of its line")
            if None not in ends:
                (l1, q1), (l2, q2) = ends
                expect(l1 == RELATIONS.get(r["type"]) and l2 == "entity",
                       f"doccano: {art['id']}: {r['type']} from a {l1} to a {l2}")
                got[(art["id"], r["type"], q1, q2)] += 1
    # The data must be able to tell code points from UTF-16 code units.
    expect(astral > 0, "doccano: no span follows a character outside the BMP; the check cannot fail")
    same_relations("doccano", got)

    csv_text = (exports / "seed.csv.csv").read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(csv_text)), [])
    expect(header == CSV_COLUMNS, f"csv: header {header}, expected {CSV_COLUMNS} (new columns go at the end)")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
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
    # Relations as names: said_by and committed_by name the linked
    # entities (an entity's name, else its quote; '; ' between), in the
    # order the native file lists the relations; the fields as they are.
    got, want_named = Counter(), Counter()
    for art in native["articles"]:
        by_id = {a["id"]: a for a in art["annotations"]}
        for rel in art.get("relations", []):
            if rel["from"] in by_id and rel["to"] in by_id:
                want_named[(art["id"], rel["type"], by_id[rel["from"]]["quote"], name_of(by_id[rel["to"]]))] += 1
    for r in rows:
        key = (r["article_id"], r["label"], int(r["start"]), int(r["end"]))
        a, art = native_at.get(key, (None, None))
        expect(a is not None, f"csv: {key} is no annotation of the native file")
        if a is None:
            continue
        by_id = {x["id"]: x for x in art["annotations"]}
        attributes = a.get("attributes") or {}
        for kind in RELATIONS:
            names = [name_of(by_id[rel["to"]]) for rel in art.get("relations", [])
                     if rel["from"] == a["id"] and rel["type"] == kind and rel["to"] in by_id]
            expect(r[kind] == "; ".join(names), f"csv: {key}: {kind} {r[kind]!r}, expected {'; '.join(names)!r}")
            for n in filter(None, r[kind].split("; ")):
                got[(r["article_id"], kind, r["quote"], n)] += 1
        for field in ("name", "deadline", "due", "status", "status_at", "checkable"):
            expect(r[field] == attributes.get(field, ""),
                   f"csv: {key}: {field} {r[field]!r}, the native file has {attributes.get(field, '')!r}")
    expect(got == want_named, f"csv: relations (to names) differ: extra {sorted(got - want_named)}, "
                              f"missing {sorted(want_named - got)}")

    with zipfile.ZipFile(exports / "seed.brat.zip") as z:
        names = z.namelist()
        expect("annotation.conf" in names, "brat: the zip has no annotation.conf (brat calls every type unknown)")
        expect("visual.conf" in names, "brat: the zip has no visual.conf")
        conf = BratConf(z.read("annotation.conf").decode("utf-8") if "annotation.conf" in names else "", expect)
        expect(all(k in conf.sections for k in ("entities", "relations", "events", "attributes")),
               f"brat: annotation.conf sections {sorted(conf.sections)}")
        expect(set(conf.types("relations")) == set(RELATIONS)
               and all(conf.relation_allowed(k, label, "entity") for k, label in RELATIONS.items()),
               f"brat: annotation.conf relations {conf.sections.get('relations')}")
        expect(conf.attribute("status") == {"Arg": ["commitment"], "Value": STATUSES}
               and conf.attribute("checkable") == {"Arg": ["claim"], "Value": CHECKABLE},
               f"brat: annotation.conf attributes {conf.sections.get('attributes')}")
        if "visual.conf" in names:
            visual = brat_types(z.read("visual.conf").decode("utf-8"))
            for kind in conf.types("entities"):
                expect(kind in visual.get("labels", ()) and kind in visual.get("drawing", ()),
                       f"brat: visual.conf has no label or colour for {kind}")
            for kind in conf.types("relations") + conf.types("attributes"):
                expect(kind in visual.get("labels", ()), f"brat: visual.conf has no label for {kind}")
        got, overlaps, attributes_seen = Counter(), 0, 0
        for name in names:
            if not name.endswith(".ann"):
                continue
            article = name[:-4]
            txt = z.read(article + ".txt").decode("utf-8")
            if txt != texts.get(article):
                print(f"FAIL brat: {article}.txt differs from the canonical text")
                failed += 1
            ann = z.read(name).decode("utf-8")
            spans, relations, attrs, notes = check_brat_ann(name, ann, conf, expect)
            for line in ann.splitlines():
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
            # A T's text is its first fragment's start to its last's end.
            outer = {t: (kind, f[0][0], f[-1][1]) for t, (kind, f) in spans.items()}
            for kind, a1, a2 in relations:
                if a1 in outer and a2 in outer:
                    got[(article, kind, txt[outer[a1][1]:outer[a1][2]], txt[outer[a2][1]:outer[a2][2]])] += 1
            overlaps += sum(1 for x in outer.values() for y in outer.values()
                            if x is not y and x[1] <= y[1] and y[2] <= x[2])
            # Fields: status and checkable as A lines, the others with the
            # note in the T's AnnotatorNotes, as the native file has them.
            for t, (kind, start, end) in outer.items():
                a, _ = native_at.get((article, kind, start, end), (None, None))
                expect(a is not None, f"brat: {name}: {t} is no annotation of the native file")
                if a is None:
                    continue
                fields = a.get("attributes") or {}
                want_attrs = sorted((k, fields[k]) for k in ("status", "checkable") if k in fields)
                got_attrs = sorted((k, v) for k, target, v in attrs if target == t)
                attributes_seen += len(got_attrs)
                expect(got_attrs == want_attrs, f"brat: {name}: {t}: attributes {got_attrs}, expected {want_attrs}")
                note = notes.get(t, "")
                wanted = [f"{k}: {fields[k]}" for k in ("name", "deadline", "due", "status_at") if k in fields]
                if a["note"]:
                    wanted.insert(0, " ".join(a["note"].split()))
                expect(all(w in note for w in wanted) and (note == "") == (not wanted),
                       f"brat: {name}: {t}: AnnotatorNotes {note!r} should hold {wanted}")
        expect(overlaps > 0 and attributes_seen > 0,
               "brat: no nested spans or no attributes in the export; the overlap and attribute checks cannot fail")
        # brat marks a span from its first fragment to its last (line breaks
        # at its ends left out) and leaves out one of nothing but them.
        marked = Counter()
        for (art, kind, f, t), n in want.items():
            if f.strip("\n") and t.strip("\n"):
                marked[(art, kind, f.strip("\n"), t.strip("\n"))] += n
        same_relations("brat", got, marked)

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
