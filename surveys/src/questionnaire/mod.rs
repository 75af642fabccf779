//! The questionnaire: what students are asked, in which order, in which languages,
//! and which shares the dashboards compute from the answers.
//!
//! A questionnaire is a TOML file (format in `surveys/README.md`). [`Questionnaire::load`]
//! is the only way to get one, and it refuses a file with any problem, so everything
//! reachable from a `Questionnaire` is consistent: every route and indicator names a
//! real item, every text exists in the languages the file promises, every item can
//! be shown to somebody.

mod answers;
mod indicators;
mod load;
mod routing;
mod versions;

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub use answers::AnswerError;
pub use indicators::Indicator;
pub use routing::{Condition, ConditionTest};

/// The number a student's answer is stored as: an option code, or the number typed
/// into a numeric item.
pub type AnswerCode = i32;

/// One student's answers so far, by item key. Skipped items are simply absent.
pub type Answers = BTreeMap<ItemKey, AnswerCode>;

/// The stable key of something a student answers (an item or one statement of a
/// matrix). Keys stay the same across questionnaire versions so trends compare like
/// with like.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct ItemKey(String);

impl ItemKey {
    pub fn new(key: impl Into<String>) -> Self {
        ItemKey(key.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for ItemKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ItemKey {
    fn from(key: &str) -> Self {
        ItemKey(key.to_owned())
    }
}

/// The language everything falls back to when a translation is missing.
pub const FALLBACK_LANGUAGE: &str = "en";

/// One text in every language it has been written in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(BTreeMap<String, String>);

impl Text {
    /// The text in `language`, or in English when it has no translation there.
    pub fn get(&self, language: &str) -> &str {
        self.0
            .get(language)
            .or_else(|| self.0.get(FALLBACK_LANGUAGE))
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// Whether this text has been written in `language` (no fallback).
    pub fn has(&self, language: &str) -> bool {
        self.0.contains_key(language)
    }

    /// The languages this text exists in.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// How much of the questionnaire a language covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Every text, including indicator labels for the dashboards.
    Complete,
    /// What students read: intro, section titles, items, statements and options.
    Student,
}

/// Reading direction; Arabic pages are laid out right to left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextDirection {
    #[default]
    Ltr,
    Rtl,
}

/// A language the questionnaire can be answered in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// Code as used in the file and in URLs: `nl`, `en`, `ar`, `pl`.
    pub code: String,
    /// The language's name in the language itself, for the language menu.
    pub name: String,
    pub coverage: Coverage,
    pub direction: TextDirection,
    /// False until a native speaker has checked the translation.
    pub reviewed: bool,
}

/// One answer option: the code stored and what the student reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerOption {
    pub code: AnswerCode,
    pub text: Text,
}

/// A named list of answer options, shared by the items that answer on it (for
/// example one frequency scale for lifetime and 30-day use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub key: String,
    pub options: Vec<AnswerOption>,
}

impl Scale {
    pub fn has_code(&self, code: AnswerCode) -> bool {
        self.options.iter().any(|option| option.code == code)
    }

    pub fn option(&self, code: AnswerCode) -> Option<&AnswerOption> {
        self.options.iter().find(|option| option.code == code)
    }
}

/// One statement of a matrix; it is answered, and stored, like an item of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub key: ItemKey,
    pub text: Text,
    /// Line in the questionnaire file, for problems found later (version checks).
    pub line: usize,
}

/// What kind of answer an item takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    /// Pick one option of a scale.
    Choice { scale: Scale },
    /// Type a whole number between `min` and `max` (age, for example).
    Number { min: AnswerCode, max: AnswerCode },
    /// The village the student lives in. The villages are the municipality's and
    /// are supplied when the survey runs (their codes are the server's); the file
    /// only holds the "elsewhere" option.
    Village { elsewhere: AnswerOption },
    /// Several statements answered on one scale.
    Matrix {
        scale: Scale,
        statements: Vec<Statement>,
        /// Whether answering every statement in one column marks a response as
        /// suspect. Off for matrices where that is the common honest answer
        /// (almost everybody has never used any of the listed drugs).
        straight_lining_check: bool,
    },
}

/// One question on a section's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The key answers are stored under; for a matrix, the key of the group
    /// (its statements have keys of their own).
    pub key: ItemKey,
    pub text: Text,
    pub kind: ItemKind,
    pub required: bool,
    /// The route: shown only when this holds for the answers given so far.
    pub show_if: Option<Condition>,
    pub line: usize,
}

