//! The student survey over plain HTML forms, as on a phone without JavaScript.

use reqwest::{StatusCode, header};

use crate::helpers::{Backend, TestApp, count};

async fn drafts(app: &TestApp) -> i64 {
    count(&app.database, "SELECT COUNT(*) AS n FROM survey_draft").await
}

async fn a_class_code_opens_a_draft_and_the_language_choice(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = app.demo_code().to_lowercase().replace('-', " ");
    let response = app.post_form("/survey", &[("code", code.as_str())]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/survey/language");
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("peiling_draft="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(drafts(&app).await, 1);

    let page = app.get("/survey/language").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for (name, lang) in [
        ("Nederlands", "nl"),
        ("English", "en"),
        ("العربية", "ar"),
        ("Polski", "pl"),
    ] {
        assert!(html.contains(name), "{name} is offered");
        assert!(html.contains(&format!(r#"value="{lang}""#)));
    }
    assert!(!html.contains("<script"), "survey pages need no script");

    let chosen = app.post_form("/survey/language", &[("lang", "ar")]).await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let draft = app.draft().await.expect("a live draft");
    assert_eq!(draft.content.language, "ar");
    assert_eq!(chosen.headers()[header::LOCATION], "/survey/intro");
    let intro = app.get("/survey/intro").await;
    assert_eq!(intro.status(), StatusCode::OK);
    let policy = intro.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("script-src 'self';") && !policy.contains("unsafe"),
        "only the survey script may run: {policy}"
    );
    let intro = intro.text().await.unwrap();
    assert!(
        intro.contains(r#"<script src="/survey/survey.js" defer"#),
        "the intro offers the one-page questionnaire to browsers with script"
    );
    assert!(
        intro.contains(r#"href="/survey/next""#),
        "the start link works without script"
    );
    let script = app.get("/survey/survey.js").await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(
        intro.contains(r#"<html lang="ar" dir="rtl""#),
        "Arabic pages are right to left"
    );
    assert!(
        intro.contains("المشاركة طوعية"),
        "the intro says taking part is voluntary"
    );
}

async fn an_unknown_code_is_refused_in_dutch_and_opens_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.post_form("/survey", &[("code", "ZZZZ-ZZZZ")]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains("Deze klascode kennen we niet"), "{html}");
    assert_eq!(drafts(&app).await, 0);
}

async fn malformed_requests_get_a_clear_4xx_and_open_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mistyped = app.post_form("/survey", &[("code", "K7QM-3XP0")]).await;
    assert_eq!(mistyped.status(), StatusCode::BAD_REQUEST);
    assert!(mistyped.text().await.unwrap().contains("klascode"));

    let missing = app.post_form("/survey", &[("other", "x")]).await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .text()
            .await
            .unwrap()
            .contains("Dit verzoek klopt niet")
    );

    let json = app
        .http
        .post(app.url("/survey"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(r#"{"code":"K7QM3XPA"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        json.text()
            .await
            .unwrap()
            .contains("This request is not right")
    );

    let huge = "A".repeat(1024 * 1024);
    let oversized = app.post_form("/survey", &[("code", huge.as_str())]).await;
    assert_eq!(oversized.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(drafts(&app).await, 0);
}

async fn a_closed_wave_and_a_full_class_refuse_the_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = app.demo_code();
    let stored = code.replace('-', "");

    app.arrange(&format!(
        "UPDATE class_code SET used_count = 31 WHERE code = '{stored}'"
    ))
    .await;
    let full = app.post_form("/survey", &[("code", code.as_str())]).await;
    assert_eq!(full.status(), StatusCode::CONFLICT);
    assert!(full.text().await.unwrap().contains("al genoeg antwoorden"));

    app.arrange("UPDATE survey_wave SET status = 'closed'")
        .await;
    let closed = app.post_form("/survey", &[("code", code.as_str())]).await;
    assert_eq!(closed.status(), StatusCode::CONFLICT);
    assert!(closed.text().await.unwrap().contains("gesloten"));
    assert_eq!(drafts(&app).await, 0);
}

async fn without_a_draft_the_steps_ask_to_start_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let page = app.get_in("/survey/language", "en").await;
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Start again with your class code")
    );
    let post = app.post_form("/survey/language", &[("lang", "nl")]).await;
    assert_eq!(post.status(), StatusCode::BAD_REQUEST);
}

async fn an_unknown_language_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = app.demo_code();
    app.post_form("/survey", &[("code", code.as_str())]).await;
    let response = app.post_form("/survey/language", &[("lang", "xx")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let draft = app.draft().await.expect("a live draft");
    assert_eq!(draft.content.language, "nl");
}

async fn guessing_class_codes_is_stopped(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for guess in 0..60 {
        let code = format!("ZZZZ{:04}", 2222 + guess).replace(['0', '1'], "Z");
        let response = app.post_form("/survey", &[("code", code.as_str())]).await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "guess {guess}: {code}"
        );
    }
    // Now even a real code is refused from this address, with a clear message.
    let code = app.demo_code();
    let stopped = app.post_form("/survey", &[("code", code.as_str())]).await;
    assert_eq!(stopped.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        stopped
            .text()
            .await
            .unwrap()
            .contains("te veel onbekende klascodes")
    );
    assert_eq!(drafts(&app).await, 0);
}

/// A class entering its code at the same moment, some mistyped: every
/// student gets an answer about the code, never "database is locked" (a
/// transaction that read and then wrote while another wrote in between).
async fn a_class_entering_codes_at_once_gets_no_503(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let good = app.demo_code();
    let mut class = tokio::task::JoinSet::new();
    for student in 0..40 {
        let code = if student % 2 == 0 {
            good.clone()
        } else {
            format!("ZZZZ{:04}", 2222 + student).replace(['0', '1'], "Z")
        };
        // Each student has a browser of their own.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let url = app.url("/survey");
        class.spawn(async move {
            http.post(url)
                .form(&[("code", code.as_str())])
                .send()
                .await
                .expect("an answer")
                .status()
        });
    }
    let statuses = class.join_all().await;
    let started = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    let unknown = statuses
        .iter()
        .filter(|s| **s == StatusCode::NOT_FOUND)
        .count();
    assert_eq!((started, unknown), (20, 20), "{statuses:?}");
    assert_eq!(drafts(&app).await, 20);
}

crate::on_both_databases!(
    a_class_entering_codes_at_once_gets_no_503,
    guessing_class_codes_is_stopped,
    a_class_code_opens_a_draft_and_the_language_choice,
    an_unknown_code_is_refused_in_dutch_and_opens_nothing,
    malformed_requests_get_a_clear_4xx_and_open_nothing,
    a_closed_wave_and_a_full_class_refuse_the_code,
    without_a_draft_the_steps_ask_to_start_again,
    an_unknown_language_changes_nothing,
);
