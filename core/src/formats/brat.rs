//! brat standoff (<https://brat.nlplab.org/standoff.html>), written only:
//! a `.zip` of `annotation.conf`, `visual.conf` and, per article,
//! `<id>.txt` (the canonical text) and `<id>.ann`.
//!
//! An `.ann` file holds, per annotation in text order, its `T` line, its
//! `A` lines (a commitment's `status`, a claim's `checkable`) and one `#`
//! AnnotatorNotes line with its note and its other fields (name, deadline,
//! due …); then one `R` line per relation (`R1\tsaid_by Arg1:T4 Arg2:T1`:
//! `Arg1` the claim or commitment, `Arg2` the entity). `annotation.conf`
//! declares every type, relation and attribute these lines use, so brat
//! opens the collection without a configuration error.
//!
//! Offsets are code points of the canonical text (brat counts Python string
//! characters). The zip (stored entries, CRC-32) is written by hand: a zip
//! library costs about 50 KB of gzipped wasm; the tests read it with the
//! `zip` crate and Python.

use crate::annotation::Annotation;
use crate::article::Article;
use crate::attributes::{Checkable, Status};
use crate::formats::export::Doc;
use crate::formats::native;
use crate::formats::w3c::fields_of;
use crate::label::Label;
use crate::offsets::slice_cp;
use crate::relation::RelationType;

/// The fields written as brat attributes (`A` lines, declared with their
/// values in `annotation.conf`); the others go into the AnnotatorNotes.
const ATTRIBUTES: [&str; 2] = ["status", "checkable"];

