//! Hostile input is only ever text; a panic shows a recovery screen
//! (issue: Hardening).

use annotator_core::edit::{self, Edit};
use annotator_core::formats::export::{self, Doc, Format};
use annotator_core::ids::{AnnotationId, ArticleId, Timestamp};
use annotator_core::saver::{DATA_KEY, REV_KEY};
use annotator_core::{Article, Catalog, Label, Span, Workspace};
use serde_json::json;

use annotator_test_support::{App, Result, SAVED_JSON};

const SEED: &str = "000_6ee9234a710e1662";
const SEED_TEXT: &str = include_str!("../../seeds/000_6ee9234a710e1662.txt");
const CORPUS: &str = include_str!("../data/xss.txt");

fn payloads() -> Vec<&'static str> {
    CORPUS.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// Fails if any payload ran or made an element: no `window.__xss`, no
/// dialog (a pending alert makes every WebDriver command fail), and inside
/// the app none of the elements the corpus tries to create.
async fn nothing_ran(app: &App, what: &str) -> Result<()> {
    let ran = app
        .js("return window.__xss === undefined ? null : String(window.__xss)")
        .await?;
    assert!(ran.is_null(), "{what}: payload {ran} ran");
    let made = app
        .js("return document.querySelectorAll('.app img, .app script, .app svg:not(.keep), .app iframe, .app object, .app embed, .app video, .app audio, .app marquee, .app math, .app template, .app form:not(.add-dialog form), .app x, .app base, .app meta, .app link').length")
        .await?;
    assert_eq!(made, 0, "{what}: an element was created from a payload");
    Ok(())
}

