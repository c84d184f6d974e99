//! How good each source is against a reference annotation (README's
//! figures; `cargo run -p annotator-core --example suggestion_scores`):
//! - cues alone on the untouched article (claims and commitments);
//! - repeats after the first mention of each entity is tagged (scored on
//!   the other entity mentions);
//! - the model trained on the reference spans in the first half of the
//!   text, scored on those in the second half.

use std::sync::Arc;

use super::gold::Gold;
use super::model::{Tagging, TrainDoc, Training};
use super::repeats::Phrases;
use super::score::Scores;
use super::{combine, sources, Filter, Rejected, Source, Suggestion, Words};
use crate::annotation::{Annotation, AnnotationSet};
use crate::article::Article;
use crate::ids::{AnnotationId, Timestamp};
use crate::label::Label;
use crate::span::Span;

/// The scores of each source.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    /// Cues on the untouched article.
    pub cues: Scores,
    /// Repeats after each entity's first mention is tagged.
    pub repeats: Scores,
    /// The model, trained on the first half and scored on the second.
    pub model: Scores,
    /// How many reference spans seeded the repeats.
    pub seeded: usize,
}

fn triples(list: &[Suggestion], source: Source) -> Vec<(usize, usize, Label)> {
    list.iter()
        .filter(|s| s.source == source)
        .map(|s| (s.start, s.end, s.label))
        .collect()
}

fn shown(
    article: &Article,
    set: &AnnotationSet,
    phrases: &Phrases,
    model: &[Suggestion],
) -> Vec<Suggestion> {
    let text = article.text();
    let toks = Words::of(text);
    combine(
        article.id(),
        set,
        sources(text, &toks, set, phrases, model),
        &Rejected::default(),
        Filter::default(),
    )
}

/// Scores every source on `article` against `gold`.
pub fn measure(article: &Article, gold: &Gold) -> Measured {
    let reference = gold.triples();
    let now = Timestamp("2026-01-01T00:00:00Z".into());
    let len = article.len();

    // Cues alone: no annotations, no model.
    let none = AnnotationSet::new();
    let cue_ref: Vec<_> = reference
        .iter()
        .copied()
        .filter(|r| r.2 != Label::Entity)
        .collect();
    let cues = Scores::of(
        &triples(
            &shown(article, &none, &Phrases::default(), &[]),
            Source::Cue,
        ),
        &cue_ref,
    );

    // Repeats: the first mention of each entity (by its words) tagged.
    let mut seeds = AnnotationSet::new();
    let mut seen = std::collections::HashSet::new();
    let mut entities: Vec<_> = gold
        .spans
        .iter()
        .filter(|s| s.label == Label::Entity)
        .collect();
    entities.sort_by_key(|s| s.start);
    for (i, s) in entities.iter().enumerate() {
        let words = s.quote.to_lowercase();
        if seen.insert(words) {
            if let Ok(span) = Span::new(s.start, s.end, len) {
                seeds.insert(Annotation::at(
                    article,
                    span,
                    Label::Entity,
                    AnnotationId(format!("seed{i}")),
                    &now,
                ));
            }
        }
    }
    let seeded = seeds.len();
    let rest: Vec<_> = reference
        .iter()
        .copied()
        .filter(|r| r.2 == Label::Entity && seeds.same_span(r.2, r.0, r.1, "").is_none())
        .collect();
    let phrases = Phrases::of([&seeds]);
    let repeats = Scores::of(
        &triples(&shown(article, &seeds, &phrases, &[]), Source::Repeat),
        &rest,
    );

    // The model: trained on the first half, scored on the second.
    let half = len / 2;
    let text: Arc<str> = Arc::from(article.text());
    let mut training = Training::new(vec![TrainDoc {
        text: text.clone(),
        spans: reference.iter().copied().filter(|r| r.0 < half).collect(),
    }]);
    while !training.step(usize::MAX) {}
    let (model, _) = training.finish();
    let mut tagging = Tagging::new(Arc::new(model), text);
    while !tagging.step(usize::MAX) {}
    let predicted: Vec<_> = tagging
        .finish()
        .into_iter()
        .filter(|s| s.start >= half && s.confidence >= Filter::default().threshold)
        .map(|s| (s.start, s.end, s.label))
        .collect();
    let model_ref: Vec<_> = reference.iter().copied().filter(|r| r.0 >= half).collect();
    let model = Scores::of(&predicted, &model_ref);

    Measured {
        cues,
        repeats,
        model,
        seeded,
    }
}
