//! Dialogs, assistive technology and notices (issue 13, items 9–12): focus
//! goes in on a safe control, stays in, comes back; Escape closes wherever
//! focus is; shortcuts do nothing behind a dialog; highlights and counts
//! speak; notices fade and can be dismissed; orphans have a place.

use annotator_core::saver::DATA_KEY;
use annotator_core::Label;
use serde_json::json;

use crate::fixtures::{article, file_with, find, preload, SEED};
use annotator_test_support::{App, Result, ESCAPE, RIGHT};

const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";

/// The class of the focused element, or its tag name.
async fn focused(app: &App) -> Result<String> {
    Ok(app
        .js("const el = document.activeElement; return el ? (el.className || el.tagName) + '|' + (el.name || '') : ''")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// Sends keys to whatever has focus.
async fn press(app: &App, keys: &str) -> Result<()> {
    app.client.active_element().await?.send_keys(keys).await?;
    Ok(())
}

#[tokio::test]
async fn dialogs_take_focus_keep_it_and_give_it_back_and_block_shortcuts() -> Result<()> {
    let seed = article();
    let app = App::start().await?;
    app.open(&format!("/#/article/{SEED}")).await?;
    preload(
        &app,
        &[(
            "55555555-5555-4555-8555-555555555555",
            Label::Entity,
            "Shinjiro Koizumi",
        )],
    )
    .await?;

    // Add article: focus on the first field; Tab cycles inside; Esc closes
    // from any control; focus returns to the button that opened it.
    app.click("button.add-article-button").await?;
    app.until(
        "focus in the dialog",
        "document.activeElement?.name === 'headline'",
    )
    .await?;
    for _ in 0..12 {
        press(&app, TAB).await?;
        assert_eq!(
            app.js("return document.querySelector('.add-dialog').contains(document.activeElement)")
                .await?,
            true,
            "Tab stays in the dialog (at {})",
            focused(&app).await?
        );
    }
    press(&app, SHIFT_TAB).await?;
    press(&app, SHIFT_TAB).await?;
    assert_eq!(
        app.js("return document.querySelector('.add-dialog').contains(document.activeElement)")
            .await?,
        true
    );
    // Shortcuts do nothing behind it: Ctrl+Z does not undo the preload's
    // absence, 1 tags nothing, Delete deletes nothing.
    let before = app.saved_annotations(SEED).await?.len();
    app.js("document.querySelector('.add-dialog button.cancel').focus(); return 0;")
        .await?;
    press(&app, "1").await?;
    press(&app, "\u{E009}z\u{E000}").await?;
    assert_eq!(app.saved_annotations(SEED).await?.len(), before);
    assert_eq!(
        app.js("return document.querySelector('.add-dialog').closest('.backdrop').hidden")
            .await?,
        false,
        "still open"
    );
    press(&app, ESCAPE).await?;
    app.until(
        "the dialog closed",
        "document.querySelector('.add-dialog').closest('.backdrop').hidden",
    )
    .await?;
    app.until(
        "focus back on the button",
        "document.activeElement?.classList.contains('add-article-button')",
    )
    .await?;

    // The import preview: Merge (safe) has focus, never Replace; Ctrl+Z and
    // 1 do nothing behind it; Esc cancels; focus returns.
    app.js("document.querySelector('button.import-button').focus(); return 0;")
        .await?;
    let file = file_with(&[(
        "66666666-6666-4666-8666-666666666666",
        Label::Claim,
        "Shinjiro Koizumi",
    )]);
    app.choose_file("input.import-file", "colleague.json", file.as_bytes())
        .await?;
    app.wait_for(".import-dialog").await?;
    app.until(
        "Merge focused",
        "document.activeElement?.classList.contains('merge')",
    )
    .await?;
    let (s, e) = find(&seed, "Ahn Gyu-back");
    let _ = (s, e);
    press(&app, "\u{E009}z\u{E000}").await?;
    press(&app, "1").await?;
    assert_eq!(app.saved_annotations(SEED).await?.len(), before);
    // Focus outside the dialog (a script moved it): Esc still closes.
    app.js("document.body.focus(); return 0;").await?;
    app.client.active_element().await?.send_keys(ESCAPE).await?;
    app.until(
        "the preview closed",
        "document.querySelector('.import-dialog') === null",
    )
    .await?;
    assert_eq!(app.saved_annotations(SEED).await?.len(), before);

    // The Export popover closes on Esc and on a click outside.
    app.click("button.export-button").await?;
    app.until("open", "!document.getElementById('export-panel').hidden")
        .await?;
    press(&app, ESCAPE).await?;
    app.until(
        "closed by Esc",
        "document.getElementById('export-panel').hidden",
    )
    .await?;
    assert_eq!(
        app.js("return document.activeElement?.classList.contains('export-button')")
            .await?,
        true
    );
    app.click("button.export-button").await?;
    app.until("open", "!document.getElementById('export-panel').hidden")
        .await?;
    app.click("article h1").await?;
    app.until(
        "closed by a click outside",
        "document.getElementById('export-panel').hidden",
    )
    .await?;
    app.finish().await
}

#[tokio::test]
async fn removing_asks_with_focus_on_cancel_and_gives_focus_back() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    app.click("button.add-article-button").await?;
    app.wait_for(".add-dialog input[name=headline]").await?;
    app.js(
        "const f = document.querySelector('.add-dialog');
         for (const [name, value] of [['headline', 'A short note'], ['body', 'One line of body text.']]) {
           const el = f.querySelector('[name=' + name + ']'); el.value = value; el.dispatchEvent(new Event('input', {bubbles: true}));
         } return 0;",
    )
    .await?;
    app.click(".add-dialog button.add").await?;
    app.wait_for("button.remove-article").await?;
    app.js("document.querySelector('button.remove-article').focus(); return 0;")
        .await?;
    press(&app, "\u{E007}").await?;
    app.until(
        "Cancel focused, not Remove",
        "document.activeElement?.classList.contains('cancel') && document.activeElement.closest('[role=alertdialog]') !== null",
    )
    .await?;
    press(&app, "\u{E009}z\u{E000}").await?;
    assert_eq!(
        app.js("return document.querySelector('article h1').textContent")
            .await?,
        "A short note",
        "Ctrl+Z behind the dialog did not undo the add"
    );
    press(&app, ESCAPE).await?;
    app.until(
        "closed, focus back on Remove article…",
        "document.querySelector('[role=alertdialog]') === null && document.activeElement?.classList.contains('remove-article')",
    )
    .await?;
    app.finish().await
}

#[tokio::test]
async fn assistive_technology_hears_labels_counts_and_cursor_moves() -> Result<()> {
    let app = App::start().await?;
    app.open(&format!("/#/article/{SEED}")).await?;
    preload(
        &app,
        &[(
            "77777777-7777-4777-8777-777777777777",
            Label::Entity,
            "Shinjiro Koizumi",
        )],
    )
    .await?;
    // A highlight is a mark whose role description is its label.
    let hl = app
        .js("const h = document.querySelector('article [data-ann]'); return h.getAttribute('role') + '|' + h.getAttribute('aria-roledescription')")
        .await?;
    assert_eq!(hl, "mark|Entity");
    // The count is text, not an aria-label on a span.
    assert_eq!(
        app.js("return document.querySelector('.annotation-list h2 .count').hasAttribute('aria-label')")
            .await?,
        false
    );
    assert_eq!(
        app.js("return document.querySelector('.annotation-list h2').textContent.replace(/\\s+/g, ' ').trim()")
            .await?,
        "Annotations 1 in this article"
    );
    // One live region for status; no dialog role on a form.
    assert_eq!(
        app.js("return document.querySelectorAll('[role=status], [aria-live]').length")
            .await?,
        1
    );
    assert_eq!(
        app.js("return document.querySelectorAll('form[role=dialog]').length")
            .await?,
        0
    );
    // The word cursor announces what it selected; so does a nudge.
    app.keys("article", RIGHT).await?;
    let word = app.js("return getSelection().toString()").await?;
    app.until(
        "the cursor announced",
        &format!(
            "document.querySelector('.status').textContent.includes({})",
            json!(word)
        ),
    )
    .await?;
    app.click("#main .body [data-ann]").await?;
    app.until("selected", "document.querySelector('.details') !== null")
        .await?;
    app.keys("article", ".").await?;
    app.until(
        "the nudge announced",
        "document.querySelector('.status').textContent.startsWith('Entity now')",
    )
    .await?;
    // The article's focus ring uses the focus colour (3:1 like the others).
    let ring = app
        .js("const a = document.querySelector('article'); a.focus(); const s = getComputedStyle(a); return s.outlineColor + '|' + getComputedStyle(document.querySelector('.export-button'), null).getPropertyValue('--focus')")
        .await?;
    let ring = ring.as_str().unwrap_or_default().to_string();
    assert!(
        ring.starts_with("rgb(194, 65, 12)") || ring.starts_with("rgb(251, 146, 60)"),
        "the article's outline is the focus colour: {ring}"
    );
    app.finish().await
}

#[tokio::test]
async fn notices_fade_can_be_dismissed_and_orphans_are_told_once_and_can_be_placed() -> Result<()> {
    let seed = article();
    let app = App::start().await?;
    app.open(&format!("/#/article/{SEED}")).await?;
    // A saved annotation whose text is no longer in the article.
    let mut file: serde_json::Value = serde_json::from_str(&file_with(&[(
        "88888888-8888-4888-8888-888888888888",
        Label::Entity,
        "Shinjiro Koizumi",
    )]))?;
    let a = &mut file["articles"][0]["annotations"][0];
    a["quote"] = json!("Yoshimasa Hayashi");
    a["prefix"] = json!("");
    a["suffix"] = json!("");
    app.js(&format!(
        "localStorage.setItem('{DATA_KEY}', {}); return 0;",
        json!(file.to_string())
    ))
    .await?;
    app.reload().await?;
    app.until(
        "told about the orphan",
        "document.querySelector('.status').textContent.includes('kept aside')",
    )
    .await?;
    // The notice sits in its own bar, not over the text, and can be dismissed.
    let covers = app
        .js("const s = document.querySelector('.status-bar').getBoundingClientRect(); const r = document.querySelector('#main').getBoundingClientRect(); return s.top < r.bottom - 1 && s.bottom > r.top + 1")
        .await?;
    assert_eq!(covers, false, "the status bar never covers the text column");
    // A refusal alert (adding an empty article) sits in the page's flow,
    // not over the text.
    app.click("button.add-article-button").await?;
    app.wait_for(".add-dialog input[name=headline]").await?;
    app.click(".add-dialog button.add").await?;
    app.wait_for("[data-alert=add-article]").await?;
    app.keys(".add-dialog button.cancel", ESCAPE).await?;
    let over = app
        .js("const a = document.querySelector('[data-alert=add-article]').getBoundingClientRect(); const r = document.querySelector('#main').getBoundingClientRect(); return a.bottom > r.top + 1 && a.top < r.bottom - 1 && a.right > r.left + 1 && a.left < r.right - 1")
        .await?;
    assert_eq!(
        over, false,
        "the refusal alert never covers the text column"
    );
    app.click("[data-alert=add-article] button").await?;
    app.click("button.dismiss-status").await?;
    app.until(
        "dismissed",
        "document.querySelector('.status').textContent === ''",
    )
    .await?;
    // The next load does not tell it again; the orphan is still kept aside.
    app.reload().await?;
    app.wait_for(".kept-aside li").await?;
    app.js("return new Promise(r => setTimeout(() => r(0), 300))")
        .await?;
    assert_eq!(
        app.js("return document.querySelector('.status').textContent")
            .await?,
        ""
    );
    // Kept aside: listed, and placed again at a selection (undoable).
    let (s, e) = find(&seed, "Ahn Gyu-back");
    app.drag_select(s, e).await?;
    app.click(".kept-aside button.place-orphan").await?;
    app.until(
        "placed",
        "document.querySelector('.kept-aside') === null && document.querySelector('article [data-label=entity]')?.textContent === 'Ahn Gyu-back'",
    )
    .await?;
    let saved = app.saved_annotations(SEED).await?;
    assert!(saved.iter().any(|a| a["start"] == s
        && a["end"] == e
        && a["id"] == "88888888-8888-4888-8888-888888888888"));
    app.keys("article", "\u{E009}z\u{E000}").await?;
    app.wait_for(".kept-aside li").await?;
    assert!(app.saved_annotations(SEED).await?.is_empty());
    // A message fades by itself.
    app.keys("article", "1").await?;
    app.until(
        "a message",
        "document.querySelector('.status').textContent !== ''",
    )
    .await?;
    app.until_for(
        "the message to fade",
        "document.querySelector('.status').textContent === ''",
        std::time::Duration::from_secs(15),
    )
    .await?;
    app.finish().await
}
