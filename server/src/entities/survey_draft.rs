use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_draft")]
pub struct Model {
    /// SHA-256 of the token in the student's cookie.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub class_code_id: i32,
    pub wave_id: i32,
    pub school_id: i32,
    pub school_year: i16,
    pub language: String,
    pub answers: String,
    pub started_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
