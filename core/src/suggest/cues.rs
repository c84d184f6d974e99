//! Cues: stub.
