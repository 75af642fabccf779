//! The questionnaire's pages: one section per page, the review of all answers,
//! and the thank-you page with where to find help.
//!
//! The server builds a [`SectionView`] or [`ReviewView`] from the questionnaire
//! and the student's answers; the components here only lay them out. Every input
//! has a label, every group of radio buttons is a fieldset with its question as
//! legend (so a screen reader reads a matrix statement with its scale), and an
//! error is tied to its question with `aria-describedby`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use surveys::{AnswerCode, AnswerError, Answers, Item, ItemKind, Questionnaire, Section};

use super::texts::{SurveyLang, SurveyText};

/// One answer option as shown: the code sent and the words read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionView {
    pub code: AnswerCode,
    pub text: String,
}

/// How a question is answered on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionInput {
    /// Radio buttons.
    Choice { options: Vec<OptionView> },
    /// A number field.
    Number { min: AnswerCode, max: AnswerCode },
    /// A drop-down list (the villages of the municipality).
    Select { options: Vec<OptionView> },
    /// Several statements, each a group of radio buttons on one scale.
    Matrix {
        options: Vec<OptionView>,
        statements: Vec<(String, String)>,
    },
}

/// One question on a section page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionView {
    /// The form field name (for a matrix, the group key; statements have theirs).
    pub key: String,
    pub text: String,
    pub input: QuestionInput,
}

/// What a section page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionView {
    pub lang: SurveyLang,
    pub key: String,
    pub title: String,
    /// This page's number among the pages the student gets, and how many.
    pub position: usize,
    pub pages: usize,
    pub questions: Vec<QuestionView>,
    /// What the form shows in each field: the stored answer, or what the
    /// student sent when it could not be accepted.
    pub values: BTreeMap<String, String>,
    /// A message per field name that could not be accepted.
    pub errors: BTreeMap<String, String>,
}

/// The villages a student can choose as where they live, by answer code.
pub type Villages = Vec<(AnswerCode, String)>;

fn options_of(item: &Item, lang: SurveyLang) -> Vec<OptionView> {
    item.options()
        .unwrap_or_default()
        .iter()
        .map(|option| OptionView {
            code: option.code,
            text: option.text.get(lang.code()).to_owned(),
        })
        .collect()
}

/// The question as the student sees it.
pub fn question_view(item: &Item, lang: SurveyLang, villages: &Villages) -> QuestionView {
    let input = match &item.kind {
        ItemKind::Choice { .. } => QuestionInput::Choice {
            options: options_of(item, lang),
        },
        ItemKind::Number { min, max } => QuestionInput::Number {
            min: *min,
            max: *max,
        },
        ItemKind::Village { elsewhere } => {
            let mut options: Vec<OptionView> = villages
                .iter()
                .map(|(code, name)| OptionView {
                    code: *code,
                    text: name.clone(),
                })
                .collect();
            options.push(OptionView {
                code: elsewhere.code,
                text: elsewhere.text.get(lang.code()).to_owned(),
            });
            QuestionInput::Select { options }
        }
        ItemKind::Matrix { statements, .. } => QuestionInput::Matrix {
            options: options_of(item, lang),
            statements: statements
                .iter()
                .map(|s| (s.key.to_string(), s.text.get(lang.code()).to_owned()))
                .collect(),
        },
    };
    QuestionView {
        key: item.key.to_string(),
        text: item.text.get(lang.code()).to_owned(),
        input,
    }
}

/// The message a student reads for an answer that could not be accepted.
pub fn error_message(
    questionnaire: &Questionnaire,
    error: &AnswerError,
    lang: SurveyLang,
) -> String {
    let number_range = error
        .item()
        .and_then(|key| match questionnaire.item(key.as_str()) {
            Some(Item {
                kind: ItemKind::Number { min, max },
                ..
            }) => Some((*min, *max)),
            _ => None,
        });
    match (error, number_range) {
        (AnswerError::Missing(_), _) => lang.text(SurveyText::Required).to_owned(),
        (_, Some((min, max))) => {
            SurveyText::NumberOutOfRange.fill(lang, &[("min", &min), ("max", &max)])
        }
        _ => lang.text(SurveyText::OutOfRange).to_owned(),
    }
}

