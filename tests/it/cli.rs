//! The command line as a whole: help text carries the exit-code table, the completions in
//! `completions/` and the pages in `man/` are current and are what the binary prints, every
//! command has a man page that renders and lists its flags, and keygen's output is usable.

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

/// `completions/`, `man/` and the pages' table are what the clap definition gives today (a
/// stale file fails with the command that regenerates it), and the binary prints them as
/// committed.
#[test]
fn committed_generated_files_are_current() {
    let files = generated::all();
    let stale = generated::stale(&files);
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: regenerate them with `SNAPSHOTS=overwrite cargo test --test integration cli::committed_generated_files_are_current`, then build again"
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (_, shell, file) in generated::SHELLS {
        let out = mmjwt().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let committed = std::fs::read(root.join("completions").join(file)).unwrap();
        assert!(
            committed == out.stdout,
            "`mmjwt completions {shell}` is not completions/{file}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = mmjwt()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let pages: Vec<_> = files.iter().filter(|g| g.path.starts_with("man")).collect();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), pages.len());
    for g in pages {
        let file = g.path.file_name().unwrap();
        let written = std::fs::read(dir.path().join(file)).unwrap();
        assert!(
            written == g.bytes,
            "`mmjwt man --dir` wrote a {file:?} that is not man/"
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
fn reference_documents_every_problem_code_with_its_exit_code() {
    let reference = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference.md"),
    )
    .unwrap();
    for code in mmjwt::problem::Code::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.exit_code());
        assert!(
            reference.contains(&row),
            "docs/reference.md lacks the row for {code}"
        );
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
fn reference_documents_every_warning_code() {
    let reference = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference.md"),
    )
    .unwrap();
    let table = reference
        .split("### Warning codes")
        .nth(1)
        .expect("docs/reference.md has a Warning codes section");
    for w in mmjwt::problem::Warn::ALL {
        let row = format!("\n| `{}` | ", w.as_str());
        assert!(
            table.contains(&row),
            "docs/reference.md's warning table lacks {w}"
        );
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

// ------------------------------------------------------------------------------ man pages

/// Every command of the clap tree with its page name and its long flags (its own and the
/// global ones), read from `mmjwt::cli::command()` as built: `([], "mmjwt", [..])`,
/// `(["replay", "fetch-user"], "mmjwt-replay-fetch-user", [..])`. clap's `help` subcommand has
/// no page.
fn commands_and_flags() -> Vec<(Vec<String>, String, Vec<String>)> {
    fn walk(
        cmd: &clap::Command,
        path: &[String],
        out: &mut Vec<(Vec<String>, String, Vec<String>)>,
    ) {
        let page = std::iter::once("mmjwt".to_owned())
            .chain(path.iter().cloned())
            .collect::<Vec<_>>()
            .join("-");
        let flags = cmd
            .get_arguments()
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .collect();
        out.push((path.to_vec(), page, flags));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.to_vec();
            p.push(sub.get_name().to_owned());
            walk(sub, &p, out);
        }
    }
    let mut cmd = mmjwt::cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, &[], &mut out);
    out
}

/// A page's roff as text: font changes dropped, escaped dashes and the apostrophe string
/// restored.
fn roff_text(roff: &str) -> String {
    roff.replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\-", "-")
        .replace("\\*(Aq", "'")
}

/// The lines of section `name` (up to the next `.SH`).
fn roff_section<'a>(roff: &'a str, name: &str) -> Vec<&'a str> {
    let heading = if name.contains(' ') {
        format!(".SH \"{name}\"")
    } else {
        format!(".SH {name}")
    };
    roff.lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.starts_with(".SH "))
        .collect()
}

