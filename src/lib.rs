//! Article Annotator: the Leptos app.
//!
//! A thin UI over `annotator_core`: components translate DOM events into core
//! calls and core state into view. `main.rs` only mounts [`App`]; everything
//! is public here so browser tests can mount any component on its own.

pub mod actions;
pub mod commands;
pub mod comparing;
pub mod components;
pub mod dom;
pub mod download;
pub mod modal;
pub mod offline;
pub mod perf;
pub mod recovery;
pub mod render;
pub mod route;
pub mod schedule;
pub mod seeds;
pub mod selection;
pub mod state;
pub mod storage;
pub mod suggesting;

pub use components::app::App;
