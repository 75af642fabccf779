//! Random tokens, their hashes and keys derived from them. Tokens travel in
//! cookies and forms; the database keeps only SHA-256 hashes, so a copy of the
//! tables opens nothing.

use sha2::{Digest, Sha256};

/// 32 random bytes from the operating system, as 64 hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    to_hex(&bytes)
}

/// Random bytes for codes and ids.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    bytes
}

pub fn hash(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

/// A 256-bit key derived from a token for one purpose, named by `label`. The
/// label comes first and holds characters a token never has, so no key is
/// ever the [`hash`] that the database keeps of the same token.
pub fn derive_key(label: &str, token: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(label.as_bytes())
        .chain_update([0u8])
        .chain_update(token.as_bytes())
        .finalize()
        .into()
}

/// The token in cookie `name`, if the request carries one that looks like a
/// token from [`random_token`]; anything else is ignored.
pub fn token_from_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            let value = value.trim();
            let plausible = value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit());
            (key.trim() == name && plausible).then(|| value.to_owned())
        })
}

/// Compares two secrets in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_never_repeat() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn a_derived_key_is_neither_the_stored_hash_nor_another_purposes_key() {
        let token = random_token();
        let key = derive_key("peiling draft key", &token);
        assert_ne!(to_hex(&key), hash(&token));
        assert_ne!(key, derive_key("another purpose", &token));
        assert_eq!(key, derive_key("peiling draft key", &token));
    }

    #[test]
    fn the_hash_is_sha256_in_hex() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
