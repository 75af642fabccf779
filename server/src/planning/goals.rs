//! Goals read back: each stored goal with its status by the latest released
//! wave, worded for the reader, and the table the planning page, the
//! dashboards, the report and the downloads all show.

use reports::{Cell, Language, Table};
use surveys::planning::{Goal, GoalStatus, Observation, Progress};
use surveys::wave::may_trend;
use surveys::{Breakdown, Group, Place, Release, Share};

use crate::dashboard::WHO;
use crate::dashboard::build::versions;
use crate::dashboard::waves::ShownWave;
use crate::entities::goal;

/// The four domains of the Icelandic model that actions work in, with their
/// stored keys.
pub const DOMAINS: [(&str, &str, &str); 4] = [
    ("parents", "Ouders", "Parents"),
    ("peers", "Vrienden", "Friends"),
    ("school", "School", "School"),
    ("leisure", "Vrije tijd", "Leisure time"),
];

pub fn domain_label(key: &str, language: Language) -> String {
    DOMAINS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, nl, en)| match language {
            Language::Nl => (*nl).to_owned(),
            Language::En => (*en).to_owned(),
        })
        .unwrap_or_else(|| key.to_owned())
}

/// The domain an indicator's goal is worked on in by default.
pub fn default_domain(domain: surveys::Domain) -> &'static str {
    match domain {
        surveys::Domain::Family => "parents",
        surveys::Domain::Peers => "peers",
        surveys::Domain::School => "school",
        surveys::Domain::Leisure => "leisure",
        surveys::Domain::Outcome | surveys::Domain::Wellbeing => "parents",
    }
}

pub fn breakdown_of(key: &str) -> Option<Breakdown> {
    WHO.iter().find(|(k, _)| *k == key).map(|(_, b)| *b)
}

/// A stored goal with its status.
pub struct GoalRow {
    pub goal: goal::Model,
    /// The indicator's label in the reader's language.
    pub label: String,
    pub progress: Progress,
    /// The checked goal; `None` when the stored numbers no longer make one
    /// (the indicator left the questionnaire).
    pub rule: Option<Goal>,
}

impl GoalRow {
    pub fn status(&self) -> GoalStatus {
        self.progress.status
    }
}

/// Each goal of `place` with its status by the waves up to `upto` (an index
/// into `waves`, the latest when `None`).
pub fn rows(
    goals: Vec<goal::Model>,
    waves: &[ShownWave],
    upto: Option<usize>,
    place: Place,
    language: Language,
) -> Vec<GoalRow> {
    let upto = upto.unwrap_or(waves.len().saturating_sub(1));
    let shown = waves.get(..=upto).unwrap_or(&[]);
    goals
        .into_iter()
        .map(|goal| {
            let indicator = shown
                .iter()
                .rev()
                .find_map(|w| w.questionnaire.indicator(&goal.indicator));
            let label = indicator
                .map(|i| i.label.get(language.code()).to_owned())
                .unwrap_or_else(|| goal.indicator.clone());
            let rule = indicator.and_then(|indicator| {
                let baseline = Share::new(
                    u64::try_from(goal.baseline_numerator).ok()?,
                    u64::try_from(goal.baseline_denominator).ok()?,
                )
                .ok()?;
                Goal::new(
                    baseline,
                    goal.baseline_year,
                    goal.target_percent,
                    goal.target_year,
                    indicator.direction,
                )
                .ok()
            });
            let progress = match rule {
                Some(rule) => rule.progress(observation(&goal, shown, place)),
                None => Progress {
                    status: GoalStatus::NotMeasurable,
                    year: None,
                    observed: None,
                    expected: None,
                    change: None,
                },
            };
            GoalRow {
                goal,
                label,
                progress,
                rule,
            }
        })
        .collect()
}

