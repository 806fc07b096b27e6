//! How the iOS SDK's `JSONSerialization.data(withJSONObject:options: [.withoutEscapingSlashes,
//! .sortedKeys])` writes a body: compact, `/` raw, keys in Foundation's `sortedKeys` order and
//! numbers as Apple's writer spells them. Pure.
//!
//! Foundation sorts keys with `NSString.compare(_:options: [.numeric, .caseInsensitive,
//! .forcedOrdering], range:, locale: Locale.system)`, on Apple platforms (swift-foundation's
//! writer keeps that call for compatibility) as in swift-corelibs-foundation, whose
//! CoreFoundation hands it to an ICU collator of the root locale. That order is Unicode
//! collation in three levels, digit runs compared by value: first the base characters
//! (ignorable controls skipped; white space, then punctuation, symbols, currency, digits,
//! letters, other scripts), then accents (`e` before `é`), then case and variants (`a` before
//! `A`, `ss` before `ß`); keys still equal (`a1` / `a01`, `ab` / `a\u{1}b`) are forced apart
//! character by character, a shorter digit run first. `foundation_key_order` models that
//! order for ASCII, Latin letters with accents, `ß`, white space and the common symbols,
//! as Foundation was seen to sort them (`tests/it/replay_ios_differential.rs`); other
//! characters are placed by block (docs/assumptions.md).

use serde_json::Value;
use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization as _;

/// `JSONSerialization` with `[.sortedKeys, .withoutEscapingSlashes]` as Apple platforms write
/// it: keys in [`foundation_key_order`] at every level, strings escaped as Foundation escapes
/// them (serde_json's escapes are the same and never touch `/`), doubles as [`apple_double`].
pub(crate) fn ios_json(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| foundation_key_order(a, b));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Number(n) if n.is_f64() => {
            out.push_str(&apple_double(n.as_f64().unwrap_or_default()));
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A double as Apple's `JSONSerialization` is reported to write it (spec 5.10): C's `%.17g`,
/// seventeen significant digits with trailing zeros dropped, so whole numbers have no fraction
/// (`100`, `-0`, `1e+21`) and most others show their binary value (`0.10000000000000001`).
/// Linux's Foundation writes the shortest digits instead; both read back as the same double.
pub(crate) fn apple_double(d: f64) -> String {
    const PRECISION: i32 = 17;
    // `{:.16e}`: seventeen significant digits, correctly rounded, as glibc's and Apple's
    // `printf` round them.
    let sci = format!("{d:.16e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let trim = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if (-4..PRECISION).contains(&exp) {
        let text = if exp >= 0 {
            let (int, frac) = digits.split_at(exp as usize + 1);
            format!("{int}.{frac}")
        } else {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        };
        format!("{sign}{}", trim(text))
    } else {
        let (first, rest) = digits.split_at(1);
        let mantissa = trim(format!("{first}.{rest}"));
        let exp_sign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exp_sign}{:02}", exp.unsigned_abs())
    }
}

/// White space in collation order; other spaces are variants of U+0020.
const WHITE_SPACE: [char; 9] = [
    '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{85}', '\u{2028}', '\u{2029}', ' ',
];

/// Punctuation, symbols and currency in collation order, as Foundation sorted them (every
/// ASCII one and Latin-1's).
const SYMBOLS: [char; 55] = [
    '_', '-', ',', ';', ':', '!', '¡', '?', '¿', '.', '·', '\'', '"', '«', '»', '(', ')', '[', ']',
    '{', '}', '§', '¶', '@', '*', '/', '\\', '&', '#', '%', '`', '´', '^', '¯', '¨', '¸', '°', '©',
    '®', '+', '±', '÷', '×', '<', '=', '>', '¬', '|', '¦', '~', '¤', '¢', '$', '£', '¥',
];

/// Accents in the order they rank at the second level; others follow by code point.
const ACCENTS: [char; 10] = [
    '\u{301}', '\u{300}', '\u{306}', '\u{302}', '\u{30c}', '\u{30a}', '\u{308}', '\u{30b}',
    '\u{303}', '\u{307}',
];

/// The groups of the first level, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    WhiteSpace,
    Symbol,
    /// Symbols outside [`SYMBOLS`] (arrows, mathematical and technical signs, emoji).
    OtherSymbol,
    Currency,
    Digits,
    Letter,
    /// Every other character, by code point.
    Other,
}

