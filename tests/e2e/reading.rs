//! Opening the app and reading articles.

use annotator_test_support::{App, Result};

const SEED_HEADLINE: &str =
    "South Korea, Japan to Deepen Defence Ties, Pledge Collaboration on AI and Unmanned Systems";

#[tokio::test]
async fn the_page_shows_the_first_seed_with_no_console_error() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    assert_eq!(app.text("article h1").await?, SEED_HEADLINE);
    let standfirst = app.text("article .standfirst").await?;
    assert!(standfirst.starts_with("South Korea and Japan agreed to strengthen defence"));
    let paragraphs = app.texts("article .body p").await?;
    assert_eq!(paragraphs.len(), 7, "{paragraphs:#?}");
    assert!(paragraphs[1].starts_with("Shinjiro Koizumi, Japan's defence minister"));
    let quoted = app
        .js("return document.querySelector('article').textContent")
        .await?;
    assert!(
        quoted.as_str().unwrap_or_default().contains("“"),
        "curly quotes kept"
    );
    assert_eq!(
        app.js("return document.title").await?.as_str(),
        Some(format!("{SEED_HEADLINE} · Article Annotator").as_str())
    );
    // The list names every article by its headline and marks the open one.
    let names = app
        .texts("nav[aria-label='Articles'] li button .article-title")
        .await?;
    assert_eq!(names[0], SEED_HEADLINE);
    assert!(
        names.iter().any(|n| n.starts_with("Unicode Offsets")),
        "{names:?}"
    );
    assert_eq!(
        app.text("nav button[aria-current='page'] .article-title")
            .await?,
        SEED_HEADLINE
    );
    app.screenshot("reading-seed").await?;
    app.finish().await
}

#[tokio::test]
async fn clicking_an_article_in_the_list_switches_to_it() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    app.click("nav button[data-article-id='zz_unicode_crlf']")
        .await?;
    app.until(
        "the second article to open",
        "document.querySelector('article h1').textContent.startsWith('Unicode Offsets')",
    )
    .await?;
    assert_eq!(
        app.text("article h1").await?,
        "Unicode Offsets: 日本語 Headline with 👩‍💻 and 🇰🇷"
    );
    // CRLF and BOM are gone from what is shown; the last line is muted boilerplate.
    let article = app
        .js("return document.querySelector('article').textContent")
        .await?;
    let article = article.as_str().unwrap_or_default();
    assert!(!article.contains('\r') && !article.contains('\u{feff}'));
    assert_eq!(app.text("article .boilerplate").await?, "Help us improve.");
    assert_eq!(
        app.text("nav button[aria-current='page'] .article-title")
            .await?,
        "Unicode Offsets: 日本語 Headline with 👩‍💻 and 🇰🇷"
    );
    app.click("nav button[data-article-id='000_6ee9234a710e1662']")
        .await?;
    app.until(
        "the seed to open again",
        "document.querySelector('article h1').textContent.startsWith('South Korea')",
    )
    .await?;
    app.finish().await
}

#[tokio::test]
async fn article_text_is_rendered_as_text_not_html() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    app.click("nav button[data-article-id='zz_markup']").await?;
    app.until(
        "the markup article to open",
        "document.querySelector('article h1').textContent.includes('<b>')",
    )
    .await?;
    let bold = app
        .js("return document.querySelectorAll('article b, article img, article script').length")
        .await?;
    assert_eq!(bold, 0, "no element was created from article text");
    let fired = app.js("return window.__xss === undefined").await?;
    assert_eq!(fired, true, "no handler ran");
    app.finish().await
}
