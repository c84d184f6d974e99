//! The app's one shared state, provided as context by [`App`](crate::App):
//! a small `Copy` bundle of signals around the core's
//! [`Session`](annotator_core::session::Session), which holds the rules.
//!
//! - `session`: the catalog, the workspace and the undo history (every
//!   command is a core function with native tests: `core/tests/session.rs`);
//! - view state: the open article, the selected annotation, snapping, the
//!   list's filters, whether text is selected;
//! - notices: the status line, alerts for refused files and storage;
//! - the saver (`annotator_core::saver` over localStorage; `None` in browser
//!   tests, which keep everything in memory).
//!
//! Commands here only translate: they call the session with the view
//! state, the clock and fresh ids, then [`AppState::apply`] shows the
//! outcome (what to open, select and announce) and saves. The words users
//! read come from the core's `Announce` and `ActionError`.

use std::sync::Arc;

use annotator_core::catalog::{Catalog, SeedError};
use annotator_core::formats::import::Preview;
use annotator_core::saver::{self, Saver};
use annotator_core::session::{
    ActionError, AnnotationId, Announce, ArticleId, Outcome, Pick, Selection, Session,
};
use annotator_core::{Article, Workspace};
use leptos::prelude::*;

pub use annotator_core::session::{shorten, Scope};

use crate::storage::{self, LocalBackend, PerfProbe, StorageError, UiPrefs, Unreadable};

/// What the main area shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum View {
    /// The open article (`#/article/<id>`).
    #[default]
    Article,
    /// The digest with a query (`#/digest?…`).
    Digest(annotator_core::digest::Query),
    /// An actor's page (`#/digest/actor/<name>`).
    Actor(String),
    /// The adjudication view of the article in `compare.adjudicating`
    /// (no URL of its own).
    Adjudicate,
}

/// Shared app state: signals only, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The catalog, the workspace and the history (the core's rules).
    pub session: RwSignal<Session>,
    /// Every article, seeds then the user's (follows the session; changes
    /// only when an article is added or removed).
    pub catalog: Memo<Arc<Catalog>>,
    /// The import waiting for the user's choice (follows the session):
    /// its file name and preview.
    pub pending_import: Memo<Option<(String, Preview)>>,
    /// Seeds that could not be parsed (the build normally refuses them).
    pub seed_errors: StoredValue<Vec<SeedError>>,
    /// Id of the open article.
    pub current: RwSignal<Option<String>>,
    /// The selected annotation's id.
    pub selected: RwSignal<Option<String>>,
    /// What the main area shows: the article, the digest or an actor.
    pub view: RwSignal<View>,
    /// The digest row opened last (focused again on the way back).
    pub digest_row: StoredValue<Option<String>>,
    /// True while the link picker is open for the selected claim or
    /// commitment (L, or "Link…"): number keys and clicks on entities link.
    pub linking: RwSignal<bool>,
    /// Whether selections snap to whole words.
    pub snap: RwSignal<bool>,
    /// Whether the document has a non-empty selection in the article.
    pub has_selection: RwSignal<bool>,
    /// Which labels the annotation list shows (in `Label::ALL` order).
    pub filter_labels: RwSignal<[bool; 3]>,
    /// Text the annotation list filters quotes and notes by.
    pub search: RwSignal<String>,
    /// The last message for the live status region.
    pub status: RwSignal<String>,
    /// Why the last add-article attempt was refused (shown in an alert).
    pub add_error: RwSignal<Option<String>>,
    /// A message about the URL (e.g. an unknown article id).
    pub route_error: RwSignal<Option<String>>,
    /// Why the last import was refused (shown in an alert).
    pub import_error: RwSignal<Option<String>>,
    /// What a file being imported is at ("Reading …", "Checking …"),
    /// shown with a progress bar until its preview opens.
    pub import_progress: RwSignal<Option<String>>,
    /// Bumped by every file chosen for import, so that a slower earlier
    /// one never opens its preview over a later one.
    pub import_generation: StoredValue<u64>,
    /// Why the last save failed (None when saved).
    pub save_error: RwSignal<Option<StorageError>>,
    /// Saved data that could not be read, kept until the user decides.
    pub unreadable: RwSignal<Option<Unreadable>>,
    /// Saves to localStorage; `None` keeps everything in memory.
    pub saver: StoredValue<Option<Saver<LocalBackend>>>,
    /// True from a change until it is written (see [`AppState::save`]).
    pub save_pending: StoredValue<bool>,
    /// Counts writes to localStorage (the storage meter follows it).
    pub saves: RwSignal<u64>,
    /// Suggestions: settings, the shown ones, the model.
    pub suggest: crate::suggesting::Suggest,
    /// Compare and adjudicate.
    pub compare: crate::comparing::Compare,
}

