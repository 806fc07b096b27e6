//! The Android emulation against the real thing: `tests/java/AndroidJwtOracle.java` runs the
//! SDK's `isValidJwt` on a JVM with Android's own org.json (Debian's `libandroid-json-java`, AOSP
//! libcore) and the JDK's number parsing, over the whole corpus and thousands of generated
//! tokens aimed at where Java's standard library is more liberal than JSON (spec 4.5). Every
//! verdict and message, and the `exp` that `getLong` read, must agree with `sdk::android`.
//!
//! All requests go through one JVM (one line each way): the whole comparison takes a few
//! seconds. Without a JDK or the jar the tests print what they skipped and pass, except under
//! `CI=true`, where they fail.

use crate::support::b64;
use crate::support::oracle;
use crate::support::splitmix::SplitMix;
use mmjwt::problem::Warn;
use mmjwt::sdk::{Parsed, SdkVerdict, android};
use mmjwt::token::check::{Options, check};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const NOW: i64 = 1_700_000_000;
/// Generated inputs per run; the seed is fixed, so every run judges the same tokens.
const GENERATED: usize = 12_000;
const SEED: u64 = 0x6d6d_6a77_742d_3131;
const PACKAGES: &str = "openjdk-17-jdk-headless libandroid-json-java";

/// Where Debian puts Android's org.json (the first that exists wins).
const JARS: [&str; 3] = [
    "/usr/share/java/com.android.json.jar",
    "/usr/share/java/android-json.jar",
    "/usr/share/java/com.android.json-android-10.0.0.jar",
];

/// The compiled helper and the class path to run it with.
struct Oracle {
    classpath: String,
}

/// The helper compiled once per test run (the tests share it), or why it cannot be.
fn oracle(test: &str) -> Option<&'static Oracle> {
    static ORACLE: OnceLock<Result<Oracle, String>> = OnceLock::new();
    match ORACLE.get_or_init(compile) {
        Ok(o) => Some(o),
        Err(what) => {
            let line = format!(
                "android_differential::{test}: SKIPPED: {what}; install it with `apt-get install {PACKAGES}` to run it"
            );
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{line} (CI=true: the differential test must run in CI)"
            );
            // Straight to the process's stderr: the test harness would swallow `eprintln!`
            // from a passing test, and a skip must be seen.
            let _ = writeln!(std::io::stderr(), "{line}");
            None
        }
    }
}

/// Compiles the helper into the tests' scratch directory, or says what is missing.
fn compile() -> Result<Oracle, String> {
    for tool in ["javac", "java"] {
        if Command::new(tool).arg("-version").output().is_err() {
            return Err(format!("`{tool}` is not installed"));
        }
    }
    let Some(jar) = JARS.iter().map(Path::new).find(|p| p.is_file()) else {
        return Err("Android's org.json (libandroid-json-java) is not installed".into());
    };
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("android-oracle");
    std::fs::create_dir_all(&out).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/java/AndroidJwtOracle.java");
    let compiled = Command::new("javac")
        .args(["-encoding", "UTF-8", "-nowarn", "-cp"])
        .arg(jar)
        .arg("-d")
        .arg(&out)
        .arg(&source)
        .output()
        .unwrap();
    // A helper that does not compile is a failure, not a skip.
    assert!(
        compiled.status.success(),
        "javac failed: {}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    Ok(Oracle {
        classpath: format!("{}:{}", out.display(), jar.display()),
    })
}

/// One token for the JVM: judged at `now`, on a thread with `stack_kib` KiB of stack (0: large).
struct Request {
    now: i64,
    stack_kib: u32,
    token: String,
}

impl Oracle {
    /// The helper's answer line for each request, in order.
    fn run(&self, requests: &[Request]) -> Vec<String> {
        let mut java = Command::new("java");
        java.args(["-Dfile.encoding=UTF-8", "-Xshare:auto", "-cp"])
            .arg(&self.classpath)
            .arg("AndroidJwtOracle");
        oracle::exchange(
            java,
            "Java",
            requests
                .iter()
                .map(|r| (format!("{}\t{}", r.now, r.stack_kib), r.token.as_bytes())),
        )
    }
}

