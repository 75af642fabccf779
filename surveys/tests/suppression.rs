//! What may be released of a wave, checked from the outside: named situations from
//! municipalities, and random regions whose released figures are attacked with an
//! independent checker.
//!
//! The checker proves, for every random region it is given:
//! - every group under k, every share under k answers and every share of a small
//!   group with fewer than three students on one side is suppressed;
//! - no suppressed count can be computed exactly from the released counts and the
//!   partition sums, by any combination of additions and subtractions — for the
//!   respondent counts, for each indicator's numerators and denominators, and for
//!   denominators shared by indicators of one item. It decides this by exact
//!   rational rank: a hidden count is derivable exactly when its unit vector lies
//!   in the row space of the partition equations restricted to hidden counts;
//! - the suppressed children of a released parent, whose total the parent minus
//!   the released siblings gives away, form a group that could be released itself;
//! - released figures are the true ones.
//!
//! It does not look at bounds (a hidden village has at most as many respondents as
//! the municipality minus the released villages): named situations pin the cases
//! where bounds close on one value, and `tests/auditor` attacks whole waves with
//! them.

mod common;

use proptest::prelude::*;
use surveys::{
    GroupCounts, Partition, Release, Share, SuppressionReason, SuppressionThreshold, Tabulation,
    TabulationError, suppress,
};

/// The smallest cell of a wave: students of one village and school year, with
/// per indicator (yes, answered).
#[derive(Debug, Clone)]
struct Cell {
    respondents: u64,
    answers: Vec<(u64, u64)>,
}

/// Adds up the cells of each group into the tabulation `suppress` is given.
fn tabulate(
    cells: &[Cell],
    groups: &[(String, Vec<usize>)],
    partitions: Vec<Partition<String>>,
) -> Tabulation<String, usize> {
    let indicators = cells.first().map_or(0, |c| c.answers.len());
    let groups = groups
        .iter()
        .map(|(name, members)| {
            let respondents = members.iter().map(|&m| cells[m].respondents).sum();
            let shares = (0..indicators)
                .map(|i| {
                    let yes = members.iter().map(|&m| cells[m].answers[i].0).sum();
                    let answered = members.iter().map(|&m| cells[m].answers[i].1).sum();
                    (
                        i,
                        Share::new(yes, answered).expect("yes never exceeds answered"),
                    )
                })
                .collect();
            (
                name.clone(),
                GroupCounts {
                    respondents,
                    indicators: shares,
                },
            )
        })
        .collect();
    Tabulation { groups, partitions }
}

fn partition(parent: &str, children: &[&str]) -> Partition<String> {
    Partition {
        parent: parent.to_string(),
        children: children.iter().map(|c| c.to_string()).collect(),
    }
}

/// A municipality of named parts, each part one cell of `n` students, every one
/// of whom answered the single indicator, `yes` of them meeting its rule.
fn municipality(parts: &[(&str, u64, u64)]) -> Tabulation<String, usize> {
    let cells: Vec<Cell> = parts
        .iter()
        .map(|&(_, n, yes)| Cell {
            respondents: n,
            answers: vec![(yes, n)],
        })
        .collect();
    let mut groups: Vec<(String, Vec<usize>)> = parts
        .iter()
        .enumerate()
        .map(|(i, (name, _, _))| (name.to_string(), vec![i]))
        .collect();
    groups.push(("whole".to_string(), (0..parts.len()).collect()));
    let names: Vec<&str> = parts.iter().map(|(name, _, _)| *name).collect();
    tabulate(&cells, &groups, vec![partition("whole", &names)])
}

fn respondents(t: &Tabulation<String, usize>, group: &str) -> Release<u64> {
    suppress(t, SuppressionThreshold::DEFAULT)
        .expect("the parts add up")
        .respondents(&group.to_string())
        .expect("the group was tabulated")
}

fn share(t: &Tabulation<String, usize>, group: &str) -> Release<Share> {
    suppress(t, SuppressionThreshold::DEFAULT)
        .expect("the parts add up")
        .share(&group.to_string(), &0)
        .expect("the group was tabulated")
}

