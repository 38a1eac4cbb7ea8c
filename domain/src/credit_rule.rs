//! The default credit rule, "1 hour = 1 credit", until the policy engine (a later issue) replaces
//! it with policy documents. It already follows the seeds where they agree: a failed assessment
//! earns nothing (004, third document), and instructors earn twice the hours they teach
//! (004 art. on instructors; 003 "instructors 2 credits per hour taught").

use crate::amount::Amount;
use crate::codes::{ActivityKind, Modality, ParticipationRole, TrainingLevel};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditFacts {
    pub kind: ActivityKind,
    pub level: Option<TrainingLevel>,
    pub modality: Option<Modality>,
    pub role: ParticipationRole,
    pub hours: Option<Amount>,
    pub attended_hours: Option<Amount>,
    pub taught_hours: Option<Amount>,
    pub passed: Option<bool>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultRule;

const INSTRUCTOR_MULTIPLIER: i64 = 2;

impl DefaultRule {
    pub const KEY: &'static str = "default";

    pub fn credits(&self, facts: &CreditFacts) -> Amount {
        match facts.role {
            ParticipationRole::Instructor => {
                let taught = facts.taught_hours.unwrap_or(Amount::ZERO).decimal();
                Amount::round_credits(taught * Decimal::from(INSTRUCTOR_MULTIPLIER))
            }
            ParticipationRole::Trainee if facts.passed == Some(false) => Amount::ZERO,
            ParticipationRole::Trainee => facts.hours.unwrap_or(Amount::ZERO),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn facts(
        role: ParticipationRole,
        passed: bool,
        hours: &str,
        taught: Option<&str>,
    ) -> CreditFacts {
        CreditFacts {
            kind: ActivityKind::CourseCompletion,
            level: Some(TrainingLevel::Municipal),
            modality: Some(Modality::Concentrated),
            role,
            hours: Some(Amount::parse(hours).unwrap()),
            attended_hours: Some(Amount::parse(hours).unwrap()),
            taught_hours: taught.map(|t| Amount::parse(t).unwrap()),
            passed: Some(passed),
        }
    }

    #[test]
    fn an_hour_is_a_credit_a_failure_nothing_and_teaching_double() {
        assert_eq!(
            DefaultRule
                .credits(&facts(ParticipationRole::Trainee, true, "24", None))
                .to_string(),
            "24"
        );
        assert_eq!(
            DefaultRule.credits(&facts(ParticipationRole::Trainee, false, "24", None)),
            Amount::ZERO
        );
        assert_eq!(
            DefaultRule
                .credits(&facts(
                    ParticipationRole::Instructor,
                    true,
                    "24",
                    Some("1.5")
                ))
                .to_string(),
            "3"
        );
    }

    proptest! {
        #[test]
        fn passed_trainees_earn_exactly_the_hours(e4 in 1i64..20_000_000) {
            let hours = Amount::from_e4(e4);
            let f = CreditFacts { hours: Some(hours), ..facts(ParticipationRole::Trainee, true, "1", None) };
            prop_assert_eq!(DefaultRule.credits(&f), hours);
        }
    }
}
