//! Secret hygiene: no environment-backed argument shows its value in help (checked over the
//! whole clap tree), a sentinel secret never reaches stdout or stderr in any encoding on any
//! path of any subcommand (`gen`, `check`, `replay` with `-v`/`--json`/`--dry-run`/`--curl`,
//! the `sandbox` binary and its request log; success, failure, help), tokens are not echoed in
//! error lines or logs, and secret files readable by others are warned about.

use crate::support::{mmjwt, signed};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use mmjwt::secret::HmacKey;

/// The sentinel key: readable as text so a raw-bytes leak is easy to spot too.
const SENTINEL: &[u8; 32] = b"S3NT1NEL-S3NT1NEL-S3NT1NEL-S3NT1";
const APP_SENTINEL: &str = "APPSENTINEL-7f3a";
const KID_SENTINEL: &str = "KIDSENTINEL-9c2b";
const NOW: &str = "1700000000";

fn sentinel_hex() -> String {
    SENTINEL.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every form of the sentinel that must never appear, with a 16-character prefix of each long
/// form to catch partial leaks.
fn forbidden() -> Vec<String> {
    let hex = sentinel_hex();
    let mut forms = vec![
        hex.clone(),
        hex.to_uppercase(),
        String::from_utf8(SENTINEL.to_vec()).unwrap(),
        "S3NT1NEL".to_string(),
        STANDARD.encode(SENTINEL),
        URL_SAFE_NO_PAD.encode(SENTINEL),
        STANDARD.encode(hex.as_bytes()),
        URL_SAFE_NO_PAD.encode(hex.as_bytes()),
    ];
    let prefixes: Vec<String> = forms
        .iter()
        .filter(|f| f.len() > 16)
        .map(|f| f[..16].to_string())
        .collect();
    forms.extend(prefixes);
    forms
}

fn assert_clean(what: &str, out: &std::process::Output) {
    for stream in [&out.stdout, &out.stderr] {
        assert_text_clean(what, &String::from_utf8_lossy(stream));
    }
}

fn assert_text_clean(what: &str, text: &str) {
    for f in forbidden() {
        assert!(!text.contains(&f), "{what}: output contains {f:?}:\n{text}");
    }
}

// ------------------------------------------------------------------------ the clap tree

fn walk(cmd: &clap::Command, path: &str, seen_env: &mut Vec<String>) {
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if let Some(env) = arg.get_env() {
            seen_env.push(format!("{path} --{id} ({})", env.to_string_lossy()));
            assert!(
                arg.is_hide_env_values_set(),
                "{path}: argument {id} reads {} but shows its value in --help",
                env.to_string_lossy()
            );
        }
        if id.contains("secret") {
            assert!(
                arg.get_default_values().is_empty(),
                "{path}: {id} has a default value"
            );
        }
    }
    for sub in cmd.get_subcommands() {
        walk(sub, &format!("{path} {}", sub.get_name()), seen_env);
    }
}

#[test]
fn every_env_backed_argument_hides_its_value() {
    let mut seen = Vec::new();
    let cmd = mmjwt::cli::command();
    walk(&cmd, "mmjwt", &mut seen);
    // The walk must have reached the env-backed arguments of gen and check at least.
    assert!(
        seen.iter().any(|s| s.starts_with("mmjwt gen "))
            && seen.iter().any(|s| s.starts_with("mmjwt check ")),
        "{seen:?}"
    );
}

/// Every subcommand path, for `--help` runs.
fn subcommand_paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    out.push(prefix.to_vec());
    for sub in cmd.get_subcommands() {
        let mut p = prefix.to_vec();
        p.push(sub.get_name().to_string());
        subcommand_paths(sub, &p, out);
    }
}

