//! The user-data checks both SDKs run on saveUser and personalize before anything else of the
//! call, the token included (spec 5.8): the limits, the order each SDK checks them in, how each
//! measures a length, the exact message, and what the app and the three plugins receive. Pure:
//! the call's user data (as the request body carries it) in, the refusal out.
//!
//! Android (`UserDataValidator.java`) measures with `String.length()`, UTF-16 code units; iOS
//! (`UserDataValidator.swift`) with `String.count`, extended grapheme clusters. A custom list is
//! measured as its JSON text: Gson's on Android (HTML-safe escapes count six), Foundation's
//! `JSONSerialization` without options on iOS (`/` written `\/`).

use super::Platform;
use super::gson;
use super::plugins::{self, FlutterError, IOS_DOMAIN, Plugin};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt::Write as _;
use unicode_segmentation::UnicodeSegmentation;

/// `firstName` and `lastName`: at most this long.
pub const NAME_MAX: usize = 255;
/// `middleName`.
pub const MIDDLE_NAME_MAX: usize = 50;
/// `externalUserId`.
pub const EXTERNAL_USER_ID_MAX: usize = 256;
/// Each email address.
pub const EMAIL_MAX: usize = 255;
/// How many emails.
pub const EMAIL_COUNT_MAX: usize = 100;
/// How many phone numbers.
pub const PHONE_COUNT_MAX: usize = 100;
/// Each custom attribute value (a list: its JSON text).
pub const CUSTOM_VALUE_MAX: usize = 4096;

/// The page both SDKs name at the end of the message.
pub const DOCS_URL: &str =
    "https://www.infobip.com/docs/api/customer-engagement/people/update-a-person";
/// Android's `MobileMessagingError.getCode()`: `createFrom` has no branch for the validation
/// exception, so it becomes the generic `UNKNOWN_ERROR`.
pub const ANDROID_CODE: &str = "-10";
/// Android's `MobileMessagingError.getType()` for it.
pub const ANDROID_TYPE: &str = "UNKNOWN_ERROR";
/// iOS's `NSError` code (`UserDataValidationError`).
pub const IOS_CODE: u8 = 17;
/// iOS's `localizedDescription`; the full message is in userInfo `text`.
pub const IOS_DESCRIPTION: &str = "User data validation failed. Please check field limits.";

/// Which of the SDK's three validate methods runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// saveUser: the whole user.
    User,
    /// personalize: the user identity.
    Identity,
    /// personalize: the user attributes.
    Attributes,
}

/// The user data as the SDK's model holds it, read from the request body's members.
#[derive(Debug, Default)]
struct UserData<'a> {
    external_user_id: Option<&'a str>,
    first_name: Option<&'a str>,
    middle_name: Option<&'a str>,
    last_name: Option<&'a str>,
    emails: Option<Vec<&'a str>>,
    phones: Option<Vec<&'a str>>,
    /// In the order of the body; `null` values (deletions) are left out by both SDKs.
    custom: Vec<(&'a str, &'a Value)>,
    /// Every custom attribute key, nulls included (they size Android's map).
    custom_keys: usize,
}

impl<'a> UserData<'a> {
    fn from_members(map: &'a Map<String, Value>) -> Self {
        let text = |k: &str| map.get(k).and_then(Value::as_str);
        let contacts = |k: &str, field: &str| {
            map.get(k).and_then(Value::as_array).map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get(field).and_then(Value::as_str))
                    .collect::<Vec<_>>()
            })
        };
        let attrs = map.get("customAttributes").and_then(Value::as_object);
        UserData {
            external_user_id: text("externalUserId"),
            first_name: text("firstName"),
            middle_name: text("middleName"),
            last_name: text("lastName"),
            emails: contacts("emails", "address"),
            phones: contacts("phones", "number"),
            custom: attrs.map_or_else(Vec::new, |a| {
                a.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.as_str(), v))
                    .collect()
            }),
            custom_keys: attrs.map_or(0, Map::len),
        }
    }
}

