//! Importing annotation files: [`read`] tells a native file (it has a
//! `format` key) from W3C Web Annotation JSON-LD and hands it to
//! [`native::read_incoming`] or [`w3c::read`]; [`plan`] checks what was read
//! against the app's articles. Offsets are code points of the canonical text,
//! as in both formats.
//!
//! Reading is all or nothing: a file that cannot be taken whole is refused
//! with one [`ImportError`] and nothing changes. A readable file becomes a
//! [`Plan`] against the current workspace: a preview (what is new, duplicate,
//! re-anchored or orphaned) and two edits, merge and replace, either of which
//! the app applies (and can undo) when the user chooses.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use crate::anchor::{place, Anchored};
use crate::annotation::Annotation;
use crate::article::Article;
use crate::catalog::Catalog;
use crate::edit::{Change, Edit, UserArticle};
use crate::formats::native;
use crate::formats::w3c;
use crate::workspace::Workspace;

/// Largest file accepted.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Why a file was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Over [`MAX_BYTES`].
    TooLarge(usize),
    /// Not UTF-8 text.
    NotUtf8,
    /// Not JSON.
    NotJson(String),
    /// JSON, but neither a native nor a W3C annotation file.
    UnknownFormat,
    /// A native file of a newer version.
    NewerVersion(u64),
    /// A field has the wrong shape.
    BadShape(String),
    /// A label other than entity, claim, commitment.
    UnknownLabel(String),
    /// Offsets out of range, or start >= end.
    BadOffsets {
        /// The article.
        article: String,
        /// Start given.
        start: u64,
        /// End given.
        end: u64,
    },
    /// An article this app does not have, and the file does not carry its text.
    UnknownArticle(String),
    /// The file holds no annotation at all.
    Empty,
    /// A relation whose type does not fit its ends' labels.
    BadRelation {
        /// The article.
        article: String,
        /// The relation's type.
        kind: &'static str,
        /// The label it starts from (`?`: not in the file).
        from: &'static str,
        /// The label it points at (`?`: not in the file).
        to: &'static str,
    },
    /// A relation type other than said_by and committed_by.
    UnknownRelation(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::TooLarge(n) => write!(
                f,
                "the file is {:.1} MB; files over 20 MB are not imported",
                *n as f64 / 1_048_576.0
            ),
            ImportError::NotUtf8 => write!(f, "the file is not UTF-8 text"),
            ImportError::NotJson(e) => write!(f, "the file is not JSON ({e})"),
            ImportError::UnknownFormat => write!(
                f,
                "the file is neither an Article Annotator file nor W3C Web Annotations"
            ),
            ImportError::NewerVersion(v) => write!(
                f,
                "the file was written by a newer version of Article Annotator (format version {v}); update the app to import it"
            ),
            ImportError::BadShape(e) => write!(f, "the file has the wrong shape ({e})"),
            ImportError::UnknownLabel(l) => write!(
                f,
                "the file uses the label {l:?}; only entity, claim and commitment are known"
            ),
            ImportError::BadOffsets { article, start, end } => write!(
                f,
                "an annotation of article {article:?} has offsets {start}–{end}, which are out of range or empty"
            ),
            ImportError::UnknownArticle(id) => write!(
                f,
                "the file annotates article {id:?}, which this app does not have, and does not carry its text"
            ),
            ImportError::Empty => write!(f, "the file holds no annotations"),
            ImportError::BadRelation { article, kind, from, to } => write!(
                f,
                "a {kind} relation of article {article:?} goes from {from} to {to}; said_by goes from a claim to an entity, committed_by from a commitment to an entity"
            ),
            ImportError::UnknownRelation(t) => write!(
                f,
                "the file uses the relation type {t:?}; only said_by and committed_by are known"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// One article's annotations as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    /// Article id.
    pub article: String,
    /// The hash of the text the offsets refer to, when the file says.
    pub text_sha256: Option<String>,
    /// The article's canonical text, when the file carries it (a user's article).
    pub text: Option<String>,
    /// The annotations, holding the relations they start
    /// ([`Annotation::links`]).
    pub annotations: Vec<Annotation>,
    /// Relations whose `from` is not among the annotations (reported, not
    /// placed).
    pub loose: Vec<crate::relation::Relation>,
}

/// Reads a file's bytes (native or W3C), checking everything it can without
/// the app's articles.
pub fn read(bytes: &[u8]) -> Result<Vec<Incoming>, ImportError> {
    read_named(bytes).map(|(_, incoming)| incoming)
}

/// Reads a file like [`read`], with the name of whose work it is, when the
/// file says: a native file's `annotator`, a W3C collection's `creator`
/// (its `name`, or the creator itself when it is a string). Blank names
/// are none.
pub fn read_named(bytes: &[u8]) -> Result<(Option<String>, Vec<Incoming>), ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A current native file goes straight into the structs: one pass over
    // the text, no JSON tree (the general path below explains a refusal).
    if let Some(file) = native::read_current(text) {
        let name = file
            .annotator
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        return native::incoming_of(file).map(|inc| (name, inc));
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| ImportError::NotJson(e.to_string()))?;
    let named = |v: &Value| {
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if value.get("format").is_some() {
        let name = named(&value["annotator"]);
        native::read_incoming(text, &value).map(|inc| (name, inc))
    } else {
        let creator = &value["creator"];
        let name = named(creator).or_else(|| named(&creator["name"]));
        w3c::read(&value).map(|inc| (name, inc))
    }
}

/// What an import would do, for the preview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    /// Articles in the file.
    pub articles: usize,
    /// Articles the file carries that this app does not have yet (added).
    pub new_articles: usize,
    /// Annotations in the file.
    pub total: usize,
    /// Annotations the merge adds.
    pub new: usize,
    /// Annotations already here (same label, start and end).
    pub duplicates: usize,
    /// Annotations whose article text differs and that were moved to fit.
    pub reanchored: usize,
    /// Annotations that could not be placed: (article, quote). Kept aside.
    pub orphans: Vec<(String, String)>,
    /// Annotations a replace would remove from the articles in the file.
    pub replaced: usize,
    /// Relations in the file.
    pub relations: usize,
    /// Relations the merge adds.
    pub new_relations: usize,
    /// Relations whose end is in neither the file nor this app: (article,
    /// type, the quote it starts from or "?"). Reported, not placed.
    pub unlinked: Vec<(String, &'static str, String)>,
    /// Relations a replace would leave out: their other end is only here,
    /// and a replace removes it.
    pub replace_unlinked: usize,
}

/// A checked import: its preview and the edits for merge and replace.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// What the file holds and would change.
    pub preview: Preview,
    /// Adds the new annotations, keeps everything already here.
    pub merge: Edit,
    /// Makes each article in the file hold exactly the file's annotations.
    pub replace: Edit,
    /// Orphans to keep aside, per article.
    pub orphans: Vec<(String, Annotation)>,
}

