//! A wave's figures from stored responses: named situations, exclusions, routing,
//! comparisons, trends, response rates, JSON, and random regions whose released
//! figures are attacked with the independent checker of `common::derivation`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::answers;
use proptest::prelude::*;
use surveys::wave::{ClassTally, ResponseRate, change, may_trend, response_rates};
use surveys::{
    Breakdown, Gender, Group, MunicipalityId, Partition, Place, Questionnaire, Release, Residence,
    SchoolId, Share, Standing, SuppressionReason, SuppressionThreshold, SurveyResponse, Trend,
    ValidityFlag, ValidityFlags, VillageId, WaveResults, compute_release, compute_wave,
    standard_v1,
};

const M: MunicipalityId = MunicipalityId(1);
const SCHOOL: SchoolId = SchoolId(1);

/// What a test says about one student; the answers follow the standard
/// questionnaire's routing (only drinkers are asked about being drunk).
#[derive(Debug, Clone, Copy)]
struct Student {
    municipality: MunicipalityId,
    school: SchoolId,
    year: u8,
    gender: Option<i32>,
    /// Village answer code; `Some(0)` is "elsewhere".
    village: Option<i32>,
    drank: bool,
    drunk: bool,
}

impl Student {
    fn in_village(village: i32) -> Student {
        Student {
            municipality: M,
            school: SCHOOL,
            year: 2,
            gender: Some(1),
            village: Some(village),
            drank: false,
            drunk: false,
        }
    }

    fn response(self) -> SurveyResponse {
        let mut pairs = vec![
            ("school_year", i32::from(self.year)),
            ("alcohol_lifetime", if self.drank { 2 } else { 0 }),
            ("alcohol_30d", i32::from(self.drank)),
        ];
        if self.drank {
            pairs.push(("drunk_30d", i32::from(self.drunk)));
        }
        if let Some(gender) = self.gender {
            pairs.push(("gender", gender));
        }
        if let Some(village) = self.village {
            pairs.push(("village", village));
        }
        SurveyResponse {
            municipality: self.municipality,
            school: self.school,
            school_year: self.year,
            answers: answers(&pairs),
            validity: ValidityFlags::NONE,
        }
    }
}

/// `n` students of one village, the first `drinkers` of whom have drunk.
fn village(code: i32, n: usize, drinkers: usize) -> Vec<SurveyResponse> {
    (0..n)
        .map(|i| {
            Student {
                drank: i < drinkers,
                ..Student::in_village(code)
            }
            .response()
        })
        .collect()
}

fn wave(responses: &[SurveyResponse]) -> WaveResults {
    compute_wave(standard_v1(), responses, SuppressionThreshold::DEFAULT)
        .expect("the wave's groups add up")
}

fn residence(village: i64) -> Place {
    Place::Residence(M, Residence::Village(VillageId(village)))
}

fn respondents(results: &WaveResults, group: Group) -> Release<u64> {
    results
        .respondents(&group)
        .unwrap_or_else(|| panic!("{group} has figures"))
}

fn share(results: &WaveResults, group: Group, indicator: &str) -> Release<Share> {
    results
        .share(&group, indicator)
        .unwrap_or_else(|| panic!("{group} has {indicator}"))
}

fn counts(numerator: u64, denominator: u64) -> Share {
    Share::new(numerator, denominator).expect("a share")
}

const TOO_FEW: Release<u64> = Release::Suppressed(SuppressionReason::TooFewRespondents);
const PROTECTS: Release<u64> = Release::Suppressed(SuppressionReason::ProtectsAnotherFigure);

