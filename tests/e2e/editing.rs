//! Editing, undo/redo, the annotation list and two tabs (issue: Edit and navigate).

use annotator_core::Label;
use serde_json::Value;

use crate::fixtures::{article, find, preload, SEED};
use annotator_test_support::{App, Result, SAVED_JSON};

/// (id, label, quote, note) of the saved annotations, sorted by id.
async fn saved(app: &App) -> Result<Vec<(String, String, String, String)>> {
    let mut out: Vec<_> = app
        .saved_annotations(SEED)
        .await?
        .iter()
        .map(|a: &Value| {
            let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
            (s("id"), s("label"), s("quote"), s("note"))
        })
        .collect();
    out.sort();
    Ok(out)
}

fn row(id: &str, label: &str, quote: &str, note: &str) -> (String, String, String, String) {
    (id.into(), label.into(), quote.into(), note.into())
}

async fn select_in_list(app: &App, id: &str) -> Result<()> {
    app.click(&format!(".entries button[data-ann='{id}']"))
        .await?;
    app.until(
        "details shown",
        &format!("document.querySelector('.details[data-ann=\"{id}\"]')"),
    )
    .await?;
    Ok(())
}

async fn press(app: &App, keys: &str) -> Result<()> {
    // App-wide keys: typed with the article focused, as a person would.
    app.keys("article", keys).await
}

#[tokio::test]
async fn relabel_resize_delete_and_note_each_undo_and_redo_across_reloads() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    preload(
        &app,
        &[
            ("k", Label::Entity, "Shinjiro Koizumi"),
            ("y", Label::Entity, "Yokosuka"),
        ],
    )
    .await?;
    let base = vec![
        row("k", "entity", "Shinjiro Koizumi", ""),
        row("y", "entity", "Yokosuka", ""),
    ];
    assert_eq!(saved(&app).await?, base);

    // Relabel with the hotkey, undo with Ctrl+Z, redo with Ctrl+Y.
    select_in_list(&app, "k").await?;
    press(&app, "2").await?;
    app.until(
        "relabelled",
        "document.querySelector('article [data-ann=\"k\"]').dataset.label === 'claim'",
    )
    .await?;
    assert_eq!(
        saved(&app).await?[0],
        row("k", "claim", "Shinjiro Koizumi", "")
    );
    press(&app, "\u{E009}z\u{E000}").await?;
    app.until(
        "undone",
        "document.querySelector('article [data-ann=\"k\"]').dataset.label === 'entity'",
    )
    .await?;
    assert_eq!(saved(&app).await?, base);
    press(&app, "\u{E009}y\u{E000}").await?;
    app.until(
        "redone",
        "document.querySelector('article [data-ann=\"k\"]').dataset.label === 'claim'",
    )
    .await?;
    app.reload().await?;
    app.until(
        "kept after reload",
        "document.querySelector('article [data-ann=\"k\"]')?.dataset.label === 'claim'",
    )
    .await?;

    // Resize: the start one word right with ], then back with the toolbar's Undo.
    select_in_list(&app, "k").await?;
    press(&app, "]").await?;
    app.until(
        "resized",
        "document.querySelector('.details-quote').textContent === 'Koizumi'",
    )
    .await?;
    assert_eq!(saved(&app).await?[0], row("k", "claim", "Koizumi", ""));
    press(&app, ".").await?;
    app.until(
        "end moved",
        "document.querySelector('.details-quote').textContent === 'Koizumi, Japan'",
    )
    .await?;
    app.click("button.undo").await?;
    app.until(
        "end back",
        "document.querySelector('.details-quote')?.textContent === 'Koizumi'",
    )
    .await?;
    app.click("button.undo").await?;
    app.until(
        "start back",
        "document.querySelector('.details-quote')?.textContent === 'Shinjiro Koizumi'",
    )
    .await?;
    app.click("button.redo").await?;
    app.until(
        "redone",
        "document.querySelector('.details-quote')?.textContent === 'Koizumi'",
    )
    .await?;
    app.reload().await?;
    app.until("reloaded", "document.querySelector('.entries button')")
        .await?;
    assert_eq!(saved(&app).await?[0], row("k", "claim", "Koizumi", ""));

    // Note: typed, saved on Ctrl+Enter, shown as text, undone.
    select_in_list(&app, "y").await?;
    let note = "Naval base <b>not bold</b> & “quoted”";
    app.keys(
        ".details textarea",
        &format!("{note}\u{E009}\u{E007}\u{E000}"),
    )
    .await?;
    app.until(
        "note saved",
        &format!("{SAVED_JSON}.includes('Naval base')"),
    )
    .await?;
    assert_eq!(saved(&app).await?[1], row("y", "entity", "Yokosuka", note));
    app.until(
        "note marker",
        "document.querySelector('.entries button[data-ann=\"y\"] .note-marker')",
    )
    .await?;
    press(&app, "\u{E009}z\u{E000}").await?;
    app.until(
        "note undone",
        &format!("!{SAVED_JSON}.includes('Naval base')"),
    )
    .await?;
    press(&app, "\u{E009}\u{E008}z\u{E000}").await?;
    app.until(
        "note redone",
        &format!("{SAVED_JSON}.includes('Naval base')"),
    )
    .await?;
    app.reload().await?;
    select_in_list(&app, "y").await?;
    assert_eq!(
        app.js("return document.querySelector('.details textarea').value")
            .await?,
        note
    );
    assert_eq!(
        app.js("return document.querySelectorAll('.details b').length")
            .await?,
        0
    );

    // Delete with the Delete key; undo brings it back, redo removes it again.
    select_in_list(&app, "y").await?;
    press(&app, "\u{E017}").await?;
    app.until(
        "deleted",
        "!document.querySelector('article [data-ann=\"y\"]')",
    )
    .await?;
    assert_eq!(saved(&app).await?[0], row("k", "claim", "Koizumi", ""));
    assert_eq!(saved(&app).await?.len(), 1);
    press(&app, "\u{E009}z\u{E000}").await?;
    app.until(
        "delete undone",
        "document.querySelector('article [data-ann=\"y\"]')",
    )
    .await?;
    assert_eq!(saved(&app).await?.len(), 2);
    press(&app, "\u{E009}y\u{E000}").await?;
    app.until(
        "delete redone",
        "!document.querySelector('article [data-ann=\"y\"]')",
    )
    .await?;
    app.reload().await?;
    app.until("reloaded", "document.querySelector('.entries button')")
        .await?;
    assert_eq!(saved(&app).await?, vec![row("k", "claim", "Koizumi", "")]);
    app.screenshot("edit-after-delete").await?;
    app.finish().await
}

