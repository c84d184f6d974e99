//! The only module that touches Selection, Range and text nodes: the one
//! boundary where DOM positions (UTF-16 units in text nodes) become code-point
//! offsets of the canonical text, and back.
//!
//! The article view renders every run of text as the only child of a
//! `<span data-s="…" data-e="…">` holding the run's code-point range, so a DOM
//! point maps to `data-s + utf16_to_cp(run text, offset)`. Element points
//! (`(element, child index)`, as after a triple click) map to the nearest
//! run boundary in document order. Points outside the article clamp to its
//! first or last run.

use annotator_core::offsets::{cp_to_utf16, utf16_to_cp};
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// CSS selector of a run element.
const RUN: &str = "[data-s]";

fn attr_usize(el: &Element, name: &str) -> Option<usize> {
    el.get_attribute(name)?.parse().ok()
}

fn runs_in(root: &Element) -> Vec<Element> {
    let mut out = Vec::new();
    if let Ok(list) = root.query_selector_all(RUN) {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                out.push(el);
            }
        }
    }
    out
}

/// Maps a DOM point inside `article` to a code-point offset.
pub fn point_to_cp(article: &Element, node: &Node, offset: u32) -> Option<usize> {
    let article_node: &Node = article.as_ref();
    if !article_node.contains(Some(node)) {
        // Outside: clamp to the article's start or end in document order.
        let runs = runs_in(article);
        let position = article_node.compare_document_position(node);
        return if position & Node::DOCUMENT_POSITION_PRECEDING != 0 {
            runs.first().and_then(|r| attr_usize(r, "data-s"))
        } else {
            runs.last().and_then(|r| attr_usize(r, "data-e"))
        };
    }
    if node.node_type() == Node::TEXT_NODE {
        let run = node.parent_element()?.closest(RUN).ok()??;
        let start = attr_usize(&run, "data-s")?;
        let end = attr_usize(&run, "data-e")?;
        let text = node.text_content().unwrap_or_default();
        return Some((start + utf16_to_cp(&text, offset as usize)).min(end));
    }
    // An element point: before child `offset`, or at the element's end.
    let element: &Element = node.dyn_ref()?;
    if let Ok(Some(run)) = element.closest(RUN) {
        let at_start = offset == 0;
        return attr_usize(&run, if at_start { "data-s" } else { "data-e" });
    }
    let children = node.child_nodes();
    let all = runs_in(article);
    if offset < children.length() {
        let child = children.item(offset)?;
        // The first run at or after `child` in document order.
        all.iter()
            .find(|r| {
                let r: &Node = r.as_ref();
                child.contains(Some(r))
                    || child.compare_document_position(r) & Node::DOCUMENT_POSITION_FOLLOWING != 0
            })
            .and_then(|r| attr_usize(r, "data-s"))
            .or_else(|| all.last().and_then(|r| attr_usize(r, "data-e")))
    } else {
        // After the element's last child: the last run inside or before it.
        all.iter()
            .rev()
            .find(|r| {
                let r: &Node = r.as_ref();
                node.contains(Some(r))
                    || node.compare_document_position(r) & Node::DOCUMENT_POSITION_PRECEDING != 0
            })
            .and_then(|r| attr_usize(r, "data-e"))
            .or_else(|| all.first().and_then(|r| attr_usize(r, "data-s")))
    }
}

/// The current selection as `(anchor, focus)` code-point offsets, when it is
/// not collapsed and touches `article`.
pub fn read(article: &Element) -> Option<(usize, usize)> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let article_node: &Node = article.as_ref();
    if !range.intersects_node(article_node).unwrap_or(false) {
        return None;
    }
    let anchor = point_to_cp(
        article,
        &selection.anchor_node()?,
        selection.anchor_offset(),
    )?;
    let focus = point_to_cp(article, &selection.focus_node()?, selection.focus_offset())?;
    (anchor != focus).then_some((anchor, focus))
}

