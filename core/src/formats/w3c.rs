//! W3C Web Annotation JSON-LD (<https://www.w3.org/TR/annotation-model/>):
//! written as one `AnnotationCollection`, read from a collection, a page, a
//! list or a single annotation.
//!
//! Offsets are code points of the canonical text: the `TextPositionSelector`
//! `start`/`end`, as the standard says. An article is named by
//! [`source_iri`] (`urn:article-annotator:article:<id>`); the export's own
//! keys (titles and text hashes of the articles) are defined in the inline
//! `@context` under [`W3C_NAMESPACE`]. Reading checks every value and
//! returns an [`ImportError`] for the first one that is wrong; planning the
//! import is `import`'s.

use serde_json::{json, Map, Value};

use crate::annotation::Annotation;
use crate::article::Article;
use crate::attributes::{Attributes, Checkable, Status};
use crate::formats::export::Doc;
use crate::formats::import::{ImportError, Incoming};
use crate::formats::native;
use crate::label::Label;
use crate::relation::{Relation, RelationType};

/// IRI naming an article as a W3C target source.
pub fn source_iri(article_id: &str) -> String {
    format!("urn:article-annotator:article:{article_id}")
}

/// The article id of a W3C target source written by [`source_iri`] (or any
/// IRI whose last `:`/`/` segment is the id).
pub fn article_of_source(source: &str) -> &str {
    source.rsplit([':', '/']).next().unwrap_or(source)
}

/// One W3C Web Annotation.
pub fn annotation(article: &Article, a: &Annotation) -> Value {
    let mut body = vec![json!({
        "type": "TextualBody",
        "purpose": "tagging",
        "value": a.label.as_str(),
    })];
    if !a.note.is_empty() {
        body.push(json!({
            "type": "TextualBody",
            "purpose": "commenting",
            "value": a.note,
            "format": "text/plain",
        }));
    }
    for (key, value) in fields_of(&a.attributes) {
        let purpose = if CLASSIFYING.contains(&key) {
            "classifying"
        } else {
            "describing"
        };
        body.push(json!({
            "type": "TextualBody",
            "purpose": purpose,
            "value": format!("{key}: {value}"),
            "format": "text/plain",
        }));
    }
    let mut anno = json!({
        "@context": ANNO_CONTEXT,
        "id": format!("urn:uuid:{}", a.id),
        "type": "Annotation",
        "body": body,
        "target": {
            "source": source_iri(article.id()),
            "selector": [
                {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix},
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
            ],
        },
    });
    if !a.created_at.is_empty() {
        anno["created"] = json!(a.created_at);
    }
    if !a.updated_at.is_empty() {
        anno["modified"] = json!(a.updated_at);
    }
    anno
}

/// The fields written as `classifying` bodies (a value from a fixed list);
/// the others are `describing`.
const CLASSIFYING: [&str; 2] = ["status", "checkable"];

/// The known fields of `attributes` as `(key, value)` text, in FORMAT.md
/// order.
pub fn fields_of(attributes: &Attributes) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    let known = [
        ("name", attributes.name.clone()),
        ("deadline", attributes.deadline.clone()),
        ("due", attributes.due.clone()),
        ("status", attributes.status.map(|s| s.as_str().to_string())),
        ("status_at", attributes.status_at.clone()),
        (
            "checkable",
            attributes.checkable.map(|c| c.as_str().to_string()),
        ),
    ];
    for (key, value) in known {
        if let Some(v) = value {
            out.push((key, v));
        }
    }
    // Unknown keys are not written: a reader could not tell such a body
    // from a note (the native file keeps them).
    out
}

/// A field body's `key: value`, when `text` is one (a known key).
fn field_of(text: &str) -> Option<(&str, &str)> {
    let (key, value) = text.split_once(": ")?;
    let known = [
        "name",
        "deadline",
        "due",
        "status",
        "status_at",
        "checkable",
    ];
    (known.contains(&key)).then_some((key, value))
}

