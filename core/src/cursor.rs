//! The keyboard cursor: which words, sentences and blocks cursor keys select.
//!
//! Words (UAX #29 word bounds with a letter or digit, see [`words`]) and
//! sentences (UAX #29 sentence bounds, trimmed) are listed in display order
//! (headline, summary, then the body), each with the index of its block. The
//! cursor is the current selection `(anchor, focus)` (code points, either
//! order); the app takes it from the DOM selection, else the selected
//! annotation, else where the cursor last was, so keys continue from there.
//!
//! | key | [`Move`] | selects |
//! | --- | --- | --- |
//! | → / ← | `Next` / `Previous` | the word after the selection's last word / before its first |
//! | Shift+→ / Shift+← | `ExtendNext` / `ExtendPrevious` | moves the focus end a word right / left (the anchor rule below) |
//! | ↓ / ↑ | `NextSentence` / `PreviousSentence` | the first word of the next sentence / of this sentence, or of the previous one when the selection already starts there |
//! | Shift+↓ / Shift+↑ | `ExtendNextSentence` / `ExtendPreviousSentence` | moves the focus to the last word of its sentence (of the next one when already there) / to the first word of its sentence (of the previous one) |
//! | Ctrl+↓ / Ctrl+↑ | `NextBlock` / `PreviousBlock` | the first word of the next block / of this block, or of the previous one when already there |
//! | Home / End | `BlockStart` / `BlockEnd` | the first / last word of the block |
//! | Ctrl+Home / Ctrl+End | `ArticleStart` / `ArticleEnd` | the first / last word of the article |
//! | S | `Sentence` | the whole sentence(s) the selection touches, with their punctuation |
//!
//! **Extending (the anchor rule).** The selection has an anchor word (where
//! it started: the first word of a forward selection, the last of a backward
//! one; a single word counts as forward) and a focus word (the other end).
//! Shift+→ / Shift+← move the focus one word right / left; the anchor word
//! stays selected. So from "two" in "one two three": Shift+→ gives
//! "two three", then Shift+← shrinks it back to "two", then Shift+← grows it
//! to "one two" (a backward selection), then Shift+→ shrinks it to "two". The
//! ends always fall on word bounds. At the article's edge, or when the focus
//! would cross from the headline or summary into another block, nothing
//! changes.
//!
//! With nothing selected and no cursor, ←, Shift+← and Ctrl+End select the
//! last word, S the first sentence and every other key the first word.

use unicode_segmentation::UnicodeSegmentation;

use crate::article::{Article, BlockKind};
use crate::span::words;

/// A word: code-point range, the index of its block in `Article::blocks` and
/// of its sentence in [`Layout::sentences`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// First code point.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Index of its block in [`Article::blocks`].
    pub block: usize,
    /// Index of its sentence in [`Layout::sentences`].
    pub sentence: usize,
}

/// A sentence holding at least one word: its code-point range without the
/// surrounding whitespace, and the index of its block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// First code point.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Index of its block in [`Article::blocks`].
    pub block: usize,
}

/// An article's words and sentences in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// Every word, in display order.
    pub words: Vec<Word>,
    /// Every sentence that holds a word, in display order.
    pub sentences: Vec<Sentence>,
}

/// The blocks of an article in display order: headline, summary, body.
pub fn display_order(article: &Article) -> Vec<usize> {
    let blocks = article.blocks();
    let of = |kind: BlockKind| (0..blocks.len()).filter(move |&i| blocks[i].kind == kind);
    of(BlockKind::Headline)
        .chain(of(BlockKind::Summary))
        .chain(of(BlockKind::Paragraph))
        .collect()
}

/// The words and sentences of the article in display order.
pub fn layout(article: &Article) -> Layout {
    let mut out = Layout::default();
    for i in display_order(article) {
        let block = &article.blocks()[i];
        let base = block.range.start;
        let block_words = words(&block.text);
        let mut next = 0usize;
        let mut cp = 0usize;
        for piece in block.text.split_sentence_bounds() {
            let n = piece.chars().count();
            let end = cp + n;
            let lead = piece.chars().take_while(|c| c.is_whitespace()).count();
            let trail = piece
                .chars()
                .rev()
                .take_while(|c| c.is_whitespace())
                .count();
            let first = next;
            while next < block_words.len() && block_words[next].0 < end {
                let (s, e) = block_words[next];
                out.words.push(Word {
                    start: base + s,
                    end: base + e,
                    block: i,
                    sentence: out.sentences.len(),
                });
                next += 1;
            }
            if next > first {
                out.sentences.push(Sentence {
                    start: base + cp + lead,
                    end: base + end - trail.min(n - lead),
                    block: i,
                });
            }
            cp = end;
        }
    }
    // Kept while the article is open: no room left over from growing.
    out.words.shrink_to_fit();
    out.sentences.shrink_to_fit();
    out
}

