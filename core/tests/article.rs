//! Article parsing and canonical text, as tables, with the seed as a golden file.

use annotator_core::article::{
    canonical_text, canonicalize, user_article_id, Article, ArticleError, BlockKind,
};
use annotator_core::offsets::slice_cp;

/// (raw bytes, expected canonical text)
const CANONICAL: &[(&[u8], &str)] = &[
    (b"a\nb", "a\nb"),
    (b"\xEF\xBB\xBFa\nb", "a\nb"),
    (b"a\r\nb\r\n", "a\nb"),
    (b"a\rb\r", "a\nb"),
    (b"a\r\r\nb", "a\n\nb"),
    (b"a \t\n\n \t", "a"),
    (b"  lead kept\n", "  lead kept"),
    (b"mid \t space\nkept", "mid \t space\nkept"),
    (b"\xEF\xBB\xBF", ""),
    ("“quotes” – dash\u{a0}".as_bytes(), "“quotes” – dash\u{a0}"),
    ("e\u{301} not NFC".as_bytes(), "e\u{301} not NFC"),
    (b"two\xEF\xBB\xBFboms", "two\u{feff}boms"),
];

#[test]
fn canonical_text_table() {
    for &(raw, expected) in CANONICAL {
        assert_eq!(
            canonical_text(raw).as_deref(),
            Ok(expected),
            "canonical_text({:?})",
            String::from_utf8_lossy(raw)
        );
    }
}

#[test]
fn not_utf8_is_refused_with_the_offset() {
    assert_eq!(
        canonical_text(b"ok\xFFno"),
        Err(ArticleError::NotUtf8 { byte: 2 })
    );
}

/// (text, expected error)
const REFUSED: &[(&str, ArticleError)] = &[
    ("", ArticleError::Empty),
    (" \n\t\r\n", ArticleError::Empty),
    ("only a summary", ArticleError::NoHeadline),
    ("summary\n\n\nbody", ArticleError::NoHeadline),
    ("summary\n   \n\nbody", ArticleError::NoHeadline),
    (
        "summary\nheadline\nnot blank",
        ArticleError::NoBlankLineAfterHeadline,
    ),
];

#[test]
fn broken_layouts_are_refused() {
    for (text, expected) in REFUSED {
        assert_eq!(
            Article::parse("x", text).as_ref().err(),
            Some(expected),
            "{text:?}"
        );
    }
}

#[test]
fn bad_ids_are_refused() {
    for id in ["", "a b", "a/b", "<x>"] {
        assert!(matches!(
            Article::parse(id, "s\nh\n\nb"),
            Err(ArticleError::BadId(_))
        ));
    }
}

#[test]
fn a_blank_summary_is_allowed() {
    let a = Article::parse("x", "\nHeadline\n\nBody").expect("parses");
    assert_eq!((a.summary(), a.headline()), ("", "Headline"));
}

#[test]
fn minimal_layouts_parse() {
    let a = Article::parse("x", "Sum\nHead").expect("two lines are enough");
    assert_eq!(a.headline(), "Head");
    assert_eq!(a.paragraphs().count(), 0);
    let b = Article::parse("x", "Sum\r\nHead\r\n\r\nP1\r\n\r\nP2\r\n").expect("crlf");
    assert_eq!(b.text(), "Sum\nHead\n\nP1\n\nP2");
    let ranges: Vec<_> = b.blocks().iter().map(|b| b.range.clone()).collect();
    assert_eq!(ranges, vec![0..3, 4..8, 10..12, 13..13, 14..16]);
}

#[test]
fn block_ranges_count_code_points_not_bytes() {
    let a = Article::parse("x", "😀 “s”\n日本語 head\n\nna\u{ef}ve 👩‍💻").expect("parses");
    for block in a.blocks() {
        assert_eq!(
            slice_cp(a.text(), block.range.start, block.range.end),
            block.text
        );
    }
    assert_eq!(a.blocks()[1].range, 6..14);
    assert_eq!(a.len(), a.text().chars().count());
}

#[test]
fn user_ids_hash_the_canonical_text() {
    let id = user_article_id(&canonicalize("S\r\nH\r\n"));
    assert_eq!(id, user_article_id("S\nH"));
    assert_eq!(id.len(), "user-".len() + 12);
    assert!(id[5..].chars().all(|c| c.is_ascii_hexdigit()));
}

