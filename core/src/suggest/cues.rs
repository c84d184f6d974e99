//! Cues: reporting and commitment phrases suggest claims and commitments.
//!
//! The rules are data: [`CUES`] says which words make a cue, which label
//! the suggestion gets, which part of the sentence it covers ([`Take`])
//! and how sure it is; [`STOPS`] ends an action phrase, [`PREPOSITIONS`]
//! keeps places ("met in Yokosuka") out of a sentence's subject and
//! [`OBJECTS`] are the listeners "told" may name. A cue's source or actors
//! are the entities (tagged, or suggested by the other sources) where the
//! rule says the speaker or subject is.
//!
//! One rule is not per cue: a reported clause that holds a commitment cue
//! ("X and Y agreed to …, the ministry said") is suggested as the
//! commitment only, not also as a claim.

use std::ops::Range;

use super::tokens::{sentences, Kind, Token};
use super::{Source, Suggestion};
use crate::label::Label;

/// Which part of the sentence a cue's suggestion covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// A commitment: from the cue to the end of its clause ("agreed to
    /// strengthen defence cooperation"); actors: the sentence's subject.
    Action,
    /// A claim: the clause after the cue ("said (that) …"), or before it
    /// when the cue ends the sentence ("…, the ministry said."); source:
    /// the entity just before the cue, else the subject.
    Reported,
    /// A claim after a listener: "told Ahn (that) …".
    Told,
    /// A claim with its source after the cue: "according to X, …" or
    /// "…, according to X."
    AccordingTo,
}

/// One cue rule.
#[derive(Debug, Clone, Copy)]
pub struct Cue {
    /// Its words, lower case; `*` stands for one to three words (exactly
    /// one when last: "will *").
    pub words: &'static [&'static str],
    /// The label suggested.
    pub label: Label,
    /// What the suggestion covers.
    pub take: Take,
    /// How sure it is (the threshold hides weak ones).
    pub confidence: f32,
}

const fn cue(words: &'static [&'static str], label: Label, take: Take, confidence: f32) -> Cue {
    Cue {
        words,
        label,
        take,
        confidence,
    }
}

use Label::{Claim, Commitment};
use Take::{AccordingTo, Action, Reported, Told};

/// The cue rules, tried longest first at each word.
pub const CUES: &[Cue] = &[
    cue(&["agreed", "to"], Commitment, Action, 0.8),
    cue(&["agreed", "*", "to"], Commitment, Action, 0.75),
    cue(&["agree", "to"], Commitment, Action, 0.7),
    cue(&["agrees", "to"], Commitment, Action, 0.75),
    cue(&["committed", "to"], Commitment, Action, 0.8),
    cue(&["commit", "to"], Commitment, Action, 0.7),
    cue(&["commits", "to"], Commitment, Action, 0.75),
    cue(&["pledged", "to"], Commitment, Action, 0.8),
    cue(&["pledged"], Commitment, Action, 0.65),
    cue(&["pledges", "to"], Commitment, Action, 0.75),
    cue(&["vowed", "to"], Commitment, Action, 0.8),
    cue(&["vows", "to"], Commitment, Action, 0.75),
    cue(&["promised", "to"], Commitment, Action, 0.8),
    cue(&["promises", "to"], Commitment, Action, 0.75),
    cue(&["undertook", "to"], Commitment, Action, 0.75),
    cue(&["undertakes", "to"], Commitment, Action, 0.75),
    cue(&["will", "*"], Commitment, Action, 0.55),
    cue(&["said"], Claim, Reported, 0.7),
    cue(&["says"], Claim, Reported, 0.7),
    cue(&["told"], Claim, Told, 0.7),
    cue(&["claimed"], Claim, Reported, 0.7),
    cue(&["argued"], Claim, Reported, 0.65),
    cue(&["argues"], Claim, Reported, 0.65),
    cue(&["stated"], Claim, Reported, 0.65),
    cue(&["insisted"], Claim, Reported, 0.65),
    cue(&["warned"], Claim, Reported, 0.6),
    cue(&["noted"], Claim, Reported, 0.55),
    cue(&["according", "to"], Claim, AccordingTo, 0.7),
];

