//! The keyboard cursor, snapping around possessives and whole characters
//! (issue 13, items 6, 7 and 8), walked with real key presses and drags.

use annotator_core::saver::DATA_KEY;
use annotator_core::Article;
use serde_json::json;

use crate::fixtures::{article, find, SEED};
use annotator_test_support::{App, Result, ESCAPE, LEFT, RELEASE, RIGHT, SAVED_JSON, SHIFT};

const UNICODE: &str = "zz_unicode_crlf";
const CONTROL: &str = "\u{E009}";
const UP: &str = "\u{E013}";
const DOWN: &str = "\u{E015}";
const HOME: &str = "\u{E011}";
const END: &str = "\u{E010}";

fn unicode() -> Article {
    Article::from_bytes(UNICODE, include_bytes!("../data/seeds/zz_unicode_crlf.txt"))
        .expect("the unicode test article parses")
}

/// Presses `keys` in the article and waits until the DOM selection reads
/// `want`.
async fn expect(app: &App, keys: &str, want: &str) -> Result<()> {
    app.keys("article", keys).await?;
    let got = app
        .until(
            &format!("{want:?} selected"),
            &format!("window.getSelection().toString() === {}", json!(want)),
        )
        .await;
    if got.is_err() {
        let now = app.js("return window.getSelection().toString()").await?;
        return Err(format!("after {keys:?}: selected {now}, wanted {want:?}").into());
    }
    Ok(())
}

/// Waits until a saved annotation of `article` is `(start, end, quote)`.
async fn expect_saved(app: &App, article: &str, want: (usize, usize, &str)) -> Result<()> {
    let script = format!(
        "(() => {{ const f = JSON.parse(localStorage.getItem('{DATA_KEY}') || '{{}}'); \
         return (f.articles || []).filter(a => a.id === {}).flatMap(a => a.annotations) \
         .some(x => x.start === {} && x.end === {} && x.quote === {}); }})()",
        json!(article),
        want.0,
        want.1,
        json!(want.2)
    );
    if app
        .until(&format!("{want:?} saved"), &script)
        .await
        .is_err()
    {
        let saved: Vec<_> = app
            .saved_annotations(article)
            .await?
            .iter()
            .map(|a| (a["start"].clone(), a["end"].clone(), a["quote"].clone()))
            .collect();
        return Err(format!("wanted {want:?} saved, have {saved:?}").into());
    }
    Ok(())
}

#[tokio::test]
async fn keyboard_cursor_continues_from_tags_and_escape_and_jumps() -> Result<()> {
    let article = article();
    let app = App::start().await?;
    app.open("/").await?;
    expect(&app, &format!("{RIGHT}{RIGHT}"), "Korea").await?;
    app.keys("article", "1").await?;
    let korea = find(&article, "Korea, Japan");
    expect_saved(&app, SEED, (korea.0, korea.0 + 5, "Korea")).await?;
    // After a tag the cursor goes on from it, not from the headline's start.
    expect(&app, RIGHT, "Japan").await?;
    // After Esc, from where it was.
    app.keys("article", ESCAPE).await?;
    app.until("selection cleared", "window.getSelection().isCollapsed")
        .await?;
    expect(&app, RIGHT, "to").await?;
    expect(&app, LEFT, "Japan").await?;

    // Shift+arrows: the anchor word stays, the other end moves.
    expect(&app, &format!("{SHIFT}{LEFT}{RELEASE}"), "Korea, Japan").await?;
    expect(&app, &format!("{SHIFT}{RIGHT}{RELEASE}"), "Japan").await?;
    expect(&app, &format!("{SHIFT}{RIGHT}{RELEASE}"), "Japan to").await?;
    expect(&app, &format!("{SHIFT}{LEFT}{RELEASE}"), "Japan").await?;

    // Paragraph jumps: headline → summary → paragraph 1 → paragraph 2 in
    // three presses (it took 114 arrow presses).
    expect(&app, &format!("{CONTROL}{DOWN}{RELEASE}"), "South").await?;
    expect(&app, &format!("{CONTROL}{DOWN}{RELEASE}"), "South").await?;
    expect(&app, &format!("{CONTROL}{DOWN}{RELEASE}"), "Shinjiro").await?;
    // S takes the whole sentence; 2 tags it as a claim.
    let sentence = "Shinjiro Koizumi, Japan's defence minister, met his South Korean \
                    counterpart, Ahn Gyu-back, in Yokosuka, Japan.";
    expect(&app, "s", sentence).await?;
    app.keys("article", "2").await?;
    let at = find(&article, sentence);
    expect_saved(&app, SEED, (at.0, at.1, sentence)).await?;
    // Sentence jumps go on from the new claim.
    expect(&app, DOWN, "The").await?;
    expect(&app, &format!("{SHIFT}{DOWN}{RELEASE}"), "The two ministers also agreed to conduct joint naval search-and-rescue exercises as part of efforts to enhance practical interoperability between their forces").await?;
    // ↑ from a selection that starts a sentence: the previous sentence.
    expect(&app, UP, "Shinjiro").await?;
    expect(&app, DOWN, "The").await?;
    expect(&app, RIGHT, "two").await?;
    // ↑ from inside a sentence: its first word.
    expect(&app, UP, "The").await?;
    expect(&app, UP, "Shinjiro").await?;
    expect(&app, END, "forces").await?;
    expect(&app, HOME, "Shinjiro").await?;
    expect(&app, &format!("{CONTROL}{END}{RELEASE}"), "improve").await?;
    expect(&app, &format!("{CONTROL}{HOME}{RELEASE}"), "South").await?;
    expect(&app, &format!("{CONTROL}{UP}{RELEASE}"), "South").await?;

    // With an annotation selected (clicked), → and ← go on from it.
    app.keys("article", ESCAPE).await?;
    app.click_at(korea.0 + 2).await?;
    app.until(
        "the entity selected",
        "document.querySelector('.details .details-quote')?.textContent === 'Korea'",
    )
    .await?;
    expect(&app, RIGHT, "Japan").await?;
    app.keys("article", ESCAPE).await?;
    app.click_at(korea.0 + 2).await?;
    app.until(
        "the entity selected again",
        "document.querySelector('.details .details-quote')?.textContent === 'Korea'",
    )
    .await?;
    expect(&app, LEFT, "South").await?;
    app.finish().await
}

