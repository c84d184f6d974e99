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

    /// Parses a wire name (exact, lower case).
    pub fn parse(name: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == name)
    }
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
}
