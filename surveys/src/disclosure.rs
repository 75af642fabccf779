//! Disclosure control: which figures may be released.
//!
//! [`suppress`] is the one function that decides it. Every dashboard, report,
//! chart, export and API answer takes its figures from the [`Disclosure`] it
//! returns, so "can this cell be shown?" is answered in one place. A figure that
//! may not be shown is [`Release::Suppressed`] with its reason — never a 0 or an
//! empty cell, which a reader would take for a real value.
//!
//! `k` is a setting of the region, 10 by default and never below 5. The rules, in
//! the order they are applied:
//!
//! 1. **Too few respondents.** A group with fewer than `k` valid respondents
//!    shows nothing: not its count, not any share.
//! 2. **Too few answers.** An indicator's share counts only those who answered
//!    the item (routing and skipped questions make that fewer than the group), so
//!    a share with fewer than `k` answers is suppressed too.
//! 3. **Answers too alike.** In a group with fewer than `2k` answers, a share
//!    where fewer than [`FEWEST_DIFFERENT_ANSWERS`] students are on one side is
//!    suppressed. "0 % have used cannabis" in a class-sized group tells everyone
//!    each member's answer; "1 of 14" or "13 of 14" lets that one student (and
//!    anyone who knows who it is) read off every other member's answer. A band
//!    such as "< 20 %" would still let the exact count be worked out by subtracting
//!    the other villages from the municipality, so it would need the same
//!    protection as a suppressed cell while telling little more; suppressing keeps
//!    one rule. A unanimous share (0 % or 100 %) is never shown, whatever the
//!    group's size: it states the same of every smaller group inside it —
//!    the students of a small village at that school, the three girls among
//!    them — including groups no partition lists.
//! 4. **No derivation.** Each partition (a parent whose children add up to it:
//!    municipality → villages, school → school years, group → genders, region →
//!    municipalities) is an equation an outsider can subtract along. Until
//!    nothing changes, for every partition:
//!    - if exactly one of parent and children is suppressed, it follows by
//!      subtraction: suppress the smallest released child too (the parent when
//!      there is no released child);
//!    - if the parent is released, the suppressed children together are a group
//!      whose totals the parent minus the released siblings gives away; that
//!      group must pass rules 1–3 itself and, whatever its size, not be
//!      unanimous, else the next-smallest sibling is suppressed as well. Two
//!      villages of 4 and 5 hidden side by side would otherwise publish a
//!      9-student group; hidden villages that together have no drinker would
//!      each be known to have none.
//!
//!    Finally every suppressed figure is checked against the whole system of
//!    partitions at once (exact linear algebra): when several partitions cross —
//!    villages by school year, with both margins shown — a figure can follow from
//!    a combination of sums even though no single partition shows it. Such a
//!    figure gets the smallest released sibling in one of its partitions
//!    suppressed, and the rules run again.
//! 5. **No pinning by bounds.** Counts are never negative: each side of a share
//!    (those counted, those not) is at least 0, the two add up to those who
//!    answered, who are at most the group's respondents, and a group listed
//!    with its figures withheld has at least one. Carried along the partitions,
//!    these facts give every hidden count an interval, and chains of partitions
//!    reach further than any one of them: a region with one cannabis user, who
//!    lives in a released village, leaves 0 for its other village and for the
//!    other municipality, though each is hidden beside another hidden group in
//!    its own partition. A hidden count whose interval closes on one value is
//!    as good as shown, so the released figure it rests on (the smallest child
//!    of a partition along the chain, else a parent) is suppressed too, rule 4
//!    runs again, and so on until no hidden count is pinned: no respondent
//!    count, no side of a share, and no number who answered that is below `k`
//!    or belongs to a group whose size is hidden.
//!
//! Rules 2–5 run per indicator, starting from the groups suppressed by rules 1,
//! 4 and 5 on respondent counts. Indicators that share their denominators (the
//! same item) get the union of their patterns whenever an outsider could
//! combine the denominators released by one with those released by another to
//! work out one that all of them hide; and a denominator one of them shows is
//! taken as known to all of them when bounding the others.
//!
//! A wave can be released more than once (a reopen for late students, another
//! `k`); [`suppress_after`] decides a later release so that it and the earlier
//! one together give nothing away either hides.
//!
//! What this guarantees: no suppressed count (respondents, numerator or
//! denominator) can be computed exactly by adding and subtracting released counts
//! along the partitions given to one call of [`suppress`], and no suppressed
//! respondent count or side of a share is pinned to one value by bounds along
//! them. A suppressed denominator of at least `k` in a group whose size is shown
//! may still be pinned, typically when everybody answered the item: it is then
//! that size minus those who skipped, and how many skipped is shown beside every
//! released share. (Where the item is asked only of some — those who ever drank
//! — its denominator also counts them; this module knows nothing of routing, so
//! such an indicator's denominators are protected only as far as its own shares
//! are.) Bounds that stay open are not stopped (a hidden village has at most as
//! many drinkers as the municipality minus the released villages), and only the
//! partitions given are known: every figure of a wave that is shown anywhere must
//! come from one call with all of them.

