//! The fields an annotation carries besides its span and note (FORMAT.md
//! version 2, `attributes`): an entity's `name`; a commitment's `deadline`,
//! `due`, `status` and `status_at`; a claim's `checkable`. Unknown keys are
//! kept on round trip.
//!
//! [`propose_due`] reads an absolute date out of a deadline as the text
//! words it ("by March 2027" → `2027-03`).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An annotation's fields (all optional; absent = not set). Read
/// leniently: a known key with a value of the wrong shape (`"status":
/// "done"`, `"checkable": true`, a `due` that is not a date) is kept with
/// the unknown keys instead of refusing the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Attributes {
    /// Entity: the canonical name of what the mention refers to (default:
    /// the quote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Commitment: the deadline as the text words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Commitment: ISO 8601 date at the precision known (`2027`, `2027-03`,
    /// `2027-03-31`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Commitment: where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Commitment: the ISO date the status was last set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_at: Option<String>,
    /// Claim: whether it can be checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkable: Option<Checkable>,
    /// Keys this version does not know, kept on round trip.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = Map::<String, Value>::deserialize(d)?;
        let mut text = |key: &str, ok: fn(&str) -> bool| match map.get(key) {
            Some(Value::String(v)) if ok(v) => {
                let v = v.clone();
                map.remove(key);
                Some(v)
            }
            _ => None,
        };
        let any = |_: &str| true;
        let name = text("name", any);
        let deadline = text("deadline", any);
        let due = text("due", is_iso_date);
        let status = text("status", |v| Status::parse(v).is_some()).and_then(|v| Status::parse(&v));
        let status_at = text("status_at", any);
        let checkable =
            text("checkable", |v| Checkable::parse(v).is_some()).and_then(|v| Checkable::parse(&v));
        Ok(Attributes {
            name,
            deadline,
            due,
            status,
            status_at,
            checkable,
            extra: map,
        })
    }
}

impl Attributes {
    /// These attributes without the fields that do not belong to `label`
    /// (a status on what is now a claim); unknown keys stay. Relabelling
    /// keeps only these (undo brings the others back).
    pub fn fitting(&self, label: crate::label::Label) -> Attributes {
        use crate::label::Label;
        let mut out = self.clone();
        if label != Label::Entity {
            out.name = None;
        }
        if label != Label::Commitment {
            out.deadline = None;
            out.due = None;
            out.status = None;
            out.status_at = None;
        }
        if label != Label::Claim {
            out.checkable = None;
        }
        out
    }

    /// True when no field is set (the file then leaves `attributes` out).
    pub fn is_empty(&self) -> bool {
        *self == Attributes::default()
    }
}

/// A commitment's status, from the ladder of promise trackers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not rated yet.
    NotRated,
    /// Work under way.
    InProgress,
    /// No progress.
    Stalled,
    /// Partly kept.
    Compromise,
    /// Kept.
    Kept,
    /// Broken.
    Broken,
}

impl Status {
    /// Every status, in ladder order.
    pub const ALL: [Status; 6] = [
        Status::NotRated,
        Status::InProgress,
        Status::Stalled,
        Status::Compromise,
        Status::Kept,
        Status::Broken,
    ];

    /// The wire name (`not_rated`, `in_progress` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotRated => "not_rated",
            Status::InProgress => "in_progress",
            Status::Stalled => "stalled",
            Status::Compromise => "compromise",
            Status::Kept => "kept",
            Status::Broken => "broken",
        }
    }

    /// The name shown to people.
    pub fn title(self) -> &'static str {
        match self {
            Status::NotRated => "Not rated",
            Status::InProgress => "In progress",
            Status::Stalled => "Stalled",
            Status::Compromise => "Compromise",
            Status::Kept => "Kept",
            Status::Broken => "Broken",
        }
    }

    /// The status for a wire name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// Whether a claim can be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Checkable {
    /// A verifiable statement of fact.
    Yes,
    /// Opinion, prediction.
    No,
    /// Not sure.
    Unsure,
}

