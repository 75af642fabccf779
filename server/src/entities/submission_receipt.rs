use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submission_receipt")]
pub struct Model {
    /// SHA-256 of the submission id the browser generated.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_hash: String,
    pub wave_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
