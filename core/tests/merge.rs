//! Properties of merging tabs' copies of a workspace (`merge`), on copies
//! made by random edits (create, delete, relabel, undo) with
//! random clocks from a shared start: merging twice changes nothing, the
//! order of tabs does not matter (commutative and associative in content),
//! and each annotation ends as a model says: its latest version, unless a
//! deletion tombstone (in any copy) is later than that version.

use annotator_core::ids::{AnnotationId, ArticleId, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

use annotator_core::edit::{self, Edit};
use annotator_core::merge;
use annotator_core::{Annotation, Catalog, Label, Span, Workspace};
use proptest::prelude::*;

const ARTICLES: [(&str, &str); 2] = [
    (
        "a",
        "Summary line\nSeoul and Tokyo agree\n\nShinjiro Koizumi met Ahn Gyu-back in Yokosuka.",
    ),
    ("b", "Short summary\nA headline\n\nOne two three four five."),
];

/// One edit a tab makes. Targets are indexes, taken modulo what exists.
#[derive(Debug, Clone)]
enum Op {
    /// Tag word `word` (and `extra` more) of an article with a label.
    Create {
        article: usize,
        word: usize,
        extra: usize,
        label: usize,
    },
    /// Delete an existing annotation.
    Delete { article: usize, pick: usize },
    /// Give an existing annotation another label.
    Relabel {
        article: usize,
        pick: usize,
        label: usize,
    },
    /// Undo this tab's latest edit not undone yet (a new edit, stamped
    /// with its clock), as `History` does.
    Undo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..2usize, 0..12usize, 0..3usize, 0..3usize).prop_map(|(article, word, extra, label)| Op::Create { article, word, extra, label }),
        2 => (0..2usize, 0..8usize).prop_map(|(article, pick)| Op::Delete { article, pick }),
        2 => (0..2usize, 0..8usize, 0..3usize).prop_map(|(article, pick, label)| Op::Relabel { article, pick, label }),
        1 => Just(Op::Undo),
    ]
}

/// A tab's edits, each with its clock (seconds; clocks of different tabs,
/// or one tab's after a change of clock, need not agree or increase).
fn ops() -> impl Strategy<Value = Vec<(Op, u32)>> {
    prop::collection::vec((op(), 0..40u32), 0..10)
}

fn catalog() -> Catalog {
    Catalog::from_seeds(&ARTICLES).0
}

fn at(second: u32) -> String {
    format!("2026-11-26T10:{:02}:{:02}.000Z", second / 60, second % 60)
}

/// The word spans of an article (code points).
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().chain([' ']).enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Applies `ops` to `ws` as tab `tab` (ids are `tab-n`, unique per tab).
fn run(ws: &mut Workspace, catalog: &Catalog, tab: &str, ops: &[(Op, u32)]) {
    let mut done: Vec<Edit> = Vec::new();
    for (n, (op, second)) in ops.iter().enumerate() {
        let now = at(*second);
        let set_of = |ws: &Workspace, id: &str| ws.set(id).cloned().unwrap_or_default();
        let made = match *op {
            Op::Create {
                article,
                word,
                extra,
                label,
            } => {
                let (id, text) = ARTICLES[article];
                let article = catalog.get(id).expect("seed parses");
                let words = words(text);
                let (start, _) = words[word % words.len()];
                let (_, end) = words[(word + extra).min(words.len() - 1)];
                let span = Span::new(start, end, article.len()).expect("span");
                edit::create(
                    &set_of(ws, id),
                    &ArticleId::from(&id),
                    article.text(),
                    Label::ALL[label],
                    span,
                    AnnotationId::from(&format!("{tab}-{n}")),
                    &Timestamp::from(&now),
                )
                .ok()
                .map(|c| Edit::one("tag", c))
            }
            Op::Delete { article, pick } => {
                let id = ARTICLES[article].0;
                let set = set_of(ws, id);
                set.items()
                    .get(pick % set.len().max(1))
                    .and_then(|a| {
                        edit::delete(&set, &ArticleId::from(&id), &AnnotationId::from(&a.id)).ok()
                    })
                    .map(|c| Edit::one("delete", c))
            }
            Op::Relabel {
                article,
                pick,
                label,
            } => {
                let id = ARTICLES[article].0;
                let set = set_of(ws, id);
                set.items()
                    .get(pick % set.len().max(1))
                    .and_then(|a| {
                        edit::relabel(
                            &set,
                            &ArticleId::from(&id),
                            &AnnotationId::from(&a.id),
                            Label::ALL[label],
                            &Timestamp::from(&now),
                        )
                        .ok()
                    })
                    .map(|c| Edit::one("relabel", c))
            }
            Op::Undo => {
                if let Some(edit) = done.pop() {
                    ws.apply(catalog, &edit.inverse(), &now);
                }
                None
            }
        };
        if let Some(edit) = made {
            ws.apply(catalog, &edit, &now);
            done.push(edit);
        }
    }
}

