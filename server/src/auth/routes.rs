//! `GET/POST /login`, `POST /logout` and `GET /staff`: plain forms without
//! script, one message for every failed login.

use app::document;
use app::i18n::{Lang, Text};
use app::staff::LoginForm;
use std::net::SocketAddr;

use axum::{
    Form, Router,
    extract::{ConnectInfo, Query, State, rejection::FormRejection},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use leptos::prelude::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::{password, session, throttle};
use crate::entities::app_user;
use crate::error::AppError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(log_in))
        .route("/logout", post(log_out))
}

fn login_form(status: StatusCode, lang: Lang, problem: Option<Text>, email: String) -> Response {
    login_page_with(status, lang, problem, None, email)
}

fn login_page_with(
    status: StatusCode,
    lang: Lang,
    problem: Option<Text>,
    notice: Option<Text>,
    email: String,
) -> Response {
    let html = document::render(
        lang.code(),
        "ltr",
        lang.text(Text::LoginTitle),
        "staff",
        move || {
            view! { <LoginForm lang problem notice email/> }
        },
    );
    (status, Html(html)).into_response()
}

#[derive(Deserialize)]
pub struct LoginQuery {
    reset: Option<String>,
}

async fn login_page(headers: HeaderMap, Query(query): Query<LoginQuery>) -> Response {
    let lang = Lang::from_headers(&headers);
    let notice = (query.reset.as_deref() == Some("done")).then_some(Text::PasswordSet);
    login_page_with(StatusCode::OK, lang, None, notice, String::new())
}

#[derive(Deserialize)]
pub struct Credentials {
    email: String,
    password: String,
}

async fn log_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<Credentials>, FormRejection>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let Ok(Form(credentials)) = form else {
        return login_form(
            StatusCode::BAD_REQUEST,
            lang,
            Some(Text::LoginFailed),
            String::new(),
        );
    };
    let email = credentials.email.trim().to_lowercase();
    let keys = [
        throttle::Key::account(&email),
        throttle::Key::client(crate::client::address(&state.settings, peer, &headers)),
    ];
    match throttle::attempt(&state.db, &keys).await {
        Ok(false) => {}
        Ok(true) => {
            return login_form(
                StatusCode::TOO_MANY_REQUESTS,
                lang,
                Some(Text::TooManyAttempts),
                email,
            );
        }
        Err(error) => return AppError::from(error).into_response(),
    }
    let account = match app_user::Entity::find()
        .filter(app_user::Column::Email.eq(&email))
        .one(&state.db)
        .await
    {
        Ok(account) => account.filter(|a| a.active),
        Err(error) => return AppError::from(error).into_response(),
    };
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let proven = match password::verify(credentials.password, stored).await {
        Ok(proven) => proven,
        Err(password::Busy) => return AppError::Busy.into_response(),
    };
    let Some(account) = account.filter(|_| proven) else {
        tracing::info!("failed staff login");
        return login_form(
            StatusCode::UNAUTHORIZED,
            lang,
            Some(Text::LoginFailed),
            email,
        );
    };
    let [account_key, client_key] = keys;
    let settled = async {
        throttle::succeed(&state.db, &account_key).await?;
        throttle::refund(&state.db, &client_key).await
    };
    if let Err(error) = settled.await {
        return AppError::from(error).into_response();
    }
    // A login always gets a fresh session; any earlier one of this browser ends.
    if let Err(error) = session::end(&state.db, &headers).await {
        return AppError::from(error).into_response();
    }
    match session::start(&state.db, account.id).await {
        Ok(token) => (
            [(header::SET_COOKIE, session::cookie(Some(&token)))],
            Redirect::to("/staff"),
        )
            .into_response(),
        Err(error) => AppError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// Ends the session. The form must carry the session's token, so another site
/// cannot sign anybody out.
async fn log_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Response {
    let live = match session::current(&state.db, &headers).await {
        Ok(live) => live,
        Err(error) => return AppError::from(error).into_response(),
    };
    if let Some(live) = live {
        let token = form.map(|Form(f)| f.csrf).unwrap_or_default();
        if !crate::secrets::constant_time_eq(token.as_bytes(), live.csrf_token.as_bytes()) {
            return (
                StatusCode::FORBIDDEN,
                "Dit formulier is verlopen. / This form has expired.",
            )
                .into_response();
        }
        if let Err(error) = session::end(&state.db, &headers).await {
            return AppError::from(error).into_response();
        }
    }
    (
        [(header::SET_COOKIE, session::cookie(None))],
        Redirect::to("/"),
    )
        .into_response()
}
