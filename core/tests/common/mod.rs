//! The seed article's reference annotation as three annotators (shared by
//! the agreement and adjudication tests): A is the reference, B differs
//! from it by one label, one boundary, one missing span and one relation,
//! C by other changes.
#![allow(dead_code)]

use annotator_core::relation::{Link, RelationType};
use annotator_core::session::{AnnotationId, Timestamp};
use annotator_core::span::Span;
use annotator_core::suggest::gold::Gold;
use annotator_core::{Annotation, AnnotationSet, Article, Label};

pub const ID: &str = "000_6ee9234a710e1662";
pub const SEED: &[u8] = include_bytes!("../../../seeds/000_6ee9234a710e1662.txt");
pub const GOLD: &str = include_str!("../../../tests/data/seed-gold.json");

/// A span: (key, label, start, end).
pub type Spec = (String, Label, usize, usize);
/// A relation: (from key, type, to key).
pub type Rel = (String, RelationType, String);

pub fn set_of(
    article: &Article,
    spans: &[Spec],
    relations: &[(String, RelationType, String)],
) -> AnnotationSet {
    let now = Timestamp::from("2026-11-28T09:00:00.000Z");
    let mut items: Vec<Annotation> = spans
        .iter()
        .map(|(key, label, s, e)| {
            let span = Span::new(*s, *e, article.len()).expect("span");
            Annotation::at(
                article,
                span,
                *label,
                AnnotationId::from(key.as_str()),
                &now,
            )
        })
        .collect();
    for (n, (from, kind, to)) in relations.iter().enumerate() {
        let a = items
            .iter_mut()
            .find(|a| &a.id == from)
            .expect("relation source");
        a.links.push(Link {
            id: format!("r{n}"),
            kind: *kind,
            to: to.clone(),
            created_at: now.to_string(),
            updated_at: now.to_string(),
            extra: Default::default(),
        });
    }
    AnnotationSet::from_checked(items)
}

pub struct Fixture {
    pub article: Article,
    pub sides: Vec<(String, Vec<Spec>, Vec<Rel>)>,
}

pub fn fixture() -> Fixture {
    let article = Article::from_bytes(ID, SEED).expect("the seed parses");
    let gold = Gold::parse(GOLD).expect("the reference parses");
    let a: Vec<Spec> = gold
        .spans
        .iter()
        .map(|s| (s.key.clone(), s.label, s.start, s.end))
        .collect();
    let rel_a: Vec<(String, RelationType, String)> = gold
        .relations
        .iter()
        .map(|r| {
            (
                r.from.clone(),
                RelationType::parse(&r.kind).expect("relation type"),
                r.to.clone(),
            )
        })
        .collect();
    // B: s20 relabelled, s6 shortened, s21 missing, s31 said by s28
    // instead of s29.
    let mut b = a.clone();
    for s in &mut b {
        match s.0.as_str() {
            "s20" => s.1 = Label::Commitment,
            "s6" => s.3 -= 5,
            _ => {}
        }
    }
    b.retain(|s| s.0 != "s21");
    let mut rel_b = rel_a.clone();
    for r in &mut rel_b {
        if r.0 == "s31" && r.2 == "s29" {
            r.2 = "s28".into();
        }
    }
    // C: s3 relabelled, s27 starts earlier, s22 missing, one span more,
    // one committed_by fewer.
    let mut c = a.clone();
    for s in &mut c {
        match s.0.as_str() {
            "s3" => s.1 = Label::Claim,
            "s27" => s.2 -= 4,
            _ => {}
        }
    }
    c.retain(|s| s.0 != "s22");
    c.push(("x0".into(), Label::Entity, 1000, 1010));
    let rel_c: Vec<_> = rel_a
        .iter()
        .filter(|r| !(r.0 == "s19" && r.2 == "s16"))
        .cloned()
        .collect();
    Fixture {
        article,
        sides: vec![
            ("A".into(), a, rel_a),
            ("B".into(), b, rel_b),
            ("C".into(), c, rel_c),
        ],
    }
}
