//! The issuer templates: `--url` (where `{user}` becomes the percent-encoded user id) and
//! `--exec` (a command line split into words without a shell, `{user}` substituted inside the
//! words). Pure parsing and substitution; nothing here runs or sends anything.

use crate::replay::url::{Url, UrlError};

/// The placeholder both templates use.
pub(crate) const PLACEHOLDER: &str = "{user}";

/// A checked `--url` template.
#[derive(Clone, PartialEq, Eq)]
pub struct UrlTemplate {
    text: String,
}

/// Like the report, `Debug` leaves out the query and any `user:password@`.
impl std::fmt::Debug for UrlTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UrlTemplate({})", self.display())
    }
}

impl UrlTemplate {
    /// Checks the template: `http` or `https`, a host, `{user}` somewhere, and a valid URL once
    /// filled in. Messages never repeat the template (it may carry credentials).
    pub fn parse(text: &str) -> Result<UrlTemplate, String> {
        let text = text.trim();
        if !text.contains(PLACEHOLDER) {
            return Err(format!(
                "the URL template has no {PLACEHOLDER}: say where the user id goes, e.g. http://localhost:3000/mm-token?user={PLACEHOLDER}"
            ));
        }
        let t = UrlTemplate {
            text: text.to_string(),
        };
        let sample = t.render("sample-user");
        let url = Url::parse(&sample).map_err(|e| match e {
            UrlError::Scheme(found) => format!("the URL scheme {}", UrlError::scheme_rule(&found)),
            e => format!("not a valid URL: {e}"),
        })?;
        if url.fragment.is_some() {
            return Err("the URL has a #fragment, which is never sent".into());
        }
        Ok(t)
    }

    /// The URL for `user`: every `{user}` replaced by the percent-encoded id.
    pub fn render(&self, user: &str) -> String {
        self.text.replace(PLACEHOLDER, &percent_encode(user))
    }

    /// Scheme, host, port and path, for the report: the query (which may carry a key) and any
    /// user:password part are left out.
    pub fn display(&self) -> String {
        match Url::parse(&self.render("{user}")) {
            Ok(u) => {
                // The placeholder comes back encoded; show it as the user wrote it.
                let path = u.path.replace("%7Buser%7D", PLACEHOLDER);
                let query = if u.query.is_some() { "?…" } else { "" };
                format!("{}://{}{path}{query}", u.scheme, u.host_header())
            }
            Err(_) => "?".into(),
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so a user id is one path
/// segment or one query value whatever it holds (`/`, `+`, `%`, `&`, spaces, non-ASCII).
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

/// A checked `--exec` template: the program and its arguments.
#[derive(Clone, PartialEq, Eq)]
pub struct ExecTemplate {
    words: Vec<String>,
}

/// Arguments can carry anything (a token, a key): `Debug` shows the program only.
impl std::fmt::Debug for ExecTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ExecTemplate({} and {} arguments)",
            self.program(),
            self.words.len() - 1
        )
    }
}

impl ExecTemplate {
    /// Splits the command line the way a POSIX shell splits words, without expanding anything:
    /// single quotes keep everything, double quotes keep everything but `\"` and `\\`, a
    /// backslash outside quotes escapes the next character.
    pub fn parse(text: &str) -> Result<ExecTemplate, String> {
        let words = split_words(text)?;
        if words.is_empty() {
            return Err("the command is empty".into());
        }
        Ok(ExecTemplate { words })
    }

    /// The program and arguments for `user`, `{user}` replaced inside each word (a word stays
    /// one argument whatever the id holds).
    pub fn render(&self, user: &str) -> Vec<String> {
        self.words
            .iter()
            .map(|w| w.replace(PLACEHOLDER, user))
            .collect()
    }

    /// The program's name, for the report (arguments may carry anything).
    pub fn program(&self) -> &str {
        &self.words[0]
    }
}

