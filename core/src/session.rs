//! The app's rules, as plain functions on one value: a [`Session`] holds the
//! catalog (seeds plus the user's articles), the workspace (every article's
//! annotations) and the undo history, and owns every command the app offers:
//! tag, select at a point, relabel, delete, nudge, resize, note, mark done,
//! place a kept-aside annotation, add and remove articles, plan, confirm and
//! cancel an import, undo and redo, and the annotation-list query.
//!
//! Commands take their ids and the clock as arguments (the core stays
//! deterministic) and return an [`Outcome`]: what to open, what to select and
//! what to announce; or an [`ActionError`]. Every mutation goes through an
//! [`Edit`] applied to the workspace and recorded in the [`History`],
//! including Done marks and the orphans an import keeps aside, so every one
//! can be undone. The words users read are made in one place: the `Display`
//! of [`Announce`] and [`ActionError`].

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::adding;
use crate::adjudication::Adjudication;
use crate::annotation::{Annotation, AnnotationSet};
use crate::article::Article;
pub use crate::attributes::{Checkable, Field, Status};
use crate::catalog::Catalog;
use crate::cursor::{block_at, clamp_selection};
use crate::edit::{self, DoneMark, Edit, EditError, History, Orphan, Side, UserArticle};
use crate::formats::export::{self as exporter, Doc, Format};
use crate::formats::import::{self, ImportError, Plan};
use crate::formats::native;
use crate::label::Label;
use crate::linking;
use crate::relation::{Link, RelationType};
use crate::span::{resolve_in_article, Span, SpanError};
use crate::suggest::Suggestion;
use crate::workspace::Workspace;

pub use crate::ids::{AnnotationId, ArticleId, Timestamp};

/// A text selection to tag with or move an annotation to: its anchor and
/// focus (code points, either order) and whether it snaps to whole words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    /// Where the selection started.
    pub anchor: usize,
    /// Where it ended.
    pub focus: usize,
    /// Widen a cut word to the whole word.
    pub snap: bool,
}

/// How a confirmed import treats the annotations already here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Add the file's new annotations; keep everything here.
    Merge,
    /// Make each article in the file hold exactly the file's annotations.
    Replace,
}

/// What to do with the selected annotation after a command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    /// Leave it as it is.
    #[default]
    Keep,
    /// Select nothing.
    Clear,
    /// Select this annotation.
    Select(AnnotationId),
}

/// What to tell the user after a command (see its `Display`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Announce {
    /// Nothing.
    #[default]
    Nothing,
    /// A new annotation (its shortened quote and label).
    Tagged(String, Label),
    /// The same label and span were already tagged; that one is selected.
    AlreadyTagged(String, Label),
    /// The selected annotation has a new label.
    Relabelled(Label),
    /// An annotation was deleted (its shortened quote, and how many links
    /// went with it: its own and those to it).
    Deleted(String, usize),
    /// A note was saved.
    NoteSaved,
    /// The selected annotation was moved to the selection.
    Resized,
    /// A nudge: the annotation's label and its new shortened quote.
    Moved(Label, String),
    /// Selected by a click: label, shortened quote, how many are there.
    Selected(Label, String, usize),
    /// An undone edit (its name).
    Undid(String),
    /// A redone edit (its name).
    Redid(String),
    /// Articles added, and how many were already here.
    Added(usize, usize),
    /// A user's article removed (shortened headline, annotations with it).
    Removed(String, usize),
    /// An import applied (file name, mode, what it did).
    Imported(String, ImportMode, import::Preview),
    /// The import was cancelled.
    ImportCancelled,
    /// A kept-aside annotation placed again (label, old quote, new quote).
    Placed(Label, String, String),
    /// An article marked done (true) or not done.
    Done(bool),
    /// Linked (the relation's type, the entity's name).
    Linked(RelationType, String),
    /// Unlinked (the relation's type, the entity's name).
    Unlinked(RelationType, String),
    /// A field saved (its name).
    FieldSaved(&'static str),
    /// A deadline saved and the due date proposed from it.
    DueProposed(String),
    /// How many mentions were named, and the name.
    Named(usize, String),
    /// Suggestions accepted: how many annotations they made (the
    /// shortened quote of the first), how many links, and how many
    /// entities were tagged to be linked to (suggested actors).
    Accepted(usize, String, usize, usize),
    /// Adjudication started: spans all annotators agree on (taken), and
    /// disagreements left.
    AdjudicationStarted(usize, usize),
    /// An annotator's version taken (their name, how many spans it has,
    /// disagreements left).
    Took(String, usize, usize),
}

