//! A strict JSON object kept as written: each member's name and value text exactly as they
//! stand in the input (numbers as written, strings with their escapes, the whitespace around
//! them), for editing an object without rewriting the members left alone (`gen --from`).
//!
//! The strict reader ([`parse_object`]) decides what is valid and reads the values; this module
//! only cuts text that reader has accepted into members, so there is one definition of valid
//! JSON and every error message is the strict reader's.

use super::read::{JsonError, parse_object};
use serde_json::Value;

/// One member of a [`RawObject`]: its written text in five runs, and what it reads as.
#[derive(Debug, Clone, PartialEq)]
pub struct RawMember {
    /// The name as read (escapes resolved), for finding the member.
    pub name: String,
    /// The value as read.
    pub value: Value,
    /// Whitespace before the name.
    lead: String,
    /// The name's text, quotes and escapes included.
    name_text: String,
    /// The whitespace and colon between the name and the value.
    colon: String,
    /// The value's text.
    value_text: String,
    /// Whitespace after the value.
    trail: String,
}

impl RawMember {
    /// A new member written compactly: `"name":value` as serde_json writes them.
    pub fn new(name: &str, value: Value) -> RawMember {
        let mut name_text = String::new();
        super::write::string(&mut name_text, name);
        let mut value_text = String::new();
        super::write::value(&mut value_text, &value);
        RawMember {
            name: name.to_owned(),
            value,
            lead: String::new(),
            name_text,
            colon: ":".to_owned(),
            value_text,
            trail: String::new(),
        }
    }

    /// Replaces the value, keeping the name's text and the whitespace around.
    pub fn set_value(&mut self, value: Value) {
        self.value_text.clear();
        super::write::value(&mut self.value_text, &value);
        self.value = value;
    }

    /// The value's text as written.
    pub fn value_text(&self) -> &str {
        &self.value_text
    }
}

/// A JSON object as written: the members in order, and the text around them.
#[derive(Debug, Clone, PartialEq)]
pub struct RawObject {
    pub members: Vec<RawMember>,
    /// Whitespace before the opening brace, and the brace.
    open: String,
    /// Whitespace inside an object without members.
    inside: String,
    /// The closing brace and whitespace after it.
    close: String,
    /// Names that appear more than once (the strict reader's list).
    pub duplicates: Vec<String>,
}

impl RawObject {
    /// The member called `name`.
    pub fn get(&self, name: &str) -> Option<&RawMember> {
        self.members.iter().find(|m| m.name == name)
    }

    /// The member called `name`, to change.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut RawMember> {
        self.members.iter_mut().find(|m| m.name == name)
    }

    /// Removes the member called `name`; whether there was one.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.members.len();
        self.members.retain(|m| m.name != name);
        self.members.len() != before
    }

    /// The object's text: every member as written, edited ones as set, new ones compact.
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(
            self.open.len()
                + self.close.len()
                + self
                    .members
                    .iter()
                    .map(|m| m.name_text.len() + m.value_text.len() + 2)
                    .sum::<usize>(),
        );
        out.push_str(&self.open);
        for (i, m) in self.members.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            for run in [&m.lead, &m.name_text, &m.colon, &m.value_text, &m.trail] {
                out.push_str(run);
            }
        }
        if self.members.is_empty() {
            out.push_str(&self.inside);
        }
        out.push_str(&self.close);
        out
    }

    /// The members as a `serde_json::Value::Object`, in order (for `--json` views).
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.members
                .iter()
                .map(|m| (m.name.clone(), m.value.clone()))
                .collect(),
        )
    }
}

/// Reads `bytes` as one strict JSON object (see [`parse_object`]) and keeps each member's text.
pub fn parse_raw_object(bytes: &[u8]) -> Result<RawObject, JsonError> {
    let strict = parse_object(bytes)?;
    // The strict reader accepted the bytes, so they are UTF-8 JSON text; a failure below is a
    // disagreement between the two, answered as invalid rather than with a panic.
    let disagree = || JsonError::Invalid("the object could not be split into members".into());
    let text = std::str::from_utf8(bytes).map_err(|_| disagree())?;
    let mut out = split(text).ok_or_else(disagree)?;
    for m in &mut out.members {
        m.name = serde_json::from_str::<String>(&m.name_text).map_err(|_| disagree())?;
        m.value = strict.members.get(&m.name).cloned().ok_or_else(disagree)?;
    }
    out.duplicates = strict.duplicates;
    Ok(out)
}

