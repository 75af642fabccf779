//! The ten steps of the prevention cycle, kept per municipality and wave.

use super::*;

crate::admin::csrf_form!(CycleForm);

#[derive(Debug, Default, Deserialize)]
pub(super) struct CycleForm {
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

pub(super) async fn save_cycle_step(
    State(state): State<AppState>,
    staff: Staff,
    Path(place): Path<String>,
    CsrfForm(form): CsrfForm<CycleForm>,
) -> Result<Response, AppError> {
    let place = authorised(&state, &staff, &place, Action::RunCycle).await?;
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
