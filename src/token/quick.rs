//! The `check --json` line of a token in the common shape, judged and written in one pass.
//!
//! Batch `check --json` spent most of its time building what [`check`](super::check::check)
//! builds for every token (twenty named steps, the header and claims as JSON values with an
//! owned string each, both SDK verdicts, a decoded copy of each segment) only to write it out
//! and drop it. [`write_json`] reads the usual token instead: a plain string (base64url and
//! dots only, so nothing is cleaned), canonical segments, flat JSON objects without repeated
//! names (`json::scan_flat`, borrowed slices on the stack), every rule passing, no warning. For
//! such a token the report is fixed but for the values the token carries, and this writes it
//! straight from them. Anything else, every failed rule and every warning included, answers
//! `false` and leaves `out` as it was, so the caller runs `check` and writes its report: this
//! path can step aside, never judge differently. Property tests (here and over the corpus) hold
//! its bytes equal to [`report::write_json`](super::report::write_json) of `check_input`.
//!
//! Each thread keeps what consecutive tokens of a batch share, keyed by everything it depends
//! on: the last header segment that passed, the MAC state after the first 64 bytes, the last
//! `iat` and `exp` objects, the report's fixed end. None of it is a verdict: every token's
//! payload is read and judged and its MAC computed and compared.

use super::check::{Keys, Options};
use super::report::SCHEMA;
use super::{MAX_TOKEN_BYTES, Segments};
use crate::b64;
use crate::json::write as jsonw;
use crate::json::{FlatObject, FlatValue};
use crate::secret::FirstBlock;

// `write_json` writes the schema number as a literal.
const _: () = assert!(SCHEMA == 2, "update the schema literal in write_json");

/// The header members this path reads, by slot.
const HEADER_NAMES: [&str; 8] = ["alg", "typ", "kid", "crit", "jku", "x5u", "jwk", "x5c"];
const ALG: usize = 0;
const HTYP: usize = 1;
const KID: usize = 2;
/// `crit` and the key references: present, they fail a check or warn.
const HEADER_REFUSED: std::ops::Range<usize> = 3..8;

/// The claims this path reads, by slot.
const CLAIM_NAMES: [&str; 9] = [
    "typ",
    "sub",
    "infobip-api-key",
    "iat",
    "exp",
    "jti",
    "iss",
    "nbf",
    "aud",
];
const CTYP: usize = 0;
const SUB: usize = 1;
const APP: usize = 2;
const IAT: usize = 3;
const EXP: usize = 4;
const JTI: usize = 5;
const ISS: usize = 6;
const NBF: usize = 7;
const AUD: usize = 8;

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

/// An accepting SDK verdict as the report writes it (no plugin errors, no legacy code).
const ANDROID_ACCEPTED: &str =
    "{\"accepted\":true,\"code\":null,\"message\":null,\"plugins\":null,\"legacy_code\":null}";
const IOS_ACCEPTED: &str = "{\"accepted\":true,\"code\":null,\"message\":null,\"plugins\":null}";

/// Appends the compact `check --json` object for `raw` (without a newline) and answers `true`
/// when `raw` is a plain token of the common shape that `check_input` finds valid without a
/// warning; the exit code is then 0. Otherwise answers `false` and appends nothing: run
/// `check_input` and `report::write_json`. `line` is the stdin line, as for
/// `report::write_json`; the input is never `--exact` here (that mode notes every string).
/// `raw` is the line's bytes: this path takes only base64url and dots, so it needs no UTF-8
/// check of its own.
pub fn write_json(out: &mut String, raw: &[u8], line: Option<usize>, opts: &Options<'_>) -> bool {
    SCRATCH.with_borrow_mut(|scratch| write_json_with(out, raw, line, opts, scratch))
}

/// A thread's reusable room: the decoded segments, the last header that passed, the end of the
/// report for the last combination of what varies there, and the MAC state after the last
/// token's first block.
struct Scratch {
    segments: Segments,
    header: LastHeader,
    iat: LastTime,
    exp: LastTime,
    tail: Tail,
    mac: FirstBlock,
}

/// The last header segment that passed every header rule, with what the report takes from it.
/// The rules read nothing but the header, so the same segment passes again: tokens from one
/// issuer share it, and a batch decodes and reads it once instead of per token.
#[derive(Default)]
struct LastHeader {
    segment: Vec<u8>,
    /// The `header` member of the report.
    json: String,
    kid: String,
}

