//! Drawing many small elements cheaply.
//!
//! Every `&str` that web-sys passes to the browser is decoded from wasm
//! memory with a `TextDecoder` call, and that call, not the DOM work, was the
//! largest single cost of drawing a long article (profile of W3's open: about
//! a third of the time, in `decode`). Here the names and values that repeat
//! (`span`, `data-s`, class names, labels) are made JavaScript strings once
//! and reused, numbers go across as numbers, and each annotation id is
//! decoded once per draw, not once per run it covers.

use std::cell::OnceCell;
use std::collections::HashMap;

use annotator_core::Label;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// An element or document, seen through the few methods below (which
    /// take JavaScript values where web-sys takes `&str`). None of them can
    /// throw: the element name and attribute names are the constants below,
    /// all valid, so they skip the cost of catching exceptions.
    type Raw;

    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_attribute_value(this: &Raw, name: &JsValue, value: &JsValue);

    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_attribute_number(this: &Raw, name: &JsValue, value: f64);

    #[wasm_bindgen(method, js_name = createElement)]
    fn create_element_value(this: &Raw, name: &JsValue) -> web_sys::Element;
}

fn raw(value: &impl AsRef<JsValue>) -> &Raw {
    value.as_ref().unchecked_ref()
}

/// Lanes drawn apart; deeper ones share the last style (style.css).
const LANES: usize = 4;

/// JavaScript strings made once per page.
struct Names {
    span: JsValue,
    p: JsValue,
    data_start: JsValue,
    data_end: JsValue,
    para: JsValue,
    para_boilerplate: JsValue,
    data_s: JsValue,
    data_e: JsValue,
    class: JsValue,
    data_ann: JsValue,
    data_label: JsValue,
    role: JsValue,
    mark: JsValue,
    roledescription: JsValue,
    /// What assistive technology calls each label ("Entity" …), by
    /// `Label::ALL` order.
    titles: Vec<JsValue>,
    /// `data-label` values, by `Label::ALL` order.
    labels: Vec<JsValue>,
    /// `hl hl-<label> lane-<n>[ selected]`, by (label, lane, selected).
    classes: Vec<JsValue>,
}

thread_local! {
    static NAMES: OnceCell<Names> = const { OnceCell::new() };
}

fn label_index(label: Label) -> usize {
    Label::ALL.iter().position(|l| *l == label).unwrap_or(0)
}

fn names<R>(f: impl FnOnce(&Names) -> R) -> R {
    NAMES.with(|cell| {
        f(cell.get_or_init(|| {
            let mut classes = Vec::new();
            for label in Label::ALL {
                for lane in 0..LANES {
                    for selected in [false, true] {
                        let mut class = format!("hl hl-{} lane-{lane}", label.as_str());
                        if selected {
                            class.push_str(" selected");
                        }
                        classes.push(JsValue::from_str(&class));
                    }
                }
            }
            Names {
                span: JsValue::from_str("span"),
                p: JsValue::from_str("p"),
                data_start: JsValue::from_str("data-start"),
                data_end: JsValue::from_str("data-end"),
                para: JsValue::from_str("para"),
                para_boilerplate: JsValue::from_str("para boilerplate"),
                data_s: JsValue::from_str("data-s"),
                data_e: JsValue::from_str("data-e"),
                class: JsValue::from_str("class"),
                data_ann: JsValue::from_str("data-ann"),
                data_label: JsValue::from_str("data-label"),
                role: JsValue::from_str("role"),
                mark: JsValue::from_str("mark"),
                roledescription: JsValue::from_str("aria-roledescription"),
                titles: Label::ALL
                    .iter()
                    .map(|l| JsValue::from_str(l.title()))
                    .collect(),
                labels: Label::ALL
                    .iter()
                    .map(|l| JsValue::from_str(l.as_str()))
                    .collect(),
                classes,
            }
        }))
    })
}

/// Makes `<p class="para[ boilerplate]" data-start=start data-end=end>` (a
/// body block; the caller draws its runs).
pub fn paragraph(
    doc: &web_sys::Document,
    boilerplate: bool,
    start: usize,
    end: usize,
) -> web_sys::Element {
    names(|n| {
        let p = raw(doc).create_element_value(&n.p);
        let class = if boilerplate {
            &n.para_boilerplate
        } else {
            &n.para
        };
        raw(&p).set_attribute_value(&n.class, class);
        raw(&p).set_attribute_number(&n.data_start, start as f64);
        raw(&p).set_attribute_number(&n.data_end, end as f64);
        p
    })
}

/// Makes `<span data-s=start data-e=end>` (a run of text; the caller sets
/// its text).
pub fn run_span(doc: &web_sys::Document, start: usize, end: usize) -> web_sys::Element {
    names(|n| {
        let span = raw(doc).create_element_value(&n.span);
        raw(&span).set_attribute_number(&n.data_s, start as f64);
        raw(&span).set_attribute_number(&n.data_e, end as f64);
        span
    })
}

/// Annotation ids as JavaScript strings, each decoded once per draw.
#[derive(Default)]
pub struct Ids(HashMap<String, JsValue>);

impl Ids {
    fn get(&mut self, id: &str) -> JsValue {
        if let Some(v) = self.0.get(id) {
            return v.clone();
        }
        let v = JsValue::from_str(id);
        self.0.insert(id.to_string(), v.clone());
        v
    }
}

/// Makes `<span class="hl hl-<label> lane-<n>[ selected]" data-ann=id
/// data-label=label role=mark aria-roledescription=Title>` (one covering
/// annotation).
pub fn highlight_span(
    doc: &web_sys::Document,
    ids: &mut Ids,
    id: &str,
    label: Label,
    lane: usize,
    selected: bool,
) -> web_sys::Element {
    let id = ids.get(id);
    names(|n| {
        let wrap = raw(doc).create_element_value(&n.span);
        let l = label_index(label);
        let class = (l * LANES + lane.min(LANES - 1)) * 2 + usize::from(selected);
        if let Some(class) = n.classes.get(class) {
            raw(&wrap).set_attribute_value(&n.class, class);
        }
        raw(&wrap).set_attribute_value(&n.data_ann, &id);
        if let Some(label) = n.labels.get(l) {
            raw(&wrap).set_attribute_value(&n.data_label, label);
        }
        // Screen readers announce a highlight as its label ("Entity"),
        // not as a plain span.
        raw(&wrap).set_attribute_value(&n.role, &n.mark);
        if let Some(title) = n.titles.get(l) {
            raw(&wrap).set_attribute_value(&n.roledescription, title);
        }
        wrap
    })
}
