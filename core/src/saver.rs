//! Saving: the read-revision → merge → write protocol over a key-value
//! [`Backend`] (the browser's localStorage in the app, [`MemoryBackend`] in
//! tests, where two savers on one backend stand for two tabs).
//!
//! Keys (documented in the README):
//! - [`DATA_KEY`]: the workspace as a native file (FORMAT.md);
//! - [`REV_KEY`]: a revision tag written with every save, so a tab knows when
//!   another tab saved and merges before writing;
//! - [`BACKUP_KEY`] (and `…-2`, `…-3` …): saved data that could not be read,
//!   moved aside untouched so that a later save cannot overwrite it;
//! - [`OLD_VERSION_KEY`]: a copy of saved data of an older format version
//!   (version 1), kept from its load until the first save in the current
//!   version succeeds;
//! - [`UI_KEY`]: small UI preferences (not written here).
//!
//! Invariants:
//! - **Nothing is lost.** Data under [`DATA_KEY`] that cannot be read is
//!   copied to a backup key before anything is written there; if even that
//!   copy fails, the saver is *blocked* and never writes [`DATA_KEY`] again
//!   until the user discards the unreadable data ([`Saver::unblock`]).
//! - **No tab overwrites another's work.** A save reads the revision tag
//!   first; when another tab wrote since this saver last did (or loaded), it
//!   reads and merges the stored workspace by id before writing.
//! - A failed write changes nothing in memory: the workspace keeps every edit
//!   and the error is returned for the UI to show.

use std::collections::BTreeMap;
use std::fmt;

use crate::catalog::Catalog;
use crate::formats::native;
use crate::workspace::{JsonCache, LoadReport, Workspace};

/// Where the workspace is saved.
pub const DATA_KEY: &str = "article-annotator.annotations";
/// Where UI preferences are saved.
pub const UI_KEY: &str = "article-annotator.ui";
/// The revision tag written with every save.
pub const REV_KEY: &str = "article-annotator.rev";
/// Where unreadable saved data is moved aside (then `-2`, `-3` …).
pub const BACKUP_KEY: &str = "article-annotator.annotations.unreadable";
/// Where saved data of an older format version is copied when it is
/// loaded, until the first save in the current version succeeds (then the
/// copy is removed).
pub const OLD_VERSION_KEY: &str = "article-annotator.annotations.v1";
/// How many backup keys are tried before saving is blocked.
const BACKUP_SLOTS: usize = 99;

/// Why storage could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// No storage at all (blocked, private mode, not a browser).
    Unavailable(String),
    /// The backend refused the write (usually: storage is full).
    WriteRefused(String),
    /// Saving is blocked until unreadable data is downloaded or discarded.
    Blocked,
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Unavailable(why) => write!(f, "browser storage is unavailable ({why})"),
            StorageError::WriteRefused(why) => write!(
                f,
                "the browser refused to save, storage may be full ({why})"
            ),
            StorageError::Blocked => write!(
                f,
                "saving is paused so that unreadable saved data is not overwritten"
            ),
        }
    }
}

impl std::error::Error for StorageError {}

/// A key-value store of strings: localStorage, or memory in tests.
pub trait Backend {
    /// The value under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    /// Stores `value` under `key`.
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError>;
    /// Removes `key`.
    fn remove(&mut self, key: &str) -> Result<(), StorageError>;
    /// The first `n` characters (at most) of the value under `key` (`None`
    /// when there is no value). By default the whole value is read and cut;
    /// a backend can read only the head (the app's localStorage does: a
    /// saved file is megabytes; it counts UTF-16 units, a surrogate pair cut
    /// in two ending in U+FFFD).
    fn head(&self, key: &str, n: usize) -> Result<Option<String>, StorageError> {
        Ok(self.get(key)?.map(|v| v.chars().take(n).collect()))
    }
    /// Copies the value under `from` to `to`; false when there is none. By
    /// default through [`get`](Backend::get) and [`set`](Backend::set); the
    /// app's localStorage copies within the browser, so a saved file is not
    /// brought into wasm memory (whose size keeps its highest mark) only to
    /// be written back.
    fn copy(&mut self, from: &str, to: &str) -> Result<bool, StorageError> {
        match self.get(from)? {
            Some(value) => self.set(to, &value).map(|()| true),
            None => Ok(false),
        }
    }
}

