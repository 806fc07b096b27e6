//! mmjwt: make, check and replay Infobip Mobile Messaging user-data JWTs, and emulate the Mobile
//! API user endpoints locally.
//!
//! The library exists so the integration tests, benchmarks and fuzz targets share one
//! implementation of each core with the binary; it makes no semantic-versioning promises.
//!
//! The token core (`token`, `sdk`, `json` and the leaves `problem`, `error`, `secret`, `b64`,
//! `time`, `color`) is its own crate, `mmjwt_core` (`crates/core`), so that it compiles beside
//! the network and CLI dependencies instead of after them. The pure code around it that no token
//! check runs is a third crate, `mmjwt_wire` (`crates/wire`): replay's wire (what it sends), the
//! sandbox's data layer, the Android SDK's serialisation and the user-data limits, and tokens
//! broken or edited on purpose; its `sdk` and `token` extend the core's modules of the same
//! names. This crate re-exports the core's leaves and the wire crate's `sdk` and `token`, so
//! `crate::token` and `mmjwt::token` name one module whichever crate holds a part of it; the
//! wire crate's `replay` and `sandbox` are re-exported inside this crate's modules of the same
//! names.
//!
//! Layers point down. The process driver (`driver`) parses with [`cli`] and runs one of the
//! `commands`; commands use the library modules below them and nothing above:
//! - [`token`]: making a token ([`token::mint`]) and judging one ([`token::check`], with its
//!   report as text or JSON in [`token::report`]);
//! - [`sdk`]: the Android and iOS SDKs' client-side validation, emulated;
//! - [`sandbox`]: the local Mobile API emulator; [`replay`]: the SDKs' HTTP calls;
//! - [`audit`]: judging a token issuer (fetching through `replay`'s client, judging through
//!   [`token::check`]);
//! - [`issuer`]: verified token-issuing code for backend stacks, and the local token endpoint
//!   of `mmjwt issuer serve` (signing through [`token::mint`], guarded as [`ui`]'s page is);
//! - [`ui`]: the debugger page the sandbox serves, its API calling `token`, `replay` and the sandbox;
//! - [`json`]: the strict JSON reader and the compact writer both `token` and `sdk` use;
//! - leaves: [`problem`] (the code vocabulary), [`error`] (exit codes and error kinds),
//!   [`secret`], [`b64`], [`time`], [`color`], [`shell`] (output decisions, warnings),
//!   [`serve`] (HTTP/1.1 serving for the sandbox, the page and the issuer endpoint).
//!
//! No library module names `cli` or `commands` (a test reads the sources of all three crates to
//! keep it so); neither the core nor the wire crate can name anything of this crate, being its
//! dependencies.

pub mod audit;
pub mod cli;
mod commands;
mod driver;
pub mod issuer;
pub mod replay;
pub mod sandbox;
pub mod serve;
pub mod shell;
pub mod ui;

pub use driver::run;
pub use mmjwt_core::{b64, color, error, json, problem, secret, time};
pub use mmjwt_wire::{sdk, token};