/// Phrases that end an action phrase ("agreed to conduct exercises as
/// part of efforts…" stops before "as part of").
pub const STOPS: &[&[&str]] = &[
    &["as", "part", "of"],
    &["in", "order", "to"],
    &["while"],
    &["amid"],
    &["because"],
    &["but"],
    &["according", "to"],
    &["said"],
    &["officials", "said"],
];

/// Punctuation that ends a clause.
const CLAUSE_ENDS: &[&str] = &[",", ";", ":", ".", "!", "?", "—", "(", "…"];

/// Words after which an entity is not the subject ("met in Yokosuka").
pub const PREPOSITIONS: &[&str] = &[
    "in", "at", "from", "with", "to", "of", "on", "by", "for", "into", "near", "about", "after",
    "before", "between", "among", "than", "told", "met",
];

/// Listeners "told" may name when neither an entity nor a capitalised
/// name follows it.
pub const OBJECTS: &[&str] = &[
    "him",
    "her",
    "them",
    "us",
    "me",
    "reporters",
    "journalists",
    "parliament",
    "lawmakers",
];

/// Words skipped between a reporting verb and what was reported.
const LEADS: &[&str] = &["that", ":", ","];

/// The text of token `i`, lower case ("" past the end).
fn low(tokens: &[Token], text: &str, i: usize) -> String {
    tokens
        .get(i)
        .map(|t| t.text(text).to_lowercase())
        .unwrap_or_default()
}

/// Whether the cue's words match at token `i` (within `sentence`); the
/// index after the match.
fn matches(
    cue: &Cue,
    tokens: &[Token],
    text: &str,
    i: usize,
    sentence: &Range<usize>,
) -> Option<usize> {
    let mut at = i;
    for (k, w) in cue.words.iter().enumerate() {
        if *w == "*" {
            let last = k + 1 == cue.words.len();
            let max = if last { 1 } else { 3 };
            let next = cue.words.get(k + 1).copied().unwrap_or("");
            let mut n = 0;
            loop {
                let t = tokens.get(at).filter(|_| at < sentence.end)?;
                if t.kind != Kind::Word {
                    return None;
                }
                at += 1;
                n += 1;
                if last || low(tokens, text, at) == next || n >= max {
                    break;
                }
            }
            if !last && low(tokens, text, at) != next {
                return None;
            }
            continue;
        }
        let t = tokens.get(at).filter(|_| at < sentence.end)?;
        if t.kind != Kind::Word || !t.text(text).eq_ignore_ascii_case(w) {
            return None;
        }
        at += 1;
    }
    Some(at)
}

fn is_punct(tokens: &[Token], text: &str, i: usize, set: &[&str]) -> bool {
    tokens
        .get(i)
        .is_some_and(|t| t.kind == Kind::Punct && set.contains(&t.text(text)))
}

fn closing(tokens: &[Token], text: &str, i: usize) -> bool {
    is_punct(tokens, text, i, &["”", "\"", "’", "'", "»"])
}

/// Where the entities are: `(start, end)` spans sorted by start (they may
/// nest), and the longest one's length.
struct Entities<'a>(&'a [(usize, usize)], usize);

