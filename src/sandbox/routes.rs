//! The HTTP surface: the routing (the extension's paths, then the four Mobile API user
//! endpoints, with Android's POST + `X-HTTP-Method-Override: PATCH` next to iOS's real PATCH;
//! another method is 405 with `Allow`, another path the JSON 404), the order in which a
//! request is judged (authentication, mode, input, data), the body limit, the request timeout
//! and the log line. Every response of the Mobile API, refusals and unknown paths included, is
//! JSON with a length.

use super::api::{ApiError, json_response, message_id};
use super::auth::{AuthNote, Authenticator, Caller, JtiCache};
use super::body::{self, PersonalizeBody, UserPatch};
use super::log::{self, LogNote};
use super::persist::StateFile;
use super::store::{Access, PersonalizeFlags, Store};
use super::{Clock, LogFormat, Mode};
use crate::problem::Code;
use crate::secret::HmacKey;
use crate::serve::{self, Bytes, ReadError, Request, RequestBody, Response};
use http::{HeaderValue, Method, StatusCode, header};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Request bodies over this many bytes get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Push registration ids longer than this are refused (real ones are well under 100).
pub(crate) const MAX_PUSH_REG_ID: usize = 256;

/// Everything the handlers share.
#[derive(Debug)]
pub struct Shared {
    pub mode: Mode,
    pub app_code: String,
    pub keys: HashMap<String, HmacKey>,
    pub key_variants: HashMap<String, crate::token::pitfalls::KeyVariants>,
    /// The documented header segment of each key id, encoded once.
    pub leeway: i64,
    pub reject_replayed_jti: bool,
    pub clock: Clock,
    pub log: LogFormat,
    /// Where log lines go; `None` when the log is off.
    pub log_sink: Option<log::Sink>,
    pub request_timeout: Duration,
    pub store: Mutex<Store>,
    pub jti: Mutex<JtiCache>,
    pub state: Option<StateFile>,
    /// Routes served next to the Mobile API (the debugger page), if any.
    pub extension: Option<super::Extension>,
    /// The bound address, once the sandbox listens (`None` in-process, through [`App::answer`]).
    pub address: std::sync::OnceLock<std::net::SocketAddr>,
    /// Followers of the request log.
    pub events: log::events::Hub,
}

impl Shared {
    /// The bound address, once the sandbox listens.
    pub fn address(&self) -> Option<std::net::SocketAddr> {
        self.address.get().copied()
    }

    pub(crate) fn now(&self) -> i64 {
        match self.clock {
            Clock::System => crate::time::now_unix(),
            Clock::Fixed(t) => t,
        }
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        // No code panics while holding the lock; if one ever did, the data is still whole
        // because operations validate before they change anything.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes the state file if there is one.
    pub fn save(&self) -> anyhow::Result<()> {
        match &self.state {
            Some(f) => f.save(&self.store()),
            None => Ok(()),
        }
    }
}

/// The endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Fetch,
    Patch,
    Personalize,
    Depersonalize,
    Repersonalize,
}

/// The sandbox answering requests: routing, the request timeout and the log line around every
/// answer, the extension's included. Served by [`crate::serve::run`], or called in-process.
#[derive(Debug, Clone)]
pub struct App {
    shared: Arc<Shared>,
}

impl App {
    pub(crate) fn new(shared: Arc<Shared>) -> App {
        App { shared }
    }

    /// Answers one request as the served sandbox does (whole bodies carry their
    /// `Content-Length`; `HEAD` answers have no body).
    pub async fn answer(&self, req: Request) -> Response {
        let method = req.method().clone();
        let mut res = log_and_time(&self.shared, req).await;
        serve::finish(&mut res, &method);
        res
    }
}

/// The Mobile API's paths, `/mobile/1/appinstance/{pushRegId}/<call>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `/user`: fetch (GET, and HEAD), save (PATCH, or POST with the override header).
    User,
    /// `/personalize`, `/depersonalize`, `/repersonalize`: POST.
    Post(Call),
}

impl Target {
    /// The `Allow` list of a 405.
    fn allowed(self) -> &'static str {
        match self {
            Target::User => "GET,HEAD,PATCH,POST",
            Target::Post(_) => "POST",
        }
    }
}

/// Which endpoint `path` names. The push registration id is one path segment as sent (not
/// percent-decoded, possibly empty); anything after the call's name (a trailing slash
/// included) is another path.
fn target(path: &str) -> Option<Target> {
    let rest = path.strip_prefix("/mobile/1/appinstance/")?;
    let (_push_reg_id, call) = rest.split_once('/')?;
    Some(match call {
        "user" => Target::User,
        "personalize" => Target::Post(Call::Personalize),
        "depersonalize" => Target::Post(Call::Depersonalize),
        "repersonalize" => Target::Post(Call::Repersonalize),
        _ => return None,
    })
}

