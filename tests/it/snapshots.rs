//! Whole-output snapshot tests of what people read: the `check` report, every `--help`, replay's
//! request views and batch summary, the sandbox's start-up and log lines, and errors. Each
//! snapshot is one file under `tests/snapshots/` holding the command, its exit code, stdout and
//! stderr, so a change to any of them shows up as a readable diff.
//!
//! Update every snapshot after an intended change, then read the diff before committing it:
//!
//! ```text
//! SNAPSHOTS=overwrite cargo test --locked --test integration snapshot
//! ```
//!
//! Adding one from any test module (the harness is `support::snapshot`):
//!
//! ```text
//! use crate::support::snapshot::{Redact, run};
//! run(&["check", "--now", "1700000060", &token]).creds()
//!     .snapshot("check/my-case", Redact::default());        // tests/snapshots/check/my-case.txt
//! ```
//!
//! then create the file with `SNAPSHOTS=overwrite` and read it. Other helpers: `assert_snapshot`
//! for text made in-process, `logged_request` and `child_redactions` for a `mmjwt sandbox`
//! child (`support::sandbox_process::Running`), `shared_sandbox` for an in-process one on
//! 127.0.0.1:0, and `Redact` for what varies between runs.
//!
//! Outputs are made deterministic at the source (fixed `--now`, `--jti`, `--installation-id`,
//! the spec's reference credentials, no terminal, no `NO_COLOR`); only what must vary from run
//! to run (ports, timestamps, durations, generated credentials) is redacted, each with a named
//! placeholder so the snapshot still says what stood there.

use crate::support::snapshot::*;
use crate::support::*;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The harness itself: a changed output fails with a diff naming the update command and leaves
/// the file alone; invisible characters are spelled out; redactions replace only what they are
/// given.
#[test]
fn snapshot_harness_fails_on_a_change_and_redacts_only_its_patterns() {
    let path = snapshot_dir().join("check/valid.txt");
    let committed = std::fs::read_to_string(&path).unwrap();
    let none = Redactions::new();
    assert_eq!(
        compare_with(Action::Verify, "check/valid", &committed, &none),
        Ok(())
    );
    let changed = committed.replace(
        "VALID (signature verified)",
        "VALID (signature unmistakable)",
    );
    assert_ne!(changed, committed);
    let err = compare_with(Action::Verify, "check/valid", &changed, &none).unwrap_err();
    // (the diff may colour the changed word on its own)
    assert!(err.contains("unmistakable"), "{err}");
    assert!(err.contains("SNAPSHOTS=overwrite"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), committed);

    assert_eq!(
        visible("a\u{a0}b\u{1b}[1m\u{200b}\tc\r\n"),
        "a⟨U+00A0⟩b␛[1m⟨U+200B⟩\tc⟨U+000D⟩\n"
    );

    // The clean environment knows the variables flags fall back to (nested commands too).
    let vars = flag_env_vars();
    for v in ["MMJWT_APP_CODE", "MMJWT_BASE_URL", "MMJWT_PUSH_REG_ID"] {
        assert!(vars.iter().any(|x| x == v), "{v} not found in {vars:?}");
    }

    let r = Redact::default().port("4567").timings().0;
    assert_eq!(
        r.redact("http://127.0.0.1:4567/x and 127.0.0.1:45678 (0.4 ms) p50 12 ms, 3 at a time"),
        "http://127.0.0.1:[PORT]/x and 127.0.0.1:45678 ([MS] ms) p50 [MS] ms, 3 at a time"
    );
}

// ---------------------------------------------------------------------------------------------
// Fixed inputs

/// The instant every report is judged at (the reference token's iat + 60 s).
const NOW: &str = "1700000060";

/// A valid token for alice: iat 1700000000, exp 15 min later, iss set, fixed jti.
fn alice_token() -> String {
    signed(
        HEADER,
        r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","iat":1700000000,"exp":1700000900,"jti":"00000000-0000-4000-8000-000000000001","iss":"test-app-code"}"#,
        &test_key(),
    )
}

