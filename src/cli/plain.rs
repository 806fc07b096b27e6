//! The plain command lines of `gen` and `check`, read without clap: long options, each value
//! as its own word, one token. Anything else, and anything it could read differently from
//! clap, it declines, and [`super::lone`] parses the line with clap as before.
//!
//! Why it exists: even the one-subcommand tree of [`super::lone`] builds every argument, looks
//! up its default and environment variable, and drops it again to read three words; that alone
//! takes `mmjwt check TOKEN` past the whole start-up of jwt-cli's `decode`, which it is held to
//! (docs/performance.md). Scripts start these two commands thousands of times.
//!
//! **clap is the definition; this reader only follows it.** New flags go to clap only (the
//! argument types in [`super`]): this reader declines any flag it does not know, so a line that
//! uses a new flag is read by clap, and a new field is filled here with the value clap gives
//! when the flag is absent (declining the line when an environment variable could change it,
//! as `MMJWT_PLUGIN` does). What holds it to clap: the property tests
//! `cli::plain::tests::the_plain_reader_reads_as_clap` and
//! `cli::plain::tests::plain_lines_are_read_as_clap` (whenever it reads a line, clap reads it
//! alike), and the integration test
//! `cli::plain_and_clap_read_lines_behave_alike_whatever_the_environment`, which runs the same
//! lines through both with the environment variables set, empty and unset.
//!
//! What it declines: help and version flags, `--name=value`, `--`, short options, unknown or
//! repeated flags, flags clap would refuse together, empty values and values that look like
//! flags, text that is not UTF-8, `--plugin` and `MMJWT_PLUGIN` (clap's enum parser owns their
//! errors and spelling), and any value its parser refuses (so every error message is still
//! clap's). Typed values go through the same parsers clap calls ([`super::values`]).

use super::values::{self, ClaimArg};
use super::{CheckArgs, Cli, Command, CredArgs, GenArgs, Global, SecretArgs};
use crate::color::ColorChoice;
use crate::secret::SecretText;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// The environment variables clap reads for `gen` and `check`.
const ENV_APP_CODE: &str = "MMJWT_APP_CODE";
const ENV_KEY_ID: &str = "MMJWT_KEY_ID";
const ENV_PLUGIN: &str = "MMJWT_PLUGIN";

/// The flags that may be given more than once (`gen --claim`).
const REPEATABLE: [&str; 1] = ["claim"];

/// Reads `args` (the program name first) when it is a plain `gen` or `check` line; `None`
/// when clap must read it. `env` looks an environment variable up (the process's in use).
pub fn parse(args: &[OsString], env: &dyn Fn(&str) -> Option<OsString>) -> Option<Cli> {
    let words: Vec<&str> = args
        .iter()
        .skip(1)
        .map(|a| a.to_str())
        .collect::<Option<_>>()?;
    let mut global = GlobalSeen::default();
    let mut rest = words.into_iter();
    let name = loop {
        let w = rest.next()?;
        if !global.take(w, &mut rest)? {
            break w;
        }
    };
    let mut words = Words {
        rest,
        global,
        seen: Vec::new(),
    };
    let command = match name {
        "gen" => Command::Gen(gen_args(&mut words, env)?),
        "check" => Command::Check(check_args(&mut words, env)?),
        _ => return None,
    };
    Some(Cli {
        global: words.global.done(),
        command,
    })
}

/// `--json` and `--color WHEN`, which clap takes before and after the subcommand alike.
#[derive(Default)]
struct GlobalSeen {
    json: bool,
    color: Option<ColorChoice>,
}

impl GlobalSeen {
    /// Takes `w` (and its value) when it is a global flag: `Some(true)`; `Some(false)` when it
    /// is not one; `None` when clap must read the line.
    fn take<'a>(&mut self, w: &str, rest: &mut impl Iterator<Item = &'a str>) -> Option<bool> {
        match w {
            "--json" if !self.json => self.json = true,
            "--color" if self.color.is_none() => {
                // clap's own names for the choice, matched exactly as clap matches them.
                self.color = Some(values::COLOR.find(rest.next()?, false)?);
            }
            "--json" | "--color" => return None,
            _ => return Some(false),
        }
        Some(true)
    }

    fn done(self) -> Global {
        Global {
            color: self.color.unwrap_or_default(),
            json: self.json,
        }
    }
}

