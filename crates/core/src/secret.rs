//! Key material: secret text as the user typed it ([`SecretText`]), the hex secret the Infobip
//! portal shows decoded into key bytes ([`Secret`]), an HMAC-SHA256 key whose schedule is
//! computed once and reused for every token ([`HmacKey`]), and random key ids.
//!
//! None of them appears in `Debug`, `Display` or error messages. The text, the key bytes and
//! the HMAC state (the two hashed key pads: not the key, but enough to sign) are overwritten
//! with zeros (`zeroize`, which the optimiser cannot remove) when dropped.

use sha2::digest::core_api::Block as BlockOf;
use sha2::{Digest as _, Sha256, Sha256VarCore, compress256};
use std::fmt;
use subtle::ConstantTimeEq as _;
use zeroize::Zeroize as _;

/// The recommended minimum: RFC 7518 §3.2 wants a key as long as the hash output.
pub const MIN_KEY_BYTES: usize = 32;

/// Why a hex secret was refused. The messages never contain the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretError {
    Empty,
    OddLength(usize),
    NotHex { position: usize },
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretError::Empty => f.write_str("the secret is empty"),
            SecretError::OddLength(n) => write!(
                f,
                "the secret has an odd number of hex digits ({n}); the portal shows an even-length hex string"
            ),
            SecretError::NotHex { position } => write!(
                f,
                "the secret is not hex: character {position} is outside 0-9, a-f, A-F (the HMAC key is the hex-decoded secret)"
            ),
        }
    }
}

impl std::error::Error for SecretError {}

/// Decoded key bytes. `Debug` prints only the length.
#[derive(Clone)]
pub struct Secret {
    bytes: Vec<u8>,
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret([REDACTED] {} bytes)", self.bytes.len())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

/// Secret text as given (a `--secret` value, a `--key KID=HEX` flag, a `--token`): opaque until
/// the one place that reads it, never shown by `Debug`, wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(String);

impl SecretText {
    pub fn new(text: impl Into<String>) -> SecretText {
        SecretText(text.into())
    }

    /// The text, for the code that parses or sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText([REDACTED])")
    }
}

impl Drop for SecretText {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::str::FromStr for SecretText {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(SecretText(s.to_owned()))
    }
}

/// A random key id: the prefix and 8 random hex digits.
pub fn random_key_id(prefix: &str) -> std::io::Result<String> {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).map_err(std::io::Error::other)?;
    Ok(format!(
        "{prefix}-{:02x}{:02x}{:02x}{:02x}",
        b[0], b[1], b[2], b[3]
    ))
}

impl Secret {
    /// Parses the portal's hex string: either case, surrounding whitespace ignored, an optional
    /// `0x` prefix (as the iOS example generator accepts).
    pub fn from_hex(text: &str) -> Result<Secret, SecretError> {
        let t = text.trim();
        let t = t
            .strip_prefix("0x")
            .or_else(|| t.strip_prefix("0X"))
            .unwrap_or(t);
        if t.is_empty() {
            return Err(SecretError::Empty);
        }
        let digits = t.as_bytes();
        if let Some(position) = digits.iter().position(|b| !b.is_ascii_hexdigit()) {
            return Err(SecretError::NotHex {
                position: position + 1,
            });
        }
        if !digits.len().is_multiple_of(2) {
            return Err(SecretError::OddLength(digits.len()));
        }
        let bytes = digits
            .chunks_exact(2)
            .map(|pair| (hex_val(pair[0]) << 4) | hex_val(pair[1]))
            .collect();
        Ok(Secret { bytes })
    }

    /// Wraps raw key bytes (tests, fuzzing, the sandbox's generated keys).
    pub fn from_bytes(bytes: Vec<u8>) -> Secret {
        Secret { bytes }
    }

