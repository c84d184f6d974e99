//! The app's commands (`session::Session`) as tables of operations and
//! expected states, like `history.rs`: after each operation, the article's
//! annotations ("label:quote[:note]"), its Done mark, the articles there
//! are, what the command asked to open and select, and what it announced.

use std::sync::Arc;

use annotator_core::edit::Side;
use annotator_core::formats::native;
use annotator_core::session::{
    ActionError, AnnotationId, ArticleId, ImportMode, ListQuery, Outcome, Pick, Selection, Session,
    Timestamp,
};
use annotator_core::{Catalog, Label, Workspace};

const TEXT: &str =
    "Summary line\nSeoul and Tokyo agree\n\nShinjiro Koizumi met Ahn Gyu-back in Yokosuka. Japan's navy will join.";
const OTHER: &str = "Other summary\nA second article\n\nPlain text about ports.";

fn session() -> Session {
    let seeds = Catalog::from_seeds(&[("a", TEXT), ("b", OTHER)]).0;
    Session::new(Arc::new(seeds), Workspace::new())
}

/// Code points of the first `quote` in article `a`'s text.
fn at(s: &Session, article: &str, quote: &str) -> (usize, usize) {
    let text = s
        .article(&ArticleId::from(article))
        .expect("article")
        .text();
    let byte = text.find(quote).unwrap_or_else(|| panic!("{quote:?}"));
    let start = text[..byte].chars().count();
    (start, start + quote.chars().count())
}

/// A snapped selection.
fn pick(anchor: usize, focus: usize) -> Pick {
    Pick {
        anchor,
        focus,
        snap: true,
    }
}

