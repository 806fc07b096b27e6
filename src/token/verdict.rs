//! The judgement without the report: what the sandbox needs to answer a Bearer request (the
//! problem it answers with, or who the valid token names), and nothing it would drop.
//!
//! [`check`] builds a full [`Report`](super::check::Report): about twenty named steps, the
//! header and claims as JSON values, each SDK's verdict. The sandbox reads one problem and
//! three claims of it. [`verdict`] first tries a fast path that can only say "valid": it reads
//! the usual token shape (canonical base64url, flat JSON objects, see [`FlatObject`]; the
//! payload `mmjwt gen` writes by its fixed bytes, see [`Cursor`]) into slices borrowed from a
//! per-thread room, applies every rule `check` applies on the way to a valid report, and
//! verifies the HMAC. Any doubt (an unusual shape, any failed rule,
//! an SDK emulation asked for) sends the token to [`check`] itself, so every refusal carries
//! `check`'s own problem and words. Nothing is cached: every token is decoded and verified.
//! Property tests hold the verdict equal to `check`'s primary problem.

use super::check::{Keys, Options, check};
use super::{MAX_TOKEN_BYTES, Segments};
use crate::b64;
use crate::json::{Cursor, FlatObject};
use crate::problem::Problem;
use crate::sdk::{MANDATORY_CLAIMS, MANDATORY_HEADERS};
use crate::secret::FirstBlock;
use arrayvec::ArrayString;
use serde_json::Value;
use std::cell::RefCell;
use std::fmt;

/// Who a valid token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub sub: ClaimText,
    pub jti: ClaimText,
    pub exp: i64,
}

/// A claim's text as an [`Identity`] keeps it: in place up to [`ClaimText::INLINE`] bytes (a
/// UUID `jti` is 36, the subs we have seen shorter), on the heap beyond. As two `String`s, a
/// valid Bearer request in the sandbox made two allocations and two frees for them (glibc's
/// allocator, ~700 instructions under callgrind), every request.
#[derive(Clone)]
pub struct ClaimText(Repr);

#[derive(Clone)]
enum Repr {
    Inline(ArrayString<{ ClaimText::INLINE }>),
    Heap(Box<str>),
}

impl ClaimText {
    /// The longest text kept in place.
    pub const INLINE: usize = 60;

    pub fn new(text: &str) -> ClaimText {
        match ArrayString::from(text) {
            Ok(inline) => ClaimText(Repr::Inline(inline)),
            Err(_) => ClaimText::on_heap(text),
        }
    }

    /// Out of line: the code a valid request runs through stays short (see [`by_check`]).
    #[cold]
    #[inline(never)]
    fn on_heap(text: &str) -> ClaimText {
        ClaimText(Repr::Heap(text.into()))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline(s) => s,
            Repr::Heap(s) => s,
        }
    }
}

impl std::ops::Deref for ClaimText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for ClaimText {
    fn from(text: &str) -> ClaimText {
        ClaimText::new(text)
    }
}

impl PartialEq for ClaimText {
    fn eq(&self, other: &ClaimText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ClaimText {}

impl PartialEq<str> for ClaimText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for ClaimText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ClaimText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a token was refused: the problem [`Report::primary_problem`](super::check::Report::primary_problem)
/// names, and the token's `sub` when it is a readable string (the request log names it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub problem: Problem,
    pub sub: Option<String>,
}

/// The judgement of one token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Result<Identity, Refusal>,
}

impl Verdict {
    /// The token's `sub` when it is a readable string, valid token or not.
    pub fn sub(&self) -> Option<&str> {
        match &self.outcome {
            Ok(identity) => Some(&identity.sub),
            Err(refusal) => refusal.sub.as_deref(),
        }
    }
}

/// Judges `token` as [`check`] does, answering only what a server needs.
pub fn verdict(token: &str, opts: &Options<'_>) -> Verdict {
    match fast_valid(token, opts) {
        Some(identity) => Verdict {
            outcome: Ok(identity),
        },
        None => by_check(token, opts),
    }
}