    /// A fresh random 32-byte secret from the operating system.
    pub fn random() -> std::io::Result<Secret> {
        let mut bytes = vec![0u8; MIN_KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
        Ok(Secret { bytes })
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// True when the key is shorter than [`MIN_KEY_BYTES`].
    pub fn is_weak(&self) -> bool {
        self.bytes.len() < MIN_KEY_BYTES
    }

    /// The lowercase hex form, for the one place that must show it (`keygen`, the sandbox's
    /// ephemeral key).
    pub fn expose_hex(&self) -> String {
        use fmt::Write as _;
        let mut s = String::with_capacity(self.bytes.len() * 2);
        for b in &self.bytes {
            let _ = write!(s, "{b:02x}");
        }
        s
    }

    /// The key bytes, for code that must sign with them.
    pub fn expose_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The HMAC key with its schedule precomputed.
    pub fn hmac_key(&self) -> HmacKey {
        HmacKey::new(&self.bytes)
    }
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

/// SHA-256's chaining value: the eight state words after some whole 64-byte blocks.
type Chain = [u32; 8];

/// One 64-byte block as `sha2::compress256` takes it.
type Block = BlockOf<Sha256VarCore>;

/// SHA-256's initial chaining value (FIPS 180-4 §5.3.3).
const IV: Chain = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// An HMAC-SHA256 key (RFC 2104) whose inner and outer pads are hashed once, written directly
/// over SHA-256's compression function (`sha2::compress256`, which uses the CPU's SHA
/// extensions where it has them). Through the `hmac` crate every MAC copied two hasher states
/// with their block buffers and went through the generic buffering and finalisation; here a
/// MAC is the message's whole blocks, one or two padded blocks and one outer block, and the key
/// pads live only in this type, which wipes them when dropped. Tests hold it equal to the
/// `hmac` crate for every key and message length.
///
/// Unlike the `hmac` crate's state, this one is wiped (`zeroize`) when dropped.
#[derive(Clone)]
pub struct HmacKey {
    /// After the inner pad and the whole blocks of an absorbed prefix.
    inner: Chain,
    /// After the outer pad.
    outer: Chain,
    /// The absorbed prefix's last partial block: `carry[..carried]`.
    carry: [u8; 64],
    carried: usize,
    /// Bytes hashed into `inner` (the pad's 64 and the prefix's whole blocks).
    absorbed: u64,
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
        self.carry.zeroize();
    }
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacKey([REDACTED])")
    }
}

/// Hashes `bytes` (whole blocks only) into `chain`, up to four blocks a call: copying them into
/// blocks costs less than a call per block.
fn absorb(chain: &mut Chain, bytes: &[u8]) {
    debug_assert_eq!(bytes.len() % 64, 0);
    let mut room = [Block::default(); 4];
    for group in bytes.chunks(256) {
        for (block, chunk) in room.iter_mut().zip(group.chunks_exact(64)) {
            block.copy_from_slice(chunk);
        }
        compress256(chain, &room[..group.len() / 64]);
    }
}

/// Fills `block[filled..]` from the start of `rest`, as far as either goes: the block's new
/// fill and what is left of `rest`.
fn top_up<'m>(block: &mut [u8; 64], filled: usize, rest: &'m [u8]) -> (usize, &'m [u8]) {
    let take = (64 - filled).min(rest.len());
    block[filled..filled + take].copy_from_slice(&rest[..take]);
    (filled + take, &rest[take..])
}

/// Hashes the whole blocks at the start of `bytes` into `chain`; the rest (under a block).
fn absorb_whole<'m>(chain: &mut Chain, bytes: &'m [u8]) -> &'m [u8] {
    let whole = bytes.len() / 64 * 64;
    absorb(chain, &bytes[..whole]);
    &bytes[whole..]
}

/// Ends a SHA-256 whose last `tail` (under 64 bytes) is not yet hashed and whose whole message
/// is `total` bytes: the padding (FIPS 180-4 §5.1.1) in one or two blocks, then the digest.
fn finish(mut chain: Chain, tail: &[u8], total: u64) -> [u8; 32] {
    let mut room = [Block::default(); 2];
    room[0][..tail.len()].copy_from_slice(tail);
    room[0][tail.len()] = 0x80;
    let blocks = if tail.len() < 56 { 1 } else { 2 };
    room[blocks - 1][56..].copy_from_slice(&(total * 8).to_be_bytes());
    compress256(&mut chain, &room[..blocks]);
    digest_of(&chain)
}

/// The digest of a message of `total` bytes whose whole blocks up to here are in `chain`, and
/// whose rest is `carry` (under a block) followed by `message`: the one place a MAC's inner hash
/// is finished.
fn digest_from(mut chain: Chain, carry: &[u8], message: &[u8], total: u64) -> [u8; 32] {
    let mut rest = message;
    if !carry.is_empty() {
        let mut block = [0; 64];
        block[..carry.len()].copy_from_slice(carry);
        let (filled, after) = top_up(&mut block, carry.len(), rest);
        rest = after;
        if filled < 64 {
            return finish(chain, &block[..filled], total);
        }
        absorb(&mut chain, &block);
    }
    let tail = absorb_whole(&mut chain, rest);
    finish(chain, tail, total)
}

