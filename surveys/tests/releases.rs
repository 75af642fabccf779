//! Later releases of the same wave, checked from the outside: whatever a reader
//! gets from holding two releases side by side — a reopen for late students, a
//! recomputation under another k — shows no group too small to show.

use std::collections::BTreeMap;

use proptest::prelude::*;
use surveys::{
    Disclosure, GroupCounts, Partition, Release, ReleaseError, Share, SuppressionReason,
    SuppressionThreshold, Tabulation, suppress, suppress_after,
};

/// Villages of one municipality: per village (respondents, of whom `yes` meet
/// the single indicator's rule; everybody answered it).
type Villages = Vec<(u64, u64)>;

fn tabulation(villages: &Villages) -> Tabulation<String, usize> {
    let group = |n: u64, yes: u64| GroupCounts {
        respondents: n,
        indicators: [(0, Share::new(yes, n).expect("yes never exceeds n"))].into(),
    };
    let mut groups: BTreeMap<String, GroupCounts<usize>> = villages
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| *n > 0)
        .map(|(v, &(n, yes))| (format!("V{v}"), group(n, yes)))
        .collect();
    let children: Vec<String> = groups.keys().cloned().collect();
    let (n, yes) = villages
        .iter()
        .fold((0, 0), |(n, y), &(vn, vy)| (n + vn, y + vy));
    groups.insert("whole".to_owned(), group(n, yes));
    Tabulation {
        groups,
        partitions: vec![Partition {
            parent: "whole".to_owned(),
            children,
        }],
    }
}

fn k(k: u32) -> SuppressionThreshold {
    SuppressionThreshold::new(k).expect("k is at least five")
}

fn later(
    earlier: &Disclosure<String, usize>,
    before: &Villages,
    now: &Villages,
    threshold: u32,
) -> Result<Disclosure<String, usize>, ReleaseError<String, usize>> {
    suppress_after(
        &tabulation(now),
        k(threshold),
        earlier,
        &tabulation(before).groups,
    )
}

fn respondents(d: &Disclosure<String, usize>, group: &str) -> Release<u64> {
    d.respondents(&group.to_owned())
        .expect("the group was tabulated")
}

const HELD: Release<u64> = Release::Suppressed(SuppressionReason::ProtectsEarlierRelease);

#[test]
fn one_late_student_after_a_reopen_changes_no_figure_anyone_can_read() {
    let before: Villages = vec![(30, 6), (35, 10), (40, 12)];
    let first = suppress(&tabulation(&before), k(10)).expect("adds up");
    assert_eq!(respondents(&first, "whole"), Release::Released(105));
    assert_eq!(respondents(&first, "V0"), Release::Released(30));

    let now: Villages = vec![(31, 7), (35, 10), (40, 12)];
    let second = later(&first, &before, &now, 10).expect("only additions");
    // 106 − 105 and 31 − 30 would be the late student's answers.
    assert_eq!(respondents(&second, "whole"), HELD);
    assert_eq!(respondents(&second, "V0"), HELD);
    assert!(
        second
            .share(&"whole".to_owned(), &0)
            .expect("tabulated")
            .is_suppressed()
    );
    // What did not change shows as before: it tells nothing new.
    assert_eq!(respondents(&second, "V1"), Release::Released(35));
    assert_eq!(respondents(&second, "V2"), Release::Released(40));
}

#[test]
fn enough_late_students_are_a_group_of_their_own_and_show() {
    let before: Villages = vec![(30, 6), (35, 10), (40, 12)];
    let first = suppress(&tabulation(&before), k(10)).expect("adds up");
    let now: Villages = vec![(42, 11), (35, 10), (40, 12)];
    let second = later(&first, &before, &now, 10).expect("only additions");
    assert_eq!(respondents(&second, "whole"), Release::Released(117));
    assert_eq!(respondents(&second, "V0"), Release::Released(42));
}

