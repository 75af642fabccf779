//! Reading a questionnaire file and checking everything in it.
//!
//! The file is read into "raw" types that mirror the TOML and keep the span of
//! every value; the checks then walk them, collecting every problem with its line
//! before giving up, so a questionnaire author fixes a file in one round.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::routing::{Condition, ConditionTest};
use super::{
    AgeRule, AnswerCode, AnswerOption, Coverage, Indicator, Item, ItemKey, ItemKind, Language,
    Problem, Questionnaire, Scale, Section, Slot, Statement, Text, TextDirection, ValidityRules,
};
use crate::indicator::{Direction, Domain};

/// The languages every text must have: the product's own languages.
pub(super) const REQUIRED_LANGUAGES: [&str; 2] = ["nl", super::FALLBACK_LANGUAGE];

type RawText = Spanned<BTreeMap<Spanned<String>, Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    questionnaire: RawHeader,
    languages: Spanned<BTreeMap<Spanned<String>, RawLanguage>>,
    intro: RawText,
    #[serde(default)]
    scales: BTreeMap<Spanned<String>, RawScale>,
    #[serde(default)]
    sections: Vec<RawSection>,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
    validity: RawValidity,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    key: Spanned<String>,
    version: u32,
    items: Spanned<usize>,
    minutes: u32,
    #[serde(default)]
    unchanged: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    coverage: Coverage,
    #[serde(default)]
    direction: TextDirection,
    reviewed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    options: Vec<RawOption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    code: Spanned<AnswerCode>,
    text: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    key: Spanned<String>,
    title: RawText,
    show_if: Option<Spanned<RawCondition>>,
    #[serde(default)]
    items: Vec<RawItem>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    Choice,
    Number,
    Village,
    Matrix,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    key: Spanned<String>,
    kind: Spanned<RawKind>,
    text: RawText,
    #[serde(default)]
    required: bool,
    show_if: Option<Spanned<RawCondition>>,
    scale: Option<Spanned<String>>,
    min: Option<Spanned<AnswerCode>>,
    max: Option<Spanned<AnswerCode>>,
    elsewhere: Option<Spanned<RawOption>>,
    #[serde(default)]
    statements: Vec<RawStatement>,
    straight_lining_check: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatement {
    key: Spanned<String>,
    text: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    item: Spanned<String>,
    any_of: Option<Vec<AnswerCode>>,
    none_of: Option<Vec<AnswerCode>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    key: Spanned<String>,
    label: RawText,
    domain: Domain,
    direction: Direction,
    item: Spanned<String>,
    numerator: Spanned<Vec<AnswerCode>>,
    #[serde(default)]
    not_shown_counts_as_no: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidity {
    fastest_plausible_seconds: u32,
    fictitious: Option<RawFictitious>,
    #[serde(default)]
    recent_within_lifetime: Vec<RawUsePair>,
    age_for_school_year: Option<RawAgeRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFictitious {
    item: Spanned<String>,
    used: Spanned<Vec<AnswerCode>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUsePair {
    lifetime: Spanned<String>,
    recent: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgeRule {
    age: Spanned<String>,
    school_year: Spanned<String>,
    years: Vec<RawYearAges>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYearAges {
    year: Spanned<AnswerCode>,
    youngest: AnswerCode,
    oldest: Spanned<AnswerCode>,
}

/// Collects problems with their lines.
struct Report<'a> {
    file: &'a str,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Report<'_> {
    fn line_of(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        1 + self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }

    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let line = self.line_of(&span);
        self.at_line(line, message);
    }

    fn at_line(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            line,
            message: message.into(),
        });
    }
}

/// What the checks know about an answerable key while the file is being read.
struct Known {
    slot: Slot,
    line: usize,
    /// `None` when the item itself is broken: no further complaints about its codes.
    answers: Option<Answerable>,
    required: bool,
}

#[derive(Clone)]
enum Answerable {
    Codes {
        scale: String,
        codes: BTreeSet<AnswerCode>,
    },
    Number {
        min: AnswerCode,
        max: AnswerCode,
    },
    Village,
}

impl Answerable {
    fn accepts(&self, code: AnswerCode) -> bool {
        match self {
            Answerable::Codes { codes, .. } => codes.contains(&code),
            Answerable::Number { min, max } => (*min..=*max).contains(&code),
            Answerable::Village => false,
        }
    }
}

pub(super) fn load(file_name: &str, text: &str) -> Result<Questionnaire, Vec<Problem>> {
    let mut report = Report {
        file: file_name,
        text,
        problems: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            report.at(
                error.span().unwrap_or(0..0),
                error.message().trim().to_owned(),
            );
            return Err(report.problems);
        }
    };
    let mut checker = Checker {
        report,
        languages: Vec::new(),
        used_scales: BTreeSet::new(),
        scales: BTreeMap::new(),
        known: BTreeMap::new(),
        group_keys: BTreeMap::new(),
    };
    let questionnaire = checker.check(raw);
    let mut problems = checker.report.problems;
    if problems.is_empty() {
        Ok(questionnaire)
    } else {
        problems.sort_by_key(|problem| problem.line);
        Err(problems)
    }
}

struct Checker<'a> {
    report: Report<'a>,
    languages: Vec<Language>,
    scales: BTreeMap<String, Scale>,
    used_scales: BTreeSet<String>,
    known: BTreeMap<String, Known>,
    /// Matrix keys: not answerable, but they share the namespace of item keys.
    group_keys: BTreeMap<String, usize>,
}

fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn codes_text(codes: &BTreeSet<AnswerCode>) -> String {
    let codes: Vec<String> = codes.iter().map(ToString::to_string).collect();
    codes.join(", ")
}

impl Checker<'_> {
    fn check(&mut self, raw: RawFile) -> Questionnaire {
        self.check_languages(&raw.languages);
        let intro = self.text(&raw.intro, "the intro", true);
        self.check_scales(&raw.scales);
        let sections = self.check_sections(&raw.sections);
        let routes_ok = self.check_routes(&raw.sections);
        if routes_ok {
            self.check_reachable(&sections);
        }
        let indicators = self.check_indicators(&raw.indicators, &sections, routes_ok);
        let validity = self.check_validity(&raw.validity);
        for (key, _) in raw
            .scales
            .iter()
            .filter(|(key, _)| !self.used_scales.contains(key.get_ref()))
        {
            self.report.at(
                key.span(),
                format!("scale `{}` is never used", key.get_ref()),
            );
        }
        let header = &raw.questionnaire;
        if !is_valid_key(header.key.get_ref()) {
            self.bad_key(&header.key);
        }
        let count = self.known.len();
        if *header.items.get_ref() != count {
            self.report.at(
                header.items.span(),
                format!(
                    "the file says it has {} items, but it has {count} (every matrix statement counts)",
                    header.items.get_ref()
                ),
            );
        }
        let mut unchanged = BTreeSet::new();
        for key in &header.unchanged {
            if self.known.contains_key(key.get_ref()) {
                unchanged.insert(ItemKey::new(key.get_ref()));
            } else {
                self.report.at(
                    key.span(),
                    format!("`unchanged` names unknown item `{}`", key.get_ref()),
                );
            }
        }
        let slots = self
            .known
            .iter()
            .map(|(key, known)| (ItemKey::new(key), known.slot))
            .collect();
        Questionnaire {
            file_name: self.report.file.to_owned(),
            key: header.key.get_ref().clone(),
            version: header.version,
            minutes: header.minutes,
            languages: std::mem::take(&mut self.languages),
            intro,
            sections,
            indicators,
            validity,
            unchanged,
            slots,
        }
    }

    fn bad_key(&mut self, key: &Spanned<String>) {
        self.report.at(
            key.span(),
            format!(
                "key `{}` must consist of lower-case letters, digits and `_`",
                key.get_ref()
            ),
        );
    }

    fn check_languages(&mut self, raw: &Spanned<BTreeMap<Spanned<String>, RawLanguage>>) {
        for (code, language) in raw.get_ref() {
            self.languages.push(Language {
                code: code.get_ref().clone(),
                name: language.name.clone(),
                coverage: language.coverage,
                direction: language.direction,
                reviewed: language.reviewed,
            });
        }
        for required in REQUIRED_LANGUAGES {
            let complete = raw
                .get_ref()
                .get(required)
                .is_some_and(|language| language.coverage == Coverage::Complete);
            if !complete {
                self.report.at(
                    raw.span(),
                    format!("language `{required}` must be listed with coverage \"complete\""),
                );
            }
        }
    }

    /// Checks one text's translations and turns it into a [`Text`].
    fn text(&mut self, raw: &RawText, what: &str, student_facing: bool) -> Text {
        let mut text = BTreeMap::new();
        for (language, words) in raw.get_ref() {
            if !self.languages.iter().any(|l| &l.code == language.get_ref()) {
                self.report.at(
                    language.span(),
                    format!(
                        "{what} has text in `{}`, which is not a listed language",
                        language.get_ref()
                    ),
                );
            }
            if words.get_ref().trim().is_empty() {
                self.report.at(
                    words.span(),
                    format!("{what} has an empty `{}` text", language.get_ref()),
                );
            }
            text.insert(language.get_ref().clone(), words.get_ref().clone());
        }
        let needed: Vec<String> = self
            .languages
            .iter()
            .filter(|l| student_facing || l.coverage == Coverage::Complete)
            .map(|l| l.code.clone())
            .collect();
        for language in needed {
            if !text.contains_key(&language) {
                self.report.at(
                    raw.span(),
                    format!("missing translation: {what} has no `{language}` text"),
                );
            }
        }
        Text(text)
    }

    fn options(&mut self, raw: &[RawOption], what: &str) -> Vec<AnswerOption> {
        let mut seen: BTreeMap<AnswerCode, usize> = BTreeMap::new();
        let mut options = Vec::new();
        for option in raw {
            let code = *option.code.get_ref();
            let line = self.report.line_of(&option.code.span());
            if let Some(first) = seen.insert(code, line) {
                self.report.at(
                    option.code.span(),
                    format!("duplicate code {code} in {what} (first used on line {first})"),
                );
            }
            let text = self.text(&option.text, &format!("option {code} of {what}"), true);
            options.push(AnswerOption { code, text });
        }
        options
    }

    fn check_scales(&mut self, raw: &BTreeMap<Spanned<String>, RawScale>) {
        for (key, scale) in raw {
            if !is_valid_key(key.get_ref()) {
                self.bad_key(key);
            }
            let what = format!("scale `{}`", key.get_ref());
            if scale.options.is_empty() {
                self.report.at(key.span(), format!("{what} has no options"));
            }
            let options = self.options(&scale.options, &what);
            self.scales.insert(
                key.get_ref().clone(),
                Scale {
                    key: key.get_ref().clone(),
                    options,
                },
            );
        }
    }

    /// Claims an item key; reports it when already taken.
    fn claim(&mut self, key: &Spanned<String>) -> bool {
        if !is_valid_key(key.get_ref()) {
            self.bad_key(key);
        }
        let first = self
            .known
            .get(key.get_ref())
            .map(|known| known.line)
            .or_else(|| self.group_keys.get(key.get_ref()).copied());
        if let Some(first) = first {
            self.report.at(
                key.span(),
                format!(
                    "duplicate key `{}` (first used on line {first})",
                    key.get_ref()
                ),
            );
            return false;
        }
        true
    }

    fn scale(&mut self, item: &RawItem) -> Option<Scale> {
        let Some(name) = &item.scale else {
            self.report.at(
                item.key.span(),
                format!("item `{}` needs a `scale`", item.key.get_ref()),
            );
            return None;
        };
        self.used_scales.insert(name.get_ref().clone());
        let scale = self.scales.get(name.get_ref()).cloned();
        if scale.is_none() {
            self.report.at(
                name.span(),
                format!(
                    "item `{}` uses unknown scale `{}`",
                    item.key.get_ref(),
                    name.get_ref()
                ),
            );
        }
        scale
    }

    /// Reports fields that a kind of item does not use, so a typo'd kind does not
    /// silently lose its settings.
    fn reject_foreign_fields(&mut self, item: &RawItem, kind: RawKind) {
        let key = item.key.get_ref();
        let mut foreign = Vec::new();
        if kind != RawKind::Choice
            && kind != RawKind::Matrix
            && let Some(scale) = &item.scale
        {
            foreign.push((scale.span(), "scale"));
        }
        if kind != RawKind::Number {
            if let Some(min) = &item.min {
                foreign.push((min.span(), "min"));
            }
            if let Some(max) = &item.max {
                foreign.push((max.span(), "max"));
            }
        }
        if kind != RawKind::Village
            && let Some(elsewhere) = &item.elsewhere
        {
            foreign.push((elsewhere.span(), "elsewhere"));
        }
        if kind != RawKind::Matrix {
            if let Some(check) = &item.straight_lining_check {
                foreign.push((check.span(), "straight_lining_check"));
            }
            if let Some(statement) = item.statements.first() {
                foreign.push((statement.key.span(), "statements"));
            }
        }
        for (span, field) in foreign {
            self.report.at(
                span,
                format!("`{field}` does not apply to item `{key}`, which is not of that kind"),
            );
        }
    }

    fn check_sections(&mut self, raw: &[RawSection]) -> Vec<Section> {
        let mut section_lines: BTreeMap<String, usize> = BTreeMap::new();
        let mut sections = Vec::new();
        for (section_index, raw_section) in raw.iter().enumerate() {
            let key = raw_section.key.get_ref();
            let line = self.report.line_of(&raw_section.key.span());
            if !is_valid_key(key) {
                self.bad_key(&raw_section.key);
            }
            if let Some(first) = section_lines.insert(key.clone(), line) {
                self.report.at(
                    raw_section.key.span(),
                    format!("duplicate section key `{key}` (first used on line {first})"),
                );
            }
            if raw_section.items.is_empty() {
                self.report.at(
                    raw_section.key.span(),
                    format!("section `{key}` has no items"),
                );
            }
            let title = self.text(
                &raw_section.title,
                &format!("the title of section `{key}`"),
                true,
            );
            let items = raw_section
                .items
                .iter()
                .enumerate()
                .map(|(item_index, raw_item)| self.item(raw_item, section_index, item_index))
                .collect();
            sections.push(Section {
                key: key.clone(),
                title,
                show_if: raw_section
                    .show_if
                    .as_ref()
                    .and_then(|c| condition(c.get_ref())),
                items,
                line,
            });
        }
        sections
    }

    fn item(&mut self, raw: &RawItem, section: usize, index: usize) -> Item {
        let key = raw.key.get_ref().clone();
        let line = self.report.line_of(&raw.key.span());
        let kind = *raw.kind.get_ref();
        let claimed = self.claim(&raw.key);
        self.reject_foreign_fields(raw, kind);
        let text = self.text(&raw.text, &format!("item `{key}`"), true);
        let slot = Slot {
            section,
            item: index,
            statement: None,
        };
        let (item_kind, answerable) = match kind {
            RawKind::Choice => {
                let scale = self.scale(raw);
                let answerable = scale.as_ref().map(|scale| Answerable::Codes {
                    scale: scale.key.clone(),
                    codes: scale.options.iter().map(|o| o.code).collect(),
                });
                let scale = scale.unwrap_or_else(|| Scale {
                    key: String::new(),
                    options: Vec::new(),
                });
                (ItemKind::Choice { scale }, answerable)
            }
            RawKind::Number => match (&raw.min, &raw.max) {
                (Some(min), Some(max)) if min.get_ref() <= max.get_ref() => {
                    let (min, max) = (*min.get_ref(), *max.get_ref());
                    (
                        ItemKind::Number { min, max },
                        Some(Answerable::Number { min, max }),
                    )
                }
                (Some(min), Some(_)) => {
                    self.report
                        .at(min.span(), format!("item `{key}` has `min` above `max`"));
                    (ItemKind::Number { min: 0, max: 0 }, None)
                }
                _ => {
                    self.report.at(
                        raw.key.span(),
                        format!("number item `{key}` needs `min` and `max`"),
                    );
                    (ItemKind::Number { min: 0, max: 0 }, None)
                }
            },
            RawKind::Village => {
                let elsewhere = match &raw.elsewhere {
                    Some(option) => {
                        let what = format!("item `{key}`");
                        self.options(std::slice::from_ref(option.get_ref()), &what)
                            .pop()
                    }
                    None => {
                        self.report.at(
                            raw.key.span(),
                            format!("village item `{key}` needs an `elsewhere` option"),
                        );
                        None
                    }
                };
                let elsewhere = elsewhere.unwrap_or(AnswerOption {
                    code: 0,
                    text: Text::default(),
                });
                (ItemKind::Village { elsewhere }, Some(Answerable::Village))
            }
            RawKind::Matrix => {
                let scale = self.scale(raw);
                let answerable = scale.as_ref().map(|scale| Answerable::Codes {
                    scale: scale.key.clone(),
                    codes: scale.options.iter().map(|o| o.code).collect(),
                });
                if raw.statements.len() < 2 {
                    self.report.at(
                        raw.key.span(),
                        format!("matrix `{key}` needs at least two statements"),
                    );
                }
                if claimed {
                    self.group_keys.insert(key.clone(), line);
                }
                let mut statements = Vec::new();
                for (position, statement) in raw.statements.iter().enumerate() {
                    let statement_key = statement.key.get_ref().clone();
                    let statement_line = self.report.line_of(&statement.key.span());
                    if self.claim(&statement.key) {
                        self.known.insert(
                            statement_key.clone(),
                            Known {
                                slot: Slot {
                                    statement: Some(position),
                                    ..slot
                                },
                                line: statement_line,
                                answers: answerable.clone(),
                                required: raw.required,
                            },
                        );
                    }
                    let text = self.text(
                        &statement.text,
                        &format!("statement `{statement_key}` of matrix `{key}`"),
                        true,
                    );
                    statements.push(Statement {
                        key: ItemKey::new(statement_key),
                        text,
                        line: statement_line,
                    });
                }
                let scale = scale.unwrap_or_else(|| Scale {
                    key: String::new(),
                    options: Vec::new(),
                });
                let kind = ItemKind::Matrix {
                    scale,
                    statements,
                    straight_lining_check: raw
                        .straight_lining_check
                        .as_ref()
                        .is_none_or(|check| *check.get_ref()),
                };
                // The matrix key itself is not answerable: only its statements are.
                return Item {
                    key: ItemKey::new(key),
                    text,
                    kind,
                    required: raw.required,
                    show_if: raw.show_if.as_ref().and_then(|c| condition(c.get_ref())),
                    line,
                };
            }
        };
        if claimed {
            self.known.insert(
                key.clone(),
                Known {
                    slot,
                    line,
                    answers: answerable,
                    required: raw.required,
                },
            );
        }
        Item {
            key: ItemKey::new(key),
            text,
            kind: item_kind,
            required: raw.required,
            show_if: raw.show_if.as_ref().and_then(|c| condition(c.get_ref())),
            line,
        }
    }

    /// Checks every route; true when all of them are sound enough to reason about
    /// reachability (they name earlier, answerable items).
    fn check_routes(&mut self, raw: &[RawSection]) -> bool {
        let before = self.report.problems.len();
        for (section_index, section) in raw.iter().enumerate() {
            if let Some(route) = &section.show_if {
                let owner = format!("section `{}`", section.key.get_ref());
                let limit = Slot {
                    section: section_index,
                    item: 0,
                    statement: None,
                };
                self.check_route(route, &owner, limit);
            }
            for (item_index, item) in section.items.iter().enumerate() {
                if let Some(route) = &item.show_if {
                    let owner = format!("item `{}`", item.key.get_ref());
                    let limit = Slot {
                        section: section_index,
                        item: item_index,
                        statement: None,
                    };
                    self.check_route(route, &owner, limit);
                }
            }
        }
        self.report.problems.len() == before
    }

    /// One route: it must name an answerable item before `limit`, and codes it has.
    fn check_route(&mut self, route: &Spanned<RawCondition>, owner: &str, limit: Slot) {
        let raw = route.get_ref();
        let target = raw.item.get_ref();
        match (&raw.any_of, &raw.none_of) {
            (Some(_), None) | (None, Some(_)) => {}
            _ => self.report.at(
                route.span(),
                format!("the route of {owner} needs exactly one of `any_of` and `none_of`"),
            ),
        }
        let codes = raw.any_of.as_ref().or(raw.none_of.as_ref());
        if codes.is_some_and(Vec::is_empty) {
            self.report
                .at(route.span(), format!("the route of {owner} lists no codes"));
        }
        let Some(known) = self.known.get(target) else {
            let message = if self.group_keys.contains_key(target) {
                format!("the route of {owner} names matrix `{target}`; name one of its statements")
            } else {
                format!("the route of {owner} names unknown item `{target}`")
            };
            self.report.at(raw.item.span(), message);
            return;
        };
        if known.slot >= limit {
            self.report.at(
                raw.item.span(),
                format!("the route of {owner} names `{target}`, which does not come before it; routes can only look back"),
            );
        }
        match known.answers.clone() {
            Some(Answerable::Village) => self.report.at(
                raw.item.span(),
                format!("the route of {owner} depends on village item `{target}`, whose options are only known when the survey runs"),
            ),
            Some(answerable) => {
                for code in codes.into_iter().flatten().filter(|c| !answerable.accepts(**c)) {
                    self.report.at(
                        route.span(),
                        format!("the route of {owner} names code {code}, which item `{target}` does not have"),
                    );
                }
            }
            None => {}
        }
    }

    /// Reports sections and items that no combination of answers can show.
    fn check_reachable(&mut self, sections: &[Section]) {
        for section in sections {
            if let Some(blocked) = self.unsatisfiable(sections, section.show_if.iter()) {
                self.report.at_line(
                    section.line,
                    format!(
                        "section `{}` can never be shown: its route needs an answer to `{blocked}` that no student can give",
                        section.key
                    ),
                );
                continue;
            }
            for item in &section.items {
                if item.show_if.is_none() {
                    continue;
                }
                let routes = section.show_if.iter().chain(item.show_if.iter());
                if let Some(blocked) = self.unsatisfiable(sections, routes) {
                    self.report.at_line(
                        item.line,
                        format!(
                            "item `{}` can never be shown: its route needs an answer to `{blocked}` that no student can give",
                            item.key
                        ),
                    );
                }
            }
        }
    }

    /// Whether some answers satisfy all `routes` and, recursively, the routes that
    /// show the items they depend on. Returns the item whose answer cannot be
    /// given, if any.
    ///
    /// Every condition restricts a single item's answer, so the conditions on
    /// one item are satisfiable together exactly when some answer (or a skip)
    /// passes all of them. Values no condition names behave alike, so one stands
    /// for all of them.
    fn unsatisfiable<'c>(
        &self,
        sections: &'c [Section],
        routes: impl Iterator<Item = &'c Condition>,
    ) -> Option<String> {
        let mut on_item: BTreeMap<&str, Vec<&ConditionTest>> = BTreeMap::new();
        for condition in self.route_chain(sections, routes) {
            on_item
                .entry(condition.item.as_str())
                .or_default()
                .push(&condition.test);
        }
        on_item.into_iter().find_map(|(item, tests)| {
            let known = self.known.get(item)?;
            let possible = possible_answers(known, &tests);
            let passes = |answer: &Option<Option<AnswerCode>>| {
                tests.iter().all(|test| match answer {
                    Some(code) => test.passes(*code),
                    // A value no test names: fails `any_of`, passes `none_of`.
                    None => matches!(test, ConditionTest::NoneOf(_)),
                })
            };
            (!possible.iter().any(passes)).then(|| item.to_owned())
        })
    }

    /// `routes` together with the routes that show the items they depend on, and
    /// so on back to the start. Only called once routes are known to look back,
    /// so this ends.
    fn route_chain<'c>(
        &self,
        sections: &'c [Section],
        routes: impl Iterator<Item = &'c Condition>,
    ) -> Vec<&'c Condition> {
        let mut pending: Vec<&Condition> = routes.collect();
        let mut chain = Vec::new();
        let mut seen_owners: BTreeSet<Slot> = BTreeSet::new();
        while let Some(condition) = pending.pop() {
            chain.push(condition);
            let Some(known) = self.known.get(condition.item.as_str()) else {
                continue;
            };
            let owner = Slot {
                statement: None,
                ..known.slot
            };
            if seen_owners.insert(owner) {
                let section = &sections[owner.section];
                pending.extend(section.show_if.as_ref());
                pending.extend(section.items[owner.item].show_if.as_ref());
            }
        }
        chain
    }
}