/// The extension's routes, then the Mobile API's endpoints by path and method; any other path
/// is the JSON 404.
async fn route(shared: &Arc<Shared>, req: Request) -> Response {
    let path = req.uri().path();
    if let Some(page) = shared.extension.and_then(|serves| serves(path)) {
        return page(Arc::clone(shared), req).await;
    }
    let Some(target) = target(path) else {
        return not_found_response();
    };
    let call = match (target, req.method()) {
        (Target::User, &Method::GET | &Method::HEAD) => Call::Fetch,
        (Target::User, &Method::PATCH) => Call::Patch,
        (Target::User, &Method::POST) => {
            if !overridden(&req) {
                return refusal(
                    &ApiError::new(
                        StatusCode::METHOD_NOT_ALLOWED,
                        message_id::METHOD_NOT_ALLOWED,
                        "POST on /user needs the header X-HTTP-Method-Override: PATCH (or use PATCH or GET)",
                    ),
                    LogNote::default(),
                );
            }
            Call::Patch
        }
        (Target::Post(call), &Method::POST) => call,
        (target, method) => {
            let mut res = method_not_allowed(method);
            serve::allow(&mut res, target.allowed());
            return res;
        }
    };
    endpoint(shared, call, req).await
}

/// Android saves the user with POST and `X-HTTP-Method-Override: PATCH`.
fn overridden(req: &Request) -> bool {
    req.headers()
        .get("x-http-method-override")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("PATCH"))
}

/// The JSON 404 of a path the sandbox does not serve.
pub(crate) fn not_found_response() -> Response {
    refusal(
        &ApiError::new(
            StatusCode::NOT_FOUND,
            message_id::NOT_FOUND,
            "no such endpoint; the sandbox serves /mobile/1/appinstance/{pushRegId}/user, /personalize, /depersonalize and /repersonalize",
        ),
        LogNote::default(),
    )
}

fn method_not_allowed(method: &Method) -> Response {
    refusal(
        &ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            message_id::METHOD_NOT_ALLOWED,
            format!("{method} is not allowed on this endpoint"),
        ),
        LogNote::default(),
    )
}

/// The envelope response for `e`, with what the log should say.
fn refusal(e: &ApiError, mut note: LogNote) -> Response {
    note.message_id = Some(e.message_id);
    note.reason = Some(e.text.clone());
    let mut res = json_response(e.status, &e.envelope());
    res.extensions_mut().insert(note);
    res
}

/// Times the request, enforces the request timeout (408 in the envelope) and writes the log
/// line.
async fn log_and_time(shared: &Arc<Shared>, req: Request) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut res =
        if let Ok(r) = tokio::time::timeout(shared.request_timeout, route(shared, req)).await {
            r
        } else {
            let mut r = refusal(
                &ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    message_id::REQUEST_TIMEOUT,
                    format!(
                        "the request did not complete within {}",
                        crate::time::human_duration(shared.request_timeout.as_secs().max(1))
                    ),
                ),
                LogNote::default(),
            );
            // The client may still be sending; this connection is not worth keeping.
            r.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            r
        };
    let note = res.extensions_mut().remove::<LogNote>().unwrap_or_default();
    let page_listens = shared.events.listening();
    if shared.log_sink.is_some() || page_listens {
        let time = crate::time::now_rfc3339_millis();
        let entry = log::Entry {
            time: &time,
            method: method.as_str(),
            path: &path,
            status: res.status().as_u16(),
            millis: start.elapsed().as_secs_f64() * 1000.0,
            note: &note,
        };
        if let Some(sink) = &shared.log_sink
            && let Some(line) = log::line(shared.log, &entry)
        {
            sink.write_line(&line);
        }
        // The page's live log: the same JSON object `--log-format json` writes.
        if page_listens && let Some(line) = log::line(LogFormat::Json, &entry) {
            shared.events.publish(&line);
        }
    }
    res
}

