//! The page's JSON API. Every verdict comes from the code the command line runs: `check`
//! answers the `mmjwt check --json` object (the same renderer), `gen` the `mmjwt gen --json`
//! object, `replay` the `mmjwt replay --json` object of one call sent to this sandbox;
//! `resign` signs a header and claims as typed (the page's "Edit and re-sign"); `state` shows
//! the sandbox (never a secret). Secrets in a request are used for that request and
//! dropped; errors never quote a value.
//!
//! Errors are `{"error": {"kind", "message"}}` with a 4xx status (`kind` as the command line's
//! `--json` errors name it: `usage`, `secret`, ...).

use crate::replay::Call;
use crate::replay::body as replay_body;
use crate::replay::client::Client;
use crate::replay::job::{CallSpec, TokenSource};
use crate::replay::plan::Plan;
use crate::replay::redact::Show;
use crate::replay::render as replay_render;
use crate::replay::request::{self, PersonalizeFlags};
use crate::sandbox::Shared;
use crate::sdk::Platform;
use crate::secret::{HmacKey, Secret, SecretText};
use crate::serve::{self, Request, Response};
use crate::token::breakage::{self, BreakKind, Recipe};
use crate::token::check::{Expectations, Keys, Options, check_input};
use crate::token::edit::{self, EditError, Part};
use crate::token::mint::{Claims, JtiSource, Minter, RESERVED_CLAIMS};
use crate::token::pitfalls::KeyVariants;
use crate::token::{exact_input, normalize_input};
use http::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::time::Duration;

/// Request bodies over this are refused (413), as on the Mobile API routes.
pub(crate) const MAX_BODY_BYTES: usize = crate::sandbox::MAX_BODY_BYTES;
/// How long `replay` waits for this sandbox to answer the call it sends.
const REPLAY_TIMEOUT: Duration = Duration::from_secs(5);
/// `state` lists at most this many persons and installations (the counts are always whole).
const MAX_LISTED: usize = 500;
/// Version of the `state` object.
pub(crate) const STATE_SCHEMA: u32 = 2;

/// `{"error": {"kind": KIND, "message": MESSAGE}}` with `status`.
pub(crate) fn error(status: StatusCode, kind: &str, message: impl Into<String>) -> Response {
    let body = json!({"error": {"kind": kind, "message": message.into()}});
    json_bytes(status, body.to_string())
}

fn json_bytes(status: StatusCode, body: String) -> Response {
    serve::response(status, "application/json", body)
}

/// A refusal of the request's content: 400 and the command line's error kind.
struct Bad {
    status: StatusCode,
    kind: &'static str,
    message: String,
}

impl Bad {
    fn usage(message: impl Into<String>) -> Bad {
        Bad {
            status: StatusCode::BAD_REQUEST,
            kind: "usage",
            message: message.into(),
        }
    }

    fn into_response(self) -> Response {
        error(self.status, self.kind, self.message)
    }
}

/// Reads the body (at most [`MAX_BODY_BYTES`]) and parses it as `T`. serde's messages can quote
/// a value of the wrong type (a secret sent as a number), so only field names are passed on.
async fn body<T: DeserializeOwned>(req: Request) -> Result<T, Bad> {
    let bytes = serve::read_body(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| Bad {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            kind: "body",
            message: format!(
                "the request body is over {} KiB or could not be read",
                MAX_BODY_BYTES / 1024
            ),
        })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let text = e.to_string();
        let said = if text.starts_with("unknown field") || text.starts_with("missing field") {
            // Names of members, never their values.
            text.split(" at line")
                .next()
                .unwrap_or_default()
                .to_string()
        } else if e.is_data() {
            "a member has the wrong type (see the API in docs/reference.md)".to_string()
        } else {
            "the body is not a JSON object".to_string()
        };
        Bad::usage(format!("invalid request: {said}"))
    })
}

/// A time as Unix seconds (number) or any form `--now` takes (string).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Instant {
    Unix(i64),
    Text(String),
}

