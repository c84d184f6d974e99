//! Edits and their history.
//!
//! Every change to annotations is an [`Edit`]: per article, the annotations
//! taken out and the ones put in ([`Change`]). Creating, deleting, relabelling,
//! resizing, noting and importing are all edits, so one mechanism applies,
//! undoes and redoes them all. Undo applies the inverse edit (put back what was
//! taken out); redo applies the edit again.
//!
//! The functions here compute edits from a set without changing it; the
//! workspace applies them ([`crate::workspace::Workspace::apply`]).
//!
//! Invariant: an edit never produces two annotations with the same label and
//! span: relabelling or resizing onto another annotation's label and span
//! takes that one out too ("the later edit wins", FORMAT.md).

use std::fmt;

use crate::annotation::{Annotation, AnnotationSet};
use crate::ids::{AnnotationId, ArticleId, Timestamp};
use crate::label::Label;
use crate::span::{grapheme_bounds, round_to_graphemes, word_units, words, Span, SpanError};

/// One article's part of an edit.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The article's id.
    pub article: String,
    /// Annotations taken out (as they were).
    pub removed: Vec<Annotation>,
    /// Annotations put in (as they are now).
    pub added: Vec<Annotation>,
}

impl Change {
    /// The change that undoes this one.
    pub fn inverse(&self) -> Change {
        Change {
            article: self.article.clone(),
            removed: self.added.clone(),
            added: self.removed.clone(),
        }
    }
}

/// An article a user added: its id and canonical text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserArticle {
    /// `user-<12 hex>`.
    pub id: String,
    /// The canonical text.
    pub text: String,
}

/// An annotation kept aside (an orphan: its text changed beyond
/// re-anchoring) in an article's entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Orphan {
    /// The article's id.
    pub article: String,
    /// The annotation as it was saved.
    pub annotation: Annotation,
}

/// An article's Done mark, before and after an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneMark {
    /// The article's id.
    pub article: String,
    /// Marked done before the edit.
    pub before: bool,
    /// Marked done after it.
    pub after: bool,
}

/// A user action: one or more changes, with a name for the undo button.
/// Adding or removing a user's article is an edit too (applied before and
/// after the annotation changes respectively), so undo covers it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edit {
    /// What the edit did, e.g. "tag", "delete", "relabel".
    pub name: String,
    /// The changes, per article.
    pub changes: Vec<Change>,
    /// Articles this edit adds.
    pub articles_added: Vec<UserArticle>,
    /// Articles this edit removes (with all their annotations).
    pub articles_removed: Vec<UserArticle>,
    /// Orphans this edit takes off the kept-aside list (placed again).
    pub orphans_out: Vec<Orphan>,
    /// Orphans this edit puts on the kept-aside list.
    pub orphans_in: Vec<Orphan>,
    /// Done marks this edit sets.
    pub done: Vec<DoneMark>,
}

impl Edit {
    /// An edit of one change.
    pub fn one(name: &str, change: Change) -> Edit {
        Edit {
            name: name.to_string(),
            changes: vec![change],
            ..Edit::default()
        }
    }

    /// The edit that undoes this one.
    pub fn inverse(&self) -> Edit {
        Edit {
            name: self.name.clone(),
            changes: self.changes.iter().rev().map(Change::inverse).collect(),
            articles_added: self.articles_removed.clone(),
            articles_removed: self.articles_added.clone(),
            orphans_out: self.orphans_in.clone(),
            orphans_in: self.orphans_out.clone(),
            done: self
                .done
                .iter()
                .map(|d| DoneMark {
                    article: d.article.clone(),
                    before: d.after,
                    after: d.before,
                })
                .collect(),
        }
    }
}