async fn endpoint(shared: &Arc<Shared>, call: Call, req: Request) -> Response {
    let mut note = LogNote::default();
    let result = handle(shared, call, req, &mut note.auth).await;
    match result {
        Ok(value) => {
            let mut res = json_response(StatusCode::OK, &value);
            res.extensions_mut().insert(note);
            res
        }
        Err(e) => {
            let mut res = refusal(&e, note);
            if e.status == StatusCode::PAYLOAD_TOO_LARGE {
                // The rest of the body was never read; reading it just to keep the connection
                // would defeat the limit.
                res.headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            res
        }
    }
}

/// The order of judgement: who is calling, whether the mode lets them make this call, whether
/// the input is well-formed, then what the data says.
async fn handle(
    shared: &Arc<Shared>,
    call: Call,
    req: Request,
    note: &mut AuthNote,
) -> Result<Value, ApiError> {
    let (parts, body) = req.into_parts();
    let now = shared.now();
    // Only a log or a follower of it reads the token's sub from the note.
    let log_sub = shared.log_sink.is_some() || shared.events.listening();
    let outcome = Authenticator {
        app_code: &shared.app_code,
        keys: &shared.keys,
        variants: &shared.key_variants,
        leeway: shared.leeway,
    }
    .authenticate(&parts.headers, now, log_sub);
    *note = outcome.note;
    let caller = outcome.result?;
    if let Caller::Bearer(v) = &caller
        && shared.reject_replayed_jti
    {
        let fresh = shared
            .jti
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .first_use(&v.jti, v.exp, now);
        if !fresh {
            return Err(ApiError::unauthorized(
                message_id::JTI_REPLAYED,
                "this token's jti was already used; every request needs a fresh token",
            ));
        }
    }
    let is_app = caller == Caller::App;
    match shared.mode {
        Mode::Disallow if call != Call::Depersonalize => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                message_id::USER_DATA_RESTRICTED,
                "user data authorization is set to disallow all mobile SDK requests",
            ));
        }
        Mode::JwtOnly if is_app && matches!(call, Call::Personalize | Call::Repersonalize) => {
            return Err(ApiError::unauthorized(
                message_id::JWT_REQUIRED,
                "personalize needs a Bearer JWT for the external user id when JWT authorization is required",
            ));
        }
        _ => {}
    }

    let push_reg_id = push_reg_id(parts.uri.path())?;
    let query = parts.uri.query();
    // The caller is not needed past this point: its sub moves into the task.
    let sub = match caller {
        Caller::Bearer(v) => Some(v.sub),
        Caller::App => None,
    };
    let jwt_only = shared.mode == Mode::JwtOnly;
    let kind = match call {
        Call::Fetch => {
            let [ri, _rt] = body::query_flags(query, ["ri", "rt"])?;
            Job::Fetch {
                instances: ri.unwrap_or(false),
            }
        }
        Call::Patch => {
            let [ri, _rt] = body::query_flags(query, ["ri", "rt"])?;
            let bytes = read_body(body).await?;
            let obj = body::object(&bytes)?;
            let patch = body::user_patch(&obj)?;
            within_limits(Some(&obj), None, None)?;
            Job::Patch {
                patch,
                instances: ri.unwrap_or(false),
            }
        }
        Call::Personalize | Call::Repersonalize => {
            let flags = if call == Call::Personalize {
                let [force, lead, primary] = body::query_flags(
                    query,
                    ["forceDepersonalize", "keepAsLead", "setDeviceAsPrimary"],
                )?;
                PersonalizeFlags {
                    force_depersonalize: force.unwrap_or(false),
                    keep_as_lead: Some(lead.unwrap_or(false)),
                    set_device_as_primary: primary.unwrap_or(false),
                }
            } else {
                PersonalizeFlags::default()
            };
            let bytes = read_body(body).await?;
            let obj = body::object(&bytes)?;
            let p = body::personalize(&obj)?;
            let part = |k: &str| obj.get(k).and_then(Value::as_object);
            within_limits(None, part("userIdentity"), part("userAttributes"))?;
            if let Some(sub) = &sub
                && p.identity.external_user_id.as_deref() != Some(sub.as_str())
            {
                return Err(ApiError::unauthorized(
                    Code::SubMismatch.as_str(),
                    format!(
                        "the token's sub {} is not userIdentity.externalUserId",
                        Value::String(sub.clone())
                    ),
                ));
            }
            Job::Personalize { body: p, flags }
        }
        Call::Depersonalize => Job::Depersonalize,
    };
    let task = Task {
        push_reg_id,
        sub,
        anonymous_only: jwt_only && is_app,
        external_id_frozen: jwt_only,
        job: kind,
    };
    execute(shared, task).await
}