/// Sets the field `key` of `attributes` from its text.
fn set_field(attributes: &mut Attributes, key: &str, value: &str) -> Result<(), ImportError> {
    let bad = || ImportError::BadShape(format!("the field {key} has the value {value:?}"));
    match key {
        "name" => attributes.name = Some(value.to_string()),
        "deadline" => attributes.deadline = Some(value.to_string()),
        "due" => attributes.due = Some(value.to_string()),
        "status" => attributes.status = Some(Status::parse(value).ok_or_else(bad)?),
        "status_at" => attributes.status_at = Some(value.to_string()),
        "checkable" => attributes.checkable = Some(Checkable::parse(value).ok_or_else(bad)?),
        _ => {
            attributes
                .extra
                .insert(key.to_string(), Value::from(value.to_string()));
        }
    }
    Ok(())
}

/// One relation as a W3C annotation: `motivation: linking`, the relation's
/// type as a `classifying` body and the two annotations as targets (from,
/// then to; a reader that takes targets as a set tells them apart by label:
/// the entity is the `to`).
pub fn relation(r: &Relation) -> Value {
    let mut anno = json!({
        "@context": ANNO_CONTEXT,
        "id": format!("urn:uuid:{}", r.id),
        "type": "Annotation",
        "motivation": "linking",
        "body": {
            "type": "TextualBody",
            "purpose": "classifying",
            "value": r.kind.as_str(),
        },
        "target": [format!("urn:uuid:{}", r.from), format!("urn:uuid:{}", r.to)],
    });
    if !r.created_at.is_empty() {
        anno["created"] = json!(r.created_at);
    }
    if !r.updated_at.is_empty() {
        anno["modified"] = json!(r.updated_at);
    }
    anno
}

/// The namespace of the W3C export's own terms (the keys the Web Annotation
/// context does not define). A URN like the export's other IRIs
/// (`urn:article-annotator:article:<id>`): stable, and never fetched.
pub const W3C_NAMESPACE: &str = "urn:article-annotator:ns:";

/// The W3C Web Annotation JSON-LD context.
pub const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The collection's `@context`: the Web Annotation context, then an object
/// defining the export's own keys (`article_annotator_sources`, its
/// `title`s as Dublin Core titles and `text_sha256`s under
/// [`W3C_NAMESPACE`]), so a JSON-LD processor keeps them.
pub fn context() -> Value {
    json!([
        ANNO_CONTEXT,
        {
            "article_annotator_sources": {
                "@id": format!("{W3C_NAMESPACE}sources"),
                "@container": "@set",
            },
            "title": "http://purl.org/dc/terms/title",
            "text_sha256": format!("{W3C_NAMESPACE}textSha256"),
        },
    ])
}

