//! Glue between the DOM bridge ([`crate::selection`]) and the state: what a
//! hotkey, a tag button or a cursor key does. Kept out of components so every
//! input path (mouse, keyboard, button) runs the same code.

use annotator_core::cursor::{display_words, step, Move};
use annotator_core::Label;

use leptos::prelude::*;

use crate::selection;
use crate::state::AppState;

/// Tags the current DOM selection with `label` and clears the selection.
/// With no selection, says what to do instead of failing silently.
pub fn tag_selection(state: &AppState, label: Label) {
    let Some(article) = selection::article_element() else {
        state.status.set("Open an article first.".into());
        return;
    };
    let Some((anchor, focus)) = selection::read(&article) else {
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
    let words = display_words(&article);
    let current = selection::read(&element).map(|(a, f)| (a.min(f), a.max(f)));
    if let Some((a, b)) = step(&article, &words, current, key) {
        selection::select(&element, a, b);
        state.has_selection.set(true);
    }
}
