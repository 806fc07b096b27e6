//! The snapshot harness: a run of the binary rendered as one document (command, variables,
//! stdin, exit code, stdout, stderr), compared with a file under `tests/snapshots/`, with named
//! redactions for what varies between runs and a line diff on a mismatch; and the pieces for
//! snapshotting a `mmjwt sandbox` child (requests that wait for their log line, SIGTERM, the
//! whole output). The snapshot tests themselves are in `tests/it/snapshots.rs`.
//!
//! `SNAPSHOTS=overwrite` rewrites mismatching files (never under `CI=true`); anything else
//! verifies and fails with a readable diff. The binary is run through `assert_cmd`, as in
//! every other test, so the harness needs no snapshot library of its own.

use super::sandbox_process::Running;
use super::{HEADER, SECRET_HEX, mmjwt, payload, raw_exchange, signed, test_key};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The reference credentials as the environment of a snapshot run (the secret is not shown).
const CRED_ENV: [(&str, &str); 3] = [
    ("MMJWT_SECRET", SECRET_HEX),
    ("MMJWT_APP_CODE", "test-app-code"),
    ("MMJWT_KEY_ID", "test-key-id"),
];

/// Where the snapshot files live.
pub fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// What a comparison does with a snapshot that differs: fail with the diff, or rewrite it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Verify,
    Overwrite,
}

/// `SNAPSHOTS=overwrite` rewrites mismatching snapshots; anything else verifies (there is no
/// way to skip one: a snapshot test that cannot fail is no test), and CI never overwrites.
pub fn action() -> Action {
    let overwrite = std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite");
    let ci = std::env::var_os("CI").is_some_and(|v| v == "true");
    assert!(
        !(overwrite && ci),
        "SNAPSHOTS=overwrite under CI=true: snapshots are updated by people, never by CI"
    );
    if overwrite {
        Action::Overwrite
    } else {
        Action::Verify
    }
}

/// Compares `text` with the snapshot file `name` (a path under `tests/snapshots/`, without
/// `.txt`), after the redactions. Returns the readable diff on a mismatch (or writes the file
/// under `SNAPSHOTS=overwrite`).
pub fn compare(name: &str, text: &str, redactions: &Redactions) -> Result<(), String> {
    compare_with(action(), name, text, redactions)
}

/// [`compare`] with the action given. Output is compared byte for byte (line endings aside):
/// `\` is content here (JSON escapes), not a path separator to normalise.
pub fn compare_with(
    action: Action,
    name: &str,
    text: &str,
    redactions: &Redactions,
) -> Result<(), String> {
    let path = snapshot_dir().join(format!("{name}.txt"));
    let actual = redactions.redact(&text.replace("\r\n", "\n"));
    let expected = std::fs::read_to_string(&path).map(|e| e.replace("\r\n", "\n"));
    if expected.as_deref().is_ok_and(|e| *e == actual) {
        return Ok(());
    }
    if action == Action::Overwrite {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return Ok(());
    }
    let shown = match &expected {
        Ok(e) => line_diff(e, &actual),
        Err(e) => format!("the file cannot be read ({e}); the output is:\n{actual}"),
    };
    Err(format!(
        "snapshot {name} differs ({}):\n--- tests/snapshots/{name}.txt\n+++ the output of {name}\n{shown}",
        path_hint(name)
    ))
}

