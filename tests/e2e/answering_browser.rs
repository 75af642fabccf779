//! The survey in a real Chromium: with the survey script (one page, inline
//! checks, retried submission) and without JavaScript (plain forms), each ending
//! in exactly one stored response holding the answers that were clicked.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator, elements::Element};
use serde_json::Value;

use crate::browser::Browser;
use crate::helpers::{Backend, TestApp, count, text};

const RESPONSES: &str = "SELECT COUNT(*) AS n FROM response WHERE wave_id = 1";

/// The answers a test gave, by answer key.
pub type Given = BTreeMap<String, i64>;

/// Enters the first demo code on the home page and picks a language.
async fn enter(browser: &Browser, app: &TestApp, lang: &str) {
    enter_code(browser, app, &app.demo_code(), lang).await;
}

/// Enters `code` on the home page, picks a language and opens the one-page
/// questionnaire.
pub async fn enter_code(browser: &Browser, app: &TestApp, code: &str, lang: &str) {
    let c = &browser.client;
    c.goto(&app.url("/")).await.unwrap();
    let field = c.find(Locator::Id("class-code")).await.unwrap();
    field.send_keys(code).await.unwrap();
    browser.click("form[action='/survey'] button").await;
    c.wait()
        .for_element(Locator::Id(&format!("lang-{lang}")))
        .await
        .unwrap();
    browser.click(&format!("label[for='lang-{lang}']")).await;
    browser
        .click("form[action='/survey/language'] button")
        .await;
    c.wait()
        .for_element(Locator::Css("a[data-scripted]"))
        .await
        .unwrap();
    browser.click("a[data-scripted]").await;
}

async fn attribute(element: &Element, name: &str) -> String {
    element.attr(name).await.unwrap().unwrap_or_default()
}

/// Answers every question shown inside `scope` that has no answer yet: the
/// second option of each choice (so that follow-up questions appear), 14 for a
/// number (or the nearest allowed), the first village. Repeats until no new question appears.
async fn answer_shown(browser: &Browser, scope: &str, given: &mut Given) {
    let c = &browser.client;
    loop {
        let mut answered_now = 0;
        let radios = c
            .find_all(Locator::Css(&format!("{scope} input[type=radio]")))
            .await
            .unwrap();
        let mut groups: BTreeMap<String, Vec<Element>> = BTreeMap::new();
        for radio in radios {
            if radio.is_displayed().await.unwrap_or(false) || label_shown(c, &radio).await {
                groups
                    .entry(attribute(&radio, "name").await)
                    .or_default()
                    .push(radio);
            }
        }
        for (name, options) in groups {
            if given.contains_key(&name) {
                continue;
            }
            let choice = &options[1.min(options.len() - 1)];
            let id = attribute(choice, "id").await;
            browser.click(&format!("label[for='{id}']")).await;
            given.insert(name, attribute(choice, "value").await.parse().unwrap());
            answered_now += 1;
        }
        for (css, is_list) in [("input[type=number]", false), ("select", true)] {
            for input in c
                .find_all(Locator::Css(&format!("{scope} {css}")))
                .await
                .unwrap()
            {
                let name = attribute(&input, "name").await;
                if given.contains_key(&name) || !input.is_displayed().await.unwrap_or(false) {
                    continue;
                }
                if is_list {
                    input.select_by_index(1).await.unwrap();
                } else {
                    let min: i64 = attribute(&input, "min").await.parse().unwrap();
                    let max: i64 = attribute(&input, "max").await.parse().unwrap();
                    let number = 14.clamp(min, max);
                    input.clear().await.unwrap();
                    input.send_keys(&number.to_string()).await.unwrap();
                }
                let value = input.prop("value").await.unwrap().unwrap_or_default();
                given.insert(name, value.parse().unwrap());
                answered_now += 1;
            }
        }
        if answered_now == 0 {
            return;
        }
    }
}

/// Custom-styled radios may be drawn by their label: the label counts.
async fn label_shown(c: &Client, radio: &Element) -> bool {
    let id = attribute(radio, "id").await;
    match c.find(Locator::Css(&format!("label[for='{id}']"))).await {
        Ok(label) => label.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

async fn stored_answers(app: &TestApp) -> Given {
    let json = text(
        &app.database,
        "SELECT answers AS t FROM response WHERE wave_id = 1",
    )
    .await;
    let value: Value = serde_json::from_str(&json).unwrap();
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, code)| (key.clone(), code.as_i64().unwrap()))
        .collect()
}

