//! The questionnaire on one page, for browsers that run the survey script.
//!
//! Every section is in the page, hidden; the script (`/survey/survey.js`) shows
//! one at a time, applies the routes the server wrote on each section and item,
//! checks answers as they are given, builds the review, and sends the answers as
//! JSON with one submission id until the server confirms. A browser without the
//! script never gets here: the intro page's link leads to the plain forms, and
//! the script rewrites that link only when it runs.

use std::collections::BTreeMap;

use leptos::prelude::*;
use surveys::questionnaire::{Condition, ConditionTest};
use surveys::{Answers, Item, Questionnaire};

use super::questions::{Question, QuestionView, Villages, question_view};
use super::texts::{SurveyLang, SurveyText};

/// A route as the script reads it: shown when the answer to `item` is (or,
/// with `none_of`, is not) one of `codes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteView {
    pub item: String,
    pub none_of: bool,
    /// The codes, separated by spaces.
    pub codes: String,
}

impl RouteView {
    fn from(condition: Option<&Condition>) -> Option<RouteView> {
        let condition = condition?;
        let (none_of, codes) = match &condition.test {
            ConditionTest::AnyOf(codes) => (false, codes),
            ConditionTest::NoneOf(codes) => (true, codes),
        };
        Some(RouteView {
            item: condition.item.to_string(),
            none_of,
            codes: codes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedQuestion {
    pub question: QuestionView,
    pub required: bool,
    pub route: Option<RouteView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedSection {
    pub key: String,
    pub title: String,
    pub route: Option<RouteView>,
    pub questions: Vec<ScriptedQuestion>,
}

/// Everything the one-page questionnaire shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedView {
    pub lang: SurveyLang,
    pub sections: Vec<ScriptedSection>,
    /// The answers kept so far under the draft, by answer key.
    pub values: BTreeMap<String, String>,
    /// Tells this draft's answers kept in the tab apart from another's.
    pub draft: String,
}

fn scripted_question(item: &Item, lang: SurveyLang, villages: &Villages) -> ScriptedQuestion {
    ScriptedQuestion {
        question: question_view(item, lang, villages),
        required: item.required,
        route: RouteView::from(item.show_if.as_ref()),
    }
}

/// Builds the one-page questionnaire, filled in with the draft's `answers`.
pub fn scripted_view(
    questionnaire: &Questionnaire,
    lang: SurveyLang,
    villages: &Villages,
    answers: &Answers,
    draft: String,
) -> ScriptedView {
    ScriptedView {
        lang,
        sections: questionnaire
            .sections()
            .iter()
            .map(|section| ScriptedSection {
                key: section.key.clone(),
                title: section.title.get(lang.code()).to_owned(),
                route: RouteView::from(section.show_if.as_ref()),
                questions: section
                    .items
                    .iter()
                    .map(|item| scripted_question(item, lang, villages))
                    .collect(),
            })
            .collect(),
        values: answers
            .iter()
            .map(|(key, code)| (key.to_string(), code.to_string()))
            .collect(),
        draft,
    }
}

/// The kind of input, for the script's checks.
fn kind_of(question: &QuestionView) -> &'static str {
    use super::questions::QuestionInput;
    match question.input {
        QuestionInput::Choice { .. } => "choice",
        QuestionInput::Number { .. } => "number",
        QuestionInput::Select { .. } => "select",
        QuestionInput::Matrix { .. } => "matrix",
    }
}

/// The one-page questionnaire. Texts the script shows are carried as data
/// attributes, so the script holds no words of its own.
#[component]
pub fn ScriptedForm(view: ScriptedView) -> impl IntoView {
    let ScriptedView {
        lang,
        sections,
        values,
        draft,
    } = view;
    let text = |t: SurveyText| lang.text(t).to_owned();
    let pages = sections
        .into_iter()
        .map(|section| {
            let route = section.route;
            let questions = section
                .questions
                .into_iter()
                .map(|q| {
                    let kind = kind_of(&q.question);
                    let key = q.question.key.clone();
                    let route = q.route;
                    view! {
                        <div class="item" data-item=key data-kind=kind
                            data-required=q.required.then_some("true")
                            data-if=route.as_ref().map(|r| r.item.clone())
                            data-none-of=route.as_ref().filter(|r| r.none_of).map(|r| r.codes.clone())
                            data-any-of=route.as_ref().filter(|r| !r.none_of).map(|r| r.codes.clone())>
                            <Question question=q.question values=values.clone() error=None/>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <section class="page" data-section=section.key hidden
                    data-if=route.as_ref().map(|r| r.item.clone())
                    data-none-of=route.as_ref().filter(|r| r.none_of).map(|r| r.codes.clone())
                    data-any-of=route.as_ref().filter(|r| !r.none_of).map(|r| r.codes.clone())>
                    <h1 tabindex="-1">{section.title}</h1>
                    {questions}
                    <div class="actions">
                        <button type="button" class="button secondary" data-nav="back">{text(SurveyText::Back)}</button>
                        <button type="button" class="button primary" data-nav="next"
                            data-last=text(SurveyText::ToReview)>{text(SurveyText::Next)}</button>
                    </div>
                </section>
            }
        })
        .collect_view();
    view! {
        <noscript>
            <p class="message">
                {text(SurveyText::WithoutScript)}" "
                <a href="/survey/next">{text(SurveyText::Continue)}</a>
            </p>
        </noscript>
        <form id="survey" class="survey-form scripted" method="post" action="/survey/submit" novalidate
            data-lang=lang.code() data-draft=draft
            data-progress=text(SurveyText::Progress)
            data-required=text(SurveyText::Required)
            data-number-range=text(SurveyText::NumberOutOfRange)
            data-error-summary=text(SurveyText::ErrorSummary)
            data-skipped=text(SurveyText::Skipped)
            data-answered=text(SurveyText::Answered)
            data-change=text(SurveyText::Change)
            data-sending=text(SurveyText::Sending)
            data-offline=text(SurveyText::Offline)
            data-expired=text(SurveyText::DraftExpired)
            data-class-full=text(SurveyText::ClassFull)
            data-wave-closed=text(SurveyText::WaveClosed)
            data-bad-request=text(SurveyText::BadRequest)>
            <p class="progress" hidden data-progress-line>
                <span aria-live="polite"></span>
                <progress aria-hidden="true"></progress>
            </p>
            <div class="error-summary" role="alert" tabindex="-1" hidden data-errors>
                <h2>{text(SurveyText::ErrorSummary)}</h2>
                <ul></ul>
            </div>
            {pages}
            <section class="page review" data-review hidden>
                <h1 tabindex="-1">{text(SurveyText::ReviewTitle)}</h1>
                <p>{text(SurveyText::ReviewLead)}</p>
                <p class="progress" data-answered-line></p>
                <div data-review-list></div>
                <p class="message" role="status" aria-live="polite" data-submit-status></p>
                <div class="actions">
                    <button type="button" class="button secondary" data-nav="back">{text(SurveyText::Back)}</button>
                    <button type="submit" class="button primary">{text(SurveyText::Submit)}</button>
                </div>
            </section>
        </form>
        <script src="/survey/survey.js" defer></script>
    }
}
