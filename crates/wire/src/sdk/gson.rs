//! How the Android SDK turns maps into JSON: `java.util.HashMap` iteration order and Gson's
//! default (HTML-safe) string escaping. Pure.
//!
//! The SDK builds its request bodies and its personalize query from `HashMap`s, so the key order
//! on the wire is the bucket order of OpenJDK's `HashMap` (Android 7 and later share it): keys
//! sorted by `spread(String.hashCode()) & (capacity - 1)`, ties in insertion order; the capacity
//! depends on how the map was made ([`Made`]). mmjwt uses the order of `--data` as the order the
//! app sets things in, which is the one thing the real app decides. Numbers an app passes as
//! `Double` are written with Java's `Double.toString` ([`java_double`]).

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

/// How a `java.util.HashMap` was made, which decides its table size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// `new HashMap<>()`, then `put` one by one.
    Default,
    /// `new HashMap<>(n)`, then `put` one by one (`customAttsToBackend`).
    Sized(usize),
    /// `new HashMap<>(source)`, or `putAll(source)` into a fresh `new HashMap<>()`: the table is
    /// sized for `source` before the first entry goes in.
    Copied,
}

/// `HashMap.tableSizeFor`: the next power of two, at least 1.
fn table_size_for(n: usize) -> usize {
    n.max(1).next_power_of_two()
}

/// The table size of a map made as `made` after `keys` (distinct) were put in that order, as
/// OpenJDK 8-17's `HashMap` grows it: the initial size (16, `tableSizeFor(n)`, or for a copy
/// `tableSizeFor((int)(size / 0.75f + 1.0f))`), doubled when the size exceeds three quarters
/// of the table, and also when a bucket reaches 9 entries in a table under 64 buckets
/// (`treeifyBin` resizes instead of making a tree there).
pub(crate) fn java_capacity(keys: &[&str], made: Made) -> usize {
    let mut cap = match made {
        Made::Default => 16,
        Made::Sized(n) => table_size_for(n),
        // Float arithmetic on purpose: Java computes this in `float`.
        Made::Copied => table_size_for((keys.len() as f32 / 0.75f32 + 1.0f32) as usize),
    };
    let threshold = |cap: usize| cap * 3 / 4;
    let mut counts: Vec<usize> = vec![0; cap];
    for (size, key) in keys.iter().enumerate() {
        let size = size + 1;
        let bucket = (spread(key) as usize) & (cap - 1);
        counts[bucket] += 1;
        let mut grow = counts[bucket] >= 9 && cap < 64;
        grow |= size > threshold(cap);
        if grow {
            cap *= 2;
            counts = vec![0; cap];
            for k in &keys[..size] {
                counts[(spread(k) as usize) & (cap - 1)] += 1;
            }
        }
    }
    cap
}

/// The table size of a map filled by `put` from the default capacity.
pub fn grown_capacity(entries: usize) -> usize {
    let mut cap = 16usize;
    while entries * 4 > cap * 3 {
        cap *= 2;
    }
    cap
}

/// The iteration order of a `HashMap` of `capacity` buckets into which `keys` were put in order.
pub fn hashmap_order<'a>(keys: &[&'a str], capacity: usize) -> Vec<&'a str> {
    let mask = (capacity - 1) as u32;
    let mut out = keys.to_vec();
    // A stable sort keeps insertion order within a bucket, as the bucket's linked list does
    // (a resize splits each list keeping its order).
    out.sort_by_key(|k| spread(k) & mask);
    out
}

/// The iteration order of a map made as `made` into which `keys` (distinct) were put in order.
pub fn java_order<'a>(keys: &[&'a str], made: Made) -> Vec<&'a str> {
    hashmap_order(keys, java_capacity(keys, made))
}

/// A `Double` as Gson writes it: Java's `Double.toString` ([`crate::sdk::javadouble`]).
/// `None` for NaN and the infinities, which Gson refuses to write.
pub fn java_double(d: f64) -> Option<String> {
    d.is_finite().then(|| crate::sdk::javadouble::to_string(d))
}

/// Gson's `JsonWriter.string` with HTML-safe escaping (the default of `new Gson()`).
pub fn write_string(s: &str, out: &mut String) {
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
        let keys: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        let k: Vec<&str> = keys.iter().map(String::as_str).collect();
        assert_eq!(java_capacity(&k[..0], Made::Default), 16);
        assert_eq!(java_capacity(&k[..12], Made::Default), 16);
        assert_eq!(java_capacity(&k[..13], Made::Default), 32);
        assert_eq!(java_capacity(&k[..1], Made::Copied), 2);
        assert_eq!(java_capacity(&k[..2], Made::Copied), 4);
        assert_eq!(java_capacity(&k[..5], Made::Copied), 8);
        assert_eq!(java_capacity(&k[..6], Made::Copied), 16);
        assert_eq!(java_capacity(&k[..12], Made::Copied), 32);
        // `new HashMap<>(5)`: 8 buckets for 5 keys; the 7th key outgrows them.
        assert_eq!(java_capacity(&k[..5], Made::Sized(5)), 8);
        assert_eq!(java_capacity(&k[..7], Made::Sized(7)), 16);
        assert_eq!(java_capacity(&k[..0], Made::Sized(0)), 1);
        assert_eq!(java_capacity(&k[..1], Made::Sized(1)), 2);
        assert_eq!(grown_capacity(13), 32);
    }

    #[test]
    fn a_crowded_bucket_doubles_a_small_table() {
        // Nine keys of one bucket of 16 (same low four bits of the spread hash).
        let mut same: Vec<String> = Vec::new();
        let mut i = 0u32;
        while same.len() < 9 {
            let k = format!("x{i}");
            if spread(&k).trailing_zeros() >= 4 {
                same.push(k);
            }
            i += 1;
        }
        let k: Vec<&str> = same.iter().map(String::as_str).collect();
        assert_eq!(java_capacity(&k[..8], Made::Default), 16);
        assert!(java_capacity(&k, Made::Default) >= 32);
    }

    #[test]
    fn doubles_as_java_writes_them() {
        assert_eq!(java_double(1.0e7).as_deref(), Some("1.0E7"));
        assert_eq!(java_double(1.0e23).as_deref(), Some("9.999999999999999E22"));
        assert_eq!(java_double(f64::INFINITY), None);
        assert_eq!(java_double(f64::NAN), None);
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
}