impl fmt::Display for Announce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Announce::Nothing => Ok(()),
            Announce::Tagged(q, l) => write!(f, "Tagged “{q}” as {}.", l.title()),
            Announce::AlreadyTagged(q, l) => {
                write!(f, "“{q}” is already tagged as {}.", l.title())
            }
            Announce::Relabelled(l) => write!(f, "Relabelled as {}.", l.title()),
            Announce::Deleted(q, 0) => write!(f, "Deleted “{q}”. Ctrl+Z undoes."),
            Announce::Deleted(q, n) => {
                write!(f, "Deleted “{q}” and {n} link(s) with it. Ctrl+Z undoes.")
            }
            Announce::NoteSaved => write!(f, "Note saved."),
            Announce::Resized => write!(f, "Resized to the selection."),
            Announce::Moved(l, q) => write!(f, "{} now “{q}”.", l.title()),
            Announce::Selected(l, q, n) => {
                write!(f, "Selected {} “{q}”", l.title())?;
                if *n > 1 {
                    write!(f, " ({n} annotations here; click again for the next)")?;
                }
                write!(f, ".")
            }
            // An adjudication's takes are told apart by a number after
            // " #" (see `Adjudication::take`); people need not see it.
            Announce::Undid(name) => write!(f, "Undid {}.", untagged(name)),
            Announce::Redid(name) => write!(f, "Redid {}.", untagged(name)),
            Announce::Added(0, 0) => write!(f, "Nothing added."),
            Announce::Added(n, 0) => write!(f, "Added {n} article(s). Ctrl+Z undoes."),
            Announce::Added(0, _) => write!(f, "That article is already here; opened it."),
            Announce::Added(n, e) => write!(f, "Added {n} article(s); {e} already here."),
            Announce::Removed(h, n) => {
                write!(f, "Removed “{h}” and {n} annotation(s). Ctrl+Z undoes.")
            }
            Announce::Imported(name, ImportMode::Replace, p) => write!(
                f,
                "Imported “{name}”: replaced the annotations of {} article(s). Ctrl+Z undoes.",
                p.articles
            ),
            Announce::Imported(name, ImportMode::Merge, p) => {
                write!(
                    f,
                    "Imported “{name}”: {} new, {} duplicate(s) skipped, {} re-anchored, {} kept aside",
                    p.new,
                    p.duplicates,
                    p.reanchored,
                    p.orphans.len()
                )?;
                if p.relations > 0 {
                    write!(f, "; {} relation(s) added", p.new_relations)?;
                }
                if !p.unlinked.is_empty() {
                    write!(f, ", {} left out (an end is missing)", p.unlinked.len())?;
                }
                write!(f, ". Ctrl+Z undoes.")
            }
            Announce::ImportCancelled => write!(f, "Import cancelled; nothing changed."),
            Announce::Placed(l, old, new) => {
                write!(f, "Placed {} “{old}” at “{new}”. Ctrl+Z undoes.", l.title())
            }
            Announce::Done(true) => write!(f, "Marked done. Ctrl+Z undoes."),
            Announce::Done(false) => write!(f, "Marked not done. Ctrl+Z undoes."),
            Announce::Linked(kind, name) => write!(f, "Linked: {} {name}.", kind.phrase()),
            Announce::Unlinked(kind, name) => {
                write!(
                    f,
                    "Unlinked: no longer {} {name}. Ctrl+Z undoes.",
                    kind.phrase()
                )
            }
            Announce::FieldSaved(name) => write!(f, "{name} saved."),
            Announce::DueProposed(due) => {
                write!(f, "Deadline saved; due date {due} read from it.")
            }
            Announce::Named(1, name) => write!(f, "Named “{name}”."),
            Announce::Named(n, name) => write!(f, "Named {n} mentions “{name}”. Ctrl+Z undoes."),
            Announce::Accepted(0, _, _, _) => write!(f, "Nothing to accept: already tagged."),
            Announce::AdjudicationStarted(agreed, left) => write!(
                f,
                "Adjudicating: took the {agreed} span(s) all annotators agree on; {left} disagreement(s) to decide. Ctrl+Z undoes."
            ),
            Announce::Took(name, 0, left) => write!(
                f,
                "Took {name}'s version: nothing here. {left} disagreement(s) left."
            ),
            Announce::Took(name, n, left) => write!(
                f,
                "Took {name}'s version ({n} span(s)). {left} disagreement(s) left."
            ),
            Announce::Accepted(n, q, links, tagged) => {
                if *n == 1 {
                    write!(f, "Accepted “{q}”")?;
                } else {
                    write!(f, "Accepted {n} suggestions")?;
                }
                match (*links, *tagged) {
                    (0, _) => {}
                    (1, 0) => write!(f, ", linked to 1 name")?,
                    (l, 0) => write!(f, ", linked to {l} names")?,
                    (l, t) => write!(f, ", linked to {l} name(s), {t} of them tagged now")?,
                }
                write!(f, ". Ctrl+Z undoes.")
            }
        }
    }
}

/// What a command asks the app to show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// An article to open (undo of an edit in another article, an added
    /// article, an import).
    pub open: Option<ArticleId>,
    /// What to do with the selected annotation.
    pub select: Selection,
    /// What to tell the user.
    pub announce: Announce,
    /// The workspace changed (save it).
    pub changed: bool,
}

/// An edit's name without the number an adjudication's take carries.
fn untagged(name: &str) -> &str {
    name.split(" #").next().unwrap_or(name)
}

/// The name of the edit that starts an adjudication (undoing it ends the
/// adjudication: the article holds what it held before).
pub const START_ADJUDICATION: &str = "start adjudication";

/// The `annotator` of an adjudicated result's export.
pub const ADJUDICATED: &str = "adjudicated";

/// Why a command did nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    /// No article is open, or the id is unknown.
    NoArticle,
    /// No annotation is selected.
    NoSelection,
    /// The annotation is gone.
    NoSuchAnnotation,
    /// The selection cannot be tagged.
    Span(SpanError),
    /// An edit was refused (the command's name and why).
    Edit(&'static str, EditError),
    /// Built-in articles cannot be removed.
    BuiltIn,
    /// The kept-aside annotation is gone.
    NotKeptAside,
    /// Nothing to undo.
    NothingToUndo,
    /// Nothing to redo.
    NothingToRedo,
    /// No import is waiting.
    NoPendingImport,
    /// A file was refused (its name and why).
    Import(String, ImportError),
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::NoArticle => write!(f, "Open an article first."),
            ActionError::NoSelection => write!(
                f,
                "Select an annotation first (click a highlight or a list entry)."
            ),
            ActionError::NoSuchAnnotation => write!(f, "That annotation no longer exists."),
            ActionError::Span(e) => write!(f, "Nothing tagged: {e}."),
            ActionError::Edit("place", e) => write!(f, "Could not place it: {e}."),
            ActionError::Edit("tag", e) => write!(f, "Nothing tagged: {e}."),
            ActionError::Edit(name, e) => write!(f, "Could not {name}: {e}."),
            ActionError::BuiltIn => write!(
                f,
                "Built-in articles cannot be removed, only their annotations."
            ),
            ActionError::NotKeptAside => write!(f, "That annotation is no longer kept aside."),
            ActionError::NothingToUndo => write!(f, "Nothing to undo."),
            ActionError::NothingToRedo => write!(f, "Nothing to redo."),
            ActionError::NoPendingImport => write!(f, "There is no import to confirm."),
            ActionError::Import(name, e) => {
                write!(f, "“{name}” was not imported: {e}. Nothing was changed.")
            }
        }
    }
}

impl std::error::Error for ActionError {}

/// The annotation list's question: which labels, which text, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// Labels shown, in `Label::ALL` order.
    pub labels: [bool; 3],
    /// Text that quotes or notes must contain (any case); empty: all.
    pub search: String,
    /// How many to return.
    pub limit: usize,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            labels: [true; 3],
            search: String::new(),
            limit: usize::MAX,
        }
    }
}

