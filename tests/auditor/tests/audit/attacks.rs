//! Hand-built bad releases the auditor must catch, and a safe one it must let
//! pass: proof that it has teeth and does not bite at everything.

use disclosure_auditor::{
    AuditError, Auditor, Concern, Figure, Finding, Method, Observation, Scope,
};
use proptest::prelude::*;
use surveys::{Group, Share, SurveyResponse};

use crate::students::{DRANK, Student, hand_made, questionnaire};

fn group(name: &str) -> Group {
    name.parse().expect("a group name")
}

/// Shows a hand-made group's respondents and its share of students who drank,
/// as a page would.
fn show(auditor: &mut Auditor, release: usize, name: &str, respondents: u64, drinkers: u64) {
    let share = Share::new(drinkers, respondents).expect("a share");
    auditor
        .observe(release, &group(name), Observation::Respondents(respondents))
        .expect("the figure matches the responses");
    auditor
        .observe(
            release,
            &group(name),
            Observation::Share {
                indicator: DRANK.to_owned(),
                share,
            },
        )
        .expect("the figure matches the responses");
}

/// Hand-made students are all boys in year 2, so a page also shows each of
/// their groups under those two breakdowns, with the same figures.
fn show_with_breakdowns(
    auditor: &mut Auditor,
    release: usize,
    name: &str,
    respondents: u64,
    drinkers: u64,
) {
    for suffix in ["", "/year:2", "/gender:boy"] {
        show(
            auditor,
            release,
            &format!("{name}{suffix}"),
            respondents,
            drinkers,
        );
    }
}

fn drank() -> String {
    DRANK.to_owned()
}

fn finding<'a>(
    findings: &'a [Finding],
    scope: Scope,
    name: &str,
    figure: &Figure,
) -> Option<&'a Finding> {
    findings
        .iter()
        .find(|f| f.scope == scope && f.group == group(name) && &f.figure == figure)
}

/// The finding the attack must have made; fails listing what it made instead.
fn found<'a>(findings: &'a [Finding], scope: Scope, name: &str, figure: &Figure) -> &'a Finding {
    finding(findings, scope, name, figure).unwrap_or_else(|| {
        panic!(
            "{figure} of {name} ({scope:?}) not found; found:{}",
            listed(findings)
        )
    })
}

fn listed(findings: &[Finding]) -> String {
    findings.iter().map(|f| format!("\n  {f}")).collect()
}

fn one_state(parts: Vec<Vec<SurveyResponse>>) -> Vec<Vec<SurveyResponse>> {
    vec![parts.concat()]
}

#[test]
fn a_municipality_shown_with_one_village_hidden_gives_that_village_away() {
    let states = one_state(vec![
        hand_made(Student::living_in(101), 12, 4),
        hand_made(Student::living_in(102), 15, 6),
        hand_made(Student::living_in(103), 7, 2),
    ]);
    let mut auditor = Auditor::new(10, &states, questionnaire()).expect("an auditor");
    show(&mut auditor, 0, "municipality:1", 34, 12);
    show(&mut auditor, 0, "municipality:1/village:101", 12, 4);
    show(&mut auditor, 0, "municipality:1/village:102", 15, 6);

    let findings = auditor.findings();
    let village = "municipality:1/village:103";
    let respondents = found(&findings, Scope::Release(0), village, &Figure::Respondents);
    assert_eq!(respondents.value, 7);
    assert_eq!(respondents.method, Method::Linear);
    assert_eq!(
        respondents.concern,
        Some(Concern::SmallGroup {
            respondents: 7,
            k: 10
        })
    );
    let drinkers = found(
        &findings,
        Scope::Release(0),
        village,
        &Figure::Numerator { indicator: drank() },
    );
    assert_eq!(drinkers.value, 2);
}

