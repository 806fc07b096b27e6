//! Reading what clients send: query flags (`true/false` or `1/0`), the save-user (patch) body
//! and the personalize body, checked member by member so a wrong type is a 400 with a text
//! that names the member. Pure: bytes and strings in, typed requests or an [`ApiError`] out.

use super::api::{ApiError, message_id};
use super::person::{Email, Gender, Phone};
use crate::json::kind_of;
use http::StatusCode;
use serde_json::{Map, Value};

/// A member of a patch: not sent, sent as `null` (delete), or sent with a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field<T> {
    #[default]
    Absent,
    Null,
    Set(T),
}

/// The person attributes both the patch and personalize's `userAttributes` carry.
// The field names are the Mobile API's (`customAttributes`), not a stutter.
#[allow(clippy::struct_field_names)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes {
    pub first_name: Field<String>,
    pub last_name: Field<String>,
    pub middle_name: Field<String>,
    pub gender: Field<Gender>,
    pub birthday: Field<String>,
    pub tags: Field<Vec<String>>,
    /// Values that are `null` delete that one attribute.
    pub custom_attributes: Field<Map<String, Value>>,
}

/// The save-user body (`PATCH .../user`, or Android's POST with the override header).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserPatch {
    pub external_user_id: Field<String>,
    pub phones: Field<Vec<Phone>>,
    pub emails: Field<Vec<Email>>,
    pub attributes: Attributes,
}

/// personalize's `userIdentity`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    pub external_user_id: Option<String>,
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
}

/// The personalize (and Android repersonalize) body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonalizeBody {
    pub identity: Identity,
    pub attributes: Attributes,
}

/// Parses a body that must be one JSON object.
pub fn object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::format(
            "the request body is empty; a JSON object is expected",
        ));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(ApiError::format(format!(
            "the request body must be a JSON object, found {}",
            kind_of(&other)
        ))),
        Err(e) => Err(ApiError::format(format!(
            "the request body is not valid JSON: {e}"
        ))),
    }
}

/// The save-user body.
pub fn user_patch(obj: &Map<String, Value>) -> Result<UserPatch, ApiError> {
    let mut p = UserPatch::default();
    for (k, v) in obj {
        match k.as_str() {
            "externalUserId" => p.external_user_id = nullable(k, v, external_user_id)?,
            "phones" => p.phones = nullable(k, v, phones)?,
            "emails" => p.emails = nullable(k, v, emails)?,
            _ => {
                if !attribute(&mut p.attributes, k, v)? {
                    return Err(unknown_member(k, "the user", USER_MEMBERS));
                }
            }
        }
    }
    Ok(p)
}

const USER_MEMBERS: &str = "externalUserId, firstName, lastName, middleName, gender, birthday, phones, emails, tags, customAttributes";
const ATTRIBUTE_MEMBERS: &str =
    "firstName, lastName, middleName, gender, birthday, tags, customAttributes";

/// The personalize body: `userIdentity` (required, with at least one of externalUserId, phones,
/// emails) and optional `userAttributes`.
pub fn personalize(obj: &Map<String, Value>) -> Result<PersonalizeBody, ApiError> {
    let mut body = PersonalizeBody::default();
    let mut seen_identity = false;
    for (k, v) in obj {
        match k.as_str() {
            "userIdentity" => {
                seen_identity = true;
                body.identity = identity(v)?;
            }
            "userAttributes" => match v {
                Value::Null => {}
                Value::Object(m) => {
                    for (ak, av) in m {
                        if !attribute(&mut body.attributes, ak, av)? {
                            return Err(unknown_member(ak, "userAttributes", ATTRIBUTE_MEMBERS));
                        }
                    }
                }
                other => {
                    return Err(ApiError::format(format!(
                        "userAttributes must be an object, found {}",
                        kind_of(other)
                    )));
                }
            },
            _ => {
                return Err(unknown_member(
                    k,
                    "the personalize body",
                    "userIdentity, userAttributes",
                ));
            }
        }
    }
    if !seen_identity {
        return Err(identity_invalid("userIdentity is missing"));
    }
    Ok(body)
}