/// The lines that differ, `-` for the file's and `+` for the output's, each run with up to
/// three unchanged lines around it; runs apart are separated by `@@ line N @@` (N in the file).
fn line_diff(expected: &str, actual: &str) -> String {
    const CONTEXT: usize = 3;
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    // lcs[i][j]: the longest common subsequence of e[i..] and a[j..].
    let mut lcs = vec![vec![0u32; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if e[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // The edit script: (sign, line in the file, text).
    let mut script = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            script.push((' ', i, e[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < e.len() && (j == a.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            script.push(('-', i, e[i]));
            i += 1;
        } else {
            script.push(('+', i, a[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        script[k.saturating_sub(CONTEXT)..(k + CONTEXT + 1).min(script.len())]
            .iter()
            .any(|s| s.0 != ' ')
    };
    let mut out = String::new();
    let mut last_shown = None;
    for (k, (sign, line, text)) in script.iter().enumerate() {
        if !near_change(k) {
            continue;
        }
        if last_shown.is_none_or(|l| l + 1 != k) {
            writeln!(out, "@@ line {} @@", line + 1).unwrap();
        }
        writeln!(out, "{sign}{text}").unwrap();
        last_shown = Some(k);
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the final newline differs)\n");
    }
    out
}

fn path_hint(name: &str) -> String {
    format!(
        "tests/snapshots/{name}.txt; if the change is intended, run `SNAPSHOTS=overwrite cargo test --locked --test integration snapshot` and read the diff"
    )
}

#[track_caller]
pub fn assert_snapshot(name: &str, text: &str, redactions: &Redactions) {
    if let Err(e) = compare(name, text, redactions) {
        panic!("{e}");
    }
}

/// What varies between runs, each replaced by its named placeholder (`[PORT]`) before a
/// comparison. Values are replaced before patterns, longer ones first, so that a value inside
/// another is not replaced on its own.
#[derive(Clone, Default)]
pub struct Redactions {
    values: Vec<(String, &'static str)>,
    patterns: Vec<(regex::Regex, &'static str)>,
}

impl Redactions {
    pub fn new() -> Redactions {
        Redactions::default()
    }

    /// Every occurrence of `value` becomes `placeholder`; an empty value redacts nothing.
    pub fn insert_value(&mut self, placeholder: &'static str, value: String) {
        check_placeholder(placeholder);
        if !value.is_empty() {
            self.values.push((value, placeholder));
            self.values
                .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
    }

    /// The named group `redacted` (or the whole match) of each match of `re` becomes
    /// `placeholder`.
    pub fn insert_pattern(&mut self, placeholder: &'static str, re: regex::Regex) {
        check_placeholder(placeholder);
        self.patterns.push((re, placeholder));
        let key = |r: &regex::Regex| (std::cmp::Reverse(r.as_str().len()), r.as_str().to_owned());
        self.patterns.sort_by_key(|p| key(&p.0));
    }

    /// `text` with every redaction applied.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (value, placeholder) in &self.values {
            replace_all(&mut text, placeholder, |rest| {
                rest.find(value.as_str()).map(|at| at..at + value.len())
            });
        }
        for (re, placeholder) in &self.patterns {
            replace_all(&mut text, placeholder, |rest| {
                let c = re.captures(rest)?;
                Some(c.name("redacted").or_else(|| c.get(0))?.range())
            });
        }
        text
    }
}

/// A placeholder is `[NAME]`, NAME in capitals and `_`, so that it cannot be mistaken for output.
fn check_placeholder(placeholder: &str) {
    let name = placeholder
        .strip_prefix('[')
        .and_then(|p| p.strip_suffix(']'))
        .unwrap_or_else(|| panic!("placeholder {placeholder} is not in []"));
    assert!(
        !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
        "placeholder {placeholder} is not [CAPITALS]"
    );
}

/// Replaces each range `find` gives in the text after the previous replacement.
fn replace_all(
    text: &mut String,
    placeholder: &str,
    find: impl Fn(&str) -> Option<std::ops::Range<usize>>,
) {
    let mut from = 0;
    while let Some(r) = find(&text[from..]) {
        text.replace_range(from + r.start..from + r.end, placeholder);
        from += r.start + placeholder.len();
    }
}

/// Redactions with named placeholders. Only what varies between runs goes here.
#[derive(Default)]
pub struct Redact(pub Redactions);

impl Redact {
    /// Every occurrence of `value` becomes `placeholder`.
    pub fn value(mut self, placeholder: &'static str, value: impl Into<String>) -> Redact {
        self.0.insert_value(placeholder, value.into());
        self
    }

    /// The named group `redacted` (or the whole match) of `re` becomes `placeholder`.
    pub fn pattern(mut self, placeholder: &'static str, re: &str) -> Redact {
        self.0
            .insert_pattern(placeholder, regex::Regex::new(re).unwrap());
        self
    }

    /// The port of a server on 127.0.0.1:0, wherever its address appears.
    pub fn port(self, port: &str) -> Redact {
        self.pattern("[PORT]", &format!(r"127\.0\.0\.1:(?<redacted>{port})\b"))
    }

    /// Durations a run measures: `(0.4 ms)`, `7 ms`, `p50 4.0 ms`, `0.05 s`, `58.4 requests/s`.
    pub fn timings(self) -> Redact {
        self.pattern("[MS]", r"(?<redacted>\b\d+(\.\d+)?) ms\b")
            .pattern("[SECONDS]", r"in (?<redacted>\d+(\.\d+)?) s\b")
            .pattern("[RATE]", r"(?<redacted>\b\d+(\.\d+)?) requests/s")
            .pattern("[MS]", r#""ms":(?<redacted>[0-9.]+)"#)
    }
}

/// One run of the binary, as the snapshot shows it.
pub struct Run {
    args: Vec<String>,
    /// Variables set for the run.
    pub env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
}

pub fn run(args: &[&str]) -> Run {
    Run {
        args: args.iter().map(|s| (*s).to_owned()).collect(),
        env: Vec::new(),
        stdin: None,
    }
}

impl Run {
    /// With `key=value` in the environment (a value is shown unless the name says SECRET).
    pub fn env(mut self, key: &str, value: &str) -> Run {
        self.env.push((key.into(), value.into()));
        self
    }

    /// With the reference credentials in the environment.
    pub fn creds(mut self) -> Run {
        for (k, v) in CRED_ENV {
            self.env.push((k.into(), v.into()));
        }
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Run {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs the binary with a clean environment (no terminal, fixed width, no colour variables).
    pub fn output(&self) -> Output {
        let mut c = mmjwt();
        // clap wraps help at $COLUMNS when set; without a terminal it uses 100 columns.
        c.env_remove("COLUMNS").env_remove("RUST_BACKTRACE");
        // Every variable a flag falls back to, also those added after `mmjwt()`'s list was made.
        for v in flag_env_vars() {
            c.env_remove(v);
        }
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c.args(&self.args);
        c.write_stdin(self.stdin.clone().unwrap_or_default());
        c.output().unwrap()
    }

    /// Runs and compares with snapshot `name`.
    #[track_caller]
    pub fn snapshot(&self, name: &str, redact: Redact) {
        let out = self.output();
        assert_snapshot(name, &self.render(&out), &redact.0);
    }

    /// The command, its input, its exit code, stdout and stderr as one document.
    pub fn render(&self, out: &Output) -> String {
        let mut doc = self.render_header();
        doc.push_str(&render_output(out));
        doc
    }

    /// The command as run, the variables set (a secret's value hidden), and stdin.
    pub fn render_header(&self) -> String {
        let mut doc = String::new();
        let shown: Vec<String> = self.args.iter().map(|a| shell_quote(a)).collect();
        writeln!(doc, "$ mmjwt {}", visible(&shown.join(" "))).unwrap();
        if !self.env.is_empty() {
            // Values are shown, except a secret's: the file says which variable was set.
            let vars: Vec<String> = self
                .env
                .iter()
                .map(|(k, v)| {
                    if k.contains("SECRET") {
                        format!("{k}=<not shown>")
                    } else {
                        format!("{k}={}", shell_quote(v))
                    }
                })
                .collect();
            writeln!(doc, "env: {}", vars.join(" ")).unwrap();
        }
        if let Some(input) = &self.stdin {
            doc.push_str(&section("stdin", input));
        }
        doc
    }
}

/// The environment variables named by any flag of any command (`#[arg(env = ...)]`).
pub fn flag_env_vars() -> Vec<std::ffi::OsString> {
    fn walk(cmd: &clap::Command, out: &mut Vec<std::ffi::OsString>) {
        out.extend(
            cmd.get_arguments()
                .filter_map(|a| a.get_env().map(ToOwned::to_owned)),
        );
        for sub in cmd.get_subcommands() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&mmjwt::cli::command(), &mut out);
    out.sort();
    out.dedup();
    out
}

/// Exit code, stdout and stderr.
pub fn render_output(out: &Output) -> String {
    let code = out
        .status
        .code()
        .map_or_else(|| "killed by a signal".to_owned(), |c| c.to_string());
    format!(
        "exit: {code}\n{}{}",
        section("stdout", &out.stdout),
        section("stderr", &out.stderr)
    )
}

/// A `--- NAME` section: text as it is, escape sequences made visible as `␛`, other invisible
/// characters as `⟨U+XXXX⟩`, a missing final newline said.
fn section(name: &str, bytes: &[u8]) -> String {
    let text = visible(&String::from_utf8_lossy(bytes));
    if text.is_empty() {
        return format!("--- {name}: empty\n");
    }
    let mut s = format!("--- {name}\n{text}");
    if !text.ends_with('\n') {
        s.push_str("\n[no newline at the end]\n");
    }
    s
}

/// Characters a reader (or an editor trimming whitespace) would lose, spelled out: ESC as `␛`,
/// other control characters and non-ASCII blanks (no-break and zero-width spaces, BOM) as
/// `⟨U+XXXX⟩`. Newlines, tabs and ASCII spaces stay as they are.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let invisible = (c.is_control() && c != '\n' && c != '\t')
            || (c.is_whitespace() && !c.is_ascii())
            || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}');
        match c {
            '\u{1b}' => out.push('␛'),
            _ if invisible => write!(out, "⟨U+{:04X}⟩", u32::from(c)).unwrap(),
            _ => out.push(c),
        }
    }
    out
}

fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// `mmjwt sandbox --listen 127.0.0.1:0 ARGS` as a child (with the test credentials when
/// `creds`), and the `Run` that shows the command in the snapshot.
pub fn sandbox_child(args: &[&str], creds: bool) -> (Run, Running) {
    let mut all = vec!["sandbox", "--listen", "127.0.0.1:0"];
    all.extend_from_slice(args);
    let shown = if creds { run(&all).creds() } else { run(&all) };
    let env: Vec<(&str, &str)> = shown
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let child = Running::start(args, &env);
    // `Running::start` waits for the "listening on" line; the debugger page line follows it
    // (unless --no-ui), and a request's log line must not overtake it either.
    if !args.contains(&"--no-ui") {
        child
            .next_line_where(|l| l.starts_with("mmjwt: sandbox: token debugger page at "))
            .expect("the sandbox did not name its debugger page within 10 s");
    }
    (shown, child)
}

/// One HTTP/1.1 request on its own connection; returns the status line once the request's log
/// line is out. The log has a writer thread of its own, so going by responses alone could let
/// one request's line come after the next one's or after the shutdown line.
pub fn logged_request(
    sb: &Running,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<&str>,
) -> String {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if let Some(a) = auth {
        write!(req, "Authorization: {a}\r\n").unwrap();
    }
    let body = body.unwrap_or("");
    if !body.is_empty() {
        write!(
            req,
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        )
        .unwrap();
    }
    req.push_str("\r\n");
    req.push_str(body);
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], sb.port()));
    let reply = raw_exchange(addr, req.as_bytes());
    // Its log line (text or JSON; never one of the `mmjwt:` diagnostics).
    sb.next_line_where(|l| !l.starts_with("mmjwt: "))
        .unwrap_or_else(|| panic!("no log line for {method} {path} within 10 s"));
    reply.lines().next().unwrap_or("").to_owned()
}

/// SIGTERM, then the exit code, stdout and stderr as the snapshot shows them, and stderr.
pub fn stop(sb: Running) -> (String, String) {
    sb.signal("TERM");
    let (status, stdout, stderr) = sb.finish_all();
    let out = Output {
        status,
        stdout: stdout.into_bytes(),
        stderr: stderr.clone().into_bytes(),
    };
    (render_output(&out), stderr)
}

/// Redactions for a sandbox child: its port, log timestamps and durations.
pub fn child_redactions(sb: &Running) -> Redact {
    Redact::default()
        .port(&sb.port().to_string())
        .pattern("[TIME]", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
        .timings()
}

/// A token the child (which runs on the system clock) accepts now.
pub fn fresh_token(sub: &str) -> String {
    let now = mmjwt::time::now_unix();
    signed(HEADER, &payload(sub, now - 5, now + 600), &test_key())
}
