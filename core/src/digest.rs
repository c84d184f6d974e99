//! The digest: every claim and commitment of every article, by who made it
//! (issue 16).
//!
//! - [`rows`] turns the catalog and the workspace into one [`Row`] per claim
//!   and per commitment, in catalog order then text order, with the linked
//!   entities' names as its actors and what filtering needs worked out once
//!   (lower-cased search text, the due date's last day, the first actor).
//! - A [`Query`] holds the filters, the grouping and the sort; it is the
//!   digest's URL query ([`Query::parse`], [`Query::to_query`]).
//! - [`select`] filters and sorts the rows, [`group`] groups the selection,
//!   [`actor_page`] gathers one name's rows and partners, [`unattributed`]
//!   counts the work left.
//! - [`to_csv`] and [`to_json`] export the rows as shown.
//! - [`progress`] and [`next_not_done`]: progress across articles.
//!
//! Dates: a due date is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (FORMAT.md); a
//! partial one stands for the last day of its period (`2026` for
//! 2026-12-31, `2026-11` for 2026-11-30), both when sorting and when telling
//! whether a commitment is overdue.

use std::cmp::Ordering;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::attributes::{days_in, is_iso_date, Checkable, Status};
use crate::catalog::Catalog;
use crate::label::Label;
use crate::workspace::{Entry, Workspace};

/// The actor filter's value (and the group key) for claims and commitments
/// linked to no entity.
pub const UNATTRIBUTED: &str = "unattributed";

/// The title of the group of unattributed rows.
pub const UNATTRIBUTED_TITLE: &str = "Unattributed";

/// The `format` of the JSON export.
pub const JSON_FORMAT: &str = "article-annotator-digest";

/// The CSV export's header row.
pub const CSV_COLUMNS: [&str; 15] = [
    "article_id",
    "headline",
    "annotation_id",
    "kind",
    "start",
    "end",
    "quote",
    "note",
    "actors",
    "deadline",
    "due",
    "status",
    "status_at",
    "checkable",
    "overdue",
];

/// One claim or commitment of the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The article's id.
    pub article: String,
    /// The article's headline.
    pub headline: String,
    /// The annotation's id.
    pub annotation: String,
    /// [`Label::Claim`] or [`Label::Commitment`].
    pub kind: Label,
    /// The text at the span.
    pub quote: String,
    /// The annotation's note.
    pub note: String,
    /// First code point.
    pub start: usize,
    /// End (exclusive), code points.
    pub end: usize,
    /// The names ([`crate::Annotation::name`]) of the linked entities, in
    /// link order, each once; empty when unattributed.
    pub actors: Vec<String>,
    /// A commitment's deadline as the text words it.
    pub deadline: Option<String>,
    /// A commitment's due date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub due: Option<String>,
    /// A commitment's status.
    pub status: Option<Status>,
    /// The date the status was set.
    pub status_at: Option<String>,
    /// A claim's checkability.
    pub checkable: Option<Checkable>,
    /// A commitment whose due date (its last day, for a year or a month)
    /// is before `today` and whose status is neither kept nor broken.
    pub overdue: bool,
    /// The article's position in the catalog.
    article_pos: usize,
    /// The row's position in catalog-then-text order.
    order: usize,
    /// Quote, note, headline and actor names, lower case, one per line.
    haystack: String,
    /// The due date's last day as `YYYYMMDD`; `u32::MAX` when undated (or
    /// the due date is not a date).
    due_rank: u32,
    /// The first actor's name, lower case.
    actor_key: Option<String>,
}

impl Row {
    /// True when no entity is linked.
    pub fn is_unattributed(&self) -> bool {
        self.actors.is_empty()
    }
}

/// Appends `s` in lower case (as [`str::to_lowercase`]; ASCII without a
/// copy).
fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// `YYYYMMDD` of a full ISO date (the first 10 characters of `s`, so an
/// RFC 3339 timestamp gives its day).
fn full_date(s: &str) -> Option<u32> {
    let day = s.get(..10)?;
    if !is_iso_date(day) {
        return None;
    }
    day.replace('-', "").parse().ok()
}

