//! The digest (issue 16): the seed article annotated as the gold file
//! (`data/seed-gold.json`: its spans tagged and its 7 relations linked
//! through `Session`, ids = the gold's keys `s0` … `s34`), plus a small
//! second article; then rows, filters, sorts, groups, overdue, the URL
//! query (unit and property tests), actor pages, the CSV and JSON exports,
//! progress and the next article not done. Last, a generated large case
//! (200 articles × 100 annotations, 5,000 relations), checked against
//! brute force, with its time printed.

use std::sync::Arc;
use std::time::Instant;

use annotator_core::annotation::Annotation;
use annotator_core::digest::{
    self, actor_page, group, next_not_done, progress, rows, select, to_csv, to_json,
    CheckableFilter, Grouping, Query, Row, Sort, StatusFilter, UNATTRIBUTED,
};
use annotator_core::relation::{Link, RelationType};
use annotator_core::session::{
    AnnotationId, ArticleId, Checkable, Field, Pick, Session, Status, Timestamp,
};
use annotator_core::{AnnotationSet, Catalog, Label, Span, Workspace};
use proptest::prelude::*;
use serde::Deserialize;

const SEED: &str = include_str!("data/seed.txt");
const SEED_ID: &str = "000_6ee9234a710e1662";
const GOLD: &str = include_str!("data/seed-gold.json");

const B_ID: &str = "b";
const B: &str = "Summary of b\nHeadline B: budget\n\nThe Treasury pledged to cut the deficit by 2026. Critics said the plan was unrealistic. Japan and the Treasury will pay for the drills.";
const C_ID: &str = "c";
const C: &str = "Summary of c\nHeadline C\n\nNothing annotated here.";

#[derive(Deserialize)]
struct Gold {
    article: String,
    spans: Vec<GoldSpan>,
    relations: Vec<GoldRelation>,
}

#[derive(Deserialize)]
struct GoldSpan {
    label: Label,
    start: usize,
    end: usize,
    quote: String,
    key: String,
}

#[derive(Deserialize)]
struct GoldRelation {
    from: String,
    #[serde(rename = "type")]
    kind: String,
    to: String,
}

/// A clock that moves a second at each call (one edit, one second).
struct Clock(u32);

impl Clock {
    fn now(&mut self) -> Timestamp {
        self.0 += 1;
        Timestamp::from(format!(
            "2026-11-28T{:02}:{:02}:{:02}.000Z",
            self.0 / 3600,
            (self.0 / 60) % 60,
            self.0 % 60
        ))
    }
}

fn tag(
    s: &mut Session,
    clock: &mut Clock,
    article: &str,
    id: &str,
    label: Label,
    at: (usize, usize),
) {
    let pick = Pick {
        anchor: at.0,
        focus: at.1,
        snap: false,
    };
    s.tag(
        &ArticleId::from(article),
        pick,
        label,
        AnnotationId::from(id),
        &clock.now(),
    )
    .expect("tags");
    let a = s
        .annotation(&ArticleId::from(article), &AnnotationId::from(id))
        .unwrap_or_else(|| panic!("{id} tagged"));
    assert_eq!((a.start, a.end), at, "{id} keeps its span");
}

fn link(s: &mut Session, clock: &mut Clock, article: &str, from: &str, to: &str) {
    let rel = format!("rel-{from}-{to}");
    s.link(
        &ArticleId::from(article),
        Some(&AnnotationId::from(from)),
        &AnnotationId::from(to),
        &rel,
        &clock.now(),
    )
    .unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
}

fn set(s: &mut Session, clock: &mut Clock, article: &str, id: &str, field: Field) {
    s.set_field(
        &ArticleId::from(article),
        Some(&AnnotationId::from(id)),
        &field,
        &clock.now(),
    )
    .unwrap_or_else(|e| panic!("{id} {field:?}: {e}"));
}

/// Code points of the first `quote` in `text`.
fn at(text: &str, quote: &str) -> (usize, usize) {
    let byte = text.find(quote).unwrap_or_else(|| panic!("{quote:?}"));
    let start = text[..byte].chars().count();
    (start, start + quote.chars().count())
}

