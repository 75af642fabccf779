//! Shared by the test binaries: the small questionnaire and ways to break it.

#![allow(dead_code)]

pub mod derivation;

use surveys::{Answers, ItemKey, Problem, Questionnaire};

pub const MINI: &str = include_str!("../fixtures/mini.toml");

pub fn mini() -> Questionnaire {
    match Questionnaire::load("mini.toml", MINI) {
        Ok(questionnaire) => questionnaire,
        Err(problems) => panic!("the test questionnaire does not load: {problems:#?}"),
    }
}

/// The mini questionnaire with `from` replaced by `to` (exactly once).
pub fn mini_with(from: &str, to: &str) -> String {
    assert_eq!(
        MINI.matches(from).count(),
        1,
        "`{from}` must occur once in mini.toml"
    );
    MINI.replacen(from, to, 1)
}

/// The problems of a file that must not load.
pub fn problems(text: &str) -> Vec<Problem> {
    match Questionnaire::load("mini.toml", text) {
        Ok(_) => panic!("the broken questionnaire loaded"),
        Err(problems) => problems,
    }
}

/// The 1-based line on which `needle` first occurs in `text`.
pub fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in the text"));
    1 + text[..at].matches('\n').count()
}

/// Asserts that a problem on `line` mentions `fragment`.
pub fn assert_reported(problems: &[Problem], line: usize, fragment: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.line == line && p.message.contains(fragment) && p.file == "mini.toml"),
        "no problem on line {line} mentioning `{fragment}`; got:\n{}",
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

pub fn answers(pairs: &[(&str, i32)]) -> Answers {
    pairs
        .iter()
        .map(|(key, code)| (ItemKey::new(*key), *code))
        .collect()
}
