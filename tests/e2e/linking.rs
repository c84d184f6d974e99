//! Attribution links and fields (issue 15), walked as a person would: the
//! seed article's reference spans (`tests/data/seed-gold.json`, a copy of
//! the shared gold file) are in the browser, and its seven relations are
//! made by keyboard alone (select in the list, L, a number), seen in the
//! text and the details, kept over a reload, and brought back by an
//! export → import into a fresh browser, in the native and W3C formats.

use std::collections::BTreeSet;

use annotator_core::edit::{self, Edit};
use annotator_core::formats::native;
use annotator_core::ids::{AnnotationId, ArticleId, Timestamp};
use annotator_core::saver::DATA_KEY;
use annotator_core::{Catalog, Label, Span, Workspace};
use serde_json::{json, Value};

use crate::fixtures::{article, SEED, SEED_TEXT};
use annotator_test_support::{App, Result};

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
const CONTROL: &str = "\u{E009}";

pub(crate) fn gold() -> Value {
    serde_json::from_str(include_str!("../data/seed-gold.json")).expect("gold json")
}

/// The gold spans as a saved state (ids are the gold keys), no relations.
pub(crate) fn gold_state() -> String {
    gold_state_with(|_| true)
}

/// The gold spans `keep` accepts as a saved state (ids are the gold keys).
pub(crate) fn gold_state_with(keep: impl Fn(&Value) -> bool) -> String {
    let gold = gold();
    let catalog = Catalog::from_seeds(&[(SEED, SEED_TEXT)]).0;
    let article = article();
    let mut ws = Workspace::new();
    let now = "2026-11-28T09:00:00.000Z";
    for s in gold["spans"].as_array().expect("spans") {
        if !keep(s) {
            continue;
        }
        let label = Label::parse(s["label"].as_str().expect("label")).expect("known label");
        let span = Span::new(
            s["start"].as_u64().expect("start") as usize,
            s["end"].as_u64().expect("end") as usize,
            article.len(),
        )
        .expect("span");
        let set = ws.set(SEED).cloned().unwrap_or_default();
        let change = edit::create(
            &set,
            &ArticleId::from(SEED),
            article.text(),
            label,
            span,
            AnnotationId::from(s["key"].as_str().expect("key")),
            &Timestamp::from(now),
        )
        .expect("new annotation");
        ws.apply(&catalog, &Edit::one("tag", change), now);
    }
    native::write(&ws.to_native(now))
}