mod bounds;
mod derivation;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::statistics::Share;
use bounds::{Count, Pin, Sight};
use derivation::{Sum, protect, widen_around};

/// The smallest group size for which any figure is released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct SuppressionThreshold(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ThresholdError {
    #[error("the suppression threshold is {0}, but it may never be below {min}", min = SuppressionThreshold::MINIMUM)]
    BelowMinimum(u32),
}

impl SuppressionThreshold {
    /// Below five, a figure can point at a single student too easily.
    pub const MINIMUM: u32 = 5;
    pub const DEFAULT: SuppressionThreshold = SuppressionThreshold(10);

    pub fn new(k: u32) -> Result<Self, ThresholdError> {
        if k < Self::MINIMUM {
            Err(ThresholdError::BelowMinimum(k))
        } else {
            Ok(SuppressionThreshold(k))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Whether a group of `valid_respondents` is large enough to show anything of.
    pub fn allows(self, valid_respondents: u64) -> bool {
        valid_respondents >= u64::from(self.0)
    }

    /// Whether a share may be shown as far as its own counts go (rules 2 and 3):
    /// at least `k` answered the item, and in a group of fewer than `2k` answers
    /// at least [`FEWEST_DIFFERENT_ANSWERS`] students are on each side of the
    /// indicator's rule.
    ///
    /// The second half is the small-complement rule. "0 %" or "100 %" of a small
    /// group tells everyone who knows a member that member's answer, and "1 of 14"
    /// lets that one student read off everybody else's. A unanimous share is not
    /// shown at any size: "nobody of the 40 uses cannabis" also says that nobody
    /// of the 7 from the hamlet among them does, and every small group inside a
    /// released group is one an outsider can name.
    ///
    /// Whether the share can be worked out from other released figures (rule 4)
    /// is not a property of one share; [`suppress`] decides that over the whole wave.
    pub fn allows_share(self, share: Share) -> bool {
        let k = u64::from(self.0);
        share.denominator() >= k && !answers_too_alike(share, k)
    }
}

impl Default for SuppressionThreshold {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for SuppressionThreshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for SuppressionThreshold {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k: u32 = s
            .trim()
            .parse()
            .map_err(|_| format!("'{s}' is not a whole number"))?;
        SuppressionThreshold::new(k).map_err(|e| e.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for SuppressionThreshold {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let k = u32::deserialize(d)?;
        SuppressionThreshold::new(k).map_err(serde::de::Error::custom)
    }
}

/// In a group with fewer than `2k` answers, a share needs at least this many
/// students on each side of the indicator's rule to be shown (rule 3).
pub const FEWEST_DIFFERENT_ANSWERS: u64 = 3;

/// A figure as every caller receives it: its value, or why it is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum Release<T> {
    Released(T),
    Suppressed(SuppressionReason),
}

impl<T> Release<T> {
    pub fn released(&self) -> Option<&T> {
        match self {
            Release::Released(value) => Some(value),
            Release::Suppressed(_) => None,
        }
    }

    pub fn is_suppressed(&self) -> bool {
        matches!(self, Release::Suppressed(_))
    }

    /// A figure computed from a released one (an interval from a share) is
    /// released; from a suppressed one it stays suppressed for the same reason.
    pub fn map<U>(self, compute: impl FnOnce(T) -> U) -> Release<U> {
        match self {
            Release::Released(value) => Release::Released(compute(value)),
            Release::Suppressed(reason) => Release::Suppressed(reason),
        }
    }

    /// Both figures, for what needs two (a change between waves, a comparison):
    /// suppressed when either is.
    pub fn and<U>(self, other: Release<U>) -> Release<(T, U)> {
        match (self, other) {
            (Release::Released(a), Release::Released(b)) => Release::Released((a, b)),
            (Release::Suppressed(reason), _) | (_, Release::Suppressed(reason)) => {
                Release::Suppressed(reason)
            }
        }
    }
}

/// Why a figure is not shown; each has a key the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionReason {
    /// The group has fewer than `k` valid respondents.
    TooFewRespondents,
    /// Fewer than `k` in the group answered this item.
    TooFewAnswers,
    /// So few students are on one side that the share would show individual
    /// answers.
    AnswersTooAlike,
    /// Hidden so that another suppressed figure cannot be worked out from it.
    ProtectsAnotherFigure,
    /// Hidden because set against an earlier release of the same figures it
    /// would show a group too small to show: the few answers that came in
    /// between, or a figure the earlier release kept hidden.
    ProtectsEarlierRelease,
}

impl SuppressionReason {
    /// Stable key for translations.
    pub fn key(self) -> &'static str {
        match self {
            SuppressionReason::TooFewRespondents => "suppressed.too_few_respondents",
            SuppressionReason::TooFewAnswers => "suppressed.too_few_answers",
            SuppressionReason::AnswersTooAlike => "suppressed.answers_too_alike",
            SuppressionReason::ProtectsAnotherFigure => "suppressed.protects_another_figure",
            SuppressionReason::ProtectsEarlierRelease => "suppressed.protects_earlier_release",
        }
    }
}

/// What one group counts before anything is suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCounts<I: Ord> {
    /// Valid respondents: those the validity screen kept.
    pub respondents: u64,
    pub indicators: BTreeMap<I, Share>,
}

