//! Adjudication (issue 18): several annotators' sets of one article cut
//! into **units** (places where their spans meet), each unit's kind of
//! (dis)agreement, and the curated result built from the versions a
//! curator takes.
//!
//! **Units.** Every annotator's spans are nodes; two spans of different
//! annotators join when they overlap and either have the same label or the
//! very same start and end (so a label disagreement is one unit, while a
//! claim and the entity inside it stay apart). A unit is a connected group;
//! an annotator's **version** of it is the list of their spans in it
//! (possibly empty), with their links.
//!
//! **Links** are compared by what they point at: the relation type, the
//! unit of the target and its label (so a source whose boundary differs
//! between annotators is still the same source).
//!
//! **The curated result** is an ordinary annotation set (the app keeps it
//! as the article's annotations, so it is saved and undone like any
//! edit). Which version a unit holds is read back from that set
//! ([`Adjudication::decisions`]), never stored beside it, so undo and redo
//! need no bookkeeping; the one thing a set cannot show, "this unit is
//! deliberately empty", is remembered here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::annotation::{Annotation, AnnotationSet};
use crate::edit::History;
use crate::label::Label;
use crate::relation::RelationType;

/// How the annotators' versions of a unit differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Every annotator has the same spans, labels and links.
    Agree,
    /// Same spans, different labels.
    Label,
    /// The spans overlap but their boundaries differ.
    Boundary,
    /// Some annotators have nothing here.
    Partial,
    /// Same spans and labels, different links (source or actors).
    Links,
}

impl Kind {
    /// Every kind, in the legend's order.
    pub const ALL: [Kind; 5] = [
        Kind::Agree,
        Kind::Label,
        Kind::Boundary,
        Kind::Partial,
        Kind::Links,
    ];

    /// A short machine name (CSS classes, tests).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Agree => "agree",
            Kind::Label => "label",
            Kind::Boundary => "boundary",
            Kind::Partial => "partial",
            Kind::Links => "links",
        }
    }

    /// What it means, for the legend and the report.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Agree => "all agree",
            Kind::Label => "disagree on label",
            Kind::Boundary => "disagree on boundary",
            Kind::Partial => "only some annotators",
            Kind::Links => "disagree on links",
        }
    }
}

/// One place where the annotators' spans meet.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// First code point of the unit's spans.
    pub start: usize,
    /// End of the unit's spans (exclusive).
    pub end: usize,
    /// How the versions differ.
    pub kind: Kind,
    /// Per annotator, the indices of their spans here (into that
    /// annotator's set, text order).
    pub versions: Vec<Vec<usize>>,
}

/// What the curated set holds at a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Nothing taken yet.
    Open,
    /// This annotator's version (the first one it equals).
    Taken(usize),
    /// Something that is no annotator's version (edited by the curator).
    Own,
}

/// A link as compared: type, unit of the target, label of the target.
type LinkSig = (RelationType, usize, Label);
/// A span as compared: label, start, end, links (sorted).
type SpanSig = (Label, usize, usize, Vec<LinkSig>);

/// No unit (a link to something outside every unit).
const NOWHERE: usize = usize::MAX;

/// The annotators' sets of one article, cut into units.
#[derive(Debug, Clone)]
pub struct Adjudication {
    names: Vec<String>,
    /// Shared, not copied: the sides' sets are large on long articles.
    sets: Vec<Arc<AnnotationSet>>,
    units: Vec<Unit>,
    /// Per annotator, per item: its unit.
    owner: Vec<Vec<usize>>,
    /// Per annotator: id → item index.
    index: Vec<FxHashMap<String, usize>>,
    /// (label, start, end) → unit.
    by_key: FxHashMap<(Label, usize, usize), usize>,
    /// Units the curator took an empty version of, with the name of the
    /// edit that did (it counts while that edit is done, not undone).
    chosen_empty: BTreeMap<usize, String>,
    /// Takes so far (numbers each take's edit name).
    takes: u64,
    /// The annotator last taken at each unit: when the curated set equals
    /// several versions (links still waiting for their target), the one
    /// chosen is the one it holds.
    chosen: HashMap<usize, usize>,
    /// The longest unit (code points): bounds the search for the units
    /// over a range (units are in order of their start).
    max_len: usize,
}

