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

use std::collections::HashSet;
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
use crate::relation::{self, Relation, RelationType};

/// The `format` value of every native file.
pub const FORMAT: &str = "article-annotator";
/// The version this program writes, and the highest it reads.
pub const VERSION: u64 = 2;

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
    /// Whose work this is (the name the user gave as theirs; version 2).
    #[serde(default, deserialize_with = "lenient")]
    pub annotator: Option<String>,
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
    /// Relations between them (version 2). In memory they live in the
    /// annotations they start from ([`Annotation::links`]); this list is
    /// filled on writing and emptied on reading, except for articles the
    /// app does not know, whose entries are kept as they were.
    #[serde(default)]
    pub relations: Vec<Relation>,
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
        if let Some(annotator) = &self.annotator {
            map.serialize_entry("annotator", annotator)?;
        }
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
        self.serialize_with(serializer, true)
    }
}

/// An entry as the saved state writes it when loading derives its
/// `text_sha256` and `length` from the text it carries (a user's article):
/// without those two fields. Everything else as [`NativeArticle`] writes it.
pub struct SavedHead<'a>(pub &'a NativeArticle);

impl Serialize for SavedHead<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_with(serializer, false)
    }
}

impl NativeArticle {
    fn serialize_with<S: Serializer>(
        &self,
        serializer: S,
        text_facts: bool,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("title", &self.title)?;
        if text_facts {
            map.serialize_entry("text_sha256", &self.text_sha256)?;
            map.serialize_entry("length", &self.length)?;
        }
        map.serialize_entry("annotations", &self.annotations)?;
        map.serialize_entry("relations", &self.relations)?;
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
            relations: Vec::new(),
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
/// to `i + 2`, so every older file keeps loading (see the test
/// `a_v1_file_loads_as_v2`).
pub const MIGRATIONS: &[Migration] = &[v1_to_v2];

/// Version 1 to 2: every article gains an empty `relations` list; nothing
/// else changes (attributes and the annotator are optional).
pub fn v1_to_v2(mut file: Value) -> Result<Value, String> {
    if let Some(articles) = file.get_mut("articles").and_then(Value::as_array_mut) {
        for article in articles {
            if let Some(entry) = article.as_object_mut() {
                entry
                    .entry("relations")
                    .or_insert_with(|| Value::Array(Vec::new()));
            }
        }
    }
    Ok(file)
}

/// The `version` a native file's text states, read from its first few
/// hundred bytes where this program writes it (`None` when it is not there:
/// a file written by hand, or not native).
pub fn stored_version(json: &str) -> Option<u64> {
    let head = json.get(..json.len().min(300)).unwrap_or(json);
    let at = head.find("\"version\"")? + "\"version\"".len();
    let rest = head[at..].trim_start().strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The oldest version whose files read straight into this version's
/// structs: every migration from it on only adds what the structs' defaults
/// give (v1 → v2 adds empty `relations`), so such a file skips the JSON
/// tree and the migration steps (a long article's saved state of version 1
/// opens as fast as one of version 2; `a_v1_file_loads_as_v2` checks both
/// paths agree).
pub const DIRECT_FROM: u64 = 1;

/// Reads a native file, checking format and version first.
pub fn read(json: &str) -> Result<NativeFile, NativeError> {
    if let Some(file) = read_current(json) {
        return Ok(file);
    }
    read_with(json, VERSION, MIGRATIONS)
}

/// A file this version reads without migrating, straight into the
/// structs (one pass, no JSON tree); `None` for anything else (another
/// format, a version to migrate, a wrong shape, an unknown label), which
/// the general path then explains.
pub fn read_current(json: &str) -> Option<NativeFile> {
    let mut file = serde_json::from_str::<NativeFile>(json).ok()?;
    if file.format == FORMAT && (DIRECT_FROM..=VERSION).contains(&file.version) {
        file.version = VERSION;
        Some(file)
    } else {
        None
    }
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

/// The relations an entry writes: those its annotations and orphans hold
/// to one of them (FORMAT.md: a relation whose endpoint no longer exists is
/// not written).
pub fn written_relations(annotations: &[Annotation], orphans: &[Annotation]) -> Vec<Relation> {
    if annotations
        .iter()
        .chain(orphans)
        .all(|a| a.links.is_empty())
    {
        return Vec::new();
    }
    let targets: HashSet<&str> = annotations
        .iter()
        .chain(orphans)
        .map(|a| a.id.as_str())
        .collect();
    relation::relations_of(annotations.iter().chain(orphans), &targets)
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
    incoming_of(file)
}

/// The import's view of a read native file: offsets checked against the
/// entry's `length` and not empty, relations checked against their ends'
/// labels and attached; orphans come in with the annotations.
pub fn incoming_of(file: NativeFile) -> Result<Vec<Incoming>, ImportError> {
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
        check_relations(&a.id, &annotations, &a.relations)?;
        let loose = relation::attach(&mut annotations, a.relations);
        out.push(Incoming {
            article: a.id,
            text_sha256: (!a.text_sha256.is_empty()).then_some(a.text_sha256),
            text: a.text,
            annotations,
            loose,
        });
    }
    Ok(out)
}

/// Refuses a relation whose type does not fit the labels of its ends
/// (`said_by` from an entity, to a claim …), where the file has both.
pub fn check_relations(
    article: &str,
    annotations: &[Annotation],
    relations: &[Relation],
) -> Result<(), ImportError> {
    if relations.is_empty() {
        return Ok(());
    }
    let labels: rustc_hash::FxHashMap<&str, Label> = annotations
        .iter()
        .map(|a| (a.id.as_str(), a.label))
        .collect();
    for r in relations {
        let from = labels.get(r.from.as_str()).copied();
        let to = labels.get(r.to.as_str()).copied();
        let fits = match (from, to) {
            (Some(f), Some(t)) => r.kind.fits(f, t),
            (Some(f), None) => RelationType::of(f) == Some(r.kind),
            (None, Some(t)) => t == Label::Entity,
            (None, None) => true,
        };
        if !fits {
            return Err(ImportError::BadRelation {
                article: article.to_string(),
                kind: r.kind.as_str(),
                from: from.map_or("?", Label::as_str),
                to: to.map_or("?", Label::as_str),
            });
        }
    }
    Ok(())
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
        for r in article["relations"].as_array().into_iter().flatten() {
            if let Some(kind) = r.get("type").and_then(Value::as_str) {
                if RelationType::parse(kind).is_none() {
                    return Err(ImportError::UnknownRelation(kind.to_string()));
                }
            }
        }
    }
    Ok(())
}

/// The native file for `docs` (the native export): each article's entry
/// with its annotations, keeping what `meta` holds (orphans, tombstones,
/// unknown fields) and carrying the text of articles a user added.
pub fn export(docs: &[Doc<'_>], now: &str, annotator: Option<&str>) -> String {
    let articles = docs
        .iter()
        .map(|d| {
            let mut meta = d
                .meta
                .clone()
                .unwrap_or_else(|| NativeArticle::for_article(d.article));
            meta.describe(d.article);
            meta.annotations = d.annotations.clone();
            meta.relations = written_relations(&meta.annotations, &meta.orphans);
            meta.text = d.carries_text.then(|| d.article.text().to_string());
            meta
        })
        .collect();
    write(&NativeFile {
        format: FORMAT.to_string(),
        version: VERSION,
        exported_at: now.to_string(),
        annotator: annotator.map(str::to_string),
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
                r#"{"format":"article-annotator","version":3,"articles":"?"}"#,
                |e| *e == NativeError::NewerVersion(3),
            ),
            (r#"{"format":"article-annotator","version":"1"}"#, |e| {
                matches!(e, NativeError::BadShape(_))
            }),
            (
                r#"{"format":"article-annotator","version":2,"articles":[{"id":"a","annotations":[{"id":"x","label":"opinion","start":0,"end":1,"quote":"a"}]}]}"#,
                |e| matches!(e, NativeError::BadShape(_)),
            ),
        ];
        for (json, ok) in rows {
            let err = read(json).expect_err(json);
            assert!(ok(&err), "{json}: {err:?}");
        }
    }

    /// A version-1 file (the golden file of the first release) reads as
    /// version 2: the same annotations, no relations or attributes; a
    /// version-3 file is refused whole.
    #[test]
    fn a_v1_file_loads_as_v2() {
        let v1 = include_str!("../../tests/data/v1/seed.native.json");
        assert!(v1.contains("\"version\": 1"));
        let old: Value = serde_json::from_str(v1).expect("json");
        let upgraded = read(v1).expect("a v1 file reads under v2");
        assert_eq!(upgraded.version, 2);
        let n = old["articles"][0]["annotations"]
            .as_array()
            .map_or(0, Vec::len);
        assert!(n > 0);
        assert_eq!(upgraded.articles[0].annotations.len(), n);
        assert!(upgraded.articles.iter().all(|a| a.relations.is_empty()));
        assert!(upgraded.articles[0]
            .annotations
            .iter()
            .all(|a| a.attributes.is_empty()));
        assert_eq!(
            upgraded.articles[0].annotations[0].quote,
            old["articles"][0]["annotations"][0]["quote"]
        );
        // The direct path and the migration agree.
        let migrated = read_with(v1, VERSION, MIGRATIONS).expect("migrates");
        assert_eq!(migrated, upgraded);
        let v3 = v1.replace("\"version\": 1", "\"version\": 3");
        assert_eq!(read(&v3), Err(NativeError::NewerVersion(3)));
    }

    /// `added_at`, `done` and `removed_articles` are typed fields, written
    /// where they stood when they were kept with the unknown fields (a JSON
    /// map, by key), so saved state stays byte for byte the same. Removed
    /// articles' tombstones went through a JSON map too: `at` before `id`.
    #[test]
    fn known_extension_fields_keep_their_place_among_unknown_ones() {
        let json = concat!(
            r#"{"format":"article-annotator","version":2,"exported_at":"t","articles":["#,
            r#"{"id":"user-1","title":"T","text_sha256":"h","length":3,"annotations":[],"relations":[],"#,
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
        let json = r#"{"format":"article-annotator","version":2,"exported_at":"t","future":{"x":1},
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