/// Everything wrong at once that still decodes: another kid, claim typ in lower case, an empty
/// sub, another app code, iat in the future and exp before it, no jti, signed with another key.
fn several_problems_token() -> String {
    let other = mmjwt::secret::Secret::from_hex(&"ab".repeat(32))
        .unwrap()
        .hmac_key();
    signed(
        r#"{"alg":"HS256","typ":"JWT","kid":"other-kid"}"#,
        r#"{"typ":"bearer","sub":"","infobip-api-key":"other-app","iat":1700000500,"exp":1700000400}"#,
        &other,
    )
}

// ---------------------------------------------------------------------------------------------
// check

#[test]
fn snapshot_check_valid() {
    run(&["check", "--now", NOW, "--user-id", "alice", &alice_token()])
        .creds()
        .snapshot("check/valid", Redact::default());
}

#[test]
fn snapshot_check_valid_without_secret() {
    run(&["check", "--now", NOW, &alice_token()])
        .snapshot("check/valid-signature-not-verified", Redact::default());
}

#[test]
fn snapshot_check_expired() {
    run(&["check", "--now", "1700009000", &alice_token()])
        .creds()
        .snapshot("check/expired", Redact::default());
}

#[test]
fn snapshot_check_malformed() {
    // A JSON header, a payload that is not JSON, a signature far too short for HS256.
    let token = format!("{}.{}.c2ln", b64(HEADER), b64("not json"));
    run(&["check", "--now", NOW, &token]).snapshot("check/malformed", Redact::default());
    run(&["check", "--now", NOW, "abc.def"]).snapshot("check/two-segments", Redact::default());
}

#[test]
fn snapshot_check_several_problems() {
    run(&[
        "check",
        "--now",
        NOW,
        "--user-id",
        "alice",
        &several_problems_token(),
    ])
    .creds()
    .snapshot("check/several-problems", Redact::default());
}

#[test]
fn snapshot_check_sdk_ios() {
    // exp as a numeric string: iOS's cascade accepts it, the server does not.
    let token = signed(
        HEADER,
        r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","iat":1700000000,"exp":"1700000900","jti":"j-1"}"#,
        &test_key(),
    );
    run(&["check", "--sdk", "ios", "--now", NOW, &token])
        .creds()
        .snapshot("check/sdk-ios", Redact::default());
}

#[test]
fn snapshot_check_batch_from_stdin() {
    let input = format!(
        "{}\n\n  Authorization: Bearer {}\nabc.def\n",
        alice_token(),
        several_problems_token()
    );
    run(&["check", "--now", NOW, "-"])
        .creds()
        .stdin(input)
        .snapshot("check/batch-stdin", Redact::default());
}

#[test]
fn snapshot_check_plugins() {
    // What each plugin's catch block receives, for an expired token on both platforms.
    run(&[
        "check",
        "--plugin",
        "all",
        "--now",
        "1700009000",
        &alice_token(),
    ])
    .creds()
    .snapshot("check/plugins-all-expired", Redact::default());
}

#[test]
fn snapshot_check_empty_token_plugins() {
    // The empty string: the SDKs' verdicts, EMPTY_TOKEN_CLEARS and, per plugin and platform,
    // what setUserDataJwt("") and init do with it.
    run(&["check", "--exact", "--plugin", "all", "--now", NOW, ""])
        .creds()
        .snapshot("check/empty-token-plugins", Redact::default());
}

#[test]
fn snapshot_check_whitespace_only_token() {
    // A space is not empty to the plugins: the report says it reaches the SDK.
    run(&["check", "--exact", "--plugin", "flutter", "--now", NOW, " "])
        .creds()
        .snapshot("check/whitespace-only", Redact::default());
}

#[test]
fn snapshot_check_exact() {
    // The string as an SDK would get it from a careless backend: a scheme and a trailing
    // no-break space, judged as given.
    run(&[
        "check",
        "--exact",
        "--now",
        NOW,
        &format!("Bearer {}\u{a0}", alice_token()),
    ])
    .creds()
    .snapshot("check/exact", Redact::default());
}

