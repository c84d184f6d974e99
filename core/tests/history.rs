//! Undo/redo as a table of operations and expected states, and merging two
//! tabs' copies by annotation id.

use annotator_core::edit::{self, Edit, History, Side};
use annotator_core::ids::{AnnotationId, ArticleId, Timestamp};
use annotator_core::{Catalog, Label, Span, Workspace};

const TEXT: &str =
    "Summary line\nSeoul and Tokyo agree\n\nShinjiro Koizumi met Ahn Gyu-back in Yokosuka.";

enum Op {
    Tag(Label, &'static str, &'static str),
    Delete(&'static str),
    Relabel(&'static str, Label),
    Resize(&'static str, &'static str),
    Note(&'static str, &'static str),
    Undo,
    Redo,
}

/// Applies `ops` in turn; after each, the state must be `expected`: the
/// annotations as "label:quote[:note]" in text order.
fn check(ops: &[(Op, &[&str])]) {
    let catalog = Catalog::from_seeds(&[("a", TEXT)]).0;
    let article = catalog.get("a").expect("parses").clone();
    let mut ws = Workspace::new();
    let mut history = History::new();
    let span_of = |quote: &str| {
        let byte = article.text().find(quote).expect("quote in text");
        let start = article.text()[..byte].chars().count();
        Span::new(start, start + quote.chars().count(), article.len()).expect("span")
    };
    let empty = Default::default();
    for (step, (op, expected)) in ops.iter().enumerate() {
        let now = format!("2026-11-26T10:00:{step:02}.000Z");
        let set = ws.set("a").unwrap_or(&empty).clone();
        let made: Option<Edit> = match op {
            Op::Tag(label, quote, id) => edit::create(
                &set,
                &ArticleId::from("a"),
                article.text(),
                *label,
                span_of(quote),
                AnnotationId::from(&id),
                &Timestamp::from(&now),
            )
            .ok()
            .map(|c| Edit::one("tag", c)),
            Op::Delete(id) => edit::delete(&set, &ArticleId::from("a"), &AnnotationId::from(&id))
                .ok()
                .map(|c| Edit::one("delete", c)),
            Op::Relabel(id, label) => edit::relabel(
                &set,
                &ArticleId::from("a"),
                &AnnotationId::from(&id),
                *label,
                &Timestamp::from(&now),
            )
            .ok()
            .map(|c| Edit::one("relabel", c)),
            Op::Resize(id, quote) => edit::resize(
                &set,
                &ArticleId::from("a"),
                article.text(),
                &AnnotationId::from(&id),
                span_of(quote),
                &Timestamp::from(&now),
            )
            .ok()
            .map(|c| Edit::one("resize", c)),
            Op::Note(id, note) => edit::set_note(
                &set,
                &ArticleId::from("a"),
                &AnnotationId::from(&id),
                note,
                &Timestamp::from(&now),
            )
            .ok()
            .map(|c| Edit::one("note", c)),
            Op::Undo => {
                if let Some(e) = history.undo() {
                    ws.apply(&catalog, &e, &now);
                }
                None
            }
            Op::Redo => {
                if let Some(e) = history.redo() {
                    ws.apply(&catalog, &e, &now);
                }
                None
            }
        };
        if let Some(e) = made {
            ws.apply(&catalog, &e, &now);
            history.record(e);
        }
        let got: Vec<String> = ws
            .set("a")
            .map(|s| {
                s.items()
                    .iter()
                    .map(|a| {
                        let mut s = format!("{}:{}", a.label.as_str(), a.quote);
                        if !a.note.is_empty() {
                            s = format!("{s}:{}", a.note);
                        }
                        s
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(got, *expected, "after step {step}");
    }
}

#[test]
fn undo_and_redo_every_kind_of_edit() {
    use Label::*;
    use Op::*;
    check(&[
        (
            Tag(Entity, "Shinjiro Koizumi", "k"),
            &["entity:Shinjiro Koizumi"],
        ),
        (
            Tag(Claim, "Seoul and Tokyo agree", "c"),
            &["claim:Seoul and Tokyo agree", "entity:Shinjiro Koizumi"],
        ),
        (Undo, &["entity:Shinjiro Koizumi"]),
        (
            Redo,
            &["claim:Seoul and Tokyo agree", "entity:Shinjiro Koizumi"],
        ),
        (
            Relabel("k", Commitment),
            &["claim:Seoul and Tokyo agree", "commitment:Shinjiro Koizumi"],
        ),
        (
            Undo,
            &["claim:Seoul and Tokyo agree", "entity:Shinjiro Koizumi"],
        ),
        (
            Redo,
            &["claim:Seoul and Tokyo agree", "commitment:Shinjiro Koizumi"],
        ),
        (
            Resize("k", "Koizumi"),
            &["claim:Seoul and Tokyo agree", "commitment:Koizumi"],
        ),
        (
            Note("k", "Japan's minister"),
            &[
                "claim:Seoul and Tokyo agree",
                "commitment:Koizumi:Japan's minister",
            ],
        ),
        (Undo, &["claim:Seoul and Tokyo agree", "commitment:Koizumi"]),
        (
            Undo,
            &["claim:Seoul and Tokyo agree", "commitment:Shinjiro Koizumi"],
        ),
        (Redo, &["claim:Seoul and Tokyo agree", "commitment:Koizumi"]),
        (Delete("c"), &["commitment:Koizumi"]),
        (Undo, &["claim:Seoul and Tokyo agree", "commitment:Koizumi"]),
        (Redo, &["commitment:Koizumi"]),
        // A new edit clears redo.
        (Undo, &["claim:Seoul and Tokyo agree", "commitment:Koizumi"]),
        (
            Tag(Entity, "Yokosuka", "y"),
            &[
                "claim:Seoul and Tokyo agree",
                "commitment:Koizumi",
                "entity:Yokosuka",
            ],
        ),
        (
            Redo,
            &[
                "claim:Seoul and Tokyo agree",
                "commitment:Koizumi",
                "entity:Yokosuka",
            ],
        ),
        // Relabelling onto an existing label+span takes the other out; undo brings both back.
        (
            Tag(Entity, "Koizumi", "k2"),
            &[
                "claim:Seoul and Tokyo agree",
                "entity:Koizumi",
                "commitment:Koizumi",
                "entity:Yokosuka",
            ],
        ),
        (
            Relabel("k2", Commitment),
            &[
                "claim:Seoul and Tokyo agree",
                "commitment:Koizumi",
                "entity:Yokosuka",
            ],
        ),
        (
            Undo,
            &[
                "claim:Seoul and Tokyo agree",
                "entity:Koizumi",
                "commitment:Koizumi",
                "entity:Yokosuka",
            ],
        ),
        // Undo past the start does nothing.
        (
            Undo,
            &[
                "claim:Seoul and Tokyo agree",
                "commitment:Koizumi",
                "entity:Yokosuka",
            ],
        ),
    ]);
}

#[test]
fn nudging_moves_one_side_by_a_word_or_a_character() {
    let text = "Shinjiro Koizumi met Ahn";
    let s = |a, b| Span::new(a, b, 24).expect("span");
    let full = (0, 24);
    assert_eq!(
        edit::nudge(text, s(9, 16), Side::Start, false, true, full),
        Ok(s(0, 16))
    );
    assert_eq!(
        edit::nudge(text, s(0, 16), Side::Start, true, true, full),
        Ok(s(9, 16))
    );
    assert_eq!(
        edit::nudge(text, s(9, 16), Side::End, true, true, full),
        Ok(s(9, 20))
    );
    assert_eq!(
        edit::nudge(text, s(9, 20), Side::End, false, true, full),
        Ok(s(9, 16))
    );
    assert_eq!(
        edit::nudge(text, s(9, 16), Side::End, false, false, full),
        Ok(s(9, 15))
    );
    assert_eq!(
        edit::nudge(text, s(9, 16), Side::Start, false, false, full),
        Ok(s(8, 16))
    );
    // Never empty, never outside the block.
    assert!(edit::nudge(text, s(9, 16), Side::Start, true, true, full).is_err());
    assert!(edit::nudge(text, s(9, 10), Side::End, false, false, full).is_err());
    assert!(edit::nudge(text, s(9, 16), Side::Start, false, true, (9, 24)).is_err());
}

#[test]
fn two_tabs_merge_by_id_and_keep_deletions() {
    let catalog = Catalog::from_seeds(&[("a", TEXT)]).0;
    let article = catalog.get("a").expect("parses");
    let span = |q: &str| {
        let byte = article.text().find(q).expect("in text");
        let start = article.text()[..byte].chars().count();
        Span::new(start, start + q.chars().count(), article.len()).expect("span")
    };
    let tag = |ws: &mut Workspace, label, q: &str, id: &str, now: &str| {
        let set = ws.set("a").cloned().unwrap_or_default();
        let c = edit::create(
            &set,
            &ArticleId::from("a"),
            article.text(),
            label,
            span(q),
            AnnotationId::from(&id),
            &Timestamp::from(&now),
        )
        .expect("new");
        ws.apply(&catalog, &Edit::one("tag", c), now);
    };
    let mut base = Workspace::new();
    tag(
        &mut base,
        Label::Entity,
        "Seoul",
        "shared",
        "2026-11-26T10:00:00.000Z",
    );
    tag(
        &mut base,
        Label::Entity,
        "Tokyo",
        "doomed",
        "2026-11-26T10:00:00.000Z",
    );
    let mut one = base.clone();
    let mut two = base.clone();
    // Tab one adds and relabels; tab two adds, notes the shared one later, deletes one.
    tag(
        &mut one,
        Label::Claim,
        "Seoul and Tokyo agree",
        "from-one",
        "2026-11-26T10:00:01.000Z",
    );
    let c = edit::relabel(
        one.set("a").expect("set"),
        &ArticleId::from("a"),
        &AnnotationId::from("shared"),
        Label::Claim,
        &Timestamp::from("t"),
    )
    .expect("relabel");
    one.apply(
        &catalog,
        &Edit::one("relabel", c),
        "2026-11-26T10:00:02.000Z",
    );
    tag(
        &mut two,
        Label::Entity,
        "Yokosuka",
        "from-two",
        "2026-11-26T10:00:01.500Z",
    );
    let c = edit::set_note(
        two.set("a").expect("set"),
        &ArticleId::from("a"),
        &AnnotationId::from("shared"),
        "later",
        &Timestamp::from("t"),
    )
    .expect("note");
    two.apply(&catalog, &Edit::one("note", c), "2026-11-26T10:00:03.000Z");
    let c = edit::delete(
        two.set("a").expect("set"),
        &ArticleId::from("a"),
        &AnnotationId::from("doomed"),
    )
    .expect("delete");
    two.apply(
        &catalog,
        &Edit::one("delete", c),
        "2026-11-26T10:00:04.000Z",
    );

    let mut merged_one = one.clone();
    assert!(merged_one.merge_from(&two));
    let mut merged_two = two.clone();
    assert!(merged_two.merge_from(&one));
    assert!(merged_one.same_content(&merged_two), "both tabs end equal");
    let ids: Vec<_> = merged_one
        .set("a")
        .expect("set")
        .items()
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["from-one", "shared", "from-two"]);
    let shared = merged_one
        .set("a")
        .and_then(|s| s.get("shared"))
        .expect("kept");
    assert_eq!(
        (shared.label, shared.note.as_str()),
        (Label::Entity, "later"),
        "the later edit wins"
    );
    // Merging again changes nothing (no ping-pong between tabs).
    assert!(!merged_one.clone().merge_from(&merged_two));
    // An undo of the delete is a newer edit: it survives the merge.
    let restore = Edit::one(
        "delete",
        edit::delete(
            base.set("a").expect("set"),
            &ArticleId::from("a"),
            &AnnotationId::from("doomed"),
        )
        .expect("d"),
    )
    .inverse();
    merged_two.apply(&catalog, &restore, "2026-11-26T10:00:05.000Z");
    assert!(merged_one.merge_from(&merged_two));
    assert!(merged_one.set("a").and_then(|s| s.get("doomed")).is_some());
}

#[test]
fn a_removed_article_stays_removed_when_tabs_merge_and_undo_brings_it_back() {
    use annotator_core::edit::UserArticle;
    let seeds = Catalog::from_seeds(&[("a", TEXT)]).0;
    let user = UserArticle {
        id: "user-000000000001".into(),
        text: "S\nMine\n\nBody".into(),
    };
    let add = Edit {
        name: "add".into(),
        articles_added: vec![user.clone()],
        ..Edit::default()
    };
    let mut one = Workspace::new();
    one.apply(&seeds, &add, "2026-11-26T10:00:00.000Z");
    let two_before = one.clone();
    let remove = Edit {
        name: "remove".into(),
        articles_removed: vec![user.clone()],
        ..Edit::default()
    };
    one.apply(&seeds, &remove, "2026-11-26T10:00:01.000Z");
    // The other tab still has it; merging keeps it removed, both ways.
    let mut merged = one.clone();
    merged.merge_from(&two_before);
    assert!(merged.user_articles().is_empty());
    let mut other = two_before.clone();
    assert!(other.merge_from(&one));
    assert!(other.user_articles().is_empty());
    // Undo (a later add) wins over the older removal.
    one.apply(&seeds, &remove.inverse(), "2026-11-26T10:00:02.000Z");
    assert!(other.merge_from(&one));
    assert_eq!(other.user_articles().len(), 1);
}

#[test]
fn placing_a_kept_aside_annotation_again_is_undoable() {
    use annotator_core::formats::native;
    // An annotation saved against an older text that no longer holds it.
    let old = Catalog::from_seeds(&[("a", "Summary line\nSeoul and Tokyo agree\n\nOsaka wins.")]).0;
    let article = old.get("a").expect("parsed");
    let mut ws = Workspace::new();
    let start = article.text().chars().take_while(|c| *c != 'O').count();
    let span = Span::new(start, start + 5, article.len()).expect("span");
    let set = ws.set(article.id()).cloned().unwrap_or_default();
    let change = edit::create(
        &set,
        &ArticleId::from(&article.id()),
        article.text(),
        Label::Entity,
        span,
        AnnotationId::from("o1"),
        &Timestamp::from("t0"),
    )
    .expect("create");
    ws.apply(&old, &Edit::one("tag", change), "t0");
    let saved = native::write(&ws.to_native("t1"));
    let seeds = Catalog::from_seeds(&[("a", TEXT)]).0;
    let (mut ws, report) = Workspace::from_native(native::read(&saved).expect("reads"), &seeds);
    assert_eq!(report.orphaned, 1);
    assert_eq!(ws.orphans_of("a").len(), 1);
    // Place it on "Yokosuka": an annotation with the same id and label.
    let article = seeds.get("a").expect("seed");
    let orphan = ws.orphans_of("a")[0].clone();
    let start = article.text().chars().count() - "Yokosuka.".chars().count();
    let span = Span::new(start, start + 8, article.len()).expect("span");
    let set = ws.set("a").cloned().unwrap_or_default();
    let place =
        edit::place_orphan(&set, article, &orphan, span, &Timestamp::from("t2")).expect("placed");
    let mut history = History::default();
    ws.apply(&seeds, &place, "t2");
    history.record(place);
    let quotes = |ws: &Workspace| -> Vec<String> {
        ws.set("a")
            .map(|s| {
                s.items()
                    .iter()
                    .map(|a| format!("{}:{}", a.id, a.quote))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(quotes(&ws), ["o1:Yokosuka"]);
    assert!(ws.orphans_of("a").is_empty());
    // Undo puts it back aside; redo places it again.
    let undo = history.undo().expect("undo");
    ws.apply(&seeds, &undo, "t3");
    assert!(quotes(&ws).is_empty());
    assert_eq!(ws.orphans_of("a").len(), 1);
    assert_eq!(ws.orphans_of("a")[0].quote, "Osaka");
    let redo = history.redo().expect("redo");
    ws.apply(&seeds, &redo, "t4");
    assert_eq!(quotes(&ws), ["o1:Yokosuka"]);
    assert!(ws.orphans_of("a").is_empty());
}
