//! Login throttling: after too many failures within a window, an account (known
//! or not, so nothing is revealed) or a client address is locked for a while.
//! Counts live in the database, shared by every app server.
//!
//! A login is counted before its password is checked ([`attempt`]), in one
//! statement per key, so a burst of simultaneous guesses can never pass the
//! limit together, and an attempt counts whatever becomes of it (a wrong
//! password, a busy server, a dropped connection). Only a successful login
//! takes its attempt back ([`succeed`]).

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};

use crate::entities::login_throttle;
use crate::secrets;

pub const WINDOW: Duration = Duration::minutes(15);
pub const LOCK: Duration = Duration::minutes(15);
/// Failures allowed per account within the window.
pub const ACCOUNT_LIMIT: i32 = 5;
/// Failures allowed per client address: a school shares one address, so more.
pub const CLIENT_LIMIT: i32 = 30;
/// Unknown class codes allowed per client address. A whole school mistyping
/// now and then stays well below; guessing among 5 × 10¹¹ codes gets nowhere.
pub const CLASS_CODE_LIMIT: i32 = 60;

/// What is counted: an account or a client address.
pub struct Key {
    hash: String,
    limit: i32,
}

impl Key {
    pub fn account(email: &str) -> Key {
        Key {
            hash: secrets::hash(&format!("account:{}", email.trim().to_lowercase())),
            limit: ACCOUNT_LIMIT,
        }
    }

    pub fn class_code_guesser(address: std::net::IpAddr) -> Key {
        Key {
            hash: secrets::hash(&format!("class-code:{address}")),
            limit: CLASS_CODE_LIMIT,
        }
    }

    pub fn client(address: std::net::IpAddr) -> Key {
        Key {
            hash: secrets::hash(&format!("client:{address}")),
            limit: CLIENT_LIMIT,
        }
    }
}

/// Counts one attempt (a login, a class code) against every key before it is
/// checked; whether any key is now locked (then it must not be checked at
/// all).
pub async fn attempt(db: &DatabaseConnection, keys: &[Key]) -> Result<bool, DbErr> {
    use login_throttle::{Column, Entity};
    let now = Utc::now();
    let window_over = Expr::col((Entity, Column::WindowStartedAt)).lte(now - WINDOW);
    let mut locked = false;
    for key in keys {
        let counted = Entity::insert(login_throttle::ActiveModel {
            key_hash: Set(key.hash.clone()),
            failures: Set(1),
            window_started_at: Set(now),
            locked_until: Set(None),
        })
        .on_conflict(
            OnConflict::column(Column::KeyHash)
                .value(
                    Column::Failures,
                    Expr::case(window_over.clone(), 1)
                        .finally(Expr::col((Entity, Column::Failures)).add(1)),
                )
                .value(
                    Column::WindowStartedAt,
                    Expr::case(window_over.clone(), now)
                        .finally(Expr::col((Entity, Column::WindowStartedAt))),
                )
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
        let still_locked = counted.locked_until.is_some_and(|until| until > now);
        if still_locked {
            locked = true;
        } else if counted.failures > key.limit {
            Entity::update_many()
                .col_expr(Column::LockedUntil, Expr::value(Some(now + LOCK)))
                .filter(Column::KeyHash.eq(key.hash.clone()))
                .exec(db)
                .await?;
            locked = true;
        }
    }
    Ok(locked)
}

/// Forgets an account's attempts after it proved its password.
pub async fn succeed(db: &DatabaseConnection, account: &Key) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(account.hash.clone())
        .exec(db)
        .await?;
    Ok(())
}

/// Takes back one attempt of a client address after it succeeded (a login, a
/// class code that exists), so a school's shared address is charged only for
/// its failures.
pub async fn refund(db: &DatabaseConnection, client: &Key) -> Result<(), DbErr> {
    use login_throttle::{Column, Entity};
    Entity::update_many()
        .col_expr(Column::Failures, Expr::col(Column::Failures).sub(1))
        .filter(Column::KeyHash.eq(client.hash.clone()))
        .filter(Column::Failures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}