/// The gold relations as (type, from key, to key).
fn gold_relations() -> BTreeSet<(String, String, String)> {
    gold()["relations"]
        .as_array()
        .expect("relations")
        .iter()
        .map(|r| {
            (
                r["type"].as_str().unwrap_or_default().to_string(),
                r["from"].as_str().unwrap_or_default().to_string(),
                r["to"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The relations saved for the seed, as (type, from span, to span) mapped
/// back to gold keys by span (imports may give new ids).
async fn saved_relations(app: &App) -> Result<BTreeSet<(String, String, String)>> {
    let raw = app.stored(DATA_KEY).await?.ok_or("nothing saved")?;
    let file: Value = serde_json::from_str(&raw)?;
    let entry = file["articles"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["id"] == SEED)
        .cloned()
        .ok_or("no seed entry")?;
    let gold = gold();
    let key_of_span = |start: &Value, end: &Value, label: &Value| {
        gold["spans"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["start"] == *start && s["end"] == *end && s["label"] == *label)
            .and_then(|s| s["key"].as_str())
            .unwrap_or("?")
            .to_string()
    };
    let annotations = entry["annotations"].as_array().cloned().unwrap_or_default();
    let key_of_id = |id: &Value| {
        annotations
            .iter()
            .find(|a| a["id"] == *id)
            .map(|a| key_of_span(&a["start"], &a["end"], &a["label"]))
            .unwrap_or_else(|| "missing".to_string())
    };
    Ok(entry["relations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["type"].as_str().unwrap_or_default().to_string(),
                key_of_id(&r["from"]),
                key_of_id(&r["to"]),
            )
        })
        .collect())
}

/// The name the picker shows for gold span `key` (its quote: no names set).
fn quote_of(key: &str) -> String {
    gold()["spans"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["key"] == key)
        .and_then(|s| s["quote"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// With the list entry of `from` focused: Enter selects it, L opens the
/// picker, the number shown beside `to`'s name links it.
async fn link_by_keyboard(app: &App, from: &str, to: &str) -> Result<()> {
    let entry = format!(".entries button[data-ann='{from}']");
    app.keys(&entry, ENTER).await?;
    app.wait_for(&format!(".details[data-ann='{from}']"))
        .await?;
    app.keys(&entry, "l").await?;
    app.wait_for(".link-picker .choice").await?;
    let name = quote_of(to);
    let n = app
        .js(&format!(
            "const c = [...document.querySelectorAll('.link-picker .choice')]\
               .find(b => b.querySelector('.choice-name').textContent === {});\
             return c ? Number(c.dataset.choice) : 0;",
            json!(name)
        ))
        .await?
        .as_u64()
        .unwrap_or(0);
    if !(1..=9).contains(&n) {
        return Err(format!("{name:?} has no number key in the picker (got {n})").into());
    }
    app.keys(&entry, &n.to_string()).await?;
    app.until(
        "picker closed",
        "document.querySelector('.link-picker') === null",
    )
    .await?;
    Ok(())
}

async fn until_relations(app: &App, want: &BTreeSet<(String, String, String)>) -> Result<()> {
    for _ in 0..50 {
        if saved_relations(app).await.ok().as_ref() == Some(want) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!(
        "saved relations {:?}, wanted {want:?}",
        saved_relations(app).await?
    )
    .into())
}

pub(crate) async fn load_gold(app: &App) -> Result<()> {
    app.open("/").await?;
    app.js(&format!(
        "localStorage.setItem('{DATA_KEY}', {}); return 0;",
        json!(gold_state())
    ))
    .await?;
    app.reload().await?;
    app.until(
        "annotations drawn",
        "document.querySelectorAll('article [data-ann]').length > 30",
    )
    .await?;
    Ok(())
}

/// The markers drawn after linked spans, by annotation id.
async fn markers(app: &App) -> Result<Value> {
    app.js(
        "const m = {}; document.querySelectorAll('article .hl[data-by]')\
           .forEach(h => { m[h.dataset.ann] = h.dataset.by; }); return m;",
    )
    .await
}

#[tokio::test]
async fn the_gold_relations_are_made_by_keyboard_seen_kept_and_exported() -> Result<()> {
    let app = App::start().await?;
    load_gold(&app).await?;
    let want = gold_relations();
    for (_, from, to) in &want {
        link_by_keyboard(&app, from, to).await?;
    }
    until_relations(&app, &want).await?;
    // Visible in the text: a marker after each linked span.
    let drawn = markers(&app).await?;
    assert_eq!(drawn["s19"], "Shinjiro Koizumi, Ahn Gyu-back", "{drawn}");
    assert_eq!(drawn["s2"], "South Korea, Japan", "{drawn}");
    assert_eq!(drawn["s31"], "Koizumi", "{drawn}");
    assert_eq!(drawn.as_object().map_or(0, |m| m.len()), 4, "{drawn}");
    // The marker is not text of the article: selecting the span's words
    // does not include it.
    let text = app
        .js("return document.querySelector('article .body').textContent")
        .await?;
    assert!(!text.as_str().unwrap_or_default().contains("◂"));
    // In the details: the actors, each a button selecting that entity,
    // whose details list what it committed to.
    app.keys(".entries button[data-ann='s19']", ENTER).await?;
    app.wait_for(".details[data-ann='s19']").await?;
    assert_eq!(
        app.texts(".details .linked .linked-entity").await?,
        ["Shinjiro Koizumi", "Ahn Gyu-back"]
    );
    assert_eq!(app.text(".details .links h3").await?, "Committed by");
    app.click(".details .linked .linked-entity[data-to='s14']")
        .await?;
    app.wait_for(".details[data-ann='s14']").await?;
    assert_eq!(
        app.texts(".details .linked-from-list .linked-from q")
            .await?,
        ["agreed to conduct joint naval search-and-rescue exercises"]
    );
    assert_eq!(
        app.texts(".details .linked-from-list .linked-from .verb")
            .await?,
        ["committed to"]
    );
    // Focus went to the new details, not to the page.
    app.until(
        "focus on the details",
        "document.activeElement && document.activeElement.id === 'details-heading'",
    )
    .await?;
    // Kept over a reload.
    app.reload().await?;
    app.until(
        "markers drawn",
        "document.querySelectorAll('article .hl[data-by]').length === 4",
    )
    .await?;
    until_relations(&app, &want).await?;
    // Exported and imported into a fresh browser, native then W3C.
    for (format, ext) in [("native", "json"), ("w3c", "jsonld")] {
        app.click("button.export-button").await?;
        app.click("#export-panel input[value='current']").await?;
        app.js(&format!(
            "const s = document.querySelector('#export-panel select'); s.value = '{format}'; s.dispatchEvent(new Event('change')); return 0;"
        ))
        .await?;
        app.click("#export-panel button.download").await?;
        let path = app.download(&format!("{SEED}-annotations-"), ext).await?;
        let bytes = std::fs::read(&path)?;
        let _ = std::fs::remove_file(&path);
        app.js("document.getElementById('export-panel').hidden = true; return 0;")
            .await?;
        let fresh = App::start().await?;
        fresh.open("/").await?;
        fresh
            .choose_file("input.import-file", &format!("mine.{ext}"), &bytes)
            .await?;
        let preview = fresh.text(".import-dialog").await?;
        assert!(preview.contains("7 relation"), "{format}: {preview}");
        fresh.click(".import-dialog button.merge").await?;
        until_relations(&fresh, &want).await?;
        fresh
            .until(
                "markers drawn",
                "document.querySelectorAll('article .hl[data-by]').length === 4",
            )
            .await?;
        fresh.finish().await?;
    }
    app.finish().await
}

#[tokio::test]
async fn fields_are_set_by_keyboard_saved_and_undone() -> Result<()> {
    let app = App::start().await?;
    load_gold(&app).await?;
    // A commitment: its deadline proposes the due date.
    app.keys(".entries button[data-ann='s19']", ENTER).await?;
    app.wait_for(".details[data-ann='s19'] input.deadline")
        .await?;
    app.keys(
        ".details input.deadline",
        &format!("before 31 March 2027{TAB}"),
    )
    .await?;
    app.until(
        "due proposed",
        "document.querySelector('.details input.due').value === '2027-03-31'",
    )
    .await?;
    // Saving the deadline did not take focus away from the next field.
    app.until(
        "focus on Due",
        "document.activeElement && document.activeElement.classList.contains('due')",
    )
    .await?;
    // Status by keyboard on the select: the first step of the ladder.
    app.keys(".details select.status", "\u{E015}").await?;
    app.until(
        "status saved",
        &format!(
            "JSON.parse(localStorage.getItem('{DATA_KEY}')).articles[0].annotations\
               .some(a => a.id === 's19' && a.attributes && a.attributes.status === 'not_rated'\
                 && a.attributes.due === '2027-03-31' && a.attributes.deadline === 'before 31 March 2027')"
        ),
    )
    .await?;
    // Ctrl+Z on the list is the app's undo: the status goes, the list
    // shows it, the deadline stays.
    app.keys(".details select.status", &format!("{CONTROL}z{CONTROL}"))
        .await?;
    app.until(
        "status undone",
        &format!(
            "JSON.parse(localStorage.getItem('{DATA_KEY}')).articles[0].annotations\
               .some(a => a.id === 's19' && a.attributes && !a.attributes.status\
                 && a.attributes.deadline === 'before 31 March 2027')\
             && document.querySelector('.details select.status').value === ''"
        ),
    )
    .await?;
    // A claim's checkability.
    app.keys(".entries button[data-ann='s24']", ENTER).await?;
    app.wait_for(".details[data-ann='s24'] select.checkable")
        .await?;
    app.keys(".details select.checkable", "\u{E015}").await?;
    app.until(
        "checkable saved",
        &format!(
            "JSON.parse(localStorage.getItem('{DATA_KEY}')).articles[0].annotations\
               .some(a => a.id === 's24' && a.attributes && a.attributes.checkable === 'yes')"
        ),
    )
    .await?;
    // An entity's name, for every identical mention; undo takes it back.
    app.keys(".entries button[data-ann='s1']", ENTER).await?;
    app.wait_for(".details[data-ann='s1'] input.entity-name")
        .await?;
    // The names offered as completions are gathered when the field is
    // first used (not at every selection), and then follow the names given.
    let offered = "[...document.querySelectorAll('#entity-names option')].map(o => o.value)";
    assert_eq!(
        app.js(&format!("return {offered}.length")).await?,
        json!(0),
        "no completions are built before the name field is used"
    );
    app.js("const i = document.querySelector('.details input.entity-name'); i.focus(); i.select(); return 0;")
        .await?;
    app.until(
        "the entity names are offered once the field has focus",
        &format!("{offered}.includes('Japan') && {offered}.length > 5"),
    )
    .await?;
    app.keys(
        ".details input.entity-name",
        &format!("Government of Japan{TAB}"),
    )
    .await?;
    app.until(
        "the names given and the other entities are offered as completions",
        &format!("{offered}.includes('Government of Japan') && {offered}.length > 5"),
    )
    .await?;
    app.until(
        "name saved",
        &format!(
            "JSON.parse(localStorage.getItem('{DATA_KEY}')).articles[0].annotations\
               .filter(a => a.attributes && a.attributes.name === 'Government of Japan').length === 1"
        ),
    )
    .await?;
    app.keys(".details button.name-all", ENTER).await?;
    let japans = "JSON.parse(localStorage.getItem('ARTICLE_KEY')).articles[0].annotations\
         .filter(a => a.quote === 'Japan' && a.label === 'entity')";
    let japans = japans.replace("ARTICLE_KEY", DATA_KEY);
    app.until(
        "every Japan named",
        &format!(
            "{japans}.every(a => a.attributes && a.attributes.name === 'Government of Japan')"
        ),
    )
    .await?;
    app.keys("article", &format!("{CONTROL}z{CONTROL}")).await?;
    app.until(
        "undone",
        &format!(
            "{japans}.filter(a => a.attributes && a.attributes.name === 'Government of Japan').length === 1"
        ),
    )
    .await?;
    app.finish().await
}

#[tokio::test]
async fn linking_by_mouse_unlinking_and_escape() -> Result<()> {
    let app = App::start().await?;
    load_gold(&app).await?;
    let saved_s2 = format!(
        "(() => {{ const f = JSON.parse(localStorage.getItem('{DATA_KEY}')); \
           return f.articles[0].relations.filter(r => r.from === 's2').map(r => r.to).join(','); }})()"
    );
    app.click(".entries button[data-ann='s2']").await?;
    app.click(".details[data-ann='s2'] button.start-link")
        .await?;
    app.wait_for(".link-picker").await?;
    // In link mode the entities are outlined; Esc cancels, nothing linked,
    // the commitment stays selected.
    app.wait_for("article.linking").await?;
    app.keys("body", annotator_test_support::ESCAPE).await?;
    app.until(
        "picker closed",
        "document.querySelector('.link-picker') === null",
    )
    .await?;
    app.wait_for(".details[data-ann='s2']").await?;
    assert_eq!(app.js(&format!("return {saved_s2}")).await?, "");
    // Link… then a click on "Japan" (s1) in the text links it.
    app.click(".details[data-ann='s2'] button.start-link")
        .await?;
    app.wait_for(".link-picker").await?;
    app.click_at(18).await?;
    app.until("linked to Japan", &format!("{saved_s2} === 's1'"))
        .await?;
    app.until(
        "marker",
        "(document.querySelector(\"article .hl[data-ann='s2'][data-by]\") || {}).dataset?.by === 'Japan'",
    )
    .await?;
    // A click on the name in the picker links too.
    app.click(".details[data-ann='s2'] button.start-link")
        .await?;
    let korea = app
        .js(
            "return [...document.querySelectorAll('.link-picker .choice')]\
               .findIndex(b => b.querySelector('.choice-name').textContent === 'South Korea') + 1",
        )
        .await?;
    app.click(&format!(".link-picker .choice[data-choice='{korea}']"))
        .await?;
    app.until("linked to both", &format!("{saved_s2} === 's1,s0'"))
        .await?;
    // × unlinks; Ctrl+Z links again.
    app.click(".details .linked li:first-child button.unlink")
        .await?;
    app.until("unlinked", &format!("{saved_s2} === 's0'"))
        .await?;
    app.keys("article", &format!("{CONTROL}z{CONTROL}")).await?;
    app.until(
        "relinked",
        &format!("{saved_s2}.split(',').sort().join() === 's0,s1'"),
    )
    .await?;
    // Renaming a linked entity renames it in the tag of what links to it
    // (found through its links, not by where it is).
    app.click(".entries button[data-ann='s1']").await?;
    app.wait_for(".details[data-ann='s1'] input.entity-name")
        .await?;
    app.js("document.querySelector('.details input.entity-name').select(); return 0;")
        .await?;
    app.keys(".details input.entity-name", &format!("Tokyo{TAB}"))
        .await?;
    app.until(
        "the tag follows the name",
        "[...document.querySelectorAll(\"article .hl[data-ann='s2'][data-by]\")].map(h => h.dataset.by).join() === 'Tokyo, South Korea'",
    )
    .await?;
    app.finish().await
}

#[tokio::test]
async fn a_version_1_saved_state_loads_and_is_kept_until_the_first_version_2_save() -> Result<()> {
    use annotator_core::saver::OLD_VERSION_KEY;
    let v1 = include_str!("../../core/tests/data/v1/seed.native.json");
    let n = serde_json::from_str::<Value>(v1)?["articles"][0]["annotations"]
        .as_array()
        .map_or(0, Vec::len);
    let app = App::start().await?;
    app.open("/").await?;
    app.js(&format!(
        "localStorage.setItem('{DATA_KEY}', {}); return 0;",
        json!(v1)
    ))
    .await?;
    app.reload().await?;
    app.until(
        "every annotation drawn",
        &format!(
            "new Set([...document.querySelectorAll('article [data-ann]')].map(e => e.dataset.ann)).size === {n}"
        ),
    )
    .await?;
    // Copied aside once the page is idle after the load.
    app.until_for(
        "the version-1 copy",
        &format!("localStorage.getItem('{OLD_VERSION_KEY}') !== null"),
        std::time::Duration::from_secs(10),
    )
    .await?;
    assert_eq!(app.stored(OLD_VERSION_KEY).await?.as_deref(), Some(v1));
    // The first edit saves version 2 and lets the copy go.
    let japan = crate::fixtures::find(&article(), "Yokosuka");
    app.drag_select(japan.0, japan.1).await?;
    app.keys("article", "1").await?;
    app.saved().await?;
    app.until(
        "version 2 saved",
        &format!("JSON.parse(localStorage.getItem('{DATA_KEY}')).version === 2"),
    )
    .await?;
    assert_eq!(app.stored(OLD_VERSION_KEY).await?, None);
    assert_eq!(app.saved_annotations(SEED).await?.len(), n + 1);
    app.finish().await
}
