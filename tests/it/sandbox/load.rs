//! A bounded concurrent load.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bounded_concurrent_load_loses_nothing() {
    const REQUESTS: usize = 1000;
    const CONCURRENCY: usize = 16;
    const USERS: usize = 20;
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    let tokens: Vec<String> = (0..USERS).map(|u| token(&format!("u{u}"))).collect();
    for (u, t) in tokens.iter().enumerate() {
        api.personalize(
            &format!("r{u}"),
            "",
            &Auth::Bearer(t.clone()),
            &identity(&format!("u{u}")),
        )
        .await
        .ok();
    }
    let tokens = Arc::new(tokens);
    let next = Arc::new(AtomicUsize::new(0));
    let statuses = Arc::new(Mutex::new(Vec::with_capacity(REQUESTS)));
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (api, tokens, next, statuses) =
            (api.clone(), tokens.clone(), next.clone(), statuses.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= REQUESTS {
                    break;
                }
                let u = (i / 4) % USERS;
                let reg = format!("r{u}");
                let bearer = Auth::Bearer(tokens[u].clone());
                let change = json!({"customAttributes": {format!("k{i}"): i}});
                let r = match i % 4 {
                    0 => api.fetch(&reg, &APP_AUTH).await,
                    1 => api.patch(&reg, &bearer, &change).await,
                    2 => api.patch_android(&reg, &APP_AUTH, &change).await,
                    _ => api.fetch(&reg, &bearer).await,
                };
                statuses.lock().unwrap().push(r.status);
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    let statuses = std::mem::take(&mut *statuses.lock().unwrap());
    assert_eq!(statuses.len(), REQUESTS);
    assert!(
        statuses.iter().all(|s| *s == 200),
        "every request succeeded"
    );
    // Every acknowledged change is there, with its value.
    let mut found = 0;
    for u in 0..USERS {
        let r = api.fetch(&format!("r{u}"), &APP_AUTH).await;
        for (k, v) in r.ok()["customAttributes"].as_object().unwrap() {
            let i: usize = k[1..].parse().unwrap();
            assert_eq!(((i / 4) % USERS, v.as_u64()), (u, Some(i as u64)));
            found += 1;
        }
    }
    assert_eq!(found, REQUESTS / 2);
}