const HIDDEN_TOO_SMALL: Release<u64> = Release::Suppressed(SuppressionReason::TooFewRespondents);
const HIDDEN_TO_PROTECT: Release<u64> =
    Release::Suppressed(SuppressionReason::ProtectsAnotherFigure);

#[test]
fn a_village_of_seven_respondents_is_suppressed_with_everything_it_counts() {
    let t = municipality(&[("Oudeschans", 7, 2), ("Blijham", 40, 10), ("Wedde", 60, 20)]);
    assert_eq!(respondents(&t, "Oudeschans"), HIDDEN_TOO_SMALL);
    assert_eq!(
        share(&t, "Oudeschans"),
        Release::Suppressed(SuppressionReason::TooFewRespondents)
    );
    // Otherwise 107 − 40 − 60 gives the seven away.
    assert_eq!(respondents(&t, "Blijham"), HIDDEN_TO_PROTECT);
    assert_eq!(respondents(&t, "Wedde"), Release::Released(60));
    assert_eq!(respondents(&t, "whole"), Release::Released(107));
}

#[test]
fn a_municipality_with_two_villages_one_small_hides_both_villages() {
    let t = municipality(&[("Eext", 6, 1), ("Anloo", 44, 12)]);
    assert_eq!(respondents(&t, "Eext"), HIDDEN_TOO_SMALL);
    assert_eq!(respondents(&t, "Anloo"), HIDDEN_TO_PROTECT);
    assert_eq!(respondents(&t, "whole"), Release::Released(50));
    assert_eq!(
        share(&t, "whole"),
        Release::Released(Share::new(13, 50).expect("a share"))
    );
}

#[test]
fn gender_other_with_three_respondents_hides_the_next_smallest_gender_too() {
    let t = municipality(&[("boy", 60, 15), ("girl", 55, 12), ("other", 3, 1)]);
    assert_eq!(respondents(&t, "other"), HIDDEN_TOO_SMALL);
    assert_eq!(respondents(&t, "girl"), HIDDEN_TO_PROTECT);
    assert_eq!(respondents(&t, "boy"), Release::Released(60));
}

#[test]
fn two_small_villages_side_by_side_need_a_third_to_hide_their_total() {
    // Hiding only the 4 and the 5 would publish a group of 9 (130 − 48 − 73).
    let t = municipality(&[("A", 4, 1), ("B", 5, 1), ("C", 48, 9), ("D", 73, 20)]);
    assert_eq!(respondents(&t, "A"), HIDDEN_TOO_SMALL);
    assert_eq!(respondents(&t, "B"), HIDDEN_TOO_SMALL);
    assert_eq!(respondents(&t, "C"), HIDDEN_TO_PROTECT);
    assert_eq!(respondents(&t, "D"), Release::Released(73));
}

#[test]
fn nobody_drinking_in_a_small_village_is_not_shown_but_its_size_is() {
    let t = municipality(&[
        ("Ter Apel", 15, 0),
        ("Musselkanaal", 80, 17),
        ("Stadskanaal", 90, 20),
    ]);
    assert_eq!(respondents(&t, "Ter Apel"), Release::Released(15));
    assert_eq!(
        share(&t, "Ter Apel"),
        Release::Suppressed(SuppressionReason::AnswersTooAlike)
    );
    // 17 + 20 = 37 of the 37 drinkers are elsewhere: a sibling share hides with it.
    assert_eq!(
        share(&t, "Musselkanaal"),
        Release::Suppressed(SuppressionReason::ProtectsAnotherFigure)
    );
    assert!(matches!(share(&t, "Stadskanaal"), Release::Released(_)));
}

#[test]
fn hidden_villages_left_with_no_drinker_between_them_are_hidden_with_a_sibling() {
    // Hiding only the 7 (and the 25 beside it, to protect it) would leave a
    // remainder of 32 with none of the municipality's 6 drinkers in it: each
    // hidden village would be known to be 0 %, whatever its size.
    let t = municipality(&[("Zeijen", 7, 0), ("Ubbena", 25, 0), ("Vries", 30, 6)]);
    assert_eq!(respondents(&t, "Zeijen"), HIDDEN_TOO_SMALL);
    for village in ["Zeijen", "Ubbena", "Vries"] {
        assert!(share(&t, village).is_suppressed(), "{village} is hidden");
    }
    assert_eq!(
        share(&t, "whole"),
        Release::Released(Share::new(6, 62).expect("a share"))
    );
}

