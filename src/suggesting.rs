//! Suggestions in the page: when they are computed, learned and drawn.
//! The rules are the core's (`annotator_core::suggest`); this module only
//! decides when to run them and keeps their results in signals.
//!
//! - **Shown** suggestions of the open article are recomputed after the
//!   browser has painted an edit (never in the edit's own task), when the
//!   article changes and when a setting changes.
//! - **The model** retrains a second and a half after the last edit, in
//!   slices of at most [`SLICE_MS`] on the main thread (a timer task each),
//!   then tags the open article the same way; an edit meanwhile starts it
//!   over. Its held-out scores show in the panel.
//! - **Drawing** is the CSS Custom Highlight API: the suggestions' ranges
//!   are registered as highlights (`aa-sg-entity`, …, `aa-sg-current`) and
//!   styled in `style.css`, so the article's DOM (the annotation renderer's)
//!   is never changed by them. Redrawn blocks get their ranges again.
//! - **Rejections** are saved per article under their own storage key.
//!
//! Invariant: `shown` only ever holds suggestions of `for_article`, and
//! none of them is an annotation: accepting goes through the session as an
//! ordinary edit.

use std::sync::Arc;

use annotator_core::session::{ArticleId, Timestamp};
use annotator_core::suggest::model::{Model, Tagging, TrainDoc, Training};
use annotator_core::suggest::repeats::Phrases;
use annotator_core::suggest::score::Scores;
use annotator_core::suggest::{
    Filter, ReadingOrder, Refresh, Rejected, RejectionUndo, Suggestion, Words,
};
use annotator_core::Label;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::state::{now, uuid_v4, AppState, View};

/// The longest a slice of training or tagging runs before it yields.
pub const SLICE_MS: f64 = 8.0;
/// Blocks each side of those on screen whose suggestions are painted.
const PAINT_AROUND: usize = 30;
/// How long after the last edit the model retrains.
const RETRAIN_AFTER_MS: u64 = 1500;
/// Tokens of work per step call (a step is well under a millisecond).
const STEP: usize = 400;
/// Tokens per step of a refresh (whole lines; about a millisecond natively
/// for 2,000 tokens on W3).
const REFRESH_STEP: usize = 1000;

/// What the model knows and how well it did on held-out annotations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelReport {
    /// Annotations it learned from.
    pub trained_on: usize,
    /// Its scores on the held-out part.
    pub scores: Scores,
}

/// What the model suggested for an article: (article id, model number,
/// the suggestions).
type ModelOut = (String, u64, Arc<Vec<Suggestion>>);
/// An article's words, shared.
type Tokens = Arc<Words>;

/// Suggestion state (signals and stored values only, so it is `Copy`).
#[derive(Clone, Copy)]
pub struct Suggest {
    /// Whether suggestions are shown at all (saved with the UI settings).
    pub on: RwSignal<bool>,
    /// Suggestions under this confidence are hidden (saved).
    pub threshold: RwSignal<f32>,
    /// Repeats of what is tagged in every article, not only this one (saved).
    pub everywhere: RwSignal<bool>,
    /// Whether the model learns and suggests (saved).
    pub use_model: RwSignal<bool>,
    /// The open article's suggestions, in text order.
    pub shown: RwSignal<Arc<Vec<Suggestion>>>,
    /// The article `shown` belongs to.
    pub for_article: StoredValue<Option<String>>,
    /// The current suggestion's key (`label:start:end`).
    pub current: RwSignal<Option<String>>,
    /// Rejected suggestions per article (saved under their own key).
    pub rejected: StoredValue<Rejected>,
    /// The trained model (default: untrained).
    model: StoredValue<Arc<Model>, LocalStorage>,
    /// What the model suggests for an article: (article, model number, list).
    model_out: StoredValue<Option<ModelOut>, LocalStorage>,
    /// The model's number (bumped each time one is trained).
    model_number: StoredValue<u64>,
    /// The model's report, once trained.
    pub report: RwSignal<Option<ModelReport>>,
    /// True while training or tagging runs.
    pub learning: RwSignal<bool>,
    /// The open article's tokens.
    tokens: StoredValue<Option<(String, Tokens)>, LocalStorage>,
    /// Bumped by every edit: background work of an older number stops.
    run: StoredValue<u64>,
    /// The run whose training started last: the start-up training (when
    /// idle) and an edit's retraining can both come for one run (an edit
    /// during a long first drawing), and it is trained once.
    trained_run: StoredValue<Option<u64>>,
    /// Bumped by every refresh: an older refresh still under way stops.
    refresh_run: StoredValue<u64>,
    /// Bumped when another article opens: its tagging by the model stops.
    tag_run: StoredValue<u64>,
    /// The tagging under way: (article, model number, run).
    tagging: StoredValue<Option<(String, u64, u64)>>,
    /// A refresh is scheduled.
    refresh_pending: StoredValue<bool>,
    /// A repaint is scheduled.
    paint_pending: StoredValue<bool>,
    /// Rejections Ctrl+Z can take back (the core's rule).
    undo_rejects: StoredValue<RejectionUndo, LocalStorage>,
    /// True when saved rejections could not be read nor kept aside: then
    /// they are never written over.
    rejections_blocked: StoredValue<bool>,
    /// Bumped when the rejections change (the panel's count follows).
    pub rejections_saved: RwSignal<u64>,
    /// What "Accept all" previews: the article and its suggestions then.
    confirm_list: StoredValue<Option<(String, Vec<Suggestion>)>, LocalStorage>,
    /// The label whose suggestions "Accept all" is previewing.
    pub confirm_all: RwSignal<Option<Label>>,
}

