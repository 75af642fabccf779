//! Why a request could not go on, as one type with a stable key per failure.
//!
//! Handlers return `Result<Response, AppError>` and use `?`. An error becomes
//! its status and key first; the [`finish`] layer, which sees the request's
//! headers, then writes the page in the reader's language (or JSON for the
//! API) and adds `Retry-After` when the database is away. The cause of a
//! database error is logged, never shown.

use app::i18n::Lang;
use axum::{
    Json,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use serde_json::json;

/// Seconds a client is asked to wait before trying again while the database
/// cannot be reached.
pub const RETRY_AFTER_SECONDS: u32 = 2;

/// A request that cannot go on.
#[derive(Debug)]
pub enum AppError {
    /// No live staff session: to the login page.
    LoginRequired,
    /// Does not exist, or is not the reader's to see: the same answer for both.
    NotFound,
    /// A form whose fields could not be read at all.
    BadForm,
    /// A request larger than any form Peiling sends.
    TooLarge,
    /// A language Peiling does not speak.
    UnknownLanguage,
    /// A form without this session's CSRF token.
    FormExpired,
    /// A form a browser says was posted from another website.
    ForeignForm,
    /// The database could not be reached or failed.
    Unavailable(sea_orm::DbErr),
    /// Too much work is waiting (password checks); try again shortly.
    Busy,
}

impl AppError {
    /// The stable key of this failure, for clients, logs and tests.
    pub fn key(&self) -> &'static str {
        match self {
            AppError::LoginRequired => "login_required",
            AppError::NotFound => "not_found",
            AppError::BadForm => "bad_form",
            AppError::TooLarge => "too_large",
            AppError::UnknownLanguage => "unknown_language",
            AppError::FormExpired => "form_expired",
            AppError::ForeignForm => "foreign_form",
            AppError::Unavailable(_) => "database_unavailable",
            AppError::Busy => "busy",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::LoginRequired => StatusCode::SEE_OTHER,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadForm | AppError::UnknownLanguage => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::FormExpired | AppError::ForeignForm => StatusCode::FORBIDDEN,
            AppError::Unavailable(_) | AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        AppError::Unavailable(error)
    }
}

impl From<AppError> for Response {
    fn from(error: AppError) -> Self {
        error.into_response()
    }
}

/// The key an error response carries until [`finish`] writes its page.
#[derive(Clone, Copy, Debug)]
pub struct ErrorKey(pub &'static str);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Unavailable(error) = &self {
            tracing::error!(%error, "database error");
        }
        if let AppError::LoginRequired = self {
            return Redirect::to("/login").into_response();
        }
        let key = self.key();
        let mut response = (self.status(), both_languages(key)).into_response();
        response.extensions_mut().insert(ErrorKey(key));
        response
    }
}

/// A short page with one message, for refusals and confirmations.
pub fn message_page(lang: Lang, status: StatusCode, title: &str, text: &str) -> Response {
    use leptos::prelude::*;
    let text = text.to_owned();
    let back = match lang {
        Lang::Nl => "Naar het begin",
        Lang::En => "Back to the start",
    };
    let html = app::document::render(lang.code(), "ltr", title, "staff", move || {
        view! {
            <p class="message" role="alert">{text}</p>
            <p><a href="/staff">{back}</a></p>
        }
    });
    (status, axum::response::Html(html)).into_response()
}