impl Entities<'_> {
    fn new(spans: &[(usize, usize)]) -> Entities<'_> {
        Entities(spans, spans.iter().map(|e| e.1 - e.0).max().unwrap_or(0))
    }

    /// The longest entity ending at `cp`.
    fn ending_at(&self, cp: usize) -> Option<(usize, usize)> {
        let to = self.0.partition_point(|e| e.0 < cp);
        let from = self.0.partition_point(|e| e.0 + self.1 < cp);
        self.0
            .get(from..to)?
            .iter()
            .filter(|e| e.1 == cp)
            .min_by_key(|e| e.0)
            .copied()
    }

    /// The longest entity starting at `cp`.
    fn starting_at(&self, cp: usize) -> Option<(usize, usize)> {
        let i = self.0.partition_point(|e| e.0 < cp);
        self.0
            .get(i..)?
            .iter()
            .take_while(|e| e.0 == cp)
            .max_by_key(|e| e.1)
            .copied()
    }

    fn within(&self, start: usize, end: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let i = self.0.partition_point(|e| e.0 < start);
        self.0[i..]
            .iter()
            .take_while(move |e| e.0 < end)
            .filter(move |e| e.1 <= end)
            .copied()
    }
}

/// The subject's entities of the clause before token `cue_at`: the
/// entities from the clause's start to the cue, except those right after
/// a preposition.
fn subject(
    tokens: &[Token],
    text: &str,
    entities: &Entities,
    sentence: &Range<usize>,
    cue_at: usize,
) -> Vec<(usize, usize)> {
    let (Some(first), Some(cue)) = (tokens.get(sentence.start), tokens.get(cue_at)) else {
        return Vec::new();
    };
    entities
        .within(first.start, cue.start)
        .filter(|e| {
            let i = super::tokens::first_after(tokens, e.0);
            i == 0
                || i <= sentence.start
                || !PREPOSITIONS.contains(&low(tokens, text, i - 1).as_str())
        })
        .collect()
}

/// The end of an action phrase starting at token `from`: the token index
/// before the first clause end or stop phrase.
fn action_end(tokens: &[Token], text: &str, from: usize, sentence: &Range<usize>) -> usize {
    let mut i = from;
    while i < sentence.end {
        if is_punct(tokens, text, i, CLAUSE_ENDS) {
            break;
        }
        let stop = STOPS.iter().any(|s| {
            s.iter()
                .enumerate()
                .all(|(k, w)| low(tokens, text, i + k) == *w)
        });
        if stop && i > from {
            break;
        }
        i += 1;
    }
    i
}

/// The end of a reported clause from `from`: the sentence's end, with its
/// final stop only when a closing quote follows it (the quote is part of
/// what was said).
fn reported_end(tokens: &[Token], text: &str, sentence: &Range<usize>) -> usize {
    let mut end = sentence.end;
    while end > sentence.start && closing(tokens, text, end - 1) {
        end -= 1;
    }
    let quoted = end < sentence.end;
    if end > sentence.start && is_punct(tokens, text, end - 1, &[".", "!", "?", "…"]) {
        if quoted {
            return sentence.end;
        }
        end -= 1;
    }
    end
}

fn skip_leads(tokens: &[Token], text: &str, mut i: usize, end: usize) -> usize {
    while i < end && LEADS.contains(&low(tokens, text, i).as_str()) {
        i += 1;
    }
    i
}

fn span_of(tokens: &[Token], from: usize, to: usize) -> Option<(usize, usize)> {
    if to <= from {
        return None;
    }
    Some((tokens.get(from)?.start, tokens.get(to - 1)?.end))
}

