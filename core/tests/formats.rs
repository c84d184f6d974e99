//! Every export format against golden files, round trips, import refusals,
//! re-anchoring and property tests. Set UPDATE_GOLDEN=1 to rewrite the
//! golden files after an intended change (then review the diff).
//!
//! The exports are also written to `target/tmp/exports/` for the Python
//! check (`tests/check_exports.py`), which scripts/test runs.

use std::io::Read;
use std::path::PathBuf;

use annotator_core::edit::{self, Edit};
use annotator_core::formats::export::{self, Doc, Format};
use annotator_core::formats::import::{self, ImportError};
use annotator_core::{Annotation, Article, Catalog, Label, Span, Workspace};
use proptest::prelude::*;

const SEED_ID: &str = "000_6ee9234a710e1662";
const SEED: &str = include_str!("data/seed.txt");
const NOW: &str = "2026-11-26T10:00:00.000Z";

fn catalog() -> Catalog {
    Catalog::from_seeds(&[(SEED_ID, SEED)]).0
}

fn span_of(article: &Article, quote: &str) -> Span {
    let byte = article.text().find(quote).expect("quote in the seed");
    let start = article.text()[..byte].chars().count();
    Span::new(start, start + quote.chars().count(), article.len()).expect("span")
}

/// The fixture: one annotation per label, an overlap, a note, and a span
/// across a paragraph break.
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
    for (id, label, quote) in rows {
        let set = ws.set(SEED_ID).cloned().unwrap_or_default();
        let change = edit::create(
            &set,
            SEED_ID,
            article.text(),
            label,
            span_of(article, quote),
            id.into(),
            NOW,
        )
        .expect("new");
        ws.apply(&catalog, &Edit::one("tag", change), NOW);
    }
    let set = ws.set(SEED_ID).cloned().unwrap_or_default();
    let note = edit::set_note(
        &set,
        SEED_ID,
        rows[0].0,
        "Japan's defence minister, “new”",
        NOW,
    )
    .expect("note");
    ws.apply(&catalog, &Edit::one("note", note), NOW);
    ws
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
    let catalog = catalog();
    let ws = fixture();
    let docs = docs(&catalog, &ws);
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("exports");
    std::fs::create_dir_all(&out).expect("exports dir");
    for format in Format::ALL {
        let bytes = export::export(&docs, format, NOW);
        let name = format!("seed.{}.{}", format.key(), format.extension());
        std::fs::write(out.join(&name), &bytes).expect("write export");
        if format == Format::Brat {
            let files = unzip(&bytes);
            let names: Vec<_> = files.iter().map(|f| f.0.clone()).collect();
            assert_eq!(names, [format!("{SEED_ID}.txt"), format!("{SEED_ID}.ann")]);
            assert_eq!(
                files[0].1,
                catalog.get(SEED_ID).expect("seed").text().as_bytes()
            );
            check_golden("seed.brat.ann", &files[1].1);
        } else {
            check_golden(&name, &bytes);
        }
    }
}

#[test]
fn brat_writes_discontinuous_fragments_and_notes() {
    let catalog = catalog();
    let ws = fixture();
    let article = catalog.get(SEED_ID).expect("seed");
    let ann = export::brat_ann(article, ws.set(SEED_ID).expect("set").items());
    assert!(
        ann.contains("T1\tclaim 754 776;777 793\tDefence Ministry said. Shinjiro Koizumi\n"),
        "{ann}"
    );
    assert!(ann.contains("T2\tentity 777 793\tShinjiro Koizumi\n#2\tAnnotatorNotes T2\tJapan's defence minister, “new”\n"), "{ann}");
}

