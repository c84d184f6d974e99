//! One annotation and the per-article set of them, with the edits the app
//! makes.
//!
//! Invariants of [`AnnotationSet`]:
//! - every annotation's span lies inside its article's text, and its `quote`,
//!   `prefix` and `suffix` are the text at that span (all in code points);
//! - no two annotations share label, start and end ("one annotation", FORMAT.md);
//! - ids are unique; the order is text order (start, then longer first, then id).
//!
//! Ids and timestamps are passed in by the caller (the app uses UUID v4 and
//! the browser clock), so everything here is deterministic and testable.

use crate::attributes::Attributes;
use crate::ids::{AnnotationId, Timestamp};
use crate::relation::Link;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::label::Label;
use crate::span::Span;

/// How many code points of context `prefix` and `suffix` hold.
pub const CONTEXT: usize = 32;

/// One tagged span of an article, in the native file's shape.
///
/// Read through [`AnnotationWire`]: the saved state may leave out `quote`,
/// `prefix` and `suffix` (taken from the text when it is anchored), `note`
/// when empty and `updated_at` when it equals `created_at` (FORMAT.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "AnnotationWire")]
pub struct Annotation {
    /// UUID v4.
    pub id: String,
    /// The tag.
    pub label: Label,
    /// First code point.
    pub start: usize,
    /// End (exclusive), code points.
    pub end: usize,
    /// The text at `start..end`.
    pub quote: String,
    /// Up to 32 code points before `start`.
    #[serde(default)]
    pub prefix: String,
    /// Up to 32 code points after `end`.
    #[serde(default)]
    pub suffix: String,
    /// Free text note.
    #[serde(default)]
    pub note: String,
    /// RFC 3339 UTC.
    #[serde(default)]
    pub created_at: String,
    /// RFC 3339 UTC.
    #[serde(default)]
    pub updated_at: String,
    /// Fields (entity name, commitment deadline and status, claim
    /// checkability; FORMAT.md version 2).
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// The relations this annotation starts (a claim's source, a
    /// commitment's actors). Files list them per article, so they are not
    /// part of the annotation's own JSON (see [`crate::relation`]).
    #[serde(skip)]
    pub links: Vec<Link>,
    /// Fields this version does not know, kept on round trip.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An annotation as read: [`Annotation`] with `quote` optional and a
/// missing `updated_at` read as `created_at` (the saved state leaves it out
/// when they are equal; files this program exports always write both).
#[derive(Deserialize)]
struct AnnotationWire {
    id: String,
    label: Label,
    start: usize,
    end: usize,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    attributes: Attributes,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl From<AnnotationWire> for Annotation {
    fn from(w: AnnotationWire) -> Annotation {
        Annotation {
            updated_at: w.updated_at.unwrap_or_else(|| w.created_at.clone()),
            id: w.id,
            label: w.label,
            start: w.start,
            end: w.end,
            quote: w.quote,
            prefix: w.prefix,
            suffix: w.suffix,
            note: w.note,
            created_at: w.created_at,
            attributes: w.attributes,
            links: Vec::new(),
            extra: w.extra,
        }
    }
}

/// The saved state's JSON of an annotation (FORMAT.md: saved state may
/// leave out what it can derive): `note` left out when empty, `updated_at`
/// when it equals `created_at`, and with `text_kept` (the entry carries its
/// article's text) `quote`, `prefix` and `suffix`, which loading takes from
/// that text. Built-in articles keep their quote and context, so an
/// annotation can still be re-anchored if a later version changes the text.
pub fn saved_json(a: &Annotation, text_kept: bool) -> String {
    fn empty(s: &&str) -> bool {
        s.is_empty()
    }
    #[derive(Serialize)]
    struct Saved<'a> {
        id: &'a str,
        label: Label,
        start: usize,
        end: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        quote: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        prefix: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        suffix: Option<&'a str>,
        #[serde(skip_serializing_if = "empty")]
        note: &'a str,
        created_at: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        updated_at: Option<&'a str>,
        #[serde(skip_serializing_if = "Attributes::is_empty")]
        attributes: &'a Attributes,
        #[serde(flatten)]
        extra: &'a Map<String, Value>,
    }
    fn kept(s: &str, text_kept: bool) -> Option<&str> {
        (!text_kept).then_some(s)
    }
    let saved = Saved {
        id: &a.id,
        label: a.label,
        start: a.start,
        end: a.end,
        quote: kept(&a.quote, text_kept),
        prefix: kept(&a.prefix, text_kept),
        suffix: kept(&a.suffix, text_kept),
        note: &a.note,
        created_at: &a.created_at,
        updated_at: (a.updated_at != a.created_at).then_some(a.updated_at.as_str()),
        attributes: &a.attributes,
        extra: &a.extra,
    };
    serde_json::to_string(&saved).unwrap_or_default()
}

impl Annotation {
    /// The span (start, end) of this annotation.
    pub fn span(&self) -> Option<Span> {
        Span::new(self.start, self.end, usize::MAX).ok()
    }

