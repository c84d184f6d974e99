//! The tagging toolbar: one button per label (with its hotkey), the
//! "Snap to words" toggle, and the legend of label styles.

use annotator_core::Label;
use leptos::prelude::*;

use crate::actions::tag_selection;
use crate::state::use_app_state;

/// The toolbar's hints: text selected, an annotation selected, nothing.
const HINTS: [&str; 3] = [
    "Tag the selected text: click a label or press 1, 2 or 3.",
    "Relabel the selected annotation: click a label or press 1, 2 or 3; L links a claim or commitment.",
    "Select text in the article (mouse, or arrow keys in the focused article) to tag it.",
];

/// Tag buttons, snap toggle and legend.
#[component]
pub fn Toolbar() -> impl IntoView {
    let state = use_app_state();
    let has_selection = state.has_selection;
    let selected = state.selected;
    let buttons = Label::ALL
        .into_iter()
        .map(|label| {
            view! {
                <button
                    type="button"
                    class=format!("tag-button tag-{}", label.as_str())
                    data-label=label.as_str()
                    aria-keyshortcuts=label.hotkey().to_string()
                    aria-describedby="tag-hint"
                    disabled=move || !has_selection.get() && selected.with(Option::is_none)
                    // Keep the text selection when the button is pressed.
                    on:mousedown=|ev| ev.prevent_default()
                    on:click=move |_| tag_selection(&state, label)
                >
                    <span class="swatch" aria-hidden="true"></span>
                    {label.title()}
                    <kbd>{label.hotkey().to_string()}</kbd>
                </button>
            }
        })
        .collect_view();
    let snap = state.snap;
    let on_snap = { move |ev: leptos::ev::Event| state.set_snap(event_target_checked(&ev)) };
    let session = state.session;
    let undo = { move |_| state.undo() };
    let redo = { move |_| state.redo() };
    let hint_now = move || {
        if has_selection.get() {
            0
        } else if selected.with(Option::is_some) {
            1
        } else {
            2
        }
    };
    view! {
        <div class="toolbar" role="toolbar" aria-label="Tag the selected text">
            <div class="tag-buttons">{buttons}</div>
            <div class="history-buttons">
                <button
                    type="button"
                    class="undo"
                    aria-keyshortcuts="Control+Z"
                    disabled=move || session.with(|s| s.history().next_undo().is_none())
                    title=move || session.with(|s| s.history().next_undo().map(|n| format!("Undo {n}")).unwrap_or_default())
                    on:click=undo
                >
                    "Undo " <kbd>"Ctrl+Z"</kbd>
                </button>
                <button
                    type="button"
                    class="redo"
                    aria-keyshortcuts="Control+Shift+Z Control+Y"
                    disabled=move || session.with(|s| s.history().next_redo().is_none())
                    title=move || session.with(|s| s.history().next_redo().map(|n| format!("Redo {n}")).unwrap_or_default())
                    on:click=redo
                >
                    "Redo " <kbd>"Ctrl+Y"</kbd>
                </button>
            </div>
            // All three hints are laid out in one grid cell and only the
            // one that applies is visible: the box is as big as the longest
            // at every width, so making a selection never moves the text.
            <p id="tag-hint" class="hint stacked">
                {HINTS.into_iter().enumerate().map(|(i, text)| view! {
                    <span class:shown=move || hint_now() == i aria-hidden=move || (hint_now() != i).to_string()>{text}</span>
                }).collect_view()}
            </p>
            <label class="snap">
                <input type="checkbox" prop:checked=move || snap.get() on:change=on_snap />
                "Snap to words"
            </label>
        </div>
    }
}

/// What each label looks like: colour plus a line style that does not rely
/// on colour.
#[component]
pub fn Legend() -> impl IntoView {
    let items = Label::ALL
        .into_iter()
        .map(|label| {
            let style = match label {
                Label::Entity => "solid underline",
                Label::Claim => "dashed underline",
                Label::Commitment => "double underline",
            };
            view! {
                <li>
                    <span class=format!("hl hl-{} lane-0 legend-sample", label.as_str())>
                        <span>{label.title()}</span>
                    </span>
                    " "
                    <span class="legend-note">{style}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="legend" aria-label="Legend">
            <h2>"Legend"</h2>
            <ul>{items}</ul>
            <p class="legend-note">"Overlapping spans stack their underlines."</p>
            <p class="legend-note"><span class="legend-suggestion">"Dotted"</span>": a suggestion, in its label's colour (not saved until you accept it)."</p>
        </section>
    }
}