#[test]
fn snapshot_check_json() {
    run(&["check", "--json", "--now", NOW, &alice_token()])
        .creds()
        .snapshot("check/json", Redact::default());
}

#[test]
fn snapshot_check_color_always() {
    run(&[
        "--color",
        "always",
        "check",
        "--now",
        "1700009000",
        &alice_token(),
    ])
    .creds()
    .snapshot("check/color-always", Redact::default());
}

// ---------------------------------------------------------------------------------------------
// gen and keygen

#[test]
fn snapshot_gen() {
    let fixed = [
        "--now",
        "1700000000",
        "--jti",
        "00000000-0000-4000-8000-000000000001",
    ];
    let mut args = vec!["gen", "--user-id", "alice", "--claim", "plan=pro"];
    args.extend_from_slice(&fixed);
    run(&args).creds().snapshot("gen/token", Redact::default());
    args.push("--json");
    run(&args).creds().snapshot("gen/json", Redact::default());
    // A batch with an empty line: the other tokens in order, the bad line on stderr, exit 1.
    // (Batch tokens get random jtis, so the tokens themselves are redacted.)
    run(&["gen", "--user-id", "-", "--now", "1700000000"])
        .creds()
        .stdin("alice\n\nbob\n")
        .snapshot(
            "gen/batch-with-bad-line",
            Redact::default().pattern(
                "[TOKEN]",
                r"(?m)^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$",
            ),
        );
}

#[test]
fn snapshot_keygen() {
    // The values are random: only the random part is redacted, and only in the shape it must
    // have (8 hex digits after the prefix, 64 for the secret), so another shape shows in a diff.
    run(&["keygen"]).snapshot(
        "keygen/text",
        Redact::default()
            .pattern(
                "[RANDOM_HEX]",
                r"MMJWT_KEY_ID=mmjwt-(?<redacted>[0-9a-f]{8})\b",
            )
            .pattern(
                "[RANDOM_SECRET]",
                r"MMJWT_SECRET=(?<redacted>[0-9a-f]{64})\b",
            ),
    );
}

// ---------------------------------------------------------------------------------------------
// audit

/// An audit of an "issuer" that is `mmjwt gen` itself (run per user, no shell, no server): one
/// that passes, and the same issuer held to a minimum lifetime it does not meet. One fetch at a
/// time so the lines come in input order.
#[test]
fn snapshot_audit() {
    let bin = env!("CARGO_BIN_EXE_mmjwt");
    let exec = format!("{bin} gen --user-id {{user}}");
    let redact = || {
        Redact::default()
            .value("[MMJWT]", bin)
            // The fetch time is right-aligned, so its padding goes with it.
            .pattern("[ELAPSED]", r"#\d+(?<redacted> +\d+ ms)")
            // The issuer mints on the real clock, so iat can be a second off this machine's,
            // for one fetch and not the next (the summary then shows a range).
            .pattern(
                "[OFFSET]",
                r"offset (?<redacted>[+-]\d+ s to [+-]\d+|[+-]\d+) s\b",
            )
            .pattern("[SECONDS]", r"· (?<redacted>\d+(\.\d+)?) s\n")
    };
    let args = [
        "audit",
        "--exec",
        &exec,
        "--users",
        "-",
        "--repeat",
        "1",
        "--concurrency",
        "1",
    ];
    run(&args)
        .creds()
        .stdin("alice\nbob\n")
        .snapshot("audit/pass", redact());
    let mut strict = args.to_vec();
    strict.extend_from_slice(&["--min-lifetime", "20m"]);
    run(&strict)
        .creds()
        .stdin("alice\nbob\n")
        .snapshot("audit/lifetime-too-short", redact());
}

// ---------------------------------------------------------------------------------------------
// Errors

