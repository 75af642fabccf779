//! Setting and removing goals: the form a dashboard row opens, its checks,
//! and the stored goal.

use super::*;

crate::admin::csrf_form!(GoalForm, RemoveForm);

/// A goal form, as it is posted (and as the "set a goal" link fills it).
#[derive(Debug, Default, Deserialize)]
pub(super) struct GoalForm {
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
    let breakdown = goals::breakdown_of(&form.who).ok_or(Problem {
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
        breakdown: form.who.clone(),
        indicator: indicator.key.clone(),
        direction: indicator.direction,
        default_domain: goals::default_domain(indicator.domain),
        share,
    })
}

pub(super) async fn new_goal(
    State(state): State<AppState>,
    staff: Staff,
    Path(place): Path<String>,
    query: Result<Query<GoalForm>, QueryRejection>,
) -> Result<Response, AppError> {
    let Ok(Query(form)) = query else {
        return Err(AppError::BadForm);
    };
    let place = authorised(&state, &staff, &place, Action::SetGoals).await?;
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

pub(super) async fn create_goal(
    State(state): State<AppState>,
    staff: Staff,
    Path(place): Path<String>,
    CsrfForm(form): CsrfForm<GoalForm>,
) -> Result<Response, AppError> {
    let place = authorised(&state, &staff, &place, Action::SetGoals).await?;
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
pub(super) struct RemoveForm {
    #[serde(default)]
    csrf: String,
    /// `yes` when the box "remove this goal" is ticked.
    #[serde(default)]
    confirm: String,
}

pub(super) async fn remove_goal(
    State(state): State<AppState>,
    staff: Staff,
    Path((place, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> Result<Response, AppError> {
    let place = authorised(&state, &staff, &place, Action::SetGoals).await?;
    let id = crate::admin::parse_id(&id).ok_or(AppError::NotFound)?;
    let found = goal::Entity::find_by_id(id)
        .filter(goal::Column::Place.eq(&place.name))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
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
    // The schema sets these to null too; saying it here does not depend on
    // the connection enforcing foreign keys.
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
