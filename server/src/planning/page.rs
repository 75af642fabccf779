//! The planning screens written as HTML: server-rendered forms, no script.

use app::components::text_area::TextArea;
use app::i18n::Lang;
use axum::{http::StatusCode, response::Response};
use leptos::prelude::*;
use reports::{Cell, Table};
use surveys::planning::GoalStatus;

use super::goal_forms::{Baseline, GoalFields};
use super::goals::{DOMAINS, GoalRow, GoalWords, domain_label};
use super::overview::MunicipalityProgress;
use super::{ACTION_STATUSES, CYCLE_STEPS, ListedAction, PlacePage, PlanningPlace};
use crate::admin::{CsrfField, Options, Problem, Problems, Staff, say};

pub fn goals_title(lang: Lang, place: &str) -> String {
    format!(
        "{} — {place}",
        say(lang, "Doelen en hun voortgang", "Goals and their progress")
    )
}

fn actions_title(lang: Lang, place: &str) -> String {
    format!("{} — {place}", say(lang, "Acties", "Actions"))
}

pub fn status_label(lang: Lang, key: &str) -> String {
    ACTION_STATUSES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, nl, en)| say(lang, nl, en).to_owned())
        .unwrap_or_else(|| key.to_owned())
}

/// The actions as a table: the same rows on the page and in the downloads.
pub fn actions_table(
    lang: Lang,
    place: &str,
    actions: &[ListedAction],
    factors: &[(String, String)],
) -> Table {
    let language = crate::dashboard::language(lang);
    let rows = actions
        .iter()
        .map(|listed| {
            let a = &listed.action;
            let goal = listed.goal.clone();
            let aimed: Vec<String> = a
                .factors
                .split(',')
                .filter(|k| !k.is_empty())
                .map(|k| {
                    factors
                        .iter()
                        .find(|(key, _)| key == k)
                        .map_or_else(|| k.to_owned(), |(_, label)| label.clone())
                })
                .collect();
            vec![
                Cell::Text(a.title.clone()),
                Cell::Text(listed.place.clone()),
                Cell::Text(domain_label(&a.domain, language)),
                Cell::Text(status_label(lang, &a.status)),
                Cell::Text(a.organisation.clone()),
                Cell::Text(a.starts_on.to_string()),
                a.ends_on.map_or(Cell::Empty, |d| Cell::Text(d.to_string())),
                a.budget_euros
                    .and_then(|b| u64::try_from(b).ok())
                    .map_or(Cell::Empty, Cell::Count),
                if goal.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(goal)
                },
                Cell::Text(aimed.join("; ")),
                Cell::Text(a.description.clone()),
            ]
        })
        .collect();
    Table {
        title: actions_title(lang, place),
        columns: vec![
            say(lang, "Actie", "Action").to_owned(),
            say(lang, "Plaats", "Place").to_owned(),
            say(lang, "Domein", "Domain").to_owned(),
            say(lang, "Stand", "Status").to_owned(),
            say(lang, "Organisatie", "Organisation").to_owned(),
            say(lang, "Begin", "Start").to_owned(),
            say(lang, "Einde", "End").to_owned(),
            say(lang, "Budget (euro)", "Budget (euro)").to_owned(),
            say(lang, "Doel", "Goal").to_owned(),
            say(lang, "Gericht op", "Aimed at").to_owned(),
            say(lang, "Wat er gebeurt", "What is done").to_owned(),
        ],
        rows,
    }
}

fn cell_text(lang: Lang, cell: Cell) -> String {
    let language = crate::dashboard::language(lang);
    match cell {
        Cell::Text(t) | Cell::Suppressed(t) => t,
        Cell::Percent(v) => language.percent(v, reports::PERCENT_DECIMALS),
        Cell::Count(n) => n.to_string(),
        Cell::Empty => "—".to_owned(),
    }
}

