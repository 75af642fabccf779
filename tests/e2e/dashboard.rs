//! The dashboards over real HTTP on the demo region: what each role reaches,
//! downloads that carry the page's numbers and no more, suppression in every
//! form a figure takes — counts included —, charts that are well-formed SVG
//! with the numbers beside them.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;

use surveys::ValidityFlag;
use surveys::synthetic::synthetic_responses;

use crate::helpers::{Backend, TestApp, id_of};

const DEMO_PASSWORD: &str = "peiling-demo";
pub const ALDERMAN: &str = "gemeente@heidebroek.example";
const SCHOOL: &str = "school@heidecollege.example";
const YOUTH_WORKER: &str = "jongerenwerk@heidebroek.example";
const REGION: &str = "regio@heuvelland.example";
const TEACHER: &str = "docent@heidecollege.example";

/// A client signed in with a demo account.
pub async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let login = http
        .post(app.url("/login"))
        .form(&[("email", email), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER, "{email} logs in");
    http
}

pub async fn fetch(http: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = http.get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

pub async fn fetch_bytes(
    http: &reqwest::Client,
    app: &TestApp,
    path: &str,
) -> (StatusCode, Vec<u8>) {
    let response = http.get(app.url(path)).send().await.unwrap();
    (response.status(), response.bytes().await.unwrap().to_vec())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    unescape(text.trim())
}

/// The header and body cells of the page's table `name`, as text.
pub fn page_table(html: &str, name: &str) -> Vec<Vec<String>> {
    let marker = format!("data-table=\"{name}\"");
    let start = html
        .match_indices("<table")
        .map(|(at, _)| at)
        .find(|&at| html[at..at + html[at..].find('>').unwrap()].contains(&marker))
        .unwrap_or_else(|| panic!("the page has a table {name}"));
    let end = start + html[start..].find("</table>").unwrap();
    let table = &html[start..end];
    table
        .split("<tr")
        .skip(1)
        .map(|row| {
            row.split("</t")
                .filter_map(|part| {
                    let open = part.rfind("<th").or_else(|| part.rfind("<td"))?;
                    let content = &part[open..];
                    let tag_end = content.find('>')?;
                    // A cell that acts on its row (set a goal, remove) holds
                    // no figure and is in no download.
                    if content[..tag_end].contains("row-action") {
                        return None;
                    }
                    let content = &content[tag_end + 1..];
                    Some(strip_tags(content))
                })
                .collect()
        })
        .collect()
}

/// A page cell's percentage ("43,2 %" or "43.2%") as a number.
fn page_percent(cell: &str) -> Option<f64> {
    let number = cell.strip_suffix(" %").or_else(|| cell.strip_suffix('%'))?;
    number.replace(',', ".").parse().ok()
}

/// The rows of a CSV download (after the byte-order mark).
///
/// The demo's accounts read Dutch: fields are separated by `;` and decimals
/// written with a comma, as Dutch spreadsheets open them.
pub fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8(bytes.to_vec()).expect("CSV is UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("CSV starts with a BOM");
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.contains(';') || !header.contains(','),
        "a Dutch CSV separates by semicolons: {header}"
    );
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (';', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

/// The cells of one sheet of an XLSX download.
fn xlsx_sheet(bytes: &[u8], index: usize) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let names = workbook.sheet_names();
    let range = workbook
        .worksheet_range(&names[index])
        .expect("the sheet reads");
    range.rows().map(|r| r.to_vec()).collect()
}

/// Every number the page shows in table `name` equals the CSV's and the XLSX's.
async fn downloads_equal_the_page(
    http: &reqwest::Client,
    app: &TestApp,
    page_path: &str,
    html: &str,
    name: &str,
) {
    let page = page_table(html, name);
    let query = page_path
        .split_once('?')
        .map_or(String::new(), |(_, q)| format!("?{q}"));
    let base = page_path.split('?').next().unwrap();
    let (status, csv) = fetch_bytes(http, app, &format!("{base}/download/{name}.csv{query}")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv_rows(&csv);
    let (status, xlsx) =
        fetch_bytes(http, app, &format!("{base}/download/{name}.xlsx{query}")).await;
    assert_eq!(status, StatusCode::OK);
    let sheet = xlsx_sheet(&xlsx, 0);
    assert_eq!(
        page.len(),
        csv.len(),
        "{name}: rows on the page and in the CSV"
    );
    assert_eq!(
        page.len(),
        sheet.len(),
        "{name}: rows on the page and in the XLSX"
    );
    let mut numbers = 0;
    for (r, row) in page.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let Some(shown) = page_percent(cell) else {
                continue;
            };
            let in_csv: f64 = csv[r][c].replace(',', ".").parse().unwrap_or_else(|_| {
                panic!("{name} row {r} col {c}: page {cell}, CSV {:?}", csv[r][c])
            });
            assert_eq!(in_csv, shown, "{name} row {r} col {c}");
            let Data::Float(in_xlsx) = sheet[r][c] else {
                panic!("{name} row {r} col {c}: XLSX holds {:?}", sheet[r][c]);
            };
            // Exactly the page's number: a share with all its digits would
            // tell its numerator and denominator.
            assert_eq!(in_xlsx, shown, "{name} row {r} col {c}");
            numbers += 1;
        }
    }
    assert!(numbers > 0, "{name}: the page shows numbers to compare");
    no_number_has_more_decimals_than_the_page(&xlsx);
}

