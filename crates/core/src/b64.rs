//! base64url as RFC 7515 defines it (no padding, no other characters, canonical trailing bits),
//! plus a forgiving decoder used only to keep analysing a token after reporting that it is not
//! canonical.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig, general_purpose};

/// The only encoding a server-side JWS may use.
const STRICT: GeneralPurpose = general_purpose::URL_SAFE_NO_PAD;

/// Accepts padding or not and any trailing bits; fed only after the input was normalised.
const FORGIVING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Encodes bytes as canonical base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    STRICT.encode(bytes)
}

/// Appends the canonical base64url encoding of `bytes` to `out`.
pub fn encode_into(bytes: &[u8], out: &mut String) {
    STRICT.encode_string(bytes, out);
}

/// The base64url alphabet, in value order.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The two characters of every 12-bit value, first character in the low byte (8 KB, computed at
/// compile time): a 3-byte group becomes 4 characters with two look-ups and one store.
static PAIRS: [u16; 4096] = {
    let mut t = [0u16; 4096];
    let mut i = 0;
    while i < 4096 {
        t[i] = u16::from_le_bytes([ALPHABET[i >> 6], ALPHABET[i & 63]]);
        i += 1;
    }
    t
};

/// Appends the canonical base64url encoding of `bytes` to `out`, bytes straight into place.
/// Batch `gen` encodes a few short runs per token, where the `base64` crate's fixed cost per
/// call (and its UTF-8 re-check when appending to a `String`) outweighed the encoding itself;
/// tests hold this equal to [`encode`] for every length and byte.
pub fn encode_append(bytes: &[u8], out: &mut Vec<u8>) {
    let groups = bytes.chunks_exact(3);
    let rest = groups.remainder();
    let start = out.len();
    out.resize(start + bytes.len() / 3 * 4, 0);
    for (g, o) in groups.zip(out[start..].chunks_exact_mut(4)) {
        let n = u32::from_be_bytes([0, g[0], g[1], g[2]]);
        let v =
            u32::from(PAIRS[(n >> 12) as usize]) | (u32::from(PAIRS[(n & 0xfff) as usize]) << 16);
        o.copy_from_slice(&v.to_le_bytes());
    }
    // The last 1 or 2 bytes: 2 or 3 characters, the unused low bits zero (canonical).
    match *rest {
        [x] => out.extend_from_slice(&PAIRS[usize::from(x) << 4].to_le_bytes()),
        [x, y] => {
            let n = (usize::from(x) << 8) | usize::from(y);
            out.extend_from_slice(&PAIRS[n >> 4].to_le_bytes());
            out.push(ALPHABET[(n & 0xf) << 2]);
        }
        _ => {}
    }
}

/// A non-empty JWS segment's canonical base64url decoded into `buf`: the decoded bytes, or
/// `None` when it is empty, not canonical or does not fit (the fast judgements decode into
/// fixed rooms, `token::Segments`, and leave larger segments to `check`).
pub fn decode_segment(segment: impl AsRef<[u8]>, buf: &mut [u8]) -> Option<&[u8]> {
    let segment = segment.as_ref();
    if segment.is_empty() {
        return None;
    }
    // `decode_strict_into` refuses a segment whose decoded length does not fit, before decoding.
    let n = decode_strict_into(segment, buf)?;
    Some(&buf[..n])
}

/// Decodes canonical base64url; anything else is an error.
pub fn decode_strict(segment: &str) -> Option<Vec<u8>> {
    let mut out = vec![0; decoded_len(segment.len())?];
    let n = decode_strict_into(segment, &mut out)?;
    out.truncate(n);
    Some(out)
}

/// The bytes `len` canonical base64url characters decode to; `None` for a length no encoding
/// has (one character past a multiple of four).
fn decoded_len(len: usize) -> Option<usize> {
    let tail = match len % 4 {
        0 => 0,
        2 => 1,
        3 => 2,
        _ => return None,
    };
    Some(len / 4 * 3 + tail)
}

