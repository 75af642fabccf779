//! The validity screen's exclusions as dashboards, reports and downloads may
//! show them.
//!
//! Exclusions are counts of students like any figure: "3 students reported a
//! drug that does not exist" describes a group of three. So they follow the
//! figures' threshold: a count below `k` is written as fewer than `k`, never as
//! its number (0 included, as for figures). Three ways of subtracting are
//! closed as well:
//! - submitted = excluded + counted: the submitted total is shown only when
//!   both its parts are, else it would give the hidden one away;
//! - counted is the region's respondents, so it is shown exactly when the
//!   wave's disclosure decision released those;
//! - the reasons: a response can carry several, so they only bound one another
//!   (a hidden reason is at least the excluded total minus what the others can
//!   be at most). Where that bound reaches `k` − 1, the hidden count is known
//!   exactly, and the smallest reason still shown is hidden too — or, with none
//!   left, the excluded total;
//! - earlier releases of the same wave: set beside the one before, a count that
//!   moved by fewer than `k` describes the few responses that came in between
//!   (one late student, flagged for a drug that does not exist). Then no
//!   exclusion count of the new release is shown: hiding only the counts that
//!   moved would tell which reasons the late responses had.

use std::collections::BTreeMap;

use super::{Exclusions, Group, Place, WaveResults};
use crate::disclosure::{Release, SuppressionReason, SuppressionThreshold};
use crate::validity::ValidityFlag;

/// A wave's exclusions, each count released or suppressed with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownExclusions {
    /// Every stored response of the wave.
    pub submitted: Release<u64>,
    /// Responses with at least one flag.
    pub excluded: Release<u64>,
    /// Responses that count: the region's respondents.
    pub counted: Release<u64>,
    /// Per reason, every reason listed.
    pub by_reason: BTreeMap<ValidityFlag, Release<u64>>,
}

impl WaveResults {
    /// The wave's exclusions as they may be shown beside its figures.
    pub fn shown_exclusions(&self) -> ShownExclusions {
        shown(
            self.exclusions(),
            &self.earlier_exclusions,
            self.respondents(&Group::all(Place::Region)),
            self.threshold(),
        )
    }
}

/// The exclusions of `earlier` and of every release before it, oldest first:
/// what a later release of the same wave is held against.
pub(super) fn released_up_to(earlier: &WaveResults) -> Vec<Exclusions> {
    let mut all = earlier.earlier_exclusions.clone();
    all.push(earlier.exclusions().clone());
    all
}

const TOO_FEW: Release<u64> = Release::Suppressed(SuppressionReason::TooFewRespondents);
const PROTECTS: Release<u64> = Release::Suppressed(SuppressionReason::ProtectsAnotherFigure);
const EARLIER: Release<u64> = Release::Suppressed(SuppressionReason::ProtectsEarlierRelease);

fn shown(
    exclusions: &Exclusions,
    earlier: &[Exclusions],
    region: Option<Release<u64>>,
    k: SuppressionThreshold,
) -> ShownExclusions {
    // No valid respondent at all: nothing the region counted may be shown.
    let counted = region.unwrap_or(TOO_FEW);
    if earlier
        .iter()
        .any(|before| moved_by_fewer_than_k(before, exclusions, k))
    {
        return ShownExclusions {
            submitted: EARLIER,
            excluded: EARLIER,
            counted,
            by_reason: exclusions
                .by_reason
                .keys()
                .map(|&flag| (flag, EARLIER))
                .collect(),
        };
    }
    let coarsened = |count: u64| {
        if k.allows(count) {
            Release::Released(count)
        } else {
            TOO_FEW
        }
    };
    let mut excluded = coarsened(exclusions.excluded);
    let mut by_reason: BTreeMap<ValidityFlag, Release<u64>> = exclusions
        .by_reason
        .iter()
        .map(|(&flag, &count)| (flag, coarsened(count)))
        .collect();
    if let Release::Released(total) = excluded {
        while pins_a_hidden_reason(total, &by_reason, k) {
            let smallest = by_reason
                .iter()
                .filter_map(|(&flag, release)| release.released().map(|&count| (count, flag)))
                .min();
            match smallest {
                Some((_, flag)) => {
                    by_reason.insert(flag, PROTECTS);
                }
                None => {
                    excluded = PROTECTS;
                    break;
                }
            }
        }
    }
    let submitted = match (counted, excluded) {
        (Release::Released(_), Release::Released(_)) => Release::Released(exclusions.submitted),
        _ => PROTECTS,
    };
    ShownExclusions {
        submitted,
        excluded,
        counted,
        by_reason,
    }
}

