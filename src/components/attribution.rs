//! The selected annotation's attribution and fields, in its details panel:
//! a claim's source and a commitment's actors (each a button selecting
//! that entity, with an unlink button), the link picker (L), a claim's
//! checkability, a commitment's deadline, due date and status, an entity's
//! name (with the names already in use offered, and "apply to all
//! identical mentions") and what that name said and committed to here.
//!
//! Every control translates to one core command (`commands.rs`); the rules
//! (what fits, which due date a deadline gives, what unlinking a claim's
//! source means) are the core's.

use annotator_core::attributes::{Attributes, Checkable, Field, Status};
use annotator_core::linking::{incoming, outgoing, Shown};
use annotator_core::relation::RelationType;
use annotator_core::session::{AnnotationId, ArticleId};
use annotator_core::{Annotation, Label};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::actions::{focus_after_frame, report, scroll_to};
use crate::state::{shorten, AppState};

/// The selected annotation as it is now (the details panel's memo).
type Current = Memo<Option<Annotation>>;

/// Reads the current annotation's attributes.
fn attr<T>(current: Current, f: impl Fn(&Attributes) -> T) -> T {
    current.with(|a| match a {
        Some(a) => f(&a.attributes),
        None => f(&Attributes::default()),
    })
}

/// The links and fields of `a` (drawn once per annotation and label; the
/// values follow `current`, so an edit never redraws a field under focus).
pub fn attribution_view(state: AppState, current: Current, a: &Annotation) -> AnyView {
    match a.label {
        Label::Entity => entity_view(state, current, a).into_any(),
        Label::Claim | Label::Commitment => {
            let fields = if a.label == Label::Claim {
                claim_fields(state, current).into_any()
            } else {
                commitment_fields(state, current).into_any()
            };
            view! { {links_view(state, a)} {fields} }.into_any()
        }
    }
}

/// Selects annotation `id`, scrolls it into view and puts focus on its
/// details (the control that was pressed is gone with the old details).
fn select(state: AppState, id: &str) {
    state.selected.set(Some(id.to_string()));
    scroll_to(id);
    focus_after_frame(".details h2".into());
}

/// Escape in a field leaves it (Escape again deselects), like the note.
fn blur_on_escape(ev: leptos::ev::KeyboardEvent) {
    if ev.key() == "Escape" {
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.blur();
        }
    }
}

