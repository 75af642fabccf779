//! Prevention goals and whether they are being reached.
//!
//! A community sets a goal on a released figure: the baseline (that figure, in
//! the wave it was released in), a target percentage and the year it should be
//! reached by. Every later wave then says how the goal stands, by one rule:
//!
//! - **achieved**: the latest figure is at or beyond the target, and the change
//!   from the baseline is real by the project's rule (significant at 95 % and at
//!   least [`REAL_DIFFERENCE_POINTS`] points, see [`crate::statistics`]);
//! - **on course**: not achieved, the target year has not passed, and the good end
//!   of the latest figure's 95 % interval reaches the straight path from the
//!   baseline to the target (the path's value in the latest wave's year): the
//!   figure is consistent with the path, or better than it;
//! - **off course**: neither — including a target year that came without the
//!   goal being achieved;
//! - **too early**: no wave after the baseline has been released yet;
//! - **not measurable**: the latest wave's figure is not shown (too few
//!   respondents, or it protects a small group), or the question changed so that
//!   the figure may not be set beside the baseline.
//!
//! A target must be at least [`REAL_DIFFERENCE_POINTS`] points better than the
//! baseline: a smaller one could never be shown to be reached.

use serde::{Deserialize, Serialize};

use crate::indicator::Direction;
use crate::statistics::{Change, REAL_DIFFERENCE_POINTS, Share, Trend};

/// A goal whose numbers have been checked: see [`Goal::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    baseline: Share,
    baseline_year: i32,
    target_percent: f64,
    target_year: i32,
    direction: Direction,
}

/// Why a goal cannot be set as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GoalError {
    #[error("the baseline figure has no respondents")]
    EmptyBaseline,
    #[error("a target is a percentage from 0 to 100")]
    TargetOutOfRange,
    #[error("the target year must come after the baseline wave's year")]
    TargetYearNotAfterBaseline,
    #[error("the target must be at least three points better than the baseline")]
    TargetNotAnImprovement,
}

impl GoalError {
    /// Stable key for translations.
    pub fn key(self) -> &'static str {
        match self {
            GoalError::EmptyBaseline => "goal.empty_baseline",
            GoalError::TargetOutOfRange => "goal.target_out_of_range",
            GoalError::TargetYearNotAfterBaseline => "goal.target_year_not_after_baseline",
            GoalError::TargetNotAnImprovement => "goal.target_not_an_improvement",
        }
    }
}

impl Goal {
    pub fn new(
        baseline: Share,
        baseline_year: i32,
        target_percent: f64,
        target_year: i32,
        direction: Direction,
    ) -> Result<Goal, GoalError> {
        let baseline_percent = baseline.percent().ok_or(GoalError::EmptyBaseline)?;
        if !target_percent.is_finite() || !(0.0..=100.0).contains(&target_percent) {
            return Err(GoalError::TargetOutOfRange);
        }
        if target_year <= baseline_year {
            return Err(GoalError::TargetYearNotAfterBaseline);
        }
        let gain = if direction.higher_is_better() {
            target_percent - baseline_percent
        } else {
            baseline_percent - target_percent
        };
        // A little slack for a target typed to one decimal (13.3 → 10.3).
        if gain < REAL_DIFFERENCE_POINTS as f64 - 1e-9 {
            return Err(GoalError::TargetNotAnImprovement);
        }
        Ok(Goal {
            baseline,
            baseline_year,
            target_percent,
            target_year,
            direction,
        })
    }

    pub fn baseline(&self) -> Share {
        self.baseline
    }

    pub fn baseline_year(&self) -> i32 {
        self.baseline_year
    }

    pub fn target_percent(&self) -> f64 {
        self.target_percent
    }

    pub fn target_year(&self) -> i32 {
        self.target_year
    }

    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The straight path from the baseline to the target, in percent, in
    /// `year`: the baseline before its year, the target from the target year on.
    pub fn path(&self, year: i32) -> f64 {
        let start = self.baseline.percent().unwrap_or(0.0);
        if year <= self.baseline_year {
            return start;
        }
        if year >= self.target_year {
            return self.target_percent;
        }
        let done =
            f64::from(year - self.baseline_year) / f64::from(self.target_year - self.baseline_year);
        start + (self.target_percent - start) * done
    }

    /// Whether `percent` is at or beyond the target, in the good direction.
    fn reaches_target(&self, percent: f64) -> bool {
        if self.direction.higher_is_better() {
            percent >= self.target_percent
        } else {
            percent <= self.target_percent
        }
    }

