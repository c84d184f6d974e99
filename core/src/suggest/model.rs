//! The tagger that learns from the user's own annotations: an averaged
//! perceptron over tokens with BIO tags, trained and run in small steps so
//! the page can do it in idle slices.
//!
//! # Layers
//!
//! Annotations of different labels overlap all the time (a claim names the
//! entities who made it), and a BIO sequence holds one tag per token. So
//! there are three independent binary taggers, one per label ("layers"),
//! each with the tags O, B and I, sharing the feature extraction: an entity
//! inside a claim is a B-I run in the entity layer and part of a B-I run in
//! the claim layer. Seven tags in one sequence (O, B-E, I-E, …) could not
//! hold both. The weights of one feature are stored together as
//! `[f32; 9]` (layer × tag), so one hash look-up serves the three layers.
//! Within one layer, of two annotations that overlap, the one starting
//! first (then the longer) is kept.
//!
//! # Features
//!
//! Per token, each hashed (FxHasher) to a `u32` id with its template, so no
//! string is stored: a bias; the lower-cased word; its shape (`X` upper,
//! `x` lower or uncased letter, `d` digit, anything else as itself, runs
//! collapsed: `Xx`, `XX`→`X`, `Xx-Xx`, `d.d`); prefixes and suffixes of
//! one to three characters; capitalisation together with
//! first-in-sentence; the words and shapes two before and two after (a
//! sentence edge is a word of its own); the word pairs around the token and
//! the shape triple; a gazetteer hit (the token begins, `B`, or continues,
//! `I`, a phrase the user tagged as an entity in any article, longest match
//! first, by lower-cased tokens); and the previous tag of the layer
//! (`O`, `B`, `I` or the segment start), whose weights act as transition
//! scores.
//!
//! In training, the gazetteer hit on an annotation's own words is left
//! out for half of the phrases tagged only once (which half: a hash of the
//! segment and position, so it is fixed): otherwise every training entity
//! is in the gazetteer, the model learns "gazetteer ⇒ entity" alone and
//! nothing of what an unseen name looks like, and a name tagged once (as
//! most are, in a short article) is exactly the case to learn from. (Left
//! out always, the model on the seed article learnt too little of the
//! gazetteer; kept always, too little of the names.)
//!
//! # Decoding and learning
//!
//! Viterbi per layer over a segment (a sentence, or a piece of
//! [`MAX_SEGMENT`] tokens of a longer one), with `I` never after `O` or at
//! the start, so spans are well formed. Learning is the structured
//! perceptron (on a wrong sequence: +1 to the gold tags' features, −1 to the
//! predicted ones') with the usual averaging: each weight keeps a running
//! total and the instance it was last brought up to date, so an update is
//! O(1) and the average is `(total + (now − stamp) · w) / now`.
//!
//! # What it learns from
//!
//! The sentences of each document up to the one holding the end of its
//! last annotation (the user has not reached the rest, so an untagged
//! name there is not a negative). An annotation's tokens are those more
//! than half inside it (or, when there are none, those it overlaps), so a
//! selection a character short or long still tags the word. A label with
//! fewer than [`MIN_ANNOTATIONS`] annotations is never predicted.
//!
//! # Held-out scores
//!
//! Like INCEpTION's recommender evaluation: every fifth training sentence
//! (counted across the documents in order) is held out, a model is trained
//! on the others (gazetteer from their annotations only) and its
//! predictions on the held-out sentences are scored against the
//! annotations lying within them ([`Scores::of`], exact match). Then the
//! final model is trained on all sentences. [`EPOCHS`] epochs each, or
//! more (up to [`MAX_EPOCHS`]) when the training sentences are few: about
//! 50,000 token-passes a round, since on a short article five passes leave
//! the perceptron far from fitting (on the seed's first half, entity F1 on
//! the second half went from 0.53 with five to 0.75) and extra passes cost
//! little there. The sentences are shuffled by a fixed xorshift sequence,
//! so the result does not depend on how the work is cut into steps.
//!
//! # Confidence
//!
//! For each token of a predicted span: the margin of its tag's score (its
//! features plus the transition from the tag before) over the best other
//! tag allowed there. The confidence is the logistic of the mean margin
//! over [`MARGIN_SCALE`] (4: a mean margin of 4 gives 0.73, of 12 gives
//! 0.95): 0.5 when the tagger hesitates between two tags, near 1 when it
//! does not.
//! Viterbi may pick a tag that loses locally (to make a well-formed span):
//! a negative margin, under 0.5, hidden by the app's default threshold.
//!
//! # Steps
//!
//! Texts are read in pieces (a line, or up to [`MAX_PIECE`] bytes of a
//! longer one, cut at white space), each tokenised and cut into sentences
//! on its own: a long article is never tokenised at once. Every step does
//! about `budget` tokens' worth of work (at least one piece or segment).

use std::hash::Hasher;
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use super::score::Scores;
use super::tokens::{self, Token};
use super::{Source, Suggestion};
use crate::label::Label;

