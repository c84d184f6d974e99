//! Bringing your own articles: the "Add article…" dialog (paste a headline
//! and body, or a whole file in the seeds layout; or choose `.txt` files),
//! the confirmation before removing a user's article, and the storage meter.

use annotator_core::adding::{self, MAX_FILE_BYTES};
use annotator_core::Article;
use leptos::portal::Portal;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{shorten, use_app_state, AppState};

/// Reads `.txt` files and adds those that can be taken; refusals are listed
/// in one alert (and nothing is added for them).
pub fn add_files(state: AppState, files: Vec<web_sys::File>) {
    leptos::task::spawn_local(async move {
        let mut articles: Vec<Article> = Vec::new();
        let mut refused = Vec::new();
        for file in files {
            let name = file.name();
            let size = file.size() as usize;
            if size > MAX_FILE_BYTES {
                refused.push(format!("“{name}”: {}", adding::AddError::TooLarge(size)));
                continue;
            }
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => match adding::from_file(&js_sys::Uint8Array::new(&buffer).to_vec()) {
                    Ok(article) => articles.push(article),
                    Err(e) => refused.push(format!("“{name}”: {e}")),
                },
                Err(_) => refused.push(format!("“{name}”: the browser could not read it")),
            }
        }
        if !articles.is_empty() {
            state.add_articles(articles);
        }
        state
            .add_error
            .set((!refused.is_empty()).then(|| format!("Not added: {}.", refused.join("; "))));
    });
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Why adding was refused: an alert in the page's flow under the toolbar
/// (never over the text), with Dismiss.
#[component]
pub fn AddError() -> impl IntoView {
    let add_error = use_app_state().add_error;
    move || {
        add_error.get().map(|m| {
            view! {
                <div class="alert" role="alert" data-alert="add-article">
                    <p>{m}</p>
                    <button type="button" on:click=move |_| add_error.set(None)>"Dismiss"</button>
                </div>
            }
        })
    }
}

/// The "Add article…" button and its dialog.
#[component]
pub fn AddArticle() -> impl IntoView {
    let state = use_app_state();
    let open = RwSignal::new(false);
    let headline = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();
    crate::modal::manage_focus(move || open.get(), "input[name=headline]");
    let add = {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match adding::from_paste(
                &headline.get_untracked(),
                &summary.get_untracked(),
                &body.get_untracked(),
            ) {
                Ok(article) => {
                    state.add_articles(vec![article]);
                    crate::actions::reveal_article();
                    headline.set(String::new());
                    summary.set(String::new());
                    body.set(String::new());
                    open.set(false);
                }
                Err(e) => state.add_error.set(Some(format!("Not added: {e}."))),
            }
        }
    };
    let on_files = {
        move |ev: leptos::ev::Event| {
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let files = files_of(input.files());
            input.set_value("");
            if !files.is_empty() {
                open.set(false);
                add_files(state, files);
            }
        }
    };
    let close = move || open.set(false);
    let add_error = state.add_error;
    view! {
        <button
            type="button"
            class="add-article-button"
            aria-haspopup="dialog"
            on:click=move |_| {
                add_error.set(None);
                open.set(true);
            }
        >
            "Add article…"
        </button>
        <div class="backdrop" hidden=move || !open.get()>
            <div class="dialog add-dialog" role="dialog" aria-modal="true" aria-labelledby="add-title">
            <form on:submit=add>
                <h2 id="add-title">"Add an article"</h2>
                <label>
                    "Headline"
                    <input
                        type="text"
                        name="headline"
                        prop:value=move || headline.get()
                        on:input=move |ev| headline.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Summary (optional)"
                    <input
                        type="text"
                        name="summary"
                        prop:value=move || summary.get()
                        on:input=move |ev| summary.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Body"
                    <textarea
                        name="body"
                        rows="10"
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <p class="hint">
                    "One paragraph per line. Leave the headline empty to paste a whole file in the seeds layout (summary, headline, blank line, body). Or add .txt files (up to 2 MB each), or drop them on the page."
                </p>
                <div class="row">
                    <button type="submit" class="add">"Add"</button>
                    <button
                        type="button"
                        class="choose-files"
                        on:click=move |_| {
                            if let Some(el) = file_input.get() {
                                el.click();
                            }
                        }
                    >
                        "Choose .txt files…"
                    </button>
                    <button type="button" class="cancel" on:click=move |_| close()>"Cancel"</button>
                </div>
                <input
                    node_ref=file_input
                    type="file"
                    class="visually-hidden add-files"
                    tabindex="-1"
                    aria-hidden="true"
                    multiple
                    accept=".txt,text/plain"
                    on:change=on_files
                />
            </form>
            </div>
        </div>
    }
}

