//! Key messages: the few plain sentences at the top of a dashboard and of the
//! printable report that say, in Dutch or English, which figures of a community
//! really moved since earlier waves and where it really differs from the area it
//! is compared with.
//!
//! The sentences are written from verdicts the statistics already reached
//! ([`Trend`] and [`Standing`] in [`surveys::statistics`]); nothing here judges
//! again whether a change is real, so a message and the chart beside it never
//! disagree. Figures that did not really change say nothing on their own; when
//! nothing changed at all, one sentence says so, so the report never suggests
//! movement that the numbers do not carry.

use surveys::statistics::REAL_DIFFERENCE_POINTS;
use surveys::{Change, Comparison, Direction, Standing, Trend};

use crate::Language;

/// One indicator of one community (village, municipality or school), with the
/// comparisons whose figures are released.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Subject<'a> {
    /// The indicator's label in the report's language, e.g. "Drunk in the last
    /// 30 days". Messages quote it as given, so any noun phrase works; a subject
    /// with an empty label gets no message.
    pub label: &'a str,
    /// Used only to order messages: substance use comes before risk and
    /// protective factors when differences are equally large.
    pub direction: Direction,
    /// The previous wave's label (e.g. "2024") and the change since then; `None`
    /// unless both waves' figures are released.
    pub since_previous: Option<(&'a str, Change)>,
    /// The first wave's label and the change since then, same rule. Shown as a
    /// long-term message only when it is another wave than `since_previous`.
    pub since_first: Option<(&'a str, Change)>,
    /// What the community is compared with, named as the sentence should say it
    /// after "in" ("the region", "de regio", "Oostland"), and the comparison;
    /// `None` unless both figures are released.
    pub against: Option<(&'a str, Comparison)>,
    /// The comparison is with the rest of `against` once the community is taken
    /// out ([`Comparison::with_rest_of`]), so sentences say "the rest of
    /// Oostland" / "de rest van Oostland". Ignored without `against`.
    pub against_rest: bool,
}

/// The key messages for `place` (the community's name as readers know it, e.g.
/// "Westdorp"), at most `limit` of them, in `language`.
///
/// One message per real change since the previous wave, per real long-term
/// change since the first wave, and per real difference from the reference.
/// Order: worsenings first (they call for action), then improvements, then
/// differences from the reference; within each, the larger difference in
/// percentage points first, then substance use before risk factors before
/// protective factors, then the change since the previous wave before the
/// long-term one, then the order of `subjects`.
///
/// When no message results although some indicator was compared with the
/// previous wave, and every such comparison came out unchanged, the single
/// message says that nothing really changed.
pub fn key_messages(
    language: Language,
    place: &str,
    subjects: &[Subject<'_>],
    limit: usize,
) -> Vec<String> {
    let mut messages: Vec<KeyMessage> = subjects
        .iter()
        .flat_map(|subject| messages_about(language, place, subject))
        .collect();
    // Stable, so equal ranks keep the caller's order.
    messages.sort_by(|a, b| a.rank.cmp_with(&b.rank));
    let mut texts: Vec<String> = messages.into_iter().map(|m| m.text).collect();
    if texts.is_empty() {
        texts.extend(nothing_changed(language, subjects));
    }
    texts.truncate(limit);
    texts
}

/// A message and where it goes in the list.
struct KeyMessage {
    rank: Rank,
    text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Worsening,
    Improvement,
    Difference,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Horizon {
    SincePrevious,
    SinceFirst,
}

struct Rank {
    kind: Kind,
    /// The absolute difference in percentage points.
    size: f64,
    direction: u8,
    horizon: Horizon,
}

impl Rank {
    fn cmp_with(&self, other: &Rank) -> std::cmp::Ordering {
        self.kind
            .cmp(&other.kind)
            .then_with(|| other.size.total_cmp(&self.size))
            .then_with(|| self.direction.cmp(&other.direction))
            .then_with(|| self.horizon.cmp(&other.horizon))
    }
}

fn direction_order(direction: Direction) -> u8 {
    match direction {
        Direction::Outcome => 0,
        Direction::Risk => 1,
        Direction::Protective => 2,
    }
}

fn messages_about(language: Language, place: &str, subject: &Subject<'_>) -> Vec<KeyMessage> {
    let Some(label) = quoted(subject.label) else {
        return Vec::new();
    };
    let direction = direction_order(subject.direction);
    let mut messages = Vec::new();
    if let Some((wave, change)) = subject.since_previous {
        messages.extend(change_message(
            language,
            &label,
            Horizon::SincePrevious,
            wave,
            change,
            direction,
        ));
    }
    if let Some((wave, change)) = subject.since_first {
        // When the first wave is the previous one, the long-term message would
        // repeat the short-term one.
        let repeats = subject
            .since_previous
            .is_some_and(|(previous_wave, previous_change)| {
                previous_wave.trim() == wave.trim() || previous_change == change
            });
        if !repeats {
            messages.extend(change_message(
                language,
                &label,
                Horizon::SinceFirst,
                wave,
                change,
                direction,
            ));
        }
    }
    if let Some((reference, comparison)) = subject.against {
        messages.extend(difference_message(
            language,
            place,
            &label,
            reference,
            subject.against_rest,
            comparison,
            direction,
        ));
    }
    messages
}

/// The label in quotation marks, so that any phrase reads as a name inside a
/// sentence without guessing at its grammar; `None` for an empty label.
fn quoted(label: &str) -> Option<String> {
    let label = label.trim().trim_end_matches('.').trim_end();
    (!label.is_empty()).then(|| format!("“{label}”"))
}

fn change_message(
    language: Language,
    label: &str,
    horizon: Horizon,
    wave: &str,
    change: Change,
    direction: u8,
) -> Option<KeyMessage> {
    let kind = match change.trend {
        Trend::Worsened => Kind::Worsening,
        Trend::Improved => Kind::Improvement,
        Trend::Unchanged => return None,
    };
    let earlier = change.earlier.percent()?;
    let later = change.later.percent()?;
    let from = language.percent(earlier, 0);
    let to = language.percent(later, 0);
    // A real change is at least three points, so this only guards against a
    // hand-made verdict: never call two equal printed figures a rise or fall.
    if from == to {
        return None;
    }
    let rose = later > earlier;
    let wave = wave.trim();
    let text = match language {
        Language::En => {
            let since = match (wave.is_empty(), horizon) {
                (false, _) => format!("since {wave}"),
                (true, Horizon::SincePrevious) => "since the previous survey".to_owned(),
                (true, Horizon::SinceFirst) => "since the first survey".to_owned(),
            };
            let opening = match horizon {
                Horizon::SincePrevious => "",
                Horizon::SinceFirst => "Over the longer term, ",
            };
            let (verb, noun) = if rose {
                ("rose", "increase")
            } else {
                ("fell", "decrease")
            };
            let meaning = match kind {
                Kind::Worsening => "a worsening",
                _ => "an improvement",
            };
            format!(
                "{opening}{label} {verb} from {from} to {to} {since} — a real {noun} ({meaning})."
            )
        }
        Language::Nl => {
            let since = match (wave.is_empty(), horizon) {
                (false, _) => format!("sinds {wave}"),
                (true, Horizon::SincePrevious) => "sinds de vorige peiling".to_owned(),
                (true, Horizon::SinceFirst) => "sinds de eerste peiling".to_owned(),
            };
            let (verb, noun) = if rose {
                ("gestegen", "stijging")
            } else {
                ("gedaald", "daling")
            };
            let meaning = match kind {
                Kind::Worsening => "een verslechtering",
                _ => "een verbetering",
            };
            let body = format!("{verb} van {from} naar {to} — een echte {noun} ({meaning}).");
            match horizon {
                Horizon::SincePrevious => format!("{label} is {since} {body}"),
                Horizon::SinceFirst => format!("Op langere termijn is {label} {since} {body}"),
            }
        }
    };
    Some(KeyMessage {
        rank: Rank {
            kind,
            size: (later - earlier).abs(),
            direction,
            horizon,
        },
        text,
    })
}

fn difference_message(
    language: Language,
    place: &str,
    label: &str,
    reference: &str,
    rest: bool,
    comparison: Comparison,
    direction: u8,
) -> Option<KeyMessage> {
    let favourable = match comparison.standing {
        Standing::Better => true,
        Standing::Worse => false,
        Standing::NoRealDifference => return None,
    };
    let group = comparison.group.percent()?;
    let other = comparison.reference.percent()?;
    let here = language.percent(group, 0);
    let there = language.percent(other, 0);
    if here == there {
        return None;
    }
    let more = group > other;
    let place = place.trim();
    let reference = reference.trim();
    let text = match language {
        Language::En => {
            let place = if place.is_empty() {
                "this group"
            } else {
                place
            };
            let reference = if reference.is_empty() {
                "the comparison group"
            } else {
                reference
            };
            let area = if rest {
                format!("the rest of {reference}")
            } else {
                reference.to_owned()
            };
            let how = if more { "more" } else { "less" };
            let verdict = if favourable {
                format!("in favour of {place}")
            } else {
                format!("to the disadvantage of {place}")
            };
            format!(
                "In {place}, {label} is {how} common than in {area} ({here} against {there}) — a real difference, {verdict}."
            )
        }
        Language::Nl => {
            let place = if place.is_empty() {
                "deze groep"
            } else {
                place
            };
            let reference = if reference.is_empty() {
                "de vergelijkingsgroep"
            } else {
                reference
            };
            let area = if rest {
                format!("de rest van {reference}")
            } else {
                reference.to_owned()
            };
            let how = if more { "vaker" } else { "minder vaak" };
            let verdict = if favourable { "voordeel" } else { "nadeel" };
            format!(
                "In {place} komt {label} {how} voor dan in {area} ({here} tegenover {there}) — een echt verschil, in het {verdict} van {place}."
            )
        }
    };
    Some(KeyMessage {
        rank: Rank {
            kind: Kind::Difference,
            size: (group - other).abs(),
            direction,
            horizon: Horizon::SincePrevious,
        },
        text,
    })
}

/// The message for a community where nothing really changed since the previous
/// wave. Only when every comparison with that wave was judged unchanged: a
/// change that produced no message for another reason must not be reported as
/// no change.
fn nothing_changed(language: Language, subjects: &[Subject<'_>]) -> Option<String> {
    let previous: Vec<(&str, Change)> = subjects.iter().filter_map(|s| s.since_previous).collect();
    let (first_wave, _) = previous.first()?;
    if previous
        .iter()
        .any(|(_, change)| change.trend != Trend::Unchanged)
    {
        return None;
    }
    let first_wave = first_wave.trim();
    // Indicators may have been asked last in different waves; name the wave only
    // when it is the same for all.
    let wave = (!first_wave.is_empty()
        && previous.iter().all(|(wave, _)| wave.trim() == first_wave))
    .then_some(first_wave);
    let points = REAL_DIFFERENCE_POINTS;
    Some(match (language, wave) {
        (Language::En, Some(wave)) => format!(
            "None of the figures compared with {wave} has really changed: the differences are smaller than {points} percentage points or could be down to chance."
        ),
        (Language::En, None) => format!(
            "None of the figures compared with the previous survey has really changed: the differences are smaller than {points} percentage points or could be down to chance."
        ),
        (Language::Nl, Some(wave)) => format!(
            "Geen van de cijfers is sinds {wave} echt veranderd: de verschillen zijn kleiner dan {points} procentpunten of kunnen op toeval berusten."
        ),
        (Language::Nl, None) => format!(
            "Geen van de cijfers is sinds de vorige peiling echt veranderd: de verschillen zijn kleiner dan {points} procentpunten of kunnen op toeval berusten."
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use surveys::Share;

    fn share(numerator: u64, denominator: u64) -> Share {
        Share::new(numerator, denominator).expect("a valid share in a test")
    }

    fn change(earlier: (u64, u64), later: (u64, u64), direction: Direction) -> Change {
        Change::between(
            share(earlier.0, earlier.1),
            share(later.0, later.1),
            direction,
        )
        .expect("both waves answered")
    }

    fn subject(label: &str, direction: Direction) -> Subject<'_> {
        Subject {
            label,
            direction,
            since_previous: None,
            since_first: None,
            against: None,
            against_rest: false,
        }
    }

    fn since_previous<'a>(
        label: &'a str,
        direction: Direction,
        earlier: (u64, u64),
        later: (u64, u64),
    ) -> Subject<'a> {
        Subject {
            since_previous: Some(("2024", change(earlier, later, direction))),
            ..subject(label, direction)
        }
    }

    #[test]
    fn a_real_fall_in_drinking_is_an_improvement() {
        let drunk = since_previous(
            "Drunk in the last 30 days",
            Direction::Outcome,
            (250, 1000),
            (190, 1000),
        );
        assert_eq!(
            key_messages(Language::En, "Westdorp", &[drunk], 5),
            [
                "“Drunk in the last 30 days” fell from 25% to 19% since 2024 — a real decrease (an improvement)."
            ]
        );
    }

    #[test]
    fn a_rise_in_a_protective_factor_is_an_improvement() {
        let sport = since_previous(
            "Sport at a club",
            Direction::Protective,
            (400, 1000),
            (480, 1000),
        );
        assert_eq!(
            key_messages(Language::En, "Westdorp", &[sport], 5),
            [
                "“Sport at a club” rose from 40% to 48% since 2024 — a real increase (an improvement)."
            ]
        );
        // The same rise of a risk factor is a worsening.
        let friends = since_previous(
            "Friends who drink",
            Direction::Risk,
            (400, 1000),
            (480, 1000),
        );
        assert_eq!(
            key_messages(Language::En, "Westdorp", &[friends], 5),
            [
                "“Friends who drink” rose from 40% to 48% since 2024 — a real increase (a worsening)."
            ]
        );
    }

    #[test]
    fn unchanged_figures_make_no_message() {
        // One point among thousands, and ten points in a group of twenty: neither
        // is real, so neither may be told as a rise.
        let small = since_previous("Ever smoked", Direction::Outcome, (200, 1000), (210, 1000));
        let noisy = since_previous("Ever vaped", Direction::Outcome, (4, 20), (6, 20));
        let mut same_as_region = subject("Ever drunk alcohol", Direction::Outcome);
        same_as_region.against =
            Comparison::with_other_group(share(41, 100), share(420, 1000), Direction::Outcome)
                .map(|c| ("the region", c));
        assert_eq!(
            same_as_region.against.map(|(_, c)| c.standing),
            Some(Standing::NoRealDifference)
        );
        // A real fall that makes the lists non-empty, so that the "nothing
        // changed" sentence stays out of the way.
        let real = since_previous(
            "Drunk in the last 30 days",
            Direction::Outcome,
            (250, 1000),
            (190, 1000),
        );
        let messages = key_messages(
            Language::En,
            "Westdorp",
            &[small, noisy, same_as_region, real],
            10,
        );
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("Drunk in the last 30 days"));
    }

    #[test]
    fn worsenings_come_first() {
        let big_improvement = since_previous(
            "Drunk in the last 30 days",
            Direction::Outcome,
            (300, 1000),
            (200, 1000),
        );
        let small_worsening = since_previous(
            "Parents know where they are on Saturday night",
            Direction::Protective,
            (700, 1000),
            (640, 1000),
        );
        let large_worsening = since_previous(
            "Friends who drink",
            Direction::Risk,
            (200, 1000),
            (300, 1000),
        );
        let mut worse_than_region = subject("Ever drunk alcohol", Direction::Outcome);
        worse_than_region.against =
            Comparison::with_other_group(share(600, 1000), share(400, 1000), Direction::Outcome)
                .map(|c| ("the region", c));
        // On equal differences substance use goes before risk factors, whatever
        // the order given.
        let risk_tie = since_previous(
            "Friends who smoke",
            Direction::Risk,
            (300, 1000),
            (240, 1000),
        );
        let outcome_tie =
            since_previous("Ever smoked", Direction::Outcome, (300, 1000), (240, 1000));
        let messages = key_messages(
            Language::En,
            "Westdorp",
            &[
                worse_than_region,
                big_improvement,
                risk_tie,
                small_worsening,
                outcome_tie,
                large_worsening,
            ],
            10,
        );
        let starts: Vec<&str> = messages
            .iter()
            .map(|m| m.split(" — ").next().unwrap_or_default())
            .collect();
        assert_eq!(
            starts,
            [
                "“Friends who drink” rose from 20% to 30% since 2024",
                "“Parents know where they are on Saturday night” fell from 70% to 64% since 2024",
                "“Drunk in the last 30 days” fell from 30% to 20% since 2024",
                "“Ever smoked” fell from 30% to 24% since 2024",
                "“Friends who smoke” fell from 30% to 24% since 2024",
                "In Westdorp, “Ever drunk alcohol” is more common than in the region (60% against 40%)",
            ]
        );
    }

    #[test]
    fn dutch_messages_use_decimal_comma_and_dutch_words() {
        let mut drunk = since_previous(
            "Dronken in de afgelopen 30 dagen",
            Direction::Outcome,
            (250, 1000),
            (190, 1000),
        );
        drunk.since_previous = drunk.since_previous.map(|(_, c)| ("2022", c));
        // Westdorp: 30 of 200 drunk; Oostland as a whole 330 of 1200, so the
        // rest of Oostland 300 of 1000.
        drunk.against =
            Comparison::with_rest_of(share(30, 200), share(330, 1200), Direction::Outcome)
                .expect("Westdorp lies in Oostland")
                .map(|c| ("Oostland", c));
        drunk.against_rest = true;
        let sport = since_previous(
            "Sport bij een club",
            Direction::Protective,
            (400, 1000),
            (340, 1000),
        );
        assert_eq!(
            key_messages(Language::Nl, "Westdorp", &[drunk, sport], 5),
            [
                "“Sport bij een club” is sinds 2024 gedaald van 40 % naar 34 % — een echte daling (een verslechtering).",
                "“Dronken in de afgelopen 30 dagen” is sinds 2022 gedaald van 25 % naar 19 % — een echte daling (een verbetering).",
                "In Westdorp komt “Dronken in de afgelopen 30 dagen” minder vaak voor dan in de rest van Oostland (15 % tegenover 30 %) — een echt verschil, in het voordeel van Westdorp.",
            ]
        );
        // A share that is not whole is still printed whole, the Dutch way.
        let third = since_previous("Ooit gerookt", Direction::Outcome, (100, 300), (50, 300));
        let message = &key_messages(Language::Nl, "Westdorp", &[third], 5)[0];
        assert!(message.contains("van 33 % naar 17 %"), "{message}");
    }

    #[test]
    fn a_village_is_compared_with_the_rest_of_its_municipality_in_words_too() {
        let mut sport = subject("Sport at a club", Direction::Protective);
        sport.against =
            Comparison::with_rest_of(share(30, 200), share(330, 1200), Direction::Protective)
                .expect("Westdorp lies in Oostland")
                .map(|c| ("Oostland", c));
        sport.against_rest = true;
        assert_eq!(
            key_messages(Language::En, "Westdorp", &[sport], 5),
            [
                "In Westdorp, “Sport at a club” is less common than in the rest of Oostland (15% against 30%) — a real difference, to the disadvantage of Westdorp."
            ]
        );
        sport.against_rest = false;
        sport.against = sport.against.map(|(_, c)| ("the region", c));
        assert!(
            key_messages(Language::En, "Westdorp", &[sport], 5)[0]
                .contains("less common than in the region (15% against 30%)")
        );
    }

    #[test]
    fn a_long_term_change_is_told_only_when_it_adds_something() {
        let mut drunk = since_previous(
            "Drunk in the last 30 days",
            Direction::Outcome,
            (250, 1000),
            (190, 1000),
        );
        drunk.since_first = Some(("2018", change((350, 1000), (190, 1000), Direction::Outcome)));
        let messages = key_messages(Language::En, "Westdorp", &[drunk], 5);
        assert_eq!(
            messages,
            [
                "Over the longer term, “Drunk in the last 30 days” fell from 35% to 19% since 2018 — a real decrease (an improvement).",
                "“Drunk in the last 30 days” fell from 25% to 19% since 2024 — a real decrease (an improvement).",
            ]
        );
        // With two waves the first one is the previous one.
        drunk.since_first = drunk.since_previous;
        assert_eq!(key_messages(Language::En, "Westdorp", &[drunk], 5).len(), 1);
    }

    #[test]
    fn without_real_changes_the_report_says_so() {
        let smoked = since_previous("Ever smoked", Direction::Outcome, (200, 1000), (210, 1000));
        let vaped = since_previous("Ever vaped", Direction::Outcome, (4, 20), (6, 20));
        assert_eq!(
            key_messages(Language::En, "Westdorp", &[smoked, vaped], 5),
            [
                "None of the figures compared with 2024 has really changed: the differences are smaller than 3 percentage points or could be down to chance."
            ]
        );
        assert_eq!(
            key_messages(Language::Nl, "Westdorp", &[smoked, vaped], 5),
            [
                "Geen van de cijfers is sinds 2024 echt veranderd: de verschillen zijn kleiner dan 3 procentpunten of kunnen op toeval berusten."
            ]
        );
        // Without any comparison with the previous wave there is nothing to say.
        let first_wave = subject("Ever smoked", Direction::Outcome);
        assert!(key_messages(Language::En, "Westdorp", &[first_wave], 5).is_empty());
        assert!(key_messages(Language::En, "Westdorp", &[], 5).is_empty());
    }

    #[test]
    fn the_limit_is_kept() {
        let subjects: Vec<Subject<'_>> = (0..6)
            .map(|i| {
                since_previous(
                    "Drunk in the last 30 days",
                    Direction::Outcome,
                    (300, 1000),
                    (200 + 10 * i, 1000),
                )
            })
            .collect();
        assert_eq!(
            key_messages(Language::En, "Westdorp", &subjects, 6).len(),
            6
        );
        let two = key_messages(Language::En, "Westdorp", &subjects, 2);
        assert_eq!(two.len(), 2);
        assert!(
            two[0].contains("to 20%") && two[1].contains("to 21%"),
            "{two:?}"
        );
        assert!(key_messages(Language::En, "Westdorp", &subjects, 0).is_empty());
        let unchanged = since_previous("Ever smoked", Direction::Outcome, (200, 1000), (210, 1000));
        assert!(key_messages(Language::En, "Westdorp", &[unchanged], 0).is_empty());
    }

    #[test]
    fn a_message_never_contradicts_its_numbers() {
        // Every pair of shares on a grid, every direction, both languages: a
        // message appears exactly when the statistics call the change real, and
        // its verb follows the figures.
        let sizes = [20, 97, 400];
        for direction in [Direction::Outcome, Direction::Risk, Direction::Protective] {
            for &n1 in &sizes {
                for &n2 in &sizes {
                    for k1 in (0..=n1).step_by(7) {
                        for k2 in (0..=n2).step_by(11) {
                            let change = change((k1, n1), (k2, n2), direction);
                            let subject = Subject {
                                since_previous: Some(("2024", change)),
                                ..subject("Ever smoked", direction)
                            };
                            let messages = key_messages(Language::En, "", &[subject], 3);
                            assert_eq!(messages.len(), 1);
                            let message = &messages[0];
                            match change.trend {
                                Trend::Unchanged => {
                                    assert!(message.starts_with("None of the figures"), "{message}")
                                }
                                trend => {
                                    let rose = change.difference.points > 0.0;
                                    assert_eq!(message.contains(" rose "), rose, "{message}");
                                    assert_eq!(message.contains(" fell "), !rose, "{message}");
                                    assert_eq!(
                                        message.contains("an improvement"),
                                        trend == Trend::Improved,
                                        "{message}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn missing_names_do_not_break_a_sentence() {
        let mut drunk = subject("  ", Direction::Outcome);
        drunk.since_previous = Some(("2024", change((250, 1000), (190, 1000), Direction::Outcome)));
        // Without a label there is no message, and no claim that nothing changed.
        assert!(key_messages(Language::En, "Westdorp", &[drunk], 5).is_empty());

        let mut sport = subject("Sport at a club.", Direction::Protective);
        sport.since_previous = Some(("", change((400, 1000), (480, 1000), Direction::Protective)));
        sport.against =
            Comparison::with_other_group(share(30, 200), share(300, 1000), Direction::Protective)
                .map(|c| ("", c));
        assert_eq!(
            key_messages(Language::En, "", &[sport], 5),
            [
                "“Sport at a club” rose from 40% to 48% since the previous survey — a real increase (an improvement).",
                "In this group, “Sport at a club” is less common than in the comparison group (15% against 30%) — a real difference, to the disadvantage of this group.",
            ]
        );
    }
}
