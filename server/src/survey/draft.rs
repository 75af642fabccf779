//! Drafts: a student's answers between pages, under a random token kept in a
//! cookie.
//!
//! The database finds a draft by a hash of the token. Everything in it that
//! could tie answers to a class or a moment — class code, school, school year,
//! language, the answers, the start time — is sealed (XChaCha20-Poly1305) with
//! a key derived from the same token by another derivation. Only the student's
//! cookie holds the token, so a copy of the database cannot read a draft. What
//! stays readable is the wave (so its drafts can be removed when it closes)
//! and an expiry rounded up to the quarter hour. A draft is deleted at
//! submission, when its wave closes, and when it expires.

use axum::http::HeaderMap;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use surveys::Answers;

use crate::entities::{class_code, survey_draft};
use crate::secrets;

pub const COOKIE: &str = "peiling_draft";

/// Long enough for one lesson with a break; short enough that a forgotten
/// laptop does not keep answers around.
pub const LIFETIME: Duration = Duration::hours(3);

/// The readable expiry is rounded up to this many seconds, so that it does not
/// tell when the student started.
const EXPIRY_STEP_SECONDS: i64 = 15 * 60;

/// Names what the key derived from a draft token is for.
const KEY_LABEL: &str = "peiling survey draft sealing key, version 1";

/// The first byte of a sealed draft: how it was sealed, so that another way
/// can follow without misreading old drafts.
const SEAL_FORMAT: u8 = 1;
const NONCE_LEN: usize = 24;

/// What a draft holds, readable only with the student's token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftContent {
    /// Only to count the submission for the class.
    pub class_code_id: i32,
    pub school_id: i32,
    pub school_year: i16,
    pub language: String,
    pub answers: Answers,
    /// Only to judge "implausibly fast" at submission; never copied to the
    /// response.
    pub started_at: DateTime<Utc>,
}

/// A live draft, opened with the token from the student's cookie.
#[derive(Clone)]
pub struct Draft {
    token_hash: String,
    key: DraftKey,
    pub wave_id: i32,
    pub content: DraftContent,
}

impl Draft {
    fn seal(&self) -> Result<Vec<u8>, DbErr> {
        self.key.seal(&self.token_hash, self.wave_id, &self.content)
    }
}

/// The key that seals one draft: derived from its token, never stored.
#[derive(Clone)]
struct DraftKey([u8; 32]);

impl DraftKey {
    fn of(token: &str) -> DraftKey {
        DraftKey(secrets::derive_key(KEY_LABEL, token))
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&Key::from(self.0))
    }

    /// Format byte, a fresh random nonce, and the content encrypted and
    /// authenticated together with the row's id and wave, so that a sealed
    /// content copied into another row does not open there.
    fn seal(
        &self,
        token_hash: &str,
        wave_id: i32,
        content: &DraftContent,
    ) -> Result<Vec<u8>, DbErr> {
        let plaintext = serde_json::to_vec(content)
            .map_err(|error| DbErr::Custom(format!("a draft does not serialise: {error}")))?;
        let nonce: [u8; NONCE_LEN] = secrets::random_bytes();
        let aad = bound_to(token_hash, wave_id);
        let ciphertext = self
            .cipher()
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| DbErr::Custom("a draft could not be sealed".into()))?;
        let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        sealed.push(SEAL_FORMAT);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// The content, or `None` when the seal does not open with this key for
    /// this row (another token, a damaged or moved row, an unknown format).
    fn open(&self, token_hash: &str, wave_id: i32, sealed: &[u8]) -> Option<DraftContent> {
        let (&format, rest) = sealed.split_first()?;
        if format != SEAL_FORMAT || rest.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = <[u8; NONCE_LEN]>::try_from(nonce).ok()?;
        let aad = bound_to(token_hash, wave_id);
        let plaintext = self
            .cipher()
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .ok()?;
        serde_json::from_slice(&plaintext).ok()
    }
}

/// The readable part of the row that a seal is bound to.
fn bound_to(token_hash: &str, wave_id: i32) -> Vec<u8> {
    format!("{token_hash}/{wave_id}").into_bytes()
}

/// When a draft started now expires: after its lifetime, rounded up to the
/// next quarter hour.
fn expiry(started: DateTime<Utc>) -> DateTime<Utc> {
    let due = started + LIFETIME;
    let step = EXPIRY_STEP_SECONDS;
    DateTime::from_timestamp((due.timestamp().div_euclid(step) + 1) * step, 0).unwrap_or(due)
}

