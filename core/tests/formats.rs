//! Every export format against golden files, round trips, import refusals,
//! re-anchoring and property tests. Set UPDATE_GOLDEN=1 to rewrite the
//! golden files after an intended change (then review the diff).
//!
//! The exports are also written to `target/tmp/exports/` for the Python
//! check (`tests/check_exports.py`), which scripts/test runs.

use annotator_core::ids::{AnnotationId, ArticleId, Timestamp};
use std::io::Read;
use std::path::PathBuf;

use annotator_core::attributes::{Checkable, Field, Status};
use annotator_core::edit::{self, Edit};
use annotator_core::formats::export::{self, Doc, Format};
use annotator_core::formats::import::{self, ImportError};
use annotator_core::formats::{brat, conll, csv as csv_format};
use annotator_core::linking;
use annotator_core::relation::RelationType;
use annotator_core::{Annotation, Article, Catalog, Label, Span, Workspace};
use proptest::prelude::*;

const SEED_ID: &str = "000_6ee9234a710e1662";
const SEED: &str = include_str!("data/seed.txt");
/// The e2e seed with a BOM, CRLF, emoji, CJK and combining marks: the
/// exports hold it too, so every offset unit is tested past an astral
/// character (`tests/check_exports.py` reads it from `tests/data/seeds/`).
const UNICODE_ID: &str = "zz_unicode_crlf";
const UNICODE: &str = include_str!("../../tests/data/seeds/zz_unicode_crlf.txt");
const NOW: &str = "2026-11-26T10:00:00.000Z";

fn catalog() -> Catalog {
    Catalog::from_seeds(&[(SEED_ID, SEED)]).0
}

fn catalog_both() -> Catalog {
    Catalog::from_seeds(&[(SEED_ID, SEED), (UNICODE_ID, UNICODE)]).0
}

fn span_of(article: &Article, quote: &str) -> Span {
    let byte = article.text().find(quote).expect("quote in the seed");
    let start = article.text()[..byte].chars().count();
    Span::new(start, start + quote.chars().count(), article.len()).expect("span")
}

/// The fixture: one annotation per label, an overlap, a note, and a span
/// across a paragraph break.
/// Tags each (id, label, quote) row in `article` (first occurrence).
fn tag_rows(
    ws: &mut Workspace,
    catalog: &Catalog,
    article: &Article,
    rows: &[(&str, Label, &str)],
) {
    for (id, label, quote) in rows {
        let set = ws.set(article.id()).cloned().unwrap_or_default();
        let change = edit::create(
            &set,
            &ArticleId::from(article.id()),
            article.text(),
            *label,
            span_of(article, quote),
            AnnotationId::from(id),
            &Timestamp::from(&NOW),
        )
        .expect("new");
        ws.apply(catalog, &Edit::one("tag", change), NOW);
    }
}

/// Links (from, to) and sets fields (id, field) in `article`: the
/// attribution and fields of FORMAT.md version 2, each as its own edit, as
/// the app's commands make them.
fn link_rows(
    ws: &mut Workspace,
    catalog: &Catalog,
    article: &str,
    links: &[(&str, &str)],
    fields: &[(&str, Field)],
) {
    let id = ArticleId::from(article);
    let now = Timestamp::from(&NOW);
    for (from, to) in links {
        let set = ws.set(article).cloned().unwrap_or_default();
        let change = linking::link(
            &set,
            &id,
            &AnnotationId::from(from),
            &AnnotationId::from(to),
            // The relation's id: the last digits of its ends' ids.
            &format!(
                "00000000-0000-4000-9000-{}{}",
                &from[from.len() - 6..],
                &to[to.len() - 6..]
            ),
            &now,
        )
        .expect("link");
        ws.apply(catalog, &Edit::one("link", change), NOW);
    }
    for (on, field) in fields {
        let set = ws.set(article).cloned().unwrap_or_default();
        let change = linking::set_field(
            &set,
            &id,
            &AnnotationId::from(on),
            field,
            "2026-11-26",
            &now,
        )
        .expect("field");
        ws.apply(catalog, &Edit::one("field", change), NOW);
    }
}

fn fixture() -> Workspace {
    let catalog = catalog();
    let article = catalog.get(SEED_ID).expect("seed");
    let mut ws = Workspace::new();
    let rows = [
        (
            "00000000-0000-4000-8000-000000000001",
            Label::Entity,
            "Shinjiro Koizumi",
        ),
        (
            "00000000-0000-4000-8000-000000000002",
            Label::Claim,
            "Defence Ministry said.\nShinjiro Koizumi",
        ),
        (
            "00000000-0000-4000-8000-000000000003",
            Label::Commitment,
            "agreed to conduct joint naval search-and-rescue exercises",
        ),
        (
            "00000000-0000-4000-8000-000000000004",
            Label::Entity,
            "Ahn Gyu-back",
        ),
    ];
    tag_rows(&mut ws, &catalog, article, &rows);
    let set = ws.set(SEED_ID).cloned().unwrap_or_default();
    let note = edit::set_note(
        &set,
        &ArticleId::from(&SEED_ID),
        &AnnotationId::from(&rows[0].0),
        "Japan's defence minister, “new”",
        &Timestamp::from(&NOW),
    )
    .expect("note");
    ws.apply(&catalog, &Edit::one("note", note), NOW);
    ws
}