/// Adds to `a` the links of `links` it does not have (a claim keeps the
/// source it has); returns how many.
fn add_links(a: &mut Annotation, links: &[crate::relation::Link]) -> usize {
    let mut n = 0;
    for l in links {
        let has = a.links.iter().any(|o| o.kind == l.kind && o.to == l.to);
        let full = l.kind.single() && a.links.iter().any(|o| o.kind == l.kind);
        if !has && !full {
            a.links.push(l.clone());
            n += 1;
        }
    }
    n
}

/// Plans an import of `incoming` into `workspace`: anchors each annotation
/// in the app's text of its article and sorts it into new, duplicate,
/// re-anchored or orphan. `new_id` makes an id for annotations without one.
pub fn plan(
    incoming: Vec<Incoming>,
    catalog: &Catalog,
    workspace: &Workspace,
    mut new_id: impl FnMut() -> String,
) -> Result<Plan, ImportError> {
    let mut preview = Preview::default();
    let mut merge = Vec::new();
    let mut replace = Vec::new();
    let mut orphans = Vec::new();
    let mut added_articles = Vec::new();
    for inc in incoming {
        let carried;
        let article = match (catalog.get(&inc.article), &inc.text) {
            (Some(article), _) => article,
            (None, Some(text)) => {
                carried = Article::parse(&inc.article, text).map_err(|e| {
                    ImportError::BadShape(format!("the text of article {:?}: {e}", inc.article))
                })?;
                preview.new_articles += 1;
                added_articles.push(UserArticle {
                    id: inc.article.clone(),
                    text: carried.text().to_string(),
                });
                &carried
            }
            (None, None) => return Err(ImportError::UnknownArticle(inc.article.clone())),
        };
        preview.articles += 1;
        let existing = workspace.set(article.id()).cloned().unwrap_or_default();
        // Lookups by id and by (label, span): a long article's file holds
        // tens of thousands of annotations, so no scan per annotation.
        let existing_by_id: rustc_hash::FxHashMap<&str, &Annotation> = existing
            .items()
            .iter()
            .map(|a| (a.id.as_str(), a))
            .collect();
        let mut placed: Vec<Annotation> = Vec::new();
        let mut placed_by_id: rustc_hash::FxHashMap<String, usize> = Default::default();
        let mut placed_by_key: rustc_hash::FxHashMap<(crate::label::Label, usize, usize), usize> =
            Default::default();
        let same_text = inc
            .text_sha256
            .as_deref()
            .is_none_or(|h| h == article.text_sha256());
        // Incoming ids that turn out to be another annotation (a duplicate
        // in the file or here): their relations follow.
        let mut same_as: HashMap<String, String> = HashMap::new();
        // Incoming ids whose label and span are already tagged here: a merge
        // points their relations at that annotation.
        let mut same_here: HashMap<String, String> = HashMap::new();
        let mut kept_aside: Vec<Annotation> = Vec::new();
        preview.relations +=
            inc.loose.len() + inc.annotations.iter().map(|a| a.links.len()).sum::<usize>();
        for r in &inc.loose {
            preview
                .unlinked
                .push((article.id().to_string(), r.kind.as_str(), "?".to_string()));
        }
        for mut a in inc.annotations {
            preview.total += 1;
            if a.id.is_empty() {
                a.id = new_id();
            }
            // A quote-less annotation (W3C by position, or a saved state
            // that leaves quotes to the text it carries) found at its
            // position takes the text there; if the file says its text
            // differs from this article's, its position means nothing here
            // and it is kept aside.
            let anchored = if a.quote.is_empty() && !same_text {
                Anchored::Orphan
            } else {
                place(article, &mut a)
            };
            match anchored {
                Anchored::InPlace(_) => {}
                Anchored::Moved(_) => preview.reanchored += 1,
                Anchored::Orphan => {
                    if a.quote.is_empty() && same_text {
                        return Err(ImportError::BadOffsets {
                            article: article.id().to_string(),
                            start: a.start as u64,
                            end: a.end as u64,
                        });
                    }
                    preview
                        .orphans
                        .push((article.id().to_string(), a.quote.clone()));
                    kept_aside.push(a);
                    continue;
                }
            }
            // The first placed with this id or this label and span (each
            // is in the maps once: a second one is a duplicate, not placed).
            let same = [
                placed_by_id.get(&a.id).copied(),
                placed_by_key.get(&(a.label, a.start, a.end)).copied(),
            ]
            .into_iter()
            .flatten()
            .min();
            if let Some(p) = same.and_then(|i| placed.get_mut(i)) {
                preview.duplicates += 1;
                if p.id != a.id {
                    same_as.insert(a.id.clone(), p.id.clone());
                }
                add_links(p, &a.links);
                continue;
            }
            if !existing_by_id.contains_key(a.id.as_str()) {
                if let Some(e) = existing.same_span(a.label, a.start, a.end, "") {
                    same_here.insert(a.id.clone(), e.id.clone());
                }
            }
            placed_by_id.insert(a.id.clone(), placed.len());
            placed_by_key.insert((a.label, a.start, a.end), placed.len());
            placed.push(a);
        }
        // Relations follow their ends to the annotation they turned out to
        // be; one whose end is nowhere is reported and left out.
        let mut ends: HashSet<String> = existing.items().iter().map(|a| a.id.clone()).collect();
        ends.extend(
            workspace
                .orphans_of(article.id())
                .iter()
                .map(|a| a.id.clone()),
        );
        ends.extend(placed.iter().chain(&kept_aside).map(|a| a.id.clone()));
        for a in placed.iter_mut().chain(kept_aside.iter_mut()) {
            let quote = crate::session::shorten(&a.quote);
            a.links.retain_mut(|l| {
                if let Some(id) = same_as.get(&l.to) {
                    l.to = id.clone();
                }
                let here = ends.contains(&l.to);
                if !here {
                    preview.unlinked.push((
                        article.id().to_string(),
                        l.kind.as_str(),
                        quote.clone(),
                    ));
                }
                here
            });
        }
        // Replace keeps only the file's annotations: a relation to one that
        // is only here goes with it, and is counted for the preview.
        let in_file: HashSet<String> = placed
            .iter()
            .chain(&kept_aside)
            .map(|a| a.id.clone())
            .collect();
        orphans.extend(
            kept_aside
                .into_iter()
                .map(|a| (article.id().to_string(), a)),
        );
        let mut replacing = placed.clone();
        for a in &mut replacing {
            let before = a.links.len();
            a.links.retain(|l| in_file.contains(&l.to));
            preview.replace_unlinked += before - a.links.len();
        }
        if !same_here.is_empty() {
            for l in placed.iter_mut().flat_map(|a| a.links.iter_mut()) {
                if let Some(id) = same_here.get(&l.to) {
                    l.to = id.clone();
                }
            }
        }
        // Merge: add what is not here yet (same id: the later edit wins); a
        // duplicate's relations join the annotation already here.
        let mut added = Vec::new();
        let mut removed = Vec::new();
        for a in &placed {
            let same_span = existing.same_span(a.label, a.start, a.end, "");
            match (existing_by_id.get(a.id.as_str()).copied(), same_span) {
                (Some(old), _)
                    if crate::time::later(&a.updated_at, &old.updated_at) && old != a =>
                {
                    preview.new_relations += a
                        .links
                        .iter()
                        .filter(|l| !old.links.iter().any(|o| o.kind == l.kind && o.to == l.to))
                        .count();
                    removed.push(old.clone());
                    added.push(a.clone());
                }
                (Some(old), _) | (None, Some(old)) => {
                    preview.duplicates += 1;
                    let mut joined = old.clone();
                    let n = add_links(&mut joined, &a.links);
                    if n > 0 {
                        preview.new_relations += n;
                        removed.push(old.clone());
                        added.push(joined);
                    }
                }
                (None, None) => {
                    preview.new += 1;
                    preview.new_relations += a.links.len();
                    added.push(a.clone());
                }
            }
        }
        if !added.is_empty() {
            merge.push(Change {
                article: article.id().to_string(),
                removed,
                added,
            });
        }
        preview.replaced += existing.len();
        replace.push(Change {
            article: article.id().to_string(),
            removed: existing.items().to_vec(),
            added: replacing,
        });
    }
    if preview.total == 0 {
        return Err(ImportError::Empty);
    }
    Ok(Plan {
        preview,
        merge: Edit {
            name: "import (merge)".into(),
            changes: merge,
            articles_added: added_articles.clone(),
            ..Edit::default()
        },
        replace: Edit {
            name: "import (replace)".into(),
            changes: replace,
            articles_added: added_articles,
            ..Edit::default()
        },
        orphans,
    })
}
