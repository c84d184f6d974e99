//! CoNLL with IOB2 tags, written only: tokens and their tags, no offsets
//! (tokens are Unicode word bounds of the canonical text, without
//! whitespace).

use unicode_segmentation::UnicodeSegmentation;

use crate::annotation::Annotation;
use crate::formats::export::Doc;

/// The line that starts a document in a CoNLL file: CoNLL-2003's
/// `-DOCSTART-` line in the exact form spaCy's `ner` converter splits
/// documents at (`-DOCSTART- -X- O O`); readers of the two-column form skip
/// any line starting with `-DOCSTART-`.
pub const DOCSTART: &str = "-DOCSTART- -X- O O";

/// CoNLL / IOB2: per article a [`DOCSTART`] line and a blank line,
/// then one block (summary, headline, each paragraph) a sentence:
/// `token<TAB>tag` lines and a blank line. The article id is not in the
/// file (no CoNLL reader skips a comment line: spaCy makes it a token);
/// documents follow the order of `docs`, and a one-article export names the
/// article in its file name. Tokens are Unicode word bounds without
/// whitespace. Overlaps are resolved longest span first: a span is tagged
/// only if none of its tokens is already taken by a longer one (ties:
/// earlier start first).
pub fn export(docs: &[Doc<'_>]) -> String {
    let mut out = String::new();
    for d in docs {
        out.push_str(DOCSTART);
        out.push_str("\n\n");
        let mut spans: Vec<&Annotation> = d.annotations.iter().collect();
        spans.sort_by(|a, b| b.len().cmp(&a.len()).then(a.start.cmp(&b.start)));
        for block in d.article.blocks() {
            if block.range.is_empty() {
                continue;
            }
            let mut tokens = Vec::new();
            let mut cp = block.range.start;
            for piece in block.text.split_word_bounds() {
                let n = piece.chars().count();
                if !piece.trim().is_empty() {
                    tokens.push((cp, cp + n, piece));
                }
                cp += n;
            }
            let mut tags: Vec<Option<(usize, &Annotation)>> = vec![None; tokens.len()];
            for a in &spans {
                let covered: Vec<usize> = (0..tokens.len())
                    .filter(|&i| tokens[i].0 < a.end && a.start < tokens[i].1)
                    .collect();
                if covered.is_empty() || covered.iter().any(|&i| tags[i].is_some()) {
                    continue;
                }
                for (k, &i) in covered.iter().enumerate() {
                    tags[i] = Some((k, a));
                }
            }
            for (i, (_, _, token)) in tokens.iter().enumerate() {
                let tag = match tags[i] {
                    None => "O".to_string(),
                    Some((0, a)) => format!("B-{}", a.label.as_str()),
                    Some((_, a)) => format!("I-{}", a.label.as_str()),
                };
                out.push_str(&format!("{token}\t{tag}\n"));
            }
            out.push('\n');
        }
    }
    out
}
