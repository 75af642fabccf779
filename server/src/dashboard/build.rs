//! What one dashboard shows — tables, charts and key messages of a place for a
//! wave and a group of students — built from the waves' stored results only.
//!
//! The page, the printable report and the downloads are all drawn from the one
//! [`Dashboard`] built here, so their numbers cannot differ. Nothing here
//! decides whether a figure may be shown: a figure is released or suppressed as
//! the wave's results say, and a suppressed one is written as such everywhere.
//! Counts are figures too: respondents, response rates and exclusions are
//! written as `surveys` releases them ([`ResponseRate::shown_for`],
//! [`surveys::WaveResults::shown_exclusions`]).

use reports::charts::{self, Bar, BarChart, Chart, ProfileChart, ProfileRow, Series, TrendChart};
use reports::messages::{self, Subject};
use reports::{Cell, Estimate, Figure, Language, Table};
use surveys::wave::{ResponseRate, change, may_trend};
use surveys::{
    Breakdown, Change, Comparison, Direction, Domain, Gender, Group, Indicator, Place,
    Questionnaire, Release, SuppressionReason, ValidityFlag,
};

use super::waves::ShownWave;
use crate::planning::goals::GoalRow;

/// A place with a dashboard, as the viewer sees it named.
#[derive(Debug, Clone)]
pub struct Community {
    pub name: String,
    pub place: Place,
}

/// What the viewer chose: the wave (an index into the shown waves), the
/// students (everybody, one school year, one gender) and the indicator the
/// charts follow.
#[derive(Debug, Clone)]
pub struct Selection {
    pub wave: usize,
    pub breakdown: Breakdown,
    pub indicator: String,
}

/// Everything a dashboard is built from besides the waves.
pub struct Request<'a> {
    pub language: Language,
    pub community: Community,
    /// Larger places the community is compared with, each one the viewer may
    /// see as a reference (its municipality, the region).
    pub references: Vec<Community>,
    /// The places set side by side with the community for one indicator (the
    /// villages of a municipality, the municipalities of the region), only
    /// those the viewer may see. Empty: no such chart.
    pub neighbours: Vec<Community>,
    /// The reference the neighbours are drawn against.
    pub neighbours_reference: Option<Community>,
    /// Submitted and expected students of the community's schools per wave, by
    /// wave id, where classes were registered with sizes.
    pub response: &'a dyn Fn(i32) -> Option<ResponseRate>,
    pub synthetic: bool,
    pub selection: Selection,
    /// The place's goals with their status by the selected wave; `None` for
    /// a place that has no goals (the region).
    pub goals: Option<Vec<GoalRow>>,
}

/// A table with its stable name (download file names and anchors).
pub struct NamedTable {
    pub name: String,
    pub table: Table,
}

/// A chart and the table holding its numbers.
pub struct DrawnChart {
    pub svg: String,
    pub table: NamedTable,
}

pub struct DomainSection {
    pub heading: String,
    pub table: NamedTable,
    /// The indicator of each row, in row order.
    pub indicators: Vec<String>,
}

/// One dashboard, ready to be written as a page, a report or downloads.
pub struct Dashboard {
    pub title: String,
    pub wave_name: String,
    pub breakdown_label: String,
    pub respondents: Release<u64>,
    pub k: u32,
    pub messages: Vec<String>,
    pub domains: Vec<DomainSection>,
    pub trend: Option<DrawnChart>,
    pub neighbours: Option<DrawnChart>,
    pub profile: Option<DrawnChart>,
    pub response: NamedTable,
    pub exclusions: NamedTable,
    /// The place's goals and their progress, when it can have goals.
    pub goals: Option<NamedTable>,
    /// The status of each goal, in the goals table's row order.
    pub goal_statuses: Vec<(i32, surveys::planning::GoalStatus)>,
}

