//! The native file (FORMAT.md "The native file"), which is also the saved
//! state in localStorage: `{"format": "article-annotator", "version": 1, …}`.
//!
//! Reading checks `format` and `version` before anything else: a file of a
//! higher version is refused whole with [`NativeError::NewerVersion`], never
//! half-read. Unknown fields are kept (`extra`) and written back.
//!
//! This module owns the format: its wire types, [`read`] and [`write()`] (the
//! saved state), [`read_incoming`] (a file to import) and [`export`] (the
//! native export of a list of documents). Offsets are code points of the
//! canonical text (FORMAT.md).

use std::fmt;

use serde::de::DeserializeOwned;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::annotation::Annotation;
use crate::article::Article;
use crate::formats::export::Doc;
use crate::formats::import::{ImportError, Incoming};
use crate::label::Label;

/// The `format` value of every native file.
pub const FORMAT: &str = "article-annotator";
/// The version this program writes, and the highest it reads.
pub const VERSION: u64 = 1;

/// Entry key: whether the user marked the article done.
pub const DONE: &str = "done";
/// Entry key: when a user's article was (last) added.
pub const ADDED_AT: &str = "added_at";
/// Top-level key: removed user articles.
pub const REMOVED_ARTICLES: &str = "removed_articles";

/// A native file.
///
/// Written with its fields in declaration order, then the optional fields
/// this version adds to the format ([`REMOVED_ARTICLES`]) and the unknown
/// ones (`extra`) together, in the order of a JSON map (by key): the same
/// bytes as when those fields lived in `extra`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NativeFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] when written by this program.
    pub version: u64,
    /// RFC 3339 UTC.
    #[serde(default)]
    pub exported_at: String,
    /// One entry per article that has (or had) annotations.
    #[serde(default)]
    pub articles: Vec<NativeArticle>,
    /// User articles removed, and when, so that a merge with another tab's
    /// copy does not bring them back (an extension field; other readers
    /// ignore it).
    #[serde(default, deserialize_with = "lenient")]
    pub removed_articles: Vec<Tombstone>,
    /// Unknown fields, kept on round trip.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One article's entry in a native file.
///
/// Written like [`NativeFile`]: its fields in declaration order, then
/// [`ADDED_AT`] and [`DONE`] together with the unknown fields, by key.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NativeArticle {
    /// Article id.
    pub id: String,
    /// Headline.
    #[serde(default)]
    pub title: String,
    /// Hex SHA-256 of the canonical text the offsets refer to.
    #[serde(default)]
    pub text_sha256: String,
    /// Length of that text in code points.
    #[serde(default)]
    pub length: usize,
    /// The annotations.
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    /// Annotations that could not be anchored in the current text: kept,
    /// never dropped (an extension field; other readers ignore it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orphans: Vec<Annotation>,
    /// Ids of deleted annotations and when they were deleted, so that a
    /// merge with another tab's copy does not bring them back (an extension
    /// field; other readers ignore it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deleted: Vec<Tombstone>,
    /// The canonical text, for articles a user added.
    #[serde(default)]
    pub text: Option<String>,
    /// When a user's article was (last) added (RFC 3339 UTC), so that a
    /// removal in another tab earlier than that does not take it away.
    #[serde(default, deserialize_with = "lenient")]
    pub added_at: Option<String>,
    /// Whether the user marked the article done (written only when true).
    #[serde(default, deserialize_with = "lenient")]
    pub done: bool,
    /// Unknown fields, kept on round trip.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A field this version knows, read leniently: a value of the wrong shape
/// (written by hand or by another program) reads as absent instead of
/// refusing the whole file.
fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(d: D) -> Result<T, D::Error> {
    Ok(T::deserialize(Value::deserialize(d)?).unwrap_or_default())
}

/// Writes the fields after a native object's fixed ones: `known` (the
/// optional fields this version knows; `None` is left out) merged with the
/// unknown `extra`, in the JSON map's own order, as if they all were in it.
fn serialize_tail<M: SerializeMap>(
    map: &mut M,
    known: impl IntoIterator<Item = (&'static str, Option<Value>)>,
    extra: &Map<String, Value>,
) -> Result<(), M::Error> {
    let mut tail = extra.clone();
    for (key, value) in known {
        if let Some(value) = value {
            tail.insert(key.to_string(), value);
        }
    }
    for (key, value) in &tail {
        map.serialize_entry(key, value)?;
    }
    Ok(())
}

impl Serialize for NativeFile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("format", &self.format)?;
        map.serialize_entry("version", &self.version)?;
        map.serialize_entry("exported_at", &self.exported_at)?;
        map.serialize_entry("articles", &self.articles)?;
        let removed = (!self.removed_articles.is_empty())
            .then(|| serde_json::to_value(&self.removed_articles).ok())
            .flatten();
        serialize_tail(&mut map, [(REMOVED_ARTICLES, removed)], &self.extra)?;
        map.end()
    }
}

