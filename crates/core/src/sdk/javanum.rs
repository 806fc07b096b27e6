//! The Java standard library's text rules that Android's org.json and `getLong` rely on, as
//! OpenJDK 17 implements them: `Character.digit` (every decimal digit of the Basic Multilingual
//! Plane, fullwidth Latin letters), `Long.parseLong` / `Integer.parseInt`, `Double.parseDouble`
//! (decimal and hexadecimal floating-point literals) and `String.equalsIgnoreCase`.
//!
//! Everything here works on UTF-16 code units, because Java strings are made of them: a
//! character outside the BMP is two surrogate units, and no surrogate is a digit or a letter.

/// The first code unit of every run of ten decimal digits (Unicode category Nd) in the BMP, as
/// JDK 17 (Unicode 13) lists them: ASCII, Arabic-Indic, Extended Arabic-Indic, NKo, Devanagari,
/// Bengali, ..., Myanmar, Khmer, Mongolian, ..., Meetei Mayek, fullwidth. Unicode guarantees
/// that Nd digits come in contiguous runs from 0 to 9, so a run's start is all a lookup needs.
/// (Android's ART reads its own, ICU-based tables; they differ only for digit blocks added to
/// Unicode after 13.)
const DIGIT_ZEROS: [u16; 37] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

/// The decimal value of a Unicode decimal digit.
fn decimal_value(unit: u16) -> Option<u32> {
    let i = DIGIT_ZEROS.partition_point(|&z| z <= unit).checked_sub(1)?;
    let offset = unit - DIGIT_ZEROS[i];
    (offset < 10).then_some(u32::from(offset))
}

/// `Character.digit(unit, radix)`: a decimal digit of any script, or a Latin letter (ASCII or
/// fullwidth) standing for 10 to 35, if its value is below `radix`.
pub(super) fn digit(unit: u16, radix: u32) -> Option<u32> {
    let value = match unit {
        0x41..=0x5A => u32::from(unit - 0x41) + 10,
        0x61..=0x7A => u32::from(unit - 0x61) + 10,
        0xFF21..=0xFF3A => u32::from(unit - 0xFF21) + 10,
        0xFF41..=0xFF5A => u32::from(unit - 0xFF41) + 10,
        _ => decimal_value(unit)?,
    };
    (value < radix).then_some(value)
}

/// `Long.parseLong(s, radix)`: a sign only if the first unit sorts below `'0'`, then at least
/// one digit in the sense of [`digit`]; overflow fails. Accumulates negatively as the JDK does,
/// so `Long.MIN_VALUE` parses.
pub(super) fn parse_long(units: &[u16], radix: u32) -> Option<i64> {
    parse_integer(units, radix, i64::MIN, i64::MAX)
}

/// `Integer.parseInt(s, radix)`.
pub(super) fn parse_int(units: &[u16], radix: u32) -> Option<i32> {
    parse_integer(units, radix, i64::from(i32::MIN), i64::from(i32::MAX)).map(|v| v as i32)
}

fn parse_integer(units: &[u16], radix: u32, min: i64, max: i64) -> Option<i64> {
    let (&first, _) = units.split_first()?;
    let (negative, digits) = if first < u16::from(b'0') {
        match first {
            0x2D => (true, &units[1..]),
            0x2B => (false, &units[1..]),
            _ => return None,
        }
    } else {
        (false, units)
    };
    if digits.is_empty() {
        return None;
    }
    let limit = if negative { min } else { -max };
    let radix = i64::from(radix);
    let mut result: i64 = 0;
    for &u in digits {
        let d = i64::from(digit(u, radix as u32)?);
        result = result.checked_mul(radix)?;
        if result < limit + d {
            return None;
        }
        result -= d;
    }
    Some(if negative { result } else { -result })
}