    /// How the goal stands by the latest wave after its baseline.
    pub fn progress(&self, latest: Observation) -> Progress {
        let (year, share) = match latest {
            Observation::NoLaterWave => return Progress::without(GoalStatus::TooEarly),
            Observation::Withheld { year } => {
                return Progress {
                    year: Some(year),
                    ..Progress::without(GoalStatus::NotMeasurable)
                };
            }
            Observation::Incomparable { year } => {
                return Progress {
                    year: Some(year),
                    ..Progress::without(GoalStatus::NotMeasurable)
                };
            }
            Observation::Released { year, .. } if year <= self.baseline_year => {
                return Progress::without(GoalStatus::TooEarly);
            }
            Observation::Released { year, share } => (year, share),
        };
        let (Some(percent), Some(interval)) = (share.percent(), share.wilson_interval()) else {
            return Progress {
                year: Some(year),
                ..Progress::without(GoalStatus::NotMeasurable)
            };
        };
        let change = Change::between(self.baseline, share, self.direction);
        let expected = self.path(year);
        let real_improvement = change.is_some_and(|c| c.trend == Trend::Improved);
        let status = if self.reaches_target(percent) && real_improvement {
            GoalStatus::Achieved
        } else if year >= self.target_year {
            GoalStatus::OffCourse
        } else {
            // The good end of the interval: the lower for a figure that should
            // fall, the upper for one that should rise.
            let good_end = if self.direction.higher_is_better() {
                interval.upper * 100.0
            } else {
                interval.lower * 100.0
            };
            let reaches_path = if self.direction.higher_is_better() {
                good_end >= expected
            } else {
                good_end <= expected
            };
            if reaches_path {
                GoalStatus::OnCourse
            } else {
                GoalStatus::OffCourse
            }
        };
        Progress {
            status,
            year: Some(year),
            observed: Some(share),
            expected: Some(expected),
            change,
        }
    }
}

/// The figure of a goal's indicator and group in the latest released wave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Observation {
    /// No wave has been released after the baseline's.
    NoLaterWave,
    /// The latest wave's figure is suppressed.
    Withheld {
        year: i32,
    },
    /// The question changed since the baseline: no trend may be drawn.
    Incomparable {
        year: i32,
    },
    Released {
        year: i32,
        share: Share,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    Achieved,
    OnCourse,
    OffCourse,
    TooEarly,
    NotMeasurable,
}

impl GoalStatus {
    pub const ALL: [GoalStatus; 5] = [
        GoalStatus::Achieved,
        GoalStatus::OnCourse,
        GoalStatus::OffCourse,
        GoalStatus::TooEarly,
        GoalStatus::NotMeasurable,
    ];

    /// Stable key for translations, CSS classes and downloads.
    pub fn key(self) -> &'static str {
        match self {
            GoalStatus::Achieved => "achieved",
            GoalStatus::OnCourse => "on_course",
            GoalStatus::OffCourse => "off_course",
            GoalStatus::TooEarly => "too_early",
            GoalStatus::NotMeasurable => "not_measurable",
        }
    }
}

/// A goal's status and the numbers it was decided on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub status: GoalStatus,
    /// The year of the wave the status is about.
    pub year: Option<i32>,
    /// That wave's figure, when released.
    pub observed: Option<Share>,
    /// The path's value in that year, in percent.
    pub expected: Option<f64>,
    /// The change from the baseline to the observed figure.
    pub change: Option<Change>,
}

