//! Criterion benchmarks of the pure cores: minting (one token, and batch `gen`'s fast path),
//! the full check (all layers, with a key), a batch `check --json` line (general and one-pass),
//! each SDK emulation, and the HMAC with a precomputed key schedule.
//! Run: `cargo bench --bench cores`.

use criterion::{Criterion, criterion_group, criterion_main};
use mmjwt::secret::Secret;
use mmjwt::token::check::{Keys, Options, check};
use mmjwt::token::mint::{Claims, Minter};
use std::hint::black_box;

const NOW: i64 = 1_700_000_000;

fn bench(c: &mut Criterion) {
    let secret =
        Secret::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
            .expect("valid hex");
    let key = secret.hmac_key();
    let mut minter = Minter::new("bench-key", key.clone());
    let claims = Claims {
        sub: "user-123456",
        app_code: "bench-app-code",
        iat: NOW,
        exp: NOW + 900,
        jti: "00000000-0000-4000-8000-000000000001",
        iss: Some("bench-app-code"),
        extra: &[],
    };
    let (token, _) = minter.mint(&claims);
    let mut out = String::with_capacity(512);

    c.bench_function("mint_into", |b| {
        b.iter(|| {
            out.clear();
            minter.mint_into(black_box(&claims), &mut out);
        });
    });
    // Batch `gen`'s fast path: the same claims, the user id and jti bytes per token.
    let mut batch = minter.batch(&claims);
    let mut bytes: Vec<u8> = Vec::with_capacity(512);
    let random = [7u8; 16];
    c.bench_function("mint_batch_into", |b| {
        b.iter(|| {
            bytes.clear();
            batch.mint_into(black_box("user-123456"), black_box(random), &mut bytes);
        });
    });
    let opts = Options {
        keys: Keys::Single(&key),
        ..Options::at(NOW + 1)
    };
    c.bench_function("check_all_layers_with_key", |b| {
        b.iter(|| check(black_box(&token), &opts));
    });
    // What the sandbox runs for each Bearer request: the key found by kid, no SDK emulation.
    let ring: std::collections::HashMap<String, mmjwt::secret::HmacKey> =
        [("bench-key".to_string(), key.clone())].into();
    let sandbox_opts = Options {
        keys: Keys::Ring(&ring),
        sdk: mmjwt::sdk::SdkSelection::NONE,
        require_signature: true,
        expect: mmjwt::token::check::Expectations {
            app_code: Some("bench-app-code"),
            ..Default::default()
        },
        ..Options::at(NOW + 1)
    };
    c.bench_function("check_server_layer_as_sandbox", |b| {
        b.iter(|| check(black_box(&token), &sandbox_opts));
    });
    // What the sandbox runs since round 3: the same judgement without the report.
    c.bench_function("verdict_as_sandbox", |b| {
        b.iter(|| mmjwt::token::verdict::verdict(black_box(&token), &sandbox_opts));
    });
    let report = check(&token, &opts);
    let input = mmjwt::token::normalize_input(&token);
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    c.bench_function("check_json_render", |b| {
        b.iter(|| {
            buf.clear();
            let v = mmjwt::token::report::json(black_box(&report), &input, Some(1), NOW + 1, 0);
            serde_json::to_writer(&mut buf, &v).expect("serialisable");
        });
    });
    // One batch `check --json` line: the general path (check, then the serde view) and the
    // one-pass writer of the usual valid token, which batch checking takes first.
    let mut line = String::with_capacity(4096);
    c.bench_function("check_json_line_general", |b| {
        b.iter(|| {
            line.clear();
            let input = mmjwt::token::normalize_input(black_box(&token));
            let report = mmjwt::token::check::check_input(&token, &input, &opts);
            mmjwt::token::report::write_json(&mut line, &report, &input, Some(1), NOW + 1, 0);
        });
    });
    c.bench_function("check_json_line_quick", |b| {
        b.iter(|| {
            line.clear();
            assert!(mmjwt::token::quick::write_json(
                &mut line,
                black_box(token.as_bytes()),
                Some(1),
                &opts
            ));
        });
    });
    c.bench_function("sdk_android", |b| {
        b.iter(|| mmjwt::sdk::android::validate(black_box(&token), NOW));
    });
    c.bench_function("sdk_ios", |b| {
        b.iter(|| mmjwt::sdk::ios::validate(black_box(&token), NOW));
    });
    let input = &token.as_bytes()[..token.rfind('.').unwrap_or(0)];
    c.bench_function("hmac_sha256_signing_input", |b| {
        b.iter(|| key.sign(black_box(input)));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