/// The words after the subcommand's name.
struct Words<'a, I: Iterator<Item = &'a str>> {
    rest: I,
    global: GlobalSeen,
    /// The subcommand's flags met so far (clap refuses a repeated one).
    seen: Vec<&'a str>,
}

/// One word after the subcommand's name.
enum Word<'a> {
    /// `--name`, not a global flag, met for the first time.
    Flag(&'a str),
    /// A positional value.
    Value(&'a str),
    /// No more words.
    End,
}

impl<'a, I: Iterator<Item = &'a str>> Words<'a, I> {
    /// The next word; `None` when clap must read the line.
    fn next(&mut self) -> Option<Word<'a>> {
        loop {
            let Some(w) = self.rest.next() else {
                return Some(Word::End);
            };
            if self.global.take(w, &mut self.rest)? {
                continue;
            }
            return Some(if let Some(name) = w.strip_prefix("--") {
                // `--name=value`, `--` itself, and the help and version flags are clap's.
                if name.is_empty()
                    || name.contains('=')
                    || matches!(name, "help" | "version")
                    || self.seen.contains(&name)
                {
                    return None;
                }
                // clap appends the values of a repeatable flag; any other may come once.
                if !REPEATABLE.contains(&name) {
                    self.seen.push(name);
                }
                Word::Flag(name)
            } else if w.is_empty() || (w.starts_with('-') && w != "-") {
                return None;
            } else {
                Word::Value(w)
            });
        }
    }

    /// The value of the flag just read: the next word, when clap would take it as one.
    fn value(&mut self) -> Option<&'a str> {
        let v = self.rest.next()?;
        (!v.is_empty() && (v == "-" || !v.starts_with('-'))).then_some(v)
    }
}

/// Fills `slot`, when the command line left it empty, from the environment as clap's `env`
/// reads it: any text, empty included (`None` for text that is not UTF-8: clap's to refuse).
fn from_env(
    env: &dyn Fn(&str) -> Option<OsString>,
    name: &str,
    slot: &mut Option<String>,
) -> Option<()> {
    if slot.is_none()
        && let Some(v) = env(name)
    {
        *slot = Some(v.into_string().ok()?);
    }
    Some(())
}

/// The flags `gen` and `check` share; `Some(false)` when `name` is not one of them.
fn shared_flag<'a, I: Iterator<Item = &'a str>>(
    name: &str,
    words: &mut Words<'a, I>,
    cred: &mut CredArgs,
    secret: &mut SecretArgs,
) -> Option<bool> {
    match name {
        "app-code" => cred.app_code = Some(words.value()?.to_owned()),
        "key-id" => cred.key_id = Some(words.value()?.to_owned()),
        "secret-file" => secret.secret_file = Some(PathBuf::from(words.value()?)),
        "secret-stdin" => secret.secret_stdin = true,
        "secret" => secret.secret = Some(SecretText::new(words.value()?)),
        _ => return Some(false),
    }
    Some(true)
}

/// Fills what the command line left out from the environment, and refuses what clap would.
fn finish_shared(
    env: &dyn Fn(&str) -> Option<OsString>,
    cred: &mut CredArgs,
    secret: &SecretArgs,
) -> Option<()> {
    // clap's conflicts: --secret-file with --secret-stdin or --secret; --secret-stdin with --secret.
    let given = [
        secret.secret_file.is_some(),
        secret.secret_stdin,
        secret.secret.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        return None;
    }
    from_env(env, ENV_APP_CODE, &mut cred.app_code)?;
    from_env(env, ENV_KEY_ID, &mut cred.key_id)
}

