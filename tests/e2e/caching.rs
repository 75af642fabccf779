//! What a shared school laptop's browser may keep: nothing of a student's
//! answers, a staff page or a refusal (`Cache-Control: no-store`), while the
//! survey script is revalidated by its tag instead of downloaded again.

use reqwest::{StatusCode, header};

use crate::helpers::{Backend, TestApp};
use crate::staff::{PASSWORD, create_anna};

fn cache_control(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(header::CACHE_CONTROL)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn answers_and_staff_pages_are_never_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    // A student's way through: the code, the language, a section, the review.
    let code = app.demo_code();
    let started = app.post_form("/survey", &[("code", code.as_str())]).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    assert_eq!(cache_control(&started), "no-store");
    app.post_form("/survey/language", &[("lang", "nl")]).await;
    let mut pages = vec![];
    for path in ["/", "/survey/language", "/survey/intro", "/survey/review"] {
        pages.push((path, app.get(path).await));
    }
    let section = app.get("/survey/next").await;
    let location = section.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    pages.push(("a section", app.get(&location).await));

    // Staff: the login page, a signed-in page, a refusal.
    pages.push(("/login", app.get("/login").await));
    create_anna(&app);
    let login = app
        .post_form(
            "/login",
            &[("email", "anna@regio.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    pages.push(("/staff/users", app.get("/staff/users").await));
    pages.push(("a refusal", app.get("/staff/users/999999").await));

    for (path, response) in &pages {
        assert!(
            !response.status().is_server_error(),
            "{path}: {}",
            response.status()
        );
        assert_eq!(cache_control(response), "no-store", "{path}");
    }
    assert_eq!(pages.last().unwrap().1.status(), StatusCode::NOT_FOUND);
}

async fn the_survey_script_is_revalidated_by_its_tag(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.get("/survey/survey.js").await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(cache_control(&first), "no-cache");
    let tag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert!(tag.starts_with('"') && tag.len() > 10, "{tag}");
    assert!(!first.text().await.unwrap().is_empty());

    let held = app
        .http
        .get(app.url("/survey/survey.js"))
        .header(header::IF_NONE_MATCH, &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(held.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(held.headers()[header::ETAG], tag.as_str());
    assert!(held.text().await.unwrap().is_empty());

    let other = app
        .http
        .get(app.url("/survey/survey.js"))
        .header(header::IF_NONE_MATCH, "\"an-older-version\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK);
    assert!(!other.text().await.unwrap().is_empty());
}

crate::on_both_databases!(
    answers_and_staff_pages_are_never_stored,
    the_survey_script_is_revalidated_by_its_tag,
);