/// One collation element: the first level's `(group, weight)`, the third level's case or
/// variant (0 lower case, 1 upper case, 2 and up variants); accents are separate elements of
/// the second level.
#[derive(Debug, Default)]
struct Key {
    primary: Vec<(Group, u32)>,
    secondary: Vec<u32>,
    tertiary: Vec<u8>,
}

impl Key {
    fn push(&mut self, group: Group, weight: u32, tertiary: u8) {
        self.primary.push((group, weight));
        self.secondary.push(0);
        self.tertiary.push(tertiary);
    }

    fn accent(&mut self, mark: char) {
        let weight = ACCENTS
            .iter()
            .position(|&a| a == mark)
            .map_or(mark as u32, |i| i as u32 + 1);
        self.secondary.push(weight);
    }
}

/// Whether `c` weighs nothing at any level (control and format characters, joiners,
/// variation selectors).
fn ignorable(c: char) -> bool {
    (c.is_control() && !WHITE_SPACE.contains(&c))
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{fe00}'..='\u{fe0f}')
}

fn other_symbol(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}' | '\u{2100}'..='\u{2bff}'
        | '\u{3000}'..='\u{303f}' | '\u{1f000}'..='\u{1faff}')
}

fn collation_key(s: &str) -> Key {
    let mut key = Key::default();
    let chars: Vec<char> = s.nfd().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c.is_ascii_digit() {
            // A digit run by value: its length without leading zeros, then its digits.
            let start = i - 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let value = run.trim_start_matches('0');
            let value = if value.is_empty() { "0" } else { value };
            key.push(Group::Digits, value.len() as u32, 0);
            for d in value.chars() {
                key.push(Group::Digits, 100 + d as u32, 0);
            }
            continue;
        }
        if ignorable(c) {
            continue;
        }
        if unicode_normalization::char::is_combining_mark(c) && !key.primary.is_empty() {
            key.accent(c);
            continue;
        }
        match c {
            'a'..='z' => key.push(Group::Letter, c as u32, 0),
            'A'..='Z' => key.push(Group::Letter, c.to_ascii_lowercase() as u32, 1),
            'ß' | 'ẞ' => {
                let variant = if c == 'ß' { 2 } else { 3 };
                key.push(Group::Letter, 's' as u32, variant);
                key.push(Group::Letter, 's' as u32, variant);
            }
            _ => {
                if let Some(i) = WHITE_SPACE.iter().position(|&w| w == c) {
                    key.push(Group::WhiteSpace, i as u32, 0);
                } else if c.is_whitespace() {
                    key.push(Group::WhiteSpace, WHITE_SPACE.len() as u32 - 1, 2);
                } else if let Some(i) = SYMBOLS.iter().position(|&x| x == c) {
                    let group = if i >= SYMBOLS.len() - 5 {
                        Group::Currency
                    } else {
                        Group::Symbol
                    };
                    key.push(group, i as u32, 0);
                } else if matches!(c, '\u{20a0}'..='\u{20cf}') {
                    key.push(Group::Currency, c as u32, 0);
                } else if other_symbol(c) {
                    key.push(Group::OtherSymbol, c as u32, 0);
                } else {
                    key.push(Group::Other, c as u32, 0);
                }
            }
        }
    }
    key
}

/// Foundation's `sortedKeys` order (see the module header): the three levels of collation,
/// then the forced tie-break.
pub(crate) fn foundation_key_order(a: &str, b: &str) -> Ordering {
    let (ka, kb) = (collation_key(a), collation_key(b));
    ka.primary
        .cmp(&kb.primary)
        .then_with(|| ka.secondary.cmp(&kb.secondary))
        .then_with(|| ka.tertiary.cmp(&kb.tertiary))
        .then_with(|| forced_order(a, b))
}

