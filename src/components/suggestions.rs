//! Suggestions on screen: the sidebar section (on/off, threshold, counts,
//! how good the model is), the current suggestion's card (accept, reject,
//! accept all) and the "Accept all" preview. What they show comes from
//! `crate::suggesting`; every button calls a state action that a key also
//! reaches (J, Shift+J, Y, N, A).

use annotator_core::suggest::Source;
use annotator_core::Label;
use leptos::portal::Portal;
use leptos::prelude::*;

use crate::actions::report;

/// How many suggestions the Accept-all preview lists (the rest are counted).
const SHOWN_IN_PREVIEW: usize = 200;
use crate::state::use_app_state;

/// The sidebar section: settings, counts per label and the model's scores.
#[component]
pub fn SuggestionSettings() -> impl IntoView {
    let state = use_app_state();
    let sg = state.suggest;
    let counts = Memo::new(move |_| {
        let mut c = [0usize; 3];
        sg.shown.with(|list| {
            for s in list.iter() {
                if let Some(i) = Label::ALL.iter().position(|l| *l == s.label) {
                    c[i] += 1;
                }
            }
        });
        c
    });
    let summary = move || {
        if !sg.on.get() {
            return "Off.".to_string();
        }
        let c = counts.get();
        if c.iter().sum::<usize>() == 0 {
            return "None in this article.".to_string();
        }
        Label::ALL
            .into_iter()
            .zip(c)
            .filter(|(_, n)| *n > 0)
            .map(|(l, n)| format!("{n} {}", if n == 1 { l.as_str() } else { l.plural() }))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let model = move || {
        match (sg.report.get(), sg.learning.get()) {
        (_, true) => view! { <p class="model-status">"Learning from your annotations…"</p> }.into_any(),
        (None, false) => view! {
            <p class="model-status">"The model learns from your annotations once you have tagged a few."</p>
        }
        .into_any(),
        (Some(r), false) => {
            let rows = Label::ALL
                .into_iter()
                .map(|l| {
                    let c = r.scores.of_label(l);
                    let n = c.tp + c.fn_;
                    let cell = move |x: f64| if n == 0 { "–".to_string() } else { format!("{:.2}", x) };
                    view! {
                        <tr>
                            <th scope="row">{l.title()}</th>
                            <td>{cell(c.precision())}</td>
                            <td>{cell(c.recall())}</td>
                            <td>{cell(c.f1())}</td>
                            <td>{n}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p class="model-status">{format!("Model learned from {} annotations. How it does on the ones it did not learn from (every fifth sentence):", r.trained_on)}</p>
                <table class="model-scores">
                    <thead><tr><th scope="col">""</th><th scope="col" title="precision: how many of its guesses were right">"Prec."</th><th scope="col" title="recall: how many of yours it found">"Rec."</th><th scope="col" title="F1: the two combined">"F1"</th><th scope="col" title="annotations it was tested on">"n"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <p class="model-status">"Prec.: its guesses that were right; Rec.: your annotations it found; n: how many it was tested on (– none yet)."</p>
            }
            .into_any()
        }
    }
    };
    view! {
        <section class="suggestion-settings" aria-labelledby="suggestions-title">
            <h2 id="suggestions-title">"Suggestions"</h2>
            <label class="check">
                <input
                    type="checkbox"
                    name="suggestions-on"
                    prop:checked=move || sg.on.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        sg.on.set(on);
                        state.save_prefs();
                        sg.current.set(None);
                        state.status.set(if on { "Suggestions on." } else { "Suggestions off." }.into());
                        if on {
                            crate::suggesting::retrain(&state);
                        }
                    }
                />
                " Show suggestions"
            </label>
            <p class="suggestion-count">{summary}</p>
            <div class="row" hidden=move || !sg.on.get()>
                <button type="button" class="prev-suggestion" aria-keyshortcuts="Shift+J" on:click=move |_| state.step_suggestion(false)>"← Previous"</button>
                <button type="button" class="next-suggestion" aria-keyshortcuts="J" on:click=move |_| state.step_suggestion(true)>"Next "<kbd>"J"</kbd>" →"</button>
            </div>
            <label class="threshold" hidden=move || !sg.on.get()>
                "Hide below confidence "
                <output>{move || format!("{:.0}%", sg.threshold.get() * 100.0)}</output>
                <input
                    type="range"
                    name="suggestion-threshold"
                    min="0"
                    max="100"
                    step="5"
                    prop:value=move || ((sg.threshold.get() * 100.0).round() as i32).to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f32>() {
                            sg.threshold.set((v / 100.0).clamp(0.0, 1.0));
                            state.save_prefs();
                        }
                    }
                />
            </label>
            <label class="check" hidden=move || !sg.on.get()>
                <input
                    type="checkbox"
                    name="repeats-everywhere"
                    prop:checked=move || sg.everywhere.get()
                    on:change=move |ev| {
                        sg.everywhere.set(event_target_checked(&ev));
                        state.save_prefs();
                    }
                />
                " Repeat what I tagged in every article"
            </label>
            <label class="check" hidden=move || !sg.on.get()>
                <input
                    type="checkbox"
                    name="suggestion-model"
                    prop:checked=move || sg.use_model.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        sg.use_model.set(on);
                        state.save_prefs();
                        if on {
                            crate::suggesting::retrain(&state);
                        }
                    }
                />
                " Learn from my annotations (model)"
            </label>
            <div class="model" hidden=move || !sg.on.get() || !sg.use_model.get()>{model}</div>
            {move || {
                sg.rejections_saved.track();
                let n = state
                    .current
                    .get()
                    .map(|a| sg.rejected.with_value(|r| r.count(&a)))
                    .unwrap_or(0);
                (n > 0 && sg.on.get()).then(|| view! {
                    <button type="button" class="restore-rejected" on:click=move |_| state.restore_rejected()>
                        {format!("Offer again the {n} rejected here")}
                    </button>
                })
            }}
        </section>
    }
}

