//! The waves a dashboard can show: every wave with a release, oldest first,
//! each with the figures of its release in force parsed once and kept while
//! that release stays the latest.
//!
//! Pages read only released figures, never a response, and never an open
//! wave's: a wave has no release until it closes. Parsing a release costs far
//! more than serving a page from it, so each server keeps the parsed release
//! and checks on every request, with one small query, that it is still the
//! latest (another server may have published a new release since).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, QuerySelect};
use surveys::{Questionnaire, WaveResults};

use crate::entities::{survey_wave, wave_release};
use crate::results::{self, ResultsError};
use crate::survey::flow::questionnaire_named;

/// A wave with a release, as dashboards show it.
#[derive(Clone)]
pub struct ShownWave {
    pub id: i32,
    pub name: String,
    pub year: i32,
    /// The number of the release shown (the latest), and when it was published.
    pub release: i32,
    pub released_at: chrono::DateTime<chrono::Utc>,
    pub results: Arc<WaveResults>,
    /// The questionnaire the wave was answered on, for trend rules and labels.
    pub questionnaire: &'static Questionnaire,
}

/// A release, by its number and time.
type Computed = (i32, chrono::DateTime<chrono::Utc>);

/// Parsed results by wave, with the release they are.
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

/// Every wave with a release whose questionnaire this server knows, oldest
/// first (by year, then by id), each with its latest release.
pub async fn shown_waves(
    db: &DatabaseConnection,
    cache: &ResultsCache,
) -> Result<Vec<ShownWave>, ResultsError> {
    let mut latest: HashMap<i32, Computed> = HashMap::new();
    let releases = wave_release::Entity::find()
        .select_only()
        .column(wave_release::Column::WaveId)
        .column(wave_release::Column::Number)
        .column(wave_release::Column::ReleasedAt)
        .into_tuple::<(i32, i32, chrono::DateTime<chrono::Utc>)>()
        .all(db)
        .await?;
    for (wave, number, at) in releases {
        let entry = latest.entry(wave).or_insert((number, at));
        if number > entry.0 {
            *entry = (number, at);
        }
    }
    let waves = survey_wave::Entity::find()
        .order_by_asc(survey_wave::Column::Year)
        .order_by_asc(survey_wave::Column::Id)
        .all(db)
        .await?;
    let mut shown = Vec::new();
    for wave in waves {
        let Some(&release) = latest.get(&wave.id) else {
            continue;
        };
        let Some(questionnaire) = questionnaire_named(&wave.questionnaire_version) else {
            continue;
        };
        let results = match cache.get(wave.id, release) {
            Some(results) => results,
            None => {
                let Some(stored) = results::stored(db, wave.id).await? else {
                    continue;
                };
                let results = Arc::new(stored.results);
                cache.keep(
                    wave.id,
                    (stored.number, stored.released_at),
                    results.clone(),
                );
                results
            }
        };
        shown.push(ShownWave {
            id: wave.id,
            name: wave.name,
            year: wave.year,
            release: release.0,
            released_at: release.1,
            results,
            questionnaire,
        });
    }
    cache.retain(&latest.keys().copied().collect::<Vec<_>>());
    Ok(shown)
}