impl Serialize for NativeArticle {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("title", &self.title)?;
        map.serialize_entry("text_sha256", &self.text_sha256)?;
        map.serialize_entry("length", &self.length)?;
        map.serialize_entry("annotations", &self.annotations)?;
        if !self.orphans.is_empty() {
            map.serialize_entry("orphans", &self.orphans)?;
        }
        if !self.deleted.is_empty() {
            map.serialize_entry("deleted", &self.deleted)?;
        }
        if let Some(text) = &self.text {
            map.serialize_entry("text", text)?;
        }
        let known = [
            (ADDED_AT, self.added_at.clone().map(Value::from)),
            (DONE, self.done.then_some(Value::Bool(true))),
        ];
        serialize_tail(&mut map, known, &self.extra)?;
        map.end()
    }
}

impl NativeArticle {
    /// A new, empty entry for `article` (its head as [`describe`] writes
    /// it; no annotations, orphans, tombstones, text, marks or unknown
    /// fields).
    ///
    /// [`describe`]: NativeArticle::describe
    pub fn for_article(article: &Article) -> NativeArticle {
        let mut entry = NativeArticle {
            id: String::new(),
            title: String::new(),
            text_sha256: String::new(),
            length: 0,
            annotations: Vec::new(),
            orphans: Vec::new(),
            deleted: Vec::new(),
            text: None,
            added_at: None,
            done: false,
            extra: Map::new(),
        };
        entry.describe(article);
        entry
    }

    /// Writes `article`'s head into this entry: its id, its headline as the
    /// title, the hash and the length (code points) of its canonical text.
    pub fn describe(&mut self, article: &Article) {
        self.id = article.id().to_string();
        self.title = article.headline().to_string();
        self.text_sha256 = article.text_sha256();
        self.length = article.len();
    }
}

/// A deleted annotation's (or removed user article's) id and when it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    /// The annotation's id.
    pub id: String,
    /// When it was deleted or removed (RFC 3339 UTC).
    pub at: String,
}

/// Why a text is not a readable native file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NativeError {
    /// Not JSON at all.
    NotJson(String),
    /// JSON, but not an article-annotator file.
    NotNative,
    /// Written by a newer version of the app.
    NewerVersion(u64),
    /// The right format and version, but a field has the wrong shape.
    BadShape(String),
}

impl fmt::Display for NativeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NativeError::NotJson(e) => write!(f, "it is not valid JSON ({e})"),
            NativeError::NotNative => {
                write!(f, "it is not an Article Annotator file (no \"format\": \"{FORMAT}\")")
            }
            NativeError::NewerVersion(v) => write!(
                f,
                "it was written by a newer version of Article Annotator (format version {v}; this version reads up to {VERSION})"
            ),
            NativeError::BadShape(e) => write!(f, "its content has the wrong shape ({e})"),
        }
    }
}

impl std::error::Error for NativeError {}

/// One step of the migration path: turns a file of version `n` (as JSON)
/// into version `n + 1`.
pub type Migration = fn(Value) -> Result<Value, String>;

/// The migrations of this program: `MIGRATIONS[i]` upgrades version `i + 1`
/// to `i + 2`. Empty while version 1 is the only one; a version 2 adds its
/// step here and every older file keeps loading (see the test
/// `a_v1_file_keeps_loading_after_a_v2`).
pub const MIGRATIONS: &[Migration] = &[];

/// Reads a native file, checking format and version first.
pub fn read(json: &str) -> Result<NativeFile, NativeError> {
    read_with(json, VERSION, MIGRATIONS)
}

/// [`read`] for a program whose current version is `current`, upgrading
/// older files step by step through `migrations`.
pub fn read_with(
    json: &str,
    current: u64,
    migrations: &[Migration],
) -> Result<NativeFile, NativeError> {
    // Fast path for the common case (a current file): straight into the
    // structs, without building a JSON tree first (several times faster and
    // far less memory on a long article's file). Anything else, or any
    // doubt, takes the general path below, which says exactly what is wrong.
    if let Ok(file) = serde_json::from_str::<NativeFile>(json) {
        if file.format == FORMAT && file.version == current {
            return Ok(file);
        }
    }
    let mut value: Value =
        serde_json::from_str(json).map_err(|e| NativeError::NotJson(e.to_string()))?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(NativeError::NotNative);
    }
    let version = match value.get("version").and_then(Value::as_u64) {
        Some(v) if v > current => return Err(NativeError::NewerVersion(v)),
        Some(v) if v >= 1 => v,
        _ => {
            return Err(NativeError::BadShape(
                "\"version\" must be a whole number from 1".into(),
            ))
        }
    };
    if version == current {
        // The fast path failed on a current file: say where, in its text.
        return serde_json::from_str(json).map_err(|e| NativeError::BadShape(e.to_string()));
    }
    for step in version..current {
        let migrate = migrations
            .get((step - 1) as usize)
            .ok_or_else(|| NativeError::BadShape(format!("no migration from version {step}")))?;
        value = migrate(value).map_err(NativeError::BadShape)?;
        value["version"] = Value::from(step + 1);
    }
    // Through text again (rare: errors and old versions only), so the
    // structs have one deserializer in the wasm, not two.
    serde_json::from_str(&value.to_string()).map_err(|e| NativeError::BadShape(e.to_string()))
}