#[test]
fn a_municipality_where_nobody_drinks_hides_every_village_of_a_hidden_one() {
    // 0 of 62 is news worth showing, but it tells that the hidden village of 7
    // has no drinker either; so the villages go, and the whole stays.
    let t = municipality(&[("Zeijen", 7, 0), ("Ubbena", 25, 0), ("Vries", 30, 0)]);
    for village in ["Zeijen", "Ubbena", "Vries"] {
        assert!(share(&t, village).is_suppressed(), "{village} is hidden");
    }
}

/// Students of one cell who answered the single indicator: `answered` of the
/// `respondents`, `yes` of them meeting its rule.
fn answering(respondents: u64, yes: u64, answered: u64) -> Cell {
    Cell {
        respondents,
        answers: vec![(yes, answered)],
    }
}

/// Groups of cells, by name.
fn named(groups: &[(&str, &[usize])]) -> Vec<(String, Vec<usize>)> {
    groups
        .iter()
        .map(|(name, members)| (name.to_string(), members.to_vec()))
        .collect()
}

/// Whether the single indicator's share of a group is released under `k`.
fn share_shown(t: &Tabulation<String, usize>, k: u32, group: &str) -> bool {
    let k = SuppressionThreshold::new(k).expect("k is at least five");
    !suppress(t, k)
        .expect("the parts add up")
        .share(&group.to_string(), &0)
        .expect("the group was tabulated")
        .is_suppressed()
}

#[test]
fn a_remainder_without_users_two_partitions_apart_is_not_left_pinned_to_zero() {
    // One municipality of a 36 and a 12 village, another of 12; the region's
    // only cannabis user lives in the 36. Both twelves are 0 % and hidden, and
    // so is the first municipality, beside the second. No partition then has a
    // released parent over hidden children that are all 0 % — yet the region
    // (1) minus the 36 (1) leaves 0 for the 12 and the other municipality
    // together, and counts are never negative: each would be known to be 0 %.
    let cells = [
        answering(36, 1, 36),
        answering(12, 0, 12),
        answering(12, 0, 12),
    ];
    let groups = named(&[
        ("region", &[0, 1, 2]),
        ("M1", &[0, 1]),
        ("M2", &[2]),
        ("M1 V36", &[0]),
        ("M1 V12", &[1]),
        ("M2 V12", &[2]),
    ]);
    let t = tabulate(
        &cells,
        &groups,
        vec![
            partition("region", &["M1", "M2"]),
            partition("M1", &["M1 V36", "M1 V12"]),
            partition("M2", &["M2 V12"]),
        ],
    );
    for hidden in ["M1", "M2", "M1 V12", "M2 V12"] {
        assert!(!share_shown(&t, 10, hidden), "{hidden} is hidden");
    }
    assert!(share_shown(&t, 10, "region"), "the region's 1 of 60 stays");
    assert!(
        !share_shown(&t, 10, "M1 V36"),
        "the 36 goes, so that the remainder is open"
    );
}

#[test]
fn a_number_answering_below_k_is_not_left_to_follow_from_a_group_where_all_answered() {
    // Village 101 shows that all its 16 answered, so its years (9 and 7,
    // sizes shown) answered in full too; the municipality's year 4 shows 11
    // answers, which leaves 11 − 7 = 4 for village 100's year 4: fewer than k
    // answered, a figure its hidden share must not give away.
    let cells = [answering(5, 2, 4), answering(9, 4, 9), answering(7, 3, 7)];
    let groups = named(&[
        ("M y4", &[0, 2]),
        ("V100 y4", &[0]),
        ("V101", &[1, 2]),
        ("V101 y2", &[1]),
        ("V101 y4", &[2]),
    ]);
    let t = tabulate(
        &cells,
        &groups,
        vec![
            partition("M y4", &["V100 y4", "V101 y4"]),
            partition("V101", &["V101 y2", "V101 y4"]),
        ],
    );
    assert!(!share_shown(&t, 5, "V100 y4"), "4 answers are too few");
    assert!(
        !(share_shown(&t, 5, "M y4") && share_shown(&t, 5, "V101")),
        "11 answers minus the 7 of a year where all answered would leave the 4"
    );
}

