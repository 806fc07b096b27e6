//! replay's iOS bodies against the real thing: `tests/swift/IosBodyOracle.swift` builds the
//! dictionaries the iOS SDK builds for saveUser and personalize (tags a `Set<String>`, phones
//! and emails as strings, the custom attributes' payload conversion, the saveUser delta) and
//! serialises them with Foundation's `JSONSerialization` and the SDK's options
//! (`[.withoutEscapingSlashes, .sortedKeys]`), compiled by the Swift toolchain of the iOS
//! differential (`ios_differential`). The Android test's generator (`replay_differential`) and
//! hand-written probes must come out of `mmjwt replay save-user|personalize --sdk ios
//! --dry-run` byte for byte as Foundation writes them, except for the differences in [`KNOWN`],
//! each counted by name; any other difference fails.
//!
//! Without a toolchain the test prints what it skipped and passes, except under `CI=true`,
//! where it fails.

use crate::ios_differential::{Oracle, SETUP, compile_swift};
use crate::replay_differential::{Gen, mmjwt_body};
use crate::support::oracle;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;

/// Bodies per kind; the seed is fixed, so every run sends the same data.
const PER_KIND: usize = 150;
const SEED: u64 = 0x6d6d_6a77_742d_696f;

/// Tags are a `Set<String>`: a device sends them in the set's order, which changes from one
/// app launch to the next; mmjwt sends them in `--data` order (one of those orders).
const TAGS: &str = "tags in a Set's order";
/// Linux Foundation writes doubles in the fewest digits (`0.1`, `1e-07`); mmjwt writes them as
/// Apple's writer does, `%.17g` (`0.10000000000000001`, `9.9999999999999995e-08`; spec 5.10).
/// Both read back as the same double, and whole ones are spelled alike (`100`, `-0`, `1e+21`).
const DOUBLES: &str = "Linux Foundation's spelling of doubles";

/// Every known difference; anything else fails the test, a key in another order included.
const KNOWN: [&str; 2] = [TAGS, DOUBLES];

/// Foundation's body (or `<answer>`) for each `(kind, data)`, in order.
fn swift_answers(oracle: &Oracle, requests: &[(&str, String)]) -> Vec<String> {
    let requests = requests
        .iter()
        .map(|(kind, data)| ((*kind).to_string(), data.as_bytes()));
    oracle::exchange(oracle.command(), "Swift", requests)
        .iter()
        .map(|a| oracle::ok_text(a))
        .collect()
}

/// Hand-written data for each rule of spec 5.10 and each difference found by this test.
fn probes() -> Vec<(&'static str, String)> {
    let patch = [
        r#"{"customAttributes":{"l":[]}}"#,
        r#"{"customAttributes":{"l":[{}]}}"#,
        r#"{"customAttributes":{}}"#,
        r#"{"firstName":"x","customAttributes":{"l":[]}}"#,
        r#"{"customAttributes":{"m":[{}],"n":[{"a":1},{}],"o":[{"a":null}]}}"#,
        r#"{"customAttributes":{"d":1.0,"e":0.1,"f":1e-7,"g":-0.0,"h":1e21,"i":2.5E10}}"#,
        r#"{"customAttributes":{"big":-10000000000000000000000000,"u":18446744073709551615,"n":-9223372036854775808}}"#,
        r#"{"customAttributes":{"a10":1,"a9":2,"B":3,"a":4,"Z":5}}"#,
        r#"{"customAttributes":{"e":1,"E":2,"a1":3,"A1":4,"a01":5}}"#,
        r#"{"customAttributes":{"é":1,"Z":2,"_x":3,"<":4," ":5}}"#,
        r#"{"tags":["t","t","u"],"emails":[{"address":"x","preferred":true},{"address":"x"}]}"#,
        r#"{"phones":[],"emails":[],"tags":[],"firstName":null,"birthday":"1990-01-31"}"#,
        r#"{"firstName":"a/b\u0001\u001f\u2028\"\\"}"#,
    ];
    let personalize = [
        r#"{"userIdentity":{"externalUserId":"u","phones":[],"emails":[]}}"#,
        r#"{"userIdentity":{"externalUserId":"u"},"userAttributes":{"firstName":null,"customAttributes":null}}"#,
        r#"{"userIdentity":{"externalUserId":"u"},"userAttributes":{}}"#,
        r#"{"userIdentity":{"externalUserId":"u"},"userAttributes":{"customAttributes":{"l":[]}}}"#,
        r#"{"userIdentity":{"externalUserId":"u"},"userAttributes":{"customAttributes":{"x":null}}}"#,
        r#"{"userIdentity":{"externalUserId":"u"},"userAttributes":null}"#,
    ];
    patch
        .iter()
        .map(|d| ("patch", (*d).to_string()))
        .chain(
            personalize
                .iter()
                .map(|d| ("personalize", (*d).to_string())),
        )
        .collect()
}