/// Places an orphan again at `span` of its article: the annotation (same id,
/// label and note) at its new span, and the orphan off the kept-aside list,
/// in one edit that undo reverses.
pub fn place_orphan(
    set: &AnnotationSet,
    article: &crate::article::Article,
    orphan: &Annotation,
    span: Span,
    now: &Timestamp,
) -> Result<Edit, EditError> {
    let mut placed = orphan.clone();
    placed.move_to(article, span);
    placed.updated_at = now.0.clone();
    if let Some(other) = set
        .items()
        .iter()
        .find(|a| a.label == placed.label && a.start == placed.start && a.end == placed.end)
    {
        return Err(EditError::Exists(other.id.clone()));
    }
    Ok(Edit {
        name: "place".into(),
        changes: vec![Change {
            article: article.id().to_string(),
            removed: Vec::new(),
            added: vec![placed],
        }],
        orphans_out: vec![Orphan {
            article: article.id().to_string(),
            annotation: orphan.clone(),
        }],
        ..Edit::default()
    })
}

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// No annotation with that id in the article.
    NoSuchAnnotation,
    /// The new span is not valid.
    Span(SpanError),
    /// The edit would change nothing.
    Unchanged,
    /// The same label and span are already tagged (its id).
    Exists(String),
    /// The edit does not fit the annotations' labels (why, in words).
    Unfit(&'static str),
    /// A field value was refused.
    Field(crate::attributes::FieldError),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NoSuchAnnotation => write!(f, "that annotation no longer exists"),
            EditError::Span(e) => write!(f, "{e}"),
            EditError::Unchanged => write!(f, "nothing to change"),
            EditError::Exists(_) => write!(f, "the same label and span are already tagged"),
            EditError::Unfit(why) => write!(f, "{why}"),
            EditError::Field(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for EditError {}

fn find(set: &AnnotationSet, id: &AnnotationId) -> Result<Annotation, EditError> {
    set.get(id.as_str())
        .cloned()
        .ok_or(EditError::NoSuchAnnotation)
}

/// The change that replaces `before` by `after`, taking out any other
/// annotation that `after` would duplicate.
fn replace(
    set: &AnnotationSet,
    article: &ArticleId,
    before: Annotation,
    after: Annotation,
) -> Change {
    let mut removed = vec![before];
    if let Some(dup) = set.same_span(after.label, after.start, after.end, &after.id) {
        removed.push(dup.clone());
    }
    crate::linking::mend(
        set,
        Change {
            article: article.0.clone(),
            removed,
            added: vec![after],
        },
    )
}

/// Tags `span` with `label` as a new annotation `id`.
pub fn create(
    set: &AnnotationSet,
    article: &ArticleId,
    text: &str,
    label: Label,
    span: Span,
    id: AnnotationId,
    now: &Timestamp,
) -> Result<Change, EditError> {
    if let Some(a) = set.same_span(label, span.start(), span.end(), "") {
        return Err(EditError::Exists(a.id.clone()));
    }
    Ok(Change {
        article: article.0.clone(),
        removed: Vec::new(),
        added: vec![Annotation::at(text, span, label, id, now)],
    })
}

/// Deletes annotation `id`.
pub fn delete(
    set: &AnnotationSet,
    article: &ArticleId,
    id: &AnnotationId,
) -> Result<Change, EditError> {
    Ok(crate::linking::mend(
        set,
        Change {
            article: article.0.clone(),
            removed: vec![find(set, id)?],
            added: Vec::new(),
        },
    ))
}

/// Gives annotation `id` another label.
pub fn relabel(
    set: &AnnotationSet,
    article: &ArticleId,
    id: &AnnotationId,
    label: Label,
    now: &Timestamp,
) -> Result<Change, EditError> {
    let before = find(set, id)?;
    if before.label == label {
        return Err(EditError::Unchanged);
    }
    let mut after = before.clone();
    after.label = label;
    after.attributes = before.attributes.fitting(label);
    after.updated_at = now.0.clone();
    Ok(replace(set, article, before, after))
}

/// Moves annotation `id` to `span` of `text` (quote and context follow).
pub fn resize(
    set: &AnnotationSet,
    article: &ArticleId,
    text: &str,
    id: &AnnotationId,
    span: Span,
    now: &Timestamp,
) -> Result<Change, EditError> {
    let before = find(set, id)?;
    if before.start == span.start() && before.end == span.end() {
        return Err(EditError::Unchanged);
    }
    let mut after = before.clone();
    after.move_to(text, span);
    after.updated_at = now.0.clone();
    Ok(replace(set, article, before, after))
}

/// Sets the note of annotation `id`.
pub fn set_note(
    set: &AnnotationSet,
    article: &ArticleId,
    id: &AnnotationId,
    note: &str,
    now: &Timestamp,
) -> Result<Change, EditError> {
    let before = find(set, id)?;
    if before.note == note {
        return Err(EditError::Unchanged);
    }
    let mut after = before.clone();
    after.note = note.to_string();
    after.updated_at = now.0.clone();
    Ok(Change {
        article: article.0.clone(),
        removed: vec![before],
        added: vec![after],
    })
}

/// Which end of a span to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The start.
    Start,
    /// The end.
    End,
}

/// The span after moving one side of `span` one step left (`forward` false)
/// or right within `text`: by a word with `by_word`, else by a character (a
/// grapheme cluster: a flag, an emoji sequence or a letter with its combining
/// marks moves as one). The span never becomes empty and never leaves `limit`
/// (the block). By word, the start stops at word starts and the end at word
/// ends and at the end of a possessive `'s` ("Japan’s talks" → "Japan’s" →
/// "Japan"). The result lies on grapheme cluster boundaries (the side not
/// moved is rounded out too, for a span imported off them).
pub fn nudge(
    text: &str,
    span: Span,
    side: Side,
    forward: bool,
    by_word: bool,
    limit: (usize, usize),
) -> Result<Span, EditError> {
    let len = text.chars().count();
    let (lo, hi) = (limit.0.min(len), limit.1.min(len));
    let (mut start, mut end) = (span.start(), span.end());
    // Only the text within the limit (a block) can be reached: segmenting
    // just that keeps nudging quick in long articles.
    let window = crate::offsets::slice_cp(text, lo, hi);
    let shift = |v: Vec<(usize, usize)>| -> Vec<(usize, usize)> {
        v.into_iter().map(|(a, b)| (a + lo, b + lo)).collect()
    };
    if by_word {
        let (starts, ends) = (shift(words(window)), shift(word_units(window)));
        match (side, forward) {
            // Start left: to the start of the word before the current start.
            (Side::Start, false) => {
                start = starts
                    .iter()
                    .rev()
                    .find(|w| w.0 < start)
                    .map_or(start, |w| w.0)
            }
            // Start right: to the start of the next word (keeping one word).
            (Side::Start, true) => {
                start = starts.iter().find(|w| w.0 > start).map_or(start, |w| w.0)
            }
            (Side::End, false) => end = ends.iter().rev().find(|w| w.1 < end).map_or(end, |w| w.1),
            (Side::End, true) => end = ends.iter().find(|w| w.1 > end).map_or(end, |w| w.1),
        }
    } else {
        let bounds: Vec<usize> = grapheme_bounds(window)
            .into_iter()
            .map(|b| b + lo)
            .collect();
        let before = |cp: usize| bounds.iter().rev().find(|&&b| b < cp).copied();
        let after = |cp: usize| bounds.iter().find(|&&b| b > cp).copied();
        match (side, forward) {
            (Side::Start, false) => start = before(start).unwrap_or(start.saturating_sub(1)),
            (Side::Start, true) => start = after(start).unwrap_or(start + 1),
            (Side::End, false) => end = before(end).unwrap_or(end.saturating_sub(1)),
            (Side::End, true) => end = after(end).unwrap_or(end + 1),
        }
    }
    let start = start.clamp(lo, hi);
    let end = end.clamp(lo, hi);
    let (start, end) = if start < end {
        let (a, b) = round_to_graphemes(window, start - lo, end - lo);
        (a + lo, b + lo)
    } else {
        (start, end)
    };
    let moved = Span::new(start, end, len).map_err(EditError::Span)?;
    if moved == span {
        Err(EditError::Unchanged)
    } else {
        Ok(moved)
    }
}

#[cfg(test)]
mod nudge_tests {
    use super::*;

    /// (text, span, side, forward, by_word, expected quote or None = refused)
    #[test]
    fn nudging_table() {
        use Side::{End, Start};
        let family = "a \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} b"; // family 2..7
        type Row<'a> = (&'a str, (usize, usize), Side, bool, bool, Option<&'a str>);
        let rows: Vec<Row> = vec![
            // Possessives: the end stops after ’s and after the word.
            ("Japan’s talks", (0, 13), End, false, true, Some("Japan’s")),
            ("Japan’s talks", (0, 7), End, false, true, Some("Japan")),
            ("Japan's talks", (0, 7), End, false, true, Some("Japan")),
            ("Japan’s talks", (0, 5), End, true, true, Some("Japan’s")),
            (
                "Japan’s talks",
                (0, 7),
                End,
                true,
                true,
                Some("Japan’s talks"),
            ),
            ("Japan’s talks", (0, 5), End, false, true, None),
            ("Japan’s talks", (0, 13), Start, true, true, Some("talks")),
            (
                "the leaders' talks",
                (4, 11),
                End,
                true,
                true,
                Some("leaders' talks"),
            ),
            // By character: whole grapheme clusters.
            ("a 🇰🇷 b", (0, 4), End, false, false, Some("a ")),
            ("a 🇰🇷 b", (0, 2), End, true, false, Some("a 🇰🇷")),
            ("a 🇰🇷 b", (2, 6), Start, true, false, Some(" b")),
            ("a 🇰🇷 b", (4, 6), Start, false, false, Some("🇰🇷 b")),
            (
                family,
                (0, 2),
                End,
                true,
                false,
                Some("a \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"),
            ),
            (
                family,
                (7, 9),
                Start,
                false,
                false,
                Some("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} b"),
            ),
            (
                "Cafe\u{301} x",
                (0, 3),
                End,
                true,
                false,
                Some("Cafe\u{301}"),
            ),
            ("Cafe\u{301} x", (0, 5), End, false, false, Some("Caf")),
            ("東京で", (0, 1), End, true, false, Some("東京")),
            // A span imported off the boundaries is rounded out when moved.
            ("a 🇰🇷 b", (3, 5), End, true, false, Some("🇰🇷 b")),
            // Never empty.
            ("a 🇰🇷 b", (2, 4), Start, true, false, None),
        ];
        for (text, (a, b), side, forward, by_word, want) in rows {
            let len = text.chars().count();
            let span = Span::new(a, b, len).expect("valid");
            let got = nudge(text, span, side, forward, by_word, (0, len))
                .ok()
                .map(|s| crate::offsets::slice_cp(text, s.start(), s.end()).to_string());
            assert_eq!(
                got.as_deref(),
                want,
                "{text:?} {a}..{b} {side:?} forward={forward} by_word={by_word}"
            );
        }
    }
}

/// Undo and redo stacks of edits. History lives for a session (not saved)
/// and spans every article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    /// Bumped by every record, undo and redo (see [`version`](Self::version)).
    version: u64,
}

