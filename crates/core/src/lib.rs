//! mmjwt-core: the token core of mmjwt, free of the network and the command line.
//!
//! It is its own crate so that it compiles beside the network and CLI dependencies (tokio,
//! rustls, clap) instead of after them: a source install then leaves only the rest of
//! mmjwt to compile at the end. The `mmjwt` library re-exports every module under the same
//! name (`mmjwt::token`, `mmjwt::sdk`, ...), which is how the binary, the tests, the benchmarks
//! and the fuzz targets reach it; it makes no semantic-versioning promises.
//!
//! Layers point down:
//! - [`token`]: making a token ([`token::mint`]) and judging one ([`token::check`], with its
//!   report as text or JSON in [`token::report`]);
//! - [`sdk`]: the Android and iOS SDKs' client-side validation, emulated;
//! - [`json`]: the strict JSON reader and the compact writer both `token` and `sdk` use;
//! - leaves: [`problem`] (the code vocabulary), [`error`] (exit codes and error kinds),
//!   [`secret`], [`b64`], [`time`], [`color`].
//!
//! What no `check` or `gen` of a token runs (replay's wire, the sandbox's data, the Android
//! SDK's serialisation, tokens broken or edited on purpose) is the `mmjwt-wire` crate, which
//! extends `sdk` and `token` with its own modules: this crate stays small enough to be
//! optimised as one codegen unit in the release profile.

pub mod b64;
pub mod color;
pub mod error;
pub mod json;
pub mod problem;
pub mod sdk;
pub mod secret;
pub mod time;
pub mod token;
