use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "class_code")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub wave_id: i32,
    pub school_id: i32,
    pub school_year: i16,
    pub label: Option<String>,
    pub expected_size: i32,
    pub used_count: i32,
    /// The teacher who sees this class's submission count, if one was named.
    pub teacher_user_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The class's count as the domain core adds up and protects it, by class
    /// id. The server never stores a negative count; should a hand-edited row
    /// hold one, it counts as nothing rather than as a huge number.
    pub fn tally(&self) -> surveys::wave::ClassTally<i32> {
        surveys::wave::ClassTally {
            code: self.id,
            school: surveys::SchoolId(i64::from(self.school_id)),
            expected: u64::try_from(self.expected_size).unwrap_or(0),
            submitted: u64::try_from(self.used_count).unwrap_or(0),
        }
    }
}