/// `YYYYMMDD` of the last day a due date stands for.
fn due_end(due: &str) -> Option<u32> {
    if !is_iso_date(due) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| due.get(r).and_then(|p| p.parse::<u32>().ok());
    let year = num(0..4)?;
    let (month, day) = match due.len() {
        4 => (12, 31),
        7 => {
            let m = num(5..7)?;
            (m, days_in(year, m))
        }
        _ => (num(5..7)?, num(8..10)?),
    };
    Some(year * 10_000 + month * 100 + day)
}

/// Every claim and commitment of the catalog's articles (articles without
/// annotations give none), in catalog order, each article's in text order.
/// `today` is the ISO date overdue is measured against (`YYYY-MM-DD`; a
/// longer RFC 3339 timestamp is cut to its day; anything else marks
/// nothing overdue). Links to an annotation that is not there, or not an
/// entity, are left out.
pub fn rows(catalog: &Catalog, workspace: &Workspace, today: &str) -> Vec<Row> {
    let today = full_date(today);
    let entries: FxHashMap<&str, &Entry> = workspace
        .entries()
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let mut out = Vec::new();
    for (article_pos, article) in catalog.articles().iter().enumerate() {
        let Some(entry) = entries.get(article.id()) else {
            continue;
        };
        let items = entry.set.items();
        if items.is_empty() {
            continue;
        }
        // Entity id → name, made once per article (only when something links).
        let names: FxHashMap<&str, &str> = if items.iter().any(|a| !a.links.is_empty()) {
            items
                .iter()
                .filter(|a| a.label == Label::Entity)
                .map(|a| (a.id.as_str(), a.name()))
                .collect()
        } else {
            FxHashMap::default()
        };
        let headline = article.headline();
        let headline_lower = headline.to_lowercase();
        for a in items {
            if a.label == Label::Entity {
                continue;
            }
            let mut actors: Vec<String> = Vec::new();
            for l in &a.links {
                if let Some(name) = names.get(l.to.as_str()) {
                    if !actors.iter().any(|n| n == name) {
                        actors.push((*name).to_string());
                    }
                }
            }
            let f = &a.attributes;
            let due_end = f.due.as_deref().and_then(due_end);
            let overdue = a.label == Label::Commitment
                && !matches!(f.status, Some(Status::Kept | Status::Broken))
                && matches!((due_end, today), (Some(d), Some(t)) if d < t);
            let mut haystack = String::with_capacity(
                a.quote.len() + a.note.len() + headline_lower.len() + 16 * (actors.len() + 1),
            );
            push_lower(&mut haystack, &a.quote);
            haystack.push('\n');
            push_lower(&mut haystack, &a.note);
            haystack.push('\n');
            haystack.push_str(&headline_lower);
            for n in &actors {
                haystack.push('\n');
                push_lower(&mut haystack, n);
            }
            let order = out.len();
            out.push(Row {
                article: article.id().to_string(),
                headline: headline.to_string(),
                annotation: a.id.clone(),
                kind: a.label,
                quote: a.quote.clone(),
                note: a.note.clone(),
                start: a.start,
                end: a.end,
                actor_key: actors.first().map(|n| n.to_lowercase()),
                actors,
                deadline: f.deadline.clone(),
                due: f.due.clone(),
                status: f.status,
                status_at: f.status_at.clone(),
                checkable: f.checkable,
                overdue,
                article_pos,
                order,
                haystack,
                due_rank: due_end.unwrap_or(u32::MAX),
            });
        }
    }
    out
}

/// A status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusFilter {
    /// Commitments with this status.
    Is(Status),
    /// Commitments with no status.
    NotSet,
}

/// A checkability filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckableFilter {
    /// Claims with this value.
    Is(Checkable),
    /// Claims not rated.
    NotSet,
}

