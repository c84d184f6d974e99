//! Files in and out: the Export panel (scope + format + download), the
//! Import button (a file chooser; files can also be dropped on the page),
//! the import preview dialog (merge, replace or cancel) and the alert for a
//! refused file. Strings from files are only ever shown as text.

use annotator_core::formats::export::Format;
use annotator_core::formats::import::MAX_BYTES;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::download::download_bytes;
use crate::state::{use_app_state, AppState, Scope};

/// The Export button and its panel.
#[component]
pub fn ExportMenu() -> impl IntoView {
    let state = use_app_state();
    let open = RwSignal::new(false);
    let scope = RwSignal::new(Scope::Current);
    let format = RwSignal::new(Format::Native);
    let options = Format::ALL
        .into_iter()
        .map(|f| view! { <option value=f.key() selected=f == Format::Native>{f.title()}</option> })
        .collect_view();
    let run = {
        move |_| match state.export(scope.get_untracked(), format.get_untracked()) {
            Ok((name, mime, bytes)) => match download_bytes(&name, mime, &bytes) {
                Ok(()) => {
                    state.status.set(format!("Exported {name}."));
                    open.set(false);
                }
                Err(e) => state.status.set(e),
            },
            Err(e) => state.status.set(e),
        }
    };
    let menu = NodeRef::<leptos::html::Div>::new();
    let button = NodeRef::<leptos::html::Button>::new();
    // The panel closes on Escape (focus back on its button) and on a click
    // outside it.
    let on_key = window_event_listener(leptos::ev::keydown, move |ev| {
        if open.get_untracked() && ev.key() == "Escape" && crate::modal::open_modal().is_none() {
            ev.prevent_default();
            open.set(false);
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
        }
    });
    let on_pointer = window_event_listener(leptos::ev::mousedown, move |ev| {
        if !open.get_untracked() {
            return;
        }
        let inside = match (menu.get_untracked(), ev.target()) {
            (Some(menu), Some(target)) => {
                let menu: &web_sys::Node = menu.as_ref();
                target
                    .dyn_ref::<web_sys::Node>()
                    .is_some_and(|t| menu.contains(Some(t)))
            }
            _ => false,
        };
        if !inside {
            open.set(false);
        }
    });
    on_cleanup(move || {
        on_key.remove();
        on_pointer.remove();
    });
    view! {
        <div class="menu" node_ref=menu>
            <button
                type="button"
                node_ref=button
                class="export-button"
                aria-expanded=move || open.get().to_string()
                aria-controls="export-panel"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Export…"
            </button>
            <div id="export-panel" class="popover" role="group" aria-label="Export annotations" hidden=move || !open.get()>
                <fieldset>
                    <legend>"Articles"</legend>
                    <label>
                        <input
                            type="radio"
                            name="export-scope"
                            value="current"
                            prop:checked=move || scope.get() == Scope::Current
                            on:change=move |_| scope.set(Scope::Current)
                        />
                        "This article"
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="export-scope"
                            value="all"
                            prop:checked=move || scope.get() == Scope::All
                            on:change=move |_| scope.set(Scope::All)
                        />
                        "All articles"
                    </label>
                </fieldset>
                <label class="format">
                    "Format"
                    <select on:change=move |ev| {
                        if let Some(f) = Format::from_key(&event_target_value(&ev)) {
                            format.set(f);
                        }
                    }>{options}</select>
                </label>
                <label class="your-name">
                    "Your name"
                    <input
                        type="text"
                        name="your-name"
                        autocomplete="name"
                        prop:value=move || state.session.with(|s| s.annotator().unwrap_or_default().to_string())
                        on:change=move |ev| state.set_annotator(&event_target_value(&ev))
                    />
                </label>
                <p class="hint">"Your name goes into native, W3C and CSV exports as the annotator; Compare… names native and W3C files by it. Offsets count Unicode code points of the article text (see README)."</p>
                <button type="button" class="download" on:click=run>"Download"</button>
            </div>
        </div>
    }
}

/// Reads a chosen or dropped file and hands it to the import.
pub fn read_file(state: AppState, file: web_sys::File) {
    let name = file.name();
    let size = file.size() as usize;
    let generation = state.new_import();
    if size > MAX_BYTES {
        state.refuse_import(
            generation,
            &name,
            &format!(
                "the file is {} MB; files over 20 MB are not imported",
                tenths_of_mb(size)
            ),
        );
        return;
    }
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                state.prepare_import(generation, name, bytes).await;
            }
            Err(_) => state.refuse_import(generation, &name, "the browser could not read the file"),
        }
    });
}

/// The Import button (opens a file chooser).
#[component]
pub fn ImportButton() -> impl IntoView {
    let state = use_app_state();
    let input = NodeRef::<leptos::html::Input>::new();
    let on_change = {
        move |ev: leptos::ev::Event| {
            let Some(target) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(file) = target.files().and_then(|f| f.get(0)) {
                read_file(state, file);
            }
            // Choosing the same file again must fire `change` again.
            target.set_value("");
        }
    };
    view! {
        <button
            type="button"
            class="import-button"
            on:click=move |_| {
                if let Some(el) = input.get() {
                    el.click();
                }
            }
        >
            "Import…"
        </button>
        <input
            node_ref=input
            type="file"
            class="visually-hidden import-file"
            tabindex="-1"
            aria-hidden="true"
            accept=".json,.jsonld,application/json,application/ld+json"
            on:change=on_change
        />
    }
}