/// `.forcedOrdering` between keys the collation finds equal: the first difference decides,
/// digit runs by value and then the shorter run first (`a1` before `a01`), other characters
/// by UTF-16 code unit (`a\u{1}b` before `ab`).
fn forced_order(left: &str, right: &str) -> Ordering {
    let left: Vec<u16> = left.encode_utf16().collect();
    let right: Vec<u16> = right.encode_utf16().collect();
    let digit = |u: u16| (0x30..=0x39).contains(&u);
    let run_end =
        |units: &[u16], from: usize| from + units[from..].iter().take_while(|&&u| digit(u)).count();
    let value =
        |run: &[u16]| -> Vec<u16> { run.iter().copied().skip_while(|&u| u == 0x30).collect() };
    let (mut li, mut ri) = (0, 0);
    while li < left.len() && ri < right.len() {
        if digit(left[li]) && digit(right[ri]) {
            let (le, re) = (run_end(&left, li), run_end(&right, ri));
            let (lv, rv) = (value(&left[li..le]), value(&right[ri..re]));
            let ord = lv
                .len()
                .cmp(&rv.len())
                .then_with(|| lv.cmp(&rv))
                .then_with(|| (le - li).cmp(&(re - ri)));
            if ord.is_ne() {
                return ord;
            }
            (li, ri) = (le, re);
        } else {
            let ord = left[li].cmp(&right[ri]);
            if ord.is_ne() {
                return ord;
            }
            li += 1;
            ri += 1;
        }
    }
    (left.len() - li).cmp(&(right.len() - ri))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = keys.to_vec();
        v.sort_by(|a, b| foundation_key_order(a, b));
        v.into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn keys_sort_as_foundation_sorted_them() {
        // Each list in the order Foundation's `sortedKeys` wrote it (Swift 6.0.3, Linux).
        let seen: [&[&str]; 5] = [
            &[
                "\u{1}", "\u{1f}", "\n", "\u{2028}", " ", "_", "'", "\"", "/", "\\", "&", "<", "=",
                "😀", "0", "9", "a", "A", "a1", "a01", "A1", "a9", "a10", "b", "B", "e", "E", "é",
                "ss", "ß", "Z", "日本",
            ],
            &[
                "a", "a b", "a_b", "a-b", "a0", "a00", "a1", "a01", "a001", "A01", "a01a", "a1b",
                "a\u{1}b", "ab", "aB", "Ab", "ab ", "x9y", "x10y", "x010y",
            ],
            &[
                "\u{2028}",
                "\u{2028}a",
                " a",
                "`",
                "^",
                "©",
                "+",
                "<",
                ">",
                "|",
                "~",
                "★",
                "😀",
                "😀a",
                "¢",
                "$",
                "9😀",
                "a😀",
                "e",
                "E",
                "é",
                "É",
                "è",
                "ê",
                "ë",
                "eé",
                "ée",
                "Ée",
                "ss",
                "SS",
                "ß",
                "ẞ",
                "sß",
                "ßs",
                "x\n",
                "x\u{2028}",
                "x ",
                "x\u{a0}",
                "日",
                "日本",
                "本",
            ],
            &[
                "\u{85}", "\u{2029}", "\u{a0}", "¡", "¿", "·", "«", "»", "§", "¶", "´", "¯", "¨",
                "¸", "°", "©", "®", "±", "÷", "×", "¬", "¦", "$", "£", "¥", "€", "1", "01", "001",
            ],
            &[
                "\t", "\n", "\u{b}", "\u{c}", "\r", " ", "_", "-", ",", ";", ":", "!", "?", ".",
                "'", "\"", "(", ")", "[", "]", "{", "}", "@", "*", "/", "\\", "&", "#", "%", "`",
                "^", "+", "<", "=", ">", "|", "~", "$", "0", "1", "9", "a", "A", "z", "Z",
            ],
        ];
        for keys in seen {
            let mut shuffled: Vec<&str> = keys.to_vec();
            shuffled.reverse();
            assert_eq!(sorted(&shuffled), keys, "{keys:?}");
        }
    }

    #[test]
    fn doubles_as_apple_writes_them() {
        let cases = [
            (0.1, "0.10000000000000001"),
            (100.0, "100"),
            (-0.0, "-0"),
            (1.0e21, "1e+21"),
            (1.0e-7, "9.9999999999999995e-08"),
            (2.5, "2.5"),
            (1.0e16, "10000000000000000"),
            (1.0e17, "1e+17"),
            (0.0001, "0.0001"),
            (1.5e-5, "1.5e-05"),
            (0.3, "0.29999999999999999"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "4.9406564584124654e-324"),
        ];
        for (d, want) in cases {
            assert_eq!(apple_double(d), want, "{d:e}");
        }
    }

    #[test]
    fn bodies_are_compact_and_sorted_at_every_level() {
        let v = serde_json::json!({"b": [{"B": 1, "a": 2.5}], "a10": "x/y", "a9": 100.0});
        assert_eq!(
            ios_json(&v),
            r#"{"a9":100,"a10":"x/y","b":[{"a":2.5,"B":1}]}"#
        );
    }
}
