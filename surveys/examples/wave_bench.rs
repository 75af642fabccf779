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

use surveys::synthetic::{SyntheticRegion, synthetic_responses};
use surveys::{SuppressionThreshold, compute_wave, standard_v1};

const RESPONSES: usize = 100_000;

fn main() {
    let started = Instant::now();
    let responses =
        synthetic_responses(standard_v1(), &SyntheticRegion::example(), RESPONSES, 2026);
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
