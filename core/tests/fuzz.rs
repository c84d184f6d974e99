//! Generated-input tests (proptest) for every parser and importer: arbitrary
//! bytes, and valid files with random mutations. Nothing may panic; a refusal
//! is an error value and changes nothing. Each block runs a fixed number of
//! cases (about two seconds in all on the project's machine).

use annotator_core::adding;
use annotator_core::formats::{import, native};
use annotator_core::{Article, Catalog, Workspace};
use proptest::prelude::*;

const SEED_ID: &str = "000_6ee9234a710e1662";
const SEED: &str = include_str!("data/seed.txt");
const NATIVE: &str = include_str!("data/golden/seed.native.json");
const W3C: &str = include_str!("data/golden/seed.w3c.jsonld");

fn catalog() -> Catalog {
    Catalog::from_seeds(&[(SEED_ID, SEED)]).0
}

/// A valid file with one random edit: a byte range replaced by random text.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    (0..base.len(), 0usize..40, ".{0,12}").prop_map(move |(at, len, insert)| {
        let mut s = base.to_string();
        let start = (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len).min(s.len());
        let end = (end..=s.len())
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(s.len());
        s.replace_range(start..end, &insert);
        s
    })
}

/// A valid file with one JSON number replaced (offsets, lengths, version).
fn renumbered(base: &'static str) -> impl Strategy<Value = String> {
    let numbers: Vec<(usize, usize)> = {
        let bytes = base.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() && i > 0 && (bytes[i - 1] == b' ' || bytes[i - 1] == b':')
            {
                let s = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                out.push((s, i));
            }
            i += 1;
        }
        out
    };
    (
        0..numbers.len(),
        prop_oneof![Just(u64::MAX), 0u64..5000, Just(0)],
    )
        .prop_map(move |(k, n)| {
            let (s, e) = numbers[k];
            format!("{}{n}{}", &base[..s], &base[e..])
        })
}

fn check_import(bytes: &[u8]) {
    let catalog = catalog();
    let ws = Workspace::new();
    let before = ws.clone();
    if let Ok(incoming) = import::read(bytes) {
        let _ = import::plan(incoming, &catalog, &ws, || "id".into());
    }
    assert_eq!(ws, before, "a read or plan changed the workspace");
    // The storage reader: the same text as saved data.
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(file) = native::read(text) {
            let (loaded, _) = Workspace::from_native(file, &catalog);
            let _ = loaded.to_native("now");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn articles_from_any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = Article::from_bytes("x", &bytes);
        let _ = adding::from_file(&bytes);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = adding::from_paste(text, text, text);
            let _ = adding::from_paste("", "", text);
        }
    }

    #[test]
    fn any_bytes_as_an_import_or_saved_data(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        check_import(&bytes);
    }

    #[test]
    fn mutated_native_files(text in mutated(NATIVE)) {
        check_import(text.as_bytes());
    }

    #[test]
    fn mutated_w3c_files(text in mutated(W3C)) {
        check_import(text.as_bytes());
    }

    #[test]
    fn renumbered_native_files(text in renumbered(NATIVE)) {
        check_import(text.as_bytes());
    }

    #[test]
    fn renumbered_w3c_files(text in renumbered(W3C)) {
        check_import(text.as_bytes());
    }
}
