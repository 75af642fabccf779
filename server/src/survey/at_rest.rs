//! What the database files keep of the survey at rest: nothing that links an
//! answer to a class or a moment.
//!
//! While a wave runs, the traces a submission leaves beyond the response are
//! the database's own: SQLite's write-ahead log holds each submission's pages
//! (the response beside its class's counter, the deleted draft) until a
//! checkpoint, and PostgreSQL stamps every row version with the transaction
//! that wrote it (`xmin`), in the order students submitted, the same on the
//! response and on its class's counter. So:
//!
//! - on SQLite, every pooled connection deletes securely (deleted content is
//!   overwritten, see `crate::db`), and a few seconds after submissions the
//!   log is copied into the database and emptied
//!   ([`checkpoint_after_submissions`]);
//! - when a wave closes, [`rewrite_closed_wave`] removes its drafts, writes its
//!   responses anew in random order under new random ids in one transaction
//!   and deletes the old rows; on PostgreSQL it then gives the class counters
//!   new row versions in a transaction of their own and rewrites the tables
//!   (`VACUUM FULL`), on SQLite it empties the log.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sea_orm::sqlx::{self, ConnectOptions, sqlite::SqliteConnection};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set, Statement,
};

use super::draft;
use crate::entities::{response, survey_wave};
use crate::secrets;

/// How often the log is emptied while students submit: the few seconds a
/// submission's traces stay in the log.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(5);

/// How long a regular checkpoint waits for readers. SQLite holds back every
/// writer while a checkpoint waits, and submissions must stay fast: a
/// checkpoint that cannot finish at once is tried again at the next round.
const CHECKPOINT_PATIENCE: Duration = Duration::from_millis(100);

/// How many responses are rewritten per statement on SQLite: memory stays
/// bounded whatever the wave's size, and every statement stays far below
/// SQLite's limit on parameters.
const REWRITE_BATCH: usize = 500;

/// Whether answers were stored since the log was last emptied. One per
/// process, like the database it is about.
static CHECKPOINT_DUE: AtomicBool = AtomicBool::new(false);

/// Notes that a submission was committed, so that the log that holds it is
/// emptied within [`CHECKPOINT_EVERY`]. Cheap: the submission does not wait.
pub fn submission_stored() {
    CHECKPOINT_DUE.store(true, Ordering::Release);
}

/// Runs for as long as the server does: on SQLite, a few seconds after
/// submissions, copies the write-ahead log into the database file (where
/// deleted content is overwritten) and truncates it. Nothing to do on
/// PostgreSQL, whose log is the server's own (see the README).
pub async fn checkpoint_after_submissions(db: DatabaseConnection) {
    if db.get_database_backend() != DbBackend::Sqlite {
        return;
    }
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut connection = None;
    loop {
        every.tick().await;
        if !CHECKPOINT_DUE.swap(false, Ordering::AcqRel) {
            continue;
        }
        match checkpoint_briefly(&db, &mut connection).await {
            Ok(true) => {}
            Ok(false) => {
                CHECKPOINT_DUE.store(true, Ordering::Release);
                tracing::debug!("write-ahead log in use; emptying it at the next round");
            }
            Err(error) => {
                CHECKPOINT_DUE.store(true, Ordering::Release);
                tracing::warn!(%error, "could not empty the write-ahead log");
            }
        }
    }
}

/// A checkpoint on a connection of its own, which waits for readers only
/// [`CHECKPOINT_PATIENCE`] (the pool's connections wait seconds, as writers
/// should). `Ok(false)` when readers kept it from finishing.
async fn checkpoint_briefly(
    db: &DatabaseConnection,
    connection: &mut Option<SqliteConnection>,
) -> Result<bool, sqlx::Error> {
    let mut open = match connection.take() {
        Some(open) => open,
        None => {
            let options = db.get_sqlite_connection_pool().connect_options();
            (*options)
                .clone()
                .busy_timeout(CHECKPOINT_PATIENCE)
                .connect()
                .await?
        }
    };
    // A connection that failed is dropped here and opened anew next time.
    let (busy, _frames, _copied): (i64, i64, i64) =
        sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&mut open)
            .await?;
    *connection = Some(open);
    Ok(busy == 0)
}

/// Copies SQLite's log into the database file and truncates it, waiting for
/// readers as long as the pool's connections do. `Ok(false)` when readers
/// kept it from finishing.
async fn checkpoint(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA wal_checkpoint(TRUNCATE)",
        ))
        .await?;
    Ok(row.and_then(|row| row.try_get::<i32>("", "busy").ok()) == Some(0))
}

/// Makes the stored state of a closed wave carry no submission order and no
/// class: its drafts go, its responses are written anew in random order under
/// new random ids and the old rows deleted (in one transaction), and the
/// database's traces of the old rows are cleared. Safe to run again.
pub async fn rewrite_closed_wave(db: &DatabaseConnection, wave_id: i32) -> Result<(), DbErr> {
    let wave = survey_wave::Entity::find_by_id(wave_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("wave {wave_id}")))?;
    // While a wave is open, students may be submitting into it.
    if wave.status != "closed" {
        return Err(DbErr::Custom(format!(
            "wave {wave_id} is {}; only a closed wave is rewritten",
            wave.status
        )));
    }
    let started = Instant::now();
    let rewritten = match db.get_database_backend() {
        DbBackend::Postgres => rewrite_on_postgres(db, wave_id).await?,
        DbBackend::Sqlite => rewrite_on_sqlite(db, wave_id).await?,
        other => return Err(DbErr::Custom(format!("{other:?} is not supported"))),
    };
    tracing::info!(
        wave = wave_id,
        responses = rewritten,
        seconds = started.elapsed().as_secs_f64(),
        "rewrote the closed wave's responses in random order"
    );
    Ok(())
}

