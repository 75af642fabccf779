//! The validity screen: each flag fires on a minimal example, none on a clean
//! response, and flags survive storage as a number.

mod common;

use common::answers;
use surveys::validity::UnknownFlagBits;
use surveys::{Answers, ItemKey, ValidityFlag, ValidityFlags, standard_v1};

/// A plausible year-2 student who drinks a little and has not vaped: the
/// answers vary across every matrix.
fn clean() -> Answers {
    let mut clean = answers(&[
        ("school_year", 2),
        ("age", 14),
        ("gender", 2),
        ("village", 0),
        ("alcohol_lifetime", 2),
        ("alcohol_30d", 1),
        ("drunk_30d", 0),
        ("binge_30d", 0),
        ("age_first_drink", 13),
        ("vape_lifetime", 0),
        ("vape_30d", 0),
        ("cannabis_lifetime", 0),
        ("cannabis_30d", 0),
        ("drug_plitraxon", 0),
    ]);
    let matrices = [
        ("family_know_where", 5),
        ("family_know_whom", 4),
        ("family_know_friends", 4),
        ("family_know_friends_parents", 3),
        ("family_warmth", 5),
        ("family_talk", 4),
        ("family_curfew", 5),
        ("family_unnoticed", 1),
        ("school_feel_good", 3),
        ("school_safe", 4),
        ("school_belong", 3),
        ("school_teachers_care", 3),
        ("school_effort", 3),
        ("school_pointless", 2),
        ("feel_sad", 2),
        ("feel_nervous", 3),
        ("feel_lonely", 1),
        ("feel_worried_awake", 2),
        ("feel_confident", 4),
    ];
    clean.extend(
        matrices
            .iter()
            .map(|(key, code)| (ItemKey::new(*key), *code)),
    );
    clean
}

const ENOUGH_TIME: u32 = 20 * 60;

fn flags_after(change: &[(&str, i32)], seconds: u32) -> ValidityFlags {
    let mut response = clean();
    response.extend(change.iter().map(|(key, code)| (ItemKey::new(*key), *code)));
    standard_v1().screen(&response, seconds)
}

#[test]
fn a_clean_response_gets_no_flag() {
    assert_eq!(
        standard_v1().screen(&clean(), ENOUGH_TIME),
        ValidityFlags::NONE
    );
}

#[test]
fn using_the_fictitious_drug_is_flagged() {
    let flags = flags_after(&[("drug_plitraxon", 1)], ENOUGH_TIME);
    assert_eq!(
        flags.iter().collect::<Vec<_>>(),
        [ValidityFlag::FictitiousDrug]
    );
}

#[test]
fn vaping_last_month_but_never_in_life_is_flagged() {
    let flags = flags_after(&[("vape_30d", 2)], ENOUGH_TIME);
    assert_eq!(
        flags.iter().collect::<Vec<_>>(),
        [ValidityFlag::RecentAboveLifetime]
    );
}

#[test]
fn recent_use_equal_to_lifetime_use_is_not_flagged() {
    let flags = flags_after(&[("alcohol_30d", 2)], ENOUGH_TIME);
    assert!(flags.is_clean());
}

#[test]
fn an_age_impossible_for_the_school_year_is_flagged() {
    let flags = flags_after(&[("age", 19)], ENOUGH_TIME);
    assert_eq!(
        flags.iter().collect::<Vec<_>>(),
        [ValidityFlag::AgeForSchoolYear]
    );
    assert!(
        flags_after(&[("age", 16)], ENOUGH_TIME).is_clean(),
        "a repeated year is plausible"
    );
}

#[test]
fn a_matrix_answered_in_one_column_is_flagged() {
    let school = [
        "school_feel_good",
        "school_safe",
        "school_belong",
        "school_teachers_care",
        "school_effort",
        "school_pointless",
    ];
    let one_column: Vec<(&str, i32)> = school.iter().map(|key| (*key, 4)).collect();
    let flags = flags_after(&one_column, ENOUGH_TIME);
    assert_eq!(
        flags.iter().collect::<Vec<_>>(),
        [ValidityFlag::StraightLined]
    );
}