/// An SDK's refusal of the call's user data: nothing is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub platform: Platform,
    /// One line per problem, in the SDK's order.
    pub problems: Vec<String>,
}

impl Refusal {
    /// The code the app receives: Android's `getCode()` `"-10"`, iOS's `NSError.code` 17.
    pub fn code(&self) -> String {
        match self.platform {
            Platform::Android => ANDROID_CODE.to_owned(),
            Platform::Ios => IOS_CODE.to_string(),
        }
    }

    /// The SDK's message: Android's `getMessage()`, iOS's userInfo `text` (`mm_message`).
    pub fn message(&self) -> String {
        let mut m = String::from("User data validation failed:\n");
        for p in &self.problems {
            let _ = writeln!(m, "  - {p}");
        }
        let _ = write!(m, "\nPlease check the field limits at: {DOCS_URL}");
        m
    }

    /// iOS's `localizedDescription`; `None` on Android, whose one text is the message.
    pub fn description(&self) -> Option<&'static str> {
        (self.platform == Platform::Ios).then_some(IOS_DESCRIPTION)
    }
}

/// saveUser: the user data of the body (`--data`); `None` when the SDK lets it through.
pub fn check_save_user(platform: Platform, user: &Map<String, Value>) -> Option<Refusal> {
    refusal(
        platform,
        problems(platform, &UserData::from_members(user), Part::User),
    )
}

/// personalize: the identity first; only when it passes are the attributes checked (both SDKs
/// throw at the first validate call that finds something).
pub fn check_personalize(
    platform: Platform,
    identity: &Map<String, Value>,
    attributes: &Map<String, Value>,
) -> Option<Refusal> {
    refusal(
        platform,
        problems(platform, &UserData::from_members(identity), Part::Identity),
    )
    .or_else(|| {
        refusal(
            platform,
            problems(
                platform,
                &UserData::from_members(attributes),
                Part::Attributes,
            ),
        )
    })
}

/// The sandbox's server-side check of a saveUser body (`user`) or personalize's two parts: every
/// problem of both parts, measured as the Android SDK measures (UTF-16 code units, as a JVM
/// service would). The real server's limits checking is not known (docs/assumptions.md).
pub fn server_problems(
    user: Option<&Map<String, Value>>,
    identity: Option<&Map<String, Value>>,
    attributes: Option<&Map<String, Value>>,
) -> Vec<String> {
    let p = Platform::Android;
    let mut out = Vec::new();
    if let Some(u) = user {
        out.extend(problems(p, &UserData::from_members(u), Part::User));
    }
    if let Some(i) = identity {
        out.extend(problems(p, &UserData::from_members(i), Part::Identity));
    }
    if let Some(a) = attributes {
        out.extend(problems(p, &UserData::from_members(a), Part::Attributes));
    }
    out
}

fn refusal(platform: Platform, problems: Vec<String>) -> Option<Refusal> {
    (!problems.is_empty()).then_some(Refusal { platform, problems })
}

/// A length as the SDK counts it.
fn measure(platform: Platform, s: &str) -> usize {
    match platform {
        Platform::Android => s.encode_utf16().count(),
        Platform::Ios => s.graphemes(true).count(),
    }
}