/// A parent group and children that add up to it exactly: every respondent of the
/// parent is in exactly one child. Students whose village is unknown belong in an
/// explicit child of their own, so that the sum holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition<G> {
    pub parent: G,
    pub children: Vec<G>,
}

/// All groups of a wave that any view can show, and how they add up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tabulation<G: Ord, I: Ord> {
    pub groups: BTreeMap<G, GroupCounts<I>>,
    pub partitions: Vec<Partition<G>>,
}

/// A tabulation whose partitions do not add up cannot be protected: the rules
/// rely on every sum being exact.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TabulationError<G: fmt::Debug, I: fmt::Debug> {
    #[error("partition names group {0:?}, which has no counts")]
    UnknownGroup(G),
    #[error("partition of {0:?} has no children")]
    NoChildren(G),
    #[error("partition of {0:?} names a group twice, or the parent among its children")]
    RepeatedGroup(G),
    #[error("the respondents of the children do not add up to those of {0:?}")]
    RespondentsDoNotAddUp(G),
    #[error(
        "indicator {indicator:?} is counted for some groups of the partition of {parent:?} but not for others"
    )]
    IndicatorMissing { parent: G, indicator: I },
    #[error("indicator {indicator:?} of the children does not add up to that of {parent:?}")]
    IndicatorDoesNotAddUp { parent: G, indicator: I },
}

/// What may be shown of one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRelease<I: Ord> {
    pub respondents: Release<u64>,
    pub indicators: BTreeMap<I, Release<Share>>,
}

/// The decision for every figure of a tabulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure<G: Ord, I: Ord> {
    groups: BTreeMap<G, GroupRelease<I>>,
}

impl<G: Ord, I: Ord> Disclosure<G, I> {
    /// `None` for a group that was not in the tabulation.
    pub fn group(&self, group: &G) -> Option<&GroupRelease<I>> {
        self.groups.get(group)
    }

    pub fn respondents(&self, group: &G) -> Option<Release<u64>> {
        self.groups.get(group).map(|g| g.respondents)
    }

    /// `None` when the group or the indicator was not in the tabulation.
    pub fn share(&self, group: &G, indicator: &I) -> Option<Release<Share>> {
        self.groups.get(group)?.indicators.get(indicator).copied()
    }

    pub fn groups(&self) -> impl Iterator<Item = (&G, &GroupRelease<I>)> {
        self.groups.iter()
    }
}

/// Decides, for every figure of `tabulation`, whether it may be shown (see the
/// module documentation for the rules).
pub fn suppress<G, I>(
    tabulation: &Tabulation<G, I>,
    k: SuppressionThreshold,
) -> Result<Disclosure<G, I>, TabulationError<G, I>>
where
    G: Ord + Clone + fmt::Debug,
    I: Ord + Clone + fmt::Debug,
{
    decide(tabulation, k, &BTreeMap::new())
}

/// What a later release of the same figures must keep hidden, per group: its
/// respondents (and so everything of it), or some of its shares.
#[derive(Debug)]
struct Held<I: Ord> {
    respondents: bool,
    shares: std::collections::BTreeSet<I>,
}

impl<I: Ord> Default for Held<I> {
    fn default() -> Self {
        Held {
            respondents: false,
            shares: Default::default(),
        }
    }
}

