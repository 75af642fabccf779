//! The loader refuses every kind of broken questionnaire, saying where and why.

mod common;

use common::{MINI, assert_reported, line_of, mini, mini_with, problems};
use surveys::Questionnaire;

#[test]
fn the_test_questionnaire_itself_loads() {
    let questionnaire = mini();
    assert_eq!(questionnaire.item_count(), 11);
    assert_eq!(questionnaire.sections().len(), 4);
}

#[test]
fn a_toml_syntax_error_is_reported_with_its_line() {
    let text = mini_with("key = \"age\"", "key = \"age");
    let problems = problems(&text);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, line_of(&text, "key = \"age"));
}

#[test]
fn a_misspelt_field_is_reported_with_its_line() {
    let text = mini_with(
        "required = true\ntext = { nl = \"Vape",
        "requird = true\ntext = { nl = \"Vape",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "requird"),
        "unknown field `requird`",
    );
}

#[test]
fn a_route_on_an_unknown_item_is_reported_with_its_line() {
    let text = mini_with(
        "show_if = { item = \"vape_lifetime\"",
        "show_if = { item = \"vape_ever\"",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "vape_ever"),
        "unknown item `vape_ever`",
    );
}

#[test]
fn a_route_that_looks_forward_is_reported() {
    let text = mini_with(
        "show_if = { item = \"vape_lifetime\"",
        "show_if = { item = \"friends_vape\"",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "item = \"friends_vape\""),
        "does not come before it",
    );
}

#[test]
fn a_route_on_a_code_the_item_lacks_is_reported() {
    let text = mini_with("none_of = [0]", "none_of = [7]");
    let problems = problems(&text);
    assert_reported(&problems, line_of(&text, "none_of = [7]"), "names code 7");
}

#[test]
fn an_item_whose_route_can_never_hold_is_reported_as_unreachable() {
    let text = mini_with("none_of = [0]", "none_of = [0, 1, 2]").replace(
        "key = \"vape_lifetime\"\nkind = \"choice\"\nscale = \"times\"\n",
        "key = \"vape_lifetime\"\nkind = \"choice\"\nscale = \"times\"\nrequired = true\n",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "key = \"details\""),
        "section `details` can never be shown",
    );
}

#[test]
fn contradicting_routes_make_an_item_unreachable() {
    // The section needs vape_lifetime 1 or 2, the item needs 0.
    let text = mini_with(
        "required = true\ntext = { nl = \"Vape je nu?\"",
        "required = true\nshow_if = { item = \"vape_lifetime\", any_of = [0] }\ntext = { nl = \"Vape je nu?\"",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "key = \"vape_now\""),
        "item `vape_now` can never be shown",
    );
}

#[test]
fn an_indicator_on_an_unknown_item_is_reported_with_its_line() {
    let text = mini_with("item = \"vape_30d\"", "item = \"vape_last_month\"");
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "item = \"vape_last_month\""),
        "indicator `vape_30d` names unknown item `vape_last_month`",
    );
}

#[test]
fn an_indicator_counting_a_code_the_item_lacks_is_reported() {
    let text = mini_with("numerator = [1, 2]\n\n", "numerator = [1, 2, 3]\n\n");
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "numerator = [1, 2, 3]"),
        "counts code(s) 3, which item `vape_30d` does not have",
    );
}

#[test]
fn an_indicator_on_a_matrix_must_name_a_statement() {
    let text = mini_with("item = \"vape_30d\"", "item = \"friends_use\"");
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "item = \"friends_use\""),
        "name one of its statements",
    );
}

#[test]
fn counting_skipped_students_as_no_is_refused_for_routes_that_a_skip_triggers() {
    let text = mini_with("none_of = [0]", "any_of = [1, 2]");
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "not_shown_counts_as_no"),
        "uses `any_of`",
    );
}

#[test]
fn a_missing_translation_is_reported_with_its_line() {
    let text = mini_with(
        "text = { nl = \"Hoe oud ben je?\", en = \"How old are you?\", pl = \"Ile masz lat?\" }",
        "text = { nl = \"Hoe oud ben je?\", en = \"How old are you?\" }",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "text = { nl = \"Hoe oud"),
        "missing translation: item `age` has no `pl` text",
    );
}

#[test]
fn a_missing_dutch_indicator_label_is_reported_but_polish_is_not_needed() {
    let text = mini_with(
        "label = { nl = \"Vapet nu\", en = \"Vapes now\" }",
        "label = { en = \"Vapes now\" }",
    );
    let problems = problems(&text);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_reported(
        &problems,
        line_of(&text, "label = { en = \"Vapes now\" }"),
        "the label of indicator `vape_now` has no `nl` text",
    );
}

#[test]
fn a_text_in_an_unlisted_language_is_reported() {
    let text = mini_with(
        "pl = \"Ile masz lat?\"",
        "pl = \"Ile masz lat?\", de = \"Wie alt bist du?\"",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "de = \"Wie"),
        "`de`, which is not a listed language",
    );
}

#[test]
fn a_duplicate_item_key_is_reported_with_both_lines() {
    let text = mini_with("key = \"friends_smoke\"", "key = \"vape_30d\"");
    let problems = problems(&text);
    let first = line_of(&text, "key = \"vape_30d\"");
    let second = line_of(&text, "key = \"vape_30d\"\ntext = { nl = \"roken\"");
    assert_reported(
        &problems,
        second,
        &format!("duplicate key `vape_30d` (first used on line {first})"),
    );
}

