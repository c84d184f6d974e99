//! The adjudication view (issue 18): one article with every annotator's
//! spans at once, each place coloured by how they agree, a card for the
//! current disagreement with each annotator's version, and the keys:
//! J / K (or Shift+J) next / previous disagreement, 1–9 take that
//! annotator's version, Esc back to the article. The curated result is the
//! article's annotations (saved and undone like any edit); the unit
//! arithmetic is the core's (`annotator_core::adjudication`).

use annotator_core::adjudication::{Decision, Kind};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{use_app_state, AppState, View};

/// The view (shown in the main area while `View::Adjudicate`).
#[component]
pub fn AdjudicationView() -> impl IntoView {
    let state = use_app_state();
    let c = state.compare;
    install_keys(state);
    let title = move || {
        c.adjudicating.with(|a| {
            a.as_ref()
                .and_then(|a| {
                    state
                        .catalog()
                        .get(&a.article)
                        .map(|x| x.headline().to_string())
                })
                .unwrap_or_default()
        })
    };
    // Decisions follow the session (undo, redo, edits in the article).
    let decisions = Memo::new(move |_| {
        c.adjudicating
            .with(|a| a.as_ref().map(|a| state.decisions(a)))
            .unwrap_or_default()
    });
    // (left, total): one element whose text changes, so screen readers
    // announce it (a live region made anew is not announced).
    let counts = Memo::new(move |_| {
        c.adjudicating.with(|a| {
            a.as_ref().map_or((0, 0), |a| {
                let total = a
                    .adj
                    .units()
                    .iter()
                    .filter(|u| u.kind != Kind::Agree)
                    .count();
                (decisions.with(|d| a.adj.remaining(d)), total)
            })
        })
    });
    let summary = view! {
        <p class="adj-summary" data-remaining=move || counts.get().0.to_string() aria-live="polite">
            {move || {
                let (left, total) = counts.get();
                if left == 0 {
                    format!("All {total} disagreement(s) decided. Export the result, or go back to the article.")
                } else {
                    format!("{left} of {total} disagreement(s) left to decide.")
                }
            }}
        </p>
    };
    let card = move || {
        c.adjudicating.with(|a| {
            let a = a.as_ref()?;
            let Some(u) = a.current else {
                return Some(
                    view! { <div class="adj-card"><p>"No disagreement in this article."</p></div> }
                        .into_any(),
                );
            };
            let unit = a.adj.units().get(u)?;
            let decision = decisions.with(|d| d.get(u).copied().unwrap_or(Decision::Open));
            let disagreements: Vec<usize> = (0..a.adj.units().len())
                .filter(|&i| a.adj.units()[i].kind != Kind::Agree)
                .collect();
            let position = disagreements.iter().position(|&i| i == u).map(|p| p + 1);
            let versions = a
                .adj
                .names()
                .iter()
                .enumerate()
                .map(|(k, name)| {
                    let taken = decision == Decision::Taken(k);
                    let text = a.adj.describe(u, k);
                    view! {
                        <li>
                            <button
                                type="button"
                                class="take"
                                data-k=(k + 1).to_string()
                                aria-pressed=taken.to_string()
                                aria-keyshortcuts=(k + 1).to_string()
                                on:click=move |_| {
                                    state.take_version(k, false);
                                    // The card is drawn anew: focus stays on
                                    // this annotator's button.
                                    request_animation_frame(move || focus_take(k));
                                }
                            >
                                <kbd>{(k + 1).to_string()}</kbd>
                                " " {name.clone()} ": " {text}
                                {taken.then_some(" ✓ taken")}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            let now = match decision {
                Decision::Open => "Not decided yet.".to_string(),
                Decision::Taken(k) => format!("Taken: {}'s version.", a.adj.names()[k]),
                Decision::Own => "Edited by hand (no annotator's version).".to_string(),
            };
            Some(
                view! {
                    <div class="adj-card" data-unit=u.to_string() data-kind=unit.kind.as_str()>
                        <p class="adj-where">
                            {match position {
                                Some(p) => format!("Disagreement {p} of {}: ", disagreements.len()),
                                None => "All agree here: ".to_string(),
                            }}
                            <span class=format!("kind kind-{}", unit.kind.as_str())>{unit.kind.title()}</span>
                        </p>
                        <ul class="versions">{versions}</ul>
                        <p class="adj-now" data-decision=match decision {
                            Decision::Open => "open".to_string(),
                            Decision::Taken(k) => format!("taken-{}", k + 1),
                            Decision::Own => "own".to_string(),
                        }>{now}</p>
                    </div>
                }
                .into_any(),
            )
        })
    };
    let legend = Kind::ALL
        .iter()
        .map(|k| {
            view! { <li><span class=format!("swatch kind-{}", k.as_str())></span>{k.title()}</li> }
        })
        .collect_view();
    let legend = view! {
        {legend}
        <li><span class="swatch decided"></span>"decided"</li>
    };
    // The text is drawn once per adjudication (kinds do not change): it
    // follows only which adjudication this is; the current and decided
    // places are marked on the DOM by the effects below.
    let which = Memo::new(move |_| {
        c.adjudicating
            .with(|a| a.as_ref().map(|a| (a.article.clone(), a.generation)))
    });
    let text = move || {
        let article = which.get()?.0;
        let article = state.catalog().get(&article).cloned()?;
        Some(c.adjudicating.with_untracked(|a| {
            let a = a.as_ref()?;
            // As the article view shows it: the headline first.
            let mut order: Vec<&annotator_core::Block> = article.blocks().iter().collect();
            order.sort_by_key(|b| b.kind != annotator_core::BlockKind::Headline);
            let blocks = order
                .into_iter()
                .filter(|b| !b.range.is_empty())
                .map(|b| {
                    let runs = a
                        .adj
                        .runs(b.range.start, b.range.end)
                        .into_iter()
                        .map(|(s, e, u)| {
                            let text = article.slice(s, e).to_string();
                            match u {
                                Some(u) => {
                                    let kind = a.adj.units()[u].kind.as_str();
                                    view! {
                                        <span class=format!("adj-run kind-{kind}") data-unit=u.to_string()>{text}</span>
                                    }
                                    .into_any()
                                }
                                None => text.into_any(),
                            }
                        })
                        .collect_view();
                    match b.kind {
                        annotator_core::BlockKind::Headline => view! { <h3 class="adj-headline">{runs}</h3> }.into_any(),
                        _ => view! { <p>{runs}</p> }.into_any(),
                    }
                })
                .collect_view();
            Some(blocks)
        }))
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let unit = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-unit]").ok().flatten())
            .and_then(|el| el.get_attribute("data-unit"))
            .and_then(|u| u.parse::<usize>().ok());
        if let Some(u) = unit {
            c.adjudicating.update(|a| {
                if let Some(a) = a {
                    a.current = Some(u);
                }
            });
        }
    };
    Effect::new(move |_| {
        let current = c.adjudicating.with(|a| a.as_ref().and_then(|a| a.current));
        mark_current(current);
    });
    // Decided places lose their colour in the text; a place an undo opens
    // again becomes the current one (so the undone choice is in view).
    Effect::new(move |before: Option<Vec<Decision>>| {
        let now = decisions.get();
        mark_decided(&now);
        if let Some(before) = before {
            let reopened = (0..now.len().min(before.len()))
                .find(|&u| now[u] == Decision::Open && before[u] != Decision::Open);
            if let Some(u) = reopened {
                c.adjudicating.update(|a| {
                    if let Some(a) = a {
                        a.current = Some(u);
                    }
                });
            }
        }
        now
    });
    // Focus starts in the view (not on the header button that opened the
    // dialog), which also brings it into view on a narrow screen.
    focus_heading_soon();
    view! {
        <section class="adjudication" aria-labelledby="adj-title">
            <h2 id="adj-title" tabindex="-1">"Adjudicating: " {title}</h2>
            <div class="row adj-actions">
                <button type="button" class="prev" aria-keyshortcuts="K" on:click=move |_| state.step_disagreement(false)>"Previous (K)"</button>
                <button type="button" class="next" aria-keyshortcuts="J" on:click=move |_| state.step_disagreement(true)>"Next (J)"</button>
                <button type="button" class="export-adjudicated" on:click=move |_| state.export_adjudicated()>"Export adjudicated"</button>
                <button type="button" class="leave" aria-keyshortcuts="Escape" on:click=move |_| state.leave_adjudication()>"Back to the article (Esc)"</button>
            </div>
            <p class="hint">
                "Keys: J / K next and previous disagreement (undecided ones first), 1–9 take that annotator's version, Ctrl+Z undo, Esc back. Spans all annotators agree on were taken already; the result is this article's annotations."
            </p>
            <div class="adj-sticky">{summary}{card}</div>
            <ul class="adj-legend" aria-label="Colours">{legend}</ul>
            <div class="adj-text" on:click=on_click>{text}</div>
        </section>
    }
}

/// Focuses the view's heading after the next frame (when it is drawn).
pub fn focus_heading_soon() {
    request_animation_frame(|| {
        if let Some(h) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(".adjudication h2").ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            if crate::actions::is_narrow() {
                // On a phone the sidebar comes first: the heading goes to
                // the top of the screen, so the card below it (what is to
                // be decided) is on screen too, not under the bottom bars.
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = h.focus_with_options(&options);
                h.scroll_into_view_with_bool(true);
            } else {
                let _ = h.focus();
            }
        }
    });
}

/// Focuses annotator `k`'s button on the card.
fn focus_take(k: usize) {
    if let Some(b) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!(".adj-card button.take[data-k=\"{}\"]", k + 1))
                .ok()
                .flatten()
        })
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = b.focus();
    }
}

