//! The credit policy engine: schemes as data (see `document`), evaluated exactly.
//!
//! `PolicyDocument::convert` prices one activity (claims and completions show it at once);
//! `PolicyDocument::evaluate` answers compliance for a period with an explanation per record.

mod activity;
mod allocate;
mod builtin;
mod conditions;
mod convert;
mod document;
mod evaluate;
mod explain;
mod instances;
mod limits;
mod matching;
mod period;
mod preview;
mod ratio;
mod report;
mod requirements;
mod teacher;
mod validate;

pub use activity::{Activity, Recognition as RecognitionState};
pub use builtin::{built_in, BuiltIn, BUILT_IN};
pub use convert::Conversion;
pub use document::*;
pub use evaluate::Evaluation;
pub use period::{window_of, MakeUpAllowance, Period};
pub use preview::{CourseOffer, CreditPreview, PreviewBasis, PreviewFill};
pub use ratio::Ratio;
pub use report::{
    codes as note_codes, Allocation, ComplianceReport, ComplianceTotals, Note, RecordResult,
    RequirementResult,
};
pub use teacher::{AppliesTo, Span, TeacherFacts, Term};
pub use validate::{parse_policy, PolicyError, MAX_POOL};

#[cfg(test)]
mod tests;
