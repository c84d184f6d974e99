//! Merging two copies of a workspace (two tabs' saved states) by id.
//!
//! The rules, property-tested in `core/tests/merge.rs`:
//! - for the same annotation id, the later `updated_at` wins (two versions
//!   with the same time: the same one in every copy, by their JSON);
//! - different ids are all kept, but two with the same label and span are
//!   one annotation (the later edit wins; at the same time, the greater id);
//!   the one dropped gets a tombstone at its last edit, so an older copy of
//!   it does not come back;
//! - an annotation is dropped only by a deletion tombstone later than its
//!   last edit, whichever copy holds the tombstone (an edit later than the
//!   tombstone keeps it: an undo counts as a new edit);
//! - a user article removed later than it was (last) added stays removed;
//! - merging again with the same copy changes nothing.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use crate::annotation::{Annotation, AnnotationSet};
use crate::formats::native::Tombstone;
use crate::journal::Touch;
use crate::time::compare;
use crate::workspace::{Entry, Workspace};

/// Merges `theirs` into `ours` by annotation id (see the module rules).
/// Returns true if `ours` changed.
pub fn merge(ours: &mut Workspace, theirs: &Workspace) -> bool {
    // Removed articles: the later removal per id wins.
    let mut changed = merge_tombstones(&mut ours.removed_articles, &theirs.removed_articles);
    let removed = &ours.removed_articles;
    for e in ours.entries.iter().filter(|e| removed_later(removed, e)) {
        ours.journal.record(Touch::Article(e.id.clone()));
    }
    let before = ours.entries.len();
    ours.entries.retain(|e| !removed_later(removed, e));
    changed |= ours.entries.len() != before;
    for entry in &theirs.entries {
        if removed_later(removed, entry) {
            continue;
        }
        let Some(mine) = ours.entries.iter_mut().find(|e| e.id == entry.id) else {
            ours.journal.record(Touch::Article(entry.id.clone()));
            ours.entries.push(entry.clone());
            changed = true;
            continue;
        };
        if merge_entry(mine, entry) {
            ours.journal.record(Touch::Article(mine.id.clone()));
            changed = true;
        }
    }
    changed
}

/// Whether time `a` is later than `b`; equal times (`…:00Z` and
/// `…:00.000Z`) by their text, so that every copy picks the same one.
fn later(a: &str, b: &str) -> bool {
    compare(a, b).then_with(|| a.cmp(b)).is_gt()
}

/// Whether `a` is a newer version of an annotation than `b`: the later
/// `updated_at`; two different versions with the same time (two clocks
/// agreeing, or one set back) by their JSON, so that every copy keeps the
/// same one and tabs end equal.
fn newer(a: &Annotation, b: &Annotation) -> bool {
    match compare(&a.updated_at, &b.updated_at) {
        Ordering::Equal if a != b => {
            let json = |x: &Annotation| {
                let links: Vec<_> = x
                    .links
                    .iter()
                    .map(|l| (l.kind.as_str(), &l.to, &l.id, &l.updated_at))
                    .collect();
                format!("{}{links:?}", serde_json::to_string(x).unwrap_or_default())
            };
            json(a) > json(b)
        }
        order => order.is_gt(),
    }
}

/// Adds their tombstones to ours: per id the later time wins. True if ours
/// changed.
fn merge_tombstones(ours: &mut Vec<Tombstone>, theirs: &[Tombstone]) -> bool {
    let mut changed = false;
    for t in theirs {
        match ours.iter_mut().find(|o| o.id == t.id) {
            Some(o) if later(&t.at, &o.at) => o.at = t.at.clone(),
            Some(_) => continue,
            None => ours.push(t.clone()),
        }
        changed = true;
    }
    changed
}

