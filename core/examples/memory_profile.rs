//! Where the memory goes when the app opens a long article: each step of a
//! load (as `Saver::load` does it) and of the suggesters (as the page runs
//! them), with the bytes held after the step and the most held during it,
//! counted by a global allocator. The wasm build's memory only grows, so
//! its size is the largest of the "peak" column, plus the page's own.
//!
//! `cargo run --release -p annotator-core --features alloc-stats --example memory_profile [W3]`
//! (a workload of `../shared/bench/workloads`, loaded as a user's article,
//! as `./scripts/bench` stores it). Native sizes: pointers are 8 bytes
//! here and 4 in wasm, so structures of pointers count up to twice.

use std::sync::Arc;

use annotator_core::alloc_stats::{held, take_peak, Counting};
use annotator_core::formats::native;
use annotator_core::suggest::model::{Tagging, TrainDoc, Training};
use annotator_core::suggest::repeats::Phrases;
use annotator_core::suggest::{Filter, Refresh, Rejected, Words};
use annotator_core::{Catalog, Workspace};

#[global_allocator]
static A: Counting = Counting;

fn mib(n: usize) -> f64 {
    n as f64 / 1_048_576.0
}

/// Runs `f` as a step: prints what is held after it and the peak during it.
fn step<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let before = held();
    take_peak();
    let out = f();
    let after = held();
    println!(
        "{name:<44} held {:>7.2} MiB  ({:>+7.2})  peak during {:>7.2} MiB",
        mib(after),
        mib(after) - mib(before),
        mib(take_peak())
    );
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args().nth(1).unwrap_or_else(|| "W3".into());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/workloads");
    let text = std::fs::read_to_string(dir.join(format!("{name}.txt")))?;
    let annotations = std::fs::read_to_string(dir.join(format!("{name}.annotations.json")))?;
    // The saved state as the benchmark stores it: the workload as a user's article.
    let saved = {
        let mut file: serde_json::Value = serde_json::from_str(&annotations)?;
        file["articles"][0]["text"] = serde_json::Value::String(text);
        let file = native::read(&serde_json::to_string(&file)?)?;
        let (ws, _) = Workspace::from_native(file, &Catalog::from_seeds(&[]).0);
        ws.to_native_json("2026-11-29T00:00:00.000Z", &mut Default::default())
    };
    println!(
        "{name}: saved state {:.2} MiB (UTF-8), the counter starts at {:.2} MiB\n",
        mib(saved.len()),
        mib(held())
    );
    let seeds = Arc::new(Catalog::from_seeds(&[]).0);
    let file = step("parse the saved file (native::read)", || {
        native::read(&saved)
    })?;
    let saved_len = saved.len();
    let (ws, _) = step("anchor (Workspace::from_native)", || {
        Workspace::from_native(file, &seeds)
    });
    step("… the saved string freed", || drop(saved));
    let mut cache = Default::default();
    let json = step("warm the save cache (to_native_json)", || {
        ws.to_native_json("2026-11-29T00:00:00.000Z", &mut cache)
    });
    step("… the written string freed (the cache kept)", || {
        drop(json)
    });
    let entry = ws.entries().first().ok_or("no article")?;
    let catalog = step("the catalog of the user's articles", || {
        seeds.with_user_articles(ws.user_articles())
    });
    let article = catalog
        .get(&entry.id)
        .ok_or("article not in the catalog")?
        .clone();
    let words = step("words of the article (Words::of)", || {
        Arc::new(Words::of(article.text()))
    });
    let refresh = step("suggestions: repeats and cues (Refresh)", || {
        let mut r = Refresh::new(
            &article,
            Arc::clone(&words),
            &entry.set,
            Phrases::of([&entry.set]),
            Arc::default(),
            &Rejected::default(),
            Filter { threshold: 0.5 },
        );
        while !r.step(1000) {}
        r.finish()
    });
    let docs = vec![TrainDoc {
        text: Arc::from(article.text()),
        spans: entry
            .set
            .items()
            .iter()
            .map(|a| (a.start, a.end, a.label))
            .collect(),
    }];
    let (model, _) = step("train the model (Training, to the end)", || {
        let mut t = Training::new(docs);
        while !t.step(400) {}
        t.finish()
    });
    println!("    ({} features)", model.features());
    let tagged = step("tag the article (Tagging)", || {
        let mut t = Tagging::new(Arc::new(model), Arc::from(article.text()));
        while !t.step(400) {}
        t.finish()
    });
    let with_actors = refresh.iter().filter(|s| !s.actors.is_empty()).count();
    let by_source = |src| refresh.iter().filter(|s| s.source == src).count();
    println!(
        "\n{} bytes per suggestion (native) + its lists; {with_actors} with actors; repeats {}, cues {}",
        std::mem::size_of::<annotator_core::suggest::Suggestion>(),
        by_source(annotator_core::suggest::Source::Repeat),
        by_source(annotator_core::suggest::Source::Cue),
    );
    println!(
        "\n{} suggestions shown, {} from the model; saved state was {:.2} MiB",
        refresh.len(),
        tagged.len(),
        mib(saved_len)
    );
    Ok(())
}