#[test]
fn nobody_drinking_is_not_shown_even_in_a_large_group() {
    // 0 of 40 would say the same of every small group among the 40.
    let t = municipality(&[("A", 40, 0), ("B", 45, 0)]);
    assert_eq!(
        share(&t, "A"),
        Release::Suppressed(SuppressionReason::AnswersTooAlike)
    );
    assert!(share(&t, "whole").is_suppressed());
}

#[test]
fn the_share_rule_needs_k_answers_and_three_on_each_side_below_two_k() {
    let k = SuppressionThreshold::DEFAULT;
    let rule = |yes, answered| k.allows_share(Share::new(yes, answered).expect("a share"));
    assert!(!rule(5, 9), "fewer than k answered");
    assert!(!rule(0, 14), "0 % of a small group");
    assert!(!rule(14, 14), "100 % of a small group");
    assert!(!rule(2, 19), "two on one side of 19");
    assert!(!rule(17, 19), "two on the other side of 19");
    assert!(rule(3, 19));
    assert!(rule(16, 19));
    assert!(!rule(0, 20), "a unanimous share is not shown at any size");
    assert!(!rule(200, 200));
    assert!(rule(1, 20), "from 2k one on a side is shown");
}

#[test]
fn a_share_with_fewer_than_k_answers_is_suppressed_in_a_large_group() {
    let mut t = municipality(&[("A", 30, 3), ("B", 40, 10), ("C", 50, 10)]);
    // Only 8 in A answered the item (the rest were routed past it).
    let a = t.groups.get_mut("A").expect("A was tabulated");
    a.indicators.insert(0, Share::new(3, 8).expect("a share"));
    let whole = t.groups.get_mut("whole").expect("whole was tabulated");
    whole
        .indicators
        .insert(0, Share::new(23, 98).expect("a share"));
    assert_eq!(respondents(&t, "A"), Release::Released(30));
    assert_eq!(
        share(&t, "A"),
        Release::Suppressed(SuppressionReason::TooFewAnswers)
    );
    assert_eq!(
        share(&t, "B"),
        Release::Suppressed(SuppressionReason::ProtectsAnotherFigure)
    );
}

#[test]
fn figures_computed_from_a_suppressed_share_stay_suppressed() {
    let t = municipality(&[("Eext", 6, 1), ("Anloo", 44, 12)]);
    let interval = share(&t, "Eext").map(Share::wilson_interval);
    assert_eq!(
        interval,
        Release::Suppressed(SuppressionReason::TooFewRespondents)
    );
    let change = share(&t, "whole").and(share(&t, "Eext"));
    assert!(change.is_suppressed());
}

#[test]
fn villages_that_do_not_add_up_to_their_municipality_are_refused() {
    let mut t = municipality(&[("A", 30, 3), ("B", 40, 10)]);
    if let Some(whole) = t.groups.get_mut("whole") {
        whole.respondents = 75;
    }
    assert_eq!(
        suppress(&t, SuppressionThreshold::DEFAULT),
        Err(TabulationError::RespondentsDoNotAddUp("whole".to_string()))
    );
}

// ----- random regions -----

/// A region of municipalities, each split into villages and crossed with school
/// years: every group a dashboard shows, with all the ways they add up.
#[derive(Debug, Clone)]
struct Region {
    municipalities: usize,
    villages: usize,
    years: usize,
    cells: Vec<Cell>,
    k: u32,
}

impl Region {
    fn cell(&self, m: usize, v: usize, y: usize) -> usize {
        (m * self.villages + v) * self.years + y
    }