/// How the digest is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Grouping {
    /// One list.
    #[default]
    None,
    /// One group per actor name, then the unattributed.
    Actor,
    /// One group per article, in catalog order.
    Article,
}

impl Grouping {
    /// Every grouping, in menu order.
    pub const ALL: [Grouping; 3] = [Grouping::None, Grouping::Actor, Grouping::Article];

    /// The URL value (`none`, `actor`, `article`).
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::None => "none",
            Grouping::Actor => "actor",
            Grouping::Article => "article",
        }
    }

    /// The name shown to people.
    pub fn title(self) -> &'static str {
        match self {
            Grouping::None => "No grouping",
            Grouping::Actor => "Actor",
            Grouping::Article => "Article",
        }
    }

    /// The grouping for a URL value.
    pub fn parse(s: &str) -> Option<Grouping> {
        Grouping::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// How the digest is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sort {
    /// By due date, earliest first, undated last.
    #[default]
    Due,
    /// By the first actor's name, unattributed last.
    Actor,
    /// By article (catalog order), then text order.
    Article,
}

impl Sort {
    /// Every sort, in menu order.
    pub const ALL: [Sort; 3] = [Sort::Due, Sort::Actor, Sort::Article];

    /// The URL value (`due`, `actor`, `article`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Due => "due",
            Sort::Actor => "actor",
            Sort::Article => "article",
        }
    }

    /// The name shown to people.
    pub fn title(self) -> &'static str {
        match self {
            Sort::Due => "Due date",
            Sort::Actor => "Actor",
            Sort::Article => "Article",
        }
    }

    /// The sort for a URL value.
    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What the digest shows: filters, grouping and sort. It is the digest's
/// URL query ([`Query::parse`], [`Query::to_query`]).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Query {
    /// Only claims or only commitments (an entity selects nothing).
    pub kind: Option<Label>,
    /// Only rows linked to this exact name (case counts); [`UNATTRIBUTED`]:
    /// only rows linked to none (so an entity named exactly `unattributed`
    /// cannot be picked here).
    pub actor: Option<String>,
    /// Only commitments with this status (or none); claims never pass.
    pub status: Option<StatusFilter>,
    /// Only claims with this checkability (or none); commitments never
    /// pass.
    pub checkable: Option<CheckableFilter>,
    /// Case-insensitive text in the quote, the note, the headline or an
    /// actor's name (trimmed; empty: no filter).
    pub text: String,
    /// How rows are grouped.
    pub group: Grouping,
    /// How rows are sorted.
    pub sort: Sort,
    /// Only overdue commitments.
    pub overdue_only: bool,
}

