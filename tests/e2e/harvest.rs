//! Everything the demo accounts can obtain of a wave, gathered over HTTP as an
//! attacker holding those accounts would, and handed to the independent
//! disclosure auditor.
//!
//! Each account opens every dashboard it may, for every group filter, as page,
//! printable report and workbook, and its first dashboard once for every
//! indicator the charts can follow. Every figure of the audited wave read there
//! must be one the release in force holds as released, written as that release
//! rounds it, and every released figure of a place with a dashboard must turn
//! up somewhere. The auditor then attacks the union of what all accounts read,
//! across both releases of the wave: the first, and the one after a reopen
//! that added three late students.

use std::collections::BTreeSet;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use disclosure_auditor::{Audit, Auditor, Observation};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use surveys::synthetic::synthetic_responses;
use surveys::{
    Breakdown, Group, MunicipalityId, Place, Questionnaire, Release, Residence, SchoolId,
    SurveyResponse, VillageId, WaveResults,
};

use crate::authz::csrf_of;
use crate::dashboard::{csv_rows, dashboard_paths, fetch, fetch_bytes, page_table, signed_in};
use crate::helpers::{Backend, TestApp, id_of};

const REGION: &str = "regio@heuvelland.example";
const ACCOUNTS: [&str; 4] = [
    REGION,
    crate::dashboard::ALDERMAN,
    "school@heidecollege.example",
    "jongerenwerk@heidebroek.example",
];
/// The group filters, as the server maps them; the harvest checks that the
/// pages offer exactly these.
const WHO: [(&str, Breakdown); 5] = server::dashboard::WHO;

/// One figure of the audited wave as a page or a download shows it.
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Share {
        group: Group,
        indicator: String,
        percent: f64,
        n: Option<u64>,
    },
    Respondents {
        group: Group,
        n: u64,
    },
    /// A count written as "fewer than k respondents".
    Withheld {
        group: Group,
    },
    /// A goal's baseline in the audited wave: the figure of the release the
    /// goal was set on, shown as it was then.
    Baseline {
        group: Group,
        indicator: String,
        percent: f64,
        n: u64,
    },
}

/// The places of the demo region, as the database names them.
struct Places {
    region: String,
    municipalities: Vec<(i32, String)>,
    /// Id, municipality, name.
    villages: Vec<(i32, i32, String)>,
    schools: Vec<(i32, i32, String)>,
}

async fn rows(db: &DatabaseConnection, sql: &str) -> Vec<sea_orm::QueryResult> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
}

impl Places {
    async fn load(db: &DatabaseConnection) -> Places {
        let named = |row: &sea_orm::QueryResult| -> (i32, i32, String) {
            (
                row.try_get("", "id").unwrap(),
                row.try_get("", "municipality_id").unwrap_or_default(),
                row.try_get("", "name").unwrap(),
            )
        };
        let region = rows(db, "SELECT name FROM region").await;
        assert_eq!(region.len(), 1, "the demo has one region");
        let municipalities = rows(db, "SELECT id, name FROM municipality").await;
        let villages = rows(db, "SELECT id, municipality_id, name FROM village").await;
        let schools = rows(db, "SELECT id, municipality_id, name FROM school").await;
        Places {
            region: region[0].try_get("", "name").unwrap(),
            municipalities: municipalities
                .iter()
                .map(named)
                .map(|(id, _, name)| (id, name))
                .collect(),
            villages: villages.iter().map(named).collect(),
            schools: schools.iter().map(named).collect(),
        }
    }

    fn municipality(id: i32) -> Place {
        Place::Municipality(MunicipalityId(i64::from(id)))
    }

    fn village(id: i32, municipality: i32) -> Place {
        Place::Residence(
            MunicipalityId(i64::from(municipality)),
            Residence::Village(VillageId(i64::from(id))),
        )
    }

