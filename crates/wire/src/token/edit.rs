//! Editing a token and signing it again (`gen --from`, the debugger page's "Edit and re-sign"):
//! the header and the payload read member by member as written ([`crate::json::raw`]), the
//! edits made in place, appended or removed, every other member kept byte for byte, and the
//! result signed as [`mint`] signs. Pure (no clock, no I/O): the caller judges
//! the result with [`judge`] and asks [`refusals`] what needs an allowance, as `gen` would.

use super::check::{self, Keys, Options, Report};
use super::mint;
use crate::b64;
use crate::json::{self, JsonError, RawMember, RawObject, parse_raw_object};
use crate::problem::{Code, Problem};
use crate::secret::HmacKey;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// The two JSON parts of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Header,
    Payload,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Header => "header",
            Part::Payload => "payload",
        }
    }
}

/// What an edit did to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// A new value where the member stood.
    Replaced,
    /// A new member after the others.
    Appended,
    Removed,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Replaced => "replaced",
            Action::Appended => "appended",
            Action::Removed => "removed",
        }
    }
}

/// One member an edit changed (an edit that sets the value a member already has changes
/// nothing and is not listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    #[serde(rename = "where")]
    pub part: Part,
    pub member: String,
    pub action: Action,
}

/// The edits of `gen --from`, each optional. Every member is edited at most once.
#[derive(Debug, Clone, Default)]
pub struct Edits {
    /// The header's `kid`.
    pub key_id: Option<String>,
    /// `sub`.
    pub user_id: Option<String>,
    /// `infobip-api-key`, and `iss` when the token's `iss` is its old application code (as
    /// `gen` writes it), so that the two stay equal.
    pub app_code: Option<String>,
    pub jti: Option<String>,
    pub iat: Option<i64>,
    pub exp: Option<i64>,
    /// Claims set to these values, replaced in place or appended, in this order.
    pub claims: Vec<(String, Value)>,
    /// Claims removed; each must be there.
    pub unset: Vec<String>,
}

/// A token signed from edited parts.
#[derive(Debug, Clone)]
pub struct Resigned {
    pub token: String,
    pub header: RawObject,
    pub payload: RawObject,
    /// The header and payload JSON exactly as encoded in the token.
    pub header_json: String,
    pub payload_json: String,
    pub changes: Vec<Change>,
    /// What was done to the input beyond the edits (a segment re-encoded canonically).
    pub notes: Vec<String>,
}

/// Why a token or a part cannot be edited. Messages quote no token text, only member names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// Longer than [`MAX_TOKEN_BYTES`](super::MAX_TOKEN_BYTES): its length.
    TooLarge(usize),
    /// Not `header.payload` or `header.payload.signature`: the number of segments.
    Segments(usize),
    /// The segment is not base64url in any reading.
    Base64(Part),
    /// The part is not a JSON object (the strict reader's message, with its position).
    Json(Part, JsonError),
    /// The part names a member twice.
    Duplicate(Part, String),
    /// An `unset` names a claim the payload does not have.
    UnsetAbsent(String),
    /// Two edits name the same member.
    EditedTwice(Part, String),
}

impl EditError {
    /// The part the error is in, where there is one (the page shows it there).
    pub fn part(&self) -> Option<Part> {
        match self {
            EditError::TooLarge(_) | EditError::Segments(_) => None,
            EditError::Base64(p)
            | EditError::Json(p, _)
            | EditError::Duplicate(p, _)
            | EditError::EditedTwice(p, _) => Some(*p),
            EditError::UnsetAbsent(_) => Some(Part::Payload),
        }
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::TooLarge(n) => write!(
                f,
                "the token is {n} bytes; tokens over {} bytes are refused",
                super::MAX_TOKEN_BYTES
            ),
            EditError::Segments(n) => write!(
                f,
                "the token has {n} dot-separated segment{}; editing needs header.payload (a signature may follow and is ignored)",
                if *n == 1 { "" } else { "s" }
            ),
            EditError::Base64(p) => write!(f, "the {} segment is not base64url", p.as_str()),
            EditError::Json(p, JsonError::Invalid(e)) => {
                write!(f, "the {} is not valid JSON ({e})", p.as_str())
            }
            EditError::Json(p, JsonError::NotObject(kind)) => {
                write!(f, "the {} is {kind}, not a JSON object", p.as_str())
            }
            EditError::Duplicate(p, name) => write!(
                f,
                "the {} has the member {} more than once; the server refuses duplicate members (DUPLICATE_MEMBER)",
                p.as_str(),
                quoted(name)
            ),
            EditError::UnsetAbsent(name) => write!(
                f,
                "cannot unset {}: the payload has no such claim",
                quoted(name)
            ),
            EditError::EditedTwice(p, name) => write!(
                f,
                "the {} member {} is edited twice; give one edit per member",
                p.as_str(),
                quoted(name)
            ),
        }
    }
}