/// Outside a span.
const O: u8 = 0;
/// First token of a span.
const B: u8 = 1;
/// A later token of a span.
const I: u8 = 2;
/// The "previous tag" at the start of a segment.
const START: usize = 3;
/// Weights per feature: three layers of three tags.
const SLOTS: usize = 9;
/// Passes over the training sentences (at least).
pub const EPOCHS: u32 = 5;
/// At most this many passes, for a small training set.
pub const MAX_EPOCHS: u32 = 20;
/// Token-passes a round aims at: a small training set gets more epochs
/// (up to [`MAX_EPOCHS`]), where the perceptron needs them to fit and they
/// cost little.
const ROUND_WORK: usize = 50_000;
/// One training sentence in this many is held out for the scores.
pub const HOLD_OUT_EVERY: usize = 5;
/// Fewer annotations of a label than this: it is not predicted.
pub const MIN_ANNOTATIONS: usize = 2;
/// The longest run of tokens decoded at once (longer sentences are cut).
pub const MAX_SEGMENT: usize = 200;
/// The most bytes of text tokenised at once (a line, or part of one).
pub const MAX_PIECE: usize = 2048;
/// The mean margin that gives a confidence of 0.73 (logistic of 1).
pub const MARGIN_SCALE: f32 = 4.0;
/// The longest gazetteer phrase, in tokens.
const MAX_PHRASE: usize = 8;
/// Static features per token (the gazetteer and previous tag come on top).
const NF: usize = 21;
/// Template of the gazetteer feature.
const T_GAZ: u64 = 21;
/// Template of the previous-tag feature.
const T_PREV: u64 = 22;
/// The word and shape before the first token of a segment.
const PAD_BEFORE: u64 = 0x5eed_0001;
/// The word and shape after the last token of a segment.
const PAD_AFTER: u64 = 0x5eed_0002;

type Weights = [f32; SLOTS];

/// One text and its annotations, to learn from.
#[derive(Debug, Clone)]
pub struct TrainDoc {
    /// The article's text.
    pub text: Arc<str>,
    /// Its annotations, `(start, end, label)` in code points.
    pub spans: Vec<(usize, usize, Label)>,
}

// ---------------------------------------------------------------------------
// Reading texts in pieces.

/// Where reading a text has got to.
#[derive(Debug, Clone, Copy, Default)]
struct Cursor {
    byte: usize,
    cp: usize,
}

/// A piece of text, tokenised: tokens with offsets in the whole text, and
/// its sentences as ranges into them.
struct Piece {
    tokens: Vec<Token>,
    sentences: Vec<Range<usize>>,
    /// Code points of the piece.
    start: usize,
    end: usize,
}

/// Reads the next piece of `text` at `at`: up to and with the next line
/// break, or, in a line longer than [`MAX_PIECE`] bytes, up to the last
/// white space within that many (or exactly that many when there is none).
fn next_piece(text: &str, at: &mut Cursor) -> Option<Piece> {
    let rest = text.get(at.byte..).filter(|r| !r.is_empty())?;
    let mut limit = MAX_PIECE.min(rest.len());
    while !rest.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = rest.get(..limit).unwrap_or("");
    let len = if let Some(i) = window.find('\n') {
        i + 1
    } else if limit == rest.len() {
        limit
    } else {
        match window.rfind(char::is_whitespace) {
            Some(i) if i > 0 => {
                i + window
                    .get(i..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8)
            }
            _ => limit,
        }
    };
    // A first character longer than the window cannot happen (MAX_PIECE
    // is far above 4 bytes), but never stand still.
    let len = if len == 0 {
        rest.chars().next().map_or(rest.len(), char::len_utf8)
    } else {
        len
    };
    let piece = rest.get(..len)?;
    let mut toks = tokens::tokenize(piece);
    let sentences = tokens::sentences(&toks, piece);
    for t in &mut toks {
        t.start += at.cp;
        t.end += at.cp;
        t.byte_start += at.byte;
        t.byte_end += at.byte;
    }
    let start = at.cp;
    at.byte += len;
    at.cp += piece.chars().count();
    Some(Piece {
        tokens: toks,
        sentences,
        start,
        end: at.cp,
    })
}

/// A sentence cut into segments of at most [`MAX_SEGMENT`] tokens.
fn segments(sentence: Range<usize>) -> impl Iterator<Item = Range<usize>> {
    let Range { start, end } = sentence;
    (start..end)
        .step_by(MAX_SEGMENT)
        .map(move |a| a..(a + MAX_SEGMENT).min(end))
}

// ---------------------------------------------------------------------------
// Features.

fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

fn mix(a: u64, b: u64) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(a);
    h.write_u64(b);
    h.finish()
}

/// The id of a feature: its template and value, hashed.
fn fid(template: u64, value: u64) -> u32 {
    let x = mix(
        template.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x51_7cc1_b727,
        value,
    );
    (x ^ (x >> 32)) as u32
}

/// What the features need of one token.
#[derive(Clone, Copy)]
struct Lex {
    lower: u64,
    shape: u64,
    prefix: [u64; 3],
    suffix: [u64; 3],
    cap: bool,
}

fn lex(word: &str, lower: &mut String, shape: &mut String) -> Lex {
    lower.clear();
    shape.clear();
    let mut last = None;
    for c in word.chars() {
        lower.extend(c.to_lowercase());
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if last != Some(s) && shape.len() < 16 {
            shape.push(s);
            last = Some(s);
        }
    }
    let mut prefix = [0; 3];
    let mut suffix = [0; 3];
    for (n, (p, s)) in prefix.iter_mut().zip(suffix.iter_mut()).enumerate() {
        let head = lower
            .char_indices()
            .nth(n + 1)
            .map_or(lower.len(), |(i, _)| i);
        let tail = lower.char_indices().rev().nth(n).map_or(0, |(i, _)| i);
        *p = hash_str(lower.get(..head).unwrap_or(""));
        *s = hash_str(lower.get(tail..).unwrap_or(""));
    }
    Lex {
        lower: hash_str(lower),
        shape: hash_str(shape),
        prefix,
        suffix,
        cap: word.chars().next().is_some_and(char::is_uppercase),
    }
}