fn gen_args<'a, I: Iterator<Item = &'a str>>(
    words: &mut Words<'a, I>,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Option<GenArgs> {
    let mut a = GenArgs {
        user_id: None,
        cred: CredArgs::default(),
        secret: SecretArgs::default(),
        ttl: None,
        exp: None,
        now: None,
        jti: None,
        no_iss: false,
        claim: Vec::new(),
        allow_expired: false,
        allow_empty: false,
        out: None,
        break_kind: None,
        plugin: Vec::new(),
        from: None,
        unset: Vec::new(),
    };
    let mut user_id = None;
    loop {
        let name = match words.next()? {
            Word::Flag(name) => name,
            Word::End => break,
            // gen takes no positional argument: clap's error.
            Word::Value(_) => return None,
        };
        if shared_flag(name, words, &mut a.cred, &mut a.secret)? {
            continue;
        }
        match name {
            "user-id" => user_id = Some(words.value()?.to_owned()),
            "ttl" => a.ttl = Some(values::seconds(words.value()?).ok()?),
            "exp" => a.exp = Some(values::instant(words.value()?).ok()?),
            "now" => a.now = Some(values::instant(words.value()?).ok()?),
            "jti" => a.jti = Some(words.value()?.to_owned()),
            "no-iss" => a.no_iss = true,
            "allow-expired" => a.allow_expired = true,
            "allow-empty" => a.allow_empty = true,
            "out" => a.out = Some(PathBuf::from(words.value()?)),
            "claim" => a.claim.push(words.value()?.parse::<ClaimArg>().ok()?),
            _ => return None,
        }
    }
    if a.ttl.is_some() && a.exp.is_some() {
        return None;
    }
    a.user_id = Some(user_id?);
    finish_shared(env, &mut a.cred, &a.secret)?;
    Some(a)
}

fn check_args<'a, I: Iterator<Item = &'a str>>(
    words: &mut Words<'a, I>,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Option<CheckArgs> {
    if env(ENV_PLUGIN).is_some() {
        return None;
    }
    let mut a = CheckArgs {
        token: None,
        exact: false,
        plugin: Vec::new(),
        sdk: values::sdk_named(values::DEFAULT_SDK)?,
        leeway: values::seconds(values::DEFAULT_LEEWAY).ok()?,
        now: None,
        user_id: None,
        cred: CredArgs::default(),
        secret: SecretArgs::default(),
        require_signature: false,
    };
    loop {
        let name = match words.next()? {
            Word::End => break,
            Word::Value(v) if a.token.is_none() => {
                a.token = Some(v.to_owned());
                continue;
            }
            // A second token: clap's error.
            Word::Value(_) => return None,
            Word::Flag(name) => name,
        };
        if shared_flag(name, words, &mut a.cred, &mut a.secret)? {
            continue;
        }
        match name {
            "exact" => a.exact = true,
            "sdk" => {
                a.sdk = values::sdk_named(words.value()?)?;
            }
            "leeway" => a.leeway = values::seconds(words.value()?).ok()?,
            "now" => a.now = Some(values::instant(words.value()?).ok()?),
            "user-id" => a.user_id = Some(words.value()?.to_owned()),
            "require-signature" => a.require_signature = true,
            _ => return None,
        }
    }
    finish_shared(env, &mut a.cred, &a.secret)?;
    Some(a)
}