#[tokio::test]
async fn fifty_xss_payloads_through_every_input_path_show_as_typed() -> Result<()> {
    let corpus = payloads();
    assert!(corpus.len() >= 50, "{} payloads", corpus.len());
    let app = App::start().await?;
    app.open("/").await?;

    // 1. Article text from a seed (tests/data/seeds/zz_xss.txt holds the corpus).
    app.click("nav button[data-article-id='zz_xss']").await?;
    app.until(
        "the corpus article",
        "document.querySelector('article h1')?.textContent.startsWith('Hostile headline')",
    )
    .await?;
    let shown: Vec<String> = app.texts("article .body p").await?;
    for p in &corpus {
        assert!(
            shown.iter().any(|s| s == p.trim()),
            "seed paragraph not shown as typed: {p}"
        );
    }
    nothing_ran(&app, "seed").await?;

    // 2. Pasted article: headline and body are payloads.
    app.click("button.add-article-button").await?;
    app.js(&format!(
        "const f = document.querySelector('.add-dialog');
         for (const [name, value] of [['headline', {}], ['body', {}]]) {{
           const el = f.querySelector('[name=' + name + ']'); el.value = value; el.dispatchEvent(new Event('input', {{bubbles: true}}));
         }} return 0;",
        json!(corpus[2]),
        json!(corpus.join("\n"))
    ))
    .await?;
    app.click(".add-dialog button.add").await?;
    app.until(
        "the pasted article",
        &format!(
            "document.querySelector('article h1')?.textContent === {}",
            json!(corpus[2])
        ),
    )
    .await?;
    nothing_ran(&app, "paste").await?;

    // 3. Notes: every payload as the note of an annotation on the seed.
    app.click(&format!("nav button[data-article-id='{SEED}']"))
        .await?;
    app.until(
        "the seed",
        &format!("document.querySelector('article')?.dataset.articleId === '{SEED}'"),
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
    app.keys("article", "1").await?;
    app.until("details", "document.querySelector('.details textarea')")
        .await?;
    for (i, p) in corpus.iter().enumerate().step_by(5) {
        app.js(&format!(
            "const t = document.querySelector('.details textarea'); t.value = {}; t.dispatchEvent(new Event('input', {{bubbles: true}})); t.dispatchEvent(new Event('change', {{bubbles: true}})); return 0;",
            json!(p)
        ))
        .await?;
        app.until(
            "note saved",
            &format!(
                "{SAVED_JSON}.includes({})",
                json!(serde_json::to_string(p)?.trim_matches('"'))
            ),
        )
        .await?;
        app.until(
            "note shown",
            &format!(
                "document.querySelector('.details textarea')?.value === {}",
                json!(p)
            ),
        )
        .await?;
        nothing_ran(&app, &format!("note {i}")).await?;
    }

    // 4. Imported files of each format, carrying payloads in notes and file names.
    let catalog = Catalog::from_seeds(&[(SEED, SEED_TEXT)]).0;
    let article: &Article = catalog.get(SEED).expect("seed");
    let mut ws = Workspace::new();
    for (i, p) in corpus.iter().enumerate().take(20) {
        let set = ws.set(SEED).cloned().unwrap_or_default();
        let span = Span::new(10 + i * 3, 14 + i * 3, article.len()).expect("span");
        if let Ok(c) = edit::create(
            &set,
            &ArticleId::from(&SEED),
            article.text(),
            Label::Claim,
            span,
            AnnotationId::from(&format!("x{i}")),
            &Timestamp::from("2026-11-26T09:00:00.000Z"),
        ) {
            ws.apply(&catalog, &Edit::one("tag", c), "2026-11-26T09:00:00.000Z");
            let set = ws.set(SEED).cloned().unwrap_or_default();
            let n = edit::set_note(
                &set,
                &ArticleId::from(&SEED),
                &AnnotationId::from(&format!("x{i}")),
                p,
                &Timestamp::from("2026-11-26T09:00:00.000Z"),
            )
            .expect("note");
            ws.apply(&catalog, &Edit::one("note", n), "2026-11-26T09:00:00.000Z");
        }
    }
    let docs = vec![Doc {
        article,
        annotations: ws.set(SEED).map(|s| s.items().to_vec()).unwrap_or_default(),
        meta: None,
        carries_text: false,
    }];
    for (format, name) in [
        (Format::Native, format!("{}.json", corpus[3])),
        (Format::W3c, format!("{}.jsonld", corpus[0])),
    ] {
        let bytes = export::export(&docs, format, "2026-11-26T09:00:00.000Z", None);
        app.choose_file("input.import-file", &name.replace('/', "_"), &bytes)
            .await?;
        app.wait_for(".import-dialog").await?;
        let title = app.text("#import-title").await?;
        assert!(
            title.contains(&name.replace('/', "_")),
            "file name shown as typed: {title}"
        );
        nothing_ran(&app, &format!("{format:?} preview")).await?;
        app.click(".import-dialog button.merge").await?;
        app.until("imported", "!document.querySelector('.import-dialog')")
            .await?;
        nothing_ran(&app, &format!("{format:?} import")).await?;
    }
    // A refused file whose name is a payload.
    app.choose_file(
        "input.import-file",
        &format!("{}.json", corpus[1].replace('/', "_")),
        b"not json",
    )
    .await?;
    app.until("refused", "document.querySelector('[data-alert=import]')")
        .await?;
    assert!(app
        .text("[data-alert=import]")
        .await?
        .contains("<script>alert(1)<"));
    nothing_ran(&app, "refused file name").await?;
    // The imported notes show as typed in the details panel.
    app.click(".entries button[data-ann='x0']").await?;
    app.until(
        "x0 note",
        &format!(
            "document.querySelector('.details textarea')?.value === {}",
            json!(corpus[0])
        ),
    )
    .await?;
    app.screenshot("hardening-xss").await?;
    nothing_ran(&app, "end").await?;
    app.finish().await
}

#[tokio::test]
async fn a_panic_shows_a_recovery_screen_with_the_saved_work() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    app.keys(
        "article",
        &format!(
            "{}{}",
            annotator_test_support::RIGHT,
            annotator_test_support::RIGHT
        ),
    )
    .await?;
    app.keys("article", "1").await?;
    app.until("saved", &format!("localStorage.getItem('{DATA_KEY}')"))
        .await?;
    let saved = app.stored(DATA_KEY).await?.unwrap_or_default();
    app.js("try { window.wasmBindings.panic_for_test(); } catch (e) {} return 0;")
        .await?;
    let screen = app.text(".recovery[role=alert]").await?;
    assert!(
        screen.contains("Something went wrong") && screen.contains("saved"),
        "{screen}"
    );
    app.screenshot("hardening-recovery").await?;
    app.click(".recovery a.recovery-download").await?;
    let path = app.download("saved-annotations", "json").await?;
    assert_eq!(std::fs::read_to_string(path)?, saved);
    // The panic is logged to the console (console_error_panic_hook).
    let errors = app.console_errors().await?;
    assert!(
        errors.iter().any(|e| e.contains("panic_for_test")),
        "{errors:#?}"
    );
    Ok(())
}

