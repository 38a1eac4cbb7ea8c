//! Small SQL helpers that differ by backend.

use sea_orm::sea_query::{ArrayType, Expr, ExprTrait, PgFunc, Value};
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

/// Inserts many rows on PostgreSQL as one `INSERT … SELECT … FROM unnest($1, $2, …)`: each
/// column travels as one typed array in the binary protocol (or as one value when every row holds
/// the same), so thousands of rows cost one round trip and no text parsing on the server. Arrays
/// cannot carry NULL through the driver, so a column mixing values and NULLs sends a placeholder
/// where a row has none and a `bool[]` mask beside it. Rows whose `conflict` column already holds
/// the value are skipped. Returns the `id`s of the rows inserted.
pub async fn insert_array_rows<E>(
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
    let mut names = Vec::new();
    let mut select = Vec::new();
    let mut arrays: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    for col in E::Column::iter() {
        let column: Vec<Value> = models.iter().map(|m| m.get(col)).collect();
        names.push(format!("\"{}\"", col.as_str()));
        select.push(match bind_column(column)? {
            Bound::Null => "NULL".to_owned(),
            Bound::Same(value, ty) => {
                values.push(value);
                format!("${}::{ty}", values.len())
            }
            Bound::Each(array, ty, mask) => {
                values.push(array);
                let here = format!("u.c{}", arrays.len());
                arrays.push(format!("${}::{ty}[]", values.len()));
                match mask {
                    None => here,
                    Some(mask) => {
                        values.push(mask);
                        let null = format!("u.c{}", arrays.len());
                        arrays.push(format!("${}::bool[]", values.len()));
                        format!("CASE WHEN {null} THEN NULL ELSE {here} END")
                    }
                }
            }
        });
    }
    let table = E::default().table_name().to_owned();
    let aliases: Vec<String> = (0..arrays.len()).map(|i| format!("c{i}")).collect();
    let from = if arrays.is_empty() {
        // Every column is the same in every row: still one row per model.
        values.push(Value::BigInt(Some(models.len() as i64)));
        format!("generate_series(1, ${}) AS u", values.len())
    } else {
        format!("unnest({}) AS u({})", arrays.join(", "), aliases.join(", "))
    };
    let sql = format!(
        "INSERT INTO \"{table}\" ({}) SELECT {} FROM {from} \
         ON CONFLICT (\"{}\") DO NOTHING RETURNING \"id\"",
        names.join(", "),
        select.join(", "),
        conflict.as_str()
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<uuid::Uuid>("", "id"))
        .collect()
}

/// How one column of a batch is bound.
enum Bound {
    /// NULL in every row.
    Null,
    /// One value, the same in every row.
    Same(Value, &'static str),
    /// One array element per row, and a NULL mask when some rows hold NULL.
    Each(Value, &'static str, Option<Value>),
}

fn bind_column(column: Vec<Value>) -> Result<Bound, DbErr> {
    let Some(first) = column.first().cloned() else {
        return Ok(Bound::Null);
    };
    let ty = sql_type(&first)?;
    let is_null = |v: &Value| *v == v.as_null();
    if column.iter().all(|v| *v == first) {
        return Ok(if is_null(&first) {
            Bound::Null
        } else {
            Bound::Same(first, ty)
        });
    }
    let mask: Vec<Value> = column
        .iter()
        .map(|v| Value::Bool(Some(is_null(v))))
        .collect();
    let nulls = mask.contains(&Value::Bool(Some(true)));
    let array = first.array_type();
    let elements = column
        .into_iter()
        .map(|v| if is_null(&v) { placeholder(&v) } else { v })
        .collect();
    Ok(Bound::Each(
        Value::Array(array, Some(Box::new(elements))),
        ty,
        nulls.then(|| Value::Array(ArrayType::Bool, Some(Box::new(mask)))),
    ))
}

/// The SQL type a column's values are cast to.
fn sql_type(value: &Value) -> Result<&'static str, DbErr> {
    Ok(match value {
        Value::Uuid(_) => "uuid",
        Value::String(_) => "text",
        Value::BigInt(_) => "int8",
        Value::Int(_) => "int4",
        Value::Bool(_) => "bool",
        Value::ChronoDate(_) => "date",
        Value::ChronoDateTimeUtc(_) => "timestamptz",
        other => {
            return Err(DbErr::Custom(format!(
                "insert_array_rows: unsupported value {other:?}"
            )))
        }
    })
}

/// A stand-in for NULL inside an array; the mask makes the row NULL again.
fn placeholder(value: &Value) -> Value {
    match value {
        Value::Uuid(_) => Value::Uuid(Some(uuid::Uuid::nil())),
        Value::BigInt(_) => Value::BigInt(Some(0)),
        Value::Int(_) => Value::Int(Some(0)),
        Value::Bool(_) => Value::Bool(Some(false)),
        Value::ChronoDate(_) => Value::ChronoDate(Some(chrono::NaiveDate::default())),
        Value::ChronoDateTimeUtc(_) => Value::ChronoDateTimeUtc(Some(chrono::DateTime::default())),
        _ => Value::String(Some(String::new())),
    }
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