fn instant(field: &str, v: Option<&Instant>) -> Result<Option<i64>, Bad> {
    match v {
        None => Ok(None),
        Some(Instant::Unix(t)) => Ok(Some(*t)),
        Some(Instant::Text(t)) => crate::time::parse_instant(t)
            .map(Some)
            .map_err(|e| Bad::usage(format!("{field}: {e}"))),
    }
}

/// A duration as seconds (number) or any form `--leeway`/`--ttl` take (string).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Span {
    Seconds(i64),
    Text(String),
}

fn span(field: &str, v: Option<&Span>, default: i64) -> Result<i64, Bad> {
    match v {
        None => Ok(default),
        Some(Span::Seconds(s)) if *s >= 0 => Ok(*s),
        Some(Span::Seconds(_)) => Err(Bad::usage(format!("{field} must not be negative"))),
        Some(Span::Text(t)) => {
            crate::time::parse_duration(t).map_err(|e| Bad::usage(format!("{field}: {e}")))
        }
    }
}

fn secret(text: Option<&str>) -> Result<Option<Secret>, Bad> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| {
            Secret::from_hex(t).map_err(|e| Bad {
                status: StatusCode::BAD_REQUEST,
                kind: "secret",
                message: format!("malformed secret: {e}"),
            })
        })
        .transpose()
}

/// An optional text field; empty means not given (an empty form field).
fn given(v: Option<&String>) -> Option<&str> {
    v.map(String::as_str).filter(|s| !s.is_empty())
}

fn now_of(shared: &Shared, v: Option<&Instant>, field: &str) -> Result<i64, Bad> {
    Ok(instant(field, v)?.unwrap_or_else(|| shared.now()))
}

/// A string member of a token's header or payload, if that segment decodes at all.
fn member(token: &str, segment: usize, name: &str) -> Option<String> {
    let part = token.split('.').nth(segment)?;
    let (bytes, _) = crate::b64::decode_lenient(part)?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v.get(name)?.as_str().map(str::to_string)
}

// ---- check ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    token: String,
    secret: Option<String>,
    /// Without a secret: verify with the sandbox's key of the token's `kid`, if it has one.
    #[serde(default)]
    sandbox_key: bool,
    user_id: Option<String>,
    app_code: Option<String>,
    key_id: Option<String>,
    now: Option<Instant>,
    leeway: Option<Span>,
    /// Judge the string exactly as given (no whitespace or `Bearer ` removal).
    #[serde(default)]
    exact: bool,
}

/// `POST /_mmjwt/api/check`: what `mmjwt check --json` prints for the same inputs.
pub(crate) async fn check(shared: &Shared, req: Request) -> Response {
    match check_inner(shared, req).await {
        Ok(text) => json_bytes(StatusCode::OK, text),
        Err(b) => b.into_response(),
    }
}

async fn check_inner(shared: &Shared, req: Request) -> Result<String, Bad> {
    let r: CheckRequest = body(req).await?;
    let now = now_of(shared, r.now.as_ref(), "now")?;
    let leeway = span("leeway", r.leeway.as_ref(), 0)?;
    let typed = secret(r.secret.as_deref())?.map(|s| (s.hmac_key(), KeyVariants::from_secret(&s)));
    drop(r.secret);
    let input = if r.exact {
        exact_input(&r.token)
    } else {
        normalize_input(&r.token)
    };
    // The sandbox's key of the token's kid, as if its secret had been typed.
    let kid = member(&input.token, 0, "kid");
    let sandbox_key: Option<(&HmacKey, Option<&KeyVariants>)> = if typed.is_none() && r.sandbox_key
    {
        kid.as_ref()
            .and_then(|k| Some((shared.keys.get(k)?, shared.key_variants.get(k))))
    } else {
        None
    };
    let keys = match (&typed, sandbox_key) {
        (Some((k, v)), _) | (None, Some((k, Some(v)))) => Keys::SingleWithVariants(k, v),
        (None, Some((k, None))) => Keys::Single(k),
        (None, None) => Keys::None,
    };
    let opts = Options {
        now,
        leeway,
        keys,
        expect: Expectations {
            sub: given(r.user_id.as_ref()),
            app_code: given(r.app_code.as_ref()),
            kid: given(r.key_id.as_ref()),
        },
        require_signature: false,
        sdk: crate::sdk::SdkSelection::BOTH,
    };
    let report = check_input(&r.token, &input, &opts);
    let mut out = String::with_capacity(2048);
    crate::token::report::write_json(&mut out, &report, &input, None, now, leeway);
    Ok(out)
}