impl LastHeader {
    /// Whether `h64` is a header this path takes (header encoding, header JSON, alg, header
    /// typ, kid, no crit and no key reference); if so it is now the last one.
    fn take(&mut self, h64: &[u8], buf: &mut [u8]) -> bool {
        if !self.segment.is_empty() && self.segment == h64 {
            return true;
        }
        let Some(header) = b64::decode_segment(h64, buf) else {
            return false;
        };
        let mut head = FlatObject::empty();
        // header members (every mandatory one is read here), alg, header typ, kid, crit; the
        // key references only warn, but a warning is not this path's to write
        if !head.read(header, &HEADER_NAMES)
            || !head.is(ALG, "HS256")
            || !head.is(HTYP, "JWT")
            || head.has_any(HEADER_REFUSED)
        {
            return false;
        }
        let Some(kid) = head.text(KID) else {
            return false;
        };
        self.json.clear();
        members(&mut self.json, &head);
        self.kid.clear();
        self.kid.push_str(kid);
        self.segment.clear();
        self.segment.extend_from_slice(h64);
        true
    }
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
/// expectations were given: written once per combination (a batch has one) instead of about
/// fifteen pieces per token.
#[derive(Default)]
struct Tail {
    key: Option<u8>,
    text: String,
}

impl Tail {
    fn get(&mut self, opts: &Options<'_>, nbf: bool, verified: bool) -> &str {
        let want = &opts.expect;
        let key = [
            opts.sdk.android,
            opts.sdk.ios,
            nbf,
            verified,
            want.sub.is_some(),
            want.app_code.is_some(),
            want.kid.is_some(),
        ]
        .iter()
        .fold(0u8, |k, &bit| k << 1 | u8::from(bit));
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
        header: LastHeader::default(),
        iat: LastTime::default(),
        exp: LastTime::default(),
        tail: Tail::default(),
        mac: FirstBlock::default(),
    });
}

