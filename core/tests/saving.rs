//! The save protocol (`saver`), natively: two savers on one memory backend
//! stand for two tabs; a backend that is full or missing; unreadable data
//! moved aside; a blocked data key never written.

use annotator_core::edit::{self, Edit};
use annotator_core::ids::{AnnotationId, ArticleId, Timestamp};
use annotator_core::saver::{
    merge_incoming, Backend, MemoryBackend, NoProbe, Saver, StorageError, BACKUP_KEY, DATA_KEY,
    REV_KEY,
};
use annotator_core::{Catalog, Label, Span, Workspace};

const TEXT: &str =
    "Summary line\nSeoul and Tokyo agree\n\nShinjiro Koizumi met Ahn Gyu-back in Yokosuka.";

fn seeds() -> Catalog {
    Catalog::from_seeds(&[("a", TEXT)]).0
}

/// Tags the first occurrence of `quote` as an entity with id `id`.
fn tag(ws: &mut Workspace, catalog: &Catalog, id: &str, quote: &str, now: &str) {
    let article = catalog.get("a").expect("seed");
    let byte = article.text().find(quote).expect("quote in text");
    let start = article.text()[..byte].chars().count();
    let span = Span::new(start, start + quote.chars().count(), article.len()).expect("span");
    let set = ws.set("a").cloned().unwrap_or_default();
    let change = edit::create(
        &set,
        &ArticleId::from("a"),
        article.text(),
        Label::Entity,
        span,
        AnnotationId::from(&id),
        &Timestamp::from(&now),
    )
    .expect("create");
    ws.apply(catalog, &Edit::one("tag", change), now);
}

fn ids(ws: &Workspace) -> Vec<String> {
    ws.set("a")
        .map(|s| s.items().iter().map(|a| a.id.clone()).collect())
        .unwrap_or_default()
}

fn stored_ids(backend: &MemoryBackend, catalog: &Catalog) -> Vec<String> {
    let raw = backend.peek(DATA_KEY).expect("saved");
    let file = annotator_core::formats::native::read(&raw).expect("readable");
    ids(&Workspace::from_native(file, catalog).0)
}

#[test]
fn two_tabs_saving_in_turn_keep_both_edits() {
    let catalog = seeds();
    let backend = MemoryBackend::new();
    let mut tab_a = Saver::new(backend.clone());
    let mut tab_b = Saver::new(backend.clone());
    let mut a = tab_a.load(&catalog, &NoProbe).workspace;
    let mut b = tab_b.load(&catalog, &NoProbe).workspace;

    // (tab, annotation, stored afterwards, merged?)
    let steps: &[(char, &str, &[&str], bool)] = &[
        ('a', "Seoul", &["seoul"], false),
        ('b', "Tokyo", &["seoul", "tokyo"], true),
        ('a', "Koizumi", &["seoul", "tokyo", "koizumi"], true),
        (
            'a',
            "Yokosuka",
            &["seoul", "tokyo", "koizumi", "yokosuka"],
            false,
        ),
    ];
    for (n, (tab, quote, expected, merged)) in steps.iter().enumerate() {
        let now = format!("2026-11-28T10:00:0{n}.000Z");
        let id = quote.to_lowercase();
        let (ws, saver) = if *tab == 'a' {
            (&mut a, &mut tab_a)
        } else {
            (&mut b, &mut tab_b)
        };
        tag(ws, &catalog, &id, quote, &now);
        let saved = saver
            .save(ws, &catalog, &now, &format!("rev-{n}"), &NoProbe)
            .expect("saved");
        assert_eq!(saved.merged, *merged, "step {n}: merged");
        let mut got = stored_ids(&backend, &catalog);
        got.sort();
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "step {n}: stored");
        assert_eq!(backend.peek(REV_KEY), Some(format!("rev-{n}")));
    }
}

