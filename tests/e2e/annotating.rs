//! Selecting, tagging, seeing and keeping annotations (issue: Annotate).

use annotator_core::saver::{BACKUP_KEY, DATA_KEY};
use annotator_core::Article;
use serde_json::Value;

use annotator_test_support::{App, Result, ESCAPE, RELEASE, RIGHT, SAVED_JSON, SHIFT};

const SEED: &str = "000_6ee9234a710e1662";
const UNICODE: &str = "zz_unicode_crlf";

fn seed() -> Article {
    Article::from_bytes(SEED, include_bytes!("../../seeds/000_6ee9234a710e1662.txt"))
        .expect("the seed parses")
}

fn unicode() -> Article {
    Article::from_bytes(UNICODE, include_bytes!("../data/seeds/zz_unicode_crlf.txt"))
        .expect("the unicode test article parses")
}

/// Code-point range of the first occurrence of `needle` in the article.
fn find(article: &Article, needle: &str) -> (usize, usize) {
    let byte = article
        .text()
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the article"));
    let start = article.text()[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// (label, start, end, quote) of every saved annotation, sorted.
fn spans(saved: &[Value]) -> Vec<(String, u64, u64, String)> {
    let mut out: Vec<_> = saved
        .iter()
        .map(|a| {
            (
                a["label"].as_str().unwrap_or_default().to_string(),
                a["start"].as_u64().unwrap_or_default(),
                a["end"].as_u64().unwrap_or_default(),
                a["quote"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn row(label: &str, (s, e): (usize, usize), quote: &str) -> (String, u64, u64, String) {
    (label.into(), s as u64, e as u64, quote.into())
}

fn is_uuid_v4(id: &str) -> bool {
    let parts: Vec<_> = id.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && id.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
        && matches!(parts[3].chars().next(), Some('8' | '9' | 'a' | 'b'))
}

#[tokio::test]
async fn tag_one_span_of_each_label_with_the_mouse_then_reload() -> Result<()> {
    let article = seed();
    let app = App::start().await?;
    app.open("/").await?;
    // No selection: the buttons say so instead of failing silently.
    assert_eq!(
        app.js("return document.querySelector('button[data-label=entity]').disabled")
            .await?,
        true
    );
    let hint = app.text("#tag-hint").await?;
    assert!(hint.starts_with("Select text"), "{hint}");

    // Entity by hotkey, over a name (in the body).
    let koizumi = find(&article, "Shinjiro Koizumi");
    app.drag_select(koizumi.0, koizumi.1).await?;
    app.until(
        "the buttons to enable",
        "!document.querySelector('button[data-label=entity]').disabled",
    )
    .await?;
    app.keys("article", "1").await?;
    app.until(
        "one highlight",
        "document.querySelectorAll('article .hl-entity').length > 0",
    )
    .await?;
    assert_eq!(
        app.js("return window.getSelection().isCollapsed").await?,
        true,
        "selection cleared"
    );

    // Claim by button, in the summary, with a selection that cuts words (snap widens it).
    let claim = find(
        &article,
        "South Korea and Japan agreed to strengthen defence cooperation",
    );
    app.drag_select(claim.0 + 2, claim.1 - 3).await?;
    app.click("button[data-label=claim]").await?;
    app.until(
        "a claim",
        "document.querySelectorAll('article .hl-claim').length > 0",
    )
    .await?;

    // Commitment by hotkey across two paragraphs of the body.
    let commit = find(
        &article,
        "agreed to conduct joint naval search-and-rescue exercises",
    );
    app.drag_select(commit.0, commit.1).await?;
    app.keys("article", "3").await?;
    app.until(
        "a commitment",
        "document.querySelectorAll('article .hl-commitment').length > 0",
    )
    .await?;
    app.screenshot("annotate-three-labels").await?;

    let expected = vec![
        row(
            "claim",
            claim,
            "South Korea and Japan agreed to strengthen defence cooperation",
        ),
        row(
            "commitment",
            commit,
            "agreed to conduct joint naval search-and-rescue exercises",
        ),
        row("entity", koizumi, "Shinjiro Koizumi"),
    ];
    let saved = app.saved_annotations(SEED).await?;
    assert_eq!(spans(&saved), expected);
    for a in &saved {
        assert!(is_uuid_v4(a["id"].as_str().unwrap_or_default()), "{a}");
        let (s, e) = (
            a["start"].as_u64().unwrap_or(0) as usize,
            a["end"].as_u64().unwrap_or(0) as usize,
        );
        let prefix: String = article
            .text()
            .chars()
            .take(s)
            .collect::<Vec<_>>()
            .iter()
            .rev()
            .take(32)
            .rev()
            .collect();
        let suffix: String = article.text().chars().skip(e).take(32).collect();
        assert_eq!(a["prefix"].as_str(), Some(prefix.as_str()));
        assert_eq!(a["suffix"].as_str(), Some(suffix.as_str()));
        assert!(
            a["created_at"]
                .as_str()
                .is_some_and(|t| t.len() == 24 && t.ends_with('Z')),
            "{a}"
        );
        // Saved state leaves out an empty note and an `updated_at` equal
        // to `created_at` (FORMAT.md); reading gives them back.
        assert!(a.get("note").is_none(), "{a}");
        assert!(a.get("updated_at").is_none(), "{a}");
    }
    let file: Value = serde_json::from_str(&app.stored(DATA_KEY).await?.unwrap_or_default())?;
    assert_eq!(file["format"], "article-annotator");
    assert_eq!(file["version"], 2);
    let entry = &file["articles"][0];
    assert_eq!(entry["length"], 2115);
    assert_eq!(entry["text_sha256"], article.text_sha256());

    // After a reload every annotation is back, drawn, on the same article.
    app.reload().await?;
    app.until(
        "highlights after reload",
        "document.querySelectorAll('article [data-ann]').length > 0",
    )
    .await?;
    let drawn = app
        .js("return new Set([...document.querySelectorAll('article [data-ann]')].map(e => e.dataset.ann)).size")
        .await?;
    assert_eq!(drawn, 3);
    assert_eq!(spans(&app.saved_annotations(SEED).await?), expected);
    app.finish().await
}

#[tokio::test]
async fn keyboard_only_path_selects_words_and_tags_them() -> Result<()> {
    let article = seed();
    let app = App::start().await?;
    app.open("/").await?;
    // Right arrow selects the first word (of the headline), then the next.
    app.keys("article", &format!("{RIGHT}{RIGHT}")).await?;
    app.until("a word selected", "!window.getSelection().isCollapsed")
        .await?;
    assert_eq!(
        app.js("return window.getSelection().toString()").await?,
        "Korea"
    );
    // Shift+Right extends by a word; 1 tags it.
    app.keys("article", &format!("{SHIFT}{RIGHT}{RELEASE}"))
        .await?;
    assert_eq!(
        app.js("return window.getSelection().toString()").await?,
        "Korea, Japan"
    );
    app.keys("article", "1").await?;
    app.until(
        "an entity",
        "document.querySelectorAll('article .hl-entity').length > 0",
    )
    .await?;
    let saved = app.saved_annotations(SEED).await?;
    assert_eq!(
        spans(&saved),
        vec![row(
            "entity",
            find(&article, "Korea, Japan"),
            "Korea, Japan"
        )]
    );
    // Escape clears a selection; the buttons say there is none.
    app.keys("article", RIGHT).await?;
    app.until("a word selected", "!window.getSelection().isCollapsed")
        .await?;
    app.keys("article", ESCAPE).await?;
    app.until("selection cleared", "window.getSelection().isCollapsed")
        .await?;
    app.until(
        "buttons disabled",
        "document.querySelector('button[data-label=claim]').disabled",
    )
    .await?;
    // Pressing a hotkey with nothing selected changes nothing and says why.
    app.keys("article", "2").await?;
    app.until(
        "a hint",
        "document.querySelector('.status').textContent.includes('Select some article text')",
    )
    .await?;
    assert_eq!(app.saved_annotations(SEED).await?.len(), 1);
    app.finish().await
}

#[tokio::test]
async fn overlapping_spans_are_all_visible_and_clicks_cycle_through_them() -> Result<()> {
    let article = seed();
    let app = App::start().await?;
    app.open("/").await?;
    let name = find(&article, "Shinjiro Koizumi");
    let sentence = find(
        &article,
        "Shinjiro Koizumi, Japan's defence minister, met his South Korean counterpart",
    );
    app.drag_select(name.0, name.1).await?;
    app.keys("article", "1").await?;
    app.until(
        "entity",
        "document.querySelectorAll('article .hl-entity').length > 0",
    )
    .await?;
    app.drag_select(sentence.0, sentence.1).await?;
    app.keys("article", "2").await?;
    app.until(
        "claim",
        "document.querySelectorAll('article .hl-claim').length > 0",
    )
    .await?;
    // The name's text sits inside both highlights, on different lanes.
    let layers = app
        .js(&format!(
            "const run = document.querySelector('article [data-s=\"{}\"]');
             const ls = []; for (let e = run.parentElement; e && e.classList.contains('hl'); e = e.parentElement) ls.push(e.className);
             return ls;",
            name.0
        ))
        .await?;
    let layers: Vec<String> = serde_json::from_value(layers)?;
    assert_eq!(layers.len(), 2, "{layers:?}");
    assert!(
        layers.iter().any(|c| c.contains("hl-entity"))
            && layers.iter().any(|c| c.contains("hl-claim"))
    );
    assert!(
        layers.iter().any(|c| c.contains("lane-0")) && layers.iter().any(|c| c.contains("lane-1"))
    );
    app.screenshot("annotate-overlap").await?;
    // Click: the innermost (the entity); click again: the claim; again: the entity.
    let selected_label = "document.querySelector('article .hl.selected')?.dataset.label";
    app.click_at(name.0 + 3).await?;
    app.until("entity selected", &format!("{selected_label} === 'entity'"))
        .await?;
    app.click_at(name.0 + 3).await?;
    app.until("claim selected", &format!("{selected_label} === 'claim'"))
        .await?;
    // Only the selected annotation's highlights are marked.
    app.until(
        "the entity unmarked",
        "[...document.querySelectorAll('article .hl.selected')].every(e => e.dataset.label === 'claim')",
    )
    .await?;
    app.click_at(name.0 + 3).await?;
    app.until(
        "entity selected again",
        &format!("{selected_label} === 'entity'"),
    )
    .await?;
    app.finish().await
}

#[tokio::test]
async fn code_point_offsets_hold_with_emoji_cjk_and_combining_marks() -> Result<()> {
    let article = unicode();
    let app = App::start().await?;
    app.open("/").await?;
    app.click("nav button[data-article-id='zz_unicode_crlf']")
        .await?;
    app.until(
        "the unicode article",
        "document.querySelector('article h1').textContent.startsWith('Unicode')",
    )
    .await?;
    let targets = [
        ("entity", "Cafe\u{301}"),
        ("claim", "東京で会議が開かれた"),
        ("commitment", "then plain words"),
        ("entity", "en dash"),
    ];
    for (label, quote) in targets {
        let (s, e) = find(&article, quote);
        app.drag_select(s, e).await?;
        let key = match label {
            "entity" => "1",
            "claim" => "2",
            _ => "3",
        };
        app.keys("article", key).await?;
        app.until(
            "saved",
            &format!("{SAVED_JSON}.includes({})", serde_json::json!(quote)),
        )
        .await?;
    }
    let saved = app.saved_annotations(UNICODE).await?;
    let mut want: Vec<_> = targets
        .iter()
        .map(|(l, q)| row(l, find(&article, q), q))
        .collect();
    want.sort();
    assert_eq!(spans(&saved), want);
    app.reload().await?;
    assert_eq!(
        app.text("article h1").await?,
        "Unicode Offsets: 日本語 Headline with 👩‍💻 and 🇰🇷",
        "same article after reload"
    );
    app.until("4 highlights", "new Set([...document.querySelectorAll('article [data-ann]')].map(e => e.dataset.ann)).size === 4").await?;
    app.screenshot("annotate-unicode").await?;
    app.finish().await
}

#[tokio::test]
async fn full_storage_keeps_working_in_memory_and_says_so() -> Result<()> {
    let article = seed();
    let app = App::start().await?;
    app.open("/").await?;
    // Fill localStorage to the brim.
    app.js("const big = 'x'.repeat(1 << 20); let i = 0;
            try { for (;;) localStorage.setItem('filler-' + i++, big); } catch (e) {}
            let small = 'x'.repeat(1024);
            try { for (;;) localStorage.setItem('filler-s' + i++, small); } catch (e) {}
            let tiny = 'x'.repeat(8);
            try { for (;;) localStorage.setItem('filler-t' + i++, tiny); } catch (e) {}
            return i;")
        .await?;
    let koizumi = find(&article, "Shinjiro Koizumi");
    app.drag_select(koizumi.0, koizumi.1).await?;
    app.keys("article", "1").await?;
    app.until(
        "the alert",
        "document.querySelector('[role=alert][data-alert=not-saved]')",
    )
    .await?;
    let alert = app.text("[role=alert][data-alert=not-saved]").await?;
    assert!(
        alert.contains("not being saved") && alert.contains("Download all annotations"),
        "{alert}"
    );
    // The edit still happened.
    assert!(
        app.js("return document.querySelectorAll('article .hl-entity').length")
            .await?
            != 0
    );
    assert_eq!(app.stored(DATA_KEY).await?, None);
    app.screenshot("annotate-storage-full").await?;
    // Room again: the next change saves everything, and the alert goes.
    app.js("Object.keys(localStorage).filter(k => k.startsWith('filler')).forEach(k => localStorage.removeItem(k)); return 0;").await?;
    let name = find(&article, "Ahn Gyu-back");
    app.drag_select(name.0, name.1).await?;
    app.keys("article", "1").await?;
    app.until(
        "alert gone",
        "!document.querySelector('[data-alert=not-saved]')",
    )
    .await?;
    assert_eq!(app.saved_annotations(SEED).await?.len(), 2);
    // Storage full is an expected, handled condition: Chromium logs no error for it.
    app.finish().await
}

#[tokio::test]
async fn corrupted_saved_data_is_kept_and_never_overwritten() -> Result<()> {
    let article = seed();
    let app = App::start().await?;
    app.open("/").await?;
    let garbage = "{\"format\":\"article-annotator\",\"version\":1,\"articles\":[{oops";
    app.js(&format!(
        "localStorage.setItem('{DATA_KEY}', {}); return 0;",
        serde_json::json!(garbage)
    ))
    .await?;
    app.reload().await?;
    let alert = app.text("[role=alert][data-alert=unreadable]").await?;
    assert!(alert.contains("could not be read"), "{alert}");
    let backup = BACKUP_KEY;
    assert_eq!(app.stored(backup).await?.as_deref(), Some(garbage));
    // New work is saved without touching the kept data.
    let koizumi = find(&article, "Shinjiro Koizumi");
    app.drag_select(koizumi.0, koizumi.1).await?;
    app.keys("article", "1").await?;
    app.until("saved", &format!("{SAVED_JSON}.includes('Shinjiro')"))
        .await?;
    assert_eq!(app.stored(backup).await?.as_deref(), Some(garbage));
    // A newer version's file is refused the same way, not half-read.
    app.js(&format!("localStorage.removeItem('{backup}'); localStorage.setItem('{DATA_KEY}', JSON.stringify({{format:'article-annotator',version:3,articles:[]}})); return 0;")).await?;
    app.reload().await?;
    let alert = app.text("[role=alert][data-alert=unreadable]").await?;
    assert!(alert.contains("newer version"), "{alert}");
    // Discarding removes the kept copy and the alert.
    app.click("[data-alert=unreadable] button:nth-of-type(2)")
        .await?;
    app.until(
        "alert gone",
        "!document.querySelector('[data-alert=unreadable]')",
    )
    .await?;
    assert_eq!(app.stored(backup).await?, None);
    app.finish().await
}

#[tokio::test]
async fn snap_to_words_can_be_turned_off_and_is_remembered() -> Result<()> {
    let article = seed();
    let app = App::start().await?;
    app.open("/").await?;
    app.click(".snap input").await?;
    app.until("snap off", "!document.querySelector('.snap input').checked")
        .await?;
    let (s, _) = find(&article, "Shinjiro Koizumi");
    app.drag_select(s + 2, s + 7).await?;
    app.keys("article", "1").await?;
    app.until("saved", &format!("localStorage.getItem('{DATA_KEY}')"))
        .await?;
    assert_eq!(
        spans(&app.saved_annotations(SEED).await?),
        vec![row("entity", (s + 2, s + 7), "injir")]
    );
    app.reload().await?;
    app.until(
        "still off",
        "document.querySelector('.snap input') && !document.querySelector('.snap input').checked",
    )
    .await?;
    app.finish().await
}

#[tokio::test]
async fn double_click_a_word_then_tag_it_and_drag_across_paragraphs() -> Result<()> {
    let article = seed();
    let app = App::start().await?;
    app.open("/").await?;
    let yokosuka = find(&article, "Yokosuka, Japan. The two");
    app.double_click_at(yokosuka.0 + 3).await?;
    app.until(
        "the word selected",
        "window.getSelection().toString().trim() === 'Yokosuka'",
    )
    .await?;
    app.keys("article", "1").await?;
    app.until("saved", &format!("{SAVED_JSON}.includes('Yokosuka')"))
        .await?;
    // From the last words of one paragraph into the first of the next.
    let across = find(&article, "Defence Ministry said.\nShinjiro Koizumi");
    app.drag_select(across.0, across.1).await?;
    app.keys("article", "2").await?;
    app.until(
        "saved",
        &format!("{SAVED_JSON}.includes('said.\\\\nShinjiro')"),
    )
    .await?;
    let saved = app.saved_annotations(SEED).await?;
    assert_eq!(
        spans(&saved),
        vec![
            row("claim", across, "Defence Ministry said.\nShinjiro Koizumi"),
            row("entity", (yokosuka.0, yokosuka.0 + 8), "Yokosuka"),
        ]
    );
    // Both paragraphs show their part of the claim.
    let parts = app
        .js("return document.querySelectorAll('article .body p:nth-child(-n+2) .hl-claim').length")
        .await?;
    assert!(parts.as_u64().unwrap_or(0) >= 2, "{parts}");
    app.finish().await
}
