//! What the app's catch block receives through the Flutter, React Native and Cordova plugins:
//! every row of the spec's plugin tables (section 9), the iOS NSError codes 10–16 behind them
//! (section 4.3), Android's legacy numeric codes, `--plugin` / `MMJWT_PLUGIN` in the human
//! report, and the JSON members being exactly the documented ones.

use crate::support::*;
use serde_json::{Value, json};

const NOW: i64 = 1_700_000_000;

fn check_json(token: &str) -> Value {
    let out = mmjwt()
        .args(["check", "--json", "--now", &NOW.to_string(), token])
        .output()
        .unwrap();
    json_out(&out)
}

fn expired() -> String {
    signed(HEADER, &payload("alice", NOW - 100, NOW - 10), &test_key())
}

fn no_jti() -> String {
    let p = format!(
        r#"{{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","iat":{},"exp":{}}}"#,
        NOW - 10,
        NOW + 900
    );
    signed(HEADER, &p, &test_key())
}

fn ios_details(code: u8, text: &str) -> String {
    format!(
        "Error Domain=com.mobile-messaging Code={code} \"JWT token has invalid structure.\" UserInfo={{NSLocalizedDescription=JWT token has invalid structure., messageId=JWT_TOKEN_STRUCTURE_INVALID, text={text}}}"
    )
}

// ----------------------------------------------- spec 9: what a Flutter catch (e) sees

#[test]
fn flutter_expired_android() {
    let v = check_json(&expired());
    assert_eq!(
        v["sdk"]["android"]["plugins"]["flutter"],
        json!({
            "code": "JWT_TOKEN_EXPIRED",
            "message": "The provided JWT is expired.",
            "details": "SDK_ERROR, JWT_TOKEN_EXPIRED, The provided JWT is expired."
        })
    );
}

#[test]
fn flutter_expired_ios_has_a_null_message() {
    let v = check_json(&expired());
    assert_eq!(
        v["sdk"]["ios"]["plugins"]["flutter"],
        json!({
            "code": "JWT_TOKEN_EXPIRED",
            "message": null,
            "details": "Error Domain=com.mobile-messaging Code=11 \"The provided JWT is expired.\" UserInfo={NSLocalizedDescription=The provided JWT is expired., messageId=JWT_TOKEN_EXPIRED}"
        })
    );
}

#[test]
fn flutter_no_jti_android() {
    let v = check_json(&no_jti());
    assert_eq!(
        v["sdk"]["android"]["plugins"]["flutter"],
        json!({
            "code": "JWT_TOKEN_STRUCTURE_INVALID",
            "message": "Token payload is missing mandatory claim jti",
            "details": "SDK_ERROR, JWT_TOKEN_STRUCTURE_INVALID, Token payload is missing mandatory claim jti"
        })
    );
}

#[test]
fn flutter_no_jti_ios() {
    let v = check_json(&no_jti());
    assert_eq!(
        v["sdk"]["ios"]["plugins"]["flutter"],
        json!({
            "code": "JWT_TOKEN_STRUCTURE_INVALID",
            "message": "Missing JWT claims: [\"jti\"]",
            "details": ios_details(16, "Missing JWT claims: [\"jti\"]")
        })
    );
}

// ------------------------------------- spec 9: the plugin x platform error-object table

#[test]
fn react_native_and_cordova_android_pass_code_and_the_sdk_message() {
    for (token, code, message) in [
        (
            expired(),
            "JWT_TOKEN_EXPIRED",
            "The provided JWT is expired.",
        ),
        (
            no_jti(),
            "JWT_TOKEN_STRUCTURE_INVALID",
            "Token payload is missing mandatory claim jti",
        ),
    ] {
        let v = check_json(&token);
        for plugin in ["react_native", "cordova"] {
            assert_eq!(
                v["sdk"]["android"]["plugins"][plugin],
                json!({"code": code, "description": message}),
                "{plugin}"
            );
        }
    }
}

#[test]
fn react_native_and_cordova_ios_pass_the_generic_description_and_the_domain() {
    for (token, code, description) in [
        (
            expired(),
            "JWT_TOKEN_EXPIRED",
            "The provided JWT is expired.",
        ),
        (
            no_jti(),
            "JWT_TOKEN_STRUCTURE_INVALID",
            "JWT token has invalid structure.",
        ),
    ] {
        let v = check_json(&token);
        for plugin in ["react_native", "cordova"] {
            assert_eq!(
                v["sdk"]["ios"]["plugins"][plugin],
                json!({"code": code, "description": description, "domain": "com.mobile-messaging"}),
                "{plugin}"
            );
        }
    }
}