/// `s` on one line: tabs and line breaks become spaces (a `.ann` line ends
/// at a line break, and its fields are tab-separated).
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The text of an annotation's AnnotatorNotes line: its note, then its
/// fields other than the attributes, as `key: value`, joined by `; `
/// (`by the end of the year; deadline: by March 2027; due: 2027-03`);
/// `None` when there is nothing to say.
pub fn notes(a: &Annotation) -> Option<String> {
    let mut parts = Vec::new();
    if !a.note.trim().is_empty() {
        parts.push(one_line(&a.note));
    }
    for (key, value) in fields_of(&a.attributes) {
        if !ATTRIBUTES.contains(&key) {
            parts.push(format!("{key}: {}", one_line(&value)));
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The `.ann` file of one article: per annotation its `T` line (with
/// discontinuous fragments where a span crosses a newline), its `A` lines
/// and its `#` AnnotatorNotes line; then the `R` lines of the relations
/// between these annotations (those whose target is among them). `Tn` is
/// the `n`th annotation; one of nothing but line breaks has no text brat
/// can mark and is left out, with its relations.
pub fn ann(article: &Article, annotations: &[Annotation]) -> String {
    let text = article.text();
    let mut out = String::new();
    let mut attribute = 0;
    let mut t_of: std::collections::HashMap<&str, usize> = Default::default();
    for (n, a) in annotations.iter().enumerate() {
        let t = n + 1;
        let mut fragments = Vec::new();
        let mut start = a.start;
        for (i, c) in slice_cp(text, a.start, a.end).chars().enumerate() {
            if c == '\n' {
                let end = a.start + i;
                if end > start {
                    fragments.push((start, end));
                }
                start = end + 1;
            }
        }
        if a.end > start {
            fragments.push((start, a.end));
        }
        if fragments.is_empty() {
            continue;
        }
        t_of.insert(&a.id, t);
        let offsets: Vec<String> = fragments.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let pieces: Vec<&str> = fragments
            .iter()
            .map(|(s, e)| slice_cp(text, *s, *e))
            .collect();
        out.push_str(&format!(
            "T{t}\t{} {}\t{}\n",
            a.label.as_str(),
            offsets.join(";"),
            pieces.join(" ")
        ));
        let values = [
            ("status", a.attributes.status.map(Status::as_str)),
            ("checkable", a.attributes.checkable.map(Checkable::as_str)),
        ];
        for (key, value) in values {
            if let Some(value) = value {
                attribute += 1;
                out.push_str(&format!("A{attribute}\t{key} T{t} {value}\n"));
            }
        }
        if let Some(note) = notes(a) {
            out.push_str(&format!("#{t}\tAnnotatorNotes T{t}\t{note}\n"));
        }
    }
    let relations = native::written_relations(annotations, &[]);
    let mut n = 0;
    for r in relations {
        if let (Some(from), Some(to)) = (t_of.get(r.from.as_str()), t_of.get(r.to.as_str())) {
            n += 1;
            out.push_str(&format!(
                "R{n}\t{} Arg1:T{from} Arg2:T{to}\n",
                r.kind.as_str()
            ));
        }
    }
    out
}

/// brat's `annotation.conf`: the three labels as entity types (the names
/// the `.ann` files use); the two relations with their argument types
/// (`said_by Arg1:claim, Arg2:entity`) and an `<OVERLAP>` rule letting
/// spans nest and cross, as annotations may (brat flags overlapping
/// entities otherwise); no events; the attributes with their values
/// (`status Arg:commitment, Value:not_rated|…`). Notes (`#`
/// AnnotatorNotes lines) need no declaration.
pub fn annotation_conf() -> String {
    let mut out =
        String::from("# Article Annotator's labels (brat standoff configuration).\n[entities]\n");
    for label in Label::ALL {
        out.push_str(label.as_str());
        out.push('\n');
    }
    out.push_str("\n[relations]\n");
    for kind in RelationType::ALL {
        out.push_str(&format!(
            "{} Arg1:{}, Arg2:{}\n",
            kind.as_str(),
            kind.source().as_str(),
            Label::Entity.as_str()
        ));
    }
    out.push_str("# Annotations may nest and overlap.\n");
    out.push_str("<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    out.push_str("\n[events]\n\n[attributes]\n");
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    out.push_str(&format!(
        "status Arg:{}, Value:{}\n",
        Label::Commitment.as_str(),
        statuses.join("|")
    ));
    let checkable: Vec<&str> = Checkable::ALL.iter().map(|c| c.as_str()).collect();
    out.push_str(&format!(
        "checkable Arg:{}, Value:{}\n",
        Label::Claim.as_str(),
        checkable.join("|")
    ));
    out
}

/// The colours of a label in the app (`style.css`): the highlight's
/// background (its translucent light-theme colour laid over white) and the
/// underline colour, as brat's `bgColor` and `borderColor`.
pub fn label_colours(label: Label) -> (&'static str, &'static str) {
    match label {
        // rgba(37, 99, 235, 0.16) over white; --entity-line
        Label::Entity => ("#dce6fc", "#1d4ed8"),
        // rgba(217, 119, 6, 0.2) over white; --claim-line
        Label::Claim => ("#f7e4cd", "#b45309"),
        // rgba(22, 163, 74, 0.18) over white; --commitment-line
        Label::Commitment => ("#d5eede", "#15803d"),
    }
}

/// brat's `visual.conf`: the display names of the labels, relations and
/// attributes; the app's colours for the labels, and for each relation's
/// arc the colour of the label it starts from. Attribute values show as
/// brat's default glyphs (`[in_progress]`).
pub fn visual_conf() -> String {
    let mut out = String::from("[labels]\n");
    for label in Label::ALL {
        out.push_str(&format!("{} | {}\n", label.as_str(), label.title()));
    }
    for kind in RelationType::ALL {
        let phrase = kind.phrase();
        let mut title = phrase[..1].to_uppercase();
        title.push_str(&phrase[1..]);
        out.push_str(&format!("{} | {title}\n", kind.as_str()));
    }
    out.push_str("status | Status\ncheckable | Checkable\n");
    out.push_str("\n[drawing]\n");
    for label in Label::ALL {
        let (bg, border) = label_colours(label);
        out.push_str(&format!(
            "{}\tfgColor:black, bgColor:{bg}, borderColor:{border}\n",
            label.as_str()
        ));
    }
    for kind in RelationType::ALL {
        let (_, line) = label_colours(kind.source());
        out.push_str(&format!("{}\tcolor:{line}\n", kind.as_str()));
    }
    out
}

/// The brat collection, zipped: `annotation.conf` and `visual.conf`, then
/// every document's `<id>.txt` and `<id>.ann`.
pub fn export(docs: &[Doc<'_>]) -> Vec<u8> {
    let mut files = vec![
        (
            "annotation.conf".to_string(),
            annotation_conf().into_bytes(),
        ),
        ("visual.conf".to_string(), visual_conf().into_bytes()),
    ];
    for d in docs {
        let id = d.article.id();
        files.push((format!("{id}.txt"), d.article.text().as_bytes().to_vec()));
        files.push((
            format!("{id}.ann"),
            ann(d.article, &d.annotations).into_bytes(),
        ));
    }
    stored_zip(&files)
}

/// A zip archive of `files` (name, bytes), stored without compression: the
/// whole format needed for that is a few headers and a CRC-32, much less
/// wasm than a zip library. Names are article ids plus an extension
/// (ASCII, see `article::check_id`); every entry is dated 1980-01-01.
fn stored_zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&(v.min(u16::MAX as usize) as u16).to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&(v.min(u32::MAX as usize) as u32).to_le_bytes());
    }
    const DOS_DATE: usize = (1 << 5) | 1; // 1980-01-01
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let crc = crc32(data) as usize;
        let offset = out.len();
        // Local file header: version 1.0, no flags, stored, time 0.
        u32le(&mut out, 0x0403_4b50);
        for v in [10, 0, 0, 0, DOS_DATE] {
            u16le(&mut out, v);
        }
        u32le(&mut out, crc);
        u32le(&mut out, data.len());
        u32le(&mut out, data.len());
        u16le(&mut out, name.len());
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Its central directory entry: made by 2.0, needs 1.0.
        u32le(&mut central, 0x0201_4b50);
        for v in [20, 10, 0, 0, 0, DOS_DATE] {
            u16le(&mut central, v);
        }
        u32le(&mut central, crc);
        u32le(&mut central, data.len());
        u32le(&mut central, data.len());
        for v in [name.len(), 0, 0, 0, 0] {
            u16le(&mut central, v);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_at = out.len();
    out.extend_from_slice(&central);
    // End of central directory.
    u32le(&mut out, 0x0605_4b50);
    for v in [0, 0, files.len(), files.len()] {
        u16le(&mut out, v);
    }
    u32le(&mut out, central.len());
    u32le(&mut out, central_at);
    u16le(&mut out, 0);
    out
}

/// CRC-32 (IEEE 802.3, the zip checksum).
fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, entry) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *entry = c;
    }
    let mut crc = !0u32;
    for &b in data {
        crc = table[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::crc32;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }
}
