//! Class codes: issuing them for a class, and checking one a student typed.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use surveys::ClassCode;

use crate::config::DatabaseArgs;
use crate::entities::{class_code, school, survey_wave};
use crate::secrets;

/// How many submissions a code accepts beyond the expected class size: a few
/// extra students may turn up, a whole second class may not.
pub fn submission_limit(expected_size: i32) -> i32 {
    expected_size + (expected_size / 10).max(3)
}

/// A class that a code is being made for.
#[derive(Debug, Clone)]
pub struct NewClass {
    pub wave_id: i32,
    pub school_id: i32,
    pub school_year: i16,
    pub expected_size: i32,
    pub label: Option<String>,
    /// The teacher account that may follow the class's submission count.
    pub teacher_user_id: Option<i32>,
}

/// Creates a code for the class; draws again in the (astronomically rare) case
/// the code already exists.
pub async fn issue(db: &impl ConnectionTrait, class: NewClass) -> Result<ClassCode, DbErr> {
    for _ in 0..8 {
        let Some(code) = ClassCode::from_random_bytes(&secrets::random_bytes::<64>()) else {
            continue;
        };
        let taken = class_code::Entity::find()
            .filter(class_code::Column::Code.eq(code.as_str()))
            .one(db)
            .await?
            .is_some();
        if taken {
            continue;
        }
        class_code::ActiveModel {
            code: Set(code.as_str().to_owned()),
            wave_id: Set(class.wave_id),
            school_id: Set(class.school_id),
            school_year: Set(class.school_year),
            label: Set(class.label.clone()),
            expected_size: Set(class.expected_size),
            used_count: Set(0),
            teacher_user_id: Set(class.teacher_user_id),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        return Ok(code);
    }
    Err(DbErr::Custom("could not draw an unused class code".into()))
}

/// Why a typed code does not open the survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    Unknown,
    WaveClosed,
    ClassFull,
}

impl CodeRefusal {
    pub fn key(self) -> &'static str {
        match self {
            CodeRefusal::Unknown => "class_code.unknown",
            CodeRefusal::WaveClosed => "class_code.wave_closed",
            CodeRefusal::ClassFull => "class_code.class_full",
        }
    }
}

/// The class code row for a code that may be used right now.
pub async fn usable(
    db: &impl ConnectionTrait,
    code: &ClassCode,
) -> Result<Result<class_code::Model, CodeRefusal>, DbErr> {
    let Some(class) = class_code::Entity::find()
        .filter(class_code::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
    else {
        return Ok(Err(CodeRefusal::Unknown));
    };
    let open = survey_wave::Entity::find_by_id(class.wave_id)
        .one(db)
        .await?
        .is_some_and(|wave| wave.status == "open");
    if !open {
        return Ok(Err(CodeRefusal::WaveClosed));
    }
    if class.used_count >= submission_limit(class.expected_size) {
        return Ok(Err(CodeRefusal::ClassFull));
    }
    Ok(Ok(class))
}

/// `server codes`: codes for one class, printed as a sheet for the teacher.
#[derive(clap::Args, Debug)]
pub struct CodesArgs {
    /// The survey wave (its number, as shown by the coordinator screens).
    #[arg(long)]
    pub wave: i32,
    /// The school.
    #[arg(long)]
    pub school: i32,
    /// School year of the class (1–6).
    #[arg(long, value_parser = clap::value_parser!(i16).range(1..=6))]
    pub year: i16,
    /// Expected number of students.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..=400))]
    pub size: i32,
    /// Name of the class as the school knows it, e.g. "2B".
    #[arg(long)]
    pub label: Option<String>,
    /// How many classes of this kind to make codes for.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub count: u16,
}

pub async fn print_sheet(database: &DatabaseArgs, args: CodesArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    let db = crate::db::connect_and_migrate(database).await?;
    let wave = survey_wave::Entity::find_by_id(args.wave)
        .one(&db)
        .await?
        .with_context(|| format!("there is no survey wave {}", args.wave))?;
    let school = school::Entity::find_by_id(args.school)
        .one(&db)
        .await?
        .with_context(|| format!("there is no school {}", args.school))?;
    for n in 0..args.count {
        let label = match (&args.label, args.count) {
            (Some(label), 1) => Some(label.clone()),
            (Some(label), _) => Some(format!("{label} ({})", n + 1)),
            (None, _) => None,
        };
        let code = issue(
            &db,
            NewClass {
                wave_id: wave.id,
                school_id: school.id,
                school_year: args.year,
                expected_size: args.size,
                label: label.clone(),
                teacher_user_id: None,
            },
        )
        .await?;
        println!("{}", "-".repeat(60));
        println!("{} — {}", wave.name, school.name);
        println!(
            "Class {} · year {} · {} students expected",
            label.as_deref().unwrap_or("–"),
            args.year,
            args.size
        );
        println!("Class code: {code}");
        println!("Students open the Peiling address, type the code and answer anonymously.");
        println!(
            "The code accepts at most {} submissions.",
            submission_limit(args.size)
        );
    }
    println!("{}", "-".repeat(60));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::submission_limit;

    #[test]
    fn a_class_of_twenty_eight_accepts_three_more() {
        assert_eq!(submission_limit(28), 31);
    }

    #[test]
    fn a_large_group_gets_ten_percent_margin() {
        assert_eq!(submission_limit(120), 132);
    }
}
