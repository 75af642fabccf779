//! Drafts: a student's answers between pages, under a random token kept in a
//! cookie. A draft names its class code only so the submission can be counted
//! for the class; it is deleted at submission or when it expires.

use axum::http::HeaderMap;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};

use crate::entities::{class_code, survey_draft};
use crate::secrets;

pub const COOKIE: &str = "peiling_draft";

/// Long enough for one lesson with a break; short enough that a forgotten
/// laptop does not keep answers around.
pub const LIFETIME: Duration = Duration::hours(3);

/// Starts a draft for a class; returns the token for the cookie.
pub async fn create(
    db: &DatabaseConnection,
    class: &class_code::Model,
    language: &str,
) -> Result<String, DbErr> {
    let token = secrets::random_token();
    let now = Utc::now();
    survey_draft::ActiveModel {
        token_hash: Set(secrets::hash(&token)),
        class_code_id: Set(class.id),
        wave_id: Set(class.wave_id),
        school_id: Set(class.school_id),
        school_year: Set(class.school_year),
        language: Set(language.to_owned()),
        answers: Set("{}".to_owned()),
        started_at: Set(now),
        expires_at: Set(now + LIFETIME),
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
    db: &DatabaseConnection,
    headers: &HeaderMap,
) -> Result<Option<survey_draft::Model>, DbErr> {
    let Some(token) = token_from(headers) else {
        return Ok(None);
    };
    let draft = survey_draft::Entity::find_by_id(secrets::hash(&token))
        .one(db)
        .await?;
    Ok(draft.filter(|d| d.expires_at > Utc::now()))
}

fn token_from(headers: &HeaderMap) -> Option<String> {
    secrets::token_from_cookie(headers, COOKIE)
}

/// Removes drafts that expired; run now and then.
pub async fn delete_expired(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let result = survey_draft::Entity::delete_many()
        .filter(survey_draft::Column::ExpiresAt.lt(Utc::now()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

pub async fn set_language(
    db: &DatabaseConnection,
    draft: survey_draft::Model,
    language: &str,
) -> Result<(), DbErr> {
    let mut active: survey_draft::ActiveModel = draft.into();
    active.language = Set(language.to_owned());
    active.update(db).await?;
    Ok(())
}

/// Keeps the answers given so far.
pub async fn save_answers(
    db: &DatabaseConnection,
    draft: survey_draft::Model,
    answers: &surveys::Answers,
) -> Result<(), DbErr> {
    let json = serde_json::to_string(answers)
        .map_err(|error| DbErr::Custom(format!("answers do not serialise: {error}")))?;
    let mut active: survey_draft::ActiveModel = draft.into();
    active.answers = Set(json);
    active.update(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};

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
