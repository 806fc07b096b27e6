//! The `check --json` line of a usual valid token, written in one pass: the one fast writer of
//! the `check --json` object, held byte for byte to the serde view
//! ([`report::json`](super::report::json)) of `check`'s report.
//!
//! Batch `check --json` spent most of its time building what [`check`](super::check::check)
//! builds for every token (twenty named steps, the header and claims as JSON values with an
//! owned string each, both SDK verdicts, a decoded copy of each segment) only to write it out
//! and drop it. For a token `token::usual` takes, valid and without a warning, that
//! report is fixed but for the values the token carries, and [`write_json`] writes it straight
//! from them. Anything else answers `false` and leaves `out` as it was, so the caller runs
//! `check` and writes its report: this path can step aside, never judge differently. Property
//! tests (here and over the corpus) hold its bytes equal to the serde view of `check_input`.
//!
//! Each thread keeps what consecutive lines of a batch share: the decoded segments' room, the
//! last `iat` and `exp` objects and the report's fixed end. None of it is a verdict: every
//! token is read and judged and its MAC computed.

use super::Segments;
use super::check::Options;
use super::report::SCHEMA;
use super::usual::{self, Object};
use crate::json::FlatValue;
use crate::json::write as jsonw;
use crate::sdk::Platform;

// `write_json` writes the schema number as a literal.
const _: () = assert!(SCHEMA == 3, "update the schema literal in write_json");

/// The steps every such report has, in `check`'s order, up to `exp` (all pass, so no detail).
const STEPS_TO_EXP: &str = concat!(
    "{\"name\":\"segments\",\"outcome\":\"pass\"},",
    "{\"name\":\"header encoding\",\"outcome\":\"pass\"},",
    "{\"name\":\"header JSON\",\"outcome\":\"pass\"},",
    "{\"name\":\"payload encoding\",\"outcome\":\"pass\"},",
    "{\"name\":\"payload JSON\",\"outcome\":\"pass\"},",
    "{\"name\":\"signature encoding\",\"outcome\":\"pass\"},",
    "{\"name\":\"alg\",\"outcome\":\"pass\"},",
    "{\"name\":\"header typ\",\"outcome\":\"pass\"},",
    "{\"name\":\"kid\",\"outcome\":\"pass\"},",
    "{\"name\":\"claim typ\",\"outcome\":\"pass\"},",
    "{\"name\":\"sub\",\"outcome\":\"pass\"},",
    "{\"name\":\"infobip-api-key\",\"outcome\":\"pass\"},",
    "{\"name\":\"jti\",\"outcome\":\"pass\"},",
    "{\"name\":\"iat\",\"outcome\":\"pass\"},",
    "{\"name\":\"exp\",\"outcome\":\"pass\"}",
);

/// An accepting SDK verdict as the report writes it (no plugin errors; Android also names no
/// legacy code).
fn accepted(platform: Platform) -> &'static str {
    match platform {
        Platform::Android => {
            "{\"accepted\":true,\"code\":null,\"message\":null,\"plugins\":null,\"empty_token\":null,\"legacy_code\":null}"
        }
        Platform::Ios => {
            "{\"accepted\":true,\"code\":null,\"message\":null,\"plugins\":null,\"empty_token\":null}"
        }
    }
}

/// Appends the compact `check --json` object for `raw` (without a newline) and answers `true`
/// when `raw` is a usual token (see `token::usual`) that `check_input` finds valid
/// without a warning; the exit code is then 0. Otherwise answers `false` and appends nothing:
/// run `check_input` and write its report. `line` is the stdin line; the input is never
/// `--exact` here (that mode notes every string). A usual token is base64url and dots only,
/// so `raw` is also what `normalize_input` leaves unchanged and notes nothing about, and it
/// needs no UTF-8 check of its own.
pub fn write_json(out: &mut String, raw: &[u8], line: Option<usize>, opts: &Options<'_>) -> bool {
    SCRATCH.with_borrow_mut(|scratch| write_json_with(out, raw, line, opts, scratch))
}

