//! Compare (issue 18): the sides to compare (annotators' files, or the
//! current work), placed on this browser's articles as an import places
//! them, and the report over the articles they share.
//!
//! A file's side is named by its `annotator` (W3C: `creator`), else by the
//! file name; two sides of the same name get " (2)", " (3)" … Articles
//! are matched by id; when a file's `text_sha256` differs from the
//! article's, its annotations are re-anchored by quote and context
//! ([`crate::anchor`]); what cannot be placed is listed, never dropped
//! silently. An article is compared when at least two sides have it; a
//! side without it counts as having marked nothing there (and is listed).

use std::collections::BTreeMap;

use crate::adjudication::{Adjudication, Kind};
use crate::agreement::{compare, Report};
use crate::anchor::{anchor, Anchored};
use crate::annotation::{Annotation, AnnotationSet};
use crate::catalog::Catalog;
use crate::formats::csv::record;
use crate::formats::import::{read_named, ImportError};
use crate::workspace::Workspace;

/// One annotator's work: per article, the annotations placed on this
/// browser's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// Whose work (the file's annotator, else the file name).
    pub name: String,
    /// Where it came from (a file name, or "current work").
    pub source: String,
    /// Article id → its annotations.
    pub sets: BTreeMap<String, AnnotationSet>,
    /// What could not be placed as the file had it.
    pub notes: Vec<Note>,
}

/// Something a side's file held that was moved or could not be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The file's article is not in this browser (import or add it first).
    UnknownArticle(String),
    /// Annotations found again by their quote (the text changed).
    Moved {
        /// Article id.
        article: String,
        /// How many.
        count: usize,
    },
    /// An annotation whose quote is nowhere in the text (left out).
    Unplaced {
        /// Article id.
        article: String,
        /// Its quote.
        quote: String,
    },
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Note::UnknownArticle(id) => write!(
                f,
                "article {id} is not in this browser (import or add it first); left out"
            ),
            Note::Moved { article, count } => write!(
                f,
                "{count} annotation(s) of {article} found again by their text (the text changed)"
            ),
            Note::Unplaced { article, quote } => write!(
                f,
                "“{}” in {article} is nowhere in the text; left out",
                crate::session::shorten(quote)
            ),
        }
    }
}

/// The name "current work" stands for in [`Side::source`].
pub const CURRENT_WORK: &str = "current work";

impl Side {
    /// Reads an annotator's file (native or W3C) and places its
    /// annotations on the catalog's articles.
    pub fn from_file(
        file_name: &str,
        bytes: &[u8],
        catalog: &Catalog,
    ) -> Result<Side, ImportError> {
        let (annotator, incoming) = read_named(bytes)?;
        let mut side = Side {
            name: annotator.unwrap_or_else(|| file_name.to_string()),
            source: file_name.to_string(),
            sets: BTreeMap::new(),
            notes: Vec::new(),
        };
        for inc in incoming {
            let Some(article) = catalog.get(&inc.article) else {
                side.notes.push(Note::UnknownArticle(inc.article));
                continue;
            };
            let mut placed: Vec<Annotation> = Vec::with_capacity(inc.annotations.len());
            let mut moved = 0;
            for mut a in inc.annotations {
                match anchor(article, &a) {
                    Anchored::InPlace(span) => {
                        if a.quote.is_empty() {
                            a.move_to(article, span);
                        }
                    }
                    Anchored::Moved(span) => {
                        a.move_to(article, span);
                        moved += 1;
                    }
                    Anchored::Orphan => {
                        side.notes.push(Note::Unplaced {
                            article: inc.article.clone(),
                            quote: a.quote.clone(),
                        });
                        continue;
                    }
                }
                placed.push(a);
            }
            if moved > 0 {
                side.notes.push(Note::Moved {
                    article: inc.article.clone(),
                    count: moved,
                });
            }
            let set = side.sets.entry(inc.article).or_default();
            let mut all = set.items().to_vec();
            all.extend(placed);
            *set = AnnotationSet::from_checked(all);
        }
        Ok(side)
    }

