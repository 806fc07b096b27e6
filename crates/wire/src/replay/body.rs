//! Request bodies: `--data` checked against the shapes the SDKs' user models can produce, then
//! serialised the way each SDK does. Pure.
//!
//! - patch user (saveUser): the user attributes; `null` clears a field. Android: Gson with
//!   nulls, members in the order of the `HashMap`s the SDK copies them through (see
//!   `android_patch_json`). iOS: sorted keys, compact, `/` not escaped, nulls kept.
//! - personalize: `{userIdentity, userAttributes}`; nulls are dropped by both SDKs. Android:
//!   `userIdentity` then `userAttributes` (a Java object), their keys in `HashMap` order.
//!   iOS: sorted keys throughout.
//!
//! What the SDKs' APIs cannot express is normalised as the SDK's types would (contacts and tags
//! are sets; no `preferred` flag), each change reported as a note; what no app call can
//! produce (unknown members, wrong types) is refused.

use super::Platform;
use super::data::{self, Number};
use super::sorted_keys::ios_json;
use crate::sdk::gson::{self, Made};
use serde_json::{Map, Value};

/// Attributes a saveUser body may carry.
pub(crate) const PATCH_KEYS: [&str; 10] = [
    "externalUserId",
    "firstName",
    "lastName",
    "middleName",
    "gender",
    "birthday",
    "phones",
    "emails",
    "tags",
    "customAttributes",
];
/// Members of personalize's `userIdentity`.
pub(crate) const IDENTITY_KEYS: [&str; 3] = ["externalUserId", "phones", "emails"];
/// Members of personalize's `userAttributes`.
pub(crate) const ATTRIBUTE_KEYS: [&str; 7] = [
    "firstName",
    "lastName",
    "middleName",
    "gender",
    "birthday",
    "tags",
    "customAttributes",
];

/// A validated personalize body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Personalize {
    pub identity: Map<String, Value>,
    /// Without the members that were `null`.
    pub attributes: Map<String, Value>,
    /// `userAttributes` had members, `null` ones included: Android then sends the object,
    /// `{}` when they were all `null` (`hasDataToReport`, then Gson drops the nulls).
    pub attributes_set: bool,
    /// `userAttributes` was an object, even `{}`: iOS then sends it.
    pub attributes_object: bool,
}

impl Personalize {
    /// The external user id the identity carries, if any.
    pub fn external_user_id(&self) -> Option<&str> {
        self.identity.get("externalUserId").and_then(Value::as_str)
    }

    /// The same body for another user: `externalUserId` set to `user_id` (batch, `--user-id`).
    #[must_use]
    pub fn for_user(&self, user_id: &str) -> Personalize {
        let mut p = self.clone();
        if p.identity.contains_key("externalUserId") {
            p.identity
                .insert("externalUserId".into(), Value::from(user_id));
        } else {
            // First, so that it is the first of its bucket on Android (as the SDK sets it first).
            let mut identity = Map::new();
            identity.insert("externalUserId".into(), Value::from(user_id));
            identity.extend(p.identity);
            p.identity = identity;
        }
        p
    }
}

/// Parses `--data` text as JSON, numbers kept as written (`data::parse`).
pub fn parse_json(text: &str) -> Result<Value, String> {
    data::parse(text)
}