/// Lets files be dropped anywhere on the page.
pub fn install_drop(state: &AppState) {
    let over = window_event_listener(leptos::ev::dragover, |ev| ev.prevent_default());
    let state = *state;
    let drop = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            read_file(state, file);
        }
    });
    on_cleanup(move || {
        over.remove();
        drop.remove();
    });
}

/// The preview of a pending import and the refusal alert.
#[component]
pub fn ImportDialog() -> impl IntoView {
    let state = use_app_state();
    let pending = state.pending_import;
    let error = state.import_error;
    // Merge is the safe choice (it keeps everything and can be undone);
    // Replace is never focused first.
    crate::modal::manage_focus(move || pending.with(Option::is_some), "button.merge");
    let dialog = {
        move || {
            pending.get().map(|(file_name, pv)| {
                let orphans = pv
                    .orphans
                    .iter()
                    .map(|(article, quote)| view! { <li>{format!("“{quote}” ({article})")}</li> })
                    .collect_view();
                let unlinked = pv
                    .unlinked
                    .iter()
                    .map(|(article, kind, quote)| {
                        view! { <li>{format!("{kind} from “{quote}” ({article}): its other end is not in the file or here")}</li> }
                    })
                    .collect_view();
                let (merge, replace, cancel) = (state, state, state);
                view! {
                    <div class="backdrop">
                        <div
                            class="dialog import-dialog"
                            role="dialog"
                            aria-modal="true"
                            aria-labelledby="import-title"
                        >
                            <h2 id="import-title">"Import “" {file_name} "”"</h2>
                            <dl class="preview">
                                <dt>"Articles"</dt><dd data-k="articles">{pv.articles}</dd>
                                <dt>"Annotations in the file"</dt><dd data-k="total">{pv.total}</dd>
                                <dt>"New"</dt><dd data-k="new">{pv.new}</dd>
                                <dt>"Already here (duplicates)"</dt><dd data-k="duplicates">{pv.duplicates}</dd>
                                <dt>"Re-anchored (article text differs)"</dt><dd data-k="reanchored">{pv.reanchored}</dd>
                                <dt>"Could not be placed (kept aside)"</dt><dd data-k="orphans">{pv.orphans.len()}</dd>
                                <dt>"Relations (said by, committed by)"</dt><dd data-k="relations">{relations_text(pv.relations, pv.new_relations)}</dd>
                                <dt>"Relations whose end is missing (left out)"</dt><dd data-k="unlinked">{pv.unlinked.len()}</dd>
                            </dl>
                            {(!pv.orphans.is_empty()).then(|| view! { <ul class="orphans">{orphans}</ul> })}
                            {(!pv.unlinked.is_empty()).then(|| view! { <ul class="unlinked">{unlinked}</ul> })}
                            <p class="hint">
                                "Merge adds the new annotations and keeps yours. Replace makes each article in the file hold exactly the file's annotations ("
                                {pv.replaced} " current annotation(s) in those articles"
                                {(pv.replace_unlinked > 0).then(|| format!(
                                    "; it would leave out {} relation(s) from the file to annotations it removes",
                                    pv.replace_unlinked
                                ))}
                                "). Either can be undone with Ctrl+Z."
                            </p>
                            <div class="row">
                                <button type="button" class="merge" on:click=move |_| merge.confirm_import(annotator_core::session::ImportMode::Merge)>"Merge"</button>
                                <button type="button" class="replace" on:click=move |_| replace.confirm_import(annotator_core::session::ImportMode::Replace)>"Replace"</button>
                                <button type="button" class="cancel" on:click=move |_| cancel.cancel_import()>"Cancel"</button>
                            </div>
                        </div>
                    </div>
                }
            })
        }
    };
    let progress = state.import_progress;
    view! {
        {dialog}
        // Said through the status line (the page's one live region,
        // `show_import_progress`); the panel is what is seen.
        {move || progress.get().map(|message| view! {
            <div class="import-progress" aria-hidden="true">
                <p>{message}</p>
                <progress></progress>
            </div>
        })}
        {move || error.get().map(|message| view! {
            <div class="alert" role="alert" data-alert="import">
                <p>{message}</p>
                <button type="button" on:click=move |_| error.set(None)>"Dismiss"</button>
            </div>
        })}
    }
}

/// "7 relations, 7 new" for the preview.
fn relations_text(total: usize, new: usize) -> String {
    let noun = if total == 1 { "relation" } else { "relations" };
    format!("{total} {noun}, {new} new")
}

/// A file's size for a message: "640 KB" under a megabyte (at least 1),
/// else "20.5 MB".
pub fn size_text(bytes: usize) -> String {
    if bytes < 1_048_576 {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    } else {
        format!("{} MB", tenths_of_mb(bytes))
    }
}

/// `bytes` in MB with one decimal ("20.5"), in integer arithmetic (float
/// formatting would add to the wasm).
fn tenths_of_mb(bytes: usize) -> String {
    let tenths = (bytes.saturating_mul(10) + 524_288) / 1_048_576;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_in_mb_round_to_one_decimal() {
        assert_eq!(super::tenths_of_mb(21 * 1_048_576 + 524_288), "21.5");
        assert_eq!(super::tenths_of_mb(20 * 1_048_576 + 1), "20.0");
    }
}
