//! Indicator definitions: the shares dashboards show, as the questionnaire defines
//! them, and how one response counts towards each.

use std::collections::BTreeSet;

use super::{AnswerCode, Answers, ItemKey, Questionnaire, Text};
use crate::indicator::{Direction, Domain};

/// A share of respondents: those whose answer to `item` is one of the `numerator`
/// codes, out of those who were shown the item and answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Stable across versions, like item keys; goals are set on it.
    pub key: String,
    /// Dashboard label, at least in Dutch and English.
    pub label: Text,
    pub domain: Domain,
    pub direction: Direction,
    pub item: ItemKey,
    pub numerator: BTreeSet<AnswerCode>,
    /// Students whose answers made the route skip the item count as "no" (in the
    /// denominator, not the numerator): "drunk in the last 30 days" is a share of
    /// all students, and who never drank was never asked. The loader allows this
    /// only when every route to the item hides it because of an answer.
    pub not_shown_counts_as_no: bool,
}

impl Questionnaire {
    /// How one response counts towards an indicator: `Some(true)` in the numerator
    /// (and the denominator), `Some(false)` only in the denominator, `None` not
    /// counted (the item was skipped, or routing did not show it and the indicator
    /// does not count that as "no").
    pub fn evaluate(&self, indicator: &Indicator, answers: &Answers) -> Option<bool> {
        if !self.is_item_shown(indicator.item.as_str(), answers) {
            return indicator.not_shown_counts_as_no.then_some(false);
        }
        let code = answers.get(indicator.item.as_str())?;
        Some(indicator.numerator.contains(code))
    }
}