impl std::error::Error for EditError {}

/// A member name as a JSON string, so that control characters in it show as escapes.
fn quoted(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 2);
    json::write::string(&mut s, name);
    s
}

/// Reads the header and payload of `token` (already cleaned of prefixes) as written.
/// Returns them with notes on segments that were not canonical base64url.
pub fn decode(token: &str) -> Result<(RawObject, RawObject, Vec<String>), EditError> {
    if token.len() > super::MAX_TOKEN_BYTES {
        return Err(EditError::TooLarge(token.len()));
    }
    let segments: Vec<&str> = token.split('.').collect();
    let [header, payload] = match segments.as_slice() {
        [h, p] | [h, p, _] => [*h, *p],
        _ => return Err(EditError::Segments(segments.len())),
    };
    let mut notes = Vec::new();
    let mut read = |part: Part, segment: &str| {
        let (bytes, deviations) = b64::decode_lenient(segment).ok_or(EditError::Base64(part))?;
        if !deviations.is_empty() {
            let what: Vec<&str> = deviations.iter().map(|d| d.describe()).collect();
            notes.push(format!(
                "the {} segment had {}; it is encoded canonically",
                part.as_str(),
                what.join(", ")
            ));
        }
        object(part, &bytes)
    };
    let header = read(Part::Header, header)?;
    let payload = read(Part::Payload, payload)?;
    Ok((header, payload, notes))
}

/// One part read strictly, duplicates refused.
fn object(part: Part, bytes: &[u8]) -> Result<RawObject, EditError> {
    let o = parse_raw_object(bytes).map_err(|e| EditError::Json(part, e))?;
    match o.duplicates.first() {
        Some(name) => Err(EditError::Duplicate(part, name.clone())),
        None => Ok(o),
    }
}

/// A token's header and payload as written, with the edits made so far, not yet signed: what
/// `--break` breaks further ([`crate::token::breakage`]) before it is signed.
#[derive(Debug, Clone)]
pub struct Edited {
    pub header: RawObject,
    pub payload: RawObject,
    /// What the edits asked for changed.
    pub changes: Vec<Change>,
    /// What was done to the input beyond the edits.
    pub notes: Vec<String>,
}

impl Edited {
    /// A header and a payload given as JSON text, each a strict JSON object, its members kept
    /// as written; nothing changed yet.
    pub fn from_json(header_json: &str, payload_json: &str) -> Result<Edited, EditError> {
        Ok(Edited {
            header: object(Part::Header, header_json.as_bytes())?,
            payload: object(Part::Payload, payload_json.as_bytes())?,
            changes: Vec::new(),
            notes: Vec::new(),
        })
    }

    /// Makes `edits` on top of the ones made so far (a member edited before may be edited
    /// again) and returns what they changed, which is not added to [`Edited::changes`].
    pub fn apply(&mut self, edits: &Edits) -> Result<Vec<Change>, EditError> {
        apply(&mut self.header, &mut self.payload, edits)
    }

    /// Signs the parts as they now stand with `key`.
    pub fn sign(self, key: &HmacKey) -> Resigned {
        sign(self.header, self.payload, self.changes, self.notes, key)
    }
}

/// `token` (already cleaned of prefixes) with `edits` made, not yet signed.
pub fn edit(token: &str, edits: &Edits) -> Result<Edited, EditError> {
    let (mut header, mut payload, notes) = decode(token)?;
    let changes = apply(&mut header, &mut payload, edits)?;
    Ok(Edited {
        header,
        payload,
        changes,
        notes,
    })
}