/// Appends the [`NF`] static features of each token of a segment to
/// `feats`, and each token's lower-cased word to `lower`. `first`: the
/// segment starts a sentence.
fn extract(text: &str, toks: &[Token], first: bool, feats: &mut Vec<u32>, lower: &mut Vec<u64>) {
    let mut lbuf = String::new();
    let mut sbuf = String::new();
    let lexes: Vec<Lex> = toks
        .iter()
        .map(|t| lex(t.text(text), &mut lbuf, &mut sbuf))
        .collect();
    features(&lexes, first, feats, lower);
}

/// Appends the [`NF`] static features of each token of a segment, given
/// as its words' [`Lex`], to `feats`, and each one's lower-cased word to
/// `lower`. `first`: the segment starts a sentence.
fn features(lexes: &[Lex], first: bool, feats: &mut Vec<u32>, lower: &mut Vec<u64>) {
    let at = |i: usize, d: isize| -> (u64, u64) {
        match i.checked_add_signed(d).and_then(|j| lexes.get(j)) {
            Some(l) => (l.lower, l.shape),
            None if d < 0 => (PAD_BEFORE, PAD_BEFORE),
            None => (PAD_AFTER, PAD_AFTER),
        }
    };
    for (i, l) in lexes.iter().enumerate() {
        let (wm1, sm1) = at(i, -1);
        let (wm2, sm2) = at(i, -2);
        let (wp1, sp1) = at(i, 1);
        let (wp2, sp2) = at(i, 2);
        let starts = first && i == 0;
        feats.extend_from_slice(&[
            fid(0, 0),
            fid(1, l.lower),
            fid(2, l.shape),
            fid(3, l.prefix[0]),
            fid(4, l.prefix[1]),
            fid(5, l.prefix[2]),
            fid(6, l.suffix[0]),
            fid(7, l.suffix[1]),
            fid(8, l.suffix[2]),
            fid(9, wm1),
            fid(10, wm2),
            fid(11, wp1),
            fid(12, wp2),
            fid(13, sm1),
            fid(14, sm2),
            fid(15, sp1),
            fid(16, sp2),
            fid(17, u64::from(starts) * 2 + u64::from(l.cap)),
            fid(18, mix(wm1, l.lower)),
            fid(19, mix(l.lower, wp1)),
            fid(20, mix(mix(sm1, l.shape), sp1)),
        ]);
        lower.push(l.lower);
    }
}

// ---------------------------------------------------------------------------
// The gazetteer.

/// Phrases tagged as entities, as a trie of hashed lower-cased token
/// sequences: each prefix's hash maps to how many annotations are exactly
/// that phrase (0: only a prefix of longer ones).
#[derive(Debug, Clone, Default)]
struct Gazetteer {
    nodes: FxHashMap<u64, u32>,
}

const GAZ_SEED: u64 = 0x6a09_e667_f3bc_c908;

impl Gazetteer {
    fn add(&mut self, words: &[u64]) {
        if words.is_empty() || words.len() > MAX_PHRASE {
            return;
        }
        let mut h = GAZ_SEED;
        for (i, &w) in words.iter().enumerate() {
            h = mix(h, w);
            let n = self.nodes.entry(h).or_insert(0);
            if i + 1 == words.len() {
                *n = n.saturating_add(1);
            }
        }
    }

    /// The gazetteer marks of a segment's words (0 none, [`B`], [`I`]),
    /// longest match first. With `gold` (the entity layer's tags, in
    /// training, and a salt: the segment's number), a match that is
    /// exactly an annotation of a phrase tagged once is left out at half
    /// the positions.
    fn marks(&self, lower: &[u64], gold: Option<(&[u8], u64)>) -> Vec<u8> {
        let mut out = vec![0u8; lower.len()];
        if self.nodes.is_empty() {
            return out;
        }
        let mut i = 0;
        while i < lower.len() {
            let mut h = GAZ_SEED;
            let mut best = 0;
            for (k, &w) in lower.iter().skip(i).take(MAX_PHRASE).enumerate() {
                h = mix(h, w);
                let Some(&n) = self.nodes.get(&h) else { break };
                let own = gold.is_some_and(|(g, _)| is_span(g, i, i + k + 1));
                let drop = gold.is_some_and(|(_, salt)| mix(salt, i as u64) & 1 == 1);
                let need = if own && drop { 2 } else { 1 };
                if n >= need {
                    best = k + 1;
                }
            }
            if best == 0 {
                i += 1;
                continue;
            }
            for (k, m) in out.iter_mut().skip(i).take(best).enumerate() {
                *m = if k == 0 { B } else { I };
            }
            i += best;
        }
        out
    }
}

/// Whether `tags[a..b]` is exactly one span (B, I…, then no I).
fn is_span(tags: &[u8], a: usize, b: usize) -> bool {
    tags.get(a) == Some(&B)
        && tags
            .get(a + 1..b)
            .is_some_and(|r| r.iter().all(|&t| t == I))
        && tags.get(b) != Some(&I)
}

// ---------------------------------------------------------------------------
// Scoring and decoding.

/// The emission scores of each token (all layers and tags).
fn emissions(feats: &[u32], marks: &[u8], get: &impl Fn(u32) -> Option<Weights>) -> Vec<Weights> {
    feats
        .chunks_exact(NF)
        .zip(marks)
        .map(|(fs, &m)| {
            let mut e = [0f32; SLOTS];
            let gaz = (m != 0).then(|| fid(T_GAZ, u64::from(m)));
            for f in fs.iter().copied().chain(gaz) {
                if let Some(w) = get(f) {
                    for (a, b) in e.iter_mut().zip(w) {
                        *a += b;
                    }
                }
            }
            e
        })
        .collect()
}

/// Transition scores per layer: `[layer][previous tag or START][tag]`.
type Transitions = [[[f32; 3]; 4]; 3];

fn prev_feature(prev: usize) -> u32 {
    fid(T_PREV, prev as u64)
}

