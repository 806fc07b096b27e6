//! Finding the token in what an issuer answered: the whole text (one trailing newline allowed),
//! a well-known member of a JSON object, or the member `--json-pointer` names. The token is
//! taken exactly as found (no trimming, no `Bearer ` stripping): that is what the app would
//! hand to the SDK. Failure messages describe the answer's shape, never its values.

use crate::json::kind_of;
use serde_json::Value;

/// The JSON members looked for, in this order, when no pointer is given.
pub(crate) const MEMBERS: &[&str] = &["token", "jwt", "accessToken", "access_token", "userDataJwt"];

/// Where the token was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The whole answer was the token.
    Text,
    /// A JSON member (or pointer) held it.
    Json(String),
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Text => "text".into(),
            Origin::Json(at) => format!("JSON {at}"),
        }
    }
}

/// The token as the app would receive it, and where it was.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Extracted {
    pub token: String,
    pub origin: Origin,
}

impl std::fmt::Debug for Extracted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Extracted {{ token: <{} bytes>, origin: {:?} }}",
            self.token.len(),
            self.origin
        )
    }
}

/// Finds the token in `body`. `content_type` is the HTTP `Content-Type`, if any.
pub(crate) fn extract(
    body: &[u8],
    content_type: Option<&str>,
    pointer: Option<&str>,
) -> Result<Extracted, String> {
    let Ok(text) = std::str::from_utf8(body) else {
        return Err(format!("the answer ({} bytes) is not UTF-8", body.len()));
    };
    let mime = content_type
        .map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let json_like =
        mime == "application/json" || mime.ends_with("+json") || text.trim_start().starts_with('{');
    if pointer.is_some() || json_like {
        return from_json(text, pointer);
    }
    if mime == "text/html" || text.trim_start().starts_with('<') {
        return Err(format!(
            "the answer is an HTML page ({} bytes), not a token",
            body.len()
        ));
    }
    let token = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    if token.is_empty() {
        return Err("the answer is empty".into());
    }
    Ok(Extracted {
        token: token.to_string(),
        origin: Origin::Text,
    })
}

fn from_json(text: &str, pointer: Option<&str>) -> Result<Extracted, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "the answer is not valid JSON ({} bytes; {} at line {} column {})",
            text.len(),
            category(&e),
            e.line(),
            e.column()
        )
    })?;
    if let Some(p) = pointer {
        return match v.pointer(p) {
            Some(Value::String(s)) => Ok(Extracted {
                token: s.clone(),
                origin: Origin::Json(format!("pointer {p}")),
            }),
            Some(other) => Err(format!(
                "the JSON pointer {p} names {}, not a string",
                kind_of(other)
            )),
            None => Err(format!(
                "the JSON answer has nothing at pointer {p}{}",
                members_of(&v)
            )),
        };
    }
    let Value::Object(obj) = &v else {
        return Err(format!(
            "the JSON answer is {}, not an object with a token member (a bare JSON string is not taken apart: the app would have to decode it)",
            kind_of(&v)
        ));
    };
    for name in MEMBERS {
        match obj.get(*name) {
            Some(Value::String(s)) => {
                return Ok(Extracted {
                    token: s.clone(),
                    origin: Origin::Json(format!("member {name}")),
                });
            }
            Some(other) => {
                return Err(format!(
                    "the JSON member {name} is {}, not a string",
                    kind_of(other)
                ));
            }
            None => {}
        }
    }
    Err(format!(
        "no token in the JSON answer: none of the members {} (use --json-pointer){}",
        MEMBERS.join(", "),
        members_of(&v)
    ))
}

/// "; it has members a, b" (names only, at most eight, each cut short).
fn members_of(v: &Value) -> String {
    let Value::Object(obj) = v else {
        return String::new();
    };
    if obj.is_empty() {
        return "; it is an empty object".into();
    }
    let mut names: Vec<String> = obj
        .keys()
        .take(8)
        .map(|k| {
            let short: String = k.chars().take(32).filter(|c| !c.is_control()).collect();
            short
        })
        .collect();
    if obj.len() > 8 {
        names.push(format!("and {} more", obj.len() - 8));
    }
    format!("; it has members {}", names.join(", "))
}

fn category(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Eof => "it ends early",
        _ => "a syntax error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_allows_one_trailing_newline_and_nothing_else_is_removed() {
        let e = extract(b"a.b.c\n", None, None).unwrap();
        assert_eq!((e.token.as_str(), e.origin), ("a.b.c", Origin::Text));
        assert_eq!(extract(b"a.b.c\r\n", None, None).unwrap().token, "a.b.c");
        assert_eq!(extract(b"a.b.c\n\n", None, None).unwrap().token, "a.b.c\n");
        assert_eq!(extract(b" a.b.c", None, None).unwrap().token, " a.b.c");
        assert_eq!(
            extract(b"Bearer a.b.c", Some("text/plain"), None)
                .unwrap()
                .token,
            "Bearer a.b.c"
        );
        assert_eq!(
            extract(b"\n", None, None).unwrap_err(),
            "the answer is empty"
        );
        assert!(
            extract(b"\xffa", None, None)
                .unwrap_err()
                .contains("not UTF-8")
        );
        assert!(
            extract(b"<html>login</html>", None, None)
                .unwrap_err()
                .contains("HTML page")
        );
    }

    #[test]
    fn json_members_in_order_and_pointers() {
        let e = extract(br#"{"jwt":"x.y.z","token":"a.b.c"}"#, None, None).unwrap();
        assert_eq!(e.token, "a.b.c");
        assert_eq!(e.origin.describe(), "JSON member token");
        for name in MEMBERS {
            let body = format!(r#"{{"{name}":"Bearer t"}}"#);
            assert_eq!(
                extract(body.as_bytes(), None, None).unwrap().token,
                "Bearer t"
            );
        }
        let e = extract(
            br#"{"data":{"auth":["t.o.k"]}}"#,
            Some("text/plain"),
            Some("/data/auth/0"),
        )
        .unwrap();
        assert_eq!(e.token, "t.o.k");
        assert_eq!(e.origin, Origin::Json("pointer /data/auth/0".into()));
    }

    #[test]
    fn json_failures_name_the_shape_not_the_values() {
        let e = extract(br#"{"tok":"secret.value.here","n":1}"#, None, None).unwrap_err();
        assert!(e.contains("members tok, n"), "{e}");
        assert!(!e.contains("secret.value"), "{e}");
        let e = extract(br#"{"token":42}"#, None, None).unwrap_err();
        assert_eq!(e, "the JSON member token is a number, not a string");
        let e = extract(br#""a.b.c""#, Some("application/json"), None).unwrap_err();
        assert!(e.contains("a string, not an object"), "{e}");
        let e = extract(br#"{"token": "a.b"#, None, None).unwrap_err();
        assert!(
            e.contains("not valid JSON") && e.contains("ends early"),
            "{e}"
        );
        let e = extract(br#"{"a":{}}"#, None, Some("/a/b")).unwrap_err();
        assert!(e.contains("nothing at pointer /a/b"), "{e}");
        let e = extract(br#"{"a":[1]}"#, None, Some("/a")).unwrap_err();
        assert!(e.contains("an array, not a string"), "{e}");
        let e = extract(b"{}", None, None).unwrap_err();
        assert!(e.ends_with("it is an empty object"), "{e}");
    }
}
