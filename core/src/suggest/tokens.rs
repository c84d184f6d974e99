//! Words and sentences of an article's text, for the suggesters.
//!
//! A token is a run of letters and digits (joined by a hyphen or an
//! apostrophe between two of them: "search-and-rescue", "Gyu-back",
//! "don't"), a possessive ending ("'s", "’s") split off the word before
//! it ("Japan's" → "Japan", "'s"), or one punctuation character.
//! Whitespace separates tokens and is not one. Offsets are code points of
//! the text, like every offset in the app.
//!
//! Invariant: tokens are in text order, never overlap, never empty, and
//! `byte_start..byte_end` is the same text as `start..end`.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters and digits (possibly joined by `-` or an apostrophe).
    Word,
    /// A possessive ending (`'s`, `’s`, or a lone apostrophe after an `s`).
    Possessive,
    /// One punctuation or symbol character.
    Punct,
}

/// One token of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First code point.
    pub start: usize,
    /// End (exclusive), code points.
    pub end: usize,
    /// First byte.
    pub byte_start: usize,
    /// End (exclusive), bytes.
    pub byte_end: usize,
    /// What it is.
    pub kind: Kind,
    /// A line break comes between this token and the one before (a new
    /// block of the article: a sentence never runs across it).
    pub line_before: bool,
}

