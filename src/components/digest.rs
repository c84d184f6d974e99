//! The digest (`#/digest`): every claim and commitment of every article in
//! one table, by who made it, with filters, grouping and sorting in the URL;
//! and an actor's page (`#/digest/actor/<name>`). Rows, filters, groups,
//! the actor page and the CSV/JSON exports are the core's
//! (`annotator_core::digest`); this view draws them and turns its controls
//! into a new query (and URL) or a field edit.
//!
//! Keys: ↑/↓ move between rows, Enter opens a row's article with the span
//! selected; Back returns here with that row focused.

use annotator_core::attributes::{Checkable, Field, Status};
use annotator_core::digest::{
    self, CheckableFilter, Grouping, Query, Row, Sort, StatusFilter, UNATTRIBUTED,
};
use annotator_core::Label;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::actions::report;
use crate::state::{shorten, AppState, View};

/// How many rows are drawn at first (and added per "Show more").
const PAGE: usize = 200;

/// Today's date, `YYYY-MM-DD`.
fn today() -> String {
    crate::state::now()
        .get(..10)
        .unwrap_or_default()
        .to_string()
}

/// The digest or an actor's page, as `view` says.
#[component]
pub fn DigestView() -> impl IntoView {
    let state = crate::state::use_app_state();
    // Every row, recomputed after an edit (the table follows what is saved).
    let rows = Memo::new(move |_| {
        state
            .session
            .with(|s| digest::rows(s.catalog(), s.workspace(), &today()))
    });
    move || match state.view.get() {
        View::Actor(name) => actor_page(state, rows, name).into_any(),
        View::Digest(query) => digest_page(state, rows, query).into_any(),
        View::Article => ().into_any(),
    }
}

/// Goes to the digest with `query` (the URL follows, replacing the entry:
/// Back leaves the digest rather than stepping through filters).
fn set_query(state: AppState, query: Query) {
    crate::route::replace_digest(&query.to_query());
    state.view.set(View::Digest(query));
}

fn digest_page(state: AppState, rows: Memo<Vec<Row>>, query: Query) -> impl IntoView {
    refocus_row(state);
    let q = StoredValue::new(query.clone());
    let selected = Memo::new(move |_| rows.with(|r| digest::select(r, &q.get_value())));
    let groups =
        Memo::new(move |_| rows.with(|r| selected.with(|s| digest::group(r, s, &q.get_value()))));
    let unattributed = Memo::new(move |_| rows.with(|r| digest::unattributed(r)));
    let names = Memo::new(move |_| {
        let mut names: Vec<String> = rows.with(|r| {
            r.iter()
                .flat_map(|row| row.actors.iter().cloned())
                .collect()
        });
        names.sort_by(|a, b| digest::name_order(a, b));
        names.dedup();
        names
    });
    let limit = RwSignal::new(PAGE);
    let total = move || rows.with(Vec::len);
    let shown = move || selected.with(Vec::len);
    let export = move |json: bool| {
        let (name, mime, body) = rows.with_untracked(|r| {
            selected.with_untracked(|s| {
                if json {
                    ("json", "application/json", digest::to_json(r, s))
                } else {
                    ("csv", "text/csv", digest::to_csv(r, s))
                }
            })
        });
        let file = format!("digest-{}.{name}", today());
        match crate::download::download(&file, mime, &body) {
            Ok(()) => state
                .status
                .set(format!("Exported {} row(s) as {file}.", shown())),
            Err(e) => state.status.set(format!("Could not export: {e}.")),
        }
    };
    let controls = controls(state, query.clone(), names);
    let body = move || {
        let mut budget = limit.get();
        groups
            .get()
            .into_iter()
            .map(|g| {
                let grouped = !g.key.is_empty();
                let take = g.rows.len().min(budget);
                budget -= take;
                let heading = grouped.then(|| {
                    let counts = format!("{} claim(s), {} commitment(s)", g.claims, g.commitments);
                    let title = if q.get_value().group == Grouping::Actor && g.key != UNATTRIBUTED {
                        view! { <a href=crate::route::actor_href(&g.key)>{g.title.clone()}</a> }
                            .into_any()
                    } else {
                        view! { <span>{g.title.clone()}</span> }.into_any()
                    };
                    view! { <h2 class="digest-group">{title} " " <span class="count">{counts}</span></h2> }
                });
                let body_rows = g.rows[..take].to_vec();
                (take > 0 || !grouped).then(|| {
                    view! {
                        {heading}
                        {table(state, rows, body_rows)}
                    }
                })
            })
            .collect_view()
    };
    let more = move || shown().saturating_sub(limit.get());
    view! {
        <section class="digest" aria-labelledby="digest-heading">
            <h1 id="digest-heading">"Digest"</h1>
            <p class="digest-lead">
                "Every claim and commitment in all articles, by who made it. "
                {move || format!("{} of {} shown.", shown(), total())}
                " "
                {move || {
                    let (c, m) = unattributed.get();
                    (c + m > 0).then(|| view! {
                        <a class="unattributed-link" href=format!("#/digest?actor={UNATTRIBUTED}")>
                            {format!("{c} claim(s) and {m} commitment(s) have nobody linked yet.")}
                        </a>
                    })
                }}
            </p>
            {controls}
            <div class="row digest-export">
                <button type="button" class="export-csv" on:click=move |_| export(false)>"Export CSV"</button>
                <button type="button" class="export-json" on:click=move |_| export(true)>"Export JSON"</button>
            </div>
            <div class="digest-body" on:keydown=move_between_rows>{body}</div>
            <button
                type="button"
                class="show-more"
                hidden=move || more() == 0
                on:click=move |_| limit.update(|l| *l += PAGE)
            >
                {move || format!("Show {} more", more().min(PAGE))}
            </button>
            <p class="empty-list" hidden=move || { shown() > 0 }>
                {move || if total() == 0 {
                    "No claims or commitments yet. Tag some in an article (2 for a claim, 3 for a commitment) and link who made them (L)."
                } else {
                    "Nothing matches these filters."
                }}
            </p>
        </section>
    }
}

