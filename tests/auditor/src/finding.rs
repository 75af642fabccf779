//! What the auditor reports: a hidden figure an attacker can work out exactly.

use std::fmt;

use surveys::Group;

/// Which count of a group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Figure {
    Respondents,
    /// Those counted by an indicator.
    Numerator {
        indicator: String,
    },
    /// Those who answered an indicator's item.
    Denominator {
        indicator: String,
    },
    /// Those who answered but are not counted: 0 says the share is 100 %.
    Complement {
        indicator: String,
    },
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Respondents => f.write_str("respondents"),
            Figure::Numerator { indicator } => write!(f, "numerator of {indicator}"),
            Figure::Denominator { indicator } => write!(f, "denominator of {indicator}"),
            Figure::Complement { indicator } => {
                write!(f, "answers not counted by {indicator}")
            }
        }
    }
}

/// Which students of the group the figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Everyone, as this release (numbered from 0) counts them.
    Release(usize),
    /// Only those added between two releases: late students after a reopen.
    Added { since: usize, release: usize },
}

/// Which of the auditor's checks worked the figure out. Either may build on
/// what the other found before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// Adding and subtracting known figures: exact linear algebra.
    Linear,
    /// Interval propagation: every count is at least 0, so a sum of released
    /// figures that leaves nothing over pins every hidden part.
    Bounds,
}

/// Why the figure may not be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Concern {
    /// The group (or the set of added students) has fewer than k respondents.
    SmallGroup { respondents: u64, k: u64 },
    /// Fewer than k answered the item.
    FewAnswers { answers: u64, k: u64 },
    /// Nobody (numerator) or everybody (complement) of those who answered is
    /// counted: the share tells each member's answer, whatever the group's size.
    Unanimous { answers: u64 },
    /// Fewer than 2k answered and fewer than three are on the figure's side:
    /// those few can read off everybody else's answer.
    AnswersTooAlike { side: u64, answers: u64 },
}

impl fmt::Display for Concern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Concern::SmallGroup { respondents, k } => {
                write!(f, "{respondents} respondents, fewer than k = {k}")
            }
            Concern::FewAnswers { answers, k } => {
                write!(f, "{answers} answered, fewer than k = {k}")
            }
            Concern::Unanimous { answers } => {
                write!(
                    f,
                    "all {answers} who answered are on one side (0 % or 100 %)"
                )
            }
            Concern::AnswersTooAlike { side, answers } => {
                write!(f, "{side} of {answers} on one side, too few to hide among")
            }
        }
    }
}

/// A hidden figure that follows exactly from what was released.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    pub scope: Scope,
    pub group: Group,
    pub figure: Figure,
    /// What the attacker works out (and what is true).
    pub value: u64,
    pub method: Method,
    /// `None` when the figure is hidden and derivable but says nothing the
    /// rules protect; the strict check still counts it.
    pub concern: Option<Concern>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scope {
            Scope::Release(release) => {
                write!(f, "release {release}, {}: hidden ", self.group)?;
            }
            Scope::Added { since, release } => write!(
                f,
                "students added to {} between release {since} and {release}: ",
                self.group
            )?,
        }
        let how = match self.method {
            Method::Linear => "adding and subtracting known figures",
            Method::Bounds => "interval bounds",
        };
        write!(f, "{} = {}, found by {how}", self.figure, self.value)?;
        match self.concern {
            Some(concern) => write!(f, " — {concern}"),
            None => Ok(()),
        }
    }
}