#[test]
fn a_hidden_remainder_without_drinkers_pins_every_hidden_village_to_zero() {
    // 30 + 6 + 7 students; every drinker lives in the released village, so the
    // 13 hidden students have none, and nor does either hidden village.
    let states = one_state(vec![
        hand_made(Student::living_in(101), 30, 10),
        hand_made(Student::living_in(102), 6, 0),
        hand_made(Student::living_in(103), 7, 0),
    ]);
    let mut auditor = Auditor::new(10, &states, questionnaire()).expect("an auditor");
    show(&mut auditor, 0, "municipality:1", 43, 10);
    show(&mut auditor, 0, "municipality:1/village:101", 30, 10);

    let findings = auditor.findings();
    for (village, size) in [("102", 6), ("103", 7)] {
        let name = format!("municipality:1/village:{village}");
        let drinkers = found(
            &findings,
            Scope::Release(0),
            &name,
            &Figure::Numerator { indicator: drank() },
        );
        assert_eq!(drinkers.value, 0);
        assert_eq!(drinkers.method, Method::Bounds, "no subtraction gives it");
        assert_eq!(
            drinkers.concern,
            Some(Concern::SmallGroup {
                respondents: size,
                k: 10
            })
        );
        // Their sizes stay unknown: only the remainder of 13 is.
        assert!(finding(&findings, Scope::Release(0), &name, &Figure::Respondents).is_none());
    }
}

#[test]
fn a_zero_a_released_figure_states_for_everyone_is_not_reported() {
    // Nobody of the 37 has drunk, and the municipality's 0 % is released: that
    // the hidden village has no drinkers is then shown, not worked out. Its
    // size, the municipality minus the released village, is worked out.
    let states = one_state(vec![
        hand_made(Student::living_in(101), 30, 0),
        hand_made(Student::living_in(102), 7, 0),
    ]);
    let mut auditor = Auditor::new(10, &states, questionnaire()).expect("an auditor");
    show(&mut auditor, 0, "municipality:1", 37, 0);
    show(&mut auditor, 0, "municipality:1/village:101", 30, 0);

    let audit = auditor.audit();
    let village = "municipality:1/village:102";
    let drinkers = Figure::Numerator { indicator: drank() };
    assert!(finding(audit.determined(), Scope::Release(0), village, &drinkers).is_none());
    let size = found(
        audit.determined(),
        Scope::Release(0),
        village,
        &Figure::Respondents,
    );
    assert_eq!(size.value, 7);
}

#[test]
fn two_releases_sixty_and_sixty_one_isolate_the_late_student() {
    let first = hand_made(Student::living_in(101), 60, 20);
    let late = hand_made(Student::living_in(101), 1, 1);
    let states = vec![first.clone(), [first, late].concat()];
    let mut auditor = Auditor::new(10, &states, questionnaire()).expect("an auditor");
    show(&mut auditor, 0, "region", 60, 20);
    show(&mut auditor, 1, "region", 61, 21);

    let findings = auditor.findings();
    let added = Scope::Added {
        since: 0,
        release: 1,
    };
    let count = found(&findings, added, "region", &Figure::Respondents);
    assert_eq!(count.value, 1);
    assert_eq!(count.method, Method::Linear);
    let drank = found(
        &findings,
        added,
        "region",
        &Figure::Numerator { indicator: drank() },
    );
    assert_eq!(
        drank.value, 1,
        "the late student has drunk, and everyone can tell"
    );
}

#[test]
fn a_second_k_gives_away_a_village_the_first_release_hid() {
    // The same 39 students released twice. Under k = 10 the village of 7 is
    // hidden with the village of 12 beside it; under k = 12 the village of 12
    // shows and the village of 20 is hidden beside the 7 instead. Each release
    // alone is safe; together, 39 − 12 − 20 = 7.
    let students = [
        hand_made(Student::living_in(101), 12, 5),
        hand_made(Student::living_in(102), 7, 3),
        hand_made(Student::living_in(103), 20, 8),
    ]
    .concat();
    let states = vec![students.clone(), students];
    let mut auditor = Auditor::new(10, &states, questionnaire()).expect("an auditor");
    for release in [0, 1] {
        show_with_breakdowns(&mut auditor, release, "region", 39, 16);
        show_with_breakdowns(&mut auditor, release, "municipality:1", 39, 16);
        show_with_breakdowns(&mut auditor, release, "school:1", 39, 16);
    }
    show_with_breakdowns(&mut auditor, 0, "municipality:1/village:103", 20, 8);
    show_with_breakdowns(&mut auditor, 1, "municipality:1/village:101", 12, 5);

    let single = {
        let mut first_only = Auditor::new(10, &states[..1], questionnaire()).expect("an auditor");
        show_with_breakdowns(&mut first_only, 0, "region", 39, 16);
        show_with_breakdowns(&mut first_only, 0, "municipality:1", 39, 16);
        show_with_breakdowns(&mut first_only, 0, "school:1", 39, 16);
        show_with_breakdowns(&mut first_only, 0, "municipality:1/village:103", 20, 8);
        first_only.audit()
    };
    assert!(
        single.determined().is_empty(),
        "the first release alone is safe:{}",
        listed(single.determined())
    );

    let findings = auditor.findings();
    for release in [0, 1] {
        let hidden = found(
            &findings,
            Scope::Release(release),
            "municipality:1/village:102",
            &Figure::Respondents,
        );
        assert_eq!(hidden.value, 7);
    }
    // The villages each release shows are shown, not worked out.
    let determined = auditor.audit();
    for shown in ["municipality:1/village:101", "municipality:1/village:103"] {
        assert!(
            !determined
                .determined()
                .iter()
                .any(|f| f.group == group(shown)),
            "{shown} is released in one of the two, not derived:{}",
            listed(determined.determined())
        );
    }
}