/// The annotation list's answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listed {
    /// How many annotations match.
    pub total: usize,
    /// The first `limit` of them, in text order.
    pub page: Vec<Annotation>,
}

/// Which articles an export covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The open article.
    Current,
    /// Every article.
    All,
}

/// An import waiting for the user's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingImport {
    /// The file's name.
    pub file_name: String,
    /// What it would do.
    pub plan: Plan,
}

/// How close in time two settings of one field must be to undo as one.
pub const COALESCE_MS: i64 = 10_000;

/// A field's name, as messages say it.
fn field_name(field: &Field) -> &'static str {
    match field {
        Field::Name(_) => "Name",
        Field::Deadline(_) => "Deadline",
        Field::Due(_) => "Due date",
        Field::Status(_) => "Status",
        Field::Checkable(_) => "Checkable",
    }
}

/// Shortens a quote for messages: up to 60 characters, else the first 40,
/// an ellipsis and the last 15.
pub fn shorten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 60 {
        return text.to_string();
    }
    let head: String = chars[..40].iter().collect();
    let tail: String = chars[chars.len() - 15..].iter().collect();
    format!("{head}…{tail}")
}

/// The catalog, the workspace and the history, with every command.
#[derive(Debug, Clone)]
pub struct Session {
    seeds: Arc<Catalog>,
    catalog: Arc<Catalog>,
    workspace: Workspace,
    history: History,
    pending: Option<PendingImport>,
    annotator: Option<String>,
}

impl Session {
    /// The name exports give as the annotator's (the user's name; none
    /// when empty).
    pub fn set_annotator(&mut self, name: &str) {
        let name = name.trim();
        self.annotator = (!name.is_empty()).then(|| name.to_string());
    }

    /// The annotator's name exports carry, if the user gave one.
    pub fn annotator(&self) -> Option<&str> {
        self.annotator.as_deref()
    }

    /// A session over the built-in `seeds` and a loaded workspace.
    pub fn new(seeds: Arc<Catalog>, workspace: Workspace) -> Session {
        let mut session = Session {
            catalog: seeds.clone(),
            seeds,
            workspace,
            history: History::new(),
            pending: None,
            annotator: None,
        };
        session.refresh_catalog();
        session
    }

    /// The built-in articles.
    pub fn seeds(&self) -> &Arc<Catalog> {
        &self.seeds
    }

    /// Every article, seeds then the user's, in list order.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// Every article's annotations.
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// The workspace, to merge another tab's work or save it (the saver's
    /// business; commands never need this).
    pub fn workspace_mut(&mut self) -> &mut Workspace {
        &mut self.workspace
    }

    /// The undo and redo stacks.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The import waiting for a choice, if any.
    pub fn pending_import(&self) -> Option<&PendingImport> {
        self.pending.as_ref()
    }

    /// An article by id.
    pub fn article(&self, id: &ArticleId) -> Option<&Article> {
        self.catalog.get(id.as_str())
    }

    /// True for an article the user added (it can be removed).
    pub fn is_user_article(&self, id: &ArticleId) -> bool {
        self.seeds.get(id.as_str()).is_none() && self.catalog.get(id.as_str()).is_some()
    }

    /// An annotation of an article.
    pub fn annotation(&self, article: &ArticleId, id: &AnnotationId) -> Option<&Annotation> {
        self.workspace.set(article.as_str())?.get(id.as_str())
    }

    /// Rebuilds the catalog from the seeds and the workspace's user
    /// articles, if those changed (ids are compared first: this runs after
    /// every edit, and user articles can be long).
    pub fn refresh_catalog(&mut self) -> bool {
        let user = self.workspace.user_articles();
        let known = self.catalog.articles().iter().map(|a| a.id());
        let wanted = self
            .seeds
            .articles()
            .iter()
            .map(|a| a.id())
            .chain(user.iter().map(|(i, _)| *i));
        if known.eq(wanted) {
            return false;
        }
        self.catalog = Arc::new(self.seeds.with_user_articles(user));
        true
    }

    /// Applies an edit, records it for undo and refreshes the catalog.
    fn apply(&mut self, edit: Edit, now: &Timestamp) {
        self.workspace.apply(&self.catalog, &edit, now.as_str());
        self.history.record(edit);
        self.refresh_catalog();
    }

    fn article_or_err(&self, id: &ArticleId) -> Result<Article, ActionError> {
        self.article(id).cloned().ok_or(ActionError::NoArticle)
    }

    fn set_of(&self, article: &ArticleId) -> &AnnotationSet {
        static EMPTY: std::sync::OnceLock<AnnotationSet> = std::sync::OnceLock::new();
        self.workspace
            .set(article.as_str())
            .unwrap_or_else(|| EMPTY.get_or_init(AnnotationSet::new))
    }

    /// The span a selection `anchor → focus` tags: kept within one part of
    /// the article, trimmed, snapped to words if `snap`.
    pub fn span_of_selection(&self, article: &Article, pick: Pick) -> Result<Span, ActionError> {
        let (a, f) = clamp_selection(article, pick.anchor, pick.focus);
        resolve_in_article(article, a, f, pick.snap).map_err(ActionError::Span)
    }

    /// Tags the selection `anchor → focus` of an article with `label`, as a
    /// new annotation `id`; an existing annotation of that label and span is
    /// selected instead.
    pub fn tag(
        &mut self,
        article: &ArticleId,
        pick: Pick,
        label: Label,
        id: AnnotationId,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let a = self.article_or_err(article)?;
        let span = self.span_of_selection(&a, pick)?;
        let quote = shorten(a.slice(span.start(), span.end()));
        let created = edit::create(
            self.set_of(article),
            article,
            a.text(),
            label,
            span,
            id.clone(),
            now,
        );
        match created {
            Ok(change) => {
                self.apply(Edit::one(&format!("tag “{quote}”"), change), now);
                Ok(Outcome {
                    select: Selection::Select(id),
                    announce: Announce::Tagged(quote, label),
                    changed: true,
                    ..Outcome::default()
                })
            }
            Err(EditError::Exists(existing)) => Ok(Outcome {
                select: Selection::Select(AnnotationId(existing)),
                announce: Announce::AlreadyTagged(quote, label),
                ..Outcome::default()
            }),
            Err(EditError::Span(e)) => Err(ActionError::Span(e)),
            Err(e) => Err(ActionError::Edit("tag", e)),
        }
    }

