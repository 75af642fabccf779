//! What the attacker knows about who can be counted where, and what is true.
//!
//! Every released figure is a sum over *cells*: the students of one school who
//! live in one place of its municipality, in one school year, of one gender. The
//! attacker knows which cells can exist — a school's municipality is public, and
//! so are the villages and the years surveyed — but not how many students each
//! holds. The auditor derives the cells and the groups that contain them from the
//! responses on its own, without the production code path, so that a mistake in
//! production's grouping shows up as an observation that disagrees with the truth.
//!
//! Releases are modelled as *layers*: layer 0 holds the responses of the first
//! release, layer `j` those added between release `j - 1` and release `j` (late
//! students after a reopen; nothing at all for a recomputation with another k).
//! A figure of release `r` is the sum over its cells of layers `0..=r`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use surveys::{
    AnswerCode, Answers, Breakdown, Gender, Group, ItemKey, ItemKind, MunicipalityId, Place,
    Questionnaire, Residence, SchoolId, SurveyResponse, VillageId,
};

use crate::AuditError;

/// The smallest set of students the figures tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Cell {
    school: SchoolId,
    municipality: MunicipalityId,
    /// `None` when the questionnaire does not ask where students live.
    residence: Option<Residence>,
    year: u8,
    gender: Gender,
}

impl Cell {
    /// Every group whose figures count this cell's students.
    fn groups(&self) -> Vec<Group> {
        let mut places = vec![Place::Region, Place::Municipality(self.municipality)];
        if let Some(residence) = self.residence {
            places.push(Place::Residence(self.municipality, residence));
        }
        places.push(Place::School(self.school));
        let breakdowns = [
            Breakdown::All,
            Breakdown::SchoolYear(self.year),
            Breakdown::Gender(self.gender),
        ];
        places
            .into_iter()
            .flat_map(|place| breakdowns.map(|breakdown| Group::new(place, breakdown)))
            .collect()
    }
}

/// The gender a response is counted under: the standard questionnaire's codes
/// (1 boy, 2 girl, 3 another way); "rather not say" and a skip are one group.
fn gender_of(answers: &Answers) -> Gender {
    match answers.get("gender") {
        Some(1) => Gender::Boy,
        Some(2) => Gender::Girl,
        Some(3) => Gender::Other,
        _ => Gender::Unknown,
    }
}

/// The questionnaire's village-of-residence item, read here rather than taken
/// from the wave code so that where a student counts is the auditor's own view.
struct VillageQuestion {
    key: ItemKey,
    elsewhere: AnswerCode,
}

impl VillageQuestion {
    fn of(questionnaire: &Questionnaire) -> Option<VillageQuestion> {
        questionnaire
            .sections()
            .iter()
            .flat_map(|section| &section.items)
            .find_map(|item| match &item.kind {
                ItemKind::Village { elsewhere } => Some(VillageQuestion {
                    key: item.key.clone(),
                    elsewhere: elsewhere.code,
                }),
                _ => None,
            })
    }

    fn residence(&self, answers: &Answers) -> Residence {
        match answers.get(&self.key) {
            None => Residence::Unknown,
            Some(&code) if code == self.elsewhere => Residence::Elsewhere,
            Some(&code) => Residence::Village(VillageId(i64::from(code))),
        }
    }
}

/// Counts of one set of students: respondents, and per indicator (in
/// questionnaire order) those in the numerator and those who answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    pub respondents: i64,
    pub yes: Vec<i64>,
    pub answered: Vec<i64>,
}

impl Tally {
    fn new(indicators: usize) -> Tally {
        Tally {
            respondents: 0,
            yes: vec![0; indicators],
            answered: vec![0; indicators],
        }
    }

    /// `self - earlier`, or `None` when any count went down: a state that
    /// drops or changes responses is not a later state of the same wave.
    fn since(&self, earlier: &Tally) -> Option<Tally> {
        let minus = |a: i64, b: i64| (a >= b).then_some(a - b);
        let pairwise = |a: &[i64], b: &[i64]| -> Option<Vec<i64>> {
            a.iter().zip(b).map(|(&x, &y)| minus(x, y)).collect()
        };
        Some(Tally {
            respondents: minus(self.respondents, earlier.respondents)?,
            yes: pairwise(&self.yes, &earlier.yes)?,
            answered: pairwise(&self.answered, &earlier.answered)?,
        })
    }
}

