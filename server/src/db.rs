//! The database connection: SQLite by default, PostgreSQL by URL, one code path.

use std::time::Duration;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::config::DatabaseArgs;

/// Connects and applies any pending migrations.
pub async fn connect_and_migrate(args: &DatabaseArgs) -> anyhow::Result<DatabaseConnection> {
    let url = prepare_url(&args.database_url)?;
    let db = Database::connect(options(url)).await.with_context(|| {
        format!(
            "could not open the database at {}",
            redact(&args.database_url)
        )
    })?;
    Migrator::up(&db, None)
        .await
        .context("could not apply database migrations")?;
    Ok(db)
}

/// How to connect. A SQLite connection's settings hold for that connection
/// only, so they are given for every connection the pool opens:
/// - WAL lets dashboards read while students submit;
/// - `secure_delete` overwrites deleted content (a submitted draft, a
///   rewritten response) instead of leaving it readable in free space;
/// - foreign keys are checked.
///
/// A request waits for a connection only briefly: when PostgreSQL is away it
/// gets a 503 with `Retry-After` at once instead of hanging for the outage,
/// and the pool reconnects by itself when the database is back. SQLite's
/// only wait is for its single writer, so it may wait longer.
fn options(url: String) -> ConnectOptions {
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url);
    options.sqlx_logging(false);
    options.acquire_timeout(if sqlite {
        Duration::from_secs(5)
    } else {
        Duration::from_secs(1)
    });
    if sqlite {
        // One writer at a time is SQLite's nature; a small pool avoids lock churn.
        options.max_connections(8);
        options.map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .pragma("secure_delete", "ON")
                .foreign_keys(true)
        });
    } else {
        options.max_connections(32);
    }
    options
}

/// Begins a transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`), waiting up to the busy timeout for another
/// writer: a transaction that read first and wrote later would otherwise fail
/// at once with "database is locked" whenever someone else wrote in between,
/// which no timeout covers. PostgreSQL begins as usual.
pub async fn begin_write<C>(db: &C) -> Result<C::Transaction, sea_orm::DbErr>
where
    C: sea_orm::TransactionTrait,
{
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// For a SQLite file: creates its folder and asks for the file to be created.
fn prepare_url(url: &str) -> anyhow::Result<String> {
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Ok(url.to_owned());
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.contains("mode=memory") {
        return Ok(url.to_owned());
    }
    if let Some(parent) = std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create the folder {}", parent.display()))?;
    }
    Ok(if query.contains("mode=") {
        url.to_owned()
    } else if query.is_empty() {
        format!("sqlite://{path}?mode=rwc")
    } else {
        format!("sqlite://{path}?{query}&mode=rwc")
    })
}

/// The URL without a password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_file_is_created_on_first_use() {
        let dir = std::env::temp_dir().join(format!("peiling-db-test-{}", std::process::id()));
        let url = format!("sqlite://{}/sub/peiling.db", dir.display());
        let prepared = prepare_url(&url).unwrap();
        assert!(prepared.ends_with("peiling.db?mode=rwc"), "{prepared}");
        assert!(dir.join("sub").is_dir());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_explicit_sqlite_mode_is_kept() {
        assert_eq!(prepare_url("sqlite::memory:").unwrap(), "sqlite::memory:");
        assert_eq!(
            prepare_url("sqlite://x.db?mode=ro").unwrap(),
            "sqlite://x.db?mode=ro"
        );
    }

    #[tokio::test]
    async fn every_pooled_sqlite_connection_deletes_securely_and_checks_foreign_keys() {
        use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
        let dir = std::env::temp_dir().join(format!("peiling-pragmas-{}", std::process::id()));
        let args = DatabaseArgs {
            database_url: format!("sqlite://{}/peiling.db", dir.display()),
        };
        let db = connect_and_migrate(&args).await.unwrap();
        // Open transactions each hold a connection of their own.
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push(db.begin().await.unwrap());
        }
        for txn in &held {
            for (pragma, expected) in [
                ("secure_delete", "1"),
                ("foreign_keys", "1"),
                ("journal_mode", "wal"),
            ] {
                let row = txn
                    .query_one_raw(Statement::from_string(
                        txn.get_database_backend(),
                        format!("PRAGMA {pragma}"),
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                let value = row
                    .try_get::<String>("", pragma)
                    .or_else(|_| row.try_get::<i64>("", pragma).map(|n| n.to_string()))
                    .unwrap();
                assert_eq!(value, expected, "{pragma}");
            }
        }
        drop(held);
        db.close().await.unwrap();
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn postgres_urls_pass_unchanged_and_passwords_never_reach_messages() {
        let url = "postgres://peiling:s3cret@db.example:5432/peiling";
        assert_eq!(prepare_url(url).unwrap(), url);
        assert_eq!(
            redact(url),
            "postgres://peiling:***@db.example:5432/peiling"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
    }
}
