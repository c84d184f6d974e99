//! The seed articles, embedded at build time by `build.rs` from `seeds/*.txt`.
//!
//! `SEEDS` holds `(id, canonical text)` pairs sorted by id; the build script
//! has already refused any seed that breaks the layout.

include!(concat!(env!("OUT_DIR"), "/seeds.rs"));