/// A goal's status as a labelled mark, with its reason beside it.
#[component]
pub fn StatusMark(lang: Lang, status: GoalStatus) -> impl IntoView {
    let words = GoalWords(crate::dashboard::language(lang));
    let class = format!("goal-status {}", status.key().replace('_', "-"));
    view! { <span class=class data-status=status.key()>{words.status(status)}</span> }
}

/// The goals of a place as a table with their status marks; `remove` holds
/// the CSRF token and place when the reader may remove goals.
pub fn goals_view(
    lang: Lang,
    place: &str,
    rows: Vec<GoalRow>,
    remove: Option<(String, String)>,
) -> impl IntoView + use<> {
    let language = crate::dashboard::language(lang);
    let table = super::goals::table(&rows, language, goals_title(lang, place));
    let columns = table.columns.clone();
    let lines: Vec<_> = rows
        .into_iter()
        .zip(table.rows)
        .map(|(row, cells)| (row.goal.id, row.status(), cells))
        .collect();
    let empty = lines.is_empty();
    let caption = table.title.clone();
    let label = caption.clone();
    view! {
        {if empty {
            view! { <p class="no-goals">{say(lang, "Er zijn nog geen doelen. Open de cijfers en kies bij een indicator \u{201c}Doel stellen\u{201d}.", "There are no goals yet. Open the figures and choose \u{201c}Set a goal\u{201d} beside an indicator.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=label>
                    <table class="data goals" data-table="goals">
                        <caption>{caption}</caption>
                        <thead><tr>
                            {columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                            {remove.is_some().then(|| view! { <th scope="col" class="row-action">{say(lang, "Verwijderen", "Remove")}</th> })}
                        </tr></thead>
                        <tbody>
                            {lines.into_iter().map(|(id, status, cells)| {
                                let mut cells = cells.into_iter();
                                let head = cells.next().map(|c| cell_text(lang, c)).unwrap_or_default();
                                let remove = remove.clone();
                                let anchor = format!("goal-{id}");
                                let status_index = 7;
                                view! {
                                    <tr id=anchor data-goal=id.to_string()>
                                        <th scope="row">{head}</th>
                                        {cells.enumerate().map(|(i, c)| {
                                            if i + 1 == status_index {
                                                view! { <td><StatusMark lang status/></td> }.into_any()
                                            } else {
                                                view! { <td>{cell_text(lang, c)}</td> }.into_any()
                                            }
                                        }).collect_view()}
                                        {remove.map(|(csrf, place)| view! {
                                            <td class="row-action">
                                                <form method="post" action=format!("/planning/{place}/goals/{id}/remove") class="inline">
                                                    <CsrfField token=csrf/>
                                                    <input type="checkbox" name="confirm" value="yes" required id=format!("remove-{id}")/>
                                                    <label for=format!("remove-{id}")>{say(lang, "zeker", "sure")}</label>" "
                                                    <button type="submit" class="button secondary">{say(lang, "Verwijder", "Remove")}</button>
                                                </form>
                                            </td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <p class="hint">{words_rule(lang)}</p>
    }
}

fn words_rule(lang: Lang) -> &'static str {
    say(
        lang,
        "Bereikt: het doel is gehaald en de verandering sinds de beginwaarde is echt (significant en minstens 3 procentpunt). Op koers: het 95%-interval van het laatste cijfer reikt tot de rechte lijn van beginwaarde naar doel, of verder. Niet op koers: het interval blijft achter, of het doeljaar is voorbij. Te vroeg: nog geen nieuwe peiling. Niet meetbaar: het cijfer wordt niet getoond.",
        "Achieved: the target is reached and the change since the baseline is real (significant and at least 3 points). On course: the latest figure's 95% interval reaches the straight path from baseline to target, or beyond. Off course: the interval falls short, or the target year has passed. Too early: no new wave yet. Not measurable: the figure is not shown.",
    )
}

/// A place's planning: goals, actions, and for a municipality its cycle.
pub fn place(
    staff: &Staff,
    page: PlacePage,
    status: StatusCode,
    problems: Vec<Problem>,
) -> Response {
    let lang = staff.lang;
    let csrf = staff.csrf_token.clone();
    let PlacePage {
        place,
        goals,
        actions,
        domain,
        status: action_status,
        cycle,
        done,
        may_set_goals,
        may_record,
        may_run_cycle,
        factors,
    } = page;
    let title = format!(
        "{}: {}",
        say(lang, "Preventieplan", "Prevention plan"),
        place.community.name
    );
    let base = format!("/planning/{}", place.name);
    let dashboard = format!("/dashboard/{}", place.name);
    let goal_choices: Vec<(String, String)> = goals
        .iter()
        .map(|g| {
            (
                g.goal.id.to_string(),
                format!(
                    "{} ({})",
                    g.label,
                    GoalWords(crate::dashboard::language(lang)).target(&g.goal)
                ),
            )
        })
        .collect();
    let table = actions_table(lang, &place.community.name, &actions, &factors);
    let action_rows: Vec<(ListedAction, Vec<Cell>)> = actions.into_iter().zip(table.rows).collect();
    let action_columns = table.columns;
    let action_caption = table.title;
    let place_name = place.name.clone();
    let community = place.community.name.clone();
    let remove = may_set_goals.then(|| (csrf.clone(), place_name.clone()));
    staff.wide_page_with_status(status, &title, move || {
        let domain_options: Vec<(String, String)> = DOMAINS.iter().map(|(k, nl, en)| ((*k).to_owned(), say(lang, nl, en).to_owned())).collect();
        let status_options: Vec<(String, String)> = ACTION_STATUSES.iter().map(|(k, nl, en)| ((*k).to_owned(), say(lang, nl, en).to_owned())).collect();
        view! {
            {done.map(|text| view! { <p class="message ok" role="status">{text}</p> })}
            <Problems lang problems/>
            <p class="downloads">
                <a href=dashboard.clone()>{say(lang, "Naar de cijfers", "To the figures")}</a>" · "
                <a href=format!("{base}/download/goals.csv")>{say(lang, "Doelen (CSV)", "Goals (CSV)")}</a>" · "
                <a href=format!("{base}/download/goals.xlsx")>{say(lang, "Doelen (XLSX)", "Goals (XLSX)")}</a>" · "
                <a href=format!("{base}/download/actions.csv")>{say(lang, "Acties (CSV)", "Actions (CSV)")}</a>" · "
                <a href=format!("{base}/download/actions.xlsx")>{say(lang, "Acties (XLSX)", "Actions (XLSX)")}</a>
            </p>
            <section id="goals">
                <h2>{say(lang, "Doelen en hun voortgang", "Goals and their progress")}</h2>
                {goals_view(lang, &community, goals, remove)}
                {may_set_goals.then(|| view! {
                    <p><a href=dashboard.clone() class="button secondary">{say(lang, "Nieuw doel: kies een cijfer", "New goal: choose a figure")}</a></p>
                })}
            </section>
            <section id="actions">
                <h2>{say(lang, "Acties", "Actions")}</h2>
                <form method="get" action=base.clone() class="filters">
                    <label>{say(lang, "Domein", "Domain")}" "
                        <select name="domain">
                            <Options choices=domain_options.clone() selected=domain none=true/>
                        </select>
                    </label>
                    <label>{say(lang, "Stand", "Status")}" "
                        <select name="status">
                            <Options choices=status_options.clone() selected=action_status none=true/>
                        </select>
                    </label>
                    <button type="submit" class="button">{say(lang, "Toon", "Show")}</button>
                </form>
                {if action_rows.is_empty() {
                    view! { <p>{say(lang, "Geen acties.", "No actions.")}</p> }.into_any()
                } else {
                    let csrf = csrf.clone();
                    let status_options = status_options.clone();
                    let any_update = action_rows.iter().any(|(listed, _)| listed.may_update);
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=action_caption.clone()>
                            <table class="data action-list" data-table="actions">
                                <caption>{action_caption.clone()}</caption>
                                <thead><tr>
                                    {action_columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                                    {any_update.then(|| view! { <th scope="col" class="row-action">{say(lang, "Bijwerken", "Update")}</th> })}
                                </tr></thead>
                                <tbody>
                                    {action_rows.into_iter().map(|(listed, cells)| {
                                        let a = listed.action;
                                        let mut cells = cells.into_iter();
                                        let head = cells.next().map(|c| cell_text(lang, c)).unwrap_or_default();
                                        let update = any_update.then(|| if !listed.may_update {
                                            view! { <td class="row-action"></td> }.into_any()
                                        } else {
                                            let id = a.id;
                                            let base = format!("/planning/{}", a.place);
                                            let status_id = format!("action-{id}-status");
                                            let end_id = format!("action-{id}-end");
                                            view! {
                                                <td class="row-action">
                                                    <form method="post" action=format!("{base}/actions/{id}") class="inline-form">
                                                        <CsrfField token=csrf.clone()/>
                                                        <label for=status_id.clone()>{say(lang, "Stand", "Status")}</label>
                                                        <select id=status_id name="status">
                                                            <Options choices=status_options.clone() selected=a.status.clone() none=false/>
                                                        </select>
                                                        <label for=end_id.clone()>{say(lang, "Einde", "End")}</label>
                                                        <input id=end_id name="ends_on" type="date" value=a.ends_on.map(|d| d.to_string()).unwrap_or_default()/>
                                                        <button type="submit" class="button secondary">{say(lang, "Opslaan", "Save")}</button>
                                                    </form>
                                                </td>
                                            }.into_any()
                                        });
                                        view! {
                                            <tr id=format!("action-{}", a.id) data-action=a.id.to_string()>
                                                <th scope="row">{head}</th>
                                                {cells.map(|c| view! { <td>{cell_text(lang, c)}</td> }).collect_view()}
                                                {update}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
                {may_record.then(|| {
                    let today = chrono::Utc::now().date_naive().to_string();
                    view! {
                        <h3>{say(lang, "Nieuwe actie", "New action")}</h3>
                        <form method="post" action=format!("{base}/actions") class="staff-form" id="new-action">
                            <CsrfField token=csrf.clone()/>
                            <label for="title">{say(lang, "Titel", "Title")}</label>
                            <input id="title" name="title" type="text" required maxlength="200"/>
                            <label for="organisation">{say(lang, "Door welke organisatie", "By which organisation")}</label>
                            <input id="organisation" name="organisation" type="text" required maxlength="200"/>
                            <label for="domain">{say(lang, "Domein", "Domain")}</label>
                            <select id="domain" name="domain">
                                <Options choices=domain_options selected="parents".to_owned() none=false/>
                            </select>
                            <label for="goal">{say(lang, "Bij doel (niet verplicht)", "For goal (optional)")}</label>
                            <select id="goal" name="goal">
                                <Options choices=goal_choices selected=String::new() none=true/>
                            </select>
                            <label for="starts_on">{say(lang, "Begin", "Start")}</label>
                            <input id="starts_on" name="starts_on" type="date" required value=today/>
                            <label for="ends_on">{say(lang, "Einde (niet verplicht)", "End (optional)")}</label>
                            <input id="ends_on" name="ends_on" type="date"/>
                            <label for="status">{say(lang, "Stand", "Status")}</label>
                            <select id="status" name="status">
                                <Options choices=status_options selected="planned".to_owned() none=false/>
                            </select>
                            <label for="budget">{say(lang, "Budget in euro (niet verplicht)", "Budget in euros (optional)")}</label>
                            <input id="budget" name="budget" type="text" inputmode="numeric" maxlength="12"/>
                            <fieldset id="factors" class="factor-choices">
                                <legend>{say(lang, "Gericht op deze factoren", "Aimed at these factors")}</legend>
                                {factors.iter().map(|(key, label)| {
                                    let id = format!("factor-{key}");
                                    view! {
                                        <div class="factor-choice">
                                            <input type="checkbox" id=id.clone() name=format!("factor.{key}") value="on"/>
                                            <label for=id>{label.clone()}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <label for="description">{say(lang, "Wat er gebeurt", "What is done")}</label>
                            <TextArea id="description".to_owned() name="description" rows=4 maxlength=2000 text=String::new()/>
                            <button type="submit" class="button primary">{say(lang, "Actie opslaan", "Save action")}</button>
                        </form>
                    }
                })}
            </section>
            {cycle.map(|(waves, chosen, steps)| {
                let wave_options: Vec<(String, String)> = waves.iter().map(|w| (w.id.to_string(), w.name.clone())).collect();
                let done_count = steps.iter().filter(|s| s.done_on.is_some()).count();
                let csrf = csrf.clone();
                let base = base.clone();
                view! {
                    <section id="cycle" class="planning-cycle">
                        <h2>{say(lang, "De preventiecyclus", "The prevention cycle")}</h2>
                        <form method="get" action=base.clone() class="filters">
                            <label>{say(lang, "Peiling", "Wave")}" "
                                <select name="wave">
                                    <Options choices=wave_options selected=chosen.to_string() none=false/>
                                </select>
                            </label>
                            <button type="submit" class="button">{say(lang, "Toon", "Show")}</button>
                        </form>
                        <p class="cycle-count">{format!("{done_count} / 10 {}", say(lang, "stappen afgerond", "steps done"))}</p>
                        <ol class="cycle-steps">
                            {CYCLE_STEPS.iter().enumerate().map(|(i, (nl, en))| {
                                let step = i as i32 + 1;
                                let saved = steps.iter().find(|s| s.step == step).cloned();
                                let done_on = saved.as_ref().and_then(|s| s.done_on).map(|d| d.to_string()).unwrap_or_default();
                                let owner = saved.as_ref().map(|s| s.owner.clone()).unwrap_or_default();
                                let note = saved.as_ref().map(|s| s.note.clone()).unwrap_or_default();
                                let finished = !done_on.is_empty();
                                let state = if finished { say(lang, "afgerond", "done") } else { say(lang, "open", "open") };
                                let csrf = csrf.clone();
                                let base = base.clone();
                                view! {
                                    <li id=format!("step-{step}") data-step=step.to_string() data-done=finished.to_string()>
                                        <h3>{say(lang, nl, en)}" "<span class="step-state">"("{state}")"</span></h3>
                                        {if may_run_cycle {
                                            let (d, o, n) = (format!("step-{step}-done"), format!("step-{step}-owner"), format!("step-{step}-note"));
                                            view! {
                                                <form method="post" action=format!("{base}/cycle") class="inline-form">
                                                    <CsrfField token=csrf/>
                                                    <input type="hidden" name="wave" value=chosen.to_string()/>
                                                    <input type="hidden" name="step" value=step.to_string()/>
                                                    <label for=d.clone()>{say(lang, "Afgerond op", "Done on")}</label>
                                                    <input id=d name="done_on" type="date" value=done_on/>
                                                    <label for=o.clone()>{say(lang, "Wie", "Owner")}</label>
                                                    <input id=o name="owner" type="text" maxlength="200" value=owner/>
                                                    <label for=n.clone()>{say(lang, "Notitie", "Note")}</label>
                                                    <input id=n name="note" type="text" maxlength="2000" value=note/>
                                                    <button type="submit" class="button secondary">{say(lang, "Opslaan", "Save")}</button>
                                                </form>
                                            }.into_any()
                                        } else {
                                            view! { <p>{[done_on, owner, note].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" · ")}</p> }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    </section>
                }
            })}
        }
    })
}

/// The form that sets a goal on one released figure.
pub fn goal_form(
    staff: &Staff,
    place: &PlanningPlace,
    baseline: &Baseline,
    fields: &GoalFields,
    status: StatusCode,
    problems: Vec<Problem>,
) -> Response {
    let lang = staff.lang;
    let language = crate::dashboard::language(lang);
    let csrf = staff.csrf_token.clone();
    let title = format!(
        "{}: {}",
        say(lang, "Doel stellen", "Set a goal"),
        place.community.name
    );
    let share = baseline.share;
    let value = share
        .percent()
        .map(|v| language.percent(v, reports::PERCENT_DECIMALS))
        .unwrap_or_default();
    let interval = share
        .wilson_interval()
        .map(|i| {
            format!(
                "{}–{}",
                language.percent(i.lower * 100.0, 1),
                language.percent(i.upper * 100.0, 1)
            )
        })
        .unwrap_or_default();
    let figure = match lang {
        Lang::Nl => format!(
            "{}, {}: {value} (95%-interval {interval}, n = {}) in {} (release {}).",
            baseline.label,
            baseline.who,
            share.denominator(),
            baseline.wave.name,
            baseline.wave.release
        ),
        Lang::En => format!(
            "{}, {}: {value} (95% interval {interval}, n = {}) in {} (release {}).",
            baseline.label,
            baseline.who,
            share.denominator(),
            baseline.wave.name,
            baseline.wave.release
        ),
    };
    let direction = if baseline.direction.higher_is_better() {
        say(
            lang,
            "Hoger is beter: het doel ligt minstens 3 procentpunt boven de beginwaarde.",
            "Higher is better: the target lies at least 3 points above the baseline.",
        )
    } else {
        say(
            lang,
            "Lager is beter: het doel ligt minstens 3 procentpunt onder de beginwaarde.",
            "Lower is better: the target lies at least 3 points below the baseline.",
        )
    };
    let action = format!("/planning/{}/goals", place.name);
    let (indicator, who, wave) = (
        baseline.indicator.clone(),
        baseline.breakdown.clone(),
        baseline.wave.id.to_string(),
    );
    let (target, target_year, domain, rationale) = (
        fields.target.clone(),
        fields.target_year.clone(),
        fields.domain.clone(),
        fields.rationale.clone(),
    );
    staff.page_with_status(status, &title, move || {
        let domain_options: Vec<(String, String)> = DOMAINS.iter().map(|(k, nl, en)| ((*k).to_owned(), say(lang, nl, en).to_owned())).collect();
        view! {
            <Problems lang problems/>
            <p class="baseline">{say(lang, "Beginwaarde: ", "Baseline: ")}<strong>{figure}</strong></p>
            <p class="hint">{direction}</p>
            <form method="post" action=action class="staff-form">
                <CsrfField token=csrf/>
                <input type="hidden" name="indicator" value=indicator/>
                <input type="hidden" name="who" value=who/>
                <input type="hidden" name="wave" value=wave/>
                <label for="target">{say(lang, "Doel in procenten", "Target in percent")}</label>
                <input id="target" name="target" type="text" inputmode="decimal" required maxlength="6" value=target/>
                <label for="target_year">{say(lang, "Te bereiken in het jaar", "To be reached by the year")}</label>
                <input id="target_year" name="target_year" type="number" required min="2000" max="2100" value=target_year/>
                <label for="domain">{say(lang, "Domein waarin eraan gewerkt wordt", "Domain it is worked on in")}</label>
                <select id="domain" name="domain">
                    <Options choices=domain_options selected=domain none=false/>
                </select>
                <label for="rationale">{say(lang, "Onderbouwing (kort)", "Rationale (short)")}</label>
                <TextArea id="rationale".to_owned() name="rationale" rows=3 maxlength=2000 text=rationale/>
                <button type="submit" class="button primary">{say(lang, "Doel opslaan", "Save goal")}</button>
            </form>
        }
    })
}

/// Why no goal can be set on the figure a link named.
pub fn no_baseline(staff: &Staff, place: &PlanningPlace, problem: Problem) -> Response {
    let lang = staff.lang;
    let back = format!("/dashboard/{}", place.name);
    let title = format!(
        "{}: {}",
        say(lang, "Doel stellen", "Set a goal"),
        place.community.name
    );
    staff.page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &title, move || {
        view! {
            <p class="message" role="alert">{problem.text}</p>
            <p><a href=back>{say(lang, "Terug naar de cijfers", "Back to the figures")}</a></p>
        }
    })
}

/// The places whose planning the viewer may read, and for each municipality
/// the cycle and the goals' statuses side by side.
pub fn overview(
    staff: &Staff,
    entries: Vec<(String, String, &'static str)>,
    lines: Vec<MunicipalityProgress>,
    latest_wave: Option<String>,
) -> Response {
    let lang = staff.lang;
    let language = crate::dashboard::language(lang);
    let words = GoalWords(language);
    let status_heads: Vec<String> = GoalStatus::ALL.iter().map(|s| words.status(*s)).collect();
    staff.wide_page(say(lang, "Preventieplannen", "Prevention plans"), move || {
        let off_course: Vec<_> = lines.iter().flat_map(|l| l.off_course.iter().map(move |o| (l.name.clone(), o))).map(|(m, (place, page, row))| (m, place.clone(), page.clone(), row.label.clone(), GoalWords(language).reason(row))).collect();
        view! {
            {(!lines.is_empty()).then(|| view! {
                <section id="municipalities">
                    <h2>{say(lang, "Gemeenten naast elkaar", "Municipalities side by side")}</h2>
                    <div class="table-wrap" tabindex="0" role="region" aria-label=say(lang, "Gemeenten naast elkaar", "Municipalities side by side")>
                        <table class="data" data-table="municipalities">
                            <thead><tr>
                                <th scope="col">{say(lang, "Gemeente", "Municipality")}</th>
                                <th scope="col">{format!("{} ({})", say(lang, "Cyclus", "Cycle"), latest_wave.clone().unwrap_or_default())}</th>
                                {status_heads.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                                <th scope="col">{say(lang, "Lopende acties", "Actions running")}</th>
                            </tr></thead>
                            <tbody>
                                {lines.iter().map(|l| view! {
                                    <tr data-municipality=l.place.clone()>
                                        <th scope="row"><a href=format!("/planning/{}", l.place)>{l.name.clone()}</a></th>
                                        <td>{format!("{} / 10", l.steps_done)}</td>
                                        {l.by_status.iter().map(|(_, n)| view! { <td>{n.to_string()}</td> }).collect_view()}
                                        <td>{l.actions_running.to_string()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
                <section id="off-course">
                    <h2>{say(lang, "Doelen die niet op koers zijn", "Goals off course")}</h2>
                    {if off_course.is_empty() {
                        view! { <p>{say(lang, "Geen.", "None.")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="off-course">
                                {off_course.into_iter().map(|(m, place, page, label, reason)| view! {
                                    <li><a href=format!("/planning/{page}#goals")>{format!("{place} ({m})")}</a>": "<strong>{label}</strong>" — "{reason}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            })}
            <h2 id="plans">{say(lang, "Plannen per plaats", "Plans by place")}</h2>
            {if entries.is_empty() {
                view! { <p>{say(lang, "Er zijn geen plannen voor uw account.", "There are no plans for your account.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="dashboard-list">
                        {entries.into_iter().map(|(place, name, kind)| view! {
                            <li><a href=format!("/planning/{place}")>{name}</a>" "<span class="kind">"("{kind}")"</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        }
    })
}