/// `fixture()` plus annotations on the Unicode article, each after an
/// emoji: nested spans, a span across sentences and one across a line.
fn fixture_both() -> Workspace {
    let catalog = catalog_both();
    let article = catalog.get(UNICODE_ID).expect("unicode seed");
    let mut ws = fixture();
    let rows = [
        (
            "00000000-0000-4000-8000-000000000011",
            Label::Entity,
            "東京",
        ),
        (
            "00000000-0000-4000-8000-000000000012",
            Label::Claim,
            "東京で会議が開かれた。Emoji runs 🎉🎉",
        ),
        (
            "00000000-0000-4000-8000-000000000013",
            Label::Commitment,
            "then plain words",
        ),
        (
            "00000000-0000-4000-8000-000000000014",
            Label::Entity,
            "Cafe\u{301}",
        ),
        (
            "00000000-0000-4000-8000-000000000015",
            Label::Claim,
            "precomposed café.\nCJK text",
        ),
        (
            "00000000-0000-4000-8000-000000000016",
            Label::Entity,
            "👩\u{200d}💻",
        ),
    ];
    tag_rows(&mut ws, &catalog, article, &rows);
    // Relations and fields (version 2): on the seed, a claim said by the
    // entity nested in it, a commitment committed by two entities (one with
    // a name other than its quote), a note beside fields; on the Unicode
    // article, relations between spans after astral characters.
    let id = |n: u32| format!("00000000-0000-4000-8000-{n:012}");
    link_rows(
        &mut ws,
        &catalog,
        SEED_ID,
        &[(&id(2), &id(1)), (&id(3), &id(1)), (&id(3), &id(4))],
        &[
            (&id(4), Field::Name("Ahn Gyu-baek".into())),
            (&id(2), Field::Checkable(Some(Checkable::Yes))),
            (&id(3), Field::Deadline("by March 2027".into())),
            (&id(3), Field::Status(Some(Status::InProgress))),
        ],
    );
    link_rows(
        &mut ws,
        &catalog,
        UNICODE_ID,
        &[(&id(12), &id(16)), (&id(13), &id(14)), (&id(13), &id(11))],
        &[
            (&id(11), Field::Name("Tokyo".into())),
            (&id(12), Field::Checkable(Some(Checkable::Unsure))),
            (&id(13), Field::Deadline("before 31 March 2027".into())),
            (&id(13), Field::Status(Some(Status::Kept))),
        ],
    );
    let set = ws.set(SEED_ID).cloned().unwrap_or_default();
    let note = edit::set_note(
        &set,
        &ArticleId::from(&SEED_ID),
        &AnnotationId::from(id(3)),
        "joint exercises; first of their kind",
        &Timestamp::from(&NOW),
    )
    .expect("note");
    ws.apply(&catalog, &Edit::one("note", note), NOW);
    ws
}

/// Both articles' documents, the seed first.
fn docs_both<'a>(catalog: &'a Catalog, ws: &Workspace) -> Vec<Doc<'a>> {
    [SEED_ID, UNICODE_ID]
        .into_iter()
        .map(|id| Doc {
            article: catalog.get(id).expect("article"),
            annotations: ws.set(id).map(|s| s.items().to_vec()).unwrap_or_default(),
            meta: None,
            carries_text: false,
        })
        .collect()
}

fn docs<'a>(catalog: &'a Catalog, ws: &Workspace) -> Vec<Doc<'a>> {
    let article = catalog.get(SEED_ID).expect("seed");
    vec![Doc {
        article,
        annotations: ws
            .set(SEED_ID)
            .map(|s| s.items().to_vec())
            .unwrap_or_default(),
        meta: None,
        carries_text: false,
    }]
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden")
}

fn check_golden(name: &str, actual: &[u8]) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden_dir()).expect("golden dir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("missing golden file {name}; run with UPDATE_GOLDEN=1"));
    assert!(
        expected == actual,
        "{name} differs from its golden file:\n{}",
        String::from_utf8_lossy(actual)
    );
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).expect("entry");
            let mut out = Vec::new();
            f.read_to_end(&mut out).expect("read");
            (f.name().expect("name").to_string(), out)
        })
        .collect()
}

#[test]
fn every_format_matches_its_golden_file_and_is_written_for_the_python_check() {
    let catalog = catalog_both();
    let ws = fixture_both();
    let docs = docs_both(&catalog, &ws);
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("exports");
    std::fs::create_dir_all(&out).expect("exports dir");
    for format in Format::ALL {
        let bytes = export::export(&docs, format, NOW, None);
        let name = format!("seed.{}.{}", format.key(), format.extension());
        std::fs::write(out.join(&name), &bytes).expect("write export");
        if format == Format::Brat {
            let files = unzip(&bytes);
            let names: Vec<_> = files.iter().map(|f| f.0.clone()).collect();
            assert_eq!(
                names,
                [
                    "annotation.conf".to_string(),
                    "visual.conf".to_string(),
                    format!("{SEED_ID}.txt"),
                    format!("{SEED_ID}.ann"),
                    format!("{UNICODE_ID}.txt"),
                    format!("{UNICODE_ID}.ann"),
                ]
            );
            for (name, bytes) in &files {
                match name.strip_suffix(".txt") {
                    Some(id) => {
                        assert_eq!(bytes, catalog.get(id).expect("article").text().as_bytes())
                    }
                    None => check_golden(&format!("seed.brat.{name}"), bytes),
                }
            }
        } else {
            check_golden(&name, &bytes);
        }
    }
    // An export without annotations, for the W3C check (total 0, no page).
    let empty: Vec<Doc<'_>> = docs
        .iter()
        .map(|d| Doc {
            annotations: Vec::new(),
            ..d.clone()
        })
        .collect();
    let bytes = export::export(&empty, Format::W3c, NOW, None);
    std::fs::write(out.join("empty.w3c.jsonld"), &bytes).expect("write export");
    check_golden("empty.w3c.jsonld", &bytes);
}

#[test]
fn brat_writes_discontinuous_fragments_and_notes() {
    let catalog = catalog();
    let ws = fixture();
    let article = catalog.get(SEED_ID).expect("seed");
    let ann = brat::ann(article, ws.set(SEED_ID).expect("set").items());
    assert!(
        ann.contains("T1\tclaim 754 776;777 793\tDefence Ministry said. Shinjiro Koizumi\n"),
        "{ann}"
    );
    assert!(ann.contains("T2\tentity 777 793\tShinjiro Koizumi\n#2\tAnnotatorNotes T2\tJapan's defence minister, “new”\n"), "{ann}");
}

