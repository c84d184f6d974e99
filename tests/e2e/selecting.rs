//! Making a selection while other things happen (issue 13, items 3–5):
//! another tab saves mid-selection, a nested tag inside a selected claim,
//! and the page holding still while a selection is made.

use annotator_core::saver::DATA_KEY;
use annotator_core::Label;
use serde_json::json;

use crate::fixtures::{article, find, preload, SEED};
use annotator_test_support::{App, Result, RIGHT};

const CLAIM: &str = "South Korea and Japan's defence ministers agreed on Friday to deepen bilateral military cooperation";

#[tokio::test]
async fn another_tabs_save_keeps_the_selection_being_made_and_the_cursor() -> Result<()> {
    let seed = article();
    let app = App::start().await?;
    app.open(&format!("/#/article/{SEED}")).await?;
    // A selection in progress over "Shinjiro Koizumi".
    let (s, e) = find(&seed, "Shinjiro Koizumi");
    app.drag_select(s, e).await?;
    app.until(
        "the tag buttons to enable",
        "!document.querySelector('button[data-label=entity]').disabled",
    )
    .await?;
    // Another tab saves an annotation around it: this tab merges and
    // redraws the paragraph under the selection.
    let (cs, ce) = find(&seed, "Shinjiro Koizumi, Japan's defence minister");
    let other = crate::fixtures::file_with(&[(
        "22222222-2222-4222-8222-222222222222",
        Label::Claim,
        "Shinjiro Koizumi, Japan's defence minister",
    )]);
    app.js(&format!(
        "const old = localStorage.getItem('{DATA_KEY}');
         localStorage.setItem('{DATA_KEY}', {file});
         window.dispatchEvent(new StorageEvent('storage', {{ key: '{DATA_KEY}', oldValue: old, newValue: {file}, storageArea: localStorage }}));
         return 0;",
        file = json!(other)
    ))
    .await?;
    app.until(
        "the other tab's claim drawn",
        "document.querySelector('article [data-label=claim]') !== null",
    )
    .await?;
    assert_eq!(
        app.js("return getSelection().toString()").await?,
        "Shinjiro Koizumi",
        "the selection survives the redraw"
    );
    assert_eq!(
        app.js("return document.querySelector('button[data-label=entity]').disabled")
            .await?,
        false,
        "the tag buttons stay enabled"
    );
    app.keys("article", "1").await?;
    let saved = app.saved_annotations(SEED).await?;
    assert!(
        saved
            .iter()
            .any(|a| a["start"] == s && a["end"] == e && a["label"] == "entity"),
        "{saved:?}"
    );
    assert!(saved.iter().any(|a| a["start"] == cs && a["end"] == ce));

    // The keyboard cursor too: a word selected with → survives a redraw.
    app.keys("article", RIGHT).await?;
    let word = app.js("return getSelection().toString()").await?;
    assert!(!word.as_str().unwrap_or_default().is_empty());
    let again = crate::fixtures::file_with(&[(
        "33333333-3333-4333-8333-333333333333",
        Label::Commitment,
        "Shinjiro Koizumi",
    )]);
    app.js(&format!(
        "const old = localStorage.getItem('{DATA_KEY}');
         window.dispatchEvent(new StorageEvent('storage', {{ key: '{DATA_KEY}', oldValue: old, newValue: {file}, storageArea: localStorage }}));
         return 0;",
        file = json!(again)
    ))
    .await?;
    app.until(
        "the commitment drawn",
        "document.querySelector('article [data-label=commitment]') !== null",
    )
    .await?;
    assert_eq!(app.js("return getSelection().toString()").await?, word);
    app.finish().await
}

