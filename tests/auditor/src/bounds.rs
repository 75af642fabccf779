//! Interval propagation: a cheap relaxation of the linear programme an attacker
//! would solve.
//!
//! Every variable is a count, so it lies in `[0, ∞)`. Each known sum narrows the
//! interval of each of its terms: `a + b + c = v` gives `a ≥ v − hi(b) − hi(c)`
//! and `a ≤ v − lo(b) − lo(c)`. Repeated until nothing changes, this finds what
//! linear algebra alone cannot: a municipality whose released villages already
//! hold every drinker leaves 0 for each hidden village, whatever their sizes.

use std::collections::VecDeque;

use crate::model::{Family, Model, Position};

/// An upper bound not known yet.
pub(crate) const UNBOUNDED: i64 = i64::MAX;

/// The interval every variable is known to lie in.
#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    pub lo: Vec<i64>,
    pub hi: Vec<i64>,
}

impl Bounds {
    pub fn new(variables: usize) -> Bounds {
        Bounds {
            lo: vec![0; variables],
            hi: vec![UNBOUNDED; variables],
        }
    }

    pub fn is_fixed(&self, variable: usize) -> bool {
        self.lo[variable] == self.hi[variable]
    }

    pub fn fix(&mut self, variable: usize, value: i64) {
        self.lo[variable] = value;
        self.hi[variable] = value;
    }
}

/// One term of a constraint: a variable and its sign.
type Term = (usize, bool);

/// A unit of propagation work.
#[derive(Debug, Clone, Copy)]
enum Work {
    /// Equation `template` (over positions) in one family.
    Equation { template: usize, family: usize },
    /// `answered = yes + no` of one indicator at one position.
    Split { indicator: usize, position: usize },
    /// `answered ≤ respondents` of one class at one position.
    Within { class: usize, position: usize },
}

/// Every constraint the attacker knows, and the propagation over them.
pub(crate) struct Network<'m> {
    model: &'m Model,
    /// Equations `Σ ±x = 0` over the positions of one family; they hold in every
    /// family alike. `true` is a plus sign.
    templates: Vec<Vec<(usize, bool)>>,
    /// The templates each position appears in.
    templates_at: Vec<Vec<usize>>,
}