#[test]
fn conll_resolves_overlaps_longest_first() {
    let catalog = catalog();
    let ws = fixture();
    let conll = export::conll(&docs(&catalog, &ws));
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
    let csv = export::csv(&docs(&catalog, &ws));
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
        let bytes = export::export(&docs(&catalog, &ws), format, NOW);
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
    let bytes = export::export(&docs(&catalog, &ws), Format::Native, NOW);
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
        SEED_ID,
        article.text(),
        Label::Claim,
        span_of(article, "Yokosuka"),
        "y".into(),
        NOW,
    )
    .expect("new");
    other.apply(&catalog, &Edit::one("tag", c), NOW);
    let bytes = export::export(&docs(&catalog, &other), Format::Native, NOW);
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
    let bytes = export::export(&docs(&original, &ws), Format::Native, NOW);
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
    let good =
        String::from_utf8(export::export(&docs(&catalog, &ws), Format::Native, NOW)).expect("utf8");
    let w3c =
        String::from_utf8(export::export(&docs(&catalog, &ws), Format::W3c, NOW)).expect("utf8");
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
            good.replace("\"version\": 1", "\"version\": 2")
                .into_bytes(),
            |e| *e == ImportError::NewerVersion(2),
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Any model survives a native round trip, and every exported offset in
    /// every format slices the canonical text to the quote.
    #[test]
    fn any_model_round_trips_and_every_offset_slices_to_its_quote(spans in arb_spans()) {
        let catalog = catalog();
        let article = catalog.get(SEED_ID).expect("seed");
        let mut ws = Workspace::new();
        for (i, (label, start, len, note)) in spans.into_iter().enumerate() {
            let end = (start + len).min(article.len());
            let Ok(span) = Span::new(start, end, article.len()) else { continue };
            let set = ws.set(SEED_ID).cloned().unwrap_or_default();
            let label = Label::ALL[label as usize];
            if let Ok(c) = edit::create(&set, SEED_ID, article.text(), label, span, format!("id-{i}"), NOW) {
                ws.apply(&catalog, &Edit::one("tag", c), NOW);
                let set = ws.set(SEED_ID).cloned().unwrap_or_default();
                if let Ok(n) = edit::set_note(&set, SEED_ID, &format!("id-{i}"), &note, NOW) {
                    ws.apply(&catalog, &Edit::one("note", n), NOW);
                }
            }
        }
        if summary(&ws).is_empty() {
            return Ok(()); // an empty file is refused on import, by design
        }
        let docs = docs(&catalog, &ws);
        let native = export::export(&docs, Format::Native, NOW);
        let (back, _) = import_into(&Workspace::new(), &catalog, &native, false).expect("native imports");
        prop_assert_eq!(summary(&back), summary(&ws));
        let w3c = export::export(&docs, Format::W3c, NOW);
        let (back, _) = import_into(&Workspace::new(), &catalog, &w3c, false).expect("w3c imports");
        prop_assert_eq!(summary(&back), summary(&ws));
        let text = article.text();
        let slice = |s: u64, e: u64| annotator_core::offsets::slice_cp(text, s as usize, e as usize).to_string();
        let quotes: Vec<String> = ws.set(SEED_ID).map(|s| s.items().iter().map(|a| a.quote.clone()).collect()).unwrap_or_default();
        let spacy: serde_json::Value = serde_json::from_slice(&export::export(&docs, Format::Spacy, NOW)).expect("json line");
        let got: Vec<String> = spacy["spans"].as_array().into_iter().flatten()
            .map(|s| slice(s["start"].as_u64().unwrap_or(0), s["end"].as_u64().unwrap_or(0))).collect();
        prop_assert_eq!(&got, &quotes);
        let doccano: serde_json::Value = serde_json::from_slice(&export::export(&docs, Format::Doccano, NOW)).expect("json line");
        let got: Vec<String> = doccano["label"].as_array().into_iter().flatten()
            .map(|s| slice(s[0].as_u64().unwrap_or(0), s[1].as_u64().unwrap_or(0))).collect();
        prop_assert_eq!(&got, &quotes);
        let csv = String::from_utf8(export::export(&docs, Format::Csv, NOW)).expect("utf8");
        let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        for row in reader.records() {
            let row = row.expect("row");
            prop_assert_eq!(slice(row[3].parse().unwrap_or(0), row[4].parse().unwrap_or(0)), row[5].to_string());
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
        added.id(),
        article.text(),
        Label::Entity,
        span_of(article, "東京"),
        "u1".into(),
        NOW,
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