    /// The current work as a side named `name`: every article the
    /// workspace has an entry for.
    pub fn from_workspace(name: &str, workspace: &Workspace) -> Side {
        Side {
            name: name.to_string(),
            source: CURRENT_WORK.to_string(),
            sets: workspace
                .entries()
                .iter()
                .filter_map(|e| Some((e.id.clone(), workspace.set(&e.id)?.clone())))
                .collect(),
            notes: Vec::new(),
        }
    }
}

/// One article's comparison.
#[derive(Debug, Clone)]
pub struct ArticleComparison {
    /// Article id.
    pub id: String,
    /// Its headline.
    pub title: String,
    /// The figures.
    pub report: Report,
    /// The sides (by index) that had no entry for it.
    pub missing: Vec<usize>,
    /// The sides' sets cut into units (the differences, and what the
    /// adjudication view works on).
    pub units: Adjudication,
}

impl ArticleComparison {
    /// How many units are not all-agree, per kind (in [`Kind::ALL`]
    /// order; the first, all agree, counts agreements).
    pub fn kinds(&self) -> [usize; 5] {
        let mut out = [0; 5];
        for u in self.units.units() {
            if let Some(i) = Kind::ALL.iter().position(|k| *k == u.kind) {
                out[i] += 1;
            }
        }
        out
    }
}

/// The comparison of two or more sides.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The sides' names, in order (unique).
    pub names: Vec<String>,
    /// Articles at least two sides have, in catalog order.
    pub articles: Vec<ArticleComparison>,
    /// Over all of them (`None` when no article is shared).
    pub overall: Option<Report>,
    /// Articles only one side has: (side, article id), left out.
    pub alone: Vec<(usize, String)>,
}

/// Compares the sides over the articles at least two of them have.
pub fn compare_sides(sides: &[Side], catalog: &Catalog) -> Comparison {
    let mut names: Vec<String> = Vec::new();
    for s in sides {
        let mut name = s.name.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{} ({n})", s.name);
            n += 1;
        }
        names.push(name);
    }
    let empty = AnnotationSet::new();
    let mut articles = Vec::new();
    let mut alone = Vec::new();
    for article in catalog.articles() {
        let id = article.id();
        let holders: Vec<usize> = (0..sides.len())
            .filter(|&k| sides[k].sets.contains_key(id))
            .collect();
        match holders.len() {
            0 => continue,
            1 => {
                // The current work is a side of every article; it alone is
                // not worth a line.
                if sides[holders[0]].source != CURRENT_WORK {
                    alone.push((holders[0], id.to_string()));
                }
                continue;
            }
            _ => {}
        }
        let sets: Vec<&AnnotationSet> = sides
            .iter()
            .map(|s| s.sets.get(id).unwrap_or(&empty))
            .collect();
        let pairs: Vec<(&str, &AnnotationSet)> = names
            .iter()
            .map(String::as_str)
            .zip(sets.iter().copied())
            .collect();
        articles.push(ArticleComparison {
            id: id.to_string(),
            title: article.headline().to_string(),
            report: compare(&pairs),
            missing: (0..sides.len()).filter(|k| !holders.contains(k)).collect(),
            units: Adjudication::new(
                names
                    .iter()
                    .cloned()
                    .zip(sets.into_iter().cloned())
                    .collect(),
            ),
        });
    }
    let reports: Vec<&Report> = articles.iter().map(|a| &a.report).collect();
    Comparison {
        overall: Report::overall(&reports),
        names,
        articles,
        alone,
    }
}

impl Comparison {
    /// The report as CSV: `article` (an id, or `all` for the overall
    /// figures, first) then the columns of [`Report::to_csv`].
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        let mut header = vec!["article"];
        header.extend(Report::CSV_HEADER);
        record(&mut out, &header);
        let rows = self
            .overall
            .iter()
            .map(|r| ("all", r))
            .chain(self.articles.iter().map(|a| (a.id.as_str(), &a.report)));
        for (id, report) in rows {
            for row in report.rows() {
                let mut cells = vec![id];
                cells.extend(row.iter().map(String::as_str));
                record(&mut out, &cells);
            }
        }
        out
    }
}
