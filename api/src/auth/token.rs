//! Session tokens: HS256 JWTs that name the account and expire.

use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

const ISSUER: &str = "credit-bank";

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

pub fn issue(
    secret: &[u8],
    account: Uuid,
    now: DateTime<Utc>,
    ttl: Duration,
) -> AppResult<(String, DateTime<Utc>)> {
    let ttl = chrono::Duration::from_std(ttl).map_err(AppError::internal)?;
    let expires = now + ttl;
    let claims = Claims {
        sub: account,
        iss: ISSUER.into(),
        iat: now.timestamp(),
        exp: expires.timestamp(),
    };
    let token = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(AppError::internal)?;
    Ok((token, expires))
}

/// The account a token names, if its signature, issuer and expiry are valid.
pub fn verify(secret: &[u8], token: &str) -> AppResult<Uuid> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.leeway = 0;
    decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
        .map(|data| data.claims.sub)
        .map_err(|_| AppError::Unauthenticated)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_fresh_token_names_its_account() {
        let id = Uuid::from_u128(7);
        let (token, _) = issue(SECRET, id, Utc::now(), Duration::from_secs(60)).unwrap();
        assert_eq!(verify(SECRET, &token).unwrap(), id);
    }

    #[test]
    fn expired_forged_and_garbage_tokens_are_refused() {
        let id = Uuid::from_u128(7);
        let past = Utc::now() - chrono::Duration::hours(2);
        let (old, _) = issue(SECRET, id, past, Duration::from_secs(60)).unwrap();
        assert!(matches!(
            verify(SECRET, &old),
            Err(AppError::Unauthenticated)
        ));
        let (other, _) = issue(
            b"another-secret-another-secret-xx",
            id,
            Utc::now(),
            Duration::from_secs(60),
        )
        .unwrap();
        assert!(matches!(
            verify(SECRET, &other),
            Err(AppError::Unauthenticated)
        ));
        assert!(matches!(
            verify(SECRET, "not.a.token"),
            Err(AppError::Unauthenticated)
        ));
    }
}
