//! The command line as a whole: help text carries the exit-code table, completions in
//! `completions/` are current, the man page renders, and keygen's output is usable.

use crate::support::*;
use predicates::prelude::*;

#[test]
fn help_lists_exit_codes_and_every_subcommand() {
    let out = mmjwt().arg("--help").output().unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "Exit codes:",
        "gen",
        "check",
        "keygen",
        "completions",
        "14 ",
    ] {
        assert!(s.contains(needle), "missing {needle}");
    }
}

/// The files are `mmjwt completions SHELL` as committed; a stale one fails with the command
/// that regenerates it.
#[test]
fn committed_completions_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "mmjwt.bash"),
        ("zsh", "_mmjwt"),
        ("fish", "mmjwt.fish"),
        ("powershell", "_mmjwt.ps1"),
        ("elvish", "mmjwt.elv"),
    ] {
        let out = mmjwt().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let committed = std::fs::read(dir.join(file)).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "completions/{file} is stale: run `cargo run -- completions {shell} > completions/{file}`"
        );
    }
}

#[test]
fn man_page_renders() {
    mmjwt()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH mmjwt").and(predicate::str::contains("check")));
}

#[test]
fn keygen_output_drives_gen() {
    let out = mmjwt().arg("keygen").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut kid = String::new();
    let mut secret = String::new();
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("MMJWT_KEY_ID=") {
            kid = v.to_string();
        }
        if let Some(v) = line.strip_prefix("MMJWT_SECRET=") {
            secret = v.to_string();
        }
    }
    assert!(kid.starts_with("mmjwt-"));
    assert_eq!(secret.len(), 64);
    mmjwt()
        .env("MMJWT_SECRET", &secret)
        .args(["gen", "--user-id", "u", "--app-code", "a", "--key-id", &kid])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    let out = mmjwt().args(["keygen", "--json"]).output().unwrap();
    let v = json_out(&out);
    assert_eq!(v["secret"].as_str().unwrap().len(), 64);
    assert_ne!(v["secret"].as_str().unwrap(), secret);
}

#[test]
fn readme_documents_every_problem_code_with_its_exit_code() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    for code in mmjwt::problem::Code::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.exit_code());
        assert!(readme.contains(&row), "README lacks the row for {code}");
    }
}

#[test]
fn help_is_plain_when_piped_and_styled_only_when_asked() {
    let esc = predicate::str::contains("\u{1b}[");
    mmjwt()
        .args(["gen", "--help"])
        .assert()
        .success()
        .stdout(esc.clone().not());
    mmjwt()
        .args(["--color", "always", "gen", "--help"])
        .assert()
        .success()
        .stdout(esc.clone());
    mmjwt()
        .env("NO_COLOR", "1")
        .args(["--color=always", "--help"])
        .assert()
        .success()
        .stdout(esc.not());
}

#[test]
fn readme_documents_every_warning_code() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let table = readme
        .split("### Warning codes")
        .nth(1)
        .expect("README has a Warning codes section");
    for w in mmjwt::problem::Warn::ALL {
        let row = format!("\n| `{}` | ", w.as_str());
        assert!(table.contains(&row), "README's warning table lacks {w}");
    }
}

/// `mmjwt --help | head -1`: a reader that is gone is not a failure, for help text and JSON
/// errors alike (the pipe's read end is closed before mmjwt writes, so the write must fail).
#[test]
fn a_closed_stdout_pipe_is_not_a_failure() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["--json", "check", "--leeway", "5x", "x"],
        vec!["keygen"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_mmjwt"))
            .args(&args)
            .stdout(writer)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        let want = if args[0] == "--json" { 2 } else { 0 };
        assert_eq!(status.code(), Some(want), "{args:?}");
    }
}

/// `gen` and `check` lines are read without clap when they are plain (`cli::plain`); the same
/// line with one `--name=value` goes through clap. Both must behave alike with mmjwt's
/// environment variables set, unset and empty: same stdout, stderr and exit code.
#[test]
fn plain_and_clap_read_lines_behave_alike_whatever_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.hex");
    std::fs::write(
        &key,
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
    )
    .unwrap();
    let key = key.to_str().unwrap().to_owned();
    let token = {
        let out = mmjwt()
            .args(["gen", "--user-id", "alice", "--app-code", "app", "--key-id"])
            .args([
                "kid",
                "--secret-file",
                &key,
                "--now",
                "1700000000",
                "--ttl",
                "1h",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let envs: [&[(&str, &str)]; 5] = [
        &[],
        &[("MMJWT_APP_CODE", "app"), ("MMJWT_KEY_ID", "kid")],
        &[("MMJWT_APP_CODE", ""), ("MMJWT_KEY_ID", "")],
        &[("MMJWT_APP_CODE", "other")],
        &[("MMJWT_KEY_ID", "kid")],
    ];
    // Each line once as written (plain) and once with `--now=` (clap).
    let lines: [Vec<&str>; 5] = [
        vec![
            "gen",
            "--user-id",
            "alice",
            "--jti",
            "j",
            "--secret-file",
            &key,
            "--now",
        ],
        vec![
            "--json",
            "gen",
            "--user-id",
            "bob",
            "--jti",
            "j",
            "--app-code",
            "a",
            "--secret-file",
            &key,
            "--now",
        ],
        vec!["check", "--secret-file", &key, &token, "--now"],
        vec![
            "check",
            "--json",
            "--user-id",
            "alice",
            &token,
            "--secret-file",
            &key,
            "--now",
        ],
        vec![
            "check", "--sdk", "ios", "--json", "--key-id", "kid", &token, "--now",
        ],
    ];
    let mut compared = 0;
    for env in envs {
        for line in &lines {
            let run = |args: Vec<String>| {
                let mut c = mmjwt();
                c.args(&args);
                for (k, v) in env {
                    c.env(k, v);
                }
                c.output().unwrap()
            };
            let mut plain: Vec<String> = line.iter().map(|s| (*s).to_owned()).collect();
            let mut eq = plain.clone();
            plain.push("1700000100".into());
            eq.pop();
            eq.push("--now=1700000100".into());
            let (a, b) = (run(plain), run(eq));
            assert_eq!(a.status.code(), b.status.code(), "{line:?} with {env:?}");
            assert_eq!(a.stdout, b.stdout, "{line:?} with {env:?}");
            assert_eq!(a.stderr, b.stderr, "{line:?} with {env:?}");
            compared += 1;
        }
    }
    assert_eq!(compared, 25);
}
