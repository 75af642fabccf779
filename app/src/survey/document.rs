//! The survey's pages as complete HTML documents, rendered on the server.
//!
//! These pages are plain forms that work on any phone with JavaScript off and
//! weigh a few kilobytes. Only the intro and the one-page questionnaire load
//! the small survey script (see `scripted`).

use leptos::prelude::*;

use super::texts::{SurveyLang, SurveyText};

/// Renders `body` inside the survey's HTML document.
#[cfg(feature = "ssr")]
pub fn render<V>(lang: SurveyLang, title: &str, body: impl FnOnce() -> V) -> String
where
    V: IntoView + 'static,
{
    crate::document::render(lang.code(), lang.dir(), title, "survey", body)
}

/// A page that says one thing (a refused code, an expired session…) and offers
/// a way forward.
#[component]
pub fn MessagePage(lang: SurveyLang, title: SurveyText, text: SurveyText) -> impl IntoView {
    view! {
        <h1>{lang.text(title)}</h1>
        <p class="message" role="alert">{lang.text(text)}</p>
        <p><a class="button secondary" href="/">{lang.text(SurveyText::StartAgain)}</a></p>
    }
}

/// The first step after a valid code: which language to read the questions in.
#[component]
pub fn LanguageChoice(current: SurveyLang) -> impl IntoView {
    view! {
        <form method="post" action="/survey/language" class="survey-form">
            <fieldset>
                <legend>
                    <h1>
                        {SurveyLang::ALL
                            .into_iter()
                            .map(|l| view! { <span class="legend-line" lang=l.code() dir=l.dir()>{l.text(SurveyText::ChooseLanguage)}</span> })
                            .collect_view()}
                    </h1>
                </legend>
                <div class="choices">
                    {SurveyLang::ALL
                        .into_iter()
                        .map(|l| {
                            let id = format!("lang-{}", l.code());
                            view! {
                                <div class="choice">
                                    <input type="radio" name="lang" id=id.clone() value=l.code() checked=l == current required/>
                                    <label for=id lang=l.code() dir=l.dir()>{l.native_name()}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
            <button type="submit" class="button primary">{current.text(SurveyText::Continue)}</button>
        </form>
    }
}

/// What a student reads before the first question: anonymous, voluntary, any
/// question may be skipped, how long it takes.
#[component]
pub fn Intro(lang: SurveyLang) -> impl IntoView {
    view! {
        <h1>{lang.text(SurveyText::IntroTitle)}</h1>
        <ul class="intro-points">
            <li>{lang.text(SurveyText::IntroAnonymous)}</li>
            <li>{lang.text(SurveyText::IntroVoluntary)}</li>
            <li>{lang.text(SurveyText::IntroHonest)}</li>
            <li>{lang.text(SurveyText::IntroDuration)}</li>
        </ul>
        <p class="actions">
            <a class="button secondary" href="/survey/language">{lang.text(SurveyText::Back)}</a>
            " "
            <a class="button primary" href="/survey/next" data-scripted="/survey/form">
                {lang.text(SurveyText::Begin)}
            </a>
        </p>
        // Only rewrites the link above: without it, the plain forms follow.
        <script src="/survey/survey.js" defer></script>
    }
}