/// The filter, group and sort controls; each change makes a new query.
fn controls(state: AppState, query: Query, names: Memo<Vec<String>>) -> impl IntoView {
    let q = StoredValue::new(query.clone());
    let change = move |f: &dyn Fn(&mut Query)| {
        let mut next = q.get_value();
        f(&mut next);
        set_query(state, next);
    };
    let kind = match query.kind {
        Some(Label::Claim) => "claim",
        Some(Label::Commitment) => "commitment",
        _ => "",
    };
    let status = match query.status {
        Some(StatusFilter::Is(s)) => s.as_str(),
        Some(StatusFilter::NotSet) => "none",
        None => "",
    };
    let checkable = match query.checkable {
        Some(CheckableFilter::Is(c)) => c.as_str(),
        Some(CheckableFilter::NotSet) => "none",
        None => "",
    };
    let actor = query.actor.clone().unwrap_or_default();
    let actor_options = {
        let actor = actor.clone();
        move || {
            names
                .get()
                .into_iter()
                .map(|n| {
                    let selected = n == actor;
                    view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                })
                .collect_view()
        }
    };
    let text = RwSignal::new(query.text.clone());
    let opt = |value: &'static str, label: &'static str, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let status_options = Status::ALL
        .into_iter()
        .map(|s| opt(s.as_str(), s.title(), status))
        .collect_view();
    let checkable_options = Checkable::ALL
        .into_iter()
        .map(|c| opt(c.as_str(), c.title(), checkable))
        .collect_view();
    let group_options = Grouping::ALL
        .into_iter()
        .map(|g| opt(g.as_str(), g.title(), query.group.as_str()))
        .collect_view();
    let sort_options = Sort::ALL
        .into_iter()
        .map(|s| opt(s.as_str(), s.title(), query.sort.as_str()))
        .collect_view();
    view! {
        <form class="digest-controls" role="search" aria-label="Filter the digest" on:submit=|ev| ev.prevent_default()>
            <label>"Kind"
                <select class="f-kind" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.kind = Label::parse(&v));
                }>
                    {opt("", "Claims and commitments", kind)}
                    {opt("claim", "Claims", kind)}
                    {opt("commitment", "Commitments", kind)}
                </select>
            </label>
            <label>"Who"
                <select class="f-actor" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.actor = (!v.is_empty()).then(|| v.clone()));
                }>
                    <option value="" selected=actor.is_empty()>"Anyone"</option>
                    <option value=UNATTRIBUTED selected=actor == UNATTRIBUTED>"Unattributed"</option>
                    {actor_options}
                </select>
            </label>
            <label>"Status"
                <select class="f-status" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.status = match v.as_str() {
                        "" => None,
                        "none" => Some(StatusFilter::NotSet),
                        s => Status::parse(s).map(StatusFilter::Is),
                    });
                }>
                    {opt("", "Any", status)}
                    {opt("none", "Not set", status)}
                    {status_options}
                </select>
            </label>
            <label>"Checkable"
                <select class="f-checkable" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.checkable = match v.as_str() {
                        "" => None,
                        "none" => Some(CheckableFilter::NotSet),
                        s => Checkable::parse(s).map(CheckableFilter::Is),
                    });
                }>
                    {opt("", "Any", checkable)}
                    {opt("none", "Not set", checkable)}
                    {checkable_options}
                </select>
            </label>
            <label>"Text"
                <input
                    type="search"
                    class="f-text"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:change=move |_| {
                        let t = text.get_untracked();
                        change(&|q| q.text = t.clone());
                    }
                />
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    class="f-overdue"
                    prop:checked=query.overdue_only
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        change(&|q| q.overdue_only = on);
                    }
                />
                "Overdue only"
            </label>
            <label>"Group by"
                <select class="f-group" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.group = Grouping::parse(&v).unwrap_or_default());
                }>
                    {group_options}
                </select>
            </label>
            <label>"Sort by"
                <select class="f-sort" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.sort = Sort::parse(&v).unwrap_or_default());
                }>
                    {sort_options}
                </select>
            </label>
        </form>
    }
}

