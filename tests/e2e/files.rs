//! Export and import (issue: Files).

use std::io::Read;

use annotator_core::saver::DATA_KEY;
use annotator_core::Label;
use serde_json::{json, Value};

use crate::fixtures::{article, file_with, preload, SEED};
use annotator_test_support::{App, Result};

async fn export(app: &App, scope: &str, format: &str) -> Result<()> {
    if app
        .js("return document.getElementById('export-panel').hidden")
        .await?
        == true
    {
        app.click("button.export-button").await?;
    }
    app.click(&format!("#export-panel input[value='{scope}']"))
        .await?;
    app.js(&format!(
        "const s = document.querySelector('#export-panel select'); s.value = '{format}'; s.dispatchEvent(new Event('change')); return 0;"
    ))
    .await?;
    app.click("#export-panel button.download").await?;
    Ok(())
}

fn today_pattern(name: &str, scope: &str, ext: &str) -> bool {
    let Some(rest) = name.strip_prefix(&format!("{scope}-annotations-")) else {
        return false;
    };
    let Some(date) = rest.strip_suffix(&format!(".{ext}")) else {
        return false;
    };
    date.len() == 10
        && date.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[tokio::test]
async fn exports_download_in_each_format_with_dated_names() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    preload(
        &app,
        &[
            ("k", Label::Entity, "Shinjiro Koizumi"),
            (
                "c",
                Label::Claim,
                "Defence Ministry said.\nShinjiro Koizumi",
            ),
        ],
    )
    .await?;
    let text = article().text().to_string();
    let slice = |s: u64, e: u64| {
        text.chars()
            .skip(s as usize)
            .take((e - s) as usize)
            .collect::<String>()
    };

    // The default: the native file of this article.
    app.click("button.export-button").await?;
    app.click("#export-panel button.download").await?;
    let path = app
        .download(&format!("{SEED}-annotations-"), "json")
        .await?;
    let name = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    assert!(today_pattern(&name, SEED, "json"), "{name}");
    let file: Value = serde_json::from_slice(&std::fs::read(&path)?)?;
    assert_eq!(file["format"], "article-annotator");
    assert_eq!(
        file["articles"][0]["annotations"].as_array().map(Vec::len),
        Some(2)
    );

    // W3C for all articles.
    export(&app, "all", "w3c").await?;
    let path = app.download("all-annotations-", "jsonld").await?;
    assert!(today_pattern(
        &path.file_name().unwrap_or_default().to_string_lossy(),
        "all",
        "jsonld"
    ));
    let w3c: Value = serde_json::from_slice(&std::fs::read(&path)?)?;
    assert_eq!(w3c["type"], "AnnotationCollection");
    for item in w3c["first"]["items"].as_array().into_iter().flatten() {
        let pos = &item["target"]["selector"][1];
        let exact = item["target"]["selector"][0]["exact"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(
            slice(
                pos["start"].as_u64().unwrap_or(0),
                pos["end"].as_u64().unwrap_or(0)
            ),
            exact
        );
    }
    std::fs::remove_file(&path)?;

    // brat as a zip, CSV with its BOM.
    export(&app, "current", "brat").await?;
    let path = app.download(&format!("{SEED}-annotations-"), "zip").await?;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path)?)?;
    let mut ann = String::new();
    zip.by_name(&format!("{SEED}.ann"))?
        .read_to_string(&mut ann)?;
    assert!(ann.contains("\tclaim 754 776;777 793\t"), "{ann}");
    std::fs::remove_file(&path)?;
    export(&app, "current", "csv").await?;
    let path = app.download(&format!("{SEED}-annotations-"), "csv").await?;
    let csv = std::fs::read_to_string(&path)?;
    assert!(
        csv.starts_with('\u{feff}') && csv.contains("Shinjiro Koizumi"),
        "{csv}"
    );
    app.finish().await
}

#[tokio::test]
async fn a_refused_import_says_why_and_changes_nothing() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    preload(&app, &[("k", Label::Entity, "Shinjiro Koizumi")]).await?;
    let before = app.stored(DATA_KEY).await?;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "newer.json",
            file_with(&[("x", Label::Claim, "Yokosuka")])
                .replace("\"version\": 2", "\"version\": 7")
                .into_bytes(),
            "newer version",
        ),
        ("notes.json", b"this is not json".to_vec(), "not JSON"),
        (
            "labels.json",
            file_with(&[("x", Label::Claim, "Yokosuka")])
                .replace("\"claim\"", "\"opinion\"")
                .into_bytes(),
            "opinion",
        ),
        ("latin1.json", b"{\"a\": \"caf\xe9\"}".to_vec(), "not UTF-8"),
        (
            "<img src=x onerror=alert(1)>.json",
            file_with(&[("x", Label::Claim, "Yokosuka")])
                .replace(SEED, "elsewhere")
                .into_bytes(),
            "does not carry its text",
        ),
    ];
    for (name, bytes, why) in cases {
        app.choose_file("input.import-file", name, &bytes).await?;
        app.until(
            "the alert",
            &format!(
                "document.querySelector('[data-alert=import]')?.textContent.includes({})",
                json!(why)
            ),
        )
        .await?;
        let alert = app.text("[data-alert=import]").await?;
        assert!(
            alert.contains(name) && alert.contains("Nothing was changed"),
            "{alert}"
        );
        assert_eq!(
            app.stored(DATA_KEY).await?,
            before,
            "{name}: storage unchanged"
        );
        assert!(
            app.js("return document.querySelector('.import-dialog') === null")
                .await?
                == true
        );
    }
    assert_eq!(
        app.js("return document.querySelectorAll('img').length")
            .await?,
        0,
        "file names are text"
    );
    app.screenshot("import-refused").await?;
    app.finish().await
}