// ----------------------------------------- spec 4.3: the iOS NSError code of each case

#[test]
fn ios_error_codes_10_to_16_reach_flutter_details() {
    let key = test_key();
    let good_payload = payload("alice", NOW - 10, NOW + 900);
    let cases: Vec<(String, u8, &str)> = vec![
        ("   ".into(), 10, "Token is empty or blank."),
        (
            "a.b".into(),
            12,
            "Token must have three parts separated by dots.",
        ),
        (
            format!("x.{}.sig", b64(&good_payload)),
            13,
            "Token header is not a valid Base64 encoded JSON object.",
        ),
        (
            signed(r#"{"alg":"HS256"}"#, &good_payload, &key),
            14,
            "Missing JWT header fields: [\"kid\", \"typ\"]",
        ),
        (
            format!("{}.x.sig", b64(HEADER)),
            15,
            "Token payload is not a valid Base64 encoded JSON object.",
        ),
        (no_jti(), 16, "Missing JWT claims: [\"jti\"]"),
    ];
    for (token, code, text) in cases {
        let v = check_json(&token);
        let f = &v["sdk"]["ios"]["plugins"]["flutter"];
        assert_eq!(f["code"], "JWT_TOKEN_STRUCTURE_INVALID", "{code}");
        assert_eq!(f["message"], text, "{code}");
        assert_eq!(f["details"], ios_details(code, text), "{code}");
    }
    let v = check_json(&expired());
    assert!(
        v["sdk"]["ios"]["plugins"]["flutter"]["details"]
            .as_str()
            .unwrap()
            .contains(" Code=11 ")
    );
}

// ------------------------------------------------ spec 4.5: Android's legacy codes

#[test]
fn android_legacy_codes_are_20013_and_20014_and_null_when_accepted() {
    assert_eq!(
        check_json(&no_jti())["sdk"]["android"]["legacy_code"],
        "20013"
    );
    assert_eq!(
        check_json(&expired())["sdk"]["android"]["legacy_code"],
        "20014"
    );
    let fresh = signed(HEADER, &payload("alice", NOW - 10, NOW + 900), &test_key());
    let v = check_json(&fresh);
    assert!(v["sdk"]["android"]["legacy_code"].is_null());
    assert!(v["sdk"]["android"]["plugins"].is_null());
    assert!(v["sdk"]["ios"]["plugins"].is_null());
    assert!(
        v["sdk"]["ios"].get("legacy_code").is_none(),
        "legacy_code is Android's"
    );
}

#[test]
fn plugin_objects_have_exactly_the_documented_members() {
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let v = check_json(&no_jti());
    for platform in ["android", "ios"] {
        let p = &v["sdk"][platform]["plugins"];
        assert_eq!(keys(p), ["flutter", "react_native", "cordova"]);
        assert_eq!(keys(&p["flutter"]), ["code", "message", "details"]);
        let js: &[&str] = if platform == "ios" {
            &["code", "description", "domain"]
        } else {
            &["code", "description"]
        };
        assert_eq!(keys(&p["react_native"]), js);
        assert_eq!(keys(&p["cordova"]), js);
    }
}

// ------------------------------------------------------------- the human report

fn check_text(args: &[&str], token: &str) -> String {
    let out = mmjwt()
        .args(["check", "--now", &NOW.to_string()])
        .args(args)
        .arg(token)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The `sdk` section of a human report: from its label up to `server`.
fn sdk_section(text: &str) -> String {
    let start = text.find("\nsdk\n").unwrap() + 1;
    let end = text.find("\nserver\n").unwrap() + 1;
    text[start..end].to_string()
}

#[test]
fn snapshot_sdk_section_with_every_plugin_expired() {
    let text = check_text(&["--plugin", "all"], &expired());
    let want = r#"sdk
  android  JWT_TOKEN_EXPIRED The provided JWT is expired.
    flutter       PlatformException(JWT_TOKEN_EXPIRED, The provided JWT is expired., SDK_ERROR, JWT_TOKEN_EXPIRED, The provided JWT is expired., null)
                  note: the SDK's message is e.message (the wiki's e.mm_message is not a Dart member)
                  note: Flutter plugin 8.4.0-8.5.0 (Android SDK 13.22.0 and older): e.code is "20014", so a switch on 'JWT_TOKEN_EXPIRED' never matches
    react-native  { description: 'The provided JWT is expired.', code: 'JWT_TOKEN_EXPIRED' }
    cordova       { description: 'The provided JWT is expired.', code: 'JWT_TOKEN_EXPIRED' }
  ios      JWT_TOKEN_EXPIRED The provided JWT is expired.
    flutter       PlatformException(JWT_TOKEN_EXPIRED, null, Error Domain=com.mobile-messaging Code=11 "The provided JWT is expired." UserInfo={NSLocalizedDescription=The provided JWT is expired., messageId=JWT_TOKEN_EXPIRED}, null)
                  note: e.message is null on iOS for an expired token: switch on e.code
    react-native  { description: 'The provided JWT is expired.', code: 'JWT_TOKEN_EXPIRED', domain: 'com.mobile-messaging' }
    cordova       { description: 'The provided JWT is expired.', code: 'JWT_TOKEN_EXPIRED', domain: 'com.mobile-messaging' }
"#;
    assert_eq!(sdk_section(&text), want);
}

#[test]
fn snapshot_sdk_section_ios_structure_with_flutter_and_react_native() {
    let text = check_text(
        &[
            "--sdk",
            "ios",
            "--plugin",
            "react-native",
            "--plugin",
            "flutter",
        ],
        &no_jti(),
    );
    let want = r#"sdk
  ios      JWT_TOKEN_STRUCTURE_INVALID Missing JWT claims: ["jti"]
    flutter       PlatformException(JWT_TOKEN_STRUCTURE_INVALID, Missing JWT claims: ["jti"], Error Domain=com.mobile-messaging Code=16 "JWT token has invalid structure." UserInfo={NSLocalizedDescription=JWT token has invalid structure., messageId=JWT_TOKEN_STRUCTURE_INVALID, text=Missing JWT claims: ["jti"]}, null)
                  note: the SDK's message is e.message (the wiki's e.mm_message is not a Dart member)
    react-native  { description: 'JWT token has invalid structure.', code: 'JWT_TOKEN_STRUCTURE_INVALID', domain: 'com.mobile-messaging' }
                  note: description is only the generic text: the SDK's message (which member is missing, which part is broken) is not passed on
"#;
    assert_eq!(sdk_section(&text), want);
}

