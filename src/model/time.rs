//! Timestamp helpers. Nothing here reads the system clock.

use jiff::Timestamp;

/// Parses the date forms AWS exports use: `2023-03-09T10:41:45Z`,
/// `2023-03-09T10:41:45+00:00` and `2023-03-09 10:41:45+00:00`, with or
/// without fractional seconds.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    text.trim()
        .parse::<Timestamp>()
        .map_err(|e| format!("cannot parse date {text:?}: {e}"))
}

/// Whole days from `then` to `now`; negative when `then` is in the future.
pub fn days_between(then: Timestamp, now: Timestamp) -> i64 {
    now.duration_since(then).as_secs().div_euclid(86_400)
}

/// Whole days from `then` to `now`, counted between the whole-second times
/// the reports show, so a saved report read back (and every format) gives
/// the same ages.
pub fn whole_days_between(then: Timestamp, now: Timestamp) -> i64 {
    let whole = |t: Timestamp| Timestamp::from_second(t.as_second()).unwrap_or(t);
    days_between(whole(then), whole(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_aws_form_to_the_same_instant() {
        let forms = [
            "2023-03-09T10:41:45Z",
            "2023-03-09T10:41:45+00:00",
            "2023-03-09 10:41:45+00:00",
            "2023-03-09T10:41:45.000Z",
        ];
        let want: Timestamp = "2023-03-09T10:41:45Z".parse().unwrap();
        for f in forms {
            assert_eq!(parse_timestamp(f).unwrap(), want, "{f}");
        }
    }

    #[test]
    fn rejects_bad_dates_with_the_text() {
        let err = parse_timestamp("2023-13-01T00:00:00Z").unwrap_err();
        assert!(err.contains("2023-13-01"), "{err}");
        assert!(parse_timestamp("yesterday").is_err());
    }

    #[test]
    fn counts_whole_days() {
        let a: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let b: Timestamp = "2026-01-31T23:59:59Z".parse().unwrap();
        assert_eq!(days_between(a, b), 30);
        assert_eq!(days_between(b, a), -31);
    }
}
