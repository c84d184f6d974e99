//! Articles: canonical text, the seeds layout and ids (FORMAT.md, "Articles").
//!
//! An [`Article`] is parsed from raw bytes once and then never changes. It owns
//! the canonical text and the code-point ranges of its blocks (summary,
//! headline, body paragraphs), so that everything else in the program can speak
//! of positions in code points of one string.
//!
//! Invariants kept here:
//! - `text` is canonical: no BOM, no `\r`, no trailing spaces/tabs/newlines.
//! - `blocks` cover every line of `text` in order; a block's range never
//!   includes its line's `\n`. Ranges are half-open, in code points.
//! - The summary is line 1 (it may be blank: no standfirst), the headline
//!   line 2 (never blank), line 3 is blank, the body is lines 4 and on.
//!   Parsing refuses any text that breaks this.
//!
//! Nothing here touches the DOM.

use std::fmt;
use std::ops::Range;

use sha2::{Digest, Sha256};

/// Why a text could not be read as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleError {
    /// The bytes are not valid UTF-8; `byte` is the offset of the first bad byte.
    NotUtf8 {
        /// Byte offset of the first invalid sequence.
        byte: usize,
    },
    /// Nothing is left after removing whitespace.
    Empty,
    /// There is no second line, or it is blank: an article needs a headline.
    NoHeadline,
    /// Line 3 must be blank, separating the headline from the body.
    NoBlankLineAfterHeadline,
    /// The id is not usable (empty, or characters other than `A-Za-z0-9_-.`).
    BadId(String),
}

impl fmt::Display for ArticleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArticleError::NotUtf8 { byte } => {
                write!(f, "the text is not UTF-8 (first bad byte at offset {byte})")
            }
            ArticleError::Empty => write!(f, "the text is empty"),
            ArticleError::NoHeadline => write!(
                f,
                "there is no headline: line 1 is the summary and line 2 must be the headline"
            ),
            ArticleError::NoBlankLineAfterHeadline => write!(
                f,
                "line 3 must be blank, separating the headline from the body"
            ),
            ArticleError::BadId(id) => write!(
                f,
                "the id {id:?} must be non-empty and use only letters, digits, '_', '-' and '.'"
            ),
        }
    }
}

impl std::error::Error for ArticleError {}

/// Turns raw file bytes into canonical text (FORMAT.md): UTF-8, no leading
/// BOM, `\r\n` and lone `\r` as `\n`, trailing spaces, tabs and newlines
/// removed. Nothing else is changed.
pub fn canonical_text(bytes: &[u8]) -> Result<String, ArticleError> {
    let decoded = std::str::from_utf8(bytes).map_err(|e| ArticleError::NotUtf8 {
        byte: e.valid_up_to(),
    })?;
    Ok(canonicalize(decoded))
}

/// Canonical text of an already decoded string (see [`canonical_text`]).
pub fn canonicalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        // Already canonical but for the end (seeds are): copy at memory speed.
        return text.trim_end_matches([' ', '\t', '\n']).to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    let kept = out.trim_end_matches([' ', '\t', '\n']).len();
    out.truncate(kept);
    out
}

/// Lowercase hex SHA-256 of the UTF-8 bytes of `text`.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The id of an article a user adds in the app: `user-` and the first 12 hex
/// digits of the SHA-256 of its canonical text.
pub fn user_article_id(canonical: &str) -> String {
    let hex = sha256_hex(canonical);
    format!("user-{}", &hex[..12])
}

/// Checks that an id is usable as an article id (file stem, URL segment).
pub fn check_id(id: &str) -> Result<(), ArticleError> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ArticleError::BadId(id.to_string()))
    }
}

/// What a block of an article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Line 1: the standfirst.
    Summary,
    /// Line 2: the headline.
    Headline,
    /// A body line (line 4 and on). Blank lines are kept as empty paragraphs
    /// so that every line has a block.
    Paragraph,
}

