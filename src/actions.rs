//! Glue between the DOM bridge ([`crate::selection`]) and the state: what a
//! hotkey, a tag button or a cursor key does. Kept out of components so every
//! input path (mouse, keyboard, button) runs the same code.

use annotator_core::cursor::{display_words, step, Move, Word};
use annotator_core::Label;

use leptos::prelude::*;

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
            selection::clear();
            state.has_selection.set(false);
        }
        Err(message) => state.status.set(message),
    }
}

/// Moves the keyboard word cursor (arrow keys) and shows it as the DOM
/// selection, so tagging it is the same as tagging a mouse selection.
pub fn move_cursor(state: &AppState, key: Move) {
    let (Some(article), Some(element)) = (state.current_article(), selection::article_element())
    else {
        return;
    };
    let words = words_of(&article);
    let current = selection::read(&element).map(|(a, f)| (a.min(f), a.max(f)));
    if let Some((a, b)) = step(&article, &words, current, key) {
        selection::select(&element, a, b);
        state.has_selection.set(true);
    }
}

thread_local! {
    /// The open article's words in display order, by article id: finding
    /// them segments the whole text, too slow to redo at every arrow key in
    /// a long article.
    static WORDS: std::cell::RefCell<Option<(String, std::rc::Rc<Vec<Word>>)>> =
        const { std::cell::RefCell::new(None) };
}

/// Finds the article's words ahead of the first arrow key (call when idle:
/// on a long article this takes tens of milliseconds).
pub fn prepare_words(article: &annotator_core::Article) {
    let _ = words_of(article);
}

/// The article's words in display order (cached for the last article).
fn words_of(article: &annotator_core::Article) -> std::rc::Rc<Vec<Word>> {
    WORDS.with(|cache| {
        let mut cache = cache.borrow_mut();
        match &*cache {
            Some((id, words)) if id == article.id() => words.clone(),
            _ => {
                let words = std::rc::Rc::new(display_words(article));
                *cache = Some((article.id().to_string(), words.clone()));
                words
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
