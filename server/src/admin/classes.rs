//! Classes and their codes: a school coordinator registers the classes of the
//! school for a wave and prints a code sheet per class; teachers follow how
//! many of their class have submitted; the region coordinator watches the
//! response of every school and class while a wave runs. Counts only — no
//! answer is ever shown here.
//!
//! While a wave runs these counts are operational and exact. Once it is
//! closed they count the groups its figures describe, so the school
//! coordinator's list shows a closed wave's tallies only as its released
//! results allow (see [`surveys::wave::ClassTally::shown_in`]).

use std::collections::HashMap;
use std::sync::Arc;

use app::i18n::Lang;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use leptos::prelude::*;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use surveys::{ClassCode, Release, WaveResults};

use super::{CsrfField, CsrfForm, Options, Problem, Problems, Staff, parse_id, say};
use crate::auth::authz::{Action, Target, lookup};
use crate::auth::role::Role;
use crate::dashboard::build::Words;
use crate::dashboard::waves::shown_waves;
use crate::entities::{app_user, class_code, school, survey_wave};
use crate::error::AppError;
use crate::results::ResultsError;
use crate::state::AppState;
use crate::survey::codes::{self, NewClass, submission_limit};

super::csrf_form!(NewClassForm);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/classes", get(own_classes))
        .route(
            "/staff/schools/{id}/classes",
            get(classes_page).post(register_class),
        )
        .route("/staff/classes/{id}/sheet", get(code_sheet))
        .route("/staff/counts", get(counts_page))
        .route("/staff/response", get(response_board))
}

/// Counts refresh themselves this often (seconds), without script.
const REFRESH_SECONDS: &str = "30";

/// A school coordinator's way to their own school's classes.
async fn own_classes(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let Some(school) = staff.principal.school else {
        return Err(AppError::NotFound);
    };
    let target = lookup::school(&state.db, school).await?;
    staff.require(Action::RegisterClasses, target)?;
    Ok(Redirect::to(&format!("/staff/schools/{school}/classes")).into_response())
}

#[derive(Deserialize, Default)]
struct NewClassForm {
    csrf: String,
    #[serde(default)]
    wave: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    teacher: String,
}

struct SchoolClasses {
    school: school::Model,
    waves: Vec<survey_wave::Model>,
    codes: Vec<class_code::Model>,
    teachers: Vec<app_user::Model>,
    /// The released results of closed waves, by wave id.
    released: HashMap<i32, Arc<WaveResults>>,
}

async fn school_classes(state: &AppState, school: school::Model) -> Result<SchoolClasses, DbErr> {
    let waves = survey_wave::Entity::find()
        .filter(survey_wave::Column::Status.ne("closed"))
        .order_by_desc(survey_wave::Column::Year)
        .all(&state.db)
        .await?;
    let codes = class_code::Entity::find()
        .filter(class_code::Column::SchoolId.eq(school.id))
        .order_by_desc(class_code::Column::WaveId)
        .order_by_asc(class_code::Column::SchoolYear)
        .order_by_asc(class_code::Column::Label)
        .all(&state.db)
        .await?;
    let teachers = app_user::Entity::find()
        .filter(app_user::Column::SchoolId.eq(school.id))
        .filter(app_user::Column::Role.eq(Role::Teacher.key()))
        .order_by_asc(app_user::Column::DisplayName)
        .all(&state.db)
        .await?;
    let released = shown_waves(&state.db, &state.results)
        .await
        .map_err(|error| match error {
            ResultsError::Database(error) => error,
            other => DbErr::Custom(other.to_string()),
        })?
        .into_iter()
        .map(|wave| (wave.id, wave.results))
        .collect();
    Ok(SchoolClasses {
        school,
        waves,
        codes,
        teachers,
        released,
    })
}

