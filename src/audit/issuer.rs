//! Asking the issuer for one user's token: a GET to the `--url` template through replay's HTTP
//! client (no redirects, connect and total timeouts, a body cap), or a run of the `--exec`
//! program without a shell. Every outcome is data. What an answer carried is described by its
//! shape and a short excerpt from which known credentials and token-like text are removed;
//! a body is never shown in full.

use super::template::{ExecTemplate, UrlTemplate};
use crate::replay::client::{Client, FailureKind, Headers, Outcome, check_header, show_duration};
use std::time::{Duration, Instant};

/// Bytes read from an `--exec` program's stdout or stderr at most.
pub(crate) const MAX_EXEC_OUTPUT: usize = 1 << 20;

/// What the issuer gave back, before the token is looked for.
#[derive(Clone)]
pub(crate) struct Answer {
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    /// The HTTP status (`None` for `--exec`).
    pub status: Option<u16>,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Answer {{ body: <{} bytes>, content_type: {:?}, status: {:?} }}",
            self.body.len(),
            self.content_type,
            self.status
        )
    }
}

/// Why no usable answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// One line, credentials removed.
    pub reason: String,
    /// True when the issuer was not reached at all (refused, DNS, TLS, a program that cannot
    /// be started); a timeout or a bad answer means it was reached.
    pub unreachable: bool,
    /// The HTTP status, when one arrived.
    pub status: Option<u16>,
}

/// One fetch: the outcome, how long it took, and this machine's clock (Unix seconds) at the
/// moment the answer was complete.
#[derive(Debug, Clone)]
pub(crate) struct Fetch {
    pub result: Result<Answer, Failure>,
    pub elapsed: Duration,
    pub received_at: i64,
}

/// Values that must never appear in a report: `--header` values and the secret's hex.
#[derive(Clone, Default)]
pub(crate) struct Scrub {
    needles: Vec<String>,
}

impl std::fmt::Debug for Scrub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrub(<{} values>)", self.needles.len())
    }
}

impl Scrub {
    /// Values shorter than four characters are not worth hunting (and would mangle text).
    pub(crate) fn add(&mut self, value: &str) {
        let v = value.trim();
        if v.chars().count() >= 4 {
            self.needles.push(v.to_string());
        }
    }

    /// `text` with every known value replaced (ASCII case-insensitively, for hex).
    pub(crate) fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for n in &self.needles {
            out = replace_ignore_ascii_case(&out, n, "[redacted]");
        }
        out
    }
}

fn replace_ignore_ascii_case(text: &str, needle: &str, with: &str) -> String {
    let lower_text = text.to_ascii_lowercase();
    let lower_needle = needle.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    // ASCII lowering keeps byte offsets, so positions found in the copy index the original.
    for (i, _) in lower_text.match_indices(&lower_needle) {
        if i < last {
            continue;
        }
        out.push_str(&text[last..i]);
        out.push_str(with);
        last = i + needle.len();
    }
    out.push_str(&text[last..]);
    out
}

/// A few words about a body for a failure message: its size and either its JSON members'
/// names or the start of its first line, with token-like runs and known values removed.
pub(crate) fn describe_body(body: &[u8], scrub: &Scrub) -> String {
    if body.is_empty() {
        return "the body is empty".into();
    }
    let text = String::from_utf8_lossy(body);
    if let Ok(serde_json::Value::Object(obj)) = serde_json::from_str::<serde_json::Value>(&text) {
        let names: Vec<String> = obj
            .keys()
            .take(8)
            .map(|k| scrub.apply(&printable(k, 32)))
            .collect();
        return format!(
            "the body is {} bytes of JSON with members {}",
            body.len(),
            if names.is_empty() {
                "(none)".to_string()
            } else {
                names.join(", ")
            }
        );
    }
    let first = text.lines().next().unwrap_or("");
    let excerpt = scrub.apply(&hide_tokens(&printable(first, 60)));
    format!("the body is {} bytes: \"{excerpt}\"", body.len())
}