#[test]
fn plugin_from_the_environment_comma_separated() {
    let out = mmjwt()
        .env("MMJWT_PLUGIN", "cordova,react-native")
        .args(["check", "--sdk", "android", "--now", &NOW.to_string()])
        .arg(expired())
        .output()
        .unwrap();
    let s = sdk_section(&String::from_utf8(out.stdout).unwrap());
    assert!(s.contains("\n    react-native  { description:"), "{s}");
    assert!(s.contains("\n    cordova       { description:"), "{s}");
    assert!(!s.contains("PlatformException"), "{s}");
    // Order is fixed whatever the order asked for.
    assert!(s.find("react-native").unwrap() < s.find("cordova").unwrap());
    // Set but empty means none, not an error.
    let out = mmjwt()
        .env("MMJWT_PLUGIN", "")
        .args(["check", "--now", &NOW.to_string()])
        .arg(expired())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(11),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8(out.stdout)
            .unwrap()
            .contains("description:")
    );
    // The flag wins over the environment, and names repeat harmlessly.
    let out = mmjwt()
        .env("MMJWT_PLUGIN", "cordova")
        .args(["check", "--sdk", "ios", "--now", &NOW.to_string()])
        .args(["--plugin", "flutter,flutter", "--plugin", "flutter"])
        .arg(expired())
        .output()
        .unwrap();
    let s = sdk_section(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(s.matches("PlatformException(").count(), 1, "{s}");
    assert!(!s.contains("cordova"), "{s}");
}

#[test]
fn without_plugin_or_when_accepted_no_objects_are_shown() {
    let s = check_text(&[], &expired());
    assert!(!s.contains("PlatformException") && !s.contains("description:"));
    let fresh = signed(HEADER, &payload("alice", NOW - 10, NOW + 900), &test_key());
    let s = sdk_section(&check_text(&["--plugin", "all"], &fresh));
    assert_eq!(s, "sdk\n  android  accepted\n  ios      accepted\n");
}

