//! An attacker's check of released figures, independent of the production
//! disclosure control, for tests.
//!
//! Production decides what to release in `surveys::disclosure`; a bug there
//! would be repeated by any test that asks the same code whether the result is
//! safe. This crate attacks the released figures instead, knowing only what an
//! outsider knows — which groups exist and how they nest — plus the truth, so
//! that it can say what an attacker would have found. It reuses the product's
//! data types and its questionnaire evaluation, never its disclosure rules.
//!
//! The model: a wave is published in one or more *releases*, each computed on
//! the responses at that moment (a reopen adds late students; a recomputation
//! with another k adds nobody). The attacker sees every released figure of every
//! release. The unknowns are, for every cell (school, place of residence, school
//! year, gender) and every layer of added responses, the respondents and each
//! indicator's numerator and denominator. Three checks narrow them:
//!
//! - **exact linear derivation**: a hidden figure whose row lies in the span of
//!   the known figures' rows follows by adding and subtracting them;
//! - **bounds**: every count is at least 0, a numerator at most its denominator,
//!   a denominator at most the respondents; propagated over every known sum, a
//!   hidden figure whose lower and upper bounds meet is known (a municipality
//!   whose released villages hold every drinker pins each hidden village to 0);
//! - **differencing across releases**: what was added to a group between two
//!   releases — fewer than k students, or a one-sided share — must not follow by
//!   either check.
//!
//! Each check builds on what the other found, until neither finds more.
//!
//! A finding is a hidden figure that follows exactly. Not a finding: a figure
//! another release shows over the same data; a 0 that a released group
//! containing it already states for everyone ("none of the 30 uses cocaine"
//! says it of the 3 girls among them); and a denominator of at least k in a
//! group whose size is shown, of an item put to everyone the indicator counts:
//! it is that size less those who skipped, a count shown beside every released
//! share that says nothing of what anyone answered. (Behind a route, where
//! those routed past are not counted, a denominator counts who got through —
//! those who ever drank — and stays a finding.) The attack still uses such
//! denominators to narrow the rest. A finding is a *disclosure* when the
//! figure is of a group (or of students added between releases) below k, of a
//! share with fewer than k answers, of a share where nobody or everybody is
//! counted, or of one with fewer than 2k answers and fewer than three on a
//! side. [`Audit::disclosures`] is the check the product's rules promise;
//! [`Audit::determined`] is the stricter one, every hidden figure that follows.
//!
//! The attacker knows each school's municipality, the places, school years and
//! genders the figures are broken down by, and that a group the results do not
//! list has nobody while one listed as withheld has somebody. Indicators on one
//! item with one rule for those routed past it have the same denominators in
//! every group: one released denominator is known for all of them.
//!
//! ```no_run
//! # use disclosure_auditor::Auditor;
//! # fn example(states: Vec<Vec<surveys::SurveyResponse>>, results: Vec<surveys::WaveResults>)
//! # -> Result<(), disclosure_auditor::AuditError> {
//! let mut auditor = Auditor::new(10, &states, surveys::standard_v1())?;
//! for (release, figures) in results.iter().enumerate() {
//!     auditor.observe_results(release, figures)?;
//! }
//! for finding in auditor.findings() {
//!     println!("{finding}");
//! }
//! # Ok(())
//! # }
//! ```

mod audit;
mod bounds;
mod finding;
mod model;
mod span;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use surveys::{Group, Questionnaire, Release, Share, SurveyResponse, WaveResults};

pub use finding::{Concern, Figure, Finding, Method, Scope};

use model::{Family, Model, Position};

/// A figure as an attacker reads it off a page, a chart or a download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observation {
    Respondents(u64),
    /// A share with its numerator and denominator.
    Share {
        indicator: String,
        share: Share,
    },
    /// Only how many answered an indicator's item ("n = 14").
    Answered {
        indicator: String,
        answered: u64,
    },
    /// The group is listed with its respondents withheld ("not shown"): it has
    /// somebody, or it would not be listed at all.
    Withheld,
}

/// Why the auditor cannot take its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditError {
    /// There is no data state to audit.
    NoStates,
    /// A data state has fewer responses somewhere than the one before it; the
    /// model only knows releases that add responses.
    ResponsesRemoved {
        state: usize,
    },
    UnknownRelease {
        release: usize,
        releases: usize,
    },
    UnknownIndicator(String),
    /// An observed figure is not what the responses say: the figures do not
    /// come from these responses, or the production code counts differently.
    Disagrees {
        release: usize,
        group: Group,
        figure: Figure,
        observed: u64,
        truth: u64,
    },
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditError::NoStates => f.write_str("no data state to audit"),
            AuditError::ResponsesRemoved { state } => write!(
                f,
                "data state {state} has fewer responses in some cell than the state before"
            ),
            AuditError::UnknownRelease { release, releases } => write!(
                f,
                "release {release} does not exist: there are {releases} data states"
            ),
            AuditError::UnknownIndicator(key) => write!(f, "unknown indicator {key}"),
            AuditError::Disagrees {
                release,
                group,
                figure,
                observed,
                truth,
            } => write!(
                f,
                "release {release}, {group}: {figure} observed as {observed}, but the responses give {truth}"
            ),
        }
    }
}

impl std::error::Error for AuditError {}

/// The attacker: the truth behind every release, and what has been observed.
pub struct Auditor {
    k: u64,
    model: Model,
    /// Known variables and their values.
    observed: BTreeMap<usize, i64>,
    /// Respondent counts known to be at least 1.
    withheld: BTreeSet<usize>,
}

