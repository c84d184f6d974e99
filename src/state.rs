//! The app's one shared state, provided as context by [`App`](crate::App),
//! and the actions components call on it.
//!
//! Derive, don't sync: the catalog never changes after start-up; the
//! workspace, the open article and the selected annotation are signals, and
//! everything shown is computed from them. Every change to the workspace goes
//! through [`AppState::change`], which saves at once.

use std::sync::Arc;

use annotator_core::catalog::{Catalog, SeedError};
use annotator_core::cursor::{block_at, clamp_selection};
use annotator_core::edit::{self, Edit, EditError, History, Side, UserArticle};
use annotator_core::formats::export::{self as exporter, Doc, Format};
use annotator_core::formats::import::{self, Plan};
use annotator_core::formats::native;
use annotator_core::span::resolve_in_article;
use annotator_core::{Annotation, Article, Label, Span, Workspace};
use leptos::prelude::*;

use annotator_core::saver::{self, Saver};

use crate::storage::{self, LocalBackend, PerfProbe, StorageError, UiPrefs, Unreadable};

/// A checked import file, waiting for the user's choice.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingImport {
    /// The file's name.
    pub file_name: String,
    /// What it would do.
    pub plan: Plan,
}

/// Which articles an export covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The open article.
    Current,
    /// Every article.
    All,
}

/// Shared app state. Cheap to clone (signals and `Arc`s).
#[derive(Clone)]
pub struct AppState {
    /// The seed articles (built in; never change).
    pub seeds: Arc<Catalog>,
    /// Every article, seeds then the user's, in list order (derived from the
    /// seeds and the workspace's user articles by `refresh_catalog`).
    pub catalog: RwSignal<Arc<Catalog>>,
    /// Why the last add-article attempt was refused (shown in an alert).
    pub add_error: RwSignal<Option<String>>,
    /// A message about the URL (e.g. an unknown article id).
    pub route_error: RwSignal<Option<String>>,
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
    /// The last message for the live status region.
    pub status: RwSignal<String>,
    /// Undo and redo stacks (this session only, all articles).
    pub history: RwSignal<History>,
    /// Which labels the annotation list shows (in `Label::ALL` order).
    pub filter_labels: RwSignal<[bool; 3]>,
    /// Text the annotation list filters quotes and notes by.
    pub search: RwSignal<String>,
    /// An import waiting for the user to choose merge, replace or cancel.
    pub pending_import: RwSignal<Option<PendingImport>>,
    /// Why the last import was refused (shown in an alert).
    pub import_error: RwSignal<Option<String>>,
    /// Saves to localStorage (the core's save protocol); `None` keeps
    /// everything in memory (browser tests).
    pub saver: StoredValue<Option<Saver<LocalBackend>>>,
    /// True from a change until it is written (see [`AppState::save`]).
    pub save_pending: StoredValue<bool>,
    /// Counts writes to localStorage (the storage meter follows it).
    pub saves: RwSignal<u64>,
}

impl AppState {
    /// State from `(id, text)` seeds, in memory only, first article open.
    pub fn from_seeds(seeds: &[(&str, &str)]) -> AppState {
        let (catalog, errors) = Catalog::from_seeds(seeds);
        let first = catalog.first().map(|a| a.id().to_string());
        let catalog = Arc::new(catalog);
        AppState {
            seeds: catalog.clone(),
            catalog: RwSignal::new(catalog),
            add_error: RwSignal::new(None),
            route_error: RwSignal::new(None),
            seed_errors: Arc::new(errors),
            current: RwSignal::new(first),
            workspace: RwSignal::new(Workspace::new()),
            selected: RwSignal::new(None),
            snap: RwSignal::new(true),
            has_selection: RwSignal::new(false),
            save_error: RwSignal::new(None),
            unreadable: RwSignal::new(None),
            status: RwSignal::new(String::new()),
            history: RwSignal::new(History::new()),
            filter_labels: RwSignal::new([true; 3]),
            search: RwSignal::new(String::new()),
            pending_import: RwSignal::new(None),
            import_error: RwSignal::new(None),
            saver: StoredValue::new(None),
            save_pending: StoredValue::new(false),
            saves: RwSignal::new(0),
        }
    }

