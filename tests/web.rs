//! Browser tests: components mounted in a real DOM in headless Chromium
//! (wasm-bindgen-test; run with `cargo test --target wasm32-unknown-unknown
//! --test web`, which scripts/test does).
#![cfg(target_arch = "wasm32")]

use article_annotator::components::app::AppWith;
use article_annotator::state::AppState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEEDS: &[(&str, &str)] = &[
    (
        "a",
        "Summary A\nHeadline A\n\nFirst <b>para</b>\n\nSecond para\nHelp us improve.",
    ),
    ("b", "Summary B “q”\nHeadline B 😀\n\nBody B"),
];

/// Mounts the app with `SEEDS` in a fresh scratch element and returns it.
fn mount() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), || {
        view! { <AppWith state=AppState::from_seeds(SEEDS) /> }
    });
    handle.forget();
    root
}

fn text(root: &web_sys::HtmlElement, css: &str) -> String {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no element for {css}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn shows_the_first_article_with_blocks_and_offsets() {
    let root = mount();
    leptos::task::tick().await;
    assert_eq!(text(&root, "article h1"), "Headline A");
    assert_eq!(text(&root, "article .standfirst"), "Summary A");
    let paras = root.query_selector_all("article .body p").unwrap();
    // Blank body lines get no element; boilerplate is kept, muted.
    assert_eq!(paras.length(), 3);
    assert_eq!(text(&root, "article .boilerplate"), "Help us improve.");
    let h1 = root.query_selector("article h1").unwrap().unwrap();
    assert_eq!(h1.get_attribute("data-start").as_deref(), Some("10"));
    assert_eq!(h1.get_attribute("data-end").as_deref(), Some("20"));
}

#[wasm_bindgen_test]
async fn article_text_becomes_text_nodes_not_markup() {
    let root = mount();
    leptos::task::tick().await;
    assert_eq!(text(&root, "article .body p"), "First <b>para</b>");
    assert!(root.query_selector("article b").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn clicking_a_list_entry_opens_that_article() {
    let root = mount();
    leptos::task::tick().await;
    let button: web_sys::HtmlElement = root
        .query_selector("nav button[data-article-id='b']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    leptos::task::tick().await;
    assert_eq!(text(&root, "article h1"), "Headline B 😀");
    assert_eq!(
        text(&root, "nav button[aria-current='page'] .article-title"),
        "Headline B 😀"
    );
}

// ---- The selection → offsets bridge on real DOM nodes ----

use annotator_core::Label;
use article_annotator::selection;

/// An article whose text differs in UTF-16 and code points everywhere.
const UNICODE: &[(&str, &str)] = &[(
    "u",
    "Sum “q” 😀 end\nHead 👩‍💻 and 🇰🇷 x\n\nCafe\u{301} 東京 – one 😀😀 two\nSecond para here",
)];

fn mount_with(seeds: &'static [(&'static str, &'static str)]) -> (web_sys::HtmlElement, AppState) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let state = AppState::from_seeds(seeds);
    let handle = leptos::mount::mount_to(root.clone(), move || view! { <AppWith state=state /> });
    handle.forget();
    (root, state)
}

fn article_in(root: &web_sys::HtmlElement) -> web_sys::Element {
    root.query_selector("article").unwrap().unwrap()
}

/// The text node and UTF-16 offset of code point `cp` (as a user's browser
/// would report it), found independently of the bridge.
fn dom_point(root: &web_sys::HtmlElement, cp: usize) -> (web_sys::Node, u32) {
    let runs = root.query_selector_all("article [data-s]").unwrap();
    for i in 0..runs.length() {
        let run: web_sys::Element = runs.item(i).unwrap().unchecked_into();
        let s: usize = run.get_attribute("data-s").unwrap().parse().unwrap();
        let e: usize = run.get_attribute("data-e").unwrap().parse().unwrap();
        if s <= cp && cp < e {
            let text = run.first_child().unwrap();
            let data = text.text_content().unwrap();
            let units: usize = data.chars().take(cp - s).map(char::len_utf16).sum();
            return (text, units as u32);
        }
    }
    panic!("no run holds {cp}");
}

fn select_dom(root: &web_sys::HtmlElement, anchor: usize, focus: usize) {
    let (an, ao) = dom_point(root, anchor);
    let (fnode, fo) = dom_point(root, focus);
    let sel = web_sys::window().unwrap().get_selection().unwrap().unwrap();
    sel.set_base_and_extent(&an, ao, &fnode, fo).unwrap();
}

fn cp_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].chars().count()
}

#[wasm_bindgen_test]
async fn dom_selections_map_to_code_points() {
    let (root, state) = mount_with(UNICODE);
    leptos::task::tick().await;
    let text = state.catalog().get("u").unwrap().text().to_string();
    let article = article_in(&root);
    // (anchor, focus) pairs: inside the summary past “ and 😀, in the
    // headline after a ZWJ sequence and a flag, across body paragraphs, and
    // backwards.
    let cases = [
        (cp_of(&text, "q"), cp_of(&text, " end")),
        (cp_of(&text, "and 🇰🇷"), cp_of(&text, " x")),
        (cp_of(&text, "東京"), cp_of(&text, " para")),
        (cp_of(&text, " two"), cp_of(&text, "Cafe")),
    ];
    for (anchor, focus) in cases {
        select_dom(&root, anchor, focus);
        assert_eq!(
            selection::read(&article),
            Some((anchor, focus)),
            "{anchor}->{focus}"
        );
    }
    // The bridge sets selections too: cp → DOM → cp is the identity.
    let (a, b) = (cp_of(&text, "😀😀"), cp_of(&text, " two"));
    selection::select(&article, a, b).unwrap();
    let sel = web_sys::window().unwrap().get_selection().unwrap().unwrap();
    assert_eq!(String::from(sel.to_string()), "😀😀");
    assert_eq!(selection::read(&article), Some((a, b)));
}

#[wasm_bindgen_test]
async fn selections_starting_or_ending_inside_highlights_map_exactly() {
    let (root, state) = mount_with(UNICODE);
    leptos::task::tick().await;
    let text = state.catalog().get("u").unwrap().text().to_string();
    let (s, e) = (cp_of(&text, "東京"), cp_of(&text, " – one"));
    state.tag(Label::Claim, s, e, "c1".into()).unwrap();
    let (s2, e2) = (cp_of(&text, "one"), cp_of(&text, " two"));
    state.tag(Label::Entity, s2, e2, "e1".into()).unwrap();
    leptos::task::tick().await;
    assert!(root.query_selector("[data-ann='c1']").unwrap().is_some());
    let article = article_in(&root);
    // From inside the claim (after 東) to inside the entity (after one 😀).
    let anchor = cp_of(&text, "京");
    let focus = cp_of(&text, "😀 two");
    select_dom(&root, anchor, focus);
    assert_eq!(selection::read(&article), Some((anchor, focus)));
    // Element-level points (as after a triple click) map to run boundaries.
    let para = root.query_selector("article .body p").unwrap().unwrap();
    let sel = web_sys::window().unwrap().get_selection().unwrap().unwrap();
    sel.set_base_and_extent(&para, 0, &para, para.child_nodes().length())
        .unwrap();
    let start: usize = para.get_attribute("data-start").unwrap().parse().unwrap();
    let end: usize = para.get_attribute("data-end").unwrap().parse().unwrap();
    assert_eq!(selection::read(&article), Some((start, end)));
}

#[wasm_bindgen_test]
async fn tagging_trims_snaps_and_clamps_header_crossings() {
    let (root, state) = mount_with(UNICODE);
    leptos::task::tick().await;
    let text = state.catalog().get("u").unwrap().text().to_string();
    // " Cafe" with a cut word and a leading space: trimmed and snapped.
    let id = state
        .tag(
            Label::Entity,
            cp_of(&text, " 東京") - 3,
            cp_of(&text, " 東京") + 2,
            "x".into(),
        )
        .unwrap();
    let saved = state.with_workspace_untracked(|ws| ws.set("u").unwrap().get(&id).unwrap().clone());
    assert_eq!(saved.quote, "Cafe\u{301} 東");
    // From the headline down into the body: only the headline part is kept.
    let id = state
        .tag(
            Label::Claim,
            cp_of(&text, "🇰🇷"),
            cp_of(&text, "one"),
            "y".into(),
        )
        .unwrap();
    let saved = state.with_workspace_untracked(|ws| ws.set("u").unwrap().get(&id).unwrap().clone());
    assert_eq!(saved.quote, "🇰🇷 x");
    leptos::task::tick().await;
    assert!(
        root.query_selector_all("article [data-ann]")
            .unwrap()
            .length()
            >= 2
    );
}

/// Idle work asked for while an article is drawn in chunks waits until the
/// drawing ends, then runs when the browser is idle; with no drawing it is
/// not held back.
#[wasm_bindgen_test]
async fn idle_work_waits_for_the_article_to_be_drawn() {
    use article_annotator::schedule;
    use std::cell::Cell;
    use std::rc::Rc;
    let sleep = |ms: i32| {
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .expect("window")
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }))
    };
    let ran = Rc::new(Cell::new(0));
    schedule::drawing();
    {
        let ran = ran.clone();
        schedule::when_idle(0, move || ran.set(ran.get() + 1));
    }
    let _ = sleep(300).await;
    assert_eq!(ran.get(), 0, "held back while the article is drawn");
    schedule::drawn();
    let _ = sleep(300).await;
    assert_eq!(ran.get(), 1, "run once the drawing ended");
    {
        let ran = ran.clone();
        schedule::when_idle(0, move || ran.set(ran.get() + 1));
    }
    let _ = sleep(300).await;
    assert_eq!(ran.get(), 2, "no drawing: not held back");
}

