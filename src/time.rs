//! Time as mmjwt reads and writes it: durations (`90s`, `15m`, `2h`, `1d`, `1h30m`), instants
//! (RFC 3339 or Unix seconds), RFC 3339 output and relative phrases ("expires in 14m").
//!
//! Everything here is pure; the caller supplies `now`.

use chrono::{DateTime, SecondsFormat, Utc};

/// Parses a duration such as `90s`, `15m`, `2h`, `1d`, `1h30m` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration; use forms like 90s, 15m, 2h, 1d".into());
    }
    if let Ok(n) = t.parse::<i64>() {
        return if n < 0 {
            Err("a duration cannot be negative".into())
        } else {
            Ok(n)
        };
    }
    let mut total: i64 = 0;
    let mut digits = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(format!("unknown duration unit '{c}'; use s, m, h, d or w")),
        };
        let n: i64 = digits
            .parse()
            .map_err(|_| format!("a number must come before the unit '{c}'"))?;
        digits.clear();
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or("duration is too large")?;
    }
    if !digits.is_empty() {
        return Err("a number at the end needs a unit (s, m, h, d or w)".into());
    }
    Ok(total)
}

/// Parses an instant: Unix seconds (`1700000000`) or RFC 3339 (`2023-11-14T22:13:20Z`).
pub fn parse_instant(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Ok(n);
    }
    DateTime::parse_from_rfc3339(t)
        .map(|d| d.timestamp())
        .map_err(|_| "not a time: use Unix seconds or RFC 3339 such as 2026-01-02T03:04:05Z".into())
}

/// The current Unix time in whole seconds (the only clock read in the crate's cores' callers).
pub fn now_unix() -> i64 {
    Utc::now().timestamp()
}

/// RFC 3339 in UTC, or `None` for instants chrono cannot represent.
pub fn rfc3339(secs: i64) -> Option<String> {
    let mut s = String::with_capacity(20);
    push_rfc3339(&mut s, secs).then_some(s)
}

/// Appends `rfc3339(secs)`; returns false (appending nothing) where that is `None`.
///
/// Years 0–9999 are formatted here (batch reports format two dates per token); other years go
/// through chrono, whose output this matches (a test compares the two).
pub fn push_rfc3339(out: &mut String, secs: i64) -> bool {
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    const FIRST: i64 = -62_167_219_200;
    const LAST: i64 = 253_402_300_799;
    if !(FIRST..=LAST).contains(&secs) {
        return match DateTime::<Utc>::from_timestamp(secs, 0) {
            Some(d) => {
                out.push_str(&d.to_rfc3339_opts(SecondsFormat::Secs, true));
                true
            }
            None => false,
        };
    }
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    // Digits into a buffer and one copy: batch reports write two dates per token.
    let mut text = *b"0000-00-00T00:00:00Z";
    let mut two = |at: usize, n: i64| {
        let n = u8::try_from(n).unwrap_or(0);
        text[at] = b'0' + n / 10;
        text[at + 1] = b'0' + n % 10;
    };
    two(0, y / 100);
    two(2, y % 100);
    two(5, m);
    two(8, d);
    two(11, rem / 3600);
    two(14, rem / 60 % 60);
    two(17, rem % 60);
    // ASCII digits and punctuation only.
    out.push_str(std::str::from_utf8(&text).unwrap_or_default());
    true
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); H. Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A compact human duration: the two largest non-zero units (`3h 2m`, `14m`, `45s`).
pub fn human_duration(secs: u64) -> String {
    let mut s = String::new();
    push_human_duration(&mut s, secs);
    s
}