#[derive(serde::Deserialize)]
struct Golden {
    id: String,
    length: usize,
    text_sha256: String,
    headline: String,
    blocks: Vec<(String, usize, usize)>,
    boilerplate: Vec<String>,
    spans: Vec<(usize, usize, String)>,
}

#[test]
fn seed_matches_golden_file() {
    let raw = include_bytes!("data/seed.txt");
    let golden: Golden = serde_json::from_str(include_str!("data/seed.expected.json"))
        .expect("golden file is valid JSON");
    let a = Article::from_bytes(&golden.id, raw).expect("seed parses");
    assert_eq!(a.len(), golden.length);
    assert_eq!(a.text_sha256(), golden.text_sha256);
    assert_eq!(a.headline(), golden.headline);
    assert!(a.text().contains('“') && a.text().contains('”') && a.text().contains('–'));
    let blocks: Vec<_> = a
        .blocks()
        .iter()
        .map(|b| {
            let kind = match b.kind {
                BlockKind::Summary => "summary",
                BlockKind::Headline => "headline",
                BlockKind::Paragraph => "paragraph",
            };
            (kind.to_string(), b.range.start, b.range.end)
        })
        .collect();
    assert_eq!(blocks, golden.blocks);
    let boilerplate: Vec<_> = a
        .blocks()
        .iter()
        .filter(|b| b.is_boilerplate())
        .map(|b| b.text.clone())
        .collect();
    assert_eq!(boilerplate, golden.boilerplate);
    for (start, end, quote) in golden.spans {
        assert_eq!(slice_cp(a.text(), start, end), quote);
    }
}

#[test]
fn shipped_seed_is_the_golden_copy() {
    assert_eq!(
        include_bytes!("../../seeds/000_6ee9234a710e1662.txt").as_slice(),
        include_bytes!("data/seed.txt").as_slice()
    );
}

#[test]
fn slicing_by_code_points_matches_a_walk_in_long_mixed_and_ascii_texts() {
    use annotator_core::offsets::slice_cp;
    let mixed: String = (0..300)
        .map(|i| match i % 7 {
            0 => "“",
            1 => "é",
            2 => "😀",
            3 => "東",
            _ => "a",
        })
        .collect();
    let ascii: String = "abcdefghij".repeat(30);
    for body in [mixed, ascii] {
        let text = format!("Sum\nHead\n\n{body}");
        let article = Article::parse("x", &text).expect("parses");
        let len = text.chars().count();
        assert_eq!(article.len(), len);
        for a in (0..=len).step_by(3) {
            for b in [a, a + 1, a + 31, a + 32, a + 33, a + 70, len] {
                assert_eq!(article.slice(a, b), slice_cp(&text, a, b), "{a}..{b}");
            }
        }
        for (cp, (byte, c)) in text.char_indices().enumerate() {
            assert_eq!(article.cp_of_byte(byte), cp);
            // Inside a character: rounded down.
            if c.len_utf8() > 1 {
                assert_eq!(article.cp_of_byte(byte + 1), cp);
            }
        }
        assert_eq!(article.cp_of_byte(text.len()), len);
    }
}

#[test]
fn blocks_touching_a_range_are_found_by_their_ranges() {
    // Blocks: summary 0..2 "S1", headline 3..5 "H1", paragraphs 7..12
    // "Para1", 13..18 "Para2" (line 3 is the blank separator).
    let article = annotator_core::Article::parse("t", "S1\nH1\n\nPara1\nPara2").expect("parses");
    let ranges: Vec<(usize, usize)> = article
        .blocks()
        .iter()
        .map(|b| (b.range.start, b.range.end))
        .collect();
    assert_eq!(ranges, [(0, 2), (3, 5), (7, 12), (13, 18)]);
    // (start, end) → block indices
    let cases: &[((usize, usize), &[usize])] = &[
        ((0, 1), &[0]),
        ((0, 2), &[0]),
        ((2, 3), &[0, 1]),
        ((8, 9), &[2]),
        ((8, 14), &[2, 3]),
        ((12, 13), &[2, 3]),
        ((6, 6), &[]),
        ((0, usize::MAX), &[0, 1, 2, 3]),
        ((19, 30), &[]),
    ];
    for ((s, e), want) in cases {
        let got: Vec<usize> = article.blocks_touching(*s, *e).collect();
        assert_eq!(got, *want, "{s}..={e}");
    }
}
