//! The state file: kept across restarts and a SIGKILL.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_survives_a_restart_and_bad_state_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.json");
    let with_state = || {
        let mut c = config(Mode::AllowAll);
        c.state_file = Some(file.clone());
        c
    };
    let (sb, api) = start(with_state()).await;
    api.personalize("r", "", &APP_AUTH, &identity("alice"))
        .await
        .ok();
    api.patch("r", &APP_AUTH, &json!({"customAttributes": {"n": 7}}))
        .await
        .ok();
    // A second sandbox may not share the file.
    let e = Sandbox::start(with_state(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("in use"), "{e}");
    sb.shutdown().await.unwrap();

    let (sb, api) = start(with_state()).await;
    let u = api.fetch("r", &APP_AUTH).await;
    assert_eq!(u.ok()["customAttributes"]["n"], 7);
    assert_eq!(u.ok()["externalUserId"], "alice");
    sb.shutdown().await.unwrap();

    std::fs::write(&file, b"{\"format\": \"something else\"").unwrap();
    let e = Sandbox::start(with_state(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("is not usable"), "{e}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"{\"format\": \"something else\"",
        "never replaced"
    );
}
