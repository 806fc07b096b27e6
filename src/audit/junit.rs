//! The audit as JUnit XML, the report format CI systems read (GitLab, Jenkins, GitHub test
//! reporters, Azure): one `testsuite`, one `testcase` per user and attempt and one per audit
//! rule, a failing one carrying one `failure` whose `type` is its first code and whose
//! `message` lists every code, the text giving each code with its message. Nothing a token or
//! secret is made of is written: the messages are those of the text report.

use super::{AuditReport, Outcome};
use std::fmt::Write as _;

/// The whole document.
pub(crate) fn render(r: &AuditReport) -> String {
    let tests = r.attempts.len() + r.rules.len();
    let failures = r.attempts.iter().filter(|a| !a.passed()).count()
        + r.rules.iter().filter(|x| !x.findings.is_empty()).count();
    let time = secs(r.elapsed.as_secs_f64());
    let stamp = crate::time::rfc3339(r.started_at).unwrap_or_default();
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuites name=\"mmjwt audit\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{time}\">"
    );
    let _ = writeln!(
        o,
        "  <testsuite name=\"mmjwt audit {}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"{time}\" timestamp=\"{}\">",
        attr(&r.issuer),
        attr(stamp.trim_end_matches('Z'))
    );
    let _ = writeln!(o, "    <properties>");
    for (name, value) in [
        ("issuer", r.issuer.clone()),
        ("users", r.users.len().to_string()),
        ("repeat", r.repeat.to_string()),
        ("schema", super::SCHEMA.to_string()),
        ("exit_code", r.exit_code().to_string()),
    ] {
        let _ = writeln!(
            o,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attr(&value)
        );
    }
    let _ = writeln!(o, "    </properties>");
    for a in &r.attempts {
        let name = r.label(a.at);
        let _ = write!(
            o,
            "    <testcase classname=\"mmjwt.audit.token\" name=\"{}\" time=\"{}\"",
            attr(&name),
            secs(a.elapsed.as_secs_f64())
        );
        let codes = a.codes();
        let notes = notes(a);
        if codes.is_empty() {
            if notes.is_empty() {
                o.push_str("/>\n");
            } else {
                // A passing fetch's warnings go where CI readers show a test's output.
                let _ = writeln!(o, ">\n      <system-out>{}</system-out>", text(&notes));
                o.push_str("    </testcase>\n");
            }
            continue;
        }
        o.push_str(">\n");
        let mut names: Vec<&str> = Vec::new();
        for (c, _) in &codes {
            if !names.contains(&c.as_str()) {
                names.push(c.as_str());
            }
        }
        let mut body = String::new();
        for (c, m) in &codes {
            let _ = writeln!(body, "{}: {m}", c.as_str());
        }
        body.push_str(&notes);
        // CI pages show the message first: the codes, then what the first one means here.
        let first: String = codes[0].1.chars().take(200).collect();
        let _ = writeln!(
            o,
            "      <failure type=\"{}\" message=\"{}: {}\">{}</failure>",
            attr(names[0]),
            attr(&names.join(", ")),
            attr(&first),
            text(&body)
        );
        o.push_str("    </testcase>\n");
    }
    for rule in &r.rules {
        let _ = write!(
            o,
            "    <testcase classname=\"mmjwt.audit.rule\" name=\"{}\" time=\"0\"",
            rule.code.as_str()
        );
        if rule.findings.is_empty() {
            o.push_str("/>\n");
            continue;
        }
        o.push_str(">\n");
        let mut body = String::new();
        for f in &rule.findings {
            let _ = writeln!(body, "{}: {}", f.code.as_str(), f.message);
        }
        let n = rule.findings.len();
        let _ = writeln!(
            o,
            "      <failure type=\"{code}\" message=\"{code}: {n} finding{s}\">{}</failure>",
            text(&body),
            code = rule.code.as_str(),
            s = if n == 1 { "" } else { "s" }
        );
        o.push_str("    </testcase>\n");
    }
    o.push_str("  </testsuite>\n</testsuites>\n");
    o
}

/// The check's coded warnings and the audit's hints, one `warning CODE: …` / `hint: …` line each.
fn notes(a: &super::Attempt) -> String {
    let mut out = String::new();
    if let Outcome::Judged(j) = &a.outcome {
        for w in &j.report.warnings {
            let _ = writeln!(out, "warning {}: {}", w.code, w.message);
        }
        for h in &j.hints {
            let _ = writeln!(out, "hint: {h}");
        }
    }
    out
}

