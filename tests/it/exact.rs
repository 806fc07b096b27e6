//! The string exactly as the app passes it: `--exact` on the argument and on stdin (spec 4.5's
//! cases: a lone NBSP, a leading space, `h.p.` plus an NBSP, `Bearer eyJ...`), and without it
//! the `AS_GIVEN_REFUSED` warning when the cleaning hid an SDK's refusal.

use crate::support::*;
use serde_json::Value;

const NOW: i64 = 1_700_000_000;
const HEADER_MSG: &str = "Token header is not a valid Base64 encoded JSON object.";

fn token() -> String {
    signed(HEADER, &payload("alice", NOW - 10, NOW + 900), &test_key())
}

/// `check --json [--exact]` on `raw`, as the argument or as one stdin line ending in `eol`.
fn run(raw: &str, exact: bool, stdin_eol: Option<&str>) -> Value {
    let mut c = mmjwt();
    c.args(["check", "--json", "--now", &NOW.to_string()]);
    if exact {
        c.arg("--exact");
    }
    match stdin_eol {
        None => {
            c.arg(raw);
        }
        Some(eol) => {
            c.arg("-").write_stdin(format!("{raw}{eol}"));
        }
    }
    let out = c.output().unwrap();
    json_out(&out)
}

/// Every way in: argument, stdin with `\n`, stdin with `\r\n`, stdin without a final newline.
fn each_way(raw: &str, exact: bool, f: impl Fn(&str, &Value)) {
    for (how, eol) in [
        ("argument", None),
        ("stdin \\n", Some("\n")),
        ("stdin \\r\\n", Some("\r\n")),
        ("stdin, no newline", Some("")),
    ] {
        f(how, &run(raw, exact, eol));
    }
}

fn verdict(v: &Value, sdk: &str) -> (bool, String) {
    let s = &v["sdk"][sdk];
    (
        s["accepted"].as_bool().unwrap(),
        s["message"].as_str().unwrap_or("").to_string(),
    )
}

fn warning_codes(v: &Value) -> Vec<String> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn exact_lone_nbsp_android_parts_ios_blank() {
    each_way("\u{a0}", true, |how, v| {
        assert_eq!(
            verdict(v, "android"),
            (
                false,
                "Token must have three parts separated by dots.".into()
            ),
            "{how}"
        );
        assert_eq!(
            verdict(v, "ios"),
            (false, "Token is empty or blank.".into()),
            "{how}"
        );
        assert_eq!(v["input"]["length"], 2, "{how}: NBSP is two bytes");
    });
}