/// A thread's reusable room: the decoded segments, the end of the report for the last
/// combination of what varies there and the last times written.
struct Scratch {
    segments: Segments,
    iat: LastTime,
    exp: LastTime,
    tail: Tail,
}

/// The last time object written for one claim (`{"unix":…,"rfc3339":…,"relative":…}`), by the
/// two numbers it is made of: tokens minted together share their `iat` and `exp`, and a batch is
/// read at one `now`. Only the text is reused; the rules on the times run for every token.
#[derive(Default)]
struct LastTime {
    at: Option<(i64, i64)>,
    text: String,
}

impl LastTime {
    fn write(&mut self, out: &mut String, t: i64, now: i64) {
        if self.at != Some((t, now)) {
            self.text.clear();
            super::report::write_time(&mut self.text, t, now);
            self.at = Some((t, now));
        }
        out.push_str(&self.text);
    }
}

/// The report from `"sdk"` to its end, which for a valid token depends only on which SDKs are
/// emulated, whether there is an `nbf`, whether the signature was verified and which
/// expectations were given: written once per combination (a batch has one).
#[derive(Default)]
struct Tail {
    key: Option<u16>,
    text: String,
}

impl Tail {
    fn get(&mut self, opts: &Options<'_>, nbf: bool, verified: bool) -> &str {
        let want = &opts.expect;
        let key = Platform::ALL
            .map(|p| opts.sdk.contains(p))
            .into_iter()
            .chain([
                nbf,
                verified,
                want.sub.is_some(),
                want.app_code.is_some(),
                want.kid.is_some(),
            ])
            .fold(0u16, |k, bit| k << 1 | u16::from(bit));
        if self.key != Some(key) {
            self.text.clear();
            write_tail(&mut self.text, opts, nbf, verified);
            self.key = Some(key);
        }
        &self.text
    }
}

thread_local! {
    /// Each thread's [`Scratch`], reused (see [`Segments`]).
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch {
        segments: Segments::new(),
        iat: LastTime::default(),
        exp: LastTime::default(),
        tail: Tail::default(),
    });
}

fn write_json_with(
    out: &mut String,
    raw: &[u8],
    line: Option<usize>,
    opts: &Options<'_>,
    scratch: &mut Scratch,
) -> bool {
    let Scratch {
        segments,
        iat: iat_text,
        exp: exp_text,
        tail,
    } = scratch;
    let Some(t) = usual::read(raw, segments) else {
        return false;
    };
    if !t.valid(opts) || !t.quiet() || !t.sdks_accept(opts.sdk, opts.now) {
        return false;
    }
    let Some(verified) = t.verified(opts) else {
        return false;
    };

    out.push_str("{\"schema\":3,\"valid\":true");
    out.push_str(if verified {
        ",\"verified\":true,\"exit_code\":0,\"input\":{\"notes\":[],\"length\":"
    } else {
        ",\"verified\":false,\"exit_code\":0,\"input\":{\"notes\":[],\"length\":"
    });
    jsonw::int(out, raw.len());
    if let Some(l) = line {
        out.push_str(",\"line\":");
        jsonw::int(out, l);
    }
    out.push_str("},\"header\":");
    members(out, &t.header);
    out.push_str(",\"claims\":");
    members(out, &t.claims);
    out.push_str(",\"times\":{\"now\":");
    jsonw::int(out, opts.now);
    out.push_str(",\"leeway\":");
    jsonw::int(out, opts.leeway);
    out.push_str(",\"iat\":");
    iat_text.write(out, t.iat, opts.now);
    out.push_str(",\"exp\":");
    exp_text.write(out, t.exp, opts.now);
    out.push_str(",\"nbf\":");
    match t.nbf {
        Some(nbf) => super::report::write_time(out, nbf, opts.now),
        None => out.push_str("null"),
    }
    out.push_str(tail.get(opts, t.nbf.is_some(), verified));
    true
}

