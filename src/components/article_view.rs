//! The open article: headline as the page heading, summary as standfirst,
//! then the body paragraphs, all inside `<article>`.
//!
//! Every piece of article text is rendered as a text node (never as HTML).
//! Each block carries `data-start`/`data-end`: its code-point range in the
//! canonical text, which later maps DOM selections back to offsets.

use annotator_core::{Article, Block, BlockKind};
use leptos::prelude::*;

use crate::state::use_app_state;

/// Shows the open article, or a message when there is none.
#[component]
pub fn ArticleView() -> impl IntoView {
    let state = use_app_state();
    move || {
        match state.current_article() {
        Some(article) => {
            set_document_title(article.headline());
            render_article(&article).into_any()
        }
        None => view! {
            <p class="empty" role="status">"No article to show. Add a .txt file to seeds/ and rebuild."</p>
        }
        .into_any(),
    }
    }
}

fn render_article(article: &Article) -> impl IntoView {
    let block = |kind: BlockKind| article.blocks().iter().find(|b| b.kind == kind).cloned();
    let headline = block(BlockKind::Headline);
    let summary = block(BlockKind::Summary);
    let body = article
        .paragraphs()
        .filter(|b| !b.range.is_empty())
        .cloned()
        .map(|b| {
            let class = if b.is_boilerplate() {
                "para boilerplate"
            } else {
                "para"
            };
            view! { <p class=class data-start=b.range.start data-end=b.range.end>{b.text}</p> }
        })
        .collect_view();
    view! {
        <article class="article" data-article-id=article.id().to_string() lang="en">
            <header>
                {headline.map(|b: Block| view! {
                    <h1 class="headline" data-start=b.range.start data-end=b.range.end>{b.text}</h1>
                })}
                {summary.map(|b: Block| view! {
                    <p class="standfirst" data-start=b.range.start data-end=b.range.end>{b.text}</p>
                })}
            </header>
            <div class="body">{body}</div>
        </article>
    }
}

fn set_document_title(headline: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{headline} · Article Annotator"));
    }
}
