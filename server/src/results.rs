//! A wave's releases: every figure any dashboard, report or export shows,
//! computed from the stored responses by [`surveys::compute_release`] (which
//! also decides what may be released) when the wave closes, and stored as an
//! immutable, numbered release — `wave_release` (the whole result as one
//! document, with the counts it was decided on) and `wave_figure` (one row per
//! group of the release in force) — so that no page ever reads a response.
//!
//! Nothing is released while a wave runs: the region coordinator sees
//! provisional response counts only ([`provisional`]). A correction, a reopen
//! for late students or another threshold makes a new release of the closed
//! wave, decided against the one before it so that the two together give
//! nothing away that either hides; a new release that would take figures from
//! readers because a few answers came in is refused, and the one in force
//! stays. Each release leaves an entry in the audit log, without counts.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use surveys::{
    Answers, MunicipalityId, Questionnaire, ReleaseBasis, SchoolId, SuppressionThreshold,
    SurveyResponse, ValidityFlags, WaveError, WaveResults, compute_release,
};

use crate::config::DatabaseArgs;
use crate::entities::{response, school, survey_wave, wave_figure, wave_release};
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
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

/// Why no new release was made; the release in force, if any, stays.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Figures are released when a wave closes, never while it runs.
    #[error("the wave is not closed; nothing is released while it runs")]
    NotClosed,
    /// The responses and the threshold are those of the release in force.
    #[error("nothing changed since release {release}")]
    Unchanged { release: i32 },
    /// Answers came in since the release in force, in some groups too few to
    /// show as a group of their own: a new release would have to hide
    /// `withheld` figures that readers have now, or give those answers away.
    /// The coordinator may still publish it ([`Withholding::Allow`]).
    #[error(
        "answers added since release {release} are too few to show; a new release would hide {withheld} of its figures"
    )]
    WouldWithhold { release: i32, withheld: usize },
    /// The release in force predates release checks: its counts are not kept,
    /// so no later release can be checked against it.
    #[error("release {release} cannot be checked against; it stays in force")]
    NoBasis { release: i32 },
}

impl Refusal {
    /// Stable key for logs and messages.
    pub fn key(&self) -> &'static str {
        match self {
            Refusal::NotClosed => "release.wave_not_closed",
            Refusal::Unchanged { .. } => "release.unchanged",
            Refusal::WouldWithhold { .. } => "release.would_withhold",
            Refusal::NoBasis { .. } => "release.no_basis",
        }
    }
}

