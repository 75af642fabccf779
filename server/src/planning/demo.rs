//! The demo's prevention plans: goals set after the 2020 and 2022 waves on
//! Heidebroek's released figures, with actions and the cycle's steps, so that
//! every status can be seen at once. Goals are chosen from the released
//! figures by the same rule the pages use, so each shows the status it was
//! chosen for.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};
use surveys::planning::{Goal, GoalStatus, Observation};
use surveys::{Group, Release, Share};

use super::{PlanningPlace, planning_place};
use crate::dashboard::waves::{ResultsCache, ShownWave, shown_waves};
use crate::dashboard::{Places, WHO};
use crate::entities::{app_user, cycle_step, goal, prevention_action, survey_wave};

/// The goals the demo looks for: the place, the status wanted, and the
/// baseline year.
const WANTED: [(&str, GoalStatus, i32); 6] = [
    ("municipality", GoalStatus::Achieved, 2020),
    ("municipality", GoalStatus::OffCourse, 2020),
    ("municipality", GoalStatus::OnCourse, 2022),
    ("village", GoalStatus::Achieved, 2022),
    ("village", GoalStatus::NotMeasurable, 2022),
    ("school", GoalStatus::TooEarly, 2026),
];

/// A goal the demo found: where, on what, from which figure to which target.
struct Found {
    place: PlanningPlace,
    indicator: String,
    who: &'static str,
    baseline: (ShownWave, Share),
    target: f64,
    target_year: i32,
    domain: &'static str,
}