fn identity(v: &Value) -> Result<Identity, ApiError> {
    let Value::Object(m) = v else {
        return Err(identity_invalid(format!(
            "userIdentity must be an object, found {}",
            kind_of(v)
        )));
    };
    let mut id = Identity::default();
    for (k, v) in m {
        match k.as_str() {
            "externalUserId" => {
                if !v.is_null() {
                    id.external_user_id = Some(external_user_id(k, v)?);
                }
            }
            "phones" => {
                if !v.is_null() {
                    id.phones = phones(k, v)?;
                }
            }
            "emails" => {
                if !v.is_null() {
                    id.emails = emails(k, v)?;
                }
            }
            _ => {
                return Err(unknown_member(
                    k,
                    "userIdentity",
                    "externalUserId, phones, emails",
                ));
            }
        }
    }
    if id.external_user_id.is_none() && id.phones.is_empty() && id.emails.is_empty() {
        return Err(identity_invalid(
            "userIdentity needs at least one of externalUserId, phones, emails",
        ));
    }
    Ok(id)
}

fn identity_invalid(text: impl Into<String>) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        message_id::USER_IDENTITY_INVALID,
        text,
    )
}

fn unknown_member(name: &str, whose: &str, known: &str) -> ApiError {
    ApiError::format(format!(
        "{whose} has no member {}; known members: {known}",
        short_name(name)
    ))
}

/// A member name for a message, JSON-quoted and cut short.
fn short_name(name: &str) -> String {
    let cut: String = name.chars().take(40).collect();
    let s = Value::String(cut).to_string();
    if name.chars().count() > 40 {
        format!("{s}…")
    } else {
        s
    }
}

/// Sets one person attribute; `Ok(false)` when `k` is not an attribute name.
fn attribute(a: &mut Attributes, k: &str, v: &Value) -> Result<bool, ApiError> {
    match k {
        "firstName" => a.first_name = nullable(k, v, string)?,
        "lastName" => a.last_name = nullable(k, v, string)?,
        "middleName" => a.middle_name = nullable(k, v, string)?,
        "gender" => a.gender = nullable(k, v, gender)?,
        "birthday" => a.birthday = nullable(k, v, birthday)?,
        "tags" => a.tags = nullable(k, v, tags)?,
        "customAttributes" => a.custom_attributes = nullable(k, v, custom_attributes)?,
        _ => return Ok(false),
    }
    Ok(true)
}

fn nullable<T>(
    name: &str,
    v: &Value,
    parse: fn(&str, &Value) -> Result<T, ApiError>,
) -> Result<Field<T>, ApiError> {
    if v.is_null() {
        Ok(Field::Null)
    } else {
        parse(name, v).map(Field::Set)
    }
}

fn wrong_type(name: &str, want: &str, v: &Value) -> ApiError {
    ApiError::format(format!("{name} must be {want}, found {}", kind_of(v)))
}

fn string(name: &str, v: &Value) -> Result<String, ApiError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(wrong_type(name, "a string or null", other)),
    }
}

fn external_user_id(name: &str, v: &Value) -> Result<String, ApiError> {
    let s = string(name, v)?;
    if s.is_empty() {
        return Err(ApiError::format(format!("{name} must not be empty")));
    }
    Ok(s)
}

fn gender(name: &str, v: &Value) -> Result<Gender, ApiError> {
    match v.as_str() {
        Some("Male") => Ok(Gender::Male),
        Some("Female") => Ok(Gender::Female),
        Some(_) => Err(ApiError::format(format!(
            "{name} must be \"Male\", \"Female\" or null"
        ))),
        None => Err(wrong_type(name, "\"Male\", \"Female\" or null", v)),
    }
}

fn birthday(name: &str, v: &Value) -> Result<String, ApiError> {
    let s = string(name, v)?;
    let ok = crate::time::is_date(&s);
    if ok {
        Ok(s)
    } else {
        Err(ApiError::format(format!(
            "{name} must be a date written yyyy-MM-dd"
        )))
    }
}

fn tags(name: &str, v: &Value) -> Result<Vec<String>, ApiError> {
    let Value::Array(items) = v else {
        return Err(wrong_type(name, "an array of strings or null", v));
    };
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let Value::String(s) = item else {
            return Err(wrong_type(&format!("each of {name}"), "a string", item));
        };
        // Tags are a set; the first spelling wins and the order is kept.
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    Ok(out)
}

