//! The digest (issue 16), walked as a person would: the seed article
//! annotated as the gold file says (spans and the seven relations), one
//! mention named as the person it is, then the digest by key, grouped by
//! actor, filtered, sorted, reloaded from its URL, a row opened and Back,
//! a status changed from a row and undone, the shown rows exported as CSV
//! and read back, and an actor's page.

use annotator_core::edit::Edit;
use annotator_core::formats::native;
use annotator_core::ids::{AnnotationId, ArticleId, Timestamp};
use annotator_core::saver::DATA_KEY;
use annotator_core::{linking, Catalog, Workspace};
use serde_json::json;

use crate::fixtures::{SEED, SEED_TEXT};
use crate::linking::{gold, gold_state};
use annotator_test_support::{App, Result};

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
const CONTROL: &str = "\u{E009}";
const DOWN: &str = "\u{E015}";

/// The gold spans and relations as a saved state.
fn gold_linked() -> String {
    let catalog = Catalog::from_seeds(&[(SEED, SEED_TEXT)]).0;
    let file = native::read(&gold_state()).expect("gold state reads");
    let (mut ws, _) = Workspace::from_native(file, &catalog);
    let now = Timestamp::from("2026-11-28T09:30:00.000Z");
    for (i, r) in gold()["relations"]
        .as_array()
        .expect("relations")
        .iter()
        .enumerate()
    {
        let set = ws.set(SEED).cloned().unwrap_or_default();
        let change = linking::link(
            &set,
            &ArticleId::from(SEED),
            &AnnotationId::from(r["from"].as_str().expect("from")),
            &AnnotationId::from(r["to"].as_str().expect("to")),
            &format!("rel-{i}"),
            &now,
        )
        .expect("link");
        ws.apply(&catalog, &Edit::one("link", change), now.as_str());
    }
    native::write(&ws.to_native(now.as_str()))
}

/// Sets a digest control (a select) to `value` as a person choosing it.
async fn choose(app: &App, css: &str, value: &str) -> Result<()> {
    app.js(&format!(
        "const s = document.querySelector({}); s.value = {}; s.dispatchEvent(new Event('change', {{bubbles: true}})); return 0;",
        json!(css),
        json!(value)
    ))
    .await?;
    Ok(())
}

async fn row_ids(app: &App) -> Result<Vec<String>> {
    Ok(app
        .js("return [...document.querySelectorAll('.digest tr[data-ann]')].map(r => r.dataset.ann)")
        .await?
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect())
}

async fn until_rows(app: &App, n: usize) -> Result<()> {
    app.until(
        &format!("{n} rows"),
        &format!("document.querySelectorAll('.digest tr[data-ann]').length === {n}"),
    )
    .await?;
    Ok(())
}

async fn headings(app: &App) -> Result<Vec<String>> {
    Ok(app
        .js("return [...document.querySelectorAll('.digest-group')].map(h => h.firstElementChild.textContent)")
        .await?
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect())
}

