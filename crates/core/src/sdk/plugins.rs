//! What the app's own code receives when an SDK refuses a token: the error objects the Flutter,
//! React Native and Cordova plugins build from the native Android `MobileMessagingError` and
//! iOS `NSError`, and Android's legacy numeric codes. Pure: a verdict in, the objects out.
//!
//! The plugins never judge a token themselves; they reshape the native error. Android hands
//! over `getCode()`, `getMessage()` and `toString()`; iOS an `NSError` whose `code` (10–16),
//! `localizedDescription` and userInfo `messageId` / `text` the plugins read differently.

use super::{
    BLANK_MESSAGE, EXPIRED_MESSAGE, HEADER_MESSAGE, PARTS_MESSAGE, PAYLOAD_MESSAGE, Platform,
    SdkVerdict,
};
use crate::problem::Code;
use serde::Serialize;
use std::fmt::Write as _;

/// The iOS SDK's error domain (`MMInternalErrorDomain`).
pub const IOS_DOMAIN: &str = "com.mobile-messaging";
/// iOS's `localizedDescription` for every structure error.
pub const IOS_STRUCTURE_DESCRIPTION: &str = "JWT token has invalid structure.";
/// Android's `MobileMessagingError.getType()` for SDK-side errors.
const ANDROID_TYPE: &str = "SDK_ERROR";

/// One of the three plugins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Plugin {
    Flutter,
    ReactNative,
    Cordova,
}

impl Plugin {
    pub const ALL: [Plugin; 3] = [Plugin::Flutter, Plugin::ReactNative, Plugin::Cordova];

    /// The name the command line and the report use.
    pub fn name(self) -> &'static str {
        match self {
            Plugin::Flutter => "flutter",
            Plugin::ReactNative => "react-native",
            Plugin::Cordova => "cordova",
        }
    }

    /// The first version whose `setUserDataJwt("")` (or `null`) clears the token instead of
    /// handing it to the SDK (spec 9.4: "provided jwt supplier cleanup").
    pub fn clears_empty_since(self) -> &'static str {
        match self {
            Plugin::Flutter => "9.8.0",
            Plugin::ReactNative => "14.9.1",
            Plugin::Cordova => "8.4.0",
        }
    }

    /// Whether `userDataJwt: ""` at init is skipped rather than handed to the SDK: only React
    /// Native on iOS tests `!jwt.isEmpty` there (its Android side skips only null).
    pub fn skips_empty_at_init(self, platform: Platform) -> bool {
        self == Plugin::ReactNative && platform == Platform::Ios
    }
}

/// Flutter's `PlatformException` as a `catch (e)` sees it: `e.code`, `e.message`, `e.details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlutterError {
    pub code: String,
    /// `null` on iOS for an expired token (the SDK sets no `text` there).
    pub message: Option<String>,
    pub details: String,
}

/// The plain object React Native and Cordova pass to the error callback / rejected promise.
/// `domain` exists only on iOS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsError {
    pub code: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<&'static str>,
}

/// What each plugin hands the app for one refusal on one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluginErrors {
    pub flutter: FlutterError,
    pub react_native: JsError,
    pub cordova: JsError,
}

impl PluginErrors {
    pub fn flutter(&self) -> &FlutterError {
        &self.flutter
    }

    /// The React Native or Cordova object (`None` for Flutter, whose shape differs).
    pub fn js(&self, plugin: Plugin) -> Option<&JsError> {
        match plugin {
            Plugin::Flutter => None,
            Plugin::ReactNative => Some(&self.react_native),
            Plugin::Cordova => Some(&self.cordova),
        }
    }
}

/// The error objects for `verdict` on `platform`; `None` when the SDK accepts the token.
pub fn errors(platform: Platform, verdict: &SdkVerdict) -> Option<PluginErrors> {
    let (code, message) = refusal(verdict)?;
    Some(match platform {
        Platform::Android => android(code, message),
        Platform::Ios => ios(code, message),
    })
}

/// Android SDK 13.22.0 and older (Flutter plugin 8.4.0–8.5.0) used numbers for the codes:
/// `"20013"` for structure, `"20014"` for expired. `None` when the SDK accepts.
pub fn android_legacy_code(verdict: &SdkVerdict) -> Option<&'static str> {
    match refusal(verdict)?.0 {
        Code::Expired => Some("20014"),
        _ => Some("20013"),
    }
}

fn refusal(verdict: &SdkVerdict) -> Option<(Code, &str)> {
    if verdict.accepted {
        return None;
    }
    Some((verdict.code?, verdict.message.as_deref()?))
}

fn android(code: Code, message: &str) -> PluginErrors {
    let js = JsError {
        code: code.as_str().to_owned(),
        description: message.to_owned(),
        domain: None,
    };
    PluginErrors {
        flutter: FlutterError {
            code: code.as_str().to_owned(),
            message: Some(message.to_owned()),
            // `MobileMessagingError.toString()`: "%s, %s, %s" of type, code and message.
            details: format!("{ANDROID_TYPE}, {}, {message}", code.as_str()),
        },
        react_native: js.clone(),
        cordova: js,
    }
}

