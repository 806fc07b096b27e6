//! The Android SDK's `AuthorizationUtils.isValidJwt`, reproduced with the quirks that decide its
//! answers: Java `String.split` part counting, `android.util.Base64`'s URL-safe decoder (which
//! skips characters outside its alphabet), org.json's lenient parser and `getLong` conversions,
//! with the Java standard library's own number and case rules (see `javanum`).
//!
//! Besides the verdict, [`analyse`] says how deep org.json would recurse: Java has no limit short
//! of the thread's stack, and a `StackOverflowError` is caught by nothing in the SDK, so on a
//! device a deeply nested token can kill the calling thread instead of getting the verdict.

use super::orgjson::{self, JVal};
use super::{
    HEADER_MESSAGE, MANDATORY_CLAIMS, MANDATORY_HEADERS, PARTS_MESSAGE, PAYLOAD_MESSAGE, Parsed,
    SdkVerdict,
};
use crate::json::Members;
use serde_json::Value;

/// Judges `token` as the Android SDK would at Unix time `now` (whole seconds).
pub fn validate(token: &str, now: i64) -> SdkVerdict {
    validate_parsed(token, now, &Parsed::default())
}

/// Nesting (containers open at once, the header or payload object counting as 1) from which
/// mmjwt warns that org.json's recursion may overflow a device thread's stack. No token needs
/// more than a few levels; on OpenJDK 17 the overflow came at 445 levels on a 256 KiB thread
/// stack and at about 2,200 (objects) to 2,700 (arrays) on the default 1 MiB one, and the depth
/// at which it happens on a device is not known, so the bound sits well below all of those.
pub const STACK_RISK_DEPTH: usize = 256;

/// The verdict, and how deep org.json nested on the way to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    pub verdict: SdkVerdict,
    /// The deepest nesting org.json reached in the header and in the payload (0 where it did
    /// not run: a segment the server layer parsed strictly nests at most 128 levels).
    pub depth: Depth,
    /// What `getLong("exp")` returned, when the check got that far and it succeeded.
    pub exp: Option<i64>,
}

/// Nesting depth per segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Depth {
    pub header: usize,
    pub payload: usize,
}

impl Analysis {
    /// The segment (`"header"` or `"payload"`) and depth at which the real parser may die of
    /// `StackOverflowError` on a device before answering, if either nests that deep.
    pub fn stack_risk(&self) -> Option<(&'static str, usize)> {
        let Depth { header, payload } = self.depth;
        let (part, depth) = if payload > header {
            ("payload", payload)
        } else {
            ("header", header)
        };
        (depth >= STACK_RISK_DEPTH).then_some((part, depth))
    }
}

/// An object as org.json read it, or a strict parse known to read the same.
enum Obj<'a> {
    Org(orgjson::Object),
    Strict(&'a Members),
}

impl Obj<'_> {
    fn has(&self, name: &str) -> bool {
        match self {
            Obj::Org(o) => o.has(name),
            Obj::Strict(m) => m.contains_key(name),
        }
    }

    /// `getLong(name)`.
    fn get_long(&self, name: &str) -> Option<i64> {
        match self {
            Obj::Org(o) => o.get(name).and_then(get_long),
            Obj::Strict(m) => match m.get(name)? {
                // org.json reads integers that fit a long as longs, all other numbers as doubles.
                Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|d| d as i64)),
                Value::String(s) => orgjson::java_parse_double(s).map(|d| d as i64),
                _ => None,
            },
        }
    }
}

fn read<'a>(part: &str, parsed: Option<&'a Members>, depth: &mut usize) -> Option<Obj<'a>> {
    match parsed {
        Some(m) => Some(Obj::Strict(m)),
        None => decode_and_parse(part, depth).map(Obj::Org),
    }
}

/// [`validate`], reusing segments the server layer already parsed.
pub fn validate_parsed(token: &str, now: i64, parsed: &Parsed<'_>) -> SdkVerdict {
    analyse(token, now, parsed).verdict
}

/// [`validate_parsed`], with how deep org.json nested.
pub fn analyse(token: &str, now: i64, parsed: &Parsed<'_>) -> Analysis {
    let mut depth = Depth::default();
    let mut exp = None;
    let verdict = judge(token, now, parsed, &mut depth, &mut exp);
    Analysis {
        verdict,
        depth,
        exp,
    }
}

