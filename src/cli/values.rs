//! Typed values at the clap edge: every flag value that has a shape is parsed here, where clap
//! parses, so a bad one is a usage error (exit 2) that clap names with its flag, and the
//! commands receive durations, instants, claims, URLs and ids instead of strings. Secrets and
//! tokens are not parsed here: they stay opaque ([`crate::secret::SecretText`]) so that clap
//! never quotes them back.
//!
//! The library's enums get their command-line names here too (`ValueEnum`, or [`ByName`] for
//! the core crate's), so no module below the command layer depends on clap.

use crate::audit::template::{ExecTemplate, UrlTemplate};
use crate::color::ColorChoice;
use crate::sandbox::{LogFormat, Mode};
use crate::sdk::plugins::Plugin;
use crate::sdk::{Platform, SdkSelection};
use crate::token::breakage::BreakKind;
use clap::ValueEnum;
use clap::builder::PossibleValue;
use clap::builder::TypedValueParser as _;
use serde_json::Value;
use std::time::Duration;

/// A duration in whole seconds: `90s`, `15m`, `2h`, `1d`, `1h30m` or bare seconds.
pub fn seconds(text: &str) -> Result<i64, String> {
    crate::time::parse_duration(text)
}

/// A duration of at least one second (`--request-timeout`).
pub fn positive_seconds(text: &str) -> Result<i64, String> {
    match crate::time::parse_duration(text)? {
        0 => Err("must be at least 1s".into()),
        n => Ok(n),
    }
}

/// A network timeout: `500ms` or any duration `seconds` takes, between 1 ms and 1 hour.
pub fn timeout(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let d = if let Some(ms) = t.strip_suffix("ms") {
        let n: u64 = ms
            .trim()
            .parse()
            .map_err(|_| "use forms like 10s, 500ms, 1m".to_string())?;
        Duration::from_millis(n)
    } else {
        Duration::from_secs(crate::time::parse_duration(t)?.unsigned_abs())
    };
    if d.is_zero() || d > Duration::from_hours(1) {
        return Err("must be between 1ms and 1h".into());
    }
    Ok(d)
}

/// An instant: Unix seconds or RFC 3339.
pub fn instant(text: &str) -> Result<i64, String> {
    crate::time::parse_instant(text)
}

/// `--claim KEY=VALUE` (a string) or `--claim KEY:=JSON` (any JSON value).
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimArg {
    pub key: String,
    pub value: Value,
}

impl std::str::FromStr for ClaimArg {
    type Err = String;
    fn from_str(item: &str) -> Result<Self, String> {
        let Some(eq) = item.find('=') else {
            return Err("use KEY=VALUE (a string) or KEY:=JSON".into());
        };
        let (key, value) = if item[..eq].ends_with(':') {
            let key = &item[..eq - 1];
            let v: Value = serde_json::from_str(&item[eq + 1..])
                .map_err(|e| format!("the value after {key}:= is not valid JSON ({e})"))?;
            (key, v)
        } else {
            (&item[..eq], Value::String(item[eq + 1..].to_string()))
        };
        if key.is_empty() {
            return Err("a claim needs a name before '='".into());
        }
        if crate::token::mint::RESERVED_CLAIMS.contains(&key) {
            return Err(format!(
                "cannot set {key}: mmjwt writes it itself (see --user-id, --ttl, --jti, --no-iss)"
            ));
        }
        Ok(ClaimArg {
            key: key.to_string(),
            value,
        })
    }
}

/// `--base-url`: http or https, a host, no user info, query or fragment; kept without a
/// trailing `/`. Empty (an empty `MMJWT_BASE_URL`) means "not given".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(Option<String>);

impl BaseUrl {
    /// The URL, or `None` when it was given empty.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() {
            return Ok(BaseUrl(None));
        }
        crate::replay::request::check_base_url(text).map(|u| BaseUrl(Some(u)))
    }
}

/// `--push-reg-id`: characters both SDKs can put into a path unencoded. Empty (an empty
/// `MMJWT_PUSH_REG_ID`) means "not given".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRegId(Option<String>);