fn transitions(get: &impl Fn(u32) -> Option<Weights>) -> Transitions {
    let mut t = [[[0f32; 3]; 4]; 3];
    for p in 0..4 {
        if let Some(w) = get(prev_feature(p)) {
            for (l, layer) in t.iter_mut().enumerate() {
                for (k, x) in layer[p].iter_mut().enumerate() {
                    *x = w[l * 3 + k];
                }
            }
        }
    }
    t
}

/// Whether tag `k` may follow `prev` (`I` only after `B` or `I`).
fn allowed(prev: usize, k: usize) -> bool {
    k != usize::from(I) || prev == usize::from(B) || prev == usize::from(I)
}

/// The best tag sequence of one layer.
fn viterbi(em: &[Weights], layer: usize, trans: &[[f32; 3]; 4]) -> Vec<u8> {
    let mut back: Vec<[u8; 3]> = Vec::with_capacity(em.len());
    let mut score = [0f32; 3];
    for (t, e) in em.iter().enumerate() {
        let mut cur = [f32::NEG_INFINITY; 3];
        let mut bp = [0u8; 3];
        for k in 0..3 {
            let emit = e[layer * 3 + k];
            if t == 0 {
                if allowed(START, k) {
                    cur[k] = trans[START][k] + emit;
                }
                continue;
            }
            let mut best = f32::NEG_INFINITY;
            for p in 0..3 {
                if !allowed(p, k) {
                    continue;
                }
                let s = score[p] + trans[p][k];
                if s > best {
                    best = s;
                    bp[k] = p as u8;
                }
            }
            cur[k] = best + emit;
        }
        back.push(bp);
        score = cur;
    }
    let mut best = 0u8;
    for k in 1..3u8 {
        if score[usize::from(k)] > score[usize::from(best)] {
            best = k;
        }
    }
    let mut tags = vec![O; em.len()];
    for (slot, bp) in tags.iter_mut().zip(&back).rev() {
        *slot = best;
        best = bp[usize::from(best)];
    }
    tags
}

/// The spans of a tag sequence, as token ranges with their confidence (the
/// logistic of the mean margin: see the module doc).
fn spans_of(
    tags: &[u8],
    em: &[Weights],
    layer: usize,
    trans: &[[f32; 3]; 4],
) -> Vec<(Range<usize>, f32)> {
    let margin = |t: usize| -> f32 {
        let prev = t
            .checked_sub(1)
            .and_then(|p| tags.get(p))
            .map_or(START, |&p| usize::from(p));
        let (Some(&tag), Some(e)) = (tags.get(t), em.get(t)) else {
            return 0.0;
        };
        let s = |k: usize| e[layer * 3 + k] + trans[prev][k];
        let chosen = s(usize::from(tag));
        let other = (0..3)
            .filter(|&k| k != usize::from(tag) && allowed(prev, k))
            .map(s)
            .fold(f32::NEG_INFINITY, f32::max);
        chosen - other
    };
    let mut out = Vec::new();
    let mut t = 0;
    while t < tags.len() {
        if tags.get(t) != Some(&B) {
            t += 1;
            continue;
        }
        let mut end = t + 1;
        while tags.get(end) == Some(&I) {
            end += 1;
        }
        let mean = (t..end).map(margin).sum::<f32>() / (end - t) as f32;
        out.push((t..end, 1.0 / (1.0 + (-mean / MARGIN_SCALE).exp())));
        t = end;
    }
    out
}

// ---------------------------------------------------------------------------
// The model.

/// A trained tagger (the default one knows nothing and suggests nothing).
#[derive(Clone, Default)]
pub struct Model {
    /// Averaged weights per feature id: `[layer * 3 + tag]`.
    weights: FxHashMap<u32, Weights>,
    gazetteer: Gazetteer,
    /// The labels it predicts (in [`Label::ALL`] order).
    active: [bool; 3],
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("features", &self.weights.len())
            .field("gazetteer", &self.gazetteer.nodes.len())
            .field("labels", &self.labels_known())
            .finish()
    }
}

impl Model {
    /// Whether it was trained on anything (it predicts at least one label).
    pub fn is_trained(&self) -> bool {
        self.active.iter().any(|&a| a)
    }

    /// The labels it predicts: those with at least [`MIN_ANNOTATIONS`]
    /// annotations in the training sentences.
    pub fn labels_known(&self) -> Vec<Label> {
        Label::ALL
            .into_iter()
            .zip(self.active)
            .filter_map(|(l, a)| a.then_some(l))
            .collect()
    }

    /// How many features have a weight.
    pub fn features(&self) -> usize {
        self.weights.len()
    }

    fn get(&self, f: u32) -> Option<Weights> {
        self.weights.get(&f).copied()
    }
}

// ---------------------------------------------------------------------------
// Training.

/// A weight set being learnt, with the running totals for averaging.
#[derive(Default)]
struct Learner {
    params: FxHashMap<u32, Param>,
    /// Feature ids in the order first updated (to average in steps).
    keys: Vec<u32>,
    /// Instances (segments) seen.
    clock: u32,
}

#[derive(Clone, Copy, Default)]
struct Param {
    w: Weights,
    total: [f64; SLOTS],
    stamp: u32,
}

impl Param {
    fn averaged(&self, clock: u32) -> Weights {
        if clock == 0 {
            return self.w;
        }
        let since = f64::from(clock.saturating_sub(self.stamp));
        let mut out = [0f32; SLOTS];
        for ((o, &t), &w) in out.iter_mut().zip(&self.total).zip(&self.w) {
            *o = ((t + since * f64::from(w)) / f64::from(clock)) as f32;
        }
        out
    }
}

impl Learner {
    fn current(&self, f: u32) -> Option<Weights> {
        self.params.get(&f).map(|p| p.w)
    }