#[test]
fn help_never_shows_environment_values() {
    let mut paths = Vec::new();
    subcommand_paths(&mmjwt::cli::command(), &[], &mut paths);
    assert!(paths.len() >= 6, "{paths:?}");
    for p in &paths {
        for flag in ["--help", "-h"] {
            let out = mmjwt()
                .args(p)
                .arg(flag)
                .env("MMJWT_SECRET", sentinel_hex())
                .env("MMJWT_APP_CODE", APP_SENTINEL)
                .env("MMJWT_KEY_ID", KID_SENTINEL)
                .output()
                .unwrap();
            let what = format!("mmjwt {} {flag}", p.join(" "));
            assert!(out.status.success(), "{what}");
            assert_clean(&what, &out);
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                !text.contains(APP_SENTINEL) && !text.contains(KID_SENTINEL),
                "{what}"
            );
        }
    }
}

// ------------------------------------------------------------------------ black box

/// How the secret reaches the process.
#[derive(Debug, Clone, Copy)]
enum Via {
    Env,
    File,
    Flag,
}

fn run(via: Via, secret_text: &str, args: &[&str], json: bool) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut c = mmjwt();
    if json {
        c.arg("--json");
    }
    c.args(args);
    match via {
        Via::Env => {
            c.env("MMJWT_SECRET", secret_text);
        }
        Via::File => {
            let f = dir.path().join("key.hex");
            std::fs::write(&f, secret_text).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
            }
            c.arg("--secret-file").arg(&f);
        }
        Via::Flag => {
            c.args(["--secret", secret_text]);
        }
    }
    c.output().unwrap()
}

fn sentinel_token(payload_exp: i64) -> String {
    let payload = format!(
        r#"{{"typ":"Bearer","sub":"alice","infobip-api-key":"app","iat":1700000000,"exp":{payload_exp},"jti":"j"}}"#
    );
    signed(
        r#"{"alg":"HS256","typ":"JWT","kid":"kid-1"}"#,
        &payload,
        &HmacKey::new(SENTINEL),
    )
}

#[test]
fn the_sentinel_secret_never_appears_on_any_path() {
    let good = sentinel_token(1_700_000_060);
    let expired = sentinel_token(1_600_000_000);
    let other_key = signed(
        r#"{"alg":"HS256","typ":"JWT","kid":"kid-1"}"#,
        r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"app","iat":1700000000,"exp":1700000060,"jti":"j"}"#,
        &HmacKey::new(b"another key, another key, another"),
    );
    let malformed = format!("{}.not base64!.x", &good[..20]);
    let hex = sentinel_hex();
    let odd = format!("{hex}0");
    let not_hex = format!("zz{hex}");
    let gen_args = [
        "gen",
        "--user-id",
        "alice",
        "--app-code",
        "app",
        "--key-id",
        "kid-1",
        "--now",
        NOW,
    ];
    // (description, secret text, args, expected exit code)
    let scenarios: Vec<(&str, &str, Vec<&str>, i32)> = vec![
        ("gen", &hex, gen_args.to_vec(), 0),
        ("gen, odd-length secret", &odd, gen_args.to_vec(), 1),
        ("gen, non-hex secret", &not_hex, gen_args.to_vec(), 1),
        ("check, valid", &hex, vec!["check", "--now", NOW, &good], 0),
        (
            "check, require signature",
            &hex,
            vec!["check", "--now", NOW, "--require-signature", &good],
            0,
        ),
        (
            "check, expired",
            &hex,
            vec!["check", "--now", NOW, &expired],
            11,
        ),
        (
            "check, other key",
            &hex,
            vec!["check", "--now", NOW, &other_key],
            12,
        ),
        (
            "check, malformed token",
            &hex,
            vec!["check", "--now", NOW, &malformed],
            10,
        ),
        (
            "check, odd-length secret",
            &odd,
            vec!["check", "--now", NOW, &good],
            1,
        ),
        (
            "check, non-hex secret",
            &not_hex,
            vec!["check", "--now", NOW, &good],
            1,
        ),
        (
            "check, bad --now",
            &hex,
            vec!["check", "--now", "yesterday", &good],
            2,
        ),
    ];
    for via in [Via::Env, Via::File, Via::Flag] {
        for (what, secret, args, code) in &scenarios {
            for json in [false, true] {
                let out = run(via, secret, args, json);
                let what = format!("{what} ({via:?}, json {json})");
                assert_eq!(out.status.code(), Some(*code), "{what}: {out:?}");
                assert_clean(&what, &out);
            }
        }
    }
    // Commands that do not take a secret, with one in the environment anyway.
    for args in [
        vec!["keygen"],
        vec!["--json", "keygen"],
        vec!["completions", "bash"],
        vec!["completions", "zsh"],
        vec!["man"],
        vec!["--version"],
    ] {
        let out = mmjwt()
            .args(&args)
            .env("MMJWT_SECRET", &hex)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        assert_clean(&format!("{args:?}"), &out);
    }
}

