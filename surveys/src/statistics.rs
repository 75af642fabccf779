//! The statistics every report shows: a share with its 95 % interval, and whether a
//! difference between two shares is real.
//!
//! A difference is *real* when a two-proportion z-test is significant at 95 % **and**
//! the shares differ by at least three percentage points (the ESPAD convention):
//! with thousands of students a one-point wobble is "significant" yet means nothing
//! to a community, and with a village of thirty a ten-point jump is often noise.
//!
//! The same rule serves two questions:
//! - [`Change`]: this wave against the previous or the first wave of the same
//!   indicator, labelled improved / worsened / unchanged;
//! - [`Comparison`]: a village or school against another group, labelled better /
//!   worse / no real difference. A test assumes two independent samples, so a
//!   village is never tested against the municipality that contains it: its
//!   students would sit on both sides. [`Comparison::with_rest_of`] compares the
//!   village with the rest of the municipality instead — the same question ("is
//!   this village different from its surroundings?") asked of independent samples.
//!
//! Everything here is total: an empty share has no proportion, no interval and no
//! test (`None`), and 0 % or 100 % give finite numbers, never NaN.

use serde::{Deserialize, Serialize};

use crate::indicator::Direction;

/// The two-sided 95 % point of the standard normal distribution.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// The smallest difference, in percentage points, that counts as a real change.
pub const REAL_DIFFERENCE_POINTS: u64 = 3;

/// How many of those who answered an item meet the indicator's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ShareCounts", into = "ShareCounts")]
pub struct Share {
    numerator: u64,
    denominator: u64,
}

/// The plain form a [`Share`] is stored and sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareCounts {
    pub numerator: u64,
    pub denominator: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    #[error(
        "{numerator} of {denominator} is not a share: more students meet the rule than answered"
    )]
    MoreThanAnswered { numerator: u64, denominator: u64 },
    #[error("the group is not part of the larger group it is compared with")]
    NotPartOfWhole,
}

impl Share {
    pub fn new(numerator: u64, denominator: u64) -> Result<Self, ShareError> {
        if numerator > denominator {
            Err(ShareError::MoreThanAnswered {
                numerator,
                denominator,
            })
        } else {
            Ok(Share {
                numerator,
                denominator,
            })
        }
    }

    /// Those who meet the indicator's rule.
    pub fn numerator(self) -> u64 {
        self.numerator
    }

    /// Those who answered the item.
    pub fn denominator(self) -> u64 {
        self.denominator
    }

    /// Those who answered but do not meet the rule.
    pub fn complement(self) -> u64 {
        self.denominator - self.numerator
    }

    /// The proportion between 0 and 1; `None` when nobody answered.
    pub fn proportion(self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    /// The share in percent; `None` when nobody answered.
    pub fn percent(self) -> Option<f64> {
        self.proportion().map(|p| p * 100.0)
    }

    /// The 95 % Wilson score interval; `None` when nobody answered.
    ///
    /// Wilson rather than the textbook p ± 1.96·se: the latter collapses to a zero
    /// width at 0 % and 100 % and leaves [0, 1] for small groups — exactly the
    /// villages reports are about.
    pub fn wilson_interval(self) -> Option<Interval> {
        let p = self.proportion()?;
        let n = self.denominator as f64;
        let z2 = Z_95 * Z_95;
        let shrink = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / shrink;
        let half_width = Z_95 / shrink * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        // At 0 % and 100 % the formula lands on the bound up to rounding; pin it.
        let lower = if self.numerator == 0 {
            0.0
        } else {
            (centre - half_width).max(0.0)
        };
        let upper = if self.numerator == self.denominator {
            1.0
        } else {
            (centre + half_width).min(1.0)
        };
        Some(Interval { lower, upper })
    }

    /// Those in `self` who are not in `part`: the rest of a municipality once a
    /// village is taken out.
    pub fn without(self, part: Share) -> Result<Share, ShareError> {
        let numerator = self.numerator.checked_sub(part.numerator);
        let denominator = self.denominator.checked_sub(part.denominator);
        match (numerator, denominator) {
            (Some(numerator), Some(denominator)) => {
                Share::new(numerator, denominator).map_err(|_| ShareError::NotPartOfWhole)
            }
            _ => Err(ShareError::NotPartOfWhole),
        }
    }
}

impl TryFrom<ShareCounts> for Share {
    type Error = ShareError;
    fn try_from(c: ShareCounts) -> Result<Self, ShareError> {
        Share::new(c.numerator, c.denominator)
    }
}

impl From<Share> for ShareCounts {
    fn from(s: Share) -> Self {
        ShareCounts {
            numerator: s.numerator,
            denominator: s.denominator,
        }
    }
}

/// A confidence interval for a proportion, both ends between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub lower: f64,
    pub upper: f64,
}

