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

use serde::{Deserialize, Serialize};

use crate::annotation::AnnotationSet;
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
    /// Why, in a few words: "repeats “Japan”", "cue “agreed to”".
    pub why: String,
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
/// overlap, the most confident (a repeat before a cue before the model
/// when equal). Actors proposed by a dropped duplicate are kept.
pub fn combine(
    article: &str,
    set: &AnnotationSet,
    lists: Vec<Vec<Suggestion>>,
    rejected: &Rejected,
    filter: Filter,
) -> Vec<Suggestion> {
    let mut all: Vec<Suggestion> = lists
        .into_iter()
        .flatten()
        .filter(|s| s.confidence >= filter.threshold && s.end > s.start)
        .filter(|s| !rejected.contains(article, s))
        .filter(|s| !set.overlapping(s.start, s.end).any(|a| a.label == s.label))
        .collect();
    all.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.source.cmp(&b.source))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Suggestion> = Vec::with_capacity(all.len());
    // Kept spans per label, sorted by start, to test overlaps in log time.
    let mut spans: [Vec<(usize, usize, usize)>; 3] = Default::default();
    for s in all {
        let li = Label::ALL.iter().position(|l| *l == s.label).unwrap_or(0);
        let lane = &mut spans[li];
        let at = lane.partition_point(|&(st, _, _)| st < s.end);
        // Kept spans starting before s.end: the one ending last among the
        // nearest few decides (kept spans of one label never overlap).
        let hit = at
            .checked_sub(1)
            .and_then(|i| lane.get(i))
            .filter(|&&(_, e, _)| e > s.start)
            .map(|&(_, _, k)| k);
        match hit {
            Some(k) => {
                if let Some(winner) = kept.get_mut(k) {
                    if winner.start == s.start && winner.end == s.end {
                        for a in s.actors {
                            if !winner.actors.contains(&a) {
                                winner.actors.push(a);
                            }
                        }
                        if winner.name.is_none() {
                            winner.name = s.name;
                        }
                    }
                }
            }
            None => {
                lane.insert(at, (s.start, s.end, kept.len()));
                kept.push(s);
            }
        }
    }
    kept.sort_by_key(|s| (s.start, s.end, s.label));
    kept
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
    tokens: &[tokens::Token],
    set: &AnnotationSet,
    phrases: &repeats::Phrases,
    model: &[Suggestion],
) -> Vec<Vec<Suggestion>> {
    let repeats = phrases.find(text, tokens);
    let entities = entity_spans(set, &repeats.iter().chain(model).collect::<Vec<_>>());
    let cues = cues::find(text, tokens, &entities);
    vec![repeats, cues, model.to_vec()]
}
