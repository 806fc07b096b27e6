//! The URLs `replay --base-url` and `audit --url` take, read by a small parser of their own:
//! `http` or `https`, an optional `user:password@`, a host (an ASCII name, an IPv4 address or
//! a bracketed IPv6 address), an optional port, then path, query and fragment as written.
//! What it does not do is refused with a message that says so rather than guessed at: a
//! non-ASCII host name (write its `xn--` form), spaces or control characters anywhere. The
//! host is compared and sent in lower case; a port equal to the scheme's default is dropped.

use std::fmt::Write as _;
use std::net::Ipv6Addr;

/// A parsed URL; `Url::as_string` writes it back in one spelling.
#[derive(Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https` (lower case).
    pub scheme: &'static str,
    /// `user:password` as written (percent-encoded), when present.
    pub userinfo: Option<String>,
    /// Lower case; an IPv6 address without its brackets.
    pub host: String,
    /// Only when it differs from the scheme's default.
    pub port: Option<u16>,
    /// As written; `/` when empty.
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

impl std::fmt::Debug for Url {
    // The user information may be a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Url({}://{}{})",
            self.scheme,
            self.host_port(),
            self.path
        )
    }
}

/// Why [`Url::parse`] refused a text; callers that word a refusal their own way (the scheme
/// for `--base-url` or a URL template) choose by variant, the rest show [`Display`](std::fmt::Display).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// A space or control character, which the parser does not guess an encoding for.
    Unencoded(char),
    NoScheme,
    /// The scheme as written, when it is not `http` or `https`.
    Scheme(String),
    Ipv6Unclosed,
    /// The bracketed text that is not an IPv6 address.
    Ipv6(String),
    TextAfterIpv6,
    EmptyHost,
    NonAsciiHost,
    /// A character a host name may not hold.
    HostChar(char),
    /// The port text that is not a number from 0 to 65535.
    Port(String),
}

impl UrlError {
    /// The rule a [`UrlError::Scheme`] breaks, without a subject: `must be http or https, not
    /// ftp`.
    pub fn scheme_rule(found: &str) -> String {
        format!("must be http or https, not {found}")
    }
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlError::Unencoded(c) => write!(
                f,
                "it holds {c:?}: percent-encode spaces and control characters"
            ),
            UrlError::NoScheme => f.write_str("no scheme (http:// or https://)"),
            UrlError::Scheme(found) => write!(f, "the scheme {}", Self::scheme_rule(found)),
            UrlError::Ipv6Unclosed => f.write_str("an IPv6 host has no closing ]"),
            UrlError::Ipv6(addr) => write!(f, "[{addr}] is not an IPv6 address"),
            UrlError::TextAfterIpv6 => f.write_str("text after the IPv6 host"),
            UrlError::EmptyHost => f.write_str("empty host"),
            UrlError::NonAsciiHost => f.write_str(
                "non-ASCII host names are not supported: write the host's xn-- (punycode) form",
            ),
            UrlError::HostChar(c) => write!(f, "the host name holds {c:?}"),
            UrlError::Port(p) => write!(f, "invalid port {p:?}"),
        }
    }
}