/// The page's structure: its `.TH` names it, its sections are the usual ones, every request
/// is one a man page uses, and the blocks it opens are closed.
fn assert_page_structure(page: &str, roff: &str) {
    let th = roff
        .lines()
        .find(|l| l.starts_with(".TH "))
        .unwrap_or_else(|| panic!("{page}: no .TH line"));
    assert!(th.starts_with(&format!(".TH {page} 1 ")), "{page}: {th}");
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "SEE ALSO",
        "VERSION",
    ] {
        assert!(
            !roff_section(roff, section).is_empty(),
            "{page}: no {section} section"
        );
    }
    let (mut fill, mut indent) = (0i32, 0i32);
    for l in roff.lines().filter(|l| l.starts_with('.')) {
        let request = l[1..].split(' ').next().unwrap();
        match request {
            "nf" => fill += 1,
            "fi" => fill -= 1,
            "RS" => indent += 1,
            "RE" => indent -= 1,
            "ie" | "el" | "TH" | "SH" | "TP" | "IP" | "PP" | "br" => {}
            other => panic!("{page}: unexpected request .{other}"),
        }
        assert!((0..=1).contains(&fill) && indent >= 0, "{page}: {l}");
    }
    assert_eq!((fill, indent), (0, 0), "{page}: an unclosed .nf or .RS");
}

/// groff, when installed, sets a page without a warning (`-ww` turns them all on).
fn groff_renders(page: &str, roff: &[u8]) -> bool {
    use std::io::Write as _;
    let Ok(mut child) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(
            !ci,
            "groff is missing, and CI=true requires the man pages to be rendered; install it: apt-get install -y groff-base"
        );
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED rendering the man pages with groff: it is not installed (Debian package groff-base: apt-get install -y groff-base); their structure is still checked"
        );
        return false;
    };
    child.stdin.take().unwrap().write_all(roff).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{page}: groff failed");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "{page}: groff warns"
    );
    true
}

/// `mmjwt man SUBCOMMAND...` for every command: the page is named after it, has the usual
/// sections, renders, and lists every long flag the command takes (read from the clap tree,
/// so a new flag is checked without a new test).
#[test]
fn every_command_has_a_man_page_with_every_flag() {
    let commands = commands_and_flags();
    assert!(commands.len() >= 12, "{commands:?}");
    let mut rendered = 0;
    for (path, page, flags) in &commands {
        let out = mmjwt().arg("man").args(path).output().unwrap();
        let roff = stdout_of_success(out);
        assert_page_structure(page, &roff);
        let options = roff_text(&roff_section(&roff, "OPTIONS").join("\n"));
        assert!(!flags.is_empty(), "{page}");
        for flag in flags {
            assert!(
                options.contains(flag.as_str()),
                "{page}: OPTIONS lacks {flag}"
            );
        }
        if groff_renders(page, roff.as_bytes()) {
            rendered += 1;
        }
    }
    assert!(rendered == 0 || rendered == commands.len());
    // The one that started it: `man mmjwt-check` documents --exact.
    let check = commands.iter().find(|c| c.1 == "mmjwt-check").unwrap();
    assert!(check.2.iter().any(|f| f == "--exact"));
}

/// The top-level page points to every other page, and each page to the ones above and below.
#[test]
fn man_pages_refer_to_each_other() {
    let commands = commands_and_flags();
    let see_also = |path: &[&str]| {
        let out = mmjwt().arg("man").args(path).output().unwrap();
        roff_text(&roff_section(&stdout_of_success(out), "SEE ALSO").join(" "))
    };
    let top = see_also(&[]);
    for (_, page, _) in &commands[1..] {
        assert!(top.contains(&format!("{page}(1)")), "mmjwt(1) lacks {page}");
    }
    let replay = see_also(&["replay"]);
    for page in [
        "mmjwt(1)",
        "mmjwt-replay-fetch-user(1)",
        "mmjwt-replay-personalize(1)",
    ] {
        assert!(
            replay.contains(page),
            "mmjwt-replay(1) lacks {page}: {replay}"
        );
    }
    let fetch = see_also(&["replay", "fetch-user"]);
    assert_eq!(fetch, "mmjwt(1), mmjwt-replay(1)");
    // An alias finds its command's page.
    let alias = mmjwt()
        .args(["man", "replay", "save-user"])
        .output()
        .unwrap();
    assert!(stdout_of_success(alias).contains(".TH mmjwt-replay-patch-user 1 "));
}

