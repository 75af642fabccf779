//! Drafts sealed with a key only the student's cookie holds: the table keeps
//! the token's hash, the wave, an expiry rounded to the quarter hour and the
//! sealed content — no readable class, school, language, answers or start time.
//!
//! Drafts in the old shape cannot be sealed here (the database never had their
//! tokens), and they held exactly what must not stay readable, so they are
//! dropped: a student in the middle of the survey during the upgrade starts
//! again with the class code. Nothing submitted is touched.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SurveyDraft {
    Table,
    TokenHash,
    WaveId,
    ExpiresAt,
    Sealed,
    // The columns of the readable shape, for `down`.
    ClassCodeId,
    SchoolId,
    SchoolYear,
    Language,
    Answers,
    StartedAt,
}

#[derive(DeriveIden)]
enum SurveyWave {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ClassCode {
    Table,
    Id,
}

/// Replaces the draft table with one of `shape` plus what the readable and
/// the sealed shape share: the hash of the cookie's token as the key, and the
/// expiry with its index.
async fn create_drafts(
    manager: &SchemaManager<'_>,
    mut shape: TableCreateStatement,
) -> Result<(), DbErr> {
    shape
        .table(SurveyDraft::Table)
        .col(string_len(SurveyDraft::TokenHash, 64).primary_key())
        .col(timestamp_with_time_zone(SurveyDraft::ExpiresAt));
    manager
        .drop_table(Table::drop().table(SurveyDraft::Table).take())
        .await?;
    manager.create_table(shape).await?;
    manager
        .create_index(
            Index::create()
                .name("idx_survey_draft_expires")
                .table(SurveyDraft::Table)
                .col(SurveyDraft::ExpiresAt)
                .take(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// In one transaction on SQLite as well: the table is replaced whole or not
    /// at all, and every statement sees the schema the one before it left.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sealed = Table::create()
            .col(integer(SurveyDraft::WaveId))
            .col(blob(SurveyDraft::Sealed))
            .foreign_key(
                ForeignKey::create()
                    .from(SurveyDraft::Table, SurveyDraft::WaveId)
                    .to(SurveyWave::Table, SurveyWave::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .take();
        create_drafts(manager, sealed).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let readable = Table::create()
            .col(integer(SurveyDraft::ClassCodeId))
            .col(integer(SurveyDraft::WaveId))
            .col(integer(SurveyDraft::SchoolId))
            .col(small_integer(SurveyDraft::SchoolYear))
            .col(string_len(SurveyDraft::Language, 8))
            .col(text(SurveyDraft::Answers))
            .col(timestamp_with_time_zone(SurveyDraft::StartedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(SurveyDraft::Table, SurveyDraft::ClassCodeId)
                    .to(ClassCode::Table, ClassCode::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .take();
        create_drafts(manager, readable).await
    }
}
