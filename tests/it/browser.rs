//! The debugger page in a real headless Chromium (through chromedriver), against a jwt-only
//! sandbox on 127.0.0.1:0, used as a person would: controls found by their labels, tokens
//! pasted and typed, buttons clicked, the keyboard alone for one round. One browser session
//! runs every scenario in order; screenshots go to `target/ui-screenshots/`. Without Chromium
//! the test passes and says what it skipped (under CI=true it fails).

use crate::support::webdriver::{self, Browser};
use crate::support::{SECRET_HEX, test_key};
use mmjwt::sandbox::{Config, Mode, SandboxThread};
use mmjwt::secret::HmacKey;
use mmjwt::token::mint::{Claims, Minter};
use serde_json::Value;

const APP: &str = "test-app-code";
const KID: &str = "test-key-id";
/// Another well-formed key: the wrong secret.
const WRONG_HEX: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

fn mint(key: HmacKey, sub: &str, iat: i64, exp: i64) -> String {
    Minter::new(KID, key)
        .mint(&Claims {
            sub,
            app_code: APP,
            iat,
            exp,
            jti: "0b6d6a3c-4a8e-4f55-9a7e-3f0c1d2e4b5a",
            iss: Some(APP),
            extra: &[],
        })
        .0
}

fn now() -> i64 {
    mmjwt::time::now_unix()
}

/// The page's token field, found by its label.
fn token_field(b: &Browser) -> String {
    b.field("Decode and judge", "Token")
}

fn set_checkbox(b: &Browser, section: &str, label: &str, on: bool) {
    let el = b.field(section, label);
    let checked = b.cmd("GET", &format!("/element/{el}/selected"), None) == Value::Bool(true);
    if checked != on {
        b.click(&el);
    }
}

