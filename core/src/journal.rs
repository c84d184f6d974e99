//! What changed in a workspace, so a view redraws only that.
//!
//! Every mutation of a [`Workspace`](crate::Workspace) records a [`Touch`]
//! here: the code-point spans an edit removed or added, or a whole article
//! when the change cannot be described by spans (a merge with another tab).
//! A view remembers the [`Mark`] it last drew and asks what changed
//! [`since`](Journal::since) then; when the journal no longer reaches back
//! that far, or belongs to another workspace value, the answer is
//! "everything", so a view can be slow but never stale.
//!
//! The journal is bookkeeping, not content: two journals always compare
//! equal, and a clone starts a fresh history (a new epoch), because the
//! clone and the original can then change apart.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many touches a journal keeps.
const KEEP: usize = 256;

static EPOCHS: AtomicU64 = AtomicU64::new(1);

fn next_epoch() -> u64 {
    EPOCHS.fetch_add(1, Ordering::Relaxed)
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touch {
    /// Annotations of `article` changed within code points `start..end`.
    Span {
        /// Article id.
        article: String,
        /// First code point.
        start: usize,
        /// End (exclusive).
        end: usize,
    },
    /// Anything in this article may have changed.
    Article(String),
}

/// A point in a journal's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    epoch: u64,
    rev: u64,
}

/// What changed in one article since a mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// Only annotations within these code-point spans (possibly none).
    Spans(Vec<(usize, usize)>),
    /// Anything may have changed.
    Everything,
}

/// A bounded log of touches.
#[derive(Debug)]
pub struct Journal {
    epoch: u64,
    rev: u64,
    touches: VecDeque<(u64, Touch)>,
}

impl Journal {
    /// An empty journal with a fresh epoch.
    pub fn new() -> Journal {
        Journal {
            epoch: next_epoch(),
            rev: 0,
            touches: VecDeque::new(),
        }
    }

    /// Now: pass it to [`since`](Self::since) later.
    pub fn mark(&self) -> Mark {
        Mark {
            epoch: self.epoch,
            rev: self.rev,
        }
    }

    /// Records a touch.
    pub fn record(&mut self, touch: Touch) {
        self.rev += 1;
        self.touches.push_back((self.rev, touch));
        if self.touches.len() > KEEP {
            self.touches.pop_front();
        }
    }

    /// What changed in `article` after `mark`.
    pub fn since(&self, mark: Mark, article: &str) -> Since {
        if mark.epoch != self.epoch || mark.rev > self.rev {
            return Since::Everything;
        }
        let oldest = self.touches.front().map_or(self.rev + 1, |(r, _)| *r);
        if mark.rev + 1 < oldest && mark.rev < self.rev {
            return Since::Everything;
        }
        let mut spans = Vec::new();
        for (_, touch) in self.touches.iter().filter(|(r, _)| *r > mark.rev) {
            match touch {
                Touch::Span {
                    article: a,
                    start,
                    end,
                } if a == article => spans.push((*start, *end)),
                Touch::Article(a) if a == article => return Since::Everything,
                _ => {}
            }
        }
        Since::Spans(spans)
    }
}

impl Default for Journal {
    fn default() -> Self {
        Journal::new()
    }
}

impl Clone for Journal {
    /// A fresh history: the clone may change apart from the original.
    fn clone(&self) -> Self {
        Journal::new()
    }
}

impl PartialEq for Journal {
    /// Always equal: the journal is bookkeeping, not content.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(article: &str, start: usize, end: usize) -> Touch {
        Touch::Span {
            article: article.into(),
            start,
            end,
        }
    }

    #[test]
    fn since_lists_the_spans_of_one_article_after_the_mark() {
        let mut j = Journal::new();
        j.record(span("a", 1, 2));
        let mark = j.mark();
        assert_eq!(j.since(mark, "a"), Since::Spans(vec![]));
        j.record(span("a", 3, 4));
        j.record(span("b", 5, 6));
        j.record(span("a", 7, 8));
        assert_eq!(j.since(mark, "a"), Since::Spans(vec![(3, 4), (7, 8)]));
        assert_eq!(j.since(mark, "b"), Since::Spans(vec![(5, 6)]));
        j.record(Touch::Article("b".into()));
        assert_eq!(j.since(mark, "b"), Since::Everything);
        assert_eq!(j.since(mark, "a"), Since::Spans(vec![(3, 4), (7, 8)]));
    }

    #[test]
    fn a_mark_too_old_or_from_another_journal_means_everything() {
        let mut j = Journal::new();
        let mark = j.mark();
        for i in 0..KEEP + 1 {
            j.record(span("a", i, i + 1));
        }
        assert_eq!(j.since(mark, "a"), Since::Everything);
        let recent = j.mark();
        assert_eq!(j.since(recent, "a"), Since::Spans(vec![]));
        let other = j.clone();
        assert_eq!(other.since(recent, "a"), Since::Everything);
        assert_eq!(Journal::new().since(recent, "a"), Since::Everything);
    }
}
