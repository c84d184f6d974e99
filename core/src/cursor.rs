//! The keyboard word cursor: which words arrow keys select.
//!
//! Words are listed in display order (headline, summary, then the body), each
//! with the index of its block. Without Shift an arrow selects the next or
//! previous word; with Shift it extends or shrinks the selection by a word.
//! A selection never crosses from the headline or summary into another block,
//! since their display order differs from their text order.

use crate::article::{Article, BlockKind};
use crate::span::words;

/// A word: code-point range and the index of its block in `Article::blocks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// First code point.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Index of its block in [`Article::blocks`].
    pub block: usize,
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

/// Every word of the article in display order.
pub fn display_words(article: &Article) -> Vec<Word> {
    let mut out = Vec::new();
    for i in display_order(article) {
        let block = &article.blocks()[i];
        for (s, e) in words(&block.text) {
            out.push(Word {
                start: block.range.start + s,
                end: block.range.start + e,
                block: i,
            });
        }
    }
    out
}

/// A cursor key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Select the next word.
    Next,
    /// Select the previous word.
    Previous,
    /// Add the next word to the selection.
    ExtendNext,
    /// Take the last word off the selection, or add the previous word when
    /// only one is selected.
    ExtendPrevious,
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

/// The selection after a cursor key, from the current one (`None` when
/// nothing is selected). Returns `None` when there is no word to select.
pub fn step(
    article: &Article,
    words: &[Word],
    current: Option<(usize, usize)>,
    key: Move,
) -> Option<(usize, usize)> {
    let Some((a, b)) = current else {
        return match key {
            Move::Next | Move::ExtendNext => words.first().map(|w| (w.start, w.end)),
            Move::Previous | Move::ExtendPrevious => words.last().map(|w| (w.start, w.end)),
        };
    };
    // The words the selection touches, as positions in display order
    // (contiguous: a selection never leaves its block unless in the body).
    let touches = |w: &Word| w.end > a && w.start < b;
    let Some(first) = words.iter().position(touches) else {
        // Only punctuation or spaces selected: move to the nearest word.
        let near = match key {
            Move::Next | Move::ExtendNext => words.iter().find(|w| w.start >= b),
            Move::Previous | Move::ExtendPrevious => words.iter().rev().find(|w| w.end <= a),
        };
        return near.map(|w| (w.start, w.end)).or(Some((a, b)));
    };
    let last = words.iter().rposition(touches).unwrap_or(first);
    match key {
        Move::Next => {
            let next = words.get(last + 1).unwrap_or(&words[last]);
            Some((next.start, next.end))
        }
        Move::Previous => {
            let prev = &words[first.saturating_sub(1)];
            Some((prev.start, prev.end))
        }
        Move::ExtendNext => {
            let next = words.get(last + 1)?;
            if may_join(article, words[first].block, next.block) {
                Some((words[first].start, next.end))
            } else {
                Some((a, b))
            }
        }
        Move::ExtendPrevious => {
            if last > first {
                Some((words[first].start, words[last - 1].end))
            } else {
                let prev = words.get(first.checked_sub(1)?)?;
                if may_join(article, prev.block, words[first].block) {
                    Some((prev.start, words[last].end))
                } else {
                    Some((a, b))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::slice_cp;

    fn quote(article: &Article, sel: Option<(usize, usize)>) -> String {
        sel.map(|(a, b)| slice_cp(article.text(), a, b).to_string())
            .unwrap_or_default()
    }

    #[test]
    fn walking_and_extending_by_words() {
        let article =
            Article::parse("x", "Sum one\nHead line\n\nBody “two” words\nNext para").expect("ok");
        let words = display_words(&article);
        let order: Vec<_> = words
            .iter()
            .map(|w| slice_cp(article.text(), w.start, w.end))
            .collect();
        assert_eq!(
            order,
            ["Head", "line", "Sum", "one", "Body", "two", "words", "Next", "para"]
        );
        let mut sel = None;
        let mut seen = Vec::new();
        for _ in 0..10 {
            sel = step(&article, &words, sel, Move::Next);
            seen.push(quote(&article, sel));
        }
        assert_eq!(
            seen,
            ["Head", "line", "Sum", "one", "Body", "two", "words", "Next", "para", "para"]
        );
        let back = step(&article, &words, sel, Move::Previous);
        assert_eq!(quote(&article, back), "Next");
        // Extend from "two" across the paragraph break, then shrink.
        let two = Some((words[5].start, words[5].end));
        let ext = step(&article, &words, two, Move::ExtendNext);
        assert_eq!(quote(&article, ext), "two” words");
        let ext = step(&article, &words, ext, Move::ExtendNext);
        assert_eq!(quote(&article, ext), "two” words\nNext");
        let ext = step(&article, &words, ext, Move::ExtendPrevious);
        assert_eq!(quote(&article, ext), "two” words");
        let ext = step(&article, &words, two, Move::ExtendPrevious);
        assert_eq!(quote(&article, ext), "Body “two");
        // The summary never joins the body.
        let one = Some((words[3].start, words[3].end));
        assert_eq!(
            quote(&article, step(&article, &words, one, Move::ExtendNext)),
            "one"
        );
        // Nothing selected: arrows start at either end.
        assert_eq!(
            quote(&article, step(&article, &words, None, Move::Previous)),
            "para"
        );
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
