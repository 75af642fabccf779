//! Starting and stopping the server: the database, the demo on request, the
//! background sweeps, listening, and a graceful shutdown.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use leptos::config::{Env, LeptosOptions};
use sea_orm::DatabaseConnection;

use crate::config::{DatabaseArgs, ServeArgs};
use crate::db;
use crate::routes::router;
use crate::state::AppState;

pub async fn serve(database: DatabaseArgs, settings: ServeArgs) -> anyhow::Result<()> {
    let db = db::connect_and_migrate(&database).await?;
    tracing::info!(
        database = %db::redact(&database.database_url),
        suppression_k = %settings.suppression_k,
        "database ready"
    );
    if settings.demo
        && crate::demo::load_if_empty(&db)
            .await
            .context("could not load the demo region")?
    {
        tracing::info!("loaded the fictional demo region (synthetic data)");
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("could not listen on {}", settings.listen))?;
    let address = listener.local_addr()?;
    let state = AppState {
        leptos_options: leptos_options(&settings, address),
        db,
        settings: Arc::new(settings),
        results: Arc::default(),
    };
    let router = router(state.clone());
    tokio::spawn(sweep_expired_drafts(state.db.clone()));
    tokio::spawn(crate::survey::at_rest::checkpoint_after_submissions(
        state.db.clone(),
    ));

    if state.settings.demo {
        let codes = crate::demo::open_codes(&state.db, 4)
            .await
            .unwrap_or_default();
        if !codes.is_empty() {
            println!("Demo class codes (fictional region, synthetic data):");
            for line in codes {
                println!("  {line}");
            }
        }
    }
    if state.settings.demo {
        let accounts = crate::demo::demo_accounts(&state.db)
            .await
            .unwrap_or_default();
        if !accounts.is_empty() {
            println!(
                "Demo accounts at /login (password {}):",
                crate::demo::DEMO_PASSWORD
            );
            for line in accounts {
                println!("  {line}");
            }
        }
    }
    // Scripts and tests read the address from this line.
    println!("Peiling is running at http://{address}/");
    tracing::info!(%address, "listening");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the web server stopped with an error")?;
    state.db.close().await.ok();
    tracing::info!("stopped");
    Ok(())
}

pub fn leptos_options(settings: &ServeArgs, address: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("peiling")
        .site_root(settings.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(address)
        .env(Env::PROD)
        .build()
}

/// Deletes expired survey drafts every ten minutes, so abandoned answers do
/// not linger.
async fn sweep_expired_drafts(db: DatabaseConnection) {
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        match crate::survey::draft::delete_expired(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(drafts = n, "deleted expired survey drafts"),
            Err(error) => tracing::warn!(%error, "could not delete expired survey drafts"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before exit.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
    // Give slow clients a bounded time; axum stops accepting at once.
    tokio::spawn(async {
        tokio::time::sleep(Duration::from_secs(20)).await;
        tracing::warn!("requests still running after 20 s; exiting anyway");
        std::process::exit(0);
    });
}
