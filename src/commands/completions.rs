//! `mmjwt completions SHELL` and `mmjwt man`: generated from the one clap definition, so they
//! cannot drift from it. The man pages are one per command, as git's and cargo's are: `mmjwt(1)`,
//! `mmjwt-check(1)`, `mmjwt-replay-fetch-user(1)`, each with every flag of its command.

use crate::cli::{ManArgs, command};
use crate::error::{ErrorKind, runtime, usage};
use crate::shell::Shell;
use clap_mangen::roff::{Roff, bold, roman};
use std::io::Write;
use std::path::Path;

/// The completion script for `shell`.
pub(crate) fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "mmjwt", &mut out);
    out
}

pub(crate) fn run_completions(shell: clap_complete::Shell) -> anyhow::Result<u8> {
    std::io::stdout().lock().write_all(&script(shell))?;
    Ok(0)
}

/// A man page: its file name (`mmjwt-check.1`) and its roff text.
#[derive(Debug)]
pub(crate) struct Page {
    pub file: String,
    pub roff: Vec<u8>,
}

/// Every page: the top level first, then each command before its own subcommands, in the
/// order `--help` lists them.
pub(crate) fn man_pages() -> anyhow::Result<Vec<Page>> {
    let tree = page_tree();
    let mut pages = Vec::new();
    add_pages(&tree, &[], &mut pages)?;
    Ok(pages)
}

/// The page of the command at `path` (`[]` for the top level, `["replay", "fetch-user"]`);
/// aliases are taken as clap takes them.
pub(crate) fn man_page(path: &[String]) -> anyhow::Result<Page> {
    let tree = page_tree();
    let mut lineage = vec![&tree];
    for word in path {
        let here = lineage[lineage.len() - 1];
        let Some(sub) = here.find_subcommand(word) else {
            let known: Vec<&str> = here
                .get_subcommands()
                .map(clap::Command::get_name)
                .collect();
            return Err(usage(format!(
                "{} has no subcommand {word:?}; the pages are for {}",
                bin_name(here),
                known.join(", ")
            )));
        };
        lineage.push(sub);
    }
    page(&lineage)
}

/// The command tree the pages describe. Without clap's `help` subcommand, which needs no page:
/// every page has `--help`. Built, so that each subcommand knows its page name
/// (`mmjwt-replay-fetch-user`) and its command line (`mmjwt replay fetch-user`).
fn page_tree() -> clap::Command {
    let mut tree = command().disable_help_subcommand(true);
    tree.build();
    tree
}

fn add_pages<'a>(
    cmd: &'a clap::Command,
    parents: &[&'a clap::Command],
    pages: &mut Vec<Page>,
) -> anyhow::Result<()> {
    let mut lineage = parents.to_vec();
    lineage.push(cmd);
    pages.push(page(&lineage)?);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        add_pages(sub, &lineage, pages)?;
    }
    Ok(())
}

fn page_name(cmd: &clap::Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

fn bin_name(cmd: &clap::Command) -> &str {
    cmd.get_bin_name().unwrap_or_else(|| cmd.get_name())
}

/// The page of the last command of `lineage` (the top level first): clap_mangen's sections,
/// the text after `--help`'s options with its lines kept, and SEE ALSO naming the pages around
/// it.
fn page(lineage: &[&clap::Command]) -> anyhow::Result<Page> {
    let cmd = lineage[lineage.len() - 1];
    let version = lineage[0].get_version().unwrap_or_default();
    let man = clap_mangen::Man::new(cmd.clone()).source(format!("mmjwt {version}"));
    let mut tail = Roff::new();
    if let Some(after) = cmd.get_after_long_help().or_else(|| cmd.get_after_help()) {
        after_help(&mut tail, &after.to_string());
    }
    see_also(&mut tail, lineage);
    // Each part renders as a whole document, opening with the same preamble (the definition of
    // the apostrophe string); the page keeps the first one only.
    let preamble = Roff::new().render();
    let mut roff = preamble.clone().into_bytes();
    let mut section = |render: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| {
        let mut part = Vec::new();
        render(&mut part)?;
        let body = part.strip_prefix(preamble.as_bytes()).unwrap_or(&part);
        roff.extend_from_slice(body);
        std::io::Result::Ok(())
    };
    section(&|w| man.render_title(w))?;
    section(&|w| man.render_name_section(w))?;
    section(&|w| man.render_synopsis_section(w))?;
    section(&|w| man.render_description_section(w))?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        section(&|w| man.render_options_section(w))?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        section(&|w| man.render_subcommands_section(w))?;
    }
    section(&|w| tail.to_writer(w))?;
    section(&|w| man.render_version_section(w))?;
    Ok(Page {
        file: man.get_filename(),
        roff,
    })
}

