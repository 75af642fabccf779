//! A wave's materialised results: every figure any dashboard, report or export
//! shows, computed from the stored responses by [`surveys::compute_wave`] (which
//! also decides, once, what may be released) and stored in two small tables —
//! `wave_result` (the whole result as one document) and `wave_figure` (one row
//! per group) — so that no page ever reads a response.
//!
//! Results are computed when a wave closes and on demand (while it runs, or
//! after a correction). A new computation replaces the previous one in one
//! transaction and leaves an entry in the audit log.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};
use surveys::{
    Answers, MunicipalityId, Questionnaire, SchoolId, SuppressionThreshold, SurveyResponse,
    ValidityFlags, WaveError, WaveResults, compute_wave,
};

use crate::config::DatabaseArgs;
use crate::entities::{response, school, survey_wave, wave_figure, wave_result};
use crate::survey::flow::questionnaire_named;

/// Why a wave's results could not be computed or stored.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("there is no wave {0}")]
    UnknownWave(i32),
    #[error("wave {wave} was answered on questionnaire {version}, which this server does not know")]
    UnknownQuestionnaire { wave: i32, version: String },
    #[error("a stored response of wave {wave} cannot be read: {reason}")]
    DamagedResponse { wave: i32, reason: String },
    #[error(transparent)]
    Figures(#[from] WaveError),
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

/// What a computation did, and how long each step took.
#[derive(Debug, Clone)]
pub struct Computed {
    pub responses: u64,
    pub excluded: u64,
    pub groups: usize,
    /// Whether earlier results were replaced.
    pub replaced: bool,
    pub read: Duration,
    pub compute: Duration,
    pub store: Duration,
}

impl Computed {
    pub fn total(&self) -> Duration {
        self.read + self.compute + self.store
    }
}

/// How a wave's responses are split to be read over several connections.
#[derive(Clone, Copy)]
enum Part {
    /// Responses whose id lies in a range. Ids are random UUIDs, so ranges of
    /// their first character make parts of about equal size that together
    /// cover every id. `scan_table`: walk the table in id order (SQLite keeps
    /// responses in id order) instead of going through the wave index.
    Ids {
        from: Option<&'static str>,
        to: Option<&'static str>,
        scan_table: bool,
    },
    /// The whole wave at once, through the wave index.
    Whole,
}

const ID_RANGES: [(Option<&str>, Option<&str>); 4] = [
    (None, Some("4")),
    (Some("4"), Some("8")),
    (Some("8"), Some("c")),
    (Some("c"), None),
];

/// The parts a wave is read in on this database.
async fn parts(db: &DatabaseConnection, wave: i32) -> Result<Vec<Part>, DbErr> {
    let ranges = |scan_table| {
        ID_RANGES
            .map(|(from, to)| Part::Ids {
                from,
                to,
                scan_table,
            })
            .to_vec()
    };
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(ranges(false));
    }
    // In SQLite, looking each response up from the index costs more than
    // reading past other waves' responses — as long as this wave is a good
    // part of the table. Otherwise one pass through the index.
    let in_wave = response::Entity::find()
        .filter(response::Column::WaveId.eq(wave))
        .count(db)
        .await?;
    let in_table = response::Entity::find().count(db).await?;
    Ok(if in_wave.saturating_mul(4) >= in_table {
        ranges(true)
    } else {
        vec![Part::Whole]
    })
}

type Row = (i32, i16, String, i32);

/// The wave's responses as the figures need them: its school's municipality,
/// school year, answers and validity flags — nothing else is read. The parts of
/// the wave are read over separate connections at once, and each is parsed
/// while the others are still arriving.
async fn read_responses(
    db: &DatabaseConnection,
    wave: i32,
) -> Result<Vec<SurveyResponse>, ResultsError> {
    let municipality_of: Arc<HashMap<i32, i32>> = Arc::new(
        school::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|school| (school.id, school.municipality_id))
            .collect(),
    );
    let parts = parts(db, wave)
        .await?
        .into_iter()
        .map(|part| {
            let db = db.clone();
            let municipality_of = municipality_of.clone();
            tokio::spawn(async move {
                let mut query = response::Entity::find()
                    .select_only()
                    .column(response::Column::SchoolId)
                    .column(response::Column::SchoolYear)
                    .column(response::Column::Answers)
                    .column(response::Column::ValidityFlags);
                match part {
                    Part::Ids {
                        from,
                        to,
                        scan_table,
                    } => {
                        query = if scan_table {
                            // `+` keeps SQLite from choosing the wave index.
                            query.filter(Expr::cust_with_values("+wave_id = ?", [wave]))
                        } else {
                            query.filter(response::Column::WaveId.eq(wave))
                        };
                        if let Some(from) = from {
                            query = query.filter(response::Column::Id.gte(from));
                        }
                        if let Some(to) = to {
                            query = query.filter(response::Column::Id.lt(to));
                        }
                    }
                    Part::Whole => query = query.filter(response::Column::WaveId.eq(wave)),
                }
                let rows: Vec<Row> = query.into_tuple().all(&db).await?;
                tokio::task::spawn_blocking(move || parse(wave, &municipality_of, &rows))
                    .await
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))
            })
        })
        .collect::<Vec<_>>();
    let mut responses = Vec::new();
    for part in parts {
        let part = part
            .await
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))?;
        responses.extend(part);
    }
    Ok(responses)
}