/// What a release did, and how long each step took.
#[derive(Debug, Clone)]
pub struct Computed {
    pub responses: u64,
    pub excluded: u64,
    pub groups: usize,
    /// The number of the new release: 1 at close, then one more for each.
    pub release: i32,
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
pub async fn read_responses(
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

/// The latest release of a wave, if it has any.
async fn latest_release(
    db: &impl sea_orm::ConnectionTrait,
    wave_id: i32,
) -> Result<Option<wave_release::Model>, DbErr> {
    wave_release::Entity::find()
        .filter(wave_release::Column::WaveId.eq(wave_id))
        .order_by_desc(wave_release::Column::Number)
        .one(db)
        .await
}

fn damaged(wave: i32, what: &str, error: serde_json::Error) -> ResultsError {
    ResultsError::DamagedResponse {
        wave,
        reason: format!("{what}: {error}"),
    }
}

/// Whether a new release may hide figures that the release in force shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withholding {
    /// Refuse such a release ([`Refusal::WouldWithhold`]): the default, so
    /// that readers never lose figures without the coordinator deciding so.
    Refuse,
    /// Publish it: the coordinator saw how many figures go and chose so.
    Allow,
}

/// Releases the closed wave's figures: release 1 at close, or a later release
/// decided against the one in force (see the module documentation). `actor`
/// is the staff account that asked (none from the command line).
pub async fn release_wave(
    db: &DatabaseConnection,
    wave_id: i32,
    threshold: SuppressionThreshold,
    actor: Option<i32>,
) -> Result<Computed, ResultsError> {
    release_wave_with(db, wave_id, threshold, actor, Withholding::Refuse).await
}

/// [`release_wave`], saying whether figures of the release in force may go.
pub async fn release_wave_with(
    db: &DatabaseConnection,
    wave_id: i32,
    threshold: SuppressionThreshold,
    actor: Option<i32>,
    withholding: Withholding,
) -> Result<Computed, ResultsError> {
    let wave = find_wave(db, wave_id).await?;
    if wave.status != "closed" {
        return Err(Refusal::NotClosed.into());
    }
    let questionnaire: &'static Questionnaire = questionnaire_named(&wave.questionnaire_version)
        .ok_or_else(|| ResultsError::UnknownQuestionnaire {
            wave: wave_id,
            version: wave.questionnaire_version.clone(),
        })?;
    let previous = match latest_release(db, wave_id).await? {
        None => None,
        Some(release) => {
            let Some(basis) = &release.basis else {
                return Err(Refusal::NoBasis {
                    release: release.number,
                }
                .into());
            };
            let results: WaveResults = serde_json::from_str(&release.results)
                .map_err(|e| damaged(wave_id, "released results", e))?;
            let basis: ReleaseBasis =
                serde_json::from_str(basis).map_err(|e| damaged(wave_id, "release basis", e))?;
            Some((release.number, results, basis))
        }
    };

    let started = Instant::now();
    let responses = read_responses(db, wave_id).await?;
    let read = started.elapsed();

    let started = Instant::now();
    let earlier = previous.clone();
    let computation = tokio::task::spawn_blocking(move || {
        compute_release(
            questionnaire,
            &responses,
            threshold,
            earlier.as_ref().map(|(_, results, basis)| (results, basis)),
        )
    })
    .await
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))?;
    let compute = started.elapsed();

    if let Some((number, results, basis)) = &previous {
        let same_answers = computation.basis.same_counts(basis);
        if same_answers && results.threshold() == threshold {
            return Err(Refusal::Unchanged { release: *number }.into());
        }
        let withheld = computation.results.withheld_since(results);
        if !same_answers && withheld > 0 && withholding == Withholding::Refuse {
            return Err(Refusal::WouldWithhold {
                release: *number,
                withheld,
            }
            .into());
        }
    }

    let started = Instant::now();
    let number = previous.as_ref().map_or(1, |(number, _, _)| number + 1);
    store(db, &wave, number, &computation, actor).await?;
    let store = started.elapsed();

    let exclusions = computation.results.exclusions();
    Ok(Computed {
        responses: exclusions.submitted,
        excluded: exclusions.excluded,
        groups: computation.results.group_count(),
        release: number,
        read,
        compute,
        store,
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, DbErr> {
    serde_json::to_string(value)
        .map_err(|error| DbErr::Custom(format!("wave results do not serialise: {error}")))
}

/// Writes release `number` and makes its figures the wave's figures, in one
/// transaction. The audit entry names the release, its threshold and
/// questionnaire — no counts: the difference of two releases' counts would
/// itself say how many answers came in between.
async fn store(
    db: &DatabaseConnection,
    wave: &survey_wave::Model,
    number: i32,
    computation: &surveys::Computation,
    actor: Option<i32>,
) -> Result<(), DbErr> {
    let results = &computation.results;
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
    let detail = serde_json::json!({
        "release": number,
        "k": results.threshold().get(),
        "questionnaire": wave.questionnaire_version,
    });

    let txn = crate::db::begin_write(db).await?;
    wave_release::ActiveModel {
        wave_id: Set(wave.id),
        number: Set(number),
        released_at: Set(Utc::now()),
        suppression_k: Set(i32::try_from(results.threshold().get()).unwrap_or(i32::MAX)),
        questionnaire_version: Set(wave.questionnaire_version.clone()),
        results: Set(to_json(results)?),
        basis: Set(Some(to_json(&computation.basis)?)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    wave_figure::Entity::delete_many()
        .filter(wave_figure::Column::WaveId.eq(wave.id))
        .exec(&txn)
        .await?;
    // Small batches keep every statement under SQLite's limit on parameters.
    let mut figures = figures.into_iter().peekable();
    while figures.peek().is_some() {
        let batch: Vec<_> = figures.by_ref().take(200).collect();
        wave_figure::Entity::insert_many(batch).exec(&txn).await?;
    }
    audit(&txn, actor, "wave.released", wave.id, detail).await?;
    txn.commit().await
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

/// Closes a wave (no code accepts answers any more) and releases its figures.
/// Closing a closed wave only tries a new release.
pub async fn close_wave(
    db: &DatabaseConnection,
    wave_id: i32,
    threshold: SuppressionThreshold,
    actor: Option<i32>,
) -> Result<Computed, ResultsError> {
    let wave = find_wave(db, wave_id).await?;
    if wave.status != "closed" {
        let txn = crate::db::begin_write(db).await?;
        let mut closing: survey_wave::ActiveModel = wave.into();
        closing.status = Set("closed".to_owned());
        closing.closed_at = Set(Some(Utc::now()));
        closing.update(&txn).await?;
        audit(&txn, actor, "wave.closed", wave_id, serde_json::json!({})).await?;
        txn.commit().await?;
    }
    crate::survey::at_rest::rewrite_closed_wave(db, wave_id).await?;
    release_wave(db, wave_id, threshold, actor).await
}

/// A release of a wave as stored.
#[derive(Debug, Clone)]
pub struct StoredRelease {
    pub number: i32,
    pub released_at: chrono::DateTime<Utc>,
    pub results: WaveResults,
}

/// The release in force of a wave (its latest), or `None` when it has none.
pub async fn stored(
    db: &DatabaseConnection,
    wave_id: i32,
) -> Result<Option<StoredRelease>, ResultsError> {
    let Some(row) = latest_release(db, wave_id).await? else {
        return Ok(None);
    };
    let results = serde_json::from_str(&row.results)
        .map_err(|error| damaged(wave_id, "released results", error))?;
    Ok(Some(StoredRelease {
        number: row.number,
        released_at: row.released_at,
        results,
    }))
}

/// What the region coordinator sees of a running wave: counts of responses,
/// never a figure. Provisional and not published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provisional {
    pub responses: u64,
    /// Responses the validity screen flagged so far.
    pub flagged: u64,
}

pub async fn provisional(db: &DatabaseConnection, wave_id: i32) -> Result<Provisional, DbErr> {
    let of_wave = || response::Entity::find().filter(response::Column::WaveId.eq(wave_id));
    Ok(Provisional {
        responses: of_wave().count(db).await?,
        flagged: of_wave()
            .filter(response::Column::ValidityFlags.ne(0))
            .count(db)
            .await?,
    })
}

/// Arguments of `server results` and `server close-wave`.
#[derive(Debug, clap::Args)]
pub struct WaveArgs {
    /// The wave's id.
    #[arg(long)]
    pub wave: i32,
    /// Publish a new release even when it hides figures the release in force
    /// shows (because answers came in since, in some groups too few to show).
    #[arg(long)]
    pub allow_withholding: bool,
}

/// `server results --wave N` (`close: false`: a new release of a closed wave,
/// or the provisional counts of an open one) and `server close-wave --wave N`.
pub async fn run_command(
    database: &DatabaseArgs,
    threshold: SuppressionThreshold,
    args: WaveArgs,
    close: bool,
) -> anyhow::Result<()> {
    let db = crate::db::connect_and_migrate(database).await?;
    let wave = find_wave(&db, args.wave).await?;
    if !close && wave.status != "closed" {
        let counts = provisional(&db, args.wave).await?;
        println!(
            "Wave {} is {}: provisional, not published — {} responses so far, {} flagged by the \
             validity screen. Its figures are released when it closes.",
            args.wave, wave.status, counts.responses, counts.flagged,
        );
        return Ok(());
    }
    let withholding = if args.allow_withholding {
        Withholding::Allow
    } else {
        Withholding::Refuse
    };
    let outcome = if close {
        close_wave(&db, args.wave, threshold, None).await
    } else {
        release_wave_with(&db, args.wave, threshold, None, withholding).await
    };
    let computed = match outcome {
        Ok(computed) => computed,
        Err(ResultsError::Refused(refusal)) => {
            println!("Wave {}: no new release — {refusal}.", args.wave);
            return Ok(());
        }
        Err(error) => return Err(error.into()),
    };
    println!(
        "Wave {}: release {} published: {} responses ({} excluded by the validity screen), \
         {} groups, k = {}",
        args.wave,
        computed.release,
        computed.responses,
        computed.excluded,
        computed.groups,
        threshold.get(),
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
