//! A wave's releases: closing a wave releases every figure, nothing changed
//! makes no second release, another k makes release 2 beside release 1, each
//! release is audited without counts, and the same responses give the same
//! figures on SQLite and on PostgreSQL.

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
pub(crate) fn wave_command(app: &TestApp, command: &str) -> String {
    wave_command_with_k(app, command, 10)
}

pub(crate) fn wave_command_with_k(app: &TestApp, command: &str, k: u32) -> String {
    let output = Command::new(server_binary())
        .args([command, "--wave", "1"])
        .env("DATABASE_URL", &app.database.url)
        .env("PEILING_SUPPRESSION_K", k.to_string())
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
pub(crate) async fn store_synthetic_wave(app: &TestApp) -> Vec<surveys::SurveyResponse> {
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

async fn closing_a_wave_releases_every_figure_and_another_k_is_a_second_release(backend: Backend) {
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
        "SELECT results AS t FROM wave_release WHERE wave_id = 1 AND number = 1",
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
        count(&app.database, &format!("{audit}'wave.released'")).await,
        1
    );

    // The same responses and k: nothing to release again.
    let printed = wave_command(&app, "results");
    assert!(
        printed.contains("no new release — nothing changed since release 1"),
        "{printed}"
    );
    let releases = "SELECT COUNT(*) AS n FROM wave_release WHERE wave_id = 1";
    assert_eq!(count(&app.database, releases).await, 1);

    // Another k is release 2, which keeps hidden what release 1 hid.
    let printed = wave_command_with_k(&app, "results", 12);
    assert!(printed.contains("release 2 published"), "{printed}");
    assert_eq!(count(&app.database, releases).await, 2);
    let second: surveys::WaveResults = serde_json::from_str(
        &text(
            &app.database,
            "SELECT results AS t FROM wave_release WHERE wave_id = 1 AND number = 2",
        )
        .await,
    )
    .unwrap();
    assert_eq!(second.threshold().get(), 12);
    for (group, first) in results.groups() {
        let now = second.group(group).expect("the same groups");
        if first.respondents.is_suppressed() {
            assert!(now.respondents.is_suppressed(), "{group} stays hidden");
        }
        for (indicator, share) in &first.indicators {
            if share.is_suppressed() {
                assert!(
                    now.indicators[indicator].is_suppressed(),
                    "{group} {indicator} stays hidden"
                );
            }
        }
    }
    assert_eq!(
        count(&app.database, &format!("{audit}'wave.released'")).await,
        2
    );
    // Counts in the audit log would tell, release after release, how many
    // answers came in between.
    let details = text(
        &app.database,
        "SELECT detail AS t FROM audit_log WHERE subject = 'wave:1' AND action = 'wave.released' \
         ORDER BY id DESC LIMIT 1",
    )
    .await;
    assert!(details.contains("\"release\":2"), "{details}");
    assert!(!details.contains("responses"), "{details}");
}

crate::on_both_databases!(closing_a_wave_releases_every_figure_and_another_k_is_a_second_release);

#[tokio::test]
async fn sqlite_and_postgresql_give_identical_figures_for_the_same_responses() {
    let (sqlite, _) = closed_wave(Backend::Sqlite).await;
    let (postgres, _) = closed_wave(Backend::Postgres).await;
    let on_sqlite = figures(&sqlite).await;
    let on_postgres = figures(&postgres).await;
    assert!(!on_sqlite.is_empty());
    assert_eq!(on_sqlite, on_postgres);
    let document = "SELECT results AS t FROM wave_release WHERE wave_id = 1";
    assert_eq!(
        text(&sqlite.database, document).await,
        text(&postgres.database, document).await
    );
}
