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

use crate::actions::{element, focus_after_frame, report};
use crate::state::{AppState, View};

/// How many rows are drawn (and added per "Show more").
const PAGE: usize = 200;
/// How many are drawn with the first screen (the rest of the page follows).
const FIRST_ROWS: usize = 30;

/// Today's date, `YYYY-MM-DD`.
fn today() -> String {
    crate::state::now()
        .get(..10)
        .unwrap_or_default()
        .to_string()
}

/// The digest or an actor's page, as `view` says. Each page is built once
/// while it stays open: a new query (a filter) or an edit updates it in
/// place, so focus stays on the control used.
#[component]
pub fn DigestView() -> impl IntoView {
    let state = crate::state::use_app_state();
    // Every row, recomputed after an edit (the table follows what is saved).
    let rows = Memo::new(move |_| {
        state
            .session
            .with(|s| digest::rows(s.catalog(), s.workspace(), &today()))
    });
    let query = Memo::new(move |_| match state.view.get() {
        View::Digest(q) => q,
        _ => Query::default(),
    });
    let page = Memo::new(move |_| match state.view.get() {
        View::Actor(name) => Some(name),
        _ => None,
    });
    // Built again only when the page changes (never subscribed to what the
    // builders read).
    move || match page.get() {
        Some(name) => untrack(|| actor_page(state, rows, name).into_any()),
        None => untrack(|| digest_page(state, rows, query).into_any()),
    }
}

/// Brings the top of the main area into view and focuses the page's
/// heading (a new page opened, not the old one's scroll position).
fn show_top() {
    request_animation_frame(|| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Some(main) = document.get_element_by_id("main") {
            main.set_scroll_top(0);
        }
        if let Some(h) = element(".digest h1") {
            let _ = h.focus();
        }
    });
}

/// "1 claim and 2 commitments".
fn claims_and_commitments(claims: usize, commitments: usize) -> String {
    format!(
        "{} and {}",
        Label::Claim.count(claims),
        Label::Commitment.count(commitments)
    )
}

/// Goes to the digest with `query` (the URL follows, replacing the entry:
/// Back leaves the digest rather than stepping through filters).
fn set_query(state: AppState, query: Query) {
    crate::route::replace_digest(&query.to_query());
    state.view.set(View::Digest(query));
}