/// `sdk::android`'s verdict in the helper's words, with the `exp` it read: comparing that too
/// checks every number conversion, not only the ones that happen to land near now.
fn answer(a: &android::Analysis) -> String {
    let v = &a.verdict;
    let exp = a.exp.map_or_else(|| "null".to_owned(), |e| e.to_string());
    match (v.accepted, v.code, &v.message) {
        (true, _, _) => format!("ACCEPTED\t{exp}"),
        (false, Some(mmjwt::problem::Code::Expired), Some(m)) => format!("EXPIRED\t{m}\t{exp}"),
        (false, Some(mmjwt::problem::Code::StructureInvalid), Some(m)) => {
            format!("STRUCTURE\t{m}")
        }
        other => panic!("an Android verdict with no SDK code: {other:?}"),
    }
}

#[test]
fn android_emulation_agrees_with_the_real_org_json() {
    let Some(oracle) = oracle("android_emulation_agrees_with_the_real_org_json") else {
        return;
    };
    let mut requests: Vec<Request> = crate::corpus::cases()
        .into_iter()
        .map(|c| Request {
            now: c.now,
            stack_kib: 0,
            token: c.token,
        })
        .collect();
    let corpus = requests.len();
    let mut g = Gen::new(SEED);
    requests.extend((0..GENERATED).map(|_| Request {
        now: NOW,
        stack_kib: 0,
        token: g.token(),
    }));
    let answers = oracle.run(&requests);

    let mut disagreements = Vec::new();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for (r, java) in requests.iter().zip(&answers) {
        let ours = answer(&android::analyse(&r.token, r.now, &Parsed::default()));
        *kinds
            .entry(java.split('\t').next().unwrap().to_owned())
            .or_default() += 1;

        if ours != *java {
            disagreements.push(format!(
                "  token {:?}\n    java:  {java}\n    mmjwt: {ours}",
                r.token
            ));
        }
    }
    let agree = requests.len() - disagreements.len();
    eprintln!(
        "android differential: {} inputs ({corpus} corpus, {GENERATED} generated), {agree} agree, {} disagree; Java's verdicts: {kinds:?}",
        requests.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} inputs disagree with the real org.json; the first ones:\n{}",
        disagreements.len(),
        requests.len(),
        disagreements[..disagreements.len().min(15)].join("\n")
    );
    // The generator must reach the corners it is for: every verdict kind, many times.
    for kind in ["ACCEPTED", "STRUCTURE", "EXPIRED"] {
        assert!(
            kinds.get(kind).copied().unwrap_or(0) >= 500,
            "too few {kind} verdicts: {kinds:?}"
        );
    }
}