/// The verdict from `check`'s whole report: every refusal, and any token the fast path stepped
/// aside for. Kept out of line (and marked cold) so that the code a valid token runs through
/// stays short: in the sandbox, instruction-cache misses cost a Bearer request more than its
/// instructions do (callgrind's cache simulation, README "Performance").
#[cold]
#[inline(never)]
fn by_check(token: &str, opts: &Options<'_>) -> Verdict {
    let report = check(token, opts);
    let claims = report.claims.as_ref();
    let claim = |name: &str| claims.and_then(|c| c.get(name));
    let sub = claim("sub").and_then(Value::as_str).map(str::to_owned);
    let refused = |problem: Problem| Refusal {
        problem,
        sub: sub.clone(),
    };
    let outcome = match report.primary_problem() {
        Some(p) => Err(refused(p.clone())),
        // A valid report has every mandatory claim with its type checked.
        None => match (
            claim("sub").and_then(Value::as_str),
            claim("jti").and_then(Value::as_str),
            claim("exp").and_then(Value::as_i64),
        ) {
            (Some(sub), Some(jti), Some(exp)) => Ok(Identity {
                sub: sub.into(),
                jti: jti.into(),
                exp,
            }),
            _ => Err(refused(Problem::new(
                crate::problem::Code::StructureInvalid,
                crate::problem::Source::Server,
                "the token lacks sub, jti or exp",
            ))),
        },
    };
    Verdict { outcome }
}

thread_local! {
    /// Each thread's room for the decoded segments, reused (see [`Segments`]), and its memo of
    /// the last signing input's first block (see [`FirstBlock`]: a token from the same issuer
    /// as the last one hashes one block fewer; nothing of a verdict is kept).
    static SEGMENTS: RefCell<(Segments, FirstBlock)> =
        RefCell::new((Segments::new(), FirstBlock::default()));
}

/// The members the fast path reads, each in its slot of a [`FlatObject`], header and payload
/// alike. The claims come first, in the order tokens carry them: a member's slot is the first
/// name that matches, and the payload is the object read on every request (a documented header
/// is not read at all, see [`KnownHeaders`](super::check::KnownHeaders)).
const READ: [&str; 10] = [
    "typ",
    "sub",
    "infobip-api-key",
    "iat",
    "exp",
    "jti",
    "nbf",
    "alg",
    "kid",
    "crit",
];
const TYP: usize = 0;
const SUB: usize = 1;
const APP_CODE: usize = 2;
const IAT: usize = 3;
const EXP: usize = 4;
const JTI: usize = 5;
const NBF: usize = 6;
const ALG: usize = 7;
const KID: usize = 8;
const CRIT: usize = 9;
/// [`MANDATORY_HEADERS`] and [`MANDATORY_CLAIMS`] as slots (a unit test holds them equal to
/// the lists).
const HEADERS: [usize; MANDATORY_HEADERS.len()] = [ALG, TYP, KID];
const CLAIMS: [usize; MANDATORY_CLAIMS.len()] = [TYP, SUB, APP_CODE, IAT, EXP, JTI];

/// The fast path alone (public for the tests that hold it to [`check`]): the identity when
/// `check` would find no problem at all; `None` when in doubt. Every test here is one `check`
/// makes on the way to a valid report (its step named in the comment), so this can only step
/// aside, never overrule.
pub fn fast_valid(token: &str, opts: &Options<'_>) -> Option<Identity> {
    // The SDK emulations have their own rules; the sandbox never asks for them.
    if opts.sdk.android || opts.sdk.ios || token.len() > MAX_TOKEN_BYTES {
        return None;
    }
    // segments: the first dot, and the dot before the signature, whose 32 bytes are 43
    // characters (any other length is refused by the signature's decoding; a dot within it by
    // its base64url, and one between these two by the payload's). Not `memchr`: its vector
    // search is four functions and ~1.2 KB of code, more cache lines than the ~40 bytes before
    // the first dot take to scan (callgrind, README "Performance").
    let bytes = token.as_bytes();
    let first_dot = first_dot(bytes)?;
    let second_dot = bytes.len().checked_sub(SIGNATURE_CHARS + 1)?;
    if second_dot <= first_dot || bytes[second_dot] != b'.' {
        return None;
    }
    let (h64, p64, s64) = (
        &token[..first_dot],
        &token[first_dot + 1..second_dot],
        &token[second_dot + 1..],
    );
    SEGMENTS.with_borrow_mut(|(segments, memo)| {
        let (hbuf, pbuf, sbuf) = segments.split();
        let signing_input = &token.as_bytes()[..second_dot];
        judge(
            signing_input,
            [h64, p64, s64],
            [hbuf, pbuf, sbuf],
            memo,
            opts,
        )
    })
}