/// Writes a native file as pretty JSON.
pub fn write(file: &NativeFile) -> String {
    // Serialising these plain structs cannot fail (string keys, no maps
    // with non-string keys); fall back to an empty object rather than panic.
    serde_json::to_string_pretty(file).unwrap_or_else(|_| String::from("{}"))
}

/// Writes a native file as compact JSON (the saved state: same shape,
/// smaller and faster than [`write()`]).
pub fn write_compact(file: &NativeFile) -> String {
    serde_json::to_string(file).unwrap_or_else(|_| String::from("{}"))
}

/// Reads a native file for an import (`value` is `json` parsed): refuses
/// an unknown label, a newer version, a wrong shape and offsets out of the
/// entry's `length` or empty; orphans come in with the annotations (the
/// import anchors them again).
pub fn read_incoming(json: &str, value: &Value) -> Result<Vec<Incoming>, ImportError> {
    check_labels(value)?;
    let file = read(json).map_err(|e| match e {
        NativeError::NewerVersion(v) => ImportError::NewerVersion(v),
        NativeError::NotNative => ImportError::UnknownFormat,
        NativeError::NotJson(m) => ImportError::NotJson(m),
        NativeError::BadShape(m) => ImportError::BadShape(m),
    })?;
    let mut out = Vec::new();
    for a in file.articles {
        for x in a.annotations.iter().chain(&a.orphans) {
            let out_of_length = a.length > 0 && x.end > a.length;
            if x.start >= x.end || out_of_length {
                return Err(ImportError::BadOffsets {
                    article: a.id.clone(),
                    start: x.start as u64,
                    end: x.end as u64,
                });
            }
        }
        let mut annotations = a.annotations;
        annotations.extend(a.orphans);
        out.push(Incoming {
            article: a.id,
            text_sha256: (!a.text_sha256.is_empty()).then_some(a.text_sha256),
            text: a.text,
            annotations,
        });
    }
    Ok(out)
}

