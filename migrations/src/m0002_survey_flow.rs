//! What the answering flow needs besides the response itself: drafts that hold
//! a student's answers between pages, receipts that make a submission count
//! once, and the "where to find help" text each municipality shows at the end.
//!
//! Drafts are deleted at submission or expiry; a receipt holds only a hash of
//! the random submission id and its wave, so neither links back to a response.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    HelpText,
}

#[derive(DeriveIden)]
enum SurveyDraft {
    Table,
    TokenHash,
    ClassCodeId,
    WaveId,
    SchoolId,
    SchoolYear,
    Language,
    Answers,
    StartedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SubmissionReceipt {
    Table,
    IdHash,
    WaveId,
}

#[derive(DeriveIden)]
enum ClassCode {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SurveyWave {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Municipality::Table)
                    .add_column(text_null(Municipality::HelpText))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SurveyDraft::Table)
                    // A hash of the cookie's token: the table alone opens no draft.
                    .col(string_len(SurveyDraft::TokenHash, 64).primary_key())
                    .col(integer(SurveyDraft::ClassCodeId))
                    .col(integer(SurveyDraft::WaveId))
                    .col(integer(SurveyDraft::SchoolId))
                    .col(small_integer(SurveyDraft::SchoolYear))
                    .col(string_len(SurveyDraft::Language, 8))
                    .col(text(SurveyDraft::Answers))
                    // Only to judge "implausibly fast" at submission; never copied
                    // to the response, and gone with the draft.
                    .col(timestamp_with_time_zone(SurveyDraft::StartedAt))
                    .col(timestamp_with_time_zone(SurveyDraft::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyDraft::Table, SurveyDraft::ClassCodeId)
                            .to(ClassCode::Table, ClassCode::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_draft_expires")
                    .table(SurveyDraft::Table)
                    .col(SurveyDraft::ExpiresAt)
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SubmissionReceipt::Table)
                    .col(string_len(SubmissionReceipt::IdHash, 64).primary_key())
                    .col(integer(SubmissionReceipt::WaveId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SubmissionReceipt::Table, SubmissionReceipt::WaveId)
                            .to(SurveyWave::Table, SurveyWave::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SubmissionReceipt::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(SurveyDraft::Table).take())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Municipality::Table)
                    .drop_column(Municipality::HelpText)
                    .take(),
            )
            .await
    }
}
