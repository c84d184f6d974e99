//! The tagger that learns from the user's annotations
//! (`suggest::model`): trained on the gold annotations of the first half
//! of the seed article, scored on the second half; steps that change
//! nothing but how the work is cut; untrained models and odd input.
//! Last, an ignored test timing steps on the 500,000-character workload W3
//! (`cargo test --release -p annotator-core --test model -- --ignored
//! --nocapture`).

use std::sync::Arc;
use std::time::Instant;

use annotator_core::suggest::model::{Model, Tagging, TrainDoc, Training};
use annotator_core::suggest::score::Scores;
use annotator_core::suggest::{Source, Suggestion};
use annotator_core::{Article, Label};
use serde::Deserialize;

const SEED: &[u8] = include_bytes!("../../seeds/000_6ee9234a710e1662.txt");
const SEED_ID: &str = "000_6ee9234a710e1662";
const GOLD: &str = include_str!("../../tests/data/seed-gold.json");

#[derive(Deserialize)]
struct Gold {
    spans: Vec<GoldSpan>,
}

#[derive(Deserialize)]
struct GoldSpan {
    label: Label,
    start: usize,
    end: usize,
    quote: String,
}

/// The seed's canonical text and its gold spans (quotes checked).
fn seed() -> (Arc<str>, Vec<(usize, usize, Label)>) {
    let article = Article::from_bytes(SEED_ID, SEED).expect("the seed parses");
    let text: Arc<str> = article.text().into();
    let gold: Gold = serde_json::from_str(GOLD).expect("the gold parses");
    let chars: Vec<char> = text.chars().collect();
    let spans = gold
        .spans
        .iter()
        .map(|s| {
            let quote: String = chars[s.start..s.end].iter().collect();
            assert_eq!(quote, s.quote, "gold quote at {}..{}", s.start, s.end);
            (s.start, s.end, s.label)
        })
        .collect();
    (text, spans)
}

fn train(docs: Vec<TrainDoc>, budget: usize) -> (Model, Scores, usize) {
    let mut t = Training::new(docs);
    let mut steps = 1;
    let mut last = 0.0;
    while !t.step(budget) {
        let p = t.progress();
        assert!(p >= last - 1e-6 && p <= 1.0, "progress {last} → {p}");
        last = p;
        steps += 1;
    }
    let (m, s) = t.finish();
    (m, s, steps)
}

fn tag(model: Model, text: &Arc<str>, budget: usize) -> Vec<Suggestion> {
    let mut t = Tagging::new(Arc::new(model), Arc::clone(text));
    while !t.step(budget) {}
    t.finish()
}

fn first_half() -> (Arc<str>, Vec<(usize, usize, Label)>, usize) {
    let (text, spans) = seed();
    let half = text.chars().count() / 2;
    (text, spans, half)
}

#[test]
fn learns_the_first_half_of_the_seed_and_finds_entities_in_the_second() {
    let (text, spans, half) = first_half();
    let train_spans: Vec<_> = spans.iter().copied().filter(|s| s.0 < half).collect();
    let (model, held_out, _) = train(
        vec![TrainDoc {
            text: Arc::clone(&text),
            spans: train_spans,
        }],
        usize::MAX,
    );
    assert!(model.is_trained());
    assert_eq!(
        model.labels_known(),
        vec![Label::Entity, Label::Commitment],
        "one claim in the first half: claims are not predicted"
    );
    println!(
        "held out (every 5th sentence of the first half):\n{}",
        held_out.table()
    );

    let found = tag(model, &text, 2000);
    for s in &found {
        assert_eq!(s.source, Source::Model);
        assert!(s.start < s.end && s.end <= half * 2 + 1);
        assert!((0.0..=1.0).contains(&s.confidence), "{}", s.confidence);
    }
    let shown: Vec<(usize, usize, Label)> = found
        .iter()
        .filter(|s| s.start >= half && s.confidence >= 0.5)
        .map(|s| (s.start, s.end, s.label))
        .collect();
    let reference: Vec<_> = spans.iter().copied().filter(|s| s.0 >= half).collect();
    let scores = Scores::of(&shown, &reference);
    println!("second half (confidence ≥ 0.5):\n{}", scores.table());
    let chars: Vec<char> = text.chars().collect();
    for s in found.iter().filter(|s| s.start >= half) {
        let q: String = chars[s.start..s.end].iter().collect();
        println!("  {:?} {:.2} {q:?}", s.label, s.confidence);
    }
    let entity = scores.of_label(Label::Entity);
    assert!(entity.f1() >= 0.6, "entity F1 {}", entity.f1());
    let quotes: Vec<String> = shown
        .iter()
        .filter(|s| s.2 == Label::Entity)
        .map(|s| chars[s.0..s.1].iter().collect())
        .collect();
    for name in ["Japan", "South Korea", "United States"] {
        assert!(quotes.iter().any(|q| q == name), "{name} in {quotes:?}");
    }
}

