//! The commands the components call on [`AppState`]: each only
//! translates (the open article, the selected annotation, the snap setting,
//! the clock and fresh ids) into a core `Session` command and shows its
//! outcome with [`AppState::apply`] (through `run`). The rules are the
//! core's (`annotator_core::session`, tested natively).

use annotator_core::edit::Side;
use annotator_core::formats::export::Format;
use annotator_core::session::{
    ActionError, AnnotationId, ArticleId, ImportMode, ListQuery, Outcome, Scope, Session, Timestamp,
};
use annotator_core::{Annotation, Article, Label};
use leptos::prelude::*;

use crate::state::{now, uuid_v4, AppState};

impl AppState {
    /// Undoes the last edit (in whichever article it was made, which opens).
    pub fn undo(&self) {
        if let Err(message) = self.run(|s| s.undo(&Timestamp(now()))) {
            self.status.set(message);
        }
    }

    /// Redoes the last undone edit.
    pub fn redo(&self) {
        if let Err(message) = self.run(|s| s.redo(&Timestamp(now()))) {
            self.status.set(message);
        }
    }

    /// The open article's annotation with this id.
    pub fn annotation(&self, id: &str) -> Option<Annotation> {
        let article = ArticleId(self.current.get_untracked()?);
        self.session
            .with_untracked(|s| s.annotation(&article, &AnnotationId::from(id)).cloned())
    }

    /// Tags the span `anchor → focus` (code points, from the DOM selection or
    /// the keyboard cursor) of the open article with `label`, as a new
    /// annotation `id` (or selects the existing one of that label and span).
    /// Returns the id of the annotation now selected (new or existing).
    pub fn tag(
        &self,
        label: Label,
        anchor: usize,
        focus: usize,
        id: String,
    ) -> Result<String, String> {
        let article = self.current_id().map_err(|e| e.to_string())?;
        let pick = self.pick(anchor, focus);
        self.run(|s| s.tag(&article, pick, label, AnnotationId(id), &Timestamp(now())))?;
        Ok(self.selected.get_untracked().unwrap_or_default())
    }

    /// Places the open article's kept-aside annotation `id` (an orphan) at
    /// the selection `anchor → focus`; undo puts it back aside.
    pub fn place_orphan(&self, id: &str, anchor: usize, focus: usize) -> Result<(), String> {
        let article = self.current_id().map_err(|e| e.to_string())?;
        let pick = self.pick(anchor, focus);
        self.run(|s| s.place_orphan(&article, &AnnotationId::from(id), pick, &Timestamp(now())))
    }

    /// Runs a command on the open article's selected annotation.
    fn on_selected(
        &self,
        command: impl FnOnce(
            &mut Session,
            &ArticleId,
            Option<&AnnotationId>,
            &Timestamp,
        ) -> Result<Outcome, ActionError>,
    ) -> Result<(), String> {
        let article = self.current_id().map_err(|e| e.to_string())?;
        let selected = self.selected_id();
        self.run(|s| command(s, &article, selected.as_ref(), &Timestamp(now())))
    }

    /// Gives the selected annotation another label.
    pub fn relabel_selected(&self, label: Label) -> Result<(), String> {
        self.on_selected(|s, a, id, now| s.relabel(a, id, label, now))
    }

    /// Deletes the selected annotation.
    pub fn delete_selected(&self) -> Result<(), String> {
        self.on_selected(|s, a, id, now| s.delete(a, id, now))
    }

    /// Sets the selected annotation's note.
    pub fn note_selected(&self, note: &str) -> Result<(), String> {
        self.on_selected(|s, a, id, now| s.set_note(a, id, note, now))
    }

    /// Moves one side of the selected annotation by a word (or a grapheme
    /// cluster with snapping off), within its block.
    pub fn nudge_selected(&self, side: Side, forward: bool) -> Result<(), String> {
        let by_word = self.snap.get_untracked();
        self.on_selected(|s, a, id, now| s.nudge(a, id, side, forward, by_word, now))
    }

    /// Moves the selected annotation to the span `anchor → focus` (a new
    /// mouse selection), trimmed and snapped like a new tag.
    pub fn resize_selected_to(&self, anchor: usize, focus: usize) -> Result<(), String> {
        let pick = self.pick(anchor, focus);
        self.on_selected(|s, a, id, now| s.resize(a, id, pick, now))
    }

