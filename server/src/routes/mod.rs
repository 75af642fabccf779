//! The router: every feature's routes, the Leptos pages, static files, and
//! the layers every response passes through. Nothing here is imported by a
//! feature; starting the server is `startup`, the shared state is `state`.

mod health;
mod language;

use app::{App, shell};
use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, header},
    routing::{get, post},
};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::{
    compression::CompressionLayer, services::ServeDir, set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

use crate::state::AppState;

const NO_SCRIPT_POLICY: &str = "default-src 'self'; script-src 'none'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Largest request body accepted anywhere; forms are small.
const BODY_LIMIT: usize = 256 * 1024;

/// Largest body read to its end only to refuse it politely.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;

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
        .merge(crate::planning::routes())
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
        .layer(axum::middleware::from_fn(screen_bodies))
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

/// Reads a body that is too large to its end (within reason) before its
/// handler refuses it, and refuses a posted form with control characters (a
/// NUL byte, an escape) in any field before a handler sees it: no text a person types holds them,
/// PostgreSQL cannot store a NUL, and both databases then answer alike, with
/// a 400 that changes nothing. Line breaks and tabs are text.
async fn screen_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|l| l.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|length| length > BODY_LIMIT) {
        // Too large a body is refused by its handler, in its own words. A
        // body of a few megabytes is read to its end first, so the browser
        // finishes sending and sees that answer instead of a broken
        // connection; a larger one is not worth the work.
        let (parts, body) = request.into_parts();
        if declared.is_some_and(|length| length <= DRAIN_LIMIT)
            && let Ok(bytes) = axum::body::to_bytes(body, DRAIN_LIMIT).await
        {
            let whole = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
            return next.run(whole).await;
        }
        return crate::error::AppError::TooLarge.into_response();
    }
    if !is_form {
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
