//! Compare and adjudicate (issue 18), walked as a new user would: Ana's
//! work on the seed (the reference spans and relations) is in the browser;
//! she gives her name and exports it; Ben's file differs by one label, one
//! boundary, one missing span and one relation. Compare shows exactly those
//! four differences and the figures the core (checked against the Python
//! reference packages in `./scripts/test`) gives; adjudicating all four by
//! keyboard yields a file equal to the chosen versions, saved and undoable.

use std::collections::BTreeSet;

use annotator_core::agreement::{compare, Figure, Scope};
use annotator_core::formats::export::{export, Doc, Format};
use annotator_core::relation::{Link, RelationType};
use annotator_core::saver::DATA_KEY;
use annotator_core::session::{AnnotationId, Timestamp};
use annotator_core::{Annotation, AnnotationSet, Label, Span};
use serde_json::{json, Value};

use crate::fixtures::{article, SEED};
use crate::linking::gold;
use annotator_test_support::{App, Result};

const CONTROL: &str = "\u{E009}";
const SHIFT: &str = "\u{E008}";
const ESCAPE: &str = "\u{E00C}";

/// A set of the gold spans (ids = keys) with the gold relations, changed by
/// `edit` (spans as (key, label, start, end)) and `relink` (relations as
/// (from, type, to)).
fn set_of(
    edit: impl Fn(&mut Vec<(String, Label, usize, usize)>),
    relink: impl Fn(&mut Vec<(String, RelationType, String)>),
) -> AnnotationSet {
    let g = gold();
    let article = article();
    let now = Timestamp::from("2026-11-28T09:00:00.000Z");
    let mut spans: Vec<(String, Label, usize, usize)> = g["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .map(|s| {
            (
                s["key"].as_str().expect("key").to_string(),
                Label::parse(s["label"].as_str().expect("label")).expect("label"),
                s["start"].as_u64().expect("start") as usize,
                s["end"].as_u64().expect("end") as usize,
            )
        })
        .collect();
    edit(&mut spans);
    let mut rels: Vec<(String, RelationType, String)> = g["relations"]
        .as_array()
        .expect("relations")
        .iter()
        .map(|r| {
            (
                r["from"].as_str().expect("from").to_string(),
                RelationType::parse(r["type"].as_str().expect("type")).expect("type"),
                r["to"].as_str().expect("to").to_string(),
            )
        })
        .collect();
    relink(&mut rels);
    let mut items: Vec<Annotation> = spans
        .iter()
        .map(|(key, label, s, e)| {
            let span = Span::new(*s, *e, article.len()).expect("span");
            Annotation::at(
                &article,
                span,
                *label,
                AnnotationId::from(key.as_str()),
                &now,
            )
        })
        .collect();
    for (n, (from, kind, to)) in rels.iter().enumerate() {
        if let Some(a) = items.iter_mut().find(|a| &a.id == from) {
            a.links.push(Link {
                id: format!("r{n}"),
                kind: *kind,
                to: to.clone(),
                created_at: now.to_string(),
                updated_at: now.to_string(),
                extra: Default::default(),
            });
        }
    }
    AnnotationSet::from_checked(items)
}

/// Ana: the reference.
fn ana() -> AnnotationSet {
    set_of(|_| {}, |_| {})
}

/// Ben: s20 a commitment, s6 five characters shorter, no s21, s31 said by
/// s28 instead of s29.
fn ben() -> AnnotationSet {
    set_of(
        |spans| {
            for s in spans.iter_mut() {
                match s.0.as_str() {
                    "s20" => s.1 = Label::Commitment,
                    "s6" => s.3 -= 5,
                    _ => {}
                }
            }
            spans.retain(|s| s.0 != "s21");
        },
        |rels| {
            for r in rels.iter_mut() {
                if r.0 == "s31" && r.2 == "s29" {
                    r.2 = "s28".into();
                }
            }
        },
    )
}

fn native_file(set: &AnnotationSet, annotator: Option<&str>) -> Vec<u8> {
    let article = article();
    export(
        &[Doc {
            article: &article,
            annotations: set.items().to_vec(),
            meta: None,
            carries_text: false,
        }],
        Format::Native,
        "2026-11-28T09:00:00.000Z",
        annotator,
    )
}

/// (label, start, end) of each annotation and (type, from span, to span) of
/// each relation of a native file's (or saved state's) seed entry.
type Shape = (
    BTreeSet<(String, u64, u64)>,
    BTreeSet<(String, (u64, u64), (u64, u64))>,
);

