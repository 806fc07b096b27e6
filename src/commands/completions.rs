//! `mmjwt completions SHELL` and `mmjwt man`: the scripts of `completions/` and the pages of
//! `man/`, built into the binary. Both are generated from the one clap definition by the test
//! suite (`tests/it/support/generated.rs`), which fails whenever a committed file differs from
//! what the definition gives, so they cannot drift from it; generating them here instead would
//! compile clap_complete and clap_mangen into every install. The man pages are one per command,
//! as git's and cargo's are: `mmjwt(1)`, `mmjwt-check(1)`, `mmjwt-replay-fetch-user(1)`, each
//! with every flag of its command.

use super::man_pages::PAGES;
use crate::cli::{CompletionShell, ManArgs, command};
use crate::error::{ErrorKind, runtime, usage};
use crate::shell::Shell;
use std::io::Write;
use std::path::Path;

/// The completion script for `shell`.
pub(crate) fn script(shell: CompletionShell) -> &'static [u8] {
    match shell {
        CompletionShell::Bash => include_bytes!("../../completions/mmjwt.bash"),
        CompletionShell::Elvish => include_bytes!("../../completions/mmjwt.elv"),
        CompletionShell::Fish => include_bytes!("../../completions/mmjwt.fish"),
        CompletionShell::PowerShell => include_bytes!("../../completions/_mmjwt.ps1"),
        CompletionShell::Zsh => include_bytes!("../../completions/_mmjwt"),
    }
}

pub(crate) fn run_completions(shell: CompletionShell) -> anyhow::Result<u8> {
    std::io::stdout().lock().write_all(script(shell))?;
    Ok(0)
}

/// A man page: its file name (`mmjwt-check.1`) and its roff text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    pub file: &'static str,
    pub roff: &'static [u8],
}

/// Every page: the top level first, then each command before its own subcommands, in the
/// order `--help` lists them.
pub(crate) fn man_pages() -> impl Iterator<Item = Page> {
    PAGES.iter().map(|&(file, roff)| Page { file, roff })
}

/// The page of the command at `path` (`[]` for the top level, `["replay", "fetch-user"]`);
/// aliases are taken as clap takes them.
pub(crate) fn man_page(path: &[String]) -> anyhow::Result<Page> {
    let mut tree = command().disable_help_subcommand(true);
    // Built, so that each subcommand knows its page name (`mmjwt-replay-fetch-user`).
    tree.build();
    let mut here = &tree;
    for word in path {
        let Some(sub) = here.find_subcommand(word) else {
            let known: Vec<&str> = here
                .get_subcommands()
                .map(clap::Command::get_name)
                .collect();
            // As for clap's errors: a long word is likely a token pasted in the wrong place.
            let shown = match word.chars().count() {
                n if n > 24 => format!("<{n} characters, not shown>"),
                _ => format!("{word:?}"),
            };
            return Err(usage(format!(
                "{} has no subcommand {shown}; the pages are for {}",
                here.get_bin_name().unwrap_or_else(|| here.get_name()),
                known.join(", ")
            )));
        };
        here = sub;
    }
    let file = format!(
        "{}.1",
        here.get_display_name().unwrap_or_else(|| here.get_name())
    );
    man_pages().find(|p| p.file == file).ok_or_else(|| {
        runtime(
            ErrorKind::Internal,
            format!("no page {file} is built in; the man pages need regenerating"),
        )
    })
}

/// `mmjwt man [SUBCOMMAND...]` prints a page; `mmjwt man --dir DIR` writes them all and prints
/// their paths (with `--json`, as `{"pages": [...]}`).
pub(crate) fn run_man(args: &ManArgs, shell: &Shell) -> anyhow::Result<u8> {
    let Some(dir) = &args.dir else {
        let page = man_page(&args.command)?;
        std::io::stdout().lock().write_all(page.roff)?;
        return Ok(0);
    };
    let written = write_pages(dir)?;
    let mut out = std::io::stdout().lock();
    if shell.json {
        let paths: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        let v = serde_json::json!({ "pages": paths });
        writeln!(out, "{}", shell.json_text(&v))?;
    } else {
        for p in &written {
            writeln!(out, "{}", p.display())?;
        }
    }
    out.flush()?;
    Ok(0)
}

/// Writes every page into `dir` (created with its parents if needed); returns their paths.
fn write_pages(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| {
        runtime(
            ErrorKind::Io,
            format!("cannot create directory {}: {e}", dir.display()),
        )
    })?;
    let mut written = Vec::new();
    for page in man_pages() {
        let path = dir.join(page.file);
        std::fs::write(&path, page.roff).map_err(|e| {
            runtime(
                ErrorKind::Io,
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_named_as_git_and_cargo_name_theirs() {
        let files: Vec<&str> = man_pages().map(|p| p.file).collect();
        assert_eq!(files[0], "mmjwt.1");
        for f in [
            "mmjwt-check.1",
            "mmjwt-replay.1",
            "mmjwt-replay-fetch-user.1",
        ] {
            assert!(files.contains(&f), "{f} missing from {files:?}");
        }
        assert!(!files.iter().any(|x| x.contains("help")), "{files:?}");
    }

    #[test]
    fn every_command_finds_its_built_in_page() {
        fn walk(cmd: &clap::Command, path: &mut Vec<String>) {
            let page = man_page(path).unwrap();
            assert!(page.roff.starts_with(b".ie"), "{}", page.file);
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                path.push(sub.get_name().to_string());
                walk(sub, path);
                path.pop();
            }
        }
        walk(&command(), &mut Vec::new());
    }

    #[test]
    fn an_unknown_subcommand_is_a_usage_error_naming_the_known_ones() {
        let e = man_page(&["chek".to_string()]).unwrap_err();
        assert_eq!(crate::error::classify(&e).0, crate::error::exit::USAGE);
        assert!(e.to_string().contains("check"), "{e}");
        let e = man_page(&["replay".to_string(), "x".to_string()]).unwrap_err();
        assert!(e.to_string().contains("fetch-user"), "{e}");
        assert!(man_page(&["replay".into(), "save-user".into()]).is_ok());
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";
        let e = man_page(&[token.to_string()]).unwrap_err().to_string();
        assert!(
            !e.contains("eyJ") && e.contains("<41 characters, not shown>"),
            "{e}"
        );
    }
}