/// One kind of count the figures are made of. Each family has its own
/// variables; the per-cell rules `yes + no = answered ≤ respondents` link them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Respondents,
    /// The denominators of every indicator of one class (see [`Model::classes`]).
    Answered(usize),
    /// An indicator's numerator.
    Yes(usize),
    /// An indicator's denominator minus its numerator: what a 100 % share pins to 0.
    No(usize),
}

/// A group's figures as the attacker's variables see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    /// One cell's count in one layer.
    Cell { cell: usize, layer: usize },
    /// A group's count in one layer: what was added to it at that release.
    Added { group: usize, layer: usize },
    /// A group's figure as a release shows it: layers `0..=release` together.
    Release { group: usize, release: usize },
}

/// The attacker's universe and the truth behind it.
pub(crate) struct Model {
    pub cells: Vec<Cell>,
    pub groups: Vec<Group>,
    group_index: HashMap<Group, usize>,
    /// The cells of each group.
    pub members: Vec<Vec<usize>>,
    cell_sets: CellSets,
    /// Sums every outsider knows: a parent group and children that split it
    /// exactly (a municipality into its villages, a school into school years).
    pub partitions: Vec<(usize, Vec<usize>)>,
    pub layers: usize,
    pub indicators: Vec<String>,
    /// Indicators whose denominators are the same in every group: one item, and
    /// the same rule for those the route skipped. The attacker pools them.
    pub classes: Vec<Vec<usize>>,
    pub class_of: Vec<usize>,
    /// Per class: whether the item is put to everyone the indicator counts —
    /// no route in front of it, or those routed past counted as answering no.
    /// Then a denominator is the group's size less those who skipped it.
    pub put_to_everyone: Vec<bool>,
    /// The truth of every variable, family by family (see [`Model::variable`]).
    truth: Vec<i64>,
}

impl Model {
    pub fn new(
        states: &[Vec<SurveyResponse>],
        questionnaire: &Questionnaire,
    ) -> Result<Model, AuditError> {
        if states.is_empty() {
            return Err(AuditError::NoStates);
        }
        let indicators = questionnaire.indicators();
        let village = VillageQuestion::of(questionnaire);

        // Who each clean response counts as, per state.
        let mut counted: Vec<BTreeMap<Cell, Tally>> = Vec::with_capacity(states.len());
        for state in states {
            let mut tallies: BTreeMap<Cell, Tally> = BTreeMap::new();
            for response in state.iter().filter(|r| r.validity.is_clean()) {
                let answers = &response.answers;
                let cell = Cell {
                    school: response.school,
                    municipality: response.municipality,
                    residence: village.as_ref().map(|v| v.residence(answers)),
                    year: response.school_year,
                    gender: gender_of(answers),
                };
                let tally = tallies
                    .entry(cell)
                    .or_insert_with(|| Tally::new(indicators.len()));
                tally.respondents += 1;
                for (i, indicator) in indicators.iter().enumerate() {
                    if let Some(yes) = questionnaire.evaluate(indicator, answers) {
                        tally.answered[i] += 1;
                        tally.yes[i] += i64::from(yes);
                    }
                }
            }
            counted.push(tallies);
        }

        let cells = universe(counted.iter().flat_map(|tallies| tallies.keys()));
        let cell_index: HashMap<Cell, usize> =
            cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let empty = Tally::new(indicators.len());
        let mut layer_tallies: Vec<Vec<Tally>> = Vec::with_capacity(states.len());
        for (state, tallies) in counted.iter().enumerate() {
            let mut layer = vec![empty.clone(); cells.len()];
            for (cell, tally) in tallies {
                layer[cell_index[cell]] = tally.clone();
            }
            if state > 0 {
                for (c, tally) in layer.iter_mut().enumerate() {
                    let earlier = counted[state - 1].get(&cells[c]).unwrap_or(&empty);
                    *tally = tally
                        .since(earlier)
                        .ok_or(AuditError::ResponsesRemoved { state })?;
                }
            }
            layer_tallies.push(layer);
        }

        let mut group_index: HashMap<Group, usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let all_groups: BTreeSet<Group> = cells.iter().flat_map(Cell::groups).collect();
        for group in all_groups {
            group_index.insert(group, groups.len());
            groups.push(group);
            members.push(Vec::new());
        }
        for (c, cell) in cells.iter().enumerate() {
            for group in cell.groups() {
                members[group_index[&group]].push(c);
            }
        }
        let cell_sets = CellSets::new(&members, cells.len());
        let partitions = partitions(&groups, &members, &cell_sets);

        let mut by_class: BTreeMap<(&str, bool), Vec<usize>> = BTreeMap::new();
        for (i, indicator) in indicators.iter().enumerate() {
            by_class
                .entry((indicator.item.as_str(), indicator.not_shown_counts_as_no))
                .or_default()
                .push(i);
        }
        let classes: Vec<Vec<usize>> = by_class.into_values().collect();
        let mut class_of = vec![0; indicators.len()];
        for (c, class) in classes.iter().enumerate() {
            for &i in class {
                class_of[i] = c;
            }
        }
        let put_to_everyone = classes
            .iter()
            .map(|class| {
                let indicator = &indicators[class[0]];
                indicator.not_shown_counts_as_no
                    || asked_without_a_route(questionnaire, indicator.item.as_str())
            })
            .collect();

        let mut model = Model {
            cells,
            groups,
            group_index,
            members,
            cell_sets,
            partitions,
            layers: states.len(),
            indicators: indicators.iter().map(|i| i.key.clone()).collect(),
            classes,
            class_of,
            put_to_everyone,
            truth: Vec::new(),
        };
        model.truth = model.truth_of_every_variable(&layer_tallies);
        Ok(model)
    }

