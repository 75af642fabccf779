use sea_orm::entity::prelude::*;

/// Something a place does to reach its goals, in one of the four domains.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "prevention_action")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The place as dashboards name it: `municipality-3`, `village-17`, `school-5`.
    pub place: String,
    pub municipality_id: i32,
    pub goal_id: Option<i32>,
    /// `parents`, `peers`, `school`, `leisure`.
    pub domain: String,
    pub title: String,
    pub description: String,
    pub organisation: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    /// `planned`, `running`, `done`, `stopped`.
    pub status: String,
    pub budget_euros: Option<i64>,
    /// The indicator keys of the risk and protective factors aimed at,
    /// separated by commas.
    pub factors: String,
    pub updated_by: Option<i32>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
