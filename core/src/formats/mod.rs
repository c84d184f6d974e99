//! Wire types for every file format, apart from the domain types.
//!
//! Each format's types only (de)serialise; conversion into the model checks
//! every value and returns a typed error.

pub mod export;
pub mod import;
pub mod native;
