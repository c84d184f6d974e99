//! Performance marks for the benchmark (`scripts/bench`): the app records
//! when it is ready and how long each save took, with the browser's User
//! Timing API, and reports its WebAssembly memory. Nothing here changes
//! behaviour; every call is a no-op outside a browser.

use wasm_bindgen::prelude::*;

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Records a mark named `name` now.
pub fn mark(name: &str) {
    #[cfg(feature = "alloc-stats")]
    alloc_stats::record(name);
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
}

/// Records a measure named `name` from the mark `<name>-start` (set by
/// [`start`]) to now.
pub fn measure(name: &str) {
    #[cfg(feature = "alloc-stats")]
    alloc_stats::record(name);
    if let Some(p) = performance() {
        let start = format!("{name}-start");
        let end = format!("{name}-end");
        let _ = p.mark(&end);
        let _ = p.measure_with_start_mark_and_end_mark(name, &start, &end);
        p.clear_marks_with_mark_name(&start);
        p.clear_marks_with_mark_name(&end);
    }
}

/// Starts a measure named `name` (see [`measure`]).
pub fn start(name: &str) {
    mark(&format!("{name}-start"));
}

/// Marks `aa-ready` at the first animation frame after the app mounted:
/// the first screen of the open article is drawn by then.
pub fn mark_ready_after_next_frame() {
    mark_after_next_frame("aa-ready");
}

/// Marks `name` at the next animation frame.
pub fn mark_after_next_frame(name: &'static str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(move || mark(name));
    let _ = window.request_animation_frame(callback.unchecked_ref());
}

/// Bytes of WebAssembly memory (for the benchmark's memory figure).
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| b.byte_length() as f64)
                .unwrap_or(0.0)
        })
        .unwrap_or(0.0)
}

/// The wasm memory profile of the benchmark (feature `alloc-stats`): the
/// core's counting allocator (`annotator_core::alloc_stats`) as the global
/// one, the bytes held and the most held recorded
/// at every [`measure`] with the largest since the one before, so the
/// benchmark can tell which step set the memory's high-water mark (wasm
/// memory never shrinks) and how much of it is still held.
#[cfg(feature = "alloc-stats")]
pub mod alloc_stats {
    use std::cell::RefCell;

    use annotator_core::alloc_stats::{held, take_peak, Counting};
    use wasm_bindgen::prelude::*;

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    thread_local! {
        static LOG: RefCell<Vec<(String, usize, usize)>> = const { RefCell::new(Vec::new()) };
    }

    /// Records (step, bytes held now, most held since the record before).
    pub fn record(step: &str) {
        let (held, peak) = (held(), take_peak());
        let _ = LOG.try_with(|l| l.borrow_mut().push((step.to_string(), held, peak)));
    }

    /// The records so far and the present state, as JSON:
    /// `[[step, held, peak], …, ["now", held, peak]]`.
    #[wasm_bindgen]
    pub fn wasm_alloc_log() -> String {
        record("now");
        LOG.try_with(|l| {
            let l = l.borrow();
            let items: Vec<String> = l
                .iter()
                .map(|(s, h, p)| format!("[\"{s}\",{h},{p}]"))
                .collect();
            format!("[{}]", items.join(","))
        })
        .unwrap_or_default()
    }
}
