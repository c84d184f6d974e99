//! Which annotation is selected, as one reactive flag per annotation.

use std::collections::HashMap;

use leptos::prelude::*;

/// Per-annotation "selected" flags: selecting another annotation updates
/// only the old and the new one's highlights or list entries, whatever their
/// number (a `Selector`, or every element reading the selection, would
/// touch them all).
#[derive(Clone, Copy)]
pub struct SelectedFlags {
    flags: StoredValue<HashMap<String, ArcRwSignal<bool>>>,
    selected: RwSignal<Option<String>>,
}

impl SelectedFlags {
    /// Flags following `selected` (dropped with the calling component).
    pub fn new(selected: RwSignal<Option<String>>) -> SelectedFlags {
        let flags: StoredValue<HashMap<String, ArcRwSignal<bool>>> =
            StoredValue::new(HashMap::new());
        Effect::new(move |previous: Option<Option<String>>| {
            let now = selected.get();
            flags.with_value(|m| {
                if let Some(Some(old)) = &previous {
                    if now.as_ref() != Some(old) {
                        if let Some(flag) = m.get(old) {
                            flag.set(false);
                        }
                    }
                }
                if let Some(flag) = now.as_ref().and_then(|id| m.get(id)) {
                    flag.set(true);
                }
            });
            now
        });
        SelectedFlags { flags, selected }
    }

    /// The flag of annotation `id` (created on first use).
    pub fn flag(&self, id: &str) -> Option<ArcRwSignal<bool>> {
        let selected = self.selected;
        self.flags.try_update_value(|m| {
            m.entry(id.to_string())
                .or_insert_with(|| {
                    ArcRwSignal::new(selected.with_untracked(|s| s.as_deref() == Some(id)))
                })
                .clone()
        })
    }
}