/// The seed annotated as the gold file says; with `more`, the catalog also
/// holds article `b` (annotated, see [`annotate_b`]) and `c` (none), and
/// the seed's claims and commitments carry fields.
fn session(more: bool) -> Session {
    let seeds: Vec<(&str, &str)> = if more {
        vec![(SEED_ID, SEED), (B_ID, B), (C_ID, C)]
    } else {
        vec![(SEED_ID, SEED)]
    };
    let catalog = Catalog::from_seeds(&seeds).0;
    let mut s = Session::new(Arc::new(catalog), Workspace::new());
    let mut clock = Clock(0);
    let gold: Gold = serde_json::from_str(GOLD).expect("gold reads");
    assert_eq!(gold.article, SEED_ID);
    for span in &gold.spans {
        let quote: String = SEED
            .chars()
            .skip(span.start)
            .take(span.end - span.start)
            .collect();
        assert_eq!(quote, span.quote, "{}", span.key);
        tag(
            &mut s,
            &mut clock,
            SEED_ID,
            &span.key,
            span.label,
            (span.start, span.end),
        );
    }
    assert_eq!(gold.relations.len(), 7);
    for r in &gold.relations {
        link(&mut s, &mut clock, SEED_ID, &r.from, &r.to);
        let from = s
            .annotation(
                &ArticleId::from(SEED_ID),
                &AnnotationId::from(r.from.as_str()),
            )
            .expect("from");
        assert!(from
            .links
            .iter()
            .any(|l| l.to == r.to && l.kind.as_str() == r.kind));
    }
    if more {
        let c = &mut clock;
        set(&mut s, c, SEED_ID, "s2", Field::Due("2026".into()));
        set(&mut s, c, SEED_ID, "s2", Field::Status(Some(Status::Kept)));
        set(&mut s, c, SEED_ID, "s12", Field::Due("2026-11".into()));
        set(
            &mut s,
            c,
            SEED_ID,
            "s12",
            Field::Status(Some(Status::InProgress)),
        );
        set(
            &mut s,
            c,
            SEED_ID,
            "s19",
            Field::Deadline("by March 2027".into()),
        );
        set(
            &mut s,
            c,
            SEED_ID,
            "s19",
            Field::Status(Some(Status::NotRated)),
        );
        set(
            &mut s,
            c,
            SEED_ID,
            "s5",
            Field::Checkable(Some(Checkable::No)),
        );
        set(
            &mut s,
            c,
            SEED_ID,
            "s31",
            Field::Checkable(Some(Checkable::Yes)),
        );
        s.set_note(
            &ArticleId::from(SEED_ID),
            Some(&AnnotationId::from("s24")),
            "deterrence \"note\"\nsee SIPRI, 2025",
            &c.now(),
        )
        .expect("note");
        annotate_b(&mut s, c);
    }
    s
}

/// Article `b`: the Treasury's commitment (due 2026 from its deadline,
/// stalled), the critics' claim (unsure) and a commitment by Japan and the
/// Treasury (two mentions of one name) and the critics, due 2026-11-30.
fn annotate_b(s: &mut Session, c: &mut Clock) {
    let ents = [
        ("e1", "The Treasury"),
        ("e2", "Critics"),
        ("e3", "Japan"),
        ("e4", "Treasury will"),
    ];
    for (id, quote) in ents {
        let (start, end) = at(B, quote);
        // "Treasury" in "the Treasury will": the second mention.
        let span = if id == "e4" {
            (start, start + "Treasury".len())
        } else {
            (start, end)
        };
        tag(s, c, B_ID, id, Label::Entity, span);
    }
    set(s, c, B_ID, "e1", Field::Name("Treasury".into()));
    tag(
        s,
        c,
        B_ID,
        "c1",
        Label::Commitment,
        at(B, "pledged to cut the deficit by 2026"),
    );
    tag(
        s,
        c,
        B_ID,
        "k1",
        Label::Claim,
        at(B, "the plan was unrealistic"),
    );
    tag(
        s,
        c,
        B_ID,
        "c2",
        Label::Commitment,
        at(B, "will pay for the drills"),
    );
    link(s, c, B_ID, "c1", "e1");
    link(s, c, B_ID, "k1", "e2");
    for to in ["e3", "e4", "e1", "e2"] {
        link(s, c, B_ID, "c2", to);
    }
    set(s, c, B_ID, "c1", Field::Deadline("by 2026".into()));
    set(s, c, B_ID, "c1", Field::Status(Some(Status::Stalled)));
    set(s, c, B_ID, "k1", Field::Checkable(Some(Checkable::Unsure)));
    set(s, c, B_ID, "c2", Field::Due("2026-11-30".into()));
}

fn digest_of(s: &Session, today: &str) -> Vec<Row> {
    rows(s.catalog(), s.workspace(), today)
}

/// The annotation ids of `selected`.
fn ids(rows: &[Row], selected: &[usize]) -> Vec<String> {
    selected
        .iter()
        .map(|&i| rows[i].annotation.clone())
        .collect()
}

/// Groups as "title: ids (claims/commitments)".
fn groups(rows: &[Row], q: &Query) -> Vec<String> {
    let selected = select(rows, q);
    group(rows, &selected, q)
        .into_iter()
        .map(|g| {
            format!(
                "{}: {} ({}/{})",
                g.title,
                ids(rows, &g.rows).join(" "),
                g.claims,
                g.commitments
            )
        })
        .collect()
}

