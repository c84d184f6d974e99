//! The Compare dialog (issue 18): choose annotators' files (and maybe the
//! current work), see the agreement report per article and overall with
//! the differences, download it as CSV, and start adjudicating an article.
//! Names and quotes from files are shown as text only.

use annotator_core::adjudication::Kind;
use annotator_core::agreement::{Figure, Report, Scope};
use annotator_core::comparison::{ArticleComparison, Comparison};
use annotator_core::formats::import::MAX_BYTES;
use annotator_core::Label;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{use_app_state, AppState};

/// The header's Compare… button.
#[component]
pub fn CompareButton() -> impl IntoView {
    let state = use_app_state();
    view! {
        <button
            type="button"
            class="compare-button"
            aria-haspopup="dialog"
            on:click=move |_| state.compare.open.set(true)
        >
            "Compare…"
        </button>
    }
}

/// Reads the chosen files one after the other (each its own task).
fn read_files(state: AppState, files: web_sys::FileList) {
    let list: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
    leptos::task::spawn_local(async move {
        for file in list {
            let name = file.name();
            if file.size() as usize > MAX_BYTES {
                state
                    .compare
                    .refused
                    .update(|r| r.push((name.clone(), "the file is over 20 MB".to_string())));
                continue;
            }
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    state.add_compare_file(&name, &bytes).await;
                    crate::schedule::next_task().await;
                }
                Err(_) => state.compare.refused.update(|r| {
                    r.push((
                        name.clone(),
                        "the browser could not read the file".to_string(),
                    ))
                }),
            }
        }
    });
}