/// The base64url alphabet's values; `INVALID` (top bits set) for every other byte, `=` included.
const INVALID: u8 = 0xff;
const SEXTETS: [u8; 256] = {
    let mut t = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// `SEXTETS` with each value shifted to its place in a group of four characters (18, 12, 6 and
/// 0 bits up); a byte outside the alphabet sets `PLACED_INVALID` instead.
const PLACED_INVALID: u32 = 0xff00_0000;
const PLACED: [[u32; 256]; 4] = {
    let mut t = [[PLACED_INVALID; 256]; 4];
    let mut b = 0;
    while b < 256 {
        let v = SEXTETS[b];
        if v != INVALID {
            let mut k = 0;
            while k < 4 {
                t[k][b] = (v as u32) << (18 - 6 * k);
                k += 1;
            }
        }
        b += 1;
    }
    t
};

/// Decodes canonical base64url into `out` without allocating; the number of bytes, or `None`
/// when the segment is not canonical (a byte outside the alphabet, padding, an impossible
/// length, non-zero unused bits) or does not fit. The same answers as the `base64` crate's
/// strict engine (a property test holds them equal), by a table and four characters at a time:
/// batch `check` decodes three segments per token, and the crate's general decoder was 7 % of it.
pub fn decode_strict_into(segment: impl AsRef<[u8]>, out: &mut [u8]) -> Option<usize> {
    let input = segment.as_ref();
    let len = decoded_len(input.len())?;
    let out = out.get_mut(..len)?;
    let (quads, tail) = input.split_at(input.len() / 4 * 4);
    let (whole, rest) = out.split_at_mut(quads.len() / 4 * 3);
    let sextet = |b: u8| SEXTETS[usize::from(b)];
    // Each character's bits already in place (see `PLACED`): a group is four loads and three
    // ORs, and one test of the top byte catches a byte outside the alphabet anywhere in it.
    let group = |q: &[u8]| {
        PLACED[0][usize::from(q[0])]
            | PLACED[1][usize::from(q[1])]
            | PLACED[2][usize::from(q[2])]
            | PLACED[3][usize::from(q[3])]
    };
    for (q, o) in quads.chunks_exact(8).zip(whole.chunks_exact_mut(6)) {
        let (a, b) = (group(&q[..4]), group(&q[4..]));
        if (a | b) & PLACED_INVALID != 0 {
            return None;
        }
        let v = u64::from(a) << 24 | u64::from(b);
        o.copy_from_slice(&v.to_be_bytes()[2..]);
    }
    if quads.len() % 8 == 4 {
        let v = group(&quads[quads.len() - 4..]);
        if v & PLACED_INVALID != 0 {
            return None;
        }
        let at = whole.len() - 3;
        whole[at..].copy_from_slice(&v.to_be_bytes()[1..]);
    }
    match *tail {
        [] => {}
        [a, b] => {
            let (a, b) = (sextet(a), sextet(b));
            // The last character's low four bits are unused and must be zero.
            if (a | b) & 0xc0 != 0 || b & 0x0f != 0 {
                return None;
            }
            rest[0] = a << 2 | b >> 4;
        }
        [a, b, c] => {
            let (a, b, c) = (sextet(a), sextet(b), sextet(c));
            // The last character's low two bits are unused and must be zero.
            if (a | b | c) & 0xc0 != 0 || c & 0x03 != 0 {
                return None;
            }
            rest[0] = a << 2 | b >> 4;
            rest[1] = (b & 0x0f) << 4 | c >> 2;
        }
        // `decoded_len` refused the other lengths.
        _ => return None,
    }
    Some(len)
}

/// What was wrong with a segment that still decoded after normalising it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deviation {
    Padding,
    StandardAlphabet,
    Whitespace,
    TrailingBits,
}

impl Deviation {
    pub fn describe(self) -> &'static str {
        match self {
            Deviation::Padding => "'=' padding",
            Deviation::StandardAlphabet => "'+' or '/' from the standard alphabet",
            Deviation::Whitespace => "whitespace",
            Deviation::TrailingBits => "non-zero trailing bits",
        }
    }
}

/// Decodes a segment, first strictly and then, if that fails, forgivingly.
///
/// Returns the bytes and the deviations from canonical form (empty when canonical), or `None`
/// when the segment is not base64 in any reading.
pub fn decode_lenient(segment: &str) -> Option<(Vec<u8>, Vec<Deviation>)> {
    if let Some(bytes) = decode_strict(segment) {
        return Some((bytes, Vec::new()));
    }
    let mut deviations = Vec::new();
    let mut normal = String::with_capacity(segment.len());
    for c in segment.chars() {
        match c {
            '+' | '/' => {
                push_once(&mut deviations, Deviation::StandardAlphabet);
                normal.push(if c == '+' { '-' } else { '_' });
            }
            c if c.is_ascii_whitespace() => push_once(&mut deviations, Deviation::Whitespace),
            c => normal.push(c),
        }
    }
    let unpadded = normal.trim_end_matches('=');
    if unpadded.len() != normal.len() {
        push_once(&mut deviations, Deviation::Padding);
    }
    let bytes = FORGIVING.decode(unpadded).ok()?;
    if STRICT.decode(unpadded).is_err() {
        push_once(&mut deviations, Deviation::TrailingBits);
    }
    Some((bytes, deviations))
}

