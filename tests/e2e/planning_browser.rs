//! Prevention planning in a real Chromium: an alderman sets a goal from a
//! dashboard row, adds an action to it, and finds the goal on the trend chart
//! and in the printable report; a youth worker records actions in their own
//! villages only. The plan pages are checked with axe.

use fantoccini::Locator;

use crate::browser::Browser;
use crate::dashboard::{ALDERMAN, page_table};
use crate::dashboard_browser::accessibility_violations;
use crate::helpers::{Backend, TestApp, count, id_of};

const VAPING: &str = "Gevapet in de afgelopen 30 dagen";

async fn type_into(browser: &Browser, id: &str, text: &str) {
    let field = browser.client.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

#[tokio::test]
async fn an_alderman_goes_from_a_figure_to_a_goal_with_an_action_and_reads_it_in_the_report() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let browser = Browser::start().await;
    browser.log_in(&app, ALDERMAN, "peiling-demo").await;
    browser.click("a[href='/dashboard']").await;
    browser.click("a[href^='/dashboard/municipality-']").await;
    browser.wait_for_text(".subtitle", "Peiling 2026").await;

    // One click from the row to the goal form.
    browser
        .client
        .find(Locator::XPath(&format!(
            "//tr[th[normalize-space()='{VAPING}']]//a[contains(@class,'set-goal')]"
        )))
        .await
        .expect("a goal link in the vaping row")
        .click()
        .await
        .unwrap();
    browser.wait_for_text("h1", "Doel stellen").await;
    browser.wait_for_text(".baseline", VAPING).await;
    type_into(&browser, "target", "10").await;
    type_into(&browser, "target_year", "2030").await;
    type_into(&browser, "rationale", "Minder vapen op en rond school").await;
    browser.click("form[action$='/goals'] button").await;
    browser
        .wait_for_text(".message.ok", "Het doel is opgeslagen")
        .await;
    let plan = browser.client.source().await.unwrap();
    let goals = page_table(&plan, "goals");
    let row = goals
        .iter()
        .find(|r| r[0] == VAPING)
        .expect("the goal on the plan");
    assert_eq!(row[7], "te vroeg");

    // An action for the goal.
    type_into(&browser, "title", "Vapevrije school").await;
    type_into(&browser, "organisation", "Heidecollege").await;
    let goal_id = id_of(&app, "goal WHERE indicator = 'vape_30d'").await;
    browser
        .client
        .find(Locator::Css(&format!("#goal option[value='{goal_id}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .client
        .find(Locator::Css("#domain option[value='school']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.click("#factor-friends_smoke_vape").await;
    browser.click("#new-action button").await;
    browser
        .wait_for_text(".message.ok", "De actie is opgeslagen")
        .await;
    let plan = browser.client.source().await.unwrap();
    let actions = page_table(&plan, "actions");
    let action = actions
        .iter()
        .find(|r| r[0] == "Vapevrije school")
        .expect("the action on the plan");
    assert_eq!(action[1], "Heidebroek", "the place");
    assert_eq!(action[8], VAPING, "the action belongs to the goal");
    assert_eq!(action[9], "Vrienden die roken of vapen");
    let violations = accessibility_violations(&browser).await;
    assert!(violations.is_empty(), "the plan: {violations:#?}");

    // The goal on the trend chart of vaping, and in the report.
    browser
        .client
        .goto(&app.url(&format!(
            "/dashboard/municipality-{heidebroek}?indicator=vape_30d"
        )))
        .await
        .unwrap();
    browser
        .wait_for_text("#goals h2", "Doelen en hun voortgang")
        .await;
    let chart = browser
        .client
        .find(Locator::Css("svg[id^='trend-vape_30d'], figure.chart svg"))
        .await
        .unwrap()
        .html(false)
        .await
        .unwrap();
    assert!(
        chart.contains("Doel: 10,0 % in 2030"),
        "the goal in the chart's key"
    );
    assert!(chart.contains("2030"), "the target year on the axis");
    browser.click("a.report-link").await;
    browser
        .wait_for_text("#goals h2", "Doelen en hun voortgang")
        .await;
    let report = browser.client.source().await.unwrap();
    let reported = page_table(&report, "goals");
    assert!(
        reported
            .iter()
            .any(|r| r[0] == VAPING && r[7] == "te vroeg")
    );
    browser.close().await;
}

#[tokio::test]
async fn a_youth_worker_records_actions_in_their_own_villages_only() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let westdorp = id_of(&app, "village WHERE name = 'Westdorp'").await;
    let zandhoeve = id_of(&app, "village WHERE name = 'Zandhoeve'").await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let browser = Browser::start().await;
    browser
        .log_in(&app, "jongerenwerk@heidebroek.example", "peiling-demo")
        .await;
    browser.click("a[href='/planning']").await;
    browser.wait_for_text("h1", "Preventieplannen").await;
    let list = browser.client.source().await.unwrap();
    assert!(list.contains(&format!("/planning/village-{westdorp}")));
    assert!(!list.contains(&format!("/planning/village-{zandhoeve}")));
    assert!(!list.contains(&format!("/planning/municipality-{heidebroek}\"")));
    browser
        .click(&format!("a[href='/planning/village-{westdorp}']"))
        .await;
    browser.wait_for_text("h1", "Westdorp").await;
    assert!(
        browser
            .client
            .find(Locator::Css("a.set-goal, form[action$='/goals']"))
            .await
            .is_err(),
        "no goals for a youth worker to set"
    );
    let before = count(&app.database, "SELECT COUNT(*) AS n FROM prevention_action").await;
    type_into(&browser, "title", "Zomeravonden").await;
    type_into(&browser, "organisation", "Jongerenwerk").await;
    browser.click("#new-action button").await;
    browser
        .wait_for_text(".message.ok", "De actie is opgeslagen")
        .await;
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) AS n FROM prevention_action").await,
        before + 1
    );
    for other in [
        format!("/planning/village-{zandhoeve}"),
        format!("/planning/municipality-{heidebroek}"),
    ] {
        browser.client.goto(&app.url(&other)).await.unwrap();
        browser.wait_for_text(".message", "").await;
        let page = browser.client.source().await.unwrap();
        assert!(!page.contains("Nieuwe actie"), "{other} is not theirs");
    }
    browser.close().await;
}