/// Relations as `R` lines (Arg1 the claim or commitment, Arg2 the
/// entity), status and checkable as `A` lines, the other fields with the
/// note in one AnnotatorNotes line per annotation.
#[test]
fn brat_writes_relations_attributes_and_fields() {
    let catalog = catalog_both();
    let ws = fixture_both();
    let article = catalog.get(SEED_ID).expect("seed");
    let ann = brat::ann(article, ws.set(SEED_ID).expect("set").items());
    assert_eq!(
        ann,
        "T1\tclaim 754 776;777 793\tDefence Ministry said. Shinjiro Koizumi\n\
         A1\tcheckable T1 yes\n\
         T2\tentity 777 793\tShinjiro Koizumi\n\
         #2\tAnnotatorNotes T2\tJapan's defence minister, “new”\n\
         T3\tentity 855 867\tAhn Gyu-back\n\
         #3\tAnnotatorNotes T3\tname: Ahn Gyu-baek\n\
         T4\tcommitment 912 969\tagreed to conduct joint naval search-and-rescue exercises\n\
         A2\tstatus T4 in_progress\n\
         #4\tAnnotatorNotes T4\tjoint exercises; first of their kind; deadline: by March 2027; \
         due: 2027-03; status_at: 2026-11-26\n\
         R1\tsaid_by Arg1:T1 Arg2:T2\n\
         R2\tcommitted_by Arg1:T4 Arg2:T2\n\
         R3\tcommitted_by Arg1:T4 Arg2:T3\n"
    );
    // A relation to an annotation that is not exported is not written.
    let items: Vec<Annotation> = ws.set(SEED_ID).expect("set").items()[..2].to_vec();
    let ann = brat::ann(article, &items);
    assert!(ann.ends_with("R1\tsaid_by Arg1:T1 Arg2:T2\n"), "{ann}");
    let ann = brat::ann(article, &items[..1]);
    assert!(!ann.contains("\nR"), "{ann}");
}

/// A span of nothing but line breaks has no text brat can mark: it is
/// left out, with its relations; the other annotations keep their T ids.
#[test]
fn brat_leaves_out_a_span_of_line_breaks_only() {
    let catalog = catalog_both();
    let ws = fixture_both();
    let article = catalog.get(SEED_ID).expect("seed");
    let mut items = ws.set(SEED_ID).expect("set").items().to_vec();
    // The commitment (T4, linked to T2 and T3) now covers a line break.
    let at = article
        .text()
        .chars()
        .position(|c| c == '\n')
        .expect("a line");
    items[3].start = at;
    items[3].end = at + 1;
    let ann = brat::ann(article, &items);
    assert!(ann.contains("T3\tentity 855 867\tAhn Gyu-back\n"), "{ann}");
    assert!(
        !ann.contains("T4") && !ann.contains("committed_by"),
        "{ann}"
    );
    assert!(ann.ends_with("R1\tsaid_by Arg1:T1 Arg2:T2\n"), "{ann}");
}

/// Prodigy's relations: head the claim or commitment, child the entity,
/// each the index of its span's last token, with the spans in full.
#[test]
fn spacy_relations_name_the_last_token_of_each_span() {
    let catalog = catalog_both();
    let ws = fixture_both();
    let bytes = export::export(&docs_both(&catalog, &ws), Format::Spacy, NOW, None);
    let text = String::from_utf8(bytes).expect("utf8");
    for (line, id) in text.lines().zip([SEED_ID, UNICODE_ID]) {
        let line: serde_json::Value = serde_json::from_str(line).expect("json");
        let article = catalog.get(id).expect("article");
        let tokens = line["tokens"].as_array().expect("tokens");
        let spelt: String = tokens
            .iter()
            .map(|t| {
                let ws = if t["ws"] == true { " " } else { "" };
                format!("{}{ws}", t["text"].as_str().unwrap_or_default())
            })
            .collect();
        assert_eq!(spelt, article.text(), "{id}: the tokens spell the text");
        let quote = |span: &serde_json::Value| {
            let (start, end) = (span["start"].as_u64(), span["end"].as_u64());
            annotator_core::offsets::slice_cp(
                article.text(),
                start.unwrap_or(0) as usize,
                end.unwrap_or(0) as usize,
            )
            .to_string()
        };
        let spans = line["spans"].as_array().expect("spans");
        let mut got = Vec::new();
        for r in line["relations"].as_array().expect("relations") {
            for (end, span) in [("head", "head_span"), ("child", "child_span")] {
                assert_eq!(r[end], r[span]["token_end"], "{id}: {r}");
                assert!(spans.contains(&r[span]), "{id}: {span} is not in spans");
                let last = &tokens[r[end].as_u64().expect("index") as usize];
                assert!(
                    last["end"].as_u64() >= r[span]["end"].as_u64()
                        && last["start"].as_u64() < r[span]["end"].as_u64(),
                    "{id}: token {last} does not end {span}"
                );
            }
            got.push((
                r["label"].as_str().unwrap_or_default().to_string(),
                quote(&r["head_span"]),
                quote(&r["child_span"]),
            ));
        }
        let set = ws.set(id).expect("set");
        let want: Vec<(String, String, String)> = set
            .items()
            .iter()
            .flat_map(|a| {
                a.links.iter().map(|l| {
                    let to = set.get(&l.to).expect("target");
                    (
                        l.kind.as_str().to_string(),
                        a.quote.clone(),
                        to.quote.clone(),
                    )
                })
            })
            .collect();
        assert_eq!(got, want, "{id}");
    }
}

#[test]
fn conll_resolves_overlaps_longest_first() {
    let catalog = catalog();
    let ws = fixture();
    let conll = conll::export(&docs(&catalog, &ws));
    // The longer claim takes "Shinjiro Koizumi"; the nested entity is dropped.
    assert!(
        conll.contains("Defence\tB-claim\nMinistry\tI-claim\nsaid\tI-claim\n.\tI-claim\n"),
        "{conll}"
    );
    assert!(
        conll.contains("Shinjiro\tB-claim\nKoizumi\tI-claim\n,\tO\n"),
        "{conll}"
    );
    assert!(
        conll.contains("Ahn\tB-entity\nGyu\tI-entity\n-\tI-entity\nback\tI-entity\n"),
        "{conll}"
    );
}

#[test]
fn csv_keeps_quotes_and_gives_the_sentence() {
    let catalog = catalog();
    let ws = fixture();
    let csv = csv_format::export(&docs(&catalog, &ws), None);
    assert!(csv.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 4);
    let koizumi = rows
        .iter()
        .find(|r| &r[5] == "Shinjiro Koizumi")
        .expect("row");
    assert_eq!(&koizumi[6], "Japan's defence minister, “new”");
    assert!(
        koizumi[7].starts_with("Shinjiro Koizumi, Japan's defence minister, met"),
        "{}",
        &koizumi[7]
    );
    assert!(
        koizumi[7].ends_with("Ahn Gyu-back, in Yokosuka, Japan."),
        "{}",
        &koizumi[7]
    );
}