#[test]
fn a_second_k_keeps_hidden_what_the_first_hid() {
    // Under k = 10 the 8 are hidden, and the 12 with them; under k = 8 alone the
    // 8 would show, and set beside the first release nothing would be hidden.
    let data: Villages = vec![(8, 3), (12, 5), (45, 15)];
    let first = suppress(&tabulation(&data), k(10)).expect("adds up");
    assert!(respondents(&first, "V0").is_suppressed());
    assert!(respondents(&first, "V1").is_suppressed());
    let second = later(&first, &data, &data, 8).expect("the same responses");
    assert!(respondents(&second, "V0").is_suppressed());
    assert!(respondents(&second, "V1").is_suppressed());
    assert_eq!(respondents(&second, "V2"), Release::Released(45));
}

#[test]
fn a_wave_that_lost_answers_cannot_be_released_again() {
    let before: Villages = vec![(30, 6), (35, 10)];
    let first = suppress(&tabulation(&before), k(10)).expect("adds up");
    let now: Villages = vec![(29, 6), (35, 10)];
    assert!(matches!(
        later(&first, &before, &now, 10),
        Err(ReleaseError::ResponsesRemoved(_))
    ));
}

fn villages() -> impl Strategy<Value = Villages> {
    proptest::collection::vec((0u64..40).prop_flat_map(|n| (Just(n), 0..=n)), 2..=5)
}

/// One step after a release: late students in some villages, and a k.
fn step(villages: usize) -> impl Strategy<Value = (Vec<(u64, u64)>, u32)> {
    (
        proptest::collection::vec(
            prop_oneof![Just(0u64), 0u64..3, 0u64..15].prop_flat_map(|n| (Just(n), 0..=n)),
            villages,
        ),
        5u32..=12,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// Over any sequence of releases: a later release only ever shows what the
    /// one before showed, and every figure it shows again is either unchanged or
    /// changed by a group the rules would show on its own.
    #[test]
    fn a_later_release_shows_nothing_the_pair_would_give_away(
        (start, steps) in villages().prop_flat_map(|v| {
            let n = v.len();
            (Just(v), proptest::collection::vec(step(n), 1..4))
        }),
        first_k in 5u32..=12,
    ) {
        let mut data = start;
        let mut release = suppress(&tabulation(&data), k(first_k)).expect("adds up");
        for (added, threshold) in steps {
            let next: Villages = data.iter().zip(&added)
                .map(|(&(n, y), &(an, ay))| (n + an, y + ay))
                .collect();
            let decided = later(&release, &data, &next, threshold).expect("only additions");
            let (old_t, new_t) = (tabulation(&data), tabulation(&next));
            for (group, now) in decided.groups() {
                let before = release.group(group);
                let old_n = old_t.groups.get(group).map_or(0, |c| c.respondents);
                if let Release::Released(n) = now.respondents {
                    prop_assert!(n >= u64::from(threshold));
                    if let Some(before) = before {
                        prop_assert!(!before.respondents.is_suppressed(),
                            "{group} was hidden and shows now");
                    }
                    let added = n - old_n;
                    prop_assert!(added == 0 || added >= u64::from(threshold),
                        "{group} shows again, changed by {added} students");
                }
                if let Some(Release::Released(s)) = now.indicators.get(&0) {
                    let old = old_t.groups.get(group).map(|c| c.indicators[&0]);
                    if let Some(before) = before {
                        prop_assert!(!before.indicators[&0].is_suppressed(),
                            "{group}'s share was hidden and shows now");
                    }
                    let (yes, all) = old.map_or((0, 0), |o| (o.numerator(), o.denominator()));
                    let added = Share::new(s.numerator() - yes, s.denominator() - all)
                        .expect("additions only");
                    prop_assert!(added.denominator() == 0
                        || (k(threshold).allows_share(added)
                            && added.numerator() > 0 && added.complement() > 0)
                        || added.denominator() >= 2 * u64::from(threshold),
                        "{group}'s share shows again, changed by {added:?}");
                }
            }
            prop_assert_eq!(new_t.groups.len(), decided.groups().count());
            data = next;
            release = decided;
        }
    }
}
