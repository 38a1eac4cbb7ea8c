//! Logins. `role` decides which one of the scope columns is set.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub region_code: Option<String>,
    pub school_id: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub university_id: Option<Uuid>,
    #[sea_orm(unique)]
    pub teacher_id: Option<Uuid>,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
    pub last_login_at: Option<DateTimeUtc>,
    /// The generation a session token must carry; a password change increments it, ending
    /// every session issued before.
    pub session_epoch: i64,
    /// The session that changed the password last: the one token of an older generation that
    /// is still accepted.
    pub kept_session_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