impl Adjudication {
    /// Cuts the annotators' sets (`(name, set)`, in key order: the first is
    /// key 1) into units.
    pub fn new<S: Into<Arc<AnnotationSet>>>(sides: Vec<(String, S)>) -> Adjudication {
        let (names, sets): (Vec<String>, Vec<Arc<AnnotationSet>>) =
            sides.into_iter().map(|(n, s)| (n, s.into())).unzip();
        // Nodes: (annotator, item), numbered annotator by annotator.
        let mut nodes: Vec<(usize, usize)> = Vec::new();
        for (k, set) in sets.iter().enumerate() {
            nodes.extend((0..set.len()).map(|i| (k, i)));
        }
        let item = |&(k, i): &(usize, usize)| &sets[k].items()[i];
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by_key(|&n| {
            let a = item(&nodes[n]);
            (a.start, a.end, nodes[n])
        });
        let mut parent: Vec<usize> = (0..nodes.len()).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        // A sweep in start order: a span meets the spans still open at
        // its start.
        let mut open: Vec<usize> = Vec::new();
        for &n in &order {
            let a = item(&nodes[n]);
            open.retain(|&m| item(&nodes[m]).end > a.start);
            for &m in &open {
                let b = item(&nodes[m]);
                let joins = nodes[m].0 != nodes[n].0
                    && (a.label == b.label || (a.start == b.start && a.end == b.end));
                if joins {
                    let (x, y) = (find(&mut parent, n), find(&mut parent, m));
                    if x != y {
                        parent[x.max(y)] = x.min(y);
                    }
                }
            }
            open.push(n);
        }
        // Units in order of their first span.
        let mut unit_of_root: HashMap<usize, usize> = HashMap::new();
        let mut units: Vec<Unit> = Vec::new();
        let mut owner: Vec<Vec<usize>> = sets.iter().map(|s| vec![NOWHERE; s.len()]).collect();
        for &n in &order {
            let root = find(&mut parent, n);
            let u = *unit_of_root.entry(root).or_insert_with(|| {
                units.push(Unit {
                    start: usize::MAX,
                    end: 0,
                    kind: Kind::Agree,
                    versions: vec![Vec::new(); sets.len()],
                });
                units.len() - 1
            });
            let (k, i) = nodes[n];
            let a = &sets[k].items()[i];
            let unit = &mut units[u];
            unit.start = unit.start.min(a.start);
            unit.end = unit.end.max(a.end);
            unit.versions[k].push(i);
            owner[k][i] = u;
        }
        let mut by_key = FxHashMap::default();
        for (k, set) in sets.iter().enumerate() {
            for (i, a) in set.items().iter().enumerate() {
                by_key
                    .entry((a.label, a.start, a.end))
                    .or_insert(owner[k][i]);
            }
        }
        let index = sets
            .iter()
            .map(|s| {
                s.items()
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.id.clone(), i))
                    .collect()
            })
            .collect();
        let mut adj = Adjudication {
            names,
            sets,
            units,
            owner,
            index,
            by_key,
            chosen_empty: BTreeMap::new(),
            takes: 0,
            chosen: HashMap::new(),
            max_len: 0,
        };
        adj.max_len = adj.units.iter().map(|u| u.end - u.start).max().unwrap_or(0);
        for u in 0..adj.units.len() {
            adj.units[u]
                .versions
                .iter_mut()
                .for_each(|v| v.sort_unstable());
            adj.units[u].kind = adj.kind_of(u);
        }
        adj
    }

    /// The annotators' names, in key order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The units, in text order of their first span.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// An annotator's annotations in a unit (their version).
    pub fn version(&self, unit: usize, annotator: usize) -> Vec<&Annotation> {
        let (Some(set), Some(u)) = (self.sets.get(annotator), self.units.get(unit)) else {
            return Vec::new();
        };
        let items = set.items();
        u.versions
            .get(annotator)
            .map(|v| v.iter().filter_map(|&i| items.get(i)).collect())
            .unwrap_or_default()
    }

    /// The units whose extent overlaps `start..end`, in order (a binary
    /// search: units are in order of their start, none longer than
    /// `max_len`).
    fn units_over(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let lo = self
            .units
            .partition_point(|u| u.start < start.saturating_sub(self.max_len));
        let hi = self.units.partition_point(|u| u.start < end);
        lo..hi.max(lo)
    }

    /// An annotator's version in words, for the card and the report:
    /// "nothing", or each span as `entity “United States” (328–341)` with
    /// its links (`, said by “Koizumi”`), joined by "; ".
    pub fn describe(&self, unit: usize, annotator: usize) -> String {
        let (Some(set), true) = (self.sets.get(annotator), unit < self.units.len()) else {
            return String::new();
        };
        let spans = self.version(unit, annotator);
        if spans.is_empty() {
            return "nothing".to_string();
        }
        let items = set.items();
        spans
            .iter()
            .map(|a| {
                let mut s = format!(
                    "{} “{}” ({}–{})",
                    a.label.as_str(),
                    crate::session::shorten(&a.quote),
                    a.start,
                    a.end
                );
                for l in &a.links {
                    if let Some(&t) = self.index[annotator].get(&l.to) {
                        s.push_str(&format!(
                            ", {} “{}”",
                            l.kind.as_str().replace('_', " "),
                            crate::session::shorten(&items[t].quote)
                        ));
                    }
                }
                s
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The text `start..end` cut where units begin and end: each run with
    /// the innermost unit over it (the shortest), if any. Runs are
    /// contiguous, non-empty and cover `start..end`.
    pub fn runs(&self, start: usize, end: usize) -> Vec<(usize, usize, Option<usize>)> {
        if start >= end {
            return Vec::new();
        }
        // Units are in order of their first span's start; those touching
        // the range are found by a scan (units end anywhere).
        let touching: Vec<usize> = self
            .units_over(start, end)
            .filter(|&u| self.units[u].start < end && start < self.units[u].end)
            .collect();
        let mut cuts: Vec<usize> = vec![start, end];
        for &u in &touching {
            cuts.push(self.units[u].start.max(start));
            cuts.push(self.units[u].end.min(end));
        }
        cuts.sort_unstable();
        cuts.dedup();
        cuts.windows(2)
            .map(|w| {
                let inner = touching
                    .iter()
                    .copied()
                    .filter(|&u| self.units[u].start <= w[0] && w[1] <= self.units[u].end)
                    .min_by_key(|&u| (self.units[u].end - self.units[u].start, u));
                (w[0], w[1], inner)
            })
            .collect()
    }

    /// The signature of an annotator's version, links as they point in
    /// that annotator's own set.
    fn version_sig(&self, unit: usize, k: usize) -> Vec<SpanSig> {
        let items = self.sets[k].items();
        let mut sig: Vec<SpanSig> = self.units[unit].versions[k]
            .iter()
            .map(|&i| {
                let a = &items[i];
                let mut links: Vec<LinkSig> = a
                    .links
                    .iter()
                    .filter_map(|l| {
                        let t = *self.index[k].get(&l.to)?;
                        Some((l.kind, self.owner[k][t], items[t].label))
                    })
                    .collect();
                links.sort_unstable();
                links.dedup();
                (a.label, a.start, a.end, links)
            })
            .collect();
        sig.sort();
        sig
    }

    fn kind_of(&self, unit: usize) -> Kind {
        let sigs: Vec<Vec<SpanSig>> = (0..self.sets.len())
            .map(|k| self.version_sig(unit, k))
            .collect();
        if sigs.iter().any(Vec::is_empty) {
            return Kind::Partial;
        }
        if sigs.windows(2).all(|w| w[0] == w[1]) {
            return Kind::Agree;
        }
        let keys = |s: &Vec<SpanSig>| -> Vec<(Label, usize, usize)> {
            s.iter().map(|(l, a, b, _)| (*l, *a, *b)).collect()
        };
        if sigs.windows(2).all(|w| keys(&w[0]) == keys(&w[1])) {
            return Kind::Links;
        }
        let mut bounds: Vec<Vec<(usize, usize)>> = sigs
            .iter()
            .map(|s| s.iter().map(|(_, a, b, _)| (*a, *b)).collect())
            .collect();
        bounds.iter_mut().for_each(|b| b.sort_unstable());
        if bounds.windows(2).all(|w| w[0] == w[1]) {
            Kind::Label
        } else {
            Kind::Boundary
        }
    }

    /// The unit an annotation of the curated set belongs to: the unit of a
    /// version span with its label and span, else the first unit it
    /// overlaps that has a span of its label.
    fn unit_of(&self, a: &Annotation) -> usize {
        if let Some(&u) = self.by_key.get(&(a.label, a.start, a.end)) {
            return u;
        }
        self.units_over(a.start, a.end)
            .find(|&u| {
                let unit = &self.units[u];
                unit.start < a.end
                    && a.start < unit.end
                    && (0..self.sets.len())
                        .any(|k| self.version(u, k).iter().any(|v| v.label == a.label))
            })
            .unwrap_or(NOWHERE)
    }

    /// What the curated set holds at each unit; `history` tells whether
    /// a "nothing" taken is still done (not undone).
    pub fn decisions(&self, current: &AnnotationSet, history: &History) -> Vec<Decision> {
        let view = View::of(self, current.items());
        (0..self.units.len())
            .map(|u| self.decision(&view, u, Some(history)))
            .collect()
    }

    /// A unit's decision; without a history, a "nothing" taken reads as
    /// open (what relinking needs: an empty version has no links).
    fn decision(&self, view: &View<'_>, u: usize, history: Option<&History>) -> Decision {
        let portion = view.portion(u);
        if portion.is_empty() {
            let empty = (0..self.sets.len()).find(|&k| self.units[u].versions[k].is_empty());
            let taken = self
                .chosen_empty
                .get(&u)
                .is_some_and(|edit| history.is_some_and(|h| h.holds(edit)));
            return match empty {
                Some(k) if taken => Decision::Taken(k),
                _ => Decision::Open,
            };
        }
        let mut here: Vec<SpanSig> = portion.iter().map(|&i| view.sig(i)).collect();
        here.sort();
        let matches = |k: usize| {
            let mut theirs = self.version_sig(u, k);
            for s in &mut theirs {
                s.3.retain(|&(_, tu, tl)| view.has(tu, tl));
            }
            theirs == here
        };
        // The version last taken here, if the set still is it; else the
        // first it equals.
        self.chosen
            .get(&u)
            .copied()
            .filter(|&k| k < self.sets.len() && matches(k))
            .or_else(|| (0..self.sets.len()).find(|&k| matches(k)))
            .map_or(Decision::Own, Decision::Taken)
    }

    /// How many units that are not all-agree hold nothing taken yet.
    pub fn remaining(&self, decisions: &[Decision]) -> usize {
        self.units
            .iter()
            .zip(decisions)
            .filter(|(u, d)| u.kind != Kind::Agree && **d == Decision::Open)
            .count()
    }

    /// The curated set a start gives: what every annotator agrees on.
    pub fn start(&mut self) -> Vec<Annotation> {
        self.chosen_empty.clear();
        self.chosen.clear();
        let agreed: Vec<(usize, usize)> = (0..self.units.len())
            .filter(|&u| self.units[u].kind == Kind::Agree)
            .map(|u| (u, 0))
            .collect();
        self.build(&[], &[], &agreed, &[])
    }

    /// The curated set after taking `annotator`'s version of `unit` into
    /// `current`, and the name to record the edit under (`take version
    /// #n`, unique: a "nothing" taken counts while that edit is done, so
    /// undo takes it back like any other choice). The unit's annotations
    /// are replaced by that version, whose links point into the curated
    /// set (links to a unit that holds nothing of that label yet wait until
    /// it does: every decided unit's links are worked out again).
    pub fn take(
        &mut self,
        current: &AnnotationSet,
        unit: usize,
        annotator: usize,
    ) -> (Vec<Annotation>, String) {
        self.takes += 1;
        let name = format!("take version #{}", self.takes);
        if unit >= self.units.len() || annotator >= self.sets.len() {
            return (current.items().to_vec(), name);
        }
        let view = View::of(self, current.items());
        let decided: Vec<(usize, usize)> = (0..self.units.len())
            .filter(|&u| u != unit)
            .filter_map(|u| match self.decision(&view, u, None) {
                Decision::Taken(k) => Some((u, k)),
                _ => None,
            })
            .collect();
        if self.units[unit].versions[annotator].is_empty() {
            self.chosen_empty.insert(unit, name.clone());
        } else {
            self.chosen_empty.remove(&unit);
        }
        self.chosen.insert(unit, annotator);
        let keep: Vec<Annotation> = current
            .items()
            .iter()
            .enumerate()
            .filter(|(i, _)| view.owner[*i] != unit)
            .map(|(_, a)| a.clone())
            .collect();
        (
            self.build(current.items(), &keep, &[(unit, annotator)], &decided),
            name,
        )
    }

    /// `keep` plus the versions `add` (unit, annotator), then the links of
    /// every added or `relink`ed unit worked out in the result, and links
    /// to annotations no longer there pointed at their unit's replacement
    /// (or dropped).
    fn build(
        &self,
        before: &[Annotation],
        keep: &[Annotation],
        add: &[(usize, usize)],
        relink: &[(usize, usize)],
    ) -> Vec<Annotation> {
        // Where each annotation of the set before stood, so a link to one
        // taken out follows to its unit's replacement.
        let old_units: HashMap<&str, (usize, Label)> = before
            .iter()
            .map(|a| (a.id.as_str(), (self.unit_of(a), a.label)))
            .collect();
        let mut out: Vec<Annotation> = keep.to_vec();
        let mut used: HashSet<String> = out.iter().map(|a| a.id.clone()).collect();
        for &(u, k) in add {
            for &i in &self.units[u].versions[k] {
                let mut a = self.sets[k].items()[i].clone();
                a.links.clear();
                let mut id = a.id.clone();
                let mut n = k + 1;
                while used.contains(&id) {
                    id = format!("{}-{n}", a.id);
                    n += self.sets.len();
                }
                a.id = id;
                used.insert(a.id.clone());
                out.push(a);
            }
        }
        // Where things are now: by key, and the first by (unit, label).
        let by_key: HashMap<(Label, usize, usize), String> = out
            .iter()
            .map(|a| ((a.label, a.start, a.end), a.id.clone()))
            .collect();
        let mut by_unit: HashMap<(usize, Label), String> = HashMap::new();
        let mut sorted: Vec<&Annotation> = out.iter().collect();
        sorted.sort_by_key(|a| (a.start, std::cmp::Reverse(a.end), a.label));
        for a in sorted {
            by_unit
                .entry((self.unit_of(a), a.label))
                .or_insert_with(|| a.id.clone());
        }
        let find = |k: usize, to: &str| -> Option<String> {
            let t = *self.index[k].get(to)?;
            let target = &self.sets[k].items()[t];
            by_key
                .get(&(target.label, target.start, target.end))
                .or_else(|| by_unit.get(&(self.owner[k][t], target.label)))
                .cloned()
        };
        let mut links_of: HashMap<(Label, usize, usize), Vec<crate::relation::Link>> =
            HashMap::new();
        for &(u, k) in add.iter().chain(relink) {
            for &i in &self.units[u].versions[k] {
                let v = &self.sets[k].items()[i];
                let mut links = Vec::new();
                for l in &v.links {
                    if let Some(to) = find(k, &l.to) {
                        let mut l = l.clone();
                        l.to = to;
                        links.push(l);
                    }
                }
                links_of.insert((v.label, v.start, v.end), links);
            }
        }
        let present: HashSet<String> = out.iter().map(|a| a.id.clone()).collect();
        for a in &mut out {
            if let Some(links) = links_of.remove(&(a.label, a.start, a.end)) {
                a.links = links;
                continue;
            }
            a.links.retain_mut(|l| {
                if present.contains(&l.to) {
                    return true;
                }
                match old_units.get(l.to.as_str()).and_then(|&(u, label)| {
                    (u != NOWHERE).then(|| by_unit.get(&(u, label))).flatten()
                }) {
                    Some(to) => {
                        l.to = to.clone();
                        true
                    }
                    None => false,
                }
            });
        }
        out
    }
}

/// The curated set as the units see it.
struct View<'a> {
    items: &'a [Annotation],
    /// Per item: its unit.
    owner: Vec<usize>,
    /// Per item: its index by id.
    index: HashMap<&'a str, usize>,
    /// (unit, label) pairs present.
    present: HashSet<(usize, Label)>,
    /// Per unit: its items.
    portions: HashMap<usize, Vec<usize>>,
}

impl<'a> View<'a> {
    fn of(adj: &Adjudication, items: &'a [Annotation]) -> View<'a> {
        let owner: Vec<usize> = items.iter().map(|a| adj.unit_of(a)).collect();
        let mut portions: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut present = HashSet::new();
        for (i, &u) in owner.iter().enumerate() {
            portions.entry(u).or_default().push(i);
            present.insert((u, items[i].label));
        }
        View {
            items,
            index: items
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id.as_str(), i))
                .collect(),
            owner,
            present,
            portions,
        }
    }

    fn portion(&self, unit: usize) -> &[usize] {
        self.portions.get(&unit).map_or(&[], Vec::as_slice)
    }

    fn has(&self, unit: usize, label: Label) -> bool {
        self.present.contains(&(unit, label))
    }

    fn sig(&self, i: usize) -> SpanSig {
        let a = &self.items[i];
        let mut links: Vec<LinkSig> = a
            .links
            .iter()
            .filter_map(|l| {
                let t = *self.index.get(l.to.as_str())?;
                Some((l.kind, self.owner[t], self.items[t].label))
            })
            .collect();
        links.sort_unstable();
        links.dedup();
        (a.label, a.start, a.end, links)
    }
}
