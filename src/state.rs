//! The app's one shared state, provided as context by [`App`](crate::App).
//!
//! Derive, don't sync: the catalog never changes after start-up, and the open
//! article is one signal; everything shown is computed from them.

use std::sync::Arc;

use annotator_core::catalog::{Catalog, SeedError};
use annotator_core::Article;
use leptos::prelude::*;

/// Shared app state. Cheap to clone (signals and `Arc`s).
#[derive(Clone)]
pub struct AppState {
    /// Every article, in list order. Never changes after start-up.
    pub catalog: Arc<Catalog>,
    /// Seeds that could not be parsed (the build normally refuses them).
    pub seed_errors: Arc<Vec<SeedError>>,
    /// Id of the open article.
    pub current: RwSignal<Option<String>>,
}

impl AppState {
    /// Builds the state from `(id, text)` seeds and opens the first article.
    pub fn from_seeds(seeds: &[(&str, &str)]) -> AppState {
        let (catalog, errors) = Catalog::from_seeds(seeds);
        let first = catalog.first().map(|a| a.id().to_string());
        AppState {
            catalog: Arc::new(catalog),
            seed_errors: Arc::new(errors),
            current: RwSignal::new(first),
        }
    }

    /// The open article, if any (tracks `current`).
    pub fn current_article(&self) -> Option<Article> {
        let id = self.current.get()?;
        self.catalog.get(&id).cloned()
    }

    /// Opens the article with this id; unknown ids are ignored.
    pub fn open(&self, id: &str) {
        if self.catalog.get(id).is_some() {
            self.current.set(Some(id.to_string()));
        }
    }
}

/// The app state from context. Components are only ever mounted under
/// [`App`](crate::App) or a test that provides it; outside that, a fresh state
/// from the built-in seeds keeps the page alive instead of panicking.
pub fn use_app_state() -> AppState {
    use_context::<AppState>().unwrap_or_else(|| {
        leptos::logging::warn!("AppState missing from context; using the built-in seeds");
        AppState::from_seeds(crate::seeds::SEEDS)
    })
}
