//! How long closing a wave of 100,000 responses takes until every figure is
//! stored: reading the responses, computing and releasing every figure, and
//! replacing the stored results — on a fresh SQLite file, and on a fresh
//! PostgreSQL database when `PEILING_BENCH_POSTGRES` names a server
//! (`postgres://postgres@127.0.0.1:5432`).
//!
//! `cargo bench -p server --bench close_wave` (`-- 20000` for another size)
//!
//! The responses are synthetic (`surveys::synthetic`, a fixed seed) over the
//! demo region.

use std::time::Instant;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use server::config::DatabaseArgs;
use server::{demo, results};
use surveys::SuppressionThreshold;
use surveys::synthetic::synthetic_responses;

const DEFAULT_RESPONSES: usize = 100_000;

async fn run(label: &str, url: &str, count: usize) -> anyhow::Result<()> {
    let db = server::db::connect_and_migrate(&DatabaseArgs {
        database_url: url.to_owned(),
    })
    .await?;
    demo::load_if_empty(&db).await?;
    let wave = 1;
    let region = demo::synthetic_region(&db).await?;
    let questionnaire = surveys::standard_v1();

    let started = Instant::now();
    let responses = synthetic_responses(questionnaire, &region, count, 2026);
    demo::insert_responses(&db, wave, &responses).await?;
    println!(
        "{label}: stored {count} synthetic responses in {:.1} s (preparation, not measured)",
        started.elapsed().as_secs_f64()
    );
    drop(responses);

    let threshold = SuppressionThreshold::DEFAULT;
    let started = Instant::now();
    let closed = results::close_wave(&db, wave, threshold, None).await?;
    let whole = started.elapsed();
    report(label, "close the wave (release 1)", &closed);
    // The figures' steps above leave out the rewrite at rest that comes first.
    println!(
        "{label}: close the wave: {:.2} s from the close until every figure was stored, \
         {:.2} s of it rewriting the wave's responses at rest",
        whole.as_secs_f64(),
        whole.saturating_sub(closed.total()).as_secs_f64(),
    );
    // A second release under another k: the same work plus the check against
    // the release before it.
    let stricter = SuppressionThreshold::new(threshold.get() + 1)?;
    let again = results::release_wave(&db, wave, stricter, None).await?;
    report(label, "release 2 under another k", &again);
    db.close().await?;
    Ok(())
}

fn report(label: &str, what: &str, computed: &results::Computed) {
    println!(
        "{label}: {what}: every figure ready in {:.2} s — read {:.2} s, compute {:.2} s, \
         store {:.2} s; {} responses ({} excluded), {} groups",
        computed.total().as_secs_f64(),
        computed.read.as_secs_f64(),
        computed.compute.as_secs_f64(),
        computed.store.as_secs_f64(),
        computed.responses,
        computed.excluded,
        computed.groups,
    );
}

async fn with_postgres(server: &str, count: usize) -> anyhow::Result<()> {
    let name = format!("peiling_bench_{}", std::process::id());
    let admin: DatabaseConnection = Database::connect(format!("{server}/postgres")).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let outcome = run("PostgreSQL", &format!("{server}/{name}"), count).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    outcome
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; a number is the wave's size.
    let count = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(DEFAULT_RESPONSES);
    let dir = std::env::temp_dir().join(format!("peiling-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    let outcome = run("SQLite", &url, count).await;
    std::fs::remove_dir_all(&dir)?;
    outcome?;
    if let Ok(server) = std::env::var("PEILING_BENCH_POSTGRES") {
        with_postgres(server.trim_end_matches('/'), count).await?;
    }
    Ok(())
}
