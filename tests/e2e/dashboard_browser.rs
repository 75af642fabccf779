//! The dashboards in a real Chromium: an alderman's way through the figures,
//! a school coordinator stopped at another school, and an accessibility check
//! (axe-core from the npm registry, injected into the page) on the survey, a
//! dashboard and a report.

use fantoccini::Locator;
use reqwest::StatusCode;

use crate::answering_browser::enter_code;
use crate::browser::Browser;
use crate::dashboard::{ALDERMAN, page_table};
use crate::helpers::{Backend, TestApp, id_of, workspace_root};

/// A download the page links to, fetched with the browser's own session.
async fn download(browser: &Browser, app: &TestApp, href: &str) -> Vec<u8> {
    let cookies = browser.client.get_all_cookies().await.unwrap();
    let header = cookies
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let response = reqwest::Client::new()
        .get(app.url(href))
        .header("cookie", header)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{href}");
    response.bytes().await.unwrap().to_vec()
}

async fn href(browser: &Browser, css: &str) -> String {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("a link {css}"))
        .attr("href")
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn an_alderman_follows_the_municipality_to_a_village_an_earlier_wave_downloads_and_the_report()
 {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::start().await;
    browser.log_in(&app, ALDERMAN, "peiling-demo").await;
    browser.click("a[href='/dashboard']").await;
    browser.wait_for_text("h1", "Cijfers").await;
    browser.click("a[href^='/dashboard/municipality-']").await;
    browser.wait_for_text("h1", "Heidebroek").await;
    browser.wait_for_text(".subtitle", "Peiling 2026").await;

    // To a village of the municipality.
    browser
        .click("a.related-place[href^='/dashboard/village-']")
        .await;
    browser.wait_for_text(".subtitle", "Peiling 2026").await;
    let village = browser
        .client
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_ne!(village, "Heidebroek (gemeente)");

    // An earlier wave through the filter form.
    let wave_2022 = id_of(&app, "survey_wave WHERE year = 2022").await;
    browser
        .client
        .find(Locator::Css(&format!(
            "select[name='wave'] option[value='{wave_2022}']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.click("form.filters button").await;
    browser.wait_for_text(".subtitle", "Peiling 2022").await;
    let url = browser.client.current_url().await.unwrap();
    assert!(url.as_str().contains(&format!("wave={wave_2022}")), "{url}");

    // The downloads the page links to hold the numbers the page shows.
    let html = browser.client.source().await.unwrap();
    let shown = page_table(&html, "domain-substance-use");
    let csv_href = href(
        &browser,
        "a.download-csv[data-table='domain-substance-use']",
    )
    .await;
    let csv = String::from_utf8(download(&browser, &app, &csv_href).await).unwrap();
    let xlsx_href = href(
        &browser,
        "a.download-xlsx[data-table='domain-substance-use']",
    )
    .await;
    let xlsx = download(&browser, &app, &xlsx_href).await;
    assert!(xlsx.starts_with(b"PK"), "an XLSX is a zip archive");
    let mut compared = 0;
    for row in &shown[1..] {
        let Some(number) = row[1].strip_suffix(" %") else {
            continue;
        };
        // The Dutch CSV writes the page's decimal comma, fields split by ';'.
        let line = csv
            .lines()
            .find(|l| l.starts_with(&row[0]) || l.starts_with(&format!("\"{}", row[0])))
            .unwrap_or_else(|| panic!("the CSV has {}", row[0]));
        assert!(
            line.split(';').any(|field| field == number),
            "{}: page {number}, CSV {line}",
            row[0]
        );
        compared += 1;
    }
    assert!(compared > 0, "the village shows figures in 2022");

    // The printable report of the same selection.
    browser.click("a.report-link").await;
    browser
        .wait_for_text("h2", "Belangrijkste uitkomsten")
        .await;
    let report = browser.client.source().await.unwrap();
    assert_eq!(page_table(&report, "domain-substance-use"), shown);
    browser.close().await;
}

#[tokio::test]
async fn a_school_coordinator_cannot_open_another_schools_dashboard_in_the_browser() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let own = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    let other = id_of(&app, "school WHERE name = 'Maarland College'").await;
    let browser = Browser::start().await;
    browser
        .log_in(&app, "school@heidecollege.example", "peiling-demo")
        .await;
    browser
        .client
        .goto(&app.url(&format!("/dashboard/school-{own}")))
        .await
        .unwrap();
    browser.wait_for_text("h1", "Heidecollege").await;
    for path in [
        format!("/dashboard/school-{other}"),
        format!("/dashboard/school-{other}/report"),
        format!("/dashboard/school-{other}/download/all.xlsx"),
    ] {
        browser.client.goto(&app.url(&path)).await.unwrap();
        browser.wait_for_text("p.message", "bestaat niet").await;
        let source = browser.client.source().await.unwrap();
        assert!(
            !source.contains("Maarland"),
            "{path} names nothing of the school"
        );
    }
    browser.close().await;
}

/// The serious and critical axe-core violations on the page now open.
pub async fn accessibility_violations(browser: &Browser) -> Vec<String> {
    let axe = std::fs::read_to_string(
        workspace_root().join("tests/a11y/node_modules/axe-core/axe.min.js"),
    )
    .expect("axe-core is installed (the README's test command installs it)");
    browser.client.execute(&axe, vec![]).await.unwrap();
    let found = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — '
                   + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test]
async fn the_survey_a_dashboard_and_a_report_have_no_serious_accessibility_violations() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let browser = Browser::start().await;
    let mut problems = vec![];

    browser.client.goto(&app.url("/")).await.unwrap();
    problems.extend(
        accessibility_violations(&browser)
            .await
            .into_iter()
            .map(|v| format!("home: {v}")),
    );
    enter_code(&browser, &app, &app.demo_code(), "nl").await;
    problems.extend(
        accessibility_violations(&browser)
            .await
            .into_iter()
            .map(|v| format!("survey: {v}")),
    );

    browser.log_in(&app, ALDERMAN, "peiling-demo").await;
    for path in [
        format!("/dashboard/municipality-{heidebroek}"),
        format!("/dashboard/municipality-{heidebroek}/report"),
    ] {
        browser.client.goto(&app.url(&path)).await.unwrap();
        browser.wait_for_text("h1", "Heidebroek").await;
        problems.extend(
            accessibility_violations(&browser)
                .await
                .into_iter()
                .map(|v| format!("{path}: {v}")),
        );
    }
    browser.close().await;
    assert!(problems.is_empty(), "{problems:#?}");
}
