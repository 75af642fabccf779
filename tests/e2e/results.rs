//! A wave's materialised results: closing a wave computes and stores every
//! figure, a recomputation replaces them and is audited, and the same
//! responses give the same figures on SQLite and on PostgreSQL.

use std::collections::BTreeMap;
use std::process::Command;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use surveys::synthetic::synthetic_responses;
use surveys::{Group, Place, Release};

use crate::helpers::{Backend, TestApp, count, server_binary, text};

const SIZE: usize = 2_500;
const SEED: u64 = 11;

/// Runs `server <command> --wave 1` on the app's database; returns its output.
fn wave_command(app: &TestApp, command: &str) -> String {
    let output = Command::new(server_binary())
        .args([command, "--wave", "1"])
        .env("DATABASE_URL", &app.database.url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stores the same synthetic wave on the demo region of `app`.
async fn store_synthetic_wave(app: &TestApp) -> Vec<surveys::SurveyResponse> {
    let db = app.database.connect_for_writing().await;
    let region = server::demo::synthetic_region(&db).await.unwrap();
    let responses = synthetic_responses(surveys::standard_v1(), &region, SIZE, SEED);
    server::demo::insert_responses(&db, 1, &responses)
        .await
        .unwrap();
    db.close().await.ok();
    responses
}

async fn figures(app: &TestApp) -> BTreeMap<String, String> {
    let db = app.database.connect().await;
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT group_name, figures FROM wave_figure WHERE wave_id = 1",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|row| {
        (
            row.try_get::<String>("", "group_name").unwrap(),
            row.try_get::<String>("", "figures").unwrap(),
        )
    })
    .collect()
}

async fn closed_wave(backend: Backend) -> (TestApp, Vec<surveys::SurveyResponse>) {
    let app = TestApp::spawn(backend).await;
    let responses = store_synthetic_wave(&app).await;
    let printed = wave_command(&app, "close-wave");
    assert!(printed.contains(&format!("{SIZE} responses")), "{printed}");
    (app, responses)
}

async fn closing_a_wave_stores_every_figure_and_a_recomputation_is_audited(backend: Backend) {
    let (app, responses) = closed_wave(backend).await;
    assert_eq!(
        text(
            &app.database,
            "SELECT status AS t FROM survey_wave WHERE id = 1"
        )
        .await,
        "closed"
    );
    let stored = figures(&app).await;
    assert!(stored.len() > 100, "{} groups", stored.len());

    // The region's respondents are the responses the validity screen kept.
    let valid = responses.iter().filter(|r| r.validity.is_clean()).count() as u64;
    let document = text(
        &app.database,
        "SELECT results AS t FROM wave_result WHERE wave_id = 1",
    )
    .await;
    let results: surveys::WaveResults = serde_json::from_str(&document).unwrap();
    assert_eq!(
        results.respondents(&Group::all(Place::Region)),
        Some(Release::Released(valid))
    );
    assert_eq!(results.exclusions().submitted, SIZE as u64);
    assert!(
        stored.keys().any(|name| name.contains("/village:")),
        "villages have figures"
    );
    assert!(
        stored.values().any(|figures| figures.contains("uppressed")),
        "some small groups are suppressed"
    );

    // A closed wave takes no more answers.
    let refused = app
        .post_form("/survey", &[("code", &app.demo_code())])
        .await;
    assert_ne!(refused.status(), StatusCode::SEE_OTHER);

    let audit = "SELECT COUNT(*) AS n FROM audit_log WHERE subject = 'wave:1' AND action = ";
    assert_eq!(
        count(&app.database, &format!("{audit}'wave.closed'")).await,
        1
    );
    assert_eq!(
        count(&app.database, &format!("{audit}'wave.results_computed'")).await,
        1
    );

    let printed = wave_command(&app, "results");
    assert!(printed.contains("earlier results replaced"), "{printed}");
    assert_eq!(
        figures(&app).await,
        stored,
        "the same responses, the same figures"
    );
    assert_eq!(
        count(
            &app.database,
            "SELECT COUNT(*) AS n FROM wave_result WHERE wave_id = 1"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app.database, &format!("{audit}'wave.results_recomputed'")).await,
        1
    );
}

crate::on_both_databases!(closing_a_wave_stores_every_figure_and_a_recomputation_is_audited);

#[tokio::test]
async fn sqlite_and_postgresql_give_identical_figures_for_the_same_responses() {
    let (sqlite, _) = closed_wave(Backend::Sqlite).await;
    let (postgres, _) = closed_wave(Backend::Postgres).await;
    let on_sqlite = figures(&sqlite).await;
    let on_postgres = figures(&postgres).await;
    assert!(!on_sqlite.is_empty());
    assert_eq!(on_sqlite, on_postgres);
    let document = "SELECT results AS t FROM wave_result WHERE wave_id = 1";
    assert_eq!(
        text(&sqlite.database, document).await,
        text(&postgres.database, document).await
    );
}
