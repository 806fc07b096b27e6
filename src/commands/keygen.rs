//! `mmjwt keygen`: a fresh key id and 32-byte secret, as `KEY=value` lines for `eval` or a
//! `.env` file, or as JSON.

use crate::error::{ErrorKind, runtime};
use crate::secret::{Secret, random_key_id};
use crate::shell::Shell;
use serde_json::json;

pub(crate) fn run(prefix: &str, shell: &Shell) -> anyhow::Result<u8> {
    let fail =
        |e: std::io::Error| runtime(ErrorKind::Random, format!("no randomness from the OS: {e}"));
    let kid = random_key_id(prefix).map_err(fail)?;
    let secret = Secret::random().map_err(fail)?;
    if shell.json {
        let v = json!({"key_id": kid, "secret": secret.expose_hex()});
        println!("{}", shell.json_text(&v));
    } else {
        println!("MMJWT_KEY_ID={kid}");
        println!("MMJWT_SECRET={}", secret.expose_hex());
    }
    Ok(0)
}
