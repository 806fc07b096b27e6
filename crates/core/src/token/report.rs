//! The `check` report rendered as text (coloured parts, explained claims, both SDK verdicts,
//! every server-side step, a verdict line) or as the stable JSON object.

use crate::color::Painter;
use crate::json::Members;
use crate::problem::{Code, Warn};
use crate::sdk::Platform;
use crate::sdk::SdkVerdict;
use crate::sdk::plugins::{self, EmptyToken, Plugin, PluginErrors};
use crate::time::{relative, rfc3339};
use crate::token::Input;
use crate::token::check::{Outcome, Report, Step};
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;

/// Version of the `check --json` object; bumped only for incompatible changes.
pub const SCHEMA: u32 = 3;

/// The one-line explanation of a header member (the page shows the same table).
pub fn explain_header(name: &str) -> &'static str {
    match name {
        "alg" => "signature algorithm; Infobip tokens use HS256",
        "typ" => "token media type; both SDKs require it, the server wants \"JWT\"",
        "kid" => "id of the secret key (JWT private keys in the App Profile)",
        "crit" => "critical extensions; none is understood, so the token is refused",
        _ => "not used by Infobip",
    }
}

/// The one-line explanation of a claim (the page shows the same table).
pub fn explain_claim(name: &str) -> &'static str {
    match name {
        "typ" => "token type; must be \"Bearer\"",
        "sub" => "the person's external user id",
        "infobip-api-key" => "the Application Code of the App Profile",
        "iat" => "issued at",
        "exp" => "expires at; the SDKs refuse the token from this second on",
        "jti" => "unique token id (mandatory)",
        "iss" => "issuer; the examples set the application code (not checked)",
        "nbf" => "not before",
        "aud" => "audience; not part of Infobip's profile",
        _ => "custom claim",
    }
}

/// A NumericDate seen three ways.
#[derive(Debug, Serialize)]
pub struct TimeView {
    pub unix: i64,
    pub rfc3339: Option<String>,
    pub relative: String,
}

fn time_view(v: Option<&Value>, now: i64) -> Option<TimeView> {
    let t = v.and_then(Value::as_i64)?;
    Some(TimeView {
        unix: t,
        rfc3339: rfc3339(t),
        relative: relative(t, now),
    })
}

#[derive(Debug, Serialize)]
struct InputView<'a> {
    notes: &'a [String],
    length: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Times {
    now: i64,
    leeway: i64,
    iat: Option<TimeView>,
    exp: Option<TimeView>,
    nbf: Option<TimeView>,
}

#[derive(Debug, Serialize)]
struct SdkView<'a> {
    android: Option<AndroidView<'a>>,
    ios: Option<VerdictView<'a>>,
}

/// One SDK's verdict plus what each plugin hands the app for it (schema 2), and for an empty
/// token what each plugin does on each path (schema 3).
#[derive(Debug, Serialize)]
struct VerdictView<'a> {
    accepted: bool,
    code: Option<Code>,
    message: Option<&'a str>,
    plugins: Option<PluginErrors>,
    empty_token: Option<EmptyToken>,
}

/// Android's verdict view, which also carries the code of SDK 13.22.0 and older.
#[derive(Debug, Serialize)]
struct AndroidView<'a> {
    #[serde(flatten)]
    verdict: VerdictView<'a>,
    legacy_code: Option<&'static str>,
}

fn verdict_view(platform: Platform, v: &SdkVerdict, empty: bool) -> VerdictView<'_> {
    VerdictView {
        accepted: v.accepted,
        code: v.code,
        message: v.message.as_deref(),
        plugins: plugins::errors(platform, v),
        empty_token: if empty {
            plugins::empty_token(platform, v)
        } else {
            None
        },
    }
}

fn sdk_view(report: &Report, empty: bool) -> SdkView<'_> {
    SdkView {
        android: report.sdk[Platform::Android].as_ref().map(|v| AndroidView {
            verdict: verdict_view(Platform::Android, v, empty),
            legacy_code: plugins::android_legacy_code(v),
        }),
        ios: report.sdk[Platform::Ios]
            .as_ref()
            .map(|v| verdict_view(Platform::Ios, v, empty)),
    }
}