/// The links `a` makes (reactive: names follow edits of the entities).
fn links_view(state: AppState, a: &Annotation) -> impl IntoView {
    let kind = RelationType::of(a.label).unwrap_or(RelationType::SaidBy);
    let heading = if kind == RelationType::SaidBy {
        "Said by"
    } else {
        "Committed by"
    };
    let id = a.id.clone();
    let links = Memo::new(move |_| {
        let article = state.current.get()?;
        state.session.with(|s| {
            let a = s.annotation(&ArticleId(article.clone()), &AnnotationId(id.clone()))?;
            Some(outgoing(s.workspace().set(&article)?, a))
        })
    });
    let list = move || {
        let shown = links.get().unwrap_or_default();
        if shown.is_empty() {
            let hint = if kind == RelationType::SaidBy {
                "Nobody yet: link the entity that says it."
            } else {
                "Nobody yet: link the entities that commit to it."
            };
            return view! { <p class="unattributed">{hint}</p> }.into_any();
        }
        let items = shown
            .into_iter()
            .map(|l: Shown| {
                let to = l.other.0.clone();
                let to2 = to.clone();
                let name = l.text.clone();
                view! {
                    <li>
                        <button
                            type="button"
                            class="linked-entity"
                            data-to=to.clone()
                            title="Select this entity"
                            on:click=move |_| select(state, &to)
                        >
                            {l.text.clone()}
                        </button>
                        <button
                            type="button"
                            class="unlink"
                            aria-label=format!("Unlink {name}")
                            title="Unlink"
                            on:click=move |_| {
                                report(&state, state.unlink_selected(&to2));
                                focus_after_frame(".details button.start-link".into());
                            }
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="linked">{items}</ul> }.into_any()
    };
    view! {
        <section class="links" aria-labelledby="links-heading">
            <h3 id="links-heading">{heading}</h3>
            {list}
            <button
                type="button"
                class="start-link"
                aria-keyshortcuts="L"
                aria-expanded=move || state.linking.get().to_string()
                on:click=move |_| {
                    if state.linking.get_untracked() {
                        state.linking.set(false);
                    } else {
                        report(&state, state.start_linking());
                    }
                }
            >
                "Link… " <kbd>"L"</kbd>
            </button>
            {move || state.linking.get().then(|| link_picker(state))}
        </section>
    }
}

/// The link picker: the article's entities, nearest first, by name; 1–9
/// choose (the app's key handler), as does a click here or on an entity in
/// the text. Choosing a linked name unlinks it.
fn link_picker(state: AppState) -> impl IntoView {
    let choices = move || {
        state
            .link_choices()
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let n = i + 1;
                let linked = c.linked.is_some();
                let mentions = if c.mentions == 1 {
                    "1 mention".to_string()
                } else {
                    format!("{} mentions", c.mentions)
                };
                view! {
                    <li>
                        <button
                            type="button"
                            class="choice"
                            data-choice=n
                            aria-pressed=linked.to_string()
                            aria-keyshortcuts=(n <= 9).then(|| n.to_string())
                            on:click=move |_| report(&state, state.choose_link(n))
                        >
                            {(n <= 9).then(|| view! { <kbd>{n}</kbd> " " })}
                            <span class="choice-name">{c.name.clone()}</span>
                            " "
                            <span class="choice-meta">
                                {mentions}
                                {linked.then_some(" · linked (choose to unlink)")}
                            </span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="link-picker" role="group" aria-label="Link to an entity">
            <p class="hint">
                "Press a number, click a name, or click an entity in the text. Esc cancels."
            </p>
            <ol class="choices">{choices}</ol>
            <button type="button" class="cancel-link" on:click=move |_| state.linking.set(false)>
                "Cancel " <kbd>"Esc"</kbd>
            </button>
        </div>
    }
}

/// A claim's checkability.
fn claim_fields(state: AppState, current: Current) -> impl IntoView {
    let value = move || attr(current, |a| a.checkable);
    let options = Checkable::ALL
        .into_iter()
        .map(|c| {
            view! {
                <option value=c.as_str() prop:selected=move || value() == Some(c)>{c.title()}</option>
            }
        })
        .collect_view();
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        report(
            &state,
            state.set_field_selected(Field::Checkable(Checkable::parse(&value))),
        );
    };
    view! {
        <div class="fields">
            <label class="field">
                "Checkable"
                <select
                    class="checkable"
                    prop:value=move || value().map_or("", Checkable::as_str)
                    on:change=on_change
                    on:keydown=blur_on_escape
                >
                    <option value="" prop:selected=move || value().is_none()>"Not set"</option>
                    {options}
                </select>
            </label>
        </div>
    }
}

/// A commitment's deadline, due date and status.
fn commitment_fields(state: AppState, current: Current) -> impl IntoView {
    let status = move || attr(current, |a| a.status);
    let options = Status::ALL
        .into_iter()
        .map(|s| {
            view! { <option value=s.as_str() prop:selected=move || status() == Some(s)>{s.title()}</option> }
        })
        .collect_view();
    let text_field = move |ev: &leptos::ev::Event, make: fn(String) -> Field| {
        report(
            &state,
            state.set_field_selected(make(event_target_value(ev))),
        );
    };
    let status_at = move || {
        attr(current, |a| a.status_at.clone())
            .map(|d| format!("Set on {d}."))
            .unwrap_or_default()
    };
    view! {
        <div class="fields">
            <label class="field">
                "Deadline (as written)"
                <input
                    type="text"
                    class="deadline"
                    placeholder="e.g. by March 2027"
                    prop:value=move || attr(current, |a| a.deadline.clone().unwrap_or_default())
                    on:change=move |ev| text_field(&ev, Field::Deadline)
                    on:keydown=blur_on_escape
                />
            </label>
            <label class="field">
                "Due"
                <input
                    type="text"
                    class="due"
                    inputmode="numeric"
                    placeholder="YYYY, YYYY-MM or YYYY-MM-DD"
                    prop:value=move || attr(current, |a| a.due.clone().unwrap_or_default())
                    on:change=move |ev| text_field(&ev, Field::Due)
                    on:keydown=blur_on_escape
                />
            </label>
            <label class="field">
                "Status"
                <select
                    class="status"
                    prop:value=move || status().map_or("", Status::as_str)
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        report(&state, state.set_field_selected(Field::Status(Status::parse(&value))));
                    }
                    on:keydown=blur_on_escape
                >
                    <option value="" prop:selected=move || status().is_none()>"Not set"</option>
                    {options}
                </select>
            </label>
            <p class="hint status-at">{status_at}</p>
        </div>
    }
}

/// An entity's name and what that name said and committed to here.
fn entity_view(state: AppState, current: Current, a: &Annotation) -> impl IntoView {
    let name = RwSignal::new(a.name().to_string());
    // The saved name when it changes (undo, apply to all); typing is kept
    // meanwhile.
    Effect::new(move |previous: Option<String>| {
        let saved = current.with(|a| a.as_ref().map(|a| a.name().to_string()).unwrap_or_default());
        if previous.as_ref().is_some_and(|p| *p != saved) {
            name.set(saved.clone());
        }
        saved
    });
    let quote = a.quote.clone();
    let id = a.id.clone();
    // Every entity name of every article, offered as the field's
    // completions: gathered when the field first gets focus, not each time
    // an entity is selected (on a long article that is a thousand options
    // built in the tag key's task, for a field most tags never visit).
    let names_wanted = RwSignal::new(false);
    let names = Memo::new(move |_| {
        if names_wanted.get() {
            state.entity_names()
        } else {
            Vec::new()
        }
    });
    // The names of the mentions with this quote (this one included).
    let mention_names = {
        let quote = quote.clone();
        Memo::new(move |_| {
            let Some(article) = state.current.get() else {
                return Vec::new();
            };
            state.with_workspace(|ws| {
                ws.set(&article).map_or(Vec::new(), |set| {
                    set.items()
                        .iter()
                        .filter(|x| x.label == Label::Entity && x.quote == quote)
                        .map(|x| x.name().to_string())
                        .collect()
                })
            })
        })
    };
    let same_quote = move || mention_names.with(Vec::len);
    // Shown while some mention with this quote has another name than the
    // one in the field.
    let all_named = move || {
        let typed = name.get();
        mention_names.with(|names| names.iter().all(|n| *n == typed.trim()))
    };
    let said = Memo::new(move |_| {
        let article = state.current.get()?;
        state.session.with(|s| {
            let a = s.annotation(&ArticleId(article.clone()), &AnnotationId(id.clone()))?;
            Some(incoming(s.workspace().set(&article)?, a))
        })
    });
    let said_list = move || {
        let list = said.get().unwrap_or_default();
        if list.is_empty() {
            return view! {
                <p class="hint">"No claim or commitment is linked to this name here yet."</p>
            }
            .into_any();
        }
        let items = list
            .into_iter()
            .map(|l| {
                let other = l.other.0.clone();
                let verb = if l.kind == RelationType::SaidBy {
                    "said"
                } else {
                    "committed to"
                };
                view! {
                    <li>
                        <button
                            type="button"
                            class=format!("linked-from label-{}", l.label.as_str())
                            data-from=other.clone()
                            on:click=move |_| select(state, &other)
                        >
                            <span class="verb">{verb}</span>
                            " "
                            <q>{shorten(l.text.trim_matches(|c| matches!(c, '“' | '”' | '"')))}</q>
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="linked-from-list">{items}</ul> }.into_any()
    };
    let datalist = move || {
        names
            .get()
            .into_iter()
            .map(|n| view! { <option value=n></option> })
            .collect_view()
    };
    let quote_short = shorten(&quote);
    view! {
        <div class="fields">
            <label class="field">
                "Name"
                <input
                    type="text"
                    class="entity-name"
                    list="entity-names"
                    autocomplete="off"
                    prop:value=move || name.get()
                    on:focus=move |_| names_wanted.set(true)
                    on:input=move |ev| name.set(event_target_value(&ev))
                    on:change=move |ev| {
                        report(&state, state.set_field_selected(Field::Name(event_target_value(&ev))))
                    }
                    on:keydown=blur_on_escape
                />
            </label>
            <datalist id="entity-names">{datalist}</datalist>
            <button
                type="button"
                class="name-all"
                hidden=move || same_quote() < 2 || all_named()
                on:click=move |_| report(&state, state.name_all_selected(&name.get_untracked()))
            >
                {move || format!("Apply to all {} mentions of “{}”", same_quote(), quote_short)}
            </button>
        </div>
        <section class="links" aria-labelledby="said-heading">
            <h3 id="said-heading">{move || format!("What “{}” said and committed to here", name.get())}</h3>
            {said_list}
        </section>
    }
}