    /// Length in code points.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when start >= end (never for a valid annotation).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A new annotation `id` tagging `span` of `text` (an article or a
    /// plain text) with `label`: quote and context from the text, no note,
    /// created and updated `now`.
    pub fn at<T: Quotable + ?Sized>(
        text: &T,
        span: Span,
        label: Label,
        id: AnnotationId,
        now: &Timestamp,
    ) -> Annotation {
        let (quote, prefix, suffix) = text.context(span);
        Annotation {
            id: id.0,
            label,
            start: span.start(),
            end: span.end(),
            quote,
            prefix,
            suffix,
            note: String::new(),
            created_at: now.to_string(),
            updated_at: now.to_string(),
            attributes: Attributes::default(),
            links: Vec::new(),
            extra: Map::new(),
        }
    }

    /// The name of what an entity mention refers to: its `name` field, else
    /// its quote.
    pub fn name(&self) -> &str {
        self.attributes.name.as_deref().unwrap_or(&self.quote)
    }

    /// Moves this annotation to `span` of `text`: start, end, quote and
    /// context follow; everything else (id, label, note, times, unknown
    /// fields) stays.
    pub fn move_to<T: Quotable + ?Sized>(&mut self, text: &T, span: Span) {
        let (quote, prefix, suffix) = text.context(span);
        self.start = span.start();
        self.end = span.end();
        self.quote = quote;
        self.prefix = prefix;
        self.suffix = suffix;
    }
}

/// A text an annotation can quote: gives the text at a span and around it,
/// `(quote, prefix, suffix)` with [`CONTEXT`] code points of context each
/// side. Every annotation made or moved at a span takes its quote and
/// context from here ([`Annotation::at`], [`Annotation::move_to`]).
pub trait Quotable {
    /// `(quote, prefix, suffix)` at `span` (code points).
    fn context(&self, span: Span) -> (String, String, String);
}

/// An article's text, in O(1) per call (its code-point index).
impl Quotable for crate::article::Article {
    fn context(&self, span: Span) -> (String, String, String) {
        let (s, e) = (span.start(), span.end());
        (
            self.slice(s, e).to_string(),
            self.slice(s.saturating_sub(CONTEXT), s).to_string(),
            self.slice(e, e + CONTEXT).to_string(),
        )
    }
}

/// A plain text, in one pass up to the end of the suffix.
impl Quotable for str {
    fn context(&self, span: Span) -> (String, String, String) {
        let text = self;
        let (s, e) = (span.start(), span.end());
        let points = [s.saturating_sub(CONTEXT), s, e, e + CONTEXT];
        let mut bytes = [text.len(); 4];
        let mut next = 0;
        for (cp, (b, _)) in text.char_indices().enumerate() {
            while next < 4 && points[next] == cp {
                bytes[next] = b;
                next += 1;
            }
            if next == 4 {
                break;
            }
        }
        let piece = |i: usize| {
            text.get(bytes[i]..bytes[i + 1])
                .unwrap_or_default()
                .to_string()
        };
        (piece(1), piece(0), piece(2))
    }
}

/// What [`AnnotationSet::add`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new annotation with this id.
    New(String),
    /// An annotation with the same label and span was already there (its id).
    Existing(String),
}