/// The goal's figure in the latest of `shown` after its baseline.
fn observation(goal: &goal::Model, shown: &[ShownWave], place: Place) -> Observation {
    let Some(latest) = shown.iter().rposition(|w| w.year > goal.baseline_year) else {
        return Observation::NoLaterWave;
    };
    let wave = &shown[latest];
    let start = shown
        .iter()
        .position(|w| w.id == goal.baseline_wave_id)
        .or_else(|| shown.iter().position(|w| w.year >= goal.baseline_year))
        .unwrap_or(latest);
    if !may_trend(&goal.indicator, &versions(&shown[start..=latest])) {
        return Observation::Incomparable { year: wave.year };
    }
    let Some(breakdown) = breakdown_of(&goal.breakdown) else {
        return Observation::Withheld { year: wave.year };
    };
    match wave
        .results
        .share(&Group::new(place, breakdown), &goal.indicator)
    {
        Some(Release::Released(share)) if share.denominator() > 0 => Observation::Released {
            year: wave.year,
            share,
        },
        _ => Observation::Withheld { year: wave.year },
    }
}

/// The words of goals in one language.
pub struct GoalWords(pub Language);

impl GoalWords {
    fn say(&self, nl: &str, en: &str) -> String {
        match self.0 {
            Language::Nl => nl.to_owned(),
            Language::En => en.to_owned(),
        }
    }

    fn percent(&self, value: f64) -> String {
        self.0.percent(value, reports::PERCENT_DECIMALS)
    }

    pub fn status(&self, status: GoalStatus) -> String {
        match status {
            GoalStatus::Achieved => self.say("bereikt", "achieved"),
            GoalStatus::OnCourse => self.say("op koers", "on course"),
            GoalStatus::OffCourse => self.say("niet op koers", "off course"),
            GoalStatus::TooEarly => self.say("te vroeg", "too early"),
            GoalStatus::NotMeasurable => self.say("niet meetbaar", "not measurable"),
        }
    }

    /// Why the goal has its status, in a sentence.
    pub fn reason(&self, row: &GoalRow) -> String {
        let p = &row.progress;
        let g = &row.goal;
        let target = self.percent(g.target_percent);
        let observed = p
            .observed
            .and_then(|s| s.percent().map(|v| self.percent(v)));
        let interval = p.observed.and_then(|s| s.wilson_interval()).map(|i| {
            format!(
                "{}–{}",
                self.percent(i.lower * 100.0),
                self.percent(i.upper * 100.0)
            )
        });
        let year = p.year.map(|y| y.to_string()).unwrap_or_default();
        let path = p.expected.map(|v| self.percent(v)).unwrap_or_default();
        let points = p
            .change
            .map(|c| format!("{:.1}", c.difference.points.abs()))
            .map(|n| match self.0 {
                Language::Nl => n.replace('.', ","),
                Language::En => n,
            })
            .unwrap_or_default();
        let (o, i) = (observed.unwrap_or_default(), interval.unwrap_or_default());
        match (self.0, p.status) {
            (Language::Nl, GoalStatus::Achieved) => format!(
                "{o} in {year}: het doel van {target} is gehaald, en de verandering van {points} procentpunt sinds {} is echt (significant en minstens 3 procentpunt).",
                g.baseline_year
            ),
            (Language::En, GoalStatus::Achieved) => format!(
                "{o} in {year}: the target of {target} is reached, and the change of {points} points since {} is real (significant and at least 3 points).",
                g.baseline_year
            ),
            (Language::Nl, GoalStatus::OnCourse) => format!(
                "{o} in {year} (95%-interval {i}) past bij de rechte lijn naar het doel, die in {year} op {path} ligt, of is beter."
            ),
            (Language::En, GoalStatus::OnCourse) => format!(
                "{o} in {year} (95% interval {i}) is consistent with the straight path to the target, which is at {path} in {year}, or better."
            ),
            (Language::Nl, GoalStatus::OffCourse) if p.year >= Some(g.target_year) => format!(
                "{o} in {year}: het doeljaar {} is bereikt zonder dat het doel van {target} met een echte verandering is gehaald.",
                g.target_year
            ),
            (Language::En, GoalStatus::OffCourse) if p.year >= Some(g.target_year) => format!(
                "{o} in {year}: the target year {} has come without the target of {target} being reached by a real change.",
                g.target_year
            ),
            (Language::Nl, GoalStatus::OffCourse) => format!(
                "{o} in {year} (95%-interval {i}) blijft achter bij de rechte lijn naar het doel, die in {year} op {path} ligt."
            ),
            (Language::En, GoalStatus::OffCourse) => format!(
                "{o} in {year} (95% interval {i}) falls short of the straight path to the target, which is at {path} in {year}."
            ),
            (Language::Nl, GoalStatus::TooEarly) => format!(
                "Er is nog geen peiling na {} gepubliceerd.",
                g.baseline_year
            ),
            (Language::En, GoalStatus::TooEarly) => {
                format!("No wave after {} has been released yet.", g.baseline_year)
            }
            (Language::Nl, GoalStatus::NotMeasurable) if row.rule.is_none() => {
                "Deze indicator is niet meer in de vragenlijst.".to_owned()
            }
            (Language::En, GoalStatus::NotMeasurable) if row.rule.is_none() => {
                "This indicator is no longer in the questionnaire.".to_owned()
            }
            (Language::Nl, GoalStatus::NotMeasurable) => format!(
                "Het cijfer van {year} wordt niet getoond (te weinig leerlingen, het beschermt een kleine groep, of de vraag is veranderd)."
            ),
            (Language::En, GoalStatus::NotMeasurable) => format!(
                "The figure of {year} is not shown (too few students, it protects a small group, or the question changed)."
            ),
        }
    }