fn push_once(v: &mut Vec<Deviation>, d: Deviation) {
    if !v.contains(&d) {
        v.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_decodes_only_when_non_empty_canonical_and_fitting() {
        let mut buf = [0u8; 4];
        assert_eq!(decode_segment("YWJj", &mut buf), Some(&b"abc"[..]));
        assert_eq!(decode_segment(b"YWJjZA", &mut buf), Some(&b"abcd"[..]));
        assert_eq!(decode_segment("", &mut buf), None);
        // Five bytes do not fit in four; `YR` has unused bits set; `YW=` is padded.
        assert_eq!(decode_segment("YWJjZGU", &mut buf), None);
        assert_eq!(decode_segment("YR", &mut buf), None);
        assert_eq!(decode_segment("YW=", &mut buf), None);
    }

    #[test]
    fn strict_round_trip() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            let enc = encode(&bytes);
            assert!(!enc.contains('='));
            assert_eq!(decode_strict(&enc).unwrap(), bytes);
            let mut appended = b"x.".to_vec();
            encode_append(&bytes, &mut appended);
            assert_eq!(appended, [b"x.", enc.as_bytes()].concat());
        }
    }

    proptest::proptest! {
        #[test]
        fn encode_append_equals_the_base64_crate(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            before in "[a-z.]{0,5}",
        ) {
            let mut out = before.clone().into_bytes();
            encode_append(&bytes, &mut out);
            proptest::prop_assert_eq!(out, (before + &encode(&bytes)).into_bytes());
        }
    }

    #[test]
    fn encode_append_covers_every_value_of_every_position() {
        // Each byte value in each of the three positions of a group, and as a 1- or 2-byte tail.
        for v in 0..=255u8 {
            for input in [
                vec![v, 0, 0],
                vec![0, v, 0],
                vec![0, 0, v],
                vec![v],
                vec![0, v],
                vec![v, v],
            ] {
                let mut out = Vec::new();
                encode_append(&input, &mut out);
                assert_eq!(out, encode(&input).into_bytes(), "{input:?}");
            }
        }
    }

    #[test]
    fn strict_rejects_non_canonical_forms() {
        // RFC 7515 A.1 signature ends in 'k'; 'l' decodes to the same bytes leniently.
        assert!(decode_strict("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").is_some());
        assert!(decode_strict("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl").is_none());
        assert!(decode_strict("YQ==").is_none());
        assert!(decode_strict("a+b/").is_none());
        assert!(decode_strict("YW Jj").is_none());
        assert!(decode_strict("a").is_none());
    }

    proptest::proptest! {
        /// The table decoder answers what the `base64` crate's strict engine answers, bytes
        /// and refusals alike, for text near base64url (padding, the standard alphabet, spaces,
        /// non-ASCII, every length) and for output buffers that are too small.
        #[test]
        fn table_decoder_agrees_with_the_base64_crate(
            text in "[A-Za-z0-9_=+/ é-]{0,40}",
            canonical in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            room in 0usize..40,
        ) {
            for segment in [text.clone(), encode(&canonical)] {
                let mut ours = vec![0u8; 64];
                let mut theirs = vec![0u8; 64];
                let a = decode_strict_into(&segment, &mut ours);
                let b = STRICT.decode_slice(&segment, &mut theirs).ok();
                proptest::prop_assert_eq!(a, b, "{}", segment);
                if let Some(n) = a {
                    proptest::prop_assert_eq!(&ours[..n], &theirs[..n]);
                    proptest::prop_assert_eq!(decode_strict(&segment), Some(ours[..n].to_vec()));
                } else {
                    proptest::prop_assert_eq!(decode_strict(&segment), None);
                }
                // Too little room is a refusal, never a panic or a partial answer.
                let mut small = vec![0u8; room];
                let fits = decode_strict_into(&segment, &mut small);
                proptest::prop_assert_eq!(fits, a.filter(|&n| n <= room));
            }
            let canonical_text = encode(&canonical);
            proptest::prop_assert_eq!(decode_strict(&canonical_text), Some(canonical));
        }
    }

    #[test]
    fn lenient_reports_each_deviation() {
        let (b, d) = decode_lenient("YQ==").unwrap();
        assert_eq!(b, b"a");
        assert_eq!(d, vec![Deviation::Padding]);
        let (_, d) = decode_lenient("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl").unwrap();
        assert_eq!(d, vec![Deviation::TrailingBits]);
        let (b, d) = decode_lenient("+/8").unwrap();
        assert_eq!(b, vec![0xfb, 0xff]);
        assert_eq!(d, vec![Deviation::StandardAlphabet]);
        assert!(decode_lenient("a").is_none());
        assert!(decode_lenient("{\"a\"}").is_none());
    }
}