/// Every number in every sheet of a workbook has at most the one decimal the
/// page shows.
fn no_number_has_more_decimals_than_the_page(xlsx: &[u8]) {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.to_vec())).expect("a workbook");
    for (sheet, range) in workbook.worksheets() {
        for cell in range.used_cells() {
            if let (row, column, Data::Float(value)) = cell {
                let written = value.to_string();
                let decimals = written.split_once('.').map_or(0, |(_, d)| d.len());
                assert!(
                    decimals <= 1,
                    "{sheet} row {row} col {column} holds {written}"
                );
            }
        }
    }
}

async fn an_alderman_reads_the_municipality_its_villages_and_the_same_numbers_in_downloads(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let westdorp = id_of(&app, "village WHERE name = 'Westdorp'").await;
    let other = id_of(
        &app,
        "municipality WHERE name <> 'Heidebroek' ORDER BY id LIMIT 1",
    )
    .await;
    let http = signed_in(&app, ALDERMAN).await;

    let (status, list) = fetch(&http, &app, "/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&format!("/dashboard/municipality-{heidebroek}\"")));
    assert!(list.contains(&format!("/dashboard/village-{westdorp}\"")));
    assert!(!list.contains(&format!("/dashboard/municipality-{other}\"")));

    let path = format!("/dashboard/municipality-{heidebroek}");
    let (status, html) = fetch(&http, &app, &path).await;
    assert_eq!(status, StatusCode::OK);
    // The village Heidebroek is a bar; the municipality is the line.
    let places = chart(&html, "places-");
    assert!(
        places.contains("Heidebroek (gemeente)"),
        "the municipality's line is told apart from its village"
    );
    assert!(
        html.contains("Peiling 2026"),
        "the latest wave is shown first"
    );
    assert!(
        html.contains("synthetische gegevens"),
        "the demo says its data are synthetic"
    );
    let substance = page_table(&html, "domain-substance-use");
    assert_eq!(substance[0][0], "Indicator");
    assert!(substance[0].iter().any(|c| c == "Sinds 2024"));
    assert!(substance[0].iter().any(|c| c == "Sinds 2018"));
    assert!(
        substance[1..].iter().any(|row| row
            .iter()
            .any(|c| c.starts_with("verbeterd") || c.starts_with("geen duidelijke verandering"))),
        "changes are labelled by direction: {substance:?}"
    );
    for name in [
        "domain-substance-use",
        "domain-family",
        "trend",
        "places",
        "profile",
    ] {
        downloads_equal_the_page(&http, &app, &path, &html, name).await;
    }

    // An earlier wave and one school year, then a village of the municipality.
    let wave_2022 = id_of(&app, "survey_wave WHERE year = 2022").await;
    let filtered = format!("{path}?wave={wave_2022}&who=year-4&indicator=alcohol_30d");
    let (status, html) = fetch(&http, &app, &filtered).await;
    assert_eq!(status, StatusCode::OK);
    // The page names the wave, the release it shows and the students.
    assert!(html.contains("Peiling 2022 · release 1 ("), "{html}");
    assert!(html.contains(") · leerjaar 4"));
    assert!(html.contains("Sinds 2020"));
    downloads_equal_the_page(&http, &app, &filtered, &html, "domain-substance-use").await;
    downloads_equal_the_page(&http, &app, &filtered, &html, "trend").await;

    let village = format!("/dashboard/village-{westdorp}");
    let (status, html) = fetch(&http, &app, &village).await;
    assert_eq!(status, StatusCode::OK);
    let table = page_table(&html, "domain-substance-use");
    assert!(table[0].iter().any(|c| c == "Westdorp %"));
    assert!(
        table[0].iter().any(|c| c == "Heidebroek %"),
        "against the municipality"
    );
    assert!(
        table[0].iter().any(|c| c.starts_with("Regio Heuvelland")),
        "and the region"
    );
    downloads_equal_the_page(&http, &app, &village, &html, "domain-substance-use").await;

    // The printable report carries the same figures and the key messages.
    let (status, report) = fetch(&http, &app, &format!("{village}/report")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(report.contains("Belangrijkste uitkomsten"));
    assert_eq!(page_table(&report, "domain-substance-use"), table);

    // Bad filters are refused in the reader's language and show nothing.
    for bad in [
        "?wave=999999",
        "?who=everyone",
        "?indicator=nonsense",
        "?wave=abc",
    ] {
        let (status, body) = fetch(&http, &app, &format!("{path}{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(!body.contains("data figures"), "{bad} shows no figures");
    }
    // Other municipalities are not there for this alderman.
    let (status, _) = fetch(&http, &app, &format!("/dashboard/municipality-{other}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn each_role_reaches_only_its_dashboards(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let heidecollege = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    let maarland = id_of(&app, "school WHERE name = 'Maarland College'").await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let westdorp = id_of(&app, "village WHERE name = 'Westdorp'").await;
    let zandhoeve = id_of(&app, "village WHERE name = 'Zandhoeve'").await;

    // The region coordinator's list holds each village and school beneath
    // its municipality.
    let region = signed_in(&app, REGION).await;
    let (_, index) = fetch(&region, &app, "/dashboard").await;
    let lindenmaar = id_of(&app, "municipality WHERE name = 'Lindenmaar'").await;
    let at = |path: String| {
        index
            .find(&format!("href=\"{path}\""))
            .unwrap_or_else(|| panic!("the list links {path}"))
    };
    let own = at(format!("/dashboard/municipality-{heidebroek}"));
    let next = at(format!("/dashboard/municipality-{lindenmaar}"));
    for inside in [
        format!("/dashboard/village-{westdorp}"),
        format!("/dashboard/school-{heidecollege}"),
    ] {
        let found = at(inside.clone());
        assert!(
            own < found && found < next,
            "{inside} is listed beneath Heidebroek"
        );
    }

    let school = signed_in(&app, SCHOOL).await;
    let (status, missing) = fetch(&school, &app, "/dashboard/school-999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for path in [
        format!("/dashboard/school-{maarland}"),
        format!("/dashboard/school-{maarland}/report"),
        format!("/dashboard/school-{maarland}/download/all.xlsx"),
        format!("/dashboard/school-{maarland}/download/domain-family.csv"),
    ] {
        let (status, body) = fetch(&school, &app, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            body, missing,
            "{path} answers like a school that does not exist"
        );
    }
    let (status, html) = fetch(&school, &app, &format!("/dashboard/school-{heidecollege}")).await;
    assert_eq!(status, StatusCode::OK);
    let table = page_table(&html, "domain-substance-use");
    assert!(
        table[0].iter().any(|c| c.starts_with("Regio Heuvelland")),
        "against the region"
    );
    let (status, _) = fetch(&school, &app, &format!("/dashboard/village-{westdorp}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a school sees no village");

    let worker = signed_in(&app, YOUTH_WORKER).await;
    let (status, html) = fetch(&worker, &app, &format!("/dashboard/village-{westdorp}")).await;
    assert_eq!(status, StatusCode::OK);
    let table = page_table(&html, "domain-substance-use");
    assert!(
        table[0].iter().any(|c| c == "Heidebroek %"),
        "the municipality as reference"
    );
    let places = page_table(&html, "places");
    assert!(
        places.iter().all(|row| row[0] != "Zandhoeve"),
        "no village outside the worker's own: {places:?}"
    );
    for path in [
        format!("/dashboard/municipality-{heidebroek}"),
        "/dashboard/region".to_owned(),
        format!("/dashboard/village-{zandhoeve}"),
        format!("/dashboard/school-{heidecollege}"),
    ] {
        let (status, _) = fetch(&worker, &app, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "youth worker: {path}");
    }

    let teacher = signed_in(&app, TEACHER).await;
    let (status, _) = fetch(&teacher, &app, "/dashboard/region").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = fetch(&teacher, &app, "/dashboard/codebook/codebook.csv").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let region = signed_in(&app, REGION).await;
    for path in [
        "/dashboard/region".to_owned(),
        format!("/dashboard/school-{maarland}"),
        format!("/dashboard/village-{zandhoeve}"),
    ] {
        let (status, _) = fetch(&region, &app, &path).await;
        assert_eq!(status, StatusCode::OK, "region: {path}");
    }
}

/// Whether a page cell says a figure is withheld, in the demo's Dutch.
fn withheld(cell: &str) -> bool {
    cell.starts_with("niet getoond") || cell.starts_with("minder dan")
}

/// The demo's threshold.
const K: u64 = 10;

/// The dashboards the index page links to (`/dashboard/region`, …).
pub fn dashboard_paths(index: &str) -> Vec<String> {
    index
        .split("href=\"/dashboard/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|place| !place.starts_with("codebook"))
        .map(|place| format!("/dashboard/{place}"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Counts follow figures. The open wave closes with a school of six
/// respondents whose classes registered 56 students: that school's response
/// rate and class tallies are not shown in any page, download or report, nor
/// is any other place's whose respondents are hidden; exclusions below k are
/// written as fewer than k, and the region's totals never give one away by
/// subtraction — nor do two releases of the wave side by side; no workbook
/// holds more decimals than the page.
async fn counts_of_a_hidden_school_are_hidden_like_its_figures(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let heidecollege = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    crate::results::store_synthetic_wave(&app).await;
    app.arrange(&format!(
        "DELETE FROM response WHERE wave_id = 1 AND school_id = {heidecollege} AND id NOT IN \
         (SELECT id FROM response WHERE wave_id = 1 AND school_id = {heidecollege} ORDER BY id LIMIT 6)"
    ))
    .await;
    app.arrange("UPDATE class_code SET used_count = 24 WHERE wave_id = 1")
        .await;
    app.arrange(&format!(
        "UPDATE class_code SET used_count = 3 WHERE wave_id = 1 AND school_id = {heidecollege}"
    ))
    .await;
    crate::results::wave_command(&app, "close-wave");

    let region = signed_in(&app, REGION).await;
    let (_, index) = fetch(&region, &app, "/dashboard").await;
    let paths = dashboard_paths(&index);
    assert!(paths.len() > 30, "every place of the demo: {paths:?}");
    let hidden_school = format!("/dashboard/school-{heidecollege}");
    assert!(paths.contains(&hidden_school));
    let (mut rates_shown, mut rates_hidden) = (0, 0);
    for path in &paths {
        let (status, html) = fetch(&region, &app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let response = page_table(&html, "response");
        let latest = response.last().expect("a row per wave");
        assert_eq!(
            latest[0], "Peiling 2027",
            "{path}: the closed wave is the latest"
        );
        for row in &response[1..] {
            // Wave, submitted, excluded, counted (the region's), this place's
            // respondents, the response rate of its registered classes.
            let count = |cell: &str| cell.parse::<u64>().ok();
            let (submitted, excluded, counted) = (count(&row[1]), count(&row[2]), count(&row[3]));
            for (cell, value) in
                row[1..5]
                    .iter()
                    .zip([submitted, excluded, counted, count(&row[4])])
            {
                assert!(
                    withheld(cell) || value.is_some_and(|n| n >= K),
                    "{path}: a count below k is shown: {row:?}"
                );
            }
            match submitted {
                Some(n) => assert_eq!(
                    Some(n),
                    excluded.zip(counted).map(|(e, c)| e + c),
                    "{path}: {row:?}"
                ),
                None => assert!(
                    excluded.is_none() || counted.is_none(),
                    "{path}: a hidden total follows from the other two: {row:?}"
                ),
            }
            if withheld(&row[4]) {
                assert!(
                    page_percent(&row[5]).is_none(),
                    "{path}: respondents hidden, response rate shown: {row:?}"
                );
            }
        }
        let rate = &latest[5];
        if page_percent(rate).is_some() {
            rates_shown += 1;
        } else if withheld(rate) {
            rates_hidden += 1;
        }
        if *path == hidden_school {
            assert!(withheld(&latest[4]), "{path}: {latest:?}");
            assert!(
                withheld(rate),
                "{path}: the rate says it is not shown: {latest:?}"
            );
        }
        for row in &page_table(&html, "exclusions")[1..] {
            assert!(
                withheld(&row[1]) || row[1].parse::<u64>().is_ok_and(|n| n >= K),
                "{path}: {row:?}"
            );
        }

        // The downloads and the report write the same cells.
        let (_, csv) = fetch_bytes(&region, &app, &format!("{path}/download/response.csv")).await;
        let csv = csv_rows(&csv);
        let (_, xlsx) = fetch_bytes(&region, &app, &format!("{path}/download/all.xlsx")).await;
        no_number_has_more_decimals_than_the_page(&xlsx);
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).expect("a workbook");
        let sheets = workbook.worksheets();
        let (_, sheet) = sheets
            .iter()
            .find(|(name, _)| name == "Respons en uitsluitingen")
            .expect("the response sheet");
        let (_, report) = fetch(&region, &app, &format!("{path}/report")).await;
        assert_eq!(page_table(&report, "response"), response, "{path}: report");
        for (r, row) in response.iter().enumerate() {
            for (c, cell) in row.iter().enumerate().skip(1) {
                let in_xlsx = sheet.get_value((r as u32, c as u32));
                if withheld(cell) || r == 0 {
                    assert_eq!(&csv[r][c], cell, "{path}: CSV row {r} col {c}");
                    assert_eq!(
                        in_xlsx,
                        Some(&Data::String(cell.clone())),
                        "{path}: XLSX row {r} col {c}"
                    );
                } else if let Some(shown) = page_percent(cell) {
                    assert_eq!(
                        csv[r][c].replace(',', ".").parse::<f64>().ok(),
                        Some(shown),
                        "{path}: CSV row {r} col {c}"
                    );
                    assert_eq!(
                        in_xlsx,
                        Some(&Data::Float(shown)),
                        "{path}: XLSX row {r} col {c}"
                    );
                } else if let Ok(n) = cell.parse::<u64>() {
                    assert_eq!(csv[r][c], cell.as_str(), "{path}: CSV row {r} col {c}");
                    assert_eq!(
                        in_xlsx,
                        Some(&Data::Float(n as f64)),
                        "{path}: XLSX row {r} col {c}"
                    );
                } else {
                    assert_eq!(cell, "—", "{path}: row {r} col {c}");
                    assert!(csv[r][c].is_empty(), "{path}: CSV row {r} col {c}");
                    assert!(
                        matches!(in_xlsx, None | Some(Data::Empty)),
                        "{path}: XLSX row {r} col {c}"
                    );
                }
            }
        }
    }
    assert!(rates_shown > 0, "some places show their response rate");
    assert!(rates_hidden >= 2, "the small school and one protecting it");

    // The school's own coordinator: the same on the dashboard, and the closed
    // wave's class tallies are not on the class list either.
    let school = signed_in(&app, SCHOOL).await;
    let (_, html) = fetch(&school, &app, &hidden_school).await;
    let latest = page_table(&html, "response").pop().expect("a row per wave");
    assert!(withheld(&latest[5]), "{latest:?}");
    let (status, classes) = fetch(
        &school,
        &app,
        &format!("/staff/schools/{heidecollege}/classes"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = strip_tags(&classes);
    assert!(!text.contains("3 / 28"), "a closed wave's tally is shown");
    assert!(
        text.contains("minder dan 10 respondenten / 28"),
        "the class list says the tally is not shown"
    );

    // One late response, which the screen flags, released under another k:
    // every exclusion count of release 2 differs from release 1 by nothing or
    // by that one response, so none is shown.
    let db = app.database.connect_for_writing().await;
    let shape = server::demo::synthetic_region(&db).await.unwrap();
    let mut late = synthetic_responses(surveys::standard_v1(), &shape, 1, 71);
    late[0].validity = [ValidityFlag::FictitiousDrug].into_iter().collect();
    server::demo::insert_responses(&db, 1, &late).await.unwrap();
    db.close().await.ok();
    let printed = crate::results::wave_command_with_k(&app, "results", 12);
    assert!(printed.contains("release 2 published"), "{printed}");
    let (_, html) = fetch(&region, &app, "/dashboard/region").await;
    let latest = page_table(&html, "response").pop().expect("a row per wave");
    let earlier_release = |cell: &str| cell.contains("eerdere release");
    assert!(
        earlier_release(&latest[1]) && earlier_release(&latest[2]),
        "submitted and excluded of release 2: {latest:?}"
    );
    for row in &page_table(&html, "exclusions")[1..] {
        assert!(earlier_release(&row[1]), "{row:?}");
    }
}

crate::on_both_databases!(
    an_alderman_reads_the_municipality_its_villages_and_the_same_numbers_in_downloads,
    each_role_reaches_only_its_dashboards,
    counts_of_a_hidden_school_are_hidden_like_its_figures,
);

/// A suppressed village is suppressed in the page, its chart, its tables, the
/// CSV, the XLSX and the report — never shown as a number or as zero.
#[tokio::test]
async fn a_suppressed_village_is_suppressed_in_page_chart_table_csv_xlsx_and_report() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let zandhoeve = id_of(&app, "village WHERE name = 'Zandhoeve'").await;
    let http = signed_in(&app, ALDERMAN).await;

    // The municipality's villages side by side: Zandhoeve has no bar, only words.
    let path = format!("/dashboard/municipality-{heidebroek}");
    let (_, html) = fetch(&http, &app, &path).await;
    let places = page_table(&html, "places");
    let row = places
        .iter()
        .find(|row| row[0] == "Zandhoeve")
        .expect("Zandhoeve is listed");
    assert!(
        row[1].starts_with("niet getoond") || row[1].starts_with("minder dan"),
        "{row:?}"
    );
    assert!(row[2..].iter().all(|c| c == "—"), "{row:?}");
    let svg = chart(&html, "places-");
    assert!(svg.contains("Zandhoeve"));
    assert!(
        svg.contains("niet getoond"),
        "the chart says the bar is not shown"
    );

    let village = format!("/dashboard/village-{zandhoeve}");
    let (status, html) = fetch(&http, &app, &village).await;
    assert_eq!(status, StatusCode::OK);
    // The page says at the top why, and where these students count instead.
    let note = html
        .split("class=\"message too-small\"")
        .nth(1)
        .expect("a note that the village is too small");
    let note = &note[..note.find("</div>").unwrap()];
    // Worded by the release's reason for withholding the village's count.
    let respondents = html
        .split("class=\"respondents\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("the respondents line");
    let said = if respondents.contains("minder dan") {
        "minder dan 10 leerlingen"
    } else {
        "te veel zeggen over een kleine groep"
    };
    assert!(note.contains(said), "{note}");
    assert!(
        note.contains(&format!("href=\"/dashboard/municipality-{heidebroek}\"")),
        "the note leads to the municipality: {note}"
    );
    let (_, larger) = fetch(
        &http,
        &app,
        &format!(
            "/dashboard/village-{}",
            id_of(&app, "village WHERE name = 'Westdorp'").await
        ),
    )
    .await;
    assert!(
        !larger.contains("too-small"),
        "a village with figures has no such note"
    );
    let table = page_table(&html, "domain-substance-use");
    let withheld = |cell: &str| cell.starts_with("niet getoond") || cell.starts_with("minder dan");
    for row in &table[1..] {
        assert!(withheld(&row[1]), "page: {row:?}");
        assert!(page_percent(&row[1]).is_none());
    }
    let (_, csv) = fetch_bytes(
        &http,
        &app,
        &format!("{village}/download/domain-substance-use.csv"),
    )
    .await;
    let csv = csv_rows(&csv);
    for row in &csv[1..] {
        assert!(withheld(&row[1]), "CSV: {row:?}");
        assert!(
            row[2].is_empty() && row[3].is_empty() && row[4].is_empty(),
            "CSV: {row:?}"
        );
    }
    let (_, xlsx) = fetch_bytes(&http, &app, &format!("{village}/download/all.xlsx")).await;
    let sheet = xlsx_sheet(&xlsx, 0);
    for row in &sheet[1..] {
        match &row[1] {
            Data::String(text) => assert!(withheld(text), "XLSX: {row:?}"),
            other => panic!("XLSX holds {other:?} for a suppressed figure"),
        }
    }
    let trend = chart(&html, "trend-");
    assert!(
        trend.contains("niet getoond"),
        "the trend chart marks the withheld waves"
    );
    let (_, report) = fetch(&http, &app, &format!("{village}/report")).await;
    for row in &page_table(&report, "domain-substance-use")[1..] {
        assert!(withheld(&row[1]), "report: {row:?}");
    }
}

/// The inline SVG whose `aria-labelledby` starts with `id_prefix`.
fn chart<'a>(html: &'a str, id_prefix: &str) -> &'a str {
    let marker = format!("aria-labelledby=\"{id_prefix}");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("a chart {id_prefix}"));
    let start = html[..at].rfind("<svg").unwrap();
    let end = at + html[at..].find("</svg>").unwrap() + "</svg>".len();
    &html[start..end]
}

/// Every chart on a dashboard is well-formed SVG with a title and a
/// description, and the table under it holds the numbers it draws.
#[tokio::test]
async fn charts_are_well_formed_svg_with_title_description_and_their_numbers_in_a_table() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let http = signed_in(&app, ALDERMAN).await;
    let (_, html) = fetch(
        &http,
        &app,
        &format!("/dashboard/municipality-{heidebroek}"),
    )
    .await;
    for (prefix, table) in [
        ("trend-", "trend"),
        ("places-", "places"),
        ("profile", "profile"),
    ] {
        let svg = chart(&html, prefix);
        let document = roxmltree::Document::parse(svg)
            .unwrap_or_else(|error| panic!("{prefix}: not well-formed: {error}"));
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        let labelled = root.attribute("aria-labelledby").unwrap();
        let title = root
            .children()
            .find(|n| n.has_tag_name("title"))
            .expect("a title");
        let desc = root
            .children()
            .find(|n| n.has_tag_name("desc"))
            .expect("a description");
        assert!(labelled.contains(title.attribute("id").unwrap()));
        assert!(labelled.contains(desc.attribute("id").unwrap()));
        assert!(!title.text().unwrap_or_default().is_empty());
        assert!(!desc.text().unwrap_or_default().is_empty());
        assert!(
            svg.contains("Synthetische gegevens"),
            "{prefix}: the chart says it is synthetic"
        );

        // The numbers a chart writes out (trend: none; bars: each value) are the
        // table's; the table has a row per drawn place or wave.
        let rows = page_table(&html, table);
        assert!(rows.len() > 1, "{table} has rows");
        if table == "places" {
            for row in &rows[1..] {
                if page_percent(&row[1]).is_some() {
                    assert!(
                        svg.contains(&row[1]),
                        "the bar of {} reads {}",
                        row[0],
                        row[1]
                    );
                }
            }
        }
        if table == "trend" {
            for row in &rows[1..] {
                assert!(
                    svg.contains(&format!(">{}<", row[0])) || svg.contains(&row[0]),
                    "wave {}",
                    row[0]
                );
            }
        }
    }
}
