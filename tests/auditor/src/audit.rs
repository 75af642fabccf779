//! The attack: narrow every hidden figure by exact linear algebra and by
//! interval bounds, each building on what the other found, until neither finds
//! more; then report what became exact.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::bounds::{Bounds, Network, UNBOUNDED};
use crate::finding::{Concern, Figure, Finding, Method, Scope};
use crate::model::{Family, Model, Position};
use crate::span::Echelon;

/// How a variable's value became known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Unknown,
    Observed,
    Found(Method),
}

/// Below `2k` answers, a share needs at least this many students on each side
/// (the product's documented rule; restated here, not taken from its code).
const FEWEST_ON_A_SIDE: i64 = 3;

pub(crate) fn run(
    model: &Model,
    observed: &BTreeMap<usize, i64>,
    withheld: &BTreeSet<usize>,
    k: u64,
) -> Vec<Finding> {
    let network = Network::new(model);
    let mut bounds = Bounds::new(model.variable_count());
    let mut origin = vec![Origin::Unknown; model.variable_count()];
    for &variable in withheld {
        bounds.lo[variable] = bounds.lo[variable].max(1);
    }
    for (&variable, &value) in observed {
        bounds.fix(variable, value);
        origin[variable] = Origin::Observed;
    }
    // Linear algebra first, so that what plain subtraction gives is credited
    // to it; then bounds, which may pin figures the next linear round can use.
    loop {
        for variable in linear_round(model, &bounds) {
            bounds.fix(variable, model.truth(variable));
            origin[variable] = Origin::Found(Method::Linear);
        }
        network.propagate(&mut bounds);
        let mut bounds_found_more = false;
        for (variable, how) in origin.iter_mut().enumerate() {
            if *how == Origin::Unknown && bounds.is_fixed(variable) {
                *how = Origin::Found(Method::Bounds);
                bounds_found_more = true;
            }
        }
        // What the linear round found is in the span already; only news from
        // the bounds can give it more.
        if !bounds_found_more {
            break;
        }
    }
    Report {
        model,
        bounds: &bounds,
        origin: &origin,
        k: k as i64,
        spans: HashMap::new(),
        compression: None,
    }
    .findings()
}

/// Every group figure as a 0/1 row over the cell variables, restricted to a set
/// of columns on which no two different combinations of figures agree.
///
/// Cells whose value every family knows are left out (their part of any sum is
/// a known constant). Of the rest, within each layer, only the pivot columns of
/// all group rows are kept: restricted to them, every linear relation between
/// figures is still exactly the same, and the rows are far shorter — there are
/// many more cells than independent figures.
struct Compression {
    width: usize,
    /// For each layer and group, the kept columns of the group's cells.
    columns: Vec<Vec<Vec<usize>>>,
}

impl Compression {
    fn new(model: &Model, bounds: &Bounds) -> Compression {
        let families = model.family_count();
        let positions = model.positions();
        let mut pivots_by_pattern: HashMap<Vec<bool>, Vec<usize>> = HashMap::new();
        let mut width = 0;
        let mut columns = Vec::with_capacity(model.layers);
        let mut scratch = Vec::new();
        for layer in 0..model.layers {
            let known: Vec<bool> = (0..model.cells.len())
                .map(|cell| {
                    let position = model.position(Position::Cell { cell, layer });
                    (0..families).all(|f| bounds.is_fixed(f * positions + position))
                })
                .collect();
            let mut local = vec![usize::MAX; model.cells.len()];
            let mut open = 0;
            for (cell, &known) in known.iter().enumerate() {
                if !known {
                    local[cell] = open;
                    open += 1;
                }
            }
            let local_columns = |group: usize| -> Vec<usize> {
                model.members[group]
                    .iter()
                    .map(|&c| local[c])
                    .filter(|&c| c != usize::MAX)
                    .collect()
            };
            let pivots = pivots_by_pattern.entry(known.clone()).or_insert_with(|| {
                let mut echelon = Echelon::new(open);
                for group in 0..model.groups.len() {
                    echelon.insert(&local_columns(group), &mut scratch);
                }
                echelon.pivot_columns().collect()
            });
            let mut kept = vec![usize::MAX; open];
            for (i, &pivot) in pivots.iter().enumerate() {
                kept[pivot] = width + i;
            }
            width += pivots.len();
            columns.push(
                (0..model.groups.len())
                    .map(|group| {
                        local_columns(group)
                            .into_iter()
                            .map(|c| kept[c])
                            .filter(|&c| c != usize::MAX)
                            .collect()
                    })
                    .collect(),
            );
        }
        Compression { width, columns }
    }