#[test]
fn the_seed_gives_four_commitments_and_three_claims_with_their_actors() {
    let s = session(false);
    let rows = digest_of(&s, "2026-11-28");
    let table: Vec<(&str, Label, &[&str])> = vec![
        ("s2", Label::Commitment, &["South Korea", "Japan"]),
        ("s4", Label::Commitment, &[]),
        ("s5", Label::Claim, &[]),
        ("s12", Label::Commitment, &["South Korea", "Japan"]),
        (
            "s19",
            Label::Commitment,
            &["Shinjiro Koizumi", "Ahn Gyu-back"],
        ),
        ("s24", Label::Claim, &[]),
        ("s31", Label::Claim, &["Koizumi"]),
    ];
    assert_eq!(rows.len(), table.len());
    for (row, (id, kind, actors)) in rows.iter().zip(&table) {
        assert_eq!(row.annotation, *id);
        assert_eq!(row.kind, *kind, "{id}");
        assert_eq!(row.actors, *actors, "{id}");
        assert_eq!(row.article, SEED_ID);
        assert_eq!(
            row.headline,
            "South Korea, Japan to Deepen Defence Ties, Pledge Collaboration on AI and Unmanned Systems"
        );
        assert_eq!(row.quote.chars().count(), row.end - row.start, "{id}");
        assert!(!row.overdue && row.due.is_none() && row.status.is_none());
    }
    let kinds = |k: Label| rows.iter().filter(|r| r.kind == k).count();
    assert_eq!((kinds(Label::Commitment), kinds(Label::Claim)), (4, 3));
    assert_eq!(digest::unattributed(&rows), (2, 1));

    // The gold links the claim to the mention "Koizumi" (s29), which has no
    // name of its own: its name is its quote, a group of its own.
    let by_actor = Query {
        group: Grouping::Actor,
        sort: Sort::Article,
        ..Query::default()
    };
    assert_eq!(
        groups(&rows, &by_actor),
        [
            "Ahn Gyu-back: s19 (0/1)",
            "Japan: s2 s12 (0/2)",
            "Koizumi: s31 (1/0)",
            "Shinjiro Koizumi: s19 (0/1)",
            "South Korea: s2 s12 (0/2)",
            "Unattributed: s4 s5 s24 (2/1)",
        ]
    );
    let koizumi = actor_page(&rows, "Shinjiro Koizumi");
    assert_eq!(ids(&rows, &koizumi.rows), ["s19"]);
    assert_eq!((koizumi.claims, koizumi.commitments), (0, 1));
    assert_eq!(koizumi.partners, [("Ahn Gyu-back".to_string(), 1)]);
    assert_eq!(
        actor_page(&rows, "Ahn Gyu-back").partners,
        [("Shinjiro Koizumi".to_string(), 1)]
    );
    assert_eq!(
        actor_page(&rows, "Japan").partners,
        [("South Korea".to_string(), 2)]
    );
    let short = actor_page(&rows, "Koizumi");
    assert_eq!(
        (short.claims, short.commitments, short.partners.len()),
        (1, 0, 0)
    );
    let none = actor_page(&rows, UNATTRIBUTED);
    assert_eq!(ids(&rows, &none.rows), ["s4", "s5", "s24"]);
    assert!(actor_page(&rows, "Nobody").rows.is_empty());

    // Naming the mention "Shinjiro Koizumi" (as a user would) puts the
    // claim under that name: the four groups of the issue, then the rest.
    let mut s = s;
    s.set_field(
        &ArticleId::from(SEED_ID),
        Some(&AnnotationId::from("s29")),
        &Field::Name("Shinjiro Koizumi".into()),
        &Timestamp::from("2026-11-28T12:00:00.000Z"),
    )
    .expect("name");
    let rows = digest_of(&s, "2026-11-28");
    assert_eq!(
        groups(&rows, &by_actor),
        [
            "Ahn Gyu-back: s19 (0/1)",
            "Japan: s2 s12 (0/2)",
            "Shinjiro Koizumi: s19 s31 (1/1)",
            "South Korea: s2 s12 (0/2)",
            "Unattributed: s4 s5 s24 (2/1)",
        ]
    );
    let koizumi = actor_page(&rows, "Shinjiro Koizumi");
    assert_eq!(ids(&rows, &koizumi.rows), ["s19", "s31"]);
    assert_eq!((koizumi.claims, koizumi.commitments), (1, 1));
    assert_eq!(koizumi.partners, [("Ahn Gyu-back".to_string(), 1)]);
}

#[test]
fn fields_and_names_across_articles() {
    let s = session(true);
    let rows = digest_of(&s, "2026-12-01");
    let all: Vec<String> = rows.iter().map(|r| r.annotation.clone()).collect();
    assert_eq!(
        all,
        ["s2", "s4", "s5", "s12", "s19", "s24", "s31", "c1", "k1", "c2"]
    );
    let row = |id: &str| rows.iter().find(|r| r.annotation == id).expect("row");
    // Two mentions named "Treasury" linked: the name once, in link order.
    assert_eq!(row("c2").actors, ["Japan", "Treasury", "Critics"]);
    assert_eq!(row("c1").actors, ["Treasury"]);
    assert_eq!(row("c1").deadline.as_deref(), Some("by 2026"));
    assert_eq!(row("c1").due.as_deref(), Some("2026"));
    assert_eq!(row("s19").due.as_deref(), Some("2027-03"));
    assert_eq!(row("s12").status, Some(Status::InProgress));
    assert_eq!(row("s12").status_at.as_deref(), Some("2026-11-28"));
    assert_eq!(row("k1").checkable, Some(Checkable::Unsure));
    assert_eq!(row("c1").headline, "Headline B: budget");
    let overdue: Vec<&str> = rows
        .iter()
        .filter(|r| r.overdue)
        .map(|r| r.annotation.as_str())
        .collect();
    assert_eq!(overdue, ["s12", "c2"]);
}

#[test]
fn links_to_missing_or_non_entity_targets_are_ignored() {
    let s = session(false);
    let mut ws = s.workspace().clone();
    let article = s.catalog().get(SEED_ID).cloned().expect("seed article");
    let set = ws.set_mut(&article);
    let mut a = set.get("s4").cloned().expect("s4");
    for (i, to) in ["ghost", "s5", "s0", "s8"].iter().enumerate() {
        a.links.push(Link {
            id: format!("x{i}"),
            kind: RelationType::CommittedBy,
            to: to.to_string(),
            created_at: String::new(),
            updated_at: String::new(),
            extra: Default::default(),
        });
    }
    set.insert(a);
    let rows = rows(s.catalog(), &ws, "2026-11-28");
    let s4 = rows.iter().find(|r| r.annotation == "s4").expect("s4");
    // s0 and s8 are both "South Korea": once.
    assert_eq!(s4.actors, ["South Korea"]);
}