#[tokio::test]
async fn the_digest_groups_filters_sorts_opens_and_exports() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    app.js(&format!(
        "localStorage.setItem('{DATA_KEY}', {}); return 0;",
        json!(gold_linked())
    ))
    .await?;
    app.reload().await?;
    app.until(
        "markers drawn",
        "document.querySelectorAll('article .hl[data-by]').length === 4",
    )
    .await?;
    // The second mention of Koizumi (s29, "Koizumi") is the same person.
    app.keys(".entries button[data-ann='s29']", ENTER).await?;
    app.wait_for(".details[data-ann='s29'] input.entity-name")
        .await?;
    app.js("document.querySelector('.details input.entity-name').select(); return 0;")
        .await?;
    app.keys(
        ".details input.entity-name",
        &format!("Shinjiro Koizumi{TAB}"),
    )
    .await?;
    app.saved().await?;
    // D opens the digest: four commitments and three claims.
    app.keys("article", "d").await?;
    until_rows(&app, 7).await?;
    assert!(app.js("return location.hash").await?.as_str() == Some("#/digest"));
    // Grouped by actor, as the relations say; the rest unattributed.
    choose(&app, ".digest select.f-group", "actor").await?;
    app.until(
        "grouped",
        "document.querySelectorAll('.digest-group').length > 0",
    )
    .await?;
    assert_eq!(
        headings(&app).await?,
        [
            "Ahn Gyu-back",
            "Japan",
            "Shinjiro Koizumi",
            "South Korea",
            "Unattributed"
        ]
    );
    let koizumi = app
        .js("return [...document.querySelectorAll('.digest-group')].find(h => h.firstElementChild.textContent === 'Shinjiro Koizumi').nextElementSibling.querySelectorAll('tr[data-ann]').length")
        .await?;
    assert_eq!(koizumi, 2, "Koizumi: the joint exercises and his claim");
    // A filter by keyboard: focus stays on the control, the view follows.
    app.keys(".digest select.f-kind", DOWN).await?;
    app.until(
        "claims only, focus kept",
        "location.hash.includes('kind=claim') && document.activeElement?.classList.contains('f-kind')",
    )
    .await?;
    until_rows(&app, 3).await?;
    // Filtered to commitments: four, and the URL says so.
    choose(&app, ".digest select.f-kind", "commitment").await?;
    app.until(
        "commitments only",
        "[...document.querySelectorAll('.digest td.d-kind')].every(t => t.textContent === 'Commitment')",
    )
    .await?;
    let hash = app.js("return location.hash").await?;
    assert_eq!(hash, "#/digest?kind=commitment&group=actor", "{hash}");
    // The URL alone brings the same view back.
    app.reload().await?;
    app.until(
        "grouped again",
        "document.querySelectorAll('.digest-group').length === 5",
    )
    .await?;
    assert_eq!(
        headings(&app).await?,
        [
            "Ahn Gyu-back",
            "Japan",
            "Shinjiro Koizumi",
            "South Korea",
            "Unattributed"
        ]
    );
    // Sorted by due date: the one with a date first, undated last.
    choose(&app, ".digest select.f-group", "none").await?;
    until_rows(&app, 4).await?;
    let before = row_ids(&app).await?;
    assert_eq!(
        before,
        ["s2", "s4", "s12", "s19"],
        "article order while undated"
    );
    // A status from the row; Ctrl+Z undoes it.
    choose(&app, ".digest tr[data-ann='s12'] select.row-status", "kept").await?;
    let status_of = |id: &str| {
        format!(
            "JSON.parse(localStorage.getItem('{DATA_KEY}')).articles[0].annotations.find(a => a.id === '{id}').attributes?.status ?? null"
        )
    };
    app.until("kept saved", &format!("{} === 'kept'", status_of("s12")))
        .await?;
    app.keys(
        ".digest tr[data-ann='s12']",
        &format!("{CONTROL}z{CONTROL}"),
    )
    .await?;
    app.until("undone", &format!("{} === null", status_of("s12")))
        .await?;
    // The row shows it.
    app.until(
        "the row follows",
        "document.querySelector(\".digest tr[data-ann='s12'] select.row-status\").value === ''",
    )
    .await?;
    // The keyboard: ↓ to the next row, Enter opens it in its article with
    // the span selected; Back returns to the digest on that row.
    app.keys(".digest tr[data-ann='s4']", DOWN).await?;
    app.until(
        "s12 focused",
        "document.activeElement?.dataset?.ann === 's12'",
    )
    .await?;
    app.keys(".digest tr[data-ann='s12']", ENTER).await?;
    app.wait_for(".details[data-ann='s12']").await?;
    app.wait_for("article .hl.selected[data-ann='s12']").await?;
    app.client.back().await?;
    until_rows(&app, 4).await?;
    app.until(
        "back on the row",
        "document.activeElement?.dataset?.ann === 's12'",
    )
    .await?;
    assert_eq!(
        app.js("return location.hash").await?,
        "#/digest?kind=commitment"
    );
    // The article's keys do nothing here: Delete does not delete the
    // annotation that was selected in the article, out of sight now.
    app.keys(".digest tr[data-ann='s12']", "\u{E017}").await?;
    app.saved().await?;
    assert!(app
        .saved_annotations(SEED)
        .await?
        .iter()
        .any(|a| a["id"] == "s12"));
    until_rows(&app, 4).await?;
    // Export the rows shown: CSV with one line per row, read back.
    app.click(".digest button.export-csv").await?;
    let path = app.download("digest-", "csv").await?;
    let csv = std::fs::read_to_string(&path)?;
    // Python's csv module reads the same rows, quotes included.
    let python = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import csv, json, sys\n\
             rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))\n\
             print(json.dumps([[r['annotation_id'], r['quote'], r['actors'], r['kind']] for r in rows]))",
        )
        .arg(&path)
        .output()?;
    let read: Vec<Vec<String>> = serde_json::from_slice(&python.stdout).map_err(|e| {
        format!(
            "python read {e}: {}",
            String::from_utf8_lossy(&python.stderr)
        )
    })?;
    let _ = std::fs::remove_file(&path);
    let gold_quote = |id: &str| {
        gold()["spans"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["key"] == id)
            .and_then(|s| s["quote"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    for r in &read {
        assert_eq!(r[1], gold_quote(&r[0]), "{r:?}");
        assert_eq!(r[3], "commitment", "{r:?}");
    }
    let by_id: std::collections::BTreeMap<&str, &str> = read
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(by_id.get("s19"), Some(&"Shinjiro Koizumi; Ahn Gyu-back"));
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.map(|r| r.get(2).unwrap_or_default().to_string()))
        .collect::<std::result::Result<_, _>>()?;
    assert_eq!(ids, row_ids(&app).await?);
    // An actor's page: what he committed to, with whom.
    app.js("location.hash = '#/digest/actor/Ahn%20Gyu-back'; return 0;")
        .await?;
    until_rows(&app, 1).await?;
    assert_eq!(app.text(".actor-page h1").await?, "Ahn Gyu-back");
    assert_eq!(app.texts(".partners li a").await?, ["Shinjiro Koizumi"]);
    app.finish().await
}
