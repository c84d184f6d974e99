//! Half-open code-point spans with a checked constructor, and the rules that
//! turn a raw selection into a span: trimming, rounding out to whole
//! characters (grapheme clusters) and word snapping.
//!
//! Invariant: a [`Span`] always satisfies `start < end <= len` of the text it
//! was made for; the fields are private and only [`Span::new`] makes one.
//!
//! Every span the app makes (mouse, keyboard, nudge, resize) starts and ends
//! on a grapheme cluster boundary (UAX #29): [`round_to_graphemes`] is the one
//! place that rounds. Imported spans keep the offsets their file gives.

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
/// into a span: leading and trailing whitespace is trimmed, then the start is
/// rounded down and the end up to grapheme cluster boundaries (a flag, an
/// emoji ZWJ sequence or a letter with its combining marks is never cut);
/// with `snap` a boundary that cuts a word is widened to the whole word. A
/// possessive `'s` / `’s` is not part of its word ("Japan" in "Japan’s"
/// stays "Japan"); a boundary inside the `'s` takes the whole `'s`.
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
    (a, b) = round_to_graphemes(text, a, b);
    if snap {
        let units = word_units(text);
        if let Some(w) = units.iter().find(|w| w.0 < a && a < w.1) {
            a = w.0;
        }
        if let Some(w) = units.iter().find(|w| w.0 < b && b < w.1) {
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
/// (UAX #29) holding at least one letter or digit, without a possessive
/// `'s` / `’s` at the end ("Japan’s" is the word "Japan"; contractions such
/// as "it's" lose their `'s` too). Punctuation and spaces are not words; so a
/// plural possessive's apostrophe ("leaders'") is never part of its word.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    word_pieces(text)
        .into_iter()
        .filter(|p| !p.2)
        .map(|p| (p.0, p.1))
        .collect()
}

/// The units snapping widens a cut boundary to: [`words`] and the possessive
/// `'s` endings they lost, in text order.
pub fn word_units(text: &str) -> Vec<(usize, usize)> {
    word_pieces(text).into_iter().map(|p| (p.0, p.1)).collect()
}

/// Words and possessive endings: `(start, end, is_possessive_ending)`.
fn word_pieces(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut cp = 0usize;
    for piece in text.split_word_bounds() {
        let n = piece.chars().count();
        if piece.chars().any(char::is_alphanumeric) {
            let mut tail = piece.chars().rev();
            let possessive = matches!(tail.next(), Some('s' | 'S'))
                && matches!(tail.next(), Some('\'' | '\u{2019}'))
                && tail.next().is_some_and(char::is_alphanumeric);
            if possessive {
                out.push((cp, cp + n - 2, false));
                out.push((cp + n - 2, cp + n, true));
            } else {
                out.push((cp, cp + n, false));
            }
        }
        cp += n;
    }
    out
}

/// The grapheme cluster boundaries (UAX #29, extended) of `text` as
/// code-point offsets, from 0 to its length inclusive.
pub fn grapheme_bounds(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    let mut cp = 0usize;
    for g in text.graphemes(true) {
        cp += g.chars().count();
        out.push(cp);
    }
    out
}

/// Rounds `[start, end)` of `text` outwards to grapheme cluster boundaries:
/// the start down, the end up, so a span never holds half a flag, half an
/// emoji ZWJ sequence or a letter without its combining marks. Offsets past
/// the end clamp to the length; a range already on boundaries is unchanged.
/// Pass the block's text (clusters never cross a line break) so the cost
/// does not grow with the article.
pub fn round_to_graphemes(text: &str, start: usize, end: usize) -> (usize, usize) {
    let (mut a, mut cp) = (0usize, 0usize);
    for g in text.graphemes(true) {
        // `cp` is a boundary.
        if cp <= start {
            a = cp;
        }
        if cp >= end {
            return (a, cp);
        }
        cp += g.chars().count();
    }
    // `cp` is the length, the last boundary.
    if cp <= start {
        a = cp;
    }
    (a, cp)
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
    fn rounding_to_grapheme_clusters_table() {
        let family = "x\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}y"; // 👨‍👩‍👧 is 1..6
        let rows: [(&str, usize, usize, (usize, usize)); 14] = [
            ("a 🇰🇷 b", 3, 4, (2, 4)), // second half of a flag
            ("a 🇰🇷 b", 2, 3, (2, 4)), // first half (🇰 alone)
            ("a 🇰🇷 b", 3, 6, (2, 6)),
            ("a 🇰🇷 b", 2, 4, (2, 4)), // already whole
            (family, 2, 4, (1, 6)),   // inside a ZWJ sequence
            (family, 0, 3, (0, 6)),
            (family, 6, 7, (6, 7)),
            ("Cafe\u{301}", 0, 4, (0, 5)), // e without its acute
            ("Cafe\u{301}", 4, 5, (3, 5)), // the acute alone
            ("東京で会議", 1, 2, (1, 2)),  // CJK: each ideograph is a cluster
            ("東京で会議", 0, 5, (0, 5)),
            ("ab", 1, 9, (1, 2)), // past the end clamps
            ("ab", 9, 9, (2, 2)),
            ("", 0, 0, (0, 0)),
        ];
        for (text, a, b, want) in rows {
            assert_eq!(round_to_graphemes(text, a, b), want, "{text:?} {a}..{b}");
        }
        assert_eq!(grapheme_bounds("a🇰🇷e\u{301}"), vec![0, 1, 3, 5]);
    }

    #[test]
    fn selections_never_cut_a_grapheme_cluster() {
        let family = "x \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} y";
        for snap in [false, true] {
            check("with 🇰🇷 and", 6, 11, snap, Ok("🇰🇷 and"));
            check("with 🇰🇷 and", 5, 6, snap, Ok("🇰🇷"));
            check(
                family,
                3,
                5,
                snap,
                Ok("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"),
            );
            check(
                family,
                0,
                4,
                snap,
                Ok("x \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"),
            );
            check("Cafe\u{301} ok", 0, 4, snap, Ok("Cafe\u{301}"));
            check("東京で会議", 1, 2, snap, Ok("京"));
        }
        check("Cafe\u{301} ok", 4, 5, false, Ok("e\u{301}"));
        check("Cafe\u{301} ok", 4, 5, true, Ok("Cafe\u{301}"));
    }

    #[test]
    fn possessive_s_is_not_part_of_the_word() {
        let ws = |t: &str| -> Vec<String> {
            words(t)
                .into_iter()
                .map(|(a, b)| crate::offsets::slice_cp(t, a, b).to_string())
                .collect()
        };
        assert_eq!(ws("Japan’s talks"), ["Japan", "talks"]);
        assert_eq!(ws("Japan's JAPAN'S it's"), ["Japan", "JAPAN", "it"]);
        assert_eq!(ws("the leaders' talks"), ["the", "leaders", "talks"]);
        assert_eq!(ws("O'Brien's don't 's"), ["O'Brien", "don't", "s"]);
        // Snapping: (text, start, end, quote)
        let rows = [
            ("Japan’s talks", 1, 3, "Japan"),
            ("Japan’s talks", 0, 5, "Japan"),
            ("Japan's talks", 2, 4, "Japan"),
            ("Japan’s talks", 0, 6, "Japan’s"), // a cut inside ’s takes it whole
            ("Japan’s talks", 0, 7, "Japan’s"),
            ("Japan’s talks", 3, 10, "Japan’s talks"),
            ("the leaders' talks", 5, 7, "leaders"),
            ("the leaders' talks", 5, 12, "leaders'"),
            ("O'Brien's plan", 1, 3, "O'Brien"),
        ];
        for (text, a, b, want) in rows {
            check(text, a, b, true, Ok(want));
        }
    }

    proptest::proptest! {
        #[test]
        fn resolved_spans_lie_on_grapheme_bounds(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", " ", "é", "e\u{301}", "🇰🇷", "🇯🇵", "\u{1F469}\u{200D}\u{1F4BB}",
                "東", "’s", "'", "\u{1F44D}\u{1F3FD}", ".", "\u{915}\u{94D}\u{937}",
            ]), 1..12),
            a in 0usize..40,
            b in 0usize..40,
            snap in proptest::bool::ANY,
        ) {
            let text: String = pieces.concat();
            let bounds = grapheme_bounds(&text);
            let (ra, rb) = round_to_graphemes(&text, a, b.max(a));
            proptest::prop_assert!(bounds.contains(&ra) && bounds.contains(&rb));
            let len = text.chars().count();
            proptest::prop_assert!(ra <= a.min(len) && rb >= b.max(a).min(len));
            if let Ok(span) = resolve_selection(&text, a, b, snap) {
                proptest::prop_assert!(bounds.contains(&span.start()), "{span:?}");
                proptest::prop_assert!(bounds.contains(&span.end()), "{span:?}");
            }
        }
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
