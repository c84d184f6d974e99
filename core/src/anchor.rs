//! Re-anchoring: finding where a saved annotation belongs in an article's
//! current text (FORMAT.md): the exact position when the text there equals
//! the quote, else the unique match of prefix+quote+suffix, else the unique
//! match of the quote alone; otherwise the annotation is an orphan, kept and
//! reported, never dropped.

use crate::annotation::Annotation;
use crate::article::Article;
use crate::span::Span;

/// Where an annotation landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchored {
    /// At its saved position.
    InPlace(Span),
    /// Moved to a new position found by its quote and context.
    Moved(Span),
    /// Nowhere: kept as an orphan.
    Orphan,
}

/// Finds where `a` belongs in the article's text (code points).
pub fn anchor(article: &Article, a: &Annotation) -> Anchored {
    let text = article.text();
    let len = article.len();
    if let Ok(span) = Span::new(a.start, a.end, len) {
        // No quote (a W3C annotation with a position only): trust the position.
        if a.quote.is_empty() || article.slice(a.start, a.end) == a.quote {
            return Anchored::InPlace(span);
        }
    }
    if a.quote.is_empty() {
        return Anchored::Orphan;
    }
    let with_context = format!("{}{}{}", a.prefix, a.quote, a.suffix);
    let prefix_len = a.prefix.chars().count();
    let quote_len = a.quote.chars().count();
    for (needle, offset) in [(with_context.as_str(), prefix_len), (a.quote.as_str(), 0)] {
        if let Some(byte) = unique_match(text, needle) {
            let start = article.cp_of_byte(byte) + offset;
            if let Ok(span) = Span::new(start, start + quote_len, len) {
                return Anchored::Moved(span);
            }
        }
    }
    Anchored::Orphan
}

/// Anchors `a` and moves it where it landed (an annotation without a quote
/// found at its position takes the text there): what import and Compare
/// do with each annotation of a file. An orphan is left as it was.
pub fn place(article: &Article, a: &mut Annotation) -> Anchored {
    let anchored = anchor(article, a);
    match &anchored {
        Anchored::InPlace(span) if a.quote.is_empty() => a.move_to(article, *span),
        Anchored::Moved(span) => a.move_to(article, *span),
        _ => {}
    }
    anchored
}

/// The byte index of the only occurrence of `needle` in `hay`, if exactly one.
fn unique_match(hay: &str, needle: &str) -> Option<usize> {
    let mut found = hay.match_indices(needle);
    let first = found.next()?.0;
    match found.next() {
        Some(_) => None,
        None => Some(first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn ann(start: usize, end: usize, quote: &str, prefix: &str, suffix: &str) -> Annotation {
        Annotation {
            id: "x".into(),
            label: crate::label::Label::Entity,
            start,
            end,
            quote: quote.into(),
            prefix: prefix.into(),
            suffix: suffix.into(),
            note: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            attributes: Default::default(),
            links: Vec::new(),
            extra: Map::new(),
        }
    }

    #[test]
    fn anchoring_table() {
        let s = |a, b| Span::new(a, b, usize::MAX).expect("valid");
        let rows: &[(&str, Annotation, Anchored)] = &[
            (
                "😀 Seoul and Tokyo",
                ann(2, 7, "Seoul", "😀 ", " and"),
                Anchored::InPlace(s(2, 7)),
            ),
            (
                "New: 😀 Seoul and Tokyo",
                ann(2, 7, "Seoul", "😀 ", " and"),
                Anchored::Moved(s(7, 12)),
            ),
            (
                "Seoul, Seoul and Tokyo",
                ann(3, 8, "Seoul", "", " and"),
                Anchored::Moved(s(7, 12)),
            ),
            (
                "Seoul, Seoul",
                ann(20, 25, "Seoul", "x", "y"),
                Anchored::Orphan,
            ),
            ("Tokyo only", ann(0, 5, "Seoul", "", ""), Anchored::Orphan),
            ("abc", ann(2, 9, "", "", ""), Anchored::Orphan),
            ("abc", ann(1, 3, "", "", ""), Anchored::InPlace(s(1, 3))),
        ];
        for (text, a, want) in rows {
            let article = Article::parse("x", &format!("S\nH\n\n{text}")).expect("parses");
            // The rows' offsets are into the body, which starts at code point 5.
            let mut moved = a.clone();
            moved.start += 5;
            moved.end += 5;
            let want = match want {
                Anchored::InPlace(s) => Anchored::InPlace(
                    Span::new(s.start() + 5, s.end() + 5, usize::MAX).expect("span"),
                ),
                Anchored::Moved(s) => Anchored::Moved(
                    Span::new(s.start() + 5, s.end() + 5, usize::MAX).expect("span"),
                ),
                Anchored::Orphan => Anchored::Orphan,
            };
            assert_eq!(anchor(&article, &moved), want, "{text:?}");
        }
    }
}
