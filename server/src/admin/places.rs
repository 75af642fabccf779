//! The region's places for the region coordinator: municipalities and their
//! villages, schools, the help text each municipality shows students after
//! the survey, and the threshold k below which no figure is shown.

use app::components::text_area::TextArea;
use axum::{Router, extract::State, http::StatusCode, response::Response, routing::get};
use chrono::Utc;
use leptos::prelude::*;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder, Set};
use serde::Deserialize;
use surveys::SuppressionThreshold;

use super::{CsrfField, CsrfForm, Options, Problem, Problems, Staff, say};
use crate::auth::authz::{Action, Target};
use crate::entities::{municipality, region, school, village};
use crate::error::AppError;
use crate::state::AppState;

super::csrf_form!(Change);

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/places", get(places_page).post(change_places))
}

/// The threshold in force: the region's k, but never below the server's
/// `--suppression-k` (which is itself never below 5).
pub async fn threshold(state: &AppState) -> Result<SuppressionThreshold, DbErr> {
    let floor = state.settings.suppression_k;
    let region_k = region::Entity::find()
        .one(&state.db)
        .await?
        .and_then(|r| u32::try_from(r.suppression_k).ok())
        .and_then(|k| SuppressionThreshold::new(k).ok());
    Ok(match region_k {
        Some(k) if k.get() > floor.get() => k,
        _ => floor,
    })
}

/// The region and its municipalities, villages and schools, each list by name.
pub struct Places {
    pub region: Option<region::Model>,
    pub municipalities: Vec<municipality::Model>,
    pub villages: Vec<village::Model>,
    pub schools: Vec<school::Model>,
}

pub async fn places(db: &DatabaseConnection) -> Result<Places, DbErr> {
    Ok(Places {
        region: region::Entity::find().one(db).await?,
        municipalities: municipality::Entity::find()
            .order_by_asc(municipality::Column::Name)
            .all(db)
            .await?,
        villages: village::Entity::find()
            .order_by_asc(village::Column::Name)
            .all(db)
            .await?,
        schools: school::Entity::find()
            .order_by_asc(school::Column::Name)
            .all(db)
            .await?,
    })
}

