//! Reports as text for people and JSON for programs. Rendering is pure: data in, string out.

pub mod check;
pub mod jsonw;
pub mod minted;