impl Checkable {
    /// Every value, in menu order.
    pub const ALL: [Checkable; 3] = [Checkable::Yes, Checkable::No, Checkable::Unsure];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Checkable::Yes => "yes",
            Checkable::No => "no",
            Checkable::Unsure => "unsure",
        }
    }

    /// The name shown to people.
    pub fn title(self) -> &'static str {
        match self {
            Checkable::Yes => "Yes",
            Checkable::No => "No",
            Checkable::Unsure => "Unsure",
        }
    }

    /// The value for a wire name.
    pub fn parse(s: &str) -> Option<Checkable> {
        Checkable::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One field to set on an annotation (see [`Attributes`]); an empty text
/// or `None` clears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// An entity's name.
    Name(String),
    /// A commitment's deadline as written.
    Deadline(String),
    /// A commitment's due date (ISO 8601 at the precision known).
    Due(String),
    /// A commitment's status (its date is set with it).
    Status(Option<Status>),
    /// A claim's checkability.
    Checkable(Option<Checkable>),
}

/// Why a field value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// A due date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    BadDue(String),
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::BadDue(s) => write!(
                f,
                "“{s}” is not a date; write the year (2027), year and month (2027-03) or a day (2027-03-31)"
            ),
        }
    }
}

impl std::error::Error for FieldError {}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

impl Attributes {
    /// These attributes with `field` set (`today`: the ISO date a status is
    /// set on). A new deadline also proposes the due date when the due date
    /// is empty or was the old deadline's proposal.
    pub fn with(&self, field: &Field, today: &str) -> Result<Attributes, FieldError> {
        let mut out = self.clone();
        match field {
            Field::Name(s) => out.name = non_empty(s),
            Field::Deadline(s) => {
                let old_proposal = self.deadline.as_deref().and_then(propose_due);
                out.deadline = non_empty(s);
                if self.due.is_none() || self.due == old_proposal {
                    out.due = out.deadline.as_deref().and_then(propose_due);
                }
            }
            Field::Due(s) => {
                let s = s.trim();
                if s.is_empty() {
                    out.due = None;
                } else if is_iso_date(s) {
                    out.due = Some(s.to_string());
                } else {
                    return Err(FieldError::BadDue(s.to_string()));
                }
            }
            Field::Status(s) => {
                out.status = *s;
                out.status_at = s.map(|_| today.to_string());
            }
            Field::Checkable(c) => out.checkable = *c,
        }
        Ok(out)
    }
}

/// Whether `s` is an ISO 8601 calendar date of year, month or day precision
/// (`2027`, `2027-03`, `2027-03-31`) that exists.
pub fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            if !(num(y, 4) && num(m, 2) && num(d, 2)) {
                return false;
            }
            let (y, m, d) = (
                y.parse::<u32>().unwrap_or(0),
                m.parse::<u32>().unwrap_or(0),
                d.parse::<u32>().unwrap_or(0),
            );
            (1..=12).contains(&m) && d >= 1 && d <= days_in(y, m)
        }
        _ => false,
    }
}

/// The number of days in `month` (1–12) of `year`.
pub(crate) fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month by its English name or its three-letter abbreviation ("Sept"
/// too), 1-based.
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() <= 4 && m.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

fn year(word: &str) -> Option<u32> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1900..=2199).contains(y))
}