fn problems(platform: Platform, u: &UserData<'_>, part: Part) -> Vec<String> {
    let mut out = Vec::new();
    let identity = part != Part::Attributes;
    let attributes = part != Part::Identity;
    match platform {
        // validateExternalUserId, Emails, Phones, FirstName, LastName, MiddleName, Custom.
        Platform::Android => {
            if identity {
                field(
                    platform,
                    "externalUserId",
                    u.external_user_id,
                    EXTERNAL_USER_ID_MAX,
                    &mut out,
                );
                // `Set<String>`: a repeated address or number is one entry.
                contacts(
                    platform,
                    dedup(u.emails.as_deref()),
                    dedup(u.phones.as_deref()),
                    &mut out,
                );
            }
            if attributes {
                field(platform, "firstName", u.first_name, NAME_MAX, &mut out);
                field(platform, "lastName", u.last_name, NAME_MAX, &mut out);
                field(
                    platform,
                    "middleName",
                    u.middle_name,
                    MIDDLE_NAME_MAX,
                    &mut out,
                );
                custom(platform, u, &mut out);
            }
        }
        // externalUserId, firstName, middleName, lastName, emails, phones, custom.
        Platform::Ios => {
            if identity {
                field(
                    platform,
                    "externalUserId",
                    u.external_user_id,
                    EXTERNAL_USER_ID_MAX,
                    &mut out,
                );
            }
            if attributes {
                field(platform, "firstName", u.first_name, NAME_MAX, &mut out);
                field(
                    platform,
                    "middleName",
                    u.middle_name,
                    MIDDLE_NAME_MAX,
                    &mut out,
                );
                field(platform, "lastName", u.last_name, NAME_MAX, &mut out);
            }
            if identity {
                contacts(platform, u.emails.clone(), u.phones.clone(), &mut out);
            }
            if attributes {
                custom(platform, u, &mut out);
            }
        }
    }
    out
}

/// One string member against its limit.
fn field(platform: Platform, name: &str, value: Option<&str>, max: usize, out: &mut Vec<String>) {
    if let Some(n) = value.map(|v| measure(platform, v)).filter(|n| *n > max) {
        out.push(format!(
            "{name} exceeds maximum length of {max} characters (actual: {n})"
        ));
    }
}

/// First occurrences only, in order.
fn dedup<'a>(items: Option<&[&'a str]>) -> Option<Vec<&'a str>> {
    items.map(|items| {
        let mut seen = std::collections::HashSet::new();
        items.iter().copied().filter(|i| seen.insert(*i)).collect()
    })
}

/// The email count, each email's length, then the phone count.
fn contacts(
    platform: Platform,
    emails: Option<Vec<&str>>,
    phones: Option<Vec<&str>>,
    out: &mut Vec<String>,
) {
    if let Some(emails) = emails {
        if emails.len() > EMAIL_COUNT_MAX {
            out.push(format!(
                "emails count exceeds maximum of {EMAIL_COUNT_MAX} (actual: {})",
                emails.len()
            ));
        }
        for e in emails {
            let n = measure(platform, e);
            if n > EMAIL_MAX {
                out.push(format!(
                    "email '{e}' exceeds maximum length of {EMAIL_MAX} characters (actual: {n})"
                ));
            }
        }
    }
    if let Some(phones) = phones
        && phones.len() > PHONE_COUNT_MAX
    {
        out.push(format!(
            "phones count exceeds maximum of {PHONE_COUNT_MAX} (actual: {})",
            phones.len()
        ));
    }
}

/// Each custom attribute value measured as the SDK turns it into text.
///
/// Order: Android iterates the app's map, a `HashMap` filled by `setCustomAttribute` (bucket
/// order); iOS a Swift `Dictionary`, whose order changes from one launch to the next, so mmjwt
/// keeps the body's order there.
fn custom(platform: Platform, u: &UserData<'_>, out: &mut Vec<String>) {
    let order: Vec<&str> = match platform {
        Platform::Android => {
            let keys: Vec<&str> = u.custom.iter().map(|(k, _)| *k).collect();
            gson::hashmap_order(&keys, gson::grown_capacity(u.custom_keys))
        }
        Platform::Ios => u.custom.iter().map(|(k, _)| *k).collect(),
    };
    for key in order {
        let Some((_, value)) = u.custom.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let n = measure(platform, &value_text(platform, value));
        if n > CUSTOM_VALUE_MAX {
            out.push(format!(
                "customAttribute '{key}' value exceeds maximum length of {CUSTOM_VALUE_MAX} characters (actual: {n})"
            ));
        }
    }
}