/// The suggestions the cues give in `text` (cut into `tokens`), with
/// `entities` (sorted spans of tagged and suggested entities) as the
/// possible speakers and actors.
pub fn find(text: &str, tokens: &[Token], entities: &[(usize, usize)]) -> Vec<Suggestion> {
    let entities = Entities::new(entities);
    let mut out: Vec<Suggestion> = Vec::new();
    let mut longest_first: Vec<&Cue> = CUES.iter().collect();
    longest_first.sort_by_key(|c| std::cmp::Reverse(c.words.len()));
    for sentence in sentences(tokens, text) {
        let mut i = sentence.start;
        while i < sentence.end {
            let hit = longest_first
                .iter()
                .find_map(|c| matches(c, tokens, text, i, &sentence).map(|after| (*c, after)));
            let Some((cue, after)) = hit else {
                i += 1;
                continue;
            };
            let cue_words = tokens
                .get(i..after)
                .map(|ts| {
                    ts.iter()
                        .map(|t| t.text(text))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            let made = match cue.take {
                Action => {
                    let end = action_end(tokens, text, after, &sentence);
                    span_of(tokens, i, end)
                        .filter(|_| end > after)
                        .map(|span| (span, subject(tokens, text, &entities, &sentence, i)))
                }
                Reported | Told => reported(tokens, text, &entities, &sentence, i, after, cue.take),
                AccordingTo => according_to(tokens, text, &entities, &sentence, i, after),
            };
            if let Some(((start, end), mut actors)) = made {
                // A claim has one source: the entity nearest the cue.
                if cue.label == Claim && actors.len() > 1 {
                    actors = actors.split_off(actors.len() - 1);
                }
                out.push(Suggestion {
                    start,
                    end,
                    label: cue.label,
                    name: None,
                    source: Source::Cue,
                    confidence: cue.confidence,
                    why: format!("after “{cue_words}”").into(),
                    also: Vec::new(),
                    actors,
                });
            }
            i = after;
        }
    }
    let commitments: Vec<(usize, usize)> = out
        .iter()
        .filter(|s| s.label == Commitment)
        .map(|s| (s.start, s.end))
        .collect();
    out.retain(|s| {
        s.label != Claim || !commitments.iter().any(|&(a, b)| s.start <= a && b <= s.end)
    });
    out
}

type Made = Option<((usize, usize), Vec<(usize, usize)>)>;

fn reported(
    tokens: &[Token],
    text: &str,
    entities: &Entities,
    sentence: &Range<usize>,
    cue_at: usize,
    after: usize,
    take: Take,
) -> Made {
    let speaker_before = tokens.get(cue_at).and_then(|t| {
        let prev = tokens.get(cue_at.checked_sub(1)?)?;
        entities.ending_at(prev.end).filter(|_| prev.end <= t.start)
    });
    let ends_sentence = after >= sentence.end
        || is_punct(tokens, text, after, &[".", "!", "?", "…"]) && {
            let mut k = after + 1;
            while k < sentence.end && closing(tokens, text, k) {
                k += 1;
            }
            k >= sentence.end
        };
    if ends_sentence && take == Take::Reported {
        // "…, the ministry said." — the clause before the last comma.
        let comma = (sentence.start..cue_at)
            .rev()
            .find(|&k| is_punct(tokens, text, k, &[","]))?;
        let mut end = comma;
        while end > sentence.start && closing(tokens, text, end - 1) {
            end -= 1;
        }
        let mut start = sentence.start;
        while start < end && is_punct(tokens, text, start, &["“", "\"", "‘", "«"]) {
            start += 1;
        }
        let who = match (tokens.get(comma), tokens.get(cue_at)) {
            (Some(c), Some(cue)) => entities.within(c.end, cue.start).collect(),
            _ => Vec::new(),
        };
        return span_of(tokens, start, end).map(|s| (s, who));
    }
    let mut from = after;
    if take == Take::Told {
        let listener = tokens.get(from).and_then(|t| entities.starting_at(t.start));
        match listener {
            Some((_, e)) => from = super::tokens::first_after(tokens, e),
            None if OBJECTS.contains(&low(tokens, text, from).as_str()) => from += 1,
            // A name not tagged yet: up to three capitalised words.
            None if tokens.get(from).is_some_and(|t| t.is_capitalised(text)) => {
                let mut k = from;
                while k < from + 3 && tokens.get(k).is_some_and(|t| t.is_capitalised(text)) {
                    k += 1;
                }
                from = k;
            }
            None => return None,
        }
    }
    let from = skip_leads(tokens, text, from, sentence.end);
    let end = reported_end(tokens, text, sentence);
    let who = match speaker_before {
        Some(e) => vec![e],
        None => subject(tokens, text, entities, sentence, cue_at),
    };
    // A few words are not a claim ("said on Friday.").
    let words = tokens
        .get(from..end)
        .map_or(0, |ts| ts.iter().filter(|t| t.kind == Kind::Word).count());
    if words < 3 {
        return None;
    }
    span_of(tokens, from, end).map(|s| (s, who))
}

fn according_to(
    tokens: &[Token],
    text: &str,
    entities: &Entities,
    sentence: &Range<usize>,
    cue_at: usize,
    after: usize,
) -> Made {
    let source = tokens
        .get(after)
        .and_then(|t| entities.starting_at(t.start));
    let who: Vec<(usize, usize)> = source.into_iter().collect();
    if cue_at == sentence.start {
        // "According to X, …."
        let comma = (after..sentence.end).find(|&k| is_punct(tokens, text, k, &[","]))?;
        let end = reported_end(tokens, text, sentence);
        return span_of(tokens, comma + 1, end).map(|s| (s, who));
    }
    // "…, according to X."
    let mut end = cue_at;
    while end > sentence.start && is_punct(tokens, text, end - 1, &[","]) {
        end -= 1;
    }
    span_of(tokens, sentence.start, end).map(|s| (s, who))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::tokens::tokenize;

    fn quote(text: &str, s: (usize, usize)) -> String {
        text.chars().skip(s.0).take(s.1 - s.0).collect()
    }

    fn entity(text: &str, word: &str) -> (usize, usize) {
        let b = text.find(word).unwrap();
        let s = text[..b].chars().count();
        (s, s + word.chars().count())
    }

    fn run(text: &str, names: &[&str]) -> Vec<(Label, String, Vec<String>)> {
        let mut ents: Vec<_> = names.iter().map(|n| entity(text, n)).collect();
        ents.sort();
        find(text, &tokenize(text), &ents)
            .into_iter()
            .map(|s| {
                (
                    s.label,
                    quote(text, (s.start, s.end)),
                    s.actors.iter().map(|a| quote(text, *a)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn commitments_with_their_subject() {
        assert_eq!(
            run(
                "South Korea and Japan agreed to strengthen defence cooperation, with a focus on AI.",
                &["South Korea", "Japan"]
            ),
            vec![(
                Commitment,
                "agreed to strengthen defence cooperation".into(),
                vec!["South Korea".into(), "Japan".into()]
            )]
        );
        assert_eq!(
            run(
                "The ministers met in Yokosuka and committed to joint exercises as part of a plan.",
                &["Yokosuka"]
            ),
            vec![(Commitment, "committed to joint exercises".into(), vec![])]
        );
        assert_eq!(
            run("Acme agreed on Friday to build a plant.", &["Acme"])[0].1,
            "agreed on Friday to build a plant"
        );
    }

    #[test]
    fn claims_after_and_before_the_verb() {
        assert_eq!(
            run(
                "Koizumi told Ahn trilateral cooperation is now “more important than ever.”",
                &["Koizumi", "Ahn"]
            ),
            vec![(
                Claim,
                "trilateral cooperation is now “more important than ever.”".into(),
                vec!["Koizumi".into()]
            )]
        );
        assert_eq!(
            run("The economy is recovering, the Bank said.", &["Bank"]),
            vec![(
                Claim,
                "The economy is recovering".into(),
                vec!["Bank".into()]
            )]
        );
        assert_eq!(
            run(
                "According to Reuters, the deal is worth five billion dollars.",
                &["Reuters"]
            ),
            vec![(
                Claim,
                "the deal is worth five billion dollars".into(),
                vec!["Reuters".into()]
            )]
        );
    }

    #[test]
    fn a_reported_agreement_is_a_commitment_only() {
        let got = run("Both sides agreed to hold talks, the ministry said.", &[]);
        assert_eq!(
            got,
            vec![(Commitment, "agreed to hold talks".into(), vec![])]
        );
    }
}
