//! The database goes away while the server runs: every request gets a clean
//! 503 with `Retry-After` within seconds instead of hanging for the outage,
//! `/health` keeps answering, and when the database is back the same session
//! works again without a restart.

use std::time::{Duration, Instant};

use reqwest::{StatusCode, header};
use sea_orm::{ConnectionTrait, Database};

use crate::helpers::{Backend, TestApp, postgres_admin_url};
use crate::staff::{PASSWORD, create_anna};

/// How long any request may take while the database is away.
const PROMPT: Duration = Duration::from_secs(3);

/// Turns connections to this test's database off (and ends the ones that are
/// open) or on again; the shared server itself keeps running.
async fn cut_off(app: &TestApp, off: bool) {
    let name = app
        .database
        .url
        .rsplit_once('/')
        .map(|(_, name)| name.to_owned())
        .expect("database name");
    let admin = Database::connect(&postgres_admin_url())
        .await
        .expect("admin connection");
    admin
        .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {}", !off))
        .await
        .expect("allow or refuse connections");
    if off {
        admin
            .execute_unprepared(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .await
            .expect("end open connections");
    }
    admin.close().await.ok();
}

/// Sends `request` and returns its answer and how long it took; a request
/// that hangs past twice [`PROMPT`] fails the test.
async fn timed(request: reqwest::RequestBuilder) -> (reqwest::Response, Duration) {
    let started = Instant::now();
    let response = tokio::time::timeout(PROMPT * 2, request.send())
        .await
        .expect("the server answered while the database was away")
        .expect("HTTP");
    (response, started.elapsed())
}

#[tokio::test]
async fn a_database_outage_answers_503_with_retry_after_at_once_and_heals_by_itself() {
    let app = TestApp::spawn(Backend::Postgres).await;
    create_anna(&app);
    let login = app
        .post_form(
            "/login",
            &[("email", "anna@regio.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/staff/users").await.status(), StatusCode::OK);

    cut_off(&app, true).await;

    // A staff page, in the reader's language.
    for (language, words) in [("nl", "database"), ("en", "cannot reach its database")] {
        let (page, took) = timed(
            app.http
                .get(app.url("/staff/users"))
                .header(header::ACCEPT_LANGUAGE, language),
        )
        .await;
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE, "{language}");
        assert!(took < PROMPT, "a staff page took {took:?} to refuse");
        assert_eq!(page.headers()[header::RETRY_AFTER], "2");
        assert_eq!(page.headers()[header::CACHE_CONTROL], "no-store");
        let body = page.text().await.unwrap();
        assert!(body.contains(words), "{language}: {body}");
        assert!(
            !body.contains("pg_") && !body.contains("127.0.0.1"),
            "the cause is logged, not shown: {body}"
        );
    }

    // The health check, a login and a student's class code: all refused
    // promptly, none hanging.
    let (health, took) = timed(app.http.get(app.url("/health"))).await;
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(took < PROMPT, "/health took {took:?}");
    assert!(health.headers().contains_key(header::RETRY_AFTER));
    let (login, took) = timed(
        app.http
            .post(app.url("/login"))
            .form(&[("email", "anna@regio.example"), ("password", "wrong")]),
    )
    .await;
    assert_eq!(login.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(took < PROMPT, "a login took {took:?}");
    let (code, took) = timed(
        app.http
            .post(app.url("/survey"))
            .form(&[("code", "ABCD-EFGH")]),
    )
    .await;
    assert_eq!(code.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(took < PROMPT, "a class code took {took:?}");
    assert!(code.headers().contains_key(header::RETRY_AFTER));

    cut_off(&app, false).await;

    // Back without a restart, and the session survived the outage.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let page = app.get("/staff/users").await;
        if page.status() == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still {} after the database came back",
            page.status()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.get("/health").await.status(), StatusCode::OK);
}