#[test]
fn filters_and_sorts() {
    let s = session(true);
    let rows = digest_of(&s, "2026-12-01");
    let table: &[(&str, &[&str])] = &[
        // Due date, undated last; ties ("2026-11" and "2026-11-30"; "2026"
        // and "2026") in article order.
        (
            "",
            &[
                "s12", "c2", "s2", "c1", "s19", "s4", "s5", "s24", "s31", "k1",
            ],
        ),
        (
            "sort=due",
            &[
                "s12", "c2", "s2", "c1", "s19", "s4", "s5", "s24", "s31", "k1",
            ],
        ),
        (
            "sort=article",
            &[
                "s2", "s4", "s5", "s12", "s19", "s24", "s31", "c1", "k1", "c2",
            ],
        ),
        // First actor: Critics, Japan, Koizumi, Shinjiro Koizumi, South
        // Korea (s2, s12), Treasury; then the unattributed.
        (
            "sort=actor",
            &[
                "k1", "c2", "s31", "s19", "s2", "s12", "c1", "s4", "s5", "s24",
            ],
        ),
        ("kind=claim", &["s5", "s24", "s31", "k1"]),
        (
            "kind=commitment&sort=article",
            &["s2", "s4", "s12", "s19", "c1", "c2"],
        ),
        ("kind=entity", &[]),
        ("actor=Japan&sort=article", &["s2", "s12", "c2"]),
        ("actor=Treasury", &["c2", "c1"]),
        ("actor=japan", &[]),
        ("actor=unattributed&sort=article", &["s4", "s5", "s24"]),
        ("status=in_progress", &["s12"]),
        ("status=kept", &["s2"]),
        ("status=not_rated", &["s19"]),
        // Commitments without a status (claims have none to set).
        ("status=none&sort=article", &["s4", "c2"]),
        ("checkable=yes", &["s31"]),
        ("checkable=none", &["s24"]),
        ("checkable=unsure", &["k1"]),
        ("status=kept&checkable=yes", &[]),
        // Quote, note, headline and actor names, any case.
        ("q=DETERRENCE", &["s24"]),
        ("q=sipri", &["s24"]),
        ("q=%20budget%20&sort=article", &["c1", "k1", "c2"]),
        ("q=koizumi&sort=article", &["s19", "s31"]),
        ("q=critics", &["c2", "k1"]),
        ("q=nothing+like+this", &[]),
        ("overdue=1", &["s12", "c2"]),
        ("overdue=1&actor=Japan", &["s12", "c2"]),
        ("overdue=1&actor=Treasury", &["c2"]),
        (
            "kind=commitment&actor=South%20Korea&status=in_progress",
            &["s12"],
        ),
        // Unknown keys and values change nothing.
        (
            "foo=bar&kind=bogus&&=&overdue=maybe&sort=sideways",
            &[
                "s12", "c2", "s2", "c1", "s19", "s4", "s5", "s24", "s31", "k1",
            ],
        ),
    ];
    for (query, want) in table {
        let q = Query::parse(query);
        assert_eq!(ids(&rows, &select(&rows, &q)), *want, "{query:?}");
    }
}

#[test]
fn groups_by_actor_and_by_article() {
    let s = session(true);
    let rows = digest_of(&s, "2026-12-01");
    let table: &[(&str, &[&str])] = &[
        (
            "",
            &[": s12 c2 s2 c1 s19 s4 s5 s24 s31 k1 (4/6)"],
        ),
        ("kind=entity", &[":  (0/0)"]),
        (
            "group=actor",
            &[
                "Ahn Gyu-back: s19 (0/1)",
                "Critics: c2 k1 (1/1)",
                "Japan: s12 c2 s2 (0/3)",
                "Koizumi: s31 (1/0)",
                "Shinjiro Koizumi: s19 (0/1)",
                "South Korea: s12 s2 (0/2)",
                "Treasury: c2 c1 (0/2)",
                "Unattributed: s4 s5 s24 (2/1)",
            ],
        ),
        (
            "group=actor&kind=claim&sort=article",
            &["Critics: k1 (1/0)", "Koizumi: s31 (1/0)", "Unattributed: s5 s24 (2/0)"],
        ),
        ("group=actor&actor=Koizumi", &["Koizumi: s31 (1/0)"]),
        (
            "group=article",
            &[
                "South Korea, Japan to Deepen Defence Ties, Pledge Collaboration on AI and Unmanned Systems: s12 s2 s19 s4 s5 s24 s31 (3/4)",
                "Headline B: budget: c2 c1 k1 (1/2)",
            ],
        ),
        (
            "group=article&q=budget",
            &["Headline B: budget: c2 c1 k1 (1/2)"],
        ),
    ];
    for (query, want) in table {
        assert_eq!(groups(&rows, &Query::parse(query)), *want, "{query:?}");
    }
    let q = Query::parse("group=article");
    let keys: Vec<String> = group(&rows, &select(&rows, &q), &q)
        .into_iter()
        .map(|g| g.key)
        .collect();
    assert_eq!(keys, [SEED_ID, B_ID]);
    let q = Query::parse("group=actor");
    let last = group(&rows, &select(&rows, &q), &q).pop().expect("groups");
    assert_eq!(
        (last.key.as_str(), last.title.as_str()),
        (UNATTRIBUTED, "Unattributed")
    );

    let japan = actor_page(&rows, "Japan");
    assert_eq!(ids(&rows, &japan.rows), ["s2", "s12", "c2"]);
    // Most shared first, then by name.
    assert_eq!(
        japan.partners,
        [
            ("South Korea".to_string(), 2),
            ("Critics".to_string(), 1),
            ("Treasury".to_string(), 1)
        ]
    );
    let critics = actor_page(&rows, "Critics");
    assert_eq!((critics.claims, critics.commitments), (1, 1));
    assert_eq!(
        critics.partners,
        [("Japan".to_string(), 1), ("Treasury".to_string(), 1)]
    );
}