/// Seeds the plans; does nothing when the demo's places are not there.
pub async fn seed(db: &DatabaseConnection) -> Result<(), DbErr> {
    let Some(places) = Places::load(db).await? else {
        return Ok(());
    };
    let waves = shown_waves(db, &ResultsCache::default())
        .await
        .map_err(|error| DbErr::Custom(format!("demo plans: {error}")))?;
    let Some(municipality) = places
        .municipalities
        .iter()
        .find(|m| m.name == "Heidebroek")
    else {
        return Ok(());
    };
    let candidates = |kind: &str| -> Vec<PlanningPlace> {
        let names: Vec<String> = match kind {
            "municipality" => vec![format!("municipality-{}", municipality.id)],
            "village" => places
                .villages
                .iter()
                .filter(|v| v.municipality_id == municipality.id)
                .map(|v| format!("village-{}", v.id))
                .collect(),
            _ => places
                .schools
                .iter()
                .filter(|s| s.municipality_id == municipality.id)
                .map(|s| format!("school-{}", s.id))
                .collect(),
        };
        names
            .iter()
            .filter_map(|n| planning_place(&places, n))
            .collect()
    };
    let mut found: Vec<Found> = Vec::new();
    for (kind, status, year) in WANTED {
        let taken: Vec<(String, String)> = found
            .iter()
            .map(|f| (f.place.name.clone(), f.indicator.clone()))
            .collect();
        if let Some(goal) = candidates(kind)
            .into_iter()
            .find_map(|place| search(&waves, place, status, year, &taken))
        {
            found.push(goal);
        }
    }
    let author = app_user::Entity::find()
        .filter(app_user::Column::Email.eq("gemeente@heidebroek.example"))
        .one(db)
        .await?
        .map(|u| u.id);
    let txn = crate::db::begin_write(db).await?;
    let now = Utc::now();
    let rationales = [
        "Afgesproken in de raad na de peiling; past bij het lokale preventieakkoord.",
        "Ouders en sportverenigingen willen hier samen op inzetten.",
        "Jongerenwerk ziet dit terug in de kernen.",
    ];
    for (index, f) in found.iter().enumerate() {
        let (wave, share) = &f.baseline;
        let stored = goal::ActiveModel {
            place: Set(f.place.name.clone()),
            municipality_id: Set(f.place.municipality),
            indicator: Set(f.indicator.clone()),
            breakdown: Set(f.who.to_owned()),
            domain: Set(f.domain.to_owned()),
            baseline_wave_id: Set(wave.id),
            baseline_release: Set(wave.release),
            baseline_year: Set(wave.year),
            baseline_numerator: Set(i64::try_from(share.numerator()).unwrap_or(i64::MAX)),
            baseline_denominator: Set(i64::try_from(share.denominator()).unwrap_or(i64::MAX)),
            target_percent: Set(f.target),
            target_year: Set(f.target_year),
            rationale: Set(rationales[index % rationales.len()].to_owned()),
            created_by: Set(author),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let nth = found[..index]
            .iter()
            .filter(|g| g.domain == f.domain)
            .count();
        for (title, organisation, status, starts, ends, budget) in
            actions_for(f.domain, nth, wave.year)
        {
            prevention_action::ActiveModel {
                place: Set(f.place.name.clone()),
                municipality_id: Set(f.place.municipality),
                goal_id: Set(Some(stored.id)),
                domain: Set(f.domain.to_owned()),
                title: Set(title.to_owned()),
                description: Set(format!("{title} ({organisation}).")),
                organisation: Set(organisation.to_owned()),
                starts_on: Set(starts),
                ends_on: Set(ends),
                status: Set(status.to_owned()),
                budget_euros: Set(budget),
                factors: Set(String::new()),
                updated_by: Set(author),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    // The cycle: Heidebroek went round fully for 2026 and is under way for
    // the open wave; Lindenmaar is half way through 2026.
    let all_waves = survey_wave::Entity::find().all(&txn).await?;
    let wave_of = |year: i32| all_waves.iter().find(|w| w.year == year).map(|w| w.id);
    let lindenmaar = places
        .municipalities
        .iter()
        .find(|m| m.name == "Lindenmaar")
        .map(|m| m.id);
    let plans = [
        (Some(municipality.id), wave_of(2026), 10),
        (Some(municipality.id), wave_of(crate::demo::OPEN_YEAR), 4),
        (lindenmaar, wave_of(2026), 6),
    ];
    for (municipality, wave, done) in plans {
        let (Some(municipality), Some(wave)) = (municipality, wave) else {
            continue;
        };
        let year = all_waves
            .iter()
            .find(|w| w.id == wave)
            .map_or(2026, |w| w.year);
        for step in 1..=done {
            cycle_step::ActiveModel {
                municipality_id: Set(municipality),
                wave_id: Set(wave),
                step: Set(step),
                done_on: Set(NaiveDate::from_ymd_opt(year - 1, 9, 1)
                    .map(|d| d + chrono::Duration::weeks(i64::from(step) * 3))),
                owner: Set("Beleidsteam jeugd (demo)".to_owned()),
                note: Set(String::new()),
                updated_by: Set(author),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await
}

/// Things done in each domain, for the demo's actions: title and organisation.
const DEMO_ACTIONS: [(&str, [(&str, &str); 6]); 4] = [
    (
        "parents",
        [
            (
                "Ouderavonden over alcohol en toezicht",
                "GGD Heuvelland (demo)",
            ),
            (
                "Ouderakkoord: geen alcohol onder de 18",
                "Oudervereniging (demo)",
            ),
            ("Thuisbezoeken bij gezinnen met zorgen", "Jeugdteam (demo)"),
            ("Ouderbrief na elke peiling", "Gemeente Heidebroek (demo)"),
            (
                "Cursus grenzen stellen in de puberteit",
                "Opvoedpunt (demo)",
            ),
            ("Samen-eten-week", "Buurtcentrum (demo)"),
        ],
    ),
    (
        "peers",
        [
            (
                "Peer-educatie in de onderbouw",
                "Jongerenwerk Heidebroek (demo)",
            ),
            ("Rolmodellen uit de sportclub", "Sportvereniging (demo)"),
            (
                "Vriendengroepen in de zomer",
                "Jongerenwerk Heidebroek (demo)",
            ),
            ("Jongerenraad kiest de acties", "Gemeente Heidebroek (demo)"),
            ("Buddyproject voor nieuwkomers", "Welzijnswerk (demo)"),
            (
                "Feest zonder alcohol, door jongeren",
                "Jongerencentrum (demo)",
            ),
        ],
    ),
    (
        "school",
        [
            ("Rookvrij schoolterrein", "Heidecollege (demo)"),
            ("Lessen weerbaarheid", "Heidecollege (demo)"),
            ("Mentoruur over middelen", "Heidecollege (demo)"),
            ("Vapebeleid op school", "Westdorp Lyceum (demo)"),
            ("Schoolbrede gezondheidsweek", "GGD Heuvelland (demo)"),
            ("Leerlingpanel over welzijn", "Heidecollege (demo)"),
        ],
    ),
    (
        "leisure",
        [
            (
                "Sport- en cultuurpas voor elk kind",
                "Gemeente Heidebroek (demo)",
            ),
            ("Jongerenavonden zonder alcohol", "Jongerencentrum (demo)"),
            ("Gratis proeflessen bij clubs", "Sportvereniging (demo)"),
            ("Muziekstudio in het dorpshuis", "Dorpshuis (demo)"),
            (
                "Trainerscursus alcoholvrij sporten",
                "Sportvereniging (demo)",
            ),
            (
                "Zomerprogramma in de kernen",
                "Jongerenwerk Heidebroek (demo)",
            ),
        ],
    ),
];

/// A demo action: title, organisation, status, start, end and budget.
type DemoAction = (
    &'static str,
    &'static str,
    &'static str,
    NaiveDate,
    Option<NaiveDate>,
    Option<i64>,
);

/// The `nth` goal of a domain gets two actions of that domain: one done, one
/// running.
fn actions_for(domain: &str, nth: usize, year: i32) -> [DemoAction; 2] {
    let day = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
    let pool = DEMO_ACTIONS
        .iter()
        .find(|(d, _)| *d == domain)
        .map_or(&DEMO_ACTIONS[0].1, |(_, pool)| pool);
    let first = pool[(2 * nth) % pool.len()];
    let second = pool[(2 * nth + 1) % pool.len()];
    [
        (
            first.0,
            first.1,
            "done",
            day(year, 9),
            Some(day(year + 1, 6)),
            Some(12_000),
        ),
        (second.0, second.1, "running", day(year + 1, 9), None, None),
    ]
}

/// A goal on `place` whose status by the latest wave is `status`, set on a
/// released figure of `year` (or none).
fn search(
    waves: &[ShownWave],
    place: PlanningPlace,
    status: GoalStatus,
    year: i32,
    taken: &[(String, String)],
) -> Option<Found> {
    let base = waves.iter().find(|w| w.year == year)?;
    let latest = waves.last()?;
    for indicator in base.questionnaire.indicators() {
        if taken.contains(&(place.name.clone(), indicator.key.clone())) {
            continue;
        }
        for (who, breakdown) in WHO {
            let group = Group::new(place.community.place, breakdown);
            let Some(Release::Released(baseline)) = base.results.share(&group, &indicator.key)
            else {
                continue;
            };
            // Goals on figures of a few percent read oddly in a demo.
            let Some(start) = baseline.percent().filter(|p| *p >= 8.0) else {
                continue;
            };
            let observed = latest.results.share(&group, &indicator.key);
            let observation = match observed {
                _ if latest.year <= year => Observation::NoLaterWave,
                Some(Release::Released(share)) => Observation::Released {
                    year: latest.year,
                    share,
                },
                _ => Observation::Withheld { year: latest.year },
            };
            let better = |points: f64| {
                if indicator.direction.higher_is_better() {
                    (start + points).min(100.0)
                } else {
                    (start - points).max(0.0)
                }
            };
            // Targets worth trying for each status: the latest figure itself
            // (reached exactly), or a step beyond the baseline.
            let latest_percent = match observation {
                Observation::Released { share, .. } => share.percent(),
                _ => None,
            };
            // A round target between the baseline and the latest figure.
            let rounded = |p: f64, step: f64| {
                if indicator.direction.higher_is_better() {
                    (p / step).floor() * step
                } else {
                    (p / step).ceil() * step
                }
            };
            let (targets, target_year): (Vec<f64>, i32) = match status {
                GoalStatus::Achieved => (
                    latest_percent
                        .into_iter()
                        .flat_map(|p| [rounded(p, 5.0), rounded(p, 1.0)])
                        .collect(),
                    latest.year,
                ),
                GoalStatus::OffCourse => (vec![rounded(better(6.0), 1.0)], latest.year),
                GoalStatus::OnCourse => (
                    vec![rounded(better(4.0), 1.0), rounded(better(6.0), 1.0)],
                    latest.year + 4,
                ),
                GoalStatus::NotMeasurable | GoalStatus::TooEarly => {
                    (vec![rounded(better(4.0), 1.0)], year + 4)
                }
            };
            for target in targets {
                // One decimal, rounded towards the easier side so that a
                // target taken from a figure is still reached by it.
                let target = if indicator.direction.higher_is_better() {
                    (target * 10.0).floor() / 10.0
                } else {
                    (target * 10.0).ceil() / 10.0
                };
                let Ok(goal) = Goal::new(baseline, year, target, target_year, indicator.direction)
                else {
                    continue;
                };
                if goal.progress(observation).status == status {
                    let school = matches!(place.target, crate::auth::authz::Target::School { .. });
                    return Some(Found {
                        place,
                        indicator: indicator.key.clone(),
                        who,
                        baseline: (base.clone(), baseline),
                        target,
                        target_year,
                        domain: if school {
                            "school"
                        } else {
                            super::goals::default_domain(indicator.domain)
                        },
                    });
                }
            }
        }
    }
    None
}