#[test]
fn csv_names_who_said_or_committed_and_gives_the_fields() {
    let catalog = catalog_both();
    let ws = fixture_both();
    let csv = csv_format::export(&docs_both(&catalog, &ws), Some("Ana"));
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, csv_format::COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let row = |quote: &str| {
        let r = rows.iter().find(|r| &r[5] == quote).expect("row");
        r.iter().skip(8).collect::<Vec<_>>()
    };
    // said_by, committed_by, name, deadline, due, status, status_at,
    // checkable, annotator (the user's name, on every row)
    assert_eq!(
        row("Defence Ministry said.\nShinjiro Koizumi"),
        ["Shinjiro Koizumi", "", "", "", "", "", "", "yes", "Ana"]
    );
    assert_eq!(
        row("agreed to conduct joint naval search-and-rescue exercises"),
        [
            "",
            "Shinjiro Koizumi; Ahn Gyu-baek",
            "",
            "by March 2027",
            "2027-03",
            "in_progress",
            "2026-11-26",
            "",
            "Ana"
        ]
    );
    assert_eq!(
        row("Ahn Gyu-back"),
        ["", "", "Ahn Gyu-baek", "", "", "", "", "", "Ana"]
    );
    assert_eq!(
        row("then plain words"),
        [
            "",
            "Cafe\u{301}; Tokyo",
            "",
            "before 31 March 2027",
            "2027-03-31",
            "kept",
            "2026-11-26",
            "",
            "Ana"
        ]
    );
}

fn import_into(
    ws: &Workspace,
    catalog: &Catalog,
    bytes: &[u8],
    replace: bool,
) -> Result<(Workspace, import::Preview), ImportError> {
    let incoming = import::read(bytes)?;
    let mut n = 0;
    let plan = import::plan(incoming, catalog, ws, || {
        n += 1;
        format!("generated-{n}")
    })?;
    let mut out = ws.clone();
    out.apply(
        catalog,
        if replace { &plan.replace } else { &plan.merge },
        NOW,
    );
    Ok((out, plan.preview))
}

