//! The root component: provides the state, lays out the page and installs
//! the app-wide keyboard shortcuts and the selection watcher.

use annotator_core::Label;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use annotator_core::edit::Side;

use crate::actions::{report, resize_to_selection, tag_selection};
use crate::components::add_article::{AddArticle, AddError, StorageMeter};
use crate::components::annotation_list::AnnotationPanel;
use crate::components::article_list::ArticleList;
use crate::components::article_view::ArticleView;
use crate::components::files::{install_drop, ExportMenu, ImportButton, ImportDialog};
use crate::components::storage_alert::StorageAlert;
use crate::components::toolbar::{Legend, Toolbar};
use crate::selection;
use crate::state::AppState;

/// The whole app: built-in seeds plus what localStorage holds.
#[component]
pub fn App() -> impl IntoView {
    view! { <AppWith state=AppState::from_storage(crate::seeds::SEEDS) /> }
}

/// The app around a given state (browser tests pass their own articles).
#[component]
pub fn AppWith(state: AppState) -> impl IntoView {
    provide_context(state);
    install_shortcuts(&state);
    crate::suggesting::install(&state);
    // The link picker belongs to the annotation it was opened for.
    Effect::new(move |_| {
        state.selected.track();
        state.current.track();
        state.view.track();
        state.linking.set(false);
    });
    watch_other_tabs(&state);
    install_drop(&state);
    follow_route(&state);
    let update_ready = RwSignal::new(false);
    if state.persists() {
        flush_saves_when_leaving(&state);
        crate::offline::register(update_ready);
        crate::schedule::when_idle(3000, move || state.warm_save_cache());
    }
    watch_selection(&state);
    fade_status(&state);
    let errors = state.seed_errors.get_value();
    let status = state.status;
    // Whether the main area shows the article (else the digest): the
    // views are built again only when this changes, not on every query.
    let on_article = Memo::new(move |_| state.view.get() == crate::state::View::Article);
    let adjudicating = Memo::new(move |_| state.view.get() == crate::state::View::Adjudicate);
    view! {
        <div class="app">
            <header class="app-bar">
                <p class="brand">"Article Annotator"</p>
                {move || on_article.get().then(|| view! { <Toolbar /> })}
                <div class="file-buttons">
                    <a
                        class="digest-button"
                        href="#/digest"
                        aria-keyshortcuts="D"
                        aria-current=move || matches!(state.view.get(), crate::state::View::Digest(_) | crate::state::View::Actor(_)).then_some("page")
                    >
                        "Digest"
                    </a>
                    <AddArticle />
                    <ExportMenu />
                    <ImportButton />
                    <crate::components::compare::CompareButton />
                </div>
            </header>
            {move || update_ready.get().then(|| view! {
                <div class="alert update" role="status" data-alert="update">
                    <p>"A new version of Article Annotator is ready. Your work is saved."</p>
                    <button type="button" on:click=move |_| crate::offline::activate_update()>"Reload to update"</button>
                </div>
            })}
            <StorageAlert />
            <AddError />
            <ImportDialog />
            <crate::components::compare::CompareDialog />
            <crate::components::suggestions::AcceptAllDialog />
            {(!errors.is_empty()).then(|| view! {
                <div class="alert" role="alert">
                    <p>"Some articles could not be read and are not shown:"</p>
                    <ul>{errors.iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="layout">
                <aside class="sidebar">
                    <ArticleList />
                    {move || on_article.get().then(|| view! { <crate::components::suggestions::SuggestionSettings /> })}
                    <Legend />
                    <StorageMeter />
                </aside>
                <main class="reader" id="main">
                    {move || if on_article.get() {
                        view! { <ArticleView /> }.into_any()
                    } else if adjudicating.get() {
                        view! { <crate::components::adjudicate::AdjudicationView /> }.into_any()
                    } else {
                        view! { <crate::components::digest::DigestView /> }.into_any()
                    }}
                </main>
                {move || on_article.get().then(|| view! { <AnnotationPanel /> })}
            </div>
            <div class="status-bar">
                <p class="status" role="status" aria-live="polite">{move || status.get()}</p>
                <button
                    type="button"
                    class="dismiss-status"
                    aria-label="Dismiss message"
                    hidden=move || status.with(String::is_empty)
                    on:click=move |_| {
                        status.set(String::new());
                        // The button hides: put focus back in the article.
                        if let Some(el) = crate::selection::article_element()
                            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = el.focus();
                        }
                    }
                >
                    "×"
                </button>
            </div>
        </div>
    }
}

/// How long a status message stays.
const STATUS_SECONDS: u64 = 10;

/// Clears a status message after a while (a newer message restarts the
/// wait; the × button clears it at once).
fn fade_status(state: &AppState) {
    let status = state.status;
    Effect::new(move |_| {
        let shown = status.get();
        if !shown.is_empty() {
            clear_status_later(status, shown);
        }
    });
}

/// Clears `shown` from the status line after a while, unless a newer
/// message replaced it; waits longer while the pointer is on the bar or
/// focus is in it (someone is reading it or about to dismiss it).
fn clear_status_later(status: RwSignal<String>, shown: String) {
    set_timeout(
        move || {
            if status.try_with_untracked(|now| *now == shown) != Some(true) {
                return;
            }
            let bar = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(".status-bar").ok().flatten());
            let busy = bar.is_some_and(|bar| {
                bar.matches(":hover").unwrap_or(false)
                    || bar.matches(":focus-within").unwrap_or(false)
            });
            if busy {
                clear_status_later(status, shown);
            } else {
                status.set(String::new());
            }
        },
        std::time::Duration::from_secs(STATUS_SECONDS),
    );
}

/// Writes a pending save at once when the page is hidden, closed or
/// reloaded, so the short wait before saving (see `AppState::save`) can
/// never lose an edit.
fn flush_saves_when_leaving(state: &AppState) {
    for event in ["pagehide", "visibilitychange"] {
        let state = *state;
        let handle = window_event_listener_untyped(event, move |_| state.flush_save());
        on_cleanup(move || handle.remove());
    }
}

/// App-wide keys, anywhere but in a text field: 1/2/3 tag (or relabel the
/// selected annotation), Delete/Backspace delete it, `[` `]` move its start
/// and `,` `.` its end, R resizes it to the selection, Escape clears, and
/// Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo and redo.
fn install_shortcuts(state: &AppState) {
    let state = *state;
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.default_prevented() {
            return;
        }
        // Behind an open dialog the page's shortcuts do nothing; the dialog
        // takes Escape and keeps Tab inside itself.
        if crate::modal::keydown(&ev) || ev.alt_key() {
            return;
        }
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        // On a checkbox or a slider (Done, Overdue only, the suggestion
        // settings) the app's letter keys still work: D, N, J, Y, A (those
        // controls take Space and arrows, not letters).
        let on_toggle = target.as_ref().is_some_and(|el| {
            el.tag_name() == "INPUT"
                && matches!(
                    el.get_attribute("type").as_deref(),
                    Some("checkbox" | "radio" | "range")
                )
        });
        let app_letter = matches!(
            ev.key().as_str(),
            "d" | "D" | "n" | "N" | "j" | "J" | "y" | "Y" | "a" | "A"
        ) && !ev.ctrl_key()
            && !ev.meta_key();
        let in_field = !(on_toggle && app_letter)
            && target.as_ref().is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.closest("[contenteditable]").ok().flatten().is_some()
            });
        if in_field {
            // Esc leaves a field (its own handler) and closes the picker.
            if ev.key() == "Escape" && state.linking.get_untracked() {
                state.linking.set(false);
            }
            // Undo and redo in a field of the details with nothing typed
            // since it was saved are the app's (a list's change is saved at
            // once); while typing they are the field's own.
            let app_undo = (ev.ctrl_key() || ev.meta_key())
                && target.as_ref().is_some_and(|el| {
                    el.tag_name() == "SELECT"
                        || (el.closest(".details").ok().flatten().is_some()
                            && !el.has_attribute("data-dirty"))
                });
            if app_undo {
                match (ev.key().to_lowercase().as_str(), ev.shift_key()) {
                    ("z", false) => state.undo(),
                    ("z", true) | ("y", false) => state.redo(),
                    _ => return,
                }
                crate::actions::refocus_if_lost();
                ev.prevent_default();
            }
            return;
        }
        let key = ev.key();
        if ev.ctrl_key() || ev.meta_key() {
            match (key.to_lowercase().as_str(), ev.shift_key()) {
                ("z", false) => state.undo(),
                ("z", true) | ("y", false) => state.redo(),
                _ => return,
            }
            crate::actions::refocus_if_lost();
            ev.prevent_default();
            return;
        }
        // The keys that act on the article and its selected annotation
        // work only while the article is shown (not on the digest, where
        // that annotation is out of sight).
        // The adjudication view has its own keys (`components::adjudicate`).
        if state.view.get_untracked() == crate::state::View::Adjudicate {
            return;
        }
        let on_article = state.view.get_untracked() == crate::state::View::Article;
        let selected = on_article && state.selected.get_untracked().is_some();
        if !on_article && !matches!(key.as_str(), "d" | "D" | "n" | "N" | "Escape") {
            return;
        }
        // The link picker takes number keys and Escape while it is open.
        if state.linking.get_untracked() {
            let digit = key
                .parse::<usize>()
                .ok()
                .filter(|d| key.len() == 1 && (1..=9).contains(d));
            if let Some(n) = digit {
                ev.prevent_default();
                report(&state, state.choose_link(n));
                return;
            }
            if key == "Escape" {
                ev.prevent_default();
                state.linking.set(false);
                state.status.set("Linking cancelled.".into());
                return;
            }
        }
        if let Some(label) = Label::from_hotkey(&key) {
            ev.prevent_default();
            crate::perf::start("aa-key");
            tag_selection(&state, label);
            crate::perf::measure("aa-key");
            return;
        }
        let handled = match key.as_str() {
            "Escape" => {
                let had = state.has_selection.get_untracked() || selected;
                crate::actions::remember_cursor(&state);
                selection::clear();
                state.has_selection.set(false);
                state.selected.set(None);
                let had = had || state.suggest.current.get_untracked().is_some();
                state.suggest.current.set(None);
                if had {
                    state.status.set("Selection cleared.".into());
                }
                true
            }
            "Delete" | "Backspace" if selected => {
                crate::actions::remember_cursor(&state);
                report(&state, state.delete_selected());
                true
            }
            "[" if selected => {
                report(&state, state.nudge_selected(Side::Start, false));
                true
            }
            "]" if selected => {
                report(&state, state.nudge_selected(Side::Start, true));
                true
            }
            "," if selected => {
                report(&state, state.nudge_selected(Side::End, false));
                true
            }
            "." if selected => {
                report(&state, state.nudge_selected(Side::End, true));
                true
            }
            "r" | "R" if selected => {
                resize_to_selection(&state);
                true
            }
            "l" | "L" => {
                report(&state, state.start_linking());
                true
            }
            "d" | "D" => {
                crate::route::go(&crate::route::digest_href(""));
                true
            }
            // Suggestions: J / Shift+J step, Y accepts, N rejects, A
            // previews accepting all of the current one's kind.
            // Shift, not the letter's case, tells J from Shift+J and N
            // from Shift+N (Caps Lock never turns a rejection into a jump
            // to another article).
            "j" | "J" => {
                state.step_suggestion(!ev.shift_key());
                true
            }
            "y" | "Y" => {
                report(&state, state.accept_current());
                true
            }
            "a" | "A" => {
                report(&state, state.preview_accept_all());
                true
            }
            "n" | "N" if on_article && !ev.shift_key() => {
                report(&state, state.reject_current());
                true
            }
            "n" | "N" => {
                state.open_next_not_done();
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

/// Follows the URL: at start, and when it changes (back button, a link).
fn follow_route(state: &AppState) {
    if !state.persists() {
        return;
    }
    match crate::route::route() {
        Some(route) => show_route(state, route),
        None => {
            if let Some(id) = state.current.get_untracked() {
                crate::route::set(&id);
            }
        }
    }
    let state = *state;
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(route) = crate::route::route() {
            show_route(&state, route);
        }
    });
    on_cleanup(move || handle.remove());
}

/// Shows what a route names: an article, the digest or an actor's page.
fn show_route(state: &AppState, route: crate::route::Route) {
    use crate::route::Route;
    use crate::state::View;
    let view = match route {
        Route::Article(id) => {
            state.open_route(&id);
            View::Article
        }
        Route::Digest(query) => View::Digest(annotator_core::digest::Query::parse(&query)),
        Route::Actor(name) => View::Actor(name),
    };
    if state.view.get_untracked() != view {
        state.view.set(view);
    }
}

/// Merges what another tab saves (the `storage` event) into this tab.
fn watch_other_tabs(state: &AppState) {
    if !state.persists() {
        return;
    }
    let state = *state;
    let handle = window_event_listener(leptos::ev::storage, move |ev| {
        if ev.key().as_deref() != Some(crate::storage::DATA_KEY) {
            return;
        }
        if let Some(raw) = ev.new_value() {
            state.merge_stored(&raw);
        }
    });
    on_cleanup(move || handle.remove());
}

/// Keeps `has_selection` true while the document selection touches the article.
fn watch_selection(state: &AppState) {
    let has_selection = state.has_selection;
    let callback = Closure::<dyn Fn()>::new(move || {
        let now = selection::article_element()
            .and_then(|a| selection::read(&a))
            .is_some();
        if has_selection.try_get_untracked() != Some(now) {
            has_selection.try_set(now);
        }
    });
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let function: js_sys::Function = callback.into_js_value().unchecked_into();
    let _ = document.add_event_listener_with_callback("selectionchange", &function);
    on_cleanup(move || {
        let _ = document.remove_event_listener_with_callback("selectionchange", &function);
    });
}
