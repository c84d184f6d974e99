//! The workspace: every article's annotations, as saved and exported.
//!
//! It is built from a native file (the saved state) against the catalog of
//! articles, re-anchoring annotations whose article text changed, and written
//! back as a native file. Entries for articles the catalog does not know are
//! kept untouched, so nothing saved is ever lost by a load/save cycle.
//!
//! Invariants: entries are unique by article id; an entry for a known article
//! holds only annotations that fit its text (others are in `orphans`).

use std::collections::HashSet;

use rustc_hash::FxHashMap;
use serde_json::Map;

use crate::anchor::{anchor, Anchored};
use crate::annotation::{Annotation, AnnotationSet};
use crate::article::Article;
use crate::catalog::Catalog;
use crate::edit::{Change, Edit};
use crate::formats::native::{self, NativeArticle, NativeFile, Tombstone, FORMAT, VERSION};
use crate::journal::{Journal, Touch};
use crate::merge;
use crate::relation::{self, Relation};

/// How many deletions each article remembers for merging.
pub const TOMBSTONE_LIMIT: usize = 1000;

/// One article's annotations and what the file said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Article id.
    pub id: String,
    /// The file's entry, annotations excepted (title, hash, extras, orphans…).
    pub meta: NativeArticle,
    /// The annotations that fit the current text.
    pub set: AnnotationSet,
    /// Whether the article is one the user added, known from the `text`
    /// this entry carries (not a built-in one, not unknown): its saved
    /// state leaves out what loading takes from that text (quotes and
    /// context, hash and length).
    pub text_kept: bool,
}

/// Serialised annotations and entry heads kept between saves (see
/// [`Workspace::to_native_json`]), each under a fingerprint of what it was
/// made from.
#[derive(Debug, Clone, Default)]
pub struct JsonCache {
    /// By entry, then annotation id (an id may repeat in another article's
    /// entry: a file can hold that, and each must keep its own JSON).
    annotations: FxHashMap<String, FxHashMap<String, Cached>>,
    /// Per annotation, the relations it starts, as JSON list items.
    links: FxHashMap<String, FxHashMap<String, Cached>>,
    heads: FxHashMap<String, Cached>,
    /// Bumped on every call; entries not used by the latest call are dropped.
    generation: u64,
    last_len: usize,
    /// Whether the last call wrote ASCII (assumed again by the next one).
    unicode: bool,
}

/// One piece of JSON, as serde writes it and, when that is not ASCII, with
/// `\u` escapes instead.
#[derive(Debug, Clone)]
struct Cached {
    fingerprint: u64,
    json: String,
    escaped: Option<String>,
    sizes: Sizes,
    generation: u64,
}

impl Cached {
    fn new(json: String, fingerprint: u64, generation: u64) -> Cached {
        let escaped = (!json.is_ascii()).then(|| ascii_json(&json));
        let sizes = match &escaped {
            None => Sizes {
                units: json.len(),
                escaped: json.len(),
            },
            Some(e) => Sizes {
                units: json.encode_utf16().count(),
                escaped: e.len(),
            },
        };
        Cached {
            fingerprint,
            json,
            escaped,
            sizes,
            generation,
        }
    }

    fn text(&self, ascii: bool) -> &str {
        match (&self.escaped, ascii) {
            (Some(e), true) => e,
            _ => &self.json,
        }
    }
}

/// Makes sure the cached piece for `id` is current (re-serialised only when
/// its fingerprint changed) and marks it used by this `generation`.
fn refresh(
    map: &mut FxHashMap<String, Cached>,
    generation: u64,
    id: &str,
    fingerprint: u64,
    make: impl FnOnce() -> String,
) {
    match map.get_mut(id) {
        Some(c) if c.fingerprint == fingerprint => c.generation = generation,
        _ => {
            map.insert(id.to_string(), Cached::new(make(), fingerprint, generation));
        }
    }
}

/// The cache of one entry's pieces (made empty on first use; one lookup
/// per entry and save).
fn per_entry<'a>(
    map: &'a mut FxHashMap<String, FxHashMap<String, Cached>>,
    entry: &str,
) -> &'a mut FxHashMap<String, Cached> {
    map.entry(entry.to_string()).or_default()
}

/// The cached piece of annotation `id` in `entry`.
fn cached<'a>(
    map: &'a FxHashMap<String, FxHashMap<String, Cached>>,
    entry: &str,
    id: &str,
) -> Option<&'a Cached> {
    map.get(entry)?.get(id)
}

/// Stored sizes of JSON text: as written (UTF-16 units) and ASCII-escaped.
#[derive(Debug, Clone, Copy, Default)]
struct Sizes {
    units: usize,
    escaped: usize,
}