/// Custom attribute values: string, number, boolean, `null` (delete), or a list of objects
/// whose values are scalars (Infobip's "list of objects" type).
fn custom_attributes(name: &str, v: &Value) -> Result<Map<String, Value>, ApiError> {
    let Value::Object(m) = v else {
        return Err(wrong_type(name, "an object or null", v));
    };
    for (k, val) in m {
        if k.is_empty() {
            return Err(ApiError::format(format!(
                "{name} has an empty attribute name"
            )));
        }
        let ok = match val {
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
            Value::Array(items) => items.iter().all(|i| {
                i.as_object()
                    .is_some_and(|o| o.values().all(|x| !x.is_array() && !x.is_object()))
            }),
            Value::Object(_) => false,
        };
        if !ok {
            return Err(ApiError::format(format!(
                "{name}.{} must be a string, number, boolean, null or a list of flat objects, found {}",
                short_name(k),
                kind_of(val)
            )));
        }
    }
    Ok(m.clone())
}

fn phones(name: &str, v: &Value) -> Result<Vec<Phone>, ApiError> {
    contact_list(name, v, "number", |number, preferred| {
        let digits = number.strip_prefix('+').unwrap_or(number);
        if (5..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Phone {
                number: number.to_owned(),
                preferred,
            })
        } else {
            Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                message_id::PHONE_INVALID,
                "a phone number must be 5 to 20 digits, optionally after a '+'",
            ))
        }
    })
}

fn emails(name: &str, v: &Value) -> Result<Vec<Email>, ApiError> {
    contact_list(name, v, "address", |address, preferred| {
        let valid = address.len() <= 254
            && !address.chars().any(|c| c.is_whitespace() || c.is_control())
            && address.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && !domain.is_empty() && !domain.contains('@')
            });
        if valid {
            Ok(Email {
                address: address.to_owned(),
                preferred,
            })
        } else {
            Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                message_id::EMAIL_INVALID,
                "an email address must be local@domain without spaces (at most 254 characters)",
            ))
        }
    })
}

/// `[{"<key>": "...", "preferred": bool}]`; duplicates (by `<key>`) keep the first.
fn contact_list<T>(
    name: &str,
    v: &Value,
    key: &str,
    make: impl Fn(&str, bool) -> Result<T, ApiError>,
) -> Result<Vec<T>, ApiError> {
    let Value::Array(items) = v else {
        return Err(wrong_type(name, "an array of objects or null", v));
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(o) = item else {
            return Err(wrong_type(&format!("each of {name}"), "an object", item));
        };
        let mut value = None;
        let mut preferred = false;
        for (k, x) in o {
            if k == key {
                match x {
                    Value::String(s) => value = Some(s.as_str()),
                    other => return Err(wrong_type(&format!("{name}[].{key}"), "a string", other)),
                }
            } else if k == "preferred" {
                match x {
                    Value::Bool(b) => preferred = *b,
                    Value::Null => {}
                    other => {
                        return Err(wrong_type(
                            &format!("{name}[].preferred"),
                            "a boolean",
                            other,
                        ));
                    }
                }
            } else {
                return Err(unknown_member(
                    k,
                    &format!("an entry of {name}"),
                    &format!("{key}, preferred"),
                ));
            }
        }
        let Some(value) = value else {
            return Err(ApiError::format(format!(
                "each entry of {name} needs a {key}"
            )));
        };
        if !seen.contains(&value) {
            seen.push(value);
            out.push(make(value, preferred)?);
        }
    }
    Ok(out)
}

