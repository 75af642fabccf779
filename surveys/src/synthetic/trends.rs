//! Synthetic waves that look like a Dutch region over the years, for the demo:
//! levels by school year that resemble what Dutch surveys of 13–16-year-olds
//! report, villages that differ, and trends over the waves — substance use and
//! most risk factors falling, protective factors rising, vaping and screen time
//! going the other way.
//!
//! The figures are invented to look plausible, not taken from any survey.
//! Behaviours are drawn independently of each other (a student who drinks is
//! not more likely to have friends who drink); only the questions about one
//! substance share a draw, so that recent use never exceeds lifetime use.

use std::collections::BTreeSet;

use super::{Model, Plain, Random, Student, SyntheticRegion, draw};
use crate::indicator::Direction;
use crate::questionnaire::{AnswerCode, AnswerOption, ItemKey, Questionnaire};
use crate::wave::SurveyResponse;

/// The demo's school years: the second and the fourth.
pub const SCHOOL_YEARS: [AnswerCode; 2] = [2, 4];

/// An indicator's share in the first wave, in school years 2 and 4, its
/// change per wave (relative: −0.06 is 6 % less each wave) and the behaviour
/// whose single draw it shares with other indicators.
struct Level {
    indicator: &'static str,
    year_2: f64,
    year_4: f64,
    per_wave: f64,
    draw: &'static str,
}

const fn level(
    indicator: &'static str,
    year_2: f64,
    year_4: f64,
    per_wave: f64,
    draw: &'static str,
) -> Level {
    Level {
        indicator,
        year_2,
        year_4,
        per_wave,
        draw,
    }
}

/// The standard questionnaire's indicators. Indicators of another
/// questionnaire are answered as [`super::synthetic_responses`] does.
const LEVELS: &[Level] = &[
    level("alcohol_lifetime", 0.30, 0.68, -0.05, "alcohol"),
    level("alcohol_30d", 0.12, 0.42, -0.06, "alcohol"),
    level("drunk_30d", 0.04, 0.23, -0.07, "alcohol"),
    level("binge_30d", 0.06, 0.30, -0.07, "alcohol"),
    level("first_drink_by_13", 0.10, 0.20, -0.08, "alcohol"),
    level("cigarettes_lifetime", 0.12, 0.30, -0.07, "tobacco"),
    level("cigarettes_daily", 0.01, 0.06, -0.08, "tobacco"),
    level("vape_lifetime", 0.15, 0.35, 0.08, "vape"),
    level("vape_30d", 0.07, 0.18, 0.08, "vape"),
    level("vape_daily", 0.01, 0.04, 0.10, "vape"),
    level("cannabis_lifetime", 0.03, 0.15, -0.04, "cannabis"),
    level("cannabis_30d", 0.01, 0.07, -0.04, "cannabis"),
    level("laughing_gas_lifetime", 0.03, 0.08, -0.05, "laughing_gas"),
    level("ecstasy_lifetime", 0.005, 0.02, -0.03, "ecstasy"),
    level("cocaine_lifetime", 0.003, 0.01, -0.02, "cocaine"),
    level("parents_know_where", 0.75, 0.62, 0.03, "parents_know_where"),
    level("parents_know_whom", 0.70, 0.58, 0.03, "parents_know_whom"),
    level(
        "parents_know_friends_parents",
        0.45,
        0.35,
        0.04,
        "parents_know_friends_parents",
    ),
    level(
        "weekend_time_with_parents",
        0.55,
        0.40,
        0.03,
        "weekend_time_with_parents",
    ),
    level("parental_warmth", 0.80, 0.72, 0.01, "parental_warmth"),
    level(
        "parents_accept_drinking",
        0.08,
        0.25,
        -0.08,
        "parents_accept_drinking",
    ),
    level(
        "parents_accept_drunkenness",
        0.02,
        0.06,
        -0.08,
        "parents_accept_drunkenness",
    ),
    level(
        "alcohol_from_parents",
        0.05,
        0.15,
        -0.08,
        "alcohol_from_parents",
    ),
    level("friends_drink", 0.10, 0.40, -0.06, "friends_drink"),
    level("friends_drunk", 0.08, 0.35, -0.06, "friends_drunk"),
    level("friends_smoke_vape", 0.15, 0.35, 0.04, "friends_smoke_vape"),
    level("friends_cannabis", 0.04, 0.18, -0.04, "friends_cannabis"),
    level(
        "parties_unsupervised",
        0.10,
        0.30,
        -0.05,
        "parties_unsupervised",
    ),
    level("school_feel_good", 0.70, 0.62, 0.01, "school_feel_good"),
    level("school_safe", 0.85, 0.82, 0.01, "school_safe"),
    level("bullied_school", 0.15, 0.08, -0.03, "bullied_school"),
    level("truancy", 0.05, 0.15, -0.02, "truancy"),
    level("sport_club_weekly", 0.65, 0.50, 0.02, "sport_club_weekly"),
    level(
        "other_activity_weekly",
        0.40,
        0.33,
        0.03,
        "other_activity_weekly",
    ),
    level("out_after_22", 0.15, 0.40, -0.05, "out_after_22"),
    level(
        "out_after_midnight",
        0.05,
        0.20,
        -0.06,
        "out_after_midnight",
    ),
    level("social_media_3h", 0.30, 0.40, 0.05, "social_media_3h"),
    level("sleep_8h", 0.70, 0.50, -0.01, "sleep_8h"),
    level("life_satisfaction", 0.85, 0.78, -0.01, "life_satisfaction"),
    level(
        "alcohol_easy_to_get",
        0.25,
        0.55,
        -0.06,
        "alcohol_easy_to_get",
    ),
];

