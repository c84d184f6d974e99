//! The list of articles: headline, per-label counts and a "done" mark for
//! each; a filter box narrows it by headline. A click opens an article.
//!
//! Each entry's counts and done mark are derived per entry, so the list stays
//! usable with hundreds of articles.

use leptos::prelude::*;

use crate::components::search_box::search_box;

use crate::state::use_app_state;

/// Navigation list of every article in the catalog.
#[component]
pub fn ArticleList() -> impl IntoView {
    let state = use_app_state();
    let filter = RwSignal::new(String::new());
    let shown = Memo::new({
        move |_| {
            let needle = filter.get().to_lowercase();
            state.catalog.with(|c| {
                c.articles()
                    .iter()
                    .filter(|a| needle.is_empty() || a.headline().to_lowercase().contains(&needle))
                    .map(|a| (a.id().to_string(), a.headline().to_string()))
                    .collect::<Vec<_>>()
            })
        }
    });
    let total = { move || state.catalog.with(|c| c.len()) };
    let route_error = state.route_error;
    let entry = {
        move |(id, headline): (String, String)| {
            let counts = Memo::new({
                let id = id.clone();
                move |_| state.counts(&id)
            });
            let done = Memo::new({
                let id = id.clone();
                move |_| state.is_done(&id)
            });
            let summary = move || annotator_core::label::count_phrase(counts.get());
            let is_current = {
                let current = state.current;
                let id = id.clone();
                move || current.with(|c| c.as_deref() == Some(id.as_str()))
            };
            let open = {
                let id = id.clone();
                move |_| {
                    state.open(&id);
                    crate::actions::reveal_article();
                }
            };
            let toggle_done = {
                let id = id.clone();
                move |ev: leptos::ev::Event| state.set_done(&id, event_target_checked(&ev))
            };
            let done_label = format!("Done: {headline}");
            view! {
                <li class:done=move || done.get()>
                    <button
                        type="button"
                        class="article-link"
                        data-article-id=id.clone()
                        aria-current=move || is_current().then_some("page")
                        on:click=open
                    >
                        <span class="article-title">{headline.clone()}</span>
                        <span class="article-counts" aria-label=summary title=summary>
                            <span class="c-entity">{move || counts.get()[0]}</span>
                            <span class="c-claim">{move || counts.get()[1]}</span>
                            <span class="c-commitment">{move || counts.get()[2]}</span>
                        </span>
                    </button>
                    <label class="done-mark" title="Mark this article done">
                        <input
                            type="checkbox"
                            aria-label=done_label
                            prop:checked=move || done.get()
                            on:change=toggle_done
                        />
                        "Done"
                    </label>
                </li>
            }
        }
    };
    view! {
        <nav class="article-list" aria-label="Articles">
            <h2>"Articles " <span class="count">{total}</span></h2>
            <p class="progress" data-k="progress">
                {move || {
                    let p = state.session.with(|s| annotator_core::digest::progress(s.catalog(), s.workspace()));
                    format!(
                        "{} of {} done · {}",
                        p.done,
                        p.articles,
                        annotator_core::label::count_phrase(p.counts)
                    )
                }}
            </p>
            <p class="progress-links">
                <button type="button" class="next-not-done" aria-keyshortcuts="Shift+N" on:click=move |_| state.open_next_not_done()>
                    "Next not done " <kbd>"Shift+N"</kbd>
                </button>
                " "
                <a class="digest-link" href="#/digest" aria-keyshortcuts="D">"Digest " <kbd>"D"</kbd></a>
            </p>
            {move || route_error.get().map(|m| view! { <p class="alert" role="alert" data-alert="route">{m}</p> })}
            {search_box("Filter articles by headline", "Filter by headline", filter)}
            <ul>
                <For each=move || shown.get() key=|(id, headline)| (id.clone(), headline.clone()) children=entry />
            </ul>
            <p class="empty-list" hidden=move || !shown.with(|s| s.is_empty())>"No headline matches."</p>
        </nav>
    }
}
