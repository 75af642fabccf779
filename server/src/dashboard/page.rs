//! Dashboards and reports written as HTML: server-rendered, no script, the
//! charts inline as SVG, each followed by the table of its numbers.

use axum::response::Response;
use leptos::prelude::*;
use reports::{Cell, Language};
use surveys::Release;

use super::build::{Dashboard, DrawnChart, NamedTable, Words};
use super::{Built, WHO, language, who_key};
use crate::admin::{Staff, say};

/// A table as the page shows it; its first column heads the rows.
#[component]
fn DataTable(
    table: NamedTable,
    language: Language,
    /// The query string of the dashboard, for the download links; `None` in
    /// the printed report.
    downloads: Option<(String, String)>,
    /// Per row, the address that sets a goal on its figure: an extra column
    /// on the page only (never in downloads or the report).
    #[prop(default = None)]
    goal_links: Option<Vec<String>>,
) -> impl IntoView {
    let NamedTable { name, table } = table;
    let lang = language;
    let goal_heading = goal_links.as_ref().map(|_| match lang {
        Language::Nl => "Doel",
        Language::En => "Goal",
    });
    let (goal_label, goal_hint) = match lang {
        Language::Nl => ("Doel stellen", "op dit cijfer"),
        Language::En => ("Set a goal", "on this figure"),
    };
    let mut goal_links = goal_links.map(|links| links.into_iter());
    let cell = move |cell: Cell| match cell {
        Cell::Text(text) => view! { <span>{text}</span> }.into_any(),
        Cell::Percent(value) => {
            view! { <span>{lang.percent(value, reports::PERCENT_DECIMALS)}</span> }.into_any()
        }
        Cell::Count(n) => view! { <span>{n.to_string()}</span> }.into_any(),
        Cell::Suppressed(text) => view! { <span class="suppressed">{text}</span> }.into_any(),
        Cell::Empty => view! { <span aria-label="—">"—"</span> }.into_any(),
    };
    let links = downloads.map(|(base, query)| {
        let csv = format!("{base}/download/{name}.csv{query}");
        let xlsx = format!("{base}/download/{name}.xlsx{query}");
        let (csv_label, xlsx_label) = match lang {
            Language::Nl => ("Download CSV", "Download XLSX"),
            Language::En => ("Download CSV", "Download XLSX"),
        };
        view! {
            <p class="table-downloads">
                <a href=csv class="download-csv" data-table=name.clone()>{csv_label}</a>" · "
                <a href=xlsx class="download-xlsx" data-table=name.clone()>{xlsx_label}</a>
            </p>
        }
    });
    // A wide table scrolls sideways; keyboard users reach it with Tab.
    let region_label = table.title.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=region_label>
            <table class="data figures" data-table=name.clone()>
                <caption>{table.title}</caption>
                <thead><tr>
                    {table.columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                    {goal_heading.map(|h| view! { <th scope="col" class="row-action">{h}</th> })}
                </tr></thead>
                <tbody>
                    {table.rows.into_iter().map(|row| {
                        let mut cells = row.into_iter();
                        let head = cells.next().map(cell);
                        let goal = goal_links.as_mut().map(|links| links.next().unwrap_or_default());
                        view! {
                            <tr>
                                <th scope="row">{head}</th>
                                {cells.map(|c| view! { <td>{cell(c)}</td> }).collect_view()}
                                {goal.map(|href| view! {
                                    <td class="row-action"><a href=href class="set-goal">{goal_label}<span class="visually-hidden">" "{goal_hint}</span></a></td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {links}
    }
}

fn chart_section(
    heading: String,
    chart: Option<DrawnChart>,
    language: Language,
    downloads: Option<(String, String)>,
) -> impl IntoView {
    chart.map(|chart| {
        view! {
            <section class="chart-section">
                <h2>{heading}</h2>
                <figure class="chart" inner_html=chart.svg></figure>
                <DataTable table=chart.table language=language downloads=downloads/>
            </section>
        }
    })
}

fn respondents_line(dashboard: &Dashboard, words: &Words) -> String {
    let lang = words.0;
    match dashboard.respondents {
        Release::Released(n) => match lang {
            Language::Nl => format!("{n} leerlingen telden mee ({}).", dashboard.breakdown_label),
            Language::En => format!("{n} students counted ({}).", dashboard.breakdown_label),
        },
        Release::Suppressed(reason) => format!(
            "{}: {}.",
            dashboard.breakdown_label,
            words.suppressed(reason, dashboard.k)
        ),
    }
}

fn messages_section(
    messages: Vec<String>,
    first_wave: bool,
    lang: app::i18n::Lang,
) -> impl IntoView {
    let nothing = if first_wave {
        say(
            lang,
            "Er is nog geen eerdere peiling om mee te vergelijken.",
            "There is no earlier wave to compare with yet.",
        )
    } else {
        say(
            lang,
            "Geen uitkomst om uit te lichten: geen cijfer veranderde echt of wijkt echt af, of de cijfers worden niet getoond.",
            "Nothing to highlight: no figure changed or differs really, or the figures are not shown.",
        )
    };
    view! {
        <section class="key-messages">
            <h2>{say(lang, "Belangrijkste uitkomsten", "Key messages")}</h2>
            {if messages.is_empty() {
                view! { <p>{nothing}</p> }.into_any()
            } else {
                view! { <ul>{messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

/// The place's goals with their status marks; on the page with a link to
/// the planning and downloads, in the report without.
fn goals_section(
    goals: Option<NamedTable>,
    statuses: Vec<(i32, surveys::planning::GoalStatus)>,
    lang: app::i18n::Lang,
    links: Option<(String, Option<(String, String)>)>,
) -> impl IntoView {
    goals.map(|table| {
        let language = super::language(lang);
        let words = crate::planning::goals::GoalWords(language);
        let summary: Vec<String> = surveys::planning::GoalStatus::ALL
            .iter()
            .filter_map(|status| {
                let n = statuses.iter().filter(|(_, s)| s == status).count();
                (n > 0).then(|| format!("{}: {n}", words.status(*status)))
            })
            .collect();
        let empty = table.table.rows.is_empty();
        let (planning, downloads) = match links {
            Some((planning, downloads)) => (Some(planning), downloads),
            None => (None, None),
        };
        view! {
            <section class="goals" id="goals">
                <h2>{say(lang, "Doelen en hun voortgang", "Goals and their progress")}</h2>
                {if empty {
                    view! { <p>{say(lang, "Er zijn nog geen doelen gesteld.", "No goals have been set yet.")}</p> }.into_any()
                } else {
                    view! {
                        <p class="goal-summary">{summary.join(" · ")}</p>
                        <DataTable table=table language=language downloads=downloads/>
                    }.into_any()
                }}
                {planning.map(|href| view! {
                    <p><a href=href class="planning-link">{say(lang, "Naar het preventieplan: doelen, acties en de cyclus", "To the prevention plan: goals, actions and the cycle")}</a></p>
                })}
            </section>
        }
    })
}

fn query_string(built: &Built) -> String {
    format!(
        "?wave={}&who={}&indicator={}",
        built.waves[built.selection.wave].id,
        who_key(built.selection.breakdown),
        built.selection.indicator
    )
}

/// The dashboard page: filters, key messages, the domains' tables, the charts.
pub fn dashboard(built: Built) -> Response {
    let lang = built.staff.lang;
    let language = language(lang);
    let words = Words(language);
    let base = format!("/dashboard/{}", built.place);
    let query = query_string(&built);
    let downloads = Some((base.clone(), query.clone()));
    let planning = format!("/planning/{}", built.place);
    let goal_base = built.may_set_goals.then(|| {
        format!(
            "/planning/{}/goals/new?wave={}&who={}&indicator=",
            built.place,
            built.waves[built.selection.wave].id,
            who_key(built.selection.breakdown)
        )
    });
    let Built {
        staff,
        waves,
        selection,
        dashboard,
        links,
        ..
    } = built;
    let title = dashboard.title.clone();
    let first_wave = selection.wave == 0;
    let current_wave = waves[selection.wave].id.to_string();
    let wave_options: Vec<(String, String)> = waves
        .iter()
        .rev()
        .map(|w| (w.id.to_string(), w.name.clone()))
        .collect();
    let who_options: Vec<(String, String)> = WHO
        .iter()
        .map(|(key, b)| ((*key).to_owned(), words.breakdown(*b)))
        .collect();
    let indicator_options: Vec<(String, String)> = waves[selection.wave]
        .questionnaire
        .indicators()
        .iter()
        .map(|i| (i.key.clone(), i.label.get(language.code()).to_owned()))
        .collect();
    let who = who_key(selection.breakdown).to_owned();
    let indicator = selection.indicator.clone();
    let respondents = respondents_line(&dashboard, &words);
    // A place too small for figures says so at the top, and where its
    // students are counted instead.
    let too_small = match dashboard.respondents {
        Release::Suppressed(reason) => {
            let larger = links
                .iter()
                .find(|(place, _)| place.starts_with("municipality-"))
                .or_else(|| links.iter().find(|(place, _)| place == "region"))
                .cloned();
            Some((dashboard.title.clone(), dashboard.k, reason, larger))
        }
        Release::Released(_) => None,
    };
    let subtitle = format!("{} · {}", dashboard.wave_name, dashboard.breakdown_label);
    let report = format!("{base}/report{query}");
    let all_xlsx = format!("{base}/download/all.xlsx{query}");
    staff.wide_page(&title, move || {
        let Dashboard {
            messages,
            domains,
            trend,
            neighbours,
            profile,
            response,
            exclusions,
            goals,
            goal_statuses,
            ..
        } = dashboard;
        view! {
            <p class="subtitle">{subtitle}</p>
            {(!links.is_empty()).then(|| view! {
                <nav class="related" aria-label=say(lang, "Andere plaatsen", "Other places")>
                    <span>{say(lang, "Ook bekijken: ", "See also: ")}</span>
                    {links.into_iter().map(|(place, name)| {
                        let href = format!("/dashboard/{place}");
                        view! { <a href=href class="related-place">{name}</a>" " }
                    }).collect_view()}
                </nav>
            })}
            <form method="get" action=base.clone() class="filters">
                <label>{say(lang, "Peiling", "Wave")}" "
                    <select name="wave">
                        <crate::admin::Options choices=wave_options selected=current_wave none=false/>
                    </select>
                </label>
                <label>{say(lang, "Leerlingen", "Students")}" "
                    <select name="who">
                        <crate::admin::Options choices=who_options selected=who none=false/>
                    </select>
                </label>
                <label>{say(lang, "Indicator in de grafieken", "Indicator in the charts")}" "
                    <select name="indicator">
                        <crate::admin::Options choices=indicator_options selected=indicator none=false/>
                    </select>
                </label>
                <button type="submit" class="button">{say(lang, "Toon", "Show")}</button>
            </form>
            <p class="downloads">
                <a href=report class="report-link">{say(lang, "Rapport om te printen", "Printable report")}</a>" · "
                <a href=all_xlsx class="download-all">{say(lang, "Alle tabellen (XLSX)", "All tables (XLSX)")}</a>" · "
                <a href="/dashboard/codebook/codebook.csv">{say(lang, "Codeboek (CSV)", "Codebook (CSV)")}</a>" · "
                <a href="/dashboard/codebook/codebook.xlsx">{say(lang, "Codeboek (XLSX)", "Codebook (XLSX)")}</a>
            </p>
            <p class="respondents">{respondents}</p>
            {too_small.map(|(name, k, reason, larger)| view! {
                <div class="message too-small" role="note">
                    // The reason the release gives, and no other: a place
                    // withheld to protect another group may be larger than k.
                    <p>{match (lang, reason) {
                        (app::i18n::Lang::Nl, surveys::SuppressionReason::TooFewRespondents) => format!("Voor {name} worden geen cijfers getoond: er deden minder dan {k} leerlingen mee in deze groep, en cijfers van zo weinig jongeren zouden te veel over henzelf zeggen."),
                        (app::i18n::Lang::En, surveys::SuppressionReason::TooFewRespondents) => format!("No figures are shown for {name}: fewer than {k} students of this group took part, and figures of so few young people would say too much about them."),
                        (app::i18n::Lang::Nl, _) => format!("Voor {name} worden geen cijfers getoond: ze zouden samen met andere cijfers te veel zeggen over een kleine groep leerlingen."),
                        (app::i18n::Lang::En, _) => format!("No figures are shown for {name}: together with other figures they would say too much about a small group of students."),
                    }}</p>
                    {larger.map(|(place, label)| view! {
                        <p>{say(lang, "Hun antwoorden tellen mee in ", "Their answers count in ")}<a href=format!("/dashboard/{place}")>{label}</a>"."</p>
                    })}
                </div>
            })}
            {messages_section(messages, first_wave, lang)}
            {goals_section(goals, goal_statuses, lang, Some((planning.clone(), downloads.clone())))}
            {domains.into_iter().map(|d| {
                let links = goal_base.as_ref().map(|base| {
                    d.indicators.iter().map(|key| format!("{base}{key}")).collect::<Vec<_>>()
                });
                view! {
                    <section class="domain">
                        <h2>{d.heading}</h2>
                        <DataTable table=d.table language=language downloads=downloads.clone() goal_links=links/>
                    </section>
                }
            }).collect_view()}
            {chart_section(say(lang, "Door de jaren heen", "Over the years").to_owned(), trend, language, downloads.clone())}
            {chart_section(say(lang, "Plaatsen naast elkaar", "Places side by side").to_owned(), neighbours, language, downloads.clone())}
            {chart_section(say(lang, "Risico en bescherming", "Risk and protection").to_owned(), profile, language, downloads.clone())}
            <section class="response">
                <h2>{say(lang, "Respons en uitsluitingen", "Response and exclusions")}</h2>
                <DataTable table=response language=language downloads=downloads.clone()/>
                <DataTable table=exclusions language=language downloads=downloads.clone()/>
            </section>
        }
    })
}

/// The printable report (A4): key messages, charts, tables and exclusions, with
/// no forms or links in the way.
pub fn report(built: Built) -> Response {
    let lang = built.staff.lang;
    let language = language(lang);
    let words = Words(language);
    let first_wave = built.selection.wave == 0;
    let Built {
        staff,
        dashboard,
        actions,
        ..
    } = built;
    let title = format!("{}: {}", say(lang, "Rapport", "Report"), dashboard.title);
    let respondents = respondents_line(&dashboard, &words);
    let subtitle = format!("{} · {}", dashboard.wave_name, dashboard.breakdown_label);
    let synthetic = staff.synthetic;
    staff.wide_page(&title, move || {
        let Dashboard {
            messages,
            domains,
            trend,
            neighbours,
            profile,
            response,
            exclusions,
            k,
            goals,
            goal_statuses,
            ..
        } = dashboard;
        let method = match language {
            Language::Nl => format!(
                "Percentages zijn aandelen van de leerlingen die de vraag beantwoordden, met een 95%-betrouwbaarheidsinterval (Wilson). Een verandering of verschil heet echt als een toets op 95% dat zegt én het minstens 3 procentpunt is. Cijfers van groepen met minder dan {k} leerlingen worden niet getoond, en ook geen cijfers waaruit ze te berekenen zijn."
            ),
            Language::En => format!(
                "Percentages are shares of the students who answered the question, with a 95% confidence interval (Wilson). A change or difference is called real when a test at 95% says so and it is at least 3 percentage points. Figures of groups of fewer than {k} students are not shown, nor figures they could be worked out from."
            ),
        };
        view! {
            <article class="report">
                <p class="subtitle">{subtitle}</p>
                {synthetic.then(|| view! {
                    <p class="synthetic-note">{say(lang, "Alle cijfers in dit rapport zijn synthetisch: een fictieve regio.", "All figures in this report are synthetic: a fictional region.")}</p>
                })}
                <p class="respondents">{respondents}</p>
                {messages_section(messages, first_wave, lang)}
                {goals_section(goals, goal_statuses, lang, None)}
                {actions.map(|table| view! {
                    <section class="planned-actions">
                        <h2>{say(lang, "Acties", "Actions")}</h2>
                        {if table.rows.is_empty() {
                            view! { <p>{say(lang, "Er zijn geen acties vastgelegd.", "No actions have been recorded.")}</p> }.into_any()
                        } else {
                            view! { <DataTable table=NamedTable { name: "actions".to_owned(), table } language=language downloads=None/> }.into_any()
                        }}
                    </section>
                })}
                {chart_section(say(lang, "Door de jaren heen", "Over the years").to_owned(), trend, language, None)}
                {chart_section(say(lang, "Risico en bescherming", "Risk and protection").to_owned(), profile, language, None)}
                {chart_section(say(lang, "Plaatsen naast elkaar", "Places side by side").to_owned(), neighbours, language, None)}
                {domains.into_iter().map(|d| view! {
                    <section class="domain">
                        <h2>{d.heading}</h2>
                        <DataTable table=d.table language=language downloads=None/>
                    </section>
                }).collect_view()}
                <section class="response">
                    <h2>{say(lang, "Respons en uitsluitingen", "Response and exclusions")}</h2>
                    <DataTable table=response language=language downloads=None/>
                    <DataTable table=exclusions language=language downloads=None/>
                </section>
                <section class="method">
                    <h2>{say(lang, "Zo zijn de cijfers berekend", "How the figures were made")}</h2>
                    <p>{method}</p>
                </section>
            </article>
        }
    })
}

/// The list of dashboards the viewer may open, grouped by municipality.
pub fn index(staff: Staff, groups: Vec<super::PlaceGroup>) -> Response {
    let lang = staff.lang;
    staff.page(say(lang, "Cijfers", "Figures"), move || {
        view! {
            {if groups.is_empty() {
                view! { <p>{say(lang, "Er zijn geen cijfers voor uw account.", "There are no figures for your account.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="dashboard-list">
                        {groups.into_iter().map(|group| {
                            let heading = match group.own {
                                Some(place) => view! { <a href=format!("/dashboard/{place}")>{group.name}</a> }.into_any(),
                                None => view! { <span>{group.name}</span> }.into_any(),
                            };
                            view! {
                                <li>
                                    {heading}
                                    {(!group.places.is_empty()).then(|| view! {
                                        <ul>
                                            {group.places.into_iter().map(|(place, name, kind)| {
                                                let href = format!("/dashboard/{place}");
                                                view! { <li><a href=href>{name}</a>" "<span class="kind">"("{kind}")"</span></li> }
                                            }).collect_view()}
                                        </ul>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        }
    })
}
