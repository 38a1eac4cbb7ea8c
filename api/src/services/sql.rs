//! Small SQL helpers that differ by backend.

use sea_orm::sea_query::{Expr, ExprTrait, PgFunc, Value};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, Iterable, ModelTrait,
    Statement,
};

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

/// Inserts many rows on PostgreSQL as one `INSERT … SELECT … FROM json_populate_recordset(…)`:
/// the whole chunk travels as a single JSON parameter instead of one parameter per cell, so
/// thousands of rows need one round trip and a few milliseconds of parsing. Rows whose `conflict`
/// column already holds the value are skipped. Returns the `id`s of the rows inserted.
pub async fn insert_json_rows<E>(
    db: &impl ConnectionTrait,
    models: &[E::Model],
    conflict: E::Column,
) -> Result<Vec<uuid::Uuid>, DbErr>
where
    E: EntityTrait,
{
    if models.is_empty() {
        return Ok(Vec::new());
    }
    let columns: Vec<E::Column> = E::Column::iter().collect();
    let mut rows = Vec::with_capacity(models.len());
    for m in models {
        let mut row = serde_json::Map::with_capacity(columns.len());
        for col in &columns {
            row.insert(col.as_str().to_owned(), to_json(m.get(*col))?);
        }
        rows.push(serde_json::Value::Object(row));
    }
    let table = E::default().table_name().to_owned();
    let names: Vec<String> = columns
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect();
    let names = names.join(", ");
    let sql = format!(
        "INSERT INTO \"{table}\" ({names}) SELECT {names} FROM json_populate_recordset(NULL::\"{table}\", $1::text::json) \
         ON CONFLICT (\"{}\") DO NOTHING RETURNING \"id\"",
        conflict.as_str()
    );
    let payload = serde_json::Value::Array(rows).to_string();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [Value::String(Some(payload))],
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<uuid::Uuid>("", "id"))
        .collect()
}

/// The JSON text PostgreSQL reads back into each column type.
fn to_json(value: Value) -> Result<serde_json::Value, DbErr> {
    use serde_json::Value as J;
    Ok(match value {
        Value::Uuid(v) => v.map_or(J::Null, |u| J::String(u.to_string())),
        Value::String(v) => v.map_or(J::Null, J::String),
        Value::BigInt(v) => v.map_or(J::Null, J::from),
        Value::Int(v) => v.map_or(J::Null, J::from),
        Value::Bool(v) => v.map_or(J::Null, J::Bool),
        Value::ChronoDate(v) => v.map_or(J::Null, |d| J::String(d.format("%Y-%m-%d").to_string())),
        Value::ChronoDateTimeUtc(v) => v.map_or(J::Null, |t| J::String(t.to_rfc3339())),
        other => {
            return Err(DbErr::Custom(format!(
                "insert_json_rows: unsupported value {other:?}"
            )))
        }
    })
}

/// Begins a transaction that will write. SQLite takes a transaction's write lock at its first
/// write, and a transaction that has read before it writes then fails at once with "database is
/// locked" instead of waiting its turn; a no-op write first makes it wait (up to the busy
/// timeout) like any writer. PostgreSQL needs nothing: its row locks and constraints decide.
pub async fn begin_write(
    db: &sea_orm::DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let txn = db.begin().await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        txn.execute_unprepared("UPDATE regions SET code = code WHERE 1 = 0")
            .await?;
    }
    Ok(txn)
}
