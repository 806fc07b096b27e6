//! 5,000 mixed requests at concurrency 16 against the binary: no 5xx, nothing lost, memory bounded.

use super::*;

const LOAD_REQUESTS: usize = 5_000;
const LOAD_CONCURRENCY: usize = 16;
/// The peak resident set the sandbox may reach under the load (the README states it).
const LOAD_RSS_LIMIT_KB: u64 = 64 * 1024;
const LOAD_SECRET: &str = "4c4f41442d4c4f41442d4c4f41442d4c4f41442d4c4f41442d4c4f41442d4c4f";

/// `VmHWM` (peak) and `VmRSS` of a process, in KiB.
#[cfg(target_os = "linux")]
fn memory_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// What one load step is.
#[derive(Debug, Clone, Copy)]
enum Step {
    FetchApp,
    PatchIosBearer,
    FetchBearer,
    PatchAndroidApp,
    FetchBadBearer,
    Personalize,
    Depersonalize,
    PatchBadBearer,
    FetchWrongApp,
}

const STEPS: [Step; 9] = [
    Step::FetchApp,
    Step::PatchIosBearer,
    Step::FetchBearer,
    Step::PatchAndroidApp,
    Step::FetchBadBearer,
    Step::Personalize,
    Step::Depersonalize,
    Step::PatchBadBearer,
    Step::FetchWrongApp,
];

