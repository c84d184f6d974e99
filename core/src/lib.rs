//! The pure core of Article Annotator.
//!
//! Articles, code-point offsets, the annotation model and every file format
//! live here as plain Rust. Nothing in this crate touches the DOM, Leptos,
//! web-sys or localStorage; the app in the root package translates browser
//! events into calls on these types. Every function fed by user input, a file
//! or storage returns a `Result` and never panics.
#![deny(missing_docs)]

pub mod article;
pub mod catalog;
pub mod offsets;

pub use article::{Article, ArticleError, Block, BlockKind};
pub use catalog::Catalog;