/// A token whose payload holds `depth` nested arrays, and is still under the size cap.
fn deep_token(depth: usize) -> String {
    let payload = format!(
        r#"{{"typ":"Bearer","sub":"u","infobip-api-key":"a","iat":{NOW},"exp":{},"jti":"j","n":{}1{}}}"#,
        NOW + 60,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    format!(
        "{}.{}.sig",
        b64(r#"{"alg":"HS256","typ":"JWT","kid":"k"}"#),
        b64(&payload)
    )
}

/// Deep nesting: the real parser has no limit but the stack. With a large stack it accepts what
/// mmjwt accepts; with a small one it dies of StackOverflowError, and that is the case
/// `check` warns about.
#[test]
fn deep_nesting_overflows_a_small_stack_and_check_warns() {
    let Some(oracle) = oracle("deep_nesting_overflows_a_small_stack_and_check_warns") else {
        return;
    };
    let depth = 2_600;
    let token = deep_token(depth);
    assert!(
        token.len() <= mmjwt::token::MAX_TOKEN_BYTES,
        "{}",
        token.len()
    );
    let answers = oracle.run(&[
        Request {
            now: NOW,
            stack_kib: 0,
            token: token.clone(),
        },
        Request {
            now: NOW,
            stack_kib: 160,
            token: token.clone(),
        },
    ]);
    assert_eq!(answers[0], format!("ACCEPTED\t{}", NOW + 60));
    assert_eq!(answers[1], "STACK_OVERFLOW");

    let report = check(&token, &Options::at(NOW));
    assert_eq!(
        report.sdk[mmjwt::sdk::Platform::Android],
        Some(SdkVerdict::accepted())
    );
    let warning = report
        .warnings
        .iter()
        .find(|w| w.code == Warn::AndroidStackRisk)
        .expect("a stack-risk warning");
    assert!(
        warning
            .message
            .starts_with(&format!("the payload nests {} levels deep;", depth + 1)),
        "{warning:?}"
    );
}

#[test]
fn stack_risk_starts_at_its_documented_depth() {
    let risky = |depth: usize| {
        check(&deep_token(depth), &Options::at(NOW))
            .warnings
            .iter()
            .any(|w| w.code == Warn::AndroidStackRisk)
    };
    // The payload object counts too: n arrays in a member are n + 1 levels.
    assert!(!risky(android::STACK_RISK_DEPTH - 2));
    assert!(risky(android::STACK_RISK_DEPTH - 1));
    assert!(!risky(3));
}

/// The warning as people read it, in the text report and in `--json`; it changes no exit code.
#[test]
fn check_shows_the_stack_risk_warning() {
    let header = format!(
        r#"{{"alg":"HS256","typ":"JWT","kid":"k","x":{}{}}}"#,
        "[".repeat(299),
        "]".repeat(299)
    );
    let token = format!(
        "{}.{}.sig",
        b64(&header),
        b64(&crate::support::payload("u", NOW, NOW + 60))
    );
    let expected = "the header nests 300 levels deep; Android's org.json recurses once per level and has no limit of its own, so on a device the calling thread may die of StackOverflowError instead of getting the Android verdict shown; keep headers and payloads flat (real tokens nest 1 or 2 levels)";
    let at = format!("--now={NOW}");
    let out = crate::support::mmjwt()
        .args(["check", &at, "--sdk", "android", &token])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("  android  accepted\n"), "{text}");
    assert!(
        text.contains(&format!("warnings\n  ! ANDROID_STACK_RISK {expected}\n")),
        "{text}"
    );
    let out = crate::support::mmjwt()
        .args(["check", "--json", &at, &token])
        .output()
        .unwrap();
    let v = crate::support::json_out(&out);
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| *w == serde_json::json!({"code": "ANDROID_STACK_RISK", "message": expected})),
        "{v}"
    );
    // The server layer refuses the token for its nesting alone (strict JSON allows 128
    // levels, JSONSerialization 512); the warning adds nothing to the exit code.
    assert_eq!(v["exit_code"], 10, "{v}");
    assert_eq!(out.status.code(), Some(10));
    assert_eq!(
        crate::support::codes(&v),
        ["JWT_TOKEN_STRUCTURE_INVALID"],
        "the server refuses, both SDKs accept: {v}"
    );
}

// ---------------------------------------------------------------------------------------------
// The generator: deterministic tokens aimed at Java's corners.

/// splitmix64: small, deterministic, good enough to spread choices.
struct Gen(u64);

impl SplitMix for Gen {
    fn state(&mut self) -> &mut u64 {
        &mut self.0
    }
}

/// Decimal digit zeros of several scripts (ASCII, Arabic-Indic, Extended Arabic-Indic,
/// Devanagari, Bengali, Thai, Myanmar, Mongolian, fullwidth) and lookalikes that are not Nd
/// digits (superscript, circled, Roman numeral one, mathematical bold zero outside the BMP).
const ZEROS: [u32; 9] = [
    0x30, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0x1040, 0x1810, 0xFF10,
];
const NOT_DIGITS: [&str; 6] = ["²", "①", "Ⅰ", "\u{1D7CE}", "\u{1D7CF}", "٫"];

impl Gen {
    fn new(seed: u64) -> Self {
        Gen(seed)
    }

    /// ASCII decimal digits rewritten digit by digit in a script chosen per token or per
    /// digit, sometimes with a lookalike that is no digit.
    fn script_digits(&mut self, ascii: &str) -> String {
        let mixed = self.chance(30);
        let mut zero = *self.pick(&ZEROS);
        let mut out = String::new();
        for c in ascii.chars() {
            if !c.is_ascii_digit() {
                out.push(c);
                continue;
            }
            if mixed {
                zero = *self.pick(&ZEROS);
            }
            if self.chance(2) {
                out.push_str(self.pick_str(&NOT_DIGITS));
            } else {
                out.push(char::from_u32(zero + c.to_digit(10).unwrap()).unwrap());
            }
        }
        out
    }

