//! Test HTTP servers on 127.0.0.1:0: [`Server`] records every request (method, path, query,
//! headers, body) and answers as the test programs it (served by mmjwt's own HTTP/1.1,
//! `mmjwt::serve`); [`RawServer`] speaks raw TCP for the shapes a well-behaved server never
//! produces (silence, a body cut short).

use std::io::{Read as _, Write as _};
use std::time::Duration;

use mmjwt::serve::{Body, Handler, Limits, Request, Response};
use std::sync::{Arc, Mutex};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Lowercase names, in received order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The headers without `host` (its port varies), sorted.
    pub fn headers_sorted(&self) -> Vec<(String, String)> {
        let mut h: Vec<_> = self
            .headers
            .iter()
            .filter(|(n, _)| n != "host")
            .cloned()
            .collect();
        h.sort();
        h
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.into(),
        }
    }
}

type Responder = Arc<dyn Fn(&Hit) -> Reply + Send + Sync>;

struct St {
    hits: Arc<Mutex<Vec<Hit>>>,
    respond: Responder,
}

/// A capturing server on its own thread and runtime; stopped on drop.
pub struct Server {
    pub url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start(respond: impl Fn(&Hit) -> Reply + Send + Sync + 'static) -> Server {
        let hits = Arc::new(Mutex::new(Vec::new()));
        let st = Arc::new(St {
            hits: Arc::clone(&hits),
            respond: Arc::new(respond),
        });
        let handler: Handler = Arc::new(move |req| Box::pin(handle(Arc::clone(&st), req)));
        // Room for the largest headers a test sends (tokens of any length).
        let limits = Limits {
            max_headers: 1000,
            max_header_bytes: 1 << 20,
            ..Limits::default()
        };
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                mmjwt::serve::run(listener, handler, limits, stop_rx).await;
            });
        });
        let addr = addr_rx.recv().unwrap();
        Server {
            url: format!("http://{addr}"),
            hits,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// Answers every request with `200` and a small user.
    pub fn ok() -> Server {
        Server::start(|_| Reply::json(200, r#"{"externalUserId":"alice","type":"CUSTOMER"}"#))
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(true);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn handle(st: Arc<St>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = mmjwt::serve::read_body(body, 1 << 20)
        .await
        .unwrap_or_default();
    let hit = Hit {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let reply = (st.respond)(&hit);
    st.hits.lock().unwrap().push(hit);
    let mut b = http::Response::builder().status(reply.status);
    for (n, v) in reply.headers {
        b = b.header(n, v);
    }
    b.body(Body::full(reply.body)).unwrap()
}

/// A TCP server that accepts one connection, reads the request head, writes `answer` (if any)
/// and then holds the connection until `hold` has passed or it is dropped. The bytes it read
/// are kept ([`RawServer::received`]), so tests can hold the request to its exact bytes.
pub struct RawServer {
    pub url: String,
    received: Arc<Mutex<Vec<u8>>>,
    done: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RawServer {
    pub fn start(answer: Option<&'static [u8]>, hold: Duration) -> RawServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let received = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&received);
        let thread = std::thread::spawn(move || {
            let Ok((mut sock, _)) = listener.accept() else {
                return;
            };
            sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65_536 {
                match sock.read(&mut buf) {
                    // A signal for another test's child process; not the client's doing.
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            keep.lock().unwrap().extend_from_slice(&head);
            if let Some(a) = answer {
                let _ = sock.write_all(a);
                let _ = sock.flush();
            }
            // Bounded: released by the test's drop or after `hold`.
            let _ = done_rx.recv_timeout(hold);
        });
        RawServer {
            url,
            received,
            done: Some(done_tx),
            thread: Some(thread),
        }
    }

    /// The bytes read: the request head, and whatever of the body came with it.
    pub fn received(&self) -> Vec<u8> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        if let Some(d) = self.done.take() {
            let _ = d.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
