//! `mmjwt keygen`: a fresh key id and 32-byte secret, as `KEY=value` lines for `eval` or a
//! `.env` file, or as JSON.

use super::Ctx;
use crate::error::runtime;
use crate::secret::Secret;
use serde_json::json;

/// A random key id: the prefix and 8 random hex digits.
pub fn random_key_id(prefix: &str) -> std::io::Result<String> {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).map_err(std::io::Error::other)?;
    Ok(format!(
        "{prefix}-{:02x}{:02x}{:02x}{:02x}",
        b[0], b[1], b[2], b[3]
    ))
}

pub fn run(prefix: &str, ctx: &Ctx) -> anyhow::Result<u8> {
    let fail = |e: std::io::Error| runtime("random", format!("no randomness from the OS: {e}"));
    let kid = random_key_id(prefix).map_err(fail)?;
    let secret = Secret::random().map_err(fail)?;
    if ctx.json {
        let v = json!({"key_id": kid, "secret": secret.expose_hex()});
        println!("{}", ctx.json_text(&v));
    } else {
        println!("MMJWT_KEY_ID={kid}");
        println!("MMJWT_SECRET={}", secret.expose_hex());
    }
    Ok(0)
}
