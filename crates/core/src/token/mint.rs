//! Making tokens: the exact header and claim order Infobip's examples produce, canonical
//! base64url, HMAC-SHA256 with the hex-decoded secret. Pure apart from the `jti` random source,
//! which callers pass in.

use crate::b64;
use crate::json;
use crate::secret::HmacKey;
use serde_json::Value;

/// The claims of one token, in the order they are written.
#[derive(Debug, Clone)]
pub struct Claims<'a> {
    pub sub: &'a str,
    pub app_code: &'a str,
    pub iat: i64,
    pub exp: i64,
    pub jti: &'a str,
    /// `iss`, written last of the standard claims; the examples set it to the app code.
    pub iss: Option<&'a str>,
    /// Extra claims, written after the standard ones in the given order.
    pub extra: &'a [(String, Value)],
}

/// Names the generator writes itself; `--claim` may not set them.
pub const RESERVED_CLAIMS: [&str; 7] =
    ["typ", "sub", "infobip-api-key", "iat", "exp", "jti", "iss"];

/// Signs tokens for one key id and key. The encoded header is computed once.
#[derive(Debug, Clone)]
pub struct Minter {
    key: HmacKey,
    kid: String,
    header_json: String,
    header_b64: String,
    payload: String,
}

impl Minter {
    pub fn new(kid: &str, key: HmacKey) -> Minter {
        let header_json = header_json(kid);
        let header_b64 = b64::encode(header_json.as_bytes());
        Minter {
            key,
            kid: kid.to_owned(),
            header_json,
            header_b64,
            payload: String::with_capacity(256),
        }
    }

    /// The header JSON exactly as encoded.
    pub fn header_json(&self) -> &str {
        &self.header_json
    }

    /// The key id and the key it signs with (`replay --break` makes its token from them).
    pub fn signer(&self) -> (&str, &HmacKey) {
        (&self.kid, &self.key)
    }

    /// Appends the signed token for `claims` to `out`. Reuses internal buffers, so minting many
    /// tokens allocates little.
    pub fn mint_into(&mut self, claims: &Claims<'_>, out: &mut String) {
        self.payload.clear();
        write_payload(claims, &mut self.payload);
        let start = out.len();
        out.push_str(&self.header_b64);
        out.push('.');
        b64::encode_into(self.payload.as_bytes(), out);
        append_signature(&self.key, out, start);
    }

    /// A [`BatchMinter`] for this key id and key and the claims of `claims` other than `sub`
    /// and `jti`.
    pub fn batch(&self, claims: &Claims<'_>) -> BatchMinter {
        BatchMinter::new(&self.header_b64, &self.key, claims)
    }

    /// The signed token and the payload JSON it carries.
    pub fn mint(&mut self, claims: &Claims<'_>) -> (String, String) {
        let mut token = String::with_capacity(512);
        self.mint_into(claims, &mut token);
        (token, self.payload.clone())
    }
}

/// The token for a header and a payload as given (`gen --from`, the page's "Edit and re-sign"):
/// both encoded as canonical base64url and signed as [`Minter`] signs.
pub fn sign(header_json: &[u8], payload_json: &[u8], key: &HmacKey) -> String {
    let mut out = String::with_capacity((header_json.len() + payload_json.len()) * 4 / 3 + 48);
    b64::encode_into(header_json, &mut out);
    out.push('.');
    b64::encode_into(payload_json, &mut out);
    append_signature(key, &mut out, 0);
    out
}

/// Appends `.` and the signature of `out[start..]` (the signing input: header `.` payload).
fn append_signature(key: &HmacKey, out: &mut String, start: usize) {
    let tag = key.sign(&out.as_bytes()[start..]);
    out.push('.');
    b64::encode_into(&tag, out);
}

fn write_payload(c: &Claims<'_>, out: &mut String) {
    out.push_str(PAYLOAD_START);
    json::write::string(out, c.sub);
    write_middle(c, out);
    json::write::string(out, c.jti);
    write_end(c, out);
}

/// The payload up to the `sub` string.
const PAYLOAD_START: &str = r#"{"typ":"Bearer","sub":"#;

