//! Survey waves for the region coordinator: create one for a questionnaire
//! version, open it, close it (which releases its figures), reopen it with a
//! reason, publish a new release of a closed wave (after late answers or under
//! another threshold), and see a running wave's provisional counts — never its
//! figures, which exist only as releases of a closed wave.

use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::Utc;
use leptos::prelude::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;

use super::{CsrfField, CsrfForm, Options, Problem, Problems, Staff, say};
use crate::auth::authz::{Action, Target};
use crate::entities::{region, response, survey_wave, wave_release};
use crate::error::AppError;
use crate::results;
use crate::state::AppState;
use app::i18n::Lang;

/// The questionnaire versions this installation can field.
pub const QUESTIONNAIRE_VERSIONS: [&str; 1] = ["standard-v1"];

super::csrf_form!(NewWave, Step);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/waves", get(waves_page).post(create_wave))
        .route("/staff/waves/{id}/{step}", post(change_wave))
        .route("/staff/waves/{id}/provisional", get(provisional_page))
}

#[derive(Deserialize, Default)]
struct NewWave {
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    questionnaire: String,
}

struct WaveRow {
    wave: survey_wave::Model,
    responses: u64,
    computed: Option<String>,
}

async fn rows(state: &AppState) -> Result<Vec<WaveRow>, DbErr> {
    let waves = survey_wave::Entity::find()
        .order_by_desc(survey_wave::Column::Year)
        .order_by_desc(survey_wave::Column::Id)
        .all(&state.db)
        .await?;
    let mut rows = vec![];
    for wave in waves {
        let responses = response::Entity::find()
            .filter(response::Column::WaveId.eq(wave.id))
            .count(&state.db)
            .await?;
        let computed = wave_release::Entity::find()
            .filter(wave_release::Column::WaveId.eq(wave.id))
            .order_by_desc(wave_release::Column::Number)
            .one(&state.db)
            .await?
            .map(|r| release_label(&r));
        rows.push(WaveRow {
            wave,
            responses,
            computed,
        });
    }
    Ok(rows)
}

fn release_label(release: &wave_release::Model) -> String {
    format!(
        "{} · {} · k = {}",
        release.number,
        release.released_at.format("%Y-%m-%d %H:%M UTC"),
        release.suppression_k
    )
}

fn status_label(lang: Lang, status: &str) -> &'static str {
    match status {
        "open" => say(lang, "open", "open"),
        "closed" => say(lang, "gesloten", "closed"),
        _ => say(lang, "gepland", "planned"),
    }
}