/// Changes `data` the way the SDK's types change what an app passes, and says what changed:
/// phones, emails and tags are sets on Android (duplicates vanish; tags are a set on iOS too),
/// and neither SDK's API can set `preferred`. iOS drops empty list custom attributes
/// (`nilIfEmpty`). `map` is a saveUser body or one half of a personalize body.
pub fn normalise(map: &mut Map<String, Value>, platform: Platform, path: &str) -> Vec<String> {
    let mut notes = Vec::new();
    for (key, field) in [("phones", "number"), ("emails", "address")] {
        let Some(Value::Array(items)) = map.get_mut(key) else {
            continue;
        };
        if items
            .iter()
            .any(|i| i.as_object().is_some_and(|o| o.contains_key("preferred")))
        {
            for item in items.iter_mut() {
                if let Some(o) = item.as_object_mut() {
                    o.remove("preferred");
                }
            }
            notes.push(format!(
                "{path}{key}: `preferred` left out; the SDKs' APIs take {key} as plain strings and cannot set it"
            ));
        }
        if platform == Platform::Android {
            let before = items.len();
            dedupe(items, |v| {
                v.get(field).and_then(Value::as_str).map(str::to_owned)
            });
            if items.len() < before {
                notes.push(format!(
                    "{path}{key}: {} duplicate(s) left out; the Android SDK keeps {key} in a Set",
                    before - items.len()
                ));
            }
        }
    }
    if let Some(Value::Array(items)) = map.get_mut("tags") {
        let before = items.len();
        dedupe(items, |v| v.as_str().map(str::to_owned));
        if items.len() < before {
            notes.push(format!(
                "{path}tags: {} duplicate(s) left out; both SDKs keep tags in a set",
                before - items.len()
            ));
        }
    }
    if platform == Platform::Ios
        && let Some(Value::Object(custom)) = map.get_mut("customAttributes")
        && !custom.is_empty()
    {
        // The SDK's payload conversion: a list item with no members is dropped, a list left
        // empty is dropped, and attributes left with no member at all are no member either
        // (an attributes object given empty stays, and is sent as `{}`).
        let mut dropped = Vec::new();
        custom.retain(|k, v| {
            if let Value::Array(items) = v {
                let before = items.len();
                items.retain(|i| !i.as_object().is_some_and(Map::is_empty));
                if items.len() < before && !items.is_empty() {
                    notes.push(format!(
                        "{path}customAttributes.{}: {} empty list item(s) left out by the iOS SDK",
                        printable(k),
                        before - items.len()
                    ));
                }
                if items.is_empty() {
                    dropped.push(k.clone());
                    return false;
                }
            }
            true
        });
        for k in &dropped {
            notes.push(format!(
                "{path}customAttributes.{}: an empty list is left out by the iOS SDK",
                printable(k)
            ));
        }
        if custom.is_empty() {
            map.shift_remove("customAttributes");
            notes.push(format!(
                "{path}customAttributes: left out by the iOS SDK, as nothing is left in it"
            ));
        }
    }
    notes
}

/// After [`normalise`]: a saveUser body that lost everything (iOS drops empty list attributes)
/// is no call at all.
pub fn check_not_emptied(map: &Map<String, Value>) -> Result<(), String> {
    if map.is_empty() {
        return Err("--data holds only empty list custom attributes; the iOS SDK leaves those out and sends no request".into());
    }
    Ok(())
}

/// Keeps the first of each `key` (a `LinkedHashSet`); items without one stay.
fn dedupe(items: &mut Vec<Value>, key: impl Fn(&Value) -> Option<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|v| key(v).is_none_or(|k| seen.insert(k)));
}

/// Checks a saveUser body: an object of user attributes, at least one.
pub fn check_patch(value: Value) -> Result<Map<String, Value>, String> {
    let Value::Object(map) = value else {
        return Err(format!(
            "--data for patch-user must be a JSON object of user attributes, not {}",
            kind(&value)
        ));
    };
    if map.is_empty() {
        return Err("--data is an empty object; the SDKs refuse to save an empty user (ERROR_SAVING_EMPTY_OBJECT)".into());
    }
    for (k, v) in &map {
        if !PATCH_KEYS.contains(&k.as_str()) {
            return Err(unknown_key("", k, &PATCH_KEYS));
        }
        if !v.is_null() {
            check_attribute("", k, v)?;
        }
    }
    Ok(map)
}

