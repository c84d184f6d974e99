//! Text cut at every span boundary into runs, each with the annotations
//! covering it: what the view renders, instead of wrapping DOM ranges.
//!
//! Lanes: each annotation gets a lane (0, 1, 2…) such that overlapping
//! annotations never share one; the view draws lane `n`'s underline `n` steps
//! below the text, so overlapping and nested spans all stay visible.
//!
//! Invariant: the runs of a range are contiguous, non-empty, in order, and
//! cover the range exactly; every run's covers are the annotations whose span
//! contains the whole run.

use std::collections::HashMap;

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

/// Assigns lanes to every annotation of a set: in text order, each takes the
/// lowest lane free of annotations it overlaps.
pub fn lanes(set: &AnnotationSet) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    // (end, lane) of annotations still open at the current start.
    let mut open: Vec<(usize, usize)> = Vec::new();
    for a in set.items() {
        open.retain(|&(end, _)| end > a.start);
        let mut lane = 0;
        while open.iter().any(|&(_, l)| l == lane) {
            lane += 1;
        }
        open.push((a.end, lane));
        out.insert(a.id.clone(), lane);
    }
    out
}

/// Cuts `text[start..end]` (code points; `text` is the whole article) into runs.
pub fn runs(
    text_of_range: &str,
    start: usize,
    end: usize,
    set: &AnnotationSet,
    lanes: &HashMap<String, usize>,
) -> Vec<Run> {
    let chars: Vec<char> = text_of_range.chars().collect();
    let mut cuts = vec![start, end];
    let inside: Vec<_> = set.overlapping(start, end).collect();
    for a in &inside {
        cuts.push(a.start.clamp(start, end));
        cuts.push(a.end.clamp(start, end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a >= b {
            continue;
        }
        let mut covers: Vec<Cover> = inside
            .iter()
            .filter(|x| x.start <= a && b <= x.end)
            .map(|x| Cover {
                id: x.id.clone(),
                label: x.label,
                lane: lanes.get(&x.id).copied().unwrap_or(0),
            })
            .collect();
        covers.sort_by(|x, y| y.lane.cmp(&x.lane).then(x.id.cmp(&y.id)));
        let from = (a - start).min(chars.len());
        let to = (b - start).min(chars.len());
        out.push(Run {
            start: a,
            end: b,
            text: chars[from..to].iter().collect(),
            covers,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn runs_cut_at_every_boundary_with_lanes() {
        let text = "0123456789";
        let mut set = AnnotationSet::new();
        let s = |a, b| Span::new(a, b, 10).expect("valid");
        set.add(text, Label::Claim, s(1, 8), "outer".into(), "t");
        set.add(text, Label::Entity, s(3, 5), "inner".into(), "t");
        set.add(text, Label::Commitment, s(7, 9), "tail".into(), "t");
        let lanes = lanes(&set);
        assert_eq!(lanes["outer"], 0);
        assert_eq!(lanes["inner"], 1);
        assert_eq!(lanes["tail"], 1);
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
        let r = runs("héllo 😀", 5, 12, &set, &HashMap::new());
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].start, r[0].end, r[0].text.as_str()),
            (5, 12, "héllo 😀")
        );
    }
}
