//! When deferred work runs: saves wait until the browser has painted the
//! change that caused them (see `AppState::save`).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The latest a deferred save waits, even when no frame is painted (a
/// background tab gets no animation frames).
const AT_LATEST_MS: i32 = 250;

/// Runs `f` once: in the task after the next animation frame (after the
/// paint), or after [`AT_LATEST_MS`], whichever comes first. `f` must be
/// idempotent-safe: it is called once, the later trigger is ignored.
pub fn after_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        f();
        return;
    };
    let once = std::rc::Rc::new(std::cell::RefCell::new(Some(
        Box::new(f) as Box<dyn FnOnce()>
    )));
    let run = {
        let once = once.clone();
        move || {
            if let Some(f) = once.borrow_mut().take() {
                f();
            }
        }
    };
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

/// Runs `f` when the browser is idle (after start-up work such as drawing a
/// long article in chunks), or after `at_latest_ms` at the latest.
pub fn when_idle(at_latest_ms: u32, f: impl FnOnce() + 'static) {
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
        let Some(w) = web_sys::window() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 250);
        let after_frame = Closure::once_into_js(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
            }
        });
        let _ = w.request_animation_frame(after_frame.unchecked_ref());
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