/// Checks a personalize body: `{userIdentity?, userAttributes?}`. Nulls are dropped, as both
/// SDKs drop them. The identity may still be empty here; see [`require_identity`].
pub fn check_personalize(value: Value) -> Result<Personalize, String> {
    let Value::Object(map) = value else {
        return Err(format!(
            "--data for personalize must be a JSON object {{\"userIdentity\": {{..}}, \"userAttributes\": {{..}}}}, not {}",
            kind(&value)
        ));
    };
    let mut p = Personalize::default();
    for (k, v) in map {
        let (target, keys, path) = match k.as_str() {
            "userIdentity" => (&mut p.identity, &IDENTITY_KEYS[..], "userIdentity."),
            "userAttributes" => (&mut p.attributes, &ATTRIBUTE_KEYS[..], "userAttributes."),
            _ => return Err(unknown_key("", &k, &["userIdentity", "userAttributes"])),
        };
        let inner = match v {
            Value::Null => continue,
            Value::Object(inner) => {
                if k == "userAttributes" {
                    p.attributes_object = true;
                    p.attributes_set |= !inner.is_empty();
                }
                inner
            }
            other => {
                return Err(format!(
                    "--data: {k} must be an object, not {}",
                    kind(&other)
                ));
            }
        };
        for (ik, iv) in inner {
            if !keys.contains(&ik.as_str()) {
                return Err(unknown_key(path, &ik, keys));
            }
            if iv.is_null() {
                continue;
            }
            check_attribute(path, &ik, &iv)?;
            // An empty contact set is `null` on Android and left out on iOS: no member at all.
            if matches!(ik.as_str(), "phones" | "emails")
                && iv.as_array().is_some_and(Vec::is_empty)
            {
                continue;
            }
            target.insert(ik, iv);
        }
    }
    Ok(p)
}

/// Personalize needs someone to personalize as.
pub fn require_identity(p: &Personalize) -> Result<(), String> {
    if p.identity.is_empty() {
        return Err("personalize needs a user identity: pass --user-id ID, or --data '{\"userIdentity\":{\"externalUserId\":\"..\"}}'".into());
    }
    Ok(())
}

