use sea_orm::entity::prelude::*;

/// One of the ten steps of the prevention cycle, for a municipality and a wave.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cycle_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub wave_id: i32,
    /// 1 to 10.
    pub step: i32,
    pub done_on: Option<Date>,
    pub owner: String,
    pub note: String,
    pub updated_by: Option<i32>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
