//! Re-anchoring: finding where a saved annotation belongs in an article's
//! current text (FORMAT.md): the exact position when the text there equals
//! the quote, else the unique match of prefix+quote+suffix, else the unique
//! match of the quote alone; otherwise the annotation is an orphan, kept and
//! reported, never dropped.

use crate::annotation::Annotation;
use crate::offsets::slice_cp;
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

/// Finds where `a` belongs in `text` (code points).
pub fn anchor(text: &str, a: &Annotation) -> Anchored {
    let len = text.chars().count();
    if let Ok(span) = Span::new(a.start, a.end, len) {
        if slice_cp(text, a.start, a.end) == a.quote {
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
            let start = text[..byte].chars().count() + offset;
            if let Ok(span) = Span::new(start, start + quote_len, len) {
                return Anchored::Moved(span);
            }
        }
    }
    Anchored::Orphan
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
        ];
        for (text, a, want) in rows {
            assert_eq!(&anchor(text, a), want, "{text:?}");
        }
    }
}
