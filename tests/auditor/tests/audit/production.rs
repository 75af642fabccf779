//! The production computation of one release, attacked: small villages,
//! small school years, a few girls, and a region the size of the demo's.

use std::time::Instant;

use disclosure_auditor::{Audit, Auditor, Finding};
use surveys::synthetic::trends::demo_wave;
use surveys::synthetic::{SyntheticMunicipality, SyntheticRegion, SyntheticSchool};
use surveys::{
    Breakdown, Gender, Group, MunicipalityId, Place, Residence, SchoolId, SuppressionThreshold,
    SurveyResponse, VillageId, compute_wave,
};

use crate::students::{Student, questionnaire, synthetic};

/// Everything one `compute_wave` releases over `responses`, as the attacker
/// sees it, attacked with the same k.
pub fn audit_one_release(responses: &[SurveyResponse], k: u32) -> Audit {
    let threshold = SuppressionThreshold::new(k).expect("a threshold the product allows");
    let results = compute_wave(questionnaire(), responses, threshold).expect("the wave computes");
    let mut auditor = Auditor::new(u64::from(k), &[responses.to_vec()], questionnaire())
        .expect("an auditor for the wave");
    auditor
        .observe_results(0, &results)
        .expect("every released figure matches the responses");
    auditor.audit()
}

/// Fails when the attack found any of `findings`, listing the first of them.
pub fn assert_none_follow<'a>(what: &str, findings: impl IntoIterator<Item = &'a Finding>) {
    let findings: Vec<&Finding> = findings.into_iter().collect();
    assert!(
        findings.is_empty(),
        "{} {what} can be worked out:\n{}",
        findings.len(),
        Audit::describe(findings.iter().copied(), 20)
    );
}

/// Students of one village of municipality 1 in school 1, half in year 2 and
/// half in year 4, of whatever gender they drew.
fn villagers(village: i32, count: usize, seed: u64) -> Vec<SurveyResponse> {
    let student = Student::living_in(village).any_gender();
    let year_two = count / 2;
    [
        synthetic(student.year(2), year_two, seed),
        synthetic(student.year(4), count - year_two, seed + 1),
    ]
    .concat()
}

/// A second municipality with its own school, so that the region is more than
/// the municipality under attack.
fn neighbours(count: usize, seed: u64) -> Vec<SurveyResponse> {
    let student = Student::living_in(201).any_gender().school(2, 2);
    [
        synthetic(student.year(2), count / 2, seed),
        synthetic(student.year(4), count - count / 2, seed + 1),
    ]
    .concat()
}

pub fn village_of_seven_beside_one_of_thirty() -> Vec<SurveyResponse> {
    [
        villagers(101, 30, 11),
        villagers(102, 7, 13),
        neighbours(40, 15),
    ]
    .concat()
}

/// Sixty students: two villages of one municipality and a neighbouring one.
pub fn wave_of_sixty() -> Vec<SurveyResponse> {
    [
        villagers(101, 36, 41),
        villagers(102, 12, 43),
        neighbours(12, 45),
    ]
    .concat()
}

fn school_with_nine_in_year_four() -> Vec<SurveyResponse> {
    let school = Student::living_in(101).any_gender();
    [
        synthetic(school.year(2), 40, 21),
        synthetic(school.year(4), 9, 22),
        neighbours(45, 23),
    ]
    .concat()
}

fn three_girls() -> Vec<SurveyResponse> {
    let school = Student::living_in(101);
    [
        synthetic(school.year(2).gender(1), 14, 31),
        synthetic(school.year(4).gender(1), 13, 32),
        synthetic(school.year(4).gender(2), 3, 33),
        neighbours(30, 34),
    ]
    .concat()
}

/// Fails listing every protected figure about the scenario's small group that
/// can be worked out.
fn assert_small_group_kept(audit: &Audit, small_group: impl Fn(&Group) -> bool) {
    assert_none_follow(
        "protected figures of the small group",
        audit.disclosures().filter(|f| small_group(&f.group)),
    );
}

