//! Which proxy, if any, a request goes through: the usual environment variables, read once
//! per client. `https_proxy` / `HTTPS_PROXY` for `https://` URLs, `http_proxy` / `HTTP_PROXY`
//! for `http://` ones, `all_proxy` / `ALL_PROXY` for both (the lower-case name first, as curl
//! reads them), minus the hosts `no_proxy` / `NO_PROXY` names; a loopback host never goes
//! through a proxy (a local sandbox is never behind one). Proxies are `http://` ones: an
//! `https://` URL is tunnelled with `CONNECT`, an `http://` one is asked for in absolute form.

use super::url::{Url, UrlError};
use std::net::IpAddr;

/// A proxy to go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    pub host: String,
    pub port: u16,
    /// `Proxy-Authorization` value, from the proxy URL's `user:password@`.
    pub authorization: Option<String>,
    /// The variable it came from, for messages.
    pub variable: &'static str,
}

/// The proxy settings of the environment.
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    http: Option<(&'static str, String)>,
    https: Option<(&'static str, String)>,
    no_proxy: Vec<String>,
}

impl Settings {
    pub(crate) fn from_env() -> Settings {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    pub(crate) fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Settings {
        let first = |names: &[&'static str]| {
            names.iter().find_map(|n| {
                get(n)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (*n, v.trim().to_string()))
            })
        };
        let all = first(&["all_proxy", "ALL_PROXY"]);
        // Under CGI, HTTP_PROXY is the client's `Proxy:` request header (httpoxy): not ours.
        let http = if get("REQUEST_METHOD").is_some() {
            first(&["http_proxy"])
        } else {
            first(&["http_proxy", "HTTP_PROXY"])
        };
        Settings {
            http: http.or_else(|| all.clone()),
            https: first(&["https_proxy", "HTTPS_PROXY"]).or(all),
            no_proxy: first(&["no_proxy", "NO_PROXY"])
                .map(|(_, v)| {
                    v.split(',')
                        .map(|s| s.trim().to_ascii_lowercase())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The proxy for `url`; an error when the variable's value is not a proxy mmjwt can use
    /// (the message names the variable, never its value, which may hold a password).
    pub(crate) fn for_url(&self, url: &Url) -> Result<Option<Proxy>, String> {
        let setting = if url.https() { &self.https } else { &self.http };
        let Some((variable, value)) = setting else {
            return Ok(None);
        };
        if url.is_loopback() || self.excluded(&url.host) {
            return Ok(None);
        }
        let with_scheme = if value.contains("://") {
            value.clone()
        } else {
            format!("http://{value}")
        };
        let p = match Url::parse(&with_scheme) {
            Ok(p) if !p.https() => p,
            Ok(_) => {
                return Err(format!(
                    "{variable} names an https:// proxy; only http:// proxies are supported"
                ));
            }
            Err(UrlError::Scheme(_)) => {
                return Err(format!(
                    "{variable} names a proxy that is not http:// (only http:// proxies are supported)"
                ));
            }
            Err(e) => return Err(format!("{variable} is not usable: {e}")),
        };
        let authorization = p.userinfo.as_deref().map(basic);
        Ok(Some(Proxy {
            host: p.host.clone(),
            port: p.port_or_default(),
            authorization,
            variable,
        }))
    }

    /// Whether `no_proxy` names `host`: `*`, the host itself or a parent domain (with or
    /// without a leading dot), an IP address, or an IP block in CIDR form.
    fn excluded(&self, host: &str) -> bool {
        let ip = host.parse::<IpAddr>().ok();
        self.no_proxy.iter().any(|entry| {
            if entry == "*" {
                return true;
            }
            if let Some(ip) = ip {
                return in_block(ip, entry);
            }
            let domain = entry.trim_start_matches('.');
            host == domain
                || host
                    .strip_suffix(domain)
                    .is_some_and(|head| head.ends_with('.'))
        })
    }
}

/// `ip` equals `entry` or lies in the CIDR block `entry` names.
fn in_block(ip: IpAddr, entry: &str) -> bool {
    let (addr, bits) = match entry.split_once('/') {
        Some((a, b)) => (a, b.parse::<u32>().ok()),
        None => (entry, None),
    };
    let Ok(net) = addr.trim_matches(['[', ']']).parse::<IpAddr>() else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// A `Basic` credential from a URL's percent-encoded `user:password` (or `user` alone).
pub(crate) fn basic(userinfo: &str) -> String {
    use base64::Engine as _;
    let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let pair = format!("{}:{}", percent_decode(user), percent_decode(pass));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

fn percent_decode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Settings {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        Settings::from_lookup(|n| vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
    }

    fn proxy_for(s: &Settings, url: &str) -> Option<(String, u16)> {
        s.for_url(&Url::parse(url).unwrap())
            .unwrap()
            .map(|p| (p.host, p.port))
    }

    #[test]
    fn variables_by_scheme_lower_case_first() {
        let s = settings(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "lower:2"),
            ("HTTP_PROXY", "http://plain:3"),
        ]);
        assert_eq!(
            proxy_for(&s, "https://h.example/"),
            Some(("lower".into(), 2))
        );
        assert_eq!(
            proxy_for(&s, "http://h.example/"),
            Some(("plain".into(), 3))
        );
        let s = settings(&[("ALL_PROXY", "http://all:4")]);
        assert_eq!(proxy_for(&s, "https://h.example/"), Some(("all".into(), 4)));
        assert_eq!(proxy_for(&s, "http://h.example/"), Some(("all".into(), 4)));
        assert_eq!(proxy_for(&settings(&[]), "https://h.example/"), None);
        let cgi = settings(&[("HTTP_PROXY", "http://evil:1"), ("REQUEST_METHOD", "GET")]);
        assert_eq!(proxy_for(&cgi, "http://h.example/"), None);
    }

    #[test]
    fn loopback_and_no_proxy_go_direct() {
        let s = settings(&[
            ("HTTPS_PROXY", "http://p:1"),
            (
                "NO_PROXY",
                "internal.example, .corp.example,10.0.0.0/8,192.168.1.5,::2",
            ),
        ]);
        for direct in [
            "https://127.0.0.1:9/",
            "https://localhost/",
            "https://[::1]/",
            "https://internal.example/",
            "https://a.internal.example/",
            "https://corp.example/",
            "https://x.corp.example/",
            "https://10.1.2.3/",
            "https://192.168.1.5/",
            "https://[::2]/",
        ] {
            assert_eq!(proxy_for(&s, direct), None, "{direct}");
        }
        for proxied in [
            "https://notinternal.example/",
            "https://11.0.0.1/",
            "https://192.168.1.6/",
        ] {
            assert!(proxy_for(&s, proxied).is_some(), "{proxied}");
        }
        let all = settings(&[("https_proxy", "p:1"), ("no_proxy", "*")]);
        assert_eq!(proxy_for(&all, "https://h.example/"), None);
    }

    #[test]
    fn credentials_and_unusable_proxies() {
        let s = settings(&[("HTTPS_PROXY", "http://us%40er:p%3Ass@p:8")]);
        let p = s
            .for_url(&Url::parse("https://h/").unwrap())
            .unwrap()
            .unwrap();
        // base64("us@er:p:ss")
        assert_eq!(p.authorization.as_deref(), Some("Basic dXNAZXI6cDpzcw=="));
        for (value, want) in [
            ("socks5://u:secret@p:1", "not http://"),
            ("https://u:secret@p:1", "https:// proxy"),
            ("http://u:secret@:1", "empty host"),
        ] {
            let e = settings(&[("HTTPS_PROXY", value)])
                .for_url(&Url::parse("https://h/").unwrap())
                .unwrap_err();
            assert!(
                e.contains("HTTPS_PROXY") && e.contains(want),
                "{value}: {e}"
            );
            assert!(!e.contains("secret"));
        }
    }
}
