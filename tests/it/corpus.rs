//! The hostile-token corpus (`tests/corpus/*.json`, one file per family) and its runner.
//!
//! Every token case is judged three ways: server-side with the case's single key (what
//! `mmjwt check --secret-file` does without SDK checks), server-side with a key ring holding the
//! key under the case's `kid` and no expectations (what the sandbox does), and with both SDK
//! emulations on. `cases()` expands every case into a concrete token so other tests (the
//! sandbox's) can feed the same corpus to their own layer and compare with `ring_primary`.
//!
//! Tokens that must carry a correct MAC are built here from header/payload text (a "recipe"), so
//! the corpus stays readable and the signatures stay right; the published vectors are literal.
//!
//! A family file has `family`, `description`, `defaults` (`now`, `leeway`, `key` hex, `kid`,
//! reference `header` and `payload` text) and `cases`. A case has `id` (`family/name`),
//! `description`, either `token` or `recipe`, optionally `now`, `leeway`, `key` (hex or `null`
//! for no key), `kid`, `expect` (`sub`/`app_code`/`kid`, then `ring` is required),
//! `require_signature`; and the expectations `valid`, `codes` (a set), `primary`, optionally
//! `ring` (`codes`/`primary` with a key ring and no expectations, when they differ), `verified`,
//! `warning_contains` (with both SDKs on), `length`, and `android`/`ios` verdicts (`accepted`, `code`, `message`).
//! A recipe takes `header`/`payload` text (or `_hex` bytes, or a literal `_b64` segment), `alg`
//! of the MAC (HS256/HS384/HS512), `sign_key`, `signed_header`/`signed_payload` (MAC over other
//! content), `signature` (`mac`, `empty`, `zeros`, `ones`, `truncate16`, `extend33`, ...) and
//! `transforms` applied in order: `suffix`, `insert`, `set`, `last_char`, `std_alphabet` (on a
//! segment), `resign` (MAC over the segments as they now are) and `repeat` (whole token).

use mmjwt::b64;
use mmjwt::problem::Code;
use mmjwt::sdk::{Platform, SdkSelection, SdkVerdict};
use mmjwt::secret::{HmacKey, Secret};
use mmjwt::token::check::{Expectations, KeyRing, Keys, Options, Report, check};
use mmjwt::token::report;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Values a case asks the caller to expect (`--user-id`, `--app-code`, `--key-id`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Expect {
    pub(crate) sub: Option<String>,
    pub(crate) app_code: Option<String>,
    pub(crate) kid: Option<String>,
}

/// One corpus case, expanded into a concrete token.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    pub(crate) id: String,
    pub(crate) token: String,
    pub(crate) now: i64,
    pub(crate) leeway: i64,
    /// The verifying key; `None` judges without one.
    pub(crate) key: Option<Vec<u8>>,
    /// The key id a key ring files the key under.
    pub(crate) kid: String,
    pub(crate) expect: Expect,
    pub(crate) require_signature: bool,
    pub(crate) valid: bool,
    /// Server-side codes with the single key (a set).
    pub(crate) codes: BTreeSet<Code>,
    pub(crate) primary: Option<Code>,
    /// Server-side codes with a key ring `{kid: key}` and no expectations (the sandbox's view).
    pub(crate) ring_codes: BTreeSet<Code>,
    pub(crate) ring_primary: Option<Code>,
    pub(crate) verified: Option<bool>,
    pub(crate) warning_contains: Option<String>,
    pub(crate) android: Option<SdkVerdict>,
    pub(crate) ios: Option<SdkVerdict>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Every family file except the Wycheproof data, which has its own schema.
fn family_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("wycheproof")
        })
        .collect();
    files.sort();
    files
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn code(v: &Value) -> Option<Code> {
    v.as_str()
        .map(|s| Code::from_name(s).unwrap_or_else(|| panic!("unknown code {s}")))
}

fn codes(v: &Value) -> BTreeSet<Code> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| code(c).unwrap())
        .collect()
}

fn verdict(v: &Value) -> Option<SdkVerdict> {
    if v.is_null() {
        return None;
    }
    if v["accepted"].as_bool().unwrap() {
        return Some(SdkVerdict::accepted());
    }
    Some(SdkVerdict {
        accepted: false,
        code: code(&v["code"]),
        message: v["message"].as_str().map(str::to_owned),
    })
}

