//! Transcripts (API.md "Transcripts, monitoring, live updates"): issuing a signed transcript
//! of a teacher's certified records, and checking one, which needs no token.

use super::ids::{self, Kind};
use super::ContextExt;
use crate::auth::TeacherNeed;
use async_graphql::{Context, Object, Result, SimpleObject, ID};

/// A signed transcript: a W3C verifiable credential in the Open Badges 3.0
/// AchievementCredential shape listing the teacher's certified records, for anyone the teacher
/// shows it to (`verifyTranscript` checks it).
#[derive(SimpleObject)]
pub struct Transcript {
    /// The credential's id, a `urn:uuid:` URN.
    id: ID,
    /// The credential as a compact JWS (EdDSA); its key is at /.well-known/jwks.json.
    jwt: String,
    /// When it was issued.
    issued_at: chrono::DateTime<chrono::Utc>,
    /// When it stops being valid (a year after issue); null: never.
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// How many certified records it lists.
    record_count: usize,
}

/// The result of checking a transcript.
#[derive(SimpleObject)]
pub struct TranscriptVerification {
    /// Signed by this server, not expired, and none of its records revoked since.
    valid: bool,
    /// Why it is not valid (bad signature, expired, records revoked since); null when valid.
    reason: Option<String>,
    /// The teacher it was issued to; null when the signature does not check.
    teacher_name: Option<String>,
    /// How many records it lists; 0 when the signature does not check.
    record_count: usize,
    /// When it was issued; null when the signature does not check.
    issued_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Default)]
pub struct TranscriptQuery;

#[Object]
impl TranscriptQuery {
    /// Checks a transcript's signature, expiry and whether a listed record was revoked since.
    /// Needs no token.
    async fn verify_transcript(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The transcript's `jwt` (compact JWS), as issued.")] jwt: String,
    ) -> Result<TranscriptVerification> {
        let v = crate::services::transcripts::verify(ctx.state()?, &jwt).await?;
        Ok(TranscriptVerification {
            valid: v.valid,
            reason: v.reason,
            teacher_name: v.teacher_name,
            record_count: v.record_count,
            issued_at: v.issued_at,
        })
    }
}

#[derive(Default)]
pub struct TranscriptMutation;

#[Object]
impl TranscriptMutation {
    /// A signed transcript of the teacher's certified records (the caller's own without
    /// `teacherId`).
    async fn issue_transcript(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teacher; leave out for your own (teachers only).")]
        teacher_id: Option<ID>,
    ) -> Result<Transcript> {
        let teacher = teacher_id
            .map(|t| ids::decode("teacherId", Kind::Teacher, &t))
            .transpose()?;
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let teacher = match teacher {
            Some(t) => t,
            None => super::teacher_or_self(&guard, None, crate::msg!("input.name_the_teacher"))?,
        };
        let access = guard
            .teacher(&state.db, teacher, TeacherNeed::Ledger)
            .await?;
        let issued = crate::services::transcripts::issue(state, &access).await?;
        Ok(Transcript {
            id: ID(format!("urn:uuid:{}", issued.row.id)),
            jwt: issued.row.jwt,
            issued_at: issued.row.issued_at,
            expires_at: issued.row.expires_at,
            record_count: issued.record_count,
        })
    }
}
