//! Prints precision, recall and F1 per label of each suggestion source
//! against a reference annotation (default: the seed article's,
//! `tests/data/seed-gold.json`, on `seeds/000_6ee9234a710e1662.txt`).
//!
//! `cargo run --release -p annotator-core --example suggestion_scores [gold.json] [article.txt]`

use annotator_core::suggest::gold::Gold;
use annotator_core::suggest::measure::measure;
use annotator_core::Article;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut args = std::env::args().skip(1);
    let gold_path = args
        .next()
        .map(Into::into)
        .unwrap_or_else(|| root.join("tests/data/seed-gold.json"));
    let gold = Gold::parse(&std::fs::read_to_string(&gold_path)?)?;
    let article_path = args
        .next()
        .map(Into::into)
        .unwrap_or_else(|| root.join(format!("seeds/{}.txt", gold.article)));
    let article = Article::from_bytes(&gold.article, &std::fs::read(&article_path)?)?;
    if article.text_sha256() != gold.text_sha256 {
        return Err("the reference was made for another text (text_sha256 differs)".into());
    }
    let m = measure(&article, &gold);
    println!(
        "Suggestions against {} ({} spans)\n",
        gold_path.display(),
        gold.spans.len()
    );
    println!(
        "Cues alone, untouched article (claims and commitments):\n{}",
        m.cues.table()
    );
    println!(
        "Repeats, after the first mention of each entity is tagged ({} tagged):\n{}",
        m.seeded,
        m.repeats.table()
    );
    println!(
        "Model, trained on the first half, scored on the second:\n{}",
        m.model.table()
    );
    Ok(())
}
