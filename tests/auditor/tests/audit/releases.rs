//! Several releases of one wave, attacked together: a reopen for late
//! students, and a recomputation under another k.

use std::time::Instant;

use disclosure_auditor::{Audit, Auditor, Finding, Scope};
use surveys::synthetic::trends::demo_wave;
use surveys::{SuppressionThreshold, SurveyResponse, WaveResults};

use crate::production::{
    assert_none_follow, demo_like_region, demo_like_wave, village_of_seven_beside_one_of_thirty,
    wave_of_sixty,
};
use crate::students::{Student, questionnaire, synthetic};

/// One release of a wave: the responses it is computed on, and its k.
#[derive(Debug, Clone)]
pub struct Publication {
    pub responses: Vec<SurveyResponse>,
    pub k: u32,
}

/// What the product publishes for a wave's releases, in order; `None` for a
/// release the product refuses, which publishes nothing.
///
/// Each release is decided by `surveys::compute_release` against the latest
/// one published before it. A release that would withhold figures is taken as
/// published (the coordinator may choose so): the attacker gets the most the
/// product can hand out. A release of unchanged answers under the same k is
/// refused, as the server refuses it.
pub fn publish(publications: &[Publication]) -> Vec<Option<WaveResults>> {
    let mut previous: Option<(WaveResults, surveys::ReleaseBasis)> = None;
    publications
        .iter()
        .map(|publication| {
            let k =
                SuppressionThreshold::new(publication.k).expect("a threshold the product allows");
            let computed = surveys::compute_release(
                questionnaire(),
                &publication.responses,
                k,
                previous.as_ref().map(|(results, basis)| (results, basis)),
            )
            .expect("the wave computes");
            if let Some((results, basis)) = &previous
                && computed.basis.same_counts(basis)
                && results.threshold() == k
            {
                return None;
            }
            previous = Some((computed.results.clone(), computed.basis));
            Some(computed.results)
        })
        .collect()
}

/// Every figure of every release, attacked together under the smallest k.
pub fn audit_releases(publications: &[Publication]) -> Audit {
    let k = publications.iter().map(|p| p.k).min().expect("a release");
    let states: Vec<Vec<SurveyResponse>> =
        publications.iter().map(|p| p.responses.clone()).collect();
    let mut auditor =
        Auditor::new(u64::from(k), &states, questionnaire()).expect("an auditor for the wave");
    for (release, results) in publish(publications).iter().enumerate() {
        if let Some(results) = results {
            auditor
                .observe_results(release, results)
                .expect("every released figure matches its responses");
        }
    }
    auditor.audit()
}

pub fn assert_nothing_disclosed_across(audit: &Audit) {
    // What differencing gives first: it is the attack only several releases allow.
    let mut disclosed: Vec<&Finding> = audit.disclosures().collect();
    disclosed.sort_by_key(|f| !matches!(f.scope, Scope::Added { .. }));
    assert_none_follow("protected figures of the releases together", disclosed);
}

#[test]
fn one_late_student_after_a_reopen_is_not_isolated() {
    let first = wave_of_sixty();
    let late = synthetic(Student::living_in(101).any_gender().year(4), 1, 91);
    let audit = audit_releases(&[
        Publication {
            responses: first.clone(),
            k: 10,
        },
        Publication {
            responses: [first, late].concat(),
            k: 10,
        },
    ]);
    assert_nothing_disclosed_across(&audit);
}

#[test]
fn a_second_k_over_the_same_answers_gives_nothing_away() {
    let responses = village_of_seven_beside_one_of_thirty();
    let audit = audit_releases(&[
        Publication {
            responses: responses.clone(),
            k: 10,
        },
        Publication { responses, k: 8 },
    ]);
    assert_nothing_disclosed_across(&audit);
}

#[test]
fn late_students_over_two_reopens_are_not_isolated() {
    let first = wave_of_sixty();
    let second = synthetic(Student::living_in(102).any_gender().year(2), 4, 93);
    let third = synthetic(Student::living_in(101).any_gender().year(4), 6, 95);
    let audit = audit_releases(&[
        Publication {
            responses: first.clone(),
            k: 10,
        },
        Publication {
            responses: [first.clone(), second.clone()].concat(),
            k: 10,
        },
        Publication {
            responses: [first, second, third].concat(),
            k: 10,
        },
    ]);
    assert_nothing_disclosed_across(&audit);
}

#[test]
fn the_demo_region_over_three_releases_gives_nothing_away() {
    let first = demo_like_wave();
    let late = demo_wave(questionnaire(), &demo_like_region(), 4, 30, 2027);
    let reopened = [first.clone(), late].concat();
    let publications = [
        Publication {
            responses: first,
            k: 10,
        },
        Publication {
            responses: reopened.clone(),
            k: 10,
        },
        Publication {
            responses: reopened,
            k: 12,
        },
    ];
    let started = Instant::now();
    let audit = audit_releases(&publications);
    println!(
        "audited three demo-size releases in {:.2} s: {} hidden figures follow, {} of them protected",
        started.elapsed().as_secs_f64(),
        audit.determined().len(),
        audit.disclosures().count()
    );
    assert_nothing_disclosed_across(&audit);
}
