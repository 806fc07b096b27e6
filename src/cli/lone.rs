//! Parsing the command line with clap (what [`super::plain`] declines): through the whole
//! command tree, or — for `gen` and `check`, the commands scripts start thousands of times —
//! through a tree that holds only that subcommand.
//!
//! Why: the whole tree holds about a hundred arguments, each allocated, moved several times
//! and dropped, which weighs more in a short command's start-up than the token work itself;
//! a tree of one subcommand holds a fraction of them. The lone tree is built from the same
//! argument types ([`GenArgs`], [`CheckArgs`], [`Global`]), so it cannot drift from the whole
//! one; anything it could answer differently goes to the whole tree: help and version flags, a
//! short-option cluster, anything before the subcommand other than the global flags. A
//! property test holds the two parsers equal on generated command lines, errors included.

use super::{CheckArgs, Cli, Command, GenArgs, Global};
use clap::{Parser, Subcommand};
use std::ffi::{OsStr, OsString};

// Not `///`: a doc comment here would become the program's about line.
#[derive(Debug, Parser)]
#[command(
    name = "mmjwt",
    version,
    propagate_version = true,
    max_term_width = 100
)]
struct Lone<S: Subcommand> {
    #[command(flatten)]
    global: Global,

    #[command(subcommand)]
    command: S,
}

#[derive(Debug, Subcommand)]
enum OnlyGen {
    Gen(GenArgs),
}

#[derive(Debug, Subcommand)]
enum OnlyCheck {
    Check(CheckArgs),
}

/// Parses `args` (the program name first) as [`Cli::try_parse_from`] does. A command line the
/// lone tree refuses is parsed again by the whole tree, so that every error is the whole
/// tree's own: its suggestions name flags of other subcommands (`tip: 'gen --jti' exists`),
/// which the lone tree does not hold. Only errors pay for the second parse.
pub fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    lone(args).or_else(|_| Cli::try_parse_from(args))
}

fn lone(args: &[OsString]) -> Result<Cli, clap::Error> {
    match lone_subcommand(args) {
        Some("gen") => Lone::<OnlyGen>::try_parse_from(args).map(|l| Cli {
            global: l.global,
            command: match l.command {
                OnlyGen::Gen(a) => Command::Gen(a),
            },
        }),
        Some("check") => Lone::<OnlyCheck>::try_parse_from(args).map(|l| Cli {
            global: l.global,
            command: match l.command {
                OnlyCheck::Check(a) => Command::Check(a),
            },
        }),
        // The error is not used: `parse` asks the whole tree.
        _ => Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand)),
    }
}

/// `gen` or `check` when the lone tree parses `args` exactly as the whole one would: the
/// subcommand comes after nothing but global flags, and no argument asks for help or the
/// version or is a cluster of short options (which the two trees could read differently).
fn lone_subcommand(args: &[OsString]) -> Option<&'static str> {
    let mut rest = args.iter().skip(1).map(OsString::as_os_str);
    let name = loop {
        let a = rest.next()?;
        if a == "--json" || a.as_encoded_bytes().starts_with(b"--color=") {
            continue;
        }
        if a == "--color" {
            rest.next()?;
            continue;
        }
        break a;
    };
    let name = if name == "gen" {
        "gen"
    } else if name == "check" {
        "check"
    } else {
        return None;
    };
    rest.all(|a| !asks_the_whole_tree(a)).then_some(name)
}

