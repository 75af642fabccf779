//! Staff sessions, stored in the database so that several app servers behind a
//! load balancer share them. The cookie holds a random token; the table holds
//! only its hash. A login always starts a new session (no fixation).

use axum::http::HeaderMap;
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, Set};

use crate::entities::{app_user, session};
use crate::secrets;

pub const COOKIE: &str = "peiling_session";
/// A session ends after this long without a request…
pub const IDLE: Duration = Duration::minutes(30);
/// …and in any case after this long.
pub const ABSOLUTE: Duration = Duration::hours(12);

/// Starts a session for a user who just proved their password; returns the token.
pub async fn start(db: &DatabaseConnection, user_id: i32) -> Result<String, DbErr> {
    let token = secrets::random_token();
    let now = Utc::now();
    session::ActiveModel {
        id: Set(secrets::hash(&token)),
        user_id: Set(user_id),
        csrf_token: Set(secrets::random_token()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + ABSOLUTE),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The cookie for a session token (or one that clears it). Over HTTPS the
/// router marks it (and every other cookie) `Secure`.
pub fn cookie(token: Option<&str>) -> String {
    match token {
        Some(token) => format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    }
}

/// The signed-in user of a request, if the session is live; touching it extends
/// the idle time.
pub async fn user(
    db: &DatabaseConnection,
    headers: &HeaderMap,
) -> Result<Option<app_user::Model>, DbErr> {
    Ok(current(db, headers).await?.map(|live| live.user))
}

/// A live session: its user and the token every form of the session carries.
pub struct Live {
    pub user: app_user::Model,
    pub csrf_token: String,
}

/// The request's live session, if any; touching it extends the idle time, and
/// an expired one is deleted.
pub async fn current(db: &DatabaseConnection, headers: &HeaderMap) -> Result<Option<Live>, DbErr> {
    let Some(token) = token_from(headers) else {
        return Ok(None);
    };
    let Some(found) = session::Entity::find_by_id(secrets::hash(&token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if found.expires_at <= now || found.last_seen_at + IDLE <= now {
        session::Entity::delete_by_id(found.id).exec(db).await?;
        return Ok(None);
    }
    let user = app_user::Entity::find_by_id(found.user_id).one(db).await?;
    let csrf_token = found.csrf_token.clone();
    let mut touched: session::ActiveModel = found.into();
    touched.last_seen_at = Set(now);
    touched.update(db).await?;
    Ok(user
        .filter(|u| u.active)
        .map(|user| Live { user, csrf_token }))
}

/// Ends every session of a user, e.g. after their password changed.
pub async fn end_all_of(db: &impl sea_orm::ConnectionTrait, user_id: i32) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends the request's session, if any.
/// Ends every session of a user but the one this request came with: after a
/// password change, a browser signed in elsewhere (or by someone else) must
/// sign in with the new password.
pub async fn end_others_of(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    headers: &HeaderMap,
) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let this = token_from(headers).map(|token| secrets::hash(&token));
    let mut others = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(this) = this {
        others = others.filter(session::Column::Id.ne(this));
    }
    others.exec(db).await?;
    Ok(())
}

pub async fn end(db: &DatabaseConnection, headers: &HeaderMap) -> Result<(), DbErr> {
    if let Some(token) = token_from(headers) {
        session::Entity::delete_by_id(secrets::hash(&token))
            .exec(db)
            .await?;
    }
    Ok(())
}

fn token_from(headers: &HeaderMap) -> Option<String> {
    secrets::token_from_cookie(headers, COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_and_lax() {
        let set = cookie(Some("t"));
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"));
        assert!(cookie(None).contains("Max-Age=0"));
    }
}