#[test]
fn overdue_measures_partial_dates_by_their_last_day() {
    let base = session(false);
    // (due, status, today, overdue)
    let table: &[(&str, Option<Status>, &str, bool)] = &[
        ("2026", None, "2026-12-31", false),
        ("2026", None, "2027-01-01", true),
        ("2026-11", None, "2026-11-30", false),
        ("2026-11", None, "2026-12-01", true),
        ("2028-02", None, "2028-02-29", false),
        ("2028-02", None, "2028-03-01", true),
        ("2026-11-27", None, "2026-11-28", true),
        ("2026-11-28", None, "2026-11-28", false),
        ("2026-11-27", None, "2026-11-28T08:00:00.000Z", true),
        ("2026-11-27", None, "someday", false),
        ("2026-11-27", Some(Status::Kept), "2027-01-01", false),
        ("2026-11-27", Some(Status::Broken), "2027-01-01", false),
        ("2026-11-27", Some(Status::NotRated), "2027-01-01", true),
        ("2026-11-27", Some(Status::InProgress), "2027-01-01", true),
        ("2026-11-27", Some(Status::Stalled), "2027-01-01", true),
        ("2026-11-27", Some(Status::Compromise), "2027-01-01", true),
    ];
    for (due, status, today, want) in table {
        let mut s = base.clone();
        let mut clock = Clock(1000);
        set(
            &mut s,
            &mut clock,
            SEED_ID,
            "s4",
            Field::Due(due.to_string()),
        );
        if status.is_some() {
            set(&mut s, &mut clock, SEED_ID, "s4", Field::Status(*status));
        }
        let rows = digest_of(&s, today);
        let s4 = rows.iter().find(|r| r.annotation == "s4").expect("s4");
        assert_eq!(s4.overdue, *want, "{due} {status:?} {today}");
        assert!(rows
            .iter()
            .filter(|r| r.annotation != "s4")
            .all(|r| !r.overdue));
    }
}

#[test]
fn the_csv_reads_back_with_one_record_per_selected_row() {
    let s = session(true);
    let rows = digest_of(&s, "2026-12-01");
    for query in ["", "group=actor&sort=actor", "kind=claim", "q=nothing"] {
        let selected = select(&rows, &Query::parse(query));
        let csv = to_csv(&rows, &selected);
        assert!(csv.starts_with('\u{feff}'));
        let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header, digest::CSV_COLUMNS);
        assert_eq!(
            header.join(","),
            "article_id,headline,annotation_id,kind,start,end,quote,note,actors,deadline,due,status,status_at,checkable,overdue"
        );
        let records: Vec<csv::StringRecord> =
            reader.records().map(|r| r.expect("record")).collect();
        assert_eq!(records.len(), selected.len(), "{query:?}");
        for (rec, &i) in records.iter().zip(&selected) {
            let r = &rows[i];
            let actors = if r.actors.is_empty() {
                String::new()
            } else {
                r.actors.join("; ")
            };
            let want: Vec<String> = vec![
                r.article.clone(),
                r.headline.clone(),
                r.annotation.clone(),
                r.kind.as_str().into(),
                r.start.to_string(),
                r.end.to_string(),
                r.quote.clone(),
                r.note.clone(),
                actors,
                r.deadline.clone().unwrap_or_default(),
                r.due.clone().unwrap_or_default(),
                r.status.map_or("", |s| s.as_str()).into(),
                r.status_at.clone().unwrap_or_default(),
                r.checkable.map_or("", |c| c.as_str()).into(),
                r.overdue.to_string(),
            ];
            let got: Vec<String> = rec.iter().map(str::to_string).collect();
            assert_eq!(got, want, "{}", r.annotation);
        }
    }
    // A note with a quote, a comma and a line break survives.
    let all = select(&rows, &Query::parse("q=sipri"));
    let csv = to_csv(&rows, &all);
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rec = reader.records().next().expect("one").expect("record");
    assert_eq!(&rec[7], "deterrence \"note\"\nsee SIPRI, 2025");
}

