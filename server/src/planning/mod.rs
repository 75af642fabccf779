//! Prevention planning: a community steers on its figures. Goals are set on
//! released figures (from any dashboard row), each goal gets a status at every
//! later release ([`surveys::planning`]), actions are recorded in the four
//! domains, and each municipality keeps the ten steps of the prevention cycle
//! per wave; the region coordinator sees every municipality side by side.
//!
//! Who may do what is decided by the one authorization function: goals by
//! [`Action::SetGoals`], actions by [`Action::RecordActions`], the cycle by
//! [`Action::RunCycle`], and reading a place's planning by
//! [`Action::ViewFigures`] on that place (its goals carry its figures). Every
//! change is audited and arrives through a CSRF-checked form; a refused form
//! changes nothing and says why in the reader's language.

mod actions;
mod cycle;
pub mod demo;
mod downloads;
mod goal_forms;
pub mod goals;
mod overview;
pub(crate) mod page;

use std::collections::HashMap;

use axum::{
    Router,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::Deserialize;
use surveys::{Direction, Group, Release};

use crate::admin::{CsrfForm, Problem, Staff, say};
use crate::auth::authz::{Action, Target};
use crate::dashboard::build::Community;
use crate::dashboard::waves::{ShownWave, shown_waves};
use crate::dashboard::{Places, place_name};
use crate::entities::{cycle_step, goal, prevention_action, survey_wave};
use crate::error::AppError;
use crate::state::AppState;
use goals::{DOMAINS, GoalRow};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planning", get(overview::overview))
        .route("/planning/{place}", get(place_page))
        .route("/planning/{place}/goals/new", get(goal_forms::new_goal))
        .route("/planning/{place}/goals", post(goal_forms::create_goal))
        .route(
            "/planning/{place}/goals/{id}/remove",
            post(goal_forms::remove_goal),
        )
        .route("/planning/{place}/actions", post(actions::create_action))
        .route(
            "/planning/{place}/actions/{id}",
            post(actions::update_action),
        )
        .route("/planning/{place}/cycle", post(cycle::save_cycle_step))
        .route(
            "/planning/{place}/download/{file}",
            get(downloads::download),
        )
}

/// The statuses of an action, with their stored keys.
pub const ACTION_STATUSES: [(&str, &str, &str); 4] = [
    ("planned", "gepland", "planned"),
    ("running", "loopt", "running"),
    ("done", "afgerond", "done"),
    ("stopped", "gestopt", "stopped"),
];

/// The ten steps of the Icelandic model's implementation cycle.
pub const CYCLE_STEPS: [(&str, &str); 10] = [
    ("Coalitie vormen", "Build the local coalition"),
    ("Financiering regelen", "Secure funding"),
    ("De peiling voorbereiden", "Plan before the survey"),
    ("Gegevens verzamelen", "Collect the data"),
    ("De gemeenschap betrekken", "Engage the community"),
    ("Uitkomsten delen", "Disseminate the findings"),
    ("Samen doelen stellen", "Set community goals"),
    ("Beleid afstemmen", "Align policy and practice"),
    (
        "Jongeren in gezonde vrijetijdsomgevingen",
        "Youth in prevention environments",
    ),
    ("Herhalen: de volgende peiling", "Repeat: the next survey"),
];

/// The longest free texts a form takes.
const TITLE_MAX: usize = 200;
const TEXT_MAX: usize = 2000;

/// A place that has planning, looked up and authorised for `action`.
pub(crate) struct PlanningPlace {
    pub name: String,
    pub community: Community,
    pub target: Target,
    pub municipality: i32,
}

pub(crate) fn planning_place(places: &Places, name: &str) -> Option<PlanningPlace> {
    let (community, target) = places.named(name)?;
    let municipality = match target {
        Target::Municipality { id } => id,
        Target::Village { municipality, .. } | Target::School { municipality, .. } => municipality,
        Target::Region | Target::ClassCode { .. } => return None,
    };
    Some(PlanningPlace {
        name: place_name(&target),
        community,
        target,
        municipality,
    })
}