impl PushRegId {
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl std::str::FromStr for PushRegId {
    type Err = String;
    fn from_str(id: &str) -> Result<Self, String> {
        if id.is_empty() {
            return Ok(PushRegId(None));
        }
        crate::replay::request::check_push_reg_id(id)?;
        Ok(PushRegId(Some(id.to_string())))
    }
}

/// An id that travels in a header (`--installation-id`, `--session-id`): 1-256 visible ASCII
/// characters.
pub fn header_id(id: &str) -> Result<String, String> {
    crate::replay::request::check_header_id(id)?;
    Ok(id.to_string())
}

/// `--user-agent`: non-empty printable ASCII.
pub fn user_agent(ua: &str) -> Result<String, String> {
    crate::replay::request::check_user_agent(ua)?;
    Ok(ua.to_string())
}

/// `sandbox --installation`: a push registration id usable in a URL path.
pub fn installation(id: &str) -> Result<String, String> {
    crate::sandbox::check_installation_id(id)?;
    Ok(id.to_string())
}

/// A `--header` pair; `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct HeaderArg {
    pub name: String,
    pub value: String,
}

impl std::fmt::Debug for HeaderArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HeaderArg({}: [REDACTED])", self.name)
    }
}

/// `audit --header 'Name: value'`. The messages never contain the value.
pub fn header(s: &str) -> Result<HeaderArg, String> {
    let Some((name, value)) = s.split_once(':') else {
        return Err("use 'Name: value' (no ':' found)".into());
    };
    let name = name.trim();
    if name.is_empty() {
        return Err("the header name before ':' is empty".into());
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    {
        return Err("the header name has characters a header name cannot have".into());
    }
    let value = value.trim();
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(format!(
            "the value of {name} has a line break or NUL, which HTTP cannot carry"
        ));
    }
    Ok(HeaderArg {
        name: name.to_string(),
        value: value.to_string(),
    })
}

/// `audit --url`: see `UrlTemplate::parse`.
pub fn url_template(s: &str) -> Result<UrlTemplate, String> {
    UrlTemplate::parse(s)
}

/// `audit --exec`: see `ExecTemplate::parse`.
pub fn exec_template(s: &str) -> Result<ExecTemplate, String> {
    ExecTemplate::parse(s)
}

/// An RFC 6901 pointer: empty (the whole answer) or starting with '/'.
pub fn json_pointer(s: &str) -> Result<String, String> {
    if s.is_empty() || s.starts_with('/') {
        Ok(s.to_string())
    } else {
        Err("a JSON pointer starts with '/', e.g. /data/token".into())
    }
}

/// The defaults that several flags share, written once: for clap (`gen --ttl`, `replay
/// --ttl`; `check`, `audit` and `sandbox --leeway`; `check` and `audit --sdk`; `replay` and
/// `audit --timeout`) and for [`super::plain`], which fills what a plain line leaves out.
pub const DEFAULT_TTL: &str = "15m";
pub const DEFAULT_LEEWAY: &str = "0";
pub const DEFAULT_SDK: &str = "both";
pub const DEFAULT_TIMEOUT: &str = "10s";

/// The `--sdk` names.
const SDK_NAMES: [&str; 3] = ["android", "ios", "both"];

/// What an `--sdk` name selects; `None` for any other text.
pub fn sdk_named(name: &str) -> Option<SdkSelection> {
    match name {
        "android" => Some(SdkSelection::only(Platform::Android)),
        "ios" => Some(SdkSelection::only(Platform::Ios)),
        "both" => Some(SdkSelection::BOTH),
        _ => None,
    }
}

/// `check --sdk android|ios|both`.
pub fn sdk_selection() -> impl clap::builder::TypedValueParser<Value = SdkSelection> {
    clap::builder::PossibleValuesParser::new(SDK_NAMES.map(PossibleValue::new))
        // The parser admits only the names, so every value has its selection.
        .map(|s| sdk_named(&s).unwrap_or(SdkSelection::BOTH))
}

/// A `--plugin` name: one plugin, or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PluginName {
    One(Plugin),
    All,
}

