//! When deferred work runs: saves wait until the browser has painted the
//! change that caused them (see `AppState::save`).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The latest a deferred save waits, even when no frame is painted (a
/// background tab gets no animation frames).
const AT_LATEST_MS: i32 = 250;

/// `f` behind a guard: the returned closure (cloned for each trigger) runs
/// it the first time it is called and does nothing after.
fn once(f: impl FnOnce() + 'static) -> impl Fn() + Clone + 'static {
    let cell = std::rc::Rc::new(std::cell::RefCell::new(Some(
        Box::new(f) as Box<dyn FnOnce()>
    )));
    move || {
        let f = cell.borrow_mut().take();
        if let Some(f) = f {
            f();
        }
    }
}

/// Runs `f` once: in the task after the next animation frame (after the
/// paint), or after [`AT_LATEST_MS`], whichever comes first. `f` must be
/// idempotent-safe: it is called once, the later trigger is ignored.
pub fn after_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        f();
        return;
    };
    let run = once(f);
    let after_frame = {
        let run = run.clone();
        Closure::once_into_js(move || {
            let task = Closure::once_into_js(run);
            if let Some(w) = web_sys::window() {
                let _ = w
                    .set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
            }
        })
    };
    let _ = window.request_animation_frame(after_frame.unchecked_ref());
    let fallback = Closure::once_into_js(run);
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        fallback.unchecked_ref(),
        AT_LATEST_MS,
    );
}

/// Runs `f` in a new task as soon as the browser allows (a message to
/// itself): chained timers of 0 ms are held to at least 4 ms each after the
/// fifth, which drawing a long article in a dozen chunks would wait for. If
/// the message never comes, a timer runs `f` after 50 ms; `f` runs once.
pub fn soon(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        f();
        return;
    };
    let run = once(f);
    if let Ok(channel) = web_sys::MessageChannel::new() {
        let run = run.clone();
        // The channel is kept by its own handler until the message came.
        let kept = channel.clone();
        let on_message = Closure::once_into_js(move || {
            kept.port1().set_onmessage(None);
            run();
        });
        channel
            .port1()
            .set_onmessage(Some(on_message.unchecked_ref()));
        let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
    }
    let fallback = Closure::once_into_js(run);
    let _ =
        window.set_timeout_with_callback_and_timeout_and_arguments_0(fallback.unchecked_ref(), 50);
}

/// Marks the page while a change is not yet written (`data-unsaved` on
/// `<html>`), so tests and tools can wait for the write.
pub fn mark_unsaved(on: bool) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = if on {
        root.set_attribute("data-unsaved", "")
    } else {
        root.remove_attribute("data-unsaved")
    };
}

/// The latest idle work waits for an article being drawn (a safety net:
/// every drawing ends with [`drawn`]).
const DRAWING_AT_LATEST_MS: i32 = 5000;

/// Idle work waiting for a drawing: its at-latest time and itself.
type Waiting = Vec<(u32, Box<dyn FnOnce()>)>;

thread_local! {
    /// Articles being drawn in chunks, and the idle work waiting for them.
    static DRAWING: std::cell::RefCell<(usize, Waiting)> =
        std::cell::RefCell::new((0, Vec::new()));
}

/// An article starts being drawn in chunks: idle work ([`when_idle`]) waits
/// until it is in ([`drawn`]), so the browser's idle moments between chunks
/// go to drawing, not to warming the save cache or reading words (they made
/// a first visit of a long article a fifth slower).
pub fn drawing() {
    DRAWING.with(|d| d.borrow_mut().0 += 1);
    let Some(window) = web_sys::window() else {
        return;
    };
    // Never wait for ever, whatever happens to the drawing.
    let release = Closure::once_into_js(release_idle_work);
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        release.unchecked_ref(),
        DRAWING_AT_LATEST_MS,
    );
}

/// A drawing started with [`drawing`] is done (finished, or stopped because
/// another article opened): when none is left, the waiting idle work is
/// scheduled.
pub fn drawn() {
    let left = DRAWING.with(|d| {
        let mut d = d.borrow_mut();
        d.0 = d.0.saturating_sub(1);
        d.0
    });
    if left == 0 {
        release_idle_work();
    }
}

/// Schedules every idle work waiting for a drawing (and forgets the count).
fn release_idle_work() {
    let waiting = DRAWING.with(|d| {
        let mut d = d.borrow_mut();
        d.0 = 0;
        std::mem::take(&mut d.1)
    });
    for (at_latest_ms, f) in waiting {
        when_idle_now(at_latest_ms, f);
    }
}

/// Runs `f` when the browser is idle, or after `at_latest_ms` at the
/// latest; while an article is being drawn in chunks, both count from when
/// it is in.
pub fn when_idle(at_latest_ms: u32, f: impl FnOnce() + 'static) {
    let f: Box<dyn FnOnce()> = Box::new(f);
    let queued = DRAWING.with(|d| {
        let mut d = d.borrow_mut();
        if d.0 > 0 {
            d.1.push((at_latest_ms, f));
            None
        } else {
            Some(f)
        }
    });
    if let Some(f) = queued {
        when_idle_now(at_latest_ms, f);
    }
}

fn when_idle_now(at_latest_ms: u32, f: Box<dyn FnOnce()>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(f);
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(at_latest_ms);
    if window
        .request_idle_callback_with_options(callback.unchecked_ref(), &options)
        .is_err()
    {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            at_latest_ms as i32,
        );
    }
}

/// Resolves once the browser has painted: in the task after the next
/// animation frame (or after 250 ms at the latest, as in a hidden tab).
/// Long work awaits it after showing progress, so the progress is seen.
pub async fn painted() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        after_paint(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolves in a later task (a `setTimeout` of 0): long work awaits it
/// between its steps, so input, rendering and painting get their turn.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