fn small_scenarios() -> [(&'static str, Vec<SurveyResponse>); 3] {
    [
        (
            "a village of 7 beside one of 30",
            village_of_seven_beside_one_of_thirty(),
        ),
        ("a school with 9 in year 4", school_with_nine_in_year_four()),
        ("3 girls", three_girls()),
    ]
}

#[test]
fn a_village_of_seven_beside_one_of_thirty_cannot_be_worked_out() {
    let audit = audit_one_release(&village_of_seven_beside_one_of_thirty(), 10);
    let seven = Place::Residence(MunicipalityId(1), Residence::Village(VillageId(102)));
    assert_small_group_kept(&audit, |group| group.place == seven);
}

#[test]
fn a_school_with_nine_in_year_four_cannot_be_worked_out() {
    let audit = audit_one_release(&school_with_nine_in_year_four(), 10);
    // All nine are in municipality 1 and live in its village 101.
    assert_small_group_kept(&audit, |group| {
        group.breakdown == Breakdown::SchoolYear(4)
            && group.place != Place::Region
            && group.place != Place::Municipality(MunicipalityId(2))
            && group.place != Place::School(SchoolId(2))
    });
}

#[test]
fn three_girls_cannot_be_worked_out() {
    let audit = audit_one_release(&three_girls(), 10);
    assert_small_group_kept(&audit, |group| {
        group.breakdown == Breakdown::Gender(Gender::Girl)
    });
}

#[test]
fn no_protected_figure_of_the_small_scenarios_follows() {
    for (name, responses) in small_scenarios() {
        let audit = audit_one_release(&responses, 10);
        assert_none_follow(&format!("protected figures of {name}"), audit.disclosures());
    }
}

#[test]
fn no_hidden_figure_of_the_small_scenarios_follows_at_all() {
    for (name, responses) in small_scenarios() {
        let audit = audit_one_release(&responses, 10);
        assert_none_follow(&format!("hidden figures of {name}"), audit.determined());
    }
}

/// A region shaped like the demo's: 5 municipalities with 4, 3, 5, 6 and 3
/// villages (a main village, smaller ones, and a hamlet of a handful of
/// students in each municipality of four or more), and 8 schools.
pub fn demo_like_region() -> SyntheticRegion {
    const VILLAGES: [usize; 5] = [4, 3, 5, 6, 3];
    const SCHOOL_MUNICIPALITIES: [i64; 8] = [1, 1, 2, 3, 3, 4, 4, 5];
    let mut next_village = 1;
    let municipalities = (1..)
        .zip(VILLAGES)
        .map(|(id, villages)| SyntheticMunicipality {
            id: MunicipalityId(id),
            villages: (0..villages)
                .map(|index| {
                    let weight = match index {
                        0 => 40,
                        last if villages >= 4 && last == villages - 1 => 1,
                        _ => 20,
                    };
                    next_village += 1;
                    (next_village - 1, weight)
                })
                .collect(),
        })
        .collect();
    let schools = (1..)
        .zip(SCHOOL_MUNICIPALITIES)
        .map(|(id, municipality)| SyntheticSchool {
            id: SchoolId(id),
            municipality: MunicipalityId(municipality),
            weight: 1,
        })
        .collect();
    SyntheticRegion {
        municipalities,
        schools,
    }
}

/// The demo's 2026 wave: 2,500 students, the fifth wave of the series.
pub fn demo_like_wave() -> Vec<SurveyResponse> {
    demo_wave(questionnaire(), &demo_like_region(), 4, 2_500, 2018)
}

#[test]
fn the_demo_region_gives_no_protected_figure_away() {
    let responses = demo_like_wave();
    let started = Instant::now();
    let audit = audit_one_release(&responses, 10);
    println!(
        "audited a demo-size release ({} responses) in {:.2} s: {} hidden figures follow, {} of them protected",
        responses.len(),
        started.elapsed().as_secs_f64(),
        audit.determined().len(),
        audit.disclosures().count()
    );
    assert_none_follow("protected figures of the demo region", audit.disclosures());
}
