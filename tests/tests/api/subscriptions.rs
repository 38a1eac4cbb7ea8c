//! Live updates over a real WebSocket (graphql-transport-ws): a teacher sees its claim change
//! state; a reviewer sees its queue grow.

use super::fixtures;
use credit_bank_tests::{on_both_backends, TestApp, PASSWORD};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

on_both_backends!(
    a_teacher_and_a_reviewer_follow_a_claim_live,
    a_subscription_ends_when_its_subscriber_may_no_longer_read,
    a_teacher_hears_of_a_completion_posted_for_it,
);

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A socket past `connection_ack`, signed in with `token` if given.
async fn connect(app: &TestApp, token: Option<&str>) -> Socket {
    let mut request = format!("ws://127.0.0.1:{}/graphql", app.port)
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("websocket");
    let payload = match token {
        Some(t) => json!({"Authorization": format!("Bearer {t}")}),
        None => json!({}),
    };
    send(
        &mut socket,
        json!({"type": "connection_init", "payload": payload}),
    )
    .await;
    assert_eq!(next(&mut socket).await["type"], "connection_ack");
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("send");
}

/// The next protocol message, skipping pings; fails after five seconds of silence.
async fn next(socket: &mut Socket) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a message within five seconds")
            .expect("open socket")
            .expect("a message");
        if let Message::Text(text) = msg {
            let value: Value = serde_json::from_str(&text).expect("JSON");
            if value["type"] == "ping" {
                send(socket, json!({"type": "pong"})).await;
                continue;
            }
            return value;
        }
    }
}

async fn a_teacher_and_a_reviewer_follow_a_claim_live(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370202", "直播小学").await;
    fixtures::teacher(&app, &admin, &school, "周老师", Some("live-t")).await;
    let teacher = app.login("live-t", PASSWORD).await;
    let reviewer = fixtures::school_admin(&app, &admin, "live-sa", &school).await;

    let mut own = connect(&app, Some(&teacher)).await;
    send(&mut own, json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { creditRecordChanged { title status nextStep } }"}})).await;
    let mut queue = connect(&app, Some(&reviewer)).await;
    send(&mut queue, json!({"id": "q", "type": "subscribe", "payload": {"query": "subscription { reviewQueueChanged { title nextStep } }"}})).await;
    // Give both subscriptions a moment to be registered before the events they wait for.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let claim = app
        .ok(
            &teacher,
            "mutation { claimCredit(input: {kind: MONOGRAPH, title: \"实时专著\", earnedOn: \"2026-03-01\"}){ id } }",
            json!({}),
            "claimCredit",
        )
        .await;
    let arrived = next(&mut queue).await;
    assert_eq!(arrived["type"], "next", "{arrived}");
    assert_eq!(
        arrived["payload"]["data"]["reviewQueueChanged"],
        json!({"title": "实时专著", "nextStep": "SCHOOL"})
    );
    let created = next(&mut own).await;
    assert_eq!(
        created["payload"]["data"]["creditRecordChanged"]["status"],
        "PENDING"
    );

    app.ok(
        &reviewer,
        "mutation($id: ID!){ reviewCredit(id:$id, decision: APPROVE){ id } }",
        json!({"id": claim["id"]}),
        "reviewCredit",
    )
    .await;
    let moved = next(&mut own).await;
    assert_eq!(
        moved["payload"]["data"]["creditRecordChanged"],
        json!({"title": "实时专著", "status": "PENDING", "nextStep": "COUNTY"})
    );

    // Over plain HTTP a subscription is refused with a pointer to the WebSocket.
    let over_http = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&teacher)
        .json(&json!({"query": "subscription { creditRecordChanged { id } }"}))
        .send()
        .await
        .expect("request");
    assert_eq!(over_http.status().as_u16(), 400);

    // Without a token there is no subscription.
    let mut anonymous = connect(&app, None).await;
    send(&mut anonymous, json!({"id": "a", "type": "subscribe", "payload": {"query": "subscription { reviewQueueChanged { title } }"}})).await;
    let refused = next(&mut anonymous).await;
    assert_eq!(refused["payload"]["data"], Value::Null, "{refused}");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

async fn a_subscription_ends_when_its_subscriber_may_no_longer_read(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370202", "旧学校").await;
    let other = fixtures::school(&app, &admin, "370202", "新学校").await;
    let t = fixtures::teacher(&app, &admin, &school, "吴老师", Some("gone-t")).await;
    let teacher = app.login("gone-t", PASSWORD).await;
    let head = fixtures::school_admin(&app, &admin, "gone-sa", &school).await;
    let mut socket = connect(&app, Some(&head)).await;
    let query = format!("subscription {{ creditRecordChanged(teacherId: \"{t}\") {{ title }} }}");
    send(
        &mut socket,
        json!({"id": "w", "type": "subscribe", "payload": {"query": query}}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let claim =
        |title: &str| json!({"i": {"kind": "MONOGRAPH", "title": title, "earnedOn": "2026-02-01"}});
    let claim_q = "mutation($i: ClaimInput!){ claimCredit(input:$i){ id } }";
    app.ok(&teacher, claim_q, claim("第一本"), "claimCredit")
        .await;
    let first = next(&mut socket).await;
    assert_eq!(
        first["payload"]["data"]["creditRecordChanged"]["title"], "第一本",
        "{first}"
    );

    // The teacher moves to another school: its old school no longer follows its records.
    app.ok(
        &admin,
        "mutation($t: ID!, $s: ID!){ transferTeacher(teacherId:$t, toSchoolId:$s, on:\"2026-09-01\"){ id } }",
        json!({"t": t, "s": other}),
        "transferTeacher",
    )
    .await;
    app.ok(&teacher, claim_q, claim("第二本"), "claimCredit")
        .await;
    let after = next(&mut socket).await;
    assert_eq!(after["type"], "complete", "{after}");
    assert_eq!(after["id"], "w");
}

async fn a_teacher_hears_of_a_completion_posted_for_it(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "live-inst", "370200", "青岛教师进修学院").await;
    let school = fixtures::school(&app, &admin, "370202", "结业小学").await;
    let t = fixtures::teacher(&app, &admin, &school, "吴老师", Some("live-c")).await;
    let teacher = app.login("live-c", PASSWORD).await;
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "LIVE-1",
        json!({"endsOn": "2026-06-30"}),
    )
    .await;
    fixtures::enroll(&app, &admin, &course, &t).await;

    let mut own = connect(&app, Some(&teacher)).await;
    send(&mut own, json!({"id": "c", "type": "subscribe", "payload": {"query": "subscription { creditRecordChanged { title status course { code } } }"}})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.ok(
        &ptoken,
        "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }",
        json!({"c": course, "rows": [{"teacherId": t, "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    let posted = next(&mut own).await;
    assert_eq!(posted["type"], "next", "{posted}");
    assert_eq!(
        posted["payload"]["data"]["creditRecordChanged"],
        json!({"title": "信息技术应用能力提升", "status": "CERTIFIED", "course": {"code": "LIVE-1"}})
    );
}