/// The current suggestion: what it proposes, where it comes from, and the
/// buttons (Accept Y, Reject N, Accept all A).
#[component]
pub fn SuggestionCard() -> impl IntoView {
    let state = use_app_state();
    let sg = state.suggest;
    let current = Memo::new(move |_| sg.current_suggestion());
    // On one column the card covers the foot of the screen, like the
    // details: the scroll padding keeps the text above it.
    Effect::new(move |_| {
        let shown = current.with(Option::is_some);
        if state.selected.get_untracked().is_none() {
            crate::actions::keep_selected_in_view(shown.then_some(""));
        }
    });
    move || {
        let s = current.get()?;
        let article = state.current_article()?;
        let quote = article.slice(s.start, s.end).to_string();
        // Only the actors accepting would link: tagged entities, or entity
        // suggestions shown now (accepted with it).
        let actors: Vec<String> = s
            .actors
            .iter()
            .filter(|&&(a, b)| state.can_link_to(a, b))
            .map(|&(a, b)| article.slice(a, b).to_string())
            .collect();
        let label = s.label;
        let same = move || state.count_of(label);
        let source = title_case(s.source);
        let also = (!s.also.is_empty()).then(|| {
            let names: Vec<&str> = s.also.iter().map(|x| x.title()).collect();
            format!(" · also the {}", names.join(" and the "))
        });
        let who = (!actors.is_empty()).then(|| {
            let phrase = match label {
                Label::Claim => "Said by ",
                _ => "Committed by ",
            };
            view! { <p class="suggested-actors">{phrase}{actors.join(", ")}</p> }
        });
        let name = s
            .name
            .clone()
            .map(|n| view! { <p class="suggested-name">"Name: "{n}</p> });
        Some(view! {
            <section class=format!("details suggestion-card sg-{}", label.as_str()) aria-labelledby="suggestion-title">
                <h2 id="suggestion-title">"Suggested " {label.title()}</h2>
                <blockquote class="details-quote">{quote}</blockquote>
                <p class="suggestion-source">
                    <span class="source-badge">{source}</span>
                    " " {s.why.to_string()} {also} " · confidence "
                    <span class="confidence">{percent(s.confidence)}</span>
                </p>
                {who}
                {name}
                <div class="row">
                    <button type="button" class="accept" aria-keyshortcuts="Y" on:click=move |_| {
                        report(&state, state.accept_current());
                        focus_article();
                    }>"Accept "<kbd>"Y"</kbd></button>
                    <button type="button" class="reject" aria-keyshortcuts="N" on:click=move |_| {
                        report(&state, state.reject_current());
                        focus_article();
                    }>"Reject "<kbd>"N"</kbd></button>
                    <button type="button" class="accept-all" aria-keyshortcuts="A" on:click=move |_| report(&state, state.preview_accept_all())>
                        {move || {
                            sg.shown.track();
                            let n = same();
                            format!("Accept all {n} {} ", if n == 1 { label.as_str() } else { label.plural() })
                        }}<kbd>"A"</kbd>
                    </button>
                </div>
            </section>
        })
    }
}

