//! The app's one shared state, provided as context by [`App`](crate::App),
//! and the actions components call on it.
//!
//! Derive, don't sync: the catalog never changes after start-up; the
//! workspace, the open article and the selected annotation are signals, and
//! everything shown is computed from them. Every change to the workspace goes
//! through [`AppState::change`], which saves at once.

use std::sync::Arc;

use annotator_core::catalog::{Catalog, SeedError};
use annotator_core::cursor::clamp_selection;
use annotator_core::formats::native;
use annotator_core::span::resolve_selection;
use annotator_core::{Article, Label, Workspace};
use leptos::prelude::*;

use crate::storage::{self, StorageError, UiPrefs, Unreadable};

/// Shared app state. Cheap to clone (signals and `Arc`s).
#[derive(Clone)]
pub struct AppState {
    /// Every article, in list order. Never changes after start-up.
    pub catalog: Arc<Catalog>,
    /// Seeds that could not be parsed (the build normally refuses them).
    pub seed_errors: Arc<Vec<SeedError>>,
    /// Id of the open article.
    pub current: RwSignal<Option<String>>,
    /// Every article's annotations.
    pub workspace: RwSignal<Workspace>,
    /// The selected annotation's id.
    pub selected: RwSignal<Option<String>>,
    /// Whether selections snap to whole words.
    pub snap: RwSignal<bool>,
    /// Whether the document has a non-empty selection in the article.
    pub has_selection: RwSignal<bool>,
    /// Why the last save failed (None when saved).
    pub save_error: RwSignal<Option<StorageError>>,
    /// Saved data that could not be read, kept until the user decides.
    pub unreadable: RwSignal<Option<Unreadable>>,
    /// When true, saving must not write the data key (it holds unreadable data).
    pub blocked: RwSignal<bool>,
    /// The last message for the live status region.
    pub status: RwSignal<String>,
    /// Whether changes go to localStorage (false in browser tests).
    pub persist: bool,
}

impl AppState {
    /// State from `(id, text)` seeds, in memory only, first article open.
    pub fn from_seeds(seeds: &[(&str, &str)]) -> AppState {
        let (catalog, errors) = Catalog::from_seeds(seeds);
        let first = catalog.first().map(|a| a.id().to_string());
        AppState {
            catalog: Arc::new(catalog),
            seed_errors: Arc::new(errors),
            current: RwSignal::new(first),
            workspace: RwSignal::new(Workspace::new()),
            selected: RwSignal::new(None),
            snap: RwSignal::new(true),
            has_selection: RwSignal::new(false),
            save_error: RwSignal::new(None),
            unreadable: RwSignal::new(None),
            blocked: RwSignal::new(false),
            status: RwSignal::new(String::new()),
            persist: false,
        }
    }