/// Marks the runs of decided disagreements (`decided`).
fn mark_decided(decisions: &[Decision]) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(list) = doc.query_selector_all(".adj-run[data-unit]") else {
        return;
    };
    for i in 0..list.length() {
        let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let decided = el
            .get_attribute("data-unit")
            .and_then(|u| u.parse::<usize>().ok())
            .and_then(|u| decisions.get(u))
            .is_some_and(|d| *d != Decision::Open)
            && !el.class_list().contains("kind-agree");
        let _ = el.class_list().toggle_with_force("decided", decided);
    }
}

/// Marks the current unit's runs and scrolls the first into view.
fn mark_current(current: Option<usize>) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(list) = doc.query_selector_all(".adj-run.current") {
        for i in 0..list.length() {
            if let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.class_list().remove_1("current");
            }
        }
    }
    let Some(u) = current else { return };
    let Ok(list) = doc.query_selector_all(&format!(".adj-run[data-unit=\"{u}\"]")) else {
        return;
    };
    for i in 0..list.length() {
        if let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        {
            let _ = el.class_list().add_1("current");
            if i == 0 {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&options);
            }
        }
    }
}

/// The view's keys (only while it is shown and no dialog is open; not in
/// a text field).
fn install_keys(state: AppState) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if state.view.get_untracked() != View::Adjudicate
            || ev.default_prevented()
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || crate::modal::open_modal().is_some()
        {
            return;
        }
        let in_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if in_field {
            return;
        }
        let key = ev.key();
        // By the letter, whatever Caps Lock says; Shift+J goes back.
        match key.to_lowercase().as_str() {
            "j" => state.step_disagreement(!ev.shift_key()),
            "k" => state.step_disagreement(false),
            "escape" => state.leave_adjudication(),
            _ => match key.parse::<usize>() {
                Ok(d) if key.len() == 1 && (1..=9).contains(&d) => state.take_version(d - 1, true),
                _ => return,
            },
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}