/// The iOS `NSError` behind a verdict: its numeric code, localized description and `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IosNsError<'a> {
    pub code: u8,
    pub description: &'static str,
    pub message_id: &'static str,
    /// userInfo `text` (`mm_message`); absent for an expired token.
    pub text: Option<&'a str>,
}

impl IosNsError<'_> {
    /// Foundation's `description`: userInfo keys in ascending order, strings unquoted.
    pub fn foundation_description(&self) -> String {
        let mut s = format!(
            "Error Domain={IOS_DOMAIN} Code={} \"{}\" UserInfo={{NSLocalizedDescription={}, messageId={}",
            self.code, self.description, self.description, self.message_id
        );
        if let Some(t) = self.text {
            let _ = write!(s, ", text={t}");
        }
        s.push('}');
        s
    }
}

/// The `NSError` the iOS SDK builds for a refusal (spec 4.3's table).
pub fn ios_ns_error(code: Code, message: &str) -> IosNsError<'_> {
    if code == Code::Expired {
        return IosNsError {
            code: 11,
            description: EXPIRED_MESSAGE,
            message_id: Code::Expired.as_str(),
            text: None,
        };
    }
    let number = match message {
        BLANK_MESSAGE => 10,
        PARTS_MESSAGE => 12,
        HEADER_MESSAGE => 13,
        PAYLOAD_MESSAGE => 15,
        m if m.starts_with("Missing JWT header fields") => 14,
        _ => 16,
    };
    IosNsError {
        code: number,
        description: IOS_STRUCTURE_DESCRIPTION,
        message_id: Code::StructureInvalid.as_str(),
        text: Some(message),
    }
}

fn ios(code: Code, message: &str) -> PluginErrors {
    let e = ios_ns_error(code, message);
    // Every JWT error carries `messageId`, so `mm_code ?? String(code)` (saveUser) and
    // `mm_code ?? "0"` (fetchUser, personalize) agree: the code is always the string.
    let js = JsError {
        code: e.message_id.to_owned(),
        description: e.description.to_owned(),
        domain: Some(IOS_DOMAIN),
    };
    PluginErrors {
        flutter: FlutterError {
            code: e.message_id.to_owned(),
            message: e.text.map(str::to_owned),
            details: e.foundation_description(),
        },
        react_native: js.clone(),
        cordova: js,
    }
}

/// What one plugin path does with the empty string (spec 9.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmptyOutcome {
    /// The token is cleared: no error, the calls go with App authorization.
    Cleared,
    /// The string reaches the SDK, which refuses it as blank: the error object.
    Refused,
    /// The string is never handed over: no error, the calls go with App authorization.
    Skipped,
}

/// One path's answer: the outcome, the authorization the following calls carry (`"App"`, or
/// `None` when the SDK refuses before any call) and the error object the app receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmptyPath<E> {
    pub outcome: EmptyOutcome,
    pub authorization: Option<&'static str>,
    pub error: Option<E>,
}

impl<E> EmptyPath<E> {
    fn app() -> Self {
        EmptyPath {
            outcome: EmptyOutcome::Cleared,
            authorization: Some("App"),
            error: None,
        }
    }

    fn refused(error: E) -> Self {
        EmptyPath {
            outcome: EmptyOutcome::Refused,
            authorization: None,
            error: Some(error),
        }
    }
}

/// `setUserDataJwt("")`: cleared from `since` on; `older` is what earlier versions answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmptySetter<E> {
    pub since: &'static str,
    #[serde(flatten)]
    pub path: EmptyPath<E>,
    pub older: EmptyPath<E>,
}

/// Both ways an app can hand a plugin the empty string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmptyPaths<E> {
    pub setter: EmptySetter<E>,
    pub init: EmptyPath<E>,
}

/// What each plugin does on one platform with an empty token, by path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmptyToken {
    pub flutter: EmptyPaths<FlutterError>,
    pub react_native: EmptyPaths<JsError>,
    pub cordova: EmptyPaths<JsError>,
}

/// `plugin`'s setter and `init` paths on `platform`, with `error` its object for the SDK's refusal.
fn paths<E: Clone>(plugin: Plugin, platform: Platform, error: &E) -> EmptyPaths<E> {
    EmptyPaths {
        setter: EmptySetter {
            since: plugin.clears_empty_since(),
            path: EmptyPath::app(),
            older: EmptyPath::refused(error.clone()),
        },
        init: if plugin.skips_empty_at_init(platform) {
            EmptyPath {
                outcome: EmptyOutcome::Skipped,
                ..EmptyPath::app()
            }
        } else {
            EmptyPath::refused(error.clone())
        },
    }
}