#[test]
fn tokens_are_not_echoed_in_error_lines() {
    let good = sentinel_token(1_700_000_060);
    let malformed = format!("{}.{}", &good[..good.len() - 10], "%%%");
    let segments: Vec<&str> = malformed.split('.').collect();
    for json in [false, true] {
        let mut c = mmjwt();
        if json {
            c.arg("--json");
        }
        let out = c
            .args(["check", "--now", NOW, &malformed])
            .env("MMJWT_SECRET", sentinel_hex())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(10));
        let err = String::from_utf8_lossy(&out.stderr);
        for s in &segments {
            assert!(!err.contains(s), "stderr echoes a token segment: {err}");
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        if json {
            // The JSON report describes the token (length, decoded parts) without repeating it.
            assert!(!stdout.contains(&malformed), "{stdout}");
        } else {
            // The human report shows the token as data, in coloured parts.
            assert!(stdout.contains(segments[0]), "{stdout}");
        }
    }
    // A usage error after the token does not repeat it either.
    let out = mmjwt()
        .args(["check", "--leeway", "soon", &good])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--leeway") && !err.contains(&good[..30]),
        "{err}"
    );
    // Neither do argument-parsing errors: a second token, or a token given to an enum flag.
    for json in [false, true] {
        for args in [
            vec!["check", "a.b.c", good.as_str()],
            vec!["check", "--sdk", good.as_str(), "a.b.c"],
            vec!["gen", good.as_str()],
        ] {
            let mut c = mmjwt();
            if json {
                c.arg("--json");
            }
            let out = c.args(&args).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            for stream in [&out.stdout, &out.stderr] {
                let text = String::from_utf8_lossy(stream);
                assert!(!text.contains(&good[..30]), "{args:?}: {text}");
            }
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains(&format!("<{} characters, not shown>", good.len())),
                "{err}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn only_private_secret_files_pass_without_a_warning() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key.hex");
    std::fs::write(&file, sentinel_hex()).unwrap();
    let good = sentinel_token(1_700_000_060);
    for (mode, warned) in [
        (0o600, false),
        (0o400, false),
        (0o640, true),
        (0o604, true),
        (0o644, true),
    ] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = mmjwt()
            .args(["check", "--now", NOW, "--secret-file"])
            .arg(&file)
            .arg(&good)
            .output()
            .unwrap();
        assert!(out.status.success(), "mode {mode:o}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.contains("readable by group or others"),
            warned,
            "mode {mode:o}: {err}"
        );
        assert_clean(&format!("mode {mode:o}"), &out);
    }
}

// ------------------------------------------------------------------------ replay and sandbox

/// A fresh token signed with the sentinel key (the binaries below use the real clock).
fn live_token(sub: &str, exp_in: i64, key: &HmacKey) -> String {
    let now = mmjwt::time::now_unix();
    let payload = format!(
        r#"{{"typ":"Bearer","sub":"{sub}","infobip-api-key":"app","iat":{},"exp":{},"jti":"j-{sub}-{exp_in}"}}"#,
        now - 5,
        now + exp_in
    );
    signed(
        r#"{"alg":"HS256","typ":"JWT","kid":"kid-1"}"#,
        &payload,
        key,
    )
}

