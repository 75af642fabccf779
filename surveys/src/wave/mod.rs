//! A wave's figures: from its stored responses to every figure any dashboard,
//! report or export may show.
//!
//! [`compute_wave`] screens out flagged responses (counting them per reason),
//! counts every indicator of the questionnaire for every [`Group`] — the region,
//! each municipality, the students of a municipality by village of residence, each
//! school; each for everybody, per school year and per gender — and passes all of
//! it, with every way the groups add up, through the one disclosure decision
//! ([`crate::disclosure::suppress`]) in a single call. What it returns,
//! [`WaveResults`], holds counts and their release decisions only: no response,
//! no answer, nothing below the threshold. Shares, intervals and comparisons are
//! computed from the released counts when read, so a stored result cannot drift
//! from the rule that released it.
//!
//! The partitions handed to disclosure control, for every breakdown (everybody,
//! each school year, each gender):
//! - region → its municipalities; region → its schools;
//! - municipality → its villages, "elsewhere" and "unknown";
//! - municipality → its schools, when each of those schools has students of that
//!   municipality only (then the sum is exact, and public knowledge);
//!
//! and for every place: everybody → school years, everybody → genders.
//!
//! A group with no valid respondent is not a group: it is left out, and so is its
//! place in the sums (which still add up). That nobody in a school is in year 1
//! describes nobody.

mod exclusions;
mod group;
mod response_rate;
mod trend;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::disclosure::{
    Disclosure, GroupCounts, GroupRelease, Partition, Release, ReleaseError, SuppressionThreshold,
    Tabulation, suppress, suppress_after,
};
use crate::indicator::Direction;
use crate::questionnaire::{AnswerCode, Answers, ItemKey, ItemKind, Questionnaire};
use crate::statistics::{Comparison, Interval, Share};
use crate::validity::{ValidityFlag, ValidityFlags};

pub use exclusions::ShownExclusions;
pub use group::{
    Breakdown, Gender, Group, GroupNameError, MunicipalityId, Place, Residence, SchoolId, VillageId,
};
pub use response_rate::{ClassTally, ResponseRate, ResponseRates, response_rates};
pub use trend::{change, may_trend};

/// One stored response, as the wave's figures need it. The class is never part
/// of it; the municipality is the one whose villages the student was offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResponse {
    pub municipality: MunicipalityId,
    pub school: SchoolId,
    pub school_year: u8,
    pub answers: Answers,
    pub validity: ValidityFlags,
}

/// Which questionnaire, in which version, a wave was answered on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnaireVersion {
    pub key: String,
    pub version: u32,
}

impl QuestionnaireVersion {
    pub fn of(questionnaire: &Questionnaire) -> QuestionnaireVersion {
        QuestionnaireVersion {
            key: questionnaire.key().to_owned(),
            version: questionnaire.version(),
        }
    }
}

/// Responses the validity screen excluded, reported beside the figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusions {
    /// Every stored response of the wave.
    pub submitted: u64,
    /// Responses with at least one flag; none of them is in any figure.
    pub excluded: u64,
    /// Per reason, every reason listed (0 included). A response with two flags
    /// counts under both, so these can add up to more than `excluded`.
    pub by_reason: BTreeMap<ValidityFlag, u64>,
}

impl Exclusions {
    /// Responses that count.
    pub fn valid(&self) -> u64 {
        self.submitted - self.excluded
    }
}

/// An indicator as a wave's results need it for reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorInfo {
    pub direction: Direction,
}

/// Every released figure of a wave, and why the others are not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveResults {
    questionnaire: QuestionnaireVersion,
    threshold: SuppressionThreshold,
    exclusions: Exclusions,
    indicators: BTreeMap<String, IndicatorInfo>,
    /// Schools whose students all belong to one municipality.
    school_municipality: BTreeMap<SchoolId, MunicipalityId>,
    figures: Disclosure<Group, String>,
    /// The exclusions of the wave's earlier releases, oldest first, which
    /// the exclusions shown now are held against (see `exclusions.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    earlier_exclusions: Vec<Exclusions>,
}

