//! The server killed with SIGKILL while students are submitting: after a
//! restart every submission that was answered with success is stored, none
//! twice, and the ones that got no answer go through on their retry.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tokio::sync::Mutex;

use crate::helpers::{Backend, TestApp, count};

/// One student's browser: its own cookies (the draft) and submission id.
struct Student {
    http: reqwest::Client,
    id: String,
    confirmed: bool,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("HTTP client")
}

/// Enters the code and a language; `None` when the server did not answer.
async fn begin(address: &str, code: &str) -> Option<reqwest::Client> {
    let http = client();
    let started = http
        .post(format!("{address}/survey"))
        .form(&[("code", code)])
        .send()
        .await
        .ok()?;
    if started.status() != StatusCode::SEE_OTHER {
        return None;
    }
    let chosen = http
        .post(format!("{address}/survey/language"))
        .form(&[("lang", "nl")])
        .send()
        .await
        .ok()?;
    (chosen.status() == StatusCode::SEE_OTHER).then_some(http)
}

async fn submit(address: &str, student: &Student) -> Option<StatusCode> {
    let body = json!({
        "submission_id": student.id,
        "answers": {"age": 14, "gender": 2, "alcohol_lifetime": 0}
    });
    let response = student
        .http
        .post(format!("{address}/survey/api/submissions"))
        .json(&body)
        .send()
        .await
        .ok()?;
    // Only a complete reply counts as an answer the student saw.
    let status = response.status();
    response.bytes().await.ok()?;
    Some(status)
}

/// Eight students at a time keep submitting until the server is killed in the
/// middle of them; every student who started, with whether they saw an answer.
async fn submit_until_killed(app: &mut TestApp) -> Vec<Student> {
    let code = app.demo_code();
    let address = app.address.clone();
    let students: Arc<Mutex<Vec<Student>>> = Arc::default();

    // Eight students at a time keep submitting until the server is gone.
    let mut workers = Vec::new();
    for worker in 0..8 {
        let (address, code, students) = (address.clone(), code.clone(), students.clone());
        workers.push(tokio::spawn(async move {
            for n in 0.. {
                let Some(http) = begin(&address, &code).await else {
                    return;
                };
                let mut student = Student {
                    http,
                    id: format!("crash-{worker}-{n}-{}", uuid::Uuid::new_v4().simple()),
                    confirmed: false,
                };
                let answered = submit(&address, &student).await;
                student.confirmed = answered == Some(StatusCode::CREATED);
                assert!(
                    answered.is_none() || student.confirmed,
                    "a live server refused a valid submission: {answered:?}"
                );
                students.lock().await.push(student);
                if answered.is_none() {
                    return;
                }
            }
        }));
    }
    // Let submissions flow, then pull the plug in the middle of them.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.kill_hard().await;
    for worker in workers {
        worker.await.expect("a student task");
    }

    std::mem::take(&mut *students.lock().await)
}

async fn submissions_answered_before_a_kill_are_all_stored_once(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    app.arrange("UPDATE class_code SET expected_size = 10000")
        .await;
    let mut students = submit_until_killed(&mut app).await;
    // The kill can fall while every student is still opening the survey, with
    // no submission in flight; then start the server again and repeat.
    for _ in 0..3 {
        if students.iter().any(|s| !s.confirmed) {
            break;
        }
        app.restart().await;
        students.extend(submit_until_killed(&mut app).await);
    }
    let confirmed = students.iter().filter(|s| s.confirmed).count();
    let unanswered = students.len() - confirmed;
    println!("{confirmed} submissions confirmed before the kill, {unanswered} unanswered");
    assert!(
        confirmed > 0,
        "some submissions were answered before the kill"
    );
    assert!(unanswered > 0, "the kill met submissions in flight");

    app.restart().await;
    let stored = count(
        &app.database,
        "SELECT COUNT(*) AS n FROM response WHERE wave_id = 1",
    )
    .await;
    let receipts = count(
        &app.database,
        "SELECT COUNT(*) AS n FROM submission_receipt",
    )
    .await;
    assert_eq!(stored, receipts, "one receipt per response");
    assert!(
        stored >= confirmed as i64,
        "{stored} stored, {confirmed} were confirmed"
    );
    assert!(stored <= students.len() as i64);

    // Every student retries as the page would: confirmed ones are recognised,
    // the rest are stored now — each exactly once.
    for student in &students {
        let status = submit(&app.address, student)
            .await
            .expect("the restarted server answers");
        if student.confirmed {
            assert_eq!(status, StatusCode::OK, "a confirmed submission is known");
        } else {
            assert!(
                status == StatusCode::OK || status == StatusCode::CREATED,
                "a retry after the kill: {status}"
            );
        }
    }
    let stored = count(
        &app.database,
        "SELECT COUNT(*) AS n FROM response WHERE wave_id = 1",
    )
    .await;
    assert_eq!(stored, students.len() as i64, "every student counted once");
    let used = count(&app.database, "SELECT SUM(used_count) AS n FROM class_code").await;
    assert_eq!(used, stored, "the class code counted each response once");
}

crate::on_both_databases!(submissions_answered_before_a_kill_are_all_stored_once);