    /// Hex digits, sometimes in fullwidth or mixed case.
    fn hex_digits(&mut self, value: u64, min_len: usize) -> String {
        let plain = format!("{value:0min_len$x}");
        let style = self.below(4);
        plain
            .chars()
            .map(|c| match (style, c) {
                (1, c) => c.to_ascii_uppercase(),
                (2, c) if c.is_ascii_alphanumeric() => fullwidth(c),
                (3, c) if self.chance(50) => fullwidth(c.to_ascii_uppercase()),
                (_, c) => c,
            })
            .collect()
    }

    /// An integer near now (or anywhere), so expiry is decided either way.
    fn near_now(&mut self) -> i64 {
        match self.below(6) {
            0 => NOW,
            1 => NOW - 1,
            2 => NOW + 1,
            3 => NOW + self.below(100_000) as i64 - 50_000,
            4 => (self.next() >> self.below(64)) as i64,
            _ => -(self.below(1000) as i64),
        }
    }

    /// Text that org.json or `Double.parseDouble` might read as a number, or almost.
    fn number_text(&mut self) -> String {
        let n = self.near_now();
        match self.below(17) {
            0 => n.to_string(),
            1 | 2 => self.script_digits(&n.to_string()),
            3 => format!("0x{}", self.hex_digits(n.unsigned_abs(), 1)),
            4 => format!(
                "{}0x{}",
                self.pick(&["-", "+", ""]),
                self.hex_digits(n.unsigned_abs(), 1)
            ),
            5 => format!("0x-{}", self.hex_digits(n.unsigned_abs(), 1)),
            6 => format!("0{:o}", n.unsigned_abs()),
            7..=9 => self.hex_float(),
            10 => {
                let f = n as f64 + self.below(1000) as f64 / 1000.0;
                let s = match self.below(4) {
                    0 => format!("{f}"),
                    1 => format!("{f:e}"),
                    2 => format!("{f:E}"),
                    _ => format!("{:.3}", f / 1e9) + "e9",
                };
                s + *self.pick(&["", "", "d", "f", "D", "F", "x"])
            }
            11 => (*self.pick(&[
                "NaN",
                "-NaN",
                "Infinity",
                "-Infinity",
                "+Infinity",
                "nan",
                "INFINITY",
                "1e",
                ".",
                ".5",
                "5.",
                "1..2",
                "0x",
                "0X1P",
                "1e999",
                "-1e999",
                "4.9e-324",
                "0.0",
                "-0",
            ]))
            .to_owned(),
            12 => (*self.pick(&[
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775808",
                "-9223372036854775809",
                "18446744073709551616",
                "0x7fffffffffffffff",
                "0x8000000000000000",
                "0777777777777777777777",
                "01000000000000000000000",
                "08",
                "0x1p63",
                "0x1p64",
                "-0x1p63",
            ]))
            .to_owned(),
            13 => format!(
                "{n}{}",
                self.pick(&["\u{1}", "\u{b}", "\u{1f}", "\u{7f}", "\u{a0}"])
            ),
            14 => {
                let text = format!("{}.{}", n, self.below(100));
                self.script_digits(&text)
            }
            15 => self.script_digits(&format!("{n}e0")),
            // Past 2^53 a double cannot hold every integer: how the JDK rounds decides the
            // long that getLong returns.
            _ => {
                let big = if self.chance(50) {
                    // In [2^53, 2^54) an odd integer is exactly halfway between two doubles.
                    (self.next() >> 11) | (1 << 53) | 1
                } else {
                    (self.next() >> self.below(11)) | (1 << 53)
                };
                let frac = self.pick_str(&[
                    ".0",
                    ".5",
                    ".4999999999999999999",
                    "e0",
                    ".00000000000000000001",
                ]);
                format!("{big}{frac}")
            }
        }
    }

