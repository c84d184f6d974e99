//! The open article: headline as the page heading, summary as standfirst,
//! then the body paragraphs, all inside `<article>`, with annotations drawn
//! from the model.
//!
//! Every block is cut into runs at span boundaries (`core::segments`); each
//! run's text is the only child of `<span data-s data-e>` (its code-point
//! range), wrapped in one `<span class="hl …">` per covering annotation,
//! outermost lane first. Article text only ever becomes text nodes.
//!
//! The article takes focus (tabindex 0): arrow keys move a word cursor,
//! Shift+arrows extend it, 1/2/3 tag (handled app-wide), Escape clears.
//! A click on a highlight selects the innermost annotation there; clicking
//! again cycles outwards.

use annotator_core::cursor::{display_order, Move};
use annotator_core::journal::{Mark, Since};
use annotator_core::segments::{affected, lanes, runs, Run};
use annotator_core::{AnnotationSet, Article, BlockKind};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::actions::move_cursor;
use crate::components::add_article::RemoveArticle;
use crate::components::selected::SelectedFlags;
use crate::selection;
use crate::state::{use_app_state, AppState};

/// Shows the open article, or a message when there is none.
#[component]
pub fn ArticleView() -> impl IntoView {
    let state = use_app_state();
    let article = Memo::new({
        let state = state.clone();
        move |_| state.current_article()
    });
    move || {
        match article.get() {
        Some(article) => {
            set_document_title(article.headline());
            render_article(state.clone(), article).into_any()
        }
        None => view! {
            <p class="empty" role="status">"No article to show. Add a .txt file to seeds/ and rebuild."</p>
        }
        .into_any(),
    }
    }
}

/// What the view last drew for one article: the workspace journal's mark it
/// is up to date with, and the lanes of the article's annotations (parallel
/// to the set's items).
struct Drawn {
    mark: Mark,
    lanes: Vec<usize>,
}

