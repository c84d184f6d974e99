//! Edits on relations and fields, and what the app shows of them.
//!
//! - [`link`] / [`unlink`]: a claim's source (one; linking another replaces
//!   it) and a commitment's actors (several).
//! - [`mend`]: run on every edit that removes or relabels annotations, so
//!   that no link points at an annotation that is gone or no longer an
//!   entity, and every link fits its annotation's label (a claim relabelled
//!   a commitment keeps its source as its actor). Undo restores both.
//! - [`set_field`] and [`name_all`]: the fields of [`Attributes`].
//! - [`choices`]: the link picker's entities, nearest mention first,
//!   grouped by name; [`outgoing`] and [`incoming`]: the details panel's
//!   "said by …", "committed by …" and an entity's "said …".
//!
//! Like [`crate::edit`], these compute a [`Change`] from a set without
//! changing it.

use std::collections::HashSet;

use crate::annotation::{Annotation, AnnotationSet};
use crate::attributes::{Attributes, Field};
use crate::edit::{Change, EditError};
use crate::ids::{AnnotationId, ArticleId, Timestamp};
use crate::label::Label;
use crate::relation::{Link, RelationType};

fn find(set: &AnnotationSet, id: &AnnotationId) -> Result<Annotation, EditError> {
    set.get(id.as_str())
        .cloned()
        .ok_or(EditError::NoSuchAnnotation)
}

/// Links `from` (a claim or a commitment) to the entity `to` with a new
/// relation `link_id`. A claim's earlier source is replaced.
pub fn link(
    set: &AnnotationSet,
    article: &ArticleId,
    from: &AnnotationId,
    to: &AnnotationId,
    link_id: &str,
    now: &Timestamp,
) -> Result<Change, EditError> {
    let before = find(set, from)?;
    let target = find(set, to)?;
    let kind = RelationType::of(before.label).ok_or(EditError::Unfit(
        "only a claim or a commitment links to who made it",
    ))?;
    if target.label != Label::Entity {
        return Err(EditError::Unfit("a link goes to an entity"));
    }
    if before.links.iter().any(|l| l.to == to.0) {
        return Err(EditError::Unfit("they are already linked"));
    }
    let mut after = before.clone();
    if kind.single() {
        after.links.retain(|l| l.kind != kind);
    }
    after.links.push(Link {
        id: link_id.to_string(),
        kind,
        to: to.0.clone(),
        created_at: now.0.clone(),
        updated_at: now.0.clone(),
        extra: Default::default(),
    });
    after.updated_at = now.0.clone();
    Ok(Change {
        article: article.0.clone(),
        removed: vec![before],
        added: vec![after],
    })
}

/// Removes the link from `from` to `to`.
pub fn unlink(
    set: &AnnotationSet,
    article: &ArticleId,
    from: &AnnotationId,
    to: &AnnotationId,
    now: &Timestamp,
) -> Result<Change, EditError> {
    let before = find(set, from)?;
    if before.links.iter().all(|l| l.to != to.0) {
        return Err(EditError::Unchanged);
    }
    let mut after = before.clone();
    after.links.retain(|l| l.to != to.0);
    after.updated_at = now.0.clone();
    Ok(Change {
        article: article.0.clone(),
        removed: vec![before],
        added: vec![after],
    })
}

/// Makes `change` keep the links whole (see the module doc): links of the
/// annotations it puts in are made to fit their label, and links (in the
/// change or elsewhere in `set`) to an annotation the change takes out, or
/// turns into something other than an entity, are removed with it.
pub fn mend(set: &AnnotationSet, mut change: Change) -> Change {
    let added: HashSet<&str> = change.added.iter().map(|a| a.id.as_str()).collect();
    // Targets lost: gone, or no longer an entity.
    let mut lost: HashSet<String> = change
        .removed
        .iter()
        .filter(|a| !added.contains(a.id.as_str()))
        .map(|a| a.id.clone())
        .collect();
    for a in &change.added {
        if a.label != Label::Entity {
            lost.insert(a.id.clone());
        }
    }
    for a in &mut change.added {
        fit_links(a, &lost);
    }
    let touched: HashSet<String> = change
        .removed
        .iter()
        .chain(&change.added)
        .map(|a| a.id.clone())
        .collect();
    if lost.is_empty() {
        return change;
    }
    for other in set.items() {
        if touched.contains(&other.id) || other.links.iter().all(|l| !lost.contains(&l.to)) {
            continue;
        }
        let mut after = other.clone();
        after.links.retain(|l| !lost.contains(&l.to));
        change.removed.push(other.clone());
        change.added.push(after);
    }
    change
}

/// Makes `a`'s links fit its label: none for an entity, the claim's (first)
/// source or the commitment's actors otherwise, none to a `lost` target.
fn fit_links(a: &mut Annotation, lost: &HashSet<String>) {
    if a.links.is_empty() {
        return;
    }
    let Some(kind) = RelationType::of(a.label) else {
        a.links.clear();
        return;
    };
    let mut seen = HashSet::new();
    a.links
        .retain(|l| !lost.contains(&l.to) && seen.insert(l.to.clone()));
    for l in &mut a.links {
        l.kind = kind;
    }
    if kind.single() {
        a.links.truncate(1);
    }
}

