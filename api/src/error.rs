//! One error type for the whole API, with stable codes (API.md "Errors").
//!
//! Internals never reach a client: database and other unexpected failures become `INTERNAL` with a
//! generic message, and are logged once, here, with their cause chain.

use async_graphql::ErrorExtensions;
use domain::error::InputError;
use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("invalid username or password")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    BadInput {
        field: String,
        code: &'static str,
        message: String,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated | AppError::BadCredentials => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::BadInput { .. } => "BAD_USER_INPUT",
            AppError::Conflict(_) => "CONFLICT",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden("you are not allowed to do this".into())
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }

    /// A bad input value at `field` (the input path, e.g. `input.username`).
    pub fn bad_input(field: impl Into<String>, err: InputError) -> Self {
        AppError::BadInput {
            field: field.into(),
            code: err.code,
            message: err.message,
        }
    }

    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        AppError::BadInput {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    /// A stored value that no longer parses: our bug or a hand-edited database, never the caller's.
    pub fn corrupt(err: impl std::fmt::Display) -> Self {
        AppError::Internal(anyhow::anyhow!("stored value is invalid: {err}"))
    }

    /// A database error. Unique violations are the only ones a caller can cause and fix;
    /// every other variant is ours and stays internal.
    pub fn db(err: DbErr, conflict: &str) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(conflict.to_owned()),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                AppError::Conflict("a referenced record does not exist or is still in use".into())
            }
            _ => match err {
                DbErr::RecordNotFound(_) => AppError::NotFound("record not found".into()),
                other => AppError::Internal(other.into()),
            },
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        AppError::db(err, "this record already exists")
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        if let AppError::Internal(cause) = &err {
            // Logged once here, where it leaves the service; the client only sees the code.
            tracing::error!(error.cause_chain = ?cause, error.message = %cause, "internal error");
        }
        let code = err.code();
        let base = async_graphql::Error::new(err.to_string());
        base.extend_with(|_, ext| {
            ext.set("code", code);
            match &err {
                AppError::BadInput { field, code, .. } => {
                    ext.set("field", field.as_str());
                    ext.set("reason", *code);
                }
                AppError::RateLimited { retry_after_secs } => {
                    ext.set("retryAfterSeconds", *retry_after_secs);
                }
                _ => {}
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let err = AppError::internal(anyhow::anyhow!(
            "password authentication failed for user postgres"
        ));
        let gql: async_graphql::Error = err.into();
        assert_eq!(gql.message, "internal error");
    }

    #[test]
    fn unknown_user_and_wrong_password_look_the_same() {
        assert_eq!(
            AppError::BadCredentials.code(),
            AppError::Unauthenticated.code()
        );
    }
}
