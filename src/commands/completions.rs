//! `mmjwt completions SHELL` and `mmjwt man`: generated from the one clap definition.

use crate::cli::command;
use std::io::Write;

/// The completion script for `shell`.
pub(crate) fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "mmjwt", &mut out);
    out
}

/// The roff man page.
pub(crate) fn man_page() -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command()).render(&mut out)?;
    Ok(out)
}

pub(crate) fn run_completions(shell: clap_complete::Shell) -> anyhow::Result<u8> {
    std::io::stdout().lock().write_all(&script(shell))?;
    Ok(0)
}

pub(crate) fn run_man() -> anyhow::Result<u8> {
    std::io::stdout().lock().write_all(&man_page()?)?;
    Ok(0)
}