impl Sizes {
    fn add(&mut self, other: Sizes) {
        self.units += other.units;
        self.escaped += other.escaped;
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// `json` with every non-ASCII character written as a `\uXXXX` escape (the
/// same JSON value: such characters only occur inside strings).
fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

/// Where the items of the empty list `key` go in `json` (compact JSON with
/// `"key":[]` in it): just inside its brackets. The first match is the key:
/// inside a string, its quotes would be escaped.
fn inside_list(json: &str, key: &str) -> usize {
    let marker = format!("{}:[]", json_str(key));
    json.find(&marker)
        .map(|p| p + marker.len() - 1)
        .unwrap_or(json.len())
}

/// Where an entry head's annotations go: just inside its `"annotations":[]`.
fn annotations_at(head: &str) -> usize {
    inside_list(head, "annotations")
}

/// Where an entry head's relations go: just inside the `"relations":[]`
/// that follows its annotations (`after`), if the head has one.
fn relations_at(head: &str, after: usize) -> Option<usize> {
    let marker = "]";
    let rest = head.get(after..)?;
    let key = format!("{marker},\"relations\":[]");
    rest.starts_with(&key).then(|| after + key.len() - 1)
}

/// The annotations and orphans of an entry that start relations, in the
/// order the file lists them (none for an article the app does not know:
/// its file's relations stay in its head).
fn linked_of(e: &Entry) -> Vec<&Annotation> {
    if opaque(e) {
        return Vec::new();
    }
    e.set
        .items()
        .iter()
        .chain(&e.meta.orphans)
        .filter(|a| !a.links.is_empty())
        .collect()
}

/// The ids a relation of an entry may point at (its annotations and orphans).
fn targets_of(e: &Entry) -> HashSet<&str> {
    e.set
        .items()
        .iter()
        .chain(&e.meta.orphans)
        .map(|a| a.id.as_str())
        .collect()
}

/// What an annotation's relations' JSON depends on: its links and whether
/// each one's target is there.
fn links_fingerprint(a: &Annotation, targets: &HashSet<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    a.id.hash(&mut h);
    for l in &a.links {
        (&l.id, l.kind, &l.to, &l.created_at, &l.updated_at).hash(&mut h);
        targets.contains(l.to.as_str()).hash(&mut h);
        if !l.extra.is_empty() {
            serde_json::to_string(&l.extra)
                .unwrap_or_default()
                .hash(&mut h);
        }
    }
    h.finish()
}

/// The annotations an entry saves: its set, or for an article the app does
/// not know, the file's annotations kept untouched.
fn items_of(e: &Entry) -> &[crate::annotation::Annotation] {
    if opaque(e) {
        &e.meta.annotations
    } else {
        e.set.items()
    }
}

/// An entry kept as the file had it (an article the app does not know,
/// nothing placed in it): its annotations and relations are written back
/// untouched. Every other entry writes its set and the set's links, never
/// the file's `relations` (the one rule for `to_native` and the cache).
fn opaque(e: &Entry) -> bool {
    e.set.is_empty() && !e.meta.annotations.is_empty()
}

/// Whether `article` is a user's own article known from `text` (the text its
/// entry carries): its id is a user article's (`user-…`, from the text) and
/// it is exactly that text. Never a built-in article, whose text a later
/// version may change.
fn users_own(article: &Article, text: Option<&str>) -> bool {
    article.id().starts_with("user-") && text == Some(article.text())
}

/// Whether an entry's annotations are saved without quote and context: it
/// carries its article's text (a user's article), from which loading takes
/// them again. An entry kept as the file had it is written as it was.
fn text_kept(e: &Entry) -> bool {
    e.text_kept && e.meta.text.is_some() && !opaque(e)
}

/// What an annotation's JSON depends on, as in the old string key: an edit
/// always moves `updated_at`, so this is enough to spot one.
fn annotation_fingerprint(a: &crate::annotation::Annotation) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (
        &a.updated_at,
        a.label.as_str(),
        a.start,
        a.end,
        a.note.len(),
        a.quote.len(),
    )
        .hash(&mut h);
    h.finish()
}

/// What an entry's head (everything but its annotations) depends on. A
/// user article's text counts by its length: its id is derived from its text.
fn head_fingerprint(meta: &NativeArticle) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (&meta.id, &meta.title, &meta.text_sha256, meta.length).hash(&mut h);
    meta.text.as_ref().map(String::len).hash(&mut h);
    (&meta.added_at, meta.done).hash(&mut h);
    for t in &meta.deleted {
        (&t.id, &t.at).hash(&mut h);
    }
    for o in &meta.orphans {
        (&o.id, &o.updated_at, o.start, o.end).hash(&mut h);
    }
    serde_json::to_string(&meta.extra)
        .unwrap_or_default()
        .hash(&mut h);
    h.finish()
}

/// What loading a native file found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Annotations moved to a new position because the text changed.
    pub moved: usize,
    /// Annotations that could not be placed and are newly kept as orphans
    /// (orphans kept aside earlier that still cannot be placed are not
    /// counted again, so a user is told once).
    pub orphaned: usize,
    /// Articles in the file that the app does not know (kept untouched).
    pub unknown_articles: usize,
}

