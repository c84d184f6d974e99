//! Half-open code-point spans with a checked constructor, and the rules that
//! turn a raw selection into a span: trimming and word snapping.
//!
//! Invariant: a [`Span`] always satisfies `start < end <= len` of the text it
//! was made for; the fields are private and only [`Span::new`] makes one.

use std::fmt;

use unicode_segmentation::UnicodeSegmentation;

/// A non-empty half-open range `[start, end)` of code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    start: usize,
    end: usize,
}

/// Why a span could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanError {
    /// `start >= end`: an annotation is never empty.
    Empty {
        /// The start given.
        start: usize,
        /// The end given.
        end: usize,
    },
    /// `end` is past the end of the text.
    OutOfRange {
        /// The end given.
        end: usize,
        /// The text's length in code points.
        len: usize,
    },
    /// Nothing but whitespace was selected.
    OnlyWhitespace,
}

impl fmt::Display for SpanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpanError::Empty { start, end } => {
                write!(f, "the span {start}..{end} is empty")
            }
            SpanError::OutOfRange { end, len } => {
                write!(
                    f,
                    "the span ends at {end}, past the text's {len} characters"
                )
            }
            SpanError::OnlyWhitespace => write!(f, "the selection holds only whitespace"),
        }
    }
}

impl std::error::Error for SpanError {}

impl Span {
    /// A span of a text `len` code points long; refuses empty or
    /// out-of-range spans.
    pub fn new(start: usize, end: usize, len: usize) -> Result<Span, SpanError> {
        if start >= end {
            return Err(SpanError::Empty { start, end });
        }
        if end > len {
            return Err(SpanError::OutOfRange { end, len });
        }
        Ok(Span { start, end })
    }

    /// First code point (inclusive).
    pub fn start(self) -> usize {
        self.start
    }

    /// End (exclusive).
    pub fn end(self) -> usize {
        self.end
    }

    /// Number of code points.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Always false: spans are never empty.
    pub fn is_empty(self) -> bool {
        false
    }

    /// True when the two spans share at least one code point.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `pos` is inside `[start, end)`.
    pub fn contains(self, pos: usize) -> bool {
        self.start <= pos && pos < self.end
    }
}

/// Turns a raw selection `[start, end)` of `text` (code points, either order)
/// into a span: leading and trailing whitespace is trimmed; with `snap` a
/// boundary that cuts a word is widened to the whole word.
pub fn resolve_selection(
    text: &str,
    start: usize,
    end: usize,
    snap: bool,
) -> Result<Span, SpanError> {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let (mut a, mut b) = if start <= end {
        (start, end)
    } else {
        (end, start)
    };
    a = a.min(len);
    b = b.min(len);
    if a == b {
        return Err(SpanError::Empty { start: a, end: b });
    }
    while a < b && chars[a].is_whitespace() {
        a += 1;
    }
    while b > a && chars[b - 1].is_whitespace() {
        b -= 1;
    }
    if a == b {
        return Err(SpanError::OnlyWhitespace);
    }
    if snap {
        let words = words(text);
        if let Some(w) = words.iter().find(|w| w.0 < a && a < w.1) {
            a = w.0;
        }
        if let Some(w) = words.iter().find(|w| w.0 < b && b < w.1) {
            b = w.1;
        }
    }
    Span::new(a, b, len)
}

/// [`resolve_selection`] on an article, looking only at the text around the
/// selection (its blocks), so the cost does not grow with the article.
pub fn resolve_in_article(
    article: &crate::article::Article,
    start: usize,
    end: usize,
    snap: bool,
) -> Result<Span, SpanError> {
    let (a, b) = if start <= end {
        (start, end)
    } else {
        (end, start)
    };
    let b = b.min(article.len());
    let block_of = |cp: usize| {
        article
            .blocks()
            .iter()
            .find(|blk| blk.range.start <= cp && cp <= blk.range.end)
            .map(|blk| (blk.range.start, blk.range.end))
    };
    let lo = block_of(a).map_or(0, |r| r.0).min(a);
    let hi = block_of(b).map_or(article.len(), |r| r.1).max(b);
    let window = article.slice(lo, hi);
    let span = resolve_selection(window, a - lo, b - lo, snap)?;
    Span::new(span.start() + lo, span.end() + lo, article.len())
}

/// The words of `text` as code-point ranges, in order: Unicode word bounds
/// (UAX #29) holding at least one letter or digit. Punctuation and spaces are
/// not words.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut cp = 0usize;
    for piece in text.split_word_bounds() {
        let n = piece.chars().count();
        if piece.chars().any(char::is_alphanumeric) {
            out.push((cp, cp + n));
        }
        cp += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, start: usize, end: usize, snap: bool, expected: Result<&str, SpanError>) {
        let got = resolve_selection(text, start, end, snap)
            .map(|s| crate::offsets::slice_cp(text, s.start(), s.end()));
        assert_eq!(got, expected, "{text:?} {start}..{end} snap={snap}");
    }

    #[test]
    fn selection_table() {
        let t = "The “Quick” brown fox – jumps.";
        check(t, 0, 3, true, Ok("The"));
        check(t, 1, 3, true, Ok("The"));
        check(t, 1, 3, false, Ok("he"));
        check(t, 3, 5, true, Ok("“"));
        check(t, 6, 8, true, Ok("Quick"));
        check(t, 5, 7, false, Ok("Qu"));
        check(t, 3, 13, true, Ok("“Quick” brown"));
        check(t, 13, 3, true, Ok("“Quick” brown"));
        check(t, 21, 24, true, Ok("–"));
        check(t, 3, 4, true, Err(SpanError::OnlyWhitespace));
        check(t, 4, 4, true, Err(SpanError::Empty { start: 4, end: 4 }));
        check(t, 25, 999, true, Ok("jumps."));
        check("a 😀 b", 1, 4, true, Ok("😀"));
        check("東京で会議", 1, 2, true, Ok("京"));
        check("Cafe\u{301} ok", 2, 3, true, Ok("Cafe\u{301}"));
        check("Ahn Gyu-back, x", 5, 6, true, Ok("Gyu"));
    }

    #[test]
    fn resolving_in_an_article_matches_resolving_in_its_text() {
        let article = crate::article::Article::parse(
            "x",
            "Sum “a” b\nHead line\n\nBody 😀 words here\nNext para",
        )
        .expect("ok");
        let len = article.len();
        for a in 0..len {
            for b in [a + 1, a + 3, a + 9] {
                for snap in [true, false] {
                    let whole = resolve_selection(article.text(), a, b.min(len), snap);
                    let local = resolve_in_article(&article, a, b.min(len), snap);
                    assert_eq!(whole, local, "{a}..{b} snap={snap}");
                }
            }
        }
    }

    #[test]
    fn span_constructor_keeps_its_invariant() {
        assert!(Span::new(0, 1, 1).is_ok());
        assert_eq!(
            Span::new(2, 2, 5),
            Err(SpanError::Empty { start: 2, end: 2 })
        );
        assert_eq!(
            Span::new(3, 2, 5),
            Err(SpanError::Empty { start: 3, end: 2 })
        );
        assert_eq!(
            Span::new(0, 6, 5),
            Err(SpanError::OutOfRange { end: 6, len: 5 })
        );
    }

    #[test]
    fn overlap_and_contains() {
        let s = |a, b| Span::new(a, b, 100).expect("valid");
        assert!(s(0, 5).overlaps(s(4, 6)));
        assert!(!s(0, 5).overlaps(s(5, 6)));
        assert!(s(0, 5).contains(4) && !s(0, 5).contains(5));
    }
}