/// An HS256 signature's length in canonical base64url (32 bytes).
const SIGNATURE_CHARS: usize = 43;

/// The first `.` in `bytes`, eight bytes at a time: a documented header is 36 to ~70
/// characters, and a byte loop paid a branch per character and a mispredicted exit (`perf
/// annotate` of the sandbox, README "Performance").
fn first_dot(bytes: &[u8]) -> Option<usize> {
    const DOTS: u64 = u64::from_ne_bytes([b'.'; 8]);
    const LOW: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        // A zero byte of `w` is a dot of the word. The lowest flagged byte is always a true
        // zero (a borrow only flags bytes above one), and little-endian puts it first.
        let w = u64::from_le_bytes(word.try_into().ok()?) ^ DOTS;
        let zeros = w.wrapping_sub(LOW) & !w & HIGH;
        if zeros != 0 {
            return Some(at + zeros.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let tail = words.remainder();
    tail.iter().position(|&b| b == b'.').map(|i| at + i)
}

/// The rest of [`fast_valid`], once the segments are found and room for them is lent.
fn judge(
    signing_input: &[u8],
    [h64, p64, s64]: [&str; 3],
    [hbuf, pbuf, sbuf]: [&mut [u8]; 3],
    memo: &mut FirstBlock,
    opts: &Options<'_>,
) -> Option<Identity> {
    // header encoding, header JSON, header members, alg, header typ, kid, crit: a documented
    // header of a configured key id has passed them all (see `KnownHeaders`)
    let known = match opts.keys {
        Keys::Ring(ring) => ring.documented_header(h64),
        _ => None,
    };
    let (kid, known_key) = match known {
        Some((kid, key)) => (kid, Some(key)),
        None => (header_kid(h64, hbuf)?, None),
    };
    // payload encoding, signature encoding (a signature must be 32 bytes)
    let payload = b64::decode_segment(p64, pbuf)?;
    let signature = b64::decode_segment(s64, sbuf)?;
    if signature.len() != 32 {
        return None;
    }
    // payload JSON, claims present, claim typ, sub, infobip-api-key, jti, iat, exp, nbf
    let text = std::str::from_utf8(payload).ok()?;
    let ClaimsRead {
        sub,
        app_code,
        jti,
        iat,
        exp,
        nbf,
    } = usual_claims(text).or_else(|| flat_claims(text))?;
    // iat, exp, exp after iat, nbf: in check's arithmetic
    let (now, leeway) = (i128::from(opts.now), i128::from(opts.leeway));
    if i128::from(iat) > now + leeway
        || now >= i128::from(exp) + leeway
        || exp <= iat
        || nbf.is_some_and(|nbf| i128::from(nbf) > now + leeway)
    {
        return None;
    }
    // expected sub, expected app code, expected kid
    let want = &opts.expect;
    if want.sub.is_some_and(|x| x != sub)
        || want.app_code.is_some_and(|x| x != app_code)
        || want.kid.is_some_and(|x| x != kid)
    {
        return None;
    }
    // signature
    let verified = match opts.keys {
        Keys::None => !opts.require_signature,
        // A key's variants only ever word a failure; a valid token never needs them.
        Keys::Single(k) | Keys::SingleWithVariants(k, _) => {
            memo.verify(k, signing_input, signature)
        }
        // A documented header came with its key (the one `key_for` gives for its id).
        Keys::Ring(ring) => known_key
            .or_else(|| ring.key_for(kid))
            .is_some_and(|k| memo.verify(k, signing_input, signature)),
    };
    verified.then(|| Identity {
        sub: sub.into(),
        jti: jti.into(),
        exp,
    })
}

/// What the verdict reads of a payload whose members passed `check`'s rules for them: the
/// mandatory claims present, `typ` "Bearer", `sub`, `infobip-api-key` and `jti` non-empty
/// strings, `iat`, `exp` (and `nbf` if present) integers, no name repeated.
#[derive(Debug, PartialEq, Eq)]
struct ClaimsRead<'a> {
    sub: &'a str,
    app_code: &'a str,
    jti: &'a str,
    iat: i64,
    exp: i64,
    nbf: Option<i64>,
}

/// The payload as `mmjwt gen` writes it, the spec's members in the spec's order, compact, with
/// or without `iss`:
/// `{"typ":"Bearer","sub":"…","infobip-api-key":"…","iat":…,"exp":…,"jti":"…"[,"iss":"…"]}`.
/// Its names and punctuation are compared as fixed runs of bytes and only its values are read
/// (by the flat reader's rules), where [`flat_claims`] scans every name and looks up its slot:
/// in the sandbox that reader was half of the verdict's time in place (`perf record`, README
/// "Performance"). Any other text, or any value the rules refuse, answers `None` and is read by
/// [`flat_claims`]: this reader accepts a subset of what that one accepts, with the same values
/// (a unit test and the property tests hold them equal).
fn usual_claims(text: &str) -> Option<ClaimsRead<'_>> {
    let mut c = Cursor::new(text);
    c.literal(br#"{"typ":"Bearer","sub":"#)?;
    let sub = c.string()?;
    c.literal(br#","infobip-api-key":"#)?;
    let app_code = c.string()?;
    c.literal(br#","iat":"#)?;
    let iat = c.integer()?.as_i64()?;
    c.literal(br#","exp":"#)?;
    let exp = c.integer()?.as_i64()?;
    c.literal(br#","jti":"#)?;
    let jti = c.string()?;
    if c.literal(br#","iss":"#).is_some() {
        c.string()?;
    }
    c.literal(b"}")?;
    let texts = !sub.is_empty() && !app_code.is_empty() && !jti.is_empty();
    (c.at_end() && texts).then_some(ClaimsRead {
        sub,
        app_code,
        jti,
        iat,
        exp,
        nbf: None,
    })
}

/// Any flat payload: its members read into [`READ`]'s slots, then the claims' rules. Kept out
/// of line: a token `mmjwt gen` made never runs it (see [`usual_claims`]).
#[inline(never)]
fn flat_claims(text: &str) -> Option<ClaimsRead<'_>> {
    // payload JSON: a strict object without repeated names
    let mut body = FlatObject::empty();
    if !body.read_lean(text.as_bytes(), &READ) {
        return None;
    }
    // claims present, claim typ, sub, infobip-api-key, jti, iat, exp, nbf
    if !CLAIMS.iter().all(|&slot| body.has(slot)) || !body.is(TYP, "Bearer") {
        return None;
    }
    Some(ClaimsRead {
        sub: body.text(SUB)?,
        app_code: body.text(APP_CODE)?,
        jti: body.text(JTI)?,
        iat: body.get(IAT)?.as_i64()?,
        exp: body.get(EXP)?.as_i64()?,
        nbf: match body.get(NBF) {
            None => None,
            Some(v) => Some(v.as_i64()?),
        },
    })
}

/// The header's `kid` when the header passes every rule `check` applies to it: canonical
/// base64url, a strict flat object without repeated names, `alg`, `typ` and `kid` present,
/// HS256, JWT, a non-empty `kid`, no `crit`.
fn header_kid<'b>(h64: &str, hbuf: &'b mut [u8]) -> Option<&'b str> {
    let header = b64::decode_segment(h64, hbuf)?;
    let mut head = FlatObject::empty();
    if !head.read_lean(header, &READ)
        || !HEADERS.iter().all(|&slot| head.has(slot))
        || !head.is(ALG, "HS256")
        || !head.is(TYP, "JWT")
        || head.has(CRIT)
    {
        return None;
    }
    head.text(KID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdk::SdkSelection;
    use crate::secret::HmacKey;
    use crate::token::check::Expectations;
    use crate::token::mint::{Claims, Minter};
    use std::collections::HashMap;

    fn mint(kid: &str, key: &[u8], claims: &Claims<'_>) -> String {
        Minter::new(kid, HmacKey::new(key)).mint(claims).0
    }

    fn claims(sub: &str, iat: i64, exp: i64) -> Claims<'_> {
        Claims {
            sub,
            app_code: "app",
            iat,
            exp,
            jti: "j-1",
            iss: Some("app"),
            extra: &[],
        }
    }

    #[test]
    fn claim_text_keeps_short_texts_in_place_and_any_text_whole() {
        let long = "é".repeat(40);
        for text in [
            "",
            "alice",
            &"j".repeat(ClaimText::INLINE),
            &"j".repeat(ClaimText::INLINE + 1),
            &long,
        ] {
            let c = ClaimText::new(text);
            assert_eq!(c.as_str(), text);
            assert_eq!(c, ClaimText::from(text));
            assert_eq!(format!("{c} {c:?}"), format!("{text} {text:?}"));
            assert_eq!(
                matches!(c.0, Repr::Inline(_)),
                text.len() <= ClaimText::INLINE,
                "{text}"
            );
        }
        assert_ne!(ClaimText::new("a"), ClaimText::new("b"));
    }

    #[test]
    fn slots_are_the_mandatory_lists_and_each_name_has_its_own() {
        let texts = |slots: &[usize]| slots.iter().map(|&s| READ[s]).collect::<Vec<_>>();
        assert_eq!(texts(&HEADERS), MANDATORY_HEADERS);
        assert_eq!(texts(&CLAIMS), MANDATORY_CLAIMS);
        // Each name is read into its own slot, and near misses into none.
        for (i, name) in READ.iter().enumerate() {
            let text = format!(
                r#"{{"{name}":{i},"al":0,"algo":0,"Alg":0,"infobip-api-kez":0,"infobip-":0,"nbf ":0}}"#
            );
            let mut f = FlatObject::empty();
            assert!(f.read_lean(text.as_bytes(), &READ), "{text}");
            for slot in 0..READ.len() {
                assert_eq!(
                    f.date(slot),
                    (slot == i).then_some(i as i64),
                    "{name} in {slot}"
                );
            }
        }
    }

    #[test]
    fn the_word_search_finds_the_first_dot_as_a_byte_search_does() {
        // Every length up to three words and past, with a dot at every place, then a second
        // dot anywhere after it, and bytes that differ from a dot in one bit.
        for len in 0..30 {
            let plain: Vec<u8> = (0..len).map(|i| [b'a', b'/', b'n', 0xae][i % 4]).collect();
            assert_eq!(first_dot(&plain), None, "{plain:?}");
            for at in 0..len {
                for second in at..len {
                    let mut b = plain.clone();
                    b[at] = b'.';
                    b[second] = b'.';
                    assert_eq!(first_dot(&b), Some(at), "{b:?}");
                    assert_eq!(first_dot(&b), b.iter().position(|&c| c == b'.'));
                }
            }
        }
    }

    #[test]
    fn the_usual_payload_reader_takes_a_subset_with_the_same_claims() {
        let usual = r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"app","iat":1000,"exp":2000,"jti":"j-1"}"#;
        let with_iss = r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"app","iat":1000,"exp":2000,"jti":"j-1","iss":"app"}"#;
        let want = ClaimsRead {
            sub: "alice",
            app_code: "app",
            jti: "j-1",
            iat: 1000,
            exp: 2000,
            nbf: None,
        };
        assert_eq!(usual_claims(usual), Some(want));
        assert_eq!(usual_claims(with_iss), usual_claims(usual));
        // Each of these is the usual text edited once: some are still valid claims (the other
        // reader takes them), none is the usual shape.
        for text in [
            usual.replace(r#""sub""#, r#" "sub""#),
            usual.replace(r#""}"#, r#""} "#),
            usual.replace("alice", ""),
            usual.replace("alice", r"al\u0069ce"),
            usual.replace("1000", "true"),
            usual.replace("2000", "2000.0"),
            usual.replace("2000", "02000"),
            usual.replace("2000", "9223372036854775808"),
            usual.replace("Bearer", "bearer"),
            usual.replace(r#""j-1""#, "7"),
            usual.replace('}', r#","nbf":1500}"#),
            usual.replace('}', r#","sub":"bob"}"#),
            usual.replace('}', r#","iss":7}"#),
            usual.replace('}', r#","iss":"a","iss":"b"}"#),
            usual.replace(r#""iat":1000,"exp":2000"#, r#""exp":2000,"iat":1000"#),
            with_iss.replace(r#""app"}"#, r#""a\"pp"}"#),
            usual[..usual.len() - 1].to_owned(),
        ] {
            let flat = flat_claims(&text);
            let fast = usual_claims(&text);
            assert_eq!(fast, None, "{text}");
            if text.contains("nbf") || text.contains(r#"exp":2000,"iat"#) {
                assert!(flat.is_some(), "{text}");
            }
        }
        // On its own shape the general reader agrees, value for value.
        let negative = usual.replace("1000", "-5");
        for text in [usual, with_iss, &negative] {
            assert!(usual_claims(text).is_some(), "{text}");
            assert_eq!(usual_claims(text), flat_claims(text));
        }
    }

    #[test]
    fn payloads_as_gen_writes_them_are_the_usual_shape() {
        for iss in [None, Some("app")] {
            let token = Minter::new("k", HmacKey::new(b"s"))
                .mint(&Claims {
                    iss,
                    ..claims("alice", 1_000, 2_000)
                })
                .0;
            let p64 = token.split('.').nth(1).unwrap();
            let text = String::from_utf8(crate::b64::decode_strict(p64).unwrap()).unwrap();
            assert_eq!(usual_claims(&text).map(|c| c.sub), Some("alice"), "{text}");
        }
    }

    #[test]
    fn a_minted_token_takes_the_fast_path_and_a_forged_one_gets_checks_words() {
        let ring: HashMap<String, HmacKey> = [("k".to_string(), HmacKey::new(b"secret"))].into();
        let opts = Options {
            keys: Keys::Ring(&ring),
            sdk: SdkSelection::NONE,
            require_signature: true,
            expect: Expectations {
                app_code: Some("app"),
                ..Expectations::default()
            },
            ..Options::at(1_500)
        };
        let good = mint("k", b"secret", &claims("alice", 1_000, 2_000));
        let want = Identity {
            sub: "alice".into(),
            jti: "j-1".into(),
            exp: 2_000,
        };
        assert_eq!(want.sub, *"alice");
        assert_eq!(fast_valid(&good, &opts), Some(want.clone()));
        assert_eq!(verdict(&good, &opts).outcome, Ok(want));

        let forged = mint("k", b"other", &claims("alice", 1_000, 2_000));
        assert_eq!(fast_valid(&forged, &opts), None);
        let v = verdict(&forged, &opts);
        assert_eq!(v.sub(), Some("alice"));
        let report = check(&forged, &opts);
        let refusal = v.outcome.unwrap_err();
        assert_eq!(refusal.problem, report.primary_problem().unwrap().clone());
        assert_eq!(refusal.problem.code, crate::problem::Code::SignatureInvalid);

        let expired = mint("k", b"secret", &claims("alice", 1_000, 1_500));
        assert_eq!(fast_valid(&expired, &opts), None);
        assert_eq!(
            verdict(&expired, &opts).outcome.unwrap_err().problem.code,
            crate::problem::Code::Expired
        );
    }
}
