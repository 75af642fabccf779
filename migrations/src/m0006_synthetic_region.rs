//! Marks a region whose answers are synthetic (the demo), so that every page,
//! chart, report and download of it can say so.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Region {
    Table,
    Synthetic,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Region::Table)
                    .add_column(boolean(Region::Synthetic).default(false))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Region::Table)
                    .drop_column(Region::Synthetic)
                    .take(),
            )
            .await
    }
}