/// The place a request names, when the viewer may read its planning.
async fn readable(state: &AppState, staff: &Staff, place: &str) -> Result<PlanningPlace, AppError> {
    let places = Places::load(&state.db).await?.ok_or(AppError::NotFound)?;
    let found = planning_place(&places, place).ok_or(AppError::NotFound)?;
    staff.require(Action::ViewFigures, Some(found.target))?;
    Ok(found)
}

/// The place a request names, when the viewer may read its plan and do
/// `action` on it.
async fn authorised(
    state: &AppState,
    staff: &Staff,
    place: &str,
    action: Action,
) -> Result<PlanningPlace, AppError> {
    let place = readable(state, staff, place).await?;
    staff.require(action, Some(place.target))?;
    Ok(place)
}

async fn waves(state: &AppState) -> Result<Vec<ShownWave>, AppError> {
    shown_waves(&state.db, &state.results)
        .await
        .map_err(|error| {
            tracing::error!(%error, "wave results could not be read");
            AppError::Unavailable(DbErr::Custom("wave results could not be read".into()))
        })
}

/// The goals of a place, oldest first.
pub(crate) async fn goals_of(
    db: &DatabaseConnection,
    place: &str,
) -> Result<Vec<goal::Model>, DbErr> {
    goal::Entity::find()
        .filter(goal::Column::Place.eq(place))
        .order_by_asc(goal::Column::Id)
        .all(db)
        .await
}

pub(crate) async fn actions_of(
    db: &DatabaseConnection,
    place: &str,
) -> Result<Vec<prevention_action::Model>, DbErr> {
    prevention_action::Entity::find()
        .filter(prevention_action::Column::Place.eq(place))
        .order_by_asc(prevention_action::Column::StartsOn)
        .order_by_asc(prevention_action::Column::Id)
        .all(db)
        .await
}

/// An action as a plan lists it: where it is, the goal it serves, and
/// whether the reader may update it.
pub(crate) struct ListedAction {
    pub action: prevention_action::Model,
    /// The place's name, e.g. "Westdorp".
    pub place: String,
    /// The indicator of the goal it serves, in the reader's language.
    pub goal: String,
    pub may_update: bool,
}

/// The actions a place's plan lists: its own and, for a municipality, those
/// of its villages and schools whose plans the reader may read.
pub(crate) async fn listed_actions(
    db: &DatabaseConnection,
    staff: &Staff,
    places: &Places,
    place: &PlanningPlace,
    questionnaire: &surveys::Questionnaire,
) -> Result<Vec<ListedAction>, DbErr> {
    let found = match place.target {
        Target::Municipality { id } => {
            prevention_action::Entity::find()
                .filter(prevention_action::Column::MunicipalityId.eq(id))
                .order_by_asc(prevention_action::Column::StartsOn)
                .order_by_asc(prevention_action::Column::Id)
                .all(db)
                .await?
        }
        _ => actions_of(db, &place.name).await?,
    };
    let goal_ids: Vec<i32> = found.iter().filter_map(|a| a.goal_id).collect();
    let goals = goal::Entity::find()
        .filter(goal::Column::Id.is_in(goal_ids))
        .all(db)
        .await?;
    let language = crate::dashboard::language(staff.lang);
    let mut listed = Vec::new();
    for action in found {
        let Some(at) = planning_place(places, &action.place) else {
            continue;
        };
        if !staff.may(Action::ViewFigures, &at.target) {
            continue;
        }
        let goal = action
            .goal_id
            .and_then(|id| goals.iter().find(|g| g.id == id))
            .map(|g| {
                questionnaire.indicator(&g.indicator).map_or_else(
                    || g.indicator.clone(),
                    |i| i.label.get(language.code()).to_owned(),
                )
            })
            .unwrap_or_default();
        listed.push(ListedAction {
            may_update: staff.may(Action::RecordActions, &at.target),
            place: at.community.name,
            goal,
            action,
        });
    }
    Ok(listed)
}

