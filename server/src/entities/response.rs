use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "response")]
pub struct Model {
    /// Random; never a sequence.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub wave_id: i32,
    pub school_id: i32,
    pub school_year: i16,
    /// The answers as JSON: item key to answer code.
    pub answers: String,
    pub validity_flags: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