/// Every token case of every family, expanded.
pub(crate) fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for path in family_files() {
        let doc = read_json(&path);
        let defaults = &doc["defaults"];
        for c in doc["cases"].as_array().unwrap() {
            out.push(expand(c, defaults));
        }
    }
    out
}

fn field<'a>(c: &'a Value, defaults: &'a Value, name: &str) -> &'a Value {
    match c.get(name) {
        Some(v) => v,
        None => &defaults[name],
    }
}

fn expand(c: &Value, defaults: &Value) -> Case {
    let id = c["id"].as_str().unwrap().to_owned();
    let key = field(c, defaults, "key").as_str().map(hex);
    let token = if let Some(t) = c.get("token") {
        t.as_str().unwrap().to_owned()
    } else {
        let sign_key = key
            .clone()
            .unwrap_or_else(|| hex(defaults["key"].as_str().unwrap()));
        build(&id, &c["recipe"], defaults, &sign_key)
    };
    if let Some(n) = c.get("length") {
        assert_eq!(
            token.len() as u64,
            n.as_u64().unwrap(),
            "{id}: token length"
        );
    }
    let e = c.get("expect").cloned().unwrap_or(Value::Null);
    let expect = Expect {
        sub: e["sub"].as_str().map(str::to_owned),
        app_code: e["app_code"].as_str().map(str::to_owned),
        kid: e["kid"].as_str().map(str::to_owned),
    };
    let codes_ = codes(&c["codes"]);
    let primary = code(&c["primary"]);
    let (ring_codes, ring_primary) = match c.get("ring") {
        Some(r) => (codes(&r["codes"]), code(&r["primary"])),
        None => {
            // Expectations are a single-key (CLI) notion; a case that sets them must say what
            // the sandbox's view is.
            assert!(c.get("expect").is_none(), "{id}: expect without ring");
            (codes_.clone(), primary)
        }
    };
    let valid = c["valid"].as_bool().unwrap();
    assert_eq!(valid, codes_.is_empty(), "{id}: valid vs codes");
    Case {
        token,
        now: field(c, defaults, "now").as_i64().unwrap(),
        leeway: field(c, defaults, "leeway").as_i64().unwrap(),
        key,
        kid: field(c, defaults, "kid").as_str().unwrap().to_owned(),
        expect,
        require_signature: c["require_signature"].as_bool().unwrap_or(false),
        valid,
        codes: codes_,
        primary,
        ring_codes,
        ring_primary,
        verified: c["verified"].as_bool(),
        warning_contains: c["warning_contains"].as_str().map(str::to_owned),
        android: verdict(&c["android"]),
        ios: verdict(&c["ios"]),
        id,
    }
}

/// One segment source: JSON text, raw bytes in hex, or a literal base64url segment.
fn segment(recipe: &Value, defaults: &Value, part: &str) -> String {
    if let Some(s) = recipe[format!("{part}_b64")].as_str() {
        return s.to_owned();
    }
    if let Some(h) = recipe[format!("{part}_hex")].as_str() {
        return b64::encode(&hex(h));
    }
    let text = recipe[part]
        .as_str()
        .or_else(|| defaults[part].as_str())
        .unwrap();
    b64::encode(text.as_bytes())
}

fn mac(alg: &str, key: &[u8], msg: &[u8]) -> Vec<u8> {
    use hmac::digest::KeyInit;
    use hmac::{Hmac, Mac};
    fn run<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
        let mut m = <M as Mac>::new_from_slice(key).unwrap();
        m.update(msg);
        m.finalize().into_bytes().to_vec()
    }
    match alg {
        "HS256" => HmacKey::new(key).sign(msg).to_vec(),
        "HS384" => run::<Hmac<sha2::Sha384>>(key, msg),
        "HS512" => run::<Hmac<sha2::Sha512>>(key, msg),
        other => panic!("unknown MAC alg {other}"),
    }
}

/// The signature bytes a recipe asks for over `signing_input`.
fn signature(recipe: &Value, key: &[u8], signing_input: &str) -> Vec<u8> {
    let alg = recipe["alg"].as_str().unwrap_or("HS256");
    let key = recipe["sign_key"]
        .as_str()
        .map_or_else(|| key.to_vec(), hex);
    let mut m = mac(alg, &key, signing_input.as_bytes());
    match recipe["signature"].as_str().unwrap_or("mac") {
        "mac" => m,
        "empty" => Vec::new(),
        "zeros" => vec![0; 32],
        "zeros64" => vec![0; 64],
        "ones" => vec![0xff; 32],
        "one_byte" => vec![m[0]],
        "truncate16" => m[..16].to_vec(),
        "extend33" => {
            m.push(0);
            m
        }
        "flip_first_bit" => {
            m[0] ^= 0x80;
            m
        }
        "flip_last_bit" => {
            let last = m.len() - 1;
            m[last] ^= 1;
            m
        }
        other => panic!("unknown signature kind {other}"),
    }
}