/// A file whose bytes arrive after a later file was chosen does nothing:
/// no preview, no refusal, no progress over the later file's. The later
/// file's own outcome shows.
#[wasm_bindgen_test]
async fn an_import_overtaken_by_a_later_file_does_nothing() {
    let (_root, state) = mount_with(SEEDS);
    leptos::task::tick().await;
    let first = state.new_import();
    let second = state.new_import();
    // The first file's bytes arrive late (not JSON: it would be refused).
    state
        .prepare_import(first, "first.json".into(), b"not json".to_vec())
        .await;
    state.refuse_import(first, "first.json", "the browser could not read the file");
    assert_eq!(state.import_error.get_untracked(), None);
    assert_eq!(state.import_progress.get_untracked(), None);
    assert!(state.pending_import.get_untracked().is_none());
    // The second file's outcome (refused: not JSON) is what shows.
    state
        .prepare_import(second, "second.json".into(), b"not json".to_vec())
        .await;
    let error = state.import_error.get_untracked().unwrap_or_default();
    assert!(error.contains("second.json"), "{error}");
    assert_eq!(state.import_progress.get_untracked(), None);
}

/// `soon` runs its work once, in a later task, before a 0 ms timer chain
/// of the same length would (and its fallback timer never runs it again).
#[wasm_bindgen_test]
async fn soon_runs_once_in_a_later_task() {
    use article_annotator::schedule;
    use std::cell::Cell;
    use std::rc::Rc;
    let ran = Rc::new(Cell::new(0));
    {
        let ran = ran.clone();
        schedule::soon(move || ran.set(ran.get() + 1));
    }
    assert_eq!(ran.get(), 0, "not in the caller's task");
    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 150);
    }))
    .await;
    assert_eq!(ran.get(), 1);
}