#[test]
fn a_cell_bridging_two_hidden_blocks_of_villages_by_year_is_worked_out() {
    // Villages 101–104 by school years 1–4, with every margin shown. Hidden:
    // two 2 × 2 blocks (villages 101–102 × years 1–2, villages 103–104 × years
    // 3–4) and the cell village 102 × year 3 that joins them. Every row and
    // column has at least two hidden cells, yet the joining cell is villages
    // 101 + 102 minus years 1 + 2 of those villages.
    let villages = [101, 102, 103, 104];
    let years = [1u8, 2, 3, 4];
    let hidden = |v: usize, y: usize| (v < 2 && y < 2) || (v >= 2 && y >= 2) || (v == 1 && y == 2);
    let size = |v: usize, y: usize| 6 + v + 2 * y;
    let mut students = Vec::new();
    for (v, &village) in villages.iter().enumerate() {
        for (y, &year) in years.iter().enumerate() {
            students.extend(hand_made(
                Student::living_in(village).year(year),
                size(v, y),
                0,
            ));
        }
    }
    let total: usize = students.len();
    let states = vec![students];
    let mut auditor = Auditor::new(5, &states, questionnaire()).expect("an auditor");
    let count = |auditor: &mut Auditor, name: &str, n: usize| {
        auditor
            .observe(0, &group(name), Observation::Respondents(n as u64))
            .expect("the figure matches the responses");
    };
    for place in ["region", "municipality:1", "school:1"] {
        count(&mut auditor, place, total);
        count(&mut auditor, &format!("{place}/gender:boy"), total);
        for (y, &year) in years.iter().enumerate() {
            let column: usize = (0..4).map(|v| size(v, y)).sum();
            count(&mut auditor, &format!("{place}/year:{year}"), column);
        }
    }
    for (v, &village) in villages.iter().enumerate() {
        let name = format!("municipality:1/village:{village}");
        let row: usize = (0..4).map(|y| size(v, y)).sum();
        count(&mut auditor, &name, row);
        count(&mut auditor, &format!("{name}/gender:boy"), row);
        for (y, &year) in years.iter().enumerate() {
            if !hidden(v, y) {
                count(&mut auditor, &format!("{name}/year:{year}"), size(v, y));
            }
        }
    }

    let audit = auditor.audit();
    let bridge = found(
        audit.determined(),
        Scope::Release(0),
        "municipality:1/village:102/year:3",
        &Figure::Respondents,
    );
    assert_eq!(bridge.value as usize, size(1, 2));
    assert_eq!(bridge.method, Method::Linear);
    let others: Vec<&Finding> = audit
        .determined()
        .iter()
        .filter(|f| f.group != group("municipality:1/village:102/year:3"))
        .collect();
    assert!(
        others.is_empty(),
        "only the bridge follows:{}",
        others
            .iter()
            .map(|f| format!("\n  {f}"))
            .collect::<String>()
    );
}

#[test]
fn two_hidden_villages_with_a_mixed_remainder_stay_hidden() {
    // 30 + 7 + 8 students; the hidden 15 hold 7 drinkers between them, which
    // neither sums nor bounds split between the two villages.
    let states = one_state(vec![
        hand_made(Student::living_in(101), 30, 10),
        hand_made(Student::living_in(102), 7, 3),
        hand_made(Student::living_in(103), 8, 4),
    ]);
    let mut auditor = Auditor::new(10, &states, questionnaire()).expect("an auditor");
    for place in [
        "region",
        "municipality:1",
        "school:1",
        "municipality:1/village:101",
    ] {
        let (n, drinkers) = if place.ends_with("101") {
            (30, 10)
        } else {
            (45, 17)
        };
        show_with_breakdowns(&mut auditor, 0, place, n, drinkers);
    }

    let audit = auditor.audit();
    assert!(
        audit.determined().is_empty(),
        "nothing hidden follows:{}",
        listed(audit.determined())
    );
}