impl Progress {
    fn without(status: GoalStatus) -> Progress {
        Progress {
            status,
            year: None,
            observed: None,
            expected: None,
            change: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn share(numerator: u64, denominator: u64) -> Share {
        Share::new(numerator, denominator).expect("a valid share in a test")
    }

    /// Drunkenness at 20 % in 2020 (100 of 500), to 10 % by 2026.
    fn drunkenness() -> Goal {
        Goal::new(share(100, 500), 2020, 10.0, 2026, Direction::Outcome).expect("a valid goal")
    }

    fn released(year: i32, numerator: u64, denominator: u64) -> Observation {
        Observation::Released {
            year,
            share: share(numerator, denominator),
        }
    }

    #[test]
    fn targets_that_cannot_be_shown_to_be_reached_are_refused() {
        let base = share(100, 500);
        let goal = |target, year, direction| Goal::new(base, 2020, target, year, direction);
        assert_eq!(
            goal(101.0, 2026, Direction::Outcome),
            Err(GoalError::TargetOutOfRange)
        );
        assert_eq!(
            goal(-1.0, 2026, Direction::Outcome),
            Err(GoalError::TargetOutOfRange)
        );
        assert_eq!(
            goal(f64::NAN, 2026, Direction::Outcome),
            Err(GoalError::TargetOutOfRange)
        );
        assert_eq!(
            goal(10.0, 2020, Direction::Outcome),
            Err(GoalError::TargetYearNotAfterBaseline)
        );
        assert_eq!(
            goal(10.0, 2018, Direction::Outcome),
            Err(GoalError::TargetYearNotAfterBaseline)
        );
        // Use should fall, a protective factor rise; each by three points.
        assert_eq!(
            goal(25.0, 2026, Direction::Outcome),
            Err(GoalError::TargetNotAnImprovement)
        );
        assert_eq!(
            goal(18.0, 2026, Direction::Risk),
            Err(GoalError::TargetNotAnImprovement)
        );
        assert!(goal(17.0, 2026, Direction::Risk).is_ok());
        assert_eq!(
            goal(10.0, 2026, Direction::Protective),
            Err(GoalError::TargetNotAnImprovement)
        );
        assert!(goal(23.0, 2026, Direction::Protective).is_ok());
        assert_eq!(
            Goal::new(share(0, 0), 2020, 10.0, 2026, Direction::Outcome),
            Err(GoalError::EmptyBaseline)
        );
    }

    #[test]
    fn the_path_runs_straight_from_baseline_to_target() {
        let goal = drunkenness();
        assert_eq!(goal.path(2018), 20.0);
        assert_eq!(goal.path(2020), 20.0);
        assert!((goal.path(2023) - 15.0).abs() < 1e-9);
        assert_eq!(goal.path(2026), 10.0);
        assert_eq!(goal.path(2030), 10.0);
    }

    #[test]
    fn without_a_later_wave_it_is_too_early() {
        let goal = drunkenness();
        assert_eq!(
            goal.progress(Observation::NoLaterWave).status,
            GoalStatus::TooEarly
        );
        assert_eq!(
            goal.progress(released(2020, 90, 500)).status,
            GoalStatus::TooEarly
        );
    }

    #[test]
    fn a_withheld_or_incomparable_figure_is_not_measurable() {
        let goal = drunkenness();
        let withheld = goal.progress(Observation::Withheld { year: 2022 });
        assert_eq!(withheld.status, GoalStatus::NotMeasurable);
        assert_eq!(withheld.year, Some(2022));
        assert_eq!(withheld.observed, None);
        assert_eq!(
            goal.progress(Observation::Incomparable { year: 2022 })
                .status,
            GoalStatus::NotMeasurable
        );
    }

    #[test]
    fn reaching_the_target_with_a_real_change_is_achieved() {
        let goal = drunkenness();
        // 9 % of 500 against 20 % of 500: far beyond the rule.
        let progress = goal.progress(released(2024, 45, 500));
        assert_eq!(progress.status, GoalStatus::Achieved);
        assert_eq!(progress.change.map(|c| c.trend), Some(Trend::Improved));
        // Exactly the target counts as reaching it.
        assert_eq!(
            goal.progress(released(2026, 50, 500)).status,
            GoalStatus::Achieved
        );
    }

    #[test]
    fn reaching_the_target_without_a_real_change_is_not_achieved() {
        // A village: 6 of 20 (30 %) to a target of 20 %; 4 of 20 reaches the
        // target, but ten points in twenty students is not significant.
        let goal =
            Goal::new(share(6, 20), 2020, 20.0, 2026, Direction::Outcome).expect("a valid goal");
        let progress = goal.progress(released(2022, 4, 20));
        assert_ne!(progress.status, GoalStatus::Achieved);
        assert_eq!(progress.change.map(|c| c.trend), Some(Trend::Unchanged));
        assert_eq!(progress.status, GoalStatus::OnCourse);
        // At the target year the same figure is off course: time is up.
        assert_eq!(
            goal.progress(released(2026, 4, 20)).status,
            GoalStatus::OffCourse
        );
    }

    #[test]
    fn a_figure_whose_interval_reaches_the_path_is_on_course() {
        let goal = drunkenness();
        // In 2023 the path is at 15 %. 17 % of 500 has an interval of about
        // 14.0–20.5 %: it reaches the path.
        let progress = goal.progress(released(2023, 85, 500));
        assert_eq!(progress.status, GoalStatus::OnCourse);
        assert!((progress.expected.expect("a path value") - 15.0).abs() < 1e-9);
        // Better than the path but not yet at the target: on course too.
        assert_eq!(
            goal.progress(released(2023, 60, 500)).status,
            GoalStatus::OnCourse
        );
    }

    #[test]
    fn a_figure_whose_interval_misses_the_path_is_off_course() {
        let goal = drunkenness();
        // 20 % of 500 in 2023: the interval (16.7–23.7 %) stays above 15 %.
        assert_eq!(
            goal.progress(released(2023, 100, 500)).status,
            GoalStatus::OffCourse
        );
        // Worse than the baseline: off course.
        assert_eq!(
            goal.progress(released(2022, 130, 500)).status,
            GoalStatus::OffCourse
        );
    }

    #[test]
    fn the_interval_edge_decides_on_the_borderline() {
        // Find, for 1,000 students in 2023 (path 15 %), the largest count
        // whose interval still reaches 15 %: one more is off course.
        let goal = drunkenness();
        let reaches = |count: u64| {
            share(count, 1000)
                .wilson_interval()
                .map(|i| i.lower * 100.0 <= 15.0)
                .unwrap_or(false)
        };
        let edge = (150..300)
            .take_while(|&c| reaches(c))
            .last()
            .expect("an edge");
        assert_eq!(
            goal.progress(released(2023, edge, 1000)).status,
            GoalStatus::OnCourse
        );
        assert_eq!(
            goal.progress(released(2023, edge + 1, 1000)).status,
            GoalStatus::OffCourse
        );
    }

    #[test]
    fn a_protective_factor_is_steered_upwards() {
        // Parents know where their child is: 60 % to 75 % by 2026.
        let goal = Goal::new(share(300, 500), 2020, 75.0, 2026, Direction::Protective)
            .expect("a valid goal");
        assert_eq!(
            goal.progress(released(2024, 380, 500)).status,
            GoalStatus::Achieved
        );
        assert_eq!(
            goal.progress(released(2023, 340, 500)).status,
            GoalStatus::OnCourse
        );
        assert_eq!(
            goal.progress(released(2023, 290, 500)).status,
            GoalStatus::OffCourse
        );
    }

    proptest! {
        /// Whatever the figures, the status follows the documented order: too
        /// early before a later wave, achieved only with a real improvement
        /// that reaches the target, off course after the target year unless
        /// achieved, and otherwise on course exactly when the interval's good
        /// end reaches the path.
        #[test]
        fn the_status_follows_the_rule(
            base_n in 30u64..2000,
            base_pct in 5u64..95,
            later_n in 30u64..2000,
            later_count_frac in 0.0f64..1.0,
            years_on in 1i32..8,
            span in 1i32..8,
            higher in any::<bool>(),
        ) {
            let base = share(base_n * base_pct / 100, base_n);
            let direction = if higher { Direction::Protective } else { Direction::Outcome };
            let base_pct = base.percent().unwrap();
            let target = if higher { (base_pct + 5.0).min(100.0) } else { (base_pct - 5.0).max(0.0) };
            let Ok(goal) = Goal::new(base, 2020, target, 2020 + span, direction) else {
                return Ok(());
            };
            let later = share((later_n as f64 * later_count_frac) as u64, later_n);
            let year = 2020 + years_on;
            let progress = goal.progress(Observation::Released { year, share: later });
            let percent = later.percent().unwrap();
            let reached = if higher { percent >= target } else { percent <= target };
            let real = Change::between(base, later, direction).unwrap().trend == Trend::Improved;
            let interval = later.wilson_interval().unwrap();
            let on_path = if higher {
                interval.upper * 100.0 >= goal.path(year)
            } else {
                interval.lower * 100.0 <= goal.path(year)
            };
            let expected = if reached && real {
                GoalStatus::Achieved
            } else if year >= goal.target_year() {
                GoalStatus::OffCourse
            } else if on_path {
                GoalStatus::OnCourse
            } else {
                GoalStatus::OffCourse
            };
            prop_assert_eq!(progress.status, expected);
            // Achieved is never claimed without a real improvement.
            if progress.status == GoalStatus::Achieved {
                prop_assert!(real && reached);
            }
        }
    }
}
