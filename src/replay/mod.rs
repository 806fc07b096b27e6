//! `replay`: the HTTP calls the Android and iOS SDKs make for fetchUser, saveUser (patch user)
//! and personalize, rebuilt as each SDK puts them on the wire and sent to a Mobile API endpoint
//! (a sandbox, usually).
//!
//! The layers, each testable alone:
//! - `request` and `body` (with `data`, `sorted_keys`, `url` and `redact`): pure, in the wire
//!   crate (`mmjwt_wire::replay`, re-exported here under the same names); inputs (call, SDK,
//!   ids, auth, `--data`) → method, path, query, headers and body bytes. `sdk::gson` holds the
//!   Android serialisation quirks, `sorted_keys` the iOS ones (Foundation's key order, Apple's
//!   spelling of doubles).
//! - [`client`]: the only code that touches the network (`h1`: mmjwt's own HTTP/1.1, over
//!   rustls for https; `proxy`: the environment's proxies; `pool`: kept-alive connections;
//!   no redirects, one deadline), returning an [`client::Outcome`] as data. `url`: the small URL parser it and the
//!   command line share.
//! - `redact`, `curl`, `render`: what is shown, with credentials redacted.
//! - `summary`: the batch summary of many calls.
//! - `run`: the orchestration `mmjwt replay` runs; `embedded`: the in-process sandbox used
//!   when no base URL is given.

pub mod client;
pub(crate) mod curl;
pub(crate) mod embedded;
pub(crate) mod gzip;
pub(crate) mod h1;
pub(crate) mod job;
pub(crate) mod plan;
pub(crate) mod pool;
pub(crate) mod proxy;
pub(crate) mod render;
pub(crate) mod run;
pub(crate) mod summary;

pub use crate::sdk::Platform;
pub use mmjwt_wire::replay::Call;
pub(crate) use mmjwt_wire::replay::{body, redact, request, url};