// ---- gen ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenRequest {
    user_id: String,
    app_code: Option<String>,
    key_id: Option<String>,
    secret: Option<String>,
    ttl: Option<Span>,
    exp: Option<Instant>,
    now: Option<Instant>,
    jti: Option<String>,
    #[serde(default)]
    no_iss: bool,
    /// Extra claims, in order (any JSON values).
    claims: Option<Map<String, Value>>,
    #[serde(default)]
    allow_empty: bool,
    #[serde(default)]
    allow_expired: bool,
    /// A kind of `gen --break`: the token made to fail that way, with the prediction.
    #[serde(rename = "break")]
    break_kind: Option<String>,
}

/// `POST /_mmjwt/api/gen`: what `mmjwt gen --json` prints for the same inputs (with `break`,
/// what `gen --break KIND --json` prints). Without a secret the sandbox's own key (of
/// `key_id`, default the first key id) signs.
pub(crate) async fn generate(shared: &Shared, req: Request) -> Response {
    match generate_inner(shared, req).await {
        Ok(text) => json_bytes(StatusCode::OK, text),
        Err(b) => b.into_response(),
    }
}

async fn generate_inner(shared: &Shared, req: Request) -> Result<String, Bad> {
    let r: GenRequest = body(req).await?;
    let app_code = r
        .app_code
        .clone()
        .unwrap_or_else(|| shared.app_code.clone());
    let key_id = match &r.key_id {
        Some(k) => k.clone(),
        None => first_key_id(shared).unwrap_or_default(),
    };
    // The same refusals as `mmjwt gen`.
    if !r.allow_empty {
        if app_code.is_empty() {
            return Err(Bad::usage(
                "the application code is empty; the server would refuse the token",
            ));
        }
        if key_id.is_empty() {
            return Err(Bad::usage(
                "the key id is empty; the server would refuse the token",
            ));
        }
        if r.user_id.is_empty() {
            return Err(Bad::usage(
                "the user id is empty; tokens are for a person's external user id",
            ));
        }
    }
    let break_kind = match r.break_kind.as_deref() {
        None => None,
        Some(name) => Some(BreakKind::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = BreakKind::ALL.iter().map(|k| k.name()).collect();
            Bad::usage(format!("break must be one of {}", names.join(", ")))
        })?),
    };
    let now = now_of(shared, r.now.as_ref(), "now")?;
    let exp = match instant("exp", r.exp.as_ref())? {
        Some(t) => t,
        None => {
            let ttl = span("ttl", r.ttl.as_ref(), 15 * 60)?;
            now.checked_add(ttl)
                .ok_or_else(|| Bad::usage("ttl is too large"))?
        }
    };
    // A broken token never needs the allowance: the breakage is the point.
    if exp <= now && !r.allow_expired && break_kind.is_none() {
        return Err(Bad::usage(format!(
            "exp ({}) is not after now; both SDKs would refuse the token as JWT_TOKEN_EXPIRED",
            crate::time::rfc3339(exp).unwrap_or_else(|| exp.to_string())
        )));
    }
    let mut extra = Vec::new();
    for (k, v) in r.claims.clone().unwrap_or_default() {
        if k.is_empty() {
            return Err(Bad::usage("a claim needs a name"));
        }
        if RESERVED_CLAIMS.contains(&k.as_str()) {
            return Err(Bad::usage(format!(
                "claims cannot set {k}: mmjwt writes it itself (user_id, ttl, jti, no_iss)"
            )));
        }
        extra.push((k, v));
    }
    let key = match secret(r.secret.as_deref())? {
        Some(s) => s.hmac_key(),
        None => shared.keys.get(&key_id).cloned().ok_or_else(|| {
            Bad::usage(format!(
                "no secret, and key id {} is not one of the sandbox's keys: give the secret",
                Value::String(key_id.clone())
            ))
        })?,
    };
    let jti = match &r.jti {
        Some(j) => j.clone(),
        None => JtiSource::default().next_uuid().map_err(|e| Bad {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "random",
            message: e.to_string(),
        })?,
    };
    let claims = Claims {
        sub: &r.user_id,
        app_code: &app_code,
        iat: now,
        exp,
        jti: &jti,
        iss: (!r.no_iss).then_some(app_code.as_str()),
        extra: &extra,
    };
    if let Some(kind) = break_kind {
        let recipe = Recipe {
            kid: &key_id,
            key: &key,
            claims,
        };
        // A token gen makes has every member a kind changes; a failure here is a bug.
        let (broken, prediction) = breakage::break_token(kind, &recipe, now).map_err(|e| Bad {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "internal",
            message: e.to_string(),
        })?;
        return Ok(breakage::gen_json(&broken, &prediction).to_string());
    }
    let mut minter = Minter::new(&key_id, key);
    let (token, payload) = minter.mint(&claims);
    let v = crate::token::mint::gen_json(&token, minter.header_json(), &payload, exp);
    Ok(v.to_string())
}

