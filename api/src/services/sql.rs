//! Small SQL helpers that differ by backend.

use sea_orm::sea_query::{Expr, ExprTrait, PgFunc, Value};
use sea_orm::{ColumnTrait, DbBackend};

/// `col IN (…)` for a large set. PostgreSQL gets `col = ANY($1)` with one array parameter: an
/// IN list of hundreds of parameters costs more to parse and plan than to run there.
pub fn one_of<C, V>(backend: DbBackend, col: C, values: Vec<V>) -> Expr
where
    C: ColumnTrait,
    V: Into<Value>,
    Vec<V>: Into<Value>,
{
    match backend {
        DbBackend::Postgres => {
            Expr::col((col.entity_name(), col)).eq(PgFunc::any(Expr::val(values)))
        }
        _ => Expr::col((col.entity_name(), col)).is_in(values),
    }
}