#[test]
fn the_json_parses_with_the_same_values() {
    let s = session(true);
    let rows = digest_of(&s, "2026-12-01");
    let selected = select(&rows, &Query::parse("sort=article"));
    let json: serde_json::Value = serde_json::from_str(&to_json(&rows, &selected)).expect("parses");
    assert_eq!(json["format"], "article-annotator-digest");
    let out = json["rows"].as_array().expect("rows");
    assert_eq!(out.len(), selected.len());
    for (o, &i) in out.iter().zip(&selected) {
        let r = &rows[i];
        let opt = |v: Option<&str>| v.map_or(serde_json::Value::Null, |s| s.into());
        assert_eq!(o["article_id"], r.article.as_str());
        assert_eq!(o["headline"], r.headline.as_str());
        assert_eq!(o["annotation_id"], r.annotation.as_str());
        assert_eq!(o["kind"], r.kind.as_str());
        assert_eq!(o["start"], r.start);
        assert_eq!(o["end"], r.end);
        assert_eq!(o["quote"], r.quote.as_str());
        assert_eq!(o["note"], r.note.as_str());
        assert_eq!(o["actors"], serde_json::json!(r.actors));
        assert_eq!(o["deadline"], opt(r.deadline.as_deref()));
        assert_eq!(o["due"], opt(r.due.as_deref()));
        assert_eq!(o["status"], opt(r.status.map(Status::as_str)));
        assert_eq!(o["status_at"], opt(r.status_at.as_deref()));
        assert_eq!(o["checkable"], opt(r.checkable.map(Checkable::as_str)));
        assert_eq!(o["overdue"], r.overdue);
        assert_eq!(o.as_object().map(|m| m.len()), Some(15));
    }
    let c2 = &out[9];
    assert_eq!(c2["annotation_id"], "c2");
    assert_eq!(
        c2["actors"],
        serde_json::json!(["Japan", "Treasury", "Critics"])
    );
    assert_eq!(c2["status"], serde_json::Value::Null);
    assert_eq!(c2["overdue"], true);
    let empty: serde_json::Value = serde_json::from_str(&to_json(&rows, &[])).expect("parses");
    assert_eq!(empty["rows"], serde_json::json!([]));
}

#[test]
fn the_url_query_round_trips() {
    let example = "kind=commitment&actor=Shinjiro%20Koizumi&status=in_progress&checkable=yes&q=drills&group=actor&sort=due&overdue=1";
    let q = Query::parse(example);
    assert_eq!(
        q,
        Query {
            kind: Some(Label::Commitment),
            actor: Some("Shinjiro Koizumi".into()),
            status: Some(StatusFilter::Is(Status::InProgress)),
            checkable: Some(CheckableFilter::Is(Checkable::Yes)),
            text: "drills".into(),
            group: Grouping::Actor,
            sort: Sort::Due,
            overdue_only: true,
        }
    );
    // The default sort is left out.
    assert_eq!(q.to_query(), example.replace("&sort=due", ""));
    let table: &[(&str, Query)] = &[
        ("", Query::default()),
        ("?", Query::default()),
        (
            "?sort=actor",
            Query {
                sort: Sort::Actor,
                ..Query::default()
            },
        ),
        (
            "status=none&checkable=none",
            Query {
                status: Some(StatusFilter::NotSet),
                checkable: Some(CheckableFilter::NotSet),
                ..Query::default()
            },
        ),
        (
            "actor=unattributed",
            Query {
                actor: Some(UNATTRIBUTED.into()),
                ..Query::default()
            },
        ),
        (
            "q=a+b%2Bc&q=last",
            Query {
                text: "last".into(),
                ..Query::default()
            },
        ),
        (
            "q=a+b%2Bc",
            Query {
                text: "a b+c".into(),
                ..Query::default()
            },
        ),
        (
            "q=%E2%80%9Cmore%E2%80%9D",
            Query {
                text: "“more”".into(),
                ..Query::default()
            },
        ),
        (
            "q=100%",
            Query {
                text: "100%".into(),
                ..Query::default()
            },
        ),
        ("overdue=1&overdue=0", Query::default()),
        (
            "overdue=true",
            Query {
                overdue_only: true,
                ..Query::default()
            },
        ),
        (
            "group=none&sort=due&kind=&status=&checkable=maybe",
            Query::default(),
        ),
        (
            "kind=claim&kind=nonsense",
            Query {
                kind: Some(Label::Claim),
                ..Query::default()
            },
        ),
        (
            "%6Bind=claim",
            Query {
                kind: Some(Label::Claim),
                ..Query::default()
            },
        ),
        ("kind", Query::default()),
        ("==&&=x&%&%%", Query::default()),
    ];
    for (raw, want) in table {
        assert_eq!(Query::parse(raw), *want, "{raw:?}");
        assert_eq!(Query::parse(&want.to_query()), *want, "{raw:?}");
    }
    assert_eq!(Query::default().to_query(), "");
    assert_eq!(
        Query {
            text: "a b&c=d".into(),
            actor: Some("Ahn Gyu-back".into()),
            ..Query::default()
        }
        .to_query(),
        "actor=Ahn%20Gyu-back&q=a%20b%26c%3Dd"
    );
}

