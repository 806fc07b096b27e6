//! Fuzzes the iOS SDK emulation (Swift split, Data(base64URLEncoded:), JSONSerialization, the
//! exp cascade). Same raw / assembled modes as the Android target.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmjwt::b64;
use mmjwt::problem::Code;
use mmjwt::sdk::ios;

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
        i64::MIN
    };
    let v = ios::validate(&token, now);
    assert_eq!(v.accepted, v.code.is_none());
    assert_eq!(v.code.is_some(), v.message.is_some());
    assert!(matches!(
        v.code,
        None | Some(Code::StructureInvalid | Code::Expired)
    ));
    let _ = ios::ios_base64_decode(&String::from_utf8_lossy(rest));
});