#[test]
fn the_page_in_a_real_browser() {
    let Some((chromium, driver)) = webdriver::required("the_page_in_a_real_browser") else {
        return;
    };
    let mut config = Config::new(Mode::JwtOnly, APP).with_key(KID, test_key());
    config.extension = Some(mmjwt::ui::routes);
    let sandbox = SandboxThread::spawn(config).unwrap();
    let url = sandbox.url();
    let b = Browser::start(&chromium, &driver);

    // 1. An expired token preloaded from the fragment: both SDKs' JWT_TOKEN_EXPIRED, and what
    //    Flutter's catch block receives.
    let expired = mint(test_key(), "ext-user-1", now() - 7200, now() - 3600);
    b.goto(&format!("{url}/#token={expired}"));
    b.wait_text("sdk-android", "JWT_TOKEN_EXPIRED");
    b.wait_text("sdk-ios", "JWT_TOKEN_EXPIRED");
    b.wait_text("verdict", "Refused");
    let href = b.script("return location.href;");
    assert!(
        !href.as_str().unwrap().contains("token="),
        "the fragment is removed once read: {href}"
    );
    b.screenshot("1-expired");

    // 2. A valid token: not verified without a secret, verified with the right one.
    let valid = mint(test_key(), "alice", now() - 10, now() + 600);
    set_checkbox(
        &b,
        "Decode and judge",
        "Without a secret, verify with the sandbox's key",
        false,
    );
    b.replace(&token_field(&b), &valid);
    b.wait_text("verdict", "NOT verified");
    let secret = b.field("Decode and judge", "Secret (hex)");
    b.type_into(&secret, SECRET_HEX);
    b.wait_text("verdict", "signature is verified");
    b.wait_text("sdk-android", "accepts the token");
    b.wait_text("checks-table", "signature");
    b.wait_text("countdown", "Expires in");
    b.screenshot("2-verified");

    // 3. The wrong secret.
    b.replace(&secret, WRONG_HEX);
    b.wait_text("problems", "SIGNATURE_INVALID");
    b.wait_text("verdict", "Refused");

    // 4. Expectations from the form: a different user id.
    let user = b.field("Decode and judge", "User id");
    b.replace(&secret, SECRET_HEX);
    b.type_into(&user, "bob");
    b.wait_text("problems", "SUB_MISMATCH");
    b.clear(&user);

    // 5. Generate a token for a user id and check it against `mmjwt gen`.
    let gen_user = b.field("Make a token", "User id");
    b.type_into(&gen_user, "alice-ui");
    b.click(&b.button("Generate"));
    let page_token = b.wait_text("gen-token", "eyJ");
    let command = b.wait_text("gen-command", "mmjwt gen --user-id alice-ui");
    assert_eq!(
        run_shell(&command).trim(),
        page_token.trim(),
        "the page's token is byte for byte what its mmjwt gen command makes"
    );
    assert!(!command.contains(SECRET_HEX), "the command has no secret");
    b.wait_text("gen-sees", "Both SDKs send it and the sandbox accepts it");
    b.wait_text("gen-sees-android", "accepts the token");
    b.click(&b.button("Copy command"));
    b.wait_text("copy-status", "Cop");
    b.screenshot("3-generated");

    // 6. Open it in the decoder: verified with the sandbox's key, without typing a secret.
    b.clear(&secret);
    set_checkbox(
        &b,
        "Decode and judge",
        "Without a secret, verify with the sandbox's key",
        true,
    );
    b.click(&b.button("Open in decoder"));
    b.wait_text("verdict", "signature is verified");

    // 7. Talk to the sandbox: personalize, then fetchUser, and both in the live log.
    b.click(&b.button("Send personalize"));
    b.wait_text("replay-summary", "200");
    b.wait_text("replay-request", "Authorization: Bearer <redacted");
    b.click(&b.button("Send fetchUser"));
    b.wait_text("replay-summary", "200 OK fetch-user");
    b.wait_text(
        "log-table",
        "GET /mobile/1/appinstance/mmjwt-ui-device/user",
    );
    b.wait_text(
        "log-table",
        "POST /mobile/1/appinstance/mmjwt-ui-device/personalize",
    );
    b.wait_text("persons-table", "alice-ui");
    b.wait_text("installations-table", "mmjwt-ui-device");
    b.wait_text("sandbox-info", "jwt-only");
    b.screenshot("4-sandbox");

    // 7b. User data over the SDK's limits: refused before the token, nothing sent.
    let data = b.field("Talk to the sandbox", "saveUser body (JSON)");
    b.replace(&data, &format!(r#"{{"middleName": "{}"}}"#, "m".repeat(51)));
    b.click(&b.button("Send saveUser"));
    b.wait_text(
        "replay-summary",
        "Not sent: the SDK refuses the user data (code -10)",
    );
    b.wait_text(
        "replay-refusal",
        "middleName exceeds maximum length of 50 characters (actual: 51)",
    );
    b.wait_text("replay-response", "(nothing was sent)");

    // 8. The keyboard alone: into the user id field, Tab to Generate, Enter.
    let gen_user = b.field("Make a token", "User id");
    b.replace(&gen_user, "kbd-user");
    let mut on_generate = false;
    for _ in 0..12 {
        b.keys("\u{E004}");
        if b.script("return document.activeElement.textContent;") == "Generate" {
            on_generate = true;
            break;
        }
    }
    assert!(on_generate, "Tab reaches the Generate button");
    b.keys("\u{E007}");
    b.wait_text("gen-command", "--user-id kbd-user");

    // 8b. Edit and re-sign, from the keyboard: the decoder gets the token, Tab reaches "Edit
    //     and re-sign", Space opens it, and the claims as the token spells them are there.
    b.click(&b.button("Open in decoder"));
    b.wait_text("verdict", "signature is verified");
    // The decoder now expects kbd-user; the edit below changes the user on purpose.
    let expected_user = b.field("Decode and judge", "User id");
    b.clear(&expected_user);
    b.click(&token_field(&b));
    let before = b.script("return document.getElementById('token').value;");
    let before = before.as_str().unwrap().to_string();
    tab_to(&b, "Edit and re-sign");
    b.keys(" ");
    assert_eq!(
        b.script("return document.activeElement.getAttribute('aria-expanded');"),
        "true",
        "Space opens the editor and the button says so"
    );
    b.keys("\u{E004}");
    assert_eq!(
        b.script("return document.activeElement.labels[0].textContent;"),
        "Header (JSON)",
        "Tab goes on into the header"
    );
    let claims = b.field("Decode and judge", "Claims (JSON)");
    let shown = b.script("return document.getElementById('edit-claims').value;");
    let shown = shown.as_str().unwrap().to_string();
    assert_eq!(
        shown,
        segment_text(&before, 1),
        "the editor shows the payload exactly as the token spells it"
    );

    // 8c. An edit re-signs as it is typed (the sandbox's key, no secret typed) and the verdict
    //     follows; members keep the order they are typed in.
    let edited = format!(
        "{},\"zeta\":1,\"alpha\":2}}",
        shown
            .replace("\"kbd-user\"", "\"edited-user\"")
            .trim_end_matches('}')
    );
    b.replace(&claims, &edited);
    b.wait_text("claims-table", "edited-user");
    b.wait_text("verdict", "signature is verified");
    b.wait_text("edit-status", "Re-signed with the sandbox's key");
    let after = b.script("return document.getElementById('token').value;");
    let after = after.as_str().unwrap().to_string();
    assert_eq!(
        segment_text(&after, 1),
        edited,
        "the new payload is the text as typed, byte for byte"
    );
    assert_eq!(
        after.split('.').next(),
        before.split('.').next(),
        "the header is untouched"
    );
    b.screenshot("7-edited");

    // 8d. Invalid JSON is shown in place, with where it stops being JSON, and never becomes a
    //     token: the decoder keeps the last good one.
    b.type_into(&claims, "}");
    b.wait_text(
        "edit-claims-error",
        "not valid JSON (trailing characters at line 1 column",
    );
    b.wait_text("edit-status", "Not re-signed");
    assert_eq!(
        b.script("return document.getElementById('edit-claims').getAttribute('aria-invalid');"),
        "true"
    );
    assert_eq!(
        b.script("return document.getElementById('token').value;"),
        Value::String(after.clone()),
        "invalid JSON never reaches the decoder"
    );
    b.screenshot("8-invalid-json");
    b.replace(&claims, &edited);
    b.wait_text("edit-status", "Re-signed");
    assert_eq!(
        b.script("return document.getElementById('edit-claims-error').hidden;"),
        Value::Bool(true)
    );

    // 8e. The secret field signs when it is given; a kid the sandbox lacks needs one.
    let secret = b.field("Decode and judge", "Secret (hex)");
    b.type_into(&secret, SECRET_HEX);
    b.wait_text("edit-status", "Re-signed with the secret");
    b.wait_text("verdict", "signature is verified");
    // Emptied as a person does, key by key (the field sees every keystroke).
    b.type_into(&secret, &"\u{E003}".repeat(SECRET_HEX.len()));
    b.wait_text("edit-status", "Re-signed with the sandbox's key");
    let header = b.field("Decode and judge", "Header (JSON)");
    let header_text = segment_text(&after, 0);
    b.replace(&header, &header_text.replace(KID, "no-such-kid"));
    b.wait_text("edit-status", "not one of the sandbox's keys");
    b.replace(&header, &header_text);
    b.wait_text("edit-status", "Re-signed");
    b.wait_text("verdict", "signature is verified");
    // The browser logs each refusal above (a 400 of resign) as a failed load; nothing else.
    let (refusals, other): (Vec<_>, Vec<_>) = b.console().into_iter().partition(|(_, m)| {
        m.contains("/_mmjwt/api/resign - Failed to load resource: the server responded with a status of 400")
    });
    assert!(!refusals.is_empty(), "the refusals reached the API");
    assert!(
        other.iter().all(|(level, _)| level != "SEVERE"),
        "console errors: {other:#?}"
    );

    // 8f. Make it fail as, from the keyboard: Tab to the choice, arrow down to a kind, Tab to
    //     Generate, Enter; next to the token, what the app will see.
    b.click(&b.field("Make a token", "User id"));
    tab_to_label(&b, "Make it fail as");
    b.keys("\u{E015}");
    assert_eq!(b.script("return document.activeElement.value;"), "expired");
    tab_to(&b, "Generate");
    b.keys("\u{E007}");
    b.wait_text("gen-sees-android", "JWT_TOKEN_EXPIRED");
    b.wait_text("gen-sees-ios", "JWT_TOKEN_EXPIRED");
    b.wait_text("gen-sees-android", "PlatformException(JWT_TOKEN_EXPIRED");
    b.wait_text("gen-sees-server", "not reached");
    b.wait_text("gen-sees-branch", "case 'JWT_TOKEN_EXPIRED':");
    b.wait_text("gen-command", "--break expired");
    b.screenshot("9-fail-expired");
    b.click(&b.field("Make a token", "User id"));
    tab_to_label(&b, "Make it fail as");
    b.keys("\u{E015}\u{E015}");
    assert_eq!(
        b.script("return document.activeElement.value;"),
        "signature"
    );
    tab_to(&b, "Generate");
    b.keys("\u{E007}");
    b.wait_text("gen-sees-server", "answers 401 SIGNATURE_INVALID");
    b.wait_text("gen-sees-android", "accepts the token");
    b.wait_text("gen-sees-branch", "default: (the server's refusal)");
    let command = b.wait_text("gen-command", "--break signature");
    let page_token = b.text(&b.element("//*[@id='gen-token']"));
    assert_eq!(
        run_shell(&command).trim(),
        page_token.trim(),
        "the broken token is byte for byte what the page's mmjwt gen --break command makes"
    );
    b.screenshot("10-fail-signature");

    // 9. Every control has a visible label.
    let unlabelled = b.script(
        "return [...document.querySelectorAll('input, select, textarea')].filter(e => { const l = document.querySelector(`label[for=\"${e.id}\"]`); return !l || l.textContent.trim() === '' || l.offsetParent === null; }).map(e => e.id);",
    );
    assert_eq!(
        unlabelled,
        Value::Array(vec![]),
        "controls without a visible label"
    );

    // 10. The secret is in no URL, storage or log.
    let seen = b.script(
        "return JSON.stringify([location.href, document.cookie, localStorage.length, sessionStorage.length, performance.getEntries().map(e => e.name), document.getElementById('log-table').textContent]);",
    );
    let seen = seen.as_str().unwrap();
    for s in [SECRET_HEX, WRONG_HEX] {
        assert!(!seen.contains(s), "a secret leaked: {seen}");
    }
    // Nor is a re-signed token (its signature) in a URL, storage or the log.
    let edited_signature = after.rsplit('.').next().unwrap();
    assert!(
        !seen.contains(edited_signature),
        "the edited token leaked: {seen}"
    );
    let parsed: Value = serde_json::from_str(seen).unwrap();
    assert_eq!(parsed[1], "", "no cookies");
    assert_eq!(parsed[2], 0, "nothing in localStorage");
    assert_eq!(parsed[3], 0, "nothing in sessionStorage");

    // 11. From 360 px wide: nothing wider than the window.
    b.resize(360, 800);
    let w = b.script("return [window.innerWidth, document.documentElement.scrollWidth];");
    let (inner, scroll) = (w[0].as_i64().unwrap(), w[1].as_i64().unwrap());
    assert!(inner <= 400, "the window is narrow ({inner} px)");
    assert!(
        scroll <= inner,
        "the page scrolls sideways at {inner} px: {scroll} px wide"
    );
    b.screenshot("5-narrow");
    b.resize(1280, 1800);

    // No console errors so far (CSP violations included).
    assert_console_clean(&b);

    // 12. The secret-as-text mistake, named (the pitfall codes of the check report).
    let as_text = mint(
        HmacKey::new(SECRET_HEX.as_bytes()),
        "alice",
        now() - 10,
        now() + 600,
    );
    b.clear(&b.field("Decode and judge", "User id"));
    b.replace(&token_field(&b), &as_text);
    b.type_into(&secret, SECRET_HEX);
    b.wait_text("report", "SECRET_USED_AS_TEXT");
    b.clear(&secret);

    // 13. Flutter's PlatformException for the expired token (the plugin views).
    b.replace(&token_field(&b), &expired);
    b.wait_text("sdk-android", "PlatformException(JWT_TOKEN_EXPIRED");
    b.wait_text("sdk-ios", "PlatformException(JWT_TOKEN_EXPIRED");
    b.screenshot("6-plugins");

    // 14. No console errors, CSP violations included.
    assert_console_clean(&b);

    // 15. The policy holds in the browser: an injected inline script does not run, and the
    //     violation is on the console (so step 14 would have seen one).
    let ran = b.script(
        "const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.body.append(s); return window.inlineRan === true;",
    );
    assert_eq!(ran, Value::Bool(false), "inline script ran despite the CSP");
    let said = b.console();
    assert!(
        said.iter()
            .any(|(_, m)| m.contains("Content Security Policy")),
        "the violation is reported: {said:?}"
    );
}

/// Presses Tab until the focused control's label reads `label` (at most 30 times).
fn tab_to_label(b: &Browser, label: &str) {
    for _ in 0..30 {
        b.keys("\u{E004}");
        let said = b.script(
            "const l = document.activeElement.labels; return l && l.length ? l[0].textContent : null;",
        );
        if said == label {
            return;
        }
    }
    panic!("Tab never reaches the control labelled {label:?}");
}

/// Runs a command the page shows, with the built mmjwt first on PATH and the test secret in
/// the environment; its stdout.
fn run_shell(command: &str) -> String {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_mmjwt"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("PATH", path)
        .env("MMJWT_SECRET", SECRET_HEX)
        .env_remove("MMJWT_APP_CODE")
        .env_remove("MMJWT_KEY_ID")
        .output()
        .unwrap();
    assert!(out.status.success(), "{command}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Presses Tab until the focused element reads `text` (at most 30 times).
fn tab_to(b: &Browser, text: &str) {
    for _ in 0..30 {
        b.keys("\u{E004}");
        if b.script("return document.activeElement.textContent;") == text {
            return;
        }
    }
    panic!("Tab never reaches {text:?}");
}

/// A token's segment `i` decoded to text.
fn segment_text(token: &str, i: usize) -> String {
    use base64::Engine as _;
    let part = token.split('.').nth(i).unwrap();
    String::from_utf8(
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap(),
    )
    .unwrap()
}

fn assert_console_clean(b: &Browser) {
    let bad: Vec<(String, String)> = b
        .console()
        .into_iter()
        .filter(|(level, msg)| level == "SEVERE" || msg.contains("Content Security Policy"))
        .collect();
    assert!(bad.is_empty(), "console errors: {bad:#?}");
}
