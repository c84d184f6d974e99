//! The commands the components call on [`AppState`]: each only
//! translates (the open article, the selected annotation, the snap setting,
//! the clock and fresh ids) into a core `Session` command and shows its
//! outcome with [`AppState::apply`] (through `run`). The rules are the
//! core's (`annotator_core::session`, tested natively).

use annotator_core::edit::Side;
use annotator_core::formats::export::Format;
use annotator_core::linking::Choice;
use annotator_core::session::{
    ActionError, AnnotationId, ArticleId, Field, ImportMode, ListQuery, Outcome, Scope, Session,
    Timestamp,
};
use annotator_core::{Annotation, Article, Label};
use leptos::prelude::*;

use crate::state::{now, uuid_v4, AppState};

impl AppState {
    /// Undoes the last edit (in whichever article it was made, which opens).
    pub fn undo(&self) {
        // A suggestion rejected since the last edit is taken back first.
        if self.undo_rejection() {
            return;
        }
        // Undoing the start of an adjudication ends it: the article holds
        // what it held before, shown as the article.
        let ends = self.session.with_untracked(|s| {
            s.history().next_undo() == Some(annotator_core::session::START_ADJUDICATION)
        });
        if ends && self.compare.adjudicating.with_untracked(Option::is_some) {
            if self.view.get_untracked() == crate::state::View::Adjudicate {
                self.leave_adjudication();
            }
            self.compare.adjudicating.set(None);
        }
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

    /// Links the selected claim or commitment to the entity `to`, or
    /// unlinks it if they are linked (the picker's choice), and closes the
    /// picker.
    pub fn toggle_link_selected(&self, to: &str) -> Result<(), String> {
        self.linking.set(false);
        let link_id = uuid_v4();
        self.on_selected(|s, a, id, now| {
            s.toggle_link(a, id, &AnnotationId::from(to), &link_id, now)
        })
    }

    /// Unlinks the selected annotation from `to`.
    pub fn unlink_selected(&self, to: &str) -> Result<(), String> {
        self.on_selected(|s, a, id, now| s.unlink(a, id, &AnnotationId::from(to), now))
    }

    /// The link picker's entities for the selected annotation (nearest
    /// first, grouped by name). Tracks the session and the selection.
    pub fn link_choices(&self) -> Vec<Choice> {
        let (Some(article), Some(id)) = (self.current.get(), self.selected.get()) else {
            return Vec::new();
        };
        self.session
            .with(|s| s.link_choices(&ArticleId(article), &AnnotationId(id)))
    }

    /// Opens the link picker for the selected annotation, when it is a
    /// claim or a commitment.
    pub fn start_linking(&self) -> Result<(), String> {
        let Some(a) = self
            .selected
            .get_untracked()
            .and_then(|id| self.annotation(&id))
        else {
            return Err(
                "Select a claim or a commitment first, then press L to link it to who made it."
                    .into(),
            );
        };
        if annotator_core::relation::RelationType::of(a.label).is_none() {
            return Err(
                "Only a claim or a commitment is linked to who made it; select one first.".into(),
            );
        }
        let n = self.link_choices_untracked().len();
        if n == 0 {
            return Err("Tag the speaker or actor as an entity first: this article has no entities to link to.".into());
        }
        self.linking.set(true);
        // On a small screen or zoomed in, the details (and the picker at
        // their foot) may be below the fold: bring the picker into view.
        leptos::prelude::request_animation_frame(|| {
            if let Some(picker) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(".link-picker").ok().flatten())
            {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                picker.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
        self.status.set(format!(
            "Link to whom? Press 1–{} for an entity in the list, or click an entity in the text. Esc cancels.",
            n.min(9)
        ));
        Ok(())
    }

    fn link_choices_untracked(&self) -> Vec<Choice> {
        untrack(|| self.link_choices())
    }

    /// The picker's choice number `n` (1-based): links or unlinks it.
    pub fn choose_link(&self, n: usize) -> Result<(), String> {
        let choices = self.link_choices_untracked();
        let choice = n
            .checked_sub(1)
            .and_then(|i| choices.get(i))
            .ok_or_else(|| format!("There is no entity number {n} in the list."))?;
        let to = choice
            .linked
            .clone()
            .unwrap_or_else(|| choice.nearest.clone());
        self.toggle_link_selected(to.as_str())
    }

    /// In link mode, links to the innermost entity at code point `cp`.
    /// Returns false when there is no entity there.
    pub fn link_at(&self, cp: usize) -> bool {
        let Ok(article) = self.current_id() else {
            return false;
        };
        let entity = self.session.with_untracked(|s| {
            s.workspace().set(article.as_str()).and_then(|set| {
                set.at(cp)
                    .into_iter()
                    .find(|a| a.label == Label::Entity)
                    .map(|a| a.id.clone())
            })
        });
        match entity {
            Some(to) => {
                crate::actions::report(self, self.toggle_link_selected(&to));
                true
            }
            None => false,
        }
    }

    /// Opens article `article` with annotation `id` selected and scrolled
    /// into view once its block is drawn (a digest row).
    pub fn open_annotation(&self, article: &str, id: &str) {
        self.apply(Outcome {
            open: Some(ArticleId::from(article)),
            select: annotator_core::session::Selection::Select(AnnotationId::from(id)),
            ..Outcome::default()
        });
        crate::actions::scroll_to_when_drawn(id.to_string(), 120);
    }

    /// Sets one field of annotation `id` of article `article` (a digest
    /// row's status or checkability).
    pub fn set_field_of(&self, article: &str, id: &str, field: Field) -> Result<(), String> {
        let (article, id) = (ArticleId::from(article), AnnotationId::from(id));
        self.run(|s| s.set_field(&article, Some(&id), &field, &Timestamp(now())))
    }

    /// Opens the next article not marked done (after the open one, wrapping
    /// around).
    pub fn open_next_not_done(&self) {
        let current = self.current.get_untracked();
        let next = self.session.with_untracked(|s| {
            annotator_core::digest::next_not_done(s.catalog(), s.workspace(), current.as_deref())
        });
        match next {
            Some(id) if Some(&id) != current.as_ref() => {
                self.open(&id);
                crate::actions::reveal_article();
            }
            Some(_) => self
                .status
                .set("Every other article is marked done; this one is not.".into()),
            None => self.status.set("Every article is marked done.".into()),
        }
    }

    /// Sets one field of the selected annotation.
    pub fn set_field_selected(&self, field: Field) -> Result<(), String> {
        self.on_selected(|s, a, id, now| s.set_field(a, id, &field, now))
    }

    /// Names every entity mention with the selected one's quote `name`.
    pub fn name_all_selected(&self, name: &str) -> Result<(), String> {
        self.on_selected(|s, a, id, now| s.name_all(a, id, name, now))
    }

    /// The names entities carry in every article (tracks the session).
    pub fn entity_names(&self) -> Vec<String> {
        self.session.with(|s| s.entity_names())
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
    /// not, shows why in an alert. Nothing changes either way. Reading and
    /// checking the file against the work here are two tasks, with the
    /// progress painted before each (a 20 MB file takes a few hundred
    /// milliseconds). A file chosen later wins over one still being read:
    /// `generation` is the file's, from [`new_import`](Self::new_import) when
    /// it was chosen, and nothing is done once a later file was chosen.
    pub async fn prepare_import(&self, generation: u64, file_name: String, bytes: Vec<u8>) {
        let current = move |state: &AppState| state.import_generation.get_value() == generation;
        if !current(self) {
            return;
        }
        self.import_error.set(None);
        self.cancel_pending_import();
        self.show_import_progress(Some(format!(
            "Reading “{file_name}” ({})…",
            crate::components::files::size_text(bytes.len())
        )));
        crate::schedule::painted().await;
        if !current(self) {
            return;
        }
        crate::perf::start("aa-import-read");
        let read = annotator_core::formats::import::read(&bytes);
        drop(bytes);
        crate::perf::measure("aa-import-read");
        let incoming = match read {
            Ok(incoming) => incoming,
            Err(e) => {
                self.show_import_progress(None);
                self.import_error
                    .set(Some(ActionError::Import(file_name, e).to_string()));
                return;
            }
        };
        let n: usize = incoming.iter().map(|i| i.annotations.len()).sum();
        self.show_import_progress(Some(format!(
            "Checking {n} annotation(s) of “{file_name}” against your work…"
        )));
        crate::schedule::painted().await;
        if !current(self) {
            return;
        }
        crate::perf::start("aa-import-plan");
        let result = self
            .session
            .try_update(|s| s.plan_incoming(&file_name, incoming, uuid_v4).map(|_| ()))
            .unwrap_or(Err(ActionError::NoPendingImport));
        crate::perf::measure("aa-import-plan");
        self.show_import_progress(None);
        self.import_error.set(result.err().map(|e| e.to_string()));
    }

    /// Shows what a file being imported is at (the panel), and says it in
    /// the status line, the page's one live region; `None` takes both away.
    fn show_import_progress(&self, message: Option<String>) {
        // The status line still saying the last step is cleared or replaced
        // (anything said since is left alone).
        let last = self.import_progress.get_untracked();
        let still_said = last.is_some_and(|old| self.status.with_untracked(|s| *s == old));
        match &message {
            Some(m) => self.status.set(m.clone()),
            None if still_said => self.status.set(String::new()),
            None => {}
        }
        self.import_progress.set(message);
    }

    /// A file was chosen for import: it supersedes any file still being
    /// read. Returns its generation, for [`prepare_import`] and
    /// [`refuse_import`].
    ///
    /// [`prepare_import`]: Self::prepare_import
    /// [`refuse_import`]: Self::refuse_import
    pub fn new_import(&self) -> u64 {
        let generation = self.import_generation.get_value() + 1;
        self.import_generation.set_value(generation);
        generation
    }

    /// Drops a preview waiting for the user, if there is one (without
    /// touching the session otherwise).
    fn cancel_pending_import(&self) {
        if self
            .session
            .with_untracked(|s| s.pending_import().is_some())
        {
            self.session.update(|s| {
                s.cancel_import();
            });
        }
    }

    /// Refuses the file of `generation` (too large, unreadable), unless a
    /// later file was chosen meanwhile.
    pub fn refuse_import(&self, generation: u64, file_name: &str, why: &str) {
        if self.import_generation.get_value() != generation {
            return;
        }
        self.show_import_progress(None);
        self.cancel_pending_import();
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