    /// A dashboard's place and the names its tables can use: the larger
    /// places beside it, and the smaller ones it compares side by side.
    fn page(&self, slug: &str) -> Page {
        let name_of_municipality = |id: i32| {
            let (_, name) = self.municipalities.iter().find(|(m, _)| *m == id).unwrap();
            (name.clone(), Places::municipality(id))
        };
        let region = (self.region.clone(), Place::Region);
        let villages_of = |m: i32| -> Vec<(String, Place)> {
            self.villages
                .iter()
                .filter(|(_, vm, _)| *vm == m)
                .map(|(id, vm, name)| (name.clone(), Places::village(*id, *vm)))
                .collect()
        };
        if slug == "region" {
            return Page {
                community: region,
                references: vec![],
                neighbours: self
                    .municipalities
                    .iter()
                    .map(|(id, _)| name_of_municipality(*id))
                    .collect(),
            };
        }
        let (kind, id) = slug.split_once('-').expect("a dashboard slug");
        let id: i32 = id.parse().unwrap();
        match kind {
            "municipality" => Page {
                community: name_of_municipality(id),
                references: vec![region],
                neighbours: villages_of(id),
            },
            "village" => {
                let (_, m, name) = self.villages.iter().find(|(v, _, _)| *v == id).unwrap();
                Page {
                    community: (name.clone(), Places::village(id, *m)),
                    references: vec![name_of_municipality(*m), region],
                    neighbours: villages_of(*m),
                }
            }
            "school" => {
                let (_, m, name) = self.schools.iter().find(|(s, _, _)| *s == id).unwrap();
                Page {
                    community: (name.clone(), Place::School(SchoolId(i64::from(id)))),
                    references: vec![name_of_municipality(*m), region],
                    neighbours: vec![],
                }
            }
            _ => panic!("a dashboard the harvest does not know: {slug}"),
        }
    }
}

struct Page {
    community: (String, Place),
    references: Vec<(String, Place)>,
    neighbours: Vec<(String, Place)>,
}

/// What a table is read against: its page, the audited wave and filters.
struct Reading<'a> {
    page: &'a Page,
    questionnaire: &'a Questionnaire,
    /// "2026", as trend rows name a wave; "Peiling 2026" in the response table.
    year: &'a str,
    wave_name: &'a str,
    breakdown: Breakdown,
    /// The indicator the trend and places charts follow.
    indicator: &'a str,
}

/// Whether a cell says its figure is withheld, in the demo's Dutch.
fn withheld(cell: &str) -> bool {
    cell.starts_with("niet getoond") || cell.starts_with("minder dan")
}

/// Whether a cell holds no figure: a group without respondents, or the
/// interval and n beside a withheld figure. Pages write it as a dash.
fn empty(cell: &str) -> bool {
    cell.is_empty() || cell == "—"
}

/// A percentage as a page ("43,2 %"), a CSV ("43.2") or a workbook writes it.
fn percent(cell: &str) -> Option<f64> {
    let number = cell
        .strip_suffix(" %")
        .or_else(|| cell.strip_suffix('%'))
        .unwrap_or(cell);
    number.replace(',', ".").parse().ok()
}