/// At most `max` characters, control characters shown as `\u{..}` (no terminal escapes).
pub(crate) fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Replaces runs that look like a JWT (`eyJ` and base64url characters) with `[token]`.
fn hide_tokens(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("eyJ") {
        out.push_str(&rest[..i]);
        let run = rest[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(rest.len() - i);
        out.push_str("[token]");
        rest = &rest[i + run..];
    }
    out.push_str(rest);
    out
}

/// Where tokens come from.
#[derive(Debug)]
pub(crate) enum Issuer {
    Http {
        template: UrlTemplate,
        headers: Headers,
        client: Client,
    },
    Exec {
        template: ExecTemplate,
        timeout: Duration,
    },
}

/// `Name: value` pairs checked for HTTP; their Debug output shows names only. Errors name
/// the header, never the value.
pub(crate) fn header_map(headers: &[(String, String)]) -> Result<Headers, String> {
    for (name, value) in headers {
        check_header(name, value).map_err(|e| format!("--header: {e}"))?;
    }
    Ok(Headers(headers.to_vec()))
}

impl Issuer {
    /// What the report calls the issuer.
    pub(crate) fn describe(&self) -> String {
        match self {
            Issuer::Http { template, .. } => format!("GET {}", template.display()),
            Issuer::Exec { template, .. } => format!("exec {}", printable(template.program(), 80)),
        }
    }

    /// Asks for `user`'s token.
    pub(crate) async fn fetch(&self, user: &str, scrub: &Scrub) -> Fetch {
        let start = Instant::now();
        let result = match self {
            Issuer::Http {
                template,
                headers,
                client,
            } => http(client, &template.render(user), headers, scrub).await,
            Issuer::Exec { template, timeout } => exec(template, user, *timeout, scrub).await,
        };
        Fetch {
            result,
            elapsed: start.elapsed(),
            received_at: crate::time::now_unix(),
        }
    }
}

async fn http(
    client: &Client,
    url: &str,
    headers: &Headers,
    scrub: &Scrub,
) -> Result<Answer, Failure> {
    match client.get(url, headers).await {
        Outcome::Failed(f) => Err(Failure {
            reason: scrub.apply(&f.message),
            unreachable: !matches!(f.kind, FailureKind::Timeout | FailureKind::Other),
            status: None,
        }),
        Outcome::Response(r) => {
            if let Some(problem) = &r.body_problem {
                return Err(Failure {
                    reason: scrub.apply(problem),
                    unreachable: false,
                    status: Some(r.status),
                });
            }
            if !(200..300).contains(&r.status) {
                let redirect = if (300..400).contains(&r.status) {
                    " (redirects are not followed)"
                } else {
                    ""
                };
                return Err(Failure {
                    reason: format!(
                        "HTTP {} {}{redirect}; {}",
                        r.status,
                        r.reason,
                        describe_body(&r.body, scrub)
                    )
                    .replace("  ", " "),
                    unreachable: false,
                    status: Some(r.status),
                });
            }
            Ok(Answer {
                content_type: r.header("content-type").map(str::to_string),
                status: Some(r.status),
                body: r.body,
            })
        }
    }
}

async fn exec(
    template: &ExecTemplate,
    user: &str,
    timeout: Duration,
    scrub: &Scrub,
) -> Result<Answer, Failure> {
    use std::process::Stdio;
    let argv = template.render(user);
    let program = printable(template.program(), 80);
    let mut cmd = tokio::process::Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .env("MMJWT_AUDIT_USER", user)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(|e| Failure {
        reason: format!("cannot start {program}: {}", io_reason(&e)),
        unreachable: true,
        status: None,
    })?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let work = async move {
        // Both pipes are drained at once, or a program that fills one while mmjwt waits on
        // the other would never finish. (The task ends when the child does: its pipe closes.)
        let err = tokio::spawn(read_capped(stderr));
        let out = read_capped(stdout).await;
        let err = err.await.unwrap_or_default();
        let status = child.wait().await;
        (out, err, status)
    };
    // On a timeout the future is dropped, and with it the child, which kill_on_drop kills.
    let Ok((out, err, status)) = tokio::time::timeout(timeout, work).await else {
        return Err(Failure {
            reason: format!(
                "{program} did not finish within {} (--timeout); it was killed",
                show_duration(timeout)
            ),
            unreachable: false,
            status: None,
        });
    };
    let status = status.map_err(|e| Failure {
        reason: format!("waiting for {program} failed: {}", io_reason(&e)),
        unreachable: false,
        status: None,
    })?;
    let (out, out_cut) = out;
    let (err, _) = err;
    if !status.success() {
        let how = match status.code() {
            Some(c) => format!("exited with status {c}"),
            None => "was killed by a signal".to_string(),
        };
        let stderr_line = String::from_utf8_lossy(&err);
        let first = stderr_line.lines().find(|l| !l.trim().is_empty());
        let said = match first {
            Some(l) => format!(
                "; stderr: \"{}\"",
                scrub.apply(&hide_tokens(&printable(l.trim(), 60)))
            ),
            None => String::new(),
        };
        return Err(Failure {
            reason: format!("{program} {how}{said}"),
            unreachable: false,
            status: None,
        });
    }
    if out_cut {
        return Err(Failure {
            reason: format!(
                "{program} wrote more than {} KiB on stdout",
                MAX_EXEC_OUTPUT >> 10
            ),
            unreachable: false,
            status: None,
        });
    }
    Ok(Answer {
        body: out,
        content_type: None,
        status: None,
    })
}

/// An I/O error's reason without the OS error number.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Reads at most [`MAX_EXEC_OUTPUT`] bytes; the flag says whether there was more.
async fn read_capped(pipe: Option<impl tokio::io::AsyncRead + Unpin>) -> (Vec<u8>, bool) {
    use tokio::io::AsyncReadExt as _;
    let Some(pipe) = pipe else {
        return (Vec::new(), false);
    };
    let mut buf = Vec::new();
    let _ = pipe
        .take(MAX_EXEC_OUTPUT as u64 + 1)
        .read_to_end(&mut buf)
        .await;
    let cut = buf.len() > MAX_EXEC_OUTPUT;
    buf.truncate(MAX_EXEC_OUTPUT);
    (buf, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_known_values_in_any_ascii_case() {
        let mut s = Scrub::default();
        s.add("ABCDEF0123");
        s.add("ab");
        assert_eq!(
            s.apply("x abcdef0123 y ABCDEF0123"),
            "x [redacted] y [redacted]"
        );
        assert_eq!(s.apply("ab"), "ab");
    }

    #[test]
    fn bodies_are_described_not_shown() {
        let mut s = Scrub::default();
        s.add("sentinel-header");
        assert_eq!(
            describe_body(br#"{"error":"x","token":"eyJ..."}"#, &s),
            "the body is 30 bytes of JSON with members error, token"
        );
        assert_eq!(
            describe_body(
                b"boom eyJhbGc.eyJz.sig and sentinel-header\nsecond line",
                &s
            ),
            "the body is 53 bytes: \"boom [token] and [redacted]\""
        );
        assert_eq!(describe_body(b"", &s), "the body is empty");
        let long = "y".repeat(500);
        let d = describe_body(long.as_bytes(), &s);
        assert!(d.len() < 100 && d.ends_with("…\""), "{d}");
        assert_eq!(printable("a\u{1b}[31mb", 10), "a\\u{1b}[31mb");
    }

    #[test]
    fn header_values_are_hidden_from_debug_and_errors() {
        let m = header_map(&[("X-Api-Key".into(), "hush-hush".into())]).unwrap();
        assert!(!format!("{m:?}").contains("hush"));
        let e = header_map(&[("X-Api-Key".into(), "bad\nhush".into())]).unwrap_err();
        assert!(!e.contains("hush"), "{e}");
        assert!(header_map(&[("bad name".into(), "v".into())]).is_err());
    }
}
