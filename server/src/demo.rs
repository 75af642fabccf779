//! The fictional demo region, loaded into an empty database so that a first
//! start shows a living product. Every name is invented; nothing here is real.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, Set,
};

use crate::auth::role::Role;
use crate::entities::{
    app_user, class_code, municipality, region, school, survey_wave, user_village, village,
};
use crate::survey::codes::{self, NewClass};
use surveys::SuppressionThreshold;

/// Municipalities with their villages; the first village is the main one.
const GEOGRAPHY: &[(&str, &[&str])] = &[
    (
        "Heidebroek",
        &["Heidebroek", "Westdorp", "Ekelhorst", "Zandhoeve"],
    ),
    ("Lindenmaar", &["Lindenmaar", "Vlierbeek", "Over-Maar"]),
    (
        "Veenhoven",
        &[
            "Veenhoven",
            "Turfwijk",
            "Nieuw-Ommel",
            "Schuttersveen",
            "Rietgoor",
        ],
    ),
    (
        "Duinwaard",
        &[
            "Duinwaard",
            "Helmkerke",
            "Strandhoeve",
            "Oudeslag",
            "Zeeweg",
            "Biesland",
        ],
    ),
    ("Eschgaarde", &["Eschgaarde", "Kamphorst", "Brinkhuizen"]),
];

/// Secondary schools and the municipality they stand in.
const SCHOOLS: &[(&str, usize)] = &[
    ("Heidecollege", 0),
    ("Westdorp Lyceum", 0),
    ("Maarland College", 1),
    ("Veenhoven Scholengemeenschap", 2),
    ("Turfwijk Vakcollege", 2),
    ("Duinwaard Atheneum", 3),
    ("Kustcollege Helmkerke", 3),
    ("Eschgaarde Montessori", 4),
];

pub const REGION_NAME: &str = "Regio Heuvelland (fictief)";

/// The wave that is open for answering in the demo.
pub const OPEN_YEAR: i32 = 2027;

/// The demo's earlier waves, closed, with how many students answered each.
pub const HISTORY: [(i32, usize); 5] = [
    (2018, 2_400),
    (2020, 2_250),
    (2022, 2_600),
    (2024, 2_100),
    (2026, 2_500),
];

/// The password of every demo account (listed in the README; demo data only).
pub const DEMO_PASSWORD: &str = "peiling-demo";

/// E-mail address, name, role, municipality, school and villages of one demo
/// account.
type DemoAccount = (
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    Option<&'static str>,
    &'static [&'static str],
);

/// The demo's accounts, one per role: e-mail address, name, role, and the
/// municipality, school and villages (by name) their scope holds.
const DEMO_ACCOUNTS: [DemoAccount; 5] = [
    (
        "regio@heuvelland.example",
        "Rosa Regio (demo)",
        Role::RegionCoordinator,
        None,
        None,
        &[],
    ),
    (
        "gemeente@heidebroek.example",
        "Gerrit Gemeente (demo)",
        Role::Municipality,
        Some("Heidebroek"),
        None,
        &[],
    ),
    (
        "school@heidecollege.example",
        "Sanne School (demo)",
        Role::SchoolCoordinator,
        None,
        Some("Heidecollege"),
        &[],
    ),
    (
        "jongerenwerk@heidebroek.example",
        "Jamal Jongerenwerk (demo)",
        Role::YouthWorker,
        Some("Heidebroek"),
        None,
        &["Westdorp", "Ekelhorst"],
    ),
    (
        "docent@heidecollege.example",
        "Dirk Docent (demo)",
        Role::Teacher,
        None,
        Some("Heidecollege"),
        &[],
    ),
];

/// One seed for the whole demo region, so its villages keep their character
/// from wave to wave.
const DEMO_SEED: u64 = 2018;
pub const QUESTIONNAIRE: &str = "standard-v1";

/// Loads the demo region when the database holds no region yet.
/// Returns whether it did.
pub async fn load_if_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    if region::Entity::find().count(&txn).await? > 0 {
        return Ok(false);
    }
    load(&txn).await?;
    txn.commit().await?;
    // The earlier waves' figures, as if each had been closed in its time.
    use sea_orm::{ColumnTrait, QueryFilter};
    let closed = survey_wave::Entity::find()
        .filter(survey_wave::Column::Status.eq("closed"))
        .all(db)
        .await?;
    for wave in closed {
        crate::results::release_wave(db, wave.id, SuppressionThreshold::DEFAULT, None)
            .await
            .map_err(|error| DbErr::Custom(format!("demo wave {}: {error}", wave.id)))?;
    }
    crate::planning::demo::seed(db).await?;
    Ok(true)
}