#[test]
fn steps_change_nothing_but_how_work_is_cut() {
    let (text, spans, half) = first_half();
    let docs = vec![
        TrainDoc {
            text: Arc::clone(&text),
            spans: spans.iter().copied().filter(|s| s.0 < half).collect(),
        },
        // A second document: entities of the second half only.
        TrainDoc {
            text: Arc::clone(&text),
            spans: spans
                .iter()
                .copied()
                .filter(|s| s.0 >= half && s.2 == Label::Entity)
                .collect(),
        },
    ];
    let (a, sa, steps_a) = train(docs.clone(), 1);
    let (b, sb, steps_b) = train(docs, usize::MAX);
    assert!(steps_a > 50 && steps_b == 1, "{steps_a} {steps_b}");
    assert_eq!(sa, sb);
    assert_eq!(a.features(), b.features());
    let ta = tag(a, &text, 1);
    let tb = tag(b, &text, usize::MAX);
    assert!(!ta.is_empty());
    assert_eq!(ta, tb);
}

#[test]
fn finish_before_the_steps_are_done_does_the_rest() {
    let (text, spans) = seed();
    let docs = vec![TrainDoc {
        text: Arc::clone(&text),
        spans,
    }];
    let (stepped, s1, _) = train(docs.clone(), 7);
    let (at_once, s2) = Training::new(docs).finish();
    assert_eq!(s1, s2);
    println!(
        "held out, all the gold (every 5th sentence):\n{}",
        s1.table()
    );
    let t = Tagging::new(Arc::new(at_once), Arc::clone(&text));
    assert_eq!(t.finish(), tag(stepped, &text, 7));
}

#[test]
fn untrained_and_empty_give_nothing() {
    let text: Arc<str> = "South Korea and Japan met in Seoul.".into();
    assert!(!Model::default().is_trained());
    assert!(tag(Model::default(), &text, 10).is_empty());
    let cases = [
        vec![],
        vec![TrainDoc {
            text: Arc::clone(&text),
            spans: vec![],
        }],
        vec![TrainDoc {
            text: "".into(),
            spans: vec![(0, 5, Label::Entity), (1, 3, Label::Entity)],
        }],
        // One annotation of a label: too few.
        vec![TrainDoc {
            text: Arc::clone(&text),
            spans: vec![(0, 11, Label::Entity)],
        }],
    ];
    for docs in cases {
        let (m, s, _) = train(docs, 3);
        assert!(!m.is_trained());
        assert_eq!(s, Scores::default());
        assert!(tag(m, &text, 3).is_empty());
    }
}

