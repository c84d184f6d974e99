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
use std::sync::Arc;

use crate::adjudication::{Adjudication, Kind};
use crate::agreement::{compare_pair, pairs_of, report_of, Pair, Report};
use crate::anchor::{place, Anchored};
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
    /// Article id → its annotations (shared: the adjudication of an
    /// article holds the same sets).
    pub sets: BTreeMap<String, Arc<AnnotationSet>>,
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

/// A file read but not yet placed on the articles (reading and placing are
/// two steps, so an app can let the page breathe between them).
#[derive(Debug, Clone)]
pub struct Unplaced {
    name: String,
    source: String,
    incoming: Vec<crate::formats::import::Incoming>,
}

impl Unplaced {
    /// Reads an annotator's file (native or W3C); refuses it whole as
    /// import does.
    pub fn read(file_name: &str, bytes: &[u8]) -> Result<Unplaced, ImportError> {
        let (annotator, incoming) = read_named(bytes)?;
        Ok(Unplaced {
            name: annotator.unwrap_or_else(|| file_name.to_string()),
            source: file_name.to_string(),
            incoming,
        })
    }

    /// Places the annotations on the catalog's articles.
    pub fn place(self, catalog: &Catalog) -> Side {
        let mut side = Side {
            name: self.name,
            source: self.source,
            sets: BTreeMap::new(),
            notes: Vec::new(),
        };
        for inc in self.incoming {
            let Some(article) = catalog.get(&inc.article) else {
                side.notes.push(Note::UnknownArticle(inc.article));
                continue;
            };
            let mut placed: Vec<Annotation> = Vec::with_capacity(inc.annotations.len());
            let mut moved = 0;
            for mut a in inc.annotations {
                match place(article, &mut a) {
                    Anchored::InPlace(_) => {}
                    Anchored::Moved(_) => moved += 1,
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
            *set = Arc::new(AnnotationSet::from_checked(all));
        }
        side
    }
}

impl Side {
    /// Reads an annotator's file (native or W3C) and places its
    /// annotations on the catalog's articles ([`Unplaced::read`], then
    /// [`Unplaced::place`]).
    pub fn from_file(
        file_name: &str,
        bytes: &[u8],
        catalog: &Catalog,
    ) -> Result<Side, ImportError> {
        Ok(Unplaced::read(file_name, bytes)?.place(catalog))
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
                .filter_map(|e| Some((e.id.clone(), Arc::new(workspace.set(&e.id)?.clone()))))
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
    let mut c = Comparing::new(sides.to_vec(), catalog);
    while c.step() {}
    c.finish()
}

/// A comparison in steps: each [`step`](Comparing::step) computes either
/// one article's figures or its units, so an app can give the page a turn
/// between steps. Stepping to the end gives what [`compare_sides`] gives.
#[derive(Debug)]
pub struct Comparing {
    sides: Vec<Side>,
    names: Vec<String>,
    /// (article id, headline, holders) of the articles to compare.
    todo: Vec<(String, String, Vec<usize>)>,
    next: usize,
    /// The pairs of the article `next` done so far.
    pairs: Vec<Pair>,
    /// The report of the article `next`, made; its units not yet.
    half: Option<Report>,
    articles: Vec<ArticleComparison>,
    alone: Vec<(usize, String)>,
}

impl Comparing {
    /// Names the sides and lists the articles to compare (cheap).
    pub fn new(sides: Vec<Side>, catalog: &Catalog) -> Comparing {
        let mut names: Vec<String> = Vec::new();
        for s in &sides {
            let mut name = s.name.clone();
            let mut n = 2;
            while names.contains(&name) {
                name = format!("{} ({n})", s.name);
                n += 1;
            }
            names.push(name);
        }
        let mut todo = Vec::new();
        let mut alone = Vec::new();
        for article in catalog.articles() {
            let id = article.id();
            let holders: Vec<usize> = (0..sides.len())
                .filter(|&k| sides[k].sets.contains_key(id))
                .collect();
            match holders.len() {
                0 => {}
                1 => {
                    // The current work is a side of every article; it alone
                    // is not worth a line.
                    if sides[holders[0]].source != CURRENT_WORK {
                        alone.push((holders[0], id.to_string()));
                    }
                }
                _ => todo.push((id.to_string(), article.headline().to_string(), holders)),
            }
        }
        Comparing {
            sides,
            names,
            todo,
            next: 0,
            pairs: Vec::new(),
            half: None,
            articles: Vec::new(),
            alone,
        }
    }

    /// How many steps there are in all (per article: one per pair of
    /// sides, one for alpha, one for the units).
    pub fn steps(&self) -> usize {
        let n = self.sides.len();
        (n * n.saturating_sub(1) / 2 + 2) * self.todo.len()
    }

    /// Does the next piece of work; false when there is none left.
    pub fn step(&mut self) -> bool {
        let Some((id, title, holders)) = self.todo.get(self.next) else {
            return false;
        };
        let empty = AnnotationSet::new();
        let sets: Vec<&AnnotationSet> = self
            .sides
            .iter()
            .map(|s| s.sets.get(id).map_or(&empty, |s| &**s))
            .collect();
        let named: Vec<(&str, &AnnotationSet)> = self
            .names
            .iter()
            .map(String::as_str)
            .zip(sets.iter().copied())
            .collect();
        let all_pairs = pairs_of(named.len()).count();
        match self.half.take() {
            None if self.pairs.len() < all_pairs => {
                if let Some((i, j)) = pairs_of(named.len()).nth(self.pairs.len()) {
                    self.pairs.push(compare_pair(&named, i, j));
                }
            }
            None => {
                let pairs = std::mem::take(&mut self.pairs);
                self.half = Some(report_of(&named, pairs));
            }
            Some(report) => {
                let units = Adjudication::new(
                    self.names
                        .iter()
                        .cloned()
                        .zip(
                            self.sides
                                .iter()
                                .map(|s| s.sets.get(id).cloned().unwrap_or_default()),
                        )
                        .collect(),
                );
                self.articles.push(ArticleComparison {
                    id: id.clone(),
                    title: title.clone(),
                    report,
                    missing: (0..self.sides.len())
                        .filter(|k| !holders.contains(k))
                        .collect(),
                    units,
                });
                self.next += 1;
            }
        }
        self.next < self.todo.len()
    }

    /// The comparison (of the articles done so far: all of them once
    /// [`step`](Comparing::step) has returned false).
    pub fn finish(self) -> Comparison {
        let reports: Vec<&Report> = self.articles.iter().map(|a| &a.report).collect();
        Comparison {
            overall: Report::overall(&reports),
            names: self.names,
            articles: self.articles,
            alone: self.alone,
        }
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
