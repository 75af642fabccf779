//! The validity screen: signs that a response was not answered seriously.
//!
//! It runs at submission; the flags are stored with the response so that excluded
//! responses can be counted and reported per wave, never silently dropped. The
//! caller measures how long the survey took; this crate never reads a clock.
//!
//! Flags are stored as a number ([`ValidityFlags::bits`]) and travel in JSON by
//! their stable keys: a flag as `"too_fast"`, a set of flags as
//! `["fictitious_drug", "too_fast"]`. An unknown key is refused, never read as clean.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::questionnaire::{Answers, ItemKind, Questionnaire};

/// One reason to doubt a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValidityFlag {
    /// Reported using a drug that does not exist.
    FictitiousDrug,
    /// Reported more use in the last 30 days than in their whole life.
    RecentAboveLifetime,
    /// An age nobody in that school year has.
    AgeForSchoolYear,
    /// Answered every statement of a long matrix in one column.
    StraightLined,
    /// Finished faster than the questions can be read.
    TooFast,
}

impl ValidityFlag {
    pub const ALL: [ValidityFlag; 5] = [
        ValidityFlag::FictitiousDrug,
        ValidityFlag::RecentAboveLifetime,
        ValidityFlag::AgeForSchoolYear,
        ValidityFlag::StraightLined,
        ValidityFlag::TooFast,
    ];

    /// The bit this flag is stored as. Never renumber: stored responses use it.
    const fn bit(self) -> u32 {
        match self {
            ValidityFlag::FictitiousDrug => 1,
            ValidityFlag::RecentAboveLifetime => 1 << 1,
            ValidityFlag::AgeForSchoolYear => 1 << 2,
            ValidityFlag::StraightLined => 1 << 3,
            ValidityFlag::TooFast => 1 << 4,
        }
    }

    /// Stable key for reports, exports and translations.
    pub fn key(self) -> &'static str {
        match self {
            ValidityFlag::FictitiousDrug => "fictitious_drug",
            ValidityFlag::RecentAboveLifetime => "recent_above_lifetime",
            ValidityFlag::AgeForSchoolYear => "age_for_school_year",
            ValidityFlag::StraightLined => "straight_lined",
            ValidityFlag::TooFast => "too_fast",
        }
    }

    pub fn from_key(key: &str) -> Option<ValidityFlag> {
        ValidityFlag::ALL.into_iter().find(|flag| flag.key() == key)
    }
}

/// The set of flags a response got; empty means it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ValidityFlags(u32);

/// A stored number with bits no flag uses: the data is from a newer version or
/// corrupt, and must not be read as "clean".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("validity flags {0:#x} contain bits no flag uses")]
pub struct UnknownFlagBits(pub u32);

impl ValidityFlags {
    pub const NONE: ValidityFlags = ValidityFlags(0);

    pub fn is_clean(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, flag: ValidityFlag) -> bool {
        self.0 & flag.bit() != 0
    }

    pub fn insert(&mut self, flag: ValidityFlag) {
        self.0 |= flag.bit();
    }

    /// The flags set, in a fixed order.
    pub fn iter(self) -> impl Iterator<Item = ValidityFlag> {
        ValidityFlag::ALL
            .into_iter()
            .filter(move |flag| self.contains(*flag))
    }

    /// The number stored in the database.
    pub fn bits(self) -> u32 {
        self.0
    }

    pub fn from_bits(bits: u32) -> Result<ValidityFlags, UnknownFlagBits> {
        let known = ValidityFlag::ALL
            .iter()
            .fold(0, |all, flag| all | flag.bit());
        if bits & !known == 0 {
            Ok(ValidityFlags(bits))
        } else {
            Err(UnknownFlagBits(bits & !known))
        }
    }
}

impl FromIterator<ValidityFlag> for ValidityFlags {
    fn from_iter<I: IntoIterator<Item = ValidityFlag>>(flags: I) -> Self {
        let mut set = ValidityFlags::NONE;
        for flag in flags {
            set.insert(flag);
        }
        set
    }
}

impl Serialize for ValidityFlag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for ValidityFlag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = String::deserialize(deserializer)?;
        ValidityFlag::from_key(&key)
            .ok_or_else(|| de::Error::custom(format!("`{key}` is not a validity flag")))
    }
}

impl Serialize for ValidityFlags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for ValidityFlags {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let flags = Vec::<ValidityFlag>::deserialize(deserializer)?;
        Ok(flags.into_iter().collect())
    }
}

impl fmt::Display for ValidityFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.iter().map(ValidityFlag::key).collect();
        f.write_str(&keys.join(","))
    }
}

/// A matrix needs this many statements before one column for all of them is
/// suspicious rather than a plausible honest answer.
pub const STRAIGHT_LINING_MINIMUM: usize = 4;

impl Questionnaire {
    /// Screens a submitted response. `seconds` is the time from the first page to
    /// submit, measured by the caller (and not stored).
    pub fn screen(&self, answers: &Answers, seconds: u32) -> ValidityFlags {
        let rules = self.validity_rules();
        let mut flags = ValidityFlags::NONE;
        if let Some((item, used)) = &rules.fictitious
            && answers.get(item).is_some_and(|code| used.contains(code))
        {
            flags.insert(ValidityFlag::FictitiousDrug);
        }
        let above_lifetime = rules.recent_within_lifetime.iter().any(|(lifetime, recent)| {
            matches!((answers.get(lifetime), answers.get(recent)), (Some(l), Some(r)) if r > l)
        });
        if above_lifetime {
            flags.insert(ValidityFlag::RecentAboveLifetime);
        }
        if let Some(rule) = &rules.age_for_school_year
            && let (Some(age), Some(year)) =
                (answers.get(&rule.age), answers.get(&rule.school_year))
            && rule
                .ages
                .get(year)
                .is_some_and(|(youngest, oldest)| !(youngest..=oldest).contains(&age))
        {
            flags.insert(ValidityFlag::AgeForSchoolYear);
        }
        if self.has_straight_lined_matrix(answers) {
            flags.insert(ValidityFlag::StraightLined);
        }
        if seconds < rules.fastest_plausible_seconds {
            flags.insert(ValidityFlag::TooFast);
        }
        flags
    }

    fn has_straight_lined_matrix(&self, answers: &Answers) -> bool {
        let matrices = self.sections().iter().flat_map(|section| &section.items);
        matrices.into_iter().any(|item| match &item.kind {
            ItemKind::Matrix {
                statements,
                straight_lining_check: true,
                ..
            } if statements.len() >= STRAIGHT_LINING_MINIMUM => {
                let codes: Option<Vec<_>> = statements
                    .iter()
                    .map(|statement| answers.get(&statement.key))
                    .collect();
                codes.is_some_and(|codes| codes.windows(2).all(|pair| pair[0] == pair[1]))
            }
            _ => false,
        })
    }
}
