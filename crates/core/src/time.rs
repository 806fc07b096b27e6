//! Time as mmjwt reads and writes it: durations (`90s`, `15m`, `2h`, `1d`, `1h30m`), instants
//! (RFC 3339 or Unix seconds), RFC 3339 output, HTTP's dates and relative phrases ("expires in
//! 14m").
//!
//! Everything here is pure but [`now_unix`] and [`now_rfc3339_millis`]; the cores take `now`
//! from their callers. The calendar is the proleptic Gregorian one, by H. Hinnant's day
//! algorithms; the tests hold parsing and formatting to chrono's.

use std::fmt::Write as _;

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
    parse_rfc3339(t).ok_or_else(|| {
        "not a time: use Unix seconds or RFC 3339 such as 2026-01-02T03:04:05Z".into()
    })
}

/// `YYYY-MM-DD(T|t| )hh:mm:ss[.fraction](Z|z|±hh:mm)` to Unix seconds (the fraction dropped, a
/// leap second `:60` read as `:59`), or `None`.
fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let num = |at: usize, len: usize| -> Option<i64> {
        let digits = bytes.get(at..at + len)?;
        digits.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let at = |i: usize, c: &[u8]| bytes.get(i).is_some_and(|x| c.contains(x));
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt ") && at(13, b":") && at(16, b":")) {
        return None;
    }
    let days = date_days(num(0, 4)?, num(5, 2)?, num(8, 2)?)?;
    let (hour, min, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    if at(i, b".") {
        i += 1;
        let digits = bytes[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        i += digits;
    }
    let offset = match bytes.get(i)? {
        b'Z' | b'z' if i + 1 == bytes.len() => 0,
        side @ (b'+' | b'-') if i + 6 == bytes.len() && at(i + 3, b":") => {
            let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if *side == b'-' { -o } else { o }
        }
        _ => return None,
    };
    Some(days * 86_400 + hour * 3600 + min * 60 + sec.min(59) - offset)
}

/// Days since 1970-01-01 of a valid date, or `None`.
fn date_days(y: i64, m: i64, d: i64) -> Option<i64> {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let len = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    (1..=len).contains(&d).then(|| days_from_civil(y, m, d))
}

/// Whether `text` is a date written `yyyy-MM-dd` (four-digit year, a day its month has).
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!((num(0..4), num(5..7), num(8..10)), (Some(y), Some(m), Some(d)) if date_days(y, m, d).is_some())
}