impl ValueEnum for PluginName {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            PluginName::One(Plugin::Flutter),
            PluginName::One(Plugin::ReactNative),
            PluginName::One(Plugin::Cordova),
            PluginName::All,
        ]
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            PluginName::One(p) => p.name(),
            PluginName::All => "all",
        }))
    }
}

/// One `--plugin` value: a comma-separated list of plugins (`all` expanded), possibly empty:
/// `MMJWT_PLUGIN=` set but empty means no plugin, not an error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PluginList(pub Vec<Plugin>);

/// Parses a [`PluginList`], each name as clap parses an enum (same errors, same completions).
#[derive(Debug, Clone, Copy)]
pub struct PluginListParser;

impl clap::builder::TypedValueParser for PluginListParser {
    type Value = PluginList;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<PluginList, clap::Error> {
        let one = clap::builder::EnumValueParser::<PluginName>::new();
        let names: Vec<PluginName> = match value.to_str() {
            Some(text) => text
                .split(',')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(|name| one.parse_ref(cmd, arg, std::ffi::OsStr::new(name)))
                .collect::<Result<_, _>>()?,
            None => vec![one.parse_ref(cmd, arg, value)?],
        };
        Ok(PluginList(
            names
                .into_iter()
                .flat_map(|n| match n {
                    PluginName::One(p) => vec![p],
                    PluginName::All => Plugin::ALL.to_vec(),
                })
                .collect(),
        ))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            PluginName::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

impl ValueEnum for Mode {
    fn value_variants<'a>() -> &'a [Self] {
        &[Mode::AllowAll, Mode::JwtOnly, Mode::Disallow]
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Mode::AllowAll => {
                "Allow all mobile SDK requests (App authorization; Bearer tokens are verified if sent)"
            }
            Mode::JwtOnly => "Allow only mobile SDK requests with JWT authorization",
            Mode::Disallow => "Disallow all mobile SDK requests to user data",
        };
        Some(PossibleValue::new(self.as_str()).help(help))
    }
}

impl ValueEnum for LogFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[LogFormat::Text, LogFormat::Json, LogFormat::Off]
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        let (name, help) = match self {
            LogFormat::Text => ("text", "One human-readable line per request"),
            LogFormat::Json => ("json", "One JSON object per line (NDJSON)"),
            LogFormat::Off => ("off", "Nothing (in-process use by tests and `replay`)"),
        };
        Some(PossibleValue::new(name).help(help))
    }
}

/// A core enum on the command line, by the names its own module gives it. The core crate does
/// not depend on clap, so its enums cannot be `ValueEnum`s; this parser reads them as clap's
/// `EnumValueParser` reads one: the same matching, the same errors, the same completions.
#[derive(Debug, Clone, Copy)]
pub struct ByName<T: 'static> {
    all: &'static [T],
    name: fn(T) -> &'static str,
}

/// `--color`: auto, always or never.
pub const COLOR: ByName<ColorChoice> = ByName {
    all: &[ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never],
    name: color_name,
};

/// `replay --sdk`: android or ios.
pub const PLATFORM: ByName<Platform> = ByName {
    all: &Platform::ALL,
    name: Platform::name,
};

/// `gen --break` and `replay --break`: the kinds, by `BreakKind::name`.
pub const BREAK_KIND: ByName<BreakKind> = ByName {
    all: &BreakKind::ALL,
    name: BreakKind::name,
};

fn color_name(choice: ColorChoice) -> &'static str {
    match choice {
        ColorChoice::Auto => "auto",
        ColorChoice::Always => "always",
        ColorChoice::Never => "never",
    }
}

impl<T: Copy> ByName<T> {
    /// The command-line name of `value` (for a flag's default).
    pub fn name(&self, value: T) -> &'static str {
        (self.name)(value)
    }

    /// The value `text` names, matched as clap matches a possible value (ASCII case ignored
    /// when `ignore_case`).
    pub fn find(&self, text: &str, ignore_case: bool) -> Option<T> {
        self.all
            .iter()
            .copied()
            .find(|v| PossibleValue::new((self.name)(*v)).matches(text, ignore_case))
    }

    fn possible(&self) -> impl Iterator<Item = PossibleValue> + '_ {
        self.all.iter().map(|v| PossibleValue::new((self.name)(*v)))
    }
}

