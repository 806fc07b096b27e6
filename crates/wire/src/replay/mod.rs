//! `replay`'s pure part: what it sends. The three user-data calls ([`Call`]) rebuilt as each SDK
//! puts them on the wire, from inputs (call, SDK, ids, auth, `--data`) to method, path, query,
//! headers and body bytes, and what of them may be shown.
//!
//! - `request` and `body`: the request and its body. `sdk::gson` holds the Android
//!   serialisation quirks, `sorted_keys` the iOS ones (Foundation's key order, Apple's spelling
//!   of doubles); `data` reads `--data` with its numbers kept as written.
//! - `url`: the small URL parser the HTTP client and the command line share.
//! - `redact`: credentials redacted from what is shown.
//!
//! The I/O parts (the HTTP client, curl and rendering, the batch summary, the run and the
//! embedded sandbox) live in the mmjwt crate's `replay`, which re-exports these modules.

pub mod body;
pub mod data;
pub mod redact;
pub mod request;
pub mod sorted_keys;
pub mod url;

use serde::Serialize;

pub use crate::sdk::Platform;

/// The three user-data calls that carry a JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Call {
    FetchUser,
    PatchUser,
    Personalize,
}

impl Call {
    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Call::FetchUser => "fetch-user",
            Call::PatchUser => "patch-user",
            Call::Personalize => "personalize",
        }
    }
}