fn summary(ws: &Workspace) -> Vec<(String, Label, usize, usize, String, String)> {
    ws.set(SEED_ID)
        .map(|s| {
            s.items()
                .iter()
                .map(|a| {
                    (
                        a.id.clone(),
                        a.label,
                        a.start,
                        a.end,
                        a.quote.clone(),
                        a.note.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn native_and_w3c_round_trip_into_an_empty_workspace() {
    let catalog = catalog();
    let ws = fixture();
    for format in [Format::Native, Format::W3c] {
        let bytes = export::export(&docs(&catalog, &ws), format, NOW, None);
        let (back, preview) =
            import_into(&Workspace::new(), &catalog, &bytes, false).expect("imports");
        assert_eq!(summary(&back), summary(&ws), "{format:?}");
        assert_eq!(
            (preview.new, preview.duplicates, preview.reanchored),
            (4, 0, 0)
        );
        // Importing the same file again finds only duplicates.
        let (again, preview) = import_into(&back, &catalog, &bytes, false).expect("imports");
        assert_eq!(summary(&again), summary(&ws));
        assert_eq!((preview.new, preview.duplicates), (0, 4), "{format:?}");
    }
    // Native is lossless: prefix, suffix and timestamps too.
    let bytes = export::export(&docs(&catalog, &ws), Format::Native, NOW, None);
    let (back, _) = import_into(&Workspace::new(), &catalog, &bytes, false).expect("imports");
    let strip = |a: &Annotation| {
        (
            a.id.clone(),
            a.prefix.clone(),
            a.suffix.clone(),
            a.created_at.clone(),
        )
    };
    let left: Vec<_> = back
        .set(SEED_ID)
        .expect("set")
        .items()
        .iter()
        .map(strip)
        .collect();
    let right: Vec<_> = ws
        .set(SEED_ID)
        .expect("set")
        .items()
        .iter()
        .map(strip)
        .collect();
    assert_eq!(left, right);
}

#[test]
fn replace_makes_the_article_hold_exactly_the_file() {
    let catalog = catalog();
    let ws = fixture();
    let article = catalog.get(SEED_ID).expect("seed");
    let mut other = Workspace::new();
    let set = other.set(SEED_ID).cloned().unwrap_or_default();
    let c = edit::create(
        &set,
        &ArticleId::from(&SEED_ID),
        article.text(),
        Label::Claim,
        span_of(article, "Yokosuka"),
        AnnotationId::from("y"),
        &Timestamp::from(&NOW),
    )
    .expect("new");
    other.apply(&catalog, &Edit::one("tag", c), NOW);
    let bytes = export::export(&docs(&catalog, &other), Format::Native, NOW, None);
    let (replaced, preview) = import_into(&ws, &catalog, &bytes, true).expect("imports");
    assert_eq!(preview.replaced, 4);
    assert_eq!(summary(&replaced).len(), 1);
    let (merged, _) = import_into(&ws, &catalog, &bytes, false).expect("imports");
    assert_eq!(summary(&merged).len(), 5);
}

#[test]
fn an_edited_article_reanchors_or_keeps_orphans() {
    let ws = fixture();
    let original = catalog();
    let bytes = export::export(&docs(&original, &ws), Format::Native, NOW, None);
    // An edited copy: a sentence added at the top of the body, and the
    // Ahn Gyu-back name changed so that annotation cannot be placed.
    let edited_text = SEED
        .replacen(
            "South Korea and Japan's defence",
            "Updated. South Korea and Japan's defence",
            1,
        )
        .replace("Ahn Gyu-back", "Ahn Gyu Back");
    let edited = Catalog::from_seeds(&[(SEED_ID, edited_text.as_str())]).0;
    let incoming = import::read(&bytes).expect("reads");
    let plan = import::plan(incoming, &edited, &Workspace::new(), || "x".into()).expect("plans");
    assert_eq!(plan.preview.reanchored, 3);
    assert_eq!(
        plan.preview.orphans,
        vec![(SEED_ID.to_string(), "Ahn Gyu-back".to_string())]
    );
    let mut out = Workspace::new();
    out.apply(&edited, &plan.merge, NOW);
    let article = edited.get(SEED_ID).expect("seed");
    for a in out.set(SEED_ID).expect("set").items() {
        assert_eq!(
            annotator_core::offsets::slice_cp(article.text(), a.start, a.end),
            a.quote
        );
    }
}

#[test]
fn files_that_cannot_be_taken_are_refused_whole() {
    let catalog = catalog();
    let ws = fixture();
    let good = String::from_utf8(export::export(
        &docs(&catalog, &ws),
        Format::Native,
        NOW,
        None,
    ))
    .expect("utf8");
    let w3c = String::from_utf8(export::export(&docs(&catalog, &ws), Format::W3c, NOW, None))
        .expect("utf8");
    let big = vec![b' '; import::MAX_BYTES + 1];
    type Check = fn(&ImportError) -> bool;
    let rows: Vec<(&str, Vec<u8>, Check)> = vec![
        ("not json", b"hello".to_vec(), |e| {
            matches!(e, ImportError::NotJson(_))
        }),
        ("not utf-8", b"{\"a\": \"\xff\"}".to_vec(), |e| {
            *e == ImportError::NotUtf8
        }),
        ("too large", big, |e| matches!(e, ImportError::TooLarge(_))),
        ("wrong format", br#"{"hello": 1}"#.to_vec(), |e| {
            *e == ImportError::UnknownFormat
        }),
        (
            "other format field",
            br#"{"format": "other", "version": 1}"#.to_vec(),
            |e| *e == ImportError::UnknownFormat,
        ),
        (
            "newer version",
            good.replace("\"version\": 2", "\"version\": 3")
                .into_bytes(),
            |e| *e == ImportError::NewerVersion(3),
        ),
        (
            "unknown label",
            good.replace("\"label\": \"claim\"", "\"label\": \"opinion\"")
                .into_bytes(),
            |e| *e == ImportError::UnknownLabel("opinion".into()),
        ),
        (
            "unknown w3c label",
            w3c.replace("\"value\": \"claim\"", "\"value\": \"opinion\"")
                .into_bytes(),
            |e| *e == ImportError::UnknownLabel("opinion".into()),
        ),
        (
            "start >= end",
            good.replacen("\"start\": 754", "\"start\": 800", 1)
                .into_bytes(),
            |e| matches!(e, ImportError::BadOffsets { .. }),
        ),
        (
            "past the length",
            good.replacen("\"end\": 793", "\"end\": 9999", 1)
                .into_bytes(),
            |e| matches!(e, ImportError::BadOffsets { .. }),
        ),
        (
            "unknown article",
            good.replace(SEED_ID, "no-such-article").into_bytes(),
            |e| *e == ImportError::UnknownArticle("no-such-article".into()),
        ),
        (
            "no annotations",
            br#"{"format":"article-annotator","version":1,"articles":[]}"#.to_vec(),
            |e| *e == ImportError::Empty,
        ),
    ];
    for (what, bytes, ok) in rows {
        let result = import_into(&ws, &catalog, &bytes, false);
        match result {
            Err(e) => assert!(ok(&e), "{what}: {e:?}"),
            Ok(_) => panic!("{what}: accepted"),
        }
    }
}

fn arb_spans() -> impl Strategy<Value = Vec<(u8, usize, usize, String)>> {
    let len = catalog().get(SEED_ID).expect("seed").len();
    prop::collection::vec((0u8..3, 0..len, 1usize..120, "[a-z “”😀\n]{0,12}"), 0..25)
}

/// Links to try between the `n`th and `m`th annotations (text order).
fn arb_links() -> impl Strategy<Value = Vec<(usize, usize)>> {
    prop::collection::vec((0usize..25, 0usize..25), 0..40)
}

/// (type, from quote, to quote) of every relation the seed article's
/// annotations hold to one another, sorted.
fn relation_triples(ws: &Workspace) -> Vec<(String, String, String)> {
    let Some(set) = ws.set(SEED_ID) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String, String)> = set
        .items()
        .iter()
        .flat_map(|a| {
            a.links.iter().filter_map(|l| {
                let to = set.get(&l.to)?;
                Some((
                    l.kind.as_str().to_string(),
                    a.quote.clone(),
                    to.quote.clone(),
                ))
            })
        })
        .collect();
    out.sort();
    out
}

/// The relations of a one-article export of the seed, read back as
/// (type, from text, to text), sorted: brat's `R` lines through their `T`
/// lines, doccano's ids through its entities (UTF-16), Prodigy's head and
/// child spans (code points).
fn exported_triples(format: Format, bytes: &[u8], text: &str) -> Vec<(String, String, String)> {
    let cp = |s: u64, e: u64| {
        annotator_core::offsets::slice_cp(text, s as usize, e as usize).to_string()
    };
    let mut out: Vec<(String, String, String)> = match format {
        Format::Brat => {
            let files = unzip(bytes);
            let ann = files
                .iter()
                .find(|f| f.0 == format!("{SEED_ID}.ann"))
                .map(|f| String::from_utf8_lossy(&f.1).to_string())
                .unwrap_or_default();
            let mut spans = std::collections::HashMap::new();
            let mut relations = Vec::new();
            for line in ann.lines() {
                let fields: Vec<&str> = line.split('\t').collect();
                if line.starts_with('T') {
                    let numbers: Vec<u64> = fields[1]
                        .split([' ', ';'])
                        .skip(1)
                        .map(|n| n.parse().expect("offset"))
                        .collect();
                    let (first, last) = (numbers[0], numbers[numbers.len() - 1]);
                    spans.insert(fields[0].to_string(), cp(first, last));
                } else if line.starts_with('R') {
                    let parts: Vec<&str> = fields[1].split(' ').collect();
                    let arg = |p: &str, role: &str| p.strip_prefix(role).expect(role).to_string();
                    relations.push((
                        parts[0].to_string(),
                        arg(parts[1], "Arg1:"),
                        arg(parts[2], "Arg2:"),
                    ));
                }
            }
            relations
                .into_iter()
                .map(|(kind, from, to)| (kind, spans[&from].clone(), spans[&to].clone()))
                .collect()
        }
        Format::Doccano => {
            let line: serde_json::Value = serde_json::from_slice(bytes).expect("json line");
            let quotes: std::collections::HashMap<u64, String> = line["entities"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    let (s, e2) = (e["start_offset"].as_u64(), e["end_offset"].as_u64());
                    let quote = slice_utf16(text, s.unwrap_or(0), e2.unwrap_or(0));
                    (e["id"].as_u64().expect("id"), quote)
                })
                .collect();
            line["relations"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    let end = |k: &str| quotes[&r[k].as_u64().expect(k)].clone();
                    (
                        r["type"].as_str().unwrap_or_default().to_string(),
                        end("from_id"),
                        end("to_id"),
                    )
                })
                .collect()
        }
        Format::Spacy => {
            let line: serde_json::Value = serde_json::from_slice(bytes).expect("json line");
            let span = |s: &serde_json::Value| {
                cp(
                    s["start"].as_u64().unwrap_or(0),
                    s["end"].as_u64().unwrap_or(0),
                )
            };
            line["relations"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    (
                        r["label"].as_str().unwrap_or_default().to_string(),
                        span(&r["head_span"]),
                        span(&r["child_span"]),
                    )
                })
                .collect()
        }
        other => panic!("no relations to read from {other:?}"),
    };
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Any model survives a native round trip, and every exported offset in
    /// every format slices the canonical text to the quote.
    #[test]
    fn any_model_round_trips_and_every_offset_slices_to_its_quote(spans in arb_spans(), links in arb_links()) {
        let catalog = catalog();
        let article = catalog.get(SEED_ID).expect("seed");
        let mut ws = Workspace::new();
        for (i, (label, start, len, note)) in spans.into_iter().enumerate() {
            let end = (start + len).min(article.len());
            let Ok(span) = Span::new(start, end, article.len()) else { continue };
            let set = ws.set(SEED_ID).cloned().unwrap_or_default();
            let label = Label::ALL[label as usize];
            if let Ok(c) = edit::create(&set, &ArticleId::from(&SEED_ID), article.text(), label, span, AnnotationId::from(&format!("id-{i}")), &Timestamp::from(&NOW)) {
                ws.apply(&catalog, &Edit::one("tag", c), NOW);
                let set = ws.set(SEED_ID).cloned().unwrap_or_default();
                if let Ok(n) = edit::set_note(&set, &ArticleId::from(&SEED_ID), &AnnotationId::from(&format!("id-{i}")), &note, &Timestamp::from(&NOW)) {
                    ws.apply(&catalog, &Edit::one("note", n), NOW);
                }
            }
        }
        if summary(&ws).is_empty() {
            return Ok(()); // an empty file is refused on import, by design
        }
        // Relations wherever they fit (a claim or commitment to an entity).
        for (n, (from, to)) in links.into_iter().enumerate() {
            let set = ws.set(SEED_ID).cloned().unwrap_or_default();
            let (Some(a), Some(b)) = (set.items().get(from), set.items().get(to)) else { continue };
            let (a, b) = (AnnotationId::from(&a.id), AnnotationId::from(&b.id));
            if let Ok(c) = linking::link(&set, &ArticleId::from(&SEED_ID), &a, &b, &format!("rel-{n}"), &Timestamp::from(&NOW)) {
                ws.apply(&catalog, &Edit::one("link", c), NOW);
            }
        }
        let triples = relation_triples(&ws);
        let docs = docs(&catalog, &ws);
        let native = export::export(&docs, Format::Native, NOW, None);
        let (back, _) = import_into(&Workspace::new(), &catalog, &native, false).expect("native imports");
        prop_assert_eq!(summary(&back), summary(&ws));
        prop_assert_eq!(relation_triples(&back), triples.clone());
        let w3c = export::export(&docs, Format::W3c, NOW, None);
        let (back, _) = import_into(&Workspace::new(), &catalog, &w3c, false).expect("w3c imports");
        prop_assert_eq!(summary(&back), summary(&ws));
        prop_assert_eq!(relation_triples(&back), triples.clone());
        for format in [Format::Brat, Format::Doccano, Format::Spacy] {
            let bytes = export::export(&docs, format, NOW, None);
            // brat marks a span from its first fragment to its last, without
            // the line breaks at its ends, and leaves out one of nothing else.
            let brat = format == Format::Brat;
            let text_of = |q: &str| if brat { q.trim_matches('\n').to_string() } else { q.to_string() };
            let mut want: Vec<_> = triples.iter()
                .map(|(k, f, t)| (k.clone(), text_of(f), text_of(t)))
                .filter(|(_, f, t)| !f.is_empty() && !t.is_empty())
                .collect();
            want.sort();
            prop_assert_eq!(exported_triples(format, &bytes, article.text()), want, "{:?}", format);
        }
        let text = article.text();
        let slice = |s: u64, e: u64| annotator_core::offsets::slice_cp(text, s as usize, e as usize).to_string();
        let quotes: Vec<String> = ws.set(SEED_ID).map(|s| s.items().iter().map(|a| a.quote.clone()).collect()).unwrap_or_default();
        let spacy: serde_json::Value = serde_json::from_slice(&export::export(&docs, Format::Spacy, NOW, None)).expect("json line");
        let got: Vec<String> = spacy["spans"].as_array().into_iter().flatten()
            .map(|s| slice(s["start"].as_u64().unwrap_or(0), s["end"].as_u64().unwrap_or(0))).collect();
        prop_assert_eq!(&got, &quotes);
        let doccano: serde_json::Value = serde_json::from_slice(&export::export(&docs, Format::Doccano, NOW, None)).expect("json line");
        let got: Vec<String> = doccano["entities"].as_array().into_iter().flatten()
            .map(|s| slice_utf16(text, s["start_offset"].as_u64().unwrap_or(0), s["end_offset"].as_u64().unwrap_or(0))).collect();
        prop_assert_eq!(&got, &quotes);
        let csv = String::from_utf8(export::export(&docs, Format::Csv, NOW, None)).expect("utf8");
        let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let set = ws.set(SEED_ID).cloned().unwrap_or_default();
        for (row, a) in reader.records().zip(set.items()) {
            let row = row.expect("row");
            prop_assert_eq!(slice(row[3].parse().unwrap_or(0), row[4].parse().unwrap_or(0)), row[5].to_string());
            // Who said it or committed to it: the linked entities' names.
            for (column, kind) in [(8, RelationType::SaidBy), (9, RelationType::CommittedBy)] {
                let names: Vec<&str> = a.links.iter().filter(|l| l.kind == kind)
                    .filter_map(|l| set.get(&l.to)).map(|e| e.name()).collect();
                prop_assert_eq!(row[column].to_string(), names.join("; "));
            }
        }
    }
}

#[test]
fn a_users_article_travels_in_the_native_file_and_comes_back_on_import() {
    use annotator_core::adding;
    use annotator_core::edit::UserArticle;
    let seeds = catalog();
    let added = adding::from_paste(
        "Local news 🎉",
        "",
        "Tokyo “hosts” 東京 talks.\nSecond para",
    )
    .expect("adds");
    let user = UserArticle {
        id: added.id().to_string(),
        text: added.text().to_string(),
    };
    // Add the article and tag it, as the app does.
    let mut ws = Workspace::new();
    ws.apply(
        &seeds,
        &Edit {
            name: "add".into(),
            articles_added: vec![user.clone()],
            ..Edit::default()
        },
        NOW,
    );
    let catalog = seeds.with_user_articles(ws.user_articles());
    let article = catalog.get(added.id()).expect("now known");
    let set = ws.set(added.id()).cloned().unwrap_or_default();
    let c = edit::create(
        &set,
        &ArticleId::from(&added.id()),
        article.text(),
        Label::Entity,
        span_of(article, "東京"),
        AnnotationId::from("u1"),
        &Timestamp::from(&NOW),
    )
    .expect("new");
    ws.apply(&catalog, &Edit::one("tag", c), NOW);
    let file = annotator_core::formats::native::write(&ws.to_native(NOW));
    assert!(file.contains("\"text\": \"\\nLocal news 🎉"), "{file}");
    // A fresh browser knows only the seeds: importing restores article and annotation.
    let (restored, preview) =
        import_into(&Workspace::new(), &seeds, file.as_bytes(), false).expect("imports");
    assert_eq!(preview.new_articles, 1);
    assert_eq!(restored.user_articles(), vec![(added.id(), added.text())]);
    assert_eq!(
        restored.set(added.id()).expect("set").items()[0].quote,
        "東京"
    );
    // Removing it is an edit too, and undo brings it back with its annotation.
    let remove = Edit {
        name: "remove".into(),
        changes: vec![edit::Change {
            article: added.id().to_string(),
            removed: restored.set(added.id()).expect("set").items().to_vec(),
            added: Vec::new(),
        }],
        articles_removed: vec![user],
        ..Edit::default()
    };
    let mut gone = restored.clone();
    gone.apply(&catalog, &remove, NOW);
    assert!(gone.user_articles().is_empty() && gone.set(added.id()).is_none());
    gone.apply(&seeds, &remove.inverse(), NOW);
    assert_eq!(gone.user_articles(), vec![(added.id(), added.text())]);
    assert_eq!(gone.set(added.id()).expect("set").len(), 1);
}

/// The text between UTF-16 offsets `start..end` (what JavaScript's
/// `slice` gives), for checking doccano's offsets.
fn slice_utf16(text: &str, start: u64, end: u64) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let (start, end) = (start as usize, (end as usize).min(units.len()));
    String::from_utf16_lossy(units.get(start..end).unwrap_or(&[]))
}