    fn tabulation(&self) -> Tabulation<String, usize> {
        let (ms, vs, ys) = (self.municipalities, self.villages, self.years);
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        let mut partitions = Vec::new();
        let all = |pick: &dyn Fn(usize, usize, usize) -> bool| -> Vec<usize> {
            let mut members = Vec::new();
            for m in 0..ms {
                for v in 0..vs {
                    for y in 0..ys {
                        if pick(m, v, y) {
                            members.push(self.cell(m, v, y));
                        }
                    }
                }
            }
            members
        };
        groups.push(("R".into(), all(&|_, _, _| true)));
        let names = |f: &dyn Fn(usize) -> String, count: usize| -> Vec<String> {
            (0..count).map(f).collect()
        };
        let as_partition = |parent: String, children: Vec<String>| Partition { parent, children };
        partitions.push(as_partition("R".into(), names(&|m| format!("M{m}"), ms)));
        partitions.push(as_partition("R".into(), names(&|y| format!("Y{y}"), ys)));
        for y in 0..ys {
            groups.push((format!("Y{y}"), all(&|_, _, yy| yy == y)));
            partitions.push(as_partition(
                format!("Y{y}"),
                names(&|m| format!("M{m}Y{y}"), ms),
            ));
        }
        for m in 0..ms {
            groups.push((format!("M{m}"), all(&|mm, _, _| mm == m)));
            partitions.push(as_partition(
                format!("M{m}"),
                names(&|v| format!("M{m}V{v}"), vs),
            ));
            partitions.push(as_partition(
                format!("M{m}"),
                names(&|y| format!("M{m}Y{y}"), ys),
            ));
            for y in 0..ys {
                groups.push((format!("M{m}Y{y}"), all(&|mm, _, yy| mm == m && yy == y)));
                partitions.push(as_partition(
                    format!("M{m}Y{y}"),
                    names(&|v| format!("M{m}V{v}Y{y}"), vs),
                ));
            }
            for v in 0..vs {
                groups.push((format!("M{m}V{v}"), all(&|mm, vv, _| mm == m && vv == v)));
                partitions.push(as_partition(
                    format!("M{m}V{v}"),
                    names(&|y| format!("M{m}V{v}Y{y}"), ys),
                ));
                for y in 0..ys {
                    groups.push((format!("M{m}V{v}Y{y}"), vec![self.cell(m, v, y)]));
                }
            }
        }
        tabulate(&self.cells, &groups, partitions)
    }
}

fn cell(indicators: usize, same_item: bool) -> impl Strategy<Value = Cell> {
    // Mostly small cells, so that suppression has work to do.
    prop_oneof![0u64..8, 0u64..30].prop_flat_map(move |n| {
        let answered = proptest::collection::vec(0..=n, indicators);
        (Just(n), answered).prop_flat_map(move |(n, mut answered)| {
            if same_item && answered.len() > 1 {
                answered[1] = answered[0];
            }
            let yes: Vec<_> = answered.iter().map(|&a| 0..=a).collect();
            (Just(n), Just(answered), yes).prop_map(|(respondents, answered, yes)| Cell {
                respondents,
                answers: yes.into_iter().zip(answered).collect(),
            })
        })
    })
}

fn region() -> impl Strategy<Value = Region> {
    (
        1usize..=3,
        1usize..=4,
        1usize..=2,
        any::<bool>(),
        prop_oneof![Just(5u32), Just(10u32)],
    )
        .prop_flat_map(|(municipalities, villages, years, same_item, k)| {
            let cells =
                proptest::collection::vec(cell(3, same_item), municipalities * villages * years);
            cells.prop_map(move |cells| Region {
                municipalities,
                villages,
                years,
                cells,
                k,
            })
        })
}

/// Hidden groups whose count follows exactly from the partition sums once the
/// groups outside `hidden` are known.
fn derivable(t: &Tabulation<String, usize>, hidden: &[&String]) -> Vec<String> {
    let hidden: Vec<String> = hidden.iter().map(|g| (*g).clone()).collect();
    common::derivation::derivable(&t.partitions, &hidden)
}