/// Sets one field of annotation `id` (`today`: the ISO date a status is set
/// on). A field that does not belong to the annotation's label is refused.
pub fn set_field(
    set: &AnnotationSet,
    article: &ArticleId,
    id: &AnnotationId,
    field: &Field,
    today: &str,
    now: &Timestamp,
) -> Result<Change, EditError> {
    let before = find(set, id)?;
    let fits = match field {
        Field::Name(_) => before.label == Label::Entity,
        Field::Deadline(_) | Field::Due(_) | Field::Status(_) => before.label == Label::Commitment,
        Field::Checkable(_) => before.label == Label::Claim,
    };
    if !fits {
        return Err(EditError::Unfit(match field {
            Field::Name(_) => "only an entity has a name",
            Field::Checkable(_) => "only a claim is checkable or not",
            _ => "only a commitment has a deadline and a status",
        }));
    }
    let attributes = before
        .attributes
        .with(field, today)
        .map_err(EditError::Field)?;
    if attributes == before.attributes {
        return Err(EditError::Unchanged);
    }
    let mut after = before.clone();
    after.attributes = attributes;
    after.updated_at = now.0.clone();
    Ok(Change {
        article: article.0.clone(),
        removed: vec![before],
        added: vec![after],
    })
}

/// Names every entity mention with the same quote as `id` (itself
/// included) `name` ("apply to all identical mentions").
pub fn name_all(
    set: &AnnotationSet,
    article: &ArticleId,
    id: &AnnotationId,
    name: &str,
    now: &Timestamp,
) -> Result<Change, EditError> {
    let this = find(set, id)?;
    if this.label != Label::Entity {
        return Err(EditError::Unfit("only an entity has a name"));
    }
    let mut change = Change {
        article: article.0.clone(),
        removed: Vec::new(),
        added: Vec::new(),
    };
    for a in set.items() {
        if a.label != Label::Entity || a.quote != this.quote {
            continue;
        }
        let attributes: Attributes = a
            .attributes
            .with(&Field::Name(name.to_string()), "")
            .map_err(EditError::Field)?;
        if attributes != a.attributes {
            let mut after = a.clone();
            after.attributes = attributes;
            after.updated_at = now.0.clone();
            change.removed.push(a.clone());
            change.added.push(after);
        }
    }
    if change.added.is_empty() {
        return Err(EditError::Unchanged);
    }
    Ok(change)
}

/// Code points between two spans (0 when they overlap or touch).
fn gap(a: &Annotation, b: &Annotation) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// One entry of the link picker: a name and its nearest mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The entities' name.
    pub name: String,
    /// The mention of that name nearest to the annotation being linked.
    pub nearest: AnnotationId,
    /// How many mentions have this name in the article.
    pub mentions: usize,
    /// Code points between the nearest mention and the annotation.
    pub distance: usize,
    /// The mention already linked, if any (choosing it again unlinks).
    pub linked: Option<AnnotationId>,
}

/// The link picker for `from`: the article's entities grouped by name, the
/// group of the nearest mention first (then by name).
pub fn choices(set: &AnnotationSet, from: &Annotation) -> Vec<Choice> {
    let mut out: Vec<Choice> = Vec::new();
    let mut index: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for e in set.items().iter().filter(|a| a.label == Label::Entity) {
        let d = gap(from, e);
        let linked = from.links.iter().any(|l| l.to == e.id);
        match index.get(e.name()) {
            Some(&i) => {
                let c = &mut out[i];
                c.mentions += 1;
                if d < c.distance {
                    c.distance = d;
                    c.nearest = AnnotationId(e.id.clone());
                }
                if linked && c.linked.is_none() {
                    c.linked = Some(AnnotationId(e.id.clone()));
                }
            }
            None => {
                index.insert(e.name(), out.len());
                out.push(Choice {
                    name: e.name().to_string(),
                    nearest: AnnotationId(e.id.clone()),
                    mentions: 1,
                    distance: d,
                    linked: linked.then(|| AnnotationId(e.id.clone())),
                });
            }
        }
    }
    out.sort_by(|a, b| a.distance.cmp(&b.distance).then(a.name.cmp(&b.name)));
    out
}

/// A link as the details panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The relation's type.
    pub kind: RelationType,
    /// The annotation at the other end.
    pub other: AnnotationId,
    /// Its label.
    pub label: Label,
    /// For a link to an entity its name; from a claim or commitment its
    /// quote.
    pub text: String,
}

/// The links `a` makes, to annotations of `set` (a link to one that is not
/// there, kept aside or gone, is left out).
pub fn outgoing(set: &AnnotationSet, a: &Annotation) -> Vec<Shown> {
    a.links
        .iter()
        .filter_map(|l| {
            let to = set.get(&l.to)?;
            Some(Shown {
                kind: l.kind,
                other: AnnotationId(to.id.clone()),
                label: to.label,
                text: to.name().to_string(),
            })
        })
        .collect()
}

