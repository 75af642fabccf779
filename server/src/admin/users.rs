//! Accounts: the staff home page, changing one's own password, the region
//! coordinator's list of users with their roles and scopes, and one-time
//! links to set a password (shown on screen: there is no mail server).

use axum::{
    Form, Router,
    extract::{Path, State, rejection::FormRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::{Duration, Utc};
use leptos::prelude::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::Deserialize;

use super::{CsrfField, CsrfForm, Options, Problem, Problems, Staff, message_page, say};
use crate::auth::authz::{Action, Target};
use crate::auth::{password, role::Role, session, throttle};
use crate::entities::{app_user, municipality, password_reset, school, user_village, village};
use crate::error::AppError;
use crate::secrets;
use crate::state::AppState;
use app::i18n::Lang;

/// How long a link to set a password works.
pub const RESET_LIFETIME: Duration = Duration::hours(48);

super::csrf_form!(PasswordChange, NewUser, CsrfOnly);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff", get(home))
        .route("/staff/password", get(password_page).post(change_password))
        .route("/staff/users", get(users_page).post(create_user))
        .route("/staff/users/{id}", get(edit_page).post(change_user))
        .route("/staff/users/{id}/reset", post(issue_reset))
        .route("/reset/{token}", get(reset_page).post(reset_password))
}

async fn home(staff: Staff) -> Result<Response, AppError> {
    let lang = staff.lang;
    let role = staff.role().label();
    let title = format!(
        "{}, {}",
        say(lang, "Welkom", "Welcome"),
        staff.user.display_name
    );
    Ok(staff.page(&title, move || {
        view! {
            <p>{say(lang, "Je bent ingelogd als", "You are logged in as")}" "<strong>{lang.text(role)}</strong>"."</p>
            <p>{say(
                lang,
                "Kies hierboven wat je wilt doen. Je ziet alleen wat bij jouw rol hoort.",
                "Choose above what you want to do. You see only what belongs to your role.",
            )}</p>
        }
    }))
}

// ---- own password ----------------------------------------------------------

#[derive(Deserialize)]
struct PasswordChange {
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

fn password_form(
    staff: &Staff,
    status: StatusCode,
    problems: Vec<Problem>,
    done: bool,
) -> Response {
    let lang = staff.lang;
    let csrf = staff.csrf_token.clone();
    staff.page_with_status(status, say(lang, "Wachtwoord wijzigen", "Change password"), move || {
        view! {
            {done.then(|| view! { <p class="message ok" role="status">{say(lang, "Je wachtwoord is gewijzigd.", "Your password has been changed.")}</p> })}
            <Problems lang problems/>
            <form method="post" action="/staff/password" class="staff-form">
                <CsrfField token=csrf/>
                <label for="current">{say(lang, "Huidig wachtwoord", "Current password")}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required/>
                <label for="new">{say(lang, "Nieuw wachtwoord (minstens 12 tekens)", "New password (at least 12 characters)")}</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required minlength="12"/>
                <label for="repeat">{say(lang, "Nieuw wachtwoord nog een keer", "New password again")}</label>
                <input id="repeat" name="repeat" type="password" autocomplete="new-password" required minlength="12"/>
                <button type="submit" class="button primary">{say(lang, "Wijzigen", "Change")}</button>
            </form>
        }
    })
}

async fn password_page(staff: Staff) -> Result<Response, AppError> {
    Ok(password_form(&staff, StatusCode::OK, vec![], false))
}

/// Problems with a new password, in the user's language.
fn new_password_problems(lang: Lang, new: &str, repeat: &str) -> Vec<Problem> {
    let mut problems = vec![];
    if new.chars().count() < password::MINIMUM_LENGTH {
        problems.push(Problem {
            field: "new",
            text: say(
                lang,
                "Een wachtwoord heeft minstens 12 tekens.",
                "A password has at least 12 characters.",
            ),
        });
    } else if new.chars().count() > 1000 {
        problems.push(Problem {
            field: "new",
            text: say(
                lang,
                "Dit wachtwoord is te lang.",
                "This password is too long.",
            ),
        });
    }
    if new != repeat {
        problems.push(Problem {
            field: "repeat",
            text: say(
                lang,
                "De twee nieuwe wachtwoorden zijn niet gelijk.",
                "The two new passwords differ.",
            ),
        });
    }
    problems
}

async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    staff: Staff,
    CsrfForm(form): CsrfForm<PasswordChange>,
) -> Result<Response, AppError> {
    let mut problems = new_password_problems(staff.lang, &form.new, &form.repeat);
    // The current password is guessed no more often than at the login.
    let account = [throttle::Key::account(&staff.user.email)];
    if throttle::attempt(&state.db, &account).await? {
        problems.insert(
            0,
            Problem {
                field: "current",
                text: say(
                    staff.lang,
                    "Te veel pogingen. Wacht een kwartier en probeer het opnieuw.",
                    "Too many attempts. Wait a quarter of an hour and try again.",
                ),
            },
        );
        return Ok(password_form(
            &staff,
            StatusCode::TOO_MANY_REQUESTS,
            problems,
            false,
        ));
    }
    let proven = password::verify(form.current, Some(staff.user.password_hash.clone()))
        .await
        .map_err(|password::Busy| AppError::Busy)?;
    if proven {
        throttle::succeed(&state.db, &account[0]).await?;
    } else {
        problems.insert(
            0,
            Problem {
                field: "current",
                text: say(
                    staff.lang,
                    "Het huidige wachtwoord klopt niet.",
                    "The current password is not right.",
                ),
            },
        );
    }
    if !problems.is_empty() {
        return Ok(password_form(
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            problems,
            false,
        ));
    }
    let result = async {
        let hash = hash_off_thread(form.new).await?;
        let txn = crate::db::begin_write(&state.db).await?;
        set_password(&txn, staff.user.id, hash).await?;
        session::end_others_of(&txn, staff.user.id, &headers).await?;
        super::audit::record(
            &txn,
            Some(staff.user.id),
            "user.password_changed",
            format!("user:{}", staff.user.id),
            serde_json::json!({}),
        )
        .await?;
        txn.commit().await
    }
    .await;
    result?;
    Ok(password_form(&staff, StatusCode::OK, vec![], true))
}

async fn hash_off_thread(secret: String) -> Result<String, DbErr> {
    tokio::task::spawn_blocking(move || password::hash(&secret))
        .await
        .map_err(|e| DbErr::Custom(format!("hashing stopped: {e}")))?
        .map_err(|e| DbErr::Custom(format!("hashing failed: {e}")))
}

/// Stores a new password hash; every reset link still open for the user
/// stops working (it was made for the old password).
async fn set_password(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    hash: String,
) -> Result<(), DbErr> {
    app_user::ActiveModel {
        id: Set(user_id),
        password_hash: Set(hash),
        ..Default::default()
    }
    .update(db)
    .await?;
    password_reset::Entity::delete_many()
        .filter(password_reset::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

// ---- users -----------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct NewUser {
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    school: String,
    /// Village ids, comma-separated (one field keeps the form usable without script).
    #[serde(default)]
    villages: String,
    /// The edit form's checkbox: present when the account may log in.
    #[serde(default)]
    active: Option<String>,
}

struct Choices {
    municipalities: Vec<municipality::Model>,
    villages: Vec<village::Model>,
    schools: Vec<school::Model>,
    users: Vec<app_user::Model>,
}

async fn choices(db: &DatabaseConnection) -> Result<Choices, DbErr> {
    let places = super::places::places(db).await?;
    Ok(Choices {
        municipalities: places.municipalities,
        villages: places.villages,
        schools: places.schools,
        users: app_user::Entity::find()
            .order_by_asc(app_user::Column::Email)
            .all(db)
            .await?,
    })
}

fn role_label(lang: Lang, role: &str) -> &'static str {
    Role::from_key(role).map_or("?", |r| lang.text(r.label()))
}

fn users_form(
    staff: &Staff,
    status: StatusCode,
    choices: Choices,
    problems: Vec<Problem>,
    kept: NewUser,
    created: Option<(String, String)>,
) -> Response {
    let lang = staff.lang;
    let csrf = staff.csrf_token.clone();
    let Choices {
        municipalities,
        villages,
        schools,
        users,
    } = choices;
    let municipality_name = |id: Option<i32>| {
        id.and_then(|id| municipalities.iter().find(|m| m.id == id))
            .map(|m| m.name.clone())
    };
    let school_name = |id: Option<i32>| {
        id.and_then(|id| schools.iter().find(|s| s.id == id))
            .map(|s| s.name.clone())
    };
    let rows = users
        .iter()
        .map(|u| {
            let scope = municipality_name(u.municipality_id)
                .or_else(|| school_name(u.school_id))
                .unwrap_or_else(|| say(lang, "hele regio", "whole region").to_owned());
            (
                u.id,
                u.email.clone(),
                u.display_name.clone(),
                role_label(lang, &u.role),
                scope,
                u.active,
            )
        })
        .collect::<Vec<_>>();
    let options = ScopeOptions::new(&municipalities, &villages, &schools);
    staff.page_with_status(status, say(lang, "Gebruikers", "Users"), move || {
        let row_csrf = csrf.clone();
        view! {
            {created.map(|(email, link)| view! {
                <div class="message ok" role="status">
                    <p>{say(lang, "Account aangemaakt voor", "Account created for")}" "<strong>{email}</strong>". "
                    {say(lang,
                        "Geef deze persoon de volgende link; die werkt één keer, 48 uur lang, om een wachtwoord te kiezen:",
                        "Give this person the following link; it works once, for 48 hours, to choose a password:")}</p>
                    <p><code class="link" id="reset-link">{link}</code></p>
                </div>
            })}
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th scope="col">{say(lang, "E-mail", "E-mail")}</th>
                        <th scope="col">{say(lang, "Naam", "Name")}</th>
                        <th scope="col">{say(lang, "Rol", "Role")}</th>
                        <th scope="col">{say(lang, "Bereik", "Scope")}</th>
                        <th scope="col">{say(lang, "Wachtwoord", "Password")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(id, email, name, role, scope, active)| {
                            let csrf = row_csrf.clone();
                            view! {
                                <tr>
                                    <td><a href=format!("/staff/users/{id}")>{email}</a></td><td>{name}</td><td>{role}</td><td>{scope}</td>
                                    <td>
                                        {(!active).then(|| say(lang, "inactief", "inactive"))}
                                        <form method="post" action=format!("/staff/users/{id}/reset") class="inline">
                                            <CsrfField token=csrf/>
                                            <button type="submit" class="button secondary">{say(lang, "Link om wachtwoord te kiezen", "Link to choose a password")}</button>
                                        </form>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>{say(lang, "Nieuwe gebruiker", "New user")}</h2>
            <Problems lang problems/>
            <form method="post" action="/staff/users" class="staff-form">
                <CsrfField token=csrf/>
                <label for="email">{say(lang, "E-mailadres", "E-mail address")}</label>
                <input id="email" name="email" type="email" required value=kept.email.clone()/>
                <UserFields lang options kept/>
                <button type="submit" class="button primary">{say(lang, "Aanmaken", "Create")}</button>
            </form>
        }
    })
}

/// The choices of role and scope the user forms offer.
#[derive(Clone)]
struct ScopeOptions {
    municipalities: Vec<(String, String)>,
    schools: Vec<(String, String)>,
    villages: String,
}

impl ScopeOptions {
    fn new(
        municipalities: &[municipality::Model],
        villages: &[village::Model],
        schools: &[school::Model],
    ) -> ScopeOptions {
        ScopeOptions {
            municipalities: municipalities
                .iter()
                .map(|m| (m.id.to_string(), m.name.clone()))
                .collect(),
            schools: schools
                .iter()
                .map(|s| (s.id.to_string(), s.name.clone()))
                .collect(),
            villages: villages
                .iter()
                .map(|v| format!("{} = {}", v.id, v.name))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// Name, role and scope of an account, as the create and edit forms ask them.
#[component]
fn UserFields(lang: Lang, options: ScopeOptions, kept: NewUser) -> impl IntoView {
    let ScopeOptions {
        municipalities: municipality_options,
        schools: school_options,
        villages: village_list,
    } = options;
    let roles = Role::ALL
        .into_iter()
        .map(|r| (r.key().to_owned(), lang.text(r.label()).to_owned()))
        .collect::<Vec<_>>();
    view! {
                <label for="name">{say(lang, "Naam", "Name")}</label>
                <input id="name" name="name" type="text" required maxlength="200" value=kept.name/>
                <label for="role">{say(lang, "Rol", "Role")}</label>
                <select id="role" name="role">
                    <Options choices=roles selected=kept.role none=false/>
                </select>
                <label for="municipality">{say(lang, "Gemeente (voor gemeente en jongerenwerker)", "Municipality (for municipality and youth worker)")}</label>
                <select id="municipality" name="municipality">
                    <Options choices=municipality_options selected=kept.municipality none=true/>
                </select>
                <label for="school">{say(lang, "School (voor schoolcoördinator en docent)", "School (for school coordinator and teacher)")}</label>
                <select id="school" name="school">
                    <Options choices=school_options selected=kept.school none=true/>
                </select>
                <label for="villages">{say(lang, "Kernen van een jongerenwerker (nummers, met komma's)", "Villages of a youth worker (numbers, comma-separated)")}</label>
                <p class="hint" id="villages-hint">{village_list}</p>
                <input id="villages" name="villages" type="text" aria-describedby="villages-hint" value=kept.villages/>
    }
}

async fn users_page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let choices = choices(&state.db).await?;
    Ok(users_form(
        &staff,
        StatusCode::OK,
        choices,
        vec![],
        NewUser::default(),
        None,
    ))
}

/// A checked new account.
struct ValidUser {
    email: String,
    name: String,
    role: Role,
    municipality: Option<i32>,
    school: Option<i32>,
    villages: Vec<i32>,
}

/// Checks a new account's form, or an existing account's (`editing`: its
/// e-mail address cannot change).
fn validate_user(
    lang: Lang,
    form: &NewUser,
    choices: &Choices,
    editing: Option<&app_user::Model>,
) -> Result<ValidUser, Vec<Problem>> {
    let mut problems = vec![];
    let email = match editing {
        Some(user) => user.email.clone(),
        None => form.email.trim().to_lowercase(),
    };
    if editing.is_some() {
    } else if !crate::auth::users::looks_like_email(&email) {
        problems.push(Problem {
            field: "email",
            text: say(
                lang,
                "Vul een geldig e-mailadres in.",
                "Enter a valid e-mail address.",
            ),
        });
    } else if choices.users.iter().any(|u| u.email == email) {
        problems.push(Problem {
            field: "email",
            text: say(
                lang,
                "Er is al een account met dit e-mailadres.",
                "There is already an account with this e-mail address.",
            ),
        });
    }
    let name = form.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push(Problem {
            field: "name",
            text: say(
                lang,
                "Vul een naam in van hoogstens 200 tekens.",
                "Enter a name of at most 200 characters.",
            ),
        });
    }
    let role = Role::from_key(&form.role);
    if role.is_none() {
        problems.push(Problem {
            field: "role",
            text: say(lang, "Kies een rol.", "Choose a role."),
        });
    }
    let parse = super::parse_id;
    let municipality =
        parse(&form.municipality).filter(|id| choices.municipalities.iter().any(|m| m.id == *id));
    let school = parse(&form.school).filter(|id| choices.schools.iter().any(|s| s.id == *id));
    let mut villages = vec![];
    let mut bad_village = false;
    for part in form
        .villages
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match parse(part).and_then(|id| choices.villages.iter().find(|v| v.id == id)) {
            Some(v) => villages.push(v.clone()),
            None => bad_village = true,
        }
    }
    match role {
        Some(Role::Municipality | Role::YouthWorker) if municipality.is_none() => {
            problems.push(Problem {
                field: "municipality",
                text: say(
                    lang,
                    "Kies de gemeente voor deze rol.",
                    "Choose the municipality for this role.",
                ),
            })
        }
        Some(Role::SchoolCoordinator | Role::Teacher) if school.is_none() => {
            problems.push(Problem {
                field: "school",
                text: say(
                    lang,
                    "Kies de school voor deze rol.",
                    "Choose the school for this role.",
                ),
            })
        }
        _ => {}
    }
    if bad_village || (role == Some(Role::YouthWorker) && villages.is_empty()) {
        problems.push(Problem {
            field: "villages",
            text: say(
                lang,
                "Noem de kernen van de jongerenwerker met hun nummers uit de lijst.",
                "Name the youth worker's villages by their numbers from the list.",
            ),
        });
    } else if role == Some(Role::YouthWorker)
        && villages
            .iter()
            .any(|v| Some(v.municipality_id) != municipality)
    {
        problems.push(Problem {
            field: "villages",
            text: say(
                lang,
                "Alle kernen moeten in de gekozen gemeente liggen.",
                "Every village must lie in the chosen municipality.",
            ),
        });
    }
    let Some(role) = role else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let (municipality, school) = match role {
        Role::RegionCoordinator => (None, None),
        Role::Municipality | Role::YouthWorker => (municipality, None),
        Role::SchoolCoordinator | Role::Teacher => (None, school),
    };
    let villages = if role == Role::YouthWorker {
        villages.iter().map(|v| v.id).collect()
    } else {
        vec![]
    };
    Ok(ValidUser {
        email,
        name,
        role,
        municipality,
        school,
        villages,
    })
}

async fn create_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    staff: Staff,
    CsrfForm(form): CsrfForm<NewUser>,
) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let known = choices(&state.db).await?;
    let valid = match validate_user(staff.lang, &form, &known, None) {
        Ok(valid) => valid,
        Err(problems) => {
            return Ok(users_form(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                known,
                problems,
                form,
                None,
            ));
        }
    };
    let region = staff.user.region_id;
    let result = async {
        // Nobody knows this password: the person chooses their own with the link.
        let hash = hash_off_thread(password::generate()).await?;
        let txn = crate::db::begin_write(&state.db).await?;
        let user = app_user::ActiveModel {
            email: Set(valid.email.clone()),
            display_name: Set(valid.name.clone()),
            password_hash: Set(hash),
            role: Set(valid.role.key().to_owned()),
            region_id: Set(region),
            municipality_id: Set(valid.municipality),
            school_id: Set(valid.school),
            active: Set(true),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for village in &valid.villages {
            user_village::ActiveModel {
                user_id: Set(user.id),
                village_id: Set(*village),
            }
            .insert(&txn)
            .await?;
        }
        let token = new_reset(&txn, user.id).await?;
        super::audit::record(
            &txn,
            Some(staff.user.id),
            "user.created",
            format!("user:{}", user.id),
            serde_json::json!({
                "role": valid.role.key(),
                "municipality": valid.municipality,
                "school": valid.school,
                "villages": valid.villages,
            }),
        )
        .await?;
        txn.commit().await?;
        Ok::<_, DbErr>(token)
    }
    .await;
    match result {
        Ok(token) => {
            let choices = choices(&state.db).await?;
            let link = reset_link(&state, &headers, &token);
            Ok(users_form(
                &staff,
                StatusCode::CREATED,
                choices,
                vec![],
                NewUser::default(),
                Some((valid.email, link)),
            ))
        }
        Err(error) => Err(error.into()),
    }
}

async fn new_reset(db: &impl sea_orm::ConnectionTrait, user_id: i32) -> Result<String, DbErr> {
    let token = secrets::random_token();
    let now = Utc::now();
    // One link at a time: an earlier one stops working.
    password_reset::Entity::delete_many()
        .filter(password_reset::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    password_reset::ActiveModel {
        token_hash: Set(secrets::hash(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + RESET_LIFETIME),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The full address of a reset link.
fn reset_link(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    format!("{}/reset/{token}", super::public_origin(state, headers))
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn issue_reset(
    State(state): State<AppState>,
    headers: HeaderMap,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let user = account(&state, &id).await?;
    let result = async {
        let txn = crate::db::begin_write(&state.db).await?;
        let token = new_reset(&txn, user.id).await?;
        super::audit::record(
            &txn,
            Some(staff.user.id),
            "user.reset_link_issued",
            format!("user:{}", user.id),
            serde_json::json!({}),
        )
        .await?;
        txn.commit().await?;
        Ok::<_, DbErr>(token)
    }
    .await;
    let token = result?;
    let lang = staff.lang;
    let link = reset_link(&state, &headers, &token);
    let email = user.email;
    Ok(staff.page(say(lang, "Link om een wachtwoord te kiezen", "Link to choose a password"), move || {
        view! {
            <p>{say(lang, "Geef deze link aan", "Give this link to")}" "<strong>{email}</strong>". "
            {say(lang, "Hij werkt één keer, 48 uur lang. Een eerdere link werkt niet meer.",
                       "It works once, for 48 hours. Any earlier link no longer works.")}</p>
            <p><code class="link" id="reset-link">{link}</code></p>
            <p><a href="/staff/users">{say(lang, "Terug naar de gebruikers", "Back to the users")}</a></p>
        }
    }))
}

// ---- the one-time link -----------------------------------------------------

/// The live reset of a token, if any.
async fn live_reset(
    db: &DatabaseConnection,
    token: &str,
) -> Result<Option<password_reset::Model>, DbErr> {
    let plausible = token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit());
    if !plausible {
        return Ok(None);
    }
    Ok(password_reset::Entity::find_by_id(secrets::hash(token))
        .one(db)
        .await?
        .filter(|r| r.expires_at > Utc::now()))
}

fn reset_form(lang: Lang, status: StatusCode, token: &str, problems: Vec<Problem>) -> Response {
    let action = format!("/reset/{token}");
    let html = app::document::render(
        lang.code(),
        "ltr",
        say(lang, "Wachtwoord kiezen", "Choose a password"),
        "staff",
        move || {
            view! {
                <h1>{say(lang, "Wachtwoord kiezen", "Choose a password")}</h1>
                <Problems lang problems/>
                <form method="post" action=action class="staff-form">
                    <label for="new">{say(lang, "Nieuw wachtwoord (minstens 12 tekens)", "New password (at least 12 characters)")}</label>
                    <input id="new" name="new" type="password" autocomplete="new-password" required minlength="12"/>
                    <label for="repeat">{say(lang, "Nog een keer", "Again")}</label>
                    <input id="repeat" name="repeat" type="password" autocomplete="new-password" required minlength="12"/>
                    <button type="submit" class="button primary">{say(lang, "Opslaan", "Save")}</button>
                </form>
            }
        },
    );
    (status, axum::response::Html(html)).into_response()
}

fn link_dead(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::NOT_FOUND,
        say(lang, "Link werkt niet", "Link does not work"),
        say(
            lang,
            "Deze link is al gebruikt, verlopen of bestaat niet. Vraag je regiocoördinator om een nieuwe.",
            "This link has been used, has expired or does not exist. Ask your region coordinator for a new one.",
        ),
    )
}

async fn reset_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match live_reset(&state.db, &token).await {
        Ok(Some(_)) => reset_form(lang, StatusCode::OK, &token, vec![]),
        Ok(None) => link_dead(lang),
        Err(error) => AppError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
struct NewPassword {
    new: String,
    repeat: String,
}

async fn reset_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    form: Result<Form<NewPassword>, FormRejection>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let reset = match live_reset(&state.db, &token).await {
        Ok(Some(reset)) => reset,
        Ok(None) => return link_dead(lang),
        Err(error) => return AppError::from(error).into_response(),
    };
    let Ok(Form(form)) = form else {
        return AppError::BadForm.into_response();
    };
    let problems = new_password_problems(lang, &form.new, &form.repeat);
    if !problems.is_empty() {
        return reset_form(lang, StatusCode::UNPROCESSABLE_ENTITY, &token, problems);
    }
    let result = async {
        let hash = hash_off_thread(form.new).await?;
        let txn = crate::db::begin_write(&state.db).await?;
        // Deleting the row is what makes the link one-time: of two requests at
        // once, only the one that deletes it goes on.
        let gone = password_reset::Entity::delete_by_id(reset.token_hash.clone())
            .exec(&txn)
            .await?;
        if gone.rows_affected != 1 {
            return Ok(false);
        }
        set_password(&txn, reset.user_id, hash).await?;
        // Whoever had the old password is signed out everywhere.
        session::end_all_of(&txn, reset.user_id).await?;
        super::audit::record(
            &txn,
            Some(reset.user_id),
            "user.password_reset",
            format!("user:{}", reset.user_id),
            serde_json::json!({}),
        )
        .await?;
        txn.commit().await?;
        Ok::<_, DbErr>(true)
    }
    .await;
    match result {
        Ok(true) => Redirect::to("/login?reset=done").into_response(),
        Ok(false) => link_dead(lang),
        Err(error) => AppError::from(error).into_response(),
    }
}

// ---- changing an account ----------------------------------------------------

/// The account a request names, if it exists (the caller already proved to be
/// allowed to administer).
async fn account(state: &AppState, id: &str) -> Result<app_user::Model, AppError> {
    let Some(id) = super::parse_id(id) else {
        return Err(AppError::NotFound);
    };
    app_user::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The edit form's fields as they stand for `user`.
async fn as_form(state: &AppState, user: &app_user::Model) -> Result<NewUser, DbErr> {
    let villages = user_village::Entity::find()
        .filter(user_village::Column::UserId.eq(user.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|v| v.village_id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(NewUser {
        csrf: String::new(),
        email: user.email.clone(),
        name: user.display_name.clone(),
        role: user.role.clone(),
        municipality: user
            .municipality_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
        school: user.school_id.map(|id| id.to_string()).unwrap_or_default(),
        villages,
        active: user.active.then(|| "on".to_owned()),
    })
}

fn edit_form(
    staff: &Staff,
    status: StatusCode,
    user: &app_user::Model,
    choices: Choices,
    problems: Vec<Problem>,
    kept: NewUser,
    saved: bool,
) -> Response {
    let lang = staff.lang;
    let csrf = staff.csrf_token.clone();
    let options = ScopeOptions::new(&choices.municipalities, &choices.villages, &choices.schools);
    let action = format!("/staff/users/{}", user.id);
    let email = user.email.clone();
    let active = kept.active.is_some();
    staff.page_with_status(status, say(lang, "Gebruiker wijzigen", "Change user"), move || {
        view! {
            {saved.then(|| view! { <p class="message ok" role="status">{say(lang, "Opgeslagen.", "Saved.")}</p> })}
            <p>{say(lang, "E-mailadres", "E-mail address")}": "<strong>{email}</strong></p>
            <Problems lang problems/>
            <form method="post" action=action class="staff-form">
                <CsrfField token=csrf/>
                <UserFields lang options kept/>
                <div class="checkbox">
                    <input id="active" name="active" type="checkbox" checked=active/>
                    <label for="active">{say(lang, "Mag inloggen", "May log in")}</label>
                </div>
                <button type="submit" class="button primary">{say(lang, "Opslaan", "Save")}</button>
            </form>
            <p><a href="/staff/users">{say(lang, "Terug naar de gebruikers", "Back to the users")}</a></p>
        }
    })
}

async fn edit_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let user = account(&state, &id).await?;
    let loaded =
        async { Ok::<_, DbErr>((choices(&state.db).await?, as_form(&state, &user).await?)) };
    let (choices, kept) = loaded.await?;
    Ok(edit_form(
        &staff,
        StatusCode::OK,
        &user,
        choices,
        vec![],
        kept,
        false,
    ))
}

async fn change_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<NewUser>,
) -> Result<Response, AppError> {
    staff.require(Action::Administer, Some(Target::Region))?;
    let user = account(&state, &id).await?;
    let known = choices(&state.db).await?;
    let lang = staff.lang;
    let mut valid = validate_user(lang, &form, &known, Some(&user));
    let active = form.active.is_some();
    // Nobody locks themselves out: a coordinator keeps their own role and access.
    if user.id == staff.user.id
        && (!active || !matches!(&valid, Ok(v) if v.role == Role::RegionCoordinator))
    {
        let own = Problem {
            field: "role",
            text: say(
                lang,
                "Je kunt je eigen rol of toegang niet wegnemen; vraag een andere regiocoördinator.",
                "You cannot take away your own role or access; ask another region coordinator.",
            ),
        };
        valid = match valid {
            Ok(_) => Err(vec![own]),
            Err(mut problems) => {
                problems.push(own);
                Err(problems)
            }
        };
    }
    let valid = match valid {
        Ok(valid) => valid,
        Err(problems) => {
            return Ok(edit_form(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &user,
                known,
                problems,
                form,
                false,
            ));
        }
    };
    let result = async {
        let txn = crate::db::begin_write(&state.db).await?;
        app_user::ActiveModel {
            id: Set(user.id),
            display_name: Set(valid.name.clone()),
            role: Set(valid.role.key().to_owned()),
            municipality_id: Set(valid.municipality),
            school_id: Set(valid.school),
            active: Set(active),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        user_village::Entity::delete_many()
            .filter(user_village::Column::UserId.eq(user.id))
            .exec(&txn)
            .await?;
        for village in &valid.villages {
            user_village::ActiveModel {
                user_id: Set(user.id),
                village_id: Set(*village),
            }
            .insert(&txn)
            .await?;
        }
        if !active {
            session::end_all_of(&txn, user.id).await?;
        }
        super::audit::record(
            &txn,
            Some(staff.user.id),
            "user.changed",
            format!("user:{}", user.id),
            serde_json::json!({
                "from": { "role": user.role, "municipality": user.municipality_id, "school": user.school_id, "active": user.active },
                "to": { "role": valid.role.key(), "municipality": valid.municipality, "school": valid.school, "villages": valid.villages, "active": active },
            }),
        )
        .await?;
        txn.commit().await
    }
    .await;
    result?;
    let reloaded = async {
        let user = app_user::Entity::find_by_id(user.id)
            .one(&state.db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("user".into()))?;
        let kept = as_form(&state, &user).await?;
        Ok::<_, DbErr>((user, choices(&state.db).await?, kept))
    };
    let (user, choices, kept) = reloaded.await?;
    Ok(edit_form(
        &staff,
        StatusCode::OK,
        &user,
        choices,
        vec![],
        kept,
        true,
    ))
}
