//! The workspace: every article's annotations, as saved and exported.
//!
//! It is built from a native file (the saved state) against the catalog of
//! articles, re-anchoring annotations whose article text changed, and written
//! back as a native file. Entries for articles the catalog does not know are
//! kept untouched, so nothing saved is ever lost by a load/save cycle.
//!
//! Invariants: entries are unique by article id; an entry for a known article
//! holds only annotations that fit its text (others are in `orphans`).

use serde_json::Map;

use crate::anchor::{anchor, Anchored};
use crate::annotation::{article_context, AnnotationSet};
use crate::article::Article;
use crate::catalog::Catalog;
use crate::edit::{Change, Edit};
use crate::formats::native::{NativeArticle, NativeFile, Tombstone, FORMAT, VERSION};
use crate::time::compare;

/// How many deletions each article remembers for merging.
pub const TOMBSTONE_LIMIT: usize = 1000;
/// Entry field: when a user's article was (last) added.
const ADDED_AT: &str = "added_at";
/// Top-level field: removed user articles.
const REMOVED_ARTICLES: &str = "removed_articles";

/// One article's annotations and what the file said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Article id.
    pub id: String,
    /// The file's entry, annotations excepted (title, hash, extras, orphans…).
    pub meta: NativeArticle,
    /// The annotations that fit the current text.
    pub set: AnnotationSet,
}

/// Serialised annotations kept between saves (see
/// [`Workspace::to_native_json`]).
#[derive(Debug, Clone, Default)]
pub struct JsonCache {
    map: std::collections::HashMap<String, (String, String)>,
    last_len: usize,
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// What loading a native file found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Annotations moved to a new position because the text changed.
    pub moved: usize,
    /// Annotations that could not be placed (kept as orphans).
    pub orphaned: usize,
    /// Articles in the file that the app does not know (kept untouched).
    pub unknown_articles: usize,
}