/// The distinct answers an item can get, as far as `tests` can tell them apart:
/// `Some(Some(code))` for a named code, `Some(None)` for a skip, `None` for any
/// value no test names.
fn possible_answers(known: &Known, tests: &[&ConditionTest]) -> Vec<Option<Option<AnswerCode>>> {
    let named: BTreeSet<AnswerCode> = tests
        .iter()
        .flat_map(|t| t.codes().iter().copied())
        .collect();
    let mut possible: Vec<Option<Option<AnswerCode>>> = Vec::new();
    if !known.required {
        possible.push(Some(None));
    }
    match &known.answers {
        Some(answerable @ Answerable::Codes { codes, .. }) => {
            possible.extend(
                named
                    .iter()
                    .filter(|c| answerable.accepts(**c))
                    .map(|c| Some(Some(*c))),
            );
            if codes.iter().any(|c| !named.contains(c)) {
                possible.push(None);
            }
        }
        Some(answerable @ Answerable::Number { min, max }) => {
            let named_in_range: Vec<AnswerCode> = named
                .iter()
                .copied()
                .filter(|c| answerable.accepts(*c))
                .collect();
            possible.extend(named_in_range.iter().map(|c| Some(Some(*c))));
            let size = i64::from(*max) - i64::from(*min) + 1;
            if size > named_in_range.len() as i64 {
                possible.push(None);
            }
        }
        // Unknown at load time: assume anything is possible.
        Some(Answerable::Village) | None => possible.push(None),
    }
    possible
}

