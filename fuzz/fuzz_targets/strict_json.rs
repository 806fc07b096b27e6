//! Fuzzes the strict JSON object reader the server-side judgement uses, against serde_json
//! itself as the oracle: it accepts exactly the texts serde_json reads as an object, keeps the
//! last of repeated names, and reports every repeated name once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmjwt::json::{JsonError, parse_object};
use serde_json::Value;

/// With the `raw_value` feature on (any crate in a build can turn it on), serde_json's own
/// `Value` refuses an object whose first name is this marker; mmjwt reads it as the ordinary
/// name it is, so the oracle does not apply to input carrying it (a unit test in `json::read`
/// covers it).
const RAW_VALUE_MARKER: &[u8] = b"$serde_json::private::RawValue";

fuzz_target!(|data: &[u8]| {
    let ours = parse_object(data);
    if data.windows(RAW_VALUE_MARKER.len()).any(|w| w == RAW_VALUE_MARKER) {
        return;
    }
    let theirs = serde_json::from_slice::<Value>(data);
    match (&ours, &theirs) {
        (Ok(o), Ok(Value::Object(m))) => {
            // serde_json's own map keeps the last value of a repeated name, as ours does.
            assert_eq!(o.members.to_value(), Value::Object(m.clone()));
            let mut seen = o.duplicates.clone();
            seen.sort();
            seen.dedup();
            assert_eq!(
                seen.len(),
                o.duplicates.len(),
                "a duplicate is reported twice"
            );
            for d in &o.duplicates {
                assert!(m.contains_key(d));
            }
        }
        (Err(JsonError::NotObject(_)), Ok(v)) => assert!(!v.is_object()),
        (Err(JsonError::Invalid(_)), Err(_)) => {}
        _ => panic!("disagreement: ours {ours:?}, serde_json {theirs:?}"),
    }
});