fn waves_form(
    staff: &Staff,
    status: StatusCode,
    rows: Vec<WaveRow>,
    problems: Vec<Problem>,
    kept: NewWave,
    done: Option<&'static str>,
) -> Response {
    let lang = staff.lang;
    let versions = QUESTIONNAIRE_VERSIONS
        .map(|v| (v.to_owned(), v.to_owned()))
        .to_vec();
    let csrf = staff.csrf_token.clone();
    staff.page_with_status(status, say(lang, "Peilingen", "Survey waves"), move || {
        let row_csrf = csrf.clone();
        view! {
            {done.map(|text| view! { <p class="message ok" role="status">{text}</p> })}
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th scope="col">{say(lang, "Peiling", "Wave")}</th>
                        <th scope="col">{say(lang, "Jaar", "Year")}</th>
                        <th scope="col">{say(lang, "Vragenlijst", "Questionnaire")}</th>
                        <th scope="col">{say(lang, "Status", "Status")}</th>
                        <th scope="col">{say(lang, "Antwoorden", "Responses")}</th>
                        <th scope="col">{say(lang, "Release die geldt", "Release in force")}</th>
                        <th scope="col">{say(lang, "Acties", "Actions")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let csrf = row_csrf.clone();
                            let id = row.wave.id;
                            let status = row.wave.status.clone();
                            view! {
                                <tr>
                                    <td>{row.wave.name}</td>
                                    <td>{row.wave.year}</td>
                                    <td>{row.wave.questionnaire_version}</td>
                                    <td>{status_label(lang, &status)}</td>
                                    <td>{row.responses}</td>
                                    <td>{row.computed.unwrap_or_else(|| "—".to_owned())}</td>
                                    <td class="actions">
                                        {wave_actions(lang, id, &status, csrf)}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>{say(lang, "Nieuwe peiling", "New wave")}</h2>
            <Problems lang problems/>
            <form method="post" action="/staff/waves" class="staff-form">
                <CsrfField token=csrf/>
                <label for="name">{say(lang, "Naam", "Name")}</label>
                <input id="name" name="name" type="text" required maxlength="120" value=kept.name/>
                <label for="year">{say(lang, "Jaar", "Year")}</label>
                <input id="year" name="year" type="number" required min="2000" max="2100" value=kept.year/>
                <label for="questionnaire">{say(lang, "Versie van de vragenlijst", "Questionnaire version")}</label>
                <select id="questionnaire" name="questionnaire">
                    <Options choices=versions selected=kept.questionnaire none=false/>
                </select>
                <button type="submit" class="button primary">{say(lang, "Aanmaken", "Create")}</button>
            </form>
        }
    })
}

fn wave_actions(lang: Lang, id: i32, status: &str, csrf: String) -> AnyView {
    let button = move |step: &'static str, label: &'static str, csrf: String| {
        view! {
            <form method="post" action=format!("/staff/waves/{id}/{step}") class="inline">
                <CsrfField token=csrf/>
                <button type="submit" class="button secondary">{label}</button>
            </form>
        }
    };
    match status {
        "open" => view! {
            {button("close", say(lang, "Sluiten en uitkomsten vrijgeven", "Close and release the figures"), csrf)}
            <a class="button secondary" href=format!("/staff/waves/{id}/provisional")>
                {say(lang, "Voorlopige telling", "Provisional count")}
            </a>
        }
        .into_any(),
        "closed" => view! {
            {button("release", say(lang, "Nieuwe release publiceren", "Publish a new release"), csrf.clone())}
            <form method="post" action=format!("/staff/waves/{id}/reopen") class="inline reopen">
                <CsrfField token=csrf/>
                <label for=format!("reason-{id}")>{say(lang, "Reden om te heropenen", "Reason to reopen")}</label>
                <input id=format!("reason-{id}") name="reason" type="text" required maxlength="500"
                    aria-describedby=format!("reason-{id}-hint")/>
                <small id=format!("reason-{id}-hint")>
                    {say(lang,
                        "Noem geen leerling: de reden komt in het auditlog (bijvoorbeeld \"een klas was ziek\").",
                        "Do not name a student: the reason goes into the audit log (for instance \"one class was ill\").")}
                </small>
                <button type="submit" class="button secondary">{say(lang, "Heropenen", "Reopen")}</button>
            </form>
        }
        .into_any(),
        _ => button("open", say(lang, "Openen", "Open"), csrf).into_any(),
    }
}

async fn waves_page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let rows = rows(&state).await?;
    Ok(waves_form(
        &staff,
        StatusCode::OK,
        rows,
        vec![],
        NewWave::default(),
        None,
    ))
}

async fn create_wave(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<NewWave>,
) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let lang = staff.lang;
    let mut problems = vec![];
    let name = form.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 120 {
        problems.push(Problem {
            field: "name",
            text: say(
                lang,
                "Vul een naam in van hoogstens 120 tekens.",
                "Enter a name of at most 120 characters.",
            ),
        });
    }
    let year = form
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        problems.push(Problem {
            field: "year",
            text: say(
                lang,
                "Vul een jaartal in tussen 2000 en 2100.",
                "Enter a year between 2000 and 2100.",
            ),
        });
    }
    if !QUESTIONNAIRE_VERSIONS.contains(&form.questionnaire.as_str()) {
        problems.push(Problem {
            field: "questionnaire",
            text: say(
                lang,
                "Kies een versie van de vragenlijst.",
                "Choose a questionnaire version.",
            ),
        });
    }
    if !problems.is_empty() {
        let rows = rows(&state).await?;
        return Ok(waves_form(
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            rows,
            problems,
            form,
            None,
        ));
    }
    let result = async {
        let region = region::Entity::find()
            .one(&state.db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("region".into()))?;
        let txn = crate::db::begin_write(&state.db).await?;
        let wave = survey_wave::ActiveModel {
            region_id: Set(region.id),
            name: Set(name),
            year: Set(year.unwrap_or_default()),
            questionnaire_version: Set(form.questionnaire.clone()),
            status: Set("planned".to_owned()),
            opened_at: Set(None),
            closed_at: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        super::audit::record(
            &txn,
            Some(staff.user.id),
            "wave.created",
            format!("wave:{}", wave.id),
            serde_json::json!({ "questionnaire": form.questionnaire }),
        )
        .await?;
        txn.commit().await
    }
    .await;
    result?;
    Ok(Redirect::to("/staff/waves").into_response())
}