impl Suggest {
    /// Defaults: on, threshold 0.5, repeats from this article only.
    pub fn new() -> Suggest {
        Suggest {
            on: RwSignal::new(true),
            threshold: RwSignal::new(Filter::default().threshold),
            everywhere: RwSignal::new(false),
            use_model: RwSignal::new(true),
            shown: RwSignal::new(Arc::new(Vec::new())),
            for_article: StoredValue::new(None),
            current: RwSignal::new(None),
            rejected: StoredValue::new(Rejected::default()),
            model: StoredValue::new_local(Arc::new(Model::default())),
            model_out: StoredValue::new_local(None),
            model_number: StoredValue::new(0),
            report: RwSignal::new(None),
            learning: RwSignal::new(false),
            tokens: StoredValue::new_local(None),
            run: StoredValue::new(0),
            trained_run: StoredValue::new(None),
            refresh_run: StoredValue::new(0),
            tag_run: StoredValue::new(0),
            tagging: StoredValue::new(None),
            refresh_pending: StoredValue::new(false),
            paint_pending: StoredValue::new(false),
            undo_rejects: StoredValue::new_local(RejectionUndo::default()),
            rejections_saved: RwSignal::new(0),
            rejections_blocked: StoredValue::new(false),
            confirm_list: StoredValue::new_local(None),
            confirm_all: RwSignal::new(None),
        }
    }

    /// The current suggestion.
    pub fn current_suggestion(&self) -> Option<Suggestion> {
        let key = self.current.get()?;
        self.shown
            .with(|list| list.iter().find(|s| s.key() == key).cloned())
    }

    /// The current suggestion, untracked.
    pub fn current_untracked(&self) -> Option<Suggestion> {
        let key = self.current.get_untracked()?;
        self.shown
            .with_untracked(|list| list.iter().find(|s| s.key() == key).cloned())
    }
}

impl Default for Suggest {
    fn default() -> Suggest {
        Suggest::new()
    }
}

fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Starts what suggestions need: refresh after edits and article changes,
/// retraining after edits, repainting when the list or the current one
/// changes. Called once by `App`.
pub fn install(state: &AppState) {
    let state = *state;
    let sg = state.suggest;
    // Refresh after any change to the workspace, the article or a setting.
    Effect::new(move |_| {
        state.session.track();
        state.current.track();
        state.view.track();
        sg.on.track();
        sg.threshold.track();
        sg.everywhere.track();
        sg.use_model.track();
        refresh_soon(&state);
    });
    // Retrain after edits (not at start: the first load trains when idle).
    Effect::new(move |first: Option<()>| {
        state.session.track();
        if first.is_some() {
            sg.run.update_value(|n| *n += 1);
            let run = sg.run.get_value();
            set_timeout(
                move || {
                    if sg.run.try_get_value() == Some(run) {
                        train(state, run);
                    }
                },
                std::time::Duration::from_millis(RETRAIN_AFTER_MS),
            );
        }
    });
    crate::schedule::when_idle(2000, move || {
        let run = sg.run.get_value();
        train(state, run);
    });
    // Redraw the highlights when the list or the current one changes.
    Effect::new(move |_| {
        sg.shown.track();
        sg.current.track();
        repaint_soon(&state);
    });
    // Another article: no suggestion is current.
    Effect::new(move |_| {
        state.current.track();
        sg.current.set(None);
        // The model's tagging of the previous article stops.
        sg.tag_run.update_value(|n| *n += 1);
        sg.tagging.set_value(None);
        // A message about the previous article's suggestion goes with it.
        if state
            .status
            .with_untracked(|m| m.starts_with("Suggestion "))
        {
            state.status.set(String::new());
        }
    });
    // Scrolling (the window or the article's column) paints what comes
    // into view.
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let on_scroll = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            if sg.shown.try_with_untracked(|l| !l.is_empty()) == Some(true) {
                repaint_soon(&state);
            }
        });
        let function: js_sys::Function = on_scroll.into_js_value().unchecked_into();
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        options.set_passive(true);
        let _ = document.add_event_listener_with_callback_and_add_event_listener_options(
            "scroll", &function, &options,
        );
        on_cleanup(move || {
            let _ =
                document.remove_event_listener_with_callback_and_bool("scroll", &function, true);
        });
    }
    // Picking an annotation leaves the current suggestion, and back.
    Effect::new(move |_| {
        if state.selected.get().is_some() {
            sg.current.set(None);
        }
    });
}

/// Recomputes the shown suggestions after the next paint (coalesced).
pub fn refresh_soon(state: &AppState) {
    let sg = state.suggest;
    if sg.refresh_pending.get_value() {
        return;
    }
    sg.refresh_pending.set_value(true);
    let state = *state;
    crate::schedule::after_paint(move || {
        if sg.refresh_pending.try_get_value() != Some(true) {
            return;
        }
        sg.refresh_pending.set_value(false);
        refresh(&state);
    });
}

/// Recomputes the open article's suggestions now.
pub fn refresh(state: &AppState) {
    let sg = state.suggest;
    crate::perf::start("aa-suggest");
    let article = state.current_article();
    let article =
        article.filter(|_| sg.on.get_untracked() && state.view.get_untracked() == View::Article);
    let Some(article) = article else {
        sg.for_article.set_value(None);
        if !sg.shown.with_untracked(|l| l.is_empty()) {
            sg.shown.set(Arc::new(Vec::new()));
        }
        return;
    };
    let id = article.id().to_string();
    let tokens = match sg.tokens.with_value(|t| {
        t.as_ref()
            .filter(|(for_id, _)| *for_id == id)
            .map(|(_, t)| t.clone())
    }) {
        Some(t) => t,
        None => {
            // Reading a newly opened article's words is its own task, when
            // the page is idle (after the article is drawn); the refresh
            // follows in another.
            let state = *state;
            let text = article.clone();
            crate::schedule::when_idle(1000, move || {
                if state.current.try_get_untracked().flatten().as_deref() != Some(text.id()) {
                    return; // another article opened meanwhile
                }
                crate::perf::start("aa-words");
                let words = Arc::new(Words::of(text.text()));
                crate::perf::measure("aa-words");
                sg.tokens.set_value(Some((text.id().to_string(), words)));
                refresh_soon(&state);
            });
            return;
        }
    };
    let number = sg.model_number.get_value();
    let use_model = sg.use_model.get_untracked();
    let tagged: Option<Arc<Vec<Suggestion>>> = sg
        .model_out
        .with_value(|m| {
            m.as_ref()
                .filter(|(a, n, _)| *a == id && *n == number)
                .map(|(_, _, l)| l.clone())
        })
        .filter(|_| use_model);
    let untagged = tagged.is_none();
    let model = tagged.unwrap_or_default();
    let everywhere = sg.everywhere.get_untracked();
    let filter = Filter {
        threshold: sg.threshold.get_untracked(),
    };
    let job = state.with_workspace_untracked(|ws| {
        let empty = annotator_core::AnnotationSet::new();
        let set = ws.set(&id).unwrap_or(&empty);
        let phrases = if everywhere {
            Phrases::of(ws.entries().iter().map(|e| &e.set))
        } else {
            Phrases::of([set])
        };
        // About as many as last time (the list shown, if of this article).
        let expected = if sg.for_article.get_value().as_deref() == Some(id.as_str()) {
            sg.shown.with_untracked(|l| l.len())
        } else {
            0
        };
        sg.rejected.with_value(|rejected| {
            Refresh::new(&article, tokens, set, phrases, model, rejected, filter)
                .expecting(expected)
        })
    });
    // A newer refresh (another edit meanwhile) makes this one stop.
    sg.refresh_run.update_value(|n| *n += 1);
    let run = sg.refresh_run.get_value();
    let state = *state;
    in_slices(
        state,
        sg.refresh_run,
        run,
        job,
        |r| r.step(REFRESH_STEP),
        move |job| {
            publish(&state, id, job.finish());
            if use_model && untagged && sg.model.with_value(|m| m.is_trained()) {
                tag_open_article(state);
            }
            crate::perf::measure("aa-suggest");
            crate::perf::mark("aa-suggestions");
        },
    );
}