#[tokio::test]
async fn an_entity_can_be_tagged_by_mouse_inside_a_selected_claim() -> Result<()> {
    let seed = article();
    let app = App::start().await?;
    app.open(&format!("/#/article/{SEED}")).await?;
    preload(
        &app,
        &[("44444444-4444-4444-8444-444444444444", Label::Claim, CLAIM)],
    )
    .await?;
    // Select the claim with a click on it.
    let (cs, _) = find(&seed, CLAIM);
    let (ks, _) = find(&seed, "South Korea and Japan's defence");
    let (ks, ke) = (ks, ks + "South Korea".chars().count());
    assert_eq!(ks, cs);
    app.click_at(cs + 30).await?;
    app.until(
        "the claim selected",
        "document.querySelector('.details') !== null",
    )
    .await?;
    // Drag across "South Korea" inside it, then press 1.
    app.drag_select(ks, ke).await?;
    app.keys("article", "1").await?;
    app.until(
        "the nested entity",
        "document.querySelectorAll('article [data-label=entity]').length === 1",
    )
    .await?;
    let saved = app.saved_annotations(SEED).await?;
    assert!(
        saved
            .iter()
            .any(|a| a["start"] == ks && a["end"] == ke && a["label"] == "entity"),
        "{saved:?}"
    );
    assert_eq!(saved.len(), 2, "the claim is still there: {saved:?}");
    app.finish().await
}

#[tokio::test]
async fn nothing_above_the_article_changes_size_while_selecting() -> Result<()> {
    let seed = article();
    // Narrow enough that the toolbar wraps, where a longer hint once added
    // a line.
    for width in [1280, 900, 390] {
        let app = App::start_with_args(&[&format!("--window-size={width},900")]).await?;
        app.open(&format!("/#/article/{SEED}")).await?;
        app.wait_for("article .body p").await?;
        // Where the article sits in the page (not the viewport: dragging
        // may scroll), and the height of the bar above it.
        let top = "const a = document.querySelector('article'); let y = 0; for (let e = a; e; e = e.offsetParent) y += e.offsetTop; return y + ':' + document.querySelector('.app-bar').offsetHeight";
        let before = app.js(top).await?;
        let (s, e) = find(&seed, "Shinjiro Koizumi");
        app.drag_select(s, e).await?;
        app.until(
            "the hint to change",
            "!document.querySelector('button[data-label=entity]').disabled",
        )
        .await?;
        assert_eq!(
            app.js(top).await?,
            before,
            "at {width} px, with a selection"
        );
        app.keys("article", "1").await?;
        app.until(
            "tagged",
            "document.querySelector('article [data-label=entity]') !== null",
        )
        .await?;
        app.click_at(s + 1).await?;
        app.until("selected", "document.querySelector('.details') !== null")
            .await?;
        assert_eq!(
            app.js(top).await?,
            before,
            "at {width} px, an annotation selected"
        );
        app.finish().await?;
    }
    Ok(())
}

#[tokio::test]
async fn small_screens_and_zoom_keep_the_tag_buttons_and_details_at_hand() -> Result<()> {
    let seed = article();
    // 390 px (a phone) and 640×450 CSS px (a laptop at 200% zoom).
    for (w, h) in [(390, 844), (640, 450)] {
        let app = App::start_with_args(&[&format!("--window-size={w},{h}")]).await?;
        if w < 500 {
            // Headless windows are at least 500 px wide.
            app.phone().await?;
        }
        app.open(&format!("/#/article/{SEED}")).await?;
        preload(
            &app,
            &[("99999999-9999-4999-8999-999999999999", Label::Claim, CLAIM)],
        )
        .await?;
        let sideways =
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth";
        assert_eq!(
            app.js(sideways).await?,
            0,
            "no sideways scrolling at {w}×{h}"
        );
        // Scrolled down into the text: the tag buttons are still on screen.
        let (s, e) = find(&seed, "Ahn Gyu-back");
        app.drag_select(s, e).await?;
        let on_screen = "const r = document.querySelector('button[data-label=entity]').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth";
        assert_eq!(
            app.js(on_screen).await?,
            true,
            "tag buttons reachable at {w}×{h}"
        );
        app.click("button[data-label=entity]").await?;
        app.until(
            "tagged",
            "document.querySelector('article [data-label=entity]') !== null",
        )
        .await?;
        // Selecting an annotation opens its details on screen, not far below.
        let (cs, _) = find(&seed, CLAIM);
        app.click_at(cs + 50).await?;
        app.until("details", "document.querySelector('.details') !== null")
            .await?;
        let near = "const r = document.querySelector('.details').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight && r.bottom <= innerHeight + 1";
        assert_eq!(app.js(near).await?, true, "details on screen at {w}×{h}");
        assert_eq!(app.js(sideways).await?, 0, "still no sideways scrolling");
        app.screenshot(&format!("narrow-{w}x{h}")).await?;
        app.finish().await?;
    }
    Ok(())
}
