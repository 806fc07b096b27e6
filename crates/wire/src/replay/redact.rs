//! Credentials as `replay` shows them: `Bearer <redacted: kid=..., N bytes>` and
//! `App <redacted: N bytes>`, never the token or the application code, unless the user asks
//! with `--show-secrets`. Also a last-line scrub for free text (error messages).

use super::request::{AUTHORIZATION, Auth};

/// How to show credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    Redacted,
    /// `--show-secrets`: everything as sent.
    Everything,
}

/// The Authorization value to display.
pub(crate) fn auth_value(auth: &Auth, show: Show) -> String {
    if show == Show::Everything {
        return auth.header_value();
    }
    match auth {
        Auth::Bearer(t) => format!("Bearer <redacted: kid={}, {} bytes>", kid_of(t), t.len()),
        Auth::App(c) => format!("App <redacted: {} bytes>", c.len()),
    }
}

/// A header value to display: only Authorization is a credential.
pub fn header_value(name: &str, value: &str, auth: &Auth, show: Show) -> String {
    if name.eq_ignore_ascii_case(AUTHORIZATION) {
        auth_value(auth, show)
    } else {
        value.to_string()
    }
}

/// The `kid` of a token's header, shortened and made printable; `?` when the header cannot
/// be read, `none` when it has no `kid`.
pub(crate) fn kid_of(token: &str) -> String {
    let Some(first) = token.split('.').next() else {
        return "?".into();
    };
    let Some((bytes, _)) = crate::b64::decode_lenient(first.trim()) else {
        return "?".into();
    };
    let Ok(serde_json::Value::Object(header)) = serde_json::from_slice::<serde_json::Value>(&bytes)
    else {
        return "?".into();
    };
    match header.get("kid") {
        None => "none".into(),
        Some(serde_json::Value::String(k)) => printable(k, 64),
        Some(other) => printable(&other.to_string(), 64),
    }
}

/// At most `max` characters, control and separator characters escaped so the value cannot
/// break a header line, a shell quote or a log line.
fn printable(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .take(max)
        .flat_map(|c| {
            if c.is_control() || c == ',' || c == '>' || c == '\'' {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if s.chars().count() > max {
        out.push('…');
    }
    out
}

/// Replaces every occurrence of the credential in `text` (free text such as error messages
/// that might quote a request) by a redaction marker.
pub fn scrub(text: &str, auth: &Auth) -> String {
    let secret = auth.credential();
    // Very short credentials would match ordinary words; they are not worth hiding there.
    if secret.len() < 6 {
        return text.to_string();
    }
    text.replace(secret, "<redacted>")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InRlc3Qta2V5LWlkIn0.eyJzdWIiOiJ4In0.c2ln";

    #[test]
    fn bearer_shows_kid_and_length_only() {
        let a = Auth::Bearer(TOKEN.into());
        let shown = auth_value(&a, Show::Redacted);
        assert_eq!(
            shown,
            format!("Bearer <redacted: kid=test-key-id, {} bytes>", TOKEN.len())
        );
        assert_eq!(auth_value(&a, Show::Everything), format!("Bearer {TOKEN}"));
    }

    #[test]
    fn app_shows_length_only() {
        let a = Auth::App("test-app-code".into());
        assert_eq!(auth_value(&a, Show::Redacted), "App <redacted: 13 bytes>");
        assert_eq!(
            header_value("authorization", "App test-app-code", &a, Show::Redacted),
            "App <redacted: 13 bytes>"
        );
        assert_eq!(header_value("Accept", "x", &a, Show::Redacted), "x");
    }

    #[test]
    fn odd_tokens() {
        assert_eq!(kid_of("not a token"), "?");
        assert_eq!(kid_of("e30.e30.x"), "none");
        // {"kid":"a,b>\n"} cannot break out of the marker.
        let h = crate::b64::encode(br#"{"kid":"a,b>'\n"}"#);
        let k = kid_of(&format!("{h}.e30.x"));
        assert!(
            !k.contains(',') && !k.contains('>') && !k.contains('\n') && !k.contains('\''),
            "{k}"
        );
    }

    #[test]
    fn scrub_removes_the_credential() {
        let a = Auth::Bearer(TOKEN.into());
        let s = scrub(&format!("failed: Bearer {TOKEN} at host"), &a);
        assert!(!s.contains(TOKEN));
        assert!(s.contains("<redacted>"));
    }
}
