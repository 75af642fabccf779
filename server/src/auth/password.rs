//! Staff passwords: argon2id with at least OWASP's minimum cost (19 MiB, two
//! passes, one lane), hashed on a blocking thread so logins never stall the
//! async workers. An unknown e-mail address costs the same work as a known
//! one, so timing tells nothing about which accounts exist.
//!
//! Checks run at most one per core at a time: more would not finish sooner,
//! and each holds 19 MiB. A check that cannot start within a few seconds is
//! refused as [`Busy`] (a 503 with `Retry-After`) instead of queueing without
//! bound.

use std::sync::LazyLock;

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};

use crate::secrets;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The shortest password accepted for a staff account.
pub const MINIMUM_LENGTH: usize = 12;

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::encode_b64(&secrets::random_bytes::<16>())?;
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// A hash of nothing in particular, verified against when the account does not
/// exist, so that both paths do the same work.
static DECOY: LazyLock<String> =
    LazyLock::new(|| hash("no account has this password").expect("hashing a constant works"));

/// Too many password checks are waiting; try again shortly.
#[derive(Debug, PartialEq, Eq)]
pub struct Busy;

/// How long a password check may wait for its turn.
const WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// One permit per core for password checks.
static CHECKS: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    tokio::sync::Semaphore::new(cores)
});

/// Checks a password against a stored hash (or against the decoy when there is
/// no account), on a blocking thread, once a permit is free.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, Busy> {
    let Ok(Ok(_permit)) = tokio::time::timeout(WAIT, CHECKS.acquire()).await else {
        tracing::warn!("password checks are saturated; refusing one");
        return Err(Busy);
    };
    let checked = tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DECOY.clone());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let matches = hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        known && matches
    })
    .await
    .unwrap_or(false);
    Ok(checked)
}

/// A random password for a new account, readable enough to type once.
pub fn generate() -> String {
    let bytes = secrets::random_bytes::<24>();
    const SYMBOLS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    bytes
        .iter()
        .map(|b| SYMBOLS[*b as usize % SYMBOLS.len()] as char)
        .collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_at_least_the_owasp_minimum() {
        let stored = hash("correct horse battery staple").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
    }

    #[tokio::test]
    async fn the_right_password_verifies_and_a_wrong_one_does_not() {
        let stored = hash("correct horse battery staple").unwrap();
        assert_eq!(
            verify("correct horse battery staple".into(), Some(stored.clone())).await,
            Ok(true)
        );
        assert_eq!(
            verify("correct horse battery stapler".into(), Some(stored)).await,
            Ok(false)
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies_even_with_the_decoy_password() {
        assert_eq!(
            verify("no account has this password".into(), None).await,
            Ok(false)
        );
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let a = generate();
        assert!(a.len() >= MINIMUM_LENGTH);
        assert_ne!(a, generate());
    }
}
