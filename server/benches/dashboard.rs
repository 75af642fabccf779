//! How fast a municipality dashboard page is served when the database holds
//! 1,000,000 responses over 10 waves with computed results: the real
//! application in this process on a loopback port, signed in over real HTTP as
//! the demo's municipality account, full pages with the body read. On a fresh
//! SQLite file, and on a fresh PostgreSQL database when
//! `PEILING_BENCH_POSTGRES` names a server (`postgres://postgres@127.0.0.1:5432`).
//!
//! `cargo bench -p server --bench dashboard` (`-- 200000` for another total)
//!
//! Preparation (not measured): the demo region, five earlier waves added to its
//! five closed ones, synthetic responses (`surveys::synthetic::trends`, a fixed
//! seed) until each of the ten holds a tenth of the total, and every wave's
//! results computed. Then: the first page after start (it parses the stored
//! results), a warm-up, 500 sequential pages cycling through the filters, the
//! same with two clients at once, and once more asking for compression as a
//! browser does. Every page must be a dashboard naming the municipality.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, ACCEPT_LANGUAGE, CONTENT_ENCODING};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use server::config::{DatabaseArgs, ServeArgs};
use server::entities::{municipality, region, response, survey_wave};
use server::routes;
use server::state::AppState;
use server::{demo, results};
use surveys::SuppressionThreshold;
use surveys::synthetic::trends::demo_wave;

const DEFAULT_RESPONSES: usize = 1_000_000;
const WAVES: usize = 10;
/// The region's waves before the demo's own history (2018–2026), every other
/// year as the survey is held.
const EARLIER_YEARS: [i32; 5] = [2008, 2010, 2012, 2014, 2016];
/// One seed for every added response, so villages keep their character.
const SEED: u64 = 2008;

const MUNICIPALITY: &str = "Heidebroek";
const ACCOUNT: &str = "gemeente@heidebroek.example";
const WHO: [&str; 5] = ["all", "year-2", "year-4", "boys", "girls"];
const INDICATORS: [&str; 3] = ["drunk_30d", "alcohol_30d", "vape_30d"];

const WARM_UP: usize = 50;
const MEASURED: usize = 500;
const CLIENTS: usize = 2;
/// What current browsers send; the server then compresses the page.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";
/// No single page may take longer than this; the benchmark stops instead.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

async fn run(
    label: &str,
    url: &str,
    total: usize,
    site_root: &std::path::Path,
) -> anyhow::Result<()> {
    let db = server::db::connect_and_migrate(&DatabaseArgs {
        database_url: url.to_owned(),
    })
    .await?;
    demo::load_if_empty(&db).await?;
    let waves = prepare(label, &db, total).await?;
    let municipality = municipality::Entity::find()
        .filter(municipality::Column::Name.eq(MUNICIPALITY))
        .one(&db)
        .await?
        .context("the demo region has no municipality Heidebroek")?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let settings = ServeArgs {
        listen: address,
        site_root: site_root.to_owned(),
        suppression_k: SuppressionThreshold::DEFAULT,
        demo: false,
        secure_cookies: false,
        public_url: None,
        trusted_proxies: Vec::new(),
    };
    let state = AppState {
        leptos_options: server::startup::leptos_options(&settings, address),
        db: db.clone(),
        settings: Arc::new(settings),
        results: Arc::default(),
    };
    let app = routes::router(state);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(async move {
        axum::serve(
            listener,
            // The login throttle reads the client's address.
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            stopped.await.ok();
        })
        .await
    });

    let outcome = measure(label, address, municipality.id, &waves).await;
    stop.send(()).ok();
    served.await??;
    db.close().await?;
    outcome
}

/// A closed wave with computed results, as the dashboard lists it.
struct Wave {
    id: i32,
    year: i32,
}