impl Reading<'_> {
    fn indicator_labelled(&self, label: &str) -> String {
        self.questionnaire
            .indicators()
            .iter()
            .find(|i| i.label.get("nl") == label)
            .unwrap_or_else(|| panic!("no indicator is labelled {label:?}"))
            .key
            .clone()
    }

    /// The place a figure column is about: the first is the page's own, the
    /// others the larger places set beside it.
    fn column_place(&self, block: usize, name: &str) -> Place {
        if block == 0 {
            assert_eq!(
                name, self.page.community.0,
                "the first figures are the page's own"
            );
            return self.page.community.1;
        }
        self.page
            .references
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} is not a reference of {}", self.page.community.0))
            .1
    }

    /// Every figure of the audited wave in one table (header row first).
    fn read(&self, table: &[Vec<String>], seen: &mut Vec<Seen>) {
        let header = &table[0];
        let body = &table[1..];
        if header[0] == "Actie" {
            // Prevention actions: what is done, by whom, when; no figures.
            return;
        }
        if header[0] == "Reden" {
            // Exclusions of the whole region by reason: counts the response
            // table's test holds to k; not figures of a group.
            return;
        }
        if header.get(3).is_some_and(|h| h == "Beginwaarde") {
            self.read_goals(header, body, seen);
            return;
        }
        if header.get(1).is_some_and(|h| h.starts_with("Ingevuld")) {
            let group = Group::new(self.page.community.1, self.breakdown);
            for row in body.iter().filter(|row| row[0] == self.wave_name) {
                let cell = &row[4];
                if withheld(cell) {
                    seen.push(Seen::Withheld { group });
                } else {
                    let n = cell
                        .parse()
                        .unwrap_or_else(|_| panic!("respondents read {cell:?}"));
                    seen.push(Seen::Respondents { group, n });
                }
            }
            return;
        }
        let blocks: Vec<usize> = (1..header.len())
            .filter(|&c| header[c].ends_with(" %"))
            .collect();
        assert!(!blocks.is_empty(), "a table without figures: {header:?}");
        for (b, &column) in blocks.iter().enumerate() {
            let name = header[column].strip_suffix(" %").unwrap();
            let n_column =
                (header.get(column + 3).map(String::as_str) == Some("n")).then_some(column + 3);
            for row in body {
                let (place, indicator) = match header[0].as_str() {
                    "Peiling" if row[0] != self.year => continue,
                    "Peiling" => (self.column_place(b, name), self.indicator.to_owned()),
                    "Plaats" => {
                        let place = self
                            .page
                            .neighbours
                            .iter()
                            .find(|(n, _)| *n == row[0])
                            .unwrap_or_else(|| panic!("{} is no neighbour", row[0]))
                            .1;
                        (place, self.indicator_labelled(name))
                    }
                    "Indicator" => (self.column_place(b, name), self.indicator_labelled(&row[0])),
                    other => panic!("a table the harvest does not know: {other:?} {header:?}"),
                };
                let cell = &row[column];
                if empty(cell) || withheld(cell) {
                    continue;
                }
                let percent =
                    percent(cell).unwrap_or_else(|| panic!("{header:?}: a figure reads {cell:?}"));
                let n = n_column.map(|c| {
                    row[c]
                        .parse()
                        .unwrap_or_else(|_| panic!("n reads {:?} beside {cell}", row[c]))
                });
                seen.push(Seen::Share {
                    group: Group::new(place, self.breakdown),
                    indicator,
                    percent,
                    n,
                });
            }
        }
    }
}

impl Reading<'_> {
    /// A goals table: per goal its group, its baseline ("53,3 % (2020, n =
    /// 559)") and its latest figure with the wave's year.
    fn read_goals(&self, header: &[String], body: &[Vec<String>], seen: &mut Vec<Seen>) {
        let column = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("the goals table has a column {name}: {header:?}"))
        };
        let (who, baseline, latest, wave) = (
            column("Leerlingen"),
            column("Beginwaarde"),
            column("Laatste cijfer %"),
            column("Peiling"),
        );
        let words = server::dashboard::build::Words(reports::Language::Nl);
        for row in body {
            let breakdown = WHO
                .iter()
                .map(|(_, b)| *b)
                .find(|b| words.breakdown(*b) == row[who])
                .unwrap_or_else(|| panic!("a goal's group reads {:?}", row[who]));
            let group = Group::new(self.page.community.1, breakdown);
            let indicator = self.indicator_labelled(&row[0]);
            let (value, rest) = row[baseline]
                .split_once(" (")
                .unwrap_or_else(|| panic!("a baseline reads {:?}", row[baseline]));
            let (year, n) = rest
                .trim_end_matches(')')
                .split_once(", n = ")
                .unwrap_or_else(|| panic!("a baseline reads {:?}", row[baseline]));
            if year == self.year {
                seen.push(Seen::Baseline {
                    group,
                    indicator: indicator.clone(),
                    percent: percent(value).unwrap(),
                    n: n.parse().unwrap(),
                });
            }
            if row[wave] == self.year && !empty(&row[latest]) {
                seen.push(Seen::Share {
                    group,
                    indicator,
                    percent: percent(&row[latest])
                        .unwrap_or_else(|| panic!("a latest figure reads {:?}", row[latest])),
                    n: None,
                });
            }
        }
    }
}