/// A class's submissions on the school coordinator's list: exact while its
/// wave is open or planned; for a closed wave as its released results allow,
/// and not at all before they are released.
fn submitted_view(
    lang: Lang,
    code: &class_code::Model,
    wave_is_closed: bool,
    released: &HashMap<i32, Arc<WaveResults>>,
) -> AnyView {
    let count = |n: String| view! { <span>{n}</span> }.into_any();
    if !wave_is_closed {
        return count(code.used_count.to_string());
    }
    let withheld = match released.get(&code.wave_id) {
        Some(results) => match code.tally().shown_in(results) {
            Release::Released(n) => return count(n.to_string()),
            Release::Suppressed(reason) => Words(crate::dashboard::language(lang))
                .suppressed(reason, results.threshold().get()),
        },
        None => say(lang, "niet getoond", "not shown").to_owned(),
    };
    view! { <span class="suppressed">{withheld}</span> }.into_any()
}

fn classes_form(
    staff: &Staff,
    status: StatusCode,
    data: SchoolClasses,
    problems: Vec<Problem>,
    kept: NewClassForm,
) -> Response {
    let lang = staff.lang;
    let csrf = staff.csrf_token.clone();
    let SchoolClasses {
        school,
        waves,
        codes,
        teachers,
        released,
    } = data;
    let title = format!(
        "{} — {}",
        say(lang, "Klassen en codes", "Classes and codes"),
        school.name
    );
    let action = format!("/staff/schools/{}/classes", school.id);
    let wave_names: HashMap<i32, String> = waves.iter().map(|w| (w.id, w.name.clone())).collect();
    let wave_choices: Vec<(String, String)> = waves
        .iter()
        .map(|w| (w.id.to_string(), w.name.clone()))
        .collect();
    let teacher_choices: Vec<(String, String)> = teachers
        .iter()
        .map(|t| (t.id.to_string(), t.display_name.clone()))
        .collect();
    staff.page_with_status(status, &title, move || {
        view! {
            <div class="table-wrap">
                <table class="data" id="class-codes">
                    <caption>{say(lang, "Klascodes van deze school", "Class codes of this school")}</caption>
                    <thead><tr>
                        <th scope="col">{say(lang, "Klas", "Class")}</th>
                        <th scope="col">{say(lang, "Leerjaar", "School year")}</th>
                        <th scope="col">{say(lang, "Peiling", "Wave")}</th>
                        <th scope="col">{say(lang, "Code", "Code")}</th>
                        <th scope="col">{say(lang, "Ingevuld / verwacht", "Submitted / expected")}</th>
                        <th scope="col">{say(lang, "Codeblad", "Code sheet")}</th>
                    </tr></thead>
                    <tbody>
                        {codes.into_iter().map(|c| {
                            let closed = !wave_names.contains_key(&c.wave_id);
                            let submitted = submitted_view(lang, &c, closed, &released);
                            let wave = wave_names.get(&c.wave_id).cloned().unwrap_or_else(|| say(lang, "gesloten peiling", "closed wave").to_owned());
                            view! {
                                <tr>
                                    <td>{c.label.clone().unwrap_or_else(|| "—".to_owned())}</td>
                                    <td>{c.school_year}</td>
                                    <td>{wave}</td>
                                    <td class="code">{grouped(&c.code)}</td>
                                    <td>{submitted}" / "{c.expected_size}</td>
                                    <td><a href=format!("/staff/classes/{}/sheet", c.id)>{say(lang, "Afdrukken", "Print")}</a></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>{say(lang, "Klas aanmelden", "Register a class")}</h2>
            <Problems lang problems/>
            {if waves.is_empty() {
                view! { <p>{say(lang, "Er is geen open of geplande peiling.", "There is no open or planned wave.")}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=action class="staff-form">
                        <CsrfField token=csrf/>
                        <label for="wave">{say(lang, "Peiling", "Wave")}</label>
                        <select id="wave" name="wave">
                            <Options choices=wave_choices selected=kept.wave none=false/>
                        </select>
                        <label for="label">{say(lang, "Naam van de klas (bijv. 2B)", "Name of the class (e.g. 2B)")}</label>
                        <input id="label" name="label" type="text" required maxlength="40" value=kept.label/>
                        <label for="year">{say(lang, "Leerjaar", "School year")}</label>
                        <input id="year" name="year" type="number" min="1" max="6" required value=kept.year/>
                        <label for="size">{say(lang, "Aantal leerlingen", "Number of students")}</label>
                        <input id="size" name="size" type="number" min="1" max="400" required value=kept.size/>
                        <label for="teacher">{say(lang, "Docent die het aantal ingevulde lijsten volgt", "Teacher who follows the number of submissions")}</label>
                        <select id="teacher" name="teacher">
                            <Options choices=teacher_choices selected=kept.teacher none=true/>
                        </select>
                        <button type="submit" class="button primary">{say(lang, "Code aanmaken", "Create code")}</button>
                    </form>
                }.into_any()
            }}
        }
    })
}

/// The school of a request, if it exists and this member of staff may
/// register its classes.
async fn permitted_school(
    state: &AppState,
    staff: &Staff,
    id: &str,
) -> Result<school::Model, AppError> {
    let Some(id) = parse_id(id) else {
        return Err(AppError::NotFound);
    };
    let target = lookup::school(&state.db, id).await?;
    staff.require(Action::RegisterClasses, target)?;
    school::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn classes_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let school = permitted_school(&state, &staff, &id).await?;
    let data = school_classes(&state, school).await?;
    Ok(classes_form(
        &staff,
        StatusCode::OK,
        data,
        vec![],
        NewClassForm {
            year: "2".into(),
            ..Default::default()
        },
    ))
}

async fn register_class(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<NewClassForm>,
) -> Result<Response, AppError> {
    let school = permitted_school(&state, &staff, &id).await?;
    let data = school_classes(&state, school).await?;
    let lang = staff.lang;
    let mut problems = vec![];
    let wave = parse_id(form.wave.trim()).filter(|id| data.waves.iter().any(|w| w.id == *id));
    if wave.is_none() {
        problems.push(Problem {
            field: "wave",
            text: say(
                lang,
                "Kies een open of geplande peiling.",
                "Choose an open or planned wave.",
            ),
        });
    }
    let label = form.label.trim().to_owned();
    if label.is_empty() || label.chars().count() > 40 || label.chars().any(char::is_control) {
        problems.push(Problem {
            field: "label",
            text: say(
                lang,
                "Geef de klas een naam van 1 tot 40 tekens.",
                "Give the class a name of 1 to 40 characters.",
            ),
        });
    }
    let year = form
        .year
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|y| (1..=6).contains(y));
    if year.is_none() {
        problems.push(Problem {
            field: "year",
            text: say(
                lang,
                "Het leerjaar is een getal van 1 tot 6.",
                "The school year is a number from 1 to 6.",
            ),
        });
    }
    let size = form
        .size
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|s| (1..=400).contains(s));
    if size.is_none() {
        problems.push(Problem {
            field: "size",
            text: say(
                lang,
                "Het aantal leerlingen is een getal van 1 tot 400.",
                "The number of students is a number from 1 to 400.",
            ),
        });
    }
    let teacher = match form.teacher.trim() {
        "" => Ok(None),
        raw => parse_id(raw)
            .filter(|id| data.teachers.iter().any(|t| t.id == *id))
            .map(Some)
            .ok_or(()),
    };
    if teacher.is_err() {
        problems.push(Problem {
            field: "teacher",
            text: say(
                lang,
                "Kies een docent van deze school.",
                "Choose a teacher of this school.",
            ),
        });
    }
    let (Some(wave), Some(year), Some(size), Ok(teacher), true) =
        (wave, year, size, teacher, problems.is_empty())
    else {
        return Ok(classes_form(
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            data,
            problems,
            form,
        ));
    };
    let school_id = data.school.id;
    let result = async {
        let txn = crate::db::begin_write(&state.db).await?;
        let code = codes::issue(
            &txn,
            NewClass { wave_id: wave, school_id, school_year: year, expected_size: size, label: Some(label.clone()), teacher_user_id: teacher },
        )
        .await?;
        let row = class_code::Entity::find()
            .filter(class_code::Column::Code.eq(code.as_str()))
            .one(&txn)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("class code".into()))?;
        // The audit log names the class by its id, never by its code.
        super::audit::record(
            &txn,
            Some(staff.user.id),
            "class.registered",
            format!("class_code:{}", row.id),
            serde_json::json!({ "wave": wave, "school": school_id, "school_year": year, "expected": size, "teacher": teacher }),
        )
        .await?;
        txn.commit().await?;
        Ok::<_, DbErr>(row.id)
    }
    .await;
    let id = result?;
    Ok(Redirect::to(&format!("/staff/classes/{id}/sheet")).into_response())
}

fn grouped(code: &str) -> String {
    ClassCode::parse(code).map_or_else(|_| code.to_owned(), |c| c.display_grouped())
}

/// The address a student opens; the QR code carries the code with it.
fn survey_address(state: &AppState, headers: &HeaderMap, code: &str) -> (String, String) {
    let origin = super::public_origin(state, headers);
    (format!("{origin}/"), format!("{origin}/?code={code}"))
}

fn qr_svg(text: &str) -> Option<String> {
    let qr = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        qr.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(180, 180)
            .quiet_zone(true)
            .build(),
    )
}