/// Shows `list` as article `id`'s suggestions (keeping the current one if
/// it is still there).
fn publish(state: &AppState, id: String, list: Vec<Suggestion>) {
    let sg = state.suggest;
    if state.current.get_untracked().as_deref() != Some(id.as_str()) {
        return; // another article opened meanwhile: its own refresh follows
    }
    // A refresh that started before a rejection must not bring it back.
    let refused = sg.rejected.with_value(|r| r.spans(&id));
    let mut list = list;
    if !refused.is_empty() {
        list.retain(|s| !refused.contains(&(s.label, s.start, s.end)));
    }
    let same = sg.for_article.get_value().as_deref() == Some(id.as_str())
        && sg.shown.with_untracked(|old| **old == list);
    sg.for_article.set_value(Some(id));
    if !same {
        let keep = sg
            .current
            .get_untracked()
            .filter(|k| list.iter().any(|s| s.key() == *k));
        sg.shown.set(Arc::new(list));
        if keep != sg.current.get_untracked() {
            sg.current.set(keep);
        }
    }
}

/// Retrains the model now (the model was switched on).
pub fn retrain(state: &AppState) {
    let sg = state.suggest;
    sg.run.update_value(|n| *n += 1);
    train(*state, sg.run.get_value());
}

/// Trains the model on every article's annotations, in slices, then tags
/// the open article. Stops when a newer edit starts another run.
fn train(state: AppState, run: u64) {
    let sg = state.suggest;
    if !sg.use_model.get_untracked() || !sg.on.get_untracked() {
        return;
    }
    let catalog = state.catalog();
    let docs: Vec<TrainDoc> = state.with_workspace_untracked(|ws| {
        ws.entries()
            .iter()
            .filter(|e| !e.set.is_empty())
            .filter_map(|e| {
                let article = catalog.get(&e.id)?;
                Some(TrainDoc {
                    text: Arc::from(article.text()),
                    spans: e
                        .set
                        .items()
                        .iter()
                        .map(|a| (a.start, a.end, a.label))
                        .collect(),
                })
            })
            .collect()
    });
    let trained_on: usize = docs.iter().map(|d| d.spans.len()).sum();
    if trained_on == 0 || sg.trained_run.get_value() == Some(run) {
        return;
    }
    sg.trained_run.set_value(Some(run));
    sg.learning.set(true);
    crate::perf::start("aa-train");
    let training = Training::new(docs);
    in_slices(
        state,
        sg.run,
        run,
        training,
        |t| t.step(STEP),
        move |training| {
            let (model, scores) = training.finish();
            crate::perf::measure("aa-train");
            sg.model.set_value(Arc::new(model));
            sg.model_number.update_value(|n| *n += 1);
            sg.report.set(Some(ModelReport { trained_on, scores }));
            tag_open_article(state);
        },
    );
}

