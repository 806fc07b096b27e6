//! The usual valid token, defined once: the shape nearly every real token has (a plain string
//! of three canonical base64url segments, flat JSON objects without repeated names, an HS256
//! signature of 32 bytes) and the server rules applied to it. [`check`](super::check) words
//! every rule for any token; the one fast path (batch `check --json`'s line in
//! [`quick`](super::quick)) is this module plus a signature and a writer: it takes a token only
//! when [`read`] and [`Usual::valid`] accept it, and hands anything else to `check`, so it can
//! step aside but never judge differently. The time arithmetic ([`TimeFindings`]) is the one
//! `check` itself uses.

use super::check::{Expectations, Keys, Options};
use super::{MAX_TOKEN_BYTES, Segments};
use crate::b64;
use crate::json::FlatObject;
use crate::sdk::{MANDATORY_CLAIMS, MANDATORY_HEADERS, Platform, SdkSelection};
use crate::secret::HmacKey;

/// Every member the rules read, header and payload alike, each in its own slot: the SDKs'
/// mandatory claims and headers (see [`MANDATORY`]), then the members whose presence alone
/// changes the answer (a refusal or a warning).
pub(crate) const NAMES: [&str; 16] = [
    "typ",
    "sub",
    "infobip-api-key",
    "iat",
    "exp",
    "jti",
    "alg",
    "kid",
    "nbf",
    "iss",
    "aud",
    "crit",
    "jku",
    "x5u",
    "jwk",
    "x5c",
];