/// The `sdk` member of the `check --json` object for `report`: each SDK's verdict with what
/// each plugin hands the app (the prediction of `gen --break` carries exactly these objects).
pub fn sdk_json(report: &Report) -> Value {
    // Strings, numbers and serde-derived structs only: nothing can fail.
    serde_json::to_value(sdk_view(report, is_empty_token(report))).unwrap_or(Value::Null)
}

/// Whether the string the app would pass is the empty one, which today's plugins clear
/// (`check_input` names it with `EMPTY_TOKEN_CLEARS`).
fn is_empty_token(report: &Report) -> bool {
    report
        .warnings
        .iter()
        .any(|w| w.code == Warn::EmptyTokenClears)
}

/// The steps as `{name, outcome, detail}`; passing steps leave out their (fixed) detail, which
/// keeps a batch's output a third smaller.
#[derive(Debug)]
struct Steps<'a>(&'a [Step]);

impl Serialize for Steps<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct One<'b>(&'b Step);
        impl Serialize for One<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let pass = self.0.outcome == Outcome::Pass;
                let mut m = s.serialize_map(Some(if pass { 2 } else { 3 }))?;
                m.serialize_entry("name", self.0.name)?;
                m.serialize_entry("outcome", &self.0.outcome)?;
                if !pass {
                    m.serialize_entry("detail", &self.0.detail)?;
                }
                m.end()
            }
        }
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for step in self.0 {
            seq.serialize_element(&One(step))?;
        }
        seq.end()
    }
}

/// The `check --json` object for one token (its schema: docs/schema/check.json). Serialised
/// straight from the report, without an intermediate `Value` tree: batch checking spends most
/// of its time here.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    schema: u32,
    valid: bool,
    verified: bool,
    exit_code: u8,
    input: InputView<'a>,
    header: Option<&'a Members>,
    claims: Option<&'a Members>,
    times: Times,
    sdk: SdkView<'a>,
    checks: Steps<'a>,
    problems: &'a [crate::problem::Problem],
    warnings: &'a [crate::problem::Warning],
}

/// Builds the JSON view of one token's report; `line` is its stdin line, if any.
pub fn json<'a>(
    report: &'a Report,
    input: &'a Input,
    line: Option<usize>,
    now: i64,
    leeway: i64,
) -> JsonReport<'a> {
    let claim = |k: &str| report.claims.as_ref().and_then(|c| c.get(k));
    let empty = is_empty_token(report);
    JsonReport {
        schema: SCHEMA,
        valid: report.valid(),
        verified: report.verified,
        exit_code: report.exit_code(),
        input: InputView {
            notes: &input.notes,
            length: input.token.len(),
            line,
        },
        header: report.header.as_ref(),
        claims: report.claims.as_ref(),
        times: Times {
            now,
            leeway,
            iat: time_view(claim("iat"), now),
            exp: time_view(claim("exp"), now),
            nbf: time_view(claim("nbf"), now),
        },
        sdk: sdk_view(report, empty),
        checks: Steps(&report.steps),
        problems: &report.problems,
        warnings: &report.warnings,
    }
}

/// Appends the compact form of `json(report, input, line, now, leeway)` to `out`: the one
/// schema, as serde writes it.
pub fn write_json(
    out: &mut String,
    report: &Report,
    input: &Input,
    line: Option<usize>,
    now: i64,
    leeway: i64,
) {
    let view = json(report, input, line, now, leeway);
    // The view holds strings, numbers and serde-derived structs only: nothing can fail.
    let text = serde_json::to_string(&view).unwrap_or_default();
    out.push_str(&text);
}