/// The waves a cycle can be kept for, newest first.
async fn cycle_waves(db: &DatabaseConnection) -> Result<Vec<survey_wave::Model>, DbErr> {
    survey_wave::Entity::find()
        .order_by_desc(survey_wave::Column::Year)
        .order_by_desc(survey_wave::Column::Id)
        .all(db)
        .await
}

async fn cycle_of(
    db: &DatabaseConnection,
    municipality: i32,
    wave: i32,
) -> Result<Vec<cycle_step::Model>, DbErr> {
    cycle_step::Entity::find()
        .filter(cycle_step::Column::MunicipalityId.eq(municipality))
        .filter(cycle_step::Column::WaveId.eq(wave))
        .all(db)
        .await
}

/// The filters of a planning page, as the query string carries them.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    wave: String,
    #[serde(default)]
    done: String,
}

/// Everything a place's planning page shows.
pub(crate) struct PlacePage {
    pub place: PlanningPlace,
    pub goals: Vec<GoalRow>,
    pub actions: Vec<ListedAction>,
    pub domain: String,
    pub status: String,
    /// For a municipality: the waves, the chosen one, and its steps.
    pub cycle: Option<(Vec<survey_wave::Model>, i32, Vec<cycle_step::Model>)>,
    pub done: Option<&'static str>,
    pub may_set_goals: bool,
    pub may_record: bool,
    pub may_run_cycle: bool,
    /// Risk and protective factors an action can aim at: (key, label).
    pub factors: Vec<(String, String)>,
}

async fn place_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(place): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Ok(Query(query)) = query else {
        return Err(AppError::BadForm);
    };
    let place = readable(&state, &staff, &place).await?;
    let lang = staff.lang;
    if !query.domain.is_empty() && !DOMAINS.iter().any(|(k, _, _)| *k == query.domain) {
        return Ok(unknown_choice(&staff));
    }
    if !query.status.is_empty() && !ACTION_STATUSES.iter().any(|(k, _, _)| *k == query.status) {
        return Ok(unknown_choice(&staff));
    }
    let wave = match query.wave.as_str() {
        "" => None,
        raw => match crate::admin::parse_id(raw) {
            Some(id) => Some(id),
            None => return Ok(unknown_choice(&staff)),
        },
    };
    let done = match query.done.as_str() {
        "goal" => Some(say(lang, "Het doel is opgeslagen.", "The goal was saved.")),
        "removed" => Some(say(
            lang,
            "Het doel is verwijderd.",
            "The goal was removed.",
        )),
        "action" => Some(say(
            lang,
            "De actie is opgeslagen.",
            "The action was saved.",
        )),
        "cycle" => Some(say(lang, "De stap is opgeslagen.", "The step was saved.")),
        _ => None,
    };
    let Some(mut page) =
        load_page(&state, &staff, place, &query.domain, &query.status, wave).await?
    else {
        return Ok(unknown_choice(&staff));
    };
    page.done = done;
    Ok(page::place(&staff, page, StatusCode::OK, vec![]))
}

/// Everything a place's planning page shows, with the actions filtered by
/// `domain` and `status` (empty: all) and the cycle of `wave` (the latest
/// when `None`); `None` when `wave` names no wave.
async fn load_page(
    state: &AppState,
    staff: &Staff,
    place: PlanningPlace,
    domain: &str,
    status: &str,
    wave: Option<i32>,
) -> Result<Option<PlacePage>, AppError> {
    let waves = waves(state).await?;
    let language = crate::dashboard::language(staff.lang);
    let goals = goals::rows(
        goals_of(&state.db, &place.name).await?,
        &waves,
        None,
        place.community.place,
        language,
    );
    let places = Places::load(&state.db).await?.ok_or(AppError::NotFound)?;
    let questionnaire = waves
        .last()
        .map_or_else(surveys::standard_v1, |w| w.questionnaire);
    let mut actions = listed_actions(&state.db, staff, &places, &place, questionnaire).await?;
    actions.retain(|listed| {
        let a = &listed.action;
        (domain.is_empty() || a.domain == domain) && (status.is_empty() || a.status == status)
    });
    let cycle = match place.target {
        Target::Municipality { id } => {
            let all = cycle_waves(&state.db).await?;
            let chosen = match wave {
                None => all.first().map(|w| w.id),
                Some(wave) if all.iter().any(|w| w.id == wave) => Some(wave),
                Some(_) => return Ok(None),
            };
            match chosen {
                Some(wave) => {
                    let steps = cycle_of(&state.db, id, wave).await?;
                    Some((all, wave, steps))
                }
                None => None,
            }
        }
        _ => None,
    };
    Ok(Some(PlacePage {
        may_set_goals: staff.may(Action::SetGoals, &place.target),
        may_record: staff.may(Action::RecordActions, &place.target),
        may_run_cycle: staff.may(Action::RunCycle, &place.target),
        place,
        goals,
        actions,
        domain: domain.to_owned(),
        status: status.to_owned(),
        cycle,
        done: None,
        factors: factors(&waves, language),
    }))
}