/// A shared start and one copy per list of edits, each made from it.
fn tabs(base: &[(Op, u32)], each: &[Vec<(Op, u32)>]) -> Vec<Workspace> {
    let catalog = catalog();
    let mut start = Workspace::new();
    run(&mut start, &catalog, "base", base);
    each.iter()
        .enumerate()
        .map(|(i, ops)| {
            let mut ws = start.clone();
            run(&mut ws, &catalog, &format!("tab{i}"), ops);
            ws
        })
        .collect()
}

/// One version of an annotation: (label, start, end, note, updated_at).
type Version = (String, usize, usize, String, String);
/// Annotations as content: (article, id) → version.
type Annotations = BTreeMap<(String, String), Version>;

/// What a workspace holds, entry order and list order aside: annotations,
/// per-article tombstones and removed articles.
#[derive(Debug, PartialEq)]
struct Content {
    annotations: Annotations,
    tombstones: BTreeSet<(String, String, String)>,
    removed: BTreeSet<(String, String)>,
}

fn content(ws: &Workspace) -> Content {
    let mut annotations = BTreeMap::new();
    let mut tombstones = BTreeSet::new();
    for e in ws.entries() {
        for a in e.set.items() {
            annotations.insert((e.id.clone(), a.id.clone()), version(a));
        }
        for t in &e.meta.deleted {
            tombstones.insert((e.id.clone(), t.id.clone(), t.at.clone()));
        }
    }
    let removed = ws
        .removed_articles()
        .iter()
        .map(|t| (t.id.clone(), t.at.clone()))
        .collect();
    Content {
        annotations,
        tombstones,
        removed,
    }
}

fn merged(a: &Workspace, b: &Workspace) -> Workspace {
    let mut m = a.clone();
    merge::merge(&mut m, b);
    m
}

/// What the merge of `copies` must hold, by the documented rules: per id
/// its latest version (the later `updated_at`; two different versions with
/// the same time: the greater JSON), unless a tombstone in any copy is later
/// than it; then per label and span the later edit (at the same time, the
/// greater id).
fn model(copies: &[&Workspace]) -> Annotations {
    let newer = |a: &Annotation, b: &Annotation| {
        let json = |x: &Annotation| serde_json::to_string(x).expect("JSON");
        (&a.updated_at, json(a)) > (&b.updated_at, json(b))
    };
    let mut latest: BTreeMap<(String, String), Annotation> = BTreeMap::new();
    let mut deleted: BTreeMap<(String, String), String> = BTreeMap::new();
    for ws in copies {
        for e in ws.entries() {
            for a in e.set.items() {
                let key = (e.id.clone(), a.id.clone());
                if latest.get(&key).is_none_or(|have| newer(a, have)) {
                    latest.insert(key, a.clone());
                }
            }
            for t in &e.meta.deleted {
                let at = deleted.entry((e.id.clone(), t.id.clone())).or_default();
                if t.at > *at {
                    *at = t.at.clone();
                }
            }
        }
    }
    latest.retain(|key, a| deleted.get(key).is_none_or(|t| a.updated_at > *t));
    let mut by_span: BTreeMap<(String, Label, usize, usize), Annotation> = BTreeMap::new();
    for ((article, _), a) in latest {
        let key = (article, a.label, a.start, a.end);
        let wins = |have: &Annotation| (&a.updated_at, &a.id) > (&have.updated_at, &have.id);
        if by_span.get(&key).is_none_or(wins) {
            by_span.insert(key, a);
        }
    }
    by_span
        .into_iter()
        .map(|((article, ..), a)| ((article, a.id.clone()), version(&a)))
        .collect()
}

fn version(a: &Annotation) -> Version {
    (
        a.label.as_str().to_string(),
        a.start,
        a.end,
        a.note.clone(),
        a.updated_at.clone(),
    )
}