#[test]
fn snapshot_errors() {
    run(&["gen", "--app-code", "a"]).snapshot("errors/usage", Redact::default());
    run(&["--json", "check", "--leeway", "5x", &alice_token()])
        .snapshot("errors/json-usage", Redact::default());
    // A long refused value is likely a token in the wrong place: clap's message hides it.
    let token = alice_token();
    run(&["check", &token, &token]).snapshot("errors/usage-long-value-hidden", Redact::default());
    run(&[
        "--json",
        "check",
        "--secret-file",
        "no-such-dir/key.hex",
        &alice_token(),
    ])
    .snapshot("errors/json-runtime", Redact::default());
}

#[test]
fn snapshot_sandbox_start_failure() {
    // A key file that is not there: exit 1 at start, before anything listens.
    run(&[
        "sandbox",
        "--listen",
        "127.0.0.1:0",
        "--app-code",
        "test-app-code",
        "--key",
        "k1=@no-such-dir/k1.hex",
    ])
    .snapshot("errors/sandbox-start-failure", Redact::default());
}

// ---------------------------------------------------------------------------------------------
// --help, for every command clap knows

/// Every command path: `[]` (the top level), `["gen"]`, `["replay", "fetch-user"]`, ...
fn command_paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    out.push(prefix.to_vec());
    for sub in cmd.get_subcommands() {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_owned());
        command_paths(sub, &path, out);
    }
}

fn help_name(path: &[String]) -> String {
    let mut name = String::from("help/mmjwt");
    for p in path {
        name.push('-');
        name.push_str(p);
    }
    name
}

