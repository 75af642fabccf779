//! The staff screens: administration for the region coordinator, classes and
//! code sheets for school coordinators, live counts for teachers. Plain forms
//! rendered on the server, in Dutch or English, without script.
//!
//! Every handler takes a [`Staff`] (no session: to the login page) and asks
//! [`Staff::require`] before it reads or changes anything; that calls the one
//! authorization function, and a denial is answered exactly like something
//! that does not exist. Every form arrives through [`CsrfForm`], which reads it
//! only when it carries the session's CSRF token. Failures are
//! [`AppError`]s.

pub mod audit;
pub mod classes;
pub mod places;
pub mod users;
pub mod waves;

use app::document;
use app::i18n::Lang;
use axum::{
    Form, Router,
    extract::{FromRequest, FromRequestParts, Request},
    http::{HeaderMap, StatusCode, request::Parts},
    response::{Html, IntoResponse, Response},
};
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::auth::authz::{self, Action, Principal, Target};
use crate::auth::role::Role;
use crate::auth::session;
use crate::entities::app_user;
use crate::error::AppError;
pub use crate::error::message_page;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(users::routes())
        .merge(waves::routes())
        .merge(places::routes())
        .merge(classes::routes())
        .merge(audit::routes())
}

/// One wording in both languages, side by side where it is used.
pub fn say(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// A signed-in member of staff making this request.
#[derive(Clone)]
pub struct Staff {
    pub user: app_user::Model,
    pub principal: Principal,
    pub csrf_token: String,
    pub lang: Lang,
    /// The region's answers are synthetic (the demo): every page says so.
    pub synthetic: bool,
}

impl Staff {
    /// The member of staff signed in on this request; without a live session,
    /// [`AppError::LoginRequired`].
    pub async fn from_request(state: &AppState, headers: &HeaderMap) -> Result<Staff, AppError> {
        let lang = Lang::from_headers(headers);
        let live = session::current(&state.db, headers)
            .await?
            .ok_or(AppError::LoginRequired)?;
        let principal = authz::principal(&state.db, &live.user)
            .await?
            .ok_or(AppError::NotFound)?;
        let synthetic = crate::entities::region::Entity::find()
            .filter(crate::entities::region::Column::Synthetic.eq(true))
            .count(&state.db)
            .await?
            > 0;
        Ok(Staff {
            user: live.user,
            principal,
            csrf_token: live.csrf_token,
            lang,
            synthetic,
        })
    }

    /// Goes on only when the authorization function allows `action` on
    /// `target`; a target that does not exist (`None`) and a denied one get the
    /// same "not found".
    pub fn require(&self, action: Action, target: Option<Target>) -> Result<(), AppError> {
        match target {
            Some(target) if authz::may(&self.principal, action, &target) => Ok(()),
            _ => Err(AppError::NotFound),
        }
    }

    pub fn may(&self, action: Action, target: &Target) -> bool {
        authz::may(&self.principal, action, target)
    }

    /// Goes on only when a posted form carries this session's CSRF token.
    fn check_form(&self, token: &str) -> Result<(), AppError> {
        if crate::secrets::constant_time_eq(token.as_bytes(), self.csrf_token.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::FormExpired)
        }
    }

    pub fn role(&self) -> Role {
        self.principal.role
    }

    /// A complete staff page: navigation for this role, then `body`.
    pub fn page<V>(&self, title: &str, body: impl FnOnce() -> V) -> Response
    where
        V: IntoView + 'static,
    {
        self.page_with_status(StatusCode::OK, title, body)
    }

    pub fn page_with_status<V>(
        &self,
        status: StatusCode,
        title: &str,
        body: impl FnOnce() -> V,
    ) -> Response
    where
        V: IntoView + 'static,
    {
        self.render(status, "staff", title, body)
    }

    /// A staff page as wide as the window allows, for dashboards and reports.
    pub fn wide_page<V>(&self, title: &str, body: impl FnOnce() -> V) -> Response
    where
        V: IntoView + 'static,
    {
        self.render(StatusCode::OK, "staff wide", title, body)
    }

    /// [`Staff::wide_page`] with another status than 200 OK.
    pub fn wide_page_with_status<V>(
        &self,
        status: StatusCode,
        title: &str,
        body: impl FnOnce() -> V,
    ) -> Response
    where
        V: IntoView + 'static,
    {
        self.render(status, "staff wide", title, body)
    }

    fn render<V>(
        &self,
        status: StatusCode,
        body_class: &'static str,
        title: &str,
        body: impl FnOnce() -> V,
    ) -> Response
    where
        V: IntoView + 'static,
    {
        let lang = self.lang;
        let synthetic = self.synthetic;
        let links = navigation(self);
        let name = self.user.display_name.clone();
        let csrf = self.csrf_token.clone();
        let heading = title.to_owned();
        let html = document::render(lang.code(), "ltr", title, body_class, move || {
            view! {
                {synthetic.then(|| view! {
                    <p class="synthetic-banner">{say(
                        lang,
                        "Demo: een fictieve regio met synthetische gegevens. Geen enkel cijfer gaat over echte jongeren of plaatsen.",
                        "Demo: a fictional region with synthetic data. No figure describes real young people or places.",
                    )}</p>
                })}
                <nav class="staff-nav" aria-label=say(lang, "Medewerkers", "Staff")>
                    <ul>
                        {links
                            .into_iter()
                            .map(|(href, label)| view! { <li><a href=href>{label}</a></li> })
                            .collect_view()}
                    </ul>
                    <form method="post" action="/logout" class="inline">
                        <input type="hidden" name="csrf" value=csrf/>
                        <span class="who">{name}</span>" "
                        <button type="submit" class="button secondary">{say(lang, "Uitloggen", "Log out")}</button>
                    </form>
                </nav>
                <h1>{heading}</h1>
                {body()}
            }
        });
        (status, Html(html)).into_response()
    }
}

