//! Login throttling: after too many failures within a window, an account (known
//! or not, so nothing is revealed) or a client address is locked for a while.
//! Counts live in the database, shared by every app server.
//!
//! Two concurrent failures may both read the same count and so count once;
//! the limit is then reached one attempt later, which is harmless.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, Set, TransactionTrait};

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

/// Whether any of the keys is locked right now.
pub async fn locked(db: &DatabaseConnection, keys: &[Key]) -> Result<bool, DbErr> {
    let now = Utc::now();
    for key in keys {
        let row = login_throttle::Entity::find_by_id(key.hash.clone())
            .one(db)
            .await?;
        if row
            .and_then(|r| r.locked_until)
            .is_some_and(|until| until > now)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Counts a failed login against every key.
pub async fn fail(db: &DatabaseConnection, keys: &[Key]) -> Result<(), DbErr> {
    let now = Utc::now();
    let txn = db.begin().await?;
    for key in keys {
        match login_throttle::Entity::find_by_id(key.hash.clone())
            .one(&txn)
            .await?
        {
            None => {
                login_throttle::ActiveModel {
                    key_hash: Set(key.hash.clone()),
                    failures: Set(1),
                    window_started_at: Set(now),
                    locked_until: Set(None),
                }
                .insert(&txn)
                .await?;
            }
            Some(row) => {
                let fresh_window = row.window_started_at + WINDOW <= now;
                let failures = if fresh_window { 1 } else { row.failures + 1 };
                let mut update: login_throttle::ActiveModel = row.into();
                if fresh_window {
                    update.window_started_at = Set(now);
                }
                update.failures = Set(failures);
                if failures >= key.limit {
                    update.locked_until = Set(Some(now + LOCK));
                }
                update.update(&txn).await?;
            }
        }
    }
    txn.commit().await
}

/// Forgets an account's failures after it logged in.
pub async fn succeed(db: &DatabaseConnection, account: &Key) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(account.hash.clone())
        .exec(db)
        .await?;
    Ok(())
}
