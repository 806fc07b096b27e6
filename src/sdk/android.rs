//! The Android SDK's `AuthorizationUtils.isValidJwt`, reproduced with the quirks that decide its
//! answers: Java `String.split` part counting, `android.util.Base64`'s URL-safe decoder (which
//! skips characters outside its alphabet), org.json's lenient parser and `getLong` conversions.

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

fn read<'a>(part: &str, parsed: Option<&'a Members>) -> Option<Obj<'a>> {
    match parsed {
        Some(m) => Some(Obj::Strict(m)),
        None => decode_and_parse(part).map(Obj::Org),
    }
}

/// [`validate`], reusing segments the server layer already parsed.
pub fn validate_parsed(token: &str, now: i64, parsed: &Parsed<'_>) -> SdkVerdict {
    if token.chars().all(is_java_whitespace) {
        return SdkVerdict::structure(super::BLANK_MESSAGE);
    }
    let parts = java_split_dot(token);
    if parts.len() != 3 {
        return SdkVerdict::structure(PARTS_MESSAGE);
    }
    let Some(header) = read(parts[0], parsed.header_for(parts[0])) else {
        return SdkVerdict::structure(HEADER_MESSAGE);
    };
    // Android iterates a `Set.of(...)`, whose order changes per process; when several members
    // are missing it names one of them. mmjwt names the first in a fixed order.
    if let Some(missing) = MANDATORY_HEADERS.iter().find(|h| !header.has(h)) {
        return SdkVerdict::structure(format!(
            "Token header is missing mandatory header {missing}"
        ));
    }
    let Some(payload) = read(parts[1], parsed.payload_for(parts[1])) else {
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

fn decode_and_parse(part: &str) -> Option<orgjson::Object> {
    let bytes = android_base64_decode(part.as_bytes())?;
    // `new String(bytes)`: malformed UTF-8 becomes U+FFFD rather than an error.
    let text = String::from_utf8_lossy(&bytes);
    orgjson::parse_object(&text).ok()
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

    #[test]
    fn whitespace_follows_java_not_unicode() {
        assert!(is_java_whitespace(' '));
        assert!(is_java_whitespace('\u{2003}'));
        assert!(!is_java_whitespace('\u{00A0}'));
        assert!(!is_java_whitespace('\u{2007}'));
        assert!(!is_java_whitespace('\u{202F}'));
    }
}
