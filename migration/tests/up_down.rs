#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every migration runs up, down and up again on SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set; the constraints the data model relies on hold on both.

use credit_bank_migration::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};

/// A scratch database; `finish` removes it (the SQLite file, or the PostgreSQL database).
struct Scratch {
    db: DatabaseConnection,
    sqlite_file: Option<std::path::PathBuf>,
    postgres: Option<(String, String)>,
}

impl Scratch {
    async fn finish(self) {
        self.db.close().await.expect("close");
        if let Some(path) = self.sqlite_file {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
        if let Some((base, name)) = self.postgres {
            let admin = Database::connect(&base).await.expect("postgres");
            admin
                .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
                .await
                .expect("drop");
            admin.close().await.expect("close admin");
        }
    }
}

async fn databases() -> Vec<Scratch> {
    let path =
        std::env::temp_dir().join(format!("credit-bank-migration-{}.db", uuid::Uuid::new_v4()));
    let sqlite = Database::connect(format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .expect("sqlite");
    let mut out = vec![Scratch {
        db: sqlite,
        sqlite_file: Some(path),
        postgres: None,
    }];
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let name = format!("cb_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&base).await.expect("postgres");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create db");
            admin.close().await.expect("close admin");
            let (prefix, _) = base.rsplit_once('/').expect("database name in URL");
            let pg = Database::connect(format!("{prefix}/{name}"))
                .await
                .expect("postgres test db");
            out.push(Scratch {
                db: pg,
                sqlite_file: None,
                postgres: Some((base, name)),
            });
        }
        _ if std::env::var("CI").is_ok() => panic!("TEST_DATABASE_URL must be set under CI"),
        _ => eprintln!("TEST_DATABASE_URL not set: migrations checked on SQLite only"),
    }
    out
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("an integer")
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again_with_the_seed_regions() {
    for scratch in databases().await {
        let db = &scratch.db;
        Migrator::up(db, None).await.expect("up");
        Migrator::down(db, None).await.expect("down");
        Migrator::up(db, None).await.expect("up again");
        assert_eq!(scalar(db, "SELECT COUNT(*) FROM regions").await, 18);
        assert_eq!(
            scalar(
                db,
                "SELECT COUNT(*) FROM regions WHERE code = '370202' AND parent_code = '370200'"
            )
            .await,
            1
        );
        assert_eq!(
            scalar(db, "SELECT COUNT(*) FROM regions WHERE parent_code IS NULL").await,
            1
        );
        scratch.finish().await;
    }
}

#[tokio::test]
async fn one_credit_record_backs_at_most_one_live_conversion() {
    for scratch in databases().await {
        let db = &scratch.db;
        Migrator::up(db, None).await.expect("up");
        let backend = db.get_database_backend();
        let uuid = |n: u128| match backend {
            DbBackend::Postgres => format!("'{}'", uuid::Uuid::from_u128(n)),
            _ => format!("X'{}'", uuid::Uuid::from_u128(n).simple()),
        };
        let now = "'2026-01-01T00:00:00+00:00'";
        let statements = [
            format!("INSERT INTO schools (id, region_code, name, created_at) VALUES ({}, '370202', 's', {now})", uuid(1)),
            format!("INSERT INTO teachers (id, school_id, name, stages, subjects, created_at, updated_at) VALUES ({}, {}, 't', '[]', '[]', {now}, {now})", uuid(2), uuid(1)),
            format!("INSERT INTO credit_records (id, teacher_id, school_id, region_code, kind, title, role, earned_on, credits_e4, status, idempotency_key, created_at, updated_at) VALUES ({}, {}, {}, '370202', 'OTHER', 'x', 'TRAINEE', '2026-01-01', 10000, 'CERTIFIED', 'k1', {now}, {now})", uuid(3), uuid(2), uuid(1)),
            format!("INSERT INTO universities (id, region_code, name, created_at) VALUES ({}, '370000', 'u', {now})", uuid(4)),
            format!("INSERT INTO university_courses (id, university_id, code, title, academic_credits_e4, created_at) VALUES ({}, {}, 'c', 'c', 20000, {now})", uuid(5), uuid(4)),
            format!("INSERT INTO transfer_mappings (id, university_course_id, categories, modalities, academic_credits_e4, created_at) VALUES ({}, {}, '[]', '[]', 20000, {now})", uuid(6), uuid(5)),
            format!("INSERT INTO conversions (id, teacher_id, mapping_id, status, academic_credits_e4, requested_at) VALUES ({}, {}, {}, 'REQUESTED', 20000, {now})", uuid(7), uuid(2), uuid(6)),
            format!("INSERT INTO conversions (id, teacher_id, mapping_id, status, academic_credits_e4, requested_at) VALUES ({}, {}, {}, 'REQUESTED', 20000, {now})", uuid(8), uuid(2), uuid(6)),
        ];
        for sql in &statements {
            db.execute_unprepared(sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        let allocate = |id: u128, conversion: u128, live: bool| {
            format!(
                "INSERT INTO conversion_allocations (id, conversion_id, credit_record_id, credits_e4, live_credit_record_id, created_at) VALUES ({}, {}, {}, 10000, {}, {now})",
                uuid(id), uuid(conversion), uuid(3), if live { uuid(3) } else { "NULL".into() }
            )
        };
        db.execute_unprepared(&allocate(10, 7, true))
            .await
            .expect("first live allocation");
        assert!(
            db.execute_unprepared(&allocate(11, 8, true)).await.is_err(),
            "a second live allocation must be refused"
        );
        db.execute_unprepared(&allocate(12, 8, false))
            .await
            .expect("released allocations may repeat");
        db.execute_unprepared(&allocate(13, 8, false))
            .await
            .expect("released allocations may repeat");
        scratch.finish().await;
    }
}
