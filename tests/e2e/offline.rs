//! The hosted build works offline after one visit (issue: offline).

use std::sync::atomic::Ordering;

use annotator_test_support::{App, Result, SAVED_JSON};

#[tokio::test]
async fn after_one_visit_the_app_opens_and_annotates_with_the_network_off() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    // The manifest makes it installable; the service worker takes control.
    let manifest = app
        .js("return document.querySelector('link[rel=manifest]').href")
        .await?;
    assert!(manifest
        .as_str()
        .unwrap_or_default()
        .ends_with("manifest.webmanifest"));
    app.until(
        "the service worker controls the page",
        "navigator.serviceWorker.controller !== null",
    )
    .await?;
    app.until(
        "the app's files are cached",
        "(async () => { const keys = await caches.keys(); if (!keys.length) return 0; const c = await caches.open(keys[0]); return (await c.keys()).length; })()",
    )
    .await?;
    // Network off: the server drops every connection.
    app.offline.store(true, Ordering::SeqCst);
    app.reload().await?;
    app.until(
        "the seed shown offline",
        "document.querySelector('article h1')?.textContent.startsWith('South Korea')",
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
    app.until(
        "tagged offline",
        &format!("{SAVED_JSON}.includes('\"quote\":\"Korea\"')"),
    )
    .await?;
    app.offline.store(false, Ordering::SeqCst);
    // Failed fetches while offline are expected console noise; the app itself logged nothing else.
    let errors = app.console_errors().await?;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("Failed to load") || e.contains("net::")),
        "{errors:#?}"
    );
    app.finish().await
}

#[tokio::test]
async fn a_new_release_is_announced_then_replaces_the_cache() -> Result<()> {
    // Serve a copy of the build, so the test can publish a "new release".
    let dist = annotator_test_support::scratch_dir("release");
    for entry in std::fs::read_dir(annotator_test_support::dist_dir())?.flatten() {
        std::fs::copy(entry.path(), dist.join(entry.file_name()))?;
    }
    let app = App::start_serving(dist.clone(), &[]).await?;
    app.open("/").await?;
    app.until("controlled", "navigator.serviceWorker.controller !== null")
        .await?;
    let first = app
        .until("a cache", "caches.keys().then(k => k.length === 1 && k[0])")
        .await?;
    // A new release: the same files under a new version.
    let sw = std::fs::read_to_string(dist.join("sw.js"))?;
    let bumped = sw.replacen("const VERSION = \"", "const VERSION = \"new-", 1);
    assert_ne!(sw, bumped);
    std::fs::write(dist.join("sw.js"), bumped)?;
    app.js("navigator.serviceWorker.getRegistration().then(r => r.update()); return 0;")
        .await?;
    // The user is told, not swapped under.
    app.until(
        "the update notice",
        "document.querySelector('[data-alert=update]')",
    )
    .await?;
    assert_eq!(app.js("return caches.keys().then(k => k.length)").await?, 2);
    app.click("[data-alert=update] button").await?;
    app.until(
        "only the new cache left",
        &format!("caches.keys().then(k => k.length === 1 && k[0] !== {first})"),
    )
    .await?;
    app.until(
        "the app after reload",
        "document.querySelector('article h1')",
    )
    .await?;
    app.finish().await
}