/// The pooled two-proportion z statistic for `later` against `earlier`: positive
/// when `later` is higher. `None` when either share is empty.
///
/// When both shares are 0 % or both are 100 % there is no spread to test against
/// and no difference either: the statistic is 0, not NaN.
pub fn two_proportion_z(earlier: Share, later: Share) -> Option<f64> {
    let p1 = earlier.proportion()?;
    let p2 = later.proportion()?;
    let n1 = earlier.denominator as f64;
    let n2 = later.denominator as f64;
    let pooled = (earlier.numerator + later.numerator) as f64 / (n1 + n2);
    let variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2);
    if variance <= 0.0 {
        return Some(0.0);
    }
    Some((p2 - p1) / variance.sqrt())
}

/// How two shares differ, and whether the difference is real.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// Later minus earlier, in percentage points.
    pub points: f64,
    /// The pooled two-proportion z statistic.
    pub z: f64,
    /// The z-test rejects "no difference" at 95 %.
    pub significant: bool,
    /// Significant and at least [`REAL_DIFFERENCE_POINTS`] apart.
    pub real: bool,
}

impl Difference {
    /// `None` when either share is empty.
    pub fn between(earlier: Share, later: Share) -> Option<Difference> {
        let z = two_proportion_z(earlier, later)?;
        let points = (later.proportion()? - earlier.proportion()?) * 100.0;
        let significant = z.abs() >= Z_95;
        Some(Difference {
            points,
            z,
            significant,
            real: significant && at_least_real_points_apart(earlier, later),
        })
    }

    /// `Some(true)` for a real difference in the good direction for this
    /// indicator, `Some(false)` for a real one in the bad direction, `None` when
    /// the difference is not real.
    fn is_good_news(self, direction: Direction) -> Option<bool> {
        self.real
            .then(|| (self.points > 0.0) == direction.higher_is_better())
    }
}

/// Decides the three-point threshold on whole numbers, so that 13 % against 10 %
/// is never lost to rounding: |a/n − b/m| ≥ 3/100 ⇔ 100·|a·m − b·n| ≥ 3·n·m.
fn at_least_real_points_apart(a: Share, b: Share) -> bool {
    let cross_a = u128::from(a.numerator) * u128::from(b.denominator);
    let cross_b = u128::from(b.numerator) * u128::from(a.denominator);
    let gap = cross_a.abs_diff(cross_b);
    let both = u128::from(a.denominator) * u128::from(b.denominator);
    gap * 100 >= u128::from(REAL_DIFFERENCE_POINTS) * both
}

/// What a change between waves means for the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Improved,
    Worsened,
    Unchanged,
}

impl Trend {
    /// Stable key for translations.
    pub fn key(self) -> &'static str {
        match self {
            Trend::Improved => "trend.improved",
            Trend::Worsened => "trend.worsened",
            Trend::Unchanged => "trend.unchanged",
        }
    }
}

/// An indicator's change between an earlier wave and a later one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub earlier: Share,
    pub later: Share,
    pub difference: Difference,
    pub trend: Trend,
}

impl Change {
    /// `None` when either wave has nobody who answered the item.
    pub fn between(earlier: Share, later: Share, direction: Direction) -> Option<Change> {
        let difference = Difference::between(earlier, later)?;
        let trend = match difference.is_good_news(direction) {
            Some(true) => Trend::Improved,
            Some(false) => Trend::Worsened,
            None => Trend::Unchanged,
        };
        Some(Change {
            earlier,
            later,
            difference,
            trend,
        })
    }
}

/// How a group stands against the group it is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Better,
    Worse,
    NoRealDifference,
}

impl Standing {
    /// Stable key for translations.
    pub fn key(self) -> &'static str {
        match self {
            Standing::Better => "standing.better",
            Standing::Worse => "standing.worse",
            Standing::NoRealDifference => "standing.no_real_difference",
        }
    }
}

/// A group's share against a reference group's share of the same indicator in the
/// same wave.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub group: Share,
    /// What the group was tested against: another group, or the rest of the
    /// larger group it belongs to.
    pub reference: Share,
    /// The group minus the reference.
    pub difference: Difference,
    pub standing: Standing,
}