#[test]
fn a_village_of_seven_respondents_is_suppressed_with_everything_it_counts() {
    let responses = [village(11, 7, 2), village(12, 40, 10), village(13, 60, 20)].concat();
    let results = wave(&responses);
    let seven = Group::all(residence(11));
    assert_eq!(respondents(&results, seven), TOO_FEW);
    assert!(share(&results, seven, "alcohol_lifetime").is_suppressed());
    assert!(
        results
            .interval(&seven, "alcohol_lifetime")
            .expect("the group has the indicator")
            .is_suppressed()
    );
    let in_year_two = Group::new(residence(11), Breakdown::SchoolYear(2));
    assert_eq!(respondents(&results, in_year_two), TOO_FEW);
    // Otherwise 107 − 40 − 60 gives the seven away.
    assert_eq!(respondents(&results, Group::all(residence(12))), PROTECTS);
    assert_eq!(
        respondents(&results, Group::all(residence(13))),
        Release::Released(60)
    );
    assert_eq!(
        respondents(&results, Group::all(Place::Municipality(M))),
        Release::Released(107)
    );
    assert_eq!(
        share(
            &results,
            Group::all(Place::Municipality(M)),
            "alcohol_lifetime"
        ),
        Release::Released(counts(32, 107))
    );
}

#[test]
fn a_municipality_with_two_villages_one_small_hides_the_other_village_too() {
    let responses = [village(21, 6, 1), village(22, 44, 12)].concat();
    let results = wave(&responses);
    assert_eq!(respondents(&results, Group::all(residence(21))), TOO_FEW);
    assert_eq!(respondents(&results, Group::all(residence(22))), PROTECTS);
    assert!(share(&results, Group::all(residence(22)), "alcohol_lifetime").is_suppressed());
    assert_eq!(
        share(
            &results,
            Group::all(Place::Municipality(M)),
            "alcohol_lifetime"
        ),
        Release::Released(counts(13, 50))
    );
}

#[test]
fn gender_other_with_three_respondents_hides_the_next_smallest_gender_too() {
    let with_gender = |gender, n| {
        (0..n).map(move |i| {
            Student {
                gender: Some(gender),
                drank: i % 3 == 0,
                ..Student::in_village(31)
            }
            .response()
        })
    };
    let responses: Vec<SurveyResponse> = with_gender(1, 60)
        .chain(with_gender(2, 55))
        .chain(with_gender(3, 3))
        .collect();
    let results = wave(&responses);
    for place in [
        Place::Region,
        Place::Municipality(M),
        residence(31),
        Place::School(SCHOOL),
    ] {
        let by = |gender| Group::new(place, Breakdown::Gender(gender));
        assert_eq!(
            respondents(&results, by(Gender::Other)),
            TOO_FEW,
            "{place:?}"
        );
        assert_eq!(
            respondents(&results, by(Gender::Girl)),
            PROTECTS,
            "{place:?}"
        );
        assert_eq!(
            respondents(&results, by(Gender::Boy)),
            Release::Released(60)
        );
        assert_eq!(
            respondents(&results, Group::all(place)),
            Release::Released(118)
        );
    }
}

#[test]
fn a_small_school_is_not_given_away_by_its_municipality_minus_its_other_school() {
    let at = |municipality, school, n| {
        (0..n).map(move |_| {
            Student {
                municipality: MunicipalityId(municipality),
                school: SchoolId(school),
                ..Student::in_village(0)
            }
            .response()
        })
    };
    let responses: Vec<SurveyResponse> = at(1, 1, 6)
        .chain(at(1, 2, 40))
        .chain(at(2, 3, 7))
        .chain(at(2, 4, 50))
        .collect();
    let results = wave(&responses);
    let school = |s| Group::all(Place::School(SchoolId(s)));
    assert_eq!(respondents(&results, school(1)), TOO_FEW);
    assert_eq!(respondents(&results, school(3)), TOO_FEW);
    assert_eq!(
        respondents(&results, Group::all(Place::Municipality(MunicipalityId(1)))),
        Release::Released(46)
    );
    // 46 − 40 would give the six away.
    assert_eq!(respondents(&results, school(2)), PROTECTS);
}

