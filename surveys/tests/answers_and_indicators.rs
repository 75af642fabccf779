//! Checking submitted answers, routing, and how a response counts towards an
//! indicator.

mod common;

use common::{answers, mini};
use surveys::{AnswerError, ItemKey, standard_v1};

const VILLAGES: &[i32] = &[11, 12, 13];

#[test]
fn a_complete_section_is_accepted() {
    let accepted = mini()
        .check_section(
            "about",
            &answers(&[("school_year", 2), ("age", 14), ("village", 12)]),
            &answers(&[]),
            VILLAGES,
        )
        .expect("valid answers");
    assert_eq!(accepted.len(), 3);
}

#[test]
fn an_unknown_item_is_rejected() {
    let errors = mini()
        .check_section(
            "about",
            &answers(&[("school_year", 2), ("shoe_size", 41)]),
            &answers(&[]),
            VILLAGES,
        )
        .expect_err("unknown item");
    assert_eq!(
        errors,
        [AnswerError::UnknownItem(ItemKey::new("shoe_size"))]
    );
    assert_eq!(errors[0].key(), "answer.unknown_item");
}

#[test]
fn an_out_of_range_code_is_rejected() {
    let errors = mini()
        .check_section(
            "about",
            &answers(&[("school_year", 3), ("age", 99), ("village", 14)]),
            &answers(&[]),
            VILLAGES,
        )
        .expect_err("impossible codes");
    assert_eq!(
        errors,
        [
            AnswerError::OutOfRange(ItemKey::new("age"), 99),
            AnswerError::OutOfRange(ItemKey::new("school_year"), 3),
            AnswerError::OutOfRange(ItemKey::new("village"), 14),
        ]
    );
    assert!(errors.iter().all(|e| e.key() == "answer.out_of_range"));
}

#[test]
fn elsewhere_is_a_village_answer_everywhere() {
    let result = mini().check_section(
        "about",
        &answers(&[("school_year", 4), ("village", 0)]),
        &answers(&[]),
        &[],
    );
    assert!(result.is_ok());
}

#[test]
fn a_missing_required_answer_is_rejected() {
    let errors = mini()
        .check_section("about", &answers(&[("age", 14)]), &answers(&[]), VILLAGES)
        .expect_err("school year is required");
    assert_eq!(errors, [AnswerError::Missing(ItemKey::new("school_year"))]);
}

#[test]
fn an_answer_for_another_section_is_rejected() {
    let errors = mini()
        .check_section(
            "about",
            &answers(&[("school_year", 2), ("vape_30d", 1)]),
            &answers(&[]),
            VILLAGES,
        )
        .expect_err("wrong page");
    assert_eq!(
        errors,
        [AnswerError::OtherSection(ItemKey::new("vape_30d"))]
    );
}

#[test]
fn an_unknown_section_is_rejected() {
    let errors = mini()
        .check_section("nowhere", &answers(&[]), &answers(&[]), VILLAGES)
        .expect_err("unknown section");
    assert_eq!(errors[0].key(), "answer.unknown_section");
}

#[test]
fn a_section_hidden_by_routing_requires_nothing_and_keeps_nothing() {
    let never = answers(&[("vape_lifetime", 0)]);
    let accepted = mini()
        .check_section("details", &answers(&[("vape_now", 2)]), &never, VILLAGES)
        .expect("hidden answers are dropped, not refused");
    assert!(accepted.is_empty());
    assert!(
        mini()
            .check_section("details", &answers(&[]), &never, VILLAGES)
            .is_ok()
    );
}

#[test]
fn a_section_shown_by_routing_requires_its_required_items() {
    let vaped = answers(&[("vape_lifetime", 1)]);
    let errors = mini()
        .check_section("details", &answers(&[]), &vaped, VILLAGES)
        .expect_err("vape_now is required when shown");
    assert_eq!(errors, [AnswerError::Missing(ItemKey::new("vape_now"))]);
}

#[test]
fn a_whole_response_loses_answers_an_earlier_change_has_hidden() {
    let response = answers(&[("school_year", 2), ("vape_lifetime", 0), ("vape_now", 2)]);
    let accepted = mini()
        .check_response(&response, VILLAGES)
        .expect("valid response");
    assert!(!accepted.contains_key("vape_now"));
    assert_eq!(accepted.len(), 2);
}

#[test]
fn skipping_the_routing_question_keeps_the_follow_up() {
    let questionnaire = mini();
    let details = questionnaire.section("details").expect("section");
    assert!(questionnaire.is_section_shown(details, &answers(&[])));
    assert!(!questionnaire.is_section_shown(details, &answers(&[("vape_lifetime", 0)])));
}

#[test]
fn navigation_skips_hidden_sections() {
    let questionnaire = mini();
    let never = answers(&[("vape_lifetime", 0)]);
    let next = questionnaire
        .next_section(Some("use"), &never)
        .map(|s| s.key.as_str());
    assert_eq!(next, Some("friends"));
    let back = questionnaire
        .previous_section("friends", &never)
        .map(|s| s.key.as_str());
    assert_eq!(back, Some("use"));
    assert!(
        questionnaire
            .next_section(Some("friends"), &never)
            .is_none(),
        "then submit"
    );
}

#[test]
fn an_indicator_counts_a_yes_a_no_and_leaves_out_a_skip() {
    let questionnaire = mini();
    let indicator = questionnaire.indicator("vape_30d").expect("indicator");
    assert_eq!(
        questionnaire.evaluate(indicator, &answers(&[("vape_30d", 2)])),
        Some(true)
    );
    assert_eq!(
        questionnaire.evaluate(indicator, &answers(&[("vape_30d", 0)])),
        Some(false)
    );
    assert_eq!(questionnaire.evaluate(indicator, &answers(&[])), None);
}

#[test]
fn an_indicator_can_count_students_routing_did_not_ask_as_no() {
    let questionnaire = mini();
    let vape_now = questionnaire.indicator("vape_now").expect("indicator");
    let never = answers(&[("vape_lifetime", 0)]);
    assert_eq!(questionnaire.evaluate(vape_now, &never), Some(false));
    let skipped = answers(&[("vape_lifetime", 1)]);
    assert_eq!(questionnaire.evaluate(vape_now, &skipped), None);
}

#[test]
fn drunkenness_is_a_share_of_all_students_who_answered_about_drinking() {
    let standard = standard_v1();
    let drunk = standard.indicator("drunk_30d").expect("indicator");
    assert_eq!(
        standard.evaluate(drunk, &answers(&[("alcohol_lifetime", 0)])),
        Some(false)
    );
    assert_eq!(
        standard.evaluate(
            drunk,
            &answers(&[("alcohol_lifetime", 3), ("drunk_30d", 1)])
        ),
        Some(true)
    );
    assert_eq!(
        standard.evaluate(drunk, &answers(&[("alcohol_lifetime", 3)])),
        None
    );
}
