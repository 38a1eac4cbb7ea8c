//! One error type for the whole API, with stable codes (API.md "Errors").
//!
//! Internals never reach a client: database and other unexpected failures become `INTERNAL` with a
//! generic message, and are logged once, here, with their cause chain.
//!
//! Messages are catalogue texts (`crate::i18n`), rendered in the request's language when the
//! error leaves the API; the codes (`extensions.code`, `extensions.reason`) never change with it.

use crate::i18n::{self, Arg, Lang, Text};
use crate::msg;
use async_graphql::ErrorExtensions;
use domain::error::InputError;
use sea_orm::{DbErr, SqlErr};

#[derive(Debug)]
pub enum AppError {
    Unauthenticated,
    BadCredentials,
    Forbidden(Text),
    NotFound(Text),
    BadInput {
        field: String,
        code: &'static str,
        message: Text,
    },
    Conflict(Text),
    RateLimited {
        retry_after_secs: u64,
    },
    /// A dependency (the database) cannot be reached: retry after a moment. Answered with
    /// HTTP 503 and `Retry-After` on the GraphQL route.
    Unavailable,
    Internal(anyhow::Error),
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
            AppError::Unavailable => "UNAVAILABLE",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// What a person reads, as a catalogue text.
    pub fn text(&self) -> Text {
        match self {
            AppError::Unauthenticated => msg!("errors.unauthenticated"),
            AppError::BadCredentials => msg!("errors.bad_credentials"),
            AppError::Forbidden(t)
            | AppError::NotFound(t)
            | AppError::Conflict(t)
            | AppError::BadInput { message: t, .. } => t.clone(),
            AppError::RateLimited { retry_after_secs } => {
                msg!("errors.rate_limited", seconds = *retry_after_secs)
            }
            AppError::Unavailable => msg!("errors.unavailable"),
            AppError::Internal(_) => msg!("errors.internal"),
        }
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> String {
        i18n::render(&self.text(), lang)
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden(msg!("errors.forbidden"))
    }

    /// "<what> not found", `what` naming the thing in English (`"credit record"`); each has a
    /// noun in the catalogue (`nouns.*`).
    pub fn not_found(what: &'static str) -> Self {
        AppError::NotFound(msg!("errors.not_found", what = noun(what)))
    }

    /// A bad input value at `field` (the input path, e.g. `input.username`).
    pub fn bad_input(field: impl Into<String>, err: InputError) -> Self {
        AppError::BadInput {
            field: field.into(),
            code: err.code,
            message: i18n::input_text(&err),
        }
    }

    /// A bad input value at `field`, with its `reason` code and a catalogue message
    /// (`msg!("claims.year_closed", year = y)`).
    pub fn invalid(field: impl Into<String>, code: &'static str, message: impl Into<Text>) -> Self {
        AppError::BadInput {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// An unexpected failure; one whose cause is an unreachable database is `UNAVAILABLE`.
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        let err = err.into();
        match err.downcast_ref::<DbErr>() {
            Some(db) if crate::faults::db_unreachable(db) => unavailable(db),
            Some(db) if crate::faults::db_transient(db) => aborted(db),
            _ => AppError::Internal(err),
        }
    }

    /// A stored value that no longer parses: our bug or a hand-edited database, never the caller's.
    pub fn corrupt(err: impl std::fmt::Display) -> Self {
        AppError::Internal(anyhow::anyhow!("stored value is invalid: {err}"))
    }

    /// A database error. Unique violations are the only ones a caller can cause and fix (said
    /// with `conflict`); every other variant is ours and stays internal.
    pub fn db(err: DbErr, conflict: impl Into<Text>) -> Self {
        if crate::faults::db_unreachable(&err) {
            return unavailable(&err);
        }
        if crate::faults::db_transient(&err) {
            return aborted(&err);
        }
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(conflict.into()),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                AppError::Conflict(msg!("errors.reference"))
            }
            _ => match err {
                DbErr::RecordNotFound(_) => AppError::NotFound(msg!("errors.record_not_found")),
                other => AppError::Internal(other.into()),
            },
        }
    }

    /// The GraphQL error, its message in the current language.
    pub fn to_graphql(&self) -> async_graphql::Error {
        if let AppError::Internal(cause) = self {
            // Logged once here, where it leaves the service; the client only sees the code.
            tracing::error!(error.cause_chain = ?cause, error.message = %cause, "internal error");
        }
        let code = self.code();
        let base = async_graphql::Error::new(i18n::say(&self.text()));
        base.extend_with(|_, ext| {
            ext.set("code", code);
            match self {
                AppError::BadInput { field, code, .. } => {
                    ext.set("field", field.as_str());
                    ext.set("reason", *code);
                }
                AppError::RateLimited { retry_after_secs } => {
                    ext.set("retryAfterSeconds", *retry_after_secs);
                }
                AppError::Unavailable => ext.set("retryable", true),
                _ => {}
            }
        })
    }
}

