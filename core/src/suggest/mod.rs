//! Suggestions: spans the app proposes to tag, computed in the page from
//! the article and the user's own annotations, with no server.
//!
//! Three sources, each a pure function of the text and the annotations:
//! - [`repeats`]: the same text as an annotation, elsewhere;
//! - [`cues`]: reporting and commitment phrases, from a table of rules;
//! - [`model`]: a tagger trained on the user's annotations, in steps the
//!   page runs in idle slices.
//!
//! [`combine`] merges them into what the page shows. A suggestion is not
//! an annotation: it is never saved, exported or counted as one; accepting
//! it makes an annotation by an ordinary, undoable edit
//! ([`crate::session::Session::accept_suggestions`]). Rejections are kept per
//! article ([`Rejected`]) and never offered again.

pub mod cues;
pub mod gold;
pub mod measure;
pub mod model;
pub mod repeats;
pub mod score;
pub mod tokens;

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashSet;

use serde::{Deserialize, Serialize};

use crate::annotation::AnnotationSet;
use crate::article::Article;
use crate::label::Label;

/// Where a suggestion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// The same text as an annotation elsewhere.
    Repeat,
    /// A reporting or commitment phrase.
    Cue,
    /// The tagger trained on the user's annotations.
    Model,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 3] = [Source::Repeat, Source::Cue, Source::Model];

    /// How people read it.
    pub fn title(self) -> &'static str {
        match self {
            Source::Repeat => "repeat",
            Source::Cue => "cue",
            Source::Model => "model",
        }
    }
}

/// A span proposed for tagging.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// First code point.
    pub start: usize,
    /// End (exclusive), code points.
    pub end: usize,
    /// The label proposed.
    pub label: Label,
    /// For an entity: the `name` to give it (a repeat of a named entity).
    pub name: Option<String>,
    /// Where it comes from.
    pub source: Source,
    /// How sure the source is, 0 to 1.
    pub confidence: f32,
    /// Why, in a few words: "same text as “Japan”", "after “agreed to”"
    /// (shared: thousands of repeats of one phrase hold one string).
    pub why: std::sync::Arc<str>,
    /// Other sources that suggested the same label and span.
    pub also: Vec<Source>,
    /// For a claim or commitment: the spans of the entities proposed as its
    /// source or actors (annotations or entity suggestions).
    pub actors: Vec<(usize, usize)>,
}

impl Suggestion {
    /// The key a rejection is remembered by: `label:start:end`.
    pub fn key(&self) -> String {
        key(self.label, self.start, self.end)
    }

    /// Whether it overlaps `start..end`.
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

/// The rejection key of a label and span.
pub fn key(label: Label, start: usize, end: usize) -> String {
    format!("{}:{start}:{end}", label.as_str())
}

/// Suggestions the user rejected, per article id: never offered again.
/// Saved by the app under its own storage key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected(pub BTreeMap<String, BTreeSet<String>>);

impl Rejected {
    /// Reads saved rejections; anything unreadable gives none (they are
    /// only a convenience: at worst a suggestion comes back).
    pub fn parse(raw: &str) -> Result<Rejected, serde_json::Error> {
        serde_json::from_str(raw)
    }

    /// The saved form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Remembers that `s` was rejected in `article`.
    pub fn reject(&mut self, article: &str, s: &Suggestion) {
        self.0
            .entry(article.to_string())
            .or_default()
            .insert(s.key());
    }

    /// Whether `s` was rejected in `article`.
    pub fn contains(&self, article: &str, s: &Suggestion) -> bool {
        self.0
            .get(article)
            .is_some_and(|keys| keys.contains(&s.key()))
    }

    /// The label and span of every suggestion rejected in `article`
    /// (keys that do not read as one are left out).
    pub fn spans(&self, article: &str) -> FxHashSet<(Label, usize, usize)> {
        let Some(keys) = self.0.get(article) else {
            return FxHashSet::default();
        };
        keys.iter()
            .filter_map(|k| {
                let mut parts = k.split(':');
                let label = Label::parse(parts.next()?)?;
                let start = parts.next()?.parse().ok()?;
                let end = parts.next()?.parse().ok()?;
                Some((label, start, end))
            })
            .collect()
    }