async fn code_sheet(
    State(state): State<AppState>,
    headers: HeaderMap,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let Some(id) = parse_id(&id) else {
        return Err(AppError::NotFound);
    };
    let code = class_code::Entity::find_by_id(id).one(&state.db).await?;
    let target = match &code {
        Some(code) => lookup::school(&state.db, code.school_id).await?,
        None => None,
    };
    let Some(code) = code else {
        return Err(AppError::NotFound);
    };
    // Whoever registers the school's classes, and a teacher for the class
    // they were given: they hand the code to their students.
    if staff.require(Action::RegisterClasses, target).is_err() {
        staff.require(Action::ViewClassCount, Some(lookup::class_code(&code)))?;
    }
    let (school, wave) = match (
        school::Entity::find_by_id(code.school_id)
            .one(&state.db)
            .await,
        survey_wave::Entity::find_by_id(code.wave_id)
            .one(&state.db)
            .await,
    ) {
        (Ok(Some(school)), Ok(Some(wave))) => (school, wave),
        (Err(error), _) | (_, Err(error)) => return Err(error.into()),
        _ => return Err(AppError::NotFound),
    };
    let lang = staff.lang;
    let (address, qr_address) = survey_address(&state, &headers, &code.code);
    let qr = qr_svg(&qr_address).unwrap_or_default();
    let shown = grouped(&code.code);
    let label = code.label.clone().unwrap_or_default();
    let limit = submission_limit(code.expected_size);
    let title = format!("{} {label}", say(lang, "Codeblad", "Code sheet"));
    Ok(staff.page(&title, move || {
        view! {
            <article class="code-sheet">
                <p class="sheet-school">{school.name}" · "{wave.name}</p>
                <p>{say(lang, "Klas", "Class")}" "<strong>{label}</strong>" · "{say(lang, "leerjaar", "school year")}" "{code.school_year}" · "{code.expected_size}" "{say(lang, "leerlingen", "students")}</p>
                <p class="sheet-code-label">{say(lang, "Klascode", "Class code")}</p>
                <p class="sheet-code" id="sheet-code">{shown}</p>
                <div class="sheet-qr" role="img" aria-label=say(lang, "QR-code naar de vragenlijst met deze klascode", "QR code to the questionnaire with this class code") inner_html=qr></div>
                <p>{say(lang, "Adres", "Address")}": "<strong>{address}</strong></p>
                <h2>{say(lang, "Voor de docent", "For the teacher")}</h2>
                <ol class="sheet-steps">
                    <li>{say(lang, "Zet de code op het bord of laat de QR-code scannen.", "Put the code on the board or let students scan the QR code.")}</li>
                    <li>{say(lang, "Vertel: de vragenlijst is anoniem en vrijwillig, elke vraag mag je overslaan, het duurt ongeveer 30 minuten.", "Tell them: the questionnaire is anonymous and voluntary, any question may be skipped, it takes about 30 minutes.")}</li>
                    <li>{say(lang, "Loop niet langs de schermen; leerlingen werken zelfstandig en in stilte.", "Do not walk past the screens; students work on their own and in silence.")}</li>
                    <li>{say(lang, "De code werkt zolang de peiling open is, voor hoogstens", "The code works while the wave is open, for at most")}" "{limit}" "{say(lang, "ingevulde lijsten.", "submissions.")}</li>
                </ol>
                <p class="no-print hint">{say(lang, "Afdrukken op A4: Ctrl+P (of ⌘P op een Mac).", "Print on A4: Ctrl+P (or ⌘P on a Mac).")}</p>
            </article>
        }
    }))
}

