//! The home page, the language switch and the health endpoint over real HTTP.

use reqwest::{StatusCode, header};

use crate::helpers::{Backend, TestApp};

async fn health_reports_a_reachable_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

async fn the_home_page_speaks_dutch_by_default(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<html lang="nl""#), "{html}");
    assert!(html.contains("Hoe gaat het met de jongeren in jouw dorp?"));
    assert!(
        html.contains(r#"name="code""#),
        "the class code field is on the page"
    );
    assert!(
        html.contains(r#"href="/login""#),
        "staff find where to log in"
    );
    assert!(
        html.contains("/pkg/peiling.js"),
        "the page loads its hydration script"
    );
}

async fn an_english_browser_gets_english(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let html = app.page_in("/", "en-GB,en;q=0.9").await;
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("How are the young people in your village doing?"));
}

async fn the_language_form_works_without_javascript(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .post_form("/language", &[("lang", "en"), ("back", "/")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/");
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("peiling_lang=en;"), "{cookie}");
    // The cookie store now carries the choice, whatever the browser prefers.
    let html = app.page_in("/", "nl").await;
    assert!(html.contains("Student? Start here"));
}

async fn the_language_form_refuses_bad_input_and_foreign_redirects(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Refused in the reader's language.
    for (language, words) in [
        ("en", "We do not know this language"),
        ("nl", "Deze taal kennen we niet"),
    ] {
        let unknown = app
            .http
            .post(app.url("/language"))
            .header(header::ACCEPT_LANGUAGE, language)
            .form(&[("lang", "xx")])
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
        assert!(unknown.text().await.unwrap().contains(words), "{language}");
    }

    let missing = app.post_form("/language", &[("back", "/")]).await;
    assert!(missing.status().is_client_error(), "{}", missing.status());

    let elsewhere = app
        .post_form("/language", &[("lang", "nl"), ("back", "//evil.example/")])
        .await;
    assert_eq!(elsewhere.headers()[header::LOCATION], "/");

    let oversized = "x".repeat(300 * 1024);
    let too_big = app
        .post_form("/language", &[("lang", "nl"), ("back", oversized.as_str())])
        .await;
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

async fn an_unknown_address_gets_a_helpful_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get_in("/does-not-exist", "en").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

async fn every_response_carries_security_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/", "/health", "/nowhere", "/pkg/peiling.css"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
    }
}

async fn the_browser_bundle_is_served_compressed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for asset in ["/pkg/peiling.js", "/pkg/peiling.wasm", "/pkg/peiling.css"] {
        let response = app
            .http
            .get(app.url(asset))
            .header(header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
        assert_eq!(
            response.headers()[header::CONTENT_ENCODING],
            "gzip",
            "{asset}"
        );
    }
}

async fn pages_carry_a_content_security_policy_they_satisfy(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let home = app.get("/").await;
    let policy = home.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = home.text().await.unwrap();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the policy names a nonce");
    assert!(
        html.contains(&format!(r#"<script type="module" nonce="{nonce}""#)),
        "{html}"
    );
    assert!(policy.contains("frame-ancestors 'none'"));
    assert!(!policy.contains("unsafe-inline"));

    let again = app.get("/").await;
    let other = again.headers()["content-security-policy"].to_str().unwrap();
    assert_ne!(other, policy, "a fresh nonce for every response");

    let health = app.get("/health").await;
    let strict = health.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(strict.contains("script-src 'none'"), "{strict}");
}

crate::on_both_databases!(
    pages_carry_a_content_security_policy_they_satisfy,
    health_reports_a_reachable_database,
    the_home_page_speaks_dutch_by_default,
    an_english_browser_gets_english,
    the_language_form_works_without_javascript,
    the_language_form_refuses_bad_input_and_foreign_redirects,
    an_unknown_address_gets_a_helpful_404,
    every_response_carries_security_headers,
    the_browser_bundle_is_served_compressed,
);