impl WaveResults {
    /// The questionnaire version the wave was answered on.
    pub fn questionnaire(&self) -> &QuestionnaireVersion {
        &self.questionnaire
    }

    /// The `k` the figures were released under.
    pub fn threshold(&self) -> SuppressionThreshold {
        self.threshold
    }

    pub fn exclusions(&self) -> &Exclusions {
        &self.exclusions
    }

    /// How many groups have any valid respondent (released or not).
    pub fn group_count(&self) -> usize {
        self.figures.groups().count()
    }

    /// Every group with its figures, in a fixed order.
    pub fn groups(&self) -> impl Iterator<Item = (&Group, &GroupRelease<String>)> {
        self.figures.groups()
    }

    /// `None` when the group has no valid respondent in this wave.
    pub fn group(&self, group: &Group) -> Option<&GroupRelease<String>> {
        self.figures.group(group)
    }

    pub fn respondents(&self, group: &Group) -> Option<Release<u64>> {
        self.figures.respondents(group)
    }

    /// Numerator and denominator of an indicator; `None` when the group or the
    /// indicator is not in this wave.
    pub fn share(&self, group: &Group, indicator: &str) -> Option<Release<Share>> {
        self.group(group)?.indicators.get(indicator).copied()
    }

    /// The 95 % Wilson interval of a released share.
    pub fn interval(&self, group: &Group, indicator: &str) -> Option<Release<Interval>> {
        match self.share(group, indicator)? {
            Release::Released(share) => share.wilson_interval().map(Release::Released),
            Release::Suppressed(reason) => Some(Release::Suppressed(reason)),
        }
    }

    /// The indicators of the wave's questionnaire, by key.
    pub fn indicators(&self) -> impl Iterator<Item = (&str, &IndicatorInfo)> {
        self.indicators
            .iter()
            .map(|(key, info)| (key.as_str(), info))
    }

    pub fn direction(&self, indicator: &str) -> Option<Direction> {
        self.indicators.get(indicator).map(|info| info.direction)
    }

    /// Whether every student of `part` is one of `whole`: a village in its
    /// municipality, anything in the region, a school in the municipality all its
    /// students belong to.
    pub fn contains(&self, whole: Place, part: Place) -> bool {
        whole.contains(part)
            || matches!((whole, part), (Place::Municipality(m), Place::School(s))
                if self.school_municipality.get(&s) == Some(&m))
    }

    /// A group against a larger group that contains it (a village against its
    /// municipality or the region, a school against the region), by the rule of
    /// [`crate::statistics`]: tested against the rest of the larger group, so the
    /// two samples are independent.
    ///
    /// Suppressed when either share is. `None` when either group or the indicator
    /// is not in the wave, when `within` does not contain `group` in the same
    /// breakdown, or when there is no rest to compare with.
    pub fn comparison(
        &self,
        group: &Group,
        within: &Group,
        indicator: &str,
    ) -> Option<Release<Comparison>> {
        if group.breakdown != within.breakdown || !self.contains(within.place, group.place) {
            return None;
        }
        let direction = self.direction(indicator)?;
        let part = self.share(group, indicator)?;
        let whole = self.share(within, indicator)?;
        match part.and(whole) {
            Release::Released((part, whole)) => Comparison::with_rest_of(part, whole, direction)
                .ok()
                .flatten()
                .map(Release::Released),
            Release::Suppressed(reason) => Some(Release::Suppressed(reason)),
        }
    }
}

impl WaveResults {
    /// How many figures (respondent counts and shares) `earlier` showed that
    /// these results hide: what a new release would take away from readers.
    pub fn withheld_since(&self, earlier: &WaveResults) -> usize {
        earlier
            .groups()
            .map(|(group, before)| {
                let now = self.group(group);
                let respondents = usize::from(
                    !before.respondents.is_suppressed()
                        && now.is_none_or(|g| g.respondents.is_suppressed()),
                );
                let shares = before
                    .indicators
                    .iter()
                    .filter(|(indicator, share)| {
                        !share.is_suppressed()
                            && now
                                .and_then(|g| g.indicators.get(*indicator))
                                .is_none_or(Release::is_suppressed)
                    })
                    .count();
                respondents + shares
            })
            .sum()
    }
}