/// Percent-decodes a URL query component (`+` is a space); a `%` not
/// followed by two hex digits stays as it is; invalid UTF-8 is replaced.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let pair = bytes
                    .get(i + 1)
                    .and_then(|&h| hex(h))
                    .zip(bytes.get(i + 2).and_then(|&l| hex(l)));
                if let Some((h, l)) = pair {
                    out.push(h * 16 + l);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but the unreserved characters (RFC 3986);
/// a space becomes `%20`.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Query {
    /// The query a URL query string gives (`kind=commitment&actor=Shinjiro%20Koizumi&status=in_progress&checkable=yes&q=drills&group=actor&sort=due&overdue=1`;
    /// a leading `?` is skipped). Values are percent-decoded, `+` is a
    /// space; `status=none` and `checkable=none` select rows without one;
    /// `overdue` is `1`/`true` or `0`/`false`. Unknown keys and values are
    /// ignored; a key given twice takes its last value.
    pub fn parse(query: &str) -> Query {
        let mut q = Query::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match decode(key).as_str() {
                "kind" => {
                    if let Some(l) = Label::parse(&value) {
                        q.kind = Some(l);
                    }
                }
                "actor" => q.actor = Some(value),
                "status" => {
                    if value == "none" {
                        q.status = Some(StatusFilter::NotSet);
                    } else if let Some(s) = Status::parse(&value) {
                        q.status = Some(StatusFilter::Is(s));
                    }
                }
                "checkable" => {
                    if value == "none" {
                        q.checkable = Some(CheckableFilter::NotSet);
                    } else if let Some(c) = Checkable::parse(&value) {
                        q.checkable = Some(CheckableFilter::Is(c));
                    }
                }
                "q" => q.text = value,
                "group" => {
                    if let Some(g) = Grouping::parse(&value) {
                        q.group = g;
                    }
                }
                "sort" => {
                    if let Some(s) = Sort::parse(&value) {
                        q.sort = s;
                    }
                }
                "overdue" => match value.as_str() {
                    "1" | "true" => q.overdue_only = true,
                    "0" | "false" => q.overdue_only = false,
                    _ => {}
                },
                _ => {}
            }
        }
        q
    }

    /// The URL query string (without `?`) that [`Query::parse`] reads back
    /// as this query: keys in the order `kind`, `actor`, `status`,
    /// `checkable`, `q`, `group`, `sort`, `overdue`, fields at their default
    /// left out (the default query gives an empty string).
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(k) = self.kind {
            parts.push(format!("kind={}", k.as_str()));
        }
        if let Some(a) = &self.actor {
            parts.push(format!("actor={}", encode(a)));
        }
        match self.status {
            Some(StatusFilter::Is(s)) => parts.push(format!("status={}", s.as_str())),
            Some(StatusFilter::NotSet) => parts.push("status=none".into()),
            None => {}
        }
        match self.checkable {
            Some(CheckableFilter::Is(c)) => parts.push(format!("checkable={}", c.as_str())),
            Some(CheckableFilter::NotSet) => parts.push("checkable=none".into()),
            None => {}
        }
        if !self.text.is_empty() {
            parts.push(format!("q={}", encode(&self.text)));
        }
        if self.group != Grouping::None {
            parts.push(format!("group={}", self.group.as_str()));
        }
        if self.sort != Sort::Due {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if self.overdue_only {
            parts.push("overdue=1".into());
        }
        parts.join("&")
    }
}

/// Whether `row` passes every filter of `q` (`needle`: the query's text,
/// trimmed and lower case).
fn passes(row: &Row, q: &Query, needle: &str) -> bool {
    if q.kind.is_some_and(|k| k != row.kind) {
        return false;
    }
    if let Some(actor) = &q.actor {
        let ok = if actor == UNATTRIBUTED {
            row.actors.is_empty()
        } else {
            row.actors.iter().any(|a| a == actor)
        };
        if !ok {
            return false;
        }
    }
    if let Some(s) = q.status {
        let ok = row.kind == Label::Commitment
            && match s {
                StatusFilter::Is(s) => row.status == Some(s),
                StatusFilter::NotSet => row.status.is_none(),
            };
        if !ok {
            return false;
        }
    }
    if let Some(c) = q.checkable {
        let ok = row.kind == Label::Claim
            && match c {
                CheckableFilter::Is(c) => row.checkable == Some(c),
                CheckableFilter::NotSet => row.checkable.is_none(),
            };
        if !ok {
            return false;
        }
    }
    if q.overdue_only && !row.overdue {
        return false;
    }
    needle.is_empty() || row.haystack.contains(needle)
}

