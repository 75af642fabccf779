//! Random small regions and random sequences of releases — reopens with late
//! answers, changes of k — attacked together.

use proptest::prelude::*;
use surveys::synthetic::trends::demo_wave;
use surveys::synthetic::{SyntheticMunicipality, SyntheticRegion, SyntheticSchool};
use surveys::{MunicipalityId, SchoolId, SurveyResponse};

use crate::releases::{Publication, assert_nothing_disclosed_across, audit_releases};
use crate::students::questionnaire;

/// What happens to a wave after its first release.
#[derive(Debug, Clone)]
enum Step {
    /// Reopened for late students, then released again.
    Reopen { late: usize },
    /// The same answers released again under another k.
    ChangeK { k: u32 },
}

#[derive(Debug, Clone)]
struct Plan {
    region: SyntheticRegion,
    students: usize,
    k: u32,
    steps: Vec<Step>,
    seed: u64,
}

/// 1–3 municipalities of 1–4 villages of random sizes, 1–3 schools each in one
/// of them.
fn regions() -> impl Strategy<Value = SyntheticRegion> {
    let municipality = prop::collection::vec(1u32..20, 1..=4);
    (
        prop::collection::vec(municipality, 1..=3),
        prop::collection::vec(0usize..3, 1..=3),
    )
        .prop_map(|(villages, schools)| {
            let municipalities = villages.len();
            SyntheticRegion {
                municipalities: (1..)
                    .zip(villages)
                    .map(|(id, weights)| SyntheticMunicipality {
                        id: MunicipalityId(id),
                        villages: (0..)
                            .zip(weights)
                            .map(|(v, weight)| (id as i32 * 100 + v, weight))
                            .collect(),
                    })
                    .collect(),
                schools: (1..)
                    .zip(schools)
                    .map(|(id, municipality)| SyntheticSchool {
                        id: SchoolId(id),
                        municipality: MunicipalityId((municipality % municipalities) as i64 + 1),
                        weight: 1,
                    })
                    .collect(),
            }
        })
}

fn steps() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1usize..=15).prop_map(|late| Step::Reopen { late }),
        (5u32..=15).prop_map(|k| Step::ChangeK { k }),
    ]
}

fn plans() -> impl Strategy<Value = Plan> {
    (
        regions(),
        20usize..=120,
        5u32..=15,
        prop::collection::vec(steps(), 1..=3),
        any::<u64>(),
    )
        .prop_map(|(region, students, k, steps, seed)| Plan {
            region,
            students,
            k,
            steps,
            seed,
        })
}

/// The releases a plan makes: its first release, then one per step.
fn publications(plan: &Plan) -> Vec<Publication> {
    let mut responses: Vec<SurveyResponse> =
        demo_wave(questionnaire(), &plan.region, 0, plan.students, plan.seed);
    let mut k = plan.k;
    let mut publications = vec![Publication {
        responses: responses.clone(),
        k,
    }];
    for (step, change) in (1u64..).zip(&plan.steps) {
        match *change {
            Step::Reopen { late } => {
                // Other seeds draw other students over the same region.
                let seed = plan
                    .seed
                    .wrapping_add(step.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                responses.extend(demo_wave(questionnaire(), &plan.region, 0, late, seed));
            }
            Step::ChangeK { k: next } => k = next,
        }
        publications.push(Publication {
            responses: responses.clone(),
            k,
        });
    }
    publications
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn no_sequence_of_releases_gives_a_protected_figure_away(plan in plans()) {
        assert_nothing_disclosed_across(&audit_releases(&publications(&plan)));
    }
}