    pub fn who(&self, key: &str) -> String {
        let words = crate::dashboard::build::Words(self.0);
        breakdown_of(key).map_or_else(|| key.to_owned(), |b| words.breakdown(b))
    }

    pub fn baseline(&self, g: &goal::Model) -> String {
        let share = Share::new(
            u64::try_from(g.baseline_numerator).unwrap_or(0),
            u64::try_from(g.baseline_denominator).unwrap_or(0),
        )
        .ok();
        let value = share
            .and_then(|s| s.percent())
            .map(|v| self.percent(v))
            .unwrap_or_default();
        format!(
            "{value} ({}, n = {})",
            g.baseline_year, g.baseline_denominator
        )
    }

    pub fn target(&self, g: &goal::Model) -> String {
        match self.0 {
            Language::Nl => format!("{} in {}", self.percent(g.target_percent), g.target_year),
            Language::En => format!("{} by {}", self.percent(g.target_percent), g.target_year),
        }
    }
}

/// The goals as a table: the same rows on the page, in the report and in the
/// downloads.
pub fn table(rows: &[GoalRow], language: Language, title: String) -> Table {
    let w = GoalWords(language);
    let columns = vec![
        w.say("Indicator", "Indicator"),
        w.say("Leerlingen", "Students"),
        w.say("Domein", "Domain"),
        w.say("Beginwaarde", "Baseline"),
        w.say("Doel", "Target"),
        w.say("Laatste cijfer %", "Latest figure %"),
        w.say("Peiling", "Wave"),
        w.say("Stand", "Status"),
        w.say("Waarom", "Why"),
        w.say("Onderbouwing", "Rationale"),
    ];
    let rows = rows
        .iter()
        .map(|row| {
            vec![
                Cell::Text(row.label.clone()),
                Cell::Text(w.who(&row.goal.breakdown)),
                Cell::Text(domain_label(&row.goal.domain, language)),
                Cell::Text(w.baseline(&row.goal)),
                Cell::Text(w.target(&row.goal)),
                row.progress
                    .observed
                    .and_then(|s| s.percent())
                    .map_or(Cell::Empty, Cell::Percent),
                row.progress
                    .year
                    .map_or(Cell::Empty, |y| Cell::Text(y.to_string())),
                Cell::Text(w.status(row.status())),
                Cell::Text(w.reason(row)),
                Cell::Text(row.goal.rationale.clone()),
            ]
        })
        .collect();
    Table {
        title,
        columns,
        rows,
    }
}
