//! Recording prevention actions and updating their status.

use super::*;

crate::admin::csrf_form!(ActionForm, ActionUpdate);

#[derive(Debug, Default, Deserialize)]
pub(super) struct ActionForm {
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

pub(super) async fn create_action(
    State(state): State<AppState>,
    staff: Staff,
    Path(place): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, AppError> {
    let place = authorised(&state, &staff, &place, Action::RecordActions).await?;
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
pub(super) struct ActionUpdate {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    ends_on: String,
}

pub(super) async fn update_action(
    State(state): State<AppState>,
    staff: Staff,
    Path((place, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ActionUpdate>,
) -> Result<Response, AppError> {
    let place = authorised(&state, &staff, &place, Action::RecordActions).await?;
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