/// The SDKs' user-data limits, checked again server-side: 400 with every problem, and nothing
/// of the person changes (the check runs before the task).
fn within_limits(
    user: Option<&serde_json::Map<String, Value>>,
    identity: Option<&serde_json::Map<String, Value>>,
    attributes: Option<&serde_json::Map<String, Value>>,
) -> Result<(), ApiError> {
    let problems = crate::sdk::userdata::server_problems(user, identity, attributes);
    if problems.is_empty() {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::BAD_REQUEST,
        message_id::USER_DATA_LIMIT_EXCEEDED,
        format!(
            "user data over the People API limits: {}",
            problems.join("; ")
        ),
    ))
}

fn push_reg_id(path: &str) -> Result<String, ApiError> {
    // The routing matched /mobile/1/appinstance/{id}/<call>, so the id is the fourth segment.
    // It is used as sent (the SDKs put it in the path without percent-encoding).
    let id = path.split('/').nth(4).unwrap_or_default();
    if id.len() > MAX_PUSH_REG_ID {
        return Err(ApiError::format(format!(
            "the push registration id is longer than {MAX_PUSH_REG_ID} bytes"
        )));
    }
    Ok(id.to_owned())
}

/// Reads the whole body, refusing more than [`MAX_BODY_BYTES`] (by its declared length before
/// reading, or while reading a body without one).
async fn read_body(body: RequestBody) -> Result<Bytes, ApiError> {
    serve::read_body(body, MAX_BODY_BYTES)
        .await
        .map_err(|e| match e {
            ReadError::TooLarge => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                message_id::BODY_TOO_LARGE,
                format!("the request body is over {} KiB", MAX_BODY_BYTES / 1024),
            ),
            ReadError::Broken => ApiError::format("the request body could not be read to its end"),
        })
}

/// What to do to the store, with everything the data layer needs to decide; owned, so it can
/// run to completion on a blocking thread even if the request is abandoned.
#[derive(Debug)]
struct Task {
    push_reg_id: String,
    sub: Option<String>,
    anonymous_only: bool,
    external_id_frozen: bool,
    job: Job,
}

#[derive(Debug)]
enum Job {
    Fetch {
        instances: bool,
    },
    Patch {
        patch: UserPatch,
        instances: bool,
    },
    Personalize {
        body: PersonalizeBody,
        flags: PersonalizeFlags,
    },
    Depersonalize,
}

impl Task {
    fn run(&self, store: &mut Store) -> Result<Value, ApiError> {
        let access = Access {
            bearer_sub: self.sub.as_deref(),
            anonymous_only: self.anonymous_only,
            external_id_frozen: self.external_id_frozen,
        };
        let reg = &self.push_reg_id;
        match &self.job {
            Job::Fetch { instances } => store.fetch(reg, &access, *instances),
            Job::Patch { patch, instances } => store.patch(reg, &access, patch, *instances),
            Job::Personalize { body, flags } => store.personalize(reg, body, *flags),
            Job::Depersonalize => store.depersonalize(reg).map(|()| json!({})),
        }
    }

    /// Whether the store may change (only then is a copy kept to undo a failed save).
    fn may_change(&self, store: &Store) -> bool {
        !matches!(self.job, Job::Fetch { .. }) || !store.has_installation(&self.push_reg_id)
    }
}

/// Runs `task` on the store; with a state file, saves before answering and undoes the change
/// if it cannot be saved.
async fn execute(shared: &Arc<Shared>, task: Task) -> Result<Value, ApiError> {
    if shared.state.is_none() {
        let mut store = shared.store();
        let r = task.run(&mut store);
        store.take_dirty();
        return r;
    }
    let shared = Arc::clone(shared);
    // A blocking thread: the save does synchronous I/O, and a spawned task finishes even if
    // the client goes away, so no change is ever half-applied.
    tokio::task::spawn_blocking(move || run_persisted(&shared, &task))
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                message_id::STATE_NOT_SAVED,
                "the change was interrupted",
            ))
        })
}

fn run_persisted(shared: &Shared, task: &Task) -> Result<Value, ApiError> {
    let Some(file) = &shared.state else {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            message_id::STATE_NOT_SAVED,
            "no state file",
        ));
    };
    let mut store = shared.store();
    let undo = task.may_change(&store).then(|| store.clone());
    let result = task.run(&mut store);
    if store.take_dirty()
        && let Err(e) = file.save(&store)
    {
        if let Some(before) = undo {
            *store = before;
        }
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            message_id::STATE_NOT_SAVED,
            format!(
                "the change was undone because it could not be saved: {}",
                crate::error::for_people(&format!("{e:#}"))
            ),
        ));
    }
    result
}