    /// State from seeds plus what localStorage holds; saves every change.
    pub fn from_storage(seeds: &[(&str, &str)]) -> AppState {
        let state = AppState::from_seeds(seeds);
        // Hashes from the build, for the built-in seeds only (same text).
        for ((id, text), (_, sha)) in crate::seeds::SEEDS.iter().zip(crate::seeds::SEED_SHA256) {
            if seeds
                .iter()
                .any(|(i, t)| i == id && std::ptr::eq(*t, *text))
            {
                if let Some(article) = state.seeds.get(id) {
                    article.assume_sha256(sha);
                }
            }
        }
        let mut saver = Saver::new(LocalBackend);
        let loaded = saver.load(&state.seeds, &PerfProbe);
        let blocked = saver.is_blocked();
        state.saver.set_value(Some(saver));
        state.workspace.set(loaded.workspace);
        state.refresh_catalog();
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
        if let Some(id) = prefs.article.filter(|id| state.catalog().get(id).is_some()) {
            state.current.set(Some(id));
        }
        state
    }

    /// Every article now (untracked).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.get_untracked()
    }

    /// Rebuilds the catalog from the seeds and the workspace's user
    /// articles, if those changed.
    pub fn refresh_catalog(&self) {
        let current = self.catalog();
        // Compare ids first (this runs after every edit); the texts of the
        // user's articles, which can be long, are only read on a change.
        let next = self.workspace.with_untracked(|ws| {
            let user = ws.user_articles();
            let known = current.articles().iter().map(|a| a.id());
            let wanted = self
                .seeds
                .articles()
                .iter()
                .map(|a| a.id())
                .chain(user.iter().map(|(i, _)| *i));
            (!known.eq(wanted)).then(|| self.seeds.with_user_articles(user))
        });
        if let Some(next) = next {
            self.catalog.set(Arc::new(next));
            if let Some(id) = self.current.get_untracked() {
                if self.catalog().get(&id).is_none() {
                    self.current
                        .set(self.catalog().first().map(|a| a.id().to_string()));
                }
            }
        }
    }

    /// True for an article the user added (it can be removed).
    pub fn is_user_article(&self, id: &str) -> bool {
        self.seeds.get(id).is_none() && self.catalog().get(id).is_some()
    }

    /// The open article, if any (tracks `current`).
    pub fn current_article(&self) -> Option<Article> {
        let id = self.current.get()?;
        self.catalog.with(|c| c.get(&id).cloned())
    }

    /// Opens the article with this id (and puts it in the URL); unknown ids
    /// are ignored.
    pub fn open(&self, id: &str) {
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

    fn save_prefs(&self) {
        if self.persists() {
            storage::save_prefs(&UiPrefs {
                article: self.current.get_untracked(),
                snap_to_words: self.snap.get_untracked(),
            });
        }
    }

    /// Applies an edit, records it for undo and saves at once. The edit
    /// always happens in memory; a failed save is shown, never hidden.
    pub fn apply(&self, edit: Edit) {
        crate::perf::start("aa-apply");
        let now = now();
        self.workspace
            .update(|ws| ws.apply(&self.catalog(), &edit, &now));
        self.history.update(|h| h.record(edit));
        self.refresh_catalog();
        crate::perf::measure("aa-apply");
        self.save();
    }

    /// Undoes the last edit (in whichever article it was made, which opens).
    pub fn undo(&self) {
        let Some(edit) = self.history.try_update(|h| h.undo()).flatten() else {
            self.status.set("Nothing to undo.".into());
            return;
        };
        self.replay(&edit, "Undid");
    }

    /// Redoes the last undone edit.
    pub fn redo(&self) {
        let Some(edit) = self.history.try_update(|h| h.redo()).flatten() else {
            self.status.set("Nothing to redo.".into());
            return;
        };
        self.replay(&edit, "Redid");
    }

    fn replay(&self, edit: &Edit, verb: &str) {
        let now = now();
        self.workspace
            .update(|ws| ws.apply(&self.catalog(), edit, &now));
        self.refresh_catalog();
        let touched = edit
            .changes
            .first()
            .map(|c| c.article.clone())
            .or_else(|| edit.articles_added.first().map(|a| a.id.clone()));
        if let Some(article) = touched.filter(|a| self.catalog().get(a).is_some()) {
            if self.current.get_untracked().as_deref() != Some(article.as_str()) {
                self.open(&article);
            }
        }
        if let Some(change) = edit.changes.first() {
            if self.current.get_untracked().as_deref() != Some(change.article.as_str()) {
                self.open(&change.article);
            }
            self.selected
                .set(change.added.first().map(|a| a.id.clone()));
        }
        self.status.set(format!("{verb} {}.", edit.name));
        self.save();
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
        let state = self.clone();
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

    /// Writes the workspace to localStorage and records the outcome. It reads
    /// what is stored first and merges it by id (another tab may have saved
    /// since), so no tab overwrites another's work; stored data that cannot be
    /// read is moved aside before anything is written.
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
                self.workspace
                    .try_update_untracked(|ws| saver.save(ws, &self.seeds, &now, &rev, &PerfProbe))
            })
            .flatten()
            .unwrap_or(Err(StorageError::Blocked))?;
        if result.merged {
            self.workspace.notify();
            self.refresh_catalog();
        }
        if let Some(kept) = result.unreadable {
            self.unreadable.set(Some(kept));
        }
        Ok(())
    }

    /// Serialises the workspace once ahead of the first save (called when
    /// the browser is idle after start-up), so that save is quick too.
    pub fn warm_save_cache(&self) {
        let _ = self.saver.try_update_value(|saver| {
            if let Some(saver) = saver.as_mut() {
                self.workspace.with_untracked(|ws| saver.warm(ws, &now()));
            }
        });
    }

    /// Another tab saved `raw` under the data key: merge it in by id, and
    /// save back if this tab holds anything the other did not.
    pub fn merge_stored(&self, raw: &str) {
        let merged = self
            .workspace
            .try_update_untracked(|ws| saver::merge_incoming(ws, raw, &self.seeds))
            .unwrap_or_default();
        if merged.changed {
            self.workspace.notify();
            self.refresh_catalog();
        }
        if merged.save_back {
            self.save();
        }
    }

    /// True when changes are saved (not in browser tests).
    pub fn persists(&self) -> bool {
        self.saver.try_with_value(Option::is_some).unwrap_or(false)
    }

    /// The open article's annotation with this id.
    pub fn annotation(&self, id: &str) -> Option<Annotation> {
        let article = self.current.get_untracked()?;
        self.workspace
            .with_untracked(|ws| ws.set(&article)?.get(id).cloned())
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
        let span = self.span_of_selection(&article, anchor, focus)?;
        let quote = shorten(article.slice(span.start(), span.end()));
        let created = self.with_set(&article, |set| {
            edit::create(
                set,
                article.id(),
                article.text(),
                label,
                span,
                id.clone(),
                &now(),
            )
        });
        match created {
            Ok(change) => {
                self.apply(Edit::one(&format!("tag “{quote}”"), change));
                self.status
                    .set(format!("Tagged “{quote}” as {}.", label.title()));
                self.selected.set(Some(id.clone()));
                Ok(id)
            }
            Err(EditError::Exists(existing)) => {
                self.status
                    .set(format!("“{quote}” is already tagged as {}.", label.title()));
                self.selected.set(Some(existing.clone()));
                Ok(existing)
            }
            Err(e) => Err(format!("Nothing tagged: {e}.")),
        }
    }

    fn span_of_selection(
        &self,
        article: &Article,
        anchor: usize,
        focus: usize,
    ) -> Result<Span, String> {
        let (a, f) = clamp_selection(article, anchor, focus);
        resolve_in_article(article, a, f, self.snap.get_untracked())
            .map_err(|e| format!("Nothing tagged: {e}."))
    }

    /// Places the open article's kept-aside annotation `id` (an orphan) at
    /// the selection `anchor → focus`, trimmed and snapped like a new tag.
    /// Undo puts it back aside.
    pub fn place_orphan(&self, id: &str, anchor: usize, focus: usize) -> Result<(), String> {
        let article = self.current_article().ok_or("Open an article first.")?;
        let span = self.span_of_selection(&article, anchor, focus)?;
        let orphan = self
            .workspace
            .with_untracked(|ws| {
                ws.orphans_of(article.id())
                    .iter()
                    .find(|o| o.id == id)
                    .cloned()
            })
            .ok_or("That annotation is no longer kept aside.")?;
        let now = now();
        let edit = self
            .with_set(&article, |set| {
                edit::place_orphan(set, &article, &orphan, span, &now)
            })
            .map_err(|e| format!("Could not place it: {e}."))?;
        self.apply(edit);
        self.selected.set(Some(id.to_string()));
        self.status.set(format!(
            "Placed {} “{}” at “{}”. Ctrl+Z undoes.",
            orphan.label.title(),
            shorten(&orphan.quote),
            shorten(&self.annotation(id).map(|a| a.quote).unwrap_or_default())
        ));
        Ok(())
    }

    /// Runs `f` on the article's annotations (borrowed, not copied: sets of
    /// long articles are large).
    fn with_set<T>(
        &self,
        article: &Article,
        f: impl FnOnce(&annotator_core::AnnotationSet) -> T,
    ) -> T {
        self.workspace
            .with_untracked(|ws| match ws.set(article.id()) {
                Some(set) => f(set),
                None => f(&annotator_core::AnnotationSet::new()),
            })
    }

    /// Runs an edit on the selected annotation of the open article.
    fn edit_selected(
        &self,
        name: &str,
        make: impl FnOnce(
            &Article,
            &annotator_core::AnnotationSet,
            &str,
        ) -> Result<edit::Change, EditError>,
    ) -> Result<(), String> {
        let article = self.current_article().ok_or("Open an article first.")?;
        let id = self
            .selected
            .get_untracked()
            .ok_or("Select an annotation first (click a highlight or a list entry).")?;
        match self.with_set(&article, |set| make(&article, set, &id)) {
            Ok(change) => {
                self.apply(Edit::one(name, change));
                Ok(())
            }
            Err(EditError::Unchanged) => Ok(()),
            Err(e) => Err(format!("Could not {name}: {e}.")),
        }
    }

    /// Gives the selected annotation another label.
    pub fn relabel_selected(&self, label: Label) -> Result<(), String> {
        let now = now();
        self.edit_selected("relabel", |a, set, id| {
            edit::relabel(set, a.id(), id, label, &now)
        })?;
        self.status.set(format!("Relabelled as {}.", label.title()));
        Ok(())
    }

    /// Deletes the selected annotation.
    pub fn delete_selected(&self) -> Result<(), String> {
        let quote = self
            .selected
            .get_untracked()
            .and_then(|id| self.annotation(&id))
            .map(|a| shorten(&a.quote))
            .unwrap_or_default();
        self.edit_selected("delete", |a, set, id| edit::delete(set, a.id(), id))?;
        self.selected.set(None);
        self.status
            .set(format!("Deleted “{quote}”. Ctrl+Z undoes."));
        Ok(())
    }

    /// Sets the selected annotation's note.
    pub fn note_selected(&self, note: &str) -> Result<(), String> {
        let now = now();
        self.edit_selected("note", |a, set, id| {
            edit::set_note(set, a.id(), id, note, &now)
        })?;
        self.status.set("Note saved.".into());
        Ok(())
    }

    /// Moves one side of the selected annotation by a word (or a character
    /// with snapping off), within its block.
    pub fn nudge_selected(&self, side: Side, forward: bool) -> Result<(), String> {
        let now = now();
        let by_word = self.snap.get_untracked();
        self.edit_selected("resize", |article, set, id| {
            let a = set.get(id).ok_or(EditError::NoSuchAnnotation)?;
            let span = Span::new(a.start, a.end, article.len()).map_err(EditError::Span)?;
            let block = block_at(article, a.start)
                .and_then(|i| article.blocks().get(i))
                .map(|b| (b.range.start, b.range.end));
            let limit = match (
                block,
                block_at(article, a.end).and_then(|i| article.blocks().get(i)),
            ) {
                // A span across body paragraphs may move within the whole body.
                (Some((s, _)), Some(end_block)) => (s.min(a.start), end_block.range.end.max(a.end)),
                _ => (0, article.len()),
            };
            let moved = edit::nudge(article.text(), span, side, forward, by_word, limit)?;
            edit::resize(set, article.id(), article.text(), id, moved, &now)
        })
    }

    /// Moves the selected annotation to the span `anchor → focus` (a new
    /// mouse selection), trimmed and snapped like a new tag.
    pub fn resize_selected_to(&self, anchor: usize, focus: usize) -> Result<(), String> {
        let article = self.current_article().ok_or("Open an article first.")?;
        let span = self.span_of_selection(&article, anchor, focus)?;
        let now = now();
        self.edit_selected("resize", |a, set, id| {
            edit::resize(set, a.id(), a.text(), id, span, &now)
        })?;
        self.status.set("Resized to the selection.".into());
        Ok(())
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

    /// The open article's annotations that the list shows (filters applied),
    /// in text order. Tracks the workspace, filters and open article.
    /// Returns how many match and the first `limit` of them (only those are
    /// cloned, so long articles stay quick).
    pub fn listed(&self, limit: usize) -> (usize, Vec<Annotation>) {
        let Some(id) = self.current.get() else {
            return (0, Vec::new());
        };
        let labels = self.filter_labels.get();
        let needle = self.search.get().to_lowercase();
        self.workspace.with(|ws| {
            ws.set(&id)
                .map(|set| {
                    set.items()
                        .iter()
                        .filter(|a| {
                            Label::ALL
                                .iter()
                                .position(|l| *l == a.label)
                                .is_some_and(|i| labels[i])
                        })
                        .filter(|a| {
                            needle.is_empty()
                                || a.quote.to_lowercase().contains(&needle)
                                || a.note.to_lowercase().contains(&needle)
                        })
                        .fold((0, Vec::new()), |(n, mut page), a| {
                            if n < limit {
                                page.push(a.clone());
                            }
                            (n + 1, page)
                        })
                })
                .unwrap_or_default()
        })
    }

    /// Per-label counts of an article's annotations (tracks the workspace).
    pub fn counts(&self, article: &str) -> [usize; 3] {
        self.workspace
            .with(|ws| ws.set(article).map(|s| s.counts()).unwrap_or_default())
    }

    /// The file for an export: (file name, MIME type, bytes).
    pub fn export(
        &self,
        scope: Scope,
        format: Format,
    ) -> Result<(String, &'static str, Vec<u8>), String> {
        let now = now();
        let date = now.get(..10).unwrap_or("today").to_string();
        let current = self.current.get_untracked();
        let (scope_name, bytes) = self.workspace.with_untracked(|ws| {
            // A user's article carries its text in a native file, so the
            // file can restore it in another browser.
            let seeds = &self.seeds;
            let doc = move |article| doc_of(ws, seeds, article);
            match scope {
                Scope::All if format == Format::Native => (
                    "all".to_string(),
                    native::write(&ws.to_native(&now)).into_bytes(),
                ),
                Scope::All => {
                    let catalog = self.catalog();
                    let docs: Vec<Doc> = catalog.articles().iter().map(doc).collect();
                    ("all".to_string(), exporter::export(&docs, format, &now))
                }
                Scope::Current => {
                    let catalog = self.catalog();
                    let article = current.as_deref().and_then(|id| catalog.get(id));
                    match article {
                        Some(article) => (
                            article.id().to_string(),
                            exporter::export(&[doc(article)], format, &now),
                        ),
                        None => (String::new(), Vec::new()),
                    }
                }
            }
        });
        if scope_name.is_empty() {
            return Err("Open an article to export it.".into());
        }
        Ok((
            exporter::file_name(&scope_name, &date, format),
            format.mime(),
            bytes,
        ))
    }

    /// Reads an import file and, if it can be taken, shows its preview; if
    /// not, shows why in an alert. Nothing changes either way.
    pub fn prepare_import(&self, file_name: &str, bytes: &[u8]) {
        let result = import::read(bytes).and_then(|incoming| {
            self.workspace
                .with_untracked(|ws| import::plan(incoming, &self.catalog(), ws, uuid_v4))
        });
        match result {
            Ok(plan) => {
                self.import_error.set(None);
                self.pending_import.set(Some(PendingImport {
                    file_name: file_name.to_string(),
                    plan,
                }));
            }
            Err(e) => {
                self.pending_import.set(None);
                self.import_error.set(Some(format!(
                    "“{file_name}” was not imported: {e}. Nothing was changed."
                )));
            }
        }
    }

    /// Refuses a file before reading it (e.g. too large).
    pub fn refuse_import(&self, file_name: &str, why: &str) {
        self.pending_import.set(None);
        self.import_error.set(Some(format!(
            "“{file_name}” was not imported: {why}. Nothing was changed."
        )));
    }

    /// Applies the pending import (merge or replace); undo reverts it.
    pub fn confirm_import(&self, replace: bool) {
        let Some(pending) = self.pending_import.get_untracked() else {
            return;
        };
        self.pending_import.set(None);
        let plan = pending.plan;
        let mut edit = if replace { plan.replace } else { plan.merge };
        // Orphans are kept aside by the same edit, so undo takes them back.
        edit.orphans_in = plan
            .orphans
            .into_iter()
            .map(|(article, annotation)| edit::Orphan {
                article,
                annotation,
            })
            .collect();
        let first = edit.changes.first().map(|c| c.article.clone());
        if !edit.changes.is_empty() || !edit.orphans_in.is_empty() {
            self.apply(edit);
        } else {
            self.save();
        }
        if let Some(article) = first {
            if self.current.get_untracked().as_deref() != Some(article.as_str()) {
                self.open(&article);
            }
        }
        let p = plan.preview;
        self.status.set(if replace {
            format!("Imported “{}”: replaced the annotations of {} article(s). Ctrl+Z undoes.", pending.file_name, p.articles)
        } else {
            format!(
                "Imported “{}”: {} new, {} duplicate(s) skipped, {} re-anchored, {} kept aside. Ctrl+Z undoes.",
                pending.file_name,
                p.new,
                p.duplicates,
                p.reanchored,
                p.orphans.len()
            )
        });
    }

    /// Adds articles (pasted or from files); one already here (same text)
    /// is opened instead of copied. Opens the last one. Undo removes them.
    pub fn add_articles(&self, articles: Vec<Article>) {
        let catalog = self.catalog();
        let mut added = Vec::new();
        let mut existing = Vec::new();
        for article in articles {
            if let Some(same) = catalog.find_text(article.text()) {
                existing.push(same.id().to_string());
            } else if added.iter().all(|a: &UserArticle| a.id != article.id()) {
                added.push(UserArticle {
                    id: article.id().to_string(),
                    text: article.text().to_string(),
                });
            }
        }
        let last = added
            .last()
            .map(|a| a.id.clone())
            .or_else(|| existing.last().cloned());
        let n = added.len();
        if n > 0 {
            self.apply(Edit {
                name: format!("add {n} article(s)"),
                articles_added: added,
                ..Edit::default()
            });
        }
        self.add_error.set(None);
        if let Some(id) = last {
            self.open(&id);
        }
        self.status.set(match (n, existing.len()) {
            (0, 0) => "Nothing added.".into(),
            (n, 0) => format!("Added {n} article(s). Ctrl+Z undoes."),
            (0, _) => "That article is already here; opened it.".into(),
            (n, e) => format!("Added {n} article(s); {e} already here."),
        });
    }

    /// Removes a user's article and its annotations (undo brings them back).
    /// Seed articles cannot be removed.
    pub fn remove_article(&self, id: &str) -> Result<(), String> {
        if !self.is_user_article(id) {
            return Err("Built-in articles cannot be removed, only their annotations.".into());
        }
        let catalog = self.catalog();
        let article = catalog.get(id).ok_or("No such article.")?;
        let annotations = self
            .workspace
            .with_untracked(|ws| ws.set(id).map(|s| s.items().to_vec()))
            .unwrap_or_default();
        let n = annotations.len();
        self.apply(Edit {
            name: "remove article".into(),
            changes: vec![edit::Change {
                article: id.to_string(),
                removed: annotations,
                added: Vec::new(),
            }],
            articles_removed: vec![UserArticle {
                id: id.to_string(),
                text: article.text().to_string(),
            }],
            ..Edit::default()
        });
        self.status.set(format!(
            "Removed “{}” and {n} annotation(s). Ctrl+Z undoes.",
            shorten(article.headline())
        ));
        Ok(())
    }

    /// Marks an article done or not (saved with the annotations).
    pub fn set_done(&self, id: &str, done: bool) {
        let Some(article) = self.catalog().get(id).cloned() else {
            return;
        };
        self.workspace.update(|ws| ws.set_done(&article, done));
        self.save();
    }

    /// Whether an article is marked done (tracks the workspace).
    pub fn is_done(&self, id: &str) -> bool {
        self.workspace.with(|ws| ws.is_done(id))
    }

    /// Drops the pending import.
    pub fn cancel_import(&self) {
        self.pending_import.set(None);
        self.status.set("Import cancelled; nothing changed.".into());
    }

    /// The native file of everything, for download.
    pub fn export_native(&self) -> String {
        self.workspace
            .with_untracked(|ws| native::write(&ws.to_native(&now())))
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

/// An article and its annotations, for an export.
fn doc_of<'a>(ws: &Workspace, seeds: &Catalog, article: &'a Article) -> Doc<'a> {
    let carries_text = seeds.get(article.id()).is_none();
    Doc {
        article,
        annotations: ws
            .set(article.id())
            .map(|s| s.items().to_vec())
            .unwrap_or_default(),
        meta: ws
            .entries()
            .iter()
            .find(|e| e.id == article.id())
            .map(|e| e.meta.clone()),
        carries_text,
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