fn key_ids(shared: &Shared) -> Vec<&str> {
    let mut ids: Vec<&str> = shared.keys.keys().map(String::as_str).collect();
    ids.sort_unstable();
    ids
}

fn first_key_id(shared: &Shared) -> Option<String> {
    key_ids(shared).first().map(|s| (*s).to_string())
}

// ---- resign ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResignRequest {
    /// The header as JSON text, encoded as typed.
    header: String,
    /// The claims as JSON text, encoded as typed.
    claims: String,
    secret: Option<String>,
    /// Without a secret: sign with the sandbox's key of the header's `kid`.
    #[serde(default)]
    sandbox_key: bool,
}

/// `POST /_mmjwt/api/resign`: the header and claims text signed as typed (members in their
/// order, numbers and escapes as written), with the secret or the sandbox's key of the header's
/// `kid`. Text that is not a JSON object is refused with where it stops being one, and never
/// becomes a token. The answer is `{token}`; `check` judges it.
pub(crate) async fn resign(shared: &Shared, req: Request) -> Response {
    match resign_inner(shared, req).await {
        Ok(text) => json_bytes(StatusCode::OK, text),
        Err(refusal) => refusal,
    }
}

/// A text of `resign` that is not a strict JSON object: 400 `json`, the part (`header` or
/// `claims`), the reader's message and, where the text stops being JSON, the line and column.
fn refused_text(e: &EditError, header: &str, claims: &str) -> Response {
    let (segment, text) = match e.part() {
        Some(Part::Header) => ("header", header),
        _ => ("claims", claims),
    };
    let mut body = json!({"kind": "json", "message": e.to_string(), "segment": segment});
    // The strict reader's message is serde_json's; the same parser gives where, as numbers.
    if let EditError::Json(_, crate::json::read::JsonError::Invalid(_)) = e
        && let Err(at) = serde_json::from_str::<serde::de::IgnoredAny>(text)
    {
        body["line"] = at.line().into();
        body["column"] = at.column().into();
    }
    json_bytes(
        StatusCode::BAD_REQUEST,
        json!({ "error": body }).to_string(),
    )
}

