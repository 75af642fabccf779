use sea_orm::entity::prelude::*;

/// The materialised results of one wave.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wave_result")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub wave_id: i32,
    pub computed_at: DateTimeUtc,
    pub suppression_k: i32,
    pub questionnaire_version: String,
    /// Every stored response of the wave, valid or excluded.
    pub responses: i32,
    /// `surveys::WaveResults` as JSON: counts and release decisions only.
    pub results: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