impl Dashboard {
    /// Every table, in page order.
    pub fn tables(&self) -> Vec<&NamedTable> {
        let mut tables: Vec<&NamedTable> = self.goals.iter().collect();
        tables.extend(self.domains.iter().map(|d| &d.table));
        for chart in [&self.trend, &self.neighbours, &self.profile]
            .into_iter()
            .flatten()
        {
            tables.push(&chart.table);
        }
        tables.push(&self.response);
        tables.push(&self.exclusions);
        tables
    }

    pub fn table(&self, name: &str) -> Option<&NamedTable> {
        self.tables().into_iter().find(|t| t.name == name)
    }
}

/// The words of the dashboards in one language.
pub struct Words(pub Language);

impl Words {
    fn say(&self, nl: &str, en: &str) -> String {
        match self.0 {
            Language::Nl => nl.to_owned(),
            Language::En => en.to_owned(),
        }
    }

    pub fn suppressed(&self, reason: SuppressionReason, k: u32) -> String {
        match (self.0, reason) {
            (Language::Nl, SuppressionReason::TooFewRespondents) => {
                format!("minder dan {k} respondenten")
            }
            (Language::En, SuppressionReason::TooFewRespondents) => {
                format!("fewer than {k} respondents")
            }
            (Language::Nl, SuppressionReason::TooFewAnswers) => {
                format!("minder dan {k} antwoorden")
            }
            (Language::En, SuppressionReason::TooFewAnswers) => format!("fewer than {k} answers"),
            (Language::Nl, SuppressionReason::AnswersTooAlike) => {
                "niet getoond: antwoorden te gelijk".to_owned()
            }
            (Language::En, SuppressionReason::AnswersTooAlike) => {
                "not shown: answers too alike".to_owned()
            }
            (Language::Nl, SuppressionReason::ProtectsAnotherFigure) => {
                "niet getoond: beschermt een kleine groep".to_owned()
            }
            (Language::En, SuppressionReason::ProtectsAnotherFigure) => {
                "not shown: protects a small group".to_owned()
            }
            (Language::Nl, SuppressionReason::ProtectsEarlierRelease) => {
                "niet getoond: beschermt naast een eerdere release".to_owned()
            }
            (Language::En, SuppressionReason::ProtectsEarlierRelease) => {
                "not shown: protects beside an earlier release".to_owned()
            }
        }
    }

    pub fn domain(&self, domain: Domain) -> String {
        match domain {
            Domain::Outcome => self.say("Middelengebruik", "Substance use"),
            Domain::Family => self.say("Gezin", "Family"),
            Domain::Peers => self.say("Vrienden", "Friends"),
            Domain::School => self.say("School", "School"),
            Domain::Leisure => self.say("Vrije tijd", "Leisure time"),
            Domain::Wellbeing => self.say("Welzijn", "Wellbeing"),
        }
    }

    pub fn direction(&self, direction: Direction) -> String {
        match direction {
            Direction::Outcome => self.say("gebruik", "use"),
            Direction::Risk => self.say("risicofactor", "risk factor"),
            Direction::Protective => self.say("beschermende factor", "protective factor"),
        }
    }

    pub fn breakdown(&self, breakdown: Breakdown) -> String {
        match breakdown {
            Breakdown::All => self.say("alle leerlingen", "all students"),
            Breakdown::SchoolYear(year) => match self.0 {
                Language::Nl => format!("leerjaar {year}"),
                Language::En => format!("school year {year}"),
            },
            Breakdown::Gender(Gender::Boy) => self.say("jongens", "boys"),
            Breakdown::Gender(Gender::Girl) => self.say("meisjes", "girls"),
            Breakdown::Gender(Gender::Other) => self.say("anders", "another gender"),
            Breakdown::Gender(Gender::Unknown) => self.say("geslacht onbekend", "gender not given"),
        }
    }

    /// A change in words: improved or worsened with its size, or "no clear
    /// change" — not "unchanged (−12 points)", which a reader takes for a
    /// contradiction: a difference that is not real says nothing either way.
    fn trend(&self, change: &Change) -> String {
        let word = match change.trend {
            surveys::Trend::Improved => self.say("verbeterd", "improved"),
            surveys::Trend::Worsened => self.say("verslechterd", "worsened"),
            surveys::Trend::Unchanged => {
                return self.say("geen duidelijke verandering", "no clear change");
            }
        };
        format!("{word} ({})", self.points(change.difference.points))
    }

