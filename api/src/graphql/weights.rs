//! Complexity weights of the fields whose cost is not their size: each evaluates a teacher's
//! ledger under a policy (or a whole region's), so a page of them is priced as what it costs
//! against the query complexity limit (`QueryLimits::complexity`, 5000).
//!
//! A plain field costs 1 and a list `first × its children`; these add their weight to what
//! they select. `creditPreview` is light because a request evaluates each teacher once and
//! prices every course in memory; `complianceStatistics` evaluates every teacher of a subtree.

/// `compliance` / `Teacher.compliance`: one ledger, evaluated.
pub const COMPLIANCE: usize = 100;
/// `complianceStatistics`: every teacher of a region's subtree (cached, but `fresh` recomputes).
pub const COMPLIANCE_STATISTICS: usize = 1_000;
/// `transferPreview`: one ledger matched against a mapping.
pub const TRANSFER_PREVIEW: usize = 50;
/// `Course.creditPreview`: a course priced against an evaluation shared by the request.
pub const CREDIT_PREVIEW: usize = 10;