#[tokio::test]
async fn snapping_keeps_a_possessive_s_out_of_the_word() -> Result<()> {
    let article = article();
    let app = App::start().await?;
    app.open("/").await?;
    // "South Korea and Japan's defence ministers" (paragraph 1).
    let (j, _) = find(&article, "Japan's defence");
    app.drag_select(j + 1, j + 4).await?;
    app.keys("article", "1").await?;
    expect_saved(&app, SEED, (j, j + 5, "Japan")).await?;
    // The end moves to after the 's, then back to the word (not before it).
    app.keys("article", ".").await?;
    expect_saved(&app, SEED, (j, j + 7, "Japan's")).await?;
    app.keys("article", ",").await?;
    expect_saved(&app, SEED, (j, j + 5, "Japan")).await?;
    // A selection that takes in the 's keeps it.
    app.drag_select(j, j + 7).await?;
    app.keys("article", "2").await?;
    expect_saved(&app, SEED, (j, j + 7, "Japan's")).await?;
    // The cursor steps over the 's.
    app.keys("article", ESCAPE).await?;
    expect(&app, RIGHT, "defence").await?;
    app.finish().await
}

#[tokio::test]
async fn spans_never_split_a_flag_an_emoji_sequence_or_a_combining_mark() -> Result<()> {
    let article = unicode();
    let app = App::start().await?;
    app.open("/").await?;
    app.click(&format!("nav button[data-article-id='{UNICODE}']"))
        .await?;
    app.until(
        "the unicode article",
        "document.querySelector('article h1').textContent.startsWith('Unicode')",
    )
    .await?;
    app.click(".snap input").await?;
    app.until("snap off", "!document.querySelector('.snap input').checked")
        .await?;

    // "with 👩‍💻 and 🇰🇷" in the headline.
    let (a, _) = find(&article, "and 🇰🇷");
    app.drag_select(a, a + 3).await?;
    app.keys("article", "1").await?;
    expect_saved(&app, UNICODE, (a, a + 3, "and")).await?;
    // The end moves one character at a time; the flag is one.
    app.keys("article", ".").await?;
    expect_saved(&app, UNICODE, (a, a + 4, "and ")).await?;
    app.keys("article", ".").await?;
    expect_saved(&app, UNICODE, (a, a + 6, "and 🇰🇷")).await?;
    app.keys("article", ",").await?;
    expect_saved(&app, UNICODE, (a, a + 4, "and ")).await?;
    // The start moves over the space, then the whole ZWJ sequence.
    let (w, _) = find(&article, "👩‍💻 and");
    app.keys("article", "[").await?;
    expect_saved(&app, UNICODE, (a - 1, a + 4, " and ")).await?;
    app.keys("article", "[").await?;
    expect_saved(&app, UNICODE, (w, a + 4, "👩‍💻 and ")).await?;

    // A letter keeps its combining mark ("Cafe\u{301}").
    let (c, _) = find(&article, "Cafe\u{301}");
    app.keys("article", ESCAPE).await?;
    app.drag_select(c, c + 3).await?;
    app.keys("article", "3").await?;
    expect_saved(&app, UNICODE, (c, c + 3, "Caf")).await?;
    app.keys("article", ".").await?;
    expect_saved(&app, UNICODE, (c, c + 5, "Cafe\u{301}")).await?;
    app.keys("article", ",").await?;
    expect_saved(&app, UNICODE, (c, c + 3, "Caf")).await?;

    // A drag that starts inside the flag takes the whole flag.
    let (f, _) = find(&article, "🇰🇷");
    app.keys("article", ESCAPE).await?;
    app.drag_select(f + 1, f + 2).await?;
    app.keys("article", "2").await?;
    app.until("saved", &format!("{SAVED_JSON}.includes('\"claim\"')"))
        .await?;
    let claims: Vec<_> = app
        .saved_annotations(UNICODE)
        .await?
        .into_iter()
        .filter(|x| x["label"] == "claim")
        .map(|x| (x["start"].as_u64(), x["end"].as_u64(), x["quote"].clone()))
        .collect();
    assert_eq!(
        claims,
        [(Some(f as u64), Some(f as u64 + 2), json!("🇰🇷"))],
        "the flag whole"
    );
    app.finish().await
}