    fn standing(&self, comparison: &Comparison) -> String {
        match comparison.standing {
            surveys::Standing::Better => self.say("beter", "better"),
            surveys::Standing::Worse => self.say("slechter", "worse"),
            surveys::Standing::NoRealDifference => {
                self.say("geen echt verschil", "no real difference")
            }
        }
    }

    /// A difference in percentage points, signed.
    fn points(&self, points: f64) -> String {
        // A difference that rounds to nothing has no sign: never "−0.0".
        let signed = format!("{points:+.1}");
        let number = match signed.as_str() {
            "+0.0" | "-0.0" => "0.0".to_owned(),
            _ => signed.replace('-', "−"),
        };
        match self.0 {
            Language::Nl => format!("{} procentpunt", number.replace('.', ",")),
            Language::En => format!("{number} points"),
        }
    }

    fn validity(&self, flag: ValidityFlag) -> String {
        match flag {
            ValidityFlag::FictitiousDrug => self.say(
                "noemde gebruik van een niet-bestaand middel",
                "reported using a drug that does not exist",
            ),
            ValidityFlag::RecentAboveLifetime => self.say(
                "recenter gebruik hoger dan ooit-gebruik",
                "recent use above lifetime use",
            ),
            ValidityFlag::AgeForSchoolYear => self.say(
                "leeftijd past niet bij het leerjaar",
                "age impossible for the school year",
            ),
            ValidityFlag::StraightLined => self.say(
                "een vragenblok helemaal in één kolom",
                "a question block answered all in one column",
            ),
            ValidityFlag::TooFast => self.say("veel te snel ingevuld", "completed far too fast"),
        }
    }
}

/// How a released or withheld share is drawn and tabled.
fn figure(release: Option<Release<surveys::Share>>) -> (Figure, Option<SuppressionReason>) {
    match release {
        Some(Release::Released(share)) => (
            Estimate::of(share).map_or(Figure::Missing, Figure::Released),
            None,
        ),
        Some(Release::Suppressed(reason)) => (Figure::Suppressed, Some(reason)),
        None => (Figure::Missing, None),
    }
}

/// The cells of one figure: percentage, interval ends and n — or the reason it
/// is withheld, in the first cell, the others left empty.
fn figure_cells(words: &Words, k: u32, release: Option<Release<surveys::Share>>) -> Vec<Cell> {
    match figure(release) {
        (Figure::Released(e), _) => vec![
            Cell::Percent(e.percent),
            Cell::Percent(e.low),
            Cell::Percent(e.high),
            Cell::Count(e.n),
        ],
        (_, Some(reason)) => vec![
            Cell::Suppressed(words.suppressed(reason, k)),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ],
        _ => vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty],
    }
}

fn figure_columns(words: &Words, whose: &str) -> Vec<String> {
    vec![
        format!("{whose} %"),
        words.say("95%-interval van", "95% interval from"),
        words.say("95%-interval tot", "95% interval to"),
        "n".to_owned(),
    ]
}

/// The questionnaires from one wave to another, each version once, as the
/// trend rules want them.
pub(crate) fn versions(waves: &[ShownWave]) -> Vec<&'static Questionnaire> {
    let mut versions: Vec<&'static Questionnaire> = Vec::new();
    for wave in waves {
        let same = versions.last().is_some_and(|last| {
            last.key() == wave.questionnaire.key() && last.version() == wave.questionnaire.version()
        });
        if !same {
            versions.push(wave.questionnaire);
        }
    }
    versions
}

fn change_between(
    waves: &[ShownWave],
    from: usize,
    to: usize,
    group: &Group,
    indicator: &str,
) -> Option<Release<Change>> {
    let span = waves.get(from..=to)?;
    change(
        &waves[from].results,
        &waves[to].results,
        &versions(span),
        group,
        indicator,
    )
}

