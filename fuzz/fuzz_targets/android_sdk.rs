//! Fuzzes the Android SDK emulation (Java split, android.util.Base64, the lenient org.json
//! reader, getLong). The first byte picks raw mode (the bytes are the token) or assembled mode
//! (header and payload bytes, split at 0xFF, are base64url-encoded so org.json sees them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmjwt::b64;
use mmjwt::problem::Code;
use mmjwt::sdk::android;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
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
        i64::MAX
    };
    let v = android::validate(&token, now);
    // The SDK only ever answers with its two codes, and always with a message when it refuses.
    assert_eq!(v.accepted, v.code.is_none());
    assert_eq!(v.code.is_some(), v.message.is_some());
    assert!(matches!(
        v.code,
        None | Some(Code::StructureInvalid | Code::Expired)
    ));
    let _ = android::android_base64_decode(rest);
});
