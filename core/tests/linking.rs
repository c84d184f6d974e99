//! Attribution links and fields as `Session` commands, in tables: after
//! each operation, the article's annotations with their links and fields
//! ("label:quote → type:target quote {fields}") and what was announced.
//! Then the saved state and the native file carry them (version 2), and a
//! version-1 saved state still loads.

use std::sync::Arc;

use annotator_core::formats::import;
use annotator_core::formats::native;
use annotator_core::session::{
    AnnotationId, ArticleId, Checkable, Field, ImportMode, Pick, Session, Status, Timestamp,
};
use annotator_core::{Catalog, Label, Workspace};

const TEXT: &str = "Summary line\nTwo neighbours agree\n\nJapan and South Korea agreed to hold drills by March 2027. Koizumi said the talks were useful. Japan will pay.";

fn session() -> Session {
    let seeds = Catalog::from_seeds(&[("a", TEXT)]).0;
    Session::new(Arc::new(seeds), Workspace::new())
}

fn article() -> ArticleId {
    ArticleId::from("a")
}

/// Code points of the `nth` (0-based) `quote` in the text.
fn at(quote: &str, nth: usize) -> (usize, usize) {
    let byte = TEXT
        .match_indices(quote)
        .nth(nth)
        .unwrap_or_else(|| panic!("{quote:?} #{nth}"))
        .0;
    let start = TEXT[..byte].chars().count();
    (start, start + quote.chars().count())
}

/// The id of the annotation tagging `quote` (its `nth` occurrence).
fn id_of(s: &Session, quote: &str, nth: usize) -> AnnotationId {
    let (start, end) = at(quote, nth);
    let a = s
        .workspace()
        .set("a")
        .and_then(|set| {
            set.items()
                .iter()
                .find(|a| a.start == start && a.end == end)
        })
        .unwrap_or_else(|| panic!("no annotation at {quote:?}"));
    AnnotationId(a.id.clone())
}

/// Every annotation as "label:quote", its links as " → type:target quote"
/// and its fields as their JSON.
fn state(s: &Session) -> Vec<String> {
    let Some(set) = s.workspace().set("a") else {
        return Vec::new();
    };
    set.items()
        .iter()
        .map(|a| {
            let mut line = format!("{}:{}", a.label.as_str(), a.quote);
            for l in &a.links {
                let to = set.get(&l.to).map_or("?", |t| t.quote.as_str());
                line.push_str(&format!(" → {}:{to}", l.kind.as_str()));
            }
            if !a.attributes.is_empty() {
                line.push_str(&format!(
                    " {}",
                    serde_json::to_string(&a.attributes).expect("json")
                ));
            }
            line
        })
        .collect()
}