    /// A hexadecimal floating-point literal, usually well formed, sometimes not.
    fn hex_float(&mut self) -> String {
        let sign = *self.pick(&["", "", "-", "+"]);
        let x = *self.pick(&["0x", "0X"]);
        let (mantissa, exp): (String, i64) = match self.below(6) {
            // Exact ties and near ties at 53 bits, in the range of a long: the rounding
            // (to nearest, ties to even) shows in getLong.
            5 if self.chance(50) => {
                let q = (self.next() >> 11) | (1 << 52);
                let tail = self.pick(&[0x8, 0x8, 0x9, 0x7]);
                let m = (u128::from(q) << 4) | tail;
                (format!("{m:x}"), self.below(6) as i64)
            }
            // Long significands in the range of a long.
            5 => {
                let (a, b) = (self.next(), self.next());
                let m = self.hex_digits(a | (1 << 63), 16) + &self.hex_digits(b, 16);
                (m, self.below(12) as i64 - 76)
            }
            // Around now: 0x1.95...p30 and friends.
            0 => {
                let n = self.near_now().unsigned_abs().max(1);
                let bits = 64 - n.leading_zeros() as usize;
                let frac = if bits > 1 {
                    n & ((1 << (bits - 1)) - 1)
                } else {
                    0
                };
                let width = (bits - 1).div_ceil(4);
                let frac = frac << (width * 4 - (bits - 1));
                (
                    format!("1.{}", self.hex_digits(frac, width)),
                    bits as i64 - 1,
                )
            }
            1 => ("1".into(), 31),
            2 => {
                let v = self.next() >> 4;
                (
                    format!(".{}", self.hex_digits(v, 15)),
                    self.below(80) as i64,
                )
            }
            3 => {
                let shift = self.below(64);
                let v = self.next() >> shift;
                (
                    format!("{}.", self.hex_digits(v, 1)),
                    self.below(40) as i64 - 20,
                )
            }
            _ => {
                let (a, b) = (self.next(), self.next());
                let m = self.hex_digits(a, 16) + &self.hex_digits(b, 16);
                (m, self.below(2200) as i64 - 1100)
            }
        };
        let p = *self.pick(&["p", "P"]);
        let exp = match self.below(12) {
            0 => "99999999999".to_owned(),
            1 => "-99999999999".to_owned(),
            2 => format!("+{exp}"),
            3 => self.script_digits(&exp.to_string()),
            _ => exp.to_string(),
        };
        let suffix = *self.pick(&["", "", "", "d", "f", "D", "F", "dd", "L"]);
        let body = format!("{sign}{x}{mantissa}{p}{exp}{suffix}");
        match self.below(20) {
            0 => body.replace(p, ""),
            1 => body.replacen('.', "..", 1),
            _ => body,
        }
    }

    /// A JSON value for a member that is not looked at: anything org.json may accept or refuse.
    fn filler_value(&mut self) -> String {
        match self.below(10) {
            0 => self.number_text(),
            1 => self.word(),
            2 => "\"x\"".into(),
            3 => format!("'{}'", self.number_text()),
            4 => self.nested(),
            5 => (*self.pick(&[
                "NaN",
                "Infinity",
                "0x1p99999",
                "-1e999",
                "[NaN]",
                "{\"a\":NaN}",
            ]))
            .to_owned(),
            _ => "1".into(),
        }
    }

    /// null, true and false as equalsIgnoreCase sees them, and near misses.
    fn word(&mut self) -> String {
        (*self.pick(&[
            "null",
            "NULL",
            "NuLl",
            "true",
            "TRUE",
            "True",
            "false",
            "FALSE",
            "falſe",
            "FALſE",
            "nuǉ",
            "tru",
            "truee",
            "ﬁlse",
            "İnull",
            "ɴull",
            "ｔｒｕｅ",
        ]))
        .to_owned()
    }

    /// Nested arrays and objects, mostly shallow, sometimes deep, sometimes broken at the
    /// bottom.
    fn nested(&mut self) -> String {
        let depth = match self.below(20) {
            0 => 200 + self.below(2_400),
            1..=3 => 20 + self.below(300),
            _ => 1 + self.below(6),
        };
        let inner = match self.below(8) {
            0 => "1 2".to_owned(),
            1 => "NaN".to_owned(),
            2 => String::new(),
            _ => "1".to_owned(),
        };
        if self.chance(50) {
            let close = if self.chance(5) { depth - 1 } else { depth };
            format!("{}{inner}{}", "[".repeat(depth), "]".repeat(close))
        } else {
            format!("{}{}{}", "{\"a\":".repeat(depth), inner, "}".repeat(depth))
        }
    }

