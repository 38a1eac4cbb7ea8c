#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn input(kind: ActivityKind) -> ClaimInput {
    ClaimInput {
        kind: Some(kind),
        title: "一篇论文".into(),
        earned_on: NaiveDate::from_ymd_opt(2026, 5, 1),
        ..ClaimInput::default()
    }
}

fn field(r: Result<Claim, FieldError>) -> (&'static str, &'static str) {
    let e = r.expect_err("refused");
    (e.field, e.error.code)
}

#[test]
fn a_paper_needs_its_level() {
    assert_eq!(
        field(parse_claim(input(ActivityKind::Paper), today())),
        ("input.level", "REQUIRED")
    );
    let mut ok = input(ActivityKind::Paper);
    ok.level = Some(TrainingLevel::Provincial);
    ok.words = Some(3000);
    assert_eq!(parse_claim(ok, today()).unwrap().words, Some(3000));
}

#[test]
fn overseas_training_needs_months_and_a_competition_its_prize() {
    assert_eq!(
        field(parse_claim(input(ActivityKind::OverseasTraining), today())),
        ("input.months", "REQUIRED")
    );
    let mut c = input(ActivityKind::Competition);
    c.level = Some(TrainingLevel::Municipal);
    assert_eq!(
        field(parse_claim(c.clone(), today())),
        ("input.prize", "REQUIRED")
    );
    c.prize = Some("一等奖".into());
    assert_eq!(parse_claim(c, today()).unwrap().prize, Some(Prize::First));
}

#[test]
fn contradictory_facts_are_refused() {
    let mut p = input(ActivityKind::Mentoring);
    p.prize = Some("FIRST".into());
    assert_eq!(
        field(parse_claim(p, today())),
        ("input.prize", "NOT_ALLOWED")
    );
    let mut w = input(ActivityKind::OpenClass);
    w.level = Some(TrainingLevel::County);
    w.words = Some(100);
    assert_eq!(
        field(parse_claim(w, today())),
        ("input.words", "NOT_ALLOWED")
    );
    let mut future = input(ActivityKind::Monograph);
    future.earned_on = NaiveDate::from_ymd_opt(2027, 1, 1);
    assert_eq!(
        field(parse_claim(future, today())),
        ("input.earnedOn", "OUT_OF_RANGE")
    );
    let mut negative = input(ActivityKind::OverseasTraining);
    negative.months = Some(-1);
    assert_eq!(
        field(parse_claim(negative, today())),
        ("input.months", "OUT_OF_RANGE")
    );
}

#[test]
fn evidence_must_be_a_web_address_with_an_optional_digest() {
    let mut e = input(ActivityKind::Monograph);
    e.evidence = vec![EvidenceInput {
        name: "封面".into(),
        url: "file:///etc/passwd".into(),
        sha256: None,
    }];
    assert_eq!(
        field(parse_claim(e.clone(), today())),
        ("input.evidence.url", "INVALID_FORMAT")
    );
    e.evidence[0].url = "https://files.example.cn/a.pdf".into();
    e.evidence[0].sha256 = Some("abc".into());
    assert_eq!(
        field(parse_claim(e.clone(), today())),
        ("input.evidence.sha256", "INVALID_FORMAT")
    );
    e.evidence[0].sha256 = Some("A".repeat(64));
    assert_eq!(
        parse_claim(e, today()).unwrap().evidence[0].sha256,
        Some("a".repeat(64))
    );
}
