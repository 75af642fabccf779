//! Prevention planning over real HTTP on the demo region: a goal set from a
//! dashboard row, its status on the plan, the dashboard, the report and the
//! downloads; actions and the cycle in their scopes; every bad input refused
//! with a reason and nothing changed.

use reqwest::StatusCode;

use crate::authz::csrf_of;
use crate::dashboard::{ALDERMAN, csv_rows, fetch, fetch_bytes, page_table, signed_in};
use crate::helpers::{Backend, TestApp, count, id_of};
use crate::releases::post;

const YOUTH_WORKER: &str = "jongerenwerk@heidebroek.example";
const REGION: &str = "regio@heuvelland.example";

/// The `href` of the "set a goal" link in the row of `label` on a dashboard.
fn goal_link(html: &str, label: &str) -> String {
    let row = html
        .split("<tr>")
        .find(|row| row.contains(&format!(">{label}<")) && row.contains("set-goal"))
        .unwrap_or_else(|| panic!("a row for {label} with a goal link"));
    let (_, rest) = row.split_once("href=\"/planning/").unwrap();
    format!(
        "/planning/{}",
        rest.split('"').next().unwrap().replace("&amp;", "&")
    )
}

/// The value of a hidden field of a form.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("a field {name}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

async fn goals(app: &TestApp) -> i64 {
    count(&app.database, "SELECT COUNT(*) AS n FROM goal").await
}

