//! The tagger that learns from the user's annotations (stub: replaced by
//! an averaged perceptron; see the interface below).

use std::sync::Arc;

use super::score::Scores;
use super::Suggestion;
use crate::label::Label;

/// One text and its annotations, to learn from.
#[derive(Debug, Clone)]
pub struct TrainDoc {
    /// The article's text.
    pub text: Arc<str>,
    /// Its annotations, `(start, end, label)` in code points.
    pub spans: Vec<(usize, usize, Label)>,
}

/// A trained tagger (the default one knows nothing and suggests nothing).
#[derive(Debug, Clone, Default)]
pub struct Model {}

impl Model {
    /// Whether it was trained on anything.
    pub fn is_trained(&self) -> bool {
        false
    }
}

/// Training in steps: each [`step`](Training::step) does a bounded amount
/// of work, so the page can run it in idle slices.
#[derive(Debug)]
pub struct Training {}

impl Training {
    /// Starts training on `docs`.
    pub fn new(_docs: Vec<TrainDoc>) -> Training {
        Training {}
    }

    /// Does up to `budget` tokens' worth of work; true when done.
    pub fn step(&mut self, _budget: usize) -> bool {
        true
    }

    /// The model, and its scores on the held-out part of the annotations.
    pub fn finish(self) -> (Model, Scores) {
        (Model::default(), Scores::default())
    }
}

/// Tagging one text in steps.
#[derive(Debug)]
pub struct Tagging {}

impl Tagging {
    /// Starts tagging `text` with `model`.
    pub fn new(_model: Arc<Model>, _text: Arc<str>) -> Tagging {
        Tagging {}
    }

    /// Does up to `budget` tokens' worth of work; true when done.
    pub fn step(&mut self, _budget: usize) -> bool {
        true
    }

    /// The suggestions found.
    pub fn finish(self) -> Vec<Suggestion> {
        Vec::new()
    }
}