/// One line of an article, as a half-open code-point range of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the line is.
    pub kind: BlockKind,
    /// Code-point range of the line in the canonical text, without `\n`.
    pub range: Range<usize>,
    /// The line's text (the same characters as `range`).
    pub text: String,
}

impl Block {
    /// True for trailing boilerplate such as `Help us improve.`, which is shown
    /// muted but never cut (FORMAT.md).
    pub fn is_boilerplate(&self) -> bool {
        self.kind == BlockKind::Paragraph && BOILERPLATE.contains(&self.text.trim())
    }
}

/// Code points between two entries of an article's byte index.
const STRIDE: usize = 32;

/// Body lines that are site furniture, not article text.
const BOILERPLATE: &[&str] = &["Help us improve."];

/// A parsed article: id, canonical text and its blocks. Never changes once
/// parsed, so it is shared: cloning one is O(1) whatever its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    inner: std::sync::Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    id: String,
    text: String,
    summary: String,
    headline: String,
    /// Blocks and the code-point index, built on first use: start-up only
    /// pays for the articles it opens (the list needs just the headlines).
    layout: std::sync::OnceLock<Layout>,
    /// `text_sha256`, computed on first use.
    sha256: std::sync::OnceLock<String>,
}

#[derive(Debug)]
struct Layout {
    len: usize,
    blocks: Vec<Block>,
    /// Byte offset of every [`STRIDE`]-th code point (`bytes_at[k]` is where
    /// code point `k * STRIDE` starts): code-point slicing walks at most
    /// `STRIDE - 1` characters, for 4 bytes per `STRIDE` characters. Empty
    /// for ASCII text, where code points are bytes.
    bytes_at: Vec<u32>,
}

impl Layout {
    /// Blocks and index of a text already checked by [`Article::parse`].
    fn of(text: &str) -> Layout {
        let mut blocks = Vec::new();
        let mut pos = 0usize;
        for (index, line) in text.split('\n').enumerate() {
            let len = line.chars().count();
            let kind = match index {
                0 => BlockKind::Summary,
                1 => BlockKind::Headline,
                _ => BlockKind::Paragraph,
            };
            if index != 2 {
                blocks.push(Block {
                    kind,
                    range: pos..pos + len,
                    text: line.to_string(),
                });
            }
            pos += len + 1;
        }
        let (bytes_at, len) = if text.is_ascii() {
            (Vec::new(), text.len())
        } else {
            let mut len = 0;
            let mut marks = Vec::with_capacity(text.len() / STRIDE + 1);
            for (b, _) in text.char_indices() {
                if len % STRIDE == 0 {
                    marks.push(b as u32);
                }
                len += 1;
            }
            (marks, len)
        };
        Layout {
            len,
            blocks,
            bytes_at,
        }
    }
}

impl PartialEq for Inner {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.text == other.text
    }
}

impl Eq for Inner {}

impl Article {
    /// Parses the raw bytes of a file in the seeds layout.
    pub fn from_bytes(id: &str, bytes: &[u8]) -> Result<Article, ArticleError> {
        Article::parse(id, &canonical_text(bytes)?)
    }

    /// Parses text in the seeds layout; the text is canonicalised first.
    /// Only the first three lines need checking (the rest is body, any
    /// text), so this is quick; blocks are built on first use.
    pub fn parse(id: &str, text: &str) -> Result<Article, ArticleError> {
        check_id(id)?;
        let text = canonicalize(text);
        if text.trim().is_empty() {
            return Err(ArticleError::Empty);
        }
        let mut lines = text.splitn(4, '\n');
        let summary = lines.next().unwrap_or_default().to_string();
        let headline = match lines.next() {
            Some(line) if !line.trim().is_empty() => line.to_string(),
            _ => return Err(ArticleError::NoHeadline),
        };
        if lines.next().is_some_and(|line| !line.trim().is_empty()) {
            return Err(ArticleError::NoBlankLineAfterHeadline);
        }
        Ok(Article {
            inner: std::sync::Arc::new(Inner {
                id: id.to_string(),
                text,
                summary,
                headline,
                layout: std::sync::OnceLock::new(),
                sha256: std::sync::OnceLock::new(),
            }),
        })
    }