/// The goals' baselines in `seen` as figures of the release they were set
/// on (the first: the demo's goals predate the reopen), and everything else.
fn baselines_apart(seen: Vec<Seen>) -> (Vec<Seen>, Vec<Seen>) {
    let (baselines, rest): (Vec<Seen>, Vec<Seen>) = seen
        .into_iter()
        .partition(|s| matches!(s, Seen::Baseline { .. }));
    let baselines = baselines
        .into_iter()
        .map(|s| match s {
            Seen::Baseline {
                group,
                indicator,
                percent,
                n,
            } => Seen::Share {
                group,
                indicator,
                percent,
                n: Some(n),
            },
            other => other,
        })
        .collect();
    (baselines, rest)
}

/// The sheets of a workbook as text, the notes sheet left out.
fn workbook_tables(bytes: &[u8]) -> Vec<Vec<Vec<String>>> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let names = workbook.sheet_names();
    let mut tables = Vec::new();
    for name in &names[..names.len() - 1] {
        let range = workbook.worksheet_range(name).unwrap();
        tables.push(
            range
                .rows()
                .map(|row| row.iter().map(cell_text).collect())
                .collect(),
        );
    }
    tables
}

/// The names of the tables an HTML page (dashboard or report) holds.
fn table_names(html: &str) -> BTreeSet<&str> {
    html.split("data-table=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The values a page's `<select name="…">` offers.
fn offered<'a>(html: &'a str, select: &str) -> Vec<&'a str> {
    let (_, rest) = html
        .split_once(&format!("<select name=\"{select}\""))
        .unwrap_or_else(|| panic!("the page has no {select} filter"));
    let (options, _) = rest.split_once("</select>").unwrap();
    options
        .split("value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The tables an HTML page holds.
fn html_tables(html: &str) -> Vec<Vec<Vec<String>>> {
    table_names(html)
        .into_iter()
        .map(|name| page_table(html, name))
        .collect()
}

/// Everything `account` can read of wave `wave`.
async fn harvest(
    app: &TestApp,
    places: &Places,
    account: &str,
    wave: &str,
    year: &str,
) -> (Vec<Seen>, usize) {
    let http = signed_in(app, account).await;
    let (status, index) = fetch(&http, app, "/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    let paths = dashboard_paths(&index);
    assert!(!paths.is_empty(), "{account} has dashboards");
    let wave_name = format!("Peiling {year}");
    let questionnaire = surveys::standard_v1();
    let default_indicator = "drunk_30d";
    let mut seen = Vec::new();
    let mut requests = 0;
    let mut get = async |path: String| -> Vec<u8> {
        let (status, body) = fetch_bytes(&http, app, &path).await;
        assert_eq!(status, StatusCode::OK, "{account}: {path}");
        requests += 1;
        body
    };
    for (p, path) in paths.iter().enumerate() {
        let slug = path.strip_prefix("/dashboard/").unwrap();
        let page = places.page(slug);
        for (who, breakdown) in WHO {
            let indicators: Vec<&str> = if p == 0 && who == "all" {
                questionnaire
                    .indicators()
                    .iter()
                    .map(|i| i.key.as_str())
                    .collect()
            } else {
                vec![default_indicator]
            };
            for indicator in indicators {
                let reading = Reading {
                    page: &page,
                    questionnaire,
                    year,
                    wave_name: &wave_name,
                    breakdown,
                    indicator,
                };
                let query = format!("?wave={wave}&who={who}&indicator={indicator}");
                let html = String::from_utf8(get(format!("{path}{query}")).await).unwrap();
                let keys: Vec<&str> = WHO.iter().map(|(key, _)| *key).collect();
                assert_eq!(offered(&html, "who"), keys, "{path}: the group filters");
                for table in html_tables(&html) {
                    reading.read(&table, &mut seen);
                }
                if indicator != default_indicator {
                    continue;
                }
                let report = String::from_utf8(get(format!("{path}/report{query}")).await).unwrap();
                for table in html_tables(&report) {
                    reading.read(&table, &mut seen);
                }
                for table in workbook_tables(&get(format!("{path}/download/all.xlsx{query}")).await)
                {
                    reading.read(&table, &mut seen);
                }
                if who == "all" {
                    for name in table_names(&html) {
                        let csv = get(format!("{path}/download/{name}.csv{query}")).await;
                        reading.read(&csv_rows(&csv), &mut seen);
                    }
                }
            }
        }
        // The place's prevention plan: its goals as page and downloads.
        if slug != "region" {
            let reading = Reading {
                page: &page,
                questionnaire,
                year,
                wave_name: &wave_name,
                breakdown: Breakdown::All,
                indicator: default_indicator,
            };
            let plan = String::from_utf8(get(format!("/planning/{slug}")).await).unwrap();
            for name in table_names(&plan) {
                match name {
                    "goals" => reading.read(&page_table(&plan, name), &mut seen),
                    // Actions and the cycle hold no figures.
                    "actions" => {}
                    other => panic!("a planning table the harvest does not know: {other}"),
                }
            }
            let csv = get(format!("/planning/{slug}/download/goals.csv")).await;
            reading.read(&csv_rows(&csv), &mut seen);
            let workbook = get(format!("/planning/{slug}/download/goals.xlsx")).await;
            let mut book: Xlsx<_> = Xlsx::new(Cursor::new(workbook)).expect("a workbook");
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name).unwrap();
                let table: Vec<Vec<String>> = range
                    .rows()
                    .map(|row| row.iter().map(cell_text).collect())
                    .collect();
                reading.read(&table, &mut seen);
            }
        }
    }
    (seen, requests)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("a workbook cell {other:?}"),
    }
}