/// Adds every figure `disclosure` hides to what is `held` back.
fn hold<G, I>(held: &mut BTreeMap<G, Held<I>>, disclosure: &Disclosure<G, I>)
where
    G: Ord + Clone,
    I: Ord + Clone,
{
    for (group, release) in disclosure.groups() {
        let entry = held.entry(group.clone()).or_default();
        entry.respondents |= release.respondents.is_suppressed();
        entry.shares.extend(
            release
                .indicators
                .iter()
                .filter(|(_, share)| share.is_suppressed())
                .map(|(indicator, _)| indicator.clone()),
        );
    }
}

/// Why a later release cannot be decided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReleaseError<G: fmt::Debug, I: fmt::Debug> {
    #[error(transparent)]
    Tabulation(#[from] TabulationError<G, I>),
    /// Responses counted in the earlier release are gone. Releases protect a
    /// wave that only grows (late answers after a reopen); a wave that lost
    /// answers would need every earlier release withdrawn first.
    #[error("group {0:?} has fewer responses or answers than in the earlier release")]
    ResponsesRemoved(G),
}

/// Decides a later release of figures of which `earlier` was released before,
/// computed from `earlier_counts` (every group's counts then, hidden ones too).
///
/// Anyone can hold the two releases side by side, so besides the rules of
/// [`suppress`] for the new counts on their own:
///
/// - **What was hidden stays hidden.** A figure the earlier release kept back is
///   kept back again, whatever the new threshold: a second `k` would otherwise
///   release a second pattern, and two patterns together give away what each
///   hides.
/// - **What came in between is a group too.** Subtracting a group's earlier
///   figure from its new one gives the answers added since (the late students
///   after a reopen). Those additions, per group, are protected as a tabulation
///   of their own by the same rules; a figure whose addition may not be shown is
///   not shown again in the new release. One late student therefore never shows
///   as the difference of two releases.
///
/// Together: every figure of the new release is either unchanged or its change
/// is a group the rules release, and what both releases hide is hidden in both,
/// so what an earlier release protected cannot be worked out from the pair.
/// Only the latest earlier release needs to be given: each release was checked
/// against the one before it, and hidden figures only ever accumulate.
pub fn suppress_after<G, I>(
    tabulation: &Tabulation<G, I>,
    k: SuppressionThreshold,
    earlier: &Disclosure<G, I>,
    earlier_counts: &BTreeMap<G, GroupCounts<I>>,
) -> Result<Disclosure<G, I>, ReleaseError<G, I>>
where
    G: Ord + Clone + fmt::Debug,
    I: Ord + Clone + fmt::Debug,
{
    let mut held: BTreeMap<G, Held<I>> = BTreeMap::new();
    hold(&mut held, earlier);
    let additions = additions(tabulation, earlier_counts)?;
    hold(&mut held, &suppress(&additions, k)?);
    Ok(decide(tabulation, k, &held)?)
}

/// The answers added since the earlier counts, as a tabulation with the new
/// partitions (which hold for the additions too: a sum that holds before and
/// after holds for the difference). Groups and partition members to which
/// nothing was added are left out, as empty groups are everywhere.
fn additions<G, I>(
    tabulation: &Tabulation<G, I>,
    earlier_counts: &BTreeMap<G, GroupCounts<I>>,
) -> Result<Tabulation<G, I>, ReleaseError<G, I>>
where
    G: Ord + Clone + fmt::Debug,
    I: Ord + Clone + fmt::Debug,
{
    let mut groups = BTreeMap::new();
    for (group, now) in &tabulation.groups {
        let removed = || ReleaseError::ResponsesRemoved(group.clone());
        let before = earlier_counts.get(group);
        let respondents = now
            .respondents
            .checked_sub(before.map_or(0, |b| b.respondents))
            .ok_or_else(removed)?;
        let mut indicators = BTreeMap::new();
        for (indicator, share) in &now.indicators {
            let (yes, all) = before
                .and_then(|b| b.indicators.get(indicator))
                .map_or((0, 0), |s| (s.numerator(), s.denominator()));
            let yes = share.numerator().checked_sub(yes).ok_or_else(removed)?;
            let all = share.denominator().checked_sub(all).ok_or_else(removed)?;
            indicators.insert(
                indicator.clone(),
                Share::new(yes, all).map_err(|_| removed())?,
            );
        }
        if respondents > 0 {
            groups.insert(
                group.clone(),
                GroupCounts {
                    respondents,
                    indicators,
                },
            );
        } else if indicators.values().any(|s| s.denominator() > 0) {
            return Err(removed());
        }
    }
    if let Some(gone) = earlier_counts
        .iter()
        .find(|(group, counts)| counts.respondents > 0 && !tabulation.groups.contains_key(group))
    {
        return Err(ReleaseError::ResponsesRemoved(gone.0.clone()));
    }
    let partitions = tabulation
        .partitions
        .iter()
        .filter(|p| groups.contains_key(&p.parent))
        .map(|p| Partition {
            parent: p.parent.clone(),
            children: p
                .children
                .iter()
                .filter(|c| groups.contains_key(c))
                .cloned()
                .collect(),
        })
        .collect();
    Ok(Tabulation { groups, partitions })
}

