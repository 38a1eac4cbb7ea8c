//! Session tokens: HS256 JWTs that name the account and expire.
//!
//! Each token carries its own id (`jti`), so that `logout` can refuse exactly that token, and the
//! account's session generation (`sep`), so that a password change refuses every token issued
//! before it at once (see [`super::bearer`]).

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
    /// This token's id: what `logout` puts on the revocation list.
    pub jti: Uuid,
    /// The account's session generation when the token was issued.
    pub sep: i64,
}

impl Claims {
    /// When the token stops being accepted anyway (how long a revocation must be remembered).
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.exp, 0).unwrap_or_else(Utc::now)
    }
}

/// A new token for `account` in its session generation `epoch`.
pub fn issue(
    secret: &[u8],
    account: Uuid,
    epoch: i64,
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
        jti: Uuid::now_v7(),
        sep: epoch,
    };
    let token = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(AppError::internal)?;
    Ok((token, expires))
}

/// The token's claims, if its signature, issuer and expiry are valid. Whether the session still
/// stands (logout, password change, a disabled account) is [`super::bearer`]'s to check.
pub fn verify(secret: &[u8], token: &str) -> AppResult<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.leeway = 0;
    decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
        .map(|data| data.claims)
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
        let (token, _) = issue(SECRET, id, 3, Utc::now(), Duration::from_secs(60)).unwrap();
        let claims = verify(SECRET, &token).unwrap();
        assert_eq!((claims.sub, claims.sep), (id, 3));
        let (again, _) = issue(SECRET, id, 3, Utc::now(), Duration::from_secs(60)).unwrap();
        assert_ne!(verify(SECRET, &again).unwrap().jti, claims.jti);
    }

    #[test]
    fn expired_forged_and_garbage_tokens_are_refused() {
        let id = Uuid::from_u128(7);
        let past = Utc::now() - chrono::Duration::hours(2);
        let (old, _) = issue(SECRET, id, 0, past, Duration::from_secs(60)).unwrap();
        assert!(matches!(
            verify(SECRET, &old),
            Err(AppError::Unauthenticated)
        ));
        let (other, _) = issue(
            b"another-secret-another-secret-xx",
            id,
            0,
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