impl<'m> Network<'m> {
    pub fn new(model: &'m Model) -> Network<'m> {
        let mut templates: Vec<Vec<(usize, bool)>> = Vec::new();
        let at = |p: Position| model.position(p);
        for layer in 0..model.layers {
            // A group's count in a layer is the sum of its cells.
            for (group, cells) in model.members.iter().enumerate() {
                let mut terms = vec![(at(Position::Added { group, layer }), true)];
                terms.extend(
                    cells
                        .iter()
                        .map(|&cell| (at(Position::Cell { cell, layer }), false)),
                );
                templates.push(terms);
            }
            // The known sums hold within each layer and for each release.
            let figures: [fn(usize, usize) -> Position; 2] = [
                |group, layer| Position::Added { group, layer },
                |group, release| Position::Release { group, release },
            ];
            for (parent, children) in &model.partitions {
                for position in figures {
                    let mut terms = vec![(at(position(*parent, layer)), true)];
                    terms.extend(children.iter().map(|&c| (at(position(c, layer)), false)));
                    templates.push(terms);
                }
            }
            // A release shows the previous release plus what was added.
            for group in 0..model.groups.len() {
                let mut terms = vec![
                    (
                        at(Position::Release {
                            group,
                            release: layer,
                        }),
                        true,
                    ),
                    (at(Position::Added { group, layer }), false),
                ];
                if layer > 0 {
                    terms.push((
                        at(Position::Release {
                            group,
                            release: layer - 1,
                        }),
                        false,
                    ));
                }
                templates.push(terms);
            }
        }
        let mut templates_at = vec![Vec::new(); model.positions()];
        for (t, terms) in templates.iter().enumerate() {
            for &(position, _) in terms {
                templates_at[position].push(t);
            }
        }
        Network {
            model,
            templates,
            templates_at,
        }
    }

    /// Narrows `bounds` until no constraint narrows them further.
    ///
    /// # Panics
    ///
    /// When an interval no longer holds the truth: the propagation would then be
    /// unsound, and every verdict of the audit worthless.
    pub fn propagate(&self, bounds: &mut Bounds) {
        let model = self.model;
        let positions = model.positions();
        let families = model.family_count();
        let classes = model.classes.len();
        let mut pending = Pending::new(self.templates.len(), model);
        for family in 0..families {
            for template in 0..self.templates.len() {
                pending.push(Work::Equation { template, family });
            }
        }
        for position in 0..positions {
            for indicator in 0..model.indicators.len() {
                pending.push(Work::Split {
                    indicator,
                    position,
                });
            }
            for class in 0..classes {
                pending.push(Work::Within { class, position });
            }
        }

        let mut terms: Vec<Term> = Vec::new();
        let mut changed: Vec<usize> = Vec::new();
        while let Some(work) = pending.pop() {
            terms.clear();
            let var = |family, position| model.family_number(family) * positions + position;
            let equality = match work {
                Work::Equation { template, family } => {
                    let base = family * positions;
                    terms.extend(
                        self.templates[template]
                            .iter()
                            .map(|&(p, plus)| (base + p, plus)),
                    );
                    true
                }
                Work::Split {
                    indicator,
                    position,
                } => {
                    let class = model.class_of[indicator];
                    terms.push((var(Family::Answered(class), position), true));
                    terms.push((var(Family::Yes(indicator), position), false));
                    terms.push((var(Family::No(indicator), position), false));
                    true
                }
                Work::Within { class, position } => {
                    terms.push((var(Family::Answered(class), position), true));
                    terms.push((var(Family::Respondents, position), false));
                    false
                }
            };
            changed.clear();
            narrow(&terms, equality, bounds, &mut changed);
            for &variable in &changed {
                assert!(
                    bounds.lo[variable] <= model.truth(variable)
                        && model.truth(variable) <= bounds.hi[variable],
                    "interval propagation lost the truth of variable {variable}"
                );
                let family = variable / positions;
                let position = variable % positions;
                for &template in &self.templates_at[position] {
                    pending.push(Work::Equation { template, family });
                }
                match model.family(family) {
                    Family::Respondents => {
                        for class in 0..classes {
                            pending.push(Work::Within { class, position });
                        }
                    }
                    Family::Answered(class) => {
                        pending.push(Work::Within { class, position });
                        for &indicator in &model.classes[class] {
                            pending.push(Work::Split {
                                indicator,
                                position,
                            });
                        }
                    }
                    Family::Yes(indicator) | Family::No(indicator) => pending.push(Work::Split {
                        indicator,
                        position,
                    }),
                }
            }
        }
    }
}

/// Work waiting to be done, each piece at most once in the queue.
struct Pending {
    queue: VecDeque<Work>,
    families: usize,
    positions: usize,
    equation: Vec<bool>,
    split: Vec<bool>,
    within: Vec<bool>,
}

impl Pending {
    fn new(templates: usize, model: &Model) -> Pending {
        let positions = model.positions();
        Pending {
            queue: VecDeque::new(),
            families: model.family_count(),
            positions,
            equation: vec![false; templates * model.family_count()],
            split: vec![false; model.indicators.len() * positions],
            within: vec![false; model.classes.len() * positions],
        }
    }

    fn slot(&mut self, work: Work) -> &mut bool {
        match work {
            Work::Equation { template, family } => {
                &mut self.equation[template * self.families + family]
            }
            Work::Split {
                indicator,
                position,
            } => &mut self.split[indicator * self.positions + position],
            Work::Within { class, position } => &mut self.within[class * self.positions + position],
        }
    }

    fn push(&mut self, work: Work) {
        let queued = self.slot(work);
        if !*queued {
            *queued = true;
            self.queue.push_back(work);
        }
    }