fn digest_page(state: AppState, rows: Memo<Vec<Row>>, q: Memo<Query>) -> impl IntoView {
    if state.digest_row.get_value().is_some() {
        refocus_row(state);
    } else {
        show_top();
    }
    // For the benchmark: the digest's first screen is drawn by then.
    crate::perf::mark_after_next_frame("aa-digest");
    let selected = Memo::new(move |_| rows.with(|r| q.with(|q| digest::select(r, q))));
    let groups =
        Memo::new(move |_| rows.with(|r| selected.with(|s| q.with(|q| digest::group(r, s, q)))));
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
    // The first screen needs only the top of the table: a few rows first,
    // the page's worth right after the first frame.
    let limit = RwSignal::new(FIRST_ROWS);
    request_animation_frame(move || {
        if limit.try_get_untracked() == Some(FIRST_ROWS) {
            limit.set(PAGE);
        }
    });
    let total = move || rows.with(Vec::len);
    let shown = move || selected.with(Vec::len);
    let export = move |json: bool| {
        // What is shown, in its order (grouped by actor, a row shared by two
        // actors is under each).
        let shown_rows: Vec<usize> =
            groups.with_untracked(|g| g.iter().flat_map(|g| g.rows.iter().copied()).collect());
        let (name, mime, body) = rows.with_untracked(|r| {
            if json {
                ("json", "application/json", digest::to_json(r, &shown_rows))
            } else {
                ("csv", "text/csv", digest::to_csv(r, &shown_rows))
            }
        });
        let file = format!("digest-{}.{name}", today());
        match crate::download::download(&file, mime, &body) {
            Ok(()) => state
                .status
                .set(format!("Exported {} row(s) as {file}.", shown())),
            Err(e) => state.status.set(format!("Could not export: {e}.")),
        }
    };
    let controls = controls(state, q, names);
    let body = move || {
        // Rows redrawn after an edit too (a status changed from a row, an
        // undo), not only when the selection changes.
        rows.track();
        let mut budget = limit.get();
        groups
            .get()
            .into_iter()
            .map(|g| {
                let grouped = !g.key.is_empty();
                let take = g.rows.len().min(budget);
                budget -= take;
                let heading = grouped.then(|| {
                    let counts = claims_and_commitments(g.claims, g.commitments);
                    let title = if q.with_untracked(|q| q.group) == Grouping::Actor && g.key != UNATTRIBUTED {
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
            <h1 id="digest-heading" tabindex="-1">"Digest"</h1>
            <p class="digest-lead">
                "Every claim and commitment in all articles, by who made it. "
                {move || format!("{} of {} shown.", shown(), total())}
                " "
                {move || {
                    let (c, m) = unattributed.get();
                    (c + m > 0).then(|| view! {
                        <a class="unattributed-link" href=format!("#/digest?actor={UNATTRIBUTED}")>
                            {format!("{} have nobody linked yet.", claims_and_commitments(c, m))}
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
                hidden=move || more() == 0 || limit.get() < PAGE
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
/// Built once; their values follow the query (Back, a link), so focus
/// stays on the control a person is using.
fn controls(state: AppState, q: Memo<Query>, names: Memo<Vec<String>>) -> impl IntoView {
    let change = move |f: &dyn Fn(&mut Query)| {
        let mut next = q.get_untracked();
        f(&mut next);
        set_query(state, next);
    };
    let kind = move || match q.with(|q| q.kind) {
        Some(Label::Claim) => "claim",
        Some(Label::Commitment) => "commitment",
        _ => "",
    };
    let status = move || match q.with(|q| q.status) {
        Some(StatusFilter::Is(s)) => s.as_str(),
        Some(StatusFilter::NotSet) => "none",
        None => "",
    };
    let checkable = move || match q.with(|q| q.checkable) {
        Some(CheckableFilter::Is(c)) => c.as_str(),
        Some(CheckableFilter::NotSet) => "none",
        None => "",
    };
    let actor = move || q.with(|q| q.actor.clone().unwrap_or_default());
    let actor_options = move || {
        let current = actor();
        let mut list = names.get();
        // A name in the URL that no row has is still shown as chosen.
        if !current.is_empty() && current != UNATTRIBUTED && !list.contains(&current) {
            list.insert(0, current.clone());
        }
        list.into_iter()
            .map(|n| {
                let selected = n == current;
                view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
            })
            .collect_view()
    };
    let initial = q.get_untracked();
    let opt = |value: &'static str, label: &'static str, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    // First values, read without subscribing the page to the query (it
    // would be built again on every change, losing focus).
    let (kind0, status0, checkable0) = untrack(|| (kind(), status(), checkable()));
    let status_options = Status::ALL
        .into_iter()
        .map(|s| opt(s.as_str(), s.title(), status0))
        .collect_view();
    let checkable_options = Checkable::ALL
        .into_iter()
        .map(|c| opt(c.as_str(), c.title(), checkable0))
        .collect_view();
    let group_options = Grouping::ALL
        .into_iter()
        .map(|g| opt(g.as_str(), g.title(), initial.group.as_str()))
        .collect_view();
    let sort_options = Sort::ALL
        .into_iter()
        .map(|s| opt(s.as_str(), s.title(), initial.sort.as_str()))
        .collect_view();
    let actor0 = initial.actor.clone().unwrap_or_default();
    view! {
        <form class="digest-controls" role="search" aria-label="Filter the digest" on:submit=|ev| ev.prevent_default()>
            <label>"Kind"
                <select class="f-kind" prop:value=kind on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.kind = Label::parse(&v));
                }>
                    {opt("", "Claims and commitments", kind0)}
                    {opt("claim", "Claims", kind0)}
                    {opt("commitment", "Commitments", kind0)}
                </select>
            </label>
            <label>"Who"
                <select class="f-actor" prop:value=actor on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.actor = (!v.is_empty()).then(|| v.clone()));
                }>
                    <option value="" selected=actor0.is_empty()>"Anyone"</option>
                    <option value=UNATTRIBUTED selected=actor0 == UNATTRIBUTED>"Unattributed"</option>
                    {actor_options}
                </select>
            </label>
            <label>"Status"
                <select class="f-status" prop:value=status on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.status = match v.as_str() {
                        "" => None,
                        "none" => Some(StatusFilter::NotSet),
                        s => Status::parse(s).map(StatusFilter::Is),
                    });
                }>
                    {opt("", "Any", status0)}
                    {opt("none", "Not set", status0)}
                    {status_options}
                </select>
            </label>
            <label>"Checkable"
                <select class="f-checkable" prop:value=checkable on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.checkable = match v.as_str() {
                        "" => None,
                        "none" => Some(CheckableFilter::NotSet),
                        s => Checkable::parse(s).map(CheckableFilter::Is),
                    });
                }>
                    {opt("", "Any", checkable0)}
                    {opt("none", "Not set", checkable0)}
                    {checkable_options}
                </select>
            </label>
            <label>"Text (quote, note, article, name)"
                <input
                    type="search"
                    class="f-text"
                    prop:value=move || q.with(|q| q.text.clone())
                    on:input=move |ev| {
                        let t = event_target_value(&ev);
                        change(&|q| q.text = t.clone());
                    }
                />
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    class="f-overdue"
                    prop:checked=move || q.with(|q| q.overdue_only)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        change(&|q| q.overdue_only = on);
                    }
                />
                "Overdue only"
            </label>
            <label>"Group by"
                <select class="f-group" prop:value=move || q.with(|q| q.group.as_str()) on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|q| q.group = Grouping::parse(&v).unwrap_or_default());
                }>
                    {group_options}
                </select>
            </label>
            <label>"Sort by"
                <select class="f-sort" prop:value=move || q.with(|q| q.sort.as_str()) on:change=move |ev| {
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
        move |f: Field| {
            // The rows are drawn again after the edit: focus goes back to
            // this row's list, so arrowing through it keeps working.
            let css = if matches!(f, Field::Status(_)) {
                "select.row-status"
            } else {
                "select.row-checkable"
            };
            report(&state, state.set_field_of(&article, &id, f));
            focus_after_frame(format!("{} {css}", row_css(&id)));
        }
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
            <td class="d-who">{who}</td>
            <td class="d-what">
                <button type="button" class="open-row" title="Open in its article" on:click=move |_| open()>
                    <q>{row.quote.trim_matches(|c| matches!(c, '“' | '”' | '"')).to_string()}</q>
                </button>
                {(!row.note.is_empty()).then(|| view! { <span class="row-note">{row.note.clone()}</span> })}
            </td>
            <td class="d-kind" data-label="Kind">{row.kind.title()}</td>
            <td class="d-article" data-label="Article">{row.headline.clone()}</td>
            <td class="d-deadline" data-label="Deadline">{row.deadline.clone().unwrap_or_default()}</td>
            <td class="d-due" data-label="Due">
                {row.due.clone().unwrap_or_default()}
                {row.overdue.then(|| view! { " " <span class="overdue-badge">"overdue"</span> })}
            </td>
            <td class="d-status" data-label="Status">{status_cell}</td>
            <td class="d-checkable" data-label="Checkable">{checkable_cell}</td>
        </tr>
    }
}

/// Opens a row's article with its span selected and in view; the digest
/// remembers the row, to focus it again on the way back.
fn open_row(state: AppState, article: &str, id: &str) {
    state.digest_row.set_value(Some(id.to_string()));
    state.open_annotation(article, id);
}

/// The CSS selector of row `id` of the digest.
fn row_css(id: &str) -> String {
    format!(".digest tr[data-ann=\"{}\"]", id.replace('"', ""))
}

/// Back on the digest: focus the row opened last (and bring it into view),
/// trying for a few frames (rows after the first screen's come a frame
/// later); then the digest forgets it either way.
fn refocus_row(state: AppState) {
    fn attempt(state: AppState, id: String, frames: u32) {
        request_animation_frame(move || match element(&row_css(&id)) {
            Some(el) => {
                let _ = el.focus();
                state.digest_row.set_value(None);
            }
            None if frames > 0 => attempt(state, id, frames - 1),
            None => state.digest_row.set_value(None),
        });
    }
    if let Some(id) = state.digest_row.get_value() {
        attempt(state, id, 10);
    }
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
    if state.digest_row.get_value().is_some() {
        refocus_row(state);
    } else {
        show_top();
    }
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
                        " " <span class="count">{if n == 1 { "1 shared commitment".to_string() } else { format!("{n} shared commitments") }}</span></li>
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
    let body = move || {
        rows.track();
        table(state, rows, page.with(|p| p.rows.clone()))
    };
    view! {
        <section class="digest actor-page" aria-labelledby="digest-heading">
            <p><a href="#/digest" class="back-to-digest">"← Digest"</a></p>
            <h1 id="digest-heading" tabindex="-1">{title}</h1>
            <p class="digest-lead">
                {move || page.with(|p| format!("{} in all articles.", claims_and_commitments(p.claims, p.commitments)))}
            </p>
            {partners}
            <h2 class="digest-group">"What they said and committed to"</h2>
            <div class="digest-body" on:keydown=move_between_rows>{body}</div>
        </section>
    }
}
