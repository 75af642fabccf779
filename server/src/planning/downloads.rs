//! Goals and actions as CSV and XLSX.

use super::*;

pub(super) async fn download(
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