    /// `text` with some characters as `\u` escapes written in any script's digits and
    /// fullwidth hex letters, with a sign, or (rarely) malformed.
    fn escaped(&mut self, text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            if self.chance(40) {
                let hex = match self.below(12) {
                    0..=2 => format!("{:04x}", c as u32),
                    3 | 4 => format!("{:04X}", c as u32),
                    5 => format!("+{:03x}", c as u32),
                    6 => format!("{:03x}", c as u32),
                    _ => self.hex_digits(u64::from(c as u32), 4),
                };
                out.push_str("\\u");
                out.push_str(&self.script_digits(&hex));
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Whitespace and comments as org.json skips them, or (for `\f`, `\u{b}` and NBSP) does
    /// not.
    fn gap(&mut self) -> &'static str {
        if self.chance(96) {
            return "";
        }
        if self.chance(80) {
            return self.pick_str(&[" ", "\t", "\n", "\r\n", "/* c */", "// c\n", "# c\n"]);
        }
        self.pick_str(&[
            " ", "\t", "\n", "\r\n", "/* c */", "// c\n", "# c\n", "\u{c}", "\u{b}", "\u{a0}", "/*",
        ])
    }

    /// A member name as written: plain, unquoted, single-quoted, or with some characters as
    /// `\u` escapes in any script's digits and fullwidth hex letters.
    fn name(&mut self, name: &str) -> String {
        match self.below(10) {
            0 => name.to_owned(),
            1 => format!("'{name}'"),
            2 | 3 => format!("\"{}\"", self.escaped(name)),
            4 if self.chance(30) => {
                // A name that is really a number or a boolean (and so no name at all), or a
                // lookalike that does not match.
                (*self.pick(&[
                    "٣",
                    "NULL",
                    "falſe",
                    "0x1p3",
                    "ｅｘｐ",
                    "Exp",
                    "\"ex\\u0070\"",
                ]))
                .to_owned()
            }
            _ => format!("\"{name}\""),
        }
    }

    /// One object: the given members in random order, sometimes one missing or repeated, with
    /// lenient separators and junk members.
    fn object(&mut self, members: &[(&str, String)]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (name, value) in members {
            if self.chance(3) {
                continue;
            }
            let sep = *self.pick(&[":", ":", ":", "=", "=>", " : "]);
            let (a, b, c) = (self.gap(), self.gap(), self.gap());
            parts.push(format!("{a}{}{b}{sep}{c}{value}", self.name(name)));
        }
        if self.chance(30) {
            let value = self.filler_value();
            parts.push(format!("{}:{value}", self.name("n")));
        }
        if self.chance(10) {
            let i = self.below(parts.len().max(1));
            let extra = format!("\"exp\":{}", self.exp_value());
            parts.insert(i.min(parts.len()), extra);
        }
        let sep = *self.pick(&[",", ",", ",", ";", ", "]);
        let mut text = format!("{{{}}}", parts.join(sep));
        if self.chance(5) {
            text.push_str(self.pick_str(&[" trailing", "}", "\u{0}", "]"]));
        }
        if self.chance(3) {
            text.insert(0, '\u{FEFF}');
        }
        text
    }

    /// exp as written: a number-ish literal, quoted or not.
    fn exp_value(&mut self) -> String {
        let n = self.number_text();
        match self.below(10) {
            0..=5 => n,
            6 => format!("\"{n}\""),
            7 => format!("\"{}\"", self.escaped(&n)),
            8 => format!(
                "'{}{n}{}'",
                self.pick(&["", " ", "\t"]),
                self.pick(&["", " ", "\u{b}"])
            ),
            _ => self.word(),
        }
    }

    fn token(&mut self) -> String {
        let header = self.object(&[
            ("alg", "\"HS256\"".into()),
            ("typ", "\"JWT\"".into()),
            ("kid", "\"k\"".into()),
        ]);
        let iat = if self.chance(10) {
            self.filler_value()
        } else {
            NOW.to_string()
        };
        let exp = self.exp_value();
        let payload = self.object(&[
            ("typ", "\"Bearer\"".into()),
            ("sub", "\"u\"".into()),
            ("infobip-api-key", "\"a\"".into()),
            ("iat", iat),
            ("exp", exp),
            ("jti", "\"j\"".into()),
        ]);
        let mut token = format!("{}.{}.sig", b64(&header), b64(&payload));
        if self.chance(5) {
            // Noise the Android decoder skips (or, for '=', may refuse).
            let at = self.below(token.len());
            if token.is_char_boundary(at) {
                token.insert_str(
                    at,
                    self.pick_str(&[" ", "+", "/", "=", "\u{a0}", "*", "=="]),
                );
            }
        }
        token
    }
}

fn fullwidth(c: char) -> char {
    char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()
}
