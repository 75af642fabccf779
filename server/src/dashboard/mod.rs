//! The dashboards: where the young people of the region, a municipality, a
//! village or a school stand, how that moved since earlier waves, and how it
//! compares — as a page, a printable report and downloads (CSV, XLSX, the
//! codebook).
//!
//! Every request names a place (`region`, `municipality-3`, `village-17`,
//! `school-5`); the one authorization function decides whether the viewer may
//! see it, and which larger places may be set beside it as references. A place
//! the viewer may not see is answered exactly like one that does not exist.
//! Pages read the waves' stored results only (see [`waves`]).

pub mod build;
mod page;
pub mod waves;

use std::collections::HashMap;

use app::i18n::Lang;
use axum::{
    Router,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use serde::Deserialize;
use surveys::wave::{ClassTally, ResponseRate, response_rates};
use surveys::{Breakdown, Gender, MunicipalityId, Place, Residence, SchoolId, VillageId};

use crate::admin::{Staff, message_page, say};
use crate::auth::authz::{Action, Target};
use crate::entities::{class_code, municipality, region, school, village};
use crate::error::AppError;
use crate::state::AppState;
use build::{Community, Dashboard, Request, Selection};
use waves::ShownWave;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(index))
        .route("/dashboard/codebook/{file}", get(codebook))
        .route("/dashboard/{place}", get(dashboard_page))
        .route("/dashboard/{place}/report", get(report))
        .route("/dashboard/{place}/download/{file}", get(download))
}

/// The places of the installation, read once per request (a region has tens
/// of them).
pub(crate) struct Places {
    pub region: region::Model,
    pub municipalities: Vec<municipality::Model>,
    pub villages: Vec<village::Model>,
    pub schools: Vec<school::Model>,
}

impl Places {
    pub async fn load(db: &DatabaseConnection) -> Result<Option<Places>, DbErr> {
        let places = crate::admin::places::places(db).await?;
        Ok(places.region.map(|region| Places {
            region,
            municipalities: places.municipalities,
            villages: places.villages,
            schools: places.schools,
        }))
    }

    pub fn region(&self) -> Community {
        Community {
            name: self.region.name.clone(),
            place: Place::Region,
        }
    }

    pub fn municipality(&self, id: i32) -> Option<(Community, Target)> {
        let m = self.municipalities.iter().find(|m| m.id == id)?;
        Some((
            Community {
                name: m.name.clone(),
                place: Place::Municipality(MunicipalityId(i64::from(m.id))),
            },
            Target::Municipality { id: m.id },
        ))
    }

    pub fn village(&self, id: i32) -> Option<(Community, Target)> {
        let v = self.villages.iter().find(|v| v.id == id)?;
        Some((
            Community {
                name: v.name.clone(),
                place: Place::Residence(
                    MunicipalityId(i64::from(v.municipality_id)),
                    Residence::Village(VillageId(i64::from(v.id))),
                ),
            },
            Target::Village {
                id: v.id,
                municipality: v.municipality_id,
            },
        ))
    }

    pub fn school(&self, id: i32) -> Option<(Community, Target)> {
        let s = self.schools.iter().find(|s| s.id == id)?;
        Some((
            Community {
                name: s.name.clone(),
                place: Place::School(SchoolId(i64::from(s.id))),
            },
            Target::School {
                id: s.id,
                municipality: s.municipality_id,
            },
        ))
    }

    /// The place a URL names, as `region`, `municipality-3`, `village-17`,
    /// `school-5`.
    pub fn named(&self, name: &str) -> Option<(Community, Target)> {
        if name == "region" {
            return Some((self.region(), Target::Region));
        }
        let (kind, id) = name.split_once('-')?;
        let id = crate::admin::parse_id(id)?;
        match kind {
            "municipality" => self.municipality(id),
            "village" => self.village(id),
            "school" => self.school(id),
            _ => None,
        }
    }
}

