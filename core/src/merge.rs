//! Merging two copies of a workspace (two tabs' saved states) by id.
//!
//! The rules, property-tested in `core/tests/merge.rs`:
//! - for the same annotation id, the later `updated_at` wins;
//! - different ids are all kept;
//! - an annotation is dropped only by a deletion tombstone later than its
//!   last edit, whichever copy holds the tombstone (an edit later than the
//!   tombstone keeps it: an undo counts as a new edit);
//! - a user article removed later than it was (last) added stays removed;
//! - merging again with the same copy changes nothing.

use std::collections::HashMap;

use crate::annotation::AnnotationSet;
use crate::formats::native::Tombstone;
use crate::journal::Touch;
use crate::time::compare;
use crate::workspace::{Entry, Workspace};

/// Merges `theirs` into `ours` by annotation id (see the module rules).
/// Returns true if `ours` changed.
pub fn merge(ours: &mut Workspace, theirs: &Workspace) -> bool {
    let mut changed = false;
    // Removed articles: the later removal per id wins.
    let mut removed = ours.removed_articles.clone();
    for t in &theirs.removed_articles {
        match removed.iter_mut().find(|o| o.id == t.id) {
            Some(o) if compare(&t.at, &o.at).is_gt() => o.at = t.at.clone(),
            Some(_) => {}
            None => removed.push(t.clone()),
        }
    }
    if removed != ours.removed_articles {
        ours.removed_articles = removed.clone();
        changed = true;
    }
    let before = ours.entries.len();
    for e in ours.entries.iter().filter(|e| removed_later(&removed, e)) {
        ours.journal.record(Touch::Article(e.id.clone()));
    }
    ours.entries.retain(|e| !removed_later(&removed, e));
    changed |= ours.entries.len() != before;
    for entry in &theirs.entries {
        if removed_later(&removed, entry) {
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

/// Merges their entry for the same article into ours; true if our
/// annotations or tombstones changed.
fn merge_entry(ours: &mut Entry, theirs: &Entry) -> bool {
    if ours.meta.text.is_none() {
        ours.meta.text = theirs.meta.text.clone();
    }
    let mut differs = false;
    for t in &theirs.meta.deleted {
        match ours.meta.deleted.iter_mut().find(|o| o.id == t.id) {
            Some(o) if compare(&t.at, &o.at).is_gt() => {
                o.at = t.at.clone();
                differs = true;
            }
            Some(_) => {}
            None => {
                ours.meta.deleted.push(t.clone());
                differs = true;
            }
        }
    }
    // Indexed by id: long articles merge in linear time.
    let mut items = ours.set.items().to_vec();
    let mut index: HashMap<String, usize> = items
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    for a in theirs.set.items() {
        match index.get(&a.id) {
            Some(&i) if compare(&a.updated_at, &items[i].updated_at).is_gt() => {
                differs |= items[i] != *a;
                items[i] = a.clone();
            }
            Some(_) => {}
            None => {
                index.insert(a.id.clone(), items.len());
                items.push(a.clone());
                differs = true;
            }
        }
    }
    let deleted: HashMap<&str, &str> = ours
        .meta
        .deleted
        .iter()
        .map(|t| (t.id.as_str(), t.at.as_str()))
        .collect();
    let count = items.len();
    items.retain(|a| {
        deleted
            .get(a.id.as_str())
            .is_none_or(|at| compare(&a.updated_at, at).is_gt())
    });
    differs |= items.len() != count;
    if differs {
        ours.set = AnnotationSet::from_checked(items);
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
/// (entry order aside).
pub fn same_content(a: &Workspace, b: &Workspace) -> bool {
    a.removed_articles == b.removed_articles
        && a.entries.len() == b.entries.len()
        && a.entries.iter().all(|e| {
            b.entries
                .iter()
                .any(|o| o.id == e.id && o.set == e.set && o.meta.deleted == e.meta.deleted)
        })
}
