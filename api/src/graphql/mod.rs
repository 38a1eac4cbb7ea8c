//! The GraphQL schema, split by area. Built once at start-up and shared by every worker.

pub mod account_lifecycle;
pub mod api_keys;
pub mod batch;
pub mod catalogue;
pub mod claims;
pub mod completions;
pub mod compliance;
pub mod connection;
pub mod conversion_types;
pub mod course;
pub mod course_editing;
pub mod course_import;
pub mod course_selection;
pub mod credit_account;
pub mod enrolment;
pub mod enums;
pub mod identity;
pub mod ids;
pub mod labels;
pub mod ledger;
pub mod ledger_import;
pub mod loaders;
pub mod node;
pub mod organisation;
pub mod policies;
pub mod regions;
pub mod scalars;
pub mod subscriptions;
pub mod teacher_file;
pub mod teachers;
pub mod transcripts;
pub mod universities;
pub mod webhooks;
pub mod weights;

use crate::auth::{Guard, RequestAuth};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use async_graphql::{Context, MergedObject, Schema};
use subscriptions::Subscription;

/// Reads. The directory (regions, schools, providers, universities, approved courses) and
/// `verifyTranscript` are public; everything else needs `Authorization: Bearer <token>` and
/// answers only what the caller's role and scope may see.
#[derive(MergedObject, Default)]
pub struct Query(
    identity::IdentityQuery,
    regions::RegionQuery,
    catalogue::CatalogueQuery,
    course_selection::CourseSelectionQuery,
    policies::PolicyQuery,
    claims::ClaimQuery,
    universities::UniversityQuery,
    transcripts::TranscriptQuery,
    labels::LabelQuery,
);

/// Writes. Every mutation except `login` needs a bearer token and is checked against the
/// caller's role and scope; a refused one changes nothing and answers `FORBIDDEN`.
#[derive(MergedObject, Default)]
pub struct Mutation(
    identity::IdentityMutation,
    account_lifecycle::AccountLifecycleMutation,
    api_keys::ApiKeyMutation,
    organisation::OrganisationMutation,
    teachers::TeacherMutation,
    course_editing::CourseEditingMutation,
    enrolment::EnrolmentMutation,
    completions::CompletionMutation,
    course_import::CourseImportMutation,
    ledger_import::LedgerImportMutation,
    policies::PolicyMutation,
    claims::ClaimMutation,
    universities::UniversityMutation,
    transcripts::TranscriptMutation,
    webhooks::WebhookMutation,
);

pub type AppSchema = Schema<Query, Mutation, Subscription>;

pub fn build_schema(state: AppState) -> AppSchema {
    let limits = state.settings.limits;
    let mut builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .limit_directives(limits.directives)
        .limit_recursive_depth(32);
    if !state.settings.introspection {
        builder = builder.disable_introspection().disable_suggestions();
    }
    describe(builder).data(state).finish()
}

/// The schema in SDL, as served at /schema.graphql and printed by `export-schema`.
pub fn sdl() -> String {
    describe(Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription,
    ))
    .finish()
    .sdl()
}

/// Descriptions of the types async-graphql generates (connections) or ships (DateTime), which
/// no doc comment of ours reaches. A new connection type needs its line here: the schema
/// contract test lists every undescribed type.
fn describe(
    builder: async_graphql::SchemaBuilder<Query, Mutation, Subscription>,
) -> async_graphql::SchemaBuilder<Query, Mutation, Subscription> {
    use connection::Conn;
    builder
        .override_output_type_description::<chrono::DateTime<chrono::Utc>>(
            "A moment in time, in UTC, written in RFC 3339 (\"2026-09-01T08:30:00Z\").",
        )
        .override_output_type_description::<Conn<course::Course>>(
            "A page of courses (a Relay connection): `edges` with cursors, `pageInfo` to ask for \
             the next page (`after: pageInfo.endCursor`), `totalCount` across all pages.",
        )
        .override_output_type_description::<Conn<enrolment::Enrollment>>(
            "A page of enrolments (a Relay connection): `edges` with cursors, `pageInfo` to ask \
             for the next page (`after: pageInfo.endCursor`), `totalCount` across all pages.",
        )
        .override_output_type_description::<Conn<webhooks::WebhookDelivery>>(
            "A page of a webhook's deliveries (a Relay connection): `edges` with cursors, \
             `pageInfo` to ask for the next page (`after: pageInfo.endCursor`), `totalCount` \
             across all pages.",
        )
        .override_output_type_description::<Conn<conversion_types::Conversion>>(
            "A page of conversions (a Relay connection): `edges` with cursors, `pageInfo` to ask \
             for the next page (`after: pageInfo.endCursor`), `totalCount` across all pages.",
        )
        .override_output_type_description::<Conn<conversion_types::AccessGrant>>(
            "A page of access grants (a Relay connection): `edges` with cursors, `pageInfo` to \
             ask for the next page (`after: pageInfo.endCursor`), `totalCount` across all pages.",
        )
        .override_output_type_description::<Conn<ledger::CreditRecord>>(
            "A page of credit records (a Relay connection): `edges` with cursors, `pageInfo` to \
             ask for the next page (`after: pageInfo.endCursor`), `totalCount` across all pages.",
        )
        .override_output_type_description::<Conn<teacher_file::Teacher>>(
            "A page of teachers (a Relay connection): `edges` with cursors, `pageInfo` to ask for \
             the next page (`after: pageInfo.endCursor`), `totalCount` across all pages.",
        )
}

/// The teacher named by `teacher_id`, or the caller's own teacher when it is left out; `ask`
/// says what to send when a caller that is no teacher leaves it out.
pub fn teacher_or_self(
    guard: &Guard<'_>,
    teacher_id: Option<&async_graphql::ID>,
    ask: crate::i18n::Text,
) -> AppResult<uuid::Uuid> {
    match teacher_id {
        Some(id) => ids::decode("teacherId", ids::Kind::Teacher, id),
        None => match guard.principal().scope.own_teacher() {
            Some(own) => Ok(own.teacher),
            None => Err(AppError::invalid("teacherId", "REQUIRED", ask)),
        },
    }
}

pub trait ContextExt {
    fn state(&self) -> AppResult<&AppState>;
    fn auth(&self) -> &RequestAuth;
    /// The gate for a signed-in caller; `UNAUTHENTICATED` without a valid token.
    fn guard(&self) -> AppResult<Guard<'_>>;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> AppResult<&AppState> {
        self.data::<AppState>()
            .map_err(|_| AppError::internal(anyhow::anyhow!("schema built without state")))
    }

    fn auth(&self) -> &RequestAuth {
        self.data_opt::<RequestAuth>()
            .unwrap_or(&RequestAuth::Anonymous)
    }

    fn guard(&self) -> AppResult<Guard<'_>> {
        let principal = self.auth().principal()?;
        let state = self.state()?;
        Ok(Guard::new(principal, &state.regions, state.clock.today()))
    }
}