#[test]
fn exact_leading_space_ios_refuses_android_skips_it() {
    each_way(&format!(" {}", token()), true, |how, v| {
        assert_eq!(verdict(v, "android"), (true, String::new()), "{how}");
        assert_eq!(verdict(v, "ios"), (false, HEADER_MSG.into()), "{how}");
        assert!(
            v["input"]["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == "the string starts with U+0020"),
            "{how}: {}",
            v["input"]
        );
    });
}

#[test]
fn exact_h_p_dot_nbsp_has_three_parts() {
    let t = token();
    let hp = &t[..=t.rfind('.').unwrap()];
    let raw = format!("{hp}\u{a0}");
    each_way(&raw, true, |how, v| {
        assert_eq!(verdict(v, "android"), (true, String::new()), "{how}");
        assert_eq!(verdict(v, "ios"), (true, String::new()), "{how}");
    });
    // Cleaned, the NBSP goes and "h.p." has two parts: the cleaning is what refuses it.
    let v = run(&raw, false, None);
    assert_eq!(
        verdict(&v, "android"),
        (
            false,
            "Token must have three parts separated by dots.".into()
        )
    );
}

#[test]
fn exact_bearer_prefix_is_refused_by_both_sdks() {
    each_way(&format!("Bearer {}", token()), true, |how, v| {
        assert_eq!(verdict(v, "android"), (false, HEADER_MSG.into()), "{how}");
        assert_eq!(verdict(v, "ios"), (false, HEADER_MSG.into()), "{how}");
        assert_eq!(v["exit_code"], 10, "{how}");
        assert!(warning_codes(v).is_empty(), "{how}: nothing was cleaned");
    });
}

#[test]
fn exact_keeps_trailing_spaces_but_never_the_line_ending() {
    let raw = format!("{}  ", token());
    each_way(&raw, true, |how, v| {
        assert_eq!(v["input"]["length"], raw.len(), "{how}");
        // Neither SDK decodes the signature, so both accept; the server layer does not.
        assert_eq!(verdict(v, "android"), (true, String::new()), "{how}");
        assert_eq!(verdict(v, "ios"), (true, String::new()), "{how}");
        assert!(
            codes(v).contains(&"NOT_CANONICAL_BASE64URL".to_string()),
            "{how}"
        );
    });
    each_way(&token(), true, |how, v| {
        assert_eq!(v["valid"], true, "{how}: {v}");
    });
}

#[test]
fn without_exact_bearer_prefix_warns_as_given_refused_for_both() {
    each_way(&format!("Bearer {}", token()), false, |how, v| {
        assert_eq!(v["valid"], true, "{how}: the cleaned token is fine");
        assert_eq!(
            warning_codes(v),
            ["AS_GIVEN_REFUSED", "AS_GIVEN_REFUSED"],
            "{how}"
        );
        let w = &v["warnings"];
        let android = w[0]["message"].as_str().unwrap();
        let ios = w[1]["message"].as_str().unwrap();
        assert!(
            android.starts_with("Android refuses the string as given"),
            "{android}"
        );
        assert!(ios.starts_with("iOS refuses the string as given"), "{ios}");
        for m in [android, ios] {
            assert!(m.contains(HEADER_MSG), "{m}");
            assert!(m.contains("'Bearer ' prefix removed"), "{m}");
            assert!(
                m.ends_with("fix: pass only the token to setUserDataJwt"),
                "{m}"
            );
        }
    });
}

#[test]
fn without_exact_leading_space_warns_for_ios_only() {
    let v = run(&format!(" {}", token()), false, None);
    assert_eq!(warning_codes(&v), ["AS_GIVEN_REFUSED"]);
    assert!(
        v["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("iOS ")
    );
    // --sdk android: Android skips the space, so nothing to say.
    let out = mmjwt()
        .args([
            "check",
            "--json",
            "--sdk",
            "android",
            "--now",
            &NOW.to_string(),
        ])
        .arg(format!(" {}", token()))
        .output()
        .unwrap();
    assert!(warning_codes(&json_out(&out)).is_empty());
}

#[test]
fn without_exact_a_clean_token_gets_no_warning_and_a_trailing_newline_none() {
    // Trailing whitespace changes no SDK's answer: neither decodes the signature.
    for raw in [token(), format!("{}\n", token()), format!("{}  ", token())] {
        let v = run(&raw, false, None);
        assert!(warning_codes(&v).is_empty(), "{raw:?}: {}", v["warnings"]);
    }
}

#[test]
fn human_report_shows_the_warning_with_its_code() {
    let out = mmjwt()
        .args(["check", "--now", &NOW.to_string()])
        .arg(format!("Bearer {}", token()))
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("\nwarnings\n  ! AS_GIVEN_REFUSED Android refuses the string as given"),
        "{s}"
    );
}

#[test]
fn stdin_nbsp_line_is_a_token_only_with_exact() {
    let out = mmjwt()
        .args(["check", "--json", "-"])
        .write_stdin("\u{a0}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "blank once cleaned: no token");
    let out = mmjwt()
        .args(["check", "--json", "--exact", "-"])
        .write_stdin("\n\u{a0}\n\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(10));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "every line is a token with --exact, empty ones included"
    );
    assert_eq!(lines[1]["input"]["line"], 2);
}

/// The lines people read: the warnings section for a `Bearer `-prefixed short-lived token, and
/// the input notes of `--exact`.
#[test]
fn snapshot_warnings_section_and_exact_notes() {
    let t = signed(HEADER, &payload("alice", NOW - 10, NOW + 20), &test_key());
    let out = mmjwt()
        .args(["check", "--now", &NOW.to_string()])
        .arg(format!("Bearer {t}"))
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    let start = s.find("\nwarnings\n").unwrap() + 1;
    let end = s.find("\nverdict ").unwrap();
    let warnings = &s[start..=end];
    let want = "warnings
  ! SHORT_LIFETIME the token lives only 30s (exp - iat): it can expire between the SDK's check and a retry of the call; fix: issue it for a few minutes at least (mmjwt gen defaults to 15m)
  ! AS_GIVEN_REFUSED Android refuses the string as given before mmjwt's cleaning ('Bearer ' prefix removed): JWT_TOKEN_STRUCTURE_INVALID \"Token header is not a valid Base64 encoded JSON object.\"; fix: pass only the token to setUserDataJwt
  ! AS_GIVEN_REFUSED iOS refuses the string as given before mmjwt's cleaning ('Bearer ' prefix removed): JWT_TOKEN_STRUCTURE_INVALID \"Token header is not a valid Base64 encoded JSON object.\"; fix: pass only the token to setUserDataJwt
";
    assert_eq!(warnings, want);

    let out = mmjwt()
        .args(["check", "--exact", "--now", &NOW.to_string()])
        .arg(format!("Bearer {t}\u{a0}"))
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    let notes: Vec<&str> = s.lines().filter(|l| l.starts_with("input ")).collect();
    assert_eq!(
        notes,
        [
            "input    judged exactly as given (--exact)",
            "input    the string ends with U+00A0",
            "input    the string carries an HTTP scheme or header name, not only the token",
        ]
    );
}
