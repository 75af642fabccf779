//! Synthetic waves: responses drawn at random over a region, for benchmarks,
//! tests and the demo. The data are synthetic — plausible enough to exercise
//! routing, the validity screen and suppression, not a model of real youth.
//!
//! The draw is deterministic: the same questionnaire, region, size and seed give
//! the same responses on every machine.

pub mod trends;

use std::collections::BTreeMap;

use crate::questionnaire::{AnswerCode, AnswerOption, Answers, ItemKey, ItemKind, Questionnaire};
use crate::wave::{MunicipalityId, SchoolId, SurveyResponse};

/// The places synthetic students live and go to school in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticRegion {
    pub municipalities: Vec<SyntheticMunicipality>,
    pub schools: Vec<SyntheticSchool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticMunicipality {
    pub id: MunicipalityId,
    /// Village answer codes (the server's village ids) with a relative weight
    /// of how many students live there.
    pub villages: Vec<(AnswerCode, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticSchool {
    pub id: SchoolId,
    pub municipality: MunicipalityId,
    /// Relative share of the wave's students.
    pub weight: u32,
}

impl SyntheticRegion {
    /// The benchmark region: 5 municipalities (ids 1–5) with 21 villages (codes
    /// 101…): 20 of equal size and the hamlet 107 of municipality 1, where only a
    /// handful of students live (so that suppression has work to do); and 8
    /// schools (ids 1–8) of different sizes.
    pub fn example() -> SyntheticRegion {
        const VILLAGES: [&[AnswerCode]; 5] = [
            &[101, 102, 103, 104, 105, 106],
            &[201, 202, 203],
            &[301, 302, 303, 304],
            &[401, 402, 403],
            &[501, 502, 503, 504],
        ];
        // One student in about 3,000 of municipality 1 names a village of theirs.
        const VILLAGE_WEIGHT: u32 = 500;
        const HAMLET: (AnswerCode, u32) = (107, 1);
        /// The municipality each school stands in, and its share of the students.
        const SCHOOLS: [(i64, u32); 8] = [
            (1, 18),
            (1, 12),
            (2, 10),
            (3, 16),
            (3, 8),
            (4, 11),
            (5, 15),
            (5, 10),
        ];
        let municipalities = (1..)
            .zip(VILLAGES)
            .map(|(id, codes)| {
                let mut villages: Vec<(AnswerCode, u32)> =
                    codes.iter().map(|&code| (code, VILLAGE_WEIGHT)).collect();
                if id == 1 {
                    villages.push(HAMLET);
                }
                SyntheticMunicipality {
                    id: MunicipalityId(id),
                    villages,
                }
            })
            .collect();
        let schools = (1..)
            .zip(SCHOOLS)
            .map(|(id, (municipality, weight))| SyntheticSchool {
                id: SchoolId(id),
                municipality: MunicipalityId(municipality),
                weight,
            })
            .collect();
        SyntheticRegion {
            municipalities,
            schools,
        }
    }
}

/// SplitMix64: small, fast and the same on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A whole number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() <= p
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The index of an entry picked in proportion to its weight.
    fn weighted(&mut self, weights: impl Iterator<Item = u32> + Clone) -> usize {
        let total: u64 = weights.clone().map(u64::from).sum();
        let mut pick = self.next() % total.max(1);
        for (index, weight) in weights.enumerate() {
            if pick < u64::from(weight) {
                return index;
            }
            pick -= u64::from(weight);
        }
        0
    }
}

/// `count` responses answered on `questionnaire` over `region`, the same for a
/// given `seed` on every machine.
///
/// Each response goes to a school picked by weight, in school year 1–4 (also its
/// `school_year` answer), and lives in a village of that school's municipality
/// picked by weight, or elsewhere. Its answers pass `questionnaire.check_response`
/// with that municipality's village codes, hold no answer to a hidden question,
/// and carry the flags `questionnaire.screen` gives them (a few in a hundred are
/// flagged: too fast, the fictitious drug, recent use above lifetime use, …).
///
/// # Panics
///
/// When `count` > 0 and `region` has no school.
pub fn synthetic_responses(
    questionnaire: &Questionnaire,
    region: &SyntheticRegion,
    count: usize,
    seed: u64,
) -> Vec<SurveyResponse> {
    draw(questionnaire, region, count, seed, &Plain)
}

/// One synthetic student, as far as their answers depend on who they are.
struct Student {
    school_year: AnswerCode,
    /// The index of the school's municipality in the region.
    municipality: Option<usize>,
    /// The village they live in, once that question is answered.
    village: Option<AnswerCode>,
    /// A number in [0, 1) per kind of behaviour, drawn the first time it is
    /// needed: the same number decides lifetime and recent use, so that whoever
    /// drank last month also drank ever.
    latent: BTreeMap<&'static str, f64>,
}

/// How a synthetic student answers.
trait Model {
    fn school_year(&self, random: &mut Random) -> AnswerCode;
    /// An option of a choice item (`matrix`: a statement of a matrix).
    fn choice(
        &self,
        random: &mut Random,
        student: &mut Student,
        key: &ItemKey,
        options: &[AnswerOption],
        matrix: bool,
    ) -> AnswerCode;
    fn number(
        &self,
        random: &mut Random,
        student: &mut Student,
        key: &ItemKey,
        min: AnswerCode,
        max: AnswerCode,
    ) -> AnswerCode;
}

/// Answers without a model of youth: enough to exercise every code path.
struct Plain;

impl Model for Plain {
    fn school_year(&self, random: &mut Random) -> AnswerCode {
        1 + random.below(4) as AnswerCode
    }

    fn choice(
        &self,
        random: &mut Random,
        student: &mut Student,
        _key: &ItemKey,
        options: &[AnswerOption],
        matrix: bool,
    ) -> AnswerCode {
        // Statements of a matrix vary, as honest answers do.
        if matrix {
            return options[random.below(options.len())].code;
        }
        // Older students, and students further down the list of
        // municipalities, answer "more" more often.
        let more = 0.15
            + 0.08 * f64::from(student.school_year)
            + 0.03 * student.municipality.unwrap_or(0) as f64;
        if random.chance(more) {
            options[random.below(options.len())].code
        } else {
            options[0].code
        }
    }

    fn number(
        &self,
        random: &mut Random,
        _student: &mut Student,
        _key: &ItemKey,
        min: AnswerCode,
        max: AnswerCode,
    ) -> AnswerCode {
        min + random.below((max - min + 1) as usize) as AnswerCode
    }
}

fn draw(
    questionnaire: &Questionnaire,
    region: &SyntheticRegion,
    count: usize,
    seed: u64,
    model: &impl Model,
) -> Vec<SurveyResponse> {
    assert!(
        count == 0 || !region.schools.is_empty(),
        "a synthetic region needs a school"
    );
    let mut random = Random(seed);
    let rules = questionnaire.validity_rules();
    let mut responses = Vec::with_capacity(count);
    for _ in 0..count {
        let school = &region.schools[random.weighted(region.schools.iter().map(|s| s.weight))];
        let municipality = region
            .municipalities
            .iter()
            .position(|m| m.id == school.municipality);
        let villages = municipality
            .map(|m| region.municipalities[m].villages.as_slice())
            .unwrap_or_default();
        let year = model.school_year(&mut random);
        let mut student = Student {
            school_year: year,
            municipality,
            village: None,
            latent: BTreeMap::new(),
        };
        let mut answers = Answers::new();
        for item in questionnaire.sections().iter().flat_map(|s| &s.items) {
            for key in item.answer_keys() {
                if random.chance(0.02) {
                    continue; // skipped
                }
                let code = match &item.kind {
                    ItemKind::Matrix { scale, .. } => {
                        model.choice(&mut random, &mut student, key, &scale.options, true)
                    }
                    ItemKind::Choice { scale } => {
                        model.choice(&mut random, &mut student, key, &scale.options, false)
                    }
                    ItemKind::Number { min, max } => {
                        model.number(&mut random, &mut student, key, *min, *max)
                    }
                    ItemKind::Village { elsewhere } => {
                        let code = if villages.is_empty() || random.chance(0.08) {
                            elsewhere.code
                        } else {
                            villages[random.weighted(villages.iter().map(|v| v.1))].0
                        };
                        student.village = Some(code);
                        code
                    }
                };
                answers.insert(key.clone(), code);
            }
        }
        // The standard questionnaire's items; another questionnaire keeps the
        // drawn answers where it has no such item or code.
        let age = 11 + year + random.below(2) as AnswerCode;
        let other_gender = random.chance(0.02);
        let mut answer = |key: &str, code: AnswerCode| {
            if questionnaire.accepts(key, code, &[]) {
                answers.insert(ItemKey::new(key), code);
            }
        };
        answer("school_year", year);
        answer("age", age);
        if other_gender {
            answer("gender", 3);
        }
        // Recent use within lifetime use, except for the rare careless student.
        for (lifetime, recent) in &rules.recent_within_lifetime {
            if let (Some(&l), Some(&r)) = (answers.get(lifetime), answers.get(recent))
                && r > l
                && !random.chance(0.01)
            {
                answers.insert(recent.clone(), l);
            }
        }
        if let Some((fictitious, _)) = &rules.fictitious
            && !random.chance(0.005)
            && questionnaire.accepts(fictitious.as_str(), 0, &[])
        {
            answers.insert(fictitious.clone(), 0);
        }
        let answers = questionnaire.without_hidden(&answers);
        let seconds = if random.chance(0.01) {
            90
        } else {
            600 + random.below(1200) as u32
        };
        let validity = questionnaire.screen(&answers, seconds);
        responses.push(SurveyResponse {
            municipality: school.municipality,
            school: school.id,
            school_year: year as u8,
            answers,
            validity,
        });
    }
    responses
}
