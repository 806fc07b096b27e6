//! `mmjwt keygen`: a fresh key id and 32-byte secret, as `KEY=value` lines for
//! `export $(mmjwt keygen)` or a `.env` file, or as JSON.

use crate::error::{ErrorKind, runtime};
use crate::secret::{Secret, random_key_id};
use crate::shell::Shell;
use serde_json::json;
use std::io::Write as _;

pub(crate) fn run(prefix: &str, shell: &Shell) -> anyhow::Result<u8> {
    let fail =
        |e: std::io::Error| runtime(ErrorKind::Random, format!("no randomness from the OS: {e}"));
    let kid = random_key_id(prefix).map_err(fail)?;
    let secret = Secret::random().map_err(fail)?;
    // The text holds the secret: wiped once written.
    let text = zeroize::Zeroizing::new(if shell.json {
        let v = json!({"key_id": kid, "secret": secret.expose_hex()});
        format!("{}\n", shell.json_text(&v))
    } else {
        format!("MMJWT_KEY_ID={kid}\nMMJWT_SECRET={}\n", secret.expose_hex())
    });
    // A closed pipe surfaces as an error the driver treats as success (print! would panic).
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(0)
}
