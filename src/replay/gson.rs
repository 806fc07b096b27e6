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
pub(crate) enum Made {
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
pub(crate) fn grown_capacity(entries: usize) -> usize {
    let mut cap = 16usize;
    while entries * 4 > cap * 3 {
        cap *= 2;
    }
    cap
}

/// The iteration order of a `HashMap` of `capacity` buckets into which `keys` were put in order.
pub(crate) fn hashmap_order<'a>(keys: &[&'a str], capacity: usize) -> Vec<&'a str> {
    let mask = (capacity - 1) as u32;
    let mut out = keys.to_vec();
    // A stable sort keeps insertion order within a bucket, as the bucket's linked list does
    // (a resize splits each list keeping its order).
    out.sort_by_key(|k| spread(k) & mask);
    out
}

/// The iteration order of a map made as `made` into which `keys` (distinct) were put in order.
pub(crate) fn java_order<'a>(keys: &[&'a str], made: Made) -> Vec<&'a str> {
    hashmap_order(keys, java_capacity(keys, made))
}

/// Java's `Double.toString` as OpenJDK's `FloatingDecimal` (JDK 8-18, and Android) writes it:
/// plainly for magnitudes in [10^-3, 10^7) (`100.0`, `0.0025`), otherwise as `d.dddE<exp>`
/// (`1.0E7`, `1.0E-4`). The digits are the shortest that read back as `d`, except for whole
/// numbers below 2^63, which `FloatingDecimal` writes from their exact integer value
/// (`developLongDigits`): 17 digits where 16 would do, like `2.5470761993680968E16`. `None`
/// for NaN and the infinities, which Gson refuses to write.
pub(crate) fn java_double(d: f64) -> Option<String> {
    if !d.is_finite() {
        return None;
    }
    let sign = if d.is_sign_negative() { "-" } else { "" };
    if d == 0.0 {
        return Some(format!("{sign}0.0"));
    }
    let (digits, exp) = match long_digits(d.abs()) {
        Some(found) => found,
        None => {
            // `{:e}` gives the shortest round-trip digits: `1.2345e7`, `1e-4`.
            let sci = format!("{:e}", d.abs());
            let (mantissa, exp) = sci.split_once('e')?;
            let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
            (digits, exp.parse().ok()?)
        }
    };
    let out = if (-3..7).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            let padded = format!("{digits:0<int_len$}");
            let (int, frac) = padded.split_at(int_len);
            let frac = if frac.is_empty() { "0" } else { frac };
            format!("{int}.{frac}")
        } else {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{first}.{rest}E{exp}")
    };
    Some(format!("{sign}{out}"))
}

/// `FloatingDecimal.dtoa`'s path for whole numbers in [1, 2^63): the exact integer, its last
/// few digits rounded off (half up) once the number is beyond 2^54, trailing zeros dropped.
/// Returns the digits and the decimal exponent of the first one.
fn long_digits(d: f64) -> Option<(String, i32)> {
    /// `FloatingDecimal.insignificantDigitsNumber`, indexed by the binary exponent above 2^54.
    const INSIGNIFICANT: [u32; 9] = [0, 0, 0, 0, 1, 1, 1, 2, 2];
    if !(1.0..2f64.powi(63)).contains(&d) || d.fract() != 0.0 {
        return None;
    }
    let bin_exp = ((d.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let mut value = d as u64;
    let mut exp_shift = 0;
    if bin_exp > 53 {
        let insignificant = INSIGNIFICANT
            .get((bin_exp - 54) as usize)
            .copied()
            .unwrap_or(0);
        if insignificant > 0 {
            let pow10 = 10u64.pow(insignificant);
            let residue = value % pow10;
            value /= pow10;
            exp_shift = insignificant as i32;
            if residue >= pow10 / 2 {
                value += 1;
            }
        }
    }
    let text = value.to_string();
    let exp = text.len() as i32 - 1 + exp_shift;
    Some((text.trim_end_matches('0').to_string(), exp))
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
        let cases = [
            (1.0e7, "1.0E7"),
            (1.234_567_85e7, "1.23456785E7"),
            (-2.5e10, "-2.5E10"),
            (1.0e-4, "1.0E-4"),
            (1.0e-7, "1.0E-7"),
            (1.0e21, "1.0E21"),
            (f64::MAX, "1.7976931348623157E308"),
            (0.1, "0.1"),
            (100.0, "100.0"),
            (-0.0, "-0.0"),
            (0.0025, "0.0025"),
            (0.001, "0.001"),
            (9_999_999.0, "9999999.0"),
            (1234.5, "1234.5"),
            (1e-310, "1.0E-310"),
            // Whole numbers below 2^63: the exact integer's digits, rounded beyond 2^54.
            (25_470_761_993_680_968.0, "2.5470761993680968E16"),
            (282_879_384_806_159_008.0, "2.82879384806159008E17"),
            (1.0e18, "1.0E18"),
            (9.223_372_036_854_775e18, "9.2233720368547748E18"),
            (1.234_567_890_123_456_7e18, "1.23456789012345677E18"),
            (4.5e17, "4.5E17"),
        ];
        for (d, want) in cases {
            assert_eq!(java_double(d).as_deref(), Some(want), "{d:e}");
        }
        assert_eq!(java_double(f64::INFINITY), None);
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