/// The dialog.
#[component]
pub fn CompareDialog() -> impl IntoView {
    let state = use_app_state();
    let c = state.compare;
    crate::modal::manage_focus(move || c.open.get(), "button.add-files");
    let input = NodeRef::<leptos::html::Input>::new();
    let on_files = move |ev: leptos::ev::Event| {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(files) = target.files() {
            read_files(state, files);
        }
        target.set_value("");
    };
    let sides = move || {
        c.files.with(|files| {
            files
                .iter()
                .enumerate()
                .map(|(i, side)| {
                    let notes = side
                        .notes
                        .iter()
                        .map(|n| view! { <li>{n.to_string()}</li> })
                        .collect_view();
                    let articles = side.sets.len();
                    let spans: usize = side.sets.values().map(|s| s.len()).sum();
                    view! {
                        <li class="side">
                            <span class="side-name">{side.name.clone()}</span>
                            " — " {side.source.clone()} ": "
                            {format!("{spans} annotation(s) in {articles} article(s)")}
                            " "
                            <button
                                type="button"
                                class="remove-side"
                                aria-label=format!("Remove {}", side.name)
                                on:click=move |_| {
                                    c.files.update(|f| {
                                        if i < f.len() {
                                            f.remove(i);
                                        }
                                    });
                                    state.sides_changed();
                                }
                            >
                                "Remove"
                            </button>
                            {(!side.notes.is_empty()).then(|| view! { <ul class="side-notes">{notes}</ul> })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let count = move || c.files.with(Vec::len) + usize::from(c.include_mine.get());
    let dialog = move || {
        c.open.get().then(|| {
            view! {
                <div class="backdrop">
                    <div
                        class="dialog compare-dialog"
                        role="dialog"
                        aria-modal="true"
                        aria-labelledby="compare-title"
                    >
                        <h2 id="compare-title">"Compare annotators"</h2>
                        <p class="hint">
                            "Choose two or more annotation files (native or W3C) of the same articles, or one file and your current work. Each side is named by the annotator the file names, else by its file name."
                        </p>
                        <label class="include-mine">
                            <input
                                type="checkbox"
                                prop:checked=move || c.include_mine.get()
                                on:change=move |ev| {
                                    c.include_mine.set(event_target_checked(&ev));
                                    state.sides_changed();
                                }
                            />
                            {move || {
                                state.session.track();
                                format!("Include my current work (as “{}”)", state.my_name())
                            }}
                        </label>
                        <div class="row">
                            <button
                                type="button"
                                class="add-files"
                                on:click=move |_| {
                                    if let Some(el) = input.get() {
                                        el.click();
                                    }
                                }
                            >
                                "Add files…"
                            </button>
                            <input
                                node_ref=input
                                type="file"
                                multiple
                                class="visually-hidden compare-file"
                                tabindex="-1"
                                aria-hidden="true"
                                accept=".json,.jsonld,application/json,application/ld+json"
                                on:change=on_files
                            />
                        </div>
                        <ul class="sides" aria-label="Sides to compare">
                            {move || c.include_mine.get().then(|| {
                                state.session.track();
                                view! {
                                    <li class="side mine">
                                        <span class="side-name">{state.my_name()}</span>
                                        " — your current work"
                                    </li>
                                }
                            })}
                            {sides}
                        </ul>
                        {move || c.refused.with(|r| (!r.is_empty()).then(|| {
                            let items = r
                                .iter()
                                .map(|(n, why)| view! { <li>{format!("{n}: {why}")}</li> })
                                .collect_view();
                            view! {
                                <div class="alert" role="alert" data-alert="compare">
                                    <p>"Not compared (nothing was changed):"</p>
                                    <ul>{items}</ul>
                                    <button type="button" on:click=move |_| c.refused.set(Vec::new())>"Dismiss"</button>
                                </div>
                            }
                        }))}
                        <div class="row">
                            <button
                                type="button"
                                class="run-compare"
                                disabled=move || count() < 2 || c.busy.get()
                                on:click=move |_| state.run_compare()
                            >
                                {move || if c.busy.get() { "Comparing…" } else { "Compare" }}
                            </button>
                            <button type="button" class="cancel" on:click=move |_| c.open.set(false)>
                                "Close"
                            </button>
                        </div>
                        {move || c.report.with(|r| r.as_ref().map(|r| report_view(state, r)))}
                    </div>
                </div>
            }
        })
    };
    view! { {dialog} }
}

/// How many differences an article's report lists before "Show all".
const FIRST_DIFFERENCES: usize = 50;

/// A figure's value as shown: three decimals, or "—" when undefined.
fn value_text(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}"))
        .unwrap_or_else(|| "—".to_string())
}

/// One table of figures: a row per (figure, scope), a column per pair and
/// their mean (alpha, over all annotators, spans the row).
fn figures_table(
    report: &Report,
    rows: &[(Figure, Scope)],
    caption: String,
    explain: bool,
) -> impl IntoView {
    let pairs = report.pairs.len();
    let head = report
        .pairs
        .iter()
        .map(|p| {
            view! {
                <th scope="col">
                    {format!("{} – {}", report.annotators[p.a], report.annotators[p.b])}
                </th>
            }
        })
        .collect_view();
    let body = rows
        .iter()
        .map(|&(figure, scope)| {
            let cells = if figure == Figure::Alpha {
                view! {
                    <td colspan=(pairs + 1).to_string() data-figure=figure.as_str()>
                        {value_text(report.alpha_of(scope))}
                    </td>
                }
                .into_any()
            } else {
                let per_pair = report
                    .pairs
                    .iter()
                    .map(|p| {
                        let counts = p.counts(figure, scope).map(|c| {
                            format!(
                                "{} matched, {} only {}, {} only {}",
                                c.matched,
                                c.only_a,
                                report.annotators[p.a],
                                c.only_b,
                                report.annotators[p.b]
                            )
                        });
                        let counts = counts.or_else(|| {
                            (figure == Figure::Kappa).then(|| {
                                format!("{} span(s) matched by position", p.label_pairs.len())
                            })
                        });
                        view! {
                            <td data-figure=figure.as_str()>
                                <span class="value">{value_text(p.value(figure, scope))}</span>
                                {counts.map(|c| view! { <span class="counts">{c}</span> })}
                            </td>
                        }
                    })
                    .collect_view();
                view! {
                    {per_pair}
                    <td class="mean" data-figure=figure.as_str()>{value_text(report.mean(figure, scope))}</td>
                }
                .into_any()
            };
            let title = match scope {
                Scope::Relation(t) => format!("{} ({})", figure.title(), t.as_str().replace('_', " ")),
                _ => figure.title().to_string(),
            };
            view! {
                <tr data-scope=scope.as_str()>
                    <th scope="row">
                        {title}
                        {explain.then(|| view! { <span class="explain">{figure.explain()}</span> })}
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="figures">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Measure"</th>
                        {head}
                        <th scope="col">"Mean"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// The figures in total and, folded, per label and per relation type;
/// `explain`: each measure's one-line meaning under its name (in the first
/// table only, not repeated).
fn figures(report: &Report, what: &str, explain: bool) -> impl IntoView {
    let total: Vec<(Figure, Scope)> = Figure::ALL.iter().map(|&f| (f, Scope::Total)).collect();
    let per_label = Label::ALL
        .into_iter()
        .map(|label| {
            let rows: Vec<(Figure, Scope)> = [
                Figure::ExactF1,
                Figure::OverlapF1,
                Figure::Kappa,
                Figure::Alpha,
            ]
            .iter()
            .map(|&f| (f, Scope::Label(label)))
            .collect();
            figures_table(report, &rows, label.title().to_string(), false)
        })
        .collect_view();
    let relations: Vec<(Figure, Scope)> = annotator_core::relation::RelationType::ALL
        .iter()
        .map(|&t| (Figure::RelationF1, Scope::Relation(t)))
        .collect();
    view! {
        {figures_table(report, &total, format!("{what}: all labels"), explain)}
        <details class="per-label">
            <summary>"Per label and relation type"</summary>
            {per_label}
            {figures_table(report, &relations, "Relations".to_string(), false)}
        </details>
    }
}

/// One article's section: figures, differences, Adjudicate.
/// `only`: the report's only article (its figures are the overall ones,
/// not shown twice).
fn article_view(
    state: AppState,
    a: &ArticleComparison,
    names: &[String],
    only: bool,
) -> impl IntoView {
    let id = a.id.clone();
    let kinds = a.kinds();
    // The first differences at once, the rest on request (a long
    // article's thousands would hold the page while they are drawn).
    let shown = RwSignal::new(FIRST_DIFFERENCES);
    let differences = {
        let id = id.clone();
        move || {
            let limit = shown.get();
            state.compare.report.with(|r| {
                let r = r.as_ref()?;
                let a = r.articles.iter().find(|a| a.id == id)?;
                Some(
                    a.units
                        .units()
                        .iter()
                        .enumerate()
                        .filter(|(_, u)| u.kind != Kind::Agree)
                        .take(limit)
                        .map(|(i, u)| {
                            let versions = (0..r.names.len())
                                .map(|k| {
                                    view! { <li>{format!("{}: {}", r.names[k], a.units.describe(i, k))}</li> }
                                })
                                .collect_view();
                            view! {
                                <li class="difference" data-kind=u.kind.as_str()>
                                    <span class=format!("kind kind-{}", u.kind.as_str())>{u.kind.title()}</span>
                                    <ul>{versions}</ul>
                                </li>
                            }
                        })
                        .collect_view(),
                )
            })
        }
    };
    let disagreements: usize = kinds[1..].iter().sum();
    let missing = a
        .missing
        .iter()
        .map(|&k| {
            format!(
                "{} has no entry for this article (counted as marking nothing)",
                names[k]
            )
        })
        .collect::<Vec<_>>();
    let summary = format!(
        "{} place(s) all agree; {} disagreement(s): {} on label, {} on boundary, {} only some annotators, {} on links",
        kinds[0], disagreements, kinds[1], kinds[2], kinds[3], kinds[4]
    );
    view! {
        <section class="article-report" data-article=a.id.clone()>
            <h3>{a.title.clone()}</h3>
            <p class="summary" data-disagreements=disagreements.to_string()>{summary}</p>
            {missing.into_iter().map(|m| view! { <p class="hint">{m}</p> }).collect_view()}
            {(!only).then(|| figures(&a.report, "This article", false))}
            {(disagreements > 0).then(|| view! {
                <h4>"Differences"</h4>
                <ol class="differences">{differences}</ol>
                {move || (shown.get() < disagreements).then(|| view! {
                    <button type="button" class="show-all-differences" on:click=move |_| shown.set(usize::MAX)>
                        {format!("Show all {disagreements} differences")}
                    </button>
                })}
            })}
            <button
                type="button"
                class="adjudicate"
                on:click={
                    let id = id.clone();
                    move |_| state.start_adjudication(&id, false)
                }
            >
                "Adjudicate this article"
            </button>
            {move || (state.compare.confirm.get().as_deref() == Some(id.as_str())).then(|| {
                let id = id.clone();
                view! {
                    <div class="alert confirm-adjudicate" role="alert">
                        <p>{format!(
                            "This article holds {} annotation(s) of yours that are not among the compared sides. Adjudicating replaces them with the curated result (Ctrl+Z brings them back until you reload). To keep them, close this, export your work first, or tick “Include my current work”.",
                            state.own_annotations(&id)
                        )}</p>
                        <button type="button" class="replace-and-adjudicate" on:click={
                            let id = id.clone();
                            move |_| state.start_adjudication(&id, true)
                        }>"Replace them and adjudicate"</button>
                        " "
                        <button type="button" class="keep-mine" on:click={
                            let id = id.clone();
                            move |_| {
                                state.compare.confirm.set(None);
                                // Focus back on this article's Adjudicate.
                                let id = id.clone();
                                request_animation_frame(move || {
                                    if let Some(b) = web_sys::window()
                                        .and_then(|w| w.document())
                                        .and_then(|d| d.query_selector(&format!(".article-report[data-article=\"{id}\"] button.adjudicate")).ok().flatten())
                                        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                                    {
                                        let _ = b.focus();
                                    }
                                });
                            }
                        }>"Keep them"</button>
                    </div>
                }
            })}
        </section>
    }
}

fn report_view(state: AppState, r: &Comparison) -> impl IntoView {
    let alone = r
        .alone
        .iter()
        .map(|(k, id)| {
            view! { <li>{format!("{} alone has article {id}; left out", r.names[*k])}</li> }
        })
        .collect_view();
    let csv = r.to_csv();
    let download = move |_| {
        let name = format!(
            "agreement-{}.csv",
            crate::state::now().get(..10).unwrap_or("today")
        );
        match crate::download::download(&name, "text/csv;charset=utf-8", &csv) {
            Ok(()) => state.status.set(format!("Exported {name}.")),
            Err(e) => state.status.set(e),
        }
    };
    view! {
        <section class="compare-report" aria-label="Agreement report">
            <div class="row">
                <button type="button" class="download-report" on:click=download>
                    "Download report (CSV)"
                </button>
            </div>
            {match &r.overall {
                Some(overall) => view! {
                    <h3>{format!("Overall ({} article(s))", r.articles.len())}</h3>
                    {figures(overall, "Overall", true)}
                }
                .into_any(),
                None => view! {
                    <p class="hint">"No article is in two of these sides: nothing to compare."</p>
                }
                .into_any(),
            }}
            {(!r.alone.is_empty()).then(|| view! { <ul class="alone">{alone}</ul> })}
            {r.articles.iter().map(|a| article_view(state, a, &r.names, r.articles.len() == 1)).collect_view()}
        </section>
    }
}
