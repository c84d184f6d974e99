//! Articles a user adds in the app: pasted text or `.txt` files.
//!
//! The text follows the seeds layout and the canonical text rule
//! (FORMAT.md); the id is `user-` and the first 12 hex digits of the SHA-256
//! of the canonical text, so the same text always gets the same id.

use std::fmt;

use crate::article::{canonical_text, canonicalize, user_article_id, Article, ArticleError};

/// Largest `.txt` file accepted.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// Why an article could not be added (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddError {
    /// The text or file breaks the layout, is empty or is not UTF-8.
    Article(ArticleError),
    /// The file is over [`MAX_FILE_BYTES`].
    TooLarge(usize),
}

impl fmt::Display for AddError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddError::Article(e) => write!(f, "{e}"),
            AddError::TooLarge(n) => write!(
                f,
                "the file is {:.1} MB; articles over 2 MB are not added",
                *n as f64 / 1_048_576.0
            ),
        }
    }
}

impl std::error::Error for AddError {}

impl From<ArticleError> for AddError {
    fn from(e: ArticleError) -> Self {
        AddError::Article(e)
    }
}

/// One line: newlines inside a headline or summary become spaces.
fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An article from pasted text. With a headline, the text is
/// `summary \n headline \n \n body`; without one, the body must be a whole
/// file in the seeds layout (line 1 summary, line 2 headline, line 3 blank).
pub fn from_paste(headline: &str, summary: &str, body: &str) -> Result<Article, AddError> {
    let headline = one_line(headline);
    let text = if headline.is_empty() {
        if canonicalize(body).trim().is_empty() {
            return Err(ArticleError::Empty.into());
        }
        canonicalize(body)
    } else {
        canonicalize(&format!(
            "{}\n{headline}\n\n{}",
            one_line(summary),
            canonicalize(body)
        ))
    };
    Ok(Article::parse(&user_article_id(&text), &text)?)
}

/// An article from the bytes of a `.txt` file in the seeds layout.
pub fn from_file(bytes: &[u8]) -> Result<Article, AddError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AddError::TooLarge(bytes.len()));
    }
    let text = canonical_text(bytes)?;
    Ok(Article::parse(&user_article_id(&text), &text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_and_file_articles_get_canonical_text_and_ids() {
        let a = from_paste(
            " Big news \n",
            "Short summary",
            "Para one  \r\nPara two 😀\r\n\r\n",
        )
        .expect("adds");
        assert_eq!(
            a.text(),
            "Short summary\nBig news\n\nPara one  \nPara two 😀"
        );
        assert_eq!(a.id(), user_article_id(a.text()));
        assert!(a.id().starts_with("user-") && a.id().len() == 17);
        // The same article as a file (CRLF, BOM, trailing space) has the same id.
        let file = b"\xEF\xBB\xBFShort summary\r\nBig news\r\n\r\nPara one  \r\nPara two \xF0\x9F\x98\x80  \r\n";
        assert_eq!(from_file(file).expect("adds").id(), a.id());
        // A whole file pasted into the body.
        let whole = from_paste("", "", "Sum\nHead 日本\n\nBody").expect("adds");
        assert_eq!(whole.headline(), "Head 日本");
        // No summary: the standfirst is blank.
        let bare = from_paste("Headline only", "", "Body").expect("adds");
        assert_eq!((bare.summary(), bare.headline()), ("", "Headline only"));
    }

    #[test]
    fn refusals_table() {
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        let rows: Vec<(Result<Article, AddError>, AddError)> = vec![
            (
                from_paste("", "", "  \n "),
                AddError::Article(ArticleError::Empty),
            ),
            (
                from_paste("", "", "only one line"),
                AddError::Article(ArticleError::NoHeadline),
            ),
            (
                from_paste("", "", "Sum\nHead\nnot blank"),
                AddError::Article(ArticleError::NoBlankLineAfterHeadline),
            ),
            (from_file(b""), AddError::Article(ArticleError::Empty)),
            (
                from_file(b"Sum\n\xff\xfe\n\nx"),
                AddError::Article(ArticleError::NotUtf8 { byte: 4 }),
            ),
            (
                from_file(b"Just a summary\n"),
                AddError::Article(ArticleError::NoHeadline),
            ),
            (from_file(&big), AddError::TooLarge(MAX_FILE_BYTES + 1)),
        ];
        for (got, want) in rows {
            assert_eq!(got.err(), Some(want));
        }
    }
}