/// Matrix J11 and the load figure: 5,000 requests at concurrency 16 against the real
/// binary, every call (fetch, both patch styles, personalize, depersonalize) with App, valid
/// Bearer and invalid Bearer/App authorization. Each worker owns one user: installation `a{w}`
/// carries a counter it patches (and reads back right after), `d{w}` is personalized and
/// depersonalized over and over. No 5xx, every status as expected, the last acknowledged counter
/// value is what a final fetch shows, one log line per request with no token or secret in it,
/// and the peak RSS stays under 64 MiB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_mixed_requests_lose_nothing() {
    use crate::support::api::{Api, Auth, Reply, identity};
    use crate::support::sandbox_process::Running;
    use mmjwt::token::mint::{Claims, Minter};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let run = Running::start(
        &["--app-code", APP, "--log-format", "json"],
        &[("MMJWT_KEY_ID", KID), ("MMJWT_SECRET", LOAD_SECRET)],
    );
    let api = Api::new(run.url.clone());
    let now = mmjwt::time::now_unix();
    let jti = Arc::new(AtomicUsize::new(0));
    let mint = {
        let jti = jti.clone();
        move |secret: &str, sub: &str, exp: i64| {
            let j = format!("load-{}", jti.fetch_add(1, Ordering::Relaxed));
            let key = mmjwt::secret::Secret::from_hex(secret).unwrap().hmac_key();
            Minter::new(KID, key)
                .mint(&Claims {
                    sub,
                    app_code: APP,
                    iat: now - 5,
                    exp,
                    jti: &j,
                    iss: None,
                    extra: &[],
                })
                .0
        }
    };
    // A token per user, and three bad ones: another key, expired, not a token.
    let good: Arc<Vec<String>> = Arc::new(
        (0..LOAD_CONCURRENCY)
            .map(|w| mint(LOAD_SECRET, &format!("u{w}"), now + 3600))
            .collect(),
    );
    let bad: Arc<Vec<(String, &'static str)>> = Arc::new(vec![
        (
            mint(crate::support::SECRET_HEX, "u0", now + 3600),
            "SIGNATURE_INVALID",
        ),
        (mint(LOAD_SECRET, "u0", now - 1), "JWT_TOKEN_EXPIRED"),
        ("not.a.token".to_owned(), "JWT_TOKEN_STRUCTURE_INVALID"),
    ]);
    let mut setup = 0;
    for (w, t) in good.iter().enumerate() {
        let sub = format!("u{w}");
        api.personalize(
            &format!("a{w}"),
            "",
            &Auth::Bearer(t.clone()),
            &identity(&sub),
        )
        .await
        .ok();
        setup += 1;
    }

    let started = std::time::Instant::now();
    let mut workers = Vec::new();
    for w in 0..LOAD_CONCURRENCY {
        let (api, good, bad) = (api.clone(), good.clone(), bad.clone());
        // 5,000 split over 16 workers: the first 8 do one more.
        let count =
            LOAD_REQUESTS / LOAD_CONCURRENCY + usize::from(w < LOAD_REQUESTS % LOAD_CONCURRENCY);
        workers.push(tokio::spawn(async move {
            let (a, d, sub) = (format!("a{w}"), format!("d{w}"), format!("u{w}"));
            let bearer = Auth::Bearer(good[w].clone());
            let mut last_acked: Option<usize> = None;
            let mut statuses = Vec::with_capacity(count);
            for i in 0..count {
                let (bad_token, bad_id) = &bad[i % bad.len()];
                let bad_auth = Auth::Bearer(bad_token.clone());
                let counter = json!({"customAttributes": {"n": i}});
                let check = |r: &Reply, want: Option<(u16, &str)>| match want {
                    None => {
                        r.ok();
                    }
                    Some((status, id)) => r.refused(status, id),
                };
                let step = STEPS[(i + w) % STEPS.len()];
                let r = match step {
                    Step::FetchApp => {
                        let r = api.fetch(&a, &Auth::App(APP)).await;
                        check(&r, None);
                        r
                    }
                    Step::PatchIosBearer | Step::PatchAndroidApp => {
                        let r = if matches!(step, Step::PatchIosBearer) {
                            api.patch(&a, &bearer, &counter).await
                        } else {
                            api.patch_android(&a, &Auth::App(APP), &counter).await
                        };
                        check(&r, None);
                        last_acked = Some(i);
                        r
                    }
                    Step::FetchBearer => {
                        let r = api.fetch(&a, &bearer).await;
                        // Read-your-writes: the last acknowledged value, already.
                        let n = r.ok()["customAttributes"]["n"].as_u64().map(|n| n as usize);
                        assert_eq!(n, last_acked, "worker {w} step {i}");
                        r
                    }
                    Step::FetchBadBearer => {
                        let r = api.fetch(&a, &bad_auth).await;
                        check(&r, Some((401, bad_id)));
                        r
                    }
                    Step::PatchBadBearer => {
                        let poison = json!({"customAttributes": {"n": "refused"}});
                        let r = api.patch(&a, &bad_auth, &poison).await;
                        check(&r, Some((401, bad_id)));
                        r
                    }
                    Step::Personalize => {
                        let r = api.personalize(&d, "", &bearer, &identity(&sub)).await;
                        assert_eq!(r.ok()["externalUserId"], sub.as_str());
                        r
                    }
                    Step::Depersonalize => {
                        let r = api.depersonalize(&d, &Auth::App(APP)).await;
                        check(&r, None);
                        r
                    }
                    Step::FetchWrongApp => {
                        let r = api.fetch(&a, &Auth::App("wrong-app")).await;
                        check(&r, Some((401, "1")));
                        r
                    }
                };
                statuses.push(r.status);
            }
            (w, last_acked, statuses)
        }));
    }
    let mut statuses = Vec::with_capacity(LOAD_REQUESTS);
    let mut acked = Vec::new();
    for h in workers {
        let (w, last, s) = h.await.unwrap();
        statuses.extend(s);
        acked.push((w, last));
    }
    let elapsed = started.elapsed();
    assert_eq!(statuses.len(), LOAD_REQUESTS);
    let server_errors = statuses.iter().filter(|s| **s >= 500).count();
    assert_eq!(server_errors, 0);

    // No lost update: every user's counter is its last acknowledged value.
    let mut lost = 0;
    for (w, last) in &acked {
        let r = api.fetch(&format!("a{w}"), &Auth::App(APP)).await;
        let n = r.ok()["customAttributes"]["n"].as_u64().map(|n| n as usize);
        if n != *last {
            lost += 1;
        }
        assert!(last.is_some());
    }
    assert_eq!(lost, 0);

    #[cfg(target_os = "linux")]
    let (peak_kb, rss_kb) = memory_kb(run.child.id());
    #[cfg(not(target_os = "linux"))]
    let (peak_kb, rss_kb) = (0, 0);
    run.signal("TERM");
    let (status, log) = run.finish();
    assert_eq!(status.code(), Some(0));
    // The figures for the README (not asserted: timings vary with the machine).
    eprintln!(
        "load: {LOAD_REQUESTS} requests at concurrency {LOAD_CONCURRENCY} in {:.2} s; peak RSS {} KiB (now {} KiB); 5xx {server_errors}; lost {lost}",
        elapsed.as_secs_f64(),
        peak_kb,
        rss_kb
    );
    assert!(
        peak_kb < LOAD_RSS_LIMIT_KB,
        "peak RSS {peak_kb} KiB over {LOAD_RSS_LIMIT_KB} KiB"
    );
    let lines = log.lines().filter(|l| l.starts_with('{')).count();
    assert_eq!(
        lines,
        setup + LOAD_REQUESTS + LOAD_CONCURRENCY,
        "one log line per request"
    );
    assert!(!log.contains(LOAD_SECRET) && !log.contains(&good[0]) && !log.contains(&bad[0].0));
}

/// Matrix J10: without `--listen`, the sandbox binds a loopback address only.
#[test]
fn the_default_listen_address_is_loopback() {
    use clap::Parser as _;
    let cli = mmjwt::cli::Cli::try_parse_from(["mmjwt", "sandbox"]).unwrap();
    let mmjwt::cli::Command::Sandbox(args) = cli.command else {
        panic!("not the sandbox command");
    };
    assert!(args.listen.ip().is_loopback(), "{}", args.listen);
    assert_eq!(args.listen.to_string(), mmjwt::sandbox::DEFAULT_LISTEN);
}
