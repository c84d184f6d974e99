//! Bringing your own articles and working through many (issue: Articles).

use annotator_core::saver::DATA_KEY;
use serde_json::{json, Value};

use annotator_test_support::{App, Result, SAVED_JSON};

const PASTED_HEADLINE: &str = "Local council “votes” on 東京 sister-city deal 🎉";
const PASTED_BODY: &str =
    "The council met on Tuesday 👩‍💻 and voted 7–2.\nCafe\u{301} owners welcomed it.";

fn user_id(text: &str) -> String {
    format!("user-{}", &annotator_core::article::sha256_hex(text)[..12])
}

async fn add_by_paste(app: &App, headline: &str, summary: &str, body: &str) -> Result<()> {
    if app
        .js("return document.querySelector('.add-dialog').closest('.backdrop').hidden")
        .await?
        == true
    {
        app.click("button.add-article-button").await?;
    }
    app.wait_for(".add-dialog input[name=headline]").await?;
    // Set the fields as typing would (send_keys cannot type astral characters in Chromium).
    app.js(&format!(
        "const f = document.querySelector('.add-dialog');
         for (const [name, value] of [['headline', {}], ['summary', {}], ['body', {}]]) {{
           const el = f.querySelector('[name=' + name + ']'); el.value = value; el.dispatchEvent(new Event('input', {{bubbles: true}}));
         }} return 0;",
        json!(headline),
        json!(summary),
        json!(body)
    ))
    .await?;
    app.click(".add-dialog button.add").await?;
    Ok(())
}

