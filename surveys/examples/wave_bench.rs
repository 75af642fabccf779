//! How long closing a wave takes: 100,000 synthetic responses over a region of
//! 5 municipalities, 21 villages (one a hamlet of a few students) and 8 schools
//! (years 1–4), answered on the standard questionnaire, through `compute_wave`.
//!
//! `cargo run -p surveys --release --example wave_bench`
//!
//! The answers are synthetic (a fixed seed, so every run sees the same wave):
//! plausible enough to exercise routing, the validity screen and suppression,
//! not a model of real youth.

use std::time::Instant;

use surveys::questionnaire::ItemKind;
use surveys::{
    Answers, ItemKey, MunicipalityId, SchoolId, SuppressionThreshold, SurveyResponse, compute_wave,
    standard_v1,
};

const RESPONSES: usize = 100_000;

/// Villages per municipality; the server's village ids are the answer codes.
const VILLAGES: [&[i32]; 5] = [
    &[101, 102, 103, 104, 105, 106],
    &[201, 202, 203],
    &[301, 302, 303, 304],
    &[401, 402, 403],
    &[501, 502, 503, 504],
];

/// A hamlet of municipality 1 where only a handful of students live, so that
/// suppression has work to do.
const HAMLET: i32 = 107;

/// The municipality each school stands in, and its share of the students.
const SCHOOLS: [(usize, u32); 8] = [
    (0, 18),
    (0, 12),
    (1, 10),
    (2, 16),
    (2, 8),
    (3, 11),
    (4, 15),
    (4, 10),
];

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

    /// A whole number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

fn synthetic_wave(random: &mut Random) -> Vec<SurveyResponse> {
    let questionnaire = standard_v1();
    let total_weight: u32 = SCHOOLS.iter().map(|(_, w)| w).sum();
    let rules = questionnaire.validity_rules();
    let mut responses = Vec::with_capacity(RESPONSES);
    for _ in 0..RESPONSES {
        let mut pick = random.below(total_weight as usize) as u32;
        let school = SCHOOLS
            .iter()
            .position(|(_, w)| {
                let here = pick < *w;
                pick = pick.saturating_sub(*w);
                here
            })
            .unwrap_or(0);
        let municipality = SCHOOLS[school].0;
        let year = 1 + random.below(4) as i32;
        // Older students and some municipalities answer "more" more often.
        let more = 0.15 + 0.08 * f64::from(year) + 0.03 * municipality as f64;
        let mut answers = Answers::new();
        for item in questionnaire.sections().iter().flat_map(|s| &s.items) {
            for key in item.answer_keys() {
                if random.chance(0.02) {
                    continue; // skipped
                }
                let code = match &item.kind {
                    // Statements of a matrix vary, as honest answers do.
                    ItemKind::Matrix { scale, .. } => {
                        scale.options[random.below(scale.options.len())].code
                    }
                    ItemKind::Choice { scale } => {
                        let codes: Vec<i32> = scale.options.iter().map(|o| o.code).collect();
                        if random.chance(more) {
                            codes[random.below(codes.len())]
                        } else {
                            codes[0]
                        }
                    }
                    ItemKind::Number { min, max } => {
                        let span = (max - min + 1) as usize;
                        min + random.below(span) as i32
                    }
                    ItemKind::Village { elsewhere } => {
                        let villages = VILLAGES[municipality];
                        if random.chance(0.08) {
                            elsewhere.code
                        } else if municipality == 0 && random.chance(0.0003) {
                            HAMLET
                        } else {
                            villages[random.below(villages.len())]
                        }
                    }
                };
                answers.insert(key.clone(), code);
            }
        }
        answers.insert(ItemKey::new("school_year"), year);
        answers.insert(ItemKey::new("age"), 11 + year + random.below(2) as i32);
        if random.chance(0.02) {
            answers.insert(ItemKey::new("gender"), 3);
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
            municipality: MunicipalityId(1 + municipality as i64),
            school: SchoolId(1 + school as i64),
            school_year: year as u8,
            answers,
            validity,
        });
    }
    responses
}

fn main() {
    let mut random = Random(2026);
    let started = Instant::now();
    let responses = synthetic_wave(&mut random);
    println!(
        "generated {} synthetic responses in {:.2} s",
        responses.len(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let results = compute_wave(standard_v1(), &responses, SuppressionThreshold::DEFAULT);
    let elapsed = started.elapsed();
    let results = match results {
        Ok(results) => results,
        Err(error) => {
            eprintln!("compute_wave failed: {error}");
            std::process::exit(1);
        }
    };
    let suppressed_groups = results
        .groups()
        .filter(|(_, g)| g.respondents.is_suppressed())
        .count();
    let exclusions = results.exclusions();
    println!(
        "compute_wave: {:.3} s for {} responses ({} excluded), {} groups ({} suppressed), {} indicators",
        elapsed.as_secs_f64(),
        exclusions.submitted,
        exclusions.excluded,
        results.group_count(),
        suppressed_groups,
        results.indicators().count(),
    );
    for (flag, count) in &exclusions.by_reason {
        println!("  excluded for {}: {count}", flag.key());
    }
}