/// The text a custom attribute value is measured as: a string itself; a list its JSON; a
/// number or boolean as the SDK prints it (never near the limit).
fn value_text(platform: Platform, v: &Value) -> String {
    match (platform, v) {
        (_, Value::String(s)) => s.clone(),
        // `NSNumber`'s description of a boolean.
        (Platform::Ios, Value::Bool(b)) => if *b { "1" } else { "0" }.to_owned(),
        (Platform::Android, other) => {
            let mut out = String::new();
            gson_text(other, &mut out);
            out
        }
        (Platform::Ios, other) => other.to_string().replace('/', "\\/"),
    }
}

/// The text `new JsonSerializer().serialize(..)` gives a value, for its length: Gson's string
/// escaping, `null` members left out (no `serializeNulls`), `null` array elements kept. Member
/// order does not change a length, so the map order is not reproduced here.
fn gson_text(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => gson::write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                gson_text(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            let mut first = true;
            for (k, item) in m.iter().filter(|(_, item)| !item.is_null()) {
                if !first {
                    out.push(',');
                }
                first = false;
                gson::write_string(k, out);
                out.push(':');
                gson_text(item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// What the app's code receives on one platform: the native error and each plugin's object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppErrors {
    pub flutter: FlutterError,
    pub react_native: JsObject,
    pub cordova: JsObject,
}

/// The object React Native and Cordova hand to the error callback. On iOS `code` is
/// `mm_code ?? code`: the validation error has no `messageId`, so it is the number 17.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsObject {
    pub description: String,
    pub code: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<&'static str>,
}

/// The call the refusal came from: the Flutter iOS plugin's fallback code differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppCall {
    SaveUser,
    Personalize,
}

/// Foundation's `description` of the iOS error (userInfo keys in ascending order).
pub fn ios_foundation_description(message: &str) -> String {
    format!(
        "Error Domain={IOS_DOMAIN} Code={IOS_CODE} \"{IOS_DESCRIPTION}\" UserInfo={{NSLocalizedDescription={IOS_DESCRIPTION}, text={message}}}"
    )
}

/// The objects the plugins build from the refusal.
pub fn app_errors(r: &Refusal, call: AppCall) -> AppErrors {
    let message = r.message();
    match r.platform {
        Platform::Android => {
            let js = JsObject {
                description: message.clone(),
                code: Value::from(ANDROID_CODE),
                domain: None,
            };
            AppErrors {
                flutter: FlutterError {
                    code: ANDROID_CODE.to_owned(),
                    // `MobileMessagingError.toString()`: "%s, %s, %s" of type, code, message.
                    details: format!("{ANDROID_TYPE}, {ANDROID_CODE}, {message}"),
                    message: Some(message),
                },
                react_native: js.clone(),
                cordova: js,
            }
        }
        Platform::Ios => {
            let js = JsObject {
                description: IOS_DESCRIPTION.to_owned(),
                code: Value::from(IOS_CODE),
                domain: Some(IOS_DOMAIN),
            };
            AppErrors {
                flutter: FlutterError {
                    // saveUser: `mm_code ?? String(code)`; personalize: `mm_code ?? "0"`.
                    code: match call {
                        AppCall::SaveUser => IOS_CODE.to_string(),
                        AppCall::Personalize => "0".to_owned(),
                    },
                    details: ios_foundation_description(&message),
                    message: Some(message),
                },
                react_native: js.clone(),
                cordova: js,
            }
        }
    }
}

impl AppErrors {
    /// One plugin's object as the app's code would print it.
    pub fn text(&self, plugin: Plugin) -> String {
        match plugin {
            Plugin::Flutter => plugins::dart_text(&self.flutter),
            Plugin::ReactNative => js_text(&self.react_native),
            Plugin::Cordova => js_text(&self.cordova),
        }
    }
}

/// Where a plugin loses or hides the refusal's detail, for the human report.
pub fn notes(platform: Platform, plugin: Plugin, call: AppCall) -> Vec<&'static str> {
    match (platform, plugin) {
        (Platform::Android, _) => vec![
            "code \"-10\" is the SDK's generic UNKNOWN_ERROR code: the problems are only in the message",
        ],
        (Platform::Ios, Plugin::Flutter) if call == AppCall::Personalize => vec![
            "e.code is \"0\": the error has no messageId and personalize falls back to \"0\" (saveUser gives \"17\")",
        ],
        (Platform::Ios, Plugin::Flutter) => Vec::new(),
        (Platform::Ios, _) => vec![
            "code is the number 17, not a string; description is the generic text, the problems are not passed on",
        ],
    }
}

