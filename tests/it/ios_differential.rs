//! The iOS emulation against the real thing: `tests/swift/IosJwtOracle.swift` follows the SDK's
//! `MMJwtValidator` step by step with the Foundation and standard-library calls the SDK makes,
//! compiled by a real Swift toolchain, over the whole corpus and thousands of generated tokens
//! aimed at where Foundation and Swift differ from plain JSON and base64 (spec 4.6). Each answer
//! (accepted, or the NSError's code, description, `messageId` and `text`) must equal what
//! `check --sdk ios --exact` reports for the token: through the library's `check` for every
//! input, and through the `mmjwt` binary (one run, tokens on stdin) for every token a line can
//! carry.
//!
//! The toolchain: `MMJWT_SWIFT_ROOT` names a directory holding a Debian root file system with
//! Swift installed (`export MMJWT_SWIFT_ROOT=$(.ci/swift-setup)` builds one, as root, and names
//! it), which the test enters with `chroot` (so it runs as root); without it, a `swiftc` on
//! `PATH` is used directly.
//! Neither: the tests print what they skipped and pass, except under `CI=true`, where they fail.
//!
//! Two differences are expected, by name: they are artefacts of the Foundation that ships with
//! Swift on Linux, not iPhone behaviour, and mmjwt keeps the iPhone's answer (spec 4.6).

use crate::support::oracle;
use crate::support::splitmix::SplitMix;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use mmjwt::problem::Code;
use mmjwt::sdk::plugins::ios_ns_error;
use mmjwt::sdk::{Platform, SdkSelection, SdkVerdict, ios};
use mmjwt::token::check::{Options, check};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const NOW: i64 = 1_700_000_000;
/// Generated inputs per run; the seed is fixed, so every run judges the same tokens.
const GENERATED: usize = 12_000;
const SEED: u64 = 0x6d6d_6a77_742d_696f;
pub(crate) const SETUP: &str = "export MMJWT_SWIFT_ROOT=$(sudo .ci/swift-setup)";

/// The known differences, by name: each is a predicate on the token.
/// A named class of tokens.
type Class = (&'static str, fn(&str) -> bool);

const KNOWN: [Class; 2] = [
    ("integer exp above Int64.max", exp_above_int64_max),
    ("segment of length 1 mod 4", segment_length_one_mod_four),
];

/// How the compiled helper runs (also the iOS wire differential's, `replay_ios_differential`).
pub(crate) enum Oracle {
    /// Inside a Debian root file system: `chroot ROOT PATH`.
    Chroot { root: PathBuf, binary: String },
    /// On this machine.
    Host { binary: PathBuf },
}

/// The helper compiled once per test run (the tests share it), or why it cannot be.
fn oracle(test: &str) -> Option<&'static Oracle> {
    static ORACLE: OnceLock<Result<Oracle, String>> = OnceLock::new();
    match ORACLE.get_or_init(compile) {
        Ok(o) => Some(o),
        Err(what) => {
            let line = format!(
                "SKIPPED: ios differential: no Swift toolchain ({what}); set it up with `{SETUP}` (ios_differential::{test})"
            );
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{line} (CI=true: the differential test must run in CI)"
            );
            // Straight to the process's stderr: the harness swallows a passing test's output.
            let _ = writeln!(std::io::stderr(), "{line}");
            None
        }
    }
}

fn source(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/swift")
        .join(file)
}

