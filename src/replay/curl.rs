//! `--curl`: the same request as a curl command line. Pure translation plus POSIX shell
//! quoting; the credential is redacted unless `--show-secrets`.

use super::redact::{self, Show};
use super::request::{Auth, Request};
use std::time::Duration;

/// The curl command for `req` sent to `url`.
pub(crate) fn command(
    req: &Request,
    url: &str,
    auth: &Auth,
    show: Show,
    timeout: Duration,
) -> String {
    let mut parts: Vec<String> = vec!["curl --silent --show-error".into()];
    // curl does not follow redirects by default, like mmjwt; the time limit is mmjwt's.
    let secs = timeout.as_secs_f64();
    parts.push(format!("--max-time {}", trim_float(secs)));
    match (req.method, req.body.is_some()) {
        ("GET", false) | ("POST", true) => {}
        (m, _) => parts.push(format!("--request {m}")),
    }
    if req
        .header("Accept-Encoding")
        .is_some_and(|v| v.contains("gzip"))
    {
        // The request asks for gzip, as Android's does; curl then inflates the answer too.
        parts.push("--compressed".into());
    }
    parts.push(quote(url));
    for (name, value) in &req.headers {
        let shown = redact::header_value(name, value, auth, show);
        parts.push(format!("--header {}", quote(&format!("{name}: {shown}"))));
    }
    if let Some(body) = &req.body {
        parts.push(format!("--data-raw {}", quote(body)));
    }
    parts.join(" \\\n  ") + "\n"
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Single-quotes `s` for a POSIX shell: `'` becomes `'\''`.
pub(crate) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::request::{self, Payload, PersonalizeFlags, Spec};
    use crate::replay::{Call, Platform, body};

    #[test]
    fn quoting() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn personalize_command() {
        let auth = Auth::Bearer("h.p.s".into());
        let p = body::Personalize::default().for_user("o'brien");
        let req = request::build(&Spec {
            call: Call::Personalize,
            platform: Platform::Ios,
            push_reg_id: "R",
            installation_id: None,
            app_code: "c",
            auth: &auth,
            foreground: true,
            session_id: None,
            user_agent: "UA",
            payload: Payload::Personalize(&p),
            flags: PersonalizeFlags::default(),
        });
        let url = req.url("http://127.0.0.1:1");
        let c = command(
            &req,
            &url,
            &auth,
            Show::Redacted,
            Duration::from_millis(2500),
        );
        assert!(c.starts_with("curl --silent --show-error \\\n  --max-time 2.5 \\\n  'http://127.0.0.1:1/mobile/1/appinstance/R/personalize?forceDepersonalize=0&keepAsLead=0&setDeviceAsPrimary=0'"), "{c}");
        assert!(
            c.contains("--header 'Authorization: Bearer <redacted: kid=?, 5 bytes>'"),
            "{c}"
        );
        assert!(
            c.contains(r#"--data-raw '{"userIdentity":{"externalUserId":"o'\''brien"}}'"#),
            "{c}"
        );
        assert!(!c.contains("--request"));
        let shown = command(&req, &url, &auth, Show::Everything, Duration::from_secs(10));
        assert!(shown.contains("'Authorization: Bearer h.p.s'"));
        assert!(shown.contains("--max-time 10 "));
    }
}