impl Comparison {
    /// Compares two groups that share no students (two villages, a school against
    /// another municipality). `None` when either is empty.
    pub fn with_other_group(
        group: Share,
        other: Share,
        direction: Direction,
    ) -> Option<Comparison> {
        let difference = Difference::between(other, group)?;
        let standing = match difference.is_good_news(direction) {
            Some(true) => Standing::Better,
            Some(false) => Standing::Worse,
            None => Standing::NoRealDifference,
        };
        Some(Comparison {
            group,
            reference: other,
            difference,
            standing,
        })
    }

    /// Compares a group with the rest of a larger group that contains it: a
    /// village with the other villages of its municipality, a municipality with
    /// the rest of its region. `Ok(None)` when there is no rest (the village is the
    /// whole municipality) or nobody answered.
    pub fn with_rest_of(
        part: Share,
        whole: Share,
        direction: Direction,
    ) -> Result<Option<Comparison>, ShareError> {
        let rest = whole.without(part)?;
        Ok(Comparison::with_other_group(part, rest, direction))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(numerator: u64, denominator: u64) -> Share {
        Share::new(numerator, denominator).expect("a valid share in a test")
    }

    fn assert_close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    /// Newcombe, R. G. (1998). Two-sided confidence intervals for the single
    /// proportion: comparison of seven methods. Statistics in Medicine 17:857–872,
    /// Table I, method 3 (score interval without continuity correction), printed to
    /// four decimals.
    #[test]
    fn wilson_intervals_match_newcombe_table_one() {
        let published = [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0000, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ];
        for (numerator, denominator, lower, upper) in published {
            let interval = share(numerator, denominator)
                .wilson_interval()
                .expect("someone answered");
            assert_close(interval.lower, lower, 0.00005);
            assert_close(interval.upper, upper, 0.00005);
        }
    }

    #[test]
    fn a_full_share_reaches_one_and_an_empty_share_has_no_interval() {
        let all = share(29, 29).wilson_interval().expect("someone answered");
        assert_eq!(all.upper, 1.0);
        // Mirror image of 0/29: symmetric around one half.
        let none = share(0, 29).wilson_interval().expect("someone answered");
        assert_close(all.lower, 1.0 - none.upper, 1e-12);
        assert_eq!(share(0, 0).wilson_interval(), None);
        assert_eq!(share(0, 0).proportion(), None);
    }

    #[test]
    fn more_yes_than_answers_is_not_a_share() {
        assert_eq!(
            Share::new(5, 4),
            Err(ShareError::MoreThanAnswered {
                numerator: 5,
                denominator: 4
            })
        );
    }

    /// Data: Newcombe, R. G. (1998). Interval estimation for the difference between
    /// independent proportions: comparison of eleven methods. Statistics in
    /// Medicine 17:873–890, examples (a) 56/70 vs 48/80 and (b) 9/10 vs 3/10.
    /// The pooled z values are worked out by hand:
    /// (a) p1 = 0.8, p2 = 0.6, pooled = 104/150 = 0.693333;
    ///     se = √(0.693333 · 0.306667 · (1/70 + 1/80)) = √(0.212622 · 0.0267857)
    ///        = √0.00569524 = 0.0754668; z = 0.2 / 0.0754668 = 2.6502.
    /// (b) pooled = 12/20 = 0.6; se = √(0.6 · 0.4 · 0.2) = √0.048 = 0.219089;
    ///     z = 0.6 / 0.219089 = 2.7386.
    /// Both squared give Pearson's χ² without continuity correction (7.0234 and
    /// 7.5), the textbook equivalence of the two tests.
    #[test]
    fn two_proportion_z_matches_worked_examples() {
        let a = two_proportion_z(share(48, 80), share(56, 70)).expect("both answered");
        assert_close(a, 2.6502, 0.0001);
        assert_close(a * a, 7.0234, 0.0001);
        let b = two_proportion_z(share(3, 10), share(9, 10)).expect("both answered");
        assert_close(b, 2.7386, 0.0001);
        assert_close(b * b, 7.5, 1e-9);
        // The statistic is antisymmetric: swapping the waves flips its sign.
        let swapped = two_proportion_z(share(56, 70), share(48, 80)).expect("both answered");
        assert_close(swapped, -a, 1e-12);
    }

    #[test]
    fn identical_extremes_test_as_no_difference_instead_of_nan() {
        assert_eq!(two_proportion_z(share(0, 10), share(0, 20)), Some(0.0));
        assert_eq!(two_proportion_z(share(10, 10), share(20, 20)), Some(0.0));
        assert_eq!(two_proportion_z(share(0, 0), share(3, 20)), None);
        let d = Difference::between(share(0, 10), share(0, 20)).expect("both answered");
        assert!(!d.real && !d.significant && d.points == 0.0);
    }

    #[test]
    fn exactly_three_points_counts_and_just_under_does_not() {
        assert!(at_least_real_points_apart(share(10, 100), share(13, 100)));
        assert!(!at_least_real_points_apart(
            share(100, 1000),
            share(129, 1000)
        ));
        assert!(at_least_real_points_apart(share(13, 100), share(10, 100)));
    }

    /// Earlier and later share of four kinds of change: a real rise and a real
    /// fall of ten points among 1,000 students; two points among 20,000 students
    /// each (significant, too small to matter); ten points in a group of 20 (large,
    /// but noise).
    fn rise() -> (Share, Share) {
        (share(200, 1000), share(300, 1000))
    }
    fn fall() -> (Share, Share) {
        (share(300, 1000), share(200, 1000))
    }
    fn small_but_significant() -> (Share, Share) {
        (share(4000, 20000), share(4400, 20000))
    }
    fn large_but_not_significant() -> (Share, Share) {
        (share(4, 20), share(6, 20))
    }

    fn trend((earlier, later): (Share, Share), direction: Direction) -> Trend {
        Change::between(earlier, later, direction)
            .expect("both answered")
            .trend
    }

    #[test]
    fn the_cases_are_what_they_claim() {
        let difference =
            |(earlier, later)| Difference::between(earlier, later).expect("both answered");
        let d = difference(rise());
        assert!(d.real && d.points > 0.0);
        let d = difference(small_but_significant());
        assert!(d.significant && !d.real);
        let d = difference(large_but_not_significant());
        assert!(!d.significant && d.points >= 3.0 && !d.real);
    }

    /// Pins the label of a rise and of a fall for one direction, and that the two
    /// changes that are not real stay unchanged whatever the direction.
    fn assert_labels(direction: Direction, after_rise: Trend, after_fall: Trend) {
        assert_eq!(trend(rise(), direction), after_rise);
        assert_eq!(trend(fall(), direction), after_fall);
        assert_eq!(trend(small_but_significant(), direction), Trend::Unchanged);
        assert_eq!(
            trend(large_but_not_significant(), direction),
            Trend::Unchanged
        );
    }

    #[test]
    fn less_drinking_is_an_improvement_and_more_is_a_worsening() {
        assert_labels(Direction::Outcome, Trend::Worsened, Trend::Improved);
    }

    #[test]
    fn fewer_friends_who_drink_is_an_improvement() {
        assert_labels(Direction::Risk, Trend::Worsened, Trend::Improved);
    }

    #[test]
    fn more_sport_at_a_club_is_an_improvement() {
        assert_labels(Direction::Protective, Trend::Improved, Trend::Worsened);
    }

    #[test]
    fn a_village_is_compared_with_the_rest_of_its_municipality() {
        // Municipality 300 of 1000 drunk in the last 30 days; the village 60 of 100.
        // Against the whole (30 %) the village would partly be compared with
        // itself; against the rest it is 60 % vs 240/900 = 26.7 %.
        let village = share(60, 100);
        let municipality = share(300, 1000);
        let c = Comparison::with_rest_of(village, municipality, Direction::Outcome)
            .expect("the village is part of the municipality")
            .expect("both answered");
        assert_eq!(c.reference, share(240, 900));
        assert_eq!(c.standing, Standing::Worse);
        assert_close(c.difference.points, 60.0 - 240.0 / 9.0, 1e-9);
        let protective = Comparison::with_rest_of(village, municipality, Direction::Protective)
            .expect("the village is part of the municipality")
            .expect("both answered");
        assert_eq!(protective.standing, Standing::Better);
    }

    #[test]
    fn a_village_that_is_the_whole_municipality_has_nothing_to_compare_with() {
        let v = share(30, 100);
        assert_eq!(Comparison::with_rest_of(v, v, Direction::Outcome), Ok(None));
        assert_eq!(
            Comparison::with_rest_of(share(30, 100), share(20, 90), Direction::Outcome),
            Err(ShareError::NotPartOfWhole)
        );
        // More yes in the village than in the whole municipality.
        assert_eq!(
            Comparison::with_rest_of(share(30, 40), share(31, 200), Direction::Outcome)
                .map(|c| c.map(|c| c.reference)),
            Ok(Some(share(1, 160)))
        );
        assert_eq!(
            Comparison::with_rest_of(share(30, 40), share(29, 200), Direction::Outcome),
            Err(ShareError::NotPartOfWhole)
        );
    }
}