impl Added {
    /// The id of the annotation that now holds the span.
    pub fn id(&self) -> &str {
        match self {
            Added::New(id) | Added::Existing(id) => id,
        }
    }
}

/// The annotations of one article, in text order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnnotationSet {
    items: Vec<Annotation>,
    /// The longest annotation's length: bounds the search in `overlapping`.
    max_len: usize,
}

impl AnnotationSet {
    /// An empty set.
    pub fn new() -> AnnotationSet {
        AnnotationSet::default()
    }

    /// Builds a set from already checked annotations (see the native format's
    /// reader), merging duplicates (same label and span: the later
    /// `updated_at` wins) and sorting.
    pub fn from_checked(items: Vec<Annotation>) -> AnnotationSet {
        use rustc_hash::FxHashMap;
        // Which input wins for each id and each (label, span): indices into
        // `items` (borrowed keys, no copies: files of long articles hold
        // thousands of annotations).
        let mut winner: Vec<bool> = vec![true; items.len()];
        {
            let n = items.len();
            let mut by_id: FxHashMap<&str, usize> =
                FxHashMap::with_capacity_and_hasher(n, Default::default());
            let mut by_span: FxHashMap<(Label, usize, usize), usize> =
                FxHashMap::with_capacity_and_hasher(n, Default::default());
            for (i, a) in items.iter().enumerate() {
                let same = by_id
                    .get(a.id.as_str())
                    .or_else(|| by_span.get(&(a.label, a.start, a.end)))
                    .copied();
                match same {
                    Some(k) if !crate::time::later(&items[k].updated_at, &a.updated_at) => {
                        winner[k] = false;
                        by_id.remove(items[k].id.as_str());
                        by_span.remove(&(items[k].label, items[k].start, items[k].end));
                        by_id.insert(&a.id, i);
                        by_span.insert((a.label, a.start, a.end), i);
                    }
                    Some(_) => winner[i] = false,
                    None => {
                        by_id.insert(&a.id, i);
                        by_span.insert((a.label, a.start, a.end), i);
                    }
                }
            }
        }
        let kept: Vec<Annotation> = items
            .into_iter()
            .zip(winner)
            .filter_map(|(a, keep)| keep.then_some(a))
            .collect();
        let mut set = AnnotationSet {
            items: kept,
            max_len: 0,
        };
        set.sort();
        set
    }

    /// All annotations in text order.
    pub fn items(&self) -> &[Annotation] {
        &self.items
    }

    /// Number of annotations.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The annotation with this id.
    pub fn get(&self, id: &str) -> Option<&Annotation> {
        self.items.iter().find(|a| a.id == id)
    }

    /// The annotation other than `except` with this label and span, if any.
    pub fn same_span(
        &self,
        label: Label,
        start: usize,
        end: usize,
        except: &str,
    ) -> Option<&Annotation> {
        let same = |a: &&Annotation| {
            a.id != except && a.label == label && a.start == start && a.end == end
        };
        if start < end {
            // A binary search and a bounded scan, not a pass over the set.
            self.overlapping(start, end).find(same)
        } else {
            self.items.iter().find(same)
        }
    }

    /// Inserts an already checked annotation, replacing one with the same id.
    pub fn insert(&mut self, a: Annotation) {
        self.remove(&a.id);
        let at = self
            .items
            .partition_point(|b| order(b, &a) == std::cmp::Ordering::Less);
        self.max_len = self.max_len.max(a.len());
        self.items.insert(at, a);
    }

    /// Per-label counts, in [`Label::ALL`] order.
    pub fn counts(&self) -> [usize; 3] {
        let mut out = [0; 3];
        for a in &self.items {
            if let Some(i) = Label::ALL.iter().position(|l| *l == a.label) {
                out[i] += 1;
            }
        }
        out
    }

    /// Tags `span` of `text` with `label`. If the same label and span are
    /// already there, nothing changes and that annotation's id is returned.
    pub fn add(
        &mut self,
        text: &str,
        label: Label,
        span: Span,
        id: AnnotationId,
        now: &Timestamp,
    ) -> Added {
        if let Some(a) = self
            .items
            .iter()
            .find(|a| a.label == label && a.start == span.start() && a.end == span.end())
        {
            return Added::Existing(a.id.clone());
        }
        self.items
            .push(Annotation::at(text, span, label, id.clone(), now));
        self.sort();
        Added::New(id.0)
    }