/// Every count a release was decided on, hidden ones included: what the next
/// release of the same wave is checked against. It is stored with the release
/// and never shown; it says no more than the responses it was counted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseBasis {
    counts: BTreeMap<Group, GroupCounts<String>>,
}

impl ReleaseBasis {
    /// Whether both were counted from the same responses, as far as any figure
    /// can tell.
    pub fn same_counts(&self, other: &ReleaseBasis) -> bool {
        self.counts == other.counts
    }
}

/// A wave's figures as released, and what the release was decided on.
#[derive(Debug, Clone)]
pub struct Computation {
    pub results: WaveResults,
    pub basis: ReleaseBasis,
}

/// Why a wave's figures cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WaveError {
    /// The groups built from the responses did not add up; a defect in this
    /// crate, never something a user did.
    #[error("the wave's groups do not add up: {0}")]
    GroupsDoNotAddUp(String),
    /// Responses counted in the earlier release are gone, so the two releases
    /// cannot be protected against each other (see
    /// [`crate::disclosure::suppress_after`]).
    #[error("responses counted in the earlier release are gone ({0})")]
    ResponsesRemoved(String),
}

impl WaveError {
    /// Stable key for logs and the API.
    pub fn key(&self) -> &'static str {
        match self {
            WaveError::GroupsDoNotAddUp(_) => "wave.groups_do_not_add_up",
            WaveError::ResponsesRemoved(_) => "wave.responses_removed",
        }
    }
}

/// Computes every figure of a wave and decides, once, which may be released.
pub fn compute_wave(
    questionnaire: &Questionnaire,
    responses: &[SurveyResponse],
    k: SuppressionThreshold,
) -> Result<WaveResults, WaveError> {
    compute_release(questionnaire, responses, k, None).map(|c| c.results)
}

/// Computes every figure of a wave and decides which may be released; when the
/// wave was released before, `previous` (its latest release and what that was
/// decided on) is held against the new figures so that the two releases
/// together show nothing either hides, nor the answers that came in between
/// (see [`crate::disclosure::suppress_after`]).
pub fn compute_release(
    questionnaire: &Questionnaire,
    responses: &[SurveyResponse],
    k: SuppressionThreshold,
    previous: Option<(&WaveResults, &ReleaseBasis)>,
) -> Result<Computation, WaveError> {
    let indicators = questionnaire.indicators();
    let village_item = village_item(questionnaire);
    let mut exclusions = Exclusions {
        submitted: 0,
        excluded: 0,
        by_reason: ValidityFlag::ALL.into_iter().map(|f| (f, 0)).collect(),
    };
    let mut cells: HashMap<Cell, Counts> = HashMap::new();
    for response in responses {
        exclusions.submitted += 1;
        if !response.validity.is_clean() {
            exclusions.excluded += 1;
            for flag in response.validity.iter() {
                *exclusions.by_reason.entry(flag).or_default() += 1;
            }
            continue;
        }
        let answers = &response.answers;
        let cell = Cell {
            municipality: response.municipality,
            residence: village_item.as_ref().map(|item| item.residence(answers)),
            school: response.school,
            year: response.school_year,
            gender: Gender::from_answer(answers.get(Gender::ITEM).copied()),
        };
        let counts = cells
            .entry(cell)
            .or_insert_with(|| Counts::new(indicators.len()));
        counts.respondents += 1;
        for (i, indicator) in indicators.iter().enumerate() {
            if let Some(yes) = questionnaire.evaluate(indicator, answers) {
                counts.answered[i] += 1;
                counts.yes[i] += u64::from(yes);
            }
        }
    }

    let (school_municipality, own_schools) = nested_schools(cells.keys());
    let mut groups: BTreeMap<Group, Counts> = BTreeMap::new();
    for (cell, counts) in &cells {
        for group in cell.groups() {
            groups
                .entry(group)
                .or_insert_with(|| Counts::new(indicators.len()))
                .add(counts);
        }
    }
    let partitions = partitions(&groups, &own_schools);
    let tabulation = Tabulation {
        groups: groups
            .into_iter()
            .map(|(group, counts)| Ok((group, counts.into_group_counts(questionnaire)?)))
            .collect::<Result<_, _>>()?,
        partitions,
    };
    let figures = match previous {
        None => suppress(&tabulation, k).map_err(|e| WaveError::GroupsDoNotAddUp(e.to_string()))?,
        Some((earlier, basis)) => suppress_after(&tabulation, k, &earlier.figures, &basis.counts)
            .map_err(|e| match e {
            ReleaseError::ResponsesRemoved(group) => WaveError::ResponsesRemoved(group.to_string()),
            ReleaseError::Tabulation(e) => WaveError::GroupsDoNotAddUp(e.to_string()),
        })?,
    };
    let basis = ReleaseBasis {
        counts: tabulation.groups,
    };
    let results = WaveResults {
        questionnaire: QuestionnaireVersion::of(questionnaire),
        threshold: k,
        exclusions,
        indicators: indicators
            .iter()
            .map(|i| {
                let info = IndicatorInfo {
                    direction: i.direction,
                };
                (i.key.clone(), info)
            })
            .collect(),
        school_municipality,
        figures,
        earlier_exclusions: previous
            .map(|(earlier, _)| exclusions::released_up_to(earlier))
            .unwrap_or_default(),
    };
    Ok(Computation { results, basis })
}

