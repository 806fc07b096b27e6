//! What the Foundation and standard-library calls of the iOS SDK's validator do, written once
//! here beside the emulation (`sdk::ios`) that strings them together: the blank set
//! (`CharacterSet.whitespacesAndNewlines`), `split(separator: ".")` over `Character`s,
//! `Data(base64Encoded:)`, `JSONSerialization.jsonObject(with:)` (encodings, grammar, nesting,
//! numbers) and `Double(String)`.
//!
//! Each rule cites the source it follows: swift-corelibs-foundation and swift-foundation (the
//! Foundation Apple ships is built on swift-foundation; JSONSerialization's parser is the
//! corelibs one, which Apple documents as its behaviour) and the Swift runtime. A differential
//! test (tests/it/ios_differential.rs) holds them to a real Swift toolchain.

use crate::json::Members;
use serde_json::{Map, Number, Value};
use unicode_normalization::UnicodeNormalization as _;

/// `CharacterSet.whitespacesAndNewlines`: CoreFoundation's `isWhitespace` (space, tab, NBSP,
/// U+1680, U+2000–U+200B, U+202F, U+205F, U+3000) or `isNewline` (U+000A–U+000D, U+0085,
/// U+2028, U+2029), from `CFUniChar.c`. U+200B ZERO WIDTH SPACE is in it, unlike Unicode's
/// White_Space.
pub(super) fn is_whitespace_or_newline(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200B}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
            | '\n'..='\r'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `token.split(separator: ".")` with Swift's default `omittingEmptySubsequences: true`. Swift
/// compares `Character`s (extended grapheme clusters, UAX #29), so a dot is a separator only
/// when it is a cluster by itself: not followed by an Extend, ZWJ or SpacingMark scalar (rules
/// GB9, GB9a) and not preceded by a Prepend one (GB9b). A dot is never part of any other rule.
pub(super) fn split_on_dots(token: &str) -> Vec<&str> {
    let mut parts = Vec::with_capacity(3);
    let mut start = 0;
    // Only the scalars next to each dot matter, so the text between dots is never decoded.
    for i in memchr::memchr_iter(b'.', token.as_bytes()) {
        let prev = token[..i].chars().next_back();
        let next = token[i + 1..].chars().next();
        if prev.is_some_and(is_prepend) || next.is_some_and(extends_cluster) {
            continue;
        }
        if i > start {
            parts.push(&token[start..i]);
        }
        start = i + 1;
    }
    if token.len() > start {
        parts.push(&token[start..]);
    }
    parts
}