/// One class's count as a member of staff may see it.
struct Count {
    id: i32,
    label: String,
    school_year: i16,
    wave: String,
    used: i32,
    expected: i32,
}

async fn counts_page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let Some(school) = staff.principal.school else {
        return Err(AppError::NotFound);
    };
    let rows = async {
        let waves: HashMap<i32, survey_wave::Model> = survey_wave::Entity::find()
            .all(&state.db)
            .await?
            .into_iter()
            .map(|w| (w.id, w))
            .collect();
        let codes = class_code::Entity::find()
            .filter(class_code::Column::SchoolId.eq(school))
            .order_by_asc(class_code::Column::SchoolYear)
            .order_by_asc(class_code::Column::Label)
            .all(&state.db)
            .await?;
        Ok::<_, DbErr>(
            codes
                .into_iter()
                .filter(|c| staff.may(Action::ViewClassCount, &lookup::class_code(c)))
                .filter(|c| waves.get(&c.wave_id).is_some_and(|w| w.status == "open"))
                .map(|c| Count {
                    id: c.id,
                    label: c.label.unwrap_or_default(),
                    school_year: c.school_year,
                    wave: waves
                        .get(&c.wave_id)
                        .map(|w| w.name.clone())
                        .unwrap_or_default(),
                    used: c.used_count,
                    expected: c.expected_size,
                })
                .collect::<Vec<_>>(),
        )
    }
    .await;
    let rows = rows?;
    let lang = staff.lang;
    let mut response = staff.page(say(lang, "Ingevulde lijsten", "Submissions"), move || {
        view! {
            <p>{say(lang,
                "Hoeveel leerlingen van je klassen de vragenlijst hebben ingestuurd. Antwoorden zie je nooit. De pagina ververst zichzelf elke 30 seconden.",
                "How many students of your classes have sent the questionnaire. You never see answers. The page refreshes itself every 30 seconds.")}</p>
            {if rows.is_empty() {
                view! { <p id="no-classes">{say(lang, "Er zijn geen klassen van jou in een open peiling.", "You have no classes in an open wave.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data" id="counts">
                            <thead><tr>
                                <th scope="col">{say(lang, "Klas", "Class")}</th>
                                <th scope="col">{say(lang, "Leerjaar", "School year")}</th>
                                <th scope="col">{say(lang, "Peiling", "Wave")}</th>
                                <th scope="col">{say(lang, "Ingevuld", "Submitted")}</th>
                                <th scope="col">{say(lang, "Verwacht", "Expected")}</th>
                                <th scope="col">{say(lang, "Code", "Code")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr><td>{r.label}</td><td>{r.school_year}</td><td>{r.wave}</td><td class="count">{r.used}</td><td>{r.expected}</td>
                                        <td><a href=format!("/staff/classes/{}/sheet", r.id) class="code-sheet-link">{say(lang, "Codeblad afdrukken", "Print the code sheet")}</a></td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        }
    });
    response
        .headers_mut()
        .insert("refresh", HeaderValue::from_static(REFRESH_SECONDS));
    Ok(response)
}

async fn response_board(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::ViewResponseRates, Some(Target::Region))?;
    let data = async {
        let waves = survey_wave::Entity::find()
            .filter(survey_wave::Column::Status.eq("open"))
            .order_by_desc(survey_wave::Column::Year)
            .all(&state.db)
            .await?;
        let schools: HashMap<i32, String> = school::Entity::find()
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let mut boards = vec![];
        for wave in waves {
            let codes = class_code::Entity::find()
                .filter(class_code::Column::WaveId.eq(wave.id))
                .order_by_asc(class_code::Column::SchoolId)
                .order_by_asc(class_code::Column::Label)
                .all(&state.db)
                .await?;
            let mut per_school: Vec<SchoolTally> = vec![];
            for code in codes {
                let name = schools.get(&code.school_id).cloned().unwrap_or_default();
                if per_school.last().is_none_or(|(n, ..)| *n != name) {
                    per_school.push((name, 0, 0, vec![]));
                }
                if let Some(entry) = per_school.last_mut() {
                    entry.1 += code.used_count;
                    entry.2 += code.expected_size;
                    entry.3.push((
                        code.label.unwrap_or_default(),
                        code.used_count,
                        code.expected_size,
                    ));
                }
            }
            boards.push((wave.name, per_school));
        }
        Ok::<_, DbErr>(boards)
    }
    .await;
    let boards = data?;
    let lang = staff.lang;
    let percent = |used: i32, expected: i32| {
        if expected > 0 {
            format!(
                "{} %",
                (f64::from(used) * 100.0 / f64::from(expected)).round()
            )
        } else {
            "—".to_owned()
        }
    };
    let mut response = staff.page(say(lang, "Respons", "Response"), move || {
        view! {
            {if boards.is_empty() {
                view! { <p>{say(lang, "Er is geen open peiling.", "There is no open wave.")}</p> }.into_any()
            } else {
                boards.into_iter().map(|(wave, schools)| view! {
                    <section>
                        <h2>{wave}</h2>
                        <div class="table-wrap">
                            <table class="data">
                                <thead><tr>
                                    <th scope="col">{say(lang, "School / klas", "School / class")}</th>
                                    <th scope="col">{say(lang, "Ingevuld", "Submitted")}</th>
                                    <th scope="col">{say(lang, "Verwacht", "Expected")}</th>
                                    <th scope="col">{say(lang, "Respons", "Response")}</th>
                                </tr></thead>
                                <tbody>
                                    {schools.into_iter().map(|(name, used, expected, classes)| view! {
                                        <tr class="school-row"><th scope="row">{name}</th><td>{used}</td><td>{expected}</td><td>{percent(used, expected)}</td></tr>
                                        {classes.into_iter().map(|(label, u, e)| view! {
                                            <tr><td class="class-cell">{label}</td><td>{u}</td><td>{e}</td><td>{percent(u, e)}</td></tr>
                                        }).collect_view()}
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                }).collect_view().into_any()
            }}
        }
    });
    response
        .headers_mut()
        .insert("refresh", HeaderValue::from_static(REFRESH_SECONDS));
    Ok(response)
}

/// A class's label, codes used and expected size.
type ClassTally = (String, i32, i32);

/// A school's name, codes used, expected size and its classes.
type SchoolTally = (String, i32, i32, Vec<ClassTally>);
