//! Requirements that bind some teachers only: head teachers (Shandong art. 16), new hires in
//! the year they are hired (Suzhou art. 1), teachers on probation by their diploma (Weifang
//! art. 13). The teacher's own facts decide; activities never do.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::period::Period;

/// What requirements may ask of the teacher, as the school recorded it. A fact not recorded
/// reads as the general case: not a head teacher, not a normal-school graduate, hire date unknown
/// (so no new-hire requirement applies).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeacherFacts {
    pub hired_on: Option<NaiveDate>,
    /// Serves as a class head teacher (班主任).
    pub head_teacher: bool,
    /// Graduated from a normal (teacher-training) programme (师范类毕业生).
    pub normal_school_graduate: bool,
}

/// A term of service as head teacher; an open start is unknown (before records began), an open
/// end is still serving. `until` is the last day served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl TeacherFacts {
    /// The facts as the requirements of the period containing `as_of` read them: a head
    /// teacher is one who served as such at any time in that period up to `as_of` (Shandong
    /// art. 16 binds whoever serves during the cycle, also after stepping down).
    pub fn in_period_of(
        self,
        head_teacher_terms: &[Term],
        policy: &super::document::PolicyDocument,
        as_of: NaiveDate,
    ) -> Self {
        let period = policy.period.containing(as_of);
        let end = period.end.min(as_of);
        let served = head_teacher_terms.iter().any(|t| {
            t.from.is_none_or(|from| from <= end) && t.until.is_none_or(|u| u >= period.start)
        });
        TeacherFacts {
            head_teacher: served,
            ..self
        }
    }
}

/// Which teachers a requirement binds; every teacher when empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppliesTo {
    /// Only head teachers (`true`) or only other teachers (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_teacher: Option<bool>,
    /// Only normal-school graduates (`true`) or only others (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normal_school_graduate: Option<bool>,
    /// Only new hires, and only over the period-year in which they were hired (当年).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hire_year: bool,
    /// Only new hires, and only over their first N months from the hire date (试用期).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probation_months: Option<u32>,
    /// Only over the teacher's N-th year of service: the 12 months starting N − 1 years after
    /// the hire date (Shinan: new teachers' first, second and third years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_year: Option<u32>,
}

/// The stretch of time a bound requirement looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The whole period (or, for annual minimums, each of its years).
    Period,
    /// One period-year: the year of hire.
    Year(i32),
    /// From the hire date up to, not including, `until`.
    Dates { from: NaiveDate, until: NaiveDate },
}

impl AppliesTo {
    pub fn is_everyone(&self) -> bool {
        *self == AppliesTo::default()
    }

    /// The span the requirement binds this teacher over within `period`, or `None` if it does
    /// not bind the teacher at all.
    pub fn span(&self, teacher: &TeacherFacts, period: &Period) -> Option<Span> {
        if self
            .head_teacher
            .is_some_and(|wanted| wanted != teacher.head_teacher)
            || self
                .normal_school_graduate
                .is_some_and(|wanted| wanted != teacher.normal_school_graduate)
        {
            return None;
        }
        let stretch = match (self.probation_months, self.service_year) {
            (Some(months), _) => Some((0, months)),
            (None, Some(year)) => Some((12 * year.saturating_sub(1), 12)),
            (None, None) => None,
        };
        if let Some((skip, months)) = stretch {
            let from = teacher.hired_on?.checked_add_months(Months::new(skip))?;
            let until = from.checked_add_months(Months::new(months))?;
            // Probation that ended before the period or starts after it is not this period's.
            return (from <= period.end && until > period.start)
                .then_some(Span::Dates { from, until });
        }
        if self.hire_year {
            let hired = teacher.hired_on?;
            return period
                .contains(hired)
                .then(|| Span::Year(period.year_of(hired)));
        }
        Some(Span::Period)
    }
}