/// Checks each figure read against the release in force and hands it to the
/// auditor as release `index`; returns the groups whose figures were read.
fn observe(
    auditor: &mut Auditor,
    index: usize,
    release: &WaveResults,
    seen: &[Seen],
) -> BTreeSet<(String, String)> {
    let mut covered = BTreeSet::new();
    let mut done = BTreeSet::new();
    for figure in seen {
        if !done.insert(format!("{figure:?}")) {
            continue;
        }
        match figure {
            Seen::Share {
                group,
                indicator,
                percent,
                n,
            } => {
                let Some(Release::Released(share)) = release.share(group, indicator) else {
                    panic!(
                        "{group} {indicator}: {percent} % is shown, the release holds {:?}",
                        release.share(group, indicator)
                    );
                };
                // One decimal, as the release's figure is written everywhere.
                let exact = share.percent().unwrap();
                assert_eq!(
                    format!("{exact:.1}"),
                    format!("{percent:.1}"),
                    "{group} {indicator}: shown {percent}, released {exact}"
                );
                if let Some(n) = n {
                    assert_eq!(*n, share.denominator(), "{group} {indicator}: n");
                }
                covered.insert((format!("{group}"), indicator.clone()));
                auditor
                    .observe(
                        index,
                        group,
                        Observation::Share {
                            indicator: indicator.clone(),
                            share,
                        },
                    )
                    .unwrap();
            }
            Seen::Respondents { group, n } => {
                assert_eq!(
                    release.respondents(group),
                    Some(Release::Released(*n)),
                    "{group}: {n} respondents shown"
                );
                auditor
                    .observe(index, group, Observation::Respondents(*n))
                    .unwrap();
            }
            Seen::Baseline { .. } => {
                panic!("a baseline is observed as a share of the release it was set on")
            }
            Seen::Withheld { group } => match release.respondents(group) {
                // An empty group reads as fewer than k too: that says nothing.
                None => {}
                Some(Release::Suppressed(_)) => {
                    auditor
                        .observe(index, group, Observation::Withheld)
                        .unwrap();
                }
                Some(Release::Released(n)) => {
                    panic!("{group}: {n} respondents are released but shown as withheld")
                }
            },
        }
    }
    covered
}