#[test]
fn a_save_with_no_other_writer_does_not_read_or_merge() {
    let catalog = seeds();
    let backend = MemoryBackend::new();
    let mut saver = Saver::new(backend.clone());
    let mut ws = saver.load(&catalog, &NoProbe).workspace;
    tag(&mut ws, &catalog, "s", "Seoul", "t1");
    let first = saver.save(&mut ws, &catalog, "t1", "r1", &NoProbe);
    assert_eq!(first.map(|s| s.merged), Ok(false));
    // Something else changes the data but not the revision tag: this saver
    // trusts its tag and writes without merging.
    backend.put(DATA_KEY, "not read");
    tag(&mut ws, &catalog, "t", "Tokyo", "t2");
    assert!(saver.save(&mut ws, &catalog, "t2", "r2", &NoProbe).is_ok());
    assert_eq!(stored_ids(&backend, &catalog), ["s", "t"]);
}

#[test]
fn a_full_or_missing_backend_keeps_the_edit_in_memory_and_says_why() {
    let catalog = seeds();
    // (what fails, expected error kind)
    type Fault = fn(&MemoryBackend);
    let cases: &[(&str, Fault, &str)] = &[
        ("full", |b| b.set_quota(Some(200)), "refused"),
        ("refusing", |b| b.refuse_writes(true), "refused"),
        ("missing", |b| b.set_unavailable(true), "unavailable"),
    ];
    for (name, fault, kind) in cases {
        let backend = MemoryBackend::new();
        let mut saver = Saver::new(backend.clone());
        let mut ws = saver.load(&catalog, &NoProbe).workspace;
        fault(&backend);
        tag(&mut ws, &catalog, "s", "Seoul", "t1");
        let err = saver
            .save(&mut ws, &catalog, "t1", "r1", &NoProbe)
            .expect_err(name);
        let got = match err {
            StorageError::WriteRefused(_) => "refused",
            StorageError::Unavailable(_) => "unavailable",
            StorageError::Blocked => "blocked",
        };
        assert_eq!(got, *kind, "{name}");
        assert_eq!(ids(&ws), ["s"], "{name}: the edit stays in memory");
        // Once the backend works again, the next save writes it.
        backend.set_quota(None);
        backend.refuse_writes(false);
        backend.set_unavailable(false);
        assert!(saver.save(&mut ws, &catalog, "t2", "r2", &NoProbe).is_ok());
        assert_eq!(stored_ids(&backend, &catalog), ["s"], "{name}");
    }
    // No storage at all from the start: load says so and starts empty.
    let backend = MemoryBackend::new();
    backend.set_unavailable(true);
    let loaded = Saver::new(backend).load(&catalog, &NoProbe);
    assert!(matches!(loaded.error, Some(StorageError::Unavailable(_))));
    assert!(loaded.workspace.entries().is_empty());
}