fn parse(
    wave: i32,
    municipality_of: &HashMap<i32, i32>,
    rows: &[Row],
) -> Result<Vec<SurveyResponse>, ResultsError> {
    let damaged = |reason: String| ResultsError::DamagedResponse { wave, reason };
    rows.iter()
        .map(|(school, year, answers, flags)| {
            let municipality = municipality_of
                .get(school)
                .ok_or_else(|| damaged(format!("unknown school {school}")))?;
            let answers: Answers = serde_json::from_str(answers)
                .map_err(|error| damaged(format!("answers: {error}")))?;
            let validity = u32::try_from(*flags)
                .ok()
                .and_then(|bits| ValidityFlags::from_bits(bits).ok())
                .ok_or_else(|| damaged(format!("validity flags {flags}")))?;
            let school_year =
                u8::try_from(*year).map_err(|_| damaged(format!("school year {year}")))?;
            Ok(SurveyResponse {
                municipality: MunicipalityId(i64::from(*municipality)),
                school: SchoolId(i64::from(*school)),
                school_year,
                answers,
                validity,
            })
        })
        .collect()
}

async fn find_wave(
    db: &DatabaseConnection,
    wave_id: i32,
) -> Result<survey_wave::Model, ResultsError> {
    survey_wave::Entity::find_by_id(wave_id)
        .one(db)
        .await?
        .ok_or(ResultsError::UnknownWave(wave_id))
}