    /// The annotation to select for a click at code point `cp`: the
    /// innermost there; when `current` is one of those, the next one out
    /// (cycling). Nothing there: nothing selected.
    pub fn select_at(
        &self,
        article: &ArticleId,
        cp: usize,
        current: Option<&AnnotationId>,
    ) -> Outcome {
        let here: Vec<&Annotation> = self.set_of(article).at(cp);
        let next = match current.and_then(|c| here.iter().position(|a| a.id == c.0)) {
            Some(i) => here.get((i + 1) % here.len()),
            None => here.first(),
        };
        match next {
            Some(a) => Outcome {
                select: Selection::Select(AnnotationId(a.id.clone())),
                announce: Announce::Selected(a.label, shorten(&a.quote), here.len()),
                ..Outcome::default()
            },
            None => Outcome {
                select: Selection::Clear,
                ..Outcome::default()
            },
        }
    }

    /// Runs an edit constructor on an annotation of an article.
    fn edit_one(
        &mut self,
        name: &'static str,
        article: &ArticleId,
        id: Option<&AnnotationId>,
        now: &Timestamp,
        make: impl FnOnce(&Article, &AnnotationSet, &AnnotationId) -> Result<edit::Change, EditError>,
    ) -> Result<bool, ActionError> {
        let a = self.article_or_err(article)?;
        let id = id.ok_or(ActionError::NoSelection)?;
        match make(&a, self.set_of(article), id) {
            Ok(change) => {
                self.apply(Edit::one(name, change), now);
                Ok(true)
            }
            Err(EditError::Unchanged) => Ok(false),
            Err(EditError::NoSuchAnnotation) => Err(ActionError::NoSuchAnnotation),
            Err(e) => Err(ActionError::Edit(name, e)),
        }
    }

    /// Gives an annotation another label.
    pub fn relabel(
        &mut self,
        article: &ArticleId,
        id: Option<&AnnotationId>,
        label: Label,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let changed = self.edit_one("relabel", article, id, now, |_, set, id| {
            edit::relabel(set, article, id, label, now)
        })?;
        Ok(Outcome {
            announce: Announce::Relabelled(label),
            changed,
            ..Outcome::default()
        })
    }

    /// Deletes an annotation (and deselects it).
    pub fn delete(
        &mut self,
        article: &ArticleId,
        id: Option<&AnnotationId>,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let quote = id
            .and_then(|id| self.annotation(article, id))
            .map(|a| shorten(&a.quote))
            .unwrap_or_default();
        let links = id.map_or(0, |id| {
            self.set_of(article)
                .items()
                .iter()
                .map(|a| {
                    a.links
                        .iter()
                        .filter(|l| a.id == id.0 || l.to == id.0)
                        .count()
                })
                .sum()
        });
        let changed = self.edit_one("delete", article, id, now, |_, set, id| {
            edit::delete(set, article, id)
        })?;
        Ok(Outcome {
            select: Selection::Clear,
            announce: Announce::Deleted(quote, links),
            changed,
            ..Outcome::default()
        })
    }

    /// Sets an annotation's note.
    pub fn set_note(
        &mut self,
        article: &ArticleId,
        id: Option<&AnnotationId>,
        note: &str,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let changed = self.edit_one("note", article, id, now, |_, set, id| {
            edit::set_note(set, article, id, note, now)
        })?;
        Ok(Outcome {
            announce: Announce::NoteSaved,
            changed,
            ..Outcome::default()
        })
    }

    /// Links the selected claim or commitment `from` to the entity `to`
    /// (`said_by` / `committed_by`, relation `link_id`); a claim's earlier
    /// source is replaced. Linking an entity it already links unlinks it
    /// (the picker toggles).
    pub fn toggle_link(
        &mut self,
        article: &ArticleId,
        from: Option<&AnnotationId>,
        to: &AnnotationId,
        link_id: &str,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let from = from.ok_or(ActionError::NoSelection)?;
        let linked = self
            .annotation(article, from)
            .ok_or(ActionError::NoSuchAnnotation)?
            .links
            .iter()
            .any(|l| l.to == to.0);
        if linked {
            self.unlink(article, Some(from), to, now)
        } else {
            self.link(article, Some(from), to, link_id, now)
        }
    }

    /// Links `from` (a claim or a commitment) to the entity `to`.
    pub fn link(
        &mut self,
        article: &ArticleId,
        from: Option<&AnnotationId>,
        to: &AnnotationId,
        link_id: &str,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let name = self.entity_name(article, to);
        let changed = self.edit_one("link", article, from, now, |_, set, from| {
            linking::link(set, article, from, to, link_id, now)
        })?;
        let kind = from
            .and_then(|f| self.annotation(article, f))
            .and_then(|a| RelationType::of(a.label))
            .unwrap_or(RelationType::SaidBy);
        Ok(Outcome {
            announce: Announce::Linked(kind, name),
            changed,
            ..Outcome::default()
        })
    }

    /// Removes the link from `from` to `to`.
    pub fn unlink(
        &mut self,
        article: &ArticleId,
        from: Option<&AnnotationId>,
        to: &AnnotationId,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let name = self.entity_name(article, to);
        let kind = from
            .and_then(|f| self.annotation(article, f))
            .and_then(|a| a.links.iter().find(|l| l.to == to.0).map(|l| l.kind))
            .unwrap_or(RelationType::SaidBy);
        let changed = self.edit_one("unlink", article, from, now, |_, set, from| {
            linking::unlink(set, article, from, to, now)
        })?;
        Ok(Outcome {
            announce: if changed {
                Announce::Unlinked(kind, name)
            } else {
                Announce::Nothing
            },
            changed,
            ..Outcome::default()
        })
    }

    fn entity_name(&self, article: &ArticleId, id: &AnnotationId) -> String {
        self.annotation(article, id)
            .map(|a| shorten(a.name()))
            .unwrap_or_default()
    }

