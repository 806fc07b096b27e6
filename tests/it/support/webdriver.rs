//! A minimal synchronous WebDriver client for the browser tests: chromedriver on a free
//! loopback port driving headless Chromium, spoken to over plain HTTP/1.1 (one connection per
//! command). Controls are found as a person finds them: by their label's text or a button's
//! words. The driver and its browser are stopped when the [`Browser`] drops, panics included.

use serde_json::{Value, json};
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What the browser tests need, and how to install it.
pub const INSTALL: &str = "apt-get install -y chromium chromium-driver";

/// The browser and driver binaries, if installed.
pub fn find() -> Option<(PathBuf, PathBuf)> {
    let which = |names: &[&str]| {
        names.iter().find_map(|n| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(n))
                    .find(|p| p.is_file())
            })
        })
    };
    let browser = which(&["chromium", "chromium-browser", "google-chrome"])?;
    let driver = which(&["chromedriver"])?;
    Some((browser, driver))
}

/// Without the browser: fails under CI=true, otherwise says plainly what was skipped.
/// Returns the binaries when they are there.
pub fn required(test: &str) -> Option<(PathBuf, PathBuf)> {
    if let Some(found) = find() {
        return Some(found);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(
        !ci,
        "{test}: Chromium and chromedriver are missing, and CI=true requires the browser tests; install them: {INSTALL}"
    );
    // Straight to stderr, not through eprintln!: the test harness hides what a passing test
    // prints with the macros, and this must be seen.
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED browser test {test}: Chromium and chromedriver are not installed (Debian packages chromium, chromium-driver: {INSTALL})"
    );
    None
}

#[derive(Debug)]
pub struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
}

impl Browser {
    /// Starts chromedriver and one headless Chromium session.
    pub fn start(browser: &PathBuf, driver: &PathBuf) -> Browser {
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut b = Browser {
            driver: child,
            addr,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(v) = b.raw("GET", "/status", None)
                && v["value"]["ready"] == true
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not get ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1800", "--no-first-run", "--no-default-browser-check",
                         "--disable-extensions", "--lang=en-US"],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
            "timeouts": {"implicit": 0, "pageLoad": 20000, "script": 10000},
        }}});
        let v = b.raw("POST", "/session", Some(&caps)).expect("a session");
        b.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        b
    }

    /// One WebDriver command; the `value` of the answer, or a panic with the driver's error.
    pub fn cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let empty = json!({});
        let body = (method == "POST").then(|| body.unwrap_or(&empty));
        let v = self
            .raw(method, &path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        if let Some(err) = v["value"].get("error") {
            panic!("{method} {path}: {err}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    fn raw(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let mut s = TcpStream::connect(self.addr).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_mins(1)))
            .map_err(|e| e.to_string())?;
        let body = body.map(Value::to_string).unwrap_or_default();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .map_err(|e| e.to_string())?;
        // chromedriver keeps the connection open whatever the request says: read the head,
        // then exactly the body it announces.
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let n = read_some(&mut s, &mut chunk)?;
            if n == 0 {
                return Err("connection closed before the answer's head".into());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let chunked = head.contains("transfer-encoding: chunked");
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        loop {
            let have = buf.len() - head_end;
            let done = match length {
                Some(n) => have >= n,
                None if chunked => buf.ends_with(b"0\r\n\r\n"),
                None => false,
            };
            if done {
                break;
            }
            let n = read_some(&mut s, &mut chunk)?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let rest = String::from_utf8_lossy(&buf[head_end..]).into_owned();
        let body = if chunked { dechunk(&rest) } else { rest };
        serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(&json!({"url": url})));
    }

    pub fn script(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": []})),
        )
    }

    fn find(&self, xpath: &str) -> Option<String> {
        let v = self.cmd(
            "POST",
            "/elements",
            Some(&json!({"using": "xpath", "value": xpath})),
        );
        let all = v.as_array()?;
        assert!(all.len() <= 1, "{xpath} names {} elements", all.len());
        all.first()?
            .as_object()?
            .values()
            .next()?
            .as_str()
            .map(str::to_string)
    }

    /// The element for `xpath`, waited for (up to 10 s).
    pub fn element(&self, xpath: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(e) = self.find(xpath) {
                return e;
            }
            assert!(Instant::now() < deadline, "no element {xpath}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The control whose visible label reads `label`, inside the section headed `section`.
    pub fn field(&self, section: &str, label: &str) -> String {
        self.element(&format!(
            "//*[@id=(//section[h2[normalize-space()={}]]//label[normalize-space()={}]/@for)]",
            literal(section),
            literal(label)
        ))
    }

    /// The button reading `text`.
    pub fn button(&self, text: &str) -> String {
        self.element(&format!("//button[normalize-space()={}]", literal(text)))
    }

    pub fn clear(&self, el: &str) {
        self.cmd("POST", &format!("/element/{el}/clear"), None);
    }

    /// Types `text` into the element (keystrokes, so the page sees input events).
    pub fn type_into(&self, el: &str, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{el}/value"),
            Some(&json!({"text": text})),
        );
    }

    pub fn replace(&self, el: &str, text: &str) {
        self.clear(el);
        self.type_into(el, text);
    }

    pub fn click(&self, el: &str) {
        self.cmd("POST", &format!("/element/{el}/click"), None);
    }

    /// Keys sent to whatever has the focus (WebDriver key codes: Tab U+E004, Enter U+E007).
    pub fn keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        self.cmd(
            "POST",
            "/actions",
            Some(&json!({"actions": [{"type": "key", "id": "kbd", "actions": actions}]})),
        );
    }

    pub fn text(&self, el: &str) -> String {
        self.cmd("GET", &format!("/element/{el}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits (up to 10 s) until the element with `id` shows `want`; returns its text.
    pub fn wait_text(&self, id: &str, want: &str) -> String {
        let el = self.element(&format!("//*[@id='{id}']"));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let t = self.text(&el);
            if t.contains(want) {
                return t;
            }
            assert!(
                Instant::now() < deadline,
                "#{id} never showed {want:?}; it shows:\n{t}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Saves a PNG of the window under `target/ui-screenshots/`.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        use base64::Engine as _;
        let v = self.cmd("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .unwrap();
        let dir = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(
                || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"),
                PathBuf::from,
            )
            .join("ui-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(&json!({"width": width, "height": height})),
        );
    }

    /// The browser's console since the last call (`[level, message]`).
    pub fn console(&self) -> Vec<(String, String)> {
        let v = self.cmd("POST", "/se/log", Some(&json!({"type": "browser"})));
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or_default().to_string(),
                            e["message"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// An XPath string literal for `s` (XPath 1 has no escapes: pick the other quote).
fn literal(s: &str) -> String {
    if s.contains('\'') {
        format!("\"{s}\"")
    } else {
        format!("'{s}'")
    }
}

/// One `read`, again when a signal cut it short. Part of this test binary installs a SIGCHLD
/// handler while other tests run (SigCgt in /proc/self/status shows it), and a socket read that
/// has a timeout is never restarted after a handler runs, SA_RESTART or not: every child process
/// another test reaps can end this read with EINTR (CI saw it once, on a `click`).
fn read_some(s: &mut TcpStream, chunk: &mut [u8]) -> Result<usize, String> {
    loop {
        match s.read(chunk) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other.map_err(|e| e.to_string()),
        }
    }
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.raw("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