/// A cursor key (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Select the next word (→).
    Next,
    /// Select the previous word (←).
    Previous,
    /// Move the focus a word right (Shift+→).
    ExtendNext,
    /// Move the focus a word left (Shift+←).
    ExtendPrevious,
    /// Select the first word of the next sentence (↓).
    NextSentence,
    /// Select the first word of this sentence, or of the previous one (↑).
    PreviousSentence,
    /// Move the focus to the end of its sentence, or of the next (Shift+↓).
    ExtendNextSentence,
    /// Move the focus to the start of its sentence, or of the previous
    /// (Shift+↑).
    ExtendPreviousSentence,
    /// Select the first word of the next block (Ctrl+↓).
    NextBlock,
    /// Select the first word of this block, or of the previous one (Ctrl+↑).
    PreviousBlock,
    /// Select the first word of the block (Home).
    BlockStart,
    /// Select the last word of the block (End).
    BlockEnd,
    /// Select the first word of the article (Ctrl+Home).
    ArticleStart,
    /// Select the last word of the article (Ctrl+End).
    ArticleEnd,
    /// Select the whole sentence(s) the selection touches (S).
    Sentence,
}

/// Whether a span may run from block `a` to block `b`.
pub fn may_join(article: &Article, a: usize, b: usize) -> bool {
    let body = |i: usize| {
        article
            .blocks()
            .get(i)
            .is_some_and(|blk| blk.kind == BlockKind::Paragraph)
    };
    a == b || (body(a) && body(b))
}

/// Positions (in display order) of the first and last word that share
/// `key(words[k])`; such words are contiguous.
fn group(words: &[Word], k: usize, key: impl Fn(&Word) -> usize) -> (usize, usize) {
    let g = key(&words[k]);
    let mut lo = k;
    while lo > 0 && key(&words[lo - 1]) == g {
        lo -= 1;
    }
    let mut hi = k;
    while hi + 1 < words.len() && key(&words[hi + 1]) == g {
        hi += 1;
    }
    (lo, hi)
}