/// The rendered blocks (headline, standfirst, paragraphs) that may hold
/// code point `cp`, found by their `data-start`/`data-end` ranges, so only
/// their runs are searched (a long article has tens of thousands of runs).
fn blocks_at(article: &Element, cp: usize) -> Vec<Element> {
    let Ok(list) = article.query_selector_all("[data-start]") else {
        return Vec::new();
    };
    let block = |i: u32| list.item(i).and_then(|n| n.dyn_into::<Element>().ok());
    let range = |el: &Element| Some((attr_usize(el, "data-start")?, attr_usize(el, "data-end")?));
    let holds = |el: &Element| range(el).is_some_and(|(s, e)| s <= cp && cp <= e);
    // The blocks are in text order but for the headline (shown before the
    // summary, which comes first in the text): a binary search finds the
    // first block starting after `cp` in a dozen reads where reading every
    // block's range took milliseconds on a long article (at each arrow key
    // and undo). The blocks holding `cp` are just before it; if none is,
    // the order did not hold there (the summary) and every block is read.
    let (mut lo, mut hi) = (0, list.length());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match block(mid).as_ref().and_then(range) {
            Some((s, _)) if s <= cp => lo = mid + 1,
            _ => hi = mid,
        }
    }
    let near: Vec<Element> = (lo.saturating_sub(2)..lo)
        .filter_map(block)
        .filter(holds)
        .collect();
    if !near.is_empty() {
        return near;
    }
    blocks_at_by_scan(&list, cp)
}

/// [`blocks_at`] by reading every block's range.
fn blocks_at_by_scan(list: &web_sys::NodeList, cp: usize) -> Vec<Element> {
    let mut out = Vec::new();
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let (Some(s), Some(e)) = (attr_usize(&el, "data-start"), attr_usize(&el, "data-end"))
        else {
            continue;
        };
        if s <= cp && cp <= e {
            out.push(el);
        }
    }
    out
}

/// The DOM point (text node, UTF-16 offset) of code-point offset `cp`.
/// `at_end` prefers the run that ends at `cp` over the one that starts there.
fn cp_to_point(article: &Element, cp: usize, at_end: bool) -> Option<(Node, u32)> {
    let runs = blocks_at(article, cp)
        .iter()
        .flat_map(runs_in)
        .collect::<Vec<_>>();
    for run in runs {
        let (Some(s), Some(e)) = (attr_usize(&run, "data-s"), attr_usize(&run, "data-e")) else {
            continue;
        };
        let inside = if at_end {
            s < cp && cp <= e
        } else {
            s <= cp && cp < e
        };
        if inside {
            let text = run.first_child()?;
            let data = text.text_content().unwrap_or_default();
            let units = cp_to_utf16(&data, cp - s);
            return Some((text, units as u32));
        }
    }
    None
}

/// Selects code points `anchor..focus` of the article in the DOM (either
/// order), as if the user had dragged over them, and scrolls it into view.
pub fn select(article: &Element, anchor: usize, focus: usize) -> Option<()> {
    let selection = web_sys::window()?.get_selection().ok()??;
    let forward = anchor <= focus;
    let (a_node, a_off) = cp_to_point(article, anchor, !forward)?;
    let (f_node, f_off) = cp_to_point(article, focus, forward)?;
    selection
        .set_base_and_extent(&a_node, a_off, &f_node, f_off)
        .ok()?;
    if let Some(el) = f_node.parent_element() {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    }
    Some(())
}

/// Clears the document's selection.
pub fn clear() {
    if let Some(Ok(Some(selection))) = web_sys::window().map(|w| w.get_selection()) {
        let _ = selection.remove_all_ranges();
    }
}

/// The rendered `<article>` of the open article, if any.
pub fn article_element() -> Option<Element> {
    web_sys::window()?
        .document()?
        .query_selector("article.article")
        .ok()?
}

