//! The binary: start-up lines, logs, signals, keys and state from the command line.

use super::*;

fn key_flag() -> String {
    format!("k1={K1}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_url_first_log_without_secrets_and_graceful_sigterm() {
    let key_arg = key_flag();
    let run = Running::start(
        &["--app-code", APP, "--key", &key_arg, "--log-format", "json"],
        &[],
    );
    let api = Api::new(run.url.clone());
    // The binary uses the real clock, so the token must be fresh.
    let now = mmjwt::time::now_unix();
    let t = Minter::new("k1", key(K1))
        .mint(&Claims {
            sub: "alice",
            app_code: APP,
            iat: now - 5,
            exp: now + 300,
            jti: "j1",
            iss: None,
            extra: &[],
        })
        .0;
    api.personalize("r", "", &Auth::Bearer(t.clone()), &identity("alice"))
        .await
        .ok();
    api.fetch("r", &Auth::Bearer("bad.token.here".into()))
        .await
        .refused(401, "JWT_TOKEN_STRUCTURE_INVALID");
    run.signal("TERM");
    let (status, stderr) = run.finish();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains(&t), "no token in the log");
    assert!(!stderr.contains(K1), "no secret in the log");
    assert!(!stderr.contains("bad.token.here"));
    let log: Vec<Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(log.len(), 2, "{stderr}");
    assert_eq!(
        (&log[0]["auth"], &log[0]["sub"], &log[0]["status"]),
        (&json!("Bearer"), &json!("alice"), &json!(200))
    );
    assert_eq!(log[1]["messageId"], "JWT_TOKEN_STRUCTURE_INVALID");
    assert!(stderr.contains("SIGTERM"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_state_survives_sigkill_mid_write() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    let file_arg = file.to_str().unwrap().to_owned();
    let key_arg = key_flag();
    let args = [
        "--app-code",
        APP,
        "--key",
        &key_arg,
        "--state",
        &file_arg,
        "--log-format",
        "off",
    ];
    let mut run = Running::start(&args, &[]);
    let api = Api::new(run.url.clone());

    // Four writers save distinct attributes; each acknowledged one is recorded.
    let acked = Arc::new(Mutex::new(Vec::<(usize, usize)>::new()));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (api, acked) = (api.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..200 {
                let body = json!({"customAttributes": {format!("w{w}_{i}"): i}});
                let path = format!("/mobile/1/appinstance/inst{w}/user");
                let res = api
                    .http
                    .patch(format!("{}{path}", api.base))
                    .header("Authorization", "App test-app")
                    .body(body.to_string())
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 200 => acked.lock().unwrap().push((w, i)),
                    _ => break,
                }
            }
        }));
    }
    // Kill while the writers are busy.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().len() < 40 && Instant::now() < deadline {
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    run.child.kill().unwrap();
    run.child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 40, "{}", acked.len());

    // The file is whole, and every acknowledged change is in it.
    let run = Running::start(&args, &[]);
    let api = Api::new(run.url.clone());
    for w in 0..4 {
        let r = api.fetch(&format!("inst{w}"), &APP_AUTH).await;
        let attrs = r.ok()["customAttributes"].clone();
        for (_, i) in acked.iter().filter(|(ww, _)| *ww == w) {
            assert_eq!(attrs[format!("w{w}_{i}")], json!(i), "lost w{w}_{i}");
        }
    }
    run.signal("INT");
    let (status, _) = run.finish();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn binary_refuses_an_unreadable_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(&file, b"{ half a file").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mmjwt"))
        .args([
            "sandbox",
            "--listen",
            "127.0.0.1:0",
            "--app-code",
            "a",
            "--state",
        ])
        .arg(&file)
        .env_remove("MMJWT_KEY_ID")
        .env_remove("MMJWT_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not usable"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.contains("error:")).count(),
        1,
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no URL when it cannot start");
    assert_eq!(std::fs::read(&file).unwrap(), b"{ half a file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_without_credentials_generates_and_shows_them_once() {
    let run = Running::start(&["--mode", "jwt-only"], &[]);
    run.signal("TERM");
    let (status, stderr) = run.finish();
    assert_eq!(status.code(), Some(0));
    let get = |name: &str| {
        let lines: Vec<&str> = stderr
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{name}=")))
            .collect();
        assert_eq!(lines.len(), 1, "{name} shown once: {stderr}");
        lines[0].to_owned()
    };
    let (app, kid, secret) = (
        get("MMJWT_APP_CODE"),
        get("MMJWT_KEY_ID"),
        get("MMJWT_SECRET"),
    );
    assert_eq!(Secret::from_hex(&secret).unwrap().len(), 32);
    assert!(!app.is_empty() && kid.starts_with("sandbox-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_generated_credentials_sign_working_tokens() {
    // MMJWT_KEY_ID + MMJWT_SECRET from the environment, several keys at once with --key.
    let k2 = format!("k2={K2}");
    let run = Running::start(
        &[
            "--mode",
            "jwt-only",
            "--app-code",
            APP,
            "--key",
            &k2,
            "--log-format",
            "off",
        ],
        &[("MMJWT_KEY_ID", "k1"), ("MMJWT_SECRET", K1)],
    );
    let api = Api::new(run.url.clone());
    let now = mmjwt::time::now_unix();
    for (i, (kid, hex)) in [("k1", K1), ("k2", K2)].into_iter().enumerate() {
        let jti = format!("j{i}");
        let t = Minter::new(kid, key(hex))
            .mint(&Claims {
                sub: "alice",
                app_code: APP,
                iat: now - 5,
                exp: now + 300,
                jti: &jti,
                iss: None,
                extra: &[],
            })
            .0;
        api.personalize("r", "", &Auth::Bearer(t), &identity("alice"))
            .await
            .ok();
    }
    run.signal("TERM");
    assert_eq!(run.finish().0.code(), Some(0));
}

#[test]
fn binary_never_echoes_a_malformed_key() {
    let cases: [(&[&str], i32); 4] = [
        (&["--key", "k1=zzS3NT1NELzz"], 1),
        (&["--key", "S3NT1NELWITHOUTEQUALS"], 2),
        (&["--key", "=00ff"], 2),
        (
            &[
                "--key",
                "k1=00ff00ff00ff00ff00ff00ff00ff00ff",
                "--key",
                "k1=00ff00ff00ff00ff00ff00ff00ff00ff",
            ],
            2,
        ),
    ];
    for (args, code) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_mmjwt"))
            .args(["sandbox", "--listen", "127.0.0.1:0", "--app-code", "a"])
            .args(args)
            .env_remove("MMJWT_KEY_ID")
            .env_remove("MMJWT_SECRET")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(
            !err.contains("S3NT1NEL") && !err.contains("00ff00ff"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    // A secret without a key id is a usage error too, and is not echoed either.
    let out = Command::new(env!("CARGO_BIN_EXE_mmjwt"))
        .args([
            "sandbox",
            "--listen",
            "127.0.0.1:0",
            "--secret",
            "00ff00ff00ff00ff",
        ])
        .env_remove("MMJWT_KEY_ID")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("00ff00ff"));
}

#[test]
fn default_logs_are_text_and_config_defaults_are_quiet() {
    let c = Config::new(Mode::JwtOnly, "x");
    assert_eq!(c.log, LogFormat::Off);
    assert!(c.keys.is_empty() && c.state_file.is_none() && !c.strict_installations);
    assert_eq!(c.clock, Clock::System);
}