/// Computes the wave's figures from its responses and stores them in place of
/// any earlier ones; `actor` is the staff account that asked (none from the
/// command line).
pub async fn compute_and_store(
    db: &DatabaseConnection,
    wave_id: i32,
    threshold: SuppressionThreshold,
    actor: Option<i32>,
) -> Result<Computed, ResultsError> {
    let wave = find_wave(db, wave_id).await?;
    let questionnaire: &'static Questionnaire = questionnaire_named(&wave.questionnaire_version)
        .ok_or_else(|| ResultsError::UnknownQuestionnaire {
            wave: wave_id,
            version: wave.questionnaire_version.clone(),
        })?;

    let started = Instant::now();
    let responses = read_responses(db, wave_id).await?;
    let read = started.elapsed();

    let started = Instant::now();
    let results =
        tokio::task::spawn_blocking(move || compute_wave(questionnaire, &responses, threshold))
            .await
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))?;
    let compute = started.elapsed();

    let started = Instant::now();
    let replaced = store(db, &wave, &results, actor).await?;
    let store = started.elapsed();

    let exclusions = results.exclusions();
    Ok(Computed {
        responses: exclusions.submitted,
        excluded: exclusions.excluded,
        groups: results.group_count(),
        replaced,
        read,
        compute,
        store,
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, DbErr> {
    serde_json::to_string(value)
        .map_err(|error| DbErr::Custom(format!("wave results do not serialise: {error}")))
}

/// Replaces the wave's stored results in one transaction; returns whether there
/// were earlier ones.
async fn store(
    db: &DatabaseConnection,
    wave: &survey_wave::Model,
    results: &WaveResults,
    actor: Option<i32>,
) -> Result<bool, DbErr> {
    let figures = results
        .groups()
        .map(|(group, release)| {
            Ok(wave_figure::ActiveModel {
                wave_id: Set(wave.id),
                group_name: Set(group.to_string()),
                figures: Set(to_json(release)?),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    let document = to_json(results)?;
    let exclusions = results.exclusions();
    let detail = serde_json::json!({
        "responses": exclusions.submitted,
        "excluded": exclusions.excluded,
        "groups": figures.len(),
        "k": results.threshold().get(),
        "questionnaire": wave.questionnaire_version,
    });

    let txn = db.begin().await?;
    let replaced = wave_result::Entity::delete_by_id(wave.id)
        .exec(&txn)
        .await?
        .rows_affected
        > 0;
    wave_figure::Entity::delete_many()
        .filter(wave_figure::Column::WaveId.eq(wave.id))
        .exec(&txn)
        .await?;
    wave_result::ActiveModel {
        wave_id: Set(wave.id),
        computed_at: Set(Utc::now()),
        suppression_k: Set(i32::try_from(results.threshold().get()).unwrap_or(i32::MAX)),
        questionnaire_version: Set(wave.questionnaire_version.clone()),
        responses: Set(i32::try_from(exclusions.submitted).unwrap_or(i32::MAX)),
        results: Set(document),
    }
    .insert(&txn)
    .await?;
    // Small batches keep every statement under SQLite's limit on parameters.
    let mut figures = figures.into_iter().peekable();
    while figures.peek().is_some() {
        let batch: Vec<_> = figures.by_ref().take(200).collect();
        wave_figure::Entity::insert_many(batch).exec(&txn).await?;
    }
    let action = if replaced {
        "wave.results_recomputed"
    } else {
        "wave.results_computed"
    };
    audit(&txn, actor, action, wave.id, detail).await?;
    txn.commit().await?;
    Ok(replaced)
}

async fn audit(
    db: &impl sea_orm::ConnectionTrait,
    actor: Option<i32>,
    action: &str,
    wave: i32,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    crate::admin::audit::record(db, actor, action, format!("wave:{wave}"), detail).await
}

/// Closes a wave (no code accepts answers any more) and computes its results.
/// Closing a closed wave only recomputes.
pub async fn close_wave(
    db: &DatabaseConnection,
    wave_id: i32,
    threshold: SuppressionThreshold,
    actor: Option<i32>,
) -> Result<Computed, ResultsError> {
    let wave = find_wave(db, wave_id).await?;
    if wave.status != "closed" {
        let txn = db.begin().await?;
        let mut closing: survey_wave::ActiveModel = wave.into();
        closing.status = Set("closed".to_owned());
        closing.closed_at = Set(Some(Utc::now()));
        closing.update(&txn).await?;
        audit(&txn, actor, "wave.closed", wave_id, serde_json::json!({})).await?;
        txn.commit().await?;
    }
    crate::survey::at_rest::rewrite_closed_wave(db, wave_id).await?;
    compute_and_store(db, wave_id, threshold, actor).await
}

/// The results of a wave as stored, or `None` when none were computed yet.
pub async fn stored(
    db: &DatabaseConnection,
    wave_id: i32,
) -> Result<Option<WaveResults>, ResultsError> {
    let Some(row) = wave_result::Entity::find_by_id(wave_id).one(db).await? else {
        return Ok(None);
    };
    serde_json::from_str(&row.results)
        .map(Some)
        .map_err(|error| ResultsError::DamagedResponse {
            wave: wave_id,
            reason: format!("stored results: {error}"),
        })
}

/// Arguments of `server results` and `server close-wave`.
#[derive(Debug, clap::Args)]
pub struct WaveArgs {
    /// The wave's id.
    #[arg(long)]
    pub wave: i32,
}

/// `server results --wave N` (`close: false`) and `server close-wave --wave N`.
pub async fn run_command(
    database: &DatabaseArgs,
    threshold: SuppressionThreshold,
    args: WaveArgs,
    close: bool,
) -> anyhow::Result<()> {
    let db = crate::db::connect_and_migrate(database).await?;
    let computed = if close {
        close_wave(&db, args.wave, threshold, None).await?
    } else {
        compute_and_store(&db, args.wave, threshold, None).await?
    };
    println!(
        "Wave {}: {} responses ({} excluded by the validity screen), {} groups, k = {}{}",
        args.wave,
        computed.responses,
        computed.excluded,
        computed.groups,
        threshold.get(),
        if computed.replaced {
            "; earlier results replaced"
        } else {
            ""
        },
    );
    println!(
        "Ready in {:.2} s (read {:.2} s, compute {:.2} s, store {:.2} s).",
        computed.total().as_secs_f64(),
        computed.read.as_secs_f64(),
        computed.compute.as_secs_f64(),
        computed.store.as_secs_f64(),
    );
    Ok(())
}
