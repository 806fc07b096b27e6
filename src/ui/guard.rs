//! What makes the page safe on a port any local web page (and any DNS-rebound site) can
//! reach: the `Host` must be the sandbox's own loopback address or `localhost` with its port
//! (421 otherwise), an `Origin` must be the sandbox's own (403), API posts must be JSON (415),
//! and every answer carries the security headers: a Content-Security-Policy without inline
//! script or eval and without framing, `nosniff`, `no-referrer`, `no-store`. No CORS header
//! is ever sent, so no other origin can read an answer.

use super::PREFIX;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use std::net::{IpAddr, SocketAddr};

/// The page's policy: its own files only; no inline script or style, no eval, no plugins, no
/// framing, no form posts anywhere.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Why a request was refused before reaching a handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// 421: the Host is not this sandbox's own (DNS rebinding, or a proxy).
    Host(String),
    /// 403: another origin is calling.
    Origin(String),
    /// 415: an API post that is not JSON.
    ContentType(String),
}

impl Refusal {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Refusal::Host(_) => StatusCode::MISDIRECTED_REQUEST,
            Refusal::Origin(_) => StatusCode::FORBIDDEN,
            Refusal::ContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        }
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Refusal::Host(_) => "host",
            Refusal::Origin(_) => "origin",
            Refusal::ContentType(_) => "content-type",
        }
    }

    pub(crate) fn message(&self) -> &str {
        match self {
            Refusal::Host(m) | Refusal::Origin(m) | Refusal::ContentType(m) => m,
        }
    }
}

/// The `Host` values this sandbox answers to: its loopback address with its port, `localhost`
/// and the other loopback spelling with its port, and the bound address itself when it is a
/// specific one. Lower case, as hosts compare.
pub(crate) fn allowed_hosts(own: SocketAddr) -> Vec<String> {
    let port = own.port();
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    let ip = own.ip();
    if !ip.is_unspecified() && !ip.is_loopback() {
        hosts.push(match ip {
            IpAddr::V4(v4) => format!("{v4}:{port}"),
            IpAddr::V6(v6) => format!("[{v6}]:{port}"),
        });
    }
    hosts
}

/// Judges the request's headers (pure: `own` is the bound address, `None` before it is known).
pub(crate) fn judge(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    own: Option<SocketAddr>,
) -> Result<(), Refusal> {
    let Some(own) = own else {
        return Err(Refusal::Host(
            "the sandbox's address is not known yet".into(),
        ));
    };
    let allowed = allowed_hosts(own);
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let Some(host) = host.filter(|h| allowed.contains(h)) else {
        return Err(Refusal::Host(format!(
            "this page answers only to the Host {} (a different Host is how DNS rebinding reaches a local server)",
            allowed.join(", ")
        )));
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ok = origin
            .to_str()
            .ok()
            .map(str::to_ascii_lowercase)
            .is_some_and(|o| {
                o.strip_prefix("http://")
                    .is_some_and(|h| allowed.contains(&h.to_string()))
            });
        if !ok {
            return Err(Refusal::Origin(format!(
                "requests from other origins are refused; open http://{host}/ itself"
            )));
        }
    }
    // Browsers say where a request comes from even when they leave out Origin (a GET).
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"))
    {
        return Err(Refusal::Origin(
            "requests from other sites are refused".into(),
        ));
    }
    if *method == Method::POST && path.starts_with(&format!("{PREFIX}/api/")) {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(Refusal::ContentType(
                "the API takes JSON: send Content-Type: application/json".into(),
            ));
        }
    }
    Ok(())
}

/// The headers every page, file, API answer and refusal here carries.
pub(crate) fn secure(headers: &mut HeaderMap) {
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(headers, "content-security-policy", CSP);
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "x-frame-options", "DENY");
    set(headers, "cross-origin-opener-policy", "same-origin");
    set(headers, "cross-origin-resource-policy", "same-origin");
    // Answers can hold tokens: never kept by the browser or anything in between.
    set(headers, "cache-control", "no-store");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.insert(*n, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    const OWN: &str = "127.0.0.1:4321";

    fn judged(method: Method, path: &str, pairs: &[(&'static str, &str)]) -> Result<(), Refusal> {
        judge(&method, path, &headers(pairs), Some(OWN.parse().unwrap()))
    }

    #[test]
    fn only_the_own_host_and_port_pass() {
        for ok in [
            "127.0.0.1:4321",
            "localhost:4321",
            "LOCALHOST:4321",
            "[::1]:4321",
        ] {
            assert_eq!(judged(Method::GET, "/", &[("host", ok)]), Ok(()), "{ok}");
        }
        for bad in [
            "evil.example:4321",
            "127.0.0.1:4322",
            "localhost",
            "127.0.0.1",
            "127.0.0.1.nip.io:4321",
        ] {
            let r = judged(Method::GET, "/", &[("host", bad)]).unwrap_err();
            assert_eq!(r.status(), StatusCode::MISDIRECTED_REQUEST, "{bad}");
        }
        assert_eq!(
            judged(Method::GET, "/", &[]).unwrap_err().kind(),
            "host",
            "no Host at all"
        );
        assert!(judge(&Method::GET, "/", &headers(&[("host", OWN)]), None).is_err());
    }

    #[test]
    fn a_specific_bound_address_is_its_own_host_too() {
        let hosts = allowed_hosts("192.168.1.5:80".parse().unwrap());
        assert!(hosts.contains(&"192.168.1.5:80".to_string()));
        assert!(hosts.contains(&"localhost:80".to_string()));
        assert_eq!(allowed_hosts("0.0.0.0:80".parse().unwrap()).len(), 3);
    }

    #[test]
    fn foreign_origins_and_sites_get_403() {
        let host = ("host", OWN);
        assert_eq!(
            judged(
                Method::GET,
                "/",
                &[host, ("origin", "http://localhost:4321")]
            ),
            Ok(())
        );
        for bad in [
            "http://evil.example",
            "null",
            "https://127.0.0.1:4321",
            "http://127.0.0.1:9999",
        ] {
            let r = judged(Method::GET, "/", &[host, ("origin", bad)]).unwrap_err();
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{bad}");
        }
        let r = judged(Method::GET, "/", &[host, ("sec-fetch-site", "cross-site")]).unwrap_err();
        assert_eq!(r.kind(), "origin");
        assert_eq!(
            judged(Method::GET, "/", &[host, ("sec-fetch-site", "same-origin")]),
            Ok(())
        );
    }

    #[test]
    fn api_posts_must_be_json() {
        let host = ("host", OWN);
        let path = "/_mmjwt/api/check";
        assert_eq!(
            judged(
                Method::POST,
                path,
                &[host, ("content-type", "application/json; charset=utf-8")]
            ),
            Ok(())
        );
        for bad in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ] {
            let r = judged(Method::POST, path, &[host, ("content-type", bad)]).unwrap_err();
            assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{bad}");
        }
        assert!(judged(Method::POST, path, &[host]).is_err());
    }
}