/// The village-of-residence item and its "elsewhere" code.
struct VillageItem {
    key: ItemKey,
    elsewhere: AnswerCode,
}

impl VillageItem {
    fn residence(&self, answers: &Answers) -> Residence {
        match answers.get(&self.key) {
            None => Residence::Unknown,
            Some(&code) if code == self.elsewhere => Residence::Elsewhere,
            Some(&code) => Residence::Village(VillageId::from_answer(code)),
        }
    }
}

fn village_item(questionnaire: &Questionnaire) -> Option<VillageItem> {
    questionnaire
        .sections()
        .iter()
        .flat_map(|section| &section.items)
        .find_map(|item| match &item.kind {
            ItemKind::Village { elsewhere } => Some(VillageItem {
                key: item.key.clone(),
                elsewhere: elsewhere.code,
            }),
            _ => None,
        })
}

/// The smallest group of a wave: all its students share every attribute a
/// breakdown looks at. Every group is a sum of cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Cell {
    municipality: MunicipalityId,
    /// `None` when the questionnaire does not ask where students live.
    residence: Option<Residence>,
    school: SchoolId,
    year: u8,
    gender: Gender,
}

impl Cell {
    fn groups(&self) -> impl Iterator<Item = Group> {
        let places = [
            Some(Place::Region),
            Some(Place::Municipality(self.municipality)),
            self.residence
                .map(|residence| Place::Residence(self.municipality, residence)),
            Some(Place::School(self.school)),
        ];
        let breakdowns = [
            Breakdown::All,
            Breakdown::SchoolYear(self.year),
            Breakdown::Gender(self.gender),
        ];
        places
            .into_iter()
            .flatten()
            .flat_map(move |place| breakdowns.map(|breakdown| Group { place, breakdown }))
    }
}

/// Respondents, and per indicator (in questionnaire order) who counts in the
/// numerator and who in the denominator.
#[derive(Debug, Clone)]
struct Counts {
    respondents: u64,
    yes: Vec<u64>,
    answered: Vec<u64>,
}

impl Counts {
    fn new(indicators: usize) -> Counts {
        Counts {
            respondents: 0,
            yes: vec![0; indicators],
            answered: vec![0; indicators],
        }
    }

    fn add(&mut self, other: &Counts) {
        self.respondents += other.respondents;
        self.yes
            .iter_mut()
            .zip(&other.yes)
            .for_each(|(a, b)| *a += b);
        self.answered
            .iter_mut()
            .zip(&other.answered)
            .for_each(|(a, b)| *a += b);
    }

