//! The HTTP application: Leptos pages plus the routes that are not pages.

mod health;
mod language;

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use app::{App, shell};
use axum::{
    Router,
    extract::{DefaultBodyLimit, FromRef},
    http::{HeaderName, HeaderValue, header},
    routing::{get, post},
};
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use tower_http::{
    compression::CompressionLayer, services::ServeDir, set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

use crate::config::{DatabaseArgs, ServeArgs};
use crate::db;

/// What every request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub settings: Arc<ServeArgs>,
    /// Parsed wave results, kept while they stay current.
    pub results: Arc<crate::dashboard::waves::ResultsCache>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

const NO_SCRIPT_POLICY: &str = "default-src 'self'; script-src 'none'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Largest request body accepted anywhere; forms are small.
const BODY_LIMIT: usize = 256 * 1024;

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

fn leptos_options(settings: &ServeArgs, address: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("peiling")
        .site_root(settings.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(address)
        .env(Env::PROD)
        .build()
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let site_root = state.settings.site_root.clone();

    Router::new()
        .route("/health", get(health::health))
        .route("/language", post(language::choose))
        .merge(crate::survey::routes::routes())
        .merge(crate::survey::flow::routes())
        .merge(crate::auth::routes::routes())
        .merge(crate::admin::routes())
        .merge(crate::dashboard::routes())
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .nest_service(
            "/pkg",
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(plain_text_only))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            same_origin_only,
        ))
        // Outside every refusal above, so each is written in the reader's language.
        .layer(axum::middleware::from_fn(crate::error::finish))
        .layer(CompressionLayer::new())
        // Pages rendered by the app set their own policy with a nonce; every
        // other response (survey forms, files, health) runs no script at all.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(NO_SCRIPT_POLICY),
        ))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Not "no-referrer": browsers would then send `Origin: null` on our own
        // forms, and the same-origin check below could not tell them apart.
        .layer(security_header(header::REFERRER_POLICY, "same-origin"))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            https_only,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Refuses a posted form with control characters (a NUL byte, an escape) in
/// any field, before a handler sees it: no text a person types holds them,
/// PostgreSQL cannot store a NUL, and both databases then answer alike, with
/// a 400 that changes nothing. Line breaks and tabs are text.
async fn plain_text_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let declared_too_large = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|l| l.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|length| length > BODY_LIMIT);
    if !is_form || declared_too_large {
        // Too large a form is refused by its handler, in its own words.
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return crate::error::AppError::TooLarge.into_response();
    };
    let control = |text: &str| {
        text.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    };
    if form_urlencoded::parse(&bytes).any(|(name, value)| control(&name) || control(&value)) {
        return crate::error::AppError::BadForm.into_response();
    }
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// Over HTTPS (an `https` public URL, or `--secure-cookies`): every cookie
/// the server sets is `Secure` (the session, a student's draft, the language),
/// and browsers are told to come back over HTTPS only.
async fn https_only(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    if !state.settings.https() {
        return response;
    }
    let headers = response.headers_mut();
    let cookies: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    if !cookies.is_empty() {
        headers.remove(header::SET_COOKIE);
        for cookie in cookies {
            let text = cookie.to_str().unwrap_or_default();
            let secure = if text
                .split(';')
                .any(|part| part.trim().eq_ignore_ascii_case("secure"))
            {
                cookie
            } else {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(cookie)
            };
            headers.append(header::SET_COOKIE, secure);
        }
    }
    headers.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    response
}

/// Refuses state-changing requests that a browser says come from another site:
/// with SameSite cookies, this stops cross-site request forgery on every form.
async fn same_origin_only(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::Method;
    use axum::response::IntoResponse;
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && let Some(origin) = request.headers().get(header::ORIGIN) {
        let origin = origin.to_str().ok();
        let ours = match &state.settings.public_url {
            // Behind a proxy the `Host` may be the proxy's: the public URL decides.
            Some(url) => origin == Some(url.as_str()),
            None => {
                let origin_host = origin.and_then(|o| o.split_once("://")).map(|(_, h)| h);
                let host = request
                    .headers()
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok());
                origin_host.is_some() && origin_host == host
            }
        };
        if !ours {
            return crate::error::AppError::ForeignForm.into_response();
        }
    }
    next.run(request).await
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
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
