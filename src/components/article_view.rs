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
//! calls (`draw_runs`, through `crate::dom`). The body's paragraphs are made
//! with plain DOM calls too, no reactive view or effect per block (`Blocks`),
//! and added in chunks after the first screen. Leptos owns the `<article>`
//! and the header; it never touches the body's children.
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
    let article = Memo::new(move |_| state.current_article());
    move || {
        match article.get() {
        Some(article) => {
            set_document_title(article.headline());
            render_article(state, article).into_any()
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

/// What drawing a block needs: the workspace, the article, the lanes last
/// computed and the block elements made so far (by block index; also used
/// for redraws and selection marks).
#[derive(Clone)]
struct Blocks {
    state: AppState,
    id: std::sync::Arc<str>,
    article: Article,
    drawn: StoredValue<Drawn>,
    elements: StoredValue<HashMap<usize, web_sys::Element>, LocalStorage>,
    /// This view's number (unique per page), written on the body element it
    /// fills: a body claimed by a later view is never appended to.
    generation: u64,
}

/// The attribute on the body element naming the view that fills it.
const OWNER: &str = "data-view";

thread_local! {
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A new view number.
fn next_generation() -> u64 {
    GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    })
}

impl Blocks {
    /// Draws block `index` into `el` from the current workspace and keeps
    /// `el` as that block's element.
    fn draw(&self, index: usize, el: web_sys::Element) {
        let Some(block) = self.article.blocks().get(index) else {
            return;
        };
        let (start, end) = (block.range.start, block.range.end);
        let block_runs = self.state.with_workspace_untracked(|ws| {
            self.drawn.with_value(|d| match ws.set(&self.id) {
                Some(set) => runs(&block.text, start, end, set, &d.lanes),
                None => runs(&block.text, start, end, &AnnotationSet::new(), &[]),
            })
        });
        let selected = self.state.selected.get_untracked();
        draw_runs(&el, &block_runs, selected.as_deref());
        self.elements.update_value(|m| {
            m.insert(index, el);
        });
    }

    /// Draws block `index` again, if it has been made.
    fn redraw(&self, index: usize) {
        if let Some(el) = self.elements.with_value(|m| m.get(&index).cloned()) {
            self.draw(index, el);
        }
    }

    /// Makes the body blocks `indices` and appends them to `body`; false
    /// (and nothing done) once this view is gone.
    fn append(&self, body: &web_sys::Element, indices: &[usize]) -> bool {
        if self.elements.try_with_value(|_| ()).is_none() {
            return false;
        }
        if body.get_attribute(OWNER).as_deref() != Some(self.generation.to_string().as_str()) {
            return false; // another view owns the body now
        }
        let Some(doc) = body.owner_document() else {
            return false;
        };
        let fragment = doc.create_document_fragment();
        for &index in indices {
            let Some(block) = self.article.blocks().get(index) else {
                continue;
            };
            let el = dom::paragraph(
                &doc,
                block.is_boilerplate(),
                block.range.start,
                block.range.end,
            );
            let _ = fragment.append_child(&el);
            self.draw(index, el);
        }
        let _ = body.append_child(&fragment);
        true
    }
}

fn render_article(state: AppState, article: Article) -> impl IntoView {
    let id = article.id().to_string();
    let blocks = Blocks {
        state,
        id: std::sync::Arc::from(id.as_str()),
        article: article.clone(),
        drawn: StoredValue::new(state.with_workspace_untracked(|ws| Drawn {
            mark: ws.journal().mark(),
            lanes: ws.set(&id).map(lanes).unwrap_or_default(),
        })),
        elements: StoredValue::new_local(HashMap::new()),
        generation: next_generation(),
    };
    {
        let id = id.clone();
        let blocks = blocks.clone();
        let starts: Vec<(usize, usize)> = article
            .blocks()
            .iter()
            .map(|b| (b.range.start, b.range.end))
            .collect();
        // After any change to the workspace: recompute lanes (integer work)
        // and redraw the blocks within the ranges the journal says changed,
        // widened to their clusters of overlapping spans. An edit costs the
        // same whatever the number of annotations elsewhere.
        Effect::new(move |_| {
            crate::perf::start("aa-view");
            let drawn = blocks.drawn;
            let ranges = state.with_workspace(|ws| {
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
            if ranges.is_empty() {
                crate::perf::measure("aa-view");
                return;
            }
            // Redrawing replaces text nodes, which would drop a selection the
            // user is making (another tab's save lands mid-drag, or while
            // the keyboard cursor is on a word): keep it as a code-point
            // range and put it back.
            let kept = selection::article_element()
                .and_then(|el| selection::read(&el).map(|range| (el, range)));
            for (s, e) in ranges {
                let first = starts.partition_point(|b| b.1 < s);
                for (i, b) in starts.iter().enumerate().skip(first) {
                    if b.0 > e {
                        break;
                    }
                    blocks.redraw(i);
                }
            }
            if let Some((el, (anchor, focus))) = kept {
                if selection::read(&el) != Some((anchor, focus)) {
                    selection::select(&el, anchor, focus);
                }
            }
            crate::perf::measure("aa-view");
        });
    }
    mark_selection(&state, &id, &article, blocks.elements);
    let order = display_order(&article);
    // Headline and standfirst: drawn once mounted, redrawn by the effect
    // above.
    let header: Vec<_> = order
        .iter()
        .copied()
        .filter(|&i| {
            let b = &article.blocks()[i];
            b.kind != BlockKind::Paragraph && !b.range.is_empty()
        })
        .map(|index| {
            let block = &article.blocks()[index];
            let (start, end) = (block.range.start, block.range.end);
            let blocks = blocks.clone();
            if block.kind == BlockKind::Headline {
                let node = NodeRef::<leptos::html::H1>::new();
                Effect::new(move |_| {
                    if let Some(el) = node.get() {
                        blocks.draw(index, el.into());
                    }
                });
                view! { <h1 class="headline" data-start=start data-end=end node_ref=node></h1> }
                    .into_any()
            } else {
                let node = NodeRef::<leptos::html::P>::new();
                Effect::new(move |_| {
                    if let Some(el) = node.get() {
                        blocks.draw(index, el.into());
                    }
                });
                view! { <p class="standfirst" data-start=start data-end=end node_ref=node></p> }
                    .into_any()
            }
        })
        .collect();
    let removable = state.is_user_article(&id).then(|| {
        view! {
            <div class="article-actions">
                <span class="badge">"Added by you"</span>
                <RemoveArticle id=id.clone() headline=article.headline().to_string() />
            </div>
        }
    });
    // The body is made with plain DOM calls (no reactive view per block), in
    // chunks: the first screen at once, the rest a chunk per timer tick, so
    // a long article shows quickly and input is never blocked for long.
    // `aa-all-rendered` marks when every block is in.
    let body_blocks: std::sync::Arc<Vec<usize>> = std::sync::Arc::new(
        order
            .iter()
            .copied()
            .filter(|&i| {
                let b = &article.blocks()[i];
                b.kind == BlockKind::Paragraph && !b.range.is_empty()
            })
            .collect(),
    );
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
    let body_ref = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(body) = body_ref.get() else {
            return false;
        };
        let body: web_sys::Element = body.into();
        // Leptos may rebuild the previous article's view in place when
        // another article opens, handing this view the same `<div
        // class="body">` with the previous article's paragraphs still in it.
        // Empty it and claim it, so only this view's blocks are ever in it
        // (a chunk of an earlier view that is still pending sees the claim
        // and stops).
        body.set_text_content(None);
        let _ = body.set_attribute(OWNER, &blocks.generation.to_string());
        let first = chunk_end(&upto, 0, FIRST_SCREEN);
        if blocks.append(&body, &body_blocks[..first]) {
            render_rest_in_chunks(
                blocks.clone(),
                body,
                body_blocks.clone(),
                upto.clone(),
                first,
            );
        }
        true
    });
    {
        let article = article.clone();
        crate::schedule::when_idle(3000, move || crate::actions::prepare_words(&article));
    }
    let on_click = {
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
        move |ev: leptos::ev::KeyboardEvent| {
            // The cursor keys (table in `annotator_core::cursor`); Alt and
            // Meta are the browser's and the system's.
            if ev.meta_key() || ev.alt_key() {
                return;
            }
            let key = match (ev.key().as_str(), ev.ctrl_key(), ev.shift_key()) {
                ("ArrowRight", false, false) => Move::Next,
                ("ArrowLeft", false, false) => Move::Previous,
                ("ArrowRight", false, true) => Move::ExtendNext,
                ("ArrowLeft", false, true) => Move::ExtendPrevious,
                ("ArrowDown", false, false) => Move::NextSentence,
                ("ArrowUp", false, false) => Move::PreviousSentence,
                ("ArrowDown", false, true) => Move::ExtendNextSentence,
                ("ArrowUp", false, true) => Move::ExtendPreviousSentence,
                ("ArrowDown", true, false) => Move::NextBlock,
                ("ArrowUp", true, false) => Move::PreviousBlock,
                ("Home", false, false) => Move::BlockStart,
                ("End", false, false) => Move::BlockEnd,
                ("Home", true, false) => Move::ArticleStart,
                ("End", true, false) => Move::ArticleEnd,
                ("s" | "S", false, _) => Move::Sentence,
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
            aria-label="Article text. Select text with the mouse, or with the keys: left and right arrows select a word, up and down a sentence's first word, Ctrl with up and down a paragraph's, Home and End the first and last word of a paragraph, S the whole sentence, Shift with arrows extends; then press 1, 2 or 3 to tag."
            on:click=on_click
            on:keydown=on_keydown
        >
            <header>{header}</header>
            <div class="body" node_ref=body_ref></div>
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
    let state = *state;
    let article_id = article_id.to_string();
    let mark = move |id: &str, on: bool| {
        let Some(a) = state.with_workspace_untracked(|ws| {
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

/// Appends the body blocks after the first `from`, a chunk per timer tick,
/// then marks `aa-all-rendered`. Stops if the view is gone.
fn render_rest_in_chunks(
    blocks: Blocks,
    body: web_sys::Element,
    body_blocks: std::sync::Arc<Vec<usize>>,
    upto: std::sync::Arc<Vec<usize>>,
    from: usize,
) {
    if from >= body_blocks.len() {
        crate::perf::mark_after_next_frame("aa-all-rendered");
        return;
    }
    set_timeout(
        move || {
            let to = chunk_end(&upto, from, CHUNK);
            if blocks.append(&body, &body_blocks[from..to]) {
                render_rest_in_chunks(blocks, body, body_blocks, upto, to);
            }
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
