//! Answering the questionnaire without JavaScript: section pages, the review,
//! submitting exactly once, the thank-you page; and the JSON submission.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, count, text};

const RESPONSES: &str = "SELECT COUNT(*) AS n FROM response WHERE wave_id = 1";
const DRAFTS: &str = "SELECT COUNT(*) AS n FROM survey_draft";
const USED: &str =
    "SELECT used_count AS n FROM class_code WHERE id = (SELECT MIN(id) FROM class_code)";

/// Enters the first demo code and picks `lang`; returns the first page's path.
async fn start(app: &TestApp, lang: &str) -> String {
    let code = app.demo_code();
    let started = app.post_form("/survey", &[("code", code.as_str())]).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let chosen = app.post_form("/survey/language", &[("lang", lang)]).await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let next = app.get("/survey/next").await;
    assert_eq!(next.status(), StatusCode::SEE_OTHER);
    location(&next)
}

fn location(response: &reqwest::Response) -> String {
    response.headers()[header::LOCATION]
        .to_str()
        .expect("an ASCII location")
        .to_owned()
}

/// Posts a section form and returns where it leads.
async fn send(app: &TestApp, page: &str, fields: &[(&str, &str)]) -> String {
    let response = app.post_form(page, fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{page}");
    location(&response)
}

/// The value of a hidden field on a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker).expect(name) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

async fn draft_answers(app: &TestApp) -> Value {
    let draft = app.draft().await.expect("a live draft");
    serde_json::to_value(&draft.content.answers).unwrap()
}

async fn a_student_answers_reviews_and_submits_exactly_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.arrange("UPDATE municipality SET help_text = 'Bel <b>Jeugdpunt</b> 0800-1234'")
        .await;
    let first = start(&app, "nl").await;
    assert_eq!(first, "/survey/section/background");

    let page = app.get(&first).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Deel 1 van 11"), "progress is shown");
    assert!(html.contains("Hoe oud ben je?"));
    assert!(html.contains(r#"<label for="q-age""#), "inputs have labels");
    assert!(!html.contains("<script"), "the survey runs without script");

    // Answers on the first page, including a village of the municipality.
    let village = count(
        &app.database,
        "SELECT MIN(v.id) AS n FROM village v JOIN school s ON s.municipality_id = v.municipality_id \
         WHERE s.id = (SELECT school_id FROM class_code WHERE id = (SELECT MIN(id) FROM class_code))",
    )
    .await
    .to_string();
    let next = send(
        &app,
        &first,
        &[
            ("school_year", "2"),
            ("age", "13"),
            ("gender", "2"),
            ("village", village.as_str()),
            ("living_situation", ""),
            ("nav", "next"),
        ],
    )
    .await;
    assert_eq!(next, "/survey/section/alcohol");
    assert_eq!(draft_answers(&app).await["age"], 13);
    assert!(draft_answers(&app).await.get("living_situation").is_none());

    // Never drank: the drinking details are skipped.
    let next = send(
        &app,
        &next,
        &[
            ("alcohol_lifetime", "0"),
            ("alcohol_30d", "0"),
            ("nav", "next"),
        ],
    )
    .await;
    assert_eq!(next, "/survey/section/tobacco");
    assert_eq!(
        app.get("/survey/section/alcohol_details").await.status(),
        StatusCode::SEE_OTHER,
        "a skipped page forwards to the next one"
    );

    // Skip every other question on every page.
    let mut page = next;
    let mut pages = 2;
    while page != "/survey/review" {
        pages += 1;
        assert!(pages < 20, "the pages end");
        page = send(&app, &page, &[("nav", "next")]).await;
    }

    let review = app.get("/survey/review").await;
    assert_eq!(review.status(), StatusCode::OK);
    let review = review.text().await.unwrap();
    assert!(review.contains("Overzicht"));
    assert!(review.contains("Meisje"), "answers are shown in words");
    assert!(
        review.contains("Niet ingevuld"),
        "skipped questions are marked"
    );
    assert!(!review.contains("Hoe vaak ben je de afgelopen 30 dagen dronken"));
    let id = hidden(&review, "submission_id");
    let municipality = hidden(&review, "municipality");
    let form = [
        ("submission_id", id.as_str()),
        ("lang", "nl"),
        ("municipality", municipality.as_str()),
    ];

    let submitted = app.post_form("/survey/submit", &form).await;
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    let thanks = location(&submitted);
    assert!(thanks.starts_with("/survey/thanks?lang=nl"), "{thanks}");
    assert_eq!(count(&app.database, RESPONSES).await, 1);
    assert_eq!(count(&app.database, DRAFTS).await, 0, "the draft is gone");
    assert_eq!(count(&app.database, USED).await, 1);

    // A double click or a reload: the same confirmation, still one response.
    let again = app.post_form("/survey/submit", &form).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&again), thanks);
    assert_eq!(count(&app.database, RESPONSES).await, 1);
    assert_eq!(count(&app.database, USED).await, 1);

    let page = app.get(&thanks).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("Bedankt!"));
    assert!(
        page.contains("Bel &lt;b&gt;Jeugdpunt&lt;/b&gt; 0800-1234"),
        "the municipality's help text is shown as text"
    );

    // What was stored: the answers, the class's school year and the flags, and
    // nothing about the class, the draft or the time.
    let answers: Value = serde_json::from_str(
        &text(
            &app.database,
            "SELECT answers AS t FROM response WHERE wave_id = 1",
        )
        .await,
    )
    .unwrap();
    assert_eq!(answers["age"], 13);
    assert_eq!(answers["alcohol_lifetime"], 0);
    assert_eq!(
        count(
            &app.database,
            "SELECT school_year AS n FROM response WHERE wave_id = 1"
        )
        .await,
        2
    );
    let flags = count(
        &app.database,
        "SELECT validity_flags AS n FROM response WHERE wave_id = 1",
    )
    .await;
    assert_eq!(
        flags, 16,
        "answered in seconds: flagged too fast, and only that"
    );
}