#[test]
fn a_duplicate_option_code_is_reported() {
    let text = mini_with(
        "code = 2\ntext = { nl = \"vaker\"",
        "code = 1\ntext = { nl = \"vaker\"",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "code = 1\ntext = { nl = \"vaker\""),
        "duplicate code 1 in scale `times`",
    );
}

#[test]
fn a_reference_to_an_unknown_scale_is_reported_with_its_line() {
    let text = mini_with("scale = \"year\"", "scale = \"years\"");
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "scale = \"years\""),
        "item `school_year` uses unknown scale `years`",
    );
}

#[test]
fn a_wrong_item_count_is_reported() {
    let text = mini_with("items = 11", "items = 12");
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "items = 12"),
        "says it has 12 items, but it has 11",
    );
}

#[test]
fn comparing_use_on_different_scales_is_reported() {
    let text = mini_with("recent = \"vape_30d\"", "recent = \"school_year\"");
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "recent = \"school_year\""),
        "same frequency scale",
    );
}

#[test]
fn several_problems_are_reported_at_once() {
    let text = MINI
        .replacen("scale = \"year\"", "scale = \"years\"", 1)
        .replacen("item = \"vape_30d\"", "item = \"vape_last_month\"", 1)
        .replacen("pl = \"Ile masz lat?\"", "de = \"Wie alt bist du?\"", 1);
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "scale = \"years\""),
        "unknown scale",
    );
    assert_reported(&problems, line_of(&text, "vape_last_month"), "unknown item");
    assert_reported(&problems, line_of(&text, "Wie alt"), "has no `pl` text");
    assert_reported(
        &problems,
        line_of(&text, "Wie alt"),
        "not a listed language",
    );
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert!(
        lines.windows(2).all(|pair| pair[0] <= pair[1]),
        "problems come in file order"
    );
}

#[test]
fn a_problem_reads_as_file_line_and_message() {
    let text = mini_with("items = 11", "items = 12");
    let problems = problems(&text);
    assert_eq!(
        problems[0].to_string(),
        format!(
            "mini.toml:{}: the file says it has 12 items, but it has 11 (every matrix statement counts)",
            line_of(&text, "items = 12")
        )
    );
}

mod versions {
    use super::*;

    fn version_two(text: &str) -> Questionnaire {
        let text = text.replacen("version = 1", "version = 2", 1);
        match Questionnaire::load("mini-v2.toml", &text) {
            Ok(questionnaire) => questionnaire,
            Err(problems) => panic!("{problems:#?}"),
        }
    }

    #[test]
    fn an_unchanged_next_version_passes() {
        let next = version_two(&MINI.replacen(
            "minutes = 5",
            "minutes = 5\nunchanged = [\"vape_lifetime\", \"friends_vape\", \"age\"]",
            1,
        ));
        assert_eq!(next.check_against(&mini()), Vec::new());
    }

    #[test]
    fn an_option_code_that_changes_meaning_between_versions_is_reported() {
        let text = MINI.replacen("en = \"once\"", "en = \"once or twice\"", 1);
        let next = version_two(&text);
        let problems = next.check_against(&mini());
        assert!(!problems.is_empty());
        let first = &problems[0];
        assert_eq!(first.file, "mini-v2.toml");
        assert_eq!(first.line, line_of(&text, "key = \"vape_lifetime\""));
        assert!(
            first.message.contains("option code 1 of `vape_lifetime` meant \"once\" in version 1 and now means \"once or twice\""),
            "{}",
            first.message
        );
    }

    #[test]
    fn an_item_marked_unchanged_must_be_asked_as_before() {
        let text = MINI
            .replacen("minutes = 5", "minutes = 5\nunchanged = [\"age\"]", 1)
            .replacen("max = 20", "max = 19", 1);
        let problems = version_two(&text).check_against(&mini());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, line_of(&text, "key = \"age\""));
        assert!(problems[0].message.contains("`age` is marked unchanged"));
    }

    #[test]
    fn a_key_that_changes_its_kind_of_answer_is_reported() {
        let text = MINI.replacen(
            "key = \"drug_fake\"\nkind = \"choice\"\nscale = \"times\"",
            "key = \"drug_fake\"\nkind = \"number\"\nmin = 0\nmax = 9",
            1,
        );
        let problems = version_two(&text).check_against(&mini());
        assert!(
            problems.iter().any(|p| p
                .message
                .contains("`drug_fake` takes a different kind of answer")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_version_must_follow_an_earlier_one() {
        let problems = mini().check_against(&mini());
        assert!(problems.iter().any(|p| p.message.contains("cannot follow")));
    }
}

#[test]
fn a_field_that_does_not_fit_the_kind_of_item_is_reported() {
    let text = mini_with(
        "key = \"age\"\nkind = \"number\"",
        "key = \"age\"\nkind = \"number\"\nscale = \"year\"",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "scale = \"year\"\nmin"),
        "`scale` does not apply to item `age`",
    );
}

#[test]
fn a_route_on_a_matrix_must_name_a_statement() {
    let text = MINI
        .replacen(
            "key = \"friends_use\"\nkind = \"matrix\"",
            "key = \"after\"\nkind = \"choice\"\nscale = \"times\"\nshow_if = { item = \"friends_use\", any_of = [1] }\ntext = { nl = \"a\", en = \"a\", pl = \"a\" }\n\n[[sections.items]]\nkey = \"friends_use\"\nkind = \"matrix\"",
            1,
        )
        .replacen("items = 11", "items = 12", 1);
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "item = \"friends_use\""),
        "names matrix `friends_use`; name one of its statements",
    );
}