/// The rules of [`suppress`], starting from the figures `held` back already.
fn decide<G, I>(
    tabulation: &Tabulation<G, I>,
    k: SuppressionThreshold,
    held: &BTreeMap<G, Held<I>>,
) -> Result<Disclosure<G, I>, TabulationError<G, I>>
where
    G: Ord + Clone + fmt::Debug,
    I: Ord + Clone + fmt::Debug,
{
    let ids: Vec<&G> = tabulation.groups.keys().collect();
    let counts: Vec<&GroupCounts<I>> = tabulation.groups.values().collect();
    let sums = checked_sums(tabulation, &ids, &counts)?;

    let respondents: Vec<u64> = counts.iter().map(|c| c.respondents).collect();
    let mut group_hidden: Vec<Option<SuppressionReason>> = ids
        .iter()
        .zip(&respondents)
        .map(|(&id, &n)| {
            if !k.allows(n) {
                Some(SuppressionReason::TooFewRespondents)
            } else if held.get(id).is_some_and(|h| h.respondents) {
                Some(SuppressionReason::ProtectsEarlierRelease)
            } else {
                None
            }
        })
        .collect();
    let respondents_together =
        |together: &[usize]| k.allows(together.iter().map(|&g| respondents[g]).sum());
    protect(&sums, &respondents, &mut group_hidden, respondents_together);
    unpin_respondents(&sums, &respondents, &mut group_hidden, respondents_together);

    let indicators: Vec<&I> = {
        let mut all: Vec<&I> = counts.iter().flat_map(|c| c.indicators.keys()).collect();
        all.sort();
        all.dedup();
        all
    };
    let mut patterns: Vec<Vec<Option<SuppressionReason>>> = indicators
        .iter()
        .map(|&indicator| {
            let shares: Vec<Option<Share>> = counts
                .iter()
                .map(|c| c.indicators.get(indicator).copied())
                .collect();
            let held_back: Vec<bool> = ids
                .iter()
                .map(|&id| held.get(id).is_some_and(|h| h.shares.contains(indicator)))
                .collect();
            indicator_pattern(&sums, &shares, &group_hidden, &held_back, k)
        })
        .collect();
    let classes = denominator_classes(&counts, &indicators);
    let seen = Seen {
        sums: &sums,
        respondents: &respondents,
        respondents_shown: group_hidden.iter().map(Option::is_none).collect(),
        shares: indicators
            .iter()
            .map(|&indicator| {
                counts
                    .iter()
                    .map(|c| c.indicators.get(indicator).copied())
                    .collect()
            })
            .collect(),
    };
    // Indicators of one class see each other's denominators, and nothing of
    // other classes: each class is settled on its own.
    for class in &classes {
        loop {
            let before: Vec<usize> = class.iter().map(|&i| hidden_count(&patterns[i])).collect();
            share_patterns_of_one_item(&sums, &counts, &indicators, class, &mut patterns);
            // The union can leave a share's hidden children too few to show
            // together; rule 4 sees to that.
            for (&i, before) in class.iter().zip(before) {
                if hidden_count(&patterns[i]) > before {
                    protect_shares(&sums, &seen.shares[i], &mut patterns[i], k);
                }
            }
            let mut hid_more = false;
            for &i in class {
                hid_more |= unpin_shares(&seen, class, i, &mut patterns, k);
            }
            if !hid_more || class.len() == 1 {
                break;
            }
        }
    }

    let groups = ids
        .iter()
        .enumerate()
        .map(|(g, &id)| {
            let release = GroupRelease {
                respondents: release(counts[g].respondents, group_hidden[g]),
                indicators: indicators
                    .iter()
                    .zip(&patterns)
                    .filter_map(|(&indicator, pattern)| {
                        let share = *counts[g].indicators.get(indicator)?;
                        Some((indicator.clone(), release(share, pattern[g])))
                    })
                    .collect(),
            };
            (id.clone(), release)
        })
        .collect();
    Ok(Disclosure { groups })
}