/// Title and text of a failure in one language.
fn wording(lang: Lang, key: &str) -> (&'static str, &'static str) {
    let nl = lang == Lang::Nl;
    match key {
        "not_found" if nl => (
            "Niet gevonden",
            "Deze pagina bestaat niet, of je hebt er geen toegang toe.",
        ),
        "not_found" => (
            "Not found",
            "This page does not exist, or you have no access to it.",
        ),
        "bad_form" if nl => (
            "Formulier onleesbaar",
            "Dit formulier kon niet gelezen worden. Er is niets veranderd.",
        ),
        "bad_form" => (
            "Form unreadable",
            "This form could not be read. Nothing was changed.",
        ),
        "unknown_language" if nl => (
            "Onbekende taal",
            "Deze taal kennen we niet. Er is niets veranderd.",
        ),
        "unknown_language" => (
            "Unknown language",
            "We do not know this language. Nothing was changed.",
        ),
        "too_large" if nl => (
            "Te groot",
            "Dit verzoek is groter dan een formulier van Peiling kan zijn. Er is niets veranderd.",
        ),
        "too_large" => (
            "Too large",
            "This request is larger than any Peiling form. Nothing was changed.",
        ),
        "form_expired" if nl => (
            "Formulier verlopen",
            "Dit formulier is verlopen of kwam niet van Peiling. Er is niets veranderd. Open de pagina opnieuw en probeer het nog eens.",
        ),
        "form_expired" => (
            "Form expired",
            "This form has expired or did not come from Peiling. Nothing was changed. Open the page again and try once more.",
        ),
        "foreign_form" if nl => (
            "Formulier geweigerd",
            "Dit formulier kwam van een andere website en is geweigerd. Er is niets veranderd.",
        ),
        "foreign_form" => (
            "Form refused",
            "This form came from another website and was refused. Nothing was changed.",
        ),
        "busy" if nl => (
            "Even druk",
            "Peiling is even erg druk. Er is niets veranderd. Probeer het over een paar seconden opnieuw.",
        ),
        "busy" => (
            "Briefly busy",
            "Peiling is very busy right now. Nothing was changed. Try again in a few seconds.",
        ),
        _ if nl => (
            "Even niet bereikbaar",
            "Peiling kan de database nu niet bereiken. Er is niets veranderd. Probeer het over een paar seconden opnieuw.",
        ),
        _ => (
            "Briefly unavailable",
            "Peiling cannot reach its database right now. Nothing was changed. Try again in a few seconds.",
        ),
    }
}

/// The plain body an error has before it is localised (both languages).
fn both_languages(key: &str) -> String {
    format!(
        "{} / {}",
        wording(Lang::Nl, key).1,
        wording(Lang::En, key).1
    )
}

/// The last step of every response: an error (and the framework's own plain
/// text refusal of a request it could not read) is written in the reader's
/// language; a 503 from anywhere (the survey's own refusal pages, `/health`)
/// gets `Retry-After`; and whatever does not say how to cache itself is not
/// stored (survey answers, staff pages and reset links on a shared school
/// laptop stay out of its cache and its back button). Only the bundle under
/// `/pkg/` is left to the browser's own rules.
pub async fn finish(request: Request, next: Next) -> Response {
    let lang = Lang::from_headers(request.headers());
    let static_file = request.uri().path().starts_with("/pkg/");
    let wants_json = request.uri().path().starts_with("/api/")
        || request
            .headers()
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.starts_with("application/json"));
    let mut response = next.run(request).await;
    if response.status().is_client_error()
        && response.extensions().get::<ErrorKey>().is_none()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|t| t.to_str().ok())
            .is_some_and(|t| t.starts_with("text/plain"))
    {
        // The framework's own refusal of a request it could not read: its
        // English text names fields and types; ours says what happened.
        let key = if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "too_large"
        } else {
            "bad_form"
        };
        response.extensions_mut().insert(ErrorKey(key));
    }
    if let Some(ErrorKey(key)) = response.extensions().get::<ErrorKey>().copied() {
        let status = response.status();
        let (title, text) = wording(lang, key);
        response = if wants_json {
            (status, Json(json!({ "error": key, "message": text }))).into_response()
        } else {
            message_page(lang, status, title, text)
        };
        response.extensions_mut().insert(ErrorKey(key));
    }
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from(RETRY_AFTER_SECONDS));
    }
    if !static_file {
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_its_own_wording_in_both_languages() {
        let errors = [
            AppError::NotFound,
            AppError::BadForm,
            AppError::TooLarge,
            AppError::UnknownLanguage,
            AppError::FormExpired,
            AppError::ForeignForm,
            AppError::Unavailable(sea_orm::DbErr::Custom("gone".into())),
            AppError::Busy,
        ];
        let mut seen = std::collections::HashSet::new();
        for error in &errors {
            let (nl, en) = (
                wording(Lang::Nl, error.key()),
                wording(Lang::En, error.key()),
            );
            assert_ne!(nl, en, "{}", error.key());
            assert!(seen.insert(nl.0), "{} shares its title", error.key());
        }
    }

    #[test]
    fn a_database_error_is_a_503_whose_body_hides_the_cause() {
        let response =
            AppError::Unavailable(sea_orm::DbErr::Custom("password=secret".into())).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.extensions().get::<ErrorKey>().map(|k| k.0),
            Some("database_unavailable")
        );
    }
}
