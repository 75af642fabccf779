//! Prevention planning: goals set on released figures, the actions taken in
//! the four domains of the Icelandic model, and the ten steps of the model's
//! cycle per municipality and wave.
//!
//! A goal keeps the released figure it was set on (wave, release, and the share
//! as counts) so that its baseline stays what the community saw, whatever a
//! later release of that wave shows. Nothing here holds an answer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Goal {
    Table,
    Id,
    Place,
    MunicipalityId,
    Indicator,
    Breakdown,
    Domain,
    BaselineWaveId,
    BaselineRelease,
    BaselineYear,
    BaselineNumerator,
    BaselineDenominator,
    TargetPercent,
    TargetYear,
    Rationale,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PreventionAction {
    Table,
    Id,
    Place,
    MunicipalityId,
    GoalId,
    Domain,
    Title,
    Description,
    Organisation,
    StartsOn,
    EndsOn,
    Status,
    BudgetEuros,
    Factors,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CycleStep {
    Table,
    Id,
    MunicipalityId,
    WaveId,
    Step,
    DoneOn,
    Owner,
    Note,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyWave {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Goal::Table)
                    .col(pk_auto(Goal::Id))
                    .col(string_len(Goal::Place, 40))
                    .col(integer(Goal::MunicipalityId))
                    .col(string_len(Goal::Indicator, 80))
                    .col(string_len(Goal::Breakdown, 20))
                    .col(string_len(Goal::Domain, 20))
                    .col(integer(Goal::BaselineWaveId))
                    .col(integer(Goal::BaselineRelease))
                    .col(integer(Goal::BaselineYear))
                    .col(big_integer(Goal::BaselineNumerator))
                    .col(big_integer(Goal::BaselineDenominator))
                    .col(double(Goal::TargetPercent))
                    .col(integer(Goal::TargetYear))
                    .col(text(Goal::Rationale))
                    .col(integer_null(Goal::CreatedBy))
                    .col(timestamp_with_time_zone(Goal::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Goal::Table, Goal::BaselineWaveId)
                            .to(SurveyWave::Table, SurveyWave::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Goal::Table, Goal::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("goal_municipality")
                    .table(Goal::Table)
                    .col(Goal::MunicipalityId)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PreventionAction::Table)
                    .col(pk_auto(PreventionAction::Id))
                    .col(string_len(PreventionAction::Place, 40))
                    .col(integer(PreventionAction::MunicipalityId))
                    .col(integer_null(PreventionAction::GoalId))
                    .col(string_len(PreventionAction::Domain, 20))
                    .col(string_len(PreventionAction::Title, 200))
                    .col(text(PreventionAction::Description))
                    .col(string_len(PreventionAction::Organisation, 200))
                    .col(date(PreventionAction::StartsOn))
                    .col(date_null(PreventionAction::EndsOn))
                    .col(string_len(PreventionAction::Status, 20))
                    .col(big_integer_null(PreventionAction::BudgetEuros))
                    .col(text(PreventionAction::Factors))
                    .col(integer_null(PreventionAction::UpdatedBy))
                    .col(timestamp_with_time_zone(PreventionAction::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PreventionAction::Table, PreventionAction::GoalId)
                            .to(Goal::Table, Goal::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PreventionAction::Table, PreventionAction::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("prevention_action_municipality")
                    .table(PreventionAction::Table)
                    .col(PreventionAction::MunicipalityId)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CycleStep::Table)
                    .col(pk_auto(CycleStep::Id))
                    .col(integer(CycleStep::MunicipalityId))
                    .col(integer(CycleStep::WaveId))
                    .col(integer(CycleStep::Step))
                    .col(date_null(CycleStep::DoneOn))
                    .col(string_len(CycleStep::Owner, 200))
                    .col(text(CycleStep::Note))
                    .col(integer_null(CycleStep::UpdatedBy))
                    .col(timestamp_with_time_zone(CycleStep::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CycleStep::Table, CycleStep::WaveId)
                            .to(SurveyWave::Table, SurveyWave::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CycleStep::Table, CycleStep::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("cycle_step_once")
                    .table(CycleStep::Table)
                    .col(CycleStep::MunicipalityId)
                    .col(CycleStep::WaveId)
                    .col(CycleStep::Step)
                    .unique()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CycleStep::Table.into_iden(),
            PreventionAction::Table.into_iden(),
            Goal::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
