//! The open article: headline as the page heading, summary as standfirst,
//! then the body paragraphs, all inside `<article>`, with annotations drawn
//! from the model.
//!
//! Every block is cut into runs at span boundaries (`core::segments`); each
//! run's text is the only child of `<span data-s data-e>` (its code-point
//! range), wrapped in one `<span class="hl …">` per covering annotation,
//! outermost lane first. Article text only ever becomes text nodes.
//!
//! Cost: a block is redrawn only when the workspace journal says an edit
//! touched it (widened to its cluster of overlapping spans), with plain DOM
//! calls (`draw_runs`); the body is added in chunks after the first screen.
//! The selected annotation's highlights get the `selected` class by direct
//! DOM updates of the blocks it spans (`mark_selection`).
//!
//! The article takes focus (tabindex 0): arrow keys move a word cursor,
//! Shift+arrows extend it, 1/2/3 tag (handled app-wide), Escape clears.
//! A click on a highlight selects the innermost annotation there; clicking
//! again cycles outwards.

use std::collections::HashMap;

use annotator_core::cursor::{display_order, Move};
use annotator_core::journal::{Mark, Since};
use annotator_core::segments::{affected, lanes, runs, Run};
use annotator_core::{AnnotationSet, Article, BlockKind};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::actions::move_cursor;
use crate::components::add_article::RemoveArticle;
use crate::dom;
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
    // Block elements by block index, once drawn (for selection marks).
    let elements: StoredValue<HashMap<usize, web_sys::Element>, LocalStorage> =
        StoredValue::new_local(HashMap::new());
    mark_selection(&state, &id, &article, elements);
    let block_view = {
        let article = article.clone();
        let versions = versions.clone();
        let state = state.clone();
        let id = id.clone();
        move |index: usize| {
            // Indices come from this article's own blocks.
            let Some(block) = article.blocks().get(index) else {
                return ().into_any();
            };
            let (start, end) = (block.range.start, block.range.end);
            let Some(version) = versions.get(index).copied() else {
                return ().into_any();
            };
            // Drawn straight into the block element (see `draw_runs`): one
            // effect per block, none per highlight. The runs are made for
            // the draw and dropped after it, not kept per block.
            let draw = {
                let article = article.clone();
                let workspace = state.workspace;
                let selected = state.selected;
                let id = id.clone();
                move |el: web_sys::Element| {
                    version.track();
                    let text = article.blocks().get(index).map_or("", |b| b.text.as_str());
                    let block_runs = workspace.with_untracked(|ws| {
                        drawn.with_value(|d| match ws.set(&id) {
                            Some(set) => runs(text, start, end, set, &d.lanes),
                            None => runs(text, start, end, &AnnotationSet::new(), &[]),
                        })
                    });
                    let selected = selected.get_untracked();
                    draw_runs(&el, &block_runs, selected.as_deref());
                    elements.update_value(|m| {
                        m.insert(index, el);
                    });
                }
            };
            match block.kind {
                BlockKind::Headline => {
                    let node = NodeRef::<leptos::html::H1>::new();
                    Effect::new(move |_| {
                        if let Some(el) = node.get() {
                            draw(el.into());
                        }
                    });
                    view! { <h1 class="headline" data-start=start data-end=end node_ref=node></h1> }
                        .into_any()
                }
                kind => {
                    let class = match kind {
                        BlockKind::Summary => "standfirst",
                        _ if block.is_boilerplate() => "para boilerplate",
                        _ => "para",
                    };
                    let node = NodeRef::<leptos::html::P>::new();
                    Effect::new(move |_| {
                        if let Some(el) = node.get() {
                            draw(el.into());
                        }
                    });
                    view! { <p class=class data-start=start data-end=end node_ref=node></p> }
                        .into_any()
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
    // Code points of text up to the end of each body block: chunks are cut
    // by amount of text, so a chunk costs about the same however long the
    // paragraphs are.
    let upto: std::sync::Arc<Vec<usize>> = std::sync::Arc::new(
        body_blocks
            .iter()
            .scan(0, |sum, &i| {
                *sum += article.blocks()[i].range.len();
                Some(*sum)
            })
            .collect(),
    );
    let shown = RwSignal::new(chunk_end(&upto, 0, FIRST_SCREEN));
    render_rest_in_chunks(shown, upto);
    {
        let article = article.clone();
        crate::schedule::when_idle(3000, move || crate::actions::prepare_words(&article));
    }
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

/// Draws a block's runs into its element, replacing what was there: each
/// run's text as the only child of `<span data-s data-e>`, wrapped in one
/// `<span class="hl …">` per covering annotation (outermost first). The
/// text only ever becomes text nodes. Drawn with plain DOM calls: a long
/// article has tens of thousands of runs, and a reactive view per run would
/// cost far more time and memory than the drawing itself.
fn draw_runs(el: &web_sys::Element, runs: &[Run], selected: Option<&str>) {
    let Some(doc) = el.owner_document() else {
        return;
    };
    let fragment = doc.create_document_fragment();
    let mut ids = dom::Ids::default();
    for run in runs {
        let span = dom::run_span(&doc, run.start, run.end);
        span.set_text_content(Some(&run.text));
        let mut node = span;
        // `covers` is outermost first: wrap from the innermost out.
        for cover in run.covers.iter().rev() {
            let is_selected = selected == Some(cover.id.as_str());
            let wrap = dom::highlight_span(
                &doc,
                &mut ids,
                &cover.id,
                cover.label,
                cover.lane,
                is_selected,
            );
            let _ = wrap.append_child(&node);
            node = wrap;
        }
        let _ = fragment.append_child(&node);
    }
    el.set_text_content(None);
    let _ = el.append_child(&fragment);
}

/// Keeps the `selected` class on the highlights of the selected annotation:
/// when the selection changes, only the blocks holding the old and the new
/// annotation are looked at.
fn mark_selection(
    state: &AppState,
    article_id: &str,
    article: &Article,
    elements: StoredValue<HashMap<usize, web_sys::Element>, LocalStorage>,
) {
    let starts: Vec<(usize, usize)> = article
        .blocks()
        .iter()
        .map(|b| (b.range.start, b.range.end))
        .collect();
    let state = state.clone();
    let article_id = article_id.to_string();
    let mark = move |id: &str, on: bool| {
        let Some(a) = state.workspace.with_untracked(|ws| {
            ws.set(&article_id)
                .and_then(|set| set.get(id))
                .map(|a| (a.start, a.end))
        }) else {
            return; // gone: its highlights went with it
        };
        let first = starts.partition_point(|b| b.1 < a.0);
        for (i, b) in starts.iter().enumerate().skip(first) {
            if b.0 > a.1 {
                break;
            }
            let Some(el) = elements.with_value(|m| m.get(&i).cloned()) else {
                continue;
            };
            let Ok(list) = el.query_selector_all("[data-ann]") else {
                continue;
            };
            for k in 0..list.length() {
                let Some(hl) = list
                    .item(k)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                else {
                    continue;
                };
                if hl.get_attribute("data-ann").as_deref() == Some(id) {
                    let _ = hl.class_list().toggle_with_force("selected", on);
                }
            }
        }
    };
    let selected = state.selected;
    Effect::new(move |previous: Option<Option<String>>| {
        let now = selected.get();
        if let Some(Some(old)) = &previous {
            if now.as_ref() != Some(old) {
                mark(old, false);
            }
        }
        if let Some(new) = &now {
            mark(new, true);
        }
        now
    });
}

/// Code points of body text drawn at once when an article opens: more than
/// a tall screen shows.
const FIRST_SCREEN: usize = 5_000;
/// Code points of body text added per timer tick after that.
const CHUNK: usize = 40_000;

/// How many body blocks to show to add about `amount` code points of text
/// after the first `from` blocks (at least one more, if any are left).
fn chunk_end(upto: &[usize], from: usize, amount: usize) -> usize {
    let base = from
        .checked_sub(1)
        .and_then(|i| upto.get(i))
        .copied()
        .unwrap_or(0);
    let end = upto.partition_point(|&n| n < base + amount) + 1;
    end.max(from + 1).min(upto.len())
}

/// Grows `shown` to every body block a chunk per tick, then marks
/// `aa-all-rendered`.
fn render_rest_in_chunks(shown: RwSignal<usize>, upto: std::sync::Arc<Vec<usize>>) {
    if shown.get_untracked() >= upto.len() {
        crate::perf::mark_after_next_frame("aa-all-rendered");
        return;
    }
    set_timeout(
        move || {
            let Some(now) = shown.try_get_untracked() else {
                return;
            };
            shown.set(chunk_end(&upto, now, CHUNK));
            render_rest_in_chunks(shown, upto);
        },
        std::time::Duration::from_millis(0),
    );
}

fn set_document_title(headline: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{headline} · Article Annotator"));
    }
}

#[cfg(test)]
mod tests {
    use super::chunk_end;

    #[test]
    fn chunks_are_cut_by_amount_of_text_and_always_progress() {
        // Blocks of 10, 10, 100, 10, 10 code points.
        let upto = [10, 20, 120, 130, 140];
        assert_eq!(chunk_end(&upto, 0, 15), 2);
        assert_eq!(chunk_end(&upto, 0, 20), 2);
        assert_eq!(chunk_end(&upto, 2, 5), 3);
        assert_eq!(chunk_end(&upto, 3, 1000), 5);
        assert_eq!(chunk_end(&upto, 5, 10), 5);
        assert_eq!(chunk_end(&[], 0, 10), 0);
    }
}
