//! Checking what a student submitted: one section's page, or a whole response.
//!
//! Unknown items, impossible codes and missing required answers are errors the
//! student (or a broken client) must correct. Answers to items hidden by routing
//! are *dropped*, not rejected: without JavaScript a page cannot hide an item when
//! an answer on the same page changes, and a student who changes "I have drunk"
//! into "never" on an earlier page should not be stopped by stale follow-ups.

use super::{AnswerCode, Answers, ItemKey, Questionnaire};

/// Why a submitted answer cannot be accepted; each has a stable key the UI
/// translates and the API returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("there is no section `{0}`")]
    UnknownSection(String),
    #[error("there is no item `{0}`")]
    UnknownItem(ItemKey),
    #[error("item `{0}` belongs to another section")]
    OtherSection(ItemKey),
    #[error("{1} is not a possible answer to item `{0}`")]
    OutOfRange(ItemKey, AnswerCode),
    #[error("item `{0}` needs an answer")]
    Missing(ItemKey),
}

impl AnswerError {
    /// Stable key for translations and JSON error bodies.
    pub fn key(&self) -> &'static str {
        match self {
            AnswerError::UnknownSection(_) => "answer.unknown_section",
            AnswerError::UnknownItem(_) => "answer.unknown_item",
            AnswerError::OtherSection(_) => "answer.other_section",
            AnswerError::OutOfRange(..) => "answer.out_of_range",
            AnswerError::Missing(_) => "answer.missing",
        }
    }

    /// The item the error is about, to show the message next to it.
    pub fn item(&self) -> Option<&ItemKey> {
        match self {
            AnswerError::UnknownSection(_) => None,
            AnswerError::UnknownItem(key)
            | AnswerError::OtherSection(key)
            | AnswerError::OutOfRange(key, _)
            | AnswerError::Missing(key) => Some(key),
        }
    }
}

impl Questionnaire {
    /// Checks the answers submitted on the page of section `section_key`.
    ///
    /// `earlier` are the answers kept from the other pages; routing is evaluated
    /// on them together with `submitted` (answers to this section in `earlier` are
    /// replaced). `villages` are the codes of the municipality's villages.
    /// On success, returns the submitted answers without those to hidden items.
    pub fn check_section(
        &self,
        section_key: &str,
        submitted: &Answers,
        earlier: &Answers,
        villages: &[AnswerCode],
    ) -> Result<Answers, Vec<AnswerError>> {
        let Some(section) = self.sections.iter().position(|s| s.key == section_key) else {
            return Err(vec![AnswerError::UnknownSection(section_key.to_owned())]);
        };
        let mut combined: Answers = earlier
            .iter()
            .filter(|(key, _)| {
                self.slots
                    .get(key.as_str())
                    .is_none_or(|slot| slot.section != section)
            })
            .map(|(key, code)| (key.clone(), *code))
            .collect();
        combined.extend(submitted.iter().map(|(key, code)| (key.clone(), *code)));
        self.check(Some(section), submitted, &combined, villages)
    }

    /// Checks a whole response at submission (the JavaScript client sends all
    /// pages at once; the review step re-checks the kept answers). On success,
    /// returns the answers without those to hidden items.
    pub fn check_response(
        &self,
        answers: &Answers,
        villages: &[AnswerCode],
    ) -> Result<Answers, Vec<AnswerError>> {
        self.check(None, answers, answers, villages)
    }

    fn check(
        &self,
        only_section: Option<usize>,
        submitted: &Answers,
        combined: &Answers,
        villages: &[AnswerCode],
    ) -> Result<Answers, Vec<AnswerError>> {
        let mut errors = Vec::new();
        for (key, &code) in submitted {
            match self.slots.get(key.as_str()) {
                None => errors.push(AnswerError::UnknownItem(key.clone())),
                Some(slot) if only_section.is_some_and(|s| s != slot.section) => {
                    errors.push(AnswerError::OtherSection(key.clone()))
                }
                Some(_) if !self.accepts(key.as_str(), code, villages) => {
                    errors.push(AnswerError::OutOfRange(key.clone(), code))
                }
                Some(_) => {}
            }
        }
        for (index, section) in self.sections.iter().enumerate() {
            if only_section.is_some_and(|s| s != index) {
                continue;
            }
            for item in self.shown_items(section, combined) {
                if !item.required {
                    continue;
                }
                for key in item.answer_keys() {
                    if !submitted.contains_key(key) {
                        errors.push(AnswerError::Missing(key.clone()));
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(submitted
            .iter()
            .filter(|(key, _)| self.is_item_shown(key.as_str(), combined))
            .map(|(key, code)| (key.clone(), *code))
            .collect())
    }
}
