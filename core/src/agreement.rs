//! Agreement between annotators of the same article (issue 18, Compare):
//! span F1 with exact and with overlap match, Cohen's kappa and
//! Krippendorff's alpha on the labels of spans matched by position, and F1
//! over relations whose ends match.
//!
//! Everything is pure and deterministic. Overlapping spans are found by a
//! sweep over spans sorted by start (the cost grows with the number of
//! spans and of overlapping pairs, never with the square of the spans),
//! then matched greedily.
//!
//! **Matching, best overlap first.** Two spans are a candidate pair when
//! they overlap (`a.start < b.end && b.start < a.end`). Candidates are
//! taken in this order, and a pair is kept when neither span is kept
//! already:
//! 1. the longer overlap (in code points) first;
//! 2. then, for matching by position only, the pair whose labels agree;
//! 3. then the earlier start of the first annotator's span, then of the
//!    second's; then the earlier end of the first's, then of the second's;
//! 4. then the first annotator's span earlier in text order, then the
//!    second's (a total order, so the result never depends on input order).
//!
//! For Krippendorff's alpha over more annotators, candidates are every
//! overlapping pair of spans of two different annotators, in the same
//! order (after step 3, the lower annotator numbers first); a pair joins
//! the two groups it links when no annotator has a span in both. Each
//! resulting group is a unit.

use std::collections::HashMap;

use crate::annotation::AnnotationSet;
use crate::formats::csv::record;
use crate::label::Label;
use crate::relation::RelationType;

/// What a report row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    /// Span F1 with exact match.
    ExactF1,
    /// Span F1 with overlap match.
    OverlapF1,
    /// Cohen's kappa on the labels of spans matched by position.
    Kappa,
    /// Krippendorff's alpha (nominal) over all annotators.
    Alpha,
    /// F1 over `said_by` / `committed_by` relations.
    RelationF1,
}

impl Figure {
    /// Every figure, in report order.
    pub const ALL: [Figure; 5] = [
        Figure::ExactF1,
        Figure::OverlapF1,
        Figure::Kappa,
        Figure::Alpha,
        Figure::RelationF1,
    ];

    /// Its CSV name.
    pub fn as_str(self) -> &'static str {
        match self {
            Figure::ExactF1 => "f1_exact",
            Figure::OverlapF1 => "f1_overlap",
            Figure::Kappa => "cohen_kappa",
            Figure::Alpha => "krippendorff_alpha",
            Figure::RelationF1 => "relation_f1",
        }
    }

    /// Its name in the report.
    pub fn title(self) -> &'static str {
        match self {
            Figure::ExactF1 => "Span F1, exact",
            Figure::OverlapF1 => "Span F1, overlap",
            Figure::Kappa => "Cohen's kappa",
            Figure::Alpha => "Krippendorff's alpha",
            Figure::RelationF1 => "Relation F1",
        }
    }

    /// What it means, in one line.
    pub fn explain(self) -> &'static str {
        match self {
            Figure::ExactF1 => {
                "Span F1, exact: two spans agree when start, end and label are all the same (1 = identical spans)."
            }
            Figure::OverlapF1 => {
                "Span F1, overlap: two spans agree when they overlap and have the same label, each span counted once, largest overlap first."
            }
            Figure::Kappa => {
                "Cohen's kappa: agreement on the labels of spans both annotators marked at overlapping places, corrected for chance (1 = always the same label, 0 = chance); spans only one annotator marked are left out."
            }
            Figure::Alpha => {
                "Krippendorff's alpha (nominal): the same agreement on labels over all annotators at once, for places at least two of them marked (1 = perfect, 0 = chance)."
            }
            Figure::RelationF1 => {
                "Relation F1: a said-by or committed-by link agrees when the other annotator has the same type of link between spans that overlap-match both its ends."
            }
        }
    }
}

/// Which part of the annotation a figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everything: all labels (spans) or both relation types (relations).
    Total,
    /// Spans of one label (for kappa and alpha: that label against all
    /// others).
    Label(Label),
    /// Relations of one type.
    Relation(RelationType),
}