/// Puts focus on the article after a card button acted: the card is
/// redrawn for the next suggestion, and J, Y, N and A go on from the text.
fn focus_article() {
    use wasm_bindgen::JsCast;
    if let Some(el) = crate::selection::article_element()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// A source's name with a capital ("Repeat", "Cue", "Model").
fn title_case(source: Source) -> &'static str {
    match source {
        Source::Repeat => "Repeat",
        Source::Cue => "Cue",
        Source::Model => "Model",
    }
}

/// A confidence as a whole percentage, never "100%" (a guess is a guess).
fn percent(confidence: f32) -> String {
    format!("{}%", ((confidence * 100.0).round() as i32).clamp(0, 99))
}

/// The "Accept all" preview: how many, a few of them, Accept all / Cancel.
#[component]
pub fn AcceptAllDialog() -> impl IntoView {
    let state = use_app_state();
    let sg = state.suggest;
    crate::modal::manage_focus(
        move || sg.confirm_all.get().is_some(),
        "button.confirm-accept",
    );
    // In a portal at the end of <body>, like every dialog (see
    // `add_article::RemoveArticle`).
    move || {
        sg.confirm_all
            .get()
            .map(|label| view! { <Portal><AcceptAllBody label=label /></Portal> })
    }
}

#[component]
fn AcceptAllBody(label: Label) -> impl IntoView {
    let state = use_app_state();
    let sg = state.suggest;
    let list = state.accept_all_list();
    let examples: Vec<(String, &'static str, String)> = state
        .current_article()
        .map(|article| {
            list.iter()
                .take(SHOWN_IN_PREVIEW)
                .map(|s| {
                    (
                        annotator_core::session::shorten(article.slice(s.start, s.end)),
                        title_case(s.source),
                        percent(s.confidence),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let more = list.len().saturating_sub(examples.len());
    let n = list.len();
    let noun = if n == 1 {
        label.as_str()
    } else {
        label.plural()
    };
    let by_source: Vec<String> = Source::ALL
        .into_iter()
        .filter_map(|src| {
            let k = list.iter().filter(|s| s.source == src).count();
            (k > 0).then(|| match src {
                Source::Repeat => format!("{k} repeating what you tagged"),
                Source::Cue => format!("{k} from cue phrases"),
                Source::Model => format!("{k} guessed by the model"),
            })
        })
        .collect();
    view! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="accept-all-title" aria-describedby="accept-all-text">
                <h2 id="accept-all-title">{format!("Accept all {n} {noun}?")}</h2>
                <p id="accept-all-text">
                    {format!("{}. Each becomes an annotation in this article, in one step that Ctrl+Z undoes; suggested sources and actors are linked (and tagged, if they are only suggested). Check the list: the model's guesses can be wrong.", by_source.join(", "))}
                </p>
                <ul class="accept-examples" tabindex="0" aria-label="The suggestions to accept">
                    {examples.into_iter().map(|(q, src, c)| view! { <li>"“"{q}"” "<span class="source-badge">{src}</span>" "{c}</li> }).collect_view()}
                    {(more > 0).then(|| view! { <li>{format!("and {more} more")}</li> })}
                </ul>
                <div class="row">
                    <button type="button" class="confirm-accept" on:click=move |_| report(&state, state.accept_all())>
                        {format!("Accept {n}")}
                    </button>
                    <button type="button" class="cancel" on:click=move |_| sg.confirm_all.set(None)>"Cancel"</button>
                </div>
            </div>
        </div>
    }
}