/// One table of rows.
fn table(state: AppState, rows: Memo<Vec<Row>>, indices: Vec<usize>) -> impl IntoView {
    let body = rows.with_untracked(|r| {
        indices
            .iter()
            .filter_map(|&i| r.get(i).cloned())
            .map(|row| table_row(state, row))
            .collect_view()
    });
    view! {
        <table class="digest-table">
            <thead>
                <tr>
                    <th scope="col">"Who"</th>
                    <th scope="col">"What"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col">"Article"</th>
                    <th scope="col">"Deadline"</th>
                    <th scope="col">"Due"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Checkable"</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}

fn table_row(state: AppState, row: Row) -> impl IntoView {
    let who = if row.actors.is_empty() {
        view! { <span class="unattributed">"unattributed"</span> }.into_any()
    } else {
        row.actors
            .iter()
            .enumerate()
            .map(|(i, n)| {
                view! {
                    {(i > 0).then_some(", ")}
                    <a href=crate::route::actor_href(n) class="actor">{n.clone()}</a>
                }
            })
            .collect_view()
            .into_any()
    };
    let (article, id) = (row.article.clone(), row.annotation.clone());
    let open = {
        let (article, id) = (article.clone(), id.clone());
        move || open_row(state, &article, &id)
    };
    let on_key = {
        let open = open.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let on_row = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| el.tag_name() == "TR");
            if ev.key() == "Enter" && on_row {
                ev.prevent_default();
                open();
            }
        }
    };
    let field = {
        let (article, id) = (article.clone(), id.clone());
        move |f: Field| report(&state, state.set_field_of(&article, &id, f))
    };
    let status_cell = (row.kind == Label::Commitment).then(|| {
        let current = row.status;
        let field = field.clone();
        view! {
            <select
                class="row-status"
                aria-label="Status"
                on:change=move |ev| field(Field::Status(Status::parse(&event_target_value(&ev))))
            >
                <option value="" selected=current.is_none()>"Not set"</option>
                {Status::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=current == Some(s)>{s.title()}</option>
                }).collect_view()}
            </select>
        }
    });
    let checkable_cell = (row.kind == Label::Claim).then(|| {
        let current = row.checkable;
        let field = field.clone();
        view! {
            <select
                class="row-checkable"
                aria-label="Checkable"
                on:change=move |ev| field(Field::Checkable(Checkable::parse(&event_target_value(&ev))))
            >
                <option value="" selected=current.is_none()>"Not set"</option>
                {Checkable::ALL.into_iter().map(|c| view! {
                    <option value=c.as_str() selected=current == Some(c)>{c.title()}</option>
                }).collect_view()}
            </select>
        }
    });
    let open_click = open.clone();
    view! {
        <tr
            tabindex="0"
            class:overdue=row.overdue
            data-ann=id.clone()
            data-article=article.clone()
            on:keydown=on_key
            on:dblclick=move |_| open_click()
        >
            <td class="who">{who}</td>
            <td class="what">
                <button type="button" class="open-row" title="Open in its article" on:click=move |_| open()>
                    <q>{shorten(&row.quote)}</q>
                </button>
                {(!row.note.is_empty()).then(|| view! { <span class="row-note">{row.note.clone()}</span> })}
            </td>
            <td class="kind">{row.kind.title()}</td>
            <td class="article">{row.headline.clone()}</td>
            <td class="deadline">{row.deadline.clone().unwrap_or_default()}</td>
            <td class="due">
                {row.due.clone().unwrap_or_default()}
                {row.overdue.then(|| view! { " " <span class="overdue-badge">"overdue"</span> })}
            </td>
            <td class="status">{status_cell}</td>
            <td class="checkable">{checkable_cell}</td>
        </tr>
    }
}

