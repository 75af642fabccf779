//! The embedded standard questionnaire: it loads, covers what the product
//! promises to measure, and speaks every language it promises.

use surveys::questionnaire::{Coverage, Text, TextDirection};
use surveys::{ItemKind, Questionnaire, standard_v1};

#[test]
fn the_standard_questionnaire_loads_without_problems() {
    let loaded = Questionnaire::load(
        surveys::standard::STANDARD_V1_FILE,
        surveys::standard::STANDARD_V1_TEXT,
    );
    if let Err(problems) = &loaded {
        for problem in problems {
            eprintln!("{problem}");
        }
    }
    assert!(loaded.is_ok());
}

/// Every construct listed under "What it measures" in the product design.
const CONSTRUCTS: &[&str] = &[
    // background
    "school_year",
    "age",
    "gender",
    "village",
    // substance use
    "alcohol_lifetime",
    "alcohol_30d",
    "drunk_30d",
    "binge_30d",
    "age_first_drink",
    "cigarettes_lifetime",
    "cigarettes_now",
    "vape_lifetime",
    "vape_30d",
    "vape_now",
    "cannabis_lifetime",
    "cannabis_30d",
    "drug_laughing_gas",
    "drug_ecstasy",
    "drug_cocaine",
    "drug_plitraxon",
    // family
    "family_know_where",
    "family_know_whom",
    "family_weekend_time",
    "family_warmth",
    "parents_reaction_drinking",
    "parents_reaction_drunk",
    "alcohol_from_parents",
    // peers
    "friends_drink",
    "friends_drunk",
    "friends_smoke_vape",
    "friends_cannabis",
    "parties_unsupervised",
    // school
    "school_feel_good",
    "school_safe",
    "bullied_school",
    "truancy_30d",
    // leisure
    "sport_club",
    "other_activity",
    "out_after_22",
    "out_after_midnight",
    "social_media_hours",
    "sleep_hours",
    // wellbeing
    "life_satisfaction",
    "easy_alcohol",
];

#[test]
fn the_standard_questionnaire_asks_about_every_construct() {
    let questionnaire = standard_v1();
    let missing: Vec<&&str> = CONSTRUCTS
        .iter()
        .filter(|key| questionnaire.item(key).is_none())
        .collect();
    assert!(missing.is_empty(), "missing items: {missing:?}");
}

#[test]
fn the_standard_questionnaire_fits_one_lesson_and_says_so() {
    let questionnaire = standard_v1();
    assert!((60..=80).contains(&questionnaire.item_count()));
    assert!(questionnaire.minutes() <= 30);
    assert_eq!(questionnaire.key(), "standard");
    assert_eq!(questionnaire.version(), 1);
}

#[test]
fn the_fictitious_drug_is_screened() {
    let rules = standard_v1().validity_rules();
    let (item, used) = rules.fictitious.as_ref().expect("a fictitious drug");
    assert_eq!(item.as_str(), "drug_plitraxon");
    assert!(!used.contains(&0), "never using it is the honest answer");
}

#[test]
fn the_village_options_come_from_the_municipality_plus_elsewhere() {
    let item = standard_v1().item("village").expect("village item");
    let ItemKind::Village { elsewhere } = &item.kind else {
        panic!("village is not a village item");
    };
    assert_eq!(elsewhere.text.get("en"), "Somewhere else");
}

#[test]
fn gender_offers_other_and_prefer_not_to_say() {
    let options = standard_v1()
        .item("gender")
        .and_then(|item| item.options())
        .expect("gender options");
    let english: Vec<&str> = options.iter().map(|o| o.text.get("en")).collect();
    assert!(english.contains(&"I describe myself in another way"));
    assert!(english.contains(&"I'd rather not say"));
}

/// Every text a student reads, with a description for failure messages.
fn student_texts() -> Vec<(String, &'static Text)> {
    let questionnaire = standard_v1();
    let mut texts = vec![("intro".to_owned(), questionnaire.intro())];
    for section in questionnaire.sections() {
        texts.push((format!("section {}", section.key), &section.title));
        for item in &section.items {
            texts.push((format!("item {}", item.key), &item.text));
            for option in item.options().unwrap_or_default() {
                texts.push((
                    format!("item {} option {}", item.key, option.code),
                    &option.text,
                ));
            }
            match &item.kind {
                ItemKind::Matrix { statements, .. } => {
                    for statement in statements {
                        texts.push((format!("statement {}", statement.key), &statement.text));
                    }
                }
                ItemKind::Village { elsewhere } => {
                    texts.push((format!("item {} elsewhere", item.key), &elsewhere.text));
                }
                ItemKind::Choice { .. } | ItemKind::Number { .. } => {}
            }
        }
    }
    texts
}

#[test]
fn every_student_facing_text_is_in_dutch_english_arabic_and_polish() {
    let texts = student_texts();
    assert!(texts.len() > 250, "only {} texts found", texts.len());
    for (what, text) in texts {
        for language in ["nl", "en", "ar", "pl"] {
            assert!(text.has(language), "{what} has no {language} text");
        }
    }
}

#[test]
fn every_indicator_has_dutch_and_english_labels() {
    let questionnaire = standard_v1();
    assert!(questionnaire.indicators().len() >= 30);
    for indicator in questionnaire.indicators() {
        assert!(
            indicator.label.has("nl") && indicator.label.has("en"),
            "{}",
            indicator.key
        );
    }
}

#[test]
fn arabic_is_right_to_left_and_unreviewed_translations_are_marked() {
    let questionnaire = standard_v1();
    let arabic = questionnaire.language("ar").expect("Arabic");
    assert_eq!(arabic.direction, TextDirection::Rtl);
    assert_eq!(arabic.coverage, Coverage::Student);
    assert!(!arabic.reviewed);
    assert!(!questionnaire.language("pl").expect("Polish").reviewed);
    assert_eq!(
        questionnaire.language("nl").expect("Dutch").coverage,
        Coverage::Complete
    );
    assert_eq!(
        questionnaire.language("en").expect("English").coverage,
        Coverage::Complete
    );
}

#[test]
fn a_missing_translation_falls_back_to_english() {
    let indicator = standard_v1().indicator("drunk_30d").expect("indicator");
    assert_eq!(indicator.label.get("ar"), indicator.label.get("en"));
    assert_ne!(indicator.label.get("nl"), indicator.label.get("en"));
}
