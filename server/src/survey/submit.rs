//! Storing a finished questionnaire: exactly once, in one transaction, with
//! nothing that links the response to the student, the class or the moment.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Query},
};

use super::at_rest;
use super::codes::submission_limit;
use super::draft::Draft;
use crate::entities::{class_code, response, submission_receipt, survey_wave};
use crate::secrets;

/// The id a browser generates for one submission; retries carry the same id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionId(String);

impl SubmissionId {
    /// 16 to 64 characters of letters, digits, `-` and `_`.
    pub fn parse(raw: &str) -> Option<SubmissionId> {
        let ok_len = (16..=64).contains(&raw.len());
        let ok_chars = raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        (ok_len && ok_chars).then(|| SubmissionId(raw.to_owned()))
    }

    pub fn new_random() -> SubmissionId {
        SubmissionId(secrets::random_token())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a finished questionnaire adds to the database.
pub struct Submission<'a> {
    pub id: &'a SubmissionId,
    pub draft: &'a Draft,
    /// Answers as JSON (item key → code), already validated.
    pub answers_json: String,
    pub validity_flags: i32,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    /// A new response was stored.
    New,
    /// This submission id was stored before; nothing changed.
    AlreadyReceived,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SubmitRefusal {
    ClassFull,
    /// The wave closed while the student was answering: its figures may
    /// already be computed, and no answer may change them afterwards.
    WaveClosed,
}

pub async fn store(
    db: &DatabaseConnection,
    submission: Submission<'_>,
) -> Result<Result<Stored, SubmitRefusal>, DbErr> {
    let id_hash = secrets::hash(submission.id.as_str());
    if receipt_exists(db, &id_hash).await? {
        return Ok(Ok(Stored::AlreadyReceived));
    }
    let draft = submission.draft;
    let txn = crate::db::begin_write(db).await?;

    let receipt = submission_receipt::ActiveModel {
        id_hash: Set(id_hash.clone()),
        wave_id: Set(draft.wave_id),
    }
    .insert(&txn)
    .await;
    if let Err(error) = receipt {
        txn.rollback().await?;
        // A concurrent retry of the same submission won the race.
        return if receipt_exists(db, &id_hash).await? {
            Ok(Ok(Stored::AlreadyReceived))
        } else {
            Err(error)
        };
    }

    // Only while the wave is open. On PostgreSQL the row is held until commit,
    // so closing the wave waits for submissions under way (SQLite writes one
    // transaction at a time anyway).
    let mut wave = survey_wave::Entity::find_by_id(draft.wave_id);
    if txn.get_database_backend() == DbBackend::Postgres {
        wave = wave.lock_shared();
    }
    if wave
        .one(&txn)
        .await?
        .is_none_or(|wave| wave.status != "open")
    {
        txn.rollback().await?;
        return Ok(Err(SubmitRefusal::WaveClosed));
    }

    // Count the submission for the class, unless the class is already full.
    let Some(class) = class_code::Entity::find_by_id(draft.content.class_code_id)
        .one(&txn)
        .await?
    else {
        txn.rollback().await?;
        return Ok(Err(SubmitRefusal::ClassFull));
    };
    let counted = txn
        .execute(
            Query::update()
                .table(class_code::Entity)
                .value(
                    class_code::Column::UsedCount,
                    Expr::col(class_code::Column::UsedCount).add(1),
                )
                .and_where(class_code::Column::Id.eq(draft.content.class_code_id))
                .and_where(
                    Expr::col(class_code::Column::UsedCount)
                        .lt(submission_limit(class.expected_size)),
                ),
        )
        .await?;
    if counted.rows_affected() == 0 {
        txn.rollback().await?;
        return Ok(Err(SubmitRefusal::ClassFull));
    }

    response::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        wave_id: Set(draft.wave_id),
        school_id: Set(draft.content.school_id),
        school_year: Set(draft.content.school_year),
        answers: Set(submission.answers_json),
        validity_flags: Set(submission.validity_flags),
    }
    .insert(&txn)
    .await?;

    // One draft, one response: of two submissions of the same draft under
    // different ids (two tabs, say), the one that removes the draft stores;
    // the other finds its answers already in and stores nothing.
    if !super::draft::delete(&txn, draft).await? {
        txn.rollback().await?;
        return Ok(Ok(Stored::AlreadyReceived));
    }
    txn.commit().await?;
    // The log now holds this transaction: the response beside its class's
    // counter and the deleted draft. Have it emptied soon.
    at_rest::submission_stored();
    Ok(Ok(Stored::New))
}

/// Whether a submission with this id was stored before.
pub async fn already_received(db: &DatabaseConnection, id: &SubmissionId) -> Result<bool, DbErr> {
    receipt_exists(db, &secrets::hash(id.as_str())).await
}

async fn receipt_exists(db: &impl ConnectionTrait, id_hash: &str) -> Result<bool, DbErr> {
    Ok(submission_receipt::Entity::find_by_id(id_hash.to_owned())
        .one(db)
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_submission_id_must_be_long_and_plain() {
        assert!(SubmissionId::parse("abcdefghijklmnop").is_some());
        assert!(SubmissionId::parse("short").is_none());
        assert!(SubmissionId::parse("has spaces in it, so no").is_none());
        assert!(SubmissionId::parse(&"x".repeat(65)).is_none());
        assert_eq!(submission_limit(28), 28 + 3);
    }
}
