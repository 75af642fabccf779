//! The server's command line: subcommands, configuration errors, shutdown.

use std::process::Command;

use crate::helpers::{Backend, TestApp, TestDatabase, server_binary};

async fn migrate_brings_a_new_database_up_to_date_and_can_run_twice(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    for run in 1..=2 {
        let output = Command::new(server_binary())
            .arg("migrate")
            .env("DATABASE_URL", &database.url)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "run {run}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let db = database.connect().await;
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM seaql_migrations".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.try_get::<i64>("", "n").unwrap(),
        1,
        "each migration is recorded once"
    );
}

async fn sigterm_stops_the_server_cleanly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let status = app.terminate().await;
    assert!(status.success(), "exit status after SIGTERM: {status}");
}

crate::on_both_databases!(
    migrate_brings_a_new_database_up_to_date_and_can_run_twice,
    sigterm_stops_the_server_cleanly,
);

#[test]
fn a_suppression_threshold_below_five_is_refused_at_start() {
    let output = Command::new(server_binary())
        .args([
            "serve",
            "--suppression-k",
            "3",
            "--database-url",
            "sqlite::memory:",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("may never be below 5"), "{stderr}");
}

#[test]
fn an_unreachable_database_is_reported_with_its_address_but_not_its_password() {
    let output = Command::new(server_binary())
        .arg("migrate")
        .env(
            "DATABASE_URL",
            "postgres://peiling:hunter2@127.0.0.1:1/peiling",
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("could not open the database at postgres://peiling:***@127.0.0.1:1/peiling"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}