#[test]
fn an_unknown_plugin_is_a_usage_error() {
    let out = mmjwt()
        .args(["check", "--plugin", "xamarin", "a.b.c"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("mmjwt: error: "), "{err}");
    assert!(err.contains("flutter"), "{err}");
}

/// The two JSON writers (serde at a terminal, the hand-written compact one elsewhere) agree
/// byte for byte on reports carrying plugin objects, a null Flutter message, legacy codes and
/// every new warning code.
#[test]
fn both_json_writers_agree_on_plugins_and_warnings() {
    use mmjwt::secret::Secret;
    use mmjwt::token::check::{Keys, Options, check_input};
    use mmjwt::token::pitfalls::KeyVariants;
    use mmjwt::token::report as render;
    let secret = Secret::from_hex(SECRET_HEX).unwrap();
    let key = secret.hmac_key();
    let variants = KeyVariants::from_secret(&secret);
    let text_key = mmjwt::secret::HmacKey::new(SECRET_HEX.as_bytes());
    let ms = NOW * 1000;
    let raws = [
        expired(),
        no_jti(),
        format!("Bearer {}", expired()),
        format!(" {}", no_jti()),
        "\u{a0}".to_string(),
        String::new(),
        signed(HEADER, &payload("a", NOW - 5, NOW - 5), &key),
        signed(HEADER, &payload("a", NOW - 5, NOW + 20), &text_key),
        signed(HEADER, &payload("a", ms, ms + 1), &key),
        signed(HEADER, &payload("a", NOW - 5, NOW + 900), &key),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for raw in &raws {
        for exact in [false, true] {
            let input = if exact {
                mmjwt::token::exact_input(raw)
            } else {
                mmjwt::token::normalize_input(raw)
            };
            let opts = Options {
                keys: Keys::SingleWithVariants(&key, &variants),
                ..Options::at(NOW)
            };
            let report = check_input(raw, &input, &opts);
            seen.extend(report.warnings.iter().map(|w| w.code.as_str()));
            let mut fast = String::new();
            render::write_json(&mut fast, &report, &input, Some(3), NOW, 0);
            let slow =
                serde_json::to_string(&render::json(&report, &input, Some(3), NOW, 0)).unwrap();
            assert_eq!(fast, slow, "{raw:?} exact={exact}");
        }
    }
    for code in [
        "SECRET_USED_AS_TEXT",
        "EXPIRED_AT_ISSUE",
        "SHORT_LIFETIME",
        "TIME_IN_MILLISECONDS",
        "AS_GIVEN_REFUSED",
        "EMPTY_TOKEN_CLEARS",
    ] {
        assert!(seen.contains(code), "no report carried {code}: {seen:?}");
    }
}

// ------------------------------------------ spec 9.4: the empty token in today's plugins

fn check_exact_json(args: &[&str], token: &str) -> Value {
    let out = mmjwt()
        .args(["check", "--json", "--exact", "--now", &NOW.to_string()])
        .args(args)
        .arg(token)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(10), "the SDKs' own verdict stays");
    json_out(&out)
}

#[test]
fn empty_token_keeps_the_sdk_verdicts_and_warns_that_plugins_clear_it() {
    let v = check_exact_json(&[], "");
    for platform in ["android", "ios"] {
        assert_eq!(v["sdk"][platform]["code"], "JWT_TOKEN_STRUCTURE_INVALID");
        assert_eq!(v["sdk"][platform]["message"], "Token is empty or blank.");
    }
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["code"], "EMPTY_TOKEN_CLEARS");
    let message = warnings[0]["message"].as_str().unwrap();
    for part in [
        "Flutter 9.8.0",
        "React Native 14.9.1",
        "Cordova 8.4.0",
        "App <applicationCode> authorization",
        "HTTP 401",
        "default: branch",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
}

#[test]
fn empty_token_setter_clears_on_every_plugin_and_platform() {
    let v = check_exact_json(&[], "");
    for platform in ["android", "ios"] {
        for (plugin, since) in [
            ("flutter", "9.8.0"),
            ("react_native", "14.9.1"),
            ("cordova", "8.4.0"),
        ] {
            let setter = &v["sdk"][platform]["empty_token"][plugin]["setter"];
            assert_eq!(
                *setter,
                json!({
                    "since": since,
                    "outcome": "cleared",
                    "authorization": "App",
                    "error": null,
                    "older": {
                        "outcome": "refused",
                        "authorization": null,
                        "error": v["sdk"][platform]["plugins"][plugin],
                    }
                }),
                "{platform} {plugin}"
            );
        }
    }
    // The older setter's object is the structure error the SDK gives the empty string.
    assert_eq!(
        v["sdk"]["ios"]["empty_token"]["flutter"]["setter"]["older"]["error"]["details"],
        ios_details(10, "Token is empty or blank.")
    );
}

#[test]
fn empty_token_init_reaches_the_sdk_except_react_native_on_ios() {
    let v = check_exact_json(&[], "");
    for platform in ["android", "ios"] {
        for plugin in ["flutter", "react_native", "cordova"] {
            let init = &v["sdk"][platform]["empty_token"][plugin]["init"];
            let want = if (platform, plugin) == ("ios", "react_native") {
                json!({"outcome": "skipped", "authorization": "App", "error": null})
            } else {
                json!({
                    "outcome": "refused",
                    "authorization": null,
                    "error": v["sdk"][platform]["plugins"][plugin],
                })
            };
            assert_eq!(*init, want, "{platform} {plugin}");
        }
    }
    assert_eq!(
        v["sdk"]["android"]["empty_token"]["react_native"]["init"]["error"],
        json!({"code": "JWT_TOKEN_STRUCTURE_INVALID", "description": "Token is empty or blank."})
    );
}

#[test]
fn only_the_empty_token_has_plugin_paths() {
    for token in [" ".to_string(), "\u{a0}".to_string(), no_jti()] {
        let v = check_exact_json(&[], &token);
        for platform in ["android", "ios"] {
            assert_eq!(v["sdk"][platform]["empty_token"], Value::Null, "{token:?}");
        }
        assert!(
            !v["warnings"].to_string().contains("EMPTY_TOKEN_CLEARS"),
            "{token:?}"
        );
    }
}

#[test]
fn empty_token_human_report_shows_the_setter_and_init_per_plugin() {
    let text = check_text(&["--exact", "--sdk", "ios", "--plugin", "react-native"], "");
    let want = r#"sdk
  ios      JWT_TOKEN_STRUCTURE_INVALID Token is empty or blank.
    react-native  { description: 'JWT token has invalid structure.', code: 'JWT_TOKEN_STRUCTURE_INVALID', domain: 'com.mobile-messaging' }
                  note: description is only the generic text: the SDK's message (which member is missing, which part is broken) is not passed on
                  setUserDataJwt(""): cleared since 14.9.1, no error; the calls that follow go with App <applicationCode> authorization (a JWT-only App Profile answers HTTP 401); before 14.9.1: the object above
                  init with userDataJwt "": skipped, no error; the calls go with App <applicationCode> authorization
"#;
    assert_eq!(sdk_section(&text), want);
    let text = check_text(&["--exact", "--sdk", "android", "--plugin", "cordova"], "");
    assert!(
        sdk_section(&text).ends_with(
            "                  init with userDataJwt \"\": reaches the SDK: the object above\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n  ! EMPTY_TOKEN_CLEARS the token is empty: since Flutter 9.8.0,"));
    // Without --plugin the warning stays, the paths are not shown.
    let text = check_text(&["--exact"], "");
    assert!(text.contains("EMPTY_TOKEN_CLEARS"), "{text}");
    assert!(!text.contains("setUserDataJwt(\"\"): cleared"), "{text}");
}

#[test]
fn whitespace_only_token_is_not_empty_to_the_plugins() {
    let text = check_text(&["--exact"], " ");
    assert!(
        sdk_section(&text).starts_with(
            "sdk\n  whitespace only, but not empty to the plugins (they clear only \"\" and null): setUserDataJwt and init hand it to the SDK, and Android and iOS refuse it as blank\n"
        ),
        "{text}"
    );
    assert!(!text.contains("EMPTY_TOKEN_CLEARS"), "{text}");
    // A blank refusal from one SDK only is named as that SDK's.
    let text = check_text(&["--exact", "--sdk", "ios"], "\t");
    assert!(text.contains("and iOS refuses it as blank\n"), "{text}");
    // The empty string and a token that is not blank get no such line.
    for token in [String::new(), expired()] {
        let text = check_text(&["--exact"], &token);
        assert!(!text.contains("whitespace only"), "{token:?}: {text}");
    }
}

#[test]
fn an_empty_stdin_under_exact_points_at_the_empty_token() {
    // Under --exact an empty line is the empty token (docs/assumptions.md); stdin with no line
    // at all (an empty backend answer piped in) is told how to judge the empty string.
    let out = mmjwt()
        .args(["check", "--exact"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("to judge the empty string, run: mmjwt check --exact ''"),
        "{err}"
    );
    let out = mmjwt()
        .args(["check", "--exact", "--json"])
        .write_stdin("\n\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(10));
    let reports: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 2, "each empty line is the empty token");
    for r in &reports {
        assert!(
            r["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["code"] == "EMPTY_TOKEN_CLEARS"),
            "{r}"
        );
    }
}
