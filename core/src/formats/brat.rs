//! brat standoff (<https://brat.nlplab.org/standoff.html>), written only:
//! a `.zip` of `annotation.conf`, `visual.conf` and, per article,
//! `<id>.txt` (the canonical text) and `<id>.ann`.
//!
//! Offsets are code points of the canonical text (brat counts Python string
//! characters). The zip (stored entries, CRC-32) is written by hand: a zip
//! library costs about 50 KB of gzipped wasm; the tests read it with the
//! `zip` crate and Python.

use crate::annotation::Annotation;
use crate::article::Article;
use crate::formats::export::Doc;
use crate::label::Label;
use crate::offsets::slice_cp;

/// The `.ann` file of one article: `T` lines (discontinuous fragments where
/// a span crosses a newline) and `#` AnnotatorNotes lines for notes.
pub fn ann(article: &Article, annotations: &[Annotation]) -> String {
    let text = article.text();
    let mut out = String::new();
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
        if !a.note.is_empty() {
            let note: String = a
                .note
                .chars()
                .map(|c| {
                    if c == '\n' || c == '\r' || c == '\t' {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            out.push_str(&format!("#{t}\tAnnotatorNotes T{t}\t{note}\n"));
        }
    }
    out
}

/// brat's `annotation.conf`: the three labels as entity types (the names
/// the `.ann` files use), and the other sections brat expects, empty.
/// Notes (`#` AnnotatorNotes lines) need no declaration.
pub fn annotation_conf() -> String {
    let mut out =
        String::from("# Article Annotator's labels (brat standoff configuration).\n[entities]\n");
    for label in Label::ALL {
        out.push_str(label.as_str());
        out.push('\n');
    }
    out.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
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

/// brat's `visual.conf`: the labels' display names and the app's colours.
pub fn visual_conf() -> String {
    let mut out = String::from("[labels]\n");
    for label in Label::ALL {
        out.push_str(&format!("{} | {}\n", label.as_str(), label.title()));
    }
    out.push_str("\n[drawing]\n");
    for label in Label::ALL {
        let (bg, border) = label_colours(label);
        out.push_str(&format!(
            "{}\tfgColor:black, bgColor:{bg}, borderColor:{border}\n",
            label.as_str()
        ));
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