fn release<T>(value: T, hidden: Option<SuppressionReason>) -> Release<T> {
    match hidden {
        Some(reason) => Release::Suppressed(reason),
        None => Release::Released(value),
    }
}

/// Rule 3: a share of a small group with (almost) everyone on one side.
fn answers_too_alike(share: Share, k_answers: u64) -> bool {
    unanimous(share)
        || (share.denominator() < 2 * k_answers
            && share.numerator().min(share.complement()) < FEWEST_DIFFERENT_ANSWERS)
}

/// Rules 2–4 for one indicator, on top of the groups already suppressed.
fn indicator_pattern(
    sums: &[Sum],
    shares: &[Option<Share>],
    group_hidden: &[Option<SuppressionReason>],
    held_back: &[bool],
    k: SuppressionThreshold,
) -> Vec<Option<SuppressionReason>> {
    let k_answers = u64::from(k.get());
    let mut hidden: Vec<Option<SuppressionReason>> = shares
        .iter()
        .zip(group_hidden)
        .zip(held_back)
        .map(|((share, &group), &held)| match (group, share) {
            (Some(reason), _) => Some(reason),
            (None, Some(_)) if held => Some(SuppressionReason::ProtectsEarlierRelease),
            (None, Some(s)) if s.denominator() < k_answers => {
                Some(SuppressionReason::TooFewAnswers)
            }
            (None, Some(s)) if answers_too_alike(*s, k_answers) => {
                Some(SuppressionReason::AnswersTooAlike)
            }
            (None, _) => None,
        })
        .collect();
    protect_shares(sums, shares, &mut hidden, k);
    hidden
}

/// Rule 4 for one indicator's shares, on top of those already hidden.
fn protect_shares(
    sums: &[Sum],
    shares: &[Option<Share>],
    hidden: &mut [Option<SuppressionReason>],
    k: SuppressionThreshold,
) {
    protect(
        &share_sums(sums, shares),
        &answered(shares),
        hidden,
        |together| {
            let (yes, all) =
                together
                    .iter()
                    .filter_map(|&g| shares[g])
                    .fold((0u64, 0u64), |(y, a), s| {
                        (
                            y.saturating_add(s.numerator()),
                            a.saturating_add(s.denominator()),
                        )
                    });
            Share::new(yes, all).is_ok_and(|s| k.allows_share(s))
        },
    );
}

fn hidden_count(pattern: &[Option<SuppressionReason>]) -> usize {
    pattern.iter().filter(|h| h.is_some()).count()
}

/// The sums an indicator's shares add up along. Partitions were checked: every
/// member of a sum that mentions the indicator has it, so the sum of the hidden
/// children is a share again.
fn share_sums(sums: &[Sum], shares: &[Option<Share>]) -> Vec<Sum> {
    sums.iter()
        .filter(|s| shares[s.parent].is_some())
        .cloned()
        .collect()
}

fn answered(shares: &[Option<Share>]) -> Vec<u64> {
    shares
        .iter()
        .map(|s| s.map_or(0, Share::denominator))
        .collect()
}

/// Everyone on one side: true of every group inside, so never shown — not for
/// one group, and not for hidden groups taken together ("the villages not shown
/// have no drinkers at all" tells every hidden village's figure, however many
/// students they have).
fn unanimous(share: Share) -> bool {
    share.denominator() > 0 && (share.numerator() == 0 || share.complement() == 0)
}

/// Indicators built on the same item have the same denominators in every group,
/// so each one's released shares tell the others' denominators too. Each
/// pattern alone keeps its own figures underivable; what an outsider could add
/// by combining them is the denominators hidden by all of them, worked out from
/// those released by any. When that is possible the indicators get the union
/// of their patterns (hiding more never makes a hidden figure derivable, and
/// then every one of them hides the same). When it is not, each keeps its own:
/// a numerator rule of one indicator (nobody used cocaine) must not hide the
/// others' figures (how many drank).
fn share_patterns_of_one_item<I>(
    sums: &[Sum],
    counts: &[&GroupCounts<I>],
    indicators: &[&I],
    class: &[usize],
    patterns: &mut [Vec<Option<SuppressionReason>>],
) where
    I: Ord,
{
    if class.len() < 2 {
        return;
    }
    let groups = patterns[class[0]].len();
    let hidden_by_all: Vec<bool> = (0..groups)
        .map(|g| class.iter().all(|&i| patterns[i][g].is_some()))
        .collect();
    let first = indicators[class[0]];
    let relevant: Vec<Sum> = sums
        .iter()
        .filter(|s| counts[s.parent].indicators.contains_key(first))
        .cloned()
        .collect();
    if derivation::derivable(&relevant, &hidden_by_all).is_empty() {
        return;
    }
    let touched: Vec<bool> = (0..groups)
        .map(|g| class.iter().any(|&i| patterns[i][g].is_some()))
        .collect();
    for &i in class {
        for (slot, _) in patterns[i].iter_mut().zip(&touched).filter(|(_, t)| **t) {
            slot.get_or_insert(SuppressionReason::ProtectsAnotherFigure);
        }
    }
}