/// Whether any count differs between two releases by more than nothing and
/// fewer than `k`.
fn moved_by_fewer_than_k(before: &Exclusions, now: &Exclusions, k: SuppressionThreshold) -> bool {
    let few = |a: u64, b: u64| {
        let moved = a.abs_diff(b);
        moved > 0 && !k.allows(moved)
    };
    let reason = |exclusions: &Exclusions, flag: &ValidityFlag| {
        exclusions.by_reason.get(flag).copied().unwrap_or(0)
    };
    few(before.submitted, now.submitted)
        || few(before.excluded, now.excluded)
        || before
            .by_reason
            .keys()
            .chain(now.by_reason.keys())
            .any(|flag| few(reason(before, flag), reason(now, flag)))
}

/// Whether a reader of the released excluded total and reasons can tell a
/// reason shown as "fewer than `k`" exactly. Each excluded response carries at
/// least one reason, so a hidden reason is at least the total minus the most
/// every other reason can be: its number when shown, `k` − 1 when below `k`, the
/// whole total when hidden to protect another. Being below `k` too, a lower
/// bound of `k` − 1 pins it.
fn pins_a_hidden_reason(
    total: u64,
    by_reason: &BTreeMap<ValidityFlag, Release<u64>>,
    k: SuppressionThreshold,
) -> bool {
    let below_k = u64::from(k.get()) - 1;
    let at_most = |release: &Release<u64>| match release {
        Release::Released(count) => *count,
        Release::Suppressed(SuppressionReason::TooFewRespondents) => below_k.min(total),
        Release::Suppressed(_) => total,
    };
    by_reason.iter().any(|(flag, release)| {
        release == &TOO_FEW && {
            let others: u64 = by_reason
                .iter()
                .filter(|(other, _)| *other != flag)
                .map(|(_, release)| at_most(release))
                .fold(0, u64::saturating_add);
            total.saturating_sub(others) >= below_k
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(value: u32) -> SuppressionThreshold {
        SuppressionThreshold::new(value).expect("a valid k")
    }

    fn exclusions(submitted: u64, excluded: u64, reasons: [u64; 5]) -> Exclusions {
        Exclusions {
            submitted,
            excluded,
            by_reason: ValidityFlag::ALL.into_iter().zip(reasons).collect(),
        }
    }

    /// As the first release of a wave shows them.
    fn first_release(
        exclusions: &Exclusions,
        region: Option<Release<u64>>,
        k: SuppressionThreshold,
    ) -> ShownExclusions {
        shown(exclusions, &[], region, k)
    }

    fn reasons(shown: &ShownExclusions) -> Vec<Release<u64>> {
        shown.by_reason.values().copied().collect()
    }

    #[test]
    fn counts_of_k_and_more_are_shown_as_they_are() {
        let shown = first_release(
            &exclusions(500, 40, [10, 12, 11, 14, 20]),
            Some(Release::Released(460)),
            k(10),
        );
        assert_eq!(shown.submitted, Release::Released(500));
        assert_eq!(shown.excluded, Release::Released(40));
        assert_eq!(shown.counted, Release::Released(460));
        assert!(reasons(&shown).iter().all(|r| !r.is_suppressed()));
    }

    #[test]
    fn a_reason_below_k_and_zero_are_written_as_fewer_than_k() {
        let shown = first_release(
            &exclusions(500, 40, [3, 0, 25, 14, 20]),
            Some(Release::Released(460)),
            k(10),
        );
        let reasons = reasons(&shown);
        assert_eq!(reasons[0], TOO_FEW);
        assert_eq!(reasons[1], TOO_FEW, "0 is a count below k too");
        assert_eq!(reasons[2], Release::Released(25));
    }

    #[test]
    fn a_small_excluded_total_hides_the_submitted_total_that_would_give_it_away() {
        let shown = first_release(
            &exclusions(466, 6, [2, 0, 4, 1, 0]),
            Some(Release::Released(460)),
            k(10),
        );
        assert_eq!(shown.excluded, TOO_FEW);
        assert_eq!(shown.counted, Release::Released(460));
        assert_eq!(shown.submitted, PROTECTS);
        assert!(reasons(&shown).iter().all(|r| *r == TOO_FEW));
    }

    #[test]
    fn a_region_below_k_shows_neither_its_count_nor_the_submitted_total() {
        let shown = first_release(&exclusions(30, 24, [24, 0, 0, 0, 0]), Some(TOO_FEW), k(10));
        assert_eq!(shown.counted, TOO_FEW);
        assert_eq!(shown.excluded, Release::Released(24));
        assert_eq!(shown.submitted, PROTECTS);
        let nobody = shown_of_nobody();
        assert_eq!(nobody.counted, TOO_FEW);
        assert_eq!(nobody.submitted, PROTECTS);
    }

    fn shown_of_nobody() -> ShownExclusions {
        first_release(&exclusions(3, 3, [3, 0, 0, 0, 0]), None, k(10))
    }

    #[test]
    fn a_hidden_reason_pinned_by_the_total_gets_the_smallest_shown_reason_hidden_too() {
        // 50 excluded, no response with two reasons: the reasons shown add up to
        // 41, so "fewer than 10" under the first reason could only be 9 —
        // unless another reason is hidden as well.
        let shown = first_release(
            &exclusions(550, 50, [9, 11, 10, 10, 10]),
            Some(Release::Released(500)),
            k(10),
        );
        assert_eq!(
            reasons(&shown),
            [
                TOO_FEW,
                Release::Released(11),
                PROTECTS,
                Release::Released(10),
                Release::Released(10)
            ]
        );
        assert_eq!(shown.excluded, Release::Released(50));
        assert!(!pins_a_hidden_reason(50, &shown.by_reason, k(10)));
    }

    #[test]
    fn with_every_reason_below_k_and_pinned_the_excluded_total_is_hidden() {
        // 45 = 5 × 9: each reason must be exactly 9.
        let shown = first_release(
            &exclusions(545, 45, [9, 9, 9, 9, 9]),
            Some(Release::Released(500)),
            k(10),
        );
        assert_eq!(shown.excluded, PROTECTS);
        assert_eq!(shown.submitted, PROTECTS);
        assert!(reasons(&shown).iter().all(|r| *r == TOO_FEW));
    }

    #[test]
    fn reasons_that_overlap_leave_nothing_pinned() {
        // The same reasons, but responses with two flags make the total 30: the
        // first reason is anything from 0 to 9.
        let shown = first_release(
            &exclusions(530, 30, [9, 11, 10, 10, 10]),
            Some(Release::Released(500)),
            k(10),
        );
        let reasons = reasons(&shown);
        assert_eq!(reasons[0], TOO_FEW);
        assert!(
            reasons[1..].iter().all(|r| !r.is_suppressed()),
            "{reasons:?}"
        );
    }

    #[test]
    fn a_later_release_whose_exclusions_moved_by_fewer_than_k_shows_none_of_them() {
        // A reopen for one late student, who reported a drug that does not
        // exist: 47 → 48 excluded, 13 → 14 under that reason.
        let before = exclusions(547, 47, [13, 20, 11, 0, 10]);
        let now = exclusions(548, 48, [14, 20, 11, 0, 10]);
        let shown = shown(&now, &[before], Some(Release::Released(500)), k(10));
        assert_eq!(shown.excluded, EARLIER);
        assert_eq!(shown.submitted, EARLIER);
        assert!(reasons(&shown).iter().all(|r| *r == EARLIER), "{shown:?}");
        assert_eq!(shown.counted, Release::Released(500));
    }

    #[test]
    fn a_later_release_is_held_against_every_earlier_one() {
        let first = exclusions(540, 40, [10, 20, 10, 0, 10]);
        let second = exclusions(560, 60, [30, 20, 10, 0, 10]);
        // 20 more than the first, but one more than the second.
        let third = exclusions(561, 61, [31, 20, 10, 0, 10]);
        let region = Some(Release::Released(500));
        assert_eq!(
            shown(&second, std::slice::from_ref(&first), region, k(10)).excluded,
            Release::Released(60)
        );
        assert_eq!(
            shown(&third, &[first, second], region, k(10)).excluded,
            EARLIER
        );
    }

    #[test]
    fn another_k_over_the_same_responses_hides_nothing_more() {
        let same = exclusions(550, 50, [20, 10, 10, 10, 10]);
        let shown = shown(
            &same,
            std::slice::from_ref(&same),
            Some(Release::Released(500)),
            k(12),
        );
        assert_eq!(shown.submitted, Release::Released(550));
        assert_eq!(reasons(&shown)[0], Release::Released(20));
        assert_eq!(reasons(&shown)[1], TOO_FEW, "10 is below the new k");
    }
}
