//! The requirement instances of an evaluation: which requirements bind the teacher, over which
//! spans (annual minimums per due year, a new hire's year or months), with what minimum.

use chrono::NaiveDate;

use super::document::{NewHires, PeriodKind, PolicyDocument, Requirement};
use super::period::Period;
use super::teacher::{Span, TeacherFacts};

impl PolicyDocument {
    /// The requirement instances of this evaluation: those that bind the teacher, annual
    /// minimums expanded per due year, a new hire's over the year or months it names; each with
    /// its minimum (in 10⁻⁴ credit) and, for a teacher hired during the cycle, the share of the
    /// cycle's years it is scaled to.
    pub(super) fn instances(
        &self,
        period: &Period,
        as_of: NaiveDate,
        teacher: &TeacherFacts,
    ) -> Vec<InstanceSpec> {
        let mut out = Vec::new();
        // A teacher hired after `as_of` owes nothing of a new hire's yet.
        let hired_later = teacher.hired_on.is_some_and(|h| h > as_of);
        let first = period.year_of(period.start);
        let last = period.year_of(period.end);
        // The first period-year a teacher hired during this cycle owes in-service training for:
        // the year after the hire year, which is the probation year (seed 004: in-service
        // continuing education follows probation; Weifang art. 13: then "the remaining years").
        let joined = match (self.period.kind, self.period.new_hires, teacher.hired_on) {
            (PeriodKind::Cycle, NewHires::ProRata, Some(h)) if period.contains(h) => {
                Some(period.year_of(h) + 1)
            }
            _ => None,
        };
        for (i, r) in self.requirements.iter().enumerate() {
            let min = r.min.to_e4();
            let whole = |span| InstanceSpec {
                index: i,
                span,
                min,
                share: None,
            };
            match r.applies_to.span(teacher, period) {
                None => {}
                Some(Span::Year(_) | Span::Dates { .. }) if hired_later => {}
                // A service year not begun by `as_of` is not due.
                Some(Span::Dates { from, .. }) if from > as_of => {}
                Some(Span::Period) if r.each_year => out.extend(
                    period
                        .years_due(as_of)
                        .filter(|y| joined.is_none_or(|j| *y >= j))
                        .map(|y| whole(Span::Year(y))),
                ),
                // A hire year not yet reached by `as_of` is not due.
                Some(Span::Year(y)) if !period.years_due(as_of).contains(&y) => {}
                Some(Span::Period) => match joined {
                    // Hired in the cycle's last year: nothing of this cycle is owed.
                    Some(j) if j > last => {}
                    Some(j) => {
                        let (left, total) = (i64::from(last - j + 1), i64::from(last - first + 1));
                        out.push(InstanceSpec {
                            index: i,
                            span: Span::Period,
                            // Rounded up: a share of a minimum is never less than owed.
                            min: (min * left + total - 1) / total,
                            share: Some((left, total)),
                        });
                    }
                    None => out.push(whole(Span::Period)),
                },
                Some(span) => out.push(whole(span)),
            }
        }
        out
    }
}

/// One requirement instance, before credits are counted toward it.
pub(super) struct InstanceSpec {
    pub index: usize,
    pub span: Span,
    /// The minimum, in 10⁻⁴ credit, after any pro-rata scaling.
    pub min: i64,
    /// `(years left from the hire year, years in the cycle)` when scaled.
    pub share: Option<(i64, i64)>,
}

pub(super) fn instance_key(requirement: &Requirement, span: Span) -> String {
    match span {
        Span::Year(y) => format!("{}:{y}", requirement.key),
        Span::Period | Span::Dates { .. } => requirement.key.clone(),
    }
}
