//! Offset units: code points (the project's unit, FORMAT.md) and UTF-16 code
//! units (what the DOM reports). The app converts at one boundary, once, with
//! these functions.
//!
//! Invariant: a code-point offset `n` of `s` names the position before the
//! `n`-th `char` of `s` (`n == s.chars().count()` is the end). A UTF-16 offset
//! inside a surrogate pair is rounded down to the start of that character.

/// Converts a UTF-16 offset into `s` to a code-point offset. Offsets past the
/// end clamp to the end; an offset inside a surrogate pair rounds down.
pub fn utf16_to_cp(s: &str, utf16: usize) -> usize {
    let mut units = 0usize;
    for (cp, c) in s.chars().enumerate() {
        let next = units + c.len_utf16();
        if next > utf16 {
            return cp;
        }
        units = next;
    }
    s.chars().count()
}

/// Converts a code-point offset into `s` to a UTF-16 offset. Offsets past the
/// end clamp to the end.
pub fn cp_to_utf16(s: &str, cp: usize) -> usize {
    s.chars().take(cp).map(char::len_utf16).sum()
}

/// The byte index of code-point offset `cp` in `s` (clamped to `s.len()`).
pub fn cp_to_byte(s: &str, cp: usize) -> usize {
    s.char_indices().nth(cp).map(|(b, _)| b).unwrap_or(s.len())
}

/// The substring of `s` between code-point offsets `start..end` (clamped;
/// empty when `start >= end`).
pub fn slice_cp(s: &str, start: usize, end: usize) -> &str {
    if start >= end {
        return "";
    }
    let a = cp_to_byte(s, start);
    let b = cp_to_byte(s, end);
    s.get(a..b).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, utf16 offset, code-point offset) rows; each must convert both ways
    /// unless the UTF-16 offset is inside a surrogate pair.
    const ROWS: &[(&str, usize, usize)] = &[
        ("abc", 0, 0),
        ("abc", 3, 3),
        ("“quoted” – dash", 1, 1),
        ("“quoted” – dash", 10, 10),
        ("a😀b", 1, 1),
        ("a😀b", 3, 2),
        ("a😀b", 4, 3),
        ("🇰🇷x", 4, 2),
        ("🇰🇷x", 5, 3),
        ("👩‍💻 dev", 5, 3),
        ("👩‍💻 dev", 6, 4),
        ("日本語", 2, 2),
        ("e\u{301}t\u{e9}", 2, 2),
        ("e\u{301}t\u{e9}", 4, 4),
    ];

    #[test]
    fn conversions_round_trip() {
        for &(s, u16o, cp) in ROWS {
            assert_eq!(utf16_to_cp(s, u16o), cp, "utf16_to_cp({s:?}, {u16o})");
            assert_eq!(cp_to_utf16(s, cp), u16o, "cp_to_utf16({s:?}, {cp})");
        }
    }

    #[test]
    fn inside_a_surrogate_pair_rounds_down_and_past_end_clamps() {
        assert_eq!(utf16_to_cp("a😀b", 2), 1);
        assert_eq!(utf16_to_cp("a😀b", 99), 3);
        assert_eq!(cp_to_utf16("a😀b", 99), 4);
    }

    #[test]
    fn slice_by_code_points() {
        assert_eq!(slice_cp("a😀bc", 1, 3), "😀b");
        assert_eq!(slice_cp("a😀bc", 3, 1), "");
        assert_eq!(slice_cp("a😀bc", 2, 99), "bc");
    }
}