/// A sandbox (allow-all, app code `app`) that knows `kid-1` as `key`.
fn sentinel_sandbox(key: &[u8]) -> mmjwt::sandbox::SandboxThread {
    let config = mmjwt::sandbox::Config::new(mmjwt::sandbox::Mode::AllowAll, "app")
        .with_key("kid-1", HmacKey::new(key));
    mmjwt::sandbox::SandboxThread::spawn(config).unwrap()
}

/// `replay` with the sentinel secret on success and failure paths, in every output form (text,
/// `-v`, `--json`, `--dry-run`, `--curl`, `--show-secrets`, a batch, the embedded sandbox) and
/// each way of passing the secret: it never appears, and without `--show-secrets` no token does.
#[test]
fn replay_never_shows_the_sentinel_secret() {
    let right = sentinel_sandbox(SENTINEL);
    let wrong = sentinel_sandbox(b"another key, another key, another");
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u1\nu2\nu3\n").unwrap();
    let users = users.to_str().unwrap().to_owned();
    let hex = sentinel_hex();
    let odd = format!("{hex}0");
    let (right_url, wrong_url) = (right.url(), wrong.url());
    let target = |url: &str, reg: &str| -> Vec<String> {
        ["--base-url", url, "--push-reg-id", reg]
            .map(str::to_owned)
            .to_vec()
    };
    let creds = ["--app-code", "app", "--key-id", "kid-1"].map(str::to_owned);
    let personalize = |extra: &[&str]| {
        let mut a: Vec<String> = ["replay", "personalize", "--user-id", "alice"]
            .map(str::to_owned)
            .to_vec();
        a.extend(creds.clone());
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a
    };
    let with = |mut a: Vec<String>, more: Vec<String>| {
        a.extend(more);
        a
    };
    // (description, secret text, args, expected exit code, tokens may be shown)
    let scenarios: Vec<(&str, &str, Vec<String>, i32, bool)> = vec![
        (
            "personalize",
            &hex,
            with(personalize(&[]), target(&right_url, "r1")),
            0,
            false,
        ),
        (
            "personalize -v",
            &hex,
            with(personalize(&["-v"]), target(&right_url, "r1")),
            0,
            false,
        ),
        (
            "fetch-user --sdk ios -v",
            &hex,
            with(
                [
                    "replay",
                    "fetch-user",
                    "--user-id",
                    "alice",
                    "--sdk",
                    "ios",
                    "-v",
                ]
                .map(str::to_owned)
                .to_vec(),
                with(creds.to_vec(), target(&right_url, "r1")),
            ),
            0,
            false,
        ),
        (
            "save-user",
            &hex,
            with(
                [
                    "replay",
                    "save-user",
                    "--user-id",
                    "alice",
                    "--data",
                    r#"{"firstName":"A"}"#,
                ]
                .map(str::to_owned)
                .to_vec(),
                with(creds.to_vec(), target(&right_url, "r1")),
            ),
            0,
            false,
        ),
        (
            "personalize --dry-run",
            &hex,
            with(personalize(&["--dry-run"]), target(&right_url, "r2")),
            0,
            false,
        ),
        (
            "personalize --curl",
            &hex,
            with(personalize(&["--curl"]), target(&right_url, "r2")),
            0,
            false,
        ),
        (
            "personalize --curl --show-secrets",
            &hex,
            with(
                personalize(&["--curl", "--show-secrets"]),
                target(&right_url, "r2"),
            ),
            0,
            true,
        ),
        (
            "personalize -v --show-secrets",
            &hex,
            with(
                personalize(&["-v", "--show-secrets"]),
                target(&right_url, "r3"),
            ),
            0,
            true,
        ),
        (
            "batch",
            &hex,
            with(
                with(
                    [
                        "replay",
                        "personalize",
                        "--force-depersonalize",
                        "--users",
                        &users,
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                    creds.to_vec(),
                ),
                target(&right_url, "r4"),
            ),
            0,
            false,
        ),
        ("embedded sandbox", &hex, personalize(&[]), 0, false),
        (
            "someone else's user",
            &hex,
            with(personalize(&[]), target(&right_url, "r1"))
                .into_iter()
                .map(|a| {
                    if a == "alice" {
                        "mallory".to_owned()
                    } else {
                        a
                    }
                })
                .collect(),
            4,
            false,
        ),
        (
            "wrong key at the server",
            &hex,
            with(personalize(&[]), target(&wrong_url, "r1")),
            4,
            false,
        ),
        (
            "expired (preflight)",
            &hex,
            with(personalize(&["--ttl", "0"]), target(&right_url, "r1")),
            11,
            false,
        ),
        (
            "connection refused",
            &hex,
            with(personalize(&[]), target(&refused, "r1")),
            6,
            false,
        ),
        (
            "odd-length secret",
            &odd,
            with(personalize(&[]), target(&right_url, "r1")),
            1,
            false,
        ),
    ];
    for via in [Via::Env, Via::File, Via::Flag] {
        for (what, secret, args, code, tokens_shown) in &scenarios {
            for json in [false, true] {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let out = run(via, secret, &args, json);
                let what = format!("replay: {what} ({via:?}, json {json})");
                assert_eq!(out.status.code(), Some(*code), "{what}: {out:?}");
                assert_clean(&what, &out);
                if !tokens_shown {
                    for stream in [&out.stdout, &out.stderr] {
                        let text = String::from_utf8_lossy(stream);
                        assert!(!text.contains("eyJ"), "{what}: a token is shown:\n{text}");
                    }
                }
            }
        }
    }
}

/// Environment variables for one run.
type Env<'a> = Vec<(&'a str, &'a str)>;

/// Sends one request to `addr` and returns the whole reply.
fn http(addr: std::net::SocketAddr, authorization: &str) -> String {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    write!(
        s,
        "GET /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: {authorization}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// The `sandbox` binary given the sentinel key (so nothing is generated and shown) through the
/// environment, a key file, `--secret-file` and `--key KID=HEX`, with text and JSON logs, judging
/// good and bad tokens: neither the secret nor any token reaches its output; a malformed secret
/// is refused without being echoed.
#[test]
fn the_sandbox_never_logs_the_sentinel_secret_or_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("kid-1.hex");
    std::fs::write(&key_file, sentinel_hex()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let key_file = key_file.to_str().unwrap().to_owned();
    let hex = sentinel_hex();
    let key_at_file = format!("kid-1=@{key_file}");
    let key_inline = format!("kid-1={hex}");
    let key = HmacKey::new(SENTINEL);
    let ways: Vec<(&str, Vec<&str>, Env)> = vec![
        (
            "environment",
            vec![],
            vec![("MMJWT_KEY_ID", "kid-1"), ("MMJWT_SECRET", &hex)],
        ),
        ("--key @file", vec!["--key", &key_at_file], vec![]),
        (
            "--secret-file",
            vec!["--key-id", "kid-1", "--secret-file", &key_file],
            vec![],
        ),
        ("--key inline", vec!["--key", &key_inline], vec![]),
    ];
    for (how, args, env) in &ways {
        for log in ["text", "json"] {
            let mut all = vec!["--app-code", "app", "--log-format", log];
            all.extend(args);
            let run = crate::support::sandbox_process::Running::start(&all, env);
            let addr: std::net::SocketAddr = run.url.trim_start_matches("http://").parse().unwrap();
            let good = live_token("alice", 300, &key);
            let expired = live_token("alice", -10, &key);
            let forged = live_token(
                "alice",
                300,
                &HmacKey::new(b"another key, another key, another"),
            );
            let garbage = format!("{}.%%%.{}", &good[..20], &good[good.len() - 20..]);
            let mut tokens = Vec::new();
            for (auth, status) in [
                (format!("Bearer {good}"), "401"), // SUB_MISMATCH: the installation is anonymous
                (format!("Bearer {expired}"), "401"),
                (format!("Bearer {forged}"), "401"),
                (format!("Bearer {garbage}"), "401"),
                ("App app".to_owned(), "200"),
                (format!("App {hex}"), "401"),
            ] {
                let reply = http(addr, &auth);
                assert!(
                    reply.starts_with(&format!("HTTP/1.1 {status}")),
                    "{how}: {reply}"
                );
                assert!(
                    !reply.contains(&hex) && !reply.contains("S3NT1NEL"),
                    "{how}: {reply}"
                );
                tokens.push(auth);
            }
            run.signal("TERM");
            let (status, stderr) = run.finish();
            assert_eq!(status.code(), Some(0), "{how}: {stderr}");
            let what = format!("sandbox via {how}, {log} log");
            assert_text_clean(&what, &stderr);
            assert!(
                stderr.lines().count() >= 6,
                "{what}: one line per request:\n{stderr}"
            );
            for t in &tokens {
                let credential = t.split_once(' ').unwrap().1;
                for part in credential.split('.').filter(|p| p.len() >= 8) {
                    assert!(
                        !stderr.contains(part),
                        "{what}: the log shows {part}:\n{stderr}"
                    );
                }
            }
        }
    }
    // A malformed secret is refused without being echoed, whichever way it comes.
    let odd = format!("{hex}0");
    let odd_file = dir.path().join("odd.hex");
    std::fs::write(&odd_file, &odd).unwrap();
    let odd_key = format!("kid-1={odd}");
    let odd_at_file = format!("kid-1=@{}", odd_file.display());
    let bad_ways: Vec<(Vec<&str>, Env)> = vec![
        (
            vec![],
            vec![("MMJWT_KEY_ID", "kid-1"), ("MMJWT_SECRET", &odd)],
        ),
        (vec!["--key", &odd_key], vec![]),
        (vec!["--key", &odd_at_file], vec![]),
        (vec!["--secret", &odd], vec![]),
    ];
    for (args, env) in bad_ways {
        let mut c = mmjwt();
        c.args(["sandbox", "--listen", "127.0.0.1:0", "--app-code", "app"])
            .args(&args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{args:?}: {out:?}"
        );
        assert!(out.stdout.is_empty(), "{args:?}: no URL");
        assert_clean(&format!("sandbox {args:?}"), &out);
    }
}

/// `Debug` of everything that holds a secret (parsed command lines of every subcommand, a
/// sandbox configuration, a running sandbox) never shows it, nor `replay`'s token (matrix H6).
#[test]
fn debug_output_never_shows_secrets_or_tokens() {
    use clap::Parser as _;
    let hex = sentinel_hex();
    let token = sentinel_token(1_700_000_060);
    let key_inline = format!("kid-1={hex}");
    let lines: Vec<Vec<&str>> = vec![
        vec!["gen", "--user-id", "u", "--secret", &hex],
        vec!["check", "--secret", &hex, &token],
        vec![
            "sandbox",
            "--key",
            &key_inline,
            "--key-id",
            "k2",
            "--secret",
            &hex,
        ],
        vec!["replay", "fetch-user", "--token", &token, "--secret", &hex],
        vec!["replay", "personalize", "--user-id", "u", "--secret", &hex],
    ];
    for args in &lines {
        let cli =
            mmjwt::cli::Cli::try_parse_from(std::iter::once("mmjwt").chain(args.iter().copied()))
                .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let text = format!("{cli:?}");
        let what = format!("Debug of {:?}", args[0]);
        assert_text_clean(&what, &text);
        // `check` shows the token it judges as data; `replay --token` is a credential to send.
        if args[0] == "replay" {
            assert!(!text.contains(&token[..40]), "{what}: {text}");
        }
    }
    let config = mmjwt::sandbox::Config::new(mmjwt::sandbox::Mode::JwtOnly, "app")
        .with_key("kid-1", HmacKey::new(SENTINEL));
    assert_text_clean("Debug of Config", &format!("{config:?}"));
    let running = mmjwt::sandbox::SandboxThread::spawn(config).unwrap();
    assert_text_clean("Debug of SandboxThread", &format!("{running:?}"));
}

// ------------------------------------------------------------------------ a bug while holding a secret

#[test]
fn a_panic_while_holding_the_secret_reports_a_place_not_a_value() {
    // Debug builds (these tests) can be made to panic right after the secret is read.
    for backtrace in ["0", "full"] {
        let out = mmjwt()
            .args([
                "gen",
                "--user-id",
                "alice",
                "--app-code",
                "a",
                "--key-id",
                "k",
            ])
            .env("MMJWT_SECRET", sentinel_hex())
            .env("MMJWT_DEBUG_PANIC_WITH_SECRET", "1")
            .env("RUST_BACKTRACE", backtrace)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(101), "RUST_BACKTRACE={backtrace}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("mmjwt: error: internal error at src/commands/mod.rs:"),
            "{err}"
        );
        // The panic's own message (which here names the secret's length) is not printed.
        assert!(!err.contains("forced panic"), "{err}");
        assert_eq!(
            err.contains("stack backtrace") || err.contains("load_secret"),
            backtrace == "full",
            "{err}"
        );
        assert!(out.stdout.is_empty());
        assert_clean("forced panic", &out);
    }
}

/// The new outputs of `check` (plugin objects, `--exact`, the coded warnings, above all
/// `SECRET_USED_AS_TEXT`, which is computed from the secret's own text) never show the secret
/// in any form, in text or JSON, and the sandbox's refusal of a text-signed token neither.
#[test]
fn plugin_objects_exact_and_pitfall_warnings_never_show_the_secret() {
    let hex = sentinel_hex();
    let payload = r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"app","iat":1700000000,"exp":1700000010,"jti":"j"}"#;
    let header = r#"{"alg":"HS256","typ":"JWT","kid":"kid-1"}"#;
    let as_text = signed(header, payload, &HmacKey::new(hex.as_bytes()));
    let as_base64 = signed(
        header,
        payload,
        &HmacKey::new(&STANDARD.decode(&hex).unwrap()),
    );
    let ms = signed(
        header,
        r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"app","iat":1700000000000,"exp":1700000000000,"jti":"j"}"#,
        &HmacKey::new(SENTINEL),
    );
    let bearer = format!("Bearer {as_text}");
    for token in [&as_text, &as_base64, &ms, &bearer] {
        for extra in [
            &["--plugin", "all"][..],
            &["--exact", "--plugin", "flutter"][..],
        ] {
            for json in [false, true] {
                for via in [Via::Env, Via::File] {
                    let mut args = vec!["check", "--now", NOW];
                    args.extend_from_slice(extra);
                    args.push(token);
                    let out = run(via, &hex, &args, json);
                    assert!(out.status.code().unwrap() >= 10, "{args:?}");
                    assert_clean(&format!("check {args:?} json={json}"), &out);
                }
            }
        }
    }
    // Make sure the diagnosis ran at all (else this test would prove nothing).
    let out = run(Via::Env, &hex, &["check", "--now", NOW, &as_text], true);
    assert!(String::from_utf8_lossy(&out.stdout).contains("SECRET_USED_AS_TEXT"));

    let secret = mmjwt::secret::Secret::from_hex(&hex).unwrap();
    let mut config = mmjwt::sandbox::Config::new(mmjwt::sandbox::Mode::AllowAll, "app")
        .with_secret("kid-1", &secret);
    config.clock = mmjwt::sandbox::Clock::Fixed(1_700_000_000);
    let sb = mmjwt::sandbox::SandboxThread::spawn(config).unwrap();
    let reply = http(sb.addr(), &format!("Bearer {as_text}"));
    assert!(reply.contains("SECRET_USED_AS_TEXT"), "{reply}");
    assert_text_clean("sandbox refusal", &reply);
}
