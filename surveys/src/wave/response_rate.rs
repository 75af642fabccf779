//! Response rates during and after a wave: submitted against expected, per class
//! code and per school.
//!
//! These count submissions, never answers, so they need no suppression: a teacher
//! may see that 24 of 27 have submitted. The class code is generic so that the
//! core does not care whether the server tallies by [`crate::ClassCode`] or by
//! its own class id.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::SchoolId;

/// One class's tally, as the server counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassTally<C> {
    pub code: C,
    pub school: SchoolId,
    /// The class size the school coordinator registered.
    pub expected: u64,
    /// Submitted responses (each counted once, flagged ones included: the
    /// student took part).
    pub submitted: u64,
}

/// Submitted against expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResponseRate {
    pub submitted: u64,
    pub expected: u64,
}

impl ResponseRate {
    /// In percent; `None` when nobody is expected. Above 100 when more students
    /// submitted than were registered (a class size to correct), so it is not
    /// capped.
    pub fn percent(self) -> Option<f64> {
        (self.expected > 0).then(|| self.submitted as f64 * 100.0 / self.expected as f64)
    }

    fn add(&mut self, submitted: u64, expected: u64) {
        self.submitted += submitted;
        self.expected += expected;
    }
}

/// Response rates of a wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseRates<C: Ord> {
    pub classes: BTreeMap<C, ResponseRate>,
    pub schools: BTreeMap<SchoolId, ResponseRate>,
    pub total: ResponseRate,
}

/// Adds up class tallies per class code, per school and in total. A code listed
/// twice is added up.
pub fn response_rates<C: Ord + Clone>(tallies: &[ClassTally<C>]) -> ResponseRates<C> {
    let mut rates = ResponseRates {
        classes: BTreeMap::new(),
        schools: BTreeMap::new(),
        total: ResponseRate::default(),
    };
    for tally in tallies {
        let (submitted, expected) = (tally.submitted, tally.expected);
        rates
            .classes
            .entry(tally.code.clone())
            .or_default()
            .add(submitted, expected);
        rates
            .schools
            .entry(tally.school)
            .or_default()
            .add(submitted, expected);
        rates.total.add(submitted, expected);
    }
    rates
}