/// Builds a recipe's token: encode, sign, then apply the transforms in order.
fn build(id: &str, recipe: &Value, defaults: &Value, key: &[u8]) -> String {
    let h = segment(recipe, defaults, "header");
    let p = segment(recipe, defaults, "payload");
    let sh = recipe["signed_header"]
        .as_str()
        .map_or_else(|| h.clone(), |t| b64::encode(t.as_bytes()));
    let sp = recipe["signed_payload"]
        .as_str()
        .map_or_else(|| p.clone(), |t| b64::encode(t.as_bytes()));
    let sig = b64::encode(&signature(recipe, key, &format!("{sh}.{sp}")));
    let mut segs = vec![h, p, sig];
    let empty = Vec::new();
    for t in recipe["transforms"].as_array().unwrap_or(&empty) {
        let seg = t["seg"].as_u64().map(|s| s as usize);
        let text = t["text"].as_str().unwrap_or_default();
        match t["op"].as_str().unwrap() {
            "suffix" => segs[seg.unwrap()].push_str(text),
            "insert" => {
                let at = t["at"].as_u64().unwrap() as usize;
                segs[seg.unwrap()].insert_str(at, text);
            }
            "set" => text.clone_into(&mut segs[seg.unwrap()]),
            "last_char" => {
                let s = &mut segs[seg.unwrap()];
                let old = s.pop().unwrap();
                let new = t["char"].as_str().unwrap();
                assert_ne!(old.to_string(), new, "{id}: last_char changes nothing");
                s.push_str(new);
            }
            "std_alphabet" => {
                let s = &mut segs[seg.unwrap()];
                let std = s.replace('-', "+").replace('_', "/");
                assert_ne!(*s, std, "{id}: no '-' or '_' to replace");
                *s = std;
            }
            "resign" => {
                let input = format!("{}.{}", segs[0], segs[1]);
                segs[2] = b64::encode(&signature(recipe, key, &input));
            }
            "repeat" => {
                let n = t["count"].as_u64().unwrap() as usize;
                segs = vec![text.repeat(n)];
            }
            other => panic!("{id}: unknown transform {other}"),
        }
    }
    segs.join(".")
}

/// A key ring holding one key.
pub(crate) fn ring_of(kid: &str, key: &[u8]) -> HashMap<String, HmacKey> {
    HashMap::from([(kid.to_owned(), HmacKey::new(key))])
}

fn options<'a>(case: &'a Case, keys: Keys<'a>, sdk: SdkSelection, expect: bool) -> Options<'a> {
    Options {
        now: case.now,
        leeway: case.leeway,
        keys,
        expect: if expect {
            Expectations {
                sub: case.expect.sub.as_deref(),
                app_code: case.expect.app_code.as_deref(),
                kid: case.expect.kid.as_deref(),
            }
        } else {
            Expectations::default()
        },
        require_signature: case.require_signature,
        sdk,
    }
}

fn code_set(r: &Report) -> BTreeSet<Code> {
    r.problems.iter().map(|p| p.code).collect()
}