/// `token` with `edits` made, signed with `key` (the old signature is neither needed nor
/// checked). With no edits the header and payload segments are the token's own.
pub fn edit_and_sign(token: &str, edits: &Edits, key: &HmacKey) -> Result<Resigned, EditError> {
    Ok(edit(token, edits)?.sign(key))
}

/// The token for a header and a payload given as JSON text (the page's editor), each a
/// strict JSON object, its members kept as written.
pub fn resign_json(
    header_json: &str,
    payload_json: &str,
    key: &HmacKey,
) -> Result<Resigned, EditError> {
    Ok(Edited::from_json(header_json, payload_json)?.sign(key))
}

fn sign(
    header: RawObject,
    payload: RawObject,
    changes: Vec<Change>,
    notes: Vec<String>,
    key: &HmacKey,
) -> Resigned {
    let header_json = header.text();
    let payload_json = payload.text();
    Resigned {
        token: mint::sign(header_json.as_bytes(), payload_json.as_bytes(), key),
        header,
        payload,
        header_json,
        payload_json,
        changes,
        notes,
    }
}

/// Makes `edits`: the header's first, then the payload's in the order of [`Edits`]' fields.
fn apply(
    header: &mut RawObject,
    payload: &mut RawObject,
    edits: &Edits,
) -> Result<Vec<Change>, EditError> {
    let mut sets: Vec<(&str, Value)> = Vec::new();
    let strings = [
        ("sub", &edits.user_id),
        ("infobip-api-key", &edits.app_code),
    ];
    for (name, v) in strings {
        if let Some(v) = v {
            sets.push((name, Value::from(v.as_str())));
        }
    }
    let times = [("iat", edits.iat), ("exp", edits.exp)];
    sets.extend(
        times
            .into_iter()
            .filter_map(|(n, t)| Some((n, Value::from(t?)))),
    );
    if let Some(jti) = &edits.jti {
        sets.push(("jti", Value::from(jti.as_str())));
    }
    // `iss` follows the application code where it was the application code.
    if let Some(code) = &edits.app_code
        && let (Some(iss), Some(old)) = (payload.get("iss"), payload.get("infobip-api-key"))
        && iss.value == old.value
        && !edits.unset.iter().any(|n| n == "iss")
        && !edits.claims.iter().any(|(n, _)| n == "iss")
    {
        sets.push(("iss", Value::from(code.as_str())));
    }
    sets.extend(edits.claims.iter().map(|(n, v)| (n.as_str(), v.clone())));

    let mut named: Vec<&str> = Vec::with_capacity(sets.len() + edits.unset.len());
    for name in sets
        .iter()
        .map(|(n, _)| *n)
        .chain(edits.unset.iter().map(String::as_str))
    {
        if named.contains(&name) {
            return Err(EditError::EditedTwice(Part::Payload, name.to_owned()));
        }
        named.push(name);
    }

    let mut changes = Vec::new();
    if let Some(kid) = &edits.key_id {
        set(
            header,
            Part::Header,
            "kid",
            Value::from(kid.as_str()),
            &mut changes,
        );
    }
    for (name, value) in sets {
        set(payload, Part::Payload, name, value, &mut changes);
    }
    for name in &edits.unset {
        if !payload.remove(name) {
            return Err(EditError::UnsetAbsent(name.clone()));
        }
        changes.push(Change {
            part: Part::Payload,
            member: name.clone(),
            action: Action::Removed,
        });
    }
    Ok(changes)
}

/// Sets `name` to `value` in place, or appends it; a member that already has the value (as
/// read: `"\u00e9"` is `"é"`, `1.0` is not `1`) keeps its text and is not a change.
fn set(o: &mut RawObject, part: Part, name: &str, value: Value, changes: &mut Vec<Change>) {
    let action = match o.get_mut(name) {
        Some(m) if m.value == value => return,
        Some(m) => {
            m.set_value(value);
            Action::Replaced
        }
        None => {
            o.members.push(RawMember::new(name, value));
            Action::Appended
        }
    };
    changes.push(Change {
        part,
        member: name.to_owned(),
        action,
    });
}

/// `check` of an edited token at `now`, its signature verified with the key it was signed
/// with: what the SDKs and the server will say of it.
pub fn judge(token: &str, key: &HmacKey, now: i64) -> Report {
    check::check(
        token,
        &Options {
            keys: Keys::Single(key),
            ..Options::at(now)
        },
    )
}

