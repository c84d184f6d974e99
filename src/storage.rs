//! The only module that touches localStorage: the [`LocalBackend`] under
//! the core's save protocol (`annotator_core::saver`, which owns the keys,
//! merging, moving unreadable data aside and blocking), UI preferences, the
//! clock and the storage meter.
//!
//! gloo-storage's `LocalStorage::raw()` panics when storage is unavailable,
//! so every access goes through [`storage()`], which checks first.

use annotator_core::saver::{Backend, Probe};
pub use annotator_core::saver::{
    Loaded, StorageError, Unreadable, BACKUP_KEY, DATA_KEY, REV_KEY, UI_KEY,
};
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

fn js_message(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            js_sys::Reflect::get(e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "unknown error".to_string())
}

/// The browser's localStorage, if it can be used.
fn storage() -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
    match window.local_storage() {
        Ok(Some(_)) => Ok(LocalStorage::raw()),
        Ok(None) => Err(StorageError::Unavailable("no localStorage".into())),
        Err(e) => Err(StorageError::Unavailable(js_message(&e))),
    }
}

fn get(key: &str) -> Result<Option<String>, StorageError> {
    storage()?
        .get_item(key)
        .map_err(|e| StorageError::Unavailable(js_message(&e)))
}

fn set(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?
        .set_item(key, value)
        .map_err(|e| StorageError::WriteRefused(js_message(&e)))
}

/// localStorage as the save protocol's backend (holds nothing itself; each
/// call finds the storage again, so a storage that goes away is reported).
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalBackend;

impl Backend for LocalBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        get(key)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        set(key, value)
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        storage()?
            .remove_item(key)
            .map_err(|e| StorageError::WriteRefused(js_message(&e)))
    }

    fn head(&self, key: &str, n: usize) -> Result<Option<String>, StorageError> {
        let value = get_in_js(&storage()?, key)?;
        Ok(value.map(|v| {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            // UTF-16 units; a pair cut in two becomes U+FFFD, which is fine
            // for a head read for its ASCII "version".
            String::from(v.substring(0, n))
        }))
    }

    fn copy(&mut self, from: &str, to: &str) -> Result<bool, StorageError> {
        let storage = storage()?;
        let Some(value) = get_in_js(&storage, from)? else {
            return Ok(false);
        };
        call(&storage, "setItem", &[JsValue::from_str(to), value.into()])
            .map_err(|e| StorageError::WriteRefused(js_message(&e)))?;
        Ok(true)
    }
}

/// Calls `storage.<method>(args…)`, the values staying JavaScript values
/// (web-sys's `get_item` and `set_item` convert to and from Rust strings,
/// which copies them through wasm memory).
fn call(storage: &web_sys::Storage, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: js_sys::Function =
        js_sys::Reflect::get(storage, &JsValue::from_str(method))?.dyn_into()?;
    f.apply(storage, &args.iter().collect::<js_sys::Array>())
}

/// The value under `key` as a JavaScript string, not copied into wasm.
fn get_in_js(
    storage: &web_sys::Storage,
    key: &str,
) -> Result<Option<js_sys::JsString>, StorageError> {
    let value = call(storage, "getItem", &[JsValue::from_str(key)])
        .map_err(|e| StorageError::Unavailable(js_message(&e)))?;
    Ok(value.dyn_into::<js_sys::JsString>().ok())
}

/// Marks the save protocol's steps as User Timing measures (`aa-load-read`,
/// `aa-load-parse`, `aa-load-anchor`, `aa-save-json`) for the benchmark.
pub struct PerfProbe;

impl Probe for PerfProbe {
    fn start(&self, step: &'static str) {
        crate::perf::start(step);
    }

    fn end(&self, step: &'static str) {
        crate::perf::measure(step);
    }
}

