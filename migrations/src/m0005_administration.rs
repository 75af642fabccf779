//! What the administration screens need beyond the core model: the villages a
//! youth worker works in, the teacher a class code is handed to, and one-time
//! password-reset links (only a hash of each link is kept).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Village {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ClassCode {
    Table,
    TeacherUserId,
}

#[derive(DeriveIden)]
enum UserVillage {
    Table,
    UserId,
    VillageId,
}

#[derive(DeriveIden)]
enum PasswordReset {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UserVillage::Table)
                    .col(integer(UserVillage::UserId))
                    .col(integer(UserVillage::VillageId))
                    .primary_key(
                        Index::create()
                            .col(UserVillage::UserId)
                            .col(UserVillage::VillageId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserVillage::Table, UserVillage::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserVillage::Table, UserVillage::VillageId)
                            .to(Village::Table, Village::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ClassCode::Table)
                    .add_column(integer_null(ClassCode::TeacherUserId))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordReset::Table)
                    .col(string_len(PasswordReset::TokenHash, 64).primary_key())
                    .col(integer(PasswordReset::UserId))
                    .col(timestamp_with_time_zone(PasswordReset::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordReset::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PasswordReset::Table, PasswordReset::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PasswordReset::Table).take())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ClassCode::Table)
                    .drop_column(ClassCode::TeacherUserId)
                    .take(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(UserVillage::Table).take())
            .await
    }
}