    fn averaged(&self, f: u32) -> Option<Weights> {
        self.params.get(&f).map(|p| p.averaged(self.clock))
    }

    fn update(&mut self, f: u32, slot: usize, delta: f32) {
        let clock = self.clock;
        let p = self.params.entry(f).or_insert_with(|| {
            self.keys.push(f);
            Param {
                stamp: clock,
                ..Param::default()
            }
        });
        let since = f64::from(clock.saturating_sub(p.stamp));
        for (t, &w) in p.total.iter_mut().zip(&p.w) {
            *t += since * f64::from(w);
        }
        p.stamp = clock;
        if let Some(w) = p.w.get_mut(slot) {
            *w += delta;
        }
    }
}

/// A run of training tokens decoded together.
#[derive(Debug, Clone, Copy)]
struct Segment {
    start: usize,
    end: usize,
    held_out: bool,
    /// It starts a sentence (the first segment of one).
    first: bool,
}

/// The distinct words of the training texts, numbered, with what the
/// features need of each.
#[derive(Default)]
struct Vocab {
    numbers: FxHashMap<Box<str>, u32>,
    lexes: Vec<Lex>,
}

impl Vocab {
    /// The number of `word`, added if new.
    fn number(&mut self, word: &str, lbuf: &mut String, sbuf: &mut String) -> u32 {
        if let Some(&n) = self.numbers.get(word) {
            return n;
        }
        let n = u32::try_from(self.lexes.len()).unwrap_or(u32::MAX);
        self.lexes.push(lex(word, lbuf, sbuf));
        self.numbers.insert(word.into(), n);
        n
    }
}

impl Corpus {
    /// The features of segment `seg` into `feats` and its lower-cased
    /// words into `lower` (both cleared first); false if out of range.
    fn features_of(&self, seg: &Segment, feats: &mut Vec<u32>, lower: &mut Vec<u64>) -> bool {
        feats.clear();
        lower.clear();
        let Some(words) = self.words.get(seg.start..seg.end) else {
            return false;
        };
        let lexes: Vec<Lex> = words
            .iter()
            .filter_map(|&w| self.vocab.lexes.get(w as usize).copied())
            .collect();
        features(&lexes, seg.first, feats, lower);
        lexes.len() == words.len()
    }
}

/// The training sentences, their words and gold tags. A token is held as
/// the number of its word in `vocab` (4 bytes; its [`NF`] features,
/// 84 bytes, are worked out again from the words each time a segment is
/// used: cheap hashing, and the corpus of a 500,000-character article
/// held 8 MiB of features, twice that while growing).
#[derive(Default)]
struct Corpus {
    /// Per token, its word's number in `vocab`.
    words: Vec<u32>,
    vocab: Vocab,
    /// Gold tag per layer.
    gold: Vec<[u8; 3]>,
    /// Code points of each token.
    offsets: Vec<(usize, usize)>,
    segments: Vec<Segment>,
    /// Annotations within held-out sentences.
    reference: Vec<(usize, usize, Label)>,
    /// Annotations per label: `[0]` in the sentences trained on first,
    /// `[1]` in all.
    counts: [[usize; 3]; 2],
    /// Gazetteers: `[0]` from the sentences trained on first, `[1]` all.
    gazetteers: [Gazetteer; 2],
    /// Training sentences seen (for the hold-out count).
    sentences: usize,
}

/// Reading one document.
#[derive(Default)]
struct Reading {
    doc: usize,
    at: Cursor,
    /// Its usable annotations, by start then longest first.
    spans: Vec<(usize, usize, Label)>,
    /// The next of `spans` not yet open.
    next: usize,
    /// Annotations that reach into the current piece.
    open: Vec<(usize, usize, Label)>,
    /// End of its last annotation: sentences starting at or after it are
    /// not read.
    last_end: usize,
    started: bool,
}

enum Phase {
    Read,
    Train {
        round: usize,
        epoch: u32,
        epochs: u32,
        order: Vec<usize>,
        pos: usize,
    },
    Evaluate {
        pos: usize,
        predicted: Vec<(usize, usize, Label)>,
    },
    Average {
        pos: usize,
        weights: FxHashMap<u32, Weights>,
    },
    Done,
}

/// Training in steps: each [`step`](Training::step) does a bounded amount
/// of work, so the page can run it in idle slices.
pub struct Training {
    docs: Vec<TrainDoc>,
    reading: Reading,
    corpus: Corpus,
    learner: Learner,
    /// Labels trained per round (0: held-out run, 1: final).
    active: [[bool; 3]; 2],
    phase: Phase,
    scores: Scores,
    model: Model,
}

impl std::fmt::Debug for Training {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Training")
            .field("docs", &self.docs.len())
            .field("segments", &self.corpus.segments.len())
            .field("counts", &self.corpus.counts)
            .field("parameters", &self.learner.params.len())
            .field("progress", &self.progress())
            .finish()
    }
}