/// Compares two names as the digest orders them: case-insensitively, then
/// exactly (so the order is total and the same everywhere).
pub fn name_order(a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// The indices of the rows that pass every filter of `q`, sorted by
/// `q.sort`: [`Sort::Due`] by the due date's last day (undated last),
/// [`Sort::Actor`] by the first actor's name ([`name_order`];
/// unattributed last), [`Sort::Article`] by catalog order; ties in
/// catalog order, then text order.
pub fn select(rows: &[Row], q: &Query) -> Vec<usize> {
    let needle = q.text.trim().to_lowercase();
    let mut out: Vec<usize> = (0..rows.len())
        .filter(|&i| passes(&rows[i], q, &needle))
        .collect();
    let place = |r: &Row| (r.article_pos, r.order);
    match q.sort {
        Sort::Due => out.sort_by_key(|&i| (rows[i].due_rank, place(&rows[i]))),
        Sort::Article => out.sort_by_key(|&i| place(&rows[i])),
        Sort::Actor => out.sort_by(|&i, &j| {
            let (a, b) = (&rows[i], &rows[j]);
            let by_actor = match (&a.actor_key, &b.actor_key) {
                (Some(x), Some(y)) => x
                    .cmp(y)
                    .then_with(|| a.actors.first().cmp(&b.actors.first())),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_actor.then_with(|| place(a).cmp(&place(b)))
        }),
    }
    out
}

/// One group of the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// What identifies it: the actor's name ([`UNATTRIBUTED`] for the
    /// unattributed), the article's id, or `""` when not grouped.
    pub key: String,
    /// Its heading: the actor's name, [`UNATTRIBUTED_TITLE`], the article's
    /// headline, or `""` when not grouped.
    pub title: String,
    /// Its rows (indices), in the order of the selection.
    pub rows: Vec<usize>,
    /// How many of them are claims.
    pub claims: usize,
    /// How many of them are commitments.
    pub commitments: usize,
}

impl Group {
    fn new(key: &str, title: &str) -> Group {
        Group {
            key: key.to_string(),
            title: title.to_string(),
            rows: Vec::new(),
            claims: 0,
            commitments: 0,
        }
    }

    fn push(&mut self, rows: &[Row], i: usize) {
        self.rows.push(i);
        match rows[i].kind {
            Label::Claim => self.claims += 1,
            Label::Commitment => self.commitments += 1,
            Label::Entity => {}
        }
    }
}

/// The selected rows in groups, as `q.group` says: [`Grouping::None`] one
/// group (key and title `""`) holding them all (also when there are none);
/// [`Grouping::Actor`] one per actor name in [`name_order`] (a row with two
/// actors is in both), then the unattributed rows (key [`UNATTRIBUTED`],
/// title [`UNATTRIBUTED_TITLE`]); [`Grouping::Article`] one per article in
/// catalog order (key the article id, title its headline). Only groups
/// with rows are made, except for `None`. Inside a group rows keep the
/// order of `selected`.
pub fn group(rows: &[Row], selected: &[usize], q: &Query) -> Vec<Group> {
    match q.group {
        Grouping::None => {
            let mut g = Group::new("", "");
            for &i in selected {
                g.push(rows, i);
            }
            vec![g]
        }
        Grouping::Actor => {
            let mut groups: Vec<Group> = Vec::new();
            let mut index: FxHashMap<&str, usize> = FxHashMap::default();
            let mut none = Group::new(UNATTRIBUTED, UNATTRIBUTED_TITLE);
            for &i in selected {
                let row = &rows[i];
                if row.actors.is_empty() {
                    none.push(rows, i);
                }
                for name in &row.actors {
                    let k = *index.entry(name.as_str()).or_insert_with(|| {
                        groups.push(Group::new(name, name));
                        groups.len() - 1
                    });
                    groups[k].push(rows, i);
                }
            }
            groups.sort_by(|a, b| name_order(&a.key, &b.key));
            if !none.rows.is_empty() {
                groups.push(none);
            }
            groups
        }
        Grouping::Article => {
            let mut groups: Vec<(usize, Group)> = Vec::new();
            let mut index: FxHashMap<usize, usize> = FxHashMap::default();
            for &i in selected {
                let row = &rows[i];
                let k = *index.entry(row.article_pos).or_insert_with(|| {
                    groups.push((row.article_pos, Group::new(&row.article, &row.headline)));
                    groups.len() - 1
                });
                groups[k].1.push(rows, i);
            }
            groups.sort_by_key(|(pos, _)| *pos);
            groups.into_iter().map(|(_, g)| g).collect()
        }
    }
}

/// One name's page: everything it said or committed to, and who shares its
/// commitments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorPage {
    /// The name.
    pub name: String,
    /// Its rows (indices), in catalog order then text order.
    pub rows: Vec<usize>,
    /// How many are claims.
    pub claims: usize,
    /// How many are commitments.
    pub commitments: usize,
    /// The other names linked to its commitments, with how many
    /// commitments each shares; most first, then in [`name_order`].
    pub partners: Vec<(String, usize)>,
}