/// The object as a JavaScript literal (description, code, then domain on iOS).
fn js_text(o: &JsObject) -> String {
    let code = match &o.code {
        Value::String(s) => plugins::js_string(s),
        other => other.to_string(),
    };
    let mut s = format!(
        "{{ description: {}, code: {code}",
        plugins::js_string(&o.description)
    );
    if let Some(d) = o.domain {
        let _ = write!(s, ", domain: {}", plugins::js_string(d));
    }
    s.push_str(" }");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!("an object"),
        }
    }

    fn save(platform: Platform, v: Value) -> Vec<String> {
        check_save_user(platform, &obj(v)).map_or_else(Vec::new, |r| r.problems)
    }

    fn both(v: &Value) -> [Vec<String>; 2] {
        [
            save(Platform::Android, v.clone()),
            save(Platform::Ios, v.clone()),
        ]
    }

    /// At the limit passes, one over fails, on both SDKs.
    fn boundary(key: &str, max: usize, line: &str) {
        let at = json!({ key: "a".repeat(max) });
        assert_eq!(
            both(&at),
            [Vec::<String>::new(), Vec::new()],
            "{key} at {max}"
        );
        let over = json!({ key: "a".repeat(max + 1) });
        let want = vec![format!("{line} (actual: {})", max + 1)];
        assert_eq!(both(&over), [want.clone(), want], "{key} at {}", max + 1);
    }

    #[test]
    fn first_name_limit_is_255() {
        boundary(
            "firstName",
            255,
            "firstName exceeds maximum length of 255 characters",
        );
    }

    #[test]
    fn last_name_limit_is_255() {
        boundary(
            "lastName",
            255,
            "lastName exceeds maximum length of 255 characters",
        );
    }

    #[test]
    fn middle_name_limit_is_50() {
        boundary(
            "middleName",
            50,
            "middleName exceeds maximum length of 50 characters",
        );
    }

    #[test]
    fn external_user_id_limit_is_256() {
        boundary(
            "externalUserId",
            256,
            "externalUserId exceeds maximum length of 256 characters",
        );
    }

    fn emails(n: usize, len: usize) -> Value {
        let list: Vec<Value> = (0..n)
            .map(|i| {
                let head = format!("{i}@");
                json!({"address": format!("{head}{}", "e".repeat(len - head.len()))})
            })
            .collect();
        json!({ "emails": list })
    }

    #[test]
    fn each_email_limit_is_255() {
        assert_eq!(both(&emails(1, 255)), [Vec::<String>::new(), Vec::new()]);
        let over = emails(1, 256);
        let address = over["emails"][0]["address"].as_str().unwrap().to_owned();
        let want = vec![format!(
            "email '{address}' exceeds maximum length of 255 characters (actual: 256)"
        )];
        assert_eq!(both(&over), [want.clone(), want]);
    }

    #[test]
    fn at_most_100_emails() {
        assert_eq!(both(&emails(100, 10)), [Vec::<String>::new(), Vec::new()]);
        let want = vec!["emails count exceeds maximum of 100 (actual: 101)".to_owned()];
        assert_eq!(both(&emails(101, 10)), [want.clone(), want]);
    }

    #[test]
    fn at_most_100_phones() {
        let phones = |n: usize| {
            let list: Vec<Value> = (0..n)
                .map(|i| json!({"number": format!("3859{i:08}")}))
                .collect();
            json!({ "phones": list })
        };
        assert_eq!(both(&phones(100)), [Vec::<String>::new(), Vec::new()]);
        let want = vec!["phones count exceeds maximum of 100 (actual: 101)".to_owned()];
        assert_eq!(both(&phones(101)), [want.clone(), want]);
    }

    #[test]
    fn android_counts_a_repeated_contact_once_ios_every_entry() {
        let mut list: Vec<Value> = (0..100)
            .map(|i| json!({"address": format!("{i}@x")}))
            .collect();
        list.push(json!({"address": "0@x"}));
        let v = json!({ "emails": list });
        assert_eq!(save(Platform::Android, v.clone()), Vec::<String>::new());
        assert_eq!(
            save(Platform::Ios, v),
            ["emails count exceeds maximum of 100 (actual: 101)"]
        );
    }

    #[test]
    fn custom_string_value_limit_is_4096() {
        let at = json!({"customAttributes": {"note": "n".repeat(4096)}});
        assert_eq!(both(&at), [Vec::<String>::new(), Vec::new()]);
        let over = json!({"customAttributes": {"note": "n".repeat(4097), "gone": null}});
        let want = vec![
            "customAttribute 'note' value exceeds maximum length of 4096 characters (actual: 4097)"
                .to_owned(),
        ];
        assert_eq!(both(&over), [want.clone(), want]);
    }

    #[test]
    fn custom_list_is_measured_as_its_json() {
        // `[{"k":"…"}]` is 10 characters around the value.
        let list = |n: usize| json!({"customAttributes": {"l": [{"k": "x".repeat(n)}]}});
        assert_eq!(both(&list(4086)), [Vec::<String>::new(), Vec::new()]);
        let want = vec![
            "customAttribute 'l' value exceeds maximum length of 4096 characters (actual: 4097)"
                .to_owned(),
        ];
        assert_eq!(both(&list(4087)), [want.clone(), want]);
    }

    #[test]
    fn list_json_escapes_count_as_each_sdk_writes_them() {
        // Gson writes `<` as `\u003c` (6); Foundation writes `/` as `\/` (2).
        let v = json!({"customAttributes": {"l": [{"k": "<".repeat(700)}]}});
        assert_eq!(
            save(Platform::Android, v.clone()),
            ["customAttribute 'l' value exceeds maximum length of 4096 characters (actual: 4210)"]
        );
        assert!(save(Platform::Ios, v).is_empty());
        let v = json!({"customAttributes": {"l": [{"k": "/".repeat(2045)}]}});
        assert!(save(Platform::Android, v.clone()).is_empty());
        assert_eq!(
            save(Platform::Ios, v),
            ["customAttribute 'l' value exceeds maximum length of 4096 characters (actual: 4100)"]
        );
    }

    #[test]
    fn a_null_in_a_list_item_counts_on_ios_only() {
        // Gson without serializeNulls leaves `"n":null` (9) out; Foundation writes it.
        let v = json!({"customAttributes": {"l": [{"k": "x".repeat(4080), "n": null}]}});
        assert!(save(Platform::Android, v.clone()).is_empty());
        assert_eq!(
            save(Platform::Ios, v),
            ["customAttribute 'l' value exceeds maximum length of 4096 characters (actual: 4099)"]
        );
    }

    #[test]
    fn android_counts_utf16_units_ios_grapheme_clusters() {
        // U+1F600 is two UTF-16 units and one Character; e + U+0301 two units, one Character.
        let v = json!({"middleName": "\u{1F600}".repeat(26)});
        assert_eq!(
            save(Platform::Android, v.clone()),
            ["middleName exceeds maximum length of 50 characters (actual: 52)"]
        );
        assert!(save(Platform::Ios, v).is_empty());
        let v = json!({"middleName": "e\u{301}".repeat(51)});
        assert_eq!(
            save(Platform::Android, v.clone()),
            ["middleName exceeds maximum length of 50 characters (actual: 102)"]
        );
        assert_eq!(
            save(Platform::Ios, v),
            ["middleName exceeds maximum length of 50 characters (actual: 51)"]
        );
    }

    #[test]
    fn each_sdk_reports_in_its_own_order() {
        let mut v = emails(101, 10);
        let m = v.as_object_mut().unwrap();
        m.insert("externalUserId".into(), json!("u".repeat(257)));
        m.insert("firstName".into(), json!("f".repeat(256)));
        m.insert("middleName".into(), json!("m".repeat(51)));
        m.insert("lastName".into(), json!("l".repeat(256)));
        m.insert(
            "phones".into(),
            json!(
                (0..101)
                    .map(|i| json!({"number": i.to_string()}))
                    .collect::<Vec<_>>()
            ),
        );
        m.insert("customAttributes".into(), json!({"c": "c".repeat(4097)}));
        let heads = |p: Platform| -> Vec<String> {
            save(p, v.clone())
                .iter()
                .map(|l| l.split(' ').next().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            heads(Platform::Android),
            [
                "externalUserId",
                "emails",
                "phones",
                "firstName",
                "lastName",
                "middleName",
                "customAttribute"
            ]
        );
        assert_eq!(
            heads(Platform::Ios),
            [
                "externalUserId",
                "firstName",
                "middleName",
                "lastName",
                "emails",
                "phones",
                "customAttribute"
            ]
        );
    }

    #[test]
    fn android_custom_attributes_follow_hashmap_order() {
        // Android: buckets of a 16-bucket map, "a" (97 & 15 = 1) before "b" (98 & 15 = 2).
        // iOS: the body's order (a Swift Dictionary's changes per launch).
        let v = json!({"customAttributes": {"b": "x".repeat(4097), "a": "y".repeat(4097)}});
        let keys = |p| -> Vec<String> {
            save(p, v.clone())
                .iter()
                .map(|l| l[16..19].to_owned())
                .collect()
        };
        assert_eq!(keys(Platform::Android), ["'a'", "'b'"]);
        assert_eq!(keys(Platform::Ios), ["'b'", "'a'"]);
    }

    #[test]
    fn personalize_checks_the_identity_first_and_stops_there() {
        let identity = obj(json!({"externalUserId": "u".repeat(257)}));
        let attributes = obj(json!({"firstName": "f".repeat(256)}));
        for p in Platform::ALL {
            let r = check_personalize(p, &identity, &attributes).unwrap();
            assert_eq!(r.problems.len(), 1, "{p:?}");
            assert!(r.problems[0].starts_with("externalUserId"));
            let r = check_personalize(p, &Map::new(), &attributes).unwrap();
            assert!(r.problems[0].starts_with("firstName"));
            assert_eq!(check_personalize(p, &Map::new(), &Map::new()), None);
        }
    }

    #[test]
    fn message_codes_and_plugin_objects() {
        let r = check_save_user(
            Platform::Android,
            &obj(json!({"middleName": "m".repeat(51)})),
        )
        .unwrap();
        let msg = "User data validation failed:\n  - middleName exceeds maximum length of 50 characters (actual: 51)\n\nPlease check the field limits at: https://www.infobip.com/docs/api/customer-engagement/people/update-a-person";
        assert_eq!(r.message(), msg);
        assert_eq!(r.code(), "-10");
        assert_eq!(r.description(), None);
        let a = app_errors(&r, AppCall::SaveUser);
        assert_eq!(a.flutter.details, format!("UNKNOWN_ERROR, -10, {msg}"));
        assert_eq!(a.react_native.code, json!("-10"));
        let r = Refusal {
            platform: Platform::Ios,
            problems: r.problems,
        };
        assert_eq!(r.code(), "17");
        assert_eq!(r.description(), Some(IOS_DESCRIPTION));
        let save = app_errors(&r, AppCall::SaveUser);
        let pers = app_errors(&r, AppCall::Personalize);
        assert_eq!(save.flutter.code, "17");
        assert_eq!(pers.flutter.code, "0");
        assert_eq!(save.flutter.message.as_deref(), Some(msg));
        assert!(save.flutter.details.starts_with(
            "Error Domain=com.mobile-messaging Code=17 \"User data validation failed. Please check field limits.\" UserInfo={NSLocalizedDescription="
        ));
        assert_eq!(
            save.text(Plugin::Cordova),
            "{ description: 'User data validation failed. Please check field limits.', code: 17, domain: 'com.mobile-messaging' }"
        );
    }
}