/// The form field an error belongs next to: a matrix statement's error is shown
/// at its matrix.
pub fn error_field(questionnaire: &Questionnaire, error: &AnswerError) -> Option<String> {
    let key = error.item()?;
    let item = questionnaire.item(key.as_str())?;
    Some(item.key.to_string())
}

/// Builds the page for `section` showing `items`, filled in with `answers`.
pub fn section_view(
    section: &Section,
    items: &[&Item],
    lang: SurveyLang,
    villages: &Villages,
    answers: &Answers,
    (position, pages): (usize, usize),
) -> SectionView {
    let values = items
        .iter()
        .flat_map(|item| item.answer_keys())
        .filter_map(|key| Some((key.to_string(), answers.get(key)?.to_string())))
        .collect();
    SectionView {
        lang,
        key: section.key.clone(),
        title: section.title.get(lang.code()).to_owned(),
        position,
        pages,
        questions: items
            .iter()
            .map(|item| question_view(item, lang, villages))
            .collect(),
        values,
        errors: BTreeMap::new(),
    }
}

/// One section page: a plain form that posts to itself.
#[component]
pub fn SectionPage(view: SectionView) -> impl IntoView {
    let SectionView {
        lang,
        key,
        title,
        position,
        pages,
        questions,
        values,
        errors,
    } = view;
    let progress = SurveyText::Progress.fill(lang, &[("n", &position), ("total", &pages)]);
    let summary = (!errors.is_empty()).then(|| {
        let links = questions
            .iter()
            .filter_map(|q| {
                let message = errors.get(&q.key)?.clone();
                let href = format!("#q-{}", q.key);
                Some(view! { <li><a href=href>{q.text.clone()}": "{message}</a></li> })
            })
            .collect_view();
        view! {
            <div class="error-summary" role="alert" tabindex="-1" id="errors">
                <h2>{lang.text(SurveyText::ErrorSummary)}</h2>
                <ul>{links}</ul>
            </div>
        }
    });
    let action = format!("/survey/section/{key}");
    let fields = questions
        .into_iter()
        .map(|question| {
            let error = errors.get(&question.key).cloned();
            view! { <Question question values=values.clone() error/> }
        })
        .collect_view();
    view! {
        <p class="progress">
            <span>{progress}</span>
            <progress max=pages value=position aria-hidden="true"></progress>
        </p>
        <h1>{title}</h1>
        {summary}
        <form method="post" action=action class="survey-form" novalidate>
            {fields}
            <div class="actions">
                <button type="submit" name="nav" value="back" class="button secondary" formnovalidate>
                    {lang.text(SurveyText::Back)}
                </button>
                <button type="submit" name="nav" value="next" class="button primary">
                    {lang.text(if position == pages { SurveyText::ToReview } else { SurveyText::Next })}
                </button>
            </div>
        </form>
    }
}

fn described_by(key: &str, error: &Option<String>) -> Option<String> {
    error.as_ref().map(|_| format!("e-{key}"))
}

#[component]
fn FieldError(key: String, error: Option<String>) -> impl IntoView {
    error.map(|message| {
        view! { <p class="field-error" id=format!("e-{key}")>{message}</p> }
    })
}

/// A group of radio buttons named `name`.
#[component]
fn RadioGroup(name: String, options: Vec<OptionView>, selected: Option<String>) -> impl IntoView {
    options
        .into_iter()
        .map(|option| {
            let value = option.code.to_string();
            let id = format!("q-{name}-{value}");
            let checked = selected.as_deref() == Some(value.as_str());
            view! {
                <div class="choice">
                    <input type="radio" name=name.clone() id=id.clone() value=value checked=checked/>
                    <label for=id>{option.text}</label>
                </div>
            }
        })
        .collect_view()
}