    /// Sets one field of an annotation (a status is dated `now`'s day).
    pub fn set_field(
        &mut self,
        article: &ArticleId,
        id: Option<&AnnotationId>,
        field: &Field,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let today = now.as_str().get(..10).unwrap_or_default().to_string();
        let before_due = id
            .and_then(|id| self.annotation(article, id))
            .and_then(|a| a.attributes.due.clone());
        let name = match field {
            Field::Name(_) => "set name",
            Field::Deadline(_) => "set deadline",
            Field::Due(_) => "set due date",
            Field::Status(_) => "set status",
            Field::Checkable(_) => "set checkable",
        };
        // Arrowing through a list sets it at every step: one undo step.
        // Typed fields are saved once per change, so each is its own step.
        let list = matches!(field, Field::Status(_) | Field::Checkable(_));
        let previous = list.then(|| self.history.last().cloned()).flatten();
        let changed = self.edit_one(name, article, id, now, |_, set, id| {
            linking::set_field(set, article, id, field, &today, now)
        })?;
        if changed && list {
            self.coalesce(previous, now);
        }
        let after_due = id
            .and_then(|id| self.annotation(article, id))
            .and_then(|a| a.attributes.due.clone());
        let announce = match (field, after_due) {
            (Field::Deadline(_), Some(due)) if changed && before_due.as_ref() != Some(&due) => {
                Announce::DueProposed(due)
            }
            _ if changed => Announce::FieldSaved(field_name(field)),
            _ => Announce::Nothing,
        };
        Ok(Outcome {
            announce,
            changed,
            ..Outcome::default()
        })
    }

    /// Makes the edit just recorded and `previous` (the last edit before
    /// it) one undo step when both set the same field of the same
    /// annotation within [`COALESCE_MS`]: arrowing through a status list
    /// sets it at every step, and one Ctrl+Z should go back to before.
    fn coalesce(&mut self, previous: Option<Edit>, now: &Timestamp) {
        let (Some(prev), Some(last)) = (previous, self.history.last()) else {
            return;
        };
        let one = |e: &Edit| match e.changes.as_slice() {
            [c] if c.removed.len() == 1
                && c.added.len() == 1
                && c.removed[0].id == c.added[0].id =>
            {
                Some((c.article.clone(), c.removed[0].clone(), c.added[0].clone()))
            }
            _ => None,
        };
        let (Some((pa, first, prev_after)), Some((la, _, added))) = (one(&prev), one(last)) else {
            return;
        };
        let recent = match (
            crate::time::millis(&prev_after.updated_at),
            crate::time::millis(now.as_str()),
        ) {
            (Some(then), Some(t)) => (0..=COALESCE_MS).contains(&(t - then)),
            _ => false,
        };
        if prev.name != last.name || pa != la || first.id != added.id || !recent {
            return;
        }
        let name = last.name.clone();
        self.history.join_last_two(Edit::one(
            &name,
            edit::Change {
                article: la,
                removed: vec![first],
                added: vec![added],
            },
        ));
    }

    /// Names every entity mention with the same quote as `id` `name`.
    pub fn name_all(
        &mut self,
        article: &ArticleId,
        id: Option<&AnnotationId>,
        name: &str,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let mut count = 0;
        let changed = self.edit_one("name all", article, id, now, |_, set, id| {
            let change = linking::name_all(set, article, id, name, now)?;
            count = change.added.len();
            Ok(change)
        })?;
        Ok(Outcome {
            announce: if changed {
                Announce::Named(count, name.trim().to_string())
            } else {
                Announce::Nothing
            },
            changed,
            ..Outcome::default()
        })
    }

