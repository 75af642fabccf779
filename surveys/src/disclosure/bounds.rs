//! Which hidden counts an outsider can pin down by bounds, and the released
//! figures each pin rests on.
//!
//! [`super::derivation`] finds the hidden counts that sums alone give away.
//! Counts are also never negative, and they nest: a share's two sides — those
//! its rule counts and those it does not — add up to those who answered, who
//! are at most the group's respondents, and a group listed with its figures
//! withheld has at least one. Carried along the partitions, these facts narrow
//! every hidden count to an interval. A region with one cannabis user, who
//! lives in a released village, leaves 0 for every other village and every
//! other municipality, however many partitions apart; each hidden count of 0
//! says that nobody in that group uses cannabis. A hidden count whose interval
//! closes on one value is as good as shown.
//!
//! The intervals are narrowed one constraint at a time until none narrows
//! further (interval propagation): not every consequence a linear programme
//! would find, but every one that follows along chains of sums, which is how
//! an outsider adds and subtracts.

use std::collections::VecDeque;

use super::derivation::Sum;
use crate::statistics::Share;

/// The counts of one group that an indicator's figures are made of. Every
/// partition holds for each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Count {
    Respondents,
    Answered,
    /// Those the indicator's rule counts: the numerator.
    Counted,
    /// Those who answered and are not counted: 0 makes the share 100 %.
    NotCounted,
}

const COUNTS: [Count; 4] = [
    Count::Respondents,
    Count::Answered,
    Count::Counted,
    Count::NotCounted,
];

impl Count {
    fn index(self) -> usize {
        match self {
            Count::Respondents => 0,
            Count::Answered => 1,
            Count::Counted => 2,
            Count::NotCounted => 3,
        }
    }
}

/// What an outsider sees of one indicator, group by group (by position).
pub(super) struct Sight<'a> {
    pub respondents: &'a [u64],
    pub respondents_shown: &'a [bool],
    /// The indicator's counts; `None` for a group that does not count it.
    pub shares: &'a [Option<Share>],
    pub share_shown: &'a [bool],
    /// Whether the number who answered is shown, by this indicator or by
    /// another with the same denominators.
    pub answered_shown: &'a [bool],
    /// A hidden number who answered may not be pinned below this (nor in a
    /// group whose respondents are hidden): `k`.
    pub fewest_answers: u64,
}

/// A released figure that a pinned count is worked out from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Source {
    pub position: usize,
    pub count: Count,
    /// Whether it takes part as the parent of a partition (hiding a child
    /// instead loses less).
    pub as_parent: bool,
}

/// A hidden count whose interval is closed, and what it was worked out from.
#[derive(Debug, Clone)]
pub(super) struct Pin {
    pub position: usize,
    pub sources: Vec<Source>,
}

/// Every hidden count of `sight` that bounds pin to one value and that may
/// not be known: the respondents of hidden groups, both sides of hidden
/// shares, and the number who answered a hidden share when it is below `k` or
/// the group's size is hidden too. (Otherwise it is the group's shown size
/// less those who skipped the item, and a count of skips is shown beside every
/// released share.) `sums` are all partitions; those of groups without the
/// indicator only hold respondents.
pub(super) fn pins(sums: &[Sum], sight: &Sight) -> Vec<Pin> {
    let mut system = System::new(sums, sight);
    system.propagate();
    let mut found = Vec::new();
    for position in 0..sight.respondents.len() {
        let mut hidden = Vec::new();
        if !sight.respondents_shown[position] {
            hidden.push(Count::Respondents);
        }
        if let Some(share) = sight.shares[position].filter(|_| !sight.share_shown[position]) {
            hidden.extend([Count::Counted, Count::NotCounted]);
            let few = share.denominator() < sight.fewest_answers;
            if !sight.answered_shown[position] && (few || !sight.respondents_shown[position]) {
                hidden.push(Count::Answered);
            }
        }
        let pinned = hidden
            .into_iter()
            .map(|count| system.variable(count, position))
            .find(|&variable| system.lo[variable] == system.hi[variable]);
        if let Some(variable) = pinned {
            found.push(Pin {
                position,
                sources: system.sources(variable),
            });
        }
    }
    found
}

/// No upper bound known yet.
const OPEN: u64 = u64::MAX;

/// What an outsider knows about how counts relate.
enum Fact {
    /// A count is the sum of others: a partition (`partition`), or those who
    /// answered as those counted plus those not.
    Sum {
        whole: usize,
        parts: Vec<usize>,
        partition: bool,
    },
    /// Those who answered are at most the respondents.
    AtMost { less: usize, more: usize },
}

impl Fact {
    fn counts(&self) -> Vec<usize> {
        match self {
            Fact::Sum { whole, parts, .. } => std::iter::once(*whole)
                .chain(parts.iter().copied())
                .collect(),
            Fact::AtMost { less, more } => vec![*less, *more],
        }
    }
}

