//! A TLS test server and a `CONNECT` proxy on 127.0.0.1:0. The server presents the committed
//! self-signed certificate in `tests/fixtures/tls/` (names: 127.0.0.1, localhost,
//! proxied.example); the binary is told to trust it the way a user would, with
//! `SSL_CERT_FILE` ([`trust`]). Each keeps the raw bytes it received, so tests can hold the
//! wire to its exact spelling. [`KeepAlive`] answers many requests per connection, plain or
//! TLS, and counts the connections, for the client's connection reuse.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");

/// The certificate file the binary is to trust.
pub fn cert_file() -> String {
    format!("{DIR}/cert.pem")
}

/// Makes `cmd` trust the test certificate only (rustls-native-certs reads `SSL_CERT_FILE`).
pub fn trust(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    cmd.env("SSL_CERT_FILE", cert_file())
        .env_remove("SSL_CERT_DIR")
}

fn server_config() -> Arc<rustls::ServerConfig> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_file())
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(format!("{DIR}/key.pem")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    Arc::new(config)
}

/// Answers every TLS connection with `answer` after reading one request head (and as many
/// body bytes as its `Content-Length` says); the decrypted bytes received are kept.
pub struct TlsServer {
    pub url: String,
    pub port: u16,
    received: Arc<Mutex<Vec<u8>>>,
}

impl TlsServer {
    pub fn start(answer: &'static [u8]) -> TlsServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&received);
        let config = server_config();
        std::thread::spawn(move || {
            for sock in listener.incoming() {
                let Ok(sock) = sock else { return };
                let config = Arc::clone(&config);
                let keep = Arc::clone(&keep);
                std::thread::spawn(move || {
                    let _ = sock.set_read_timeout(Some(Duration::from_secs(20)));
                    let Ok(conn) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut tls = rustls::StreamOwned::new(conn, sock);
                    let Some(request) = read_request(&mut tls) else {
                        return;
                    };
                    keep.lock().unwrap().extend_from_slice(&request);
                    let _ = tls.write_all(answer);
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                });
            }
        });
        TlsServer {
            url: format!("https://127.0.0.1:{port}"),
            port,
            received,
        }
    }

    /// Everything received so far, as text.
    pub fn received(&self) -> String {
        String::from_utf8_lossy(&self.received.lock().unwrap()).into_owned()
    }
}

/// One request's head and body as bytes, or `None` when the peer went away first.
fn read_request(stream: &mut impl std::io::Read) -> Option<Vec<u8>> {
    let mut reader = BufReader::new(stream);
    let mut out = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
        out.extend_from_slice(line.as_bytes());
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    out.extend_from_slice(&body);
    Some(out)
}

/// A proxy that opens `CONNECT` tunnels to 127.0.0.1 whatever host is asked for (so a test
/// can name a host that only the proxy "resolves"), and answers a plain request for an
/// absolute URL itself with `plain_answer`. The request heads it received are kept.
pub struct Proxy {
    pub url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    pub fn start(plain_answer: &'static [u8]) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&heads);
        std::thread::spawn(move || {
            for sock in listener.incoming() {
                let Ok(mut client) = sock else { return };
                let keep = Arc::clone(&keep);
                std::thread::spawn(move || {
                    let _ = client.set_read_timeout(Some(Duration::from_secs(20)));
                    let Some(request) = read_request(&mut client) else {
                        return;
                    };
                    let head = String::from_utf8_lossy(&request).into_owned();
                    keep.lock().unwrap().push(head.clone());
                    let Some(authority) = head.strip_prefix("CONNECT ") else {
                        let _ = client.write_all(plain_answer);
                        return;
                    };
                    let port = authority
                        .split_whitespace()
                        .next()
                        .and_then(|a| a.rsplit_once(':'))
                        .and_then(|(_, p)| p.parse::<u16>().ok())
                        .unwrap_or(0);
                    let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", port)) else {
                        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
                        return;
                    };
                    let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                    let (mut c2, mut u2) =
                        (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut u2, &mut c2);
                        let _ = c2.shutdown(std::net::Shutdown::Write);
                    });
                    let _ = std::io::copy(&mut client, &mut upstream);
                    let _ = upstream.shutdown(std::net::Shutdown::Write);
                });
            }
        });
        Proxy { url, heads }
    }

    /// The request heads received, in order.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

/// When a [`KeepAlive`] server lets a connection go.
#[derive(Debug, Clone, Copy)]
pub enum Hangup {
    /// Never: it answers every request until the client closes.
    Never,
    /// Right after this many answers, as a server whose keep-alive time is up.
    AfterAnswers(usize),
    /// After this many answers it reads one more request and closes without answering, as a
    /// server that let the connection go just as the request arrived.
    Swallowing(usize),
}

/// A server that answers many requests per connection (plain or TLS) with `answer`, counting
/// the connections it accepts and keeping each request's first line.
pub struct KeepAlive {
    pub url: String,
    accepts: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl KeepAlive {
    pub fn start(tls: bool, answer: &'static [u8], hangup: Hangup) -> KeepAlive {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepts = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (count, keep) = (Arc::clone(&accepts), Arc::clone(&requests));
        let config = server_config();
        std::thread::spawn(move || {
            for sock in listener.incoming() {
                let Ok(sock) = sock else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let _ = sock.set_read_timeout(Some(Duration::from_secs(20)));
                let keep = Arc::clone(&keep);
                let config = Arc::clone(&config);
                std::thread::spawn(move || {
                    if tls {
                        let Ok(conn) = rustls::ServerConnection::new(config) else {
                            return;
                        };
                        let mut s = rustls::StreamOwned::new(conn, sock);
                        serve(&mut s, answer, hangup, &keep);
                        s.conn.send_close_notify();
                        let _ = s.flush();
                    } else {
                        let mut s = sock;
                        serve(&mut s, answer, hangup, &keep);
                    }
                });
            }
        });
        let scheme = if tls { "https" } else { "http" };
        KeepAlive {
            url: format!("{scheme}://127.0.0.1:{port}"),
            accepts,
            requests,
        }
    }

    /// The connections accepted so far.
    pub fn accepts(&self) -> usize {
        self.accepts.load(Ordering::SeqCst)
    }

    /// The request lines received, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// One connection: requests answered until the client closes or `hangup` says.
fn serve(
    s: &mut (impl std::io::Read + std::io::Write),
    answer: &[u8],
    hangup: Hangup,
    keep: &Mutex<Vec<String>>,
) {
    let mut answered = 0;
    while let Some(request) = read_request(s) {
        let line = String::from_utf8_lossy(&request)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        keep.lock().unwrap().push(line);
        if matches!(hangup, Hangup::Swallowing(n) if answered == n) {
            return;
        }
        if s.write_all(answer).and_then(|()| s.flush()).is_err() {
            return;
        }
        answered += 1;
        if matches!(hangup, Hangup::AfterAnswers(n) if answered == n) {
            return;
        }
    }
}
