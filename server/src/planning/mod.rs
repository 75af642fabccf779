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

pub mod demo;
pub mod goals;
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
use crate::dashboard::{Places, WHO, place_name};
use crate::entities::{cycle_step, goal, prevention_action, survey_wave};
use crate::error::AppError;
use crate::state::AppState;
use goals::{DOMAINS, GoalRow};

crate::admin::csrf_form!(GoalForm, RemoveForm, ActionForm, ActionUpdate, CycleForm);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planning", get(overview))
        .route("/planning/{place}", get(place_page))
        .route("/planning/{place}/goals/new", get(new_goal))
        .route("/planning/{place}/goals", post(create_goal))
        .route("/planning/{place}/goals/{id}/remove", post(remove_goal))
        .route("/planning/{place}/actions", post(create_action))
        .route("/planning/{place}/actions/{id}", post(update_action))
        .route("/planning/{place}/cycle", post(save_cycle_step))
        .route("/planning/{place}/download/{file}", get(download))
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

// ---------------------------------------------------------------- goals

/// A goal form, as it is posted (and as the "set a goal" link fills it).
#[derive(Debug, Default, Deserialize)]
struct GoalForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    who: String,
    #[serde(default)]
    wave: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    target_year: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    rationale: String,
}

/// The released figure a goal would start from.
pub(crate) struct Baseline {
    pub wave: ShownWave,
    pub label: String,
    pub who: String,
    pub breakdown: String,
    pub indicator: String,
    pub direction: Direction,
    pub default_domain: &'static str,
    pub share: surveys::Share,
}

/// The baseline a goal form names, or why there is none.
fn baseline(
    lang: app::i18n::Lang,
    waves: &[ShownWave],
    place: &PlanningPlace,
    form: &GoalForm,
) -> Result<Baseline, Problem> {
    let language = crate::dashboard::language(lang);
    let wave = crate::admin::parse_id(&form.wave)
        .and_then(|id| waves.iter().find(|w| w.id == id))
        .ok_or(Problem {
            field: "wave",
            text: say(
                lang,
                "Deze peiling bestaat niet of heeft nog geen gepubliceerde cijfers.",
                "This wave does not exist or has no released figures.",
            ),
        })?;
    let indicator = wave
        .questionnaire
        .indicator(&form.indicator)
        .ok_or(Problem {
            field: "indicator",
            text: say(
                lang,
                "Deze indicator bestaat niet in deze peiling.",
                "This indicator is not part of this wave.",
            ),
        })?;
    let (who, breakdown) = WHO
        .iter()
        .find(|(key, _)| *key == form.who)
        .copied()
        .ok_or(Problem {
            field: "who",
            text: say(
                lang,
                "Kies alle leerlingen, een leerjaar, of jongens of meisjes.",
                "Choose all students, a school year, or boys or girls.",
            ),
        })?;
    let share = match wave.results.share(
        &Group::new(place.community.place, breakdown),
        &indicator.key,
    ) {
        Some(Release::Released(share)) if share.denominator() > 0 => share,
        Some(_) => {
            return Err(Problem {
                field: "indicator",
                text: say(
                    lang,
                    "Dit cijfer wordt niet getoond (te weinig leerlingen, of het beschermt een kleine groep). Een doel heeft een getoond cijfer als beginwaarde nodig: kies een grotere groep of een ander cijfer.",
                    "This figure is not shown (too few students, or it protects a small group). A goal needs a shown figure as its baseline: choose a larger group or another figure.",
                ),
            });
        }
        None => {
            return Err(Problem {
                field: "indicator",
                text: say(
                    lang,
                    "Voor deze groep is er geen cijfer in deze peiling.",
                    "There is no figure for this group in this wave.",
                ),
            });
        }
    };
    let words = crate::dashboard::build::Words(language);
    Ok(Baseline {
        wave: wave.clone(),
        label: indicator.label.get(language.code()).to_owned(),
        who: words.breakdown(breakdown),
        breakdown: who.to_owned(),
        indicator: indicator.key.clone(),
        direction: indicator.direction,
        default_domain: goals::default_domain(indicator.domain),
        share,
    })
}