/// All annotations of all articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workspace {
    entries: Vec<Entry>,
    /// Unknown top-level fields of the file it was loaded from.
    extra: Map<String, serde_json::Value>,
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
            extra: file.extra,
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
                });
                continue;
            };
            let mut kept = Vec::new();
            let previous_orphans = std::mem::take(&mut meta.orphans);
            for mut a in items.into_iter().chain(previous_orphans) {
                match anchor(article, &a) {
                    Anchored::InPlace(_) => kept.push(a),
                    Anchored::Moved(span) => {
                        let (quote, prefix, suffix) = article_context(article, span);
                        a.start = span.start();
                        a.end = span.end();
                        a.quote = quote;
                        a.prefix = prefix;
                        a.suffix = suffix;
                        report.moved += 1;
                        kept.push(a);
                    }
                    Anchored::Orphan => {
                        report.orphaned += 1;
                        meta.orphans.push(a);
                    }
                }
            }
            refresh_meta(&mut meta, article);
            let id = meta.id.clone();
            if let Some(existing) = ws.entries.iter_mut().find(|e| e.id == id) {
                let mut all = existing.set.items().to_vec();
                all.extend(kept);
                existing.set = AnnotationSet::from_checked(all);
                existing.meta.orphans.extend(meta.orphans);
            } else {
                ws.entries.push(Entry {
                    id,
                    meta,
                    set: AnnotationSet::from_checked(kept),
                });
            }
        }
        (ws, report)
    }

    /// The native file for this workspace.
    pub fn to_native(&self, exported_at: &str) -> NativeFile {
        NativeFile {
            format: FORMAT.to_string(),
            version: VERSION,
            exported_at: exported_at.to_string(),
            articles: self
                .entries
                .iter()
                .map(|e| {
                    let mut meta = e.meta.clone();
                    if !e.set.is_empty() || meta.annotations.is_empty() {
                        meta.annotations = e.set.items().to_vec();
                    }
                    meta
                })
                .collect(),
            extra: self.extra.clone(),
        }
    }

    /// The native file as compact JSON, exactly as
    /// `native::write_compact(&self.to_native(now))` would write it, but
    /// re-serialising only annotations that changed since the last call with
    /// the same `cache` (saving stays cheap on long articles).
    pub fn to_native_json(&self, now: &str, cache: &mut JsonCache) -> String {
        let mut out = String::with_capacity(cache.last_len + 64);
        out.push_str(&format!(
            "{{\"format\":{},\"version\":{VERSION},\"exported_at\":{},\"articles\":[",
            json_str(FORMAT),
            json_str(now)
        ));
        let mut seen = std::collections::HashSet::new();
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let own = !e.set.is_empty() || e.meta.annotations.is_empty();
            let items: &[crate::annotation::Annotation] = if own {
                e.set.items()
            } else {
                &e.meta.annotations
            };
            let mut meta = e.meta.clone();
            meta.annotations = Vec::new();
            let head = serde_json::to_string(&meta).unwrap_or_default();
            let marker = "\"annotations\":[]";
            let at = head
                .find(marker)
                .map(|p| p + marker.len() - 1)
                .unwrap_or(head.len());
            out.push_str(&head[..at]);
            for (k, a) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                seen.insert(a.id.clone());
                let key = format!(
                    "{}|{}|{}|{}|{}|{}",
                    a.updated_at,
                    a.label.as_str(),
                    a.start,
                    a.end,
                    a.note.len(),
                    a.quote.len()
                );
                match cache.map.get(&a.id) {
                    Some((k2, json)) if *k2 == key => out.push_str(json),
                    _ => {
                        let json = serde_json::to_string(a).unwrap_or_default();
                        out.push_str(&json);
                        cache.map.insert(a.id.clone(), (key, json));
                    }
                }
            }
            out.push_str(&head[at..]);
        }
        out.push(']');
        for (k, v) in &self.extra {
            out.push(',');
            out.push_str(&json_str(k));
            out.push(':');
            out.push_str(&serde_json::to_string(v).unwrap_or_else(|_| "null".into()));
        }
        out.push('}');
        cache.map.retain(|id, _| seen.contains(id));
        cache.last_len = out.len();
        out
    }

    /// The annotations of an article (empty if it has none).
    pub fn set(&self, article_id: &str) -> Option<&AnnotationSet> {
        self.entries
            .iter()
            .find(|e| e.id == article_id)
            .map(|e| &e.set)
    }

    /// The annotations of an article, creating its entry if needed.
    pub fn set_mut(&mut self, article: &Article) -> &mut AnnotationSet {
        let i = match self.entries.iter().position(|e| e.id == article.id()) {
            Some(i) => i,
            None => {
                let mut meta = NativeArticle {
                    id: article.id().to_string(),
                    title: String::new(),
                    text_sha256: String::new(),
                    length: 0,
                    annotations: Vec::new(),
                    orphans: Vec::new(),
                    deleted: Vec::new(),
                    text: None,
                    extra: Map::new(),
                };
                refresh_meta(&mut meta, article);
                self.entries.push(Entry {
                    id: article.id().to_string(),
                    meta,
                    set: AnnotationSet::new(),
                });
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].set
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
                    entry.meta.extra.insert(ADDED_AT.into(), now.into());
                }
                let mut removed = self.removed_articles();
                removed.retain(|t| t.id != user.id);
                self.set_removed_articles(removed);
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
        if !edit.articles_removed.is_empty() {
            let mut removed = self.removed_articles();
            for user in &edit.articles_removed {
                self.entries.retain(|e| e.id != user.id);
                removed.retain(|t| t.id != user.id);
                removed.push(Tombstone {
                    id: user.id.clone(),
                    at: now.to_string(),
                });
            }
            let excess = removed.len().saturating_sub(TOMBSTONE_LIMIT);
            removed.drain(..excess);
            self.set_removed_articles(removed);
        }
    }

    /// Removed user articles and when (top-level `removed_articles` field),
    /// so that a merge with another tab does not bring them back.
    pub fn removed_articles(&self) -> Vec<Tombstone> {
        self.extra
            .get(REMOVED_ARTICLES)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    fn set_removed_articles(&mut self, list: Vec<Tombstone>) {
        if list.is_empty() {
            self.extra.remove(REMOVED_ARTICLES);
        } else if let Ok(v) = serde_json::to_value(list) {
            self.extra.insert(REMOVED_ARTICLES.into(), v);
        }
    }

    /// True when a user's article entry was removed after it was (last) added.
    fn removed_later(removed: &[Tombstone], entry: &Entry) -> bool {
        entry.meta.text.is_some()
            && removed.iter().any(|t| {
                let added = entry
                    .meta
                    .extra
                    .get(ADDED_AT)
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("");
                t.id == entry.id && !compare(added, &t.at).is_gt()
            })
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
            .and_then(|e| e.meta.extra.get("done"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }

    /// Marks an article done or not done.
    pub fn set_done(&mut self, article: &Article, done: bool) {
        self.set_mut(article);
        if let Some(entry) = self.entries.iter_mut().find(|e| e.id == article.id()) {
            if done {
                entry
                    .meta
                    .extra
                    .insert("done".into(), serde_json::Value::Bool(true));
            } else {
                entry.meta.extra.remove("done");
            }
        }
    }

    fn apply_change(&mut self, article: &Article, change: &Change, now: &str) {
        self.set_mut(article);
        let Some(entry) = self.entries.iter_mut().find(|e| e.id == article.id()) else {
            return;
        };
        for a in &change.removed {
            entry.set.remove(&a.id);
        }
        for a in &change.added {
            let mut a = a.clone();
            a.updated_at = now.to_string();
            entry.meta.deleted.retain(|t| t.id != a.id);
            entry.set.insert(a);
        }
        for a in &change.removed {
            if change.added.iter().all(|b| b.id != a.id) {
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

    /// Merges another copy of the workspace (another tab's) into this one, by
    /// annotation id: for the same id the later `updated_at` wins, different
    /// ids are both kept, and an annotation deleted later than its last edit
    /// (in either copy) stays deleted. Returns true if this copy changed.
    pub fn merge_from(&mut self, other: &Workspace) -> bool {
        let mut changed = false;
        // Removed articles: the later removal per id wins.
        let mut removed = self.removed_articles();
        for t in other.removed_articles() {
            match removed.iter_mut().find(|o| o.id == t.id) {
                Some(o) if compare(&t.at, &o.at).is_gt() => o.at = t.at,
                Some(_) => {}
                None => removed.push(t),
            }
        }
        if removed != self.removed_articles() {
            self.set_removed_articles(removed.clone());
            changed = true;
        }
        let before = self.entries.len();
        self.entries.retain(|e| !Self::removed_later(&removed, e));
        changed |= self.entries.len() != before;
        for theirs in &other.entries {
            if Self::removed_later(&removed, theirs) {
                continue;
            }
            let Some(ours) = self.entries.iter_mut().find(|e| e.id == theirs.id) else {
                self.entries.push(theirs.clone());
                changed = true;
                continue;
            };
            if ours.meta.text.is_none() {
                ours.meta.text = theirs.meta.text.clone();
            }
            let before = (ours.set.clone(), ours.meta.deleted.clone());
            for t in &theirs.meta.deleted {
                match ours.meta.deleted.iter_mut().find(|o| o.id == t.id) {
                    Some(o) if compare(&t.at, &o.at).is_gt() => o.at = t.at.clone(),
                    Some(_) => {}
                    None => ours.meta.deleted.push(t.clone()),
                }
            }
            let mut items = ours.set.items().to_vec();
            for a in theirs.set.items() {
                match items.iter_mut().find(|b| b.id == a.id) {
                    Some(b) if compare(&a.updated_at, &b.updated_at).is_gt() => *b = a.clone(),
                    Some(_) => {}
                    None => items.push(a.clone()),
                }
            }
            let deleted = &ours.meta.deleted;
            items.retain(|a| {
                deleted
                    .iter()
                    .all(|t| t.id != a.id || compare(&a.updated_at, &t.at).is_gt())
            });
            ours.set = AnnotationSet::from_checked(items);
            for o in &theirs.meta.orphans {
                if ours.meta.orphans.iter().all(|x| x.id != o.id) {
                    ours.meta.orphans.push(o.clone());
                }
            }
            if before != (ours.set.clone(), ours.meta.deleted.clone()) {
                changed = true;
            }
        }
        changed
    }

    /// True when both hold the same annotations and deletions per article
    /// (entry order aside).
    pub fn same_content(&self, other: &Workspace) -> bool {
        self.removed_articles() == other.removed_articles()
            && self.entries.len() == other.entries.len()
            && self.entries.iter().all(|e| {
                other
                    .entries
                    .iter()
                    .any(|o| o.id == e.id && o.set == e.set && o.meta.deleted == e.meta.deleted)
            })
    }

    /// Keeps annotations that could not be placed in an article (an import's
    /// orphans) in its entry's `orphans`, so they are saved and never lost.
    pub fn keep_orphans(&mut self, article: &Article, orphans: Vec<crate::annotation::Annotation>) {
        self.set_mut(article);
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

fn refresh_meta(meta: &mut NativeArticle, article: &Article) {
    meta.title = article.headline().to_string();
    meta.text_sha256 = article.text_sha256();
    meta.length = article.len();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::native::{read, write};
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
        ws.set_mut(article)
            .add(article.text(), label, span, id.into(), "t");
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
            let slow = crate::formats::native::write_compact(&ws.to_native("now"));
            assert_eq!(fast, slow);
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
        let mut file = ws.to_native("t");
        let mut other = file.articles[0].clone();
        other.id = "gone".into();
        file.articles.push(other);
        let (loaded, _) = Workspace::from_native(file, &cat);
        check(&loaded, &mut cache);
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
    }
}