/// Every count of every group for one indicator, its interval, and the facts
/// that narrow it.
struct System {
    positions: usize,
    facts: Vec<Fact>,
    /// The facts each count takes part in.
    mentions: Vec<Vec<usize>>,
    lo: Vec<u64>,
    hi: Vec<u64>,
    shown: Vec<bool>,
    /// The fact that last raised each lower bound, and lowered each upper
    /// bound: the trail back to the released figures.
    raised_by: Vec<Option<usize>>,
    lowered_by: Vec<Option<usize>>,
    truth: Vec<u64>,
}

impl System {
    fn new(sums: &[Sum], sight: &Sight) -> System {
        let positions = sight.respondents.len();
        let variables = COUNTS.len() * positions;
        let at = |count: Count, position: usize| count.index() * positions + position;
        let mut facts = Vec::new();
        for sum in sums {
            let counts: &[Count] = if sight.shares[sum.parent].is_some() {
                &COUNTS
            } else {
                &[Count::Respondents]
            };
            for &count in counts {
                facts.push(Fact::Sum {
                    whole: at(count, sum.parent),
                    parts: sum.children.iter().map(|&c| at(count, c)).collect(),
                    partition: true,
                });
            }
        }
        let mut truth = vec![0; variables];
        let mut shown = vec![false; variables];
        let mut lo = vec![0; variables];
        for position in 0..positions {
            let respondents = at(Count::Respondents, position);
            truth[respondents] = sight.respondents[position];
            shown[respondents] = sight.respondents_shown[position];
            // A group listed with its figures withheld has somebody: groups
            // without anybody are left out (where a caller lists one anyway,
            // its 0 is what an outsider would assume wrongly).
            lo[respondents] = truth[respondents].min(1);
            let answered = at(Count::Answered, position);
            let (counted, not_counted) = (
                at(Count::Counted, position),
                at(Count::NotCounted, position),
            );
            // A group without the indicator counts nobody for it.
            let share = sight.shares[position];
            let share_shown = share.is_none() || sight.share_shown[position];
            let (yes, all) = share.map_or((0, 0), |s| (s.numerator(), s.denominator()));
            truth[answered] = all;
            truth[counted] = yes;
            truth[not_counted] = all - yes;
            shown[answered] = share_shown || sight.answered_shown[position];
            shown[counted] = share_shown;
            shown[not_counted] = share_shown;
            facts.push(Fact::Sum {
                whole: answered,
                parts: vec![counted, not_counted],
                partition: false,
            });
            facts.push(Fact::AtMost {
                less: answered,
                more: respondents,
            });
        }
        let mut hi = vec![OPEN; variables];
        for variable in (0..variables).filter(|&v| shown[v]) {
            lo[variable] = truth[variable];
            hi[variable] = truth[variable];
        }
        let mut mentions = vec![Vec::new(); variables];
        for (f, fact) in facts.iter().enumerate() {
            for count in fact.counts() {
                mentions[count].push(f);
            }
        }
        System {
            positions,
            facts,
            mentions,
            lo,
            hi,
            shown,
            raised_by: vec![None; variables],
            lowered_by: vec![None; variables],
            truth,
        }
    }

    fn variable(&self, count: Count, position: usize) -> usize {
        count.index() * self.positions + position
    }

    /// Narrows every interval until no fact narrows one further. Each step
    /// moves a bound towards the true count, so it ends.
    fn propagate(&mut self) {
        let mut waiting = vec![true; self.facts.len()];
        let mut queue: VecDeque<usize> = (0..self.facts.len()).collect();
        while let Some(f) = queue.pop_front() {
            waiting[f] = false;
            for count in self.apply(f) {
                debug_assert!(
                    self.lo[count] <= self.truth[count] && self.truth[count] <= self.hi[count],
                    "bounds lost the true count"
                );
                for &other in &self.mentions[count] {
                    if !waiting[other] {
                        waiting[other] = true;
                        queue.push_back(other);
                    }
                }
            }
        }
    }

    /// Narrows the counts of one fact by what the others in it leave; returns
    /// those that moved.
    fn apply(&mut self, f: usize) -> Vec<usize> {
        let mut moved = Vec::new();
        match &self.facts[f] {
            &Fact::AtMost { less, more } => {
                let (cap, floor) = (self.hi[more], self.lo[less]);
                self.lower(less, cap, f, &mut moved);
                self.raise(more, floor, f, &mut moved);
            }
            Fact::Sum { whole, parts, .. } => {
                let (whole, parts) = (*whole, parts.clone());
                let least: u64 = parts.iter().map(|&p| self.lo[p]).sum();
                let open = parts.iter().filter(|&&p| self.hi[p] == OPEN).count();
                let most: u64 = parts
                    .iter()
                    .map(|&p| self.hi[p])
                    .filter(|&h| h != OPEN)
                    .sum();
                self.raise(whole, least, f, &mut moved);
                if open == 0 {
                    self.lower(whole, most, f, &mut moved);
                }
                let (whole_lo, whole_hi) = (self.lo[whole], self.hi[whole]);
                for part in parts {
                    // A part is the whole less the others, which hold at
                    // least `least` less its own floor, and at most `most`
                    // less its own cap (when no other is open).
                    let (floor, cap) = (self.lo[part], self.hi[part]);
                    if whole_hi != OPEN {
                        let others_least = least - floor;
                        self.lower(part, whole_hi.saturating_sub(others_least), f, &mut moved);
                    }
                    let others_open = open - usize::from(cap == OPEN);
                    if others_open == 0 {
                        let others_most = most - if cap == OPEN { 0 } else { cap };
                        self.raise(part, whole_lo.saturating_sub(others_most), f, &mut moved);
                    }
                }
            }
        }
        moved
    }