/// Brings the demo database to `total` responses over ten closed waves with
/// computed results; returns the waves, oldest first.
async fn prepare(label: &str, db: &DatabaseConnection, total: usize) -> anyhow::Result<Vec<Wave>> {
    let started = Instant::now();
    let region = region::Entity::find()
        .one(db)
        .await?
        .context("the demo region was not loaded")?;
    for year in EARLIER_YEARS {
        let held = chrono::NaiveDate::from_ymd_opt(year, 3, 16)
            .and_then(|day| day.and_hms_opt(9, 0, 0))
            .map(|moment| moment.and_utc());
        survey_wave::ActiveModel {
            region_id: Set(region.id),
            name: Set(format!("Peiling {year}")),
            year: Set(year),
            questionnaire_version: Set(demo::QUESTIONNAIRE.to_owned()),
            status: Set("closed".to_owned()),
            opened_at: Set(held),
            closed_at: Set(held.map(|h| h + chrono::Duration::weeks(6))),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let waves: Vec<Wave> = survey_wave::Entity::find()
        .filter(survey_wave::Column::Status.eq("closed"))
        .order_by_asc(survey_wave::Column::Year)
        .all(db)
        .await?
        .into_iter()
        .map(|w| Wave {
            id: w.id,
            year: w.year,
        })
        .collect();
    ensure!(
        waves.len() == WAVES,
        "expected {WAVES} closed waves, found {}",
        waves.len()
    );

    // Each wave gets a tenth of the total; the demo's own responses count.
    let synthetic = demo::synthetic_region(db).await?;
    let questionnaire = surveys::standard_v1();
    for (step, wave) in (0u32..).zip(&waves) {
        let share = total / WAVES + usize::from((step as usize) < total % WAVES);
        let stored = response::Entity::find()
            .filter(response::Column::WaveId.eq(wave.id))
            .count(db)
            .await?;
        let missing = share.saturating_sub(usize::try_from(stored)?);
        // The step follows the years, so the trends run over all ten waves.
        let responses = demo_wave(questionnaire, &synthetic, step, missing, SEED);
        demo::insert_responses(db, wave.id, &responses).await?;
    }
    let stored = response::Entity::find().count(db).await?;
    println!(
        "{label}: stored {stored} responses over {WAVES} waves in {:.1} s (preparation, not measured)",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    for wave in &waves {
        results::release_wave(db, wave.id, SuppressionThreshold::DEFAULT, None).await?;
    }
    println!(
        "{label}: computed the results of {WAVES} waves in {:.1} s (preparation, not measured)",
        started.elapsed().as_secs_f64()
    );
    Ok(waves)
}

/// A client signed in as the municipality's demo account, as a browser with
/// cookies would be.
async fn signed_in(address: SocketAddr) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .build()?;
    let login = client
        .post(format!("http://{address}/login"))
        .form(&[("email", ACCOUNT), ("password", demo::DEMO_PASSWORD)])
        .send()
        .await?;
    ensure!(
        login.status() == StatusCode::SEE_OTHER,
        "login answered {}",
        login.status()
    );
    Ok(client)
}

/// One page: how long until its whole body arrived, and the body.
/// Anything but a dashboard of the municipality stops the benchmark.
async fn page(
    client: &reqwest::Client,
    url: &str,
    compressed: bool,
) -> anyhow::Result<(Duration, impl AsRef<[u8]> + use<>)> {
    let mut request = client
        .get(url)
        .header(ACCEPT_LANGUAGE, "nl-NL,nl;q=0.9,en;q=0.8");
    if compressed {
        request = request.header(ACCEPT_ENCODING, BROWSER_ENCODINGS);
    }
    let started = Instant::now();
    let answer = request.send().await?;
    let status = answer.status();
    let encoding = answer.headers().get(CONTENT_ENCODING).cloned();
    let body = answer.bytes().await?;
    let took = started.elapsed();
    ensure!(status == StatusCode::OK, "{url} answered {status}");
    if compressed {
        // The body cannot be read here; the uncompressed runs check the same pages.
        ensure!(encoding.is_some(), "{url} came back uncompressed");
    } else {
        let text = std::str::from_utf8(&body)?;
        // A message page ("no figures yet") also names the municipality; only
        // a dashboard has the filters and the tables.
        if !(text.contains(MUNICIPALITY)
            && text.contains("class=\"filters\"")
            && text.contains("data-table="))
        {
            bail!("{url} is not the dashboard of {MUNICIPALITY}");
        }
    }
    Ok((took, body))
}

/// Every filter combination a municipality might choose: wave, students and
/// indicator.
fn filter_urls(address: SocketAddr, municipality: i32, waves: &[Wave]) -> Vec<String> {
    let mut urls = Vec::new();
    for wave in waves {
        for who in WHO {
            for indicator in INDICATORS {
                urls.push(format!(
                    "http://{address}/dashboard/municipality-{municipality}\
                     ?wave={}&who={who}&indicator={indicator}",
                    wave.id
                ));
            }
        }
    }
    urls
}

/// `count` pages over `clients` clients at once, each client walking the
/// filter combinations from its own starting point.
async fn pages(
    clients: &[reqwest::Client],
    urls: &Arc<Vec<String>>,
    count: usize,
    compressed: bool,
) -> anyhow::Result<Vec<(Duration, usize)>> {
    let per_client = count / clients.len();
    let clients_len = clients.len();
    let mut running = Vec::new();
    for (index, client) in clients.iter().enumerate() {
        let clients = clients_len;
        let client = client.clone();
        let urls = urls.clone();
        running.push(tokio::spawn(async move {
            let mut seen = Vec::with_capacity(per_client);
            for n in 0..per_client {
                let url = &urls[(index * urls.len() / clients + n) % urls.len()];
                let (took, body) = page(&client, url, compressed).await?;
                seen.push((took, body.as_ref().len()));
            }
            anyhow::Ok(seen)
        }));
    }
    let mut seen = Vec::with_capacity(count);
    for client in running {
        seen.extend(client.await??);
    }
    Ok(seen)
}

async fn measure(
    label: &str,
    address: SocketAddr,
    municipality: i32,
    waves: &[Wave],
) -> anyhow::Result<()> {
    let first = signed_in(address).await?;
    let home = format!("http://{address}/dashboard/municipality-{municipality}");

    // The first page after start parses every wave's stored results.
    let (cold, body) = page(&first, &home, false).await?;
    let text = std::str::from_utf8(body.as_ref())?;
    for wave in waves {
        ensure!(
            text.contains(&format!("Peiling {}", wave.year)),
            "the dashboard does not offer the wave of {}",
            wave.year
        );
    }
    println!(
        "{label}: first page after start (parses the stored results of {WAVES} waves): \
         {:.1} ms, {} bytes",
        cold.as_secs_f64() * 1e3,
        text.len()
    );

    let urls = Arc::new(filter_urls(address, municipality, waves));
    let one = [first];
    pages(&one, &urls, WARM_UP, false).await?;
    println!(
        "{label}: {} filter combinations ({WAVES} waves × {} × {}), {WARM_UP} pages warm-up",
        urls.len(),
        WHO.len(),
        INDICATORS.len()
    );
    println!(
        "{label}: {:<34} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "run (ms)", "pages", "mean", "p50", "p95", "p99", "max", "bytes"
    );
    let sequential = pages(&one, &urls, MEASURED, false).await?;
    report(label, "1 client, uncompressed", &sequential);

    let mut together = Vec::new();
    for _ in 0..CLIENTS {
        together.push(signed_in(address).await?);
    }
    let concurrent = pages(&together, &urls, MEASURED, false).await?;
    report(
        label,
        &format!("{CLIENTS} clients, uncompressed"),
        &concurrent,
    );

    let compressed = pages(&one, &urls, MEASURED, true).await?;
    report(label, "1 client, browser Accept-Encoding", &compressed);
    Ok(())
}

fn report(label: &str, what: &str, seen: &[(Duration, usize)]) {
    let mut times: Vec<f64> = seen.iter().map(|(t, _)| t.as_secs_f64() * 1e3).collect();
    times.sort_by(f64::total_cmp);
    let n = times.len();
    // Nearest rank: the smallest time at least this share of pages stayed under.
    let rank = |share: f64| times[((share * n as f64).ceil() as usize).clamp(1, n) - 1];
    let mean = times.iter().sum::<f64>() / n as f64;
    let bytes = seen.iter().map(|(_, b)| b).sum::<usize>() / n;
    println!(
        "{label}: {what:<34} {n:>5} {mean:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {bytes:>9}",
        rank(0.50),
        rank(0.95),
        rank(0.99),
        times[n - 1],
    );
}

async fn with_postgres(
    server: &str,
    total: usize,
    site_root: &std::path::Path,
) -> anyhow::Result<()> {
    let name = format!("peiling_bench_dashboard_{}", std::process::id());
    let admin: DatabaseConnection = Database::connect(format!("{server}/postgres")).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let outcome = run("PostgreSQL", &format!("{server}/{name}"), total, site_root).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    outcome
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; a number is the total of responses.
    let total = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(DEFAULT_RESPONSES);
    let dir = std::env::temp_dir().join(format!("peiling-bench-dashboard-{}", std::process::id()));
    // The page links its styles under the site root; only the HTML is fetched.
    let site_root = dir.join("site");
    std::fs::create_dir_all(&site_root)?;
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    let outcome = run("SQLite", &url, total, &site_root).await;
    let postgres = match (&outcome, std::env::var("PEILING_BENCH_POSTGRES")) {
        (Ok(()), Ok(server)) => {
            with_postgres(server.trim_end_matches('/'), total, &site_root).await
        }
        _ => Ok(()),
    };
    std::fs::remove_dir_all(&dir)?;
    outcome?;
    postgres
}