/// Opens a row's article with its span selected and in view; the digest
/// remembers the row, to focus it again on the way back.
fn open_row(state: AppState, article: &str, id: &str) {
    state.digest_row.set_value(Some(id.to_string()));
    state.open_annotation(article, id);
}

/// Back on the digest: focus the row opened last (and bring it into view).
fn refocus_row(state: AppState) {
    let Some(id) = state.digest_row.get_value() else {
        return;
    };
    request_animation_frame(move || {
        let css = format!(".digest tr[data-ann=\"{}\"]", id.replace('"', ""));
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&css).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// ↑/↓ on a row move focus to the previous/next row of the digest.
fn move_between_rows(ev: leptos::ev::KeyboardEvent) {
    let forward = match ev.key().as_str() {
        "ArrowDown" => true,
        "ArrowUp" => false,
        _ => return,
    };
    let Some(row) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .filter(|el| el.tag_name() == "TR")
    else {
        return;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(all) = document.query_selector_all(".digest tr[data-ann]") else {
        return;
    };
    let rows: Vec<web_sys::HtmlElement> = (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into().ok())
        .collect();
    let Some(at) = rows.iter().position(|r| {
        let el: &web_sys::Element = r;
        *el == row
    }) else {
        return;
    };
    let next = if forward {
        at.checked_add(1)
    } else {
        at.checked_sub(1)
    };
    if let Some(next) = next.and_then(|i| rows.get(i)) {
        ev.prevent_default();
        let _ = next.focus();
    }
}

fn actor_page(state: AppState, rows: Memo<Vec<Row>>, name: String) -> impl IntoView {
    refocus_row(state);
    let page = {
        let name = name.clone();
        Memo::new(move |_| rows.with(|r| digest::actor_page(r, &name)))
    };
    let title = if name == UNATTRIBUTED {
        "Unattributed".to_string()
    } else {
        name.clone()
    };
    let partners = move || {
        let list = page.with(|p| p.partners.clone());
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|(other, n)| {
                    view! {
                        <li><a href=crate::route::actor_href(&other)>{other.clone()}</a>
                        " " <span class="count">{format!("{n} shared commitment(s)")}</span></li>
                    }
                })
                .collect_view();
            view! {
                <section class="partners" aria-labelledby="partners-heading">
                    <h2 id="partners-heading">"Committed together with"</h2>
                    <ul>{items}</ul>
                </section>
            }
        })
    };
    let body = move || table(state, rows, page.with(|p| p.rows.clone()));
    view! {
        <section class="digest actor-page" aria-labelledby="digest-heading">
            <p><a href="#/digest" class="back-to-digest">"← Digest"</a></p>
            <h1 id="digest-heading">{title}</h1>
            <p class="digest-lead">
                {move || page.with(|p| format!("{} claim(s) and {} commitment(s) in all articles.", p.claims, p.commitments))}
            </p>
            {partners}
            <div class="digest-body" on:keydown=move_between_rows>{body}</div>
        </section>
    }
}