fn digest_of(chain: &Chain) -> [u8; 32] {
    let mut out = [0; 32];
    for (bytes, word) in out.chunks_exact_mut(4).zip(chain) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// The chain after one pad block: the key (hashed first when longer than a block) XOR `byte`.
fn pad_chain(key: &[u8], byte: u8) -> Chain {
    let mut block = Block::default();
    block[..key.len()].copy_from_slice(key);
    for b in &mut block {
        *b ^= byte;
    }
    let mut chain = IV;
    compress256(&mut chain, std::slice::from_ref(&block));
    block.zeroize();
    chain
}

impl HmacKey {
    pub fn new(key: &[u8]) -> HmacKey {
        let mut hashed = [0u8; 32];
        let key = if key.len() > 64 {
            hashed = Sha256::digest(key).into();
            &hashed[..]
        } else {
            key
        };
        let out = HmacKey {
            inner: pad_chain(key, 0x36),
            outer: pad_chain(key, 0x5c),
            carry: [0; 64],
            carried: 0,
            absorbed: 64,
        };
        hashed.zeroize();
        out
    }

    /// This key with `prefix` already absorbed: its [`sign`](Self::sign) and
    /// [`verify`](Self::verify) of `m` are those of `prefix ‖ m` with the original key. Batch
    /// `gen` uses it for the part of the signing input every token shares, so the per-token MAC
    /// starts where that part ends.
    #[must_use]
    pub fn with_prefix(&self, prefix: &[u8]) -> HmacKey {
        let mut key = self.clone();
        let mut rest = prefix;
        if key.carried > 0 {
            (key.carried, rest) = top_up(&mut key.carry, key.carried, rest);
            if key.carried < 64 {
                return key;
            }
            let block = key.carry;
            absorb(&mut key.inner, &block);
            key.absorbed += 64;
            key.carried = 0;
        }
        let tail = absorb_whole(&mut key.inner, rest);
        key.absorbed += (rest.len() - tail.len()) as u64;
        key.carry[..tail.len()].copy_from_slice(tail);
        key.carried = tail.len();
        key
    }

    /// The inner hash of (the absorbed prefix ‖) `message`.
    fn inner_hash(&self, message: &[u8]) -> [u8; 32] {
        let total = self.absorbed + (self.carried + message.len()) as u64;
        digest_from(self.inner, &self.carry[..self.carried], message, total)
    }

    /// The outer hash around an inner digest: one block (32 bytes, padding, length 96 bytes).
    fn outer_hash(&self, inner: &[u8; 32]) -> [u8; 32] {
        finish(self.outer, inner, 64 + 32)
    }

    /// The 32-byte tag of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 32] {
        self.outer_hash(&self.inner_hash(message))
    }

    /// Constant-time check of a full-length tag; any other length is refused (RFC 7518 §3.2
    /// requires the whole 256-bit MAC).
    pub fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        tag.len() == 32 && tag_matches(&self.sign(message), tag)
    }
}

