//! Glue between the DOM bridge ([`crate::selection`]) and the state: what a
//! hotkey, a tag button or a cursor key does. Kept out of components so every
//! input path (mouse, keyboard, button) runs the same code.

use annotator_core::cursor::{layout, step, Layout, Move};
use annotator_core::Label;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::selection;
use crate::state::AppState;

/// A label key or button: tags the current DOM selection and clears it; with
/// no text selected but an annotation selected, relabels that annotation.
/// With neither, says what to do instead of failing silently.
pub fn tag_selection(state: &AppState, label: Label) {
    let Some(article) = selection::article_element() else {
        state.status.set("Open an article first.".into());
        return;
    };
    let Some((anchor, focus)) = selection::read(&article) else {
        if state.selected.get_untracked().is_some() {
            if let Err(message) = state.relabel_selected(label) {
                state.status.set(message);
            }
            return;
        }
        state.status.set(format!(
            "Select some article text first, then press {} or click {}.",
            label.hotkey(),
            label.title()
        ));
        return;
    };
    match state.tag(label, anchor, focus, uuid::Uuid::new_v4().to_string()) {
        Ok(_) => {
            remember(state, (anchor, focus));
            selection::clear();
            state.has_selection.set(false);
        }
        Err(message) => state.status.set(message),
    }
}

/// Moves the keyboard cursor (arrow keys, Home/End, S; see
/// [`annotator_core::cursor`]) and shows it as the DOM selection, so tagging
/// it is the same as tagging a mouse selection. The cursor continues from
/// the DOM selection, else the selected annotation (→ selects the word after
/// it, ← the word before), else where it last was in this article (after a
/// tag or Esc), else it starts at the article's first or last word.
pub fn move_cursor(state: &AppState, key: Move) {
    let (Some(article), Some(element)) = (state.current_article(), selection::article_element())
    else {
        return;
    };
    let layout = layout_of(&article);
    let current = cursor_of(state, &article, &element);
    if let Some((anchor, focus)) = step(&article, &layout, current, key) {
        selection::select(&element, anchor, focus);
        state.has_selection.set(true);
        remember(state, (anchor, focus));
        // Screen readers hear what the cursor selected (the status line is
        // the one live region).
        let text = article.slice(anchor.min(focus), anchor.max(focus));
        state
            .status
            .set(format!("Selected “{}”.", crate::state::shorten(text)));
    }
}

/// Where the cursor is: the DOM selection, else the selected annotation,
/// else where it last was in this article.
fn cursor_of(
    state: &AppState,
    article: &annotator_core::Article,
    element: &web_sys::Element,
) -> Option<(usize, usize)> {
    selection::read(element)
        .or_else(|| {
            let id = state.selected.get_untracked()?;
            state.annotation(&id).map(|a| (a.start, a.end))
        })
        .or_else(|| {
            CURSOR.with(|c| match &*c.borrow() {
                Some((id, at)) if id == article.id() => Some(*at),
                _ => None,
            })
        })
}

/// Keeps where the cursor is (the DOM selection or the selected annotation)
/// before Esc or Delete clears it, so the next cursor key continues there.
pub fn remember_cursor(state: &AppState) {
    let (Some(article), Some(element)) = (state.current_article(), selection::article_element())
    else {
        return;
    };
    if let Some(at) = cursor_of(state, &article, &element) {
        remember(state, at);
    }
}

/// Records `at` as the open article's cursor.
fn remember(state: &AppState, at: (usize, usize)) {
    if let Some(id) = state.current.get_untracked() {
        CURSOR.with(|c| *c.borrow_mut() = Some((id, at)));
    }
}

thread_local! {
    /// The open article's words and sentences in display order, by article
    /// id: finding them segments the whole text, too slow to redo at every
    /// arrow key in a long article.
    static LAYOUT: std::cell::RefCell<Option<(String, std::rc::Rc<Layout>)>> =
        const { std::cell::RefCell::new(None) };
    /// Where the keyboard cursor last was: (article id, (anchor, focus)).
    static CURSOR: std::cell::RefCell<Option<(String, (usize, usize))>> =
        const { std::cell::RefCell::new(None) };
}