/// Walks `mmjwt::cli::command()`, so a new subcommand gets its help snapshot without a new test
/// (and its file appears under `SNAPSHOTS=overwrite`). All mismatches are reported at once.
#[test]
fn snapshot_every_help() {
    let mut paths = Vec::new();
    command_paths(&mmjwt::cli::command(), &[], &mut paths);
    for known in [
        &["check"][..],
        &["sandbox"],
        &["replay", "fetch-user"],
        &["replay", "patch-user"],
        &["replay", "personalize"],
    ] {
        assert!(
            paths.iter().any(|p| p == known),
            "the walk missed {known:?}: {paths:?}"
        );
    }
    let mut failures = Vec::new();
    let mut expected_files = std::collections::BTreeSet::new();
    for path in &paths {
        let name = help_name(path);
        expected_files.insert(format!("{}.txt", name.trim_start_matches("help/")));
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let r = run(&args);
        let out = r.output();
        if let Err(e) = compare(&name, &r.render(&out), &Redactions::new()) {
            failures.push(e);
        }
    }
    // A snapshot of a command that no longer exists is stale: say so (overwrite removes it).
    let dir = snapshot_dir().join("help");
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !expected_files.contains(&file) {
            if action() == Action::Overwrite {
                std::fs::remove_file(dir.join(&file)).unwrap();
            } else {
                failures.push(format!(
                    "tests/snapshots/help/{file} belongs to no command; delete it (or run with SNAPSHOTS=overwrite)"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn clap_definition_is_consistent() {
    mmjwt::cli::command().debug_assert();
}

// ---------------------------------------------------------------------------------------------
// replay

/// A base URL where nothing listens: `--dry-run` and `--curl` never connect.
const NOWHERE: &str = "http://127.0.0.1:9";

fn replay_nowhere(call: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "replay",
        call,
        "--now",
        "1700000000",
        "--base-url",
        NOWHERE,
        "--push-reg-id",
        "reg-1",
        "--installation-id",
        "inst-1",
    ];
    args.extend_from_slice(extra);
    run(&args).creds()
}

#[test]
fn snapshot_replay_dry_run_and_curl() {
    replay_nowhere("personalize", &["--user-id", "alice", "--dry-run"])
        .snapshot("replay/dry-run-android-personalize", Redact::default());
    // Where from the environment this time, as the README's replay examples set it.
    run(&[
        "replay",
        "patch-user",
        "--now",
        "1700000000",
        "--installation-id",
        "inst-1",
        "--sdk",
        "ios",
        "--user-id",
        "alice",
        "--data",
        r#"{"firstName":"Alice","customAttributes":{"vip":true}}"#,
        "--dry-run",
    ])
    .creds()
    .env("MMJWT_BASE_URL", NOWHERE)
    .env("MMJWT_PUSH_REG_ID", "reg-1")
    .snapshot("replay/dry-run-ios-patch-user", Redact::default());
    replay_nowhere(
        "personalize",
        &["--user-id", "alice", "--dry-run", "--json"],
    )
    .snapshot("replay/dry-run-json", Redact::default());
    replay_nowhere("personalize", &["--user-id", "alice", "--curl"])
        .snapshot("replay/curl", Redact::default());
    replay_nowhere(
        "fetch-user",
        &["--user-id", "alice", "--ttl", "0", "--dry-run"],
    )
    .snapshot("replay/preflight-refused", Redact::default());
    let over = format!(
        r#"{{"firstName":"{}","emails":[{{"address":"{}@example.com"}}],"customAttributes":{{"notes":[{{"text":"{}"}}]}}}}"#,
        "f".repeat(256),
        "e".repeat(250),
        "n".repeat(4090)
    );
    replay_nowhere(
        "patch-user",
        &[
            "--user-id",
            "alice",
            "--dry-run",
            "--data",
            &over,
            "--plugin",
            "all",
        ],
    )
    .snapshot("replay/user-data-refused-android", Redact::default());
    replay_nowhere(
        "patch-user",
        &[
            "--user-id",
            "alice",
            "--sdk",
            "ios",
            "--dry-run",
            "--data",
            &over,
            "--plugin",
            "all",
        ],
    )
    .snapshot("replay/user-data-refused-ios", Redact::default());
}

/// One in-process sandbox for the replay snapshots: allow-all, the reference credentials, the
/// clock fixed at the instant replay mints at. Each test uses its own push registration ids, so
/// they do not see each other's data whatever the order.
pub fn shared_sandbox() -> &'static str {
    static SANDBOX: OnceLock<(mmjwt::sandbox::SandboxThread, String)> = OnceLock::new();
    let (_, url) = SANDBOX.get_or_init(|| {
        let mut config =
            mmjwt::sandbox::Config::new(mmjwt::sandbox::Mode::AllowAll, "test-app-code")
                .with_key("test-key-id", test_key());
        config.clock = mmjwt::sandbox::Clock::Fixed(1_700_000_000);
        let sb = mmjwt::sandbox::SandboxThread::spawn(config).unwrap();
        let url = sb.url();
        (sb, url)
    });
    url
}

/// Redactions for a run against the shared sandbox: its port, the response's `date`, timings.
pub fn sandbox_redactions(url: &str) -> Redact {
    let port = url.rsplit(':').next().unwrap();
    Redact::default()
        .port(port)
        .pattern("[HTTP_DATE]", r"(?m)^< date: (?<redacted>.+)$")
        .timings()
}

fn replay_at(url: &str, call: &str, reg: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "replay",
        call,
        "--now",
        "1700000000",
        "--base-url",
        url,
        "--push-reg-id",
        reg,
        "--installation-id",
        "inst-1",
    ];
    args.extend_from_slice(extra);
    run(&args).creds()
}

/// The Quick start's first command: nothing configured, an embedded sandbox with ephemeral
/// credentials and a fresh push registration id (both redacted, with the embedded port).
#[test]
fn snapshot_replay_embedded_sandbox() {
    run(&["replay", "personalize", "--user-id", "alice"]).snapshot(
        "replay/embedded-sandbox",
        Redact::default()
            .pattern("[PORT]", r"127\.0\.0\.1:(?<redacted>\d+)\b")
            .pattern(
                "[PUSH_REG_ID]",
                r#""pushRegId":"(?<redacted>[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})""#,
            ),
    );
}

#[test]
fn snapshot_replay_verbose_heads() {
    let url = shared_sandbox();
    // Users of their own (vera, victor) so the batch test's persons never show up here.
    replay_at(
        url,
        "personalize",
        "snap-verbose",
        &["--user-id", "vera", "-v"],
    )
    .snapshot("replay/verbose-personalize", sandbox_redactions(url));
    // victor's token for vera's installation: the refusal, its messageId line and both heads.
    replay_at(
        url,
        "fetch-user",
        "snap-verbose",
        &["--sdk", "ios", "--user-id", "victor", "-v"],
    )
    .snapshot(
        "replay/verbose-refused-ios-fetch-user",
        sandbox_redactions(url),
    );
}

#[test]
fn snapshot_replay_batch_summary() {
    let url = shared_sandbox();
    // One call at a time, so the lines come in input order: alice takes the installation, bob
    // cannot, a blank line is ignored, a line that is not UTF-8 is skipped with a warning.
    let mut input = b"alice\nbob\n\n".to_vec();
    input.extend_from_slice(b"\xff\xfe\nalice\n");
    replay_at(
        url,
        "personalize",
        "snap-batch",
        &["--users", "-", "--concurrency", "1"],
    )
    .stdin(input)
    .snapshot("replay/batch-summary", sandbox_redactions(url));
}

// ---------------------------------------------------------------------------------------------
// sandbox, the binary

#[test]
fn snapshot_sandbox_text_log() {
    let (shown, sb) = sandbox_child(&["--mode", "jwt-only"], true);
    let redact = child_redactions(&sb);
    let user = "/mobile/1/appinstance/reg-1/user";
    let personalize = "/mobile/1/appinstance/reg-1/personalize";
    let body = r#"{"userIdentity":{"externalUserId":"alice"}}"#;
    let alice = format!("Bearer {}", fresh_token("alice"));
    let bob = format!("Bearer {}", fresh_token("bob"));
    let statuses = [
        logged_request(&sb, "GET", user, Some("App test-app-code"), None),
        logged_request(&sb, "GET", user, None, None),
        logged_request(&sb, "GET", user, Some("App wrong-code"), None),
        logged_request(&sb, "GET", user, Some("Bearer bad.token.here"), None),
        logged_request(&sb, "POST", personalize, Some(&alice), Some(body)),
        logged_request(&sb, "GET", user, Some(&bob), None),
        logged_request(&sb, "GET", "/nowhere", Some("App test-app-code"), None),
    ];
    let (out, stderr) = stop(sb);
    assert!(!stderr.contains(&alice[7..]) && !stderr.contains(SECRET_HEX));
    let mut doc = shown.render_header();
    for (i, s) in statuses.iter().enumerate() {
        writeln!(doc, "request {}: {s}", i + 1).unwrap();
    }
    doc.push_str("SIGTERM\n");
    doc.push_str(&out);
    assert_snapshot("sandbox/text-log", &doc, &redact.0);
}

#[test]
fn snapshot_sandbox_json_log_with_generated_credentials() {
    let (shown, sb) = sandbox_child(&["--log-format", "json"], false);
    let user = "/mobile/1/appinstance/reg-1/user";
    let statuses = [
        logged_request(&sb, "GET", user, None, None),
        logged_request(&sb, "GET", user, Some("Bearer bad.token.here"), None),
    ];
    let mut redact = child_redactions(&sb);
    let (out, stderr) = stop(sb);
    // The generated credentials differ per run: each value is replaced wherever it appears.
    for (var, placeholder) in [
        ("MMJWT_APP_CODE=", "[APP_CODE]"),
        ("MMJWT_KEY_ID=", "[KEY_ID]"),
        ("MMJWT_SECRET=", "[SECRET]"),
    ] {
        let value = stderr
            .lines()
            .find_map(|l| l.strip_prefix(var))
            .unwrap_or_else(|| panic!("no {var} line in:\n{stderr}"));
        redact = redact.value(placeholder, value);
    }
    let mut doc = shown.render_header();
    for (i, s) in statuses.iter().enumerate() {
        writeln!(doc, "request {}: {s}", i + 1).unwrap();
    }
    doc.push_str("SIGTERM\n");
    doc.push_str(&out);
    assert_snapshot("sandbox/json-log-generated-credentials", &doc, &redact.0);
}