#[tokio::test]
async fn undo_survives_switching_articles_and_delete_undo_after_reload_is_gone() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    preload(&app, &[("k", Label::Entity, "Shinjiro Koizumi")]).await?;
    select_in_list(&app, "k").await?;
    app.click(".details button.delete").await?;
    app.until(
        "deleted",
        "!document.querySelector('article [data-ann=\"k\"]')",
    )
    .await?;
    app.click("nav button[data-article-id='zz_unicode_crlf']")
        .await?;
    app.until(
        "other article",
        "document.querySelector('article h1').textContent.startsWith('Unicode')",
    )
    .await?;
    app.click("button.undo").await?;
    // Undo reopens the seed with the annotation back.
    app.until(
        "restored",
        "document.querySelector('article [data-ann=\"k\"]')",
    )
    .await?;
    assert_eq!(
        saved(&app).await?,
        vec![row("k", "entity", "Shinjiro Koizumi", "")]
    );
    app.finish().await
}

#[tokio::test]
async fn the_list_selects_scrolls_filters_counts_and_moves_with_arrow_keys() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    preload(
        &app,
        &[
            ("a", Label::Entity, "Shinjiro Koizumi"),
            (
                "b",
                Label::Claim,
                "The ministers discussed steps to preserve peace",
            ),
            (
                "c",
                Label::Commitment,
                "agreed to conduct joint naval search-and-rescue exercises",
            ),
            ("d", Label::Entity, "Help us improve."),
        ],
    )
    .await?;
    // In text order, with per-label counts here and in the article list.
    let entries = app.texts(".entries .entry-quote").await?;
    assert_eq!(
        entries,
        [
            "Shinjiro Koizumi",
            "agreed to conduct joint naval search-and-rescue exercises",
            "The ministers discussed steps to preserve peace",
            "Help us improve."
        ]
    );
    assert_eq!(app.texts(".filters .count").await?, ["2", "1", "1"]);
    assert_eq!(
        app.texts("nav button[data-article-id='000_6ee9234a710e1662'] .article-counts span")
            .await?,
        ["2", "1", "1"]
    );
    // Clicking the last entry scrolls its highlight into view and selects it.
    app.js("window.scrollTo(0, 0); return 0;").await?;
    app.click(".entries button[data-ann='d']").await?;
    app.until("scrolled", "(() => { const r = document.querySelector('article [data-ann=\"d\"]').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()").await?;
    app.until(
        "selected",
        "document.querySelector('article [data-ann=\"d\"]').classList.contains('selected')",
    )
    .await?;
    // ↑ moves to the previous entry and selects it.
    app.keys(".entries button[data-ann='d']", "\u{E013}")
        .await?;
    app.until(
        "previous selected",
        "document.querySelector('.details')?.dataset.ann === 'b'",
    )
    .await?;
    assert_eq!(
        app.js("return document.activeElement.dataset.ann").await?,
        "b"
    );
    // Filters: hide entities; search narrows by quote and note.
    app.click(".filters button[data-label='entity']").await?;
    app.until(
        "entities hidden",
        "document.querySelectorAll('.entries li').length === 2",
    )
    .await?;
    app.keys(".annotation-list .search input", "naval").await?;
    app.until(
        "searched",
        "document.querySelectorAll('.entries li').length === 1",
    )
    .await?;
    assert_eq!(
        app.texts(".entries .entry-quote").await?,
        ["agreed to conduct joint naval search-and-rescue exercises"]
    );
    app.screenshot("edit-list-filtered").await?;
    app.finish().await
}

