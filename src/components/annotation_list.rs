//! The annotation sidebar: per-label counts, label filters, text search,
//! the open article's annotations in text order, and the details panel of
//! the selected annotation (label, quote, offsets, note; relabel, resize,
//! delete).
//!
//! The list is a real list of buttons: a click (or Enter) selects an entry
//! and scrolls its highlight into view; ↑/↓ move between entries.

use annotator_core::edit::Side;
use annotator_core::{Annotation, Label};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::actions::{report, resize_to_selection, scroll_to};
use crate::components::search_box::search_box;
use crate::components::selected::SelectedFlags;
use crate::state::{shorten, use_app_state, AppState};

/// How many list entries are shown at first (and added per "Show more").
const LIST_PAGE: usize = 200;
/// How many are drawn with the first screen (the rest of the page follows).
const FIRST_ENTRIES: usize = 30;

/// Counts, filters, the list and the details of the selected annotation.
#[component]
pub fn AnnotationPanel() -> impl IntoView {
    view! {
        <aside class="annotations" aria-label="Annotations">
            <crate::components::suggestions::SuggestionCard />
            <Details />
            <AnnotationList />
            <KeptAside />
        </aside>
    }
}

/// Counts, filters and the list.
#[component]
pub fn AnnotationList() -> impl IntoView {
    let state = use_app_state();
    let counts = Memo::new({
        move |_| {
            state
                .current
                .get()
                .map(|id| state.counts(&id))
                .unwrap_or_default()
        }
    });
    let filters = Label::ALL
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let filter = state.filter_labels;
            view! {
                <button
                    type="button"
                    class=format!("filter filter-{}", label.as_str())
                    data-label=label.as_str()
                    aria-pressed=move || filter.get()[i].to_string()
                    on:click=move |_| filter.update(|f| f[i] = !f[i])
                >
                    <span class="swatch" aria-hidden="true"></span>
                    {label.title()}
                    " "
                    <span class="count">{move || counts.get()[i]}</span>
                </button>
            }
        })
        .collect_view();
    let search = state.search;
    // Long lists show the first LIST_PAGE entries, then a button for more,
    // so an article with thousands of annotations stays quick.
    // The first screen needs only the top of the list: start with a few
    // entries and fill the page right after the first frame.
    let limit = RwSignal::new(FIRST_ENTRIES);
    set_timeout(
        move || {
            if limit.try_get_untracked() == Some(FIRST_ENTRIES) {
                limit.set(LIST_PAGE);
            }
        },
        std::time::Duration::from_millis(0),
    );
    let listed = Memo::new(move |_| state.listed(limit.get()));
    let total = Memo::new(move |_| counts.get().iter().sum::<usize>());
    let shown = Memo::new(move |_| listed.with(|l| l.1.clone()));
    let hidden_count = move || listed.with(|l| l.0).saturating_sub(limit.get());
    let flags = SelectedFlags::new(state.selected);
    let items = {
        view! {
            <For
                each=move || shown.get()
                key=|a| (a.id.clone(), a.label, a.start, a.end, a.note.clone())
                children=move |a| list_entry(state, a, flags)
            />
        }
    };
    view! {
        <section class="annotation-list" aria-labelledby="annotations-heading">
            <h2 id="annotations-heading">
                "Annotations "
                <span class="count">
                    {move || total.get()}
                    <span class="visually-hidden">" in this article"</span>
                </span>
            </h2>
            <div class="filters" role="group" aria-label="Show labels">{filters}</div>
            {search_box("Search quotes and notes", "Search quotes and notes", search)}
            <ul class="entries" on:keydown=move_focus>
                {items}
            </ul>
            <button
                type="button"
                class="show-more"
                hidden=move || hidden_count() == 0 || limit.get() < LIST_PAGE
                on:click=move |_| limit.update(|l| *l += LIST_PAGE)
            >
                {move || format!("Show {} more", hidden_count().min(LIST_PAGE))}
            </button>
            <p class="empty-list" hidden=move || listed.with(|l| l.0 != 0)>
                {move || if total.get() == 0 {
                    "No annotations yet. Select text and press 1, 2 or 3."
                } else {
                    "No annotation matches the filters."
                }}
            </p>
        </section>
    }
}

