//! Routing: which sections and items a student sees, given the answers so far.
//!
//! A route is a condition on one earlier answer. A condition on an item that was
//! itself hidden never holds, so routes chain: whoever never drank does not see
//! the drinking details, nor anything routed on those details.

use std::collections::BTreeSet;

use super::{AnswerCode, Answers, Item, ItemKey, Questionnaire, Section};

/// What the earlier answer must be for the route to show its section or item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionTest {
    /// The item was answered with one of these codes.
    AnyOf(BTreeSet<AnswerCode>),
    /// The item was skipped, or answered with none of these codes. Skipping keeps
    /// the follow-up questions: not knowing is no reason to hide them.
    NoneOf(BTreeSet<AnswerCode>),
}

/// A route: shows a section or item only when an earlier answer passes a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub item: ItemKey,
    pub test: ConditionTest,
}

impl ConditionTest {
    /// Whether an answer (or a skip, `None`) passes the test.
    pub fn passes(&self, answer: Option<AnswerCode>) -> bool {
        match (self, answer) {
            (ConditionTest::AnyOf(codes), Some(code)) => codes.contains(&code),
            (ConditionTest::AnyOf(_), None) => false,
            (ConditionTest::NoneOf(codes), Some(code)) => !codes.contains(&code),
            (ConditionTest::NoneOf(_), None) => true,
        }
    }

    pub fn codes(&self) -> &BTreeSet<AnswerCode> {
        match self {
            ConditionTest::AnyOf(codes) | ConditionTest::NoneOf(codes) => codes,
        }
    }
}

impl Questionnaire {
    /// Whether a route's condition holds: its item is shown and its answer passes.
    pub fn holds(&self, condition: &Condition, answers: &Answers) -> bool {
        self.is_item_shown(condition.item.as_str(), answers)
            && condition
                .test
                .passes(answers.get(condition.item.as_str()).copied())
    }

    fn route_allows(&self, route: Option<&Condition>, answers: &Answers) -> bool {
        route.is_none_or(|condition| self.holds(condition, answers))
    }

    /// Whether the answer key `key` (an item or a matrix statement) is shown to a
    /// student with these answers. Unknown keys are never shown.
    ///
    /// Routes only ever point at earlier items (the loader checks), so this
    /// recursion always ends.
    pub fn is_item_shown(&self, key: &str, answers: &Answers) -> bool {
        let Some(slot) = self.slots.get(key) else {
            return false;
        };
        let section = &self.sections[slot.section];
        self.route_allows(section.show_if.as_ref(), answers)
            && self.route_allows(section.items[slot.item].show_if.as_ref(), answers)
    }

    /// The items of `section` shown to a student with these answers, in page order.
    pub fn shown_items<'q>(&'q self, section: &'q Section, answers: &Answers) -> Vec<&'q Item> {
        if !self.route_allows(section.show_if.as_ref(), answers) {
            return Vec::new();
        }
        section
            .items
            .iter()
            .filter(|item| self.route_allows(item.show_if.as_ref(), answers))
            .collect()
    }

    /// Whether the section gets a page: its route holds and it shows at least one
    /// item (a page of hidden items would only confuse).
    pub fn is_section_shown(&self, section: &Section, answers: &Answers) -> bool {
        !self.shown_items(section, answers).is_empty()
    }

    /// The section after `current` (`None`: before the first) that gets a page,
    /// or `None` when the next step is the review and submit.
    pub fn next_section(&self, current: Option<&str>, answers: &Answers) -> Option<&Section> {
        let start = match current {
            None => 0,
            Some(key) => self.sections.iter().position(|s| s.key == key)? + 1,
        };
        self.sections
            .iter()
            .skip(start)
            .find(|section| self.is_section_shown(section, answers))
    }

    /// The section before `current` that gets a page, for the back button.
    pub fn previous_section(&self, current: &str, answers: &Answers) -> Option<&Section> {
        let end = self.sections.iter().position(|s| s.key == current)?;
        self.sections[..end]
            .iter()
            .rev()
            .find(|section| self.is_section_shown(section, answers))
    }

    /// Drops answers to items the student is not shown, so that a changed earlier
    /// answer (say, "never drank" after all) leaves no stale follow-up answers.
    pub fn without_hidden(&self, answers: &Answers) -> Answers {
        answers
            .iter()
            .filter(|(key, _)| self.is_item_shown(key.as_str(), answers))
            .map(|(key, code)| (key.clone(), *code))
            .collect()
    }
}