#[tokio::test]
async fn two_tabs_editing_at_once_lose_nothing() -> Result<()> {
    let article = article();
    let app = App::start().await?;
    app.open("/").await?;
    preload(&app, &[("shared", Label::Entity, "Shinjiro Koizumi")]).await?;
    let first = app.client.window().await?;
    let second = app.client.new_window(true).await?.handle;
    app.client.switch_to_window(second.clone()).await?;
    app.open("/").await?;
    app.until(
        "annotations in tab 2",
        "document.querySelector('article [data-ann]')",
    )
    .await?;
    // Tab 2 tags a span and relabels the shared one.
    let (s, e) = find(&article, "Ahn Gyu-back");
    app.drag_select(s, e).await?;
    app.keys("article", "1").await?;
    app.until(
        "tagged in tab 2",
        "document.querySelectorAll('.entries li').length === 2",
    )
    .await?;
    select_in_list(&app, "shared").await?;
    press(&app, "3").await?;
    app.until(
        "relabelled in tab 2",
        "document.querySelector('article [data-ann=\"shared\"]').dataset.label === 'commitment'",
    )
    .await?;
    // Tab 1 (which has not reloaded) tags another span.
    app.client.switch_to_window(first).await?;
    app.until(
        "tab 1 sees tab 2's work",
        "document.querySelectorAll('.entries li').length === 2",
    )
    .await?;
    let (s, e) = find(&article, "Yokosuka");
    app.drag_select(s, e).await?;
    app.keys("article", "2").await?;
    app.until(
        "tagged in tab 1",
        "document.querySelectorAll('.entries li').length === 3",
    )
    .await?;
    assert_eq!(
        app.js("return document.querySelector('article [data-ann=\"shared\"]').dataset.label")
            .await?,
        "commitment"
    );
    // Both tabs and storage hold all three.
    let quotes: Vec<String> = saved(&app)
        .await?
        .into_iter()
        .map(|r| format!("{}:{}", r.1, r.2))
        .collect();
    let mut quotes = quotes;
    quotes.sort();
    assert_eq!(
        quotes,
        [
            "claim:Yokosuka",
            "commitment:Shinjiro Koizumi",
            "entity:Ahn Gyu-back"
        ]
    );
    app.client.switch_to_window(second).await?;
    app.until(
        "tab 2 sees tab 1's work",
        "document.querySelectorAll('.entries li').length === 3",
    )
    .await?;
    app.finish().await
}
