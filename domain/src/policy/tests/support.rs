//! A compact way to write a teacher's activities in tests.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::amount::Amount;
use crate::codes::{
    ActivityKind, CategoryKey, CreditStatus, Modality, ParticipationRole, TrainingLevel,
};
use crate::policy::{
    built_in, Activity, ComplianceReport, Evaluation, PolicyDocument, TeacherFacts,
};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub fn amount(s: &str) -> Amount {
    Amount::parse(s).expect("amount")
}

pub fn policy(key: &str) -> PolicyDocument {
    built_in(key).expect("built-in policy")
}

/// Ids in creation order, so tests can name records by position.
pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n + 1)
}

pub struct A(pub Activity);

pub fn act(n: u128, kind: ActivityKind, on: NaiveDate) -> A {
    let mut a = Activity::new(id(n), kind, on);
    a.passed = Some(true);
    a.from_catalogue = kind == ActivityKind::CourseCompletion;
    A(a)
}

/// A passed course completion: `hours` at `level` in `modality`.
pub fn course(n: u128, on: NaiveDate, level: TrainingLevel, modality: Modality, hours: &str) -> A {
    act(n, ActivityKind::CourseCompletion, on)
        .level(level)
        .modality(modality)
        .hours(hours)
}

impl A {
    pub fn level(mut self, l: TrainingLevel) -> Self {
        self.0.level = Some(l);
        self
    }
    pub fn modality(mut self, m: Modality) -> Self {
        self.0.modality = Some(m);
        self
    }
    pub fn category(mut self, c: &str) -> Self {
        self.0.category = Some(CategoryKey::parse(c).expect("category"));
        self
    }
    pub fn compulsory(mut self, c: bool) -> Self {
        self.0.compulsory = Some(c);
        self
    }
    pub fn hours(mut self, h: &str) -> Self {
        self.0.hours = Some(amount(h));
        self
    }
    pub fn attended(mut self, h: &str) -> Self {
        self.0.attended_hours = Some(amount(h));
        self
    }
    pub fn instructor(mut self, taught: &str) -> Self {
        self.0.role = ParticipationRole::Instructor;
        self.0.taught_hours = Some(amount(taught));
        self
    }
    pub fn failed(mut self) -> Self {
        self.0.passed = Some(false);
        self
    }
    pub fn days(mut self, d: i32) -> Self {
        self.0.days = Some(d);
        self
    }
    pub fn months(mut self, m: i32) -> Self {
        self.0.months = Some(m);
        self
    }
    pub fn words(mut self, w: i32) -> Self {
        self.0.words = Some(w);
        self
    }
    pub fn prize(mut self, p: &str) -> Self {
        self.0.prize = Some(p.to_owned());
        self
    }
    pub fn status(mut self, s: CreditStatus) -> Self {
        self.0.status = s;
        self
    }
    pub fn foreign(mut self, r: crate::policy::RecognitionState) -> Self {
        self.0.foreign = Some(r);
        self
    }
    pub fn uncatalogued(mut self) -> Self {
        self.0.from_catalogue = false;
        self
    }
    pub fn done(self) -> Activity {
        self.0
    }
}

pub fn evaluate(policy: &PolicyDocument, as_of: NaiveDate, activities: Vec<A>) -> ComplianceReport {
    evaluate_for(policy, TeacherFacts::default(), as_of, activities)
}

/// As `evaluate`, for a teacher with the given facts (head teacher, hire date, diploma).
pub fn evaluate_for(
    policy: &PolicyDocument,
    teacher: TeacherFacts,
    as_of: NaiveDate,
    activities: Vec<A>,
) -> ComplianceReport {
    let activities: Vec<Activity> = activities.into_iter().map(A::done).collect();
    policy.evaluate(Evaluation {
        as_of,
        include_pending: false,
        activities: &activities,
        allowances: &[],
        teacher,
    })
}

/// `(counted, shortfall, satisfied)` of a requirement instance, by key.
pub fn requirement(report: &ComplianceReport, key: &str) -> (Amount, Amount, bool) {
    let r = report
        .requirements
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("no requirement {key}"));
    (r.counted, r.shortfall, r.satisfied)
}

/// `(credits, counted, note codes)` of the record made with id `n`.
pub fn record(report: &ComplianceReport, n: u128) -> (Amount, Amount, Vec<&'static str>) {
    let r = report
        .records
        .iter()
        .find(|r| r.record_id == id(n))
        .unwrap_or_else(|| panic!("no record {n}"));
    (
        r.credits,
        r.counted,
        r.notes.iter().map(|n| n.code).collect(),
    )
}