impl AppState {
    /// State from `(id, text)` seeds, in memory only, first article open.
    pub fn from_seeds(seeds: &[(&str, &str)]) -> AppState {
        let (catalog, errors) = Catalog::from_seeds(seeds);
        let first = catalog.first().map(|a| a.id().to_string());
        let session = RwSignal::new(Session::new(Arc::new(catalog), Workspace::new()));
        AppState {
            session,
            catalog: Memo::new_with_compare(
                move |_| session.with(|s| s.catalog().clone()),
                |a, b| match (a, b) {
                    (Some(a), Some(b)) => !Arc::ptr_eq(a, b),
                    _ => true,
                },
            ),
            // The file's name and preview only: the plan itself holds every
            // annotation of the file (50,000 in a big one), too much to
            // clone and compare on each change.
            pending_import: Memo::new(move |_| {
                session.with(|s| {
                    s.pending_import()
                        .map(|p| (p.file_name.clone(), p.plan.preview.clone()))
                })
            }),
            seed_errors: StoredValue::new(errors),
            current: RwSignal::new(first),
            selected: RwSignal::new(None),
            linking: RwSignal::new(false),
            view: RwSignal::new(View::Article),
            digest_row: StoredValue::new(None),
            snap: RwSignal::new(true),
            has_selection: RwSignal::new(false),
            filter_labels: RwSignal::new([true; 3]),
            search: RwSignal::new(String::new()),
            status: RwSignal::new(String::new()),
            add_error: RwSignal::new(None),
            route_error: RwSignal::new(None),
            import_error: RwSignal::new(None),
            import_progress: RwSignal::new(None),
            import_generation: StoredValue::new(0),
            save_error: RwSignal::new(None),
            unreadable: RwSignal::new(None),
            saver: StoredValue::new(None),
            save_pending: StoredValue::new(false),
            saves: RwSignal::new(0),
            suggest: crate::suggesting::Suggest::new(),
            compare: crate::comparing::Compare::new(),
        }
    }

    /// State from seeds plus what localStorage holds; saves every change.
    pub fn from_storage(seeds: &[(&str, &str)]) -> AppState {
        let state = AppState::from_seeds(seeds);
        let catalog = state.seeds();
        // Hashes from the build, for the built-in seeds only (same text).
        for ((id, text), (_, sha)) in crate::seeds::SEEDS.iter().zip(crate::seeds::SEED_SHA256) {
            if seeds
                .iter()
                .any(|(i, t)| i == id && std::ptr::eq(*t, *text))
            {
                if let Some(article) = catalog.get(id) {
                    article.assume_sha256(sha);
                }
            }
        }
        let mut saver = Saver::new(LocalBackend);
        let loaded = saver.load(&catalog, &PerfProbe);
        let blocked = saver.is_blocked();
        state.saver.set_value(Some(saver));
        state.session.set(Session::new(catalog, loaded.workspace));
        state.save_error.set(loaded.error);
        state.unreadable.set(loaded.unreadable);
        let mut notes = Vec::new();
        if loaded.report.moved > 0 {
            notes.push(format!(
                "{} annotation(s) moved to follow changed article text",
                loaded.report.moved
            ));
        }
        if loaded.report.orphaned > 0 {
            notes.push(format!(
                "{} annotation(s) no longer match their article and are kept aside (see “Kept aside” under Annotations)",
                loaded.report.orphaned
            ));
        }
        state.status.set(notes.join("; "));
        if !notes.is_empty() && !blocked {
            // Keep what loading moved or set aside, so the next load finds
            // it already done and does not tell the user again.
            state.save();
        }
        let prefs = storage::load_prefs();
        state.snap.set(prefs.snap_to_words);
        state.suggest.on.set(prefs.suggestions);
        state
            .suggest
            .threshold
            .set(prefs.suggestion_threshold.clamp(0.0, 1.0));
        state.suggest.everywhere.set(prefs.repeats_everywhere);
        state.suggest.use_model.set(prefs.suggestion_model);
        state
            .session
            .update_untracked(|s| s.set_annotator(prefs.annotator.trim()));
        crate::suggesting::load_rejected(&state);
        if let Some(id) = prefs.article.filter(|id| state.catalog().get(id).is_some()) {
            state.current.set(Some(id));
        }
        state
    }

    /// The built-in articles.
    pub fn seeds(&self) -> Arc<Catalog> {
        self.session.with_untracked(|s| s.seeds().clone())
    }

