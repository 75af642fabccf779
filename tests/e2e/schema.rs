//! What the first start leaves in the database.

use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{Backend, TestApp};

async fn column_names(app: &TestApp, table: &str) -> Vec<String> {
    let db = app.database.connect().await;
    let backend = db.get_database_backend();
    let sql = match app.database.backend {
        Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY name"),
        Backend::Postgres => format!(
            "SELECT column_name AS name FROM information_schema.columns \
             WHERE table_name = '{table}' ORDER BY column_name"
        ),
    };
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect()
}

async fn the_first_start_creates_the_core_model(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for table in [
        "region",
        "municipality",
        "village",
        "school",
        "survey_wave",
        "class_code",
        "response",
        "app_user",
        "session",
        "audit_log",
        "wave_release",
        "wave_figure",
    ] {
        assert!(
            !column_names(&app, table).await.is_empty(),
            "table {table} exists"
        );
    }
}

async fn a_response_row_holds_nothing_that_identifies_a_student(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Privacy rule: wave, school, school year, answers and validity flags, and a
    // random id. No class, time, address, agent or account.
    assert_eq!(
        column_names(&app, "response").await,
        [
            "answers",
            "id",
            "school_id",
            "school_year",
            "validity_flags",
            "wave_id"
        ]
    );
}

async fn a_draft_row_holds_its_content_only_sealed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Class, school, language, answers and start time are in `sealed`, which
    // only the student's cookie opens; the expiry is rounded to the quarter hour.
    assert_eq!(
        column_names(&app, "survey_draft").await,
        ["expires_at", "sealed", "token_hash", "wave_id"]
    );
}

crate::on_both_databases!(
    the_first_start_creates_the_core_model,
    a_response_row_holds_nothing_that_identifies_a_student,
    a_draft_row_holds_its_content_only_sealed,
);
