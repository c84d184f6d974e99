//! Every way an article opens (issue 13, item 1): after each, the body is
//! exactly that article's text, and a tag made right after lands on the
//! right span of the right article. A performance change once left the
//! previous article's paragraphs on screen, and tags landed on other text.

use annotator_core::cursor::display_order;
use annotator_core::span::words;
use annotator_core::{Article, BlockKind};
use serde_json::json;

use crate::fixtures::{self, SEED, SEED_TEXT};
use annotator_test_support::{App, Result};

const MARKUP: &str = "zz_markup";
const UNICODE: &str = "zz_unicode_crlf";

fn extra_seed(id: &str) -> Article {
    let path = format!("{}/tests/data/seeds/{id}.txt", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Article::from_bytes(id, &bytes).unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

/// The texts of the body paragraphs the article shows, in display order.
fn body_texts(article: &Article) -> Vec<String> {
    display_order(article)
        .into_iter()
        .map(|i| &article.blocks()[i])
        .filter(|b| b.kind == BlockKind::Paragraph && !b.range.is_empty())
        .map(|b| b.text.to_string())
        .collect()
}

/// Waits until `article` is open and checks that the headline and the body
/// are exactly its own (no paragraph of another article left over).
async fn shows(app: &App, article: &Article, how: &str) -> Result<()> {
    let id = article.id();
    let expected = body_texts(article);
    app.until(
        &format!("{id} open and drawn ({how})"),
        &format!(
            "document.querySelector('article')?.dataset.articleId === {} \
             && document.querySelectorAll('article .body > p').length >= {}",
            json!(id),
            expected.len()
        ),
    )
    .await?;
    // Let any chunk still pending land, then read what is shown.
    app.js("return new Promise(r => setTimeout(() => r(0), 150))")
        .await?;
    let shown: Vec<String> = serde_json::from_value(
        app.js(
            "return [...document.querySelectorAll('article .body > p')].map(p => p.textContent)",
        )
        .await?,
    )?;
    assert_eq!(shown, expected, "the body of {id} after {how}");
    assert_eq!(
        app.text("article h1").await?,
        article.headline(),
        "the headline of {id} after {how}"
    );
    Ok(())
}

/// The article's saved annotations (none before the first save).
async fn saved(app: &App, article: &Article) -> Result<Vec<serde_json::Value>> {
    if app.stored(annotator_core::saver::DATA_KEY).await?.is_none() {
        return Ok(Vec::new());
    }
    app.saved_annotations(article.id()).await
}

/// Tags the `nth` word of the article's last body paragraph as an entity
/// with a mouse drag and key 1, and checks the saved annotation holds that
/// word at its offsets in this article.
async fn tag_lands(app: &App, article: &Article, nth: usize, how: &str) -> Result<()> {
    let block = article
        .blocks()
        .iter()
        .rev()
        .find(|b| b.kind == BlockKind::Paragraph && !b.range.is_empty())
        .ok_or("no body paragraph")?;
    let all = words(&block.text);
    let (s, e) = all[nth % all.len()];
    let (start, end) = (block.range.start + s, block.range.start + e);
    let quote: String = block.text.chars().skip(s).take(e - s).collect();
    let before = saved(app, article).await?.len();
    app.drag_select(start, end).await?;
    app.keys("article", "1").await?;
    app.until(
        &format!("the tag after {how}"),
        &format!(
            "document.querySelectorAll('article [data-ann]').length > 0 && \
             [...document.querySelectorAll('article [data-ann]')].some(h => h.textContent === {})",
            json!(quote)
        ),
    )
    .await?;
    let saved = saved(app, article).await?;
    assert_eq!(saved.len(), before + 1, "one more annotation after {how}");
    assert!(
        saved
            .iter()
            // A user's article's annotations are saved without their quote
            // (the entry carries the text, FORMAT.md); a built-in one's
            // quote is saved and must be the word.
            .any(|a| a["start"] == start
                && a["end"] == end
                && (a["quote"] == quote.as_str() || a.get("quote").is_none())),
        "after {how}, {quote:?} at {start}..{end} is saved on {}: {saved:?}",
        article.id()
    );
    Ok(())
}

#[tokio::test]
async fn every_way_of_opening_an_article_shows_only_its_text_and_tags_land_on_it() -> Result<()> {
    let seed = fixtures::article();
    let markup = extra_seed(MARKUP);
    let unicode = extra_seed(UNICODE);
    let app = App::start().await?;
    app.open(&format!("/#/article/{SEED}")).await?;
    shows(&app, &seed, "the first load").await?;

    // A click in the list.
    app.click(&format!("nav button[data-article-id='{UNICODE}']"))
        .await?;
    shows(&app, &unicode, "a click in the list").await?;
    tag_lands(&app, &unicode, 0, "a click in the list").await?;

    // The keyboard: focus a list entry, press Enter.
    app.keys(&format!("nav button[data-article-id='{SEED}']"), "\u{E007}")
        .await?;
    shows(&app, &seed, "Enter in the list").await?;
    tag_lands(&app, &seed, 0, "Enter in the list").await?;

    // Back and forward.
    app.client.back().await?;
    shows(&app, &unicode, "back").await?;
    tag_lands(&app, &unicode, 2, "back").await?;
    app.client.forward().await?;
    shows(&app, &seed, "forward").await?;
    tag_lands(&app, &seed, 2, "forward").await?;

    // A change of the URL's hash (a link, or typing the address).
    app.js(&format!("location.hash = '#/article/{MARKUP}'; return 0;"))
        .await?;
    shows(&app, &markup, "a hash change").await?;
    tag_lands(&app, &markup, 0, "a hash change").await?;

    // Undo of an edit made in another article opens that article.
    app.click(&format!("nav button[data-article-id='{UNICODE}']"))
        .await?;
    shows(&app, &unicode, "a click before undo").await?;
    app.keys("article", "\u{E009}z\u{E000}").await?;
    shows(&app, &markup, "undo of a tag in another article").await?;
    tag_lands(&app, &markup, 1, "undo").await?;

    // Reload: the same article, the same body.
    app.reload().await?;
    shows(&app, &markup, "a reload").await?;
    app.finish().await
}

#[tokio::test]
async fn adding_removing_and_importing_open_articles_with_only_their_text() -> Result<()> {
    let seed = fixtures::article();
    let unicode = extra_seed(UNICODE);
    let app = App::start().await?;
    app.open(&format!("/#/article/{UNICODE}")).await?;
    shows(&app, &unicode, "the first load").await?;

    // Add an article: it opens, with only its own paragraphs.
    let headline = "Harbour plan approved after long debate";
    let body = "The council approved the harbour plan on Monday.\nWork starts in spring, the mayor said.\nCritics said the cost was too high.";
    app.click("button.add-article-button").await?;
    app.wait_for(".add-dialog input[name=headline]").await?;
    app.js(&format!(
        "const f = document.querySelector('.add-dialog');
         for (const [name, value] of [['headline', {}], ['body', {}]]) {{
           const el = f.querySelector('[name=' + name + ']'); el.value = value; el.dispatchEvent(new Event('input', {{bubbles: true}}));
         }} return 0;",
        json!(headline),
        json!(body)
    ))
    .await?;
    app.click(".add-dialog button.add").await?;
    let text = format!("\n{headline}\n\n{body}");
    let added = Article::parse(&annotator_core::article::user_article_id(&text), &text)?;
    shows(&app, &added, "adding an article").await?;
    tag_lands(&app, &added, 1, "adding an article").await?;

    // Its native export ("This article") carries its text, so the file can
    // restore it in another browser (item 2).
    app.click("button.export-button").await?;
    app.click("#export-panel button.download").await?;
    let path = app
        .download(&format!("{}-annotations-", added.id()), "json")
        .await?;
    let exported: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)?;
    assert_eq!(
        exported["articles"][0]["text"].as_str(),
        Some(added.text()),
        "the native file of a user's article holds its text"
    );

    // Remove it: another article opens, with only its own text.
    app.click("button.remove-article").await?;
    app.click(".dialog button.confirm-remove").await?;
    app.until(
        "the added article gone",
        &format!(
            "document.querySelector('article')?.dataset.articleId !== {}",
            json!(added.id())
        ),
    )
    .await?;
    let open_id = app
        .js("return document.querySelector('article').dataset.articleId")
        .await?;
    let open = match open_id.as_str() {
        Some(SEED) => seed.clone(),
        Some(UNICODE) => unicode.clone(),
        Some(other) => extra_seed(other),
        None => return Err("no article open after removing".into()),
    };
    shows(&app, &open, "removing an article").await?;
    // Nothing of the removed article stays selected, and the address names
    // the article now shown.
    assert_eq!(
        app.js("return document.querySelector('.details') === null && document.querySelector('button[data-label=entity]').disabled")
            .await?,
        true,
        "no annotation of the removed article stays selected"
    );
    assert_eq!(
        app.js("return location.hash").await?,
        format!("#/article/{}", open.id())
    );
    tag_lands(&app, &open, 3, "removing an article").await?;

    // Import a file for the seed while another article is open: the seed
    // opens with its own text.
    app.click(&format!("nav button[data-article-id='{UNICODE}']"))
        .await?;
    shows(&app, &unicode, "a click before import").await?;
    let file = fixtures::file_with(&[(
        "11111111-1111-4111-8111-111111111111",
        annotator_core::Label::Entity,
        "Shinjiro Koizumi",
    )]);
    app.choose_file("input.import-file", "colleague.json", file.as_bytes())
        .await?;
    app.click(".import-dialog button.merge").await?;
    shows(&app, &seed, "an import").await?;
    tag_lands(&app, &seed, 4, "an import").await?;
    assert!(SEED_TEXT.contains("Shinjiro Koizumi"));
    app.finish().await
}