    pub fn group(&self, group: &Group) -> Option<usize> {
        self.group_index.get(group).copied()
    }

    /// Whether every student of group `small` is one of group `large`.
    pub fn inside(&self, small: usize, large: usize) -> bool {
        self.cell_sets.inside(small, large)
    }

    pub fn indicator(&self, key: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i == key)
    }

    pub fn family_count(&self) -> usize {
        1 + self.classes.len() + 2 * self.indicators.len()
    }

    pub fn family_number(&self, family: Family) -> usize {
        match family {
            Family::Respondents => 0,
            Family::Answered(class) => 1 + class,
            Family::Yes(i) => 1 + self.classes.len() + 2 * i,
            Family::No(i) => 2 + self.classes.len() + 2 * i,
        }
    }

    pub fn family(&self, number: usize) -> Family {
        let classes = self.classes.len();
        match number {
            0 => Family::Respondents,
            n if n <= classes => Family::Answered(n - 1),
            n if (n - 1 - classes).is_multiple_of(2) => Family::Yes((n - 1 - classes) / 2),
            n => Family::No((n - 2 - classes) / 2),
        }
    }

    /// How many variables each family has.
    pub fn positions(&self) -> usize {
        (self.cells.len() + 2 * self.groups.len()) * self.layers
    }

    pub fn position(&self, position: Position) -> usize {
        let (cells, groups, layers) = (self.cells.len(), self.groups.len(), self.layers);
        match position {
            Position::Cell { cell, layer } => layer * cells + cell,
            Position::Added { group, layer } => cells * layers + layer * groups + group,
            Position::Release { group, release } => {
                (cells + groups) * layers + release * groups + group
            }
        }
    }

    pub fn variable(&self, family: Family, position: Position) -> usize {
        self.family_number(family) * self.positions() + self.position(position)
    }

    pub fn variable_count(&self) -> usize {
        self.family_count() * self.positions()
    }

    pub fn truth(&self, variable: usize) -> i64 {
        self.truth[variable]
    }

    fn truth_of_every_variable(&self, layer_tallies: &[Vec<Tally>]) -> Vec<i64> {
        let mut truth = vec![0; self.variable_count()];
        for number in 0..self.family_count() {
            let family = self.family(number);
            let count = |tally: &Tally| match family {
                Family::Respondents => tally.respondents,
                Family::Answered(class) => tally.answered[self.classes[class][0]],
                Family::Yes(i) => tally.yes[i],
                Family::No(i) => tally.answered[i] - tally.yes[i],
            };
            for (layer, tallies) in layer_tallies.iter().enumerate() {
                for (cell, tally) in tallies.iter().enumerate() {
                    truth[self.variable(family, Position::Cell { cell, layer })] = count(tally);
                }
                for (group, members) in self.members.iter().enumerate() {
                    let added: i64 = members.iter().map(|&cell| count(&tallies[cell])).sum();
                    truth[self.variable(family, Position::Added { group, layer })] = added;
                    let before = match layer {
                        0 => 0,
                        _ => {
                            truth[self.variable(
                                family,
                                Position::Release {
                                    group,
                                    release: layer - 1,
                                },
                            )]
                        }
                    };
                    truth[self.variable(
                        family,
                        Position::Release {
                            group,
                            release: layer,
                        },
                    )] = before + added;
                }
            }
        }
        truth
    }
}