impl Token {
    /// The token's text in `text` (the text it was cut from).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.byte_start..self.byte_end).unwrap_or("")
    }

    /// Whether it is a word starting with an upper-case letter.
    pub fn is_capitalised(&self, text: &str) -> bool {
        self.kind == Kind::Word
            && self
                .text(text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_joiner(c: char) -> bool {
    c == '-' || c == '‑' || is_apostrophe(c)
}

/// Cuts `text` into tokens. A token never splits a grapheme cluster: a
/// letter keeps its combining accents ("Café" written with U+0301), an
/// emoji sequence stays whole.
pub fn tokenize(text: &str) -> Vec<Token> {
    use unicode_segmentation::GraphemeCursor;
    // Byte offsets as u32 (half the memory of usize pairs on a long text).
    // Sized once, exactly: grown by doubling, it held up to three times its
    // size at a moment, and wasm memory keeps its highest mark.
    let mut chars: Vec<(u32, char)> = Vec::with_capacity(text.chars().count());
    chars.extend(
        text.char_indices()
            .map(|(b, c)| (u32::try_from(b).unwrap_or(u32::MAX), c)),
    );
    // The first cluster boundary at or after char `i`. Before an ASCII
    // character there always is one (canonical text has no "\r\n"), so
    // only a token followed by a non-ASCII character asks the cursor.
    let to_boundary = |mut i: usize| {
        while let Some(&(byte, c)) = chars.get(i) {
            if c.is_ascii() {
                break;
            }
            let mut cursor = GraphemeCursor::new(byte as usize, text.len(), true);
            if cursor.is_boundary(text, 0).unwrap_or(true) {
                break;
            }
            i += 1;
        }
        i
    };
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b as usize);
    // About one token in five bytes of prose; trimmed at the end.
    let mut out = Vec::with_capacity(text.len() / 4 + 1);
    let mut i = 0;
    let mut line = false;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            line |= c == '\n' || c == '\r';
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if c.is_alphanumeric() {
            i += 1;
            while i < chars.len() {
                let c = chars[i].1;
                if c.is_alphanumeric() {
                    i += 1;
                    continue;
                }
                let next_alnum = chars.get(i + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
                if is_joiner(c) && next_alnum {
                    // A possessive "'s" (then no more letters) ends the word.
                    let possessive = is_apostrophe(c)
                        && matches!(chars.get(i + 1), Some(&(_, 's' | 'S')))
                        && !chars.get(i + 2).is_some_and(|&(_, n)| n.is_alphanumeric());
                    if possessive {
                        break;
                    }
                    i += 1;
                    continue;
                }
                break;
            }
            kind = Kind::Word;
        } else if is_apostrophe(c)
            && out
                .last()
                .is_some_and(|t: &Token| t.kind == Kind::Word && t.end == i)
            && matches!(chars.get(i + 1), Some(&(_, 's' | 'S')))
            && !chars.get(i + 2).is_some_and(|&(_, n)| n.is_alphanumeric())
        {
            i += 2;
            kind = Kind::Possessive;
        } else {
            i += 1;
            kind = Kind::Punct;
        }
        let i_end = to_boundary(i);
        i = i_end;
        out.push(Token {
            start,
            end: i,
            byte_start: byte_at(start),
            byte_end: byte_at(i),
            kind,
            line_before: std::mem::take(&mut line),
        });
    }
    drop(chars);
    out.shrink_to_fit();
    out
}

/// Whether a token ends a sentence (`.`, `!`, `?`, `…`).
fn ends_sentence(t: &Token, text: &str) -> bool {
    t.kind == Kind::Punct && matches!(t.text(text), "." | "!" | "?" | "…")
}

/// Whether a token closes a quotation or bracket (it stays with the
/// sentence before it: `ever.”`).
fn closes(t: &Token, text: &str) -> bool {
    t.kind == Kind::Punct && matches!(t.text(text), "”" | "\"" | "’" | "'" | ")" | "]" | "»")
}

/// The sentences of a token list, as index ranges into it: cut after
/// `.`/`!`/`?` (with the closing quotes that follow) and at every line
/// break. A full stop between two single letters ("U.S.") or after a
/// one-letter word followed by a lower-case word does not end one.
pub fn sentences(tokens: &[Token], text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        if i > start && tokens[i].line_before {
            out.push(start..i);
            start = i;
        }
        if ends_sentence(&tokens[i], text) {
            let abbreviation = i > 0
                && tokens[i].text(text) == "."
                && tokens[i - 1].kind == Kind::Word
                && tokens[i - 1].end - tokens[i - 1].start == 1
                && tokens.get(i + 1).is_some_and(|n| {
                    let joined = n.start == tokens[i].end && n.end - n.start == 1;
                    let lower = n.text(text).chars().next().is_some_and(char::is_lowercase);
                    !n.line_before && n.kind == Kind::Word && (joined || lower)
                });
            let mut end = i + 1;
            while end < tokens.len() && !tokens[end].line_before && closes(&tokens[end], text) {
                end += 1;
            }
            if !abbreviation {
                out.push(start..end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// The index of the first token ending after code point `cp` (a
/// `partition_point` search: tokens are in text order).
pub fn first_after(tokens: &[Token], cp: usize) -> usize {
    tokens.partition_point(|t| t.end <= cp)
}

/// The tokens inside code points `start..end` (those wholly within), as an
/// index range.
pub fn within(tokens: &[Token], start: usize, end: usize) -> std::ops::Range<usize> {
    let first = tokens.partition_point(|t| t.start < start);
    let last = tokens.partition_point(|t| t.end <= end);
    first..last.max(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, Kind)> {
        tokenize(text)
            .iter()
            .map(|t| (t.text(text), t.kind))
            .collect()
    }

    #[test]
    fn possessives_split_and_joiners_join() {
        use Kind::*;
        assert_eq!(
            words("Japan's search-and-rescue, Gyu-back’s “don't” South Korea–Japan"),
            vec![
                ("Japan", Word),
                ("'s", Possessive),
                ("search-and-rescue", Word),
                (",", Punct),
                ("Gyu-back", Word),
                ("’s", Possessive),
                ("“", Punct),
                ("don't", Word),
                ("”", Punct),
                ("South", Word),
                ("Korea", Word),
                ("–", Punct),
                ("Japan", Word),
            ]
        );
    }

    #[test]
    fn tokens_keep_whole_grapheme_clusters() {
        // "Café" with a combining acute, then a ZWJ emoji sequence.
        let text = "Cafe\u{301} 👩\u{200d}💻 done";
        let t = tokenize(text);
        let got: Vec<&str> = t.iter().map(|x| x.text(text)).collect();
        assert_eq!(got, vec!["Cafe\u{301}", "👩\u{200d}💻", "done"]);
        assert_eq!((t[0].start, t[0].end), (0, 5));
    }

    #[test]
    fn offsets_are_code_points() {
        let text = "😀 Ünï café.";
        let t = tokenize(text);
        assert_eq!((t[0].start, t[0].end), (0, 1));
        assert_eq!((t[1].start, t[1].end), (2, 5));
        assert_eq!(t[1].text(text), "Ünï");
        assert_eq!((t[2].start, t[2].end), (6, 10));
    }

    #[test]
    fn sentences_end_after_closing_quotes_and_at_lines() {
        let text = "He said “more than ever.” Then U.S. allies met.\nA line";
        let t = tokenize(text);
        let s: Vec<String> = sentences(&t, text)
            .into_iter()
            .map(|r| text[t[r.start].byte_start..t[r.end - 1].byte_end].to_string())
            .collect();
        assert_eq!(
            s,
            vec![
                "He said “more than ever.”",
                "Then U.S. allies met.",
                "A line"
            ]
        );
    }
}