    /// Accepts suggestions of an article in one undoable edit: each
    /// becomes an annotation (with the suggested entity name), linked to
    /// its suggested source or actors when they are tagged entities or
    /// entity suggestions in `pool` (those are accepted with it). One
    /// already tagged with the same label and span is left as it is.
    /// `fresh` gives new ids (annotations and links).
    pub fn accept_suggestions(
        &mut self,
        article: &ArticleId,
        chosen: &[Suggestion],
        pool: &[Suggestion],
        fresh: &mut dyn FnMut() -> String,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let a = self.article_or_err(article)?;
        let set = self.set_of(article);
        let mut added: Vec<Annotation> = Vec::new();
        let (mut links, mut made) = (0, 0);
        // The id of the annotation at (label, span): tagged, made in this
        // edit, or made now from a suggestion.
        let place = |added: &mut Vec<Annotation>,
                     fresh: &mut dyn FnMut() -> String,
                     label: Label,
                     start: usize,
                     end: usize,
                     name: Option<&str>|
         -> Option<(String, bool)> {
            if let Some(x) = set.same_span(label, start, end, "") {
                return Some((x.id.clone(), false));
            }
            if let Some(x) = added
                .iter()
                .find(|x| x.label == label && x.start == start && x.end == end)
            {
                return Some((x.id.clone(), false));
            }
            let span = Span::new(start, end, a.len()).ok()?;
            let mut made = Annotation::at(&a, span, label, AnnotationId(fresh()), now);
            if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
                made.attributes.name = Some(name.to_string());
            }
            let id = made.id.clone();
            added.push(made);
            Some((id, true))
        };
        for s in chosen {
            let Some((id, new)) = place(
                &mut added,
                fresh,
                s.label,
                s.start,
                s.end,
                s.name.as_deref(),
            ) else {
                continue;
            };
            made += usize::from(new);
            let Some(kind) = RelationType::of(s.label).filter(|_| new) else {
                continue;
            };
            for &(es, ee) in &s.actors {
                let tagged = set.same_span(Label::Entity, es, ee, "").is_some();
                let offered = pool
                    .iter()
                    .chain(chosen)
                    .find(|p| p.label == Label::Entity && p.start == es && p.end == ee);
                if !tagged && offered.is_none() {
                    continue;
                }
                let name = offered.and_then(|p| p.name.as_deref());
                let Some((to, _)) = place(&mut added, fresh, Label::Entity, es, ee, name) else {
                    continue;
                };
                let link = Link {
                    id: fresh(),
                    kind,
                    to,
                    created_at: now.to_string(),
                    updated_at: now.to_string(),
                    extra: Default::default(),
                };
                if let Some(x) = added.iter_mut().find(|x| x.id == id) {
                    x.links.push(link);
                    links += 1;
                }
                if kind == RelationType::SaidBy {
                    break; // a claim has one source
                }
            }
        }
        if added.is_empty() {
            return Ok(Outcome {
                announce: Announce::Accepted(0, String::new(), 0, 0),
                ..Outcome::default()
            });
        }
        let count = made;
        let tagged_now = added.len().saturating_sub(count);
        let first = added.first().map(|x| shorten(&x.quote)).unwrap_or_default();
        let name = if count == 1 {
            "accept suggestion"
        } else {
            "accept suggestions"
        };
        self.apply(
            Edit::one(
                name,
                edit::Change {
                    article: article.0.clone(),
                    removed: Vec::new(),
                    added,
                },
            ),
            now,
        );
        Ok(Outcome {
            announce: Announce::Accepted(count, first, links, tagged_now),
            changed: true,
            ..Outcome::default()
        })
    }

    /// Starts adjudicating an article with `adj` (the annotators' sets of
    /// it): its annotations become the spans every annotator agrees on, in
    /// one edit (undo brings the previous ones back).
    pub fn adjudicate_start(
        &mut self,
        article: &ArticleId,
        adj: &mut Adjudication,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        self.article_or_err(article)?;
        let target = adj.start();
        let agreed = target.len();
        let changed = self.replace_set(article, START_ADJUDICATION, target, now);
        let left = adj.remaining(&adj.decisions(self.set_of(article), &self.history));
        Ok(Outcome {
            announce: Announce::AdjudicationStarted(agreed, left),
            changed,
            ..Outcome::default()
        })
    }

    /// Takes `annotator`'s version of `unit` into the article's curated
    /// annotations (one edit; see [`Adjudication::take`]).
    pub fn adjudicate_take(
        &mut self,
        article: &ArticleId,
        adj: &mut Adjudication,
        unit: usize,
        annotator: usize,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        self.article_or_err(article)?;
        let name = adj
            .names()
            .get(annotator)
            .cloned()
            .ok_or(ActionError::NoSelection)?;
        if unit >= adj.units().len() {
            return Err(ActionError::NoSelection);
        }
        let spans = adj.version(unit, annotator).len();
        let (target, edit_name) = adj.take(self.set_of(article), unit, annotator);
        let changed = self.replace_set(article, &edit_name, target, now);
        let left = adj.remaining(&adj.decisions(self.set_of(article), &self.history));
        Ok(Outcome {
            announce: Announce::Took(name, spans, left),
            changed,
            ..Outcome::default()
        })
    }

    /// Makes the article's set `target` by one edit taking out and putting
    /// in only what differs. The edit is recorded even when nothing differs
    /// (taking an annotator's "nothing" where nothing is, starting where
    /// the set already is the agreed one), so Ctrl+Z always takes back the
    /// step the user took; true when something changed.
    fn replace_set(
        &mut self,
        article: &ArticleId,
        name: &str,
        target: Vec<Annotation>,
        now: &Timestamp,
    ) -> bool {
        let current = self.set_of(article);
        let now_by_id: HashMap<&str, &Annotation> =
            current.items().iter().map(|a| (a.id.as_str(), a)).collect();
        let target_by_id: HashMap<&str, &Annotation> =
            target.iter().map(|a| (a.id.as_str(), a)).collect();
        let removed: Vec<Annotation> = current
            .items()
            .iter()
            .filter(|a| target_by_id.get(a.id.as_str()) != Some(a))
            .cloned()
            .collect();
        let added: Vec<Annotation> = target
            .iter()
            .filter(|a| now_by_id.get(a.id.as_str()) != Some(a))
            .cloned()
            .collect();
        let changed = !(removed.is_empty() && added.is_empty());
        self.apply(
            Edit::one(
                name,
                edit::Change {
                    article: article.0.clone(),
                    removed,
                    added,
                },
            ),
            now,
        );
        changed
    }

    /// The native export of one article's annotations as the adjudicated
    /// result: (file name, MIME type, bytes) with `annotator`
    /// "adjudicated"; `None` for an unknown article.
    pub fn export_adjudicated(
        &self,
        article: &ArticleId,
        now: &Timestamp,
    ) -> Option<(String, &'static str, Vec<u8>)> {
        let a = self.article(article)?;
        // The curated annotations only: not the article's kept-aside
        // annotations or tombstones (an import would bring those back).
        let doc = Doc {
            meta: None,
            ..self.doc_of(a)
        };
        let bytes = exporter::export(&[doc], Format::Native, now.as_str(), Some(ADJUDICATED));
        let date = now.as_str().get(..10).unwrap_or("today");
        Some((
            exporter::file_name(&format!("{}-adjudicated", a.id()), date, Format::Native),
            Format::Native.mime(),
            bytes,
        ))
    }

    /// The link picker's entities for the annotation `from` (see
    /// [`linking::choices`]); empty when it is not a claim or commitment.
    pub fn link_choices(&self, article: &ArticleId, from: &AnnotationId) -> Vec<linking::Choice> {
        match self.annotation(article, from) {
            Some(a) if RelationType::of(a.label).is_some() => {
                linking::choices(self.set_of(article), a)
            }
            _ => Vec::new(),
        }
    }

    /// The names entities of every article carry (their `name`, else their
    /// quote), sorted and each once: what typing a name offers.
    pub fn entity_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .workspace
            .entries()
            .iter()
            .flat_map(|e| e.set.items())
            .filter(|a| a.label == Label::Entity)
            .map(|a| a.name().to_string())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Moves one side of an annotation by a word (`by_word`) or a grapheme
    /// cluster, within its block (a span across body paragraphs may move
    /// within the whole body).
    pub fn nudge(
        &mut self,
        article: &ArticleId,
        id: Option<&AnnotationId>,
        side: Side,
        forward: bool,
        by_word: bool,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let article_id = article;
        let changed = self.edit_one("resize", article, id, now, |article, set, id| {
            let a = set.get(id.as_str()).ok_or(EditError::NoSuchAnnotation)?;
            let span = Span::new(a.start, a.end, article.len()).map_err(EditError::Span)?;
            let block = block_at(article, a.start)
                .and_then(|i| article.blocks().get(i))
                .map(|b| (b.range.start, b.range.end));
            let limit = match (
                block,
                block_at(article, a.end).and_then(|i| article.blocks().get(i)),
            ) {
                (Some((s, _)), Some(end_block)) => (s.min(a.start), end_block.range.end.max(a.end)),
                _ => (0, article.len()),
            };
            let moved = edit::nudge(article.text(), span, side, forward, by_word, limit)?;
            edit::resize(set, article_id, article.text(), id, moved, now)
        })?;
        let announce = id
            .and_then(|id| self.annotation(article, id))
            .map(|a| Announce::Moved(a.label, shorten(&a.quote)))
            .unwrap_or_default();
        Ok(Outcome {
            announce,
            changed,
            ..Outcome::default()
        })
    }

    /// Moves an annotation to the selection `anchor → focus` (trimmed and
    /// snapped like a new tag).
    pub fn resize(
        &mut self,
        article: &ArticleId,
        id: Option<&AnnotationId>,
        pick: Pick,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let a = self.article_or_err(article)?;
        let span = self.span_of_selection(&a, pick)?;
        let changed = self.edit_one("resize", article, id, now, |a, set, id| {
            edit::resize(set, article, a.text(), id, span, now)
        })?;
        Ok(Outcome {
            announce: Announce::Resized,
            changed,
            ..Outcome::default()
        })
    }

    /// Places a kept-aside annotation (an orphan) of an article at the
    /// selection `anchor → focus`; undo puts it back aside.
    pub fn place_orphan(
        &mut self,
        article: &ArticleId,
        id: &AnnotationId,
        pick: Pick,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let a = self.article_or_err(article)?;
        let span = self.span_of_selection(&a, pick)?;
        let orphan = self
            .workspace
            .orphans_of(a.id())
            .iter()
            .find(|o| o.id == id.0)
            .cloned()
            .ok_or(ActionError::NotKeptAside)?;
        let edit = edit::place_orphan(self.set_of(article), &a, &orphan, span, now)
            .map_err(|e| ActionError::Edit("place", e))?;
        self.apply(edit, now);
        let placed = self
            .annotation(article, id)
            .map(|x| shorten(&x.quote))
            .unwrap_or_default();
        Ok(Outcome {
            select: Selection::Select(id.clone()),
            announce: Announce::Placed(orphan.label, shorten(&orphan.quote), placed),
            changed: true,
            ..Outcome::default()
        })
    }

    /// Marks an article done or not done (an edit: undo reverses it).
    pub fn set_done(
        &mut self,
        article: &ArticleId,
        done: bool,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        self.article_or_err(article)?;
        let before = self.workspace.is_done(article.as_str());
        if before == done {
            return Ok(Outcome::default());
        }
        self.apply(
            Edit {
                name: if done { "mark done" } else { "mark not done" }.into(),
                done: vec![DoneMark {
                    article: article.0.clone(),
                    before,
                    after: done,
                }],
                ..Edit::default()
            },
            now,
        );
        Ok(Outcome {
            announce: Announce::Done(done),
            changed: true,
            ..Outcome::default()
        })
    }

    /// Whether an article is marked done.
    pub fn is_done(&self, article: &ArticleId) -> bool {
        self.workspace.is_done(article.as_str())
    }

    /// Adds articles (pasted or from files); one already here (same text) is
    /// opened instead of copied. Opens the last one. Undo removes them.
    pub fn add_articles(&mut self, articles: Vec<Article>, now: &Timestamp) -> Outcome {
        let mut added: Vec<UserArticle> = Vec::new();
        let mut existing = Vec::new();
        for article in articles {
            if let Some(same) = self.catalog.find_text(article.text()) {
                existing.push(same.id().to_string());
            } else if added.iter().all(|a| a.id != article.id()) {
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
            self.apply(
                Edit {
                    name: format!("add {n} article(s)"),
                    articles_added: added,
                    ..Edit::default()
                },
                now,
            );
        }
        Outcome {
            open: last.map(ArticleId),
            // Opening another article clears the selection by itself.
            select: Selection::Keep,
            announce: Announce::Added(n, existing.len()),
            changed: n > 0,
        }
    }

    /// Adds one pasted article (see [`adding::from_paste`]).
    pub fn add_pasted(
        &mut self,
        headline: &str,
        summary: &str,
        body: &str,
        now: &Timestamp,
    ) -> Result<Outcome, adding::AddError> {
        let article = adding::from_paste(headline, summary, body)?;
        Ok(self.add_articles(vec![article], now))
    }

    /// Removes a user's article and its annotations (undo brings them
    /// back). Built-in articles cannot be removed.
    pub fn remove_article(
        &mut self,
        article: &ArticleId,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        if !self.is_user_article(article) {
            return Err(ActionError::BuiltIn);
        }
        let a = self.article_or_err(article)?;
        let annotations = self.set_of(article).items().to_vec();
        let n = annotations.len();
        self.apply(
            Edit {
                name: "remove article".into(),
                changes: vec![edit::Change {
                    article: article.0.clone(),
                    removed: annotations,
                    added: Vec::new(),
                }],
                articles_removed: vec![UserArticle {
                    id: article.0.clone(),
                    text: a.text().to_string(),
                }],
                ..Edit::default()
            },
            now,
        );
        Ok(Outcome {
            open: self.catalog.first().map(|x| ArticleId(x.id().to_string())),
            select: Selection::Clear,
            announce: Announce::Removed(shorten(a.headline()), n),
            changed: true,
        })
    }

    /// Reads an import file and plans it against the workspace; the plan
    /// waits for [`confirm_import`](Self::confirm_import). A refused file
    /// changes nothing (and drops any earlier pending import).
    pub fn plan_import(
        &mut self,
        file_name: &str,
        bytes: &[u8],
        new_id: impl FnMut() -> String,
    ) -> Result<&PendingImport, ActionError> {
        self.pending = None;
        let incoming =
            import::read(bytes).map_err(|e| ActionError::Import(file_name.to_string(), e))?;
        self.plan_incoming(file_name, incoming, new_id)
    }

    /// [`plan_import`](Self::plan_import) of a file already read with
    /// [`import::read`] (the app reads and plans a big file in two tasks,
    /// showing progress in between).
    pub fn plan_incoming(
        &mut self,
        file_name: &str,
        incoming: Vec<import::Incoming>,
        new_id: impl FnMut() -> String,
    ) -> Result<&PendingImport, ActionError> {
        self.pending = None;
        let plan = import::plan(incoming, &self.catalog, &self.workspace, new_id)
            .map_err(|e| ActionError::Import(file_name.to_string(), e))?;
        Ok(self.pending.insert(PendingImport {
            file_name: file_name.to_string(),
            plan,
        }))
    }

    /// Applies the pending import; the orphans it keeps aside are part of
    /// the same edit, so undo takes everything back.
    pub fn confirm_import(
        &mut self,
        mode: ImportMode,
        now: &Timestamp,
    ) -> Result<Outcome, ActionError> {
        let pending = self.pending.take().ok_or(ActionError::NoPendingImport)?;
        let plan = pending.plan;
        let mut edit = match mode {
            ImportMode::Merge => plan.merge,
            ImportMode::Replace => plan.replace,
        };
        edit.orphans_in = plan
            .orphans
            .into_iter()
            .map(|(article, annotation)| Orphan {
                article,
                annotation,
            })
            .collect();
        let first = edit.changes.first().map(|c| ArticleId(c.article.clone()));
        let changed = !edit.changes.is_empty()
            || !edit.orphans_in.is_empty()
            || !edit.articles_added.is_empty();
        if changed {
            self.apply(edit, now);
        }
        Ok(Outcome {
            open: first,
            select: Selection::Keep,
            announce: Announce::Imported(pending.file_name, mode, plan.preview),
            changed,
        })
    }

    /// Drops the pending import.
    pub fn cancel_import(&mut self) -> Outcome {
        self.pending = None;
        Outcome {
            announce: Announce::ImportCancelled,
            ..Outcome::default()
        }
    }

    /// Undoes the last edit; the article it touched opens, with what it put
    /// back selected.
    pub fn undo(&mut self, now: &Timestamp) -> Result<Outcome, ActionError> {
        let edit = self.history.undo().ok_or(ActionError::NothingToUndo)?;
        Ok(self.replay(&edit, now, Announce::Undid(edit.name.clone())))
    }

    /// Redoes the last undone edit.
    pub fn redo(&mut self, now: &Timestamp) -> Result<Outcome, ActionError> {
        let edit = self.history.redo().ok_or(ActionError::NothingToRedo)?;
        Ok(self.replay(&edit, now, Announce::Redid(edit.name.clone())))
    }

    fn replay(&mut self, edit: &Edit, now: &Timestamp, announce: Announce) -> Outcome {
        self.workspace.apply(&self.catalog, edit, now.as_str());
        self.refresh_catalog();
        let open = edit
            .changes
            .first()
            .map(|c| c.article.clone())
            .or_else(|| edit.articles_added.first().map(|a| a.id.clone()))
            .or_else(|| edit.done.first().map(|d| d.article.clone()))
            .or_else(|| edit.orphans_in.first().map(|o| o.article.clone()))
            .filter(|a| self.catalog.get(a).is_some())
            .map(ArticleId);
        let select = match edit.changes.first() {
            Some(change) => match change.added.first() {
                Some(a) => Selection::Select(AnnotationId(a.id.clone())),
                None => Selection::Clear,
            },
            None => Selection::Keep,
        };
        Outcome {
            open,
            select,
            announce,
            changed: true,
        }
    }

    /// The annotation list: an article's annotations that `query` matches,
    /// in text order; only the first `limit` are cloned.
    pub fn list(&self, article: &ArticleId, query: &ListQuery) -> Listed {
        let needle = query.search.to_lowercase();
        let mut listed = Listed::default();
        for a in self.set_of(article).items() {
            let shown = Label::ALL
                .iter()
                .position(|l| *l == a.label)
                .is_some_and(|i| query.labels[i]);
            if !shown {
                continue;
            }
            if !needle.is_empty()
                && !a.quote.to_lowercase().contains(&needle)
                && !a.note.to_lowercase().contains(&needle)
            {
                continue;
            }
            if listed.total < query.limit {
                listed.page.push(a.clone());
            }
            listed.total += 1;
        }
        listed
    }

    /// An export: (file name, MIME type, bytes), or `None` when the scope is
    /// the open article and none is open. A user's article carries its text
    /// in a native file, so the file can restore it in another browser.
    pub fn export(
        &self,
        scope: Scope,
        current: Option<&ArticleId>,
        format: Format,
        now: &Timestamp,
    ) -> Option<(String, &'static str, Vec<u8>)> {
        let ws = &self.workspace;
        let doc = |article| self.doc_of(article);
        let (scope_name, bytes) = match scope {
            Scope::All if format == Format::Native => {
                let mut file = ws.to_native(now.as_str());
                file.annotator = self.annotator.clone().or(file.annotator);
                ("all".to_string(), native::write(&file).into_bytes())
            }
            Scope::All => {
                let docs: Vec<Doc> = self.catalog.articles().iter().map(doc).collect();
                (
                    "all".to_string(),
                    exporter::export(&docs, format, now.as_str(), self.annotator()),
                )
            }
            Scope::Current => {
                let article = self.article(current?)?;
                (
                    article.id().to_string(),
                    exporter::export(&[doc(article)], format, now.as_str(), self.annotator()),
                )
            }
        };
        let date = now.as_str().get(..10).unwrap_or("today");
        Some((
            exporter::file_name(&scope_name, date, format),
            format.mime(),
            bytes,
        ))
    }

    /// An article and its annotations, for an export.
    fn doc_of<'a>(&self, article: &'a Article) -> Doc<'a> {
        let ws = &self.workspace;
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
            carries_text: self.seeds.get(article.id()).is_none(),
        }
    }

    /// Per-label counts of an article's annotations.
    pub fn counts(&self, article: &ArticleId) -> [usize; 3] {
        self.workspace
            .set(article.as_str())
            .map(|s| s.counts())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn shorten_keeps_short_quotes_and_cuts_long_ones_in_the_middle() {
        assert_eq!(shorten("short"), "short");
        let long = "a".repeat(50) + &"b".repeat(50);
        let s = shorten(&long);
        assert!(s.starts_with(&"a".repeat(40)) && s.ends_with(&"b".repeat(15)) && s.contains('…'));
    }
}
