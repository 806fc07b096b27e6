//! A client for the sandbox's Mobile API in tests: one call per method, every answer checked to
//! be JSON with a matching Content-Length, and the Authorization kinds a test can send.

use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub enum Auth {
    None,
    App(&'static str),
    Bearer(String),
    Header(String),
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert_eq!(self.status, 200, "{}", self.body);
        &self.body
    }

    #[track_caller]
    pub fn refused(&self, status: u16, message_id: &str) {
        assert_eq!(
            (self.status, self.message_id()),
            (status, Some(message_id)),
            "{}",
            self.body
        );
        let text = self.body["requestError"]["serviceException"]["text"]
            .as_str()
            .unwrap_or_default();
        assert!(!text.is_empty(), "every refusal says why: {}", self.body);
    }

    pub fn message_id(&self) -> Option<&str> {
        self.body["requestError"]["serviceException"]["messageId"].as_str()
    }
}

#[derive(Debug, Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(base: String) -> Api {
        let http = super::http_client();
        Api { base, http }
    }

    /// Sends one request; asserts the response is JSON with a Content-Length that matches.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        auth: &Auth,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        req = match auth {
            Auth::None => req,
            Auth::App(code) => req.header("Authorization", format!("App {code}")),
            Auth::Bearer(t) => req.header("Authorization", format!("Bearer {t}")),
            Auth::Header(h) => req.header("Authorization", h.as_str()),
        };
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(b.to_owned());
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let ctype = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        let clen = res
            .headers()
            .get("content-length")
            .map(|v| v.to_str().unwrap().parse::<usize>().unwrap());
        let bytes = res.bytes().await.unwrap();
        assert_eq!(ctype.as_deref(), Some("application/json"), "{path}");
        assert_eq!(clen, Some(bytes.len()), "{path}");
        Reply {
            status,
            body: serde_json::from_slice(&bytes).unwrap(),
        }
    }

    pub async fn fetch(&self, reg: &str, auth: &Auth) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/user?ri=true");
        self.send("GET", &path, auth, None, &[]).await
    }

    /// iOS: a real PATCH with `ri=0&rt=0`.
    pub async fn patch(&self, reg: &str, auth: &Auth, body: &Value) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/user?ri=0&rt=0");
        self.send("PATCH", &path, auth, Some(&body.to_string()), &[])
            .await
    }

    /// Android: POST with `X-HTTP-Method-Override: PATCH`.
    pub async fn patch_android(&self, reg: &str, auth: &Auth, body: &Value) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/user");
        self.send(
            "POST",
            &path,
            auth,
            Some(&body.to_string()),
            &[("X-HTTP-Method-Override", "PATCH")],
        )
        .await
    }

    pub async fn personalize(&self, reg: &str, query: &str, auth: &Auth, body: &Value) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/personalize{query}");
        self.send("POST", &path, auth, Some(&body.to_string()), &[])
            .await
    }

    pub async fn depersonalize(&self, reg: &str, auth: &Auth) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/depersonalize");
        self.send("POST", &path, auth, None, &[]).await
    }

    pub async fn repersonalize(&self, reg: &str, auth: &Auth, body: &Value) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/repersonalize");
        self.send("POST", &path, auth, Some(&body.to_string()), &[])
            .await
    }
}

pub fn identity(ext: &str) -> Value {
    json!({"userIdentity": {"externalUserId": ext}})
}