#[test]
fn unreadable_data_is_moved_aside_before_anything_is_written() {
    let catalog = seeds();
    // (what the data key holds, where it is kept)
    let cases: &[(&str, &str)] = &[
        ("{ not json", BACKUP_KEY),
        (
            r#"{"format":"article-annotator","version":99,"articles":[]}"#,
            BACKUP_KEY,
        ),
        (r#"{"something":"else"}"#, BACKUP_KEY),
    ];
    for (raw, kept_under) in cases {
        let backend = MemoryBackend::new();
        backend.put(DATA_KEY, raw);
        let mut saver = Saver::new(backend.clone());
        let loaded = saver.load(&catalog, &NoProbe);
        let unreadable = loaded.unreadable.expect("reported");
        assert_eq!(unreadable.key, *kept_under, "{raw}");
        assert_eq!(unreadable.raw, *raw);
        assert_eq!(backend.peek(kept_under).as_deref(), Some(*raw));
        assert_eq!(backend.peek(DATA_KEY), None, "the data key is freed");
        assert!(!saver.is_blocked());
        let mut ws = loaded.workspace;
        tag(&mut ws, &catalog, "s", "Seoul", "t1");
        assert!(saver.save(&mut ws, &catalog, "t1", "r1", &NoProbe).is_ok());
        assert_eq!(backend.peek(kept_under).as_deref(), Some(*raw), "kept");
    }
    // A second unreadable text goes to the next free backup key; the same
    // text again is found where it is.
    let backend = MemoryBackend::new();
    backend.put(BACKUP_KEY, "older garbage");
    backend.put(DATA_KEY, "new garbage");
    let loaded = Saver::new(backend.clone()).load(&catalog, &NoProbe);
    assert_eq!(
        loaded.unreadable.map(|u| u.key),
        Some(format!("{BACKUP_KEY}-2"))
    );
    backend.put(DATA_KEY, "new garbage");
    let loaded = Saver::new(backend.clone()).load(&catalog, &NoProbe);
    assert_eq!(
        loaded.unreadable.map(|u| u.key),
        Some(format!("{BACKUP_KEY}-2"))
    );
}

#[test]
fn another_tab_writing_unreadable_data_has_it_moved_aside_on_the_next_save() {
    let catalog = seeds();
    let backend = MemoryBackend::new();
    let mut saver = Saver::new(backend.clone());
    let mut ws = saver.load(&catalog, &NoProbe).workspace;
    tag(&mut ws, &catalog, "s", "Seoul", "t1");
    assert!(saver.save(&mut ws, &catalog, "t1", "r1", &NoProbe).is_ok());
    backend.put(DATA_KEY, "garbage from elsewhere");
    backend.put(REV_KEY, "someone else");
    let saved = saver
        .save(&mut ws, &catalog, "t2", "r2", &NoProbe)
        .expect("saved");
    assert_eq!(saved.unreadable.map(|u| u.key).as_deref(), Some(BACKUP_KEY));
    assert_eq!(
        backend.peek(BACKUP_KEY).as_deref(),
        Some("garbage from elsewhere")
    );
    assert_eq!(stored_ids(&backend, &catalog), ["s"]);
}

#[test]
fn when_unreadable_data_cannot_be_moved_aside_the_data_key_is_never_written() {
    let catalog = seeds();
    let backend = MemoryBackend::new();
    backend.put(DATA_KEY, "{ garbage");
    backend.refuse_writes(true);
    let mut saver = Saver::new(backend.clone());
    let loaded = saver.load(&catalog, &NoProbe);
    assert_eq!(loaded.error, Some(StorageError::Blocked));
    assert_eq!(loaded.unreadable.map(|u| u.key).as_deref(), Some(DATA_KEY));
    assert!(saver.is_blocked());
    backend.refuse_writes(false);
    let mut ws = loaded.workspace;
    for n in 0..3 {
        tag(
            &mut ws,
            &catalog,
            &format!("x{n}"),
            ["Seoul", "Tokyo", "Yokosuka"][n],
            "t",
        );
        assert_eq!(
            saver.save(&mut ws, &catalog, "t", "r", &NoProbe),
            Err(StorageError::Blocked)
        );
    }
    assert_eq!(backend.peek(DATA_KEY).as_deref(), Some("{ garbage"));
    assert!(!backend.writes().iter().any(|k| k == DATA_KEY));
    // The user downloaded and discarded it: saving goes on.
    saver.unblock();
    assert!(saver.save(&mut ws, &catalog, "t", "r", &NoProbe).is_ok());
    assert_eq!(stored_ids(&backend, &catalog), ["x0", "x1", "x2"]);
}

#[test]
fn another_tabs_save_event_merges_and_says_whether_to_save_back() {
    let catalog = seeds();
    let backend = MemoryBackend::new();
    let mut other = Saver::new(backend.clone());
    let mut theirs = other.load(&catalog, &NoProbe).workspace;
    tag(&mut theirs, &catalog, "t", "Tokyo", "t1");
    assert!(other
        .save(&mut theirs, &catalog, "t1", "r1", &NoProbe)
        .is_ok());
    let raw = backend.peek(DATA_KEY).expect("saved");

    let mut mine = Workspace::new();
    let merged = merge_incoming(&mut mine, &raw, &catalog);
    assert!(merged.changed);
    assert!(!merged.save_back, "nothing of mine to add");
    tag(&mut mine, &catalog, "s", "Seoul", "t2");
    let merged = merge_incoming(&mut mine, &raw, &catalog);
    assert!(!merged.changed);
    assert!(merged.save_back, "mine has Seoul, theirs does not");
    // Unreadable: nothing happens here (the next save moves it aside).
    let merged = merge_incoming(&mut mine, "{ garbage", &catalog);
    assert_eq!(merged, Default::default());
    let mut b = backend.clone();
    assert!(b.remove(DATA_KEY).is_ok());
}

/// A version-1 saved state loads; a copy of it stays under
/// `OLD_VERSION_KEY` until the first version-2 save succeeds, and not after.
#[test]
fn a_version_1_state_is_kept_aside_until_the_first_version_2_save() {
    use annotator_core::saver::OLD_VERSION_KEY;
    let catalog = seeds();
    let mut ws = Workspace::new();
    tag(&mut ws, &catalog, "x", "Seoul", "2026-11-28T10:00:00.000Z");
    let v2 = ws.to_native_json("t", &mut Default::default());
    let v1 = v2
        .replace(r#""version":2"#, r#""version":1"#)
        .replace(r#","relations":[]"#, "");
    assert_ne!(v1, v2);
    let backend = MemoryBackend::new();
    backend.put(DATA_KEY, &v1);
    let mut saver = Saver::new(backend.clone());
    let mut loaded = saver.load(&catalog, &NoProbe);
    assert_eq!(ids(&loaded.workspace), ["x"]);
    // Copied when the app is idle after the load (not during it) …
    assert_eq!(backend.peek(OLD_VERSION_KEY), None);
    saver.keep_old_version();
    assert_eq!(backend.peek(OLD_VERSION_KEY).as_deref(), Some(v1.as_str()));
    // A save that fails keeps the copy …
    backend.refuse_writes(true);
    assert!(saver
        .save(&mut loaded.workspace, &catalog, "t2", "r1", &NoProbe)
        .is_err());
    backend.refuse_writes(false);
    assert_eq!(backend.peek(OLD_VERSION_KEY).as_deref(), Some(v1.as_str()));
    // … the first that succeeds removes it.
    saver
        .save(&mut loaded.workspace, &catalog, "t3", "r2", &NoProbe)
        .expect("saves");
    assert!(backend
        .peek(DATA_KEY)
        .expect("data")
        .contains(r#""version":2"#));
    assert_eq!(backend.peek(OLD_VERSION_KEY), None);
    // A version-2 state is not copied.
    let mut again = Saver::new(backend.clone());
    again.load(&catalog, &NoProbe);
    again.keep_old_version();
    assert_eq!(backend.peek(OLD_VERSION_KEY), None);
    // … or, if the first save comes before the idle time, by that save,
    // before it writes (a failed save leaves the copy).
    let old = MemoryBackend::new();
    old.put(DATA_KEY, &v1);
    let mut saver = Saver::new(old.clone());
    let mut loaded = saver.load(&catalog, &NoProbe);
    old.refuse_writes(true);
    assert!(saver
        .save(&mut loaded.workspace, &catalog, "t2", "r1", &NoProbe)
        .is_err());
    assert_eq!(old.peek(DATA_KEY).as_deref(), Some(v1.as_str()));
    old.refuse_writes(false);
    saver.keep_old_version();
    assert_eq!(old.peek(OLD_VERSION_KEY).as_deref(), Some(v1.as_str()));
}
