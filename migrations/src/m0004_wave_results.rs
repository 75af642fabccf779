//! The materialised results of a wave: every released figure, computed once
//! when the wave closes (or on demand while it runs), so that dashboards read a
//! few small rows and never the responses. A recomputation replaces them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SurveyWave {
    Table,
    Id,
}

/// One row per wave: when and with which threshold its figures were computed,
/// and all its figures as one JSON document (the source the per-group rows
/// are cut from; it also holds the exclusions per reason).
#[derive(DeriveIden)]
enum WaveResult {
    Table,
    WaveId,
    ComputedAt,
    SuppressionK,
    QuestionnaireVersion,
    Responses,
    Results,
}

/// One row per group of a wave (the region, a municipality, a village, a
/// school, each whole and per school year and gender): its released figures
/// as JSON, suppression already applied.
#[derive(DeriveIden)]
enum WaveFigure {
    Table,
    Id,
    WaveId,
    GroupName,
    Figures,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WaveResult::Table)
                    .col(integer(WaveResult::WaveId).primary_key())
                    .col(timestamp_with_time_zone(WaveResult::ComputedAt))
                    .col(integer(WaveResult::SuppressionK))
                    .col(string(WaveResult::QuestionnaireVersion))
                    .col(integer(WaveResult::Responses))
                    .col(text(WaveResult::Results))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WaveResult::Table, WaveResult::WaveId)
                            .to(SurveyWave::Table, SurveyWave::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WaveFigure::Table)
                    .col(pk_auto(WaveFigure::Id))
                    .col(integer(WaveFigure::WaveId))
                    .col(string(WaveFigure::GroupName))
                    .col(text(WaveFigure::Figures))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WaveFigure::Table, WaveFigure::WaveId)
                            .to(SurveyWave::Table, SurveyWave::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("wave_figure_group")
                    .table(WaveFigure::Table)
                    .col(WaveFigure::WaveId)
                    .col(WaveFigure::GroupName)
                    .unique()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WaveFigure::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(WaveResult::Table).take())
            .await
    }
}
