//! End-to-end scenarios: the release build served on 127.0.0.1 and driven in
//! headless Chromium through chromedriver, as a person would use it.
//!
//! One integration binary; each file below holds the scenarios of one area.
//! The build they drive includes `tests/data/seeds/` (see scripts/test). The
//! harness (server, driver, page helpers) is the `annotator-test-support`
//! crate (`test-support/`); `fixtures.rs` holds the seed's native files.
#![cfg(not(target_arch = "wasm32"))]

mod adjudicating;
mod annotating;
mod articles;
mod dialogs;
mod digest;
mod editing;
mod files;
mod fixtures;
mod hardening;
mod keyboard;
mod linking;
mod offline;
mod reading;
mod selecting;
mod single_file;
mod suggesting;
mod switching;