async fn current_heading(c: &Client, scope: &str) -> String {
    c.find(Locator::Css(&format!("{scope} h1")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

const SHOWN_PAGE: &str = "section.page:not([hidden])";

/// Answers every page of the one-page questionnaire up to the review.
pub async fn answer_scripted(browser: &Browser, given: &mut Given) {
    let c = &browser.client;
    c.wait()
        .for_element(Locator::Css(SHOWN_PAGE))
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let page = c.find(Locator::Css(SHOWN_PAGE)).await.unwrap();
        if page.attr("data-review").await.unwrap().is_some() {
            return;
        }
        let heading = current_heading(c, SHOWN_PAGE).await;
        answer_shown(browser, &format!("{SHOWN_PAGE} .item:not([hidden])"), given).await;
        browser
            .click(&format!("{SHOWN_PAGE} [data-nav=next]"))
            .await;
        // Paging happens in the page: wait until another part is shown.
        while current_heading(c, SHOWN_PAGE).await == heading {
            assert!(Instant::now() < deadline, "stuck on {heading}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test]
async fn a_student_with_script_answers_in_dutch_on_one_page_and_is_stored_once() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let c = &browser.client;
    enter(&browser, &app, "nl").await;
    browser
        .wait_for_text("[data-progress-line]", "Deel 1 van")
        .await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/survey/form"),
        "the script leads to the one-page questionnaire"
    );
    let marker = "window.__peiling_marker = 7;";
    c.execute(marker, vec![]).await.unwrap();

    // An impossible age: the message appears at once, in Dutch, and nothing is sent.
    c.find(Locator::Id("q-age"))
        .await
        .unwrap()
        .send_keys("30")
        .await
        .unwrap();
    browser
        .click(&format!("{SHOWN_PAGE} [data-nav=next]"))
        .await;
    browser
        .wait_for_text("[data-errors]", "Vul een getal tussen 10 en 21 in.")
        .await;
    let marked = c
        .find(Locator::Css("#q-age[aria-invalid=true]"))
        .await
        .expect("the refused answer is marked");
    assert_eq!(
        marked.attr("aria-describedby").await.unwrap().as_deref(),
        Some("e-age"),
        "the message is tied to its field"
    );
    assert_eq!(current_heading(c, SHOWN_PAGE).await, "Over jou");
    assert_eq!(count(&app.database, RESPONSES).await, 0);

    let mut given = Given::new();
    answer_scripted(&browser, &mut given).await;
    browser.wait_for_text("[data-review] h1", "Overzicht").await;
    browser
        .wait_for_text("[data-answered-line]", "vragen beantwoord")
        .await;
    let kept = c
        .execute("return window.__peiling_marker;", vec![])
        .await
        .unwrap();
    assert_eq!(kept, serde_json::json!(7), "paging never loaded a page");

    // Two quick clicks on "send": one response.
    let send = c
        .find(Locator::Css("[data-review] button[type=submit]"))
        .await
        .unwrap();
    send.clone().click().await.unwrap();
    let _ = send.click().await;
    browser.wait_for_text("h1", "Bedankt!").await;
    assert_eq!(count(&app.database, RESPONSES).await, 1);
    assert_eq!(stored_answers(&app).await, given);
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) AS n FROM survey_draft").await,
        0
    );
    browser.close().await;
}

#[tokio::test]
async fn a_student_without_script_answers_in_arabic_right_to_left() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let browser = Browser::without_script().await;
    let c = &browser.client;
    enter(&browser, &app, "ar").await;
    c.wait()
        .for_element(Locator::Css("form.survey-form"))
        .await
        .unwrap();
    let source = c.source().await.unwrap();
    assert!(
        source.contains(r#"<html lang="ar" dir="rtl""#),
        "Arabic pages are right-to-left"
    );
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/survey/section/"),
        "without script the plain forms follow"
    );

    let mut given = Given::new();
    for _ in 0..40 {
        if c.current_url().await.unwrap().path() == "/survey/review" {
            break;
        }
        let before = c.current_url().await.unwrap();
        answer_shown(&browser, "form.survey-form", &mut given).await;
        browser.click("button[name=nav][value=next]").await;
        let deadline = Instant::now() + Duration::from_secs(20);
        while c.current_url().await.unwrap() == before {
            assert!(Instant::now() < deadline, "the page {before} was refused");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    assert_eq!(c.current_url().await.unwrap().path(), "/survey/review");
    let source = c.source().await.unwrap();
    assert!(source.contains(r#"dir="rtl""#));

    // A double click sends the form twice with one submission id: one response.
    let send = c
        .find(Locator::Css(
            "form[action='/survey/submit'] button[type=submit]",
        ))
        .await
        .unwrap();
    send.clone().click().await.unwrap();
    let _ = send.click().await;
    browser.wait_for_text("h1", "شكرًا لك!").await;
    assert_eq!(count(&app.database, RESPONSES).await, 1);
    assert_eq!(stored_answers(&app).await, given);
    browser.close().await;
}

#[tokio::test]
async fn answers_survive_a_dropped_connection_and_are_stored_once_it_returns() {
    let mut app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let c = &browser.client;
    enter(&browser, &app, "nl").await;
    let mut given = Given::new();
    answer_scripted(&browser, &mut given).await;
    browser.wait_for_text("[data-review] h1", "Overzicht").await;

    // The server goes away between the last page and "send".
    app.kill_hard().await;
    browser.click("[data-review] button[type=submit]").await;
    browser
        .wait_for_text("[data-submit-status]", "Er is nu geen verbinding")
        .await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/survey/form"),
        "the answers stay on the page"
    );

    app.restart().await;
    browser.wait_for_text("h1", "Bedankt!").await;
    assert_eq!(count(&app.database, RESPONSES).await, 1);
    assert_eq!(stored_answers(&app).await, given);
    browser.close().await;
}

/// Whether the page fits the window's width without scrolling sideways.
async fn fits_the_width(c: &Client) -> bool {
    let fits = c
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    fits == serde_json::json!(true)
}

async fn active(c: &Client, script: &str) -> Value {
    c.execute(
        &format!("const e = document.activeElement; return {script};"),
        vec![],
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn the_survey_works_by_keyboard_alone_on_a_narrow_phone_screen() {
    const TAB: &str = "\u{E004}";
    const SPACE: &str = "\u{E00D}";
    const ENTER: &str = "\u{E007}";
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let c = &browser.client;
    c.set_window_size(360, 780).await.unwrap();
    enter(&browser, &app, "nl").await;
    browser
        .wait_for_text("[data-progress-line]", "Deel 1 van")
        .await;
    assert!(fits_the_width(c).await, "no sideways scrolling at 360 px");

    // The page's heading has the focus; the first answer is one Tab away.
    assert_eq!(active(c, "e.tagName").await, "H1");
    c.active_element()
        .await
        .unwrap()
        .send_keys(TAB)
        .await
        .unwrap();
    assert_eq!(active(c, "e.id").await, "q-school_year-1");
    c.active_element()
        .await
        .unwrap()
        .send_keys(SPACE)
        .await
        .unwrap();
    assert_eq!(active(c, "e.checked").await, true);
    let outline = active(c, "getComputedStyle(e).outlineStyle").await;
    assert_ne!(outline, "none", "the focus is visible");

    // Tab on to "next" and press Enter: the next part, by keyboard alone.
    for _ in 0..40 {
        if active(c, "e.dataset.nav || ''").await == "next" {
            break;
        }
        c.active_element()
            .await
            .unwrap()
            .send_keys(TAB)
            .await
            .unwrap();
    }
    assert_eq!(active(c, "e.dataset.nav").await, "next");
    let outline = active(c, "getComputedStyle(e).outlineStyle").await;
    assert_ne!(outline, "none", "the focused button shows it");
    c.active_element()
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    browser
        .wait_for_text(&format!("{SHOWN_PAGE} h1"), "Alcohol")
        .await;
    browser
        .wait_for_text("[data-progress-line]", "Deel 2 van")
        .await;
    assert!(fits_the_width(c).await);

    // The plain forms fit the phone too.
    c.goto(&app.url("/survey/section/background"))
        .await
        .unwrap();
    browser.wait_for_text("h1", "Over jou").await;
    assert!(fits_the_width(c).await, "the plain form fits at 360 px");
    browser.close().await;
}
