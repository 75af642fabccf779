//! Comparing a new questionnaire version with the previous one, so that trends
//! only ever compare answers that meant the same thing.

use super::load::REQUIRED_LANGUAGES;
use super::{Item, ItemKind, Problem, Questionnaire, Scale, Text};

/// The question an answer key asks, as far as meaning goes: the item's text, the
/// statement's text for a matrix statement, and what the answers can be.
struct Asked<'q> {
    item: &'q Item,
    statement: Option<&'q Text>,
    line: usize,
}

impl Questionnaire {
    fn asked(&self, key: &str) -> Option<Asked<'_>> {
        let item = self.item(key)?;
        let statement = match &item.kind {
            ItemKind::Matrix { statements, .. } => {
                statements.iter().find(|s| s.key.as_str() == key)
            }
            _ => None,
        };
        Some(Asked {
            item,
            statement: statement.map(|s| &s.text),
            line: statement.map_or(item.line, |s| s.line),
        })
    }

    /// Checks this version against `previous`: a code that stays must keep its
    /// meaning, a key that stays must keep its kind of answer, and an item marked
    /// unchanged must be asked exactly as before. Meaning is judged on the Dutch
    /// and English texts; other translations may be improved freely.
    pub fn check_against(&self, previous: &Questionnaire) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut problem = |line: usize, message: String| {
            problems.push(Problem {
                file: self.file_name.clone(),
                line,
                message,
            })
        };
        if previous.key != self.key || previous.version >= self.version {
            problem(
                1,
                format!(
                    "`{}` version {} cannot follow `{}` version {}",
                    self.key, self.version, previous.key, previous.version
                ),
            );
        }
        let old_version = previous.version;
        for key in self.answer_keys() {
            let (Some(new), Some(old)) = (self.asked(key.as_str()), previous.asked(key.as_str()))
            else {
                if self.unchanged.contains(key) {
                    let line = self.asked(key.as_str()).map_or(1, |asked| asked.line);
                    problem(
                        line,
                        format!(
                            "`{key}` is marked unchanged, but version {old_version} has no such item"
                        ),
                    );
                }
                continue;
            };
            match (&new.item.kind, &old.item.kind) {
                (
                    ItemKind::Choice { scale } | ItemKind::Matrix { scale, .. },
                    ItemKind::Choice { scale: old_scale }
                    | ItemKind::Matrix {
                        scale: old_scale, ..
                    },
                ) => {
                    for (code, now, before) in changed_codes(scale, old_scale) {
                        problem(
                            new.line,
                            format!(
                                "option code {code} of `{key}` meant \"{before}\" in version {old_version} and now means \"{now}\"; a new meaning needs a new code"
                            ),
                        );
                    }
                }
                (ItemKind::Number { .. }, ItemKind::Number { .. })
                | (ItemKind::Village { .. }, ItemKind::Village { .. }) => {}
                _ => problem(
                    new.line,
                    format!(
                        "`{key}` takes a different kind of answer than in version {old_version}; a changed question needs a new key"
                    ),
                ),
            }
            if self.unchanged.contains(key) && !asked_alike(&new, &old) {
                problem(
                    new.line,
                    format!(
                        "`{key}` is marked unchanged, but its wording or answers differ from version {old_version}"
                    ),
                );
            }
        }
        problems
    }
}

/// Codes both scales have whose Dutch or English text differs: (code, now, before).
fn changed_codes(new: &Scale, old: &Scale) -> Vec<(i32, String, String)> {
    new.options
        .iter()
        .filter_map(|option| {
            let before = old.option(option.code)?;
            let differs = REQUIRED_LANGUAGES
                .iter()
                .any(|language| option.text.get(language) != before.text.get(language));
            differs.then(|| {
                (
                    option.code,
                    option.text.get(super::FALLBACK_LANGUAGE).to_owned(),
                    before.text.get(super::FALLBACK_LANGUAGE).to_owned(),
                )
            })
        })
        .collect()
}

fn same_words(a: &Text, b: &Text) -> bool {
    REQUIRED_LANGUAGES
        .iter()
        .all(|language| a.get(language) == b.get(language))
}

/// Same question text, same statement text, same possible answers.
fn asked_alike(new: &Asked<'_>, old: &Asked<'_>) -> bool {
    let statements_alike = match (new.statement, old.statement) {
        (Some(a), Some(b)) => same_words(a, b),
        (None, None) => true,
        _ => false,
    };
    let answers_alike = match (&new.item.kind, &old.item.kind) {
        (
            ItemKind::Choice { scale } | ItemKind::Matrix { scale, .. },
            ItemKind::Choice { scale: old_scale }
            | ItemKind::Matrix {
                scale: old_scale, ..
            },
        ) => {
            scale.options.len() == old_scale.options.len()
                && scale
                    .options
                    .iter()
                    .zip(&old_scale.options)
                    .all(|(a, b)| a.code == b.code && same_words(&a.text, &b.text))
        }
        (
            ItemKind::Number { min, max },
            ItemKind::Number {
                min: old_min,
                max: old_max,
            },
        ) => (min, max) == (old_min, old_max),
        (ItemKind::Village { elsewhere }, ItemKind::Village { elsewhere: old }) => {
            elsewhere.code == old.code
        }
        _ => false,
    };
    same_words(&new.item.text, &old.item.text) && statements_alike && answers_alike
}