async fn resign_inner(shared: &Shared, req: Request) -> Result<String, Response> {
    let r: ResignRequest = body(req).await.map_err(Bad::into_response)?;
    let typed = secret(r.secret.as_deref()).map_err(Bad::into_response)?;
    // The sandbox's key of the header's kid, when the header reads as an object.
    let sandbox_key = || {
        let header = crate::json::read::parse_object(r.header.as_bytes()).ok()?;
        let kid = header.members.get("kid")?.as_str()?;
        shared.keys.get(kid).cloned()
    };
    let key = match (typed, r.sandbox_key) {
        (Some(s), _) => Some(s.hmac_key()),
        (None, true) => sandbox_key(),
        (None, false) => None,
    };
    let Some(key) = key else {
        // Without a key, a text that is not an object is still the first thing to fix.
        if let Err(e) = edit::resign_json(&r.header, &r.claims, &HmacKey::new(&[])) {
            return Err(refused_text(&e, &r.header, &r.claims));
        }
        return Err(Bad::usage(if r.sandbox_key {
            "no secret, and the header's kid is not one of the sandbox's keys: give the secret"
        } else {
            "no key to sign with: give the secret, or sandbox_key for the sandbox's key of the header's kid"
        })
        .into_response());
    };
    let signed = edit::resign_json(&r.header, &r.claims, &key)
        .map_err(|e| refused_text(&e, &r.header, &r.claims))?;
    Ok(json!({ "token": signed.token }).to_string())
}

// ---- replay ----

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayRequest {
    /// `fetch-user`, `patch-user` or `personalize`.
    call: String,
    /// `android` or `ios`.
    sdk: String,
    token: Option<String>,
    /// Judge/send the token exactly as given (no whitespace or `Bearer ` removal).
    #[serde(default)]
    exact: bool,
    /// `App <appCode>` instead of a token.
    #[serde(default)]
    app_auth: bool,
    /// Default: a fresh installation for this call.
    push_reg_id: Option<String>,
    installation_id: Option<String>,
    /// saveUser's body (required there) or personalize's `{userIdentity, userAttributes}`.
    data: Option<Value>,
    #[serde(default)]
    force_depersonalize: bool,
    #[serde(default)]
    keep_as_lead: bool,
    #[serde(default)]
    set_device_as_primary: bool,
    /// Run the SDK's own validation first, as the SDK does (`false` = `--no-preflight`).
    #[serde(default = "yes")]
    preflight: bool,
    now: Option<Instant>,
}

/// `POST /_mmjwt/api/replay`: one call built as `mmjwt replay` builds it, sent to this
/// sandbox; the answer is the `replay --json` object (credentials redacted).
pub(crate) async fn replay(shared: &Shared, req: Request) -> Response {
    match replay_inner(shared, req).await {
        Ok(text) => json_bytes(StatusCode::OK, text),
        Err(b) => b.into_response(),
    }
}

