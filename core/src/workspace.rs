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
use crate::annotation::{context, AnnotationSet};
use crate::article::Article;
use crate::catalog::Catalog;
use crate::formats::native::{NativeArticle, NativeFile, FORMAT, VERSION};

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
                match anchor(article.text(), &a) {
                    Anchored::InPlace(_) => kept.push(a),
                    Anchored::Moved(span) => {
                        let (quote, prefix, suffix) = context(article.text(), span);
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

    #[test]
    fn save_and_load_round_trip_is_exact() {
        let cat = catalog("Sum “x”\nHead 😀 line\n\nBody with Seoul");
        let article = cat.get("a").expect("parsed");
        let mut ws = Workspace::new();
        let len = article.len();
        ws.set_mut(article).add(
            article.text(),
            Label::Entity,
            Span::new(27, 32, len).expect("ok"),
            "u1".into(),
            "t",
        );
        ws.set_mut(article).add(
            article.text(),
            Label::Claim,
            Span::new(8, 12, len).expect("ok"),
            "u2".into(),
            "t",
        );
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
    fn changed_text_moves_or_orphans_and_unknown_articles_are_kept() {
        let old = catalog("S\nH\n\nSeoul met Tokyo");
        let article = old.get("a").expect("parsed");
        let mut ws = Workspace::new();
        let len = article.len();
        ws.set_mut(article).add(
            article.text(),
            Label::Entity,
            Span::new(5, 10, len).expect("ok"),
            "seoul".into(),
            "t",
        );
        ws.set_mut(article).add(
            article.text(),
            Label::Entity,
            Span::new(15, 20, len).expect("ok"),
            "tokyo".into(),
            "t",
        );
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