#[derive(Deserialize)]
struct Step {
    csrf: String,
    #[serde(default)]
    reason: String,
    /// "yes" when the coordinator chose to publish a release that hides
    /// figures the release in force shows.
    #[serde(default)]
    withhold: String,
}

/// The wave a path names, or the page that says it does not exist.
async fn wave_named(state: &AppState, id: &str) -> Result<survey_wave::Model, AppError> {
    let Some(id) = super::parse_id(id) else {
        return Err(AppError::NotFound);
    };
    match survey_wave::Entity::find_by_id(id).one(&state.db).await {
        Ok(Some(wave)) => Ok(wave),
        Ok(None) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

async fn change_wave(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, step)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<Step>,
) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let lang = staff.lang;
    let wave = wave_named(&state, &id).await?;
    let threshold = super::places::threshold(&state).await?;
    let actor = Some(staff.user.id);
    let refuse = |problem: Problem| async {
        match rows(&state).await {
            Ok(rows) => waves_form(
                &staff,
                StatusCode::CONFLICT,
                rows,
                vec![problem],
                NewWave::default(),
                None,
            ),
            Err(error) => AppError::from(error).into_response(),
        }
    };
    let outcome: Result<&'static str, results::ResultsError> = match (
        step.as_str(),
        wave.status.as_str(),
    ) {
        ("open", "planned") => set_status(&state, &wave, "open", actor, serde_json::json!({}))
            .await
            .map(|()| {
                say(
                    lang,
                    "De peiling is open: klascodes werken nu.",
                    "The wave is open: class codes work now.",
                )
            })
            .map_err(Into::into),
        ("close", "open") => {
            match results::close_wave(&state.db, wave.id, threshold, actor).await {
                Ok(_) => Ok(say(
                    lang,
                    "De peiling is gesloten en de uitkomsten zijn vrijgegeven.",
                    "The wave is closed and its figures are released.",
                )),
                // Reopened and closed without a new answer: the release in
                // force is still the wave's figures.
                Err(results::ResultsError::Refused(results::Refusal::Unchanged { .. })) => Ok(say(
                    lang,
                    "De peiling is gesloten; er is niets veranderd, dus de release die gold blijft gelden.",
                    "The wave is closed; nothing changed, so the release in force stays in force.",
                )),
                Err(error) => Err(error),
            }
        }
        ("release", "closed") => {
            let withholding = if form.withhold == "yes" {
                results::Withholding::Allow
            } else {
                results::Withholding::Refuse
            };
            results::release_wave_with(&state.db, wave.id, threshold, actor, withholding)
                .await
                .map(|_| {
                    say(
                        lang,
                        "Een nieuwe release van de peiling is gepubliceerd.",
                        "A new release of the wave is published.",
                    )
                })
        }
        ("reopen", "closed") => {
            let reason = form.reason.trim();
            if reason.is_empty() || reason.chars().count() > 500 {
                return Ok(refuse(Problem {
                    field: "name",
                    text: say(
                        lang,
                        "Geef een reden (hoogstens 500 tekens) om de peiling te heropenen.",
                        "Give a reason (at most 500 characters) to reopen the wave.",
                    ),
                })
                .await);
            }
            set_status(
                &state,
                &wave,
                "open",
                actor,
                serde_json::json!({ "reason": reason }),
            )
            .await
            .map(|()| say(lang, "De peiling is weer open.", "The wave is open again."))
            .map_err(Into::into)
        }
        ("open" | "close" | "release" | "reopen", _) => {
            return Ok(refuse(Problem {
                field: "name",
                text: say(
                    lang,
                    "Dat kan niet in de huidige status van deze peiling. Er is niets veranderd.",
                    "That is not possible in this wave's current status. Nothing was changed.",
                ),
            })
            .await);
        }
        _ => return Err(AppError::NotFound),
    };
    match outcome {
        Ok(done) => match rows(&state).await {
            Ok(rows) => Ok(waves_form(
                &staff,
                StatusCode::OK,
                rows,
                vec![],
                NewWave::default(),
                Some(done),
            )),
            Err(error) => Err(error.into()),
        },
        Err(results::ResultsError::Database(error)) => Err(error.into()),
        Err(results::ResultsError::Refused(refusal)) => {
            tracing::info!(wave = wave.id, key = refusal.key(), "no new release");
            if let results::Refusal::WouldWithhold { release, withheld } = refusal {
                return Ok(withhold_choice(&staff, &wave, release, withheld));
            }
            match rows(&state).await {
                Ok(rows) => Ok(waves_form(
                    &staff,
                    StatusCode::CONFLICT,
                    rows,
                    vec![Problem {
                        field: "name",
                        text: refusal_text(lang, &refusal),
                    }],
                    NewWave::default(),
                    None,
                )),
                Err(error) => Err(error.into()),
            }
        }
        Err(error) => {
            tracing::error!(%error, wave = wave.id, "could not compute a wave's results");
            Ok((
                StatusCode::INTERNAL_SERVER_ERROR,
                say(
                    lang,
                    "De uitkomsten konden niet berekend worden; er is niets vrijgegeven.",
                    "The figures could not be computed; nothing was released.",
                ),
            )
                .into_response())
        }
    }
}

