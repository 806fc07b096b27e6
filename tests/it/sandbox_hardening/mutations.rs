//! Randomly mutated tokens: the sandbox and check still agree.

use super::*;

/// Tokens to start from: valid, for another app, expired, not yet valid, unsigned.
fn base_tokens() -> Vec<String> {
    use crate::support::{HEADER, payload, signed, test_key};
    let key = test_key();
    let other_app = r#"{"typ":"Bearer","sub":"u","infobip-api-key":"other-app","iat":1700000000,"exp":1700000060,"jti":"j"}"#;
    vec![
        crate::support::REFERENCE_TOKEN.to_owned(),
        signed(HEADER, &payload("u2", NOW - 10, NOW + 600), &key),
        signed(HEADER, other_app, &key),
        signed(HEADER, &payload("u3", NOW - 100, NOW - 1), &key),
        signed(HEADER, &payload("u4", NOW + 100, NOW + 200), &key),
        format!(
            "{}.{}.",
            mmjwt::b64::encode(br#"{"alg":"none","kid":"test-key-id"}"#),
            mmjwt::b64::encode(payload("u5", NOW, NOW + 60).as_bytes())
        ),
    ]
}

/// One edit: substitute, insert or delete a character (positions are taken modulo the length).
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, char),
    Insert(usize, char),
    Delete(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    // The base64url alphabet, the separators and padding, space, tab, and bytes past ASCII
    // (which make the header unreadable as text).
    let ch = prop_oneof![
        8 => proptest::char::ranges(vec!['A'..='Z', 'a'..='z', '0'..='9'].into()),
        2 => proptest::sample::select(vec!['-', '_', '.', '=', '+', '/', ' ', '\t', '"', 'é', '\u{ff}']),
    ];
    prop_oneof![
        (any::<usize>(), ch.clone()).prop_map(|(i, c)| Edit::Set(i, c)),
        (any::<usize>(), ch).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<usize>().prop_map(Edit::Delete),
    ]
}

fn apply(token: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    for e in edits {
        match *e {
            Edit::Set(i, c) if !chars.is_empty() => {
                let n = chars.len();
                chars[i % n] = c;
            }
            Edit::Insert(i, c) => {
                let n = chars.len() + 1;
                chars.insert(i % n, c);
            }
            Edit::Delete(i) if !chars.is_empty() => {
                let n = chars.len();
                chars.remove(i % n);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// A current-thread runtime and a sandbox shared by every proptest case.
fn shared() -> &'static (tokio::runtime::Runtime, App) {
    static SHARED: OnceLock<(tokio::runtime::Runtime, App)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let key = crate::support::test_key();
        let mut c = Config::new(Mode::AllowAll, APP).with_key(KID, key);
        c.clock = Clock::Fixed(NOW);
        (rt, mmjwt::sandbox::app(c).unwrap())
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// `check` with the sandbox's settings (key ring, the app code expected, a signature
    /// required, no SDK checks) and the sandbox itself give the same verdict on mutated tokens.
    #[test]
    fn check_and_the_sandbox_agree_on_mutated_tokens(
        base in 0usize..6,
        edits in proptest::collection::vec(edit(), 0..4),
    ) {
        let token = apply(&base_tokens()[base], &edits);
        let ring = HashMap::from([(KID.to_owned(), crate::support::test_key())]);
        let opts = Options {
            now: NOW,
            leeway: 0,
            keys: Keys::Ring(&ring),
            expect: Expectations { app_code: Some(APP), ..Expectations::default() },
            require_signature: true,
            sdk: SdkSelection::NONE,
        };
        // Spaces after the scheme are separators: the sandbox reads what follows them.
        let seen = token.trim_start_matches(' ');
        let expected = check(seen, &opts).primary_problem().map(|p| p.code);
        let (rt, app) = shared();
        let auth = bearer(&token);
        prop_assume!(auth.is_some());
        let sub = sub_of(seen).unwrap_or_else(|| "nobody".to_owned());
        let identity = json!({"userIdentity": {"externalUserId": sub}});
        let a = rt.block_on(call(
            app,
            "POST",
            "/mobile/1/appinstance/reg/personalize?forceDepersonalize=true",
            auth,
            Some(&identity),
        ));
        if token.is_ascii() {
            prop_assert!(agrees(&a, expected), "{token}: sandbox {a:?}, check {expected:?}");
        } else {
            // Not text: the sandbox never reads it; check refuses it too.
            prop_assert!(expected.is_some());
            prop_assert_eq!((a.status, a.message_id()), (401, Some("AUTHORIZATION_INVALID")));
        }
    }
}