#[tokio::test]
async fn paste_an_article_annotate_reload_export_and_restore_it_in_a_fresh_browser() -> Result<()> {
    let text = format!("\n{PASTED_HEADLINE}\n\n{PASTED_BODY}");
    let id = user_id(&text);
    let app = App::start().await?;
    app.open("/").await?;
    add_by_paste(&app, PASTED_HEADLINE, "", PASTED_BODY).await?;
    app.until(
        "the new article open",
        &format!("document.querySelector('article').dataset.articleId === '{id}'"),
    )
    .await?;
    assert_eq!(app.text("article h1").await?, PASTED_HEADLINE);
    assert_eq!(
        app.js("return location.hash").await?,
        format!("#/article/{id}")
    );
    // Annotate a word after the emoji, and the CJK.
    let article = annotator_core::Article::parse(&id, &text)?;
    let find = |needle: &str| {
        let byte = article.text().find(needle).unwrap_or(0);
        let s = article.text()[..byte].chars().count();
        (s, s + needle.chars().count())
    };
    let (s, e) = find("東京");
    app.drag_select(s, e).await?;
    app.keys("article", "1").await?;
    let (s, e) = find("voted 7–2");
    app.drag_select(s, e).await?;
    app.keys("article", "2").await?;
    app.until(
        "two annotations",
        "document.querySelectorAll('.entries li').length === 2",
    )
    .await?;
    // Adding the same text again opens the existing one.
    app.click("nav button[data-article-id='000_6ee9234a710e1662']")
        .await?;
    add_by_paste(&app, PASTED_HEADLINE, "", PASTED_BODY).await?;
    app.until(
        "opened the existing one",
        &format!("document.querySelector('article').dataset.articleId === '{id}'"),
    )
    .await?;
    assert_eq!(
        app.js("return document.querySelectorAll('nav li').length")
            .await?,
        annotator_test_support::seed_count() + 1
    );
    // Reload: still there, same article open (from the URL).
    app.reload().await?;
    app.until(
        "restored after reload",
        &format!("document.querySelector('article')?.dataset.articleId === '{id}'"),
    )
    .await?;
    assert_eq!(
        app.js("return document.querySelectorAll('.entries li').length")
            .await?,
        2
    );
    // Export everything (native), then import it into a fresh browser.
    app.click("button.export-button").await?;
    app.click("#export-panel input[value='all']").await?;
    app.click("#export-panel button.download").await?;
    let path = app.download("all-annotations-", "json").await?;
    let bytes = std::fs::read(&path)?;
    let file: Value = serde_json::from_slice(&bytes)?;
    let entry = file["articles"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["id"] == id.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(entry["text"], text.as_str());
    app.finish().await?;

    let fresh = App::start().await?;
    fresh.open("/").await?;
    assert_eq!(
        fresh
            .js("return document.querySelectorAll('nav li').length")
            .await?,
        annotator_test_support::seed_count()
    );
    fresh
        .choose_file("input.import-file", "backup.json", &bytes)
        .await?;
    fresh.wait_for(".import-dialog .preview").await?;
    fresh.click(".import-dialog button.merge").await?;
    fresh
        .until(
            "restored article",
            &format!("document.querySelector('nav button[data-article-id=\"{id}\"]')"),
        )
        .await?;
    fresh
        .click(&format!("nav button[data-article-id='{id}']"))
        .await?;
    fresh
        .until(
            "its annotations",
            "document.querySelectorAll('.entries li').length === 2",
        )
        .await?;
    let quotes = fresh.texts(".entries .entry-quote").await?;
    assert_eq!(quotes, ["東京", "voted 7–2"]);
    fresh.screenshot("articles-restored").await?;
    fresh.finish().await
}

#[tokio::test]
async fn add_three_files_at_once_remove_one_and_undo() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    let dir = std::env::temp_dir().join(format!("aa-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut paths = Vec::new();
    for (name, content) in [
        (
            "one.txt",
            "Summary one\r\nFirst file\r\n\r\nBody one.\r\n".as_bytes(),
        ),
        (
            "two.txt",
            "\u{feff}Summary two\nSecond file 😀\n\nBody two with words.\n".as_bytes(),
        ),
        (
            "three.txt",
            b"Summary three\nThird file\n\nBody three.\n\n\n".as_slice(),
        ),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, content)?;
        paths.push(p.display().to_string());
    }
    let input = app
        .client
        .find(fantoccini::Locator::Css("input.add-files"))
        .await?;
    input.send_keys(&paths.join("\n")).await?;
    let n = annotator_test_support::seed_count();
    app.until(
        "three added",
        &format!("document.querySelectorAll('nav li').length === {}", n + 3),
    )
    .await?;
    let titles = app.texts("nav .article-title").await?;
    assert!(
        titles.contains(&"First file".to_string())
            && titles.contains(&"Second file 😀".to_string())
            && titles.contains(&"Third file".to_string()),
        "{titles:?}"
    );
    // Tag something in "Third file" (open), then remove it: the confirmation counts the annotation.
    app.until(
        "third open",
        "document.querySelector('article h1').textContent === 'Third file'",
    )
    .await?;
    app.keys(
        "article",
        &format!(
            "{}{}",
            annotator_test_support::RIGHT,
            annotator_test_support::RIGHT
        ),
    )
    .await?;
    app.keys("article", "3").await?;
    app.until(
        "tagged",
        "document.querySelectorAll('.entries li').length === 1",
    )
    .await?;
    app.click("button.remove-article").await?;
    assert_eq!(app.text("[role=alertdialog] .remove-count").await?, "1");
    // The dialog's backdrop covers the whole window, not just the article
    // column (which is a contained box).
    let covers = app
        .js("const r = document.querySelector('[role=alertdialog]').parentElement.getBoundingClientRect(); return r.left === 0 && r.top === 0 && r.width === innerWidth && r.height === innerHeight;")
        .await?;
    assert_eq!(covers, serde_json::json!(true));
    app.screenshot("articles-remove-dialog").await?;
    app.click("[role=alertdialog] button.confirm-remove")
        .await?;
    app.until(
        "removed",
        &format!("document.querySelectorAll('nav li').length === {}", n + 2),
    )
    .await?;
    app.click("button.undo").await?;
    app.until(
        "back",
        &format!("document.querySelectorAll('nav li').length === {}", n + 3),
    )
    .await?;
    app.until("with its annotation", "document.querySelector('article h1')?.textContent === 'Third file' && document.querySelectorAll('.entries li').length === 1").await?;
    // Seeds cannot be removed.
    app.click("nav button[data-article-id='000_6ee9234a710e1662']")
        .await?;
    app.until(
        "seed open",
        "document.querySelector('article').dataset.articleId === '000_6ee9234a710e1662'",
    )
    .await?;
    assert_eq!(
        app.js("return document.querySelector('button.remove-article') === null")
            .await?,
        true
    );
    let saved: Value = serde_json::from_str(&app.stored(DATA_KEY).await?.unwrap_or_default())?;
    assert_eq!(
        saved["articles"]
            .as_array()
            .map(|a| a.iter().filter(|e| e["text"].is_string()).count()),
        Some(3)
    );
    app.finish().await
}

#[tokio::test]
async fn refusals_say_why_and_add_nothing() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    let before = app
        .js("return document.querySelectorAll('nav li').length")
        .await?;
    // Empty paste.
    add_by_paste(&app, "", "", "   ").await?;
    app.until(
        "empty refused",
        "document.querySelector('[data-alert=add-article]')?.textContent.includes('empty')",
    )
    .await?;
    // No headline line.
    add_by_paste(&app, "", "", "Just one line of text").await?;
    app.until(
        "headline refused",
        "document.querySelector('[data-alert=add-article]')?.textContent.includes('headline')",
    )
    .await?;
    app.js("document.querySelector('.add-dialog button.cancel').click(); return 0;")
        .await?;
    // A file that is not UTF-8, and one over 2 MB.
    let dir = std::env::temp_dir().join(format!("aa-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let latin = dir.join("latin1.txt");
    std::fs::write(&latin, b"Caf\xe9 summary\nHeadline\n\nBody")?;
    let big = dir.join("big.txt");
    std::fs::write(&big, vec![b'a'; 2 * 1024 * 1024 + 10])?;
    let input = app
        .client
        .find(fantoccini::Locator::Css("input.add-files"))
        .await?;
    input
        .send_keys(&format!("{}\n{}", latin.display(), big.display()))
        .await?;
    app.until(
        "files refused",
        "document.querySelector('[data-alert=add-article]')?.textContent.includes('latin1.txt')",
    )
    .await?;
    let alert = app.text("[data-alert=add-article]").await?;
    assert!(
        alert.contains("not UTF-8") && alert.contains("big.txt") && alert.contains("2 MB"),
        "{alert}"
    );
    assert_eq!(
        app.js("return document.querySelectorAll('nav li').length")
            .await?,
        before
    );
    app.screenshot("articles-refused").await?;
    app.finish().await
}

#[tokio::test]
async fn the_url_routes_back_button_and_unknown_ids() -> Result<()> {
    let app = App::start().await?;
    app.open("/#/article/zz_unicode_crlf").await?;
    app.until(
        "routed",
        "document.querySelector('article h1')?.textContent.startsWith('Unicode')",
    )
    .await?;
    app.click("nav button[data-article-id='000_6ee9234a710e1662']")
        .await?;
    app.until(
        "hash follows",
        "location.hash === '#/article/000_6ee9234a710e1662'",
    )
    .await?;
    app.client.back().await?;
    app.until(
        "back lands on the previous article",
        "document.querySelector('article h1')?.textContent.startsWith('Unicode')",
    )
    .await?;
    app.open("/#/article/no-such-thing").await?;
    app.until(
        "message",
        "document.querySelector('[data-alert=route]')?.textContent.includes('no-such-thing')",
    )
    .await?;
    assert!(
        app.js("return document.querySelectorAll('nav li').length")
            .await?
            != 0,
        "the list is shown"
    );
    // Filter and done marks.
    app.keys(".article-list input[type=search]", "unicode")
        .await?;
    app.until(
        "filtered",
        "document.querySelectorAll('nav li').length === 1",
    )
    .await?;
    app.click("nav li .done-mark input").await?;
    app.until(
        "done saved",
        &format!("{SAVED_JSON}.includes('\"done\":true')"),
    )
    .await?;
    app.reload().await?;
    app.until("done after reload", "document.querySelector('nav li.done')")
        .await?;
    app.finish().await
}
