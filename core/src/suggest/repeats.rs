//! Repeats: once a span is tagged, the same text elsewhere is suggested
//! with the same label (and, for an entity, the same `name`).
//!
//! Matching is by tokens ([`super::tokens`]): case is ignored, so is the
//! punctuation around the phrase, and a possessive ending is not part of a
//! word ("Japan's" holds "Japan"). A phrase never runs across a line
//! break. At each word the longest phrase wins. Suggestions that overlap an
//! annotation of their label (the tagged mention itself, or "South Korea"
//! inside a tagged "South Korea's Defence Ministry") are dropped later, by
//! [`super::combine`].

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::tokens::{Kind, Token};
use super::{Source, Suggestion};
use crate::annotation::AnnotationSet;
use crate::label::Label;

/// How sure a repeat is when the case matches the tagged text.
pub const SAME_CASE: f32 = 0.9;
/// How sure a repeat is when only the case differs ("apple" for "Apple").
pub const OTHER_CASE: f32 = 0.6;

/// One tagged phrase.
#[derive(Debug, Clone)]
struct Phrase {
    /// Normalised tokens (lower case, apostrophes as `'`).
    words: Vec<String>,
    /// The tokens as tagged (to tell a case difference).
    exact: Vec<String>,
    label: Label,
    name: Option<String>,
    /// Why it is suggested: "repeats “…”".
    why: std::sync::Arc<str>,
}

/// A phrase as tagged: its tokens, how often each name was given, a quote.
type Seen = (Vec<String>, HashMap<Option<String>, usize>, String);

/// The phrases tagged in some annotation sets, ready to find elsewhere.
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    phrases: Vec<Phrase>,
}

fn norm(word: &str) -> String {
    word.to_lowercase().replace('’', "'")
}

/// A tagged quote's tokens, without the punctuation and possessive ending
/// around it.
fn phrase_tokens(quote: &str) -> Vec<String> {
    let toks = super::tokens::tokenize(quote);
    let first = toks.iter().position(|t| t.kind == Kind::Word);
    let last = toks.iter().rposition(|t| t.kind == Kind::Word);
    match (first, last) {
        (Some(f), Some(l)) => toks[f..=l]
            .iter()
            .map(|t| t.text(quote).to_string())
            .collect(),
        _ => Vec::new(),
    }
}

impl Phrases {
    /// The phrases of every annotation in `sets`. One phrase tagged with
    /// two labels is kept under each; tagged with two names, under the one
    /// given most often.
    pub fn of<'a>(sets: impl IntoIterator<Item = &'a AnnotationSet>) -> Phrases {
        // (label, normalised words) → (exact tokens, name → count, quote)
        let mut seen: HashMap<(Label, Vec<String>), Seen> = HashMap::new();
        for set in sets {
            for a in set.items() {
                let exact = phrase_tokens(&a.quote);
                if exact.is_empty() {
                    continue;
                }
                let words: Vec<String> = exact.iter().map(|w| norm(w)).collect();
                let entry = seen
                    .entry((a.label, words))
                    .or_insert_with(|| (exact, HashMap::new(), a.quote.clone()));
                let name = a.attributes.name.clone().filter(|n| !n.trim().is_empty());
                *entry.1.entry(name).or_default() += 1;
            }
        }
        let mut phrases: Vec<Phrase> = seen
            .into_iter()
            .map(|((label, words), (exact, names, quote))| {
                let name = names
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                    .and_then(|(n, _)| n);
                Phrase {
                    words,
                    exact,
                    label,
                    name: if label == Label::Entity { name } else { None },
                    why: format!("same text as “{}”", super::super::session::shorten(&quote))
                        .into(),
                }
            })
            .collect();
        phrases.sort_by(|a, b| {
            b.words
                .len()
                .cmp(&a.words.len())
                .then_with(|| a.words.cmp(&b.words))
                .then(a.label.cmp(&b.label))
        });
        Phrases { phrases }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Every place in `text` (cut into `tokens`, numbered by `index`)
    /// where a phrase occurs.
    pub fn find(&self, text: &str, tokens: &[Token], index: &Index) -> Vec<Suggestion> {
        self.clone().matcher(index).find(text, tokens, &index.ids)
    }

    /// The phrases in an article's numbers, ready to find there.
    pub fn matcher(self, index: &Index) -> Matcher {
        // A phrase with a word the article does not have cannot occur.
        let mut by_first: FxHashMap<u32, Vec<(usize, Vec<u32>)>> = FxHashMap::default();
        for (pi, p) in self.phrases.iter().enumerate() {
            let ids: Option<Vec<u32>> = p
                .words
                .iter()
                .map(|w| index.vocab.get(w).copied())
                .collect();
            if let Some(ids) = ids.filter(|ids| !ids.is_empty()) {
                by_first.entry(ids[0]).or_default().push((pi, ids));
            }
        }
        Matcher {
            phrases: self.phrases,
            by_first,
        }
    }
}

/// Tagged phrases in one article's word numbers ([`Phrases::matcher`]).
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    phrases: Vec<Phrase>,
    /// First word's number → (phrase, its numbers), longest first.
    by_first: FxHashMap<u32, Vec<(usize, Vec<u32>)>>,
}