/// The URL name of a place.
pub(crate) fn place_name(target: &Target) -> String {
    match *target {
        Target::Region => "region".to_owned(),
        Target::Municipality { id } => format!("municipality-{id}"),
        Target::Village { id, .. } => format!("village-{id}"),
        Target::School { id, .. } => format!("school-{id}"),
        Target::ClassCode { .. } => String::new(),
    }
}

/// The filters of a dashboard, as the query string carries them.
#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    wave: Option<String>,
    who: Option<String>,
    indicator: Option<String>,
}

/// The students a `who` filter names: every group a dashboard can show.
pub const WHO: [(&str, Breakdown); 5] = [
    ("all", Breakdown::All),
    ("year-2", Breakdown::SchoolYear(2)),
    ("year-4", Breakdown::SchoolYear(4)),
    ("boys", Breakdown::Gender(Gender::Boy)),
    ("girls", Breakdown::Gender(Gender::Girl)),
];

pub(crate) fn who_key(breakdown: Breakdown) -> &'static str {
    WHO.iter()
        .find(|(_, b)| *b == breakdown)
        .map_or("all", |(key, _)| key)
}

impl Filters {
    /// The selection these filters make among `waves`; `Err` with the message
    /// for a value that names nothing.
    fn select(&self, waves: &[ShownWave], lang: Lang) -> Result<Selection, &'static str> {
        let wave = match self.wave.as_deref().filter(|w| !w.is_empty()) {
            None => waves.len().checked_sub(1).ok_or("")?,
            Some(raw) => crate::admin::parse_id(raw)
                .and_then(|id| waves.iter().position(|w| w.id == id))
                .ok_or(say(
                    lang,
                    "Deze peiling bestaat niet of heeft nog geen cijfers.",
                    "This wave does not exist or has no figures yet.",
                ))?,
        };
        let breakdown = match self.who.as_deref().filter(|w| !w.is_empty()) {
            None => Breakdown::All,
            Some(raw) => WHO
                .iter()
                .find(|(key, _)| *key == raw)
                .map(|(_, b)| *b)
                .ok_or(say(
                    lang,
                    "Kies alle leerlingen, een leerjaar of jongens of meisjes.",
                    "Choose all students, a school year, or boys or girls.",
                ))?,
        };
        let questionnaire = waves[wave].questionnaire;
        let indicator = match self.indicator.as_deref().filter(|i| !i.is_empty()) {
            None => default_indicator(questionnaire),
            Some(raw) => questionnaire
                .indicator(raw)
                .map(|i| i.key.clone())
                .ok_or(say(
                    lang,
                    "Deze indicator bestaat niet in deze peiling.",
                    "This indicator is not part of this wave.",
                ))?,
        };
        Ok(Selection {
            wave,
            breakdown,
            indicator,
        })
    }
}

/// The indicator charts follow unless another is chosen: drunkenness, the
/// measure the Icelandic model is best known for, when the questionnaire has it.
fn default_indicator(questionnaire: &surveys::Questionnaire) -> String {
    questionnaire
        .indicator("drunk_30d")
        .or_else(|| questionnaire.indicators().first())
        .map(|i| i.key.clone())
        .unwrap_or_default()
}

/// A dashboard request, authorised and built.
struct Built {
    staff: Staff,
    place: String,
    waves: Vec<ShownWave>,
    selection: Selection,
    dashboard: Dashboard,
    synthetic: bool,
    /// Other places the viewer may open from here (villages of a municipality,
    /// the municipality of a village…).
    links: Vec<(String, String)>,
    /// The viewer may set goals on this place's figures.
    may_set_goals: bool,
    /// The place's prevention actions, for the report; `None` for the region.
    actions: Option<reports::Table>,
}