/// Appends `human_duration(secs)`.
pub fn push_human_duration(out: &mut String, secs: u64) {
    if secs == 0 {
        out.push_str("0s");
        return;
    }
    // Each unit's count from the whole, by constants (a division by a constant is a multiply;
    // by a table entry it was a `div`, tens of cycles each, four a phrase).
    let units = [
        (secs / 86_400, "d"),
        (secs / 3600 % 24, "h"),
        (secs / 60 % 60, "m"),
        (secs % 60, "s"),
    ];
    let mut parts = 0;
    for (count, name) in units {
        if count > 0 {
            if parts > 0 {
                out.push(' ');
            }
            // itoa, not `write!`: batch reports phrase two dates per token.
            out.push_str(itoa::Buffer::new().format(count));
            out.push_str(name);
            parts += 1;
            if parts == 2 {
                break;
            }
        }
    }
}

/// "in 14m" / "3h ago" / "now" for `at` seen from `now`.
pub fn relative(at: i64, now: i64) -> String {
    let mut s = String::new();
    push_relative(&mut s, at, now);
    s
}

/// Appends `relative(at, now)`.
pub fn push_relative(out: &mut String, at: i64, now: i64) {
    let delta = i128::from(at) - i128::from(now);
    let secs = u64::try_from(delta.unsigned_abs()).unwrap_or(u64::MAX);
    match delta.signum() {
        0 => out.push_str("now"),
        1 => {
            out.push_str("in ");
            push_human_duration(out, secs);
        }
        _ => {
            push_human_duration(out, secs);
            out.push_str(" ago");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The two largest non-zero units, as the unit-by-unit remainder loop phrased them.
        #[test]
        fn human_durations_keep_their_phrasing(secs in proptest::prop_oneof![
            0u64..200_000,
            proptest::num::u64::ANY,
        ]) {
            let mut want = String::new();
            let mut rest = secs;
            let mut parts = 0;
            for (size, name) in [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")] {
                if rest >= size && parts < 2 {
                    if parts > 0 {
                        want.push(' ');
                    }
                    want += &(rest / size).to_string();
                    want += name;
                    rest %= size;
                    parts += 1;
                }
            }
            if secs == 0 {
                want.push_str("0s");
            }
            proptest::prop_assert_eq!(human_duration(secs), want);
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("15m"), Ok(900));
        assert_eq!(parse_duration("2h"), Ok(7200));
        assert_eq!(parse_duration("1d"), Ok(86_400));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("60"), Ok(60));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("10").is_ok());
        assert!(parse_duration("-5").is_err());
        assert!(parse_duration("99999999999999999d").is_err());
    }

    #[test]
    fn instants() {
        assert_eq!(parse_instant("1700000000"), Ok(1_700_000_000));
        assert_eq!(parse_instant("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert_eq!(
            parse_instant("2023-11-15T00:13:20+02:00"),
            Ok(1_700_000_000)
        );
        assert!(parse_instant("yesterday").is_err());
        assert_eq!(rfc3339(1_700_000_000).unwrap(), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn relative_phrases() {
        assert_eq!(relative(100, 100), "now");
        assert_eq!(relative(100 + 14 * 60, 100), "in 14m");
        assert_eq!(relative(0, 3 * 3600 + 120), "3h 2m ago");
        assert_eq!(
            relative(i64::MAX, i64::MIN),
            format!("in {}", human_duration(u64::MAX))
        );
        assert_eq!(human_duration(90_061), "1d 1h");
    }

    fn chrono_rfc3339(secs: i64) -> Option<String> {
        DateTime::<Utc>::from_timestamp(secs, 0)
            .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
    }

    #[test]
    fn rfc3339_edges_match_chrono() {
        for secs in [
            0,
            -1,
            86_399,
            951_782_400, // 2000-02-29
            -62_167_219_200,
            -62_167_219_201,
            253_402_300_799,
            253_402_300_800,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(rfc3339(secs), chrono_rfc3339(secs), "at {secs}");
        }
    }

    proptest::proptest! {
        #[test]
        fn rfc3339_matches_chrono(secs in -70_000_000_000i64..260_000_000_000) {
            proptest::prop_assert_eq!(rfc3339(secs), chrono_rfc3339(secs));
        }
    }
}