fn condition(raw: &RawCondition) -> Option<Condition> {
    let test = match (&raw.any_of, &raw.none_of) {
        (Some(codes), None) => ConditionTest::AnyOf(codes.iter().copied().collect()),
        (None, Some(codes)) => ConditionTest::NoneOf(codes.iter().copied().collect()),
        _ => return None,
    };
    Some(Condition {
        item: ItemKey::new(raw.item.get_ref()),
        test,
    })
}

impl Checker<'_> {
    /// Looks up an answerable item named in an indicator or validity rule.
    fn answerable(&mut self, key: &Spanned<String>, owner: &str) -> Option<Option<Answerable>> {
        let name = key.get_ref();
        match self.known.get(name) {
            Some(known) => Some(known.answers.clone()),
            None => {
                let message = if self.group_keys.contains_key(name) {
                    format!("{owner} names matrix `{name}`; name one of its statements")
                } else {
                    format!("{owner} names unknown item `{name}`")
                };
                self.report.at(key.span(), message);
                None
            }
        }
    }

    /// Reports codes in `codes` that the item cannot have.
    fn check_codes(
        &mut self,
        codes: &Spanned<Vec<AnswerCode>>,
        answerable: &Answerable,
        owner: &str,
        item: &str,
    ) {
        if codes.get_ref().is_empty() {
            self.report
                .at(codes.span(), format!("{owner} lists no codes"));
        }
        if matches!(answerable, Answerable::Village) {
            self.report.at(
                codes.span(),
                format!("{owner} counts codes of village item `{item}`, which are only known when the survey runs"),
            );
            return;
        }
        let missing: BTreeSet<AnswerCode> = codes
            .get_ref()
            .iter()
            .copied()
            .filter(|code| !answerable.accepts(*code))
            .collect();
        if !missing.is_empty() {
            self.report.at(
                codes.span(),
                format!(
                    "{owner} counts code(s) {}, which item `{item}` does not have",
                    codes_text(&missing)
                ),
            );
        }
    }

    fn check_indicators(
        &mut self,
        raw: &[RawIndicator],
        sections: &[Section],
        routes_ok: bool,
    ) -> Vec<Indicator> {
        let mut lines: BTreeMap<String, usize> = BTreeMap::new();
        let mut indicators = Vec::new();
        for indicator in raw {
            let key = indicator.key.get_ref();
            if !is_valid_key(key) {
                self.bad_key(&indicator.key);
            }
            let line = self.report.line_of(&indicator.key.span());
            if let Some(first) = lines.insert(key.clone(), line) {
                self.report.at(
                    indicator.key.span(),
                    format!("duplicate indicator key `{key}` (first used on line {first})"),
                );
            }
            let owner = format!("indicator `{key}`");
            let label = self.text(&indicator.label, &format!("the label of {owner}"), false);
            if let Some(Some(answerable)) = self.answerable(&indicator.item, &owner) {
                self.check_codes(
                    &indicator.numerator,
                    &answerable,
                    &owner,
                    indicator.item.get_ref(),
                );
            }
            let not_shown_counts_as_no = indicator
                .not_shown_counts_as_no
                .as_ref()
                .is_some_and(|flag| *flag.get_ref());
            if let Some(flag) = &indicator.not_shown_counts_as_no
                && *flag.get_ref()
                && routes_ok
            {
                self.check_not_shown_as_no(flag.span(), &owner, indicator.item.get_ref(), sections);
            }
            indicators.push(Indicator {
                key: key.clone(),
                label,
                domain: indicator.domain,
                direction: indicator.direction,
                item: ItemKey::new(indicator.item.get_ref()),
                numerator: indicator.numerator.get_ref().iter().copied().collect(),
                not_shown_counts_as_no,
            });
        }
        indicators
    }

    /// Counting students the route skipped as "no" is only right when they were
    /// skipped because of an answer (`none_of` routes), never because they skipped
    /// a question themselves (`any_of` routes hide the item then too).
    fn check_not_shown_as_no(
        &mut self,
        span: Range<usize>,
        owner: &str,
        item: &str,
        sections: &[Section],
    ) {
        let Some(slot) = self.known.get(item).map(|known| known.slot) else {
            return;
        };
        let section = &sections[slot.section];
        let routes = section
            .show_if
            .iter()
            .chain(section.items[slot.item].show_if.iter());
        let chain = self.route_chain(sections, routes);
        if chain.is_empty() {
            self.report.at(
                span,
                format!("{owner} counts students not shown `{item}` as no, but every student is shown it"),
            );
        } else if chain
            .iter()
            .any(|c| matches!(c.test, ConditionTest::AnyOf(_)))
        {
            self.report.at(
                span,
                format!("{owner} counts students not shown `{item}` as no, but a route to it uses `any_of`, which also hides it from students who skipped a question; use `none_of` routes"),
            );
        }
    }

    fn check_validity(&mut self, raw: &RawValidity) -> ValidityRules {
        let mut rules = ValidityRules {
            fastest_plausible_seconds: raw.fastest_plausible_seconds,
            ..ValidityRules::default()
        };
        if let Some(fictitious) = &raw.fictitious {
            let owner = "the fictitious-drug check";
            if let Some(Some(answerable)) = self.answerable(&fictitious.item, owner) {
                self.check_codes(
                    &fictitious.used,
                    &answerable,
                    owner,
                    fictitious.item.get_ref(),
                );
            }
            rules.fictitious = Some((
                ItemKey::new(fictitious.item.get_ref()),
                fictitious.used.get_ref().iter().copied().collect(),
            ));
        }
        for pair in &raw.recent_within_lifetime {
            let owner = "the check of recent against lifetime use";
            let lifetime = self.answerable(&pair.lifetime, owner);
            let recent = self.answerable(&pair.recent, owner);
            if let (Some(lifetime), Some(recent)) = (lifetime, recent) {
                let scale_of = |answerable: &Option<Answerable>| match answerable {
                    Some(Answerable::Codes { scale, .. }) => Some(scale.clone()),
                    _ => None,
                };
                let (lifetime_scale, recent_scale) = (scale_of(&lifetime), scale_of(&recent));
                if lifetime_scale.is_none() || lifetime_scale != recent_scale {
                    self.report.at(
                        pair.recent.span(),
                        format!(
                            "`{}` and `{}` must answer on the same frequency scale to compare recent with lifetime use",
                            pair.recent.get_ref(),
                            pair.lifetime.get_ref()
                        ),
                    );
                }
            }
            rules.recent_within_lifetime.push((
                ItemKey::new(pair.lifetime.get_ref()),
                ItemKey::new(pair.recent.get_ref()),
            ));
        }
        if let Some(rule) = &raw.age_for_school_year {
            rules.age_for_school_year = Some(self.check_age_rule(rule));
        }
        rules
    }

    fn check_age_rule(&mut self, raw: &RawAgeRule) -> AgeRule {
        let owner = "the age check";
        if let Some(age) = self.answerable(&raw.age, owner)
            && !matches!(age, Some(Answerable::Number { .. }))
        {
            self.report.at(
                raw.age.span(),
                format!(
                    "the age check needs a number item, and `{}` is not one",
                    raw.age.get_ref()
                ),
            );
        }
        let years = self.answerable(&raw.school_year, owner).flatten();
        let mut ages = BTreeMap::new();
        for year in &raw.years {
            let code = *year.year.get_ref();
            if let Some(answerable) = &years
                && !answerable.accepts(code)
            {
                self.report.at(
                    year.year.span(),
                    format!(
                        "the age check names school year {code}, which item `{}` does not have",
                        raw.school_year.get_ref()
                    ),
                );
            }
            if year.youngest > *year.oldest.get_ref() {
                self.report.at(
                    year.oldest.span(),
                    format!("the age check for school year {code} has `youngest` above `oldest`"),
                );
            }
            ages.insert(code, (year.youngest, *year.oldest.get_ref()));
        }
        AgeRule {
            age: ItemKey::new(raw.age.get_ref()),
            school_year: ItemKey::new(raw.school_year.get_ref()),
            ages,
        }
    }
}