/// Grapheme_Cluster_Break Extend, ZWJ or SpacingMark: the marks (General_Category M) with the
/// spacing marks UAX #29 sets apart as Other, plus the non-mark scalars it lists as Extend
/// (ZWNJ, halfwidth sound marks, emoji modifiers, tag characters) or SpacingMark (U+0E33,
/// U+0EB3), and ZWJ.
fn extends_cluster(c: char) -> bool {
    if unicode_normalization::char::is_combining_mark(c) {
        // Spacing marks that GraphemeBreakProperty.txt leaves as Other.
        return !matches!(
            c,
            '\u{102B}'
                | '\u{102C}'
                | '\u{1038}'
                | '\u{1062}'..='\u{1064}'
                | '\u{1067}'..='\u{106D}'
                | '\u{1083}'
                | '\u{1087}'..='\u{108C}'
                | '\u{108F}'
                | '\u{109A}'..='\u{109C}'
                | '\u{1A61}'
                | '\u{1A63}'
                | '\u{1A64}'
                | '\u{AA7B}'
                | '\u{AA7D}'
                | '\u{11720}'
                | '\u{11721}'
        );
    }
    matches!(
        c,
        '\u{200C}'
            | '\u{200D}'
            | '\u{0E33}'
            | '\u{0EB3}'
            | '\u{FF9E}'
            | '\u{FF9F}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// Grapheme_Cluster_Break Prepend (GraphemeBreakProperty.txt): prepended concatenation marks
/// and a few letters that attach to what follows.
fn is_prepend(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'..='\u{0605}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{0D4E}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{111C2}'..='\u{111C3}'
            | '\u{1193F}'
            | '\u{11941}'
            | '\u{11A3A}'
            | '\u{11A84}'..='\u{11A89}'
            | '\u{11D46}'
            | '\u{11F02}'
    )
}

/// The standard alphabet's value of a byte, if it has one.
fn sextet(b: u8) -> Option<u32> {
    Some(u32::from(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// `Data(base64Encoded:)` with no options, as swift-foundation decodes it since PR #1263
/// (`Data+Base64.swift`, `_decode`), the decoder Apple's Foundation ships: the `=`s at the end
/// are set aside, the rest is read in quanta of four, and the padding only has to reach the end
/// of the last quantum; more `=` than that is allowed. A `=` in the third place of the last
/// quantum before a fourth character counts as an absent character. A last quantum of a single
/// character is refused (swift-corelibs-foundation 6.0.3 on Linux drops it instead).
pub(super) fn base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    if input.is_empty() {
        return Some(Vec::new());
    }
    let Some(last) = input.iter().rposition(|&b| b != b'=') else {
        // Only padding: one zero byte when there are at least four.
        return (input.len() >= 4).then(|| vec![0]);
    };
    let to_parse = (last + 1).div_ceil(4) * 4;
    if to_parse > input.len() {
        return None;
    }
    let mut out = Vec::with_capacity(to_parse / 4 * 3);
    let (full, tail) = input[..to_parse].split_at(to_parse - 4);
    for q in full.chunks_exact(4) {
        let mut x = 0;
        for &b in q {
            x = (x << 6) | sextet(b)?;
        }
        out.extend_from_slice(&[(x >> 16) as u8, (x >> 8) as u8, x as u8]);
    }
    let present = |b: u8| (b != b'=').then_some(b);
    let (a2, a3) = (present(tail[2]), present(tail[3]));
    let x = (sextet(tail[0])? << 18)
        | (sextet(tail[1])? << 12)
        | (a2.map_or(Some(0), sextet)? << 6)
        | a3.map_or(Some(0), sextet)?;
    out.push((x >> 16) as u8);
    if a2.is_some() {
        out.push((x >> 8) as u8);
    }
    if a3.is_some() {
        out.push(x as u8);
    }
    Some(out)
}

/// JSONSerialization's nesting limit: arrays and objects open at once, the top level counting
/// as 1 (swift-corelibs-foundation `JSONSerialization+Parser.swift`, `depth < 512`). Apple does
/// not publish Darwin's limit; this is the best evidence of it.
pub const MAX_DEPTH: usize = 512;

/// `JSONSerialization.jsonObject(with:) as? [String: Any]`: the members of a top-level object,
/// or `None` wherever Foundation throws or the top level is something else.
pub(super) fn json_object(bytes: &[u8]) -> Option<Members> {
    let text = to_utf8(bytes)?;
    let mut p = Parser {
        b: &text,
        i: 0,
        depth: 0,
    };
    p.skip_ws();
    if p.peek() != Some(b'{') {
        // A fragment (or nothing): refused without `.fragmentsAllowed`, and no object anyway.
        return None;
    }
    let Parsed::Object(members) = p.value()? else {
        return None;
    };
    p.skip_ws();
    if p.i != p.b.len() {
        return None;
    }
    let mut out = Members::default();
    for (k, v) in members {
        out.insert(k, v.into_value()?);
    }
    Some(out)
}

/// A value as the parser holds it before Foundation makes objects of it (`JSONValue`):
/// numbers stay text until then, so a number that no `NSNumber` holds fails the parse only if
/// it is still there once repeated names have been resolved.
enum Parsed {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Parsed>),
    Object(Vec<(String, Parsed)>),
}

impl Parsed {
    /// `toObjcRepresentation`: `None` where a number is not representable.
    fn into_value(self) -> Option<Value> {
        Some(match self {
            Parsed::Null => Value::Null,
            Parsed::Bool(b) => Value::Bool(b),
            Parsed::Number(text) => number(&text)?,
            Parsed::String(s) => Value::String(s),
            Parsed::Array(items) => Value::Array(
                items
                    .into_iter()
                    .map(Parsed::into_value)
                    .collect::<Option<_>>()?,
            ),
            Parsed::Object(members) => {
                let mut map = Map::new();
                for (k, v) in members {
                    map.insert(k, v.into_value()?);
                }
                Value::Object(map)
            }
        })
    }
}

/// Swift's `String` equality: canonical equivalence.
fn same_key(a: &str, b: &str) -> bool {
    a == b || (!a.is_ascii() && !b.is_ascii() && a.nfd().eq(b.nfd()))
}

/// JSONSerialization's encoding detection (`detectEncoding`): a UTF-8, UTF-32 or UTF-16 byte
/// order mark (looked for only in four bytes or more), else the pattern of NUL bytes among the
/// first four (or two), else UTF-8. Other encodings are converted to UTF-8 first: a unit cut
/// short at the end is dropped, a lone surrogate or a value past U+10FFFF refuses the text, and
/// a second byte order mark stays (as U+FEFF, which the parser then refuses).
fn to_utf8(bytes: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    use std::borrow::Cow;
    #[derive(Clone, Copy)]
    enum Enc {
        Utf8,
        Utf16(bool),
        Utf32(bool),
    }
    let short = bytes.len() < 4;
    let (enc, skip) = match bytes {
        _ if short && bytes.len() >= 2 && bytes[0] == 0 => (Enc::Utf16(true), 0),
        _ if short && bytes.len() >= 2 && bytes[1] == 0 => (Enc::Utf16(false), 0),
        _ if short => (Enc::Utf8, 0),
        [0xEF, 0xBB, 0xBF, _, ..] => (Enc::Utf8, 3),
        [0, 0, 0xFE, 0xFF, ..] => (Enc::Utf32(true), 4),
        [0xFF, 0xFE, 0, 0, ..] => (Enc::Utf32(false), 4),
        [0xFF, 0xFE, _, _, ..] => (Enc::Utf16(false), 2),
        [0xFE, 0xFF, _, _, ..] => (Enc::Utf16(true), 2),
        [0, 0, 0, _, ..] => (Enc::Utf32(true), 0),
        [_, 0, 0, 0, ..] => (Enc::Utf32(false), 0),
        [0, _, 0, _, ..] => (Enc::Utf16(true), 0),
        [_, 0, _, 0, ..] => (Enc::Utf16(false), 0),
        _ => (Enc::Utf8, 0),
    };
    let rest = &bytes[skip..];
    // `String(bytes:encoding:)` drops a last unit that is cut short.
    let units = |width: usize, big: bool| {
        rest.chunks_exact(width).map(move |c| {
            let mut v = 0u32;
            for i in 0..width {
                let b = if big { c[i] } else { c[width - 1 - i] };
                v = (v << 8) | u32::from(b);
            }
            v
        })
    };
    let text: String = match enc {
        Enc::Utf8 => return Some(Cow::Borrowed(rest)),
        Enc::Utf16(big) => {
            let u: Vec<u16> = units(2, big).map(|v| v as u16).collect();
            String::from_utf16(&u).ok()?
        }
        Enc::Utf32(big) => units(4, big)
            .map(char::from_u32)
            .collect::<Option<String>>()?,
    };
    Some(Cow::Owned(text.into_bytes()))
}

/// swift-corelibs-foundation's `JSONParser` over UTF-8 bytes: RFC 8259 values with a trailing
/// comma allowed before `]` and `}`, whitespace only space, tab, CR and LF, the last of
/// repeated names winning, and numbers as [`number`] reads them.
struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    /// Whitespace, then the next byte (not consumed).
    fn next_token(&mut self) -> Option<u8> {
        self.skip_ws();
        self.peek()
    }

    fn value(&mut self) -> Option<Parsed> {
        match self.next_token()? {
            b'"' => self.string().map(Parsed::String),
            b'{' => self.object(),
            b'[' => self.array(),
            b't' => self.literal(b"true", Parsed::Bool(true)),
            b'f' => self.literal(b"false", Parsed::Bool(false)),
            b'n' => self.literal(b"null", Parsed::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8], v: Parsed) -> Option<Parsed> {
        self.b[self.i..].starts_with(word).then(|| {
            self.i += word.len();
            v
        })
    }

    fn open(&mut self) -> Option<()> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        self.i += 1;
        Some(())
    }

    /// After a value: the closing byte (true), or a comma and maybe then the closing byte.
    fn after_value(&mut self, close: u8) -> Option<bool> {
        match self.next_token()? {
            c if c == close => {
                self.i += 1;
                Some(true)
            }
            b',' => {
                self.i += 1;
                if self.next_token()? == close {
                    self.i += 1;
                    return Some(true);
                }
                Some(false)
            }
            _ => None,
        }
    }

    fn array(&mut self) -> Option<Parsed> {
        self.open()?;
        let mut items = Vec::new();
        if self.next_token()? == b']' {
            self.i += 1;
        } else {
            loop {
                items.push(self.value()?);
                if self.after_value(b']')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(Parsed::Array(items))
    }

    fn object(&mut self) -> Option<Parsed> {
        self.open()?;
        let mut members: Vec<(String, Parsed)> = Vec::new();
        if self.next_token()? == b'}' {
            self.i += 1;
        } else {
            loop {
                if self.peek()? != b'"' {
                    return None;
                }
                let name = self.string()?;
                if self.next_token()? != b':' {
                    return None;
                }
                self.i += 1;
                let v = self.value()?;
                // A Swift dictionary keeps the first spelling of a repeated name and its last
                // value.
                match members.iter_mut().find(|(k, _)| same_key(k, &name)) {
                    Some(slot) => slot.1 = v,
                    None => members.push((name, v)),
                }
                if self.after_value(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(Parsed::Object(members))
    }

    /// A string: raw runs must be valid UTF-8 without control characters; escapes are JSON's,
    /// a high surrogate escape must be followed by a low one, a lone low one is refused.
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let run = self.b[self.i..]
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
            out.push_str(std::str::from_utf8(&self.b[self.i..self.i + run]).ok()?);
            self.i += run;
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    let e = *self.b.get(self.i + 1)?;
                    self.i += 2;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                _ => return None,
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.b.get(self.i..self.i + 4)?;
        let mut v = 0;
        for &c in h {
            v = (v << 4) | (c as char).to_digit(16)?;
        }
        self.i += 4;
        Some(v)
    }

    fn unicode_escape(&mut self) -> Option<char> {
        let hi = self.hex4()?;
        if hi & 0xFC00 != 0xD800 {
            return char::from_u32(hi);
        }
        if self.b.get(self.i..self.i + 2)? != b"\\u" {
            return None;
        }
        self.i += 2;
        let lo = self.hex4()?;
        if lo & 0xFC00 != 0xDC00 {
            return None;
        }
        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
    }

    /// JSON's number grammar (no leading zeros, digits on both sides of `.`, a digit after the
    /// exponent's sign), ended only by whitespace, `,`, `]`, `}` or the end of the text.
    fn number(&mut self) -> Option<Parsed> {
        let start = self.i;
        let b = self.b;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        let mut i = start;
        if b[i] == b'-' {
            i += 1;
        }
        let int_start = i;
        let n = digits(&mut i);
        if n == 0 || (n > 1 && b[int_start] == b'0') {
            return None;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                return None;
            }
        }
        if !matches!(
            b.get(i),
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}')
        ) {
            return None;
        }
        self.i = i;
        // The grammar admits ASCII only.
        Some(Parsed::Number(
            String::from_utf8_lossy(&b[start..i]).into_owned(),
        ))
    }
}

/// `NSNumber.fromJSONNumber` (swift-corelibs-foundation `JSONSerialization.swift`): text with
/// no `.` and no lowercase `e` is an `Int64` (when negative, at most 19 characters) or a
/// `UInt64` (at most 20) if it fits; past 17 characters before the exponent, with an exponent
/// in -128...127, a `Decimal`; otherwise `Double(String)`, which must be finite. A number that
/// none of them holds fails the whole parse (so `1e400` makes the JSON invalid; `1e-400` is 0).
fn number(text: &str) -> Option<Value> {
    let exp_at = text.find('e');
    let integer = exp_at.is_none() && !text.contains('.');
    let digit_count = exp_at.unwrap_or(text.len());
    if integer {
        if text.starts_with('-') {
            if digit_count <= 19
                && let Ok(n) = text.parse::<i64>()
            {
                return Some(Value::from(n));
            }
        } else if digit_count <= 20
            && let Ok(n) = text.parse::<u64>()
        {
            return Some(Value::from(n));
        }
    }
    let exp = exp_at.map_or(0, |at| text[at + 1..].parse::<i64>().unwrap_or(0));
    let f = if digit_count > 17 && (-128..=127).contains(&exp) {
        // A Decimal, read back as a Double when the SDK asks for one.
        text.parse::<f64>().ok()?
    } else {
        double(text)?
    };
    Number::from_f64(f).map(Value::Number)
}

/// Swift's `Double(String)`: `strtod` in the C locale over the string as a C string (so only
/// the text before a NUL counts), refused when it starts with ASCII whitespace, is empty or
/// leaves characters unread (the runtime's `_swift_stdlib_strtod_clocale`). `strtod` reads
/// decimal, hexadecimal (`0x1p31`, binary exponent optional), `inf`/`infinity` and `nan` or
/// `nan(chars)` in any case; the runtime reads `snan` itself. Out-of-range text reads as
/// infinity or zero. So `"nan(0x1)"`, `"1e999"` and `"1800000600\u{0}junk"` are numbers.
pub(super) fn double(s: &str) -> Option<f64> {
    let s = s.split('\0').next().unwrap_or_default();
    if s.is_empty() || s.starts_with(['\t', '\n', '\u{b}', '\u{c}', '\r', ' ']) {
        return None;
    }
    let (negative, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let magnitude = if lower == "snan" || lower == "nan" || is_nan_payload(&lower) {
        f64::NAN
    } else if lower == "inf" || lower == "infinity" {
        f64::INFINITY
    } else if let Some(rest) = lower.strip_prefix("0x") {
        super::javanum::parse_hex_float(rest.as_bytes(), super::javanum::HexDialect::Swift)?
    } else {
        // Rust reads the decimal forms strtod reads; its own words (inf, nan) are handled above,
        // and a second sign is refused.
        if !lower
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        {
            return None;
        }
        lower.parse::<f64>().ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `nan(` n-char-sequence `)`: letters, digits and `_` between the parentheses.
fn is_nan_payload(lower: &str) -> bool {
    lower
        .strip_prefix("nan(")
        .and_then(|r| r.strip_suffix(')'))
        .is_some_and(|inner| {
            inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}
