//! The files generated from the clap definition and committed: the completion scripts of
//! `completions/`, the man pages of `man/` and their table `src/commands/man_pages.rs`, which
//! the binary embeds. Generated here, with clap_complete and clap_mangen, so an install need not
//! compile them; `tests/it/cli.rs` fails when a committed file differs from what this makes
//! (`SNAPSHOTS=overwrite` rewrites them, never under CI).

use super::snapshot::{Action, action};
use clap_mangen::roff::{Roff, bold, roman};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A generated file: its path from the repository's root and its bytes.
#[derive(Debug)]
pub struct Generated {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// The shells, their command-line names and their committed files.
pub const SHELLS: [(clap_complete::Shell, &str, &str); 5] = [
    (clap_complete::Shell::Bash, "bash", "mmjwt.bash"),
    (clap_complete::Shell::Zsh, "zsh", "_mmjwt"),
    (clap_complete::Shell::Fish, "fish", "mmjwt.fish"),
    (clap_complete::Shell::PowerShell, "powershell", "_mmjwt.ps1"),
    (clap_complete::Shell::Elvish, "elvish", "mmjwt.elv"),
];

/// Every generated file: the completion scripts, the man pages and the pages' table.
pub fn all() -> Vec<Generated> {
    let mut files = Vec::new();
    for (shell, _, file) in SHELLS {
        let mut cmd = mmjwt::cli::command();
        let mut bytes = Vec::new();
        clap_complete::generate(shell, &mut cmd, "mmjwt", &mut bytes);
        files.push(Generated {
            path: Path::new("completions").join(file),
            bytes,
        });
    }
    let tree = page_tree();
    let mut pages = Vec::new();
    add_pages(&tree, &[], &mut pages);
    let mut table = String::from(TABLE_HEAD);
    for (file, _) in &pages {
        let _ = writeln!(
            table,
            "    (\"{file}\", include_bytes!(\"../../man/{file}\")),"
        );
    }
    table.push_str("];\n");
    files.push(Generated {
        path: PathBuf::from("src/commands/man_pages.rs"),
        bytes: table.into_bytes(),
    });
    for (file, roff) in pages {
        files.push(Generated {
            path: Path::new("man").join(file),
            bytes: roff,
        });
    }
    files
}

const TABLE_HEAD: &str =
    "//! Generated with the pages of `man/` by `SNAPSHOTS=overwrite cargo test --test integration
//! cli::committed_generated_files_are_current`; do not edit.

/// Every page's file name and text, in the order `mmjwt man --dir` writes them.
#[rustfmt::skip]
pub(super) const PAGES: &[(&str, &[u8])] = &[
";

/// Compares each of `files` ([`all`]) with the committed one; returns the paths that differ
/// (after rewriting them under `SNAPSHOTS=overwrite`).
pub fn stale(files: &[Generated]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let overwrite = action() == Action::Overwrite;
    let mut stale = Vec::new();
    for g in files {
        let path = root.join(&g.path);
        if std::fs::read(&path).is_ok_and(|b| b == g.bytes) {
            continue;
        }
        if overwrite {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &g.bytes).unwrap();
        } else {
            stale.push(g.path.clone());
        }
    }
    stale
}

/// The command tree the pages describe. Without clap's `help` subcommand, which needs no page:
/// every page has `--help`. Built, so that each subcommand knows its page name
/// (`mmjwt-replay-fetch-user`) and its command line (`mmjwt replay fetch-user`).
fn page_tree() -> clap::Command {
    let mut tree = mmjwt::cli::command().disable_help_subcommand(true);
    tree.build();
    tree
}

/// Every page (file name and roff): the top level first, then each command before its own
/// subcommands, in the order `--help` lists them.
fn add_pages<'a>(
    cmd: &'a clap::Command,
    parents: &[&'a clap::Command],
    pages: &mut Vec<(String, Vec<u8>)>,
) {
    let mut lineage = parents.to_vec();
    lineage.push(cmd);
    pages.push(page(&lineage));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        add_pages(sub, &lineage, pages);
    }
}

fn page_name(cmd: &clap::Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

/// The page of the last command of `lineage` (the top level first): clap_mangen's sections,
/// the text after `--help`'s options with its lines kept, and SEE ALSO naming the pages around
/// it.
fn page(lineage: &[&clap::Command]) -> (String, Vec<u8>) {
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
        render(&mut part).unwrap();
        let body = part.strip_prefix(preamble.as_bytes()).unwrap_or(&part);
        roff.extend_from_slice(body);
    };
    section(&|w| man.render_title(w));
    section(&|w| man.render_name_section(w));
    section(&|w| man.render_synopsis_section(w));
    section(&|w| man.render_description_section(w));
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        section(&|w| man.render_options_section(w));
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        section(&|w| man.render_subcommands_section(w));
    }
    section(&|w| tail.to_writer(w));
    section(&|w| man.render_version_section(w));
    (man.get_filename(), roff)
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

#[test]
fn after_help_keeps_indented_lines_and_fills_prose() {
    let mut roff = Roff::new();
    after_help(&mut roff, "Examples:\n  mmjwt a\n  mmjwt b\nProse line.");
    assert_eq!(
        roff.to_roff(),
        ".SH EXAMPLES\n.nf\n  mmjwt a\n  mmjwt b\n.fi\n.PP\nProse line.\n"
    );
}
