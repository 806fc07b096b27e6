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
    DateTime::<Utc>::from_timestamp(secs, 0).map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// A compact human duration: the two largest non-zero units (`3h 2m`, `14m`, `45s`).
pub fn human_duration(secs: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")];
    if secs == 0 {
        return "0s".into();
    }
    let mut parts = Vec::new();
    let mut rest = secs;
    for (size, name) in UNITS {
        if rest >= size {
            parts.push(format!("{}{name}", rest / size));
            rest %= size;
        }
        if parts.len() == 2 {
            break;
        }
    }
    parts.join(" ")
}

/// "in 14m" / "3h ago" / "now" for `at` seen from `now`.
pub fn relative(at: i64, now: i64) -> String {
    let delta = i128::from(at) - i128::from(now);
    let secs = u64::try_from(delta.unsigned_abs()).unwrap_or(u64::MAX);
    match delta.signum() {
        0 => "now".into(),
        1 => format!("in {}", human_duration(secs)),
        _ => format!("{} ago", human_duration(secs)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
