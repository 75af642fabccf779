//! The server's command line: subcommands, configuration errors, shutdown.

use std::process::Command;

use crate::helpers::{Backend, TestApp, TestDatabase, count, server_binary};

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
    use migrations::MigratorTrait;
    use sea_orm::{ConnectionTrait, Statement};
    let applied: Vec<String> = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations ORDER BY version".to_owned(),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "version").unwrap())
        .collect();
    let defined: Vec<String> = migrations::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    assert_eq!(applied, defined, "every migration is applied, each once");
}

async fn sigterm_stops_the_server_cleanly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let status = app.terminate().await;
    assert!(status.success(), "exit status after SIGTERM: {status}");
}

async fn a_first_start_loads_the_demo_region_and_shows_open_codes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let banner = app.startup_output.join("\n");
    assert!(
        banner.contains("Demo class codes (fictional region, synthetic data)"),
        "{banner}"
    );
    let first_code = app.startup_output[1].split_whitespace().next().unwrap();
    assert!(
        surveys::ClassCode::parse(first_code).is_ok(),
        "{first_code}"
    );
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) AS n FROM municipality").await,
        5
    );
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) AS n FROM school").await,
        8
    );
}

/// Unless the demo is asked for, a database stays empty: no region, and none
/// of the demo's accounts with their published password.
async fn without_demo_the_database_stays_empty(backend: Backend) {
    for demo in ["", "false"] {
        let app = TestApp::spawn_with(backend, &[("PEILING_DEMO", demo)]).await;
        let banner = app.startup_output.join("\n");
        assert!(!banner.contains("Demo"), "PEILING_DEMO={demo:?}: {banner}");
        for table in ["region", "app_user"] {
            assert_eq!(
                count(&app.database, &format!("SELECT COUNT(*) AS n FROM {table}")).await,
                0,
                "PEILING_DEMO={demo:?}: {table}"
            );
        }
    }
}

async fn the_codes_command_issues_a_code_for_a_class(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let before = count(&app.database, "SELECT COUNT(*) AS n FROM class_code").await;
    let output = Command::new(server_binary())
        .args([
            "codes", "--wave", "1", "--school", "2", "--year", "2", "--size", "25", "--label", "2B",
        ])
        .env("DATABASE_URL", &app.database.url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sheet = String::from_utf8_lossy(&output.stdout);
    assert!(
        sheet.contains("Class 2B · year 2 · 25 students expected"),
        "{sheet}"
    );
    let code = sheet
        .lines()
        .find_map(|line| line.strip_prefix("Class code: "))
        .expect("the sheet shows the code");
    let code = surveys::ClassCode::parse(code).expect("a well-formed code");
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) AS n FROM class_code").await,
        before + 1
    );
    let stored = count(
        &app.database,
        &format!(
            "SELECT COUNT(*) AS n FROM class_code WHERE code = '{}' AND expected_size = 25 \
             AND used_count = 0 AND school_year = 2",
            code.as_str()
        ),
    )
    .await;
    assert_eq!(stored, 1);
}

async fn the_codes_command_refuses_an_unknown_wave_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let before = count(&app.database, "SELECT COUNT(*) AS n FROM class_code").await;
    let output = Command::new(server_binary())
        .args([
            "codes", "--wave", "999", "--school", "1", "--year", "2", "--size", "25",
        ])
        .env("DATABASE_URL", &app.database.url)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("there is no survey wave 999"));
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) AS n FROM class_code").await,
        before
    );
}

crate::on_both_databases!(
    migrate_brings_a_new_database_up_to_date_and_can_run_twice,
    sigterm_stops_the_server_cleanly,
    a_first_start_loads_the_demo_region_and_shows_open_codes,
    without_demo_the_database_stays_empty,
    the_codes_command_issues_a_code_for_a_class,
    the_codes_command_refuses_an_unknown_wave_and_changes_nothing,
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
