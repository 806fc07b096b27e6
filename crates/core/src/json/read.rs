//! Strict JSON objects for the server-side judgement: RFC 8259 text (serde_json, which also
//! refuses trailing data and bounds nesting depth), top level an object, and every repeated
//! member name recorded so it can be refused (RFC 7515 §4, RFC 7519 §4). Also the flat
//! reader beneath it ([`scan_flat`]).

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// A JSON object's members in their written order. Headers and payloads have a handful of
/// members, so a vector searched linearly beats a hash map (no hashing on every lookup).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Members(Vec<(Cow<'static, str>, Value)>);

impl Members {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(n, _)| same_name(n, name))
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| same_name(n, name))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(n, v)| (n.as_ref(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| n.as_ref())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets `name`, keeping the first position of a repeated name (as JSON readers that keep
    /// the last value do). Returns the name back when it was already there.
    pub fn insert(&mut self, name: impl Into<Cow<'static, str>>, value: Value) -> Option<String> {
        let name = name.into();
        if let Some(slot) = self.0.iter_mut().find(|(n, _)| same_name(n, &name)) {
            slot.1 = value;
            Some(name.into_owned())
        } else {
            self.0.push((name, value));
            None
        }
    }

    /// As a `serde_json::Value::Object`, for callers that want one.
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
}

/// Name equality. Most of Infobip's names are three letters long, so a length check alone
/// rarely tells them apart.
fn same_name(a: &str, b: &str) -> bool {
    // A byte loop, not `==`: names are a few bytes long, where a call to `memcmp` costs more
    // than the comparison itself.
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

impl Serialize for Members {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl std::ops::Index<&str> for Members {
    type Output = Value;
    /// Like `serde_json::Map`: a missing name reads as `null`.
    fn index(&self, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(name).unwrap_or(&NULL)
    }
}

/// A parsed object and the names that appeared more than once (the last value is kept).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StrictObject {
    pub members: Members,
    pub duplicates: Vec<String>,
}

/// Why bytes are not a strict JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON at all (or not UTF-8, or trailing data); serde_json's description.
    Invalid(String),
    /// Valid JSON whose top level is not an object.
    NotObject(&'static str),
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Invalid(e) => write!(f, "not valid JSON ({e})"),
            JsonError::NotObject(kind) => write!(f, "JSON {kind}, not an object"),
        }
    }
}

/// Parses `bytes` as one strict JSON object.
pub fn parse_object(bytes: &[u8]) -> Result<StrictObject, JsonError> {
    if let Some(o) = flat::parse(bytes) {
        return Ok(o);
    }
    match serde_json::from_slice::<StrictObject>(bytes) {
        Ok(o) => Ok(o),
        Err(e) => Err(match serde_json::from_slice::<Value>(bytes) {
            Ok(v) => JsonError::NotObject(kind_of(&v)),
            Err(_) => JsonError::Invalid(e.to_string()),
        }),
    }
}

/// A short name for a JSON value's type, for messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'de> Deserialize<'de> for StrictObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrictObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StrictObject, A::Error> {
                // Room for a typical header or payload (3 and 7 members) in one allocation.
                let mut out = StrictObject {
                    members: Members(Vec::with_capacity(8)),
                    duplicates: Vec::new(),
                };
                while let Some((Name(k), Plain(v))) = map.next_entry::<Name, Plain>()? {
                    if let Some(k) = out.members.insert(k, v)
                        && !out.duplicates.contains(&k)
                    {
                        out.duplicates.push(k);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V).map_err(de::Error::custom)
    }
}