    fn into_group_counts(
        self,
        questionnaire: &Questionnaire,
    ) -> Result<GroupCounts<String>, WaveError> {
        let indicators = questionnaire
            .indicators()
            .iter()
            .zip(self.yes.iter().zip(&self.answered))
            .map(|(indicator, (&yes, &answered))| {
                Share::new(yes, answered)
                    .map(|share| (indicator.key.clone(), share))
                    .map_err(|e| WaveError::GroupsDoNotAddUp(e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        Ok(GroupCounts {
            respondents: self.respondents,
            indicators,
        })
    }
}

/// Schools all of whose valid respondents belong to one municipality, with it;
/// and the municipalities all of whose schools are such schools, with those
/// schools: for them, the municipality is exactly the sum of its schools.
fn nested_schools<'c>(
    cells: impl Iterator<Item = &'c Cell>,
) -> (
    BTreeMap<SchoolId, MunicipalityId>,
    BTreeMap<MunicipalityId, Vec<SchoolId>>,
) {
    let mut municipalities_of: BTreeMap<SchoolId, BTreeSet<MunicipalityId>> = BTreeMap::new();
    let mut schools_of: BTreeMap<MunicipalityId, BTreeSet<SchoolId>> = BTreeMap::new();
    for cell in cells {
        municipalities_of
            .entry(cell.school)
            .or_default()
            .insert(cell.municipality);
        schools_of
            .entry(cell.municipality)
            .or_default()
            .insert(cell.school);
    }
    let school_municipality: BTreeMap<SchoolId, MunicipalityId> = municipalities_of
        .into_iter()
        .filter_map(|(school, municipalities)| match municipalities.len() {
            1 => municipalities.first().map(|&m| (school, m)),
            _ => None,
        })
        .collect();
    let own_schools = schools_of
        .into_iter()
        .filter(|(_, schools)| schools.iter().all(|s| school_municipality.contains_key(s)))
        .map(|(m, schools)| (m, schools.into_iter().collect()))
        .collect();
    (school_municipality, own_schools)
}

/// Every way the groups of a wave add up (see the module documentation).
fn partitions(
    groups: &BTreeMap<Group, Counts>,
    own_schools: &BTreeMap<MunicipalityId, Vec<SchoolId>>,
) -> Vec<Partition<Group>> {
    let places: BTreeSet<Place> = groups.keys().map(|g| g.place).collect();
    let breakdowns: BTreeSet<Breakdown> = groups.keys().map(|g| g.breakdown).collect();
    let mut partitions = Vec::new();
    let mut push = |parent: Group, children: Vec<Group>| {
        let children: Vec<Group> = children
            .into_iter()
            .filter(|c| groups.contains_key(c))
            .collect();
        if groups.contains_key(&parent) && !children.is_empty() {
            partitions.push(Partition { parent, children });
        }
    };
    for &breakdown in &breakdowns {
        let at = |place: Place| Group { place, breakdown };
        let municipalities: Vec<MunicipalityId> = places
            .iter()
            .filter_map(|p| match p {
                Place::Municipality(m) => Some(*m),
                _ => None,
            })
            .collect();
        let of_kind = |wanted: fn(&Place) -> bool| -> Vec<Group> {
            places.iter().copied().filter(wanted).map(at).collect()
        };
        push(
            at(Place::Region),
            of_kind(|p| matches!(p, Place::Municipality(_))),
        );
        push(
            at(Place::Region),
            of_kind(|p| matches!(p, Place::School(_))),
        );
        for &m in &municipalities {
            let residences = places
                .iter()
                .copied()
                .filter(|p| matches!(p, Place::Residence(n, _) if *n == m))
                .map(at)
                .collect();
            push(at(Place::Municipality(m)), residences);
            if let Some(schools) = own_schools.get(&m) {
                let schools = schools.iter().map(|&s| at(Place::School(s))).collect();
                push(at(Place::Municipality(m)), schools);
            }
        }
    }
    for &place in &places {
        let split = |wanted: fn(&Breakdown) -> bool| -> Vec<Group> {
            breakdowns
                .iter()
                .copied()
                .filter(wanted)
                .map(|breakdown| Group { place, breakdown })
                .collect()
        };
        push(
            Group::all(place),
            split(|b| matches!(b, Breakdown::SchoolYear(_))),
        );
        push(
            Group::all(place),
            split(|b| matches!(b, Breakdown::Gender(_))),
        );
    }
    partitions
}
