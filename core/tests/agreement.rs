//! Agreement between annotators (issue 18, Compare) on the seed article's
//! reference annotation: annotator A is the reference, B differs from it by
//! one label, one boundary, one missing span and one relation, C by other
//! changes (for alpha over three). The figures are asserted here, and the
//! spans and the figures are written to `target/tmp/agreement-fixture.json`
//! for `tests/check_agreement.py`, which recomputes them with the
//! reference Python packages.

use std::collections::HashMap;

use annotator_core::agreement::{compare, Counts, Figure, Scope};
use annotator_core::session::{AnnotationId, Timestamp};
use annotator_core::span::Span;
use annotator_core::{Annotation, AnnotationSet, Label};
use serde_json::{json, Value};

mod common;

use common::{fixture, set_of};

fn counts(matched: usize, only_a: usize, only_b: usize) -> Counts {
    Counts {
        matched,
        only_a,
        only_b,
    }
}

fn opt(v: Option<f64>) -> Value {
    v.map(Value::from).unwrap_or(Value::Null)
}

#[test]
fn the_seed_fixture_finds_exactly_the_differences() {
    let f = fixture();
    let sets: Vec<AnnotationSet> = f
        .sides
        .iter()
        .map(|(_, s, r)| set_of(&f.article, s, r))
        .collect();
    let sides: Vec<(&str, &AnnotationSet)> = f
        .sides
        .iter()
        .zip(&sets)
        .map(|((n, ..), s)| (n.as_str(), s))
        .collect();
    let report = compare(&sides);
    assert_eq!(report.pairs.len(), 3);
    let ab = &report.pairs[0];
    assert_eq!((ab.a, ab.b), (0, 1));
    // One label changed, one boundary moved, one span missing.
    assert_eq!(ab.exact.total, counts(32, 3, 2));
    assert_eq!(ab.exact.of(Label::Entity), counts(25, 3, 1));
    assert_eq!(ab.exact.of(Label::Commitment), counts(4, 0, 1));
    assert_eq!(ab.exact.of(Label::Claim), counts(3, 0, 0));
    // The moved boundary still overlaps; the relabelled span does not agree.
    assert_eq!(ab.overlap.total, counts(33, 2, 1));
    // By position, 34 pairs, one with different labels.
    assert_eq!(ab.label_pairs.len(), 34);
    let differ: Vec<_> = ab.label_pairs.iter().filter(|(x, y)| x != y).collect();
    assert_eq!(differ, vec![&(Label::Entity, Label::Commitment)]);
    // One relation different.
    assert_eq!(ab.relations.1, counts(6, 1, 1));
    assert_eq!(ab.relations.0[0], counts(0, 1, 1));
    let f1 = |c: Counts| c.f1().expect("defined");
    assert!((f1(ab.exact.total) - 64.0 / 69.0).abs() < 1e-12);
    assert!((ab.value(Figure::OverlapF1, Scope::Total).expect("f1") - 66.0 / 69.0).abs() < 1e-12);
    let kappa = ab.kappa.expect("kappa");
    assert!(kappa > 0.9 && kappa < 1.0, "{kappa}");
    let alpha = report.alpha.expect("alpha");
    assert!(alpha > 0.8 && alpha < 1.0, "{alpha}");
    // A's and C's: relabel, moved start, missing, one extra; one link fewer.
    let ac = &report.pairs[1];
    assert_eq!(ac.exact.total, counts(32, 3, 3));
    assert_eq!(ac.overlap.total, counts(33, 2, 2));
    assert_eq!(ac.relations.1, counts(6, 1, 0));
    // Units: every reference span, plus C's extra; s21 and s22 each miss
    // one annotator.
    assert_eq!(report.units.len(), 36);
    let mean = report.mean(Figure::ExactF1, Scope::Total).expect("mean");
    let by_hand: f64 = report
        .pairs
        .iter()
        .map(|p| p.exact.total.f1().expect("f1"))
        .sum::<f64>()
        / 3.0;
    assert!((mean - by_hand).abs() < 1e-12);
    let csv = report.to_csv();
    assert!(csv.starts_with("figure,scope,annotator_a,annotator_b,value,matched,only_a,only_b\n"));
    assert!(
        csv.contains("f1_exact,total,A,B,0.927536,32,3,2\n"),
        "{csv}"
    );
    assert!(csv.contains("krippendorff_alpha,total,all,all,"));
    for figure in Figure::ALL {
        assert!(!figure.explain().is_empty());
    }
    println!("{csv}");

    // The fixture for tests/check_agreement.py.
    let names: Vec<HashMap<usize, &str>> = sets
        .iter()
        .map(|s| {
            s.items()
                .iter()
                .enumerate()
                .map(|(i, a)| (i, a.id.as_str()))
                .collect()
        })
        .collect();
    let annotators: Vec<Value> = f
        .sides
        .iter()
        .zip(&sets)
        .map(|((name, ..), set)| {
            let spans: Vec<Value> = set
                .items()
                .iter()
                .map(|a| json!({"id": a.id, "label": a.label.as_str(), "start": a.start, "end": a.end}))
                .collect();
            let relations: Vec<Value> = set
                .items()
                .iter()
                .flat_map(|a| {
                    a.links
                        .iter()
                        .map(move |l| json!({"from": a.id, "type": l.kind.as_str(), "to": l.to}))
                })
                .collect();
            json!({"name": name, "spans": spans, "relations": relations})
        })
        .collect();
    let pairs: Vec<Value> = report
        .pairs
        .iter()
        .map(|p| {
            let mut figures = serde_json::Map::new();
            for figure in [
                Figure::ExactF1,
                Figure::OverlapF1,
                Figure::Kappa,
                Figure::RelationF1,
            ] {
                let mut by = serde_json::Map::new();
                for scope in Scope::of(figure) {
                    let c = p.counts(figure, scope);
                    by.insert(
                        scope.as_str().into(),
                        json!({
                            "value": opt(p.value(figure, scope)),
                            "counts": c.map(|c| json!([c.matched, c.only_a, c.only_b])),
                        }),
                    );
                }
                figures.insert(figure.as_str().into(), Value::Object(by));
            }
            let matches: Vec<Value> = p
                .position_matches
                .iter()
                .map(|&(x, y)| json!([names[p.a][&x], names[p.b][&y]]))
                .collect();
            json!({"a": p.a, "b": p.b, "figures": figures, "position_matches": matches})
        })
        .collect();
    let units: Vec<Value> = report
        .units
        .iter()
        .map(|u| json!(u.iter().map(|v| v.map(|l| l.as_str())).collect::<Vec<_>>()))
        .collect();
    let mut alpha = serde_json::Map::new();
    for scope in Scope::of(Figure::Alpha) {
        alpha.insert(scope.as_str().into(), opt(report.alpha_of(scope)));
    }
    let out = json!({
        "annotators": annotators,
        "pairs": pairs,
        "units": units,
        "alpha": alpha,
    });
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("agreement-fixture.json");
    std::fs::write(&path, serde_json::to_string_pretty(&out).expect("json"))
        .expect("fixture written");
}

