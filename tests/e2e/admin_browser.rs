//! The staff screens in a real Chromium: a wave from creation to a teacher
//! watching the first submission arrive, and markup in every name an
//! administrator can type shown as text, never run.

use fantoccini::Locator;

use crate::answering_browser::{Given, answer_scripted, enter_code};
use crate::authz::csrf_of;
use crate::browser::Browser;
use crate::helpers::{Backend, TestApp, count, id_of, text};
use crate::staff::{PASSWORD, create_user};

async fn fill(browser: &Browser, id: &str, value: &str) {
    let field = browser.client.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn choose(browser: &Browser, id: &str, value: &str) {
    browser
        .client
        .find(Locator::Css(&format!("#{id} option[value='{value}']")))
        .await
        .unwrap_or_else(|_| panic!("#{id} has an option {value}"))
        .click()
        .await
        .unwrap();
}

/// The submission count in the teacher's one row.
async fn teachers_count(browser: &Browser, app: &TestApp) -> String {
    let c = &browser.client;
    c.goto(&app.url("/staff/counts")).await.unwrap();
    c.find(Locator::Css("#counts td.count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_wave_goes_from_the_coordinator_to_a_class_code_to_the_teachers_count() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let school = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    for (email, args) in [
        (
            "regio@peiling.example",
            vec!["--role", "region-coordinator"],
        ),
        (
            "school@peiling.example",
            vec!["--role", "school-coordinator", "--school", &school],
        ),
        (
            "docent@peiling.example",
            vec!["--role", "teacher", "--school", &school],
        ),
    ] {
        let made = create_user(&app, email, PASSWORD, &args);
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
    }

    // The region coordinator creates the wave and opens it.
    let coordinator = Browser::start().await;
    coordinator
        .log_in(&app, "regio@peiling.example", PASSWORD)
        .await;
    coordinator
        .client
        .goto(&app.url("/staff/waves"))
        .await
        .unwrap();
    fill(&coordinator, "name", "Peiling 2029").await;
    fill(&coordinator, "year", "2029").await;
    coordinator
        .click("form[action='/staff/waves'] button[type=submit]")
        .await;
    coordinator
        .wait_for_text("table.data", "Peiling 2029")
        .await;
    let wave = id_of(&app, "survey_wave WHERE name = 'Peiling 2029'").await;
    coordinator
        .click(&format!("form[action='/staff/waves/{wave}/open'] button"))
        .await;
    coordinator
        .wait_for_text("p.message", "De peiling is open")
        .await;
    coordinator.close().await;

    // The school coordinator registers a class, handing it to the teacher.
    let coordinator_of_school = Browser::start().await;
    coordinator_of_school
        .log_in(&app, "school@peiling.example", PASSWORD)
        .await;
    let c = &coordinator_of_school.client;
    c.goto(&app.url("/staff/classes")).await.unwrap();
    coordinator_of_school
        .wait_for_text("h1", "Heidecollege")
        .await;
    let teacher = id_of(&app, "app_user WHERE email = 'docent@peiling.example'").await;
    choose(&coordinator_of_school, "wave", &wave).await;
    fill(&coordinator_of_school, "label", "2C").await;
    fill(&coordinator_of_school, "year", "2").await;
    fill(&coordinator_of_school, "size", "24").await;
    choose(&coordinator_of_school, "teacher", &teacher).await;
    coordinator_of_school
        .click("form.staff-form button[type=submit]")
        .await;
    coordinator_of_school
        .wait_for_text(".code-sheet", "Klascode")
        .await;
    let shown = c
        .find(Locator::Id("sheet-code"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let stored = text(
        &app.database,
        &format!("SELECT code AS t FROM class_code WHERE wave_id = {wave}"),
    )
    .await;
    assert_eq!(shown.replace('-', ""), stored);
    // The sheet prints on A4 without the navigation.
    let print_rules = c
        .execute(
            r#"const found = [];
               for (const sheet of document.styleSheets) {
                 for (const rule of sheet.cssRules) {
                   if (rule.media && rule.media.mediaText === 'print') found.push(rule.cssText);
                   if (rule instanceof CSSPageRule) found.push('page size: ' + rule.style.getPropertyValue('size'));
                 }
               }
               return found.join('\n');"#,
            vec![],
        )
        .await
        .unwrap();
    let print_rules = print_rules.as_str().unwrap();
    assert!(
        print_rules.to_lowercase().contains("page size: a4"),
        "{print_rules}"
    );
    assert!(print_rules.contains(".staff-nav"), "{print_rules}");
    assert!(
        c.find(Locator::Css(".sheet-qr svg")).await.is_ok(),
        "the sheet shows a QR code"
    );
    coordinator_of_school.close().await;

    // The teacher sees 0, a student answers with the code, the teacher sees 1.
    let teacher = Browser::start().await;
    teacher
        .log_in(&app, "docent@peiling.example", PASSWORD)
        .await;
    assert_eq!(teachers_count(&teacher, &app).await, "0");

    let student = Browser::start().await;
    enter_code(&student, &app, &shown, "nl").await;
    let mut given = Given::new();
    answer_scripted(&student, &mut given).await;
    student.click("[data-review] button[type=submit]").await;
    student.wait_for_text("h1", "Bedankt!").await;
    student.close().await;
    assert_eq!(
        count(
            &app.database,
            &format!("SELECT COUNT(*) AS n FROM response WHERE wave_id = {wave}")
        )
        .await,
        1
    );

    assert_eq!(teachers_count(&teacher, &app).await, "1");
    teacher.close().await;
}

#[tokio::test]
async fn markup_in_every_admin_text_is_shown_as_text() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let made = create_user(
        &app,
        "regio@peiling.example",
        PASSWORD,
        &["--role", "region-coordinator"],
    );
    assert!(made.status.success());
    // The texts are typed through the screens by one session…
    app.post_form(
        "/login",
        &[("email", "regio@peiling.example"), ("password", PASSWORD)],
    )
    .await;
    let csrf = csrf_of(&app.page_in("/staff", "nl").await);
    let evil = |n: u32| {
        format!("<img src=x onerror=\"window.__xss={n}\"><script>window.__xss={n}</script>")
    };
    let municipality = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let school = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    let classes = format!("/staff/schools/{school}/classes");
    let posts: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "/staff/places",
            vec![("what", "municipality".into()), ("value", evil(1))],
        ),
        (
            "/staff/places",
            vec![
                ("what", "village".into()),
                ("municipality", municipality.clone()),
                ("value", evil(2)),
            ],
        ),
        (
            "/staff/places",
            vec![
                ("what", "school".into()),
                ("municipality", municipality.clone()),
                ("value", evil(3)),
            ],
        ),
        (
            "/staff/places",
            vec![
                ("what", "help".into()),
                ("municipality", municipality.clone()),
                ("value", evil(4)),
            ],
        ),
        (
            "/staff/waves",
            vec![
                ("name", evil(5)),
                ("year", "2029".into()),
                ("questionnaire", "standard-v1".into()),
            ],
        ),
        (
            "/staff/users",
            vec![
                ("email", "x@peiling.example".into()),
                ("name", evil(6)),
                ("role", "teacher".into()),
                ("school", school.clone()),
            ],
        ),
        (
            &classes,
            vec![
                ("wave", "1".into()),
                ("label", evil(7)[..40].to_owned()),
                ("year", "2".into()),
                ("size", "20".into()),
            ],
        ),
    ];
    for (path, fields) in posts {
        let mut form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form.push(("csrf", &csrf));
        let response = app.post_form(path, &form).await;
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "{path}: {}",
            response.status()
        );
    }
    assert_eq!(
        count(
            &app.database,
            "SELECT COUNT(*) AS n FROM municipality WHERE name LIKE '<img src=x onerror=%'"
        )
        .await,
        1,
        "the name is stored exactly as typed"
    );

    // …and looked at in a real browser by another.
    let browser = Browser::start().await;
    browser
        .log_in(&app, "regio@peiling.example", PASSWORD)
        .await;
    let c = &browser.client;
    for path in [
        "/staff/places",
        "/staff/waves",
        "/staff/users",
        classes.as_str(),
        "/staff/audit",
    ] {
        c.goto(&app.url(path)).await.unwrap();
        browser.wait_for_text("h1", "").await;
        let ran = c
            .execute(
                "return window.__xss === undefined ? null : window.__xss;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(ran, serde_json::Value::Null, "markup ran on {path}");
        let injected = c
            .find_all(Locator::Css("main img, main script"))
            .await
            .unwrap();
        assert!(injected.is_empty(), "markup became elements on {path}");
        let body = c
            .find(Locator::Css("main"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            body.contains("<img src=x onerror="),
            "the text is shown as typed on {path}"
        );
    }
    browser.close().await;
}