/// Judges one case every way; returns the disagreements (empty when the case passes).
fn judge(case: &Case) -> Vec<String> {
    let mut bad = Vec::new();
    let id = &case.id;
    let key = case.key.as_deref().map(HmacKey::new);
    let single = key.as_ref().map_or(Keys::None, Keys::Single);

    let r = check(
        &case.token,
        &options(case, single, SdkSelection::NONE, true),
    );
    if code_set(&r) != case.codes {
        bad.push(format!(
            "{id}: codes {:?}, expected {:?}",
            code_set(&r),
            case.codes
        ));
    }
    let primary = r.primary_problem().map(|p| p.code);
    if primary != case.primary {
        bad.push(format!(
            "{id}: primary {primary:?}, expected {:?}",
            case.primary
        ));
    }
    if r.valid() != case.valid {
        bad.push(format!("{id}: valid {}", r.valid()));
    }
    if let Some(v) = case.verified
        && r.verified != v
    {
        bad.push(format!("{id}: verified {}", r.verified));
    }
    let ring = case.key.as_deref().map(|k| ring_of(&case.kid, k));
    let ring_keys = ring
        .as_ref()
        .map_or(Keys::None, |r| Keys::Ring(r as &(dyn KeyRing + Sync)));
    let rr = check(
        &case.token,
        &options(case, ring_keys, SdkSelection::NONE, false),
    );
    if code_set(&rr) != case.ring_codes {
        bad.push(format!(
            "{id}: ring codes {:?}, expected {:?}",
            code_set(&rr),
            case.ring_codes
        ));
    }
    let rp = rr.primary_problem().map(|p| p.code);
    if rp != case.ring_primary {
        bad.push(format!(
            "{id}: ring primary {rp:?}, expected {:?}",
            case.ring_primary
        ));
    }

    let full = check(
        &case.token,
        &options(case, single, SdkSelection::BOTH, true),
    );
    // Warnings from the server layer and the SDK emulations alike (ANDROID_STACK_RISK), as the
    // human report prints them: code, then message.
    if let Some(w) = &case.warning_contains
        && !full
            .warnings
            .iter()
            .any(|x| format!("{}: {}", x.code, x.message).contains(w.as_str()))
    {
        bad.push(format!("{id}: no warning about {w}: {:?}", full.warnings));
    }
    let mut expected_full = case.codes.clone();
    for (name, got, want) in [
        ("android", &full.sdk[Platform::Android], &case.android),
        ("ios", &full.sdk[Platform::Ios], &case.ios),
    ] {
        if let Some(want) = want {
            if got.as_ref() != Some(want) {
                bad.push(format!("{id}: {name} {got:?}, expected {want:?}"));
            }
            expected_full.extend(want.code);
        } else if let Some(code) = got.as_ref().and_then(|g| g.code) {
            expected_full.insert(code);
        }
    }
    // The hand-written compact JSON must be exactly serde's rendering of the same report.
    let input = mmjwt::token::normalize_input(&case.token);
    for (report, line) in [(&full, Some(7)), (&r, None)] {
        let mut fast = String::new();
        report::write_json(&mut fast, report, &input, line, case.now, case.leeway);
        let view = report::json(report, &input, line, case.now, case.leeway);
        let slow = serde_json::to_string(&view).unwrap();
        if fast != slow {
            bad.push(format!("{id}: compact JSON differs:\n{fast}\n{slow}"));
        }
    }
    // Where the one-pass writer of the usual valid token takes a case, its line is the same.
    for (report, sdk, line) in [
        (&full, SdkSelection::BOTH, Some(7)),
        (&r, SdkSelection::NONE, None),
    ] {
        let mut quick = String::new();
        if mmjwt::token::quick::write_json(
            &mut quick,
            case.token.as_bytes(),
            line,
            &options(case, single, sdk, true),
        ) {
            let mut slow = String::new();
            report::write_json(&mut slow, report, &input, line, case.now, case.leeway);
            if quick != slow || !report.valid() {
                bad.push(format!("{id}: the quick line differs:\n{quick}\n{slow}"));
            }
        }
    }
    if code_set(&full) != expected_full {
        bad.push(format!(
            "{id}: with SDKs codes {:?}, expected {expected_full:?}",
            code_set(&full)
        ));
    }
    bad
}