/// Whether the answer key `key` is on a page and in an item that every
/// student is shown; `false` when a condition stands in front of either, or
/// when the key is nowhere to be found.
fn asked_without_a_route(questionnaire: &Questionnaire, key: &str) -> bool {
    questionnaire.sections().iter().any(|section| {
        section.show_if.is_none()
            && section.items.iter().any(|item| {
                item.show_if.is_none() && item.answer_keys().iter().any(|k| k.as_str() == key)
            })
    })
}

/// Every cell that could hold students as far as the attacker knows: each school
/// with its municipality, crossed with the places of that municipality, the
/// school years and the genders that occur. Places, years and genders that no
/// state has are left out: the results show that those groups have nobody.
fn universe<'c>(seen: impl Iterator<Item = &'c Cell>) -> Vec<Cell> {
    let mut schools: BTreeSet<(SchoolId, MunicipalityId)> = BTreeSet::new();
    let mut residences: BTreeMap<MunicipalityId, BTreeSet<Option<Residence>>> = BTreeMap::new();
    let mut years: BTreeSet<u8> = BTreeSet::new();
    let mut genders: BTreeSet<Gender> = BTreeSet::new();
    for cell in seen {
        schools.insert((cell.school, cell.municipality));
        residences
            .entry(cell.municipality)
            .or_default()
            .insert(cell.residence);
        years.insert(cell.year);
        genders.insert(cell.gender);
    }
    let mut cells = Vec::new();
    for &(school, municipality) in &schools {
        for &residence in &residences[&municipality] {
            for &year in &years {
                for &gender in &genders {
                    cells.push(Cell {
                        school,
                        municipality,
                        residence,
                        year,
                        gender,
                    });
                }
            }
        }
    }
    cells
}

/// Which kind of group: its kind of place and its kind of breakdown.
fn kind(group: &Group) -> (u8, u8) {
    let place = match group.place {
        Place::Region => 0,
        Place::Municipality(_) => 1,
        Place::Residence(..) => 2,
        Place::School(_) => 3,
    };
    let breakdown = match group.breakdown {
        Breakdown::All => 0,
        Breakdown::SchoolYear(_) => 1,
        Breakdown::Gender(_) => 2,
    };
    (place, breakdown)
}

/// Whether groups of kind `child` can split a group of kind `parent`: a place
/// into the places inside it (same breakdown), or everybody of a place into
/// school years or genders. Whether they really do is checked on the cells.
fn may_split(parent: (u8, u8), child: (u8, u8)) -> bool {
    let (parent_place, parent_breakdown) = parent;
    let (child_place, child_breakdown) = child;
    let finer_place = matches!(
        (parent_place, child_place),
        (0, 1) | (0, 3) | (1, 2) | (1, 3)
    );
    let finer_breakdown = parent_breakdown == 0 && child_breakdown != 0;
    (finer_place && parent_breakdown == child_breakdown)
        || (parent_place == child_place && finer_breakdown)
}

/// The cells of each group as a bit set, for asking whether one group lies
/// inside another.
struct CellSets(Vec<Vec<u64>>);

impl CellSets {
    fn new(members: &[Vec<usize>], cells: usize) -> CellSets {
        let words = cells.div_ceil(64);
        CellSets(
            members
                .iter()
                .map(|m| {
                    let mut set = vec![0u64; words];
                    for &c in m {
                        set[c / 64] |= 1 << (c % 64);
                    }
                    set
                })
                .collect(),
        )
    }

    fn inside(&self, small: usize, large: usize) -> bool {
        self.0[small]
            .iter()
            .zip(&self.0[large])
            .all(|(s, l)| s & !l == 0)
    }
}

/// The sums an outsider knows, found on the cells: for every group and every
/// kind of group that may split it, the groups of that kind inside it, when
/// together they hold every one of its cells. Groups of one kind never overlap,
/// so covering the parent's cells makes them an exact split.
fn partitions(
    groups: &[Group],
    members: &[Vec<usize>],
    sets: &CellSets,
) -> Vec<(usize, Vec<usize>)> {
    let mut partitions = Vec::new();
    for (parent, parent_group) in groups.iter().enumerate() {
        let mut by_kind: BTreeMap<(u8, u8), Vec<usize>> = BTreeMap::new();
        for (child, child_group) in groups.iter().enumerate() {
            if may_split(kind(parent_group), kind(child_group)) && sets.inside(child, parent) {
                by_kind.entry(kind(child_group)).or_default().push(child);
            }
        }
        for children in by_kind.into_values() {
            let covered: usize = children.iter().map(|&c| members[c].len()).sum();
            if covered == members[parent].len() {
                partitions.push((parent, children));
            }
        }
    }
    partitions
}