fn change_cell(words: &Words, k: u32, change: Option<Release<Change>>) -> Cell {
    match change {
        Some(Release::Released(change)) => Cell::Text(words.trend(&change)),
        Some(Release::Suppressed(reason)) => Cell::Suppressed(words.suppressed(reason, k)),
        None => Cell::Empty,
    }
}

fn label(indicator: &Indicator, language: Language) -> String {
    indicator.label.get(language.code()).to_owned()
}

/// Builds the dashboard; `None` when there is no wave to show.
pub fn build(waves: &[ShownWave], request: &Request) -> Option<Dashboard> {
    let selection = &request.selection;
    let current = waves.get(selection.wave)?;
    let results = &current.results;
    let language = request.language;
    let words = Words(language);
    let k = results.threshold().get();
    let group = Group::new(request.community.place, selection.breakdown);
    let reference_groups: Vec<(&Community, Group)> = request
        .references
        .iter()
        .map(|r| (r, Group::new(r.place, selection.breakdown)))
        .collect();
    let previous = selection.wave.checked_sub(1);
    let first = (selection.wave > 0).then_some(0);
    let wave_label = |index: usize| waves[index].year.to_string();

    let mut domains: Vec<DomainSection> = Vec::new();
    let mut subjects_data = Vec::new();
    for indicator in current.questionnaire.indicators() {
        let key = indicator.key.as_str();
        let since_previous =
            previous.and_then(|p| change_between(waves, p, selection.wave, &group, key));
        let since_first = first.and_then(|f| change_between(waves, f, selection.wave, &group, key));
        let mut row = vec![Cell::Text(label(indicator, language))];
        row.extend(figure_cells(&words, k, results.share(&group, key)));
        row.push(change_cell(&words, k, since_previous));
        row.push(change_cell(&words, k, since_first));
        let mut against = None;
        for (reference, reference_group) in &reference_groups {
            let (reference_figure, reason) = figure(results.share(reference_group, key));
            row.push(match (reference_figure, reason) {
                (Figure::Released(e), _) => Cell::Percent(e.percent),
                (_, Some(reason)) => Cell::Suppressed(words.suppressed(reason, k)),
                _ => Cell::Empty,
            });
            let comparison = results.comparison(&group, reference_group, key);
            row.push(match comparison {
                Some(Release::Released(c)) => Cell::Text(words.standing(&c)),
                Some(Release::Suppressed(reason)) => Cell::Suppressed(words.suppressed(reason, k)),
                None => Cell::Empty,
            });
            // Key messages compare with the largest reference (the region), and
            // like every comparison here, with the rest of it.
            if let Some(Release::Released(c)) = comparison {
                against = Some((reference.name.clone(), c, true));
            }
        }
        subjects_data.push((
            label(indicator, language),
            indicator.direction,
            released(since_previous),
            released(since_first),
            against,
        ));
        let heading = words.domain(indicator.domain);
        let section = match domains.iter_mut().find(|d| d.heading == heading) {
            Some(section) => section,
            None => {
                let mut columns = vec![words.say("Indicator", "Indicator")];
                columns.extend(figure_columns(&words, &request.community.name));
                columns.push(match previous {
                    Some(p) => format!("{} {}", words.say("Sinds", "Since"), wave_label(p)),
                    None => words.say("Sinds vorige peiling", "Since the previous wave"),
                });
                columns.push(match first {
                    Some(f) => format!("{} {}", words.say("Sinds", "Since"), wave_label(f)),
                    None => words.say("Sinds eerste peiling", "Since the first wave"),
                });
                for (reference, _) in &reference_groups {
                    columns.push(format!("{} %", reference.name));
                    columns.push(format!(
                        "{} {}",
                        words.say("Vergeleken met", "Compared with"),
                        reference.name
                    ));
                }
                domains.push(DomainSection {
                    heading: heading.clone(),
                    table: NamedTable {
                        name: format!("domain-{}", domain_key(indicator.domain)),
                        table: Table {
                            title: heading,
                            columns,
                            rows: vec![],
                        },
                    },
                    indicators: vec![],
                });
                domains.last_mut()?
            }
        };
        section.table.table.rows.push(row);
        section.indicators.push(key.to_owned());
    }

    let previous_label = previous.map(wave_label);
    let first_label = first.map(wave_label);
    let subjects: Vec<Subject> = subjects_data
        .iter()
        .map(
            |(label, direction, since_previous, since_first, against)| Subject {
                label,
                direction: *direction,
                since_previous: since_previous
                    .zip(previous_label.as_deref())
                    .map(|(c, l)| (l, c)),
                since_first: since_first.zip(first_label.as_deref()).map(|(c, l)| (l, c)),
                against: against.as_ref().map(|(name, c, _)| (name.as_str(), *c)),
                against_rest: against.as_ref().is_some_and(|(_, _, rest)| *rest),
            },
        )
        .collect();
    let messages = messages::key_messages(language, &request.community.name, &subjects, 6);

    let note = request.synthetic.then(|| {
        words.say(
            "Synthetische gegevens (fictieve regio)",
            "Synthetic data (fictional region)",
        )
    });
    let indicator = current
        .questionnaire
        .indicator(&selection.indicator)
        .or_else(|| current.questionnaire.indicators().first())?;
    let trend = trend_chart(waves, request, &words, k, indicator, note.clone());
    let neighbours = neighbours_chart(current, request, &words, k, indicator, note.clone());
    let profile = profile_chart(current, request, &words, k, note);

    Some(Dashboard {
        title: request.community.name.clone(),
        wave_name: format!(
            "{} · {} {} ({})",
            current.name,
            words.say("release", "release"),
            current.release,
            current.released_at.format("%Y-%m-%d"),
        ),
        breakdown_label: words.breakdown(selection.breakdown),
        respondents: results
            .respondents(&group)
            .unwrap_or(Release::Suppressed(SuppressionReason::TooFewRespondents)),
        k,
        messages,
        domains,
        trend,
        neighbours,
        profile,
        response: response_table(waves, request, &words, &group),
        exclusions: exclusions_table(current, &words),
        goals: request.goals.as_ref().map(|rows| NamedTable {
            name: "goals".to_owned(),
            table: crate::planning::goals::table(
                rows,
                language,
                format!(
                    "{} — {}",
                    words.say("Doelen en hun voortgang", "Goals and their progress"),
                    request.community.name
                ),
            ),
        }),
        goal_statuses: request
            .goals
            .iter()
            .flatten()
            .map(|row| (row.goal.id, row.status()))
            .collect(),
    })
}

