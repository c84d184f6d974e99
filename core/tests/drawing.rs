//! Properties of what the view draws from (`segments`, the overlap index and
//! the workspace journal), on generated sets and edits: the indexed overlap
//! search finds exactly what a scan finds, and after any edit every
//! annotation whose drawing changed lies inside the ranges `affected` says
//! to redraw.

use annotator_core::ids::{AnnotationId, Timestamp};
use std::collections::HashMap;

use annotator_core::segments::{affected, lanes, runs};
use annotator_core::{AnnotationSet, Label, Span};
use proptest::prelude::*;

const LEN: usize = 400;

fn text() -> String {
    (0..LEN)
        .map(|i| if i % 7 == 6 { ' ' } else { 'a' })
        .collect()
}

fn set_of(spans: &[(usize, usize, u8)]) -> AnnotationSet {
    let text = text();
    let mut set = AnnotationSet::new();
    for (i, &(s, len, l)) in spans.iter().enumerate() {
        let e = (s + len).min(LEN);
        if let Ok(span) = Span::new(s, e, LEN) {
            set.add(
                &text,
                Label::ALL[l as usize % 3],
                span,
                AnnotationId::from(&format!("a{i:03}")),
                &Timestamp::from("t"),
            );
        }
    }
    set
}

fn spans() -> impl Strategy<Value = Vec<(usize, usize, u8)>> {
    prop::collection::vec((0..LEN - 1, 1usize..60, 0u8..3), 0..40)
}

/// Lane and label of every annotation, by id.
fn drawing(set: &AnnotationSet) -> HashMap<String, (usize, usize, Label, usize)> {
    let lanes = lanes(set);
    set.items()
        .iter()
        .zip(lanes)
        .map(|(a, lane)| (a.id.clone(), (a.start, a.end, a.label, lane)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn indexed_overlap_search_matches_a_scan(spans in spans(), s in 0..LEN, len in 0usize..80, drop in 0usize..40) {
        let mut set = set_of(&spans);
        // Removing (possibly the longest) keeps the index right.
        if let Some(id) = set.items().get(drop).map(|a| a.id.clone()) {
            set.remove(&id);
        }
        let e = (s + len).min(LEN);
        let fast: Vec<&str> = set.overlapping(s, e).map(|a| a.id.as_str()).collect();
        let slow: Vec<&str> = set
            .items()
            .iter()
            .filter(|a| a.start < e && s < a.end)
            .map(|a| a.id.as_str())
            .collect();
        prop_assert_eq!(fast, slow);
    }

    #[test]
    fn every_changed_drawing_is_inside_the_affected_ranges(
        spans in spans(),
        remove in 0usize..40,
        add in (0..LEN - 1, 1usize..60, 0u8..3),
    ) {
        let before = set_of(&spans);
        let mut after = before.clone();
        let mut touched = Vec::new();
        if let Some(a) = before.items().get(remove) {
            touched.push((a.start, a.end));
            after.remove(&a.id.clone());
        }
        let e = (add.0 + add.1).min(LEN);
        if let Ok(span) = Span::new(add.0, e, LEN) {
            after.add(&text(), Label::ALL[add.2 as usize % 3], span, AnnotationId::from("new"), &Timestamp::from("t"));
            touched.push((add.0, e));
        }
        let ranges = affected(&after, &touched);
        let inside = |s: usize, e: usize| ranges.iter().any(|&(lo, hi)| lo <= s && e <= hi);
        let (old, new) = (drawing(&before), drawing(&after));
        for (id, d) in &old {
            if new.get(id) != Some(d) {
                prop_assert!(inside(d.0, d.1), "{} changed outside {:?}", id, ranges);
            }
        }
        for (id, d) in &new {
            if old.get(id) != Some(d) {
                prop_assert!(inside(d.0, d.1), "{} changed outside {:?}", id, ranges);
            }
        }
        // And the runs outside the ranges are the same before and after.
        let t = text();
        let (lo, hi) = (0, LEN);
        let outside: Vec<(usize, usize)> = {
            let mut out = Vec::new();
            let mut at = lo;
            for &(s, e) in &ranges {
                if s > at { out.push((at, s)); }
                at = at.max(e);
            }
            if at < hi { out.push((at, hi)); }
            out
        };
        let (lb, la) = (lanes(&before), lanes(&after));
        for (s, e) in outside {
            let piece: String = t.chars().skip(s).take(e - s).collect();
            prop_assert_eq!(runs(&piece, s, e, &before, &lb), runs(&piece, s, e, &after, &la));
        }
    }
}