/// "Remove article" for a user's article, with a confirmation that says how
/// many annotations go with it.
#[component]
pub fn RemoveArticle(id: String, headline: String) -> impl IntoView {
    let state = use_app_state();
    let asking = RwSignal::new(false);
    crate::modal::manage_focus(move || asking.get(), "button.cancel");
    let count = {
        let id = id.clone();
        move || state.counts(&id).iter().sum::<usize>()
    };
    let confirm = {
        let id = id.clone();
        move |_| {
            asking.set(false);
            if let Err(e) = state.remove_article(&id) {
                state.status.set(e);
            }
        }
    };
    view! {
        <button type="button" class="remove-article" on:click=move |_| asking.set(true)>"Remove article…"</button>
        {move || asking.get().then(|| {
            let count = count.clone();
            let confirm = confirm.clone();
            let headline = headline.clone();
            // In a portal at the end of <body>: the article column is a
            // contained box (see style.css), which would clip a modal.
            view! {
                <Portal>
                    {remove_dialog(confirm.clone(), count.clone(), headline.clone(), asking)}
                </Portal>
            }
        })}
    }
}

/// The "Remove this article?" dialog.
fn remove_dialog(
    confirm: impl Fn(leptos::ev::MouseEvent) + Clone + 'static,
    count: impl Fn() -> usize + Clone + Send + Sync + 'static,
    headline: String,
    asking: RwSignal<bool>,
) -> impl IntoView {
    view! {
                <div class="backdrop">
                    <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="remove-title" aria-describedby="remove-text">
                        <h2 id="remove-title">"Remove this article?"</h2>
                        <p id="remove-text">
                            "“" {shorten(&headline)} "” and its " <strong class="remove-count">{count()}</strong>
                            " annotation(s) will be removed from this browser. Undo (Ctrl+Z) brings them back."
                        </p>
                        <div class="row">
                            <button type="button" class="confirm-remove" on:click=confirm>"Remove"</button>
                            <button type="button" class="cancel" on:click=move |_| asking.set(false)>"Cancel"</button>
                        </div>
                    </div>
                </div>
    }
}

/// How much of the browser's localStorage the app uses, with a warning from
/// 80%. Browsers allow about 5 million characters per site.
#[component]
pub fn StorageMeter() -> impl IntoView {
    let state = use_app_state();
    let usage = Memo::new(move |_| {
        // Recomputed after every write to storage.
        state.saves.track();
        crate::storage::usage()
    });
    view! {
        <section class="storage-meter" aria-label="Storage">
            {move || match usage.get() {
                Some((used, quota)) => {
                    // Integer arithmetic: float formatting would add wasm.
                    let quota = quota.max(1);
                    let percent = ((used * 100 + quota / 2) / quota).min(100);
                    let warn = percent >= 80;
                    view! {
                        <p class:warn=warn role=warn.then_some("alert")>
                            "Storage: " {format!("{} KB of about {} KB ({percent}%)", (used + 512) / 1024, (quota + 512) / 1024)}
                            {warn.then_some(" — nearly full: export your work and remove articles you no longer need.")}
                        </p>
                        <meter min="0" max="100" low="60" high="80" optimum="0" value=percent.to_string()></meter>
                    }
                    .into_any()
                }
                None => view! { <p>"Storage: unavailable"</p> }.into_any(),
            }}
        </section>
    }
}
