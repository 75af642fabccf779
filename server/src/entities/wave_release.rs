use sea_orm::entity::prelude::*;

/// One release of a closed wave's figures: immutable once written.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wave_release")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub wave_id: i32,
    /// 1 for the release at close; each correction, reopen or other `k` adds one.
    pub number: i32,
    pub released_at: DateTimeUtc,
    pub suppression_k: i32,
    pub questionnaire_version: String,
    /// `surveys::WaveResults` as JSON: released counts and decisions only.
    pub results: String,
    /// `surveys::ReleaseBasis` as JSON: every count the release was decided on,
    /// for checking the next release. Never shown. Missing for results that
    /// predate releases.
    pub basis: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