/// One statement deletes the old rows and inserts their content in random
/// order under new ids, so every new row carries the same `xmin` and their
/// `ctid` order is the random one.
const REWRITE_ON_POSTGRES: &str = "\
    WITH old AS (\
        DELETE FROM response WHERE wave_id = $1 \
        RETURNING school_id, school_year, answers, validity_flags\
    ) \
    INSERT INTO response (id, wave_id, school_id, school_year, answers, validity_flags) \
    SELECT gen_random_uuid()::text, $1, school_id, school_year, answers, validity_flags \
    FROM old ORDER BY random()";

async fn rewrite_on_postgres(db: &DatabaseConnection, wave_id: i32) -> Result<u64, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    draft::delete_in_wave(&txn, wave_id).await?;
    let rewritten = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            REWRITE_ON_POSTGRES,
            [wave_id.into()],
        ))
        .await?
        .rows_affected();
    txn.commit().await?;

    // Each class counter's row version was written by its class's last
    // submission, so its `xmin` named that response. New versions, from a
    // transaction of their own, name no response.
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE class_code SET used_count = used_count WHERE wave_id = $1",
        [wave_id.into()],
    ))
    .await?;

    // The old row versions are dead but still in the tables' pages, in
    // submission order (with the counters' history and the drafts'), until
    // their space is reused. `VACUUM FULL` writes each table into a new file
    // and drops the old one. It locks the table while it runs: for the
    // response table that holds back submissions to other waves for as long
    // as the copy takes, once per closed wave. It cannot run in a transaction.
    for table in ["response", "class_code", "survey_draft"] {
        db.execute_unprepared(&format!("VACUUM (FULL, ANALYZE) {table}"))
            .await?;
    }
    Ok(rewritten)
}

async fn rewrite_on_sqlite(db: &DatabaseConnection, wave_id: i32) -> Result<u64, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    // Writing first takes SQLite's write lock at once; a transaction that
    // read first could find another writer's commit in between and fail.
    draft::delete_in_wave(&txn, wave_id).await?;
    let ids: Vec<String> = response::Entity::find()
        .select_only()
        .column(response::Column::Id)
        .filter(response::Column::WaveId.eq(wave_id))
        .into_tuple()
        .all(&txn)
        .await?;
    let mut rewritten = 0;
    for batch in in_random_order(ids).chunks(REWRITE_BATCH) {
        let mut rows: HashMap<String, response::Model> = response::Entity::find()
            .filter(response::Column::Id.is_in(batch.iter().cloned()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|row| (row.id.clone(), row))
            .collect();
        // Deleted content is overwritten (secure_delete), index entries too.
        response::Entity::delete_many()
            .filter(response::Column::Id.is_in(batch.iter().cloned()))
            .exec(&txn)
            .await?;
        let fresh: Vec<response::ActiveModel> = batch
            .iter()
            .filter_map(|id| rows.remove(id))
            .map(|row| response::ActiveModel {
                id: Set(uuid::Uuid::new_v4().to_string()),
                wave_id: Set(row.wave_id),
                school_id: Set(row.school_id),
                school_year: Set(row.school_year),
                answers: Set(row.answers),
                validity_flags: Set(row.validity_flags),
            })
            .collect();
        rewritten += fresh.len() as u64;
        if !fresh.is_empty() {
            response::Entity::insert_many(fresh).exec(&txn).await?;
        }
    }
    txn.commit().await?;

    // The log now holds the old pages; empty it. If a reader holds it, the
    // regular checkpoint does it within seconds.
    if !checkpoint(db).await? {
        submission_stored();
        tracing::warn!(
            wave = wave_id,
            "the write-ahead log was in use at the close; it is emptied at the next checkpoint"
        );
    }
    Ok(rewritten)
}

/// The ids in an order drawn at random: each gets a random 64-bit key, and
/// the ids are sorted by their keys.
fn in_random_order(ids: Vec<String>) -> Vec<String> {
    let mut keyed: Vec<(u64, String)> = ids
        .into_iter()
        .map(|id| (u64::from_le_bytes(secrets::random_bytes()), id))
        .collect();
    keyed.sort_unstable_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_random_order_keeps_every_id_and_forgets_the_given_order() {
        let ids: Vec<String> = (0..1_000).map(|n| format!("{n:04}")).collect();
        let shuffled = in_random_order(ids.clone());
        let mut sorted = shuffled.clone();
        sorted.sort();
        assert_eq!(sorted, ids);
        // Positions that stayed put: about one expected, never most of them.
        let in_place = ids.iter().zip(&shuffled).filter(|(a, b)| a == b).count();
        assert!(in_place < 50, "{in_place} ids kept their place");
        assert_ne!(in_random_order(ids.clone()), shuffled);
    }
}
