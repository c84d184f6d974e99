//! The file formats, one module per format: it reads the format (where the
//! app reads it) and writes it. [`export`] holds what every export shares
//! and dispatches to them; [`import`] plans an import of a file read by
//! [`native`] or [`w3c`].
//!
//! Each format's wire types only (de)serialise; conversion into the model
//! checks every value and returns a typed error.

pub mod brat;
pub mod conll;
pub mod csv;
pub mod export;
pub mod import;
pub mod jsonl;
pub mod native;
pub mod w3c;