/// A W3C `AnnotationCollection` with every annotation on its first page
/// (an `AnnotationPage` with its own `id`); without annotations the
/// collection has `total: 0` and no page, as the model allows.
pub fn export(docs: &[Doc<'_>], now: &str, annotator: Option<&str>) -> String {
    let mut items: Vec<Value> = docs
        .iter()
        .flat_map(|d| d.annotations.iter().map(move |a| annotation(d.article, a)))
        .collect();
    for d in docs {
        for r in native::written_relations(&d.annotations, &[]) {
            items.push(relation(&r));
        }
    }
    let titles: Vec<Value> = docs
        .iter()
        .map(|d| {
            json!({
                "id": source_iri(d.article.id()),
                "title": d.article.headline(),
                "text_sha256": d.article.text_sha256(),
            })
        })
        .collect();
    let id = format!("urn:article-annotator:export:{now}");
    let mut doc = json!({
        "@context": context(),
        "id": id,
        "type": "AnnotationCollection",
        "label": "Article Annotator export",
        "created": now,
        "total": items.len(),
        "article_annotator_sources": titles,
    });
    if let Some(name) = annotator {
        doc["creator"] = json!({"type": "Person", "name": name});
    }
    if !items.is_empty() {
        doc["first"] = json!({
            "id": format!("{id}:page:1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        });
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// True when `v`'s `type` is `name` or a list holding it.
fn is_type(v: &Value, name: &str) -> bool {
    match v.get("type") {
        Some(Value::String(s)) => s == name,
        Some(Value::Array(a)) => a.iter().any(|t| t == name),
        _ => false,
    }
}

/// A JSON-LD value as a list: an array's items, nothing for null, else
/// the value alone.
fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// Reads W3C annotations (a collection, a page, a list or one annotation).
pub fn read(value: &Value) -> Result<Vec<Incoming>, ImportError> {
    let items: Vec<&Value> = if is_type(value, "AnnotationCollection") {
        let mut items = as_list(&value["items"]);
        items.extend(as_list(&value["first"]["items"]));
        items
    } else if is_type(value, "AnnotationPage") {
        as_list(&value["items"])
    } else if value.is_array() {
        as_list(value)
    } else if is_type(value, "Annotation") {
        vec![value]
    } else {
        return Err(ImportError::UnknownFormat);
    };
    let hashes: Vec<(String, String)> = as_list(&value["article_annotator_sources"])
        .into_iter()
        .filter_map(|s| {
            Some((
                article_of_source(s["id"].as_str()?).to_string(),
                s["text_sha256"].as_str()?.to_string(),
            ))
        })
        .collect();
    let mut out: Vec<Incoming> = Vec::new();
    let mut links = Vec::new();
    for item in items {
        if !is_type(item, "Annotation") {
            return Err(ImportError::BadShape("an item is not an Annotation".into()));
        }
        if item["motivation"].as_str() == Some("linking") {
            links.push(item);
            continue;
        }
        let (article, a) = read_annotation(item)?;
        match out.iter_mut().find(|i| i.article == article) {
            Some(i) => i.annotations.push(a),
            None => out.push(Incoming {
                text_sha256: hashes.iter().find(|h| h.0 == article).map(|h| h.1.clone()),
                text: None,
                article,
                annotations: vec![a],
                loose: Vec::new(),
            }),
        }
    }
    for item in links {
        read_link(item, &mut out)?;
    }
    for inc in &mut out {
        let loose = std::mem::take(&mut inc.loose);
        native::check_relations(&inc.article, &inc.annotations, &loose)?;
        inc.loose = crate::relation::attach(&mut inc.annotations, loose);
    }
    Ok(out)
}

/// An id of a target: an IRI string or an object's `id`, without `urn:uuid:`.
fn target_id(v: &Value) -> Option<&str> {
    let iri = v.as_str().or_else(|| v["id"].as_str())?;
    Some(iri.strip_prefix("urn:uuid:").unwrap_or(iri))
}

/// A `linking` annotation: a relation between two annotations of the file,
/// put with the article of its ends (in `loose`, attached afterwards). Which
/// target is the entity (the `to`) is told by the labels; with neither end
/// in the file, the order of the targets.
fn read_link(item: &Value, out: &mut [Incoming]) -> Result<(), ImportError> {
    let shape = |m: &str| ImportError::BadShape(m.to_string());
    let targets: Vec<&str> = as_list(&item["target"])
        .into_iter()
        .filter_map(target_id)
        .collect();
    let [first, second] = targets.as_slice() else {
        return Err(shape("a linking annotation needs exactly two targets"));
    };
    let find = |id: &str| {
        out.iter().enumerate().find_map(|(i, inc)| {
            inc.annotations
                .iter()
                .find(|a| a.id == id)
                .map(|a| (i, a.label))
        })
    };
    let (a, b) = (find(first), find(second));
    let entity_first =
        a.is_some_and(|x| x.1 == Label::Entity) || b.is_some_and(|x| x.1 != Label::Entity);
    let (from, to) = if entity_first {
        (*second, *first)
    } else {
        (*first, *second)
    };
    let from_label = if entity_first { b } else { a }.map(|x| x.1);
    let mut kind = None;
    for body in as_list(&item["body"]) {
        if let Some(v) = body["value"].as_str().or_else(|| body.as_str()) {
            if let Some(k) = RelationType::parse(v) {
                kind = Some(k);
            } else if body["purpose"].as_str() == Some("classifying") {
                return Err(ImportError::UnknownRelation(v.to_string()));
            }
        }
    }
    let kind = kind
        .or_else(|| from_label.and_then(RelationType::of))
        .ok_or_else(|| shape("a linking annotation names no relation type"))?;
    let id = item["id"]
        .as_str()
        .map(|i| i.strip_prefix("urn:uuid:").unwrap_or(i).to_string())
        .unwrap_or_default();
    let relation = Relation {
        id,
        kind,
        from: from.to_string(),
        to: to.to_string(),
        created_at: item["created"].as_str().unwrap_or_default().to_string(),
        updated_at: item["modified"]
            .as_str()
            .or(item["created"].as_str())
            .unwrap_or_default()
            .to_string(),
        extra: Map::new(),
    };
    let home = a.or(b).map_or(0, |x| x.0);
    if let Some(inc) = out.get_mut(home) {
        inc.loose.push(relation);
    }
    Ok(())
}

/// One W3C annotation: its article (from the target's source) and the
/// annotation as the file has it (offsets, quote and context unchecked
/// against any text).
fn read_annotation(item: &Value) -> Result<(String, Annotation), ImportError> {
    let shape = |m: &str| ImportError::BadShape(m.to_string());
    let bodies = as_list(&item["body"]);
    let mut label = None;
    let mut note = String::new();
    let mut attributes = Attributes::default();
    for b in bodies {
        let value = b["value"].as_str().unwrap_or_default();
        let purpose = b["purpose"].as_str();
        if matches!(purpose, Some("classifying") | Some("describing")) {
            if let Some((key, v)) = field_of(value) {
                set_field(&mut attributes, key, v)?;
                continue;
            }
        }
        match purpose {
            Some("tagging") | Some("classifying") => {
                label = Some(
                    Label::parse(value)
                        .ok_or_else(|| ImportError::UnknownLabel(value.to_string()))?,
                )
            }
            Some("commenting") | Some("describing") => note = value.to_string(),
            _ => {}
        }
    }
    let label = label.ok_or_else(|| shape("an annotation has no tagging body with a label"))?;
    let target = as_list(&item["target"])
        .into_iter()
        .next()
        .ok_or_else(|| shape("an annotation has no target"))?;
    let source = target["source"]
        .as_str()
        .ok_or_else(|| shape("an annotation's target has no source"))?;
    let article = article_of_source(source).to_string();
    let mut start = None;
    let mut end = None;
    let mut quote = None;
    let mut prefix = String::new();
    let mut suffix = String::new();
    for s in as_list(&target["selector"]) {
        if is_type(s, "TextPositionSelector") {
            start = s["start"].as_u64();
            end = s["end"].as_u64();
            if start.is_none() || end.is_none() {
                return Err(shape("a TextPositionSelector needs numeric start and end"));
            }
        } else if is_type(s, "TextQuoteSelector") {
            quote = s["exact"].as_str().map(str::to_string);
            prefix = s["prefix"].as_str().unwrap_or_default().to_string();
            suffix = s["suffix"].as_str().unwrap_or_default().to_string();
        }
    }
    if start.is_none() && quote.is_none() {
        return Err(shape(
            "an annotation has neither a position nor a quote selector",
        ));
    }
    let (start, end) = (start.unwrap_or(0), end.unwrap_or(0));
    // Empty or reversed offsets are refused; 0–0 stands for "no position"
    // only beside a quote.
    let empty = (quote.is_none() && start >= end) || (start == end && start != 0);
    if empty || start > end {
        return Err(ImportError::BadOffsets {
            article,
            start,
            end,
        });
    }
    let id = item["id"]
        .as_str()
        .map(|i| i.strip_prefix("urn:uuid:").unwrap_or(i).to_string())
        .unwrap_or_default();
    Ok((
        article,
        Annotation {
            id,
            label,
            start: start as usize,
            end: end as usize,
            quote: quote.unwrap_or_default(),
            prefix,
            suffix,
            note,
            created_at: item["created"].as_str().unwrap_or_default().to_string(),
            updated_at: item["modified"]
                .as_str()
                .or(item["created"].as_str())
                .unwrap_or_default()
                .to_string(),
            attributes,
            links: Vec::new(),
            extra: Map::new(),
        },
    ))
}