/// Counted and logged once per incident (`crate::faults`), not once per request.
fn unavailable(err: &DbErr) -> AppError {
    crate::faults::record(crate::faults::Dependency::Database, err);
    AppError::Unavailable
}

/// The database aborted the transaction (a deadlock broken, a serialization conflict): nothing
/// was written, so the caller may send the same request again.
fn aborted(err: &DbErr) -> AppError {
    tracing::warn!(error.message = %err, "transaction aborted by the database; answered UNAVAILABLE (retryable)");
    AppError::Unavailable
}

/// The catalogue noun of a `not_found` subject; one not listed shows as given.
fn noun(what: &'static str) -> Arg {
    let key = match what {
        "account" => "nouns.account",
        "access grant" => "nouns.access_grant",
        "API key" => "nouns.api_key",
        "conversion" => "nouns.conversion",
        "course" => "nouns.course",
        "credit record" => "nouns.credit_record",
        "enrolment" => "nouns.enrolment",
        "provider" => "nouns.provider",
        "region" => "nouns.region",
        "school" => "nouns.school",
        "teacher" => "nouns.teacher",
        "transfer mapping" => "nouns.transfer_mapping",
        "university" => "nouns.university",
        "university course" => "nouns.university_course",
        "webhook" => "nouns.webhook",
        "file format (csv or html)" => "nouns.file_format",
        "record" => "nouns.record",
        other => return Arg::Plain(other.to_owned()),
    };
    Arg::Key(key)
}

/// In the current language (`i18n::current`), as users read it.
impl AppError {
    /// For the command line: the English message with, for an internal error, its whole cause
    /// chain under it (`{:#}` prints it) — an operator needs the cause that a GraphQL client
    /// must never see.
    pub fn for_operator(self) -> anyhow::Error {
        let message = self.message_in(Lang::English);
        match self {
            AppError::Internal(cause) => cause.context(message),
            _ => anyhow::Error::msg(message),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message_in(i18n::current()))
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppError::Internal(cause) => Some(cause.as_ref()),
            _ => None,
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        AppError::db(err, msg!("errors.already_exists"))
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        err.to_graphql()
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
        assert_eq!(err.message_in(Lang::English), "internal error");
        assert_eq!(err.message_in(Lang::ZhCn), "内部错误");
        let gql: async_graphql::Error = err.into();
        assert_eq!(gql.message, "内部错误");
    }

    #[test]
    fn the_operator_reads_the_cause_chain() {
        let err = AppError::internal(
            anyhow::anyhow!("disk I/O error").context("could not write the import chunk"),
        );
        let said = format!("{:#}", err.for_operator());
        assert_eq!(
            said,
            "internal error: could not write the import chunk: disk I/O error"
        );
        let plain = format!("{:#}", AppError::not_found("course").for_operator());
        assert_eq!(plain, "course not found");
    }

    #[test]
    fn an_unreachable_database_is_unavailable_not_internal() {
        let err = AppError::from(DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout));
        assert_eq!(err.code(), "UNAVAILABLE");
        let wrapped = AppError::internal(anyhow::Error::from(DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::ConnectionClosed,
        )));
        assert_eq!(wrapped.code(), "UNAVAILABLE");
        assert_eq!(
            err.message_in(Lang::English),
            "the service is temporarily unavailable; try again shortly"
        );
    }

    #[test]
    fn unknown_user_and_wrong_password_look_the_same() {
        assert_eq!(
            AppError::BadCredentials.code(),
            AppError::Unauthenticated.code()
        );
    }

    #[tokio::test]
    async fn messages_follow_the_language_and_codes_do_not() {
        let err = || AppError::not_found("credit record");
        let zh = i18n::scope(Lang::ZhCn, async { err().to_graphql() }).await;
        let en = i18n::scope(Lang::English, async { err().to_graphql() }).await;
        assert_eq!(zh.message, "学分记录不存在");
        assert_eq!(en.message, "credit record not found");
        let code =
            |e: &async_graphql::Error| e.extensions.as_ref().and_then(|x| x.get("code")).cloned();
        assert_eq!(code(&zh), code(&en));
    }

    #[test]
    fn domain_input_errors_are_said_by_their_text_or_their_code() {
        let keyed = domain::amount::Amount::parse("-1")
            .and_then(|a| a.non_negative())
            .err()
            .map(|e| AppError::bad_input("hours", e));
        let Some(keyed) = keyed else {
            panic!("a negative amount is refused")
        };
        assert_eq!(keyed.message_in(Lang::English), "must not be negative");
        assert_eq!(keyed.message_in(Lang::ZhCn), "不能为负数");
        let bare = AppError::bad_input(
            "x",
            InputError::new(InputError::TOO_LONG, "must be at most 3 parts"),
        );
        assert_eq!(bare.message_in(Lang::English), "must be at most 3 parts");
        assert_eq!(bare.message_in(Lang::ZhCn), "内容过长");
    }
}
