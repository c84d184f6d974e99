//! The single self-contained file, opened from disk (issue: single file).

use annotator_core::Article;

use annotator_test_support::{App, Result, SAVED_JSON};

fn single_file() -> std::path::PathBuf {
    std::env::var_os("SINGLE_FILE")
        .map(Into::into)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/single/article-annotator.html")
        })
}

#[tokio::test]
async fn the_single_file_works_from_disk_tag_reload_export() -> Result<()> {
    let source = single_file();
    if !source.exists() {
        return Err(format!(
            "no {} — run scripts/single-file (scripts/test does)",
            source.display()
        )
        .into());
    }
    // Copied to another folder, as a colleague would receive it.
    let dir = std::env::temp_dir().join(format!("aa-single-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let copy = dir.join("article-annotator.html");
    std::fs::copy(&source, &copy)?;
    let html = std::fs::read_to_string(&copy)?;
    assert!(html.contains("script-src 'sha256-") && html.contains("'wasm-unsafe-eval'"));
    assert!(!html.contains("unsafe-inline"));
    assert!(
        !html.contains(" src=") && !html.contains("href=\"./"),
        "no request to anything else"
    );

    let app = App::start().await?;
    app.open_url(&format!("file://{}", copy.display())).await?;
    let seed = Article::from_bytes(
        "000_6ee9234a710e1662",
        include_bytes!("../../seeds/000_6ee9234a710e1662.txt"),
    )?;
    assert_eq!(app.text("article h1").await?, seed.headline());
    let byte = seed.text().find("Shinjiro Koizumi").unwrap_or(0);
    let start = seed.text()[..byte].chars().count();
    app.drag_select(start, start + 16).await?;
    app.keys("article", "1").await?;
    app.until(
        "saved",
        &format!("{SAVED_JSON}.includes('Shinjiro Koizumi')"),
    )
    .await?;
    app.reload().await?;
    app.until(
        "back after reload",
        "document.querySelectorAll('article .hl-entity').length > 0",
    )
    .await?;
    // Export works from file:// too.
    app.click("button.export-button").await?;
    app.click("#export-panel button.download").await?;
    let path = app
        .download("000_6ee9234a710e1662-annotations-", "json")
        .await?;
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(path)?)?;
    assert_eq!(
        file["articles"][0]["annotations"][0]["quote"],
        "Shinjiro Koizumi"
    );
    app.screenshot("single-file").await?;
    // No CSP violation or other error in the console.
    app.finish().await
}