/// `{"unix":…,"rfc3339":…,"relative":…}`: a date in the `times` member of a JSON report as
/// [`TimeView`] serialises it, for the one fast writer (`token::quick`).
pub(crate) fn write_time(out: &mut String, t: i64, now: i64) {
    out.push_str("{\"unix\":");
    crate::json::write::int(out, t);
    out.push_str(",\"rfc3339\":");
    let mark = out.len();
    out.push('"');
    if crate::time::push_rfc3339(out, t) {
        out.push('"');
    } else {
        out.truncate(mark);
        out.push_str("null");
    }
    // Relative phrases are digits, letters and spaces: nothing to escape.
    out.push_str(",\"relative\":\"");
    crate::time::push_relative(out, t, now);
    out.push_str("\"}");
}

/// The human report for one token.
pub fn text(report: &Report, input: &Input, now: i64, p: Painter) -> String {
    text_with_plugins(report, input, now, p, &[])
}

/// The human report, with what each of `shown` plugins hands the app under each refusing
/// SDK's verdict.
pub fn text_with_plugins(
    report: &Report,
    input: &Input,
    now: i64,
    p: Painter,
    shown: &[Plugin],
) -> String {
    let mut o = String::new();
    let parts: Vec<&str> = input.token.splitn(3, '.').collect();
    let coloured = match parts.as_slice() {
        [h, pl, s] => format!(
            "{}{}{}{}{}",
            p.header_part(h),
            p.dim("."),
            p.payload_part(pl),
            p.dim("."),
            p.signature_part(s)
        ),
        _ => input.token.clone(),
    };
    // Pushed rather than `writeln!`: the formatting machinery (and its padding) was most of
    // the report's cost, and a single `check TOKEN` pays it at every start.
    push_line(&mut o, &[&p.label("token   "), " ", &coloured]);
    for n in &input.notes {
        push_line(&mut o, &[&p.label("input   "), " ", n]);
    }
    section(
        &mut o,
        p,
        "header",
        report.header.as_ref(),
        now,
        explain_header,
    );
    section(
        &mut o,
        p,
        "claims",
        report.claims.as_ref(),
        now,
        explain_claim,
    );

    push_line(&mut o, &[&p.label("sdk")]);
    if let Some(note) = not_empty_note(report, input) {
        push_line(&mut o, &["  ", &p.dim(&note)]);
    }
    let empty = is_empty_token(report);
    for (platform, v) in report.sdk.iter() {
        let Some(v) = v else { continue };
        let name = platform.name();
        let line = if v.accepted {
            p.ok("accepted")
        } else {
            format!(
                "{} {}",
                p.bad(v.code.map_or("", Code::as_str)),
                v.message.as_deref().unwrap_or("")
            )
        };
        o.push_str("  ");
        push_padded(&mut o, name, 8);
        push_line(&mut o, &[" ", &line]);
        plugin_lines(&mut o, p, platform, v, shown, empty);
    }

    push_line(&mut o, &[&p.label("server")]);
    for s in &report.steps {
        let mark = match s.outcome {
            Outcome::Pass => p.ok("ok  "),
            Outcome::Fail => p.bad("FAIL"),
            Outcome::Skip => p.warn("skip"),
        };
        o.push_str("  ");
        o.push_str(&mark);
        o.push(' ');
        push_padded(&mut o, s.name, 18);
        push_line(&mut o, &[" ", &s.detail]);
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(o, "{}", p.label("warnings"));
        for w in &report.warnings {
            let _ = writeln!(
                o,
                "  {} {} {}",
                p.warn("!"),
                p.warn(w.code.as_str()),
                w.message
            );
        }
    }
    push_line(&mut o, &[&verdict_line(report, p)]);
    o
}

