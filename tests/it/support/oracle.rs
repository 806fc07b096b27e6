//! The exchange with the differential tests' helper programs (the JVM and Swift oracles in
//! `tests/java/` and `tests/swift/`): one request a line on the helper's stdin, `fields TAB
//! base64(payload)`, and one answer a line on its stdout, in the same order.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

/// Runs `helper` once over every `(fields, payload)` request and returns its answer lines in
/// order, failing the test unless it exits well with exactly one answer per request. `fields`
/// is what precedes the payload on the line (`now`, `now TAB stack`, a body kind); `what`
/// names the helper in failures.
pub fn exchange<'a>(
    mut helper: Command,
    what: &str,
    requests: impl IntoIterator<Item = (String, &'a [u8])>,
) -> Vec<String> {
    let mut input = String::new();
    let mut count = 0;
    for (fields, payload) in requests {
        let _ = writeln!(input, "{fields}\t{}", STANDARD.encode(payload));
        count += 1;
    }
    let mut child = helper
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("the {what} helper does not start: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    // The helpers read everything before answering, but a writer thread keeps that a detail
    // rather than a deadlock.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "the {what} helper failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        answers.len(),
        count,
        "one answer per request from the {what} helper"
    );
    answers
}

/// The text of an `OK TAB base64(text)` answer; any other answer as `<answer>`, which no
/// body or number equals.
pub fn ok_text(answer: &str) -> String {
    match answer.split_once('\t') {
        Some(("OK", b64)) => String::from_utf8(STANDARD.decode(b64).unwrap()).unwrap(),
        _ => format!("<{answer}>"),
    }
}
