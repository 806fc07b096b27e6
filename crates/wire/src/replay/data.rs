//! `--data` as read: JSON whose numbers keep the value the user wrote. Pure.
//!
//! `serde_json` (without its `arbitrary_precision` feature, which would change every number in
//! the program) turns an integer beyond 64 bits into a double and may round a long decimal
//! fraction by a unit in the last place. The SDKs send what the app passed, so `--data` is read
//! here with every number that is not a 64-bit integer kept as its literal text, in a string
//! that starts with `MARK`; `number` reads either form back. No `--data` string may start
//! with the mark (checked, so the two can never be confused).

use serde_json::Value;

/// The start of a string that stands for a number literal.
const MARK: &str = "\u{0}mmjwt-number:";

/// A number as the app would pass it to the SDK.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Number {
    /// An integer literal, as written (a Java `Integer`, `Long` or `BigInteger`).
    Integer(String),
    /// A literal with a fraction or an exponent: a Java `Double`, rounded correctly.
    Double(f64),
}

/// The number `v` stands for, if it is one (a JSON number or a marked literal).
pub(crate) fn number(v: &Value) -> Option<Number> {
    match v {
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(Number::Integer(n.to_string())),
        Value::Number(n) => n.as_f64().map(Number::Double),
        Value::String(s) => {
            let lit = s.strip_prefix(MARK)?;
            if lit.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                // `-0` is the Integer 0.
                let int = if lit.trim_start_matches('-').bytes().all(|b| b == b'0') {
                    "0".to_string()
                } else {
                    lit.to_string()
                };
                Some(Number::Integer(int))
            } else {
                // Rust's parser rounds correctly, as Java's `Double.parseDouble` does.
                lit.parse::<f64>().ok().map(Number::Double)
            }
        }
        _ => None,
    }
}

/// `v` with every marked literal turned back into a plain JSON number (for writers that take
/// numbers as doubles, like iOS's `NSNumber`).
pub(crate) fn plain(v: &Value) -> Value {
    match v {
        Value::String(_) => match number(v) {
            Some(Number::Integer(i)) => i
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| i.parse::<u64>().map(Value::from))
                .unwrap_or_else(|_| f64_value(i.parse::<f64>().unwrap_or(f64::NAN))),
            Some(Number::Double(d)) => f64_value(d),
            None => v.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(plain).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), plain(v))).collect()),
        other => other.clone(),
    }
}

fn f64_value(d: f64) -> Value {
    serde_json::Number::from_f64(d).map_or(Value::Null, Value::Number)
}

/// Parses `--data` text as JSON, keeping number literals (see the module header).
pub(crate) fn parse(text: &str) -> Result<Value, String> {
    let invalid = |e: serde_json::Error| format!("--data is not valid JSON ({e})");
    // The text as given first, so that an error's line and column are the user's.
    let marked_string = match serde_json::from_str::<Value>(text) {
        Ok(given) => has_marked_string(&given),
        // serde_json refuses a number beyond a double; the literal is kept here, and judged
        // where its member is checked.
        Err(e) if e.to_string().starts_with("number out of range") => {
            text.contains("mmjwt-number:")
        }
        Err(e) => return Err(invalid(e)),
    };
    if marked_string {
        return Err("--data has a string that starts with a NUL character followed by \"mmjwt-number:\"; mmjwt cannot send it".into());
    }
    serde_json::from_str(&mark_numbers(text)).map_err(invalid)
}

fn has_marked_string(v: &Value) -> bool {
    match v {
        Value::String(s) => s.starts_with(MARK),
        Value::Array(items) => items.iter().any(has_marked_string),
        Value::Object(m) => m
            .iter()
            .any(|(k, v)| k.starts_with(MARK) || has_marked_string(v)),
        _ => false,
    }
}

/// The text with every number literal outside strings that is not a 64-bit integer written as
/// a marked string. Anything that is not a number token is left for `serde_json` to judge.
fn mark_numbers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                let lit = &text[start..i];
                let integer = lit.bytes().all(|b| b.is_ascii_digit() || b == b'-');
                let fits = lit.parse::<i64>().is_ok() || lit.parse::<u64>().is_ok();
                if !(integer && fits) && is_json_number(lit) {
                    out.push_str(&text[copied..start]);
                    out.push('"');
                    out.push_str("\\u0000mmjwt-number:");
                    out.push_str(lit);
                    out.push('"');
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied.min(text.len())..]);
    out
}

/// RFC 8259's `number`: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_what_was_written() {
        let v =
            parse(r#"{"a":-10000000000000000000000000,"b":1.0,"c":7,"d":"1.5","e":[1e400, 0.1]}"#)
                .unwrap();
        assert_eq!(
            number(&v["a"]),
            Some(Number::Integer("-10000000000000000000000000".into()))
        );
        assert_eq!(number(&v["b"]), Some(Number::Double(1.0)));
        assert_eq!(number(&v["c"]), Some(Number::Integer("7".into())));
        assert_eq!(number(&v["d"]), None);
        assert_eq!(number(&v["e"][0]), Some(Number::Double(f64::INFINITY)));
        assert_eq!(number(&v["e"][1]), Some(Number::Double(0.1)));
        assert_eq!(plain(&v)["c"], Value::from(7));
        assert!(parse(r#"{"a":"\u0000mmjwt-number:1"}"#).is_err());
        assert!(parse("{\"a\":01}").is_err());
        assert!(parse("{\"a\":-}").is_err());
        // Errors point into the text as given.
        let e = parse("{\"a\":1.5,x}").unwrap_err();
        assert!(e.contains("column 10"), "{e}");
    }
}