impl Scope {
    /// Its CSV name (`total`, a label's or a relation type's wire name).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Total => "total",
            Scope::Label(l) => l.as_str(),
            Scope::Relation(t) => t.as_str(),
        }
    }

    /// The scopes a figure has: total and one per label for span figures,
    /// total and one per relation type for relations.
    pub fn of(figure: Figure) -> Vec<Scope> {
        let mut out = vec![Scope::Total];
        match figure {
            Figure::RelationF1 => out.extend(RelationType::ALL.map(Scope::Relation)),
            _ => out.extend(Label::ALL.map(Scope::Label)),
        }
        out
    }
}

/// What is behind an F1: items both have, only the first, only the second.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Matched pairs.
    pub matched: usize,
    /// Items of the first annotator left unmatched.
    pub only_a: usize,
    /// Items of the second annotator left unmatched.
    pub only_b: usize,
}

impl Counts {
    /// `2·matched / (2·matched + only_a + only_b)`; `None` when neither has
    /// any item.
    pub fn f1(&self) -> Option<f64> {
        let d = 2 * self.matched + self.only_a + self.only_b;
        (d > 0).then(|| (2 * self.matched) as f64 / d as f64)
    }

    fn add(&mut self, o: Counts) {
        self.matched += o.matched;
        self.only_a += o.only_a;
        self.only_b += o.only_b;
    }
}

/// Counts per label and in total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByLabel {
    /// Per label, in [`Label::ALL`] order.
    pub labels: [Counts; 3],
    /// All labels.
    pub total: Counts,
}

impl ByLabel {
    /// The counts of one label.
    pub fn of(&self, label: Label) -> Counts {
        self.labels[label_index(label)]
    }

    fn add(&mut self, o: &ByLabel) {
        for (c, x) in self.labels.iter_mut().zip(o.labels) {
            c.add(x);
        }
        self.total.add(o.total);
    }
}

/// The figures of one pair of annotators.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The first annotator (index into [`Report::annotators`]).
    pub a: usize,
    /// The second annotator.
    pub b: usize,
    /// Exact matches (same start, end and label).
    pub exact: ByLabel,
    /// Overlap matches (overlapping, same label, best overlap first).
    pub overlap: ByLabel,
    /// The overlap matches as (index in the first set's items, index in
    /// the second's), in the first set's text order.
    pub overlap_matches: Vec<(usize, usize)>,
    /// Spans matched by position (overlapping, whatever their labels, best
    /// overlap first) as item indices, in the first set's text order.
    pub position_matches: Vec<(usize, usize)>,
    /// The labels of the position matches, (first, second).
    pub label_pairs: Vec<(Label, Label)>,
    /// Cohen's kappa over `label_pairs`; `None` when undefined (no pair, or
    /// chance agreement is total).
    pub kappa: Option<f64>,
    /// Kappa of each label against all others over the same pairs, in
    /// [`Label::ALL`] order.
    pub kappa_by_label: [Option<f64>; 3],
    /// Relations per type (in [`RelationType::ALL`] order) and in total.
    pub relations: ([Counts; 2], Counts),
}

impl Pair {
    /// A figure of this pair (`None` when undefined or when the figure has
    /// no such scope; alpha is not per pair).
    pub fn value(&self, figure: Figure, scope: Scope) -> Option<f64> {
        self.counts(figure, scope)
            .and_then(|c| c.f1())
            .or(match (figure, scope) {
                (Figure::Kappa, Scope::Total) => self.kappa,
                (Figure::Kappa, Scope::Label(l)) => self.kappa_by_label[label_index(l)],
                _ => None,
            })
    }

    /// The counts behind an F1 figure (`None` for kappa and alpha).
    pub fn counts(&self, figure: Figure, scope: Scope) -> Option<Counts> {
        match (figure, scope) {
            (Figure::ExactF1, Scope::Total) => Some(self.exact.total),
            (Figure::ExactF1, Scope::Label(l)) => Some(self.exact.of(l)),
            (Figure::OverlapF1, Scope::Total) => Some(self.overlap.total),
            (Figure::OverlapF1, Scope::Label(l)) => Some(self.overlap.of(l)),
            (Figure::RelationF1, Scope::Total) => Some(self.relations.1),
            (Figure::RelationF1, Scope::Relation(t)) => Some(self.relations.0[type_index(t)]),
            _ => None,
        }
    }
}