/// Tags "Korea" in the seed's headline with the keyboard.
async fn tag_a_word(app: &App) -> Result<()> {
    app.keys(
        "article",
        &format!(
            "{}{}",
            annotator_test_support::RIGHT,
            annotator_test_support::RIGHT
        ),
    )
    .await?;
    app.keys("article", "1").await?;
    app.until(
        "tagged",
        "document.querySelectorAll('article .hl-entity').length > 0",
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn no_local_storage_at_all_keeps_working_in_memory_and_says_so() -> Result<()> {
    let app = App::start().await?;
    app.before_every_page(
        "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });",
    )
    .await?;
    app.open("/").await?;
    let alert = app.text("[role=alert][data-alert=not-saved]").await?;
    assert!(
        alert.contains("unavailable") && alert.contains("Download all annotations"),
        "{alert}"
    );
    tag_a_word(&app).await?;
    // The export offer works without storage.
    app.click("[data-alert=not-saved] button").await?;
    let path = app.download("all-annotations-", "json").await?;
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(path)?)?;
    assert_eq!(file["articles"][0]["annotations"][0]["quote"], "Korea");
    app.screenshot("hardening-no-storage").await?;
    let errors = app.console_errors().await?;
    assert!(
        errors.iter().all(|e| !e.contains("panicked")),
        "{errors:#?}"
    );
    Ok(())
}

#[tokio::test]
async fn storage_full_from_the_first_save_keeps_every_edit_in_memory() -> Result<()> {
    let app = App::start().await?;
    app.before_every_page(&format!(
        "const real = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) {{ if (k.startsWith('{DATA_KEY}') || k === '{REV_KEY}') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); return real.call(this, k, v); }};",
    ))
    .await?;
    app.open("/").await?;
    tag_a_word(&app).await?;
    let alert = app.text("[role=alert][data-alert=not-saved]").await?;
    assert!(alert.contains("refused to save"), "{alert}");
    // More edits, undo and redo all still work in memory.
    app.keys("article", "2").await?;
    app.until(
        "relabelled",
        "document.querySelectorAll('article .hl-claim').length > 0",
    )
    .await?;
    app.keys("article", "\u{E009}z\u{E000}").await?;
    app.until(
        "undone",
        "document.querySelectorAll('article .hl-entity').length > 0",
    )
    .await?;
    assert_eq!(app.stored(DATA_KEY).await?, None);
    app.close().await
}

/// Selects `word` in `doc`'s article and presses 1 there (JS, same task).
const TAG_IN: &str = r#"
function tagIn(win, word) {
  const doc = win.document;
  const run = [...doc.querySelectorAll('article [data-s]')].find(r => r.textContent.includes(word));
  const at = run.textContent.indexOf(word);
  win.getSelection().setBaseAndExtent(run.firstChild, at, run.firstChild, at + word.length);
  doc.querySelector('article').dispatchEvent(new KeyboardEvent('keydown', {key: '1', bubbles: true}));
}
"#;

#[tokio::test]
async fn two_tabs_saving_at_the_same_moment_keep_both_edits() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    // A second copy of the app in the same browser (an iframe: another document).
    app.js("const f = document.createElement('iframe'); f.id = 'second'; f.src = '/?second'; f.style.width = '900px'; f.style.height = '600px'; document.body.append(f); return 0;").await?;
    app.until(
        "the second app",
        "!!document.getElementById('second').contentDocument?.querySelector('article [data-s]')",
    )
    .await?;
    // Both tag a different word in the same JavaScript task: two saves back to back.
    app.js(&format!("{TAG_IN} tagIn(window, 'Yokosuka'); tagIn(document.getElementById('second').contentWindow, 'Koizumi'); return 0;")).await?;
    let both = format!("(() => {{ const s = {SAVED_JSON}; return s.includes('\"quote\":\"Yokosuka\"') && s.includes('\"quote\":\"Koizumi\"'); }})()");
    app.until("both edits stored", &both).await?;
    // Each copy shows both (the storage event merges the other's save).
    app.until(
        "first copy shows both",
        "document.querySelectorAll('.entries li').length === 2",
    )
    .await?;
    app.until("second copy shows both", "document.getElementById('second').contentDocument.querySelectorAll('.entries li').length === 2").await?;
    app.finish().await
}
