//! What every modal dialog does, in one place: focus moves into it when it
//! opens (onto a safe control, never the destructive one), Tab and Shift+Tab
//! stay inside it, Escape closes it wherever focus is, the app's shortcuts do
//! nothing behind it, and focus returns to the control that opened it.
//!
//! A modal is an element with `aria-modal="true"` inside a visible
//! `.backdrop`; each has a `button.cancel` that closes it. The app-wide key
//! handler (`components::app`) asks [`keydown`] first.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Controls that take focus with Tab.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]):not([tabindex='-1']), \
     textarea:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The modal dialog open now, if any.
pub fn open_modal() -> Option<Element> {
    document()?
        .query_selector(".backdrop:not([hidden]) [aria-modal='true']")
        .ok()
        .flatten()
}

fn focusables(modal: &Element) -> Vec<HtmlElement> {
    let Ok(list) = modal.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|el| el.offset_parent().is_some())
        .collect()
}

fn active() -> Option<Element> {
    document()?.active_element()
}

/// Handles a key pressed while a modal is open: Escape presses its Cancel
/// button, Tab and Shift+Tab cycle through its controls. Returns true when
/// a modal is open, whatever the key: the app's shortcuts must then not act.
pub fn keydown(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(modal) = open_modal() else {
        return false;
    };
    match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            if let Some(cancel) = modal
                .query_selector("button.cancel")
                .ok()
                .flatten()
                .and_then(|b| b.dyn_into::<HtmlElement>().ok())
            {
                cancel.click();
            }
        }
        "Tab" => {
            let controls = focusables(&modal);
            let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
                ev.prevent_default();
                return true;
            };
            let current = active();
            let inside = current
                .as_ref()
                .is_some_and(|el| modal.contains(Some(el.as_ref())));
            let at = |el: &HtmlElement| {
                current
                    .as_ref()
                    .is_some_and(|c| c.is_same_node(Some(el.as_ref())))
            };
            if !inside {
                ev.prevent_default();
                let _ = if ev.shift_key() {
                    last.focus()
                } else {
                    first.focus()
                };
            } else if ev.shift_key() && at(first) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && at(last) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    }
    true
}

/// Manages focus for a dialog shown while `is_open` is true: remembers the
/// focused control when it opens and focuses the first element matching
/// `initial` (a selector inside the open modal); when it closes, focuses the
/// remembered control again (or the article, if that control is gone).
pub fn manage_focus(is_open: impl Fn() -> bool + 'static, initial: &'static str) {
    let opener = StoredValue::new_local(None::<HtmlElement>);
    Effect::new(move |was_open: Option<bool>| {
        let open = is_open();
        if open && was_open != Some(true) {
            opener.set_value(active().and_then(|el| el.dyn_into::<HtmlElement>().ok()));
            // After the dialog is in the DOM and shown.
            request_animation_frame(move || {
                if let Some(el) = open_modal()
                    .and_then(|m| m.query_selector(initial).ok().flatten())
                    .and_then(|el| el.dyn_into::<HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            });
        } else if !open && was_open == Some(true) {
            let back = opener.try_get_value().flatten();
            opener.set_value(None);
            request_animation_frame(move || {
                // Another dialog may have opened meanwhile (Add → import).
                if open_modal().is_some() {
                    return;
                }
                let target = back.filter(|el| el.is_connected()).or_else(|| {
                    crate::selection::article_element()
                        .and_then(|el| el.dyn_into::<HtmlElement>().ok())
                });
                if let Some(el) = target {
                    let _ = el.focus();
                }
            });
        }
        open
    });
}
