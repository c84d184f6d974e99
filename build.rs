//! Embeds every `seeds/*.txt` into the app at build time.
//!
//! Each seed is checked with the core's article parser; a seed that breaks
//! the layout (not UTF-8, empty, no headline line…) fails the build with a
//! message naming the file. The output, `$OUT_DIR/seeds.rs`, is a sorted list
//! of `(id, text)` pairs read by `src/seeds.rs`: `seeds/` sorted by file
//! name, then each folder named in `ANNOTATOR_EXTRA_SEEDS` (colon-separated;
//! used by the end-to-end tests and the benchmark).

use std::path::{Path, PathBuf};
use std::{env, fs};

use annotator_core::article::Article;

fn main() {
    println!("cargo:rerun-if-changed=seeds");
    println!("cargo:rerun-if-env-changed=ANNOTATOR_EXTRA_SEEDS");
    let mut dirs = vec![PathBuf::from("seeds")];
    // Test and benchmark builds add folders of articles (colon-separated).
    if let Ok(extra) = env::var("ANNOTATOR_EXTRA_SEEDS") {
        for dir in extra.split(':').filter(|d| !d.is_empty()) {
            println!("cargo:rerun-if-changed={dir}");
            dirs.push(PathBuf::from(dir));
        }
    }
    let mut entries = Vec::new();
    for dir in &dirs {
        match fs::read_dir(dir) {
            Ok(rd) => {
                let mut found: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
                found.retain(|p| p.extension().is_some_and(|x| x == "txt"));
                found.sort();
                entries.extend(found);
            }
            Err(e) => fail(&format!("cannot read the folder {}: {e}", dir.display())),
        }
    }
    let mut code = String::from("/// Seeds as (id, canonical text), in list order.\npub static SEEDS: &[(&str, &str)] = &[\n");
    let mut hashes = String::from("/// `text_sha256` of each seed, computed at build time: (id, hex).\npub static SEED_SHA256: &[(&str, &str)] = &[\n");
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in &entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(format!("{}: cannot be read: {e}", path.display()));
                continue;
            }
        };
        match Article::from_bytes(&id, &bytes) {
            Ok(_) if !seen.insert(id.clone()) => {
                problems.push(format!("{}: the id {id:?} is used twice", path.display()))
            }
            Ok(article) => {
                code.push_str(&format!(
                    "    ({:?}, {:?}),\n",
                    article.id(),
                    article.text()
                ));
                hashes.push_str(&format!(
                    "    ({:?}, {:?}),\n",
                    article.id(),
                    article.text_sha256()
                ));
            }
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    if !problems.is_empty() {
        fail(&format!(
            "these seed articles break the layout of FORMAT.md (line 1 summary, line 2 headline, line 3 blank, body):\n  {}",
            problems.join("\n  ")
        ));
    }
    if entries.is_empty() {
        fail("seeds/ holds no .txt article; the app needs at least one");
    }
    code.push_str("];\n");
    hashes.push_str("];\n");
    code.push_str(&hashes);
    let out = match env::var("OUT_DIR") {
        Ok(o) => Path::new(&o).join("seeds.rs"),
        Err(_) => fail("OUT_DIR is not set"),
    };
    if let Err(e) = fs::write(&out, code) {
        fail(&format!("cannot write {}: {e}", out.display()));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    println!("cargo:warning={}", message.replace('\n', " "));
    std::process::exit(1);
}
