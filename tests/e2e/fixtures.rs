//! Shared fixtures: the seed article and native files built with the core,
//! preloaded into the page's localStorage as the app's own format.

use annotator_core::edit::{self, Edit};
use annotator_core::formats::native;
use annotator_core::ids::{AnnotationId, ArticleId, Timestamp};
use annotator_core::saver::DATA_KEY;
use annotator_core::{Article, Catalog, Label, Span, Workspace};
use serde_json::json;

use annotator_test_support::{App, Result};

/// The seed article's id.
pub const SEED: &str = "000_6ee9234a710e1662";
pub const SEED_TEXT: &str = include_str!("../../seeds/000_6ee9234a710e1662.txt");

pub fn article() -> Article {
    Article::parse(SEED, SEED_TEXT).expect("the seed parses")
}

pub fn find(article: &Article, needle: &str) -> (usize, usize) {
    let byte = article
        .text()
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the seed"));
    let start = article.text()[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// A native file holding the given (id, label, quote) annotations on the seed.
pub fn file_with(rows: &[(&str, Label, &str)]) -> String {
    let catalog = Catalog::from_seeds(&[(SEED, SEED_TEXT)]).0;
    let article = article();
    let mut ws = Workspace::new();
    for (id, label, quote) in rows {
        let (s, e) = find(&article, quote);
        let set = ws.set(SEED).cloned().unwrap_or_default();
        let span = Span::new(s, e, article.len()).expect("span");
        let change = edit::create(
            &set,
            &ArticleId::from(&SEED),
            article.text(),
            *label,
            span,
            AnnotationId::from(&id),
            &Timestamp::from("2026-11-26T09:00:00.000Z"),
        )
        .expect("new annotation");
        ws.apply(
            &catalog,
            &Edit::one("tag", change),
            "2026-11-26T09:00:00.000Z",
        );
    }
    native::write(&ws.to_native("2026-11-26T09:00:00.000Z"))
}

pub async fn preload(app: &App, rows: &[(&str, Label, &str)]) -> Result<()> {
    app.js(&format!(
        "localStorage.setItem('{DATA_KEY}', {}); return 0;",
        json!(file_with(rows))
    ))
    .await?;
    app.reload().await?;
    app.until(
        "annotations drawn",
        "document.querySelectorAll('article [data-ann]').length > 0",
    )
    .await?;
    Ok(())
}
