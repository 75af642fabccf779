use sea_orm::entity::prelude::*;

/// One administrative change: who (a staff account, or none for the command
/// line), what, on which subject, when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    pub actor_user_id: Option<i32>,
    /// A stable key such as `wave.results_computed`.
    pub action: String,
    /// What was changed, such as `wave:3`.
    pub subject: String,
    /// JSON with the particulars; never answers or personal data.
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
