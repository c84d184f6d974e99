//! The root component: provides the state and lays out the page.

use leptos::prelude::*;

use crate::components::article_list::ArticleList;
use crate::components::article_view::ArticleView;
use crate::state::AppState;

/// The whole app, built from the embedded seeds.
#[component]
pub fn App() -> impl IntoView {
    view! { <AppWith state=AppState::from_seeds(crate::seeds::SEEDS) /> }
}

/// The app around a given state (browser tests pass their own articles).
#[component]
pub fn AppWith(state: AppState) -> impl IntoView {
    provide_context(state.clone());
    let errors = state.seed_errors.clone();
    view! {
        <div class="app">
            <header class="app-bar">
                <p class="brand">"Article Annotator"</p>
            </header>
            {(!errors.is_empty()).then(|| view! {
                <div class="alert" role="alert">
                    <p>"Some articles could not be read and are not shown:"</p>
                    <ul>{errors.iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="layout">
                <ArticleList />
                <main class="reader" id="main">
                    <ArticleView />
                </main>
            </div>
        </div>
    }
}