fn render_article(state: AppState, article: Article) -> impl IntoView {
    let id = article.id().to_string();
    // Each block redraws only when its version changes; one effect bumps
    // the versions of the blocks an edit touched, so an edit costs the same
    // whatever the number of annotations elsewhere.
    let versions: Vec<RwSignal<u64>> = article.blocks().iter().map(|_| RwSignal::new(0)).collect();
    let drawn = StoredValue::new(state.workspace.with_untracked(|ws| Drawn {
        mark: ws.journal().mark(),
        lanes: ws.set(&id).map(lanes).unwrap_or_default(),
    }));
    {
        let state = state.clone();
        let id = id.clone();
        let versions = versions.clone();
        let starts: Vec<(usize, usize)> = article
            .blocks()
            .iter()
            .map(|b| (b.range.start, b.range.end))
            .collect();
        // After any change to the workspace: recompute lanes (integer work)
        // and bump the blocks within the ranges the journal says changed,
        // widened to their clusters of overlapping spans.
        Effect::new(move |_| {
            crate::perf::start("aa-view");
            let ranges = state.workspace.with(|ws| {
                let since = drawn.with_value(|d| ws.journal().since(d.mark, &id));
                let set = ws.set(&id);
                let ranges = match since {
                    Since::Spans(spans) if spans.is_empty() => return Vec::new(),
                    Since::Spans(spans) => set.map(|s| affected(s, &spans)).unwrap_or(spans),
                    Since::Everything => vec![(0, usize::MAX)],
                };
                drawn.set_value(Drawn {
                    mark: ws.journal().mark(),
                    lanes: set.map(lanes).unwrap_or_default(),
                });
                ranges
            });
            for (s, e) in ranges {
                let first = starts.partition_point(|b| b.1 < s);
                for (i, b) in starts.iter().enumerate().skip(first) {
                    if b.0 > e {
                        break;
                    }
                    if let Some(v) = versions.get(i) {
                        v.update(|n| *n += 1);
                    }
                }
            }
            crate::perf::measure("aa-view");
        });
    }
    let flags = SelectedFlags::new(state.selected);
    let blocks: std::sync::Arc<Vec<annotator_core::Block>> =
        std::sync::Arc::new(article.blocks().to_vec());
    let block_view = {
        let blocks = blocks.clone();
        let versions = versions.clone();
        let state = state.clone();
        let id = id.clone();
        move |index: usize| {
            let block = blocks[index].clone();
            let (start, end) = (block.range.start, block.range.end);
            let version = versions[index];
            let block_runs = Memo::new({
                let text = block.text.clone();
                let workspace = state.workspace;
                let id = id.clone();
                move |_| {
                    version.track();
                    workspace.with_untracked(|ws| {
                        drawn.with_value(|d| match ws.set(&id) {
                            Some(set) => runs(&text, start, end, set, &d.lanes),
                            None => runs(&text, start, end, &AnnotationSet::new(), &[]),
                        })
                    })
                }
            });
            let content = move || {
                block_runs
                    .get()
                    .into_iter()
                    .map(|run| render_run(run, flags))
                    .collect_view()
            };
            match block.kind {
                BlockKind::Headline => view! {
                    <h1 class="headline" data-start=start data-end=end>{content}</h1>
                }
                .into_any(),
                BlockKind::Summary => view! {
                    <p class="standfirst" data-start=start data-end=end>{content}</p>
                }
                .into_any(),
                BlockKind::Paragraph => {
                    let class = if block.is_boilerplate() {
                        "para boilerplate"
                    } else {
                        "para"
                    };
                    view! { <p class=class data-start=start data-end=end>{content}</p> }.into_any()
                }
            }
        }
    };
    let order = display_order(&article);
    let header: Vec<_> = order
        .iter()
        .copied()
        .filter(|&i| {
            let b = &article.blocks()[i];
            b.kind != BlockKind::Paragraph && !b.range.is_empty()
        })
        .map(block_view.clone())
        .collect();
    let removable = state.is_user_article(&id).then(|| {
        view! {
            <div class="article-actions">
                <span class="badge">"Added by you"</span>
                <RemoveArticle id=id.clone() headline=article.headline().to_string() />
            </div>
        }
    });
    // The body renders in chunks: the first screen at once, the rest a chunk
    // per timer tick, so a long article shows quickly and input is never
    // blocked for long. `aa-all-rendered` marks when every block is in.
    let body_blocks: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| {
            let b = &article.blocks()[i];
            b.kind == BlockKind::Paragraph && !b.range.is_empty()
        })
        .collect();
    let total = body_blocks.len();
    let shown = RwSignal::new(FIRST_CHUNK.min(total));
    render_rest_in_chunks(shown, total);
    let body = view! {
        <For
            each=move || body_blocks[..shown.get().min(body_blocks.len())].to_vec()
            key=|i| *i
            children=block_view
        />
    };
    let on_click = {
        let state = state.clone();
        move |ev: leptos::ev::MouseEvent| {
            let Some(article) = selection::article_element() else {
                return;
            };
            if selection::read(&article).is_some() {
                return; // the end of a drag, not a click on a highlight
            }
            let target = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let cp = target
                .and_then(|t| t.closest("[data-s]").ok().flatten())
                .and_then(|run| run.get_attribute("data-s"))
                .and_then(|s| s.parse::<usize>().ok());
            match cp {
                Some(cp) => state.select_at(cp),
                None => state.selected.set(None),
            }
        }
    };
    let on_keydown = {
        let state = state.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let key = match (ev.key().as_str(), ev.shift_key()) {
                ("ArrowRight", false) | ("ArrowDown", false) => Move::Next,
                ("ArrowLeft", false) | ("ArrowUp", false) => Move::Previous,
                ("ArrowRight", true) | ("ArrowDown", true) => Move::ExtendNext,
                ("ArrowLeft", true) | ("ArrowUp", true) => Move::ExtendPrevious,
                _ => return,
            };
            ev.prevent_default();
            move_cursor(&state, key);
        }
    };
    view! {
        {removable}
        <article
            class="article"
            data-article-id=id.clone()
            lang="en"
            tabindex="0"
            aria-label="Article text. Select text with the mouse, or use arrow keys to select words and Shift+arrows to extend; then press 1, 2 or 3 to tag."
            on:click=on_click
            on:keydown=on_keydown
        >
            <header>{header}</header>
            <div class="body">{body}</div>
        </article>
    }
}

/// One run: its text in a `data-s` span, wrapped once per covering annotation.
fn render_run(run: Run, flags: SelectedFlags) -> AnyView {
    let mut view = view! {
        <span data-s=run.start data-e=run.end>{run.text}</span>
    }
    .into_any();
    for cover in run.covers.iter().rev() {
        let class = format!("hl hl-{} lane-{}", cover.label.as_str(), cover.lane.min(3));
        let flag = flags.flag(&cover.id);
        let is_selected = move || flag.as_ref().is_some_and(|f| f.get());
        view = view! {
            <span class=class class:selected=is_selected data-ann=cover.id.clone() data-label=cover.label.as_str()>{view}</span>
        }
        .into_any();
    }
    view
}

/// Body blocks rendered at once when an article opens.
const FIRST_CHUNK: usize = 40;
/// Body blocks added per timer tick after that.
const NEXT_CHUNK: usize = 150;

/// Grows `shown` to `total` a chunk per tick, then marks `aa-all-rendered`.
fn render_rest_in_chunks(shown: RwSignal<usize>, total: usize) {
    if shown.get_untracked() >= total {
        crate::perf::mark_after_next_frame("aa-all-rendered");
        return;
    }
    set_timeout(
        move || {
            let Some(now) = shown.try_get_untracked() else {
                return;
            };
            shown.set((now + NEXT_CHUNK).min(total));
            render_rest_in_chunks(shown, total);
        },
        std::time::Duration::from_millis(0),
    );
}

fn set_document_title(headline: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{headline} · Article Annotator"));
    }
}
