//! Issue Infobip Mobile Messaging user-data JWTs with the `jsonwebtoken` crate.
//!
//! The secret signs tokens for ANY user of your app, so it lives on your backend only: never
//! ship it in the mobile app (anyone can unpack an app and read it) and never commit it.
//! The app asks your backend for a token after the user has signed in to your backend.
//!
//! Configuration (from the Infobip portal, App Profile, "JWT private keys"):
//!   INFOBIP_APP_CODE    the Application Code
//!   INFOBIP_JWT_KEY_ID  the key id
//!   INFOBIP_JWT_SECRET  the secret as the portal shows it (hex)
//!
//! Run: cargo run --release -- EXTERNAL_USER_ID   -> the token on stdout

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use std::time::{SystemTime, UNIX_EPOCH};

const LIFETIME_SECONDS: u64 = 15 * 60;

#[derive(Serialize)]
struct Claims<'a> {
    typ: &'static str,
    sub: &'a str,
    #[serde(rename = "infobip-api-key")]
    api_key: &'a str,
    iat: u64,
    exp: u64,
    jti: String,
    iss: &'a str,
}

/// The HMAC key is the hex-DECODED secret (`hex::decode` refuses odd length and non-hex digits).
pub fn secret_from_hex(secret_hex: &str) -> Result<Vec<u8>, &'static str> {
    match hex::decode(secret_hex) {
        Ok(key) if !key.is_empty() => Ok(key),
        _ => Err("INFOBIP_JWT_SECRET must be a non-empty, even-length hex string (as the portal shows it)"),
    }
}

/// The signed token for one external user id; `sub` is the id exactly as given.
pub fn infobip_user_token(
    external_user_id: &str,
    app_code: &str,
    key_id: &str,
    key: &[u8],
) -> jsonwebtoken::errors::Result<String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs(); // integer seconds
    let claims = Claims {
        typ: "Bearer",
        sub: external_user_id,
        api_key: app_code,
        iat: now,
        exp: now + LIFETIME_SECONDS,
        jti: uuid::Uuid::new_v4().to_string(),
        iss: app_code,
    };
    let mut header = Header::new(Algorithm::HS256); // typ "JWT"
    header.kid = Some(key_id.to_owned());
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(key))
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [user_id] = args.as_slice() else {
        eprintln!("usage: infobip-jwt EXTERNAL_USER_ID");
        return std::process::ExitCode::from(2);
    };
    let mut config = Vec::new();
    for name in ["INFOBIP_APP_CODE", "INFOBIP_JWT_KEY_ID", "INFOBIP_JWT_SECRET"] {
        match std::env::var(name) {
            Ok(value) => config.push(value),
            Err(_) => {
                eprintln!("error: {name} is not set (or not UTF-8)");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let key = match secret_from_hex(&config[2]) {
        Ok(key) => key,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    match infobip_user_token(user_id, &config[0], &config[1], &key) {
        Ok(token) => {
            println!("{token}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