/// Shows a group's respondents in `release`, with its breakdowns (hand-made
/// students are all boys in year 2), and nothing else of it.
fn show_size(auditor: &mut Auditor, release: usize, name: &str, respondents: u64) {
    for suffix in ["", "/year:2", "/gender:boy"] {
        auditor
            .observe(
                release,
                &group(&format!("{name}{suffix}")),
                Observation::Respondents(respondents),
            )
            .expect("the figure matches the responses");
    }
}

/// 30 students who all answered whether they ever drank, released `releases`
/// times over: the totals (11 drinkers) in every release, the villages' sizes
/// (20 and 10) only in the first, their shares never. Attacked.
fn sizes_and_a_total_where_all_answered(releases: usize) -> disclosure_auditor::Audit {
    let students = [
        hand_made(Student::living_in(101), 20, 8),
        hand_made(Student::living_in(102), 10, 3),
    ]
    .concat();
    let states = vec![students; releases];
    let mut auditor = Auditor::new(10, &states, questionnaire()).expect("an auditor");
    for release in 0..releases {
        for place in ["region", "municipality:1", "school:1"] {
            show_with_breakdowns(&mut auditor, release, place, 30, 11);
        }
    }
    show_size(&mut auditor, 0, "municipality:1/village:101", 20);
    show_size(&mut auditor, 0, "municipality:1/village:102", 10);
    auditor.audit()
}

fn nothing_follows(audit: &disclosure_auditor::Audit) {
    assert!(
        audit.determined().is_empty(),
        "nothing hidden follows:{}",
        listed(audit.determined())
    );
}

#[test]
fn a_denominator_that_only_counts_skips_is_not_reported() {
    // The municipality shows that all 30 answered: each village's hidden
    // denominator is then its shown size. That nobody skipped the question is
    // no answer of anyone; the drinkers stay hidden.
    nothing_follows(&sizes_and_a_total_where_all_answered(1));
}

#[test]
fn a_size_shown_in_another_release_of_the_same_students_counts_as_shown() {
    // A second release under another k withholds the villages' sizes, which
    // the first showed: their denominators still tell only skips.
    nothing_follows(&sizes_and_a_total_where_all_answered(2));
}

#[test]
fn villages_listed_as_withheld_have_somebody_each() {
    // Two hidden villages hold the 2 students the released village leaves;
    // both are listed, so neither is empty: one student each.
    let states = one_state(vec![
        hand_made(Student::living_in(101), 30, 10),
        hand_made(Student::living_in(102), 1, 0),
        hand_made(Student::living_in(103), 1, 1),
    ]);
    let mut auditor = Auditor::new(10, &states, questionnaire()).expect("an auditor");
    show(&mut auditor, 0, "municipality:1", 32, 11);
    show(&mut auditor, 0, "municipality:1/village:101", 30, 10);
    for village in ["municipality:1/village:102", "municipality:1/village:103"] {
        auditor
            .observe(0, &group(village), Observation::Withheld)
            .expect("the village has somebody");
    }

    let findings = auditor.findings();
    for village in ["municipality:1/village:102", "municipality:1/village:103"] {
        let size = found(&findings, Scope::Release(0), village, &Figure::Respondents);
        assert_eq!(size.value, 1);
        assert_eq!(size.method, Method::Bounds);
    }
}

#[test]
fn a_figure_the_responses_do_not_give_is_refused() {
    let states = one_state(vec![hand_made(Student::living_in(101), 12, 4)]);
    let mut auditor = Auditor::new(10, &states, questionnaire()).expect("an auditor");
    let wrong = auditor.observe(0, &group("region"), Observation::Respondents(13));
    assert!(matches!(
        wrong,
        Err(AuditError::Disagrees {
            observed: 13,
            truth: 12,
            ..
        })
    ));
    let later = auditor.observe(1, &group("region"), Observation::Respondents(12));
    assert!(matches!(later, Err(AuditError::UnknownRelease { .. })));
}