    /// Every article now (untracked).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.session.with_untracked(|s| s.catalog().clone())
    }

    /// Reads the workspace (tracks the session).
    pub fn with_workspace<T>(&self, f: impl FnOnce(&Workspace) -> T) -> T {
        self.session.with(|s| f(s.workspace()))
    }

    /// Reads the workspace without tracking.
    pub fn with_workspace_untracked<T>(&self, f: impl FnOnce(&Workspace) -> T) -> T {
        self.session.with_untracked(|s| f(s.workspace()))
    }

    /// True for an article the user added (it can be removed).
    pub fn is_user_article(&self, id: &str) -> bool {
        self.session
            .with_untracked(|s| s.is_user_article(&ArticleId::from(id)))
    }

    /// The open article, if any (tracks `current` and the catalog).
    pub fn current_article(&self) -> Option<Article> {
        let id = self.current.get()?;
        self.catalog.with(|c| c.get(&id).cloned())
    }

    pub(crate) fn current_id(&self) -> Result<ArticleId, ActionError> {
        self.current
            .get_untracked()
            .map(ArticleId)
            .ok_or(ActionError::NoArticle)
    }

    /// A selection `anchor → focus` with the snap setting.
    pub(crate) fn pick(&self, anchor: usize, focus: usize) -> Pick {
        Pick {
            anchor,
            focus,
            snap: self.snap.get_untracked(),
        }
    }

    pub(crate) fn selected_id(&self) -> Option<AnnotationId> {
        self.selected.get_untracked().map(AnnotationId)
    }

    /// Opens the article with this id (and puts it in the URL); unknown ids
    /// are ignored.
    pub fn open(&self, id: &str) {
        if self.view.get_untracked() != View::Article {
            self.view.set(View::Article);
        }
        if self.catalog().get(id).is_some() {
            if self.current.get_untracked().as_deref() != Some(id) {
                self.current.set(Some(id.to_string()));
                self.selected.set(None);
            }
            self.route_error.set(None);
            self.save_prefs();
            if self.persists() {
                crate::route::set(id);
            }
        }
    }

    /// Opens the article a URL names; an unknown id leaves the list open
    /// with a message.
    pub fn open_route(&self, id: &str) {
        if self.catalog().get(id).is_some() {
            self.open(id);
        } else {
            self.route_error.set(Some(format!(
                "There is no article “{id}” here. Pick one from the list."
            )));
        }
    }

    /// Turns word snapping on or off (remembered).
    pub fn set_snap(&self, on: bool) {
        self.snap.set(on);
        self.save_prefs();
    }

    /// Saves the UI settings (open article, snapping, suggestions).
    pub fn save_prefs(&self) {
        if self.persists() {
            storage::save_prefs(&UiPrefs {
                article: self.current.get_untracked(),
                snap_to_words: self.snap.get_untracked(),
                suggestions: self.suggest.on.get_untracked(),
                suggestion_threshold: self.suggest.threshold.get_untracked(),
                repeats_everywhere: self.suggest.everywhere.get_untracked(),
                suggestion_model: self.suggest.use_model.get_untracked(),
                annotator: self
                    .session
                    .with_untracked(|s| s.annotator().unwrap_or_default().to_string()),
            });
        }
    }

    /// Runs a command on the session (marking the time it took) and shows
    /// its outcome; an error becomes the status message.
    pub(crate) fn run(
        &self,
        command: impl FnOnce(&mut Session) -> Result<Outcome, ActionError>,
    ) -> Result<(), String> {
        crate::perf::start("aa-apply");
        // A refused command changes nothing: only a success notifies.
        let result = self
            .session
            .try_update_untracked(command)
            .unwrap_or(Err(ActionError::NoArticle));
        if result.is_ok() {
            self.session.notify();
        }
        crate::perf::measure("aa-apply");
        match result {
            Ok(outcome) => {
                self.apply(outcome);
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Shows what a command did: opens the article it names, selects what
    /// it says, announces it, and saves if the workspace changed. An open
    /// article that no longer exists gives way to the first one.
    pub fn apply(&self, outcome: Outcome) {
        // Undo and redo show their edit by opening its article, except on
        // the digest, whose rows show it.
        let on_digest = self.view.get_untracked() != View::Article
            && matches!(outcome.announce, Announce::Undid(_) | Announce::Redid(_));
        if let Some(id) = outcome.open.as_ref().filter(|_| !on_digest) {
            self.open(id.as_str());
        }
        if let Some(id) = self.current.get_untracked() {
            if self.catalog().get(&id).is_none() {
                self.current
                    .set(self.catalog().first().map(|a| a.id().to_string()));
            }
        }
        match outcome.select {
            Selection::Keep => {}
            Selection::Clear => self.selected.set(None),
            Selection::Select(id) => self.selected.set(Some(id.0)),
        }
        if outcome.announce != Announce::Nothing {
            self.status.set(outcome.announce.to_string());
        }
        if outcome.changed {
            self.save();
        }
    }

    /// Saves the workspace soon: right after the browser has painted the
    /// change (so an edit shows without waiting for storage), at the latest
    /// a quarter second later, and at once if the page is hidden or closed
    /// first (`App` calls [`flush_save`](Self::flush_save) on `pagehide`
    /// and `visibilitychange`). Several changes in one frame make one write.
    pub fn save(&self) {
        if !self.persists() || self.save_pending.get_value() {
            return;
        }
        self.save_pending.set_value(true);
        crate::schedule::mark_unsaved(true);
        let state = *self;
        crate::schedule::after_paint(move || state.flush_save());
    }

    /// Writes a pending save now (nothing if none is pending).
    pub fn flush_save(&self) {
        if !self.save_pending.try_get_value().unwrap_or(false) {
            return;
        }
        self.save_pending.set_value(false);
        crate::schedule::mark_unsaved(false);
        self.save_now();
    }

    /// Writes the workspace through the saver (which merges another tab's
    /// work first and moves unreadable data aside) and shows the outcome.
    pub fn save_now(&self) {
        if !self.persists() {
            return;
        }
        crate::perf::start("aa-save");
        let result = self.save_merged();
        crate::perf::measure("aa-save");
        let error = result.err();
        if self.save_error.get_untracked() != error {
            self.save_error.set(error);
        }
        self.saves.update(|n| *n += 1);
    }

    fn save_merged(&self) -> Result<(), StorageError> {
        let now = now();
        let rev = uuid_v4();
        let result = self
            .saver
            .try_update_value(|saver| {
                let saver = saver.as_mut()?;
                self.session.try_update_untracked(|s| {
                    let seeds = s.seeds().clone();
                    let saved = saver.save(s.workspace_mut(), &seeds, &now, &rev, &PerfProbe);
                    if saved.as_ref().is_ok_and(|r| r.merged) {
                        s.refresh_catalog();
                    }
                    saved
                })
            })
            .flatten()
            .unwrap_or(Err(StorageError::Blocked))?;
        if result.merged {
            self.session.notify();
            self.keep_open_article();
        }
        if let Some(kept) = result.unreadable {
            self.unreadable.set(Some(kept));
        }
        Ok(())
    }

    /// After another tab's work came in: an open article it removed gives
    /// way to the first one.
    fn keep_open_article(&self) {
        if let Some(id) = self.current.get_untracked() {
            if self.catalog().get(&id).is_none() {
                self.current
                    .set(self.catalog().first().map(|a| a.id().to_string()));
            }
        }
    }

    /// Serialises the workspace once ahead of the first save (called when
    /// the browser is idle after start-up), so that save is quick too.
    pub fn warm_save_cache(&self) {
        let _ = self.saver.try_update_value(|saver| {
            if let Some(saver) = saver.as_mut() {
                // Saved data of an older format version is copied aside
                // now too, before anything overwrites it.
                crate::perf::start("aa-keep-old");
                saver.keep_old_version();
                crate::perf::measure("aa-keep-old");
                crate::perf::start("aa-warm");
                self.with_workspace_untracked(|ws| saver.warm(ws, &now()));
                crate::perf::measure("aa-warm");
            }
        });
    }

    /// Another tab saved `raw` under the data key: merge it in by id, and
    /// save back if this tab holds anything the other did not.
    pub fn merge_stored(&self, raw: &str) {
        let merged = self
            .session
            .try_update_untracked(|s| {
                let seeds = s.seeds().clone();
                let merged = saver::merge_incoming(s.workspace_mut(), raw, &seeds);
                if merged.changed {
                    s.refresh_catalog();
                }
                merged
            })
            .unwrap_or_default();
        if merged.changed {
            self.session.notify();
            self.keep_open_article();
        }
        if merged.save_back {
            self.save();
        }
    }

    /// True when changes are saved (not in browser tests).
    pub fn persists(&self) -> bool {
        self.saver.try_with_value(Option::is_some).unwrap_or(false)
    }

    /// Forgets unreadable saved data (the user chose to discard it).
    pub fn discard_unreadable(&self) {
        if let Some(u) = self.unreadable.get_untracked() {
            let _ = self.saver.try_update_value(|saver| {
                if let Some(saver) = saver.as_mut() {
                    if u.key == storage::DATA_KEY {
                        // The user chose to let new work replace it.
                        saver.unblock();
                    } else {
                        let _ = saver.discard(&u.key);
                    }
                }
            });
            self.unreadable.set(None);
            self.save();
        }
    }
}

/// A new UUID v4 (random in the browser).
pub fn uuid_v4() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The current time (RFC 3339, UTC); a fixed value outside a browser.
pub fn now() -> String {
    if cfg!(target_arch = "wasm32") {
        storage::now()
    } else {
        "1970-01-01T00:00:00Z".to_string()
    }
}

/// The app state from context. Components are only ever mounted under
/// [`App`](crate::App) or a test that provides it.
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}
