//! The demo region a first start loads: an open wave to try the survey, and
//! five earlier waves whose figures are already computed, with trends and a
//! few hamlets too small to show.

use crate::helpers::{Backend, TestApp, count, id_of, text};

/// `numerator / denominator` of a stored released share.
fn share(figures: &serde_json::Value, indicator: &str) -> f64 {
    let value = &figures["indicators"][indicator];
    assert_eq!(value["state"], "released", "{indicator}: {value}");
    value["value"]["numerator"].as_f64().unwrap() / value["value"]["denominator"].as_f64().unwrap()
}

async fn the_demo_holds_five_computed_waves_and_an_open_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let waves =
        |status: &str| format!("SELECT COUNT(*) AS n FROM survey_wave WHERE status = '{status}'");
    assert_eq!(count(&app.database, &waves("open")).await, 1);
    assert_eq!(count(&app.database, &waves("closed")).await, 5);
    assert_eq!(
        count(
            &app.database,
            "SELECT COUNT(*) AS n FROM response WHERE wave_id = 1"
        )
        .await,
        0,
        "the open wave waits for students"
    );
    let mut drunk = vec![];
    for year in [2018, 2020, 2022, 2024, 2026] {
        let wave = id_of(&app, &format!("survey_wave WHERE year = {year}")).await;
        let responses = count(
            &app.database,
            &format!("SELECT COUNT(*) AS n FROM response WHERE wave_id = {wave}"),
        )
        .await;
        assert!((1_500..=3_000).contains(&responses), "{year}: {responses}");
        assert_eq!(
            count(
                &app.database,
                &format!("SELECT COUNT(*) AS n FROM wave_release WHERE wave_id = {wave}")
            )
            .await,
            1,
            "{year} has its figures"
        );
        let hamlets = count(
            &app.database,
            &format!(
                "SELECT COUNT(*) AS n FROM wave_figure WHERE wave_id = {wave} \
                 AND group_name LIKE 'municipality:%/village:%' AND group_name NOT LIKE '%/village:%/%' \
                 AND figures LIKE '{{\"respondents\":{{\"state\":\"suppressed\",\"value\":\"too_few_respondents\"}}%'"
            ),
        )
        .await;
        assert!(hamlets >= 1, "{year}: a village too small to show");
        let oldest: serde_json::Value = serde_json::from_str(
            &text(
                &app.database,
                &format!("SELECT figures AS t FROM wave_figure WHERE wave_id = {wave} AND group_name = 'region/year:4'"),
            )
            .await,
        )
        .unwrap();
        drunk.push(share(&oldest, "drunk_30d"));
    }
    assert!(
        (0.18..=0.27).contains(&drunk[0]),
        "about one in five of the oldest was drunk last month in 2018: {drunk:?}"
    );
    assert!(drunk[4] < drunk[0] - 0.02, "and fewer since: {drunk:?}");
}

crate::on_both_databases!(the_demo_holds_five_computed_waves_and_an_open_one);

#[tokio::test]
async fn every_role_has_a_demo_account_printed_at_start() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let banner = app.startup_output.join("\n");
    assert!(
        banner.contains("Demo accounts at /login (password peiling-demo)"),
        "{banner}"
    );
    for (email, role) in [
        ("regio@heuvelland.example", "region_coordinator"),
        ("gemeente@heidebroek.example", "municipality"),
        ("school@heidecollege.example", "school_coordinator"),
        ("jongerenwerk@heidebroek.example", "youth_worker"),
        ("docent@heidecollege.example", "teacher"),
    ] {
        assert!(
            banner
                .lines()
                .any(|line| line.contains(email) && line.contains(role)),
            "{email} as {role} in {banner}"
        );
    }
    // The demo teacher follows one class, and logs in with the listed password.
    let login = app
        .post_form(
            "/login",
            &[
                ("email", "docent@heidecollege.example"),
                ("password", "peiling-demo"),
            ],
        )
        .await;
    assert_eq!(login.status(), reqwest::StatusCode::SEE_OTHER);
    let counts = app.page_in("/staff/counts", "en").await;
    assert_eq!(counts.matches("<tr>").count(), 1 + 1, "{counts}");
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) AS n FROM user_village").await,
        2,
        "the youth worker's two villages"
    );
}