fn system_now() -> std::time::Duration {
    // A clock before 1970 reads as 1970.
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// The current Unix time in whole seconds (the only clock read in the crate's cores' callers).
pub fn now_unix() -> i64 {
    system_now().as_secs() as i64
}

/// Now in RFC 3339 with milliseconds (`2026-01-02T03:04:05.678Z`), for log lines.
pub fn now_rfc3339_millis() -> String {
    let now = system_now();
    let mut s = String::with_capacity(24);
    push_rfc3339(&mut s, now.as_secs() as i64);
    s.pop();
    let _ = write!(s, ".{:03}Z", now.subsec_millis());
    s
}

/// RFC 3339 in UTC, or `None` outside the years -262143 to 262142 (chrono's range, which
/// earlier versions took the text from).
pub fn rfc3339(secs: i64) -> Option<String> {
    let mut s = String::with_capacity(20);
    push_rfc3339(&mut s, secs).then_some(s)
}

/// Appends `rfc3339(secs)`; returns false (appending nothing) where that is `None`.
///
/// Years outside 0–9999 are written with a sign and at least four digits (`+10000-01-01…`,
/// `-0001-12-31…`), as chrono writes them.
pub fn push_rfc3339(out: &mut String, secs: i64) -> bool {
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    const FIRST: i64 = -62_167_219_200;
    const LAST: i64 = 253_402_300_799;
    // -262143-01-01T00:00:00Z and +262142-12-31T23:59:59Z.
    const MIN: i64 = -8_334_601_228_800;
    const MAX: i64 = 8_210_266_876_799;
    if !(MIN..=MAX).contains(&secs) {
        return false;
    }
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(FIRST..=LAST).contains(&secs) {
        let _ = write!(
            out,
            "{y:+05}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        );
        return true;
    }
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

/// An HTTP date (RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`) for Unix seconds
/// from 1970 to 9999, as the servers' `Date` header carries it.
pub fn http_date(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = secs.min(253_402_300_799) as i64;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[(m - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// A proleptic Gregorian date to days since 1970-01-01; H. Hinnant's algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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

    use chrono::{DateTime, SecondsFormat, Utc};

    fn chrono_rfc3339(secs: i64) -> Option<String> {
        DateTime::<Utc>::from_timestamp(secs, 0)
            .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
    }

    fn chrono_parse(text: &str) -> Option<i64> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|d| d.timestamp())
    }

    #[test]
    fn http_dates_match_chrono() {
        for secs in [
            0,
            86_399,
            784_111_777,
            951_782_400,
            1_700_000_000,
            253_402_300_799,
        ] {
            let chrono = DateTime::<Utc>::from_timestamp(secs, 0)
                .unwrap()
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string();
            assert_eq!(http_date(secs as u64), chrono, "at {secs}");
        }
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(u64::MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
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
            -8_334_601_228_800,
            -8_334_601_228_801,
            8_210_266_876_799,
            8_210_266_876_800,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(rfc3339(secs), chrono_rfc3339(secs), "at {secs}");
        }
    }

    #[test]
    fn instants_parse_as_chrono_parses_them() {
        for text in [
            "2023-11-14T22:13:20Z",
            "2023-11-14t22:13:20z",
            "2023-11-14 22:13:20.999+01:30",
            "2016-12-31T23:59:60Z",
            "2000-02-29T00:00:00-23:59",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.123456789123Z",
            "2001-02-29T00:00:00Z",
            "2023-11-14T24:00:00Z",
            "2023-11-14T22:13:20",
            "2023-11-14T22:13:20.Z",
            "2023-11-14T22:13:20+0100",
            "2023-11-14T22:13:20+24:00",
            "2023-13-01T00:00:00Z",
            "+2023-11-14T22:13:20Z",
            "2023-11-14T22:13:20Z ",
            "",
        ] {
            assert_eq!(parse_rfc3339(text), chrono_parse(text), "{text:?}");
        }
        assert_eq!(parse_instant("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert!(parse_instant("yesterday").is_err());
    }

    #[test]
    fn dates_are_four_digit_years_and_real_days() {
        for (text, ok) in [
            ("2000-02-29", true),
            ("1900-02-29", false),
            ("2024-04-31", false),
            ("0000-01-01", true),
            ("2024-1-011", false),
            ("2024-01-1 ", false),
            ("24-01-2024", false),
            ("2024/01/01", false),
            ("", false),
        ] {
            assert_eq!(is_date(text), ok, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn rfc3339_matches_chrono(secs in proptest::prop_oneof![
            -70_000_000_000i64..260_000_000_000,
            -8_400_000_000_000i64..8_300_000_000_000,
        ]) {
            proptest::prop_assert_eq!(rfc3339(secs), chrono_rfc3339(secs));
        }

        #[test]
        fn parsing_matches_chrono(text in "[0-9]{4}-[0-1][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{1,12})?(Z|z|[+-][0-2][0-9]:[0-6][0-9])") {
            proptest::prop_assert_eq!(parse_rfc3339(&text), chrono_parse(&text));
        }

        #[test]
        fn dates_match_chrono(text in "[0-9]{4}-[0-1][0-9]-[0-3][0-9]") {
            let chrono_ok = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").is_ok();
            proptest::prop_assert_eq!(is_date(&text), chrono_ok);
        }
    }
}