    /// Removes the annotation with this id; returns it.
    pub fn remove(&mut self, id: &str) -> Option<Annotation> {
        let i = self.items.iter().position(|a| a.id == id)?;
        let removed = self.items.remove(i);
        if removed.len() >= self.max_len {
            self.max_len = self.items.iter().map(Annotation::len).max().unwrap_or(0);
        }
        Some(removed)
    }

    /// Annotations covering code point `pos`, innermost (shortest) first.
    pub fn at(&self, pos: usize) -> Vec<&Annotation> {
        let mut found: Vec<&Annotation> = self
            .items
            .iter()
            .filter(|a| a.start <= pos && pos < a.end)
            .collect();
        found.sort_by(|a, b| {
            a.len()
                .cmp(&b.len())
                .then(b.start.cmp(&a.start))
                .then(a.id.cmp(&b.id))
        });
        found
    }

    /// Annotations overlapping `[start, end)`, in text order.
    pub fn overlapping(&self, start: usize, end: usize) -> impl Iterator<Item = &Annotation> {
        self.overlapping_indexed(start, end).map(|(_, a)| a)
    }

    /// Annotations overlapping `[start, end)` with their index in
    /// [`items`](Self::items), in text order. A binary search bounds the
    /// scan: only annotations starting within the longest annotation's
    /// length before `start` can reach into the range, so the cost depends
    /// on what is near the range, not on the size of the set.
    pub fn overlapping_indexed(
        &self,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = (usize, &Annotation)> {
        let from = self
            .items
            .partition_point(|a| a.start.saturating_add(self.max_len) < start);
        let to = self.items.partition_point(|a| a.start < end);
        self.items[from..to.max(from)]
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.start < end && start < a.end)
            .map(move |(i, a)| (from + i, a))
    }

    /// Takes out the annotations whose ids are in `out` or among `put`'s,
    /// then puts `put` in: what [`remove`](Self::remove) and
    /// [`insert`](Self::insert) one by one do, in one pass and one sort
    /// (a change of thousands of annotations, as starting an adjudication
    /// on a long article makes, would otherwise take a scan per item).
    pub fn replace_many(&mut self, out: &rustc_hash::FxHashSet<&str>, put: Vec<Annotation>) {
        let put_ids: rustc_hash::FxHashSet<String> = put.iter().map(|a| a.id.clone()).collect();
        self.items
            .retain(|a| !out.contains(a.id.as_str()) && !put_ids.contains(&a.id));
        self.items.extend(put);
        self.sort();
    }

    fn sort(&mut self) {
        // Saved files are written in text order: checking is one pass,
        // sorting 5 000 annotations again cost ~5 ms at start-up in wasm.
        if !self.items.is_sorted_by(|a, b| order(a, b).is_le()) {
            self.items.sort_by(order);
        }
        self.max_len = self.items.iter().map(Annotation::len).max().unwrap_or(0);
    }
}