/// How many edits undo remembers.
pub const HISTORY_LIMIT: usize = 500;

impl History {
    /// An empty history.
    pub fn new() -> History {
        History::default()
    }

    /// Records an edit just applied; clears redo.
    pub fn record(&mut self, edit: Edit) {
        self.version += 1;
        self.undo.push(edit);
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The edit to apply to undo the last one (moved to the redo stack).
    pub fn undo(&mut self) -> Option<Edit> {
        let edit = self.undo.pop()?;
        self.version += 1;
        let inverse = edit.inverse();
        self.redo.push(edit);
        Some(inverse)
    }

    /// The edit to apply to redo the last undone one.
    pub fn redo(&mut self) -> Option<Edit> {
        let edit = self.redo.pop()?;
        self.version += 1;
        self.undo.push(edit.clone());
        Some(edit)
    }

    /// The edit undo would undo.
    pub fn last(&self) -> Option<&Edit> {
        self.undo.last()
    }

    /// Replaces the last two edits undo would undo by `edit`, which does
    /// what both did (one undo step for a run of small edits of one thing,
    /// see `Session::set_field`); redo is cleared as by
    /// [`record`](Self::record).
    pub fn join_last_two(&mut self, edit: Edit) {
        self.undo.pop();
        self.undo.pop();
        self.record(edit);
    }

    /// A number that changes with every record, undo and redo, and only
    /// then. Something done outside the history while the version was `v`
    /// (a rejected suggestion) is the next thing to undo as long as the
    /// version is still `v`.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// True when an edit of this name is done (on the undo stack): one
    /// undone (on the redo stack) or never made is not.
    pub fn holds(&self, name: &str) -> bool {
        self.undo.iter().any(|e| e.name == name)
    }

    /// Name of the edit undo would undo.
    pub fn next_undo(&self) -> Option<&str> {
        self.undo.last().map(|e| e.name.as_str())
    }

    /// Name of the edit redo would redo.
    pub fn next_redo(&self) -> Option<&str> {
        self.redo.last().map(|e| e.name.as_str())
    }
}

#[cfg(test)]
mod history_tests {
    use super::*;

    #[test]
    fn the_version_changes_with_every_record_undo_and_redo() {
        let mut h = History::new();
        let v0 = h.version();
        h.record(Edit::default());
        let v1 = h.version();
        assert_ne!(v0, v1);
        h.undo();
        let v2 = h.version();
        assert!(
            v2 != v1 && v2 != v0,
            "undo back to the same stack is another version"
        );
        h.redo();
        assert!(![v0, v1, v2].contains(&h.version()));
        let v3 = h.version();
        h.join_last_two(Edit::default());
        assert_ne!(h.version(), v3);
        assert_eq!(h.version(), h.version(), "reading does not change it");
    }
}
