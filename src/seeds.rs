//! The seed articles, embedded at build time by `build.rs` from `seeds/*.txt`.
//!
//! `SEEDS` holds `(id, canonical text)` pairs sorted by id; the build script
//! has already refused any seed that breaks the layout. `SEED_SHA256` holds
//! each seed's text hash, so start-up need not hash long articles.

include!(concat!(env!("OUT_DIR"), "/seeds.rs"));