/// Everything before writing a dashboard out: who asks, may they, which waves,
/// which filters; or the response that ends the request.
async fn prepare(
    state: &AppState,
    headers: &HeaderMap,
    place: &str,
    filters: &Filters,
) -> Result<Built, Response> {
    let staff = Staff::from_request(state, headers).await?;
    let lang = staff.lang;
    let places = Places::load(&state.db)
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::NotFound)?;
    let (community, target) = places.named(place).ok_or(AppError::NotFound)?;
    staff.require(Action::ViewFigures, Some(target))?;
    let waves = waves::shown_waves(&state.db, &state.results)
        .await
        .map_err(|error| {
            tracing::error!(%error, "wave results could not be read");
            message_page(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                say(lang, "Even niet beschikbaar", "Not available right now"),
                say(
                    lang,
                    "De cijfers kunnen nu niet worden gelezen. Probeer het over een paar minuten opnieuw.",
                    "The figures cannot be read right now. Please try again in a few minutes.",
                ),
            )
        })?;
    if waves.is_empty() {
        return Err(message_page(
            lang,
            StatusCode::OK,
            &community.name,
            say(
                lang,
                "Er zijn nog geen cijfers: ze verschijnen zodra een peiling is gesloten.",
                "There are no figures yet: they appear as soon as a wave has closed.",
            ),
        ));
    }
    let selection = filters.select(&waves, lang).map_err(|text| {
        message_page(
            lang,
            StatusCode::BAD_REQUEST,
            say(lang, "Onbekende keuze", "Unknown choice"),
            text,
        )
    })?;

    let may_refer = |target: &Target| staff.may(Action::ViewReference, target);
    let may_view = |target: &Target| staff.may(Action::ViewFigures, target);
    let mut references = Vec::new();
    let mut neighbours = Vec::new();
    let mut neighbours_reference = None;
    let mut links = Vec::new();
    let mut link = |target: &Target, name: &str| {
        if may_view(target) {
            let kind = match target {
                Target::Region => say(lang, "regio", "region"),
                Target::Municipality { .. } => say(lang, "gemeente", "municipality"),
                Target::Village { .. } => say(lang, "kern", "village"),
                _ => say(lang, "school", "school"),
            };
            links.push((place_name(target), format!("{name} ({kind})")));
        }
    };
    match target {
        Target::Region => {
            for m in &places.municipalities {
                if let Some((c, t)) = places.municipality(m.id)
                    && may_view(&t)
                {
                    link(&t, &c.name);
                    neighbours.push(c);
                }
            }
            neighbours_reference = Some(places.region());
        }
        Target::Municipality { id } => {
            for v in places.villages.iter().filter(|v| v.municipality_id == id) {
                if let Some((c, t)) = places.village(v.id)
                    && may_view(&t)
                {
                    link(&t, &c.name);
                    neighbours.push(c);
                }
            }
            neighbours_reference = Some(community.clone());
            link(&Target::Region, &places.region.name);
        }
        Target::Village { municipality, .. } => {
            if let Some((c, t)) = places.municipality(municipality) {
                link(&t, &c.name);
                if may_refer(&t) {
                    neighbours_reference = Some(c.clone());
                    references.push(c);
                }
            }
            for v in places
                .villages
                .iter()
                .filter(|v| v.municipality_id == municipality)
            {
                if let Some((c, t)) = places.village(v.id)
                    && may_view(&t)
                {
                    if t != target {
                        link(&t, &c.name);
                    }
                    neighbours.push(c);
                }
            }
        }
        Target::School { municipality, .. } => {
            if let Some((c, t)) = places.municipality(municipality) {
                link(&t, &c.name);
                if may_refer(&t) {
                    references.push(c);
                }
            }
        }
        Target::ClassCode { .. } => return Err(AppError::NotFound.into()),
    }
    if target != Target::Region {
        if may_refer(&Target::Region) {
            references.push(places.region());
        }
        link(&Target::Region, &places.region.name);
    }
    // A lone neighbour is the community itself: nothing to set side by side.
    if neighbours.len() < 2 {
        neighbours.clear();
    }
    links.dedup();

    let response = response_counts(&state.db, &places, &target, &waves)
        .await
        .map_err(AppError::from)?;
    let synthetic = places.region.synthetic;
    // Goals belong to municipalities, villages and schools; they are read
    // with the figures of the selected wave.
    let goals = match target {
        Target::Region | Target::ClassCode { .. } => None,
        _ => Some(crate::planning::goals::rows(
            crate::planning::goals_of(&state.db, &place_name(&target))
                .await
                .map_err(AppError::from)?,
            &waves,
            Some(selection.wave),
            community.place,
            language(lang),
        )),
    };
    let may_set_goals = goals.is_some() && staff.may(Action::SetGoals, &target);
    // The place's actions (for a municipality, also its villages' and
    // schools'), for the report.
    let actions = match (&goals, crate::planning::planning_place(&places, place)) {
        (Some(_), Some(planned)) => {
            let questionnaire = waves[selection.wave].questionnaire;
            let listed = crate::planning::listed_actions(
                &state.db,
                &staff,
                &places,
                &planned,
                questionnaire,
            )
            .await
            .map_err(AppError::from)?;
            Some(crate::planning::page::actions_table(
                lang,
                &planned.community.name,
                &listed,
                &crate::planning::factors(&waves, language(lang)),
            ))
        }
        _ => None,
    };
    let dashboard = build::build(
        &waves,
        &Request {
            language: language(lang),
            community,
            references,
            neighbours,
            neighbours_reference,
            response: &|wave| response.get(&wave).copied(),
            synthetic,
            selection: selection.clone(),
            goals,
        },
    )
    .ok_or(AppError::NotFound)?;
    Ok(Built {
        actions,
        may_set_goals,
        staff,
        place: place.to_owned(),
        waves,
        selection,
        dashboard,
        synthetic,
        links,
    })
}