fn asks_the_whole_tree(a: &OsStr) -> bool {
    let b = a.as_encoded_bytes();
    matches!(b, b"--help" | b"--version")
        || (b.len() > 1 && b[0] == b'-' && b[1] != b'-')
        || b.starts_with(b"--help=")
        || b.starts_with(b"--version=")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a parse gave, comparable: the parsed value's debug form (secrets redacted), or the
    /// error's kind and rendered text.
    fn outcome(r: Result<Cli, clap::Error>) -> Result<String, (clap::error::ErrorKind, String)> {
        r.map(|c| format!("{c:?}"))
            .map_err(|e| (e.kind(), e.render().to_string()))
    }

    fn both(args: &[&str]) -> (bool, Result<String, (clap::error::ErrorKind, String)>) {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let lone = lone_subcommand(&args).is_some();
        let fast = outcome(parse(&args));
        let whole = outcome(Cli::try_parse_from(&args));
        assert_eq!(fast, whole, "{args:?}");
        (lone, fast)
    }

    #[test]
    fn the_usual_command_lines_take_the_lone_tree_and_parse_alike() {
        for args in crate::cli::USUAL_LINES.into_iter().chain([
            &["mmjwt", "--color=always", "gen", "--user-id", "-", "--json"][..],
            // Errors, in the lone tree's words, which are the whole tree's.
            &["mmjwt", "gen"],
            &["mmjwt", "gen", "--user-id", "u", "--ttl", "1x"],
            &["mmjwt", "check", "--bogus"],
            // A flag of the other subcommand, which the whole tree's error suggests.
            &["mmjwt", "--color", "--jti", "check", "gen"],
            &["mmjwt", "check", "--jti", "j", "t"],
            &["mmjwt", "check", "a", "b"],
            &["mmjwt", "check", "--sdk", "symbian", "t"],
            &[
                "mmjwt",
                "gen",
                "--user-id",
                "u",
                "--ttl",
                "1m",
                "--exp",
                "0",
            ],
            &[
                "mmjwt",
                "check",
                "--secret",
                "00",
                "--secret-file",
                "f",
                "t",
            ],
        ]) {
            let (lone, _) = both(args);
            assert!(lone, "{args:?} should take the lone tree");
        }
        for args in [
            &["mmjwt", "check", "--help"][..],
            &["mmjwt", "gen", "-h"],
            &["mmjwt", "check", "-V"],
            &["mmjwt", "--version"],
            &["mmjwt", "help", "check"],
            &["mmjwt", "chek", "t"],
            &["mmjwt", "keygen"],
            &["mmjwt", "--json", "--color"],
            &["mmjwt"],
        ] {
            let (lone, _) = both(args);
            assert!(!lone, "{args:?} should take the whole tree");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        /// Generated command lines: both parsers give the same value or the same error.
        #[test]
        fn the_lone_tree_parses_as_the_whole_tree(
            words in prop::collection::vec(prop_oneof![
                4 => Just("check"), 4 => Just("gen"), 1 => Just("keygen"), 1 => Just("help"),
                2 => Just("--json"), 2 => Just("--color"), 1 => Just("--color=never"), 1 => Just("always"),
                2 => Just("--user-id"), 1 => Just("alice"), 1 => Just("-"), 1 => Just("--"),
                1 => Just("--ttl"), 1 => Just("15m"), 1 => Just("1x"), 1 => Just("--exp"), 1 => Just("--now"),
                1 => Just("1700000000"), 1 => Just("-5"), 1 => Just("--claim"), 1 => Just("k=v"), 1 => Just("k:=[1"),
                1 => Just("--sdk"), 1 => Just("ios"), 1 => Just("--leeway"), 1 => Just("--plugin"), 1 => Just("flutter"),
                1 => Just("--exact"), 1 => Just("--require-signature"), 1 => Just("--secret-file"),
                1 => Just("--secret"), 1 => Just("--secret-stdin"), 1 => Just("--app-code"), 1 => Just("--key-id"),
                1 => Just("--jti"), 1 => Just("--no-iss"), 1 => Just("--out"), 1 => Just("--allow-expired"),
                1 => Just("--bogus"), 1 => Just("-x"), 1 => Just("-h"), 1 => Just("--help"), 1 => Just("-V"),
                1 => Just("--version"), 1 => Just("--user-id=bob"), 1 => Just("eyJ.a.b"),
            ], 0..8)
        ) {
            let mut args = vec!["mmjwt"];
            args.extend(words);
            let args: Vec<OsString> = args.iter().map(OsString::from).collect();
            prop_assert_eq!(outcome(parse(&args)), outcome(Cli::try_parse_from(&args)), "{:?}", args);
        }
    }
}
