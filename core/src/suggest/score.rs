//! Precision, recall and F1 per label, by exact match (same start, end and
//! label), the way the suggestion figures in README are counted.

use std::collections::HashSet;

use crate::label::Label;

/// True positives, false positives and false negatives of one label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Suggested and in the reference.
    pub tp: usize,
    /// Suggested, not in the reference.
    pub fp: usize,
    /// In the reference, not suggested.
    pub fn_: usize,
}

impl Counts {
    /// tp / (tp + fp); 0 when nothing was suggested.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn); 0 when the reference has none.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// The harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds another's counts.
    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Counts per label (in [`Label::ALL`] order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores(pub [Counts; 3]);

impl Scores {
    /// Scores `predicted` against `reference`, both `(start, end, label)`.
    pub fn of(predicted: &[(usize, usize, Label)], reference: &[(usize, usize, Label)]) -> Scores {
        let truth: HashSet<_> = reference.iter().copied().collect();
        let guessed: HashSet<_> = predicted.iter().copied().collect();
        let mut out = Scores::default();
        for (i, label) in Label::ALL.into_iter().enumerate() {
            let c = &mut out.0[i];
            c.tp = guessed
                .iter()
                .filter(|g| g.2 == label && truth.contains(g))
                .count();
            c.fp = guessed.iter().filter(|g| g.2 == label).count() - c.tp;
            c.fn_ = truth.iter().filter(|t| t.2 == label).count() - c.tp;
        }
        out
    }

    /// The counts of one label.
    pub fn of_label(&self, label: Label) -> Counts {
        let i = Label::ALL.iter().position(|l| *l == label).unwrap_or(0);
        self.0[i]
    }

    /// All labels together (micro-averaged).
    pub fn total(&self) -> Counts {
        let mut c = Counts::default();
        for x in self.0 {
            c.add(x);
        }
        c
    }

    /// Adds another's counts, label by label.
    pub fn add(&mut self, other: &Scores) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            a.add(b);
        }
    }

    /// A table: one line per label and a total, `label  P  R  F1  (tp fp fn)`.
    pub fn table(&self) -> String {
        let mut out = String::from("label        precision  recall  F1     (tp/fp/fn)\n");
        let rows = Label::ALL
            .into_iter()
            .map(|l| (l.as_str(), self.of_label(l)))
            .chain([("all", self.total())]);
        for (name, c) in rows {
            out.push_str(&format!(
                "{name:<12} {:>9.3}  {:>6.3}  {:>5.3}  ({}/{}/{})\n",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_match_counts() {
        let gold = [
            (0, 5, Label::Entity),
            (10, 20, Label::Claim),
            (30, 35, Label::Entity),
        ];
        let guess = [
            (0, 5, Label::Entity),
            (10, 21, Label::Claim),
            (40, 45, Label::Entity),
        ];
        let s = Scores::of(&guess, &gold);
        assert_eq!(
            s.of_label(Label::Entity),
            Counts {
                tp: 1,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            s.of_label(Label::Claim),
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert!((s.of_label(Label::Entity).f1() - 0.5).abs() < 1e-12);
        assert_eq!(s.of_label(Label::Commitment).f1(), 0.0);
    }
}