#[test]
fn a_matrix_where_one_column_is_an_honest_answer_is_not_flagged() {
    let never = [
        ("drug_laughing_gas", 0),
        ("drug_ecstasy", 0),
        ("drug_cocaine", 0),
        ("friends_drink", 1),
        ("friends_drunk", 1),
        ("friends_smoke_vape", 1),
        ("friends_cannabis", 1),
        ("friends_sport", 1),
    ];
    assert!(flags_after(&never, ENOUGH_TIME).is_clean());
}

#[test]
fn a_partly_answered_matrix_is_not_straight_lining() {
    let mut response = clean();
    for key in [
        "school_feel_good",
        "school_safe",
        "school_belong",
        "school_teachers_care",
        "school_effort",
    ] {
        response.insert(ItemKey::new(key), 4);
    }
    response.remove("school_pointless");
    assert!(standard_v1().screen(&response, ENOUGH_TIME).is_clean());
}

#[test]
fn implausibly_fast_completion_is_flagged() {
    let fastest = standard_v1().validity_rules().fastest_plausible_seconds;
    let flags = flags_after(&[], fastest - 1);
    assert_eq!(flags.iter().collect::<Vec<_>>(), [ValidityFlag::TooFast]);
    assert!(flags_after(&[], fastest).is_clean());
}

#[test]
fn several_flags_are_kept_together() {
    let flags = flags_after(&[("drug_plitraxon", 3), ("age", 25)], 10);
    assert!(flags.contains(ValidityFlag::FictitiousDrug));
    assert!(flags.contains(ValidityFlag::AgeForSchoolYear));
    assert!(flags.contains(ValidityFlag::TooFast));
    assert!(!flags.contains(ValidityFlag::StraightLined));
}

#[test]
fn flags_survive_storage_as_a_number() {
    let every: ValidityFlags = ValidityFlag::ALL.into_iter().collect();
    assert_eq!(every.bits(), 0b1_1111);
    assert_eq!(ValidityFlags::from_bits(every.bits()), Ok(every));
    let two: ValidityFlags = [ValidityFlag::TooFast, ValidityFlag::FictitiousDrug]
        .into_iter()
        .collect();
    assert_eq!(two.bits(), 0b1_0001);
    assert_eq!(ValidityFlags::from_bits(0), Ok(ValidityFlags::NONE));
}

#[test]
fn a_stored_number_with_unknown_bits_is_refused() {
    assert_eq!(
        ValidityFlags::from_bits(0b10_0001),
        Err(UnknownFlagBits(0b10_0000))
    );
}

#[test]
fn flag_keys_are_stable() {
    let keys: Vec<&str> = ValidityFlag::ALL.iter().map(|flag| flag.key()).collect();
    assert_eq!(
        keys,
        [
            "fictitious_drug",
            "recent_above_lifetime",
            "age_for_school_year",
            "straight_lined",
            "too_fast"
        ]
    );
    for flag in ValidityFlag::ALL {
        assert_eq!(ValidityFlag::from_key(flag.key()), Some(flag));
    }
    let two: ValidityFlags = [ValidityFlag::TooFast, ValidityFlag::FictitiousDrug]
        .into_iter()
        .collect();
    assert_eq!(two.to_string(), "fictitious_drug,too_fast");
}

#[test]
fn flags_travel_in_json_by_their_keys() {
    let two: ValidityFlags = [ValidityFlag::TooFast, ValidityFlag::FictitiousDrug]
        .into_iter()
        .collect();
    let json = serde_json::to_string(&two).expect("flags serialise");
    assert_eq!(json, r#"["fictitious_drug","too_fast"]"#);
    let back: ValidityFlags = serde_json::from_str(&json).expect("flags read back");
    assert_eq!(back, two);
    let clean: ValidityFlags = serde_json::from_str("[]").expect("no flags read back");
    assert!(clean.is_clean());
    assert_eq!(
        serde_json::to_string(&ValidityFlag::AgeForSchoolYear).expect("a flag serialises"),
        r#""age_for_school_year""#
    );
}

#[test]
fn an_unknown_flag_key_in_json_is_refused() {
    assert!(serde_json::from_str::<ValidityFlags>(r#"["too_fast","too_slow"]"#).is_err());
    assert!(serde_json::from_str::<ValidityFlag>(r#""TooFast""#).is_err());
}
