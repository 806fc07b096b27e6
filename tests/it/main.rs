//! The one integration-test binary. Each module covers one area; shared helpers live in `support`.

// Test code: a failed unwrap is a failed test, and helpers are `pub` for sibling modules.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod android_differential;
mod architecture;
mod audit;
mod binary;
mod breakage;
mod browser;
mod cli;
mod corpus;
mod exact;
mod gen_check;
mod gen_from;
mod hardening;
mod hygiene;
mod ios_differential;
mod issuer;
mod library_shapes;
mod pitfalls;
mod plugins;
mod replay;
mod replay_differential;
mod replay_ios_differential;
mod sandbox;
mod sandbox_hardening;
mod schema;
mod sdk;
mod snapshots;
mod support;
mod ui;
mod verdict;
mod vocabulary;