    fn raise(&mut self, count: usize, to: u64, fact: usize, moved: &mut Vec<usize>) {
        if to > self.lo[count] {
            self.lo[count] = to;
            self.raised_by[count] = Some(fact);
            moved.push(count);
        }
    }

    fn lower(&mut self, count: usize, to: u64, fact: usize, moved: &mut Vec<usize>) {
        if to < self.hi[count] {
            self.hi[count] = to;
            self.lowered_by[count] = Some(fact);
            moved.push(count);
        }
    }

    /// The released figures the interval of `count` was narrowed from,
    /// following the trail of facts back.
    fn sources(&self, count: usize) -> Vec<Source> {
        let mut seen = vec![false; self.lo.len()];
        let mut queue = VecDeque::from([count]);
        seen[count] = true;
        let mut sources = Vec::new();
        while let Some(c) = queue.pop_front() {
            for f in [self.raised_by[c], self.lowered_by[c]]
                .into_iter()
                .flatten()
            {
                let parent = match &self.facts[f] {
                    Fact::Sum {
                        whole,
                        partition: true,
                        ..
                    } => Some(*whole),
                    _ => None,
                };
                for term in self.facts[f].counts() {
                    if seen[term] {
                        continue;
                    }
                    seen[term] = true;
                    if self.shown[term] {
                        sources.push(Source {
                            position: term % self.positions,
                            count: COUNTS[term / self.positions],
                            as_parent: parent == Some(term),
                        });
                    } else if self.raised_by[term].is_some() || self.lowered_by[term].is_some() {
                        queue.push_back(term);
                    }
                }
            }
        }
        sources
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(yes: u64, answered: u64) -> Option<Share> {
        Share::new(yes, answered).ok()
    }

    /// Region 0 = municipalities 1 + 2; municipality 1 = villages 3 + 4.
    fn nested() -> Vec<Sum> {
        vec![
            Sum {
                parent: 0,
                children: vec![1, 2],
            },
            Sum {
                parent: 1,
                children: vec![3, 4],
            },
        ]
    }

    /// The pins of a region of 60 as [`nested`] splits it, everybody shown,
    /// with `shares` and only those of the region and village 3 released.
    fn pins_of_sixty(shares: [Option<Share>; 5]) -> Vec<Pin> {
        let shown = [true, false, false, true, false];
        let sight = Sight {
            respondents: &[60, 48, 12, 36, 12],
            respondents_shown: &[true; 5],
            shares: &shares,
            share_shown: &shown,
            answered_shown: &shown,
            fewest_answers: 10,
        };
        pins(&nested(), &sight)
    }

    #[test]
    fn a_remainder_without_users_two_partitions_apart_is_pinned_to_zero() {
        // Region 1 of 59, village 3 holds that 1: municipality 2 and village 4
        // are hidden, each in its own partition beside another hidden group.
        let pinned = pins_of_sixty([
            share(1, 59),
            share(1, 47),
            share(0, 12),
            share(1, 36),
            share(0, 11),
        ]);
        let positions: Vec<usize> = pinned.iter().map(|p| p.position).collect();
        // Municipality 1 then holds exactly the 1.
        assert_eq!(positions, vec![1, 2, 4]);
        let village = Source {
            position: 3,
            count: Count::Counted,
            as_parent: false,
        };
        assert!(
            pinned[1].sources.contains(&village),
            "{:?}",
            pinned[1].sources
        );
    }

    #[test]
    fn a_mixed_remainder_pins_nothing() {
        let pinned = pins_of_sixty([
            share(4, 59),
            share(3, 47),
            share(1, 12),
            share(1, 36),
            share(2, 11),
        ]);
        assert!(pinned.is_empty());
    }

    #[test]
    fn withheld_groups_have_at_least_one_respondent() {
        // 11 = hidden + hidden with 10 shown beside them: both hidden are 1
        // (nobody lists an empty group).
        let sums = vec![Sum {
            parent: 0,
            children: vec![1, 2, 3],
        }];
        let sight = Sight {
            respondents: &[12, 10, 1, 1],
            respondents_shown: &[true, true, false, false],
            shares: &[None; 4],
            share_shown: &[false; 4],
            answered_shown: &[false; 4],
            fewest_answers: 10,
        };
        let pinned: Vec<usize> = pins(&sums, &sight).iter().map(|p| p.position).collect();
        assert_eq!(pinned, vec![2, 3]);
    }
}