    /// Takes back the rejection of `label` at `start..end` in `article`.
    pub fn restore(&mut self, article: &str, label: Label, start: usize, end: usize) {
        if let Some(keys) = self.0.get_mut(article) {
            keys.remove(&key(label, start, end));
            if keys.is_empty() {
                self.0.remove(article);
            }
        }
    }

    /// Takes back every rejection in `article`.
    pub fn restore_all(&mut self, article: &str) {
        self.0.remove(article);
    }

    /// How many were rejected in `article`.
    pub fn count(&self, article: &str) -> usize {
        self.0.get(article).map_or(0, BTreeSet::len)
    }
}

/// What to show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Filter {
    /// Suggestions under this confidence are hidden.
    pub threshold: f32,
}

impl Default for Filter {
    fn default() -> Filter {
        Filter { threshold: 0.5 }
    }
}

/// Merges the sources' suggestions for one article into what the page
/// shows, in text order: none under the threshold, none the user rejected,
/// none overlapping an annotation of its label (it is tagged already, or
/// the user chose other bounds), and of suggestions of one label that
/// overlap, the most confident. Where several sources suggest the same
/// label and span, it is shown as the most explainable one's (a repeat,
/// then a cue, then the model) with the highest confidence, the others
/// in `also`, and the actors of all. Log-linear in the number of
/// suggestions (tens of thousands on a long article).
pub fn combine(
    article: &str,
    set: &AnnotationSet,
    lists: Vec<Vec<Suggestion>>,
    rejected: &Rejected,
    filter: Filter,
) -> Vec<Suggestion> {
    let refused = rejected.spans(article);
    combine_with(lists, &refused, filter, |label, start, end| {
        set.overlapping(start, end).any(|a| a.label == label)
    })
}

/// [`combine`] with the rejections as spans and `tagged(label, start,
/// end)` telling whether an annotation of that label overlaps a span.
fn combine_with(
    lists: Vec<Vec<Suggestion>>,
    refused: &FxHashSet<(Label, usize, usize)>,
    filter: Filter,
    tagged: impl Fn(Label, usize, usize) -> bool,
) -> Vec<Suggestion> {
    let mut all: Vec<Suggestion> = lists
        .into_iter()
        .flatten()
        .filter(|s| s.confidence >= filter.threshold && s.end > s.start)
        .filter(|s| !refused.contains(&(s.label, s.start, s.end)))
        .filter(|s| !tagged(s.label, s.start, s.end))
        .collect();
    all.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.source.cmp(&b.source))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Suggestion> = Vec::with_capacity(all.len());
    // Kept spans per label: start → (end, index in `kept`). Kept spans of
    // one label never overlap, so the one starting last before a span's
    // end is the only one that can overlap it.
    let mut spans: [BTreeMap<usize, (usize, usize)>; 3] = Default::default();
    for s in all {
        let li = Label::ALL.iter().position(|l| *l == s.label).unwrap_or(0);
        let lane = &mut spans[li];
        let hit = lane
            .range(..s.end)
            .next_back()
            .filter(|(_, &(end, _))| end > s.start)
            .map(|(&start, &(end, k))| (start, end, k));
        match hit {
            Some((start, end, k)) => {
                let Some(winner) = kept.get_mut(k) else {
                    continue;
                };
                if start != s.start || end != s.end {
                    continue;
                }
                // A claim keeps its one source; a commitment gathers actors.
                if winner.label != Label::Claim {
                    for a in s.actors {
                        if !winner.actors.contains(&a) {
                            winner.actors.push(a);
                        }
                    }
                }
                if winner.name.is_none() {
                    winner.name = s.name;
                }
                if s.source < winner.source {
                    winner.also.push(winner.source);
                    winner.source = s.source;
                    winner.why = s.why;
                } else if s.source != winner.source && !winner.also.contains(&s.source) {
                    winner.also.push(s.source);
                }
            }
            None => {
                lane.insert(s.start, (s.end, kept.len()));
                kept.push(s);
            }
        }
    }
    kept.sort_by_key(|s| (s.start, s.end, s.label));
    kept
}

/// An article's text as the suggesters read it: its tokens and their
/// numbers. Made once per article (the text never changes).
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// The tokens.
    pub tokens: Vec<tokens::Token>,
    /// Their numbers, for repeats.
    pub index: repeats::Index,
}

