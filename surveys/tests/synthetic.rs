//! Synthetic waves: deterministic, valid answers, and students in the schools
//! and villages of their own municipality.

use surveys::synthetic::{
    SyntheticMunicipality, SyntheticRegion, SyntheticSchool, synthetic_responses,
};
use surveys::{AnswerCode, MunicipalityId, SchoolId, SurveyResponse, ValidityFlag, standard_v1};

fn example_wave(count: usize) -> (SyntheticRegion, Vec<SurveyResponse>) {
    let region = SyntheticRegion::example();
    let responses = synthetic_responses(standard_v1(), &region, count, 2026);
    (region, responses)
}

fn village_codes(region: &SyntheticRegion, municipality: MunicipalityId) -> Vec<AnswerCode> {
    region
        .municipalities
        .iter()
        .find(|m| m.id == municipality)
        .expect("a municipality of the region")
        .villages
        .iter()
        .map(|&(code, _)| code)
        .collect()
}

#[test]
fn the_same_seed_draws_the_same_wave_and_another_seed_another() {
    let region = SyntheticRegion::example();
    let first = synthetic_responses(standard_v1(), &region, 300, 7);
    assert_eq!(first.len(), 300);
    assert_eq!(first, synthetic_responses(standard_v1(), &region, 300, 7));
    assert_ne!(first, synthetic_responses(standard_v1(), &region, 300, 8));
}

#[test]
fn every_synthetic_response_passes_the_answer_checks_of_its_municipality() {
    let questionnaire = standard_v1();
    let (region, responses) = example_wave(2_000);
    for response in &responses {
        let villages = village_codes(&region, response.municipality);
        let checked = questionnaire
            .check_response(&response.answers, &villages)
            .unwrap_or_else(|errors| panic!("{errors:?}"));
        assert_eq!(checked, response.answers, "no answer to a hidden question");
        // The time taken is not stored; whether it was too fast is.
        let mut screened = questionnaire.screen(&response.answers, 600);
        if response.validity.contains(ValidityFlag::TooFast) {
            screened.insert(ValidityFlag::TooFast);
        }
        assert_eq!(response.validity, screened);
    }
    let flagged = responses.iter().filter(|r| !r.validity.is_clean()).count();
    assert!(
        (1..=200).contains(&flagged),
        "a few responses are flagged: {flagged}"
    );
}

#[test]
fn a_synthetic_student_goes_to_a_school_of_their_municipality_in_years_one_to_four() {
    let (region, responses) = example_wave(2_000);
    for response in &responses {
        let school = region
            .schools
            .iter()
            .find(|s| s.id == response.school)
            .expect("a school of the region");
        assert_eq!(school.municipality, response.municipality);
        assert!((1..=4).contains(&response.school_year));
        assert_eq!(
            response.answers.get("school_year").copied(),
            Some(i32::from(response.school_year))
        );
    }
}

#[test]
fn a_village_of_weight_zero_is_never_named() {
    let municipality = MunicipalityId(9);
    let region = SyntheticRegion {
        municipalities: vec![SyntheticMunicipality {
            id: municipality,
            villages: vec![(11, 1), (12, 0)],
        }],
        schools: vec![SyntheticSchool {
            id: SchoolId(3),
            municipality,
            weight: 1,
        }],
    };
    let responses = synthetic_responses(standard_v1(), &region, 500, 1);
    let named = |code| {
        responses
            .iter()
            .filter(|r| r.answers.get("village") == Some(&code))
            .count()
    };
    assert!(named(11) > 400, "most live in the village: {}", named(11));
    assert_eq!(named(12), 0);
}

#[test]
fn the_example_region_has_five_municipalities_and_eight_schools() {
    let region = SyntheticRegion::example();
    assert_eq!(region.municipalities.len(), 5);
    assert_eq!(region.schools.len(), 8);
    let villages: usize = region.municipalities.iter().map(|m| m.villages.len()).sum();
    assert_eq!(villages, 21, "20 villages and the hamlet");
}