/// All annotations of all articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workspace {
    pub(crate) entries: Vec<Entry>,
    /// Removed user articles and when (the file's `removed_articles`).
    pub(crate) removed_articles: Vec<Tombstone>,
    /// The file's `annotator`, kept on round trip.
    annotator: Option<String>,
    /// Unknown top-level fields of the file it was loaded from.
    extra: Map<String, serde_json::Value>,
    /// What changed, for views (bookkeeping; not saved, not compared).
    pub(crate) journal: Journal,
}

impl Workspace {
    /// An empty workspace.
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Builds a workspace from a native file, anchoring each annotation in
    /// the catalog's current text.
    pub fn from_native(file: NativeFile, catalog: &Catalog) -> (Workspace, LoadReport) {
        // Articles a user added travel with their text: make them known first.
        let extended = catalog.with_user_articles(
            file.articles
                .iter()
                .filter_map(|a| Some((a.id.as_str(), a.text.as_deref()?))),
        );
        let catalog = &extended;
        let mut report = LoadReport::default();
        let mut ws = Workspace {
            entries: Vec::new(),
            removed_articles: file.removed_articles,
            annotator: file.annotator,
            extra: file.extra,
            journal: Journal::new(),
        };
        for mut meta in file.articles {
            let items = std::mem::take(&mut meta.annotations);
            let Some(article) = catalog.get(&meta.id) else {
                report.unknown_articles += 1;
                meta.annotations = items;
                ws.entries.push(Entry {
                    id: meta.id.clone(),
                    meta,
                    set: AnnotationSet::new(),
                    text_kept: false,
                });
                continue;
            };
            let mut kept = Vec::new();
            let previous_orphans = std::mem::take(&mut meta.orphans);
            let placed = items.len();
            let mut items = items;
            let mut previous_orphans = previous_orphans;
            let relations = std::mem::take(&mut meta.relations);
            if !relations.is_empty() {
                // Relations go into the annotations they start from; one
                // from an annotation that is not there is not kept
                // (FORMAT.md).
                items.append(&mut previous_orphans);
                relation::attach(&mut items, relations);
            }
            for (i, mut a) in items.into_iter().chain(previous_orphans).enumerate() {
                match anchor(article, &a) {
                    Anchored::InPlace(span) => {
                        // The saved state leaves out what the text gives.
                        if a.quote.is_empty() {
                            a.move_to(article, span);
                        }
                        kept.push(a)
                    }
                    Anchored::Moved(span) => {
                        a.move_to(article, span);
                        report.moved += 1;
                        kept.push(a);
                    }
                    Anchored::Orphan => {
                        if i < placed {
                            report.orphaned += 1;
                        }
                        meta.orphans.push(a);
                    }
                }
            }
            meta.describe(article);
            let id = meta.id.clone();
            if let Some(existing) = ws.entries.iter_mut().find(|e| e.id == id) {
                let mut all = existing.set.items().to_vec();
                all.extend(kept);
                existing.set = AnnotationSet::from_checked(all);
                existing.meta.orphans.extend(meta.orphans);
            } else {
                ws.entries.push(Entry {
                    id,
                    text_kept: users_own(article, meta.text.as_deref()),
                    meta,
                    set: AnnotationSet::from_checked(kept),
                });
            }
        }
        (ws, report)
    }

    /// The native file for this workspace.
    pub fn to_native(&self, exported_at: &str) -> NativeFile {
        let articles = self
            .entries
            .iter()
            .map(|e| {
                let mut meta = e.meta.clone();
                if !opaque(e) {
                    meta.annotations = e.set.items().to_vec();
                    meta.relations = native::written_relations(&meta.annotations, &meta.orphans);
                }
                meta
            })
            .collect();
        self.file_with(exported_at, articles)
    }

    /// The native file with this workspace's top-level fields and `articles`.
    fn file_with(&self, exported_at: &str, articles: Vec<NativeArticle>) -> NativeFile {
        NativeFile {
            format: FORMAT.to_string(),
            version: VERSION,
            exported_at: exported_at.to_string(),
            annotator: self.annotator.clone(),
            articles,
            removed_articles: self.removed_articles.clone(),
            extra: self.extra.clone(),
        }
    }

