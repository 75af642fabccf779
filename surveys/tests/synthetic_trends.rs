//! The demo's synthetic waves: plausible levels by school year, villages that
//! differ, and trends over the waves in the direction the demo tells.

use surveys::synthetic::SyntheticRegion;
use surveys::synthetic::trends::{SCHOOL_YEARS, demo_wave, village_effect};
use surveys::{AnswerCode, SurveyResponse, ValidityFlag, standard_v1};

const SEED: u64 = 2018;

fn wave(number: u32, count: usize) -> Vec<SurveyResponse> {
    demo_wave(
        standard_v1(),
        &SyntheticRegion::example(),
        number,
        count,
        SEED,
    )
}

/// The share of valid responses matching `keep` that fall in the indicator's
/// numerator, counting a question the route skipped as "no" where the
/// indicator says so.
fn share(
    responses: &[SurveyResponse],
    indicator: &str,
    keep: impl Fn(&SurveyResponse) -> bool,
) -> f64 {
    let indicator = standard_v1()
        .indicators()
        .iter()
        .find(|i| i.key == indicator)
        .expect("an indicator of the standard questionnaire");
    let (mut yes, mut all) = (0u32, 0u32);
    for response in responses
        .iter()
        .filter(|r| r.validity.is_clean() && keep(r))
    {
        match response.answers.get(&indicator.item) {
            Some(code) => {
                all += 1;
                yes += u32::from(indicator.numerator.contains(code));
            }
            None if indicator.not_shown_counts_as_no => all += 1,
            None => {}
        }
    }
    f64::from(yes) / f64::from(all.max(1))
}

fn in_year(year: u8) -> impl Fn(&SurveyResponse) -> bool {
    move |r| r.school_year == year
}

#[test]
fn a_demo_wave_is_the_same_for_the_same_seed() {
    let region = SyntheticRegion::example();
    let first = demo_wave(standard_v1(), &region, 2, 200, 5);
    assert_eq!(first, demo_wave(standard_v1(), &region, 2, 200, 5));
    assert_ne!(first, demo_wave(standard_v1(), &region, 3, 200, 5));
}

#[test]
fn students_are_in_the_second_and_fourth_school_year_and_pass_the_checks() {
    let questionnaire = standard_v1();
    let region = SyntheticRegion::example();
    let responses = wave(0, 2_000);
    for response in &responses {
        assert!(SCHOOL_YEARS.contains(&AnswerCode::from(response.school_year)));
        let villages: Vec<AnswerCode> = region
            .municipalities
            .iter()
            .find(|m| m.id == response.municipality)
            .unwrap()
            .villages
            .iter()
            .map(|v| v.0)
            .collect();
        let checked = questionnaire
            .check_response(&response.answers, &villages)
            .unwrap_or_else(|errors| panic!("{errors:?}"));
        assert_eq!(checked, response.answers);
    }
    let inconsistent = responses
        .iter()
        .filter(|r| r.validity.contains(ValidityFlag::RecentAboveLifetime))
        .count();
    assert!(
        inconsistent <= 40,
        "recent use above lifetime use stays rare: {inconsistent}"
    );
}

#[test]
fn the_first_wave_has_plausible_levels_by_school_year() {
    let responses = wave(0, 20_000);
    let drunk_4 = share(&responses, "drunk_30d", in_year(4));
    let drunk_2 = share(&responses, "drunk_30d", in_year(2));
    assert!(
        (0.19..=0.27).contains(&drunk_4),
        "drunk in the last 30 days, year 4: {drunk_4}"
    );
    assert!(drunk_2 < 0.08, "year 2 drinks far less: {drunk_2}");
    let ever_4 = share(&responses, "alcohol_lifetime", in_year(4));
    assert!(
        (0.60..=0.76).contains(&ever_4),
        "ever drunk alcohol, year 4: {ever_4}"
    );
    let sport = share(&responses, "sport_club_weekly", |_| true);
    assert!(
        (0.50..=0.65).contains(&sport),
        "sport at a club weekly: {sport}"
    );
}

#[test]
fn use_falls_vaping_rises_and_protection_grows_over_the_waves() {
    let first = wave(0, 15_000);
    let last = wave(4, 15_000);
    let all = |_: &SurveyResponse| true;
    let change = |indicator: &str| share(&last, indicator, all) - share(&first, indicator, all);
    assert!(
        change("drunk_30d") < -0.02,
        "drunkenness falls: {}",
        change("drunk_30d")
    );
    assert!(
        change("alcohol_30d") < -0.03,
        "drinking falls: {}",
        change("alcohol_30d")
    );
    assert!(
        change("vape_30d") > 0.02,
        "vaping rises: {}",
        change("vape_30d")
    );
    assert!(
        change("parents_know_where") > 0.03,
        "monitoring grows: {}",
        change("parents_know_where")
    );
}

#[test]
fn villages_differ_from_each_other() {
    let effects: Vec<f64> = (101..=106).map(|code| village_effect(code, SEED)).collect();
    assert!(effects.iter().all(|e| (-0.3..=0.3).contains(e)));
    let spread = effects.iter().cloned().fold(f64::MIN, f64::max)
        - effects.iter().cloned().fold(f64::MAX, f64::min);
    assert!(
        spread > 0.1,
        "the villages of a municipality are not alike: {effects:?}"
    );

    // The village that fares worst drinks more than the one that fares best.
    let responses = wave(0, 30_000);
    let (best, worst) = {
        let mut by_effect: Vec<(AnswerCode, f64)> =
            (101..=106).map(|c| (c, village_effect(c, SEED))).collect();
        by_effect.sort_by(|a, b| a.1.total_cmp(&b.1));
        (by_effect[0].0, by_effect[5].0)
    };
    let lives_in = |code: AnswerCode| {
        move |r: &SurveyResponse| r.answers.get(&surveys::ItemKey::new("village")) == Some(&code)
    };
    let best_share = share(&responses, "alcohol_30d", lives_in(best));
    let worst_share = share(&responses, "alcohol_30d", lives_in(worst));
    assert!(worst_share > best_share, "{worst_share} > {best_share}");
}