/// The Compare report of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The annotators' names, in input order.
    pub annotators: Vec<String>,
    /// Every pair (i < j), in order.
    pub pairs: Vec<Pair>,
    /// Alpha's units: for each, every annotator's label or `None`, ordered
    /// by the unit's first start. Units only one annotator marked are
    /// listed too; they add nothing to alpha.
    pub units: Vec<Vec<Option<Label>>>,
    /// Krippendorff's alpha (nominal) over `units`; `None` when undefined
    /// (fewer than two pairable values, or a single label in use).
    pub alpha: Option<f64>,
    /// Alpha of each label against all others, in [`Label::ALL`] order.
    pub alpha_by_label: [Option<f64>; 3],
}

impl Report {
    /// The report over several articles' reports of the same annotators
    /// (the first report's names and pairs): F1 counts summed (micro
    /// average), kappa over every article's position matches, alpha over
    /// every article's units. `None` when there is no report. Match
    /// indices are per article, so the overall report has none.
    pub fn overall(reports: &[&Report]) -> Option<Report> {
        let first = reports.first()?;
        let mut pairs: Vec<Pair> = first
            .pairs
            .iter()
            .map(|p| Pair {
                a: p.a,
                b: p.b,
                exact: ByLabel::default(),
                overlap: ByLabel::default(),
                overlap_matches: Vec::new(),
                position_matches: Vec::new(),
                label_pairs: Vec::new(),
                kappa: None,
                kappa_by_label: [None; 3],
                relations: Default::default(),
            })
            .collect();
        let mut units = Vec::new();
        for r in reports {
            for (sum, p) in pairs.iter_mut().zip(&r.pairs) {
                sum.exact.add(&p.exact);
                sum.overlap.add(&p.overlap);
                sum.label_pairs.extend_from_slice(&p.label_pairs);
                for (c, x) in sum.relations.0.iter_mut().zip(p.relations.0) {
                    c.add(x);
                }
                sum.relations.1.add(p.relations.1);
            }
            units.extend(r.units.iter().cloned());
        }
        for p in &mut pairs {
            p.kappa = kappa(&p.label_pairs);
            p.kappa_by_label = kappa_by_label(&p.label_pairs);
        }
        Some(Report {
            annotators: first.annotators.clone(),
            pairs,
            alpha: alpha(&units),
            alpha_by_label: alpha_by_label(&units),
            units,
        })
    }

    /// The mean of a pair figure over the pairs where it is defined (alpha:
    /// the all-annotator value itself).
    pub fn mean(&self, figure: Figure, scope: Scope) -> Option<f64> {
        if figure == Figure::Alpha {
            return self.alpha_of(scope);
        }
        let values: Vec<f64> = self
            .pairs
            .iter()
            .filter_map(|p| p.value(figure, scope))
            .collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }

    /// Alpha in total or for one label (`None` for relation scopes).
    pub fn alpha_of(&self, scope: Scope) -> Option<f64> {
        match scope {
            Scope::Total => self.alpha,
            Scope::Label(l) => self.alpha_by_label[label_index(l)],
            Scope::Relation(_) => None,
        }
    }

    /// The CSV header of [`Report::to_csv`].
    pub const CSV_HEADER: [&'static str; 8] = [
        "figure",
        "scope",
        "annotator_a",
        "annotator_b",
        "value",
        "matched",
        "only_a",
        "only_b",
    ];

