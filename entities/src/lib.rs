//! sea-orm entities, one module per table. They are the storage shape only: the GraphQL schema
//! has its own types, and the `domain` crate its own rules.

pub mod access_grants;
pub mod accounts;
pub mod api_keys;
pub mod compliance_activity_cache;
pub mod compliance_snapshot_marks;
pub mod compliance_snapshots;
pub mod conversion_allocations;
pub mod conversions;
pub mod course_reviews;
pub mod courses;
pub mod credit_policies;
pub mod credit_recognitions;
pub mod credit_records;
pub mod enrollments;
pub mod evidence;
pub mod head_teacher_terms;
pub mod make_up_allowances;
pub mod providers;
pub mod region_policy_assignments;
pub mod regions;
pub mod review_events;
pub mod schools;
pub mod teacher_transfers;
pub mod teachers;
pub mod transcripts;
pub mod transfer_mappings;
pub mod universities;
pub mod university_courses;
pub mod webhook_deliveries;
pub mod webhook_events;
pub mod webhooks;
pub mod year_closings;

pub mod prelude {
    pub use super::access_grants::Entity as AccessGrants;
    pub use super::accounts::Entity as Accounts;
    pub use super::api_keys::Entity as ApiKeys;
    pub use super::conversion_allocations::Entity as ConversionAllocations;
    pub use super::conversions::Entity as Conversions;
    pub use super::course_reviews::Entity as CourseReviews;
    pub use super::courses::Entity as Courses;
    pub use super::credit_policies::Entity as CreditPolicies;
    pub use super::credit_records::Entity as CreditRecords;
    pub use super::enrollments::Entity as Enrollments;
    pub use super::evidence::Entity as Evidence;
    pub use super::providers::Entity as Providers;
    pub use super::region_policy_assignments::Entity as RegionPolicyAssignments;
    pub use super::regions::Entity as Regions;
    pub use super::review_events::Entity as ReviewEvents;
    pub use super::schools::Entity as Schools;
    pub use super::teacher_transfers::Entity as TeacherTransfers;
    pub use super::teachers::Entity as Teachers;
    pub use super::transcripts::Entity as Transcripts;
    pub use super::transfer_mappings::Entity as TransferMappings;
    pub use super::universities::Entity as Universities;
    pub use super::university_courses::Entity as UniversityCourses;
    pub use super::webhook_deliveries::Entity as WebhookDeliveries;
    pub use super::webhook_events::Entity as WebhookEvents;
    pub use super::webhooks::Entity as Webhooks;
}
