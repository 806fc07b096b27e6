//! mmjwt-wire: the pure code of mmjwt around the token core, which no `check` or `gen` of a
//! token runs: what the SDKs send (`replay`'s requests and bodies, the Android SDK's own
//! serialisation in [`sdk::gson`], the user-data limits in [`sdk::userdata`]), the sandbox's
//! data layer ([`sandbox`]), and tokens made to fail or edited on purpose
//! ([`token::breakage`], [`token::edit`]).
//!
//! It is a crate of its own so that the token core (`mmjwt-core`), whose code `check` and `gen`
//! run for every token, stays small enough to be optimised as one unit, while this crate's
//! code is split across many (a source install spends less time on both). Its modules extend
//! the core's of the same name: [`sdk`] and [`token`] re-export everything of
//! `mmjwt_core::sdk` and `mmjwt_core::token` beside their own, so `mmjwt::sdk` and
//! `mmjwt::token` (the `mmjwt` library re-exports these two) name both halves as one.
//!
//! Layers point down: `replay` and `sandbox` use `sdk`, `json`, `time` and `problem`; the core
//! cannot name anything here, being this crate's dependency.

// The core's leaves under the paths the modules here use for them (`crate::json`, ...).
use mmjwt_core::{b64, color, json, problem, secret, time};

pub mod replay;
pub mod sandbox;

/// The SDKs: the core's emulation of their validation, and here how the Android SDK
/// serialises its maps and what the SDKs allow in user data.
pub mod sdk {
    pub use mmjwt_core::sdk::*;

    pub mod gson;
    pub mod javadouble;
    pub mod userdata;
}

/// Tokens: the core's making and judging, and here tokens broken and edited on purpose.
pub mod token {
    pub use mmjwt_core::token::*;

    pub mod breakage;
    pub mod edit;
}