/// The report from the end of `times`, for a valid token with these options (see [`Tail`]).
fn write_tail(out: &mut String, opts: &Options<'_>, nbf: bool, verified: bool) {
    let want = &opts.expect;
    out.push_str("},\"sdk\":{");
    for (i, platform) in Platform::ALL.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(platform.name());
        out.push_str("\":");
        out.push_str(if opts.sdk.contains(platform) {
            accepted(platform)
        } else {
            "null"
        });
    }
    out.push_str("},\"checks\":[");
    out.push_str(STEPS_TO_EXP);
    if nbf {
        out.push_str(",{\"name\":\"nbf\",\"outcome\":\"pass\"}");
    }
    out.push_str(if verified {
        ",{\"name\":\"signature\",\"outcome\":\"pass\"}"
    } else {
        ",{\"name\":\"signature\",\"outcome\":\"skip\",\"detail\":\"NOT verified: no secret given\"}"
    });
    for (expected, step) in [
        (
            want.sub,
            ",{\"name\":\"expected sub\",\"outcome\":\"pass\"}",
        ),
        (
            want.app_code,
            ",{\"name\":\"expected app code\",\"outcome\":\"pass\"}",
        ),
        (
            want.kid,
            ",{\"name\":\"expected kid\",\"outcome\":\"pass\"}",
        ),
    ] {
        if expected.is_some() {
            out.push_str(step);
        }
    }
    out.push_str("],\"problems\":[],\"warnings\":[]}");
}