    /// The report as CSV: a header, then for each figure and scope one row
    /// per pair, one `mean` row over pairs (alpha: one row for all
    /// annotators). Columns: `figure,scope,annotator_a,annotator_b,value,
    /// matched,only_a,only_b`; undefined values and counts a figure does
    /// not have are empty.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        record(&mut out, &Self::CSV_HEADER);
        for row in self.rows() {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            record(&mut out, &cells);
        }
        out
    }

    /// The CSV's rows (without the header), cells as text.
    pub fn rows(&self) -> Vec<[String; 8]> {
        let mut out = Vec::new();
        let num = |v: Option<f64>| v.map(|x| format!("{x:.6}")).unwrap_or_default();
        let s = |x: &str| x.to_string();
        for figure in Figure::ALL {
            for scope in Scope::of(figure) {
                if figure == Figure::Alpha {
                    out.push([
                        s(figure.as_str()),
                        s(scope.as_str()),
                        s("all"),
                        s("all"),
                        num(self.alpha_of(scope)),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                    continue;
                }
                for p in &self.pairs {
                    let c = p.counts(figure, scope);
                    let n = |f: fn(&Counts) -> usize| c.map(|c| f(&c).to_string());
                    let matched = n(|c| c.matched)
                        .or_else(|| {
                            (figure == Figure::Kappa).then(|| p.label_pairs.len().to_string())
                        })
                        .unwrap_or_default();
                    out.push([
                        s(figure.as_str()),
                        s(scope.as_str()),
                        s(self.name(p.a)),
                        s(self.name(p.b)),
                        num(p.value(figure, scope)),
                        matched,
                        n(|c| c.only_a).unwrap_or_default(),
                        n(|c| c.only_b).unwrap_or_default(),
                    ]);
                }
                out.push([
                    s(figure.as_str()),
                    s(scope.as_str()),
                    s("mean"),
                    s("mean"),
                    num(self.mean(figure, scope)),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        out
    }

    fn name(&self, i: usize) -> &str {
        self.annotators.get(i).map(String::as_str).unwrap_or("")
    }
}

fn label_index(l: Label) -> usize {
    match l {
        Label::Entity => 0,
        Label::Claim => 1,
        Label::Commitment => 2,
    }
}

fn type_index(t: RelationType) -> usize {
    match t {
        RelationType::SaidBy => 0,
        RelationType::CommittedBy => 1,
    }
}

/// One span as the sweeps see it.
#[derive(Debug, Clone, Copy)]
struct S {
    start: usize,
    end: usize,
    label: Label,
}

fn spans(set: &AnnotationSet) -> Vec<S> {
    set.items()
        .iter()
        .map(|a| S {
            start: a.start,
            end: a.end,
            label: a.label,
        })
        .collect()
}

/// Every overlapping pair (index in `a`, index in `b`), with labels equal
/// when `same_label`. A sweep over both lists in start order: a span
/// overlaps exactly the other side's spans still open at its start.
fn overlapping(a: &[S], b: &[S], same_label: bool) -> Vec<(usize, usize)> {
    let order = |v: &[S]| {
        let mut o: Vec<usize> = (0..v.len()).collect();
        o.sort_by_key(|&i| (v[i].start, v[i].end));
        o
    };
    let (oa, ob) = (order(a), order(b));
    let (mut ia, mut ib) = (0, 0);
    let mut open_a: Vec<usize> = Vec::new();
    let mut open_b: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    while ia < oa.len() || ib < ob.len() {
        let take_a = match (oa.get(ia), ob.get(ib)) {
            (Some(&x), Some(&y)) => a[x].start <= b[y].start,
            (Some(_), None) => true,
            _ => false,
        };
        if take_a {
            let x = oa[ia];
            ia += 1;
            let s = a[x];
            open_b.retain(|&y| b[y].end > s.start);
            for &y in &open_b {
                if s.end > s.start && (!same_label || b[y].label == s.label) {
                    out.push((x, y));
                }
            }
            open_a.push(x);
        } else {
            let y = ob[ib];
            ib += 1;
            let s = b[y];
            open_a.retain(|&x| a[x].end > s.start);
            for &x in &open_a {
                if s.end > s.start && (!same_label || a[x].label == s.label) {
                    out.push((x, y));
                }
            }
            open_b.push(y);
        }
    }
    out
}

fn overlap_len(x: S, y: S) -> usize {
    x.end.min(y.end).saturating_sub(x.start.max(y.start))
}

/// The candidates in the module's order (best first).
fn rank(a: &[S], b: &[S], cands: &mut [(usize, usize)]) {
    cands.sort_by_key(|&(x, y)| {
        let (p, q) = (a[x], b[y]);
        (
            std::cmp::Reverse(overlap_len(p, q)),
            p.label != q.label,
            p.start,
            q.start,
            p.end,
            q.end,
            x,
            y,
        )
    });
}

/// Greedy one-to-one matching, best overlap first; sorted by `a` index.
fn matching(a: &[S], b: &[S], same_label: bool) -> Vec<(usize, usize)> {
    let mut cands = overlapping(a, b, same_label);
    rank(a, b, &mut cands);
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
    let mut out = Vec::new();
    for (x, y) in cands {
        if !used_a[x] && !used_b[y] {
            used_a[x] = true;
            used_b[y] = true;
            out.push((x, y));
        }
    }
    out.sort_unstable();
    out
}

fn by_label(a: &[S], b: &[S], matches: &[(usize, usize)]) -> ByLabel {
    let mut r = ByLabel::default();
    for s in a {
        r.labels[label_index(s.label)].only_a += 1;
    }
    for s in b {
        r.labels[label_index(s.label)].only_b += 1;
    }
    for &(x, _) in matches {
        let c = &mut r.labels[label_index(a[x].label)];
        c.matched += 1;
        c.only_a -= 1;
        c.only_b -= 1;
    }
    for c in r.labels {
        r.total.add(c);
    }
    r
}

/// Exact matches: same start, end and label (a set holds each at most
/// once).
fn exact(a: &[S], b: &[S]) -> Vec<(usize, usize)> {
    let index: HashMap<(usize, usize, Label), usize> = b
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.start, s.end, s.label), i))
        .collect();
    a.iter()
        .enumerate()
        .filter_map(|(i, s)| index.get(&(s.start, s.end, s.label)).map(|&j| (i, j)))
        .collect()
}

/// Cohen's kappa of two label sequences: `(p_o − p_e) / (1 − p_e)`.
fn kappa<T: Copy + Eq + std::hash::Hash>(pairs: &[(T, T)]) -> Option<f64> {
    let n = pairs.len();
    if n == 0 {
        return None;
    }
    let mut rows: HashMap<T, usize> = HashMap::new();
    let mut cols: HashMap<T, usize> = HashMap::new();
    let mut same = 0usize;
    for &(x, y) in pairs {
        *rows.entry(x).or_default() += 1;
        *cols.entry(y).or_default() += 1;
        same += usize::from(x == y);
    }
    let n = n as f64;
    let po = same as f64 / n;
    let pe: f64 = rows
        .iter()
        .map(|(k, &r)| r as f64 * cols.get(k).copied().unwrap_or(0) as f64)
        .sum::<f64>()
        / (n * n);
    let d = 1.0 - pe;
    (d.abs() > 1e-15).then(|| (po - pe) / d)
}

/// Krippendorff's alpha (nominal) by the coincidence matrix:
/// `1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k`.
fn alpha(units: &[Vec<Option<Label>>]) -> Option<f64> {
    alpha_coded(units, Label::ALL.len(), label_index)
}

/// [`alpha`] over the values `code` gives each label (`0..k`): no map
/// and no allocation per unit (long articles have thousands of units).
/// Values no unit holds add nothing to any sum, so a fixed `k` gives the
/// same figure as counting only the values in use.
fn alpha_coded(
    units: &[Vec<Option<Label>>],
    k: usize,
    code: impl Fn(Label) -> usize,
) -> Option<f64> {
    let mut o = vec![0.0f64; k * k];
    let mut count = vec![0usize; k];
    for u in units {
        count.fill(0);
        let mut m = 0usize;
        for v in u.iter().flatten() {
            count[code(*v)] += 1;
            m += 1;
        }
        if m < 2 {
            continue;
        }
        let w = 1.0 / (m - 1) as f64;
        for c in 0..k {
            for d in 0..k {
                let pairs = if c == d {
                    count[c] * count[c].saturating_sub(1)
                } else {
                    count[c] * count[d]
                };
                o[c * k + d] += pairs as f64 * w;
            }
        }
    }
    let nc: Vec<f64> = (0..k).map(|c| (0..k).map(|d| o[c * k + d]).sum()).collect();
    let n: f64 = nc.iter().sum();
    let mut observed = 0.0;
    let mut expected = 0.0;
    for c in 0..k {
        for d in 0..k {
            if c != d {
                observed += o[c * k + d];
                expected += nc[c] * nc[d];
            }
        }
    }
    (n > 1.0 && expected > 0.0).then(|| 1.0 - (n - 1.0) * observed / expected)
}

/// The relations of a set as (type index, from item, to item); links to
/// ids not in the set are skipped.
fn relation_triples(set: &AnnotationSet) -> Vec<(usize, usize, usize)> {
    let ids: rustc_hash::FxHashMap<&str, usize> = set
        .items()
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut out: Vec<(usize, usize, usize)> = set
        .items()
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            let ids = &ids;
            a.links
                .iter()
                .filter_map(move |l| ids.get(l.to.as_str()).map(|&j| (type_index(l.kind), i, j)))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn relations(
    a: &AnnotationSet,
    b: &AnnotationSet,
    matches: &[(usize, usize)],
) -> ([Counts; 2], Counts) {
    let mut to_b: Vec<Option<usize>> = vec![None; a.len()];
    for &(x, y) in matches {
        if let Some(slot) = to_b.get_mut(x) {
            *slot = Some(y);
        }
    }
    let ta = relation_triples(a);
    let tb = relation_triples(b);
    let in_b: rustc_hash::FxHashSet<(usize, usize, usize)> = tb.iter().copied().collect();
    let mut per = [Counts::default(); 2];
    for &(t, _, _) in &ta {
        per[t].only_a += 1;
    }
    for &(t, _, _) in &tb {
        per[t].only_b += 1;
    }
    for &(t, f, e) in &ta {
        if let (Some(&Some(f2)), Some(&Some(e2))) = (to_b.get(f), to_b.get(e)) {
            if in_b.contains(&(t, f2, e2)) {
                per[t].matched += 1;
                per[t].only_a -= 1;
                per[t].only_b -= 1;
            }
        }
    }
    let mut total = Counts::default();
    for c in per {
        total.add(c);
    }
    (per, total)
}

fn pair(i: usize, j: usize, sa: &AnnotationSet, sb: &AnnotationSet, a: &[S], b: &[S]) -> Pair {
    let exact_matches = exact(a, b);
    let overlap_matches = matching(a, b, true);
    let position_matches = matching(a, b, false);
    let label_pairs: Vec<(Label, Label)> = position_matches
        .iter()
        .map(|&(x, y)| (a[x].label, b[y].label))
        .collect();
    let kappa_by_label = kappa_by_label(&label_pairs);
    Pair {
        a: i,
        b: j,
        exact: by_label(a, b, &exact_matches),
        overlap: by_label(a, b, &overlap_matches),
        kappa: kappa(&label_pairs),
        kappa_by_label,
        relations: relations(sa, sb, &overlap_matches),
        overlap_matches,
        position_matches,
        label_pairs,
    }
}

/// Kappa of each label against all others.
fn kappa_by_label(label_pairs: &[(Label, Label)]) -> [Option<f64>; 3] {
    Label::ALL.map(|l| {
        let binary: Vec<(bool, bool)> =
            label_pairs.iter().map(|&(x, y)| (x == l, y == l)).collect();
        kappa(&binary)
    })
}

/// Alpha of each label against all others.
fn alpha_by_label(units: &[Vec<Option<Label>>]) -> [Option<f64>; 3] {
    Label::ALL.map(|l| alpha_coded(units, 2, |x| usize::from(x == l)))
}

/// A candidate pair for alpha's units, as it sorts: overlap (longest
/// first), labels differ, the two starts, the two ends, the two annotators,
/// the two item indices.
type UnitCandidate = (
    std::cmp::Reverse<usize>,
    bool,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
);

/// Alpha's units: overlapping spans of different annotators grouped best
/// overlap first, at most one span per annotator per unit.
fn units(all: &[Vec<S>]) -> Vec<Vec<Option<Label>>> {
    let k = all.len();
    // Nodes: every span, numbered annotator by annotator.
    let base: Vec<usize> = all
        .iter()
        .scan(0, |acc, v| {
            let b = *acc;
            *acc += v.len();
            Some(b)
        })
        .collect();
    let total: usize = all.iter().map(Vec::len).sum();
    let mut cands: Vec<UnitCandidate> = Vec::new();
    for i in 0..k {
        for j in i + 1..k {
            for (x, y) in overlapping(&all[i], &all[j], false) {
                let (p, q) = (all[i][x], all[j][y]);
                cands.push((
                    std::cmp::Reverse(overlap_len(p, q)),
                    p.label != q.label,
                    p.start,
                    q.start,
                    p.end,
                    q.end,
                    i,
                    j,
                    x,
                    y,
                ));
            }
        }
    }
    cands.sort_unstable();
    let words = k.div_ceil(64).max(1);
    let mut parent: Vec<usize> = (0..total).collect();
    // Which annotators each group holds: `words` bits per node, flat.
    let mut who: Vec<u64> = vec![0; total * words];
    for (i, v) in all.iter().enumerate() {
        for x in 0..v.len() {
            who[(base[i] + x) * words + i / 64] |= 1 << (i % 64);
        }
    }
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (.., i, j, x, y) in cands {
        let (rx, ry) = (
            find(&mut parent, base[i] + x),
            find(&mut parent, base[j] + y),
        );
        let (wx, wy) = (rx * words, ry * words);
        if rx == ry || (0..words).any(|w| who[wx + w] & who[wy + w] != 0) {
            continue;
        }
        let (big, small) = (rx.min(ry), rx.max(ry));
        parent[small] = big;
        for w in 0..words {
            who[big * words + w] |= who[small * words + w];
        }
    }
    let mut groups: HashMap<usize, (usize, Vec<Option<Label>>)> = HashMap::new();
    for (i, v) in all.iter().enumerate() {
        for (x, s) in v.iter().enumerate() {
            let r = find(&mut parent, base[i] + x);
            let g = groups
                .entry(r)
                .or_insert_with(|| (usize::MAX, vec![None; k]));
            g.0 = g.0.min(s.start);
            g.1[i] = Some(s.label);
        }
    }
    let mut list: Vec<(usize, usize, Vec<Option<Label>>)> =
        groups.into_iter().map(|(r, (s, u))| (s, r, u)).collect();
    list.sort_unstable_by_key(|(s, r, _)| (*s, *r));
    list.into_iter().map(|(_, _, u)| u).collect()
}

/// Compares two or more annotators' sets of the same article: every pair
/// (in input order, i < j) and alpha over all.
pub fn compare(sides: &[(&str, &AnnotationSet)]) -> Report {
    let pairs = pairs_of(sides.len())
        .map(|(i, j)| compare_pair(sides, i, j))
        .collect();
    report_of(sides, pairs)
}

/// The pairs (i < j) of `n` annotators, in report order.
pub fn pairs_of(n: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..n).flat_map(move |i| (i + 1..n).map(move |j| (i, j)))
}

/// The figures of one pair of annotators (a step of [`compare`]).
pub fn compare_pair(sides: &[(&str, &AnnotationSet)], i: usize, j: usize) -> Pair {
    let (a, b) = (spans(sides[i].1), spans(sides[j].1));
    pair(i, j, sides[i].1, sides[j].1, &a, &b)
}

/// The report of `sides` from its `pairs` (in [`pairs_of`] order): alpha's
/// units and alpha over all annotators (the last step of [`compare`]).
pub fn report_of(sides: &[(&str, &AnnotationSet)], pairs: Vec<Pair>) -> Report {
    let all: Vec<Vec<S>> = sides.iter().map(|(_, s)| spans(s)).collect();
    let units = units(&all);
    let alpha_by_label = alpha_by_label(&units);
    Report {
        annotators: sides.iter().map(|(n, _)| n.to_string()).collect(),
        pairs,
        alpha: alpha(&units),
        alpha_by_label,
        units,
    }
}