/// The slot of `name` in [`NAMES`]; a name missing from the list stops the build.
const fn slot(name: &str) -> usize {
    let mut i = 0;
    while i < NAMES.len() {
        if same_text(NAMES[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("a member the rules read is missing from NAMES")
}

const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn slots<const N: usize>(names: [&str; N]) -> [usize; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        out[i] = slot(names[i]);
        i += 1;
    }
    out
}

/// The SDKs' mandatory header members and claims as slots: derived from their lists, so a
/// member added there is required here too.
const MANDATORY: (
    [usize; MANDATORY_HEADERS.len()],
    [usize; MANDATORY_CLAIMS.len()],
) = (slots(MANDATORY_HEADERS), slots(MANDATORY_CLAIMS));

const TYP: usize = slot("typ");
const SUB: usize = slot("sub");
const APP_CODE: usize = slot("infobip-api-key");
const IAT: usize = slot("iat");
const EXP: usize = slot("exp");
const JTI: usize = slot("jti");
const ALG: usize = slot("alg");
const KID: usize = slot("kid");
const NBF: usize = slot("nbf");
const ISS: usize = slot("iss");
const AUD: usize = slot("aud");
const CRIT: usize = slot("crit");
/// The key references `check` warns about (`KEY_REFERENCE_IGNORED`).
const KEY_REFERENCES: [usize; 4] = slots(["jku", "x5u", "jwk", "x5c"]);

/// A flat object read with [`NAMES`].
pub(crate) type Object<'a> = FlatObject<'a, { NAMES.len() }>;

/// A token of the usual shape, read: its objects and the values the rules and the writers use.
pub(crate) struct Usual<'a> {
    pub header: Object<'a>,
    pub claims: Object<'a>,
    pub kid: &'a str,
    pub sub: &'a str,
    pub app_code: &'a str,
    pub iat: i64,
    pub exp: i64,
    pub nbf: Option<i64>,
    /// The header and payload segments with the dot between them.
    pub signing_input: &'a [u8],
    pub signature: &'a [u8],
}

/// Reads `token` when it has the usual shape and its header and claims pass the server's rules
/// on members (`check`'s steps segments, header and payload encoding and JSON, signature
/// encoding, header members, alg, header typ, kid, crit, claims present, claim typ, sub,
/// infobip-api-key, jti, and the types of iat, exp and nbf); `None` for anything else. The
/// decoded segments are written into `room`.
pub(crate) fn read<'a>(token: &'a [u8], room: &'a mut Segments) -> Option<Usual<'a>> {
    if token.len() > MAX_TOKEN_BYTES {
        return None;
    }
    let mut dots = memchr::memchr_iter(b'.', token);
    let (Some(first), Some(second), None) = (dots.next(), dots.next(), dots.next()) else {
        return None;
    };
    let (hbuf, pbuf, sbuf) = room.split();
    let header = b64::decode_segment(&token[..first], hbuf)?;
    let payload = b64::decode_segment(&token[first + 1..second], pbuf)?;
    let signature = b64::decode_segment(&token[second + 1..], sbuf)?;
    // A tag of any other length never verifies (RFC 7518 §3.2).
    if signature.len() != 32 {
        return None;
    }
    let mut head = Object::empty();
    let mut body = Object::empty();
    if !head.read(header, &NAMES) || !body.read(payload, &NAMES) {
        return None;
    }
    let (header_slots, claim_slots) = MANDATORY;
    if !header_slots.iter().all(|&s| head.has(s))
        || !head.is(ALG, "HS256")
        || !head.is(TYP, "JWT")
        || head.has(CRIT)
        || !claim_slots.iter().all(|&s| body.has(s))
        || !body.is(TYP, "Bearer")
    {
        return None;
    }
    let nbf = match body.get(NBF) {
        None => None,
        Some(v) => Some(v.as_i64()?),
    };
    // The jti rule holds although no writer reads the value.
    body.text(JTI)?;
    Some(Usual {
        kid: head.text(KID)?,
        sub: body.text(SUB)?,
        app_code: body.text(APP_CODE)?,
        iat: body.date(IAT)?,
        exp: body.date(EXP)?,
        nbf,
        header: head,
        claims: body,
        signing_input: &token[..second],
        signature,
    })
}

impl Usual<'_> {
    /// Whether the rules that depend on the judging pass: the times (see [`TimeFindings`]) and
    /// the expectations.
    pub(crate) fn valid(&self, opts: &Options<'_>) -> bool {
        TimeFindings::of(
            Some(self.iat),
            Some(self.exp),
            self.nbf,
            opts.now,
            opts.leeway,
        )
        .none()
            && self.meets(&opts.expect)
    }

    /// Whether the token carries every value the user expects (expected sub, app code, kid).
    fn meets(&self, want: &Expectations<'_>) -> bool {
        [
            (want.sub, self.sub),
            (want.app_code, self.app_code),
            (want.kid, self.kid),
        ]
        .iter()
        .all(|&(expected, actual)| expected.is_none_or(|x| x == actual))
    }

    /// Whether `check` would add no warning: no key reference, no `aud`, an `iss` (if any)
    /// equal to the app code, times in seconds and a lifetime of at least a minute (the
    /// pitfalls' thresholds; `EXPIRED_AT_ISSUE` and `EXP_NOT_A_TIMESTAMP` cannot happen to a
    /// valid token, whose `exp` is after its `iat`, nor can the header and date shapes a usual
    /// token has not).
    pub(crate) fn quiet(&self) -> bool {
        #[allow(clippy::cast_precision_loss)] // the conversion the warning makes
        let in_ms = |t: i64| (t as f64).abs() > super::pitfalls::MILLISECONDS_ABOVE;
        let warns = KEY_REFERENCES.iter().any(|&s| self.header.has(s))
            || self.claims.has(AUD)
            || self
                .claims
                .get(ISS)
                .is_some_and(|v| v.as_str().is_some_and(|iss| iss != self.app_code))
            || in_ms(self.iat)
            || in_ms(self.exp)
            || self.nbf.is_some_and(in_ms)
            || i128::from(self.exp) - i128::from(self.iat)
                < i128::from(super::pitfalls::SHORT_LIFETIME_BELOW);
        !warns
    }

    /// Whether every emulated SDK accepts the token. For a token of this shape both SDKs read
    /// what the server read (`sdk::Parsed`), so each refuses only an `exp` that has passed:
    /// Android compares the long, iOS the doubles, neither with leeway.
    pub(crate) fn sdks_accept(&self, sdk: SdkSelection, now: i64) -> bool {
        sdk.iter().all(|platform| match platform {
            Platform::Android => now < self.exp,
            #[allow(clippy::cast_precision_loss)] // the SDK's own conversion
            Platform::Ios => (now as f64) < (self.exp as f64),
        })
    }

    /// The signature step passing: `Some(true)` when the key `opts` names for this token
    /// verifies the tag, `Some(false)` when there is no key and none is required (the step is
    /// skipped), `None` when it fails.
    pub(crate) fn verified(&self, opts: &Options<'_>) -> Option<bool> {
        let by = |k: &HmacKey| k.verify(self.signing_input, self.signature);
        match opts.keys {
            Keys::None => (!opts.require_signature).then_some(false),
            // A key's variants only ever word a failure; a valid token never needs them.
            Keys::Single(k) | Keys::SingleWithVariants(k, _) => by(k).then_some(true),
            Keys::Ring(ring) => ring.key_for(self.kid).is_some_and(by).then_some(true),
        }
    }
}