fn check_attribute(path: &str, key: &str, v: &Value) -> Result<(), String> {
    let at = format!("--data: {path}{key}");
    match key {
        "externalUserId" | "firstName" | "lastName" | "middleName" if !is_string(v) => {
            return Err(format!("{at} must be a string, not {}", kind(v)));
        }
        "gender" if !matches!(v.as_str(), Some("Male" | "Female")) => {
            return Err(format!("{at} must be \"Male\" or \"Female\""));
        }
        "birthday" => {
            let ok = v.as_str().is_some_and(crate::time::is_date);
            if !ok {
                return Err(format!("{at} must be a date written yyyy-MM-dd"));
            }
        }
        "phones" => check_contacts(&at, v, "number")?,
        "emails" => check_contacts(&at, v, "address")?,
        "tags" => {
            let ok = v.as_array().is_some_and(|a| a.iter().all(is_string));
            if !ok {
                return Err(format!("{at} must be an array of strings"));
            }
        }
        "customAttributes" => {
            let Some(attrs) = v.as_object() else {
                return Err(format!("{at} must be an object, not {}", kind(v)));
            };
            for (name, value) in attrs {
                check_custom(&format!("{at}.{name}"), value)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `[{"number": ".."}]` / `[{"address": ".."}]`, each with an optional boolean `preferred`.
fn check_contacts(at: &str, v: &Value, field: &str) -> Result<(), String> {
    let shape = format!(
        "{at} must be an array of {{\"{field}\": \"..\", \"preferred\": true|false}} objects"
    );
    let Some(items) = v.as_array() else {
        return Err(shape);
    };
    for item in items {
        let Some(obj) = item.as_object() else {
            return Err(shape);
        };
        if !obj.get(field).is_some_and(is_string) {
            return Err(shape);
        }
        for (k, val) in obj {
            let ok = (k == field) || (k == "preferred" && val.is_boolean());
            if !ok {
                return Err(shape);
            }
        }
    }
    Ok(())
}

/// Custom attribute values: string (also dates), number, boolean, `null` (delete), or a list
/// of objects of such scalars.
fn check_custom(at: &str, v: &Value) -> Result<(), String> {
    let scalar = |v: &Value| {
        matches!(
            v,
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)
        )
    };
    if let Some(Number::Double(d)) = data::number(v)
        && !d.is_finite()
    {
        return Err(format!(
            "{at} is beyond the range of a double; the SDKs cannot send it"
        ));
    }
    if scalar(v) {
        return Ok(());
    }
    let list_ok = v.as_array().is_some_and(|items| {
        items
            .iter()
            .all(|i| i.as_object().is_some_and(|o| o.values().all(scalar)))
    });
    if let Some(items) = v.as_array() {
        for (i, item) in items.iter().enumerate() {
            for (name, value) in item.as_object().into_iter().flatten() {
                if let Some(Number::Double(d)) = data::number(value)
                    && !d.is_finite()
                {
                    return Err(format!(
                        "{at}[{i}].{} is beyond the range of a double; the SDKs cannot send it",
                        printable(name)
                    ));
                }
            }
        }
    }
    if list_ok {
        Ok(())
    } else {
        Err(format!(
            "{at} must be a string, number, boolean, null or a list of objects of those"
        ))
    }
}

fn unknown_key(path: &str, key: &str, known: &[&str]) -> String {
    format!(
        "--data: unknown member {path}{}; expected one of {}",
        printable(key),
        known.join(", ")
    )
}

/// A key as it may be shown in an error: short, control characters escaped.
fn printable(key: &str) -> String {
    let mut s: String = key.chars().take(40).flat_map(char::escape_debug).collect();
    if key.chars().count() > 40 {
        s.push('…');
    }
    format!("'{s}'")
}

fn kind(v: &Value) -> &'static str {
    if data::number(v).is_some() {
        return "number";
    }
    crate::json::kind_of(v)
}

/// A string that is not a number literal kept as text ([`data`]).
fn is_string(v: &Value) -> bool {
    v.is_string() && data::number(v).is_none()
}

/// The saveUser body bytes.
pub(crate) fn patch_json(map: &Map<String, Value>, platform: Platform) -> String {
    match platform {
        Platform::Android => android_patch_json(map),
        Platform::Ios => ios_json(&data::plain(&Value::Object(map.clone()))),
    }
}

/// Android's saveUser body, as `UserDataReporter` builds it from the app's `User`: the app's
/// setters fill the user's `HashMap`, `UserMapper.merge` copies it member by member into a new
/// `User` in its fixed order (externalUserId, firstName, lastName, middleName, gender,
/// birthday, phones, emails, tags, customAttributes), and the reporter sends
/// `new HashMap<>(user.getMap())` through Gson with `serializeNulls`. Custom attributes go from
/// the app's `setCustomAttribute` map (filled in `--data` order) through `MapUtils.concat`
/// (`putAll` into a fresh map) and `customAttsToBackend` (`new HashMap<>(n)`); an empty phone
/// or email set is `null` (`mapDestinationsToBackend`).
pub(crate) fn android_patch_json(map: &Map<String, Value>) -> String {
    let keys: Vec<&str> = PATCH_KEYS
        .iter()
        .copied()
        .filter(|k| map.contains_key(*k))
        .collect();
    let order = gson::java_order(&gson::java_order(&keys, Made::Default), Made::Copied);
    let mut out = String::with_capacity(128);
    out.push('{');
    for (i, key) in order.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        gson::write_string(key, &mut out);
        out.push(':');
        let v = &map[key];
        match (key, v) {
            ("customAttributes", Value::Object(custom)) => {
                let names: Vec<&str> = custom.keys().map(String::as_str).collect();
                let app = gson::java_order(&names, Made::Default);
                let concat = gson::java_order(&app, Made::Copied);
                let sent = gson::java_order(&concat, Made::Sized(names.len()));
                write_android_object(custom, &sent, true, &mut out);
            }
            ("phones" | "emails", Value::Array(items)) if items.is_empty() => {
                out.push_str("null");
            }
            _ => write_android(v, true, &mut out),
        }
    }
    out.push('}');
    out
}

/// A value as Gson writes it, every object a put-filled `HashMap`.
fn write_android(v: &Value, nulls: bool, out: &mut String) {
    if let Some(n) = data::number(v) {
        match n {
            Number::Integer(i) => out.push_str(&i),
            // Non-finite doubles are refused when `--data` is checked.
            Number::Double(d) => out.push_str(&gson::java_double(d).unwrap_or_default()),
        }
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::String(s) => gson::write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // Gson writes null array elements whatever serializeNulls says.
                write_android(item, nulls, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let names: Vec<&str> = map.keys().map(String::as_str).collect();
            let order = gson::java_order(&names, Made::Default);
            write_android_object(map, &order, nulls, out);
        }
        Value::Number(_) => {}
    }
}

fn write_android_object(map: &Map<String, Value>, order: &[&str], nulls: bool, out: &mut String) {
    out.push('{');
    let mut first = true;
    for key in order {
        let v = &map[*key];
        if v.is_null() && !nulls {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        gson::write_string(key, out);
        out.push(':');
        write_android(v, nulls, out);
    }
    out.push('}');
}

/// The personalize body bytes.
pub(crate) fn personalize_json(p: &Personalize, platform: Platform) -> String {
    match platform {
        Platform::Android => {
            // `UserPersonalizeBody` is a Java object: fields in declaration order, and Gson
            // without serializeNulls leaves out the attributes when there are none. Identity
            // and attributes are the app's `UserIdentity` / `UserAttributes` maps, filled by
            // their setters (in `--data` order), custom attributes by `setCustomAttribute`.
            let mut out = String::from("{\"userIdentity\":");
            write_android(&Value::Object(p.identity.clone()), false, &mut out);
            if !p.attributes.is_empty() || p.attributes_set {
                out.push_str(",\"userAttributes\":");
                write_android(&Value::Object(p.attributes.clone()), false, &mut out);
            }
            out.push('}');
            out
        }
        Platform::Ios => {
            let mut m = Map::new();
            if !p.attributes.is_empty() || p.attributes_object {
                m.insert("userAttributes".into(), Value::Object(p.attributes.clone()));
            }
            m.insert("userIdentity".into(), Value::Object(p.identity.clone()));
            ios_json(&data::plain(&Value::Object(m)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patch_shapes_are_checked() {
        let ok = json!({"firstName": "A", "lastName": null, "gender": "Female",
            "birthday": "1988-07-31", "phones": [{"number": "385991111666", "preferred": false}],
            "emails": [{"address": "a@b.c"}], "tags": ["x"],
            "customAttributes": {"n": 1.5, "s": "t", "b": true, "gone": null, "list": [{"a": 1}]}});
        assert!(check_patch(ok).is_ok());
        let bad = [
            (json!([]), "must be a JSON object"),
            (json!({}), "ERROR_SAVING_EMPTY_OBJECT"),
            (json!({"nickname": "x"}), "unknown member 'nickname'"),
            (json!({"firstName": 3}), "firstName must be a string"),
            (json!({"gender": "male"}), "\"Male\" or \"Female\""),
            (json!({"birthday": "31.07.1988"}), "yyyy-MM-dd"),
            (json!({"birthday": "1988-02-30"}), "yyyy-MM-dd"),
            (json!({"phones": ["385"]}), "array of {\"number\""),
            (json!({"emails": [{"address": "a", "x": 1}]}), "\"address\""),
            (json!({"tags": "x"}), "array of strings"),
            (
                json!({"customAttributes": {"o": {"x": 1}}}),
                "customAttributes.o",
            ),
        ];
        for (v, want) in bad {
            let e = check_patch(v.clone()).unwrap_err();
            assert!(e.contains(want), "{v}: {e}");
        }
    }

    #[test]
    fn personalize_shapes_are_checked_and_nulls_dropped() {
        let p = check_personalize(
            json!({"userIdentity": {"externalUserId": "a", "phones": null},
            "userAttributes": {"firstName": "F", "middleName": null}}),
        )
        .unwrap();
        assert_eq!(
            Value::Object(p.identity.clone()),
            json!({"externalUserId": "a"})
        );
        assert_eq!(
            Value::Object(p.attributes.clone()),
            json!({"firstName": "F"})
        );
        assert!(check_personalize(json!({"userAttributes": {"phones": []}})).is_err());
        assert!(check_personalize(json!({"user": {}})).is_err());
        assert!(check_personalize(json!({"userIdentity": "a"})).is_err());
        let empty = check_personalize(json!({})).unwrap();
        assert!(require_identity(&empty).is_err());
        assert_eq!(empty.for_user("bob").external_user_id(), Some("bob"));
    }

    #[test]
    fn android_patch_body_is_gson_in_hashmap_order() {
        let m = check_patch(
            json!({"firstName": "A<b>", "customAttributes": {"vip": null,
            "level": 3}, "lastName": "O'Neil", "birthday": null}),
        )
        .unwrap();
        // The copy of 4 entries has 8 buckets: birthday 0, firstName 1, lastName 1 (merge puts
        // firstName first), customAttributes 7; the custom attributes end in
        // `new HashMap<>(2)`, 2 buckets. As the JVM wrote it (tests/java/GsonWireOracle.java).
        assert_eq!(
            patch_json(&m, Platform::Android),
            r#"{"birthday":null,"firstName":"A\u003cb\u003e","lastName":"O\u0027Neil","customAttributes":{"vip":null,"level":3}}"#
        );
    }

    #[test]
    fn ios_patch_body_is_sorted_compact_without_slash_escapes() {
        let m = check_patch(
            json!({"firstName": "A/B", "customAttributes": {"vip": null, "level": 3},
            "emails": [{"address": "a@b.c"}]}),
        )
        .unwrap();
        assert_eq!(
            patch_json(&m, Platform::Ios),
            r#"{"customAttributes":{"level":3,"vip":null},"emails":[{"address":"a@b.c"}],"firstName":"A/B"}"#
        );
    }

    #[test]
    fn ios_drops_empty_list_items_and_custom_attributes_left_empty() {
        // As the SDK's payload conversion leaves them, run on Foundation
        // (tests/swift/IosBodyOracle.swift): `{}` items go, a list left empty goes, and
        // attributes left with nothing are no member; attributes given as `{}` stay.
        let body = |data: Value| {
            let mut m = check_patch(data).unwrap();
            let notes = normalise(&mut m, Platform::Ios, "");
            (
                check_not_emptied(&m).map(|()| patch_json(&m, Platform::Ios)),
                notes.len(),
            )
        };
        assert_eq!(
            body(json!({"customAttributes": {"m": [{}], "n": [{"a": 1}, {}]}})),
            (Ok(r#"{"customAttributes":{"n":[{"a":1}]}}"#.to_string()), 2)
        );
        assert_eq!(
            body(json!({"firstName": "x", "customAttributes": {"l": []}})),
            (Ok(r#"{"firstName":"x"}"#.to_string()), 2)
        );
        assert_eq!(
            body(json!({"customAttributes": {}})),
            (Ok(r#"{"customAttributes":{}}"#.to_string()), 0)
        );
        assert!(body(json!({"customAttributes": {"l": [{}]}})).0.is_err());
        // Android sends what was given.
        let mut m = check_patch(json!({"customAttributes": {"l": [{}]}})).unwrap();
        assert!(normalise(&mut m, Platform::Android, "").is_empty());
    }

    #[test]
    fn personalize_bodies() {
        let p = check_personalize(json!({"userIdentity": {"phones": [{"number": "1"}],
            "externalUserId": "alice", "emails": [{"address": "a@b.c"}]},
            "userAttributes": {"lastName": "L", "firstName": "F"}}))
        .unwrap();
        assert_eq!(
            personalize_json(&p, Platform::Android),
            r#"{"userIdentity":{"emails":[{"address":"a@b.c"}],"externalUserId":"alice","phones":[{"number":"1"}]},"userAttributes":{"lastName":"L","firstName":"F"}}"#
        );
        assert_eq!(
            personalize_json(&p, Platform::Ios),
            r#"{"userAttributes":{"firstName":"F","lastName":"L"},"userIdentity":{"emails":[{"address":"a@b.c"}],"externalUserId":"alice","phones":[{"number":"1"}]}}"#
        );
        let only = Personalize::default().for_user("bob");
        assert_eq!(
            personalize_json(&only, Platform::Android),
            r#"{"userIdentity":{"externalUserId":"bob"}}"#
        );
        assert_eq!(
            personalize_json(&only, Platform::Ios),
            r#"{"userIdentity":{"externalUserId":"bob"}}"#
        );
    }

    #[test]
    fn errors_do_not_echo_long_keys() {
        let key = "k".repeat(100);
        let mut m = Map::new();
        m.insert(key.clone(), json!(1));
        let e = check_patch(Value::Object(m)).unwrap_err();
        assert!(!e.contains(&key));
    }
}
