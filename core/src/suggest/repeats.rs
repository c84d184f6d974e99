//! Repeats: stub.