fn split_words(text: &str) -> Result<Vec<String>, String> {
    #[derive(PartialEq)]
    enum Q {
        None,
        Single,
        Double,
    }
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut q = Q::None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match q {
            Q::Single => {
                if c == '\'' {
                    q = Q::None;
                } else {
                    cur.push(c);
                }
            }
            Q::Double => match c {
                '"' => q = Q::None,
                '\\' => match chars.next() {
                    Some(n @ ('"' | '\\')) => cur.push(n),
                    Some(n) => {
                        cur.push('\\');
                        cur.push(n);
                    }
                    None => return Err("the command ends inside double quotes".into()),
                },
                _ => cur.push(c),
            },
            Q::None => match c {
                '\'' => {
                    q = Q::Single;
                    in_word = true;
                }
                '"' => {
                    q = Q::Double;
                    in_word = true;
                }
                '\\' => {
                    let n = chars
                        .next()
                        .ok_or("the command ends with a lone backslash")?;
                    cur.push(n);
                    in_word = true;
                }
                c if c.is_whitespace() => {
                    if in_word {
                        words.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                }
                c => {
                    cur.push(c);
                    in_word = true;
                }
            },
        }
    }
    match q {
        Q::Single => return Err("the command has an unclosed single quote".into()),
        Q::Double => return Err("the command has an unclosed double quote".into()),
        Q::None => {}
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_encoded_as_one_component() {
        assert_eq!(percent_encode("alice"), "alice");
        assert_eq!(percent_encode("a b+c/d%e&f"), "a%20b%2Bc%2Fd%25e%26f");
        assert_eq!(percent_encode("Ž"), "%C5%BD");
        let t = UrlTemplate::parse("http://localhost:3000/t?user={user}&x=1").unwrap();
        assert_eq!(t.render("a+b"), "http://localhost:3000/t?user=a%2Bb&x=1");
        assert_eq!(t.display(), "http://localhost:3000/t?…");
        let t = UrlTemplate::parse("https://u:p@h.example/users/{user}/token").unwrap();
        assert_eq!(t.render("x/y"), "https://u:p@h.example/users/x%2Fy/token");
        assert_eq!(t.display(), "https://h.example/users/{user}/token");
        assert!(!format!("{t:?}").contains("u:p"));
    }

    #[test]
    fn bad_url_templates_are_refused_without_echoing_them() {
        for (t, want) in [
            ("http://localhost/token", "no {user}"),
            ("ftp://h/{user}", "scheme must be http or https"),
            ("http://:80/{user}", "valid URL"),
            ("http://h/{user}#frag", "fragment"),
            ("not a url {user}", "valid URL"),
        ] {
            let e = UrlTemplate::parse(t).unwrap_err();
            assert!(e.contains(want), "{t}: {e}");
            assert!(!e.contains("frag") || want == "fragment");
        }
    }

    #[test]
    fn commands_split_like_a_shell_without_expansion() {
        let t = ExecTemplate::parse(
            r#"node 'scripts/issue token.js' --user={user} "a \"b\" \$HOME" c\ d"#,
        )
        .unwrap();
        assert_eq!(
            t.render("Željko Šimić; rm -rf /"),
            vec![
                "node",
                "scripts/issue token.js",
                "--user=Željko Šimić; rm -rf /",
                r#"a "b" \$HOME"#,
                "c d"
            ]
        );
        assert_eq!(t.program(), "node");
        assert_eq!(ExecTemplate::parse("a ''").unwrap().words, vec!["a", ""]);
        assert!(ExecTemplate::parse("   ").unwrap_err().contains("empty"));
        assert!(
            ExecTemplate::parse("a 'b")
                .unwrap_err()
                .contains("single quote")
        );
        assert!(
            ExecTemplate::parse("a \"b")
                .unwrap_err()
                .contains("double quote")
        );
        assert!(
            ExecTemplate::parse("a \\")
                .unwrap_err()
                .contains("backslash")
        );
    }
}
