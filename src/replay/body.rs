//! Request bodies: `--data` checked against the shapes the SDKs' user models can produce, then
//! serialised the way each SDK does. Pure.
//!
//! - patch user (saveUser): the user attributes; `null` clears a field. Android: Gson with
//!   nulls, keys in `HashMap` order. iOS: sorted keys, compact, `/` not escaped, nulls kept.
//! - personalize: `{userIdentity, userAttributes}`; nulls are dropped by both SDKs. Android:
//!   `userIdentity` then `userAttributes` (a Java object), their keys in `HashMap` order.
//!   iOS: sorted keys throughout.

use super::Platform;
use super::gson::{self, Style};
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
pub(crate) struct Personalize {
    pub identity: Map<String, Value>,
    pub attributes: Map<String, Value>,
}

impl Personalize {
    /// The external user id the identity carries, if any.
    pub(crate) fn external_user_id(&self) -> Option<&str> {
        self.identity.get("externalUserId").and_then(Value::as_str)
    }

    /// The same body for another user: `externalUserId` set to `user_id` (batch, `--user-id`).
    #[must_use]
    pub(crate) fn for_user(&self, user_id: &str) -> Personalize {
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

/// Parses `--data` text as JSON.
pub(crate) fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("--data is not valid JSON ({e})"))
}

/// Checks a saveUser body: an object of user attributes, at least one.
pub(crate) fn check_patch(value: Value) -> Result<Map<String, Value>, String> {
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
pub(crate) fn check_personalize(value: Value) -> Result<Personalize, String> {
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
            Value::Object(inner) => inner,
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
            target.insert(ik, iv);
        }
    }
    Ok(p)
}

/// Personalize needs someone to personalize as.
pub(crate) fn require_identity(p: &Personalize) -> Result<(), String> {
    if p.identity.is_empty() {
        return Err("personalize needs a user identity: pass --user-id ID, or --data '{\"userIdentity\":{\"externalUserId\":\"..\"}}'".into());
    }
    Ok(())
}

fn check_attribute(path: &str, key: &str, v: &Value) -> Result<(), String> {
    let at = format!("--data: {path}{key}");
    match key {
        "externalUserId" | "firstName" | "lastName" | "middleName" if !v.is_string() => {
            return Err(format!("{at} must be a string, not {}", kind(v)));
        }
        "gender" if !matches!(v.as_str(), Some("Male" | "Female")) => {
            return Err(format!("{at} must be \"Male\" or \"Female\""));
        }
        "birthday" => {
            let ok = v.as_str().is_some_and(|s| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
            });
            if !ok {
                return Err(format!("{at} must be a date written yyyy-MM-dd"));
            }
        }
        "phones" => check_contacts(&at, v, "number")?,
        "emails" => check_contacts(&at, v, "address")?,
        "tags" => {
            let ok = v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
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
        if !obj.get(field).is_some_and(Value::is_string) {
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
    if scalar(v) {
        return Ok(());
    }
    let list_ok = v.as_array().is_some_and(|items| {
        items
            .iter()
            .all(|i| i.as_object().is_some_and(|o| o.values().all(scalar)))
    });
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
    crate::json::kind_of(v)
}

/// The saveUser body bytes.
pub(crate) fn patch_json(map: &Map<String, Value>, platform: Platform) -> String {
    let value = Value::Object(map.clone());
    match platform {
        // `new HashMap<>(user.getMap())` through the serializer that keeps nulls.
        Platform::Android => gson::to_json(
            &value,
            Style {
                nulls: true,
                copied_top: true,
            },
        ),
        Platform::Ios => ios_json(&value),
    }
}

/// The personalize body bytes.
pub(crate) fn personalize_json(p: &Personalize, platform: Platform) -> String {
    match platform {
        Platform::Android => {
            // `UserPersonalizeBody` is a Java object: fields in declaration order, and Gson
            // without serializeNulls leaves out the attributes when there are none.
            let style = Style {
                nulls: false,
                copied_top: false,
            };
            let mut out = String::from("{\"userIdentity\":");
            gson::write_map(&p.identity, style, &mut out);
            if !p.attributes.is_empty() {
                out.push_str(",\"userAttributes\":");
                gson::write_map(&p.attributes, style, &mut out);
            }
            out.push('}');
            out
        }
        Platform::Ios => {
            let mut m = Map::new();
            if !p.attributes.is_empty() {
                m.insert("userAttributes".into(), Value::Object(p.attributes.clone()));
            }
            m.insert("userIdentity".into(), Value::Object(p.identity.clone()));
            ios_json(&Value::Object(m))
        }
    }
}

/// `JSONSerialization` with `[.sortedKeys, .withoutEscapingSlashes]`: compact, keys sorted
/// by UTF-16 code units at every level, `/` left alone (serde_json never escapes it).
pub(crate) fn ios_json(v: &Value) -> String {
    sorted(v).to_string()
}

fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&m[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
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
        // Copy of 4 entries has 8 buckets: birthday 0, firstName 1, lastName 1, customAttributes 7.
        assert_eq!(
            patch_json(&m, Platform::Android),
            r#"{"birthday":null,"firstName":"A\u003cb\u003e","lastName":"O\u0027Neil","customAttributes":{"level":3,"vip":null}}"#
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
