//! What the two SDK fuzz targets share: turning fuzz bytes into a token, and the contract every
//! SDK answer must keep. The first byte picks raw mode (the bytes are the token) or assembled
//! mode (header and payload bytes, split at 0xFF, are base64url-encoded so the JSON reader sees
//! them); its second bit picks an ordinary `now` or an extreme one.

use mmjwt::b64;
use mmjwt::problem::Code;
use mmjwt::sdk::SdkVerdict;

/// The token, the `now` to judge it at (`extreme_now` when bit 2 is set), and the bytes after
/// the mode byte; `None` for empty input.
pub fn token(data: &[u8], extreme_now: i64) -> Option<(String, i64, &[u8])> {
    let (&mode, rest) = data.split_first()?;
    let token = if mode & 1 == 1 {
        let (h, p) = match rest.iter().position(|&b| b == 0xFF) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        format!("{}.{}.sig", b64::encode(h), b64::encode(p))
    } else {
        String::from_utf8_lossy(rest).into_owned()
    };
    let now = if mode & 2 == 0 {
        1_700_000_000
    } else {
        extreme_now
    };
    Some((token, now, rest))
}

/// An SDK only ever answers with its two codes, and always with a message when it refuses.
pub fn assert_sdk_contract(v: &SdkVerdict) {
    assert_eq!(v.accepted, v.code.is_none());
    assert_eq!(v.code.is_some(), v.message.is_some());
    assert!(matches!(
        v.code,
        None | Some(Code::StructureInvalid | Code::Expired)
    ));
}