/// The plugins' paths for the empty string on `platform`, whose SDK gave `verdict` for it (the
/// object the older setter and `init` hand over); `None` when the SDK does not refuse it.
pub fn empty_token(platform: Platform, verdict: &SdkVerdict) -> Option<EmptyToken> {
    let errors = errors(platform, verdict)?;
    Some(EmptyToken {
        flutter: paths(Plugin::Flutter, platform, &errors.flutter),
        react_native: paths(Plugin::ReactNative, platform, &errors.react_native),
        cordova: paths(Plugin::Cordova, platform, &errors.cordova),
    })
}

/// The human lines for `plugin`'s two paths with the empty string, after its error object
/// (which the older setter and a refusing `init` hand over).
pub fn empty_token_lines(platform: Platform, plugin: Plugin) -> [String; 2] {
    let since = plugin.clears_empty_since();
    let setter = format!(
        "setUserDataJwt(\"\"): cleared since {since}, no error; the calls that follow go with App <applicationCode> authorization (a JWT-only App Profile answers HTTP 401); before {since}: the object above"
    );
    let init = if plugin.skips_empty_at_init(platform) {
        "init with userDataJwt \"\": skipped, no error; the calls go with App <applicationCode> authorization".to_string()
    } else {
        "init with userDataJwt \"\": reaches the SDK: the object above".to_string()
    };
    [setter, init]
}

/// Dart's `PlatformException.toString()`: `PlatformException(code, message, details, null)`.
pub fn dart_text(e: &FlutterError) -> String {
    format!(
        "PlatformException({}, {}, {}, null)",
        e.code,
        e.message.as_deref().unwrap_or("null"),
        e.details
    )
}

/// The object as a JavaScript literal, in the plugin's member order (description, code, then
/// domain on iOS).
pub fn js_text(e: &JsError) -> String {
    let mut s = format!(
        "{{ description: {}, code: {}",
        js_string(&e.description),
        js_string(&e.code)
    );
    if let Some(d) = e.domain {
        let _ = write!(s, ", domain: {}", js_string(d));
    }
    s.push_str(" }");
    s
}

/// A single-quoted JavaScript string, as Node's `console.log` prints one.
pub fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Where a plugin loses or hides information, for the human report.
pub fn notes(platform: Platform, plugin: Plugin, verdict: &SdkVerdict) -> Vec<&'static str> {
    let Some((code, _)) = refusal(verdict) else {
        return Vec::new();
    };
    let mut v = Vec::new();
    match (platform, plugin) {
        (Platform::Android, Plugin::Flutter) => {
            v.push("the SDK's message is e.message (the wiki's e.mm_message is not a Dart member)");
            v.push(if code == Code::Expired {
                "Flutter plugin 8.4.0-8.5.0 (Android SDK 13.22.0 and older): e.code is \"20014\", so a switch on 'JWT_TOKEN_EXPIRED' never matches"
            } else {
                "Flutter plugin 8.4.0-8.5.0 (Android SDK 13.22.0 and older): e.code is \"20013\", so a switch on 'JWT_TOKEN_STRUCTURE_INVALID' never matches"
            });
        }
        (Platform::Ios, Plugin::Flutter) => {
            if code == Code::Expired {
                v.push("e.message is null on iOS for an expired token: switch on e.code");
            } else {
                v.push(
                    "the SDK's message is e.message (the wiki's e.mm_message is not a Dart member)",
                );
            }
        }
        (Platform::Ios, Plugin::ReactNative | Plugin::Cordova) if code != Code::Expired => {
            v.push("description is only the generic text: the SDK's message (which member is missing, which part is broken) is not passed on");
        }
        _ => {}
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_tokens_have_no_error_objects() {
        let ok = SdkVerdict::accepted();
        assert_eq!(errors(Platform::Android, &ok), None);
        assert_eq!(errors(Platform::Ios, &ok), None);
        assert_eq!(android_legacy_code(&ok), None);
        assert!(notes(Platform::Ios, Plugin::Flutter, &ok).is_empty());
    }

    #[test]
    fn ios_codes_follow_the_message() {
        let cases = [
            (BLANK_MESSAGE, 10),
            (PARTS_MESSAGE, 12),
            (HEADER_MESSAGE, 13),
            ("Missing JWT header fields: [\"kid\"]", 14),
            (PAYLOAD_MESSAGE, 15),
            ("Missing JWT claims: [\"jti\"]", 16),
        ];
        for (m, n) in cases {
            assert_eq!(ios_ns_error(Code::StructureInvalid, m).code, n, "{m}");
        }
        assert_eq!(ios_ns_error(Code::Expired, EXPIRED_MESSAGE).code, 11);
    }

    #[test]
    fn js_strings_are_escaped() {
        assert_eq!(js_string("it's \\ \n\u{1}"), "'it\\'s \\\\ \\n\\u0001'");
    }
}