/// A deterministic shuffle (xorshift64).
fn shuffle(order: &mut [usize], seed: u64) {
    let mut x = seed | 1;
    for i in (1..order.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let j = (x % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

fn layer_of(label: Label) -> usize {
    Label::ALL.iter().position(|&l| l == label).unwrap_or(0)
}

/// The tokens of `toks` an annotation `start..end` covers: those more than
/// half inside it, or when there are none, those it overlaps.
fn covered(toks: &[Token], start: usize, end: usize) -> Range<usize> {
    let a = toks.partition_point(|t| t.end <= start);
    let b = toks.partition_point(|t| t.start < end).max(a);
    let inside = |t: &Token| {
        let over = t.end.min(end).saturating_sub(t.start.max(start));
        over * 2 > t.end - t.start
    };
    let mut x = a;
    let mut y = b;
    if toks.get(x).is_some_and(|t| !inside(t)) {
        x += 1;
    }
    if y > x && toks.get(y - 1).is_some_and(|t| !inside(t)) {
        y -= 1;
    }
    if x < y {
        x..y
    } else {
        a..b
    }
}

impl Training {
    /// Starts training on `docs`.
    pub fn new(docs: Vec<TrainDoc>) -> Training {
        Training {
            docs,
            reading: Reading::default(),
            corpus: Corpus::default(),
            learner: Learner::default(),
            active: [[false; 3]; 2],
            phase: Phase::Read,
            scores: Scores::default(),
            model: Model::default(),
        }
    }

    /// Whether all the work is done.
    pub fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Done)
    }

    /// How far it has got, 0 to 1 (reading 10%, the held-out run 45%, the
    /// final run 45%).
    pub fn progress(&self) -> f32 {
        let frac = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f32 / b as f32 };
        match &self.phase {
            Phase::Read => {
                let doc = self
                    .docs
                    .get(self.reading.doc)
                    .map_or(0.0, |d| frac(self.reading.at.byte, d.text.len()));
                0.1 * frac(self.reading.doc, self.docs.len()).min(1.0)
                    + 0.1 * doc / self.docs.len().max(1) as f32
            }
            Phase::Train {
                round,
                epoch,
                epochs,
                order,
                pos,
            } => {
                let e = (*epoch as f32 + frac(*pos, order.len())) / *epochs as f32;
                0.1 + 0.45 * *round as f32 + 0.4 * e.min(1.0)
            }
            Phase::Evaluate { pos, .. } => {
                let held = self.corpus.segments.len();
                0.5 + 0.05 * frac(*pos, held).min(1.0)
            }
            Phase::Average { pos, .. } => 0.95 + 0.05 * frac(*pos, self.learner.keys.len()),
            Phase::Done => 1.0,
        }
    }

    /// Does up to `budget` tokens' worth of work; true when done.
    pub fn step(&mut self, budget: usize) -> bool {
        let budget = budget.max(1);
        let mut spent = 0;
        while spent < budget {
            let cost = match self.phase {
                Phase::Read => self.read(),
                Phase::Train { .. } => self.train(),
                Phase::Evaluate { .. } => self.evaluate(),
                Phase::Average { .. } => self.average(budget - spent),
                Phase::Done => return true,
            };
            spent = spent.saturating_add(cost.max(1));
        }
        self.is_done()
    }

    /// The model, and its scores on the held-out part of the annotations.
    /// Any work left is done first, at once.
    pub fn finish(mut self) -> (Model, Scores) {
        while !self.step(usize::MAX) {}
        (self.model, self.scores)
    }

    /// Reads one piece of the current document; the tokens read.
    fn read(&mut self) -> usize {
        let Some(doc) = self.docs.get(self.reading.doc) else {
            self.start_round(0);
            return 1;
        };
        let text = Arc::clone(&doc.text);
        let r = &mut self.reading;
        if !r.started {
            r.started = true;
            r.spans = doc
                .spans
                .iter()
                .copied()
                .filter(|&(s, e, _)| s < e)
                .collect();
            r.spans
                .sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
            r.last_end = r.spans.iter().map(|s| s.1).max().unwrap_or(0);
        }
        let piece = if r.at.cp < r.last_end {
            next_piece(&text, &mut r.at)
        } else {
            None
        };
        let Some(piece) = piece else {
            self.reading = Reading {
                doc: self.reading.doc + 1,
                ..Reading::default()
            };
            return 1;
        };
        // Annotations reaching into this piece.
        while let Some(&s) = r.spans.get(r.next).filter(|s| s.0 < piece.end) {
            r.open.push(s);
            r.next += 1;
        }
        r.open.retain(|s| s.1 > piece.start);
        let toks = &piece.tokens;
        let mut gold = vec![[O; 3]; toks.len()];
        for &(s, e, label) in &r.open {
            let l = layer_of(label);
            let range = covered(toks, s, e);
            let Some(tags) = gold.get_mut(range.clone()) else {
                continue;
            };
            if tags.is_empty() || tags.iter().any(|t| t[l] != O) {
                continue;
            }
            for (k, t) in tags.iter_mut().enumerate() {
                t[l] = if k == 0 { B } else { I };
            }
        }
        let c = &mut self.corpus;
        let (mut lbuf, mut sbuf) = (String::new(), String::new());
        for sentence in &piece.sentences {
            let (Some(first), Some(last)) = (
                toks.get(sentence.start),
                sentence.end.checked_sub(1).and_then(|i| toks.get(i)),
            ) else {
                continue;
            };
            if first.start >= r.last_end {
                break;
            }
            let held_out = c.sentences % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1;
            c.sentences += 1;
            if held_out {
                c.reference.extend(
                    r.open
                        .iter()
                        .filter(|&&(s, e, _)| s >= first.start && e <= last.end),
                );
            }
            for (n, seg) in segments(sentence.clone()).enumerate() {
                let (Some(seg_toks), Some(seg_gold)) =
                    (toks.get(seg.clone()), gold.get(seg.clone()))
                else {
                    continue;
                };
                let start = c.words.len();
                let mut lower = Vec::with_capacity(seg_toks.len());
                for t in seg_toks {
                    let w = c.vocab.number(t.text(&text), &mut lbuf, &mut sbuf);
                    c.words.push(w);
                    lower.push(c.vocab.lexes.get(w as usize).map_or(0, |l| l.lower));
                }
                for (k, g) in seg_gold.iter().enumerate() {
                    let mut g = *g;
                    for t in &mut g {
                        // A span carried over from before the segment
                        // starts again here.
                        if k == 0 && *t == I {
                            *t = B;
                        }
                    }
                    c.gold.push(g);
                }
                c.offsets.extend(seg_toks.iter().map(|t| (t.start, t.end)));
                let end = c.words.len();
                c.segments.push(Segment {
                    start,
                    end,
                    held_out,
                    first: n == 0,
                });
                // Counts and the gazetteers.
                let Some(tags) = c.gold.get(start..end) else {
                    continue;
                };
                let lower = &lower[..];
                for t in tags {
                    for (l, &tag) in t.iter().enumerate() {
                        if tag == B {
                            c.counts[1][l] += 1;
                            if !held_out {
                                c.counts[0][l] += 1;
                            }
                        }
                    }
                }
                let mut k = 0;
                while k < tags.len() {
                    if tags.get(k).map(|t| t[0]) != Some(B) {
                        k += 1;
                        continue;
                    }
                    let mut e = k + 1;
                    while tags.get(e).map(|t| t[0]) == Some(I) {
                        e += 1;
                    }
                    if let Some(words) = lower.get(k..e) {
                        c.gazetteers[1].add(words);
                        if !held_out {
                            c.gazetteers[0].add(words);
                        }
                    }
                    k = e;
                }
            }
        }
        toks.len()
    }

    /// Starts a round of training (0: on the sentences not held out, to be
    /// scored; 1: on all, the final model), or what comes after when there
    /// is nothing to learn.
    fn start_round(&mut self, round: usize) {
        let c = &self.corpus;
        let active = c.counts[round.min(1)].map(|n| n >= MIN_ANNOTATIONS);
        self.active[round.min(1)] = active;
        let order: Vec<usize> = c
            .segments
            .iter()
            .enumerate()
            .filter(|(_, s)| round == 1 || !s.held_out)
            .map(|(i, _)| i)
            .collect();
        let any_held = c.segments.iter().any(|s| s.held_out);
        if !active.iter().any(|&a| a) || order.is_empty() || (round == 0 && !any_held) {
            if round == 0 {
                self.start_round(1);
            } else {
                self.phase = Phase::Done;
                self.corpus = Corpus::default();
            }
            return;
        }
        self.learner = Learner::default();
        let tokens: usize = order
            .iter()
            .filter_map(|&i| c.segments.get(i))
            .map(|s| s.end - s.start)
            .sum();
        let epochs = u32::try_from(ROUND_WORK / tokens.max(1))
            .unwrap_or(MAX_EPOCHS)
            .clamp(EPOCHS, MAX_EPOCHS);
        let mut order = order;
        shuffle(&mut order, seed(round, 0));
        self.phase = Phase::Train {
            round,
            epoch: 0,
            epochs,
            order,
            pos: 0,
        };
    }

    /// Trains on the next segment; its tokens.
    fn train(&mut self) -> usize {
        let Phase::Train {
            round,
            epoch,
            epochs,
            order,
            pos,
        } = &mut self.phase
        else {
            return 1;
        };
        let round = *round;
        let Some(&si) = order.get(*pos) else {
            // The end of an epoch.
            *epoch += 1;
            *pos = 0;
            if *epoch < *epochs {
                shuffle(order, seed(round, *epoch));
            } else if round == 0 {
                self.phase = Phase::Evaluate {
                    pos: 0,
                    predicted: Vec::new(),
                };
            } else {
                self.phase = Phase::Average {
                    pos: 0,
                    weights: FxHashMap::default(),
                };
            }
            return 1;
        };
        *pos += 1;
        let c = &self.corpus;
        let Some(seg) = c.segments.get(si) else {
            return 1;
        };
        let (mut feats, mut lower) = (Vec::new(), Vec::new());
        let (true, Some(gold)) = (
            c.features_of(seg, &mut feats, &mut lower),
            c.gold.get(seg.start..seg.end),
        ) else {
            return 1;
        };
        let entity: Vec<u8> = gold.iter().map(|g| g[0]).collect();
        let marks = c.gazetteers[round.min(1)].marks(&lower, Some((&entity, si as u64)));
        let learner = &mut self.learner;
        let em = emissions(&feats, &marks, &|f| learner.current(f));
        let trans = transitions(&|f| learner.current(f));
        for (l, &on) in self.active[round.min(1)].iter().enumerate() {
            if !on {
                continue;
            }
            let pred = viterbi(&em, l, &trans[l]);
            let truth: Vec<u8> = gold.iter().map(|g| g[l]).collect();
            if pred == truth {
                continue;
            }
            let mut prev = (START, START);
            for (t, (&g, &p)) in truth.iter().zip(&pred).enumerate() {
                let (g, p) = (usize::from(g), usize::from(p));
                if g != p {
                    let fs = feats.get(t * NF..(t + 1) * NF).unwrap_or(&[]);
                    let gaz = marks
                        .get(t)
                        .filter(|&&m| m != 0)
                        .map(|&m| fid(T_GAZ, u64::from(m)));
                    for &f in fs.iter().chain(gaz.as_ref()) {
                        learner.update(f, l * 3 + g, 1.0);
                        learner.update(f, l * 3 + p, -1.0);
                    }
                }
                if (prev.0, g) != (prev.1, p) {
                    learner.update(prev_feature(prev.0), l * 3 + g, 1.0);
                    learner.update(prev_feature(prev.1), l * 3 + p, -1.0);
                }
                prev = (g, p);
            }
        }
        learner.clock = learner.clock.saturating_add(1);
        seg.end - seg.start
    }

    /// Tags the next held-out segment with the averaged weights; its tokens.
    fn evaluate(&mut self) -> usize {
        let Phase::Evaluate { pos, predicted } = &mut self.phase else {
            return 1;
        };
        let c = &self.corpus;
        let Some(seg) = c.segments.get(*pos).copied() else {
            self.scores = Scores::of(predicted, &c.reference);
            self.start_round(1);
            return 1;
        };
        *pos += 1;
        if !seg.held_out {
            return 1;
        }
        let (mut feats, mut lower) = (Vec::new(), Vec::new());
        let (true, Some(offsets)) = (
            c.features_of(&seg, &mut feats, &mut lower),
            c.offsets.get(seg.start..seg.end),
        ) else {
            return 1;
        };
        let marks = c.gazetteers[0].marks(&lower, None);
        let learner = &self.learner;
        let get = |f| learner.averaged(f);
        let em = emissions(&feats, &marks, &get);
        let trans = transitions(&get);
        for (l, label) in Label::ALL.into_iter().enumerate() {
            if !self.active[0][l] {
                continue;
            }
            let tags = viterbi(&em, l, &trans[l]);
            for (r, _) in spans_of(&tags, &em, l, &trans[l]) {
                if let (Some(a), Some(b)) = (offsets.get(r.start), offsets.get(r.end - 1)) {
                    predicted.push((a.0, b.1, label));
                }
            }
        }
        // Averaged weights cost more to read than current ones.
        (seg.end - seg.start) * 2
    }

    /// Averages up to `budget` × 8 weights into the final model.
    fn average(&mut self, budget: usize) -> usize {
        let Phase::Average { pos, weights } = &mut self.phase else {
            return 1;
        };
        let n = budget.saturating_mul(8).max(1);
        let keys = self.learner.keys.get(*pos..).unwrap_or(&[]);
        for k in keys.iter().take(n) {
            if let Some(p) = self.learner.params.get(k) {
                let w = p.averaged(self.learner.clock);
                if w.iter().any(|x| x.abs() > 1e-6) {
                    weights.insert(*k, w);
                }
            }
        }
        *pos += n.min(keys.len());
        if *pos >= self.learner.keys.len() {
            self.model = Model {
                weights: std::mem::take(weights),
                gazetteer: std::mem::take(&mut self.corpus.gazetteers[1]),
                active: self.active[1],
            };
            self.learner = Learner::default();
            self.corpus = Corpus::default();
            self.phase = Phase::Done;
        }
        n.div_ceil(8)
    }
}