/// The indicators (by position) whose denominators are the same in every
/// group, as of one item: a denominator one of them shows is shown for all.
fn denominator_classes<I: Ord>(counts: &[&GroupCounts<I>], indicators: &[&I]) -> Vec<Vec<usize>> {
    let denominators: Vec<Vec<Option<u64>>> = indicators
        .iter()
        .map(|&i| {
            counts
                .iter()
                .map(|c| c.indicators.get(i).map(|s| s.denominator()))
                .collect()
        })
        .collect();
    let mut classes: Vec<Vec<usize>> = Vec::new();
    for (i, own) in denominators.iter().enumerate() {
        match classes.iter_mut().find(|c| denominators[c[0]] == *own) {
            Some(class) => class.push(i),
            None => classes.push(vec![i]),
        }
    }
    classes
}

/// Rule 5 for respondents: hides more groups until bounds pin no hidden
/// group's size, keeping rule 4 after each.
fn unpin_respondents(
    sums: &[Sum],
    respondents: &[u64],
    hidden: &mut [Option<SuppressionReason>],
    may_show_together: impl Fn(&[usize]) -> bool,
) {
    let nothing = vec![None; respondents.len()];
    let no = vec![false; respondents.len()];
    loop {
        let shown: Vec<bool> = hidden.iter().map(Option::is_none).collect();
        let sight = Sight {
            respondents,
            respondents_shown: &shown,
            shares: &nothing,
            share_shown: &no,
            answered_shown: &no,
            fewest_answers: 0,
        };
        let Some(pin) = bounds::pins(sums, &sight).into_iter().next() else {
            return;
        };
        let is_hidden: Vec<bool> = shown.iter().map(|s| !s).collect();
        let fix = culprit(&pin, respondents, |s| s.count == Count::Respondents)
            .map(|source| source.position)
            .or_else(|| widen_around(sums, respondents, &is_hidden, pin.position));
        let Some(position) = fix else {
            return;
        };
        hidden[position] = Some(SuppressionReason::ProtectsAnotherFigure);
        protect(sums, respondents, hidden, &may_show_together);
    }
}

/// The groups as an outsider sees them, and every indicator's counts.
struct Seen<'a> {
    sums: &'a [Sum],
    respondents: &'a [u64],
    respondents_shown: Vec<bool>,
    /// Per indicator (in the order of the patterns), per group.
    shares: Vec<Vec<Option<Share>>>,
}

/// Rule 5 for the shares of the indicator at `i` in `patterns`: hides more
/// until bounds pin none of its hidden counts, keeping rule 4 after each.
/// `class` holds the indicators whose shown denominators are its own; a
/// denominator is taken back from all of them. Whether anything more was
/// hidden.
fn unpin_shares(
    seen: &Seen,
    class: &[usize],
    i: usize,
    patterns: &mut [Vec<Option<SuppressionReason>>],
    k: SuppressionThreshold,
) -> bool {
    let shares = &seen.shares[i];
    let size = answered(shares);
    let relevant = share_sums(seen.sums, shares);
    let mut hid_more = false;
    loop {
        let share_shown: Vec<bool> = patterns[i].iter().map(Option::is_none).collect();
        let answered_shown: Vec<bool> = (0..shares.len())
            .map(|g| share_shown[g] || class.iter().any(|&j| patterns[j][g].is_none()))
            .collect();
        let sight = Sight {
            respondents: seen.respondents,
            respondents_shown: &seen.respondents_shown,
            shares,
            share_shown: &share_shown,
            answered_shown: &answered_shown,
            fewest_answers: u64::from(k.get()),
        };
        let Some(pin) = bounds::pins(seen.sums, &sight).into_iter().next() else {
            return hid_more;
        };
        let usable = |s: &bounds::Source| match s.count {
            Count::Respondents => false,
            Count::Answered => answered_shown[s.position],
            Count::Counted | Count::NotCounted => share_shown[s.position],
        };
        let is_hidden: Vec<bool> = share_shown.iter().map(|s| !s).collect();
        let (position, denominator) = match culprit(&pin, &size, usable) {
            Some(source) => (source.position, source.count == Count::Answered),
            None => match widen_around(&relevant, &size, &is_hidden, pin.position) {
                Some(position) => (position, false),
                None => return hid_more,
            },
        };
        let taken_back: &[usize] = if denominator { class } else { &[i] };
        for &j in taken_back {
            if patterns[j][position].is_none() {
                patterns[j][position] = Some(SuppressionReason::ProtectsAnotherFigure);
                protect_shares(seen.sums, &seen.shares[j], &mut patterns[j], k);
            }
        }
        hid_more = true;
    }
}