/// Why no new release was published, for the coordinator. The wave's status
/// change (a close) has happened; only the release was refused.
fn refusal_text(lang: Lang, refusal: &results::Refusal) -> &'static str {
    match refusal {
        results::Refusal::NotClosed => say(
            lang,
            "Uitkomsten worden pas vrijgegeven als de peiling gesloten is.",
            "Figures are released only when the wave is closed.",
        ),
        results::Refusal::Unchanged { .. } => say(
            lang,
            "Er is niets veranderd sinds de release die geldt; die blijft gelden.",
            "Nothing changed since the release in force; it stays in force.",
        ),
        results::Refusal::WouldWithhold { .. } => say(
            lang,
            "Geen nieuwe release: er zijn sinds de vorige release te weinig antwoorden bijgekomen om \
             te tonen. Naast de vorige release zouden ze die antwoorden verraden. De vorige release \
             blijft gelden; de nieuwe antwoorden tellen mee zodra er genoeg zijn.",
            "No new release: too few answers came in since the previous release to show. Set \
             beside it, a new release would give those answers away. The previous release stays in \
             force; the new answers count once there are enough of them.",
        ),
        results::Refusal::NoBasis { .. } => say(
            lang,
            "Deze release is ouder dan de controle tussen releases en blijft gelden; een nieuwe \
             release kan er niet veilig naast gezet worden.",
            "This release predates the check between releases and stays in force; no new release \
             can be set safely beside it.",
        ),
    }
}