#[test]
fn ios_bodies_agree_with_the_sdks_dictionaries_and_the_real_foundation() {
    let oracle = match compile_swift("IosBodyOracle.swift") {
        Ok(o) => o,
        Err(what) => {
            let line = format!(
                "SKIPPED: ios wire differential: no Swift toolchain ({what}); set it up with `{SETUP}`"
            );
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{line} (CI=true: the differential test must run in CI)"
            );
            let _ = writeln!(std::io::stderr(), "{line}");
            return;
        }
    };
    let mut requests = probes();
    let mut g = Gen(SEED);
    for _ in 0..PER_KIND {
        requests.push(("patch", g.patch()));
        requests.push(("personalize", g.personalize()));
    }
    let swift = swift_answers(&oracle, &requests);
    let mut disagreements = Vec::new();
    let mut known = BTreeMap::<&str, usize>::new();
    let mut with_known = 0;
    for ((kind, data), swift) in requests.iter().zip(&swift) {
        let ours = mmjwt_body("ios", kind, data);
        // No request on either side: the SDK sends nothing, mmjwt refuses with that reason.
        if swift == "<NONE>" && ours.starts_with("<exit") && ours.contains("sends no request") {
            continue;
        }
        match explain(swift, &ours) {
            Ok(names) if names.is_empty() => {}
            Ok(names) if oracle.on_linux() || !names.contains(DOUBLES) => {
                with_known += 1;
                for n in names {
                    *known.entry(n).or_default() += 1;
                }
            }
            Ok(names) => disagreements.push(format!(
                "  {kind} --data {data}\n    {names:?} off Linux\n    swift: {swift}\n    mmjwt: {ours}"
            )),
            Err(why) => disagreements.push(format!(
                "  {kind} --data {data}\n    {why}\n    swift: {swift}\n    mmjwt: {ours}"
            )),
        }
    }
    let agree = requests.len() - with_known - disagreements.len();
    let names: Vec<String> = KNOWN
        .iter()
        .map(|n| format!("{n}: {}", known.get(n).copied().unwrap_or(0)))
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "ios wire differential: {} bodies, {agree} agree, {with_known} with known differences ({}), {} unexplained",
        requests.len(),
        names.join(", "),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} bodies differ from the SDK's dictionaries through the real Foundation in ways no known difference explains; the first ones:\n{}",
        disagreements.len(),
        requests.len(),
        disagreements[..disagreements.len().min(8)].join("\n")
    );
    // On Linux the doubles' spelling must still show, or the list is out of date.
    if oracle.on_linux() {
        assert!(known.contains_key(DOUBLES), "no double spelled differently");
    }
}