/// Storage in memory, shared by clones (two savers on clones of one backend
/// are two tabs on one browser profile). It can be made to fail: refuse
/// writes over a quota, refuse every write, or be unavailable.
#[derive(Debug, Clone, Default)]
pub struct MemoryBackend {
    inner: std::rc::Rc<std::cell::RefCell<MemoryInner>>,
}

#[derive(Debug, Default)]
struct MemoryInner {
    values: BTreeMap<String, String>,
    quota: Option<usize>,
    refuse_writes: bool,
    unavailable: bool,
    writes: Vec<String>,
}

impl MemoryBackend {
    /// An empty store.
    pub fn new() -> MemoryBackend {
        MemoryBackend::default()
    }

    /// Refuses writes that would make the stored keys and values longer
    /// than `chars` characters in all (as a full localStorage does).
    pub fn set_quota(&self, chars: Option<usize>) {
        self.inner.borrow_mut().quota = chars;
    }

    /// Refuses every write (or stops refusing).
    pub fn refuse_writes(&self, refuse: bool) {
        self.inner.borrow_mut().refuse_writes = refuse;
    }

    /// Makes every call fail as if there were no storage at all.
    pub fn set_unavailable(&self, unavailable: bool) {
        self.inner.borrow_mut().unavailable = unavailable;
    }

    /// The keys written so far, in order (for tests).
    pub fn writes(&self) -> Vec<String> {
        self.inner.borrow().writes.clone()
    }

    /// The value under `key` (for tests; never fails).
    pub fn peek(&self, key: &str) -> Option<String> {
        self.inner.borrow().values.get(key).cloned()
    }

    /// Puts a value in directly (for tests; ignores quotas).
    pub fn put(&self, key: &str, value: &str) {
        self.inner
            .borrow_mut()
            .values
            .insert(key.to_string(), value.to_string());
    }
}

impl Backend for MemoryBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        let inner = self.inner.borrow();
        if inner.unavailable {
            return Err(StorageError::Unavailable("no storage".into()));
        }
        Ok(inner.values.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        let mut inner = self.inner.borrow_mut();
        if inner.unavailable {
            return Err(StorageError::Unavailable("no storage".into()));
        }
        if inner.refuse_writes {
            return Err(StorageError::WriteRefused("QuotaExceededError".into()));
        }
        if let Some(quota) = inner.quota {
            let used: usize = inner
                .values
                .iter()
                .filter(|(k, _)| k.as_str() != key)
                .map(|(k, v)| k.chars().count() + v.chars().count())
                .sum();
            if used + key.chars().count() + value.chars().count() > quota {
                return Err(StorageError::WriteRefused("QuotaExceededError".into()));
            }
        }
        inner.values.insert(key.to_string(), value.to_string());
        inner.writes.push(key.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        let mut inner = self.inner.borrow_mut();
        if inner.unavailable {
            return Err(StorageError::Unavailable("no storage".into()));
        }
        inner.values.remove(key);
        Ok(())
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

/// What loading found.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The workspace to start with.
    pub workspace: Workspace,
    /// What anchoring found (moved, newly orphaned annotations).
    pub report: LoadReport,
    /// Set when saving is impossible from the start.
    pub error: Option<StorageError>,
    /// Saved data that could not be read, if any.
    pub unreadable: Option<Unreadable>,
}

/// What a save did besides writing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Saved {
    /// Another tab's work was merged into the workspace (redraw it).
    pub merged: bool,
    /// Stored data that could not be read was moved aside first.
    pub unreadable: Option<Unreadable>,
}

/// What merging another tab's save (a `storage` event) did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// The workspace changed (redraw it).
    pub changed: bool,
    /// This tab holds something the other did not: save back.
    pub save_back: bool,
}

