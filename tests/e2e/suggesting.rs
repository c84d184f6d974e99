//! Suggestions (issue 17), walked as a person would on the seed article:
//! tag "South Korea" and "Japan" once and their other mentions are offered
//! (drawn as highlights, not annotations); J and Y accept them one by one,
//! A previews and accepts the rest in one undoable step; commitment cues
//! ("agreed to …") are offered as commitments with their actors; a rejected
//! suggestion stays gone after a reload; an export holds only what was
//! accepted; suggestions can be switched off, and stay off.

use serde_json::Value;

use crate::fixtures::{article, find, SEED};
use annotator_test_support::{App, Result};

const CONTROL: &str = "\u{E009}";

/// How many suggestions of each kind are drawn (the registered highlights'
/// range counts), as "entity:N claim:N commitment:N current:N".
async fn drawn(app: &App) -> Result<String> {
    let v = app
        .js("return ['entity','claim','commitment','current']\
               .map(n => n + ':' + (CSS.highlights.get('aa-sg-' + n) || {size: 0}).size).join(' ');")
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

async fn until_drawn(app: &App, what: &str, want: &str) -> Result<()> {
    for _ in 0..60 {
        if drawn(app).await? == want {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("{what}: drawn {}, wanted {want}", drawn(app).await?).into())
}

/// The text of the current suggestion's card.
async fn card(app: &App) -> Result<String> {
    app.text(".suggestion-card").await
}

/// Switches the model off, so the counts below are the repeats' and cues'
/// alone (the model's suggestions depend on its training; it has its own
/// scenario).
async fn model_off(app: &App) -> Result<()> {
    app.click("input[name='suggestion-model']").await?;
    app.until(
        "model off",
        "!document.querySelector('input[name=suggestion-model]').checked",
    )
    .await?;
    Ok(())
}

async fn tag(app: &App, needle: &str, key: &str) -> Result<()> {
    let (s, e) = find(&article(), needle);
    app.drag_select(s, e).await?;
    app.keys("article.article", key).await?;
    app.saved().await?;
    Ok(())
}

async fn entity_count(app: &App) -> Result<usize> {
    Ok(app
        .saved_annotations(SEED)
        .await?
        .iter()
        .filter(|a| a["label"] == "entity")
        .count())
}

#[tokio::test]
async fn tag_two_names_then_accept_their_mentions_by_keys() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    app.wait_for("article [data-s]").await?;
    model_off(&app).await?;
    tag(&app, "South Korea", "1").await?;
    tag(&app, "Japan", "1").await?;
    // 5 more "South Korea" (not "South Korean"), 7 more "Japan" ("Japan's"
    // too); cues offer the "agreed to …" commitments and the "told" claim.
    until_drawn(
        &app,
        "after two tags",
        "entity:12 claim:1 commitment:5 current:0",
    )
    .await?;
    assert_eq!(
        app.saved_annotations(SEED).await?.len(),
        2,
        "suggestions are not saved"
    );

    // J goes to the first in reading order: the headline's "South Korea"
    // (the headline is shown above the summary). Y accepts it and moves on
    // to the headline's "Japan"; Y again.
    app.keys("article.article", "j").await?;
    let first = card(&app).await?;
    assert!(
        first.contains("South Korea") && first.contains("Repeat"),
        "{first}"
    );
    app.keys("article.article", "y").await?;
    app.until(
        "accepted",
        "document.querySelector('.status').textContent.includes('Accepted “South Korea”')",
    )
    .await?;
    app.keys("article.article", "y").await?;
    app.until(
        "accepted",
        "document.querySelector('.status').textContent.includes('Accepted “Japan”')",
    )
    .await?;
    assert_eq!(entity_count(&app).await?, 4);
    // Next comes the summary's first commitment, with both names as its
    // actors; Y accepts it, linked to them.
    let next = card(&app).await?;
    assert!(
        next.contains("agreed to strengthen defence cooperation"),
        "{next}"
    );
    assert!(next.contains("Committed by South Korea, Japan"), "{next}");
    app.keys("article.article", "y").await?;
    app.until(
        "accepted with its links",
        "document.querySelector('.status').textContent.includes('linked to 2 names')",
    )
    .await?;
    let saved = app.saved_annotations(SEED).await?;
    let commitment = saved
        .iter()
        .find(|a| a["label"] == "commitment")
        .ok_or("the commitment is saved")?;
    assert_eq!(
        commitment["quote"],
        "agreed to strengthen defence cooperation"
    );
    // J past the next commitment reaches the body's first "South Korea".
    app.keys("article.article", "j").await?;

    // A on an entity: a preview with the count, then one step for all.
    app.until(
        "an entity is current",
        "document.querySelector('.suggestion-card.sg-entity') !== null",
    )
    .await?;
    app.keys("article.article", "a").await?;
    let dialog = app.text("[aria-labelledby='accept-all-title']").await?;
    assert!(dialog.contains("Accept all 10 entities?"), "{dialog}");
    app.click("button.confirm-accept").await?;
    app.saved().await?;
    assert_eq!(entity_count(&app).await?, 14);
    until_drawn(
        &app,
        "entities accepted",
        "entity:0 claim:1 commitment:4 current:0",
    )
    .await?;
    // One Ctrl+Z takes all ten back, and they are offered again.
    app.keys("article.article", &format!("{CONTROL}z{CONTROL}"))
        .await?;
    app.saved().await?;
    assert_eq!(entity_count(&app).await?, 4);
    until_drawn(
        &app,
        "after undo",
        "entity:10 claim:1 commitment:4 current:0",
    )
    .await?;
    app.finish().await
}

#[tokio::test]
async fn rejected_stay_gone_and_exports_hold_only_accepted() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    app.wait_for("article [data-s]").await?;
    model_off(&app).await?;
    tag(&app, "Japan", "1").await?;
    until_drawn(
        &app,
        "after one tag",
        "entity:7 claim:1 commitment:5 current:0",
    )
    .await?;
    // The first suggestion in reading order is the headline's "Japan":
    // reject it; Ctrl+Z takes the rejection back (and not the tag before
    // it); N rejects it again.
    app.keys("article.article", "j").await?;
    let c = card(&app).await?;
    assert!(c.contains("Japan") && c.contains("Repeat"), "{c}");
    app.keys("article.article", "n").await?;
    app.until(
        "rejected",
        "document.querySelector('.status').textContent.startsWith('Rejected')",
    )
    .await?;
    until_drawn(
        &app,
        "after rejecting",
        "entity:6 claim:1 commitment:5 current:1",
    )
    .await?;
    app.keys("article.article", &format!("{CONTROL}z{CONTROL}"))
        .await?;
    app.until(
        "the rejection undone",
        "document.querySelector('.status').textContent.startsWith('Rejection undone')",
    )
    .await?;
    until_drawn(
        &app,
        "offered again",
        "entity:7 claim:1 commitment:5 current:1",
    )
    .await?;
    assert_eq!(
        app.saved_annotations(SEED).await?.len(),
        1,
        "the tag is still there"
    );
    app.keys("article.article", "n").await?;
    until_drawn(
        &app,
        "rejected again",
        "entity:6 claim:1 commitment:5 current:1",
    )
    .await?;
    let stored = app
        .stored("article-annotator.rejected")
        .await?
        .unwrap_or_default();
    assert!(
        stored.contains(SEED) && stored.contains("entity:"),
        "{stored}"
    );
    // The one now current is the summary's first commitment: accept it
    // (linked to the tagged "Japan"), then reload: the rejection holds.
    let c = card(&app).await?;
    assert!(
        c.contains("agreed to strengthen defence cooperation"),
        "{c}"
    );
    app.keys("article.article", "y").await?;
    app.until(
        "accepted, linked",
        "document.querySelector('.status').textContent.includes('linked to 1 name')",
    )
    .await?;
    app.saved().await?;
    assert_eq!(app.saved_annotations(SEED).await?.len(), 2);
    app.reload().await?;
    app.wait_for("article [data-s]").await?;
    until_drawn(
        &app,
        "after reload",
        "entity:6 claim:1 commitment:4 current:0",
    )
    .await?;
    // A click inside a suggestion (not at its start) makes it current.
    let (at, _) = find(&article(), "Japan's defence ministers");
    app.click_at(at + 2).await?;
    app.until(
        "a card",
        "document.querySelector('.suggestion-card.sg-entity') !== null",
    )
    .await?;
    assert!(card(&app).await?.contains("Japan"));

    // The export holds the two annotations and no suggestion.
    app.click("button.export-button").await?;
    app.click("#export-panel input[value='current']").await?;
    app.click("#export-panel button.download").await?;
    let path = app
        .download(&format!("{SEED}-annotations-"), "json")
        .await?;
    let file: Value = serde_json::from_slice(&std::fs::read(path)?)?;
    let exported = file["articles"][0]["annotations"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(exported, 2);

    // Off: nothing drawn, J says so; the setting survives a reload.
    app.click("input[name='suggestions-on']").await?;
    until_drawn(
        &app,
        "switched off",
        "entity:0 claim:0 commitment:0 current:0",
    )
    .await?;
    app.keys("article.article", "j").await?;
    app.until(
        "told",
        "document.querySelector('.status').textContent.includes('Suggestions are off')",
    )
    .await?;
    app.reload().await?;
    app.wait_for("article [data-s]").await?;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(
        drawn(&app).await?,
        "entity:0 claim:0 commitment:0 current:0"
    );
    app.finish().await
}

#[tokio::test]
async fn the_model_learns_the_first_half_and_suggests_in_the_second() -> Result<()> {
    let half = article().len() / 2;
    let state = crate::linking::gold_state_with(|s| {
        s["start"].as_u64().is_some_and(|x| (x as usize) < half)
    });
    let app = App::start().await?;
    app.open("/").await?;
    app.js(&format!(
        "localStorage.setItem('{}', {}); return 0;",
        annotator_core::saver::DATA_KEY,
        serde_json::json!(state)
    ))
    .await?;
    app.reload().await?;
    app.wait_for("article [data-s]").await?;
    // Trained when the page is idle, in slices; its held-out figures show.
    app.until_for(
        "the model's report",
        "(document.querySelector('.model-status') || {}).textContent?.startsWith('Model learned from')",
        std::time::Duration::from_secs(20),
    )
    .await?;
    // The entity row has figures (held-out entities were tested), not "–".
    let row = app
        .js(
            "const r = document.querySelector('.model-scores tbody tr'); \
             return [...r.cells].map(c => c.textContent);",
        )
        .await?;
    let cells: Vec<String> = serde_json::from_value(row)?;
    assert_eq!(
        cells.first().map(String::as_str),
        Some("Entity"),
        "{cells:?}"
    );
    let tested: usize = cells.get(4).and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(tested > 0, "{cells:?}");
    assert!(
        cells[1..4].iter().all(|c| c.parse::<f64>().is_ok()),
        "{cells:?}"
    );
    // Step through every suggestion once the model has tagged the article
    // and its suggestions are in: some come from the model.
    app.until_for(
        "the model's suggestions",
        "performance.getEntriesByName('aa-model-tagged').length > 0 \
         && ['entity','claim','commitment'].some(n => (CSS.highlights.get('aa-sg-' + n) || {size: 0}).size > 0)",
        std::time::Duration::from_secs(20),
    )
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let total: usize = drawn(&app)
        .await?
        .split(' ')
        .filter(|p| !p.starts_with("current"))
        .filter_map(|p| p.split(':').nth(1)?.parse::<usize>().ok())
        .sum();
    assert!(total > 0, "suggestions drawn");
    let mut from_model = Vec::new();
    for _ in 0..total {
        app.keys("article.article", "j").await?;
        let c = card(&app).await?;
        if c.contains("Model") {
            from_model.push(c);
        }
    }
    assert!(
        !from_model.is_empty(),
        "no suggestion from the model among {total}"
    );
    // A model guess says so and is never "100%" sure.
    assert!(
        from_model
            .iter()
            .all(|c| c.contains("learned from your annotations") && !c.contains("100%")),
        "{from_model:?}"
    );
    app.finish().await
}

#[tokio::test]
async fn suggestions_follow_the_open_article() -> Result<()> {
    const UNICODE: &str = "zz_unicode_crlf";
    let app = App::start().await?;
    app.open("/").await?;
    app.wait_for("article [data-s]").await?;
    model_off(&app).await?;
    tag(&app, "Japan", "1").await?;
    until_drawn(&app, "seed", "entity:7 claim:1 commitment:5 current:0").await?;
    app.keys("article.article", "j").await?;
    app.wait_for(".suggestion-card").await?;
    // Another article: no card, and nothing from the seed drawn on its text
    // (it has no "Japan" and no cue).
    app.click(&format!("nav button[data-article-id='{UNICODE}']"))
        .await?;
    app.until(
        "the other article open",
        &format!("document.querySelector('article.article').dataset.articleId === '{UNICODE}'"),
    )
    .await?;
    app.until(
        "no card",
        "document.querySelector('.suggestion-card') === null",
    )
    .await?;
    until_drawn(
        &app,
        "other article",
        "entity:0 claim:0 commitment:0 current:0",
    )
    .await?;
    app.keys("article.article", "j").await?;
    app.until(
        "J says there are none",
        "document.querySelector('.status').textContent.startsWith('No suggestions here')",
    )
    .await?;
    // Back: the seed's suggestions again.
    app.click(&format!("nav button[data-article-id='{SEED}']"))
        .await?;
    until_drawn(
        &app,
        "seed again",
        "entity:7 claim:1 commitment:5 current:0",
    )
    .await?;
    app.finish().await
}