async fn a_refused_page_keeps_the_input_and_saves_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = start(&app, "en").await;

    let refused = app
        .post_form(&first, &[("age", "99"), ("gender", "1"), ("nav", "next")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Enter a number between 10 and 21."));
    assert!(html.contains(r#"value="99""#), "the input is shown again");
    assert!(html.contains(r#"aria-describedby="e-age""#));
    assert_eq!(draft_answers(&app).await, json!({}), "nothing was saved");

    let words = app.post_form(&first, &[("age", "fourteen")]).await;
    assert_eq!(words.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let choice = app.post_form(&first, &[("gender", "7")]).await;
    assert_eq!(choice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        choice
            .text()
            .await
            .unwrap()
            .contains("This answer is not possible.")
    );
    let foreign = app.post_form(&first, &[("alcohol_30d", "1")]).await;
    assert_eq!(
        foreign.status(),
        StatusCode::BAD_REQUEST,
        "another page's item"
    );
    let unknown = app.post_form(&first, &[("password", "1")]).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let missing = app.get("/survey/section/nonsense").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(draft_answers(&app).await, json!({}), "still nothing saved");
}

async fn changing_an_earlier_answer_drops_stale_follow_ups(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    start(&app, "en").await;
    send(
        &app,
        "/survey/section/alcohol",
        &[("alcohol_lifetime", "3"), ("nav", "next")],
    )
    .await;
    let next = send(
        &app,
        "/survey/section/alcohol_details",
        &[("drunk_30d", "1"), ("nav", "back")],
    )
    .await;
    assert_eq!(
        next, "/survey/section/alcohol",
        "back goes to the previous page"
    );
    assert_eq!(draft_answers(&app).await["drunk_30d"], 1);

    // Never drank after all: the details go.
    send(
        &app,
        "/survey/section/alcohol",
        &[("alcohol_lifetime", "0"), ("nav", "next")],
    )
    .await;
    let answers = draft_answers(&app).await;
    assert_eq!(answers["alcohol_lifetime"], 0);
    assert!(answers.get("drunk_30d").is_none(), "{answers}");
}

async fn post_json(app: &TestApp, body: &str) -> reqwest::Response {
    app.http
        .post(app.url("/survey/api/submissions"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("POST")
}

async fn the_json_submission_is_stored_once_and_explains_refusals(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    start(&app, "pl").await;
    let id = "js-0123456789abcdef";

    let invalid = post_json(
        &app,
        &json!({"submission_id": id, "answers": {"age": 99, "nonsense": 1}}).to_string(),
    )
    .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = invalid.json().await.unwrap();
    let keys: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["key"].as_str().unwrap(), e["item"].as_str().unwrap()))
        .collect();
    assert!(keys.contains(&("answer.out_of_range", "age")), "{body}");
    assert!(
        keys.contains(&("answer.unknown_item", "nonsense")),
        "{body}"
    );

    for (malformed, key) in [
        ("{not json", "request.malformed"),
        (
            r#"{"submission_id": "x", "answers": {}}"#,
            "submission.bad_id",
        ),
        (
            r#"{"submission_id": "js-0123456789abcdef", "answers": {"age": "old"}}"#,
            "request.malformed",
        ),
    ] {
        let response = post_json(&app, malformed).await;
        assert!(response.status().is_client_error(), "{malformed}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], key, "{malformed}");
    }
    assert_eq!(
        count(&app.database, RESPONSES).await,
        0,
        "nothing stored yet"
    );

    let body = json!({"submission_id": id, "answers": {"age": 13, "gender": 1}}).to_string();
    let stored = post_json(&app, &body).await;
    assert_eq!(stored.status(), StatusCode::CREATED);
    let reply: Value = stored.json().await.unwrap();
    assert_eq!(reply["status"], "stored");
    assert!(
        reply["thanks"]
            .as_str()
            .unwrap()
            .starts_with("/survey/thanks")
    );

    // The retry after a lost answer: same id, no second response.
    let retried = post_json(&app, &body).await;
    assert_eq!(retried.status(), StatusCode::OK);
    let reply: Value = retried.json().await.unwrap();
    assert_eq!(reply["status"], "already_received");
    assert_eq!(count(&app.database, RESPONSES).await, 1);
    assert_eq!(count(&app.database, USED).await, 1);

    // A new id without a draft is refused with a key the page can translate.
    let other = json!({"submission_id": "js-fedcba9876543210", "answers": {}}).to_string();
    let refused = post_json(&app, &other).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let reply: Value = refused.json().await.unwrap();
    assert_eq!(reply["error"], "draft.expired");
    assert_eq!(count(&app.database, RESPONSES).await, 1);
}

/// Responses, drafts, and submissions counted on the class code.
async fn unchanged(app: &TestApp) -> (i64, i64, i64) {
    (
        count(&app.database, RESPONSES).await,
        count(&app.database, DRAFTS).await,
        count(&app.database, USED).await,
    )
}

async fn submissions_refused_at_the_last_step_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    start(&app, "nl").await;
    let before = unchanged(&app).await;
    assert_eq!(before, (0, 1, 0));
    let body = json!({"submission_id": "late-0123456789abcd", "answers": {"age": 13}});

    // Not JSON, or far too large: the API says so with its key.
    let form = app
        .http
        .post(app.url("/survey/api/submissions"))
        .form(&[("submission_id", "late-0123456789abcd")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        form.json::<Value>().await.unwrap()["error"],
        "request.malformed"
    );
    let huge =
        json!({"submission_id": "late-0123456789abcd", "answers": {}, "pad": "x".repeat(1 << 20)});
    let oversized = post_json(&app, &huge.to_string()).await;
    assert_eq!(oversized.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(unchanged(&app).await, before);

    // The class filled up while this student was answering.
    app.arrange("UPDATE class_code SET used_count = expected_size + 100")
        .await;
    let full = post_json(&app, &body.to_string()).await;
    assert_eq!(full.status(), StatusCode::CONFLICT);
    assert_eq!(
        full.json::<Value>().await.unwrap()["error"],
        "class_code.class_full"
    );
    app.arrange("UPDATE class_code SET used_count = 0").await;

    // The wave closed while this student was answering: in the API and the form.
    app.arrange("UPDATE survey_wave SET status = 'closed'")
        .await;
    let closed = post_json(&app, &body.to_string()).await;
    assert_eq!(closed.status(), StatusCode::CONFLICT);
    assert_eq!(
        closed.json::<Value>().await.unwrap()["error"],
        "wave.closed"
    );
    let review = app.get("/survey/review").await.text().await.unwrap();
    let id = hidden(&review, "submission_id");
    let page = app
        .post_form(
            "/survey/submit",
            &[("submission_id", id.as_str()), ("lang", "nl")],
        )
        .await;
    assert_eq!(page.status(), StatusCode::CONFLICT);
    assert!(page.text().await.unwrap().contains("gesloten"));
    assert_eq!(unchanged(&app).await, before);
}

async fn a_fictitious_drug_is_flagged_at_submission(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    start(&app, "nl").await;
    let body = json!({
        "submission_id": "fictitious-drug-0001",
        "answers": {"drug_plitraxon": 2, "age": 13}
    })
    .to_string();
    assert_eq!(post_json(&app, &body).await.status(), StatusCode::CREATED);
    let flags = count(
        &app.database,
        "SELECT validity_flags AS n FROM response WHERE wave_id = 1",
    )
    .await;
    assert_eq!(flags & 1, 1, "flagged for the drug that does not exist");
}

/// One draft sent ten times at once under ten different ids (two tabs, a
/// double tap): one response is stored and counted; the others are told the
/// answers are in, or (once the draft is gone) that it ended.
async fn one_draft_stores_one_response_whatever_ids_race_on_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    start(&app, "nl").await;
    let before = (
        count(&app.database, RESPONSES).await,
        count(&app.database, USED).await,
    );
    let mut racing = tokio::task::JoinSet::new();
    for n in 0..10 {
        let request = app
            .http
            .post(app.url("/survey/api/submissions"))
            .json(&json!({
                "submission_id": format!("race-{n}-0123456789abcdef"),
                "answers": {"age": 14, "gender": 2, "alcohol_lifetime": 0}
            }));
        racing.spawn(async move { request.send().await.expect("an answer").status() });
    }
    let statuses = racing.join_all().await;
    for status in &statuses {
        assert!(
            *status == StatusCode::CREATED
                || *status == StatusCode::OK
                || *status == StatusCode::BAD_REQUEST,
            "{statuses:?}"
        );
    }
    assert!(statuses.contains(&StatusCode::CREATED), "{statuses:?}");
    assert_eq!(count(&app.database, RESPONSES).await, before.0 + 1);
    assert_eq!(count(&app.database, USED).await, before.1 + 1);
    assert_eq!(count(&app.database, DRAFTS).await, 0);
}

crate::on_both_databases!(
    one_draft_stores_one_response_whatever_ids_race_on_it,
    a_student_answers_reviews_and_submits_exactly_once,
    a_refused_page_keeps_the_input_and_saves_nothing,
    changing_an_earlier_answer_drops_stale_follow_ups,
    the_json_submission_is_stored_once_and_explains_refusals,
    submissions_refused_at_the_last_step_change_nothing,
    a_fictitious_drug_is_flagged_at_submission,
);