/// `--help`'s closing text (the examples, the exit codes) as a section named by its first line
/// (`Examples:` becomes EXAMPLES). Its indented lines (commands, table rows) are set as
/// written, since roff would otherwise run them together into one paragraph; the other lines
/// are prose and fill as usual.
fn after_help(roff: &mut Roff, text: &str) {
    let mut lines = text.lines().peekable();
    let heading = match lines.peek() {
        Some(first) if first.ends_with(':') && !first.starts_with(' ') => {
            let h = first.trim_end_matches(':').to_uppercase();
            lines.next();
            h
        }
        _ => "NOTES".to_string(),
    };
    roff.control("SH", [heading.as_str()]);
    let mut verbatim = false;
    for line in lines {
        let indented = line.starts_with(' ');
        if indented != verbatim {
            roff.control(if indented { "nf" } else { "fi" }, []);
            verbatim = indented;
        }
        if indented {
            roff.text([roman(line)]);
        } else {
            roff.control("PP", []);
            roff.text([roman(line)]);
        }
    }
    if verbatim {
        roff.control("fi", []);
    }
}

/// SEE ALSO: the pages above this one, and those below it (for the top level, every other page).
fn see_also(roff: &mut Roff, lineage: &[&clap::Command]) {
    let cmd = lineage[lineage.len() - 1];
    let mut names: Vec<&str> = lineage[..lineage.len() - 1]
        .iter()
        .map(|c| page_name(c))
        .collect();
    let mut below = Vec::new();
    descendants(cmd, lineage.len() == 1, &mut below);
    names.extend(below);
    if names.is_empty() {
        return;
    }
    roff.control("SH", ["SEE ALSO"]);
    let mut line = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.push(bold(*name));
        line.push(roman("(1)"));
    }
    roff.text(line);
}

/// The page names of `cmd`'s subcommands, and of theirs when `deep`.
fn descendants<'a>(cmd: &'a clap::Command, deep: bool, out: &mut Vec<&'a str>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        out.push(page_name(sub));
        if deep {
            descendants(sub, deep, out);
        }
    }
}

/// `mmjwt man [SUBCOMMAND...]` prints a page; `mmjwt man --dir DIR` writes them all and prints
/// their paths (with `--json`, as `{"pages": [...]}`).
pub(crate) fn run_man(args: &ManArgs, shell: &Shell) -> anyhow::Result<u8> {
    let Some(dir) = &args.dir else {
        let page = man_page(&args.command)?;
        std::io::stdout().lock().write_all(&page.roff)?;
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
    for page in man_pages()? {
        let path = dir.join(&page.file);
        std::fs::write(&path, &page.roff).map_err(|e| {
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
        let files: Vec<String> = man_pages().unwrap().into_iter().map(|p| p.file).collect();
        assert_eq!(files[0], "mmjwt.1");
        for f in [
            "mmjwt-check.1",
            "mmjwt-replay.1",
            "mmjwt-replay-fetch-user.1",
        ] {
            assert!(files.iter().any(|x| x == f), "{f} missing from {files:?}");
        }
        assert!(!files.iter().any(|x| x.contains("help")), "{files:?}");
    }

    #[test]
    fn after_help_keeps_indented_lines_and_fills_prose() {
        let mut roff = Roff::new();
        after_help(&mut roff, "Examples:\n  mmjwt a\n  mmjwt b\nProse line.");
        assert_eq!(
            roff.to_roff(),
            ".SH EXAMPLES\n.nf\n  mmjwt a\n  mmjwt b\n.fi\n.PP\nProse line.\n"
        );
    }

    #[test]
    fn an_unknown_subcommand_is_a_usage_error_naming_the_known_ones() {
        let e = man_page(&["chek".to_string()]).unwrap_err();
        assert_eq!(crate::error::classify(&e).0, crate::error::exit::USAGE);
        assert!(e.to_string().contains("check"), "{e}");
        let e = man_page(&["replay".to_string(), "x".to_string()]).unwrap_err();
        assert!(e.to_string().contains("fetch-user"), "{e}");
        assert!(man_page(&["replay".into(), "save-user".into()]).is_ok());
    }
}
