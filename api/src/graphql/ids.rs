//! The global id codec (`crate::ids`) for async-graphql's `ID` type.

use crate::error::AppResult;
use async_graphql::ID;
use uuid::Uuid;

pub use crate::ids::{decode_any, Kind};

pub fn encode(kind: Kind, key: impl std::fmt::Display) -> ID {
    ID(crate::ids::encode(kind, key))
}

/// Decodes an id argument that must name an object of `kind`; `field` is the input path for errors.
pub fn decode(field: &str, kind: Kind, id: &ID) -> AppResult<Uuid> {
    crate::ids::decode(field, kind, id)
}
