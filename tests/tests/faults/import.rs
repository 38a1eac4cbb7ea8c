//! The mid-import crash: `import-completions` of a large file is killed with SIGKILL part way,
//! then run again: the re-run posts exactly the missing rows (each chunk is one transaction,
//! and a row already posted is a duplicate), and replaying the file twice more posts nothing.

use crate::services::{binary, Stack};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

async fn posted(db: &DatabaseConnection, course: uuid::Uuid) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT count(*) AS n FROM credit_records WHERE course_id = '{course}'"),
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

fn import(stack: &Stack, course: uuid::Uuid, file: &std::path::Path) -> Command {
    let mut cmd = Command::new(binary());
    cmd.args(["import-completions", "--course", &course.to_string()])
        .arg(file)
        .current_dir(&stack.dir)
        .env("DATABASE_URL", stack.pg_url("credit_bank"))
        .env("RUST_LOG", "warn");
    cmd
}

pub async fn kill_mid_import_and_replay(stack: &Stack, db: &DatabaseConnection, rows: usize) {
    let settings = credit_bank::config::Settings::development(stack.pg_url("credit_bank"));
    let state = credit_bank::startup::prepare(settings)
        .await
        .expect("state");
    let file = stack.dir.join("completions.csv");
    let started = Instant::now();
    let course = credit_bank::bench::completions_file(&state, rows, &file)
        .await
        .expect("course, teachers and file");
    println!(
        "import: {rows} teachers enrolled and the file written in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut child = import(stack, course, &file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("import-completions");
    let pid = child.id().to_string();
    let started = Instant::now();
    let at_kill = loop {
        let n = posted(db, course).await;
        if n >= (rows / 5) as i64 {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
            let _ = child.wait();
            break posted(db, course).await;
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the import ended before it could be killed ({n} rows)"
        );
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the import is stuck at {n} rows"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        at_kill > 0 && at_kill < rows as i64,
        "killed mid-import: {at_kill} of {rows} posted"
    );
    println!(
        "import: killed with SIGKILL after {:.1} s, {at_kill} of {rows} rows posted",
        started.elapsed().as_secs_f64()
    );

    for run in 1..=3 {
        let started = Instant::now();
        let out = import(stack, course, &file).output().expect("re-run");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "re-run {run}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected = if run == 1 { rows as i64 - at_kill } else { 0 };
        assert!(
            text.starts_with(&format!(
                "accepted {expected} · duplicates {}",
                rows as i64 - expected
            )),
            "re-run {run} must post exactly the missing rows ({expected}): {text}"
        );
        assert_eq!(
            posted(db, course).await,
            rows as i64,
            "every row once after re-run {run}"
        );
        println!(
            "import: re-run {run} in {:.1} s: {}",
            started.elapsed().as_secs_f64(),
            text.trim()
        );
    }
}
