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
        text(&root, "nav button[aria-current='page']"),
        "Headline B 😀"
    );
}