    fn layout(&self) -> &Layout {
        self.inner
            .layout
            .get_or_init(|| Layout::of(&self.inner.text))
    }

    /// The stable id (file stem for seeds).
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// The canonical text.
    pub fn text(&self) -> &str {
        &self.inner.text
    }

    /// The text between code points `start..end` (clamped; empty when
    /// `start >= end`), in O(1): at most `STRIDE` characters are walked.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let end = end.min(self.len());
        if start >= end {
            return "";
        }
        let a = self.byte_of(start);
        let b = self.byte_of(end);
        self.inner.text.get(a..b).unwrap_or("")
    }

    /// The byte index where code point `cp` starts (the text's length at
    /// the end); `cp` must be at most `len`.
    fn byte_of(&self, cp: usize) -> usize {
        let inner = &*self.inner;
        let bytes_at = &self.layout().bytes_at;
        if bytes_at.is_empty() {
            return cp.min(inner.text.len());
        }
        let Some(&mark) = bytes_at.get(cp / STRIDE) else {
            return inner.text.len();
        };
        let from = mark as usize;
        inner
            .text
            .get(from..)
            .and_then(|rest| rest.char_indices().nth(cp % STRIDE))
            .map_or(inner.text.len(), |(b, _)| from + b)
    }

    /// The code-point offset of byte index `byte` (rounded down to a
    /// character boundary), in O(log n).
    pub fn cp_of_byte(&self, byte: usize) -> usize {
        let inner = &*self.inner;
        let mut byte = byte.min(inner.text.len());
        while !inner.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let bytes_at = &self.layout().bytes_at;
        if bytes_at.is_empty() {
            return byte;
        }
        let k = bytes_at
            .partition_point(|&m| m as usize <= byte)
            .saturating_sub(1);
        let from = bytes_at.get(k).map_or(0, |&m| m as usize);
        k * STRIDE + inner.text.get(from..byte).map_or(0, |t| t.chars().count())
    }

    /// Length of the canonical text in code points.
    pub fn len(&self) -> usize {
        self.layout().len
    }

    /// Always false: parsing refuses empty articles.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The headline (line 2).
    pub fn headline(&self) -> &str {
        &self.inner.headline
    }

    /// The summary (line 1).
    pub fn summary(&self) -> &str {
        &self.inner.summary
    }

    /// Every line as a block, in text order (summary, headline, paragraphs).
    pub fn blocks(&self) -> &[Block] {
        &self.layout().blocks
    }

    /// Indices of the blocks whose code-point range touches `start..=end`
    /// (ends included: a span ending where a block starts touches it), in
    /// text order. Blocks are in text order, so this is a binary search.
    pub fn blocks_touching(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let blocks = self.blocks();
        let first = blocks.partition_point(|b| b.range.end < start);
        let last = blocks.partition_point(|b| b.range.start <= end);
        first..last.max(first)
    }

    /// Body paragraphs (line 4 and on), blank lines included.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Block> {
        self.blocks()
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
    }

    /// Records the text's SHA-256 computed elsewhere (the build script
    /// hashes every seed), so it is not computed again at start-up. Only
    /// for hashes of exactly this text; ignored if already known.
    pub fn assume_sha256(&self, hex: &str) {
        let _ = self.inner.sha256.set(hex.to_string());
    }

    /// Hex SHA-256 of the canonical text (`text_sha256` in FORMAT.md).
    pub fn text_sha256(&self) -> String {
        self.inner
            .sha256
            .get_or_init(|| sha256_hex(&self.inner.text))
            .clone()
    }
}