async fn load(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    let region = region::ActiveModel {
        name: Set(REGION_NAME.to_owned()),
        suppression_k: Set(10),
        synthetic: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;

    let mut municipality_ids = Vec::new();
    for (name, villages) in GEOGRAPHY {
        let m = municipality::ActiveModel {
            region_id: Set(region.id),
            name: Set((*name).to_owned()),
            help_text: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for village in *villages {
            village::ActiveModel {
                municipality_id: Set(m.id),
                name: Set((*village).to_owned()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        municipality_ids.push(m.id);
    }

    let wave = survey_wave::ActiveModel {
        region_id: Set(region.id),
        name: Set(format!("Peiling {OPEN_YEAR}")),
        year: Set(OPEN_YEAR),
        questionnaire_version: Set(QUESTIONNAIRE.to_owned()),
        status: Set("open".to_owned()),
        opened_at: Set(Some(now)),
        closed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;

    for (name, municipality_index) in SCHOOLS {
        let s = school::ActiveModel {
            municipality_id: Set(municipality_ids[*municipality_index]),
            name: Set((*name).to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for (school_year, label) in [(2, "2A"), (4, "4A")] {
            codes::issue(
                db,
                NewClass {
                    wave_id: wave.id,
                    school_id: s.id,
                    school_year,
                    expected_size: 28,
                    label: Some(label.to_owned()),
                    teacher_user_id: None,
                },
            )
            .await?;
        }
    }

    accounts(db, region.id, wave.id).await?;

    let synthetic = synthetic_region(db).await?;
    for (step, (year, count)) in (0u32..).zip(HISTORY) {
        let held = chrono::NaiveDate::from_ymd_opt(year, 3, 16)
            .and_then(|day| day.and_hms_opt(9, 0, 0))
            .map(|moment| moment.and_utc());
        let past = survey_wave::ActiveModel {
            region_id: Set(region.id),
            name: Set(format!("Peiling {year}")),
            year: Set(year),
            questionnaire_version: Set(QUESTIONNAIRE.to_owned()),
            status: Set("closed".to_owned()),
            opened_at: Set(held),
            closed_at: Set(held.map(|h| h + chrono::Duration::weeks(6))),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let responses = surveys::synthetic::trends::demo_wave(
            surveys::standard_v1(),
            &synthetic,
            step,
            count,
            DEMO_SEED,
        );
        insert_rows(db, past.id, &responses).await?;
    }
    Ok(())
}

/// The demo accounts, all with [`DEMO_PASSWORD`]; the teacher follows class 2A
/// of Heidecollege in the open wave.
async fn accounts(db: &impl ConnectionTrait, region: i32, open_wave: i32) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let hash = tokio::task::spawn_blocking(|| crate::auth::password::hash(DEMO_PASSWORD))
        .await
        .map_err(|error| DbErr::Custom(format!("hashing stopped: {error}")))?
        .map_err(|error| DbErr::Custom(format!("hashing failed: {error}")))?;
    for (email, name, role, municipality, school, villages) in DEMO_ACCOUNTS {
        let municipality = match municipality {
            Some(name) => municipality::Entity::find()
                .filter(municipality::Column::Name.eq(name))
                .one(db)
                .await?
                .map(|m| m.id),
            None => None,
        };
        let school = match school {
            Some(name) => school::Entity::find()
                .filter(school::Column::Name.eq(name))
                .one(db)
                .await?
                .map(|s| s.id),
            None => None,
        };
        let user = app_user::ActiveModel {
            email: Set(email.to_owned()),
            display_name: Set(name.to_owned()),
            password_hash: Set(hash.clone()),
            role: Set(role.key().to_owned()),
            region_id: Set(Some(region)),
            municipality_id: Set(municipality),
            school_id: Set(school),
            active: Set(true),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for village in villages {
            if let Some(found) = village::Entity::find()
                .filter(village::Column::Name.eq(*village))
                .one(db)
                .await?
            {
                user_village::ActiveModel {
                    user_id: Set(user.id),
                    village_id: Set(found.id),
                }
                .insert(db)
                .await?;
            }
        }
        if role == Role::Teacher
            && let Some(class) = class_code::Entity::find()
                .filter(class_code::Column::WaveId.eq(open_wave))
                .filter(class_code::Column::SchoolId.eq(school.unwrap_or_default()))
                .filter(class_code::Column::Label.eq("2A"))
                .one(db)
                .await?
        {
            let mut handed: class_code::ActiveModel = class.into();
            handed.teacher_user_id = Set(Some(user.id));
            handed.update(db).await?;
        }
    }
    Ok(())
}

/// The demo accounts that exist, for the start-up banner: e-mail and role.
pub async fn demo_accounts(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let emails: Vec<&str> = DEMO_ACCOUNTS.iter().map(|a| a.0).collect();
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.is_in(emails))
        .filter(app_user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| format!("{:<34} {}", u.email, u.role))
        .collect())
}

/// A few open class codes of the demo region, for the start-up banner.
pub async fn open_codes(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<String>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let open_waves: Vec<i32> = survey_wave::Entity::find()
        .filter(survey_wave::Column::Status.eq("open"))
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.id)
        .collect();
    let rows = class_code::Entity::find()
        .filter(class_code::Column::WaveId.is_in(open_waves))
        .order_by_asc(class_code::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut lines = Vec::new();
    for row in rows {
        let school = school::Entity::find_by_id(row.school_id).one(db).await?;
        let code = surveys::ClassCode::parse(&row.code)
            .map(|c| c.to_string())
            .unwrap_or(row.code);
        lines.push(format!(
            "{code}  {} — year {}{}",
            school.map(|s| s.name).unwrap_or_default(),
            row.school_year,
            row.label
                .map(|l| format!(", class {l}"))
                .unwrap_or_default()
        ));
    }
    Ok(lines)
}

/// How many students live in the `index`-th village of a municipality with
/// `villages` villages, relatively: the first is the main village; the last of
/// a municipality with four or more is a hamlet where only a handful of the
/// students live, so that the demo shows figures being withheld.
fn village_weight(index: usize, villages: usize) -> u32 {
    match index {
        0 => 40,
        last if villages >= 4 && last == villages - 1 => 1,
        _ => 20,
    }
}

/// The region as stored, in the shape the synthetic answers are drawn for:
/// each municipality's villages (weighted by [`village_weight`]) and every
/// school with an equal share of the students.
pub async fn synthetic_region(
    db: &impl ConnectionTrait,
) -> Result<surveys::synthetic::SyntheticRegion, DbErr> {
    use sea_orm::QueryOrder;
    use surveys::synthetic::{SyntheticMunicipality, SyntheticRegion, SyntheticSchool};
    use surveys::{MunicipalityId, SchoolId};
    let villages = village::Entity::find()
        .order_by_asc(village::Column::Id)
        .all(db)
        .await?;
    let count_in = |municipality: i32| {
        villages
            .iter()
            .filter(|v| v.municipality_id == municipality)
            .count()
    };
    let municipalities = municipality::Entity::find()
        .order_by_asc(municipality::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| SyntheticMunicipality {
            id: MunicipalityId(i64::from(m.id)),
            villages: villages
                .iter()
                .filter(|v| v.municipality_id == m.id)
                .enumerate()
                .map(|(index, v)| (v.id, village_weight(index, count_in(m.id))))
                .collect(),
        })
        .collect();
    let schools = school::Entity::find()
        .order_by_asc(school::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SyntheticSchool {
            id: SchoolId(i64::from(s.id)),
            municipality: MunicipalityId(i64::from(s.municipality_id)),
            weight: 1,
        })
        .collect();
    Ok(SyntheticRegion {
        municipalities,
        schools,
    })
}

/// Stores synthetic responses for a wave, as submissions would (random ids, no
/// class, no time), in batches within one transaction.
pub async fn insert_responses(
    db: &DatabaseConnection,
    wave_id: i32,
    responses: &[surveys::SurveyResponse],
) -> Result<(), DbErr> {
    let txn = crate::db::begin_write(db).await?;
    insert_rows(&txn, wave_id, responses).await?;
    txn.commit().await
}

async fn insert_rows(
    db: &impl ConnectionTrait,
    wave_id: i32,
    responses: &[surveys::SurveyResponse],
) -> Result<(), DbErr> {
    use crate::entities::response;
    for batch in responses.chunks(500) {
        let rows = batch
            .iter()
            .map(|r| {
                let answers = serde_json::to_string(&r.answers)
                    .map_err(|error| DbErr::Custom(format!("answers: {error}")))?;
                Ok(response::ActiveModel {
                    id: Set(uuid::Uuid::new_v4().to_string()),
                    wave_id: Set(wave_id),
                    school_id: Set(i32::try_from(r.school.0).unwrap_or(i32::MAX)),
                    school_year: Set(i16::from(r.school_year)),
                    answers: Set(answers),
                    validity_flags: Set(i32::try_from(r.validity.bits()).unwrap_or(i32::MAX)),
                })
            })
            .collect::<Result<Vec<_>, DbErr>>()?;
        response::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}