/// Merges their entry for the same article into ours; true if our
/// annotations or tombstones changed.
fn merge_entry(ours: &mut Entry, theirs: &Entry) -> bool {
    if ours.meta.text.is_none() {
        ours.meta.text = theirs.meta.text.clone();
        ours.text_kept = theirs.text_kept;
    }
    let mut differs = merge_tombstones(&mut ours.meta.deleted, &theirs.meta.deleted);
    let deleted: HashMap<&str, &str> = ours
        .meta
        .deleted
        .iter()
        .map(|t| (t.id.as_str(), t.at.as_str()))
        .collect();
    // Kept unless deleted later than its last edit.
    let alive = |a: &Annotation| {
        deleted
            .get(a.id.as_str())
            .is_none_or(|at| compare(&a.updated_at, at).is_gt())
    };
    // Indexed by id: long articles merge in linear time.
    let mut items = ours.set.items().to_vec();
    let mut index: HashMap<String, usize> = items
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut touched = false;
    for a in theirs.set.items() {
        match index.get(&a.id) {
            Some(&i) if newer(a, &items[i]) => {
                items[i] = a.clone();
                touched = true;
            }
            Some(_) => {}
            None => {
                index.insert(a.id.clone(), items.len());
                items.push(a.clone());
                touched = true;
            }
        }
    }
    let count = items.len();
    items.retain(|a| alive(a));
    touched |= items.len() != count;
    if touched {
        // Two ids with the same label and span are one annotation (the
        // later edit wins; the set keeps the last of equals): in id order,
        // every copy keeps the same one. Something taken in and then
        // dropped again is no change.
        items.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let versions: Vec<(String, String, crate::label::Label, usize, usize)> = items
            .iter()
            .map(|a| (a.id.clone(), a.updated_at.clone(), a.label, a.start, a.end))
            .collect();
        let mut set = AnnotationSet::from_checked(items);
        // A duplicate dropped here is deleted as of its last edit: without
        // that tombstone, another copy's older version of it would come
        // back on the next merge (merging twice would change something).
        let dropped: Vec<&(String, String, crate::label::Label, usize, usize)> = versions
            .iter()
            .filter(|v| set.get(&v.0).is_none())
            .collect();
        // Links to a dropped duplicate go to the annotation kept in its
        // place (the same label and span), as an import's do.
        let instead: HashMap<&str, String> = dropped
            .iter()
            .filter_map(|(id, _, label, start, end)| {
                Some((
                    id.as_str(),
                    set.same_span(*label, *start, *end, id)?.id.clone(),
                ))
            })
            .collect();
        let redirect = |a: &Annotation| a.links.iter().any(|l| instead.contains_key(l.to.as_str()));
        if set.items().iter().any(redirect) {
            let items = set
                .items()
                .iter()
                .map(|a| {
                    let mut a = a.clone();
                    for l in &mut a.links {
                        if let Some(to) = instead.get(l.to.as_str()) {
                            l.to = to.clone();
                        }
                    }
                    let mut seen = HashSet::new();
                    a.links.retain(|l| seen.insert((l.kind, l.to.clone())));
                    a
                })
                .collect();
            set = AnnotationSet::from_checked(items);
        }
        let dropped: Vec<Tombstone> = dropped
            .into_iter()
            .map(|(id, at, ..)| Tombstone {
                id: id.clone(),
                at: at.clone(),
            })
            .collect();
        differs |= merge_tombstones(&mut ours.meta.deleted, &dropped);
        if set != ours.set {
            ours.set = set;
            differs = true;
        }
    }
    for o in &theirs.meta.orphans {
        if ours.meta.orphans.iter().all(|x| x.id != o.id) {
            ours.meta.orphans.push(o.clone());
        }
    }
    differs
}

/// True when a user's article entry was removed after it was (last) added.
fn removed_later(removed: &[Tombstone], entry: &Entry) -> bool {
    entry.meta.text.is_some()
        && removed.iter().any(|t| {
            let added = entry.meta.added_at.as_deref().unwrap_or("");
            t.id == entry.id && !compare(added, &t.at).is_gt()
        })
}

/// True when both hold the same annotations and deletions per article
/// (entry order and the order of tombstones aside).
pub fn same_content(a: &Workspace, b: &Workspace) -> bool {
    same_tombstones(&a.removed_articles, &b.removed_articles)
        && a.entries.len() == b.entries.len()
        && a.entries.iter().all(|e| {
            b.entries.iter().any(|o| {
                o.id == e.id && o.set == e.set && same_tombstones(&o.meta.deleted, &e.meta.deleted)
            })
        })
}

/// The same tombstones, in any order (ids are unique in a list).
fn same_tombstones(a: &[Tombstone], b: &[Tombstone]) -> bool {
    let set = |list: &[Tombstone]| -> HashSet<(String, String)> {
        list.iter().map(|t| (t.id.clone(), t.at.clone())).collect()
    };
    a == b || (a.len() == b.len() && set(a) == set(b))
}
