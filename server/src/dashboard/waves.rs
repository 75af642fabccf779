//! The waves a dashboard can show: every wave with computed results, oldest
//! first, each with its results parsed once and kept while they stay current.
//!
//! Pages read only these materialised results, never a response. Parsing a
//! wave's results costs far more than serving a page from them, so each server
//! keeps the parsed results and checks on every request, with one small query,
//! that they are still the ones stored (another server may have recomputed the
//! wave since).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, QuerySelect};
use surveys::{Questionnaire, WaveResults};

use crate::entities::{survey_wave, wave_result};
use crate::results::{self, ResultsError};
use crate::survey::flow::questionnaire_named;

/// A wave with results, as dashboards show it.
#[derive(Clone)]
pub struct ShownWave {
    pub id: i32,
    pub name: String,
    pub year: i32,
    pub results: Arc<WaveResults>,
    /// The questionnaire the wave was answered on, for trend rules and labels.
    pub questionnaire: &'static Questionnaire,
}

type Computed = chrono::DateTime<chrono::Utc>;

/// Parsed results by wave, with the time they were computed.
#[derive(Default)]
pub struct ResultsCache {
    waves: Mutex<HashMap<i32, (Computed, Arc<WaveResults>)>>,
}

impl ResultsCache {
    fn get(&self, wave: i32, computed: Computed) -> Option<Arc<WaveResults>> {
        let waves = self
            .waves
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        waves
            .get(&wave)
            .filter(|(at, _)| *at == computed)
            .map(|(_, results)| results.clone())
    }

    fn keep(&self, wave: i32, computed: Computed, results: Arc<WaveResults>) {
        let mut waves = self
            .waves
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        waves.insert(wave, (computed, results));
    }

    /// Forgets waves whose results are gone (a deleted wave).
    fn retain(&self, current: &[i32]) {
        let mut waves = self
            .waves
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        waves.retain(|wave, _| current.contains(wave));
    }
}

/// Every wave with stored results whose questionnaire this server knows, oldest
/// first (by year, then by id).
pub async fn shown_waves(
    db: &DatabaseConnection,
    cache: &ResultsCache,
) -> Result<Vec<ShownWave>, ResultsError> {
    let computed: HashMap<i32, Computed> = wave_result::Entity::find()
        .select_only()
        .column(wave_result::Column::WaveId)
        .column(wave_result::Column::ComputedAt)
        .into_tuple::<(i32, Computed)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let waves = survey_wave::Entity::find()
        .order_by_asc(survey_wave::Column::Year)
        .order_by_asc(survey_wave::Column::Id)
        .all(db)
        .await?;
    let mut shown = Vec::new();
    for wave in waves {
        let Some(&at) = computed.get(&wave.id) else {
            continue;
        };
        let Some(questionnaire) = questionnaire_named(&wave.questionnaire_version) else {
            continue;
        };
        let results = match cache.get(wave.id, at) {
            Some(results) => results,
            None => {
                let Some(results) = results::stored(db, wave.id).await? else {
                    continue;
                };
                let results = Arc::new(results);
                cache.keep(wave.id, at, results.clone());
                results
            }
        };
        shown.push(ShownWave {
            id: wave.id,
            name: wave.name,
            year: wave.year,
            results,
            questionnaire,
        });
    }
    cache.retain(&computed.keys().copied().collect::<Vec<_>>());
    Ok(shown)
}
