//! The list of articles, each named by its headline; a click opens one.

use leptos::prelude::*;

use crate::state::use_app_state;

/// Navigation list of every article in the catalog.
#[component]
pub fn ArticleList() -> impl IntoView {
    let state = use_app_state();
    let items = state
        .catalog
        .articles()
        .iter()
        .map(|article| {
            let id = article.id().to_string();
            let headline = article.headline().to_string();
            let state = state.clone();
            let counts = Memo::new({
                let state = state.clone();
                let id = id.clone();
                move |_| state.counts(&id)
            });
            let summary = move || {
                let c = counts.get();
                format!("{} entities, {} claims, {} commitments", c[0], c[1], c[2])
            };
            let is_current = {
                let state = state.clone();
                let id = id.clone();
                move || state.current.get().as_deref() == Some(id.as_str())
            };
            let open = {
                let id = id.clone();
                move |_| state.open(&id)
            };
            view! {
                <li>
                    <button
                        type="button"
                        class="article-link"
                        data-article-id=id
                        aria-current=move || is_current().then_some("page")
                        on:click=open
                    >
                        <span class="article-title">{headline}</span>
                        <span class="article-counts" aria-label=summary title=summary>
                            <span class="c-entity">{move || counts.get()[0]}</span>
                            <span class="c-claim">{move || counts.get()[1]}</span>
                            <span class="c-commitment">{move || counts.get()[2]}</span>
                        </span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="article-list" aria-label="Articles">
            <h2>"Articles"</h2>
            <ul>{items}</ul>
        </nav>
    }
}