/// A whitespace-only token (one an SDK refuses as blank) is not empty to the plugins, which
/// clear only `""` and null: unlike the empty string it reaches the SDK on every path.
fn not_empty_note(report: &Report, input: &Input) -> Option<String> {
    if input.token.is_empty() {
        return None;
    }
    let blank: Vec<&str> = report
        .sdk
        .iter()
        .filter(|(_, v)| {
            v.as_ref()
                .is_some_and(|v| v.message.as_deref() == Some(crate::sdk::BLANK_MESSAGE))
        })
        .map(|(platform, _)| platform.display())
        .collect();
    if blank.is_empty() {
        return None;
    }
    Some(format!(
        "whitespace only, but not empty to the plugins (they clear only \"\" and null): setUserDataJwt and init hand it to the SDK, and {} {} it as blank",
        blank.join(" and "),
        if blank.len() == 1 {
            "refuses"
        } else {
            "refuse"
        }
    ))
}

/// `    flutter       PlatformException(...)` and its notes, for each plugin shown; for an
/// empty token also what the setter and `init` do with it.
pub fn plugin_lines(
    o: &mut String,
    p: Painter,
    platform: Platform,
    v: &SdkVerdict,
    shown: &[Plugin],
    empty: bool,
) {
    let Some(errors) = plugins::errors(platform, v) else {
        return;
    };
    for &plugin in shown {
        let object = match errors.js(plugin) {
            Some(js) => plugins::js_text(js),
            None => plugins::dart_text(errors.flutter()),
        };
        let _ = writeln!(o, "    {:<13} {object}", plugin.name());
        for note in plugins::notes(platform, plugin, v) {
            let _ = writeln!(o, "    {:<13} {}", "", p.dim(&format!("note: {note}")));
        }
        if empty {
            for path in plugins::empty_token_lines(platform, plugin) {
                let _ = writeln!(o, "    {:<13} {path}", "");
            }
        }
    }
}

fn section(
    o: &mut String,
    p: Painter,
    title: &str,
    obj: Option<&Members>,
    now: i64,
    explain: fn(&str) -> &'static str,
) {
    push_line(o, &[&p.label(title)]);
    let Some(obj) = obj else {
        let _ = writeln!(o, "  {}", p.dim("(not decodable as a JSON object)"));
        return;
    };
    let width = obj
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(16);
    for (k, v) in obj.iter() {
        let mut value = v.to_string();
        if value.chars().count() > 80 {
            value = format!("{}…", value.chars().take(80).collect::<String>());
        }
        let when = match (k, v.as_i64()) {
            ("iat" | "exp" | "nbf", Some(t)) => {
                let r = relative(t, now);
                let phrase = if k == "exp" {
                    if t > now {
                        format!("expires {r}")
                    } else {
                        format!("expired {r}")
                    }
                } else {
                    r
                };
                format!(" {} ({phrase})", rfc3339(t).unwrap_or_default())
            }
            _ => String::new(),
        };
        o.push_str("  ");
        push_padded(o, k, width);
        push_line(
            o,
            &[
                " ",
                &value,
                &when,
                "  ",
                &p.dim(&format!("— {}", explain(k))),
            ],
        );
    }
}

/// Appends `parts` and a newline.
fn push_line(o: &mut String, parts: &[&str]) {
    for part in parts {
        o.push_str(part);
    }
    o.push('\n');
}

/// Appends `s` left-aligned in `width` characters, as `{:<width$}` does.
fn push_padded(o: &mut String, s: &str, width: usize) {
    o.push_str(s);
    for _ in s.chars().count()..width {
        o.push(' ');
    }
}

fn verdict_line(report: &Report, p: Painter) -> String {
    let mut codes: Vec<&str> = Vec::new();
    for pr in &report.problems {
        if !codes.contains(&pr.code.as_str()) {
            codes.push(pr.code.as_str());
        }
    }
    if report.valid() {
        if report.verified {
            format!(
                "{} {}",
                p.label("verdict "),
                p.ok("VALID (signature verified)")
            )
        } else {
            format!(
                "{} {}",
                p.label("verdict "),
                p.warn("VALID as far as can be told — signature NOT verified (no secret)")
            )
        }
    } else {
        format!(
            "{} {} (exit {}): {}",
            p.label("verdict "),
            p.bad("INVALID"),
            report.exit_code(),
            codes.join(", ")
        )
    }
}