/// localStorage as the save protocol's backend reads a value's head and
/// copies a value within the browser (used to keep an older version's data
/// aside without bringing megabytes into wasm memory), with text that is
/// not ASCII kept exactly.
#[wasm_bindgen_test]
async fn local_storage_reads_a_head_and_copies_within_the_browser() {
    use annotator_core::saver::Backend;
    use article_annotator::storage::LocalBackend;
    let mut backend = LocalBackend;
    let value = "{\"version\":1,\"q\":\"“quoted” 😀 日本 e\u{301}\"}";
    backend.set("aa-test.from", value).expect("set");
    backend.remove("aa-test.to").expect("remove");
    assert_eq!(
        backend.head("aa-test.from", 12).expect("head").as_deref(),
        Some("{\"version\":1")
    );
    assert_eq!(backend.head("aa-test.missing", 12).expect("head"), None);
    assert!(backend.copy("aa-test.from", "aa-test.to").expect("copy"));
    assert_eq!(
        backend.get("aa-test.to").expect("get").as_deref(),
        Some(value)
    );
    assert!(!backend
        .copy("aa-test.missing", "aa-test.other")
        .expect("copy"));
    assert_eq!(backend.get("aa-test.other").expect("get"), None);
    for key in ["aa-test.from", "aa-test.to"] {
        backend.remove(key).expect("remove");
    }
}

/// The bridge finds the block of a code point by a binary search over the
/// blocks (the headline comes before the summary in the page, after it in
/// the text): selecting in every block of a many-paragraph article, from a
/// block's first to its last code point, forwards and backwards, reads back
/// exactly and selects exactly that text.
#[wasm_bindgen_test]
async fn the_bridge_selects_in_every_block_of_a_long_article() {
    let mut text = String::from("Summary “sum” words\nHeadline 😀 head words\n\n");
    let paragraphs: Vec<String> = (0..60)
        .map(|i| format!("Para{i} alpha{i} 東京 beta{i} 😀 gamma{i}"))
        .collect();
    text.push_str(&paragraphs.join("\n"));
    let seeds: &'static [(&'static str, &'static str)] =
        Box::leak(vec![("long", &*Box::leak(text.into_boxed_str()))].into_boxed_slice());
    let (root, state) = mount_with(seeds);
    leptos::task::tick().await;
    let text = state.catalog().get("long").unwrap().text().to_string();
    let article = article_in(&root);
    let chars: Vec<char> = text.chars().collect();
    let slice = |a: usize, b: usize| chars[a.min(b)..a.max(b)].iter().collect::<String>();
    let mut cases = vec![
        (cp_of(&text, "sum"), cp_of(&text, " words")),
        (cp_of(&text, " words\n\n") + 6, cp_of(&text, "😀 head")),
    ];
    for (i, p) in paragraphs.iter().enumerate() {
        let start = cp_of(&text, &format!("Para{i} "));
        let end = start + p.chars().count();
        cases.push((start, end));
        cases.push((
            cp_of(&text, &format!("gamma{i}")),
            cp_of(&text, &format!("alpha{i}")),
        ));
    }
    for (anchor, focus) in cases {
        selection::select(&article, anchor, focus).unwrap();
        assert_eq!(
            selection::read(&article),
            Some((anchor, focus)),
            "{anchor}->{focus}"
        );
        let sel = web_sys::window().unwrap().get_selection().unwrap().unwrap();
        assert_eq!(String::from(sel.to_string()), slice(anchor, focus));
    }
}
