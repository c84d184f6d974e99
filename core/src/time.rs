//! Timestamps: RFC 3339 UTC strings, compared in time order.
//!
//! The app writes milliseconds (`2026-11-26T10:00:00.123Z`) so that edits in
//! the same second keep their order; files may hold seconds only
//! (`2026-11-26T10:00:00Z`). [`later`] compares both kinds correctly.

use std::cmp::Ordering;

/// A sortable key: the timestamp with a missing fraction read as `.000`.
fn key(t: &str) -> String {
    match t.strip_suffix('Z') {
        Some(head) if !head.contains('.') => format!("{head}.000Z"),
        _ => t.to_string(),
    }
}

/// Compares two timestamps in time order.
pub fn compare(a: &str, b: &str) -> Ordering {
    key(a).cmp(&key(b))
}

/// True when `a` is strictly later than `b`.
pub fn later(a: &str, b: &str) -> bool {
    compare(a, b) == Ordering::Greater
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_milliseconds_compare_in_time_order() {
        assert!(later("2026-11-26T10:00:00.001Z", "2026-11-26T10:00:00Z"));
        assert!(later("2026-11-26T10:00:01Z", "2026-11-26T10:00:00.999Z"));
        assert!(!later("2026-11-26T10:00:00Z", "2026-11-26T10:00:00.000Z"));
        assert!(later("2026-11-26T10:00:00Z", ""));
    }
}