async fn replay_inner(shared: &Shared, req: Request) -> Result<String, Bad> {
    let r: ReplayRequest = body(req).await?;
    let call = match r.call.as_str() {
        "fetch-user" => Call::FetchUser,
        "patch-user" => Call::PatchUser,
        "personalize" => Call::Personalize,
        _ => {
            return Err(Bad::usage(
                "call must be fetch-user, patch-user or personalize",
            ));
        }
    };
    let platform = match r.sdk.as_str() {
        "android" => Platform::Android,
        "ios" => Platform::Ios,
        _ => return Err(Bad::usage("sdk must be android or ios")),
    };
    let token = match (&r.token, r.app_auth) {
        (Some(_), true) => {
            return Err(Bad::usage("give a token or app_auth, not both"));
        }
        (Some(t), false) => {
            let t = if r.exact {
                t.clone()
            } else {
                normalize_input(t).token
            };
            if t.is_empty() {
                return Err(Bad::usage("the token is empty"));
            }
            TokenSource::Given(SecretText::new(t))
        }
        (None, true) => TokenSource::App,
        (None, false) => {
            return Err(Bad::usage(
                "no token: give token (or app_auth for App authorization)",
            ));
        }
    };
    let mut ids = JtiSource::default();
    let mut fresh = || {
        ids.next_uuid().map_err(|e| Bad {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "random",
            message: e.to_string(),
        })
    };
    let push_reg_id = match given(r.push_reg_id.as_ref()) {
        Some(id) => {
            request::check_push_reg_id(id).map_err(|e| Bad::usage(format!("push_reg_id {e}")))?;
            id.to_string()
        }
        None => fresh()?,
    };
    let installation_id = match given(r.installation_id.as_ref()) {
        Some(id) => {
            request::check_header_id(id).map_err(|e| Bad::usage(format!("installation_id {e}")))?;
            id.to_string()
        }
        None => fresh()?,
    };
    let now = instant("now", r.now.as_ref())?;
    // The call as `mmjwt replay` makes it, then what the request asked for.
    let mut spec = CallSpec::new(
        call,
        platform,
        token,
        r.data.clone(),
        installation_id,
        Some(push_reg_id),
    )
    .map_err(Bad::usage)?;
    if call == Call::Personalize {
        // As `mmjwt replay personalize --token T`: the person is the token's sub.
        let sub = match &spec.token {
            TokenSource::Given(t) => member(t.expose(), 1, "sub"),
            _ => None,
        };
        if let (None, Some(s)) = (spec.personalize.external_user_id(), sub) {
            spec.personalize = spec.personalize.for_user(&s);
        }
        replay_body::require_identity(&spec.personalize).map_err(Bad::usage)?;
    }
    let own = shared
        .address()
        .ok_or_else(|| Bad::usage("the sandbox's address is not known yet"))?;
    let base = crate::sandbox::url_of(own);
    // The one builder `mmjwt replay` uses: credential, request, the SDK's preflight.
    let plan = Plan {
        spec: CallSpec {
            flags: PersonalizeFlags {
                force_depersonalize: r.force_depersonalize,
                keep_as_lead: r.keep_as_lead,
                set_device_as_primary: r.set_device_as_primary,
            },
            preflight: r.preflight,
            now,
            ..spec
        },
        base_url: base.clone(),
        app_code: shared.app_code.clone(),
        minter: None,
    };
    let mut ex = plan
        .prepare(&mut plan.worker(), None, None)
        .map_err(|e| Bad {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "internal",
            message: format!("{e:#}"),
        })?;
    // As the SDK: a call it refuses (user data, then token) is never sent.
    if !ex.preflight.refused() {
        let client = Client::new(REPLAY_TIMEOUT);
        ex.outcome = Some(client.send(&ex.url, &ex.request).await);
    }
    Ok(replay_render::json(&ex, Show::Redacted).to_string())
}

// ---- state ----

/// `GET /_mmjwt/api/state`: mode, app code, key ids, persons and installations.
pub(crate) fn state(shared: &Shared) -> Response {
    let doc = shared.store().to_doc();
    let persons = doc.persons.len();
    let installations = doc.installations.len();
    let list = |v: Value| match v {
        Value::Array(mut a) => {
            a.truncate(MAX_LISTED);
            Value::Array(a)
        }
        other => other,
    };
    let body = json!({
        "schema": STATE_SCHEMA,
        "mode": shared.mode.as_str(),
        "app_code": shared.app_code,
        "key_ids": key_ids(shared),
        "leeway": shared.leeway,
        "reject_replayed_jti": shared.reject_replayed_jti,
        "counts": {"persons": persons, "installations": installations},
        "persons": list(serde_json::to_value(&doc.persons).unwrap_or_default()),
        "installations": list(serde_json::to_value(&doc.installations).unwrap_or_default()),
        "explain": explanations(),
        "break_kinds": BreakKind::ALL
            .iter()
            .map(|k| json!({"kind": k.name(), "summary": k.summary()}))
            .collect::<Vec<_>>(),
    });
    json_bytes(StatusCode::OK, body.to_string())
}

/// The one-line explanation of each member the terminal report explains; `*` is what any
/// other member gets.
fn explanations() -> Value {
    use crate::token::report::{explain_claim, explain_header};
    let table = |names: &[&str], f: fn(&str) -> &'static str| {
        let mut m: Map<String, Value> = names
            .iter()
            .map(|n| ((*n).to_string(), Value::from(f(n))))
            .collect();
        m.insert("*".into(), Value::from(f("")));
        Value::Object(m)
    };
    json!({
        "header": table(&["alg", "typ", "kid", "crit"], explain_header),
        "claims": table(
            &["typ", "sub", "infobip-api-key", "iat", "exp", "jti", "iss", "nbf", "aud"],
            explain_claim
        ),
    })
}
