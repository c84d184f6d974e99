//! The pure core of Article Annotator.
//!
//! Articles, code-point offsets, the annotation model and every file format
//! live here as plain Rust. Nothing in this crate touches the DOM, Leptos,
//! web-sys or localStorage; the app in the root package translates browser
//! events into calls on these types. Every function fed by user input, a file
//! or storage returns a `Result` and never panics.
#![deny(missing_docs)]

pub mod adding;
pub mod adjudication;
pub mod agreement;
#[cfg(feature = "alloc-stats")]
pub mod alloc_stats;
pub mod anchor;
pub mod annotation;
pub mod article;
pub mod attributes;
pub mod catalog;
pub mod comparison;
pub mod cursor;
pub mod digest;
pub mod edit;
pub mod formats;
pub mod ids;
pub mod journal;
pub mod label;
pub mod linking;
pub mod merge;
pub mod offsets;
pub mod relation;
pub mod saver;
pub mod segments;
pub mod session;
pub mod span;
pub mod suggest;
pub mod time;
pub mod workspace;

pub use annotation::{Annotation, AnnotationSet};
pub use article::{Article, ArticleError, Block, BlockKind};
pub use catalog::Catalog;
pub use label::Label;
pub use span::Span;
pub use workspace::Workspace;
