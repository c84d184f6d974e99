//! What the page shows if a panic still happens: a recovery screen, built
//! with plain DOM calls (the app may be unusable by then), that says the work
//! is saved and offers a download of what localStorage holds. The panic is
//! also logged to the console (`console_error_panic_hook`).

use wasm_bindgen::prelude::*;

/// Installs the panic hook: console log, then the recovery screen.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let _ = show_recovery_screen();
    }));
}

fn show_recovery_screen() -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let body = document.body()?;
    let saved = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(crate::storage::DATA_KEY).ok().flatten());
    let screen = document.create_element("div").ok()?;
    screen.set_class_name("recovery");
    screen.set_attribute("role", "alert").ok()?;
    let add = |tag: &str, text: &str| -> Option<web_sys::Element> {
        let el = document.create_element(tag).ok()?;
        el.set_text_content(Some(text));
        screen.append_child(&el).ok()?;
        Some(el)
    };
    add("h1", "Something went wrong")?;
    add(
        "p",
        "Article Annotator hit an internal error and stopped. Every change you made up to the last one is saved in this browser; reloading the page brings it back.",
    )?;
    if let Some(json) = saved {
        let parts = js_sys::Array::of1(&JsValue::from_str(&json));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
            if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
                let link = add("a", "Download your saved annotations")?;
                link.set_attribute("href", &url).ok()?;
                link.set_attribute("download", "saved-annotations.json")
                    .ok()?;
                link.set_class_name("recovery-download");
            }
        }
    } else {
        add("p", "No saved annotations were found in this browser.")?;
    }
    let reload = add("a", "Reload the app")?;
    reload
        .set_attribute("href", &window.location().href().unwrap_or_default())
        .ok()?;
    body.replace_children_with_node_1(&screen);
    Some(())
}

/// Panics on purpose, so the end-to-end tests can check the recovery
/// screen. Nothing in the app calls it.
#[wasm_bindgen]
pub fn panic_for_test() {
    panic!("panic_for_test: a deliberate panic to test the recovery screen");
}
