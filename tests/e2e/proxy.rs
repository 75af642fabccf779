//! Peiling behind a reverse proxy that terminates HTTPS: links, the form
//! origin check and cookies follow the configured public URL, and the client
//! address for throttling comes from `X-Forwarded-For` only when a trusted
//! proxy wrote it.

use reqwest::{StatusCode, header};

use crate::authz::csrf_of;
use crate::helpers::{Backend, TestApp, id_of};
use crate::staff::{PASSWORD, create_user};

const PUBLIC: &str = "https://peiling.example";

/// The value of the `peiling_session` cookie a response sets.
fn session_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find_map(|c| c.strip_prefix("peiling_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

async fn links_origins_and_cookies_follow_the_public_url(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[
            ("PEILING_PUBLIC_URL", PUBLIC),
            ("PEILING_TRUSTED_PROXIES", "127.0.0.1"),
        ],
    )
    .await;
    create_user(
        &app,
        "regio@peiling.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    let login = |origin: &str| {
        app.http
            .post(app.url("/login"))
            .header(header::ORIGIN, origin)
            .form(&[("email", "regio@peiling.example"), ("password", PASSWORD)])
            .send()
    };
    // The proxy's own address is not where people come from.
    let direct = login(&app.address).await.unwrap();
    assert_eq!(direct.status(), StatusCode::FORBIDDEN);

    let through = login(PUBLIC).await.unwrap();
    assert_eq!(through.status(), StatusCode::SEE_OTHER);
    for cookie in through.headers().get_all(header::SET_COOKIE) {
        assert!(cookie.to_str().unwrap().ends_with("; Secure"), "{cookie:?}");
    }
    assert_eq!(
        through.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    let cookie = format!("peiling_session={}", session_of(&through));

    // A reset link points at the public URL whatever `Host` the request had.
    let home = app
        .http
        .get(app.url("/staff"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    let csrf = csrf_of(&home.text().await.unwrap());
    let user = id_of(&app, "app_user WHERE email = 'regio@peiling.example'").await;
    let issued = app
        .http
        .post(app.url(&format!("/staff/users/{user}/reset")))
        .header(header::COOKIE, &cookie)
        .header(header::HOST, "evil.example")
        .header(header::ORIGIN, PUBLIC)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), StatusCode::OK);
    let page = issued.text().await.unwrap();
    assert!(page.contains("https://peiling.example/reset/"), "{page}");
    assert!(!page.contains("evil.example"), "{page}");

    // A student's draft cookie is Secure too.
    let code = app.demo_code();
    let started = app
        .http
        .post(app.url("/survey"))
        .form(&[("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let draft = started.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        draft.starts_with("peiling_draft=") && draft.ends_with("; Secure"),
        "{draft}"
    );
}

/// Thirty failed logins (each for another unknown account) forwarded for the
/// addresses in `from` in turn, then one more for `next`: whether that one is
/// refused as too many.
async fn locked_after_failures(app: &TestApp, from: &[&str], next: &str) -> bool {
    for (attempt, forwarded) in from.iter().cycle().take(30).enumerate() {
        let failed = app
            .http
            .post(app.url("/login"))
            .header("x-forwarded-for", *forwarded)
            .form(&[
                ("email", format!("nobody{attempt}@peiling.example").as_str()),
                ("password", "niet het wachtwoord"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED, "{attempt}");
    }
    let last = app
        .http
        .post(app.url("/login"))
        .header("x-forwarded-for", next)
        .form(&[
            ("email", "someone@peiling.example"),
            ("password", "niet het wachtwoord"),
        ])
        .send()
        .await
        .unwrap();
    last.status() == StatusCode::TOO_MANY_REQUESTS
}

async fn the_client_address_comes_from_a_trusted_proxy_only(backend: Backend) {
    // Behind a trusted proxy: one school's failures lock that school only.
    let behind = TestApp::spawn_with(backend, &[("PEILING_TRUSTED_PROXIES", "127.0.0.1")]).await;
    assert!(
        !locked_after_failures(&behind, &["203.0.113.7"], "203.0.113.8").await,
        "another school's address is not locked"
    );
    assert!(
        locked_after_failures(&behind, &[], "203.0.113.7").await,
        "the address that failed thirty times is"
    );

    // Without one, a forged header changes nothing: all count as one peer.
    let open = TestApp::spawn(backend).await;
    let forged: Vec<String> = (1..=30).map(|i| format!("198.51.100.{i}")).collect();
    let forged: Vec<&str> = forged.iter().map(String::as_str).collect();
    assert!(locked_after_failures(&open, &forged, "198.51.100.99").await);
}

crate::on_both_databases!(
    links_origins_and_cookies_follow_the_public_url,
    the_client_address_comes_from_a_trusted_proxy_only,
);