fn too_alike(s: Share, k: u64) -> bool {
    s.denominator() < 2 * k && s.numerator().min(s.denominator() - s.numerator()) < 3
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn no_suppressed_figure_can_be_worked_out_from_released_ones(region in region()) {
        let t = region.tabulation();
        let k = SuppressionThreshold::new(region.k).expect("k is at least five");
        let k_answers = u64::from(region.k);
        let released = suppress(&t, k).expect("a generated region adds up");

        // Respondent counts.
        let mut hidden_groups = Vec::new();
        for (id, counts) in &t.groups {
            match released.respondents(id).expect("every group is decided") {
                Release::Released(n) => {
                    prop_assert!(n >= k_answers, "{id} has {n} respondents and is shown");
                    prop_assert_eq!(n, counts.respondents);
                }
                Release::Suppressed(_) => hidden_groups.push(id),
            }
        }
        prop_assert!(derivable(&t, &hidden_groups).is_empty(),
            "derivable respondent counts: {:?}", derivable(&t, &hidden_groups));

        // Each indicator's numerators and denominators.
        let mut hidden_per_indicator: Vec<Vec<&String>> = Vec::new();
        for indicator in 0..3 {
            let mut hidden = Vec::new();
            for (id, counts) in &t.groups {
                let truth = counts.indicators[&indicator];
                match released.share(id, &indicator).expect("every share is decided") {
                    Release::Released(s) => {
                        prop_assert_eq!(s, truth);
                        prop_assert!(counts.respondents >= k_answers);
                        prop_assert!(s.denominator() >= k_answers);
                        prop_assert!(!too_alike(s, k_answers), "{id}: {s:?} is shown");
                    }
                    Release::Suppressed(_) => hidden.push(id),
                }
            }
            for g in &hidden_groups {
                prop_assert!(hidden.contains(g), "{g} is hidden but its share is not");
            }
            prop_assert!(derivable(&t, &hidden).is_empty(),
                "indicator {indicator}: derivable {:?}", derivable(&t, &hidden));
            hidden_per_indicator.push(hidden);
        }

        // Indicators of one item share their denominators: what an outsider still
        // lacks after reading both must not follow either.
        let same_denominators = t.groups.values().all(|c| {
            c.indicators[&0].denominator() == c.indicators[&1].denominator()
        });
        if same_denominators {
            let hidden_in_both: Vec<&String> = hidden_per_indicator[0]
                .iter()
                .filter(|g| hidden_per_indicator[1].contains(g))
                .copied()
                .collect();
            prop_assert!(derivable(&t, &hidden_in_both).is_empty());
        }

        // What subtraction from a released parent gives away: the hidden children
        // taken together.
        for p in &t.partitions {
            let hidden_children: Vec<&String> = p.children.iter()
                .filter(|c| hidden_groups.contains(c)).collect();
            if !hidden_groups.contains(&&p.parent) && !hidden_children.is_empty() {
                let together: u64 = hidden_children.iter().map(|c| t.groups[*c].respondents).sum();
                prop_assert!(together >= k_answers, "{:?} together have {together}", hidden_children);
            }
            for (indicator, hidden) in hidden_per_indicator.iter().enumerate() {
                if hidden.contains(&&p.parent) {
                    continue;
                }
                let (yes, answered) = p.children.iter()
                    .filter(|c| hidden.contains(c))
                    .map(|c| t.groups[c].indicators[&indicator])
                    .fold((0, 0), |(y, a), s| (y + s.numerator(), a + s.denominator()));
                if answered > 0 || p.children.iter().any(|c| hidden.contains(&c)) {
                    let together = Share::new(yes, answered).expect("sums of shares");
                    prop_assert!(together.denominator() >= k_answers && !too_alike(together, k_answers),
                        "indicator {indicator}, partition of {}: hidden children together {together:?}", p.parent);
                    prop_assert!(together.numerator() > 0 && together.complement() > 0,
                        "indicator {indicator}, partition of {}: hidden children together are unanimous, {together:?}", p.parent);
                }
            }
        }
    }
}