/// Submitted and expected students of registered classes per wave, for the
/// schools of the place (none for a village: its students go to many schools).
async fn response_counts(
    db: &DatabaseConnection,
    places: &Places,
    target: &Target,
    waves: &[ShownWave],
) -> Result<HashMap<i32, ResponseRate>, DbErr> {
    let schools: Vec<i32> = match *target {
        Target::Region => places.schools.iter().map(|s| s.id).collect(),
        Target::Municipality { id } => places
            .schools
            .iter()
            .filter(|s| s.municipality_id == id)
            .map(|s| s.id)
            .collect(),
        Target::School { id, .. } => vec![id],
        _ => return Ok(HashMap::new()),
    };
    let codes = class_code::Entity::find()
        .filter(class_code::Column::WaveId.is_in(waves.iter().map(|w| w.id)))
        .filter(class_code::Column::SchoolId.is_in(schools))
        .all(db)
        .await?;
    let mut tallies: HashMap<i32, Vec<ClassTally<i32>>> = HashMap::new();
    for code in codes {
        tallies.entry(code.wave_id).or_default().push(code.tally());
    }
    Ok(tallies
        .into_iter()
        .map(|(wave, tallies)| (wave, response_rates(&tallies).total))
        .collect())
}

pub fn language(lang: Lang) -> reports::Language {
    match lang {
        Lang::Nl => reports::Language::Nl,
        Lang::En => reports::Language::En,
    }
}

async fn dashboard_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(place): Path<String>,
    filters: Result<Query<Filters>, QueryRejection>,
) -> Response {
    match prepare_from_query(&state, &headers, &place, filters).await {
        Ok(built) => page::dashboard(built),
        Err(response) => response,
    }
}

async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(place): Path<String>,
    filters: Result<Query<Filters>, QueryRejection>,
) -> Response {
    match prepare_from_query(&state, &headers, &place, filters).await {
        Ok(built) => page::report(built),
        Err(response) => response,
    }
}

/// [`prepare`], once the query string could be read.
async fn prepare_from_query(
    state: &AppState,
    headers: &HeaderMap,
    place: &str,
    filters: Result<Query<Filters>, QueryRejection>,
) -> Result<Built, Response> {
    let Ok(Query(filters)) = filters else {
        return Err(crate::error::AppError::BadForm.into_response());
    };
    prepare(state, headers, place, &filters).await
}