fn seed(round: usize, epoch: u32) -> u64 {
    0x2545_f491_4f6c_dd1d ^ ((round as u64) << 32) ^ u64::from(epoch).wrapping_mul(0x9e37_79b9)
}

// ---------------------------------------------------------------------------
// Tagging.

/// Tagging one text in steps.
pub struct Tagging {
    model: Arc<Model>,
    text: Arc<str>,
    at: Cursor,
    out: Vec<Suggestion>,
    done: bool,
}

impl std::fmt::Debug for Tagging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tagging")
            .field("model", &self.model)
            .field("read", &self.at.byte)
            .field("of", &self.text.len())
            .field("found", &self.out.len())
            .finish()
    }
}

impl Tagging {
    /// Starts tagging `text` with `model`.
    pub fn new(model: Arc<Model>, text: Arc<str>) -> Tagging {
        let done = !model.is_trained();
        Tagging {
            model,
            text,
            at: Cursor::default(),
            out: Vec::new(),
            done,
        }
    }

    /// How far it has got, 0 to 1.
    pub fn progress(&self) -> f32 {
        if self.done || self.text.is_empty() {
            1.0
        } else {
            self.at.byte as f32 / self.text.len() as f32
        }
    }

    /// Does up to `budget` tokens' worth of work (whole pieces of text: a
    /// line, or up to [`MAX_PIECE`] bytes); true when done.
    pub fn step(&mut self, budget: usize) -> bool {
        let mut spent = 0;
        while !self.done && spent < budget.max(1) {
            spent = spent.saturating_add(self.piece().max(1));
        }
        self.done
    }