#[component]
pub fn Question(
    question: QuestionView,
    values: BTreeMap<String, String>,
    error: Option<String>,
) -> impl IntoView {
    let QuestionView { key, text, input } = question;
    let invalid = error.is_some().then_some("true");
    let describedby = described_by(&key, &error);
    let value = values.get(&key).cloned();
    let group_id = format!("q-{key}");
    let text_id = format!("t-{key}");
    let labelled_by = text_id.clone();
    match input {
        QuestionInput::Choice { options } => view! {
            <fieldset class="question" id=group_id aria-invalid=invalid aria-describedby=describedby>
                <legend>{text}</legend>
                <FieldError key=key.clone() error/>
                <div class="choices">
                    <RadioGroup name=key options selected=value/>
                </div>
            </fieldset>
        }
        .into_any(),
        QuestionInput::Number { min, max } => {
            let id = format!("q-{key}");
            view! {
                <div class="question">
                    <label for=id.clone()>{text}</label>
                    <FieldError key=key.clone() error/>
                    <input type="number" inputmode="numeric" id=id name=key min=min max=max
                        class="number" value=value aria-invalid=invalid aria-describedby=describedby/>
                </div>
            }
            .into_any()
        }
        QuestionInput::Select { options } => {
            let id = format!("q-{key}");
            let options = options
                .into_iter()
                .map(|option| {
                    let code = option.code.to_string();
                    let selected = value.as_deref() == Some(code.as_str());
                    view! { <option value=code selected=selected>{option.text}</option> }
                })
                .collect_view();
            view! {
                <div class="question">
                    <label for=id.clone()>{text}</label>
                    <FieldError key=key.clone() error/>
                    <select id=id name=key aria-invalid=invalid aria-describedby=describedby>
                        <option value="">"—"</option>
                        {options}
                    </select>
                </div>
            }
            .into_any()
        }
        QuestionInput::Matrix {
            options,
            statements,
        } => {
            let rows = statements
                .into_iter()
                .map(|(statement, words)| {
                    let selected = values.get(&statement).cloned();
                    view! {
                        <fieldset class="statement">
                            <legend>{words}</legend>
                            <div class="choices scale">
                                <RadioGroup name=statement options=options.clone() selected/>
                            </div>
                        </fieldset>
                    }
                })
                .collect_view();
            view! {
                <div class="question matrix" role="group" id=group_id
                    aria-labelledby=labelled_by aria-describedby=describedby>
                    <p class="matrix-question" id=text_id>{text}</p>
                    <FieldError key=key.clone() error/>
                    {rows}
                </div>
            }
            .into_any()
        }
    }
}

/// One answered (or skipped) question on the review page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewLine {
    pub question: String,
    /// The answer in words; `None` when skipped.
    pub answer: Option<String>,
}

/// One section on the review page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSection {
    pub key: String,
    pub title: String,
    pub lines: Vec<ReviewLine>,
}

/// What the review page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewView {
    pub lang: SurveyLang,
    pub sections: Vec<ReviewSection>,
    pub answered: usize,
    pub questions: usize,
    /// Sent with the form so that a second click or a reload is recognised.
    pub submission_id: String,
    /// Carried to the thank-you page for its help text.
    pub municipality: i32,
    /// Where "back" leads: the last section page.
    pub back: String,
}

/// The answer in words, as the student chose it.
fn answer_words(item: &Item, code: AnswerCode, lang: SurveyLang, villages: &Villages) -> String {
    match &item.kind {
        ItemKind::Number { .. } => code.to_string(),
        ItemKind::Village { elsewhere } => villages
            .iter()
            .find(|(village, _)| *village == code)
            .map(|(_, name)| name.clone())
            .unwrap_or_else(|| elsewhere.text.get(lang.code()).to_owned()),
        ItemKind::Choice { scale } | ItemKind::Matrix { scale, .. } => scale
            .option(code)
            .map(|option| option.text.get(lang.code()).to_owned())
            .unwrap_or_else(|| code.to_string()),
    }
}