/// The selection `(anchor, focus)` after a cursor key, from the current one
/// (`(anchor, focus)` in either order, `None` when there is no cursor).
/// Returns `None` when the article has no word.
pub fn step(
    article: &Article,
    layout: &Layout,
    current: Option<(usize, usize)>,
    key: Move,
) -> Option<(usize, usize)> {
    let words = &layout.words;
    let last_word = words.len().checked_sub(1)?;
    let word = |k: usize| (words[k].start, words[k].end);
    let Some((anchor, focus)) = current else {
        return match key {
            Move::Previous | Move::ExtendPrevious | Move::ArticleEnd => Some(word(last_word)),
            Move::Sentence => layout.sentences.first().map(|s| (s.start, s.end)),
            _ => Some(word(0)),
        };
    };
    let (a, b) = (anchor.min(focus), anchor.max(focus));
    let backward = focus < anchor;
    // The words the selection touches, as positions in display order
    // (contiguous: a selection never leaves its block unless in the body).
    let touches = |w: &Word| w.end > a && w.start < b;
    let (first, last) = match words.iter().position(touches) {
        Some(first) => (first, words.iter().rposition(touches).unwrap_or(first)),
        None => {
            // Only punctuation or spaces selected: the nearest word stands in.
            let ahead = !matches!(
                key,
                Move::Previous
                    | Move::ExtendPrevious
                    | Move::PreviousSentence
                    | Move::ExtendPreviousSentence
                    | Move::PreviousBlock
            );
            let near = if ahead {
                words.iter().position(|w| w.start >= b)
            } else {
                words.iter().rposition(|w| w.end <= a)
            };
            let Some(k) = near else {
                return Some((anchor, focus));
            };
            if matches!(
                key,
                Move::Next | Move::Previous | Move::ExtendNext | Move::ExtendPrevious
            ) {
                return Some(word(k));
            }
            (k, k)
        }
    };
    let sentence_of = |k: usize| group(words, k, |w| w.sentence);
    let block_of = |k: usize| group(words, k, |w| w.block);
    let select = |k: usize| Some(word(k));
    match key {
        Move::Next => select((last + 1).min(last_word)),
        Move::Previous => select(first.saturating_sub(1)),
        Move::NextSentence => {
            let (_, end) = sentence_of(last);
            select(if end < last_word { end + 1 } else { last_word })
        }
        Move::PreviousSentence => {
            let (start, _) = sentence_of(first);
            if first > start || start == 0 {
                select(start)
            } else {
                select(sentence_of(start - 1).0)
            }
        }
        Move::NextBlock => {
            let (_, end) = block_of(last);
            select(if end < last_word { end + 1 } else { last_word })
        }
        Move::PreviousBlock => {
            let (start, _) = block_of(first);
            if first > start || start == 0 {
                select(start)
            } else {
                select(block_of(start - 1).0)
            }
        }
        Move::BlockStart => select(block_of(first).0),
        Move::BlockEnd => select(block_of(last).1),
        Move::ArticleStart => select(0),
        Move::ArticleEnd => select(last_word),
        Move::Sentence => {
            let s1 = &layout.sentences[words[first].sentence];
            let s2 = &layout.sentences[words[last].sentence];
            if may_join(article, s1.block, s2.block) {
                Some((s1.start, s2.end))
            } else {
                Some((s1.start, s1.end))
            }
        }
        Move::ExtendNext
        | Move::ExtendPrevious
        | Move::ExtendNextSentence
        | Move::ExtendPreviousSentence => {
            let (anchor_word, focus_word) = if backward {
                (last, first)
            } else {
                (first, last)
            };
            let target = match key {
                Move::ExtendNext => (focus_word < last_word).then_some(focus_word + 1),
                Move::ExtendPrevious => focus_word.checked_sub(1),
                Move::ExtendNextSentence => {
                    let (_, end) = sentence_of(focus_word);
                    if focus_word < end {
                        Some(end)
                    } else if end < last_word {
                        Some(sentence_of(end + 1).1)
                    } else {
                        None
                    }
                }
                _ => {
                    let (start, _) = sentence_of(focus_word);
                    if focus_word > start {
                        Some(start)
                    } else if start > 0 {
                        Some(sentence_of(start - 1).0)
                    } else {
                        None
                    }
                }
            };
            match target {
                Some(f) if may_join(article, words[anchor_word].block, words[f].block) => {
                    if f >= anchor_word {
                        Some((words[anchor_word].start, words[f].end))
                    } else {
                        Some((words[anchor_word].end, words[f].start))
                    }
                }
                _ => Some((anchor, focus)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::slice_cp;

    fn quote(article: &Article, sel: Option<(usize, usize)>) -> String {
        sel.map(|(a, b)| slice_cp(article.text(), a.min(b), a.max(b)).to_string())
            .unwrap_or_default()
    }

    fn article() -> Article {
        Article::parse(
            "x",
            "Sum one. Sum two.\nHead line\n\nBody “two” words. Second one here.\n\nThird para? Yes.",
        )
        .expect("ok")
    }

    #[test]
    fn words_and_sentences_in_display_order() {
        let article = article();
        let layout = layout(&article);
        let words: Vec<_> = layout
            .words
            .iter()
            .map(|w| slice_cp(article.text(), w.start, w.end))
            .collect();
        assert_eq!(
            words,
            [
                "Head", "line", "Sum", "one", "Sum", "two", "Body", "two", "words", "Second",
                "one", "here", "Third", "para", "Yes"
            ]
        );
        let sentences: Vec<_> = layout
            .sentences
            .iter()
            .map(|s| slice_cp(article.text(), s.start, s.end))
            .collect();
        assert_eq!(
            sentences,
            [
                "Head line",
                "Sum one.",
                "Sum two.",
                "Body “two” words.",
                "Second one here.",
                "Third para?",
                "Yes."
            ]
        );
        let of: Vec<_> = layout.words.iter().map(|w| w.sentence).collect();
        assert_eq!(of, [0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6]);
    }

    /// Every key from a given cursor: (from, key, expected quote, expected
    /// direction). `from` is `None` (no cursor), a word `W(k)` (forward), a
    /// forward range `F(i, j)` (word i's start to word j's end) or a
    /// backward one `B(j, i)` (anchor at word j's end, focus at word i's
    /// start).
    #[test]
    fn cursor_keys_table() {
        #[derive(Clone, Copy)]
        enum At {
            None,
            W(usize),
            F(usize, usize),
            B(usize, usize),
            Raw(usize, usize),
        }
        use At::{Raw, B, F, W};
        use Move::*;
        let article = article();
        let layout = layout(&article);
        let w = &layout.words;
        let open_quote = (w[6].end + 1, w[6].end + 2); // “
        let rows: Vec<(At, Move, &str, bool)> = vec![
            // No cursor: start at either end.
            (At::None, Next, "Head", false),
            (At::None, Previous, "Yes", false),
            (At::None, ExtendNext, "Head", false),
            (At::None, NextBlock, "Head", false),
            (At::None, ArticleEnd, "Yes", false),
            (At::None, Sentence, "Head line", false),
            // Words (display order: the headline before the summary).
            (W(8), Next, "Second", false),
            (W(6), Previous, "two", false),
            (W(1), Next, "Sum", false),
            (W(14), Next, "Yes", false),
            (W(0), Previous, "Head", false),
            (F(6, 8), Next, "Second", false),
            (F(6, 8), Previous, "two", false),
            (B(8, 7), Next, "Second", false),
            (B(8, 7), Previous, "Body", false),
            (B(8, 6), Sentence, "Body “two” words.", false),
            // Only punctuation selected: the nearest word.
            (Raw(open_quote.0, open_quote.1), Next, "two", false),
            (Raw(open_quote.0, open_quote.1), Previous, "Body", false),
            // Sentences.
            (W(7), NextSentence, "Second", false),
            (W(11), NextSentence, "Third", false),
            (W(14), NextSentence, "Yes", false),
            (W(7), PreviousSentence, "Body", false),
            (W(6), PreviousSentence, "Sum", false),
            (W(2), PreviousSentence, "Head", false),
            (W(0), PreviousSentence, "Head", false),
            (W(7), Sentence, "Body “two” words.", false),
            (
                F(7, 9),
                Sentence,
                "Body “two” words. Second one here.",
                false,
            ),
            (
                F(11, 12),
                Sentence,
                "Second one here.\n\nThird para?",
                false,
            ),
            (W(3), Sentence, "Sum one.", false),
            (
                Raw(open_quote.0, open_quote.1),
                NextSentence,
                "Second",
                false,
            ),
            // Blocks.
            (W(10), NextBlock, "Third", false),
            (W(1), NextBlock, "Sum", false),
            (W(14), NextBlock, "Yes", false),
            (W(10), PreviousBlock, "Body", false),
            (W(6), PreviousBlock, "Sum", false),
            (W(2), PreviousBlock, "Head", false),
            (W(10), BlockStart, "Body", false),
            (W(10), BlockEnd, "here", false),
            (W(3), BlockEnd, "two", false),
            (W(10), ArticleStart, "Head", false),
            (W(10), ArticleEnd, "Yes", false),
        ];
        for (i, (from, key, want, back)) in rows.into_iter().enumerate() {
            let current = match from {
                At::None => None,
                W(k) => Some((w[k].start, w[k].end)),
                F(i, j) => Some((w[i].start, w[j].end)),
                B(j, i) => Some((w[j].end, w[i].start)),
                Raw(a, b) => Some((a, b)),
            };
            let got = step(&article, &layout, current, key);
            assert_eq!(quote(&article, got), want, "row {i}: {key:?}");
            assert_eq!(got.is_some_and(|(a, f)| f < a), back, "row {i}: direction");
        }
    }

    /// The anchor rule for Shift+arrows, as (from, key, to): `(i, j)` is the
    /// selection from word i (anchor) to word j (focus), so `i > j` is a
    /// backward selection; `None` = unchanged.
    #[test]
    fn extending_follows_the_anchor_rule() {
        use Move::*;
        let article = article();
        let layout = layout(&article);
        let w = &layout.words;
        let sel = |(i, j): (usize, usize)| {
            if j >= i {
                (w[i].start, w[j].end)
            } else {
                (w[i].end, w[j].start)
            }
        };
        type Row = ((usize, usize), Move, Option<(usize, usize)>);
        let rows: Vec<Row> = vec![
            // Grow right, shrink back, grow left past the anchor, shrink back.
            ((7, 7), ExtendNext, Some((7, 8))),
            ((7, 8), ExtendNext, Some((7, 9))),
            ((7, 9), ExtendPrevious, Some((7, 8))),
            ((7, 8), ExtendPrevious, Some((7, 7))),
            ((7, 7), ExtendPrevious, Some((7, 6))),
            ((7, 6), ExtendPrevious, None), // the summary never joins the body
            ((7, 6), ExtendNext, Some((7, 7))),
            ((8, 6), ExtendNext, Some((8, 7))),
            ((8, 7), ExtendNext, Some((8, 8))),
            // Across paragraphs (body blocks join), never out of the summary.
            ((11, 11), ExtendNext, Some((11, 12))),
            ((12, 12), ExtendPrevious, Some((12, 11))),
            ((3, 3), ExtendNext, Some((3, 4))),
            ((5, 5), ExtendNext, None),
            ((2, 2), ExtendPrevious, None),
            ((14, 14), ExtendNext, None),
            ((0, 0), ExtendPrevious, None),
            // By sentence: the focus to its sentence's last / first word.
            ((7, 7), ExtendNextSentence, Some((7, 8))),
            ((7, 8), ExtendNextSentence, Some((7, 11))),
            ((8, 8), ExtendNextSentence, Some((8, 11))),
            ((7, 11), ExtendPreviousSentence, Some((7, 9))),
            ((7, 9), ExtendPreviousSentence, Some((7, 6))),
            ((8, 8), ExtendPreviousSentence, Some((8, 6))),
            ((6, 6), ExtendPreviousSentence, None),
            ((14, 14), ExtendNextSentence, None),
        ];
        for ((i, j), key, want) in rows {
            let from = sel((i, j));
            let got = step(&article, &layout, Some(from), key);
            assert_eq!(
                got,
                Some(want.map_or(from, sel)),
                "({i}, {j}) {key:?}: got {:?}",
                quote(&article, got)
            );
        }
    }

    #[test]
    fn reaching_the_second_paragraph_of_the_seed_takes_few_keys() {
        let text = include_str!("../../seeds/000_6ee9234a710e1662.txt");
        let article = Article::parse("x", text).expect("the seed parses");
        let layout = layout(&article);
        let paragraphs: Vec<_> = article
            .blocks()
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind == BlockKind::Paragraph && !b.text.trim().is_empty())
            .map(|(i, _)| i)
            .collect();
        let mut sel = None;
        for _ in 0..4 {
            sel = step(&article, &layout, sel, Move::NextBlock);
        }
        // Headline → summary → paragraph 1 → paragraph 2.
        let (a, _) = sel.expect("a word");
        assert_eq!(block_at(&article, a), Some(paragraphs[1]));
    }
}

/// Index of the block holding code point `cp` (a block's end counts as in it).
pub fn block_at(article: &Article, cp: usize) -> Option<usize> {
    article
        .blocks()
        .iter()
        .position(|b| b.range.start <= cp && cp <= b.range.end)
}

/// Clamps a selection `anchor → focus` so that it never crosses from the
/// headline or summary into another block: the part in the anchor's block is
/// kept. Body paragraphs may be crossed freely.
pub fn clamp_selection(article: &Article, anchor: usize, focus: usize) -> (usize, usize) {
    let (Some(a), Some(f)) = (block_at(article, anchor), block_at(article, focus)) else {
        return (anchor, focus);
    };
    if may_join(article, a, f) {
        return (anchor, focus);
    }
    let range = &article.blocks()[a].range;
    if focus > anchor {
        (anchor, range.end)
    } else {
        (anchor, range.start)
    }
}

#[cfg(test)]
mod clamp_tests {
    use super::*;

    #[test]
    fn clamping_table() {
        // Sum: 0..3, Head: 4..8, P1: 10..12, P2: 13..15
        let article = Article::parse("x", "Sum\nHead\n\nP1\nP2").expect("ok");
        let rows = [
            ((0, 2), (0, 2)),
            ((1, 6), (1, 3)),
            ((6, 1), (6, 4)),
            ((2, 11), (2, 3)),
            ((11, 14), (11, 14)),
            ((14, 11), (14, 11)),
            ((5, 11), (5, 8)),
        ];
        for ((a, f), want) in rows {
            assert_eq!(clamp_selection(&article, a, f), want, "{a}->{f}");
        }
    }
}
