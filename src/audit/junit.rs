//! The audit as JUnit XML, the report format CI systems read (GitLab, Jenkins, GitHub test
//! reporters, Azure): one `testsuite`, one `testcase` per user and attempt and one per audit
//! rule, a failing one carrying one `failure` whose `type` is its first code and whose
//! `message` lists every code, the text giving each code with its message. Nothing a token or
//! secret is made of is written: the messages are those of the text report.

use super::{AuditReport, Outcome};
use std::fmt::Write as _;

/// The whole document.
pub fn render(r: &AuditReport) -> String {
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
        if codes.is_empty() {
            o.push_str("/>\n");
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
        if let Outcome::Judged(j) = &a.outcome {
            for h in &j.hints {
                let _ = writeln!(body, "hint: {h}");
            }
        }
        let _ = writeln!(
            o,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            attr(names[0]),
            attr(&names.join(", ")),
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
    fn escaping_keeps_the_document_well_formed() {
        assert_eq!(attr("a\"b'<c>&\n"), "a&quot;b&apos;&lt;c&gt;&amp;&#10;");
        assert_eq!(text("x<y & \u{1}z"), "x&lt;y &amp; \u{fffd}z");
    }
}