/// Whether two ids hold the same label and span in an article, in any of
/// the copies.
fn shared_spans(copies: &[Workspace]) -> bool {
    let mut seen: BTreeMap<(String, Label, usize, usize), String> = BTreeMap::new();
    copies.iter().flat_map(Workspace::entries).any(|e| {
        e.set.items().iter().any(|a| {
            let id = seen
                .entry((e.id.clone(), a.label, a.start, a.end))
                .or_insert_with(|| a.id.clone());
            *id != a.id
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Merging the same copy again (or a copy into itself) changes nothing
    /// and says so.
    #[test]
    fn merging_twice_changes_nothing(base in ops(), one in ops(), two in ops()) {
        let t = tabs(&base, &[one, two]);
        let mut m = merged(&t[0], &t[1]);
        let after_one = content(&m);
        prop_assert!(!merge::merge(&mut m, &t[1]), "the second merge reported a change");
        prop_assert_eq!(content(&m), after_one);
        let mut same = t[0].clone();
        prop_assert!(!merge::merge(&mut same, &t[0]));
        prop_assert_eq!(content(&same), content(&t[0]));
    }

    /// Which tab merges which does not matter: both end with the same
    /// content, and `same_content` says so.
    #[test]
    fn the_order_of_two_tabs_does_not_matter(base in ops(), one in ops(), two in ops()) {
        let t = tabs(&base, &[one, two]);
        let ab = merged(&t[0], &t[1]);
        let ba = merged(&t[1], &t[0]);
        prop_assert_eq!(content(&ab), content(&ba));
        prop_assert!(merge::same_content(&ab, &ba));
    }

    /// Nor does the order of three: (a + b) + c holds what a + (b + c) does,
    /// as long as no two ids share a label and span in any copy. (When two
    /// tabs tag the same words with the same label and a third relabels one
    /// of them, whichever pair meets first keeps one of the two for good;
    /// a known limit of "same label and span is one annotation".)
    #[test]
    fn the_order_of_three_tabs_does_not_matter(base in ops(), one in ops(), two in ops(), three in ops()) {
        let t = tabs(&base, &[one, two, three]);
        prop_assume!(!shared_spans(&t));
        let left = merged(&merged(&t[0], &t[1]), &t[2]);
        let right = merged(&t[0], &merged(&t[1], &t[2]));
        prop_assert_eq!(content(&left), content(&right));
        let rotated = merged(&merged(&t[2], &t[0]), &t[1]);
        prop_assert_eq!(content(&left), content(&rotated));
    }

    /// Every annotation ends as the model says: a tombstone later than an
    /// annotation's latest edit removes it, whichever copy holds the
    /// tombstone; an edit later than the tombstone keeps it.
    #[test]
    fn a_tombstone_later_than_the_last_edit_wins(base in ops(), one in ops(), two in ops()) {
        let t = tabs(&base, &[one, two]);
        let want = model(&[&t[0], &t[1]]);
        prop_assert_eq!(&content(&merged(&t[0], &t[1])).annotations, &want);
        prop_assert_eq!(&content(&merged(&t[1], &t[0])).annotations, &want);
    }
}

/// The rule by example: a delete in one tab and an edit in the other, each
/// side later in turn.
#[test]
fn a_delete_and_an_edit_in_two_tabs_table() {
    let base = vec![(
        Op::Create {
            article: 0,
            word: 2,
            extra: 0,
            label: 0,
        },
        1,
    )];
    let delete = vec![(
        Op::Delete {
            article: 0,
            pick: 0,
        },
        0,
    )];
    let relabel = |label| {
        vec![(
            Op::Relabel {
                article: 0,
                pick: 0,
                label,
            },
            0,
        )]
    };
    // (when the delete happens, when the relabel happens, kept?)
    let rows = [(10, 20, true), (20, 10, false), (10, 10, false)];
    for (deleted_at, edited_at, kept) in rows {
        let with_clock = |mut ops: Vec<(Op, u32)>, s| {
            ops[0].1 = s;
            ops
        };
        let t = tabs(
            &base,
            &[
                with_clock(delete.clone(), deleted_at),
                with_clock(relabel(1), edited_at),
            ],
        );
        for (a, b) in [(&t[0], &t[1]), (&t[1], &t[0])] {
            let m = merged(a, b);
            let got = m.set("a").is_some_and(|s| s.get("base-0").is_some());
            assert_eq!(got, kept, "deleted at {deleted_at}, edited at {edited_at}");
        }
    }
}