/// The page of the actor `name` (an exact name; [`UNATTRIBUTED`] gives the
/// unattributed rows, with no partners).
pub fn actor_page(rows: &[Row], name: &str) -> ActorPage {
    let mut g = Group::new(name, name);
    let mut shared: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, row) in rows.iter().enumerate() {
        let mine = if name == UNATTRIBUTED {
            row.actors.is_empty()
        } else {
            row.actors.iter().any(|a| a == name)
        };
        if !mine {
            continue;
        }
        g.push(rows, i);
        if row.kind == Label::Commitment {
            for other in row.actors.iter().filter(|a| *a != name) {
                *shared.entry(other.as_str()).or_default() += 1;
            }
        }
    }
    let mut partners: Vec<(String, usize)> = shared
        .into_iter()
        .map(|(n, c)| (n.to_string(), c))
        .collect();
    partners.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name_order(&a.0, &b.0)));
    ActorPage {
        name: name.to_string(),
        rows: g.rows,
        claims: g.claims,
        commitments: g.commitments,
        partners,
    }
}

/// How many claims and commitments (in that order) are linked to no
/// entity: the attribution work left.
pub fn unattributed(rows: &[Row]) -> (usize, usize) {
    let mut out = (0, 0);
    for row in rows.iter().filter(|r| r.actors.is_empty()) {
        match row.kind {
            Label::Claim => out.0 += 1,
            Label::Commitment => out.1 += 1,
            Label::Entity => {}
        }
    }
    out
}

/// The selected rows as CSV, in that order: a UTF-8 byte-order mark, the
/// header ([`CSV_COLUMNS`]), one record per row (actors joined by `; `,
/// status and checkable as wire names, overdue `true`/`false`, empty for
/// what is not set), quoted as RFC 4180 says (the CSV export's quoting).
pub fn to_csv(rows: &[Row], selected: &[usize]) -> String {
    use crate::formats::csv::record;
    let mut out = String::from("\u{feff}");
    record(&mut out, &CSV_COLUMNS);
    for row in selected.iter().filter_map(|&i| rows.get(i)) {
        record(
            &mut out,
            &[
                &row.article,
                &row.headline,
                &row.annotation,
                row.kind.as_str(),
                &row.start.to_string(),
                &row.end.to_string(),
                &row.quote,
                &row.note,
                &row.actors.join("; "),
                row.deadline.as_deref().unwrap_or_default(),
                row.due.as_deref().unwrap_or_default(),
                row.status.map_or("", |s| s.as_str()),
                row.status_at.as_deref().unwrap_or_default(),
                row.checkable.map_or("", |c| c.as_str()),
                if row.overdue { "true" } else { "false" },
            ],
        );
    }
    out
}

/// A row as the JSON export writes it.
#[derive(Serialize)]
struct JsonRow<'a> {
    article_id: &'a str,
    headline: &'a str,
    annotation_id: &'a str,
    kind: &'static str,
    start: usize,
    end: usize,
    quote: &'a str,
    note: &'a str,
    actors: &'a [String],
    deadline: Option<&'a str>,
    due: Option<&'a str>,
    status: Option<&'static str>,
    status_at: Option<&'a str>,
    checkable: Option<&'static str>,
    overdue: bool,
}

/// The JSON export's document.
#[derive(Serialize)]
struct JsonDigest<'a> {
    format: &'static str,
    rows: Vec<JsonRow<'a>>,
}

