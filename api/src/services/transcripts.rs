//! Verifiable transcripts: a W3C verifiable credential in the Open Badges 3.0
//! AchievementCredential shape, signed as a JWT with Ed25519 (the key at /.well-known/jwks.json).

use crate::auth::{TeacherAccess, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use domain::amount::Amount;
use domain::codes::CreditStatus;
use entities::{credit_records, evidence, teachers, transcripts};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// How long a transcript is valid.
const VALIDITY_DAYS: i64 = 365;

pub struct Issued {
    pub row: transcripts::Model,
    pub record_count: usize,
}

/// Issues a transcript of the teacher's certified records, for a teacher handle checked for
/// [`TeacherNeed::Ledger`]: the teacher's own, or one an administrator over the teacher (or a
/// university it granted access to) asks for.
pub async fn issue(state: &AppState, access: &TeacherAccess) -> AppResult<Issued> {
    access.checked_for(TeacherNeed::Ledger)?;
    let teacher = &access.teacher;
    let teacher_id = teacher.id;
    let records = credit_records::Entity::find()
        .filter(credit_records::Column::TeacherId.eq(teacher_id))
        .filter(credit_records::Column::Status.eq(CreditStatus::Certified.as_str()))
        .filter(credit_records::Column::ReversalOf.is_null())
        .order_by_asc(credit_records::Column::EarnedOn)
        .order_by_asc(credit_records::Column::Id)
        .all(&state.db)
        .await?;
    let mut proofs: HashMap<Uuid, Vec<evidence::Model>> = HashMap::new();
    for e in evidence::Entity::find()
        .filter(evidence::Column::CreditRecordId.is_in(records.iter().map(|r| r.id)))
        .all(&state.db)
        .await?
    {
        proofs.entry(e.credit_record_id).or_default().push(e);
    }
    let id = Uuid::now_v7();
    let issued_at = state.clock.now();
    let expires_at = issued_at + Duration::days(VALIDITY_DAYS);
    let payload = credential(state, id, teacher, &records, &proofs, issued_at, expires_at);
    let jwt = state.signer.sign(&payload);
    let row = transcripts::Model {
        id,
        teacher_id,
        issued_by: Some(access.actor),
        issued_at,
        expires_at: Some(expires_at),
        record_ids: serde_json::to_string(&records.iter().map(|r| r.id).collect::<Vec<_>>())
            .map_err(AppError::internal)?,
        jwt,
    };
    transcripts::Entity::insert(transcripts::ActiveModel::from(row.clone()))
        .exec_without_returning(&state.db)
        .await?;
    tracing::info!(transcript.id = %id, records = records.len(), "transcript issued");
    Ok(Issued {
        row,
        record_count: records.len(),
    })
}

fn credential(
    state: &AppState,
    id: Uuid,
    teacher: &teachers::Model,
    records: &[credit_records::Model],
    proofs: &HashMap<Uuid, Vec<evidence::Model>>,
    issued_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Value {
    let issuer = state.settings.public_url.clone();
    let results: Vec<Value> = records
        .iter()
        .map(|r| {
            let credits = Amount::from_e4(r.credits_e4).to_string();
            json!({
                "id": format!("urn:uuid:{}", r.id),
                "type": ["Result"],
                "title": r.title,
                "earnedOn": r.earned_on.to_string(),
                "activityKind": r.kind,
                "level": r.level,
                "category": r.category,
                "regionCode": r.region_code,
                "credits": {"value": credits, "unit": "credit", "framework": r.policy_key},
                "value": credits,
            })
        })
        .collect();
    let evidence: Vec<Value> = records
        .iter()
        .flat_map(|r| proofs.get(&r.id).into_iter().flatten())
        .map(|e| {
            json!({"id": e.url, "type": ["Evidence"], "name": e.name, "digestSRI": e.sha256.as_ref().map(|h| format!("sha256-{h}"))})
        })
        .collect();
    let total: i64 = records.iter().map(|r| r.credits_e4).sum();
    let subject = format!("urn:uuid:{}", teacher.id);
    json!({
        "iss": issuer,
        "sub": subject,
        "jti": format!("urn:uuid:{id}"),
        "iat": issued_at.timestamp(),
        "nbf": issued_at.timestamp(),
        "exp": expires_at.timestamp(),
        "vc": {
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": format!("urn:uuid:{id}"),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": "教师培训学分证明 Teacher training transcript",
            "issuer": {"id": issuer, "type": ["Profile"], "name": "Credit Bank 教师培训学分银行"},
            "validFrom": issued_at.to_rfc3339(),
            "validUntil": expires_at.to_rfc3339(),
            "credentialSubject": {
                "id": subject,
                "type": ["AchievementSubject"],
                "name": teacher.name,
                "achievement": {
                    "id": format!("{issuer}/achievements/continuing-education-credits"),
                    "type": ["Achievement"],
                    "achievementType": "Achievement",
                    "name": "继续教育学分 Continuing-education credits",
                    "criteria": {"narrative": "Certified training credits recorded in the credit bank."},
                },
                "creditsEarned": Amount::from_e4(total).to_string(),
                "result": results,
            },
            "evidence": evidence,
        }
    })
}

pub struct Verification {
    pub valid: bool,
    pub reason: Option<String>,
    pub teacher_name: Option<String>,
    pub record_count: usize,
    pub issued_at: Option<DateTime<Utc>>,
}

/// Checks a transcript: our signature, its expiry, and whether any record it lists was revoked
/// since it was issued. Anyone may ask.
pub async fn verify(state: &AppState, jwt: &str) -> AppResult<Verification> {
    let payload = match state.signer.verify(jwt) {
        Ok(p) => p,
        Err(reason) => {
            return Ok(Verification {
                valid: false,
                reason: Some(reason.to_owned()),
                teacher_name: None,
                record_count: 0,
                issued_at: None,
            })
        }
    };
    let subject = &payload["vc"]["credentialSubject"];
    let ids: Vec<Uuid> = subject["result"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .filter_map(|r| r["id"].as_str()?.strip_prefix("urn:uuid:")?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let issued_at = payload["iat"]
        .as_i64()
        .and_then(|t| DateTime::from_timestamp(t, 0));
    let mut out = Verification {
        valid: true,
        reason: None,
        teacher_name: subject["name"].as_str().map(str::to_owned),
        record_count: ids.len(),
        issued_at,
    };
    let expired = payload["exp"]
        .as_i64()
        .is_none_or(|exp| exp < state.clock.now().timestamp());
    if expired {
        out.valid = false;
        out.reason = Some("the transcript has expired".into());
        return Ok(out);
    }
    let revoked: Vec<Uuid> = credit_records::Entity::find()
        .filter(credit_records::Column::Id.is_in(ids))
        .filter(credit_records::Column::Status.eq(CreditStatus::Revoked.as_str()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if let Some(first) = revoked.first() {
        out.valid = false;
        out.reason = Some(format!(
            "{} of its records were revoked since it was issued (urn:uuid:{first})",
            revoked.len()
        ));
    }
    Ok(out)
}