async fn new_goal(
    State(state): State<AppState>,
    staff: Staff,
    Path(place): Path<String>,
    query: Result<Query<GoalForm>, QueryRejection>,
) -> Result<Response, AppError> {
    let Ok(Query(form)) = query else {
        return Err(AppError::BadForm);
    };
    let place = readable(&state, &staff, &place).await?;
    staff.require(Action::SetGoals, Some(place.target))?;
    let waves = waves(&state).await?;
    match baseline(staff.lang, &waves, &place, &form) {
        Ok(baseline) => Ok(page::goal_form(
            &staff,
            &place,
            &baseline,
            &form_defaults(&baseline),
            StatusCode::OK,
            vec![],
        )),
        Err(problem) => Ok(page::no_baseline(&staff, &place, problem)),
    }
}

/// The values a new goal form starts with.
fn form_defaults(baseline: &Baseline) -> GoalFields {
    GoalFields {
        target: String::new(),
        target_year: (baseline.wave.year + 4).to_string(),
        domain: baseline.default_domain.to_owned(),
        rationale: String::new(),
    }
}

/// The editable fields of a goal form, as typed.
pub(crate) struct GoalFields {
    pub target: String,
    pub target_year: String,
    pub domain: String,
    pub rationale: String,
}

/// A checked goal, ready to store.
struct ValidGoal {
    target: f64,
    target_year: i32,
    domain: String,
    rationale: String,
}

fn validate_goal(
    lang: app::i18n::Lang,
    baseline: &Baseline,
    form: &GoalForm,
) -> Result<ValidGoal, Vec<Problem>> {
    let mut problems = Vec::new();
    let target = form
        .target
        .trim()
        .trim_end_matches('%')
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|t| t.is_finite() && (0.0..=100.0).contains(t));
    if target.is_none() {
        problems.push(Problem {
            field: "target",
            text: say(
                lang,
                "Het doel is een percentage van 0 tot 100, bijvoorbeeld 10 of 9,5.",
                "The target is a percentage from 0 to 100, for example 10 or 9.5.",
            ),
        });
    }
    let target_year = form
        .target_year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| *y > baseline.wave.year && *y <= baseline.wave.year + 20);
    if target_year.is_none() {
        problems.push(Problem {
            field: "target_year",
            text: say(
                lang,
                "Het doeljaar moet na het jaar van de beginwaarde liggen, en hoogstens 20 jaar later.",
                "The target year must come after the baseline's year, and at most 20 years later.",
            ),
        });
    }
    if !DOMAINS.iter().any(|(k, _, _)| *k == form.domain) {
        problems.push(Problem {
            field: "domain",
            text: say(
                lang,
                "Kies een domein: ouders, vrienden, school of vrije tijd.",
                "Choose a domain: parents, friends, school or leisure time.",
            ),
        });
    }
    let rationale = free_text(lang, "rationale", &form.rationale, TEXT_MAX, false)
        .map_err(|p| problems.push(p))
        .ok();
    if let (Some(target), Some(target_year)) = (target, target_year) {
        match surveys::planning::Goal::new(
            baseline.share,
            baseline.wave.year,
            target,
            target_year,
            baseline.direction,
        ) {
            Ok(_) => {}
            Err(surveys::planning::GoalError::TargetNotAnImprovement) => problems.push(Problem {
                field: "target",
                text: if baseline.direction.higher_is_better() {
                    say(
                        lang,
                        "Het doel moet minstens 3 procentpunt hoger liggen dan de beginwaarde: een kleiner verschil kan geen peiling als echt laten zien.",
                        "The target must be at least 3 points above the baseline: no wave could show a smaller difference to be real.",
                    )
                } else {
                    say(
                        lang,
                        "Het doel moet minstens 3 procentpunt lager liggen dan de beginwaarde: een kleiner verschil kan geen peiling als echt laten zien.",
                        "The target must be at least 3 points below the baseline: no wave could show a smaller difference to be real.",
                    )
                },
            }),
            Err(_) => problems.push(Problem {
                field: "target",
                text: say(
                    lang,
                    "Dit doel kan niet worden gemeten.",
                    "This goal cannot be measured.",
                ),
            }),
        }
    }
    match (target, target_year, rationale) {
        (Some(target), Some(target_year), Some(rationale)) if problems.is_empty() => {
            Ok(ValidGoal {
                target,
                target_year,
                domain: form.domain.clone(),
                rationale,
            })
        }
        _ => Err(problems),
    }
}