/// A member name. The names Infobip tokens use are kept as static strings: a header and a
/// payload then cost no allocation for their names.
struct Name(Cow<'static, str>);

/// Header parameters and claims a check or an SDK looks up, plus the registered JOSE names.
const KNOWN_NAMES: [&str; 17] = [
    "alg",
    "typ",
    "kid",
    "crit",
    "jku",
    "x5u",
    "jwk",
    "x5c",
    "cty",
    "sub",
    "infobip-api-key",
    "iat",
    "exp",
    "jti",
    "iss",
    "nbf",
    "aud",
];

impl Name {
    fn of(s: &str) -> Name {
        Name(known(s).map_or_else(|| Cow::Owned(s.to_owned()), Cow::Borrowed))
    }
}

/// The static copy of `s` when it is one of [`KNOWN_NAMES`].
fn known(s: &str) -> Option<&'static str> {
    KNOWN_NAMES.iter().copied().find(|k| same_name(k, s))
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Name, E> {
                Ok(Name::of(s))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Name, E> {
                Ok(Name(known(&s).map_or(Cow::Owned(s), Cow::Borrowed)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Any JSON value, built into a `Value` by this visitor rather than `Value`'s own: with
/// serde_json's `raw_value` feature on, `Value` takes an object whose first name is
/// `$serde_json::private::RawValue` for a raw value and refuses it, though it is valid JSON
/// (found by the `strict_json` fuzz target). mmjwt's dependencies leave the feature off, but
/// features are unified across a build, so any crate built with mmjwt that wants raw values
/// turns it on for mmjwt too.
struct Plain(Value);

impl<'de> Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PlainVisitor)
    }
}

struct PlainVisitor;

impl<'de> Visitor<'de> for PlainVisitor {
    type Value = Plain;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Plain, E> {
        Ok(Plain(Value::Bool(b)))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Plain, E> {
        Ok(Plain(Value::from(n)))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Plain, E> {
        Ok(Plain(Value::from(n)))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Plain, E> {
        // As `Value` does: a non-finite float (which JSON text cannot produce) reads as null.
        Ok(Plain(
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        ))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Plain, E> {
        Ok(Plain(Value::String(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Plain, E> {
        Ok(Plain(Value::String(s)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Plain, E> {
        Ok(Plain(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Plain, E> {
        Ok(Plain(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Plain, D::Error> {
        Plain::deserialize(d)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Plain, A::Error> {
        let mut items = Vec::new();
        while let Some(Plain(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Plain(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Plain, A::Error> {
        let mut m = serde_json::Map::new();
        while let Some((k, Plain(v))) = map.next_entry::<String, Plain>()? {
            m.insert(k, v);
        }
        Ok(Plain(Value::Object(m)))
    }
}

/// A member value of a flat object (see [`scan_flat`]), borrowed from the text it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlatValue<'a> {
    /// A string without escapes.
    Str(&'a str),
    /// A non-negative integer (serde_json reads these as `u64`).
    UInt(u64),
    /// A negative integer (serde_json reads these as `i64`).
    Int(i64),
    Bool(bool),
    Null,
}

impl FlatValue<'_> {
    /// What [`Value::as_i64`] answers for the same value.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            FlatValue::UInt(n) => i64::try_from(n).ok(),
            FlatValue::Int(n) => Some(n),
            _ => None,
        }
    }

    /// What [`Value::as_str`] answers for the same value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            FlatValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The `Value` serde_json reads for the same text.
    pub fn to_value(self) -> Value {
        match self {
            FlatValue::Str(s) => Value::String(s.to_owned()),
            FlatValue::UInt(n) => Value::from(n),
            FlatValue::Int(n) => Value::from(n),
            FlatValue::Bool(b) => Value::Bool(b),
            FlatValue::Null => Value::Null,
        }
    }
}

/// Reads `bytes` as a flat object (see below) without building anything: `member` sees each
/// name and value in written order, repeated names included. Answers whether the whole text
/// had that shape; only then is it a JSON object that [`parse_object`] reads with exactly
/// these members (it is built on this function). When it answers `false`, `member` may have
/// seen some members already and nothing may be concluded: ask [`parse_object`].
pub fn scan_flat<'a>(bytes: &'a [u8], member: impl FnMut(&'a str, FlatValue<'a>)) -> bool {
    flat::scan(bytes, member)
}

/// [`scan_flat`] of text already known to be UTF-8, for a caller that keeps the text.
pub fn scan_flat_text<'a>(text: &'a str, mut member: impl FnMut(&'a str, FlatValue<'a>)) -> bool {
    flat::scan_text(text, &mut member).is_some()
}

/// The shape nearly every JWT header and payload has — one flat object whose names and string
/// values contain no escapes, and whose other values are integers, booleans or null — read
/// without serde's machinery, which for such objects is most of the cost of reading them.
/// Anything else (escapes, fractions, nesting, any error) answers `None`
/// and goes through serde_json, so unusual input gets serde's answer and serde's message; a
/// property test holds the two readers equal wherever this one answers.
mod flat {
    use super::{FlatValue, Members, Name, StrictObject};

    pub(super) fn parse(bytes: &[u8]) -> Option<StrictObject> {
        let mut out = StrictObject {
            members: Members(Vec::with_capacity(8)),
            duplicates: Vec::new(),
        };
        let whole = scan(bytes, |name, value| {
            if let Some(dup) = out.members.insert(Name::of(name).0, value.to_value())
                && !out.duplicates.contains(&dup)
            {
                out.duplicates.push(dup);
            }
        });
        whole.then_some(out)
    }

    /// The flat reader itself: calls `member` for each member in written order and answers
    /// whether the whole text had the flat shape (when it did not, some members may already
    /// have been seen and nothing can be concluded from them).
    pub(super) fn scan<'a>(
        bytes: &'a [u8],
        mut member: impl FnMut(&'a str, FlatValue<'a>),
    ) -> bool {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        scan_text(text, &mut member).is_some()
    }

    pub(super) fn scan_text<'a>(
        text: &'a str,
        member: &mut impl FnMut(&'a str, FlatValue<'a>),
    ) -> Option<()> {
        let b = text.as_bytes();
        let mut i = skip_ws(b, 0);
        if b.get(i) != Some(&b'{') {
            return None;
        }
        i = skip_ws(b, i + 1);
        if b.get(i) == Some(&b'}') {
            i += 1;
        } else {
            loop {
                let (name, next) = string(text, i)?;
                i = skip_ws(b, next);
                if b.get(i) != Some(&b':') {
                    return None;
                }
                let (value, next) = value(text, skip_ws(b, i + 1))?;
                member(name, value);
                i = skip_ws(b, next);
                match b.get(i) {
                    Some(b',') => i = skip_ws(b, i + 1),
                    Some(b'}') => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        (skip_ws(b, i) == b.len()).then_some(())
    }

    /// JSON's four whitespace bytes.
    fn skip_ws(b: &[u8], mut i: usize) -> usize {
        while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    }

    /// The bytes that end a plain string's run: its closing quote, an escape, a control
    /// character (one table load per byte instead of three comparisons).
    const STOPS_STRING: [bool; 256] = {
        let mut t = [false; 256];
        let mut c = 0;
        while c < 0x20 {
            t[c] = true;
            c += 1;
        }
        t[b'"' as usize] = true;
        t[b'\\' as usize] = true;
        t
    };

    /// A string without escapes or control characters starting at `i`; its text and the index
    /// after its closing quote.
    pub(super) fn string(text: &str, i: usize) -> Option<(&str, usize)> {
        let b = text.as_bytes();
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let start = i + 1;
        let len = b[start..]
            .iter()
            .position(|&c| STOPS_STRING[usize::from(c)])?;
        let end = start + len;
        // `end` holds an ASCII byte, so both slice bounds are character boundaries.
        (b[end] == b'"').then(|| (&text[start..end], end + 1))
    }

    fn value(text: &str, i: usize) -> Option<(FlatValue<'_>, usize)> {
        let b = text.as_bytes();
        let word = |w: &[u8], v| b[i..].starts_with(w).then(|| (v, i + w.len()));
        match *b.get(i)? {
            b'"' => string(text, i).map(|(s, next)| (FlatValue::Str(s), next)),
            b't' => word(b"true", FlatValue::Bool(true)),
            b'f' => word(b"false", FlatValue::Bool(false)),
            b'n' => word(b"null", FlatValue::Null),
            b'-' | b'0'..=b'9' => integer(b, i),
            _ => None,
        }
    }

    /// An integer as serde_json reads it: non-negative ones as u64, negative ones as i64.
    /// Leading zeros, `-0`, fractions, exponents and out-of-range values are left to serde.
    pub(super) fn integer(b: &[u8], i: usize) -> Option<(FlatValue<'static>, usize)> {
        let negative = b[i] == b'-';
        let start = i + usize::from(negative);
        // Digits read and counted in one pass; too many for a u64 is `None` at once.
        let mut end = start;
        let mut magnitude: u64 = 0;
        while let Some(&d) = b.get(end).filter(|d| d.is_ascii_digit()) {
            magnitude = magnitude
                .checked_mul(10)?
                .checked_add(u64::from(d - b'0'))?;
            end += 1;
        }
        let digits = end - start;
        if digits == 0 || (b[start] == b'0' && digits > 1) {
            return None;
        }
        if matches!(b.get(end), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let value = if negative {
            if magnitude == 0 {
                return None;
            }
            FlatValue::Int(i64::try_from(-i128::from(magnitude)).ok()?)
        } else {
            FlatValue::UInt(magnitude)
        };
        Some((value, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn objects_and_duplicates() {
        let o = parse_object(br#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(o.duplicates, vec!["a".to_string()]);
        assert_eq!(o.members["a"], 3);
        // Known names are shared statics, others owned; both read the same.
        let o = parse_object(br#"{"sub":"x","custom":1,"s\u0075b2":2}"#).unwrap();
        assert!(matches!(o.members.0[0].0, Cow::Borrowed("sub")));
        assert!(matches!(&o.members.0[1].0, Cow::Owned(n) if n == "custom"));
        assert_eq!(
            o.members.keys().collect::<Vec<_>>(),
            ["sub", "custom", "sub2"]
        );
        assert!(parse_object(br#"{"a":1}"#).unwrap().duplicates.is_empty());
    }

    /// serde_json's reading, bypassing the flat reader.
    fn by_serde(bytes: &[u8]) -> Option<StrictObject> {
        serde_json::from_slice::<StrictObject>(bytes).ok()
    }

    #[test]
    fn flat_reader_takes_real_tokens_and_agrees_with_serde() {
        for text in [
            r#"{"alg":"HS256","typ":"JWT","kid":"k-1"}"#,
            r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"app","iat":1700000000,"exp":1700000900,"jti":"0b7c","iss":"app"}"#,
            r#" { "a" : -9223372036854775808 , "b":18446744073709551615,"c":true,"d":false,"e":null,"a":0 } "#,
            "{}",
            "{\"\u{7f}é😀\":\"\u{2028}\"}",
        ] {
            let fast = flat::parse(text.as_bytes());
            assert!(fast.is_some(), "the flat reader should take {text}");
            assert_eq!(fast, by_serde(text.as_bytes()), "{text}");
        }
        // Left to serde (escapes, fractions, nesting, odd numbers, errors).
        for text in [
            r#"{"a\u0062":1}"#,
            r#"{"a":"\n"}"#,
            r#"{"a":1.5}"#,
            r#"{"a":1e3}"#,
            r#"{"a":[1]}"#,
            r#"{"a":{}}"#,
            r#"{"a":-0}"#,
            r#"{"a":01}"#,
            r#"{"a":18446744073709551616}"#,
            r#"{"a":-9223372036854775809}"#,
            r#"{"a":1,}"#,
            r#"{"a":1}x"#,
            "{\"a\":\"\t\"}",
            "{\"a\":1}\u{0c}",
        ] {
            assert_eq!(flat::parse(text.as_bytes()), None, "{text}");
        }
    }

    proptest! {
        /// Wherever the flat reader answers, serde_json answers the same.
        #[test]
        fn flat_reader_never_disagrees_with_serde(
            parts in prop::collection::vec(
                prop_oneof![
                    Just("{".to_string()),
                    Just("}".to_string()),
                    Just(",".to_string()),
                    Just(":".to_string()),
                    Just(" ".to_string()),
                    Just("\"sub\"".to_string()),
                    Just("\"exp\"".to_string()),
                    Just("true".to_string()),
                    Just("null".to_string()),
                    "-?[0-9]{1,21}(\\.[0-9])?".prop_map(|s| s),
                    "\"[ -~é\\\\\n]{0,6}\"".prop_map(|s| s),
                    "\"[ -~é\u{1f}\u{7f}\\\\]{7,20}\"".prop_map(|s| s),
                    "[\\PC]{0,3}".prop_map(|s| s),
                ],
                0..14,
            )
        ) {
            let text = parts.concat();
            if let Some(fast) = flat::parse(text.as_bytes()) {
                prop_assert_eq!(Some(fast), by_serde(text.as_bytes()), "{}", text);
            }
        }

        /// Well-formed flat objects are taken by the flat reader and equal serde's reading.
        #[test]
        fn flat_objects_are_read_like_serde(
            members in prop::collection::vec(
                ("[a-z]{1,3}", prop_oneof![
                    "[ -!#-\\[\\]-~é]{0,8}".prop_map(Value::from),
                    any::<i64>().prop_map(Value::from),
                    any::<u64>().prop_map(Value::from),
                    any::<bool>().prop_map(Value::from),
                    Just(Value::Null),
                ]),
                0..8,
            )
        ) {
            let body: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}:{v}", Value::from(k.as_str())))
                .collect();
            let text = format!("{{{}}}", body.join(","));
            let fast = flat::parse(text.as_bytes());
            prop_assert!(fast.is_some(), "not taken: {}", text);
            prop_assert_eq!(fast, by_serde(text.as_bytes()), "{}", text);
        }
    }

    #[test]
    fn serde_json_raw_value_marker_is_an_ordinary_name() {
        let text = br#"{"$serde_json::private::RawValue":"x","a":{"$serde_json::private::RawValue":"y"},"b":[{"$serde_json::private::RawValue":1}],"c":1.5}"#;
        let o = parse_object(text).unwrap();
        assert_eq!(o.members["$serde_json::private::RawValue"], "x");
        assert_eq!(o.members["a"]["$serde_json::private::RawValue"], "y");
        assert_eq!(o.members["b"][0]["$serde_json::private::RawValue"], 1);
        assert_eq!(o.members["c"], 1.5);
    }

    #[test]
    fn refusals() {
        assert_eq!(
            parse_object(b"[1]").unwrap_err(),
            JsonError::NotObject("an array")
        );
        assert_eq!(
            parse_object(b"1").unwrap_err(),
            JsonError::NotObject("a number")
        );
        assert!(matches!(
            parse_object(b"{\"a\":1}x"),
            Err(JsonError::Invalid(_))
        ));
        assert!(matches!(
            parse_object(b"\xEF\xBB\xBF{}"),
            Err(JsonError::Invalid(_))
        ));
        assert!(matches!(
            parse_object(b"{\"a\":\"\xff\"}"),
            Err(JsonError::Invalid(_))
        ));
        assert!(matches!(parse_object(b"{a:1}"), Err(JsonError::Invalid(_))));
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(5000), "]".repeat(5000));
        assert!(matches!(
            parse_object(deep.as_bytes()),
            Err(JsonError::Invalid(_))
        ));
    }
}
