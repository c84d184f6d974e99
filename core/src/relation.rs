//! Relations between annotations (FORMAT.md version 2): a claim `said_by`
//! an entity, a commitment `committed_by` one or more entities.
//!
//! In memory a relation lives in the annotation it starts from, as a
//! [`Link`] in [`Annotation::links`](crate::annotation::Annotation::links):
//! linking changes that annotation, so every edit, undo, redo, tab merge
//! and import treats links as it treats any other change to an
//! annotation, with nothing more to keep in step. Files list relations per
//! article ([`Relation`]); [`attach`] and [`relations_of`] convert between
//! the two.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::annotation::Annotation;
use crate::label::Label;

/// What a relation says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationType {
    /// From a claim to the entity that asserts it.
    SaidBy,
    /// From a commitment to an entity that commits to it.
    CommittedBy,
}

impl RelationType {
    /// Both types.
    pub const ALL: [RelationType; 2] = [RelationType::SaidBy, RelationType::CommittedBy];

    /// The wire name (`said_by`, `committed_by`).
    pub fn as_str(self) -> &'static str {
        match self {
            RelationType::SaidBy => "said_by",
            RelationType::CommittedBy => "committed_by",
        }
    }

    /// The type for a wire name.
    pub fn parse(s: &str) -> Option<RelationType> {
        RelationType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// How people read it ("said by", "committed by").
    pub fn phrase(self) -> &'static str {
        match self {
            RelationType::SaidBy => "said by",
            RelationType::CommittedBy => "committed by",
        }
    }

    /// The type of link an annotation of `label` makes: a claim's source, a
    /// commitment's actors; an entity makes none.
    pub fn of(label: Label) -> Option<RelationType> {
        match label {
            Label::Claim => Some(RelationType::SaidBy),
            Label::Commitment => Some(RelationType::CommittedBy),
            Label::Entity => None,
        }
    }

    /// The label a relation of this type starts from (a claim for
    /// `said_by`, a commitment for `committed_by`); it always ends at an
    /// entity.
    pub fn source(self) -> Label {
        match self {
            RelationType::SaidBy => Label::Claim,
            RelationType::CommittedBy => Label::Commitment,
        }
    }

    /// Whether a relation of this type may go from a `from` annotation to a
    /// `to` annotation (to an entity, from a claim or a commitment).
    pub fn fits(self, from: Label, to: Label) -> bool {
        RelationType::of(from) == Some(self) && to == Label::Entity
    }

    /// Whether an annotation holds one link of this type at most (a claim
    /// has one source; a commitment may have several actors).
    pub fn single(self) -> bool {
        self == RelationType::SaidBy
    }
}

/// One relation, held by the annotation it starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The relation's id (UUID v4).
    pub id: String,
    /// What it says.
    pub kind: RelationType,
    /// The annotation it points at (an entity).
    pub to: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC.
    pub updated_at: String,
    /// Unknown fields of the file's relation, kept on round trip.
    pub extra: Map<String, Value>,
}

/// A relation as a file lists it (FORMAT.md version 2, `relations`).
///
/// A missing `updated_at` reads as `created_at` (the saved state leaves it
/// out when they are equal, [`Relation::saved_json`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RelationWire")]
pub struct Relation {
    /// UUID v4.
    pub id: String,
    /// `said_by` or `committed_by`.
    #[serde(rename = "type")]
    pub kind: RelationType,
    /// The annotation it starts from (a claim or a commitment).
    pub from: String,
    /// The annotation it points at (an entity).
    pub to: String,
    /// RFC 3339 UTC.
    #[serde(default)]
    pub created_at: String,
    /// RFC 3339 UTC.
    #[serde(default)]
    pub updated_at: String,
    /// Unknown fields, kept on round trip.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A relation as read (see [`Relation`]).
#[derive(Deserialize)]
struct RelationWire {
    id: String,
    #[serde(rename = "type")]
    kind: RelationType,
    from: String,
    to: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl From<RelationWire> for Relation {
    fn from(w: RelationWire) -> Relation {
        Relation {
            updated_at: w.updated_at.unwrap_or_else(|| w.created_at.clone()),
            id: w.id,
            kind: w.kind,
            from: w.from,
            to: w.to,
            created_at: w.created_at,
            extra: w.extra,
        }
    }
}

impl Relation {
    /// The saved state's JSON of this relation: `updated_at` left out when
    /// it equals `created_at` (read back as equal).
    pub fn saved_json(&self) -> String {
        #[derive(Serialize)]
        struct Saved<'a> {
            id: &'a str,
            #[serde(rename = "type")]
            kind: RelationType,
            from: &'a str,
            to: &'a str,
            created_at: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            updated_at: Option<&'a str>,
            #[serde(flatten)]
            extra: &'a Map<String, Value>,
        }
        serde_json::to_string(&Saved {
            id: &self.id,
            kind: self.kind,
            from: &self.from,
            to: &self.to,
            created_at: &self.created_at,
            updated_at: (self.updated_at != self.created_at).then_some(self.updated_at.as_str()),
            extra: &self.extra,
        })
        .unwrap_or_default()
    }