async fn a_goal_set_on_a_figure_is_followed_everywhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let place = format!("municipality-{heidebroek}");
    let alderman = signed_in(&app, ALDERMAN).await;

    // One click from the dashboard row to the goal form, with the baseline.
    let (status, dashboard) = fetch(&alderman, &app, &format!("/dashboard/{place}")).await;
    assert_eq!(status, StatusCode::OK);
    let link = goal_link(&dashboard, "Gevapet in de afgelopen 30 dagen");
    let (status, form) = fetch(&alderman, &app, &link).await;
    assert_eq!(status, StatusCode::OK, "{link}");
    assert!(form.contains("Beginwaarde"), "the form names its baseline");
    let csrf = csrf_of(&form);
    let fields = |target: &str, year: &str, rationale: &str| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("indicator".to_owned(), hidden(&form, "indicator")),
            ("who".to_owned(), hidden(&form, "who")),
            ("wave".to_owned(), hidden(&form, "wave")),
            ("target".to_owned(), target.to_owned()),
            ("target_year".to_owned(), year.to_owned()),
            ("domain".to_owned(), "school".to_owned()),
            ("rationale".to_owned(), rationale.to_owned()),
        ]
    };
    let send = async |form: Vec<(String, String)>| {
        let response = alderman
            .post(app.url(&format!("/planning/{place}/goals")))
            .form(&form)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    };

    // Bad input: each refused with its reason in Dutch, nothing stored.
    let before = goals(&app).await;
    let audit = count(&app.database, "SELECT COUNT(*) AS n FROM audit_log").await;
    let long = "x".repeat(2001);
    let refusals: [(&str, &str, &str, &str); 6] = [
        ("150", "2030", "", "percentage van 0 tot 100"),
        ("abc", "2030", "", "percentage van 0 tot 100"),
        ("10", "2024", "", "na het jaar van de beginwaarde"),
        ("60", "2030", "", "minstens 3 procentpunt lager"),
        ("10", "2030", &long, "te lang"),
        (
            "10",
            "2030",
            "<script>alert(1)</script>",
            "zonder &lt; of &gt;",
        ),
    ];
    for (target, year, rationale, reason) in refusals {
        let (status, page) = send(fields(target, year, rationale)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{target} {year}");
        assert!(page.contains(reason), "{target} {year}: says {reason}");
        assert!(page.contains("Er is niets opgeslagen"), "{target} {year}");
    }
    let mut unknown = fields("10", "2030", "");
    unknown[1].1 = "no_such_indicator".to_owned();
    let (status, page) = send(unknown).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Deze indicator bestaat niet"));
    assert_eq!(goals(&app).await, before, "no refused goal was stored");
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) AS n FROM audit_log").await,
        audit,
        "nothing was audited"
    );

    // A goal on a suppressed figure is refused with the reason: the hamlet.
    let zandhoeve = id_of(&app, "village WHERE name = 'Zandhoeve'").await;
    let wave = hidden(&form, "wave");
    let (status, page) = fetch(
        &alderman,
        &app,
        &format!("/planning/village-{zandhoeve}/goals/new?indicator=vape_30d&who=all&wave={wave}"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Dit cijfer wordt niet getoond"), "{page}");

    // A good goal is stored, audited, and shown with a status and its reason.
    let (status, _) = send(fields("10", "2030", "Rookvrije generatie")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(goals(&app).await, before + 1);
    let (status, plan) = fetch(&alderman, &app, &format!("/planning/{place}")).await;
    assert_eq!(status, StatusCode::OK);
    let table = page_table(&plan, "goals");
    assert!(plan.contains("/remove"), "the alderman may remove goals");
    let row = table
        .iter()
        .find(|row| row[0] == "Gevapet in de afgelopen 30 dagen")
        .expect("the new goal on the plan");
    assert_eq!(
        row[7], "te vroeg",
        "no wave after the baseline yet: {row:?}"
    );
    assert!(row[8].contains("nog geen peiling na 2026"), "{row:?}");
    assert_eq!(row[9], "Rookvrije generatie");
    // The demo's goals show every other status.
    for status in ["bereikt", "op koers", "niet op koers"] {
        assert!(
            table.iter().any(|r| r[7] == status),
            "a goal {status}: {table:?}"
        );
    }

    // The same rows on the dashboard, in the report, and in the downloads.
    let (_, dashboard) = fetch(&alderman, &app, &format!("/dashboard/{place}")).await;
    assert_eq!(page_table(&dashboard, "goals"), table, "dashboard = plan");
    let (_, report) = fetch(&alderman, &app, &format!("/dashboard/{place}/report")).await;
    assert!(report.contains("Doelen en hun voortgang"));
    assert_eq!(page_table(&report, "goals"), table, "report = plan");
    let reported_actions = page_table(&report, "actions");
    let planned_actions = page_table(&plan, "actions");
    assert_eq!(
        reported_actions, planned_actions,
        "the report lists the plan's actions"
    );
    assert!(
        reported_actions.len() > 1,
        "the demo's actions are in the report"
    );
    let (status, csv) = fetch_bytes(
        &alderman,
        &app,
        &format!("/planning/{place}/download/goals.csv"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv_rows(&csv);
    assert_eq!(csv.len(), table.len(), "as many rows in the CSV");
    for (page_row, csv_row) in table.iter().zip(&csv) {
        assert_eq!(page_row[0], csv_row[0]);
        assert_eq!(page_row[7], csv_row[7], "the status");
        assert_eq!(page_row[8], csv_row[8], "the reason");
    }
    // The trend chart of the goal's indicator draws it.
    let indicator = hidden(&form, "indicator");
    let (_, chart) = fetch(
        &alderman,
        &app,
        &format!("/dashboard/{place}?indicator={indicator}"),
    )
    .await;
    assert!(
        chart.contains("Doel: 10,0 % in 2030"),
        "the goal's key on the chart"
    );

    // Removal asks for a confirmation, then removes.
    let id = id_of(
        &app,
        &format!("goal WHERE indicator = '{indicator}' AND place = '{place}'"),
    )
    .await;
    let remove = format!("/planning/{place}/goals/{id}/remove");
    let (status, page) = post(&alderman, &app, &remove, &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("niets verwijderd"));
    assert_eq!(goals(&app).await, before + 1);
    let (status, _) = post(
        &alderman,
        &app,
        &remove,
        &[("csrf", &csrf), ("confirm", "yes")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(goals(&app).await, before);
}

async fn actions_and_the_cycle_stay_in_their_scope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let westdorp = id_of(&app, "village WHERE name = 'Westdorp'").await;
    let zandhoeve = id_of(&app, "village WHERE name = 'Zandhoeve'").await;
    let worker = signed_in(&app, YOUTH_WORKER).await;
    let (status, plan) = fetch(&worker, &app, &format!("/planning/village-{westdorp}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        plan.contains("Nieuwe actie"),
        "a youth worker records actions"
    );
    assert!(!plan.contains("Nieuw doel"), "but sets no goals");
    let csrf = csrf_of(&plan);
    let actions =
        async || count(&app.database, "SELECT COUNT(*) AS n FROM prevention_action").await;
    let before = actions().await;
    let action = |title: &str, start: &str, end: &str, status: &str, budget: &str| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("title".to_owned(), title.to_owned()),
            ("organisation".to_owned(), "Jongerenwerk".to_owned()),
            ("domain".to_owned(), "leisure".to_owned()),
            ("starts_on".to_owned(), start.to_owned()),
            ("ends_on".to_owned(), end.to_owned()),
            ("status".to_owned(), status.to_owned()),
            ("budget".to_owned(), budget.to_owned()),
            ("factor.sport_club_weekly".to_owned(), "on".to_owned()),
        ]
    };
    let send = async |place: String, form: Vec<(String, String)>| {
        let response = worker
            .post(app.url(&format!("/planning/{place}/actions")))
            .form(&form)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    };
    let own = format!("village-{westdorp}");
    let refusals = [
        (
            action("", "2026-09-01", "", "planned", ""),
            "Vul dit veld in",
        ),
        (
            action("Zomer", "2026-09-01", "2026-01-01", "planned", ""),
            "niet voor de begindatum",
        ),
        (
            action("Zomer", "1 september", "", "planned", ""),
            "jjjj-mm-dd",
        ),
        (
            action("Zomer", "2026-09-01", "", "maybe", ""),
            "Kies een stand",
        ),
        (
            action("Zomer", "2026-09-01", "", "planned", "-5"),
            "hele euro",
        ),
        (
            action("<b>Zomer</b>", "2026-09-01", "", "planned", ""),
            "zonder &lt; of &gt;",
        ),
    ];
    for (form, reason) in refusals {
        let (status, page) = send(own.clone(), form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reason}");
        assert!(page.contains(reason), "says {reason}");
    }
    let mut foreign_factor = action("Zomer", "2026-09-01", "", "planned", "");
    foreign_factor.push(("factor.no_such_factor".to_owned(), "on".to_owned()));
    let (status, page) = send(own.clone(), foreign_factor).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("uit de lijst"));
    assert_eq!(actions().await, before, "nothing refused was stored");

    // In the own village: stored with its factor, listed, updated.
    let (status, _) = send(
        own.clone(),
        action("Zomerprogramma", "2026-07-01", "", "planned", "2500"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(actions().await, before + 1);
    let (_, plan) = fetch(&worker, &app, &format!("/planning/{own}")).await;
    let table = page_table(&plan, "actions");
    let row = table
        .iter()
        .find(|r| r[0] == "Zomerprogramma")
        .expect("the action is listed");
    assert_eq!(row[1], "Westdorp", "the place");
    assert_eq!(row[3], "gepland");
    assert_eq!(row[7], "2500");
    assert_eq!(
        row[9], "Sport minstens wekelijks bij een club",
        "its factor"
    );
    let id = id_of(&app, "prevention_action WHERE title = 'Zomerprogramma'").await;
    let (status, _) = post(
        &worker,
        &app,
        &format!("/planning/{own}/actions/{id}"),
        &[("csrf", &csrf), ("status", "running"), ("ends_on", "")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, plan) = fetch(&worker, &app, &format!("/planning/{own}?status=running")).await;
    let table = page_table(&plan, "actions");
    assert!(
        table.iter().skip(1).all(|r| r[3] == "loopt"),
        "the filter: {table:?}"
    );
    assert!(table.iter().any(|r| r[0] == "Zomerprogramma"));
    let (status, _) = fetch(&worker, &app, &format!("/planning/{own}?status=sometimes")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown filter is said");

    // Not in a village of someone else, nor in the municipality, nor through
    // another place's path.
    for place in [
        format!("village-{zandhoeve}"),
        format!("municipality-{heidebroek}"),
    ] {
        let (status, _) = send(
            place.clone(),
            action("Zomer", "2026-09-01", "", "planned", ""),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{place}");
    }
    let (status, _) = post(
        &worker,
        &app,
        &format!("/planning/village-{zandhoeve}/actions/{id}"),
        &[("csrf", &csrf), ("status", "done")],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an action through another place"
    );
    assert_eq!(actions().await, before + 1);
    let cycle = format!("/planning/municipality-{heidebroek}/cycle");
    let (status, _) = post(&worker, &app, &cycle, &[("csrf", &csrf), ("step", "1")]).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the cycle is the municipality's"
    );

    // The municipality keeps its cycle; the region sees it beside the others.
    let alderman = signed_in(&app, ALDERMAN).await;
    let (_, plan) = fetch(
        &alderman,
        &app,
        &format!("/planning/municipality-{heidebroek}"),
    )
    .await;
    let csrf = csrf_of(&plan);
    // The municipality's plan lists its villages' actions too, by place.
    let listed = page_table(&plan, "actions");
    assert!(
        listed
            .iter()
            .any(|r| r[0] == "Zomerprogramma" && r[1] == "Westdorp"),
        "the youth worker's action in the municipality's plan: {listed:?}"
    );
    let open_wave = id_of(&app, "survey_wave WHERE status = 'open'").await;
    for (form, reason) in [
        (
            vec![("step", "11"), ("wave", open_wave.as_str())],
            "stap van 1 tot 10",
        ),
        (
            vec![("step", "5"), ("wave", "999999")],
            "peiling uit de lijst",
        ),
        (
            vec![
                ("step", "5"),
                ("wave", open_wave.as_str()),
                ("done_on", "gisteren"),
            ],
            "jjjj-mm-dd",
        ),
    ] {
        let mut form = form;
        form.push(("csrf", &csrf));
        let (status, page) = post(&alderman, &app, &cycle, &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reason}");
        assert!(page.contains(reason), "{reason}");
    }
    let (status, _) = post(
        &alderman,
        &app,
        &cycle,
        &[
            ("csrf", &csrf),
            ("wave", &open_wave),
            ("step", "5"),
            ("done_on", "2026-11-20"),
            ("owner", "Wethouder"),
            ("note", "Avond in het dorpshuis"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, plan) = fetch(
        &alderman,
        &app,
        &format!("/planning/municipality-{heidebroek}?wave={open_wave}"),
    )
    .await;
    assert!(
        plan.contains("5 / 10 stappen afgerond"),
        "four demo steps and this one"
    );
    let region = signed_in(&app, REGION).await;
    let (status, overview) = fetch(&region, &app, "/planning").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        overview.matches("data-municipality=").count(),
        5,
        "every municipality"
    );
    assert!(overview.contains("Doelen die niet op koers zijn"));
    let (_, mine) = fetch(&alderman, &app, "/planning").await;
    assert_eq!(
        mine.matches("data-municipality=").count(),
        1,
        "the alderman's own only"
    );
}

crate::on_both_databases!(
    a_goal_set_on_a_figure_is_followed_everywhere,
    actions_and_the_cycle_stay_in_their_scope
);
