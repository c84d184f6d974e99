//! Text cut at every span boundary into runs, each with the annotations
//! covering it: what the view renders, instead of wrapping DOM ranges.
//!
//! Lanes: each annotation gets a lane (0, 1, 2…) such that overlapping
//! annotations never share one; the view draws lane `n`'s underline `n` steps
//! below the text, so overlapping and nested spans all stay visible.
//!
//! Invariant: the runs of a range are contiguous, non-empty, in order, and
//! cover the range exactly; every run's covers are the annotations whose span
//! contains the whole run. An annotation's lane depends only on the
//! annotations of its cluster (the chain of overlapping spans it belongs
//! to), so an edit can change lanes only inside the clusters it touches
//! ([`affected`]).

use crate::annotation::AnnotationSet;
use crate::label::Label;

/// One annotation covering a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// Annotation id.
    pub id: String,
    /// Its label.
    pub label: Label,
    /// Its lane (0 is nearest the text).
    pub lane: usize,
}

/// A stretch of text covered by the same annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// First code point (in the article text).
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// The run's text.
    pub text: String,
    /// Covering annotations, highest lane first (outermost element first).
    pub covers: Vec<Cover>,
}

/// Assigns lanes to every annotation of a set, as a vector parallel to
/// [`AnnotationSet::items`]: in text order, each takes the lowest lane free
/// of annotations it overlaps. Integer work only (no allocation per
/// annotation), so it is cheap to redo after every edit.
pub fn lanes(set: &AnnotationSet) -> Vec<usize> {
    let mut out = Vec::with_capacity(set.len());
    // (end, lane) of annotations still open at the current start.
    let mut open: Vec<(usize, usize)> = Vec::new();
    for a in set.items() {
        open.retain(|&(end, _)| end > a.start);
        let mut lane = 0;
        while open.iter().any(|&(_, l)| l == lane) {
            lane += 1;
        }
        open.push((a.end, lane));
        out.push(lane);
    }
    out
}

/// The code-point ranges to redraw after annotations changed at `touched`
/// (the old and new spans of every annotation an edit removed or added):
/// each touched range widened to the clusters of overlapping annotations it
/// meets in `set` (the set after the edit), since lanes can change across a
/// whole cluster. Sorted and merged.
pub fn affected(set: &AnnotationSet, touched: &[(usize, usize)]) -> Vec<(usize, usize)> {
    if touched.is_empty() {
        return Vec::new();
    }
    // Clusters as (start, end): maximal chains of overlapping spans.
    let mut clusters: Vec<(usize, usize)> = Vec::new();
    for a in set.items() {
        match clusters.last_mut() {
            Some(c) if a.start < c.1 => c.1 = c.1.max(a.end),
            _ => clusters.push((a.start, a.end)),
        }
    }
    let mut out: Vec<(usize, usize)> = touched
        .iter()
        .map(|&(s, e)| {
            let (mut lo, mut hi) = (s.min(e), s.max(e));
            // Clusters meeting [lo, hi] (touching counts: cheap and safe).
            let first = clusters.partition_point(|c| c.1 < lo);
            for c in &clusters[first..] {
                if c.0 > hi {
                    break;
                }
                lo = lo.min(c.0);
                hi = hi.max(c.1);
            }
            (lo, hi)
        })
        .collect();
    out.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(out.len());
    for (s, e) in out {
        match merged.last_mut() {
            Some(m) if s <= m.1 => m.1 = m.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Cuts `text_of_range` (the article's code points `start..end`) into runs,
/// with the covering annotations of `set` and their `lanes` (parallel to
/// `set.items()`, see [`lanes`]; a missing lane counts as 0).
pub fn runs(
    text_of_range: &str,
    start: usize,
    end: usize,
    set: &AnnotationSet,
    lanes: &[usize],
) -> Vec<Run> {
    let mut cuts = vec![start, end];
    let inside: Vec<_> = set.overlapping_indexed(start, end).collect();
    for (_, a) in &inside {
        cuts.push(a.start.clamp(start, end));
        cuts.push(a.end.clamp(start, end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    // Byte offset in `text_of_range` of code point `at`, walking forward.
    let mut chars = text_of_range.char_indices();
    let mut byte_at = |cp: usize, from_cp: &mut usize, from_byte: &mut usize| -> usize {
        while *from_cp < cp {
            match chars.next() {
                Some((_, c)) => {
                    *from_byte += c.len_utf8();
                    *from_cp += 1;
                }
                None => break,
            }
        }
        *from_byte
    };
    let (mut cp, mut byte) = (start, 0usize);
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a >= b {
            continue;
        }
        let mut covers: Vec<Cover> = inside
            .iter()
            .filter(|(_, x)| x.start <= a && b <= x.end)
            .map(|(i, x)| Cover {
                id: x.id.clone(),
                label: x.label,
                lane: lanes.get(*i).copied().unwrap_or(0),
            })
            .collect();
        covers.sort_by(|x, y| y.lane.cmp(&x.lane).then(x.id.cmp(&y.id)));
        let from = byte_at(a, &mut cp, &mut byte);
        let to = byte_at(b, &mut cp, &mut byte);
        out.push(Run {
            start: a,
            end: b,
            text: text_of_range.get(from..to).unwrap_or_default().to_string(),
            covers,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AnnotationId, Timestamp};
    use crate::span::Span;

    #[test]
    fn runs_cut_at_every_boundary_with_lanes() {
        let text = "0123456789";
        let mut set = AnnotationSet::new();
        let s = |a, b| Span::new(a, b, 10).expect("valid");
        set.add(
            text,
            Label::Claim,
            s(1, 8),
            AnnotationId::from("outer"),
            &Timestamp::from("t"),
        );
        set.add(
            text,
            Label::Entity,
            s(3, 5),
            AnnotationId::from("inner"),
            &Timestamp::from("t"),
        );
        set.add(
            text,
            Label::Commitment,
            s(7, 9),
            AnnotationId::from("tail"),
            &Timestamp::from("t"),
        );
        let lanes = lanes(&set);
        let lane = |id: &str| lanes[set.items().iter().position(|a| a.id == id).expect("there")];
        assert_eq!(lane("outer"), 0);
        assert_eq!(lane("inner"), 1);
        assert_eq!(lane("tail"), 1);
        // A block from 2 to 10.
        let got: Vec<_> = runs(&text[2..], 2, 10, &set, &lanes)
            .into_iter()
            .map(|r| {
                (
                    r.text,
                    r.covers.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
                )
            })
            .collect();
        let want: Vec<(String, Vec<String>)> = vec![
            ("2".into(), vec!["outer".into()]),
            ("34".into(), vec!["inner".into(), "outer".into()]),
            ("56".into(), vec!["outer".into()]),
            ("7".into(), vec!["tail".into(), "outer".into()]),
            ("8".into(), vec!["tail".into()]),
            ("9".into(), vec![]),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_range_with_no_annotation_is_one_run() {
        let set = AnnotationSet::new();
        let r = runs("héllo 😀", 5, 12, &set, &[]);
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].start, r[0].end, r[0].text.as_str()),
            (5, 12, "héllo 😀")
        );
    }
}