/// The risk and protective factors of the latest questionnaire.
pub(crate) fn factors(waves: &[ShownWave], language: reports::Language) -> Vec<(String, String)> {
    let questionnaire = waves
        .last()
        .map_or_else(surveys::standard_v1, |w| w.questionnaire);
    questionnaire
        .indicators()
        .iter()
        .filter(|i| i.direction != Direction::Outcome)
        .map(|i| (i.key.clone(), i.label.get(language.code()).to_owned()))
        .collect()
}

fn unknown_choice(staff: &Staff) -> Response {
    let lang = staff.lang;
    crate::admin::message_page(
        lang,
        StatusCode::BAD_REQUEST,
        say(lang, "Onbekende keuze", "Unknown choice"),
        say(
            lang,
            "Kies een domein, een stand of een peiling uit de lijst.",
            "Choose a domain, a status or a wave from the list.",
        ),
    )
}

/// The way back after a change: the place's planning page, saying what was done.
fn see_other(place: &str, done: &str, anchor: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            format!("/planning/{place}?done={done}#{anchor}"),
        )],
    )
        .into_response()
}

/// Re-renders the place's page with the refusal of a form.
async fn refused(
    state: &AppState,
    staff: &Staff,
    place: PlanningPlace,
    problems: Vec<Problem>,
) -> Result<Response, AppError> {
    let page = load_page(state, staff, place, "", "", None)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(page::place(
        staff,
        page,
        StatusCode::UNPROCESSABLE_ENTITY,
        problems,
    ))
}

/// Free text from a form: trimmed, at most `max` characters, no control
/// characters besides line breaks, and no markup.
fn free_text(
    lang: app::i18n::Lang,
    field: &'static str,
    raw: &str,
    max: usize,
    required: bool,
) -> Result<String, Problem> {
    let text = raw.trim();
    if required && text.is_empty() {
        return Err(Problem {
            field,
            text: say(lang, "Vul dit veld in.", "Fill in this field."),
        });
    }
    if text.chars().count() > max {
        return Err(Problem {
            field,
            text: if max <= TITLE_MAX {
                say(
                    lang,
                    "Deze tekst is te lang: hoogstens 200 tekens.",
                    "This text is too long: at most 200 characters.",
                )
            } else {
                say(
                    lang,
                    "Deze tekst is te lang: hoogstens 2000 tekens.",
                    "This text is too long: at most 2000 characters.",
                )
            },
        });
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        || text.contains(['<', '>'])
    {
        return Err(Problem {
            field,
            text: say(
                lang,
                "Gebruik gewone tekst, zonder < of > en zonder stuurtekens.",
                "Use plain text, without < or > and without control characters.",
            ),
        });
    }
    Ok(text.to_owned())
}

fn date(
    lang: app::i18n::Lang,
    field: &'static str,
    raw: &str,
) -> Result<Option<NaiveDate>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
        .map(Some)
        .ok_or(Problem {
            field,
            text: say(
                lang,
                "Vul een datum in als jjjj-mm-dd, tussen 2000 en 2100.",
                "Enter a date as yyyy-mm-dd, between 2000 and 2100.",
            ),
        })
}
