//! JSON as mmjwt reads and writes it, a leaf both `token` and `sdk` build on: the strict object
//! reader the server-side judgement uses ([`read`](mod@read): RFC 8259 text, duplicate names recorded, a
//! fast path for the flat objects tokens carry), those objects read into named slots
//! ([`flat`](mod@flat), for the usual token's rules, `token::usual`) and the compact writer batch reports go
//! through ([`write`](mod@write): byte for byte what `serde_json::to_string` writes); and an
//! object kept as written, member by member, for editing it ([`raw`](mod@raw), `gen --from`).

pub mod flat;
pub mod raw;
pub mod read;
pub mod write;

pub use flat::FlatObject;
pub use raw::{RawMember, RawObject, parse_raw_object};
pub use read::{
    FlatValue, JsonError, Members, StrictObject, kind_of, parse_object, scan_flat, scan_flat_text,
};