#[tokio::test]
async fn a_good_import_previews_then_merges_and_can_be_undone() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    preload(&app, &[("k", Label::Entity, "Shinjiro Koizumi")]).await?;
    let incoming = file_with(&[
        ("k", Label::Entity, "Shinjiro Koizumi"),
        ("y", Label::Claim, "Yokosuka"),
        ("a", Label::Commitment, "Ahn Gyu-back"),
    ]);
    app.choose_file("input.import-file", "colleague.json", incoming.as_bytes())
        .await?;
    app.wait_for(".import-dialog").await?;
    let value =
        |k: &str| format!("return document.querySelector('.preview dd[data-k={k}]').textContent");
    assert_eq!(app.js(&value("total")).await?, "3");
    assert_eq!(app.js(&value("new")).await?, "2");
    assert_eq!(app.js(&value("duplicates")).await?, "1");
    assert_eq!(app.js(&value("orphans")).await?, "0");
    app.screenshot("import-preview").await?;
    // Cancel first: nothing changes.
    app.click(".import-dialog button.cancel").await?;
    app.until("dialog closed", "!document.querySelector('.import-dialog')")
        .await?;
    assert_eq!(app.saved_annotations(SEED).await?.len(), 1);
    // Then merge.
    app.choose_file("input.import-file", "colleague.json", incoming.as_bytes())
        .await?;
    app.click(".import-dialog button.merge").await?;
    app.until(
        "merged",
        "document.querySelectorAll('.entries li').length === 3",
    )
    .await?;
    assert_eq!(app.saved_annotations(SEED).await?.len(), 3);
    app.reload().await?;
    app.until(
        "kept after reload",
        "document.querySelectorAll('.entries li').length === 3",
    )
    .await?;
    // Replace with a file holding one annotation, then undo it.
    let one = file_with(&[("y", Label::Claim, "Yokosuka")]);
    app.choose_file("input.import-file", "one.json", one.as_bytes())
        .await?;
    app.click(".import-dialog button.replace").await?;
    app.until(
        "replaced",
        "document.querySelectorAll('.entries li').length === 1",
    )
    .await?;
    app.keys("article", "\u{E009}z\u{E000}").await?;
    app.until(
        "undone",
        "document.querySelectorAll('.entries li').length === 3",
    )
    .await?;
    assert_eq!(app.saved_annotations(SEED).await?.len(), 3);
    app.finish().await
}

/// Choosing a file shows what is being done with it ("Reading …",
/// "Checking …", with a progress bar, as a status) until its preview opens;
/// a file chosen while another is still being read wins, and the progress
/// goes away.
#[tokio::test]
async fn an_import_shows_progress_and_the_file_chosen_last_wins() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    preload(&app, &[("k", Label::Entity, "Shinjiro Koizumi")]).await?;
    // Every text the progress panel shows, as it appears.
    app.js(
        "window.__progress = []; window.__said = []; new MutationObserver(() => { \
           const p = document.querySelector('.import-progress p'); \
           const t = p && p.textContent; \
           if (t && window.__progress[window.__progress.length - 1] !== t) window.__progress.push(t); \
           const s = document.querySelector('p.status[role=status]')?.textContent; \
           if (s && window.__said[window.__said.length - 1] !== s) window.__said.push(s); \
         }).observe(document.body, {subtree: true, childList: true, characterData: true}); return 0;",
    )
    .await?;
    let first = file_with(&[
        ("y", Label::Claim, "Yokosuka"),
        ("a", Label::Commitment, "Ahn Gyu-back"),
    ]);
    let second = file_with(&[("y", Label::Claim, "Yokosuka")]);
    app.choose_file("input.import-file", "first.json", first.as_bytes())
        .await?;
    app.choose_file("input.import-file", "second.json", second.as_bytes())
        .await?;
    app.until(
        "the second file's preview",
        "document.querySelector('#import-title')?.textContent === 'Import “second.json”'",
    )
    .await?;
    app.until(
        "the progress gone",
        "!document.querySelector('.import-progress')",
    )
    .await?;
    // Whatever the first file got to, its preview never replaces the second's.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.js("return document.querySelector('#import-title').textContent")
            .await?,
        "Import “second.json”"
    );
    assert_eq!(
        app.js("return document.querySelector('.preview dd[data-k=total]').textContent")
            .await?,
        "1"
    );
    let seen: Vec<String> = serde_json::from_value(app.js("return window.__progress").await?)?;
    let size = second.len().div_ceil(1024);
    assert!(
        seen.contains(&format!("Reading “second.json” ({size} KB)…")),
        "{seen:?}"
    );
    assert!(
        seen.contains(&"Checking 1 annotation(s) of “second.json” against your work…".to_string()),
        "{seen:?}"
    );
    // Said in the status line too (the live region screen readers hear).
    let said: Vec<String> = serde_json::from_value(app.js("return window.__said").await?)?;
    assert!(
        said.iter().any(|s| s.starts_with("Reading “second.json”")),
        "{said:?}"
    );
    app.click(".import-dialog button.merge").await?;
    app.until(
        "merged",
        "document.querySelectorAll('.entries li').length === 2",
    )
    .await?;
    app.finish().await
}