#[allow(clippy::too_many_lines)] // one rule after another, each named by check's step
fn write_json_with(
    out: &mut String,
    raw: &[u8],
    line: Option<usize>,
    opts: &Options<'_>,
    scratch: &mut Scratch,
) -> bool {
    // Three segments that decode as canonical base64url hold only `A-Z a-z 0-9 - _` between
    // their two dots, so `raw` is also what `normalize_input` leaves unchanged and notes
    // nothing about (whitespace, `Authorization:` and `Bearer ` each need another character).
    let token = raw;
    if token.len() > MAX_TOKEN_BYTES {
        return false;
    }
    // segments
    let mut dots = memchr::memchr_iter(b'.', token);
    let (Some(first_dot), Some(second_dot), None) = (dots.next(), dots.next(), dots.next()) else {
        return false;
    };
    let (h64, p64, s64) = (
        &token[..first_dot],
        &token[first_dot + 1..second_dot],
        &token[second_dot + 1..],
    );
    // header encoding, payload encoding, signature encoding (an HS256 signature is 32 bytes)
    let Scratch {
        segments,
        header,
        iat: iat_text,
        exp: exp_text,
        tail,
        mac,
    } = scratch;
    let (hbuf, pbuf, sbuf) = segments.split();
    // the header rules, on the header's first sight
    if !header.take(h64, hbuf) {
        return false;
    }
    let kid = header.kid.as_str();
    let (Some(payload), Some(signature)) = (
        b64::decode_segment(p64, pbuf),
        b64::decode_segment(s64, sbuf),
    ) else {
        return false;
    };
    if signature.len() != 32 {
        return false;
    }
    // payload JSON: a strict flat object without repeated names
    let mut body = FlatObject::empty();
    if !body.read(payload, &CLAIM_NAMES) {
        return false;
    }
    // claims present (every mandatory one is read here), claim typ, sub, infobip-api-key, jti
    if !body.is(CTYP, "Bearer") {
        return false;
    }
    let (Some(sub), Some(app_code), Some(_jti)) = (body.text(SUB), body.text(APP), body.text(JTI))
    else {
        return false;
    };
    // AUD_NOT_CHECKED and ISS_DIFFERS are warnings
    if body.has(AUD)
        || body
            .get(ISS)
            .is_some_and(|v| matches!(v, FlatValue::Str(s) if s != app_code))
    {
        return false;
    }
    // iat, exp, exp after iat, nbf: integers, in check's arithmetic
    let (Some(iat), Some(exp)) = (body.date(IAT), body.date(EXP)) else {
        return false;
    };
    let nbf = match body.get(NBF) {
        None => None,
        Some(v) => match v.as_i64() {
            Some(n) => Some(n),
            None => return false,
        },
    };
    let (now, leeway) = (i128::from(opts.now), i128::from(opts.leeway));
    if i128::from(iat) > now + leeway
        || now >= i128::from(exp) + leeway
        || exp <= iat
        || nbf.is_some_and(|nbf| i128::from(nbf) > now + leeway)
    {
        return false;
    }
    // The pitfalls' time warnings: TIME_IN_MILLISECONDS (as f64, as they read it) and
    // SHORT_LIFETIME (EXPIRED_AT_ISSUE cannot happen with exp after iat).
    #[allow(clippy::cast_precision_loss)] // the same conversion the warning makes
    let in_ms = |t: i64| (t as f64).abs() > super::pitfalls::MILLISECONDS_ABOVE;
    if in_ms(iat)
        || in_ms(exp)
        || nbf.is_some_and(in_ms)
        || i128::from(exp) - i128::from(iat) < i128::from(super::pitfalls::SHORT_LIFETIME_BELOW)
    {
        return false;
    }
    // The SDKs reuse the strict parse of a clean segment: both accept unless exp has passed,
    // Android comparing the long, iOS the doubles (no leeway on a device).
    #[allow(clippy::cast_precision_loss)] // the SDK's own conversion
    let ios_live = (opts.now as f64) < (exp as f64);
    if (opts.sdk.android && opts.now >= exp) || (opts.sdk.ios && !ios_live) {
        return false;
    }
    // expected sub, expected app code, expected kid
    let want = &opts.expect;
    if want.sub.is_some_and(|x| x != sub)
        || want.app_code.is_some_and(|x| x != app_code)
        || want.kid.is_some_and(|x| x != kid)
    {
        return false;
    }
    // signature: verified with the one key, or (no key, none required) skipped
    let signing_input = &token[..second_dot];
    let verified = match opts.keys {
        Keys::None if !opts.require_signature => false,
        // A key's variants only ever word a failure; a valid token never needs them.
        Keys::Single(k) | Keys::SingleWithVariants(k, _)
            if mac.verify(k, signing_input, signature) =>
        {
            true
        }
        // No key where one is required, a key ring (the sandbox's), a signature that does not
        // verify: check words those.
        _ => return false,
    };

    out.push_str("{\"schema\":2,\"valid\":true");
    out.push_str(if verified {
        ",\"verified\":true,\"exit_code\":0,\"input\":{\"notes\":[],\"length\":"
    } else {
        ",\"verified\":false,\"exit_code\":0,\"input\":{\"notes\":[],\"length\":"
    });
    jsonw::int(out, token.len());
    if let Some(l) = line {
        out.push_str(",\"line\":");
        jsonw::int(out, l);
    }
    out.push_str("},\"header\":");
    out.push_str(&header.json);
    out.push_str(",\"claims\":");
    members(out, &body);
    out.push_str(",\"times\":{\"now\":");
    jsonw::int(out, opts.now);
    out.push_str(",\"leeway\":");
    jsonw::int(out, opts.leeway);
    out.push_str(",\"iat\":");
    iat_text.write(out, iat, opts.now);
    out.push_str(",\"exp\":");
    exp_text.write(out, exp, opts.now);
    out.push_str(",\"nbf\":");
    match nbf {
        Some(t) => super::report::write_time(out, t, opts.now),
        None => out.push_str("null"),
    }
    out.push_str(tail.get(opts, nbf.is_some(), verified));
    true
}

/// The report from the end of `times`, for a valid token with these options (see [`Tail`]).
fn write_tail(out: &mut String, opts: &Options<'_>, nbf: bool, verified: bool) {
    let want = &opts.expect;
    out.push_str("},\"sdk\":{\"android\":");
    out.push_str(if opts.sdk.android {
        ANDROID_ACCEPTED
    } else {
        "null"
    });
    out.push_str(",\"ios\":");
    out.push_str(if opts.sdk.ios { IOS_ACCEPTED } else { "null" });
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
fn members<const N: usize>(out: &mut String, f: &FlatObject<'_, N>) {
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
    use crate::token::check::{Expectations, check_input};
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

    /// What a thread remembers between tokens (the last header, the MAC's first block, the
    /// last time objects, the report's end) never carries one token's answer to the next:
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