impl Words {
    /// Reads `text`.
    pub fn of(text: &str) -> Words {
        let tokens = tokens::tokenize(text);
        let index = repeats::Index::new(text, &tokens);
        Words { tokens, index }
    }
}

/// The entity spans cues may name as speakers and actors: the entities
/// tagged, then the entity suggestions that overlap none of them, sorted.
pub fn entity_spans(set: &AnnotationSet, suggested: &[&Suggestion]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = set
        .items()
        .iter()
        .filter(|a| a.label == Label::Entity)
        .map(|a| (a.start, a.end))
        .collect();
    for s in suggested {
        if s.label == Label::Entity
            && !set
                .overlapping(s.start, s.end)
                .any(|a| a.label == Label::Entity)
        {
            out.push((s.start, s.end));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Everything one article's sources suggest, before [`combine`]: repeats
/// of `phrases`, the `model`'s suggestions (computed in steps elsewhere)
/// and the cues, which take the tagged and suggested entities as speakers
/// and actors.
pub fn sources(
    text: &str,
    words: &Words,
    set: &AnnotationSet,
    phrases: &repeats::Phrases,
    model: &[Suggestion],
) -> Vec<Vec<Suggestion>> {
    let tokens = &words.tokens;
    let repeats = phrases.find(text, tokens, &words.index);
    let entities = entity_spans(set, &repeats.iter().chain(model).collect::<Vec<_>>());
    let cues = cues::find(text, tokens, &entities);
    vec![repeats, cues, model.to_vec()]
}

/// Spans sorted by start, with the longest length, to test overlaps in
/// log time.
#[derive(Debug, Clone, Default)]
struct Spans {
    spans: Vec<(usize, usize)>,
    longest: usize,
}

impl Spans {
    fn new(mut spans: Vec<(usize, usize)>) -> Spans {
        spans.sort_unstable();
        let longest = spans.iter().map(|s| s.1 - s.0).max().unwrap_or(0);
        Spans { spans, longest }
    }

    /// Whether any span overlaps `start..end`.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let to = self.spans.partition_point(|s| s.0 < end);
        let from = self.spans.partition_point(|s| s.0 + self.longest <= start);
        self.spans
            .get(from..to)
            .is_some_and(|v| v.iter().any(|s| s.1 > start))
    }

    /// The spans starting in `start..end`.
    fn starting_in(&self, start: usize, end: usize) -> &[(usize, usize)] {
        let a = self.spans.partition_point(|s| s.0 < start);
        let b = self.spans.partition_point(|s| s.0 < end);
        self.spans.get(a..b).unwrap_or(&[])
    }
}

/// One article's suggestions computed in steps, so a long article never
/// holds the page: the text is taken a stretch of whole lines at a time
/// (no repeat and no sentence crosses a line break, so each stretch's
/// repeats, cues and merge are independent of the others'), each stretch
/// costing about `budget` tokens. The result is what [`sources`] then
/// [`combine`] give for the whole article.
#[derive(Debug, Clone)]
pub struct Refresh {
    text: Article,
    words: std::sync::Arc<Words>,
    matcher: repeats::Matcher,
    /// The annotations' spans per label.
    tagged: [Spans; 3],
    /// The model's suggestions, in text order.
    model: std::sync::Arc<Vec<Suggestion>>,
    refused: FxHashSet<(Label, usize, usize)>,
    filter: Filter,
    /// The next token to read.
    pos: usize,
    out: Vec<Suggestion>,
}

impl Refresh {
    /// Starts computing `article`'s suggestions (its `words`, annotation
    /// `set`, the `phrases` to repeat, the `model`'s suggestions in text
    /// order, the rejections and the threshold).
    pub fn new(
        article: &Article,
        words: std::sync::Arc<Words>,
        set: &AnnotationSet,
        phrases: repeats::Phrases,
        model: std::sync::Arc<Vec<Suggestion>>,
        rejected: &Rejected,
        filter: Filter,
    ) -> Refresh {
        let mut per_label: [Vec<(usize, usize)>; 3] = Default::default();
        for a in set.items() {
            if let Some(i) = Label::ALL.iter().position(|l| *l == a.label) {
                per_label[i].push((a.start, a.end));
            }
        }
        let [e, c, m] = per_label;
        Refresh {
            matcher: phrases.matcher(&words.index),
            text: article.clone(),
            words,
            tagged: [Spans::new(e), Spans::new(c), Spans::new(m)],
            model,
            refused: rejected.spans(article.id()),
            filter,
            pos: 0,
            out: Vec::new(),
        }
    }

    /// Makes room for about `n` suggestions (the article's count the last
    /// time), so the list is not grown by doubling: on a long article that
    /// held it about three times over for a moment, and wasm memory keeps
    /// its highest mark.
    pub fn expecting(mut self, n: usize) -> Refresh {
        self.out.reserve_exact(n.saturating_add(n / 8));
        self
    }

    /// Does the next stretch of about `budget` tokens (whole lines); true
    /// when the whole article is done.
    pub fn step(&mut self, budget: usize) -> bool {
        let tokens = &self.words.tokens;
        let from = self.pos;
        if from >= tokens.len() {
            return true;
        }
        // Up to the first line start at or after `from + budget`.
        let mut to = from.saturating_add(budget.max(1)).min(tokens.len());
        // On to the next line start; a text with no line break for four
        // budgets is cut after a sentence's end instead (a step stays
        // bounded; a repeat or cue across that cut is not found).
        let limit = from
            .saturating_add(budget.max(1).saturating_mul(4))
            .min(tokens.len());
        while to < tokens.len() && !tokens[to].line_before {
            if to >= limit {
                let text = self.text.text();
                let sentence_end = |t: &tokens::Token| {
                    t.kind == tokens::Kind::Punct && matches!(t.text(text), "." | "!" | "?")
                };
                // After a full stop and before a capitalised word: a new
                // sentence ("U.S. allies" and "ever.”" are not cut).
                if tokens.get(to - 1).is_some_and(sentence_end)
                    && tokens.get(to).is_some_and(|t| t.is_capitalised(text))
                {
                    break;
                }
            }
            to += 1;
        }
        self.pos = to;
        let (Some(window), Some(ids)) =
            (tokens.get(from..to), self.words.index.ids().get(from..to))
        else {
            return true;
        };
        let (Some(first), Some(last)) = (window.first(), window.last()) else {
            return self.pos >= tokens.len();
        };
        let (start, end) = (first.start, last.end);
        let text = self.text.text();
        let repeats = self.matcher.find(text, window, ids);
        let model: Vec<Suggestion> = {
            let m = &self.model;
            let a = m.partition_point(|s| s.start < start);
            let b = m.partition_point(|s| s.start < end);
            m.get(a..b).map(<[Suggestion]>::to_vec).unwrap_or_default()
        };
        let tagged = &self.tagged;
        let mut entities: Vec<(usize, usize)> = tagged[0].starting_in(start, end).to_vec();
        for s in repeats.iter().chain(&model) {
            if s.label == Label::Entity && !tagged[0].overlaps(s.start, s.end) {
                entities.push((s.start, s.end));
            }
        }
        entities.sort_unstable();
        entities.dedup();
        let cues = cues::find(text, window, &entities);
        let shown = combine_with(
            vec![repeats, cues, model],
            &self.refused,
            self.filter,
            |l, s, e| {
                let i = Label::ALL.iter().position(|x| *x == l).unwrap_or(0);
                tagged[i].overlaps(s, e)
            },
        );
        self.out.extend(shown);
        self.pos >= tokens.len()
    }

    /// How far it has got, 0 to 1.
    pub fn progress(&self) -> f32 {
        let n = self.words.tokens.len();
        if n == 0 {
            1.0
        } else {
            self.pos as f32 / n as f32
        }
    }

    /// The suggestions, in text order (any work left is done first). The
    /// list is trimmed to its length: it is kept while the article is open,
    /// and growing by doubling leaves up to half of it unused.
    pub fn finish(mut self) -> Vec<Suggestion> {
        while !self.step(usize::MAX) {}
        self.out.shrink_to_fit();
        self.out
    }
}

/// Reading order (what J follows): the blocks as displayed (the headline
/// before the summary, which comes first in the text;
/// `cursor::display_order`), then text order. Keys compare in that order;
/// finding the next one is a pass over the list, no sort.
#[derive(Debug, Clone)]
pub struct ReadingOrder {
    article: Article,
    /// Each block's place in display order.
    rank: Vec<usize>,
}

/// A suggestion's place in reading order (see [`ReadingOrder::key`]).
pub type ReadingKey = (usize, usize, usize, Label);

impl ReadingOrder {
    /// The order of `article`'s suggestions.
    pub fn new(article: &Article) -> ReadingOrder {
        let mut rank = vec![usize::MAX; article.blocks().len()];
        for (r, &b) in crate::cursor::display_order(article).iter().enumerate() {
            if let Some(x) = rank.get_mut(b) {
                *x = r;
            }
        }
        ReadingOrder {
            article: article.clone(),
            rank,
        }
    }

    /// Where `s` comes.
    pub fn key(&self, s: &Suggestion) -> ReadingKey {
        let block = self.article.blocks_touching(s.start, s.start + 1).start;
        let r = self.rank.get(block).copied().unwrap_or(usize::MAX);
        (r, s.start, s.end, s.label)
    }

    /// The index in `shown` of the suggestion after (`forward`) or before
    /// the one at key `from`, wrapping round; from none, the first (or
    /// last). With its place, 1-based, and how many there are. `None` when
    /// `shown` is empty.
    pub fn step(
        &self,
        shown: &[Suggestion],
        from: Option<ReadingKey>,
        forward: bool,
    ) -> Option<(usize, usize, usize)> {
        let keys = shown.iter().map(|s| self.key(s));
        let best = match (from, forward) {
            (Some(k), true) => keys
                .clone()
                .enumerate()
                .filter(|(_, x)| *x > k)
                .min_by_key(|(_, x)| *x)
                .or_else(|| keys.clone().enumerate().min_by_key(|(_, x)| *x)),
            (Some(k), false) => keys
                .clone()
                .enumerate()
                .filter(|(_, x)| *x < k)
                .max_by_key(|(_, x)| *x)
                .or_else(|| keys.clone().enumerate().max_by_key(|(_, x)| *x)),
            (None, true) => keys.clone().enumerate().min_by_key(|(_, x)| *x),
            (None, false) => keys.clone().enumerate().max_by_key(|(_, x)| *x),
        };
        let (i, key) = best?;
        let place = keys.filter(|x| *x <= key).count();
        Some((i, place, shown.len()))
    }
}

/// What a click at code point `cp` does with the suggestions: the index in
/// `shown` of the one to make current (the first there), or `None` when
/// there is none there or the current one (key `current`) is there — a
/// second click falls through to the annotations under it.
pub fn pick_at(shown: &[Suggestion], cp: usize, current: Option<&str>) -> Option<usize> {
    let mut here = shown
        .iter()
        .enumerate()
        .filter(|(_, s)| s.start <= cp && cp <= s.end);
    let first = here.clone().next().map(|(i, _)| i)?;
    if let Some(k) = current {
        if here.any(|(_, s)| s.key() == k) {
            return None;
        }
    }
    Some(first)
}

/// The rejections Ctrl+Z can take back, last on top: each with its
/// article and the undo history's version when it was made
/// (`edit::History::version`). Undo takes back the last one only while the
/// version is still that: once an edit, undo or redo happened after it,
/// Ctrl+Z is the edit's.
#[derive(Debug, Clone, Default)]
pub struct RejectionUndo(Vec<(String, Suggestion, u64)>);

impl RejectionUndo {
    /// Remembers that `s` was rejected in `article` at history `version`.
    pub fn push(&mut self, article: &str, s: &Suggestion, version: u64) {
        self.0.push((article.to_string(), s.clone(), version));
    }

    /// The last rejection, taken off, if it was made at `version` (nothing
    /// happened in the history since).
    pub fn take(&mut self, version: u64) -> Option<(String, Suggestion)> {
        if self.0.last().map(|l| l.2) != Some(version) {
            return None;
        }
        self.0.pop().map(|(a, s, _)| (a, s))
    }

    /// Forgets the rejections of `article` (they were all taken back).
    pub fn forget(&mut self, article: &str) {
        self.0.retain(|(a, _, _)| a != article);
    }
}