/// How much a village differs from the region: between −30 % and +30 % on risk
/// and use (half that, the other way, on protection), the same for a village
/// code in every wave.
pub fn village_effect(village: AnswerCode, seed: u64) -> f64 {
    let mut random = Random(seed ^ (village as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    (random.below(601) as f64 - 300.0) / 1000.0
}

/// One indicator as the model answers it.
struct Modelled {
    item: ItemKey,
    numerator: BTreeSet<AnswerCode>,
    direction: Direction,
    level: &'static Level,
}

struct Trends {
    modelled: Vec<Modelled>,
    /// Waves since the first.
    wave: u32,
    seed: u64,
}

impl Trends {
    fn new(questionnaire: &Questionnaire, wave: u32, seed: u64) -> Trends {
        let modelled = questionnaire
            .indicators()
            .iter()
            .filter_map(|indicator| {
                let level = LEVELS.iter().find(|l| l.indicator == indicator.key)?;
                Some(Modelled {
                    item: indicator.item.clone(),
                    numerator: indicator.numerator.clone(),
                    direction: indicator.direction,
                    level,
                })
            })
            .collect();
        Trends {
            modelled,
            wave,
            seed,
        }
    }

    /// The chance that this student's answer falls in the numerator.
    fn chance(&self, modelled: &Modelled, student: &Student) -> f64 {
        let level = modelled.level;
        let by_year = match student.school_year {
            year if year <= 2 => level.year_2,
            year if year >= 4 => level.year_4,
            _ => (level.year_2 + level.year_4) / 2.0,
        };
        let trend = (1.0 + level.per_wave).powi(self.wave as i32);
        let village = student
            .village
            .map_or(0.0, |code| village_effect(code, self.seed));
        let place = match modelled.direction {
            Direction::Protective => 1.0 - village / 2.0,
            Direction::Outcome | Direction::Risk => 1.0 + village,
        };
        (by_year * trend * place).clamp(0.0, 0.97)
    }

    fn find(&self, key: &ItemKey) -> Option<&Modelled> {
        self.modelled.iter().find(|m| &m.item == key)
    }

    /// Whether the student's answer falls in the numerator: the behaviour's
    /// one draw against this indicator's chance.
    fn in_numerator(
        &self,
        random: &mut Random,
        student: &mut Student,
        modelled: &Modelled,
    ) -> bool {
        let chance = self.chance(modelled, student);
        let draw = *student
            .latent
            .entry(modelled.level.draw)
            .or_insert_with(|| random.unit());
        draw < chance
    }
}

/// Picks one of `codes`, the first most often (the lowest frequency, the
/// mildest agreement), the next half as often, and so on.
fn mostly_first(random: &mut Random, codes: &[AnswerCode]) -> AnswerCode {
    let weights: Vec<u32> = (0..codes.len())
        .map(|i| 1 << (codes.len() - 1 - i).min(20))
        .collect();
    codes[random.weighted(weights.iter().copied())]
}

impl Model for Trends {
    fn school_year(&self, random: &mut Random) -> AnswerCode {
        SCHOOL_YEARS[random.below(SCHOOL_YEARS.len())]
    }

    fn choice(
        &self,
        random: &mut Random,
        student: &mut Student,
        key: &ItemKey,
        options: &[AnswerOption],
        matrix: bool,
    ) -> AnswerCode {
        let Some(modelled) = self.find(key) else {
            return Plain.choice(random, student, key, options, matrix);
        };
        let yes = self.in_numerator(random, student, modelled);
        let codes: Vec<AnswerCode> = options
            .iter()
            .map(|o| o.code)
            .filter(|code| modelled.numerator.contains(code) == yes)
            .collect();
        match (yes, modelled.direction, codes.as_slice()) {
            (_, _, []) => options[0].code,
            // Who does not use, never used: the scale's "never".
            (false, Direction::Outcome, codes) => codes[0],
            (true, _, codes) => mostly_first(random, codes),
            (false, _, codes) => {
                let mut reversed = codes.to_vec();
                reversed.reverse();
                mostly_first(random, &reversed)
            }
        }
    }

    fn number(
        &self,
        random: &mut Random,
        student: &mut Student,
        key: &ItemKey,
        min: AnswerCode,
        max: AnswerCode,
    ) -> AnswerCode {
        let Some(modelled) = self.find(key) else {
            return Plain.number(random, student, key, min, max);
        };
        let yes = self.in_numerator(random, student, modelled);
        // Ages (such as the age of the first drink) stay below the student's own.
        let oldest = (11 + student.school_year + 1).clamp(min, max);
        let codes: Vec<AnswerCode> = (min..=oldest)
            .filter(|code| modelled.numerator.contains(code) == yes)
            .collect();
        match codes.as_slice() {
            [] => oldest,
            codes => codes[codes.len() - 1 - random.below(codes.len().min(3))],
        }
    }
}

/// The responses of a demo wave: `wave` waves after the first (0 for the
/// first), `count` students in school years 2 and 4 over `region`, the same for
/// a given `seed` on every machine. Villages differ by [`village_effect`] with
/// the same `seed`, so pass one seed for all waves of a region.
///
/// # Panics
///
/// When `count` > 0 and `region` has no school.
pub fn demo_wave(
    questionnaire: &Questionnaire,
    region: &SyntheticRegion,
    wave: u32,
    count: usize,
    seed: u64,
) -> Vec<SurveyResponse> {
    let model = Trends::new(questionnaire, wave, seed);
    draw(
        questionnaire,
        region,
        count,
        seed.wrapping_add(u64::from(wave).wrapping_mul(0x9e37_79b9)),
        &model,
    )
}