/// Cuts the text of a valid JSON object into its runs (names and values left unread).
fn split(text: &str) -> Option<RawObject> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut out = RawObject {
        members: Vec::new(),
        open: text[..=i].to_owned(),
        inside: String::new(),
        close: String::new(),
        duplicates: Vec::new(),
    };
    i += 1;
    loop {
        let lead_start = i;
        i = skip_ws(b, i);
        if b.get(i) == Some(&b'}') && out.members.is_empty() {
            text[lead_start..i].clone_into(&mut out.inside);
            break;
        }
        let name_end = string_end(b, i)?;
        let value_start = skip_ws(b, skip_ws(b, name_end) + 1);
        let value_end = value_end(b, value_start)?;
        let trail_end = skip_ws(b, value_end);
        out.members.push(RawMember {
            name: String::new(),
            value: Value::Null,
            lead: text[lead_start..i].to_owned(),
            name_text: text[i..name_end].to_owned(),
            colon: text[name_end..value_start].to_owned(),
            value_text: text[value_start..value_end].to_owned(),
            trail: text[value_end..trail_end].to_owned(),
        });
        i = trail_end;
        match b.get(i)? {
            b',' => i += 1,
            b'}' => break,
            _ => return None,
        }
    }
    text[i..].clone_into(&mut out.close);
    Some(out)
}

/// JSON's four whitespace bytes.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The index after the string that starts at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// The index after the value that starts at `i`.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let len = b[i..]
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))?;
            Some(i + len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn members_keep_their_text() {
        let text = r#" { "alg" : "HS256","n":1.5e9, "s":"\u00e9\/" ,"o":{"a":[1,"}"]},"t":true}  "#;
        let o = parse_raw_object(text.as_bytes()).unwrap();
        assert_eq!(o.text(), text);
        let names: Vec<&str> = o.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["alg", "n", "s", "o", "t"]);
        assert_eq!(o.get("n").unwrap().value_text(), "1.5e9");
        assert_eq!(o.get("s").unwrap().value, Value::from("é/"));
        assert_eq!(o.get("s").unwrap().value_text(), r#""\u00e9\/""#);
        assert_eq!(o.get("o").unwrap().value["a"][1], "}");
    }

    #[test]
    fn edits_touch_only_their_member() {
        let mut o = parse_raw_object(br#"{"a":1.0, "b" : "x","c":null}"#).unwrap();
        o.get_mut("b").unwrap().set_value(Value::from("y\n"));
        assert!(o.remove("c"));
        assert!(!o.remove("c"));
        o.members.push(RawMember::new("d\"", Value::from(2)));
        assert_eq!(o.text(), r#"{"a":1.0, "b" : "y\n","d\"":2}"#);
        let mut empty = parse_raw_object(b"{ }").unwrap();
        assert_eq!(empty.text(), "{ }");
        empty.members.push(RawMember::new("a", Value::Bool(true)));
        assert_eq!(empty.text(), r#"{"a":true}"#);
    }

    #[test]
    fn the_strict_readers_refusals_and_duplicates() {
        assert_eq!(
            parse_raw_object(b"[1]").unwrap_err(),
            JsonError::NotObject("an array")
        );
        let Err(JsonError::Invalid(e)) = parse_raw_object(b"{\"a\":}") else {
            panic!("accepted invalid JSON");
        };
        assert!(e.contains("line 1 column 6"), "{e}");
        let o = parse_raw_object(br#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(o.duplicates, ["a"]);
    }

    fn member_text() -> impl Strategy<Value = String> {
        let name = prop_oneof![
            "[a-z]{1,4}".prop_map(|s| format!("\"{s}\"")),
            Just(r#""\u0061b""#.to_string()),
            Just(r#""k\/\"\n""#.to_string()),
        ];
        let value = prop_oneof![
            "-?[1-9][0-9]{0,12}(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
            Just("1.0".to_string()),
            Just("0".to_string()),
            Just("-0".to_string()),
            Just("true".to_string()),
            Just("null".to_string()),
            Just(r#""\u00e9\/""#.to_string()),
            "\"[ -!#-\\[\\]-~é]{0,8}\"",
            Just(r#"[1, {"a" : "]"}]"#.to_string()),
            Just(r#"{ "x" : [ ] }"#.to_string()),
        ];
        let ws = prop_oneof![4 => Just(String::new()), 1 => "[ \t\n\r]{1,2}"];
        (ws.clone(), name, ws.clone(), ws.clone(), value, ws)
            .prop_map(|(a, n, b, c, v, d)| format!("{a}{n}{b}:{c}{v}{d}"))
    }

    proptest! {
        /// Any object's text is given back byte for byte, and the members are the strict
        /// reader's, in order.
        #[test]
        fn unedited_objects_are_given_back_as_written(
            members in prop::collection::vec(member_text(), 0..8),
        ) {
            let text = format!("{{{}}}", members.join(","));
            let Ok(o) = parse_raw_object(text.as_bytes()) else {
                return Err(TestCaseError::fail(format!("refused {text}")));
            };
            prop_assert_eq!(o.text(), text.clone());
            let strict = parse_object(text.as_bytes()).unwrap();
            if strict.duplicates.is_empty() {
                prop_assert_eq!(o.to_value(), strict.members.to_value());
            }
        }
    }
}
