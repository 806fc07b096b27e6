//! Fuzzes the one token judgement (`check`) through every layer: input cleaning, both SDK
//! emulations, the server-side steps, the signature with no key / one key / a key ring, and both
//! renderers. The first byte picks the mode; in "assembled" mode the rest is split into header
//! and payload bytes that are encoded and correctly signed, so the fuzzer reaches the claim
//! checks behind the MAC instead of stopping at the signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmjwt::b64;
use mmjwt::color::Painter;
use mmjwt::token::report;
use mmjwt::sdk::SdkSelection;
use mmjwt::secret::HmacKey;
use mmjwt::token::check::{Expectations, Keys, Options, check};
use mmjwt::token::normalize_input;
use std::collections::HashMap;

const KEY: &[u8; 32] = b"fuzz-key-fuzz-key-fuzz-key-fuzz!";
const NOWS: [i64; 4] = [1_700_000_000, 0, i64::MAX, i64::MIN];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let key = HmacKey::new(KEY);
    let token = if mode & 1 == 1 {
        // Assembled: header bytes, 0xFF, payload bytes; signed with the key.
        let (h, p) = match rest.iter().position(|&b| b == 0xFF) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        let input = format!("{}.{}", b64::encode(h), b64::encode(p));
        let sig = b64::encode(&key.sign(input.as_bytes()));
        format!("{input}.{sig}")
    } else {
        String::from_utf8_lossy(rest).into_owned()
    };
    let input = normalize_input(&token);
    let mut ring = HashMap::new();
    ring.insert("k1".to_string(), key.clone());
    let keys = match (mode >> 1) & 3 {
        0 => Keys::None,
        1 => Keys::Single(&key),
        _ => Keys::Ring(&ring),
    };
    let now = NOWS[usize::from((mode >> 3) & 3)];
    let opts = Options {
        now,
        leeway: if mode & 0x20 != 0 { 30 } else { 0 },
        keys,
        expect: Expectations {
            sub: Some("u"),
            app_code: None,
            kid: if mode & 0x40 != 0 { Some("k1") } else { None },
        },
        require_signature: mode & 0x80 != 0,
        sdk: SdkSelection::BOTH,
    };
    let report = check(&input.token, &opts);
    // Invariants, not only "no crash".
    if report.valid() && !matches!(keys, Keys::None) {
        assert!(report.verified, "valid with a key but not verified");
    }
    if report.verified {
        let sig_start = input.token.rfind('.').expect("a verified token has dots");
        let sig = b64::decode_strict(&input.token[sig_start + 1..]).expect("canonical signature");
        assert!(key.verify(input.token[..sig_start].as_bytes(), &sig));
    }
    let again = check(&input.token, &opts);
    assert_eq!(
        report.problems, again.problems,
        "check is not deterministic"
    );
    let _ = report::text(&report, &input, now, Painter::plain());
    serde_json::to_string(&report::json(
        &report,
        &input,
        None,
        now,
        opts.leeway,
    ))
    .expect("the JSON report serialises");
});
