//! Response rates during and after a wave: submitted against expected, per class
//! code and per school.
//!
//! While a wave runs these are operational counts: a teacher may see that 24 of
//! 27 have submitted, the region coordinator follows every school. Once a wave's
//! figures are released, a rate or a tally on a dashboard, report or download is
//! a count of a group like any other: from the rate and the registered sizes
//! anyone can work out how many students took part, so it is shown only where
//! the wave's one disclosure decision released that group's respondents
//! ([`ResponseRate::shown_for`], [`ClassTally::shown_in`]). Following that
//! decision, rather than a rule of its own, keeps the rates of places that add
//! up (region → schools, municipality → schools) protected against subtraction
//! exactly as the respondents are. The class code is generic so that the core
//! does not care whether the server tallies by [`crate::ClassCode`] or by its
//! own class id.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Group, Place, SchoolId, WaveResults};
use crate::disclosure::{Release, SuppressionReason};

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

impl<C> ClassTally<C> {
    /// The submitted count as it may be shown beside a released wave: only
    /// when the class's school has its respondents released, since the tallies
    /// of a school add up to how many of its students took part.
    pub fn shown_in(&self, results: &WaveResults) -> Release<u64> {
        place_counts(results, Place::School(self.school)).map(|()| self.submitted)
    }
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

    /// The rate of `place`'s schools as it may be shown beside a released wave:
    /// suppressed, for the same reason, wherever the place's respondents are.
    /// Rates cover every student of the place, so they follow the place's group
    /// of everybody whatever breakdown the reader chose.
    pub fn shown_for(self, results: &WaveResults, place: Place) -> Release<ResponseRate> {
        place_counts(results, place).map(|()| self)
    }

    fn add(&mut self, submitted: u64, expected: u64) {
        self.submitted += submitted;
        self.expected += expected;
    }
}

/// Whether counts of everybody in `place` may be shown in this wave. A place
/// without a single valid respondent is not a group, and whatever it counted
/// (all of it excluded, or a handful of submissions) is as small as a
/// suppressed one.
fn place_counts(results: &WaveResults, place: Place) -> Release<()> {
    match results.respondents(&Group::all(place)) {
        Some(release) => release.map(|_| ()),
        None => Release::Suppressed(SuppressionReason::TooFewRespondents),
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