/// Text order: by start, longer first, then label and id (a total order).
fn order(a: &Annotation, b: &Annotation) -> std::cmp::Ordering {
    a.start
        .cmp(&b.start)
        .then(b.end.cmp(&a.end))
        .then(a.label.cmp(&b.label))
        .then(a.id.cmp(&b.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_matches_slicing_by_code_points() {
        use crate::offsets::slice_cp;
        let text = "“Quoted” 😀 東京 cafe\u{301} and a much longer tail of plain words here.";
        let len = text.chars().count();
        for a in 0..len {
            for b in (a + 1)..=len.min(a + 40) {
                let span = Span::new(a, b, len).expect("valid");
                let want = (
                    slice_cp(text, a, b).to_string(),
                    slice_cp(text, a.saturating_sub(CONTEXT), a).to_string(),
                    slice_cp(text, b, b + CONTEXT).to_string(),
                );
                assert_eq!(text.context(span), want, "{a}..{b}");
            }
        }
    }

    #[test]
    fn an_article_quotes_as_its_text_does() {
        let text = "Summary 😀.\nHeadline “東京”\n\nBody cafe\u{301} with a much longer tail of plain words here.";
        let article = crate::article::Article::parse("a", text).expect("article");
        let len = article.len();
        for a in 0..len {
            for b in (a + 1)..=len {
                let span = Span::new(a, b, len).expect("valid");
                assert_eq!(
                    article.context(span),
                    article.text().context(span),
                    "{a}..{b}"
                );
            }
        }
    }

    const TEXT: &str = "Ahn met “Koizumi” in Yokosuka 😀.";

    fn span(a: usize, b: usize) -> Span {
        Span::new(a, b, TEXT.chars().count()).expect("valid span")
    }

    #[test]
    fn add_fills_quote_and_context_and_dedups() {
        let mut set = AnnotationSet::new();
        let first = set.add(
            TEXT,
            Label::Entity,
            span(9, 16),
            AnnotationId::from("id1"),
            &Timestamp::from("t1"),
        );
        assert_eq!(first, Added::New("id1".into()));
        let a = set.get("id1").expect("added");
        assert_eq!(a.quote, "Koizumi");
        assert_eq!(a.prefix, "Ahn met “");
        assert_eq!(a.suffix, "” in Yokosuka 😀.");
        assert_eq!((a.created_at.as_str(), a.updated_at.as_str()), ("t1", "t1"));
        let again = set.add(
            TEXT,
            Label::Entity,
            span(9, 16),
            AnnotationId::from("id2"),
            &Timestamp::from("t2"),
        );
        assert_eq!(again, Added::Existing("id1".into()));
        let other_label = set.add(
            TEXT,
            Label::Claim,
            span(9, 16),
            AnnotationId::from("id3"),
            &Timestamp::from("t2"),
        );
        assert_eq!(other_label, Added::New("id3".into()));
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn prefix_and_suffix_stop_at_text_edges() {
        let long: String = "x".repeat(40) + "MID" + &"y".repeat(40);
        let len = long.chars().count();
        let mut set = AnnotationSet::new();
        set.add(
            &long,
            Label::Claim,
            Span::new(40, 43, len).expect("ok"),
            AnnotationId::from("m"),
            &Timestamp::from("t"),
        );
        set.add(
            &long,
            Label::Claim,
            Span::new(0, 2, len).expect("ok"),
            AnnotationId::from("s"),
            &Timestamp::from("t"),
        );
        set.add(
            &long,
            Label::Claim,
            Span::new(len - 1, len, len).expect("ok"),
            AnnotationId::from("e"),
            &Timestamp::from("t"),
        );
        let get = |id: &str| set.get(id).expect("present").clone();
        assert_eq!(get("m").prefix, "x".repeat(32));
        assert_eq!(get("m").suffix, "y".repeat(32));
        assert_eq!(get("s").prefix, "");
        assert_eq!(get("e").suffix, "");
        assert_eq!(get("e").prefix.chars().count(), 32);
    }

    #[test]
    fn at_lists_innermost_first_and_items_are_in_text_order() {
        let mut set = AnnotationSet::new();
        set.add(
            TEXT,
            Label::Claim,
            span(0, 29),
            AnnotationId::from("outer"),
            &Timestamp::from("t"),
        );
        set.add(
            TEXT,
            Label::Entity,
            span(9, 16),
            AnnotationId::from("inner"),
            &Timestamp::from("t"),
        );
        set.add(
            TEXT,
            Label::Commitment,
            span(4, 16),
            AnnotationId::from("mid"),
            &Timestamp::from("t"),
        );
        let ids: Vec<_> = set.at(10).iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["inner", "mid", "outer"]);
        let ids: Vec<_> = set.at(2).iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["outer"]);
        assert!(set.at(30).is_empty());
        let order: Vec<_> = set.items().iter().map(|a| a.id.as_str()).collect();
        assert_eq!(order, ["outer", "mid", "inner"]);
        assert_eq!(set.overlapping(16, 20).count(), 1);
        assert!(set.remove("mid").is_some());
        assert!(set.remove("mid").is_none());
    }
}
