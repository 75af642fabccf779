//! The plans a reader may open, and for the region the municipalities side
//! by side with every goal off course.

use super::*;

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

pub(super) async fn overview(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
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
