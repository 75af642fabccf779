//! The administration screens over HTTP: creating accounts with a one-time
//! link, changing one's password, waves through their life, places and the
//! threshold, registering classes — each change in the audit log, every form
//! refused without the session's token, markup stored and shown as text.

use reqwest::{StatusCode, header};

use crate::authz::csrf_of;
use crate::helpers::{Backend, TestApp, count, id_of, text};
use crate::staff::{PASSWORD, create_user};

async fn coordinator(app: &TestApp) -> String {
    let made = create_user(
        app,
        "regio@peiling.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let login = app
        .post_form(
            "/login",
            &[("email", "regio@peiling.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    csrf_of(&app.page_in("/staff", "en").await)
}

/// The one-time link a page shows.
fn link_of(html: &str) -> String {
    let at = html
        .find("id=\"reset-link\"")
        .unwrap_or_else(|| panic!("the page shows a link: {html}"));
    let start = html[at..].find('>').unwrap() + at + 1;
    let end = html[start..].find('<').unwrap() + start;
    html[start..end].to_owned()
}

async fn audit_entries(app: &TestApp, action: &str) -> i64 {
    count(
        &app.database,
        &format!("SELECT COUNT(*) AS n FROM audit_log WHERE action = '{action}'"),
    )
    .await
}

async fn a_new_account_chooses_its_password_with_a_link_that_works_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    let school = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    let created = app
        .post_form(
            "/staff/users",
            &[
                ("csrf", &csrf),
                ("email", "Docent@School.example"),
                ("name", "Piet Docent"),
                ("role", "teacher"),
                ("school", &school),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let link = link_of(&created.text().await.unwrap());
    let path = link
        .split_once("/reset/")
        .map(|(_, token)| format!("/reset/{token}"))
        .unwrap();
    assert_eq!(
        audit_entries(&app, "user.created").await,
        2,
        "the command line's and the screen's"
    );
    assert_eq!(count(&app.database, "SELECT COUNT(*) AS n FROM app_user WHERE email = 'docent@school.example' AND role = 'teacher'").await, 1);

    let teacher = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let form = teacher.get(app.url(&path)).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let mismatch = teacher
        .post(app.url(&path))
        .form(&[
            ("new", "een lang nieuw wachtwoord"),
            ("repeat", "iets anders"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        mismatch.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a refused form keeps the link alive"
    );
    let set = teacher
        .post(app.url(&path))
        .form(&[
            ("new", "een lang nieuw wachtwoord"),
            ("repeat", "een lang nieuw wachtwoord"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    let confirmed = teacher
        .get(app.url(set.headers()[header::LOCATION].to_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert!(
        confirmed
            .text()
            .await
            .unwrap()
            .contains("Je nieuwe wachtwoord is opgeslagen")
    );
    let again = teacher
        .post(app.url(&path))
        .form(&[
            ("new", "nog een ander wachtwoord"),
            ("repeat", "nog een ander wachtwoord"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "the link works once");
    assert_eq!(
        teacher.get(app.url(&path)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    let login = |password: &'static str| {
        teacher
            .post(app.url("/login"))
            .form(&[("email", "docent@school.example"), ("password", password)])
            .send()
    };
    assert_eq!(
        login("nog een ander wachtwoord").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login("een lang nieuw wachtwoord").await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
}

async fn an_expired_link_and_a_made_up_one_do_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    let user = id_of(&app, "app_user WHERE email = 'regio@peiling.example'").await;
    let issued = app
        .post_form(&format!("/staff/users/{user}/reset"), &[("csrf", &csrf)])
        .await;
    assert_eq!(issued.status(), StatusCode::OK);
    let link = link_of(&issued.text().await.unwrap());
    let path = format!("/reset/{}", link.rsplit('/').next().unwrap());
    app.arrange("UPDATE password_reset SET expires_at = '2000-01-01 00:00:00+00:00'")
        .await;
    let hash_before = text(
        &app.database,
        "SELECT password_hash AS t FROM app_user WHERE email = 'regio@peiling.example'",
    )
    .await;
    for path in [
        path.as_str(),
        "/reset/0000000000000000000000000000000000000000000000000000000000000000",
        "/reset/<script>",
    ] {
        let response = app
            .post_form(
                path,
                &[
                    ("new", "een lang nieuw wachtwoord"),
                    ("repeat", "een lang nieuw wachtwoord"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        text(
            &app.database,
            "SELECT password_hash AS t FROM app_user WHERE email = 'regio@peiling.example'"
        )
        .await,
        hash_before
    );
}

async fn changing_ones_password_needs_the_current_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    let wrong = app
        .post_form(
            "/staff/password",
            &[
                ("csrf", &csrf),
                ("current", "niet het wachtwoord"),
                ("new", "een lang nieuw wachtwoord"),
                ("repeat", "een lang nieuw wachtwoord"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Het huidige wachtwoord klopt niet")
    );
    let short = app
        .post_form(
            "/staff/password",
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new", "kort"),
                ("repeat", "kort"),
            ],
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(audit_entries(&app, "user.password_changed").await, 0);
    let changed = app
        .post_form(
            "/staff/password",
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new", "een lang nieuw wachtwoord"),
                ("repeat", "een lang nieuw wachtwoord"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(audit_entries(&app, "user.password_changed").await, 1);
}

/// A password change signs the account out everywhere else and kills every
/// reset link made before it; the browser that changed it stays signed in.
async fn a_password_change_ends_other_sessions_and_open_reset_links(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    let elsewhere = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let login = elsewhere
        .post(app.url("/login"))
        .form(&[("email", "regio@peiling.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let staff_page = |client: &reqwest::Client| client.get(app.url("/staff")).send();
    assert_eq!(
        staff_page(&elsewhere).await.unwrap().status(),
        StatusCode::OK
    );
    let user = id_of(&app, "app_user WHERE email = 'regio@peiling.example'").await;
    let issued = app
        .post_form(&format!("/staff/users/{user}/reset"), &[("csrf", &csrf)])
        .await;
    let link = link_of(&issued.text().await.unwrap());
    let reset = format!("/reset/{}", link.rsplit('/').next().unwrap());
    assert_eq!(app.get(&reset).await.status(), StatusCode::OK);

    let changed = app
        .post_form(
            "/staff/password",
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new", "een lang nieuw wachtwoord"),
                ("repeat", "een lang nieuw wachtwoord"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);

    let signed_out = staff_page(&elsewhere).await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_out.headers()[reqwest::header::LOCATION], "/login");
    assert_eq!(app.get("/staff").await.status(), StatusCode::OK);
    assert_eq!(app.get(&reset).await.status(), StatusCode::NOT_FOUND);
    let used = app
        .post_form(
            &reset,
            &[
                ("new", "nog een ander lang wachtwoord"),
                ("repeat", "nog een ander lang wachtwoord"),
            ],
        )
        .await;
    assert_eq!(used.status(), StatusCode::NOT_FOUND);
}

/// Someone at an unlocked laptop cannot try passwords on the password page
/// faster than at the login: after five wrong ones, even the right one waits.
async fn the_current_password_is_throttled_like_a_login(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    let change = |current: &'static str| {
        let csrf = csrf.clone();
        let app = &app;
        async move {
            app.post_form(
                "/staff/password",
                &[
                    ("csrf", csrf.as_str()),
                    ("current", current),
                    ("new", "een lang nieuw wachtwoord"),
                    ("repeat", "een lang nieuw wachtwoord"),
                ],
            )
            .await
        }
    };
    for attempt in 1..=5 {
        let wrong = change("niet het wachtwoord").await;
        assert_eq!(
            wrong.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{attempt}"
        );
    }
    let right = change(PASSWORD).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(right.text().await.unwrap().contains("Te veel pogingen"));
    assert_eq!(audit_entries(&app, "user.password_changed").await, 0);
}

async fn every_admin_form_needs_the_sessions_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let _ = coordinator(&app).await;
    let school = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/staff/users".into(),
            vec![
                ("email", "x@y.example"),
                ("name", "X"),
                ("role", "region_coordinator"),
            ],
        ),
        (
            "/staff/waves".into(),
            vec![
                ("name", "Peiling 2028"),
                ("year", "2028"),
                ("questionnaire", "standard-v1"),
            ],
        ),
        ("/staff/waves/1/close".into(), vec![]),
        (
            "/staff/places".into(),
            vec![("what", "municipality"), ("value", "Nieuwgem")],
        ),
        (
            format!("/staff/schools/{school}/classes"),
            vec![
                ("wave", "1"),
                ("label", "2C"),
                ("year", "2"),
                ("size", "25"),
            ],
        ),
        (
            "/staff/password".into(),
            vec![
                ("current", PASSWORD),
                ("new", "een lang nieuw wachtwoord"),
                ("repeat", "een lang nieuw wachtwoord"),
            ],
        ),
    ];
    let tables = [
        "app_user",
        "survey_wave",
        "municipality",
        "class_code",
        "audit_log",
    ];
    let mut before = vec![];
    for table in tables {
        before.push(count(&app.database, &format!("SELECT COUNT(*) AS n FROM {table}")).await);
    }
    for (path, fields) in forms {
        for token in [None, Some("f".repeat(64))] {
            let mut form = fields.clone();
            if let Some(token) = &token {
                form.push(("csrf", token));
            }
            let response = app.post_form(&path, &form).await;
            let status = response.status();
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::BAD_REQUEST,
                "{path} with token {token:?}: {status}"
            );
        }
    }
    let status = text(
        &app.database,
        "SELECT status AS t FROM survey_wave WHERE id = 1",
    )
    .await;
    assert_eq!(status, "open");
    for (table, before) in tables.iter().zip(before) {
        assert_eq!(
            count(&app.database, &format!("SELECT COUNT(*) AS n FROM {table}")).await,
            before,
            "{table}"
        );
    }
}

async fn a_wave_is_created_opened_closed_and_reopened_with_a_reason(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    let created = app
        .post_form(
            "/staff/waves",
            &[
                ("csrf", &csrf),
                ("name", "Peiling 2028"),
                ("year", "2028"),
                ("questionnaire", "standard-v1"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let wave = id_of(&app, "survey_wave WHERE year = 2028").await;
    let status_sql = format!("SELECT status AS t FROM survey_wave WHERE id = {wave}");
    let status = || text(&app.database, &status_sql);
    assert_eq!(status().await, "planned");
    let app = &app;
    let csrf = &csrf;
    let wave = &wave;
    let step = |step: &'static str, reason: &'static str| async move {
        app.http
            .post(app.url(&format!("/staff/waves/{wave}/{step}")))
            .form(&[("csrf", csrf.as_str()), ("reason", reason)])
            .send()
            .await
            .unwrap()
    };
    assert_eq!(
        step("close", "").await.status(),
        StatusCode::CONFLICT,
        "a planned wave cannot close"
    );
    assert_eq!(step("open", "").await.status(), StatusCode::OK);
    assert_eq!(status().await, "open");
    assert_eq!(step("close", "").await.status(), StatusCode::OK);
    assert_eq!(status().await, "closed");
    assert_eq!(
        count(
            &app.database,
            &format!("SELECT COUNT(*) AS n FROM wave_release WHERE wave_id = {wave}")
        )
        .await,
        1
    );
    assert_eq!(
        step("reopen", "  ").await.status(),
        StatusCode::CONFLICT,
        "reopening needs a reason"
    );
    assert_eq!(status().await, "closed");
    assert_eq!(
        step("reopen", "Twee scholen kregen de codes te laat")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(status().await, "open");
    let detail = text(
        &app.database,
        "SELECT detail AS t FROM audit_log WHERE action = 'wave.reopened'",
    )
    .await;
    assert!(
        detail.contains("Twee scholen kregen de codes te laat"),
        "{detail}"
    );
    for action in [
        "wave.created",
        "wave.opened",
        "wave.closed",
        "wave.released",
    ] {
        let entries = count(
            &app.database,
            &format!("SELECT COUNT(*) AS n FROM audit_log WHERE action = '{action}' AND subject = 'wave:{wave}'"),
        )
        .await;
        assert_eq!(entries, 1, "{action}");
    }
    assert_eq!(step("explode", "").await.status(), StatusCode::NOT_FOUND);
    let log = app.page_in("/staff/audit", "en").await;
    assert!(
        log.contains("wave.reopened") && log.contains("Audit log"),
        "{log}"
    );
}

async fn markup_in_names_is_stored_and_shown_as_text(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let saved = app
        .post_form(
            "/staff/places",
            &[("csrf", &csrf), ("what", "municipality"), ("value", evil)],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(
        text(
            &app.database,
            &format!("SELECT name AS t FROM municipality WHERE name = '{evil}'")
        )
        .await,
        evil
    );
    // A help text is shown back in a textarea, whose content browsers read
    // as raw text up to the first `</textarea>`.
    let municipality = id_of(&app, "municipality ORDER BY id DESC LIMIT 1").await;
    let escape = "</textarea><img src=x onerror=alert(3)>";
    let saved = app
        .post_form(
            "/staff/places",
            &[
                ("csrf", &csrf),
                ("what", "help"),
                ("municipality", &municipality),
                ("value", escape),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let page = app.page_in("/staff/places", "en").await;
    assert!(!page.contains(evil), "markup is never sent as markup");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<img"), "the help text stays in its field");
    assert!(
        page.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(3)&gt;</textarea>"),
        "{page}"
    );
}

async fn the_threshold_never_goes_below_the_floor(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    for bad in ["4", "9", "-1", "tien", ""] {
        let refused = app
            .post_form(
                "/staff/places",
                &[("csrf", &csrf), ("what", "threshold"), ("value", bad)],
            )
            .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "k = {bad:?}"
        );
    }
    assert_eq!(
        text(
            &app.database,
            "SELECT CAST(suppression_k AS TEXT) AS t FROM region"
        )
        .await,
        "10"
    );
    let raised = app
        .post_form(
            "/staff/places",
            &[("csrf", &csrf), ("what", "threshold"), ("value", "15")],
        )
        .await;
    assert_eq!(raised.status(), StatusCode::OK);
    assert_eq!(
        text(
            &app.database,
            "SELECT CAST(suppression_k AS TEXT) AS t FROM region"
        )
        .await,
        "15"
    );
    assert_eq!(audit_entries(&app, "region.threshold_changed").await, 1);
}

async fn a_school_coordinator_registers_a_class_and_gets_its_sheet(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let school = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    let made = create_user(
        &app,
        "school@peiling.example",
        PASSWORD,
        &["--role", "school-coordinator", "--school", &school],
    );
    assert!(made.status.success());
    app.post_form(
        "/login",
        &[("email", "school@peiling.example"), ("password", PASSWORD)],
    )
    .await;
    let csrf = csrf_of(&app.page_in("/staff", "en").await);
    let codes_before = count(&app.database, "SELECT COUNT(*) AS n FROM class_code").await;
    let path = format!("/staff/schools/{school}/classes");
    for (field, bad) in [("year", "9"), ("size", "0"), ("label", ""), ("wave", "999")] {
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("wave", "1"),
            ("label", "2C"),
            ("year", "2"),
            ("size", "25"),
        ];
        form.retain(|(name, _)| *name != field);
        form.push((field, bad));
        let refused = app.post_form(&path, &form).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} = {bad}"
        );
    }
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) AS n FROM class_code").await,
        codes_before
    );
    let made = app
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("wave", "1"),
                ("label", "2C"),
                ("year", "2"),
                ("size", "25"),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let sheet_path = made.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let sheet = app.page_in(&sheet_path, "en").await;
    let code = text(
        &app.database,
        "SELECT code AS t FROM class_code WHERE label = '2C'",
    )
    .await;
    let grouped = format!("{}-{}", &code[..4], &code[4..]);
    assert!(sheet.contains(&grouped), "the sheet shows the code");
    assert!(
        sheet.contains("<svg"),
        "the sheet carries the QR code as a drawing"
    );
    assert!(sheet.contains("For the teacher"));
    let detail = text(
        &app.database,
        "SELECT detail AS t FROM audit_log WHERE action = 'class.registered'",
    )
    .await;
    assert!(
        !detail.contains(&code),
        "the audit log never holds a class code"
    );
}

async fn a_changed_role_applies_at_once_and_a_deactivated_account_is_signed_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    let school = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    let made = create_user(
        &app,
        "school@peiling.example",
        PASSWORD,
        &["--role", "school-coordinator", "--school", &school],
    );
    assert!(made.status.success());
    let user = id_of(&app, "app_user WHERE email = 'school@peiling.example'").await;
    let other = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let login = other
        .post(app.url("/login"))
        .form(&[("email", "school@peiling.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let classes = format!("/staff/schools/{school}/classes");
    assert_eq!(
        other.get(app.url(&classes)).send().await.unwrap().status(),
        StatusCode::OK
    );

    // Made a teacher: the classes screen is gone on the next request.
    let path = format!("/staff/users/{user}");
    let changed = app
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("name", "Sam School"),
                ("role", "teacher"),
                ("school", &school),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(
        other.get(app.url(&classes)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(audit_entries(&app, "user.changed").await, 1);

    // A teacher needs a school; refused, nothing changes.
    let refused = app
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("name", "Sam School"),
                ("role", "teacher"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(audit_entries(&app, "user.changed").await, 1);

    // Deactivated: signed out everywhere and unable to log in.
    let off = app
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("name", "Sam School"),
                ("role", "teacher"),
                ("school", &school),
            ],
        )
        .await;
    assert_eq!(off.status(), StatusCode::OK);
    let after = other.get(app.url("/staff")).send().await.unwrap();
    assert_eq!(after.headers()[header::LOCATION], "/login");
    let again = other
        .post(app.url("/login"))
        .form(&[("email", "school@peiling.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);

    // The coordinator cannot lock themselves out.
    let me = id_of(&app, "app_user WHERE email = 'regio@peiling.example'").await;
    let demoted = app
        .post_form(
            &format!("/staff/users/{me}"),
            &[
                ("csrf", &csrf),
                ("name", "Regio"),
                ("role", "teacher"),
                ("school", &school),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(demoted.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text(
            &app.database,
            &format!("SELECT role AS t FROM app_user WHERE id = {me}")
        )
        .await,
        "region_coordinator"
    );
    assert_eq!(
        app.get("/staff/users/999999").await.status(),
        StatusCode::NOT_FOUND
    );
}

/// A NUL byte or another control character in any field of any form: a 400
/// in the reader's language on both databases, and nothing changed.
async fn control_characters_in_a_form_are_refused_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let csrf = coordinator(&app).await;
    let changes = "SELECT (SELECT COUNT(*) FROM municipality) + (SELECT COUNT(*) FROM app_user) \
         + (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM survey_draft) AS n";
    let before = count(&app.database, changes).await;
    let forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/login",
            vec![
                ("email", "regio\u{0}@peiling.example"),
                ("password", PASSWORD),
            ],
        ),
        (
            "/staff/places",
            vec![
                ("csrf", &csrf),
                ("what", "municipality"),
                ("value", "Dorp\u{0}"),
            ],
        ),
        (
            "/staff/users",
            vec![
                ("csrf", &csrf),
                ("email", "nieuw@peiling.example"),
                ("name", "Nieuw\u{1b}[31m"),
                ("role", "teacher"),
            ],
        ),
        ("/survey", vec![("code", "ABCD\u{0}EFGH")]),
    ];
    for (path, form) in forms {
        let response = app
            .http
            .post(app.url(path))
            .header(reqwest::header::ACCEPT_LANGUAGE, "en")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains("Nothing was changed"), "{path}: {page}");
    }
    assert_eq!(count(&app.database, changes).await, before);
    // Line breaks are text: a help text keeps them.
    let municipality = id_of(&app, "municipality ORDER BY id LIMIT 1").await;
    let saved = app
        .post_form(
            "/staff/places",
            &[
                ("csrf", &csrf),
                ("what", "help"),
                ("municipality", &municipality),
                ("value", "Bel de huisarts.\r\nOf 0800-0432."),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
}

crate::on_both_databases!(
    control_characters_in_a_form_are_refused_and_change_nothing,
    a_changed_role_applies_at_once_and_a_deactivated_account_is_signed_out,
    a_new_account_chooses_its_password_with_a_link_that_works_once,
    an_expired_link_and_a_made_up_one_do_nothing,
    changing_ones_password_needs_the_current_one,
    the_current_password_is_throttled_like_a_login,
    a_password_change_ends_other_sessions_and_open_reset_links,
    every_admin_form_needs_the_sessions_token,
    a_wave_is_created_opened_closed_and_reopened_with_a_reason,
    markup_in_names_is_stored_and_shown_as_text,
    the_threshold_never_goes_below_the_floor,
    a_school_coordinator_registers_a_class_and_gets_its_sheet,
);
