//! Routing over all answers: every path through a questionnaire reaches submit,
//! and an item hidden by routing is never required.

mod common;

use proptest::prelude::*;
use surveys::{AnswerCode, AnswerError, Answers, Item, ItemKind, Questionnaire, standard_v1};

const VILLAGES: &[AnswerCode] = &[101, 102, 103];

/// The answers a student could give to `item`'s key, plus the invalid ones a
/// broken client might send.
fn possible_codes(item: &Item) -> Vec<AnswerCode> {
    match &item.kind {
        ItemKind::Choice { scale } | ItemKind::Matrix { scale, .. } => {
            scale.options.iter().map(|option| option.code).collect()
        }
        ItemKind::Number { min, max } => (*min..=*max).collect(),
        ItemKind::Village { elsewhere } => {
            let mut codes = VILLAGES.to_vec();
            codes.push(elsewhere.code);
            codes
        }
    }
}

/// Turns random numbers into an answer (or a skip) for every key, in order.
fn answers_from(questionnaire: &Questionnaire, choices: &[u16], allow_skips: bool) -> Answers {
    let mut answers = Answers::new();
    for (key, choice) in questionnaire.answer_keys().zip(choices.iter().cycle()) {
        let Some(item) = questionnaire.item(key.as_str()) else {
            continue;
        };
        let codes = possible_codes(item);
        let pick = usize::from(*choice) % (codes.len() + 1);
        match codes.get(pick) {
            Some(code) => {
                answers.insert(key.clone(), *code);
            }
            None if allow_skips && !item.required => {}
            None => {
                answers.insert(key.clone(), codes[usize::from(*choice) % codes.len()]);
            }
        }
    }
    answers
}

/// Walks the pages as a student would: each page gets the answers chosen for
/// its shown items, and must be accepted. Returns the number of pages.
fn walk(questionnaire: &Questionnaire, chosen: &Answers) -> Result<usize, String> {
    let mut kept = Answers::new();
    let mut current: Option<String> = None;
    for pages in 0..=questionnaire.sections().len() {
        let Some(section) = questionnaire.next_section(current.as_deref(), &kept) else {
            questionnaire
                .check_response(&kept, VILLAGES)
                .map_err(|errors| format!("submit refused: {errors:?}"))?;
            return Ok(pages);
        };
        let mut page = Answers::new();
        let shown = questionnaire.shown_items(section, &kept);
        for key in shown.iter().flat_map(|item| item.answer_keys()) {
            if let Some(code) = chosen.get(key) {
                page.insert(key.clone(), *code);
            }
        }
        let accepted = questionnaire
            .check_section(&section.key, &page, &kept, VILLAGES)
            .map_err(|errors| format!("page {} refused: {errors:?}", section.key))?;
        kept.extend(accepted);
        current = Some(section.key.clone());
    }
    Err("the walk did not end".to_owned())
}

fn questionnaires() -> Vec<Questionnaire> {
    vec![standard_v1().clone(), common::mini()]
}

proptest! {
    #[test]
    fn every_path_through_the_questionnaire_reaches_submit(
        choices in proptest::collection::vec(any::<u16>(), 1..120),
    ) {
        for questionnaire in questionnaires() {
            let chosen = answers_from(&questionnaire, &choices, true);
            let pages = walk(&questionnaire, &chosen);
            prop_assert!(pages.is_ok(), "{}: {:?}", questionnaire.key(), pages);
        }
    }

    #[test]
    fn answers_hidden_by_routing_are_never_required(
        choices in proptest::collection::vec(any::<u16>(), 1..120),
    ) {
        for questionnaire in questionnaires() {
            let mut answers = answers_from(&questionnaire, &choices, true);
            // Leave out every required answer, shown or not.
            let required: Vec<_> = questionnaire
                .answer_keys()
                .filter(|key| questionnaire.item(key.as_str()).is_some_and(|item| item.required))
                .cloned()
                .collect();
            for key in &required {
                answers.remove(key);
            }
            let missing = match questionnaire.check_response(&answers, VILLAGES) {
                Ok(_) => Vec::new(),
                Err(errors) => errors,
            };
            for error in &missing {
                let AnswerError::Missing(key) = error else {
                    prop_assert!(false, "unexpected error {:?}", error);
                    continue;
                };
                prop_assert!(questionnaire.is_item_shown(key.as_str(), &answers), "hidden {} required", key);
            }
            // And every shown required item was reported.
            for key in &required {
                let shown = questionnaire.is_item_shown(key.as_str(), &answers);
                prop_assert_eq!(shown, missing.contains(&AnswerError::Missing(key.clone())));
            }
        }
    }

    #[test]
    fn accepted_answers_never_include_hidden_items(
        choices in proptest::collection::vec(any::<u16>(), 1..120),
    ) {
        for questionnaire in questionnaires() {
            let answers = answers_from(&questionnaire, &choices, false);
            let accepted = questionnaire.check_response(&answers, VILLAGES);
            prop_assert!(accepted.is_ok(), "{:?}", accepted);
            let accepted = accepted.unwrap_or_default();
            for key in accepted.keys() {
                prop_assert!(questionnaire.is_item_shown(key.as_str(), &accepted));
            }
            // Dropping hidden answers changes no indicator.
            for indicator in questionnaire.indicators() {
                prop_assert_eq!(
                    questionnaire.evaluate(indicator, &answers),
                    questionnaire.evaluate(indicator, &accepted)
                );
            }
        }
    }

    #[test]
    fn any_code_for_any_key_gets_an_answer_and_never_a_panic(
        key in "[a-z_]{1,20}",
        code in any::<i32>(),
        pick in any::<prop::sample::Index>(),
    ) {
        let questionnaire = standard_v1();
        let keys: Vec<_> = questionnaire.answer_keys().collect();
        for key in [key.as_str(), pick.get(&keys).as_str()] {
            let mut answers = Answers::new();
            answers.insert(key.into(), code);
            let _ = questionnaire.check_response(&answers, VILLAGES);
            for section in questionnaire.sections() {
                let _ = questionnaire.check_section(&section.key, &answers, &answers, VILLAGES);
            }
            let _ = questionnaire.screen(&answers, 0);
        }
    }
}
