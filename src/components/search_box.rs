//! A labelled search field bound to a text signal (article filter, list
//! search).

use leptos::prelude::*;

/// `<label class="search">` with a visually hidden `label` and a search
/// input showing and setting `value`.
pub fn search_box(
    label: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="search">
            <span class="visually-hidden">{label}</span>
            <input
                type="search"
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}