#[test]
fn every_corpus_case_holds() {
    let all = cases();
    let failures: Vec<String> = all.iter().flat_map(judge).collect();
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases disagree:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

/// The equality above is not vacuous: valid corpus cases in the usual shape take the one-pass
/// writer.
#[test]
fn some_valid_corpus_cases_take_the_quick_path() {
    let all = cases();
    let taken = all
        .iter()
        .filter(|case| {
            let key = case.key.as_deref().map(HmacKey::new);
            let single = key.as_ref().map_or(Keys::None, Keys::Single);
            let opts = options(case, single, SdkSelection::BOTH, true);
            mmjwt::token::quick::write_json(&mut String::new(), case.token.as_bytes(), None, &opts)
        })
        .count();
    assert!(taken >= 3, "only {taken} of {} cases took it", all.len());
}

#[test]
fn case_ids_are_unique_and_named_after_their_family() {
    let mut seen = BTreeSet::new();
    for path in family_files() {
        let doc = read_json(&path);
        let family = doc["family"].as_str().unwrap();
        assert_eq!(
            path.file_stem().unwrap().to_string_lossy(),
            family,
            "file name"
        );
        for c in doc["cases"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            assert!(id.starts_with(&format!("{family}/")), "{id}");
            assert!(seen.insert(id.to_owned()), "duplicate id {id}");
        }
    }
}

/// MAC-level known answers (jsonwebtoken's sign_hs256, RFC 4231).
fn mac_cases() -> Vec<Value> {
    read_json(&corpus_dir().join("rfc_vectors.json"))["mac_cases"]
        .as_array()
        .unwrap()
        .clone()
}

fn bytes_of(c: &Value, name: &str) -> Vec<u8> {
    match (
        c[format!("{name}_hex")].as_str(),
        c[format!("{name}_text")].as_str(),
    ) {
        (Some(h), _) => hex(h),
        (None, Some(t)) => t.as_bytes().to_vec(),
        _ => panic!("{}: no {name}", c["id"]),
    }
}

#[test]
fn mac_known_answers() {
    let cases = mac_cases();
    assert_eq!(cases.len(), 8);
    for c in &cases {
        let key = HmacKey::new(&bytes_of(c, "key"));
        let msg = bytes_of(c, "msg");
        let tag = match c["tag_b64url"].as_str() {
            Some(t) => b64::decode_strict(t).unwrap(),
            None => hex(c["tag_hex"].as_str().unwrap()),
        };
        let valid = c["valid"].as_bool().unwrap();
        assert_eq!(key.verify(&msg, &tag), valid, "{}", c["id"]);
        if valid {
            assert_eq!(key.sign(&msg).as_slice(), tag.as_slice(), "{}", c["id"]);
        }
    }
}

/// Wycheproof HMAC-SHA256: full-length tags reproduce `result` exactly, every truncated tag is
/// refused, 128-bit keys verify at the MAC level but count as weak.
#[test]
fn wycheproof_hmac_sha256() {
    let doc = read_json(&corpus_dir().join("wycheproof_hmac_sha256.json"));
    let tests = doc["tests"].as_array().unwrap();
    assert_eq!(tests.len() as u64, doc["numberOfTests"].as_u64().unwrap());
    let (mut full, mut truncated, mut weak) = (0, 0, 0);
    for t in tests {
        let id = &t["tcId"];
        let key_bytes = hex(t["key"].as_str().unwrap());
        let key = HmacKey::new(&key_bytes);
        let msg = hex(t["msg"].as_str().unwrap());
        let tag = hex(t["tag"].as_str().unwrap());
        let expected = t["result"].as_str().unwrap() == "valid";
        match t["tagSize"].as_u64().unwrap() {
            256 => {
                full += 1;
                assert_eq!(key.verify(&msg, &tag), expected, "tcId {id}");
            }
            128 => {
                truncated += 1;
                assert!(!key.verify(&msg, &tag), "tcId {id}: truncated tag accepted");
                // A correct truncated tag is still refused: HS256 needs all 32 bytes.
                assert!(!key.verify(&msg, &key.sign(&msg)[..16]), "tcId {id}");
            }
            other => panic!("tcId {id}: tag size {other}"),
        }
        if t["keySize"].as_u64().unwrap() == 128 {
            weak += 1;
            assert!(Secret::from_bytes(key_bytes).is_weak(), "tcId {id}");
        } else {
            assert!(!Secret::from_bytes(key_bytes).is_weak(), "tcId {id}");
        }
    }
    assert_eq!((full, truncated, weak), (87, 87, 6));
}

/// Keep the corpus at 250 cases or more; docs/security.md states its size, which this holds.
#[test]
fn corpus_has_at_least_250_cases() {
    let tokens = cases().len();
    let macs = mac_cases().len();
    let wycheproof = read_json(&corpus_dir().join("wycheproof_hmac_sha256.json"))["tests"]
        .as_array()
        .unwrap()
        .len();
    let total = tokens + macs + wycheproof;
    assert!(tokens >= 250, "{tokens} token cases");
    assert!(total >= 250);
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/security.md"))
            .unwrap();
    for want in [
        format!("{tokens} token cases"),
        format!("{macs} MAC known answers"),
        format!("{wycheproof} Wycheproof HMAC-SHA256 vectors: **{total} cases**"),
    ] {
        assert!(
            doc.contains(&want),
            "docs/security.md does not say {want:?}"
        );
    }
}