/// A new release was refused because it would hide figures readers have now:
/// the coordinator sees how many, and may publish it anyway or keep the
/// release in force.
fn withhold_choice(
    staff: &Staff,
    wave: &survey_wave::Model,
    release: i32,
    withheld: usize,
) -> Response {
    let lang = staff.lang;
    let csrf = staff.csrf_token.clone();
    let id = wave.id;
    let title = say(lang, "Geen nieuwe release", "No new release");
    staff.page_with_status(StatusCode::CONFLICT, title, move || {
        view! {
            <p class="message error" role="alert">
                {refusal_text(lang, &results::Refusal::WouldWithhold { release, withheld })}
            </p>
            <p data-withheld=withheld.to_string()>
                {match lang {
                    Lang::Nl => format!(
                        "Een nieuwe release met de nieuwe antwoorden zou {withheld} cijfers van release {release} verbergen."
                    ),
                    Lang::En => format!(
                        "A new release with the new answers would hide {withheld} figures of release {release}."
                    ),
                }}
            </p>
            <form method="post" action=format!("/staff/waves/{id}/release") class="inline">
                <CsrfField token=csrf/>
                <input type="hidden" name="withhold" value="yes"/>
                <button type="submit" class="button secondary">
                    {say(lang, "Toch publiceren, met die cijfers verborgen", "Publish anyway, with those figures hidden")}
                </button>
            </form>
            <p><a href="/staff/waves">{say(lang, "Release laten gelden en terug", "Keep the release in force and go back")}</a></p>
        }
    })
}

/// An open wave as the region coordinator may see it: response counts so far,
/// marked provisional — the figures are released only when it closes.
async fn provisional_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let lang = staff.lang;
    let wave = wave_named(&state, &id).await?;
    let counts = results::provisional(&state.db, wave.id).await?;
    let title = say(
        lang,
        "Voorlopig — niet gepubliceerd",
        "Provisional — not published",
    );
    Ok(staff.page_with_status(StatusCode::OK, title, move || {
        view! {
            <p class="message provisional" role="note" data-provisional="true">
                {say(lang,
                    "Alleen voor de regiocoördinator. Dit zijn tellingen van een lopende peiling, geen uitkomsten: die worden vrijgegeven als de peiling sluit.",
                    "For the region coordinator only. These are counts of a running wave, not figures: those are released when the wave closes.")}
            </p>
            <dl class="facts">
                <dt>{say(lang, "Peiling", "Wave")}</dt>
                <dd>{format!("{} ({}) — {}", wave.name, wave.year, status_label(lang, &wave.status))}</dd>
                <dt>{say(lang, "Antwoorden tot nu toe", "Responses so far")}</dt>
                <dd data-count="responses">{counts.responses}</dd>
                <dt>{say(lang, "Gemarkeerd door de geldigheidscontrole", "Flagged by the validity screen")}</dt>
                <dd data-count="flagged">{counts.flagged}</dd>
            </dl>
            <p><a href="/staff/response">{say(lang, "Respons per school en klas", "Response per school and class")}</a></p>
            <p><a href="/staff/waves">{say(lang, "Terug naar de peilingen", "Back to the survey waves")}</a></p>
        }
    }))
}

async fn set_status(
    state: &AppState,
    wave: &survey_wave::Model,
    status: &str,
    actor: Option<i32>,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    let txn = crate::db::begin_write(&state.db).await?;
    let mut change: survey_wave::ActiveModel = wave.clone().into();
    change.status = Set(status.to_owned());
    if status == "open" {
        change.closed_at = Set(None);
        if wave.opened_at.is_none() {
            change.opened_at = Set(Some(Utc::now()));
        }
    }
    change.update(&txn).await?;
    let action = if wave.status == "closed" {
        "wave.reopened"
    } else {
        "wave.opened"
    };
    super::audit::record(&txn, actor, action, format!("wave:{}", wave.id), detail).await?;
    txn.commit().await
}
