//! The catalog: every article the app can show, in list order.
//!
//! Seeds are embedded at build time as `(id, text)` pairs sorted by id (the
//! build script checks each one with [`Article::from_bytes`], so a bad seed
//! fails the build). The catalog parses them again at start-up; a seed that
//! still fails is reported, never shown half-parsed.
//!
//! Invariant: ids are unique; order is the order of insertion.

use crate::article::{Article, ArticleError};

/// The articles the app knows, in list order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    articles: Vec<Article>,
}

/// A seed that could not be parsed, with its id and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    /// The seed's id (file stem).
    pub id: String,
    /// Why it was refused.
    pub error: ArticleError,
}

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "seeds/{}.txt: {}", self.id, self.error)
    }
}

impl Catalog {
    /// Builds the catalog from embedded seeds; returns the articles that
    /// parsed and an error for each that did not.
    pub fn from_seeds(seeds: &[(&str, &str)]) -> (Catalog, Vec<SeedError>) {
        let mut catalog = Catalog::default();
        let mut errors = Vec::new();
        for &(id, text) in seeds {
            match Article::parse(id, text) {
                Ok(article) => {
                    if catalog.get(id).is_none() {
                        catalog.articles.push(article);
                    }
                }
                Err(error) => errors.push(SeedError {
                    id: id.to_string(),
                    error,
                }),
            }
        }
        (catalog, errors)
    }

    /// Adds an article at the end; false (and no change) if its id is taken.
    pub fn add(&mut self, article: Article) -> bool {
        if self.get(article.id()).is_some() {
            return false;
        }
        self.articles.push(article);
        true
    }

    /// This catalog plus articles given as `(id, text)` (a user's, from the
    /// workspace); texts that do not parse or ids already present are skipped.
    pub fn with_user_articles<'a>(
        &self,
        user: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Catalog {
        let mut out = self.clone();
        for (id, text) in user {
            if let Ok(article) = Article::parse(id, text) {
                out.add(article);
            }
        }
        out
    }

    /// The article with exactly this canonical text, if any.
    pub fn find_text(&self, text: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.text() == text)
    }

    /// All articles in list order.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The article with this id, if any.
    pub fn get(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id() == id)
    }

    /// The first article in list order, if any.
    pub fn first(&self) -> Option<&Article> {
        self.articles.first()
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// True when there is no article.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_seeds_are_reported_and_good_ones_kept() {
        let seeds = [
            ("b", "Summary\nHeadline B\n\nBody"),
            ("a", "only one line"),
            ("b", "Summary\nDuplicate\n\nBody"),
        ];
        let (catalog, errors) = Catalog::from_seeds(&seeds);
        assert_eq!(catalog.len(), 1);
        assert_eq!(catalog.first().map(|a| a.headline()), Some("Headline B"));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].id, "a");
        assert_eq!(errors[0].error, ArticleError::NoHeadline);
        assert!(errors[0].to_string().starts_with("seeds/a.txt: "));
    }
}