impl Matcher {
    /// Every place in `tokens` (any run of the article's tokens, `ids`
    /// their numbers) where a phrase occurs. Integer comparisons only, but
    /// for the matches' case check.
    pub fn find(&self, text: &str, tokens: &[Token], ids: &[u32]) -> Vec<Suggestion> {
        let mut out = Vec::new();
        if self.by_first.is_empty() {
            return out;
        }
        // Per label, the end of the last match: one label's repeats never
        // overlap each other.
        let mut busy_until = [0usize; 3];
        for (i, (t, id)) in tokens.iter().zip(ids).enumerate() {
            if t.kind != Kind::Word {
                continue;
            }
            let Some(candidates) = self.by_first.get(id) else {
                continue;
            };
            for (pi, want) in candidates {
                let Some(p) = self.phrases.get(*pi) else {
                    continue;
                };
                let li = Label::ALL.iter().position(|l| *l == p.label).unwrap_or(0);
                if busy_until[li] > t.start {
                    continue;
                }
                let (Some(found), Some(found_ids)) =
                    (tokens.get(i..i + want.len()), ids.get(i..i + want.len()))
                else {
                    continue;
                };
                if found_ids != want.as_slice() || found.iter().skip(1).any(|ft| ft.line_before) {
                    continue;
                }
                let (Some(first), Some(last)) = (found.first(), found.last()) else {
                    continue;
                };
                let same_case = found
                    .iter()
                    .zip(&p.exact)
                    .all(|(ft, w)| same_text(ft.text(text), w));
                busy_until[li] = last.end;
                out.push(Suggestion {
                    start: first.start,
                    end: last.end,
                    label: p.label,
                    name: p.name.clone(),
                    source: Source::Repeat,
                    confidence: if same_case { SAME_CASE } else { OTHER_CASE },
                    why: p.why.clone(),
                    also: Vec::new(),
                    actors: Vec::new(),
                });
            }
        }
        out
    }
}

/// Whether two words are the same text, apostrophes aside.
fn same_text(a: &str, b: &str) -> bool {
    let fold = |c: char| if c == '’' { '\'' } else { c };
    a.chars().map(fold).eq(b.chars().map(fold))
}

/// An article's tokens as numbers: each token's normalised text (lower
/// case, apostrophes as `'`) interned, so phrases match by comparing
/// integers. Made once per article (its text never changes).
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Per token, its word's number.
    ids: Vec<u32>,
    /// Normalised word → number.
    vocab: FxHashMap<String, u32>,
}

impl Index {
    /// The tokens' numbers.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// Numbers the tokens of `text`.
    pub fn new(text: &str, tokens: &[Token]) -> Index {
        let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
        let ids = tokens
            .iter()
            .map(|t| {
                let w = norm(t.text(text));
                let next = u32::try_from(vocab.len()).unwrap_or(u32::MAX);
                *vocab.entry(w).or_insert(next)
            })
            .collect();
        Index { ids, vocab }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Annotation;
    use crate::ids::{AnnotationId, Timestamp};
    use crate::span::Span;

    fn set_of(text: &str, spans: &[(usize, usize, Label)]) -> AnnotationSet {
        let mut set = AnnotationSet::new();
        for (i, &(s, e, l)) in spans.iter().enumerate() {
            let span = Span::new(s, e, text.chars().count()).unwrap();
            set.insert(Annotation::at(
                text,
                span,
                l,
                AnnotationId(format!("a{i}")),
                &Timestamp("2026-01-01T00:00:00Z".into()),
            ));
        }
        set
    }

    fn found(text: &str, set: &AnnotationSet) -> Vec<(String, f32)> {
        let tokens = super::super::tokens::tokenize(text);
        Phrases::of([set])
            .find(text, &tokens, &Index::new(text, &tokens))
            .into_iter()
            .map(|s| {
                let q: String = text.chars().skip(s.start).take(s.end - s.start).collect();
                (q, s.confidence)
            })
            .collect()
    }

    #[test]
    fn possessives_case_and_punctuation() {
        let text = "Japan met Korea. Japan's army, (japan) and JAPAN; Japanese not.";
        let set = set_of(text, &[(0, 5, Label::Entity)]);
        assert_eq!(
            found(text, &set),
            vec![
                ("Japan".into(), SAME_CASE),
                ("Japan".into(), SAME_CASE),
                ("japan".into(), OTHER_CASE),
                ("JAPAN".into(), OTHER_CASE),
            ]
        );
    }

    #[test]
    fn longest_phrase_first_and_no_line_crossing() {
        let text =
            "South Korea and South Korea's Defence Ministry.\nSouth Korea's\nDefence Ministry";
        let set = set_of(text, &[(0, 11, Label::Entity), (16, 46, Label::Entity)]);
        let f: Vec<String> = found(text, &set).into_iter().map(|x| x.0).collect();
        assert_eq!(
            f,
            vec![
                "South Korea",
                "South Korea's Defence Ministry",
                "South Korea"
            ]
        );
    }
}
