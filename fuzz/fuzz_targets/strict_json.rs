//! Fuzzes the strict JSON object reader the server-side judgement uses, against serde_json
//! itself as the oracle: it accepts exactly the texts serde_json reads as an object, keeps the
//! last of repeated names, and reports every repeated name once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmjwt::token::json::{JsonError, parse_object};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let ours = parse_object(data);
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
