use sea_orm::entity::prelude::*;

/// A prevention goal on one indicator for one group of a place, set on a
/// released figure (the baseline) with a target and a target year.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "goal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The place as dashboards name it: `municipality-3`, `village-17`, `school-5`.
    pub place: String,
    /// The municipality the place lies in (the place itself for a municipality).
    pub municipality_id: i32,
    pub indicator: String,
    /// The students: `all`, `year-2`, `year-4`, `boys`, `girls`.
    pub breakdown: String,
    /// The domain the goal is worked on in: `parents`, `peers`, `school`, `leisure`.
    pub domain: String,
    pub baseline_wave_id: i32,
    pub baseline_release: i32,
    pub baseline_year: i32,
    pub baseline_numerator: i64,
    pub baseline_denominator: i64,
    pub target_percent: f64,
    pub target_year: i32,
    pub rationale: String,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