impl Url {
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let text = text.trim();
        if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(UrlError::Unencoded(c));
        }
        let Some((scheme, rest)) = text.split_once("://") else {
            return Err(UrlError::NoScheme);
        };
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => "http",
            "https" => "https",
            other => return Err(UrlError::Scheme(other.to_string())),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(end);
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u.to_string()), h),
            None => (None, authority),
        };
        let (host, port_text) = if let Some(inner) = hostport.strip_prefix('[') {
            let Some((addr, after)) = inner.split_once(']') else {
                return Err(UrlError::Ipv6Unclosed);
            };
            let ip: Ipv6Addr = addr.parse().map_err(|_| UrlError::Ipv6(addr.to_string()))?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or(UrlError::TextAfterIpv6)?),
            };
            (ip.to_string(), port)
        } else {
            match hostport.split_once(':') {
                Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
                None => (hostport.to_ascii_lowercase(), None),
            }
        };
        if host.is_empty() {
            return Err(UrlError::EmptyHost);
        }
        if !host.contains(':') {
            if !host.is_ascii() {
                return Err(UrlError::NonAsciiHost);
            }
            if let Some(c) = host
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
            {
                return Err(UrlError::HostChar(c));
            }
        }
        let default = if scheme == "https" { 443 } else { 80 };
        let port = match port_text {
            None | Some("") => None,
            Some(p) => match p.parse::<u16>() {
                Ok(n) if p.bytes().all(|b| b.is_ascii_digit()) => (n != default).then_some(n),
                _ => return Err(UrlError::Port(p.to_string())),
            },
        };
        let (rest, fragment) = match rest.split_once('#') {
            Some((r, f)) => (r, Some(f.to_string())),
            None => (rest, None),
        };
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (rest, None),
        };
        Ok(Url {
            scheme,
            userinfo,
            host,
            port,
            path: if path.is_empty() { "/" } else { path }.to_string(),
            query,
            fragment,
        })
    }

    pub fn https(&self) -> bool {
        self.scheme == "https"
    }

    /// The port connected to.
    pub fn port_or_default(&self) -> u16 {
        self.port.unwrap_or(if self.https() { 443 } else { 80 })
    }

    /// The host as written in a URL or `Host` header (IPv6 in brackets).
    pub(crate) fn host_text(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }

    /// `host` or `host:port` as a `Host` header carries it (the port only when not the
    /// scheme's default).
    pub fn host_header(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host_text()),
            None => self.host_text(),
        }
    }

    /// `host:port` with the port always written, for messages.
    pub fn host_port(&self) -> String {
        format!("{}:{}", self.host_text(), self.port_or_default())
    }

    /// The request target: path plus `?query`.
    pub fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// The URL in one spelling: lower-case scheme and host, no default port.
    pub(crate) fn as_string(&self) -> String {
        let mut s = format!("{}://", self.scheme);
        if let Some(u) = &self.userinfo {
            let _ = write!(s, "{u}@");
        }
        let _ = write!(s, "{}{}", self.host_header(), self.target());
        if let Some(f) = &self.fragment {
            let _ = write!(s, "#{f}");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_and_one_spelling() {
        let u = Url::parse(" HTTPS://u:p@Mobile.Example:443/a/b?x=1#f ").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.userinfo.as_deref(), Some("u:p"));
        assert_eq!(u.host, "mobile.example");
        assert_eq!(u.port, None);
        assert_eq!(u.port_or_default(), 443);
        assert_eq!(u.target(), "/a/b?x=1");
        assert_eq!(u.fragment.as_deref(), Some("f"));
        assert_eq!(u.as_string(), "https://u:p@mobile.example/a/b?x=1#f");
        assert!(!format!("{u:?}").contains("u:p"));
        let u = Url::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!((u.path.as_str(), u.port), ("/", Some(8080)));
        assert_eq!(u.host_header(), "127.0.0.1:8080");
        assert!(u.is_loopback());
        let u = Url::parse("http://[::1]:9/x").unwrap();
        assert_eq!((u.host.as_str(), u.host_port()), ("::1", "[::1]:9".into()));
        assert!(u.is_loopback());
        assert!(Url::parse("http://LOCALHOST/").unwrap().is_loopback());
        assert!(
            !Url::parse("https://mobile.infobip.com")
                .unwrap()
                .is_loopback()
        );
    }

    #[test]
    fn what_it_does_not_read_is_refused_clearly() {
        for (text, want) in [
            ("nope", "no scheme"),
            ("ftp://h", "must be http or https, not ftp"),
            ("http://:80/", "empty host"),
            ("http://bücher.example/", "xn--"),
            ("http://h:99999/", "invalid port"),
            ("http://h:8x/", "invalid port"),
            ("http://[::1/", "closing ]"),
            ("http://[nope]/", "not an IPv6 address"),
            ("http://a b/", "percent-encode"),
            ("http://h%41/", "host name holds '%'"),
        ] {
            let e = Url::parse(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text}: {e}");
        }
    }
}
