use sea_orm::entity::prelude::*;

/// The released figures of one group of a wave, as a dashboard reads them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wave_figure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub wave_id: i32,
    /// The group's name, such as `municipality:3/village:17/year:2`.
    pub group_name: String,
    /// `surveys::GroupRelease` as JSON: respondents and every indicator's
    /// share, each released or suppressed.
    pub figures: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