    /// The saved state: the native file as compact JSON, leaving out what
    /// loading derives (see [`crate::annotation::saved_json`]: reading it
    /// back with [`Workspace::from_native`] gives `self.to_native(now)`
    /// again), re-serialising only annotations and entry heads that changed
    /// since the last call with the same `cache` (saving stays cheap on long
    /// articles).
    ///
    /// When it makes the text no larger in the browser's storage (mostly
    /// ASCII: English news with a few curly quotes), every non-ASCII
    /// character is written as a `\u` escape: browsers keep an ASCII string
    /// in one byte per character, and write it to localStorage markedly
    /// faster. Text mostly in other scripts (CJK) is written as is.
    pub fn to_native_json(&self, now: &str, cache: &mut JsonCache) -> String {
        cache.generation += 1;
        let generation = cache.generation;
        // The file without its articles, cut where they go.
        let shell = native::write_compact(&self.file_with(now, Vec::new()));
        let (start, end) = shell.split_at(inside_list(&shell, "articles"));
        let (start, end) = (
            Cached::new(start.to_string(), 0, 0),
            Cached::new(end.to_string(), 0, 0),
        );
        // First every piece is made current (re-serialised only if it
        // changed) and measured; then the file is written in the form the
        // sizes call for.
        let mut sizes = start.sizes;
        sizes.add(end.sizes);
        for e in &self.entries {
            refresh(
                &mut cache.heads,
                generation,
                &e.id,
                head_fingerprint(&e.meta) ^ u64::from(opaque(e)),
                || {
                    let mut meta = e.meta.clone();
                    meta.annotations = Vec::new();
                    if !opaque(e) {
                        meta.relations = Vec::new();
                    }
                    if text_kept(e) {
                        // Derived from the text on loading (`describe`).
                        serde_json::to_string(&native::SavedHead(&meta)).unwrap_or_default()
                    } else {
                        serde_json::to_string(&meta).unwrap_or_default()
                    }
                },
            );
            if let Some(c) = cache.heads.get(&e.id) {
                sizes.add(c.sizes);
            }
            let text_kept = text_kept(e);
            let pieces = per_entry(&mut cache.annotations, &e.id);
            for a in items_of(e) {
                refresh(
                    pieces,
                    generation,
                    &a.id,
                    annotation_fingerprint(a) ^ u64::from(text_kept),
                    || crate::annotation::saved_json(a, text_kept),
                );
                if let Some(c) = pieces.get(&a.id) {
                    sizes.add(c.sizes);
                }
            }
            let linked = linked_of(e);
            if !linked.is_empty() {
                let targets = targets_of(e);
                let pieces = per_entry(&mut cache.links, &e.id);
                for a in linked {
                    refresh(
                        pieces,
                        generation,
                        &a.id,
                        links_fingerprint(a, &targets),
                        || {
                            let one: HashSet<&str> = targets.clone();
                            relation::relations_of([a], &one)
                                .iter()
                                .map(Relation::saved_json)
                                .collect::<Vec<_>>()
                                .join(",")
                        },
                    );
                    if let Some(c) = pieces.get(&a.id) {
                        sizes.add(c.sizes);
                    }
                }
            }
        }
        // An ASCII string takes one byte per character, any other two.
        let ascii = sizes.escaped <= 2 * sizes.units;
        cache.unicode = !ascii;
        let out = self.write_cached(cache, &start, &end, ascii);
        for map in [&mut cache.annotations, &mut cache.links] {
            map.retain(|_, per| {
                per.retain(|_, c| c.generation == generation);
                !per.is_empty()
            });
        }
        cache.heads.retain(|_, c| c.generation == generation);
        cache.last_len = out.len();
        out
    }