#[test]
fn doccano_offsets_are_utf16_code_units() {
    let catalog = catalog_both();
    let ws = fixture_both();
    let bytes = export::export(&docs_both(&catalog, &ws), Format::Doccano, NOW, None);
    let text = String::from_utf8(bytes).expect("utf8");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let mut astral = 0;
    for (line, id) in lines.iter().zip([SEED_ID, UNICODE_ID]) {
        let article = catalog.get(id).expect("article");
        assert_eq!(line["text"], article.text());
        let annotations = ws.set(id).expect("set").items();
        let entities = line["entities"].as_array().expect("entities");
        assert_eq!(entities.len(), annotations.len());
        let mut quote_of = std::collections::HashMap::new();
        for (e, a) in entities.iter().zip(annotations) {
            let (start, end) = (
                e["start_offset"].as_u64().unwrap_or(0),
                e["end_offset"].as_u64().unwrap_or(0),
            );
            assert_eq!(slice_utf16(article.text(), start, end), a.quote, "{id}");
            assert_eq!(e["label"], a.label.as_str());
            quote_of.insert(e["id"].as_u64().expect("id"), a.quote.as_str());
            if start as usize != a.start {
                astral += 1;
            }
        }
        // Relations go from the claim or commitment to the entity, by id.
        let relations: Vec<(String, &str, &str)> = line["relations"]
            .as_array()
            .expect("relations")
            .iter()
            .map(|r| {
                let end = |k: &str| quote_of[&r[k].as_u64().expect("an entity id")];
                (
                    r["type"].as_str().unwrap_or_default().to_string(),
                    end("from_id"),
                    end("to_id"),
                )
            })
            .collect();
        let expected: Vec<(String, &str, &str)> = annotations
            .iter()
            .flat_map(|a| {
                a.links.iter().map(move |l| {
                    let to = annotations.iter().find(|t| t.id == l.to).expect("target");
                    (
                        l.kind.as_str().to_string(),
                        a.quote.as_str(),
                        to.quote.as_str(),
                    )
                })
            })
            .collect();
        assert_eq!(relations, expected, "{id}");
        assert_eq!(relations.len(), 3, "{id}");
    }
    // Every span of the Unicode article comes after an emoji, so its
    // UTF-16 offsets differ from its code points: the test can tell.
    assert_eq!(astral, 6);
}

