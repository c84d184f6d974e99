//! The article body renderer: draws an article's blocks from its annotation
//! set with plain DOM calls and keeps them in step with the workspace. It is
//! given an article, the workspace and the selected annotation's id, and
//! knows nothing of the app's state; `components::article_view` owns the
//! `view!` and one effect that asks it to [`sync`](BlockRenderer::sync).
//!
//! Every block is cut into runs at span boundaries (`core::segments`); each
//! run's text is the only child of `<span data-s data-e>` (its code-point
//! range), wrapped in one `<span class="hl …">` per covering annotation,
//! outermost lane first. Article text only ever becomes text nodes.
//!
//! Invariants:
//! - a block element is in `elements` from the moment it is drawn;
//! - only the renderer that claimed a body element (`data-view` = its
//!   generation) ever appends to it: Leptos rebuilds the previous article's
//!   view in place when another opens, handing the new view the same body
//!   element, which [`claim`](BlockRenderer::claim) empties first;
//! - a redraw keeps the user's text selection (as a code-point range).

use std::collections::HashMap;

use annotator_core::journal::{Mark, Since};
use annotator_core::linking::{marker_of, markers, Markers};
use annotator_core::segments::{affected, lanes, runs, Run};
use annotator_core::{AnnotationSet, Article, Workspace};

use crate::dom;
use crate::selection;

/// The attribute on the body element naming the renderer that fills it.
const OWNER: &str = "data-view";

thread_local! {
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A new renderer number.
fn next_generation() -> u64 {
    GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    })
}

/// Draws one article's blocks and redraws those an edit touched.
pub struct BlockRenderer {
    article: Article,
    /// The workspace journal's mark the drawing is up to date with.
    mark: Mark,
    /// Lanes of the article's annotations (parallel to the set's items).
    lanes: Vec<usize>,
    /// Who said or committed to each linked annotation, drawn at its end.
    markers: Markers,
    /// Block elements drawn so far, by block index.
    elements: HashMap<usize, web_sys::Element>,
    /// This renderer's number (unique per page).
    generation: u64,
}

impl BlockRenderer {
    /// A renderer for `article`, up to date with `ws`.
    pub fn new(article: Article, ws: &Workspace) -> BlockRenderer {
        BlockRenderer {
            mark: ws.journal().mark(),
            lanes: ws.set(article.id()).map(lanes).unwrap_or_default(),
            markers: ws.set(article.id()).map(markers).unwrap_or_default(),
            article,
            elements: HashMap::new(),
            generation: next_generation(),
        }
    }

    /// Draws block `index` into `el` and keeps `el` as that block's element.
    pub fn draw(
        &mut self,
        index: usize,
        el: web_sys::Element,
        ws: &Workspace,
        selected: Option<&str>,
    ) {
        let Some(block) = self.article.blocks().get(index) else {
            return;
        };
        let (start, end) = (block.range.start, block.range.end);
        let block_runs = match ws.set(self.article.id()) {
            Some(set) => runs(&block.text, start, end, set, &self.lanes),
            None => runs(&block.text, start, end, &AnnotationSet::new(), &[]),
        };
        draw_runs(&el, &block_runs, selected, &self.markers);
        self.elements.insert(index, el);
    }

    /// Empties `body` and claims it for this renderer.
    pub fn claim(&self, body: &web_sys::Element) {
        body.set_text_content(None);
        let _ = body.set_attribute(OWNER, &self.generation.to_string());
    }

    /// Makes the body blocks `indices` and appends them to `body`; false
    /// (and nothing done) when another renderer owns `body` now.
    pub fn append(
        &mut self,
        body: &web_sys::Element,
        indices: &[usize],
        ws: &Workspace,
        selected: Option<&str>,
    ) -> bool {
        if body.get_attribute(OWNER).as_deref() != Some(self.generation.to_string().as_str()) {
            return false;
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
            self.draw(index, el, ws, selected);
        }
        let _ = body.append_child(&fragment);
        true
    }