fn list_entry(state: AppState, a: Annotation, flags: SelectedFlags) -> impl IntoView {
    let id = a.id.clone();
    let flag = flags.flag(&id);
    let is_selected = move || flag.as_ref().is_some_and(|f| f.get());
    let open = {
        let id = id.clone();
        move |_| {
            state.selected.set(Some(id.clone()));
            scroll_to(&id);
        }
    };
    let has_note = !a.note.is_empty();
    view! {
        <li>
            <button
                type="button"
                class="entry"
                class:selected=is_selected.clone()
                aria-current=move || is_selected().then_some("true")
                data-ann=id.clone()
                on:click=open
            >
                <span class=format!("entry-label label-{}", a.label.as_str())>{a.label.title()}</span>
                <span class="entry-quote">{shorten(&a.quote)}</span>
                {has_note.then(|| view! {
                    <span class="note-marker" title="Has a note" aria-label="has a note">"✎"</span>
                })}
            </button>
        </li>
    }
}

/// ↑/↓ in the list move focus to the previous/next entry and select it.
fn move_focus(ev: leptos::ev::KeyboardEvent) {
    let forward = match ev.key().as_str() {
        "ArrowDown" => true,
        "ArrowUp" => false,
        _ => return,
    };
    let Some(current) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("li").ok().flatten())
    else {
        return;
    };
    let sibling = if forward {
        current.next_element_sibling()
    } else {
        current.previous_element_sibling()
    };
    if let Some(button) = sibling
        .and_then(|li| li.query_selector("button").ok().flatten())
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    {
        ev.prevent_default();
        let _ = button.focus();
        button.click();
    }
}

/// The selected annotation: label, quote, offsets, note, and its edits.
#[component]
pub fn Details() -> impl IntoView {
    let state = use_app_state();
    let current = Memo::new({
        move |_| {
            let id = state.selected.get()?;
            let article = state.current.get()?;
            state.with_workspace(|ws| ws.set(&article)?.get(&id).cloned())
        }
    });
    // On one column the details cover the screen's foot: keep the selected
    // highlight above them.
    Effect::new(move |previous: Option<Option<String>>| {
        let now = current.with(|a| a.as_ref().map(|a| a.id.clone()));
        if previous.as_ref() != Some(&now) {
            crate::actions::keep_selected_in_view(now.as_deref());
        }
        now
    });
    // Drawn again only for another annotation or label: an edit of this
    // one (a note, a field, a link, a nudge) updates the view in place, so
    // focus stays where it is (Tab from one field to the next).
    let key = Memo::new(move |_| current.with(|a| a.as_ref().map(|a| (a.id.clone(), a.label))));
    move || {
        key.get()
            .and_then(|_| current.get_untracked())
            .map(|a| details_view(state, current, a))
    }
}

