//! The structure's rules, read from the sources and the documents: layers point down, and each
//! contract written in more than one place (exit codes, error kinds, the module list, the
//! README's sample report) agrees with its one source.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The library's source files: everything under `src/` except the command layer (`cli`,
/// `commands`), the process driver and the crate root, which are the only places allowed to
/// name the command layer and clap; and every file of the token core and the wire crate
/// (`crates/core/src/`, `crates/wire/src/`).
fn library_files() -> Vec<(String, String)> {
    crate::support::source_files()
        .into_iter()
        .filter(|(rel, _)| {
            let Some(app) = rel.strip_prefix("src/") else {
                return true;
            };
            let top = app
                .split('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".rs");
            !["cli", "commands", "driver", "lib", "main"].contains(&top)
        })
        .collect()
}

fn readme() -> String {
    doc("README.md")
}

/// A document of the repository, by its path from the root.
fn doc(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// The lines of the document section that starts with `heading`, up to the next `## `.
fn section(readme: &str, heading: &str) -> Vec<String> {
    let start = readme
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("the document has no section {heading}"));
    readme[start + heading.len() + 2..]
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .map(str::to_string)
        .collect()
}

#[test]
fn library_modules_never_reach_up_into_the_command_layer() {
    let files = library_files();
    assert!(
        files.len() > 30,
        "only {} library files were read",
        files.len()
    );
    for (rel, text) in &files {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for layer in ["cli", "commands"] {
                for pattern in [format!("crate::{layer}"), format!("super::{layer}")] {
                    let names_it = code.match_indices(&pattern).any(|(i, _)| {
                        let next = code[i + pattern.len()..].chars().next();
                        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    });
                    assert!(
                        !names_it,
                        "{rel}:{}: a library module names the command layer: {line}",
                        n + 1
                    );
                }
            }
        }
    }
}

#[test]
fn only_the_command_layer_uses_clap() {
    for (rel, text) in library_files() {
        assert!(
            !text.contains("clap::") && !text.contains("use clap"),
            "{rel} uses clap; clap types and value parsing live in src/cli"
        );
    }
}

#[test]
fn the_documented_exit_code_tables_are_the_one_in_the_code() {
    let want: Vec<String> = mmjwt::error::EXIT_CODES
        .iter()
        .map(|(code, meaning)| format!("| {code} | {meaning} |"))
        .collect();
    for path in ["README.md", "docs/reference.md"] {
        let text = section(&doc(path), "## Exit codes");
        let rows: Vec<String> = text
            .iter()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| code") && !l.starts_with("|---"))
            .cloned()
            .collect();
        assert_eq!(
            rows, want,
            "{path}'s exit-code table differs from crates/core/src/error.rs"
        );
        assert!(
            text.join(" ").contains(mmjwt::error::MERGE_RULE),
            "{path} does not state the merge rule of crates/core/src/error.rs word for word"
        );
    }
}

/// The README's first console block is what `mmjwt check` prints for the token it describes:
/// one a general-purpose JWT library made (no `typ` claim, no `jti`), with the spec's reference
/// secret in `MMJWT_SECRET`. The command is run as the block spells it, `"$TOKEN"` replaced.
#[test]
fn the_readme_shows_what_check_prints() {
    let readme = readme();
    let block = readme
        .split("```console\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("README has a console block");
    let (command, shown) = block.split_once('\n').unwrap();
    let words: Vec<&str> = command
        .strip_prefix("$ mmjwt ")
        .expect("the block starts with a `$ mmjwt` command")
        .split_whitespace()
        .collect();
    assert_eq!(words.first(), Some(&"check"), "{command}");
    let token = crate::support::signed(
        crate::support::HEADER,
        r#"{"sub":"alice","infobip-api-key":"test-app-code","iat":1700000000,"exp":1700000900}"#,
        &crate::support::test_key(),
    );
    let args: Vec<String> = words
        .iter()
        .map(|w| {
            if *w == "\"$TOKEN\"" {
                token.clone()
            } else {
                (*w).to_string()
            }
        })
        .collect();
    assert!(args.contains(&token), "the command judges \"$TOKEN\"");
    let out = crate::support::mmjwt()
        .env("MMJWT_SECRET", crate::support::SECRET_HEX)
        .args(&args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.trim_end(),
        shown.trim_end(),
        "README's console block differs from what `{command}` prints; paste this output:\n{stdout}"
    );
    assert_eq!(out.status.code(), Some(10));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_reference_lists_every_json_error_kind() {
    let text = section(&doc("docs/reference.md"), "## JSON output").join("\n");
    for kind in mmjwt::error::ErrorKind::ALL {
        let row = format!("| `{}` |", kind.as_str());
        assert!(
            text.contains(&row),
            "docs/reference.md lacks the error kind row {row}"
        );
    }
}

#[test]
fn the_contributing_layout_names_every_top_level_module() {
    let layout = section(&doc("CONTRIBUTING.md"), "## Layout").join("\n");
    let mut n = 0;
    for dir in crate::support::SOURCE_DIRS {
        let lib = std::fs::read_to_string(root().join(dir).join("lib.rs")).unwrap();
        for line in lib.lines() {
            let Some(name) = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("mod "))
                .and_then(|l| l.strip_suffix(';'))
            else {
                continue;
            };
            n += 1;
            assert!(
                layout.contains(&format!("`{dir}/{name}")),
                "CONTRIBUTING.md's Layout does not describe {dir}/{name}"
            );
        }
    }
    assert!(n > 10);
}

#[test]
fn a_bad_flag_value_is_a_usage_error_named_by_its_flag() {
    for (args, flag) in [
        (vec!["sandbox", "--installation", "a/b"], "--installation"),
        (vec!["check", "--leeway", "5x", "a.b.c"], "--leeway"),
        (vec!["gen", "--user-id", "a", "--ttl", "soon"], "--ttl"),
        (vec!["gen", "--user-id", "a", "--claim", "iat=1"], "--claim"),
        (
            vec!["replay", "fetch-user", "--user-agent", "\u{1}"],
            "--user-agent",
        ),
        (
            vec!["sandbox", "--request-timeout", "0"],
            "--request-timeout",
        ),
    ] {
        let mut json_args = vec!["--json"];
        json_args.extend(&args);
        let out = crate::support::mmjwt().args(&json_args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!("mmjwt: error: {flag}")) && err.lines().count() == 1,
            "{args:?}: {err}"
        );
        let v = crate::support::json_out(&out);
        assert_eq!(v["error"]["kind"], "usage", "{args:?}");
    }
}

/// The issuer stacks are projects of their own, built where they stand (`cargo build` in
/// `issuers/rust-jsonwebtoken`): mmjwt's workspace must leave the Rust one out, or cargo refuses
/// to build it there.
#[test]
fn the_rust_issuer_stack_is_outside_the_workspace() {
    let manifest = root().join("issuers/rust-jsonwebtoken/Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        Path::new(String::from_utf8_lossy(&out.stdout).trim()),
        manifest,
        "the Rust issuer stack is part of another workspace"
    );
}