/// The screens a role has, in the order they are used.
fn navigation(staff: &Staff) -> Vec<(&'static str, &'static str)> {
    let lang = staff.lang;
    let mut links = vec![("/staff", say(lang, "Start", "Home"))];
    if staff.role() != Role::Teacher {
        links.push(("/dashboard", say(lang, "Cijfers", "Figures")));
        links.push(("/planning", say(lang, "Preventieplan", "Prevention plan")));
    }
    if staff.may(Action::Administer, &Target::Region) {
        links.extend([
            (
                "/staff/places",
                say(lang, "Gemeenten en scholen", "Municipalities and schools"),
            ),
            ("/staff/waves", say(lang, "Peilingen", "Survey waves")),
            ("/staff/users", say(lang, "Gebruikers", "Users")),
        ]);
    }
    if staff.may(Action::ViewResponseRates, &Target::Region) {
        links.push(("/staff/response", say(lang, "Respons", "Response")));
    }
    if staff.may(Action::ViewAudit, &Target::Region) {
        links.push(("/staff/audit", say(lang, "Logboek", "Audit log")));
    }
    if staff.role() == Role::SchoolCoordinator {
        links.push((
            "/staff/classes",
            say(lang, "Klassen en codes", "Classes and codes"),
        ));
    }
    if matches!(staff.role(), Role::SchoolCoordinator | Role::Teacher) {
        links.push((
            "/staff/counts",
            say(lang, "Ingevulde lijsten", "Submissions"),
        ));
    }
    links.push(("/staff/password", say(lang, "Wachtwoord", "Password")));
    links
}

/// The address this site is reached at, for links people copy or scan: the
/// configured public URL, or else the request's `Host` (`https` when the site
/// is served over HTTPS).
pub fn public_origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.settings.public_url {
        return url.clone();
    }
    let scheme = if state.settings.https() {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// A staff form: it carries the session's CSRF token.
pub trait CarriesCsrf {
    fn csrf(&self) -> &str;
}

/// Implements [`CarriesCsrf`] for forms whose token is the field `csrf`.
macro_rules! csrf_form {
    ($($form:ty),+ $(,)?) => {
        $(impl $crate::admin::CarriesCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })+
    };
}
pub(crate) use csrf_form;

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    /// Looks the session up once per request; a later extractor (the form)
    /// finds it in the request's extensions.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(staff) = parts.extensions.get::<Staff>() {
            return Ok(staff.clone());
        }
        let staff = Staff::from_request(state, &parts.headers).await?;
        parts.extensions.insert(staff.clone());
        Ok(staff)
    }
}

/// A posted staff form, read only when it carries the signed-in session's
/// CSRF token; otherwise nothing changes and the request gets
/// [`AppError::BadForm`] or [`AppError::FormExpired`].
pub struct CsrfForm<T>(pub T);

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned + CarriesCsrf + Send,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = request.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let request = Request::from_parts(parts, body);
        let Ok(Form(form)) = Form::<T>::from_request(request, state).await else {
            return Err(AppError::BadForm);
        };
        staff.check_form(form.csrf())?;
        Ok(CsrfForm(form))
    }
}

/// An id as a path or form field names it: a positive whole number.
pub fn parse_id(raw: &str) -> Option<i32> {
    raw.trim().parse::<i32>().ok().filter(|id| *id > 0)
}

/// The `<option>`s of a select: (value, label) pairs, the one equal to
/// `selected` chosen, after a "—" for none when `none` is set.
#[component]
pub fn Options(choices: Vec<(String, String)>, selected: String, none: bool) -> impl IntoView {
    view! {
        {none.then(|| view! { <option value="">"—"</option> })}
        {choices
            .into_iter()
            .map(|(value, label)| {
                let chosen = value == selected;
                view! { <option value=value selected=chosen>{label}</option> }
            })
            .collect_view()}
    }
}

/// The hidden field every staff form carries.
#[component]
pub fn CsrfField(token: String) -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=token/> }
}

/// A problem with one field of a form, shown beside it and counted as a refusal.
#[derive(Debug, Clone)]
pub struct Problem {
    pub field: &'static str,
    pub text: &'static str,
}

/// Problems, shown above a form as a list linked to the fields.
#[component]
pub fn Problems(lang: Lang, problems: Vec<Problem>) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <div class="message" role="alert">
                <p>{say(lang, "Er is niets opgeslagen:", "Nothing was saved:")}</p>
                <ul>
                    {problems
                        .into_iter()
                        .map(|p| view! { <li><a href=format!("#{}", p.field)>{p.text}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}