impl Item {
    /// The options a student picks from; `None` for numeric and village items
    /// (the villages come from the server).
    pub fn options(&self) -> Option<&[AnswerOption]> {
        match &self.kind {
            ItemKind::Choice { scale } | ItemKind::Matrix { scale, .. } => Some(&scale.options),
            ItemKind::Number { .. } | ItemKind::Village { .. } => None,
        }
    }

    /// The keys answers to this item are stored under, in page order.
    pub fn answer_keys(&self) -> Vec<&ItemKey> {
        match &self.kind {
            ItemKind::Matrix { statements, .. } => statements.iter().map(|s| &s.key).collect(),
            _ => vec![&self.key],
        }
    }
}

/// One page of the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub key: String,
    pub title: Text,
    pub show_if: Option<Condition>,
    pub items: Vec<Item>,
    pub line: usize,
}

/// Where an answerable key sits in the questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    section: usize,
    item: usize,
    statement: Option<usize>,
}

/// The rules of the validity screen, as the file states them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidityRules {
    /// The invented drug, and the codes that mean "used it".
    pub fictitious: Option<(ItemKey, BTreeSet<AnswerCode>)>,
    /// Pairs (lifetime, recent) answered on one frequency scale whose codes rise
    /// with frequency: recent use can never exceed lifetime use.
    pub recent_within_lifetime: Vec<(ItemKey, ItemKey)>,
    /// The age item, the school-year item and the plausible ages per school year.
    pub age_for_school_year: Option<AgeRule>,
    /// Faster than this, nobody can have read the questions.
    pub fastest_plausible_seconds: u32,
}

/// Which ages are possible in which school year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeRule {
    pub age: ItemKey,
    pub school_year: ItemKey,
    /// School-year code → (youngest, oldest) plausible age.
    pub ages: BTreeMap<AnswerCode, (AnswerCode, AnswerCode)>,
}

/// Something wrong in a questionnaire file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based line in the file.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// A questionnaire that passed every check of the loader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questionnaire {
    file_name: String,
    key: String,
    version: u32,
    minutes: u32,
    languages: Vec<Language>,
    intro: Text,
    sections: Vec<Section>,
    indicators: Vec<Indicator>,
    validity: ValidityRules,
    unchanged: BTreeSet<ItemKey>,
    slots: BTreeMap<ItemKey, Slot>,
}

impl Questionnaire {
    /// Reads and checks a questionnaire file; on failure, lists every problem found.
    pub fn load(file_name: &str, text: &str) -> Result<Questionnaire, Vec<Problem>> {
        load::load(file_name, text)
    }

    /// The file this questionnaire was loaded from, as given to [`Questionnaire::load`].
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// Which questionnaire this is (`standard`); with the version it names the
    /// questionnaire a wave used.
    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    /// Expected minutes to answer, for the intro page and teachers.
    pub fn minutes(&self) -> u32 {
        self.minutes
    }

    /// How many things a student can answer (each matrix statement counts).
    pub fn item_count(&self) -> usize {
        self.slots.len()
    }

    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|language| language.code == code)
    }

    /// The page before the first section: anonymous, voluntary, how long.
    pub fn intro(&self) -> &Text {
        &self.intro
    }

    /// The sections in the order students see them.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|section| section.key == key)
    }

    /// The item an answer key belongs to (for a matrix statement, its matrix).
    pub fn item(&self, key: &str) -> Option<&Item> {
        let slot = self.slots.get(key)?;
        Some(&self.sections[slot.section].items[slot.item])
    }

    /// Every key a student can answer, in questionnaire order.
    pub fn answer_keys(&self) -> impl Iterator<Item = &ItemKey> {
        self.sections
            .iter()
            .flat_map(|section| section.items.iter().flat_map(Item::answer_keys))
    }

    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    pub fn indicator(&self, key: &str) -> Option<&Indicator> {
        self.indicators
            .iter()
            .find(|indicator| indicator.key == key)
    }

    pub fn validity_rules(&self) -> &ValidityRules {
        &self.validity
    }

    /// Items this version asks exactly as the previous version did, so their
    /// trends run on across the two.
    pub fn unchanged_items(&self) -> &BTreeSet<ItemKey> {
        &self.unchanged
    }

    /// Whether `code` is a possible answer to `key`. `villages` are the codes of
    /// the municipality's villages, for the village item.
    pub fn accepts(&self, key: &str, code: AnswerCode, villages: &[AnswerCode]) -> bool {
        let Some(item) = self.item(key) else {
            return false;
        };
        match &item.kind {
            ItemKind::Choice { scale } | ItemKind::Matrix { scale, .. } => scale.has_code(code),
            ItemKind::Number { min, max } => (*min..=*max).contains(&code),
            ItemKind::Village { elsewhere } => code == elsewhere.code || villages.contains(&code),
        }
    }
}