fn s(label: Label, start: usize, end: usize) -> Annotation {
    let text = "x".repeat(100);
    let span = Span::new(start, end, 100).expect("span");
    Annotation::at(
        text.as_str(),
        span,
        label,
        AnnotationId::from(format!("{label:?}{start}-{end}")),
        &Timestamp::from("2026-11-28T09:00:00.000Z"),
    )
}

#[test]
fn overlap_matching_takes_the_largest_overlap_first() {
    // B's 5..15 overlaps A's 0..10 by 5 and A's 8..30 by 7: it goes to
    // 8..30, and A's 0..10 is left for nothing.
    let a = AnnotationSet::from_checked(vec![s(Label::Entity, 0, 10), s(Label::Entity, 8, 30)]);
    let b = AnnotationSet::from_checked(vec![s(Label::Entity, 5, 15)]);
    let r = compare(&[("a", &a), ("b", &b)]);
    assert_eq!(r.pairs[0].overlap.total, counts(1, 1, 0));
    assert_eq!(r.pairs[0].overlap_matches, vec![(1, 0)]);
    // Different labels never match by overlap, but do by position.
    let c = AnnotationSet::from_checked(vec![s(Label::Claim, 0, 10)]);
    let r = compare(&[("a", &a), ("c", &c)]);
    assert_eq!(r.pairs[0].overlap.total, counts(0, 2, 1));
    assert_eq!(r.pairs[0].position_matches, vec![(0, 0)]);
    // One pair, labels differ: kappa 0 (no better than chance).
    assert_eq!(r.pairs[0].kappa, Some(0.0));
    // Only one label used by both: kappa undefined (chance agreement is
    // total), as is alpha.
    let r = compare(&[("a", &a), ("b", &b)]);
    assert_eq!(r.pairs[0].kappa, None);
    assert_eq!(r.alpha, None);
}