/// The process's environment, as clap reads it.
pub fn process_env(name: &str) -> Option<OsString> {
    std::env::var_os(OsStr::new(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;
    use proptest::prelude::*;

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    /// What clap gives, comparable with what the plain reader gives: the debug form (secrets
    /// redacted) and the secret's text.
    fn shown(c: &Cli) -> (String, Option<String>) {
        let secret = match &c.command {
            Command::Gen(a) => a.secret.secret.as_ref(),
            Command::Check(a) => a.secret.secret.as_ref(),
            _ => None,
        };
        (format!("{c:?}"), secret.map(|s| s.expose().to_owned()))
    }

    /// Asserts that the plain reader either declines `args` or reads them as clap does; returns
    /// whether it read them.
    fn agrees(args: &[&str]) -> bool {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let Some(plain) = parse(&args, &no_env) else {
            return false;
        };
        // The test process has none of mmjwt's variables set (CI and the README's test
        // command run it so); the integration tests cover them being set.
        for name in [ENV_APP_CODE, ENV_KEY_ID, ENV_PLUGIN] {
            assert!(
                std::env::var_os(name).is_none(),
                "unset {name} to run this test"
            );
        }
        let clap = Cli::try_parse_from(&args)
            .unwrap_or_else(|e| panic!("clap refused what the plain reader took: {args:?}: {e}"));
        assert_eq!(shown(&plain), shown(&clap), "{args:?}");
        true
    }

    #[test]
    fn the_usual_lines_are_read_as_clap_reads_them() {
        for args in crate::cli::USUAL_LINES.into_iter().chain([
            &["mmjwt", "check", "--secret-file", "k", "--json", "a.b.c"][..],
            &["mmjwt", "check"],
            &[
                "mmjwt",
                "gen",
                "--user-id",
                "-",
                "--json",
                "--color",
                "always",
            ],
            &[
                "mmjwt",
                "check",
                "--leeway",
                "30s",
                "--user-id",
                "alice",
                "--exact",
                "t",
            ],
            &[
                "mmjwt",
                "check",
                "--require-signature",
                "--app-code",
                "a",
                "--key-id",
                "k",
                "t",
            ],
            &["mmjwt", "check", "--secret", "0011", "t"],
            &[
                "mmjwt",
                "gen",
                "--user-id",
                "u",
                "--exp",
                "1700000000",
                "--now",
                "1600000000",
            ],
            &[
                "mmjwt",
                "gen",
                "--user-id",
                "u",
                "--jti",
                "j",
                "--no-iss",
                "--out",
                "f",
            ],
            &[
                "mmjwt",
                "gen",
                "--user-id",
                "u",
                "--allow-expired",
                "--allow-empty",
            ],
            &["mmjwt", "gen", "--secret-stdin", "--user-id", "u"],
        ]) {
            assert!(agrees(args), "{args:?} should be read without clap");
        }
    }

    #[test]
    fn what_clap_must_read_is_declined() {
        for args in [
            &["mmjwt", "check", "--help"][..],
            &["mmjwt", "check", "--version"],
            &["mmjwt", "check", "-h"],
            &["mmjwt", "check", "--sdk=ios", "t"],
            &["mmjwt", "check", "--", "t"],
            &["mmjwt", "check", "a", "b"],
            &["mmjwt", "check", "--json", "--json", "t"],
            &["mmjwt", "check", "--sdk", "IOS", "t"],
            &["mmjwt", "check", "--leeway", "5x", "t"],
            &["mmjwt", "check", "--now", "-5", "t"],
            &["mmjwt", "check", "--user-id", "", "t"],
            &["mmjwt", "check", "--plugin", "flutter", "t"],
            &["mmjwt", "check", "--bogus", "t"],
            &["mmjwt", "check", "--user-id", "a", "--user-id", "b"],
            &[
                "mmjwt",
                "check",
                "--secret",
                "00",
                "--secret-file",
                "f",
                "t",
            ],
            &["mmjwt", "gen"],
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
            &["mmjwt", "gen", "--user-id", "u", "extra"],
            &["mmjwt", "gen", "--user-id", "u", "--claim", "iat=1"],
            &["mmjwt", "gen", "--user-id", "u", "--color", "pink"],
            &["mmjwt", "keygen"],
            &["mmjwt", "--json"],
            &["mmjwt"],
        ] {
            assert!(!agrees(args), "{args:?} should go to clap");
        }
        let plugin_env = |name: &str| (name == ENV_PLUGIN).then(|| OsString::from("flutter"));
        let args: Vec<OsString> = ["mmjwt", "check", "t"].map(OsString::from).to_vec();
        assert!(parse(&args, &plugin_env).is_none());
    }

    #[test]
    fn the_environment_fills_what_the_line_leaves_out() {
        let env = |name: &str| match name {
            ENV_APP_CODE => Some(OsString::from("from-env")),
            ENV_KEY_ID => Some(OsString::new()),
            _ => None,
        };
        let args: Vec<OsString> = ["mmjwt", "gen", "--user-id", "u", "--app-code", "flag"]
            .map(OsString::from)
            .to_vec();
        let Some(Cli {
            command: Command::Gen(a),
            ..
        }) = parse(&args, &env)
        else {
            panic!("declined a plain gen line");
        };
        assert_eq!(a.cred.app_code.as_deref(), Some("flag"));
        assert_eq!(a.cred.key_id.as_deref(), Some(""));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

        /// Generated command lines: whenever the plain reader takes one, clap reads it alike.
        #[test]
        fn the_plain_reader_reads_as_clap(
            words in prop::collection::vec(prop_oneof![
                4 => Just("check"), 4 => Just("gen"), 1 => Just("keygen"), 1 => Just("help"),
                2 => Just("--json"), 2 => Just("--color"), 1 => Just("never"), 1 => Just("always"), 1 => Just("auto"),
                3 => Just("--user-id"), 2 => Just("alice"), 2 => Just("-"), 1 => Just("--"), 1 => Just(""),
                1 => Just("--ttl"), 1 => Just("15m"), 1 => Just("1x"), 1 => Just("--exp"), 1 => Just("--now"),
                1 => Just("1700000000"), 1 => Just("-5"), 1 => Just("--claim"), 1 => Just("k=v"), 1 => Just("k:=[1"),
                1 => Just("n:=2"), 1 => Just("--sdk"), 1 => Just("ios"), 1 => Just("android"), 1 => Just("both"),
                1 => Just("--leeway"), 1 => Just("--plugin"), 1 => Just("flutter"),
                1 => Just("--exact"), 1 => Just("--require-signature"), 2 => Just("--secret-file"),
                1 => Just("--secret"), 1 => Just("--secret-stdin"), 1 => Just("--app-code"), 1 => Just("--key-id"),
                1 => Just("--jti"), 1 => Just("--no-iss"), 1 => Just("--out"), 1 => Just("--allow-expired"),
                1 => Just("--allow-empty"), 1 => Just("--bogus"), 1 => Just("-x"), 1 => Just("-h"), 1 => Just("--help"),
                1 => Just("--version"), 1 => Just("--user-id=bob"), 2 => Just("eyJ.a.b"), 1 => Just("00ff"),
            ], 0..10)
        ) {
            let mut args = vec!["mmjwt"];
            args.extend(words);
            agrees(&args);
        }

        /// Lines built as scripts write them (a flag and a value that suits it, mostly), so
        /// that most are taken and compared, repeats and conflicts included.
        #[test]
        fn plain_lines_are_read_as_clap(
            before in prop::collection::vec(prop_oneof![Just(vec!["--json"]), Just(vec!["--color", "never"])], 0..2),
            name in prop_oneof![Just("gen"), Just("check")],
            items in prop::collection::vec(prop_oneof![
                2 => Just(vec!["--user-id", "alice"]), 1 => Just(vec!["--user-id", "-"]),
                1 => Just(vec!["--app-code", "app"]), 1 => Just(vec!["--key-id", "kid"]),
                1 => Just(vec!["--secret-file", "key.hex"]), 1 => Just(vec!["--secret-stdin"]),
                1 => Just(vec!["--secret", "00ff"]), 1 => Just(vec!["--json"]),
                1 => Just(vec!["--color", "always"]), 1 => Just(vec!["--color", "auto"]),
                1 => Just(vec!["--ttl", "1h"]), 1 => Just(vec!["--ttl", "90"]), 1 => Just(vec!["--exp", "2026-01-01T00:00:00Z"]),
                1 => Just(vec!["--now", "1700000000"]), 1 => Just(vec!["--jti", "j-1"]), 1 => Just(vec!["--no-iss"]),
                1 => Just(vec!["--claim", "plan=pro"]), 1 => Just(vec!["--claim", "n:=[1,2]"]), 1 => Just(vec!["--out", "t.jwt"]),
                1 => Just(vec!["--allow-expired"]), 1 => Just(vec!["--allow-empty"]),
                1 => Just(vec!["--sdk", "android"]), 1 => Just(vec!["--leeway", "1m30s"]), 1 => Just(vec!["--exact"]),
                1 => Just(vec!["--require-signature"]), 2 => Just(vec!["eyJ.a.b"]), 1 => Just(vec!["-"]),
            ], 0..7)
        ) {
            let mut args = vec!["mmjwt"];
            args.extend(before.into_iter().flatten());
            args.push(name);
            args.extend(items.into_iter().flatten());
            agrees(&args);
        }
    }
}