/// A download's file name: a table's name, or `all`, then `.csv` or `.xlsx`.
pub(crate) fn parse_file(file: &str) -> Option<(&str, Format)> {
    let (stem, extension) = file.rsplit_once('.')?;
    let format = match extension {
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        _ => return None,
    };
    Some((stem, format))
}

#[derive(Clone, Copy)]
pub(crate) enum Format {
    Csv,
    Xlsx,
}

/// A download: a CSV of the first table in the reader's dialect (Dutch:
/// `;` and decimal commas), or a workbook of all of them.
pub(crate) fn file_response(
    file_name: &str,
    format: Format,
    tables: &[reports::Table],
    lang: Lang,
) -> Response {
    let (content_type, body) = match format {
        Format::Csv => match tables.first() {
            Some(table) => (
                "text/csv; charset=utf-8",
                reports::export::csv(table, language(lang)).into_bytes(),
            ),
            None => return StatusCode::NOT_FOUND.into_response(),
        },
        Format::Xlsx => match reports::export::xlsx(tables) {
            Ok(bytes) => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                bytes,
            ),
            Err(error) => {
                tracing::error!(%error, "a spreadsheet could not be written");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
    };
    let disposition = format!("attachment; filename=\"{file_name}\"");
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((place, file)): Path<(String, String)>,
    filters: Result<Query<Filters>, QueryRejection>,
) -> Response {
    // Authorise before looking at the file name, so a denied place says nothing.
    let built = match prepare_from_query(&state, &headers, &place, filters).await {
        Ok(built) => built,
        Err(response) => return response,
    };
    let lang = built.staff.lang;
    let Some((stem, format)) = parse_file(&file) else {
        return AppError::NotFound.into_response();
    };
    let stamp = format!(
        "peiling-{}-{}-{}",
        built.place,
        built.waves[built.selection.wave].year,
        who_key(built.selection.breakdown)
    );
    let mut tables: Vec<reports::Table> = Vec::new();
    if stem == "all" {
        tables.extend(
            built
                .dashboard
                .tables()
                .into_iter()
                .map(|t| t.table.clone()),
        );
        if matches!(format, Format::Csv) {
            return AppError::NotFound.into_response();
        }
    } else {
        match built.dashboard.table(stem) {
            Some(table) => tables.push(table.table.clone()),
            None => return AppError::NotFound.into_response(),
        }
    }
    if matches!(format, Format::Xlsx) {
        tables.push(notes(lang, built.synthetic));
    }
    let extension = match format {
        Format::Csv => "csv",
        Format::Xlsx => "xlsx",
    };
    file_response(
        &format!("{stamp}-{stem}.{extension}"),
        format,
        &tables,
        lang,
    )
}

async fn codebook(
    State(state): State<AppState>,
    staff: Staff,
    Path(file): Path<String>,
) -> Response {
    // The codebook describes the questionnaire, not anybody's figures; whoever
    // has a dashboard may read it.
    let places = match Places::load(&state.db).await {
        Ok(Some(places)) => places,
        Ok(None) => return AppError::NotFound.into_response(),
        Err(error) => return AppError::from(error).into_response(),
    };
    if dashboards(&staff, &places).is_empty() {
        return AppError::NotFound.into_response();
    }
    let Some(("codebook", format)) = parse_file(&file) else {
        return AppError::NotFound.into_response();
    };
    let questionnaire = surveys::standard_v1();
    let mut tables = vec![reports::export::codebook(
        questionnaire,
        language(staff.lang),
    )];
    if matches!(format, Format::Xlsx) {
        tables.push(notes(staff.lang, staff.synthetic));
    }
    let extension = match format {
        Format::Csv => "csv",
        Format::Xlsx => "xlsx",
    };
    file_response(
        &format!("peiling-codebook-{}.{extension}", questionnaire.key()),
        format,
        &tables,
        staff.lang,
    )
}

/// The sheet that explains a workbook: how to read its figures, and that a
/// demo's are synthetic.
fn notes(lang: Lang, synthetic: bool) -> reports::Table {
    let mut lines = Vec::new();
    if synthetic {
        lines.push(
            say(
                lang,
                "Synthetische gegevens: een fictieve regio. Geen enkel cijfer gaat over echte jongeren of plaatsen.",
                "Synthetic data: a fictional region. No figure describes real young people or places.",
            )
            .to_owned(),
        );
    }
    lines.extend(reports::export::codebook_notes(language(lang)));
    reports::Table {
        title: say(lang, "Toelichting", "Notes").to_owned(),
        columns: vec![say(lang, "Toelichting", "Notes").to_owned()],
        rows: lines
            .into_iter()
            .map(|line| vec![reports::Cell::Text(line)])
            .collect(),
    }
}

/// The places this viewer has a dashboard for: the region, then each
/// municipality with its villages and schools beneath it.
async fn index(State(state): State<AppState>, staff: Staff) -> Response {
    let places = match Places::load(&state.db).await {
        Ok(Some(places)) => places,
        Ok(None) => return AppError::NotFound.into_response(),
        Err(error) => return AppError::from(error).into_response(),
    };
    let entries = dashboards(&staff, &places);
    let groups = group_by_municipality(&places, entries);
    page::index(staff, groups)
}

/// A municipality in the list of dashboards: its name, its own dashboard when
/// the viewer has it, and the viewer's dashboards of places within it.
pub struct PlaceGroup {
    pub name: String,
    pub own: Option<String>,
    pub places: Vec<(String, String, &'static str)>,
}

/// The region's entry first (as a group of its own), then one group per
/// municipality holding any of the viewer's dashboards.
fn group_by_municipality(
    places: &Places,
    entries: Vec<(String, String, &'static str)>,
) -> Vec<PlaceGroup> {
    let mut groups = Vec::new();
    if let Some((place, name, _)) = entries.iter().find(|(p, _, _)| p == "region") {
        groups.push(PlaceGroup {
            name: name.clone(),
            own: Some(place.clone()),
            places: vec![],
        });
    }
    for m in &places.municipalities {
        let own_place = format!("municipality-{}", m.id);
        let within = |place: &str| match places.named(place) {
            Some((
                _,
                Target::Village { municipality, .. } | Target::School { municipality, .. },
            )) => municipality == m.id,
            _ => false,
        };
        let inside: Vec<(String, String, &'static str)> = entries
            .iter()
            .filter(|(p, _, _)| within(p))
            .cloned()
            .collect();
        let own = entries
            .iter()
            .any(|(p, _, _)| *p == own_place)
            .then_some(own_place);
        if own.is_some() || !inside.is_empty() {
            groups.push(PlaceGroup {
                name: m.name.clone(),
                own,
                places: inside,
            });
        }
    }
    groups
}

/// The dashboards this viewer may open: URL name, place name, kind of place.
fn dashboards(staff: &Staff, places: &Places) -> Vec<(String, String, &'static str)> {
    let lang = staff.lang;
    let mut entries: Vec<(String, String, &'static str)> = Vec::new();
    if staff.may(Action::ViewFigures, &Target::Region) {
        entries.push((
            "region".to_owned(),
            places.region.name.clone(),
            say(lang, "regio", "region"),
        ));
    }
    for m in &places.municipalities {
        if let Some((c, t)) = places.municipality(m.id)
            && staff.may(Action::ViewFigures, &t)
        {
            entries.push((
                place_name(&t),
                c.name,
                say(lang, "gemeente", "municipality"),
            ));
        }
    }
    for v in &places.villages {
        if let Some((c, t)) = places.village(v.id)
            && staff.may(Action::ViewFigures, &t)
        {
            entries.push((place_name(&t), c.name, say(lang, "kern", "village")));
        }
    }
    for s in &places.schools {
        if let Some((c, t)) = places.school(s.id)
            && staff.may(Action::ViewFigures, &t)
        {
            entries.push((place_name(&t), c.name, say(lang, "school", "school")));
        }
    }
    entries
}
