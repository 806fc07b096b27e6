//! `mmjwt sandbox` (or `ui`) as a child process on 127.0.0.1:0: started with a clean environment, its
//! URL read from the first stdout line, stdout and stderr drained on threads (every stderr line
//! also passed on as it arrives), signalled and awaited with a bound, killed when dropped.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Running {
    pub child: Child,
    pub url: String,
    stdout: Option<JoinHandle<String>>,
    stderr: Option<JoinHandle<String>>,
    /// Every stderr line as it arrives (the whole text is also kept for `finish`).
    lines: Receiver<String>,
}

impl Running {
    /// Starts `mmjwt sandbox ARGS` and reads the URL from the first stdout line.
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Running {
        let mut all = vec!["sandbox", "--listen", "127.0.0.1:0"];
        all.extend(args);
        Running::spawn(&all, env, |l| {
            l.starts_with("mmjwt: sandbox: listening on ")
        })
    }

    /// Starts `mmjwt ARGS`, a command that serves on 127.0.0.1 and prints its URL as the first
    /// stdout line, and waits for the stderr line that `ready` accepts (the server answers
    /// from the URL's moment on: waiting keeps the start-up lines ahead of any request's log).
    pub fn spawn(args: &[&str], env: &[(&str, &str)], ready: impl Fn(&str) -> bool) -> Running {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mmjwt"));
        cmd.args(args)
            .env_remove("MMJWT_APP_CODE")
            .env_remove("MMJWT_KEY_ID")
            .env_remove("MMJWT_SECRET")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        // Both pipes are drained on threads so the log can never fill one and stall the server.
        let (line_tx, lines) = channel::<String>();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let stderr = std::thread::spawn(move || {
            let mut all = String::new();
            let mut line = String::new();
            while err.read_line(&mut line).is_ok_and(|n| n > 0) {
                let _ = line_tx.send(line.clone());
                all.push_str(&line);
                line.clear();
            }
            all
        });
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        let url = first.trim_end().to_owned();
        let stdout = std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = out.read_to_string(&mut rest);
            first + &rest
        });
        let mut run = Running {
            child,
            url,
            stdout: Some(stdout),
            stderr: Some(stderr),
            lines,
        };
        let up = run.url.starts_with("http://127.0.0.1:") && run.next_line_where(ready).is_some();
        if !up {
            let _ = run.child.kill();
            let _ = run.child.wait();
            panic!(
                "mmjwt {args:?} did not start; stderr: {}",
                run.stderr.take().unwrap().join().unwrap()
            );
        }
        run
    }

    /// Waits (at most 10 s) for the next stderr line that satisfies `want`; `None` when none
    /// came (lines passed over are still in `finish`'s text).
    pub fn next_line_where(&self, want: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let line = self.lines.recv_timeout(left).ok()?;
            if want(&line) {
                return Some(line);
            }
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }

    pub fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    /// Waits (at most 10 s) for the process to exit; returns its status and stderr.
    pub fn finish(self) -> (ExitStatus, String) {
        let (status, _, stderr) = self.finish_all();
        (status, stderr)
    }

    /// Waits (at most 10 s) for the process to exit; returns its status, stdout and stderr.
    pub fn finish_all(mut self) -> (ExitStatus, String, String) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the sandbox did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = self.stdout.take().unwrap().join().unwrap();
        (status, stdout, self.stderr.take().unwrap().join().unwrap())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
