//! Batches of users: the summary, text lines, failures that do not stop it.

use super::*;

/// Answers 401 with an envelope for ids ending in 7, 503 for ids ending in 99, else 200.
fn judging_server() -> Server {
    Server::start(|hit| {
        let body: Value = serde_json::from_str(&hit.body).unwrap_or(Value::Null);
        let id = body["userIdentity"]["externalUserId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if id.ends_with('7') {
            Reply::json(
                401,
                r#"{"requestError":{"serviceException":{"messageId":"SUB_MISMATCH","text":"no"}}}"#,
            )
        } else if id.ends_with("99") {
            Reply::json(503, "")
        } else {
            Reply::json(200, &format!(r#"{{"externalUserId":"{id}"}}"#))
        }
    })
}

#[test]
fn a_batch_of_300_users_is_summarised() {
    let srv = judging_server();
    let users: String = (0..300).map(|i| format!("user-{i:03}\n")).collect();
    let a = replay(&srv.url)
        .args([
            "personalize",
            "--users",
            "-",
            "--concurrency",
            "16",
            "--json",
        ])
        .write_stdin(users)
        .assert()
        .code(5);
    assert_eq!(
        stderr(&a),
        "",
        "no progress bar or noise when stderr is not a terminal"
    );
    let out = stdout(&a);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 301);
    let summary = &lines[300]["summary"];
    assert_eq!(summary["calls"], 300);
    assert_eq!(summary["sent"], 300);
    assert_eq!(
        summary["by_status"],
        json!({"200": 267, "401": 30, "503": 3})
    );
    assert_eq!(summary["by_message_id"], json!({"SUB_MISMATCH": 30}));
    assert_eq!(summary["network_errors"], json!({}));
    assert_eq!(summary["concurrency"], 16);
    assert_eq!(summary["exit_code"], 5);
    for k in ["p50", "p95", "p99"] {
        assert!(summary["latency_ms"][k].is_number(), "{k}");
    }
    // One line per user, each for that user, with the status the server gave.
    let mut seen: Vec<String> = lines[..300]
        .iter()
        .map(|l| {
            let user = l["user_id"].as_str().unwrap().to_string();
            assert_eq!(
                l["request"]["body"]["userIdentity"]["externalUserId"],
                user.as_str()
            );
            let want = if user.ends_with('7') {
                4
            } else if user.ends_with("99") {
                5
            } else {
                0
            };
            assert_eq!(l["exit_code"], want, "{user}");
            user
        })
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 300);
    // Every request carried its own token: sub = the user, distinct jti.
    let hits = srv.hits();
    assert_eq!(hits.len(), 300);
    let mut jtis = std::collections::HashSet::new();
    let k = key();
    for h in &hits {
        let tok = h
            .header("authorization")
            .unwrap()
            .strip_prefix("Bearer ")
            .unwrap();
        let body: Value = serde_json::from_str(&h.body).unwrap();
        let user = body["userIdentity"]["externalUserId"].as_str().unwrap();
        let report = mmjwt::token::check::check(
            tok,
            &mmjwt::token::check::Options {
                keys: mmjwt::token::check::Keys::Single(&k),
                expect: mmjwt::token::check::Expectations {
                    sub: Some(user),
                    ..Default::default()
                },
                ..mmjwt::token::check::Options::at(mmjwt::time::now_unix())
            },
        );
        assert!(report.valid(), "{user}: {:?}", report.problems);
        let jti = report.claims.as_ref().unwrap()["jti"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(jtis.insert(jti));
    }
}

#[test]
fn a_batch_in_text_mode_prints_a_line_per_user_and_a_summary() {
    let srv = judging_server();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ids.txt");
    std::fs::write(&f, "u-1\n\nu-7\r\nu-3\n").unwrap();
    let a = replay(&srv.url)
        .args(["personalize", "--sdk", "ios", "--users"])
        .arg(&f)
        .assert()
        .code(4);
    let out = stdout(&a);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("line ")).count(),
        3,
        "{out}"
    );
    assert!(
        out.contains("line 3\tu-7\t401 Unauthorized  SUB_MISMATCH  "),
        "{out}"
    );
    assert!(out.contains("line 1\tu-1\t200 OK  "), "{out}");
    assert!(out.contains("summary: 3 calls, 3 sent in "), "{out}");
    assert!(out.contains("  status:     200 × 2, 401 × 1\n"), "{out}");
    assert!(out.contains("  messageId:  SUB_MISMATCH × 1\n"), "{out}");
    assert!(out.contains("  latency:    p50 "), "{out}");
}

#[test]
fn a_batch_keeps_going_past_failures() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let a = replay(&format!("http://127.0.0.1:{port}"))
        .args(["fetch-user", "--users", "-", "--json"])
        .write_stdin("a\nb\nc\n")
        .assert()
        .code(6);
    let out = stdout(&a);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3]["summary"]["network_errors"], json!({"refused": 3}));
    assert_eq!(lines[3]["summary"]["sent"], 3);

    // Expired tokens: refused by the preflight, all of them, none sent.
    let srv = Server::ok();
    let a = replay(&srv.url)
        .args(["fetch-user", "--users", "-", "--ttl", "0", "--json"])
        .write_stdin("a\nb\n")
        .assert()
        .code(11);
    let last: Value = serde_json::from_str(stdout(&a).lines().last().unwrap()).unwrap();
    assert_eq!(
        last["summary"]["preflight_refused"],
        json!({"JWT_TOKEN_EXPIRED": 2})
    );
    assert_eq!(last["summary"]["sent"], 0);
    assert_eq!(srv.hits().len(), 0);
}