/// The selected rows as JSON, in that order:
/// `{"format":"article-annotator-digest","rows":[…]}`, each row with the
/// CSV's fields under the same names (`actors` an array, `overdue` a
/// boolean, what is not set `null`; status and checkable as wire names).
/// Pretty-printed, ending with a line break.
pub fn to_json(rows: &[Row], selected: &[usize]) -> String {
    let doc = JsonDigest {
        format: JSON_FORMAT,
        rows: selected
            .iter()
            .filter_map(|&i| rows.get(i))
            .map(|r| JsonRow {
                article_id: &r.article,
                headline: &r.headline,
                annotation_id: &r.annotation,
                kind: r.kind.as_str(),
                start: r.start,
                end: r.end,
                quote: &r.quote,
                note: &r.note,
                actors: &r.actors,
                deadline: r.deadline.as_deref(),
                due: r.due.as_deref(),
                status: r.status.map(Status::as_str),
                status_at: r.status_at.as_deref(),
                checkable: r.checkable.map(Checkable::as_str),
                overdue: r.overdue,
            })
            .collect(),
    };
    // Borrowed strings, numbers and booleans: serialising cannot fail.
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Progress across the catalog's articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// How many articles the catalog holds.
    pub articles: usize,
    /// How many of them are marked done.
    pub done: usize,
    /// Annotations of each label ([`Label::ALL`] order) in all of them.
    pub counts: [usize; 3],
}

/// How many of the catalog's articles are done and how many annotations of
/// each label they hold (entries of articles the catalog does not know are
/// not counted).
pub fn progress(catalog: &Catalog, workspace: &Workspace) -> Progress {
    let entries: FxHashMap<&str, &Entry> = workspace
        .entries()
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let mut p = Progress {
        articles: catalog.len(),
        ..Progress::default()
    };
    for article in catalog.articles() {
        if let Some(e) = entries.get(article.id()) {
            p.done += usize::from(e.meta.done);
            for (total, n) in p.counts.iter_mut().zip(e.set.counts()) {
                *total += n;
            }
        }
    }
    p
}

/// The id of the next article after `current` in catalog order that is not
/// marked done, wrapping around to the first; `current` itself comes last
/// (it is the answer only when every other article is done). With no
/// `current`, or one the catalog does not hold, the first not done. `None`
/// when every article is done (or there is none).
pub fn next_not_done(
    catalog: &Catalog,
    workspace: &Workspace,
    current: Option<&str>,
) -> Option<String> {
    let done: FxHashSet<&str> = workspace
        .entries()
        .iter()
        .filter(|e| e.meta.done)
        .map(|e| e.id.as_str())
        .collect();
    let articles = catalog.articles();
    let n = articles.len();
    let start = current
        .and_then(|c| articles.iter().position(|a| a.id() == c))
        .map_or(0, |p| p + 1);
    (0..n)
        .map(|k| &articles[(start + k) % n])
        .find(|a| !done.contains(a.id()))
        .map(|a| a.id().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_due_dates_end_with_their_period() {
        let rows: &[(&str, Option<u32>)] = &[
            ("2026", Some(20261231)),
            ("2026-11", Some(20261130)),
            ("2028-02", Some(20280229)),
            ("2027-02", Some(20270228)),
            ("2026-03-05", Some(20260305)),
            ("soon", None),
            ("2026-13", None),
        ];
        for (due, want) in rows {
            assert_eq!(due_end(due), *want, "{due}");
        }
        assert_eq!(full_date("2026-11-28T10:00:00.000Z"), Some(20261128));
        assert_eq!(full_date("2026-11"), None);
    }

    #[test]
    fn percent_coding() {
        let rows = [
            ("Shinjiro%20Koizumi", "Shinjiro Koizumi"),
            ("a+b", "a b"),
            ("100%", "100%"),
            ("%zz%4", "%zz%4"),
            ("%E2%80%9C", "“"),
            ("%FF", "\u{fffd}"),
        ];
        for (raw, want) in rows {
            assert_eq!(decode(raw), want, "{raw}");
        }
        assert_eq!(encode("a b+c&d=“"), "a%20b%2Bc%26d%3D%E2%80%9C");
    }
}