#[test]
fn every_format_downloads_under_its_own_name() {
    let names: Vec<String> = Format::ALL
        .into_iter()
        .map(|f| export::file_name("all", "2026-11-26", f))
        .collect();
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            assert_ne!(a, b);
        }
    }
    for (format, name) in Format::ALL.into_iter().zip(&names) {
        assert!(
            name.starts_with("all-annotations-2026-11-26.")
                && name.ends_with(&format!(".{}", format.extension())),
            "{name}"
        );
    }
    assert_eq!(
        names,
        [
            "all-annotations-2026-11-26.json",
            "all-annotations-2026-11-26.jsonld",
            "all-annotations-2026-11-26.brat.zip",
            "all-annotations-2026-11-26.spacy.jsonl",
            "all-annotations-2026-11-26.doccano.jsonl",
            "all-annotations-2026-11-26.conll",
            "all-annotations-2026-11-26.csv",
        ]
    );
    assert_eq!(
        export::file_name("a b/c", "2026-11-26", Format::Spacy),
        "a-b-c-annotations-2026-11-26.spacy.jsonl"
    );
}

#[test]
fn conll_starts_each_article_with_the_standard_docstart_line() {
    let catalog = catalog_both();
    let ws = fixture_both();
    let conll = conll::export(&docs_both(&catalog, &ws));
    let starts: Vec<&str> = conll
        .lines()
        .filter(|l| l.starts_with("-DOCSTART-"))
        .collect();
    assert_eq!(starts, ["-DOCSTART- -X- O O", "-DOCSTART- -X- O O"]);
    assert!(conll.starts_with("-DOCSTART- -X- O O\n\n"), "{conll}");
    assert!(!conll.contains(SEED_ID) && !conll.contains(UNICODE_ID));
    for line in conll.lines() {
        if !line.is_empty() && !line.starts_with("-DOCSTART-") {
            assert_eq!(line.split('\t').count(), 2, "{line:?}");
        }
    }
}

