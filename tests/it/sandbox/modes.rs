//! Modes × calls × authorization kinds: every combination answers as the mode says.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Fetch,
    PatchIos,
    PatchAndroid,
    Personalize,
    Depersonalize,
    Repersonalize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    App,
    Bearer,
    Missing,
    WrongApp,
    Expired,
}

/// What the sandbox must answer; `None` is 200.
fn expected(mode: Mode, call: Call, kind: Kind) -> Option<(u16, &'static str)> {
    match kind {
        Kind::Missing => return Some((401, "AUTHORIZATION_MISSING")),
        Kind::WrongApp => return Some((401, "1")),
        Kind::Expired => return Some((401, "JWT_TOKEN_EXPIRED")),
        Kind::App | Kind::Bearer => {}
    }
    match mode {
        Mode::Disallow if call != Call::Depersonalize => Some((403, "USER_DATA_RESTRICTED")),
        Mode::JwtOnly
            if kind == Kind::App && matches!(call, Call::Personalize | Call::Repersonalize) =>
        {
            Some((401, "JWT_REQUIRED"))
        }
        _ => None,
    }
}

async fn one_call(api: &Api, call: Call, reg: &str, auth: &Auth, sub: &str) -> Reply {
    let patch = json!({"firstName": "Pat"});
    match call {
        Call::Fetch => api.fetch(reg, auth).await,
        Call::PatchIos => api.patch(reg, auth, &patch).await,
        Call::PatchAndroid => api.patch_android(reg, auth, &patch).await,
        Call::Personalize => api.personalize(reg, "", auth, &identity(sub)).await,
        Call::Depersonalize => api.depersonalize(reg, auth).await,
        Call::Repersonalize => api.repersonalize(reg, auth, &identity(sub)).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mode_call_and_authorization_kind() {
    let calls = [
        Call::Fetch,
        Call::PatchIos,
        Call::PatchAndroid,
        Call::Personalize,
        Call::Depersonalize,
        Call::Repersonalize,
    ];
    let kinds = [
        Kind::App,
        Kind::Bearer,
        Kind::Missing,
        Kind::WrongApp,
        Kind::Expired,
    ];
    let mut checked = 0;
    for mode in [Mode::AllowAll, Mode::JwtOnly, Mode::Disallow] {
        let (_sb, api) = start(config(mode)).await;
        for call in calls {
            for kind in kinds {
                let reg = format!("{call:?}-{kind:?}");
                let sub = format!("user-{reg}");
                // Bearer calls on an existing user need the installation personalized first.
                if kind == Kind::Bearer
                    && mode != Mode::Disallow
                    && matches!(call, Call::Fetch | Call::PatchIos | Call::PatchAndroid)
                {
                    api.personalize(&reg, "", &Auth::Bearer(token(&sub)), &identity(&sub))
                        .await
                        .ok();
                }
                let auth = match kind {
                    Kind::App => APP_AUTH,
                    Kind::Bearer => Auth::Bearer(token(&sub)),
                    Kind::Missing => Auth::None,
                    Kind::WrongApp => Auth::App("wrong-app"),
                    Kind::Expired => Auth::Bearer(token_with("k1", K1, &sub, APP, NOW - 1)),
                };
                let r = one_call(&api, call, &reg, &auth, &sub).await;
                match expected(mode, call, kind) {
                    None => {
                        let body = r.ok();
                        if matches!(call, Call::Personalize | Call::Repersonalize) {
                            assert_eq!(body["externalUserId"], sub.as_str(), "{mode:?} {call:?}");
                        }
                    }
                    Some((status, id)) => r.refused(status, id),
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 6 * 5);
}