/// Finds a label other than the three in a native file.
fn check_labels(value: &Value) -> Result<(), ImportError> {
    for article in value["articles"].as_array().into_iter().flatten() {
        for list in ["annotations", "orphans"] {
            for a in article[list].as_array().into_iter().flatten() {
                if let Some(label) = a.get("label").and_then(Value::as_str) {
                    if Label::parse(label).is_none() {
                        return Err(ImportError::UnknownLabel(label.to_string()));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The native file for `docs` (the native export): each article's entry
/// with its annotations, keeping what `meta` holds (orphans, tombstones,
/// unknown fields) and carrying the text of articles a user added.
pub fn export(docs: &[Doc<'_>], now: &str) -> String {
    let articles = docs
        .iter()
        .map(|d| {
            let mut meta = d
                .meta
                .clone()
                .unwrap_or_else(|| NativeArticle::for_article(d.article));
            meta.describe(d.article);
            meta.annotations = d.annotations.clone();
            meta.text = d.carries_text.then(|| d.article.text().to_string());
            meta
        })
        .collect();
    write(&NativeFile {
        format: FORMAT.to_string(),
        version: VERSION,
        exported_at: now.to_string(),
        articles,
        removed_articles: Vec::new(),
        extra: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_table() {
        type Check = fn(&NativeError) -> bool;
        let rows: &[(&str, Check)] = &[
            ("not json", |e| matches!(e, NativeError::NotJson(_))),
            ("[]", |e| *e == NativeError::NotNative),
            (r#"{"format":"other","version":1}"#, |e| {
                *e == NativeError::NotNative
            }),
            (
                r#"{"format":"article-annotator","version":2,"articles":"?"}"#,
                |e| *e == NativeError::NewerVersion(2),
            ),
            (r#"{"format":"article-annotator","version":"1"}"#, |e| {
                matches!(e, NativeError::BadShape(_))
            }),
            (
                r#"{"format":"article-annotator","version":1,"articles":[{"id":"a","annotations":[{"id":"x","label":"opinion","start":0,"end":1,"quote":"a"}]}]}"#,
                |e| matches!(e, NativeError::BadShape(_)),
            ),
        ];
        for (json, ok) in rows {
            let err = read(json).expect_err(json);
            assert!(ok(&err), "{json}: {err:?}");
        }
    }

    /// A future version 2 that renames `note` to `comment` (kept in `extra`
    /// by this version's types) must still read every version-1 file.
    #[test]
    fn a_v1_file_keeps_loading_after_a_v2() {
        fn v1_to_v2(mut file: Value) -> Result<Value, String> {
            for article in file["articles"].as_array_mut().ok_or("no articles")? {
                for a in article["annotations"]
                    .as_array_mut()
                    .ok_or("no annotations")?
                {
                    let note = a.get("note").cloned().unwrap_or(Value::from(""));
                    a["comment"] = note;
                }
            }
            Ok(file)
        }
        let v1 = include_str!("../../tests/data/golden/seed.native.json");
        let upgraded = read_with(v1, 2, &[v1_to_v2]).expect("a v1 file reads under v2");
        assert_eq!(upgraded.version, 2);
        let noted = upgraded.articles[0]
            .annotations
            .iter()
            .find(|a| !a.note.is_empty())
            .expect("the fixture has a note");
        assert_eq!(noted.extra["comment"], Value::from(noted.note.clone()));
        // And a v2 file is refused by this (v1) program, whole.
        let v2 = v1.replace("\"version\": 1", "\"version\": 2");
        assert_eq!(read(&v2), Err(NativeError::NewerVersion(2)));
        assert_eq!(read_with(&v2, 2, &[v1_to_v2]).map(|f| f.version), Ok(2));
    }

    /// `added_at`, `done` and `removed_articles` are typed fields, written
    /// where they stood when they were kept with the unknown fields (a JSON
    /// map, by key), so saved state stays byte for byte the same. Removed
    /// articles' tombstones went through a JSON map too: `at` before `id`.
    #[test]
    fn known_extension_fields_keep_their_place_among_unknown_ones() {
        let json = concat!(
            r#"{"format":"article-annotator","version":1,"exported_at":"t","articles":["#,
            r#"{"id":"user-1","title":"T","text_sha256":"h","length":3,"annotations":[],"#,
            r#""text":"S\nT\n\nB","added_at":"t1","colour":"red","done":true,"zz":1}],"#,
            r#""aardvark":1,"removed_articles":[{"at":"t2","id":"user-2"}],"zebra":[]}"#
        );
        let file = read(json).expect("reads");
        let entry = &file.articles[0];
        assert_eq!((entry.added_at.as_deref(), entry.done), (Some("t1"), true));
        assert_eq!(entry.extra.keys().collect::<Vec<_>>(), ["colour", "zz"]);
        assert_eq!(file.removed_articles[0].id, "user-2");
        assert_eq!(file.extra.keys().collect::<Vec<_>>(), ["aardvark", "zebra"]);
        assert_eq!(write_compact(&file), json);
        // Not done, never added, nothing removed: the fields are left out.
        let plain = json
            .replace(r#""added_at":"t1","#, "")
            .replace(r#""done":true,"#, "")
            .replace(r#""removed_articles":[{"at":"t2","id":"user-2"}],"#, "");
        let mut bare = file.clone();
        bare.articles[0].added_at = None;
        bare.articles[0].done = false;
        bare.removed_articles.clear();
        assert_eq!(write_compact(&bare), plain);
        // A known field of the wrong shape reads as absent, not as a refusal.
        let odd = json
            .replace(r#""done":true"#, r#""done":"yes""#)
            .replace(r#""added_at":"t1""#, r#""added_at":5"#)
            .replace(
                r#""removed_articles":[{"at":"t2","id":"user-2"}]"#,
                r#""removed_articles":"?""#,
            );
        let odd = read(&odd).expect("still reads");
        assert_eq!(
            (odd.articles[0].added_at.as_deref(), odd.articles[0].done),
            (None, false)
        );
        assert!(odd.removed_articles.is_empty());
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let json = r#"{"format":"article-annotator","version":1,"exported_at":"t","future":{"x":1},
          "articles":[{"id":"a","title":"T","text_sha256":"h","length":3,"colour":"red",
            "annotations":[{"id":"u","label":"claim","start":0,"end":1,"quote":"a","prefix":"","suffix":"bc",
              "note":"n","created_at":"t","updated_at":"t","confidence":0.5}]}]}"#;
        let file = read(json).expect("reads");
        let again = read(&write(&file)).expect("reads its own output");
        assert_eq!(file, again);
        assert_eq!(again.extra["future"]["x"], 1);
        assert_eq!(again.articles[0].extra["colour"], "red");
        assert_eq!(again.articles[0].annotations[0].extra["confidence"], 0.5);
    }
}