/// What the time rules find (RFC 7519 §4.1.4 to §4.1.6, with `leeway` seconds of clock skew):
/// the one arithmetic `check`'s claim steps and the fast paths share. Dates are widened so that
/// no value a token carries can overflow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TimeFindings {
    /// `iat` is later than now plus leeway (`IAT_IN_FUTURE`).
    pub iat_in_future: bool,
    /// Now is not before `exp` plus leeway: `exp == now` is expired (`JWT_TOKEN_EXPIRED`).
    pub expired: bool,
    /// `exp` is not after `iat` (`EXP_BEFORE_IAT`).
    pub exp_not_after_iat: bool,
    /// `nbf` is later than now plus leeway (`NOT_YET_VALID`).
    pub not_yet_valid: bool,
}

impl TimeFindings {
    pub(crate) fn of(
        iat: Option<i64>,
        exp: Option<i64>,
        nbf: Option<i64>,
        now: i64,
        leeway: i64,
    ) -> TimeFindings {
        let (now, leeway) = (i128::from(now), i128::from(leeway));
        let after_now = |t: i64| i128::from(t) > now + leeway;
        TimeFindings {
            iat_in_future: iat.is_some_and(after_now),
            expired: exp.is_some_and(|exp| now >= i128::from(exp) + leeway),
            exp_not_after_iat: matches!((iat, exp), (Some(iat), Some(exp)) if exp <= iat),
            not_yet_valid: nbf.is_some_and(after_now),
        }
    }

    /// Whether no time rule fails.
    pub(crate) fn none(self) -> bool {
        self == TimeFindings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_has_its_own_slot_and_the_mandatory_lists_are_read() {
        for (i, name) in NAMES.iter().enumerate() {
            assert_eq!(slot(name), i, "{name} appears twice");
        }
        let (headers, claims) = MANDATORY;
        let names = |slots: &[usize]| slots.iter().map(|&s| NAMES[s]).collect::<Vec<_>>();
        assert_eq!(names(&headers), MANDATORY_HEADERS);
        assert_eq!(names(&claims), MANDATORY_CLAIMS);
    }

    #[test]
    fn time_findings_follow_the_rfc_and_never_overflow() {
        let at = |iat, exp, nbf, leeway| TimeFindings::of(iat, exp, nbf, 1_000, leeway);
        assert!(at(Some(900), Some(1_100), Some(1_000), 0).none());
        assert!(at(Some(1_001), None, None, 0).iat_in_future);
        assert!(at(Some(1_001), None, None, 1).none());
        assert!(at(None, Some(1_000), None, 0).expired);
        assert!(at(None, Some(1_000), None, 1).none());
        assert!(at(Some(5), Some(5), None, 0).exp_not_after_iat);
        assert!(at(None, None, Some(1_001), 0).not_yet_valid);
        let extreme = TimeFindings::of(Some(i64::MAX), Some(i64::MIN), Some(i64::MAX), 0, i64::MAX);
        assert!(extreme.exp_not_after_iat && extreme.expired && !extreme.iat_in_future);
    }
}