impl<T: Copy + Send + Sync + 'static> clap::builder::TypedValueParser for ByName<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let ignore_case = arg.is_some_and(clap::Arg::is_ignore_case_set);
        if let Some(found) = value.to_str().and_then(|text| self.find(text, ignore_case)) {
            return Ok(found);
        }
        // clap's own error for a value outside the names, quoting the text as `EnumValueParser`
        // quotes it (lossily when it is not UTF-8; the names are ASCII, so that text matches
        // none of them either).
        let text = value.to_string_lossy();
        let names = clap::builder::PossibleValuesParser::new(self.possible());
        let name = names.parse_ref(cmd, arg, std::ffi::OsStr::new(text.as_ref()))?;
        // Unreachable: the names admitted `name` exactly as `find` matches.
        self.find(&name, ignore_case)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.possible()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_parse() {
        let c: ClaimArg = "a=b=c".parse().unwrap();
        assert_eq!((c.key.as_str(), c.value), ("a", Value::from("b=c")));
        let n: ClaimArg = "n:=3".parse().unwrap();
        assert_eq!(n.value, Value::from(3));
        let o: ClaimArg = "o:={\"x\":[1]}".parse().unwrap();
        assert_eq!(o.value["x"][0], 1);
        for bad in ["sub=x", "x", "=x", "n:=nope"] {
            assert!(bad.parse::<ClaimArg>().is_err(), "{bad}");
        }
    }

    #[test]
    fn timeouts() {
        assert_eq!(timeout("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(timeout("10s").unwrap(), Duration::from_secs(10));
        assert_eq!(timeout("2").unwrap(), Duration::from_secs(2));
        assert!(timeout("0ms").is_err());
        assert!(timeout("2h").is_err());
        assert!(timeout("fast").is_err());
    }

    #[test]
    fn empty_environment_values_mean_not_given() {
        assert_eq!("".parse::<BaseUrl>().unwrap().get(), None);
        assert_eq!(
            "http://127.0.0.1:8080/".parse::<BaseUrl>().unwrap().get(),
            Some("http://127.0.0.1:8080")
        );
        assert!("ftp://x".parse::<BaseUrl>().is_err());
        assert_eq!("".parse::<PushRegId>().unwrap().get(), None);
        assert!("a/b".parse::<PushRegId>().is_err());
    }

    #[test]
    fn the_library_enums_keep_their_names() {
        for p in Platform::ALL {
            assert_eq!(PLATFORM.find(p.name(), false), Some(p));
        }
        for m in Mode::value_variants() {
            assert_eq!(Mode::from_str(m.as_str(), false).as_ref(), Ok(m));
        }
        assert!(installation("a/b").is_err());
        assert_eq!(installation("reg-1").unwrap(), "reg-1");
    }

    #[test]
    fn audit_headers_parse_and_errors_never_show_the_value() {
        let h = header("X-Api-Key:  s3cr3t-value ").unwrap();
        assert_eq!(
            (h.name.as_str(), h.value.as_str()),
            ("X-Api-Key", "s3cr3t-value")
        );
        assert!(!format!("{h:?}").contains("s3cr3t"));
        assert_eq!(
            header("Authorization: Bearer a:b").unwrap().value,
            "Bearer a:b"
        );
        for bad in [
            "s3cr3t-value",
            ": s3cr3t-value",
            "X Key: s3cr3t-value",
            "X: s3cr3t\nvalue",
        ] {
            let e = header(bad).unwrap_err();
            assert!(!e.contains("s3cr3t"), "{bad}: {e}");
        }
    }

    #[test]
    fn audit_durations_and_pointers() {
        assert_eq!(timeout("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(timeout("2s").unwrap(), Duration::from_secs(2));
        assert!(timeout("0s").is_err());
        assert!(timeout("2h").is_err());
        assert_eq!(seconds("24h").unwrap(), 86_400);
        assert!(seconds("-1").is_err());
        assert_eq!(json_pointer("/data/token").unwrap(), "/data/token");
        assert!(json_pointer("data").is_err());
    }
}
