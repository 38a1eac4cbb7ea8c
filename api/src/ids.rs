//! Relay global ids: base64 of `Type:key`, so that `node(id:)` can find any object.
//!
//! Below both the GraphQL layer and the services (a CSV row names a teacher by its global id),
//! so neither has to import the other; `graphql::ids` wraps these for async-graphql's `ID`.

use crate::error::{AppError, AppResult};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Account,
    School,
    Teacher,
    Provider,
    University,
    Region,
    Course,
    Enrollment,
    CreditRecord,
    UniversityCourse,
    TransferMapping,
    Conversion,
    AccessGrant,
    Webhook,
    WebhookDelivery,
    ApiKey,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Account => "Account",
            Kind::School => "School",
            Kind::Teacher => "Teacher",
            Kind::Provider => "Provider",
            Kind::University => "University",
            Kind::Region => "Region",
            Kind::Course => "Course",
            Kind::Enrollment => "Enrollment",
            Kind::CreditRecord => "CreditRecord",
            Kind::UniversityCourse => "UniversityCourse",
            Kind::TransferMapping => "TransferMapping",
            Kind::Conversion => "Conversion",
            Kind::AccessGrant => "AccessGrant",
            Kind::Webhook => "Webhook",
            Kind::WebhookDelivery => "WebhookDelivery",
            Kind::ApiKey => "ApiKey",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "Account" => Kind::Account,
            "School" => Kind::School,
            "Teacher" => Kind::Teacher,
            "Provider" => Kind::Provider,
            "University" => Kind::University,
            "Region" => Kind::Region,
            "Course" => Kind::Course,
            "Enrollment" => Kind::Enrollment,
            "CreditRecord" => Kind::CreditRecord,
            "UniversityCourse" => Kind::UniversityCourse,
            "TransferMapping" => Kind::TransferMapping,
            "Conversion" => Kind::Conversion,
            "AccessGrant" => Kind::AccessGrant,
            "Webhook" => Kind::Webhook,
            "WebhookDelivery" => Kind::WebhookDelivery,
            "ApiKey" => Kind::ApiKey,
            _ => return None,
        })
    }
}

/// The global id of the object of `kind` keyed `key`.
pub fn encode(kind: Kind, key: impl std::fmt::Display) -> String {
    STANDARD.encode(format!("{}:{key}", kind.as_str()))
}

/// Splits a global id into its kind and key, or `None` when it is not one of ours.
pub fn decode_any(id: &str) -> Option<(Kind, String)> {
    let bytes = STANDARD.decode(id).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (kind, key) = text.split_once(':')?;
    Some((Kind::parse(kind)?, key.to_owned()))
}

/// Decodes an id argument that must name an object of `kind`; `field` is the input path for errors.
pub fn decode(field: &str, kind: Kind, id: &str) -> AppResult<Uuid> {
    let bad = || {
        AppError::invalid(
            field,
            "INVALID_ID",
            crate::msg!("ids.wrong_kind", kind = kind.as_str()),
        )
    };
    match decode_any(id) {
        Some((k, key)) if k == kind => Uuid::parse_str(&key).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ids_round_trip_and_refuse_other_kinds() {
        let uuid = Uuid::from_u128(9);
        let id = encode(Kind::Teacher, uuid);
        assert_eq!(decode("id", Kind::Teacher, &id).unwrap(), uuid);
        assert!(decode("id", Kind::School, &id).is_err());
        assert!(decode("id", Kind::Teacher, "garbage").is_err());
    }
}