/// What lets a refused token through, as `gen` allows its fixtures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    /// `--allow-expired`: an `exp` not after now (or not after `iat`).
    Expired,
    /// `--allow-empty`: an empty `kid`, `sub`, `infobip-api-key` or `jti`.
    Empty,
    /// Any other refusal: a token made to fail (`--break`).
    Broken,
}

impl Allowance {
    /// The allowance a problem needs.
    pub fn for_code(code: Code) -> Allowance {
        match code {
            Code::Expired | Code::ExpBeforeIat => Allowance::Expired,
            Code::ClaimEmpty => Allowance::Empty,
            _ => Allowance::Broken,
        }
    }
}

/// The allowances given; a problem whose [`Allowance`] is not given refuses the token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allowed {
    pub expired: bool,
    pub empty: bool,
    /// Set by a request for a broken token (`--break`); lets every problem through.
    pub broken: bool,
}

impl Allowed {
    fn allows(self, a: Allowance) -> bool {
        self.broken
            || match a {
                Allowance::Expired => self.expired,
                Allowance::Empty => self.empty,
                Allowance::Broken => false,
            }
    }
}

/// The problems of `report` that `allowed` does not let through, in the report's order.
pub fn refusals(report: &Report, allowed: Allowed) -> Vec<&Problem> {
    report
        .problems
        .iter()
        .filter(|p| !allowed.allows(Allowance::for_code(p.code)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key() -> HmacKey {
        HmacKey::new(&[7u8; 32])
    }

    fn token(header: &str, payload: &str) -> String {
        format!(
            "{}.{}.c2ln",
            b64::encode(header.as_bytes()),
            b64::encode(payload.as_bytes())
        )
    }

    const HEADER: &str = r#"{"alg":"HS256","typ":"JWT","kid":"k1"}"#;
    const PAYLOAD: &str = r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"app","iat":1700000000,"exp":1700000900,"jti":"j1","iss":"app"}"#;

    #[test]
    fn no_edits_give_the_same_segments_and_mints_signature() {
        let original = token(HEADER, PAYLOAD);
        let r = edit_and_sign(&original, &Edits::default(), &key()).unwrap();
        assert!(r.changes.is_empty() && r.notes.is_empty());
        let segments: Vec<&str> = original.split('.').collect();
        let unsigned = format!("{}.{}", segments[0], segments[1]);
        assert!(r.token.starts_with(&format!("{unsigned}.")));
        assert_eq!(
            r.token,
            mint::sign(HEADER.as_bytes(), PAYLOAD.as_bytes(), &key())
        );
        // The signature is the one the minter makes for the same header and payload.
        let mut m = mint::Minter::new("k1", key());
        let (minted, payload) = m.mint(&mint::Claims {
            sub: "alice",
            app_code: "app",
            iat: 1_700_000_000,
            exp: 1_700_000_900,
            jti: "j1",
            iss: Some("app"),
            extra: &[],
        });
        assert_eq!(payload, PAYLOAD);
        assert_eq!(r.token, minted);
        // A token without its signature reads the same.
        assert_eq!(
            edit_and_sign(&unsigned, &Edits::default(), &key())
                .unwrap()
                .token,
            r.token
        );
    }

    #[test]
    fn each_edit_replaces_in_place_appends_or_removes() {
        use Action::{Appended, Removed, Replaced};
        let t = token(HEADER, PAYLOAD);
        let edits = Edits {
            key_id: Some("k2".into()),
            user_id: Some("bob".into()),
            app_code: Some("other".into()),
            jti: Some("j2".into()),
            iat: Some(5),
            exp: Some(6),
            claims: vec![
                ("plan".into(), Value::from("pro")),
                ("n".into(), serde_json::json!([1, {"a": null}])),
            ],
            unset: vec!["typ".into()],
        };
        let r = edit_and_sign(&t, &edits, &key()).unwrap();
        assert_eq!(r.header_json, r#"{"alg":"HS256","typ":"JWT","kid":"k2"}"#);
        assert_eq!(
            r.payload_json,
            r#"{"sub":"bob","infobip-api-key":"other","iat":5,"exp":6,"jti":"j2","iss":"other","plan":"pro","n":[1,{"a":null}]}"#
        );
        let got: Vec<(Part, &str, Action)> = r
            .changes
            .iter()
            .map(|c| (c.part, c.member.as_str(), c.action))
            .collect();
        assert_eq!(
            got,
            [
                (Part::Header, "kid", Replaced),
                (Part::Payload, "sub", Replaced),
                (Part::Payload, "infobip-api-key", Replaced),
                (Part::Payload, "iat", Replaced),
                (Part::Payload, "exp", Replaced),
                (Part::Payload, "jti", Replaced),
                (Part::Payload, "iss", Replaced),
                (Part::Payload, "plan", Appended),
                (Part::Payload, "n", Appended),
                (Part::Payload, "typ", Removed),
            ]
        );
        assert_eq!(
            serde_json::to_string(&r.changes[0]).unwrap(),
            r#"{"where":"header","member":"kid","action":"replaced"}"#
        );
    }

    #[test]
    fn iss_follows_the_app_code_only_where_it_was_the_app_code() {
        let payload = r#"{"sub":"a","infobip-api-key":"app","iss":"someone"}"#;
        let edits = Edits {
            app_code: Some("new".into()),
            ..Edits::default()
        };
        let r = edit_and_sign(&token(HEADER, payload), &edits, &key()).unwrap();
        assert_eq!(
            r.payload_json,
            r#"{"sub":"a","infobip-api-key":"new","iss":"someone"}"#
        );
        assert_eq!(r.changes.len(), 1);
    }

    #[test]
    fn sorted_pyjwt_parts_keep_their_order_numbers_and_escapes() {
        let header = r#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#;
        let payload = r#"{"exp":1.5e9,"iat":1.0,"infobip-api-key":"app","jti":"j","name":"\u00e9\/","sub":"alice","typ":"Bearer"}"#;
        let edits = Edits {
            user_id: Some("bob".into()),
            // The value it already has: kept as written.
            jti: Some("j".into()),
            ..Edits::default()
        };
        let r = edit_and_sign(&token(header, payload), &edits, &key()).unwrap();
        assert_eq!(r.header_json, header);
        assert_eq!(r.payload_json, payload.replace(r#""alice""#, r#""bob""#));
        assert_eq!(r.changes.len(), 1);
        // A time edit rewrites the number as an integer.
        let edits = Edits {
            iat: Some(1),
            ..Edits::default()
        };
        let r = edit_and_sign(&token(header, payload), &edits, &key()).unwrap();
        assert!(r.payload_json.contains(r#""iat":1,"#), "{}", r.payload_json);
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let k = key();
        let e = |t: &str| edit_and_sign(t, &Edits::default(), &k).unwrap_err();
        assert_eq!(e("abc"), EditError::Segments(1));
        assert_eq!(e(&"a".repeat(9000)), EditError::TooLarge(9000));
        assert_eq!(e("a.b.c.d"), EditError::Segments(4));
        assert_eq!(e("a*b.e30"), EditError::Base64(Part::Header));
        assert_eq!(
            e(&token(HEADER, "[1]")),
            EditError::Json(Part::Payload, JsonError::NotObject("an array"))
        );
        let not_json = e(&token("{\"a\":", PAYLOAD));
        assert!(
            not_json
                .to_string()
                .starts_with("the header is not valid JSON ("),
            "{not_json}"
        );
        assert!(
            not_json.to_string().contains("line 1 column 5"),
            "{not_json}"
        );
        assert_eq!(
            e(&token(HEADER, r#"{"a":1,"a":2}"#)),
            EditError::Duplicate(Part::Payload, "a".into())
        );
        let unset = Edits {
            unset: vec!["nope".into()],
            ..Edits::default()
        };
        assert_eq!(
            edit_and_sign(&token(HEADER, PAYLOAD), &unset, &k).unwrap_err(),
            EditError::UnsetAbsent("nope".into())
        );
        let twice = Edits {
            claims: vec![("x".into(), Value::from(1))],
            unset: vec!["x".into()],
            ..Edits::default()
        };
        assert_eq!(
            edit_and_sign(&token(HEADER, PAYLOAD), &twice, &k).unwrap_err(),
            EditError::EditedTwice(Part::Payload, "x".into())
        );
        assert_eq!(
            EditError::Duplicate(Part::Header, "a\nb".into()).to_string(),
            "the header has the member \"a\\nb\" more than once; the server refuses duplicate members (DUPLICATE_MEMBER)"
        );
    }

    #[test]
    fn non_canonical_segments_are_noted() {
        let t = format!("{}=.{}", b64::encode(b"{\"a\":1}"), b64::encode(b"{}"));
        let r = edit_and_sign(&t, &Edits::default(), &key()).unwrap();
        assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
        assert!(r.notes[0].starts_with("the header segment had"));
        assert_eq!(r.header_json, r#"{"a":1}"#);
    }

    #[test]
    fn json_text_is_signed_as_written() {
        let header = "{ \"alg\": \"HS256\", \"kid\": \"k1\", \"typ\": \"JWT\" }";
        let r = resign_json(header, PAYLOAD, &key()).unwrap();
        assert_eq!(r.header_json, header);
        assert_eq!(
            r.token,
            mint::sign(header.as_bytes(), PAYLOAD.as_bytes(), &key())
        );
        let err = resign_json(HEADER, "{\n  \"sub\": }", &key()).unwrap_err();
        assert_eq!(err.part(), Some(Part::Payload));
        assert!(err.to_string().contains("line 2 column"), "{err}");
        assert_eq!(
            resign_json("null", PAYLOAD, &key()).unwrap_err(),
            EditError::Json(Part::Header, JsonError::NotObject("null"))
        );
    }

    #[test]
    fn refusals_need_their_allowance() {
        let now = 1_700_000_100;
        let expired = Edits {
            exp: Some(now - 1),
            user_id: Some(String::new()),
            ..Edits::default()
        };
        let r = edit_and_sign(&token(HEADER, PAYLOAD), &expired, &key()).unwrap();
        let report = judge(&r.token, &key(), now);
        assert!(report.verified);
        let codes =
            |a: Allowed| -> Vec<Code> { refusals(&report, a).iter().map(|p| p.code).collect() };
        let none = codes(Allowed::default());
        assert!(
            none.contains(&Code::Expired) && none.contains(&Code::ClaimEmpty),
            "{none:?}"
        );
        let empty_only = codes(Allowed {
            empty: true,
            ..Allowed::default()
        });
        assert!(!empty_only.contains(&Code::ClaimEmpty) && empty_only.contains(&Code::Expired));
        assert!(
            codes(Allowed {
                expired: true,
                empty: true,
                broken: false
            })
            .is_empty()
        );
        // A missing mandatory claim needs a broken token.
        let missing = Edits {
            unset: vec!["jti".into()],
            ..Edits::default()
        };
        let r = edit_and_sign(&token(HEADER, PAYLOAD), &missing, &key()).unwrap();
        let report = judge(&r.token, &key(), 1_700_000_000);
        let all = Allowed {
            expired: true,
            empty: true,
            broken: false,
        };
        assert!(!refusals(&report, all).is_empty());
        assert!(
            refusals(
                &report,
                Allowed {
                    broken: true,
                    ..all
                }
            )
            .is_empty()
        );
    }

    proptest! {
        /// No edits: any object's text signs as written, byte for byte.
        #[test]
        fn unedited_parts_are_signed_as_written(
            members in prop::collection::vec(
                ("[a-z]{1,3}", prop_oneof![
                    Just("1.0".to_string()),
                    Just("1.5e9".to_string()),
                    Just(r#""\u00e9\/""#.to_string()),
                    "-?[1-9][0-9]{0,10}",
                    "\"[ -!#-\\[\\]-~é]{0,6}\"",
                    Just("[true, null]".to_string()),
                ]),
                0..8,
            )
        ) {
            let mut seen = std::collections::HashSet::new();
            let body: Vec<String> = members
                .iter()
                .filter(|(k, _)| seen.insert(k.clone()))
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect();
            let payload = format!("{{{}}}", body.join(","));
            let t = token(HEADER, &payload);
            let r = edit_and_sign(&t, &Edits::default(), &key()).unwrap();
            prop_assert_eq!(&r.payload_json, &payload);
            let segments: Vec<&str> = t.split('.').collect();
            let prefix = format!("{}.{}.", segments[0], segments[1]);
            prop_assert!(r.token.starts_with(&prefix));
        }
    }
}