fn places_form(
    staff: &Staff,
    status: StatusCode,
    places: Places,
    floor: u32,
    problems: Vec<Problem>,
    done: bool,
) -> Response {
    let lang = staff.lang;
    let csrf = staff.csrf_token.clone();
    let Places {
        region,
        municipalities,
        villages,
        schools,
    } = places;
    let k = region.map_or(10, |r| r.suppression_k);
    let municipality_names: Vec<(i32, String)> = municipalities
        .iter()
        .map(|m| (m.id, m.name.clone()))
        .collect();
    staff.page_with_status(status, say(lang, "Gemeenten en scholen", "Municipalities and schools"), move || {
        let c = csrf.clone();
        let names = municipality_names.clone();
        view! {
            {done.then(|| view! { <p class="message ok" role="status">{say(lang, "Opgeslagen.", "Saved.")}</p> })}
            <Problems lang problems/>
            <section>
                <h2>{say(lang, "Drempel k", "Threshold k")}</h2>
                <p>{say(lang,
                    "Geen enkel cijfer wordt getoond voor een groep met minder respondenten dan k. De server staat geen k toe onder",
                    "No figure is shown for a group with fewer respondents than k. The server allows no k below")}" "{floor}"."</p>
                <form method="post" action="/staff/places" class="staff-form">
                    <CsrfField token=c.clone()/>
                    <input type="hidden" name="what" value="threshold"/>
                    <label for="k">"k"</label>
                    <input id="k" name="value" type="number" min=floor max="1000" required value=k.to_string()/>
                    <button type="submit" class="button primary">{say(lang, "Opslaan", "Save")}</button>
                </form>
            </section>
            <section>
                <h2>{say(lang, "Gemeenten en kernen", "Municipalities and villages")}</h2>
                {municipalities.into_iter().map(|m| {
                    let c = c.clone();
                    let own: Vec<String> = villages.iter().filter(|v| v.municipality_id == m.id).map(|v| format!("{} ({})", v.name, v.id)).collect();
                    let help_id = format!("help-{}", m.id);
                    let village_id = format!("village-{}", m.id);
                    view! {
                        <article class="place">
                            <h3>{m.name.clone()}" ("{m.id}")"</h3>
                            <p>{say(lang, "Kernen: ", "Villages: ")}{if own.is_empty() { "—".to_owned() } else { own.join(", ") }}</p>
                            <form method="post" action="/staff/places" class="staff-form inline-form">
                                <CsrfField token=c.clone()/>
                                <input type="hidden" name="what" value="village"/>
                                <input type="hidden" name="municipality" value=m.id.to_string()/>
                                <label for=village_id.clone()>{say(lang, "Nieuwe kern", "New village")}</label>
                                <input id=village_id name="value" type="text" required maxlength="120"/>
                                <button type="submit" class="button secondary">{say(lang, "Toevoegen", "Add")}</button>
                            </form>
                            <form method="post" action="/staff/places" class="staff-form">
                                <CsrfField token=c/>
                                <input type="hidden" name="what" value="help"/>
                                <input type="hidden" name="municipality" value=m.id.to_string()/>
                                <label for=help_id.clone()>{say(lang, "Hulp na de vragenlijst (waar jongeren terechtkunnen)", "Help after the questionnaire (where young people can turn)")}</label>
                                <TextArea id=help_id name="value" rows=3 maxlength=2000 text=m.help_text.unwrap_or_default()/>
                                <button type="submit" class="button secondary">{say(lang, "Opslaan", "Save")}</button>
                            </form>
                        </article>
                    }
                }).collect_view()}
                <form method="post" action="/staff/places" class="staff-form">
                    <CsrfField token=c.clone()/>
                    <input type="hidden" name="what" value="municipality"/>
                    <label for="new-municipality">{say(lang, "Nieuwe gemeente", "New municipality")}</label>
                    <input id="new-municipality" name="value" type="text" required maxlength="120"/>
                    <button type="submit" class="button primary">{say(lang, "Toevoegen", "Add")}</button>
                </form>
            </section>
            <section>
                <h2>{say(lang, "Scholen", "Schools")}</h2>
                <ul>
                    {schools.into_iter().map(|s| {
                        let m = names.iter().find(|(id, _)| *id == s.municipality_id).map(|(_, n)| n.clone()).unwrap_or_default();
                        view! { <li>{s.name}" ("{s.id}") — "{m}</li> }
                    }).collect_view()}
                </ul>
                <form method="post" action="/staff/places" class="staff-form">
                    <CsrfField token=c/>
                    <input type="hidden" name="what" value="school"/>
                    <label for="new-school">{say(lang, "Nieuwe school", "New school")}</label>
                    <input id="new-school" name="value" type="text" required maxlength="120"/>
                    <label for="school-municipality">{say(lang, "Gemeente van de school", "The school's municipality")}</label>
                    <select id="school-municipality" name="municipality">
                        <Options choices=names.into_iter().map(|(id, name)| (id.to_string(), name)).collect() selected=String::new() none=false/>
                    </select>
                    <button type="submit" class="button primary">{say(lang, "Toevoegen", "Add")}</button>
                </form>
            </section>
        }
    })
}

async fn places_page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let floor = state.settings.suppression_k.get();
    let places = places(&state.db).await?;
    Ok(places_form(
        &staff,
        StatusCode::OK,
        places,
        floor,
        vec![],
        false,
    ))
}

#[derive(Deserialize)]
struct Change {
    csrf: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    municipality: String,
}

/// A checked change to the region's places.
enum Valid {
    Threshold(i32),
    Municipality(String),
    Village {
        municipality: i32,
        name: String,
    },
    Help {
        municipality: i32,
        text: Option<String>,
    },
    School {
        municipality: i32,
        name: String,
    },
}

