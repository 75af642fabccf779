//! The core model: the region's geography, survey waves, class codes, anonymous
//! responses, staff accounts, sessions and the audit log.
//!
//! A response row holds wave, school, school year, answers and validity flags —
//! nothing that could tie it to a student, a class, a device or a moment.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Region {
    Table,
    Id,
    Name,
    SuppressionK,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
    RegionId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Village {
    Table,
    Id,
    MunicipalityId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum School {
    Table,
    Id,
    MunicipalityId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SurveyWave {
    Table,
    Id,
    RegionId,
    Name,
    Year,
    QuestionnaireVersion,
    Status,
    OpenedAt,
    ClosedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ClassCode {
    Table,
    Id,
    Code,
    WaveId,
    SchoolId,
    SchoolYear,
    Label,
    ExpectedSize,
    UsedCount,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
    WaveId,
    SchoolId,
    SchoolYear,
    Answers,
    ValidityFlags,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Role,
    RegionId,
    MunicipalityId,
    SchoolId,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    UserId,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    Action,
    Subject,
    Detail,
}

fn created_at<T: IntoIden>(col: T) -> ColumnDef {
    timestamp_with_time_zone(col)
        .default(Expr::current_timestamp())
        .take()
}

fn foreign_key(
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Region::Table)
                    .col(pk_auto(Region::Id))
                    .col(string(Region::Name))
                    .col(integer(Region::SuppressionK).default(10))
                    .col(created_at(Region::CreatedAt))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Municipality::Table)
                    .col(pk_auto(Municipality::Id))
                    .col(integer(Municipality::RegionId))
                    .col(string(Municipality::Name))
                    .col(created_at(Municipality::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (Municipality::Table, Municipality::RegionId),
                        (Region::Table, Region::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Village::Table)
                    .col(pk_auto(Village::Id))
                    .col(integer(Village::MunicipalityId))
                    .col(string(Village::Name))
                    .col(created_at(Village::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (Village::Table, Village::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(School::Table)
                    .col(pk_auto(School::Id))
                    .col(integer(School::MunicipalityId))
                    .col(string(School::Name))
                    .col(created_at(School::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (School::Table, School::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SurveyWave::Table)
                    .col(pk_auto(SurveyWave::Id))
                    .col(integer(SurveyWave::RegionId))
                    .col(string(SurveyWave::Name))
                    .col(integer(SurveyWave::Year))
                    .col(string(SurveyWave::QuestionnaireVersion))
                    // 'open' or 'closed'; a wave is created closed and opened on purpose.
                    .col(string_len(SurveyWave::Status, 16).default("closed"))
                    .col(timestamp_with_time_zone_null(SurveyWave::OpenedAt))
                    .col(timestamp_with_time_zone_null(SurveyWave::ClosedAt))
                    .col(created_at(SurveyWave::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (SurveyWave::Table, SurveyWave::RegionId),
                        (Region::Table, Region::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClassCode::Table)
                    .col(pk_auto(ClassCode::Id))
                    .col(string_len_uniq(ClassCode::Code, 16))
                    .col(integer(ClassCode::WaveId))
                    .col(integer(ClassCode::SchoolId))
                    .col(small_integer(ClassCode::SchoolYear))
                    .col(string_null(ClassCode::Label))
                    .col(integer(ClassCode::ExpectedSize))
                    .col(integer(ClassCode::UsedCount).default(0))
                    .col(created_at(ClassCode::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (ClassCode::Table, ClassCode::WaveId),
                        (SurveyWave::Table, SurveyWave::Id),
                    ))
                    .foreign_key(&mut foreign_key(
                        (ClassCode::Table, ClassCode::SchoolId),
                        (School::Table, School::Id),
                    ))
                    .take(),
            )
            .await?;

        // The id is random (never a sequence) and there is no timestamp, so
        // neither ids nor columns reveal the order in which students submitted.
        let responses = Table::create()
            .table(Response::Table)
            .col(string_len(Response::Id, 36).primary_key())
            .col(integer(Response::WaveId))
            .col(integer(Response::SchoolId))
            .col(small_integer(Response::SchoolYear))
            .col(text(Response::Answers))
            .col(integer(Response::ValidityFlags).default(0))
            .foreign_key(&mut foreign_key(
                (Response::Table, Response::WaveId),
                (SurveyWave::Table, SurveyWave::Id),
            ))
            .foreign_key(&mut foreign_key(
                (Response::Table, Response::SchoolId),
                (School::Table, School::Id),
            ))
            .take();
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            // Without a rowid, SQLite keeps rows in primary-key (random) order
            // instead of insertion order.
            let sql = responses.to_string(SqliteQueryBuilder) + " WITHOUT ROWID";
            manager.get_connection().execute_unprepared(&sql).await?;
        } else {
            manager.create_table(responses).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_response_wave_school")
                    .table(Response::Table)
                    .col(Response::WaveId)
                    .col(Response::SchoolId)
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(pk_auto(AppUser::Id))
                    .col(string_uniq(AppUser::Email))
                    .col(string(AppUser::DisplayName))
                    .col(string(AppUser::PasswordHash))
                    .col(string_len(AppUser::Role, 32))
                    .col(integer_null(AppUser::RegionId))
                    .col(integer_null(AppUser::MunicipalityId))
                    .col(integer_null(AppUser::SchoolId))
                    .col(boolean(AppUser::Active).default(true))
                    .col(created_at(AppUser::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (AppUser::Table, AppUser::RegionId),
                        (Region::Table, Region::Id),
                    ))
                    .foreign_key(&mut foreign_key(
                        (AppUser::Table, AppUser::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut foreign_key(
                        (AppUser::Table, AppUser::SchoolId),
                        (School::Table, School::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    // A hash of the cookie value, so a leaked table opens no session.
                    .col(string_len(Session::Id, 64).primary_key())
                    .col(integer(Session::UserId))
                    .col(string_len(Session::CsrfToken, 64))
                    .col(created_at(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::LastSeenAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .foreign_key(
                        &mut foreign_key(
                            (Session::Table, Session::UserId),
                            (AppUser::Table, AppUser::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                    )
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    .col(created_at(AuditLog::At))
                    .col(integer_null(AuditLog::ActorUserId))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string(AuditLog::Subject))
                    .col(text_null(AuditLog::Detail))
                    .foreign_key(&mut foreign_key(
                        (AuditLog::Table, AuditLog::ActorUserId),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .take(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            Session::Table.into_iden(),
            AppUser::Table.into_iden(),
            Response::Table.into_iden(),
            ClassCode::Table.into_iden(),
            SurveyWave::Table.into_iden(),
            School::Table.into_iden(),
            Village::Table.into_iden(),
            Municipality::Table.into_iden(),
            Region::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
