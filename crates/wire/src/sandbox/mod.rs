//! The sandbox's pure part: its data layer. `person` (the people and installations, and the
//! state document), `store` (the operations on them under each mode's rules), `body` (the
//! request bodies, parsed and checked), `persist` (the state file) and `api` (its refusals:
//! the Infobip error envelope and the `messageId` vocabulary).
//!
//! The serving parts (routes, authentication, the request log, the responses) live in the
//! mmjwt crate's `sandbox`, which re-exports these modules.

pub mod api;
pub mod body;
pub mod persist;
pub mod person;
pub mod store;
