//! How the Android SDK turns maps into JSON: `java.util.HashMap` iteration order and Gson's
//! default (HTML-safe) string escaping. Pure.
//!
//! The SDK builds its request bodies and its personalize query from `HashMap`s, so the key order
//! on the wire is the bucket order of OpenJDK's `HashMap` (Android 7 and later share it): keys
//! sorted by `spread(String.hashCode()) & (capacity - 1)`, ties in insertion order. mmjwt uses
//! the order of `--data` as the insertion order, which is the one thing the real app decides.

use serde_json::{Map, Value};
use std::fmt::Write as _;

/// `String.hashCode()`: over UTF-16 code units, wrapping 32-bit arithmetic.
pub(crate) fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// `HashMap.hash(key)`: the high half folded into the low half.
fn spread(s: &str) -> u32 {
    let h = java_string_hash(s) as u32;
    h ^ (h >> 16)
}

/// The table size of a map filled by `put` from the default capacity: 16, doubled whenever
/// the size exceeds three quarters of it.
pub(crate) fn grown_capacity(entries: usize) -> usize {
    let mut cap = 16usize;
    while entries * 4 > cap * 3 {
        cap *= 2;
    }
    cap
}

/// The table size of `new HashMap<>(source)` (OpenJDK 8–17 `putMapEntries`): the next power of
/// two of `(int)(size / 0.75f + 1.0f)`.
pub(crate) fn copied_capacity(entries: usize) -> usize {
    // Float arithmetic on purpose: Java computes this in `float`.
    let t = (entries as f32 / 0.75f32 + 1.0f32) as usize;
    t.max(1).next_power_of_two()
}

/// The iteration order of a `HashMap` of `capacity` buckets into which `keys` were put in order.
pub(crate) fn hashmap_order<'a>(keys: &[&'a str], capacity: usize) -> Vec<&'a str> {
    let mask = (capacity - 1) as u32;
    let mut out = keys.to_vec();
    // A stable sort keeps insertion order within a bucket, as the bucket's linked list does.
    out.sort_by_key(|k| spread(k) & mask);
    out
}

/// The order of `new HashMap<>(source)` where `source` is a put-filled `HashMap` of the same
/// keys: the copy is filled in the source's iteration order.
pub(crate) fn copied_hashmap_order<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    let source = hashmap_order(keys, grown_capacity(keys.len()));
    hashmap_order(&source, copied_capacity(keys.len()))
}

/// Which maps are serialised how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Style {
    /// `serializeNulls()`: write `"key":null` instead of dropping the entry.
    pub nulls: bool,
    /// The outermost map is a copy (`new HashMap<>(user.getMap())`), not a put-filled one.
    pub copied_top: bool,
}

/// Serialises `value` as Gson would, with every object taken as a `HashMap`.
pub(crate) fn to_json(value: &Value, style: Style) -> String {
    let mut out = String::with_capacity(128);
    write_value(value, style, style.copied_top, &mut out);
    out
}

/// Writes one object in `HashMap` order (used by the body code for maps inside a POJO).
pub(crate) fn write_map(map: &Map<String, Value>, style: Style, out: &mut String) {
    write_object(map, style, false, out);
}

fn write_value(value: &Value, style: Style, copied: bool, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // Gson writes null array elements whatever serializeNulls says.
                write_value(item, style, false, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map, style, copied, out),
    }
}

fn write_object(map: &Map<String, Value>, style: Style, copied: bool, out: &mut String) {
    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
    let order = if copied {
        copied_hashmap_order(&keys)
    } else {
        hashmap_order(&keys, grown_capacity(keys.len()))
    };
    out.push('{');
    let mut first = true;
    for key in order {
        let v = &map[key];
        if v.is_null() && !style.nulls {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        write_string(key, out);
        out.push(':');
        write_value(v, style, false, out);
    }
    out.push('}');
}

/// Gson's `JsonWriter.string` with HTML-safe escaping (the default of `new Gson()`).
pub(crate) fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{0C}' => out.push_str("\\f"),
            '<' | '>' | '&' | '=' | '\'' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_hash_matches_java() {
        // Values computed with java.lang.String.hashCode.
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
    }

    #[test]
    fn personalize_query_order_is_the_documented_one() {
        let order = hashmap_order(
            &["forceDepersonalize", "keepAsLead", "setDeviceAsPrimary"],
            16,
        );
        assert_eq!(
            order,
            ["setDeviceAsPrimary", "keepAsLead", "forceDepersonalize"]
        );
    }

    #[test]
    fn user_maps_follow_bucket_order() {
        let order = hashmap_order(&["phones", "externalUserId", "emails"], 16);
        assert_eq!(order, ["emails", "externalUserId", "phones"]);
        let order = hashmap_order(
            &[
                "lastName",
                "firstName",
                "customAttributes",
                "tags",
                "gender",
                "middleName",
                "birthday",
            ],
            16,
        );
        // firstName/lastName and tags/customAttributes share a bucket: insertion order.
        assert_eq!(
            order,
            [
                "birthday",
                "lastName",
                "firstName",
                "gender",
                "middleName",
                "customAttributes",
                "tags"
            ]
        );
    }

    #[test]
    fn capacities() {
        assert_eq!(grown_capacity(0), 16);
        assert_eq!(grown_capacity(12), 16);
        assert_eq!(grown_capacity(13), 32);
        assert_eq!(copied_capacity(1), 2);
        assert_eq!(copied_capacity(2), 4);
        assert_eq!(copied_capacity(5), 8);
        assert_eq!(copied_capacity(6), 16);
        assert_eq!(copied_capacity(11), 16);
        assert_eq!(copied_capacity(12), 32);
    }

    #[test]
    fn gson_escapes_html_characters() {
        let mut s = String::new();
        write_string("a<b>&c='d'/é\u{1}\n\u{2028}\"\\", &mut s);
        assert_eq!(
            s,
            r#""a\u003cb\u003e\u0026c\u003d\u0027d\u0027/é\u0001\n\u2028\"\\""#
        );
    }

    #[test]
    fn nulls_are_kept_or_dropped() {
        let v = json!({"lastName": null, "firstName": "A", "tags": [null, "x"]});
        let keep = to_json(
            &v,
            Style {
                nulls: true,
                copied_top: false,
            },
        );
        assert_eq!(
            keep,
            r#"{"lastName":null,"firstName":"A","tags":[null,"x"]}"#
        );
        let drop = to_json(
            &v,
            Style {
                nulls: false,
                copied_top: false,
            },
        );
        assert_eq!(drop, r#"{"firstName":"A","tags":[null,"x"]}"#);
    }
}