/// Every released share of a place that has a dashboard, for a group the
/// dashboards' filters offer, was read somewhere.
fn assert_complete(release: &WaveResults, covered: &BTreeSet<(String, String)>) {
    let mut released = 0;
    for (group, figures) in release.groups() {
        let offered = WHO
            .iter()
            .any(|(_, breakdown)| *breakdown == group.breakdown);
        if offered
            && matches!(
                group.place,
                Place::Residence(_, Residence::Village(_))
                    | Place::Region
                    | Place::Municipality(_)
                    | Place::School(_)
            )
        {
            for (indicator, share) in &figures.indicators {
                if !share.is_suppressed() {
                    released += 1;
                    assert!(
                        covered.contains(&(format!("{group}"), indicator.clone())),
                        "{group} {indicator} is released but no account could read it"
                    );
                }
            }
        }
    }
    assert!(
        released > 1000,
        "the demo wave releases figures: {released}"
    );
}

/// Whether a student answered living in `village`: the village item's answer
/// code is the village's id.
fn lives_in(response: &SurveyResponse, village: VillageId) -> bool {
    let key = surveys::standard_v1()
        .sections()
        .iter()
        .flat_map(|section| &section.items)
        .find(|item| matches!(item.kind, surveys::ItemKind::Village { .. }))
        .map(|item| &item.key)
        .expect("the questionnaire asks where a student lives");
    response
        .answers
        .get(key)
        .is_some_and(|&code| VillageId::from_answer(code) == village)
}

async fn responses(app: &TestApp, wave: i32) -> Vec<SurveyResponse> {
    let db = app.database.connect_for_writing().await;
    let responses = server::results::read_responses(&db, wave).await.unwrap();
    db.close().await.ok();
    responses
}

async fn harvest_all(app: &TestApp, places: &Places, wave: &str, year: &str) -> Vec<Seen> {
    let mut seen = Vec::new();
    for account in ACCOUNTS {
        let started = std::time::Instant::now();
        let (figures, requests) = harvest(app, places, account, wave, year).await;
        println!(
            "harvest: {account} read {} figures in {requests} requests ({:.1} s)",
            figures.len(),
            started.elapsed().as_secs_f64()
        );
        seen.extend(figures);
    }
    seen
}