    /// The suggestions found, in text order (any work left is done first).
    pub fn finish(mut self) -> Vec<Suggestion> {
        while !self.step(usize::MAX) {}
        self.out.sort_by_key(|s| (s.start, s.end, s.label));
        self.out
    }

    /// Tags the next piece; its tokens.
    fn piece(&mut self) -> usize {
        let Some(piece) = next_piece(&self.text, &mut self.at) else {
            self.done = true;
            return 1;
        };
        let m = &*self.model;
        let get = |f| m.get(f);
        let trans = transitions(&get);
        let mut feats = Vec::new();
        let mut lower = Vec::new();
        for sentence in &piece.sentences {
            for (n, seg) in segments(sentence.clone()).enumerate() {
                let Some(toks) = piece.tokens.get(seg) else {
                    continue;
                };
                feats.clear();
                lower.clear();
                extract(&self.text, toks, n == 0, &mut feats, &mut lower);
                let marks = m.gazetteer.marks(&lower, None);
                let em = emissions(&feats, &marks, &get);
                for (l, label) in Label::ALL.into_iter().enumerate() {
                    if !m.active[l] {
                        continue;
                    }
                    let tags = viterbi(&em, l, &trans[l]);
                    for (r, confidence) in spans_of(&tags, &em, l, &trans[l]) {
                        let (Some(a), Some(b)) = (toks.get(r.start), toks.get(r.end - 1)) else {
                            continue;
                        };
                        self.out.push(Suggestion {
                            start: a.start,
                            end: b.end,
                            label,
                            name: None,
                            source: Source::Model,
                            confidence,
                            why: "learned from your annotations".into(),
                            also: Vec::new(),
                            actors: vec![],
                        });
                    }
                }
            }
        }
        piece.tokens.len()
    }
}