#[test]
fn odd_input_does_not_panic() {
    let texts: Vec<Arc<str>> = vec![
        "".into(),
        " \n\n \r\n".into(),
        "😀😀 Ünï café. 東京と大阪。 ソウル! 😀".into(),
        "x".repeat(5000).into(),
        format!("{}\n{}", "é".repeat(3000), "日本 ".repeat(700)).into(),
        "a.b.c. . . ’s 's ' -- ‑".into(),
        "Japan Japan Japan. Japan. Japan Japan.\nJapan".into(),
    ];
    let mut docs = Vec::new();
    for t in &texts {
        let n = t.chars().count();
        docs.push(TrainDoc {
            text: Arc::clone(t),
            spans: vec![
                (0, 1, Label::Entity),
                (0, 0, Label::Claim),
                (3, 2, Label::Claim),
                (1, n + 10, Label::Claim),
                (n + 5, n + 9, Label::Commitment),
                (usize::MAX - 1, usize::MAX, Label::Entity),
                (0, usize::MAX, Label::Commitment),
                (n / 2, n / 2 + 1, Label::Entity),
                (0, n, Label::Entity),
                (0, n, Label::Entity),
                (2, 4, Label::Commitment),
            ],
        });
    }
    for budget in [1, 100, usize::MAX] {
        let (m, _, _) = train(docs.clone(), budget);
        for t in &texts {
            let n = t.chars().count();
            for s in tag(m.clone(), t, budget) {
                assert!(s.start < s.end && s.end <= n, "{s:?} in {n}");
                assert!((0.0..=1.0).contains(&s.confidence));
            }
        }
    }
}

/// Times steps on W3 (500,000 characters, 5,000 annotations), if the
/// workload is there: the slowest `step(2000)` of training and of tagging.
#[test]
#[ignore]
fn w3_step_timing() {
    let dir = std::path::Path::new("/work/shared/bench/workloads");
    let (Ok(bytes), Ok(json)) = (
        std::fs::read(dir.join("W3.txt")),
        std::fs::read_to_string(dir.join("W3.annotations.json")),
    ) else {
        println!("no W3 workload");
        return;
    };
    let article = Article::from_bytes("W3", &bytes).expect("W3 parses");
    let text: Arc<str> = article.text().into();
    let v: serde_json::Value = serde_json::from_str(&json).expect("W3 annotations parse");
    let spans: Vec<(usize, usize, Label)> = v["articles"][0]["annotations"]
        .as_array()
        .expect("annotations")
        .iter()
        .filter_map(|a| {
            Some((
                a["start"].as_u64()? as usize,
                a["end"].as_u64()? as usize,
                Label::parse(a["label"].as_str()?)?,
            ))
        })
        .collect();
    println!(
        "W3: {} characters, {} annotations",
        text.chars().count(),
        spans.len()
    );
    let started = Instant::now();
    let mut t = Training::new(vec![TrainDoc {
        text: Arc::clone(&text),
        spans,
    }]);
    let mut worst = std::time::Duration::ZERO;
    let mut steps = 0;
    let mut times = Vec::new();
    let mut slow = Vec::new();
    loop {
        let p = t.progress();
        let s = Instant::now();
        let done = t.step(2000);
        let d = s.elapsed();
        slow.push((d, steps, p));
        times.push(d);
        worst = worst.max(d);
        steps += 1;
        if done {
            break;
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    slow.sort_by_key(|b| std::cmp::Reverse(b.0));
    println!(
        "slowest training steps (time, step, progress before): {:?}",
        &slow[..5]
    );
    let (model, scores) = t.finish();
    println!(
        "training: {steps} steps of 2000, median {median:?}, slowest {worst:?}, total {:?}; {model:?}",
        started.elapsed()
    );
    println!("held out:\n{}", scores.table());
    let started = Instant::now();
    let mut g = Tagging::new(Arc::new(model), Arc::clone(&text));
    let mut worst = std::time::Duration::ZERO;
    let mut times = Vec::new();
    let mut slow = Vec::new();
    loop {
        let p = g.progress();
        let s = Instant::now();
        let done = g.step(2000);
        let d = s.elapsed();
        slow.push((d, p));
        times.push(d);
        worst = worst.max(d);
        if done {
            break;
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    slow.sort_by_key(|b| std::cmp::Reverse(b.0));
    println!(
        "slowest tagging steps (time, progress before): {:?}",
        &slow[..5]
    );
    let found = g.finish();
    println!(
        "tagging: {} steps of 2000, median {median:?}, slowest {worst:?}, total {:?}; {} suggestions",
        times.len(),
        started.elapsed(),
        found.len()
    );
}