fn judge(
    token: &str,
    now: i64,
    parsed: &Parsed<'_>,
    depth: &mut Depth,
    exp_read: &mut Option<i64>,
) -> SdkVerdict {
    if token.chars().all(is_java_whitespace) {
        return SdkVerdict::structure(super::BLANK_MESSAGE);
    }
    let parts = java_split_dot(token);
    if parts.len() != 3 {
        return SdkVerdict::structure(PARTS_MESSAGE);
    }
    let Some(header) = read(parts[0], parsed.header_for(parts[0]), &mut depth.header) else {
        return SdkVerdict::structure(HEADER_MESSAGE);
    };
    // Android iterates a `Set.of(...)`, whose order changes per process; when several members
    // are missing it names one of them. mmjwt names the first in a fixed order.
    if let Some(missing) = MANDATORY_HEADERS.iter().find(|h| !header.has(h)) {
        return SdkVerdict::structure(format!(
            "Token header is missing mandatory header {missing}"
        ));
    }
    let Some(payload) = read(parts[1], parsed.payload_for(parts[1]), &mut depth.payload) else {
        return SdkVerdict::structure(PAYLOAD_MESSAGE);
    };
    if let Some(missing) = MANDATORY_CLAIMS.iter().find(|c| !payload.has(c)) {
        return SdkVerdict::structure(format!(
            "Token payload is missing mandatory claim {missing}"
        ));
    }
    // `getLong` failing surfaces as a structure error naming exp, not as "expired".
    let Some(exp) = payload.get_long("exp") else {
        return SdkVerdict::structure("Token payload is missing mandatory claim exp");
    };
    *exp_read = Some(exp);
    if now >= exp {
        return SdkVerdict::expired();
    }
    SdkVerdict::accepted()
}

/// Java's `Character.isWhitespace`, which `String.isBlank` uses: no-break spaces do not count.
fn is_java_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\u{1C}'..='\u{1F}'
    ) || (matches!(
        c,
        ' ' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{205F}' | '\u{3000}'
    ) && !matches!(c, '\u{2007}'))
}

/// `token.split("\\.")`: inner and leading empty strings stay, trailing ones are removed.
fn java_split_dot(token: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = token.split('.').collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// `decodeAndParse`: `null` (here `None`) when the base64 or the JSON is bad; `depth` is set to
/// how deep the JSON nested.
fn decode_and_parse(part: &str, depth: &mut usize) -> Option<orgjson::Object> {
    let bytes = android_base64_decode(part.as_bytes())?;
    // `new String(bytes)`: malformed UTF-8 becomes U+FFFD rather than an error.
    let text = String::from_utf8_lossy(&bytes);
    let parse = orgjson::parse_object(&text);
    *depth = parse.depth;
    parse.object.ok()
}

/// `android.util.Base64.decode(part, URL_SAFE | NO_WRAP)`: the AOSP decoder's state machine.
/// Bytes outside `A-Z a-z 0-9 - _ =` are skipped; errors only for misplaced padding or a lone
/// trailing character.
pub fn android_base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    const SKIP: i16 = -1;
    const EQUALS: i16 = -2;
    /// AOSP's `DECODE_WEBSAFE` table.
    const TABLE: [i16; 256] = {
        let mut t = [SKIP; 256];
        let mut i = 0;
        while i < 64 {
            let c = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[i];
            t[c as usize] = i as i16;
            i += 1;
        }
        t[b'=' as usize] = EQUALS;
        t
    };
    let table = |b: u8| TABLE[b as usize];
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut state = 0u8;
    let mut value: u32 = 0;
    for &b in input {
        let d = table(b);
        match state {
            0 | 1 => {
                if d >= 0 {
                    value = (value << 6) | d as u32;
                    state += 1;
                } else if d != SKIP {
                    return None;
                }
            }
            2 => {
                if d >= 0 {
                    value = (value << 6) | d as u32;
                    state = 3;
                } else if d == EQUALS {
                    out.push((value >> 4) as u8);
                    state = 4;
                } else if d != SKIP {
                    return None;
                }
            }
            3 => {
                if d >= 0 {
                    value = (value << 6) | d as u32;
                    out.extend_from_slice(&[(value >> 16) as u8, (value >> 8) as u8, value as u8]);
                    state = 0;
                } else if d == EQUALS {
                    out.extend_from_slice(&[(value >> 10) as u8, (value >> 2) as u8]);
                    state = 5;
                } else if d != SKIP {
                    return None;
                }
            }
            4 => {
                if d == EQUALS {
                    state = 5;
                } else if d != SKIP {
                    return None;
                }
            }
            _ => {
                if d != SKIP {
                    return None;
                }
            }
        }
    }
    match state {
        1 | 4 => None,
        2 => {
            out.push((value >> 4) as u8);
            Some(out)
        }
        3 => {
            out.extend_from_slice(&[(value >> 10) as u8, (value >> 2) as u8]);
            Some(out)
        }
        _ => Some(out),
    }
}