    /// The relation `from` holds as `link`.
    pub fn of_link(from: &str, link: &Link) -> Relation {
        Relation {
            id: link.id.clone(),
            kind: link.kind,
            from: from.to_string(),
            to: link.to.clone(),
            created_at: link.created_at.clone(),
            updated_at: link.updated_at.clone(),
            extra: link.extra.clone(),
        }
    }

    /// This relation as the link its `from` annotation holds.
    pub fn into_link(self) -> Link {
        Link {
            id: self.id,
            kind: self.kind,
            to: self.to,
            created_at: self.created_at,
            updated_at: self.updated_at,
            extra: self.extra,
        }
    }
}

/// Gives each relation to the annotation it starts from (among `items`):
/// two relations with the same type, from and to are one (the first is
/// kept). Returns the relations whose `from` is not among `items`.
pub fn attach(items: &mut [Annotation], relations: Vec<Relation>) -> Vec<Relation> {
    if relations.is_empty() {
        return relations;
    }
    // Where each relation goes, found with borrowed ids (no copies of
    // thousands of ids on a long article's load), then moved in.
    let homes: Vec<Option<usize>> = {
        let index: rustc_hash::FxHashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        relations
            .iter()
            .map(|r| index.get(r.from.as_str()).copied())
            .collect()
    };
    let mut left = Vec::new();
    for (r, home) in relations.into_iter().zip(homes) {
        match home {
            Some(i) => {
                let a = &mut items[i];
                if !a.links.iter().any(|l| l.kind == r.kind && l.to == r.to) {
                    a.links.push(r.into_link());
                }
            }
            None => left.push(r),
        }
    }
    left
}

/// The relations `items` hold whose target is among `targets` (relations to
/// an annotation that no longer exists are not written, FORMAT.md), in the
/// order of `items` and of their links.
pub fn relations_of<'a>(
    items: impl IntoIterator<Item = &'a Annotation>,
    targets: &HashSet<&str>,
) -> Vec<Relation> {
    let mut out = Vec::new();
    for a in items {
        for l in &a.links {
            if targets.contains(l.to.as_str()) {
                out.push(Relation::of_link(&a.id, l));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_links_fit() {
        use Label::*;
        use RelationType::*;
        let rows = [
            (SaidBy, Claim, Entity, true),
            (SaidBy, Commitment, Entity, false),
            (SaidBy, Entity, Entity, false),
            (SaidBy, Claim, Claim, false),
            (CommittedBy, Commitment, Entity, true),
            (CommittedBy, Claim, Entity, false),
            (CommittedBy, Commitment, Commitment, false),
        ];
        for (kind, from, to, ok) in rows {
            assert_eq!(kind.fits(from, to), ok, "{kind:?} {from:?} {to:?}");
        }
        for kind in RelationType::ALL {
            assert!(kind.fits(kind.source(), Entity), "{kind:?}");
            assert_eq!(RelationType::of(kind.source()), Some(kind));
        }
    }

    #[test]
    fn wire_shape() {
        let json = r#"{"id":"r1","type":"committed_by","from":"c","to":"e","created_at":"t","updated_at":"t","weight":2}"#;
        let r: Relation = serde_json::from_str(json).expect("reads");
        assert_eq!(r.kind, RelationType::CommittedBy);
        assert_eq!(serde_json::to_string(&r).expect("writes"), json);
        assert!(
            serde_json::from_str::<Relation>(&json.replace("committed_by", "supports")).is_err()
        );
    }
}
