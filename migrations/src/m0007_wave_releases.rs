//! Releases: a wave's figures become visible only as a release of the closed
//! wave — immutable, numbered, with its threshold and time, and with the counts
//! it was decided on (never shown) so that a later release of the same wave can
//! be checked against it. `wave_result`, which a recomputation overwrote and
//! which an open wave could fill, gives way to it; results of closed waves
//! computed before become their first release (without counts to check a
//! later one against, so a wave released that way keeps that release).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SurveyWave {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum WaveRelease {
    Table,
    Id,
    WaveId,
    Number,
    ReleasedAt,
    SuppressionK,
    QuestionnaireVersion,
    Results,
    Basis,
}

#[derive(DeriveIden)]
enum WaveResult {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WaveRelease::Table)
                    .col(pk_auto(WaveRelease::Id))
                    .col(integer(WaveRelease::WaveId))
                    .col(integer(WaveRelease::Number))
                    .col(timestamp_with_time_zone(WaveRelease::ReleasedAt))
                    .col(integer(WaveRelease::SuppressionK))
                    .col(string(WaveRelease::QuestionnaireVersion))
                    .col(text(WaveRelease::Results))
                    .col(text_null(WaveRelease::Basis))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WaveRelease::Table, WaveRelease::WaveId)
                            .to(SurveyWave::Table, SurveyWave::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("wave_release_number")
                    .table(WaveRelease::Table)
                    .col(WaveRelease::WaveId)
                    .col(WaveRelease::Number)
                    .unique()
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO wave_release \
             (wave_id, number, released_at, suppression_k, questionnaire_version, results) \
             SELECT r.wave_id, 1, r.computed_at, r.suppression_k, r.questionnaire_version, r.results \
             FROM wave_result r JOIN survey_wave w ON w.id = r.wave_id WHERE w.status = 'closed'",
        )
        .await?;
        db.execute_unprepared(
            "DELETE FROM wave_figure WHERE wave_id NOT IN (SELECT wave_id FROM wave_release)",
        )
        .await?;
        manager
            .drop_table(Table::drop().table(WaveResult::Table).take())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WaveRelease::Table).take())
            .await
    }
}