#[test]
fn excluded_responses_are_counted_per_reason_and_left_out_of_every_figure() {
    let mut responses = village(41, 30, 6);
    let flagged = |flags: &[ValidityFlag]| SurveyResponse {
        validity: flags.iter().copied().collect(),
        ..Student {
            drank: true,
            ..Student::in_village(41)
        }
        .response()
    };
    responses.push(flagged(&[ValidityFlag::FictitiousDrug]));
    responses.push(flagged(&[ValidityFlag::FictitiousDrug]));
    responses.push(flagged(&[
        ValidityFlag::TooFast,
        ValidityFlag::StraightLined,
    ]));
    let results = wave(&responses);
    let exclusions = results.exclusions();
    assert_eq!(exclusions.submitted, 33);
    assert_eq!(exclusions.excluded, 3);
    assert_eq!(exclusions.valid(), 30);
    let by_reason: Vec<(&str, u64)> = exclusions
        .by_reason
        .iter()
        .map(|(flag, n)| (flag.key(), *n))
        .collect();
    assert_eq!(
        by_reason,
        [
            ("fictitious_drug", 2),
            ("recent_above_lifetime", 0),
            ("age_for_school_year", 0),
            ("straight_lined", 1),
            ("too_fast", 1),
        ]
    );
    let region = Group::all(Place::Region);
    assert_eq!(respondents(&results, region), Release::Released(30));
    assert_eq!(
        share(&results, region, "alcohol_lifetime"),
        Release::Released(counts(6, 30))
    );
}

#[test]
fn students_routed_past_an_item_count_as_no_only_where_the_indicator_says_so() {
    // 20 drinkers (5 of them drunk lately) and 20 who never drank: those are
    // never asked about being drunk.
    let responses: Vec<SurveyResponse> = (0..40)
        .map(|i| {
            Student {
                drank: i < 20,
                drunk: i < 5,
                ..Student::in_village(51)
            }
            .response()
        })
        .collect();
    let results = wave(&responses);
    let region = Group::all(Place::Region);
    // drunk_30d is a share of all students.
    assert_eq!(
        share(&results, region, "drunk_30d"),
        Release::Released(counts(5, 40))
    );
    // Never-drinkers count as "no" for a first drink by 13; drinkers who
    // skipped the question do not count at all.
    let first_drink = standard_v1()
        .indicator("first_drink_by_13")
        .expect("the standard questionnaire has it");
    let counted: Vec<bool> = responses
        .iter()
        .filter_map(|r| standard_v1().evaluate(first_drink, &r.answers))
        .collect();
    assert_eq!(
        (counted.len(), counted.iter().filter(|&&yes| yes).count()),
        (20, 0)
    );
    // Nobody of them, so the share itself is not shown.
    assert_eq!(
        share(&results, region, "first_drink_by_13"),
        Release::Suppressed(SuppressionReason::AnswersTooAlike)
    );
    // Without that rule, only those shown the item and answering it count.
    let mini = |text: &str| Questionnaire::load("mini.toml", text).expect("mini loads");
    let vapers = |n: usize, now: i32, lifetime: i32| {
        (0..n).map(move |_| SurveyResponse {
            answers: answers(&[
                ("school_year", 2),
                ("vape_lifetime", lifetime),
                ("vape_now", now),
            ]),
            ..Student::in_village(51).response()
        })
    };
    let responses: Vec<SurveyResponse> = vapers(5, 1, 2)
        .chain(vapers(10, 0, 2))
        .chain(vapers(25, 0, 0))
        .collect();
    let vape_now = |questionnaire: &Questionnaire| {
        compute_wave(questionnaire, &responses, SuppressionThreshold::DEFAULT)
            .expect("the wave adds up")
            .share(&region, "vape_now")
    };
    assert_eq!(
        vape_now(&common::mini()),
        Some(Release::Released(counts(5, 40)))
    );
    let asked_only = common::mini_with("not_shown_counts_as_no = true", "");
    assert_eq!(
        vape_now(&mini(&asked_only)),
        Some(Release::Released(counts(5, 15)))
    );
}

#[test]
fn skipping_the_village_and_gender_questions_puts_students_in_unknown_groups() {
    let mut responses = village(61, 30, 5);
    responses.extend((0..12).map(|_| {
        Student {
            village: None,
            gender: None,
            ..Student::in_village(61)
        }
        .response()
    }));
    responses.extend((0..15).map(|_| {
        Student {
            village: Some(0),
            ..Student::in_village(61)
        }
        .response()
    }));
    let results = wave(&responses);
    let place = |residence| Group::all(Place::Residence(M, residence));
    assert_eq!(
        respondents(&results, place(Residence::Unknown)),
        Release::Released(12)
    );
    assert_eq!(
        respondents(&results, place(Residence::Elsewhere)),
        Release::Released(15)
    );
    assert_eq!(
        respondents(
            &results,
            Group::new(Place::Region, Breakdown::Gender(Gender::Unknown))
        ),
        Release::Released(12)
    );
}