enum Op {
    Tag(&'static str, usize, Label),
    Select(&'static str, usize),
    /// The picker: toggle the link to this entity.
    Link(&'static str, usize),
    Relabel(Label),
    Delete,
    Set(Field),
    NameAll(&'static str),
    Undo,
    Redo,
}

type Want = Result<(&'static [&'static str], &'static str), &'static str>;

fn run(ops: &[(Op, Want)]) {
    let mut s = session();
    let mut selected: Option<AnnotationId> = None;
    let mut n = 0;
    for (step, (op, want)) in ops.iter().enumerate() {
        n += 1;
        let now = Timestamp::from(format!("2026-11-28T10:00:{:02}.000Z", n % 60));
        let id = AnnotationId::from(format!("id-{n}"));
        let result = match op {
            Op::Tag(q, nth, label) => {
                let (a, f) = at(q, *nth);
                let pick = Pick {
                    anchor: a,
                    focus: f,
                    snap: false,
                };
                s.tag(&article(), pick, *label, id.clone(), &now)
            }
            Op::Select(q, nth) => {
                selected = Some(id_of(&s, q, *nth));
                continue;
            }
            Op::Link(q, nth) => {
                let to = id_of(&s, q, *nth);
                s.toggle_link(
                    &article(),
                    selected.as_ref(),
                    &to,
                    &format!("rel-{n}"),
                    &now,
                )
            }
            Op::Relabel(l) => s.relabel(&article(), selected.as_ref(), *l, &now),
            Op::Delete => s.delete(&article(), selected.as_ref(), &now),
            Op::Set(field) => s.set_field(&article(), selected.as_ref(), field, &now),
            Op::NameAll(name) => s.name_all(&article(), selected.as_ref(), name, &now),
            Op::Undo => s.undo(&now),
            Op::Redo => s.redo(&now),
        };
        match (result, want) {
            (Ok(outcome), Ok((lines, announce))) => {
                if let annotator_core::session::Selection::Select(id) = &outcome.select {
                    selected = Some(id.clone());
                }
                assert_eq!(state(&s), *lines, "step {step}");
                assert_eq!(outcome.announce.to_string(), *announce, "step {step}");
            }
            (Err(e), Err(message)) => assert_eq!(e.to_string(), *message, "step {step}"),
            (got, want) => panic!("step {step}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn linking_a_commitment_to_its_actors_and_a_claim_to_its_source() {
    use Label::*;
    use Op::*;
    run(&[
        (Tag("Japan", 0, Entity), Ok((&["entity:Japan"], "Tagged “Japan” as Entity."))),
        (
            Tag("South Korea", 0, Entity),
            Ok((&["entity:Japan", "entity:South Korea"], "Tagged “South Korea” as Entity.")),
        ),
        (
            Tag("agreed to hold drills", 0, Commitment),
            Ok((
                &["entity:Japan", "entity:South Korea", "commitment:agreed to hold drills"],
                "Tagged “agreed to hold drills” as Commitment.",
            )),
        ),
        // A commitment has several actors.
        (
            Link("Japan", 0),
            Ok((
                &[
                    "entity:Japan",
                    "entity:South Korea",
                    "commitment:agreed to hold drills → committed_by:Japan",
                ],
                "Linked: committed by Japan.",
            )),
        ),
        (
            Link("South Korea", 0),
            Ok((
                &[
                    "entity:Japan",
                    "entity:South Korea",
                    "commitment:agreed to hold drills → committed_by:Japan → committed_by:South Korea",
                ],
                "Linked: committed by South Korea.",
            )),
        ),
        // Choosing a linked entity again unlinks it; undo links it back.
        (
            Link("Japan", 0),
            Ok((
                &[
                    "entity:Japan",
                    "entity:South Korea",
                    "commitment:agreed to hold drills → committed_by:South Korea",
                ],
                "Unlinked: no longer committed by Japan. Ctrl+Z undoes.",
            )),
        ),
        (
            Undo,
            Ok((
                &[
                    "entity:Japan",
                    "entity:South Korea",
                    "commitment:agreed to hold drills → committed_by:Japan → committed_by:South Korea",
                ],
                "Undid unlink.",
            )),
        ),
        // Fields: a deadline proposes the due date; a status is dated.
        (
            Set(Field::Deadline("by March 2027".into())),
            Ok((
                &[
                    "entity:Japan",
                    "entity:South Korea",
                    r#"commitment:agreed to hold drills → committed_by:Japan → committed_by:South Korea {"deadline":"by March 2027","due":"2027-03"}"#,
                ],
                "Deadline saved; due date 2027-03 read from it.",
            )),
        ),
        (
            Set(Field::Status(Some(Status::InProgress))),
            Ok((
                &[
                    "entity:Japan",
                    "entity:South Korea",
                    r#"commitment:agreed to hold drills → committed_by:Japan → committed_by:South Korea {"deadline":"by March 2027","due":"2027-03","status":"in_progress","status_at":"2026-11-28"}"#,
                ],
                "Status saved.",
            )),
        ),
        (
            Set(Field::Due("soon".into())),
            Err("Could not set due date: “soon” is not a date; write the year (2027), year and month (2027-03) or a day (2027-03-31)."),
        ),
        (
            Set(Field::Checkable(Some(Checkable::Yes))),
            Err("Could not set checkable: only a claim is checkable or not."),
        ),
        // Deleting an actor removes its links; undo restores both.
        (Select("Japan", 0), Ok((&[], ""))),
        (
            Delete,
            Ok((
                &[
                    "entity:South Korea",
                    r#"commitment:agreed to hold drills → committed_by:South Korea {"deadline":"by March 2027","due":"2027-03","status":"in_progress","status_at":"2026-11-28"}"#,
                ],
                "Deleted “Japan” and 1 link(s) with it. Ctrl+Z undoes.",
            )),
        ),
        (
            Undo,
            Ok((
                &[
                    "entity:Japan",
                    "entity:South Korea",
                    r#"commitment:agreed to hold drills → committed_by:Japan → committed_by:South Korea {"deadline":"by March 2027","due":"2027-03","status":"in_progress","status_at":"2026-11-28"}"#,
                ],
                "Undid delete.",
            )),
        ),
        // An entity can link nothing.
        (
            Link("South Korea", 0),
            Err("Could not link: only a claim or a commitment links to who made it."),
        ),
    ]);
}

#[test]
fn a_claim_has_one_source_and_relabelling_keeps_links_fitting() {
    use Label::*;
    use Op::*;
    let claim = "the talks were useful";
    run(&[
        (
            Tag("Koizumi", 0, Entity),
            Ok((&["entity:Koizumi"], "Tagged “Koizumi” as Entity.")),
        ),
        (
            Tag("Japan", 1, Entity),
            Ok((
                &["entity:Koizumi", "entity:Japan"],
                "Tagged “Japan” as Entity.",
            )),
        ),
        (
            Tag(claim, 0, Claim),
            Ok((
                &[
                    "entity:Koizumi",
                    "claim:the talks were useful",
                    "entity:Japan",
                ],
                "Tagged “the talks were useful” as Claim.",
            )),
        ),
        (
            Link("Koizumi", 0),
            Ok((
                &[
                    "entity:Koizumi",
                    "claim:the talks were useful → said_by:Koizumi",
                    "entity:Japan",
                ],
                "Linked: said by Koizumi.",
            )),
        ),
        // Another source replaces the first.
        (
            Link("Japan", 1),
            Ok((
                &[
                    "entity:Koizumi",
                    "claim:the talks were useful → said_by:Japan",
                    "entity:Japan",
                ],
                "Linked: said by Japan.",
            )),
        ),
        (
            Undo,
            Ok((
                &[
                    "entity:Koizumi",
                    "claim:the talks were useful → said_by:Koizumi",
                    "entity:Japan",
                ],
                "Undid link.",
            )),
        ),
        // A claim relabelled a commitment keeps its source as its actor …
        (
            Relabel(Commitment),
            Ok((
                &[
                    "entity:Koizumi",
                    "commitment:the talks were useful → committed_by:Koizumi",
                    "entity:Japan",
                ],
                "Relabelled as Commitment.",
            )),
        ),
        // … and as an entity it links nothing.
        (
            Relabel(Entity),
            Ok((
                &[
                    "entity:Koizumi",
                    "entity:the talks were useful",
                    "entity:Japan",
                ],
                "Relabelled as Entity.",
            )),
        ),
        (
            Undo,
            Ok((
                &[
                    "entity:Koizumi",
                    "commitment:the talks were useful → committed_by:Koizumi",
                    "entity:Japan",
                ],
                "Undid relabel.",
            )),
        ),
        // An entity relabelled loses the links to it.
        (Select("Koizumi", 0), Ok((&[], ""))),
        (
            Relabel(Claim),
            Ok((
                &[
                    "claim:Koizumi",
                    "commitment:the talks were useful",
                    "entity:Japan",
                ],
                "Relabelled as Claim.",
            )),
        ),
        (
            Undo,
            Ok((
                &[
                    "entity:Koizumi",
                    "commitment:the talks were useful → committed_by:Koizumi",
                    "entity:Japan",
                ],
                "Undid relabel.",
            )),
        ),
        (
            Redo,
            Ok((
                &[
                    "claim:Koizumi",
                    "commitment:the talks were useful",
                    "entity:Japan",
                ],
                "Redid relabel.",
            )),
        ),
    ]);
}

#[test]
fn naming_every_identical_mention() {
    use Label::*;
    use Op::*;
    run(&[
        (
            Tag("Japan", 0, Entity),
            Ok((&["entity:Japan"], "Tagged “Japan” as Entity.")),
        ),
        (
            Tag("Japan", 1, Entity),
            Ok((
                &["entity:Japan", "entity:Japan"],
                "Tagged “Japan” as Entity.",
            )),
        ),
        (
            Set(Field::Name("Japan (state)".into())),
            Ok((
                &["entity:Japan", r#"entity:Japan {"name":"Japan (state)"}"#],
                "Name saved.",
            )),
        ),
        (
            NameAll("Government of Japan"),
            Ok((
                &[
                    r#"entity:Japan {"name":"Government of Japan"}"#,
                    r#"entity:Japan {"name":"Government of Japan"}"#,
                ],
                "Named 2 mentions “Government of Japan”. Ctrl+Z undoes.",
            )),
        ),
        (
            Undo,
            Ok((
                &["entity:Japan", r#"entity:Japan {"name":"Japan (state)"}"#],
                "Undid name all.",
            )),
        ),
        (
            Set(Field::Deadline("by 2027".into())),
            Err("Could not set deadline: only a commitment has a deadline and a status."),
        ),
    ]);
}

/// A session with the commitment linked to both entities, a claim with its
/// source and a name and a status set.
fn linked_session() -> Session {
    let mut s = session();
    let now = Timestamp::from("2026-11-28T10:00:00.000Z");
    let tag = |s: &mut Session, q: &str, nth: usize, label: Label, id: &str| {
        let (a, f) = at(q, nth);
        let pick = Pick {
            anchor: a,
            focus: f,
            snap: false,
        };
        s.tag(&article(), pick, label, AnnotationId::from(id), &now)
            .expect("tag");
    };
    tag(&mut s, "Japan", 0, Label::Entity, "e-japan");
    tag(&mut s, "South Korea", 0, Label::Entity, "e-korea");
    tag(&mut s, "Koizumi", 0, Label::Entity, "e-koizumi");
    tag(
        &mut s,
        "agreed to hold drills",
        0,
        Label::Commitment,
        "c-drills",
    );
    tag(&mut s, "the talks were useful", 0, Label::Claim, "l-talks");
    let a = article();
    let id = |x: &str| AnnotationId::from(x);
    s.link(&a, Some(&id("c-drills")), &id("e-japan"), "r1", &now)
        .expect("link");
    s.link(&a, Some(&id("c-drills")), &id("e-korea"), "r2", &now)
        .expect("link");
    s.link(&a, Some(&id("l-talks")), &id("e-koizumi"), "r3", &now)
        .expect("link");
    s.set_field(
        &a,
        Some(&id("e-koizumi")),
        &Field::Name("Shinjiro Koizumi".into()),
        &now,
    )
    .expect("name");
    s.set_field(
        &a,
        Some(&id("c-drills")),
        &Field::Status(Some(Status::Kept)),
        &now,
    )
    .expect("status");
    s.set_field(
        &a,
        Some(&id("l-talks")),
        &Field::Checkable(Some(Checkable::No)),
        &now,
    )
    .expect("checkable");
    s
}

#[test]
fn saved_state_and_native_file_carry_relations_and_fields() {
    let s = linked_session();
    let want = state(&s);
    // The saved state (cached writer) reads back as the plain writer's file.
    let mut cache = Default::default();
    let json = s.workspace().to_native_json("t", &mut cache);
    assert_eq!(
        native::read(&json).expect("reads"),
        native::read(&native::write_compact(&s.workspace().to_native("t"))).expect("reads")
    );
    let file = native::read(&json).expect("reads");
    assert_eq!(file.version, 2);
    let rels: Vec<_> = file.articles[0]
        .relations
        .iter()
        .map(|r| (r.kind.as_str(), r.from.as_str(), r.to.as_str()))
        .collect();
    assert_eq!(
        rels,
        [
            ("committed_by", "c-drills", "e-japan"),
            ("committed_by", "c-drills", "e-korea"),
            ("said_by", "l-talks", "e-koizumi"),
        ]
    );
    let seeds = Catalog::from_seeds(&[("a", TEXT)]).0;
    let (ws, _) = Workspace::from_native(file, &seeds);
    let again = Session::new(Arc::new(seeds), ws);
    assert_eq!(state(&again), want);
    // A second save with the cache warm writes the same.
    assert_eq!(s.workspace().to_native_json("t", &mut cache), json);
}

#[test]
fn native_export_imports_into_a_fresh_session_with_relations() {
    let s = linked_session();
    let now = Timestamp::from("2026-11-28T11:00:00.000Z");
    let (_, _, bytes) = s
        .export(
            annotator_core::session::Scope::Current,
            Some(&article()),
            annotator_core::formats::export::Format::Native,
            &now,
        )
        .expect("export");
    for format in [
        annotator_core::formats::export::Format::Native,
        annotator_core::formats::export::Format::W3c,
    ] {
        let (_, _, bytes) = s
            .export(
                annotator_core::session::Scope::Current,
                Some(&article()),
                format,
                &now,
            )
            .expect("export");
        let mut fresh = session();
        fresh
            .plan_import("file", &bytes, || "new".to_string())
            .expect("plan");
        let preview = fresh
            .pending_import()
            .expect("pending")
            .plan
            .preview
            .clone();
        assert_eq!(
            (preview.relations, preview.new_relations),
            (3, 3),
            "{format:?}"
        );
        assert!(preview.unlinked.is_empty());
        fresh
            .confirm_import(ImportMode::Merge, &now)
            .expect("merge");
        assert_eq!(state(&fresh), state(&s), "{format:?}");
        // Importing again adds nothing.
        fresh
            .plan_import("file", &bytes, || "new".to_string())
            .expect("plan");
        let again = fresh
            .pending_import()
            .expect("pending")
            .plan
            .preview
            .clone();
        assert_eq!((again.new, again.new_relations), (0, 0), "{format:?}");
        fresh.cancel_import();
    }
    // A relation whose end is missing is reported; a misfit one refused.
    let text = String::from_utf8(bytes).expect("utf8");
    let dangling = text.replace("\"to\": \"e-korea\"", "\"to\": \"nobody\"");
    let mut fresh = session();
    fresh
        .plan_import("file", dangling.as_bytes(), || "new".to_string())
        .expect("plan");
    let p = fresh
        .pending_import()
        .expect("pending")
        .plan
        .preview
        .clone();
    assert_eq!(
        p.unlinked,
        [(
            "a".to_string(),
            "committed_by",
            "agreed to hold drills".to_string()
        )]
    );
    let misfit = text.replace("\"from\": \"l-talks\"", "\"from\": \"e-japan\"");
    let err = import::read(misfit.as_bytes()).expect_err("refused");
    assert!(err.to_string().contains("said_by"), "{err}");
}

#[test]
fn a_duplicate_brings_its_relations_to_the_annotation_already_here() {
    let s = linked_session();
    let now = Timestamp::from("2026-11-28T11:00:00.000Z");
    let (_, _, bytes) = s
        .export(
            annotator_core::session::Scope::Current,
            Some(&article()),
            annotator_core::formats::export::Format::Native,
            &now,
        )
        .expect("export");
    // Here: the same spans tagged under other ids, no links.
    let mut here = session();
    for (q, label) in [
        ("Japan", Label::Entity),
        ("South Korea", Label::Entity),
        ("agreed to hold drills", Label::Commitment),
    ] {
        let (a, f) = at(q, 0);
        let pick = Pick {
            anchor: a,
            focus: f,
            snap: false,
        };
        here.tag(
            &article(),
            pick,
            label,
            AnnotationId::from(format!("mine-{q}")),
            &now,
        )
        .expect("tag");
    }
    here.plan_import("file", &bytes, || "new".to_string())
        .expect("plan");
    let p = here.pending_import().expect("pending").plan.preview.clone();
    assert_eq!((p.new, p.duplicates, p.new_relations), (2, 3, 3));
    here.confirm_import(ImportMode::Merge, &now).expect("merge");
    let drills = here
        .annotation(
            &article(),
            &AnnotationId::from("mine-agreed to hold drills"),
        )
        .expect("kept");
    let to: Vec<&str> = drills.links.iter().map(|l| l.to.as_str()).collect();
    assert_eq!(to, ["mine-Japan", "mine-South Korea"]);
}

#[test]
fn a_version_1_saved_state_loads_and_saves_as_version_2() {
    let v1 = include_str!("data/v1/seed.native.json");
    let file = native::read(v1).expect("a v1 state reads");
    let seeds = Catalog::from_seeds(&[(
        "000_6ee9234a710e1662",
        include_str!("../../seeds/000_6ee9234a710e1662.txt"),
    )])
    .0;
    let n = file.articles[0].annotations.len();
    let (ws, report) = Workspace::from_native(file, &seeds);
    assert_eq!(report.orphaned, 0);
    assert_eq!(ws.count(), n);
    let saved = ws.to_native_json("t", &mut Default::default());
    assert!(saved.starts_with(r#"{"format":"article-annotator","version":2,"#));
    assert!(saved.contains(r#""relations":[]"#));
}

#[test]
fn arrowing_through_statuses_is_one_undo_step() {
    use Label::*;
    use Op::*;
    let drills = |fields: &'static str| -> &'static [&'static str] {
        Box::leak(
            vec![
                Box::leak(format!("commitment:agreed to hold drills{fields}").into_boxed_str())
                    as &str,
            ]
            .into_boxed_slice(),
        )
    };
    run(&[
        (
            Tag("agreed to hold drills", 0, Commitment),
            Ok((drills(""), "Tagged “agreed to hold drills” as Commitment.")),
        ),
        (
            Set(Field::Deadline("by 2027".into())),
            Ok((
                drills(r#" {"deadline":"by 2027","due":"2027"}"#),
                "Deadline saved; due date 2027 read from it.",
            )),
        ),
        (
            Set(Field::Status(Some(Status::NotRated))),
            Ok((
                drills(
                    r#" {"deadline":"by 2027","due":"2027","status":"not_rated","status_at":"2026-11-28"}"#,
                ),
                "Status saved.",
            )),
        ),
        (
            Set(Field::Status(Some(Status::InProgress))),
            Ok((
                drills(
                    r#" {"deadline":"by 2027","due":"2027","status":"in_progress","status_at":"2026-11-28"}"#,
                ),
                "Status saved.",
            )),
        ),
        (
            Set(Field::Status(Some(Status::Stalled))),
            Ok((
                drills(
                    r#" {"deadline":"by 2027","due":"2027","status":"stalled","status_at":"2026-11-28"}"#,
                ),
                "Status saved.",
            )),
        ),
        // One undo: back to before the first status; the deadline stays.
        (
            Undo,
            Ok((
                drills(r#" {"deadline":"by 2027","due":"2027"}"#),
                "Undid set status.",
            )),
        ),
        (
            Redo,
            Ok((
                drills(
                    r#" {"deadline":"by 2027","due":"2027","status":"stalled","status_at":"2026-11-28"}"#,
                ),
                "Redid set status.",
            )),
        ),
        (
            Undo,
            Ok((
                drills(r#" {"deadline":"by 2027","due":"2027"}"#),
                "Undid set status.",
            )),
        ),
        (Undo, Ok((drills(""), "Undid set deadline."))),
    ]);
}

/// Two tabs tag the same entity under two ids and one links a claim to
/// its copy: the merge keeps one entity and the link follows to it.
#[test]
fn a_tab_merge_points_links_at_the_duplicate_kept() {
    let seeds = Catalog::from_seeds(&[("a", TEXT)]).0;
    let now = Timestamp::from("2026-11-28T10:00:00.000Z");
    let later = Timestamp::from("2026-11-28T10:00:05.000Z");
    let tag = |s: &mut Session, q: &str, label: Label, id: &str, t: &Timestamp| {
        let (a, f) = at(q, 0);
        let pick = Pick {
            anchor: a,
            focus: f,
            snap: false,
        };
        s.tag(&article(), pick, label, AnnotationId::from(id), t)
            .expect("tag");
    };
    let mut one = Session::new(Arc::new(seeds.clone()), Workspace::new());
    tag(&mut one, "Koizumi", Label::Entity, "e-one", &now);
    tag(
        &mut one,
        "the talks were useful",
        Label::Claim,
        "claim",
        &now,
    );
    let mut two = Session::new(Arc::new(seeds), Workspace::new());
    tag(&mut two, "Koizumi", Label::Entity, "e-two", &later);
    one.link(
        &article(),
        Some(&AnnotationId::from("claim")),
        &AnnotationId::from("e-one"),
        "r",
        &now,
    )
    .expect("link");
    let theirs = two.workspace().clone();
    one.workspace_mut().merge_from(&theirs);
    let set = one.workspace().set("a").expect("set");
    let entities: Vec<&str> = set
        .items()
        .iter()
        .filter(|a| a.label == Label::Entity)
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(entities.len(), 1);
    let claim = set.get("claim").expect("claim");
    assert_eq!(claim.links.len(), 1);
    assert_eq!(claim.links[0].to, entities[0]);
}

/// Relabelling keeps only the fields that belong to the new label (undo
/// brings the others back).
#[test]
fn relabelling_keeps_the_fields_that_fit() {
    use Label::*;
    use Op::*;
    run(&[
        (
            Tag("agreed to hold drills", 0, Commitment),
            Ok((
                &["commitment:agreed to hold drills"],
                "Tagged “agreed to hold drills” as Commitment.",
            )),
        ),
        (
            Set(Field::Status(Some(Status::Kept))),
            Ok((
                &[r#"commitment:agreed to hold drills {"status":"kept","status_at":"2026-11-28"}"#],
                "Status saved.",
            )),
        ),
        (
            Relabel(Claim),
            Ok((&["claim:agreed to hold drills"], "Relabelled as Claim.")),
        ),
        (
            Undo,
            Ok((
                &[r#"commitment:agreed to hold drills {"status":"kept","status_at":"2026-11-28"}"#],
                "Undid relabel.",
            )),
        ),
    ]);
}

/// An article the app does not know keeps its file's annotations and
/// relations untouched, in the saved state as in the native file.
#[test]
fn an_unknown_articles_relations_are_kept_as_they_were() {
    let s = linked_session();
    let mut file = native::read(&native::write(&s.workspace().to_native("t"))).expect("reads");
    file.articles[0].id = "elsewhere".into();
    let seeds = Catalog::from_seeds(&[("a", TEXT)]).0;
    let (ws, report) = Workspace::from_native(file, &seeds);
    assert_eq!(report.unknown_articles, 1);
    let json = ws.to_native_json("t", &mut Default::default());
    assert_eq!(
        native::read(&json).expect("reads"),
        native::read(&native::write_compact(&ws.to_native("t"))).expect("reads")
    );
    let again = native::read(&json).expect("reads");
    assert_eq!(again.articles[0].relations.len(), 3);
}

/// A file whose relation points at an annotation only this app has: merge
/// keeps the link; Replace, which removes that annotation, counts the link
/// it leaves out for the preview.
#[test]
fn replace_counts_the_links_it_leaves_out() {
    let mut s = linked_session();
    let now = Timestamp::from("2026-11-28T11:00:00.000Z");
    let (_, _, bytes) = s
        .export(
            annotator_core::session::Scope::Current,
            Some(&article()),
            annotator_core::formats::export::Format::Native,
            &now,
        )
        .expect("export");
    let mut file: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    file["articles"][0]["annotations"]
        .as_array_mut()
        .expect("annotations")
        .retain(|a| a["id"] != "e-koizumi");
    let bytes = serde_json::to_vec(&file).expect("json");
    s.plan_import("file", &bytes, || "new".to_string())
        .expect("plan");
    let p = s.pending_import().expect("pending").plan.preview.clone();
    assert!(p.unlinked.is_empty(), "{:?}", p.unlinked);
    assert_eq!(p.replace_unlinked, 1);
    s.confirm_import(ImportMode::Replace, &now)
        .expect("replace");
    let talks = s
        .annotation(&article(), &AnnotationId::from("l-talks"))
        .expect("claim");
    assert!(talks.links.is_empty());
    assert!(s
        .annotation(&article(), &AnnotationId::from("e-koizumi"))
        .is_none());
}
