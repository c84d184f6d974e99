//! The only module that touches localStorage.
//!
//! Keys (documented in README):
//! - [`DATA_KEY`]: the workspace as a native file (FORMAT.md, version 1);
//! - [`UI_KEY`]: small UI preferences (open article, snap to words);
//! - [`BACKUP_KEY`] (and `…-2`, `…-3` …): saved data that could not be read,
//!   moved aside untouched so that a later save cannot overwrite it.
//!
//! Nothing is lost: when stored data cannot be read, it is copied to a
//! backup key before anything is written; if even that copy fails, saving is
//! blocked (the work stays in memory and the UI offers an export) until the
//! user downloads or discards the unreadable data.
//!
//! gloo-storage's `LocalStorage::raw()` panics when storage is unavailable,
//! so every access goes through [`storage()`], which checks first.

use annotator_core::catalog::Catalog;
use annotator_core::formats::native;
use annotator_core::workspace::{JsonCache, LoadReport, Workspace};
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// Where the workspace is saved.
pub const DATA_KEY: &str = "article-annotator.annotations";
/// Where UI preferences are saved.
pub const UI_KEY: &str = "article-annotator.ui";
/// A small revision tag written with every save: a tab that finds a tag it
/// did not write knows another tab saved and merges before writing.
pub const REV_KEY: &str = "article-annotator.rev";
/// Where unreadable saved data is moved aside.
pub const BACKUP_KEY: &str = "article-annotator.annotations.unreadable";

/// Why storage could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// No localStorage (blocked, private mode, not a browser).
    Unavailable(String),
    /// The browser refused the write (usually: storage is full).
    WriteRefused(String),
    /// Saving is blocked until unreadable data is downloaded or discarded.
    Blocked,
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Unavailable(why) => write!(f, "browser storage is unavailable ({why})"),
            StorageError::WriteRefused(why) => {
                write!(
                    f,
                    "the browser refused to save, storage may be full ({why})"
                )
            }
            StorageError::Blocked => write!(
                f,
                "saving is paused so that unreadable saved data is not overwritten"
            ),
        }
    }
}

/// Saved data that could not be read, kept untouched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Why it could not be read.
    pub reason: String,
    /// The key it is kept under now.
    pub key: String,
    /// Its text, for download.
    pub raw: String,
}

/// What start-up found in storage.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The workspace to start with.
    pub workspace: Workspace,
    /// What anchoring found (moved, orphaned annotations).
    pub report: LoadReport,
    /// Set when saving is impossible from the start.
    pub error: Option<StorageError>,
    /// Saved data that could not be read, if any.
    pub unreadable: Option<Unreadable>,
    /// True when saving must not write [`DATA_KEY`] (see [`Unreadable`]).
    pub blocked: bool,
    /// The readable text it was loaded from.
    pub raw: Option<String>,
}

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

/// Reads the saved workspace. Never fails: problems are reported in the
/// result and the app starts with what could be read.
pub fn load(catalog: &Catalog) -> Loaded {
    let fresh = |error, unreadable, blocked| Loaded {
        workspace: Workspace::new(),
        report: LoadReport::default(),
        error,
        unreadable,
        blocked,
        raw: None,
    };
    crate::perf::start("aa-load-read");
    let raw = match get(DATA_KEY) {
        Ok(Some(raw)) => raw,
        Ok(None) => return fresh(None, None, false),
        Err(e) => return fresh(Some(e), None, false),
    };
    crate::perf::measure("aa-load-read");
    crate::perf::start("aa-load-parse");
    let file = native::read(&raw);
    crate::perf::measure("aa-load-parse");
    match file {
        Ok(file) => {
            crate::perf::start("aa-load-anchor");
            let (workspace, report) = Workspace::from_native(file, catalog);
            crate::perf::measure("aa-load-anchor");
            Loaded {
                workspace,
                report,
                error: None,
                unreadable: None,
                blocked: false,
                raw: Some(raw),
            }
        }
        Err(e) => {
            let reason = e.to_string();
            match move_aside(&raw) {
                Ok(key) => {
                    // Safe under the backup key now: free the data key.
                    let _ = discard(DATA_KEY);
                    fresh(None, Some(Unreadable { reason, key, raw }), false)
                }
                Err(_) => fresh(
                    Some(StorageError::Blocked),
                    Some(Unreadable {
                        reason,
                        key: DATA_KEY.to_string(),
                        raw,
                    }),
                    true,
                ),
            }
        }
    }
}

/// What the data key holds right now.
pub enum Stored {
    /// Nothing.
    Missing,
    /// A readable workspace.
    Readable(Workspace),
    /// Data that cannot be read (its text and why).
    Unreadable(String, String),
}

/// Parses data-key text (e.g. a `storage` event's new value).
pub fn parse_stored(raw: &str, catalog: &Catalog) -> Stored {
    match native::read(raw) {
        Ok(file) => Stored::Readable(Workspace::from_native(file, catalog).0),
        Err(e) => Stored::Unreadable(raw.to_string(), e.to_string()),
    }
}

/// Moves unreadable data aside (see [`BACKUP_KEY`]); returns where it is kept.
pub fn keep_unreadable(raw: &str, reason: String) -> Result<Unreadable, StorageError> {
    let key = move_aside(raw)?;
    Ok(Unreadable {
        reason,
        key,
        raw: raw.to_string(),
    })
}

/// Copies unreadable data to a free backup key (or finds it already there)
/// and returns that key.
fn move_aside(raw: &str) -> Result<String, StorageError> {
    for n in 1..100 {
        let key = if n == 1 {
            BACKUP_KEY.to_string()
        } else {
            format!("{BACKUP_KEY}-{n}")
        };
        match get(&key)? {
            Some(existing) if existing == raw => return Ok(key),
            Some(_) => continue,
            None => {
                set(&key, raw)?;
                return Ok(key);
            }
        }
    }
    Err(StorageError::Blocked)
}

/// Removes data kept under `key` (the user chose to discard it).
pub fn discard(key: &str) -> Result<(), StorageError> {
    storage()?
        .remove_item(key)
        .map_err(|e| StorageError::WriteRefused(js_message(&e)))
}

/// Writes the workspace as a native file (callers merge first: see
/// `AppState::save`).
pub fn save(
    workspace: &Workspace,
    now: &str,
    cache: &mut JsonCache,
    rev: &str,
) -> Result<(), StorageError> {
    crate::perf::start("aa-save-json");
    let json = workspace.to_native_json(now, cache);
    crate::perf::measure("aa-save-json");
    set(DATA_KEY, &json)?;
    set(REV_KEY, rev)
}

/// The revision tag of the last save by any tab.
pub fn read_rev() -> Result<Option<String>, StorageError> {
    get(REV_KEY)
}

/// The raw text under the data key, if any (read only when another tab
/// saved since this one last did).
pub fn read_raw() -> Result<Option<String>, StorageError> {
    get(DATA_KEY)
}

/// UI preferences, saved apart from the annotations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiPrefs {
    /// The open article's id.
    pub article: Option<String>,
    /// Whether selections snap to whole words.
    pub snap_to_words: bool,
}

impl Default for UiPrefs {
    fn default() -> Self {
        UiPrefs {
            article: None,
            snap_to_words: true,
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