/// The released figure to hide so that `pin` no longer holds: of the figures
/// it was worked out from that `usable` allows, preferably one that is a
/// child in its partition rather than a parent, the smallest.
fn culprit(
    pin: &Pin,
    size: &[u64],
    usable: impl Fn(&bounds::Source) -> bool,
) -> Option<bounds::Source> {
    pin.sources
        .iter()
        .filter(|s| usable(s))
        .min_by_key(|s| (s.as_parent, size[s.position], s.position))
        .copied()
}

/// Turns the partitions into sums over positions, refusing any that do not add up.
fn checked_sums<G, I>(
    tabulation: &Tabulation<G, I>,
    ids: &[&G],
    counts: &[&GroupCounts<I>],
) -> Result<Vec<Sum>, TabulationError<G, I>>
where
    G: Ord + Clone + fmt::Debug,
    I: Ord + Clone + fmt::Debug,
{
    let position = |id: &G| {
        ids.binary_search(&id)
            .map_err(|_| TabulationError::UnknownGroup(id.clone()))
    };
    let mut sums = Vec::with_capacity(tabulation.partitions.len());
    for partition in &tabulation.partitions {
        let parent_id = &partition.parent;
        let parent = position(parent_id)?;
        let children = partition
            .children
            .iter()
            .map(position)
            .collect::<Result<Vec<usize>, _>>()?;
        if children.is_empty() {
            return Err(TabulationError::NoChildren(parent_id.clone()));
        }
        let mut members: Vec<usize> = children.clone();
        members.push(parent);
        members.sort_unstable();
        if members.windows(2).any(|w| w[0] == w[1]) {
            return Err(TabulationError::RepeatedGroup(parent_id.clone()));
        }
        let total = children
            .iter()
            .try_fold(0u64, |t, &c| t.checked_add(counts[c].respondents));
        if total != Some(counts[parent].respondents) {
            return Err(TabulationError::RespondentsDoNotAddUp(parent_id.clone()));
        }
        check_indicators_add_up(
            parent_id,
            counts[parent],
            children.iter().map(|&c| counts[c]),
        )?;
        sums.push(Sum { parent, children });
    }
    Ok(sums)
}

fn check_indicators_add_up<'a, G, I>(
    parent_id: &G,
    parent: &GroupCounts<I>,
    children: impl Iterator<Item = &'a GroupCounts<I>> + Clone,
) -> Result<(), TabulationError<G, I>>
where
    G: Clone + fmt::Debug,
    I: Ord + Clone + fmt::Debug + 'a,
{
    let mentioned = children
        .clone()
        .flat_map(|c| c.indicators.keys())
        .chain(parent.indicators.keys());
    for indicator in mentioned {
        let missing = || TabulationError::IndicatorMissing {
            parent: parent_id.clone(),
            indicator: indicator.clone(),
        };
        let whole = parent.indicators.get(indicator).ok_or_else(missing)?;
        let (mut yes, mut all) = (Some(0u64), Some(0u64));
        for child in children.clone() {
            let part = child.indicators.get(indicator).ok_or_else(missing)?;
            yes = yes.and_then(|y| y.checked_add(part.numerator()));
            all = all.and_then(|a| a.checked_add(part.denominator()));
        }
        if yes != Some(whole.numerator()) || all != Some(whole.denominator()) {
            return Err(TabulationError::IndicatorDoesNotAddUp {
                parent: parent_id.clone(),
                indicator: indicator.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_threshold_is_ten() {
        assert_eq!(SuppressionThreshold::default().get(), 10);
    }

    #[test]
    fn a_threshold_below_five_is_refused() {
        assert_eq!(
            SuppressionThreshold::new(4),
            Err(ThresholdError::BelowMinimum(4))
        );
        assert!("3".parse::<SuppressionThreshold>().is_err());
        assert_eq!("5".parse::<SuppressionThreshold>().unwrap().get(), 5);
    }

    #[test]
    fn a_group_of_seven_is_not_allowed_under_the_default() {
        let k = SuppressionThreshold::default();
        assert!(!k.allows(7));
        assert!(k.allows(10));
    }
}