/// `String.trim()`: strips code units up to U+0020 at both ends.
fn java_trim(units: &[u16]) -> &[u16] {
    let start = units.iter().position(|&u| u > 0x20).unwrap_or(units.len());
    let end = units
        .iter()
        .rposition(|&u| u > 0x20)
        .map_or(start, |i| i + 1);
    &units[start..end]
}

/// `Double.parseDouble(s)` (and `Double.valueOf`): trimmed, an optional sign, then `NaN`,
/// `Infinity`, a decimal literal (digits with an optional point, an optional exponent, an
/// optional `f`/`F`/`d`/`D` suffix) or a hexadecimal one (`0x1.8p1`: the binary exponent is
/// required). Only ASCII counts here; Unicode digits do not.
pub(super) fn parse_double(units: &[u16]) -> Option<f64> {
    let t = java_trim(units);
    if t.iter().any(|&u| u > 0x7F) {
        return None;
    }
    let bytes: Vec<u8> = t.iter().map(|&u| u as u8).collect();
    let (negative, body) = match bytes.first()? {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, &bytes[..]),
    };
    let magnitude = match body {
        b"NaN" => f64::NAN,
        b"Infinity" => f64::INFINITY,
        [b'0', b'x' | b'X', rest @ ..] => parse_hex_float(rest, HexDialect::Java)?,
        _ => parse_decimal(body)?,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The decimal form after the sign; `str::parse` rounds correctly, as the JDK does.
fn parse_decimal(body: &[u8]) -> Option<f64> {
    let body = match body.last() {
        Some(b'f' | b'F' | b'd' | b'D') => &body[..body.len() - 1],
        _ => body,
    };
    let digits = |from: usize| {
        body[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let int_digits = digits(0);
    let mut i = int_digits;
    let mut frac_digits = 0;
    if body.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = digits(i);
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(body.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(body.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = digits(i);
        if exp_digits == 0 {
            return None;
        }
        i += exp_digits;
    }
    if i != body.len() {
        return None;
    }
    std::str::from_utf8(body).ok()?.parse::<f64>().ok()
}

/// Whose hexadecimal floating-point literal: Java's requires the binary exponent and allows a
/// `f`/`d` suffix; Swift's `Double(String)` makes the exponent optional and has no suffix
/// (`Double("0x1c.6")` is 28.375).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HexDialect {
    Java,
    Swift,
}

/// The hexadecimal form after `0x`: `HEX+ .?` or `HEX* . HEX+`, then `p`/`P`, an optional
/// sign and decimal exponent digits (optional in Swift) and, in Java, an optional suffix;
/// rounded to nearest, ties to even.
pub(super) fn parse_hex_float(rest: &[u8], dialect: HexDialect) -> Option<f64> {
    let hex_run = |from: usize| {
        rest[from..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count()
    };
    let int_len = hex_run(0);
    let mut i = int_len;
    let mut frac_len = 0;
    let mut frac_start = int_len;
    if rest.get(i) == Some(&b'.') {
        i += 1;
        frac_start = i;
        frac_len = hex_run(i);
        i += frac_len;
    }
    if int_len + frac_len == 0 {
        return None;
    }
    let has_exponent = matches!(rest.get(i), Some(b'p' | b'P'));
    if !has_exponent && dialect == HexDialect::Java {
        return None;
    }
    if has_exponent {
        i += 1;
    }
    let exp_negative = match rest.get(i) {
        Some(b'-') if has_exponent => {
            i += 1;
            true
        }
        Some(b'+') if has_exponent => {
            i += 1;
            false
        }
        _ => false,
    };
    let exp_len = if has_exponent {
        rest[i..].iter().take_while(|b| b.is_ascii_digit()).count()
    } else {
        0
    };
    if has_exponent && exp_len == 0 {
        return None;
    }
    let exp_text: &[u8] = if has_exponent {
        &rest[i..i + exp_len]
    } else {
        b"0"
    };
    i += exp_len;
    if dialect == HexDialect::Java && matches!(rest.get(i), Some(b'f' | b'F' | b'd' | b'D')) {
        i += 1;
    }
    if i != rest.len() {
        return None;
    }
    let digits = rest[..int_len]
        .iter()
        .chain(&rest[frac_start..frac_start + frac_len])
        .map(|&b| (b as char).to_digit(16).unwrap_or(0));
    // The significand as an integer: its first 112 significant bits exactly (the leading zero
    // digits skipped), the rest folded into a sticky bit, which is all that rounding needs.
    let mut mantissa: u128 = 0;
    let mut kept = 0u32;
    let mut dropped_digits: i64 = 0;
    let mut sticky = false;
    for d in digits {
        if mantissa == 0 && d == 0 {
            continue;
        }
        if kept < 28 {
            mantissa = (mantissa << 4) | u128::from(d);
            kept += 1;
        } else {
            dropped_digits += 1;
            sticky |= d != 0;
        }
    }
    if mantissa == 0 {
        return Some(0.0);
    }
    // An exponent beyond `int` makes the JDK answer infinity or zero outright.
    let Ok(exp) = std::str::from_utf8(exp_text).ok()?.parse::<i32>() else {
        return Some(if exp_negative { 0.0 } else { f64::INFINITY });
    };
    let exp = if exp_negative {
        -i64::from(exp)
    } else {
        i64::from(exp)
    };
    // value = mantissa * 2^e2 (plus a little, if sticky)
    let e2 = exp - 4 * frac_len as i64 + 4 * dropped_digits;
    Some(round_to_double(mantissa, e2, sticky))
}

/// `mantissa * 2^e2` rounded to the nearest double (ties to even); `sticky` says the exact
/// value is a little more than that.
fn round_to_double(mantissa: u128, e2: i64, sticky: bool) -> f64 {
    let bits = i64::from(128 - mantissa.leading_zeros());
    let top = bits - 1 + e2;
    if top > 1023 {
        return f64::INFINITY;
    }
    // The lowest bit a double can keep at this magnitude: 53 significant bits, but never
    // below 2^-1074 (subnormals).
    let lowest = (top - 52).max(-1074);
    let shift = lowest - e2;
    let (mut q, scale) = if shift <= 0 {
        // Exact; `sticky` cannot be set here, as at most 53 bits were kept.
        (mantissa as u64, e2)
    } else {
        let q = if shift >= 128 { 0 } else { mantissa >> shift };
        let half = if shift > 128 {
            false
        } else {
            (mantissa >> (shift - 1)) & 1 == 1
        };
        let below_half = if shift <= 1 {
            false
        } else if shift > 128 {
            true
        } else {
            mantissa & ((1u128 << (shift - 1)) - 1) != 0
        };
        let mut q = q as u64;
        if half && (below_half || sticky || q & 1 == 1) {
            q += 1;
        }
        (q, lowest)
    };
    if q == 0 {
        return 0.0;
    }
    // Rounding up may carry into a 54th bit: renormalise.
    let mut scale = scale;
    if q >> 53 != 0 {
        q >>= 1;
        scale += 1;
    }
    compose(q, scale)
}

/// The double `significand * 2^scale`, where that value is exactly representable (or
/// overflows to infinity).
fn compose(significand: u64, scale: i64) -> f64 {
    let bits = i64::from(64 - significand.leading_zeros());
    let top = bits - 1 + scale;
    if top > 1023 {
        return f64::INFINITY;
    }
    if top >= -1022 {
        let fraction = if bits <= 53 {
            significand << (53 - bits)
        } else {
            significand >> (bits - 53)
        };
        let exponent = (top + 1023) as u64;
        f64::from_bits((exponent << 52) | (fraction & ((1u64 << 52) - 1)))
    } else {
        // Subnormal: the value is a multiple of 2^-1074.
        let shift = scale + 1074;
        f64::from_bits(if shift >= 0 {
            significand << shift
        } else {
            significand >> -shift
        })
    }
}

/// `"word".equalsIgnoreCase(s)` for a lowercase ASCII `word`, compared per UTF-16 code unit:
/// equal, or equal after `Character.toUpperCase`, or after upper- then lower-casing. Among the
/// letters of `null`, `true` and `false` only one non-ASCII unit folds to one of them: U+017F
/// LATIN SMALL LETTER LONG S, whose upper case is `S` (checked over the whole BMP on JDK 17).
pub(super) fn equals_ignore_case(word: &str, units: &[u16]) -> bool {
    word.len() == units.len()
        && word.bytes().zip(units).all(|(w, &u)| {
            u == u16::from(w)
                || u == u16::from(w.to_ascii_uppercase())
                || (w == b's' && u == 0x017F)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn digits_of_every_script() {
        assert_eq!(digit(u16::from(b'7'), 10), Some(7));
        assert_eq!(digit(0x0669, 10), Some(9)); // ARABIC-INDIC DIGIT NINE
        assert_eq!(digit(0xFF12, 10), Some(2)); // FULLWIDTH DIGIT TWO
        assert_eq!(digit(0x096F, 10), Some(9)); // DEVANAGARI DIGIT NINE
        assert_eq!(digit(0xFF21, 16), Some(10)); // FULLWIDTH LATIN CAPITAL LETTER A
        assert_eq!(digit(0xFF46, 16), Some(15)); // FULLWIDTH LATIN SMALL LETTER F
        assert_eq!(digit(0xFF47, 16), None);
        assert_eq!(digit(u16::from(b'8'), 8), None);
        assert_eq!(digit(0x00B2, 10), None); // SUPERSCRIPT TWO is No, not Nd
        assert_eq!(digit(0x0670, 10), None);
        assert_eq!(digit(0xD835, 10), None); // a surrogate
    }

    #[test]
    fn parse_long_like_the_jdk() {
        assert_eq!(
            parse_long(&u("２０００００００００"), 10),
            Some(2_000_000_000)
        );
        assert_eq!(parse_long(&u("-٣"), 10), Some(-3));
        assert_eq!(parse_long(&u("+1f"), 16), Some(31));
        assert_eq!(parse_long(&u("-9223372036854775808"), 10), Some(i64::MIN));
        assert_eq!(parse_long(&u("9223372036854775808"), 10), None);
        assert_eq!(parse_long(&u("-"), 10), None);
        assert_eq!(parse_long(&u(""), 10), None);
        assert_eq!(parse_long(&u(" 1"), 10), None);
        assert_eq!(parse_long(&u("1_0"), 10), None);
        assert_eq!(parse_int(&u("٠٠٦٥"), 16), Some(0x65));
        assert_eq!(parse_int(&u("００６Ｃ"), 16), Some(0x6C));
        assert_eq!(parse_int(&u("-001"), 16), Some(-1));
        assert_eq!(parse_int(&u("2147483648"), 10), None);
    }

    #[test]
    fn parse_double_decimal() {
        let p = |s: &str| parse_double(&u(s));
        assert_eq!(p(" 1.7e9 "), Some(1.7e9));
        assert_eq!(p("\u{1}1d\u{1f}"), Some(1.0));
        assert_eq!(p("1."), Some(1.0));
        assert_eq!(p("-.5E1f"), Some(-5.0));
        assert!(p("NaN").unwrap().is_nan());
        assert!(p("-NaN").unwrap().is_nan());
        assert_eq!(p("-Infinity"), Some(f64::NEG_INFINITY));
        for bad in [
            "abc",
            ".",
            "1e",
            "1ed",
            "NaNd",
            "Infinityf",
            "inf",
            "1..2",
            "٣",
            "1 2",
            "",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn swift_hex_floats_need_no_exponent_and_take_no_suffix() {
        let swift = |s: &str| parse_hex_float(s.as_bytes(), HexDialect::Swift);
        assert_eq!(swift("1c.6"), Some(28.375));
        assert_eq!(swift("7FFFFFFF"), Some(2_147_483_647.0));
        assert_eq!(swift("1p31"), Some(2_147_483_648.0));
        assert_eq!(swift("1p31d"), None);
        assert_eq!(swift("1-5"), None);
        assert_eq!(swift(""), None);
        assert_eq!(parse_hex_float(b"7FFFFFFF", HexDialect::Java), None);
    }

    #[test]
    fn parse_double_hex() {
        let p = |s: &str| parse_double(&u(s));
        assert_eq!(p("0x1p31"), Some(2_147_483_648.0));
        assert_eq!(p("0x1.8p1"), Some(3.0));
        assert_eq!(p("-0X1P-3"), Some(-0.125));
        assert_eq!(p("0x.8p1d"), Some(1.0));
        assert_eq!(p("0x1.p0F"), Some(1.0));
        assert_eq!(p("0x0p99999999999"), Some(0.0));
        assert_eq!(p("0x1p99999999999"), Some(f64::INFINITY));
        assert_eq!(p("0x1p-99999999999"), Some(0.0));
        assert_eq!(p("0x1p-1074"), Some(f64::from_bits(1)));
        assert_eq!(p("0x1p-1075"), Some(0.0)); // a tie, to even
        assert_eq!(p("0x1.000001p-1075"), Some(f64::from_bits(1)));
        assert_eq!(p("0x1.fffffffffffff8p0"), Some(2.0)); // a tie, to even (up)
        assert_eq!(
            p("0x1.fffffffffffff7ffffffffffffffffffffp0"),
            Some(2.0 - f64::EPSILON)
        );
        assert_eq!(p("0x1.fffffffffffffp1023"), Some(f64::MAX));
        assert_eq!(p("0x1.fffffffffffff8p1023"), Some(f64::INFINITY));
        for bad in [
            "0x1", "0x", "0xp1", "0x.p1", "0x1p", "0x1p+", "0x1.8", "0xgp1", "0x1p1ff",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
    }

    /// Rust rounds `u64 as f64` to nearest, ties to even, and scaling by a power of two is exact
    /// while the result stays normal: an independent oracle for the hexadecimal parser.
    #[test]
    fn hex_rounding_matches_integer_conversion() {
        let mut state = 0x1234_5678_9abc_def0_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for i in 0..20_000 {
            let m = if i % 2 == 0 {
                next() >> (next() % 64)
            } else {
                // An exact tie at 53 bits (or, one time in three, a near one).
                (next() | (1 << 63)) & !0x7FF | [0x400, 0x400, 0x401][(i / 2) % 3]
            };
            let e = (next() % 1_800) as i32 - 900;
            let expected = (m as f64) * 2f64.powi(e);
            let text = format!("0x{m:x}p{e}");
            assert_eq!(
                p(&text).map(f64::to_bits),
                Some(expected.to_bits()),
                "{text}"
            );
            // The same value with the point moved: 0xABC.DEFp(e+12).
            let digits = format!("{m:x}");
            if digits.len() > 3 {
                let (int, frac) = digits.split_at(digits.len() - 3);
                let moved = format!("0x{int}.{frac}p{}", e + 12);
                assert_eq!(
                    p(&moved).map(f64::to_bits),
                    Some(expected.to_bits()),
                    "{moved}"
                );
            }
        }
    }

    fn p(s: &str) -> Option<f64> {
        parse_double(&u(s))
    }

    #[test]
    fn case_folding_per_unit() {
        assert!(equals_ignore_case("false", &u("falſe")));
        assert!(equals_ignore_case("null", &u("NULL")));
        assert!(equals_ignore_case("true", &u("True")));
        assert!(!equals_ignore_case("true", &u("tru")));
        assert!(!equals_ignore_case("false", &u("faLSE ")));
        assert!(!equals_ignore_case("null", &u("nuǉ")));
    }
}