    /// Selects the annotation under code point `cp` of the open article:
    /// the innermost first; again at the same point, the next one out.
    pub fn select_at(&self, cp: usize) {
        let Ok(article) = self.current_id() else {
            return;
        };
        let current = self.selected_id();
        let outcome = self
            .session
            .with_untracked(|s| s.select_at(&article, cp, current.as_ref()));
        self.apply(outcome);
    }

    /// The open article's annotations that the list shows (filters applied),
    /// in text order. Tracks the session, filters and open article.
    /// Returns how many match and the first `limit` of them.
    pub fn listed(&self, limit: usize) -> (usize, Vec<Annotation>) {
        let Some(id) = self.current.get() else {
            return (0, Vec::new());
        };
        let query = ListQuery {
            labels: self.filter_labels.get(),
            search: self.search.get(),
            limit,
        };
        let listed = self.session.with(|s| s.list(&ArticleId(id), &query));
        (listed.total, listed.page)
    }

    /// Per-label counts of an article's annotations (tracks the session).
    pub fn counts(&self, article: &str) -> [usize; 3] {
        self.session.with(|s| s.counts(&ArticleId::from(article)))
    }

    /// The file for an export: (file name, MIME type, bytes).
    pub fn export(
        &self,
        scope: Scope,
        format: Format,
    ) -> Result<(String, &'static str, Vec<u8>), String> {
        let current = self.current.get_untracked().map(ArticleId);
        self.session
            .with_untracked(|s| s.export(scope, current.as_ref(), format, &Timestamp(now())))
            .ok_or_else(|| "Open an article to export it.".to_string())
    }

    /// Reads an import file and, if it can be taken, shows its preview; if
    /// not, shows why in an alert. Nothing changes either way.
    pub fn prepare_import(&self, file_name: &str, bytes: &[u8]) {
        let result = self
            .session
            .try_update(|s| s.plan_import(file_name, bytes, uuid_v4).map(|_| ()))
            .unwrap_or(Err(ActionError::NoPendingImport));
        self.import_error.set(result.err().map(|e| e.to_string()));
    }

    /// Refuses a file before reading it (e.g. too large).
    pub fn refuse_import(&self, file_name: &str, why: &str) {
        self.session.update(|s| {
            s.cancel_import();
        });
        self.import_error.set(Some(format!(
            "“{file_name}” was not imported: {why}. Nothing was changed."
        )));
    }

    /// Applies the pending import (merge or replace); undo reverts it.
    pub fn confirm_import(&self, mode: ImportMode) {
        if let Err(message) = self.run(|s| s.confirm_import(mode, &Timestamp(now()))) {
            self.status.set(message);
        }
    }

    /// Drops the pending import.
    pub fn cancel_import(&self) {
        let _ = self.run(|s| Ok(s.cancel_import()));
    }

    /// Adds articles (pasted or from files); one already here (same text)
    /// is opened instead of copied. Opens the last one. Undo removes them.
    pub fn add_articles(&self, articles: Vec<Article>) {
        let _ = self.run(|s| Ok(s.add_articles(articles, &Timestamp(now()))));
        self.add_error.set(None);
    }

    /// Removes a user's article and its annotations (undo brings them back).
    /// Seed articles cannot be removed.
    pub fn remove_article(&self, id: &str) -> Result<(), String> {
        self.run(|s| s.remove_article(&ArticleId::from(id), &Timestamp(now())))
    }

    /// Marks an article done or not done (undoable, saved).
    pub fn set_done(&self, id: &str, done: bool) {
        if let Err(message) =
            self.run(|s| s.set_done(&ArticleId::from(id), done, &Timestamp(now())))
        {
            self.status.set(message);
        }
    }

    /// Whether an article is marked done (tracks the session).
    pub fn is_done(&self, id: &str) -> bool {
        self.session.with(|s| s.is_done(&ArticleId::from(id)))
    }

    /// The native file of everything, for download.
    pub fn export_native(&self) -> String {
        self.with_workspace_untracked(|ws| {
            annotator_core::formats::native::write(&ws.to_native(&now()))
        })
    }
}
