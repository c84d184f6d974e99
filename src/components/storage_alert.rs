//! Alerts about storage: work not being saved, or saved data that could not
//! be read. Each offers a way to keep the work (download) and says what
//! happens next.

use leptos::prelude::*;

use crate::download::download;
use crate::state::{now, use_app_state};

/// The storage alerts (`role="alert"`), shown only when there is a problem.
#[component]
pub fn StorageAlert() -> impl IntoView {
    let state = use_app_state();
    let save_error = state.save_error;
    let unreadable = state.unreadable;
    let export = {
        move |_| {
            let name = format!(
                "all-annotations-{}.json",
                now().get(..10).unwrap_or("today")
            );
            if let Err(e) = download(&name, "application/json", &state.export_native()) {
                state.status.set(e);
            }
        }
    };
    let download_unreadable = {
        move |_| {
            if let Some(u) = state.unreadable.get_untracked() {
                let name = format!(
                    "unreadable-saved-data-{}.json",
                    now().get(..10).unwrap_or("today")
                );
                if let Err(e) = download(&name, "application/json", &u.raw) {
                    state.status.set(e);
                }
            }
        }
    };
    let discard = { move |_| state.discard_unreadable() };
    view! {
        {move || save_error.get().map(|e| view! {
            <div class="alert" role="alert" data-alert="not-saved">
                <p><strong>"Your work is not being saved: "</strong>{e.to_string()}"."</p>
                <p>"Your annotations are kept in this page until you close it. Download them to keep them."</p>
                <button type="button" on:click=export>"Download all annotations"</button>
            </div>
        })}
        {move || unreadable.get().map(|u| view! {
            <div class="alert" role="alert" data-alert="unreadable">
                <p><strong>"Saved annotations could not be read: "</strong>{u.reason.clone()}"."</p>
                <p>
                    "They are kept untouched in this browser under “" <code>{u.key.clone()}</code>
                    "” until you download or discard them. "
                    {if u.key == crate::storage::DATA_KEY {
                        "Until then new work is not saved, so that it cannot overwrite them."
                    } else {
                        "New work is saved separately."
                    }}
                </p>
                <button type="button" on:click=download_unreadable>"Download unreadable data"</button>
                " "
                <button type="button" on:click=discard>"Discard it"</button>
            </div>
        })}
    }
}
