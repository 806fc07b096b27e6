//! Compact JSON written straight into a `String`, byte for byte what `serde_json::to_string`
//! writes for the same data: the tokens `gen` mints (claims and escaped strings) and the numbers
//! of batch `check`'s one fast writer.

use serde_json::Value;
use std::fmt::Write as _;

/// A JSON string literal, escaped exactly as serde_json does: `"` and `\`, the short forms
/// `\b \t \n \f \r`, other control characters as `\u00XX` (lower-case hex), nothing else.
pub fn string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0c => "\\f",
            b'\r' => "\\r",
            0x00..=0x1f => "",
            _ => continue,
        };
        // Every byte that needs escaping is ASCII, so these slice bounds are char boundaries.
        out.push_str(&s[start..i]);
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Any JSON value (objects keep their stored order, as serde_json's `preserve_order` does).
pub fn value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        // `Number`'s Display is the same itoa/float formatting its serializer uses.
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => object(out, map.iter().map(|(k, v)| (k.as_str(), v))),
    }
}

fn object<'a>(out: &mut String, members: impl Iterator<Item = (&'a str, &'a Value)>) {
    out.push('{');
    for (i, (k, v)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, k);
        out.push(':');
        value(out, v);
    }
    out.push('}');
}

/// An integer, formatted as serde_json does (itoa), without going through `fmt`.
pub fn int<T: itoa::Integer>(out: &mut String, n: T) {
    out.push_str(itoa::Buffer::new().format(n));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(v: &Value) -> String {
        let mut s = String::new();
        value(&mut s, v);
        s
    }

    #[test]
    fn escapes_like_serde_json() {
        let all: String = (0u32..0x80).filter_map(char::from_u32).collect();
        for s in [all.as_str(), "", "é\u{2028}\u{7f}😀", "\"\\/"] {
            let v = Value::String(s.to_owned());
            assert_eq!(ours(&v), serde_json::to_string(&v).unwrap());
        }
    }

    #[test]
    fn nested_values_like_serde_json() {
        let v: Value = serde_json::from_str(
            r#"{"z":[1,-2,3.5,1e300,true,null,{"b":"x\ny","a":[]}],"a":{},"n":18446744073709551615}"#,
        )
        .unwrap();
        assert_eq!(ours(&v), serde_json::to_string(&v).unwrap());
    }

    proptest! {
        #[test]
        fn any_string_escapes_like_serde_json(s in any::<String>()) {
            let v = Value::String(s);
            prop_assert_eq!(ours(&v), serde_json::to_string(&v).unwrap());
        }

        #[test]
        fn any_float_formats_like_serde_json(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
            let v = serde_json::json!(f);
            prop_assert_eq!(ours(&v), serde_json::to_string(&v).unwrap());
        }
    }
}
