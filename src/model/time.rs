//! Timestamp helpers. Nothing here reads the system clock.

use jiff::Timestamp;

/// Parses the date forms AWS exports use: `2023-03-09T10:41:45Z`,
/// `2023-03-09T10:41:45+00:00` and `2023-03-09 10:41:45+00:00`, with or
/// without fractional seconds.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    let trimmed = text.trim();
    if let Some(t) = parse_utc_seconds(trimmed) {
        return Ok(t);
    }
    trimmed
        .parse::<Timestamp>()
        .map_err(|e| format!("cannot parse date {text:?}: {e}"))
}

/// The common case, without jiff's general parser: `YYYY-MM-DDTHH:MM:SS`
/// (or a space for the `T`) then `Z` or `+00:00`. `None` for anything else,
/// including an impossible date, which the general parser then reports.
fn parse_utc_seconds(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    let utc = match b.len() {
        20 => b[19] == b'Z',
        25 => &b[19..] == b"+00:00",
        _ => false,
    };
    if !utc || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<i64> {
        b[from..from + len].iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Timestamp::from_second(days * 86_400 + hour * 3_600 + minute * 60 + second).ok()
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
    fn the_fast_path_agrees_with_jiff() {
        let mut seconds: i64 = -30_610_224_000; // 1000-01-01
        while seconds < 253_402_300_799 {
            let t = Timestamp::from_second(seconds).unwrap();
            for form in ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S+00:00"] {
                let text = t.strftime(form).to_string();
                assert_eq!(parse_utc_seconds(&text), Some(t), "{text}");
            }
            seconds += 7_654_321;
        }
        for text in [
            "2023-02-29T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2023-04-31T00:00:00Z",
            "2023-00-10T00:00:00Z",
            "2023-01-10T24:00:00Z",
            "2023-01-10T10:60:00Z",
            "2023-01-10T10:00:60Z",
            "2023-01-10T10:00:00+01:00",
            "2023-01-10X10:00:00Z",
            "+023-01-10T10:00:00Z",
        ] {
            assert_eq!(parse_utc_seconds(text), None, "{text}");
        }
        assert!(parse_utc_seconds("2024-02-29T23:59:59Z").is_some());
        assert!(parse_utc_seconds("2000-02-29T00:00:00Z").is_some());
        assert_eq!(parse_utc_seconds("1900-02-29T00:00:00Z"), None);
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