fn secs(s: f64) -> String {
    format!("{s:.3}")
}

/// XML 1.0 cannot carry most control characters even escaped: they become U+FFFD.
fn clean(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if c < ' ' => '\u{fffd}',
        '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
        c => c,
    }
}

fn text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars().map(clean) {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            c => o.push(c),
        }
    }
    o
}

fn attr(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars().map(clean) {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            // Attribute values normalise raw whitespace; keep line breaks as references.
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            '\t' => o.push_str("&#9;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junit_snapshot() {
        let got = render(&super::super::sample_report());
        let want = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="mmjwt audit" tests="11" failures="4" errors="0" time="1.234">
  <testsuite name="mmjwt audit GET http://127.0.0.1:3000/token?…" tests="11" failures="4" errors="0" skipped="0" time="1.234" timestamp="1970-01-01T00:16:40">
    <properties>
      <property name="issuer" value="GET http://127.0.0.1:3000/token?…"/>
      <property name="users" value="2"/>
      <property name="repeat" value="2"/>
      <property name="schema" value="1"/>
      <property name="exit_code" value="13"/>
    </properties>
    <testcase classname="mmjwt.audit.token" name="alice #1" time="0.012"/>
    <testcase classname="mmjwt.audit.token" name="alice #2" time="0.012"/>
    <testcase classname="mmjwt.audit.token" name="Željko #1" time="0.012">
      <failure type="SUB_MISMATCH" message="SUB_MISMATCH: sub is &quot;{NFD}eljko&quot; but &quot;Željko&quot; was expected; they differ only by Unicode normalisation (the requested id is NFC, the token&apos;s sub is NFD; as code points &quot;\u{17d}eljko&quot; and &quot;Z\u{30c}eljko&quot;): the server c">SUB_MISMATCH: sub is "{NFD}eljko" but "Željko" was expected; they differ only by Unicode normalisation (the requested id is NFC, the token's sub is NFD; as code points "\u{17d}eljko" and "Z\u{30c}eljko"): the server compares bytes, so sign the id exactly as the app has it
</failure>
    </testcase>
    <testcase classname="mmjwt.audit.token" name="Željko #2" time="0.003">
      <failure type="ISSUER_FAILED" message="ISSUER_FAILED: HTTP 500 Internal Server Error; the body is 4 bytes: &quot;boom&quot;">ISSUER_FAILED: HTTP 500 Internal Server Error; the body is 4 bytes: "boom"
</failure>
    </testcase>
    <testcase classname="mmjwt.audit.rule" name="JTI_REUSED" time="0">
      <failure type="JTI_REUSED" message="JTI_REUSED: 1 finding">JTI_REUSED: jti "jti-a" is in 2 tokens: alice #1, alice #2 (the very same token each time: does the issuer cache tokens?)
</failure>
    </testcase>
    <testcase classname="mmjwt.audit.rule" name="CLOCK_SKEW" time="0"/>
    <testcase classname="mmjwt.audit.rule" name="LIFETIME_TOO_SHORT" time="0"/>
    <testcase classname="mmjwt.audit.rule" name="LIFETIME_TOO_LONG" time="0"/>
    <testcase classname="mmjwt.audit.rule" name="LIFETIME_INCONSISTENT" time="0"/>
    <testcase classname="mmjwt.audit.rule" name="KID_INCONSISTENT" time="0"/>
    <testcase classname="mmjwt.audit.rule" name="ISSUER_FAILED" time="0">
      <failure type="ISSUER_FAILED" message="ISSUER_FAILED: 1 finding">ISSUER_FAILED: Željko #2: HTTP 500 Internal Server Error; the body is 4 bytes: "boom"
</failure>
    </testcase>
  </testsuite>
</testsuites>
"#
        .replace("{NFD}", "Z\u{30c}");
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn escaping_keeps_the_document_well_formed() {
        assert_eq!(attr("a\"b'<c>&\n"), "a&quot;b&apos;&lt;c&gt;&amp;&#10;");
        assert_eq!(text("x<y & \u{1}z"), "x&lt;y &amp; \u{fffd}z");
    }
}
