//! A teacher's access grants reach the university's webhook, and only that university's: the
//! grant (or revocation) and its event commit in one transaction, so a receiver hears of every
//! grant that holds and of none that did not.

use super::fixtures;
use super::webhook_support::{hook, quick, webhook_tests, Receiver, WITHIN};
use credit_bank_tests::{TestApp, PASSWORD};
use serde_json::json;
use std::time::Duration;

webhook_tests!(
    a_university_hears_of_its_own_grants_and_revocations_only => quick,
);

/// A university with an admin account logged in: (university id, token).
async fn university(app: &TestApp, admin: &str, user: &str, name: &str) -> (String, String) {
    let id = fixtures::id(
        &app.ok(
            admin,
            "mutation($i: CreateUniversityInput!){ createUniversity(input:$i){ id } }",
            json!({"i": {"regionCode": "370000", "name": name}}),
            "createUniversity",
        )
        .await,
    );
    fixtures::account(
        app,
        admin,
        json!({"username": user, "role": "UNIVERSITY_ADMIN", "universityId": id}),
    )
    .await;
    (id, app.login(user, PASSWORD).await)
}

async fn a_university_hears_of_its_own_grants_and_revocations_only(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370202", "授权小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "授权老师", Some("wa-t")).await;
    let own = app.login("wa-t", PASSWORD).await;
    let (ua, ta) = university(&app, &admin, "wa-uni-a", "甲师范大学").await;
    let (_ub, tb) = university(&app, &admin, "wa-uni-b", "乙师范大学").await;
    let (ra, rb) = (Receiver::start(200).await, Receiver::start(200).await);
    let (_, secret_a) = hook(&app, &ta, &ra.url, &["ACCESS_GRANTED", "ACCESS_REVOKED"]).await;
    hook(&app, &tb, &rb.url, &["ACCESS_GRANTED", "ACCESS_REVOKED"]).await;

    let grant = app
        .ok(
            &own,
            "mutation($u: ID!){ grantAccess(universityId:$u, expiresOn: \"2099-12-31\"){ id active } }",
            json!({"u": ua}),
            "grantAccess",
        )
        .await;
    let got = ra.wait_for(1, WITHIN).await;
    assert_eq!(got.len(), 1, "university A heard nothing of the grant");
    assert!(got[0].signed_with(&secret_a));
    let body = got[0].json();
    assert_eq!(body["type"], "ACCESS_GRANTED");
    assert_eq!(body["data"]["teacherId"], teacher);
    assert_eq!(body["data"]["universityId"], ua);
    assert_eq!(body["data"]["accessGrantId"], grant["id"]);
    assert_eq!(body["data"]["expiresOn"], "2099-12-31");
    assert_eq!(body["data"]["revoked"], false);

    app.ok(
        &own,
        "mutation($u: ID!){ revokeAccess(universityId:$u){ active } }",
        json!({"u": ua}),
        "revokeAccess",
    )
    .await;
    let got = ra.wait_for(2, WITHIN).await;
    assert_eq!(got.len(), 2, "university A heard nothing of the revocation");
    let body = got[1].json();
    assert_eq!(body["type"], "ACCESS_REVOKED");
    assert_eq!(body["data"]["accessGrantId"], grant["id"]);
    assert_eq!(body["data"]["revoked"], true);

    // A revocation of nothing is refused and announces nothing.
    let refused = app
        .gql(
            Some(&own),
            "mutation($u: ID!){ revokeAccess(universityId:$u){ active } }",
            json!({"u": ua}),
        )
        .await;
    assert_eq!(
        credit_bank_tests::error_code(&refused),
        "NOT_FOUND",
        "{refused}"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(ra.requests().len(), 2, "an event for a refused revocation");
    assert!(rb.requests().is_empty(), "university B heard of A's grant");
}