    /// State from seeds plus what localStorage holds; saves every change.
    pub fn from_storage(seeds: &[(&str, &str)]) -> AppState {
        let mut state = AppState::from_seeds(seeds);
        state.persist = true;
        let loaded = storage::load(&state.catalog);
        state.workspace.set(loaded.workspace);
        state.save_error.set(loaded.error);
        state.unreadable.set(loaded.unreadable);
        state.blocked.set(loaded.blocked);
        let mut notes = Vec::new();
        if loaded.report.moved > 0 {
            notes.push(format!(
                "{} annotation(s) moved to follow changed article text",
                loaded.report.moved
            ));
        }
        if loaded.report.orphaned > 0 {
            notes.push(format!(
                "{} annotation(s) no longer match their article and are kept aside",
                loaded.report.orphaned
            ));
        }
        state.status.set(notes.join("; "));
        let prefs = storage::load_prefs();
        state.snap.set(prefs.snap_to_words);
        if let Some(id) = prefs.article.filter(|id| state.catalog.get(id).is_some()) {
            state.current.set(Some(id));
        }
        state
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
            self.selected.set(None);
            self.save_prefs();
        }
    }

    /// Turns word snapping on or off (remembered).
    pub fn set_snap(&self, on: bool) {
        self.snap.set(on);
        self.save_prefs();
    }

    fn save_prefs(&self) {
        if self.persist {
            storage::save_prefs(&UiPrefs {
                article: self.current.get_untracked(),
                snap_to_words: self.snap.get_untracked(),
            });
        }
    }

    /// Applies a change to the workspace and saves it at once. The change
    /// always happens in memory; a failed save is shown, never hidden.
    pub fn change(&self, f: impl FnOnce(&mut Workspace)) {
        self.workspace.update(f);
        self.save();
    }

    /// Writes the workspace to localStorage and records the outcome.
    pub fn save(&self) {
        if !self.persist {
            return;
        }
        let result = if self.blocked.get_untracked() {
            Err(StorageError::Blocked)
        } else {
            self.workspace
                .with_untracked(|ws| storage::save(ws, &storage::now()))
        };
        let error = result.err();
        if self.save_error.get_untracked() != error {
            self.save_error.set(error);
        }
    }

    /// Tags the span `anchor → focus` (code points, from the DOM selection or
    /// the keyboard cursor) of the open article with `label`. Returns the new
    /// or existing annotation's id, or a message saying why nothing changed.
    pub fn tag(
        &self,
        label: Label,
        anchor: usize,
        focus: usize,
        id: String,
    ) -> Result<String, String> {
        let article = self
            .current_article()
            .ok_or_else(|| "Open an article first.".to_string())?;
        let (a, f) = clamp_selection(&article, anchor, focus);
        let span = resolve_selection(article.text(), a, f, self.snap.get_untracked())
            .map_err(|e| format!("Nothing tagged: {e}."))?;
        let mut added = None;
        self.change(|ws| {
            added = Some(
                ws.set_mut(&article)
                    .add(article.text(), label, span, id, &now()),
            );
        });
        let added = added.ok_or_else(|| "Nothing tagged.".to_string())?;
        let quote: String =
            annotator_core::offsets::slice_cp(article.text(), span.start(), span.end()).into();
        let message = match &added {
            annotator_core::annotation::Added::New(_) => {
                format!("Tagged “{}” as {}.", shorten(&quote), label.title())
            }
            annotator_core::annotation::Added::Existing(_) => {
                format!(
                    "“{}” is already tagged as {}.",
                    shorten(&quote),
                    label.title()
                )
            }
        };
        self.status.set(message);
        let id = added.id().to_string();
        self.selected.set(Some(id.clone()));
        Ok(id)
    }

    /// Selects the annotation under code point `cp` of the open article:
    /// the innermost first; again at the same point, the next one out.
    pub fn select_at(&self, cp: usize) {
        let Some(id) = self.current.get_untracked() else {
            return;
        };
        let ids: Vec<String> = self.workspace.with_untracked(|ws| {
            ws.set(&id)
                .map(|set| set.at(cp).into_iter().map(|a| a.id.clone()).collect())
                .unwrap_or_default()
        });
        let current = self.selected.get_untracked();
        let next = match current.and_then(|c| ids.iter().position(|i| *i == c)) {
            Some(i) => ids.get((i + 1) % ids.len()).cloned(),
            None => ids.first().cloned(),
        };
        self.selected.set(next);
        if let Some(sel) = self.selected.get_untracked() {
            let text = self.workspace.with_untracked(|ws| {
                ws.set(&id).and_then(|s| s.get(&sel)).map(|a| {
                    format!(
                        "Selected {} “{}”{}.",
                        a.label.title(),
                        shorten(&a.quote),
                        if ids.len() > 1 {
                            format!(
                                " ({} annotations here; click again for the next)",
                                ids.len()
                            )
                        } else {
                            String::new()
                        }
                    )
                })
            });
            self.status.set(text.unwrap_or_default());
        }
    }

    /// The native file of everything, for download.
    pub fn export_native(&self) -> String {
        self.workspace
            .with_untracked(|ws| native::write(&ws.to_native(&now())))
    }

    /// Forgets unreadable saved data (the user chose to discard it).
    pub fn discard_unreadable(&self) {
        if let Some(u) = self.unreadable.get_untracked() {
            if self.persist && u.key != storage::DATA_KEY {
                let _ = storage::discard(&u.key);
            }
            self.unreadable.set(None);
            self.blocked.set(false);
            self.save();
        }
    }
}

/// The current time (RFC 3339, UTC); a fixed value outside a browser.
pub fn now() -> String {
    if cfg!(target_arch = "wasm32") {
        storage::now()
    } else {
        "1970-01-01T00:00:00Z".to_string()
    }
}

/// A quote shortened in the middle for messages.
pub fn shorten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 60 {
        return text.to_string();
    }
    let head: String = chars[..40].iter().collect();
    let tail: String = chars[chars.len() - 15..].iter().collect();
    format!("{head}…{tail}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_keeps_short_quotes_and_cuts_long_ones_in_the_middle() {
        assert_eq!(shorten("short"), "short");
        let long = "a".repeat(50) + &"b".repeat(50);
        let s = shorten(&long);
        assert!(s.starts_with(&"a".repeat(40)) && s.ends_with(&"b".repeat(15)) && s.contains('…'));
    }
}