/// org.json `JSON.toLong`: integers as they are, doubles truncated toward zero (saturating, NaN
/// as 0), strings through `Double.parseDouble`; anything else fails.
fn get_long(v: &JVal) -> Option<i64> {
    match v {
        JVal::Int(n) => Some(*n),
        JVal::Double(d) => Some(*d as i64),
        JVal::Str(s) => orgjson::java_parse_double(s).map(|d| d as i64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_skips_foreign_characters_and_accepts_padding() {
        assert_eq!(android_base64_decode(b"YWJj").unwrap(), b"abc");
        assert_eq!(android_base64_decode(b"YW Jj").unwrap(), b"abc");
        assert_eq!(android_base64_decode(b"Y+W/Jj").unwrap(), b"abc");
        assert_eq!(android_base64_decode(b"YQ==").unwrap(), b"a");
        assert_eq!(android_base64_decode(b"YQ").unwrap(), b"a");
        assert_eq!(android_base64_decode(b"YWI=").unwrap(), b"ab");
        assert!(android_base64_decode(b"Y").is_none());
        assert!(android_base64_decode(b"YQ=").is_none());
        assert!(android_base64_decode(b"=YQ").is_none());
        assert!(android_base64_decode(b"YQ==YQ").is_none());
        assert_eq!(android_base64_decode(b"").unwrap(), b"");
    }

    #[test]
    fn split_drops_only_trailing_empties() {
        assert_eq!(java_split_dot("a.b.c."), vec!["a", "b", "c"]);
        assert_eq!(java_split_dot("a.b.c.."), vec!["a", "b", "c"]);
        assert_eq!(java_split_dot(".a.b.c"), vec!["", "a", "b", "c"]);
        assert_eq!(java_split_dot("a..c"), vec!["a", "", "c"]);
        assert_eq!(java_split_dot("..."), Vec::<&str>::new());
    }

    fn token(header: &str, payload: &str) -> String {
        let enc = |s: &str| crate::b64::encode(s.as_bytes());
        format!("{}.{}.sig", enc(header), enc(payload))
    }

    const PAYLOAD: &str =
        r#"{"typ":"Bearer","sub":"u","infobip-api-key":"a","iat":1,"exp":"0x1p31","jti":"j"}"#;

    #[test]
    fn analysis_measures_each_segment() {
        let deep = format!(
            r#"{{"alg":"HS256","typ":"JWT","kid":"k","x":{}{}}}"#,
            "[".repeat(300),
            "]".repeat(300)
        );
        let a = analyse(&token(&deep, PAYLOAD), 1_700_000_000, &Parsed::default());
        assert_eq!(
            a.verdict,
            SdkVerdict::accepted(),
            "a string exp of 0x1p31 is 2^31"
        );
        assert_eq!(
            a.depth,
            Depth {
                header: 301,
                payload: 1
            }
        );
        assert_eq!(a.stack_risk(), Some(("header", 301)));
        // The payload is only parsed once the header passed.
        let a = analyse(&token(r#"{"alg":1}"#, &deep), 0, &Parsed::default());
        assert_eq!(
            a.depth,
            Depth {
                header: 1,
                payload: 0
            }
        );
        assert_eq!(a.stack_risk(), None);
        let a = analyse(
            &token(r#"{"alg":1,"typ":1,"kid":1}"#, &deep),
            0,
            &Parsed::default(),
        );
        assert_eq!(a.stack_risk(), Some(("payload", 301)));
        assert_eq!(
            validate(
                &token(r#"{"alg":1,"typ":1,"kid":1}"#, PAYLOAD),
                2_147_483_648
            ),
            SdkVerdict::expired()
        );
    }

    #[test]
    fn whitespace_follows_java_not_unicode() {
        assert!(is_java_whitespace(' '));
        assert!(is_java_whitespace('\u{2003}'));
        assert!(!is_java_whitespace('\u{00A0}'));
        assert!(!is_java_whitespace('\u{2007}'));
        assert!(!is_java_whitespace('\u{202F}'));
    }
}