/// Tags the open article with the model, in slices, then refreshes.
fn tag_open_article(state: AppState) {
    let sg = state.suggest;
    let Some(article) = state.current_article() else {
        sg.learning.set(false);
        return;
    };
    let model = sg.model.get_value();
    if !model.is_trained() {
        sg.learning.set(false);
        return;
    }
    let id = article.id().to_string();
    let number = sg.model_number.get_value();
    let run = sg.tag_run.get_value();
    let job = (id.clone(), number, run);
    if sg.tagging.get_value().as_ref() == Some(&job) {
        return; // already under way
    }
    sg.tagging.set_value(Some(job));
    sg.learning.set(true);
    let tagging = Tagging::new(model, Arc::from(article.text()));
    in_slices(
        state,
        sg.tag_run,
        run,
        tagging,
        |t| t.step(STEP),
        move |tagging| {
            sg.tagging.set_value(None);
            sg.model_out
                .set_value(Some((id, number, Arc::new(tagging.finish()))));
            sg.learning.set(false);
            crate::perf::mark("aa-model-tagged");
            refresh_soon(&state);
        },
    );
}

/// Runs `step` on `work` in timer tasks of at most [`SLICE_MS`] each until
/// it says it is done, then `done`; gives up when run `run` is stale.
fn in_slices<W: 'static>(
    state: AppState,
    counter: StoredValue<u64>,
    run: u64,
    mut work: W,
    step: fn(&mut W) -> bool,
    done: impl FnOnce(W) + 'static,
) {
    let sg = state.suggest;
    if counter.try_get_value() != Some(run) {
        if counter == sg.run || counter == sg.tag_run {
            sg.learning.try_set(false);
        }
        return;
    }
    let start = performance_now();
    loop {
        if step(&mut work) {
            done(work);
            return;
        }
        if performance_now() - start > SLICE_MS {
            break;
        }
    }
    set_timeout(
        move || in_slices(state, counter, run, work, step, done),
        std::time::Duration::from_millis(0),
    );
}

/// Repaints the highlights in the next animation frame (coalesced).
pub fn repaint_soon(state: &AppState) {
    let sg = state.suggest;
    if sg.paint_pending.get_value() {
        return;
    }
    sg.paint_pending.set_value(true);
    let state = *state;
    request_animation_frame(move || {
        if sg.paint_pending.try_get_value() != Some(true) {
            return;
        }
        sg.paint_pending.set_value(false);
        paint(&state);
    });
}

/// Repaints the highlights once the browser has painted what changed (an
/// edit's redrawn blocks show without waiting for the suggestions).
pub fn repaint_after_paint(state: &AppState) {
    let state = *state;
    crate::schedule::after_paint(move || repaint_soon(&state));
}

/// Registers the open article's suggestions as highlights.
fn paint(state: &AppState) {
    let sg = state.suggest;
    let Some(registry) = registry() else {
        return;
    };
    // Until the open article's suggestions are computed, draw none (the
    // list may still be the previous article's).
    let article = crate::selection::article_element()
        .filter(|_| sg.for_article.get_value() == state.current.get_untracked());
    let shown = sg.shown.get_untracked();
    let current = sg.current.get_untracked();
    // Only what is on screen, with a margin of a few screens: the number
    // of ranges stays small however many suggestions a long article has;
    // scrolling paints again.
    let blocks = article
        .as_ref()
        .map(|a| crate::selection::visible_blocks(a, PAINT_AROUND))
        .unwrap_or_default();
    let near = blocks
        .iter()
        .map(|b| (b.0, b.1))
        .reduce(|x, y| (x.0.min(y.0), x.1.max(y.1)));
    let mut by_label: [Vec<(usize, usize)>; 3] = Default::default();
    let mut now = Vec::new();
    let on_screen = |s: &&Suggestion| near.is_some_and(|(a, b)| s.start < b && a < s.end);
    for s in shown.iter().filter(on_screen) {
        if let Some(i) = Label::ALL.iter().position(|l| *l == s.label) {
            by_label[i].push((s.start, s.end));
        }
        if current.as_deref() == Some(s.key().as_str()) {
            now.push((s.start, s.end));
        }
    }
    for (i, label) in Label::ALL.into_iter().enumerate() {
        let ranges = crate::selection::ranges(&blocks, &by_label[i]);
        set_highlight(&registry, &format!("aa-sg-{}", label.as_str()), &ranges);
    }
    let ranges = crate::selection::ranges(&blocks, &now);
    set_highlight(&registry, "aa-sg-current", &ranges);
}