fn arb_query() -> impl Strategy<Value = Query> {
    let kind = prop::option::of(prop::sample::select(Label::ALL.to_vec()));
    let status = prop::option::of(prop_oneof![
        Just(StatusFilter::NotSet),
        prop::sample::select(Status::ALL.to_vec()).prop_map(StatusFilter::Is),
    ]);
    let checkable = prop::option::of(prop_oneof![
        Just(CheckableFilter::NotSet),
        prop::sample::select(Checkable::ALL.to_vec()).prop_map(CheckableFilter::Is),
    ]);
    let text = prop_oneof![Just(String::new()), any::<String>(), "[ a-z%+&=?#]{0,12}"];
    let actor = prop::option::of(prop_oneof![
        Just(UNATTRIBUTED.to_string()),
        any::<String>(),
        "[ A-Za-z%+&=-]{0,12}"
    ]);
    (
        kind,
        actor,
        status,
        checkable,
        text,
        prop::sample::select(Grouping::ALL.to_vec()),
        prop::sample::select(Sort::ALL.to_vec()),
        any::<bool>(),
    )
        .prop_map(
            |(kind, actor, status, checkable, text, group, sort, overdue_only)| Query {
                kind,
                actor,
                status,
                checkable,
                text,
                group,
                sort,
                overdue_only,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// Every query survives the URL.
    #[test]
    fn any_query_round_trips(q in arb_query()) {
        prop_assert_eq!(Query::parse(&q.to_query()), q);
    }

    /// Any string parses (no panic) to a query that then round trips.
    #[test]
    fn any_string_parses(raw in prop_oneof![any::<String>(), "[a-z=&%+0-9A-F?]{0,40}"]) {
        let q = Query::parse(&raw);
        prop_assert_eq!(Query::parse(&q.to_query()), q);
    }
}

#[test]
fn progress_and_the_next_article_not_done() {
    let mut s = session(true);
    let p = progress(s.catalog(), s.workspace());
    assert_eq!((p.articles, p.done), (3, 0));
    // The seed: 28 entities, 3 claims, 4 commitments; b: 4, 1, 2; c none.
    assert_eq!(p.counts, [32, 4, 6]);
    let next =
        |s: &Session, current: Option<&str>| next_not_done(s.catalog(), s.workspace(), current);
    let mut clock = Clock(5000);
    let done = |s: &mut Session, clock: &mut Clock, id: &str, on: bool| {
        s.set_done(&ArticleId::from(id), on, &clock.now())
            .expect("done");
    };
    // (marked done, current, next)
    let table: &[(&[&str], Option<&str>, Option<&str>)] = &[
        (&[], None, Some(SEED_ID)),
        (&[], Some(SEED_ID), Some(B_ID)),
        (&[], Some(B_ID), Some(C_ID)),
        (&[], Some(C_ID), Some(SEED_ID)),
        (&[], Some("unknown"), Some(SEED_ID)),
        (&[B_ID], Some(SEED_ID), Some(C_ID)),
        (&[B_ID, C_ID], Some(SEED_ID), Some(SEED_ID)),
        (&[B_ID, C_ID], Some(B_ID), Some(SEED_ID)),
        (&[SEED_ID], None, Some(B_ID)),
        (&[SEED_ID, B_ID], Some(C_ID), Some(C_ID)),
        (&[SEED_ID, B_ID, C_ID], Some(C_ID), None),
        (&[SEED_ID, B_ID, C_ID], None, None),
    ];
    for (marked, current, want) in table {
        for id in [SEED_ID, B_ID, C_ID] {
            done(&mut s, &mut clock, id, marked.contains(&id));
        }
        assert_eq!(
            next(&s, *current).as_deref(),
            *want,
            "{marked:?} {current:?}"
        );
        let p = progress(s.catalog(), s.workspace());
        assert_eq!(p.done, marked.len());
        assert_eq!(p.counts, [32, 4, 6]);
    }
    let empty = Catalog::default();
    assert_eq!(next_not_done(&empty, s.workspace(), None), None);
    assert_eq!(progress(&empty, s.workspace()), digest::Progress::default());
}

/// 200 articles of 100 annotations (40 entities named from a pool of 37
/// names shared across articles, 30 claims, 30 commitments), 25 relations
/// each (5,000 in all).
fn large() -> (Catalog, Workspace) {
    let texts: Vec<(String, String)> = (0..200)
        .map(|i| {
            let body: Vec<String> = (0..100).map(|j| format!("word{j:03}x{i:03}")).collect();
            (
                format!("gen-{i:03}"),
                format!("Summary {i}\nHeadline number {i}\n\n{}", body.join(" ")),
            )
        })
        .collect();
    let seeds: Vec<(&str, &str)> = texts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (catalog, errors) = Catalog::from_seeds(&seeds);
    assert!(errors.is_empty());
    let mut ws = Workspace::new();
    let now = Timestamp::from("2026-11-28T10:00:00.000Z");
    let statuses = [
        None,
        Some(Status::Kept),
        Some(Status::InProgress),
        Some(Status::Broken),
    ];
    for (i, article) in catalog.articles().iter().enumerate() {
        let head = article
            .text()
            .find("word")
            .map(|b| article.text()[..b].chars().count())
            .expect("body");
        let mut items = Vec::new();
        for j in 0..100 {
            let start = head + j * 12;
            let span = Span::new(start, start + 11, article.len()).expect("span");
            let label = match j {
                0..40 => Label::Entity,
                40..70 => Label::Claim,
                _ => Label::Commitment,
            };
            let mut a = Annotation::at(
                article,
                span,
                label,
                AnnotationId::from(format!("a{i}-{j}")),
                &now,
            );
            match j {
                0..40 => a.attributes.name = Some(format!("Actor {:02}", (i + j) % 37)),
                40..70 => a.note = format!("note {}", (i * j) % 11),
                _ => {
                    if j % 3 == 0 {
                        a.attributes.due =
                            Some(format!("{}-{:02}", 2025 + (i + j) % 3, 1 + j % 12));
                    }
                    a.attributes.status = statuses[(i + j) % 4];
                }
            }
            // 10 claims said by one entity; 15 commitments by one entity.
            let mut to = |e: usize| {
                a.links.push(Link {
                    id: format!("r{i}-{j}-{e}"),
                    kind: RelationType::of(label).expect("links"),
                    to: format!("a{i}-{e}"),
                    created_at: now.to_string(),
                    updated_at: now.to_string(),
                    extra: Default::default(),
                });
            };
            match j {
                40..50 => to(j - 40),
                70..85 => to(j - 70 + (j % 2) * 20),
                _ => {}
            }
            items.push(a);
        }
        *ws.set_mut(article) = AnnotationSet::from_checked(items);
    }
    (catalog, ws)
}

#[test]
fn a_large_digest_is_right_and_its_time_is_printed() {
    let (catalog, ws) = large();
    let relations: usize = ws
        .entries()
        .iter()
        .flat_map(|e| e.set.items())
        .map(|a| a.links.len())
        .sum();
    assert_eq!((ws.count(), relations), (20_000, 5_000));

    let t = Instant::now();
    let rows = rows(&catalog, &ws, "2026-06-15");
    let t_rows = t.elapsed();
    let q = Query::default();
    let t = Instant::now();
    let all = select(&rows, &q);
    let t_select = t.elapsed();
    // Once more, as after an edit (the first call also pays for fresh
    // memory).
    let t = Instant::now();
    let again = digest::rows(&catalog, &ws, "2026-06-15");
    let t_rows_again = t.elapsed();
    let t = Instant::now();
    let all_again = select(&again, &q);
    let t_select_again = t.elapsed();
    assert_eq!((&again, &all_again), (&rows, &all));
    let filtered_q = Query::parse("kind=commitment&q=word0&overdue=1");
    let t = Instant::now();
    let filtered = select(&rows, &filtered_q);
    let t_filter = t.elapsed();
    let by_actor = Query {
        group: Grouping::Actor,
        sort: Sort::Actor,
        ..Query::default()
    };
    let t = Instant::now();
    let actor_sorted = select(&rows, &by_actor);
    let groups = group(&rows, &actor_sorted, &by_actor);
    let t_group = t.elapsed();
    eprintln!(
        "digest of 200 articles, 20,000 annotations, 5,000 relations: rows() {t_rows:?}, \
         select() {t_select:?} (all, by due): rows()+select() {:?}; again {:?} + {:?} = {:?}; \
         filtered select {t_filter:?}, select by actor + group {t_group:?}",
        t_rows + t_select,
        t_rows_again,
        t_select_again,
        t_rows_again + t_select_again,
    );

    assert_eq!(rows.len(), 200 * 60);
    assert_eq!(digest::unattributed(&rows), (200 * 20, 200 * 15));
    assert_eq!(all.len(), rows.len());
    // Due order: undated last, non-decreasing by the due date's last day.
    let last_day = |r: &Row| {
        r.due.as_deref().map(|d| match d.len() {
            4 => format!("{d}-12-31"),
            7 => format!("{d}-{}", if d.ends_with("-02") { 28 } else { 30 }),
            _ => d.to_string(),
        })
    };
    let keys: Vec<(bool, String)> = all
        .iter()
        .map(|&i| {
            let d = last_day(&rows[i]);
            (d.is_none(), d.unwrap_or_default())
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    // Every row matches the brute-force filter.
    let brute: Vec<usize> = (0..rows.len())
        .filter(|&i| {
            let r = &rows[i];
            r.kind == Label::Commitment && r.overdue && r.quote.to_lowercase().contains("word0")
        })
        .collect();
    let mut sorted = filtered.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, brute);
    assert!(!filtered.is_empty());
    for &i in &filtered {
        let r = &rows[i];
        let due = r.due.as_deref().expect("overdue has a due date");
        assert!(due < "2026-06" && !matches!(r.status, Some(Status::Kept | Status::Broken)));
    }
    // Groups: every actor's group holds exactly the rows naming it.
    let named: usize = groups
        .iter()
        .filter(|g| g.key != UNATTRIBUTED)
        .map(|g| g.rows.len())
        .sum();
    let links: usize = rows.iter().map(|r| r.actors.len()).sum();
    assert_eq!(named, links);
    for g in &groups {
        let want = if g.key == UNATTRIBUTED {
            rows.iter().filter(|r| r.actors.is_empty()).count()
        } else {
            rows.iter().filter(|r| r.actors.contains(&g.key)).count()
        };
        assert_eq!(g.rows.len(), want, "{}", g.key);
        assert_eq!(g.claims + g.commitments, want, "{}", g.key);
        assert_eq!(actor_page(&rows, &g.key).rows.len(), want, "{}", g.key);
    }
    assert!(groups
        .windows(2)
        .all(|w| w[1].key == UNATTRIBUTED || digest::name_order(&w[0].key, &w[1].key).is_lt()));
    assert_eq!(groups.len(), 38);
    let csv = to_csv(&rows, &all);
    assert_eq!(csv.lines().count(), rows.len() + 1);
    let json: serde_json::Value = serde_json::from_str(&to_json(&rows, &filtered)).expect("json");
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(filtered.len()));
    let p = progress(&catalog, &ws);
    assert_eq!(
        (p.articles, p.done, p.counts),
        (200, 0, [8_000, 6_000, 6_000])
    );
}
