//! Fuzzes the one token judgement (`check`) through every layer: input cleaning, both SDK
//! emulations, the server-side steps, the signature with no key / one key / a key ring, and both
//! renderers (text with every plugin's objects, and both JSON writers, which must agree byte for
//! byte), the string as given and as `--exact` reads it. The first byte picks the mode; in "assembled" mode the rest is split into header
//! and payload bytes that are encoded and correctly signed, so the fuzzer reaches the claim
//! checks behind the MAC instead of stopping at the signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmjwt::b64;
use mmjwt::color::Painter;
use mmjwt::sdk::SdkSelection;
use mmjwt::sdk::plugins::Plugin;
use mmjwt::secret::{HmacKey, Secret};
use mmjwt::token::check::{Expectations, Keys, Options, check, check_input};
use mmjwt::token::pitfalls::KeyVariants;
use mmjwt::token::report;
use mmjwt::token::{exact_input, normalize_input};
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
    let variants = KeyVariants::from_secret(&Secret::from_bytes(KEY.to_vec()));
    let keys = match (mode >> 1) & 3 {
        0 => Keys::None,
        1 => Keys::Single(&key),
        2 => Keys::Ring(&ring),
        _ => Keys::SingleWithVariants(&key, &variants),
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
    serde_json::to_string(&report::json(&report, &input, None, now, opts.leeway))
        .expect("the JSON report serialises");

    // The string as given only adds warnings; `--exact` judges it unchanged.
    let given = check_input(&token, &input, &opts);
    assert_eq!(
        given.problems, report.problems,
        "as-given changed the problems"
    );
    let exact = exact_input(&token);
    let exact_report = check_input(&token, &exact, &opts);
    for (inp, r) in [(&input, &given), (&exact, &exact_report)] {
        let _ = report::text_with_plugins(r, inp, now, Painter::plain(), &Plugin::ALL);
        let mut fast = String::new();
        report::write_json(&mut fast, r, inp, Some(1), now, opts.leeway);
        let slow = serde_json::to_string(&report::json(r, inp, Some(1), now, opts.leeway))
            .expect("the JSON report serialises");
        assert_eq!(fast, slow, "the two JSON writers differ");
    }
});