/// FNV-1a of the helper's source: a compiled helper is reused while its source is unchanged.
fn source_hash(text: &[u8]) -> u64 {
    text.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn compile() -> Result<Oracle, String> {
    compile_swift("IosJwtOracle.swift")
}

/// `tests/swift/FILE` compiled by the Swift toolchain (reused while the source is unchanged),
/// or why there is no toolchain.
pub(crate) fn compile_swift(file: &str) -> Result<Oracle, String> {
    let text = std::fs::read(source(file)).unwrap();
    let hash = source_hash(&text);
    if let Some(root) = std::env::var_os("MMJWT_SWIFT_ROOT").filter(|r| !r.is_empty()) {
        let root = PathBuf::from(root);
        // A root that was named but holds no Swift is a mistake, not a skip.
        assert!(
            root.join("usr/bin/swiftc").exists(),
            "MMJWT_SWIFT_ROOT={} has no usr/bin/swiftc; run .ci/swift-setup",
            root.display()
        );
        let dir = format!("/var/tmp/mmjwt-ios-oracle/{hash:016x}");
        let binary = format!("{dir}/oracle");
        if !root.join(&binary[1..]).is_file() {
            let inside = root.join(&dir[1..]);
            std::fs::create_dir_all(&inside).unwrap();
            std::fs::write(inside.join(file), &text).unwrap();
            run_swiftc(
                Command::new("chroot").arg(&root).arg("swiftc"),
                &format!("{dir}/{file}"),
                &format!("{binary}.tmp"),
            );
            std::fs::rename(
                root.join(format!("{}.tmp", &binary[1..])),
                root.join(&binary[1..]),
            )
            .unwrap();
        }
        return Ok(Oracle::Chroot { root, binary });
    }
    if Command::new("swiftc").arg("--version").output().is_err() {
        return Err("MMJWT_SWIFT_ROOT is not set and `swiftc` is not installed".into());
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("ios-oracle-{hash:016x}"));
    let binary = dir.join("oracle");
    if !binary.is_file() {
        std::fs::create_dir_all(&dir).unwrap();
        let tmp = dir.join("oracle.tmp");
        run_swiftc(
            &mut Command::new("swiftc"),
            source(file).to_str().unwrap(),
            tmp.to_str().unwrap(),
        );
        std::fs::rename(&tmp, &binary).unwrap();
    }
    Ok(Oracle::Host { binary })
}

fn run_swiftc(cmd: &mut Command, source: &str, out: &str) {
    let compiled = cmd.args(["-O", "-o", out, source]).output().unwrap();
    // A helper that does not compile is a failure, not a skip.
    assert!(
        compiled.status.success(),
        "swiftc failed: {}",
        String::from_utf8_lossy(&compiled.stderr)
    );
}

impl Oracle {
    /// The command that runs the helper.
    pub(crate) fn command(&self) -> Command {
        match self {
            Oracle::Chroot { root, binary } => {
                let mut c = Command::new("chroot");
                c.arg(root).arg(binary);
                c
            }
            Oracle::Host { binary } => Command::new(binary),
        }
    }

    /// The helper's answer line for each `(now, token)`, in order.
    fn run(&self, requests: &[(i64, String)]) -> Vec<String> {
        oracle::exchange(
            self.command(),
            "Swift",
            requests
                .iter()
                .map(|(now, token)| (now.to_string(), token.as_bytes())),
        )
    }

    /// Whether the helper runs on Linux's Foundation (where the known differences show).
    pub(crate) fn on_linux(&self) -> bool {
        matches!(self, Oracle::Chroot { .. }) || cfg!(target_os = "linux")
    }
}

/// A verdict in the helper's words: the NSError the SDK builds from it.
fn answer(v: &SdkVerdict) -> String {
    match (v.accepted, v.code, &v.message) {
        (true, _, _) => "ACCEPTED".to_owned(),
        (false, Some(code), Some(m)) => {
            let e = ios_ns_error(code, m);
            format!(
                "REFUSED\t{}\t{}\t{}\t{}",
                e.code,
                e.description,
                e.message_id,
                e.text.unwrap_or("-")
            )
        }
        other => panic!("an iOS verdict with no SDK code: {other:?}"),
    }
}

/// What `check --sdk ios --exact` says about `token`, in the helper's words; it must also be
/// what `sdk::ios::validate` says alone.
fn ours(token: &str, now: i64) -> String {
    let alone = ios::validate(token, now);
    let opts = Options {
        sdk: SdkSelection::only(Platform::Ios),
        ..Options::at(now)
    };
    if token.len() <= mmjwt::token::MAX_TOKEN_BYTES {
        let report = check(token, &opts);
        assert_eq!(
            report.sdk[Platform::Ios].as_ref(),
            Some(&alone),
            "check vs validate: {token:?}"
        );
    }
    answer(&alone)
}

/// The segments as a plain split sees them (the predicates need no grapheme rules: both
/// classes are about ASCII segments).
fn plain_parts(token: &str) -> Vec<&str> {
    token.split('.').filter(|p| !p.is_empty()).collect()
}

/// Linux bridges an `NSNumber` holding a `UInt64` above `Int64.max` to the `Int` -1 (so
/// "expired"); Apple's Foundation refuses that `as? Int`, and the SDK reads the Double.
fn exp_above_int64_max(token: &str) -> bool {
    ios::payload_members(token)
        .and_then(|m| m.get("exp").and_then(serde_json::Value::as_u64))
        .is_some_and(|n| n > i64::MAX as u64)
}

/// The SDK pads such a segment with `===`; Linux's decoder (swift-corelibs-foundation 6.0.3)
/// drops the dangling character, Apple's refuses the text.
fn segment_length_one_mod_four(token: &str) -> bool {
    plain_parts(token)
        .iter()
        .take(2)
        .any(|p| p.chars().count() % 4 == 1)
}

fn header() -> String {
    b64(br#"{"alg":"HS256","typ":"JWT","kid":"k"}"#)
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn payload_with_exp(exp: &str) -> String {
    format!(
        r#"{{"typ":"Bearer","sub":"u","infobip-api-key":"a","iat":{NOW},"exp":{exp},"jti":"j"}}"#
    )
}

/// Hand-written inputs: one or more for each class of spec 4.6, and each known difference.
fn probes() -> Vec<String> {
    let h = header();
    let tok = |payload: &str| format!("{h}.{}.sig", b64(payload.as_bytes()));
    let ok = payload_with_exp(&(NOW + 600).to_string());
    let mut v = vec![
        // Extra padding: one and three more `=` than needed, and a 1-mod-4 segment.
        format!("{h}==.{}.sig", b64(ok.as_bytes())),
        format!("{h}.{}====.sig", b64(ok.as_bytes())),
        format!("{h}A.{}.sig", b64(ok.as_bytes())),
        // exp strings strtod reads.
        tok(&payload_with_exp(r#""nan(0x1)""#)),
        tok(&payload_with_exp(r#""1800000600\u0000junk""#)),
        tok(&payload_with_exp(r#""1e999""#)),
        // An integer above Int64.max.
        tok(&payload_with_exp("18446744073709551615")),
        // Trailing commas.
        tok(&format!("{},}}", &ok[..ok.len() - 1])),
        // Blank.
        "\u{200B}".to_owned(),
        "\u{2000}\u{200A}".to_owned(),
        // Fused dots.
        format!("{h}.\u{301}{}.sig", b64(ok.as_bytes())),
        format!("{h}.{}.\u{301}sig", b64(ok.as_bytes())),
        format!("{h}\u{600}.{}.sig", b64(ok.as_bytes())),
    ];
    // Nesting around the limit.
    for depth in [510, 511, 512, 513] {
        let inner = format!("{}1{}", "[".repeat(depth - 1), "]".repeat(depth - 1));
        v.push(tok(&format!("{},\"n\":{inner}}}", &ok[..ok.len() - 1])));
    }
    // Every encoding.
    for enc in 0..10 {
        let bytes = encode(&ok, enc);
        v.push(format!("{h}.{}.sig", b64(&bytes)));
    }
    v
}

/// `text` in encoding `enc`: 0-3 UTF-16LE/BE and UTF-32LE/BE without a BOM, 4-7 with one,
/// 8 UTF-8 with a BOM, otherwise UTF-8.
fn encode(text: &str, enc: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let bom = (4..8).contains(&enc);
    match enc % 4 {
        _ if enc >= 8 => {
            if enc == 8 {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(text.as_bytes());
        }
        0 | 1 => {
            let big = enc % 4 == 1;
            for u in bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16()) {
                let b: u16 = u;
                out.extend_from_slice(&if big {
                    b.to_be_bytes()
                } else {
                    b.to_le_bytes()
                });
            }
        }
        _ => {
            let big = enc % 4 == 3;
            for c in bom.then_some('\u{FEFF}').into_iter().chain(text.chars()) {
                let u = c as u32;
                out.extend_from_slice(&if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                });
            }
        }
    }
    out
}

#[test]
fn ios_emulation_agrees_with_the_real_foundation() {
    let Some(oracle) = oracle("ios_emulation_agrees_with_the_real_foundation") else {
        return;
    };
    let mut requests: Vec<(i64, String)> = crate::corpus::cases()
        .into_iter()
        .map(|c| (c.now, c.token))
        .collect();
    let corpus = requests.len();
    let probes = probes();
    let probe_count = probes.len();
    requests.extend(probes.into_iter().map(|t| (NOW, t)));
    let mut g = Gen(SEED);
    requests.extend((0..GENERATED).map(|_| (NOW, g.token())));
    let answers = oracle.run(&requests);
    let printed = binary_verdicts(&requests);

    let mut disagreements = Vec::new();
    let mut known = BTreeMap::<&str, usize>::new();
    let mut kinds = BTreeMap::<String, usize>::new();
    for (i, ((now, token), swift)) in requests.iter().zip(&answers).enumerate() {
        let mine = ours(token, *now);
        if let Some(v) = printed.get(&i) {
            // The report's `empty_token` member is the plugins' path, not the SDK's verdict.
            let mut v = v.clone();
            if let Some(o) = v.as_object_mut() {
                o.remove("empty_token");
            }
            let verdict = serde_json::to_value(ios::validate(token, *now)).unwrap();
            assert_eq!(
                v, verdict,
                "`check --exact --sdk ios` printed another verdict: {token:?}"
            );
        }
        let kind = swift.split('\t').take(2).collect::<Vec<_>>().join(" ");
        *kinds.entry(kind).or_default() += 1;
        if mine == *swift {
            continue;
        }
        match KNOWN.iter().find(|(_, applies)| applies(token)) {
            Some((name, _)) if oracle.on_linux() => *known.entry(name).or_default() += 1,
            _ => disagreements.push(format!(
                "  token {token:?} at {now}\n    swift: {swift}\n    mmjwt: {mine}"
            )),
        }
    }
    let agree = requests.len() - disagreements.len() - known.values().sum::<usize>();
    let names: Vec<String> = known.iter().map(|(n, c)| format!("{n}: {c}")).collect();
    eprintln!(
        "ios differential: {} inputs ({corpus} corpus, {probe_count} probes, {GENERATED} generated; {} also through the binary), {agree} agree, {} known differences ({}), {} disagree; Swift's verdicts: {kinds:?}",
        requests.len(),
        printed.len(),
        known.values().sum::<usize>(),
        names.join(", "),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} inputs disagree with the real Foundation; the first ones:\n{}",
        disagreements.len(),
        requests.len(),
        disagreements[..disagreements.len().min(15)].join("\n")
    );
    // On Linux both known differences must still show, or the list is out of date.
    if oracle.on_linux() {
        for (name, _) in KNOWN {
            assert!(
                known.contains_key(name),
                "no '{name}' difference: {known:?}"
            );
        }
    }
    // The generator must reach every verdict kind, many times.
    for code in [10, 11, 12, 13, 14, 15, 16] {
        let n = kinds.get(&format!("REFUSED {code}")).copied();
        assert!(n.unwrap_or(0) >= 30, "too few NSError {code}: {kinds:?}");
    }
    assert!(
        kinds.get("ACCEPTED").copied().unwrap_or(0) >= 500,
        "{kinds:?}"
    );
}

/// The iOS verdicts the `mmjwt` binary prints for `check --exact --sdk ios --json` with the
/// tokens on stdin, one a line, keyed by the request's index. Tokens a line cannot carry
/// (empty, or holding a line break), tokens over the size cap (refused before any SDK check)
/// and requests at another instant are left out.
fn binary_verdicts(requests: &[(i64, String)]) -> BTreeMap<usize, serde_json::Value> {
    let sent: Vec<usize> = (0..requests.len())
        .filter(|&i| {
            let (now, t) = &requests[i];
            *now == NOW
                && !t.is_empty()
                && !t.contains(['\n', '\r'])
                && t.len() <= mmjwt::token::MAX_TOKEN_BYTES
        })
        .collect();
    let mut input = String::new();
    for &i in &sent {
        input.push_str(&requests[i].1);
        input.push('\n');
    }
    let out = crate::support::mmjwt()
        .args([
            "check",
            "--exact",
            "--sdk",
            "ios",
            "--json",
            &format!("--now={NOW}"),
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut verdicts = BTreeMap::new();
    // Only the two members are read: a report echoes the claims, which may nest deeper than
    // serde_json reads.
    let first_value = |line: &str, after: &str| -> serde_json::Value {
        let at = line.find(after).expect(after) + after.len();
        serde_json::Deserializer::from_str(&line[at..])
            .into_iter()
            .next()
            .unwrap()
            .unwrap()
    };
    for line in text.lines() {
        let n = first_value(line, r#""line":"#).as_u64().unwrap() as usize;
        let mut ios = first_value(line, r#""sdk":{"android":null,"ios":"#);
        if let Some(o) = ios.as_object_mut() {
            o.remove("plugins");
        }
        verdicts.insert(sent[n - 1], ios);
    }
    assert_eq!(verdicts.len(), sent.len(), "one report per line");
    verdicts
}

/// The SDK's codes reach the app unchanged: an expired token's NSError has no `text`.
#[test]
fn the_helper_reports_the_sdks_nserror_fields() {
    let Some(oracle) = oracle("the_helper_reports_the_sdks_nserror_fields") else {
        return;
    };
    let h = header();
    let expired = format!(
        "{h}.{}.sig",
        b64(payload_with_exp(&NOW.to_string()).as_bytes())
    );
    let answers = oracle.run(&[(NOW, expired), (NOW, " ".into())]);
    assert_eq!(
        answers,
        [
            "REFUSED\t11\tThe provided JWT is expired.\tJWT_TOKEN_EXPIRED\t-",
            "REFUSED\t10\tJWT token has invalid structure.\tJWT_TOKEN_STRUCTURE_INVALID\tToken is empty or blank.",
        ]
    );
    assert_eq!(ios::validate("x", NOW).code, Some(Code::StructureInvalid));
}

// ---------------------------------------------------------------------------------------------
// The generator: deterministic tokens aimed at Foundation's and Swift's corners.

/// splitmix64: small, deterministic, good enough to spread choices.
struct Gen(u64);

impl SplitMix for Gen {
    fn state(&mut self) -> &mut u64 {
        &mut self.0
    }
}

impl Gen {
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

    /// Number text as JSON or `strtod` might read it, or almost.
    fn number_text(&mut self) -> String {
        let n = self.near_now();
        match self.below(12) {
            0..=2 => n.to_string(),
            3 => format!("{n}.{}", self.below(1000)),
            4 => format!("{}e{}", n as f64 / 1e9, 9),
            5 => format!("{n}.000000000000000{}", self.below(10)),
            6 => format!("0x{:x}", n.unsigned_abs()),
            7 => format!("{n}E0"),
            8 => (*self.pick(&[
                "9223372036854775807",
                "9223372036854775808",
                "18446744073709551615",
                "18446744073709551616",
                "-9223372036854775808",
                "-9223372036854775809",
                "1e400",
                "1e-400",
                "-0",
                "0.0",
                "4.9e-324",
                "1.7976931348623157e308",
                "01",
                "1.",
                ".5",
                "-",
                "1e",
                "+1",
                "1E+5",
                "1700000000.5000000000001",
                "1700000000.4999999999999",
                "1e308",
            ]))
            .to_owned(),
            9 => (*self.pick(&[
                "nan",
                "NaN",
                "nan(0x1)",
                "nan()",
                "nan(",
                "snan",
                "-nan",
                "inf",
                "-inf",
                "infinity",
                "INFINITY",
                "infinit",
                "0x1p31",
                "0x1.95p30",
                "0x1p99999",
                "0x1p-99999",
                "0x",
                "0x.8",
                "1e999",
                "1e-999",
                "0x0p99999",
            ]))
            .to_owned(),
            10 => format!(
                "{}{n}{}",
                self.pick(&["", "", " ", "\\t", "+", "-", "--", "\\u00a0"]),
                self.pick(&["", "", " ", "\\u0000junk", "\\u0000", "x", "\\n", "e", "."])
            ),
            _ => format!("{n}.{}", self.pick(&["0", "5", "999999", "0000001"])),
        }
    }

    /// `exp` as written: a number, a string holding number text, or something else.
    fn exp_value(&mut self) -> String {
        match self.below(10) {
            0..=3 => self.number_text(),
            4..=7 => format!("\"{}\"", self.number_text()),
            _ => (*self.pick(&[
                "true",
                "false",
                "null",
                "[]",
                "{}",
                "\"\"",
                "\"x\"",
                "[1800000000]",
            ]))
            .to_owned(),
        }
    }

    /// JSON whitespace, and characters that look like it but are not.
    fn gap(&mut self) -> &'static str {
        if self.chance(97) {
            return "";
        }
        self.pick_str(&[
            " ", "\t", "\n", "\r", "\r\n", " \t ", "\u{c}", "\u{b}", "\u{a0}", "\u{feff}", "/* */",
        ])
    }

    /// A value for a member that is not looked at.
    fn filler(&mut self) -> String {
        match self.below(9) {
            0 => self.number_text(),
            1 => {
                let depth = match self.below(6) {
                    0 => 505 + self.below(10),
                    1 => 120 + self.below(20),
                    _ => 1 + self.below(5),
                };
                let (open, close) = if self.chance(50) {
                    ("[", "]")
                } else {
                    ("{\"a\":", "}")
                };
                let trail = if self.chance(20) { "," } else { "" };
                format!("{}1{trail}{}", open.repeat(depth), close.repeat(depth))
            }
            2 => format!("[1,2{}]", self.pick(&[",", ",,", "", " , "])),
            3 => format!("{{\"a\":1{}}}", self.pick(&[",", ",,", "", " , "])),
            4 => (*self.pick(&[
                r#""\ud83d\ude00""#,
                r#""\ud83d""#,
                r#""\ude00""#,
                r#""\ud83dx""#,
                r#""\u00e9""#,
                r#""\U00e9""#,
                r#""\x41""#,
                r#""\/""#,
                r#""é""#,
                "\"\u{1}\"",
                "\"\u{7f}\"",
                "'a'",
                "NaN",
                "True",
                "nul",
            ]))
            .to_owned(),
            _ => "\"v\"".to_owned(),
        }
    }

    /// One object's text: the given members in random order, some missing or repeated, with
    /// trailing commas, gaps and extra members.
    fn object(&mut self, members: &[(&str, String)]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (name, value) in members {
            if self.chance(3) {
                continue;
            }
            let name = match self.below(30) {
                0 => format!("'{name}'"),
                1 => (*name).to_owned(),
                2 => format!("\"{}\"", name.replace('e', "\\u0065")),
                _ => format!("\"{name}\""),
            };
            let (a, b, c, d) = (self.gap(), self.gap(), self.gap(), self.gap());
            parts.push(format!("{a}{name}{b}:{c}{value}{d}"));
        }
        if self.chance(30) {
            let value = self.filler();
            parts.push(format!("\"n\":{value}"));
        }
        if self.chance(8) {
            let value = self.exp_value();
            let at = self.below(parts.len() + 1);
            parts.insert(at, format!("\"exp\":{value}"));
        }
        let sep = *self.pick(&[",", ",", ",", ", ", ",\n"]);
        let trail = match self.below(20) {
            0..=2 => ",",
            3 => ",,",
            4 => ", ",
            _ => "",
        };
        let mut text = format!("{{{}{trail}}}", parts.join(sep));
        if self.chance(2) {
            text.insert_str(0, self.pick_str(&[" ", "\n", ",", "\u{feff}"]));
        }
        if self.chance(2) {
            text.push_str(self.pick_str(&[" ", "\n", "x", "}", ",", "\u{0}"]));
        }
        text
    }

    /// A segment's bytes: the text in one of the encodings, rarely cut short or with an
    /// invalid UTF-8 byte.
    fn bytes(&mut self, text: &str) -> Vec<u8> {
        let enc = if self.chance(90) { 9 } else { self.below(10) };
        let mut bytes = encode(text, enc);
        match self.below(60) {
            0 => {
                bytes.pop();
            }
            1 => {
                let at = self.below(bytes.len());
                bytes.insert(at, *self.pick(&[0xff, 0xc0, 0x80, 0xed]));
            }
            _ => {}
        }
        bytes
    }

    /// A segment: base64 in either alphabet, padded or not, with extra `=`, junk or a cut.
    fn segment(&mut self, bytes: &[u8]) -> String {
        let mut s = if self.chance(20) {
            STANDARD.encode(bytes)
        } else {
            URL_SAFE_NO_PAD.encode(bytes)
        };
        match self.below(60) {
            0..=2 => s.push_str(&"=".repeat(1 + self.below(6))),
            3 => {
                s.pop();
            }
            4 => {
                let at = self.below(s.len());
                s.insert_str(
                    at,
                    self.pick_str(&["=", "==", " ", "\n", "*", "\u{a0}", "."]),
                );
            }
            5 => s = s.replace('=', ""),
            _ => {}
        }
        s
    }

    /// Characters that may fuse with a dot into one `Character`, or not.
    fn joiner(&mut self) -> &'static str {
        self.pick_str(&[
            "\u{301}",
            "\u{200D}",
            "\u{200C}",
            "\u{FE0F}",
            "\u{903}",
            "\u{1F3FB}",
            "\u{E0041}",
            "\u{102B}",
            "\u{0E33}",
            "\u{FF9E}",
            "\u{20DD}",
            "a",
            " ",
        ])
    }

    fn token(&mut self) -> String {
        if self.chance(2) {
            // Blank or nearly.
            let blanks = [
                " ", "\t", "\u{a0}", "\u{2000}", "\u{2007}", "\u{200a}", "\u{200b}", "\u{200c}",
                "\u{feff}", "\u{180e}", "\u{3000}", "\u{85}", "\u{2028}", "\u{202f}", "\u{205f}",
                "\u{1680}", "\u{1}", "",
            ];
            let n = 1 + self.below(3);
            return (0..n).map(|_| *self.pick(&blanks)).collect();
        }
        let header = self.object(&[
            ("alg", "\"HS256\"".into()),
            ("typ", "\"JWT\"".into()),
            ("kid", "\"k\"".into()),
        ]);
        let exp = self.exp_value();
        let payload = self.object(&[
            ("typ", "\"Bearer\"".into()),
            ("sub", "\"u\"".into()),
            ("infobip-api-key", "\"a\"".into()),
            ("iat", NOW.to_string()),
            ("exp", exp),
            ("jti", "\"j\"".into()),
        ]);
        let (hb, pb) = (self.bytes(&header), self.bytes(&payload));
        let (h, p) = (self.segment(&hb), self.segment(&pb));
        let mut token = format!("{h}.{p}.sig");
        match self.below(25) {
            0 => {
                // A dot fused with what follows it, or preceded by a prepended mark.
                let dots: Vec<usize> = token.match_indices('.').map(|(i, _)| i).collect();
                let at = *self.pick(&dots);
                if self.chance(80) {
                    let j = self.joiner();
                    token.insert_str(at + 1, j);
                } else {
                    let m = *self.pick(&["\u{600}", "\u{605}", "\u{6DD}", "\u{110BD}", "\u{5D0}"]);
                    token.insert_str(at, m);
                }
            }
            1 => token.insert(0, '.'),
            2 => token.push_str(self.pick_str(&[".", "..", " ", "\u{200b}"])),
            3 => token = token.replacen('.', "..", 1),
            4 => token = format!("{h}.{p}"),
            5 => token = format!("{h}..sig"),
            _ => {}
        }
        token
    }
}