    /// The row of what was added to `group` in `layers`.
    fn added(&self, group: usize, layers: std::ops::RangeInclusive<usize>) -> Vec<usize> {
        layers
            .flat_map(|layer| self.columns[layer][group].iter().copied())
            .collect()
    }

    /// The row of a group figure; `None` for a cell (cells are not rows here).
    fn row(&self, position: Position) -> Option<Vec<usize>> {
        match position {
            Position::Release { group, release } => Some(self.added(group, 0..=release)),
            Position::Added { group, layer } => Some(self.added(group, layer..=layer)),
            Position::Cell { .. } => None,
        }
    }
}

/// The group figures the linear check works with: every release's figures and
/// what each later layer added (layer 0's addition is release 0's figure).
fn figure_positions(model: &Model) -> Vec<Position> {
    let mut positions = Vec::new();
    for group in 0..model.groups.len() {
        for release in 0..model.layers {
            positions.push(Position::Release { group, release });
            if release > 0 {
                positions.push(Position::Added {
                    group,
                    layer: release,
                });
            }
        }
    }
    positions
}

/// One round of the linear check: every figure not yet known, in every family,
/// that lies in the span of the figures known in that family.
fn linear_round(model: &Model, bounds: &Bounds) -> Vec<usize> {
    let compression = Compression::new(model, bounds);
    let families = model.family_count();
    let positions = model.positions();
    let figures: Vec<(usize, Vec<usize>)> = figure_positions(model)
        .into_iter()
        .filter_map(|p| Some((model.position(p), compression.row(p)?)))
        .collect();
    let known = |family: usize, position: usize| bounds.is_fixed(family * positions + position);
    // Figures known in every family are reduced once and shared.
    let known_everywhere: Vec<bool> = figures
        .iter()
        .map(|(p, _)| (0..families).all(|f| known(f, *p)))
        .collect();
    let mut scratch = Vec::new();
    let mut shared = Echelon::new(compression.width);
    for ((_, row), _) in figures
        .iter()
        .zip(&known_everywhere)
        .filter(|(_, everywhere)| **everywhere)
    {
        shared.insert(row, &mut scratch);
    }
    let mut found = Vec::new();
    for family in 0..families {
        if figures.iter().all(|(p, _)| known(family, *p)) {
            continue;
        }
        let mut span = shared.clone();
        for ((_, row), _) in figures
            .iter()
            .zip(&known_everywhere)
            .filter(|((p, _), everywhere)| !**everywhere && known(family, *p))
        {
            span.insert(row, &mut scratch);
        }
        for (p, row) in &figures {
            if !known(family, *p) && span.contains(row, &mut scratch) {
                found.push(family * positions + p);
            }
        }
    }
    found
}

/// Turns the final state of the attack into findings.
struct Report<'a> {
    model: &'a Model,
    bounds: &'a Bounds,
    origin: &'a [Origin],
    k: i64,
    /// The span of each family's known figures, built when first needed.
    spans: HashMap<usize, Echelon>,
    compression: Option<Compression>,
}

