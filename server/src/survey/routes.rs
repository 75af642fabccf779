//! The answering flow over plain HTML forms: every step works without
//! JavaScript, and every refusal is a page in the student's language with a
//! 4xx status that changes nothing.

use app::i18n::Lang;
use app::survey::document::{self, Intro, LanguageChoice, MessagePage};
use app::survey::texts::{SurveyLang, SurveyText};
use axum::{
    Form, Router,
    extract::{ConnectInfo, State, rejection::FormRejection},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::post,
};
use leptos::prelude::*;
use serde::Deserialize;
use surveys::ClassCode;

use std::net::SocketAddr;

use super::codes::{self, CodeRefusal};
use super::draft;
use crate::auth::throttle;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/survey", post(start))
        .route(
            "/survey/language",
            axum::routing::get(language_page).post(choose_language),
        )
        .route("/survey/intro", axum::routing::get(intro))
}

/// The language of pages shown before the student picks one: the site's.
pub(super) fn site_language(headers: &HeaderMap) -> SurveyLang {
    match Lang::from_headers(headers) {
        Lang::Nl => SurveyLang::Nl,
        Lang::En => SurveyLang::En,
    }
}

/// A refusal page: what went wrong, in the student's language, and a way back.
pub(super) fn refusal(
    status: StatusCode,
    lang: SurveyLang,
    title: SurveyText,
    text: SurveyText,
) -> Response {
    let html = document::render(lang, lang.text(title), move || {
        view! { <MessagePage lang title text/> }
    });
    (status, Html(html)).into_response()
}

/// A database failure: logged with its cause, shown as a calm retry message.
pub(super) fn unavailable(lang: SurveyLang, error: sea_orm::DbErr) -> Response {
    tracing::error!(%error, "survey: database error");
    refusal(
        StatusCode::SERVICE_UNAVAILABLE,
        lang,
        SurveyText::BadRequest,
        SurveyText::BadRequest,
    )
}

#[derive(Deserialize)]
pub struct StartForm {
    code: String,
}

/// `POST /survey`: a student typed a class code.
async fn start(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<StartForm>, FormRejection>,
) -> Response {
    let lang = site_language(&headers);
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return bad_form(lang, &rejection),
    };
    let guesser = [throttle::Key::class_code_guesser(crate::client::address(
        &state.settings,
        peer,
        &headers,
    ))];
    // Every code entered counts as a guess until it proves to be a class's.
    match throttle::attempt(&state.db, &guesser).await {
        Ok(false) => {}
        Ok(true) => {
            let text = SurveyText::TooManyCodes;
            return refusal(StatusCode::TOO_MANY_REQUESTS, lang, text, text);
        }
        Err(error) => return unavailable(lang, error),
    }
    // A mistyped code gets the same answer as an unknown one: check it again.
    let Ok(code) = ClassCode::parse(&form.code) else {
        return refusal(
            StatusCode::BAD_REQUEST,
            lang,
            SurveyText::CodeUnknown,
            SurveyText::CodeUnknown,
        );
    };
    let class = match codes::usable(&state.db, &code).await {
        Ok(Ok(class)) => class,
        Ok(Err(refused)) => {
            let (status, text) = match refused {
                CodeRefusal::Unknown => (StatusCode::NOT_FOUND, SurveyText::CodeUnknown),
                CodeRefusal::WaveClosed => (StatusCode::CONFLICT, SurveyText::WaveClosed),
                CodeRefusal::ClassFull => (StatusCode::CONFLICT, SurveyText::ClassFull),
            };
            return refusal(status, lang, text, text);
        }
        Err(error) => return unavailable(lang, error),
    };
    if let Err(error) = throttle::refund(&state.db, &guesser[0]).await {
        return unavailable(lang, error);
    }
    match draft::create(&state.db, &class, lang.code()).await {
        Ok(token) => (
            [(header::SET_COOKIE, draft::cookie(Some(&token)))],
            Redirect::to("/survey/language"),
        )
            .into_response(),
        Err(error) => unavailable(lang, error),
    }
}

/// `GET /survey/language`: which language to read the questions in.
async fn language_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = site_language(&headers);
    let current = match live_draft(&state, &headers, lang).await {
        Ok(draft) => SurveyLang::from_code(&draft.content.language).unwrap_or(lang),
        Err(refusal) => return refusal,
    };
    let html = document::render(
        current,
        current.text(SurveyText::ChooseLanguage),
        move || {
            view! { <LanguageChoice current/> }
        },
    );
    Html(html).into_response()
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
}

/// `POST /survey/language`.
async fn choose_language(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LanguageForm>, FormRejection>,
) -> Response {
    let lang = site_language(&headers);
    let draft = match live_draft(&state, &headers, lang).await {
        Ok(draft) => draft,
        Err(refusal) => return refusal,
    };
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return bad_form(lang, &rejection),
    };
    let Some(chosen) = SurveyLang::from_code(&form.lang) else {
        return refusal(
            StatusCode::BAD_REQUEST,
            lang,
            SurveyText::BadRequest,
            SurveyText::BadRequest,
        );
    };
    match draft::set_language(&state.db, draft, chosen.code()).await {
        Ok(()) => Redirect::to("/survey/intro").into_response(),
        Err(error) => unavailable(chosen, error),
    }
}

/// `GET /survey/intro`: anonymous, voluntary, skip anything, one lesson.
async fn intro(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = site_language(&headers);
    let chosen = match live_draft(&state, &headers, lang).await {
        Ok(draft) => SurveyLang::from_code(&draft.content.language).unwrap_or(lang),
        Err(refusal) => return refusal,
    };
    let html = document::render(chosen, chosen.text(SurveyText::IntroTitle), move || {
        view! { <Intro lang=chosen/> }
    });
    super::flow::with_script(Html(html).into_response())
}

/// A body that is not the expected form: too large (413), not a form (415),
/// or missing fields (400) — said in the student's language.
pub(super) fn bad_form(lang: SurveyLang, rejection: &FormRejection) -> Response {
    let status = Some(rejection.status())
        .filter(StatusCode::is_client_error)
        .unwrap_or(StatusCode::BAD_REQUEST);
    refusal(status, lang, SurveyText::BadRequest, SurveyText::BadRequest)
}

/// The student's draft, or the page that asks to start again.
pub(super) async fn live_draft(
    state: &AppState,
    headers: &HeaderMap,
    lang: SurveyLang,
) -> Result<draft::Draft, Response> {
    match draft::from_request(&state.db, headers).await {
        Ok(Some(draft)) => Ok(draft),
        Ok(None) => Err(expired(lang)),
        Err(error) => Err(unavailable(lang, error)),
    }
}

pub(super) fn expired(lang: SurveyLang) -> Response {
    let mut response = refusal(
        StatusCode::BAD_REQUEST,
        lang,
        SurveyText::DraftExpired,
        SurveyText::DraftExpired,
    );
    if let Ok(value) = draft::cookie(None).parse() {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
