//! The review chain of a declared activity (API.md; seed 002: school declares → city/county
//! reviews → province certifies; seed 004 art. 19–20 shortens it to school → bureau).

use crate::codes::{CreditStatus, Decision, RegionLevel, ReviewStep};
use crate::error::InputError;
use crate::region::{RegionCode, RegionTree};
use crate::scope::Scope;
use crate::text::Text;
use uuid::Uuid;

/// The steps a claim goes through: the policy's, or the full chain.
pub fn chain(policy_steps: Option<&[ReviewStep]>) -> Vec<ReviewStep> {
    match policy_steps {
        Some(steps) if !steps.is_empty() => steps.to_vec(),
        _ => ReviewStep::ALL.to_vec(),
    }
}

/// Where a record stands after a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub status: CreditStatus,
    pub next_step: Option<ReviewStep>,
}

/// Why a decision cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The record is not waiting for a review (certified, rejected, revoked).
    Finished,
    /// A rejection needs a comment saying why.
    CommentRequired,
}

/// The record's state after `decision` at its current step. APPROVE moves it to the next step
/// of `chain` or, at the last, certifies it; REJECT (with a comment) ends it.
pub fn decide(
    chain: &[ReviewStep],
    status: CreditStatus,
    current: Option<ReviewStep>,
    decision: Decision,
    comment: Option<&str>,
) -> Result<Outcome, Refusal> {
    let Some(current) = current.filter(|_| status == CreditStatus::Pending) else {
        return Err(Refusal::Finished);
    };
    match decision {
        Decision::Reject if comment.is_none_or(|c| c.trim().is_empty()) => {
            Err(Refusal::CommentRequired)
        }
        Decision::Reject => Ok(Outcome {
            status: CreditStatus::Rejected,
            next_step: None,
        }),
        Decision::Approve => {
            let next = chain.iter().skip_while(|s| **s != current).nth(1).copied();
            Ok(match next {
                Some(step) => Outcome {
                    status: CreditStatus::Pending,
                    next_step: Some(step),
                },
                None => Outcome {
                    status: CreditStatus::Certified,
                    next_step: None,
                },
            })
        }
    }
}

impl Refusal {
    pub fn input_error(&self) -> InputError {
        match self {
            Refusal::Finished => {
                InputError::new("FINISHED", "the record is no longer under review")
                    .with(Text::new("review.finished"))
            }
            Refusal::CommentRequired => InputError::new(
                InputError::REQUIRED,
                "a rejection needs a comment saying why",
            )
            .with(Text::new("review.comment_required")),
        }
    }
}

/// Whether `scope` is the reviewer of `step` for a record of a teacher at `school` in `region`:
/// the school's admin; an admin of a county- or city-level region over the school; the admin of
/// the province over it. The system administrator may act at any step.
pub fn reviews(
    scope: &Scope,
    step: ReviewStep,
    school: Uuid,
    region: &RegionCode,
    regions: &RegionTree,
) -> bool {
    match (scope, step) {
        (Scope::System, _) => true,
        (Scope::School { school: own, .. }, ReviewStep::School) => *own == school,
        (Scope::Region(own), ReviewStep::County) => {
            level_of(regions, own)
                .is_some_and(|l| matches!(l, RegionLevel::County | RegionLevel::City))
                && regions.contains(own, region)
        }
        (Scope::Region(own), ReviewStep::Province) => {
            level_of(regions, own) == Some(RegionLevel::Province) && regions.contains(own, region)
        }
        _ => false,
    }
}

/// The step a scope reviews at, if any (for its review queue).
pub fn step_of(scope: &Scope, regions: &RegionTree) -> Option<ReviewStep> {
    match scope {
        Scope::School { .. } => Some(ReviewStep::School),
        Scope::Region(own) => match level_of(regions, own)? {
            RegionLevel::County | RegionLevel::City => Some(ReviewStep::County),
            RegionLevel::Province => Some(ReviewStep::Province),
            RegionLevel::National => None,
        },
        _ => None,
    }
}

/// What waits for a reviewer: the one rule behind the review queue's query and the
/// subscription's filter, so the two cannot drift from [`reviews`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewReach {
    /// Every pending claim, at any step (the system).
    Everything,
    /// Claims at the SCHOOL step of the school's teachers.
    School(Uuid),
    /// Claims at `step` earned in the region's subtree.
    Subtree {
        region: RegionCode,
        step: ReviewStep,
    },
}

/// The reach of `scope`'s review queue; `None` for a caller that reviews nothing.
pub fn reach_of(scope: &Scope, regions: &RegionTree) -> Option<ReviewReach> {
    match (scope, step_of(scope, regions)) {
        (Scope::System, _) => Some(ReviewReach::Everything),
        (Scope::School { school, .. }, Some(ReviewStep::School)) => {
            Some(ReviewReach::School(*school))
        }
        (Scope::Region(own), Some(step)) => Some(ReviewReach::Subtree {
            region: own.clone(),
            step,
        }),
        _ => None,
    }
}

impl ReviewReach {
    /// Whether a pending claim waiting at `at`, of a teacher at `school`, earned in `region`
    /// (unknown when unreadable), is in the reach.
    pub fn holds(
        &self,
        at: Option<ReviewStep>,
        school: Uuid,
        region: Option<&RegionCode>,
        regions: &RegionTree,
    ) -> bool {
        match self {
            ReviewReach::Everything => true,
            ReviewReach::School(own) => at == Some(ReviewStep::School) && *own == school,
            ReviewReach::Subtree { region: own, step } => {
                at == Some(*step) && region.is_some_and(|r| regions.contains(own, r))
            }
        }
    }
}

fn level_of(regions: &RegionTree, code: &RegionCode) -> Option<RegionLevel> {
    regions.get(code).map(|n| n.level)
}

#[cfg(test)]
mod tests;