#[test]
fn every_place_and_breakdown_with_respondents_is_a_group() {
    let mut responses = village(71, 20, 5);
    responses.extend((0..20).map(|_| {
        Student {
            gender: Some(2),
            year: 4,
            ..Student::in_village(72)
        }
        .response()
    }));
    let results = wave(&responses);
    // Places: region, municipality, two villages, one school. Breakdowns: all,
    // years 2 and 4, boys and girls; but each village has one year and one
    // gender only.
    let whole_places = 3 * (1 + 2 + 2);
    let villages = 2 * (1 + 1 + 1);
    assert_eq!(results.group_count(), whole_places + villages);
    assert!(
        results
            .group(&Group::new(residence(71), Breakdown::SchoolYear(4)))
            .is_none()
    );
}

#[test]
fn results_survive_json_with_stable_group_names() {
    let responses = [village(11, 7, 2), village(12, 40, 10), village(13, 60, 20)].concat();
    let results = wave(&responses);
    let json = serde_json::to_string(&results).expect("results serialise");
    assert!(json.contains(r#""municipality:1/village:13/gender:boy""#));
    assert!(json.contains(r#""too_few_respondents""#));
    for answer_key in [r#""answers":"#, r#""school_year":"#, r#""alcohol_30d":1"#] {
        assert!(!json.contains(answer_key), "no response-level data");
    }
    let back: WaveResults = serde_json::from_str(&json).expect("results read back");
    assert_eq!(back, results);
}

#[test]
fn a_village_is_compared_with_the_rest_of_its_municipality() {
    let responses = [
        village(81, 40, 30),
        village(82, 100, 20),
        village(83, 8, 1),
        village(84, 30, 6),
    ]
    .concat();
    let results = wave(&responses);
    let municipality = Group::all(Place::Municipality(M));
    let drinking_village = results
        .comparison(
            &Group::all(residence(81)),
            &municipality,
            "alcohol_lifetime",
        )
        .expect("a village lies in its municipality");
    match drinking_village {
        Release::Released(comparison) => {
            assert_eq!(comparison.standing, Standing::Worse);
            assert_eq!(comparison.reference, counts(27, 138));
        }
        Release::Suppressed(reason) => panic!("suppressed: {reason:?}"),
    }
    assert!(
        results
            .comparison(
                &Group::all(residence(83)),
                &municipality,
                "alcohol_lifetime"
            )
            .expect("a village lies in its municipality")
            .is_suppressed()
    );
    let school = Group::all(Place::School(SCHOOL));
    assert!(
        results
            .comparison(&school, &municipality, "alcohol_lifetime")
            .is_none(),
        "the school is the whole municipality: there is no rest"
    );
    assert!(
        results
            .comparison(
                &municipality,
                &Group::all(residence(81)),
                "alcohol_lifetime"
            )
            .is_none(),
        "a municipality is not inside its village"
    );
}

/// Version 2 of the standard questionnaire, asking alcohol_lifetime as version 1.
fn standard_v2() -> Questionnaire {
    let text = surveys::standard::STANDARD_V1_TEXT
        .replacen("version = 1", "version = 2", 1)
        .replacen("unchanged = []", r#"unchanged = ["alcohol_lifetime"]"#, 1);
    Questionnaire::load("standard-v2.toml", &text).expect("version 2 loads")
}

#[test]
fn only_items_unchanged_between_versions_are_trended() {
    let v1 = standard_v1();
    let v2 = standard_v2();
    assert!(may_trend("alcohol_30d", &[v1]));
    assert!(may_trend("alcohol_lifetime", &[v1, &v2]));
    assert!(!may_trend("alcohol_30d", &[v1, &v2]));
    assert!(!may_trend("alcohol_lifetime", &[&v2, v1]), "backwards");
    assert!(!may_trend("no_such_indicator", &[v1]));
    assert!(!may_trend("alcohol_lifetime", &[]));
}

#[test]
fn a_change_between_waves_is_labelled_by_direction_and_suppressed_with_either_side() {
    let earlier = wave(&[village(11, 7, 2), village(12, 200, 100)].concat());
    let later = wave(&[village(11, 7, 2), village(12, 200, 60)].concat());
    let v1 = standard_v1();
    let whole = Group::all(Place::Municipality(M));
    match change(&earlier, &later, &[v1], &whole, "alcohol_lifetime") {
        Some(Release::Released(change)) => assert_eq!(change.trend, Trend::Improved),
        other => panic!("expected a released change, got {other:?}"),
    }
    assert!(
        change(
            &earlier,
            &later,
            &[v1],
            &Group::all(residence(11)),
            "alcohol_lifetime"
        )
        .expect("both waves have the village")
        .is_suppressed()
    );
    let v2 = standard_v2();
    let later_on_v2 = compute_wave(
        &v2,
        &[village(11, 7, 2), village(12, 200, 60)].concat(),
        SuppressionThreshold::DEFAULT,
    )
    .expect("the wave adds up");
    assert!(
        change(
            &earlier,
            &later_on_v2,
            &[v1, &v2],
            &whole,
            "alcohol_lifetime"
        )
        .is_some()
    );
    assert!(
        change(&earlier, &later_on_v2, &[v1, &v2], &whole, "alcohol_30d").is_none(),
        "alcohol_30d is not marked unchanged in version 2"
    );
    assert!(
        change(&earlier, &later_on_v2, &[v1], &whole, "alcohol_lifetime").is_none(),
        "the versions must match the waves"
    );
}

#[test]
fn response_rates_add_up_per_class_and_per_school() {
    let tally = |code: &str, school, expected, submitted| ClassTally {
        code: code.to_string(),
        school: SchoolId(school),
        expected,
        submitted,
    };
    let rates = response_rates(&[
        tally("2A", 1, 27, 24),
        tally("2B", 1, 25, 25),
        tally("4A", 2, 30, 12),
    ]);
    assert_eq!(
        rates.classes["2A"],
        ResponseRate {
            submitted: 24,
            expected: 27
        }
    );
    assert_eq!(
        rates.schools[&SchoolId(1)],
        ResponseRate {
            submitted: 49,
            expected: 52
        }
    );
    assert_eq!(rates.schools[&SchoolId(2)].percent(), Some(40.0));
    assert_eq!(
        rates.total,
        ResponseRate {
            submitted: 61,
            expected: 82
        }
    );
    assert_eq!(ResponseRate::default().percent(), None);
}

/// `n` students of `school`, all of village 11, one in three a drinker.
fn at_school(school: i64, n: usize) -> Vec<SurveyResponse> {
    (0..n)
        .map(|i| {
            Student {
                school: SchoolId(school),
                drank: i % 3 == 0,
                ..Student::in_village(11)
            }
            .response()
        })
        .collect()
}

#[test]
fn a_school_whose_respondents_are_hidden_shows_no_response_rate_and_no_class_tally() {
    // 40 of 59 registered took part at the small school: "67.8 %" would
    // give its respondents away to anyone who knows the class sizes.
    let results = wave(&[at_school(1, 7), at_school(2, 40), at_school(3, 50)].concat());
    let rate = ResponseRate {
        submitted: 40,
        expected: 59,
    };
    let small = Place::School(SchoolId(1));
    assert_eq!(respondents(&results, Group::all(small)), TOO_FEW);
    assert_eq!(rate.shown_for(&results, small), TOO_FEW.map(|_| rate));
    let tally = |school| ClassTally {
        code: "2A",
        school: SchoolId(school),
        expected: 27,
        submitted: 19,
    };
    assert_eq!(tally(1).shown_in(&results), TOO_FEW);

    // Every rate and tally follows its place's respondents, so the one
    // hidden to protect the small school (the region is the sum of its
    // schools) is hidden too, and the rest are shown as they are.
    let mut hidden = 0;
    for place in [
        small,
        Place::School(SchoolId(2)),
        Place::School(SchoolId(3)),
        Place::Municipality(M),
        Place::Region,
    ] {
        let decided = respondents(&results, Group::all(place));
        assert_eq!(
            rate.shown_for(&results, place),
            decided.map(|_| rate),
            "{place:?}"
        );
        hidden += usize::from(decided.is_suppressed());
        if let Place::School(school) = place {
            assert_eq!(
                tally(school.0).shown_in(&results),
                decided.map(|_| 19),
                "{place:?}"
            );
        }
    }
    assert!(hidden >= 2, "the small school and one protecting it");
    assert_eq!(
        rate.shown_for(&results, Place::Region),
        Release::Released(rate)
    );
}

#[test]
fn a_place_without_a_valid_respondent_shows_no_response_rate() {
    let mut flagged = at_school(2, 4);
    for response in &mut flagged {
        response.validity = [ValidityFlag::TooFast].into_iter().collect();
    }
    let results = wave(&[at_school(1, 60), flagged].concat());
    let rate = ResponseRate {
        submitted: 4,
        expected: 25,
    };
    let place = Place::School(SchoolId(2));
    assert_eq!(results.respondents(&Group::all(place)), None);
    assert_eq!(rate.shown_for(&results, place), TOO_FEW.map(|_| rate));
}

#[test]
fn exclusions_are_shown_as_the_wave_releases_them() {
    let mut responses = [village(11, 40, 10), village(12, 60, 20)].concat();
    for response in responses.iter_mut().take(3) {
        response.validity = [ValidityFlag::FictitiousDrug].into_iter().collect();
    }
    let results = wave(&responses);
    assert_eq!(results.exclusions().excluded, 3);
    let shown = results.shown_exclusions();
    assert_eq!(shown.counted, Release::Released(97));
    assert_eq!(shown.excluded, TOO_FEW, "3 is fewer than k");
    assert_eq!(
        shown.submitted, PROTECTS,
        "100 submitted minus 97 counted would give the 3 away"
    );
    assert!(shown.by_reason.values().all(|count| *count == TOO_FEW));
}

#[test]
fn one_late_flagged_student_moves_no_exclusion_count_a_reader_can_see() {
    let k = SuppressionThreshold::DEFAULT;
    let mut responses = [village(11, 40, 10), village(12, 60, 20)].concat();
    for response in responses.iter_mut().take(12) {
        response.validity = [ValidityFlag::FictitiousDrug].into_iter().collect();
    }
    let first = compute_release(standard_v1(), &responses, k, None).expect("release 1");
    let shown = first.results.shown_exclusions();
    assert_eq!(shown.excluded, Release::Released(12));
    assert_eq!(shown.submitted, Release::Released(100));

    // The wave reopens for one student, whose answers the screen flags.
    let mut late = Student::in_village(12).response();
    late.validity = [ValidityFlag::FictitiousDrug].into_iter().collect();
    responses.push(late);
    let second = compute_release(
        standard_v1(),
        &responses,
        k,
        Some((&first.results, &first.basis)),
    )
    .expect("release 2");
    let shown = second.results.shown_exclusions();
    let earlier = Release::Suppressed(SuppressionReason::ProtectsEarlierRelease);
    assert_eq!(shown.excluded, earlier, "12 → 13 would be the late student");
    assert_eq!(shown.submitted, earlier);
    assert!(shown.by_reason.values().all(|count| *count == earlier));

    // The check travels with the stored release.
    let stored: WaveResults =
        serde_json::from_str(&serde_json::to_string(&second.results).expect("JSON"))
            .expect("read back");
    assert_eq!(stored.shown_exclusions(), shown);
}

#[test]
fn the_checker_finds_a_child_left_alone_and_not_two() {
    let sums = [Partition {
        parent: "M",
        children: vec!["A", "B", "C"],
    }];
    assert_eq!(common::derivation::derivable(&sums, &["A"]), ["A"]);
    assert!(common::derivation::derivable(&sums, &["A", "B"]).is_empty());
    assert_eq!(common::derivation::derivable(&sums, &["M"]), ["M"]);
}

// ----- random regions -----

/// A region: municipalities with villages, schools standing in a municipality,
/// and students who mostly attend a school of their own municipality.
#[derive(Debug, Clone)]
struct Region {
    students: Vec<Student>,
    k: u32,
}

fn student(villages: Vec<usize>, schools: Vec<usize>) -> impl Strategy<Value = Student> {
    let municipalities = villages.len();
    (
        0..municipalities,
        0..schools.len(),
        0..8usize,
        1u8..=2,
        prop_oneof![
            Just(Some(1)),
            Just(Some(2)),
            Just(Some(3)),
            Just(Some(9)),
            Just(None)
        ],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(m, school, place, year, gender, drank, drunk)| {
            // Mostly the municipality of the school.
            let m = if place < 7 { schools[school] } else { m };
            let village = match place % 4 {
                0 => Some(0),
                1 if place > 4 => None,
                _ => Some((place % villages[m].max(1)) as i32 + 1),
            };
            Student {
                municipality: MunicipalityId(m as i64),
                school: SchoolId(school as i64),
                year,
                gender,
                village: village.map(|v| if v == 0 { 0 } else { v + 100 * m as i32 }),
                drank,
                drunk: drank && drunk,
            }
        })
}

fn region() -> impl Strategy<Value = Region> {
    (
        proptest::collection::vec(1usize..=3, 1..=2),
        1usize..=3,
        prop_oneof![Just(5u32), Just(10u32)],
    )
        .prop_flat_map(|(villages, schools, k)| {
            let municipalities = villages.len();
            (
                Just(villages),
                proptest::collection::vec(0..municipalities, schools),
                Just(k),
            )
        })
        .prop_flat_map(|(villages, school_municipality, k)| {
            let students = proptest::collection::vec(
                student(villages.clone(), school_municipality.clone()),
                0..80,
            );
            (Just(villages), Just(school_municipality), students, Just(k))
        })
        .prop_map(|(_, _, students, k)| Region { students, k })
}

/// Which groups a student belongs to, worked out here rather than by the crate.
fn groups_of(s: &Student) -> Vec<Group> {
    let residence = match s.village {
        None => Residence::Unknown,
        Some(0) => Residence::Elsewhere,
        Some(code) => Residence::Village(VillageId(i64::from(code))),
    };
    let gender = match s.gender {
        Some(1) => Gender::Boy,
        Some(2) => Gender::Girl,
        Some(3) => Gender::Other,
        _ => Gender::Unknown,
    };
    let places = [
        Place::Region,
        Place::Municipality(s.municipality),
        Place::Residence(s.municipality, residence),
        Place::School(s.school),
    ];
    let breakdowns = [
        Breakdown::All,
        Breakdown::SchoolYear(s.year),
        Breakdown::Gender(gender),
    ];
    places
        .iter()
        .flat_map(|&place| breakdowns.map(|breakdown| Group { place, breakdown }))
        .collect()
}

/// True counts: respondents, and (yes, answered) per tested indicator.
type Truth = BTreeMap<Group, (u64, [(u64, u64); 2])>;

const TESTED: [&str; 2] = ["alcohol_lifetime", "drunk_30d"];

fn truth(students: &[Student]) -> Truth {
    let mut truth = Truth::new();
    for s in students {
        for group in groups_of(s) {
            let entry = truth.entry(group).or_default();
            entry.0 += 1;
            entry.1[0].0 += u64::from(s.drank);
            entry.1[0].1 += 1;
            entry.1[1].0 += u64::from(s.drunk);
            entry.1[1].1 += 1;
        }
    }
    truth
}

/// Every sum an outsider knows holds between groups with respondents: the
/// region is its municipalities and its schools, a municipality its residences
/// (and its schools when all their students and only those are of it), every
/// place its school years and its genders — for every breakdown.
fn known_sums(truth: &Truth, students: &[Student]) -> Vec<Partition<Group>> {
    let groups: BTreeSet<Group> = truth.keys().copied().collect();
    let places: BTreeSet<Place> = groups.iter().map(|g| g.place).collect();
    let breakdowns: BTreeSet<Breakdown> = groups.iter().map(|g| g.breakdown).collect();
    let mut sums = Vec::new();
    let mut add = |parent: Group, children: Vec<Group>| {
        let children: Vec<Group> = children
            .into_iter()
            .filter(|c| groups.contains(c))
            .collect();
        if groups.contains(&parent) && !children.is_empty() {
            sums.push(Partition { parent, children });
        }
    };
    for &b in &breakdowns {
        let at = |place| Group::new(place, b);
        let pick =
            |f: &dyn Fn(&Place) -> bool| places.iter().copied().filter(|p| f(p)).map(at).collect();
        add(
            at(Place::Region),
            pick(&|p| matches!(p, Place::Municipality(_))),
        );
        add(at(Place::Region), pick(&|p| matches!(p, Place::School(_))));
        for &place in &places {
            let Place::Municipality(m) = place else {
                continue;
            };
            add(
                at(place),
                pick(&|p| matches!(p, Place::Residence(n, _) if *n == m)),
            );
            let schools: BTreeSet<SchoolId> = students
                .iter()
                .filter(|s| s.municipality == m)
                .map(|s| s.school)
                .collect();
            let exact = students
                .iter()
                .all(|s| (s.municipality == m) == schools.contains(&s.school));
            if exact {
                add(
                    at(place),
                    schools.iter().map(|&s| at(Place::School(s))).collect(),
                );
            }
        }
    }
    for &place in &places {
        let pick = |f: &dyn Fn(&Breakdown) -> bool| {
            breakdowns
                .iter()
                .copied()
                .filter(|b| f(b))
                .map(|b| Group::new(place, b))
                .collect()
        };
        add(
            Group::all(place),
            pick(&|b| matches!(b, Breakdown::SchoolYear(_))),
        );
        add(
            Group::all(place),
            pick(&|b| matches!(b, Breakdown::Gender(_))),
        );
    }
    sums
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn no_group_below_k_can_be_worked_out_from_a_waves_released_figures(region in region()) {
        let k = SuppressionThreshold::new(region.k).expect("k is at least five");
        let k_count = u64::from(region.k);
        let responses: Vec<SurveyResponse> = region.students.iter().map(|s| s.response()).collect();
        let results = compute_wave(standard_v1(), &responses, k).expect("a generated wave adds up");
        let truth = truth(&region.students);
        let sums = known_sums(&truth, &region.students);

        prop_assert_eq!(results.group_count(), truth.len());
        let mut hidden = Vec::new();
        let mut hidden_shares = [Vec::new(), Vec::new()];
        for (group, (n, shares)) in &truth {
            match results.respondents(group) {
                Some(Release::Released(released)) => {
                    prop_assert_eq!(released, *n);
                    prop_assert!(released >= k_count, "{} has {} and is shown", group, released);
                }
                Some(Release::Suppressed(_)) => hidden.push(*group),
                None => prop_assert!(false, "{} is missing", group),
            }
            for (i, indicator) in TESTED.iter().enumerate() {
                match results.share(group, indicator) {
                    Some(Release::Released(share)) => {
                        prop_assert_eq!((share.numerator(), share.denominator()), shares[i]);
                        prop_assert!(k.allows_share(share), "{} {}: {:?}", group, indicator, share);
                    }
                    Some(Release::Suppressed(_)) => hidden_shares[i].push(*group),
                    None => prop_assert!(false, "{} has no {}", group, indicator),
                }
            }
        }
        let derivable = common::derivation::derivable(&sums, &hidden);
        prop_assert!(derivable.is_empty(), "respondents derivable: {:?}", derivable);
        for (i, hidden_share) in hidden_shares.iter().enumerate() {
            for group in &hidden {
                prop_assert!(hidden_share.contains(group), "{} hidden, its {} not", group, TESTED[i]);
            }
            let derivable = common::derivation::derivable(&sums, hidden_share);
            prop_assert!(derivable.is_empty(), "{} derivable: {:?}", TESTED[i], derivable);
        }
        // What a released parent minus its released children gives away.
        for sum in &sums {
            if hidden.contains(&sum.parent) {
                continue;
            }
            let together: Vec<&Group> = sum.children.iter().filter(|c| hidden.contains(c)).collect();
            if !together.is_empty() {
                let n: u64 = together.iter().map(|g| truth[*g].0).sum();
                prop_assert!(n >= k_count, "{:?} together have {}", together, n);
            }
        }
    }
}