/// Timing hooks around the steps of loading (the app marks them for the
/// benchmark); the default does nothing.
pub trait Probe {
    /// A step starts.
    fn start(&self, _step: &'static str) {}
    /// A step ends.
    fn end(&self, _step: &'static str) {}
}

/// The probe that does nothing.
pub struct NoProbe;
impl Probe for NoProbe {}

/// The save protocol over one backend (one tab's saver).
#[derive(Debug)]
pub struct Saver<B: Backend> {
    backend: B,
    /// The revision tag this saver last wrote or saw at load.
    last_rev: Option<String>,
    /// Serialised annotations, so a save re-serialises only what changed.
    cache: JsonCache,
    /// True when [`DATA_KEY`] must not be written (see the module doc).
    blocked: bool,
    /// True from loading data of an older version until the first save in
    /// this version succeeds.
    upgrading: bool,
}

impl<B: Backend> Saver<B> {
    /// A saver over `backend` (nothing is read yet).
    pub fn new(backend: B) -> Saver<B> {
        Saver {
            backend,
            last_rev: None,
            cache: JsonCache::default(),
            blocked: false,
            upgrading: false,
        }
    }

    /// The backend (for UI preferences and the storage meter).
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The backend, mutably.
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    /// True when saving is blocked (unreadable data could not be moved aside).
    pub fn is_blocked(&self) -> bool {
        self.blocked
    }

    /// Reads the saved workspace, anchoring it in `catalog`. Never fails:
    /// problems are in the result and the app starts with what could be
    /// read. Unreadable data is moved aside (or, if that fails, the saver
    /// blocks).
    pub fn load(&mut self, catalog: &Catalog, probe: &dyn Probe) -> Loaded {
        let fresh = |error, unreadable| Loaded {
            workspace: Workspace::new(),
            report: LoadReport::default(),
            error,
            unreadable,
        };
        self.last_rev = self.backend.get(REV_KEY).ok().flatten();
        probe.start("aa-load-read");
        let raw = match self.backend.get(DATA_KEY) {
            Ok(Some(raw)) => raw,
            Ok(None) => return fresh(None, None),
            Err(e) => return fresh(Some(e), None),
        };
        probe.end("aa-load-read");
        probe.start("aa-load-parse");
        let file = native::read(&raw);
        probe.end("aa-load-parse");
        match file {
            Ok(file) => {
                // Data of an older version is copied aside before this
                // version first writes over it: when the browser is idle
                // after the load ([`keep_old_version`]) or at the first save,
                // whichever comes first (copying megabytes into storage
                // would slow the first screen).
                //
                // [`keep_old_version`]: Saver::keep_old_version
                self.upgrading = native::stored_version(&raw).is_some_and(|v| v < native::VERSION);
                probe.start("aa-load-anchor");
                let (workspace, report) = Workspace::from_native(file, catalog);
                probe.end("aa-load-anchor");
                Loaded {
                    workspace,
                    report,
                    error: None,
                    unreadable: None,
                }
            }
            Err(e) => {
                let reason = e.to_string();
                match self.move_aside(&raw) {
                    Ok(key) => {
                        // Safe under the backup key now: free the data key.
                        let _ = self.backend.remove(DATA_KEY);
                        fresh(None, Some(Unreadable { reason, key, raw }))
                    }
                    Err(_) => {
                        self.blocked = true;
                        fresh(
                            Some(StorageError::Blocked),
                            Some(Unreadable {
                                reason,
                                key: DATA_KEY.to_string(),
                                raw,
                            }),
                        )
                    }
                }
            }
        }
    }

    /// Saves `workspace`: if another tab wrote since, reads what is stored
    /// and merges it in by id first (moving unreadable data aside), then
    /// writes the whole file and a new revision tag `rev`.
    pub fn save(
        &mut self,
        workspace: &mut Workspace,
        catalog: &Catalog,
        now: &str,
        rev: &str,
        probe: &dyn Probe,
    ) -> Result<Saved, StorageError> {
        if self.blocked {
            return Err(StorageError::Blocked);
        }
        let mut saved = Saved::default();
        let stored_rev = self.backend.get(REV_KEY)?;
        // Same tag as this saver last saw (both absent: storage holds exactly
        // what it loaded): no other tab saved since.
        if stored_rev != self.last_rev {
            if let Some(raw) = self.backend.get(DATA_KEY)? {
                match native::read(&raw) {
                    Ok(file) => {
                        let (stored, _) = Workspace::from_native(file, catalog);
                        saved.merged = workspace.merge_from(&stored);
                    }
                    Err(e) => match self.move_aside(&raw) {
                        Ok(key) => {
                            saved.unreadable = Some(Unreadable {
                                reason: e.to_string(),
                                key,
                                raw,
                            })
                        }
                        Err(_) => {
                            self.blocked = true;
                            return Err(StorageError::Blocked);
                        }
                    },
                }
            }
        }
        self.keep_old_version();
        probe.start("aa-save-json");
        let json = workspace.to_native_json(now, &mut self.cache);
        probe.end("aa-save-json");
        self.backend.set(DATA_KEY, &json)?;
        self.backend.set(REV_KEY, rev)?;
        self.last_rev = Some(rev.to_string());
        if self.upgrading && self.backend.remove(OLD_VERSION_KEY).is_ok() {
            self.upgrading = false;
        }
        Ok(saved)
    }

    /// Copies saved data of an older format version to [`OLD_VERSION_KEY`]
    /// (unless a copy is there), where it stays until the first save in
    /// this version succeeds. Called when the browser is idle after a load,
    /// and by [`save`](Self::save) before it writes. If storage is too full
    /// for the copy, the data still loaded and saving goes on.
    pub fn keep_old_version(&mut self) {
        // Whether a copy is there already: its head only (a copy is as long
        // as the saved file).
        if !self.upgrading || !matches!(self.backend.head(OLD_VERSION_KEY, 0), Ok(None)) {
            return;
        }
        // The version is written in the file's first few hundred bytes
        // (`stored_version`), so only they are read.
        if let Ok(Some(head)) = self.backend.head(DATA_KEY, 300) {
            if native::stored_version(&head).is_some_and(|v| v < native::VERSION) {
                let _ = self.backend.copy(DATA_KEY, OLD_VERSION_KEY);
            }
        }
    }

    /// Serialises the workspace once ahead of the first save (when the
    /// browser is idle), so that save is quick too.
    pub fn warm(&mut self, workspace: &Workspace, now: &str) {
        let _ = workspace.to_native_json(now, &mut self.cache);
    }

    /// Removes unreadable data the user chose to discard (under `key`) and,
    /// if it blocked saving, unblocks.
    pub fn discard(&mut self, key: &str) -> Result<(), StorageError> {
        self.backend.remove(key)?;
        if key == DATA_KEY {
            self.blocked = false;
        }
        Ok(())
    }

    /// Lets saving write again after the user dealt with unreadable data.
    pub fn unblock(&mut self) {
        self.blocked = false;
    }

    /// Copies unreadable data to a free backup key (or finds it already
    /// there) and returns that key.
    fn move_aside(&mut self, raw: &str) -> Result<String, StorageError> {
        for n in 1..=BACKUP_SLOTS {
            let key = if n == 1 {
                BACKUP_KEY.to_string()
            } else {
                format!("{BACKUP_KEY}-{n}")
            };
            match self.backend.get(&key)? {
                Some(existing) if existing == raw => return Ok(key),
                Some(_) => continue,
                None => {
                    self.backend.set(&key, raw)?;
                    return Ok(key);
                }
            }
        }
        Err(StorageError::Blocked)
    }
}

/// Merges what another tab saved (`raw`, the data key's new value) into
/// `workspace` by id. Unreadable or removed data is left to the next save,
/// which moves it aside.
pub fn merge_incoming(workspace: &mut Workspace, raw: &str, catalog: &Catalog) -> Merged {
    let Ok(file) = native::read(raw) else {
        return Merged::default();
    };
    let (incoming, _) = Workspace::from_native(file, catalog);
    let changed = workspace.merge_from(&incoming);
    Merged {
        changed,
        save_back: !workspace.same_content(&incoming),
    }
}
