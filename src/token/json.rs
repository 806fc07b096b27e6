//! Strict JSON objects for the server-side judgement: RFC 8259 text (serde_json, which also
//! refuses trailing data and bounds nesting depth), top level an object, and every repeated
//! member name recorded so it can be refused (RFC 7515 §4, RFC 7519 §4).

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

/// Name equality that looks at the first byte before calling `memcmp`: most of Infobip's
/// names are three letters long, so a length check alone rarely tells them apart.
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
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
#[derive(Debug, Clone, Default)]
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
                while let Some((Name(k), v)) = map.next_entry::<Name, Value>()? {
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
        match KNOWN_NAMES.iter().find(|k| same_name(k, s)) {
            Some(k) => Name(Cow::Borrowed(k)),
            None => Name(Cow::Owned(s.to_owned())),
        }
    }
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
                Ok(match KNOWN_NAMES.iter().find(|k| same_name(k, &s)) {
                    Some(k) => Name(Cow::Borrowed(k)),
                    None => Name(Cow::Owned(s)),
                })
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