fn released<T: Copy>(release: Option<Release<T>>) -> Option<T> {
    match release {
        Some(Release::Released(value)) => Some(value),
        _ => None,
    }
}

fn domain_key(domain: Domain) -> &'static str {
    match domain {
        Domain::Outcome => "substance-use",
        Domain::Family => "family",
        Domain::Peers => "friends",
        Domain::School => "school",
        Domain::Leisure => "leisure",
        Domain::Wellbeing => "wellbeing",
    }
}

/// The indicator over every earlier wave it can be trended across, for the
/// community and its references.
fn trend_chart(
    waves: &[ShownWave],
    request: &Request,
    words: &Words,
    k: u32,
    indicator: &Indicator,
    note: Option<String>,
) -> Option<DrawnChart> {
    let selected = request.selection.wave;
    let key = indicator.key.as_str();
    let shown: Vec<usize> = (0..=selected)
        .filter(|&i| may_trend(key, &versions(&waves[i..=selected])))
        .collect();
    if shown.is_empty() {
        return None;
    }
    let mut communities = vec![&request.community];
    communities.extend(request.references.iter());
    let label = label(indicator, request.language);
    let mut columns = vec![words.say("Peiling", "Wave")];
    let mut series = Vec::new();
    let mut rows: Vec<Vec<Cell>> = shown
        .iter()
        .map(|&i| vec![Cell::Text(waves[i].year.to_string())])
        .collect();
    for community in communities {
        columns.extend(figure_columns(words, &community.name));
        let group = Group::new(community.place, request.selection.breakdown);
        let mut figures = Vec::new();
        for (row, &i) in rows.iter_mut().zip(&shown) {
            let release = waves[i].results.share(&group, key);
            figures.push(figure(release).0);
            row.extend(figure_cells(words, k, release));
        }
        series.push(Series {
            label: community.name.clone(),
            figures,
        });
    }
    let title = format!("{label} — {}", request.community.name);
    let mut axis: Vec<String> = shown.iter().map(|&i| waves[i].year.to_string()).collect();
    let goals = goal_lines(waves, &shown, request, key, words, &mut axis);
    let svg = charts::trend(&TrendChart {
        chart: Chart {
            id: format!("trend-{key}"),
            title: title.clone(),
            description: words.say(
                "Het aandeel per peiling met het 95%-interval als band; de tabel eronder geeft dezelfde cijfers.",
                "The share per wave with its 95% interval as a band; the table below gives the same numbers.",
            ),
            note,
            language: request.language,
        },
        waves: axis,
        series,
        suppressed_label: words.say("niet getoond", "not shown"),
        goals,
    });
    Some(DrawnChart {
        svg,
        table: NamedTable {
            name: "trend".to_owned(),
            table: Table {
                title,
                columns,
                rows,
            },
        },
    })
}

