//! Releases, attacked as the evaluation attacked them: a running wave shows no
//! figure to anyone but as provisional counts to the region coordinator, and a
//! reopen for one late student followed by a close gives the two releases'
//! readers nothing about that student.

use reqwest::StatusCode;
use surveys::synthetic::synthetic_responses;
use surveys::{Group, Place, Release, SuppressionReason, WaveResults};

use crate::authz::csrf_of;
use crate::browser::Browser;
use crate::dashboard::{ALDERMAN, signed_in};
use crate::helpers::{Backend, TestApp, count, id_of, text};

const REGION: &str = "regio@heuvelland.example";

/// Release `number` of wave `wave`, as stored.
pub async fn release(app: &TestApp, wave: &str, number: i32) -> WaveResults {
    let document = text(
        &app.database,
        &format!(
            "SELECT results AS t FROM wave_release WHERE wave_id = {wave} AND number = {number}"
        ),
    )
    .await;
    serde_json::from_str(&document).unwrap()
}

async fn page(http: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = http.get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Posts `form` to `path` as `http`'s account; the status and page.
pub async fn post(
    http: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = http.post(app.url(path)).form(form).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn one_late_student_after_a_reopen_is_never_the_difference_of_two_releases(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let wave = id_of(&app, "survey_wave WHERE year = 2026").await;
    let releases = format!("SELECT COUNT(*) AS n FROM wave_release WHERE wave_id = {wave}");
    assert_eq!(count(&app.database, &releases).await, 1);
    let first = release(&app, &wave, 1).await;

    let alderman = signed_in(&app, ALDERMAN).await;
    let region_page = format!("/dashboard/region?wave={wave}");
    let (status, before) = page(&alderman, &app, &region_page).await;
    assert_eq!(status, StatusCode::OK);

    let coordinator = signed_in(&app, REGION).await;
    let (_, staff) = page(&coordinator, &app, "/staff/waves").await;
    let csrf = csrf_of(&staff);
    let (status, _) = post(
        &coordinator,
        &app,
        &format!("/staff/waves/{wave}/reopen"),
        &[
            ("csrf", &csrf),
            ("reason", "Een klas kreeg de code te laat"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // One late student.
    let db = app.database.connect_for_writing().await;
    let region = server::demo::synthetic_region(&db).await.unwrap();
    // A student the validity screen keeps, so that the figures would change.
    let late: Vec<_> = synthetic_responses(surveys::standard_v1(), &region, 20, 61)
        .into_iter()
        .filter(|r| r.validity.is_clean())
        .take(1)
        .collect();
    assert_eq!(late.len(), 1);
    let wave_id: i32 = wave.parse().unwrap();
    server::demo::insert_responses(&db, wave_id, &late)
        .await
        .unwrap();
    db.close().await.ok();

    // Closing again: release 2 would show that student, so it is refused and
    // release 1 stays in force, also while the wave was open.
    let (status, answer) = post(
        &coordinator,
        &app,
        &format!("/staff/waves/{wave}/close"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(answer.contains("data-withheld="), "{answer}");
    assert_eq!(count(&app.database, &releases).await, 1);
    let (_, after) = page(&alderman, &app, &region_page).await;
    assert_eq!(
        crate::dashboard::page_table(&before, "domain-substance-use"),
        crate::dashboard::page_table(&after, "domain-substance-use"),
        "the alderman reads release 1 as before"
    );

    // Published anyway: every figure the student changed is hidden.
    let (status, answer) = post(
        &coordinator,
        &app,
        &format!("/staff/waves/{wave}/release"),
        &[("csrf", &csrf), ("withhold", "yes")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(count(&app.database, &releases).await, 2);
    let second = release(&app, &wave, 2).await;
    assert_eq!(
        second.respondents(&Group::all(Place::Region)),
        Some(Release::Suppressed(
            SuppressionReason::ProtectsEarlierRelease
        ))
    );
    let k = u64::from(second.threshold().get());
    for (group, now) in second.groups() {
        let Some(then) = first.group(group) else {
            assert!(now.respondents.is_suppressed(), "{group} is new and shows");
            continue;
        };
        if let (Release::Released(a), Release::Released(b)) = (then.respondents, now.respondents) {
            assert!(b == a || b - a >= k, "{group}: {a} → {b}");
        }
        for (indicator, share) in &now.indicators {
            if let (Some(Release::Released(a)), Release::Released(b)) =
                (then.indicators.get(indicator), share)
            {
                assert!(
                    b.denominator() == a.denominator() || b.denominator() - a.denominator() >= k,
                    "{group} {indicator}: {a:?} → {b:?}"
                );
            }
        }
    }
    let (status, _) = page(&alderman, &app, &region_page).await;
    assert_eq!(status, StatusCode::OK);
}

crate::on_both_databases!(one_late_student_after_a_reopen_is_never_the_difference_of_two_releases);

#[tokio::test]
async fn a_running_wave_is_provisional_for_the_region_coordinator_and_absent_for_an_alderman() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let running = id_of(&app, "survey_wave WHERE year = 2027").await;
    assert_eq!(
        text(
            &app.database,
            &format!("SELECT status AS t FROM survey_wave WHERE id = {running}")
        )
        .await,
        "open"
    );
    let db = app.database.connect_for_writing().await;
    let region = server::demo::synthetic_region(&db).await.unwrap();
    let answers = synthetic_responses(surveys::standard_v1(), &region, 60, 27);
    server::demo::insert_responses(&db, running.parse().unwrap(), &answers)
        .await
        .unwrap();
    db.close().await.ok();

    let browser = Browser::start().await;
    browser.log_in(&app, ALDERMAN, "peiling-demo").await;
    browser.click("a[href='/dashboard']").await;
    browser.click("a[href^='/dashboard/municipality-']").await;
    browser.wait_for_text(".subtitle", "Peiling 2026").await;
    let options = browser
        .client
        .find_all(fantoccini::Locator::Css("select[name='wave'] option"))
        .await
        .unwrap();
    assert!(!options.is_empty());
    for option in options {
        let value = option.attr("value").await.unwrap().unwrap_or_default();
        assert_ne!(value, running, "the running wave is not offered");
        let label = option.text().await.unwrap();
        assert!(!label.contains("2027"), "{label}");
    }
    let current = browser.client.current_url().await.unwrap();
    let mut asked = current.clone();
    asked.set_query(Some(&format!("wave={running}")));
    browser.client.goto(asked.as_str()).await.unwrap();
    let body = browser
        .client
        .find(fantoccini::Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!body.contains("Peiling 2027"), "{body}");
    browser.close().await;

    let browser = Browser::start().await;
    browser.log_in(&app, REGION, "peiling-demo").await;
    browser.client.goto(&app.url("/staff/waves")).await.unwrap();
    browser
        .click(&format!("a[href='/staff/waves/{running}/provisional']"))
        .await;
    browser
        .wait_for_text("h1", "Voorlopig — niet gepubliceerd")
        .await;
    browser
        .wait_for_text("[data-count='responses']", "60")
        .await;
    browser.close().await;
}
