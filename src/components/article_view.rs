//! The open article: headline as the page heading, summary as standfirst,
//! then the body paragraphs, all inside `<article>`, with annotations drawn
//! from the model.
//!
//! Drawing is [`crate::render::BlockRenderer`]'s: this component owns the
//! `view!` (Leptos renders the `<article>` and the header; it never touches
//! the body's children), one effect that asks the renderer to sync after
//! every workspace change, one that marks the selected annotation, and the
//! body's chunked first draw (the first screen at once, the rest a chunk
//! per timer tick).
//!
//! The article takes focus (tabindex 0): arrow keys move a word cursor,
//! Shift+arrows extend it, 1/2/3 tag (handled app-wide), Escape clears.
//! A click on a highlight selects the innermost annotation there; clicking
//! again cycles outwards.

use annotator_core::cursor::{display_order, Move};
use annotator_core::{Article, BlockKind};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::actions::move_cursor;
use crate::components::add_article::RemoveArticle;
use crate::render::BlockRenderer;
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

/// The open article's renderer, shared by the view's effects.
type Renderer = StoredValue<BlockRenderer, LocalStorage>;

fn render_article(state: AppState, article: Article) -> impl IntoView {
    let id = article.id().to_string();
    let renderer: Renderer = StoredValue::new_local(
        state.with_workspace_untracked(|ws| BlockRenderer::new(article.clone(), ws)),
    );
    // After any change to the workspace, the renderer redraws what the
    // journal says changed (and nothing else).
    Effect::new(move |_| {
        crate::perf::start("aa-view");
        let selected = state.selected.get_untracked();
        state.with_workspace(|ws| {
            renderer.update_value(|r| r.sync(ws, selected.as_deref()));
        });
        // Redrawn blocks have new text nodes: the suggestions' ranges too,
        // after the edit is painted (never in its frame).
        crate::suggesting::repaint_after_paint(&state);
        crate::perf::measure("aa-view");
    });
    // The selected annotation's highlights carry the `selected` class.
    Effect::new(move |previous: Option<Option<String>>| {
        let now = state.selected.get();
        state.with_workspace_untracked(|ws| {
            renderer.with_value(|r| {
                if let Some(Some(old)) = &previous {
                    if now.as_ref() != Some(old) {
                        r.mark_selected(ws, old, false);
                    }
                }
                if let Some(new) = &now {
                    r.mark_selected(ws, new, true);
                }
            })
        });
        now
    });
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
            if block.kind == BlockKind::Headline {
                let node = NodeRef::<leptos::html::H1>::new();
                Effect::new(move |_| {
                    if let Some(el) = node.get() {
                        draw_block(state, renderer, index, el.into());
                    }
                });
                view! { <h1 class="headline" data-start=start data-end=end node_ref=node></h1> }
                    .into_any()
            } else {
                let node = NodeRef::<leptos::html::P>::new();
                Effect::new(move |_| {
                    if let Some(el) = node.get() {
                        draw_block(state, renderer, index, el.into());
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
        // another article opens, handing this view the same body element
        // with the previous article's paragraphs still in it: the renderer
        // empties and claims it (a pending chunk of an earlier renderer sees
        // the claim and stops).
        renderer.with_value(|r| r.claim(&body));
        let first = chunk_end(&upto, 0, FIRST_SCREEN);
        if append_blocks(state, renderer, &body, &body_blocks[..first]) {
            // Ended by `render_rest_in_chunks` (drawn or stopped).
            crate::schedule::drawing();
            render_rest_in_chunks(
                state,
                renderer,
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
            if state.linking.get_untracked() {
                // Link mode: a click on an entity links it; elsewhere, say how.
                if !cp.is_some_and(|cp| state.link_at(cp)) {
                    state.status.set(
                        "Click an entity highlight to link it, press its number, or Esc to cancel."
                            .into(),
                    );
                }
                return;
            }
            // A click on a suggestion makes it current; clicking it again
            // selects the annotations there as usual. (The character
            // clicked, not its run's start: a suggestion need not start a
            // run.)
            let clicked = selection::cp_at_point(
                &article,
                f64::from(ev.client_x()),
                f64::from(ev.client_y()),
            );
            if clicked.is_some_and(|cp| state.suggestion_at(cp)) {
                return;
            }
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
            class:linking=move || state.linking.get()
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

/// Draws block `index` into `el` with the current workspace and selection.
fn draw_block(state: AppState, renderer: Renderer, index: usize, el: web_sys::Element) {
    let selected = state.selected.get_untracked();
    state.with_workspace_untracked(|ws| {
        renderer.update_value(|r| r.draw(index, el, ws, selected.as_deref()));
    });
}

/// Appends body blocks; false once this view (or its claim on the body) is
/// gone.
fn append_blocks(
    state: AppState,
    renderer: Renderer,
    body: &web_sys::Element,
    indices: &[usize],
) -> bool {
    let selected = state.selected.get_untracked();
    state.with_workspace_untracked(|ws| {
        renderer
            .try_update_value(|r| r.append(body, indices, ws, selected.as_deref()))
            .unwrap_or(false)
    })
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
/// then marks `aa-all-rendered`. Stops if the view is gone. Either way it
/// ends the drawing started before it (`schedule::drawn`).
fn render_rest_in_chunks(
    state: AppState,
    renderer: Renderer,
    body: web_sys::Element,
    body_blocks: std::sync::Arc<Vec<usize>>,
    upto: std::sync::Arc<Vec<usize>>,
    from: usize,
) {
    if from >= body_blocks.len() {
        crate::perf::mark_after_next_frame("aa-all-rendered");
        crate::schedule::drawn();
        return;
    }
    // A task of its own per chunk, without the timers' 4 ms clamp.
    crate::schedule::soon(move || {
        let to = chunk_end(&upto, from, CHUNK);
        if append_blocks(state, renderer, &body, &body_blocks[from..to]) {
            render_rest_in_chunks(state, renderer, body, body_blocks, upto, to);
        } else {
            crate::schedule::drawn();
        }
    });
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