/// UI preferences, saved apart from the annotations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiPrefs {
    /// The open article's id.
    pub article: Option<String>,
    /// Whether selections snap to whole words.
    pub snap_to_words: bool,
    /// Whether suggestions are shown.
    pub suggestions: bool,
    /// Suggestions under this confidence are hidden.
    pub suggestion_threshold: f32,
    /// Repeats of what is tagged in every article, not only the open one.
    pub repeats_everywhere: bool,
    /// Whether the model learns from the annotations and suggests.
    pub suggestion_model: bool,
    /// The user's name ("Your name"): exports carry it as the annotator.
    pub annotator: String,
}

impl Default for UiPrefs {
    fn default() -> Self {
        UiPrefs {
            article: None,
            snap_to_words: true,
            suggestions: true,
            suggestion_threshold: annotator_core::suggest::Filter::default().threshold,
            repeats_everywhere: false,
            suggestion_model: true,
            annotator: String::new(),
        }
    }
}

/// Reads UI preferences; unreadable or missing ones give the defaults (they
/// hold no work, so nothing is lost).
pub fn load_prefs() -> UiPrefs {
    get(UI_KEY)
        .ok()
        .flatten()
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default()
}

/// Saves UI preferences; failures are ignored (they hold no work).
pub fn save_prefs(prefs: &UiPrefs) {
    if let Ok(json) = serde_json::to_string(prefs) {
        let _ = set(UI_KEY, &json);
    }
}

/// Where rejected suggestions are saved (per article: see
/// `annotator_core::suggest::Rejected`).
pub const REJECTED_KEY: &str = "article-annotator.rejected";
/// Where rejections that could not be read are kept (never over an
/// earlier copy: the user's choices stay readable by hand).
pub const REJECTED_UNREADABLE_KEY: &str = "article-annotator.rejected.unreadable";

/// The saved rejections, if any.
pub fn load_rejected() -> Option<String> {
    get(REJECTED_KEY).ok().flatten()
}

/// Saves the rejections.
pub fn save_rejected(json: &str) -> Result<(), StorageError> {
    set(REJECTED_KEY, json)
}

/// Keeps rejections that could not be read under another key (a free one:
/// `…unreadable`, then `…unreadable.2` … `.9`; never over an earlier copy
/// of other data), so the next save does not overwrite them unseen. False
/// when they could not be kept (then nothing may write the rejections).
pub fn keep_unreadable_rejected(raw: &str) -> bool {
    for n in 1..=9 {
        let key = if n == 1 {
            REJECTED_UNREADABLE_KEY.to_string()
        } else {
            format!("{REJECTED_UNREADABLE_KEY}.{n}")
        };
        match get(&key) {
            Ok(Some(existing)) if existing == raw => return true,
            Ok(Some(_)) => continue,
            Ok(None) => return set(&key, raw).is_ok(),
            Err(_) => return false,
        }
    }
    false
}

/// The current time as RFC 3339 UTC with milliseconds
/// (`2026-11-26T10:00:00.123Z`), so edits in one second keep their order.
pub fn now() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Bytes this site's localStorage holds (keys and values, as the UTF-16 the
/// browser stores) and the usual per-site limit (10 MiB in Chromium, the
/// same order elsewhere; no browser reports the exact figure). Lengths are
/// read as JS string lengths, so no value is copied into WebAssembly.
pub fn usage() -> Option<(usize, usize)> {
    use wasm_bindgen::JsCast;
    const QUOTA: usize = 10 * 1024 * 1024;
    let storage = storage().ok()?;
    let n = storage.length().ok()?;
    let get_item = js_sys::Reflect::get(&storage, &JsValue::from_str("getItem"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let mut units = 0usize;
    for i in 0..n {
        if let Ok(Some(key)) = storage.key(i) {
            let value = get_item
                .call1(&storage, &JsValue::from_str(&key))
                .ok()
                .and_then(|v| v.dyn_into::<js_sys::JsString>().ok())
                .map(|v| v.length() as usize)
                .unwrap_or(0);
            units += key.encode_utf16().count() + value;
        }
    }
    Some((units * 2, QUOTA))
}
