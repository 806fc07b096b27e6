//! Key material: secret text as the user typed it ([`SecretText`]), the hex secret the Infobip
//! portal shows decoded into key bytes ([`Secret`]), an HMAC-SHA256 key whose schedule is
//! computed once and reused for every token ([`HmacKey`]), the MAC state after a signing input's
//! first block kept for the next input that starts alike ([`FirstBlock`]), and random key ids.
//!
//! None of them appears in `Debug`, `Display` or error messages. The text and the key bytes are
//! overwritten with zeros (`zeroize`, which the optimiser cannot remove) when dropped. The HMAC
//! state is not: the `hmac` crate (0.12) gives no way to wipe it. It holds the two hashed key
//! pads, not the key, but they are enough to sign, so it lives only as long as its command.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use zeroize::Zeroize as _;

type HmacSha256 = Hmac<Sha256>;

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

/// An HMAC-SHA256 key whose inner and outer pads are hashed once; cloning the state per message
/// is what makes batch signing cheap.
#[derive(Clone)]
pub struct HmacKey {
    state: HmacSha256,
    /// Which key (and absorbed prefix) this is, for [`FirstBlock`]: clones share it, every
    /// other key has its own.
    id: u64,
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacKey([REDACTED])")
    }
}

/// A process-wide counter, so that no two keys ever share an id (an address could be reused).
fn next_key_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl HmacKey {
    pub fn new(key: &[u8]) -> HmacKey {
        HmacKey {
            state: HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length"),
            id: next_key_id(),
        }
    }

    /// This key with `prefix` already absorbed: its [`sign`](Self::sign) and
    /// [`verify`](Self::verify) of `m` are those of `prefix ‖ m` with the original key. Batch
    /// `gen` uses it for the part of the signing input every token shares, so the per-token MAC
    /// starts where that part ends. Like the key itself, the absorbed state is not wiped on drop.
    #[must_use]
    pub fn with_prefix(&self, prefix: &[u8]) -> HmacKey {
        let mut state = self.state.clone();
        state.update(prefix);
        HmacKey {
            state,
            id: next_key_id(),
        }
    }

    /// The 32-byte tag of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.state.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// Constant-time check of a full-length tag; any other length is refused (RFC 7518 §3.2
    /// requires the whole 256-bit MAC).
    pub fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        if tag.len() != 32 {
            return false;
        }
        let mut mac = self.state.clone();
        mac.update(message);
        tag_matches(mac, tag)
    }
}

/// The one comparison of a computed MAC with a token's tag: constant time, whole length.
fn tag_matches(mac: HmacSha256, tag: &[u8]) -> bool {
    mac.verify_slice(tag).is_ok()
}

/// The MAC state after the first SHA-256 block (64 bytes) of the last signing input verified
/// through it, kept for the next input that starts with the same block under the same key.
///
/// Tokens from one issuer share their header, and a typical header segment with its dot and the
/// payload's first character is exactly that block: batch `check` then compresses five blocks a
/// token instead of six. Every token is still verified in full (the block is compared byte for
/// byte, the rest hashed, the tag compared in constant time); what is reused is only the
/// hashing of bytes equal to the last ones, never a verdict. The bytes compared are the token's
/// own, which is public; the state holds no more of the key than the key itself does.
#[derive(Clone, Default)]
pub struct FirstBlock {
    /// The key's id, the block, and the state after it.
    last: Option<(u64, [u8; 64], HmacSha256)>,
}

impl fmt::Debug for FirstBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FirstBlock([REDACTED])")
    }
}

impl FirstBlock {
    /// [`HmacKey::verify`], with the first block's state reused when it matches.
    pub fn verify(&mut self, key: &HmacKey, message: &[u8], tag: &[u8]) -> bool {
        let (Some(first), true) = (message.first_chunk::<64>(), tag.len() == 32) else {
            return key.verify(message, tag);
        };
        let state = match &self.last {
            Some((id, block, state)) if *id == key.id && block == first => state,
            _ => {
                let mut state = key.state.clone();
                state.update(first);
                &self.last.insert((key.id, *first, state)).2
            }
        };
        let mut mac = state.clone();
        mac.update(&message[64..]);
        tag_matches(mac, tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The memo answers what the key answers, whatever the sequence of keys, messages
        /// (shorter and longer than a block, sharing a first block or not) and tags.
        #[test]
        fn first_block_verify_equals_verify(
            steps in proptest::collection::vec(
                (0..3usize, 0..2usize, proptest::collection::vec(0..3u8, 0..150), proptest::bool::ANY),
                1..40,
            ),
        ) {
            let keys = [HmacKey::new(b"one"), HmacKey::new(b"two"), HmacKey::new(b"one")];
            let prefixes = [[b'h'; 64], [b'k'; 64]];
            let mut memo = FirstBlock::default();
            for (k, p, tail, genuine) in steps {
                let message = [&prefixes[p][..tail.len().min(64)], &tail[..]].concat();
                let mut tag = keys[k].sign(&message);
                if !genuine {
                    tag[tail.len() % 32] ^= 1;
                }
                proptest::prop_assert_eq!(memo.verify(&keys[k], &message, &tag), genuine);
                proptest::prop_assert_eq!(keys[k].verify(&message, &tag), genuine);
                // Another key (even with the same bytes) never passes on this one's state.
                let other = &keys[(k + 1) % 3];
                let same_bytes = k != 1 && (k + 1) % 3 != 1;
                proptest::prop_assert_eq!(memo.verify(other, &message, &tag), genuine && same_bytes);
            }
        }
    }

    #[test]
    fn keys_and_absorbed_prefixes_never_share_an_id() {
        let a = HmacKey::new(b"k");
        let b = HmacKey::new(b"k");
        let c = a.with_prefix(b"p");
        assert_ne!(a.id, b.id);
        assert_ne!(a.id, c.id);
        assert_eq!(a.clone().id, a.id);
        // A prefixed key signs prefix ‖ m; the memo must not mistake it for its parent.
        let mut memo = FirstBlock::default();
        let m = [b'x'; 100];
        assert!(memo.verify(&a, &m, &a.sign(&m)));
        assert!(!memo.verify(&c, &m, &a.sign(&m)));
        assert!(memo.verify(&c, &m, &c.sign(&m)));
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