/// An object's members as serde_json writes them: a flat object's names and strings hold no
/// character serde escapes (no `"`, `\` or control character), integers are itoa's.
fn members(out: &mut String, f: &Object<'_>) {
    // What `mmjwt gen` and most issuers write: the text is already serde's.
    if f.is_compact() {
        out.push_str(f.source());
        return;
    }
    out.push('{');
    for (i, (name, value)) in f.all().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(name);
        out.push_str("\":");
        match *value {
            FlatValue::Str(s) => {
                out.push('"');
                out.push_str(s);
                out.push('"');
            }
            FlatValue::UInt(n) => jsonw::int(out, n),
            FlatValue::Int(n) => jsonw::int(out, n),
            FlatValue::Bool(true) => out.push_str("true"),
            FlatValue::Bool(false) => out.push_str("false"),
            FlatValue::Null => out.push_str("null"),
        }
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdk::SdkSelection;
    use crate::secret::{HmacKey, Secret};
    use crate::token::check::{Expectations, Keys, check_input};
    use crate::token::mint::{Claims, Minter};
    use crate::token::pitfalls::KeyVariants;
    use crate::token::{normalize_input, report};
    use proptest::prelude::*;

    const HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const NOW: i64 = 1_800_000_000;

    /// The general path, as `mmjwt check --json` runs it for a token this path leaves.
    fn general(raw: &str, line: Option<usize>, opts: &Options<'_>) -> (String, u8) {
        let input = normalize_input(raw);
        let r = check_input(raw, &input, opts);
        let mut s = String::new();
        report::write_json(&mut s, &r, &input, line, opts.now, opts.leeway);
        (s, r.exit_code())
    }

    /// Holds the quick path to the general one for `raw`; answers whether it was taken.
    fn agrees(raw: &str, line: Option<usize>, opts: &Options<'_>) -> Result<bool, String> {
        let mut quick = String::from("kept");
        let taken = write_json(&mut quick, raw.as_bytes(), line, opts);
        if !taken {
            return if quick == "kept" {
                Ok(false)
            } else {
                Err(format!("stepped aside but wrote {quick}"))
            };
        }
        let (slow, code) = general(raw, line, opts);
        if code != 0 {
            return Err(format!("taken for a token check refuses: {slow}"));
        }
        if quick["kept".len()..] != slow {
            return Err(format!("differs for {raw}:\n{}\n{slow}", &quick[4..]));
        }
        Ok(true)
    }

    fn minted(sub: &str, iat: i64, exp: i64, iss: Option<&str>) -> String {
        let secret = Secret::from_hex(HEX).unwrap();
        Minter::new("k-1", secret.hmac_key())
            .mint(&Claims {
                sub,
                app_code: "app",
                iat,
                exp,
                jti: "j-1",
                iss,
                extra: &[],
            })
            .0
    }

    #[test]
    fn a_minted_token_takes_the_quick_path_with_any_sdk_key_and_expectation() {
        let secret = Secret::from_hex(HEX).unwrap();
        let key = secret.hmac_key();
        let variants = KeyVariants::from_secret(&secret);
        let token = minted("alice", NOW - 60, NOW + 900, Some("app"));
        for sdk in [
            SdkSelection::BOTH,
            SdkSelection::NONE,
            SdkSelection::only(crate::sdk::Platform::Ios),
        ] {
            for keys in [
                Keys::None,
                Keys::Single(&key),
                Keys::SingleWithVariants(&key, &variants),
            ] {
                for expect in [
                    Expectations::default(),
                    Expectations {
                        sub: Some("alice"),
                        app_code: Some("app"),
                        kid: Some("k-1"),
                    },
                ] {
                    let opts = Options {
                        keys,
                        expect,
                        sdk,
                        ..Options::at(NOW)
                    };
                    for line in [None, Some(12)] {
                        assert_eq!(agrees(&token, line, &opts), Ok(true), "{keys:?} {expect:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn refusals_and_warnings_are_left_to_check() {
        let secret = Secret::from_hex(HEX).unwrap();
        let key = secret.hmac_key();
        let opts = Options {
            keys: Keys::Single(&key),
            ..Options::at(NOW)
        };
        for (why, raw, opts) in [
            ("expired", minted("a", NOW - 900, NOW, None), opts),
            (
                "short lifetime",
                minted("a", NOW - 10, NOW + 10, None),
                opts,
            ),
            ("iss differs", minted("a", NOW, NOW + 900, Some("x")), opts),
            (
                "cleaned",
                format!(" {}", minted("a", NOW, NOW + 900, None)),
                opts,
            ),
            (
                "bearer",
                format!("Bearer {}", minted("a", NOW, NOW + 900, None)),
                opts,
            ),
            (
                "wrong sub expected",
                minted("a", NOW, NOW + 900, None),
                Options {
                    expect: Expectations {
                        sub: Some("b"),
                        ..Expectations::default()
                    },
                    ..opts
                },
            ),
            (
                "no key, one required",
                minted("a", NOW, NOW + 900, None),
                Options {
                    keys: Keys::None,
                    require_signature: true,
                    ..opts
                },
            ),
        ] {
            let mut out = String::new();
            assert!(
                !write_json(&mut out, raw.as_bytes(), Some(1), &opts),
                "{why}"
            );
            assert!(out.is_empty(), "{why}");
        }
        let other = HmacKey::new(b"other");
        let mut out = String::new();
        let forged = minted("a", NOW, NOW + 900, None);
        let opts = Options {
            keys: Keys::Single(&other),
            ..opts
        };
        assert!(!write_json(&mut out, forged.as_bytes(), None, &opts));
    }

    fn signed(header: &str, payload: &str) -> String {
        let key = Secret::from_hex(HEX).unwrap().hmac_key();
        let si = format!(
            "{}.{}",
            crate::b64::encode(header.as_bytes()),
            crate::b64::encode(payload.as_bytes())
        );
        format!("{si}.{}", crate::b64::encode(&key.sign(si.as_bytes())))
    }

    /// What a thread remembers between tokens (the last time objects, the report's end)
    /// never carries one token's answer to the next:
    /// tokens that share a header but not a key id, a key, options or `now`, interleaved, each
    /// get their own general report.
    #[test]
    fn remembered_parts_never_leak_between_tokens() {
        let secret = Secret::from_hex(HEX).unwrap();
        let (key, other) = (secret.hmac_key(), HmacKey::new(b"another key"));
        let payload = format!(
            r#"{{"typ":"Bearer","sub":"a","infobip-api-key":"app","iat":{},"exp":{},"jti":"j"}}"#,
            NOW - 10,
            NOW + 900
        );
        let usual = signed(r#"{"alg":"HS256","typ":"JWT","kid":"k-1"}"#, &payload);
        let no_kid = signed(r#"{"alg":"HS256","typ":"JWT"}"#, &payload);
        let other_kid = signed(r#"{"alg":"HS256","typ":"JWT","kid":"k-2"}"#, &payload);
        let with = |keys, kid| Options {
            keys,
            expect: Expectations {
                kid,
                ..Expectations::default()
            },
            ..Options::at(NOW)
        };
        let cases = [
            (&usual, with(Keys::Single(&key), None), true),
            (&no_kid, with(Keys::Single(&key), None), false),
            (&usual, with(Keys::Single(&other), None), false),
            (&usual, with(Keys::Single(&key), Some("k-2")), false),
            (&other_kid, with(Keys::Single(&key), Some("k-2")), true),
            (&usual, with(Keys::Single(&key), None), true),
            (&usual, with(Keys::None, None), true),
            (&usual, with(Keys::Single(&key), Some("k-1")), true),
            // The same times seen from another now read differently ("in 14m" against "in 15m").
            (
                &usual,
                Options {
                    now: NOW + 60,
                    ..with(Keys::Single(&key), None)
                },
                true,
            ),
            (&usual, with(Keys::Single(&key), None), true),
        ];
        for round in 0..2 {
            for (i, (raw, opts, taken)) in cases.iter().enumerate() {
                assert_eq!(
                    agrees(raw, Some(i), opts),
                    Ok(*taken),
                    "round {round}, case {i}"
                );
            }
        }
    }

    /// The rules read the mandatory members by slot rather than through the SDKs' lists: each
    /// name on those lists, left out, still sends the token to `check`.
    #[test]
    fn every_mandatory_member_is_required() {
        let header = [("alg", "\"HS256\""), ("typ", "\"JWT\""), ("kid", "\"k-1\"")];
        let (iat, exp) = ((NOW - 10).to_string(), (NOW + 900).to_string());
        let claims = [
            ("typ", "\"Bearer\""),
            ("sub", "\"alice\""),
            ("infobip-api-key", "\"app\""),
            ("iat", iat.as_str()),
            ("exp", exp.as_str()),
            ("jti", "\"j-1\""),
        ];
        let text = |members: &[(&str, &str)], without: &str| {
            let parts: Vec<String> = members
                .iter()
                .filter(|(k, _)| *k != without)
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect();
            format!("{{{}}}", parts.join(","))
        };
        let secret = Secret::from_hex(HEX).unwrap();
        let key = secret.hmac_key();
        let opts = Options {
            keys: Keys::Single(&key),
            ..Options::at(NOW)
        };
        let whole = signed(&text(&header, ""), &text(&claims, ""));
        assert_eq!(agrees(&whole, None, &opts), Ok(true));
        for name in crate::sdk::MANDATORY_HEADERS {
            assert!(header.iter().any(|(k, _)| *k == name));
            let t = signed(&text(&header, name), &text(&claims, ""));
            assert_eq!(agrees(&t, None, &opts), Ok(false), "without {name}");
        }
        for name in crate::sdk::MANDATORY_CLAIMS {
            assert!(claims.iter().any(|(k, _)| *k == name));
            let t = signed(&text(&header, ""), &text(&claims, name));
            assert_eq!(agrees(&t, None, &opts), Ok(false), "without {name}");
        }
    }

    /// A member value near the usual ones: mostly the right thing, else something a rule or a
    /// reader treats differently.
    fn value_near(usual: &'static str) -> impl Strategy<Value = String> {
        prop_oneof![
            200 => Just(usual.to_string()),
            1 => Just(format!("\"{}\"", usual.trim_matches('"').to_uppercase())),
            1 => Just("\"\"".to_string()),
            1 => Just("\"a\\u0062\"".to_string()),
            1 => Just("\"é\u{2028}😀 x\"".to_string()),
            1 => Just("7".to_string()),
            1 => Just("null".to_string()),
            1 => Just("[\"x\"]".to_string()),
            1 => Just("{\"a\":1}".to_string()),
        ]
    }

    /// A NumericDate near `at`: integers mostly, else floats, strings, hex, milliseconds, huge.
    fn date_near(at: std::ops::Range<i64>) -> impl Strategy<Value = String> {
        let (low, high) = (at.start, at.end);
        prop_oneof![
            80 => at.clone().prop_map(|t| t.to_string()),
            10 => (low - 2000..high + 2000).prop_map(|t| t.to_string()),
            1 => at.clone().prop_map(|t| format!("{t}.5")),
            1 => at.clone().prop_map(|t| format!("\"{t}\"")),
            1 => Just("\"0x1p31\"".to_string()),
            1 => Just(format!("{}", low * 1000)),
            1 => Just("1.8e9".to_string()),
            1 => Just("18446744073709551615".to_string()),
            1 => Just("9223372036854775808".to_string()),
            1 => Just("-5".to_string()),
            1 => Just("-0".to_string()),
        ]
    }

    /// A JSON object from members, with odd whitespace where JSON allows it, sometimes a
    /// member left out, a repeated member or an extra one.
    fn object(
        members: Vec<(&'static str, String)>,
        drop: Option<usize>,
        extra: Option<(String, String)>,
        repeat: bool,
        ws: &'static str,
    ) -> String {
        let mut parts: Vec<String> = members
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != drop)
            .map(|(_, (k, v))| format!("\"{k}\"{ws}:{ws}{v}"))
            .collect();
        if let Some((k, v)) = extra {
            parts.push(format!("\"{k}\":{v}"));
        }
        if repeat && let Some(first) = parts.first().cloned() {
            parts.push(first);
        }
        format!("{ws}{{{ws}{}{ws}}}{ws}", parts.join(&format!(",{ws}")))
    }

    fn extra_member() -> impl Strategy<Value = Option<(String, String)>> {
        let name = prop_oneof![
            Just("x".to_string()),
            Just("nbf".to_string()),
            Just("aud".to_string()),
            Just("crit".to_string()),
            Just("jku".to_string()),
            Just("x5c".to_string()),
            Just("ünï".to_string()),
            Just("a\\u0062".to_string()),
            "[a-z]{1,4}".prop_map(|s| s),
        ];
        let value = prop_oneof![
            Just("1".to_string()),
            Just(NOW.to_string()),
            Just((NOW + 5000).to_string()),
            Just("true".to_string()),
            Just("false".to_string()),
            Just("null".to_string()),
            Just("\"v\"".to_string()),
            Just("-12".to_string()),
            Just("2.5".to_string()),
            Just("[]".to_string()),
        ];
        prop_oneof![2 => Just(None), 1 => (name, value).prop_map(Some)]
    }

    fn sometimes<T: std::fmt::Debug + Clone>(
        s: impl Strategy<Value = T>,
    ) -> impl Strategy<Value = Option<T>> {
        prop_oneof![8 => Just(None), 1 => s.prop_map(Some)]
    }

    fn whitespace() -> impl Strategy<Value = &'static str> {
        prop_oneof![12 => Just(""), 1 => Just(" "), 1 => Just("\n"), 1 => Just("\t \r")]
    }

    /// How a segment is encoded: canonical mostly, else padded, standard-alphabet or with a
    /// non-zero trailing bit where its length leaves some.
    fn encode(bytes: &[u8], how: u8) -> String {
        let canonical = crate::b64::encode(bytes);
        match how {
            0 => format!("{canonical}=="),
            1 => canonical.replace('-', "+").replace('_', "/"),
            2 if !canonical.len().is_multiple_of(4) => {
                // The last character's lowest bit is always an unused one: flip it.
                const ALPHABET: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                let mut v = canonical.into_bytes();
                let last = v.pop().unwrap();
                let i = ALPHABET.iter().position(|&c| c == last).unwrap();
                v.push(ALPHABET[i ^ 1]);
                String::from_utf8(v).unwrap()
            }
            _ => canonical,
        }
    }

    /// One generated token and how to judge it.
    #[derive(Debug, Clone)]
    struct Case {
        raw: String,
        now: i64,
        leeway: i64,
        sdk: SdkSelection,
        key_kind: u8,
        require_signature: bool,
        expect: (
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
        ),
        line: Option<usize>,
    }

    fn cases() -> impl Strategy<Value = Case> {
        let header = (
            value_near("\"HS256\""),
            value_near("\"JWT\""),
            value_near("\"k-1\""),
            sometimes(0usize..3),
            extra_member(),
            prop::bool::weighted(0.05),
            whitespace(),
        )
            .prop_map(|(alg, typ, kid, drop, extra, repeat, ws)| {
                object(
                    vec![("alg", alg), ("typ", typ), ("kid", kid)],
                    drop,
                    extra,
                    repeat,
                    ws,
                )
            });
        let claims = (
            (
                value_near("\"Bearer\""),
                value_near("\"alice\""),
                value_near("\"app\""),
                date_near(NOW - 1000..NOW),
                date_near(NOW + 100..NOW + 3000),
                value_near("\"j-1\""),
                prop_oneof![10 => value_near("\"app\""), 1 => Just("\"other\"".to_string())],
            ),
            (
                sometimes(0usize..7),
                extra_member(),
                prop::bool::weighted(0.05),
                whitespace(),
            ),
        )
            .prop_map(
                |((typ, sub, app, iat, exp, jti, iss), (drop, extra, repeat, ws))| {
                    object(
                        vec![
                            ("typ", typ),
                            ("sub", sub),
                            ("infobip-api-key", app),
                            ("iat", iat),
                            ("exp", exp),
                            ("jti", jti),
                            ("iss", iss),
                        ],
                        drop,
                        extra,
                        repeat,
                        ws,
                    )
                },
            );
        let encoding =
            || prop_oneof![20 => Just(3u8), 1 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)];
        let token = (
            header,
            claims,
            encoding(),
            encoding(),
            prop_oneof![12 => Just(3u8), 1 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
            prop_oneof![12 => Just(""), 1 => Just(" "), 1 => Just("Bearer "), 1 => Just("\t")],
        )
            .prop_map(|(h, c, he, ce, signature, prefix)| {
                let signing_input =
                    format!("{}.{}", encode(h.as_bytes(), he), encode(c.as_bytes(), ce));
                let key = Secret::from_hex(HEX).unwrap().hmac_key();
                let tag = match signature {
                    0 => HmacKey::new(b"other")
                        .sign(signing_input.as_bytes())
                        .to_vec(),
                    1 => HmacKey::new(HEX.as_bytes())
                        .sign(signing_input.as_bytes())
                        .to_vec(),
                    2 => key.sign(signing_input.as_bytes())[..16].to_vec(),
                    _ => key.sign(signing_input.as_bytes()).to_vec(),
                };
                format!("{prefix}{signing_input}.{}", crate::b64::encode(&tag))
            });
        let judging = (
            prop_oneof![4 => Just(NOW), 1 => (NOW - 3000)..(NOW + 3000)],
            prop_oneof![6 => Just(0i64), 1 => Just(30), 1 => Just(3000)],
            prop::sample::select(vec![
                SdkSelection::BOTH,
                SdkSelection::BOTH,
                SdkSelection::BOTH,
                SdkSelection::NONE,
                SdkSelection::only(crate::sdk::Platform::Android),
                SdkSelection::only(crate::sdk::Platform::Ios),
            ]),
            prop_oneof![1 => Just(0u8), 1 => Just(1u8), 4 => Just(2u8)],
            prop::bool::weighted(0.2),
            (
                sometimes(prop::sample::select(vec!["alice", "bob"])),
                sometimes(prop::sample::select(vec!["app", "APP"])),
                sometimes(prop::sample::select(vec!["k-1", "k-2"])),
            ),
            prop::option::of(1usize..100_000),
        );
        (token, judging).prop_map(
            |(raw, (now, leeway, sdk, key_kind, require_signature, expect, line))| Case {
                raw,
                now,
                leeway,
                sdk,
                key_kind,
                require_signature,
                expect,
                line,
            },
        )
    }

    /// Wherever the quick path writes a line, it is the general path's line byte for byte (and
    /// the token is valid); where it steps aside it writes nothing. Tokens near the usual shape
    /// (odd whitespace, escapes, unicode, numbers as floats, strings or hex, repeated, missing
    /// and extra members, expired, not yet valid, wrong or mistaken keys, padding, the standard
    /// alphabet, cleaned input, every SDK selection, key mode and expectation); the run also
    /// counts how many took the quick path, so the equality is not vacuous.
    #[test]
    fn quick_path_never_differs_from_check() {
        // The strategy is deeply nested; unoptimised test builds need more than the default
        // test thread's stack to build and run it.
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(quick_path_never_differs_from_check_run)
            .unwrap()
            .join()
            .unwrap();
    }

    fn quick_path_never_differs_from_check_run() {
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(4000));
        let taken = std::cell::Cell::new(0u32);
        let left = std::cell::Cell::new(0u32);
        let secret = Secret::from_hex(HEX).unwrap();
        let key = secret.hmac_key();
        let variants = KeyVariants::from_secret(&secret);
        runner
            .run(&cases(), |case| {
                let opts = Options {
                    now: case.now,
                    leeway: case.leeway,
                    keys: match case.key_kind {
                        0 => Keys::None,
                        1 => Keys::Single(&key),
                        _ => Keys::SingleWithVariants(&key, &variants),
                    },
                    expect: Expectations {
                        sub: case.expect.0,
                        app_code: case.expect.1,
                        kid: case.expect.2,
                    },
                    require_signature: case.require_signature,
                    sdk: case.sdk,
                };
                match agrees(&case.raw, case.line, &opts) {
                    Ok(true) => taken.set(taken.get() + 1),
                    Ok(false) => left.set(left.get() + 1),
                    Err(e) => return Err(TestCaseError::fail(e)),
                }
                Ok(())
            })
            .unwrap();
        // Both sides well represented (the shrinking of a failure would have stopped above).
        let (taken, left) = (taken.get(), left.get());
        assert!(taken >= 400 && left >= 400, "taken {taken}, left {left}");
    }

    proptest! {
        /// The tokens `mmjwt gen` makes, judged inside their lifetime, take the quick path.
        #[test]
        fn minted_tokens_take_the_quick_path(
            sub in "[ -!#-\\[\\]-~é]{1,12}",
            life in 60i64..100_000,
            age in 0i64..60,
            iss in any::<bool>(),
            line in prop::option::of(1usize..100_000),
        ) {
            let token = minted(&sub, NOW - age, NOW - age + life, iss.then_some("app"));
            let secret = Secret::from_hex(HEX).unwrap();
            let key = secret.hmac_key();
            let opts = Options { keys: Keys::Single(&key), ..Options::at(NOW) };
            prop_assert_eq!(agrees(&token, line, &opts), Ok(true));
        }
    }
}
