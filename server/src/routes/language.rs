//! `POST /language`: the language switch for browsers without JavaScript.
//! It sets a preference cookie and sends the browser back to where it was.

use app::i18n::{LANGUAGE_COOKIE, Lang};
use axum::{
    Form,
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LanguageChoice {
    lang: String,
    back: Option<String>,
}

pub async fn choose(Form(choice): Form<LanguageChoice>) -> Response {
    let Some(lang) = Lang::from_code(&choice.lang) else {
        return crate::error::AppError::UnknownLanguage.into_response();
    };
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    let back = choice
        .back
        .as_deref()
        .filter(|path| is_local_path(path))
        .unwrap_or("/");
    ([(header::SET_COOKIE, cookie)], Redirect::to(back)).into_response()
}

/// Only paths on this site: never `//elsewhere` or an absolute URL, so the
/// switch cannot be used to send someone to another site.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn the_switch_only_returns_to_pages_of_this_site() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/login"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/x\r\nSet-Cookie: a=b"));
    }
}
