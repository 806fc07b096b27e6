//! Fuzzes the iOS SDK emulation (Swift split, Data(base64URLEncoded:), JSONSerialization, the
//! exp cascade) in the raw and assembled modes of `sdk_input`.
#![no_main]

#[path = "sdk_input.rs"]
mod sdk_input;

use libfuzzer_sys::fuzz_target;
use mmjwt::sdk::ios;

fuzz_target!(|data: &[u8]| {
    let Some((token, now, rest)) = sdk_input::token(data, i64::MIN) else {
        return;
    };
    sdk_input::assert_sdk_contract(&ios::validate(&token, now));
    let _ = ios::ios_base64_decode(&String::from_utf8_lossy(rest));
});