#[test]
fn kappa_and_alpha_on_hand_computed_cases() {
    // Four matched spans: labels (E,E), (E,E), (C,C), (C,E).
    // p_o = 3/4; rows E 2, C 2; columns E 3, C 1: p_e = (2·3 + 2·1)/16 = 1/2.
    // kappa = (0.75 − 0.5)/0.5 = 0.5.
    let a = AnnotationSet::from_checked(vec![
        s(Label::Entity, 0, 5),
        s(Label::Entity, 10, 15),
        s(Label::Claim, 20, 25),
        s(Label::Claim, 30, 35),
    ]);
    let b = AnnotationSet::from_checked(vec![
        s(Label::Entity, 0, 5),
        s(Label::Entity, 10, 14),
        s(Label::Claim, 21, 25),
        s(Label::Entity, 30, 35),
    ]);
    let r = compare(&[("a", &a), ("b", &b)]);
    assert!((r.pairs[0].kappa.expect("kappa") - 0.5).abs() < 1e-12);
    // Alpha, two coders, four units: o_EE = 4, o_CC = 2, o_EC = o_CE = 1;
    // n_E = 5, n_C = 3, n = 8: alpha = 1 − 7·2/(2·15) = 8/15.
    assert!((r.alpha.expect("alpha") - 8.0 / 15.0).abs() < 1e-12);
    assert_eq!(r.units.len(), 4);
}

/// Two W3-sized sets (5,000 spans each; the second a perturbed copy):
/// compare must take well under a second natively.
#[test]
#[ignore]
fn w3_compare_timing() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/workloads");
    let Ok(json) = std::fs::read_to_string(dir.join("W3.annotations.json")) else {
        println!("no W3 workload in {}", dir.display());
        return;
    };
    let file = annotator_core::formats::native::read(&json).expect("W3 annotations read");
    let items: Vec<Annotation> = file.articles[0].annotations.clone();
    let a = AnnotationSet::from_checked(items.clone());
    let b: Vec<Annotation> = items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % 17 != 0)
        .map(|(i, mut x)| {
            if i % 7 == 0 {
                x.label = Label::ALL[(i / 7) % 3];
            }
            if i % 5 == 0 && x.end > x.start + 1 {
                x.end -= 1;
            }
            x
        })
        .collect();
    let b = AnnotationSet::from_checked(b);
    let t = std::time::Instant::now();
    let r = compare(&[("a", &a), ("b", &b)]);
    let took = t.elapsed();
    println!(
        "W3 compare: {} and {} spans in {took:?}; exact F1 {:.4}, overlap F1 {:.4}, kappa {:?}, alpha {:?}",
        a.len(),
        b.len(),
        r.pairs[0].exact.total.f1().unwrap_or(0.0),
        r.pairs[0].overlap.total.f1().unwrap_or(0.0),
        r.pairs[0].kappa,
        r.alpha
    );
    assert!(took.as_secs_f64() < 1.0, "{took:?}");
}