impl Auditor {
    /// An auditor for the releases of one wave: `states[r]` holds the responses
    /// release `r` was computed on, each state holding at least those of the one
    /// before. `k` is the smallest group that may be shown; with releases under
    /// different thresholds, pass the smallest.
    pub fn new(
        k: u64,
        states: &[Vec<SurveyResponse>],
        questionnaire: &Questionnaire,
    ) -> Result<Auditor, AuditError> {
        Ok(Auditor {
            k,
            model: Model::new(states, questionnaire)?,
            observed: BTreeMap::new(),
            withheld: BTreeSet::new(),
        })
    }

    /// How many releases the truth covers.
    pub fn releases(&self) -> usize {
        self.model.layers
    }

    /// Records one figure of `release` as the attacker saw it.
    pub fn observe(
        &mut self,
        release: usize,
        group: &Group,
        observation: Observation,
    ) -> Result<(), AuditError> {
        if release >= self.model.layers {
            return Err(AuditError::UnknownRelease {
                release,
                releases: self.model.layers,
            });
        }
        let indicator = |key: &str| {
            self.model
                .indicator(key)
                .ok_or_else(|| AuditError::UnknownIndicator(key.to_owned()))
        };
        let known: Vec<(Family, Figure, u64)> = match observation {
            Observation::Withheld => return self.observe_withheld(release, group),
            Observation::Respondents(n) => vec![(Family::Respondents, Figure::Respondents, n)],
            Observation::Share {
                indicator: key,
                share,
            } => {
                let i = indicator(&key)?;
                vec![
                    (
                        Family::Yes(i),
                        Figure::Numerator {
                            indicator: key.clone(),
                        },
                        share.numerator(),
                    ),
                    (
                        Family::No(i),
                        Figure::Complement {
                            indicator: key.clone(),
                        },
                        share.complement(),
                    ),
                    (
                        Family::Answered(self.model.class_of[i]),
                        Figure::Denominator { indicator: key },
                        share.denominator(),
                    ),
                ]
            }
            Observation::Answered {
                indicator: key,
                answered,
            } => {
                let i = indicator(&key)?;
                vec![(
                    Family::Answered(self.model.class_of[i]),
                    Figure::Denominator { indicator: key },
                    answered,
                )]
            }
        };
        for (family, figure, value) in known {
            let Some(g) = self.model.group(group) else {
                // Nobody of any state is in this group; a 0 is no news.
                if value == 0 {
                    continue;
                }
                return Err(AuditError::Disagrees {
                    release,
                    group: *group,
                    figure,
                    observed: value,
                    truth: 0,
                });
            };
            let variable = self
                .model
                .variable(family, Position::Release { group: g, release });
            let truth = self.model.truth(variable);
            if i64::try_from(value) != Ok(truth) {
                return Err(AuditError::Disagrees {
                    release,
                    group: *group,
                    figure,
                    observed: value,
                    truth: truth as u64,
                });
            }
            self.observed.insert(variable, truth);
        }
        Ok(())
    }

    fn observe_withheld(&mut self, release: usize, group: &Group) -> Result<(), AuditError> {
        let disagrees = AuditError::Disagrees {
            release,
            group: *group,
            figure: Figure::Respondents,
            observed: 1,
            truth: 0,
        };
        let g = self.model.group(group).ok_or(disagrees.clone())?;
        let variable = self
            .model
            .variable(Family::Respondents, Position::Release { group: g, release });
        if self.model.truth(variable) == 0 {
            return Err(disagrees);
        }
        self.withheld.insert(variable);
        Ok(())
    }

    /// Records every figure `results` releases, as release `release`. A group
    /// that the results do not list has nobody in it, and one they list with
    /// its respondents withheld has somebody: those are figures too.
    pub fn observe_results(
        &mut self,
        release: usize,
        results: &WaveResults,
    ) -> Result<(), AuditError> {
        for (group, figures) in results.groups() {
            let respondents = match figures.respondents {
                Release::Released(n) => Observation::Respondents(n),
                Release::Suppressed(_) => Observation::Withheld,
            };
            self.observe(release, group, respondents)?;
            for (indicator, share) in &figures.indicators {
                if let Release::Released(share) = *share {
                    let indicator = indicator.clone();
                    self.observe(release, group, Observation::Share { indicator, share })?;
                }
            }
        }
        let absent: Vec<Group> = self
            .model
            .groups
            .iter()
            .filter(|g| results.group(g).is_none())
            .copied()
            .collect();
        for group in absent {
            self.observe(release, &group, Observation::Respondents(0))?;
        }
        Ok(())
    }

    /// Runs the attack on everything observed so far.
    pub fn audit(&self) -> Audit {
        Audit {
            findings: audit::run(&self.model, &self.observed, &self.withheld, self.k),
        }
    }

    /// The hidden figures an attacker can work out and must not (see
    /// [`Audit::disclosures`]).
    pub fn findings(&self) -> Vec<Finding> {
        self.audit().disclosures().cloned().collect()
    }
}

/// What the attack found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    findings: Vec<Finding>,
}

impl Audit {
    /// Every hidden figure that follows exactly, protected or not: the strict
    /// check, for tests that hold a release to "nothing hidden is derivable".
    pub fn determined(&self) -> &[Finding] {
        &self.findings
    }

    /// The hidden figures whose knowledge the rules forbid: of groups below k,
    /// of shares with too few answers, with nobody or everybody counted, or with
    /// too few on a side.
    pub fn disclosures(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.concern.is_some())
    }

    /// One finding per line, for a test's failure message.
    pub fn describe<'a>(findings: impl IntoIterator<Item = &'a Finding>, most: usize) -> String {
        let findings: Vec<&Finding> = findings.into_iter().collect();
        let mut text: String = findings
            .iter()
            .take(most)
            .map(|f| format!("  {f}\n"))
            .collect();
        if findings.len() > most {
            text.push_str(&format!("  … and {} more\n", findings.len() - most));
        }
        text
    }
}