enum Op {
    Tag(&'static str, Label, &'static str),
    Select(&'static str, &'static str),
    Relabel(Label),
    Delete,
    Note(&'static str),
    Nudge(Side, bool),
    Resize(&'static str),
    Done(&'static str, bool),
    Add(&'static str),
    Remove(&'static str),
    Undo,
    Redo,
}

struct Expect {
    annotations: &'static [&'static str],
    done: bool,
    articles: usize,
    open: Option<&'static str>,
    announce: &'static str,
}

const fn e(
    annotations: &'static [&'static str],
    done: bool,
    articles: usize,
    open: Option<&'static str>,
    announce: &'static str,
) -> Expect {
    Expect {
        annotations,
        done,
        articles,
        open,
        announce,
    }
}

fn state(s: &Session) -> Vec<String> {
    s.list(&ArticleId::from("a"), &ListQuery::default())
        .page
        .iter()
        .map(|a| {
            let mut out = format!("{}:{}", a.label.as_str(), a.quote);
            if !a.note.is_empty() {
                out.push(':');
                out.push_str(&a.note);
            }
            out
        })
        .collect()
}

fn check(ops: &[(Op, Result<Expect, &'static str>)]) {
    let mut s = session();
    let a = ArticleId::from("a");
    let mut selected: Option<AnnotationId> = None;
    let mut open = a.clone();
    for (n, (op, expect)) in ops.iter().enumerate() {
        let now = Timestamp(format!("2026-11-28T10:00:{n:02}.000Z"));
        let id = AnnotationId(format!("id-{n}"));
        let result: Result<Outcome, ActionError> = match op {
            Op::Tag(article, label, quote) => {
                let (st, en) = at(&s, article, quote);
                s.tag(&ArticleId::from(*article), pick(st, en), *label, id, &now)
            }
            Op::Select(article, quote) => {
                let (st, _) = at(&s, article, quote);
                Ok(s.select_at(&ArticleId::from(*article), st, selected.as_ref()))
            }
            Op::Relabel(label) => s.relabel(&open, selected.as_ref(), *label, &now),
            Op::Delete => s.delete(&open, selected.as_ref(), &now),
            Op::Note(text) => s.set_note(&open, selected.as_ref(), text, &now),
            Op::Nudge(side, forward) => {
                s.nudge(&open, selected.as_ref(), *side, *forward, true, &now)
            }
            Op::Resize(quote) => {
                let (st, en) = at(&s, open.as_str(), quote);
                s.resize(&open, selected.as_ref(), pick(st, en), &now)
            }
            Op::Done(article, done) => s.set_done(&ArticleId::from(*article), *done, &now),
            Op::Add(headline) => Ok(s
                .add_pasted(headline, "", "Body text of the added article.", &now)
                .expect("added")),
            Op::Remove(article) => s.remove_article(&ArticleId::from(*article), &now),
            Op::Undo => s.undo(&now),
            Op::Redo => s.redo(&now),
        };
        match (result, expect) {
            (Ok(outcome), Ok(want)) => {
                match &outcome.select {
                    Selection::Keep => {}
                    Selection::Clear => selected = None,
                    Selection::Select(id) => selected = Some(id.clone()),
                }
                if let Some(o) = &outcome.open {
                    open = o.clone();
                }
                assert_eq!(state(&s), want.annotations, "op {n}: annotations");
                assert_eq!(s.is_done(&a), want.done, "op {n}: done");
                assert_eq!(s.catalog().len(), want.articles, "op {n}: articles");
                // An expected id ending in '-' is a prefix (user-<hash>).
                let got = outcome.open.as_ref().map(|o| o.as_str());
                match want.open {
                    Some(p) if p.ends_with('-') => {
                        assert!(
                            got.is_some_and(|g| g.starts_with(p)),
                            "op {n}: open {got:?}"
                        )
                    }
                    _ => assert_eq!(got, want.open, "op {n}: open"),
                }
                assert_eq!(
                    outcome.announce.to_string(),
                    want.announce,
                    "op {n}: announce"
                );
            }
            (Err(err), Err(want)) => assert_eq!(err.to_string(), *want, "op {n}: error"),
            (got, want) => panic!(
                "op {n}: got {got:?}, wanted {}",
                if want.is_ok() { "success" } else { "an error" }
            ),
        }
    }
}

#[test]
fn annotating_commands_and_their_undo() {
    use Label::*;
    use Op::*;
    check(&[
        (
            Tag("a", Entity, "Seoul"),
            Ok(e(
                &["entity:Seoul"],
                false,
                2,
                None,
                "Tagged “Seoul” as Entity.",
            )),
        ),
        (
            Tag("a", Entity, "Seoul"),
            Ok(e(
                &["entity:Seoul"],
                false,
                2,
                None,
                "“Seoul” is already tagged as Entity.",
            )),
        ),
        (
            Relabel(Claim),
            Ok(e(&["claim:Seoul"], false, 2, None, "Relabelled as Claim.")),
        ),
        (
            Note("capital"),
            Ok(e(&["claim:Seoul:capital"], false, 2, None, "Note saved.")),
        ),
        (
            Nudge(Side::End, true),
            Ok(e(
                &["claim:Seoul and:capital"],
                false,
                2,
                None,
                "Claim now “Seoul and”.",
            )),
        ),
        (
            Resize("Tokyo"),
            Ok(e(
                &["claim:Tokyo:capital"],
                false,
                2,
                None,
                "Resized to the selection.",
            )),
        ),
        (
            Undo,
            Ok(e(
                &["claim:Seoul and:capital"],
                false,
                2,
                Some("a"),
                "Undid resize.",
            )),
        ),
        (
            Redo,
            Ok(e(
                &["claim:Tokyo:capital"],
                false,
                2,
                Some("a"),
                "Redid resize.",
            )),
        ),
        (
            Delete,
            Ok(e(&[], false, 2, None, "Deleted “Tokyo”. Ctrl+Z undoes.")),
        ),
        (
            Delete,
            Err("Select an annotation first (click a highlight or a list entry)."),
        ),
        (
            Undo,
            Ok(e(
                &["claim:Tokyo:capital"],
                false,
                2,
                Some("a"),
                "Undid delete.",
            )),
        ),
        // Possessives do not widen "Japan" (snap to words).
        (
            Tag("a", Entity, "Japan"),
            Ok(e(
                &["claim:Tokyo:capital", "entity:Japan"],
                false,
                2,
                None,
                "Tagged “Japan” as Entity.",
            )),
        ),
        // A click selects the innermost annotation there.
        (
            Select("a", "Tokyo"),
            Ok(e(
                &["claim:Tokyo:capital", "entity:Japan"],
                false,
                2,
                None,
                "Selected Claim “Tokyo”.",
            )),
        ),
    ]);
}

#[test]
fn done_marks_articles_and_undo_that_opens_another_article() {
    use Label::*;
    use Op::*;
    check(&[
        (
            Done("a", true),
            Ok(e(&[], true, 2, None, "Marked done. Ctrl+Z undoes.")),
        ),
        (Undo, Ok(e(&[], false, 2, Some("a"), "Undid mark done."))),
        (Redo, Ok(e(&[], true, 2, Some("a"), "Redid mark done."))),
        (Done("a", true), Ok(e(&[], true, 2, None, ""))),
        (
            Tag("b", Entity, "ports"),
            Ok(e(&[], true, 2, None, "Tagged “ports” as Entity.")),
        ),
        (
            Tag("a", Claim, "Yokosuka"),
            Ok(e(
                &["claim:Yokosuka"],
                true,
                2,
                None,
                "Tagged “Yokosuka” as Claim.",
            )),
        ),
        (
            Undo,
            Ok(e(&[], true, 2, Some("a"), "Undid tag “Yokosuka”.")),
        ),
        // Undoing the tag in article b opens b.
        (Undo, Ok(e(&[], true, 2, Some("b"), "Undid tag “ports”."))),
        (Undo, Ok(e(&[], false, 2, Some("a"), "Undid mark done."))),
        (Undo, Err("Nothing to undo.")),
        (
            Remove("a"),
            Err("Built-in articles cannot be removed, only their annotations."),
        ),
        (
            Add("A new headline"),
            Ok(e(
                &[],
                false,
                3,
                Some("user-"),
                "Added 1 article(s). Ctrl+Z undoes.",
            )),
        ),
    ]);
}

#[test]
fn adding_the_same_text_twice_opens_it_and_removing_is_undoable() {
    let mut s = session();
    let now = Timestamp::from("2026-11-28T10:00:00.000Z");
    let first = s.add_pasted("Harbour", "", "Body.", &now).expect("added");
    let id = first.open.clone().expect("opens the new article");
    assert!(id.as_str().starts_with("user-"));
    let again = s
        .add_pasted("Harbour", "", "Body.", &now)
        .expect("same text");
    assert_eq!(again.open, Some(id.clone()));
    assert_eq!(
        again.announce.to_string(),
        "That article is already here; opened it."
    );
    assert_eq!(s.catalog().len(), 3);
    assert_eq!(
        s.remove_article(&ArticleId::from("a"), &now),
        Err(ActionError::BuiltIn)
    );
    let (st, en) = at(&s, id.as_str(), "Body");
    assert!(s
        .tag(
            &id,
            pick(st, en),
            Label::Entity,
            AnnotationId::from("x"),
            &now
        )
        .is_ok());
    let removed = s.remove_article(&id, &now).expect("removed");
    assert_eq!(
        removed.announce.to_string(),
        "Removed “Harbour” and 1 annotation(s). Ctrl+Z undoes."
    );
    assert_eq!(removed.open.as_ref().map(|o| o.as_str()), Some("a"));
    assert_eq!(s.catalog().len(), 2);
    let back = s.undo(&now).expect("undo");
    assert_eq!(back.open, Some(id.clone()));
    assert_eq!(s.catalog().len(), 3);
    assert_eq!(s.counts(&id), [1, 0, 0]);
}

#[test]
fn an_import_with_orphans_is_one_undoable_edit() {
    // A file made against an older text of "a": one annotation still fits,
    // one does not.
    let old = Catalog::from_seeds(&[(
        "a",
        "Summary line\nSeoul and Tokyo agree\n\nOsaka hosted talks. Shinjiro Koizumi met Ahn Gyu-back in Yokosuka. Japan's navy will join.",
    )])
    .0;
    let mut theirs = Session::new(Arc::new(old), Workspace::new());
    let now = Timestamp::from("2026-11-28T09:00:00.000Z");
    let a = ArticleId::from("a");
    for (id, quote) in [("o1", "Osaka"), ("k1", "Koizumi")] {
        let (st, en) = at(&theirs, "a", quote);
        theirs
            .tag(
                &a,
                pick(st, en),
                Label::Entity,
                AnnotationId::from(id),
                &now,
            )
            .expect("tagged");
    }
    let file = native::write(&theirs.workspace().to_native("t"));

    let mut s = session();
    let mut n = 0;
    let preview = s
        .plan_import("colleague.json", file.as_bytes(), || {
            n += 1;
            format!("new-{n}")
        })
        .expect("planned")
        .plan
        .preview
        .clone();
    assert_eq!(preview.orphans.len(), 1);
    let done = s.confirm_import(ImportMode::Merge, &now).expect("imported");
    assert_eq!(done.open, Some(a.clone()));
    assert!(
        done.announce.to_string().contains("1 kept aside"),
        "{}",
        done.announce
    );
    assert_eq!(state(&s), ["entity:Koizumi"]);
    assert_eq!(s.workspace().orphans_of("a").len(), 1);
    // One undo takes back the annotation and the orphan together.
    s.undo(&now).expect("undo");
    assert!(state(&s).is_empty());
    assert!(s.workspace().orphans_of("a").is_empty());
    s.redo(&now).expect("redo");
    assert_eq!(s.workspace().orphans_of("a").len(), 1);
    // Placing it again is undoable too.
    let (st, en) = at(&s, "a", "Yokosuka");
    let placed = s
        .place_orphan(&a, &AnnotationId::from("o1"), pick(st, en), &now)
        .expect("placed");
    assert_eq!(
        placed.announce.to_string(),
        "Placed Entity “Osaka” at “Yokosuka”. Ctrl+Z undoes."
    );
    assert!(s.workspace().orphans_of("a").is_empty());
    // A refused file changes nothing; confirming without a plan says so.
    assert!(matches!(
        s.plan_import("bad.json", b"{ nope", String::new),
        Err(ActionError::Import(..))
    ));
    assert_eq!(
        s.confirm_import(ImportMode::Replace, &now),
        Err(ActionError::NoPendingImport)
    );
    assert_eq!(
        s.cancel_import().announce.to_string(),
        "Import cancelled; nothing changed."
    );
}

#[test]
fn the_list_query_filters_by_label_and_text_and_pages() {
    let mut s = session();
    let a = ArticleId::from("a");
    let now = Timestamp::from("2026-11-28T10:00:00.000Z");
    for (i, (quote, label)) in [
        ("Seoul", Label::Entity),
        ("Tokyo", Label::Entity),
        ("Koizumi", Label::Claim),
        ("navy will join", Label::Commitment),
    ]
    .into_iter()
    .enumerate()
    {
        let (st, en) = at(&s, "a", quote);
        s.tag(&a, pick(st, en), label, AnnotationId(format!("i{i}")), &now)
            .expect("tagged");
    }
    let quotes = |q: ListQuery| -> (usize, Vec<String>) {
        let l = s.list(&a, &q);
        (l.total, l.page.into_iter().map(|a| a.quote).collect())
    };
    // (labels, search, limit) → (total, page)
    type Case<'a> = ([bool; 3], &'a str, usize, usize, &'a [&'a str]);
    let cases: &[Case] = &[
        (
            [true; 3],
            "",
            10,
            4,
            &["Seoul", "Tokyo", "Koizumi", "navy will join"],
        ),
        ([true, false, false], "", 10, 2, &["Seoul", "Tokyo"]),
        ([true; 3], "KYO", 10, 1, &["Tokyo"]),
        (
            [false, true, true],
            "o",
            10,
            2,
            &["Koizumi", "navy will join"],
        ),
        ([true; 3], "", 2, 4, &["Seoul", "Tokyo"]),
        ([false; 3], "", 10, 0, &[]),
    ];
    for (labels, search, limit, total, page) in cases {
        let got = quotes(ListQuery {
            labels: *labels,
            search: search.to_string(),
            limit: *limit,
        });
        assert_eq!(got.0, *total, "{labels:?} {search:?}");
        assert_eq!(got.1, *page, "{labels:?} {search:?}");
    }
    assert_eq!(s.counts(&a), [2, 1, 1]);
}

/// A user's article carries its text in the saved state, so its annotations
/// are saved without quote and context (FORMAT.md: derivable) and come back
/// whole: on loading, and when that saved state is imported as a file (the
/// recovery screen's download).
#[test]
fn a_users_articles_annotations_are_saved_compactly_and_read_back_whole() {
    let mut s = session();
    let now = Timestamp::from("2026-11-28T10:00:00.000Z");
    let id = s
        .add_pasted(
            "Harbour “talks”",
            "",
            "Seoul 😀 and Tokyo met at the port.",
            &now,
        )
        .expect("added")
        .open
        .expect("opens");
    for (quote, label, key) in [
        ("Tokyo", Label::Entity, "t"),
        ("met at the port", Label::Claim, "m"),
    ] {
        let (st, en) = at(&s, id.as_str(), quote);
        s.tag(&id, pick(st, en), label, AnnotationId::from(key), &now)
            .expect("tags");
    }
    let (st, en) = at(&s, "a", "Seoul");
    s.tag(
        &ArticleId::from("a"),
        pick(st, en),
        Label::Entity,
        AnnotationId::from("s"),
        &now,
    )
    .expect("tags");
    let saved = s.workspace().to_native_json("t", &mut Default::default());
    let value: serde_json::Value = serde_json::from_str(&saved).expect("JSON");
    let entry = |id: &str| {
        value["articles"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["id"] == id))
            .cloned()
            .expect("entry")
    };
    let mine = entry(id.as_str());
    assert_eq!(mine["annotations"].as_array().map(Vec::len), Some(2));
    assert!(mine["annotations"][0].get("quote").is_none(), "{mine}");
    assert!(mine["annotations"][0].get("prefix").is_none(), "{mine}");
    assert_eq!(entry("a")["annotations"][0]["quote"], "Seoul");
    // Loaded again: the same file, quotes and context from the text.
    let seeds = Catalog::from_seeds(&[("a", TEXT), ("b", OTHER)]).0;
    let (ws, report) = Workspace::from_native(native::read(&saved).expect("reads"), &seeds);
    assert_eq!((report.moved, report.orphaned), (0, 0));
    assert_eq!(ws.to_native("t"), s.workspace().to_native("t"));
    let set = ws.set(id.as_str()).expect("entry");
    let quotes: Vec<_> = set.items().iter().map(|x| x.quote.as_str()).collect();
    assert_eq!(quotes, ["Tokyo", "met at the port"]);
    assert!(
        set.items()[0].prefix.ends_with("Seoul 😀 and "),
        "{:?}",
        set.items()[0]
    );
    // Imported into a fresh session as a file: the article and its
    // annotations arrive with their quotes.
    let mut fresh = session();
    fresh
        .plan_import("saved.json", saved.as_bytes(), || "new".to_string())
        .expect("plans");
    fresh
        .confirm_import(ImportMode::Merge, &now)
        .expect("imports");
    let native = fresh.workspace().to_native("t");
    let got = native
        .articles
        .iter()
        .find(|e| e.id == id.as_str())
        .expect("the user's article came with the file");
    let quotes: Vec<_> = got.annotations.iter().map(|x| x.quote.as_str()).collect();
    assert_eq!(quotes, ["Tokyo", "met at the port"]);
    assert_eq!(got.length, s.article(&id).expect("article").len());
}