/// Finds the article's words and sentences ahead of the first arrow key
/// (call when idle: on a long article this takes tens of milliseconds).
pub fn prepare_words(article: &annotator_core::Article) {
    crate::perf::start("aa-layout");
    let _ = layout_of(article);
    crate::perf::measure("aa-layout");
}

/// The article's words and sentences in display order (cached for the last
/// article).
fn layout_of(article: &annotator_core::Article) -> std::rc::Rc<Layout> {
    LAYOUT.with(|cache| {
        let mut cache = cache.borrow_mut();
        match &*cache {
            Some((id, layout)) if id == article.id() => layout.clone(),
            _ => {
                let layout = std::rc::Rc::new(layout(article));
                *cache = Some((article.id().to_string(), layout.clone()));
                layout
            }
        }
    })
}

/// Shows an action's refusal in the status line.
pub fn report(state: &AppState, result: Result<(), String>) {
    if let Err(message) = result {
        state.status.set(message);
    }
}

/// Moves the selected annotation to the current DOM selection.
pub fn resize_to_selection(state: &AppState) {
    let Some(article) = selection::article_element() else {
        return;
    };
    match selection::read(&article) {
        Some((anchor, focus)) => {
            let result = state.resize_selected_to(anchor, focus);
            if result.is_ok() {
                selection::clear();
                state.has_selection.set(false);
            }
            report(state, result);
        }
        None => state.status.set(
            "Select the new extent in the article first, then press R or click “Resize to selection”.".into(),
        ),
    }
}

/// Scrolls the first highlight of annotation `id` into view.
pub fn scroll_to(id: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let css = format!("article [data-ann=\"{}\"]", id.replace('"', ""));
    if let Ok(Some(el)) = document.query_selector(&css) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// The first element matching `css`, as an `HtmlElement`.
pub fn element(css: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .query_selector(css)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// Focuses the first element matching `css` after the next frame (when
/// the view has been drawn again; nothing if there is none).
pub fn focus_after_frame(css: String) {
    request_animation_frame(move || {
        if let Some(el) = element(&css) {
            let _ = el.focus();
        }
    });
}

/// Scrolls annotation `id`'s highlight into view as soon as it is drawn
/// (a long article draws its blocks over several frames); gives up after
/// `frames` frames.
pub fn scroll_to_when_drawn(id: String, frames: u32) {
    request_animation_frame(move || {
        let css = format!("article [data-ann=\"{}\"]", id.replace('"', ""));
        if element(&css).is_some() {
            scroll_to(&id);
        } else if frames > 0 {
            scroll_to_when_drawn(id, frames - 1);
        }
    });
}

/// True when the layout is one column (narrow screens, high zoom), where
/// the article can be below the list and fixed bars cover the screen's foot.
pub fn is_narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w <= 70.0 * 16.0)
}

/// On a one-column layout, scrolls the open article's start into view once
/// it is drawn (after a list click or adding an article, the article would
/// otherwise sit below the list, off screen).
pub fn reveal_article() {
    if !is_narrow() {
        return;
    }
    request_animation_frame(|| {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
        {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Start);
            el.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

/// On a one-column layout the selected annotation's details cover the foot
/// of the screen: marks that on `<html>` (`has-details`, which sets the
/// scroll padding) and scrolls the annotation's highlight above them.
pub fn keep_selected_in_view(id: Option<&str>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = root
        .class_list()
        .toggle_with_force("has-details", id.is_some());
    let Some(id) = id.map(str::to_string) else {
        return;
    };
    if !is_narrow() {
        return;
    }
    request_animation_frame(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let css = format!("article [data-ann=\"{}\"]", id.replace('"', ""));
        if let Ok(Some(el)) = document.query_selector(&css) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

/// After an undo or redo by key: if it took the focused element away (a
/// button in the details of the annotation it removed), focus would fall to
/// the page's start, two dozen Tabs from the article; it goes back to the
/// article instead (without scrolling), where the cursor keys go on. Checked
/// in a later task, once the views have followed the change.
pub fn refocus_if_lost() {
    crate::schedule::soon(|| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let lost = document
            .active_element()
            .is_none_or(|el| el.tag_name() == "BODY");
        if !lost {
            return;
        }
        if let Some(article) =
            selection::article_element().and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = article.focus_with_options(&options);
        }
    });
}