#[test]
fn brat_ships_its_configuration_declaring_every_type_used() {
    let conf = brat::annotation_conf();
    assert_eq!(
        conf,
        "# Article Annotator's labels (brat standoff configuration).\n\
         [entities]\nentity\nclaim\ncommitment\n\n\
         [relations]\n\
         said_by Arg1:claim, Arg2:entity\n\
         committed_by Arg1:commitment, Arg2:entity\n\
         # Annotations may nest and overlap.\n\
         <OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n\
         [events]\n\n\
         [attributes]\n\
         status Arg:commitment, Value:not_rated|in_progress|stalled|compromise|kept|broken\n\
         checkable Arg:claim, Value:yes|no|unsure\n"
    );
    let visual = brat::visual_conf();
    assert!(visual.contains("[labels]\nentity | Entity\n"), "{visual}");
    assert!(
        visual.contains("claim\tfgColor:black, bgColor:#f7e4cd, borderColor:#b45309\n"),
        "{visual}"
    );
    assert!(
        visual.contains("said_by | Said by\ncommitted_by | Committed by\n"),
        "{visual}"
    );
    assert!(visual.contains("said_by\tcolor:#b45309\n"), "{visual}");
}

#[test]
fn w3c_page_has_an_id_and_an_empty_export_has_no_page() {
    let catalog = catalog_both();
    let ws = fixture_both();
    let docs = docs_both(&catalog, &ws);
    let full: serde_json::Value =
        serde_json::from_slice(&export::export(&docs, Format::W3c, NOW, None)).expect("json");
    assert_eq!(
        full["first"]["id"],
        format!("urn:article-annotator:export:{NOW}:page:1")
    );
    // 10 annotations and 6 relations (linking annotations).
    assert_eq!(full["total"], 16);
    assert_eq!(full["first"]["items"].as_array().map(Vec::len), Some(16));
    // The non-standard keys are defined in the inline context.
    let context = &full["@context"];
    assert_eq!(context[0], "http://www.w3.org/ns/anno.jsonld");
    for key in ["article_annotator_sources", "title", "text_sha256"] {
        assert!(context[1].get(key).is_some(), "{key} not in {context}");
    }
    let empty: Vec<Doc<'_>> = docs
        .iter()
        .map(|d| Doc {
            annotations: Vec::new(),
            ..d.clone()
        })
        .collect();
    let none: serde_json::Value =
        serde_json::from_slice(&export::export(&empty, Format::W3c, NOW, None)).expect("json");
    assert_eq!(none["total"], 0);
    assert!(none.get("first").is_none(), "{none}");
    assert_eq!(
        none["article_annotator_sources"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn w3c_files_of_the_old_shape_still_import() {
    // Before the page had an id and the context defined our keys.
    let catalog = catalog();
    let ws = fixture();
    let mut old: serde_json::Value = serde_json::from_slice(&export::export(
        &docs(&catalog, &ws),
        Format::W3c,
        NOW,
        None,
    ))
    .expect("json");
    old["@context"] = serde_json::json!("http://www.w3.org/ns/anno.jsonld");
    if let Some(page) = old["first"].as_object_mut() {
        page.remove("id");
    }
    let bytes = serde_json::to_vec(&old).expect("json");
    let (back, preview) = import_into(&Workspace::new(), &catalog, &bytes, false).expect("imports");
    assert_eq!(summary(&back), summary(&ws));
    assert_eq!(preview.new, 4);
}

#[test]
fn csv_sentence_runs_from_the_first_sentence_to_the_last_the_span_touches() {
    let text = "A summary. Two.\nThe headline\n\nFirst sentence here. Second one is here. Third.\nNext para starts. And ends.";
    let catalog = Catalog::from_seeds(&[("s", text)]).0;
    let article = catalog.get("s").expect("article");
    // (quote, sentence column)
    let rows = [
        ("sentence here", "First sentence here."),
        ("here. Second", "First sentence here. Second one is here."),
        ("Second one is here.", "Second one is here."),
        ("Third.\nNext para", "Third.\nNext para starts."),
        (
            "is here. Third.\nNext",
            "Second one is here. Third.\nNext para starts.",
        ),
        (
            "Third.\nNext para starts. And",
            "Third.\nNext para starts. And ends.",
        ),
        ("ends", "And ends."),
        ("Two.\nThe", "Two.\nThe headline"),
        ("First", "First sentence here."),
    ];
    for (quote, sentence) in rows {
        let span = span_of(article, quote);
        let a = Annotation {
            start: span.start(),
            end: span.end(),
            quote: quote.to_string(),
            id: "a".into(),
            label: Label::Claim,
            prefix: String::new(),
            suffix: String::new(),
            note: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            attributes: Default::default(),
            links: Vec::new(),
            extra: Default::default(),
        };
        assert_eq!(
            csv_format::sentence_around(article, &a),
            sentence,
            "{quote:?}"
        );
    }
}