fn validate(staff: &Staff, floor: u32, form: &Change, known: &Places) -> Result<Valid, Problem> {
    let lang = staff.lang;
    let municipality = || {
        form.municipality
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|id| known.municipalities.iter().any(|m| m.id == *id))
            .ok_or(Problem {
                field: "main",
                text: say(
                    lang,
                    "Die gemeente bestaat niet.",
                    "That municipality does not exist.",
                ),
            })
    };
    let name = || {
        let name = form.value.trim();
        if name.is_empty() || name.chars().count() > 120 || name.chars().any(char::is_control) {
            Err(Problem {
                field: "main",
                text: say(
                    lang,
                    "Vul een naam in van 1 tot 120 tekens.",
                    "Enter a name of 1 to 120 characters.",
                ),
            })
        } else {
            Ok(name.to_owned())
        }
    };
    match form.what.as_str() {
        "threshold" => form
            .value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|k| (floor..=1000).contains(k))
            .and_then(|k| i32::try_from(k).ok())
            .map(Valid::Threshold)
            .ok_or(Problem {
                field: "k",
                text: say(lang, "k moet een geheel getal zijn, niet lager dan de ondergrens van de server en hoogstens 1000.", "k must be a whole number, not below the server's floor and at most 1000."),
            }),
        "municipality" => {
            let name = name()?;
            if known.municipalities.iter().any(|m| m.name.eq_ignore_ascii_case(&name)) {
                return Err(Problem { field: "new-municipality", text: say(lang, "Die gemeente bestaat al.", "That municipality already exists.") });
            }
            Ok(Valid::Municipality(name))
        }
        "village" => Ok(Valid::Village { municipality: municipality()?, name: name()? }),
        "school" => Ok(Valid::School { municipality: municipality()?, name: name()? }),
        "help" => {
            let text = form.value.trim();
            if text.chars().count() > 2000 {
                return Err(Problem { field: "main", text: say(lang, "De hulptekst mag hoogstens 2000 tekens hebben.", "The help text may have at most 2000 characters.") });
            }
            Ok(Valid::Help { municipality: municipality()?, text: (!text.is_empty()).then(|| text.to_owned()) })
        }
        _ => Err(Problem { field: "main", text: say(lang, "Onbekende wijziging.", "Unknown change.") }),
    }
}

async fn change_places(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<Change>,
) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let floor = state.settings.suppression_k.get();
    let known = places(&state.db).await?;
    let valid = match validate(&staff, floor, &form, &known) {
        Ok(valid) => valid,
        Err(problem) => {
            return Ok(places_form(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                known,
                floor,
                vec![problem],
                false,
            ));
        }
    };
    let actor = Some(staff.user.id);
    let now = Utc::now();
    let result = async {
        let txn = crate::db::begin_write(&state.db).await?;
        let (action, subject, detail) = match valid {
            Valid::Threshold(k) => {
                let region = known
                    .region
                    .clone()
                    .ok_or_else(|| DbErr::RecordNotFound("region".into()))?;
                let before = region.suppression_k;
                let mut change: region::ActiveModel = region.into();
                change.suppression_k = Set(k);
                let region = change.update(&txn).await?;
                (
                    "region.threshold_changed",
                    format!("region:{}", region.id),
                    serde_json::json!({ "from": before, "to": k }),
                )
            }
            Valid::Municipality(name) => {
                let region = known
                    .region
                    .clone()
                    .ok_or_else(|| DbErr::RecordNotFound("region".into()))?;
                let m = municipality::ActiveModel {
                    region_id: Set(region.id),
                    name: Set(name.clone()),
                    help_text: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                (
                    "municipality.created",
                    format!("municipality:{}", m.id),
                    serde_json::json!({ "name": name }),
                )
            }
            Valid::Village { municipality, name } => {
                let v = village::ActiveModel {
                    municipality_id: Set(municipality),
                    name: Set(name.clone()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                (
                    "village.created",
                    format!("village:{}", v.id),
                    serde_json::json!({ "municipality": municipality, "name": name }),
                )
            }
            Valid::School { municipality, name } => {
                let s = school::ActiveModel {
                    municipality_id: Set(municipality),
                    name: Set(name.clone()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                (
                    "school.created",
                    format!("school:{}", s.id),
                    serde_json::json!({ "municipality": municipality, "name": name }),
                )
            }
            Valid::Help { municipality, text } => {
                municipality::ActiveModel {
                    id: Set(municipality),
                    help_text: Set(text),
                    ..Default::default()
                }
                .update(&txn)
                .await?;
                (
                    "municipality.help_text_changed",
                    format!("municipality:{municipality}"),
                    serde_json::json!({}),
                )
            }
        };
        super::audit::record(&txn, actor, action, subject, detail).await?;
        txn.commit().await
    }
    .await;
    result?;
    let places = places(&state.db).await?;
    Ok(places_form(
        &staff,
        StatusCode::OK,
        places,
        floor,
        vec![],
        true,
    ))
}