fn day(word: &str) -> Option<u32> {
    let w = word
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    (!w.is_empty() && w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

/// The due date a deadline's words give, at the precision they give: the
/// first absolute date in `text` ("by 2027" → `2027`, "by March 2027" →
/// `2027-03`, "before 31 March 2027" and "by March 31, 2027" →
/// `2027-03-31`, an ISO date as is). Relative deadlines ("next year",
/// "within six months") give none: they depend on when the article was
/// written, which the text does not say reliably.
pub fn propose_due(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .map(|w| w.trim_matches(|c: char| c == '.' || c == ';' || c == ':' || c == '“' || c == '”'))
        .filter(|w| !w.is_empty())
        .collect();
    let fmt_day =
        |y: u32, m: u32, d: u32| (d <= days_in(y, m)).then(|| format!("{y:04}-{m:02}-{d:02}"));
    for (i, w) in words.iter().enumerate() {
        let next = |k: usize| words.get(i + k).copied().unwrap_or("");
        if w.len() == 10 && is_iso_date(w) {
            return Some(w.to_string());
        }
        // 31 March 2027
        if let (Some(d), Some(m), Some(y)) = (day(w), month(next(1)), year(next(2))) {
            if let Some(s) = fmt_day(y, m, d) {
                return Some(s);
            }
        }
        if let Some(m) = month(w) {
            // March 31, 2027
            if let (Some(d), Some(y)) = (day(next(1)), year(next(2))) {
                if let Some(s) = fmt_day(y, m, d) {
                    return Some(s);
                }
            }
            // March 2027
            if let Some(y) = year(next(1)) {
                return Some(format!("{y:04}-{m:02}"));
            }
        }
        if let Some(y) = year(w) {
            return Some(format!("{y:04}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_proposed_from_deadlines() {
        let rows: &[(&str, Option<&str>)] = &[
            ("by 2027", Some("2027")),
            ("by March 2027", Some("2027-03")),
            ("before 31 March 2027", Some("2027-03-31")),
            ("by March 31, 2027", Some("2027-03-31")),
            ("no later than 1st Sept. 2026", Some("2026-09-01")),
            ("by the end of 2030.", Some("2030")),
            ("due 2027-03-31", Some("2027-03-31")),
            ("by Dec 2026", Some("2026-12")),
            ("before the end of next year", None),
            ("within six months", None),
            ("by 31 February 2027", Some("2027-02")),
            ("in May", None),
            ("", None),
        ];
        for (text, want) in rows {
            assert_eq!(propose_due(text).as_deref(), *want, "{text:?}");
        }
    }

    #[test]
    fn iso_dates_of_each_precision() {
        for ok in ["2027", "2027-03", "2027-03-31", "2028-02-29"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in [
            "27",
            "2027-3",
            "2027-13",
            "2027-02-29",
            "2027-03-32",
            "March",
            "2027/03",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    #[test]
    fn setting_fields() {
        let none = Attributes::default();
        let a = none
            .with(&Field::Deadline("by March 2027".into()), "2026-11-28")
            .expect("ok");
        assert_eq!(a.due.as_deref(), Some("2027-03"));
        // A new deadline replaces a proposal, never a date the user typed.
        let b = a.with(&Field::Deadline("by 2028".into()), "d").expect("ok");
        assert_eq!(b.due.as_deref(), Some("2028"));
        let typed = b.with(&Field::Due("2028-06".into()), "d").expect("ok");
        let c = typed
            .with(&Field::Deadline("by 2029".into()), "d")
            .expect("ok");
        assert_eq!(c.due.as_deref(), Some("2028-06"));
        assert!(matches!(
            c.with(&Field::Due("soon".into()), "d"),
            Err(FieldError::BadDue(_))
        ));
        let s = c
            .with(&Field::Status(Some(Status::Kept)), "2026-11-28")
            .expect("ok");
        assert_eq!(
            (s.status, s.status_at.as_deref()),
            (Some(Status::Kept), Some("2026-11-28"))
        );
        let cleared = s.with(&Field::Status(None), "x").expect("ok");
        assert_eq!((cleared.status, cleared.status_at), (None, None));
        let named = none.with(&Field::Name("  Japan ".into()), "d").expect("ok");
        assert_eq!(named.name.as_deref(), Some("Japan"));
        assert!(named
            .with(&Field::Name(" ".into()), "d")
            .expect("ok")
            .is_empty());
    }

    #[test]
    fn a_known_key_of_the_wrong_shape_is_kept_not_refused() {
        let json = r#"{"status":"done","checkable":true,"due":"soon","name":"Japan"}"#;
        let a: Attributes = serde_json::from_str(json).expect("reads");
        assert_eq!(
            (a.status, a.checkable, a.due.as_deref()),
            (None, None, None)
        );
        assert_eq!(a.name.as_deref(), Some("Japan"));
        assert_eq!(a.extra["status"], "done");
        assert_eq!(a.extra["checkable"], true);
        assert_eq!(a.extra["due"], "soon");
    }

    #[test]
    fn wire_shape_keeps_unknown_keys() {
        let json =
            r#"{"name":"Japan","status":"in_progress","status_at":"2026-11-28","colour":"red"}"#;
        let a: Attributes = serde_json::from_str(json).expect("reads");
        assert_eq!(a.status, Some(Status::InProgress));
        assert_eq!(a.extra["colour"], "red");
        assert_eq!(serde_json::to_string(&a).expect("writes"), json);
    }
}