fn shape_of_file(file: &Value) -> Shape {
    let entry = file["articles"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["id"] == SEED)
        .cloned()
        .unwrap_or(Value::Null);
    let anns = entry["annotations"].as_array().cloned().unwrap_or_default();
    let span_of = |id: &Value| {
        anns.iter()
            .find(|a| a["id"] == *id)
            .map(|a| {
                (
                    a["start"].as_u64().unwrap_or(0),
                    a["end"].as_u64().unwrap_or(0),
                )
            })
            .unwrap_or((0, 0))
    };
    let spans = anns
        .iter()
        .map(|a| {
            (
                a["label"].as_str().unwrap_or_default().to_string(),
                a["start"].as_u64().unwrap_or(0),
                a["end"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let relations = entry["relations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["type"].as_str().unwrap_or_default().to_string(),
                span_of(&r["from"]),
                span_of(&r["to"]),
            )
        })
        .collect();
    (spans, relations)
}

fn shape_of_set(set: &AnnotationSet) -> Shape {
    let spans = set
        .items()
        .iter()
        .map(|a| (a.label.as_str().to_string(), a.start as u64, a.end as u64))
        .collect();
    let mut relations = BTreeSet::new();
    for a in set.items() {
        for l in &a.links {
            let t = set.get(&l.to).expect("target");
            relations.insert((
                l.kind.as_str().to_string(),
                (a.start as u64, a.end as u64),
                (t.start as u64, t.end as u64),
            ));
        }
    }
    (spans, relations)
}

async fn press(app: &App, keys: &str) -> Result<()> {
    app.client.active_element().await?.send_keys(keys).await?;
    Ok(())
}

async fn remaining(app: &App) -> Result<Value> {
    app.js("return document.querySelector('.adj-summary')?.dataset.remaining ?? null")
        .await
}

#[tokio::test]
async fn compare_two_annotators_and_adjudicate_their_differences_by_keyboard() -> Result<()> {
    let app = App::start().await?;
    app.open("/").await?;
    // Ana's work is in the browser.
    app.js(&format!(
        "localStorage.setItem('{DATA_KEY}', {}); return 0;",
        json!(String::from_utf8(native_file(&ana(), None))?)
    ))
    .await?;
    app.reload().await?;
    app.until(
        "annotations drawn",
        "document.querySelectorAll('article [data-ann]').length > 30",
    )
    .await?;

    // She gives her name in the Export panel and exports this article.
    app.click(".export-button").await?;
    app.keys(".your-name input", "Ana").await?;
    app.click(".popover .hint").await?; // the field loses focus: saved
    app.click(".popover .download").await?;
    let exported = app.download(SEED, "json").await?;
    let exported_bytes = std::fs::read(&exported)?;
    let file: Value = serde_json::from_slice(&exported_bytes)?;
    assert_eq!(file["annotator"], "Ana", "the native export names her");
    assert_eq!(shape_of_file(&file), shape_of_set(&ana()));
    // The name is remembered.
    app.reload().await?;
    app.wait_for(".app").await?;
    app.click(".export-button").await?;
    assert_eq!(
        app.js("return document.querySelector('.your-name input').value")
            .await?,
        "Ana"
    );
    app.click(".export-button").await?;

    // Compare her file with Ben's.
    app.click(".compare-button").await?;
    app.wait_for(".compare-dialog").await?;
    app.choose_file("input.compare-file", "ana.json", &exported_bytes)
        .await?;
    app.until(
        "Ana's side",
        "document.querySelectorAll('.compare-dialog .side').length === 1",
    )
    .await?;
    app.choose_file(
        "input.compare-file",
        "ben.json",
        &native_file(&ben(), Some("Ben")),
    )
    .await?;
    app.until(
        "Ben's side",
        "document.querySelectorAll('.compare-dialog .side').length === 2",
    )
    .await?;
    assert_eq!(app.texts(".side-name").await?, ["Ana", "Ben"]);
    app.click("button.run-compare").await?;
    app.wait_for(".compare-report").await?;

    // The figures are the core's (themselves checked against nervaluate,
    // scikit-learn and krippendorff).
    let (a, b) = (ana(), ben());
    let report = compare(&[("Ana", &a), ("Ben", &b)]);
    let cell = |figure: &str| {
        format!(
            "return [...document.querySelectorAll('.compare-report > .table-scroll')][0]
                .querySelector('tr[data-scope=total] td[data-figure={figure}]')?.textContent ?? null"
        )
    };
    let shown = app.js(&cell("f1_exact")).await?;
    assert_eq!(
        shown, "0.92832 matched, 3 only Ana, 2 only Ben",
        "exact F1 and its counts"
    );
    for figure in [
        Figure::OverlapF1,
        Figure::Kappa,
        Figure::RelationF1,
        Figure::Alpha,
    ] {
        let want = match figure {
            Figure::Alpha => report.alpha,
            f => report.pairs[0].value(f, Scope::Total),
        }
        .map(|v| format!("{v:.3}"))
        .expect("defined");
        let got = app.js(&cell(figure.as_str())).await?;
        assert!(
            got.as_str().is_some_and(|g| g.starts_with(&want)),
            "{}: {got} (want {want})",
            figure.as_str()
        );
    }
    // Exactly the four differences.
    let kinds = app
        .js("return [...document.querySelectorAll('.differences > li')].map(li => li.dataset.kind)")
        .await?;
    assert_eq!(kinds, json!(["boundary", "label", "partial", "links"]));
    let differences = app.texts(".differences > li").await?;
    assert!(
        differences[0].contains("Ana: entity “United States” (328–341)"),
        "{}",
        differences[0]
    );
    assert!(
        differences[0].contains("Ben: entity “United S” (328–336)"),
        "{}",
        differences[0]
    );
    assert!(
        differences[1].contains("Ben: commitment “United States”"),
        "{}",
        differences[1]
    );
    assert!(
        differences[2].contains("Ben: nothing"),
        "{}",
        differences[2]
    );
    assert!(
        differences[3].contains("said by “Yonhap News Agency”"),
        "{}",
        differences[3]
    );
    // The report downloads as CSV.
    app.click("button.download-report").await?;
    let csv = std::fs::read_to_string(app.download("agreement-", "csv").await?)?;
    assert!(
        csv.contains("\nall,f1_exact,total,Ana,Ben,0.927536,32,3,2\n"),
        "{csv}"
    );
    app.screenshot("compare-report").await?;

    // Adjudicate: her own annotations are not a side (she compares her
    // file), so the report asks before replacing them.
    app.click("button.adjudicate").await?;
    let warning = app.text(".confirm-adjudicate").await?;
    assert!(warning.contains("35 annotation(s) of yours"), "{warning}");
    app.click("button.replace-and-adjudicate").await?;
    // The view opens on the first disagreement, focus in it.
    app.wait_for(".adjudication").await?;
    app.until(
        "focus in the view",
        "document.activeElement?.closest('.adjudication') !== null",
    )
    .await?;
    assert_eq!(remaining(&app).await?, "4");
    assert_eq!(
        app.js("return document.querySelectorAll('.adj-run.kind-partial').length > 0")
            .await?,
        true
    );
    // Ana's boundary, Ben's label, Ben's nothing, Ben's source: the card
    // moves on by itself after each choice.
    for (key, left, kind) in [
        ("1", "3", "boundary"),
        ("2", "2", "label"),
        ("2", "1", "partial"),
        ("2", "0", "links"),
    ] {
        assert_eq!(
            app.js("return document.querySelector('.adj-card').dataset.kind")
                .await?,
            kind
        );
        press(&app, key).await?;
        app.until(
            "the choice",
            &format!("document.querySelector('.adj-summary')?.dataset.remaining === '{left}'"),
        )
        .await?;
    }
    app.screenshot("adjudication-done").await?;
    // Ctrl+Z takes the last choice back, then the one before (Ben's
    // "nothing", which changed no annotation, is a step too), and that
    // place becomes the current one; Ctrl+Shift+Z brings both again.
    press(&app, &format!("{CONTROL}z{CONTROL}")).await?;
    app.until(
        "undo",
        "document.querySelector('.adj-summary')?.dataset.remaining === '1'",
    )
    .await?;
    press(&app, &format!("{CONTROL}z{CONTROL}")).await?;
    app.until(
        "undo of nothing",
        "document.querySelector('.adj-summary')?.dataset.remaining === '2' && document.querySelector('.adj-card')?.dataset.kind === 'partial'",
    )
    .await?;
    for left in ["1", "0"] {
        press(&app, &format!("{CONTROL}{SHIFT}z{SHIFT}{CONTROL}")).await?;
        app.until(
            "redo",
            &format!("document.querySelector('.adj-summary')?.dataset.remaining === '{left}'"),
        )
        .await?;
    }

    // The export is the chosen versions, as "adjudicated".
    let mut expected: Vec<Annotation> = a.items().to_vec();
    expected.retain(|x| ![1221, 1388, 1986].contains(&x.start));
    for start in [1221, 1986] {
        expected.push(
            b.items()
                .iter()
                .find(|x| x.start == start)
                .expect("ben")
                .clone(),
        );
    }
    let expected = AnnotationSet::from_checked(expected);
    app.click("button.export-adjudicated").await?;
    let path = app.download(&format!("{SEED}-adjudicated"), "json").await?;
    let file: Value = serde_json::from_slice(&std::fs::read(path)?)?;
    assert_eq!(file["annotator"], "adjudicated");
    assert_eq!(shape_of_file(&file), shape_of_set(&expected));

    // Undoing every choice and then the start ends the adjudication: the
    // article holds Ana's work again; redo brings the curated result back.
    let saved_shape = || async {
        let raw = app.stored(DATA_KEY).await?.ok_or("nothing saved")?;
        Result::Ok(shape_of_file(&serde_json::from_str(&raw)?))
    };
    for _ in 0..5 {
        press(&app, &format!("{CONTROL}z{CONTROL}")).await?;
    }
    // (four choices and the start)
    app.until(
        "the article again",
        "document.querySelector('.adjudication') === null && document.querySelector('article') !== null",
    )
    .await?;
    assert_eq!(saved_shape().await?, shape_of_set(&a));
    for _ in 0..5 {
        press(&app, &format!("{CONTROL}{SHIFT}z{SHIFT}{CONTROL}")).await?;
    }
    app.until(
        "redone",
        "document.querySelectorAll('article [data-ann]').length > 0",
    )
    .await?;
    app.saved().await?;
    assert_eq!(saved_shape().await?, shape_of_set(&expected));

    // Adjudicating again, then Esc: back to the article, which holds the
    // curated result, saved.
    app.click(".compare-button").await?;
    app.click("button.adjudicate").await?;
    app.click("button.replace-and-adjudicate").await?;
    app.wait_for(".adjudication").await?;
    assert_eq!(remaining(&app).await?, "4");
    for key in ["1", "2", "2", "2"] {
        press(&app, key).await?;
    }
    app.until(
        "all decided",
        "document.querySelector('.adj-summary')?.dataset.remaining === '0'",
    )
    .await?;
    press(&app, ESCAPE).await?;
    app.until(
        "the article",
        "document.querySelector('.adjudication') === null && document.querySelector('article') !== null",
    )
    .await?;
    assert_eq!(saved_shape().await?, shape_of_set(&expected));
    app.finish().await
}

#[tokio::test]
async fn on_a_phone_her_own_work_against_a_file_adjudicates_in_view() -> Result<()> {
    let app = App::start().await?;
    app.phone().await?;
    app.open("/").await?;
    app.js(&format!(
        "localStorage.setItem('{DATA_KEY}', {}); return 0;",
        json!(String::from_utf8(native_file(&ana(), None))?)
    ))
    .await?;
    app.reload().await?;
    app.until(
        "annotations drawn",
        "document.querySelectorAll('article [data-ann]').length > 30",
    )
    .await?;
    // Her current work (unnamed: "My work") against Ben's file.
    app.click(".compare-button").await?;
    app.click(".include-mine input").await?;
    app.choose_file(
        "input.compare-file",
        "ben.json",
        &native_file(&ben(), Some("Ben")),
    )
    .await?;
    app.until(
        "Ben's side",
        "document.querySelectorAll('.compare-dialog .side').length === 2",
    )
    .await?;
    app.click("button.run-compare").await?;
    app.wait_for(".compare-report").await?;
    let sideways =
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth";
    assert_eq!(app.js(sideways).await?, 0, "the report fits 390 px");
    let kinds = app
        .js("return [...document.querySelectorAll('.differences > li')].map(li => li.dataset.kind)")
        .await?;
    assert_eq!(kinds, json!(["boundary", "label", "partial", "links"]));
    // Her work is a side: no question before adjudicating.
    app.click("button.adjudicate").await?;
    app.wait_for(".adjudication").await?;
    assert_eq!(
        app.js("return document.querySelector('.confirm-adjudicate') === null")
            .await?,
        true
    );
    let card_on_screen = "(() => { const r = document.querySelector('.adj-card').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight && r.right <= innerWidth; })()";
    app.until("the card on screen", card_on_screen).await?;
    assert_eq!(app.js(sideways).await?, 0, "the view fits 390 px");
    assert_eq!(
        app.texts(".adj-card button.take").await?.len(),
        2,
        "one button per side"
    );
    assert!(app.text(".adj-card").await?.contains("My work"));
    // Tapping the buttons works as the keys do.
    // The choices are on screen, above the bottom bars, as a person sees
    // them before tapping.
    let takes_visible = "(() => { const bar = document.querySelector('.status-bar').getBoundingClientRect().top; \
         return [...document.querySelectorAll('.adj-card button.take')].every(b => { const r = b.getBoundingClientRect(); return r.top >= 0 && r.bottom <= bar; }); })()";
    app.until("the choices on screen", takes_visible).await?;
    app.click(".adj-card button.take[data-k='2']").await?;
    app.until(
        "one decided",
        "document.querySelector('.adj-summary')?.dataset.remaining === '3'",
    )
    .await?;
    app.until("the card still on screen", card_on_screen)
        .await?;
    app.screenshot("adjudication-390").await?;
    app.finish().await
}
