//! A teacher's own compliance is read from what the gate loaded: the teacher row, its school
//! and region once, then the ledger and what evaluating it needs — a bounded, small number of
//! SQL statements (issue 14: at most 6).

use super::fixtures;
use credit_bank_tests::{on_both_backends, TestApp, PASSWORD};
use serde_json::json;

on_both_backends!(a_teachers_own_compliance_costs_at_most_six_statements,);

const CLAIM: &str = "mutation($i: ClaimInput!){ claimCredit(input:$i){ id } }";
const VIEWER_COMPLIANCE: &str = "{ viewer { teacher { compliance(asOf: \"2026-12-31\", includePending: true) { policy { key } satisfied totalCounted requirements { key counted } records { credits counted } } } } }";

async fn a_teachers_own_compliance_costs_at_most_six_statements(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370202", "市南区第七小学").await;
    fixtures::teacher(&app, &admin, &school, "赵敏", Some("cost-t")).await;
    let own = app.login("cost-t", PASSWORD).await;
    for title in ["专著一", "专著二"] {
        let claim = json!({"i": {"kind": "MONOGRAPH", "title": title, "earnedOn": "2026-02-01"}});
        app.ok(&own, CLAIM, claim, "claimCredit").await;
    }
    let before = app.state.metrics.db_statements();
    let body = app.gql(Some(&own), VIEWER_COMPLIANCE, json!({})).await;
    let spent = app.state.metrics.db_statements() - before;
    assert!(body["errors"].is_null(), "{body}");
    let report = &body["data"]["viewer"]["teacher"]["compliance"];
    assert_eq!(report["policy"]["key"], "qingdao-shinan", "{body}");
    assert_eq!(
        report["records"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
    assert!(
        spent <= 6,
        "viewer {{ teacher {{ compliance }} }} cost {spent} statements"
    );
}