/// `CSS.highlights`, where the browser has it.
fn registry() -> Option<JsValue> {
    let css = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("CSS")).ok()?;
    let registry = js_sys::Reflect::get(&css, &JsValue::from_str("highlights")).ok()?;
    (!registry.is_undefined() && !registry.is_null()).then_some(registry)
}

/// `CSS.highlights.set(name, new Highlight(...ranges))`.
fn set_highlight(registry: &JsValue, name: &str, ranges: &[web_sys::StaticRange]) {
    let Some(ctor) = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Highlight"))
        .ok()
        .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    let args: js_sys::Array = ranges.iter().collect();
    let Ok(highlight) = js_sys::Reflect::construct(&ctor, &args) else {
        return;
    };
    let Some(set) = js_sys::Reflect::get(registry, &JsValue::from_str("set"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    let _ = set.call2(registry, &JsValue::from_str(name), &highlight);
}

/// Saves the rejections (failures are only reported: at worst a rejected
/// suggestion is offered again).
fn save_rejected(state: &AppState) {
    state.suggest.rejections_saved.update(|n| *n += 1);
    if state.suggest.rejections_blocked.get_value() {
        state.status.set(
            "Rejections are kept for this visit only: the saved ones could not be read or kept aside."
                .into(),
        );
        return;
    }
    if state.persists() {
        let json = state.suggest.rejected.with_value(Rejected::to_json);
        if let Err(e) = crate::storage::save_rejected(&json) {
            state
                .status
                .set(format!("Could not save the rejection: {e}"));
        }
    }
}

/// Reads saved rejections; unreadable ones are kept aside, not lost.
pub fn load_rejected(state: &AppState) {
    if let Some(raw) = crate::storage::load_rejected() {
        match Rejected::parse(&raw) {
            Ok(r) => state.suggest.rejected.set_value(r),
            Err(_) => {
                if !crate::storage::keep_unreadable_rejected(&raw) {
                    state.suggest.rejections_blocked.set_value(true);
                }
            }
        }
    }
}

impl AppState {
    /// The shown suggestions if they are the open article's (right after
    /// an article switch they may still be the previous one's: none then).
    fn shown_here(&self) -> Arc<Vec<Suggestion>> {
        let sg = self.suggest;
        if sg.for_article.get_value() == self.current.get_untracked() {
            sg.shown.get_untracked()
        } else {
            Arc::new(Vec::new())
        }
    }

    /// Makes the suggestion after (or before) the current one current,
    /// wrapping round; says so when there is none.
    pub fn step_suggestion(&self, forward: bool) {
        let sg = self.suggest;
        let shown = self.shown_here();
        let order = self.current_article().map(|a| ReadingOrder::new(&a));
        let from = sg.current_untracked();
        let next = order
            .as_ref()
            .and_then(|o| o.step(&shown, from.as_ref().map(|s| o.key(s)), forward));
        let Some((i, place, total)) = next else {
            self.status.set(if sg.on.get_untracked() {
                "No suggestions here. Tag a name and its other mentions are offered.".into()
            } else {
                "Suggestions are off (Suggestions panel).".into()
            });
            return;
        };
        self.show_suggestion(shown.get(i).cloned(), Some((place, total)));
    }

    /// Makes `s` current, scrolls it into view and says so ("n of m" in
    /// reading order; worked out when not given).
    fn show_suggestion(&self, s: Option<Suggestion>, place: Option<(usize, usize)>) {
        let Some(s) = s else {
            return;
        };
        let (n, of) = place.unwrap_or_else(|| {
            let shown = self.shown_here();
            let order = self.current_article().map(|a| ReadingOrder::new(&a));
            let key = order.as_ref().map(|o| o.key(&s));
            let before = order
                .as_ref()
                .zip(key)
                .map_or(0, |(o, k)| shown.iter().filter(|x| o.key(x) <= k).count());
            (before, shown.len())
        });
        self.selected.set(None);
        self.suggest.current.set(Some(s.key()));
        if let Some(article) = crate::selection::article_element() {
            crate::selection::scroll_to(&article, s.start);
        }
        let quote = self
            .current_article()
            .map(|a| annotator_core::session::shorten(a.slice(s.start, s.end)))
            .unwrap_or_default();
        self.status.set(format!(
            "Suggestion {n} of {of}: {} “{quote}” ({}). Y accepts, N rejects, A accepts all {}.",
            s.label.title(),
            s.why,
            s.label.plural()
        ));
    }

    /// Makes the suggestion at code point `cp` current (a click); false
    /// when there is none there or it already is current.
    pub fn suggestion_at(&self, cp: usize) -> bool {
        let sg = self.suggest;
        let shown = self.shown_here();
        let current = sg.current.get_untracked();
        match annotator_core::suggest::pick_at(&shown, cp, current.as_deref()) {
            Some(i) => {
                self.show_suggestion(shown.get(i).cloned(), None);
                true
            }
            None => {
                if current.is_some() {
                    sg.current.set(None);
                }
                false
            }
        }
    }

    /// Accepts the current suggestion (Y) and moves to the next one.
    pub fn accept_current(&self) -> Result<(), String> {
        let Some(s) = self.suggest.current_untracked() else {
            return Err(self.no_current("J goes to the next one."));
        };
        let next = self.next_after(&s);
        self.accept(&[s])?;
        self.suggest.current.set(next);
        Ok(())
    }

    /// Rejects the current suggestion (N): it is not offered again in this
    /// article. Moves to the next one.
    pub fn reject_current(&self) -> Result<(), String> {
        let sg = self.suggest;
        let Some(s) = sg.current_untracked() else {
            return Err(self
                .no_current("J goes to the next one (Shift+N opens the next article not done)."));
        };
        let article = self.current.get_untracked().unwrap_or_default();
        let next = self.next_after(&s);
        sg.rejected.update_value(|r| r.reject(&article, &s));
        save_rejected(self);
        let version = self.session.with_untracked(|x| x.history().version());
        sg.undo_rejects
            .update_value(|v| v.push(&article, &s, version));
        let gone = (s.label, s.start, s.end);
        sg.shown.update(|list| {
            Arc::make_mut(list).retain(|x| (x.label, x.start, x.end) != gone);
        });
        sg.current.set(next);
        refresh_soon(self);
        let quote = self
            .current_article()
            .map(|a| annotator_core::session::shorten(a.slice(s.start, s.end)))
            .unwrap_or_default();
        self.status.set(format!(
            "Rejected “{quote}”: not offered again in this article. Ctrl+Z takes it back."
        ));
        Ok(())
    }

    /// What Y, N or A say with no suggestion current.
    fn no_current(&self, hint: &str) -> String {
        if self.suggest.on.get_untracked() {
            format!("No suggestion selected: {hint}")
        } else {
            "Suggestions are off (Suggestions panel).".into()
        }
    }

    /// Takes back the last rejection if nothing was done since (Ctrl+Z
    /// after N); false when the last thing to undo is an edit.
    pub fn undo_rejection(&self) -> bool {
        let sg = self.suggest;
        let version = self.session.with_untracked(|x| x.history().version());
        let Some((article, s)) = sg
            .undo_rejects
            .try_update_value(|v| v.take(version))
            .flatten()
        else {
            return false;
        };
        sg.rejected
            .update_value(|r| r.restore(&article, s.label, s.start, s.end));
        save_rejected(self);
        if self.current.get_untracked().as_deref() != Some(article.as_str()) {
            self.open(&article);
        }
        sg.current.set(Some(s.key()));
        refresh_soon(self);
        let quote = self
            .current_article()
            .map(|a| annotator_core::session::shorten(a.slice(s.start, s.end)))
            .unwrap_or_default();
        self.status
            .set(format!("Rejection undone: “{quote}” is offered again."));
        true
    }

    /// Offers again every suggestion rejected in the open article.
    pub fn restore_rejected(&self) {
        let sg = self.suggest;
        let Some(article) = self.current.get_untracked() else {
            return;
        };
        let n = sg.rejected.with_value(|r| r.count(&article));
        sg.rejected.update_value(|r| r.restore_all(&article));
        sg.undo_rejects.update_value(|v| v.forget(&article));
        save_rejected(self);
        refresh_soon(self);
        self.status
            .set(format!("{n} rejected suggestion(s) offered again."));
    }

    /// The key of the suggestion after `s` (other than `s`), if any.
    fn next_after(&self, s: &Suggestion) -> Option<String> {
        let shown = self.shown_here();
        let order = ReadingOrder::new(&self.current_article()?);
        let (i, _, _) = order.step(&shown, Some(order.key(s)), true)?;
        shown.get(i).map(Suggestion::key).filter(|k| *k != s.key())
    }

    /// Whether accepting a claim or commitment would link the entity at
    /// `start..end`: it is tagged, or an entity suggestion shown now.
    pub fn can_link_to(&self, start: usize, end: usize) -> bool {
        let Some(article) = self.current.get_untracked() else {
            return false;
        };
        let tagged = self.with_workspace_untracked(|ws| {
            ws.set(&article)
                .and_then(|set| set.same_span(Label::Entity, start, end, ""))
                .is_some()
        });
        tagged
            || self
                .shown_here()
                .iter()
                .any(|s| s.label == Label::Entity && s.start == start && s.end == end)
    }

    /// How many suggestions of `label` are shown.
    pub fn count_of(&self, label: Label) -> usize {
        self.shown_here()
            .iter()
            .filter(|s| s.label == label)
            .count()
    }

    /// The shown suggestions of `label`.
    pub fn suggestions_of(&self, label: Label) -> Vec<Suggestion> {
        self.shown_here()
            .iter()
            .filter(|s| s.label == label)
            .cloned()
            .collect()
    }

    /// What the open "Accept all" preview lists (fixed when it opened).
    pub fn accept_all_list(&self) -> Vec<Suggestion> {
        self.suggest
            .confirm_list
            .with_value(|c| c.as_ref().map(|(_, l)| l.clone()))
            .unwrap_or_default()
    }

    /// Opens the "Accept all" preview for the current suggestion's label
    /// (A).
    pub fn preview_accept_all(&self) -> Result<(), String> {
        let Some(s) = self.suggest.current_untracked() else {
            return Err(self.no_current("J goes to the next one, then A accepts all of its kind."));
        };
        let article = self.current.get_untracked().unwrap_or_default();
        let list = self.suggestions_of(s.label);
        self.suggest.confirm_list.set_value(Some((article, list)));
        self.suggest.confirm_all.set(Some(s.label));
        Ok(())
    }

    /// Accepts what the "Accept all" preview listed (exactly those, in one
    /// undoable edit), if its article is still the open one.
    pub fn accept_all(&self) -> Result<(), String> {
        self.suggest.confirm_all.set(None);
        let Some((article, list)) = self.suggest.confirm_list.get_value() else {
            return Ok(());
        };
        self.suggest.confirm_list.set_value(None);
        if self.current.get_untracked().as_deref() != Some(article.as_str()) {
            return Err("Another article is open now: nothing was accepted.".into());
        }
        self.accept(&list)?;
        self.suggest.current.set(None);
        Ok(())
    }

    /// Accepts `chosen` (one edit), with their suggested links.
    fn accept(&self, chosen: &[Suggestion]) -> Result<(), String> {
        let article = ArticleId(self.current.get_untracked().ok_or("No article is open.")?);
        let mut fresh = uuid_v4;
        {
            let pool = self.shown_here();
            self.run(|s| {
                s.accept_suggestions(&article, chosen, &pool, &mut fresh, &Timestamp(now()))
            })?;
        }
        // What was accepted is an annotation now: take it off at once (the
        // refresh that follows the edit recomputes the rest).
        let gone: std::collections::HashSet<(Label, usize, usize)> =
            chosen.iter().map(|s| (s.label, s.start, s.end)).collect();
        self.suggest.shown.update(|list| {
            Arc::make_mut(list).retain(|x| !gone.contains(&(x.label, x.start, x.end)));
        });
        Ok(())
    }
}