/// An undo that takes away the focused element (a button in the details
/// of the annotation it removes) gives focus back to the article, not to
/// the page's start; a redo from there brings the annotation back.
#[tokio::test]
async fn undo_that_removes_the_focused_details_gives_focus_to_the_article() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    expect(&app, &format!("{RIGHT}{RIGHT}"), "Korea").await?;
    app.keys("article", "1").await?;
    app.until(
        "the new entity's details",
        "document.querySelector('.details .details-quote')?.textContent === 'Korea'",
    )
    .await?;
    // Keys sent to a button of the details focus it first, as Tab would.
    app.keys(".details button", &format!("{CONTROL}z{RELEASE}"))
        .await?;
    app.until(
        "the tag undone and the focus on the article",
        "document.querySelectorAll('article [data-ann]').length === 0 \
         && document.activeElement === document.querySelector('article.article')",
    )
    .await?;
    app.js("const a = document.activeElement; a.dispatchEvent(new KeyboardEvent('keydown', {key: 'y', ctrlKey: true, bubbles: true})); return 0;")
        .await?;
    app.until(
        "the tag redone",
        "document.querySelectorAll('article [data-ann]').length > 0",
    )
    .await?;
    app.finish().await
}

/// On a phone, a word tagged at the very end of the article stays above
/// the details panel that opens for it (the page gets room to scroll it
/// there), and the cursor's next word too; the tag bar is whole on screen.
#[tokio::test]
async fn on_a_phone_the_last_words_tagged_stay_above_the_details() -> Result<()> {
    let app = App::start().await?;
    app.phone().await?;
    app.open("/").await?;
    expect(&app, &format!("{CONTROL}{END}{RELEASE}"), "improve").await?;
    expect(&app, &format!("{LEFT}{LEFT}{LEFT}"), "ever").await?;
    app.keys("article", "2").await?;
    app.until(
        "the new claim's details",
        "document.querySelector('.details .details-quote')?.textContent === 'ever'",
    )
    .await?;
    let above = "(() => { const d = document.querySelector('.details').getBoundingClientRect(); \
                 const h = document.querySelector('article .hl.selected').getBoundingClientRect(); \
                 return h.bottom > 0 && h.bottom <= d.top; })()";
    app.until("the tagged word above the details", above)
        .await?;
    expect(&app, LEFT, "than").await?;
    app.until(
        "the cursor's word above the details",
        "getSelection().getRangeAt(0).getBoundingClientRect().bottom <= document.querySelector('.details').getBoundingClientRect().top",
    )
    .await?;
    let bar = "return [...document.querySelectorAll('.tag-buttons .tag-button')]\
               .every(b => { const r = b.getBoundingClientRect(); return r.left >= 0 && r.right <= document.documentElement.clientWidth; })";
    assert_eq!(
        app.js(bar).await?,
        json!(true),
        "every tag button whole on screen"
    );
    app.screenshot("phone-last-words-tagged").await?;
    app.finish().await
}
