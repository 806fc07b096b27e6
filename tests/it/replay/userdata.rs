//! The SDKs' user-data checks before saveUser and personalize (spec 5.8): a call over the
//! limits is refused with the SDK's code and message, exit 15, and nothing reaches the server.

use super::*;

fn long(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

#[test]
fn save_user_over_a_limit_is_refused_with_exit_15_and_nothing_sent() {
    let srv = Server::ok();
    let data = json!({"firstName": long('f', 256), "middleName": long('m', 51)}).to_string();
    let a = replay(&srv.url)
        .args(["patch-user", "--user-id", "alice", "--data", &data])
        .assert()
        .code(15);
    assert!(srv.hits().is_empty(), "nothing is sent");
    assert_eq!(stdout(&a), "");
    let err = stderr(&a);
    assert!(
        err.contains("the Android SDK would not send this request: its user data is over the People API limits (code -10;"),
        "{err}"
    );
    // Android's order: firstName, lastName, middleName.
    assert!(
        err.contains("  |   - firstName exceeds maximum length of 255 characters (actual: 256)\n  |   - middleName exceeds maximum length of 50 characters (actual: 51)\n"),
        "{err}"
    );
}

#[test]
fn json_refusal_carries_the_sdks_code_and_message() {
    let srv = Server::ok();
    let data = json!({"userIdentity": {"externalUserId": "alice"},
        "userAttributes": {"lastName": long('l', 256), "firstName": long('f', 256)}})
    .to_string();
    let a = replay(&srv.url)
        .args([
            "personalize",
            "--sdk",
            "ios",
            "--json",
            "--user-id",
            "alice",
        ])
        .args(["--data", &data])
        .assert()
        .code(15);
    assert!(srv.hits().is_empty());
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    let p = &v["preflight"];
    assert_eq!(p["status"], "refused");
    assert_eq!(p["check"], "user-data");
    assert_eq!(p["code"], "17");
    assert_eq!(
        p["description"],
        "User data validation failed. Please check field limits."
    );
    assert_eq!(
        p["message"],
        "User data validation failed:\n  - firstName exceeds maximum length of 255 characters (actual: 256)\n  - lastName exceeds maximum length of 255 characters (actual: 256)\n\nPlease check the field limits at: https://www.infobip.com/docs/api/customer-engagement/people/update-a-person"
    );
    assert_eq!(v["sent"], false);
    assert_eq!(v["exit_code"], 15);
}

#[test]
fn user_data_is_checked_before_the_token_and_with_app_auth() {
    let srv = Server::ok();
    let data = json!({"externalUserId": long('u', 257)}).to_string();
    let expired = token("alice", 1_700_000_010);
    replay(&srv.url)
        .args(["patch-user", "--token", &expired, "--data", &data])
        .assert()
        .code(15);
    replay(&srv.url)
        .args(["patch-user", "--app-auth", "--data", &data])
        .assert()
        .code(15);
    assert!(srv.hits().is_empty());
}

#[test]
fn no_preflight_sends_it_anyway_and_data_at_the_limits_is_sent() {
    let srv = Server::ok();
    let over = json!({"middleName": long('m', 51)}).to_string();
    replay(&srv.url)
        .args([
            "patch-user",
            "--user-id",
            "alice",
            "--no-preflight",
            "--data",
            &over,
        ])
        .assert()
        .success();
    let at = json!({"middleName": long('m', 50), "firstName": long('f', 255),
        "customAttributes": {"note": long('n', 4096)}})
    .to_string();
    for sdk in ["android", "ios"] {
        replay(&srv.url)
            .args([
                "patch-user",
                "--sdk",
                sdk,
                "--user-id",
                "alice",
                "--data",
                &at,
            ])
            .assert()
            .success();
    }
    assert_eq!(srv.hits().len(), 3);
}

#[test]
fn a_batch_counts_user_data_refusals_and_exits_15() {
    let srv = Server::ok();
    let data = json!({"userAttributes": {"middleName": long('m', 51)}}).to_string();
    let a = replay(&srv.url)
        .args(["personalize", "--users", "-", "--json", "--data", &data])
        .write_stdin("alice\nbob\n")
        .assert()
        .code(15);
    assert!(srv.hits().is_empty());
    let out = stdout(&a);
    let last: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(
        last["summary"]["preflight_refused"]["USER_DATA_LIMITS"], 2,
        "{out}"
    );
}

#[test]
fn plugin_objects_for_a_user_data_refusal() {
    let srv = Server::ok();
    let data = json!({"middleName": long('m', 51)}).to_string();
    let a = replay(&srv.url)
        .args(["patch-user", "--sdk", "ios", "--user-id", "alice", "--json"])
        .args(["--plugin", "all", "--data", &data])
        .assert()
        .code(15);
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    let p = &v["plugins"];
    // saveUser on iOS: `mm_code ?? String(code)`; React Native and Cordova: the number.
    assert_eq!(p["flutter"]["code"], "17");
    assert_eq!(p["flutter"]["message"], v["preflight"]["message"]);
    assert_eq!(p["react_native"]["code"], 17);
    assert_eq!(p["cordova"]["code"], 17);
    assert_eq!(
        p["cordova"]["description"],
        "User data validation failed. Please check field limits."
    );
    let a = replay(&srv.url)
        .args(["personalize", "--sdk", "ios", "--user-id", "alice"])
        .args(["--plugin", "flutter", "--data"])
        .arg(json!({"userAttributes": {"middleName": long('m', 51)}}).to_string())
        .assert()
        .code(15);
    let err = stderr(&a);
    assert!(
        err.contains("    flutter       PlatformException(0, User data validation failed:\n"),
        "{err}"
    );
    assert!(!err.contains("react-native"), "{err}");
    let a = replay(&srv.url)
        .args([
            "patch-user",
            "--user-id",
            "alice",
            "--plugin",
            "react-native",
        ])
        .args(["--data", &data])
        .assert()
        .code(15);
    assert!(
        stderr(&a).contains("    react-native  { description: 'User data validation failed:\\n  - middleName exceeds maximum length of 50 characters (actual: 51)\\n\\nPlease check the field limits at: https://www.infobip.com/docs/api/customer-engagement/people/update-a-person', code: '-10' }\n"),
        "{}",
        stderr(&a)
    );
    assert!(srv.hits().is_empty());
}

#[test]
fn plugin_objects_for_a_token_refusal() {
    let srv = Server::ok();
    let expired = token("alice", 1_700_000_010);
    let a = replay(&srv.url)
        .args(["fetch-user", "--token", &expired, "--plugin", "cordova"])
        .assert()
        .code(11);
    assert!(
        stderr(&a).contains("    cordova       { description: 'The provided JWT is expired.', code: 'JWT_TOKEN_EXPIRED' }\n"),
        "{}",
        stderr(&a)
    );
    assert!(srv.hits().is_empty());
}
