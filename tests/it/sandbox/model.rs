//! The data model: persons, installations, patches and personalization.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_patch_styles_merge_and_null_deletes() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    api.patch(
        "r",
        &APP_AUTH,
        &json!({"firstName": "Darth", "lastName": "Vader", "gender": "Male", "birthday": "1988-07-31",
                "tags": ["music"], "customAttributes": {"number_1": 1234.3, "string_1": "blabla"}}),
    )
    .await
    .ok();
    api.patch_android(
        "r",
        &APP_AUTH,
        &json!({"middleName": "Beloved", "phones": [{"number": "385991111666"}],
                "emails": [{"address": "darth_vader@mail.com"}], "customAttributes": {"date_1": "2018-12-13"}}),
    )
    .await
    .ok();
    let u = api.fetch("r", &APP_AUTH).await;
    assert_eq!(
        u.ok(),
        &json!({
            "firstName": "Darth", "lastName": "Vader", "middleName": "Beloved", "gender": "Male",
            "birthday": "1988-07-31", "type": "LEAD",
            "phones": [{"number": "385991111666", "preferred": false}],
            "emails": [{"address": "darth_vader@mail.com", "preferred": false}],
            "tags": ["music"],
            "customAttributes": {"number_1": 1234.3, "string_1": "blabla", "date_1": "2018-12-13"},
            "instances": [{"pushRegId": "r", "regEnabled": true, "isPrimary": false}]
        })
    );
    // null deletes a field, a custom attribute, or a list.
    api.patch_android(
        "r",
        &APP_AUTH,
        &json!({"lastName": null, "customAttributes": {"string_1": null}, "tags": null}),
    )
    .await
    .ok();
    let u = api.fetch("r", &APP_AUTH).await;
    let u = u.ok();
    assert!(
        u.get("lastName").is_none() && u.get("tags").is_none(),
        "{u}"
    );
    assert_eq!(
        u["customAttributes"],
        json!({"number_1": 1234.3, "date_1": "2018-12-13"})
    );
    api.patch("r", &APP_AUTH, &json!({"customAttributes": null}))
        .await
        .ok();
    assert!(
        api.fetch("r", &APP_AUTH)
            .await
            .ok()
            .get("customAttributes")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_flags_take_both_spellings() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    for (q, instances) in [
        ("?ri=true", true),
        ("?ri=1&rt=0", true),
        ("?ri=0", false),
        ("", false),
    ] {
        let path = format!("/mobile/1/appinstance/r/user{q}");
        let r = api.send("GET", &path, &APP_AUTH, None, &[]).await;
        assert_eq!(r.ok().get("instances").is_some(), instances, "{q}");
    }
    // iOS style flags: 1/0; Android style: true/false.
    let u = api
        .personalize(
            "a",
            "?forceDepersonalize=0&keepAsLead=1&setDeviceAsPrimary=1",
            &APP_AUTH,
            &identity("x"),
        )
        .await;
    let u = u.ok();
    assert_eq!(u["type"], "LEAD");
    assert_eq!(u["instances"][0]["isPrimary"], true);
    let u = api
        .personalize(
            "a",
            "?setDeviceAsPrimary=false&keepAsLead=false&forceDepersonalize=false",
            &APP_AUTH,
            &identity("x"),
        )
        .await;
    assert_eq!(u.ok()["type"], "CUSTOMER");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personalize_links_merges_and_depersonalize_unlinks() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    // Anonymous data on a phone becomes alice's on personalize.
    api.patch(
        "phone",
        &APP_AUTH,
        &json!({"firstName": "Al", "tags": ["a"]}),
    )
    .await
    .ok();
    let u = api
        .personalize(
            "phone",
            "",
            &APP_AUTH,
            &json!({"userIdentity": {"externalUserId": "alice", "emails": [{"address": "al@x.io"}]},
                    "userAttributes": {"lastName": "Ice"}}),
        )
        .await;
    let u = u.ok();
    assert_eq!(
        (
            &u["externalUserId"],
            &u["firstName"],
            &u["lastName"],
            &u["type"]
        ),
        (
            &json!("alice"),
            &json!("Al"),
            &json!("Ice"),
            &json!("CUSTOMER")
        )
    );
    // A tablet's anonymous person merges into alice: alice keeps her values, gains the rest.
    api.patch(
        "tablet",
        &APP_AUTH,
        &json!({"firstName": "T", "tags": ["b"]}),
    )
    .await
    .ok();
    let u = api
        .personalize(
            "tablet",
            "",
            &APP_AUTH,
            &json!({"userIdentity": {"emails": [{"address": "al@x.io"}]}}),
        )
        .await;
    let u = u.ok();
    assert_eq!(u["externalUserId"], "alice", "found by email");
    assert_eq!(u["firstName"], "Al");
    assert_eq!(u["tags"], json!(["a", "b"]));
    assert_eq!(u["instances"].as_array().unwrap().len(), 2);
    // Depersonalize: the tablet is anonymous again; alice keeps her data and the phone.
    assert_eq!(
        api.depersonalize("tablet", &APP_AUTH).await.ok(),
        &json!({})
    );
    assert_eq!(api.fetch("tablet", &APP_AUTH).await.ok()["type"], "LEAD");
    let u = api.fetch("phone", &APP_AUTH).await;
    assert_eq!(u.ok()["instances"].as_array().unwrap().len(), 1);
    // Android's repersonalize puts it back.
    let u = api
        .repersonalize("tablet", &APP_AUTH, &identity("alice"))
        .await;
    assert_eq!(u.ok()["instances"].as_array().unwrap().len(), 2);
}