impl Report<'_> {
    fn findings(mut self) -> Vec<Finding> {
        let mut findings = Vec::new();
        let model = self.model;
        for family in 0..model.family_count() {
            for group in 0..model.groups.len() {
                for release in 0..model.layers {
                    if let Some(finding) = self.hidden_figure(family, group, release) {
                        findings.push(finding);
                    }
                    for since in 0..release {
                        if let Some(finding) = self.added(family, group, since, release) {
                            findings.push(finding);
                        }
                    }
                }
            }
        }
        findings.sort();
        findings
    }

    fn variable(&self, family: usize, position: Position) -> usize {
        family * self.model.positions() + self.model.position(position)
    }

    fn truth(&self, family: Family, position: Position) -> i64 {
        self.model.truth(self.model.variable(family, position))
    }

    /// A figure of release `release` that was not released but is known now.
    fn hidden_figure(&self, family: usize, group: usize, release: usize) -> Option<Finding> {
        let position = Position::Release { group, release };
        // A group without anybody describes nobody.
        if self.truth(Family::Respondents, position) == 0 {
            return None;
        }
        let Origin::Found(method) = self.origin[self.variable(family, position)] else {
            return None;
        };
        let value = self.model.truth(self.variable(family, position));
        if self.shown_in_another_release(family, group, release)
            || (value == 0 && self.zero_shown_for_a_larger_group(family, group, release))
        {
            return None;
        }
        let counts = |at: Position| self.counts(family, |f| self.truth(f, at));
        let concern = concern(self.model.family(family), counts(position), self.k);
        if concern.is_none() && self.tells_only_skips(family, group, release) {
            return None;
        }
        Some(Finding {
            scope: Scope::Release(release),
            group: self.model.groups[group],
            figure: self.figure(family),
            value: value as u64,
            method,
            concern,
        })
    }

    /// Whether the same figure is released in another release whose data do
    /// not differ for this group: then it is shown, not worked out.
    fn shown_in_another_release(&self, family: usize, group: usize, release: usize) -> bool {
        (0..self.model.layers)
            .filter(|&r| r != release)
            .any(|other| {
                let shown = Position::Release {
                    group,
                    release: other,
                };
                self.origin[self.variable(family, shown)] == Origin::Observed
                    && (release.min(other) + 1..=release.max(other)).all(|layer| {
                        let added = self.variable(family, Position::Added { group, layer });
                        self.bounds.is_fixed(added) && self.bounds.hi[added] == 0
                    })
            })
    }

    /// Whether a hidden denominator of a group whose size is shown (in this
    /// release, or in another over the same students) tells no more than how
    /// many in it skipped the item: so it is when the item is put to everyone
    /// the indicator counts (no route in front of it, or those routed past
    /// count as answering no). How many skipped is shown beside every released
    /// share (its group's size and its denominator), and the rules protect
    /// answers and small groups, not the number of questions left open: "17
    /// of these 18 answered" says nothing of what anyone answered. Behind a
    /// route without that rule — a question asked only of those who ever drank
    /// — the denominator counts who got through, an answer of its own, and
    /// stays a finding.
    fn tells_only_skips(&self, family: usize, group: usize, release: usize) -> bool {
        let Family::Answered(class) = self.model.family(family) else {
            return false;
        };
        let family = self.model.family_number(Family::Respondents);
        let respondents = self.variable(family, Position::Release { group, release });
        self.model.put_to_everyone[class]
            && (self.origin[respondents] == Origin::Observed
                || self.shown_in_another_release(family, group, release))
    }

    /// Whether a released figure of a group containing `group` is 0 in a
    /// release that counts every layer up to `release`. Then every part of it is
    /// 0 too, and saying so of `group` adds nothing to what was shown: "none of
    /// the 30 students uses cocaine" already tells it of the 3 girls among them.
    fn zero_shown_for_a_larger_group(&self, family: usize, group: usize, release: usize) -> bool {
        (0..self.model.groups.len())
            .filter(|&larger| self.model.inside(group, larger))
            .any(|larger| {
                (release..self.model.layers).any(|later| {
                    let shown = self.variable(
                        family,
                        Position::Release {
                            group: larger,
                            release: later,
                        },
                    );
                    self.origin[shown] == Origin::Observed && self.bounds.hi[shown] == 0
                })
            })
    }

    /// What was added to a group between two releases, when it is small or
    /// one-sided and yet follows from the figures.
    fn added(
        &mut self,
        family: usize,
        group: usize,
        since: usize,
        release: usize,
    ) -> Option<Finding> {
        let before = Position::Release {
            group,
            release: since,
        };
        let after = Position::Release { group, release };
        let change = |f: Family| self.truth(f, after) - self.truth(f, before);
        if change(Family::Respondents) == 0 {
            return None;
        }
        let concern = concern(
            self.model.family(family),
            self.counts(family, change),
            self.k,
        )?;
        let value = change(self.model.family(family));
        if value == 0 && self.zero_shown_for_a_larger_group(family, group, release) {
            return None;
        }
        let method = self.change_method(family, group, since, release)?;
        Some(Finding {
            scope: Scope::Added { since, release },
            group: self.model.groups[group],
            figure: self.figure(family),
            value: value as u64,
            method,
            concern: Some(concern),
        })
    }

    /// How the change of a figure between two releases is known, if it is.
    fn change_method(
        &mut self,
        family: usize,
        group: usize,
        since: usize,
        release: usize,
    ) -> Option<Method> {
        let (bounds, origin) = (self.bounds, self.origin);
        let added: Vec<usize> = (since + 1..=release)
            .map(|layer| self.variable(family, Position::Added { group, layer }))
            .collect();
        if added.iter().all(|&v| bounds.is_fixed(v)) {
            let linear = added
                .iter()
                .all(|&v| origin[v] == Origin::Found(Method::Linear));
            return Some(if linear {
                Method::Linear
            } else {
                Method::Bounds
            });
        }
        let figure = |release| self.variable(family, Position::Release { group, release });
        let (first, last) = (figure(since), figure(release));
        if bounds.is_fixed(first) && bounds.is_fixed(last) {
            return Some(Method::Linear);
        }
        let least: i64 = added.iter().map(|&v| bounds.lo[v]).sum();
        let most = added.iter().try_fold(0i64, |sum, &v| {
            (bounds.hi[v] != UNBOUNDED).then(|| sum + bounds.hi[v])
        });
        if most == Some(least) {
            return Some(Method::Bounds);
        }
        let row = self.compression().added(group, since + 1..=release);
        let mut scratch = Vec::new();
        self.span(family)
            .contains(&row, &mut scratch)
            .then_some(Method::Linear)
    }

    fn compression(&mut self) -> &Compression {
        let (model, bounds) = (self.model, self.bounds);
        self.compression
            .get_or_insert_with(|| Compression::new(model, bounds))
    }

    fn span(&mut self, family: usize) -> &Echelon {
        if !self.spans.contains_key(&family) {
            let (model, bounds) = (self.model, self.bounds);
            let compression = self.compression();
            let mut span = Echelon::new(compression.width);
            let mut scratch = Vec::new();
            for position in figure_positions(model) {
                let variable = family * model.positions() + model.position(position);
                if let (true, Some(row)) = (bounds.is_fixed(variable), compression.row(position)) {
                    span.insert(&row, &mut scratch);
                }
            }
            self.spans.insert(family, span);
        }
        &self.spans[&family]
    }

    fn figure(&self, family: usize) -> Figure {
        let model = self.model;
        let key = |i: usize| model.indicators[i].clone();
        match model.family(family) {
            Family::Respondents => Figure::Respondents,
            Family::Answered(class) => Figure::Denominator {
                indicator: key(model.classes[class][0]),
            },
            Family::Yes(i) => Figure::Numerator { indicator: key(i) },
            Family::No(i) => Figure::Complement { indicator: key(i) },
        }
    }

    /// The counts a concern is judged on, read by `value` per family: the
    /// group's respondents, the answers to the figure's item and the figure.
    fn counts(&self, family: usize, value: impl Fn(Family) -> i64) -> Counts {
        let model = self.model;
        let family = model.family(family);
        let answered = match family {
            Family::Respondents => 0,
            Family::Answered(class) => value(Family::Answered(class)),
            Family::Yes(i) | Family::No(i) => value(Family::Answered(model.class_of[i])),
        };
        Counts {
            respondents: value(Family::Respondents),
            answered,
            figure: value(family),
        }
    }
}

struct Counts {
    respondents: i64,
    answered: i64,
    figure: i64,
}

/// What knowing `family`'s figure for a group with `counts` would give away,
/// by the product's documented rules.
fn concern(family: Family, counts: Counts, k: i64) -> Option<Concern> {
    let k_u = k as u64;
    if counts.respondents < k {
        return Some(Concern::SmallGroup {
            respondents: counts.respondents as u64,
            k: k_u,
        });
    }
    if matches!(family, Family::Respondents) {
        return None;
    }
    if counts.answered < k {
        return Some(Concern::FewAnswers {
            answers: counts.answered as u64,
            k: k_u,
        });
    }
    if matches!(family, Family::Answered(_)) {
        return None;
    }
    // The figure is one side of the share: its numerator or its complement.
    let side = counts.figure;
    if side == 0 {
        Some(Concern::Unanimous {
            answers: counts.answered as u64,
        })
    } else if counts.answered < 2 * k && side < FEWEST_ON_A_SIDE {
        Some(Concern::AnswersTooAlike {
            side: side as u64,
            answers: counts.answered as u64,
        })
    } else {
        None
    }
}
