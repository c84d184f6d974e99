//! The three labels an annotation can carry.

use serde::{Deserialize, Serialize};

/// What a span is tagged as. Serialised lower case (`entity`, `claim`,
/// `commitment`), as FORMAT.md says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// A person, organisation, place or other named thing.
    Entity,
    /// A statement presented as fact.
    Claim,
    /// A promise or pledge to act.
    Commitment,
}

impl Label {
    /// All labels in toolbar order (hotkeys 1, 2, 3).
    pub const ALL: [Label; 3] = [Label::Entity, Label::Claim, Label::Commitment];

    /// The wire name (`entity`, `claim`, `commitment`).
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Entity => "entity",
            Label::Claim => "claim",
            Label::Commitment => "commitment",
        }
    }

    /// The name shown to people (`Entity`, `Claim`, `Commitment`).
    pub fn title(self) -> &'static str {
        match self {
            Label::Entity => "Entity",
            Label::Claim => "Claim",
            Label::Commitment => "Commitment",
        }
    }

    /// The hotkey that applies this label (`1`, `2`, `3`).
    pub fn hotkey(self) -> char {
        match self {
            Label::Entity => '1',
            Label::Claim => '2',
            Label::Commitment => '3',
        }
    }

    /// The label for a hotkey, if it is one.
    pub fn from_hotkey(key: &str) -> Option<Label> {
        Label::ALL
            .into_iter()
            .find(|l| key.len() == 1 && key.starts_with(l.hotkey()))
    }

    /// The plural noun (`entities`, `claims`, `commitments`).
    pub fn plural(self) -> &'static str {
        match self {
            Label::Entity => "entities",
            Label::Claim => "claims",
            Label::Commitment => "commitments",
        }
    }

    /// `1 entity`, `0 claims`, `2 commitments`: a count and the noun in the
    /// number it takes.
    pub fn count(self, n: usize) -> String {
        let noun = if n == 1 { self.as_str() } else { self.plural() };
        format!("{n} {noun}")
    }

    /// Parses a wire name (exact, lower case).
    pub fn parse(name: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

/// The counts of the three labels (in [`Label::ALL`] order) as a phrase:
/// `1 entity, 2 claims, 0 commitments`.
pub fn count_phrase(counts: [usize; 3]) -> String {
    Label::ALL
        .into_iter()
        .zip(counts)
        .map(|(label, n)| label.count(n))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hotkeys_round_trip() {
        for label in Label::ALL {
            assert_eq!(Label::parse(label.as_str()), Some(label));
            assert_eq!(Label::from_hotkey(&label.hotkey().to_string()), Some(label));
            assert_eq!(
                serde_json::to_string(&label).ok(),
                Some(format!("\"{}\"", label.as_str()))
            );
        }
        assert_eq!(Label::parse("Entity"), None);
        assert_eq!(Label::from_hotkey("4"), None);
        assert_eq!(Label::from_hotkey("12"), None);
    }

    #[test]
    fn count_phrases_take_the_singular_for_one() {
        let rows: [([usize; 3], &str); 4] = [
            ([1, 1, 1], "1 entity, 1 claim, 1 commitment"),
            ([0, 0, 0], "0 entities, 0 claims, 0 commitments"),
            ([2, 1, 3], "2 entities, 1 claim, 3 commitments"),
            ([11, 21, 101], "11 entities, 21 claims, 101 commitments"),
        ];
        for (counts, phrase) in rows {
            assert_eq!(count_phrase(counts), phrase, "{counts:?}");
        }
    }
}