/// The review of every section the student was shown, with their answers.
pub fn review_sections(
    questionnaire: &Questionnaire,
    answers: &Answers,
    lang: SurveyLang,
    villages: &Villages,
) -> Vec<ReviewSection> {
    questionnaire
        .sections()
        .iter()
        .filter(|section| questionnaire.is_section_shown(section, answers))
        .map(|section| {
            let lines = questionnaire
                .shown_items(section, answers)
                .into_iter()
                .flat_map(|item| {
                    let statements: Vec<(String, &surveys::ItemKey)> = match &item.kind {
                        ItemKind::Matrix { statements, .. } => statements
                            .iter()
                            .map(|s| {
                                let question = format!(
                                    "{} — {}",
                                    item.text.get(lang.code()),
                                    s.text.get(lang.code())
                                );
                                (question, &s.key)
                            })
                            .collect(),
                        _ => vec![(item.text.get(lang.code()).to_owned(), &item.key)],
                    };
                    statements
                        .into_iter()
                        .map(|(question, key)| ReviewLine {
                            question,
                            answer: answers
                                .get(key)
                                .map(|code| answer_words(item, *code, lang, villages)),
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            ReviewSection {
                key: section.key.clone(),
                title: section.title.get(lang.code()).to_owned(),
                lines,
            }
        })
        .collect()
}

/// The review page: every answer, a way back to each part, and the submit button.
#[component]
pub fn ReviewPage(view: ReviewView) -> impl IntoView {
    let ReviewView {
        lang,
        sections,
        answered,
        questions,
        submission_id,
        municipality,
        back,
    } = view;
    let count = SurveyText::Answered.fill(lang, &[("n", &answered), ("total", &questions)]);
    let sections = sections
        .into_iter()
        .map(|section| {
            let href = format!("/survey/section/{}", section.key);
            let heading = format!("r-{}", section.key);
            let labelled_by = heading.clone();
            let lines = section
                .lines
                .into_iter()
                .map(|line| {
                    let (class, answer) = match line.answer {
                        Some(answer) => ("answer", answer),
                        None => ("answer skipped", lang.text(SurveyText::Skipped).to_owned()),
                    };
                    view! {
                        <dt>{line.question}</dt>
                        <dd class=class>{answer}</dd>
                    }
                })
                .collect_view();
            view! {
                <section class="review-section" aria-labelledby=labelled_by>
                    <h2 id=heading>{section.title.clone()}</h2>
                    <dl>{lines}</dl>
                    <p>
                        <a href=href>
                            {lang.text(SurveyText::Change)}
                            <span class="visually-hidden">": "{section.title}</span>
                        </a>
                    </p>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>{lang.text(SurveyText::ReviewTitle)}</h1>
        <p>{lang.text(SurveyText::ReviewLead)}</p>
        <p class="progress">{count}</p>
        {sections}
        <form method="post" action="/survey/submit" class="survey-form submit-form">
            <input type="hidden" name="submission_id" value=submission_id/>
            <input type="hidden" name="lang" value=lang.code()/>
            <input type="hidden" name="municipality" value=municipality.to_string()/>
            <div class="actions">
                <a class="button secondary" href=back>{lang.text(SurveyText::Back)}</a>
                <button type="submit" class="button primary">{lang.text(SurveyText::Submit)}</button>
            </div>
        </form>
    }
}

/// The page after a submission: thanks, and where to find help. `help` is the
/// municipality's own text; without one, the national helpline.
#[component]
pub fn ThanksPage(lang: SurveyLang, help: Option<String>) -> impl IntoView {
    let help = help.unwrap_or_else(|| lang.text(SurveyText::HelpDefault).to_owned());
    view! {
        <h1>{lang.text(SurveyText::ThanksTitle)}</h1>
        <p class="message" role="status">{lang.text(SurveyText::ThanksLead)}</p>
        <section class="help" aria-labelledby="help-title">
            <h2 id="help-title">{lang.text(SurveyText::HelpTitle)}</h2>
            <p class="help-text">{help}</p>
        </section>
    }
}