    /// The file from the cache alone (every piece must be in it), in the
    /// ASCII-escaped form or not.
    fn write_cached(&self, cache: &JsonCache, start: &Cached, end: &Cached, ascii: bool) -> String {
        let mut out = String::with_capacity(cache.last_len + 64);
        out.push_str(start.text(ascii));
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let head = cache.heads.get(&e.id).map_or("", |c| c.text(ascii));
            let at = annotations_at(head);
            out.push_str(&head[..at]);
            for (k, a) in items_of(e).iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(
                    cached(&cache.annotations, &e.id, &a.id).map_or("", |c| c.text(ascii)),
                );
            }
            let linked = linked_of(e);
            match relations_at(head, at) {
                Some(rel) if !linked.is_empty() => {
                    out.push_str(&head[at..rel]);
                    let mut first = true;
                    for a in linked {
                        let piece =
                            cached(&cache.links, &e.id, &a.id).map_or("", |c| c.text(ascii));
                        if piece.is_empty() {
                            continue;
                        }
                        if !first {
                            out.push(',');
                        }
                        first = false;
                        out.push_str(piece);
                    }
                    out.push_str(&head[rel..]);
                }
                _ => out.push_str(&head[at..]),
            }
        }
        out.push_str(end.text(ascii));
        out
    }

    /// The annotations of an article (empty if it has none).
    pub fn set(&self, article_id: &str) -> Option<&AnnotationSet> {
        self.entries
            .iter()
            .find(|e| e.id == article_id)
            .map(|e| &e.set)
    }

    /// What changed recently (see [`Journal`]).
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The annotations of an article, creating its entry if needed. The
    /// caller may change anything, so the whole article counts as touched.
    pub fn set_mut(&mut self, article: &Article) -> &mut AnnotationSet {
        self.journal
            .record(Touch::Article(article.id().to_string()));
        let i = self.entry_index(article);
        &mut self.entries[i].set
    }

    /// The index of an article's entry, created if needed.
    fn entry_index(&mut self, article: &Article) -> usize {
        match self.entries.iter().position(|e| e.id == article.id()) {
            Some(i) => i,
            None => {
                self.entries.push(Entry {
                    id: article.id().to_string(),
                    meta: NativeArticle::for_article(article),
                    set: AnnotationSet::new(),
                    text_kept: false,
                });
                self.entries.len() - 1
            }
        }
    }

    /// Applies an edit made on articles of `catalog`; added annotations are
    /// stamped `updated_at = now` (so an undo counts as a new edit when tabs
    /// merge) and removed ones leave a tombstone. Changes for articles the
    /// catalog does not know are skipped.
    pub fn apply(&mut self, catalog: &Catalog, edit: &Edit, now: &str) {
        for user in &edit.articles_added {
            if let Ok(article) = Article::parse(&user.id, &user.text) {
                self.set_mut(&article);
                if let Some(entry) = self.entries.iter_mut().find(|e| e.id == user.id) {
                    entry.meta.text = Some(user.text.clone());
                    entry.meta.added_at = Some(now.to_string());
                    entry.text_kept = users_own(&article, entry.meta.text.as_deref());
                }
                self.removed_articles.retain(|t| t.id != user.id);
            }
        }
        let extended;
        let catalog = if edit.articles_added.is_empty() {
            catalog
        } else {
            extended = catalog.with_user_articles(
                edit.articles_added
                    .iter()
                    .map(|u| (u.id.as_str(), u.text.as_str())),
            );
            &extended
        };
        for change in &edit.changes {
            if let Some(article) = catalog.get(&change.article) {
                self.apply_change(article, change, now);
            }
        }
        for mark in &edit.done {
            if let Some(article) = catalog.get(&mark.article) {
                self.set_done(article, mark.after);
            }
        }
        for o in &edit.orphans_out {
            if let Some(entry) = self.entries.iter_mut().find(|e| e.id == o.article) {
                entry.meta.orphans.retain(|x| x.id != o.annotation.id);
            }
        }
        for o in &edit.orphans_in {
            if let Some(article) = catalog.get(&o.article) {
                let i = self.entry_index(article);
                if let Some(entry) = self.entries.get_mut(i) {
                    if entry.meta.orphans.iter().all(|x| x.id != o.annotation.id) {
                        entry.meta.orphans.push(o.annotation.clone());
                    }
                }
            }
        }
        for user in &edit.articles_removed {
            self.journal.record(Touch::Article(user.id.clone()));
            self.entries.retain(|e| e.id != user.id);
            self.removed_articles.retain(|t| t.id != user.id);
            self.removed_articles.push(Tombstone {
                id: user.id.clone(),
                at: now.to_string(),
            });
        }
        let excess = self.removed_articles.len().saturating_sub(TOMBSTONE_LIMIT);
        self.removed_articles.drain(..excess);
    }

    /// Removed user articles and when (the file's `removed_articles`), so
    /// that a merge with another tab does not bring them back.
    pub fn removed_articles(&self) -> &[Tombstone] {
        &self.removed_articles
    }

    /// Articles a user added, as `(id, canonical text)`, in entry order.
    pub fn user_articles(&self) -> Vec<(&str, &str)> {
        self.entries
            .iter()
            .filter_map(|e| Some((e.id.as_str(), e.meta.text.as_deref()?)))
            .collect()
    }

    /// Whether the user marked an article done (the entry's `done` field).
    pub fn is_done(&self, article: &str) -> bool {
        self.entries
            .iter()
            .find(|e| e.id == article)
            .is_some_and(|e| e.meta.done)
    }

    /// Marks an article done or not done.
    pub fn set_done(&mut self, article: &Article, done: bool) {
        let i = self.entry_index(article);
        if let Some(entry) = self.entries.get_mut(i) {
            entry.meta.done = done;
        }
    }

    fn apply_change(&mut self, article: &Article, change: &Change, now: &str) {
        /// Above this many annotations taken out and put in, a change is
        /// applied in one pass.
        const BULK: usize = 64;
        let i = self.entry_index(article);
        for a in change.removed.iter().chain(&change.added) {
            self.journal.record(Touch::Span {
                article: article.id().to_string(),
                start: a.start,
                end: a.end,
            });
        }
        let Some(entry) = self.entries.get_mut(i) else {
            return;
        };
        // A large change in one pass (see `AnnotationSet::replace_many`);
        // a small one item by item (the common edit: a few annotations).
        let added_ids: rustc_hash::FxHashSet<&str> =
            change.added.iter().map(|a| a.id.as_str()).collect();
        if change.removed.len() + change.added.len() > BULK {
            let out: rustc_hash::FxHashSet<&str> =
                change.removed.iter().map(|a| a.id.as_str()).collect();
            let put: Vec<Annotation> = change
                .added
                .iter()
                .map(|a| {
                    let mut a = a.clone();
                    a.updated_at = now.to_string();
                    a
                })
                .collect();
            entry
                .meta
                .deleted
                .retain(|t| !added_ids.contains(t.id.as_str()));
            entry.set.replace_many(&out, put);
        } else {
            for a in &change.removed {
                entry.set.remove(&a.id);
            }
            for a in &change.added {
                let mut a = a.clone();
                a.updated_at = now.to_string();
                entry.meta.deleted.retain(|t| t.id != a.id);
                entry.set.insert(a);
            }
        }
        for a in &change.removed {
            if !added_ids.contains(a.id.as_str()) {
                entry.meta.deleted.retain(|t| t.id != a.id);
                entry.meta.deleted.push(Tombstone {
                    id: a.id.clone(),
                    at: now.to_string(),
                });
            }
        }
        let excess = entry.meta.deleted.len().saturating_sub(TOMBSTONE_LIMIT);
        entry.meta.deleted.drain(..excess);
    }

    /// Merges another copy of the workspace (another tab's) into this one
    /// (see [`merge::merge`]). Returns true if this copy changed.
    pub fn merge_from(&mut self, other: &Workspace) -> bool {
        merge::merge(self, other)
    }

    /// True when both hold the same annotations and deletions (see
    /// [`merge::same_content`]).
    pub fn same_content(&self, other: &Workspace) -> bool {
        merge::same_content(self, other)
    }

    /// The annotations kept aside in an article's entry (orphans: their text
    /// changed beyond re-anchoring), in the order they were kept.
    pub fn orphans_of(&self, article: &str) -> &[crate::annotation::Annotation] {
        self.entries
            .iter()
            .find(|e| e.id == article)
            .map(|e| e.meta.orphans.as_slice())
            .unwrap_or(&[])
    }

    /// Keeps annotations that could not be placed (an import's
    /// orphans) in its entry's `orphans`, so they are saved and never lost.
    pub fn keep_orphans(&mut self, article: &Article, orphans: Vec<crate::annotation::Annotation>) {
        self.entry_index(article);
        if let Some(entry) = self.entries.iter_mut().find(|e| e.id == article.id()) {
            for o in orphans {
                if entry.meta.orphans.iter().all(|x| x.id != o.id) {
                    entry.meta.orphans.push(o);
                }
            }
        }
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Total number of annotations (orphans excluded).
    pub fn count(&self) -> usize {
        self.entries.iter().map(|e| e.set.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::native::{read, write};
    use crate::ids::{AnnotationId, Timestamp};
    use crate::label::Label;
    use crate::span::Span;

    fn catalog(text: &str) -> Catalog {
        Catalog::from_seeds(&[("a", text)]).0
    }

    /// Tags `start..end` of the article with `label` as annotation `id`.
    fn tag(
        ws: &mut Workspace,
        article: &Article,
        label: Label,
        start: usize,
        end: usize,
        id: &str,
    ) {
        let span = Span::new(start, end, article.len()).expect("span");
        ws.set_mut(article).add(
            article.text(),
            label,
            span,
            AnnotationId::from(&id),
            &Timestamp::from("t"),
        );
    }

    #[test]
    fn save_and_load_round_trip_is_exact() {
        let cat = catalog("Sum “x”\nHead 😀 line\n\nBody with Seoul");
        let article = cat.get("a").expect("parsed");
        let mut ws = Workspace::new();
        let len = article.len();
        tag(&mut ws, article, Label::Entity, 27, 32, "u1");
        tag(&mut ws, article, Label::Claim, 8, 12, "u2");
        let json = write(&ws.to_native("now"));
        let (again, report) = Workspace::from_native(read(&json).expect("reads"), &cat);
        assert_eq!(report, LoadReport::default());
        assert_eq!(again.set("a"), ws.set("a"));
        let file = read(&json).expect("reads");
        assert_eq!(file.articles[0].length, len);
        assert_eq!(file.articles[0].title, "Head 😀 line");
        assert_eq!(file.articles[0].annotations[0].quote, "Head");
    }

    #[test]
    fn cached_json_is_exactly_the_compact_native_file() {
        let cat = catalog("Sum “x”\nHead 😀 line\n\nBody with Seoul and Tokyo");
        let article = cat.get("a").expect("parsed");
        let mut ws = Workspace::new();
        let mut cache = JsonCache::default();
        let check = |ws: &Workspace, cache: &mut JsonCache| {
            let fast = ws.to_native_json("now", cache);
            assert!(fast.is_ascii(), "{fast}");
            // From the cache or made afresh: the same text.
            assert_eq!(ws.to_native_json("now", &mut JsonCache::default()), fast);
            // It reads back to the same file (FORMAT.md: saved state).
            let (again, report) = Workspace::from_native(read(&fast).expect("reads"), &cat);
            assert_eq!(report.orphaned + report.moved, 0);
            assert_eq!(again.to_native("now"), ws.to_native("now"));
        };
        check(&ws, &mut cache);
        tag(&mut ws, article, Label::Entity, 27, 32, "u1");
        check(&ws, &mut cache);
        tag(&mut ws, article, Label::Claim, 8, 12, "u2");
        ws.extra
            .insert("future".into(), serde_json::json!({"x": [1, "two"]}));
        check(&ws, &mut cache);
        ws.set_done(article, true);
        ws.set_mut(article).remove("u1");
        check(&ws, &mut cache);
        // A user article added, then removed: `added_at`, then a tombstone.
        let user = crate::edit::UserArticle {
            id: "user-000000000001".into(),
            text: "S\nMine\n\nBody".into(),
        };
        let add = Edit {
            articles_added: vec![user.clone()],
            ..Edit::default()
        };
        ws.apply(&cat, &add, "t1");
        check(&ws, &mut cache);
        // Its annotations are saved without quote and context (the entry
        // carries the text); a built-in article's keep theirs.
        let mine = Article::parse(&user.id, &user.text).expect("parses");
        tag(&mut ws, &mine, Label::Entity, 8, 12, "u3");
        check(&ws, &mut cache);
        let saved: serde_json::Value =
            serde_json::from_str(&ws.to_native_json("now", &mut cache)).expect("JSON");
        let entry = |id: &str| {
            saved["articles"]
                .as_array()
                .and_then(|a| a.iter().find(|e| e["id"] == id))
                .cloned()
                .expect("entry")
        };
        let user_entry = entry(&user.id);
        assert_eq!(user_entry["annotations"][0]["id"], "u3");
        for key in ["quote", "prefix", "suffix", "note", "updated_at"] {
            assert!(user_entry["annotations"][0].get(key).is_none(), "{key}");
        }
        assert!(user_entry.get("text_sha256").is_none());
        assert!(user_entry.get("length").is_none());
        let built_in = entry("a");
        assert_eq!(built_in["annotations"][0]["quote"], "Head");
        assert_eq!(
            built_in["annotations"][0]["suffix"],
            " 😀 line\n\nBody with Seoul and Tok"
        );
        assert!(built_in.get("text_sha256").is_some());
        // The native export writes every field.
        let export = write(&ws.to_native("now"));
        assert!(export.contains(r#""quote": "Body""#), "{export}");
        ws.apply(&cat, &add.inverse(), "t2");
        assert_eq!(ws.removed_articles().len(), 1);
        check(&ws, &mut cache);
        let mut file = ws.to_native("t");
        let mut other = file.articles[0].clone();
        other.id = "gone".into();
        file.articles.push(other);
        let (loaded, _) = Workspace::from_native(file, &cat);
        check(&loaded, &mut cache);
    }

    /// A file may hold the same annotation id in two articles: each keeps
    /// its own annotation through a save and a load (the save cache is kept
    /// per article).
    #[test]
    fn the_same_id_in_two_articles_keeps_both_annotations() {
        let cat = Catalog::from_seeds(&[
            ("a", "S\nH\n\nSeoul met Tokyo"),
            ("b", "S\nH\n\nPlain words"),
        ])
        .0;
        let mut ws = Workspace::new();
        tag(&mut ws, cat.get("a").expect("a"), Label::Entity, 5, 10, "1");
        tag(&mut ws, cat.get("b").expect("b"), Label::Entity, 5, 10, "1");
        let mut cache = JsonCache::default();
        for _ in 0..2 {
            let json = ws.to_native_json("now", &mut cache);
            let (again, report) = Workspace::from_native(read(&json).expect("reads"), &cat);
            assert_eq!(report.orphaned, 0, "{json}");
            assert_eq!(
                again.set("a").map(|s| s.items()[0].quote.clone()),
                Some("Seoul".into())
            );
            assert_eq!(
                again.set("b").map(|s| s.items()[0].quote.clone()),
                Some("Plain".into())
            );
        }
    }

    /// Only a user's own article, known from the text its entry carries,
    /// is saved without what that text gives: an entry for a built-in id
    /// that carries a text, or one whose text is not an article, keeps its
    /// quotes, hash and length.
    #[test]
    fn only_a_users_own_article_leaves_out_what_its_text_gives() {
        let text = "S\nH\n\nSeoul met Tokyo";
        let cat = catalog(text);
        let mut ws = Workspace::new();
        tag(&mut ws, cat.get("a").expect("a"), Label::Entity, 5, 10, "s");
        let mut file = ws.to_native("now");
        file.articles[0].text = Some(text.to_string());
        let mut broken = file.articles[0].clone();
        broken.id = "user-000000000009".into();
        broken.text = Some(String::new());
        broken.annotations = Vec::new();
        broken.done = true;
        file.articles.push(broken);
        let (loaded, _) = Workspace::from_native(file, &cat);
        let json = loaded.to_native_json("now", &mut JsonCache::default());
        let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(value["articles"][0]["annotations"][0]["quote"], "Seoul");
        assert!(value["articles"][1].get("text_sha256").is_some(), "{json}");
        assert!(value["articles"][1].get("length").is_some(), "{json}");
        let (again, _) = Workspace::from_native(read(&json).expect("reads"), &cat);
        assert_eq!(again.to_native("now"), loaded.to_native("now"));
    }

    #[test]
    fn changed_text_moves_or_orphans_and_unknown_articles_are_kept() {
        let old = catalog("S\nH\n\nSeoul met Tokyo");
        let article = old.get("a").expect("parsed");
        let mut ws = Workspace::new();
        tag(&mut ws, article, Label::Entity, 5, 10, "seoul");
        tag(&mut ws, article, Label::Entity, 15, 20, "tokyo");
        let mut file = ws.to_native("now");
        let mut other = file.articles[0].clone();
        other.id = "gone".into();
        file.articles.push(other);
        let json = write(&file);
        let new = catalog("S\nH\n\nToday Seoul met Osaka");
        let (loaded, report) = Workspace::from_native(read(&json).expect("reads"), &new);
        assert_eq!(
            report,
            LoadReport {
                moved: 1,
                orphaned: 1,
                unknown_articles: 1
            }
        );
        let set = loaded.set("a").expect("entry");
        assert_eq!(set.items()[0].quote, "Seoul");
        assert_eq!(set.items()[0].start, 11);
        // Saving again keeps the orphan and the unknown article's annotations.
        let saved = loaded.to_native("later");
        assert_eq!(saved.articles[0].orphans.len(), 1);
        assert_eq!(saved.articles[1].annotations.len(), 2);
        // Loading that again: the orphan is still kept, but is not news.
        let (again, report) = Workspace::from_native(saved, &new);
        assert_eq!(report.orphaned, 0, "an orphan kept earlier is told once");
        assert_eq!(report.moved, 0);
        assert_eq!(again.orphans_of("a").len(), 1);
    }

    #[test]
    fn the_journal_names_what_each_change_touched() {
        use crate::edit::{self, Edit};
        use crate::ids::{AnnotationId, ArticleId, Timestamp};
        use crate::journal::Since;
        let cat = catalog("S\nH\n\nSeoul met Tokyo");
        let article = cat.get("a").expect("parsed");
        let mut ws = Workspace::new();
        let mark = ws.journal().mark();
        let span = Span::new(15, 20, article.len()).expect("span");
        let set = AnnotationSet::new();
        let change = edit::create(
            &set,
            &ArticleId::from("a"),
            article.text(),
            Label::Entity,
            span,
            AnnotationId::from("t"),
            &Timestamp::from("t0"),
        )
        .expect("creates");
        ws.apply(&cat, &Edit::one("tag", change), "t1");
        assert_eq!(ws.journal().since(mark, "a"), Since::Spans(vec![(15, 20)]));
        assert_eq!(ws.journal().since(mark, "b"), Since::Spans(vec![]));
        // Marking done or keeping orphans draws nothing new.
        let mark = ws.journal().mark();
        ws.set_done(article, true);
        assert_eq!(ws.journal().since(mark, "a"), Since::Spans(vec![]));
        // A merge that brings something new: the whole article.
        let mut other = Workspace::new();
        tag(&mut other, article, Label::Claim, 5, 10, "seoul");
        ws.merge_from(&other);
        assert_eq!(ws.journal().since(mark, "a"), Since::Everything);
        // A merge that brings nothing new records nothing.
        let mark = ws.journal().mark();
        assert!(!ws.merge_from(&other));
        assert_eq!(ws.journal().since(mark, "a"), Since::Spans(vec![]));
    }

    #[test]
    fn text_mostly_in_other_scripts_is_saved_unescaped() {
        let body = "東京で両国の大臣が会談し、防衛協力を深めることで合意した。".repeat(8);
        let cat = catalog(&format!(
            "東京の会議\n韓国と日本が防衛協力を深める\n\n{body}"
        ));
        let article = cat.get("a").expect("parsed");
        let mut ws = Workspace::new();
        tag(&mut ws, article, Label::Claim, 22, 200, "long");
        let mut cache = JsonCache::default();
        let json = ws.to_native_json("now", &mut cache);
        let (again, _) = Workspace::from_native(read(&json).expect("reads"), &cat);
        assert_eq!(again.to_native("now"), ws.to_native("now"));
        assert!(!json.is_ascii());
        // And again from the cache.
        assert_eq!(ws.to_native_json("now", &mut cache), json);
    }
}