    /// Brings the drawing up to date with `ws`: recomputes the lanes
    /// (integer work) and redraws the blocks within the ranges the journal
    /// says changed since the last sync, widened to their clusters of
    /// overlapping spans. An edit costs the same whatever the number of
    /// annotations elsewhere. The user's text selection is kept.
    pub fn sync(&mut self, ws: &Workspace, selected: Option<&str>) {
        let id = self.article.id().to_string();
        let set = ws.set(&id);
        let (mut ranges, everything) = match ws.journal().since(self.mark, &id) {
            Since::Spans(spans) if spans.is_empty() => return,
            Since::Spans(spans) => (set.map(|s| affected(s, &spans)).unwrap_or(spans), false),
            Since::Everything => (vec![(0, usize::MAX)], true),
        };
        self.mark = ws.journal().mark();
        self.lanes = set.map(lanes).unwrap_or_default();
        match set {
            Some(set) if !everything => {
                let more = self.update_markers(set, &ranges);
                ranges.extend(more);
            }
            _ => self.markers = set.map(markers).unwrap_or_default(),
        }
        // Redrawing replaces text nodes, which would drop a selection the
        // user is making (another tab's save lands mid-drag, or while the
        // keyboard cursor is on a word): keep it and put it back.
        let kept = selection::article_element()
            .and_then(|el| selection::read(&el).map(|range| (el, range)));
        for (s, e) in ranges {
            for i in self.article.blocks_touching(s, e) {
                if let Some(el) = self.elements.get(&i).cloned() {
                    self.draw(i, el, ws, selected);
                }
            }
        }
        if let Some((el, (anchor, focus))) = kept {
            if selection::read(&el) != Some((anchor, focus)) {
                selection::select(&el, anchor, focus);
            }
        }
    }

    /// Brings the markers up to date after an edit that touched `ranges`:
    /// the annotations there, and those linking to an entity there (its
    /// name may have changed). Returns the spans of annotations elsewhere
    /// whose marker changed, to redraw too. Costs a pass over the links
    /// only when an entity was touched, not a rebuild of every marker.
    fn update_markers(
        &mut self,
        set: &AnnotationSet,
        ranges: &[(usize, usize)],
    ) -> Vec<(usize, usize)> {
        let mut here: Vec<&annotator_core::Annotation> = Vec::new();
        let mut entities: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for &(s, e) in ranges {
            for a in set.overlapping(s, e) {
                if a.label == annotator_core::Label::Entity {
                    entities.insert(a.id.as_str());
                }
                here.push(a);
            }
        }
        let mut elsewhere = Vec::new();
        if !entities.is_empty() {
            for a in set.items() {
                if a.links.iter().any(|l| entities.contains(l.to.as_str())) {
                    elsewhere.push(a);
                }
            }
        }
        let mut redraw = Vec::new();
        for (a, far) in here
            .into_iter()
            .map(|a| (a, false))
            .chain(elsewhere.into_iter().map(|a| (a, true)))
        {
            let fresh = marker_of(set, a);
            if self.markers.get(&a.id) == fresh.as_ref() {
                continue;
            }
            if far {
                redraw.push((a.start, a.end));
            }
            match fresh {
                Some(m) => {
                    self.markers.insert(a.id.clone(), m);
                }
                None => {
                    self.markers.remove(&a.id);
                }
            }
        }
        redraw
    }

    /// Sets or clears the `selected` class on annotation `id`'s highlights,
    /// looking only at the blocks it spans.
    pub fn mark_selected(&self, ws: &Workspace, id: &str, on: bool) {
        let Some((start, end)) = ws
            .set(self.article.id())
            .and_then(|set| set.get(id))
            .map(|a| (a.start, a.end))
        else {
            return; // gone: its highlights went with it
        };
        for i in self.article.blocks_touching(start, end) {
            let Some(el) = self.elements.get(&i) else {
                continue;
            };
            let Ok(list) = el.query_selector_all("[data-ann]") else {
                continue;
            };
            for k in 0..list.length() {
                let Some(hl) = list
                    .item(k)
                    .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                else {
                    continue;
                };
                if hl.get_attribute("data-ann").as_deref() == Some(id) {
                    let _ = hl.class_list().toggle_with_force("selected", on);
                }
            }
        }
    }
}

/// Draws a block's runs into its element, replacing what was there: each
/// run's text as the only child of `<span data-s data-e>`, wrapped in one
/// `<span class="hl …">` per covering annotation (outermost first). The
/// text only ever becomes text nodes. Drawn with plain DOM calls: a long
/// article has tens of thousands of runs, and a reactive view per run would
/// cost far more time and memory than the drawing itself.
fn draw_runs(el: &web_sys::Element, runs: &[Run], selected: Option<&str>, markers: &Markers) {
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
            if let Some(m) = markers.get(&cover.id).filter(|m| m.end == run.end) {
                // Drawn by CSS after the highlight (`::after`): not text of
                // the article, so selections and offsets never include it.
                let _ = wrap.set_attribute("data-by", &m.text);
            }
            let _ = wrap.append_child(&node);
            node = wrap;
        }
        let _ = fragment.append_child(&node);
    }
    el.set_text_content(None);
    let _ = el.append_child(&fragment);
}
