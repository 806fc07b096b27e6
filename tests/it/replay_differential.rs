//! replay's Android bodies against the real thing: `tests/java/GsonWireOracle.java` builds the
//! maps and sets the Android SDK builds for saveUser and personalize (`java.util.HashMap` with
//! the SDK's capacities, `LinkedHashSet` contacts and tags, `UserMapper.merge`'s order) and
//! serialises them with the real Gson configured as the SDK's `JsonSerializer` (Debian's
//! `libgoogle-gson-java`). Generated user data (random custom-attribute names, integers, doubles
//! of every magnitude, big integers, Unicode and control characters, nulls, lists, empty lists,
//! dates) must come out of `mmjwt replay save-user|personalize --sdk android --dry-run` byte for
//! byte as the JVM writes it. A second test holds `sdk::javadouble` to the JDK's own
//! `Double.toString` (which Gson writes a `Double` with) over doubles of every exponent.
//!
//! Without a JDK or the jar the test prints what it skipped and passes, except under
//! `CI=true`, where it fails.

use crate::support::oracle;
use crate::support::splitmix::SplitMix;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// The JVM's answer for each `(kind, payload)`, in order: a body, a double's text, or
/// `<REFUSED ...>`.
fn java_answers<'a>(
    classpath: &str,
    requests: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Vec<String> {
    let mut java = Command::new("java");
    java.args(["-Dfile.encoding=UTF-8", "-Xshare:auto", "-cp", classpath])
        .arg("GsonWireOracle");
    let requests = requests
        .into_iter()
        .map(|(kind, payload)| (kind.to_string(), payload));
    oracle::exchange(java, "Java", requests)
        .iter()
        .map(|a| oracle::ok_text(a))
        .collect()
}

/// The helper compiled once, or the skip line (a failure under `CI=true`).
fn classpath_or_skip(test: &str) -> Option<String> {
    match compile() {
        Ok(c) => Some(c),
        Err(what) => {
            let line = format!(
                "replay_differential::{test}: SKIPPED: {what}; install it with `apt-get install {PACKAGES}` to run it"
            );
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{line} (CI=true: the differential test must run in CI)"
            );
            let _ = writeln!(std::io::stderr(), "{line}");
            None
        }
    }
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
    let Some(classpath) = classpath_or_skip("android_bodies") else {
        return;
    };
    let mut g = Gen(SEED);
    let mut requests: Vec<(&str, String)> = Vec::new();
    for _ in 0..PER_KIND {
        requests.push(("patch", g.patch()));
        requests.push(("personalize", g.personalize()));
    }
    let java = java_answers(
        &classpath,
        requests.iter().map(|(kind, data)| (*kind, data.as_bytes())),
    );
    let mut disagreements = Vec::new();
    for ((kind, data), java) in requests.iter().zip(&java) {
        let ours = mmjwt_body("android", kind, data);
        if ours != *java {
            disagreements.push(format!(
                "  {kind} --data {data}\n    java:  {java}\n    mmjwt: {ours}"
            ));
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "android wire differential: {} bodies, {} agree, {} differ",
        requests.len(),
        requests.len() - disagreements.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} bodies differ from the SDK's maps through the real Gson; the first ones:\n{}",
        disagreements.len(),
        requests.len(),
        disagreements[..disagreements.len().min(8)].join("\n")
    );
}

/// Doubles for the `Double.toString` check: for every binary exponent (subnormals included)
/// the smallest and largest significands, a power of two and random ones; the powers of ten
/// and their neighbours; whole numbers around 2^53 to 2^63, where `FloatingDecimal` prints the
/// integer; and the values known to get more digits than the shortest round trip.
fn doubles_to_compare(g: &mut Gen) -> Vec<f64> {
    let mut out = vec![0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
    out.extend([
        1.0e23,
        2.0e23,
        8.41e21,
        2f64.powi(-44),
        2.0e-3,
        5.0e-324,
        f64::MAX,
    ]);
    for exp in 0u64..2047 {
        let mut fractions = vec![0, 1, (1 << 52) - 1, 1 << 51];
        fractions.extend((0..8).map(|_| g.next() & ((1 << 52) - 1)));
        for f in fractions {
            out.push(f64::from_bits((exp << 52) | f));
        }
    }
    for e in -325..=308 {
        let p = format!("1e{e}").parse::<f64>().unwrap();
        out.extend([p, p.next_up(), p.next_down(), p * 3.0, p * 7.0]);
    }
    for bits in 53..63 {
        let base = 2f64.powi(bits);
        out.extend((0..40).map(|i| base + f64::from(i) * 2f64.powi(bits - 52)));
        out.extend((0..20).map(|_| (g.next() >> (63 - bits)) as f64));
    }
    out.extend((0..4000).map(|_| f64::from_bits(g.next())));
    let neg: Vec<f64> = out.iter().take(3000).map(|d| -d).collect();
    out.extend(neg);
    out
}

#[test]
fn doubles_are_written_as_the_jdks_double_to_string() {
    let Some(classpath) = classpath_or_skip("doubles") else {
        return;
    };
    let doubles = doubles_to_compare(&mut Gen(SEED ^ 0xd0b1e));
    let hex: Vec<String> = doubles
        .iter()
        .map(|d| format!("{:x}", d.to_bits()))
        .collect();
    let java = java_answers(&classpath, hex.iter().map(|h| ("double", h.as_bytes())));
    let mut differ = Vec::new();
    let mut longer_than_shortest = 0;
    for (d, java) in doubles.iter().zip(&java) {
        let ours = mmjwt::sdk::javadouble::to_string(*d);
        if ours != *java {
            differ.push(format!(
                "  {:#x} ({d:e}): java {java}, mmjwt {ours}",
                d.to_bits()
            ));
        }
        // How often FloatingDecimal is not the shortest: these are what a shortest-digits
        // writer would get wrong, so the check must include some.
        if d.is_finite() && significant_digits(java) > significant_digits(&format!("{d:e}")) {
            longer_than_shortest += 1;
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "java Double.toString differential: {} doubles, {} agree, {} differ ({longer_than_shortest} where the JDK writes more digits than the shortest)",
        doubles.len(),
        doubles.len() - differ.len(),
        differ.len()
    );
    assert!(
        longer_than_shortest > 0,
        "no non-shortest case was compared"
    );
    assert!(
        differ.is_empty(),
        "{} of {} doubles differ from the JDK's Double.toString; the first ones:\n{}",
        differ.len(),
        doubles.len(),
        differ[..differ.len().min(12)].join("\n")
    );
}

/// The significant digits of a number's text (`0.0025` and `2.5E-3` have two).
fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['E', 'e']).next().unwrap_or_default();
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
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