async fn create_goal(
    State(state): State<AppState>,
    staff: Staff,
    Path(place): Path<String>,
    CsrfForm(form): CsrfForm<GoalForm>,
) -> Result<Response, AppError> {
    let place = readable(&state, &staff, &place).await?;
    staff.require(Action::SetGoals, Some(place.target))?;
    let lang = staff.lang;
    let waves = waves(&state).await?;
    let baseline = match baseline(lang, &waves, &place, &form) {
        Ok(baseline) => baseline,
        Err(problem) => return refused(&state, &staff, place, vec![problem]).await,
    };
    let valid = match validate_goal(lang, &baseline, &form) {
        Ok(valid) => valid,
        Err(problems) => {
            let fields = GoalFields {
                target: form.target.clone(),
                target_year: form.target_year.clone(),
                domain: form.domain.clone(),
                rationale: form.rationale.clone(),
            };
            return Ok(page::goal_form(
                &staff,
                &place,
                &baseline,
                &fields,
                StatusCode::UNPROCESSABLE_ENTITY,
                problems,
            ));
        }
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let stored = goal::ActiveModel {
        place: Set(place.name.clone()),
        municipality_id: Set(place.municipality),
        indicator: Set(baseline.indicator.clone()),
        breakdown: Set(baseline.breakdown.clone()),
        domain: Set(valid.domain.clone()),
        baseline_wave_id: Set(baseline.wave.id),
        baseline_release: Set(baseline.wave.release),
        baseline_year: Set(baseline.wave.year),
        baseline_numerator: Set(i64::try_from(baseline.share.numerator()).unwrap_or(i64::MAX)),
        baseline_denominator: Set(i64::try_from(baseline.share.denominator()).unwrap_or(i64::MAX)),
        target_percent: Set(valid.target),
        target_year: Set(valid.target_year),
        rationale: Set(valid.rationale),
        created_by: Set(Some(staff.user.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::admin::audit::record(
        &txn,
        Some(staff.user.id),
        "goal.created",
        format!("goal:{}", stored.id),
        serde_json::json!({
            "place": place.name,
            "indicator": baseline.indicator,
            "who": baseline.breakdown,
            "target": valid.target,
            "target_year": valid.target_year,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(see_other(
        &place.name,
        "goal",
        &format!("goal-{}", stored.id),
    ))
}

#[derive(Debug, Deserialize)]
struct RemoveForm {
    #[serde(default)]
    csrf: String,
    /// `yes` when the box "remove this goal" is ticked.
    #[serde(default)]
    confirm: String,
}

async fn remove_goal(
    State(state): State<AppState>,
    staff: Staff,
    Path((place, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> Result<Response, AppError> {
    let place = readable(&state, &staff, &place).await?;
    staff.require(Action::SetGoals, Some(place.target))?;
    let id = crate::admin::parse_id(&id).ok_or(AppError::NotFound)?;
    let exists = goal::Entity::find_by_id(id)
        .filter(goal::Column::Place.eq(&place.name))
        .one(&state.db)
        .await?
        .is_some();
    if !exists {
        return Err(AppError::NotFound);
    }
    if form.confirm != "yes" {
        let problem = Problem {
            field: "goals",
            text: say(
                staff.lang,
                "Vink aan dat u het doel wilt verwijderen; er is niets verwijderd.",
                "Tick the box to confirm the removal; nothing was removed.",
            ),
        };
        return refused(&state, &staff, place, vec![problem]).await;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let found = goal::Entity::find_by_id(id)
        .filter(goal::Column::Place.eq(&place.name))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    prevention_action::Entity::update_many()
        .col_expr(
            prevention_action::Column::GoalId,
            sea_orm::sea_query::Expr::value(Option::<i32>::None),
        )
        .filter(prevention_action::Column::GoalId.eq(found.id))
        .exec(&txn)
        .await?;
    goal::Entity::delete_by_id(found.id).exec(&txn).await?;
    crate::admin::audit::record(
        &txn,
        Some(staff.user.id),
        "goal.removed",
        format!("goal:{}", found.id),
        serde_json::json!({ "place": place.name, "indicator": found.indicator }),
    )
    .await?;
    txn.commit().await?;
    Ok(see_other(&place.name, "removed", "goals"))
}

// ---------------------------------------------------------------- actions

#[derive(Debug, Default, Deserialize)]
struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    budget: String,
    /// The factors aimed at arrive as `factor.<indicator key>` check boxes.
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

struct ValidAction {
    title: String,
    description: String,
    organisation: String,
    domain: String,
    goal: Option<i32>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    status: String,
    budget: Option<i64>,
    factors: Vec<String>,
}

fn status_problem(lang: app::i18n::Lang) -> Problem {
    Problem {
        field: "status",
        text: say(
            lang,
            "Kies een stand: gepland, loopt, afgerond of gestopt.",
            "Choose a status: planned, running, done or stopped.",
        ),
    }
}

fn end_problem(lang: app::i18n::Lang) -> Problem {
    Problem {
        field: "ends_on",
        text: say(
            lang,
            "De einddatum mag niet voor de begindatum liggen.",
            "The end date may not come before the start date.",
        ),
    }
}

fn validate_action(
    lang: app::i18n::Lang,
    form: &ActionForm,
    goals: &[goal::Model],
    factors: &[(String, String)],
) -> Result<ValidAction, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut keep = |result: Result<String, Problem>| result.map_err(|p| problems.push(p)).ok();
    let title = keep(free_text(lang, "title", &form.title, TITLE_MAX, true));
    let description = keep(free_text(
        lang,
        "description",
        &form.description,
        TEXT_MAX,
        false,
    ));
    let organisation = keep(free_text(
        lang,
        "organisation",
        &form.organisation,
        TITLE_MAX,
        true,
    ));
    if !DOMAINS.iter().any(|(k, _, _)| *k == form.domain) {
        problems.push(Problem {
            field: "domain",
            text: say(
                lang,
                "Kies een domein: ouders, vrienden, school of vrije tijd.",
                "Choose a domain: parents, friends, school or leisure time.",
            ),
        });
    }
    let goal = match form.goal.trim() {
        "" => None,
        raw => {
            let found = crate::admin::parse_id(raw).filter(|id| goals.iter().any(|g| g.id == *id));
            if found.is_none() {
                problems.push(Problem {
                    field: "goal",
                    text: say(
                        lang,
                        "Dat doel hoort niet bij deze plaats.",
                        "That goal does not belong to this place.",
                    ),
                });
            }
            found
        }
    };
    let starts_on = match date(lang, "starts_on", &form.starts_on) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            problems.push(Problem {
                field: "starts_on",
                text: say(lang, "Vul een begindatum in.", "Enter a start date."),
            });
            None
        }
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let ends_on = date(lang, "ends_on", &form.ends_on)
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end < start
    {
        problems.push(end_problem(lang));
    }
    if !ACTION_STATUSES.iter().any(|(k, _, _)| *k == form.status) {
        problems.push(status_problem(lang));
    }
    let budget = match form.budget.trim().replace(['.', ' '], "").as_str() {
        "" => None,
        raw => {
            let parsed = raw
                .parse::<i64>()
                .ok()
                .filter(|b| (0..=100_000_000).contains(b));
            if parsed.is_none() {
                problems.push(Problem {
                    field: "budget",
                    text: say(
                        lang,
                        "Het budget is een bedrag in hele euro's, van 0 tot 100.000.000.",
                        "The budget is an amount in whole euros, from 0 to 100,000,000.",
                    ),
                });
            }
            parsed
        }
    };
    let mut chosen = Vec::new();
    for key in form.rest.keys() {
        let Some(factor) = key.strip_prefix("factor.") else {
            continue;
        };
        if factors.iter().any(|(k, _)| k == factor) {
            chosen.push(factor.to_owned());
        } else {
            problems.push(Problem {
                field: "factors",
                text: say(
                    lang,
                    "Kies risico- en beschermende factoren uit de lijst.",
                    "Choose risk and protective factors from the list.",
                ),
            });
            break;
        }
    }
    chosen.sort();
    match (title, description, organisation, starts_on) {
        (Some(title), Some(description), Some(organisation), Some(starts_on))
            if problems.is_empty() =>
        {
            Ok(ValidAction {
                title,
                description,
                organisation,
                domain: form.domain.clone(),
                goal,
                starts_on,
                ends_on,
                status: form.status.clone(),
                budget,
                factors: chosen,
            })
        }
        _ => Err(problems),
    }
}

async fn create_action(
    State(state): State<AppState>,
    staff: Staff,
    Path(place): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, AppError> {
    let place = readable(&state, &staff, &place).await?;
    staff.require(Action::RecordActions, Some(place.target))?;
    let waves = waves(&state).await?;
    let known_goals = goals_of(&state.db, &place.name).await?;
    let factors = factors(&waves, crate::dashboard::language(staff.lang));
    let valid = match validate_action(staff.lang, &form, &known_goals, &factors) {
        Ok(valid) => valid,
        Err(problems) => return refused(&state, &staff, place, problems).await,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let stored = prevention_action::ActiveModel {
        place: Set(place.name.clone()),
        municipality_id: Set(place.municipality),
        goal_id: Set(valid.goal),
        domain: Set(valid.domain),
        title: Set(valid.title.clone()),
        description: Set(valid.description),
        organisation: Set(valid.organisation),
        starts_on: Set(valid.starts_on),
        ends_on: Set(valid.ends_on),
        status: Set(valid.status),
        budget_euros: Set(valid.budget),
        factors: Set(valid.factors.join(",")),
        updated_by: Set(Some(staff.user.id)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::admin::audit::record(
        &txn,
        Some(staff.user.id),
        "action.created",
        format!("action:{}", stored.id),
        serde_json::json!({ "place": place.name, "title": valid.title }),
    )
    .await?;
    txn.commit().await?;
    Ok(see_other(
        &place.name,
        "action",
        &format!("action-{}", stored.id),
    ))
}

#[derive(Debug, Default, Deserialize)]
struct ActionUpdate {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    ends_on: String,
}

async fn update_action(
    State(state): State<AppState>,
    staff: Staff,
    Path((place, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ActionUpdate>,
) -> Result<Response, AppError> {
    let place = readable(&state, &staff, &place).await?;
    staff.require(Action::RecordActions, Some(place.target))?;
    let id = crate::admin::parse_id(&id).ok_or(AppError::NotFound)?;
    let found = prevention_action::Entity::find_by_id(id)
        .filter(prevention_action::Column::Place.eq(&place.name))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let lang = staff.lang;
    let mut problems = Vec::new();
    if !ACTION_STATUSES.iter().any(|(k, _, _)| *k == form.status) {
        problems.push(status_problem(lang));
    }
    let ends_on = date(lang, "ends_on", &form.ends_on)
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    if ends_on.is_some_and(|end| end < found.starts_on) {
        problems.push(end_problem(lang));
    }
    if !problems.is_empty() {
        return refused(&state, &staff, place, problems).await;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let before = found.status.clone();
    let mut change: prevention_action::ActiveModel = found.into();
    change.status = Set(form.status.clone());
    change.ends_on = Set(ends_on);
    change.updated_by = Set(Some(staff.user.id));
    change.updated_at = Set(Utc::now());
    change.update(&txn).await?;
    crate::admin::audit::record(
        &txn,
        Some(staff.user.id),
        "action.updated",
        format!("action:{id}"),
        serde_json::json!({ "place": place.name, "from": before, "to": form.status }),
    )
    .await?;
    txn.commit().await?;
    Ok(see_other(&place.name, "action", &format!("action-{id}")))
}

// ---------------------------------------------------------------- the cycle

#[derive(Debug, Default, Deserialize)]
struct CycleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    wave: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    note: String,
}

async fn save_cycle_step(
    State(state): State<AppState>,
    staff: Staff,
    Path(place): Path<String>,
    CsrfForm(form): CsrfForm<CycleForm>,
) -> Result<Response, AppError> {
    let place = readable(&state, &staff, &place).await?;
    staff.require(Action::RunCycle, Some(place.target))?;
    let Target::Municipality { id: municipality } = place.target else {
        return Err(AppError::NotFound);
    };
    let lang = staff.lang;
    let mut problems = Vec::new();
    let waves = cycle_waves(&state.db).await?;
    let wave = crate::admin::parse_id(&form.wave).filter(|id| waves.iter().any(|w| w.id == *id));
    if wave.is_none() {
        problems.push(Problem {
            field: "wave",
            text: say(
                lang,
                "Kies een peiling uit de lijst.",
                "Choose a wave from the list.",
            ),
        });
    }
    let step = form
        .step
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|s| (1..=10).contains(s));
    if step.is_none() {
        problems.push(Problem {
            field: "step",
            text: say(
                lang,
                "Kies een stap van 1 tot 10.",
                "Choose a step from 1 to 10.",
            ),
        });
    }
    let done_on = date(lang, "done_on", &form.done_on)
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    let owner = free_text(lang, "owner", &form.owner, TITLE_MAX, false)
        .map_err(|p| problems.push(p))
        .ok();
    let note = free_text(lang, "note", &form.note, TEXT_MAX, false)
        .map_err(|p| problems.push(p))
        .ok();
    let (Some(wave), Some(step), Some(owner), Some(note)) = (wave, step, owner, note) else {
        return refused(&state, &staff, place, problems).await;
    };
    if !problems.is_empty() {
        return refused(&state, &staff, place, problems).await;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let existing = cycle_step::Entity::find()
        .filter(cycle_step::Column::MunicipalityId.eq(municipality))
        .filter(cycle_step::Column::WaveId.eq(wave))
        .filter(cycle_step::Column::Step.eq(step))
        .one(&txn)
        .await?;
    let now = Utc::now();
    match existing {
        Some(found) => {
            let mut change: cycle_step::ActiveModel = found.into();
            change.done_on = Set(done_on);
            change.owner = Set(owner);
            change.note = Set(note);
            change.updated_by = Set(Some(staff.user.id));
            change.updated_at = Set(now);
            change.update(&txn).await?;
        }
        None => {
            cycle_step::ActiveModel {
                municipality_id: Set(municipality),
                wave_id: Set(wave),
                step: Set(step),
                done_on: Set(done_on),
                owner: Set(owner),
                note: Set(note),
                updated_by: Set(Some(staff.user.id)),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    crate::admin::audit::record(
        &txn,
        Some(staff.user.id),
        "cycle.step_saved",
        format!("municipality:{municipality}"),
        serde_json::json!({ "wave": wave, "step": step, "done": done_on.map(|d| d.to_string()) }),
    )
    .await?;
    txn.commit().await?;
    let back = format!(
        "/planning/{}?wave={wave}&done=cycle#step-{step}",
        place.name
    );
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response())
}

// ---------------------------------------------------------------- overview

/// One municipality's line in the region's overview.
pub(crate) struct MunicipalityProgress {
    pub name: String,
    pub place: String,
    pub steps_done: usize,
    pub by_status: Vec<(surveys::planning::GoalStatus, usize)>,
    pub actions_running: usize,
    /// Off-course goals of the municipality and its villages and schools:
    /// (place name, planning page, goal row).
    pub off_course: Vec<(String, String, GoalRow)>,
}

async fn overview(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let places = Places::load(&state.db).await?.ok_or(AppError::NotFound)?;
    let language = crate::dashboard::language(staff.lang);
    // Every place of planning the viewer may read.
    let mut readable: Vec<(PlanningPlace, &'static str)> = Vec::new();
    for m in &places.municipalities {
        if let Some(p) = planning_place(&places, &format!("municipality-{}", m.id)) {
            readable.push((p, say(staff.lang, "gemeente", "municipality")));
        }
    }
    for v in &places.villages {
        if let Some(p) = planning_place(&places, &format!("village-{}", v.id)) {
            readable.push((p, say(staff.lang, "kern", "village")));
        }
    }
    for s in &places.schools {
        if let Some(p) = planning_place(&places, &format!("school-{}", s.id)) {
            readable.push((p, say(staff.lang, "school", "school")));
        }
    }
    readable.retain(|(p, _)| staff.may(Action::ViewFigures, &p.target));
    let latest_wave = cycle_waves(&state.db).await?.into_iter().next();
    let waves = waves(&state).await?;
    let mut lines = Vec::new();
    for m in &places.municipalities {
        let target = Target::Municipality { id: m.id };
        if !staff.may(Action::ViewFigures, &target) {
            continue;
        }
        let steps_done = match &latest_wave {
            Some(w) => cycle_of(&state.db, m.id, w.id)
                .await?
                .iter()
                .filter(|s| s.done_on.is_some())
                .count(),
            None => 0,
        };
        let mut counts: Vec<(surveys::planning::GoalStatus, usize)> =
            surveys::planning::GoalStatus::ALL
                .iter()
                .map(|s| (*s, 0))
                .collect();
        let mut off_course = Vec::new();
        let mut actions_running = 0;
        for (p, _) in readable.iter().filter(|(p, _)| p.municipality == m.id) {
            let rows = goals::rows(
                goals_of(&state.db, &p.name).await?,
                &waves,
                None,
                p.community.place,
                language,
            );
            for row in rows {
                if let Some(c) = counts.iter_mut().find(|(s, _)| *s == row.status()) {
                    c.1 += 1;
                }
                if row.status() == surveys::planning::GoalStatus::OffCourse {
                    off_course.push((p.community.name.clone(), p.name.clone(), row));
                }
            }
            actions_running += actions_of(&state.db, &p.name)
                .await?
                .iter()
                .filter(|a| a.status == "running")
                .count();
        }
        lines.push(MunicipalityProgress {
            name: m.name.clone(),
            place: format!("municipality-{}", m.id),
            steps_done,
            by_status: counts,
            actions_running,
            off_course,
        });
    }
    let entries = readable
        .into_iter()
        .map(|(p, kind)| (p.name, p.community.name, kind))
        .collect();
    Ok(page::overview(
        &staff,
        entries,
        lines,
        latest_wave.map(|w| w.name),
    ))
}

// ---------------------------------------------------------------- downloads

async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((place, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let place = readable(&state, &staff, &place).await?;
    let Some((stem, format)) = crate::dashboard::parse_file(&file) else {
        return Err(AppError::NotFound);
    };
    let language = crate::dashboard::language(staff.lang);
    let table = match stem {
        "goals" => {
            let waves = waves(&state).await?;
            let rows = goals::rows(
                goals_of(&state.db, &place.name).await?,
                &waves,
                None,
                place.community.place,
                language,
            );
            goals::table(
                &rows,
                language,
                page::goals_title(staff.lang, &place.community.name),
            )
        }
        "actions" => {
            let waves = waves(&state).await?;
            let places = Places::load(&state.db).await?.ok_or(AppError::NotFound)?;
            let questionnaire = waves
                .last()
                .map_or_else(surveys::standard_v1, |w| w.questionnaire);
            page::actions_table(
                staff.lang,
                &place.community.name,
                &listed_actions(&state.db, &staff, &places, &place, questionnaire).await?,
                &factors(&waves, language),
            )
        }
        _ => return Err(AppError::NotFound),
    };
    let extension = match format {
        crate::dashboard::Format::Csv => "csv",
        crate::dashboard::Format::Xlsx => "xlsx",
    };
    Ok(crate::dashboard::file_response(
        &format!("peiling-{}-{stem}.{extension}", place.name),
        format,
        &[table],
        staff.lang,
    ))
}