/// The goals on the charted indicator and group, each from its baseline to
/// its target; a target year after the last wave shown is added to the axis.
fn goal_lines(
    waves: &[ShownWave],
    shown: &[usize],
    request: &Request,
    key: &str,
    words: &Words,
    axis: &mut Vec<String>,
) -> Vec<charts::GoalLine> {
    let who = super::who_key(request.selection.breakdown);
    let mut lines = Vec::new();
    for row in request.goals.iter().flatten() {
        let goal = &row.goal;
        if goal.indicator != key || goal.breakdown != who {
            continue;
        }
        let Some(from) = shown
            .iter()
            .position(|&i| waves[i].id == goal.baseline_wave_id)
        else {
            continue;
        };
        let Some(baseline) = row.rule.and_then(|r| r.baseline().percent()) else {
            continue;
        };
        let to = match shown
            .iter()
            .position(|&i| waves[i].year >= goal.target_year)
        {
            Some(at) => at,
            None => {
                let label = goal.target_year.to_string();
                match axis.iter().position(|a| *a == label) {
                    Some(at) => at,
                    None => {
                        axis.push(label);
                        axis.len() - 1
                    }
                }
            }
        };
        let target = words
            .0
            .percent(goal.target_percent, reports::PERCENT_DECIMALS);
        lines.push(charts::GoalLine {
            label: match words.0 {
                Language::Nl => format!("Doel: {target} in {}", goal.target_year),
                Language::En => format!("Goal: {target} by {}", goal.target_year),
            },
            from: (from, baseline),
            to: (to, goal.target_percent),
        });
    }
    lines
}

/// The indicator in each neighbouring place (villages of the municipality,
/// municipalities of the region) in the selected wave.
fn neighbours_chart(
    current: &ShownWave,
    request: &Request,
    words: &Words,
    k: u32,
    indicator: &Indicator,
    note: Option<String>,
) -> Option<DrawnChart> {
    if request.neighbours.is_empty() {
        return None;
    }
    let key = indicator.key.as_str();
    let breakdown = request.selection.breakdown;
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    for neighbour in &request.neighbours {
        let release = current
            .results
            .share(&Group::new(neighbour.place, breakdown), key);
        bars.push(Bar {
            label: neighbour.name.clone(),
            figure: figure(release).0,
            highlighted: neighbour.place == request.community.place,
        });
        let mut row = vec![Cell::Text(neighbour.name.clone())];
        row.extend(figure_cells(words, k, release));
        rows.push(row);
    }
    let reference = request.neighbours_reference.as_ref().and_then(|r| {
        let release = current.results.share(&Group::new(r.place, breakdown), key);
        // The main village often bears the municipality's name: the line
        // says which of the two it is.
        let name = if request.neighbours.iter().any(|n| n.name == r.name) {
            format!("{} ({})", r.name, words.say("gemeente", "municipality"))
        } else {
            r.name.clone()
        };
        figure(release).0.released().map(|e| (name, e.percent))
    });
    let title = format!("{} — {}", label(indicator, request.language), current.name);
    let mut columns = vec![words.say("Plaats", "Place")];
    columns.extend(figure_columns(words, &label(indicator, request.language)));
    let svg = charts::side_by_side(&BarChart {
        chart: Chart {
            id: format!("places-{key}"),
            title: title.clone(),
            description: words.say(
                "Het aandeel per plaats met het 95%-interval; de tabel eronder geeft dezelfde cijfers.",
                "The share per place with its 95% interval; the table below gives the same numbers.",
            ),
            note,
            language: request.language,
        },
        bars,
        reference,
        suppressed_label: words.say("niet getoond", "not shown"),
    });
    Some(DrawnChart {
        svg,
        table: NamedTable {
            name: "places".to_owned(),
            table: Table {
                title,
                columns,
                rows,
            },
        },
    })
}

