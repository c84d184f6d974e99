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

/// Milliseconds since 1970 of a timestamp `YYYY-MM-DDTHH:MM:SS[.fff]Z`
/// (`None` for any other text).
pub fn millis(t: &str) -> Option<i64> {
    let t = t.strip_suffix('Z')?;
    let (date, time) = t.split_once('T')?;
    let mut d = date.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut h = hms.split(':').map(|x| x.parse::<i64>().ok());
    let (hh, mm, ss) = (h.next()??, h.next()??, h.next()??);
    let ms: i64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1000 + ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_since_1970() {
        assert_eq!(millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(millis("1970-01-02T00:00:01.5Z"), Some(86_401_500));
        assert_eq!(millis("2026-11-28T10:00:00.000Z"), Some(1_795_860_000_000));
        assert_eq!(millis("2000-03-01T00:00:00Z"), Some(951_868_800_000));
        assert_eq!(millis("yesterday"), None);
    }

    #[test]
    fn seconds_and_milliseconds_compare_in_time_order() {
        assert!(later("2026-11-26T10:00:00.001Z", "2026-11-26T10:00:00Z"));
        assert!(later("2026-11-26T10:00:01Z", "2026-11-26T10:00:00.999Z"));
        assert!(!later("2026-11-26T10:00:00Z", "2026-11-26T10:00:00.000Z"));
        assert!(later("2026-11-26T10:00:00Z", ""));
    }
}
