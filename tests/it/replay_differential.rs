//! replay's Android bodies against the real thing: `tests/java/GsonWireOracle.java` builds the
//! maps and sets the Android SDK builds for saveUser and personalize (`java.util.HashMap` with
//! the SDK's capacities, `LinkedHashSet` contacts and tags, `UserMapper.merge`'s order) and
//! serialises them with the real Gson configured as the SDK's `JsonSerializer` (Debian's
//! `libgoogle-gson-java`). Generated user data (random custom-attribute names, integers, doubles
//! of every magnitude, big integers, Unicode and control characters, nulls, lists, empty lists,
//! dates) must come out of `mmjwt replay save-user|personalize --sdk android --dry-run` byte for
//! byte as the JVM writes it.
//!
//! Without a JDK or the jar the test prints what it skipped and passes, except under
//! `CI=true`, where it fails.

use crate::support::splitmix::SplitMix;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Bodies per kind; the seed is fixed, so every run compares the same ones.
const PER_KIND: usize = 150;
const SEED: u64 = 0x6d6d_6a77_742d_3237;
const PACKAGES: &str = "openjdk-17-jdk-headless libgoogle-gson-java";
const JAR: &str = "/usr/share/java/gson.jar";

/// The helper compiled into the tests' scratch directory: its class path, or what is missing.
fn compile() -> Result<String, String> {
    for tool in ["javac", "java"] {
        if Command::new(tool).arg("-version").output().is_err() {
            return Err(format!("`{tool}` is not installed"));
        }
    }
    if !Path::new(JAR).is_file() {
        return Err("Gson (libgoogle-gson-java) is not installed".into());
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gson-wire-oracle");
    std::fs::create_dir_all(&out).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/java/GsonWireOracle.java");
    let compiled = Command::new("javac")
        .args(["-encoding", "UTF-8", "-nowarn", "-cp", JAR, "-d"])
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
    Ok(format!("{}:{JAR}", out.display()))
}

/// The JVM's body for each `(kind, data)`, in order.
fn java_bodies(classpath: &str, requests: &[(&str, String)]) -> Vec<String> {
    let mut child = Command::new("java")
        .args(["-Dfile.encoding=UTF-8", "-Xshare:auto", "-cp", classpath])
        .arg("GsonWireOracle")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    for (kind, data) in requests {
        let _ = writeln!(input, "{kind}\t{}", STANDARD.encode(data.as_bytes()));
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "the Java helper failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let answers: Vec<String> = text
        .lines()
        .map(|l| match l.split_once('\t') {
            Some(("OK", b64)) => String::from_utf8(STANDARD.decode(b64).unwrap()).unwrap(),
            _ => format!("<{l}>"),
        })
        .collect();
    assert_eq!(answers.len(), requests.len(), "one answer per request");
    answers
}

/// mmjwt's body for `sdk`: what `--dry-run` prints after the blank line, without the line's
/// end (also the iOS wire differential's).
pub(crate) fn mmjwt_body(sdk: &str, kind: &str, data: &str) -> String {
    let call = if kind == "patch" {
        "save-user"
    } else {
        "personalize"
    };
    let out = crate::support::mmjwt()
        .env("MMJWT_APP_CODE", "test-app-code")
        .args(["replay", call, "--sdk", sdk, "--dry-run", "--app-auth"])
        .args(["--base-url", "http://127.0.0.1:9", "--push-reg-id", "reg-1"])
        .args(["--installation-id", "inst-1", "--data", data])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    match text.split_once("\n\n") {
        Some((_, body)) if out.status.success() => {
            body.strip_suffix('\n').unwrap_or(body).to_string()
        }
        _ => format!(
            "<exit {:?}: {}>",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    }
}

#[test]
fn android_bodies_agree_with_the_sdks_maps_and_the_real_gson() {
    let classpath = match compile() {
        Ok(c) => c,
        Err(what) => {
            let line = format!(
                "replay_differential: SKIPPED: {what}; install it with `apt-get install {PACKAGES}` to run it"
            );
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{line} (CI=true: the differential test must run in CI)"
            );
            let _ = writeln!(std::io::stderr(), "{line}");
            return;
        }
    };
    let mut g = Gen(SEED);
    let mut requests: Vec<(&str, String)> = Vec::new();
    for _ in 0..PER_KIND {
        requests.push(("patch", g.patch()));
        requests.push(("personalize", g.personalize()));
    }
    let java = java_bodies(&classpath, &requests);
    let mut disagreements = Vec::new();
    let mut digit_choices = 0;
    for ((kind, data), java) in requests.iter().zip(&java) {
        let ours = mmjwt_body("android", kind, data);
        if ours != *java && same_doubles(&ours, java) {
            // FloatingDecimal's own digits for a double that is not a whole number: mmjwt
            // writes the shortest ones, which read back as the same double (see the guide).
            digit_choices += 1;
        } else if ours != *java {
            disagreements.push(format!(
                "  {kind} --data {data}\n    java:  {java}\n    mmjwt: {ours}"
            ));
        }
    }
    let agree = requests.len() - disagreements.len() - digit_choices;
    let _ = writeln!(
        std::io::stderr(),
        "android wire differential: {} bodies, {agree} agree, {digit_choices} differ only in the last digit FloatingDecimal picks for a double, {} differ otherwise",
        requests.len(),
        disagreements.len()
    );
    // The digit choice is rare; if it became common, the double writer would be wrong.
    assert!(
        digit_choices * 50 <= requests.len(),
        "{digit_choices} bodies differ in a double's digits"
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} bodies differ from the SDK's maps through the real Gson; the first ones:\n{}",
        disagreements.len(),
        requests.len(),
        disagreements[..disagreements.len().min(8)].join("\n")
    );
}

/// Whether two bodies are the same text once every number with a point or an exponent is
/// replaced by the double it reads as.
fn same_doubles(a: &str, b: &str) -> bool {
    canonical_doubles(a) == canonical_doubles(b)
}

fn canonical_doubles(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '-' || c.is_ascii_digit() {
            let mut token = String::from(c);
            while let Some(&n) = chars.peek() {
                if n.is_ascii_digit() || matches!(n, '.' | 'E' | 'e' | '-' | '+') {
                    token.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            match token.parse::<f64>() {
                Ok(d) if token.contains(['.', 'E']) => {
                    let _ = write!(out, "{d:e}");
                }
                _ => out.push_str(&token),
            }
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The generator: --data texts written by hand, so numbers keep the literal chosen for them.

/// splitmix64; also the iOS wire differential's generator (`replay_ios_differential`).
pub(crate) struct Gen(pub(crate) u64);

impl SplitMix for Gen {
    fn state(&mut self) -> &mut u64 {
        &mut self.0
    }
}

impl Gen {
    /// Text with ASCII, HTML-escaped characters, control characters, non-ASCII and astral
    /// characters, as a JSON string literal.
    fn text(&mut self, max: usize) -> String {
        const PIECES: [&str; 20] = [
            "a", "Z", "9", " ", "<", ">", "&", "=", "'", "\"", "\\", "/", "\u{1}", "\n", "\u{1f}",
            "é", "ß", "\u{2028}", "日本", "😀",
        ];
        let len = self.below(max + 1);
        let s: String = (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect();
        serde_json::to_string(&s).unwrap()
    }

    /// A custom attribute name: short ASCII words (so that many share buckets) or random text.
    fn name(&mut self) -> String {
        if self.chance(70) {
            const WORDS: [&str; 12] = [
                "level", "vip", "score", "a", "b", "c1", "c2", "points", "x", "Aa", "BB", "zz",
            ];
            let n = self.below(1000);
            format!("\"{}{n}\"", WORDS[self.below(WORDS.len())])
        } else {
            self.text(6)
        }
    }

    fn integer(&mut self) -> String {
        match self.below(6) {
            0 => (self.next() as i32).to_string(),
            1 => (self.next() as i64).to_string(),
            2 => self.next().to_string(),
            3 => format!("{}{}", self.next(), self.next()),
            4 => format!(
                "-{}{:019}",
                self.next(),
                self.next() % 10_000_000_000_000_000_000
            ),
            _ => self.below(100).to_string(),
        }
    }

    /// A double literal of any magnitude (never one that overflows), written in one of the
    /// spellings JSON allows.
    fn double(&mut self) -> String {
        let d = loop {
            let d = match self.below(5) {
                0 => f64::from_bits(self.next()),
                1 => (self.below(2_000_000) as f64) / 100.0 - 10_000.0,
                2 => 10f64.powi(self.below(40) as i32 - 20),
                3 => (self.next() >> 11) as f64 * 10f64.powi(self.below(30) as i32 - 15),
                _ => [0.1, 100.0, -0.0, 0.0025, 1.0e7, 1.0e-3, 9_999_999.0, 1.0e21][self.below(8)],
            };
            if d.is_finite() {
                break d;
            }
        };
        let text = match self.below(3) {
            0 => format!("{d:e}"),
            1 => format!("{d:E}"),
            _ => format!("{d:?}"),
        };
        // `{:?}` of an integral double has `.0`; `{:e}` may not: a literal with neither a point
        // nor an exponent would be an integer.
        if text.contains(['.', 'e', 'E']) {
            text
        } else {
            format!("{text}.0")
        }
    }

    fn date(&mut self) -> String {
        let (year, month, day) = (
            1950 + self.below(100),
            1 + self.below(12),
            1 + self.below(28),
        );
        if self.chance(50) {
            format!("\"{year:04}-{month:02}-{day:02}\"")
        } else {
            let (hour, minute, second) = (self.below(24), self.below(60), self.below(60));
            format!("\"{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z\"")
        }
    }

    fn scalar(&mut self) -> String {
        match self.below(8) {
            0 => self.integer(),
            1 | 2 => self.double(),
            3 => self.text(8),
            4 => self.date(),
            5 => ["true", "false"][self.below(2)].into(),
            _ => "null".into(),
        }
    }

    fn custom_value(&mut self) -> String {
        if self.chance(12) {
            let items = self.below(3);
            let names: Vec<String> = (0..=self.below(4)).map(|_| self.name()).collect();
            let list: Vec<String> = (0..items)
                .map(|_| {
                    let members: Vec<String> = dedupe(&names)
                        .iter()
                        .map(|n| {
                            let v = loop {
                                let v = self.scalar();
                                if v != "null" {
                                    break v;
                                }
                            };
                            format!("{n}:{v}")
                        })
                        .collect();
                    format!("{{{}}}", members.join(","))
                })
                .collect();
            format!("[{}]", list.join(","))
        } else {
            self.scalar()
        }
    }

    fn custom_attributes(&mut self) -> String {
        let n = match self.below(6) {
            0 => 0,
            1 => 20 + self.below(25),
            _ => 1 + self.below(12),
        };
        let names: Vec<String> = (0..n).map(|_| self.name()).collect();
        let members: Vec<String> = dedupe(&names)
            .iter()
            .map(|k| format!("{k}:{}", self.custom_value()))
            .collect();
        format!("{{{}}}", members.join(","))
    }

    /// phones or emails, sometimes empty, with duplicates and `preferred` now and then.
    fn contacts(&mut self, field: &str) -> String {
        let items: Vec<String> = (0..self.below(4))
            .map(|_| {
                let v = if self.chance(30) {
                    "\"385991111666\"".to_string()
                } else {
                    self.text(10)
                };
                if self.chance(15) {
                    format!("{{\"{field}\":{v},\"preferred\":true}}")
                } else {
                    format!("{{\"{field}\":{v}}}")
                }
            })
            .collect();
        format!("[{}]", items.join(","))
    }

    fn tags(&mut self) -> String {
        let items: Vec<String> = (0..self.below(5))
            .map(|_| {
                if self.chance(30) {
                    "\"music\"".into()
                } else {
                    self.text(6)
                }
            })
            .collect();
        format!("[{}]", items.join(","))
    }

    /// The value of a standard member, `null` now and then.
    fn member(&mut self, key: &str) -> String {
        if self.chance(12) {
            return "null".into();
        }
        match key {
            "gender" => ["\"Male\"", "\"Female\""][self.below(2)].into(),
            "birthday" => {
                let d = self.date();
                d[..11].to_string() + "\""
            }
            "phones" => self.contacts("number"),
            "emails" => self.contacts("address"),
            "tags" => self.tags(),
            "customAttributes" => self.custom_attributes(),
            _ => self.text(12),
        }
    }

    /// Some of `keys` in a random order, each with a value.
    fn object_of(&mut self, keys: &[&str], at_least: usize) -> String {
        let mut chosen: Vec<&str> = keys.iter().copied().filter(|_| self.chance(55)).collect();
        for k in keys.iter().take(at_least) {
            if chosen.len() < at_least && !chosen.contains(k) {
                chosen.push(k);
            }
        }
        for i in (1..chosen.len()).rev() {
            let j = self.below(i + 1);
            chosen.swap(i, j);
        }
        let members: Vec<String> = chosen
            .iter()
            .map(|k| format!("\"{k}\":{}", self.member(k)))
            .collect();
        format!("{{{}}}", members.join(","))
    }

    pub(crate) fn patch(&mut self) -> String {
        let keys = [
            "customAttributes",
            "externalUserId",
            "firstName",
            "lastName",
            "middleName",
            "gender",
            "birthday",
            "phones",
            "emails",
            "tags",
        ];
        self.object_of(&keys, 1)
    }

    pub(crate) fn personalize(&mut self) -> String {
        let id = self.text(10);
        let mut identity = self.object_of(&["phones", "emails"], 0);
        // An identity always has the external user id (first or last, as an app may set it).
        identity = if identity == "{}" {
            format!("{{\"externalUserId\":{id}}}")
        } else if self.chance(50) {
            format!("{{\"externalUserId\":{id},{}", &identity[1..])
        } else {
            format!(
                "{},\"externalUserId\":{id}}}",
                &identity[..identity.len() - 1]
            )
        };
        let attributes = if self.chance(15) {
            // All null: Android still sends the (then empty) object.
            "{\"firstName\":null,\"customAttributes\":null}".to_string()
        } else {
            self.object_of(
                &[
                    "firstName",
                    "lastName",
                    "middleName",
                    "gender",
                    "birthday",
                    "tags",
                    "customAttributes",
                ],
                0,
            )
        };
        format!("{{\"userIdentity\":{identity},\"userAttributes\":{attributes}}}")
    }
}

/// The names without repeats (a JSON object has each member once).
fn dedupe(names: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .filter(|n| seen.insert((*n).clone()))
        .cloned()
        .collect()
}