/// The claims and commitments linked to any mention named like `entity`
/// (what that name said and committed to in this article), in text order.
pub fn incoming(set: &AnnotationSet, entity: &Annotation) -> Vec<Shown> {
    let name = entity.name();
    let mentions: HashSet<&str> = set
        .items()
        .iter()
        .filter(|e| e.label == Label::Entity && e.name() == name)
        .map(|e| e.id.as_str())
        .collect();
    set.items()
        .iter()
        .filter_map(|a| {
            let l = a.links.iter().find(|l| mentions.contains(l.to.as_str()))?;
            Some(Shown {
                kind: l.kind,
                other: AnnotationId(a.id.clone()),
                label: a.label,
                text: a.quote.clone(),
            })
        })
        .collect()
}

/// A linked claim's or commitment's marker in the text: who said it or
/// committed to it, drawn after its last character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Where the annotation starts (code points).
    pub start: usize,
    /// Where it ends: the marker goes there.
    pub end: usize,
    /// The names: up to two, then "+n" for the rest ("Japan, South Korea",
    /// "Japan, South Korea +1").
    pub text: String,
}

/// Markers by annotation id.
pub type Markers = rustc_hash::FxHashMap<String, Marker>;

/// The markers of every linked annotation of `set`, by annotation id (in
/// two passes over the set, whatever the number of links). A link whose
/// target is not in the set draws nothing.
pub fn markers(set: &AnnotationSet) -> Markers {
    let mut out = rustc_hash::FxHashMap::default();
    let targets: HashSet<&str> = set
        .items()
        .iter()
        .flat_map(|a| a.links.iter().map(|l| l.to.as_str()))
        .collect();
    if targets.is_empty() {
        return out;
    }
    let names: rustc_hash::FxHashMap<&str, &str> = set
        .items()
        .iter()
        .filter(|a| targets.contains(a.id.as_str()))
        .map(|a| (a.id.as_str(), a.name()))
        .collect();
    for a in set.items().iter().filter(|a| !a.links.is_empty()) {
        if let Some(m) = marker_with(a, |id| names.get(id).copied()) {
            out.insert(a.id.clone(), m);
        }
    }
    out
}

/// The marker of one annotation of `set` (none when it links nobody
/// there). Looks each target up in the set: for the few annotations an edit
/// touches, not for a whole article ([`markers`]).
pub fn marker_of(set: &AnnotationSet, a: &Annotation) -> Option<Marker> {
    if a.links.is_empty() {
        return None;
    }
    marker_with(a, |id| set.get(id).map(Annotation::name))
}

fn marker_with<'a>(a: &Annotation, name_of: impl Fn(&str) -> Option<&'a str>) -> Option<Marker> {
    let found: Vec<&str> = a.links.iter().filter_map(|l| name_of(&l.to)).collect();
    if found.is_empty() {
        return None;
    }
    let mut text = found
        .iter()
        .take(2)
        .map(|n| shorten_name(n))
        .collect::<Vec<_>>()
        .join(", ");
    if found.len() > 2 {
        text.push_str(&format!(" +{}", found.len() - 2));
    }
    Some(Marker {
        start: a.start,
        end: a.end,
        text,
    })
}

/// A name cut to 24 characters for a marker.
fn shorten_name(name: &str) -> String {
    if name.chars().count() <= 24 {
        name.to_string()
    } else {
        let head: String = name.chars().take(23).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn markers_name_up_to_two_and_count_the_rest() {
        let text = "Ann, Bob, Cy and Di agreed to go. Ed said so.";
        let len = text.chars().count();
        let mut set = AnnotationSet::new();
        let now = Timestamp::from("t");
        let mut add = |id: &str, label: Label, a: usize, b: usize| {
            set.add(
                text,
                label,
                Span::new(a, b, len).expect("span"),
                AnnotationId::from(id),
                &now,
            );
        };
        add("ann", Label::Entity, 0, 3);
        add("bob", Label::Entity, 5, 8);
        add("cy", Label::Entity, 10, 12);
        add("c", Label::Commitment, 20, 32);
        add("l", Label::Claim, 34, 41);
        let article = ArticleId::from("a");
        fn apply(set: &mut AnnotationSet, change: Change) {
            for x in change.removed {
                set.remove(&x.id);
            }
            for x in change.added {
                set.insert(x);
            }
        }
        for (i, to) in ["ann", "bob", "cy"].iter().enumerate() {
            let change = link(
                &set,
                &article,
                &AnnotationId::from("c"),
                &AnnotationId::from(*to),
                &format!("r{i}"),
                &now,
            )
            .expect("link");
            apply(&mut set, change);
        }
        let m = markers(&set);
        assert_eq!(m["c"].text, "Ann, Bob +1");
        assert_eq!((m["c"].start, m["c"].end), (20, 32));
        assert!(!m.contains_key("l"));
        assert_eq!(m.len(), 1);
    }
}