/// The demo's 2026 wave, released; then reopened for three late students of
/// one small village and released again with what they would reveal withheld.
/// Nothing any account can read of the two releases together lets the auditor
/// derive a figure of a group below k.
async fn nothing_any_account_reads_across_two_releases_discloses_a_small_group(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let year = "2026";
    let wave = id_of(&app, &format!("survey_wave WHERE year = {year}")).await;
    let wave_id: i32 = wave.parse().unwrap();
    let db = app.database.connect_for_writing().await;
    let places = Places::load(&db).await;
    db.close().await.ok();

    let mut states = vec![responses(&app, wave_id).await];
    let first = crate::releases::release(&app, &wave, 1).await;
    let k = u64::from(first.threshold().get());
    let first_seen = harvest_all(&app, &places, &wave, year).await;

    // Reopened for three late students of the village with the fewest
    // respondents the first release shows.
    let coordinator = signed_in(&app, REGION).await;
    let (_, staff) = fetch(&coordinator, &app, "/staff/waves").await;
    let csrf = csrf_of(&staff);
    let post = async |step: &str, form: &[(&str, &str)]| {
        let path = format!("/staff/waves/{wave}/{step}");
        crate::releases::post(&coordinator, &app, &path, form).await
    };
    let reason = [
        ("csrf", csrf.as_str()),
        ("reason", "Een klas kreeg de code te laat"),
    ];
    let (status, _) = post("reopen", &reason).await;
    assert_eq!(status, StatusCode::OK);
    let db = app.database.connect_for_writing().await;
    let region = server::demo::synthetic_region(&db).await.unwrap();
    let smallest = first
        .groups()
        .filter(|(g, _)| {
            g.breakdown == Breakdown::All
                && matches!(g.place, Place::Residence(_, Residence::Village(_)))
        })
        .filter_map(|(g, f)| match f.respondents {
            Release::Released(n) => Some((n, g.place)),
            Release::Suppressed(_) => None,
        })
        .min_by_key(|(n, _)| *n)
        .expect("a village with figures")
        .1;
    let Place::Residence(municipality, Residence::Village(village)) = smallest else {
        unreachable!()
    };
    let late: Vec<SurveyResponse> = synthetic_responses(surveys::standard_v1(), &region, 400, 7)
        .into_iter()
        .filter(|r| r.validity.is_clean() && r.municipality == municipality && lives_in(r, village))
        .take(3)
        .collect();
    assert_eq!(late.len(), 3, "three late students of the smallest village");
    server::demo::insert_responses(&db, wave_id, &late)
        .await
        .unwrap();
    db.close().await.ok();
    states.push(responses(&app, wave_id).await);

    let (status, answer) = post("close", &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let (status, answer) = post("release", &[("csrf", &csrf), ("withhold", "yes")]).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let second = crate::releases::release(&app, &wave, 2).await;
    let second_seen = harvest_all(&app, &places, &wave, year).await;

    let (first_baselines, first_seen) = baselines_apart(first_seen);
    let (second_baselines, second_seen) = baselines_apart(second_seen);
    assert!(
        !first_baselines.is_empty(),
        "the demo's goal set on the audited wave is read with its baseline"
    );
    assert_eq!(
        first_baselines.len(),
        second_baselines.len(),
        "a goal's baseline stays as it was set"
    );
    let first_seen: Vec<Seen> = first_seen
        .into_iter()
        .chain(first_baselines)
        .chain(second_baselines)
        .collect();
    let mut auditor = Auditor::new(k, &states, surveys::standard_v1()).unwrap();
    let covered = observe(&mut auditor, 0, &first, &first_seen);
    assert_complete(&first, &covered);
    let covered = observe(&mut auditor, 1, &second, &second_seen);
    assert_complete(&second, &covered);
    let started = std::time::Instant::now();
    let audit = auditor.audit();
    let disclosures: Vec<_> = audit.disclosures().collect();
    println!(
        "harvest: the auditor derived {} hidden figures, {} of them disclosures ({:.1} s)",
        audit.determined().len(),
        disclosures.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        disclosures.is_empty(),
        "{}",
        Audit::describe(disclosures.iter().copied(), 20)
    );

    // The control: had the second release shown one figure more — the
    // region's share for the indicator the charts open on, computed afresh
    // without the first release in view — the same harvest would give the
    // three late students away.
    let mut control = Auditor::new(k, &states, surveys::standard_v1()).unwrap();
    observe(&mut control, 0, &first, &first_seen);
    observe(&mut control, 1, &second, &second_seen);
    let afresh =
        surveys::compute_wave(surveys::standard_v1(), &states[1], first.threshold()).unwrap();
    let region = Group::new(Place::Region, Breakdown::All);
    let Some(Release::Released(share)) = afresh.share(&region, "drunk_30d") else {
        panic!("the region's figure is released when computed afresh");
    };
    let shown = Observation::Share {
        indicator: "drunk_30d".to_owned(),
        share,
    };
    control.observe(1, &region, shown).unwrap();
    assert!(
        control.audit().disclosures().next().is_some(),
        "the auditor sees the late students through a region figure computed afresh"
    );
}

crate::on_both_databases!(nothing_any_account_reads_across_two_releases_discloses_a_small_group);