/// The one comparison of a computed MAC with a token's tag: constant time, whole length. The
/// differences of the four words are ORed together without a branch, and only that one word
/// goes through `subtle`'s comparison (its optimisation barrier).
fn tag_matches(mac: &[u8; 32], tag: &[u8]) -> bool {
    let Ok(tag) = <&[u8; 32]>::try_from(tag) else {
        return false;
    };
    let word = |bytes: &[u8]| {
        let mut w = [0; 8];
        w.copy_from_slice(bytes);
        u64::from_ne_bytes(w)
    };
    let diff = mac
        .chunks_exact(8)
        .zip(tag.chunks_exact(8))
        .fold(0, |acc, (m, t)| acc | (word(m) ^ word(t)));
    diff.ct_eq(&0).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The HMAC written over the compression function is the `hmac` crate's, for keys
        /// shorter than, as long as and longer than a block, messages of every length around
        /// the padding's edges, and prefixes absorbed in one or two steps.
        #[test]
        fn sign_equals_the_hmac_crate(
            key in proptest::collection::vec(proptest::num::u8::ANY, 0..150),
            message in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
            cut in 0..300usize,
            cut2 in 0..300usize,
        ) {
            use hmac::Mac as _;
            let reference = |m: &[u8]| {
                let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&key).unwrap();
                mac.update(m);
                <[u8; 32]>::from(mac.finalize().into_bytes())
            };
            let want = reference(&message);
            let k = HmacKey::new(&key);
            proptest::prop_assert_eq!(k.sign(&message), want);
            proptest::prop_assert!(k.verify(&message, &want));
            let (a, rest) = message.split_at(cut.min(message.len()));
            let (b, c) = rest.split_at(cut2.min(rest.len()));
            proptest::prop_assert_eq!(k.with_prefix(a).sign(rest), want);
            proptest::prop_assert_eq!(k.with_prefix(a).with_prefix(b).sign(c), want);
            proptest::prop_assert!(k.with_prefix(a).verify(rest, &want));
            let mut bad = want;
            bad[cut % 32] ^= 1 << (cut2 % 8);
            proptest::prop_assert!(!k.verify(&message, &bad));
        }
    }

    #[test]
    fn a_tag_matches_only_itself_whole() {
        let mac: [u8; 32] = std::array::from_fn(|i| (i * 37) as u8);
        assert!(tag_matches(&mac, &mac));
        for bit in 0..256 {
            let mut other = mac;
            other[bit / 8] ^= 1 << (bit % 8);
            assert!(!tag_matches(&mac, &other), "bit {bit}");
        }
        assert!(!tag_matches(&mac, &mac[..31]));
        assert!(!tag_matches(&mac, &[mac.as_slice(), &[0]].concat()));
        assert!(!tag_matches(&mac, &[]));
    }

    #[test]
    fn fips_180_4_vectors_and_rfc_4231_long_key() {
        // SHA-256 itself through `finish` (the empty message and "abc").
        let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(&finish(IV, b"", 0)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&finish(IV, b"abc", 3)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // RFC 4231 test case 6: a 131-byte key, hashed before use.
        let key = HmacKey::new(&[0xaa; 131]);
        assert_eq!(
            hex(&key.sign(b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn parses_hex_in_any_case_with_whitespace() {
        let s = Secret::from_hex("  00FFaa10\n").unwrap();
        assert_eq!(s.expose_bytes(), &[0x00, 0xff, 0xaa, 0x10]);
        assert!(s.is_weak());
        assert_eq!(Secret::from_hex("0x0a").unwrap().expose_bytes(), &[0x0a]);
    }

    #[test]
    fn errors_never_contain_the_value() {
        let bad = ["", "   ", "abc", "zz11", "00112g"];
        for b in bad {
            let e = Secret::from_hex(b).unwrap_err().to_string();
            if b.trim().len() > 1 {
                assert!(!e.contains(b.trim()), "{e}");
            }
        }
        assert_eq!(Secret::from_hex("").unwrap_err(), SecretError::Empty);
        assert_eq!(
            Secret::from_hex("abc").unwrap_err(),
            SecretError::OddLength(3)
        );
        assert_eq!(
            Secret::from_hex("00112g").unwrap_err(),
            SecretError::NotHex { position: 6 }
        );
    }

    #[test]
    fn secret_text_is_opaque_and_wiped() {
        let t: SecretText = "deadbeef".parse().unwrap();
        assert_eq!(t.expose(), "deadbeef");
        assert_eq!(format!("{t:?}"), "SecretText([REDACTED])");
        let mut s = String::from("deadbeef");
        s.zeroize();
        assert!(s.is_empty(), "zeroize empties what it wiped");
    }

    #[test]
    fn key_ids_have_the_prefix_and_eight_hex_digits() {
        let k = random_key_id("sandbox").unwrap();
        let (prefix, hex) = k.split_once('-').unwrap();
        assert_eq!(prefix, "sandbox");
        assert_eq!(hex.len(), 8);
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn debug_is_redacted() {
        let s = Secret::from_hex("deadbeefdeadbeef").unwrap();
        let d = format!("{s:?} {:?}", s.hmac_key());
        assert!(!d.contains("deadbeef") && !d.contains("de ad"), "{d}");
        assert!(d.contains("REDACTED"));
    }

    #[test]
    fn rfc4231_case_2() {
        // RFC 4231 test case 2: key "Jefe".
        let key = HmacKey::new(b"Jefe");
        let tag = key.sign(b"what do ya want for nothing?");
        let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(key.verify(b"what do ya want for nothing?", &tag));
        assert!(!key.verify(b"what do ya want for nothing?", &tag[..16]));
        let mut bad = tag;
        bad[31] ^= 1;
        assert!(!key.verify(b"what do ya want for nothing?", &bad));
    }

    #[test]
    fn a_prefixed_key_signs_the_concatenation() {
        let key = HmacKey::new(b"Jefe");
        let whole = b"what do ya want for nothing?";
        for cut in [0, 1, 7, whole.len()] {
            let pre = key.with_prefix(&whole[..cut]);
            assert_eq!(pre.sign(&whole[cut..]), key.sign(whole), "cut at {cut}");
            assert!(pre.verify(&whole[cut..], &key.sign(whole)));
        }
        // Longer than a SHA-256 block, so the absorbed state holds compressed blocks too.
        let long: Vec<u8> = (0..300u16).map(|i| i as u8).collect();
        for cut in [63, 64, 65, 200] {
            assert_eq!(
                key.with_prefix(&long[..cut]).sign(&long[cut..]),
                key.sign(&long)
            );
        }
    }
}