/// `mmjwt man --dir DIR` creates DIR, writes one page per command (the pages `mmjwt man
/// SUBCOMMAND` prints) and prints their paths; `--json` gives them as one object.
#[test]
fn man_dir_writes_every_page_and_prints_their_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("share/man/man1");
    let out = mmjwt().args(["man", "--dir"]).arg(&dir).output().unwrap();
    let printed = stdout_of_success(out);
    let commands = commands_and_flags();
    let expected: Vec<String> = commands
        .iter()
        .map(|(_, page, _)| dir.join(format!("{page}.1")).display().to_string())
        .collect();
    assert_eq!(printed.lines().collect::<Vec<_>>(), expected);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), commands.len(), "{files:?}");
    for (path, page, _) in &commands {
        let written = std::fs::read(dir.join(format!("{page}.1"))).unwrap();
        let printed = mmjwt().arg("man").args(path).output().unwrap();
        assert_eq!(written, printed.stdout, "{page}.1");
    }
    // Again, into the existing directory, with --json.
    let out = mmjwt()
        .args(["--json", "man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let v = json_out(&out);
    assert_eq!(v["pages"], serde_json::json!(expected));
}

/// A directory that cannot be made or written is a clear one-line error (exit 1), and a
/// command that does not exist a usage error (exit 2); `--dir` takes no subcommand.
#[test]
fn man_refuses_what_it_cannot_do_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    for dir in [file.clone(), file.join("man1")] {
        let out = mmjwt().args(["man", "--dir"]).arg(&dir).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", dir.display());
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with(&format!(
                "mmjwt: error: cannot create directory {}: ",
                dir.display()
            )) && err.lines().count() == 1,
            "{err}"
        );
    }
    let out = mmjwt()
        .args(["--json", "man", "--dir"])
        .arg(file.join("man1"))
        .output()
        .unwrap();
    assert_eq!(json_out(&out)["error"]["kind"], "io");
    // A page that cannot be written: the error names it, and no path is printed.
    let dir = tmp.path().join("man1");
    std::fs::create_dir_all(dir.join("mmjwt-check.1")).unwrap();
    let out = mmjwt().args(["man", "--dir"]).arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    let want = format!(
        "mmjwt: error: cannot write {}: ",
        dir.join("mmjwt-check.1").display()
    );
    assert!(err.starts_with(&want) && err.lines().count() == 1, "{err}");

    let out = mmjwt().args(["man", "chek"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(
            "mmjwt: error: mmjwt has no subcommand \"chek\"; the pages are for gen, check,"
        ),
        "{err}"
    );
    let out = mmjwt()
        .args(["man", "check", "--dir"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 2);
}

/// Every command line clap refuses is one `mmjwt: error:` line on stderr (what clap adds below
/// its first line folded into it), exit 2, nothing on stdout: a missing argument, an unknown
/// value, flag or subcommand, a flag without its value, two missing arguments.
#[test]
fn clap_errors_are_one_line() {
    let cases: [(&[&str], &[&str]); 6] = [
        (
            &["gen", "--app-code", "a"],
            &["--user-id <ID>", "usage: mmjwt gen"],
        ),
        (
            &["gen", "--user-id", "a", "--break", "nope"],
            &["'nope'", "possible values: expired, structure"],
        ),
        (
            &["check", "--exakt", "x"],
            &["'--exakt'", "tip: ", "'--exact'"],
        ),
        (&["no-such-command"], &["'no-such-command'", "usage: mmjwt"]),
        (&["gen", "--user-id", "a", "--ttl"], &["--ttl <DURATION>"]),
        (&["keygen", "--out"], &["--out"]),
    ];
    for (args, wanted) in cases {
        let out = mmjwt().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("mmjwt: error: ") && err.lines().count() == 1,
            "{args:?}: {err}"
        );
        assert!(!err.contains("For more information"), "{err}");
        for w in wanted {
            assert!(err.contains(w), "{args:?}: {w} not in {err}");
        }
    }
}
