//! Fuzzes the Android SDK emulation (Java split, android.util.Base64, the lenient org.json
//! reader, getLong) in the raw and assembled modes of `sdk_input`.
#![no_main]

#[path = "sdk_input.rs"]
mod sdk_input;

use libfuzzer_sys::fuzz_target;
use mmjwt::sdk::android;

fuzz_target!(|data: &[u8]| {
    let Some((token, now, rest)) = sdk_input::token(data, i64::MAX) else {
        return;
    };
    sdk_input::assert_sdk_contract(&android::validate(&token, now));
    let _ = android::android_base64_decode(rest);
});