/// The known differences that turn Foundation's body into mmjwt's, or what no known difference
/// explains.
fn explain(swift: &str, ours: &str) -> Result<BTreeSet<&'static str>, String> {
    let mut names = BTreeSet::new();
    if swift == ours {
        return Ok(names);
    }
    let parse = |s: &str| {
        serde_json::from_str::<Value>(&canonical_numbers(s)).map_err(|e| format!("not JSON: {e}"))
    };
    let (mut s, o) = (parse(swift)?, parse(ours)?);
    align(&mut s, &o, "", &mut names)?;
    // `==` ignores member order; the text does not.
    if s != o || serde_json::to_string(&s).ok() != serde_json::to_string(&o).ok() {
        return Err("the values differ".into());
    }
    if number_tokens(swift) != number_tokens(ours) {
        names.insert(DOUBLES);
    }
    debug_assert!(names.iter().all(|n| KNOWN.contains(n)));
    Ok(names)
}

/// Reorders `s`'s members and tags to `o`'s order where a known difference allows it.
fn align(
    s: &mut Value,
    o: &Value,
    key: &str,
    names: &mut BTreeSet<&'static str>,
) -> Result<(), String> {
    match (s, o) {
        (Value::Object(sm), Value::Object(om)) => {
            let sk: Vec<String> = sm.keys().cloned().collect();
            let ok: Vec<&String> = om.keys().collect();
            if sk.len() != ok.len() || !ok.iter().all(|k| sm.contains_key(*k)) {
                return Err(format!("members differ: {sk:?} / {ok:?}"));
            }
            if sk.iter().collect::<Vec<_>>() != ok {
                return Err(format!("keys in another order: {sk:?} / {ok:?}"));
            }
            let mut reordered = serde_json::Map::new();
            for k in &ok {
                let mut v = sm.shift_remove(*k).unwrap_or(Value::Null);
                align(&mut v, &om[*k], k, names)?;
                reordered.insert((*k).clone(), v);
            }
            *sm = reordered;
            Ok(())
        }
        (Value::Array(sa), Value::Array(oa)) => {
            if sa.len() != oa.len() {
                return Err(format!("{key}: {} items / {}", sa.len(), oa.len()));
            }
            if key == "tags" && sa != oa {
                let mut sorted_s = sa.clone();
                let mut sorted_o = oa.clone();
                let by_text = |a: &Value, b: &Value| a.to_string().cmp(&b.to_string());
                sorted_s.sort_by(by_text);
                sorted_o.sort_by(by_text);
                if sorted_s == sorted_o {
                    names.insert(TAGS);
                    sa.clone_from(oa);
                }
            }
            for (sv, ov) in sa.iter_mut().zip(oa) {
                align(sv, ov, key, names)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Each number token outside strings replaced by the double it reads as, except integers
/// beyond 2^53 that no double equals, which stay as written (a double could not tell them
/// apart). A whole double that `%.17g` writes without an exponent (`10000000000000000`) is
/// such a double.
fn canonical_numbers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    scan(s, |piece, number| {
        if !number {
            out.push_str(piece);
            return;
        }
        let integer = !piece.contains(['.', 'e', 'E']);
        let exact = piece
            .parse::<i128>()
            .is_ok_and(|i| i.unsigned_abs() <= 1 << 53 || (i as f64) as i128 == i);
        match piece.parse::<f64>() {
            Ok(d) if !integer || exact => {
                let _ = write!(out, "{d:e}");
            }
            _ => out.push_str(piece),
        }
    });
    out
}

/// The number tokens as written, sorted (members may be in another order).
fn number_tokens(s: &str) -> Vec<String> {
    let mut v = Vec::new();
    scan(s, |piece, number| {
        if number {
            v.push(piece.to_string());
        }
    });
    v.sort();
    v
}

/// Calls `f` with each piece of JSON text and whether it is a number token.
fn scan(s: &str, mut f: impl FnMut(&str, bool)) {
    let bytes = s.as_bytes();
    let (mut i, mut start) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                f(&s[start..i], false);
                let begin = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                f(&s[begin..i], true);
                start = i;
            }
            _ => i += 1,
        }
    }
    f(&s[start.min(s.len())..], false);
}