#[test]
fn a_state_that_loses_responses_is_refused() {
    let students = hand_made(Student::living_in(101), 12, 4);
    let states = vec![students.clone(), students[1..].to_vec()];
    assert!(matches!(
        Auditor::new(10, &states, questionnaire()),
        Err(AuditError::ResponsesRemoved { state: 1 })
    ));
}

/// A municipality of hand-made villages (size, drinkers) with codes 101, 102, …
fn villages(sizes: &[(usize, usize)]) -> Vec<Vec<SurveyResponse>> {
    let students = (101..)
        .zip(sizes)
        .flat_map(|(village, &(size, drinkers))| {
            hand_made(Student::living_in(village), size, drinkers)
        })
        .collect();
    vec![students]
}

/// Shows the region, municipality 1 and school 1, which hold every village.
fn show_totals(auditor: &mut Auditor, sizes: &[(usize, usize)]) {
    let students = sizes.iter().map(|&(s, _)| s as u64).sum();
    let drinkers = sizes.iter().map(|&(_, d)| d as u64).sum();
    for place in ["region", "municipality:1", "school:1"] {
        show_with_breakdowns(auditor, 0, place, students, drinkers);
    }
}

/// A village's size and how many of them drank.
fn village() -> impl Strategy<Value = (usize, usize)> {
    (1usize..40).prop_flat_map(|size| (Just(size), 0..=size))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn one_village_hidden_beside_released_siblings_is_always_found(
        sizes in prop::collection::vec(village(), 2..=5),
        hidden in any::<prop::sample::Index>(),
    ) {
        let hidden = hidden.index(sizes.len());
        let mut auditor =
            Auditor::new(10, &villages(&sizes), questionnaire()).expect("an auditor");
        show_totals(&mut auditor, &sizes);
        for (v, &(size, drinkers)) in sizes.iter().enumerate().filter(|&(v, _)| v != hidden) {
            let name = format!("municipality:1/village:{}", 101 + v);
            show_with_breakdowns(&mut auditor, 0, &name, size as u64, drinkers as u64);
        }

        let audit = auditor.audit();
        let name = format!("municipality:1/village:{}", 101 + hidden);
        let (size, drinkers) = sizes[hidden];
        let found_size = found(audit.determined(), Scope::Release(0), &name, &Figure::Respondents);
        prop_assert_eq!(found_size.value as usize, size);
        prop_assert_eq!(found_size.method, Method::Linear);
        let numerator = Figure::Numerator { indicator: drank() };
        if sizes.iter().all(|&(_, d)| d == 0) {
            // The municipality's released 0 % already says it of every village.
            prop_assert!(finding(audit.determined(), Scope::Release(0), &name, &numerator).is_none());
        } else {
            let found_drinkers = found(audit.determined(), Scope::Release(0), &name, &numerator);
            prop_assert_eq!(found_drinkers.value as usize, drinkers);
        }
        let hidden_place = group(&name).place;
        prop_assert!(
            audit.determined().iter().all(|f| f.group.place == hidden_place),
            "only the hidden village follows:{}",
            listed(audit.determined())
        );
    }

    #[test]
    fn two_hidden_villages_give_away_their_drinkers_only_when_none_or_all_drank(
        first in village(),
        second in village(),
    ) {
        let sizes = [(30, 10), first, second];
        let mut auditor =
            Auditor::new(10, &villages(&sizes), questionnaire()).expect("an auditor");
        show_totals(&mut auditor, &sizes);
        show_with_breakdowns(&mut auditor, 0, "municipality:1/village:101", 30, 10);
        for village in ["102", "103"] {
            for suffix in ["", "/year:2", "/gender:boy"] {
                let name = format!("municipality:1/village:{village}{suffix}");
                auditor
                    .observe(0, &group(&name), Observation::Withheld)
                    .expect("the village has somebody");
            }
        }

        let audit = auditor.audit();
        let (students, drinkers) = (first.0 + second.0, first.1 + second.1);
        let is_found = |village: &str, figure: Figure| {
            let name = format!("municipality:1/village:{village}");
            finding(audit.determined(), Scope::Release(0), &name, &figure).is_some()
        };
        for village in ["102", "103"] {
            prop_assert_eq!(
                is_found(village, Figure::Numerator { indicator: drank() }),
                drinkers == 0
            );
            prop_assert_eq!(
                is_found(village, Figure::Complement { indicator: drank() }),
                drinkers == students
            );
            // Two students between them are one each; more can be split many ways.
            prop_assert_eq!(is_found(village, Figure::Respondents), students == 2);
        }
    }
}
