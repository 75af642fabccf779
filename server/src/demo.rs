//! The fictional demo region, loaded into an empty database so that a first
//! start shows a living product. Every name is invented; nothing here is real.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, Set,
    TransactionTrait,
};

use crate::entities::{class_code, municipality, region, school, survey_wave, village};
use crate::survey::codes::{self, NewClass};

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
pub const QUESTIONNAIRE: &str = "standard-v1";

/// Loads the demo region when the database holds no region yet.
/// Returns whether it did.
pub async fn load_if_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    if region::Entity::find().count(&txn).await? > 0 {
        return Ok(false);
    }
    load(&txn).await?;
    txn.commit().await?;
    Ok(true)
}

async fn load(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    let region = region::ActiveModel {
        name: Set(REGION_NAME.to_owned()),
        suppression_k: Set(10),
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
        name: Set("Peiling 2026".to_owned()),
        year: Set(2026),
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
                },
            )
            .await?;
        }
    }
    Ok(())
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