    fn pop(&mut self) -> Option<Work> {
        let work = self.queue.pop_front()?;
        *self.slot(work) = false;
        Some(work)
    }
}

/// The least and the most a signed term can contribute; `None` is unbounded,
/// counted apart so that the sums stay finite.
fn contribution(bounds: &Bounds, &(v, plus): &Term) -> (Option<i64>, Option<i64>) {
    let (lo, hi) = (bounds.lo[v], bounds.hi[v]);
    let hi = (hi != UNBOUNDED).then_some(hi);
    if plus {
        (Some(lo), hi)
    } else {
        (hi.map(|h| -h), Some(-lo))
    }
}

/// One step on `Σ ±x = 0` (or `≤ 0` when not `equality`): each term's interval
/// narrowed to what the others leave room for. Pushes every variable whose
/// interval changed.
fn narrow(terms: &[Term], equality: bool, bounds: &mut Bounds, changed: &mut Vec<usize>) {
    let (mut least, mut least_unbounded) = (0i64, 0usize);
    let (mut most, mut most_unbounded) = (0i64, 0usize);
    for term in terms {
        let (min, max) = contribution(bounds, term);
        match min {
            Some(m) => least += m,
            None => least_unbounded += 1,
        }
        match max {
            Some(m) => most += m,
            None => most_unbounded += 1,
        }
    }
    for term in terms {
        // Read before this term moves: no variable appears twice in a constraint.
        let (min, max) = contribution(bounds, term);
        // What all other terms together contribute at the least and the most.
        let others_least = match min {
            Some(m) if least_unbounded == 0 => Some(least - m),
            None if least_unbounded == 1 => Some(least),
            _ => None,
        };
        let others_most = match max {
            Some(m) if most_unbounded == 0 => Some(most - m),
            None if most_unbounded == 1 => Some(most),
            _ => None,
        };
        // The term itself then lies in [-others_most, -others_least].
        let upper = others_least.map(|o| -o);
        let lower = if equality {
            others_most.map(|o| -o)
        } else {
            None
        };
        let (v, plus) = *term;
        let (new_lo, new_hi) = if plus {
            (lower, upper)
        } else {
            (upper.map(|u| -u), lower.map(|l| -l))
        };
        let mut moved = false;
        if let Some(l) = new_lo
            && l > bounds.lo[v]
        {
            bounds.lo[v] = l;
            moved = true;
        }
        if let Some(h) = new_hi
            && h < bounds.hi[v]
        {
            bounds.hi[v] = h;
            moved = true;
        }
        if moved {
            changed.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `x0 − x1 − … − x{children} = 0`: a parent and its children.
    fn sum(children: usize) -> Vec<Term> {
        std::iter::once((0, true))
            .chain((1..=children).map(|c| (c, false)))
            .collect()
    }

    /// One step on `terms`; the variables it moved.
    fn step(bounds: &mut Bounds, terms: &[Term], equality: bool) -> Vec<usize> {
        let mut changed = Vec::new();
        narrow(terms, equality, bounds, &mut changed);
        changed
    }

    fn interval(bounds: &Bounds, v: usize) -> (i64, i64) {
        (bounds.lo[v], bounds.hi[v])
    }

    #[test]
    fn a_sum_with_all_but_one_term_known_pins_the_last() {
        let mut bounds = Bounds::new(3);
        bounds.fix(0, 10);
        bounds.fix(1, 4);
        assert_eq!(step(&mut bounds, &sum(2), true), vec![2]);
        assert_eq!(interval(&bounds, 2), (6, 6));
    }

    #[test]
    fn a_parent_of_zero_pins_every_child_to_zero() {
        let mut bounds = Bounds::new(4);
        bounds.fix(0, 0);
        step(&mut bounds, &sum(3), true);
        for v in 1..4 {
            assert_eq!(interval(&bounds, v), (0, 0));
        }
    }

    #[test]
    fn an_inequality_only_caps_from_above() {
        // x0 − x1 ≤ 0 with x0 ≥ 2 and x1 ≤ 7: x0 ≤ 7 and x1 ≥ 2.
        let mut bounds = Bounds::new(2);
        bounds.hi[1] = 7;
        bounds.lo[0] = 2;
        step(&mut bounds, &sum(1), false);
        assert_eq!(bounds.hi[0], 7);
        assert_eq!(bounds.lo[1], 2);
    }

    #[test]
    fn unbounded_terms_leave_the_others_open() {
        // A parent of 5: each child is at most 5, and neither has a lower bound
        // above 0 while the other is open.
        let mut bounds = Bounds::new(3);
        bounds.fix(0, 5);
        step(&mut bounds, &sum(2), true);
        assert_eq!(interval(&bounds, 1), (0, 5));
        assert_eq!(interval(&bounds, 2), (0, 5));
    }
}