/// Starts a draft for a class; returns the token for the cookie.
pub async fn create(
    db: &impl ConnectionTrait,
    class: &class_code::Model,
    language: &str,
) -> Result<String, DbErr> {
    let token = secrets::random_token();
    let now = Utc::now();
    let draft = Draft {
        token_hash: secrets::hash(&token),
        key: DraftKey::of(&token),
        wave_id: class.wave_id,
        content: DraftContent {
            class_code_id: class.id,
            school_id: class.school_id,
            school_year: class.school_year,
            language: language.to_owned(),
            answers: Answers::new(),
            started_at: now,
        },
    };
    survey_draft::ActiveModel {
        token_hash: Set(draft.token_hash.clone()),
        wave_id: Set(draft.wave_id),
        expires_at: Set(expiry(now)),
        sealed: Set(draft.seal()?),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The `Set-Cookie` value that carries a draft token, or clears it.
pub fn cookie(token: Option<&str>) -> String {
    match token {
        Some(token) => format!(
            "{COOKIE}={token}; Path=/survey; HttpOnly; SameSite=Strict; Max-Age={}",
            LIFETIME.num_seconds()
        ),
        None => format!("{COOKIE}=; Path=/survey; HttpOnly; SameSite=Strict; Max-Age=0"),
    }
}

/// The live draft named by the request's cookie, if any.
pub async fn from_request(
    db: &impl ConnectionTrait,
    headers: &HeaderMap,
) -> Result<Option<Draft>, DbErr> {
    match token_from(headers) {
        Some(token) => find(db, &token).await,
        None => Ok(None),
    }
}

/// The live draft of `token`, opened. A draft whose seal does not open with its
/// own token can never be read by anyone: it is removed, and the student is
/// told the draft expired, as for any draft that is gone.
pub async fn find(db: &impl ConnectionTrait, token: &str) -> Result<Option<Draft>, DbErr> {
    let token_hash = secrets::hash(token);
    let Some(row) = survey_draft::Entity::find_by_id(token_hash.clone())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if row.expires_at <= Utc::now() {
        return Ok(None);
    }
    let key = DraftKey::of(token);
    match key.open(&row.token_hash, row.wave_id, &row.sealed) {
        Some(content) => Ok(Some(Draft {
            token_hash,
            key,
            wave_id: row.wave_id,
            content,
        })),
        None => {
            tracing::warn!("survey: removed a draft that does not open with its token");
            survey_draft::Entity::delete_by_id(token_hash)
                .exec(db)
                .await?;
            Ok(None)
        }
    }
}

fn token_from(headers: &HeaderMap) -> Option<String> {
    secrets::token_from_cookie(headers, COOKIE)
}

/// Removes drafts that expired; run now and then.
pub async fn delete_expired(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let result = survey_draft::Entity::delete_many()
        .filter(survey_draft::Column::ExpiresAt.lt(Utc::now()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Removes every draft of a wave: once it is closed, none can be submitted.
pub async fn delete_in_wave(db: &impl ConnectionTrait, wave_id: i32) -> Result<u64, DbErr> {
    let result = survey_draft::Entity::delete_many()
        .filter(survey_draft::Column::WaveId.eq(wave_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Removes a submitted draft (inside the submission's transaction); whether
/// it was still there to remove.
pub async fn delete(db: &impl ConnectionTrait, draft: &Draft) -> Result<bool, DbErr> {
    let removed = survey_draft::Entity::delete_by_id(draft.token_hash.clone())
        .exec(db)
        .await?;
    Ok(removed.rows_affected == 1)
}

/// Seals the draft's content anew, with a fresh nonce, into its row. A draft
/// submitted or removed meanwhile stays gone.
async fn save(db: &impl ConnectionTrait, draft: &Draft) -> Result<(), DbErr> {
    survey_draft::Entity::update_many()
        .col_expr(survey_draft::Column::Sealed, Expr::value(draft.seal()?))
        .filter(survey_draft::Column::TokenHash.eq(draft.token_hash.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_language(
    db: &impl ConnectionTrait,
    mut draft: Draft,
    language: &str,
) -> Result<(), DbErr> {
    draft.content.language = language.to_owned();
    save(db, &draft).await
}

/// Keeps the answers given so far.
pub async fn save_answers(
    db: &impl ConnectionTrait,
    mut draft: Draft,
    answers: &Answers,
) -> Result<(), DbErr> {
    draft.content.answers = answers.clone();
    save(db, &draft).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};
    use surveys::ItemKey;

    fn draft(token: &str) -> Draft {
        let mut answers = Answers::new();
        answers.insert(ItemKey::new("age"), 17);
        answers.insert(ItemKey::new("life_satisfaction"), 9);
        Draft {
            token_hash: secrets::hash(token),
            key: DraftKey::of(token),
            wave_id: 4,
            content: DraftContent {
                class_code_id: 271_828,
                school_id: 3,
                school_year: 4,
                language: "pl".to_owned(),
                answers,
                started_at: Utc::now(),
            },
        }
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack
            .windows(needle.len())
            .any(|window| window == needle)
    }

    #[test]
    fn a_draft_opens_with_its_own_token() {
        let token = secrets::random_token();
        let draft = draft(&token);
        let sealed = draft.seal().unwrap();
        let opened = DraftKey::of(&token).open(&draft.token_hash, 4, &sealed);
        assert_eq!(opened, Some(draft.content));
    }

    #[test]
    fn another_token_cannot_open_a_draft() {
        let draft = draft(&secrets::random_token());
        let sealed = draft.seal().unwrap();
        let other = DraftKey::of(&secrets::random_token());
        assert_eq!(other.open(&draft.token_hash, 4, &sealed), None);
    }

    #[test]
    fn a_sealed_draft_holds_none_of_its_content_readably() {
        let draft = draft(&secrets::random_token());
        let sealed = draft.seal().unwrap();
        let plaintext = serde_json::to_vec(&draft.content).unwrap();
        assert!(
            contains(&plaintext, br#""age":17"#),
            "the check looks for what is there"
        );
        for readable in [
            serde_json::to_vec(&draft.content.answers).unwrap(),
            br#""age":17"#.to_vec(),
            b"271828".to_vec(),
            br#""pl""#.to_vec(),
            draft.content.started_at.to_rfc3339().as_bytes()[..19].to_vec(),
        ] {
            assert!(!contains(&sealed, &readable));
        }
        assert!(
            sealed.len() < plaintext.len() + 64,
            "sealing adds a nonce and a tag only"
        );
    }

    #[test]
    fn a_sealed_draft_moved_to_another_row_or_changed_does_not_open() {
        let token = secrets::random_token();
        let draft = draft(&token);
        let sealed = draft.seal().unwrap();
        let key = DraftKey::of(&token);
        assert_eq!(key.open(&secrets::hash("another row"), 4, &sealed), None);
        assert_eq!(key.open(&draft.token_hash, 5, &sealed), None);
        let mut changed = sealed.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert_eq!(key.open(&draft.token_hash, 4, &changed), None);
        assert_eq!(key.open(&draft.token_hash, 4, &sealed[..10]), None);
        assert_eq!(key.open(&draft.token_hash, 4, &[]), None);
    }

    #[test]
    fn every_save_seals_with_a_fresh_nonce() {
        let draft = draft(&secrets::random_token());
        assert_ne!(draft.seal().unwrap(), draft.seal().unwrap());
    }

    #[test]
    fn the_readable_expiry_is_a_quarter_hour_after_the_lifetime_at_most() {
        let started = DateTime::parse_from_rfc3339("2026-03-02T09:07:41.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        let expires = expiry(started);
        assert_eq!(expires.to_rfc3339(), "2026-03-02T12:15:00+00:00");
        for seconds in [0, 1, 899, 900, 3_599] {
            let started = started + Duration::seconds(seconds);
            let expires = expiry(started);
            assert!(expires > started + LIFETIME);
            assert!(expires <= started + LIFETIME + Duration::minutes(15));
            assert_eq!(expires.timestamp() % EXPIRY_STEP_SECONDS, 0);
        }
    }

    #[test]
    fn the_token_is_read_from_among_other_cookies() {
        let token = "a".repeat(64);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("peiling_lang=nl; {COOKIE}={token}")).unwrap(),
        );
        assert_eq!(token_from(&headers), Some(token));
    }

    #[test]
    fn a_malformed_token_is_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("peiling_draft=' OR 1=1 --"),
        );
        assert_eq!(token_from(&headers), None);
    }

    #[test]
    fn the_cookie_is_out_of_reach_of_scripts_and_other_sites() {
        let cookie = cookie(Some("abc"));
        assert!(cookie.contains("HttpOnly"));
        assert!(cookie.contains("SameSite=Strict"));
        assert!(cookie.contains("Path=/survey"));
    }
}
