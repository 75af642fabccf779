use sea_orm::entity::prelude::*;

/// A student's draft, sealed: see `crate::survey::draft`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_draft")]
pub struct Model {
    /// SHA-256 of the token in the student's cookie.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub wave_id: i32,
    /// Rounded up to the quarter hour.
    pub expires_at: DateTimeUtc,
    /// Format, nonce and ciphertext of the draft's content.
    pub sealed: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
