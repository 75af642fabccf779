//! Staff accounts: creating one, logging in and out, and refusing forgeries.

use std::{io::Write, process::Stdio};

use reqwest::{StatusCode, header};

use crate::helpers::{Backend, TestApp, count, server_binary};

pub const PASSWORD: &str = "lang genoeg wachtwoord";

pub fn create_user(
    app: &TestApp,
    email: &str,
    password: &str,
    extra: &[&str],
) -> std::process::Output {
    let mut child = std::process::Command::new(server_binary())
        .args([
            "create-user",
            "--email",
            email,
            "--name",
            "Anna de Wit",
            "--password-stdin",
        ])
        .args(extra)
        .env("DATABASE_URL", &app.database.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

/// Creates the region coordinator `anna@regio.example` with [`PASSWORD`].
pub fn create_anna(app: &TestApp) {
    let made = create_user(
        app,
        "anna@regio.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
}

async fn log_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post_form("/login", &[("email", email), ("password", password)])
        .await
}

async fn sessions(app: &TestApp) -> i64 {
    count(&app.database, "SELECT COUNT(*) AS n FROM session").await
}

async fn a_coordinator_logs_in_sees_the_staff_page_and_logs_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = create_user(
        &app,
        "Anna@Regio.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let login = log_in(&app, "anna@regio.example", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    assert_eq!(login.headers()[header::LOCATION], "/staff");
    let cookie = login.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("peiling_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let staff = app.get_in("/staff", "en").await;
    assert_eq!(staff.status(), StatusCode::OK);
    let html = staff.text().await.unwrap();
    assert!(
        html.contains("Anna de Wit") && html.contains("region coordinator"),
        "{html}"
    );
    assert_eq!(sessions(&app).await, 1);

    let forged = app.post_form("/logout", &[("csrf", &"0".repeat(64))]).await;
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "a logout without the session's token is refused"
    );
    assert_eq!(sessions(&app).await, 1);
    let token = crate::authz::csrf_of(&html);
    let logout = app.post_form("/logout", &[("csrf", &token)]).await;
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(sessions(&app).await, 0);
    let after = app.get("/staff").await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(after.headers()[header::LOCATION], "/login");
}

async fn a_wrong_password_and_an_unknown_account_get_the_same_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_user(
        &app,
        "anna@regio.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    let wrong = log_in(&app, "anna@regio.example", "niet het wachtwoord").await;
    let unknown = log_in(&app, "nobody@regio.example", PASSWORD).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let message = "Dit e-mailadres en wachtwoord horen niet bij elkaar";
    assert!(wrong.text().await.unwrap().contains(message));
    assert!(unknown.text().await.unwrap().contains(message));
    assert_eq!(sessions(&app).await, 0);
}

async fn logging_in_again_replaces_the_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_user(
        &app,
        "anna@regio.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    let credentials = [("email", "anna@regio.example"), ("password", PASSWORD)];
    let first = app.post_form("/login", &credentials).await;
    let second = app.post_form("/login", &credentials).await;
    let token =
        |r: &reqwest::Response| r.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert_ne!(token(&first), token(&second));
    assert_eq!(
        sessions(&app).await,
        1,
        "the earlier session of this browser ended"
    );
}

async fn a_form_posted_from_another_site_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_user(
        &app,
        "anna@regio.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    let from = |origin: String| {
        app.http
            .post(app.url("/login"))
            .header(header::ORIGIN, origin)
            .form(&[("email", "anna@regio.example"), ("password", PASSWORD)])
            .send()
    };
    let forged = from("https://evil.example".into()).await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let page = forged.text().await.unwrap();
    assert!(page.contains("andere website"), "{page}");
    assert_eq!(sessions(&app).await, 0);

    let genuine = from(app.address.clone()).await.unwrap();
    assert_eq!(genuine.status(), StatusCode::SEE_OTHER);
}

/// A request the framework cannot read is refused in the reader's words, not
/// with its own English text naming fields and types.
async fn unreadable_requests_are_refused_in_our_words(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let twice = app.get_in("/login?reset=done&reset=done", "en").await;
    assert_eq!(twice.status(), StatusCode::BAD_REQUEST);
    let page = twice.text().await.unwrap();
    assert!(page.contains("Nothing was changed"), "{page}");
    assert!(
        !page.contains("duplicate") && !page.contains("deserialize"),
        "{page}"
    );
}

async fn create_user_refuses_short_passwords_duplicates_and_missing_scopes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let short = create_user(
        &app,
        "a@regio.example",
        "kort",
        &["--role", "region-coordinator"],
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));

    assert!(
        create_user(
            &app,
            "a@regio.example",
            PASSWORD,
            &["--role", "region-coordinator"]
        )
        .status
        .success()
    );
    let twice = create_user(
        &app,
        "A@regio.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already an account"));

    let no_school = create_user(
        &app,
        "b@regio.example",
        PASSWORD,
        &["--role", "school-coordinator"],
    );
    assert!(String::from_utf8_lossy(&no_school.stderr).contains("needs --school"));
    assert_eq!(
        count(
            &app.database,
            "SELECT COUNT(*) AS n FROM app_user WHERE email LIKE '%@regio.example'"
        )
        .await,
        1
    );
}