fn details_view(
    state: AppState,
    current: Memo<Option<Annotation>>,
    a: Annotation,
) -> impl IntoView {
    let relabel = Label::ALL
        .into_iter()
        .map(|label| {
            view! {
                <button
                    type="button"
                    class=format!("relabel tag-{}", label.as_str())
                    aria-pressed=(a.label == label).to_string()
                    on:click=move |_| report(&state, state.relabel_selected(label))
                >
                    {label.title()}
                </button>
            }
        })
        .collect_view();
    let nudge = |side: Side, forward: bool, text: &'static str, key: &'static str| {
        view! {
            <button
                type="button"
                class="nudge"
                aria-keyshortcuts=key
                on:click=move |_| report(&state, state.nudge_selected(side, forward))
            >
                {text}
                " "
                <kbd>{key}</kbd>
            </button>
        }
    };
    let note_value = RwSignal::new(a.note.clone());
    // The saved note when it changes (undo, another tab); typing is not
    // overwritten meanwhile: the stored note only changes on save.
    Effect::new(move |previous: Option<String>| {
        let note = current.with(|a| a.as_ref().map(|a| a.note.clone()).unwrap_or_default());
        if previous.as_ref().is_some_and(|p| *p != note) {
            note_value.set(note.clone());
        }
        note
    });
    let quote = move || current.with(|a| a.as_ref().map(|a| a.quote.clone()).unwrap_or_default());
    let span = move || current.with(|a| a.as_ref().map_or((0, 0), |a| (a.start, a.end)));
    let save_note = { move || report(&state, state.note_selected(&note_value.get_untracked())) };
    let on_note_key = {
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                ev.prevent_default();
                save_note();
            } else if ev.key() == "Escape" {
                // Leave the field; Escape again deselects.
                if let Some(el) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.blur();
                }
            }
        }
    };
    let delete = { move |_| report(&state, state.delete_selected()) };
    let resize = { move |_| resize_to_selection(&state) };
    let close = { move |_| state.selected.set(None) };
    view! {
        <section
            class="details"
            aria-labelledby="details-heading"
            data-ann=a.id.clone()
            on:input=mark_dirty
            on:change=mark_saved
        >
            <h2 id="details-heading" tabindex="-1">
                "Selected: "
                <span class=format!("entry-label label-{}", a.label.as_str())>{a.label.title()}</span>
            </h2>
            <blockquote class="details-quote">{quote}</blockquote>
            <p class="offsets">
                "Code points " <span class="start">{move || span().0}</span> "–" <span class="end">{move || span().1}</span>
                " (" {move || span().1 - span().0} " characters)"
            </p>
            <div class="row" role="group" aria-label="Label">{relabel}</div>
            {crate::components::attribution::attribution_view(state, current, &a)}
            <div class="row" role="group" aria-label="Move start">
                <span class="row-label">"Start"</span>
                {nudge(Side::Start, false, "◀", "[")}
                {nudge(Side::Start, true, "▶", "]")}
            </div>
            <div class="row" role="group" aria-label="Move end">
                <span class="row-label">"End"</span>
                {nudge(Side::End, false, "◀", ",")}
                {nudge(Side::End, true, "▶", ".")}
            </div>
            <label class="note">
                "Note"
                <textarea
                    rows="3"
                    prop:value=move || note_value.get()
                    on:input=move |ev| note_value.set(event_target_value(&ev))
                    on:change=move |_| save_note()
                    on:keydown=on_note_key
                ></textarea>
            </label>
            <p class="hint">"Saved when you leave the field, or with Ctrl+Enter."</p>
            <div class="row">
                <button
                    type="button"
                    class="resize"
                    aria-keyshortcuts="R"
                    on:mousedown=|ev| ev.prevent_default()
                    on:click=resize
                >
                    "Resize to selection " <kbd>"R"</kbd>
                </button>
                <button type="button" class="delete" aria-keyshortcuts="Delete" on:click=delete>
                    "Delete " <kbd>"Del"</kbd>
                </button>
                <button type="button" class="close" on:click=close>"Deselect " <kbd>"Esc"</kbd></button>
            </div>
        </section>
    }
}

/// A field of the details typed into since it was saved: Ctrl+Z there is
/// the field's own undo (the app's undo otherwise, see `components::app`).
fn mark_dirty(ev: leptos::ev::Event) {
    if let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        let _ = el.set_attribute("data-dirty", "");
    }
}

/// A field of the details saved (its `change`).
fn mark_saved(ev: leptos::ev::Event) {
    if let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        let _ = el.remove_attribute("data-dirty");
    }
}

/// The open article's annotations kept aside (their text changed beyond
/// re-anchoring): each with its label and quote, and a button that places
/// it at the current text selection (undoable).
#[component]
pub fn KeptAside() -> impl IntoView {
    let state = use_app_state();
    let orphans = Memo::new({
        move |_| {
            let id = state.current.get()?;
            let list = state.with_workspace(|ws| ws.orphans_of(&id).to_vec());
            (!list.is_empty()).then_some(list)
        }
    });
    let has_selection = state.has_selection;
    move || {
        orphans.get().map(|list| {
            let n = list.len();
            let items = list
                .into_iter()
                .map(|o| {
                    let id = o.id.clone();
                    let place = move |_| {
                        let Some(article) = crate::selection::article_element() else {
                            return;
                        };
                        match crate::selection::read(&article) {
                            Some((anchor, focus)) => {
                                report(&state, state.place_orphan(&id, anchor, focus));
                                crate::selection::clear();
                            }
                            None => state.status.set(
                                "Select the text where it belongs, then press “Place at selection”.".into(),
                            ),
                        }
                    };
                    view! {
                        <li class="orphan">
                            <span class=format!("label-chip chip-{}", o.label.as_str())>{o.label.title()}</span>
                            " “" {shorten(&o.quote)} "”"
                            <button
                                type="button"
                                class="place-orphan"
                                disabled=move || !has_selection.get()
                                on:mousedown=|ev| ev.prevent_default()
                                on:click=place
                            >
                                "Place at selection"
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="kept-aside" aria-labelledby="kept-aside-heading">
                    <h2 id="kept-aside-heading">"Kept aside " <span class="count">{n}</span></h2>
                    <p class="hint">
                        "The article's text changed and these no longer match it. Select the text where one belongs and place it there; nothing is lost meanwhile."
                    </p>
                    <ul>{items}</ul>
                </section>
            }
        })
    }
}