/// Static DOM ranges for code-point spans of the article (each within one
/// block; spans in blocks not drawn yet are left out). Static: the browser
/// does not keep them up to date as the DOM changes, so any number of them
/// costs nothing when blocks are drawn (live `Range`s would); a redrawn
/// block needs its ranges made again. Each block's runs are read once,
/// however many spans it holds.
pub fn ranges(
    blocks: &[(usize, usize, Element)],
    spans: &[(usize, usize)],
) -> Vec<web_sys::StaticRange> {
    let mut blocks = blocks.to_vec();
    blocks.sort_by_key(|b| b.0);
    // Runs of a block as (start, end, text node), read on first use.
    let mut runs_of: std::collections::HashMap<usize, Vec<(usize, usize, Node)>> =
        std::collections::HashMap::new();
    let mut out = Vec::with_capacity(spans.len());
    for &(start, end) in spans {
        let bi = blocks.partition_point(|b| b.1 <= start);
        let Some((bs, be, block)) = blocks.get(bi) else {
            continue;
        };
        if start < *bs || end > *be {
            continue;
        }
        let runs = runs_of.entry(bi).or_insert_with(|| {
            runs_in(block)
                .into_iter()
                .filter_map(|r| {
                    let s = attr_usize(&r, "data-s")?;
                    let e = attr_usize(&r, "data-e")?;
                    Some((s, e, r.first_child()?))
                })
                .collect()
        });
        let point = |cp: usize, at_end: bool| -> Option<(Node, u32)> {
            let i = runs.partition_point(|r| if at_end { r.1 < cp } else { r.1 <= cp });
            let (s, _, node) = runs.get(i)?;
            let data = node.text_content().unwrap_or_default();
            Some((node.clone(), cp_to_utf16(&data, cp.checked_sub(*s)?) as u32))
        };
        let (Some((sn, so)), Some((en, eo))) = (point(start, false), point(end, true)) else {
            continue;
        };
        let init = web_sys::StaticRangeInit::new(&en, eo, &sn, so);
        if let Ok(range) = web_sys::StaticRange::new(&init) {
            out.push(range);
        }
    }
    out
}

/// Scrolls the text at code point `cp` into view (nearest edge).
pub fn scroll_to(article: &Element, cp: usize) {
    if let Some((node, _)) = cp_to_point(article, cp, false) {
        if let Some(el) = node.parent_element() {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            el.scroll_into_view_with_scroll_into_view_options(&options);
        }
    }
}

/// The article's blocks on screen now and `around` blocks each side, as
/// `(data-start, data-end, element)`: a binary search over the blocks in
/// document order by their boxes, so a few boxes are measured and a few
/// dozen blocks read however long the article. Empty when none is on
/// screen.
pub fn visible_blocks(article: &Element, around: usize) -> Vec<(usize, usize, Element)> {
    let Some(height) = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
    else {
        return Vec::new();
    };
    let Ok(list) = article.query_selector_all("[data-start]") else {
        return Vec::new();
    };
    let n = list.length() as usize;
    let block = |i: usize| -> Option<Element> { list.item(i as u32)?.dyn_into::<Element>().ok() };
    let bottom = |i: usize| block(i).map_or(f64::MAX, |b| b.get_bounding_client_rect().bottom());
    let top = |i: usize| block(i).map_or(f64::MAX, |b| b.get_bounding_client_rect().top());
    // The first block whose bottom is below the top of the screen, and the
    // first after it whose top is below the screen's bottom.
    let first = partition(n, |i| bottom(i) <= 0.0);
    let last = partition(n, |i| top(i) < height);
    if first >= last {
        return Vec::new();
    }
    (first.saturating_sub(around)..(last + around).min(n))
        .filter_map(|i| {
            let b = block(i)?;
            let s = attr_usize(&b, "data-start")?;
            let e = attr_usize(&b, "data-end")?;
            Some((s, e, b))
        })
        .collect()
}

/// The first index in `0..n` for which `before` is false (`before` is true
/// for a prefix).
fn partition(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The code point at the viewport point `(x, y)` (a click) in the article:
/// where the browser would put the caret there (`caretPositionFromPoint`,
/// else `caretRangeFromPoint`), so a click inside a run gives the
/// character clicked, not the run's start.
pub fn cp_at_point(article: &Element, x: f64, y: f64) -> Option<usize> {
    use wasm_bindgen::JsValue;
    let doc = article.owner_document()?;
    let call = |name: &str| -> Option<JsValue> {
        let f = js_sys::Reflect::get(&doc, &JsValue::from_str(name))
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        let v = f
            .call2(&doc, &JsValue::from_f64(x), &JsValue::from_f64(y))
            .ok()?;
        (!v.is_null() && !v.is_undefined()).then_some(v)
    };
    let get = |v: &JsValue, key: &str| js_sys::Reflect::get(v, &JsValue::from_str(key)).ok();
    let (node, offset) = if let Some(pos) = call("caretPositionFromPoint") {
        (get(&pos, "offsetNode")?, get(&pos, "offset")?)
    } else {
        let range = call("caretRangeFromPoint")?;
        (get(&range, "startContainer")?, get(&range, "startOffset")?)
    };
    let node: Node = node.dyn_into().ok()?;
    point_to_cp(article, &node, offset.as_f64()? as u32)
}