/// Risk and protective factors of the community against the region.
fn profile_chart(
    current: &ShownWave,
    request: &Request,
    words: &Words,
    k: u32,
    note: Option<String>,
) -> Option<DrawnChart> {
    let region = request
        .references
        .iter()
        .find(|r| r.place == Place::Region)?;
    let breakdown = request.selection.breakdown;
    let group = Group::new(request.community.place, breakdown);
    let region_group = Group::new(Place::Region, breakdown);
    let (mut risk, mut protective, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for indicator in current.questionnaire.indicators() {
        let key = indicator.key.as_str();
        let target = match indicator.direction {
            Direction::Risk => &mut risk,
            Direction::Protective => &mut protective,
            Direction::Outcome => continue,
        };
        let own = current.results.share(&group, key);
        let theirs = current.results.share(&region_group, key);
        target.push(ProfileRow {
            label: label(indicator, request.language),
            community: figure(own).0,
            reference: figure(theirs).0,
        });
        let mut row = vec![
            Cell::Text(label(indicator, request.language)),
            Cell::Text(words.direction(indicator.direction)),
        ];
        row.extend(figure_cells(words, k, own));
        row.extend(figure_cells(words, k, theirs));
        row.push(
            match current.results.comparison(&group, &region_group, key) {
                Some(Release::Released(c)) => Cell::Text(words.standing(&c)),
                Some(Release::Suppressed(reason)) => Cell::Suppressed(words.suppressed(reason, k)),
                None => Cell::Empty,
            },
        );
        rows.push(row);
    }
    let title = format!(
        "{}: {} — {}",
        words.say(
            "Risico- en beschermende factoren",
            "Risk and protective factors"
        ),
        request.community.name,
        region.name
    );
    let mut columns = vec![
        words.say("Indicator", "Indicator"),
        words.say("Soort", "Kind"),
    ];
    columns.extend(figure_columns(words, &request.community.name));
    columns.extend(figure_columns(words, &region.name));
    columns.push(format!(
        "{} {}",
        words.say("Vergeleken met", "Compared with"),
        region.name
    ));
    let svg = charts::profile(&ProfileChart {
        chart: Chart {
            id: "profile".to_owned(),
            title: title.clone(),
            description: words.say(
                "Per factor het aandeel in deze plaats (punt met 95%-interval) en in de regio (streep); de tabel eronder geeft dezelfde cijfers.",
                "For each factor the share in this place (dot with 95% interval) and in the region (mark); the table below gives the same numbers.",
            ),
            note,
            language: request.language,
        },
        community_label: request.community.name.clone(),
        reference_label: region.name.clone(),
        risk,
        protective,
        risk_heading: words.say("Risicofactoren (lager is beter)", "Risk factors (lower is better)"),
        protective_heading: words.say(
            "Beschermende factoren (hoger is beter)",
            "Protective factors (higher is better)",
        ),
        suppressed_label: words.say("niet getoond", "not shown"),
    });
    Some(DrawnChart {
        svg,
        table: NamedTable {
            name: "profile".to_owned(),
            table: Table {
                title,
                columns,
                rows,
            },
        },
    })
}

/// A count as a table shows it: its number, or the words for why it is not
/// shown under the wave's `k`.
fn count_cell(words: &Words, k: u32, release: Release<u64>) -> Cell {
    match release {
        Release::Released(n) => Cell::Count(n),
        Release::Suppressed(reason) => Cell::Suppressed(words.suppressed(reason, k)),
    }
}

/// Per wave up to the selected one: responses, exclusions by the validity
/// screen, the respondents of this group, and the response rate where classes
/// were registered with their sizes — each count as that wave's release allows,
/// worded with that wave's `k`.
fn response_table(
    waves: &[ShownWave],
    request: &Request,
    words: &Words,
    group: &Group,
) -> NamedTable {
    let rows = waves[..=request.selection.wave]
        .iter()
        .map(|wave| {
            let k = wave.results.threshold().get();
            let exclusions = wave.results.shown_exclusions();
            // A group without a valid respondent is smaller than k, not a
            // number to print: its 0 would tell who is not in it.
            let respondents = wave
                .results
                .respondents(group)
                .unwrap_or(Release::Suppressed(SuppressionReason::TooFewRespondents));
            let rate = match (request.response)(wave.id)
                .map(|rate| rate.shown_for(&wave.results, request.community.place))
            {
                Some(Release::Released(rate)) => rate.percent().map_or(Cell::Empty, Cell::Percent),
                Some(Release::Suppressed(reason)) => Cell::Suppressed(words.suppressed(reason, k)),
                None => Cell::Empty,
            };
            vec![
                Cell::Text(wave.name.clone()),
                count_cell(words, k, exclusions.submitted),
                count_cell(words, k, exclusions.excluded),
                count_cell(words, k, exclusions.counted),
                count_cell(words, k, respondents),
                rate,
            ]
        })
        .collect();
    NamedTable {
        name: "response".to_owned(),
        table: Table {
            title: words.say("Respons en uitsluitingen", "Response and exclusions"),
            columns: vec![
                words.say("Peiling", "Wave"),
                words.say("Ingevuld (hele regio)", "Submitted (whole region)"),
                words.say("Uitgesloten na controle", "Excluded by the validity screen"),
                words.say("Geteld (hele regio)", "Counted (whole region)"),
                format!(
                    "{} — {}",
                    request.community.name,
                    words.breakdown(request.selection.breakdown)
                ),
                words.say(
                    "Respons van aangemelde klassen %",
                    "Response of registered classes %",
                ),
            ],
            rows,
        },
    }
}

/// Why responses of the selected wave were left out, per reason, each count
/// as the wave's release allows.
fn exclusions_table(current: &ShownWave, words: &Words) -> NamedTable {
    let k = current.results.threshold().get();
    let rows = current
        .results
        .shown_exclusions()
        .by_reason
        .into_iter()
        .map(|(flag, count)| {
            vec![
                Cell::Text(words.validity(flag)),
                count_cell(words, k, count),
            ]
        })
        .collect();
    NamedTable {
        name: "exclusions".to_owned(),
        table: Table {
            title: format!(
                "{} — {}",
                words.say(
                    "Uitgesloten antwoorden per reden",
                    "Excluded responses by reason"
                ),
                current.name
            ),
            columns: vec![
                words.say("Reden", "Reason"),
                words.say(
                    "Aantal (één lijst kan meer redenen hebben)",
                    "Number (one response can have several reasons)",
                ),
            ],
            rows,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_that_rounds_to_nothing_has_no_sign() {
        let nl = Words(Language::Nl);
        let en = Words(Language::En);
        assert_eq!(nl.points(-0.04), "0,0 procentpunt");
        assert_eq!(en.points(0.04), "0.0 points");
        assert_eq!(en.points(-3.84), "−3.8 points");
        assert_eq!(nl.points(12.25), "+12,2 procentpunt");
    }
}