/// The payload between the `sub` and `jti` strings: the app code, `iat` and `exp`.
fn write_middle(c: &Claims<'_>, out: &mut String) {
    out.push_str(r#","infobip-api-key":"#);
    json::write::string(out, c.app_code);
    let mut n = itoa::Buffer::new();
    out.push_str(r#","iat":"#);
    out.push_str(n.format(c.iat));
    out.push_str(r#","exp":"#);
    out.push_str(n.format(c.exp));
    out.push_str(r#","jti":"#);
}

/// The payload after the `jti` string: `iss`, the extra claims, the closing brace.
fn write_end(c: &Claims<'_>, out: &mut String) {
    if let Some(iss) = c.iss {
        out.push_str(r#","iss":"#);
        json::write::string(out, iss);
    }
    for (k, v) in c.extra {
        out.push(',');
        json::write::string(out, k);
        out.push(':');
        json::write::value(out, v);
    }
    out.push('}');
}

/// Mints many tokens that differ only in `sub` and `jti` (batch `gen`), byte for byte what
/// [`Minter`] makes for the same claims, with what does not change done once:
///
/// - the header and the payload's fixed parts are encoded once. base64url turns each group of 3
///   bytes into 4 characters, so a fixed run of the payload that starts on a group boundary
///   encodes the same in every token. Where the runs after the `sub` start depends only on the
///   escaped user id's length modulo 3, so each fixed run is kept encoded for all three cases
///   (`Aligned`); per token only the user id, the jti and the at most two bytes on either side
///   of them that share their groups are encoded;
/// - the HMAC state has already absorbed the signing input up to the `sub` (the key pads and
///   the first block of the header), see [`HmacKey::with_prefix`];
/// - user ids that need no JSON escape are copied as they are; the jti is formatted on the
///   stack.
///
/// Nothing is allocated per token once the buffers have grown.
#[derive(Debug, Clone)]
pub struct BatchMinter {
    /// The HMAC state after absorbing `head`.
    key: HmacKey,
    /// The encoded header, the dot, and the encoded payload up to [`START_ENCODED`].
    head: Vec<u8>,
    /// Payload JSON from the closing quote of `sub` to the opening quote of `jti` included.
    middle: Vec<u8>,
    /// Payload JSON from the closing quote of `jti` to the end.
    end: Vec<u8>,
    /// `middle` and `end` encoded, for each length modulo 3 of what precedes `middle`.
    aligned: [Aligned; 3],
    /// The JSON bytes being encoded for one token.
    json: Vec<u8>,
    /// A user id that needs JSON escapes, escaped.
    escaped: String,
}

/// The fixed runs `middle` and `end` of a [`BatchMinter`] encoded for one alignment.
#[derive(Debug, Clone, Default)]
struct Aligned {
    /// `middle[..joins]` completes the group the user id ends in.
    joins: usize,
    /// `middle[joins..rest]` encoded: whole groups.
    middle_b64: Vec<u8>,
    /// `middle[rest..]` starts the group the jti is encoded with.
    rest: usize,
    /// `end[..end_joins]` completes the group the jti ends in.
    end_joins: usize,
    /// `end[end_joins..]` encoded, the payload's last characters.
    end_b64: Vec<u8>,
}

/// The payload JSON before the `sub` string's content, its opening quote included.
const PAYLOAD_FIXED_START: &str = r#"{"typ":"Bearer","sub":""#;
/// How much of it is encoded once: whole groups of 3 bytes, whose base64url does not depend on
/// what follows. The other bytes are encoded with each user id.
const START_ENCODED: usize = PAYLOAD_FIXED_START.len() / 3 * 3;
/// A jti is a hyphenated UUID: 36 bytes, whole groups, so it does not move the alignment.
const JTI_LEN: usize = 36;
const _: () = assert!(JTI_LEN.is_multiple_of(3));

impl BatchMinter {
    /// A minter for `claims` with any `sub` and `jti` (the values given for them are ignored).
    fn new(header_b64: &str, key: &HmacKey, claims: &Claims<'_>) -> BatchMinter {
        let mut head = format!("{header_b64}.");
        b64::encode_into(&PAYLOAD_FIXED_START.as_bytes()[..START_ENCODED], &mut head);
        let mut middle = String::from("\"");
        write_middle(claims, &mut middle);
        middle.push('"');
        let mut end = String::from("\"");
        write_end(claims, &mut end);
        let (middle, end) = (middle.into_bytes(), end.into_bytes());
        // Both are longer than two bytes (`middle` holds the app code's member name, `end` at
        // least a quote and a brace), so the groups they complete are always whole.
        debug_assert!(middle.len() > 2 && end.len() >= 2);
        let aligned = [0, 1, 2].map(|before| {
            let joins = (3 - before) % 3;
            let rest = joins + (middle.len() - joins) / 3 * 3;
            let end_joins = (3 - (middle.len() - rest) % 3) % 3;
            let mut a = Aligned {
                joins,
                rest,
                end_joins,
                ..Aligned::default()
            };
            b64::encode_append(&middle[joins..rest], &mut a.middle_b64);
            b64::encode_append(&end[end_joins..], &mut a.end_b64);
            a
        });
        BatchMinter {
            key: key.with_prefix(head.as_bytes()),
            head: head.into_bytes(),
            middle,
            end,
            aligned,
            json: Vec::with_capacity(256),
            escaped: String::new(),
        }
    }

    /// Appends the token for user id `sub` with a UUID v4 `jti` made from `random` to `out`.
    pub fn mint_into(&mut self, sub: &str, random: [u8; 16], out: &mut Vec<u8>) {
        let mut jti = [0u8; JTI_LEN];
        uuid_v4_into(random, &mut jti);

        // The user id with the fixed bytes around it that share its groups.
        self.json.clear();
        self.json
            .extend_from_slice(&PAYLOAD_FIXED_START.as_bytes()[START_ENCODED..]);
        if needs_escape(sub) {
            self.escaped.clear();
            json::write::string(&mut self.escaped, sub);
            // The escaped form without its quotes, which the fixed runs carry.
            self.json
                .extend_from_slice(&self.escaped.as_bytes()[1..self.escaped.len() - 1]);
        } else {
            self.json.extend_from_slice(sub.as_bytes());
        }
        let a = &self.aligned[self.json.len() % 3];
        self.json.extend_from_slice(&self.middle[..a.joins]);

        out.extend_from_slice(&self.head);
        let start = out.len();
        b64::encode_append(&self.json, out);
        out.extend_from_slice(&a.middle_b64);
        // The jti with the fixed bytes around it that share its groups.
        self.json.clear();
        self.json.extend_from_slice(&self.middle[a.rest..]);
        self.json.extend_from_slice(&jti);
        self.json.extend_from_slice(&self.end[..a.end_joins]);
        b64::encode_append(&self.json, out);
        out.extend_from_slice(&a.end_b64);

        let tag = self.key.sign(&out[start..]);
        out.push(b'.');
        b64::encode_append(&tag, out);
    }
}

/// True when `s` has a byte that JSON strings must escape (see [`json::write::string`]).
fn needs_escape(s: &str) -> bool {
    s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\')
}

/// The header every token is minted with, the spec's form: `{"alg":"HS256","typ":"JWT","kid":…}`
/// with `kid` as a JSON string.
pub fn header_json(kid: &str) -> String {
    format!(r#"{{"alg":"HS256","typ":"JWT","kid":{}}}"#, json_str(kid))
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    json::write::string(&mut out, s);
    out
}

/// A random UUID v4 in its hyphenated lowercase form, from 16 random bytes.
pub fn uuid_v4(random: [u8; 16]) -> String {
    let mut text = [0u8; JTI_LEN];
    uuid_v4_into(random, &mut text);
    text.iter().map(|&b| char::from(b)).collect()
}

/// Writes the UUID v4 of 16 random bytes as text (RFC 9562 §5.4: the version nibble set to 4
/// and the variant bits to `10`; lowercase hex, groups of 8-4-4-4-12).
fn uuid_v4_into(mut random: [u8; 16], out: &mut [u8; JTI_LEN]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Where each byte's two digits go; the dashes sit between the groups.
    const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    random[6] = (random[6] & 0x0f) | 0x40;
    random[8] = (random[8] & 0x3f) | 0x80;
    for dash in [8, 13, 18, 23] {
        out[dash] = b'-';
    }
    for (byte, at) in random.into_iter().zip(AT) {
        out[at] = HEX[usize::from(byte >> 4)];
        out[at + 1] = HEX[usize::from(byte & 0x0f)];
    }
}

/// Random bytes for `jti`s: ChaCha20 keyed with 32 bytes from the operating system, keyed anew
/// every [`JtiSource::REKEY_AFTER`] bytes, read a block at a time.
///
/// A `jti` must be unique and unguessable, which a cryptographic generator keyed by the OS gives
/// as well as the OS itself (the `uuid` crate's `fast-rng` and `rand`'s thread generator do the
/// same). A system call per `jti` would make the kernel's own generator a visible share of batch
/// `gen`; the vectorised one here, in process, is several times faster.
pub struct JtiSource {
    rng: Option<chacha20::ChaCha20Rng>,
    /// Bytes the current key may still give.
    left: usize,
    buf: Box<[u8; 4096]>,
    pos: usize,
}

impl std::fmt::Debug for JtiSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the key nor unused bytes are shown.
        f.debug_struct("JtiSource").finish_non_exhaustive()
    }
}

impl Default for JtiSource {
    fn default() -> Self {
        JtiSource {
            rng: None,
            left: 0,
            buf: Box::new([0; 4096]),
            pos: 4096,
        }
    }
}

impl JtiSource {
    /// Output of one key before the next is drawn from the OS (65,536 `jti`s).
    pub const REKEY_AFTER: usize = 1 << 20;

    pub fn next_uuid(&mut self) -> std::io::Result<String> {
        self.next_bytes().map(uuid_v4)
    }

    /// The next 16 random bytes, for [`uuid_v4`] or [`BatchMinter::mint_into`].
    pub fn next_bytes(&mut self) -> std::io::Result<[u8; 16]> {
        if self.pos + 16 > self.buf.len() {
            self.refill()?;
        }
        let mut r = [0u8; 16];
        r.copy_from_slice(&self.buf[self.pos..self.pos + 16]);
        // Consumed bytes are wiped so they cannot be read back from memory later.
        self.buf[self.pos..self.pos + 16].fill(0);
        self.pos += 16;
        Ok(r)
    }

    fn refill(&mut self) -> std::io::Result<()> {
        use rand_core::{Rng as _, SeedableRng as _};
        let rng = match self.rng.as_mut() {
            Some(rng) if self.left >= self.buf.len() => rng,
            _ => {
                let mut seed = zeroize::Zeroizing::new([0u8; 32]);
                getrandom::fill(&mut seed[..]).map_err(std::io::Error::other)?;
                self.left = Self::REKEY_AFTER;
                self.rng.insert(chacha20::ChaCha20Rng::from_seed(*seed))
            }
        };
        rng.fill_bytes(&mut self.buf[..]);
        self.left -= self.buf.len();
        self.pos = 0;
        Ok(())
    }
}

/// The `gen --json` object for a minted token: `{token, header, claims, expires_at}`
/// (`header_json` and `payload_json` as encoded in it). `mmjwt gen` and the debugger page's
/// `POST /_mmjwt/api/gen` both answer it, so the two give the same bytes.
/// `expires_at` is null where `exp` is not integer seconds (a token `gen --from` edited).
pub fn gen_json(
    token: &str,
    header_json: &str,
    payload_json: &str,
    exp: impl Into<Option<i64>>,
) -> Value {
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    serde_json::json!({
        "token": token,
        "header": parse(header_json),
        "claims": parse(payload_json),
        "expires_at": exp.into().and_then(crate::time::rfc3339),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    /// The reference token of the spec (section 3), computed independently with Python's hmac.
    const REFERENCE: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InRlc3Qta2V5LWlkIn0.eyJ0eXAiOiJCZWFyZXIiLCJzdWIiOiJleHQtdXNlci0xIiwiaW5mb2JpcC1hcGkta2V5IjoidGVzdC1hcHAtY29kZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwMDYwLCJqdGkiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEifQ.rNxY48Mvd45hFT0AmFaj05zqgmXmhLv2qO0huEKZ4lM";

    #[test]
    fn reference_token_byte_for_byte() {
        let secret =
            Secret::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
                .unwrap();
        let mut m = Minter::new("test-key-id", secret.hmac_key());
        let (token, payload) = m.mint(&Claims {
            sub: "ext-user-1",
            app_code: "test-app-code",
            iat: 1_700_000_000,
            exp: 1_700_000_060,
            jti: "00000000-0000-4000-8000-000000000001",
            iss: None,
            extra: &[],
        });
        assert_eq!(token, REFERENCE);
        assert!(payload.starts_with(r#"{"typ":"Bearer","sub":"ext-user-1","#));
        assert_eq!(
            m.header_json(),
            r#"{"alg":"HS256","typ":"JWT","kid":"test-key-id"}"#
        );
    }

    #[test]
    fn escaping_matches_serde_json() {
        for s in [
            "plain",
            "quo\"te",
            "back\\slash",
            "nl\n",
            "\u{1}ctl",
            "ünï😀",
            "</script>",
        ] {
            assert_eq!(json_str(s), serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn extra_claims_and_iss_follow_the_standard_ones() {
        let mut m = Minter::new("k", HmacKey::new(b"0123456789abcdef0123456789abcdef"));
        let extra = vec![
            ("role".to_string(), Value::from("admin")),
            ("n".to_string(), Value::from(3)),
        ];
        let (_, payload) = m.mint(&Claims {
            sub: "u",
            app_code: "a",
            iat: 1,
            exp: 2,
            jti: "j",
            iss: Some("a"),
            extra: &extra,
        });
        assert_eq!(
            payload,
            r#"{"typ":"Bearer","sub":"u","infobip-api-key":"a","iat":1,"exp":2,"jti":"j","iss":"a","role":"admin","n":3}"#
        );
    }

    /// The batch minter against the general one on the reference token's claims.
    #[test]
    fn batch_minter_makes_the_reference_token() {
        let secret =
            Secret::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
                .unwrap();
        let m = Minter::new("test-key-id", secret.hmac_key());
        let claims = Claims {
            sub: "ext-user-1",
            app_code: "test-app-code",
            iat: 1_700_000_000,
            exp: 1_700_000_060,
            jti: "",
            iss: None,
            extra: &[],
        };
        let mut out = b"before\n".to_vec();
        let mut random = [0u8; 16];
        random[15] = 1;
        m.batch(&claims).mint_into("ext-user-1", random, &mut out);
        assert_eq!(out, [b"before\n", REFERENCE.as_bytes()].concat());
    }

    proptest::proptest! {
        /// The jti's text is the uuid crate's for the same bytes (version and variant set).
        #[test]
        fn uuid_v4_is_the_uuid_crates(random in proptest::array::uniform16(proptest::num::u8::ANY)) {
            let reference = uuid::Builder::from_random_bytes(random)
                .into_uuid()
                .hyphenated()
                .to_string();
            proptest::prop_assert_eq!(uuid_v4(random), reference);
        }

        /// The fast path equals the general one for any user id (escapes, non-ASCII, every
        /// length modulo 3), key id, app code, times, `iss` and extra claims.
        #[test]
        fn batch_minter_equals_minter(
            subs in proptest::collection::vec("(\\PC|[\"\\\\\u{0}-\u{1f}]){0,40}", 1..6),
            kid in "\\PC{0,20}",
            app_code in "(\\PC|[\"\\\\\n]){0,30}",
            iat in proptest::num::i64::ANY,
            exp in proptest::num::i64::ANY,
            iss in proptest::bool::ANY,
            extra in proptest::collection::vec(("[a-z\"]{1,8}", "\\PC{0,12}"), 0..3),
            key in proptest::collection::vec(proptest::num::u8::ANY, 0..100),
            random in proptest::array::uniform16(proptest::num::u8::ANY),
        ) {
            let extra: Vec<(String, Value)> =
                extra.into_iter().map(|(k, v)| (k, Value::from(v))).collect();
            let mut general = Minter::new(&kid, HmacKey::new(&key));
            let jti = uuid_v4(random);
            let claims = |sub| Claims {
                sub,
                app_code: &app_code,
                iat,
                exp,
                jti: &jti,
                iss: iss.then_some(app_code.as_str()),
                extra: &extra,
            };
            let mut fast = general.batch(&claims("ignored"));
            let mut out = Vec::new();
            let mut want = String::new();
            for sub in &subs {
                general.mint_into(&claims(sub), &mut want);
                want.push('\n');
                fast.mint_into(sub, random, &mut out);
                out.push(b'\n');
            }
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }

    #[test]
    fn each_source_is_keyed_from_the_os_and_keyed_anew_after_rekey_after_bytes() {
        let (mut a, mut b) = (JtiSource::default(), JtiSource::default());
        // A fixed or shared key would give two sources the same stream.
        assert_ne!(a.next_bytes().unwrap(), b.next_bytes().unwrap());
        let seed = |s: &JtiSource| s.rng.as_ref().map(chacha20::ChaCha20Rng::get_seed).unwrap();
        let first = seed(&a);
        // The first key gives exactly REKEY_AFTER bytes (one was drawn above).
        for _ in 1..JtiSource::REKEY_AFTER / 16 {
            a.next_bytes().unwrap();
        }
        assert_eq!(seed(&a), first);
        a.next_bytes().unwrap();
        assert_ne!(seed(&a), first);
        assert!(!format!("{a:?}").contains(char::is_numeric));
    }

    #[test]
    fn uuids_are_v4_and_unique() {
        let mut src = JtiSource::default();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let u = src.next_uuid().unwrap();
            assert_eq!(u.len(), 36);
            assert_eq!(&u[14..15], "4");
            assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
            assert!(seen.insert(u));
        }
    }
}