/// Reads boolean query flags written `true`/`false` or `1`/`0` (Android and iOS spellings).
/// Other parameters are ignored; a flag given twice or with another value is a 400.
pub fn query_flags<const N: usize>(
    query: Option<&str>,
    names: [&str; N],
) -> Result<[Option<bool>; N], ApiError> {
    let mut out = [None; N];
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(i) = names.iter().position(|n| *n == k) else {
            continue;
        };
        let value = match v {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => {
                return Err(ApiError::format(format!(
                    "query parameter {k} must be true, false, 1 or 0"
                )));
            }
        };
        if out[i].replace(value).is_some() {
            return Err(ApiError::format(format!(
                "query parameter {k} is given more than once"
            )));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn flags_accept_both_spellings() {
        let f = query_flags(Some("ri=true&rt=0&x=y"), ["ri", "rt"]).unwrap();
        assert_eq!(f, [Some(true), Some(false)]);
        let f = query_flags(None, ["ri"]).unwrap();
        assert_eq!(f, [None]);
        assert!(query_flags(Some("ri=yes"), ["ri"]).is_err());
        assert!(query_flags(Some("ri=1&ri=1"), ["ri"]).is_err());
        assert!(query_flags(Some("ri"), ["ri"]).is_err());
    }

    #[test]
    fn patch_reads_every_member_and_nulls() {
        let p = user_patch(&obj(json!({
            "externalUserId": "u1", "firstName": "Ann", "lastName": null, "gender": "Female",
            "birthday": "1990-02-28", "tags": ["a", "b", "a"], "customAttributes": {"x": 1, "y": null},
            "phones": [{"number": "+385991111666"}], "emails": [{"address": "a@b.c", "preferred": true}]
        })))
        .unwrap();
        assert_eq!(p.external_user_id, Field::Set("u1".into()));
        assert_eq!(p.attributes.last_name, Field::Null);
        assert_eq!(p.attributes.tags, Field::Set(vec!["a".into(), "b".into()]));
        assert_eq!(p.attributes.gender, Field::Set(Gender::Female));
        assert!(matches!(p.emails, Field::Set(ref e) if e[0].preferred));
    }

    #[test]
    fn patch_refuses_wrong_types_with_the_member_name() {
        let cases = [
            json!({"firstName": 5}),
            json!({"gender": "male"}),
            json!({"birthday": "1990-2-28"}),
            json!({"birthday": "1990-02-30"}),
            json!({"tags": "a"}),
            json!({"tags": [1]}),
            json!({"customAttributes": {"a": {"b": 1}}}),
            json!({"customAttributes": []}),
            json!({"phones": [{"number": 1}]}),
            json!({"emails": [{"address": "a@b.c", "x": 1}]}),
            json!({"externalUserId": ""}),
            json!({"instances": []}),
        ];
        for c in cases {
            let e = user_patch(&obj(c.clone())).unwrap_err();
            assert_eq!(e.message_id, message_id::REQUEST_FORMAT_INVALID, "{c}");
            assert_eq!(e.status, StatusCode::BAD_REQUEST);
        }
        let e = user_patch(&obj(json!({"emails": [{"address": "nope"}]}))).unwrap_err();
        assert_eq!(e.message_id, message_id::EMAIL_INVALID);
        let e = user_patch(&obj(json!({"phones": [{"number": "12ab5"}]}))).unwrap_err();
        assert_eq!(e.message_id, message_id::PHONE_INVALID);
    }

    #[test]
    fn body_must_be_an_object() {
        assert!(object(b"{}").is_ok());
        for bad in [&b""[..], b"  ", b"[]", b"{", b"null", b"{\"a\":1}x"] {
            let e = object(bad).unwrap_err();
            assert_eq!(e.message_id, message_id::REQUEST_FORMAT_INVALID);
        }
    }

    #[test]
    fn personalize_needs_an_identity() {
        let b = personalize(&obj(json!({
            "userIdentity": {"externalUserId": "u1"},
            "userAttributes": {"firstName": "Ann"}
        })))
        .unwrap();
        assert_eq!(b.identity.external_user_id.as_deref(), Some("u1"));
        assert_eq!(b.attributes.first_name, Field::Set("Ann".into()));
        for bad in [
            json!({}),
            json!({"userIdentity": {}}),
            json!({"userIdentity": 1}),
        ] {
            let e = personalize(&obj(bad)).unwrap_err();
            assert_eq!(e.message_id, message_id::USER_IDENTITY_INVALID);
        }
        let e = personalize(&obj(
            json!({"userIdentity": {"externalUserId": "u"}, "userAttributes": {"emails": []}}),
        ))
        .unwrap_err();
        assert_eq!(e.message_id, message_id::REQUEST_FORMAT_INVALID);
    }
}