async fn an_idle_or_too_old_session_ends(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_user(
        &app,
        "anna@regio.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    for stale in ["last_seen_at", "expires_at"] {
        log_in(&app, "anna@regio.example", PASSWORD).await;
        assert_eq!(app.get("/staff").await.status(), StatusCode::OK);
        app.arrange(&format!(
            "UPDATE session SET {stale} = '2000-01-01 00:00:00+00:00'"
        ))
        .await;
        let after = app.get("/staff").await;
        assert_eq!(
            after.status(),
            StatusCode::SEE_OTHER,
            "{stale} in the past ends the session"
        );
        assert_eq!(sessions(&app).await, 0, "the ended session is removed");
    }
}

async fn five_failures_lock_an_account_known_or_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_user(
        &app,
        "anna@regio.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    for account in ["anna@regio.example", "nobody@regio.example"] {
        for attempt in 1..=5 {
            let wrong = log_in(&app, account, "niet het wachtwoord").await;
            assert_eq!(
                wrong.status(),
                StatusCode::UNAUTHORIZED,
                "{account} attempt {attempt}"
            );
        }
        // Locked now, even with the right password; unknown accounts alike.
        let locked = log_in(&app, account, PASSWORD).await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "{account}");
        assert!(
            locked
                .text()
                .await
                .unwrap()
                .contains("Te veel mislukte pogingen")
        );
    }
    assert_eq!(sessions(&app).await, 0);
}

/// Forty wrong passwords for one account at the same moment: exactly the
/// limit is checked, the rest are refused as too many, and none ends in a
/// 503 (an attempt is counted before its password is checked, so a burst
/// cannot pass the limit together). The right password is refused after.
async fn simultaneous_wrong_logins_never_pass_the_limit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_anna(&app);
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let http = app.http.clone();
        let url = app.url("/login");
        burst.spawn(async move {
            http.post(url)
                .form(&[
                    ("email", "anna@regio.example"),
                    ("password", "niet het wachtwoord"),
                ])
                .send()
                .await
                .expect("an answer")
                .status()
        });
    }
    let statuses = burst.join_all().await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked, 5, "{statuses:?}");
    assert_eq!(refused, 35, "{statuses:?}");
    let right = log_in(&app, "anna@regio.example", PASSWORD).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sessions(&app).await, 0);
}

/// A school's teachers share one address: their successful logins do not
/// use up the address's allowance for failures.
async fn successful_logins_do_not_lock_a_shared_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    create_anna(&app);
    for round in 0..35 {
        let login = log_in(&app, "anna@regio.example", PASSWORD).await;
        assert_eq!(login.status(), StatusCode::SEE_OTHER, "login {round}");
    }
}

crate::on_both_databases!(
    simultaneous_wrong_logins_never_pass_the_limit,
    successful_logins_do_not_lock_a_shared_address,
    five_failures_lock_an_account_known_or_not,
    an_idle_or_too_old_session_ends,
    a_coordinator_logs_in_sees_the_staff_page_and_logs_out,
    a_wrong_password_and_an_unknown_account_get_the_same_answer,
    logging_in_again_replaces_the_session,
    a_form_posted_from_another_site_is_refused,
    unreadable_requests_are_refused_in_our_words,
    create_user_refuses_short_passwords_duplicates_and_missing_scopes,
);

/// Two app servers behind a load balancer share one PostgreSQL: a session made
/// on one is valid on the other, and failed logins on both count together.
#[tokio::test]
async fn two_instances_share_sessions_and_login_throttling() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let (_other, other_address) = app.second_instance().await;
    create_user(
        &app,
        "anna@regio.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );

    let login = log_in(&app, "anna@regio.example", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let cookie = login.headers()[header::SET_COOKIE].to_str().unwrap();
    let token = cookie.split(';').next().unwrap().to_owned();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let on_other = plain
        .get(format!("{other_address}/staff"))
        .header(header::COOKIE, token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        on_other.status(),
        StatusCode::OK,
        "the session is valid on the other instance"
    );

    let wrong = [
        ("email", "anna@regio.example"),
        ("password", "niet het wachtwoord"),
    ];
    for attempt in 0..5 {
        let base = if attempt % 2 == 0 {
            app.address.clone()
        } else {
            other_address.clone()
        };
        let response = plain
            .post(format!("{base}/login"))
            .form(&wrong)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let right = [("email", "anna@regio.example"), ("password", PASSWORD)];
    for base in [&app.address, &other_address] {
        let response = plain
            .post(format!("{base}/login"))
            .form(&right)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "locked on {base}"
        );
    }
}
